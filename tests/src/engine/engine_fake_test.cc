// The engine's control flow against scripted fake clients: the call sequence, retries and their
// bounds, caps, idempotent re-runs, lost answers, timeouts, cancellation, and the failure
// reasons byte for byte.

#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/context.h"
#include "src/client/call_error.h"
#include "src/engine/client_token.h"
#include "src/engine/distribution_engine.h"
#include "src/engine/reasons.h"
#include "src/engine/retry.h"
#include "tests/src/engine/fake_aws.h"
#include "tests/test_printers.h"

namespace ibsim::engine {
namespace {

using testing::FakeAws;
using testing::FakeImage;
using testing::FakeLaunchTemplate;
namespace api = mock_aws::api;

api::AccountId acct(std::string_view id) {
  return api::AccountId::from_valid(id);
}

api::Region region(std::string_view name) {
  return api::Region::from_known(name);
}

const api::AccountId kOwner = acct("111111111111");
const api::AccountId kTargetA = acct("222222222222");
const api::AccountId kTargetB = acct("333333333333");
const api::Region kSource = region("us-east-1");
const api::Region kWest = region("us-west-2");
const api::Region kEu = region("eu-west-1");
constexpr std::string_view kImageArn =
    "arn:aws:imagebuilder:us-east-1:111111111111:image/app/1.0.0/1";
constexpr std::string_view kSourceAmi = "ami-00000000000000aaa";

struct Harness {
  explicit Harness(EngineOptions options = {}, uint64_t seed = 7)
      : ctx({.seed = seed, .trace = {.record = true}}),
        aws(ctx),
        engine(ctx, aws, std::move(options)) {
    aws.add_image(kOwner, kSource, std::string(kSourceAmi), FakeImage{.name = "app-image"});
  }

  ib::DistributionPlan plan(std::vector<api::Region> regions,
                            std::vector<api::AccountId> targets) const {
    ib::DistributionPlan p;
    p.image_arn = std::string(kImageArn);
    p.owner = kOwner;
    p.source_region = kSource;
    p.source_ami_id = std::string(kSourceAmi);
    for (const api::Region& r : regions) {
      ib::RegionPlan rp;
      rp.region = r;
      rp.ami = ib::AmiDistributionPlan{};
      rp.ami->name = "app-" + r.str();
      rp.ami->target_account_ids = targets;
      p.regions.push_back(rp);
    }
    return p;
  }

  ib::DistributionResult distribute(const ib::DistributionPlan& p) {
    std::optional<ib::DistributionResult> result;
    int calls = 0;
    engine.distribute(p, [&](ib::DistributionResult r) {
      ++calls;
      result = std::move(r);
    });
    ctx.scheduler().run();
    REQUIRE(calls == 1);
    REQUIRE(engine.runs_active() == 0);
    REQUIRE(engine.jobs_active() == 0);
    return *result;
  }

  std::vector<const sim::TraceEvent*> events(std::string_view kind) const {
    std::vector<const sim::TraceEvent*> out;
    for (const sim::TraceEvent& e : ctx.trace().events()) {
      if (e.kind == kind) {
        out.push_back(&e);
      }
    }
    return out;
  }

  sim::Context ctx;
  FakeAws aws;
  DistributionEngine engine;
};

int64_t int_field(const sim::TraceEvent& e, std::string_view key) {
  for (const sim::TraceField& f : e.fields) {
    if (f.key == key) {
      return std::get<int64_t>(f.value);
    }
  }
  FAIL("no field " << key);
  return 0;
}

std::string text_field(const sim::TraceEvent& e, std::string_view key) {
  for (const sim::TraceField& f : e.fields) {
    if (f.key == key) {
      return std::get<std::string>(f.value);
    }
  }
  return {};
}

TEST_CASE("Engine: distributes the owner's copies and every target's copy", "[engine]") {
  Harness h;
  const ib::DistributionResult r = h.distribute(h.plan({kSource, kWest}, {kTargetA, kTargetB}));
  REQUIRE(r.ok);
  CHECK(r.reason.empty());
  CHECK(r.failures.empty());
  // Per region: the owner's AMI first, then the targets in plan order.
  REQUIRE(r.amis.size() == 6);
  CHECK(r.amis[0].image == kSourceAmi);
  CHECK(r.amis[0].account_id == kOwner);
  CHECK(r.amis[0].region == kSource);
  CHECK(r.amis[1].account_id == kTargetA);
  CHECK(r.amis[2].account_id == kTargetB);
  CHECK(r.amis[3].account_id == kOwner);
  CHECK(r.amis[3].region == kWest);
  for (const ib::OutputAmi& ami : r.amis) {
    CHECK(ami.status == "AVAILABLE");
    const testing::FakeImage* img = h.aws.image(ami.image);
    REQUIRE(img != nullptr);
    CHECK(img->owner == ami.account_id);
    CHECK(img->region == ami.region);
    CHECK(img->state == "available");
  }
  CHECK(r.amis[4].name == "app-us-west-2");
  // The owner's copy in us-west-2 was shared with both targets, with its snapshots.
  const testing::FakeImage* west = h.aws.image(r.amis[3].image);
  CHECK(west->launch_permissions == std::set<std::string>{kTargetA.str(), kTargetB.str()});
  CHECK(h.aws.snapshot(west->snapshot_ids.front())->create_volume_permissions
        == std::set<std::string>{kTargetA.str(), kTargetB.str()});
  CHECK(h.aws.snapshot(west->snapshot_ids.front())->tags.at("CreatedBy") == "EC2 Image Builder");
  // The source's untagged snapshot got the CreatedBy tag before it was shared.
  const testing::FakeImage* src = h.aws.image(std::string(kSourceAmi));
  CHECK(h.aws.snapshot(src->snapshot_ids.front())->tags.at("CreatedBy") == "EC2 Image Builder");
  // One copy per (account, region) besides the source: 1 owner copy + 4 target copies.
  CHECK(h.aws.count("CopyImage") == 5);
  CHECK(h.engine.stats().copies_started == 5);
  // Sessions are cached: the service-linked role once, each target's role once.
  CHECK(h.aws.count("AssumeRole") == 3);
}

TEST_CASE("Engine: a target copy is made as the target's cross-account role", "[engine]") {
  Harness h;
  const ib::DistributionResult r = h.distribute(h.plan({kSource}, {kTargetA}));
  REQUIRE(r.ok);
  std::vector<std::string> sequence;
  for (const testing::CallRecord& c : h.aws.calls()) {
    sequence.push_back(c.operation + "@" + (c.account.empty() ? "service" : c.account));
  }
  const std::vector<std::string> expected = {
      "AssumeRole@service",                    // The service-linked role, as imagebuilder.
      "DescribeImages@111111111111",           // The source image.
      "DescribeSnapshots@111111111111",        // Its snapshots' tags...
      "CreateTags@111111111111",               // ...CreatedBy for sharing.
      "ModifyImageAttribute@111111111111",     // Share the AMI,
      "ModifySnapshotAttribute@111111111111",  // and its snapshot.
      "AssumeRole@111111111111",               // The target's role, as the SLR session.
      "CopyImage@222222222222",
      "DescribeImages@222222222222",  // Polled until available.
  };
  REQUIRE(sequence.size() >= expected.size());
  CHECK(std::vector<std::string>(sequence.begin(), sequence.begin() + 9) == expected);
  for (std::size_t i = 9; i < sequence.size(); ++i) {
    CHECK(sequence[i] == "DescribeImages@222222222222");
  }
  // A 10 min copy, polled after 30 s, 1 min, then every 2 min: seen within one longest interval.
  CHECK(h.ctx.now() - sim::Instant::start()
        <= sim::Duration::minutes(10) + h.engine.options().poll_interval_max);
  CHECK(h.aws.count("DescribeImages") <= 2 + 7);
}

TEST_CASE("Engine: sharing goes in batches of share_accounts_per_call_max", "[engine]") {
  Harness h({.share_accounts_per_call_max = 2});
  std::vector<api::AccountId> targets;
  for (int i = 0; i < 5; ++i) {
    targets.push_back(acct("6000000000" + std::to_string(10 + i)));
  }
  h.aws.fail(
      "ModifySnapshotAttribute", sim::aws_error("InvalidParameter", "snapshot refused", 400), 1);
  const ib::DistributionResult r = h.distribute(h.plan({kSource}, targets));
  // Three batches (2, 2, 1) of one image and one snapshot call; the first batch's snapshot call
  // failed, so its two targets fail and the other three get their copies.
  CHECK(h.aws.count("ModifyImageAttribute") == 3);
  CHECK(h.aws.count("ModifySnapshotAttribute") == 3);
  REQUIRE(r.failures.size() == 2);
  CHECK(r.failures[0].account_id == targets[0]);
  CHECK(r.failures[1].account_id == targets[1]);
  CHECK(r.failures[0].step == "ModifySnapshotAttribute");
  CHECK(r.amis.size() == 1 + 3);
  CHECK(r.reason.find("1) EC2 Client Error: 'snapshot refused' when distributing the image from "
                      "the source account (ID: 111111111111) to the destination account (ID: "
                      "600000000010)")
        != std::string::npos);
}

TEST_CASE("Engine: encrypted sources copy with Encrypted and the region's key", "[engine]") {
  Harness h;
  h.aws.add_image(kOwner, kSource, "ami-0000000000000enc1", FakeImage{.encrypted = true});
  ib::DistributionPlan p = h.plan({kSource, kWest}, {kTargetA});
  p.source_ami_id = "ami-0000000000000enc1";
  p.regions[1].ami->kms_key_id = "arn:aws:kms:us-west-2:111111111111:key/k1";
  const ib::DistributionResult r = h.distribute(p);
  REQUIRE(r.ok);
  REQUIRE(r.amis.size() == 4);
  // us-east-1: no key given -> the target's default key; us-west-2: the region's key.
  CHECK(h.aws.image(r.amis[1].image)->kms_key_id == "default");
  CHECK(h.aws.image(r.amis[1].image)->encrypted);
  CHECK(h.aws.image(r.amis[2].image)->kms_key_id == "arn:aws:kms:us-west-2:111111111111:key/k1");
  CHECK(h.aws.image(r.amis[3].image)->kms_key_id == "arn:aws:kms:us-west-2:111111111111:key/k1");
}

TEST_CASE("Engine: throttled calls are retried with bounded jittered backoff", "[engine]") {
  Harness h;
  h.aws.fail(
      "CopyImage", sim::aws_error("RequestLimitExceeded", "Request limit exceeded.", 503), 3);
  const ib::DistributionResult r = h.distribute(h.plan({kSource}, {kTargetA}));
  REQUIRE(r.ok);
  CHECK(h.engine.stats().retries == 3);
  CHECK(h.aws.count("CopyImage") == 4);
  const auto retries = h.events("engine.step.retry");
  REQUIRE(retries.size() == 3);
  const EngineOptions& o = h.engine.options();
  for (const sim::TraceEvent* e : retries) {
    const int64_t attempt = int_field(*e, "attempt");
    const int64_t full = std::min(o.backoff_max.ms(), o.backoff_base.ms() << (attempt - 1));
    const int64_t delay = int_field(*e, "delay_ms");
    CHECK(delay >= full / 2);
    CHECK(delay <= full);
    CHECK(text_field(*e, "code") == "RequestLimitExceeded");
  }
}

TEST_CASE("Engine: backoff doubles up to its cap and stays within equal jitter", "[engine]") {
  EngineOptions o;
  o.backoff_base = sim::Duration::seconds(1);
  o.backoff_max = sim::Duration::seconds(20);
  sim::Rng rng(3);
  for (uint32_t retry = 1; retry <= 12; ++retry) {
    const int64_t full = std::min<int64_t>(20'000, 1'000LL << (retry - 1));
    for (int i = 0; i < 50; ++i) {
      const sim::Duration d = backoff_delay(o, retry, rng);
      CHECK(d.ms() >= full / 2);
      CHECK(d.ms() <= full);
    }
  }
}

TEST_CASE("Engine: retries stop after retry_attempts_max attempts", "[engine]") {
  Harness h({.retry_attempts_max = 4});
  h.aws.fail("CopyImage",
             sim::aws_error("RequestLimitExceeded", "Request limit exceeded.", 503),
             100,
             kTargetA);
  const ib::DistributionResult r = h.distribute(h.plan({kSource}, {kTargetA}));
  REQUIRE_FALSE(r.ok);
  CHECK(h.aws.count("CopyImage") == 4);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].step == "CopyImage");
  CHECK(r.reason.find("1) EC2 Service Error: 'Request limit exceeded.' when distributing")
        != std::string::npos);
}

TEST_CASE("Engine: a permission error fails its job at once with AWS's reason", "[engine]") {
  Harness h;
  h.aws.fail("CopyImage",
             sim::aws_error(
                 "UnauthorizedOperation", "You are not authorized to perform this operation.", 403),
             100,
             kTargetB);
  const ib::DistributionResult r = h.distribute(h.plan({kSource}, {kTargetA, kTargetB}));
  REQUIRE_FALSE(r.ok);
  CHECK(h.engine.stats().retries == 0);
  // Target A still got its copy; B made exactly one attempt.
  REQUIRE(r.amis.size() == 2);
  CHECK(r.amis[1].account_id == kTargetA);
  const std::string job_id =
      r.reason.substr(std::string("Distribution failed with JobId '").size(), 36);
  CHECK(r.reason
        == "Distribution failed with JobId '" + job_id
               + "', status = 'Failed' for ARN "
                 "'arn:aws:imagebuilder:us-east-1:111111111111:image/app/1.0.0/1'. 'Not all "
                 "distribution jobs are completed. 1) EC2 Client Error: 'You are not authorized "
                 "to perform this operation.' when distributing the image from the source "
                 "account (ID: 111111111111) to the destination account (ID: 333333333333) in "
                 "Region us-east-1.'");
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].account_id == kTargetB);
  CHECK(r.failures[0].region == kSource);
  CHECK(r.failures[0].step == "CopyImage");
  CHECK(r.failures[0].explanation.find("Ec2ImageBuilderCrossAccountDistributionAccess")
        != std::string::npos);
  CHECK(h.events("engine.step.denied").size() == 1);
}

TEST_CASE("Engine: several failed jobs are numbered in plan order", "[engine]") {
  Harness h;
  h.aws.deny_role(cross_account_role_arn(kTargetA));
  h.aws.deny_role(cross_account_role_arn(kTargetB));
  const ib::DistributionResult r = h.distribute(h.plan({kSource, kWest}, {kTargetA, kTargetB}));
  REQUIRE_FALSE(r.ok);
  REQUIRE(r.failures.size() == 4);
  const std::string prefix = "Distribution failed with JobId '";
  const std::string job_id = r.reason.substr(prefix.size(), 36);
  const auto line = [](const api::AccountId& a, const api::Region& rg) {
    return "STS Client Error: 'User: "
           "arn:aws:iam::111111111111:role/aws-service-role/imagebuilder.amazonaws.com/"
           "AWSServiceRoleForImageBuilder is not authorized to perform: sts:AssumeRole on "
           "resource: arn:aws:iam::"
           + a.str()
           + ":role/EC2ImageBuilderDistributionCrossAccountRole' when distributing the image "
             "from the source account (ID: 111111111111) to the destination account (ID: "
           + a.str() + ") in Region " + rg.str() + ".";
  };
  CHECK(r.reason
        == prefix + job_id + "', status = 'Failed' for ARN '" + std::string(kImageArn)
               + "'. 'Not all distribution jobs are completed. 1) " + line(kTargetA, kSource)
               + " 2) " + line(kTargetB, kSource) + " 3) " + line(kTargetA, kWest) + " 4) "
               + line(kTargetB, kWest) + "'");
  CHECK(r.failures[0].step == "AssumeRole");
  CHECK(r.failures[0].explanation.find("trust policy") != std::string::npos);
  // The owner's AMIs were still produced; no target copy was attempted.
  CHECK(r.amis.size() == 2);
  CHECK(h.aws.count("CopyImage") == 1);
}

TEST_CASE("Engine: a copy that ends failed is AMI Copy Reported Failure", "[engine]") {
  Harness h;
  sim::AwsError cause = sim::aws_error(
      "AccessDeniedException",
      "User: arn:aws:sts::222222222222:assumed-role/X/Y is not authorized to perform: "
      "kms:CreateGrant",
      400);
  cause.explanation = R"({"summary":"no key policy statement allows account 222222222222"})";
  h.aws.fail_copies_into(kTargetA, kSource, cause);
  const ib::DistributionResult r = h.distribute(h.plan({kSource}, {kTargetA}));
  REQUIRE_FALSE(r.ok);
  REQUIRE(r.amis.size() == 2);
  CHECK(r.amis[1].status == "FAILED");
  CHECK(r.amis[1].reason == "Copy image failed with an internal error");
  const std::string job_id =
      r.reason.substr(std::string("Distribution failed with JobId '").size(), 36);
  CHECK(r.reason
        == "Distribution failed with JobId '" + job_id + "', status = 'Failed' for ARN '"
               + std::string(kImageArn)
               + "'. 'Not all distribution jobs are completed. 1) AMI Copy Reported Failure For "
               + r.amis[1].image
               + " when distributing the image from the source account (ID: 111111111111) to "
                 "the destination account (ID: 222222222222) in Region us-east-1.'");
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].step == "WaitForImage");
  CHECK(r.failures[0].explanation.find("no key policy statement allows account 222222222222")
        != std::string::npos);
  CHECK(r.failures[0].explanation.find("kms:CreateGrant") != std::string::npos);
}

TEST_CASE("Engine: re-running a distribution never duplicates a copy", "[engine]") {
  Harness h;
  const ib::DistributionPlan p = h.plan({kSource, kWest}, {kTargetA, kTargetB});
  const ib::DistributionResult first = h.distribute(p);
  REQUIRE(first.ok);
  const std::size_t images = h.aws.images().size();
  const ib::DistributionResult second = h.distribute(p);
  REQUIRE(second.ok);
  CHECK(h.aws.images().size() == images);
  REQUIRE(first.amis.size() == second.amis.size());
  for (std::size_t i = 0; i < first.amis.size(); ++i) {
    CHECK(first.amis[i].image == second.amis[i].image);
  }
}

TEST_CASE("Engine: client tokens are derived from image region and account", "[engine]") {
  const std::string a = client_token({"arn:1", "us-east-1", "111111111111"});
  CHECK(a == client_token({"arn:1", "us-east-1", "111111111111"}));
  CHECK(a != client_token({"arn:1", "us-east-2", "111111111111"}));
  CHECK(a != client_token({"arn:1", "us-east-1", "111111111112"}));
  CHECK(client_token({"ab", "c"}) != client_token({"a", "bc"}));
  CHECK(a.size() == 35);
  CHECK(a.rfind("ib-", 0) == 0);
}

TEST_CASE("Engine: a lost CopyImage answer is resolved with the same token", "[engine]") {
  Harness h;
  h.aws.fail("CopyImage",
             client::maybe_applied("timed out after sending"),
             1,
             kTargetA,
             std::nullopt,
             /*applied_first=*/true);
  const ib::DistributionResult r = h.distribute(h.plan({kSource}, {kTargetA}));
  REQUIRE(r.ok);
  CHECK(h.aws.count("CopyImage") == 2);
  // Only one image exists in the target account.
  std::size_t in_target = 0;
  for (const auto& [id, img] : h.aws.images()) {
    in_target += img.owner == kTargetA ? 1U : 0U;
  }
  CHECK(in_target == 1);
}

TEST_CASE("Engine: calls that were never sent are retried", "[engine]") {
  Harness h;
  h.aws.fail("ModifyImageAttribute", client::not_sent("connection refused"), 2);
  const ib::DistributionResult r = h.distribute(h.plan({kSource}, {kTargetA}));
  REQUIRE(r.ok);
  CHECK(h.engine.stats().retries == 2);
}

TEST_CASE("Engine: per account-region copies never exceed their cap", "[engine]") {
  // 120 images distributed at once into the same target account and region.
  Harness h({.copies_per_account_region_max = 50});
  std::vector<ib::DistributionResult> results;
  for (int i = 0; i < 120; ++i) {
    const std::string ami = "ami-" + std::string(14, 'f') + std::to_string(100 + i);
    h.aws.add_image(kOwner, kSource, ami, FakeImage{.name = "img-" + std::to_string(i)});
    ib::DistributionPlan p = h.plan({kSource}, {kTargetA});
    p.image_arn =
        "arn:aws:imagebuilder:us-east-1:111111111111:image/app/1.0.0/" + std::to_string(i);
    p.source_ami_id = ami;
    p.regions[0].ami->name = "copy-" + std::to_string(i);
    h.engine.distribute(p, [&](ib::DistributionResult r) { results.push_back(std::move(r)); });
  }
  h.ctx.scheduler().run();
  REQUIRE(results.size() == 120);
  for (const ib::DistributionResult& r : results) {
    CHECK(r.reason == "");
  }
  CHECK(h.aws.copy_peak(kTargetA, kSource) == 50);
  CHECK(h.engine.stats().copies_per_account_region_peak == 50);
  // Three waves of ten minutes (and a poll interval each).
  CHECK(h.ctx.now() - sim::Instant::start() >= sim::Duration::minutes(30));
}

TEST_CASE("Engine: the engine-wide copy limit is never exceeded", "[engine]") {
  Harness h({.copies_in_flight_max = 7});
  std::vector<api::AccountId> targets;
  for (int i = 0; i < 40; ++i) {
    targets.push_back(acct("5000000000" + std::to_string(10 + i)));
  }
  const ib::DistributionResult r = h.distribute(h.plan({kSource, kWest, kEu}, targets));
  REQUIRE(r.ok);
  CHECK(r.amis.size() == 3 + 3 * 40);
  CHECK(h.aws.copy_peak_total() == 7);
  CHECK(h.engine.stats().copies_in_flight_peak == 7);
  CHECK(h.engine.copies_in_flight() == 0);
}

TEST_CASE("Engine: a distribution past its timeout fails what is unfinished", "[engine]") {
  Harness h;
  h.aws.copy_time = sim::Duration::hours(3);
  ib::DistributionPlan p = h.plan({kSource, kWest}, {kTargetA});
  p.timeout = sim::Duration::minutes(60);
  const ib::DistributionResult r = h.distribute(p);
  REQUIRE_FALSE(r.ok);
  // Both copies (the owner's in us-west-2, the target's in us-east-1) were still pending.
  REQUIRE(r.failures.size() == 2);
  CHECK(r.reason.find("1) Distribution job timed out after 60 minutes when distributing the image "
                      "from the source account (ID: 111111111111) to the destination account "
                      "(ID: 222222222222) in Region us-east-1.")
        != std::string::npos);
  CHECK(r.reason.find("2) Distribution job timed out after 60 minutes") != std::string::npos);
  CHECK(h.engine.copies_in_flight() == 0);
}

TEST_CASE("Engine: cancel stops a distribution without calling back", "[engine]") {
  Harness h;
  bool called = false;
  h.engine.distribute(h.plan({kSource, kWest}, {kTargetA, kTargetB}),
                      [&](ib::DistributionResult) { called = true; });
  h.ctx.scheduler().run_for(sim::Duration::minutes(2));
  CHECK(h.engine.copies_in_flight() > 0);
  h.engine.cancel(kImageArn);
  h.ctx.scheduler().run();
  CHECK_FALSE(called);
  CHECK(h.engine.runs_active() == 0);
  CHECK(h.engine.jobs_active() == 0);
  CHECK(h.engine.copies_in_flight() == 0);
}

TEST_CASE("Engine: an engine destroyed mid-run leaves no event behind", "[engine]") {
  sim::Context ctx({.seed = 3});
  FakeAws aws(ctx);
  aws.add_image(kOwner, kSource, std::string(kSourceAmi));
  {
    DistributionEngine engine(ctx, aws, {.copies_per_account_region_max = 1});
    Harness shape;
    for (int i = 0; i < 3; ++i) {
      ib::DistributionPlan p = shape.plan({kSource, kWest}, {kTargetA, kTargetB});
      p.image_arn += std::to_string(i);
      engine.distribute(p, [](ib::DistributionResult) { FAIL("no callback after destruction"); });
    }
    ctx.scheduler().run_for(sim::Duration::minutes(3));
    CHECK(engine.jobs_active() > 0);
  }
  ctx.scheduler().run();  // Only the fake's own copy completions remain.
  CHECK(aws.copies_in_flight_total() == 0);
}

TEST_CASE("Engine: launch templates get a version with the new AMI in their account", "[engine]") {
  Harness h;
  h.aws.add_launch_template(
      "lt-0000000000000000a",
      FakeLaunchTemplate{
          .owner = kTargetA, .region = kWest, .default_version = 2, .version_images = {"a", "b"}});
  h.aws.add_launch_template("lt-0000000000000000b",
                            FakeLaunchTemplate{.owner = kOwner, .region = kWest});
  ib::DistributionPlan p = h.plan({kSource, kWest}, {kTargetA});
  p.regions[1].launch_templates = {{.launch_template_id = "lt-0000000000000000a",
                                    .account_id = kTargetA,
                                    .set_default_version = true},
                                   {.launch_template_id = "lt-0000000000000000b"}};
  const ib::DistributionResult r = h.distribute(p);
  REQUIRE(r.ok);
  const testing::FakeLaunchTemplate* a = h.aws.launch_template("lt-0000000000000000a");
  REQUIRE(a->version_images.size() == 3);
  CHECK(a->version_images[2] == r.amis[3].image);  // The target's AMI in us-west-2.
  CHECK(r.amis[3].account_id == kTargetA);
  CHECK(a->default_version == 3);
  const testing::FakeLaunchTemplate* b = h.aws.launch_template("lt-0000000000000000b");
  REQUIRE(b->version_images.size() == 2);
  CHECK(b->version_images[1] == r.amis[2].image);  // The owner's AMI in us-west-2.
  CHECK(b->default_version == 1);                  // setDefaultVersion was not asked for.
}

TEST_CASE("Engine: SSM parameters hold the AMI id of their account and region", "[engine]") {
  Harness h;
  ib::DistributionPlan p = h.plan({kSource, kWest}, {kTargetA});
  p.regions[1].ssm_parameters = {{.parameter_name = "/golden/ami", .ami_account_id = kTargetA},
                                 {.parameter_name = "/owner/ami"}};
  const ib::DistributionResult r = h.distribute(p);
  REQUIRE(r.ok);
  CHECK(h.aws.parameter(kTargetA, kWest, "/golden/ami") == r.amis[3].image);
  CHECK(h.aws.parameter(kOwner, kWest, "/owner/ami") == r.amis[2].image);
}

TEST_CASE("Engine: sessions are renewed before they expire", "[engine]") {
  Harness h;
  h.aws.session_seconds = 900;  // 15 minutes; copies take 40.
  h.aws.copy_time = sim::Duration::minutes(40);
  const ib::DistributionResult r = h.distribute(h.plan({kSource}, {kTargetA}));
  REQUIRE(r.ok);
  CHECK(h.aws.count("AssumeRole") > 2);
}

TEST_CASE("Engine: not-simulated settings are reported as notes", "[engine]") {
  Harness h;
  ib::DistributionPlan p = h.plan({kSource}, {});
  p.regions[0].not_simulated = {"fastLaunchConfigurations"};
  const ib::DistributionResult r = h.distribute(p);
  REQUIRE(r.ok);
  REQUIRE(r.notes.size() == 1);
  CHECK(r.notes[0].find("fastLaunchConfigurations") != std::string::npos);
}

TEST_CASE("Engine: the same seed gives the same trace", "[engine]") {
  const auto run = [](uint64_t seed) {
    Harness h({}, seed);
    h.aws.fail("CopyImage", sim::aws_error("RequestLimitExceeded", "slow", 503), 5);
    (void)h.distribute(h.plan({kSource, kWest, kEu}, {kTargetA, kTargetB}));
    return h.ctx.trace().hash();
  };
  CHECK(run(11) == run(11));
  CHECK(run(11) != run(12));
}

// ---- Builds ----------------------------------------------------------------------------------

ib::BuildPlan build_plan() {
  ib::BuildPlan p;
  p.image_arn = std::string(kImageArn);
  p.owner = kOwner;
  p.region = kSource;
  p.parent_ami_id = std::string(kSourceAmi);
  p.instance_profile_name = "BuildProfile";
  p.ami_name = "app 2026-01-01T00-00-00Z";
  p.block_devices = {{.device_name = "/dev/xvda", .encrypted = true, .kms_key_id = "alias/app"}};
  return p;
}

ib::BuildResult build(Harness& h, const ib::BuildPlan& p) {
  std::optional<ib::BuildResult> result;
  h.engine.build(p, [&](ib::BuildResult r) { result = std::move(r); });
  h.ctx.scheduler().run();
  REQUIRE(result.has_value());
  return *result;
}

TEST_CASE("Engine: a build launches creates tags and terminates", "[engine]") {
  Harness h;
  h.aws.add_instance_profile(kOwner, "BuildProfile");
  const ib::BuildResult r = build(h, build_plan());
  REQUIRE(r.ok);
  const testing::FakeImage* img = h.aws.image(r.ami_id);
  REQUIRE(img != nullptr);
  CHECK(img->state == "available");
  CHECK(img->tags.at("CreatedBy") == "EC2 Image Builder");
  CHECK(img->tags.at("Ec2ImageBuilderArn") == kImageArn);
  REQUIRE(h.aws.instances().size() == 1);
  CHECK(h.aws.instances().begin()->second == "terminated");
  std::vector<std::string> ops;
  for (const testing::CallRecord& c : h.aws.calls()) {
    if (ops.empty() || ops.back() != c.operation) {
      ops.push_back(c.operation);
    }
  }
  CHECK(ops
        == std::vector<std::string>{"AssumeRole",
                                    "GetInstanceProfile",
                                    "RunInstances",
                                    "DescribeInstances",
                                    "CreateImage",
                                    "TerminateInstances",
                                    "DescribeImages"});
}

TEST_CASE("Engine: a build without an instance profile fails with AWS's reason", "[engine]") {
  Harness h;
  ib::BuildPlan p = build_plan();
  p.instance_profile_name.clear();
  const ib::BuildResult r = build(h, p);
  REQUIRE_FALSE(r.ok);
  CHECK(r.reason
        == "Can't start SSM Automation for arn " + std::string(kImageArn)
               + " during building. Parameter \"iamInstanceProfileName\" has a null value.");
  CHECK(h.aws.count("RunInstances") == 0);
}

TEST_CASE("Engine: a build with a missing instance profile fails before launching", "[engine]") {
  Harness h;
  const ib::BuildResult r = build(h, build_plan());
  REQUIRE_FALSE(r.ok);
  CHECK(r.reason
        == "Can't start SSM Automation for arn " + std::string(kImageArn)
               + " during building. Value (BuildProfile) for parameter iamInstanceProfile.name "
                 "is invalid. Invalid IAM Instance Profile name");
  CHECK(r.explanation.find("NoSuchEntity") != std::string::npos);
  CHECK(h.aws.count("RunInstances") == 0);
}

TEST_CASE("Engine: a failed CreateImage terminates the build instance", "[engine]") {
  Harness h;
  h.aws.add_instance_profile(kOwner, "BuildProfile");
  h.aws.fail("CreateImage",
             sim::aws_error("InvalidAMIName.Duplicate", "AMI name app is already in use", 400));
  const ib::BuildResult r = build(h, build_plan());
  REQUIRE_FALSE(r.ok);
  CHECK(r.reason.find("Image creation failed for arn") == 0);
  CHECK(r.reason.find("EC2 Client Error: 'AMI name app is already in use'") != std::string::npos);
  CHECK(h.aws.instances().begin()->second == "terminated");
}

TEST_CASE("Engine: a lost CreateImage answer finds the image by name", "[engine]") {
  Harness h;
  h.aws.add_instance_profile(kOwner, "BuildProfile");
  h.aws.fail("CreateImage",
             client::maybe_applied("no answer"),
             1,
             std::nullopt,
             std::nullopt,
             /*applied_first=*/true);
  const ib::BuildResult r = build(h, build_plan());
  REQUIRE(r.ok);
  CHECK(h.aws.count("CreateImage") == 1);
}

// ---- Reasons ---------------------------------------------------------------------------------

TEST_CASE("Engine: job lines follow AWS's wording", "[engine]") {
  JobFailureLine line{.kind = JobFailureLine::Kind::kClientError,
                      .service = "EC2",
                      .message =
                          "Snapshots encrypted with the AWS Managed CMK can\u2019t be shared. "
                          "Specify another snapshot.",
                      .source_account = kOwner,
                      .destination_account = kTargetA,
                      .region = kWest};
  CHECK(format_job_line(line)
        == "EC2 Client Error: 'Snapshots encrypted with the AWS Managed CMK can\u2019t be "
           "shared. Specify another snapshot.' when distributing the image from the source "
           "account (ID: 111111111111) to the destination account (ID: 222222222222) in Region "
           "us-west-2.");
  CHECK(format_distribution_reason("j-1", "arn:x", {"A.", "B."})
        == "Distribution failed with JobId 'j-1', status = 'Failed' for ARN 'arn:x'. 'Not all "
           "distribution jobs are completed. 1) A. 2) B.'");
}

TEST_CASE("Engine: retry classes follow the error codes", "[engine]") {
  CHECK(classify_retry(sim::aws_error("ResourceLimitExceeded", "x")) == RetryClass::kRetry);
  CHECK(classify_retry(sim::aws_error("RequestLimitExceeded", "x", 503)) == RetryClass::kRetry);
  CHECK(classify_retry(sim::aws_error("ThrottlingException", "x")) == RetryClass::kRetry);
  CHECK(classify_retry(sim::aws_error("InternalError", "x", 500)) == RetryClass::kRetry);
  CHECK(classify_retry(sim::aws_error("Whatever", "x", 502)) == RetryClass::kRetry);
  CHECK(classify_retry(client::maybe_applied("x")) == RetryClass::kRetry);
  CHECK(classify_retry(client::not_sent("x")) == RetryClass::kRetry);
  CHECK(classify_retry(sim::aws_error("ExpiredToken", "x")) == RetryClass::kRenewSession);
  CHECK(classify_retry(sim::aws_error("AccessDenied", "x", 403)) == RetryClass::kFail);
  CHECK(classify_retry(sim::aws_error("UnauthorizedOperation", "x", 403)) == RetryClass::kFail);
  CHECK(classify_retry(sim::aws_error("InvalidParameterValue", "x")) == RetryClass::kFail);
}

TEST_CASE("Engine: options out of range are refused", "[engine]") {
  CHECK(validate(EngineOptions{}).ok());
  CHECK_FALSE(validate(EngineOptions{.poll_interval = sim::Duration::zero()}).ok());
  CHECK_FALSE(validate(EngineOptions{.copies_per_account_region_max = 0}).ok());
  CHECK_FALSE(validate(EngineOptions{.retry_attempts_max = 0}).ok());
  CHECK_FALSE(validate(EngineOptions{.backoff_base = sim::Duration::seconds(10),
                                     .backoff_max = sim::Duration::seconds(1)})
                  .ok());
}

}  // namespace
}  // namespace ibsim::engine
