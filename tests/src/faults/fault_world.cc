#include "tests/src/faults/fault_world.h"

#include <catch2/catch.hpp>

namespace ibsim::faults::testing {
namespace {

load::LoadProfile profile_of(const WorldSize& size) {
  load::LoadProfile p;
  p.accounts = size.accounts;
  p.region_count = size.regions;
  p.images = size.images;
  p.encrypted_share = size.encrypted ? sim::Ratio{1, 1} : sim::Ratio{0, 1};
  p.seed = size.seed;
  return p;
}

}  // namespace

FaultWorld::FaultWorld(WorldSize size, FaultPlan plan)
    : profile(profile_of(size)),
      ctx({.seed = size.seed, .trace = {.record = true}}),
      world(ctx, load::world_options(profile, *load::resolve_regions(profile))),
      direct(world) {
  sim::Result<load::Workload> built =
      load::build_workload(world, profile, *load::resolve_regions(profile));
  INFO((built.ok() ? std::string() : built.error().message));
  REQUIRE(built.ok());
  workload = std::move(built).value();
  REQUIRE(validate(plan).ok());
  faults = std::make_unique<FaultLayer>(world, direct, std::move(plan));
  engine = std::make_unique<engine::DistributionEngine>(ctx, faults->clients(), size.engine);
}

FaultWorld::~FaultWorld() {
  engine.reset();
  faults.reset();
}

ib::DistributionResult FaultWorld::distribute(std::size_t index) {
  std::optional<ib::DistributionResult> result;
  engine->distribute(workload.images.at(index).plan,
                     [&](ib::DistributionResult r) { result = std::move(r); });
  ctx.scheduler().run();
  REQUIRE(result.has_value());
  return *result;
}

std::size_t FaultWorld::images_of(const api::AccountId& account, const api::Region& region) {
  std::size_t n = 0;
  world.ec2().for_each_image(region, [&](const mock_aws::ec2::ImageRecord& image) {
    if (image.owner == account) {
      ++n;
    }
  });
  return n;
}

}  // namespace ibsim::faults::testing
