// One test per behaviour of AWS's cross-account distribution page: the check finds it, names the
// right place and fix, and the world with the fix applied checks clean of it.

#include "src/check/preflight.h"

#include <string>

#include <catch2/catch.hpp>

#include "mock_aws/services/world.h"
#include "sim/context.h"
#include "src/check/check_input.h"
#include "src/scenario/world_loader.h"
#include "tests/src/check/check_world.h"

namespace ibsim::check::testing {
namespace {

namespace api = mock_aws::api;

constexpr int kFixRoundsMax = 4;

// The one error of a code.
const Problem& only(const Report& r, std::string_view code) {
  std::vector<const Problem*> found;
  for (const Problem* p : with_code(r, code)) {
    if (p->severity == Severity::kError) {
      found.push_back(p);
    }
  }
  INFO(describe(r));
  REQUIRE(found.size() == 1);
  return *found.front();
}

bool has_code(const Report& r, std::string_view code) {
  return !with_code(r, code).empty();
}

// Applies every applicable fix of the problems with `code`, checks again, and returns the new
// report; the problem must be gone.
Report fix_and_recheck(Json& world, const Json& dist, const Report& r, std::string_view code) {
  const std::vector<const Problem*> found = with_code(r, code);
  REQUIRE_FALSE(found.empty());
  bool applied = false;
  for (const Problem* p : found) {
    for (const Fix& f : p->fixes) {
      applied = apply_fix(world, f) || applied;
    }
  }
  REQUIRE(applied);
  Report again = check(world, dist);
  INFO(describe(again));
  CHECK_FALSE(has_code(again, code));
  return again;
}

// Applies fixes round after round until no error is left.
void fix_until_clean(Json& world, const Json& dist, Report r) {
  for (int round = 0; round < kFixRoundsMax && !r.ok(); ++round) {
    bool applied = false;
    for (const Problem& p : r.problems) {
      if (p.severity != Severity::kError) {
        continue;
      }
      for (const Fix& f : p.fixes) {
        applied = apply_fix(world, f) || applied;
      }
    }
    REQUIRE(applied);
    r = check(world, dist);
  }
  INFO(describe(r));
  CHECK(r.ok());
}

TEST_CASE("Check: a setup with everything AWS asks for has no problems", "[check]") {
  Setup s;
  s.launch_template = true;
  s.second_target = true;
  Distribution d;
  d.launch_template = true;
  d.targets = {std::string(kTarget), std::string(kTarget2)};
  const Report r = check(world_json(s), distribution_json(d));
  INFO(describe(r));
  CHECK(r.ok());
  CHECK(r.count(Severity::kError) == 0);
  CHECK(r.count(Severity::kWarning) == 0);
  CHECK(r.regions == 2);
  CHECK(r.target_accounts == 2);
  CHECK(r.requests_checked > 30);
  CHECK(render_text(r).find("No problems") != std::string::npos);
}

TEST_CASE("Check: a missing cross-account role is reported with the role to create", "[check]") {
  Setup s;
  s.role = false;
  Json world = world_json(s);
  const Json dist = distribution_json({});
  const Report r = check(world, dist);
  const Problem& p = only(r, "CrossAccountRoleMissing");
  CHECK(p.account == kTarget);
  CHECK(p.resource == "arn:aws:iam::444455556666:role/EC2ImageBuilderDistributionCrossAccountRole");
  CHECK(p.aws_error.find("STS Client Error: 'User: arn:aws:sts::111122223333:assumed-role/"
                         "AWSServiceRoleForImageBuilder/ImageBuilder is not authorized to perform: "
                         "sts:AssumeRole on resource: arn:aws:iam::444455556666:role/"
                         "EC2ImageBuilderDistributionCrossAccountRole'")
        == 0);
  // The role to create, the managed policy, and the inline KMS policy its encrypted copies need.
  REQUIRE(p.fixes.size() == 3);
  CHECK(p.fixes[0].kind == "CreateRole");
  CHECK(p.fixes[0].statement_json.find("\"AWS\":\"arn:aws:iam::111122223333:root\"")
        != std::string::npos);
  CHECK(p.fixes[1].kind == "AttachPolicy");
  CHECK(p.fixes[2].kind == "AddPolicy");
  CHECK(p.fixes[2].statement_json.find("kms:CreateGrant") != std::string::npos);
  const Report again = fix_and_recheck(world, dist, r, "CrossAccountRoleMissing");
  CHECK(again.ok());
}

TEST_CASE("Check: a missing role does not hide the key policies it needs", "[check]") {
  Setup s;
  s.role = false;
  s.key_policy_allows_target = false;
  s.launch_template = true;
  s.launch_template_tagged = false;
  Json world = world_json(s);
  Distribution d;
  d.launch_template = true;
  const Json dist = distribution_json(d);
  const Report r = check(world, dist);
  INFO(describe(r));
  CHECK(with_code(r, "KeyPolicyDoesNotAllow").size() == 2);
  CHECK(with_code(r, "LaunchTemplateNotTagged").size() == 1);
  CHECK_FALSE(has_code(r, "IdentityPolicyDoesNotAllow"));
  const Problem& p = only(r, "CrossAccountRoleMissing");
  REQUIRE(p.fixes.size() == 4);  // Role, managed policy, KMS policy, launch-template policy.
  CHECK(p.fixes[3].statement_json.find("ec2:CreateLaunchTemplateVersion") != std::string::npos);
  fix_until_clean(world, dist, r);
}

TEST_CASE("Check: a trust policy without the source account gets the trust statement", "[check]") {
  Setup s;
  s.trust_source = false;
  Json world = world_json(s);
  const Json dist = distribution_json({});
  const Report r = check(world, dist);
  const Problem& p = only(r, "TrustPolicyDoesNotAllow");
  CHECK(p.account == kTarget);
  CHECK(p.acting_as == "arn:aws:sts::111122223333:assumed-role/AWSServiceRoleForImageBuilder/"
                       "ImageBuilder");
  REQUIRE(p.fixes.size() == 1);
  CHECK(p.fixes[0].statement_json
        == R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},)"
           R"("Action":"sts:AssumeRole"})");
  CHECK(p.near_miss.find("arn:aws:iam::999988887777:root") != std::string::npos);
  fix_and_recheck(world, dist, r, "TrustPolicyDoesNotAllow");
}

TEST_CASE("Check: a role without the managed policy gets the policy to attach", "[check]") {
  Setup s;
  s.managed_policy = false;
  Json world = world_json(s);
  const Json dist = distribution_json({});
  const Report r = check(world, dist);
  const Problem& p = only(r, "ManagedPolicyNotAttached");
  CHECK(p.account == kTarget);
  REQUIRE(p.fixes.size() == 2);
  CHECK(p.fixes[0].kind == "AttachPolicy");
  CHECK(p.fixes[0].policy
        == "arn:aws:iam::aws:policy/Ec2ImageBuilderCrossAccountDistributionAccess");
  CHECK(p.fixes[1].kind == "AddStatement");
  CHECK(p.fixes[1].statement_json.find("ec2:CopyImage") != std::string::npos);
  CHECK(p.fixes[1].statement_json.find("ec2:DescribeImages") != std::string::npos);
  // Both regions' copies need it: one problem, denials in both regions.
  bool east = false;
  bool west = false;
  for (const Denial& dn : p.denials) {
    east = east || dn.region == kEast;
    west = west || dn.region == kWest;
  }
  CHECK((east && west));
  fix_and_recheck(world, dist, r, "ManagedPolicyNotAttached");
}

TEST_CASE("Check: key policies that do not allow the target get the key statement", "[check]") {
  Setup s;
  s.key_policy_allows_target = false;
  Json world = world_json(s);
  const Json dist = distribution_json({});
  const Report r = check(world, dist);
  const std::vector<const Problem*> found = with_code(r, "KeyPolicyDoesNotAllow");
  INFO(describe(r));
  // The source key (us-east-1, read by both copies of the target) and the us-west-2 key the
  // target's copy is encrypted with.
  REQUIRE(found.size() == 2);
  CHECK(found[0]->resource == east_key_arn());
  CHECK(found[0]->account == kOwner);
  CHECK(found[0]->region == kEast);
  CHECK(found[1]->resource == west_key_arn());
  for (const Problem* p : found) {
    REQUIRE(p->fixes.size() == 1);
    CHECK(p->fixes[0].side == "resource");
    CHECK(p->fixes[0].statement_json.find(R"("Principal":{"AWS":"arn:aws:iam::444455556666:root"})")
          != std::string::npos);
    CHECK(p->aws_error.find("AMI Copy Reported Failure For") == 0);
    REQUIRE_FALSE(p->denials.empty());
    CHECK(p->denials[0].message.find("because no resource-based policy allows")
          != std::string::npos);
  }
  const std::string east_fix = found[0]->fixes[0].statement_json;
  CHECK(east_fix.find("kms:Decrypt") != std::string::npos);
  CHECK(east_fix.find("kms:CreateGrant") != std::string::npos);
  fix_and_recheck(world, dist, r, "KeyPolicyDoesNotAllow");
}

TEST_CASE("Check: a role without the inline KMS policy gets the identity statement", "[check]") {
  Setup s;
  s.kms_inline_policy = false;
  Json world = world_json(s);
  const Json dist = distribution_json({});
  const Report r = check(world, dist);
  const Problem& p = only(r, "IdentityPolicyDoesNotAllow");
  CHECK(p.account == kTarget);
  CHECK(p.title.find("inline policy allowing the KMS keys") != std::string::npos);
  REQUIRE(p.fixes.size() == 1);
  const std::string st = p.fixes[0].statement_json;
  CHECK(st.find("kms:Decrypt") != std::string::npos);
  CHECK(st.find("kms:GenerateDataKeyWithoutPlaintext") != std::string::npos);
  CHECK(st.find(east_key_arn()) != std::string::npos);
  CHECK(st.find(west_key_arn()) != std::string::npos);
  fix_and_recheck(world, dist, r, "IdentityPolicyDoesNotAllow");
}

TEST_CASE("Check: launch templates without the launch-template policy", "[check]") {
  Setup s;
  s.launch_template = true;
  s.launch_template_policy = false;
  Json world = world_json(s);
  Distribution d;
  d.launch_template = true;
  const Json dist = distribution_json(d);
  const Report r = check(world, dist);
  const Problem& p = only(r, "IdentityPolicyDoesNotAllow");
  CHECK(p.title.find("launch-template statements") != std::string::npos);
  const std::string st = p.fixes.at(0).statement_json;
  CHECK(st.find("ec2:CreateLaunchTemplateVersion") != std::string::npos);
  CHECK(st.find("ec2:DescribeLaunchTemplates") != std::string::npos);
  CHECK(st.find("ec2:ModifyLaunchTemplate") != std::string::npos);
  // AWS's page also asks for CreateTags on templates; ibsim's run does not call it.
  CHECK(r.count(Severity::kWarning) == 1);
  const Report again = fix_and_recheck(world, dist, r, "IdentityPolicyDoesNotAllow");
  CHECK(again.ok());
}

TEST_CASE("Check: a template not tagged CreatedBy gets the tag to set", "[check]") {
  Setup s;
  s.launch_template = true;
  s.launch_template_tagged = false;
  Json world = world_json(s);
  Distribution d;
  d.launch_template = true;
  const Json dist = distribution_json(d);
  const Report r = check(world, dist);
  const Problem& p = only(r, "LaunchTemplateNotTagged");
  CHECK(p.account == kTarget);
  CHECK(p.region == kEast);
  CHECK(p.resource == "arn:aws:ec2:us-east-1:444455556666:launch-template/lt-0b0000000000000b1");
  REQUIRE(p.fixes.size() == 1);
  CHECK(p.fixes[0].kind == "TagResource");
  CHECK(p.fixes[0].text.find("--tags 'Key=CreatedBy,Value=EC2 Image Builder'")
        != std::string::npos);
  CHECK(p.denials.size() == 2);  // CreateLaunchTemplateVersion and ModifyLaunchTemplate.
  CHECK_FALSE(has_code(r, "IdentityPolicyDoesNotAllow"));
  const Report again = fix_and_recheck(world, dist, r, "LaunchTemplateNotTagged");
  CHECK(again.ok());
}

TEST_CASE("Check: a launch template that does not exist", "[check]") {
  Distribution d;
  d.launch_template = true;
  const Report r = check(world_json({}), distribution_json(d));
  const Problem& p = only(r, "LaunchTemplateNotFound");
  CHECK(p.account == kTarget);
  CHECK(p.aws_error.find("The specified launch template, with template ID lt-0b0000000000000b1, "
                         "does not exist.")
        != std::string::npos);
}

TEST_CASE("Check: a paravirtual image to a region without PV", "[check]") {
  Setup s;
  s.paravirtual_source = true;
  s.encrypted_source = false;
  Distribution d;
  d.regions = {std::string(kEast), std::string(kOhio)};
  const Report r = check(world_json(s), distribution_json(d));
  const Problem& p = only(r, "ParavirtualNotSupported");
  CHECK(p.region == kOhio);
  CHECK(p.account == kOwner);
  CHECK(p.fixes.at(0).kind == "EditConfiguration");
  CHECK(p.aws_error.find("does not support") != std::string::npos);
  // us-west-2 supports PV.
  d.regions = {std::string(kEast), std::string(kWest)};
  CHECK(check(world_json(s), distribution_json(d)).ok());
}

TEST_CASE("Check: an aws/ebs-encrypted source cannot reach another account", "[check]") {
  Setup s;
  s.aws_ebs_source = true;
  const Report r = check(world_json(s), distribution_json({}));
  const Problem& p = only(r, "AwsManagedKeyNotShareable");
  CHECK(p.region == kEast);
  CHECK(p.aws_error.find("Snapshots encrypted with the AWS Managed CMK can\u2019t be shared.")
        != std::string::npos);
  CHECK(p.fixes.at(0).kind == "UseCustomerManagedKey");
  // Without a kmsKeyId the us-west-2 copy is under the owner's aws/ebs too.
  Distribution d;
  d.west_key = false;
  d.regions = {std::string(kEast), std::string(kWest)};
  Setup plain;
  plain.encrypted_source = true;
  const Report west = check(world_json(plain), distribution_json(d));
  const Problem& q = only(west, "AwsManagedKeyNotShareable");
  CHECK(q.region == kWest);
  CHECK(q.fixes.at(0).text.find("Set kmsKeyId of the us-west-2 distribution") == 0);
}

TEST_CASE("Check: a configuration without the source region", "[check]") {
  Distribution d;
  d.regions = {std::string(kWest)};
  Json dist = distribution_json(d);
  const Report r = check(world_json({}), dist);
  const Problem& p = only(r, "InvalidDistributionConfiguration");
  CHECK(p.aws_error.find("source region 'us-east-1'") != std::string::npos);
  REQUIRE(p.fixes.size() == 1);
  CHECK(p.fixes[0].kind == "EditConfiguration");
  const Json add = Json::parse(p.fixes[0].statement_json);
  CHECK(add["region"] == "us-east-1");
  dist["distributions"].push_back(add);
  const Report again = check(world_json({}), dist);
  INFO(describe(again));
  CHECK(again.ok());
}

TEST_CASE("Check: AMI names without the build date are reported for every distribution",
          "[check]") {
  Distribution d;
  d.build_date = false;
  Json dist = distribution_json(d);
  const Report r = check(world_json({}), dist);
  const std::vector<const Problem*> found = with_code(r, "InvalidDistributionConfiguration");
  INFO(describe(r));
  REQUIRE(found.size() == 2);
  CHECK(found[0]->aws_error.find("'distributions[0].amiDistributionConfiguration.name'")
        != std::string::npos);
  CHECK(found[1]->aws_error.find("'distributions[1].amiDistributionConfiguration.name'")
        != std::string::npos);
  CHECK(found[0]->fixes.at(0).statement_json
        == R"({"name":"golden-{{ imagebuilder:buildDate }}"})");
  for (std::size_t i = 0; i < 2; ++i) {
    dist["distributions"][i]["amiDistributionConfiguration"]["name"] =
        Json::parse(found[i]->fixes.at(0).statement_json)["name"];
  }
  CHECK(check(world_json({}), dist).ok());
}

TEST_CASE("Check: every problem of a setup is listed at once in plan order", "[check]") {
  Setup s;
  s.managed_policy = false;
  s.kms_inline_policy = false;
  s.key_policy_allows_target = false;
  s.launch_template = true;
  s.launch_template_tagged = false;
  Distribution d;
  d.build_date = false;
  d.launch_template = true;
  const Report r = check(world_json(s), distribution_json(d));
  INFO(describe(r));
  for (const char* code : {"InvalidDistributionConfiguration",
                           "ManagedPolicyNotAttached",
                           "KeyPolicyDoesNotAllow",
                           "IdentityPolicyDoesNotAllow",
                           "LaunchTemplateNotTagged"}) {
    CHECK(has_code(r, code));
  }
  CHECK(r.problems.front().code == "InvalidDistributionConfiguration");
  // Errors first, then warnings and notes.
  bool seen_other = false;
  for (const Problem& p : r.problems) {
    if (p.severity != Severity::kError) {
      seen_other = true;
    } else {
      CHECK_FALSE(seen_other);
    }
  }
}

TEST_CASE("Check: the same inputs give the same report byte for byte", "[check]") {
  Setup s;
  s.kms_inline_policy = false;
  s.trust_source = false;
  const Report a = check(world_json(s), distribution_json({}));
  const Report b = check(world_json(s), distribution_json({}));
  CHECK(render_text(a) == render_text(b));
  CHECK(render_json(a) == render_json(b));
}

TEST_CASE("Check: a kmsKeyId alias resolves in each copying account", "[check]") {
  // alias/west names the owner's key for the owner's copy, but the target's copy looks the alias
  // up in the target account, where it does not exist.
  Json dist = distribution_json({});
  dist["distributions"][1]["amiDistributionConfiguration"]["kmsKeyId"] = "alias/west";
  const Report r = check(world_json({}), dist);
  const Problem& p = only(r, "KmsKeyNotFound");
  CHECK(p.account == kTarget);
  CHECK(p.region == kWest);
  CHECK(p.aws_error.find("NotFoundException") != std::string::npos);
  CHECK(p.fixes.at(0).text.find("to the key's ARN") != std::string::npos);
}

TEST_CASE("Check: a disabled key is reported with the command to enable it", "[check]") {
  Json world = world_json({});
  world["accounts"][std::string(kOwner)]["kms"][std::string(kWest)]["keys"]["west"]["enabled"] =
      false;
  const Report r = check(world, distribution_json({}));
  const Problem& p = only(r, "KmsKeyDisabled");
  CHECK(p.resource == west_key_arn());
  CHECK(p.aws_error == "DisabledException: " + west_key_arn() + " is disabled.");
  CHECK(p.fixes.at(0).text == "Enable the key: aws kms enable-key --key-id " + west_key_arn());
}

TEST_CASE("Check: an explicit deny is reported with the statement to remove", "[check]") {
  Json world = world_json({});
  world["accounts"][std::string(kTarget)]["roles"]["EC2ImageBuilderDistributionCrossAccountRole"]
       ["inlinePolicies"]["NoKms"] = {{"Version", "2012-10-17"},
                                      {"Statement",
                                       {{{"Sid", "NoDecrypt"},
                                         {"Effect", "Deny"},
                                         {"Action", "kms:Decrypt"},
                                         {"Resource", "*"}}}}};
  const Report r = check(world, distribution_json({}));
  const Problem& p = only(r, "ExplicitDeny");
  CHECK(p.fixes.at(0).kind == "RemoveStatement");
  CHECK(p.fixes.at(0).statement_json.find("\"NoDecrypt\"") != std::string::npos);
  CHECK(p.title.find("kms:Decrypt") != std::string::npos);
}

TEST_CASE("Check: a service control policy of the target binds its role", "[check]") {
  Json world = world_json({});
  world["accounts"][std::string(kTarget)]["serviceControlPolicies"] = {
      {{"Version", "2012-10-17"},
       {"Statement",
        {{{"Effect", "Allow"}, {"Action", "*"}, {"Resource", "*"}},
         {{"Effect", "Deny"}, {"Action", "ec2:CopyImage"}, {"Resource", "*"}}}}}};
  const Report r = check(world, distribution_json({}));
  const Problem& p = only(r, "ExplicitDeny");
  CHECK(p.account == kTarget);
  CHECK(p.denials.front().message.find("with an explicit deny in a service control policy")
        != std::string::npos);
}

TEST_CASE("Check: a recipe's key decides the built AMI's encryption", "[check]") {
  // The parent is an unencrypted AMI of the owner; the recipe encrypts the root volume.
  Setup s;
  s.encrypted_source = false;
  s.key_policy_allows_target = false;
  const Json world = world_json(s);
  const Json dist = distribution_json({});
  auto recipe_with = [](const std::string& ebs) {
    return R"({"name": "app", "semanticVersion": "1.0.0", "parentImage": "ami-0a0000000000000a1",
               "components": [{"componentArn":
                 "arn:aws:imagebuilder:us-east-1:aws:component/update-linux/x.x.x"}],
               "blockDeviceMappings": [{"deviceName": "/dev/xvda", "ebs": )"
           + ebs + "}]}";
  };
  auto run = [&](const std::string& recipe_text) {
    sim::Context ctx({.seed = 7});
    mock_aws::services::World w(ctx);
    REQUIRE(scenario::load_world_text(world.dump(), "world.json", w).ok());
    auto recipe = decode_image_recipe(recipe_text, "recipe.json");
    REQUIRE(recipe.ok());
    auto dc = decode_distribution_configuration(dist.dump(), "distribution.json");
    REQUIRE(dc.ok());
    CheckInput in;
    in.owner = api::AccountId::from_valid(kOwner);
    in.source_region = api::Region::from_known(kEast);
    in.distribution = dc->input;
    in.recipe = recipe->input;
    in.recipe_source = "recipe.json";
    return run_check(w, in);
  };
  const Report customer = run(recipe_with(R"({"encrypted": true, "kmsKeyId": "alias/east"})"));
  INFO(describe(customer));
  CHECK(customer.source.find("recipe app (parent ami-0a0000000000000a1)") != std::string::npos);
  const std::vector<const Problem*> keys = with_code(customer, "KeyPolicyDoesNotAllow");
  REQUIRE_FALSE(keys.empty());
  CHECK(keys.front()->resource == east_key_arn());

  const Report managed = run(recipe_with(R"({"encrypted": true})"));
  const Problem& p = only(managed, "AwsManagedKeyNotShareable");
  CHECK(p.fixes.at(0).text.find("blockDeviceMappings[].ebs.kmsKeyId in recipe.json")
        != std::string::npos);

  const Report missing = run(recipe_with(R"({"encrypted": true, "kmsKeyId": "alias/nope"})"));
  CHECK(only(missing, "KmsKeyNotFound").account == kOwner);

  const Report parent = run(R"({"name": "app", "semanticVersion": "1.0.0",
      "parentImage": "ami-0ffffffffffffffff", "components": [{"componentArn":
      "arn:aws:imagebuilder:us-east-1:aws:component/update-linux/x.x.x"}]})");
  CHECK(only(parent, "ParentImageNotFound").resource == "ami-0ffffffffffffffff");
}

TEST_CASE("Check: the owner and the source region can be inferred", "[check]") {
  sim::Context ctx({.seed = 7});
  mock_aws::services::World w(ctx);
  REQUIRE(scenario::load_world_text(world_json({}).dump(), "world.json", w).ok());
  auto dc = decode_distribution_configuration(distribution_json({}).dump(), "d.json");
  REQUIRE(dc.ok());
  auto owner = infer_owner(w, dc->input);
  REQUIRE(owner.ok());
  CHECK(owner->str() == kOwner);
  auto region = infer_source_region(w, *owner, std::string(kSourceAmi));
  REQUIRE(region.ok());
  CHECK(region->str() == kEast);
  CHECK_FALSE(infer_source_region(w, *owner, "").ok());  // Three regions: ambiguous.
  Json none = distribution_json({});
  none["distributions"][0]["amiDistributionConfiguration"]["targetAccountIds"] = Json::array();
  none["distributions"][1]["amiDistributionConfiguration"]["targetAccountIds"] = Json::array();
  auto dc2 = decode_distribution_configuration(none.dump(), "d.json");
  REQUIRE(dc2.ok());
  CHECK_FALSE(infer_owner(w, dc2->input).ok());  // Two candidates.
}

}  // namespace
}  // namespace ibsim::check::testing
