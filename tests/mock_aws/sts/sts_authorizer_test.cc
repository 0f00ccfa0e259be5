#include "mock_aws/sts/sts_authorizer.h"

#include <memory>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "mock_aws/iam/aws_managed_policies.h"
#include "tests/mock_aws/services/world_fixture.h"

namespace ibsim::mock_aws::sts {
namespace {

using testing::allow;
using testing::kAllowAll;
using testing::trust_for;
using testing::WorldFixture;

iam::PolicyDocument scp(std::string_view text) {
  auto p = policy::parse_policy(text, policy::PolicyKind::kServiceControl, {.name = "scp"});
  REQUIRE(p.ok());
  return {std::string(text), std::make_shared<const policy::Policy>(std::move(p).value())};
}

iam::PolicyPtr key_policy(std::string_view text) {
  auto p = policy::parse_policy(text, policy::PolicyKind::kKey, {.name = "key policy"});
  REQUIRE(p.ok());
  return std::make_shared<const policy::Policy>(std::move(p).value());
}

// A role session in `acct` whose role has the given managed policy attached.
api::CallContext managed_session(WorldFixture& f,
                                 const api::AccountId& acct,
                                 std::string_view policy_arn) {
  const std::string role = f.role(acct, "Managed", acct.str());
  REQUIRE(f.world.iam().seed_attach_role_policy(acct, {"Managed", std::string(policy_arn)}).ok());
  const api::CallContext admin = f.user(acct, "admin", kAllowAll);
  return f.session(admin, role);
}

TEST_CASE("StsAuthorizer: the root user is allowed in its own account unless an SCP denies",
          "[sts]") {
  WorldFixture f;
  auto& authz = f.world.authorizer();
  const api::CallContext root = f.root(f.a);
  const std::string own = "arn:aws:kms:us-east-1:111122223333:key/k";
  CHECK(authz.authorize(root, {.action = "kms:Decrypt", .resource = own}).allowed());
  CHECK(authz.authorize(root, {.action = "kms:Decrypt", .resource = own}).decision.basis
        == policy::AllowBasis::kRootUser);
  // Another account's resource without a resource policy: denied.
  CHECK_FALSE(authz
                  .authorize(root,
                             {.action = "kms:Decrypt",
                              .resource = "arn:aws:kms:us-east-1:444455556666:key/k"})
                  .allowed());
  // An SCP with an explicit deny stops the root too.
  REQUIRE(
      authz
          .set_service_control_policies(
              f.a,
              {{scp(kAllowAll),
                scp(R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"kms:*","Resource":"*"}]})")}})
          .ok());
  auto denied = authz.authorize(root, {.action = "kms:Decrypt", .resource = own});
  CHECK(denied.decision.outcome == policy::Outcome::kExplicitDeny);
  CHECK(denied.message.ends_with("with an explicit deny in a service control policy"));
  // An SCP level without an allow reads as an explicit deny in AWS's message too.
  REQUIRE(authz.set_service_control_policies(f.a, {{scp(kAllowAll)}, {scp(allow("ec2:*"))}}).ok());
  auto no_allow = authz.authorize(root, {.action = "kms:Decrypt", .resource = own});
  CHECK(no_allow.decision.reason == policy::DenyReason::kServiceControlNoAllow);
  CHECK(no_allow.message.ends_with("with an explicit deny in a service control policy"));
  CHECK(authz.service_control_policies(f.a).size() == 2);
  REQUIRE(authz.set_service_control_policies(f.a, {}).ok());
  CHECK(authz.authorize(root, {.action = "kms:Decrypt", .resource = own}).allowed());
  CHECK(authz.service_control_policies(f.a).empty());
}

TEST_CASE("StsAuthorizer: a permissions boundary caps a user's policies", "[sts]") {
  WorldFixture f;
  auto boundary = f.world.iam().seed_policy(
      f.a, {.policy_name = "Boundary", .policy_document = allow("ec2:*")});
  REQUIRE(boundary.ok());
  REQUIRE(f.world.iam()
              .seed_user(f.a, {.user_name = "capped", .permissions_boundary = boundary->arn})
              .ok());
  REQUIRE(f.world.iam().seed_put_user_policy(f.a, "capped", "all", kAllowAll).ok());
  const iam::UserRecord* u = f.world.iam().find_user(f.a, "capped");
  const api::CallContext caller = f.call(api::Principal::user(f.a, u->path, u->name, u->user_id));
  auto& authz = f.world.authorizer();
  CHECK(authz.authorize(caller, {.action = "ec2:CopyImage", .resource = "*"}).allowed());
  auto kms = authz.authorize(caller, {.action = "kms:Decrypt", .resource = "*"});
  CHECK_FALSE(kms.allowed());
  CHECK(kms.decision.reason == policy::DenyReason::kBoundaryNoAllow);
  CHECK(kms.message.ends_with("because no permissions boundary allows the kms:Decrypt action"));
}

TEST_CASE("StsAuthorizer: cached policy lists follow IAM changes", "[sts]") {
  WorldFixture f;
  const api::CallContext admin = f.user(f.a, "admin", kAllowAll);
  const std::string role = f.role(f.a, "R", "111122223333", allow("kms:Decrypt"));
  const api::CallContext session = f.session(admin, role);
  auto& authz = f.world.authorizer();
  const auth::AuthzRequest decrypt{.action = "kms:Decrypt", .resource = "*"};
  CHECK(authz.authorize(session, decrypt).allowed());
  const uint64_t hits = authz.stats().cache_hits;
  CHECK(authz.authorize(session, decrypt).allowed());
  CHECK(authz.stats().cache_hits == hits + 1);
  REQUIRE(f.world.iam().delete_role_policy(admin, {"R", "inline"}).ok());
  CHECK_FALSE(authz.authorize(session, decrypt).allowed());
  REQUIRE(f.world.iam().put_role_policy(admin, {"R", "again", allow("kms:*")}).ok());
  CHECK(authz.authorize(session, decrypt).allowed());
  CHECK(authz.stats().denials >= 1);
}

TEST_CASE("StsAuthorizer: service calls carry kms:ViaService and aws:CalledVia", "[sts]") {
  WorldFixture f;
  const std::string via_only =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:Decrypt","Resource":"*","Condition":{"StringLike":{"kms:ViaService":"ec2.*.amazonaws.com"},"ForAnyValue:StringEquals":{"aws:CalledVia":"ec2.amazonaws.com"}}}]})";
  const api::CallContext admin = f.user(f.a, "admin", kAllowAll);
  const std::string role = f.role(f.a, "R", "111122223333", via_only);
  api::CallContext session = f.session(admin, role);
  auto& authz = f.world.authorizer();
  const auth::AuthzRequest decrypt{.action = "kms:Decrypt", .resource = "*"};
  CHECK_FALSE(authz.authorize(session, decrypt).allowed());
  session.via_service = "ec2.us-west-2.amazonaws.com";
  CHECK(authz.authorize(session, decrypt).allowed());
  auto explained =
      authz.authorize(f.call(api::Principal::user(f.a, "/", "ghost", "AIDAGHOST")), decrypt);
  CHECK_FALSE(explained.allowed());
}

TEST_CASE("StsAuthorizer: sessions of a service-linked role carry no aws:CalledVia", "[sts]") {
  WorldFixture f;
  const api::CallContext imagebuilder =
      f.call(api::Principal::service(iam::kImageBuilderServicePrincipal));
  const iam::RoleRecord* slr = f.world.iam().find_role(f.a, iam::kImageBuilderSlrName);
  api::CallContext session = f.session(imagebuilder, slr->arn, "ImageBuilder");
  session.via_service = "ec2.us-east-1.amazonaws.com";
  // The SLR policy conditions on kms:ViaService only, so it works; a CalledVia condition would not.
  CHECK(f.world.authorizer()
            .authorize(session,
                       {.action = "kms:DescribeKey",
                        .resource = "arn:aws:kms:us-east-1:111122223333:key/k"})
            .allowed());
}

TEST_CASE("StsAuthorizer: aws:CurrentTime and aws:SourceAccount come from the CallContext",
          "[sts]") {
  WorldFixture f;
  const std::string timed =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"DateLessThan":{"aws:CurrentTime":"2026-01-01T01:00:00Z"},"StringEquals":{"aws:SourceAccount":"444455556666"}}}]})";
  api::CallContext caller = f.user(f.a, "timed", timed);
  auto& authz = f.world.authorizer();
  const auth::AuthzRequest get{.action = "s3:GetObject", .resource = "*"};
  CHECK_FALSE(authz.authorize(caller, get).allowed());
  caller.source_account = "444455556666";
  CHECK(authz.authorize(caller, get).allowed());
  caller.request_unix_ms = f.ctx.unix_ms() + 2 * 3'600'000;
  CHECK_FALSE(authz.authorize(caller, get).allowed());
}

TEST_CASE("StsAuthorizer: the reused request context carries nothing between requests", "[sts]") {
  WorldFixture f;
  // Denied whenever ibsim:Leak or aws:SourceArn is present, or the principal is tagged red.
  const std::string guarded =
      R"({"Version":"2012-10-17","Statement":[)"
      R"({"Effect":"Allow","Action":"kms:Decrypt","Resource":"*"},)"
      R"({"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Null":{"ibsim:Leak":"false"}}},)"
      R"({"Effect":"Deny","Action":"*","Resource":"*","Condition":{"Null":{"aws:SourceArn":"false"}}},)"
      R"({"Effect":"Deny","Action":"*","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/Color":"red"}}}]})";
  const api::CallContext admin = f.user(f.a, "admin", kAllowAll);
  const std::string role = f.role(f.a, "R", "111122223333", guarded);
  const api::CallContext session = f.session(admin, role);
  api::CallContext red = session;
  red.principal.tags["Color"] = "red";
  api::CallContext sourced = session;
  sourced.source_arn = "arn:aws:imagebuilder:us-east-1:111122223333:image/x";
  auto& authz = f.world.authorizer();
  const auth::AuthzRequest plain{.action = "kms:Decrypt", .resource = "*"};
  const auth::AuthzRequest leaky{
      .action = "kms:Decrypt", .resource = "*", .keys = {{"ibsim:Leak", {"yes"}, false}}};
  const auth::AuthzRequest other{.action = "kms:Encrypt", .resource = "*"};

  const auth::AuthzResult first_denial = authz.authorize(session, other);
  REQUIRE_FALSE(first_denial.allowed());
  CHECK(authz.authorize(session, plain).allowed());
  CHECK_FALSE(authz.authorize(session, leaky).allowed());
  CHECK(authz.authorize(session, plain).allowed());
  CHECK_FALSE(authz.authorize(red, plain).allowed());
  CHECK(authz.authorize(session, plain).allowed());
  CHECK_FALSE(authz.authorize(sourced, plain).allowed());
  CHECK(authz.authorize(session, plain).allowed());
  // The same denial after other requests: the same message and explanation, byte for byte.
  const auth::AuthzResult again = authz.authorize(session, other);
  CHECK(again.message == first_denial.message);
  CHECK(again.explanation == first_denial.explanation);
}

TEST_CASE("StsAuthorizer: a denial carries AWS's message and ibsim's explanation", "[sts]") {
  WorldFixture f;
  const api::CallContext caller = f.user(f.a, "caller", allow("ec2:DescribeImages"));
  auto r = f.world.authorizer().authorize(
      caller, {.action = "kms:Decrypt", .resource = "arn:aws:kms:us-east-1:111122223333:key/k"});
  REQUIRE_FALSE(r.allowed());
  CHECK(r.message
        == "User: arn:aws:iam::111122223333:user/caller is not authorized to perform: kms:Decrypt "
           "on resource: arn:aws:kms:us-east-1:111122223333:key/k because no identity-based "
           "policy allows the kms:Decrypt action");
  const nlohmann::json j = nlohmann::json::parse(r.explanation);
  CHECK(j["allowed"] == false);
  CHECK(j["explicitDeny"] == false);
  CHECK(j["decision"] == "ImplicitDeny");
  CHECK(j["reason"] == "NoIdentityPolicyAllows");
  CHECK_FALSE(j["summary"].get<std::string>().empty());
  CHECK(j["context"]["principal"]["arn"] == caller.principal.arn);
  CHECK(j["context"]["action"] == "kms:Decrypt");
  REQUIRE(j["fixes"].is_array());
  REQUIRE_FALSE(j["fixes"].empty());
  CHECK(j["fixes"][0]["statement"]["Action"] == "kms:Decrypt");
  // Allowed decisions carry neither.
  auto ok =
      f.world.authorizer().authorize(caller, {.action = "ec2:DescribeImages", .resource = "*"});
  CHECK(ok.allowed());
  CHECK(ok.message.empty());
  CHECK(ok.explanation.empty());
}

TEST_CASE("StsAuthorizer: cross-account KMS needs the key policy and the caller's policy",
          "[sts]") {
  WorldFixture f;
  const api::CallContext admin = f.user(f.b, "admin", kAllowAll);
  const std::string with_kms = f.role(f.b, "WithKms", "444455556666", allow("kms:Decrypt"));
  const std::string without = f.role(f.b, "Without", "444455556666", allow("ec2:*"));
  const iam::PolicyPtr key = key_policy(
      R"({"Version":"2012-10-17","Statement":[{"Sid":"Enable IAM policies","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},{"Sid":"Allow the target account","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},"Action":["kms:Decrypt","kms:DescribeKey"],"Resource":"*"}]})");
  const std::string key_arn = "arn:aws:kms:us-east-1:111122223333:key/k";
  auth::AuthzRequest decrypt{
      .action = "kms:Decrypt", .resource = key_arn, .resource_policy = key.get()};
  auto& authz = f.world.authorizer();
  CHECK(authz.authorize(f.session(admin, with_kms), decrypt).allowed());
  auto no_identity = authz.authorize(f.session(admin, without), decrypt);
  CHECK_FALSE(no_identity.allowed());
  CHECK(no_identity.message.ends_with(
      "because no identity-based policy allows the kms:Decrypt action"));
  decrypt.action = "kms:Encrypt";
  auto no_key = authz.authorize(f.session(admin, with_kms), decrypt);
  CHECK_FALSE(no_key.allowed());
  CHECK(no_key.decision.reason == policy::DenyReason::kKeyPolicyNoAllow);
}

TEST_CASE("Managed policy Ec2ImageBuilderCrossAccountDistributionAccess: its real effect",
          "[sts]") {
  WorldFixture f;
  const api::CallContext s = managed_session(f, f.b, iam::kCrossAccountDistributionPolicyArn);
  auto& authz = f.world.authorizer();
  const auto allowed = [&](std::string_view action, std::string_view resource) {
    return authz.authorize(s, {.action = action, .resource = resource}).allowed();
  };
  CHECK(allowed("ec2:CopyImage", "*"));
  CHECK(allowed("ec2:DescribeImages", "*"));
  CHECK(allowed("ec2:ModifyImageAttribute", "arn:aws:ec2:us-west-2::image/ami-0123456789abcdef0"));
  CHECK(allowed("ec2:CreateTags", "arn:aws:ec2:us-west-2::image/ami-0123456789abcdef0"));
  CHECK_FALSE(allowed("ec2:CreateTags", "arn:aws:ec2:us-west-2::snapshot/snap-0123456789abcdef0"));
  CHECK_FALSE(allowed("kms:Decrypt", "arn:aws:kms:us-west-2:111122223333:key/k"));
  CHECK_FALSE(allowed("kms:CreateGrant", "*"));
  CHECK_FALSE(allowed("ec2:CreateLaunchTemplateVersion", "*"));
  CHECK_FALSE(allowed("ec2:ModifySnapshotAttribute", "*"));
}

TEST_CASE("Managed policy AWSServiceRoleForImageBuilder: conditions as AWS wrote them", "[sts]") {
  WorldFixture f;
  const api::CallContext imagebuilder =
      f.call(api::Principal::service(iam::kImageBuilderServicePrincipal));
  const iam::RoleRecord* slr = f.world.iam().find_role(f.a, iam::kImageBuilderSlrName);
  api::CallContext s = f.session(imagebuilder, slr->arn, "ImageBuilder");
  auto& authz = f.world.authorizer();
  const std::string key = "arn:aws:kms:us-west-2:111122223333:key/k";
  auth::AuthzRequest decrypt{.action = "kms:Decrypt", .resource = key};
  decrypt.keys.push_back({"kms:EncryptionContextKeys", {"aws:ebs:id"}, true});
  CHECK_FALSE(authz.authorize(s, decrypt).allowed());  // Not through EC2.
  s.via_service = "ec2.us-west-2.amazonaws.com";
  CHECK(authz.authorize(s, decrypt).allowed());
  decrypt.keys = {{"kms:EncryptionContextKeys", {"aws:ebs:id", "other"}, true}};
  CHECK_FALSE(authz.authorize(s, decrypt).allowed());  // ForAllValues: every key must match.
  // CreateGrant only for AWS resources.
  auth::AuthzRequest grant{.action = "kms:CreateGrant", .resource = key};
  CHECK_FALSE(authz.authorize(s, grant).allowed());
  grant.keys = {{"kms:GrantIsForAWSResource", {"true"}, false}};
  CHECK(authz.authorize(s, grant).allowed());
  // Snapshot sharing only for snapshots Image Builder created.
  auth::AuthzRequest share{.action = "ec2:ModifySnapshotAttribute",
                           .resource = "arn:aws:ec2:us-west-2::snapshot/snap-1"};
  CHECK_FALSE(authz.authorize(s, share).allowed());
  share.keys = {{"ec2:ResourceTag/CreatedBy", {"EC2 Image Builder"}, false}};
  CHECK(authz.authorize(s, share).allowed());
  // Tagging snapshots and launch templates only with CreatedBy in the request.
  auth::AuthzRequest tag{.action = "ec2:CreateTags",
                         .resource = "arn:aws:ec2:us-west-2:111122223333:launch-template/lt-1"};
  CHECK_FALSE(authz.authorize(s, tag).allowed());
  tag.keys = {{"aws:RequestTag/CreatedBy", {"EC2 Image Builder"}, false}};
  CHECK(authz.authorize(s, tag).allowed());
  CHECK(authz
            .authorize(s,
                       {.action = "ec2:CreateTags",
                        .resource = "arn:aws:ec2:us-west-2::image/ami-0123456789abcdef0"})
            .allowed());
  // sts:AssumeRole only on the cross-account distribution role (the identity side alone, so a
  // role ARN in the same account; across accounts the trust policy decides too).
  CHECK(authz
            .authorize(
                s,
                {.action = "sts:AssumeRole",
                 .resource =
                     "arn:aws:iam::111122223333:role/EC2ImageBuilderDistributionCrossAccountRole"})
            .allowed());
  CHECK_FALSE(
      authz
          .authorize(
              s, {.action = "sts:AssumeRole", .resource = "arn:aws:iam::111122223333:role/Admin"})
          .allowed());
}

TEST_CASE("Managed policy EC2InstanceProfileForImageBuilder: components and logs only", "[sts]") {
  WorldFixture f;
  const api::CallContext s =
      managed_session(f, f.a, "arn:aws:iam::aws:policy/EC2InstanceProfileForImageBuilder");
  auto& authz = f.world.authorizer();
  CHECK(authz.authorize(s, {.action = "imagebuilder:GetComponent", .resource = "*"}).allowed());
  CHECK(authz
            .authorize(
                s,
                {.action = "logs:PutLogEvents",
                 .resource = "arn:aws:logs:us-east-1:111122223333:log-group:/aws/imagebuilder/x"})
            .allowed());
  CHECK_FALSE(authz.authorize(s, {.action = "ec2:CopyImage", .resource = "*"}).allowed());
}

}  // namespace
}  // namespace ibsim::mock_aws::sts
