#pragma once
// WorldEventRunner: the scheduled world events of a fault plan — a key disabled at T, a role
// deleted at T, a policy detached at T — run at their virtual time through the models' own API as
// the owning account's root (DisableKey, DeleteRole, DetachRolePolicy, ...), so everything a real
// administrator's change triggers follows: denials in the copies and AssumeRoles that come after,
// and IAM's generation bump that makes the direct transport re-authenticate. Each outcome (the
// model's error if it refused) is kept for reports and traced as `faults.world_event`.
//
//   WorldEventRunner events(world, plan.events);   // schedules them
//   world.context().scheduler().run();
//   for (const auto& o : events.outcomes()) ...

#include <vector>

#include "mock_aws/services/world.h"
#include "sim/base/result.h"
#include "sim/scheduler.h"
#include "src/faults/fault_plan.h"

namespace ibsim::faults {

class WorldEventRunner {
 public:
  struct Outcome {
    WorldEvent event;
    sim::Status status;
  };

  // Schedules every event (at its time, or now if that has passed). `world` outlives the runner.
  WorldEventRunner(mock_aws::services::World& world, std::vector<WorldEvent> events);
  // Cancels the events that have not run.
  ~WorldEventRunner();

  WorldEventRunner(const WorldEventRunner&) = delete;
  WorldEventRunner& operator=(const WorldEventRunner&) = delete;

  // In the order the events ran.
  const std::vector<Outcome>& outcomes() const { return outcomes_; }

  // Applies one event now, through the models' API as the account's root.
  static sim::Status apply(mock_aws::services::World& world, const WorldEvent& event);

 private:
  void run(std::size_t index);

  mock_aws::services::World& world_;
  std::vector<WorldEvent> events_;
  std::vector<sim::EventId> scheduled_;
  std::vector<Outcome> outcomes_;
};

}  // namespace ibsim::faults
