// EC2 CopyImage at the model level, each copy run to completion in virtual time.
//   BM_Ec2_SameAccountUnencryptedCopy: a role copies its own unencrypted AMI to another region
//     (IAM on the source and the new image; the content buffer is shared, no crypto).
//   BM_Ec2_CrossAccountEncryptedCopy: Image Builder's cross-account role in the target account
//     copies an AMI shared with it, encrypted under the source's key, into its own key: IAM with
//     the launch-permission grant, DescribeKey at setup, then Decrypt + CreateGrant on the source
//     key and DescribeKey + CreateGrant + GenerateDataKeyWithoutPlaintext on the destination key
//     (key policies and IAM policies evaluated by the policy engine), the data key unwrapped and a
//     new one wrapped with AES-256-GCM, and the snapshot content decrypted and re-encrypted.
// Copies go in waves of 50 (the default cap), each wave run to completion in virtual time. Items/s
// is copies per second of CPU time on one core. The counter bytes_per_copy is the heap the model
// keeps per finished copy (image and snapshot records, ids, content, wrapped key), measured with
// mallinfo2 over a batch of 10,000.
//
//   build/release/bench/ec2_copy_bench --benchmark_min_time=2

#include <cstdint>
#include <memory>
#include <string>

#include <benchmark/benchmark.h>
#include <malloc.h>

#include "tests/mock_aws/ec2/ec2_test_support.h"

namespace ibsim::mock_aws::ec2 {
namespace {

using testing::Ec2World;
using testing::kSourceAccount;
using testing::kTargetAccount;
using testing::kUsEast1;
using testing::kUsWest2;

constexpr int kCopiesPerBatch = 10'000;
// Copies are issued in waves of the default cap (50 per destination account and region), each
// wave run to completion before the next, as a distribution engine would keep the cap full.
constexpr int kCopiesPerWave = 50;

// The managed policy Ec2ImageBuilderCrossAccountDistributionAccess plus the inline KMS policy the
// cross-account distribution guide asks for, and a few unrelated statements, as a real role has.
constexpr std::string_view kDistributionRolePolicy =
    R"({"Version":"2012-10-17","Statement":[)"
    R"({"Effect":"Allow","Action":"ec2:CreateTags","Resource":"arn:aws:ec2:*::image/*"},)"
    R"({"Effect":"Allow","Action":["ec2:DescribeImages","ec2:CopyImage",)"
    R"("ec2:ModifyImageAttribute"],"Resource":"*"},)"
    R"({"Effect":"Allow","Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*",)"
    R"("kms:GenerateDataKey*","kms:DescribeKey","kms:CreateGrant","kms:ListGrants",)"
    R"("kms:RevokeGrant"],"Resource":"*"},)"
    R"({"Effect":"Allow","Action":["ec2:CreateLaunchTemplateVersion","ec2:ModifyLaunchTemplate"],)"
    R"("Resource":"*","Condition":{"StringEquals":{"aws:ResourceTag/CreatedBy":"EC2 Image Builder"}}},)"
    R"({"Effect":"Allow","Action":"ec2:DescribeLaunchTemplates","Resource":"*"}]})";

constexpr std::string_view kOwnCopyPolicy =
    R"({"Version":"2012-10-17","Statement":[)"
    R"({"Effect":"Allow","Action":["ec2:CopyImage","ec2:DescribeImages"],"Resource":"*"},)"
    R"({"Effect":"Allow","Action":"ec2:CreateTags","Resource":"arn:aws:ec2:*::image/*",)"
    R"("Condition":{"StringEquals":{"aws:RequestTag/CreatedBy":"EC2 Image Builder"}}},)"
    R"({"Effect":"Deny","Action":"ec2:DeleteSnapshot","Resource":"*"}]})";

size_t heap_in_use() {
  return mallinfo2().uordblks;
}

struct Setup {
  std::unique_ptr<testing::AllowAllAuthorizer> allow_all;  // Set for the *_NoAuthz variants.
  std::unique_ptr<Ec2World> world;
  api::CallContext caller;
  api::ec2::CopyImageInput input;
};

std::unique_ptr<Ec2World> make_world(Setup& s, bool allow_all) {
  if (allow_all) {
    s.allow_all = std::make_unique<testing::AllowAllAuthorizer>();
  }
  return std::make_unique<Ec2World>(
      Ec2Model::Options{}, 42, /*record_trace=*/false, s.allow_all.get());
}

template <bool kAllowAll>
Setup same_account_setup() {
  Setup s;
  s.world = make_world(s, kAllowAll);
  s.world->authz().attach(Ec2World::role_arn(kSourceAccount, "Builder"), kOwnCopyPolicy);
  s.caller = s.world->role(kSourceAccount, "Builder", kUsWest2);
  s.input = {.name = "copy",
             .source_image_id = s.world->image(kSourceAccount),
             .source_region = "us-east-1"};
  return s;
}

template <bool kAllowAll>
Setup cross_account_setup() {
  Setup s;
  s.world = make_world(s, kAllowAll);
  Ec2World& w = *s.world;
  const std::string source_key =
      w.keys().create_key(kSourceAccount,
                          kUsEast1,
                          testing::FakeEbsKeys::shared_policy(kSourceAccount, kTargetAccount));
  const std::string target_key = w.keys().create_key(kTargetAccount, kUsWest2);
  const std::string image = w.image(kSourceAccount, kUsEast1, source_key);
  w.share(kSourceAccount, kUsEast1, image, kTargetAccount);
  const std::string role = "EC2ImageBuilderDistributionCrossAccountRole";
  w.authz().attach(Ec2World::role_arn(kTargetAccount, role), kDistributionRolePolicy);
  s.caller = w.role(kTargetAccount, role, kUsWest2);
  s.input = {.name = "copy",
             .source_image_id = image,
             .source_region = "us-east-1",
             .encrypted = true,
             .kms_key_id = target_key};
  return s;
}

template <Setup (*kMake)()>
void run_copies(benchmark::State& state) {
  int64_t copies = 0;
  double bytes_per_copy = 0;
  for (auto _ : state) {
    state.PauseTiming();
    Setup s = kMake();
    const size_t before = heap_in_use();
    state.ResumeTiming();
    std::string last;
    for (int i = 0; i < kCopiesPerBatch; ++i) {
      sim::Result<api::ec2::CopyImageOutput> out = s.world->ec2().copy_image(s.caller, s.input);
      if (!out.ok()) {
        state.SkipWithError(out.error().message.c_str());
        return;
      }
      if (i + 1 == kCopiesPerBatch) {
        last = *out->image_id;
      }
      if ((i + 1) % kCopiesPerWave == 0) {
        s.world->run();
      }
    }
    s.world->run();
    state.PauseTiming();
    if (s.world->state_of(kUsWest2, last) != "available") {
      state.SkipWithError("the copies did not become available");
      return;
    }
    bytes_per_copy = static_cast<double>(heap_in_use() - before) / kCopiesPerBatch;
    if (s.world->ec2().copies_pending() != 0) {
      state.SkipWithError("copies still pending after the run");
      return;
    }
    s.world.reset();
    state.ResumeTiming();
    copies += kCopiesPerBatch;
  }
  state.SetItemsProcessed(copies);
  state.counters["bytes_per_copy"] = bytes_per_copy;
}

void BM_Ec2_SameAccountUnencryptedCopy(benchmark::State& state) {
  run_copies<same_account_setup<false>>(state);
}

void BM_Ec2_CrossAccountEncryptedCopy(benchmark::State& state) {
  run_copies<cross_account_setup<false>>(state);
}

// The same workloads with an allow-all authorizer: the EC2 model (and the fake key service's
// crypto) alone, without the policy engine.
void BM_Ec2_SameAccountUnencryptedCopy_NoAuthz(benchmark::State& state) {
  run_copies<same_account_setup<true>>(state);
}

void BM_Ec2_CrossAccountEncryptedCopy_NoAuthz(benchmark::State& state) {
  run_copies<cross_account_setup<true>>(state);
}

BENCHMARK(BM_Ec2_SameAccountUnencryptedCopy)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Ec2_CrossAccountEncryptedCopy)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Ec2_SameAccountUnencryptedCopy_NoAuthz)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Ec2_CrossAccountEncryptedCopy_NoAuthz)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace ibsim::mock_aws::ec2

BENCHMARK_MAIN();
