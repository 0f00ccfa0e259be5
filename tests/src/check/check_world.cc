#include "tests/src/check/check_world.h"

#include <catch2/catch.hpp>

#include "mock_aws/api/arn.h"
#include "mock_aws/services/world.h"
#include "sim/context.h"
#include "src/check/check_input.h"
#include "src/check/preflight.h"
#include "src/engine/distribution_engine.h"
#include "src/scenario/direct_clients.h"
#include "src/scenario/world_loader.h"

namespace ibsim::check::testing {
namespace {

namespace api = mock_aws::api;
namespace ib = mock_aws::api::imagebuilder;

constexpr std::string_view kRoleName = "EC2ImageBuilderDistributionCrossAccountRole";

std::string root(std::string_view account) {
  return "arn:aws:iam::" + std::string(account) + ":root";
}

Json key_policy(std::string_view owner, const std::vector<std::string>& users) {
  Json statements = Json::array();
  statements.push_back({{"Sid", "Enable IAM User Permissions"},
                        {"Effect", "Allow"},
                        {"Principal", {{"AWS", root(owner)}}},
                        {"Action", "kms:*"},
                        {"Resource", "*"}});
  if (!users.empty()) {
    Json principals = Json::array();
    for (const std::string& u : users) {
      principals.push_back(root(u));
    }
    // The two statements the KMS console adds for other accounts (aws-facts §4.3).
    statements.push_back({{"Sid", "Allow use of the key"},
                          {"Effect", "Allow"},
                          {"Principal", {{"AWS", principals}}},
                          {"Action",
                           {"kms:Encrypt",
                            "kms:Decrypt",
                            "kms:ReEncrypt*",
                            "kms:GenerateDataKey*",
                            "kms:DescribeKey"}},
                          {"Resource", "*"}});
    statements.push_back({{"Sid", "Allow attachment of persistent resources"},
                          {"Effect", "Allow"},
                          {"Principal", {{"AWS", principals}}},
                          {"Action", {"kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"}},
                          {"Resource", "*"},
                          {"Condition", {{"Bool", {{"kms:GrantIsForAWSResource", "true"}}}}}});
  }
  return {{"Version", "2012-10-17"}, {"Statement", statements}};
}

Json target_account(const Setup& s, bool with_template) {
  Json a = Json::object();
  if (s.role) {
    Json role;
    role["trustPolicy"] = {
        {"Version", "2012-10-17"},
        {"Statement",
         {{{"Effect", "Allow"},
           {"Principal", {{"AWS", root(s.trust_source ? kOwner : "999988887777")}}},
           {"Action", "sts:AssumeRole"}}}}};
    role["attachedPolicies"] = Json::array();
    if (s.managed_policy) {
      role["attachedPolicies"].push_back(
          "arn:aws:iam::aws:policy/Ec2ImageBuilderCrossAccountDistributionAccess");
    }
    role["inlinePolicies"] = Json::object();
    if (s.kms_inline_policy) {
      role["inlinePolicies"]["Kms"] = {{"Version", "2012-10-17"},
                                       {"Statement",
                                        {{{"Effect", "Allow"},
                                          {"Action",
                                           {"kms:Encrypt",
                                            "kms:Decrypt",
                                            "kms:ReEncrypt*",
                                            "kms:GenerateDataKey*",
                                            "kms:DescribeKey",
                                            "kms:CreateGrant",
                                            "kms:ListGrants",
                                            "kms:RevokeGrant"}},
                                          {"Resource", "*"}}}}};
    }
    if (s.launch_template_policy) {
      role["inlinePolicies"]["LaunchTemplates"] = {
          {"Version", "2012-10-17"},
          {"Statement",
           {{{"Effect", "Allow"},
             {"Action", {"ec2:CreateLaunchTemplateVersion", "ec2:ModifyLaunchTemplate"}},
             {"Resource", "*"},
             {"Condition",
              {{"StringEquals", {{"aws:ResourceTag/CreatedBy", "EC2 Image Builder"}}}}}},
            {{"Effect", "Allow"}, {"Action", "ec2:DescribeLaunchTemplates"}, {"Resource", "*"}},
            {{"Effect", "Allow"},
             {"Action", "ec2:CreateTags"},
             {"Resource", "arn:aws:ec2:*:*:launch-template/*"},
             {"Condition",
              {{"StringEquals", {{"aws:RequestTag/CreatedBy", "EC2 Image Builder"}}}}}}}}};
    }
    a["roles"][std::string(kRoleName)] = role;
  }
  if (with_template) {
    Json lt = {
        {"launchTemplateId", kTemplateId},
        {"versions", {{{"imageId", "ami-0c0000000000000c1"}, {"instanceType", "t3.micro"}}}}};
    if (s.launch_template_tagged) {
      lt["tags"] = {{"CreatedBy", "EC2 Image Builder"}};
    } else {
      lt["tags"] = {{"team", "web"}};
    }
    a["ec2"][std::string(kEast)]["launchTemplates"]["web"] = lt;
  }
  return a;
}

}  // namespace

std::string east_key_arn() {
  return "arn:aws:kms:us-east-1:" + std::string(kOwner) + ":key/" + std::string(kEastKeyId);
}

std::string west_key_arn() {
  return "arn:aws:kms:us-west-2:" + std::string(kOwner) + ":key/" + std::string(kWestKeyId);
}

Json world_json(const Setup& s) {
  std::vector<std::string> users;
  if (s.key_policy_allows_target) {
    users.emplace_back(kTarget);
    if (s.second_target) {
      users.emplace_back(kTarget2);
    }
  }
  Json owner;
  owner["kms"][std::string(kEast)]["keys"]["east"] = {{"keyId", kEastKeyId},
                                                      {"policy", key_policy(kOwner, users)}};
  owner["kms"][std::string(kWest)]["keys"]["west"] = {{"keyId", kWestKeyId},
                                                      {"policy", key_policy(kOwner, users)}};
  Json device = {{"volumeSizeGiB", 8}};
  if (s.aws_ebs_source) {
    device["kmsKey"] = "alias/aws/ebs";
  } else if (s.encrypted_source) {
    device["kmsKey"] = "alias/east";
  }
  Json image = {{"imageId", kSourceAmi},
                {"blockDevices", {device}},
                {"tags", {{"CreatedBy", "EC2 Image Builder"}}}};
  if (s.paravirtual_source) {
    image["virtualizationType"] = "paravirtual";
  }
  owner["ec2"][std::string(kEast)]["images"]["app"] = image;
  Json world;
  world["regions"] = {kEast, kWest, kOhio};
  world["accounts"][std::string(kOwner)] = owner;
  world["accounts"][std::string(kTarget)] = target_account(s, s.launch_template);
  if (s.second_target) {
    Setup full;
    world["accounts"][std::string(kTarget2)] = target_account(full, false);
  }
  return world;
}

Json distribution_json(const Distribution& d) {
  Json out;
  out["name"] = "golden";
  out["description"] = "The golden image";
  out["distributions"] = Json::array();
  for (const std::string& region : d.regions) {
    Json ami;
    ami["name"] = d.build_date ? "golden-{{ imagebuilder:buildDate }}" : "golden";
    ami["targetAccountIds"] = d.targets;
    if (region == kWest && d.west_key) {
      ami["kmsKeyId"] = west_key_arn();
    }
    Json dist = {{"region", region}, {"amiDistributionConfiguration", ami}};
    if (region == kEast && d.launch_template) {
      dist["launchTemplateConfigurations"] = {{{"launchTemplateId", kTemplateId},
                                               {"accountId", kTarget},
                                               {"setDefaultVersion", d.set_default_version}}};
    }
    out["distributions"].push_back(dist);
  }
  return out;
}

namespace {

CheckInput check_input(const Json& distribution, std::string_view source_image) {
  auto decoded = decode_distribution_configuration(distribution.dump(), "distribution.json");
  INFO((decoded.ok() ? std::string() : decoded.error().message));
  REQUIRE(decoded.ok());
  CheckInput in;
  in.owner = api::AccountId::from_valid(kOwner);
  in.source_region = api::Region::from_known(kEast);
  in.distribution = decoded->input;
  in.distribution_findings = decoded->findings;
  in.distribution_source = "distribution.json";
  in.source_image = std::string(source_image);
  return in;
}

}  // namespace

Report check(const Json& world, const Json& distribution, std::string_view source_image) {
  sim::Context ctx({.seed = 7});
  mock_aws::services::World w(ctx);
  const sim::Status loaded = scenario::load_world_text(world.dump(), "world.json", w);
  INFO((loaded.ok() ? std::string() : loaded.error().message));
  REQUIRE(loaded.ok());
  return run_check(w, check_input(distribution, source_image));
}

Outcome distribute(const Json& world, const Json& distribution, std::string_view source_image) {
  struct Stack {
    explicit Stack(sim::Context& ctx) : world(ctx), clients(world), engine(ctx, clients, {}) {
      world.set_workflow(&engine);
    }

    ~Stack() { world.set_workflow(nullptr); }

    mock_aws::services::World world;
    scenario::DirectClientFactory clients;
    engine::DistributionEngine engine;
  };

  sim::Context ctx({.seed = 7});
  Stack stack(ctx);
  const sim::Status loaded = scenario::load_world_text(world.dump(), "world.json", stack.world);
  INFO((loaded.ok() ? std::string() : loaded.error().message));
  REQUIRE(loaded.ok());
  const CheckInput in = check_input(distribution, source_image);
  const api::CallContext owner{.principal = api::Principal::root(in.owner),
                               .region = in.source_region,
                               .request_id = "test",
                               .request_unix_ms = ctx.unix_ms()};
  Outcome out;
  ib::CreateDistributionConfigurationInput create = in.distribution;
  auto created = stack.world.imagebuilder().create_distribution_configuration(owner, create);
  if (!created.ok()) {
    out.create_error = created.error().code + ": " + created.error().message;
    return out;
  }
  out.created = true;
  auto started = stack.world.imagebuilder().distribute_image(
      owner,
      {.source_image = std::string(source_image),
       .distribution_configuration_arn = created->distribution_configuration_arn,
       .execution_role = "arn:aws:iam::" + std::string(kOwner) + ":role/ImageBuilderExecution",
       .client_token = "d1"});
  if (!started.ok()) {
    out.created = false;
    out.create_error = started.error().code + ": " + started.error().message;
    return out;
  }
  ctx.scheduler().run();
  auto image = stack.world.imagebuilder().get_image(owner, {started->image_build_version_arn});
  REQUIRE(image.ok());
  REQUIRE(image->image.state.has_value());
  out.status = image->image.state->status.value_or("");
  out.reason = image->image.state->reason.value_or("");
  const auto* details =
      stack.world.imagebuilder().find_image_details(started->image_build_version_arn);
  if (details != nullptr && details->distribution.has_value()) {
    for (const ib::JobFailure& f : details->distribution->failures) {
      out.failures.push_back(JobFailure{.account = f.account_id.str(),
                                        .region = f.region.str(),
                                        .step = f.step,
                                        .aws_error = f.aws_error,
                                        .explanation = f.explanation});
    }
  }
  return out;
}

bool apply_fix(Json& world, const Fix& fix) {
  auto role_of = [&](const std::string& arn) -> Json* {
    const auto parts = api::parse_arn(arn);
    if (!parts.ok()) {
      return nullptr;
    }
    const std::string name = arn.substr(arn.rfind('/') + 1);
    Json& account = world["accounts"][parts->account];
    if (!account.contains("roles") || !account["roles"].contains(name)) {
      return nullptr;
    }
    return &account["roles"][name];
  };
  if (fix.kind == "AttachPolicy") {
    Json* role = role_of(fix.policy_of);
    if (role == nullptr) {
      return false;
    }
    (*role)["attachedPolicies"].push_back(fix.policy);
    return true;
  }
  if (fix.kind == "CreateRole") {
    const std::string name = fix.policy_of.substr(fix.policy_of.rfind('/') + 1);
    world["accounts"][fix.account]["roles"][name] = {
        {"trustPolicy", Json::parse(fix.statement_json)}, {"attachedPolicies", Json::array()}};
    return true;
  }
  if (fix.kind == "TagResource") {
    const Json tag = Json::parse(fix.statement_json);
    Json& templates = world["accounts"][fix.account]["ec2"][fix.region]["launchTemplates"];
    for (auto& [name, lt] : templates.items()) {
      if (fix.policy_of.ends_with("/" + lt.value("launchTemplateId", std::string()))) {
        lt["tags"][tag["Key"].get<std::string>()] = tag["Value"];
        return true;
      }
    }
    return false;
  }
  if (fix.kind == "AddPolicy") {
    Json* role = role_of(fix.policy_of);
    if (role == nullptr) {
      return false;
    }
    Json& inline_policies = (*role)["inlinePolicies"];
    inline_policies["CheckFix" + std::to_string(inline_policies.size() + 1)] =
        Json::parse(fix.statement_json);
    return true;
  }
  if (fix.kind != "AddStatement") {
    return false;
  }
  const Json statement = Json::parse(fix.statement_json);
  if (fix.side == "identity") {
    Json* role = role_of(fix.policy_of);
    if (role == nullptr) {
      return false;
    }
    Json& inline_policies = (*role)["inlinePolicies"];
    inline_policies["CheckFix" + std::to_string(inline_policies.size() + 1)] = {
        {"Version", "2012-10-17"}, {"Statement", Json::array({statement})}};
    return true;
  }
  if (fix.side == "resource" && fix.policy_of.find(":kms:") != std::string::npos) {
    for (auto& [account, a] : world["accounts"].items()) {
      if (!a.contains("kms")) {
        continue;
      }
      for (auto& [region, r] : a["kms"].items()) {
        for (auto& [label, key] : r["keys"].items()) {
          if (fix.policy_of.ends_with("/" + key.value("keyId", std::string()))) {
            key["policy"]["Statement"].push_back(statement);
            return true;
          }
        }
      }
    }
    return false;
  }
  if (fix.side == "resource") {
    Json* role = role_of(fix.policy_of);
    if (role == nullptr) {
      return false;
    }
    (*role)["trustPolicy"]["Statement"].push_back(statement);
    return true;
  }
  return false;
}

std::vector<const Problem*> with_code(const Report& r, std::string_view code) {
  std::vector<const Problem*> out;
  for (const Problem& p : r.problems) {
    if (p.code == code) {
      out.push_back(&p);
    }
  }
  return out;
}

std::string describe(const Report& r) {
  return render_text(r);
}

}  // namespace ibsim::check::testing
