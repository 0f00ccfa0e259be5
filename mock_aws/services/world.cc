#include "mock_aws/services/world.h"

#include "mock_aws/api/regions.h"
#include "mock_aws/imagebuilder/managed_catalogue.h"
#include "sim/base/assert.h"

namespace ibsim::mock_aws::services {

World::World(sim::Context& ctx, Options options)
    : ctx_(ctx),
      iam_(ctx, options.iam),
      sessions_(options.sts_sessions_max),
      authorizer_(iam_, sessions_),
      messages_(ctx.rng()),
      sts_(ctx, iam_, authorizer_, sessions_, messages_),
      kms_(ctx, authorizer_, std::move(options.kms)),
      ec2_(ctx, authorizer_, kms_, std::move(options.ec2)),
      ssm_(ctx, authorizer_, std::move(options.ssm)),
      imagebuilder_(ctx, authorizer_, workflow_, std::move(options.imagebuilder)) {
  iam_.set_authorizer(authorizer_);
  imagebuilder_.set_parameter_lookup([this](const api::AccountId& account,
                                            const api::Region& region,
                                            std::string_view name) -> std::optional<std::string> {
    const auto parameter = ssm_.find_parameter(account, region, name);
    if (!parameter.has_value() || !parameter->value.has_value()) {
      return std::nullopt;
    }
    return *parameter->value;
  });
  for (const api::RegionInfo& r : api::all_regions()) {
    regions_.insert(api::Region::from_known(r.name));
    seed_catalogue(api::Region::from_known(r.name));
  }
}

void World::seed_catalogue(const api::Region& region) {
  if (!catalogue_regions_.insert(region).second) {
    return;
  }
  const api::AccountId amazon = api::AccountId::from_valid(imagebuilder::kManagedAmiOwnerAccount);
  for (const imagebuilder::ManagedImageAmi& ami : imagebuilder::managed_image_amis(region)) {
    ec2::Ec2Model::SeedImage seed;
    seed.owner = amazon;
    seed.region = region;
    seed.name = ami.ami_name;
    seed.image_id = ami.ami_id;
    seed.description = std::string(ami.info->description);
    seed.architecture = std::string(ami.info->architecture);
    seed.virtualization_type = std::string(ami.info->virtualization_type);
    seed.root_device_name = std::string(ami.info->root_device_name);
    seed.block_devices = {
        ec2::Ec2Model::SeedBlockDevice{.device_name = std::string(ami.info->root_device_name),
                                       .volume_size_gib = ami.info->snapshot_size_gib}};
    seed.amazon_owned = true;
    const auto seeded = ec2_.seed_public_image(std::move(seed));
    IBSIM_ASSERT(seeded.ok(), "the managed catalogue's AMIs are valid public images");
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

void WorkflowProxy::build(const api::imagebuilder::BuildPlan& plan,
                          std::function<void(api::imagebuilder::BuildResult)> done) {
  if (target_ == nullptr) {
    api::imagebuilder::BuildResult r;
    r.reason = "ibsim: no distribution engine is connected to this world";
    done(std::move(r));
    return;
  }
  target_->build(plan, std::move(done));
}

void WorkflowProxy::distribute(const api::imagebuilder::DistributionPlan& plan,
                               std::function<void(api::imagebuilder::DistributionResult)> done) {
  if (target_ == nullptr) {
    api::imagebuilder::DistributionResult r;
    r.reason = "ibsim: no distribution engine is connected to this world";
    done(std::move(r));
    return;
  }
  target_->distribute(plan, std::move(done));
}

void WorkflowProxy::cancel(std::string_view image_arn) {
  if (target_ != nullptr) {
    target_->cancel(image_arn);
  }
}

bool World::has_region(const api::Region& region) const {
  return regions_.contains(region);
}

}  // namespace ibsim::mock_aws::services
