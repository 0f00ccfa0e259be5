#pragma once
// FaultWorld: a small generated world (src/load's builder: an owner with a key per region, target
// accounts with the cross-account role, source images) with a fault plan installed between the
// distribution engine and the direct transport — the same composition `ibsim load` uses — for
// end-to-end fault tests.
//
//   FaultWorld w({.accounts = 2, .regions = 2}, plan);
//   ib::DistributionResult r = w.distribute(0);

#include <memory>
#include <optional>
#include <vector>

#include "mock_aws/api/imagebuilder_workflow.h"
#include "mock_aws/services/world.h"
#include "sim/context.h"
#include "src/engine/distribution_engine.h"
#include "src/faults/fault_layer.h"
#include "src/load/profile.h"
#include "src/load/workload.h"
#include "src/scenario/direct_clients.h"

namespace ibsim::faults::testing {

namespace ib = mock_aws::api::imagebuilder;

struct WorldSize {
  uint32_t accounts = 2;
  uint32_t regions = 2;
  uint32_t images = 1;
  bool encrypted = true;
  uint64_t seed = 7;
  engine::EngineOptions engine;
};

class FaultWorld {
 public:
  FaultWorld(WorldSize size, FaultPlan plan);
  ~FaultWorld();

  // Distributes image `index` now and runs until every event is done.
  ib::DistributionResult distribute(std::size_t index);

  // Images `account` owns in `region` (its copies; the owner's source images included).
  std::size_t images_of(const api::AccountId& account, const api::Region& region);

  load::LoadProfile profile;
  sim::Context ctx;
  mock_aws::services::World world;
  load::Workload workload;
  scenario::DirectClientFactory direct;
  std::unique_ptr<FaultLayer> faults;
  std::unique_ptr<engine::DistributionEngine> engine;
};

}  // namespace ibsim::faults::testing
