#pragma once
// FaultLayer: a fault plan installed on a world in one object — the injector, the client
// decorator the engine talks through, EC2's copy-step hook (outages and KMS faults on running
// copies) and the scheduled world events. Destroying it removes the hook and cancels the events
// that have not run. The load tester (src/load) and scenario runs use it the same way.
//
//   FaultLayer faults(world, direct_clients, plan);
//   DistributionEngine engine(ctx, faults.clients(), {});
//   faults.injector().set_all_enabled(false);   // a quiet phase

#include "mock_aws/services/world.h"
#include "src/client/clients.h"
#include "src/faults/fault_injector.h"
#include "src/faults/fault_plan.h"
#include "src/faults/faulty_clients.h"
#include "src/faults/world_events.h"

namespace ibsim::faults {

class FaultLayer {
 public:
  // `plan` must pass validate(); `world` and `inner` outlive the layer.
  FaultLayer(mock_aws::services::World& world, client::ClientFactory& inner, FaultPlan plan);
  ~FaultLayer();

  FaultLayer(const FaultLayer&) = delete;
  FaultLayer& operator=(const FaultLayer&) = delete;

  // The factory to give the engine: every call passes the injector.
  FaultyClientFactory& clients() { return clients_; }

  FaultInjector& injector() { return injector_; }

  const FaultInjector& injector() const { return injector_; }

  const WorldEventRunner& world_events() const { return events_; }

 private:
  mock_aws::services::World& world_;
  FaultInjector injector_;
  FaultyClientFactory clients_;
  WorldEventRunner events_;
};

}  // namespace ibsim::faults
