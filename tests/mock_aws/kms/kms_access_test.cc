// KMS model: authorization — the cross-account matrix (key policy x identity policy x grant),
// same-account delegation, explicit denies, operations that are not cross-account, condition
// keys, and the AWS managed key alias/aws/ebs.

#include <catch2/catch.hpp>

#include "mock_aws/kms/kms_model.h"
#include "tests/mock_aws/kms/kms_test_util.h"

namespace ibsim::mock_aws::kms::testing {
namespace {

using api::kms::EncryptionContext;

// The five operations of the matrix, each run by `ctx` against `key_arn`.
struct Operation {
  std::string name;  // The IAM action's name, and the grant operation.
  std::function<sim::Status(World&, const api::CallContext&, const std::string&)> run;
};

template <typename T>
sim::Status status_of(const sim::Result<T>& r) {
  return r.ok() ? sim::Status{} : sim::Status{r.error()};
}

std::vector<Operation> matrix_operations() {
  return {
      {"Decrypt",
       [](World& w, const api::CallContext& c, const std::string& arn) {
         const auto blob = w.encrypt_as_owner(arn, "data key", {{"aws:ebs:id", "snap-1"}});
         return status_of(w.kms.decrypt(
             c, {.ciphertext_blob = blob, .encryption_context = {{"aws:ebs:id", "snap-1"}}}));
       }},
      {"Encrypt",
       [](World& w, const api::CallContext& c, const std::string& arn) {
         return status_of(w.kms.encrypt(c, {.key_id = arn, .plaintext = bytes("x")}));
       }},
      {"GenerateDataKey",
       [](World& w, const api::CallContext& c, const std::string& arn) {
         return status_of(w.kms.generate_data_key(
             c, api::kms::GenerateDataKeyInput{.key_id = arn, .key_spec = std::string("AES_256")}));
       }},
      {"CreateGrant",
       [](World& w, const api::CallContext& c, const std::string& arn) {
         return status_of(w.kms.create_grant(c,
                                             {.key_id = arn,
                                              .grantee_principal = role_arn(kOther, "Reader"),
                                              .operations = {"Decrypt"}}));
       }},
      {"DescribeKey",
       [](World& w, const api::CallContext& c, const std::string& arn) {
         return status_of(w.kms.describe_key(c, api::kms::DescribeKeyInput{.key_id = arn}));
       }},
  };
}

TEST_CASE("Cross-account matrix: key policy and identity policy and grant for five operations",
          "[kms]") {
  const api::Principal caller = session(kOther);
  for (const Operation& op : matrix_operations()) {
    for (bool key_policy : {false, true}) {
      for (bool identity : {false, true}) {
        for (bool grant : {false, true}) {
          CAPTURE(op.name, key_policy, identity, grant);
          World w;
          std::vector<std::string> statements{allow_principal(root().arn, R"("kms:*")", "Root")};
          if (key_policy) {
            statements.push_back(allow_principal(kOther, R"("kms:*")", "OtherAccount"));
          }
          const std::string arn = w.create_key(policy_doc(statements));
          if (identity) {
            w.authz.add_identity_policy(role_arn(kOther), policy_doc({allow(R"("kms:*")", arn)}));
          }
          if (grant) {
            // A grant with CreateGrant must allow something else too; the new grant asks for
            // Decrypt only, which stays within it.
            std::vector<std::string> ops{op.name};
            if (op.name == "CreateGrant") {
              ops.push_back("Decrypt");
            }
            REQUIRE(
                w.kms
                    .create_grant(
                        call(root()),
                        {.key_id = arn, .grantee_principal = role_arn(kOther), .operations = ops})
                    .ok());
          }
          const sim::Status s = op.run(w, call(caller), arn);
          const bool expected = (key_policy && identity) || grant;
          CHECK(s.ok() == expected);
          if (expected || s.ok()) {
            continue;
          }
          CHECK(s.error().code == "AccessDeniedException");
          CHECK(s.error().http_status == 400);
          CHECK_FALSE(s.error().explanation.empty());
          const std::string prefix = "User: " + caller.arn + " is not authorized to perform: kms:"
                                     + op.name + " on resource: " + arn;
          if (!key_policy) {
            CHECK(s.error().message
                  == prefix + " because no resource-based policy allows the kms:" + op.name
                         + " action");
          } else {
            CHECK(s.error().message
                  == prefix + " because no identity-based policy allows the kms:" + op.name
                         + " action");
          }
        }
      }
    }
  }
}

TEST_CASE("Cross-account: an explicit deny in the key policy wins over IAM and grants", "[kms]") {
  World w;
  const std::string arn =
      w.create_key(policy_doc({allow_principal(root().arn, R"("kms:*")", "Root"),
                               allow_principal(kOther, R"("kms:*")", "Other"),
                               deny_principal(role_arn(kOther), R"("kms:Decrypt")")}));
  w.authz.add_identity_policy(role_arn(kOther), policy_doc({allow()}));
  REQUIRE(w.kms
              .create_grant(
                  call(root()),
                  {.key_id = arn, .grantee_principal = role_arn(kOther), .operations = {"Decrypt"}})
              .ok());
  const auto blob = w.encrypt_as_owner(arn, "secret");
  auto r = w.kms.decrypt(call(session(kOther)), {.ciphertext_blob = blob});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "AccessDeniedException");
  CHECK(r.error().message
        == "User: " + session(kOther).arn
               + " is not authorized to perform: kms:Decrypt on resource: " + arn
               + " with an explicit deny in a resource-based policy");
  // Encrypt is not denied.
  CHECK(w.kms.encrypt(call(session(kOther)), {.key_id = arn, .plaintext = bytes("x")}).ok());
}

TEST_CASE("Cross-account: an explicit deny in the caller's identity policy wins too", "[kms]") {
  World w;
  const std::string arn =
      w.create_key(policy_doc({allow_principal(root().arn, R"("kms:*")", "Root"),
                               allow_principal(kOther, R"("kms:*")", "Other")}));
  w.authz.add_identity_policy(
      role_arn(kOther),
      policy_doc({allow(), R"({"Effect":"Deny","Action":"kms:Encrypt","Resource":"*"})"}));
  auto r = w.kms.encrypt(call(session(kOther)), {.key_id = arn, .plaintext = bytes("x")});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message
        == "User: " + session(kOther).arn
               + " is not authorized to perform: kms:Encrypt on resource: " + arn
               + " with an explicit deny in an identity-based policy");
}

TEST_CASE("Same account: the root statement delegates to IAM and a named user needs no IAM",
          "[kms]") {
  World w;
  const api::Principal alice = user(kOwner, "alice");
  const std::string delegated = w.create_key();
  auto no_iam = w.kms.encrypt(call(alice), {.key_id = delegated, .plaintext = bytes("x")});
  REQUIRE_FALSE(no_iam.ok());
  CHECK(no_iam.error().message
        == "User: " + alice.arn + " is not authorized to perform: kms:Encrypt on resource: "
               + delegated + " because no identity-based policy allows the kms:Encrypt action");
  w.authz.add_identity_policy(alice.arn, policy_doc({allow(R"("kms:Encrypt")", delegated)}));
  CHECK(w.kms.encrypt(call(alice), {.key_id = delegated, .plaintext = bytes("x")}).ok());

  // A key policy without the root statement makes IAM policies useless.
  const api::Principal bob = user(kOwner, "bob");
  auto created = w.kms.create_key(call(root()),
                                  {.policy = policy_doc({allow_principal(alice.arn)}),
                                   .bypass_policy_lockout_safety_check = true});
  REQUIRE(created.ok());
  const std::string no_root = created->key_metadata.arn;
  w.authz.add_identity_policy(bob.arn, policy_doc({allow()}));
  auto iam_only = w.kms.encrypt(call(bob), {.key_id = no_root, .plaintext = bytes("x")});
  REQUIRE_FALSE(iam_only.ok());
  CHECK(iam_only.error().message
        == "User: " + bob.arn + " is not authorized to perform: kms:Encrypt on resource: " + no_root
               + " because no resource-based policy allows the kms:Encrypt action");
  // Alice is named by the key policy: no IAM policy needed.
  w.authz.clear_identity_policies(alice.arn);
  CHECK(w.kms.encrypt(call(alice), {.key_id = no_root, .plaintext = bytes("x")}).ok());
}

TEST_CASE("Cross-account: only the operations AWS allows across accounts", "[kms]") {
  World w;
  const std::string arn =
      w.create_key(policy_doc({allow_principal(root().arn, R"("kms:*")", "Root"),
                               allow_principal(kOther, R"("kms:*")", "Other")}));
  w.authz.add_identity_policy(role_arn(kOther), policy_doc({allow()}));
  const api::CallContext c = call(session(kOther));
  // Allowed across accounts.
  CHECK(w.kms.describe_key(c, api::kms::DescribeKeyInput{.key_id = arn}).ok());
  CHECK(w.kms.encrypt(c, {.key_id = arn, .plaintext = bytes("x")}).ok());
  CHECK(w.kms.list_grants(c, {.key_id = arn}).ok());
  // Not cross-account: the key is not in the caller's account, so it is not found.
  const std::string not_found = "Key '" + arn + "' does not exist";
  const std::vector<std::pair<std::string, sim::AwsError>> refused{
      {"EnableKey", w.kms.enable_key(c, {.key_id = arn}).error()},
      {"DisableKey", w.kms.disable_key(c, {.key_id = arn}).error()},
      {"ScheduleKeyDeletion", w.kms.schedule_key_deletion(c, {.key_id = arn}).error()},
      {"CancelKeyDeletion", w.kms.cancel_key_deletion(c, {.key_id = arn}).error()},
      {"GetKeyPolicy", w.kms.get_key_policy(c, {.key_id = arn}).error()},
      {"PutKeyPolicy",
       w.kms.put_key_policy(c, {.key_id = arn, .policy = policy_doc({allow_principal(kOther)})})
           .error()},
      {"ListKeyPolicies", w.kms.list_key_policies(c, {.key_id = arn}).error()},
      {"TagResource", w.kms.tag_resource(c, {.key_id = arn, .tags = {{"a", "b"}}}).error()},
      {"UntagResource", w.kms.untag_resource(c, {.key_id = arn, .tag_keys = {"a"}}).error()},
      {"ListResourceTags", w.kms.list_resource_tags(c, {.key_id = arn}).error()},
      {"CreateAlias",
       w.kms.create_alias(c, {.alias_name = "alias/x", .target_key_id = arn}).error()},
  };
  for (const auto& [op, error] : refused) {
    CAPTURE(op);
    CHECK(error.code == "NotFoundException");
    CHECK(error.message == not_found);
  }
  // ListKeys and ListAliases only ever list the caller's own account.
  auto keys = w.kms.list_keys(c, {});
  REQUIRE(keys.ok());
  CHECK(keys->keys.empty());
  // The key state never changed.
  CHECK(w.kms.find_key(arn)->key_state == "Enabled");
}

TEST_CASE("Cross-account: alias names resolve in the caller's account and alias ARNs cross",
          "[kms]") {
  World w;
  const std::string arn =
      w.create_key(policy_doc({allow_principal(root().arn, R"("kms:*")", "Root"),
                               allow_principal(kOther, R"("kms:*")", "Other")}));
  REQUIRE(
      w.kms.create_alias(call(root()), {.alias_name = "alias/shared", .target_key_id = arn}).ok());
  w.authz.add_identity_policy(role_arn(kOther), policy_doc({allow()}));
  const api::CallContext c = call(session(kOther));
  auto by_name = w.kms.encrypt(c, {.key_id = "alias/shared", .plaintext = bytes("x")});
  REQUIRE_FALSE(by_name.ok());
  CHECK(by_name.error().message
        == "Alias arn:aws:kms:us-west-2:444455556666:alias/shared is not found.");
  auto by_arn = w.kms.encrypt(
      c, {.key_id = "arn:aws:kms:us-west-2:111122223333:alias/shared", .plaintext = bytes("x")});
  REQUIRE(by_arn.ok());
  CHECK(by_arn->key_id == arn);
  // The other account's key id alone names nothing in the caller's account.
  const std::string id = arn.substr(arn.rfind('/') + 1);
  CHECK(w.kms.encrypt(c, {.key_id = id, .plaintext = bytes("x")}).error().message
        == "Key 'arn:aws:kms:us-west-2:444455556666:key/" + id + "' does not exist");
}

TEST_CASE("Condition keys: kms:ViaService kms:CallerAccount and the encryption context", "[kms]") {
  World w;
  const std::string statement =
      R"({"Sid":"ViaEc2","Effect":"Allow","Principal":{"AWS":"444455556666"},)"
      R"("Action":["kms:Decrypt","kms:Encrypt"],"Resource":"*","Condition":{)"
      R"("StringLike":{"kms:ViaService":"ec2.*.amazonaws.com"},)"
      R"("StringEquals":{"kms:CallerAccount":"444455556666","kms:EncryptionContext:purpose":"copy"},)"
      R"("ForAllValues:StringEquals":{"kms:EncryptionContextKeys":["purpose","aws:ebs:id"]}}})";
  const std::string arn =
      w.create_key(policy_doc({allow_principal(root().arn, R"("kms:*")", "Root"), statement}));
  w.authz.add_identity_policy(role_arn(kOther), policy_doc({allow()}));
  const EncryptionContext good{{"purpose", "copy"}, {"aws:ebs:id", "snap-1"}};
  const api::CallContext via = call(session(kOther), kRegion, via_ec2());
  const api::CallContext direct = call(session(kOther));
  CHECK(w.kms.encrypt(via, {.key_id = arn, .plaintext = bytes("x"), .encryption_context = good})
            .ok());
  CHECK(w.kms.encrypt(direct, {.key_id = arn, .plaintext = bytes("x"), .encryption_context = good})
            .error()
            .code
        == "AccessDeniedException");
  CHECK(w.kms
            .encrypt(via,
                     {.key_id = arn,
                      .plaintext = bytes("x"),
                      .encryption_context = {{"purpose", "other"}}})
            .error()
            .code
        == "AccessDeniedException");
  CHECK(w.kms
            .encrypt(via,
                     {.key_id = arn,
                      .plaintext = bytes("x"),
                      .encryption_context = {{"purpose", "copy"}, {"extra", "1"}}})
            .error()
            .code
        == "AccessDeniedException");
}

TEST_CASE("aws/ebs: only its own account and only through EC2", "[kms]") {
  World w;
  const std::string ebs = w.kms.aws_managed_ebs_key(account(kOwner), region());
  const api::Principal alice = user(kOwner, "alice");
  w.authz.add_identity_policy(alice.arn, policy_doc({allow()}));
  w.authz.add_identity_policy(role_arn(kOther), policy_doc({allow()}));
  // Its own account through EC2: allowed by the key policy alone.
  auto via = w.kms.encrypt(call(alice, kRegion, via_ec2()),
                           {.key_id = "alias/aws/ebs", .plaintext = bytes("x")});
  REQUIRE(via.ok());
  CHECK(via->key_id == ebs);
  // A direct call, even with full IAM permissions, is refused.
  auto direct = w.kms.encrypt(call(alice), {.key_id = ebs, .plaintext = bytes("x")});
  REQUIRE_FALSE(direct.ok());
  CHECK(direct.error().message
        == "User: " + alice.arn + " is not authorized to perform: kms:Encrypt on resource: " + ebs
               + " because no resource-based policy allows the kms:Encrypt action");
  // EC2 in another region is another kms:ViaService.
  CHECK(w.kms
            .encrypt(call(alice, kRegion, via_ec2("eu-west-1")),
                     {.key_id = ebs, .plaintext = bytes("x")})
            .error()
            .code
        == "AccessDeniedException");
  // Another account, even through EC2 and with IAM allowing everything, is refused.
  const auto blob = via->ciphertext_blob;
  for (const api::CallContext& c :
       {call(session(kOther), kRegion, via_ec2()), call(session(kOther))}) {
    auto r = w.kms.decrypt(c, {.ciphertext_blob = blob});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message
          == "User: " + session(kOther).arn
                 + " is not authorized to perform: kms:Decrypt on resource: " + ebs
                 + " because no resource-based policy allows the kms:Decrypt action");
    CHECK(w.kms.describe_key(c, api::kms::DescribeKeyInput{.key_id = ebs}).error().code
          == "AccessDeniedException");
  }
  // Its own account may read its metadata directly (IAM permitting).
  CHECK(w.kms.describe_key(call(alice), api::kms::DescribeKeyInput{.key_id = ebs}).ok());
  CHECK(w.kms.get_key_policy(call(alice), {.key_id = ebs}).ok());
  // Nobody can create a grant on it for another account outside EC2.
  CHECK(w.kms
            .create_grant(
                call(alice),
                {.key_id = ebs, .grantee_principal = role_arn(kOther), .operations = {"Decrypt"}})
            .error()
            .code
        == "AccessDeniedException");
}

TEST_CASE("Denials carry ibsim's explanation and are traced", "[kms]") {
  World w;
  const std::string arn = w.create_key();
  const uint64_t before = w.ctx.trace().event_count();
  auto r = w.kms.encrypt(call(session(kOther)), {.key_id = arn, .plaintext = bytes("x")});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().explanation.find("\"summary\"") != std::string::npos);
  CHECK(w.ctx.trace().event_count() == before + 1);
}

}  // namespace
}  // namespace ibsim::mock_aws::kms::testing
