// KMS model throughput: Encrypt + Decrypt of a 32-byte data key through KmsModel, authorization
// included (key policy + the caller's identity policy through the policy engine, via the KMS
// tests' TestAuthorizer), real AES-256-GCM, IVs from the seeded RNG. Items/s is pairs per
// second on one core. Variants: a same-account role session (the root statement delegates to its
// IAM policy), the same with the EBS encryption context, and a cross-account session allowed by
// the key policy and its IAM policy. BM_EncryptDecrypt32_CrossAccountSts is the same cross-account
// pair through the production authorizer (sts::StsAuthorizer in a services::World: the role's IAM
// policies, a session from a real AssumeRole, the request's time keys); it is the headline.
//
//   cmake --build build/kms --target kms_model_bench && build/kms/bench/kms_model_bench

#include <cstdint>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "mock_aws/api/arn.h"
#include "mock_aws/kms/kms_model.h"
#include "mock_aws/services/world.h"
#include "sim/base/assert.h"
#include "sim/context.h"
#include "tests/mock_aws/kms/test_authorizer.h"

namespace ibsim::mock_aws::kms {
namespace {

constexpr std::string_view kOwner = "111122223333";
constexpr std::string_view kOther = "444455556666";

// Allows everything without evaluating: isolates the model's own cost (lookup, key state, RNG,
// AES-GCM, blob format, outputs) from the policy engine's.
class AllowAllAuthorizer final : public auth::Authorizer {
 public:
  auth::AuthzResult authorize(const api::CallContext&, const auth::AuthzRequest&) override {
    auth::AuthzResult r;
    r.decision.outcome = policy::Outcome::kAllow;
    return r;
  }
};

struct Fixture {
  Fixture(bool cross_account, bool evaluate_policies)
      : ctx(sim::Context::Options{.seed = 1}),
        kms(ctx, evaluate_policies ? static_cast<auth::Authorizer&>(authz) : allow_all) {
    const api::AccountId owner = api::AccountId::from_valid(kOwner);
    const api::AccountId caller_account =
        api::AccountId::from_valid(cross_account ? kOther : kOwner);
    api::CallContext admin;
    admin.principal = api::Principal::root(owner);
    admin.region = api::Region::from_known("us-west-2");
    api::kms::CreateKeyInput in;
    if (cross_account) {
      in.policy =
          R"({"Version":"2012-10-17","Statement":[)"
          R"({"Sid":"Root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},)"
          R"({"Sid":"Target","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},)"
          R"("Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*"}]})";
    }
    auto key = kms.create_key(admin, in);
    IBSIM_ASSERT(key.ok(), "the benchmark key is created");
    key_arn = key->key_metadata.arn;
    caller.principal = api::Principal::assumed_role(caller_account,
                                                    "EC2ImageBuilderDistributionCrossAccountRole",
                                                    "/",
                                                    "ImageBuilder",
                                                    "AROA1");
    caller.region = admin.region;
    authz.add_identity_policy(
        caller.principal.role_arn,
        R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey","kms:CreateGrant","kms:ListGrants","kms:RevokeGrant"],"Resource":")"
            + key_arn + R"("}]})");
  }

  sim::Context ctx;
  testing::TestAuthorizer authz;
  AllowAllAuthorizer allow_all;
  KmsModel kms;
  std::string key_arn;
  api::CallContext caller;
};

void run_pairs(benchmark::State& state,
               bool cross_account,
               bool ebs_context,
               bool evaluate_policies = true) {
  Fixture f(cross_account, evaluate_policies);
  api::kms::EncryptInput enc{.key_id = f.key_arn, .plaintext = std::vector<uint8_t>(32, 0x42)};
  if (ebs_context) {
    enc.encryption_context.emplace("aws:ebs:id", "snap-0123456789abcdef0");
  }
  api::kms::DecryptInput dec;
  dec.encryption_context = enc.encryption_context;
  for (auto _ : state) {
    auto sealed = f.kms.encrypt(f.caller, enc);
    if (!sealed.ok()) {
      state.SkipWithError(sealed.error().message.c_str());
      break;
    }
    dec.ciphertext_blob = std::move(sealed->ciphertext_blob);
    auto opened = f.kms.decrypt(f.caller, dec);
    if (!opened.ok()) {
      state.SkipWithError(opened.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(opened->plaintext.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void BM_EncryptDecrypt32_SameAccount(benchmark::State& state) {
  run_pairs(state, /*cross_account=*/false, /*ebs_context=*/false);
}

void BM_EncryptDecrypt32_SameAccountEbsContext(benchmark::State& state) {
  run_pairs(state, /*cross_account=*/false, /*ebs_context=*/true);
}

void BM_EncryptDecrypt32_CrossAccount(benchmark::State& state) {
  run_pairs(state, /*cross_account=*/true, /*ebs_context=*/false);
}

// The cross-account pair through the real StsAuthorizer: a World with both accounts, the target's
// distribution role with an inline KMS policy, and a session of it from a real AssumeRole chain
// (Image Builder's service-linked role in the source account assuming it).
void BM_EncryptDecrypt32_CrossAccountSts(benchmark::State& state) {
  sim::Context ctx(sim::Context::Options{.seed = 1});
  services::World world(ctx);
  const api::AccountId owner = api::AccountId::from_valid(kOwner);
  const api::AccountId target = api::AccountId::from_valid(kOther);
  IBSIM_ASSERT(world.add_account(owner).ok() && world.add_account(target).ok(), "bench setup");
  api::CallContext admin;
  admin.principal = api::Principal::root(owner);
  admin.region = api::Region::from_known("us-west-2");
  api::kms::CreateKeyInput in;
  in.policy =
      R"({"Version":"2012-10-17","Statement":[)"
      R"({"Sid":"Root","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"},)"
      R"({"Sid":"Target","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::444455556666:root"},)"
      R"("Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*"}]})";
  auto key = world.kms().create_key(admin, in);
  IBSIM_ASSERT(key.ok(), "the benchmark key is created");
  const std::string key_arn = key->key_metadata.arn;

  api::iam::CreateRoleInput role;
  role.role_name = "EC2ImageBuilderDistributionCrossAccountRole";
  role.assume_role_policy_document =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]})";
  IBSIM_ASSERT(world.iam().seed_role(target, role).ok(), "bench setup");
  IBSIM_ASSERT(
      world.iam()
          .seed_put_role_policy(
              target,
              {role.role_name,
               "Kms",
               R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*","kms:GenerateDataKey*","kms:DescribeKey","kms:CreateGrant","kms:ListGrants","kms:RevokeGrant"],"Resource":")"
                   + key_arn + R"("}]})"})
          .ok(),
      "bench setup");
  api::CallContext service;
  service.principal = api::Principal::service("imagebuilder.amazonaws.com");
  auto slr = world.sts().assume_role(
      service,
      {.role_arn = "arn:aws:iam::111122223333:role/aws-service-role/imagebuilder.amazonaws.com/"
                   "AWSServiceRoleForImageBuilder",
       .role_session_name = "ImageBuilder"});
  IBSIM_ASSERT(slr.ok(), "bench setup");
  api::CallContext slr_ctx;
  slr_ctx.principal = world.sts().resolve_access_key(slr->credentials.access_key_id)->principal;
  slr_ctx.access_key_id = slr->credentials.access_key_id;
  auto xacct = world.sts().assume_role(
      slr_ctx,
      {.role_arn = "arn:aws:iam::444455556666:role/EC2ImageBuilderDistributionCrossAccountRole",
       .role_session_name = "ImageBuilder"});
  IBSIM_ASSERT(xacct.ok(), "bench setup");
  api::CallContext caller;
  caller.principal = world.sts().resolve_access_key(xacct->credentials.access_key_id)->principal;
  caller.access_key_id = xacct->credentials.access_key_id;
  caller.region = admin.region;
  caller.request_unix_ms = ctx.unix_ms();

  api::kms::EncryptInput enc{.key_id = key_arn, .plaintext = std::vector<uint8_t>(32, 0x42)};
  api::kms::DecryptInput dec;
  for (auto _ : state) {
    auto sealed = world.kms().encrypt(caller, enc);
    if (!sealed.ok()) {
      state.SkipWithError(sealed.error().message.c_str());
      break;
    }
    dec.ciphertext_blob = std::move(sealed->ciphertext_blob);
    auto opened = world.kms().decrypt(caller, dec);
    if (!opened.ok()) {
      state.SkipWithError(opened.error().message.c_str());
      break;
    }
    benchmark::DoNotOptimize(opened->plaintext.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

// Not the headline: the same pairs with an authorizer that allows without evaluating.
void BM_EncryptDecrypt32_ModelOnly(benchmark::State& state) {
  run_pairs(state, /*cross_account=*/false, /*ebs_context=*/false, /*evaluate_policies=*/false);
}

BENCHMARK(BM_EncryptDecrypt32_SameAccount);
BENCHMARK(BM_EncryptDecrypt32_SameAccountEbsContext);
BENCHMARK(BM_EncryptDecrypt32_CrossAccount);
BENCHMARK(BM_EncryptDecrypt32_CrossAccountSts);
BENCHMARK(BM_EncryptDecrypt32_ModelOnly);

}  // namespace
}  // namespace ibsim::mock_aws::kms

BENCHMARK_MAIN();
