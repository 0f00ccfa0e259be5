#include "src/scenario/world_loader.h"

#include <fstream>
#include <iterator>
#include <string>

#include <catch2/catch.hpp>

#include "mock_aws/iam/aws_managed_policies.h"
#include "mock_aws/services/world.h"
#include "sim/context.h"

namespace ibsim::scenario {
namespace {

namespace api = mock_aws::api;

// A complete world: two accounts, the cross-account distribution role, a customer managed
// policy, a user with keys, a root key, an instance profile and an SCP.
constexpr std::string_view kWorld = R"({
  "regions": ["us-east-1", "us-west-2", "eu-west-1"],
  "accounts": {
    "111122223333": {
      "name": "source",
      "rootAccessKeys": [{"accessKeyId": "AKIASOURCEROOT000001", "secretAccessKey": "rootSecret"}],
      "policies": {
        "KmsUse": {
          "path": "/ib/",
          "description": "use the distribution keys",
          "document": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"}]}
        }
      },
      "users": {
        "pipeline": {
          "path": "/ci/",
          "accessKeys": [{"accessKeyId": "AKIAPIPELINE00000001", "secretAccessKey": "pipeSecret"}],
          "inlinePolicies": {
            "ImageBuilder": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"imagebuilder:*\",\"Resource\":\"*\"}]}"
          },
          "attachedPolicies": ["arn:aws:iam::aws:policy/ReadOnlyAccess"],
          "tags": {"team": "platform"}
        }
      },
      "roles": {
        "BuildInstance": {
          "trustPolicy": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
          "attachedPolicies": ["arn:aws:iam::aws:policy/EC2InstanceProfileForImageBuilder",
                               "arn:aws:iam::111122223333:policy/ib/KmsUse"]
        }
      },
      "instanceProfiles": {"BuildInstance": {"roles": ["BuildInstance"]}},
      "serviceControlPolicies": [
        {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
      ]
    },
    "444455556666": {
      "name": "target",
      "roles": {
        "EC2ImageBuilderDistributionCrossAccountRole": {
          "path": "/",
          "maxSessionDuration": 7200,
          "tags": {"CreatedBy": "ops"},
          "trustPolicy": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "sts:AssumeRole"}]},
          "attachedPolicies": ["arn:aws:iam::aws:policy/Ec2ImageBuilderCrossAccountDistributionAccess"],
          "inlinePolicies": {
            "Kms": {"Version": "2012-10-17", "Statement": [
              {"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], "Resource": "*"}]}
          }
        }
      }
    }
  }
})";

struct Loaded {
  sim::Context ctx{{.seed = 1}};
  mock_aws::services::World world{ctx};
  sim::Status status;

  explicit Loaded(std::string_view text) : status(load_world_text(text, "world.json", world)) {}
};

TEST_CASE("WorldLoader: loads a complete world into IAM and STS and the authorizer", "[scenario]") {
  Loaded l(kWorld);
  INFO((l.status.ok() ? std::string() : l.status.error().message));
  REQUIRE(l.status.ok());
  auto& iam = l.world.iam();
  const api::AccountId source = api::AccountId::from_valid("111122223333");
  const api::AccountId target = api::AccountId::from_valid("444455556666");
  CHECK(iam.find_account(source)->name == "source");
  CHECK(l.world.regions().size() == 3);
  CHECK(l.world.has_region(api::Region::from_known("eu-west-1")));
  CHECK_FALSE(l.world.has_region(api::Region::from_known("ap-south-1")));

  const auto* user = iam.find_user(source, "pipeline");
  REQUIRE(user != nullptr);
  CHECK(user->arn == "arn:aws:iam::111122223333:user/ci/pipeline");
  CHECK(user->inline_policies.size() == 1);
  CHECK(user->attached_policies.size() == 1);
  CHECK(user->tags.size() == 1);
  auto key = l.world.sts().resolve_access_key("AKIAPIPELINE00000001");
  REQUIRE(key.ok());
  CHECK(key->principal.arn == user->arn);
  CHECK(key->secret_access_key == "pipeSecret");
  CHECK(l.world.sts().resolve_access_key("AKIASOURCEROOT000001")->principal.arn
        == "arn:aws:iam::111122223333:root");

  const auto* role = iam.find_role(target, mock_aws::iam::kCrossAccountDistributionRoleName);
  REQUIRE(role != nullptr);
  CHECK(role->max_session_duration == 7200);
  CHECK(role->inline_policies.contains("Kms"));
  CHECK(role->attached_policies.size() == 1);
  CHECK(iam.find_managed_policy("arn:aws:iam::111122223333:policy/ib/KmsUse") != nullptr);
  const auto* profile = iam.find_instance_profile(source, "BuildInstance");
  REQUIRE(profile != nullptr);
  CHECK(profile->roles.size() == 1);
  CHECK(l.world.authorizer().service_control_policies(source).size() == 1);
  CHECK(l.world.authorizer().service_control_policies(target).empty());

  // The loaded world works end to end: the pipeline user cannot assume the target role (no
  // identity allow), the source SLR session can.
  api::CallContext pipeline;
  pipeline.principal = key->principal;
  const std::string xrole = role->arn;
  CHECK(l.world.sts()
            .assume_role(pipeline, {.role_arn = xrole, .role_session_name = "p1"})
            .error()
            .code
        == "AccessDenied");
}

TEST_CASE("WorldLoader: the example in docs/world-format.md loads", "[scenario]") {
  std::ifstream in(std::string(IBSIM_SOURCE_DIR) + "/docs/world-format.md");
  REQUIRE(in.good());
  const std::string doc((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t start = doc.find("```json\n");
  REQUIRE(start != std::string::npos);
  const std::size_t end = doc.find("```", start + 8);
  REQUIRE(end != std::string::npos);
  Loaded l(std::string_view(doc).substr(start + 8, end - start - 8));
  INFO((l.status.ok() ? std::string() : l.status.error().message));
  REQUIRE(l.status.ok());
  const api::AccountId target = api::AccountId::from_valid("444455556666");
  CHECK(l.world.iam().find_role(target, mock_aws::iam::kCrossAccountDistributionRoleName)
        != nullptr);
  CHECK(l.world.authorizer().service_control_policies(target).size() == 1);
}

TEST_CASE("WorldLoader: an empty world and a world without regions are fine", "[scenario]") {
  Loaded empty("{}");
  CHECK(empty.status.ok());
  Loaded no_regions(R"({"accounts": {"111122223333": {}}})");
  CHECK(no_regions.status.ok());
  CHECK(no_regions.world.regions().size() > 10);
}

TEST_CASE("WorldLoader: malformed worlds fail with the file and the JSON path and the fix",
          "[scenario]") {
  struct Case {
    const char* name;
    std::string text;
    std::string expected;  // A substring of the message, after "world.json: ".
  };

  const std::string trust =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole"}]})";
  const auto account = [](std::string body) {
    return R"({"accounts": {"111122223333": )" + body + "}}";
  };
  const auto role = [&](std::string extra) {
    return account(R"({"roles": {"R": {"trustPolicy": )" + trust + extra + "}}}");
  };
  const Case cases[] = {
      {"syntax error", "{\"accounts\": ", "not valid JSON"},
      {"top level is not an object", "[1, 2]", "$: expected an object"},
      {"unknown top-level key", R"({"acounts": {}})", "$.acounts: unknown key"},
      {"regions not an array",
       R"({"regions": "us-east-1"})",
       "$.regions: expected a non-empty array"},
      {"unknown region",
       R"({"regions": ["us-east-1", "us-east-9"]})",
       "$.regions[1]: unknown region \"us-east-9\""},
      {"region twice",
       R"({"regions": ["us-east-1", "us-east-1"]})",
       "$.regions[1]: region \"us-east-1\" is listed twice"},
      {"region not a string", R"({"regions": [1]})", "$.regions[0]: expected a region name"},
      {"malformed account id",
       R"({"accounts": {"1111-2222-3333": {}}})",
       "$.accounts.1111-2222-3333: expected a 12-digit AWS account id"},
      {"short account id",
       R"({"accounts": {"12345": {}}})",
       "$.accounts.12345: expected a 12-digit"},
      {"account not an object",
       R"({"accounts": {"111122223333": []}})",
       "$.accounts.111122223333: expected an object, got an array"},
      {"unknown account key",
       account(R"({"rolez": {}})"),
       "$.accounts.111122223333.rolez: unknown key"},
      {"account name not a string",
       account(R"({"name": 5})"),
       "$.accounts.111122223333.name: expected a string"},
      {"roles not an object",
       account(R"({"roles": []})"),
       "$.accounts.111122223333.roles: expected an object keyed by name"},
      {"role without trust policy",
       account(R"({"roles": {"R": {}}})"),
       "$.accounts.111122223333.roles.R.trustPolicy: is required"},
      {"unknown role key",
       role(R"(, "trustpolicy": {})"),
       "$.accounts.111122223333.roles.R.trustpolicy: unknown key"},
      {"trust policy not a policy",
       account(R"({"roles": {"R": {"trustPolicy": 42}}})"),
       "$.accounts.111122223333.roles.R.trustPolicy: expected a policy document"},
      {"trust policy malformed",
       account(R"({"roles": {"R": {"trustPolicy": {"Statement": []}}}})"),
       "$.accounts.111122223333.roles.R.trustPolicy: MalformedPolicyDocument"},
      {"trust policy string with bad JSON",
       account(R"({"roles": {"R": {"trustPolicy": "{oops"}}})"),
       "$.accounts.111122223333.roles.R.trustPolicy: MalformedPolicyDocument"},
      {"max session too short",
       role(R"(, "maxSessionDuration": 100)"),
       "$.accounts.111122223333.roles.R.maxSessionDuration: expected an integer from 3600 to "
       "43200"},
      {"bad role name",
       account(R"({"roles": {"bad name": {"trustPolicy": )" + trust + "}}}"),
       "$.accounts.111122223333.roles[\"bad name\"]: ValidationError"},
      {"bad role path",
       role(R"(, "path": "no-slash")"),
       "$.accounts.111122223333.roles.R.path: ValidationError"},
      {"missing attached policy",
       role(R"(, "attachedPolicies": ["arn:aws:iam::aws:policy/Nope"])"),
       "$.accounts.111122223333.roles.R.attachedPolicies[0]: NoSuchEntity: Policy "
       "arn:aws:iam::aws:policy/Nope does not exist or is not attachable."},
      {"attached policies not strings",
       role(R"(, "attachedPolicies": [7])"),
       "$.accounts.111122223333.roles.R.attachedPolicies[0]: expected a string"},
      {"inline policy malformed",
       role(R"(, "inlinePolicies": {"P": {"Version": "2012-10-17"}})"),
       "$.accounts.111122223333.roles.R.inlinePolicies.P: MalformedPolicyDocument"},
      {"inline policy with a principal",
       role(R"(, "inlinePolicies": {"P": )" + trust + "}"),
       "$.accounts.111122223333.roles.R.inlinePolicies.P: MalformedPolicyDocument"},
      {"tags not strings",
       role(R"(, "tags": {"k": 1})"),
       "$.accounts.111122223333.roles.R.tags.k: expected a string"},
      {"missing boundary",
       role(R"(, "permissionsBoundary": "arn:aws:iam::111122223333:policy/None")"),
       "$.accounts.111122223333.roles.R.permissionsBoundary: NoSuchEntity: Scope ARN"},
      {"service-linked role redeclared",
       account(R"({"roles": {"AWSServiceRoleForImageBuilder": {"trustPolicy": )" + trust + "}}}"),
       "EntityAlreadyExists"},
      {"profile with missing role",
       account(R"({"instanceProfiles": {"IP": {"roles": ["Ghost"]}}})"),
       "$.accounts.111122223333.instanceProfiles.IP.roles[0]: NoSuchEntity: The role with name "
       "Ghost cannot be found."},
      {"profile with two roles",
       account(R"({"roles": {"A": {"trustPolicy": )" + trust + R"(}, "B": {"trustPolicy": )" + trust
               + R"(}}, "instanceProfiles": {"IP": {"roles": ["A", "B"]}}})"),
       "$.accounts.111122223333.instanceProfiles.IP.roles[1]: LimitExceeded"},
      {"unknown profile key",
       account(R"({"instanceProfiles": {"IP": {"role": "A"}}})"),
       "$.accounts.111122223333.instanceProfiles.IP.role: unknown key"},
      {"user access key malformed",
       account(
           R"({"users": {"u": {"accessKeys": [{"accessKeyId": "short", "secretAccessKey": "s"}]}}})"),
       "$.accounts.111122223333.users.u.accessKeys[0].accessKeyId: ValidationError"},
      {"user access key missing secret",
       account(R"({"users": {"u": {"accessKeys": [{"accessKeyId": "AKIAUSERKEY000000001"}]}}})"),
       "$.accounts.111122223333.users.u.accessKeys[0].secretAccessKey: is required"},
      {"access keys not an array",
       account(R"({"rootAccessKeys": {"accessKeyId": "x"}})"),
       "$.accounts.111122223333.rootAccessKeys: expected an array"},
      {"duplicate access key across accounts",
       R"({"accounts": {"111122223333": {"rootAccessKeys": [{"accessKeyId": "AKIADUPLICATE0000001", "secretAccessKey": "a"}]},
                        "444455556666": {"rootAccessKeys": [{"accessKeyId": "AKIADUPLICATE0000001", "secretAccessKey": "b"}]}}})",
       "$.accounts.444455556666.rootAccessKeys[0].accessKeyId: EntityAlreadyExists"},
      {"too many root keys",
       account(
           R"({"rootAccessKeys": [{"accessKeyId": "AKIAROOT000000000001", "secretAccessKey": "a"}, {"accessKeyId": "AKIAROOT000000000002", "secretAccessKey": "a"}, {"accessKeyId": "AKIAROOT000000000003", "secretAccessKey": "a"}]})"),
       "$.accounts.111122223333.rootAccessKeys[2].accessKeyId: LimitExceeded"},
      {"policy without document",
       account(R"({"policies": {"P": {"path": "/"}}})"),
       "$.accounts.111122223333.policies.P.document: is required"},
      {"policy with bad path",
       account(
           R"({"policies": {"P": {"path": "/a b/", "document": {"Version": "2012-10-17", "Statement": []}}}})"),
       "$.accounts.111122223333.policies.P: ValidationError"},
      {"policy document malformed",
       account(
           R"({"policies": {"P": {"document": {"Version": "2012-10-17", "Statement": [{"Effect": "Maybe", "Action": "s3:*", "Resource": "*"}]}}}})"),
       "$.accounts.111122223333.policies.P.document: MalformedPolicyDocument"},
      {"user attaches another account's policy",
       R"({"accounts": {"111122223333": {"policies": {"Mine": {"document": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}}}},
                        "444455556666": {"users": {"u": {"attachedPolicies": ["arn:aws:iam::111122223333:policy/Mine"]}}}}})",
       "$.accounts.444455556666.users.u.attachedPolicies[0]: NoSuchEntity"},
      {"scp not an array",
       account(R"({"serviceControlPolicies": {}})"),
       "$.accounts.111122223333.serviceControlPolicies: expected an array"},
      {"scp with a principal",
       account(R"({"serviceControlPolicies": [)" + trust + "]}"),
       "$.accounts.111122223333.serviceControlPolicies[0]: MalformedPolicyDocument"},
      {"scp levels mixed",
       account(R"({"serviceControlPolicies": [[], {}]})"),
       "$.accounts.111122223333.serviceControlPolicies[1]: expected an array of policies"},
      {"nesting bomb",
       std::string(100, '[') + std::string(100, ']'),
       "nested deeper than 64 levels"},
  };
  for (const Case& c : cases) {
    Loaded l(c.text);
    INFO(c.name);
    REQUIRE_FALSE(l.status.ok());
    const sim::AwsError& e = l.status.error();
    INFO(e.message);
    CHECK(e.code == "InvalidInput");
    CHECK(e.message.starts_with("world.json: "));
    CHECK(e.message.find(c.expected) != std::string::npos);
  }
}

TEST_CASE("WorldLoader: files are read from disk and a missing file is an error", "[scenario]") {
  sim::Context ctx;
  mock_aws::services::World world(ctx);
  auto missing = load_world_file("/nonexistent/world.json", world);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message == "/nonexistent/world.json: cannot open the file");
  const std::string path = "world_loader_test_world.json";
  {
    std::ofstream out(path);
    out << kWorld;
  }
  CHECK(load_world_file(path, world).ok());
  std::remove(path.c_str());
}

sim::Status load_widgets(const AccountSectionInput& in) {
  StrictObject o(in.node, in.path);
  const int64_t count = o.required_int("count", 0, 10);
  if (auto s = o.finish(); !s.ok()) {
    return s;
  }
  in.world.context().emit("widgets", {{"account", in.account.str()}, {"count", count}});
  return sim::ok_status();
}

TEST_CASE("WorldLoader: later steps add account sections", "[scenario]") {
  WorldLoader loader;
  loader.add_account_section({"widgets", LoadPhase::kServiceResources, load_widgets});
  sim::Context ctx;
  mock_aws::services::World world(ctx);
  CHECK(loader
            .load_text(
                R"({"accounts": {"111122223333": {"widgets": {"count": 3}}}})", "w.json", world)
            .ok());
  sim::Context ctx2;
  mock_aws::services::World world2(ctx2);
  auto bad = loader.load_text(
      R"({"accounts": {"111122223333": {"widgets": {"count": 30}}}})", "w.json", world2);
  REQUIRE_FALSE(bad.ok());
  CHECK(
      bad.error().message
      == "w.json: $.accounts.111122223333.widgets.count: expected an integer from 0 to 10, got 30");
  // Without the section the key is unknown.
  sim::Context ctx3;
  mock_aws::services::World world3(ctx3);
  CHECK_FALSE(
      load_world_text(R"({"accounts": {"111122223333": {"widgets": {}}}})", "w.json", world3).ok());
}

sim::Status load_quotas(mock_aws::services::World& world,
                        const Json& node,
                        const std::string& path) {
  if (!node.is_object()) {
    return input_error(path, "expected an object");
  }
  world.context().emit("quotas", {{"count", static_cast<int64_t>(node.size())}});
  return sim::ok_status();
}

TEST_CASE("WorldLoader: later steps add top-level sections", "[scenario]") {
  WorldLoader loader;
  loader.add_top_level_section({"example", load_quotas});
  sim::Context ctx;
  mock_aws::services::World world(ctx);
  CHECK(loader.load_text(R"({"example": {"copies": 50}, "accounts": {}})", "w.json", world).ok());
  sim::Context ctx2;
  mock_aws::services::World world2(ctx2);
  auto bad = loader.load_text(R"({"example": []})", "w.json", world2);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message == "w.json: $.example: expected an object");
  sim::Context ctx3;
  mock_aws::services::World world3(ctx3);
  CHECK(load_world_text(R"({"example": {}})", "w.json", world3).error().message
        == "w.json: $.example: unknown key (check the spelling; see the format docs)");
}

}  // namespace
}  // namespace ibsim::scenario
