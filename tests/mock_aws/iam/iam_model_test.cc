#include "mock_aws/iam/iam_model.h"

#include <string>

#include <catch2/catch.hpp>

#include "mock_aws/iam/aws_managed_policies.h"
#include "tests/mock_aws/services/world_fixture.h"

namespace ibsim::mock_aws::iam {
namespace {

using testing::allow;
using testing::kAllowAll;
using testing::trust_for;
using testing::WorldFixture;

struct Admin : WorldFixture {
  Admin() : admin(user(a, "admin", kAllowAll)) {}

  api::CallContext admin;

  sim::Result<api::iam::CreateRoleOutput> create(std::string name,
                                                 std::string trust = trust_for("111122223333")) {
    api::iam::CreateRoleInput in;
    in.role_name = std::move(name);
    in.assume_role_policy_document = std::move(trust);
    return world.iam().create_role(admin, in);
  }
};

void require_error(const sim::AwsError& e, std::string_view code, int status) {
  INFO(e.code + ": " + e.message);
  CHECK(e.code == code);
  CHECK(e.http_status == status);
}

TEST_CASE("IamModel: add_account refuses duplicates and never accepts a malformed id", "[iam]") {
  WorldFixture f;
  const auto dup = f.world.iam().add_account(f.a);
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().code == "EntityAlreadyExists");
  const auto bad = f.world.iam().add_account("12345", "short");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "InvalidParameterValue");
  CHECK_FALSE(f.world.iam().add_account("11112222333x").ok());
  CHECK(f.world.iam().account_ids().size() == 2);
  CHECK(f.world.iam().find_account(testing::account("999999999999")) == nullptr);
}

TEST_CASE("IamModel: every account has the protected Image Builder service-linked role", "[iam]") {
  Admin f;
  const RoleRecord* slr = f.world.iam().find_role(f.a, kImageBuilderSlrName);
  REQUIRE(slr != nullptr);
  CHECK(slr->path == "/aws-service-role/imagebuilder.amazonaws.com/");
  CHECK(slr->arn
        == "arn:aws:iam::111122223333:role/aws-service-role/imagebuilder.amazonaws.com/"
           "AWSServiceRoleForImageBuilder");
  CHECK(slr->service_linked);
  REQUIRE(slr->attached_policies.size() == 1);
  CHECK(slr->attached_policies[0] == kImageBuilderSlrPolicyArn);
  CHECK(slr->trust.text.find("imagebuilder.amazonaws.com") != std::string::npos);
  CHECK(f.world.iam().find_role(f.b, kImageBuilderSlrName) != nullptr);

  const std::string name(kImageBuilderSlrName);
  require_error(f.world.iam().delete_role(f.admin, {name}).error(), "UnmodifiableEntity", 400);
  CHECK(f.world.iam().delete_role(f.admin, {name}).error().message
        == "Cannot perform the operation on the protected role 'AWSServiceRoleForImageBuilder' - "
           "this role is only modifiable by AWS");
  require_error(f.world.iam().put_role_policy(f.admin, {name, "x", allow("s3:*")}).error(),
                "UnmodifiableEntity",
                400);
  require_error(
      f.world.iam().update_assume_role_policy(f.admin, {name, trust_for("111122223333")}).error(),
      "UnmodifiableEntity",
      400);
  require_error(f.world.iam()
                    .detach_role_policy(f.admin, {name, std::string(kImageBuilderSlrPolicyArn)})
                    .error(),
                "UnmodifiableEntity",
                400);
  // It is listed and readable like any role.
  auto got = f.world.iam().get_role(f.admin, {name});
  REQUIRE(got.ok());
  CHECK(got->role.role_id.starts_with("AROA"));
}

TEST_CASE("IamModel: CreateRole stores the role and GetRole returns it", "[iam]") {
  Admin f;
  api::iam::CreateRoleInput in;
  in.path = "/team/";
  in.role_name = "Builder";
  in.assume_role_policy_document = trust_for("444455556666");
  in.description = "builds";
  in.max_session_duration = 7200;
  in.tags = {{"CreatedBy", "EC2 Image Builder"}};
  auto created = f.world.iam().create_role(f.admin, in);
  REQUIRE(created.ok());
  const api::iam::Role& r = created->role;
  CHECK(r.arn == "arn:aws:iam::111122223333:role/team/Builder");
  CHECK(r.path == "/team/");
  CHECK(r.role_id.size() == 21);
  CHECK(r.role_id.starts_with("AROA"));
  CHECK(r.max_session_duration == 7200);
  CHECK(r.create_date == f.ctx.unix_ms());
  CHECK(r.tags.size() == 1);

  auto got = f.world.iam().get_role(f.admin, {"builder"});  // Names are case-insensitive.
  REQUIRE(got.ok());
  CHECK(got->role.role_name == "Builder");
  CHECK(got->role.assume_role_policy_document == in.assume_role_policy_document);
  CHECK(got->role.description == "builds");
  CHECK(f.world.iam().find_role_by_arn("arn:aws:iam::111122223333:role/team/Builder") != nullptr);
  CHECK(f.world.iam().find_role_by_arn("arn:aws:iam::111122223333:role/Builder") == nullptr);
}

TEST_CASE("IamModel: CreateRole errors carry AWS's codes and messages", "[iam]") {
  Admin f;
  REQUIRE(f.create("R").ok());
  auto dup = f.create("r");
  require_error(dup.error(), "EntityAlreadyExists", 409);
  CHECK(dup.error().message == "Role with name r already exists.");

  auto bad_name = f.create("bad name");
  require_error(bad_name.error(), "ValidationError", 400);
  CHECK(bad_name.error().message.find("at 'roleName' failed to satisfy constraint")
        != std::string::npos);
  require_error(f.create(std::string(65, 'x')).error(), "ValidationError", 400);
  require_error(f.create("").error(), "ValidationError", 400);

  api::iam::CreateRoleInput in;
  in.role_name = "P";
  in.assume_role_policy_document = trust_for("111122223333");
  in.path = "nopath";
  require_error(f.world.iam().create_role(f.admin, in).error(), "ValidationError", 400);
  in.path = "/ok/";
  in.max_session_duration = 3599;
  require_error(f.world.iam().create_role(f.admin, in).error(), "ValidationError", 400);
  in.max_session_duration = 43201;
  auto too_long = f.world.iam().create_role(f.admin, in);
  CHECK(too_long.error().message.find("less than or equal to 43200") != std::string::npos);
  in.max_session_duration = 43200;
  in.permissions_boundary = "arn:aws:iam::111122223333:policy/Missing";
  auto boundary = f.world.iam().create_role(f.admin, in);
  require_error(boundary.error(), "NoSuchEntity", 404);
  CHECK(boundary.error().message
        == "Scope ARN: arn:aws:iam::111122223333:policy/Missing does not exist or is not "
           "attachable.");

  // Trust policies: a Resource element, a non-AssumeRole action, a principal that does not exist.
  auto with_resource = f.create(
      "T1",
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole","Resource":"*"}]})");
  require_error(with_resource.error(), "MalformedPolicyDocument", 400);
  require_error(f.create("T2", "{not json").error(), "MalformedPolicyDocument", 400);
  auto ghost = f.create("T3", trust_for("arn:aws:iam::444455556666:role/Ghost"));
  require_error(ghost.error(), "MalformedPolicyDocument", 400);
  CHECK(ghost.error().message
        == R"(Invalid principal in policy: "AWS":"arn:aws:iam::444455556666:role/Ghost")");
  // Accounts outside the world are not checked.
  CHECK(f.create("T4", trust_for("arn:aws:iam::999999999999:role/Elsewhere")).ok());
  // ACLSizePerRole: 2048 characters.
  std::string big = R"({"Version":"2012-10-17","Statement":[)";
  for (int i = 0; i < 40; ++i) {
    big +=
        std::string(i == 0 ? "" : ",")
        + R"({"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":"x)"
        + std::to_string(i) + R"("}}})";
  }
  big += "]}";
  require_error(f.create("T5", big).error(), "LimitExceeded", 409);
}

TEST_CASE("IamModel: GetRole on a missing role is NoSuchEntity with AWS's message", "[iam]") {
  Admin f;
  auto r = f.world.iam().get_role(f.admin, {"Nope"});
  require_error(r.error(), "NoSuchEntity", 404);
  CHECK(r.error().message == "The role with name Nope cannot be found.");
}

TEST_CASE("IamModel: DeleteRole refuses while profiles or policies hold the role", "[iam]") {
  Admin f;
  REQUIRE(f.create("R").ok());
  REQUIRE(f.world.iam().put_role_policy(f.admin, {"R", "inline", allow("s3:*")}).ok());
  REQUIRE(f.world.iam()
              .attach_role_policy(f.admin, {"R", std::string(kCrossAccountDistributionPolicyArn)})
              .ok());
  REQUIRE(f.world.iam().create_instance_profile(f.admin, {.instance_profile_name = "IP"}).ok());
  REQUIRE(f.world.iam().add_role_to_instance_profile(f.admin, {"IP", "R"}).ok());

  auto e1 = f.world.iam().delete_role(f.admin, {"R"});
  require_error(e1.error(), "DeleteConflict", 409);
  CHECK(e1.error().message
        == "Cannot delete entity, must remove roles from instance profile first.");
  REQUIRE(f.world.iam().remove_role_from_instance_profile(f.admin, {"IP", "R"}).ok());
  auto e2 = f.world.iam().delete_role(f.admin, {"R"});
  CHECK(e2.error().message == "Cannot delete entity, must detach all policies first.");
  REQUIRE(f.world.iam()
              .detach_role_policy(f.admin, {"R", std::string(kCrossAccountDistributionPolicyArn)})
              .ok());
  auto e3 = f.world.iam().delete_role(f.admin, {"R"});
  CHECK(e3.error().message == "Cannot delete entity, must delete policies first.");
  REQUIRE(f.world.iam().delete_role_policy(f.admin, {"R", "inline"}).ok());
  REQUIRE(f.world.iam().delete_role(f.admin, {"R"}).ok());
  require_error(f.world.iam().get_role(f.admin, {"R"}).error(), "NoSuchEntity", 404);
  require_error(f.world.iam().delete_role(f.admin, {"R"}).error(), "NoSuchEntity", 404);
}

TEST_CASE("IamModel: deleting a role turns trust policies naming it into its unique id", "[iam]") {
  Admin f;
  auto caller = f.create("Caller");
  REQUIRE(caller.ok());
  const std::string caller_arn = caller->role.arn;
  const std::string caller_id = caller->role.role_id;
  REQUIRE(f.create("Target", trust_for(caller_arn)).ok());
  REQUIRE(f.world.iam().delete_role(f.admin, {"Caller"}).ok());
  const RoleRecord* target = f.world.iam().find_role(f.a, "Target");
  REQUIRE(target != nullptr);
  CHECK(target->trust.text.find(caller_id) != std::string::npos);
  CHECK(target->trust.text.find(caller_arn) == std::string::npos);
  // Recreating the role does not restore the trust: its new id differs.
  auto again = f.create("Caller");
  REQUIRE(again.ok());
  CHECK(again->role.role_id != caller_id);
}

TEST_CASE("IamModel: ListRoles filters by path prefix and pages with a marker", "[iam]") {
  Admin f;
  for (const char* name : {"A1", "A2", "A3"}) {
    api::iam::CreateRoleInput in;
    in.role_name = name;
    in.path = "/app/";
    in.assume_role_policy_document = trust_for("111122223333");
    REQUIRE(f.world.iam().create_role(f.admin, in).ok());
  }
  auto all = f.world.iam().list_roles(f.admin, {});
  REQUIRE(all.ok());
  CHECK(all->roles.size() == 4);  // Three plus the service-linked role.
  CHECK_FALSE(all->is_truncated);
  auto page1 = f.world.iam().list_roles(f.admin, {.path_prefix = "/app/", .max_items = 2});
  REQUIRE(page1.ok());
  REQUIRE(page1->roles.size() == 2);
  CHECK(page1->is_truncated);
  REQUIRE(page1->marker.has_value());
  auto page2 = f.world.iam().list_roles(
      f.admin, {.path_prefix = "/app/", .marker = page1->marker, .max_items = 2});
  REQUIRE(page2.ok());
  REQUIRE(page2->roles.size() == 1);
  CHECK(page2->roles[0].role_name == "A3");
  CHECK_FALSE(page2->is_truncated);
  require_error(
      f.world.iam().list_roles(f.admin, {.max_items = 0}).error(), "ValidationError", 400);
  require_error(f.world.iam().list_roles(f.admin, {.marker = "zz"}).error(), "InvalidInput", 400);
  require_error(f.world.iam().list_roles(f.admin, {.path_prefix = "noslash"}).error(),
                "ValidationError",
                400);
}

TEST_CASE("IamModel: UpdateAssumeRolePolicy replaces and validates the trust policy", "[iam]") {
  Admin f;
  REQUIRE(f.create("R").ok());
  REQUIRE(f.world.iam().update_assume_role_policy(f.admin, {"R", trust_for("444455556666")}).ok());
  CHECK(f.world.iam().get_role(f.admin, {"R"})->role.assume_role_policy_document
        == trust_for("444455556666"));
  require_error(f.world.iam().update_assume_role_policy(f.admin, {"R", allow("s3:*")}).error(),
                "MalformedPolicyDocument",
                400);
  require_error(f.world.iam().update_assume_role_policy(f.admin, {"Nope", trust_for("1")}).error(),
                "NoSuchEntity",
                404);
}

TEST_CASE("IamModel: TagRole merges tags and bounds them", "[iam]") {
  Admin f;
  REQUIRE(f.create("R").ok());
  REQUIRE(f.world.iam().tag_role(f.admin, {"R", {{"a", "1"}, {"b", "2"}}}).ok());
  REQUIRE(f.world.iam().tag_role(f.admin, {"R", {{"A", "3"}}}).ok());  // Keys ignore case.
  const auto tags = f.world.iam().get_role(f.admin, {"R"})->role.tags;
  REQUIRE(tags.size() == 2);
  CHECK(tags[0].value == "3");
  require_error(f.world.iam().tag_role(f.admin, {"R", {{"x", "1"}, {"X", "2"}}}).error(),
                "InvalidInput",
                400);
  require_error(
      f.world.iam().tag_role(f.admin, {"R", {{"bad*key", "1"}}}).error(), "ValidationError", 400);
  std::vector<api::iam::Tag> many;
  for (int i = 0; i < 49; ++i) {
    many.push_back({std::string("k") + std::to_string(i), "v"});
  }
  require_error(f.world.iam().tag_role(f.admin, {"R", many}).error(), "LimitExceeded", 409);
  require_error(
      f.world.iam().tag_role(f.admin, {"Nope", {{"a", "1"}}}).error(), "NoSuchEntity", 404);
}

TEST_CASE("IamModel: inline role policies are put and read and listed and deleted", "[iam]") {
  Admin f;
  REQUIRE(f.create("R").ok());
  REQUIRE(f.world.iam().put_role_policy(f.admin, {"R", "kms", allow("kms:Decrypt")}).ok());
  REQUIRE(f.world.iam().put_role_policy(f.admin, {"R", "ec2", allow("ec2:CopyImage")}).ok());
  auto got = f.world.iam().get_role_policy(f.admin, {"R", "kms"});
  REQUIRE(got.ok());
  CHECK(got->policy_document == allow("kms:Decrypt"));
  CHECK(got->role_name == "R");
  auto names = f.world.iam().list_role_policies(f.admin, {"R"});
  REQUIRE(names.ok());
  CHECK(names->policy_names == std::vector<std::string>{"ec2", "kms"});
  auto missing = f.world.iam().get_role_policy(f.admin, {"R", "nope"});
  require_error(missing.error(), "NoSuchEntity", 404);
  CHECK(missing.error().message == "The role policy with name nope cannot be found.");
  require_error(f.world.iam().put_role_policy(f.admin, {"R", "bad", "{}"}).error(),
                "MalformedPolicyDocument",
                400);
  require_error(f.world.iam().put_role_policy(f.admin, {"R", "bad name", allow("s3:*")}).error(),
                "ValidationError",
                400);
  require_error(f.world.iam().put_role_policy(f.admin, {"Nope", "p", allow("s3:*")}).error(),
                "NoSuchEntity",
                404);
  // All inline policies of a role share 10240 characters.
  std::string big =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":[)";
  for (int i = 0; i < 110; ++i) {
    big += std::string(i == 0 ? "" : ",") + "\"arn:aws:s3:::bucket-" + std::to_string(i)
           + "/some/long/prefix/for/objects/*\"";
  }
  big += "]}]}";
  REQUIRE(f.world.iam().put_role_policy(f.admin, {"R", "big1", big}).ok());
  auto over = f.world.iam().put_role_policy(f.admin, {"R", "big2", big});
  require_error(over.error(), "LimitExceeded", 409);
  CHECK(over.error().message == "Maximum policy size of 10240 bytes exceeded for role R");
  REQUIRE(f.world.iam().delete_role_policy(f.admin, {"R", "big1"}).ok());
  require_error(
      f.world.iam().delete_role_policy(f.admin, {"R", "big1"}).error(), "NoSuchEntity", 404);
}

TEST_CASE("IamModel: managed policies attach and detach with AWS's checks", "[iam]") {
  Admin f;
  REQUIRE(f.create("R").ok());
  const std::string xacct(kCrossAccountDistributionPolicyArn);
  REQUIRE(f.world.iam().attach_role_policy(f.admin, {"R", xacct}).ok());
  REQUIRE(f.world.iam().attach_role_policy(f.admin, {"R", xacct}).ok());  // Twice: no-op.
  auto listed = f.world.iam().list_attached_role_policies(f.admin, {"R"});
  REQUIRE(listed.ok());
  REQUIRE(listed->attached_policies.size() == 1);
  CHECK(listed->attached_policies[0].policy_name
        == "Ec2ImageBuilderCrossAccountDistributionAccess");

  auto missing = f.world.iam().attach_role_policy(f.admin, {"R", "arn:aws:iam::aws:policy/Nope"});
  require_error(missing.error(), "NoSuchEntity", 404);
  CHECK(missing.error().message
        == "Policy arn:aws:iam::aws:policy/Nope does not exist or is not attachable.");
  require_error(
      f.world.iam().attach_role_policy(f.admin, {"R", "not-an-arn-at-all-really!!"}).error(),
      "InvalidInput",
      400);
  auto slr_policy =
      f.world.iam().attach_role_policy(f.admin, {"R", std::string(kImageBuilderSlrPolicyArn)});
  require_error(slr_policy.error(), "PolicyNotAttachable", 400);
  CHECK(slr_policy.error().message == "Cannot attach a Service Role Policy to a Customer Role.");
  // Another account's customer policy is invisible.
  auto other =
      f.world.iam().seed_policy(f.b, {.policy_name = "Theirs", .policy_document = allow("s3:*")});
  REQUIRE(other.ok());
  require_error(
      f.world.iam().attach_role_policy(f.admin, {"R", other->arn}).error(), "NoSuchEntity", 404);
  // PoliciesPerRole: 10.
  for (int i = 0; i < 9; ++i) {
    auto p = f.world.iam().create_policy(
        f.admin,
        {.policy_name = std::string("P") + std::to_string(i), .policy_document = allow("s3:*")});
    REQUIRE(p.ok());
    REQUIRE(f.world.iam().attach_role_policy(f.admin, {"R", p->policy.arn}).ok());
  }
  auto p10 = f.world.iam().create_policy(f.admin,
                                         {.policy_name = "P10", .policy_document = allow("s3:*")});
  REQUIRE(p10.ok());
  auto over = f.world.iam().attach_role_policy(f.admin, {"R", p10->policy.arn});
  require_error(over.error(), "LimitExceeded", 409);
  CHECK(over.error().message == "Cannot exceed quota for PoliciesPerRole: 10");

  REQUIRE(f.world.iam().detach_role_policy(f.admin, {"R", xacct}).ok());
  auto not_attached = f.world.iam().detach_role_policy(f.admin, {"R", xacct});
  require_error(not_attached.error(), "NoSuchEntity", 404);
  CHECK(not_attached.error().message == "Policy " + xacct + " was not found.");
  auto page =
      f.world.iam().list_attached_role_policies(f.admin, {.role_name = "R", .max_items = 4});
  REQUIRE(page.ok());
  CHECK(page->attached_policies.size() == 4);
  CHECK(page->is_truncated);
}

TEST_CASE("IamModel: customer managed policies keep at most five versions", "[iam]") {
  Admin f;
  auto created = f.world.iam().create_policy(f.admin,
                                             {.policy_name = "Kms",
                                              .path = "/team/",
                                              .policy_document = allow("kms:Decrypt"),
                                              .description = "d"});
  REQUIRE(created.ok());
  const api::iam::Policy& p = created->policy;
  CHECK(p.arn == "arn:aws:iam::111122223333:policy/team/Kms");
  CHECK(p.policy_id.starts_with("ANPA"));
  CHECK(p.default_version_id == "v1");
  CHECK(p.attachment_count == 0);
  auto dup = f.world.iam().create_policy(f.admin,
                                         {.policy_name = "kms", .policy_document = allow("s3:*")});
  require_error(dup.error(), "EntityAlreadyExists", 409);
  require_error(
      f.world.iam()
          .create_policy(f.admin,
                         {.policy_name = "Bad", .path = "/a//", .policy_document = allow("s3:*")})
          .error(),
      "ValidationError",
      400);

  for (int v = 2; v <= 5; ++v) {
    auto version =
        f.world.iam().create_policy_version(f.admin, {p.arn, allow("kms:Encrypt"), v == 3});
    REQUIRE(version.ok());
    CHECK(version->policy_version.version_id == std::string("v") + std::to_string(v));
  }
  auto sixth = f.world.iam().create_policy_version(f.admin, {p.arn, allow("kms:Encrypt"), true});
  require_error(sixth.error(), "LimitExceeded", 409);
  CHECK(sixth.error().message
        == "A managed policy can have up to 5 versions. Before you create a new version, you must "
           "delete an existing version.");
  CHECK(f.world.iam().get_policy(f.admin, {p.arn})->policy.default_version_id == "v3");
  auto v1 = f.world.iam().get_policy_version(f.admin, {p.arn, "v1"});
  REQUIRE(v1.ok());
  CHECK_FALSE(v1->policy_version.is_default_version);
  CHECK(v1->policy_version.document == allow("kms:Decrypt"));
  require_error(
      f.world.iam().get_policy_version(f.admin, {p.arn, "v9"}).error(), "NoSuchEntity", 404);
  require_error(
      f.world.iam().get_policy_version(f.admin, {p.arn, "x1"}).error(), "ValidationError", 400);
  require_error(
      f.world.iam().delete_policy_version(f.admin, {p.arn, "v3"}).error(), "DeleteConflict", 409);

  REQUIRE(f.create("R").ok());
  REQUIRE(f.world.iam().attach_role_policy(f.admin, {"R", p.arn}).ok());
  CHECK(f.world.iam().get_policy(f.admin, {p.arn})->policy.attachment_count == 1);
  auto attached = f.world.iam().delete_policy(f.admin, {p.arn});
  require_error(attached.error(), "DeleteConflict", 409);
  CHECK(attached.error().message == "Cannot delete a policy attached to entities.");
  REQUIRE(f.world.iam().detach_role_policy(f.admin, {"R", p.arn}).ok());
  auto versions = f.world.iam().delete_policy(f.admin, {p.arn});
  require_error(versions.error(), "DeleteConflict", 409);
  for (const char* v : {"v1", "v2", "v4", "v5"}) {
    REQUIRE(f.world.iam().delete_policy_version(f.admin, {p.arn, v}).ok());
  }
  REQUIRE(f.world.iam().delete_policy(f.admin, {p.arn}).ok());
  auto gone = f.world.iam().get_policy(f.admin, {p.arn});
  require_error(gone.error(), "NoSuchEntity", 404);
  CHECK(gone.error().message
        == "Policy arn:aws:iam::111122223333:policy/team/Kms does not exist or is not attachable.");
}

TEST_CASE("IamModel: AWS managed policies are readable and cannot be changed", "[iam]") {
  Admin f;
  const std::string arn(kCrossAccountDistributionPolicyArn);
  auto got = f.world.iam().get_policy(f.admin, {arn});
  REQUIRE(got.ok());
  CHECK(got->policy.policy_name == "Ec2ImageBuilderCrossAccountDistributionAccess");
  auto doc = f.world.iam().get_policy_version(f.admin, {arn, "v1"});
  REQUIRE(doc.ok());
  CHECK(doc->policy_version.document.find("arn:aws:ec2:*::image/*") != std::string::npos);
  require_error(f.world.iam().create_policy_version(f.admin, {arn, allow("s3:*"), true}).error(),
                "AccessDenied",
                403);
  require_error(f.world.iam().delete_policy(f.admin, {arn}).error(), "AccessDenied", 403);
  for (const char* name : {"AdministratorAccess",
                           "ReadOnlyAccess",
                           "EC2InstanceProfileForImageBuilder",
                           "Ec2ImageBuilderCrossAccountDistributionAccess"}) {
    CHECK(f.world.iam().find_managed_policy("arn:aws:iam::aws:policy/" + std::string(name))
          != nullptr);
  }
  CHECK(f.world.iam().find_managed_policy(kImageBuilderSlrPolicyArn) != nullptr);
}

TEST_CASE("IamModel: users and GetUser and access keys", "[iam]") {
  Admin f;
  auto created = f.world.iam().create_user(
      f.admin, {.path = "/ops/", .user_name = "bob", .tags = {{"team", "ops"}}});
  REQUIRE(created.ok());
  CHECK(created->user.arn == "arn:aws:iam::111122223333:user/ops/bob");
  CHECK(created->user.user_id.starts_with("AIDA"));
  auto dup = f.world.iam().create_user(f.admin, {.user_name = "BOB"});
  require_error(dup.error(), "EntityAlreadyExists", 409);
  CHECK(dup.error().message == "User with name BOB already exists.");
  auto got = f.world.iam().get_user(f.admin, {"bob"});
  REQUIRE(got.ok());
  CHECK(got->user.path == "/ops/");
  auto missing = f.world.iam().get_user(f.admin, {"nobody"});
  require_error(missing.error(), "NoSuchEntity", 404);
  CHECK(missing.error().message == "The user with name nobody cannot be found.");
  // Without a name: the caller.
  CHECK(f.world.iam().get_user(f.admin, {})->user.user_name == "admin");
  auto root = f.world.iam().get_user(f.root(f.a), {});
  REQUIRE(root.ok());
  CHECK(root->user.arn == "arn:aws:iam::111122223333:root");
  CHECK(root->user.user_id == "111122223333");

  auto k1 = f.world.iam().create_access_key(f.admin, {"bob"});
  REQUIRE(k1.ok());
  CHECK(k1->access_key.access_key_id.size() == 20);
  CHECK(k1->access_key.access_key_id.starts_with("AKIA"));
  CHECK(k1->access_key.secret_access_key.size() == 40);
  CHECK(k1->access_key.status == "Active");
  REQUIRE(f.world.iam().create_access_key(f.admin, {"bob"}).ok());
  auto k3 = f.world.iam().create_access_key(f.admin, {"bob"});
  require_error(k3.error(), "LimitExceeded", 409);
  CHECK(k3.error().message == "Cannot exceed quota for AccessKeysPerUser: 2");
  require_error(f.world.iam().create_access_key(f.admin, {"nobody"}).error(), "NoSuchEntity", 404);
  // The root's own key.
  auto root_key = f.world.iam().create_access_key(f.root(f.a), {});
  REQUIRE(root_key.ok());
  CHECK(root_key->access_key.user_name.empty());
  const AccessKeyRecord* rec = f.world.iam().find_access_key(root_key->access_key.access_key_id);
  REQUIRE(rec != nullptr);
  CHECK(rec->user_name.empty());
}

TEST_CASE("IamModel: inline user policies are put and read and listed and deleted", "[iam]") {
  Admin f;
  REQUIRE(f.world.iam().create_user(f.admin, {.user_name = "bob"}).ok());
  REQUIRE(f.world.iam().put_user_policy(f.admin, {"bob", "kms", allow("kms:Decrypt")}).ok());
  REQUIRE(f.world.iam().put_user_policy(f.admin, {"BOB", "ec2", allow("ec2:CopyImage")}).ok());
  auto got = f.world.iam().get_user_policy(f.admin, {"bob", "kms"});
  REQUIRE(got.ok());
  CHECK(got->policy_document == allow("kms:Decrypt"));
  CHECK(got->user_name == "bob");
  CHECK(got->policy_name == "kms");
  auto names = f.world.iam().list_user_policies(f.admin, {"bob"});
  REQUIRE(names.ok());
  CHECK(names->policy_names == std::vector<std::string>{"ec2", "kms"});
  CHECK_FALSE(names->is_truncated);
  auto first = f.world.iam().list_user_policies(f.admin, {.user_name = "bob", .max_items = 1});
  REQUIRE(first.ok());
  CHECK(first->policy_names == std::vector<std::string>{"ec2"});
  REQUIRE(first->is_truncated);
  auto second = f.world.iam().list_user_policies(
      f.admin, {.user_name = "bob", .marker = first->marker, .max_items = 1});
  REQUIRE(second.ok());
  CHECK(second->policy_names == std::vector<std::string>{"kms"});
  require_error(
      f.world.iam().list_user_policies(f.admin, {.user_name = "bob", .marker = "x"}).error(),
      "InvalidInput",
      400);

  auto missing = f.world.iam().get_user_policy(f.admin, {"bob", "nope"});
  require_error(missing.error(), "NoSuchEntity", 404);
  CHECK(missing.error().message == "The user policy with name nope cannot be found.");
  auto no_user = f.world.iam().put_user_policy(f.admin, {"nobody", "p", allow("s3:*")});
  require_error(no_user.error(), "NoSuchEntity", 404);
  CHECK(no_user.error().message == "The user with name nobody cannot be found.");
  require_error(
      f.world.iam().get_user_policy(f.admin, {"nobody", "p"}).error(), "NoSuchEntity", 404);
  require_error(f.world.iam().list_user_policies(f.admin, {"nobody"}).error(), "NoSuchEntity", 404);
  require_error(f.world.iam().put_user_policy(f.admin, {"bob", "bad", "{}"}).error(),
                "MalformedPolicyDocument",
                400);
  require_error(f.world.iam().put_user_policy(f.admin, {"bob", "bad name", allow("s3:*")}).error(),
                "ValidationError",
                400);
  // All inline policies of a user share 2048 characters.
  std::string big =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":[)";
  for (int i = 0; i < 30; ++i) {
    big += std::string(i == 0 ? "" : ",") + "\"arn:aws:s3:::bucket-" + std::to_string(i)
           + "/some/prefix/*\"";
  }
  big += "]}]}";
  REQUIRE(big.size() > 1024);
  REQUIRE(big.size() < 2048);
  REQUIRE(f.world.iam().put_user_policy(f.admin, {"bob", "big1", big}).ok());
  auto over = f.world.iam().put_user_policy(f.admin, {"bob", "big2", big});
  require_error(over.error(), "LimitExceeded", 409);
  CHECK(over.error().message == "Maximum policy size of 2048 bytes exceeded for user bob");
  // Replacing a policy counts its new text only.
  REQUIRE(f.world.iam().put_user_policy(f.admin, {"bob", "big1", big}).ok());

  REQUIRE(f.world.iam().delete_user_policy(f.admin, {"bob", "big1"}).ok());
  auto gone = f.world.iam().delete_user_policy(f.admin, {"bob", "big1"});
  require_error(gone.error(), "NoSuchEntity", 404);
  CHECK(gone.error().message == "The user policy with name big1 cannot be found.");
  require_error(
      f.world.iam().delete_user_policy(f.admin, {"nobody", "kms"}).error(), "NoSuchEntity", 404);
}

TEST_CASE("IamModel: managed policies attach to users and detach with AWS's checks", "[iam]") {
  Admin f;
  REQUIRE(f.world.iam().create_user(f.admin, {.user_name = "bob"}).ok());
  const std::string xacct(kCrossAccountDistributionPolicyArn);
  REQUIRE(f.world.iam().attach_user_policy(f.admin, {"bob", xacct}).ok());
  REQUIRE(f.world.iam().attach_user_policy(f.admin, {"bob", xacct}).ok());  // Twice: no-op.
  auto listed = f.world.iam().list_attached_user_policies(f.admin, {"bob"});
  REQUIRE(listed.ok());
  REQUIRE(listed->attached_policies.size() == 1);
  CHECK(listed->attached_policies[0].policy_arn == xacct);
  CHECK(listed->attached_policies[0].policy_name
        == "Ec2ImageBuilderCrossAccountDistributionAccess");
  auto by_path = f.world.iam().list_attached_user_policies(
      f.admin, {.user_name = "bob", .path_prefix = "/other/"});
  REQUIRE(by_path.ok());
  CHECK(by_path->attached_policies.empty());

  auto missing = f.world.iam().attach_user_policy(f.admin, {"bob", "arn:aws:iam::aws:policy/Nope"});
  require_error(missing.error(), "NoSuchEntity", 404);
  CHECK(missing.error().message
        == "Policy arn:aws:iam::aws:policy/Nope does not exist or is not attachable.");
  require_error(
      f.world.iam().attach_user_policy(f.admin, {"bob", "not-an-arn-at-all-really!!"}).error(),
      "InvalidInput",
      400);
  require_error(
      f.world.iam().attach_user_policy(f.admin, {"nobody", xacct}).error(), "NoSuchEntity", 404);
  auto slr_policy =
      f.world.iam().attach_user_policy(f.admin, {"bob", std::string(kImageBuilderSlrPolicyArn)});
  require_error(slr_policy.error(), "PolicyNotAttachable", 400);
  auto other =
      f.world.iam().seed_policy(f.b, {.policy_name = "Theirs", .policy_document = allow("s3:*")});
  REQUIRE(other.ok());
  require_error(
      f.world.iam().attach_user_policy(f.admin, {"bob", other->arn}).error(), "NoSuchEntity", 404);
  // PoliciesPerUser: 10.
  for (int i = 0; i < 9; ++i) {
    auto p = f.world.iam().create_policy(
        f.admin,
        {.policy_name = std::string("P") + std::to_string(i), .policy_document = allow("s3:*")});
    REQUIRE(p.ok());
    REQUIRE(f.world.iam().attach_user_policy(f.admin, {"bob", p->policy.arn}).ok());
  }
  auto p10 = f.world.iam().create_policy(f.admin,
                                         {.policy_name = "P10", .policy_document = allow("s3:*")});
  REQUIRE(p10.ok());
  auto over = f.world.iam().attach_user_policy(f.admin, {"bob", p10->policy.arn});
  require_error(over.error(), "LimitExceeded", 409);
  CHECK(over.error().message == "Cannot exceed quota for PoliciesPerUser: 10");
  auto page =
      f.world.iam().list_attached_user_policies(f.admin, {.user_name = "bob", .max_items = 4});
  REQUIRE(page.ok());
  CHECK(page->attached_policies.size() == 4);
  CHECK(page->is_truncated);

  REQUIRE(f.world.iam().detach_user_policy(f.admin, {"bob", xacct}).ok());
  auto not_attached = f.world.iam().detach_user_policy(f.admin, {"bob", xacct});
  require_error(not_attached.error(), "NoSuchEntity", 404);
  CHECK(not_attached.error().message == "Policy " + xacct + " was not found.");
  require_error(
      f.world.iam().detach_user_policy(f.admin, {"bob", "not-an-arn-at-all-really!!"}).error(),
      "InvalidInput",
      400);
  require_error(
      f.world.iam().detach_user_policy(f.admin, {"nobody", xacct}).error(), "NoSuchEntity", 404);
  // An attached policy cannot be deleted.
  REQUIRE(f.world.iam().attach_user_policy(f.admin, {"bob", p10->policy.arn}).ok());
  auto p10_now = f.world.iam().get_policy(f.admin, {p10->policy.arn});
  REQUIRE(p10_now.ok());
  CHECK(p10_now->policy.attachment_count == 1);
  require_error(
      f.world.iam().delete_policy(f.admin, {p10->policy.arn}).error(), "DeleteConflict", 409);
}

TEST_CASE("IamModel: user policy operations are authorized on the user", "[iam]") {
  Admin f;
  REQUIRE(
      f.world.iam().create_user(f.admin, {.user_name = "bob", .tags = {{"team", "blue"}}}).ok());
  REQUIRE(f.world.iam().create_user(f.admin, {.user_name = "eve"}).ok());
  const api::CallContext nobody = f.user(f.a, "nobody");
  auto denied = f.world.iam().put_user_policy(nobody, {"bob", "p", allow("s3:*")});
  require_error(denied.error(), "AccessDenied", 403);
  CHECK(denied.error().message
        == "User: arn:aws:iam::111122223333:user/nobody is not authorized to perform: "
           "iam:PutUserPolicy on resource: arn:aws:iam::111122223333:user/bob because no "
           "identity-based policy allows the iam:PutUserPolicy action");
  const std::string xacct(kCrossAccountDistributionPolicyArn);
  require_error(
      f.world.iam().attach_user_policy(nobody, {"bob", xacct}).error(), "AccessDenied", 403);
  require_error(f.world.iam().get_user_policy(nobody, {"bob", "p"}).error(), "AccessDenied", 403);
  require_error(f.world.iam().list_user_policies(nobody, {"bob"}).error(), "AccessDenied", 403);
  require_error(
      f.world.iam().list_attached_user_policies(nobody, {"bob"}).error(), "AccessDenied", 403);
  require_error(
      f.world.iam().delete_user_policy(nobody, {"bob", "p"}).error(), "AccessDenied", 403);
  require_error(
      f.world.iam().detach_user_policy(nobody, {"bob", xacct}).error(), "AccessDenied", 403);
  // Missing users are denied before they are found missing.
  require_error(f.world.iam().put_user_policy(nobody, {"ghost", "p", allow("s3:*")}).error(),
                "AccessDenied",
                403);
  // The user's tags are aws:ResourceTag, and iam:PolicyARN is a condition key.
  const api::CallContext tagger = f.user(
      f.a,
      "tagger",
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:AttachUserPolicy","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"blue","iam:PolicyARN":")"
          + xacct + R"("}}}]})");
  CHECK(f.world.iam().attach_user_policy(tagger, {"bob", xacct}).ok());
  require_error(
      f.world.iam().attach_user_policy(tagger, {"eve", xacct}).error(), "AccessDenied", 403);
  require_error(
      f.world.iam()
          .attach_user_policy(tagger, {"bob", "arn:aws:iam::aws:policy/AdministratorAccess"})
          .error(),
      "AccessDenied",
      403);
  // Validation comes before authorization.
  require_error(f.world.iam().put_user_policy(nobody, {"bad name", "p", allow("s3:*")}).error(),
                "ValidationError",
                400);
}

TEST_CASE("IamModel: a user's put and attached policies authorize its requests", "[iam]") {
  Admin f;
  const api::CallContext carol = f.user(f.a, "carol");
  require_error(f.world.iam().list_roles(carol, {}).error(), "AccessDenied", 403);
  REQUIRE(f.world.iam().put_user_policy(f.admin, {"carol", "list", allow("iam:ListRoles")}).ok());
  CHECK(f.world.iam().list_roles(carol, {}).ok());
  REQUIRE(f.world.iam().delete_user_policy(f.admin, {"carol", "list"}).ok());
  require_error(f.world.iam().list_roles(carol, {}).error(), "AccessDenied", 403);
  auto p = f.world.iam().create_policy(
      f.admin, {.policy_name = "List", .policy_document = allow("iam:List*")});
  REQUIRE(p.ok());
  REQUIRE(f.world.iam().attach_user_policy(f.admin, {"carol", p->policy.arn}).ok());
  CHECK(f.world.iam().list_roles(carol, {}).ok());
  REQUIRE(f.world.iam().detach_user_policy(f.admin, {"carol", p->policy.arn}).ok());
  require_error(f.world.iam().list_roles(carol, {}).error(), "AccessDenied", 403);
}

TEST_CASE("IamModel: ListUsers filters by path prefix and pages", "[iam]") {
  Admin f;
  REQUIRE(f.world.iam().create_user(f.admin, {.path = "/ops/", .user_name = "bob"}).ok());
  REQUIRE(f.world.iam().create_user(f.admin, {.user_name = "carol"}).ok());
  auto all = f.world.iam().list_users(f.admin, {});
  REQUIRE(all.ok());
  CHECK(all->users.size() == 3);  // admin, bob, carol
  auto ops = f.world.iam().list_users(f.admin, {.path_prefix = "/ops/"});
  REQUIRE(ops.ok());
  REQUIRE(ops->users.size() == 1);
  CHECK(ops->users[0].user_name == "bob");
  auto first = f.world.iam().list_users(f.admin, {.max_items = 2});
  REQUIRE(first.ok());
  CHECK(first->users.size() == 2);
  CHECK(first->is_truncated);
  auto rest = f.world.iam().list_users(f.admin, {.marker = first->marker, .max_items = 2});
  REQUIRE(rest.ok());
  CHECK(rest->users.size() == 1);
  CHECK_FALSE(rest->is_truncated);
  require_error(f.world.iam().list_users(f.user(f.a, "nobody"), {}).error(), "AccessDenied", 403);
}

TEST_CASE("IamModel: DeleteUser refuses while keys or policies remain", "[iam]") {
  Admin f;
  REQUIRE(f.world.iam().create_user(f.admin, {.user_name = "bob"}).ok());
  auto key = f.world.iam().create_access_key(f.admin, {"bob"});
  REQUIRE(key.ok());
  const std::string id = key->access_key.access_key_id;
  REQUIRE(f.world.iam().put_user_policy(f.admin, {"bob", "p", allow("s3:*")}).ok());
  const std::string xacct(kCrossAccountDistributionPolicyArn);
  REQUIRE(f.world.iam().attach_user_policy(f.admin, {"bob", xacct}).ok());

  auto keys_left = f.world.iam().delete_user(f.admin, {"bob"});
  require_error(keys_left.error(), "DeleteConflict", 409);
  CHECK(keys_left.error().message == "Cannot delete entity, must delete access keys first.");
  REQUIRE(f.world.iam().delete_access_key(f.admin, {"bob", id}).ok());
  CHECK(f.world.iam().find_access_key(id) == nullptr);
  auto attached_left = f.world.iam().delete_user(f.admin, {"bob"});
  require_error(attached_left.error(), "DeleteConflict", 409);
  CHECK(attached_left.error().message == "Cannot delete entity, must detach all policies first.");
  REQUIRE(f.world.iam().detach_user_policy(f.admin, {"bob", xacct}).ok());
  auto inline_left = f.world.iam().delete_user(f.admin, {"bob"});
  require_error(inline_left.error(), "DeleteConflict", 409);
  CHECK(inline_left.error().message == "Cannot delete entity, must delete policies first.");
  REQUIRE(f.world.iam().delete_user_policy(f.admin, {"bob", "p"}).ok());
  REQUIRE(f.world.iam().delete_user(f.admin, {"bob"}).ok());
  CHECK(f.world.iam().find_user(f.a, "bob") == nullptr);
  require_error(f.world.iam().delete_user(f.admin, {"bob"}).error(), "NoSuchEntity", 404);
  // The name is free again.
  CHECK(f.world.iam().create_user(f.admin, {.user_name = "bob"}).ok());
}

TEST_CASE("IamModel: access keys are listed and deactivated and deleted", "[iam]") {
  Admin f;
  REQUIRE(f.world.iam().create_user(f.admin, {.user_name = "bob"}).ok());
  auto k1 = f.world.iam().create_access_key(f.admin, {"bob"});
  auto k2 = f.world.iam().create_access_key(f.admin, {"bob"});
  REQUIRE(k1.ok());
  REQUIRE(k2.ok());
  const std::string id1 = k1->access_key.access_key_id;
  const std::string id2 = k2->access_key.access_key_id;
  auto listed = f.world.iam().list_access_keys(f.admin, {.user_name = "bob"});
  REQUIRE(listed.ok());
  REQUIRE(listed->access_key_metadata.size() == 2);
  CHECK(listed->access_key_metadata[0].access_key_id == id1);
  CHECK(listed->access_key_metadata[0].user_name == "bob");
  CHECK(listed->access_key_metadata[0].status == "Active");
  CHECK(listed->access_key_metadata[1].access_key_id == id2);

  // Inactive keys fail authentication with InvalidClientTokenId, and work again once Active.
  REQUIRE(f.world.sts().resolve_access_key(id1).ok());
  REQUIRE(f.world.iam().update_access_key(f.admin, {"bob", id1, "Inactive"}).ok());
  CHECK(f.world.iam().find_access_key(id1)->status == "Inactive");
  CHECK(f.world.sts().resolve_access_key(id1).error().code == "InvalidClientTokenId");
  CHECK(f.world.iam().list_access_keys(f.admin, {.user_name = "bob"})->access_key_metadata[0].status
        == "Inactive");
  REQUIRE(f.world.iam().update_access_key(f.admin, {"bob", id1, "Active"}).ok());
  CHECK(f.world.sts().resolve_access_key(id1).ok());
  require_error(f.world.iam().update_access_key(f.admin, {"bob", id1, "Expired"}).error(),
                "ValidationError",
                400);

  // A key of another user, or no key at all, is not found for this user.
  REQUIRE(f.world.iam().create_user(f.admin, {.user_name = "eve"}).ok());
  auto wrong = f.world.iam().delete_access_key(f.admin, {"eve", id1});
  require_error(wrong.error(), "NoSuchEntity", 404);
  CHECK(wrong.error().message == "The Access Key with id " + id1 + " cannot be found.");
  require_error(f.world.iam().update_access_key(f.admin, {"eve", id1, "Inactive"}).error(),
                "NoSuchEntity",
                404);
  require_error(
      f.world.iam().delete_access_key(f.admin, {"nobody", id1}).error(), "NoSuchEntity", 404);
  require_error(f.world.iam().list_access_keys(f.admin, {.user_name = "nobody"}).error(),
                "NoSuchEntity",
                404);

  REQUIRE(f.world.iam().delete_access_key(f.admin, {"bob", id1}).ok());
  CHECK(f.world.sts().resolve_access_key(id1).error().code == "InvalidClientTokenId");
  CHECK(f.world.iam().list_access_keys(f.admin, {.user_name = "bob"})->access_key_metadata.size()
        == 1);
  // A third key fits again.
  CHECK(f.world.iam().create_access_key(f.admin, {"bob"}).ok());

  // Without a user name: the caller's own keys (the root's for the root).
  auto root_key = f.world.iam().create_access_key(f.root(f.a), {});
  REQUIRE(root_key.ok());
  auto root_keys = f.world.iam().list_access_keys(f.root(f.a), {});
  REQUIRE(root_keys.ok());
  REQUIRE(root_keys->access_key_metadata.size() == 1);
  CHECK(root_keys->access_key_metadata[0].user_name.empty());
  REQUIRE(f.world.iam()
              .delete_access_key(f.root(f.a), {.access_key_id = root_key->access_key.access_key_id})
              .ok());
  // Authorization on the key's user.
  const api::CallContext nobody = f.user(f.a, "nobody");
  require_error(
      f.world.iam().list_access_keys(nobody, {.user_name = "bob"}).error(), "AccessDenied", 403);
  require_error(f.world.iam().update_access_key(nobody, {"bob", id2, "Inactive"}).error(),
                "AccessDenied",
                403);
  require_error(f.world.iam().delete_access_key(nobody, {"bob", id2}).error(), "AccessDenied", 403);
  require_error(f.world.iam().delete_user(nobody, {"bob"}).error(), "AccessDenied", 403);
}

TEST_CASE("IamModel: role sessions must name the user for GetUser and CreateAccessKey", "[iam]") {
  Admin f;
  const std::string role = f.role(f.a, "Ops", "111122223333", kAllowAll);
  const api::CallContext session = f.session(f.admin, role);
  auto get = f.world.iam().get_user(session, {});
  require_error(get.error(), "ValidationError", 400);
  CHECK(get.error().message == "Must specify userName when calling with non-User credentials");
  require_error(f.world.iam().create_access_key(session, {}).error(), "ValidationError", 400);
}

TEST_CASE("IamModel: instance profiles hold one role", "[iam]") {
  Admin f;
  REQUIRE(f.create("R1").ok());
  REQUIRE(f.create("R2").ok());
  auto created = f.world.iam().create_instance_profile(
      f.admin, {.instance_profile_name = "IP", .path = "/ib/"});
  REQUIRE(created.ok());
  CHECK(created->instance_profile.arn == "arn:aws:iam::111122223333:instance-profile/ib/IP");
  CHECK(created->instance_profile.instance_profile_id.starts_with("AIPA"));
  auto dup = f.world.iam().create_instance_profile(f.admin, {.instance_profile_name = "ip"});
  require_error(dup.error(), "EntityAlreadyExists", 409);
  CHECK(dup.error().message == "Instance Profile ip already exists.");
  REQUIRE(f.world.iam().add_role_to_instance_profile(f.admin, {"IP", "R1"}).ok());
  auto second = f.world.iam().add_role_to_instance_profile(f.admin, {"IP", "R2"});
  require_error(second.error(), "LimitExceeded", 409);
  CHECK(second.error().message == "Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1");
  auto missing_profile = f.world.iam().add_role_to_instance_profile(f.admin, {"Nope", "R1"});
  require_error(missing_profile.error(), "NoSuchEntity", 404);
  CHECK(missing_profile.error().message == "Instance Profile Nope cannot be found.");
  require_error(f.world.iam().add_role_to_instance_profile(f.admin, {"IP", "Nope"}).error(),
                "NoSuchEntity",
                404);
  auto got = f.world.iam().get_instance_profile(f.admin, {"IP"});
  REQUIRE(got.ok());
  REQUIRE(got->instance_profile.roles.size() == 1);
  CHECK(got->instance_profile.roles[0].role_name == "R1");
  require_error(
      f.world.iam().delete_instance_profile(f.admin, {"IP"}).error(), "DeleteConflict", 409);
  require_error(f.world.iam().remove_role_from_instance_profile(f.admin, {"IP", "R2"}).error(),
                "NoSuchEntity",
                404);
  REQUIRE(f.world.iam().remove_role_from_instance_profile(f.admin, {"IP", "R1"}).ok());
  REQUIRE(f.world.iam().delete_instance_profile(f.admin, {"IP"}).ok());
  require_error(f.world.iam().get_instance_profile(f.admin, {"IP"}).error(), "NoSuchEntity", 404);
  require_error(
      f.world.iam().delete_instance_profile(f.admin, {"IP"}).error(), "NoSuchEntity", 404);
}

TEST_CASE("IamModel: every operation is authorized through the Authorizer", "[iam]") {
  Admin f;
  const api::CallContext nobody = f.user(f.a, "nobody");
  api::iam::CreateRoleInput in;
  in.role_name = "R";
  in.assume_role_policy_document = trust_for("111122223333");
  auto denied = f.world.iam().create_role(nobody, in);
  require_error(denied.error(), "AccessDenied", 403);
  CHECK(denied.error().message
        == "User: arn:aws:iam::111122223333:user/nobody is not authorized to perform: "
           "iam:CreateRole on resource: arn:aws:iam::111122223333:role/R because no "
           "identity-based policy allows the iam:CreateRole action");
  CHECK(denied.error().explanation.find("\"fixes\"") != std::string::npos);
  // Validation comes before authorization.
  in.role_name = "bad name";
  require_error(f.world.iam().create_role(nobody, in).error(), "ValidationError", 400);

  // Authorized on the role ARN with its tags as aws:ResourceTag.
  REQUIRE(f.create("Tagged").ok());
  REQUIRE(f.world.iam().tag_role(f.admin, {"Tagged", {{"team", "blue"}}}).ok());
  REQUIRE(f.create("Other").ok());
  const api::CallContext reader = f.user(
      f.a,
      "reader",
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetRole","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"blue"}}}]})");
  CHECK(f.world.iam().get_role(reader, {"Tagged"}).ok());
  require_error(f.world.iam().get_role(reader, {"Other"}).error(), "AccessDenied", 403);
  // Missing roles are denied before they are found missing.
  require_error(f.world.iam().get_role(reader, {"Missing"}).error(), "AccessDenied", 403);
  // The root user needs no policy in its own account.
  CHECK(f.world.iam().get_role(f.root(f.a), {"Tagged"}).ok());
  // AddRoleToInstanceProfile also needs iam:PassRole on the role.
  const api::CallContext profiler = f.user(f.a, "profiler", allow("iam:AddRoleToInstanceProfile"));
  REQUIRE(f.world.iam().create_instance_profile(f.admin, {.instance_profile_name = "IP"}).ok());
  auto pass = f.world.iam().add_role_to_instance_profile(profiler, {"IP", "Tagged"});
  require_error(pass.error(), "AccessDenied", 403);
  CHECK(pass.error().message.find("iam:PassRole") != std::string::npos);
}

TEST_CASE("IamModel: a caller whose account is not in the world is refused", "[iam]") {
  Admin f;
  const api::CallContext stranger = f.root(testing::account("999999999999"));
  auto r = f.world.iam().get_role(stranger, {"R"});
  require_error(r.error(), "InvalidClientTokenId", 403);
  const api::CallContext service = f.call(api::Principal::service("ec2.amazonaws.com"));
  require_error(f.world.iam().list_roles(service, {}).error(), "InvalidClientTokenId", 403);
}

TEST_CASE("IamModel: ids and keys are a function of the seed", "[iam]") {
  const auto ids = [](uint64_t seed) {
    WorldFixture f(seed);
    std::string out;
    out += f.world.iam().find_role(f.a, kImageBuilderSlrName)->role_id;
    out +=
        f.world.iam()
            .seed_role(f.a,
                       {.role_name = "R", .assume_role_policy_document = trust_for("111122223333")})
            ->role_id;
    auto key = f.world.iam().seed_generated_access_key(f.a, "");
    out += key->access_key_id + key->secret_access_key;
    return out;
  };
  CHECK(ids(7) == ids(7));
  CHECK(ids(7) != ids(8));
}

TEST_CASE("IamModel: seeded access keys must look like keys and be unique", "[iam]") {
  WorldFixture f;
  REQUIRE(f.world.iam().seed_user(f.a, {.user_name = "u"}).ok());
  CHECK(f.world.iam().seed_access_key(f.a, "u", "AKIAIOSFODNN7EXAMPLE", "secret").ok());
  require_error(f.world.iam().seed_access_key(f.b, "", "AKIAIOSFODNN7EXAMPLE", "s").error(),
                "EntityAlreadyExists",
                409);
  require_error(
      f.world.iam().seed_access_key(f.a, "u", "short", "s").error(), "ValidationError", 400);
  require_error(f.world.iam().seed_access_key(f.a, "u", "akiaiosfodnn7example", "s").error(),
                "ValidationError",
                400);
  require_error(f.world.iam().seed_access_key(f.a, "u", "ASIAIOSFODNN7EXAMPLE", "s").error(),
                "EntityAlreadyExists",
                409);
  require_error(f.world.iam().seed_access_key(f.a, "ghost", "AKIAIOSFODNN7EXAMPL2", "s").error(),
                "NoSuchEntity",
                404);
  CHECK(f.world.iam().generation() > 0);
}

}  // namespace
}  // namespace ibsim::mock_aws::iam
