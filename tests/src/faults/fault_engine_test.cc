// Fault plans end to end: the distribution engine through the fault layer and the direct
// transport against the real models. Lost replies never duplicate a copy (idempotency tokens),
// throttling and drops are retried, outages stall or fail copies, KMS faults retry inside EC2,
// world events change the world mid-run, and a seed replays the same trace.

#include <catch2/catch.hpp>

#include "src/faults/fault_layer.h"
#include "tests/src/faults/fault_world.h"
#include "tests/test_printers.h"

namespace ibsim::faults::testing {
namespace {

FaultRule rule(std::string name, FaultKind kind, FaultMatch match, sim::Ratio p = {1, 1}) {
  return FaultRule{
      .name = std::move(name), .match = std::move(match), .kind = kind, .probability = p};
}

uint64_t count_events(const sim::Trace& trace, std::string_view kind) {
  uint64_t n = 0;
  for (const sim::TraceEvent& e : trace.events()) {
    n += e.kind == kind ? 1U : 0U;
  }
  return n;
}

TEST_CASE("Faults: lost CopyImage replies never duplicate a copy", "[faults]") {
  FaultPlan plan;
  plan.rules.push_back(rule("lost", FaultKind::kTimeoutAfterSend, {.operation = "CopyImage"}));
  plan.rules[0].fires_max = 4;  // The first four CopyImage replies are lost.
  FaultWorld w({.accounts = 2, .regions = 2}, plan);
  const ib::DistributionResult r = w.distribute(0);
  INFO(r.reason);
  CHECK(r.ok);
  CHECK(w.faults->injector().rule_counters()[0].fired == 4);
  // The owner's copy to the second region and one copy per target and region, exactly once.
  CHECK(w.world.ec2().copies_started() == 1 + 2 * 2);
  for (const api::AccountId& t : w.workload.targets) {
    for (const api::Region& region : w.workload.regions) {
      CHECK(w.images_of(t, region) == 1);
    }
  }
  CHECK(w.images_of(w.workload.owner, w.workload.regions[1]) == 1);
  CHECK(count_events(w.ctx.trace(), "engine.step.retry") >= 4);
}

TEST_CASE("Faults: throttled and dropped calls are retried until they pass", "[faults]") {
  FaultPlan plan;
  plan.rules.push_back(
      rule("throttle", FaultKind::kThrottle, {.service = Service::kEc2, .operation = "CopyImage"}));
  plan.rules[0].fires_max = 3;
  plan.rules.push_back(
      rule("drop", FaultKind::kDrop, {.service = Service::kSts, .operation = "AssumeRole"}));
  plan.rules[1].fires_max = 2;
  FaultWorld w({.accounts = 2, .regions = 2}, plan);
  const ib::DistributionResult r = w.distribute(0);
  INFO(r.reason);
  CHECK(r.ok);
  CHECK(w.faults->injector().rule_counters()[0].fired == 3);
  CHECK(w.faults->injector().rule_counters()[1].fired == 2);
  uint64_t throttled = 0;
  uint64_t not_sent = 0;
  for (const sim::TraceEvent& e : w.ctx.trace().events()) {
    if (e.kind != "engine.step.retry") {
      continue;
    }
    for (const sim::TraceField& f : e.fields) {
      if (f.key == "code") {
        const std::string& code = std::get<std::string>(f.value);
        throttled += code == "RequestLimitExceeded" ? 1U : 0U;
        not_sent += code == "ibsim.Transport.NotSent" ? 1U : 0U;
      }
    }
  }
  CHECK(throttled == 3);
  CHECK(not_sent == 2);
  CHECK(w.world.ec2().copies_started() == 5);
}

TEST_CASE("Faults: a call throttled every time fails its job after the retries", "[faults]") {
  FaultPlan plan;
  const api::AccountId victim = load::target_account(1);
  plan.rules.push_back(
      rule("always",
           FaultKind::kThrottle,
           {.service = Service::kEc2, .operation = "CopyImage", .account = victim}));
  WorldSize size{.accounts = 2, .regions = 1};
  size.engine.retry_attempts_max = 3;
  FaultWorld w(size, plan);
  const ib::DistributionResult r = w.distribute(0);
  CHECK_FALSE(r.ok);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].account_id == victim);
  CHECK(r.failures[0].step == "CopyImage");
  CHECK(r.failures[0].aws_error.find("Request limit exceeded.") != std::string::npos);
  CHECK(w.faults->injector().rule_counters()[0].fired == 3);
  CHECK(w.images_of(victim, w.workload.regions[0]) == 0);
}

TEST_CASE("Faults: an outage stalls copies into its region until it ends", "[faults]") {
  // Three dark minutes: the engine's retries of its polls outlast them, the copies stall.
  FaultPlan plan;
  const api::Region dark = api::Region::from_known("us-west-2");  // The second region.
  const sim::Instant end = sim::Instant::start() + sim::Duration::minutes(5);
  plan.outages.push_back(
      {.region = dark,
       .window = {.start = sim::Instant::start() + sim::Duration::minutes(2), .end = end}});
  // Fixed polling (30 s, 1 min, 2 min ...): the poll times against the outage window are what
  // this test is about; with poll_adaptive the second and later polls come sooner.
  WorldSize size{.accounts = 1, .regions = 2};
  size.engine.poll_adaptive = false;
  FaultWorld w(size, plan);
  REQUIRE(w.workload.regions[1] == dark);
  const ib::DistributionResult r = w.distribute(0);
  INFO(r.reason);
  CHECK(r.ok);
  CHECK(w.faults->injector().outage_counters()[0].copies_stalled >= 1);
  CHECK(count_events(w.ctx.trace(), "ec2.copy.stalled") >= 1);
  // Every copy into the dark region ended after the outage.
  uint64_t dark_copies = 0;
  for (const sim::TraceEvent& e : w.ctx.trace().events()) {
    if (e.kind != "ec2.copy.done") {
      continue;
    }
    for (const sim::TraceField& f : e.fields) {
      if (f.key == "region" && std::get<std::string>(f.value) == dark.str()) {
        ++dark_copies;
        CHECK(e.at >= end);
      }
    }
  }
  CHECK(dark_copies == 2);  // The owner's and the target's.
}

TEST_CASE("Faults: a long outage fails the jobs whose calls it refuses", "[faults]") {
  FaultPlan plan;
  const api::Region dark = api::Region::from_known("us-west-2");
  plan.outages.push_back({.region = dark,
                          .window = {.start = sim::Instant::start() + sim::Duration::minutes(2),
                                     .end = sim::Instant::start() + sim::Duration::hours(2)}});
  FaultWorld w({.accounts = 1, .regions = 2}, plan);
  const ib::DistributionResult r = w.distribute(0);
  CHECK_FALSE(r.ok);
  CHECK(r.reason.find("EC2 Service Error: 'The server is overloaded and can't handle the request.'")
        != std::string::npos);
  CHECK(r.reason.find("in Region us-west-2") != std::string::npos);
  CHECK(w.faults->injector().outage_counters()[0].calls_refused > 0);
}

TEST_CASE("Faults: an outage in fail mode fails the copies it catches", "[faults]") {
  FaultPlan plan;
  const api::Region dark = api::Region::from_known("us-west-2");
  plan.outages.push_back({.region = dark,
                          .window = {.start = sim::Instant::start() + sim::Duration::minutes(2),
                                     .end = sim::Instant::start() + sim::Duration::minutes(5)},
                          .copies = OutageCopies::kFail});
  WorldSize size{.accounts = 1, .regions = 2};
  size.engine.poll_adaptive = false;  // As above: the poll times against the window.
  FaultWorld w(size, plan);
  const ib::DistributionResult r = w.distribute(0);
  CHECK_FALSE(r.ok);
  CHECK(r.reason.find("AMI Copy Reported Failure") != std::string::npos);
  CHECK(w.faults->injector().outage_counters()[0].copies_failed >= 1);
}

TEST_CASE("Faults: KMS throttling delays encrypted copies and can fail them", "[faults]") {
  FaultPlan delayed;
  delayed.rules.push_back(rule("kms", FaultKind::kThrottle, {.service = Service::kKms}));
  delayed.rules[0].fires_max = 2;
  FaultWorld ok_world({.accounts = 1, .regions = 2}, delayed);
  const ib::DistributionResult ok = ok_world.distribute(0);
  INFO(ok.reason);
  CHECK(ok.ok);
  CHECK(count_events(ok_world.ctx.trace(), "ec2.copy.stalled") == 2);

  FaultPlan always;
  always.rules.push_back(rule("kms", FaultKind::kThrottle, {.service = Service::kKms}));
  always.kms_attempts_max = 2;
  FaultWorld bad_world({.accounts = 1, .regions = 2}, always);
  const ib::DistributionResult bad = bad_world.distribute(0);
  CHECK_FALSE(bad.ok);
  REQUIRE_FALSE(bad.failures.empty());
  CHECK(bad.failures[0].explanation.find("ThrottlingException") != std::string::npos);

  // Unencrypted images make no KMS calls: the same plan does nothing to them.
  FaultWorld plain({.accounts = 1, .regions = 2, .encrypted = false}, always);
  CHECK(plain.distribute(0).ok);
  CHECK(plain.faults->injector().rule_counters()[0].matched == 0);
}

TEST_CASE("Faults: world events disable a key and delete a role mid-run", "[faults]") {
  FaultPlan plan;
  const api::AccountId victim = load::target_account(0);
  plan.events.push_back({.at = sim::Instant::start(),
                         .kind = WorldEventKind::kDeleteRole,
                         .account = victim,
                         .role_name = "EC2ImageBuilderDistributionCrossAccountRole"});
  FaultWorld w({.accounts = 2, .regions = 1}, plan);
  w.ctx.scheduler().run();  // The event runs first.
  REQUIRE(w.faults->world_events().outcomes().size() == 1);
  CHECK(w.faults->world_events().outcomes()[0].status.ok());
  const ib::DistributionResult r = w.distribute(0);
  CHECK_FALSE(r.ok);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].account_id == victim);
  CHECK(r.failures[0].step == "AssumeRole");

  FaultPlan key_plan;
  key_plan.events.push_back({.at = sim::Instant::start() + sim::Duration::seconds(30),
                             .kind = WorldEventKind::kDisableKey,
                             .account = load::owner_account(),
                             .region = api::Region::from_known("us-west-2"),
                             .key = std::string(load::kKeyAlias)});
  FaultWorld kw({.accounts = 1, .regions = 2}, key_plan);
  const ib::DistributionResult kr = kw.distribute(0);
  CHECK(kw.faults->world_events().outcomes().at(0).status.ok());
  CHECK_FALSE(kr.ok);
  bool disabled = false;
  for (const ib::JobFailure& f : kr.failures) {
    disabled = disabled || f.explanation.find("DisabledException") != std::string::npos;
  }
  CHECK(disabled);
}

TEST_CASE("Faults: a world event the model refuses is reported not thrown", "[faults]") {
  FaultPlan plan;
  plan.events.push_back({.at = sim::Instant::start(),
                         .kind = WorldEventKind::kDetachRolePolicy,
                         .account = load::target_account(0),
                         .role_name = "NoSuchRole",
                         .policy_arn = "arn:aws:iam::aws:policy/Nothing"});
  FaultWorld w({.accounts = 1, .regions = 1}, plan);
  w.ctx.scheduler().run();
  REQUIRE(w.faults->world_events().outcomes().size() == 1);
  CHECK_FALSE(w.faults->world_events().outcomes()[0].status.ok());
}

TEST_CASE("Faults: the same seed replays the same faulty run", "[faults]") {
  FaultPlan plan;
  plan.rules.push_back(rule("t", FaultKind::kThrottle, {.service = Service::kEc2}, {1, 4}));
  plan.rules.push_back(rule("l", FaultKind::kTimeoutAfterSend, {.operation = "CopyImage"}, {1, 3}));
  plan.rules.push_back(rule("k", FaultKind::kThrottle, {.service = Service::kKms}, {1, 5}));
  auto hash = [&](uint64_t seed) {
    FaultWorld w({.accounts = 3, .regions = 3, .seed = seed}, plan);
    (void)w.distribute(0);
    return w.ctx.trace().hash_hex();
  };
  const std::string first = hash(21);
  CHECK(hash(21) == first);
  CHECK(hash(22) != first);
}

}  // namespace
}  // namespace ibsim::faults::testing
