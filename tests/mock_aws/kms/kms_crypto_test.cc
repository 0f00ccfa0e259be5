// KMS model: Encrypt, Decrypt, ReEncrypt, GenerateDataKey* — round trips, wrong keys, tampering,
// encryption context, limits and determinism.

#include <catch2/catch.hpp>

#include "mock_aws/kms/ciphertext.h"
#include "mock_aws/kms/kms_model.h"
#include "tests/mock_aws/kms/kms_test_util.h"

namespace ibsim::mock_aws::kms::testing {
namespace {

using api::kms::EncryptionContext;

TEST_CASE("Encrypt and Decrypt: round trip by key id ARN and alias", "[kms]") {
  World w;
  const std::string arn = w.create_key();
  const std::string id = arn.substr(arn.rfind('/') + 1);
  REQUIRE(w.kms.create_alias(call(root()), {.alias_name = "alias/app", .target_key_id = id}).ok());
  const std::vector<uint8_t> data_key(32, 0xAB);
  for (const std::string& ref : {id, arn, std::string("alias/app")}) {
    CAPTURE(ref);
    auto enc = w.kms.encrypt(call(root()), {.key_id = ref, .plaintext = data_key});
    REQUIRE(enc.ok());
    CHECK(enc->key_id == arn);
    CHECK(enc->encryption_algorithm == "SYMMETRIC_DEFAULT");
    CHECK(enc->ciphertext_blob.size() == 1 + 2 + arn.size() + 12 + 16 + 32);
    auto without_key_id = w.kms.decrypt(call(root()), {.ciphertext_blob = enc->ciphertext_blob});
    REQUIRE(without_key_id.ok());
    CHECK(without_key_id->plaintext == data_key);
    CHECK(without_key_id->key_id == arn);
    auto with_key_id =
        w.kms.decrypt(call(root()), {.ciphertext_blob = enc->ciphertext_blob, .key_id = ref});
    REQUIRE(with_key_id.ok());
    CHECK(with_key_id->plaintext == data_key);
  }
  // Two encryptions of the same plaintext differ (fresh IV each time).
  CHECK(w.encrypt_as_owner(arn, "same") != w.encrypt_as_owner(arn, "same"));
}

TEST_CASE("Decrypt: a KeyId naming another key is IncorrectKeyException", "[kms]") {
  World w;
  const std::string a = w.create_key();
  const std::string b = w.create_key();
  const auto blob = w.encrypt_as_owner(a, "secret");
  auto r = w.kms.decrypt(call(root()), {.ciphertext_blob = blob, .key_id = b});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "IncorrectKeyException");
  auto missing =
      w.kms.decrypt(call(root()), {.ciphertext_blob = blob, .key_id = std::string("alias/none")});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == "NotFoundException");
}

TEST_CASE("Decrypt: a blob relabelled with another key's ARN does not decrypt", "[kms]") {
  World w;
  const std::string a = w.create_key();
  const std::string b = w.create_key();
  REQUIRE(a.size() == b.size());
  auto blob = w.encrypt_as_owner(a, "secret");
  std::copy(b.begin(), b.end(), blob.begin() + 3);
  auto r = w.kms.decrypt(call(root()), {.ciphertext_blob = blob});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "InvalidCiphertextException");
  CHECK(r.error().message.empty());
}

TEST_CASE("Decrypt: changing any byte of the blob is InvalidCiphertextException", "[kms]") {
  World w;
  const std::string arn = w.create_key();
  const EncryptionContext context{{"aws:ebs:id", "snap-0123456789abcdef0"}};
  const auto blob = w.encrypt_as_owner(arn, "0123456789abcdef0123456789abcdef", context);
  // Every region: version, ARN length, ARN, IV, tag, ciphertext.
  for (std::size_t i = 0; i < blob.size(); ++i) {
    for (uint8_t flip : {uint8_t{0x01}, uint8_t{0x80}}) {
      CAPTURE(i, flip);
      auto tampered = blob;
      tampered[i] ^= flip;
      auto r =
          w.kms.decrypt(call(root()), {.ciphertext_blob = tampered, .encryption_context = context});
      REQUIRE_FALSE(r.ok());
      CHECK(r.error().code == "InvalidCiphertextException");
      CHECK(r.error().message.empty());
    }
  }
  // Truncated and extended blobs as well.
  auto shorter = blob;
  shorter.pop_back();
  CHECK(w.kms.decrypt(call(root()), {.ciphertext_blob = shorter, .encryption_context = context})
            .error()
            .code
        == "InvalidCiphertextException");
  auto longer = blob;
  longer.push_back(0);
  CHECK(w.kms.decrypt(call(root()), {.ciphertext_blob = longer, .encryption_context = context})
            .error()
            .code
        == "InvalidCiphertextException");
  CHECK(w.kms.decrypt(call(root()), {.ciphertext_blob = blob, .encryption_context = context}).ok());
}

TEST_CASE("Decrypt: the encryption context must match exactly", "[kms]") {
  World w;
  const std::string arn = w.create_key();
  EncryptionContext context;
  context.emplace("purpose", "ami-copy");
  context.emplace("aws:ebs:id", "snap-1");
  const auto blob = w.encrypt_as_owner(arn, "secret", context);
  // Order-independent: built in the other order, it is the same context.
  EncryptionContext reordered;
  reordered.emplace("aws:ebs:id", "snap-1");
  reordered.emplace("purpose", "ami-copy");
  CHECK(
      w.kms.decrypt(call(root()), {.ciphertext_blob = blob, .encryption_context = reordered}).ok());
  const std::vector<EncryptionContext> wrong{
      {},
      {{"purpose", "ami-copy"}},
      {{"purpose", "ami-copy"}, {"aws:ebs:id", "snap-2"}},
      {{"purpose", "ami-copy"}, {"aws:ebs:id", "snap-1"}, {"extra", ""}},
      {{"Purpose", "ami-copy"}, {"aws:ebs:id", "snap-1"}},
      {{"purpose", "AMI-copy"}, {"aws:ebs:id", "snap-1"}},
  };
  for (const EncryptionContext& c : wrong) {
    auto r = w.kms.decrypt(call(root()), {.ciphertext_blob = blob, .encryption_context = c});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "InvalidCiphertextException");
    CHECK(r.error().message.empty());
  }
  // {"ab":"c"} and {"a":"bc"} never stand in for each other.
  const auto ab = w.encrypt_as_owner(arn, "secret", {{"ab", "c"}});
  CHECK(w.kms.decrypt(call(root()), {.ciphertext_blob = ab, .encryption_context = {{"a", "bc"}}})
            .error()
            .code
        == "InvalidCiphertextException");
  CHECK(w.kms.decrypt(call(root()), {.ciphertext_blob = ab, .encryption_context = {{"ab", "c"}}})
            .ok());
}

TEST_CASE("Decrypt: a blob from another region or no blob at all", "[kms]") {
  World w;
  const std::string arn = w.create_key();
  const auto blob = w.encrypt_as_owner(arn, "secret");
  auto other_region = w.kms.decrypt(call(root(), "eu-west-1"), {.ciphertext_blob = blob});
  REQUIRE_FALSE(other_region.ok());
  CHECK(other_region.error().code == "InvalidCiphertextException");
  auto empty = w.kms.decrypt(call(root()), {.ciphertext_blob = {}});
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().code == "ValidationException");
  auto garbage = w.kms.decrypt(call(root()), {.ciphertext_blob = bytes("not a ciphertext at all")});
  REQUIRE_FALSE(garbage.ok());
  CHECK(garbage.error().code == "InvalidCiphertextException");
  auto huge = w.kms.decrypt(call(root()), {.ciphertext_blob = std::vector<uint8_t>(6145, 1)});
  REQUIRE_FALSE(huge.ok());
  CHECK(huge.error().code == "ValidationException");
}

TEST_CASE("Encrypt: the plaintext is 1 to 4096 bytes", "[kms]") {
  World w;
  const std::string arn = w.create_key();
  auto empty = w.kms.encrypt(call(root()), {.key_id = arn, .plaintext = {}});
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().code == "ValidationException");
  CHECK(empty.error().message
        == "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: "
           "Member must have length greater than or equal to 1");
  auto too_long =
      w.kms.encrypt(call(root()), {.key_id = arn, .plaintext = std::vector<uint8_t>(4097, 1)});
  REQUIRE_FALSE(too_long.ok());
  CHECK(too_long.error().message
        == "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: "
           "Member must have length less than or equal to 4096");
  const std::vector<uint8_t> largest(4096, 7);
  auto ok = w.kms.encrypt(call(root()), {.key_id = arn, .plaintext = largest});
  REQUIRE(ok.ok());
  CHECK(ok->ciphertext_blob.size() <= 6144);
  CHECK(w.kms.decrypt(call(root()), {.ciphertext_blob = ok->ciphertext_blob})->plaintext
        == largest);
  auto rsa = w.kms.encrypt(call(root()),
                           {.key_id = arn,
                            .plaintext = bytes("x"),
                            .encryption_algorithm = std::string("RSAES_OAEP_SHA_256")});
  REQUIRE_FALSE(rsa.ok());
  CHECK(rsa.error().code == "InvalidKeyUsageException");
  auto dry = w.kms.encrypt(call(root()), {.key_id = arn, .plaintext = bytes("x"), .dry_run = true});
  REQUIRE_FALSE(dry.ok());
  CHECK(dry.error().code == "DryRunOperationException");
}

TEST_CASE("GrantTokens: at most ten and each well formed", "[kms]") {
  World w;
  const std::string arn = w.create_key();
  auto too_many = w.kms.encrypt(
      call(root()),
      {.key_id = arn, .plaintext = bytes("x"), .grant_tokens = std::vector<std::string>(11, "t")});
  REQUIRE_FALSE(too_many.ok());
  CHECK(too_many.error().code == "ValidationException");
  auto empty =
      w.kms.encrypt(call(root()), {.key_id = arn, .plaintext = bytes("x"), .grant_tokens = {""}});
  REQUIRE_FALSE(empty.ok());
  CHECK(empty.error().code == "InvalidGrantTokenException");
  CHECK(w.kms
            .encrypt(call(root()),
                     {.key_id = arn,
                      .plaintext = bytes("x"),
                      .grant_tokens = std::vector<std::string>(10, "t")})
            .ok());
}

TEST_CASE("ReEncrypt: moves a ciphertext to another key and context", "[kms]") {
  World w;
  const std::string a = w.create_key();
  const std::string b = w.create_key();
  const auto blob = w.encrypt_as_owner(a, "secret", {{"k", "1"}});
  auto moved = w.kms.re_encrypt(call(root()),
                                {.ciphertext_blob = blob,
                                 .source_encryption_context = {{"k", "1"}},
                                 .destination_key_id = b,
                                 .destination_encryption_context = {{"k", "2"}}});
  REQUIRE(moved.ok());
  CHECK(moved->source_key_id == a);
  CHECK(moved->key_id == b);
  auto plain = w.kms.decrypt(
      call(root()),
      {.ciphertext_blob = moved->ciphertext_blob, .encryption_context = {{"k", "2"}}});
  REQUIRE(plain.ok());
  CHECK(plain->plaintext == bytes("secret"));
  CHECK(plain->key_id == b);
  auto wrong_source_context =
      w.kms.re_encrypt(call(root()), {.ciphertext_blob = blob, .destination_key_id = b});
  REQUIRE_FALSE(wrong_source_context.ok());
  CHECK(wrong_source_context.error().code == "InvalidCiphertextException");
  auto wrong_source_key = w.kms.re_encrypt(call(root()),
                                           {.ciphertext_blob = blob,
                                            .source_encryption_context = {{"k", "1"}},
                                            .source_key_id = b,
                                            .destination_key_id = b});
  REQUIRE_FALSE(wrong_source_key.ok());
  CHECK(wrong_source_key.error().code == "IncorrectKeyException");
}

TEST_CASE("ReEncrypt: needs kms:ReEncryptFrom on the source and kms:ReEncryptTo on the destination",
          "[kms]") {
  World w;
  const std::string a = w.create_key();
  const std::string b = w.create_key();
  const auto blob = w.encrypt_as_owner(a, "secret");
  const api::Principal alice = user(kOwner, "alice");
  const api::CallContext c = call(alice);
  auto none = w.kms.re_encrypt(c, {.ciphertext_blob = blob, .destination_key_id = b});
  REQUIRE_FALSE(none.ok());
  CHECK(none.error().message
        == "User: " + alice.arn + " is not authorized to perform: kms:ReEncryptFrom on resource: "
               + a + " because no identity-based policy allows the kms:ReEncryptFrom action");
  w.authz.add_identity_policy(alice.arn, policy_doc({allow(R"("kms:ReEncryptFrom")", a)}));
  auto half = w.kms.re_encrypt(c, {.ciphertext_blob = blob, .destination_key_id = b});
  REQUIRE_FALSE(half.ok());
  CHECK(half.error().message
        == "User: " + alice.arn + " is not authorized to perform: kms:ReEncryptTo on resource: " + b
               + " because no identity-based policy allows the kms:ReEncryptTo action");
  w.authz.add_identity_policy(alice.arn, policy_doc({allow(R"("kms:ReEncryptTo")", b)}));
  CHECK(w.kms.re_encrypt(c, {.ciphertext_blob = blob, .destination_key_id = b}).ok());
  // kms:Decrypt alone is not kms:ReEncryptFrom.
  CHECK(w.kms.decrypt(c, {.ciphertext_blob = blob}).error().code == "AccessDeniedException");
}

TEST_CASE("GenerateDataKey: KeySpec or NumberOfBytes and the blob decrypts to the plaintext",
          "[kms]") {
  World w;
  const std::string arn = w.create_key();
  auto aes256 = w.kms.generate_data_key(
      call(root()),
      api::kms::GenerateDataKeyInput{
          .key_id = arn, .encryption_context = {{"a", "b"}}, .key_spec = std::string("AES_256")});
  REQUIRE(aes256.ok());
  CHECK(aes256->plaintext.size() == 32);
  CHECK(aes256->key_id == arn);
  auto back = w.kms.decrypt(
      call(root()),
      {.ciphertext_blob = aes256->ciphertext_blob, .encryption_context = {{"a", "b"}}});
  REQUIRE(back.ok());
  CHECK(back->plaintext == aes256->plaintext);
  auto aes128 = w.kms.generate_data_key(
      call(root()),
      api::kms::GenerateDataKeyInput{.key_id = arn, .key_spec = std::string("AES_128")});
  REQUIRE(aes128.ok());
  CHECK(aes128->plaintext.size() == 16);
  auto n = w.kms.generate_data_key(
      call(root()), api::kms::GenerateDataKeyInput{.key_id = arn, .number_of_bytes = 64});
  REQUIRE(n.ok());
  CHECK(n->plaintext.size() == 64);
  for (const auto& in :
       {api::kms::GenerateDataKeyInput{.key_id = arn},
        api::kms::GenerateDataKeyInput{
            .key_id = arn, .number_of_bytes = 32, .key_spec = std::string("AES_256")}}) {
    auto r = w.kms.generate_data_key(call(root()), in);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "ValidationException");
    CHECK(r.error().message == "Please specify either number of bytes or key spec.");
  }
  CHECK(
      w.kms
          .generate_data_key(call(root()),
                             api::kms::GenerateDataKeyInput{.key_id = arn, .number_of_bytes = 1025})
          .error()
          .code
      == "ValidationException");
  CHECK(w.kms
            .generate_data_key(
                call(root()),
                api::kms::GenerateDataKeyInput{.key_id = arn, .key_spec = std::string("AES_512")})
            .error()
            .code
        == "ValidationException");
}

TEST_CASE("GenerateDataKeyWithoutPlaintext: only the wrapped key and its own permission", "[kms]") {
  World w;
  const std::string arn = w.create_key();
  auto out = w.kms.generate_data_key_without_plaintext(
      call(root()), {.key_id = arn, .key_spec = std::string("AES_256")});
  REQUIRE(out.ok());
  auto back = w.kms.decrypt(call(root()), {.ciphertext_blob = out->ciphertext_blob});
  REQUIRE(back.ok());
  CHECK(back->plaintext.size() == 32);
  const api::Principal alice = user(kOwner, "alice");
  w.authz.add_identity_policy(alice.arn, policy_doc({allow(R"("kms:GenerateDataKey")")}));
  CHECK(w.kms
            .generate_data_key(
                call(alice),
                api::kms::GenerateDataKeyInput{.key_id = arn, .key_spec = std::string("AES_256")})
            .ok());
  auto r = w.kms.generate_data_key_without_plaintext(
      call(alice), {.key_id = arn, .key_spec = std::string("AES_256")});
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "AccessDeniedException");
}

// The same scripted session: ids, blobs and the trace depend only on the seed.
struct Transcript {
  std::vector<std::string> arns;
  std::vector<std::vector<uint8_t>> blobs;
  std::string grant_id;
  uint64_t trace_hash = 0;
};

Transcript script(uint64_t seed) {
  World w(seed);
  Transcript t;
  t.arns.push_back(w.create_key());
  t.arns.push_back(w.create_key());
  t.arns.push_back(w.kms.aws_managed_ebs_key(account(kOwner), region()));
  t.blobs.push_back(w.encrypt_as_owner(t.arns[0], "one", {{"k", "v"}}));
  t.blobs.push_back(w.encrypt_as_owner(t.arns[1], "two"));
  auto dk = w.kms.generate_data_key(
      call(root()),
      api::kms::GenerateDataKeyInput{.key_id = t.arns[0], .key_spec = std::string("AES_256")});
  t.blobs.push_back(dk->plaintext);
  t.blobs.push_back(dk->ciphertext_blob);
  auto g = w.kms.create_grant(
      call(root()),
      {.key_id = t.arns[0], .grantee_principal = role_arn(kOther), .operations = {"Decrypt"}});
  t.grant_id = g->grant_id;
  REQUIRE(w.kms.schedule_key_deletion(call(root()), {.key_id = t.arns[1]}).ok());
  w.ctx.scheduler().run();
  t.trace_hash = w.ctx.trace().hash();
  return t;
}

TEST_CASE("Determinism: the same seed gives the same key ids blobs and trace", "[kms]") {
  const Transcript a = script(42);
  const Transcript b = script(42);
  CHECK(a.arns == b.arns);
  CHECK(a.blobs == b.blobs);
  CHECK(a.grant_id == b.grant_id);
  CHECK(a.trace_hash == b.trace_hash);
  const Transcript c = script(43);
  CHECK(a.arns[0] != c.arns[0]);
  CHECK(a.blobs[0] != c.blobs[0]);
  CHECK(a.trace_hash != c.trace_hash);
}

TEST_CASE("Determinism: the aws/ebs key does not depend on when it is first used", "[kms]") {
  World early(9);
  const std::string first = early.kms.aws_managed_ebs_key(account(kOwner), region());
  World late(9);
  late.create_key();
  late.create_key({}, kOther);
  CHECK(late.kms.aws_managed_ebs_key(account(kOwner), region()) == first);
}

}  // namespace
}  // namespace ibsim::mock_aws::kms::testing
