// RunInstances at the authorization level: a target account can launch what it received — or
// cannot, for want of a launch permission, an IAM allow, or KMS use of the snapshot's key.

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

std::string state_of(Ec2World& w,
                     const api::AccountId& account,
                     const api::Region& region,
                     const std::string& instance) {
  const InstanceRecord* r = w.ec2().find_instance(account, region, instance);
  return r == nullptr ? "absent" : std::string(to_string(r->state));
}

TEST_CASE("RunInstances: the owner launches its image", "[ec2]") {
  Ec2World w;
  const std::string image = w.image(kSourceAccount);
  const api::CallContext call = w.root(kSourceAccount);
  sim::Result<api::ec2::RunInstancesOutput> out = w.ec2().run_instances(
      call, {.image_id = image, .instance_type = "t3.micro", .min_count = 1, .max_count = 2});
  REQUIRE(out.ok());
  REQUIRE(out->instances.size() == 2);
  const std::string id = *out->instances[0].instance_id;
  CHECK(is_well_formed_id(id, IdKind::kInstance));
  CHECK(out->instances[0].state->name == "pending");
  CHECK(out->owner_id == kSourceAccount.str());
  w.run();
  CHECK(state_of(w, kSourceAccount, kUsEast1, id) == "running");
  sim::Result<api::ec2::DescribeInstancesOutput> d =
      w.ec2().describe_instances(call, {.instance_ids = {id}});
  REQUIRE(d.ok());
  REQUIRE(d->reservations.size() == 1);
  CHECK(d->reservations[0].instances.at(0).state->code == 16);
  CHECK(d->reservations[0].instances.at(0).image_id == image);
  CHECK(w.ec2().describe_instances(call, {})->reservations.at(0).instances.size() == 2);
  CHECK(w.ec2()
            .describe_instances(
                call, {.filters = {{.name = "instance-state-name", .values = {"running"}}}})
            ->reservations.size()
        == 1);
  CHECK(w.ec2().describe_instances(call, {.instance_ids = {"i-0123456789abcdef0"}}).error().code
        == "InvalidInstanceID.NotFound");
  CHECK(w.ec2().describe_instances(w.root(kTargetAccount), {})->reservations.empty());
}

TEST_CASE("RunInstances: a received copy launches in the target account", "[ec2]") {
  Ec2World w;
  // Distribution: the source shares its encrypted image and key; the target copies it under its
  // own key and launches the copy.
  const std::string source_key =
      w.keys().create_key(kSourceAccount,
                          kUsEast1,
                          testing::FakeEbsKeys::shared_policy(kSourceAccount, kTargetAccount));
  const std::string target_key = w.keys().create_key(kTargetAccount, kUsWest2);
  const std::string source = w.image(kSourceAccount, kUsEast1, source_key);
  w.share(kSourceAccount, kUsEast1, source, kTargetAccount);
  api::ec2::CopyImageInput in{.name = "received",
                              .source_image_id = source,
                              .source_region = "us-east-1",
                              .encrypted = true,
                              .kms_key_id = target_key};
  const std::string copy = *w.ec2().copy_image(w.root(kTargetAccount, kUsWest2), in)->image_id;
  w.run();
  REQUIRE(w.state_of(kUsWest2, copy) == "available");

  const std::string role_arn = Ec2World::role_arn(kTargetAccount, "AppDeployer");
  const api::CallContext role = w.role(kTargetAccount, "AppDeployer", kUsWest2);
  SECTION("no IAM permission: UnauthorizedOperation") {
    CHECK(w.ec2().run_instances(role, {.image_id = copy}).error().code == "UnauthorizedOperation");
  }
  SECTION("IAM allows: the key policy delegates to IAM, which allows kms through EC2") {
    w.authz().attach(
        role_arn,
        R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
        R"("Action":"ec2:RunInstances","Resource":"*"},{"Effect":"Allow",)"
        R"("Action":["kms:Decrypt","kms:CreateGrant","kms:DescribeKey"],"Resource":"*",)"
        R"("Condition":{"StringLike":{"kms:ViaService":"ec2.*.amazonaws.com"}}}]})");
    sim::Result<api::ec2::RunInstancesOutput> out = w.ec2().run_instances(role, {.image_id = copy});
    REQUIRE(out.ok());
    w.run();
    CHECK(state_of(w, kTargetAccount, kUsWest2, *out->instances[0].instance_id) == "running");
  }
  SECTION("IAM allows EC2 but not KMS: the instance terminates at launch") {
    w.authz().attach(role_arn,
                     R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
                     R"("Action":"ec2:RunInstances","Resource":"*"}]})");
    sim::Result<api::ec2::RunInstancesOutput> out = w.ec2().run_instances(role, {.image_id = copy});
    REQUIRE(out.ok());
    w.run();
    const InstanceRecord* r =
        w.ec2().find_instance(kTargetAccount, kUsWest2, *out->instances[0].instance_id);
    REQUIRE(r != nullptr);
    CHECK(r->state == InstanceStateName::kTerminated);
    CHECK(r->state_reason->code == "Client.InternalError");
    CHECK(r->state_reason->message == "Client.InternalError: Client error on launch");
    CHECK(r->launch_failure->code == "AccessDeniedException");
  }
  SECTION("the key disabled: InvalidKMSKey.InvalidState") {
    w.keys().set_enabled(target_key, false);
    sim::Result<api::ec2::RunInstancesOutput> out =
        w.ec2().run_instances(w.root(kTargetAccount, kUsWest2), {.image_id = copy});
    REQUIRE(out.ok());
    w.run();
    const InstanceRecord* r =
        w.ec2().find_instance(kTargetAccount, kUsWest2, *out->instances[0].instance_id);
    CHECK(r->state_reason->code == "Client.InvalidKMSKey.InvalidState");
  }
}

TEST_CASE("RunInstances: launch permissions decide who may launch a shared image", "[ec2]") {
  Ec2World w;
  const std::string key =
      w.keys().create_key(kSourceAccount,
                          kUsEast1,
                          testing::FakeEbsKeys::shared_policy(kSourceAccount, kTargetAccount));
  const std::string image = w.image(kSourceAccount, kUsEast1, key);
  const api::CallContext target = w.root(kTargetAccount);
  sim::Result<api::ec2::RunInstancesOutput> hidden =
      w.ec2().run_instances(target, {.image_id = image});
  REQUIRE_FALSE(hidden.ok());
  CHECK(hidden.error().code == "InvalidAMIID.NotFound");
  // The launch permission alone suffices to launch (snapshots need not be shared for launch).
  w.share(kSourceAccount, kUsEast1, image, kTargetAccount, /*with_snapshots=*/false);
  sim::Result<api::ec2::RunInstancesOutput> launched =
      w.ec2().run_instances(target, {.image_id = image});
  REQUIRE(launched.ok());
  w.run();
  CHECK(state_of(w, kTargetAccount, kUsEast1, *launched->instances[0].instance_id) == "running");
  // A third account whose key access is missing: launch permission yes, KMS no.
  w.share(kSourceAccount, kUsEast1, image, kOtherAccount, false);
  sim::Result<api::ec2::RunInstancesOutput> other =
      w.ec2().run_instances(w.root(kOtherAccount), {.image_id = image});
  REQUIRE(other.ok());
  w.run();
  CHECK(state_of(w, kOtherAccount, kUsEast1, *other->instances[0].instance_id) == "terminated");
}

TEST_CASE("RunInstances: from a launch template version", "[ec2]") {
  Ec2World w;
  const std::string image = w.image(kTargetAccount);
  const api::CallContext call = w.root(kTargetAccount);
  const std::string lt =
      *w.ec2()
           .create_launch_template(
               call,
               {.launch_template_name = "app",
                .launch_template_data = {.image_id = image, .instance_type = "c5.large"}})
           ->launch_template->launch_template_id;
  sim::Result<api::ec2::RunInstancesOutput> out = w.ec2().run_instances(
      call,
      {.launch_template = api::ec2::LaunchTemplateSpecification{.launch_template_name = "app"}});
  REQUIRE(out.ok());
  CHECK(out->instances[0].image_id == image);
  CHECK(out->instances[0].instance_type == "c5.large");
  CHECK(w.ec2()
            .run_instances(
                call,
                {.launch_template = api::ec2::LaunchTemplateSpecification{.launch_template_id = lt,
                                                                          .version = "5"}})
            .error()
            .code
        == "InvalidLaunchTemplateId.VersionNotFound");
  CHECK(w.ec2().run_instances(call, {}).error().code == "MissingParameter");
  CHECK(
      w.ec2().run_instances(call, {.image_id = image, .min_count = 3, .max_count = 2}).error().code
      == "InvalidParameterValue");
  CHECK(w.ec2().run_instances(call, {.image_id = image, .dry_run = true}).error().code
        == "DryRunOperation");
  // Instance tags on create need ec2:CreateTags; root has it.
  sim::Result<api::ec2::RunInstancesOutput> tagged =
      w.ec2().run_instances(call,
                            {.image_id = image,
                             .tag_specifications = {{.resource_type = "instance",
                                                     .tags = {{.key = "Name", .value = "web"}}}}});
  REQUIRE(tagged.ok());
  CHECK(tagged->instances[0].tags.at(0).value == "web");
  // ClientToken: the same reservation again.
  sim::Result<api::ec2::RunInstancesOutput> first =
      w.ec2().run_instances(call, {.image_id = image, .client_token = "once"});
  sim::Result<api::ec2::RunInstancesOutput> second =
      w.ec2().run_instances(call, {.image_id = image, .client_token = "once"});
  CHECK(first->reservation_id == second->reservation_id);
  CHECK(first->instances.at(0).instance_id == second->instances.at(0).instance_id);
}

TEST_CASE("RunInstances: a pending copy cannot be launched yet", "[ec2]") {
  Ec2World w;
  const std::string copy = *w.ec2()
                                .copy_image(w.root(kSourceAccount, kUsWest2),
                                            {.name = "pending",
                                             .source_image_id = w.image(kSourceAccount),
                                             .source_region = "us-east-1"})
                                ->image_id;
  CHECK(w.ec2().run_instances(w.root(kSourceAccount, kUsWest2), {.image_id = copy}).error().code
        == "InvalidAMIID.Unavailable");
  w.run();
  CHECK(w.ec2().run_instances(w.root(kSourceAccount, kUsWest2), {.image_id = copy}).ok());
}

}  // namespace
}  // namespace ibsim::mock_aws::ec2
