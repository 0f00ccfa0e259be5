// End to end: the engine through the direct transport and the real IAM, STS, KMS and EC2 models.
// One test per prerequisite and limitation of AWS's cross-account distribution page
// (aws-facts §2), each failing for the reason AWS gives, plus the target launching what it got.

#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "mock_aws/api/arn.h"
#include "tests/src/engine/engine_world.h"
#include "tests/test_printers.h"

namespace ibsim::engine::testing {
namespace {

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
const api::Region kLondon = region("eu-west-2");  // No paravirtual support.

std::string job_line_prefix(const ib::DistributionResult& r) {
  return r.reason.substr(0, std::string("Distribution failed with JobId '").size() + 36);
}

const ib::OutputAmi* find_ami(const ib::DistributionResult& r,
                              const api::AccountId& account,
                              const api::Region& rg) {
  for (const ib::OutputAmi& a : r.amis) {
    if (a.account_id == account && a.region == rg) {
      return &a;
    }
  }
  return nullptr;
}

struct TwoTargets {
  TwoTargets() {
    w.account(kOwner);
    w.account(kTargetA);
    w.account(kTargetB);
  }

  EngineWorld w;
};

TEST_CASE("Distribution: unencrypted image to two regions and two accounts", "[engine]") {
  TwoTargets t;
  EngineWorld& w = t.w;
  w.cross_account_role(kTargetA, kOwner, {});
  w.cross_account_role(kTargetB, kOwner, {});
  const std::string ami = w.source_image(kOwner, kSource);
  const ib::DistributionResult r =
      w.distribute(w.plan(kOwner, ami, {kSource, kWest}, {kTargetA, kTargetB}));
  INFO(r.reason);
  REQUIRE(r.ok);
  REQUIRE(r.amis.size() == 6);
  for (const ib::OutputAmi& a : r.amis) {
    const mock_aws::ec2::ImageRecord* img = w.image(a.region, a.image);
    REQUIRE(img != nullptr);
    CHECK(img->owner == a.account_id);
    CHECK(img->state == mock_aws::ec2::ImageState::kAvailable);
    CHECK(w.snapshot_key(a.region, a.image).empty());
    CHECK(a.status == "AVAILABLE");
  }
  CHECK(find_ami(r, kOwner, kSource)->image == ami);
  CHECK(find_ami(r, kTargetB, kWest)->name == "app-2026-01-01T00-00-00Z");
  CHECK(w.ec2.copies_started() == 5);
}

TEST_CASE("Distribution: sharing one account per call works the same", "[engine]") {
  EngineWorld::Options o;
  o.engine.share_accounts_per_call_max = 1;
  EngineWorld w(o);
  w.account(kOwner);
  w.account(kTargetA);
  w.account(kTargetB);
  w.cross_account_role(kTargetA, kOwner, {});
  w.cross_account_role(kTargetB, kOwner, {});
  const std::string ami = w.source_image(kOwner, kSource);
  const ib::DistributionResult r =
      w.distribute(w.plan(kOwner, ami, {kSource, kWest}, {kTargetA, kTargetB}));
  INFO(r.reason);
  REQUIRE(r.ok);
  CHECK(r.amis.size() == 6);
  const mock_aws::ec2::ImageRecord* west = w.image(kWest, find_ami(r, kOwner, kWest)->image);
  REQUIRE(west->launch_permissions != nullptr);
  CHECK(west->launch_permissions->user_ids.size() == 2);
}

TEST_CASE("Distribution: encrypted image re-encrypted under each region's key", "[engine]") {
  TwoTargets t;
  EngineWorld& w = t.w;
  w.cross_account_role(kTargetA, kOwner, {});
  const std::string source_key = w.key(kOwner, kSource, {kTargetA});
  const std::string west_key = w.key(kOwner, kWest, {kTargetA});
  const std::string ami = w.source_image(kOwner, kSource, source_key);
  ib::DistributionPlan p = w.plan(kOwner, ami, {kSource, kWest}, {kTargetA});
  p.regions[0].ami->kms_key_id = source_key;
  p.regions[1].ami->kms_key_id = west_key;
  const ib::DistributionResult r = w.distribute(p);
  INFO(r.reason);
  REQUIRE(r.ok);
  REQUIRE(r.amis.size() == 4);
  CHECK(w.snapshot_key(kSource, find_ami(r, kOwner, kSource)->image) == source_key);
  CHECK(w.snapshot_key(kSource, find_ami(r, kTargetA, kSource)->image) == source_key);
  CHECK(w.snapshot_key(kWest, find_ami(r, kOwner, kWest)->image) == west_key);
  CHECK(w.snapshot_key(kWest, find_ami(r, kTargetA, kWest)->image) == west_key);
  // The data really moved: the target reads the same bytes as the source holds.
  const api::CallContext as_target{.principal = api::Principal::root(kTargetA), .region = kWest};
  const api::CallContext as_owner{.principal = api::Principal::root(kOwner), .region = kSource};
  const mock_aws::ec2::ImageRecord* src = w.image(kSource, ami);
  const mock_aws::ec2::ImageRecord* copy = w.image(kWest, find_ami(r, kTargetA, kWest)->image);
  const auto original =
      w.ec2.read_snapshot_content(as_owner, kSource, src->block_devices[0].snapshot_id.view());
  const auto copied =
      w.ec2.read_snapshot_content(as_target, kWest, copy->block_devices[0].snapshot_id.view());
  REQUIRE(original.ok());
  REQUIRE(copied.ok());
  CHECK(*original == *copied);
}

TEST_CASE("Distribution: without KmsKeyId the target's default EBS key is used", "[engine]") {
  TwoTargets t;
  EngineWorld& w = t.w;
  w.cross_account_role(kTargetA, kOwner, {});
  const std::string source_key = w.key(kOwner, kSource, {kTargetA});
  const std::string ami = w.source_image(kOwner, kSource, source_key);
  const ib::DistributionResult r = w.distribute(w.plan(kOwner, ami, {kSource}, {kTargetA}));
  INFO(r.reason);
  REQUIRE(r.ok);
  const std::string target_default = w.kms.aws_managed_ebs_key(kTargetA, kSource);
  CHECK(w.snapshot_key(kSource, find_ami(r, kTargetA, kSource)->image) == target_default);
}

TEST_CASE("Distribution: a target without the role fails with AssumeRole denied", "[engine]") {
  TwoTargets t;
  EngineWorld& w = t.w;
  w.cross_account_role(kTargetA, kOwner, {});
  w.cross_account_role(kTargetB, kOwner, {.create = false});
  const std::string ami = w.source_image(kOwner, kSource);
  const ib::DistributionResult r =
      w.distribute(w.plan(kOwner, ami, {kSource}, {kTargetA, kTargetB}));
  REQUIRE_FALSE(r.ok);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].account_id == kTargetB);
  CHECK(r.failures[0].step == "AssumeRole");
  CHECK(r.reason
        == job_line_prefix(r)
               + "', status = 'Failed' for ARN "
                 "'arn:aws:imagebuilder:us-east-1:111111111111:image/app/1.0.0/1'. 'Not all "
                 "distribution jobs are completed. 1) STS Client Error: 'User: "
                 "arn:aws:sts::111111111111:assumed-role/AWSServiceRoleForImageBuilder/"
                 "ImageBuilder is not authorized to perform: sts:AssumeRole on resource: "
                 "arn:aws:iam::333333333333:role/EC2ImageBuilderDistributionCrossAccountRole' "
                 "when distributing the image from the source account (ID: 111111111111) to the "
                 "destination account (ID: 333333333333) in Region us-east-1.'");
  CHECK(r.failures[0].explanation.find(
            "create the IAM role EC2ImageBuilderDistributionCrossAccountRole")
        != std::string::npos);
  // Target A still got its copy.
  CHECK(find_ami(r, kTargetA, kSource) != nullptr);
}

TEST_CASE("Distribution: a trust policy without the source account is denied", "[engine]") {
  TwoTargets t;
  EngineWorld& w = t.w;
  w.cross_account_role(kTargetA, kOwner, {.trust_source = false});
  const std::string ami = w.source_image(kOwner, kSource);
  const ib::DistributionResult r = w.distribute(w.plan(kOwner, ami, {kSource}, {kTargetA}));
  REQUIRE_FALSE(r.ok);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].step == "AssumeRole");
  CHECK(r.reason.find("1) STS Client Error: 'User: arn:aws:sts::111111111111:assumed-role/"
                      "AWSServiceRoleForImageBuilder/ImageBuilder is not authorized to perform: "
                      "sts:AssumeRole on resource: arn:aws:iam::222222222222:role/"
                      "EC2ImageBuilderDistributionCrossAccountRole'")
        != std::string::npos);
  // ibsim's explanation embeds STS's: the trust policy is the resource policy that said no.
  CHECK(r.failures[0].explanation.find("\"denial\"") != std::string::npos);
}

TEST_CASE("Distribution: without the managed policy the target cannot copy", "[engine]") {
  TwoTargets t;
  EngineWorld& w = t.w;
  w.cross_account_role(kTargetA, kOwner, {.managed_policy = false});
  const std::string ami = w.source_image(kOwner, kSource);
  const ib::DistributionResult r = w.distribute(w.plan(kOwner, ami, {kSource}, {kTargetA}));
  REQUIRE_FALSE(r.ok);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].step == "CopyImage");
  CHECK(r.reason.find("1) EC2 Client Error: 'You are not authorized to perform this operation. "
                      "Encoded authorization failure message: ")
        != std::string::npos);
  CHECK(r.reason.find("when distributing the image from the source account (ID: 111111111111) "
                      "to the destination account (ID: 222222222222) in Region us-east-1.'")
        != std::string::npos);
  CHECK(r.failures[0].explanation.find("ec2:CopyImage") != std::string::npos);
  CHECK(r.failures[0].explanation.find("Ec2ImageBuilderCrossAccountDistributionAccess")
        != std::string::npos);
  CHECK(w.ec2.copies_started() == 0);
}

TEST_CASE("Distribution: a key policy without the target account fails the copy", "[engine]") {
  TwoTargets t;
  EngineWorld& w = t.w;
  w.cross_account_role(kTargetA, kOwner, {});
  const std::string source_key = w.key(kOwner, kSource, {});  // Target not named.
  const std::string ami = w.source_image(kOwner, kSource, source_key);
  const ib::DistributionResult r = w.distribute(w.plan(kOwner, ami, {kSource}, {kTargetA}));
  REQUIRE_FALSE(r.ok);
  const ib::OutputAmi* failed = find_ami(r, kTargetA, kSource);
  REQUIRE(failed != nullptr);
  CHECK(failed->status == "FAILED");
  CHECK(failed->reason == "Copy image failed with an internal error");
  CHECK(r.reason
        == job_line_prefix(r)
               + "', status = 'Failed' for ARN "
                 "'arn:aws:imagebuilder:us-east-1:111111111111:image/app/1.0.0/1'. 'Not all "
                 "distribution jobs are completed. 1) AMI Copy Reported Failure For "
               + failed->image
               + " when distributing the image from the source account (ID: 111111111111) to "
                 "the destination account (ID: 222222222222) in Region us-east-1.'");
  REQUIRE(r.failures.size() == 1);
  const std::string& why = r.failures[0].explanation;
  INFO(why);
  CHECK(why.find(source_key) != std::string::npos);  // Which key said no.
  CHECK(why.find("\"denial\"") != std::string::npos);
  CHECK(why.find("key policy") != std::string::npos);
}

TEST_CASE("Distribution: a role without the inline KMS policy fails the copy", "[engine]") {
  TwoTargets t;
  EngineWorld& w = t.w;
  w.cross_account_role(kTargetA, kOwner, {.kms_inline_policy = false});
  const std::string source_key = w.key(kOwner, kSource, {kTargetA});
  const std::string ami = w.source_image(kOwner, kSource, source_key);
  const ib::DistributionResult r = w.distribute(w.plan(kOwner, ami, {kSource}, {kTargetA}));
  REQUIRE_FALSE(r.ok);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.reason.find("1) AMI Copy Reported Failure For ami-") != std::string::npos);
  const std::string& why = r.failures[0].explanation;
  INFO(why);
  CHECK(why.find("identity-based") != std::string::npos);
  CHECK(why.find("EC2ImageBuilderDistributionCrossAccountRole") != std::string::npos);
}

TEST_CASE("Distribution: launch templates need the launch-template policy", "[engine]") {
  TwoTargets t;
  EngineWorld& w = t.w;
  w.cross_account_role(kTargetA, kOwner, {.launch_template_policy = false});
  const std::string ami = w.source_image(kOwner, kSource);
  const std::string lt = w.launch_template(kTargetA, kSource, /*tagged_created_by=*/true);
  ib::DistributionPlan p = w.plan(kOwner, ami, {kSource}, {kTargetA});
  p.regions[0].launch_templates = {
      {.launch_template_id = lt, .account_id = kTargetA, .set_default_version = true}};
  const ib::DistributionResult r = w.distribute(p);
  REQUIRE_FALSE(r.ok);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].step == "DescribeLaunchTemplates");
  CHECK(r.reason.find("1) EC2 Client Error: 'You are not authorized to perform this operation.")
        != std::string::npos);
  CHECK(r.failures[0].explanation.find("aws:ResourceTag/CreatedBy") != std::string::npos);
  // The AMI itself was delivered.
  CHECK(find_ami(r, kTargetA, kSource)->status == "AVAILABLE");
  CHECK(w.ec2.find_launch_template(kTargetA, kSource, lt)->versions.size() == 1);
}

TEST_CASE("Distribution: a launch template not tagged CreatedBy cannot be versioned", "[engine]") {
  TwoTargets t;
  EngineWorld& w = t.w;
  w.cross_account_role(kTargetA, kOwner, {.launch_template_policy = true});
  const std::string ami = w.source_image(kOwner, kSource);
  const std::string lt = w.launch_template(kTargetA, kSource, /*tagged_created_by=*/false);
  ib::DistributionPlan p = w.plan(kOwner, ami, {kSource}, {kTargetA});
  p.regions[0].launch_templates = {{.launch_template_id = lt, .account_id = kTargetA}};
  const ib::DistributionResult r = w.distribute(p);
  REQUIRE_FALSE(r.ok);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].step == "CreateLaunchTemplateVersion");
  CHECK(r.failures[0].explanation.find("CreatedBy") != std::string::npos);
}

TEST_CASE("Distribution: a tagged launch template gets the new AMI as default", "[engine]") {
  TwoTargets t;
  EngineWorld& w = t.w;
  w.cross_account_role(kTargetA, kOwner, {.launch_template_policy = true});
  const std::string ami = w.source_image(kOwner, kSource);
  const std::string lt = w.launch_template(kTargetA, kSource, /*tagged_created_by=*/true);
  const std::string own_lt = w.launch_template(kOwner, kSource, false, "owner-template");
  ib::DistributionPlan p = w.plan(kOwner, ami, {kSource}, {kTargetA});
  p.regions[0].launch_templates = {
      {.launch_template_id = lt, .account_id = kTargetA, .set_default_version = true},
      {.launch_template_id = own_lt, .set_default_version = true}};
  const ib::DistributionResult r = w.distribute(p);
  INFO(r.reason);
  REQUIRE(r.ok);
  const mock_aws::ec2::LaunchTemplateRecord* rec =
      w.ec2.find_launch_template(kTargetA, kSource, lt);
  REQUIRE(rec->versions.size() == 2);
  CHECK(rec->versions.at(2).data.image_id == find_ami(r, kTargetA, kSource)->image);
  CHECK(rec->versions.at(2).data.instance_type == "t3.micro");  // Inherited from the default.
  CHECK(rec->default_version == 2);
  // The owner's template (the service-linked role may version any) gets the owner's AMI.
  const mock_aws::ec2::LaunchTemplateRecord* own =
      w.ec2.find_launch_template(kOwner, kSource, own_lt);
  REQUIRE(own->versions.size() == 2);
  CHECK(own->versions.at(2).data.image_id == ami);
}

TEST_CASE("Distribution: an SSM parameter holds the AMI id in its account", "[engine]") {
  TwoTargets t;
  EngineWorld& w = t.w;
  w.cross_account_role(kTargetA, kOwner, {.ssm_policy = true});
  w.cross_account_role(kTargetB, kOwner, {});  // No ssm:PutParameter.
  const std::string ami = w.source_image(kOwner, kSource);
  ib::DistributionPlan p = w.plan(kOwner, ami, {kSource, kWest}, {kTargetA, kTargetB});
  p.regions[1].ssm_parameters = {
      {.parameter_name = "/golden/ami", .ami_account_id = kTargetA, .data_type = "aws:ec2:image"},
      {.parameter_name = "/golden/ami", .ami_account_id = kTargetB}};
  const ib::DistributionResult r = w.distribute(p);
  const std::optional<api::ssm::Parameter> param =
      w.ssm.find_parameter(kTargetA, kWest, "/golden/ami");
  REQUIRE(param.has_value());
  CHECK(param->value == find_ami(r, kTargetA, kWest)->image);
  CHECK(param->data_type == "aws:ec2:image");
  // Target B's role may not write parameters: its job fails, with SSM's words.
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].account_id == kTargetB);
  CHECK(r.failures[0].step == "PutParameter");
  CHECK(r.reason.find("1) SSM Client Error: 'User: arn:aws:sts::333333333333:assumed-role/"
                      "EC2ImageBuilderDistributionCrossAccountRole/")
        != std::string::npos);
  CHECK_FALSE(w.ssm.find_parameter(kTargetB, kWest, "/golden/ami").has_value());
}

TEST_CASE("Distribution: many copies into one account and region respect the 50-copy cap",
          "[engine]") {
  // 80 images distributed at once into the same target account and region; the engine's own cap
  // is set above EC2's so EC2's ResourceLimitExceeded is met and retried too.
  EngineWorld::Options o;
  o.engine.copies_per_account_region_max = 60;
  o.engine.retry_attempts_max = 40;
  o.engine.backoff_max = sim::Duration::minutes(2);
  EngineWorld w(o);
  w.account(kOwner);
  w.account(kTargetA);
  w.cross_account_role(kTargetA, kOwner, {});
  std::vector<ib::DistributionResult> results;
  for (int i = 0; i < 80; ++i) {
    const std::string ami = w.source_image(kOwner, kSource, {}, "hvm", "src-" + std::to_string(i));
    ib::DistributionPlan p = w.plan(kOwner, ami, {kSource}, {kTargetA});
    p.image_arn =
        "arn:aws:imagebuilder:us-east-1:111111111111:image/app/1.0.0/" + std::to_string(i);
    p.regions[0].ami->name = "copy-" + std::to_string(i);
    w.engine.distribute(p, [&](ib::DistributionResult r) { results.push_back(std::move(r)); });
  }
  w.ctx.scheduler().run();
  REQUIRE(results.size() == 80);
  for (const ib::DistributionResult& r : results) {
    CHECK(r.reason == "");
  }
  CHECK(w.ec2.copy_peak(kTargetA, kSource) == 50);
  CHECK(w.ec2.copy_limit(kTargetA, kSource) == 50);
  CHECK(w.engine.stats().copies_per_account_region_peak == 60);
  CHECK(w.engine.stats().retries > 0);  // ResourceLimitExceeded, retried.
}

TEST_CASE("Distribution: many targets finish under the engine's caps", "[engine]") {
  EngineWorld::Options o;
  o.engine.copies_in_flight_max = 50;
  EngineWorld w(o);
  w.account(kOwner);
  std::vector<api::AccountId> targets;
  for (int i = 0; i < 120; ++i) {
    const api::AccountId a = acct("4000000" + std::to_string(10000 + i));
    w.account(a);
    w.cross_account_role(a, kOwner, {});
    targets.push_back(a);
  }
  const std::string ami = w.source_image(kOwner, kSource);
  const ib::DistributionResult r = w.distribute(w.plan(kOwner, ami, {kSource, kWest}, targets));
  INFO(r.reason);
  REQUIRE(r.ok);
  CHECK(r.amis.size() == 2 + 2 * 120);
  CHECK(w.engine.stats().copies_in_flight_peak == 50);
  for (const auto& [key, peak] : w.ec2.copy_peaks()) {
    CHECK(peak <= 50);
  }
}

TEST_CASE("Distribution: the first poll of a copy comes when such copies are expected done",
          "[engine]") {
  // 160 targets, 20 copies at a time: eight waves. With poll_adaptive the engine learns how long
  // copies into each region take and looks first at about that time, so it needs far fewer
  // DescribeImages than polling at 30 s, 1 min, 2 min ... and finishes about as soon.
  struct Outcome {
    uint64_t polls = 0;
    uint64_t copies = 0;
    sim::Instant done;
  };

  auto run = [](bool adaptive) {
    EngineWorld::Options o;
    o.engine.copies_in_flight_max = 20;
    o.engine.poll_adaptive = adaptive;
    EngineWorld w(o);
    w.account(kOwner);
    std::vector<api::AccountId> targets;
    for (int i = 0; i < 160; ++i) {
      const api::AccountId a = acct("4000000" + std::to_string(10000 + i));
      w.account(a);
      w.cross_account_role(a, kOwner, {});
      targets.push_back(a);
    }
    const std::string ami = w.source_image(kOwner, kSource);
    const ib::DistributionResult r = w.distribute(w.plan(kOwner, ami, {kSource}, targets));
    INFO(r.reason);
    REQUIRE(r.ok);
    return Outcome{.polls = w.engine.stats().polls,
                   .copies = w.engine.stats().copies_started,
                   .done = w.ctx.now()};
  };
  const Outcome fixed = run(false);
  const Outcome adaptive = run(true);
  REQUIRE(fixed.copies >= 160);
  REQUIRE(adaptive.copies == fixed.copies);
  INFO("polls: fixed " << fixed.polls << ", adaptive " << adaptive.polls << ", copies "
                       << fixed.copies);
  CHECK(adaptive.polls * 4 < fixed.polls * 3);
  CHECK(adaptive.polls * 2 < adaptive.copies * 5);  // Under 2.5 per copy, learning included.
  // Finishing: at most a tenth later than with fixed polling.
  CHECK((adaptive.done.since_start() * 10) <= (fixed.done.since_start() * 11));
  EngineOptions bad;
  bad.poll_first_max = sim::Duration::seconds(10);  // Below poll_interval.
  CHECK_FALSE(validate(bad).ok());
}

TEST_CASE("Distribution: a paravirtual image cannot go to a region without PV", "[engine]") {
  TwoTargets t;
  EngineWorld& w = t.w;
  w.cross_account_role(kTargetA, kOwner, {});
  const std::string ami = w.source_image(kOwner, kSource, {}, "paravirtual");
  const ib::DistributionResult r =
      w.distribute(w.plan(kOwner, ami, {kSource, kLondon}, {kTargetA}));
  REQUIRE_FALSE(r.ok);
  REQUIRE(r.failures.size() == 1);
  CHECK(r.failures[0].region == kLondon);
  CHECK(r.failures[0].account_id == kOwner);
  CHECK(r.reason.find("1) EC2 Client Error: 'The image " + ami
                      + " uses paravirtual (PV) virtualization, which region eu-west-2 does not "
                        "support.' when distributing the image from the source account (ID: "
                        "111111111111) to the destination account (ID: 111111111111) in Region "
                        "eu-west-2.'")
        != std::string::npos);
  CHECK(r.failures[0].explanation.find("support PV") != std::string::npos);
  // us-east-1 supports PV: the target got its copy there.
  CHECK(find_ami(r, kTargetA, kSource)->status == "AVAILABLE");
}

TEST_CASE("Distribution: an aws/ebs-encrypted source cannot reach another account", "[engine]") {
  TwoTargets t;
  EngineWorld& w = t.w;
  w.cross_account_role(kTargetA, kOwner, {});
  const std::string ebs_key = w.kms.aws_managed_ebs_key(kOwner, kSource);
  const std::string ami = w.source_image(kOwner, kSource, ebs_key);
  const ib::DistributionResult r = w.distribute(w.plan(kOwner, ami, {kSource}, {kTargetA}));
  REQUIRE_FALSE(r.ok);
  REQUIRE(r.failures.size() == 1);
  // The EC2 model refuses to share the image itself already (ModifyImageAttribute); AWS's
  // message is the same either way.
  CHECK((r.failures[0].step == "ModifyImageAttribute"
         || r.failures[0].step == "ModifySnapshotAttribute"));
  CHECK(r.reason
        == job_line_prefix(r)
               + "', status = 'Failed' for ARN "
                 "'arn:aws:imagebuilder:us-east-1:111111111111:image/app/1.0.0/1'. 'Not all "
                 "distribution jobs are completed. 1) EC2 Client Error: 'Snapshots encrypted "
                 "with the AWS Managed CMK can\u2019t be shared. Specify another snapshot.' when "
                 "distributing the image from the source account (ID: 111111111111) to the "
                 "destination account (ID: 222222222222) in Region us-east-1.'");
  CHECK(r.failures[0].explanation.find("customer managed KMS key") != std::string::npos);
}

TEST_CASE("Distribution: the target account can launch what it received", "[engine]") {
  TwoTargets t;
  EngineWorld& w = t.w;
  w.cross_account_role(kTargetA, kOwner, {});
  const std::string west_key = w.key(kOwner, kWest, {kTargetA});
  const std::string source_key = w.key(kOwner, kSource, {kTargetA});
  const std::string ami = w.source_image(kOwner, kSource, source_key);
  ib::DistributionPlan p = w.plan(kOwner, ami, {kSource, kWest}, {kTargetA});
  p.regions[1].ami->kms_key_id = west_key;
  const ib::DistributionResult r = w.distribute(p);
  INFO(r.reason);
  REQUIRE(r.ok);
  const std::string copy = find_ami(r, kTargetA, kWest)->image;
  std::unique_ptr<client::Ec2Client> ec2 = w.clients.ec2(EngineWorld::root(kTargetA), kWest);
  sim::Result<client::ec2::RunInstancesOutput> run =
      ec2->run_instances({.image_id = copy, .instance_type = "t3.micro"});
  INFO((run.ok() ? std::string() : run.error().message));
  REQUIRE(run.ok());
  REQUIRE(run->instances.size() == 1);
  const std::string instance = *run->instances[0].instance_id;
  w.ctx.scheduler().run();
  sim::Result<client::ec2::DescribeInstancesOutput> seen =
      ec2->describe_instances({.instance_ids = {instance}});
  REQUIRE(seen.ok());
  CHECK(seen->reservations.at(0).instances.at(0).state->name == "running");
}

TEST_CASE("Distribution: re-running makes no second copy in the models", "[engine]") {
  TwoTargets t;
  EngineWorld& w = t.w;
  w.cross_account_role(kTargetA, kOwner, {});
  w.cross_account_role(kTargetB, kOwner, {});
  const std::string ami = w.source_image(kOwner, kSource);
  const ib::DistributionPlan p = w.plan(kOwner, ami, {kSource, kWest}, {kTargetA, kTargetB});
  const ib::DistributionResult first = w.distribute(p);
  REQUIRE(first.ok);
  const uint64_t copies = w.ec2.copies_started();
  const ib::DistributionResult second = w.distribute(p);
  REQUIRE(second.ok);
  CHECK(w.ec2.copies_started() == copies);
  for (std::size_t i = 0; i < first.amis.size(); ++i) {
    CHECK(first.amis[i].image == second.amis[i].image);
  }
}

TEST_CASE("Distribution: the direct transport authenticates credentials", "[engine]") {
  TwoTargets t;
  EngineWorld& w = t.w;
  // An unknown key, per family.
  const client::Identity nobody = client::Identity::from_credentials(
      {.access_key_id = "AKIANOBODY0000000000", .secret_access_key = "x"});
  auto ec2 = w.clients.ec2(nobody, kSource)->describe_images({});
  REQUIRE_FALSE(ec2.ok());
  CHECK(ec2.error().code == "AuthFailure");
  auto sts = w.clients.sts(nobody, kSource)->get_caller_identity({});
  REQUIRE_FALSE(sts.ok());
  CHECK(sts.error().code == "InvalidClientTokenId");
  // A session: the wrong secret is refused, the right one answers, expiry is enforced.
  auto session = w.clients.sts(client::Identity::service("imagebuilder.amazonaws.com"), kSource)
                     ->assume_role({.role_arn = service_linked_role_arn(kOwner),
                                    .role_session_name = "ImageBuilder"});
  REQUIRE(session.ok());
  client::Credentials c{.access_key_id = session->credentials.access_key_id,
                        .secret_access_key = "wrong",
                        .session_token = session->credentials.session_token};
  auto bad = w.clients.sts(client::Identity::from_credentials(c), kSource)->get_caller_identity({});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "SignatureDoesNotMatch");
  c.secret_access_key = session->credentials.secret_access_key;
  auto who = w.clients.sts(client::Identity::from_credentials(c), kSource)->get_caller_identity({});
  REQUIRE(who.ok());
  CHECK(who->arn
        == "arn:aws:sts::111111111111:assumed-role/AWSServiceRoleForImageBuilder/ImageBuilder");
  auto client = w.clients.ec2(client::Identity::from_credentials(c), kSource);
  w.ctx.scheduler().run_for(sim::Duration::hours(2));
  auto late = client->describe_images({});
  REQUIRE_FALSE(late.ok());
  CHECK(late.error().code == "RequestExpired");
}

// ---- The whole stack: Image Builder's API -> its model -> the engine -> the models ----------

namespace ibt = mock_aws::api::imagebuilder;

api::CallContext owner_call() {
  return api::CallContext{.principal = api::Principal::root(kOwner),
                          .region = kSource,
                          .request_id = "test",
                          .request_unix_ms = sim::Context::kDefaultEpochUnixMs};
}

std::string create_configuration(EngineWorld& w, const std::vector<std::string>& targets) {
  ibt::Distribution east{.region = "us-east-1"};
  east.ami_distribution_configuration = ibt::AmiDistributionConfiguration{
      .name = std::string("app-{{ imagebuilder:buildDate }}"), .target_account_ids = targets};
  ibt::Distribution west = east;
  west.region = "us-west-2";
  sim::Result<ibt::CreateDistributionConfigurationOutput> created =
      w.world.imagebuilder().create_distribution_configuration(
          owner_call(), {.name = "app", .distributions = {east, west}, .client_token = "c1"});
  INFO((created.ok() ? std::string() : created.error().message));
  REQUIRE(created.ok());
  return created->distribution_configuration_arn;
}

ibt::Image distribute_image(EngineWorld& w, const std::string& ami, const std::string& config) {
  sim::Result<ibt::DistributeImageOutput> started = w.world.imagebuilder().distribute_image(
      owner_call(),
      {.source_image = ami,
       .distribution_configuration_arn = config,
       .execution_role = "arn:aws:iam::111111111111:role/ImageBuilderExecution",
       .client_token = "d1"});
  INFO((started.ok() ? std::string() : started.error().message));
  REQUIRE(started.ok());
  w.ctx.scheduler().run();
  sim::Result<ibt::GetImageOutput> got =
      w.world.imagebuilder().get_image(owner_call(), {started->image_build_version_arn});
  REQUIRE(got.ok());
  return got->image;
}

TEST_CASE("Stack: DistributeImage reaches every target through the engine", "[engine]") {
  TwoTargets t;
  EngineWorld& w = t.w;
  w.cross_account_role(kTargetA, kOwner, {});
  w.cross_account_role(kTargetB, kOwner, {});
  const std::string ami = w.source_image(kOwner, kSource);
  const std::string config = create_configuration(w, {kTargetA.str(), kTargetB.str()});
  const ibt::Image image = distribute_image(w, ami, config);
  REQUIRE(image.state.has_value());
  INFO(image.state->reason.value_or(""));
  CHECK(image.state->status == "AVAILABLE");
  REQUIRE(image.output_resources.has_value());
  CHECK(image.output_resources->amis.size() == 6);
  for (const ibt::Ami& a : image.output_resources->amis) {
    REQUIRE(a.image.has_value());
    const mock_aws::ec2::ImageRecord* rec =
        w.image(api::Region::from_known(a.region.value_or("")), *a.image);
    REQUIRE(rec != nullptr);
    CHECK(rec->owner.str() == a.account_id.value_or(""));
  }
}

TEST_CASE("Stack: a failed distribution shows Image Builder's reason on the image", "[engine]") {
  TwoTargets t;
  EngineWorld& w = t.w;
  w.cross_account_role(kTargetA, kOwner, {});
  w.cross_account_role(kTargetB, kOwner, {.create = false});
  const std::string ami = w.source_image(kOwner, kSource);
  const std::string config = create_configuration(w, {kTargetA.str(), kTargetB.str()});
  const ibt::Image image = distribute_image(w, ami, config);
  REQUIRE(image.state.has_value());
  CHECK(image.state->status == "FAILED");
  const std::string reason = image.state->reason.value_or("");
  CHECK(reason.rfind("Distribution failed with JobId '", 0) == 0);
  CHECK(reason.find("1) STS Client Error: 'User: arn:aws:sts::111111111111:assumed-role/"
                    "AWSServiceRoleForImageBuilder/ImageBuilder is not authorized to perform: "
                    "sts:AssumeRole on resource: arn:aws:iam::333333333333:role/"
                    "EC2ImageBuilderDistributionCrossAccountRole' when distributing the image "
                    "from the source account (ID: 111111111111) to the destination account (ID: "
                    "333333333333) in Region us-east-1.")
        != std::string::npos);
}

}  // namespace
}  // namespace ibsim::engine::testing
