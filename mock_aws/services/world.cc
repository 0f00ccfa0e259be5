#include "mock_aws/services/world.h"

#include "mock_aws/api/regions.h"

namespace ibsim::mock_aws::services {

World::World(sim::Context& ctx, Options options)
    : ctx_(ctx),
      iam_(ctx, options.iam),
      authorizer_(iam_, sessions_),
      messages_(ctx.rng()),
      sts_(ctx, iam_, authorizer_, sessions_, messages_) {
  iam_.set_authorizer(authorizer_);
  for (const api::RegionInfo& r : api::all_regions()) {
    regions_.insert(api::Region::from_known(r.name));
  }
}

sim::Status World::add_account(const api::AccountId& account, std::string_view name) {
  return iam_.add_account(account, name);
}

sim::Status World::add_account(std::string_view account_id, std::string_view name) {
  return iam_.add_account(account_id, name);
}

void World::set_regions(std::span<const api::Region> regions) {
  regions_.clear();
  regions_.insert(regions.begin(), regions.end());
}

bool World::has_region(const api::Region& region) const {
  return regions_.contains(region);
}

}  // namespace ibsim::mock_aws::services
