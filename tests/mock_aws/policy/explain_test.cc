#include "mock_aws/policy/explain.h"

#include <string>

#include <catch2/catch.hpp>

#include "tests/mock_aws/policy/policy_test_util.h"

namespace ibsim::mock_aws::policy {
namespace {

using testing::kOther;
using testing::kOwner;
using testing::parse_ok;

constexpr std::string_view kKeyArn = "arn:aws:kms:us-east-1:111122223333:key/k-1";

const char* const kOwnerOnlyKeyPolicy = R"({"Version": "2012-10-17", "Statement": [
    {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
     "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "Allow use of the key", "Effect": "Allow",
     "Principal": {"AWS": "arn:aws:iam::444455556666:root"}, "Action": "kms:Decrypt",
     "Resource": "*", "Condition": {"StringEquals": {"kms:ViaService": "ec2.us-east-1.amazonaws.com"}}}
]})";

TEST_CASE("Explain: a missing cross-account key policy statement", "[policy]") {
  const Policy key = parse_ok(kOwnerOnlyKeyPolicy, PolicyKind::kKey, "KeyPolicy");
  const Policy iam = parse_ok(R"({"Statement": {"Sid": "KmsUse", "Effect": "Allow",
      "Action": "kms:*", "Resource": "*"}})",
                              PolicyKind::kIdentity,
                              "inline:KmsUse");
  RequestContext ctx(
      testing::session(kOther, "Distribution", "ImageBuilder"), "kms:Decrypt", kKeyArn);
  ctx.set("kms:ViaService", "ec2.eu-west-1.amazonaws.com");  // Wrong region for the condition.

  const Explanation e = explain(PolicySet{.identity = {&iam}, .resource = &key}, ctx);
  CHECK(e.decision.reason == DenyReason::kKeyPolicyNoAllow);
  CHECK(e.message
        == "User: arn:aws:sts::444455556666:assumed-role/Distribution/ImageBuilder is not "
           "authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:111122223333:"
           "key/k-1 because no resource-based policy allows the kms:Decrypt action");
  REQUIRE(e.fixes.size() == 1);
  const Fix& f = e.fixes[0];
  CHECK(f.kind == FixKind::kAddAllowStatement);
  CHECK(f.side == Side::kResource);
  CHECK(f.policy_of == kKeyArn);
  CHECK(f.principal == "arn:aws:iam::444455556666:root");
  CHECK(f.text
        == "Add to the key policy of arn:aws:kms:us-east-1:111122223333:key/k-1 a statement "
           "allowing arn:aws:iam::444455556666:root the action kms:Decrypt.");
  CHECK(f.statement_json
        == R"({"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},)"
           R"("Action":"kms:Decrypt","Resource":"*"})");
  // The statement that almost allows, and why not.
  CHECK_THAT(f.near_miss,
             Catch::Contains("\"Allow use of the key\" (#1) of KeyPolicy would allow it"));
  CHECK_THAT(f.near_miss, Catch::Contains("\"ec2.eu-west-1.amazonaws.com\""));
  CHECK_THAT(e.summary,
             Catch::StartsWith("Implicitly denied: the key policy of " + std::string(kKeyArn)));
  CHECK_THAT(e.summary, Catch::Contains("or its account 444455556666"));

  // Every statement is traced: two in the key policy, one identity statement.
  REQUIRE(e.statements.size() == 3);
  CHECK(e.statements[0].result.principal == PrincipalMatch::kNone);
  CHECK(e.statements[1].result.principal == PrincipalMatch::kAccount);
  CHECK_FALSE(e.statements[1].result.conditions);
  CHECK(e.statements[1].result.failed_condition == 0);
  CHECK(e.statements[2].result.applies);
}

TEST_CASE("Explain: both sides missing across accounts give two fixes", "[policy]") {
  const Policy key = parse_ok(kOwnerOnlyKeyPolicy, PolicyKind::kKey, "KeyPolicy");
  const RequestContext ctx(testing::session(kOther, "Distribution"), "kms:CreateGrant", kKeyArn);
  const Explanation e = explain(PolicySet{.resource = &key}, ctx);
  REQUIRE(e.fixes.size() == 2);
  CHECK(e.fixes[0].side == Side::kResource);
  CHECK(e.fixes[0].near_miss
        == "statement \"Enable IAM User Permissions\" (#0) of KeyPolicy allows the action, but "
           "only for arn:aws:iam::111122223333:root");
  CHECK(e.fixes[1].side == Side::kIdentity);
  CHECK(e.fixes[1].policy_of == "arn:aws:iam::444455556666:role/Distribution");
  CHECK(e.fixes[1].text
        == "Add to an identity-based policy of arn:aws:iam::444455556666:role/Distribution a "
           "statement allowing kms:CreateGrant on " + std::string(kKeyArn) + ".");
  CHECK(e.fixes[1].statement_json
        == R"({"Effect":"Allow","Action":"kms:CreateGrant","Resource":")" + std::string(kKeyArn)
               + R"("})");
}

TEST_CASE("Explain: same-account keys name the account only when IAM already allows", "[policy]") {
  const Policy admins_only = parse_ok(R"({"Statement": [{"Sid": "Admins", "Effect": "Allow",
      "Principal": {"AWS": "arn:aws:iam::111122223333:role/KeyAdmin"}, "Action": "kms:*",
      "Resource": "*"}]})",
                                      PolicyKind::kKey,
                                      "KeyPolicy");
  const Policy iam =
      parse_ok(R"({"Statement": {"Effect": "Allow", "Action": "kms:*", "Resource": "*"}})");
  const RequestContext ctx(testing::session(kOwner, "App"), "kms:Encrypt", kKeyArn);

  const Explanation with_iam =
      explain(PolicySet{.identity = {&iam}, .resource = &admins_only}, ctx);
  REQUIRE(with_iam.fixes.size() == 1);
  CHECK(with_iam.fixes[0].principal == "arn:aws:iam::111122223333:root");

  const Explanation without = explain(PolicySet{.resource = &admins_only}, ctx);
  REQUIRE(without.fixes.size() == 1);
  CHECK(without.fixes[0].principal == "arn:aws:iam::111122223333:role/App");
}

TEST_CASE("Explain: an explicit deny is to be removed", "[policy]") {
  const Policy iam = parse_ok(R"({"Statement": [{"Sid": "All", "Effect": "Allow", "Action": "*",
      "Resource": "*"}, {"Sid": "NoKms", "Effect": "Deny", "Action": "kms:*", "Resource": "*"}]})",
                              PolicyKind::kIdentity,
                              "inline:Guardrail");
  const RequestContext ctx(testing::user(kOwner, "alice"), "kms:Decrypt", kKeyArn);
  const Explanation e = explain(PolicySet{.identity = {&iam}}, ctx);
  CHECK(e.decision.outcome == Outcome::kExplicitDeny);
  REQUIRE(e.fixes.size() == 1);
  CHECK(e.fixes[0].kind == FixKind::kRemoveDeny);
  CHECK(e.fixes[0].policy_name == "inline:Guardrail");
  CHECK(e.fixes[0].statement_label == "statement \"NoKms\" (#1) of inline:Guardrail");
  CHECK(e.fixes[0].statement_json
        == R"({"Action":"kms:*","Effect":"Deny","Resource":"*","Sid":"NoKms"})");
  CHECK_THAT(e.summary,
             Catch::StartsWith("Explicitly denied: statement \"NoKms\" (#1) of inline:Guardrail"));
}

TEST_CASE("Explain: boundary session and SCP gaps", "[policy]") {
  const Policy iam =
      parse_ok(R"({"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}})");
  const Policy boundary =
      parse_ok(R"({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}})",
               PolicyKind::kPermissionsBoundary,
               "Boundary");
  const Policy session =
      parse_ok(R"({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}})",
               PolicyKind::kSession,
               "Session");
  const Policy scp =
      parse_ok(R"({"Statement": {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}})",
               PolicyKind::kServiceControl,
               "OnlyS3");
  const RequestContext ctx(
      testing::session(kOwner, "App"), "ec2:CopyImage", "arn:aws:ec2:us-east-1::image/ami-1");
  const Explanation e = explain(PolicySet{.identity = {&iam},
                                          .permissions_boundary = {&boundary},
                                          .session = {&session},
                                          .service_control = {{&scp}}},
                                ctx);
  CHECK(e.decision.reason == DenyReason::kServiceControlNoAllow);
  REQUIRE(e.fixes.size() == 3);
  CHECK(e.fixes[0].side == Side::kServiceControl);
  CHECK(e.fixes[1].side == Side::kPermissionsBoundary);
  CHECK(e.fixes[2].side == Side::kSession);
  CHECK_THAT(e.summary, Catch::Contains("no service control policy on level 0"));
}

TEST_CASE("Explain: a service principal missing from a trust policy", "[policy]") {
  const Policy trust = parse_ok(R"({"Statement": [{"Effect": "Allow",
      "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]})",
                                PolicyKind::kTrust,
                                "trust");
  const RequestContext ctx(api::Principal::service("imagebuilder.amazonaws.com"),
                           "sts:AssumeRole",
                           "arn:aws:iam::111122223333:role/Builder");
  const Explanation e = explain(PolicySet{.resource = &trust}, ctx);
  REQUIRE(e.fixes.size() == 1);
  CHECK(e.fixes[0].principal_key == "Service");
  CHECK(e.fixes[0].statement_json
        == R"({"Effect":"Allow","Principal":{"Service":"imagebuilder.amazonaws.com"},)"
           R"("Action":"sts:AssumeRole"})");
  CHECK(e.fixes[0].text
        == "Add to the trust policy of role arn:aws:iam::111122223333:role/Builder a statement "
           "allowing imagebuilder.amazonaws.com the action sts:AssumeRole.");
}

TEST_CASE("Explain: allowed decisions say why and need no fix", "[policy]") {
  const Policy key = parse_ok(kOwnerOnlyKeyPolicy, PolicyKind::kKey, "KeyPolicy");
  const Policy iam = parse_ok(R"({"Statement": {"Sid": "KmsUse", "Effect": "Allow",
      "Action": "kms:*", "Resource": "*"}})",
                              PolicyKind::kIdentity,
                              "inline:KmsUse");
  RequestContext ctx(testing::session(kOther, "Distribution"), "kms:Decrypt", kKeyArn);
  ctx.set("kms:ViaService", "ec2.us-east-1.amazonaws.com");
  const Explanation e = explain(PolicySet{.identity = {&iam}, .resource = &key}, ctx);
  CHECK(e.decision.allowed());
  CHECK(e.fixes.empty());
  CHECK(e.message.empty());
  CHECK(e.summary
        == "Allowed: the request crosses accounts (caller 444455556666, resource 111122223333) "
           "and both sides allow it: statement \"KmsUse\" (#0) of inline:KmsUse in the caller's "
           "account and statement \"Allow use of the key\" (#1) of KeyPolicy in the resource's "
           "account.");
}

}  // namespace
}  // namespace ibsim::mock_aws::policy
