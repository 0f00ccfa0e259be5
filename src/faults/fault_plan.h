#pragma once
// FaultPlan: the faults of a run, as plain data (STYLE-ANCHORS §2.7: faults are data first).
// Rules make calls fail — throttling, 5xx, a request that never arrives, a reply lost after the
// service acted, added latency — with a probability drawn from the rule's own seeded stream, inside
// a window of virtual time; outages make a region dark for a window (its API answers 503, copies
// into or out of it stall or fail); world events change the world at a virtual time through the
// models' own API (a key disabled, a role deleted, a policy detached). FaultInjector
// (fault_injector.h) applies a plan; fault_plan_json.h reads one from JSON.
//
//   FaultPlan plan;
//   plan.rules.push_back({.name = "ec2-throttle", .match = {.service = Service::kEc2},
//                         .kind = FaultKind::kThrottle, .probability = {1, 20}});

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock_aws/api/ids.h"
#include "sim/base/result.h"
#include "sim/rng.h"
#include "sim/time.h"

namespace ibsim::faults {

namespace api = mock_aws::api;

struct FaultLimits {
  static constexpr std::size_t kRulesMax = 1'000;
  static constexpr std::size_t kOutagesMax = 1'000;
  static constexpr std::size_t kEventsMax = 100'000;
  static constexpr std::size_t kNameBytesMax = 128;
  // Probabilities are num/den with den at most this (so every draw is exact integer arithmetic).
  static constexpr uint64_t kRatioDenominatorMax = 1'000'000'000;
  // The longest latency a delay rule adds to one call.
  static constexpr sim::Duration kDelayMax = sim::Duration::hours(1);
  // How long EC2 waits before it retries a KMS call that failed inside a copy, and how often.
  static constexpr sim::Duration kKmsRetryDelayMax = sim::Duration::hours(1);
  static constexpr uint32_t kKmsAttemptsMax = 100;
};

// What a rule does to a call it hits.
enum class FaultKind : uint8_t {
  kThrottle,          // Refused before dispatch with the service's throttling error.
  kServerError,       // Refused before dispatch with the service's 500 (InternalError & co).
  kTimeoutAfterSend,  // The service ran the call; the reply is lost (kMaybeApplied).
  kDrop,              // The request never arrived (kNotSent).
  kDelay,             // The call runs; its answer arrives `delay` later.
};

std::string_view to_string(FaultKind kind);  // "throttle", "5xx", "timeout_after_send", ...
std::optional<FaultKind> parse_fault_kind(std::string_view text);

// The services a rule can match. KMS is only called by EC2 inside a copy (EBS's envelope calls),
// so KMS rules act on copies (see FaultInjector::copy_step).
enum class Service : uint8_t { kAny, kEc2, kSts, kIam, kSsm, kKms };

std::string_view to_string(Service service);  // "*", "ec2", "sts", "iam", "ssm", "kms"
std::optional<Service> parse_service(std::string_view text);

// [start, end) in virtual time since the run began.
struct TimeWindow {
  sim::Instant start = sim::Instant::start();
  sim::Instant end = sim::Instant::max();

  bool contains(sim::Instant t) const { return t >= start && t < end; }
};

struct FaultMatch {
  Service service = Service::kAny;
  std::string operation;  // AWS's name ("CopyImage", "AssumeRole"); empty or "*": any.
  // The account the call acts in: the caller's (for AssumeRole, the role's account: the target
  // account whose role is assumed). Unset: any.
  std::optional<api::AccountId> account;
  std::optional<api::Region> region;  // The endpoint's region. Unset: any.
};

struct FaultRule {
  // Unique in the plan; names the rule's random stream ("faults.rule.<name>") and its counters,
  // so adding a rule never changes another rule's draws.
  std::string name;
  FaultMatch match;
  FaultKind kind = FaultKind::kThrottle;
  sim::Ratio probability{1, 1};  // Of each matching call.
  TimeWindow window;
  sim::Duration delay;              // kDelay: the latency added.
  uint64_t fires_max = UINT64_MAX;  // The rule stops after firing this often.
  bool enabled = true;              // Scenario steps switch rules on and off.
};

// What a region outage does to copies that involve the region (as source or destination).
enum class OutageCopies : uint8_t {
  kStall,  // Copies make no progress while the region is dark and resume where they were.
  kFail,   // A copy running into the outage fails ("Copy image failed with an internal error").
};

struct RegionOutage {
  std::string name;  // For reports; defaults to "outage.<region>".
  api::Region region;
  TimeWindow window;
  OutageCopies copies = OutageCopies::kStall;
  bool enabled = true;
};

enum class WorldEventKind : uint8_t {
  kDisableKey,           // kms:DisableKey as the key's account root
  kEnableKey,            // kms:EnableKey
  kScheduleKeyDeletion,  // kms:ScheduleKeyDeletion (pending_window_days)
  kDeleteRole,           // iam: the role's policies detached/deleted, then DeleteRole
  kDetachRolePolicy,     // iam:DetachRolePolicy
  kDeleteRolePolicy,     // iam:DeleteRolePolicy (an inline policy)
};

std::string_view to_string(WorldEventKind kind);  // "disable_key", "delete_role", ...
std::optional<WorldEventKind> parse_world_event_kind(std::string_view text);

struct WorldEvent {
  sim::Instant at;
  WorldEventKind kind = WorldEventKind::kDisableKey;
  api::AccountId account;  // Whose key or role.
  api::Region region;      // Key events: the key's region.
  std::string key;         // Key id, key ARN or alias name ("alias/x").
  std::string role_name;
  std::string policy_arn;   // kDetachRolePolicy
  std::string policy_name;  // kDeleteRolePolicy
  int32_t pending_window_days = 7;
};

struct FaultPlan {
  std::vector<FaultRule> rules;
  std::vector<RegionOutage> outages;
  std::vector<WorldEvent> events;
  // How EC2 reacts to a KMS fault inside a copy.
  // Unconfirmed: EBS retries a throttled or failed KMS call itself; ibsim waits kms_retry_delay
  // and retries, at most kms_attempts_max attempts, then fails the copy ("Copy image failed with
  // an internal error").
  sim::Duration kms_retry_delay = sim::Duration::seconds(30);
  uint32_t kms_attempts_max = 5;

  bool empty() const { return rules.empty() && outages.empty() && events.empty(); }
};

// InvalidParameterValue naming the first problem (duplicate rule names, a probability above 1, an
// empty window, a delay rule without a delay, an event without its key or role, ...).
sim::Status validate(const FaultPlan& plan);

// "1/20" -> {1, 20}; "0.05" -> {5, 100}; "1" -> {1, 1}; "0" -> {0, 1}. nullopt when malformed or
// above 1.
std::optional<sim::Ratio> parse_ratio(std::string_view text);
std::string format_ratio(sim::Ratio ratio);

// "30m", "1h30m", "2d", "45s", "500ms" -> Duration (the scenario files' duration syntax); nullopt
// when malformed or longer than kDurationMax.
inline constexpr sim::Duration kDurationMax = sim::Duration::days(3650);
std::optional<sim::Duration> parse_duration(std::string_view text);
std::string format_duration(sim::Duration d);

}  // namespace ibsim::faults
