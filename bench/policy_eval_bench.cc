// Policy engine benchmarks. The headline is BM_Policy_KmsCrossAccount: a typical KMS key policy
// (root delegation, cross-account use conditioned on kms:ViaService and kms:CallerAccount, grants
// for AWS resources, a deny) plus the caller's identity policy, evaluated for a cross-account
// kms:Decrypt through EC2. Items/s is evaluations per second on one core; policies are parsed and
// the request context built once, as the services do per key and per request.

#include <string>

#include <benchmark/benchmark.h>

#include "mock_aws/policy/evaluate.h"
#include "mock_aws/policy/explain.h"
#include "mock_aws/policy/policy.h"
#include "mock_aws/policy/request_context.h"
#include "sim/base/assert.h"

namespace ibsim::mock_aws::policy {
namespace {

constexpr const char* kKeyPolicy = R"({
  "Version": "2012-10-17",
  "Id": "key-consolepolicy-3",
  "Statement": [
    {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
     "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "kms:*", "Resource": "*"},
    {"Sid": "Allow use of the key", "Effect": "Allow",
     "Principal": {"AWS": ["arn:aws:iam::444455556666:root", "arn:aws:iam::777788889999:root"]},
     "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                "kms:DescribeKey"],
     "Resource": "*",
     "Condition": {"StringLike": {"kms:ViaService": "ec2.*.amazonaws.com"},
                   "StringEquals": {"kms:CallerAccount": ["444455556666", "777788889999"]}}},
    {"Sid": "Allow attachment of persistent resources", "Effect": "Allow",
     "Principal": {"AWS": ["arn:aws:iam::444455556666:root", "arn:aws:iam::777788889999:root"]},
     "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"], "Resource": "*",
     "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}}},
    {"Sid": "Deny key deletion", "Effect": "Deny", "Principal": "*",
     "Action": ["kms:ScheduleKeyDeletion", "kms:DisableKey"], "Resource": "*"}
  ]})";

constexpr const char* kRolePolicy = R"({"Version": "2012-10-17", "Statement": [{
  "Sid": "KmsForDistribution", "Effect": "Allow",
  "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
             "kms:DescribeKey", "kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
  "Resource": "*"}]})";

constexpr const char* kKeyArn =
    "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

Policy must_parse(const char* text, PolicyKind kind, const char* name) {
  sim::Result<Policy> p = parse_policy(text, kind, ParseOptions{.name = name});
  IBSIM_ASSERT(p.ok(), "benchmark policies are valid");
  return std::move(p).value();
}

struct KmsSetup {
  Policy key = must_parse(kKeyPolicy, PolicyKind::kKey, "KeyPolicy");
  Policy role = must_parse(kRolePolicy, PolicyKind::kIdentity, "inline:Kms");
  PolicySet set{.identity = {&role}, .resource = &key};

  static RequestContext cross_account_decrypt() {
    RequestContext ctx(api::Principal::assumed_role(api::AccountId::from_valid("444455556666"),
                                                    "EC2ImageBuilderDistributionCrossAccountRole",
                                                    "/",
                                                    "ImageBuilder",
                                                    "AROAEXAMPLEROLEID"),
                       "kms:Decrypt",
                       kKeyArn);
    ctx.set("kms:ViaService", "ec2.us-east-1.amazonaws.com");
    ctx.set("kms:CallerAccount", "444455556666");
    return ctx;
  }
};

void BM_Policy_KmsCrossAccount(benchmark::State& state) {
  const KmsSetup s;
  const RequestContext ctx = KmsSetup::cross_account_decrypt();
  IBSIM_ASSERT(evaluate(s.set, ctx).allowed(), "the benchmark request is allowed");
  for (auto _ : state) {
    Decision d = evaluate(s.set, ctx);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_Policy_KmsCrossAccount);

// The implicit-deny path: called directly, not through EC2, so the condition fails.
void BM_Policy_KmsCrossAccountDenied(benchmark::State& state) {
  const KmsSetup s;
  RequestContext ctx = KmsSetup::cross_account_decrypt();
  ctx.erase("kms:ViaService");
  IBSIM_ASSERT(!evaluate(s.set, ctx).allowed(), "the benchmark request is denied");
  for (auto _ : state) {
    Decision d = evaluate(s.set, ctx);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_Policy_KmsCrossAccountDenied);

// The key's own account: the root statement delegates to the identity policy.
void BM_Policy_KmsSameAccountDelegation(benchmark::State& state) {
  const KmsSetup s;
  const RequestContext ctx(
      api::Principal::assumed_role(
          api::AccountId::from_valid("111122223333"), "App", "/", "s", "AROAAPP"),
      "kms:GenerateDataKey",
      kKeyArn);
  IBSIM_ASSERT(evaluate(s.set, ctx).allowed(), "the benchmark request is allowed");
  for (auto _ : state) {
    Decision d = evaluate(s.set, ctx);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_Policy_KmsSameAccountDelegation);

// What a caller pays per request before evaluating: the context with its global keys.
void BM_Policy_BuildRequestContext(benchmark::State& state) {
  for (auto _ : state) {
    RequestContext ctx = KmsSetup::cross_account_decrypt();
    benchmark::DoNotOptimize(ctx);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_Policy_BuildRequestContext);

// Parsing is done once per policy version; shown for scale.
void BM_Policy_ParseKeyPolicy(benchmark::State& state) {
  for (auto _ : state) {
    sim::Result<Policy> p = parse_policy(kKeyPolicy, PolicyKind::kKey);
    benchmark::DoNotOptimize(p);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_Policy_ParseKeyPolicy);

// The explained form (traces, summary, fixes) that `ibsim explain` and error paths use.
void BM_Policy_ExplainDenied(benchmark::State& state) {
  const KmsSetup s;
  RequestContext ctx = KmsSetup::cross_account_decrypt();
  ctx.erase("kms:ViaService");
  for (auto _ : state) {
    Explanation e = explain(s.set, ctx);
    benchmark::DoNotOptimize(e);
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_Policy_ExplainDenied);

}  // namespace
}  // namespace ibsim::mock_aws::policy

BENCHMARK_MAIN();
