// KMS model: the EbsKeyService envelope API the EC2 model uses — snapshot data keys wrapped and
// unwrapped for a caller "via ec2.<region>.amazonaws.com" with the aws:ebs:id context.

#include "mock_aws/kms/kms_ebs.h"

#include <catch2/catch.hpp>

#include "mock_aws/kms/kms_model.h"
#include "tests/mock_aws/kms/kms_test_util.h"

namespace ibsim::mock_aws::kms::testing {
namespace {

// The destination key policy the Image Builder docs describe: the key's account, plus the
// target account allowed to use the key and to create grants for AWS resources.
std::string shared_key_policy() {
  return policy_doc(
      {allow_principal(root().arn, R"("kms:*")", "Root"),
       allow_principal(
           kOther,
           R"(["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey"])",
           "Use"),
       R"({"Sid":"Grants","Effect":"Allow","Principal":{"AWS":"444455556666"},)"
       R"("Action":["kms:CreateGrant","kms:ListGrants","kms:RevokeGrant"],"Resource":"*",)"
       R"("Condition":{"Bool":{"kms:GrantIsForAWSResource":"true"}}})"});
}

TEST_CASE("EbsKeyService: a data key wrapped and unwrapped for a caller via EC2", "[kms]") {
  World w;
  EbsKeyService& ebs = w.kms;
  const std::string arn = w.create_key(shared_key_policy());
  w.authz.add_identity_policy(role_arn(kOther), policy_doc({allow()}));
  const api::CallContext c = call(session(kOther), kRegion, via_ec2());
  auto described = ebs.describe_key(c, arn);
  REQUIRE(described.ok());
  CHECK(*described == arn);
  auto dk = ebs.generate_data_key(c, arn, "snap-0123456789abcdef0");
  REQUIRE(dk.ok());
  CHECK(dk->plaintext.size() == 32);
  CHECK(dk->wrapped.key_arn == arn);
  auto back = ebs.decrypt_data_key(c, dk->wrapped, "snap-0123456789abcdef0");
  REQUIRE(back.ok());
  CHECK(*back == dk->plaintext);
  // The snapshot id is the encryption context: another snapshot's key does not unwrap.
  auto other_snapshot = ebs.decrypt_data_key(c, dk->wrapped, "snap-00000000000000000");
  REQUIRE_FALSE(other_snapshot.ok());
  CHECK(other_snapshot.error().code == "InvalidCiphertextException");
  // The blob is an ordinary KMS ciphertext with that context.
  auto plain = w.kms.decrypt(call(root()),
                             {.ciphertext_blob = dk->wrapped.blob,
                              .encryption_context = {{"aws:ebs:id", "snap-0123456789abcdef0"}}});
  REQUIRE(plain.ok());
  CHECK(plain->plaintext == dk->plaintext);
}

TEST_CASE("EbsKeyService: CreateGrant for AWS resources is needed as EBS needs it", "[kms]") {
  World w;
  EbsKeyService& ebs = w.kms;
  // The key policy lets the other account use the key but not create grants.
  const std::string arn = w.create_key(policy_doc(
      {allow_principal(root().arn, R"("kms:*")", "Root"),
       allow_principal(
           kOther, R"(["kms:Decrypt","kms:GenerateDataKey*","kms:DescribeKey"])", "Use")}));
  w.authz.add_identity_policy(role_arn(kOther), policy_doc({allow()}));
  const api::CallContext c = call(session(kOther), kRegion, via_ec2());
  auto dk = ebs.generate_data_key(c, arn, "snap-1");
  REQUIRE_FALSE(dk.ok());
  CHECK(dk.error().message
        == "User: " + session(kOther).arn
               + " is not authorized to perform: kms:CreateGrant on resource: " + arn
               + " because no resource-based policy allows the kms:CreateGrant action");
  // With the grant statement, but without EC2 in the call, GrantIsForAWSResource is false.
  World w2;
  EbsKeyService& ebs2 = w2.kms;
  const std::string arn2 = w2.create_key(shared_key_policy());
  w2.authz.add_identity_policy(role_arn(kOther), policy_doc({allow()}));
  CHECK(ebs2.generate_data_key(call(session(kOther)), arn2, "snap-1").error().code
        == "AccessDeniedException");
  CHECK(ebs2.generate_data_key(call(session(kOther), kRegion, via_ec2()), arn2, "snap-1").ok());
}

TEST_CASE("EbsKeyService: aws/ebs serves its own account via EC2 and nobody else", "[kms]") {
  World w;
  EbsKeyService& ebs = w.kms;
  const std::string key = ebs.aws_managed_ebs_key(account(kOwner), region());
  CHECK(ebs.is_aws_managed_key(key));
  CHECK(ebs.aws_managed_ebs_key(account(kOwner), region()) == key);
  const std::string customer = w.create_key();
  CHECK_FALSE(ebs.is_aws_managed_key(customer));
  CHECK_FALSE(ebs.is_aws_managed_key("arn:aws:kms:us-west-2:111122223333:key/none"));

  const api::CallContext own = call(session(kOwner, "Builder"), kRegion, via_ec2());
  auto dk = ebs.generate_data_key(own, key, "snap-1");
  REQUIRE(dk.ok());
  CHECK(ebs.decrypt_data_key(own, dk->wrapped, "snap-1").ok());
  auto described = ebs.describe_key(own, "alias/aws/ebs");
  REQUIRE(described.ok());
  CHECK(*described == key);

  w.authz.add_identity_policy(role_arn(kOther), policy_doc({allow()}));
  const api::CallContext other = call(session(kOther), kRegion, via_ec2());
  auto copy = ebs.decrypt_data_key(other, dk->wrapped, "snap-1");
  REQUIRE_FALSE(copy.ok());
  CHECK(copy.error().code == "AccessDeniedException");
  CHECK(copy.error().message.find("because no resource-based policy allows") != std::string::npos);
  CHECK(ebs.describe_key(other, key).error().code == "AccessDeniedException");
  // The other account's own alias/aws/ebs is its own key.
  auto theirs = ebs.describe_key(other, "alias/aws/ebs");
  REQUIRE(theirs.ok());
  CHECK(*theirs != key);
  CHECK(*theirs == ebs.aws_managed_ebs_key(account(kOther), region()));
  // Without EC2 in the call, even the own account is refused.
  CHECK(ebs.generate_data_key(call(session(kOwner, "Builder")), key, "snap-2").error().code
        == "AccessDeniedException");
}

TEST_CASE("EbsKeyService: key references and key states", "[kms]") {
  World w;
  EbsKeyService& ebs = w.kms;
  const std::string arn = w.create_key();
  const std::string id = arn.substr(arn.rfind('/') + 1);
  REQUIRE(
      w.kms.create_alias(call(root()), {.alias_name = "alias/images", .target_key_id = id}).ok());
  const api::CallContext c = call(root(), kRegion, via_ec2());
  for (const std::string& ref : {id,
                                 arn,
                                 std::string("alias/images"),
                                 std::string("arn:aws:kms:us-west-2:111122223333:alias/images")}) {
    CAPTURE(ref);
    auto r = ebs.describe_key(c, ref);
    REQUIRE(r.ok());
    CHECK(*r == arn);
  }
  CHECK(ebs.describe_key(c, "alias/none").error().code == "NotFoundException");
  auto dk = ebs.generate_data_key(c, arn, "snap-1");
  REQUIRE(dk.ok());
  REQUIRE(w.kms.disable_key(call(root()), {.key_id = arn}).ok());
  auto disabled = ebs.generate_data_key(c, arn, "snap-2");
  REQUIRE_FALSE(disabled.ok());
  CHECK(disabled.error().code == "DisabledException");
  CHECK(disabled.error().message == arn + " is disabled.");
  CHECK(ebs.decrypt_data_key(c, dk->wrapped, "snap-1").error().code == "DisabledException");
  CHECK(ebs.describe_key(c, arn).ok());  // DescribeKey works in every state.
  // A wrapped key that claims another key ARN than its blob's is refused.
  REQUIRE(w.kms.enable_key(call(root()), {.key_id = arn}).ok());
  WrappedDataKey mislabelled = dk->wrapped;
  mislabelled.key_arn = w.create_key();
  CHECK(ebs.decrypt_data_key(c, mislabelled, "snap-1").error().code == "IncorrectKeyException");
  // Decryption happens in the key's region.
  CHECK(ebs.decrypt_data_key(call(root(), "eu-west-1", via_ec2("eu-west-1")), dk->wrapped, "snap-1")
            .error()
            .code
        == "InvalidCiphertextException");
}

TEST_CASE("EbsKeyService: seeded data keys need no caller and unwrap like any other", "[kms]") {
  World w;
  EbsKeyService& ebs = w.kms;
  const std::string arn = w.create_key();
  auto seeded = ebs.seed_data_key(arn, "snap-seed");
  REQUIRE(seeded.ok());
  CHECK(seeded->wrapped.key_arn == arn);
  auto back = ebs.decrypt_data_key(call(root(), kRegion, via_ec2()), seeded->wrapped, "snap-seed");
  REQUIRE(back.ok());
  CHECK(*back == seeded->plaintext);
  CHECK(ebs.seed_data_key("arn:aws:kms:us-west-2:111122223333:key/none", "snap").error().code
        == "NotFoundException");
}

TEST_CASE("EbsKeyService: the Image Builder service-linked role policy shape works via EC2",
          "[kms]") {
  World w;
  EbsKeyService& ebs = w.kms;
  const std::string arn = w.create_key();
  // The SLR's KMS statements (aws-facts §2.1): crypto only with the aws:ebs:id context key and
  // through EC2; CreateGrant only for AWS resources.
  const api::Principal slr =
      api::Principal::assumed_role(account(kOwner),
                                   "AWSServiceRoleForImageBuilder",
                                   "/aws-service-role/imagebuilder.amazonaws.com/",
                                   "ImageBuilder",
                                   "AROASLR");
  w.authz.add_identity_policy(
      slr.role_arn,
      policy_doc(
          {R"({"Effect":"Allow","Action":["kms:Decrypt","kms:Encrypt","kms:GenerateDataKeyWithoutPlaintext","kms:ReEncryptFrom","kms:ReEncryptTo"],"Resource":"*",)"
           R"("Condition":{"ForAllValues:StringEquals":{"kms:EncryptionContextKeys":["aws:ebs:id"]},"StringLike":{"kms:ViaService":["ec2.*.amazonaws.com"]}}})",
           R"({"Effect":"Allow","Action":"kms:DescribeKey","Resource":"*","Condition":{"StringLike":{"kms:ViaService":["ec2.*.amazonaws.com"]}}})",
           R"({"Effect":"Allow","Action":"kms:CreateGrant","Resource":"*","Condition":{"Bool":{"kms:GrantIsForAWSResource":true},"StringLike":{"kms:ViaService":["ec2.*.amazonaws.com"]}}})"}));
  const api::CallContext via = call(slr, kRegion, via_ec2());
  auto dk = ebs.generate_data_key(via, arn, "snap-1");
  REQUIRE(dk.ok());
  CHECK(ebs.decrypt_data_key(via, dk->wrapped, "snap-1").ok());
  // Directly, the same role can do nothing with the key.
  CHECK(
      w.kms
          .encrypt(
              call(slr),
              {.key_id = arn, .plaintext = bytes("x"), .encryption_context = {{"aws:ebs:id", "s"}}})
          .error()
          .code
      == "AccessDeniedException");
}

}  // namespace
}  // namespace ibsim::mock_aws::kms::testing
