// Distribution configurations: every validation of aws-facts §1.3 with its exact error (table),
// ARNs, Get/List/Update/Delete, idempotency, pagination, quotas and authorization.

#include <functional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/mock_aws/imagebuilder/imagebuilder_test_util.h"

namespace ibsim::mock_aws::imagebuilder {
namespace {

namespace ib = api::imagebuilder;

using testing::call;
using testing::Fixture;
using testing::kOwner;
using testing::kTargetA;
using testing::seed_configuration;
using testing::seed_distribution;

constexpr std::string_view kInvalidValue = "InvalidParameterValueException";
const std::string kPrefix = "The value supplied for parameter ";

struct Case {
  std::string label;
  std::function<void(ib::CreateDistributionConfigurationInput&)> mutate;
  std::string code;     // Empty: the request succeeds.
  std::string message;  // The exact message.
  int status = 400;
};

ib::AmiDistributionConfiguration& ami(ib::CreateDistributionConfigurationInput& in,
                                      std::size_t i = 0) {
  return *in.distributions[i].ami_distribution_configuration;
}

std::string pattern_message(const std::string& path, Pattern p) {
  return kPrefix + "'" + path + "' is not valid. '" + path + "' must match pattern "
         + std::string(pattern_text(p));
}

std::string max_length(const std::string& path, int n) {
  return kPrefix + "'" + path + "' is not valid. '" + path
         + testing::numbered("' must have length less than or equal to ", n);
}

std::string min_length(const std::string& path, int n) {
  return kPrefix + "'" + path + "' is not valid. '" + path
         + testing::numbered("' must have length greater than or equal to ", n);
}

std::string required(const std::string& path) {
  return kPrefix + "'" + path + "' is not valid. '" + path + "' is required.";
}

const std::string kNoOutput = kPrefix +
                              "'distributions[0]' is not valid. One or more outputs should be "
                              "provided for each region in a distribution configuration.";
const std::string kNoBuildDate = kPrefix +
                                 "'distributions[0].amiDistributionConfiguration.name' is not "
                                 "valid. The EC2 AMI name must contain '{{ imagebuilder:buildDate "
                                 "}}' to ensure that the name will be unique.";
const std::string kTagKeyRule = "Tag keys must have length between 1 and 128 and match pattern "
                                + std::string(pattern_text(Pattern::kTagKey));

ib::LaunchTemplateConfiguration lt(std::string id = "lt-0123456789abcdef0") {
  return ib::LaunchTemplateConfiguration{.launch_template_id = std::move(id)};
}

std::vector<Case> cases() {
  const std::string ami_path = "distributions[0].amiDistributionConfiguration";
  std::vector<Case> c = {
      {"seed configuration from the cross-account page", [](auto&) {}, "", ""},
      {"name missing",
       [](auto& in) { in.name = ""; },
       std::string(kInvalidValue),
       required("name")},
      {"name too short",
       [](auto& in) { in.name = "ab"; },
       std::string(kInvalidValue),
       pattern_message("name", Pattern::kResourceName)},
      {"name with a leading space",
       [](auto& in) { in.name = " abc"; },
       std::string(kInvalidValue),
       pattern_message("name", Pattern::kResourceName)},
      {"name with a trailing space",
       [](auto& in) { in.name = "abc "; },
       std::string(kInvalidValue),
       pattern_message("name", Pattern::kResourceName)},
      {"name with a dot",
       [](auto& in) { in.name = "my.config"; },
       std::string(kInvalidValue),
       pattern_message("name", Pattern::kResourceName)},
      {"name of 129 characters",
       [](auto& in) { in.name = std::string(129, 'a'); },
       std::string(kInvalidValue),
       pattern_message("name", Pattern::kResourceName)},
      {"name of 128 characters with interior spaces",
       [](auto& in) { in.name = "a b" + std::string(125, 'c'); },
       "",
       ""},
      {"description empty",
       [](auto& in) { in.description = ""; },
       std::string(kInvalidValue),
       min_length("description", 1)},
      {"description of 1025 characters",
       [](auto& in) { in.description = std::string(1025, 'd'); },
       std::string(kInvalidValue),
       max_length("description", 1024)},
      {"51 tags",
       [](auto& in) {
         for (int i = 0; i < 51; ++i) {
           in.tags[testing::numbered("k", i)] = "v";
         }
       },
       std::string(kInvalidValue),
       max_length("tags", 50)},
      {"tag key starting with aws:",
       [](auto& in) { in.tags["aws:team"] = "x"; },
       std::string(kInvalidValue),
       kPrefix + "'tags' is not valid. " + kTagKeyRule + "; 'aws:team' does not."},
      {"tag key with a hash",
       [](auto& in) { in.tags["a#b"] = "x"; },
       std::string(kInvalidValue),
       kPrefix + "'tags' is not valid. " + kTagKeyRule + "; 'a#b' does not."},
      {"tag key of 129 characters",
       [](auto& in) { in.tags[std::string(129, 'k')] = "x"; },
       std::string(kInvalidValue),
       kPrefix + "'tags' is not valid. " + kTagKeyRule + "; '" + std::string(129, 'k')
           + "' does not."},
      {"tag value of 257 characters",
       [](auto& in) { in.tags["k"] = std::string(257, 'v'); },
       std::string(kInvalidValue),
       max_length("tags['k']", 256)},
      {"client token missing",
       [](auto& in) { in.client_token = ""; },
       std::string(kInvalidValue),
       required("clientToken")},
      {"client token of 65 characters",
       [](auto& in) { in.client_token = std::string(65, 't'); },
       std::string(kInvalidValue),
       max_length("clientToken", 64)},
      {"no distributions",
       [](auto& in) { in.distributions.clear(); },
       std::string(kInvalidValue),
       kPrefix
           + "'distributions' is not valid. A distribution for the source region 'us-west-2', "
             "where the distribution configuration is created, must be provided."},
      {"region missing",
       [](auto& in) { in.distributions[0].region = ""; },
       std::string(kInvalidValue),
       required("distributions[0].region")},
      {"unknown region",
       [](auto& in) { in.distributions[0].region = "moon-1"; },
       std::string(kInvalidValue),
       kPrefix + "'distributions[0].region' is not valid. 'moon-1' is not a valid AWS Region."},
      {"duplicate region",
       [](auto& in) { in.distributions.push_back(seed_distribution()); },
       std::string(kInvalidValue),
       kPrefix
           + "'distributions[1].region' is not valid. The region 'us-west-2' appears in more than "
             "one distribution."},
      {"distribution with no output (AWS's text)",
       [](auto& in) { in.distributions[0] = ib::Distribution{.region = "us-west-2"}; },
       std::string(kInvalidValue),
       kNoOutput},
      {"second distribution with no output",
       [](auto& in) { in.distributions.push_back(ib::Distribution{.region = "us-east-1"}); },
       std::string(kInvalidValue),
       kPrefix
           + "'distributions[1]' is not valid. One or more outputs should be provided for each "
             "region in a distribution configuration."},
      {"no distribution for the source region",
       [](auto& in) { in.distributions[0].region = "us-east-1"; },
       std::string(kInvalidValue),
       kPrefix
           + "'distributions' is not valid. A distribution for the source region 'us-west-2', "
             "where the distribution configuration is created, must be provided."},
      {"source region plus another region",
       [](auto& in) { in.distributions.push_back(seed_distribution("eu-west-1")); },
       "",
       ""},
      {"AMI name without the build date (AWS's text)",
       [](auto& in) { ami(in).name = "Name without date"; },
       std::string(kInvalidValue),
       kNoBuildDate},
      {"AMI name with only the build version",
       [](auto& in) { ami(in).name = "Name {{imagebuilder:buildVersion}}"; },
       std::string(kInvalidValue),
       kNoBuildDate},
      {"AMI name with the compact placeholder",
       [](auto& in) { ami(in).name = "app-{{imagebuilder:buildDate}}"; },
       "",
       ""},
      {"AMI name with both placeholders",
       [](auto& in) {
         ami(in).name = "My {{imagebuilder:buildVersion}} image {{imagebuilder:buildDate}}";
       },
       "",
       ""},
      {"AMI name of 128 characters",
       [](auto& in) { ami(in).name = std::string(100, 'n') + "{{ imagebuilder:buildDate }}"; },
       std::string(kInvalidValue),
       max_length(ami_path + ".name", 127)},
      {"AMI name with a hash",
       [](auto& in) { ami(in).name = "app#{{ imagebuilder:buildDate }}"; },
       std::string(kInvalidValue),
       pattern_message(ami_path + ".name", Pattern::kAmiName)},
      {"AMI description empty",
       [](auto& in) { ami(in).description = ""; },
       std::string(kInvalidValue),
       min_length(ami_path + ".description", 1)},
      {"target account id of 5 digits",
       [](auto& in) { ami(in).target_account_ids = {"12345"}; },
       std::string(kInvalidValue),
       pattern_message(ami_path + ".targetAccountIds[0]", Pattern::kAccountId)},
      {"target account id with a letter",
       [](auto& in) { ami(in).target_account_ids.push_back("12345678901a"); },
       std::string(kInvalidValue),
       pattern_message(ami_path + ".targetAccountIds[2]", Pattern::kAccountId)},
      {"1537 target accounts",
       [](auto& in) { ami(in).target_account_ids.assign(1537, std::string(kTargetA)); },
       std::string(kInvalidValue),
       max_length(ami_path + ".targetAccountIds", 1536)},
      {"1536 target accounts",
       [](auto& in) { ami(in).target_account_ids.assign(1536, std::string(kTargetA)); },
       "",
       ""},
      {"AMI tag key starting with aws:",
       [](auto& in) { ami(in).ami_tags["aws:x"] = "y"; },
       std::string(kInvalidValue),
       kPrefix + "'" + ami_path + ".amiTags' is not valid. " + kTagKeyRule + "; 'aws:x' does not."},
      {"kmsKeyId empty",
       [](auto& in) { ami(in).kms_key_id = ""; },
       std::string(kInvalidValue),
       min_length(ami_path + ".kmsKeyId", 1)},
      {"launch permission user id malformed",
       [](auto& in) {
         ami(in).launch_permission = ib::LaunchPermissionConfiguration{.user_ids = {"abc"}};
       },
       std::string(kInvalidValue),
       pattern_message(ami_path + ".launchPermission.userIds[0]", Pattern::kAccountId)},
      {"launch permission organization ARN malformed",
       [](auto& in) {
         ami(in).launch_permission =
             ib::LaunchPermissionConfiguration{.organization_arns = {"arn:aws:organizations::1"}};
       },
       std::string(kInvalidValue),
       pattern_message(ami_path + ".launchPermission.organizationArns[0]",
                       Pattern::kOrganizationArn)},
      {"launch permission OU ARN malformed",
       [](auto& in) {
         ami(in).launch_permission = ib::LaunchPermissionConfiguration{
             .organizational_unit_arns = {"arn:aws:organizations::123456789012:ou/o-1/ou-1"}};
       },
       std::string(kInvalidValue),
       pattern_message(ami_path + ".launchPermission.organizationalUnitArns[0]",
                       Pattern::kOrganizationalUnitArn)},
      {"26 organization ARNs",
       [](auto& in) {
         ami(in).launch_permission = ib::LaunchPermissionConfiguration{
             .organization_arns = std::vector<std::string>(
                 26, "arn:aws:organizations::123456789012:organization/o-abcdefghij")};
       },
       std::string(kInvalidValue),
       max_length(ami_path + ".launchPermission.organizationArns", 25)},
      {"valid launch permission",
       [](auto& in) {
         ami(in).launch_permission = ib::LaunchPermissionConfiguration{
             .user_ids = {"444455556666"},
             .user_groups = {"all"},
             .organization_arns = {"arn:aws:organizations::123456789012:organization/o-abcdefghij"},
             .organizational_unit_arns = {
                 "arn:aws:organizations::123456789012:ou/o-abcdefghij/ou-ab12-abcdefgh"}};
       },
       "",
       ""},
      {"launch template id malformed",
       [](auto& in) { in.distributions[0].launch_template_configurations = {lt("lt-123")}; },
       std::string(kInvalidValue),
       pattern_message("distributions[0].launchTemplateConfigurations[0].launchTemplateId",
                       Pattern::kLaunchTemplateId)},
      {"launch template id with upper case",
       [](auto& in) {
         in.distributions[0].launch_template_configurations = {lt("lt-0123456789ABCDEF0")};
       },
       std::string(kInvalidValue),
       pattern_message("distributions[0].launchTemplateConfigurations[0].launchTemplateId",
                       Pattern::kLaunchTemplateId)},
      {"launch template account id malformed",
       [](auto& in) {
         ib::LaunchTemplateConfiguration l = lt();
         l.account_id = "1";
         in.distributions[0].launch_template_configurations = {l};
       },
       std::string(kInvalidValue),
       pattern_message("distributions[0].launchTemplateConfigurations[0].accountId",
                       Pattern::kAccountId)},
      {"five launch templates in a region",
       [](auto& in) { in.distributions[0].launch_template_configurations.assign(5, lt()); },
       "",
       ""},
      {"six launch templates in a region (quota)",
       [](auto& in) { in.distributions[0].launch_template_configurations.assign(6, lt()); },
       "ServiceQuotaExceededException",
       "The distribution for region 'us-west-2' updates 6 launch templates; the quota of launch "
       "templates modified per distribution region is 5.",
       402},
      {"101 launch templates",
       [](auto& in) { in.distributions[0].launch_template_configurations.assign(101, lt()); },
       std::string(kInvalidValue),
       max_length("distributions[0].launchTemplateConfigurations", 100)},
      {"launch templates alone are an output",
       [](auto& in) {
         in.distributions.push_back(
             ib::Distribution{.region = "us-east-1", .launch_template_configurations = {lt()}});
       },
       "",
       ""},
      {"SSM parameter name with a space",
       [](auto& in) {
         in.distributions[0].ssm_parameter_configurations = {{.parameter_name = "my param"}};
       },
       std::string(kInvalidValue),
       pattern_message("distributions[0].ssmParameterConfigurations[0].parameterName",
                       Pattern::kSsmParameterName)},
      {"SSM parameter name missing",
       [](auto& in) {
         in.distributions[0].ssm_parameter_configurations = {{.parameter_name = ""}};
       },
       std::string(kInvalidValue),
       required("distributions[0].ssmParameterConfigurations[0].parameterName")},
      {"SSM data type unknown",
       [](auto& in) {
         in.distributions[0].ssm_parameter_configurations = {
             {.parameter_name = "/ami/latest", .data_type = "json"}};
       },
       std::string(kInvalidValue),
       kPrefix
           + "'distributions[0].ssmParameterConfigurations[0].dataType' is not valid. "
             "'distributions[0].ssmParameterConfigurations[0].dataType' must be one of [text, "
             "aws:ec2:image]"},
      {"SSM amiAccountId not a target of the region",
       [](auto& in) {
         in.distributions[0].ssm_parameter_configurations = {
             {.parameter_name = "/ami/latest", .ami_account_id = "444455556666"}};
       },
       std::string(kInvalidValue),
       kPrefix
           + "'distributions[0].ssmParameterConfigurations[0].amiAccountId' is not valid. The "
             "account '444455556666' must be one of the target accounts of the distribution for "
             "region 'us-west-2'."},
      {"SSM amiAccountId malformed",
       [](auto& in) {
         in.distributions[0].ssm_parameter_configurations = {
             {.parameter_name = "/ami/latest", .ami_account_id = "12"}};
       },
       std::string(kInvalidValue),
       pattern_message("distributions[0].ssmParameterConfigurations[0].amiAccountId",
                       Pattern::kAccountId)},
      {"SSM amiAccountId that is a target",
       [](auto& in) {
         in.distributions[0].ssm_parameter_configurations = {
             {.parameter_name = "/ami/latest",
              .ami_account_id = std::string(kTargetA),
              .data_type = "aws:ec2:image"}};
       },
       "",
       ""},
      {"SSM amiAccountId that is the owner",
       [](auto& in) {
         in.distributions[0].ssm_parameter_configurations = {
             {.parameter_name = "/ami/latest", .ami_account_id = std::string(kOwner)}};
       },
       "",
       ""},
      {"container repository service unknown",
       [](auto& in) {
         in.distributions[0].container_distribution_configuration =
             ib::ContainerDistributionConfiguration{
                 .target_repository = {.service = "DOCKERHUB", .repository_name = "r"}};
       },
       std::string(kInvalidValue),
       kPrefix
           + "'distributions[0].containerDistributionConfiguration.targetRepository.service' is "
             "not valid. "
             "'distributions[0].containerDistributionConfiguration.targetRepository.service' must "
             "be one of [ECR]"},
      {"container repository name missing",
       [](auto& in) {
         in.distributions[0].container_distribution_configuration =
             ib::ContainerDistributionConfiguration{
                 .target_repository = {.service = "ECR", .repository_name = ""}};
       },
       std::string(kInvalidValue),
       required(
           "distributions[0].containerDistributionConfiguration.targetRepository.repositoryName")},
      {"S3 export disk format unknown",
       [](auto& in) {
         in.distributions[0].s3_export_configuration = ib::S3ExportConfiguration{
             .role_name = "r", .disk_image_format = "QCOW2", .s3_bucket = "b"};
       },
       std::string(kInvalidValue),
       kPrefix
           + "'distributions[0].s3ExportConfiguration.diskImageFormat' is not valid. "
             "'distributions[0].s3ExportConfiguration.diskImageFormat' must be one of [VMDK, RAW, "
             "VHD]"},
      {"S3 export role missing",
       [](auto& in) {
         in.distributions[0].s3_export_configuration = ib::S3ExportConfiguration{
             .role_name = "", .disk_image_format = "RAW", .s3_bucket = "b"};
       },
       std::string(kInvalidValue),
       required("distributions[0].s3ExportConfiguration.roleName")},
      {"fast launch target resource count 0",
       [](auto& in) {
         in.distributions[0].fast_launch_configurations = {
             {.enabled = true,
              .snapshot_configuration =
                  ib::FastLaunchSnapshotConfiguration{.target_resource_count = 0}}};
       },
       std::string(kInvalidValue),
       kPrefix
           + "'distributions[0].fastLaunchConfigurations[0].snapshotConfiguration."
             "targetResourceCount' is not valid. "
             "'distributions[0].fastLaunchConfigurations[0].snapshotConfiguration."
             "targetResourceCount' must be greater than or equal to 1"},
      {"fast launch parallel launches 0",
       [](auto& in) {
         in.distributions[0].fast_launch_configurations = {
             {.enabled = true, .max_parallel_launches = 0}};
       },
       std::string(kInvalidValue),
       kPrefix
           + "'distributions[0].fastLaunchConfigurations[0].maxParallelLaunches' is not valid. "
             "'distributions[0].fastLaunchConfigurations[0].maxParallelLaunches' must be greater "
             "than or equal to 1"},
      {"fast launch template id malformed",
       [](auto& in) {
         in.distributions[0].fast_launch_configurations = {
             {.enabled = true,
              .launch_template =
                  ib::FastLaunchLaunchTemplateSpecification{.launch_template_id = "lt-x"}}};
       },
       std::string(kInvalidValue),
       pattern_message("distributions[0].fastLaunchConfigurations[0].launchTemplate."
                       "launchTemplateId",
                       Pattern::kLaunchTemplateId)},
      {"license configuration ARN malformed",
       [](auto& in) {
         in.distributions[0].license_configuration_arns = {"arn:aws:license-manager:x"};
       },
       std::string(kInvalidValue),
       pattern_message("distributions[0].licenseConfigurationArns[0]",
                       Pattern::kLicenseConfigurationArn)},
      {"51 license configuration ARNs",
       [](auto& in) {
         in.distributions[0].license_configuration_arns.assign(
             51,
             "arn:aws:license-manager:us-west-2:123456789012:license-configuration:lic-"
                 + std::string(32, 'a'));
       },
       std::string(kInvalidValue),
       max_length("distributions[0].licenseConfigurationArns", 50)},
  };
  return c;
}

TEST_CASE("CreateDistributionConfiguration: every validation with its exact error",
          "[imagebuilder]") {
  const std::vector<Case> table = cases();
  REQUIRE(table.size() >= 40);
  for (const Case& c : table) {
    INFO(c.label);
    Fixture f;
    ib::CreateDistributionConfigurationInput in = seed_configuration();
    c.mutate(in);
    auto out = f.model.create_distribution_configuration(f.caller, in);
    if (c.code.empty()) {
      CHECK(out.ok());
      if (!out.ok()) {
        FAIL_CHECK(out.error().code + ": " + out.error().message);
      }
      continue;
    }
    REQUIRE_FALSE(out.ok());
    CHECK(out.error().code == c.code);
    CHECK(out.error().message == c.message);
    CHECK(out.error().http_status == c.status);
  }
}

TEST_CASE("CreateDistributionConfiguration: the ARN carries the lower-cased name",
          "[imagebuilder]") {
  Fixture f;
  auto out = f.model.create_distribution_configuration(f.caller, seed_configuration("My Dist_1"));
  REQUIRE(out.ok());
  CHECK(out->distribution_configuration_arn
        == "arn:aws:imagebuilder:us-west-2:111122223333:distribution-configuration/my-dist_1");
  CHECK(out->client_token == "token-dc");
  CHECK(out->request_id == "req-1");
  ib::CreateDistributionConfigurationInput clash = seed_configuration("my-dist_1");
  clash.client_token = "another";
  auto again = f.model.create_distribution_configuration(f.caller, clash);
  REQUIRE_FALSE(again.ok());
  CHECK(again.error().code == "ResourceAlreadyExistsException");
  CHECK(again.error().message
        == "The resource '" + out->distribution_configuration_arn + "' already exists.");
}

TEST_CASE("GetDistributionConfiguration: stored fields with dates and the default timeout",
          "[imagebuilder]") {
  Fixture f;
  ib::CreateDistributionConfigurationInput in = seed_configuration();
  in.description = "Cross account distribution";
  in.tags = {{"team", "platform"}};
  auto created = f.model.create_distribution_configuration(f.caller, in);
  REQUIRE(created.ok());
  auto got = f.model.get_distribution_configuration(
      f.caller, {.distribution_configuration_arn = created->distribution_configuration_arn});
  REQUIRE(got.ok());
  const ib::DistributionConfiguration& c = got->distribution_configuration;
  CHECK(c.arn == created->distribution_configuration_arn);
  CHECK(c.name == "cross-account");
  CHECK(c.description == "Cross account distribution");
  CHECK(c.timeout_minutes == 720);
  CHECK(c.date_created == "2026-01-01T00:00:00.000Z");
  CHECK_FALSE(c.date_updated.has_value());
  CHECK(c.tags.at("team") == "platform");
  REQUIRE(c.distributions.size() == 1);
  CHECK(c.distributions[0] == seed_distribution());

  auto missing = f.model.get_distribution_configuration(
      f.caller,
      {.distribution_configuration_arn =
           "arn:aws:imagebuilder:us-west-2:111122223333:distribution-configuration/nope"});
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().code == "ResourceNotFoundException");
  CHECK(missing.error().http_status == 404);
  auto other_region = f.model.get_distribution_configuration(
      call(kOwner, "us-east-1"),
      {.distribution_configuration_arn = created->distribution_configuration_arn});
  REQUIRE_FALSE(other_region.ok());
  CHECK(other_region.error().code == "ResourceNotFoundException");
  auto malformed =
      f.model.get_distribution_configuration(f.caller, {.distribution_configuration_arn = "x"});
  REQUIRE_FALSE(malformed.ok());
  CHECK(malformed.error().code == "InvalidParameterValueException");
}

TEST_CASE("CreateDistributionConfiguration: the same client token and input replay the answer",
          "[imagebuilder]") {
  Fixture f;
  auto first = f.model.create_distribution_configuration(f.caller, seed_configuration());
  REQUIRE(first.ok());
  const uint64_t events = f.ctx.trace().event_count();
  api::CallContext retry = f.caller;
  retry.request_id = "req-2";
  auto second = f.model.create_distribution_configuration(retry, seed_configuration());
  REQUIRE(second.ok());
  CHECK(second->distribution_configuration_arn == first->distribution_configuration_arn);
  CHECK(second->request_id == first->request_id);
  CHECK(f.ctx.trace().event_count() == events);  // No work repeated.

  ib::CreateDistributionConfigurationInput changed = seed_configuration();
  changed.description = "different";
  auto mismatch = f.model.create_distribution_configuration(f.caller, changed);
  REQUIRE_FALSE(mismatch.ok());
  CHECK(mismatch.error().code == "IdempotentParameterMismatchException");
  CHECK(mismatch.error().message ==
        "You have specified a client token for an operation using parameter values that differ "
        "from a previous request that used the same client token.");

  // Past the idempotency window the token is forgotten: the name now clashes instead.
  f.ctx.scheduler().run_for(sim::Duration::hours(9));
  auto late = f.model.create_distribution_configuration(f.caller, seed_configuration());
  REQUIRE_FALSE(late.ok());
  CHECK(late.error().code == "ResourceAlreadyExistsException");
}

TEST_CASE("ListDistributionConfigurations: name filter and deterministic pagination",
          "[imagebuilder]") {
  Fixture f;
  for (int i = 0; i < 30; ++i) {
    ib::CreateDistributionConfigurationInput in =
        seed_configuration(testing::numbered("config-", 100 + i));
    in.client_token = testing::numbered("t", i);
    REQUIRE(f.model.create_distribution_configuration(f.caller, in).ok());
  }
  auto page1 = f.model.list_distribution_configurations(f.caller, {});
  REQUIRE(page1.ok());
  CHECK(page1->distribution_configuration_summary_list.size() == 25);
  REQUIRE(page1->next_token.has_value());
  CHECK(page1->distribution_configuration_summary_list[0].name == "config-100");
  CHECK(page1->distribution_configuration_summary_list[0].regions
        == std::vector<std::string>{"us-west-2"});
  auto again = f.model.list_distribution_configurations(f.caller, {});
  REQUIRE(again.ok());
  CHECK(again->next_token == page1->next_token);
  auto page2 =
      f.model.list_distribution_configurations(f.caller, {.next_token = page1->next_token});
  REQUIRE(page2.ok());
  CHECK(page2->distribution_configuration_summary_list.size() == 5);
  CHECK(page2->distribution_configuration_summary_list[0].name == "config-125");
  CHECK_FALSE(page2->next_token.has_value());

  auto small = f.model.list_distribution_configurations(f.caller, {.max_results = 7});
  REQUIRE(small.ok());
  CHECK(small->distribution_configuration_summary_list.size() == 7);

  auto filtered = f.model.list_distribution_configurations(
      f.caller, {.filters = {{.name = "name", .values = {"config-103", "config-129"}}}});
  REQUIRE(filtered.ok());
  REQUIRE(filtered->distribution_configuration_summary_list.size() == 2);
  CHECK(filtered->distribution_configuration_summary_list[1].name == "config-129");

  auto bad_token = f.model.list_distribution_configurations(f.caller, {.next_token = "nope"});
  REQUIRE_FALSE(bad_token.ok());
  CHECK(bad_token.error().code == "InvalidPaginationTokenException");
  auto other_list_token = f.model.list_image_recipes(f.caller, {.next_token = page1->next_token});
  REQUIRE_FALSE(other_list_token.ok());
  CHECK(other_list_token.error().code == "InvalidPaginationTokenException");
  for (int32_t bad : {0, 26}) {
    auto r = f.model.list_distribution_configurations(f.caller, {.max_results = bad});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == "InvalidParameterValueException");
  }
  auto bad_filter = f.model.list_distribution_configurations(
      f.caller, {.filters = {{.name = "region", .values = {"us-west-2"}}}});
  REQUIRE_FALSE(bad_filter.ok());
  CHECK(bad_filter.error().message
        == kPrefix + "'filters[0].name' is not valid. 'filters[0].name' must be one of [name]");
}

TEST_CASE("UpdateDistributionConfiguration: replaces the distributions and keeps the name",
          "[imagebuilder]") {
  Fixture f;
  auto created = f.model.create_distribution_configuration(f.caller, seed_configuration());
  REQUIRE(created.ok());
  const std::string arn = created->distribution_configuration_arn;
  f.ctx.scheduler().run_for(sim::Duration::seconds(90));
  ib::UpdateDistributionConfigurationInput up{
      .distribution_configuration_arn = arn,
      .distributions = {seed_distribution(), seed_distribution("eu-central-1")},
      .client_token = "token-up",
      .description = "now two regions"};
  auto updated = f.model.update_distribution_configuration(f.caller, up);
  REQUIRE(updated.ok());
  CHECK(updated->distribution_configuration_arn == arn);
  auto got =
      f.model.get_distribution_configuration(f.caller, {.distribution_configuration_arn = arn});
  REQUIRE(got.ok());
  CHECK(got->distribution_configuration.name == "cross-account");
  CHECK(got->distribution_configuration.distributions.size() == 2);
  CHECK(got->distribution_configuration.description == "now two regions");
  CHECK(got->distribution_configuration.date_updated == "2026-01-01T00:01:30.000Z");

  ib::UpdateDistributionConfigurationInput bad = up;
  bad.client_token = "token-bad";
  bad.distributions = {ib::Distribution{.region = "us-west-2"}};
  auto rejected = f.model.update_distribution_configuration(f.caller, bad);
  REQUIRE_FALSE(rejected.ok());
  CHECK(rejected.error().message == kNoOutput);

  ib::UpdateDistributionConfigurationInput mismatch = up;
  mismatch.description = "other";
  auto m = f.model.update_distribution_configuration(f.caller, mismatch);
  REQUIRE_FALSE(m.ok());
  CHECK(m.error().code == "IdempotentParameterMismatchException");

  ib::UpdateDistributionConfigurationInput missing = up;
  missing.client_token = "token-missing";
  missing.distribution_configuration_arn =
      "arn:aws:imagebuilder:us-west-2:111122223333:distribution-configuration/none";
  auto nf = f.model.update_distribution_configuration(f.caller, missing);
  REQUIRE_FALSE(nf.ok());
  CHECK(nf.error().code == "ResourceNotFoundException");
}

TEST_CASE("DeleteDistributionConfiguration: refused while a pipeline uses it", "[imagebuilder]") {
  Fixture f;
  f.create_set();
  auto pipeline =
      f.model.create_image_pipeline(f.caller,
                                    {.name = "nightly",
                                     .infrastructure_configuration_arn = f.infra_arn,
                                     .client_token = "token-p",
                                     .image_recipe_arn = f.recipe_arn,
                                     .distribution_configuration_arn = f.distribution_arn});
  REQUIRE(pipeline.ok());
  auto refused = f.model.delete_distribution_configuration(
      f.caller, {.distribution_configuration_arn = f.distribution_arn});
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.error().code == "ResourceDependencyException");
  CHECK(refused.error().http_status == 400);
  REQUIRE(
      f.model.delete_image_pipeline(f.caller, {.image_pipeline_arn = pipeline->image_pipeline_arn})
          .ok());
  auto deleted = f.model.delete_distribution_configuration(
      f.caller, {.distribution_configuration_arn = f.distribution_arn});
  REQUIRE(deleted.ok());
  CHECK(deleted->distribution_configuration_arn == f.distribution_arn);
  auto gone = f.model.get_distribution_configuration(
      f.caller, {.distribution_configuration_arn = f.distribution_arn});
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.error().code == "ResourceNotFoundException");
}

TEST_CASE("CreateDistributionConfiguration: the quota answers 402", "[imagebuilder]") {
  ImageBuilderModel::Options options;
  options.distribution_configurations_max = 2;
  Fixture f(options);
  for (int i = 0; i < 2; ++i) {
    ib::CreateDistributionConfigurationInput in =
        seed_configuration(testing::numbered("c", i) + "x");
    in.client_token = testing::numbered("t", i);
    REQUIRE(f.model.create_distribution_configuration(f.caller, in).ok());
  }
  ib::CreateDistributionConfigurationInput third = seed_configuration("third");
  third.client_token = "t3";
  auto out = f.model.create_distribution_configuration(f.caller, third);
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().code == "ServiceQuotaExceededException");
  CHECK(out.error().http_status == 402);
  // Another region has its own quota.
  third.distributions = {seed_distribution("eu-west-1")};
  CHECK(f.model.create_distribution_configuration(call(kOwner, "eu-west-1"), third).ok());
}

TEST_CASE("CreateDistributionConfiguration: authorized on the configuration ARN with tag keys",
          "[imagebuilder]") {
  Fixture f;
  f.authz.denied.insert("imagebuilder:CreateDistributionConfiguration");
  ib::CreateDistributionConfigurationInput in = seed_configuration();
  in.tags = {{"team", "platform"}};
  auto out = f.model.create_distribution_configuration(f.caller, in);
  REQUIRE_FALSE(out.ok());
  CHECK(out.error().code == "AccessDeniedException");
  CHECK(out.error().http_status == 403);
  CHECK(out.error().message.find("is not authorized to perform: "
                                 "imagebuilder:CreateDistributionConfiguration on resource: "
                                 "arn:aws:imagebuilder:us-west-2:111122223333:distribution-"
                                 "configuration/cross-account")
        != std::string::npos);
  CHECK_FALSE(out.error().explanation.empty());
  REQUIRE_FALSE(f.authz.calls.empty());
  CHECK(f.authz.calls.back().first == "imagebuilder:CreateDistributionConfiguration");
}

}  // namespace
}  // namespace ibsim::mock_aws::imagebuilder
