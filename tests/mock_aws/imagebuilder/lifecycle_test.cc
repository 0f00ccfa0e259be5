// Images in virtual time through a fake Workflow: the phases and their timing, the build and
// distribution plans, failures with their reasons, cancel in every phase, name expansion,
// parents (managed, own image, SSM), DistributeImage, RetryImage, pipelines, idempotency, quotas
// and determinism.

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "mock_aws/imagebuilder/managed_catalogue.h"
#include "tests/mock_aws/imagebuilder/imagebuilder_test_util.h"
#include "tests/test_printers.h"

namespace ibsim::mock_aws::imagebuilder {
namespace {

namespace ib = api::imagebuilder;

using sim::Duration;
using sim::Instant;
using testing::call;
using testing::Fixture;
using testing::kOwner;
using testing::kTargetA;
using testing::kTargetB;

const std::string kImageArn =
    "arn:aws:imagebuilder:us-west-2:111122223333:image/mybasicrecipe/2019.12.3/1";

Instant at(Duration d) {
  return Instant::start() + d;
}

std::vector<std::string> statuses(const ImageBuilderModel::ImageDetails& d) {
  std::vector<std::string> out;
  for (const auto& change : d.history) {
    out.push_back(change.status);
  }
  return out;
}

TEST_CASE("Lifecycle: a build walks every phase on time and records both plans", "[imagebuilder]") {
  Fixture f;
  f.create_set();
  const std::string arn = f.create_image();
  CHECK(arn == kImageArn);
  CHECK(f.status(arn) == "PENDING");
  CHECK(f.model.active_image_count(api::AccountId::from_valid(kOwner),
                                   api::Region::from_known("us-west-2"))
        == 1);

  auto& sched = f.ctx.scheduler();
  sched.run_until(at(Duration::seconds(30)));
  CHECK(f.status(arn) == "CREATING");
  sched.run_until(at(Duration::seconds(150)));
  CHECK(f.status(arn) == "BUILDING");
  CHECK(f.workflow.builds.empty());  // Components run first (Durations::building).
  sched.run_until(at(Duration::seconds(150) + Duration::minutes(15)));
  REQUIRE(f.workflow.builds.size() == 1);
  const ib::BuildPlan& build = f.workflow.builds[0];
  CHECK(build.image_arn == arn);
  CHECK(build.owner.str() == kOwner);
  CHECK(build.region.str() == "us-west-2");
  // The managed parent's x.x.x resolves to the latest version's public AMI in the region.
  CHECK(build.parent_ami_id
        == managed_image_ami_id(
            "amazon-linux-2023-x86", "2025.11.2", api::Region::from_known("us-west-2")));
  CHECK(build.instance_profile_name == "EC2InstanceProfileForImageBuilder");
  CHECK(build.ami_name == "MyBasicRecipe 2026-01-01T00-00-00.000Z");
  CHECK(build.ami_description == "A basic recipe");
  CHECK(build.ami_tags.at("CreatedBy") == "EC2 Image Builder");
  CHECK(build.ami_tags.at("Ec2ImageBuilderArn") == arn);
  CHECK(build.ami_tags.at("team") == "platform");
  REQUIRE(build.block_devices.size() == 1);
  CHECK(build.block_devices[0].device_name == "/dev/xvda");
  CHECK(build.block_devices[0].encrypted == true);
  CHECK(build.block_devices[0].kms_key_id == "alias/images");
  CHECK(build.block_devices[0].volume_size_gib == 8);
  CHECK(build.block_devices[0].volume_type == "gp3");

  sched.run_until(at(Duration::minutes(22) + Duration::seconds(30)));
  CHECK(f.status(arn) == "TESTING");
  sched.run_until(at(Duration::minutes(32) + Duration::seconds(30)));
  CHECK(f.status(arn) == "DISTRIBUTING");
  REQUIRE(f.workflow.distributions.size() == 1);
  const ib::DistributionPlan& plan = f.workflow.distributions[0];
  CHECK(plan.image_arn == arn);
  CHECK(plan.distribution_configuration_arn == f.distribution_arn);
  CHECK(plan.source_region.str() == "us-west-2");
  CHECK(plan.source_ami_id == "ami-0b100000000000001");
  CHECK(plan.timeout == Duration::minutes(720));
  REQUIRE(plan.regions.size() == 1);
  REQUIRE(plan.regions[0].ami.has_value());
  CHECK(plan.regions[0].ami->name == "Name 2026-01-01T00-00-00.000Z");
  CHECK(plan.regions[0].ami->target_account_ids
        == std::vector<api::AccountId>{api::AccountId::from_valid(kTargetA),
                                       api::AccountId::from_valid(kTargetB)});
  CHECK(plan.regions[0].not_simulated.empty());

  sched.run_until(at(Duration::minutes(52) + Duration::seconds(30)));
  CHECK(f.status(arn) == "INTEGRATING");
  sched.run_until(at(Duration::minutes(53) + Duration::seconds(29)));
  CHECK(f.status(arn) == "INTEGRATING");
  sched.run_until(at(Duration::minutes(53) + Duration::seconds(30)));
  CHECK(f.status(arn) == "AVAILABLE");

  auto image = f.model.get_image(f.caller, {.image_build_version_arn = arn});
  REQUIRE(image.ok());
  const ib::Image& i = image->image;
  CHECK(i.name == "MyBasicRecipe");
  CHECK(i.version == "2019.12.3");
  CHECK(i.platform == "Linux");
  CHECK(i.os_version == "Amazon Linux 2023");
  CHECK(i.date_created == "2026-01-01T00:00:00.000Z");
  CHECK(i.build_type == "USER_INITIATED");
  CHECK(i.image_source == "CUSTOM");
  REQUIRE(i.image_recipe.has_value());
  CHECK(i.image_recipe->arn == f.recipe_arn);
  REQUIRE(i.distribution_configuration.has_value());
  CHECK(i.distribution_configuration->timeout_minutes == 720);
  REQUIRE(i.output_resources.has_value());
  REQUIRE(i.output_resources->amis.size() == 3);
  CHECK(i.output_resources->amis[0].account_id == std::string(kOwner));
  CHECK(i.output_resources->amis[1].account_id == std::string(kTargetA));
  CHECK(i.output_resources->amis[2].account_id == std::string(kTargetB));
  CHECK(i.output_resources->amis[0].state->status == "AVAILABLE");

  const ImageBuilderModel::ImageDetails* details = f.model.find_image_details(arn);
  REQUIRE(details != nullptr);
  CHECK(statuses(*details)
        == std::vector<std::string>{"PENDING",
                                    "CREATING",
                                    "BUILDING",
                                    "TESTING",
                                    "DISTRIBUTING",
                                    "INTEGRATING",
                                    "AVAILABLE"});
  CHECK(details->history.back().at == at(Duration::minutes(53) + Duration::seconds(30)));
  CHECK(details->history.back().date == "2026-01-01T00:53:30.000Z");
  REQUIRE(details->build.has_value());
  CHECK(details->build->ok);
  REQUIRE(details->distribution.has_value());
  CHECK(details->distribution->ok);
  CHECK(f.model.active_image_count(api::AccountId::from_valid(kOwner),
                                   api::Region::from_known("us-west-2"))
        == 0);
}

TEST_CASE("Lifecycle: the durations are options and disabled tests skip TESTING time",
          "[imagebuilder]") {
  ImageBuilderModel::Options options;
  options.durations = {.pending = Duration::seconds(1),
                       .creating = Duration::seconds(2),
                       .building = Duration::seconds(3),
                       .testing = Duration::hours(5),
                       .integrating = Duration::seconds(4)};
  Fixture f(options);
  f.workflow.build_duration = Duration::seconds(10);
  f.workflow.distribute_duration = Duration::seconds(20);
  f.create_set();
  const std::string arn = f.create_image("t", /*tests_enabled=*/false);
  f.ctx.scheduler().run();
  CHECK(f.status(arn) == "AVAILABLE");
  CHECK(f.ctx.now() == at(Duration::seconds(1 + 2 + 3 + 10 + 20 + 4)));
  const auto* details = f.model.find_image_details(arn);
  REQUIRE(details != nullptr);
  CHECK(statuses(*details)
        == std::vector<std::string>{"PENDING",
                                    "CREATING",
                                    "BUILDING",
                                    "TESTING",
                                    "DISTRIBUTING",
                                    "INTEGRATING",
                                    "AVAILABLE"});
}

TEST_CASE("Lifecycle: a failed build fails the image with the workflow's reason",
          "[imagebuilder]") {
  Fixture f;
  const std::string reason =
      "Can't start SSM Automation for arn " + kImageArn
      + " during building. Parameter \"iamInstanceProfileName\" has a null value.";
  f.workflow.build_failure = reason;
  f.create_set();
  const std::string arn = f.create_image();
  f.ctx.scheduler().run();
  auto image = f.model.get_image(f.caller, {.image_build_version_arn = arn});
  REQUIRE(image.ok());
  CHECK(image->image.state->status == "FAILED");
  CHECK(image->image.state->reason == reason);
  CHECK(f.workflow.distributions.empty());
  CHECK(image->image.output_resources->amis.empty());
  const auto* details = f.model.find_image_details(arn);
  REQUIRE(details->build.has_value());
  CHECK_FALSE(details->build->explanation.empty());
  CHECK(f.model.active_image_count(api::AccountId::from_valid(kOwner),
                                   api::Region::from_known("us-west-2"))
        == 0);
}

TEST_CASE("Lifecycle: a failed distribution stores AWS's reason and the per-job failures",
          "[imagebuilder]") {
  Fixture f;
  const std::string reason =
      "Distribution failed with JobId 'ib-job-1', status = 'Failed' for ARN '" + kImageArn +
      "'. 'Not all distribution jobs are completed. 1) EC2 Client Error: 'Snapshots encrypted "
      "with the AWS Managed CMK can’t be shared. Specify another snapshot.' when distributing "
      "the image from the source account (ID: 111122223333) to the destination account (ID: "
      "123456789012) in Region us-west-2.'";
  f.workflow.distribution_failure = reason;
  f.create_set();
  const std::string arn = f.create_image();
  f.ctx.scheduler().run();
  auto image = f.model.get_image(f.caller, {.image_build_version_arn = arn});
  REQUIRE(image.ok());
  CHECK(image->image.state->status == "FAILED");
  CHECK(image->image.state->reason == reason);
  CHECK(image->image.output_resources->amis.size() == 3);  // What was produced is shown.
  const auto* details = f.model.find_image_details(arn);
  REQUIRE(details->distribution.has_value());
  REQUIRE(details->distribution->failures.size() == 1);
  CHECK(details->distribution->failures[0].step == "CopyImage");
  CHECK_FALSE(details->distribution->failures[0].explanation.empty());
}

TEST_CASE("Lifecycle: a reason longer than 1024 characters is cut in the API view only",
          "[imagebuilder]") {
  Fixture f;
  f.workflow.distribution_failure = std::string(2000, 'r');
  f.create_set();
  const std::string arn = f.create_image();
  f.ctx.scheduler().run();
  CHECK(f.model.find_image(arn)->state->reason->size() == 1024);
  CHECK(f.model.find_image_details(arn)->distribution->reason.size() == 2000);
}

TEST_CASE("CancelImageCreation: cancels in every non-terminal phase", "[imagebuilder]") {
  struct Point {
    std::string phase;
    Duration when;
    bool workflow_busy;
  };

  const std::vector<Point> points = {
      {"PENDING", Duration::seconds(10), false},
      {"CREATING", Duration::minutes(1), false},
      {"BUILDING", Duration::minutes(10), false},  // Components running, no workflow call yet.
      {"BUILDING", Duration::minutes(20), true},   // The workflow's build is outstanding.
      {"TESTING", Duration::minutes(25), false},
      {"DISTRIBUTING", Duration::minutes(40), true},
      {"INTEGRATING", Duration::minutes(53), false},
  };
  for (const Point& p : points) {
    INFO(p.phase + " at " + sim::format_duration(p.when));
    Fixture f;
    f.create_set();
    const std::string arn = f.create_image();
    f.ctx.scheduler().run_until(at(p.when));
    REQUIRE(f.status(arn) == p.phase);
    auto out = f.model.cancel_image_creation(f.caller,
                                             {.image_build_version_arn = arn, .client_token = "c"});
    REQUIRE(out.ok());
    CHECK(out->image_build_version_arn == arn);
    CHECK(f.status(arn) == "CANCELLED");
    CHECK(f.workflow.cancelled.size() == (p.workflow_busy ? 1u : 0u));
    f.ctx.scheduler().run();
    CHECK(f.status(arn) == "CANCELLED");
    CHECK(f.model.active_image_count(api::AccountId::from_valid(kOwner),
                                     api::Region::from_known("us-west-2"))
          == 0);
    // The same token replays; another token finds a terminal image.
    CHECK(
        f.model
            .cancel_image_creation(f.caller, {.image_build_version_arn = arn, .client_token = "c"})
            .ok());
    auto again = f.model.cancel_image_creation(
        f.caller, {.image_build_version_arn = arn, .client_token = "c2"});
    REQUIRE_FALSE(again.ok());
    CHECK(again.error().code == "ResourceInUseException");
  }
}

TEST_CASE("CancelImageCreation: an AVAILABLE image cannot be cancelled", "[imagebuilder]") {
  Fixture f;
  f.create_set();
  const std::string arn = f.create_image();
  f.ctx.scheduler().run();
  auto out = f.model.cancel_image_creation(f.caller,
                                           {.image_build_version_arn = arn, .client_token = "c"});
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().code == "ResourceInUseException");
  CHECK(out.error().message
        == "The image '" + arn + "' cannot be cancelled because its status is AVAILABLE.");
}

TEST_CASE("Lifecycle: without a distribution configuration the built AMI is the output",
          "[imagebuilder]") {
  Fixture f;
  f.create_set(/*with_distribution=*/false);
  const std::string arn = f.create_image();
  f.ctx.scheduler().run();
  CHECK(f.status(arn) == "AVAILABLE");
  CHECK(f.workflow.distributions.empty());
  auto image = f.model.find_image(arn);
  REQUIRE(image->output_resources->amis.size() == 1);
  CHECK(image->output_resources->amis[0].image == "ami-0b100000000000001");
  CHECK(image->output_resources->amis[0].region == "us-west-2");
  CHECK(image->output_resources->amis[0].name == "MyBasicRecipe 2026-01-01T00-00-00.000Z");
}

TEST_CASE("Lifecycle: AMI names expand the build date and build version", "[imagebuilder]") {
  Fixture f;
  f.create_set(/*with_distribution=*/false);
  ib::CreateDistributionConfigurationInput in = testing::seed_configuration("expand");
  in.distributions[0].ami_distribution_configuration->name =
      "My {{imagebuilder:buildVersion}} image {{imagebuilder:buildDate}}";
  ib::Distribution east = testing::seed_distribution("us-east-1");
  east.ami_distribution_configuration->name = "East {{ imagebuilder:buildDate }}";
  in.distributions.push_back(east);
  auto dc = f.model.create_distribution_configuration(f.caller, in);
  REQUIRE(dc.ok());
  f.distribution_arn = dc->distribution_configuration_arn;
  f.create_image("first");
  f.ctx.scheduler().run_for(Duration::milliseconds(1234));
  const std::string second = f.create_image("second");
  CHECK(second == "arn:aws:imagebuilder:us-west-2:111122223333:image/mybasicrecipe/2019.12.3/2");
  f.ctx.scheduler().run();
  REQUIRE(f.workflow.distributions.size() == 2);
  const ib::DistributionPlan& plan = f.workflow.distributions[1];
  CHECK(plan.image_arn == second);
  REQUIRE(plan.regions.size() == 2);
  CHECK(plan.regions[0].ami->name == "My 2 image 2026-01-01T00-00-01.234Z");
  CHECK(plan.regions[1].ami->name == "East 2026-01-01T00-00-01.234Z");
}

TEST_CASE("Lifecycle: settings that are not simulated are passed on and noted", "[imagebuilder]") {
  Fixture f;
  f.create_set(/*with_distribution=*/false);
  ib::CreateDistributionConfigurationInput in = testing::seed_configuration("extras");
  ib::Distribution& d = in.distributions[0];
  d.container_distribution_configuration = ib::ContainerDistributionConfiguration{
      .target_repository = {.service = "ECR", .repository_name = "repo"}};
  d.fast_launch_configurations = {{.enabled = true}};
  d.s3_export_configuration =
      ib::S3ExportConfiguration{.role_name = "r", .disk_image_format = "VMDK", .s3_bucket = "b"};
  d.license_configuration_arns = {
      "arn:aws:license-manager:us-west-2:123456789012:license-configuration:lic-"
      + std::string(32, 'a')};
  d.launch_template_configurations = {{.launch_template_id = "lt-0123456789abcdef0",
                                       .account_id = std::string(kTargetA),
                                       .set_default_version = true}};
  d.ssm_parameter_configurations = {{.parameter_name = "/golden/ami",
                                     .ami_account_id = std::string(kTargetA),
                                     .data_type = "aws:ec2:image"}};
  in.distributions.push_back(ib::Distribution{
      .region = "eu-west-1",
      .launch_template_configurations = {{.launch_template_id = "lt-0123456789abcdef1"}}});
  auto dc = f.model.create_distribution_configuration(f.caller, in);
  REQUIRE(dc.ok());
  f.distribution_arn = dc->distribution_configuration_arn;
  const std::string arn = f.create_image();
  f.ctx.scheduler().run();
  CHECK(f.status(arn) == "AVAILABLE");
  REQUIRE(f.workflow.distributions.size() == 1);
  const ib::RegionPlan& rp = f.workflow.distributions[0].regions[0];
  CHECK(rp.not_simulated
        == std::vector<std::string>{"containerDistributionConfiguration",
                                    "fastLaunchConfigurations",
                                    "s3ExportConfiguration",
                                    "licenseConfigurationArns"});
  REQUIRE(rp.launch_templates.size() == 1);
  CHECK(rp.launch_templates[0].account_id == api::AccountId::from_valid(kTargetA));
  CHECK(rp.launch_templates[0].set_default_version);
  REQUIRE(rp.ssm_parameters.size() == 1);
  CHECK(rp.ssm_parameters[0].data_type == "aws:ec2:image");
  // A region with launch templates but no AMI configuration still gets the owner's AMI.
  const ib::RegionPlan& eu = f.workflow.distributions[0].regions[1];
  REQUIRE(eu.ami.has_value());
  CHECK(eu.ami->name == "MyBasicRecipe 2026-01-01T00-00-00.000Z");
  CHECK(eu.ami->target_account_ids.empty());
  const auto* details = f.model.find_image_details(arn);
  int model_notes = 0;
  for (const std::string& n : details->notes) {
    model_notes += n.find("is stored and returned but not simulated") != std::string::npos;
  }
  CHECK(model_notes == 4);
  // The configuration itself is returned unchanged.
  auto got = f.model.get_distribution_configuration(
      f.caller, {.distribution_configuration_arn = f.distribution_arn});
  REQUIRE(got.ok());
  CHECK(got->distribution_configuration.distributions == in.distributions);
}

TEST_CASE("Lifecycle: an own image and an SSM parameter work as parents", "[imagebuilder]") {
  Fixture f;
  f.create_set();
  const std::string first = f.create_image();
  f.ctx.scheduler().run();
  REQUIRE(f.status(first) == "AVAILABLE");

  auto child = f.model.create_image_recipe(
      f.caller,
      {.name = "child",
       .semantic_version = "1.0.0",
       .parent_image = "arn:aws:imagebuilder:us-west-2:111122223333:image/mybasicrecipe/x.x.x",
       .client_token = "child"});
  REQUIRE(child.ok());
  auto img = f.model.create_image(f.caller,
                                  {.infrastructure_configuration_arn = f.infra_arn,
                                   .client_token = "child-image",
                                   .image_recipe_arn = child->image_recipe_arn});
  REQUIRE(img.ok());
  f.ctx.scheduler().run();
  REQUIRE(f.workflow.builds.size() == 2);
  CHECK(f.workflow.builds[1].parent_ami_id == "ami-0d100000000000000");  // The owner's output.

  auto ssm_recipe = f.model.create_image_recipe(f.caller,
                                                {.name = "from-ssm",
                                                 .semantic_version = "1.0.0",
                                                 .parent_image = "ssm:/golden/ami",
                                                 .client_token = "ssm"});
  REQUIRE(ssm_recipe.ok());
  // Without a lookup (or a parameter) the build fails with a reason.
  auto no_param = f.model.create_image(f.caller,
                                       {.infrastructure_configuration_arn = f.infra_arn,
                                        .client_token = "ssm-1",
                                        .image_recipe_arn = ssm_recipe->image_recipe_arn});
  REQUIRE(no_param.ok());
  f.ctx.scheduler().run();
  CHECK(f.status(no_param->image_build_version_arn) == "FAILED");
  CHECK(f.model.find_image(no_param->image_build_version_arn)
            ->state->reason.value()
            .find("/golden/ami")
        != std::string::npos);
  f.model.set_parameter_lookup(
      [](const api::AccountId& account, const api::Region& region, std::string_view name) {
        if (account.str() == kOwner && region.str() == "us-west-2" && name == "/golden/ami") {
          return std::optional<std::string>("ami-0123456789abcdef0");
        }
        return std::optional<std::string>();
      });
  auto with_param = f.model.create_image(f.caller,
                                         {.infrastructure_configuration_arn = f.infra_arn,
                                          .client_token = "ssm-2",
                                          .image_recipe_arn = ssm_recipe->image_recipe_arn});
  REQUIRE(with_param.ok());
  f.ctx.scheduler().run();
  CHECK(f.status(with_param->image_build_version_arn) == "AVAILABLE");
  CHECK(f.workflow.builds.back().parent_ami_id == "ami-0123456789abcdef0");
}

TEST_CASE("DistributeImage: distributes an existing image without a rebuild", "[imagebuilder]") {
  Fixture f;
  f.create_set();
  const std::string first = f.create_image();
  f.ctx.scheduler().run();
  REQUIRE(f.status(first) == "AVAILABLE");
  const Instant start = f.ctx.now();
  auto out = f.model.distribute_image(f.caller,
                                      {.source_image = first,
                                       .distribution_configuration_arn = f.distribution_arn,
                                       .execution_role = "ImageBuilderDistributionRole",
                                       .client_token = "dist"});
  REQUIRE(out.ok());
  CHECK(out->image_build_version_arn
        == "arn:aws:imagebuilder:us-west-2:111122223333:image/mybasicrecipe/2019.12.3/2");
  f.ctx.scheduler().run();
  CHECK(f.status(out->image_build_version_arn) == "AVAILABLE");
  CHECK(f.workflow.builds.size() == 1);  // No rebuild.
  REQUIRE(f.workflow.distributions.size() == 2);
  CHECK(f.workflow.distributions[1].source_ami_id == "ami-0d100000000000000");
  CHECK(f.ctx.now() - start
        == Duration::seconds(30) + Duration::minutes(20) + Duration::minutes(1));
  const auto* details = f.model.find_image_details(out->image_build_version_arn);
  CHECK(statuses(*details)
        == std::vector<std::string>{"PENDING", "DISTRIBUTING", "INTEGRATING", "AVAILABLE"});

  auto from_ami = f.model.distribute_image(f.caller,
                                           {.source_image = "ami-0123456789abcdef0",
                                            .distribution_configuration_arn = f.distribution_arn,
                                            .execution_role = "arn:aws:iam::111122223333:role/Dist",
                                            .client_token = "dist-ami"});
  REQUIRE(from_ami.ok());
  CHECK(from_ami->image_build_version_arn
        == "arn:aws:imagebuilder:us-west-2:111122223333:image/cross-account/1.0.0/1");

  auto bad_source = f.model.distribute_image(f.caller,
                                             {.source_image = "not-an-image",
                                              .distribution_configuration_arn = f.distribution_arn,
                                              .execution_role = "Role",
                                              .client_token = "dist-bad"});
  REQUIRE_FALSE(bad_source.ok());
  CHECK(bad_source.error().code == "InvalidParameterValueException");
  auto other_account = f.model.distribute_image(
      f.caller,
      {.source_image = "arn:aws:imagebuilder:us-west-2:444455556666:image/x/1.0.0/1",
       .distribution_configuration_arn = f.distribution_arn,
       .execution_role = "Role",
       .client_token = "dist-other"});
  REQUIRE_FALSE(other_account.ok());
  CHECK(other_account.error().code == "InvalidParameterValueException");
  auto no_config = f.model.distribute_image(
      f.caller,
      {.source_image = first,
       .distribution_configuration_arn =
           "arn:aws:imagebuilder:us-west-2:111122223333:distribution-configuration/none",
       .execution_role = "Role",
       .client_token = "dist-none"});
  REQUIRE_FALSE(no_config.ok());
  CHECK(no_config.error().code == "ResourceNotFoundException");
}

TEST_CASE("RetryImage: resumes a failed distribution or build on the same image",
          "[imagebuilder]") {
  Fixture f;
  f.workflow.distribution_failure = "Distribution failed";
  f.create_set();
  const std::string arn = f.create_image();
  f.ctx.scheduler().run();
  REQUIRE(f.status(arn) == "FAILED");
  f.workflow.distribution_failure.reset();
  auto retry = f.model.retry_image(f.caller, {.image_build_version_arn = arn, .client_token = "r"});
  REQUIRE(retry.ok());
  CHECK(retry->image_build_version_arn == arn);
  CHECK(f.status(arn) == "DISTRIBUTING");
  f.ctx.scheduler().run();
  CHECK(f.status(arn) == "AVAILABLE");
  CHECK(f.workflow.builds.size() == 1);
  CHECK(f.workflow.distributions.size() == 2);
  CHECK_FALSE(f.model.find_image(arn)->state->reason.has_value());

  auto not_failed =
      f.model.retry_image(f.caller, {.image_build_version_arn = arn, .client_token = "r2"});
  REQUIRE_FALSE(not_failed.ok());
  CHECK(not_failed.error().code == "ResourceInUseException");

  f.workflow.build_failure = "no profile";
  const std::string second = f.create_image("second");
  f.ctx.scheduler().run();
  REQUIRE(f.status(second) == "FAILED");
  f.workflow.build_failure.reset();
  REQUIRE(f.model.retry_image(f.caller, {.image_build_version_arn = second, .client_token = "r3"})
              .ok());
  CHECK(f.status(second) == "BUILDING");
  f.ctx.scheduler().run();
  CHECK(f.status(second) == "AVAILABLE");
  CHECK(f.workflow.builds.size() == 3);
}

TEST_CASE("Pipelines: StartImagePipelineExecution builds from the pipeline's resources",
          "[imagebuilder]") {
  Fixture f;
  f.create_set();
  auto pipeline = f.model.create_image_pipeline(
      f.caller,
      {.name = "Nightly Build",
       .infrastructure_configuration_arn = f.infra_arn,
       .client_token = "p",
       .image_recipe_arn = f.recipe_arn,
       .distribution_configuration_arn = f.distribution_arn,
       .schedule = ib::Schedule{.schedule_expression = "cron(0 0 * * ? *)"},
       .image_tags = {{"source", "pipeline"}}});
  REQUIRE(pipeline.ok());
  CHECK(pipeline->image_pipeline_arn
        == "arn:aws:imagebuilder:us-west-2:111122223333:image-pipeline/nightly-build");
  auto got =
      f.model.get_image_pipeline(f.caller, {.image_pipeline_arn = pipeline->image_pipeline_arn});
  REQUIRE(got.ok());
  CHECK(got->image_pipeline.status == "ENABLED");
  CHECK(got->image_pipeline.platform == "Linux");
  CHECK(got->image_pipeline.schedule->schedule_expression == "cron(0 0 * * ? *)");
  CHECK_FALSE(got->image_pipeline.date_next_run.has_value());

  f.ctx.scheduler().run_for(Duration::days(2));
  CHECK(f.workflow.builds.empty());  // Schedules do not fire.

  auto start =
      f.model.start_image_pipeline_execution(f.caller,
                                             {.image_pipeline_arn = pipeline->image_pipeline_arn,
                                              .client_token = "s",
                                              .tags = {{"run", "1"}}});
  REQUIRE(start.ok());
  auto replay =
      f.model.start_image_pipeline_execution(f.caller,
                                             {.image_pipeline_arn = pipeline->image_pipeline_arn,
                                              .client_token = "s",
                                              .tags = {{"run", "1"}}});
  REQUIRE(replay.ok());
  CHECK(replay->image_build_version_arn == start->image_build_version_arn);
  f.ctx.scheduler().run();
  auto image = f.model.find_image(start->image_build_version_arn);
  REQUIRE(image.has_value());
  CHECK(image->state->status == "AVAILABLE");
  CHECK(image->source_pipeline_arn == pipeline->image_pipeline_arn);
  CHECK(image->source_pipeline_name == "Nightly Build");
  CHECK(image->tags.at("source") == "pipeline");
  CHECK(image->tags.at("run") == "1");
  auto after =
      f.model.get_image_pipeline(f.caller, {.image_pipeline_arn = pipeline->image_pipeline_arn});
  CHECK(after->image_pipeline.last_run_status == "AVAILABLE");
  CHECK(after->image_pipeline.date_last_run == "2026-01-03T00:00:00.000Z");

  auto missing = f.model.start_image_pipeline_execution(
      f.caller,
      {.image_pipeline_arn = "arn:aws:imagebuilder:us-west-2:111122223333:image-pipeline/x",
       .client_token = "m"});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == "ResourceNotFoundException");
  auto listed = f.model.list_image_pipelines(
      f.caller, {.filters = {{.name = "status", .values = {"ENABLED"}}}});
  REQUIRE(listed.ok());
  CHECK(listed->image_pipeline_list.size() == 1);
}

TEST_CASE("CreateImage: idempotent per client token with build numbers per version",
          "[imagebuilder]") {
  Fixture f;
  f.create_set();
  const std::string a = f.create_image("same");
  const std::string b = f.create_image("same");
  CHECK(a == b);
  ib::CreateImageInput changed{.infrastructure_configuration_arn = f.infra_arn,
                               .client_token = "same",
                               .image_recipe_arn = f.recipe_arn};
  auto mismatch = f.model.create_image(f.caller, changed);
  REQUIRE_FALSE(mismatch.ok());
  CHECK(mismatch.error().code == "IdempotentParameterMismatchException");
  const std::string c = f.create_image("other");
  CHECK(c == "arn:aws:imagebuilder:us-west-2:111122223333:image/mybasicrecipe/2019.12.3/2");
  f.ctx.scheduler().run();
  auto builds = f.model.list_image_build_versions(
      f.caller,
      {.image_version_arn =
           "arn:aws:imagebuilder:us-west-2:111122223333:image/mybasicrecipe/2019.12.3"});
  REQUIRE(builds.ok());
  REQUIRE(builds->image_summary_list.size() == 2);
  CHECK(builds->image_summary_list[0].arn == a);
  CHECK(builds->image_summary_list[0].owner == std::string(kOwner));
  auto versions = f.model.list_images(f.caller, {});
  REQUIRE(versions.ok());
  REQUIRE(versions->image_version_list.size() == 1);
  CHECK(versions->image_version_list[0].arn
        == "arn:aws:imagebuilder:us-west-2:111122223333:image/mybasicrecipe/2019.12.3");
  // GetImage with a version ARN answers with its latest build.
  auto latest = f.model.get_image(
      f.caller,
      {.image_build_version_arn =
           "arn:aws:imagebuilder:us-west-2:111122223333:image/mybasicrecipe/2019.12.x"});
  REQUIRE(latest.ok());
  CHECK(latest->image.arn == c);
}

TEST_CASE("CreateImage: references and container recipes and the concurrent-build quota",
          "[imagebuilder]") {
  ImageBuilderModel::Options options;
  options.concurrent_builds_max = 1;
  Fixture f(options);
  f.create_set();
  auto container = f.model.create_image(
      f.caller,
      {.infrastructure_configuration_arn = f.infra_arn,
       .client_token = "c",
       .container_recipe_arn =
           "arn:aws:imagebuilder:us-west-2:111122223333:container-recipe/c/1.0.0"});
  REQUIRE_FALSE(container.ok());
  CHECK(container.error().code == "InvalidRequestException");
  auto both = f.model.create_image(
      f.caller, {.infrastructure_configuration_arn = f.infra_arn, .client_token = "b"});
  REQUIRE_FALSE(both.ok());
  CHECK(both.error().code == "InvalidRequestException");
  auto no_recipe = f.model.create_image(
      f.caller,
      {.infrastructure_configuration_arn = f.infra_arn,
       .client_token = "n",
       .image_recipe_arn = "arn:aws:imagebuilder:us-west-2:111122223333:image-recipe/"
                           "none/1.0.0"});
  REQUIRE_FALSE(no_recipe.ok());
  CHECK(no_recipe.error().code == "InvalidParameterValueException");

  f.create_image("one");
  auto second = f.model.create_image(f.caller,
                                     {.infrastructure_configuration_arn = f.infra_arn,
                                      .client_token = "two",
                                      .image_recipe_arn = f.recipe_arn});
  REQUIRE_FALSE(second.ok());
  CHECK(second.error().code == "ServiceQuotaExceededException");
  CHECK(second.error().http_status == 402);
  f.ctx.scheduler().run();
  CHECK(f.model
            .create_image(f.caller,
                          {.infrastructure_configuration_arn = f.infra_arn,
                           .client_token = "two",
                           .image_recipe_arn = f.recipe_arn})
            .ok());
}

TEST_CASE("DeleteImage: only terminal images; the image goes and its AMIs stay", "[imagebuilder]") {
  Fixture f;
  f.create_set();
  const std::string arn = f.create_image();
  auto early = f.model.delete_image(f.caller, {.image_build_version_arn = arn});
  REQUIRE_FALSE(early.ok());
  CHECK(early.error().code == "ResourceDependencyException");
  f.ctx.scheduler().run();
  auto out = f.model.delete_image(f.caller, {.image_build_version_arn = arn});
  REQUIRE(out.ok());
  CHECK(out->image_build_version_arn == arn);
  auto gone = f.model.get_image(f.caller, {.image_build_version_arn = arn});
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().code == "ResourceNotFoundException");
  // Build numbers are never reused.
  CHECK(f.create_image("next")
        == "arn:aws:imagebuilder:us-west-2:111122223333:image/mybasicrecipe/2019.12.3/2");
}

TEST_CASE("Managed images: GetImage and ListImages show the AWS-owned catalogue",
          "[imagebuilder]") {
  Fixture f;
  auto image = f.model.get_image(
      f.caller,
      {.image_build_version_arn =
           "arn:aws:imagebuilder:us-west-2:aws:image/ubuntu-server-22-lts-x86/x.x.x"});
  REQUIRE(image.ok());
  CHECK(image->image.version == "2025.10.1");
  CHECK(image->image.arn
        == "arn:aws:imagebuilder:us-west-2:aws:image/ubuntu-server-22-lts-x86/2025.10.1/1");
  CHECK(image->image.image_source == "AMAZON_MANAGED");
  REQUIRE(image->image.output_resources->amis.size() == 1);
  CHECK(image->image.output_resources->amis[0].image
        == managed_image_ami_id(
            "ubuntu-server-22-lts-x86", "2025.10.1", api::Region::from_known("us-west-2")));
  auto all = f.model.list_images(f.caller, {.owner = "Amazon"});
  REQUIRE(all.ok());
  CHECK(all->image_version_list.size() == 9);
  auto by_name = f.model.list_images(f.caller, {.owner = "Amazon", .by_name = true});
  REQUIRE(by_name.ok());
  REQUIRE(by_name->image_version_list.size() == 3);
  CHECK(by_name->image_version_list[0].name == "amazon-linux-2-x86");
  CHECK(by_name->image_version_list[0].version == "2025.9.1");
  auto filtered = f.model.list_images(
      f.caller,
      {.owner = "Amazon", .filters = {{.name = "name", .values = {"amazon-linux-2023-x86"}}}});
  REQUIRE(filtered.ok());
  CHECK(filtered->image_version_list.size() == 3);
  auto builds = f.model.list_image_build_versions(
      f.caller,
      {.image_version_arn =
           "arn:aws:imagebuilder:us-west-2:aws:image/amazon-linux-2-x86/2025.3.1"});
  REQUIRE(builds.ok());
  REQUIRE(builds->image_summary_list.size() == 1);
  CHECK(builds->image_summary_list[0].owner == "Amazon");
  auto unknown = f.model.get_image(
      f.caller,
      {.image_build_version_arn = "arn:aws:imagebuilder:us-west-2:aws:image/windows-95/x.x.x"});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == "ResourceNotFoundException");
}

std::pair<uint64_t, std::vector<std::string>> run_scenario(uint64_t seed) {
  Fixture f({}, seed);
  f.caller.request_id.clear();  // Request ids come from the seeded stream.
  f.create_set();
  std::vector<std::string> out;
  out.push_back(f.create_image("a"));
  f.workflow.distribution_failure = "failed";
  out.push_back(f.create_image("b"));
  f.ctx.scheduler().run();
  auto listed = f.model.list_distribution_configurations(f.caller, {});
  out.push_back(listed->request_id);
  out.push_back(f.model.find_image(out[1])->state->status.value());
  return {f.ctx.trace().hash(), out};
}

TEST_CASE("Determinism: the same seed gives the same ARNs ids and trace", "[imagebuilder]") {
  const auto a = run_scenario(7);
  const auto b = run_scenario(7);
  CHECK(a.first == b.first);
  CHECK(a.second == b.second);
  const auto c = run_scenario(8);
  CHECK(c.second[0] == a.second[0]);  // ARNs come from names, not from the seed.
  CHECK(c.second[2] != a.second[2]);  // Request ids do.
}

}  // namespace
}  // namespace ibsim::mock_aws::imagebuilder
