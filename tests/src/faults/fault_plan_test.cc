// FaultPlan as data: ratios, durations, validation, and the strict JSON reader (every key, the
// error paths, account aliases).

#include "src/faults/fault_plan.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "src/faults/fault_plan_json.h"
#include "tests/test_printers.h"

namespace ibsim::faults {
namespace {

using Json = nlohmann::json;

sim::Result<FaultPlan> read(std::string_view text, FaultPlanReadOptions options = {}) {
  return read_fault_plan(Json::parse(text), "$.faults", options);
}

std::string error_of(std::string_view text) {
  sim::Result<FaultPlan> r = read(text);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "InvalidInput");
  return r.error().message;
}

TEST_CASE("Faults: ratios read as exact fractions", "[faults]") {
  CHECK(parse_ratio("1/20")->num == 1);
  CHECK(parse_ratio("1/20")->den == 20);
  CHECK(parse_ratio("0.05")->num == 5);
  CHECK(parse_ratio("0.05")->den == 100);
  CHECK(parse_ratio("1")->num == 1);
  CHECK(parse_ratio("0")->num == 0);
  CHECK(parse_ratio("1.0")->num == 10);
  CHECK_FALSE(parse_ratio("2/1").has_value());
  CHECK_FALSE(parse_ratio("1/0").has_value());
  CHECK_FALSE(parse_ratio("5%").has_value());
  CHECK_FALSE(parse_ratio("").has_value());
  CHECK_FALSE(parse_ratio("1.5").has_value());
  CHECK(format_ratio({3, 40}) == "3/40");
}

TEST_CASE("Faults: durations read and print in the scenario syntax", "[faults]") {
  CHECK(parse_duration("90s") == sim::Duration::seconds(90));
  CHECK(parse_duration("1h30m") == sim::Duration::minutes(90));
  CHECK(parse_duration("500ms") == sim::Duration::milliseconds(500));
  CHECK(parse_duration("2d") == sim::Duration::days(2));
  CHECK_FALSE(parse_duration("10").has_value());
  CHECK_FALSE(parse_duration("1x").has_value());
  CHECK_FALSE(parse_duration("").has_value());
  CHECK_FALSE(parse_duration("99999d").has_value());
  for (const sim::Duration d : {sim::Duration::zero(),
                                sim::Duration::milliseconds(250),
                                sim::Duration::seconds(61) + sim::Duration::milliseconds(5),
                                sim::Duration::hours(49)}) {
    CHECK(parse_duration(faults::format_duration(d)) == d);
  }
  CHECK(faults::format_duration(sim::Duration::minutes(90)) == "1h30m");
}

TEST_CASE("Faults: validation names the first problem", "[faults]") {
  FaultPlan plan;
  plan.rules.push_back({.name = "a", .kind = FaultKind::kThrottle});
  CHECK(validate(plan).ok());

  FaultPlan twice = plan;
  twice.rules.push_back({.name = "a"});
  CHECK(validate(twice).error().message.find("named twice") != std::string::npos);

  FaultPlan over = plan;
  over.rules[0].probability = {3, 2};
  CHECK_FALSE(validate(over).ok());

  FaultPlan delay = plan;
  delay.rules[0].kind = FaultKind::kDelay;
  CHECK(validate(delay).error().message.find("delay") != std::string::npos);
  delay.rules[0].delay = sim::Duration::seconds(2);
  CHECK(validate(delay).ok());

  FaultPlan empty_window = plan;
  empty_window.rules[0].window = {.start = sim::Instant::start() + sim::Duration::hours(2),
                                  .end = sim::Instant::start() + sim::Duration::hours(1)};
  CHECK_FALSE(validate(empty_window).ok());

  FaultPlan endless;
  endless.outages.push_back({.region = api::Region::from_known("eu-west-1")});
  CHECK(validate(endless).error().message.find("must end") != std::string::npos);

  FaultPlan event;
  event.events.push_back(
      {.kind = WorldEventKind::kDisableKey, .account = api::AccountId::from_valid("111122223333")});
  CHECK(validate(event).error().message.find("key and its region") != std::string::npos);

  FaultPlan kms_timeout;
  kms_timeout.rules.push_back(
      {.name = "k", .match = {.service = Service::kKms}, .kind = FaultKind::kTimeoutAfterSend});
  CHECK_FALSE(validate(kms_timeout).ok());
}

TEST_CASE("Faults: a complete plan reads from JSON", "[faults]") {
  sim::Result<FaultPlan> plan = read(R"({
    "rules": [
      {"name": "throttle-copies",
       "match": {"service": "ec2", "operation": "CopyImage", "account": "200000000007",
                 "region": "eu-west-1"},
       "kind": "throttle", "probability": "1/20", "window": ["10m", "2h"], "fires_max": 100},
      {"name": "slow-sts", "match": {"service": "sts"}, "kind": "delay", "delay": "250ms",
       "probability": 0.5, "enabled": false},
      {"name": "lost", "kind": "timeout_after_send"}
    ],
    "outages": [{"name": "dark", "region": "eu-west-1", "window": ["1h", "3h"], "copies": "fail"}],
    "events": [
      {"at": "2h", "kind": "disable_key", "account": "100000000000", "region": "us-east-1",
       "key": "alias/images"},
      {"at": "3h", "kind": "delete_role", "account": "200000000001",
       "role": "EC2ImageBuilderDistributionCrossAccountRole"},
      {"at": "4h", "kind": "detach_role_policy", "account": "200000000002", "role": "R",
       "policy_arn": "arn:aws:iam::aws:policy/X"},
      {"at": "5h", "kind": "delete_role_policy", "account": "200000000003", "role": "R",
       "policy_name": "kms"},
      {"at": "6h", "kind": "schedule_key_deletion", "account": "100000000000",
       "region": "us-east-1", "key": "alias/images", "pending_window_days": 7}
    ],
    "kms_retry_delay": "10s",
    "kms_attempts_max": 3
  })");
  INFO((plan.ok() ? std::string() : plan.error().message));
  REQUIRE(plan.ok());
  REQUIRE(plan->rules.size() == 3);
  const FaultRule& r = plan->rules[0];
  CHECK(r.match.service == Service::kEc2);
  CHECK(r.match.operation == "CopyImage");
  CHECK(r.match.account->str() == "200000000007");
  CHECK(r.match.region->str() == "eu-west-1");
  CHECK(r.probability.num == 1);
  CHECK(r.probability.den == 20);
  CHECK(r.window.start == sim::Instant::start() + sim::Duration::minutes(10));
  CHECK(r.window.end == sim::Instant::start() + sim::Duration::hours(2));
  CHECK(r.fires_max == 100);
  CHECK(plan->rules[1].kind == FaultKind::kDelay);
  CHECK(plan->rules[1].delay == sim::Duration::milliseconds(250));
  CHECK_FALSE(plan->rules[1].enabled);
  CHECK(plan->rules[2].match.service == Service::kAny);
  CHECK(plan->rules[2].probability.num == 1);
  REQUIRE(plan->outages.size() == 1);
  CHECK(plan->outages[0].copies == OutageCopies::kFail);
  REQUIRE(plan->events.size() == 5);
  CHECK(plan->events[0].kind == WorldEventKind::kDisableKey);
  CHECK(plan->events[0].key == "alias/images");
  CHECK(plan->events[1].role_name == "EC2ImageBuilderDistributionCrossAccountRole");
  CHECK(plan->events[2].policy_arn == "arn:aws:iam::aws:policy/X");
  CHECK(plan->events[3].policy_name == "kms");
  CHECK(plan->events[4].pending_window_days == 7);
  CHECK(plan->kms_retry_delay == sim::Duration::seconds(10));
  CHECK(plan->kms_attempts_max == 3);
}

TEST_CASE("Faults: malformed plans name the JSON path", "[faults]") {
  CHECK(error_of(R"({"rule": []})") == "$.faults.rule: unknown key (check the spelling)");
  CHECK(error_of(R"({"rules": [{"name": "x", "kind": "boom"}]})")
            .starts_with("$.faults.rules[0].kind: expected one of"));
  CHECK(error_of(R"({"rules": [{"name": "x", "kind": "throttle", "probability": "5%"}]})")
            .starts_with("$.faults.rules[0].probability: expected a probability"));
  CHECK(error_of(R"({"rules": [{"kind": "throttle"}]})") == "$.faults.rules[0].name: is required");
  CHECK(error_of(R"({"rules": [{"name": "x", "kind": "throttle", "match": {"servce": "ec2"}}]})")
        == "$.faults.rules[0].match.servce: unknown key (check the spelling)");
  CHECK(error_of(R"({"rules": [{"name": "x", "kind": "throttle", "window": ["2h", "1h"]}]})")
            .starts_with("$.faults.rules[0].window: the window must end"));
  CHECK(error_of(R"({"outages": [{"region": "mars-1", "window": ["1h", "2h"]}]})")
            .starts_with("$.faults.outages[0].region: 'mars-1' is not a region"));
  CHECK(error_of(R"({"outages": [{"region": "eu-west-1", "window": ["1h", "2h"], "copies": "x"}]})")
            .starts_with("$.faults.outages[0].copies"));
  CHECK(error_of(R"({"events": [{"at": "soon", "kind": "delete_role", "account": "100000000000",
                                 "role": "R"}]})")
            .starts_with("$.faults.events[0].at: expected a duration"));
  CHECK(error_of(R"({"events": [{"at": "1h", "kind": "delete_role", "account": "12"}]})")
            .starts_with("$.faults.events[0].account: expected a 12-digit account id"));
  CHECK(error_of(R"({"events": [{"at": "1h", "kind": "disable_key", "account": "100000000000",
                                 "region": "us-east-1", "key": "k", "role": "R"}]})")
        == "$.faults.events[0].role: unknown key (check the spelling)");
  CHECK(error_of(R"([1, 2])").starts_with("$.faults: expected an object"));
  CHECK(error_of(R"({"kms_attempts_max": 0})").starts_with("$.faults.kms_attempts_max"));
}

TEST_CASE("Faults: account aliases resolve through the reader's callback", "[faults]") {
  FaultPlanReadOptions options{
      .account_alias = [](std::string_view text) -> std::optional<api::AccountId> {
        if (text == "target:3") {
          return api::AccountId::from_valid("200000000003");
        }
        return std::nullopt;
      }};
  sim::Result<FaultPlan> plan = read(
      R"({"events": [{"at": "1h", "kind": "delete_role", "account": "target:3", "role": "R"}]})",
      options);
  REQUIRE(plan.ok());
  CHECK(plan->events[0].account.str() == "200000000003");
  CHECK_FALSE(read(R"({"events": [{"at": "1h", "kind": "delete_role", "account": "target:4",
                                   "role": "R"}]})",
                   options)
                  .ok());
}

}  // namespace
}  // namespace ibsim::faults
