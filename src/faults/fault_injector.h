#pragma once
// FaultInjector: applies a FaultPlan. For an API call (FaultyClientFactory asks before and after
// dispatch) it decides whether the call is refused (throttled, 5xx, never arrived, region dark),
// whether its reply is lost after the service acted (kMaybeApplied), and what latency it gets. For
// a running copy (EC2's copy-step hook) it decides whether a region outage stalls or fails it and
// whether KMS faults make EC2 retry or fail it. Each rule draws from its own stream,
// rng.fork("faults.rule.<name>"), and only when a call matches it, so a seed replays exactly and
// adding a rule never moves another's draws. Rules and outages can be switched on and off while a
// run goes (scenario phases). Counters say how often each rule matched and fired.
//
//   FaultInjector faults(ctx, plan);
//   FaultInjector::Verdict v = faults.on_call({.service = Service::kEc2, .operation = "CopyImage",
//                                              .account = &acct, .region = &region});

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mock_aws/api/ids.h"
#include "mock_aws/ec2/ec2_model.h"
#include "sim/base/result.h"
#include "sim/context.h"
#include "sim/rng.h"
#include "src/faults/fault_plan.h"

namespace ibsim::faults {

class FaultInjector {
 public:
  // `plan` must pass validate().
  FaultInjector(sim::Context& ctx, FaultPlan plan);

  FaultInjector(const FaultInjector&) = delete;
  FaultInjector& operator=(const FaultInjector&) = delete;

  struct Call {
    Service service = Service::kEc2;
    std::string_view operation;               // AWS's name.
    const api::AccountId* account = nullptr;  // Null: not known (a service principal).
    const api::Region* region = nullptr;      // The endpoint's region.
  };

  struct Verdict {
    enum class Kind : uint8_t {
      kPass,       // Dispatch the call.
      kRefuse,     // Do not dispatch; answer `error`.
      kLoseReply,  // Dispatch, then answer `error` (maybe applied) instead of the reply.
    };
    Kind kind = Kind::kPass;
    sim::AwsError error;
    sim::Duration latency;  // Added by delay rules (zero when none fired).
  };

  // The fate of one API call at the current virtual time.
  Verdict on_call(const Call& call);

  // EC2's copy-step hook (Ec2Model::set_copy_step_hook).
  mock_aws::ec2::Ec2Model::CopyStepVerdict on_copy_step(
      const mock_aws::ec2::Ec2Model::CopyStepView& view);

  // Switches for scenario phases. False when no rule or outage has that name.
  bool set_rule_enabled(std::string_view name, bool enabled);
  bool set_outage_enabled(std::string_view name, bool enabled);
  // Every rule and outage at once (the quiet phase of a liveness check).
  void set_all_enabled(bool enabled);

  // True when an enabled outage makes `region` dark at `at`.
  bool region_dark(const api::Region& region, sim::Instant at) const;

  struct RuleCounters {
    uint64_t matched = 0;  // Calls (or copy steps) the rule applied to, inside its window.
    uint64_t fired = 0;
  };

  struct OutageCounters {
    uint64_t calls_refused = 0;
    uint64_t copies_stalled = 0;  // Copy steps postponed.
    uint64_t copies_failed = 0;
  };

  // Parallel to plan().rules and plan().outages.
  const std::vector<RuleCounters>& rule_counters() const { return rule_counters_; }

  const std::vector<OutageCounters>& outage_counters() const { return outage_counters_; }

  const FaultPlan& plan() const { return plan_; }

 private:
  bool matches(const FaultRule& rule,
               Service service,
               std::string_view operation,
               const api::AccountId* account,
               const api::Region* region) const;
  // Index of the first rule that fires for the call among non-delay rules, or -1.
  int first_firing_rule(const Call& call, sim::Instant now);

  sim::Context& ctx_;
  FaultPlan plan_;
  std::vector<sim::Rng> rule_rngs_;
  std::vector<RuleCounters> rule_counters_;
  std::vector<OutageCounters> outage_counters_;
  // Stall already given to each copy for outages (by image id), so a copy is postponed once per
  // outage however many steps it takes. Erased when the copy's completion proceeds or fails.
  std::unordered_map<std::string, sim::Duration> outage_stalled_;
};

// The error a service answers for a fault of `kind` (throttle or 5xx), in its own protocol's
// words: EC2 RequestLimitExceeded / InternalError, STS and IAM Throttling / InternalFailure, SSM
// ThrottlingException / InternalServerError, KMS ThrottlingException / KMSInternalException.
sim::AwsError fault_error(Service service, FaultKind kind, std::string_view rule_name);
// What a dark region's endpoint answers (503).
sim::AwsError outage_error(Service service, const RegionOutage& outage);

}  // namespace ibsim::faults
