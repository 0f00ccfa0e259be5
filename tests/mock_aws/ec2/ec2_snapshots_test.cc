// Snapshots (visibility, createVolumePermission, deletion), their real content, EBS encryption by
// default, and tags on every taggable resource.

#include <catch2/catch.hpp>

#include "tests/mock_aws/ec2/ec2_test_support.h"

namespace ibsim::mock_aws::ec2 {
namespace {

using testing::Ec2World;
using testing::kOtherAccount;
using testing::kSourceAccount;
using testing::kTargetAccount;
using testing::kUsEast1;
using testing::kUsWest2;

std::vector<std::string> snapshot_ids(const api::ec2::DescribeSnapshotsOutput& out) {
  std::vector<std::string> ids;
  for (const api::ec2::Snapshot& s : out.snapshots) {
    ids.push_back(*s.snapshot_id);
  }
  return ids;
}

api::ec2::ModifySnapshotAttributeInput share_snapshot(const std::string& id,
                                                      api::ec2::CreateVolumePermission p,
                                                      bool add = true) {
  api::ec2::CreateVolumePermissionModifications mods;
  (add ? mods.add : mods.remove).push_back(std::move(p));
  return {.snapshot_id = id, .create_volume_permission = mods};
}

TEST_CASE("Snapshot content: plaintext when unencrypted and AES-GCM under the key otherwise",
          "[ec2]") {
  Ec2World w;
  const std::string key = w.keys().create_key(kSourceAccount, kUsEast1);
  const SnapshotRecord& plain = w.root_snapshot(kUsEast1, w.image(kSourceAccount));
  const SnapshotRecord& sealed = w.root_snapshot(kUsEast1, w.image(kSourceAccount, kUsEast1, key));
  CHECK_FALSE(plain.encrypted);
  CHECK(plain.data_key == nullptr);
  CHECK(plain.content->size() == 4096);
  CHECK(sealed.encrypted);
  CHECK(sealed.content->size() == 4096 + crypto::kGcmTagBytes);
  // The stored ciphertext opens with the unwrapped data key, and only with it.
  const std::optional<kms::Bytes> data_key =
      w.keys().unwrap_with(key, *sealed.data_key, sealed.id.view());
  REQUIRE(data_key.has_value());
  const std::span<const uint8_t, crypto::kAesKeyBytes> k(data_key->data(), crypto::kAesKeyBytes);
  const std::optional<std::vector<uint8_t>> opened =
      crypto::aes256_gcm_open(k, sealed.iv, crypto::as_bytes(sealed.id.view()), *sealed.content);
  REQUIRE(opened.has_value());
  CHECK(opened->size() == 4096);
  // Different snapshots hold different bytes; the same seed gives the same bytes.
  CHECK(*opened != *plain.content);
  Ec2World again;
  CHECK(*again.root_snapshot(kUsEast1, again.image(kSourceAccount)).content == *plain.content);
}

TEST_CASE("DescribeSnapshots: own shared and public with OwnerIds and RestorableBy", "[ec2]") {
  Ec2World w;
  const std::string own = w.root_snapshot(kUsEast1, w.image(kSourceAccount)).id.str();
  const std::string shared = w.root_snapshot(kUsEast1, w.image(kTargetAccount)).id.str();
  const std::string hidden = w.root_snapshot(kUsEast1, w.image(kOtherAccount)).id.str();
  const std::string pub = w.root_snapshot(kUsEast1, w.image(kOtherAccount)).id.str();
  REQUIRE(w.ec2()
              .modify_snapshot_attribute(w.root(kTargetAccount),
                                         share_snapshot(shared, {.user_id = kSourceAccount.str()}))
              .ok());
  REQUIRE(
      w.ec2()
          .modify_snapshot_attribute(w.root(kOtherAccount), share_snapshot(pub, {.group = "all"}))
          .ok());
  const api::CallContext call = w.root(kSourceAccount);
  auto sorted = [](std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  };
  CHECK(snapshot_ids(*w.ec2().describe_snapshots(call, {})) == sorted({own, shared, pub}));
  CHECK(snapshot_ids(*w.ec2().describe_snapshots(call, {.owner_ids = {"self"}}))
        == std::vector{own});
  CHECK(snapshot_ids(*w.ec2().describe_snapshots(call, {.restorable_by_user_ids = {"self"}}))
        == std::vector{shared});
  CHECK(snapshot_ids(*w.ec2().describe_snapshots(call, {.restorable_by_user_ids = {"all"}}))
        == std::vector{pub});
  CHECK(w.ec2().describe_snapshots(call, {.snapshot_ids = {hidden}}).error().code
        == "InvalidSnapshot.NotFound");
  CHECK(w.ec2().describe_snapshots(call, {.snapshot_ids = {"snap-1"}}).error().code
        == "InvalidSnapshotID.Malformed");
  CHECK(snapshot_ids(*w.ec2().describe_snapshots(
            call, {.filters = {{.name = "owner-id", .values = {kTargetAccount.str()}}}}))
        == std::vector{shared});
  CHECK(snapshot_ids(*w.ec2().describe_snapshots(
                         call, {.filters = {{.name = "encrypted", .values = {"true"}}}}))
            .empty());
  CHECK(w.ec2()
            .describe_snapshots(call, {.filters = {{.name = "bogus", .values = {"x"}}}})
            .error()
            .code
        == "InvalidParameterValue");
  const api::ec2::Snapshot s =
      w.ec2().describe_snapshots(call, {.snapshot_ids = {own}})->snapshots.at(0);
  CHECK(s.state == "completed");
  CHECK(s.volume_size == 8);
  CHECK(s.owner_id == kSourceAccount.str());
}

TEST_CASE("ModifySnapshotAttribute: shares and unshares createVolumePermission", "[ec2]") {
  Ec2World w;
  const std::string snap = w.root_snapshot(kUsEast1, w.image(kSourceAccount)).id.str();
  const api::CallContext owner = w.root(kSourceAccount);
  REQUIRE(
      w.ec2()
          .modify_snapshot_attribute(owner, share_snapshot(snap, {.user_id = kTargetAccount.str()}))
          .ok());
  sim::Result<api::ec2::DescribeSnapshotAttributeOutput> attr = w.ec2().describe_snapshot_attribute(
      owner, {.snapshot_id = snap, .attribute = "createVolumePermission"});
  REQUIRE(attr.ok());
  REQUIRE(attr->create_volume_permissions.size() == 1);
  CHECK(attr->create_volume_permissions[0].user_id == kTargetAccount.str());
  CHECK(w.ec2().describe_snapshots(w.root(kTargetAccount), {.snapshot_ids = {snap}}).ok());
  // Not the owner: the sharer cannot change nor read the permission list.
  CHECK(w.ec2()
            .modify_snapshot_attribute(w.root(kTargetAccount),
                                       share_snapshot(snap, {.user_id = kOtherAccount.str()}))
            .error()
            .code
        == "AuthFailure");
  CHECK(
      w.ec2()
          .describe_snapshot_attribute(w.root(kTargetAccount),
                                       {.snapshot_id = snap, .attribute = "createVolumePermission"})
          .error()
          .code
      == "AuthFailure");
  // The legacy form removes it.
  REQUIRE(w.ec2()
              .modify_snapshot_attribute(owner,
                                         {.snapshot_id = snap,
                                          .attribute = "createVolumePermission",
                                          .operation_type = "remove",
                                          .user_ids = {kTargetAccount.str()}})
              .ok());
  CHECK(w.ec2().describe_snapshots(w.root(kTargetAccount), {.snapshot_ids = {snap}}).error().code
        == "InvalidSnapshot.NotFound");
  CHECK(
      w.ec2().modify_snapshot_attribute(owner, share_snapshot(snap, {.user_id = "12"})).error().code
      == "InvalidParameterValue");
  CHECK(w.ec2()
            .modify_snapshot_attribute(owner, share_snapshot(snap, {.group = "friends"}))
            .error()
            .code
        == "InvalidParameterValue");
  CHECK(w.ec2().modify_snapshot_attribute(owner, {.snapshot_id = snap}).error().code
        == "MissingParameter");
}

TEST_CASE("ModifySnapshotAttribute: an AWS managed key snapshot cannot be shared", "[ec2]") {
  Ec2World w;
  const std::string managed = w.keys().aws_managed_ebs_key(kSourceAccount, kUsEast1);
  const std::string snap =
      w.root_snapshot(kUsEast1, w.image(kSourceAccount, kUsEast1, managed)).id.str();
  sim::Result<api::ec2::ModifySnapshotAttributeOutput> out = w.ec2().modify_snapshot_attribute(
      w.root(kSourceAccount), share_snapshot(snap, {.user_id = kTargetAccount.str()}));
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().message
        == "Snapshots encrypted with the AWS Managed CMK can\xE2\x80\x99t be shared. Specify another "
           "snapshot.");
  CHECK(w.ec2().find_snapshot(kUsEast1, snap)->volume_permissions == nullptr);
}

TEST_CASE("ModifySnapshotAttribute: encrypted snapshots can never be public", "[ec2]") {
  Ec2World w;
  const std::string key = w.keys().create_key(kSourceAccount, kUsEast1);
  const std::string snap =
      w.root_snapshot(kUsEast1, w.image(kSourceAccount, kUsEast1, key)).id.str();
  const api::CallContext owner = w.root(kSourceAccount);
  CHECK(
      w.ec2().modify_snapshot_attribute(owner, share_snapshot(snap, {.group = "all"})).error().code
      == "InvalidParameter");
  // A customer managed key can be shared with an account.
  CHECK(
      w.ec2()
          .modify_snapshot_attribute(owner, share_snapshot(snap, {.user_id = kTargetAccount.str()}))
          .ok());
}

TEST_CASE("ModifySnapshotAttribute: IAM keys on the snapshot and the added accounts", "[ec2]") {
  Ec2World w;
  const std::string image = w.image(kSourceAccount);
  const std::string snap = w.root_snapshot(kUsEast1, image).id.str();
  REQUIRE(w.ec2()
              .create_tags(w.root(kSourceAccount),
                           {.resources = {snap},
                            .tags = {{.key = "CreatedBy", .value = "EC2 Image Builder"}}})
              .ok());
  // Image Builder's service-linked role may share only snapshots it created.
  w.authz().attach(
      Ec2World::role_arn(kSourceAccount, "AWSServiceRoleForImageBuilder"),
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
      R"("Action":"ec2:ModifySnapshotAttribute","Resource":"arn:aws:ec2:*::snapshot/*",)"
      R"("Condition":{"StringEquals":{"ec2:ResourceTag/CreatedBy":"EC2 Image Builder"}}}]})");
  const api::CallContext slr = w.role(kSourceAccount, "AWSServiceRoleForImageBuilder");
  CHECK(w.ec2()
            .modify_snapshot_attribute(slr, share_snapshot(snap, {.user_id = kTargetAccount.str()}))
            .ok());
  const std::string untagged = w.root_snapshot(kUsEast1, w.image(kSourceAccount)).id.str();
  CHECK(w.ec2()
            .modify_snapshot_attribute(slr,
                                       share_snapshot(untagged, {.user_id = kTargetAccount.str()}))
            .error()
            .code
        == "UnauthorizedOperation");
}

TEST_CASE("DeleteSnapshot: refused while an image uses it", "[ec2]") {
  Ec2World w;
  const api::CallContext owner = w.root(kSourceAccount);
  const std::string image = w.image(kSourceAccount);
  const std::string snap = w.root_snapshot(kUsEast1, image).id.str();
  sim::Result<api::ec2::DeleteSnapshotOutput> in_use =
      w.ec2().delete_snapshot(owner, {.snapshot_id = snap});
  REQUIRE_FALSE(in_use.ok());
  CHECK(in_use.error().code == "InvalidSnapshot.InUse");
  CHECK(in_use.error().message == "The snapshot " + snap + " is currently in use by " + image);
  REQUIRE(w.ec2().deregister_image(owner, {.image_id = image}).ok());
  CHECK(w.ec2().delete_snapshot(w.root(kTargetAccount), {.snapshot_id = snap}).error().code
        == "InvalidSnapshot.NotFound");
  REQUIRE(w.ec2().delete_snapshot(owner, {.snapshot_id = snap}).ok());
  CHECK(w.ec2().delete_snapshot(owner, {.snapshot_id = snap}).error().code
        == "InvalidSnapshot.NotFound");
  CHECK(w.ec2().delete_snapshot(owner, {.snapshot_id = "vol-123"}).error().code
        == "InvalidSnapshotID.Malformed");
}

TEST_CASE("EBS encryption by default: enable disable and the default key", "[ec2]") {
  Ec2World w;
  const api::CallContext call = w.root(kSourceAccount);
  CHECK(w.ec2().get_ebs_encryption_by_default(call, {})->ebs_encryption_by_default == false);
  CHECK(w.ec2().get_ebs_default_kms_key_id(call, {})->kms_key_id == "alias/aws/ebs");
  CHECK(w.ec2().enable_ebs_encryption_by_default(call, {})->ebs_encryption_by_default == true);
  CHECK(w.ec2().get_ebs_encryption_by_default(call, {})->ebs_encryption_by_default == true);
  // Per region.
  CHECK(w.ec2()
            .get_ebs_encryption_by_default(w.root(kSourceAccount, kUsWest2), {})
            ->ebs_encryption_by_default
        == false);
  const std::string key = w.keys().create_key(kSourceAccount, kUsEast1, {}, "alias/ebs-default");
  CHECK(w.ec2().modify_ebs_default_kms_key_id(call, {.kms_key_id = "alias/ebs-default"})->kms_key_id
        == key);
  CHECK(w.ec2().get_ebs_default_kms_key_id(call, {})->kms_key_id == key);
  CHECK(w.ec2().disable_ebs_encryption_by_default(call, {})->ebs_encryption_by_default == false);
  CHECK(w.ec2().modify_ebs_default_kms_key_id(call, {}).error().code == "MissingParameter");
  // DryRun and IAM on these account-level calls.
  CHECK(w.ec2().enable_ebs_encryption_by_default(call, {.dry_run = true}).error().code
        == "DryRunOperation");
  const api::CallContext role = w.role(kSourceAccount, "Reader");
  sim::Result<api::ec2::GetEbsEncryptionByDefaultOutput> denied =
      w.ec2().get_ebs_encryption_by_default(role, {});
  REQUIRE_FALSE(denied.ok());
  // Describe-like calls carry only the short sentence.
  CHECK(denied.error().message == "You are not authorized to perform this operation.");
  CHECK_THAT(w.ec2().enable_ebs_encryption_by_default(role, {}).error().message,
             Catch::StartsWith("You are not authorized to perform this operation. Encoded "
                               "authorization failure message: "));
  // Seeded defaults.
  REQUIRE(w.ec2().seed_ebs_encryption_by_default(kTargetAccount, kUsWest2, true, key).ok());
  CHECK(w.ec2().get_ebs_default_kms_key_id(w.root(kTargetAccount, kUsWest2), {})->kms_key_id
        == key);
}

TEST_CASE("Tags: create delete and describe across resource types", "[ec2]") {
  Ec2World w;
  const api::CallContext call = w.root(kSourceAccount);
  const std::string image = w.image(kSourceAccount);
  const std::string snap = w.root_snapshot(kUsEast1, image).id.str();
  const std::string lt = *w.ec2()
                              .create_launch_template(call, {.launch_template_name = "web"})
                              ->launch_template->launch_template_id;
  REQUIRE(
      w.ec2()
          .create_tags(call,
                       {.resources = {image, snap, lt},
                        .tags = {{.key = "Env", .value = "prod"}, {.key = "Team", .value = "a"}}})
          .ok());
  sim::Result<api::ec2::DescribeTagsOutput> all = w.ec2().describe_tags(call, {});
  REQUIRE(all.ok());
  CHECK(all->tags.size() == 6);
  sim::Result<api::ec2::DescribeTagsOutput> images =
      w.ec2().describe_tags(call, {.filters = {{.name = "resource-type", .values = {"image"}}}});
  REQUIRE(images->tags.size() == 2);
  CHECK(images->tags[0].resource_id == image);
  CHECK(w.ec2()
            .describe_tags(call,
                           {.filters = {{.name = "key", .values = {"Env"}},
                                        {.name = "resource-id", .values = {lt}}}})
            ->tags.size()
        == 1);
  // Delete with a value only when it matches; without a value, whatever the value.
  REQUIRE(w.ec2()
              .delete_tags(call, {.resources = {image}, .tags = {{.key = "Env", .value = "dev"}}})
              .ok());
  CHECK(w.image_record(kUsEast1, image).tags.count("Env") == 1);
  REQUIRE(w.ec2().delete_tags(call, {.resources = {image}, .tags = {{.key = "Env"}}}).ok());
  CHECK(w.image_record(kUsEast1, image).tags.count("Env") == 0);
  REQUIRE(w.ec2().delete_tags(call, {.resources = {snap}}).ok());
  CHECK(w.ec2().find_snapshot(kUsEast1, snap)->tags.empty());
  // Other accounts see none of these tags.
  CHECK(w.ec2().describe_tags(w.root(kTargetAccount), {})->tags.empty());
}

TEST_CASE("Tags: limits reserved keys and unknown resources", "[ec2]") {
  Ec2World w;
  const api::CallContext call = w.root(kSourceAccount);
  const std::string image = w.image(kSourceAccount);
  auto code = [&](api::ec2::CreateTagsInput in) {
    sim::Result<api::ec2::CreateTagsOutput> out = w.ec2().create_tags(call, in);
    return out.ok() ? std::string("ok") : out.error().code;
  };
  CHECK(code({.resources = {image}, .tags = {{.key = "aws:cloudformation", .value = "x"}}})
        == "InvalidParameterValue");
  CHECK(code({.resources = {image}, .tags = {{.key = std::string(129, 'k'), .value = "x"}}})
        == "InvalidParameterValue");
  CHECK(code({.resources = {image}, .tags = {}}) == "MissingParameter");
  CHECK(code({.resources = {}, .tags = {{.key = "k", .value = "v"}}}) == "MissingParameter");
  CHECK(code({.resources = {"ami-0123456789abcdef0"}, .tags = {{.key = "k", .value = "v"}}})
        == "InvalidAMIID.NotFound");
  CHECK(code({.resources = {"lt-0123456789abcdef0"}, .tags = {{.key = "k", .value = "v"}}})
        == "InvalidLaunchTemplateId.NotFound");
  CHECK(code({.resources = {"vpc-1234"}, .tags = {{.key = "k", .value = "v"}}}) == "InvalidID");
  std::vector<api::ec2::Tag> fifty;
  for (int i = 0; i < 50; ++i) {
    std::string key = "k";  // Built by appending: g++ 12 misreports "k" + string (-Wrestrict).
    key += std::to_string(i);
    fifty.push_back({.key = key, .value = "v"});
  }
  CHECK(code({.resources = {image}, .tags = fifty}) == "ok");
  CHECK(code({.resources = {image}, .tags = {{.key = "one-more", .value = "v"}}})
        == "TagLimitExceeded");
  // Updating an existing key does not count against the limit.
  CHECK(code({.resources = {image}, .tags = {{.key = "k1", .value = "w"}}}) == "ok");
  // Another account's image, even shared: not the caller's to tag.
  const std::string theirs = w.image(kTargetAccount);
  w.share(kTargetAccount, kUsEast1, theirs, kSourceAccount);
  CHECK(code({.resources = {theirs}, .tags = {{.key = "k", .value = "v"}}}) == "AuthFailure");
}

TEST_CASE("Tags: request and resource tags reach IAM conditions", "[ec2]") {
  Ec2World w;
  const std::string image = w.image(kSourceAccount);
  const std::string role_arn = Ec2World::role_arn(kSourceAccount, "Tagger");
  const api::CallContext role = w.role(kSourceAccount, "Tagger");
  // The managed policy's shape: CreateTags on images only with aws:RequestTag/CreatedBy.
  w.authz().attach(
      role_arn,
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
      R"("Action":"ec2:CreateTags","Resource":"arn:aws:ec2:*::image/*",)"
      R"("Condition":{"StringEquals":{"aws:RequestTag/CreatedBy":"EC2 Image Builder"},)"
      R"("ForAllValues:StringEquals":{"aws:TagKeys":["CreatedBy"]}}}]})");
  CHECK(w.ec2()
            .create_tags(role,
                         {.resources = {image},
                          .tags = {{.key = "CreatedBy", .value = "EC2 Image Builder"}}})
            .ok());
  CHECK(
      w.ec2()
          .create_tags(role, {.resources = {image}, .tags = {{.key = "CreatedBy", .value = "me"}}})
          .error()
          .code
      == "UnauthorizedOperation");
  CHECK(w.ec2()
            .create_tags(role,
                         {.resources = {image},
                          .tags = {{.key = "CreatedBy", .value = "EC2 Image Builder"},
                                   {.key = "Extra", .value = "x"}}})
            .error()
            .code
        == "UnauthorizedOperation");
  // DeleteTags keyed on the existing tags.
  w.authz().attach(role_arn,
                   R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
                   R"("Action":"ec2:DeleteTags","Resource":"*","Condition":{"StringEquals":)"
                   R"({"ec2:ResourceTag/CreatedBy":"EC2 Image Builder"}}}]})");
  CHECK(w.ec2().delete_tags(role, {.resources = {image}, .tags = {{.key = "CreatedBy"}}}).ok());
  CHECK(
      w.ec2().delete_tags(role, {.resources = {image}, .tags = {{.key = "CreatedBy"}}}).error().code
      == "UnauthorizedOperation");
  CHECK(w.ec2()
            .create_tags(role,
                         {.resources = {image},
                          .tags = {{.key = "CreatedBy", .value = "EC2 Image Builder"}},
                          .dry_run = true})
            .error()
            .code
        == "DryRunOperation");
}

}  // namespace
}  // namespace ibsim::mock_aws::ec2
