#include "src/faults/fault_plan.h"

#include <array>
#include <set>
#include <utility>

namespace ibsim::faults {
namespace {

constexpr std::array<std::pair<FaultKind, std::string_view>, 5> kKindNames = {{
    {FaultKind::kThrottle, "throttle"},
    {FaultKind::kServerError, "5xx"},
    {FaultKind::kTimeoutAfterSend, "timeout_after_send"},
    {FaultKind::kDrop, "drop"},
    {FaultKind::kDelay, "delay"},
}};

constexpr std::array<std::pair<Service, std::string_view>, 6> kServiceNames = {{
    {Service::kAny, "*"},
    {Service::kEc2, "ec2"},
    {Service::kSts, "sts"},
    {Service::kIam, "iam"},
    {Service::kSsm, "ssm"},
    {Service::kKms, "kms"},
}};

constexpr std::array<std::pair<WorldEventKind, std::string_view>, 6> kEventNames = {{
    {WorldEventKind::kDisableKey, "disable_key"},
    {WorldEventKind::kEnableKey, "enable_key"},
    {WorldEventKind::kScheduleKeyDeletion, "schedule_key_deletion"},
    {WorldEventKind::kDeleteRole, "delete_role"},
    {WorldEventKind::kDetachRolePolicy, "detach_role_policy"},
    {WorldEventKind::kDeleteRolePolicy, "delete_role_policy"},
}};

template <typename E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) {
      return name;
    }
  }
  return "?";
}

template <typename E, std::size_t N>
std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N>& table,
                          std::string_view text) {
  for (const auto& [v, name] : table) {
    if (name == text) {
      return v;
    }
  }
  return std::nullopt;
}

sim::AwsError invalid(std::string message) {
  return sim::aws_error("InvalidParameterValue", std::move(message));
}

sim::Status check_window(const TimeWindow& w, const std::string& what) {
  if (w.start < sim::Instant::start() || w.end <= w.start) {
    return invalid(what + ": the window must start at or after 0 and end after it starts");
  }
  return sim::ok_status();
}

sim::Status check_name(const std::string& name, const std::string& what) {
  if (name.empty() || name.size() > FaultLimits::kNameBytesMax) {
    return invalid(what + ": a name of 1 to " + std::to_string(FaultLimits::kNameBytesMax)
                   + " bytes is required");
  }
  return sim::ok_status();
}

sim::Status check_rule(const FaultRule& rule) {
  const std::string what = "fault rule '" + rule.name + "'";
  if (sim::Status s = check_name(rule.name, "fault rule"); !s.ok()) {
    return s;
  }
  const sim::Ratio p = rule.probability;
  if (p.den == 0 || p.num > p.den || p.den > FaultLimits::kRatioDenominatorMax) {
    return invalid(what + ": the probability must be num/den with 0 <= num <= den <= "
                   + std::to_string(FaultLimits::kRatioDenominatorMax));
  }
  if (sim::Status s = check_window(rule.window, what); !s.ok()) {
    return s;
  }
  if (rule.kind == FaultKind::kDelay) {
    if (rule.delay <= sim::Duration::zero() || rule.delay > FaultLimits::kDelayMax) {
      return invalid(what + ": a delay rule needs a delay above 0 and at most 1h");
    }
  } else if (rule.delay != sim::Duration::zero()) {
    return invalid(what + ": only delay rules take a delay");
  }
  if (rule.match.service == Service::kKms && rule.kind == FaultKind::kTimeoutAfterSend) {
    return invalid(what
                   + ": KMS is called by EC2 inside a copy, where a lost reply is a failed call: "
                     "use 5xx");
  }
  return sim::ok_status();
}

sim::Status check_event(const WorldEvent& e, std::size_t index) {
  const std::string what =
      "world event " + std::to_string(index) + " (" + std::string(to_string(e.kind)) + ")";
  if (e.at < sim::Instant::start()) {
    return invalid(what + ": the time must not be negative");
  }
  if (e.account.str().empty()) {
    return invalid(what + ": an account is required");
  }
  switch (e.kind) {
    case WorldEventKind::kDisableKey:
    case WorldEventKind::kEnableKey:
    case WorldEventKind::kScheduleKeyDeletion:
      if (e.key.empty() || e.region.str().empty()) {
        return invalid(what + ": a key and its region are required");
      }
      if (e.kind == WorldEventKind::kScheduleKeyDeletion
          && (e.pending_window_days < 7 || e.pending_window_days > 30)) {
        return invalid(what + ": the pending window is 7 to 30 days");
      }
      return sim::ok_status();
    case WorldEventKind::kDeleteRole:
      return e.role_name.empty() ? sim::Status(invalid(what + ": a role name is required"))
                                 : sim::ok_status();
    case WorldEventKind::kDetachRolePolicy:
      return e.role_name.empty() || e.policy_arn.empty()
                 ? sim::Status(invalid(what + ": a role name and a policy ARN are required"))
                 : sim::ok_status();
    case WorldEventKind::kDeleteRolePolicy:
      return e.role_name.empty() || e.policy_name.empty()
                 ? sim::Status(invalid(what + ": a role name and a policy name are required"))
                 : sim::ok_status();
  }
  return sim::ok_status();
}

}  // namespace

std::string_view to_string(FaultKind kind) {
  return name_of(kKindNames, kind);
}

std::optional<FaultKind> parse_fault_kind(std::string_view text) {
  return value_of(kKindNames, text);
}

std::string_view to_string(Service service) {
  return name_of(kServiceNames, service);
}

std::optional<Service> parse_service(std::string_view text) {
  return value_of(kServiceNames, text);
}

std::string_view to_string(WorldEventKind kind) {
  return name_of(kEventNames, kind);
}

std::optional<WorldEventKind> parse_world_event_kind(std::string_view text) {
  return value_of(kEventNames, text);
}

sim::Status validate(const FaultPlan& plan) {
  if (plan.rules.size() > FaultLimits::kRulesMax) {
    return invalid("at most " + std::to_string(FaultLimits::kRulesMax) + " fault rules");
  }
  if (plan.outages.size() > FaultLimits::kOutagesMax) {
    return invalid("at most " + std::to_string(FaultLimits::kOutagesMax) + " region outages");
  }
  if (plan.events.size() > FaultLimits::kEventsMax) {
    return invalid("at most " + std::to_string(FaultLimits::kEventsMax) + " world events");
  }
  std::set<std::string, std::less<>> names;
  for (const FaultRule& rule : plan.rules) {
    if (sim::Status s = check_rule(rule); !s.ok()) {
      return s;
    }
    if (!names.insert(rule.name).second) {
      return invalid("fault rule '" + rule.name + "' is named twice");
    }
  }
  for (const RegionOutage& outage : plan.outages) {
    const std::string what = "outage of " + outage.region.str();
    if (outage.region.str().empty()) {
      return invalid("a region outage needs a region");
    }
    if (sim::Status s = check_window(outage.window, what); !s.ok()) {
      return s;
    }
    if (outage.window.end == sim::Instant::max()) {
      return invalid(what + ": an outage must end (give the window's end)");
    }
  }
  for (std::size_t i = 0; i < plan.events.size(); ++i) {
    if (sim::Status s = check_event(plan.events[i], i); !s.ok()) {
      return s;
    }
  }
  if (plan.kms_retry_delay < sim::Duration::zero()
      || plan.kms_retry_delay > FaultLimits::kKmsRetryDelayMax) {
    return invalid("kms_retry_delay must be between 0 and 1h");
  }
  if (plan.kms_attempts_max < 1 || plan.kms_attempts_max > FaultLimits::kKmsAttemptsMax) {
    return invalid("kms_attempts_max must be between 1 and "
                   + std::to_string(FaultLimits::kKmsAttemptsMax));
  }
  return sim::ok_status();
}

std::optional<sim::Ratio> parse_ratio(std::string_view text) {
  auto digits = [](std::string_view s, uint64_t* out) {
    if (s.empty() || s.size() > 10) {
      return false;
    }
    uint64_t v = 0;
    for (const char c : s) {
      if (c < '0' || c > '9') {
        return false;
      }
      v = v * 10 + static_cast<uint64_t>(c - '0');
    }
    *out = v;
    return true;
  };
  sim::Ratio r;
  if (const std::size_t slash = text.find('/'); slash != std::string_view::npos) {
    if (!digits(text.substr(0, slash), &r.num) || !digits(text.substr(slash + 1), &r.den)) {
      return std::nullopt;
    }
  } else if (const std::size_t dot = text.find('.'); dot != std::string_view::npos) {
    // A decimal fraction: "0.05" is 5/100, exactly.
    const std::string_view whole = text.substr(0, dot);
    const std::string_view frac = text.substr(dot + 1);
    uint64_t w = 0;
    uint64_t f = 0;
    if (!digits(whole, &w) || !digits(frac, &f) || frac.size() > 9) {
      return std::nullopt;
    }
    r.den = 1;
    for (std::size_t i = 0; i < frac.size(); ++i) {
      r.den *= 10;
    }
    r.num = w * r.den + f;
  } else {
    if (!digits(text, &r.num)) {
      return std::nullopt;
    }
    r.den = 1;
  }
  if (r.den == 0 || r.num > r.den || r.den > FaultLimits::kRatioDenominatorMax) {
    return std::nullopt;
  }
  return r;
}

std::string format_ratio(sim::Ratio ratio) {
  return std::to_string(ratio.num) + "/" + std::to_string(ratio.den);
}

std::optional<sim::Duration> parse_duration(std::string_view text) {
  return sim::parse_duration(text, kDurationMax);
}

std::string format_duration(sim::Duration d) {
  int64_t ms = d.ms();
  if (ms == 0) {
    return "0s";
  }
  std::string out;
  if (ms < 0) {
    out = "-";
    ms = -ms;
  }
  const int64_t days = ms / 86'400'000;
  const int64_t hours = ms / 3'600'000 % 24;
  const int64_t minutes = ms / 60'000 % 60;
  const int64_t seconds = ms / 1000 % 60;
  const int64_t millis = ms % 1000;
  if (days > 0) {
    out += std::to_string(days) + "d";
  }
  if (hours > 0) {
    out += std::to_string(hours) + "h";
  }
  if (minutes > 0) {
    out += std::to_string(minutes) + "m";
  }
  if (seconds > 0) {
    out += std::to_string(seconds) + "s";
  }
  if (millis > 0) {
    out += std::to_string(millis) + "ms";
  }
  return out;
}

}  // namespace ibsim::faults
