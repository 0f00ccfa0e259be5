// Round trips through the real tables. Every mapped operation's input and output, filled with a
// value for every described member (generated from the table descriptions), comes back from
// Document -> typed -> Document unchanged; representative typed values of each service encode to
// the exact Documents AWS's member names give and decode back equal; wrong types in real
// operations are errors naming the member.

#include <string>

#include <catch2/catch.hpp>

#include "mock_aws/api/ec2_types.h"
#include "mock_aws/api/iam_types.h"
#include "mock_aws/api/imagebuilder_types.h"
#include "mock_aws/api/kms_types.h"
#include "mock_aws/api/ssm_types.h"
#include "mock_aws/api/sts_types.h"
#include "mock_aws/protocol/mapping/mapping.h"
#include "tests/mock_aws/protocol/mapping/mapping_test_util.h"

namespace ibsim::mock_aws::protocol::mapping {
namespace {

using nlohmann::json;
using testing::sample_document;

TEST_CASE("Round trip: every operation keeps every described member of a full document",
          "[mapping]") {
  std::size_t checked = 0;
  for (const ServiceId service : kAllServices) {
    for (const OperationInfo& op : mapped_operations(service)) {
      INFO(service_model(service).name << " " << op.name);
      const json input = sample_document(op.input());
      const auto input_back = op.canonical_input(input);
      REQUIRE(input_back.ok());
      CHECK(*input_back == input);
      const json output = sample_document(op.output());
      const auto output_back = op.canonical_output(output);
      REQUIRE(output_back.ok());
      CHECK(*output_back == output);
      ++checked;
    }
  }
  CHECK(checked == 128);  // scripts/shapes/operations.txt but ec2 DescribeRegions.
}

TEST_CASE("Round trip: EC2 CopyImage input with tag specifications", "[mapping]") {
  using Op = Operation<api::ec2::CopyImageInput, api::ec2::CopyImageOutput>;
  api::ec2::CopyImageInput in{.name = "copy",
                              .source_image_id = "ami-0123456789abcdef0",
                              .source_region = "us-east-1",
                              .encrypted = true,
                              .kms_key_id = "alias/dest",
                              .copy_image_tags = false,
                              .tag_specifications = {{.resource_type = "image",
                                                      .tags = {{"CreatedBy", "EC2 Image Builder"},
                                                               {"empty", ""},
                                                               {"novalue", std::nullopt}}}},
                              .snapshot_copy_completion_duration_minutes = 15};
  const json doc = Op::encode_input(in);
  CHECK(doc
        == json{{"Name", "copy"},
                {"SourceImageId", "ami-0123456789abcdef0"},
                {"SourceRegion", "us-east-1"},
                {"Encrypted", true},
                {"KmsKeyId", "alias/dest"},
                {"CopyImageTags", false},
                {"TagSpecifications",
                 {{{"ResourceType", "image"},
                   {"Tags",
                    {{{"Key", "CreatedBy"}, {"Value", "EC2 Image Builder"}},
                     {{"Key", "empty"}, {"Value", ""}},
                     {{"Key", "novalue"}}}}}}},
                {"SnapshotCopyCompletionDurationMinutes", 15}});
  const auto back = Op::decode_input(doc);
  REQUIRE(back.ok());
  CHECK(back->tag_specifications.at(0).tags == in.tag_specifications.at(0).tags);
  CHECK(back->snapshot_copy_completion_duration_minutes == 15);
  CHECK(Op::encode_input(*back) == doc);
  CHECK(Op::encode_output({.image_id = "ami-1"}) == json{{"ImageId", "ami-1"}});
}

TEST_CASE("Round trip: EC2 outputs with timestamps and nested lists", "[mapping]") {
  using Snapshots = Operation<api::ec2::DescribeSnapshotsInput, api::ec2::DescribeSnapshotsOutput>;
  api::ec2::DescribeSnapshotsOutput snapshots;
  snapshots.snapshots.push_back({.tags = {{"k", "v"}},
                                 .snapshot_id = "snap-1",
                                 .state = "completed",
                                 .start_time = api::ec2::Timestamp{1764331986123},
                                 .volume_size = 8,
                                 .encrypted = true,
                                 .kms_key_id = "arn:aws:kms:us-east-1:111122223333:key/k"});
  const json doc = Snapshots::encode_output(snapshots);
  CHECK(doc["Snapshots"][0]["StartTime"] == json(1764331986.123));
  CHECK(doc["Snapshots"][0]["Tags"] == json{{{"Key", "k"}, {"Value", "v"}}});
  const auto back = Snapshots::decode_output(doc);
  REQUIRE(back.ok());
  CHECK(back->snapshots.at(0).start_time == api::ec2::Timestamp{1764331986123});
  CHECK(Snapshots::encode_output(*back) == doc);

  using Versions = Operation<api::ec2::CreateLaunchTemplateVersionInput,
                             api::ec2::CreateLaunchTemplateVersionOutput>;
  api::ec2::CreateLaunchTemplateVersionOutput version;
  version.launch_template_version = api::ec2::LaunchTemplateVersion{
      .launch_template_id = "lt-0123456789abcdef0",
      .version_number = int64_t{1} << 33,
      .create_time = api::ec2::Timestamp{1000},
      .default_version = false,
      .launch_template_data = api::ec2::ResponseLaunchTemplateData{
          .block_device_mappings = {{.device_name = "/dev/xvda",
                                     .ebs =
                                         api::ec2::LaunchTemplateEbsBlockDevice{
                                             .encrypted = true, .volume_size = 30}}},
          .image_id = "ami-1",
          .security_group_ids = {"sg-1", "sg-2"}}};
  const json version_doc = Versions::encode_output(version);
  CHECK(
      version_doc
      == json{
          {"LaunchTemplateVersion",
           {{"LaunchTemplateId", "lt-0123456789abcdef0"},
            {"VersionNumber", int64_t{1} << 33},
            {"CreateTime", 1},
            {"DefaultVersion", false},
            {"LaunchTemplateData",
             {{"BlockDeviceMappings",
               {{{"DeviceName", "/dev/xvda"}, {"Ebs", {{"Encrypted", true}, {"VolumeSize", 30}}}}}},
              {"ImageId", "ami-1"},
              {"SecurityGroupIds", {"sg-1", "sg-2"}}}}}}});
  const auto version_back = Versions::decode_output(version_doc);
  REQUIRE(version_back.ok());
  CHECK(version_back->launch_template_version->launch_template_data
        == version.launch_template_version->launch_template_data);

  using Run = Operation<api::ec2::RunInstancesInput, api::ec2::RunInstancesOutput>;
  const auto run = Run::decode_input({{"ImageId", "ami-1"}, {"MinCount", 2}});
  REQUIRE(run.ok());
  CHECK(run->min_count == 2);
  CHECK(run->max_count == 1);  // Absent: the typed default.
}

TEST_CASE("Round trip: KMS blobs encryption contexts and grant constraints", "[mapping]") {
  using Encrypt = Operation<api::kms::EncryptInput, api::kms::EncryptOutput>;
  api::kms::EncryptInput in{.key_id = "alias/app",
                            .plaintext = {'h', 'i', 0x00, 0xff},
                            .encryption_context = {{"aws:ebs:id", "snap-1"}, {"b", ""}}};
  const json doc = Encrypt::encode_input(in);
  CHECK(doc
        == json{{"KeyId", "alias/app"},
                {"Plaintext", "aGkA/w=="},
                {"EncryptionContext", {{"aws:ebs:id", "snap-1"}, {"b", ""}}}});
  const auto back = Encrypt::decode_input(doc);
  REQUIRE(back.ok());
  CHECK(back->plaintext == in.plaintext);
  CHECK(back->encryption_context == in.encryption_context);
  CHECK(back->grant_tokens.empty());
  CHECK_FALSE(back->dry_run.has_value());

  using Grant = Operation<api::kms::CreateGrantInput, api::kms::CreateGrantOutput>;
  api::kms::CreateGrantInput grant{.key_id = "k",
                                   .grantee_principal = "arn:aws:iam::111122223333:role/r",
                                   .operations = {"Decrypt", "CreateGrant"},
                                   .constraints = api::kms::GrantConstraints{
                                       .encryption_context_subset = api::kms::EncryptionContext{}}};
  const json grant_doc = Grant::encode_input(grant);
  // An optional map that is set is written even when empty: the constraint is present.
  CHECK(grant_doc["Constraints"] == json{{"EncryptionContextSubset", json::object()}});
  const auto grant_back = Grant::decode_input(grant_doc);
  REQUIRE(grant_back.ok());
  CHECK(grant_back->constraints == grant.constraints);

  using Describe = Operation<api::kms::DescribeKeyInput, api::kms::DescribeKeyOutput>;
  api::kms::DescribeKeyOutput key;
  key.key_metadata.key_id = "k";
  key.key_metadata.creation_date = 1764331986500;
  key.key_metadata.deletion_date = 1765000000000;
  key.key_metadata.encryption_algorithms = {"SYMMETRIC_DEFAULT"};
  const json key_doc = Describe::encode_output(key);
  CHECK(key_doc["KeyMetadata"]["CreationDate"] == json(1764331986.5));
  CHECK(key_doc["KeyMetadata"]["DeletionDate"] == json(1765000000));
  CHECK(key_doc["KeyMetadata"]["Description"] == "");  // KMS sends "" for no description.
  CHECK(key_doc["KeyMetadata"]["Enabled"] == false);
  const auto key_back = Describe::decode_output(key_doc);
  REQUIRE(key_back.ok());
  CHECK(key_back->key_metadata.creation_date == 1764331986500);
  CHECK(key_back->key_metadata.deletion_date == 1765000000000);
  CHECK(Describe::encode_output(*key_back) == key_doc);

  using CreateKey = Operation<api::kms::CreateKeyInput, api::kms::CreateKeyOutput>;
  CHECK(CreateKey::encode_input({}) == json::object());  // Bypass... only when true.
  CHECK(CreateKey::encode_input({.bypass_policy_lockout_safety_check = true})
        == json{{"BypassPolicyLockoutSafetyCheck", true}});
}

TEST_CASE("Round trip: IAM roles with timestamps optional members and tags", "[mapping]") {
  using GetRole = Operation<api::iam::GetRoleInput, api::iam::GetRoleOutput>;
  api::iam::GetRoleOutput out;
  out.role = {.path = "/",
              .role_name = "EC2ImageBuilderDistributionCrossAccountRole",
              .role_id = "AROAEXAMPLE",
              .arn = "arn:aws:iam::111122223333:role/EC2ImageBuilderDistributionCrossAccountRole",
              .create_date = 1764331986000,
              .assume_role_policy_document = "%7B%7D",
              .permissions_boundary =
                  api::iam::AttachedPermissionsBoundary{
                      .permissions_boundary_arn = "arn:aws:iam::aws:policy/PowerUserAccess"},
              .tags = {{"team", "images"}}};
  const json doc = GetRole::encode_output(out);
  CHECK(doc
        == json{
            {"Role",
             {{"Path", "/"},
              {"RoleName", "EC2ImageBuilderDistributionCrossAccountRole"},
              {"RoleId", "AROAEXAMPLE"},
              {"Arn", "arn:aws:iam::111122223333:role/EC2ImageBuilderDistributionCrossAccountRole"},
              {"CreateDate", 1764331986},
              {"AssumeRolePolicyDocument", "%7B%7D"},
              {"MaxSessionDuration", 3600},
              {"PermissionsBoundary",
               {{"PermissionsBoundaryType", "Policy"},
                {"PermissionsBoundaryArn", "arn:aws:iam::aws:policy/PowerUserAccess"}}},
              {"Tags", {{{"Key", "team"}, {"Value", "images"}}}}}}});
  const auto back = GetRole::decode_output(doc);
  REQUIRE(back.ok());
  CHECK(back->role.tags == out.role.tags);
  CHECK(back->role.create_date == out.role.create_date);
  CHECK(GetRole::encode_output(*back) == doc);

  using ListRoles = Operation<api::iam::ListRolesInput, api::iam::ListRolesOutput>;
  CHECK(ListRoles::encode_output({}) == json{{"Roles", json::array()}, {"IsTruncated", false}});
  using GetUser = Operation<api::iam::GetUserInput, api::iam::GetUserOutput>;
  api::iam::GetUserOutput root;  // GetUser as the root: no UserName.
  root.user = {.path = "/", .user_id = "111122223333", .arn = "arn:aws:iam::111122223333:root"};
  CHECK_FALSE(GetUser::encode_output(root)["User"].contains("UserName"));
}

TEST_CASE("Round trip: STS AssumeRole both directions", "[mapping]") {
  using AssumeRole = Operation<api::sts::AssumeRoleInput, api::sts::AssumeRoleOutput>;
  api::sts::AssumeRoleInput in{.role_arn = "arn:aws:iam::111122223333:role/r",
                               .role_session_name = "ImageBuilder",
                               .policy_arns = {{"arn:aws:iam::aws:policy/ReadOnlyAccess"}},
                               .duration_seconds = 900,
                               .tags = {{"k", "v"}},
                               .transitive_tag_keys = {"k"},
                               .external_id = "ext"};
  const json doc = AssumeRole::encode_input(in);
  CHECK(doc["PolicyArns"] == json{{{"arn", "arn:aws:iam::aws:policy/ReadOnlyAccess"}}});
  CHECK(AssumeRole::encode_input(*AssumeRole::decode_input(doc)) == doc);

  api::sts::AssumeRoleOutput out{
      .credentials = {.access_key_id = "ASIA1",
                      .secret_access_key = "s",
                      .session_token = "t",
                      .expiration = 1764335586359},
      .assumed_role_user = {.assumed_role_id = "AROA1:ImageBuilder",
                            .arn = "arn:aws:sts::111122223333:assumed-role/r/ImageBuilder"}};
  const json out_doc = AssumeRole::encode_output(out);
  CHECK(out_doc["Credentials"]["Expiration"] == json(1764335586.359));
  CHECK_FALSE(out_doc.contains("PackedPolicySize"));  // Only with session policies.
  out.packed_policy_size = 6;
  CHECK(AssumeRole::encode_output(out)["PackedPolicySize"] == 6);
  const auto back = AssumeRole::decode_output(out_doc);
  REQUIRE(back.ok());
  CHECK(back->credentials.expiration == 1764335586359);
}

TEST_CASE("Round trip: SSM parameters", "[mapping]") {
  using GetParameters = Operation<api::ssm::GetParametersInput, api::ssm::GetParametersOutput>;
  api::ssm::GetParametersOutput out;
  out.parameters.push_back({.name = "/golden/ami",
                            .type = "String",
                            .value = "ami-0123456789abcdef0",
                            .version = 3,
                            .last_modified_date = 1764331986250,
                            .arn = "arn:aws:ssm:us-east-1:111122223333:parameter/golden/ami",
                            .data_type = "aws:ec2:image"});
  const json doc = GetParameters::encode_output(out);
  CHECK(doc["InvalidParameters"] == json::array());  // Always sent, as AWS does.
  CHECK(doc["Parameters"][0]["LastModifiedDate"] == json(1764331986.25));
  CHECK(doc["Parameters"][0]["ARN"] == "arn:aws:ssm:us-east-1:111122223333:parameter/golden/ami");
  const auto back = GetParameters::decode_output(doc);
  REQUIRE(back.ok());
  CHECK(back->parameters == out.parameters);
}

api::imagebuilder::CreateDistributionConfigurationInput seed_distribution() {
  api::imagebuilder::CreateDistributionConfigurationInput in;
  in.name = "cross-account";
  in.description = "Cross-account distribution";
  in.client_token = "token-1";
  in.tags = {{"team", "images"}};
  api::imagebuilder::Distribution d;
  d.region = "us-west-2";
  d.ami_distribution_configuration = api::imagebuilder::AmiDistributionConfiguration{
      .name = "Name {{ imagebuilder:buildDate }}",
      .description = "An example image name with parameter references",
      .target_account_ids = {"123456789012", "987654321098"},
      .ami_tags = {{"CostCenter", "IT"}},
      .kms_key_id = "arn:aws:kms:us-west-2:111122223333:alias/dest",
      .launch_permission =
          api::imagebuilder::LaunchPermissionConfiguration{.user_ids = {"123456789012"}}};
  d.launch_template_configurations = {
      {.launch_template_id = "lt-0123456789abcdef0", .set_default_version = true}};
  d.ssm_parameter_configurations = {
      {.parameter_name = "/golden/ami", .data_type = "aws:ec2:image"}};
  in.distributions = {d};
  return in;
}

TEST_CASE("Round trip: Image Builder distribution configuration from the seed", "[mapping]") {
  using Create = Operation<api::imagebuilder::CreateDistributionConfigurationInput,
                           api::imagebuilder::CreateDistributionConfigurationOutput>;
  const auto in = seed_distribution();
  const json doc = Create::encode_input(in);
  CHECK(doc
        == json{{"name", "cross-account"},
                {"description", "Cross-account distribution"},
                {"clientToken", "token-1"},
                {"tags", {{"team", "images"}}},
                {"distributions",
                 {{{"region", "us-west-2"},
                   {"amiDistributionConfiguration",
                    {{"name", "Name {{ imagebuilder:buildDate }}"},
                     {"description", "An example image name with parameter references"},
                     {"targetAccountIds", {"123456789012", "987654321098"}},
                     {"amiTags", {{"CostCenter", "IT"}}},
                     {"kmsKeyId", "arn:aws:kms:us-west-2:111122223333:alias/dest"},
                     {"launchPermission", {{"userIds", {"123456789012"}}}}}},
                   {"launchTemplateConfigurations",
                    {{{"launchTemplateId", "lt-0123456789abcdef0"}, {"setDefaultVersion", true}}}},
                   {"ssmParameterConfigurations",
                    {{{"parameterName", "/golden/ami"}, {"dataType", "aws:ec2:image"}}}}}}}});
  const auto back = Create::decode_input(doc);
  REQUIRE(back.ok());
  CHECK(*back == in);
}

TEST_CASE("Round trip: Image Builder GetImage with the distribution outcome", "[mapping]") {
  using GetImage = Operation<api::imagebuilder::GetImageInput, api::imagebuilder::GetImageOutput>;
  api::imagebuilder::GetImageOutput out;
  out.request_id = "req-1";
  out.image.arn = "arn:aws:imagebuilder:us-west-2:111122223333:image/app/1.0.0/1";
  out.image.state = api::imagebuilder::ImageState{.status = "FAILED", .reason = "Distribution"};
  out.image.output_resources = api::imagebuilder::OutputResources{
      .amis = {{.region = "us-west-2", .image = "ami-1", .account_id = "123456789012"}}};
  out.image.deprecation_time = 1764331986000;
  out.image.distribution_configuration = api::imagebuilder::DistributionConfiguration{
      .distributions = seed_distribution().distributions, .timeout_minutes = 360};
  const json doc = GetImage::encode_output(out);
  CHECK(doc["image"]["deprecationTime"] == json(1764331986));
  CHECK(doc["image"]["outputResources"]["amis"][0]["accountId"] == "123456789012");
  CHECK(doc["image"]["distributionConfiguration"]["timeoutMinutes"] == 360);
  const auto back = GetImage::decode_output(doc);
  REQUIRE(back.ok());
  CHECK(back->image.distribution_configuration == out.image.distribution_configuration);
  CHECK(back->image.output_resources == out.image.output_resources);
  CHECK(GetImage::encode_output(*back) == doc);
}

TEST_CASE("Round trip: wrong types in real operations name the member", "[mapping]") {
  using Create = Operation<api::imagebuilder::CreateDistributionConfigurationInput,
                           api::imagebuilder::CreateDistributionConfigurationOutput>;
  json doc = Create::encode_input(seed_distribution());
  doc["distributions"][0]["amiDistributionConfiguration"]["targetAccountIds"][1] = 987654321098;
  const auto bad = Create::decode_input(doc);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "InvalidParameterValueException");
  CHECK_THAT(
      bad.error().message,
      Catch::Contains("'distributions[0].amiDistributionConfiguration.targetAccountIds[1]' has the "
                      "wrong type: expected a string, found an integer"));

  using Decrypt = Operation<api::kms::DecryptInput, api::kms::DecryptOutput>;
  const auto blob = Decrypt::decode_input({{"CiphertextBlob", "not base64!"}});
  REQUIRE_FALSE(blob.ok());
  CHECK(blob.error().code == "SerializationException");
  CHECK_THAT(blob.error().message, Catch::Contains("'CiphertextBlob'"));
  const auto plaintext = Decrypt::decode_output({{"Plaintext", 5}});
  REQUIRE_FALSE(plaintext.ok());
  CHECK(plaintext.error().code == "MalformedResponse");

  using Describe = Operation<api::ec2::DescribeImagesInput, api::ec2::DescribeImagesOutput>;
  const auto owners = Describe::decode_input({{"Owners", "self"}});
  REQUIRE_FALSE(owners.ok());
  CHECK(owners.error().code == "InvalidParameterValue");
  CHECK(owners.error().message == "Invalid value for Owners: expected an array, found a string.");

  using CreateRole = Operation<api::iam::CreateRoleInput, api::iam::CreateRoleOutput>;
  const auto duration =
      CreateRole::decode_input({{"RoleName", "r"}, {"MaxSessionDuration", int64_t{1} << 32}});
  REQUIRE_FALSE(duration.ok());
  CHECK(duration.error().code == "InvalidParameterValue");
  CHECK_THAT(duration.error().message, Catch::Contains("MaxSessionDuration"));
}

}  // namespace
}  // namespace ibsim::mock_aws::protocol::mapping
