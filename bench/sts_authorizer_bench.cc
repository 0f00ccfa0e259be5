// StsAuthorizer on the hot path: a role session (from a real AssumeRole) authorizing kms:Decrypt
// through EC2 against another account's key policy, as every EBS data-key unwrap during a
// cross-account copy does. Items/s is authorizations per second on one core; the headline is
// BM_StsAuthorizer_SessionKmsDecryptCrossAccount. The denied case includes building the
// explanation JSON (the slow path, taken only on failures).

#include <cstdint>
#include <memory>
#include <string>

#include <benchmark/benchmark.h>

#include "mock_aws/api/call_context.h"
#include "mock_aws/services/world.h"
#include "mock_aws/sts/sts_authorizer.h"
#include "sim/base/assert.h"
#include "sim/context.h"

namespace ibsim::mock_aws {
namespace {

constexpr std::string_view kKeyPolicy = R"({
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
     "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "Allow use of the key", "Effect": "Allow",
     "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
     "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                "kms:DescribeKey"],
     "Resource": "*"},
    {"Sid": "Allow attachment of persistent resources", "Effect": "Allow",
     "Principal": {"AWS": "arn:aws:iam::444455556666:root"},
     "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], "Resource": "*",
     "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}}
  ]
})";

constexpr std::string_view kRoleKmsPolicy = R"({
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow",
     "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                "kms:DescribeKey", "kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
     "Resource": "*"}
  ]
})";

constexpr std::string_view kKeyArn =
    "arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

struct Setup {
  sim::Context ctx{{.seed = 42}};
  services::World world{ctx};
  std::shared_ptr<const policy::Policy> key_policy;
  api::CallContext session;

  Setup() {
    const api::AccountId source = api::AccountId::from_valid("111122223333");
    const api::AccountId target = api::AccountId::from_valid("444455556666");
    IBSIM_ASSERT(world.add_account(source).ok() && world.add_account(target).ok(), "bench setup");
    api::iam::CreateRoleInput role;
    role.role_name = "EC2ImageBuilderDistributionCrossAccountRole";
    role.assume_role_policy_document =
        R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]})";
    IBSIM_ASSERT(world.iam().seed_role(target, role).ok(), "bench setup");
    IBSIM_ASSERT(
        world.iam()
            .seed_put_role_policy(target, {role.role_name, "Kms", std::string(kRoleKmsPolicy)})
            .ok(),
        "bench setup");
    IBSIM_ASSERT(world.iam()
                     .seed_attach_role_policy(
                         target,
                         {role.role_name,
                          "arn:aws:iam::aws:policy/Ec2ImageBuilderCrossAccountDistributionAccess"})
                     .ok(),
                 "bench setup");
    // The Image Builder chain: service -> SLR session -> the target's distribution role.
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
    session.principal = world.sts().resolve_access_key(xacct->credentials.access_key_id)->principal;
    session.access_key_id = xacct->credentials.access_key_id;
    session.region = api::Region::from_known("us-west-2");
    session.via_service = "ec2.us-west-2.amazonaws.com";
    session.request_unix_ms = ctx.unix_ms();
    auto parsed = policy::parse_policy(kKeyPolicy, policy::PolicyKind::kKey, {.name = "KeyPolicy"});
    IBSIM_ASSERT(parsed.ok(), "bench setup");
    key_policy = std::make_shared<const policy::Policy>(std::move(parsed).value());
  }

  auth::AuthzRequest decrypt(std::string_view action = "kms:Decrypt") const {
    auth::AuthzRequest r;
    r.action = action;
    r.resource = kKeyArn;
    r.resource_policy = key_policy.get();
    r.keys = {{"kms:CallerAccount", {"444455556666"}, false},
              {"kms:EncryptionContextKeys", {"aws:ebs:id"}, true}};
    return r;
  }
};

void BM_StsAuthorizer_SessionKmsDecryptCrossAccount(benchmark::State& state) {
  Setup s;
  const auth::AuthzRequest request = s.decrypt();
  auth::Authorizer& authz = s.world.authorizer();
  for (auto _ : state) {
    auth::AuthzResult r = authz.authorize(s.session, request);
    benchmark::DoNotOptimize(r);
    if (!r.allowed()) {
      state.SkipWithError("expected an allow");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_StsAuthorizer_SessionKmsDecryptCrossAccount);

void BM_StsAuthorizer_SessionNoResourcePolicy(benchmark::State& state) {
  Setup s;
  auth::AuthzRequest request;
  request.action = "ec2:CopyImage";
  request.resource = "*";
  auth::Authorizer& authz = s.world.authorizer();
  for (auto _ : state) {
    auth::AuthzResult r = authz.authorize(s.session, request);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_StsAuthorizer_SessionNoResourcePolicy);

void BM_StsAuthorizer_DeniedWithExplanation(benchmark::State& state) {
  Setup s;
  const auth::AuthzRequest request = s.decrypt("kms:ScheduleKeyDeletion");
  auth::Authorizer& authz = s.world.authorizer();
  for (auto _ : state) {
    auth::AuthzResult r = authz.authorize(s.session, request);
    benchmark::DoNotOptimize(r);
    if (r.allowed()) {
      state.SkipWithError("expected a denial");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_StsAuthorizer_DeniedWithExplanation);

}  // namespace
}  // namespace ibsim::mock_aws

BENCHMARK_MAIN();
