// CopyImage: the synchronous checks, the asynchronous job in virtual time, the encryption matrix
// with real re-encryption, default-key selection, cross-account copies, KMS failures during the
// copy, PV regions, the copy cap, throttling, idempotency, DryRun and UnauthorizedOperation.

#include <catch2/catch.hpp>

#include "mock_aws/auth/authorization_message.h"
#include "mock_aws/ec2/copy_time_model.h"
#include "tests/mock_aws/ec2/ec2_test_support.h"

namespace ibsim::mock_aws::ec2 {
namespace {

using testing::Ec2World;
using testing::kEuWest3;
using testing::kOtherAccount;
using testing::kSourceAccount;
using testing::kTargetAccount;
using testing::kUsEast1;
using testing::kUsWest2;

api::ec2::CopyImageInput copy_of(const std::string& image_id,
                                 const api::Region& source_region = kUsEast1) {
  return {.name = "copy-of-" + image_id,
          .source_image_id = image_id,
          .source_region = source_region.str()};
}

// Copies `in` as `call` and runs the scheduler until the copy ends; returns the new image id.
std::string copy_and_run(Ec2World& w, const api::CallContext& call, api::ec2::CopyImageInput in) {
  sim::Result<api::ec2::CopyImageOutput> out = w.ec2().copy_image(call, in);
  REQUIRE(out.ok());
  REQUIRE(out->image_id.has_value());
  w.run();
  return *out->image_id;
}

TEST_CASE("CopyImage: a same-account unencrypted copy is pending then available", "[ec2]") {
  Ec2World w;
  const std::string source = w.image(kSourceAccount);
  sim::Result<api::ec2::CopyImageOutput> out =
      w.ec2().copy_image(w.root(kSourceAccount, kUsWest2), copy_of(source));
  REQUIRE(out.ok());
  const std::string copy = *out->image_id;
  CHECK(is_well_formed_id(copy, IdKind::kImage));
  CHECK(copy.size() == 4 + kIdHexDigits);
  CHECK(w.state_of(kUsWest2, copy) == "pending");
  CHECK(w.ec2().copies_in_flight(kSourceAccount, kUsWest2) == 1);
  // Pending copies show their mappings without snapshot ids.
  CHECK(w.image_record(kUsWest2, copy).block_devices[0].snapshot_id.empty());

  w.run();
  CHECK(w.state_of(kUsWest2, copy) == "available");
  CHECK(w.ec2().copies_in_flight(kSourceAccount, kUsWest2) == 0);
  CHECK(w.ec2().copy_peak(kSourceAccount, kUsWest2) == 1);
  const ImageRecord& image = w.image_record(kUsWest2, copy);
  CHECK(image.source_image_id == source);
  CHECK(image.source_region == kUsEast1);
  const SnapshotRecord& snap = w.root_snapshot(kUsWest2, copy);
  CHECK_FALSE(snap.encrypted);
  // The unencrypted content is the source's plaintext, shared, not re-made.
  CHECK(snap.content == w.root_snapshot(kUsEast1, source).content);
  // The copy took the modelled time: fixed latency plus 8 GiB at the cross-region rate.
  CHECK(w.ctx().now() > sim::Instant::start() + sim::Duration::minutes(3));
  CHECK(w.ctx().now() < sim::Instant::start() + sim::Duration::hours(1));

  // DescribeImages shows the finished copy with its snapshot.
  sim::Result<api::ec2::DescribeImagesOutput> d =
      w.ec2().describe_images(w.root(kSourceAccount, kUsWest2), {.image_ids = {copy}});
  REQUIRE(d.ok());
  REQUIRE(d->images.size() == 1);
  CHECK(d->images[0].state == "available");
  CHECK(d->images[0].source_image_id == source);
  CHECK(d->images[0].block_device_mappings[0].ebs->snapshot_id == snap.id.str());
}

TEST_CASE("CopyImage: trace events carry account region image and duration", "[ec2]") {
  Ec2World w;
  const std::string source = w.image(kSourceAccount);
  const std::string copy = copy_and_run(w, w.root(kSourceAccount, kUsWest2), copy_of(source));
  std::vector<std::string> kinds;
  const sim::TraceEvent* done = nullptr;
  for (const sim::TraceEvent& e : w.ctx().trace().events()) {
    kinds.push_back(e.kind);
    if (e.kind == "ec2.copy.done") {
      done = &e;
    }
  }
  CHECK(std::count(kinds.begin(), kinds.end(), "ec2.copy.start") == 1);
  REQUIRE(done != nullptr);
  auto field = [&](std::string_view key) -> const sim::TraceField* {
    for (const sim::TraceField& f : done->fields) {
      if (f.key == key) {
        return &f;
      }
    }
    return nullptr;
  };
  REQUIRE(field("image") != nullptr);
  CHECK(std::get<std::string>(field("image")->value) == copy);
  CHECK(std::get<std::string>(field("account")->value) == kSourceAccount.str());
  CHECK(std::get<std::string>(field("region")->value) == "us-west-2");
  CHECK(std::get<int64_t>(field("duration_ms")->value) > 0);
}

TEST_CASE("CopyImage: the same seed gives the same ids times and trace", "[ec2]") {
  auto run_once = [](uint64_t seed) {
    Ec2World w({}, seed);
    const std::string key = w.keys().create_key(kSourceAccount, kUsWest2);
    const std::string source = w.image(kSourceAccount);
    api::ec2::CopyImageInput in = copy_of(source);
    in.encrypted = true;
    in.kms_key_id = key;
    const std::string copy = copy_and_run(w, w.root(kSourceAccount, kUsWest2), in);
    return std::tuple{copy, w.ctx().now().ns(), w.ctx().trace().hash()};
  };
  CHECK(run_once(7) == run_once(7));
  CHECK(std::get<2>(run_once(7)) != std::get<2>(run_once(8)));
}

TEST_CASE("CopyImage: encryption matrix", "[ec2]") {
  Ec2World w;
  const std::string key_east = w.keys().create_key(kSourceAccount, kUsEast1);
  const std::string key_west = w.keys().create_key(kSourceAccount, kUsWest2);
  const api::CallContext west = w.root(kSourceAccount, kUsWest2);

  SECTION("unencrypted to unencrypted") {
    const std::string copy = copy_and_run(w, west, copy_of(w.image(kSourceAccount)));
    CHECK(w.state_of(kUsWest2, copy) == "available");
    CHECK_FALSE(w.root_snapshot(kUsWest2, copy).encrypted);
  }
  SECTION("encrypted to encrypted under the given key") {
    api::ec2::CopyImageInput in = copy_of(w.image(kSourceAccount, kUsEast1, key_east));
    in.encrypted = true;
    in.kms_key_id = key_west;
    const std::string copy = copy_and_run(w, west, in);
    CHECK(w.state_of(kUsWest2, copy) == "available");
    CHECK(w.root_snapshot(kUsWest2, copy).kms_key_arn() == key_west);
  }
  SECTION("unencrypted to encrypted") {
    api::ec2::CopyImageInput in = copy_of(w.image(kSourceAccount));
    in.encrypted = true;
    in.kms_key_id = key_west;
    const std::string copy = copy_and_run(w, west, in);
    const SnapshotRecord& snap = w.root_snapshot(kUsWest2, copy);
    CHECK(snap.encrypted);
    CHECK(snap.kms_key_arn() == key_west);
    CHECK(w.image_record(kUsWest2, copy).block_devices[0].encrypted);
  }
  SECTION("encrypted to unencrypted is refused at once") {
    const std::string source = w.image(kSourceAccount, kUsEast1, key_east);
    api::ec2::CopyImageInput in = copy_of(source);
    in.encrypted = false;
    sim::Result<api::ec2::CopyImageOutput> out = w.ec2().copy_image(west, in);
    REQUIRE_FALSE(out.ok());
    CHECK(out.error().code == "InvalidRequest");
    CHECK(out.error().message == "Snapshot " + w.root_snapshot(kUsEast1, source).id.str() +
                                     " is encrypted. Creating unencrypted copy from an encrypted "
                                     "snapshot is not supported.");
    CHECK(w.ec2().copies_in_flight(kSourceAccount, kUsWest2) == 0);
  }
  SECTION("encrypted with Encrypted omitted stays encrypted") {
    const std::string copy =
        copy_and_run(w, west, copy_of(w.image(kSourceAccount, kUsEast1, key_east)));
    CHECK(w.root_snapshot(kUsWest2, copy).encrypted);
    // Another region: the owner's default key there (alias/aws/ebs).
    CHECK(w.root_snapshot(kUsWest2, copy).kms_key_arn()
          == w.keys().aws_managed_ebs_key(kSourceAccount, kUsWest2));
  }
  SECTION("same region and owner keeps the source key") {
    const std::string copy = copy_and_run(
        w, w.root(kSourceAccount, kUsEast1), copy_of(w.image(kSourceAccount, kUsEast1, key_east)));
    CHECK(w.root_snapshot(kUsEast1, copy).kms_key_arn() == key_east);
  }
}

TEST_CASE("CopyImage: KmsKeyId without Encrypted is InvalidParameterDependency", "[ec2]") {
  Ec2World w;
  const std::string key = w.keys().create_key(kSourceAccount, kUsWest2);
  api::ec2::CopyImageInput in = copy_of(w.image(kSourceAccount));
  in.kms_key_id = key;
  sim::Result<api::ec2::CopyImageOutput> out =
      w.ec2().copy_image(w.root(kSourceAccount, kUsWest2), in);
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().code == "InvalidParameterDependency");
  CHECK(out.error().message
        == "The parameter KmsKeyId requires the parameter Encrypted to be set.");
  in.encrypted = false;
  CHECK(w.ec2().copy_image(w.root(kSourceAccount, kUsWest2), in).error().code
        == "InvalidParameterDependency");
}

TEST_CASE("CopyImage: destination key selection", "[ec2]") {
  Ec2World w;
  const api::CallContext west = w.root(kSourceAccount, kUsWest2);
  const std::string given = w.keys().create_key(kSourceAccount, kUsWest2, {}, "alias/given");
  const std::string account_default = w.keys().create_key(kSourceAccount, kUsWest2);
  api::ec2::CopyImageInput in = copy_of(w.image(kSourceAccount));
  in.encrypted = true;

  SECTION("the given KmsKeyId as an ARN") {
    in.kms_key_id = given;
    CHECK(w.root_snapshot(kUsWest2, copy_and_run(w, west, in)).kms_key_arn() == given);
  }
  SECTION("the given KmsKeyId as an alias") {
    in.kms_key_id = "alias/given";
    CHECK(w.root_snapshot(kUsWest2, copy_and_run(w, west, in)).kms_key_arn() == given);
  }
  SECTION("the account default set with ModifyEbsDefaultKmsKeyId") {
    REQUIRE(w.ec2().modify_ebs_default_kms_key_id(west, {.kms_key_id = account_default}).ok());
    CHECK(w.root_snapshot(kUsWest2, copy_and_run(w, west, in)).kms_key_arn() == account_default);
  }
  SECTION("alias/aws/ebs of the caller's account without either") {
    const std::string copy = copy_and_run(w, west, in);
    const std::string arn = w.root_snapshot(kUsWest2, copy).kms_key_arn();
    CHECK(arn == w.keys().aws_managed_ebs_key(kSourceAccount, kUsWest2));
    CHECK(w.keys().is_aws_managed_key(arn));
  }
  SECTION("a default set in another region does not apply") {
    REQUIRE(w.ec2()
                .modify_ebs_default_kms_key_id(
                    w.root(kSourceAccount, kUsEast1),
                    {.kms_key_id = w.keys().create_key(kSourceAccount, kUsEast1)})
                .ok());
    const std::string copy = copy_and_run(w, west, in);
    CHECK(w.keys().is_aws_managed_key(w.root_snapshot(kUsWest2, copy).kms_key_arn()));
  }
}

TEST_CASE("CopyImage: encryption by default behaves like Encrypted true", "[ec2]") {
  Ec2World w;
  const api::CallContext west = w.root(kSourceAccount, kUsWest2);
  const std::string key = w.keys().create_key(kSourceAccount, kUsWest2);
  REQUIRE(w.ec2().enable_ebs_encryption_by_default(west, {}).ok());
  REQUIRE(w.ec2().modify_ebs_default_kms_key_id(west, {.kms_key_id = key}).ok());
  const std::string copy = copy_and_run(w, west, copy_of(w.image(kSourceAccount)));
  CHECK(w.root_snapshot(kUsWest2, copy).kms_key_arn() == key);
  // An explicit Encrypted=false on an unencrypted source cannot opt out of the account default.
  api::ec2::CopyImageInput in = copy_of(w.image(kSourceAccount));
  in.encrypted = false;
  CHECK(w.root_snapshot(kUsWest2, copy_and_run(w, west, in)).encrypted);
}

TEST_CASE("CopyImage: the copy decrypts under the destination key and not the source key",
          "[ec2]") {
  Ec2World w;
  const std::string key_east = w.keys().create_key(kSourceAccount, kUsEast1);
  const std::string key_west = w.keys().create_key(kSourceAccount, kUsWest2);
  const std::string source = w.image(kSourceAccount, kUsEast1, key_east);
  api::ec2::CopyImageInput in = copy_of(source);
  in.encrypted = true;
  in.kms_key_id = key_west;
  const std::string copy = copy_and_run(w, w.root(kSourceAccount, kUsWest2), in);

  const SnapshotRecord& src = w.root_snapshot(kUsEast1, source);
  const SnapshotRecord& dst = w.root_snapshot(kUsWest2, copy);
  REQUIRE(dst.data_key != nullptr);
  CHECK(dst.data_key->key_arn == key_west);
  // The data key unwraps under the destination key's material only.
  CHECK(w.keys().unwrap_with(key_west, *dst.data_key, dst.id.view()).has_value());
  CHECK_FALSE(w.keys().unwrap_with(key_east, *dst.data_key, dst.id.view()).has_value());
  // The content is really re-encrypted (new data key, new IV) and decrypts to the same bytes.
  CHECK(*dst.content != *src.content);
  sim::Result<std::vector<uint8_t>> plain_src =
      w.ec2().read_snapshot_content(w.root(kSourceAccount, kUsEast1), kUsEast1, src.id.view());
  sim::Result<std::vector<uint8_t>> plain_dst =
      w.ec2().read_snapshot_content(w.root(kSourceAccount, kUsWest2), kUsWest2, dst.id.view());
  REQUIRE(plain_src.ok());
  REQUIRE(plain_dst.ok());
  CHECK(*plain_src == *plain_dst);
  CHECK(plain_dst->size() == w.ec2().options().snapshot_content_bytes);
  // Ciphertext plus the 16-byte GCM tag.
  CHECK(dst.content->size() == plain_dst->size() + crypto::kGcmTagBytes);
}

TEST_CASE("CopyImage: a cross-account copy with the launch permission only is refused for storage",
          "[ec2]") {
  SECTION("synchronously by default, as AWS answers CopyImage") {
    Ec2World w;
    const std::string source = w.image(kSourceAccount);
    w.share(kSourceAccount, kUsEast1, source, kTargetAccount, /*with_snapshots=*/false);
    sim::Result<api::ec2::CopyImageOutput> out =
        w.ec2().copy_image(w.root(kTargetAccount, kUsWest2), copy_of(source));
    REQUIRE_FALSE(out.ok());
    CHECK(out.error().code == "InvalidRequest");
    CHECK(out.error().message == "You do not have permission to access the storage of this ami");
  }
  SECTION("asynchronously when configured so") {
    Ec2World w({.storage_permission_check_async = true});
    const std::string source = w.image(kSourceAccount);
    w.share(kSourceAccount, kUsEast1, source, kTargetAccount, /*with_snapshots=*/false);
    const std::string copy = copy_and_run(w, w.root(kTargetAccount, kUsWest2), copy_of(source));
    CHECK(w.state_of(kUsWest2, copy) == "failed");
    const ImageRecord& image = w.image_record(kUsWest2, copy);
    REQUIRE(image.failure != nullptr);
    CHECK(image.failure->state_reason.message
          == "You do not have permission to access the storage of this ami");
    CHECK(w.ec2().copies_in_flight(kTargetAccount, kUsWest2) == 0);
    // It failed at the setup step, before any data moved.
    CHECK(w.ctx().now() == sim::Instant::start() + w.ec2().options().copy_time.fixed_latency);
  }
}

TEST_CASE("CopyImage: a cross-account encrypted copy re-encrypts under the copier's default key",
          "[ec2]") {
  Ec2World w;
  const std::string key =
      w.keys().create_key(kSourceAccount,
                          kUsEast1,
                          testing::FakeEbsKeys::shared_policy(kSourceAccount, kTargetAccount));
  const std::string source = w.image(kSourceAccount, kUsEast1, key);
  w.share(kSourceAccount, kUsEast1, source, kTargetAccount);
  const api::CallContext target = w.root(kTargetAccount, kUsWest2);

  SECTION("Encrypted omitted: the copier's alias/aws/ebs") {
    const std::string copy = copy_and_run(w, target, copy_of(source));
    REQUIRE(w.state_of(kUsWest2, copy) == "available");
    const SnapshotRecord& snap = w.root_snapshot(kUsWest2, copy);
    CHECK(snap.owner == kTargetAccount);
    CHECK(snap.kms_key_arn() == w.keys().aws_managed_ebs_key(kTargetAccount, kUsWest2));
    CHECK(w.image_record(kUsWest2, copy).owner == kTargetAccount);
  }
  SECTION("the copier's own key given") {
    const std::string own = w.keys().create_key(kTargetAccount, kUsWest2);
    api::ec2::CopyImageInput in = copy_of(source);
    in.encrypted = true;
    in.kms_key_id = own;
    const std::string copy = copy_and_run(w, target, in);
    CHECK(w.root_snapshot(kUsWest2, copy).kms_key_arn() == own);
    sim::Result<std::vector<uint8_t>> plain =
        w.ec2().read_snapshot_content(target, kUsWest2, w.root_snapshot(kUsWest2, copy).id.view());
    REQUIRE(plain.ok());
    CHECK(*plain
          == *w.ec2().read_snapshot_content(w.root(kSourceAccount, kUsEast1),
                                            kUsEast1,
                                            w.root_snapshot(kUsEast1, source).id.view()));
  }
  SECTION("tags are not copied across accounts and launch permissions never") {
    REQUIRE(w.ec2()
                .create_tags(w.root(kSourceAccount),
                             {.resources = {source}, .tags = {{.key = "k", .value = "v"}}})
                .ok());
    api::ec2::CopyImageInput in = copy_of(source);
    in.copy_image_tags = true;
    const std::string copy = copy_and_run(w, target, in);
    CHECK(w.image_record(kUsWest2, copy).tags.empty());
    CHECK(w.image_record(kUsWest2, copy).launch_permissions == nullptr);
  }
}

TEST_CASE("CopyImage: a source key policy that ignores the copier fails the copy", "[ec2]") {
  Ec2World w;
  // The key policy does not name the target account: KMS denies Decrypt during the copy.
  const std::string key = w.keys().create_key(kSourceAccount, kUsEast1);
  const std::string source = w.image(kSourceAccount, kUsEast1, key);
  w.share(kSourceAccount, kUsEast1, source, kTargetAccount);
  const std::string copy = copy_and_run(w, w.root(kTargetAccount, kUsWest2), copy_of(source));
  CHECK(w.state_of(kUsWest2, copy) == "failed");
  const ImageRecord& image = w.image_record(kUsWest2, copy);
  REQUIRE(image.failure != nullptr);
  CHECK(image.failure->state_reason.code == "Server.InternalError");
  CHECK(image.failure->state_reason.message == "Copy image failed with an internal error");
  CHECK(image.failure->cause.code == "AccessDeniedException");
  CHECK_THAT(image.failure->cause.message, Catch::Contains("kms:CreateGrant"));
  CHECK(w.ec2().copies_in_flight(kTargetAccount, kUsWest2) == 0);
  // DescribeImages shows AWS's StateReason.
  sim::Result<api::ec2::DescribeImagesOutput> d =
      w.ec2().describe_images(w.root(kTargetAccount, kUsWest2), {.image_ids = {copy}});
  REQUIRE(d.ok());
  CHECK(d->images[0].state == "failed");
  CHECK(d->images[0].state_reason->message == "Copy image failed with an internal error");
}

TEST_CASE("CopyImage: KMS denials during the copy fail it with a StateReason", "[ec2]") {
  Ec2World w;
  const std::string key_east = w.keys().create_key(kSourceAccount, kUsEast1);
  const std::string key_west = w.keys().create_key(kSourceAccount, kUsWest2);
  const std::string source = w.image(kSourceAccount, kUsEast1, key_east);
  api::ec2::CopyImageInput in = copy_of(source);
  in.encrypted = true;
  in.kms_key_id = key_west;
  const api::CallContext west = w.root(kSourceAccount, kUsWest2);
  const sim::Instant start = w.ctx().now();

  SECTION("Decrypt on the source key, at the end of the transfer") {
    w.keys().deny("decrypt_data_key", key_east);
    const std::string copy = copy_and_run(w, west, in);
    CHECK(w.state_of(kUsWest2, copy) == "failed");
    CHECK(w.image_record(kUsWest2, copy).failure->cause.code == "AccessDeniedException");
    CHECK(w.ctx().now() - start > w.ec2().options().copy_time.fixed_latency);
  }
  SECTION("GenerateDataKey on the destination key") {
    w.keys().deny("generate_data_key", key_west);
    const std::string copy = copy_and_run(w, west, in);
    CHECK(w.state_of(kUsWest2, copy) == "failed");
    CHECK(w.image_record(kUsWest2, copy).failure->cause.code == "AccessDeniedException");
  }
  SECTION("DescribeKey on the destination key, at the setup step") {
    w.keys().deny("describe_key", key_west);
    const std::string copy = copy_and_run(w, west, in);
    CHECK(w.state_of(kUsWest2, copy) == "failed");
    CHECK(w.ctx().now() - start == w.ec2().options().copy_time.fixed_latency);
  }
  SECTION("a KmsKeyId that does not exist succeeds at once and fails later") {
    in.kms_key_id = "alias/does-not-exist";
    sim::Result<api::ec2::CopyImageOutput> out = w.ec2().copy_image(west, in);
    REQUIRE(out.ok());
    w.run();
    CHECK(w.state_of(kUsWest2, *out->image_id) == "failed");
    CHECK(w.image_record(kUsWest2, *out->image_id).failure->cause.code == "NotFoundException");
  }
  CHECK(w.ec2().copies_in_flight(kSourceAccount, kUsWest2) == 0);
}

TEST_CASE("CopyImage: a key disabled mid-copy fails the copy", "[ec2]") {
  Ec2World w;
  const std::string key_east = w.keys().create_key(kSourceAccount, kUsEast1);
  const std::string key_west = w.keys().create_key(kSourceAccount, kUsWest2);
  api::ec2::CopyImageInput in = copy_of(w.image(kSourceAccount, kUsEast1, key_east));
  in.encrypted = true;
  in.kms_key_id = key_west;
  sim::Result<api::ec2::CopyImageOutput> out =
      w.ec2().copy_image(w.root(kSourceAccount, kUsWest2), in);
  REQUIRE(out.ok());
  // Past the setup step, before the end of the transfer.
  w.ctx().scheduler().run_for(w.ec2().options().copy_time.fixed_latency
                              + sim::Duration::seconds(1));
  CHECK(w.state_of(kUsWest2, *out->image_id) == "pending");

  SECTION("the destination key") {
    w.keys().set_enabled(key_west, false);
  }
  SECTION("the source key") {
    w.keys().set_enabled(key_east, false);
  }
  w.run();
  CHECK(w.state_of(kUsWest2, *out->image_id) == "failed");
  CHECK(w.image_record(kUsWest2, *out->image_id).failure->cause.code == "DisabledException");
}

TEST_CASE("CopyImage: a paravirtual image only goes to regions with PV support", "[ec2]") {
  Ec2World w;
  Ec2Model::SeedImage seed;
  seed.owner = kSourceAccount;
  seed.region = kUsEast1;
  seed.name = "pv-image";
  seed.virtualization_type = "paravirtual";
  const std::string source = *w.ec2().seed_image(seed);
  sim::Result<api::ec2::CopyImageOutput> out =
      w.ec2().copy_image(w.root(kSourceAccount, kEuWest3), copy_of(source));
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().code == "InvalidRequest");
  CHECK_THAT(out.error().message, Catch::Contains("paravirtual"));
  // us-west-2 supports PV.
  const std::string copy = copy_and_run(w, w.root(kSourceAccount, kUsWest2), copy_of(source));
  CHECK(w.state_of(kUsWest2, copy) == "available");
  CHECK(w.image_record(kUsWest2, copy).virtualization == Virtualization::kParavirtual);
  // HVM images go anywhere.
  CHECK(
      w.ec2().copy_image(w.root(kSourceAccount, kEuWest3), copy_of(w.image(kSourceAccount))).ok());
}

TEST_CASE("CopyImage: the copy cap admits exactly its limit", "[ec2]") {
  Ec2World w;
  const std::string source = w.image(kSourceAccount);
  const api::CallContext west = w.root(kSourceAccount, kUsWest2);
  const uint32_t limit = w.ec2().options().copy_concurrency_limit;
  REQUIRE(limit == 50);
  for (uint32_t i = 0; i < limit; ++i) {
    api::ec2::CopyImageInput in = copy_of(source);
    in.name = "copy-" + std::to_string(i);
    REQUIRE(w.ec2().copy_image(west, in).ok());
  }
  CHECK(w.ec2().copies_in_flight(kSourceAccount, kUsWest2) == 50);
  sim::Result<api::ec2::CopyImageOutput> over = w.ec2().copy_image(west, copy_of(source));
  REQUIRE_FALSE(over.ok());
  CHECK(over.error().code == "ResourceLimitExceeded");
  CHECK(over.error().http_status == 400);
  CHECK_THAT(over.error().message, Catch::Contains("50"));
  // The cap is per (destination account, destination region).
  CHECK(w.ec2().copy_image(w.root(kSourceAccount, kEuWest3), copy_of(source)).ok());
  CHECK(
      w.ec2().copy_image(w.root(kTargetAccount, kUsWest2), copy_of(w.image(kTargetAccount))).ok());
  w.run();
  CHECK(w.ec2().copies_in_flight(kSourceAccount, kUsWest2) == 0);
  CHECK(w.ec2().copy_peak(kSourceAccount, kUsWest2) == 50);
  // A slot frees when a copy ends.
  CHECK(w.ec2().copy_image(west, copy_of(source)).ok());
  const auto peaks = w.ec2().copy_peaks();
  CHECK(peaks.at({kSourceAccount, kUsWest2}) == 50);
  CHECK(peaks.at({kSourceAccount, kEuWest3}) == 1);
}

TEST_CASE("CopyImage: the cap is configurable per world and per account and region", "[ec2]") {
  Ec2World w({.copy_concurrency_limit = 300});
  const std::string source = w.image(kSourceAccount);
  REQUIRE(w.ec2().seed_copy_limit(kSourceAccount, kUsWest2, 2).ok());
  const api::CallContext west = w.root(kSourceAccount, kUsWest2);
  CHECK(w.ec2().copy_image(west, copy_of(source)).ok());
  CHECK(w.ec2().copy_image(west, copy_of(source)).ok());
  CHECK(w.ec2().copy_image(west, copy_of(source)).error().code == "ResourceLimitExceeded");
  CHECK(w.ec2().copy_limit(kSourceAccount, kUsWest2) == 2);
  CHECK(w.ec2().copy_limit(kSourceAccount, kEuWest3) == 300);
  CHECK(w.ec2().seed_copy_limit(kSourceAccount, kUsWest2, 0).error().code
        == "InvalidParameterValue");
}

TEST_CASE("CopyImage: deregistering a pending copy cancels it and frees its slot", "[ec2]") {
  Ec2World w;
  const api::CallContext west = w.root(kSourceAccount, kUsWest2);
  const std::string copy = *w.ec2().copy_image(west, copy_of(w.image(kSourceAccount)))->image_id;
  REQUIRE(w.ec2().deregister_image(west, {.image_id = copy}).ok());
  CHECK(w.ec2().copies_in_flight(kSourceAccount, kUsWest2) == 0);
  CHECK(w.ec2().copies_pending() == 0);
  w.run();
  CHECK(w.state_of(kUsWest2, copy) == "absent");
}

TEST_CASE("CopyImage: request-rate throttling answers RequestLimitExceeded", "[ec2]") {
  Ec2Model::Options options;
  options.request_rate.enabled = true;
  options.request_rate.resource_intensive = {.rate_per_sec = 1, .burst = 3};
  options.copy_concurrency_limit = 100;
  Ec2World w(options);
  const std::string source = w.image(kSourceAccount);
  const api::CallContext west = w.root(kSourceAccount, kUsWest2);
  for (int i = 0; i < 3; ++i) {
    REQUIRE(w.ec2().copy_image(west, copy_of(source)).ok());
  }
  sim::Result<api::ec2::CopyImageOutput> throttled = w.ec2().copy_image(west, copy_of(source));
  REQUIRE_FALSE(throttled.ok());
  CHECK(throttled.error().code == "RequestLimitExceeded");
  CHECK(throttled.error().message == "Request limit exceeded.");
  CHECK(throttled.error().http_status == 503);
  // Other action classes and other accounts have their own buckets.
  CHECK(w.ec2().describe_images(west, {}).ok());
  CHECK(
      w.ec2().copy_image(w.root(kTargetAccount, kUsWest2), copy_of(w.image(kTargetAccount))).ok());
  // The bucket refills in virtual time.
  w.ctx().scheduler().run_for(sim::Duration::seconds(1));
  CHECK(w.ec2().copy_image(west, copy_of(source)).ok());
}

TEST_CASE("CopyImage: throttling is off by default", "[ec2]") {
  Ec2World w({.copy_concurrency_limit = 1000});
  const std::string source = w.image(kSourceAccount);
  for (int i = 0; i < 500; ++i) {
    REQUIRE(w.ec2().copy_image(w.root(kSourceAccount, kUsWest2), copy_of(source)).ok());
  }
}

TEST_CASE("CopyImage: ClientToken makes retries idempotent", "[ec2]") {
  Ec2World w;
  const std::string source = w.image(kSourceAccount);
  const api::CallContext west = w.root(kSourceAccount, kUsWest2);
  api::ec2::CopyImageInput in = copy_of(source);
  in.client_token = "token-1";
  const std::string first = *w.ec2().copy_image(west, in)->image_id;
  CHECK(*w.ec2().copy_image(west, in)->image_id == first);
  CHECK(w.ec2().copies_started() == 1);
  w.run();
  CHECK(*w.ec2().copy_image(west, in)->image_id == first);

  in.description = "different";
  sim::Result<api::ec2::CopyImageOutput> mismatch = w.ec2().copy_image(west, in);
  REQUIRE_FALSE(mismatch.ok());
  CHECK(mismatch.error().code == "IdempotentParameterMismatch");
  // Tokens are per account and region.
  in.description.reset();
  CHECK(*w.ec2().copy_image(w.root(kSourceAccount, kEuWest3), in)->image_id != first);
  in.client_token = std::string(129, 't');
  CHECK(w.ec2().copy_image(west, in).error().code == "InvalidParameterValue");
}

TEST_CASE("CopyImage: parameters and the source are checked at once", "[ec2]") {
  Ec2World w;
  const std::string source = w.image(kSourceAccount);
  const api::CallContext west = w.root(kSourceAccount, kUsWest2);
  auto code = [&](api::ec2::CopyImageInput in) {
    sim::Result<api::ec2::CopyImageOutput> out = w.ec2().copy_image(west, in);
    return out.ok() ? std::string("ok") : out.error().code;
  };
  api::ec2::CopyImageInput in = copy_of(source);
  in.source_image_id.clear();
  CHECK(code(in) == "MissingParameter");
  in = copy_of(source);
  in.source_region.clear();
  CHECK(code(in) == "MissingParameter");
  in = copy_of(source);
  in.name = "ab";
  CHECK(code(in) == "InvalidAMIName.Malformed");
  in = copy_of(source);
  in.source_region = "mars-north-1";
  CHECK(code(in) == "InvalidParameterValue");
  in = copy_of(source);
  in.source_image_id = "image-9ad76sd1";
  CHECK(code(in) == "InvalidAMIID.Malformed");
  CHECK(w.ec2().copy_image(west, in).error().message
        == "Invalid id: \"image-9ad76sd1\" (expecting \"ami-...\")");
  in = copy_of("ami-0123456789abcdef0");
  CHECK(code(in) == "InvalidAMIID.NotFound");
  CHECK(w.ec2().copy_image(west, in).error().message
        == "The image id '[ami-0123456789abcdef0]' does not exist");
  // Another account's private image is invisible, hence not found.
  in = copy_of(w.image(kOtherAccount));
  CHECK(code(in) == "InvalidAMIID.NotFound");
  // The source must be in SourceRegion.
  in = copy_of(source, kUsWest2);
  CHECK(code(in) == "InvalidAMIID.NotFound");
  in = copy_of(source);
  in.description = std::string(256, 'd');
  CHECK(code(in) == "InvalidParameterValue");
  in = copy_of(source);
  in.tag_specifications = {{.resource_type = "instance", .tags = {{.key = "k", .value = "v"}}}};
  CHECK(code(in) == "InvalidParameterValue");
  in = copy_of(source);
  in.tag_specifications = {{.resource_type = "image", .tags = {{.key = "aws:x", .value = "v"}}}};
  CHECK(code(in) == "InvalidParameterValue");
  in = copy_of(source);
  in.snapshot_copy_completion_duration_minutes = 20;
  CHECK(code(in) == "InvalidParameterValue");
  CHECK(w.ec2().copies_in_flight(kSourceAccount, kUsWest2) == 0);
}

TEST_CASE("CopyImage: a time-based copy completes in the duration asked for", "[ec2]") {
  Ec2World w;
  api::ec2::CopyImageInput in = copy_of(w.image(kSourceAccount));
  in.snapshot_copy_completion_duration_minutes = 45;
  copy_and_run(w, w.root(kSourceAccount, kUsWest2), in);
  CHECK(w.ctx().now() == sim::Instant::start() + sim::Duration::minutes(45));
}

TEST_CASE("CopyImage: tags on create and CopyImageTags within the account", "[ec2]") {
  Ec2World w;
  const std::string source = w.image(kSourceAccount);
  REQUIRE(w.ec2()
              .create_tags(w.root(kSourceAccount),
                           {.resources = {source}, .tags = {{.key = "Team", .value = "platform"}}})
              .ok());
  api::ec2::CopyImageInput in = copy_of(source);
  in.copy_image_tags = true;
  in.tag_specifications = {
      {.resource_type = "image", .tags = {{.key = "CreatedBy", .value = "EC2 Image Builder"}}},
      {.resource_type = "snapshot", .tags = {{.key = "Kind", .value = "copy"}}}};
  const std::string copy = copy_and_run(w, w.root(kSourceAccount, kUsWest2), in);
  const TagMap& tags = w.image_record(kUsWest2, copy).tags;
  CHECK(tags.at("Team") == "platform");
  CHECK(tags.at("CreatedBy") == "EC2 Image Builder");
  CHECK(w.root_snapshot(kUsWest2, copy).tags.at("Kind") == "copy");
  // Without CopyImageTags the source's tags stay behind.
  const std::string plain = copy_and_run(w, w.root(kSourceAccount, kUsWest2), copy_of(source));
  CHECK(w.image_record(kUsWest2, plain).tags.empty());
}

TEST_CASE("CopyImage: DryRun answers DryRunOperation when allowed", "[ec2]") {
  Ec2World w;
  const std::string source = w.image(kSourceAccount);
  api::ec2::CopyImageInput in = copy_of(source);
  in.dry_run = true;
  sim::Result<api::ec2::CopyImageOutput> out =
      w.ec2().copy_image(w.root(kSourceAccount, kUsWest2), in);
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().code == "DryRunOperation");
  CHECK(out.error().message == "Request would have succeeded, but DryRun flag is set.");
  CHECK(w.ec2().copies_started() == 0);
  // Without permission: UnauthorizedOperation.
  const api::CallContext role = w.role(kSourceAccount, "NoPerms", kUsWest2);
  CHECK(w.ec2().copy_image(role, in).error().code == "UnauthorizedOperation");
}

TEST_CASE("CopyImage: IAM authorizes the source image and the new image", "[ec2]") {
  Ec2World w;
  const std::string source = w.image(kSourceAccount);
  const std::string role_arn = Ec2World::role_arn(kTargetAccount, "Distributor");
  const api::CallContext role = w.role(kTargetAccount, "Distributor", kUsWest2);
  w.share(kSourceAccount, kUsEast1, source, kTargetAccount);

  SECTION("no policy: UnauthorizedOperation with an encoded message") {
    sim::Result<api::ec2::CopyImageOutput> out = w.ec2().copy_image(role, copy_of(source));
    REQUIRE_FALSE(out.ok());
    CHECK(out.error().code == "UnauthorizedOperation");
    CHECK(out.error().http_status == 403);
    const std::string prefix =
        "You are not authorized to perform this operation. Encoded authorization failure "
        "message: ";
    REQUIRE(out.error().message.substr(0, prefix.size()) == prefix);
    // STS decodes the blob into ibsim's explanation.
    const auth::AuthorizationMessages messages(w.ctx().rng());
    sim::Result<std::string> decoded = messages.decode(out.error().message.substr(prefix.size()));
    REQUIRE(decoded.ok());
    CHECK(*decoded == out.error().explanation);
    CHECK_THAT(*decoded, Catch::Contains("ec2:CopyImage"));
  }
  SECTION("the source must be allowed: a policy on the new image only is not enough") {
    w.authz().attach(role_arn,
                     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
                     R"("Action":"ec2:CopyImage","Resource":"arn:aws:ec2:us-west-2::image/*"}]})");
    CHECK(w.ec2().copy_image(role, copy_of(source)).error().code == "UnauthorizedOperation");
  }
  SECTION("ec2:Owner conditions the source") {
    w.authz().attach(role_arn,
                     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
                     R"("Action":"ec2:CopyImage","Resource":"*","Condition":{"StringEquals":)"
                     R"({"ec2:Owner":["111111111111","222222222222"]}}}]})");
    CHECK(w.ec2().copy_image(role, copy_of(source)).ok());
    const std::string other = w.image(kOtherAccount);
    w.share(kOtherAccount, kUsEast1, other, kTargetAccount);
    CHECK(w.ec2().copy_image(role, copy_of(other)).error().code == "UnauthorizedOperation");
  }
  SECTION("Image Builder's cross-account managed policy allows the copy") {
    w.authz().attach(role_arn,
                     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
                     R"("Action":"ec2:CreateTags","Resource":"arn:aws:ec2:*::image/*"},)"
                     R"({"Effect":"Allow","Action":["ec2:DescribeImages","ec2:CopyImage",)"
                     R"("ec2:ModifyImageAttribute"],"Resource":"*"}]})");
    api::ec2::CopyImageInput in = copy_of(source);
    in.tag_specifications = {
        {.resource_type = "image", .tags = {{.key = "CreatedBy", .value = "EC2 Image Builder"}}}};
    const std::string copy = copy_and_run(w, role, in);
    CHECK(w.state_of(kUsWest2, copy) == "available");
  }
  SECTION("the managed policy tags images only: snapshot tags on create are denied") {
    w.authz().attach(role_arn,
                     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
                     R"("Action":"ec2:CreateTags","Resource":"arn:aws:ec2:*::image/*"},)"
                     R"({"Effect":"Allow","Action":["ec2:DescribeImages","ec2:CopyImage",)"
                     R"("ec2:ModifyImageAttribute"],"Resource":"*"}]})");
    api::ec2::CopyImageInput in = copy_of(source);
    in.tag_specifications = {
        {.resource_type = "image", .tags = {{.key = "CreatedBy", .value = "EC2 Image Builder"}}},
        {.resource_type = "snapshot",
         .tags = {{.key = "CreatedBy", .value = "EC2 Image Builder"}}}};
    sim::Result<api::ec2::CopyImageOutput> out = w.ec2().copy_image(role, in);
    REQUIRE_FALSE(out.ok());
    CHECK(out.error().code == "UnauthorizedOperation");
    CHECK(w.authz().last_denied_action() == "ec2:CreateTags");
    CHECK_THAT(out.error().explanation, Catch::Contains("snapshot"));
  }
  SECTION("tagging on create needs ec2:CreateTags with ec2:CreateAction") {
    w.authz().attach(role_arn,
                     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
                     R"("Action":"ec2:CopyImage","Resource":"*"}]})");
    api::ec2::CopyImageInput in = copy_of(source);
    in.tag_specifications = {{.resource_type = "image", .tags = {{.key = "k", .value = "v"}}}};
    CHECK(w.ec2().copy_image(role, in).error().code == "UnauthorizedOperation");
    CHECK(w.authz().last_denied_action() == "ec2:CreateTags");
    w.authz().attach(role_arn,
                     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
                     R"("Action":"ec2:CreateTags","Resource":"*","Condition":{"StringEquals":)"
                     R"({"ec2:CreateAction":"CopyImage"}}}]})");
    CHECK(w.ec2().copy_image(role, in).ok());
  }
}

TEST_CASE("CopyTimeModel: bandwidth per region pair with seeded jitter", "[ec2]") {
  CopyTimeModel::Options options;
  options.jitter_sigma = 0;
  options.region_pairs = {{.source = kUsEast1, .destination = kEuWest3, .bytes_per_sec = 1 << 20}};
  CopyTimeModel model(options);
  sim::Rng rng(1);
  const uint64_t gib = uint64_t{1} << 30;
  CHECK(model.transfer_time(kUsEast1, kUsEast1, gib, rng) == sim::Duration::seconds(16));
  CHECK(model.transfer_time(kUsEast1, kUsWest2, gib, rng) == sim::Duration::seconds(64));
  CHECK(model.transfer_time(kUsEast1, kEuWest3, gib, rng) == sim::Duration::seconds(1024));
  // Directional: the reverse pair uses the cross-region default.
  CHECK(model.transfer_time(kEuWest3, kUsEast1, gib, rng) == sim::Duration::seconds(64));
  CHECK(model.transfer_time(kUsEast1, kUsEast1, 1, rng) == sim::Duration::nanoseconds(14));

  CopyTimeModel jittered(CopyTimeModel::Options{});
  sim::Rng a(9);
  sim::Rng b(9);
  const sim::Duration da = jittered.transfer_time(kUsEast1, kUsWest2, 8 * gib, a);
  CHECK(da == jittered.transfer_time(kUsEast1, kUsWest2, 8 * gib, b));
  CHECK(da > sim::Duration::minutes(2));
  CHECK(da < sim::Duration::minutes(30));

  CHECK_FALSE(CopyTimeModel::validate({.same_region_bytes_per_sec = 0}).ok());
  CHECK_FALSE(CopyTimeModel::validate({.jitter_sigma = -1}).ok());
  CHECK_FALSE(CopyTimeModel::validate({.fixed_latency = sim::Duration::seconds(-1)}).ok());
  CHECK(CopyTimeModel::validate({}).ok());
}

}  // namespace
}  // namespace ibsim::mock_aws::ec2
