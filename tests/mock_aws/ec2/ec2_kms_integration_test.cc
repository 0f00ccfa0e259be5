// CopyImage against the real KmsModel (mock_aws/kms) as the EbsKeyService: real key policies,
// the AWS managed aws/ebs key, DisableKey through the KMS API, and the cross-account statements
// Image Builder's guide asks for. The rest of the EC2 tests use the fake in ec2_test_support.h.

#include <catch2/catch.hpp>

#include "mock_aws/kms/kms_model.h"
#include "tests/mock_aws/ec2/ec2_test_support.h"

namespace ibsim::mock_aws::ec2 {
namespace {

using testing::kSourceAccount;
using testing::kTargetAccount;
using testing::kUsEast1;
using testing::kUsWest2;

// The source key lets the target account use it for EBS, as the cross-account guide says.
std::string shared_key_policy() {
  return R"({"Version":"2012-10-17","Statement":[)"
         R"({"Sid":"Enable IAM policies","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::)"
         R"(111111111111:root"},"Action":"kms:*","Resource":"*"},)"
         R"({"Sid":"Target account use","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::)"
         R"(222222222222:root"},"Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*",)"
         R"("kms:GenerateDataKey*","kms:DescribeKey"],"Resource":"*"},)"
         R"({"Sid":"Target account grants","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::)"
         R"(222222222222:root"},"Action":["kms:CreateGrant","kms:ListGrants","kms:RevokeGrant"],)"
         R"("Resource":"*","Condition":{"Bool":{"kms:GrantIsForAWSResource":"true"}}}]})";
}

class RealKmsWorld {
 public:
  RealKmsWorld()
      : ctx_({.seed = 5}), kms_(ctx_, authz_), ec2_(ctx_, authz_, kms_, Ec2Model::Options{}) {}

  std::string key(const api::AccountId& account,
                  const api::Region& region,
                  std::optional<std::string> policy = std::nullopt) {
    sim::Result<api::kms::KeyMetadata> k =
        kms_.seed_key({.account = account, .region = region, .policy = std::move(policy)});
    REQUIRE(k.ok());
    return k->arn;
  }

  api::CallContext root(const api::AccountId& account, const api::Region& region) {
    api::CallContext c;
    c.principal = api::Principal::root(account);
    c.region = region;
    c.request_unix_ms = ctx_.unix_ms();
    return c;
  }

  std::string shared_image(const std::string& key_arn) {
    Ec2Model::SeedImage seed;
    seed.owner = kSourceAccount;
    seed.region = kUsEast1;
    seed.name = "golden";
    seed.block_devices[0].kms_key_arn = key_arn;
    seed.block_devices[0].shared_with = {kTargetAccount};
    seed.launch_permissions = {{.user_id = kTargetAccount.str()}};
    sim::Result<std::string> id = ec2_.seed_image(seed);
    REQUIRE(id.ok());
    return *id;
  }

  std::string copy(const std::string& image, std::optional<std::string> kms_key_id) {
    api::ec2::CopyImageInput in{.name = "received",
                                .source_image_id = image,
                                .source_region = "us-east-1",
                                .encrypted = true,
                                .kms_key_id = std::move(kms_key_id)};
    sim::Result<api::ec2::CopyImageOutput> out =
        ec2_.copy_image(root(kTargetAccount, kUsWest2), in);
    REQUIRE(out.ok());
    return *out->image_id;
  }

  const ImageRecord& image(const std::string& id) { return *ec2_.find_image(kUsWest2, id); }

  sim::Context& ctx() { return ctx_; }

  kms::KmsModel& kms() { return kms_; }

  Ec2Model& ec2() { return ec2_; }

 private:
  sim::Context ctx_;
  testing::TestAuthorizer authz_;
  kms::KmsModel kms_;
  Ec2Model ec2_;
};

TEST_CASE("KMS integration: a shared encrypted AMI is re-encrypted under the target's key",
          "[ec2]") {
  RealKmsWorld w;
  const std::string source_key = w.key(kSourceAccount, kUsEast1, shared_key_policy());
  const std::string target_key = w.key(kTargetAccount, kUsWest2);
  const std::string copy = w.copy(w.shared_image(source_key), target_key);
  w.ctx().scheduler().run();
  REQUIRE(w.image(copy).state == ImageState::kAvailable);
  const SnapshotRecord* snap =
      w.ec2().find_snapshot(kUsWest2, w.image(copy).block_devices[0].snapshot_id.view());
  REQUIRE(snap != nullptr);
  CHECK(snap->kms_key_arn() == target_key);
  sim::Result<std::vector<uint8_t>> plain =
      w.ec2().read_snapshot_content(w.root(kTargetAccount, kUsWest2), kUsWest2, snap->id.view());
  REQUIRE(plain.ok());
  CHECK(plain->size() == w.ec2().options().snapshot_content_bytes);
}

TEST_CASE("KMS integration: the default key of the copier is its aws/ebs key", "[ec2]") {
  RealKmsWorld w;
  const std::string copy =
      w.copy(w.shared_image(w.key(kSourceAccount, kUsEast1, shared_key_policy())), std::nullopt);
  w.ctx().scheduler().run();
  REQUIRE(w.image(copy).state == ImageState::kAvailable);
  const std::string arn =
      w.ec2()
          .find_snapshot(kUsWest2, w.image(copy).block_devices[0].snapshot_id.view())
          ->kms_key_arn();
  CHECK(arn == w.kms().aws_managed_ebs_key(kTargetAccount, kUsWest2));
  CHECK(w.kms().is_aws_managed_key(arn));
}

TEST_CASE("KMS integration: a source key policy without the target account fails the copy",
          "[ec2]") {
  RealKmsWorld w;
  const std::string copy =
      w.copy(w.shared_image(w.key(kSourceAccount, kUsEast1)), w.key(kTargetAccount, kUsWest2));
  w.ctx().scheduler().run();
  REQUIRE(w.image(copy).state == ImageState::kFailed);
  CHECK(w.image(copy).failure->state_reason.message == "Copy image failed with an internal error");
  CHECK(w.image(copy).failure->cause.code == "AccessDeniedException");
  CHECK(w.ec2().copies_in_flight(kTargetAccount, kUsWest2) == 0);
}

TEST_CASE("KMS integration: DisableKey mid-copy fails the copy", "[ec2]") {
  RealKmsWorld w;
  const std::string source_key = w.key(kSourceAccount, kUsEast1, shared_key_policy());
  const std::string copy = w.copy(w.shared_image(source_key), w.key(kTargetAccount, kUsWest2));
  w.ctx().scheduler().run_for(w.ec2().options().copy_time.fixed_latency
                              + sim::Duration::seconds(1));
  REQUIRE(w.image(copy).state == ImageState::kPending);
  REQUIRE(w.kms().disable_key(w.root(kSourceAccount, kUsEast1), {.key_id = source_key}).ok());
  w.ctx().scheduler().run();
  CHECK(w.image(copy).state == ImageState::kFailed);
  CHECK(w.image(copy).failure->cause.code == "DisabledException");
}

}  // namespace
}  // namespace ibsim::mock_aws::ec2
