#include "src/faults/fault_plan_json.h"

#include <set>
#include <utility>
#include <vector>

#include "mock_aws/api/regions.h"

namespace ibsim::faults {
namespace {

using Json = nlohmann::json;

// Error code of every input problem, as the scenario and profile readers use.
constexpr std::string_view kInvalidInputCode = "InvalidInput";

sim::AwsError input_error(std::string_view path, std::string_view message) {
  return sim::aws_error(std::string(kInvalidInputCode),
                        std::string(path) + ": " + std::string(message));
}

std::string describe(const Json& v) {
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    if (s.size() > 40) {
      s = s.substr(0, 37) + "...";
    }
    return "the string \"" + s + "\"";
  }
  if (v.is_object()) {
    return "an object";
  }
  if (v.is_array()) {
    return "an array";
  }
  if (v.is_null()) {
    return "null";
  }
  if (v.is_boolean()) {
    return v.get<bool>() ? "true" : "false";
  }
  return "the number " + v.dump();
}

// A strict view of one JSON object: every read names its path; finish() rejects unread keys.
class Reader {
 public:
  Reader(const Json& node, std::string path) : node_(node), path_(std::move(path)) {
    if (!node_.is_object()) {
      fail_at(path_, "expected an object, got " + describe(node_));
    }
  }

  bool ok() const { return !error_.has_value(); }

  std::string child(std::string_view key) const { return path_ + "." + std::string(key); }

  const Json* get(std::string_view key) {
    if (!ok()) {
      return nullptr;
    }
    read_.insert(std::string(key));
    const auto it = node_.find(key);
    if (it == node_.end() || it->is_null()) {
      return nullptr;
    }
    return &*it;
  }

  std::optional<std::string> string(std::string_view key, bool required) {
    const Json* v = get(key);
    if (v == nullptr) {
      if (required && ok()) {
        fail_at(child(key), "is required");
      }
      return std::nullopt;
    }
    if (!v->is_string()) {
      fail_at(child(key), "expected a string, got " + describe(*v));
      return std::nullopt;
    }
    return v->get<std::string>();
  }

  std::optional<sim::Duration> duration(std::string_view key, bool required) {
    const std::optional<std::string> text = string(key, required);
    if (!text.has_value()) {
      return std::nullopt;
    }
    std::optional<sim::Duration> d = parse_duration(*text);
    if (!d.has_value()) {
      fail_at(child(key),
              "expected a duration such as \"30m\", \"1h30m\", \"45s\" or \"500ms\", got \"" + *text
                  + "\"");
    }
    return d;
  }

  std::optional<int64_t> integer(std::string_view key, int64_t min, int64_t max) {
    const Json* v = get(key);
    if (v == nullptr) {
      return std::nullopt;
    }
    if (!v->is_number_integer() || v->get<int64_t>() < min || v->get<int64_t>() > max) {
      fail_at(child(key),
              "expected an integer from " + std::to_string(min) + " to " + std::to_string(max)
                  + ", got " + describe(*v));
      return std::nullopt;
    }
    return v->get<int64_t>();
  }

  std::optional<bool> boolean(std::string_view key) {
    const Json* v = get(key);
    if (v == nullptr) {
      return std::nullopt;
    }
    if (!v->is_boolean()) {
      fail_at(child(key), "expected true or false, got " + describe(*v));
      return std::nullopt;
    }
    return v->get<bool>();
  }

  void fail_at(const std::string& path, std::string message) {
    if (!error_.has_value()) {
      error_ = input_error(path, message);
    }
  }

  sim::Status finish() {
    if (error_.has_value()) {
      return *error_;
    }
    for (auto it = node_.begin(); it != node_.end(); ++it) {
      if (read_.count(it.key()) == 0) {
        return input_error(child(it.key()), "unknown key (check the spelling)");
      }
    }
    return sim::ok_status();
  }

 private:
  const Json& node_;
  std::string path_;
  std::set<std::string, std::less<>> read_;
  std::optional<sim::AwsError> error_;
};

struct Context {
  const FaultPlanReadOptions& options;
};

std::optional<api::AccountId> account(Reader& r,
                                      std::string_view key,
                                      bool required,
                                      const Context& c) {
  const std::optional<std::string> text = r.string(key, required);
  if (!text.has_value()) {
    return std::nullopt;
  }
  if (api::AccountId::is_valid(*text)) {
    return api::AccountId::from_valid(*text);
  }
  if (c.options.account_alias) {
    if (std::optional<api::AccountId> a = c.options.account_alias(*text)) {
      return a;
    }
  }
  r.fail_at(r.child(key), "expected a 12-digit account id, got \"" + *text + "\"");
  return std::nullopt;
}

std::optional<api::Region> region(Reader& r, std::string_view key, bool required) {
  const std::optional<std::string> text = r.string(key, required);
  if (!text.has_value()) {
    return std::nullopt;
  }
  if (api::find_region(*text) == nullptr) {
    r.fail_at(r.child(key), "'" + *text + "' is not a region of partition aws (e.g. us-east-1)");
    return std::nullopt;
  }
  return api::Region::from_known(*text);
}

std::optional<TimeWindow> window(Reader& r, std::string_view key, bool required) {
  const Json* v = r.get(key);
  if (v == nullptr) {
    if (required && r.ok()) {
      r.fail_at(r.child(key), "is required");
    }
    return std::nullopt;
  }
  const std::string path = r.child(key);
  if (!v->is_array() || v->size() != 2 || !(*v)[0].is_string() || !(*v)[1].is_string()) {
    r.fail_at(
        path,
        "expected [start, end], two durations such as [\"30m\", \"2h\"], got " + describe(*v));
    return std::nullopt;
  }
  const std::optional<sim::Duration> start = parse_duration((*v)[0].get<std::string>());
  const std::optional<sim::Duration> end = parse_duration((*v)[1].get<std::string>());
  if (!start.has_value() || !end.has_value()) {
    r.fail_at(path, "expected durations such as \"30m\" or \"1h30m\"");
    return std::nullopt;
  }
  if (*end <= *start) {
    r.fail_at(path, "the window must end after it starts");
    return std::nullopt;
  }
  return TimeWindow{.start = sim::Instant::start() + *start, .end = sim::Instant::start() + *end};
}

std::optional<sim::Ratio> probability(Reader& r, std::string_view key) {
  const Json* v = r.get(key);
  if (v == nullptr) {
    return std::nullopt;
  }
  std::optional<sim::Ratio> p;
  if (v->is_string()) {
    p = parse_ratio(v->get<std::string>());
  } else if (v->is_number()) {
    p = parse_ratio(v->dump());
  }
  if (!p.has_value()) {
    r.fail_at(r.child(key),
              "expected a probability such as \"1/20\", \"0.05\" or 0.05 (at most 1), got "
                  + describe(*v));
  }
  return p;
}

sim::Status read_rule(const Json& node, const std::string& path, const Context& c, FaultRule& out) {
  Reader r(node, path);
  if (std::optional<std::string> name = r.string("name", true)) {
    out.name = *name;
  }
  if (const Json* m = r.get("match")) {
    Reader mr(*m, r.child("match"));
    if (std::optional<std::string> s = mr.string("service", false)) {
      std::optional<Service> service = parse_service(*s);
      if (!service.has_value()) {
        mr.fail_at(mr.child("service"),
                   "expected one of \"ec2\", \"sts\", \"iam\", \"ssm\", \"kms\", \"*\", got \"" + *s
                       + "\"");
      } else {
        out.match.service = *service;
      }
    }
    if (std::optional<std::string> op = mr.string("operation", false)) {
      out.match.operation = *op;
    }
    out.match.account = account(mr, "account", false, c);
    out.match.region = region(mr, "region", false);
    if (sim::Status s = mr.finish(); !s.ok()) {
      return s;
    }
  }
  if (std::optional<std::string> kind = r.string("kind", true)) {
    std::optional<FaultKind> k = parse_fault_kind(*kind);
    if (!k.has_value()) {
      r.fail_at(r.child("kind"),
                "expected one of \"throttle\", \"5xx\", \"timeout_after_send\", \"drop\", "
                "\"delay\", got \""
                    + *kind + "\"");
    } else {
      out.kind = *k;
    }
  }
  if (std::optional<sim::Ratio> p = probability(r, "probability")) {
    out.probability = *p;
  }
  if (std::optional<TimeWindow> w = window(r, "window", false)) {
    out.window = *w;
  }
  if (std::optional<sim::Duration> d = r.duration("delay", false)) {
    out.delay = *d;
  }
  if (std::optional<int64_t> n = r.integer("fires_max", 0, INT64_MAX)) {
    out.fires_max = static_cast<uint64_t>(*n);
  }
  if (std::optional<bool> e = r.boolean("enabled")) {
    out.enabled = *e;
  }
  return r.finish();
}

sim::Status read_outage(const Json& node, const std::string& path, RegionOutage& out) {
  Reader r(node, path);
  if (std::optional<std::string> name = r.string("name", false)) {
    out.name = *name;
  }
  if (std::optional<api::Region> reg = region(r, "region", true)) {
    out.region = *reg;
  }
  if (std::optional<TimeWindow> w = window(r, "window", true)) {
    out.window = *w;
  }
  if (std::optional<std::string> copies = r.string("copies", false)) {
    if (*copies == "stall") {
      out.copies = OutageCopies::kStall;
    } else if (*copies == "fail") {
      out.copies = OutageCopies::kFail;
    } else {
      r.fail_at(r.child("copies"), "expected \"stall\" or \"fail\", got \"" + *copies + "\"");
    }
  }
  return r.finish();
}

sim::Status read_event(const Json& node,
                       const std::string& path,
                       const Context& c,
                       WorldEvent& out) {
  Reader r(node, path);
  if (std::optional<sim::Duration> at = r.duration("at", true)) {
    out.at = sim::Instant::start() + *at;
  }
  if (std::optional<std::string> kind = r.string("kind", true)) {
    std::optional<WorldEventKind> k = parse_world_event_kind(*kind);
    if (!k.has_value()) {
      r.fail_at(r.child("kind"),
                "expected one of \"disable_key\", \"enable_key\", \"schedule_key_deletion\", "
                "\"delete_role\", \"detach_role_policy\", \"delete_role_policy\", got \""
                    + *kind + "\"");
    } else {
      out.kind = *k;
    }
  }
  if (std::optional<api::AccountId> a = account(r, "account", true, c)) {
    out.account = *a;
  }
  if (!r.ok()) {
    return r.finish();
  }
  switch (out.kind) {
    case WorldEventKind::kDisableKey:
    case WorldEventKind::kEnableKey:
    case WorldEventKind::kScheduleKeyDeletion:
      if (std::optional<api::Region> reg = region(r, "region", true)) {
        out.region = *reg;
      }
      if (std::optional<std::string> key = r.string("key", true)) {
        out.key = *key;
      }
      if (out.kind == WorldEventKind::kScheduleKeyDeletion) {
        if (std::optional<int64_t> days = r.integer("pending_window_days", 7, 30)) {
          out.pending_window_days = static_cast<int32_t>(*days);
        }
      }
      break;
    case WorldEventKind::kDeleteRole:
    case WorldEventKind::kDetachRolePolicy:
    case WorldEventKind::kDeleteRolePolicy:
      if (std::optional<std::string> role = r.string("role", true)) {
        out.role_name = *role;
      }
      if (out.kind == WorldEventKind::kDetachRolePolicy) {
        if (std::optional<std::string> arn = r.string("policy_arn", true)) {
          out.policy_arn = *arn;
        }
      } else if (out.kind == WorldEventKind::kDeleteRolePolicy) {
        if (std::optional<std::string> name = r.string("policy_name", true)) {
          out.policy_name = *name;
        }
      }
      break;
  }
  return r.finish();
}

template <typename T, typename Fn>
sim::Status read_list(
    Reader& r, std::string_view key, std::size_t max, std::vector<T>& out, Fn fn) {
  const Json* list = r.get(key);
  if (list == nullptr) {
    return sim::ok_status();
  }
  const std::string path = r.child(key);
  if (!list->is_array()) {
    return input_error(path, "expected an array, got " + describe(*list));
  }
  if (list->size() > max) {
    return input_error(path, "at most " + std::to_string(max) + " entries");
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    T item;
    if (sim::Status s = fn((*list)[i], path + "[" + std::to_string(i) + "]", item); !s.ok()) {
      return s;
    }
    out.push_back(std::move(item));
  }
  return sim::ok_status();
}

}  // namespace

sim::Result<FaultPlan> read_fault_plan(const nlohmann::json& node,
                                       std::string_view path,
                                       const FaultPlanReadOptions& options) {
  const Context c{options};
  Reader r(node, std::string(path));
  FaultPlan plan;
  if (sim::Status s = read_list(r,
                                "rules",
                                FaultLimits::kRulesMax,
                                plan.rules,
                                [&](const Json& n, const std::string& p, FaultRule& rule) {
                                  return read_rule(n, p, c, rule);
                                });
      !s.ok()) {
    return s.error();
  }
  if (sim::Status s = read_list(r,
                                "outages",
                                FaultLimits::kOutagesMax,
                                plan.outages,
                                [&](const Json& n, const std::string& p, RegionOutage& o) {
                                  return read_outage(n, p, o);
                                });
      !s.ok()) {
    return s.error();
  }
  if (sim::Status s = read_list(r,
                                "events",
                                FaultLimits::kEventsMax,
                                plan.events,
                                [&](const Json& n, const std::string& p, WorldEvent& e) {
                                  return read_event(n, p, c, e);
                                });
      !s.ok()) {
    return s.error();
  }
  if (std::optional<sim::Duration> d = r.duration("kms_retry_delay", false)) {
    plan.kms_retry_delay = *d;
  }
  if (std::optional<int64_t> n =
          r.integer("kms_attempts_max", 1, static_cast<int64_t>(FaultLimits::kKmsAttemptsMax))) {
    plan.kms_attempts_max = static_cast<uint32_t>(*n);
  }
  if (sim::Status s = r.finish(); !s.ok()) {
    return s.error();
  }
  if (sim::Status s = validate(plan); !s.ok()) {
    return input_error(path, s.error().message);
  }
  return plan;
}

}  // namespace ibsim::faults
