// KMS model: keys, key states, scheduled deletion, key policies, aliases, tags and seeds.

#include <catch2/catch.hpp>

#include "mock_aws/kms/kms_model.h"
#include "tests/mock_aws/kms/kms_test_util.h"

namespace ibsim::mock_aws::kms::testing {
namespace {

using api::kms::EncryptionContext;

bool is_uuid(const std::string& s) {
  if (s.size() != 36) {
    return false;
  }
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash != (s[i] == '-')) {
      return false;
    }
  }
  return true;
}

TEST_CASE("CreateKey: a key without a policy gets the account root statement", "[kms]") {
  World w;
  auto out = w.kms.create_key(call(root()), {.description = std::string("images")});
  REQUIRE(out.ok());
  const api::kms::KeyMetadata& m = out->key_metadata;
  CHECK(is_uuid(m.key_id));
  CHECK(m.arn == "arn:aws:kms:us-west-2:111122223333:key/" + m.key_id);
  CHECK(m.aws_account_id == "111122223333");
  CHECK(m.enabled);
  CHECK(m.key_state == "Enabled");
  CHECK(m.key_manager == "CUSTOMER");
  CHECK(m.key_usage == "ENCRYPT_DECRYPT");
  CHECK(m.key_spec == "SYMMETRIC_DEFAULT");
  CHECK(m.origin == "AWS_KMS");
  CHECK(m.description == "images");
  CHECK(m.encryption_algorithms == std::vector<std::string>{"SYMMETRIC_DEFAULT"});
  CHECK(m.creation_date == sim::Context::kDefaultEpochUnixMs);
  CHECK_FALSE(m.deletion_date.has_value());
  auto policy = w.kms.get_key_policy(call(root()), {.key_id = m.key_id});
  REQUIRE(policy.ok());
  CHECK(policy->policy_name == "default");
  CHECK(policy->policy.find("\"Sid\" : \"Enable IAM User Permissions\"") != std::string::npos);
  CHECK(policy->policy.find("\"AWS\" : \"arn:aws:iam::111122223333:root\"") != std::string::npos);
  CHECK(policy->policy.find("\"Action\" : \"kms:*\"") != std::string::npos);
}

TEST_CASE("CreateKey: only symmetric encryption keys are modelled", "[kms]") {
  World w;
  auto rsa = w.kms.create_key(call(root()), {.key_spec = std::string("RSA_2048")});
  REQUIRE_FALSE(rsa.ok());
  CHECK(rsa.error().code == "UnsupportedOperationException");
  auto sign = w.kms.create_key(call(root()), {.key_usage = std::string("SIGN_VERIFY")});
  REQUIRE_FALSE(sign.ok());
  CHECK(sign.error().code == "ValidationException");
  auto bogus = w.kms.create_key(call(root()), {.key_usage = std::string("BOGUS")});
  REQUIRE_FALSE(bogus.ok());
  CHECK(bogus.error().code == "ValidationException");
  CHECK(bogus.error().message.starts_with(
      "1 validation error detected: Value 'BOGUS' at 'keyUsage'"));
  auto external = w.kms.create_key(call(root()), {.origin = std::string("EXTERNAL")});
  REQUIRE_FALSE(external.ok());
  CHECK(external.error().code == "UnsupportedOperationException");
  auto multi = w.kms.create_key(call(root()), {.multi_region = true});
  REQUIRE_FALSE(multi.ok());
  CHECK(multi.error().code == "UnsupportedOperationException");
  auto both = w.kms.create_key(call(root()),
                               {.customer_master_key_spec = std::string("SYMMETRIC_DEFAULT"),
                                .key_spec = std::string("SYMMETRIC_DEFAULT")});
  REQUIRE_FALSE(both.ok());
  CHECK(both.error().code == "ValidationException");
  auto explicit_symmetric = w.kms.create_key(
      call(root()),
      {.key_usage = std::string("ENCRYPT_DECRYPT"), .key_spec = std::string("SYMMETRIC_DEFAULT")});
  CHECK(explicit_symmetric.ok());
}

TEST_CASE("CreateKey: a policy that would lock the caller out is refused unless bypassed",
          "[kms]") {
  World w;
  const std::string only_bob = policy_doc({allow_principal(user(kOwner, "bob").arn)});
  auto locked = w.kms.create_key(call(root()), {.policy = only_bob});
  REQUIRE_FALSE(locked.ok());
  CHECK(locked.error().code == "MalformedPolicyDocumentException");
  CHECK(locked.error().message
        == "The new key policy will not allow you to update the key policy in the future.");
  auto bypassed = w.kms.create_key(
      call(root()), {.policy = only_bob, .bypass_policy_lockout_safety_check = true});
  REQUIRE(bypassed.ok());
  // Bob, named by the policy, may manage the key; the root user can no longer.
  const std::string arn = bypassed->key_metadata.arn;
  auto by_root = w.kms.put_key_policy(call(root()), {.key_id = arn, .policy = only_bob});
  REQUIRE_FALSE(by_root.ok());
  CHECK(by_root.error().code == "AccessDeniedException");
  auto by_bob =
      w.kms.put_key_policy(call(user(kOwner, "bob")), {.key_id = arn, .policy = only_bob});
  CHECK(by_bob.ok());
}

TEST_CASE("CreateKey: malformed and oversized policies are refused", "[kms]") {
  World w;
  auto no_principal = w.kms.create_key(
      call(root()),
      {.policy = std::string(
           R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"kms:*","Resource":"*"}]})")});
  REQUIRE_FALSE(no_principal.ok());
  CHECK(no_principal.error().code == "MalformedPolicyDocumentException");
  auto not_json = w.kms.create_key(call(root()), {.policy = std::string("{")});
  REQUIRE_FALSE(not_json.ok());
  CHECK(not_json.error().code == "MalformedPolicyDocumentException");
  const std::string huge =
      policy_doc({allow_principal(root().arn, R"("kms:*")", std::string(33000, 'x'))});
  auto too_big = w.kms.create_key(call(root()), {.policy = huge});
  REQUIRE_FALSE(too_big.ok());
  CHECK(too_big.error().code == "LimitExceededException");
}

TEST_CASE("DescribeKey: accepts a key id a key ARN an alias name and an alias ARN", "[kms]") {
  World w;
  const std::string arn = w.create_key();
  const std::string id = arn.substr(arn.rfind('/') + 1);
  REQUIRE(w.kms.create_alias(call(root()), {.alias_name = "alias/app", .target_key_id = id}).ok());
  for (const std::string& ref : {id,
                                 arn,
                                 std::string("alias/app"),
                                 std::string("arn:aws:kms:us-west-2:111122223333:alias/app")}) {
    CAPTURE(ref);
    auto out = w.kms.describe_key(call(root()), api::kms::DescribeKeyInput{.key_id = ref});
    REQUIRE(out.ok());
    CHECK(out->key_metadata.arn == arn);
  }
}

TEST_CASE("DescribeKey: unknown keys and aliases get AWS's NotFound texts", "[kms]") {
  World w;
  const std::string missing =
      "arn:aws:kms:us-west-2:111122223333:key/00000000-0000-4000-8000-000000000000";
  auto by_arn = w.kms.describe_key(call(root()), api::kms::DescribeKeyInput{.key_id = missing});
  REQUIRE_FALSE(by_arn.ok());
  CHECK(by_arn.error().code == "NotFoundException");
  CHECK(by_arn.error().http_status == 400);
  CHECK(by_arn.error().message == "Key '" + missing + "' does not exist");
  auto by_id = w.kms.describe_key(
      call(root()), api::kms::DescribeKeyInput{.key_id = "00000000-0000-4000-8000-000000000000"});
  REQUIRE_FALSE(by_id.ok());
  CHECK(by_id.error().message == "Key '" + missing + "' does not exist");
  auto alias = w.kms.describe_key(call(root()), api::kms::DescribeKeyInput{.key_id = "alias/nope"});
  REQUIRE_FALSE(alias.ok());
  CHECK(alias.error().code == "NotFoundException");
  CHECK(alias.error().message
        == "Alias arn:aws:kms:us-west-2:111122223333:alias/nope is not found.");
  // A key ARN of another region is not visible at this endpoint.
  const std::string arn = w.create_key();
  auto other_region =
      w.kms.describe_key(call(root(), "eu-west-1"), api::kms::DescribeKeyInput{.key_id = arn});
  REQUIRE_FALSE(other_region.ok());
  CHECK(other_region.error().message == "Key '" + arn + "' does not exist");
  auto bad_arn =
      w.kms.describe_key(call(root()), api::kms::DescribeKeyInput{.key_id = "arn:aws:s3:::bucket"});
  REQUIRE_FALSE(bad_arn.ok());
  CHECK(bad_arn.error().code == "InvalidArnException");
}

TEST_CASE("DescribeKey: alias/aws/ebs creates the AWS managed key on first use", "[kms]") {
  World w;
  auto listed = w.kms.list_aliases(call(root()), {});
  REQUIRE(listed.ok());
  REQUIRE(listed->aliases.size() == 1);
  CHECK(listed->aliases[0].alias_name == "alias/aws/ebs");
  CHECK_FALSE(listed->aliases[0].target_key_id.has_value());

  auto first =
      w.kms.describe_key(call(root()), api::kms::DescribeKeyInput{.key_id = "alias/aws/ebs"});
  REQUIRE(first.ok());
  CHECK(first->key_metadata.key_manager == "AWS");
  CHECK(first->key_metadata.aws_account_id == "111122223333");
  auto second = w.kms.describe_key(
      call(root()),
      api::kms::DescribeKeyInput{.key_id = "arn:aws:kms:us-west-2:111122223333:alias/aws/ebs"});
  REQUIRE(second.ok());
  CHECK(second->key_metadata.arn == first->key_metadata.arn);
  CHECK(w.kms.aws_managed_ebs_key(account(kOwner), region()) == first->key_metadata.arn);
  CHECK(w.kms.is_aws_managed_key(first->key_metadata.arn));

  listed = w.kms.list_aliases(call(root()), {});
  REQUIRE(listed.ok());
  REQUIRE(listed->aliases.size() == 1);
  CHECK(listed->aliases[0].target_key_id == first->key_metadata.key_id);
  auto keys = w.kms.list_keys(call(root()), {});
  REQUIRE(keys.ok());
  REQUIRE(keys->keys.size() == 1);
  CHECK(keys->keys[0].key_arn == first->key_metadata.arn);
  // One per account and region.
  const std::string eu = w.kms.aws_managed_ebs_key(account(kOwner), region("eu-west-1"));
  const std::string other = w.kms.aws_managed_ebs_key(account(kOther), region());
  CHECK(eu != first->key_metadata.arn);
  CHECK(other != first->key_metadata.arn);
  // Its policy cannot be changed: it allows nobody kms:PutKeyPolicy.
  auto put = w.kms.put_key_policy(
      call(root()),
      {.key_id = first->key_metadata.arn, .policy = policy_doc({allow_principal(root().arn)})});
  REQUIRE_FALSE(put.ok());
  CHECK(put.error().code == "AccessDeniedException");
  CHECK(put.error().message
        == "User: arn:aws:iam::111122223333:root is not authorized to perform: kms:PutKeyPolicy "
           "on resource: "
               + first->key_metadata.arn
               + " because no resource-based policy allows the kms:PutKeyPolicy action");
  CHECK(w.kms.seed_key_policy(first->key_metadata.arn, policy_doc({allow_principal(root().arn)}))
            .error()
            .code
        == "UnsupportedOperationException");
  auto disable = w.kms.disable_key(call(root()), {.key_id = first->key_metadata.arn});
  REQUIRE_FALSE(disable.ok());
  CHECK(disable.error().code == "AccessDeniedException");
}

TEST_CASE("ListKeys: the caller's keys in the region with pagination", "[kms]") {
  World w;
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) {
    const std::string arn = w.create_key();
    ids.push_back(arn.substr(arn.rfind('/') + 1));
  }
  w.create_key({}, kOther);
  w.create_key({}, kOwner, "eu-west-1");
  std::sort(ids.begin(), ids.end());
  auto page1 = w.kms.list_keys(call(root()), {.limit = 2});
  REQUIRE(page1.ok());
  REQUIRE(page1->keys.size() == 2);
  CHECK(page1->truncated);
  REQUIRE(page1->next_marker.has_value());
  auto page2 = w.kms.list_keys(call(root()), {.limit = 10, .marker = page1->next_marker});
  REQUIRE(page2.ok());
  CHECK(page2->keys.size() == 3);
  CHECK_FALSE(page2->truncated);
  std::vector<std::string> seen;
  for (const auto& k : page1->keys) {
    seen.push_back(k.key_id);
  }
  for (const auto& k : page2->keys) {
    seen.push_back(k.key_id);
  }
  CHECK(seen == ids);
  CHECK(w.kms.list_keys(call(root()), {.limit = 0}).error().code == "ValidationException");
  CHECK(w.kms.list_keys(call(root()), {.marker = std::string("nope")}).error().code
        == "InvalidMarkerException");
}

// Every operation that uses key material, against one key.
std::vector<std::pair<std::string, sim::AwsError>> crypto_errors(World& w,
                                                                 const std::string& arn,
                                                                 const std::vector<uint8_t>& blob,
                                                                 const std::string& good_arn) {
  std::vector<std::pair<std::string, sim::AwsError>> errors;
  const api::CallContext c = call(root());
  auto note = [&](const std::string& op, const auto& result) {
    if (result.ok()) {
      errors.emplace_back(op, sim::AwsError{"OK", "", 200});
    } else {
      errors.emplace_back(op, result.error());
    }
  };
  note("Encrypt", w.kms.encrypt(c, {.key_id = arn, .plaintext = bytes("x")}));
  note("Decrypt", w.kms.decrypt(c, {.ciphertext_blob = blob}));
  note("ReEncrypt from",
       w.kms.re_encrypt(c, {.ciphertext_blob = blob, .destination_key_id = good_arn}));
  const auto good_blob = w.encrypt_as_owner(good_arn, "y");
  note("ReEncrypt to",
       w.kms.re_encrypt(c, {.ciphertext_blob = good_blob, .destination_key_id = arn}));
  note("GenerateDataKey",
       w.kms.generate_data_key(
           c, api::kms::GenerateDataKeyInput{.key_id = arn, .key_spec = std::string("AES_256")}));
  note("GenerateDataKeyWithoutPlaintext",
       w.kms.generate_data_key_without_plaintext(
           c, {.key_id = arn, .key_spec = std::string("AES_256")}));
  note("CreateGrant",
       w.kms.create_grant(c,
                          {.key_id = arn,
                           .grantee_principal = user(kOwner, "alice").arn,
                           .operations = {"Decrypt"}}));
  return errors;
}

TEST_CASE("Key states: a disabled key refuses every cryptographic operation", "[kms]") {
  World w;
  const std::string arn = w.create_key();
  const std::string good = w.create_key();
  const auto blob = w.encrypt_as_owner(arn, "secret");
  REQUIRE(w.kms.disable_key(call(root()), {.key_id = arn}).ok());
  auto d = w.kms.describe_key(call(root()), api::kms::DescribeKeyInput{.key_id = arn});
  REQUIRE(d.ok());
  CHECK(d->key_metadata.key_state == "Disabled");
  CHECK_FALSE(d->key_metadata.enabled);
  for (const auto& [op, error] : crypto_errors(w, arn, blob, good)) {
    CAPTURE(op);
    CHECK(error.code == "DisabledException");
    CHECK(error.message == arn + " is disabled.");
  }
  // What works in every state.
  CHECK(w.kms.get_key_policy(call(root()), {.key_id = arn}).ok());
  CHECK(w.kms.list_grants(call(root()), {.key_id = arn}).ok());
  REQUIRE(w.kms.enable_key(call(root()), {.key_id = arn}).ok());
  auto plain = w.kms.decrypt(call(root()), {.ciphertext_blob = blob});
  REQUIRE(plain.ok());
  CHECK(plain->plaintext == bytes("secret"));
}

TEST_CASE("Key states: a key pending deletion refuses every cryptographic operation", "[kms]") {
  World w;
  const std::string arn = w.create_key();
  const std::string good = w.create_key();
  const auto blob = w.encrypt_as_owner(arn, "secret");
  auto scheduled =
      w.kms.schedule_key_deletion(call(root()), {.key_id = arn, .pending_window_in_days = 7});
  REQUIRE(scheduled.ok());
  CHECK(scheduled->key_id == arn);
  CHECK(scheduled->key_state == "PendingDeletion");
  CHECK(scheduled->pending_window_in_days == 7);
  CHECK(scheduled->deletion_date == sim::Context::kDefaultEpochUnixMs + 7LL * 86'400'000);
  for (const auto& [op, error] : crypto_errors(w, arn, blob, good)) {
    CAPTURE(op);
    CHECK(error.code == "KMSInvalidStateException");
    CHECK(error.message == arn + " is pending deletion.");
  }
  auto d = w.kms.describe_key(call(root()), api::kms::DescribeKeyInput{.key_id = arn});
  REQUIRE(d.ok());
  CHECK(d->key_metadata.key_state == "PendingDeletion");
  CHECK(d->key_metadata.deletion_date == scheduled->deletion_date);
  CHECK(d->key_metadata.pending_deletion_window_in_days == 7);
  CHECK(w.kms.get_key_policy(call(root()), {.key_id = arn}).ok());
  for (const auto& error : {w.kms.enable_key(call(root()), {.key_id = arn}).error(),
                            w.kms.disable_key(call(root()), {.key_id = arn}).error(),
                            w.kms.schedule_key_deletion(call(root()), {.key_id = arn}).error()}) {
    CHECK(error.code == "KMSInvalidStateException");
    CHECK(error.message == arn + " is pending deletion.");
  }
}

TEST_CASE("ScheduleKeyDeletion: the window is 7 to 30 days", "[kms]") {
  World w;
  const std::string arn = w.create_key();
  for (int32_t days : {0, 1, 6, 31, 365}) {
    CAPTURE(days);
    auto r =
        w.kms.schedule_key_deletion(call(root()), {.key_id = arn, .pending_window_in_days = days});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "ValidationException");
    CHECK(r.error().message == "PendingWindowInDays must be between 7 and 30");
  }
  auto by_default = w.kms.schedule_key_deletion(call(root()), {.key_id = arn});
  REQUIRE(by_default.ok());
  CHECK(by_default->pending_window_in_days == 30);
}

TEST_CASE("ScheduleKeyDeletion: the key is deleted when the window ends in virtual time", "[kms]") {
  World w;
  const std::string arn = w.create_key();
  const std::string id = arn.substr(arn.rfind('/') + 1);
  REQUIRE(
      w.kms.create_alias(call(root()), {.alias_name = "alias/doomed", .target_key_id = id}).ok());
  const auto blob = w.encrypt_as_owner(arn, "secret");
  REQUIRE(w.kms.schedule_key_deletion(call(root()), {.key_id = arn, .pending_window_in_days = 10})
              .ok());
  w.ctx.scheduler().run_for(sim::Duration::days(10) - sim::Duration::seconds(1));
  CHECK(w.kms.find_key(arn).has_value());
  w.ctx.scheduler().run_for(sim::Duration::seconds(1));
  CHECK_FALSE(w.kms.find_key(arn).has_value());
  auto d = w.kms.describe_key(call(root()), api::kms::DescribeKeyInput{.key_id = arn});
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().code == "NotFoundException");
  CHECK(d.error().message == "Key '" + arn + "' does not exist");
  // Its aliases went with it; its ciphertexts can never be decrypted again.
  auto alias =
      w.kms.describe_key(call(root()), api::kms::DescribeKeyInput{.key_id = "alias/doomed"});
  REQUIRE_FALSE(alias.ok());
  CHECK(alias.error().code == "NotFoundException");
  auto plain = w.kms.decrypt(call(root()), {.ciphertext_blob = blob});
  REQUIRE_FALSE(plain.ok());
  CHECK(plain.error().code == "NotFoundException");
  CHECK(plain.error().message == "Key '" + arn + "' does not exist");
}

TEST_CASE("CancelKeyDeletion: the key comes back Disabled and is not deleted", "[kms]") {
  World w;
  const std::string arn = w.create_key();
  auto not_pending = w.kms.cancel_key_deletion(call(root()), {.key_id = arn});
  REQUIRE_FALSE(not_pending.ok());
  CHECK(not_pending.error().code == "KMSInvalidStateException");
  CHECK(not_pending.error().message == arn + " is not pending deletion.");
  REQUIRE(
      w.kms.schedule_key_deletion(call(root()), {.key_id = arn, .pending_window_in_days = 7}).ok());
  w.ctx.scheduler().run_for(sim::Duration::days(3));
  auto cancelled = w.kms.cancel_key_deletion(call(root()), {.key_id = arn});
  REQUIRE(cancelled.ok());
  CHECK(cancelled->key_id == arn);
  w.ctx.scheduler().run_for(sim::Duration::days(30));
  const auto m = w.kms.find_key(arn);
  REQUIRE(m.has_value());
  CHECK(m->key_state == "Disabled");
  CHECK_FALSE(m->deletion_date.has_value());
  auto enc = w.kms.encrypt(call(root()), {.key_id = arn, .plaintext = bytes("x")});
  REQUIRE_FALSE(enc.ok());
  CHECK(enc.error().code == "DisabledException");
  REQUIRE(w.kms.enable_key(call(root()), {.key_id = arn}).ok());
  CHECK(w.kms.encrypt(call(root()), {.key_id = arn, .plaintext = bytes("x")}).ok());
}

TEST_CASE("PutKeyPolicy: validated by the policy engine and the lockout check", "[kms]") {
  World w;
  const std::string arn = w.create_key();
  auto malformed = w.kms.put_key_policy(call(root()), {.key_id = arn, .policy = "{\"Version\":1}"});
  REQUIRE_FALSE(malformed.ok());
  CHECK(malformed.error().code == "MalformedPolicyDocumentException");
  const std::string only_bob = policy_doc({allow_principal(user(kOwner, "bob").arn)});
  auto locked = w.kms.put_key_policy(call(root()), {.key_id = arn, .policy = only_bob});
  REQUIRE_FALSE(locked.ok());
  CHECK(locked.error().code == "MalformedPolicyDocumentException");
  CHECK(locked.error().message
        == "The new key policy will not allow you to update the key policy in the future.");
  // A new policy that keeps the caller's access is accepted and returned as written.
  const std::string keeps_root =
      policy_doc({allow_principal(root().arn, R"("kms:*")", "Root"),
                  allow_principal(kOther, R"(["kms:Decrypt","kms:DescribeKey"])", "Other")});
  REQUIRE(w.kms.put_key_policy(call(root()), {.key_id = arn, .policy = keeps_root}).ok());
  auto got = w.kms.get_key_policy(call(root()), {.key_id = arn});
  REQUIRE(got.ok());
  CHECK(got->policy == keeps_root);
  auto names = w.kms.list_key_policies(call(root()), {.key_id = arn});
  REQUIRE(names.ok());
  CHECK(names->policy_names == std::vector<std::string>{"default"});
  auto bad_name =
      w.kms.get_key_policy(call(root()), {.key_id = arn, .policy_name = std::string("x")});
  REQUIRE_FALSE(bad_name.ok());
  CHECK(bad_name.error().code == "NotFoundException");
  CHECK(w.kms
            .put_key_policy(
                call(root()),
                {.key_id = arn, .policy = only_bob, .bypass_policy_lockout_safety_check = true})
            .ok());
  auto now_denied = w.kms.get_key_policy(call(root()), {.key_id = arn});
  REQUIRE_FALSE(now_denied.ok());
  CHECK(now_denied.error().code == "AccessDeniedException");
}

TEST_CASE("Aliases: names start with alias/ and alias/aws/ is reserved", "[kms]") {
  World w;
  const std::string arn = w.create_key();
  auto no_prefix = w.kms.create_alias(call(root()), {.alias_name = "app", .target_key_id = arn});
  REQUIRE_FALSE(no_prefix.ok());
  CHECK(no_prefix.error().code == "ValidationException");
  CHECK(no_prefix.error().message
        == "Alias must start with the prefix \"alias/\". Please see "
           "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html");
  auto reserved =
      w.kms.create_alias(call(root()), {.alias_name = "alias/aws/mine", .target_key_id = arn});
  REQUIRE_FALSE(reserved.ok());
  CHECK(reserved.error().code == "NotAuthorizedException");
  auto bad_chars =
      w.kms.create_alias(call(root()), {.alias_name = "alias/a b", .target_key_id = arn});
  REQUIRE_FALSE(bad_chars.ok());
  CHECK(bad_chars.error().code == "ValidationException");
  auto via_alias =
      w.kms.create_alias(call(root()), {.alias_name = "alias/x", .target_key_id = "alias/y"});
  REQUIRE_FALSE(via_alias.ok());
  CHECK(via_alias.error().code == "InvalidArnException");
  REQUIRE(w.kms.create_alias(call(root()), {.alias_name = "alias/app", .target_key_id = arn}).ok());
  auto again = w.kms.create_alias(call(root()), {.alias_name = "alias/app", .target_key_id = arn});
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == "AlreadyExistsException");
  CHECK(again.error().message
        == "An alias with the name arn:aws:kms:us-west-2:111122223333:alias/app already exists");
  CHECK(w.kms.delete_alias(call(root()), {.alias_name = "alias/aws/ebs"}).error().code
        == "NotAuthorizedException");
}

TEST_CASE("Aliases: update delete and list within one account and region", "[kms]") {
  World w;
  const std::string a = w.create_key();
  const std::string b = w.create_key();
  const std::string b_id = b.substr(b.rfind('/') + 1);
  REQUIRE(w.kms.create_alias(call(root()), {.alias_name = "alias/app", .target_key_id = a}).ok());
  REQUIRE(w.kms.create_alias(call(root()), {.alias_name = "alias/zeta", .target_key_id = b}).ok());
  REQUIRE(
      w.kms.update_alias(call(root()), {.alias_name = "alias/app", .target_key_id = b_id}).ok());
  auto d = w.kms.describe_key(call(root()), api::kms::DescribeKeyInput{.key_id = "alias/app"});
  REQUIRE(d.ok());
  CHECK(d->key_metadata.arn == b);
  auto for_b = w.kms.list_aliases(call(root()), {.key_id = b});
  REQUIRE(for_b.ok());
  REQUIRE(for_b->aliases.size() == 2);
  CHECK(for_b->aliases[0].alias_name == "alias/app");
  CHECK(for_b->aliases[0].alias_arn == "arn:aws:kms:us-west-2:111122223333:alias/app");
  CHECK(for_b->aliases[1].alias_name == "alias/zeta");
  auto all = w.kms.list_aliases(call(root()), {});
  REQUIRE(all.ok());
  CHECK(all->aliases.size() == 3);  // With the predefined alias/aws/ebs.
  auto missing = w.kms.update_alias(call(root()), {.alias_name = "alias/none", .target_key_id = b});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message
        == "Alias arn:aws:kms:us-west-2:111122223333:alias/none is not found.");
  REQUIRE(w.kms.delete_alias(call(root()), {.alias_name = "alias/app"}).ok());
  CHECK(w.kms.delete_alias(call(root()), {.alias_name = "alias/app"}).error().code
        == "NotFoundException");
  // Aliases are per region: the same name in another region is another alias.
  CHECK(w.kms
            .describe_key(call(root(), "eu-west-1"),
                          api::kms::DescribeKeyInput{.key_id = "alias/zeta"})
            .error()
            .code
        == "NotFoundException");
  // A key pending deletion takes no new alias.
  REQUIRE(w.kms.schedule_key_deletion(call(root()), {.key_id = a}).ok());
  CHECK(w.kms.create_alias(call(root()), {.alias_name = "alias/late", .target_key_id = a})
            .error()
            .code
        == "KMSInvalidStateException");
}

TEST_CASE("Aliases: an alias cannot name another account's key", "[kms]") {
  World w;
  const std::string theirs =
      w.create_key(policy_doc({allow_principal(root().arn, R"("kms:*")", "Root"),
                               allow_principal(kOther, R"("kms:*")", "Other")}));
  auto r = w.kms.create_alias(call(root(kOther)),
                              {.alias_name = "alias/borrowed", .target_key_id = theirs});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "NotFoundException");
  CHECK(r.error().message == "Key '" + theirs + "' does not exist");
}

TEST_CASE("Tags: tag untag and list and aws:ResourceTag in the key policy", "[kms]") {
  World w;
  const std::string arn = w.create_key(policy_doc(
      {allow_principal(root().arn, R"("kms:*")", "Root"),
       R"({"Sid":"Blue","Effect":"Allow","Principal":{"AWS":")" + user(kOwner, "alice").arn
           + R"("},"Action":"kms:Encrypt","Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/team":"blue"}}})"}));
  const api::CallContext alice = call(user(kOwner, "alice"));
  CHECK(w.kms.encrypt(alice, {.key_id = arn, .plaintext = bytes("x")}).error().code
        == "AccessDeniedException");
  REQUIRE(
      w.kms.tag_resource(call(root()), {.key_id = arn, .tags = {{"team", "blue"}, {"env", "prod"}}})
          .ok());
  CHECK(w.kms.encrypt(alice, {.key_id = arn, .plaintext = bytes("x")}).ok());
  auto tags = w.kms.list_resource_tags(call(root()), {.key_id = arn});
  REQUIRE(tags.ok());
  CHECK(tags->tags == std::vector<api::kms::Tag>{{"env", "prod"}, {"team", "blue"}});
  REQUIRE(w.kms.untag_resource(call(root()), {.key_id = arn, .tag_keys = {"team"}}).ok());
  CHECK(w.kms.encrypt(alice, {.key_id = arn, .plaintext = bytes("x")}).error().code
        == "AccessDeniedException");
  auto reserved = w.kms.tag_resource(call(root()), {.key_id = arn, .tags = {{"aws:x", "y"}}});
  REQUIRE_FALSE(reserved.ok());
  CHECK(reserved.error().code == "TagException");
  std::vector<api::kms::Tag> many;
  for (int i = 0; i < 50; ++i) {
    std::string tag_key = "k";
    tag_key += std::to_string(i);
    many.push_back({tag_key, "v"});
  }
  CHECK(w.kms.tag_resource(call(root()), {.key_id = arn, .tags = many}).error().code
        == "TagException");
  auto with_tags = w.kms.create_key(call(root()), {.tags = {{"team", "red"}}});
  REQUIRE(with_tags.ok());
  auto listed = w.kms.list_resource_tags(call(root()), {.key_id = with_tags->key_metadata.key_id});
  REQUIRE(listed.ok());
  CHECK(listed->tags == std::vector<api::kms::Tag>{{"team", "red"}});
}

TEST_CASE("Seeds: keys aliases and policies without a caller under the API's rules", "[kms]") {
  World w;
  auto key = w.kms.seed_key({.account = account(kOwner),
                             .region = region(),
                             .key_id = std::string("1234abcd-12ab-34cd-56ef-1234567890ab"),
                             .description = "seeded",
                             .tags = {{"team", "blue"}},
                             .enabled = false});
  REQUIRE(key.ok());
  CHECK(key->arn == "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab");
  CHECK(key->key_state == "Disabled");
  CHECK(w.kms
            .seed_key({.account = account(kOwner),
                       .region = region(),
                       .key_id = std::string("1234abcd-12ab-34cd-56ef-1234567890ab")})
            .error()
            .code
        == "AlreadyExistsException");
  CHECK(
      w.kms
          .seed_key({.account = account(kOwner), .region = region(), .key_id = std::string("nope")})
          .error()
          .code
      == "ValidationException");
  CHECK(
      w.kms.seed_key({.account = account(kOwner), .region = region(), .policy = std::string("{}")})
          .error()
          .code
      == "MalformedPolicyDocumentException");
  REQUIRE(w.kms.seed_alias(account(kOwner), region(), "alias/seeded", key->key_id).ok());
  CHECK(w.kms.seed_alias(account(kOwner), region(), "alias/aws/x", key->key_id).error().code
        == "NotAuthorizedException");
  CHECK(w.kms.seed_alias(account(kOther), region(), "alias/x", key->arn).error().code
        == "NotFoundException");
  const std::string p = policy_doc({allow_principal(kOther)});
  REQUIRE(w.kms.seed_key_policy(key->arn, p).ok());
  CHECK(w.kms.find_key_policy(key->arn) == p);
  // The seeded alias and policy hold for API callers: the other account's role session is
  // allowed by the key policy but has no IAM policy.
  auto d = w.kms.describe_key(
      call(session(kOther)),
      api::kms::DescribeKeyInput{.key_id = "arn:aws:kms:us-west-2:111122223333:alias/seeded"});
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().code == "AccessDeniedException");
  CHECK(d.error().message
        == "User: arn:aws:sts::444455556666:assumed-role/" + std::string(kRoleName)
               + "/ImageBuilder is not authorized to perform: kms:DescribeKey on resource: "
               + key->arn + " because no identity-based policy allows the kms:DescribeKey action");
}

}  // namespace
}  // namespace ibsim::mock_aws::kms::testing
