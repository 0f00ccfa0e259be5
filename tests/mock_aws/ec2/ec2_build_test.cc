// What Image Builder's builds use: RunInstances with block device mappings (encrypted volumes
// under the recipe's key), CreateImage from the running instance, TerminateInstances.

#include <catch2/catch.hpp>

#include "tests/mock_aws/ec2/ec2_test_support.h"

namespace ibsim::mock_aws::ec2 {
namespace {

using testing::Ec2World;
using testing::kAmazonAccount;
using testing::kSourceAccount;
using testing::kUsEast1;

std::string parent_image(Ec2World& w) {
  Ec2Model::SeedImage seed;
  seed.owner = kAmazonAccount;
  seed.region = kUsEast1;
  seed.name = "amzn2-ami-hvm-x86_64-gp2";
  return *w.ec2().seed_public_image(seed);
}

// RunInstances with one root mapping, then the launch latency.
std::string launch(Ec2World& w,
                   const api::CallContext& call,
                   const std::string& image,
                   std::optional<api::ec2::EbsBlockDevice> root = std::nullopt) {
  api::ec2::RunInstancesInput in{.image_id = image, .instance_type = "t3.medium"};
  if (root.has_value()) {
    in.block_device_mappings = {{.device_name = "/dev/xvda", .ebs = root}};
  }
  sim::Result<api::ec2::RunInstancesOutput> out = w.ec2().run_instances(call, in);
  REQUIRE(out.ok());
  w.run();
  return *out->instances.at(0).instance_id;
}

const InstanceRecord& instance(Ec2World& w, const std::string& id) {
  const InstanceRecord* r = w.ec2().find_instance(kSourceAccount, kUsEast1, id);
  REQUIRE(r != nullptr);
  return *r;
}

TEST_CASE("Builds: RunInstances encrypts volumes as the mappings say", "[ec2]") {
  Ec2World w;
  const std::string parent = parent_image(w);
  const api::CallContext call = w.root(kSourceAccount);
  const std::string recipe_key = w.keys().create_key(kSourceAccount, kUsEast1, {}, "alias/recipe");

  SECTION("Encrypted with the recipe's key") {
    const std::string id =
        launch(w,
               call,
               parent,
               api::ec2::EbsBlockDevice{
                   .volume_size = 20, .kms_key_id = "alias/recipe", .encrypted = true});
    const InstanceRecord& r = instance(w, id);
    REQUIRE(r.state == InstanceStateName::kRunning);
    REQUIRE(r.volumes.size() == 1);
    CHECK(r.volumes[0].encrypted);
    CHECK(r.volumes[0].kms_key_arn == recipe_key);
    CHECK(r.volumes[0].volume_size_gib == 20);
    CHECK(r.volumes[0].content->size() == 4096);
  }
  SECTION("unencrypted by default") {
    const InstanceRecord& r = instance(w, launch(w, call, parent));
    CHECK_FALSE(r.volumes.at(0).encrypted);
  }
  SECTION("encryption by default: the account's default key") {
    REQUIRE(w.ec2().enable_ebs_encryption_by_default(call, {}).ok());
    const InstanceRecord& r = instance(w, launch(w, call, parent));
    CHECK(r.volumes.at(0).encrypted);
    CHECK(w.keys().is_aws_managed_key(r.volumes.at(0).kms_key_arn));
  }
  SECTION("KmsKeyId without Encrypted") {
    sim::Result<api::ec2::RunInstancesOutput> out = w.ec2().run_instances(
        call,
        {.image_id = parent,
         .block_device_mappings = {{.device_name = "/dev/xvda",
                                    .ebs = api::ec2::EbsBlockDevice{.kms_key_id = recipe_key}}}});
    REQUIRE_FALSE(out.ok());
    CHECK(out.error().code == "InvalidParameterDependency");
    CHECK(out.error().message
          == "The parameter KmsKeyId requires the parameter Encrypted to be set.");
  }
  SECTION("a volume smaller than the snapshot") {
    CHECK(w.ec2()
              .run_instances(
                  call,
                  {.image_id = parent,
                   .block_device_mappings = {{.device_name = "/dev/xvda",
                                              .ebs = api::ec2::EbsBlockDevice{.volume_size = 4}}}})
              .error()
              .code
          == "InvalidParameterValue");
  }
  SECTION("the recipe key denied to the launching role: terminated at launch") {
    w.keys().deny("generate_data_key", recipe_key);
    const InstanceRecord& r =
        instance(w,
                 launch(w,
                        call,
                        parent,
                        api::ec2::EbsBlockDevice{.kms_key_id = recipe_key, .encrypted = true}));
    CHECK(r.state == InstanceStateName::kTerminated);
    CHECK(r.state_reason->message == "Client.InternalError: Client error on launch");
  }
  SECTION("an added empty volume and a removed one") {
    sim::Result<api::ec2::RunInstancesOutput> out = w.ec2().run_instances(
        call,
        {.image_id = parent,
         .block_device_mappings = {
             {.device_name = "/dev/sdb",
              .ebs = api::ec2::EbsBlockDevice{.volume_size = 100, .encrypted = true}}}});
    REQUIRE(out.ok());
    w.run();
    const InstanceRecord& r = instance(w, *out->instances.at(0).instance_id);
    REQUIRE(r.volumes.size() == 2);
    CHECK(r.volumes[1].device_name == "/dev/sdb");
    CHECK(r.volumes[1].encrypted);
    CHECK(w.ec2()
              .run_instances(call,
                             {.image_id = parent,
                              .block_device_mappings = {{.device_name = "/dev/sdc",
                                                         .ebs = api::ec2::EbsBlockDevice{}}}})
              .error()
              .code
          == "MissingParameter");
  }
}

TEST_CASE("Builds: CreateImage snapshots the instance's volumes under their keys", "[ec2]") {
  Ec2World w;
  const std::string parent = parent_image(w);
  const api::CallContext call = w.root(kSourceAccount);
  const std::string recipe_key = w.keys().create_key(kSourceAccount, kUsEast1);
  const std::string id = launch(
      w, call, parent, api::ec2::EbsBlockDevice{.kms_key_id = recipe_key, .encrypted = true});

  api::ec2::CreateImageInput in{
      .instance_id = id,
      .name = "app-2026-01-01",
      .description = "built",
      .tag_specifications = {
          {.resource_type = "image", .tags = {{.key = "CreatedBy", .value = "EC2 Image Builder"}}},
          {.resource_type = "snapshot", .tags = {{.key = "Kind", .value = "root"}}}}};
  sim::Result<api::ec2::CreateImageOutput> out = w.ec2().create_image(call, in);
  REQUIRE(out.ok());
  const std::string ami = *out->image_id;
  CHECK(w.state_of(kUsEast1, ami) == "pending");
  w.run();
  REQUIRE(w.state_of(kUsEast1, ami) == "available");
  const ImageRecord& image = w.image_record(kUsEast1, ami);
  CHECK(image.tags.at("CreatedBy") == "EC2 Image Builder");
  CHECK(image.description == "built");
  const SnapshotRecord& snap = w.root_snapshot(kUsEast1, ami);
  CHECK(snap.kms_key_arn() == recipe_key);
  CHECK(snap.tags.at("Kind") == "root");
  CHECK(snap.description == "Created by CreateImage(" + id + ") for " + ami);
  // The image holds the parent's bytes, now under the recipe key.
  sim::Result<std::vector<uint8_t>> plain =
      w.ec2().read_snapshot_content(call, kUsEast1, snap.id.view());
  REQUIRE(plain.ok());
  CHECK(*plain == *w.root_snapshot(kUsEast1, parent).content);

  // The engine looks the image up by name after a lost answer; names are unique.
  CHECK(w.ec2()
            .describe_images(
                call,
                {.owners = {"self"}, .filters = {{.name = "name", .values = {"app-2026-01-01"}}}})
            ->images.size()
        == 1);
  CHECK(w.ec2().create_image(call, in).error().code == "InvalidAMIName.Duplicate");
}

TEST_CASE("Builds: CreateImage refuses what AWS refuses", "[ec2]") {
  Ec2World w;
  const std::string parent = parent_image(w);
  const api::CallContext call = w.root(kSourceAccount);
  CHECK(w.ec2().create_image(call, {.name = "x-image"}).error().code == "MissingParameter");
  CHECK(w.ec2()
            .create_image(call, {.instance_id = "i-0123456789abcdef0", .name = "x-image"})
            .error()
            .code
        == "InvalidInstanceID.NotFound");
  CHECK(w.ec2().create_image(call, {.instance_id = "i-xyz", .name = "x-image"}).error().code
        == "InvalidInstanceID.Malformed");
  // Still pending: not yet.
  sim::Result<api::ec2::RunInstancesOutput> pending =
      w.ec2().run_instances(call, {.image_id = parent});
  REQUIRE(pending.ok());
  const std::string id = *pending->instances.at(0).instance_id;
  CHECK(w.ec2().create_image(call, {.instance_id = id, .name = "x-image"}).error().code
        == "IncorrectInstanceState");
  w.run();
  CHECK(w.ec2()
            .create_image(call, {.instance_id = id, .name = "x-image", .dry_run = true})
            .error()
            .code
        == "DryRunOperation");
  // IAM on the instance and the new image.
  const api::CallContext role = w.role(kSourceAccount, "Builder");
  CHECK(w.ec2().create_image(role, {.instance_id = id, .name = "x-image"}).error().code
        == "UnauthorizedOperation");
  w.authz().attach(Ec2World::role_arn(kSourceAccount, "Builder"),
                   R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
                   R"("Action":"ec2:CreateImage","Resource":"*"}]})");
  CHECK(w.ec2().create_image(role, {.instance_id = id, .name = "x-image"}).ok());
}

TEST_CASE("Builds: a key denied after launch fails the image", "[ec2]") {
  Ec2World w;
  const std::string parent = parent_image(w);
  const api::CallContext call = w.root(kSourceAccount);
  const std::string key = w.keys().create_key(kSourceAccount, kUsEast1);
  const std::string id =
      launch(w, call, parent, api::ec2::EbsBlockDevice{.kms_key_id = key, .encrypted = true});
  const std::string ami =
      *w.ec2().create_image(call, {.instance_id = id, .name = "denied"})->image_id;
  w.keys().set_enabled(key, false);
  w.run();
  CHECK(w.state_of(kUsEast1, ami) == "failed");
  CHECK(w.image_record(kUsEast1, ami).failure->cause.code == "DisabledException");
}

TEST_CASE("Builds: TerminateInstances ends instances and their launches", "[ec2]") {
  Ec2World w;
  const std::string parent = parent_image(w);
  const api::CallContext call = w.root(kSourceAccount);
  const std::string running = launch(w, call, parent);
  sim::Result<api::ec2::TerminateInstancesOutput> out =
      w.ec2().terminate_instances(call, {.instance_ids = {running}});
  REQUIRE(out.ok());
  REQUIRE(out->terminating_instances.size() == 1);
  CHECK(out->terminating_instances[0].previous_state->name == "running");
  CHECK(out->terminating_instances[0].current_state->name == "terminated");
  CHECK(instance(w, running).state == InstanceStateName::kTerminated);
  CHECK(instance(w, running).state_reason->code == "Client.UserInitiatedShutdown");
  // Terminating again is harmless; an unknown id is not.
  CHECK(w.ec2().terminate_instances(call, {.instance_ids = {running}}).ok());
  CHECK(w.ec2().terminate_instances(call, {.instance_ids = {"i-0123456789abcdef0"}}).error().code
        == "InvalidInstanceID.NotFound");
  CHECK(w.ec2().terminate_instances(call, {}).error().code == "MissingParameter");
  // A pending launch terminated before it completes stays terminated.
  sim::Result<api::ec2::RunInstancesOutput> pending =
      w.ec2().run_instances(call, {.image_id = parent});
  const std::string early = *pending->instances.at(0).instance_id;
  REQUIRE(w.ec2().terminate_instances(call, {.instance_ids = {early}}).ok());
  w.run();
  CHECK(instance(w, early).state == InstanceStateName::kTerminated);
  // IAM conditioned on the instance's tags.
  sim::Result<api::ec2::RunInstancesOutput> tagged = w.ec2().run_instances(
      call,
      {.image_id = parent,
       .tag_specifications = {{.resource_type = "instance",
                               .tags = {{.key = "CreatedBy", .value = "EC2 Image Builder"}}}}});
  w.run();
  const std::string tagged_id = *tagged->instances.at(0).instance_id;
  const std::string plain_id = launch(w, call, parent);
  w.authz().attach(Ec2World::role_arn(kSourceAccount, "Cleaner"),
                   R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
                   R"("Action":"ec2:TerminateInstances","Resource":"*","Condition":)"
                   R"({"StringEquals":{"ec2:ResourceTag/CreatedBy":"EC2 Image Builder"}}}]})");
  const api::CallContext cleaner = w.role(kSourceAccount, "Cleaner");
  CHECK(w.ec2().terminate_instances(cleaner, {.instance_ids = {plain_id}}).error().code
        == "UnauthorizedOperation");
  CHECK(w.ec2().terminate_instances(cleaner, {.instance_ids = {tagged_id}}).ok());
}

}  // namespace
}  // namespace ibsim::mock_aws::ec2
