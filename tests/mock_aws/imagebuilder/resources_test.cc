// Components, image recipes and infrastructure configurations: validation, ARNs, versions with
// `x`, the managed components, idempotency, dependencies and authorization.

#include <string>

#include <catch2/catch.hpp>

#include "tests/mock_aws/imagebuilder/imagebuilder_test_util.h"

namespace ibsim::mock_aws::imagebuilder {
namespace {

namespace ib = api::imagebuilder;

using testing::Fixture;

const std::string kPrefix = "The value supplied for parameter ";

ib::CreateImageRecipeInput recipe(std::string name = "web", std::string version = "1.0.0") {
  std::string token = "token-" + name + "-" + version;
  return ib::CreateImageRecipeInput{
      .name = std::move(name),
      .semantic_version = std::move(version),
      .parent_image = "arn:aws:imagebuilder:us-west-2:aws:image/amazon-linux-2-x86/x.x.x",
      .client_token = std::move(token)};
}

TEST_CASE("CreateImageRecipe: versions must be concrete semantic versions", "[imagebuilder]") {
  Fixture f;
  for (const std::string v : {"1.x.0", "1.0.x", "1.0", "1073741824.0.0", "a.b.c"}) {
    INFO(v);
    auto out = f.model.create_image_recipe(f.caller, recipe("web", v));
    REQUIRE_FALSE(out.ok());
    CHECK(out.error().code == "InvalidVersionNumberException");
  }
  auto ok = f.model.create_image_recipe(f.caller, recipe("Web Server", "1.2.3"));
  REQUIRE(ok.ok());
  CHECK(ok->image_recipe_arn
        == "arn:aws:imagebuilder:us-west-2:111122223333:image-recipe/web-server/1.2.3");
  auto dup = recipe("Web Server", "1.2.3");
  dup.client_token = "other";
  auto clash = f.model.create_image_recipe(f.caller, dup);
  REQUIRE_FALSE(clash.ok());
  CHECK(clash.error().code == "ResourceAlreadyExistsException");
}

TEST_CASE("CreateImageRecipe: parent images and components are checked", "[imagebuilder]") {
  Fixture f;

  struct ParentCase {
    std::string parent;
    bool ok;
  };

  const std::vector<ParentCase> parents = {
      {"ami-0123456789abcdef0", true},
      {"ami-12345678", true},
      {"ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64", true},
      {"arn:aws:imagebuilder:us-west-2:aws:image/amazon-linux-2023-x86/2025.x.x", true},
      {"arn:aws:imagebuilder:us-west-2:aws:image/amazon-linux-2023-x86/2025.6.1/1", true},
      {"arn:aws:imagebuilder:us-west-2:111122223333:image/mine/x.x.x", true},
      {"arn:aws:imagebuilder:us-west-2:aws:image/no-such-image/x.x.x", false},
      {"arn:aws:imagebuilder:us-east-1:aws:image/amazon-linux-2023-x86/x.x.x", false},
      {"arn:aws:imagebuilder:us-west-2:aws:component/update-linux/x.x.x", false},
      {"ssm:", false},
      {"ami-XYZ", false},
      {"prod-abcdefghijklm", false},
  };
  int i = 0;
  for (const ParentCase& p : parents) {
    INFO(p.parent);
    ib::CreateImageRecipeInput in = recipe(testing::numbered("r", i++) + "x");
    in.parent_image = p.parent;
    auto out = f.model.create_image_recipe(f.caller, in);
    CHECK(out.ok() == p.ok);
    if (!p.ok && !out.ok()) {
      CHECK(out.error().code == "InvalidParameterValueException");
    }
  }
  ib::CreateImageRecipeInput missing = recipe("nope");
  missing.parent_image = "";
  auto m = f.model.create_image_recipe(f.caller, missing);
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().message == kPrefix + "'parentImage' is not valid. 'parentImage' is required.");

  ib::CreateImageRecipeInput bad_component = recipe("comp");
  bad_component.components = {
      {.component_arn = "arn:aws:imagebuilder:us-west-2:aws:component/no-such/x.x.x"}};
  auto c = f.model.create_image_recipe(f.caller, bad_component);
  REQUIRE_FALSE(c.ok());
  CHECK(c.error().message ==
        kPrefix +
            "'components[0].componentArn' is not valid. The component "
            "'arn:aws:imagebuilder:us-west-2:aws:component/no-such/x.x.x' does not exist in "
            "us-west-2.");
  ib::CreateImageRecipeInput managed = recipe("comp2");
  managed.components = {
      {.component_arn = "arn:aws:imagebuilder:us-west-2:aws:component/update-linux/1.0.x"},
      {.component_arn = "arn:aws:imagebuilder:us-west-2:aws:component/update-windows/x.x.x"}};
  CHECK(f.model.create_image_recipe(f.caller, managed).ok());
}

TEST_CASE("CreateImageRecipe: block devices and the components quota", "[imagebuilder]") {
  ImageBuilderModel::Options options;
  options.components_per_recipe_max = 2;
  Fixture f(options);
  ib::CreateImageRecipeInput in = recipe("disks");
  in.block_device_mappings = {
      {.device_name = "/dev/xvda",
       .ebs = ib::EbsInstanceBlockDeviceSpecification{.volume_size = 16001}}};
  auto big = f.model.create_image_recipe(f.caller, in);
  REQUIRE_FALSE(big.ok());
  CHECK(big.error().message == kPrefix +
                                   "'blockDeviceMappings[0].ebs.volumeSize' is not valid. "
                                   "'blockDeviceMappings[0].ebs.volumeSize' must be less than or "
                                   "equal to 16000");
  in.block_device_mappings[0].ebs = ib::EbsInstanceBlockDeviceSpecification{.volume_type = "gp9"};
  auto type = f.model.create_image_recipe(f.caller, in);
  REQUIRE_FALSE(type.ok());
  CHECK(type.error().code == "InvalidParameterValueException");
  in.block_device_mappings[0].ebs = ib::EbsInstanceBlockDeviceSpecification{.iops = 99};
  CHECK_FALSE(f.model.create_image_recipe(f.caller, in).ok());
  in.block_device_mappings[0].ebs = ib::EbsInstanceBlockDeviceSpecification{.throughput = 1001};
  CHECK_FALSE(f.model.create_image_recipe(f.caller, in).ok());
  in.block_device_mappings.clear();
  const std::string linux_arn = "arn:aws:imagebuilder:us-west-2:aws:component/update-linux/x.x.x";
  in.components = {
      {.component_arn = linux_arn}, {.component_arn = linux_arn}, {.component_arn = linux_arn}};
  auto quota = f.model.create_image_recipe(f.caller, in);
  REQUIRE_FALSE(quota.ok());
  CHECK(quota.error().code == "ServiceQuotaExceededException");
  CHECK(quota.error().http_status == 402);
}

TEST_CASE("GetImageRecipe: x picks the highest version; List and Delete", "[imagebuilder]") {
  Fixture f;
  for (const std::string v : {"1.0.0", "1.2.0", "1.10.0", "2.0.0"}) {
    REQUIRE(f.model.create_image_recipe(f.caller, recipe("web", v)).ok());
  }
  auto latest_1 = f.model.get_image_recipe(
      f.caller,
      {.image_recipe_arn = "arn:aws:imagebuilder:us-west-2:111122223333:image-recipe/web/1.x.x"});
  REQUIRE(latest_1.ok());
  CHECK(latest_1->image_recipe.version == "1.10.0");
  CHECK(latest_1->image_recipe.owner == "111122223333");
  CHECK(latest_1->image_recipe.type == "AMI");
  CHECK(latest_1->image_recipe.platform == "Linux");
  auto listed = f.model.list_image_recipes(f.caller, {.max_results = 3});
  REQUIRE(listed.ok());
  CHECK(listed->image_recipe_summary_list.size() == 3);
  REQUIRE(listed->next_token.has_value());
  auto rest = f.model.list_image_recipes(f.caller, {.next_token = listed->next_token});
  REQUIRE(rest.ok());
  CHECK(rest->image_recipe_summary_list.size() == 1);
  auto amazon = f.model.list_image_recipes(f.caller, {.owner = "Amazon"});
  REQUIRE(amazon.ok());
  CHECK(amazon->image_recipe_summary_list.empty());
  const std::string arn = "arn:aws:imagebuilder:us-west-2:111122223333:image-recipe/web/2.0.0";
  REQUIRE(f.model.delete_image_recipe(f.caller, {.image_recipe_arn = arn}).ok());
  auto gone = f.model.get_image_recipe(f.caller, {.image_recipe_arn = arn});
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().code == "ResourceNotFoundException");
  auto again = f.model.delete_image_recipe(f.caller, {.image_recipe_arn = arn});
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == "ResourceNotFoundException");
}

TEST_CASE("Components: create with data then get by version and list own and Amazon's",
          "[imagebuilder]") {
  Fixture f;
  ib::CreateComponentInput in{.name = "HelloWorld",
                              .semantic_version = "1.0.0",
                              .platform = "Linux",
                              .client_token = "c1",
                              .data = "name: hello\nschemaVersion: 1.0\n"};
  auto created = f.model.create_component(f.caller, in);
  REQUIRE(created.ok());
  CHECK(created->component_build_version_arn
        == "arn:aws:imagebuilder:us-west-2:111122223333:component/helloworld/1.0.0/1");
  CHECK(f.model.create_component(f.caller, in)->component_build_version_arn
        == created->component_build_version_arn);
  ib::CreateComponentInput again = in;
  again.client_token = "c2";
  auto dup = f.model.create_component(f.caller, again);
  REQUIRE_FALSE(dup.ok());
  CHECK(dup.error().code == "ResourceInUseException");

  ib::CreateComponentInput both = in;
  both.client_token = "c3";
  both.semantic_version = "1.0.1";
  both.uri = "s3://bucket/component.yaml";
  auto combination = f.model.create_component(f.caller, both);
  REQUIRE_FALSE(combination.ok());
  CHECK(combination.error().code == "InvalidParameterCombinationException");
  ib::CreateComponentInput dry = in;
  dry.client_token = "c4";
  dry.semantic_version = "1.0.2";
  dry.dry_run = true;
  auto dry_run = f.model.create_component(f.caller, dry);
  REQUIRE_FALSE(dry_run.ok());
  CHECK(dry_run.error().code == "DryRunOperationException");
  CHECK(dry_run.error().http_status == 412);
  ib::CreateComponentInput platform = in;
  platform.client_token = "c5";
  platform.platform = "Solaris";
  CHECK_FALSE(f.model.create_component(f.caller, platform).ok());

  auto got = f.model.get_component(
      f.caller,
      {.component_build_version_arn =
           "arn:aws:imagebuilder:us-west-2:111122223333:component/helloworld/x.x.x"});
  REQUIRE(got.ok());
  CHECK(got->component.data == in.data);
  CHECK(got->component.type == "BUILD");
  CHECK(got->component.state->status == "ACTIVE");

  auto managed = f.model.get_component(
      f.caller,
      {.component_build_version_arn =
           "arn:aws:imagebuilder:us-west-2:aws:component/update-linux/x.x.x"});
  REQUIRE(managed.ok());
  CHECK(managed->component.version == "1.0.2");
  CHECK(managed->component.arn
        == "arn:aws:imagebuilder:us-west-2:aws:component/update-linux/1.0.2/1");
  CHECK(managed->component.platform == "Linux");
  auto windows = f.model.get_component(
      f.caller,
      {.component_build_version_arn =
           "arn:aws:imagebuilder:us-west-2:aws:component/update-windows/1.0.0/1"});
  REQUIRE(windows.ok());
  CHECK(windows->component.platform == "Windows");

  auto own = f.model.list_components(f.caller, {});
  REQUIRE(own.ok());
  REQUIRE(own->component_version_list.size() == 1);
  CHECK(own->component_version_list[0].arn
        == "arn:aws:imagebuilder:us-west-2:111122223333:component/helloworld/1.0.0");
  auto amazon = f.model.list_components(f.caller, {.owner = "Amazon"});
  REQUIRE(amazon.ok());
  CHECK(amazon->component_version_list.size() == 5);
  auto by_name = f.model.list_components(f.caller,
                                         {.owner = "Amazon",
                                          .filters = {{.name = "platform", .values = {"Windows"}}},
                                          .by_name = true});
  REQUIRE(by_name.ok());
  REQUIRE(by_name->component_version_list.size() == 1);
  CHECK(by_name->component_version_list[0].version == "1.0.1");
}

TEST_CASE("InfrastructureConfiguration: profile name rules and Get List Delete with dependency",
          "[imagebuilder]") {
  Fixture f;
  ib::CreateInfrastructureConfigurationInput in{
      .name = "Build Infra", .instance_profile_name = "bad profile!", .client_token = "i1"};
  auto bad = f.model.create_infrastructure_configuration(f.caller, in);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().message
        == kPrefix + "'instanceProfileName' is not valid. 'instanceProfileName' must match pattern "
               + std::string(pattern_text(Pattern::kInstanceProfileName)));
  in.instance_profile_name = "";
  CHECK(f.model.create_infrastructure_configuration(f.caller, in).error().message
        == kPrefix + "'instanceProfileName' is not valid. 'instanceProfileName' is required.");
  in.instance_profile_name = "EC2InstanceProfileForImageBuilder";
  in.instance_metadata_options = ib::InstanceMetadataOptions{.http_tokens = "sometimes"};
  CHECK_FALSE(f.model.create_infrastructure_configuration(f.caller, in).ok());
  in.instance_metadata_options =
      ib::InstanceMetadataOptions{.http_tokens = "required", .http_put_response_hop_limit = 2};
  in.sns_topic_arn = "arn:aws:sns:us-west-2:111122223333:builds";
  auto created = f.model.create_infrastructure_configuration(f.caller, in);
  REQUIRE(created.ok());
  CHECK(created->infrastructure_configuration_arn
        == "arn:aws:imagebuilder:us-west-2:111122223333:infrastructure-configuration/build-infra");
  auto got = f.model.get_infrastructure_configuration(
      f.caller, {.infrastructure_configuration_arn = created->infrastructure_configuration_arn});
  REQUIRE(got.ok());
  CHECK(got->infrastructure_configuration.instance_profile_name
        == "EC2InstanceProfileForImageBuilder");
  CHECK(got->infrastructure_configuration.terminate_instance_on_failure == true);
  auto listed = f.model.list_infrastructure_configurations(
      f.caller, {.filters = {{.name = "name", .values = {"Build Infra"}}}});
  REQUIRE(listed.ok());
  CHECK(listed->infrastructure_configuration_summary_list.size() == 1);

  f.infra_arn = created->infrastructure_configuration_arn;
  auto r = f.model.create_image_recipe(f.caller, recipe("pipe"));
  REQUIRE(r.ok());
  auto pipeline = f.model.create_image_pipeline(f.caller,
                                                {.name = "pipe-1",
                                                 .infrastructure_configuration_arn = f.infra_arn,
                                                 .client_token = "p",
                                                 .image_recipe_arn = r->image_recipe_arn});
  INFO((pipeline.ok() ? std::string() : pipeline.error().message));
  REQUIRE(pipeline.ok());
  auto refused = f.model.delete_infrastructure_configuration(
      f.caller, {.infrastructure_configuration_arn = f.infra_arn});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == "ResourceDependencyException");
  auto recipe_refused =
      f.model.delete_image_recipe(f.caller, {.image_recipe_arn = r->image_recipe_arn});
  REQUIRE_FALSE(recipe_refused.ok());
  CHECK(recipe_refused.error().code == "ResourceDependencyException");
}

TEST_CASE("Authorization: every operation asks for its action on its resource", "[imagebuilder]") {
  Fixture f;
  f.create_set();
  f.authz.calls.clear();
  f.authz.denied.insert("imagebuilder:GetImageRecipe@" + f.recipe_arn);
  auto denied = f.model.get_image_recipe(f.caller, {.image_recipe_arn = f.recipe_arn});
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.error().code == "AccessDeniedException");
  CHECK(denied.error().http_status == 403);
  REQUIRE(f.authz.calls.size() == 1);
  CHECK(f.authz.calls[0]
        == std::pair<std::string, std::string>("imagebuilder:GetImageRecipe", f.recipe_arn));
  f.authz.denied.insert("imagebuilder:CreateImage");
  ib::CreateImageInput in{.infrastructure_configuration_arn = f.infra_arn,
                          .client_token = "x",
                          .image_recipe_arn = f.recipe_arn};
  auto image = f.model.create_image(f.caller, in);
  REQUIRE_FALSE(image.ok());
  CHECK(image.error().code == "AccessDeniedException");
  CHECK(f.authz.calls.back().second
        == "arn:aws:imagebuilder:us-west-2:111122223333:image/mybasicrecipe/2019.12.3/1");
  f.authz.denied.insert("imagebuilder:ListImages");
  CHECK(f.model.list_images(f.caller, {}).error().code == "AccessDeniedException");
}

}  // namespace
}  // namespace ibsim::mock_aws::imagebuilder
