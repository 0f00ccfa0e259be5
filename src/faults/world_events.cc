#include "src/faults/world_events.h"

#include <string>
#include <utility>

#include "mock_aws/api/arn.h"
#include "mock_aws/api/call_context.h"
#include "mock_aws/api/principal.h"

namespace ibsim::faults {
namespace {

namespace api = mock_aws::api;

// IAM's calls sign for us-east-1 (a global service).
constexpr std::string_view kIamRegion = "us-east-1";
// Bound on the list calls made while deleting a role (a role has at most 20 managed policies and
// a few inline ones; pages of 100 make this generous).
constexpr int kListPagesMax = 100;

api::CallContext root_call(mock_aws::services::World& world,
                           const api::AccountId& account,
                           const api::Region& region) {
  api::CallContext call;
  call.principal = api::Principal::root(account);
  call.region = region;
  call.request_id = "ibsim-world-event";
  call.access_key_id = account.str();
  call.request_unix_ms = world.context().unix_ms();
  return call;
}

// A key id, key ARN or alias name of (account, region) as the key's ARN; DisableKey and friends
// take only ids and ARNs, so aliases are resolved here.
sim::Result<std::string> key_arn(mock_aws::services::World& world, const WorldEvent& e) {
  if (e.key.starts_with("arn:")) {
    return e.key;
  }
  if (e.key.starts_with("alias/")) {
    std::optional<std::string> target = world.kms().find_alias_target(e.account, e.region, e.key);
    if (!target.has_value()) {
      return sim::aws_error(
          "NotFoundException",
          "Alias " + e.key + " is not found in " + e.account.str() + " " + e.region.str() + ".");
    }
    return *target;
  }
  return api::kms_key_arn(e.region, e.account, e.key);
}

template <typename T>
sim::Status status_of(const sim::Result<T>& r) {
  return r.ok() ? sim::ok_status() : sim::Status(r.error());
}

sim::Status delete_role(mock_aws::services::World& world, const WorldEvent& e) {
  mock_aws::iam::IamModel& iam = world.iam();
  const api::CallContext call = root_call(world, e.account, api::Region::from_known(kIamRegion));
  // As the console does: detach the managed policies and delete the inline ones, then the role.
  for (int page = 0; page < kListPagesMax; ++page) {
    auto attached = iam.list_attached_role_policies(call, {.role_name = e.role_name});
    if (!attached.ok()) {
      return attached.error();
    }
    if (attached->attached_policies.empty()) {
      break;
    }
    for (const api::iam::AttachedPolicy& p : attached->attached_policies) {
      if (sim::Status s = status_of(
              iam.detach_role_policy(call, {.role_name = e.role_name, .policy_arn = p.policy_arn}));
          !s.ok()) {
        return s;
      }
    }
  }
  for (int page = 0; page < kListPagesMax; ++page) {
    auto inline_policies = iam.list_role_policies(call, {.role_name = e.role_name});
    if (!inline_policies.ok()) {
      return inline_policies.error();
    }
    if (inline_policies->policy_names.empty()) {
      break;
    }
    for (const std::string& name : inline_policies->policy_names) {
      if (sim::Status s = status_of(
              iam.delete_role_policy(call, {.role_name = e.role_name, .policy_name = name}));
          !s.ok()) {
        return s;
      }
    }
  }
  return status_of(iam.delete_role(call, {.role_name = e.role_name}));
}

}  // namespace

WorldEventRunner::WorldEventRunner(mock_aws::services::World& world, std::vector<WorldEvent> events)
    : world_(world), events_(std::move(events)) {
  sim::Scheduler& scheduler = world_.context().scheduler();
  scheduled_.reserve(events_.size());
  for (std::size_t i = 0; i < events_.size(); ++i) {
    const sim::Instant at = std::max(events_[i].at, scheduler.now());
    scheduled_.push_back(scheduler.schedule_at(at, [this, i] { run(i); }));
  }
}

WorldEventRunner::~WorldEventRunner() {
  sim::Scheduler& scheduler = world_.context().scheduler();
  for (const sim::EventId& id : scheduled_) {
    scheduler.cancel(id);  // False for the events that ran: harmless.
  }
}

void WorldEventRunner::run(std::size_t index) {
  const WorldEvent& e = events_[index];
  sim::Status status = apply(world_, e);
  world_.context().emit(
      "faults.world_event",
      {{"kind", to_string(e.kind)},
       {"account", e.account.str()},
       {"region", e.region.str()},
       {"target", !e.key.empty() ? std::string_view(e.key) : std::string_view(e.role_name)},
       {"code", status.ok() ? std::string_view() : std::string_view(status.error().code)}});
  outcomes_.push_back(Outcome{e, std::move(status)});
}

sim::Status WorldEventRunner::apply(mock_aws::services::World& world, const WorldEvent& e) {
  switch (e.kind) {
    case WorldEventKind::kDisableKey:
    case WorldEventKind::kEnableKey:
    case WorldEventKind::kScheduleKeyDeletion: {
      sim::Result<std::string> arn = key_arn(world, e);
      if (!arn.ok()) {
        return arn.error();
      }
      const api::CallContext call = root_call(world, e.account, e.region);
      mock_aws::kms::KmsModel& kms = world.kms();
      if (e.kind == WorldEventKind::kDisableKey) {
        return status_of(kms.disable_key(call, {.key_id = *arn}));
      }
      if (e.kind == WorldEventKind::kEnableKey) {
        return status_of(kms.enable_key(call, {.key_id = *arn}));
      }
      return status_of(kms.schedule_key_deletion(
          call, {.key_id = *arn, .pending_window_in_days = e.pending_window_days}));
    }
    case WorldEventKind::kDeleteRole:
      return delete_role(world, e);
    case WorldEventKind::kDetachRolePolicy: {
      const api::CallContext call =
          root_call(world, e.account, api::Region::from_known(kIamRegion));
      return status_of(world.iam().detach_role_policy(
          call, {.role_name = e.role_name, .policy_arn = e.policy_arn}));
    }
    case WorldEventKind::kDeleteRolePolicy: {
      const api::CallContext call =
          root_call(world, e.account, api::Region::from_known(kIamRegion));
      return status_of(world.iam().delete_role_policy(
          call, {.role_name = e.role_name, .policy_name = e.policy_name}));
    }
  }
  return sim::ok_status();
}

}  // namespace ibsim::faults
