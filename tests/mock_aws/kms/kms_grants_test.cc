// KMS model: grants — creation rules, what a grant allows and to whom, constraints, listing,
// retiring and revoking.

#include <catch2/catch.hpp>

#include "mock_aws/kms/kms_model.h"
#include "tests/mock_aws/kms/kms_test_util.h"

namespace ibsim::mock_aws::kms::testing {
namespace {

using api::kms::EncryptionContext;

TEST_CASE("CreateGrant: aliases are refused with InvalidArnException", "[kms]") {
  World w;
  const std::string arn = w.create_key();
  REQUIRE(w.kms.create_alias(call(root()), {.alias_name = "alias/app", .target_key_id = arn}).ok());
  for (const std::string ref : {"alias/app", "arn:aws:kms:us-west-2:111122223333:alias/app"}) {
    auto r = w.kms.create_grant(
        call(root()),
        {.key_id = ref, .grantee_principal = role_arn(kOther), .operations = {"Decrypt"}});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "InvalidArnException");
    CHECK(r.error().message == "Key Aliases are not supported for this operation.");
  }
}

TEST_CASE("CreateGrant: grantee operations and name are validated", "[kms]") {
  World w;
  const std::string arn = w.create_key();
  auto create = [&](api::kms::CreateGrantInput in) {
    in.key_id = arn;
    return w.kms.create_grant(call(root()), in);
  };
  CHECK(create({.grantee_principal = "", .operations = {"Decrypt"}}).error().code
        == "ValidationException");
  CHECK(create({.grantee_principal = "not a principal", .operations = {"Decrypt"}}).error().code
        == "ValidationException");
  CHECK(create({.grantee_principal = "arn:aws:s3:::bucket", .operations = {"Decrypt"}}).error().code
        == "InvalidArnException");
  CHECK(create({.grantee_principal = role_arn(kOther), .operations = {}}).error().code
        == "ValidationException");
  CHECK(create({.grantee_principal = role_arn(kOther), .operations = {"Fly"}}).error().code
        == "ValidationException");
  CHECK(create({.grantee_principal = role_arn(kOther), .operations = {"Sign"}}).error().code
        == "ValidationException");
  auto only_create = create({.grantee_principal = role_arn(kOther), .operations = {"CreateGrant"}});
  REQUIRE_FALSE(only_create.ok());
  CHECK(only_create.error().message == "Grants must not contain only the CreateGrant operation.");
  CHECK(create({.grantee_principal = role_arn(kOther),
                .operations = {"Decrypt"},
                .name = std::string("bad name")})
            .error()
            .code
        == "ValidationException");
  auto ok = create({.grantee_principal = role_arn(kOther),
                    .retiring_principal = root(kOther).arn,
                    .operations = {"Decrypt", "DescribeKey"},
                    .name = std::string("copy-grant")});
  REQUIRE(ok.ok());
  CHECK(ok->grant_id.size() == 64);
  CHECK_FALSE(ok->grant_token.empty());
  CHECK(create({.grantee_principal = "ec2.amazonaws.com", .operations = {"Decrypt"}}).ok());
}

TEST_CASE("Grants: allow their operations to the grantee at once and nothing else", "[kms]") {
  World w;
  const std::string arn = w.create_key();
  const api::Principal alice = user(kOwner, "alice");
  const auto blob = w.encrypt_as_owner(arn, "secret");
  CHECK(w.kms.decrypt(call(alice), {.ciphertext_blob = blob}).error().code
        == "AccessDeniedException");
  auto g = w.kms.create_grant(
      call(root()), {.key_id = arn, .grantee_principal = alice.arn, .operations = {"Decrypt"}});
  REQUIRE(g.ok());
  CHECK(w.kms.decrypt(call(alice), {.ciphertext_blob = blob}).ok());
  CHECK(w.kms.encrypt(call(alice), {.key_id = arn, .plaintext = bytes("x")}).error().code
        == "AccessDeniedException");
  CHECK(w.kms.decrypt(call(user(kOwner, "bob")), {.ciphertext_blob = blob}).error().code
        == "AccessDeniedException");
  // A grant to a role serves every session of the role.
  REQUIRE(w.kms
              .create_grant(
                  call(root()),
                  {.key_id = arn, .grantee_principal = role_arn(kOther), .operations = {"Decrypt"}})
              .ok());
  CHECK(w.kms.decrypt(call(session(kOther, kRoleName, "one")), {.ciphertext_blob = blob}).ok());
  CHECK(w.kms.decrypt(call(session(kOther, kRoleName, "two")), {.ciphertext_blob = blob}).ok());
  CHECK(w.kms.decrypt(call(session(kOther, "OtherRole")), {.ciphertext_blob = blob}).error().code
        == "AccessDeniedException");
}

TEST_CASE("Grants: constraint keys are case-insensitive and values case-sensitive", "[kms]") {
  World w;
  const std::string arn = w.create_key();
  const api::Principal alice = user(kOwner, "alice");
  REQUIRE(w.kms
              .create_grant(call(root()),
                            {.key_id = arn,
                             .grantee_principal = alice.arn,
                             .operations = {"Encrypt"},
                             .constraints =
                                 api::kms::GrantConstraints{.encryption_context_subset =
                                                                EncryptionContext{{"Dept", "IT"}}}})
              .ok());
  auto encrypt = [&](EncryptionContext c) {
    return w.kms
        .encrypt(call(alice),
                 {.key_id = arn, .plaintext = bytes("x"), .encryption_context = std::move(c)})
        .ok();
  };
  CHECK(encrypt({{"Dept", "IT"}}));
  CHECK(encrypt({{"dept", "IT"}}));
  CHECK(encrypt({{"DEPT", "IT"}, {"other", "1"}}));
  CHECK_FALSE(encrypt({{"Dept", "it"}}));
  CHECK_FALSE(encrypt({}));
  CHECK_FALSE(encrypt({{"other", "1"}}));

  const api::Principal bob = user(kOwner, "bob");
  REQUIRE(w.kms
              .create_grant(call(root()),
                            {.key_id = arn,
                             .grantee_principal = bob.arn,
                             .operations = {"Encrypt", "DescribeKey"},
                             .constraints =
                                 api::kms::GrantConstraints{.encryption_context_equals =
                                                                EncryptionContext{{"Dept", "IT"}}}})
              .ok());
  auto bob_encrypt = [&](EncryptionContext c) {
    return w.kms
        .encrypt(call(bob),
                 {.key_id = arn, .plaintext = bytes("x"), .encryption_context = std::move(c)})
        .ok();
  };
  CHECK(bob_encrypt({{"dept", "IT"}}));
  CHECK_FALSE(bob_encrypt({{"Dept", "IT"}, {"other", "1"}}));
  CHECK_FALSE(bob_encrypt({}));
  // Constraints do not apply to operations without an encryption context.
  CHECK(w.kms.describe_key(call(bob), api::kms::DescribeKeyInput{.key_id = arn}).ok());
}

TEST_CASE("Grants: an account grantee delegates to that account's IAM policies", "[kms]") {
  World w;
  const std::string arn = w.create_key();
  REQUIRE(w.kms
              .create_grant(
                  call(root()),
                  {.key_id = arn, .grantee_principal = root(kOther).arn, .operations = {"Encrypt"}})
              .ok());
  const api::CallContext c = call(session(kOther));
  CHECK(w.kms.encrypt(c, {.key_id = arn, .plaintext = bytes("x")}).error().code
        == "AccessDeniedException");
  w.authz.add_identity_policy(role_arn(kOther), policy_doc({allow(R"("kms:Encrypt")", arn)}));
  CHECK(w.kms.encrypt(c, {.key_id = arn, .plaintext = bytes("x")}).ok());
  CHECK(w.kms.encrypt(call(root(kOther)), {.key_id = arn, .plaintext = bytes("x")}).ok());
}

TEST_CASE("CreateGrant: a grant with CreateGrant cannot widen itself", "[kms]") {
  World w;
  const std::string arn = w.create_key();
  const api::Principal alice = user(kOwner, "alice");
  REQUIRE(w.kms
              .create_grant(
                  call(root()),
                  {.key_id = arn,
                   .grantee_principal = alice.arn,
                   .operations = {"CreateGrant", "Decrypt"},
                   .constraints = api::kms::GrantConstraints{.encryption_context_subset =
                                                                 EncryptionContext{{"team", "a"}}}})
              .ok());
  auto narrower = w.kms.create_grant(
      call(alice),
      {.key_id = arn,
       .grantee_principal = role_arn(kOther),
       .operations = {"Decrypt"},
       .constraints = api::kms::GrantConstraints{
           .encryption_context_subset = EncryptionContext{{"team", "a"}, {"x", "y"}}}});
  CHECK(narrower.ok());
  auto wider_ops =
      w.kms.create_grant(call(alice),
                         {.key_id = arn,
                          .grantee_principal = role_arn(kOther),
                          .operations = {"Decrypt", "Encrypt"},
                          .constraints = api::kms::GrantConstraints{
                              .encryption_context_subset = EncryptionContext{{"team", "a"}}}});
  REQUIRE_FALSE(wider_ops.ok());
  CHECK(wider_ops.error().code == "AccessDeniedException");
  auto unconstrained = w.kms.create_grant(
      call(alice),
      {.key_id = arn, .grantee_principal = role_arn(kOther), .operations = {"Decrypt"}});
  REQUIRE_FALSE(unconstrained.ok());
  CHECK(unconstrained.error().code == "AccessDeniedException");
}

TEST_CASE("CreateGrant: named grants are idempotent", "[kms]") {
  World w;
  const std::string arn = w.create_key();
  const api::kms::CreateGrantInput in{.key_id = arn,
                                      .grantee_principal = role_arn(kOther),
                                      .operations = {"Decrypt"},
                                      .name = std::string("copy")};
  auto first = w.kms.create_grant(call(root()), in);
  auto second = w.kms.create_grant(call(root()), in);
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(first->grant_id == second->grant_id);
  CHECK(first->grant_token != second->grant_token);
  auto listed = w.kms.list_grants(call(root()), {.key_id = arn});
  REQUIRE(listed.ok());
  CHECK(listed->grants.size() == 1);
  api::kms::CreateGrantInput other = in;
  other.operations = {"Decrypt", "DescribeKey"};
  auto third = w.kms.create_grant(call(root()), other);
  REQUIRE(third.ok());
  CHECK(third->grant_id != first->grant_id);
}

TEST_CASE("CreateGrant: kms:GrantIsForAWSResource and kms:GrantOperations in the key policy",
          "[kms]") {
  World w;
  const std::string statement =
      R"({"Sid":"Grants","Effect":"Allow","Principal":{"AWS":"444455556666"},)"
      R"("Action":"kms:CreateGrant","Resource":"*","Condition":{)"
      R"("Bool":{"kms:GrantIsForAWSResource":"true"},)"
      R"("ForAllValues:StringEquals":{"kms:GrantOperations":["Decrypt","DescribeKey"]}}})";
  const std::string arn =
      w.create_key(policy_doc({allow_principal(root().arn, R"("kms:*")", "Root"), statement}));
  w.authz.add_identity_policy(role_arn(kOther), policy_doc({allow()}));
  const api::kms::CreateGrantInput in{
      .key_id = arn, .grantee_principal = role_arn(kOther), .operations = {"Decrypt"}};
  CHECK(w.kms.create_grant(call(session(kOther)), in).error().code == "AccessDeniedException");
  CHECK(w.kms.create_grant(call(session(kOther), kRegion, via_ec2()), in).ok());
  api::kms::CreateGrantInput wider = in;
  wider.operations = {"Decrypt", "Encrypt"};
  CHECK(w.kms.create_grant(call(session(kOther), kRegion, via_ec2()), wider).error().code
        == "AccessDeniedException");
}

TEST_CASE("ListGrants and ListRetirableGrants: filters and pagination", "[kms]") {
  World w;
  const std::string arn = w.create_key();
  std::vector<std::string> ids;
  for (int i = 0; i < 3; ++i) {
    auto g = w.kms.create_grant(
        call(root()),
        {.key_id = arn,
         .grantee_principal = i == 2 ? user(kOwner, "alice").arn : role_arn(kOther),
         .retiring_principal = root().arn,
         .operations = {"Decrypt"},
         .constraints = api::kms::GrantConstraints{
             .encryption_context_subset = EncryptionContext{{"n", std::to_string(i)}}}});
    REQUIRE(g.ok());
    ids.push_back(g->grant_id);
  }
  auto all = w.kms.list_grants(call(root()), {.key_id = arn});
  REQUIRE(all.ok());
  REQUIRE(all->grants.size() == 3);
  CHECK(all->grants[0].grant_id == ids[0]);
  CHECK(all->grants[0].key_id == arn);
  CHECK(all->grants[0].issuing_account == "arn:aws:iam::111122223333:root");
  CHECK(all->grants[0].grantee_principal == role_arn(kOther));
  CHECK(all->grants[0].operations == std::vector<std::string>{"Decrypt"});
  REQUIRE(all->grants[0].constraints.has_value());
  CHECK(all->grants[0].constraints->encryption_context_subset == EncryptionContext{{"n", "0"}});
  auto page = w.kms.list_grants(call(root()), {.limit = 2, .key_id = arn});
  REQUIRE(page.ok());
  CHECK(page->grants.size() == 2);
  CHECK(page->truncated);
  auto rest =
      w.kms.list_grants(call(root()), {.limit = 2, .marker = page->next_marker, .key_id = arn});
  REQUIRE(rest.ok());
  REQUIRE(rest->grants.size() == 1);
  CHECK(rest->grants[0].grant_id == ids[2]);
  auto by_grantee = w.kms.list_grants(
      call(root()), {.key_id = arn, .grantee_principal = user(kOwner, "alice").arn});
  REQUIRE(by_grantee.ok());
  CHECK(by_grantee->grants.size() == 1);
  auto by_id = w.kms.list_grants(call(root()), {.key_id = arn, .grant_id = ids[1]});
  REQUIRE(by_id.ok());
  CHECK(by_id->grants.size() == 1);
  CHECK(
      w.kms.list_grants(call(root()), {.key_id = arn, .grant_id = std::string("xyz")}).error().code
      == "InvalidGrantIdException");
  auto retirable = w.kms.list_retirable_grants(call(root()), {.retiring_principal = root().arn});
  REQUIRE(retirable.ok());
  CHECK(retirable->grants.size() == 3);
  auto none = w.kms.list_retirable_grants(call(root()), {.retiring_principal = root(kOther).arn});
  REQUIRE(none.ok());
  CHECK(none->grants.empty());
}

TEST_CASE("RetireGrant: by token or by id for the retiring principal or the grantee", "[kms]") {
  World w;
  const std::string arn = w.create_key();
  const auto blob = w.encrypt_as_owner(arn, "secret");
  const api::Principal alice = user(kOwner, "alice");
  const api::Principal carol = user(kOwner, "carol");
  auto g1 = w.kms.create_grant(call(root()),
                               {.key_id = arn,
                                .grantee_principal = alice.arn,
                                .retiring_principal = carol.arn,
                                .operations = {"Decrypt"}});
  REQUIRE(g1.ok());
  // Alice is the grantee but the grant does not include RetireGrant.
  auto by_alice = w.kms.retire_grant(call(alice), {.grant_token = g1->grant_token});
  REQUIRE_FALSE(by_alice.ok());
  CHECK(by_alice.error().code == "AccessDeniedException");
  REQUIRE(w.kms.retire_grant(call(carol), {.grant_token = g1->grant_token}).ok());
  CHECK(w.kms.decrypt(call(alice), {.ciphertext_blob = blob}).error().code
        == "AccessDeniedException");
  CHECK(w.kms.retire_grant(call(carol), {.grant_token = g1->grant_token}).error().code
        == "InvalidGrantTokenException");

  auto g2 = w.kms.create_grant(
      call(root()),
      {.key_id = arn, .grantee_principal = alice.arn, .operations = {"Decrypt", "RetireGrant"}});
  REQUIRE(g2.ok());
  REQUIRE(w.kms.retire_grant(call(alice), {.key_id = arn, .grant_id = g2->grant_id}).ok());
  CHECK(w.kms.retire_grant(call(alice), {.key_id = arn, .grant_id = g2->grant_id}).error().code
        == "NotFoundException");
  CHECK(w.kms.retire_grant(call(alice), {}).error().code == "ValidationException");
  // The key's account root may retire any grant it created.
  auto g3 = w.kms.create_grant(
      call(root()), {.key_id = arn, .grantee_principal = alice.arn, .operations = {"Decrypt"}});
  REQUIRE(g3.ok());
  CHECK(w.kms.retire_grant(call(root()), {.key_id = arn, .grant_id = g3->grant_id}).ok());
}

TEST_CASE("RevokeGrant: needs kms:RevokeGrant and removes the grant", "[kms]") {
  World w;
  const std::string arn = w.create_key();
  const auto blob = w.encrypt_as_owner(arn, "secret");
  const api::Principal alice = user(kOwner, "alice");
  auto g = w.kms.create_grant(
      call(root()), {.key_id = arn, .grantee_principal = alice.arn, .operations = {"Decrypt"}});
  REQUIRE(g.ok());
  CHECK(w.kms.decrypt(call(alice), {.ciphertext_blob = blob}).ok());
  auto by_alice = w.kms.revoke_grant(call(alice), {.key_id = arn, .grant_id = g->grant_id});
  REQUIRE_FALSE(by_alice.ok());
  CHECK(by_alice.error().message
        == "User: " + alice.arn + " is not authorized to perform: kms:RevokeGrant on resource: "
               + arn + " because no identity-based policy allows the kms:RevokeGrant action");
  REQUIRE(w.kms.revoke_grant(call(root()), {.key_id = arn, .grant_id = g->grant_id}).ok());
  CHECK(w.kms.decrypt(call(alice), {.ciphertext_blob = blob}).error().code
        == "AccessDeniedException");
  CHECK(w.kms.revoke_grant(call(root()), {.key_id = arn, .grant_id = g->grant_id}).error().code
        == "NotFoundException");
  CHECK(w.kms.revoke_grant(call(root()), {.key_id = arn, .grant_id = "nope"}).error().code
        == "InvalidGrantIdException");
  // The token of a revoked grant is gone too.
  CHECK(w.kms.retire_grant(call(root()), {.grant_token = g->grant_token}).error().code
        == "InvalidGrantTokenException");
}

TEST_CASE("Grants: a disabled or deleted key", "[kms]") {
  World w;
  const std::string arn = w.create_key();
  const api::Principal alice = user(kOwner, "alice");
  auto g = w.kms.create_grant(
      call(root()), {.key_id = arn, .grantee_principal = alice.arn, .operations = {"Encrypt"}});
  REQUIRE(g.ok());
  REQUIRE(w.kms.disable_key(call(root()), {.key_id = arn}).ok());
  CHECK(w.kms.encrypt(call(alice), {.key_id = arn, .plaintext = bytes("x")}).error().code
        == "DisabledException");
  REQUIRE(
      w.kms.schedule_key_deletion(call(root()), {.key_id = arn, .pending_window_in_days = 7}).ok());
  w.ctx.scheduler().run_for(sim::Duration::days(7));
  CHECK(w.kms.retire_grant(call(root()), {.grant_token = g->grant_token}).error().code
        == "InvalidGrantTokenException");
}

}  // namespace
}  // namespace ibsim::mock_aws::kms::testing
