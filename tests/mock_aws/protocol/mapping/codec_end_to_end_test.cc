// The mapping and the codecs together, as the transports and the router use them: a typed input
// goes mapping -> encode_request -> decode_request (validated against the model) -> mapping and
// comes back equal; a typed output goes mapping -> encode_response -> decode_response -> mapping
// and comes back equal. Several operations per service with realistic values; every operation's
// output with a value for every described member.

#include <string>
#include <string_view>

#include <catch2/catch.hpp>

#include "mock_aws/api/ec2_types.h"
#include "mock_aws/api/iam_types.h"
#include "mock_aws/api/imagebuilder_types.h"
#include "mock_aws/api/kms_types.h"
#include "mock_aws/api/ssm_types.h"
#include "mock_aws/api/sts_types.h"
#include "mock_aws/protocol/codec.h"
#include "mock_aws/protocol/mapping/mapping.h"
#include "tests/mock_aws/protocol/mapping/mapping_test_util.h"

namespace ibsim::mock_aws::protocol::mapping {
namespace {

using nlohmann::json;

OperationRef operation_ref(ServiceId service, std::string_view name) {
  const auto found = find_operation(service, name);
  REQUIRE(found.has_value());
  return *found;
}

// Client side then server side; returns what the service would see.
template <typename Op>
typename Op::InputType input_through_codec(ServiceId service,
                                           std::string_view name,
                                           const typename Op::InputType& input) {
  INFO(service_model(service).name << " " << name);
  const OperationRef operation = operation_ref(service, name);
  const json doc = Op::encode_input(input);
  const auto request = encode_request(operation, doc);
  if (!request.ok()) {
    FAIL(request.error().code << ": " << request.error().message);
  }
  const auto decoded = decode_request(service, *request);
  if (!decoded.ok()) {
    FAIL(decoded.error().code << ": " << decoded.error().message);
  }
  CHECK(decoded->operation == operation);
  const auto typed = Op::decode_input(decoded->input);
  if (!typed.ok()) {
    FAIL(typed.error().code << ": " << typed.error().message);
  }
  CHECK(Op::encode_input(*typed) == doc);
  return *typed;
}

// Server side then client side; returns what the client would see.
template <typename Op>
typename Op::OutputType output_through_codec(ServiceId service,
                                             std::string_view name,
                                             const typename Op::OutputType& output) {
  INFO(service_model(service).name << " " << name);
  const OperationRef operation = operation_ref(service, name);
  const json doc = Op::encode_output(output);
  const auto response = encode_response(operation, doc, "req-1");
  if (!response.ok()) {
    FAIL(response.error().code << ": " << response.error().message);
  }
  const auto decoded = decode_response(operation, *response);
  if (!decoded.ok()) {
    FAIL(decoded.error().code << ": " << decoded.error().message);
  }
  const auto typed = Op::decode_output(decoded->output);
  if (!typed.ok()) {
    FAIL(typed.error().code << ": " << typed.error().message);
  }
  CHECK(Op::encode_output(*typed) == doc);
  return *typed;
}

constexpr std::string_view kAccount = "111122223333";

TEST_CASE("End to end: EC2 inputs through the query codec", "[mapping]") {
  using CopyImage = Operation<api::ec2::CopyImageInput, api::ec2::CopyImageOutput>;
  const auto copy = input_through_codec<CopyImage>(
      ServiceId::kEc2,
      "CopyImage",
      {.name = "copy of base",
       .source_image_id = "ami-0123456789abcdef0",
       .source_region = "us-east-1",
       .description = "copy",
       .encrypted = true,
       .kms_key_id = "alias/dest",
       .client_token = "token-1",
       .tag_specifications = {
           {.resource_type = "image", .tags = {{"CreatedBy", "EC2 Image Builder"}, {"empty", ""}}},
           {.resource_type = "snapshot", .tags = {{"k", "v"}}}}});
  CHECK(copy.tag_specifications.at(0).tags.at(1) == api::ec2::Tag{"empty", ""});

  using Modify =
      Operation<api::ec2::ModifyImageAttributeInput, api::ec2::ModifyImageAttributeOutput>;
  const auto modify = input_through_codec<Modify>(
      ServiceId::kEc2,
      "ModifyImageAttribute",
      {.image_id = "ami-0123456789abcdef0",
       .launch_permission = api::ec2::LaunchPermissionModifications{
           .add = {{.user_id = "123456789012"}, {.user_id = "987654321098"}},
           .remove = {{.group = "all"}}}});
  CHECK(modify.launch_permission->add.size() == 2);

  using Version = Operation<api::ec2::CreateLaunchTemplateVersionInput,
                            api::ec2::CreateLaunchTemplateVersionOutput>;
  const auto version = input_through_codec<Version>(
      ServiceId::kEc2,
      "CreateLaunchTemplateVersion",
      {.launch_template_id = "lt-0123456789abcdef0",
       .source_version = "$Latest",
       .version_description = "new AMI",
       .launch_template_data = {
           .block_device_mappings =
               {{.device_name = "/dev/xvda",
                 .ebs = api::ec2::LaunchTemplateEbsBlockDeviceRequest{.encrypted = true,
                                                                      .kms_key_id = "alias/dest",
                                                                      .volume_size = 30,
                                                                      .volume_type = "gp3"}}},
           .image_id = "ami-0123456789abcdef0",
           .instance_type = "t3.micro",
           .tag_specifications = {{.resource_type = "instance", .tags = {{"Name", "app"}}}},
           .security_group_ids = {"sg-1", "sg-2"}}});
  CHECK(version.launch_template_data.block_device_mappings.at(0).ebs->volume_size == 30);

  using Describe = Operation<api::ec2::DescribeImagesInput, api::ec2::DescribeImagesOutput>;
  const auto describe = input_through_codec<Describe>(
      ServiceId::kEc2,
      "DescribeImages",
      {.executable_users = {"all"},
       .image_ids = {"ami-0123456789abcdef0"},
       .owners = {"self", "amazon"},
       .include_deprecated = true,
       .max_results = 10,
       .filters = {{.name = "tag:team", .values = {"images", "build*"}}}});
  CHECK(describe.owners == std::vector<std::string>{"self", "amazon"});

  using Run = Operation<api::ec2::RunInstancesInput, api::ec2::RunInstancesOutput>;
  const auto run = input_through_codec<Run>(
      ServiceId::kEc2,
      "RunInstances",
      {.image_id = "ami-0123456789abcdef0",
       .instance_type = "t3.micro",
       .min_count = 1,
       .max_count = 2,
       .launch_template =
           api::ec2::LaunchTemplateSpecification{.launch_template_id = "lt-0123456789abcdef0",
                                                 .version = "$Default"},
       .tag_specifications = {{.resource_type = "instance", .tags = {{"k", "v"}}}},
       .block_device_mappings = {
           {.device_name = "/dev/xvda", .ebs = api::ec2::EbsBlockDevice{.volume_size = 8}}}});
  CHECK(run.max_count == 2);
}

TEST_CASE("End to end: EC2 outputs through the XML codec", "[mapping]") {
  using Describe = Operation<api::ec2::DescribeImagesInput, api::ec2::DescribeImagesOutput>;
  api::ec2::DescribeImagesOutput images;
  api::ec2::Image image;
  image.image_id = "ami-0123456789abcdef0";
  image.name = "copy";
  image.state = "available";
  image.owner_id = std::string(kAccount);
  image.creation_date = "2026-11-28T12:13:06.000Z";
  image.is_public = false;
  image.block_device_mappings = {
      {.device_name = "/dev/xvda",
       .ebs = api::ec2::EbsBlockDevice{.delete_on_termination = true,
                                       .snapshot_id = "snap-0123456789abcdef0",
                                       .volume_size = 8,
                                       .volume_type = "gp3",
                                       .kms_key_id = "arn:aws:kms:us-east-1:111122223333:key/k",
                                       .encrypted = true}}};
  image.tags = {{"CreatedBy", "EC2 Image Builder"}};
  image.state_reason = api::ec2::StateReason{.code = "Client.Error", .message = "why"};
  images.images = {image};
  const auto back = output_through_codec<Describe>(ServiceId::kEc2, "DescribeImages", images);
  CHECK(back.images.at(0).tags == image.tags);
  CHECK(back.images.at(0).is_public == false);
  CHECK(back.images.at(0).state_reason == image.state_reason);
  // No images: the client still sees "Images": [].
  const auto none = output_through_codec<Describe>(ServiceId::kEc2, "DescribeImages", {});
  CHECK(none.images.empty());

  using Snapshots = Operation<api::ec2::DescribeSnapshotsInput, api::ec2::DescribeSnapshotsOutput>;
  api::ec2::DescribeSnapshotsOutput snapshots;
  snapshots.snapshots = {{.snapshot_id = "snap-1",
                          .state = "pending",
                          .start_time = api::ec2::Timestamp{1764331986123},
                          .progress = "40%",
                          .encrypted = true}};
  const auto snap_back =
      output_through_codec<Snapshots>(ServiceId::kEc2, "DescribeSnapshots", snapshots);
  CHECK(snap_back.snapshots.at(0).start_time == api::ec2::Timestamp{1764331986123});

  using Run = Operation<api::ec2::RunInstancesInput, api::ec2::RunInstancesOutput>;
  api::ec2::RunInstancesOutput reservation{
      .reservation_id = "r-1",
      .owner_id = std::string(kAccount),
      .instances = {{.instance_id = "i-1",
                     .image_id = "ami-1",
                     .state = api::ec2::InstanceState{.code = 0, .name = "pending"},
                     .ami_launch_index = 0,
                     .launch_time = api::ec2::Timestamp{1764331986000}}}};
  const auto run_back = output_through_codec<Run>(ServiceId::kEc2, "RunInstances", reservation);
  CHECK(run_back.instances.at(0).launch_time == api::ec2::Timestamp{1764331986000});
}

TEST_CASE("End to end: KMS through the JSON 1.1 codec", "[mapping]") {
  using Encrypt = Operation<api::kms::EncryptInput, api::kms::EncryptOutput>;
  const auto encrypt =
      input_through_codec<Encrypt>(ServiceId::kKms,
                                   "Encrypt",
                                   {.key_id = "alias/app",
                                    .plaintext = {0x00, 0x01, 0x02, 0xff},
                                    .encryption_context = {{"aws:ebs:id", "snap-1"}},
                                    .grant_tokens = {"token"}});
  CHECK(encrypt.plaintext == api::kms::Bytes{0x00, 0x01, 0x02, 0xff});
  CHECK(encrypt.encryption_context.at("aws:ebs:id") == "snap-1");

  using Grant = Operation<api::kms::CreateGrantInput, api::kms::CreateGrantOutput>;
  const auto grant = input_through_codec<Grant>(
      ServiceId::kKms,
      "CreateGrant",
      {.key_id = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
       .grantee_principal = "arn:aws:iam::123456789012:role/EC2ImageBuilderDistributionRole",
       .retiring_principal = "arn:aws:iam::123456789012:root",
       .operations = {"Decrypt", "ReEncryptFrom", "CreateGrant"},
       .constraints = api::kms::GrantConstraints{.encryption_context_subset =
                                                     api::kms::EncryptionContext{{"a", "b"}}},
       .name = "copy"});
  CHECK(grant.constraints
        == api::kms::GrantConstraints{.encryption_context_subset =
                                          api::kms::EncryptionContext{{"a", "b"}}});

  using ReEncrypt = Operation<api::kms::ReEncryptInput, api::kms::ReEncryptOutput>;
  const auto reencrypt =
      input_through_codec<ReEncrypt>(ServiceId::kKms,
                                     "ReEncrypt",
                                     {.ciphertext_blob = api::kms::Bytes(64, 0xab),
                                      .source_encryption_context = {{"k", "v"}},
                                      .destination_key_id = "alias/dest",
                                      .destination_encryption_context = {{"k", "w"}}});
  CHECK(reencrypt.ciphertext_blob.size() == 64);

  using ListGrants = Operation<api::kms::ListGrantsInput, api::kms::ListGrantsOutput>;
  api::kms::ListGrantsOutput grants{
      .grants = {{.key_id = "arn:aws:kms:us-east-1:111122223333:key/k",
                  .grant_id = "g-1",
                  .creation_date = 1764331986500,
                  .grantee_principal = "arn:aws:iam::123456789012:root",
                  .issuing_account = "arn:aws:iam::111122223333:root",
                  .operations = {"Decrypt"}}},
      .truncated = false};
  const auto grants_back = output_through_codec<ListGrants>(ServiceId::kKms, "ListGrants", grants);
  CHECK(grants_back.grants.at(0).creation_date == 1764331986500);

  using Decrypt = Operation<api::kms::DecryptInput, api::kms::DecryptOutput>;
  const auto decrypt =
      output_through_codec<Decrypt>(ServiceId::kKms,
                                    "Decrypt",
                                    {.key_id = "arn:aws:kms:us-east-1:111122223333:key/k",
                                     .plaintext = api::kms::Bytes(32, 7),
                                     .encryption_algorithm = "SYMMETRIC_DEFAULT"});
  CHECK(decrypt.plaintext == api::kms::Bytes(32, 7));
}

TEST_CASE("End to end: IAM and STS through the query and XML codecs", "[mapping]") {
  const std::string trust =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":)"
      R"("arn:aws:iam::111122223333:root"},"Action":"sts:AssumeRole"}]})";
  using CreateRole = Operation<api::iam::CreateRoleInput, api::iam::CreateRoleOutput>;
  const auto role =
      input_through_codec<CreateRole>(ServiceId::kIam,
                                      "CreateRole",
                                      {.path = "/",
                                       .role_name = "EC2ImageBuilderDistributionCrossAccountRole",
                                       .assume_role_policy_document = trust,
                                       .description = "cross-account distribution",
                                       .max_session_duration = 3600,
                                       .tags = {{"team", "images"}, {"empty", ""}}});
  CHECK(role.assume_role_policy_document == trust);
  CHECK(role.tags.at(1) == api::iam::Tag{"empty", ""});

  using ListAttached =
      Operation<api::iam::ListAttachedRolePoliciesInput, api::iam::ListAttachedRolePoliciesOutput>;
  const auto list = input_through_codec<ListAttached>(
      ServiceId::kIam, "ListAttachedRolePolicies", {.role_name = "r", .max_items = 100});
  CHECK(list.max_items == 100);

  using GetRole = Operation<api::iam::GetRoleInput, api::iam::GetRoleOutput>;
  api::iam::GetRoleOutput out;
  out.role = {.path = "/",
              .role_name = "r",
              .role_id = "AROAEXAMPLEEXAMPLE1",
              .arn = "arn:aws:iam::111122223333:role/r",
              .create_date = 1764331986000,
              .assume_role_policy_document = "%7B%7D",
              .tags = {{"k", "v"}}};
  const auto role_back = output_through_codec<GetRole>(ServiceId::kIam, "GetRole", out);
  CHECK(role_back.role.create_date == 1764331986000);
  CHECK(role_back.role.description.empty());

  using ListRoles = Operation<api::iam::ListRolesInput, api::iam::ListRolesOutput>;
  const auto roles = output_through_codec<ListRoles>(
      ServiceId::kIam, "ListRoles", {.roles = {out.role}, .is_truncated = true, .marker = "m"});
  CHECK(roles.is_truncated);
  CHECK(roles.roles.at(0).role_name == "r");

  using AssumeRole = Operation<api::sts::AssumeRoleInput, api::sts::AssumeRoleOutput>;
  const auto assume = input_through_codec<AssumeRole>(
      ServiceId::kSts,
      "AssumeRole",
      {.role_arn = "arn:aws:iam::123456789012:role/EC2ImageBuilderDistributionCrossAccountRole",
       .role_session_name = "ImageBuilder",
       .policy_arns = {{"arn:aws:iam::aws:policy/ReadOnlyAccess"}},
       .duration_seconds = 900,
       .tags = {{"k", "v"}},
       .transitive_tag_keys = {"k"},
       .external_id = "external-1"});
  CHECK(assume.tags.at(0) == api::sts::Tag{"k", "v"});
  const auto assumed = output_through_codec<AssumeRole>(
      ServiceId::kSts,
      "AssumeRole",
      {.credentials = {.access_key_id = "ASIAEXAMPLEEXAMPLE12",
                       .secret_access_key = "secret",
                       .session_token = "token",
                       .expiration = 1764335586359},
       .assumed_role_user = {.assumed_role_id = "AROAEXAMPLE:ImageBuilder",
                             .arn = "arn:aws:sts::123456789012:assumed-role/r/ImageBuilder"},
       .packed_policy_size = 6});
  CHECK(assumed.credentials.expiration == 1764335586359);
  CHECK(assumed.packed_policy_size == 6);

  using Caller = Operation<api::sts::GetCallerIdentityInput, api::sts::GetCallerIdentityOutput>;
  static_cast<void>(input_through_codec<Caller>(ServiceId::kSts, "GetCallerIdentity", {}));
}

TEST_CASE("End to end: SSM through the JSON 1.1 codec", "[mapping]") {
  using Put = Operation<api::ssm::PutParameterInput, api::ssm::PutParameterOutput>;
  const auto put = input_through_codec<Put>(ServiceId::kSsm,
                                            "PutParameter",
                                            {.name = "/golden/ami",
                                             .value = "ami-0123456789abcdef0",
                                             .type = "String",
                                             .overwrite = true,
                                             .tags = {{"team", "images"}},
                                             .data_type = "aws:ec2:image"});
  CHECK(put.data_type == "aws:ec2:image");
  using Get = Operation<api::ssm::GetParametersInput, api::ssm::GetParametersOutput>;
  const auto got = output_through_codec<Get>(ServiceId::kSsm,
                                             "GetParameters",
                                             {.parameters = {{.name = "/golden/ami",
                                                              .type = "String",
                                                              .value = "ami-1",
                                                              .version = 2,
                                                              .last_modified_date = 1764331986250}},
                                              .invalid_parameters = {"/missing"}});
  CHECK(got.parameters.at(0).last_modified_date == 1764331986250);
  CHECK(got.invalid_parameters == std::vector<std::string>{"/missing"});
}

TEST_CASE("End to end: Image Builder through the REST-JSON codec", "[mapping]") {
  using Create = Operation<api::imagebuilder::CreateDistributionConfigurationInput,
                           api::imagebuilder::CreateDistributionConfigurationOutput>;
  api::imagebuilder::CreateDistributionConfigurationInput in;
  in.name = "cross-account";
  in.client_token = "token-1";
  in.distributions = {
      {.region = "us-west-2",
       .ami_distribution_configuration =
           api::imagebuilder::AmiDistributionConfiguration{
               .name = "Name {{ imagebuilder:buildDate }}",
               .description = "An example image name with parameter references",
               .target_account_ids = {"123456789012", "987654321098"},
               .kms_key_id = "arn:aws:kms:us-west-2:111122223333:alias/dest"},
       .launch_template_configurations = {
           {.launch_template_id = "lt-0123456789abcdef0", .set_default_version = true}}}};
  in.tags = {{"team", "images"}};
  CHECK(input_through_codec<Create>(ServiceId::kImageBuilder, "CreateDistributionConfiguration", in)
        == in);

  using Recipe = Operation<api::imagebuilder::CreateImageRecipeInput,
                           api::imagebuilder::CreateImageRecipeOutput>;
  api::imagebuilder::CreateImageRecipeInput recipe;
  recipe.name = "app";
  recipe.semantic_version = "1.0.0";
  recipe.parent_image = "arn:aws:imagebuilder:us-west-2:aws:image/amazon-linux-2023-x86/x.x.x";
  recipe.client_token = "token-2";
  recipe.components = {
      {.component_arn = "arn:aws:imagebuilder:us-west-2:aws:component/update-linux/x.x.x",
       .parameters = {{.name = "p", .value = {"a", "b"}}}}};
  recipe.block_device_mappings = {{.device_name = "/dev/xvda",
                                   .ebs = api::imagebuilder::EbsInstanceBlockDeviceSpecification{
                                       .encrypted = true,
                                       .kms_key_id = "arn:aws:kms:us-west-2:111122223333:key/k",
                                       .volume_size = 30,
                                       .volume_type = "gp3"}}};
  recipe.additional_instance_configuration = api::imagebuilder::AdditionalInstanceConfiguration{
      .systems_manager_agent =
          api::imagebuilder::SystemsManagerAgent{.uninstall_after_build = true}};
  CHECK(input_through_codec<Recipe>(ServiceId::kImageBuilder, "CreateImageRecipe", recipe)
        == recipe);

  // GET with the ARN as a query parameter.
  using GetImage = Operation<api::imagebuilder::GetImageInput, api::imagebuilder::GetImageOutput>;
  const std::string arn = "arn:aws:imagebuilder:us-west-2:111122223333:image/app/1.0.0/1";
  CHECK(input_through_codec<GetImage>(
            ServiceId::kImageBuilder, "GetImage", {.image_build_version_arn = arn})
            .image_build_version_arn
        == arn);

  api::imagebuilder::GetImageOutput image;
  image.request_id = "req-1";
  image.image.arn = arn;
  image.image.state = api::imagebuilder::ImageState{.status = "AVAILABLE"};
  image.image.output_resources = api::imagebuilder::OutputResources{
      .amis = {{.region = "us-west-2", .image = "ami-1", .account_id = "123456789012"}}};
  image.image.distribution_configuration = api::imagebuilder::DistributionConfiguration{
      .arn = "arn:aws:imagebuilder:us-west-2:111122223333:distribution-configuration/x",
      .distributions = in.distributions,
      .timeout_minutes = 360};
  image.image.deprecation_time = 1764331986000;
  image.image.tags = {{"team", "images"}};
  const auto image_back =
      output_through_codec<GetImage>(ServiceId::kImageBuilder, "GetImage", image);
  CHECK(image_back.image.output_resources == image.image.output_resources);
  CHECK(image_back.image.distribution_configuration == image.image.distribution_configuration);
  CHECK(image_back.image.deprecation_time == 1764331986000);

  using List = Operation<api::imagebuilder::ListImagesInput, api::imagebuilder::ListImagesOutput>;
  const auto list = input_through_codec<List>(
      ServiceId::kImageBuilder,
      "ListImages",
      {.owner = "Self", .filters = {{.name = "name", .values = {"app"}}}, .max_results = 25});
  CHECK(list.max_results == 25);
}

TEST_CASE("End to end: every operation's full output survives the response codec", "[mapping]") {
  for (const ServiceId service : kAllServices) {
    for (const OperationInfo& op : mapped_operations(service)) {
      INFO(service_model(service).name << " " << op.name);
      const OperationRef operation = operation_ref(service, op.name);
      const auto canonical = op.canonical_output(testing::sample_document(op.output()));
      REQUIRE(canonical.ok());
      const auto response = encode_response(operation, *canonical, "req-1");
      if (!response.ok()) {
        FAIL(response.error().code << ": " << response.error().message);
      }
      const auto decoded = decode_response(operation, *response);
      if (!decoded.ok()) {
        FAIL(decoded.error().code << ": " << decoded.error().message);
      }
      const auto back = op.canonical_output(decoded->output);
      REQUIRE(back.ok());
      CHECK(*back == *canonical);
    }
  }
}

}  // namespace
}  // namespace ibsim::mock_aws::protocol::mapping
