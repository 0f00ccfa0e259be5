#pragma once
// Typed inputs and outputs of the EC2 Image Builder operations ibsim models (API 2019-12-02):
// recipes, components, infrastructure and distribution configurations, images, pipelines,
// DistributeImage and RetryImage. Every struct mirrors a botocore shape and every member a botocore
// member in snake_case (`targetAccountIds` -> `target_account_ids`), so the REST-JSON codec maps
// one to one. Optional scalars are std::optional; lists and maps are empty when absent (the wire's
// min-length-1 rule is the codec's business); DateTime members are ISO-8601 strings with
// milliseconds as AWS returns them. Inputs carry operator== so the model can compare a retried
// request with the one first sent under the same clientToken. The Workflow structs in
// imagebuilder_workflow.h share this namespace.
//
//   api::imagebuilder::CreateDistributionConfigurationInput in{
//       .name = "cross-account", .distributions = {{.region = "us-west-2", ...}},
//       .client_token = "token-1"};

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ibsim::mock_aws::api::imagebuilder {

// botocore TagMap / ResourceTagMap: sorted by key, as JSON output is.
using TagMap = std::map<std::string, std::string>;

// Enum values in AWS's spelling (botocore imagebuilder 2019-12-02).
inline constexpr std::string_view kImageStatusPending = "PENDING";
inline constexpr std::string_view kImageStatusCreating = "CREATING";
inline constexpr std::string_view kImageStatusBuilding = "BUILDING";
inline constexpr std::string_view kImageStatusTesting = "TESTING";
inline constexpr std::string_view kImageStatusDistributing = "DISTRIBUTING";
inline constexpr std::string_view kImageStatusIntegrating = "INTEGRATING";
inline constexpr std::string_view kImageStatusAvailable = "AVAILABLE";
inline constexpr std::string_view kImageStatusCancelled = "CANCELLED";
inline constexpr std::string_view kImageStatusFailed = "FAILED";
inline constexpr std::string_view kImageStatusDeprecated = "DEPRECATED";
inline constexpr std::string_view kImageStatusDeleted = "DELETED";
inline constexpr std::string_view kImageStatusDisabled = "DISABLED";
inline constexpr std::string_view kImageTypeAmi = "AMI";
inline constexpr std::string_view kImageTypeDocker = "DOCKER";
inline constexpr std::string_view kPlatformLinux = "Linux";
inline constexpr std::string_view kPlatformWindows = "Windows";
inline constexpr std::string_view kPlatformMacOs = "macOS";
inline constexpr std::string_view kBuildTypeUserInitiated = "USER_INITIATED";
inline constexpr std::string_view kBuildTypeScheduled = "SCHEDULED";
inline constexpr std::string_view kImageSourceAmazonManaged = "AMAZON_MANAGED";
inline constexpr std::string_view kImageSourceCustom = "CUSTOM";
inline constexpr std::string_view kPipelineStatusEnabled = "ENABLED";
inline constexpr std::string_view kPipelineStatusDisabled = "DISABLED";
inline constexpr std::string_view kOwnershipSelf = "Self";
inline constexpr std::string_view kOwnershipShared = "Shared";
inline constexpr std::string_view kOwnershipAmazon = "Amazon";
inline constexpr std::string_view kOwnershipThirdParty = "ThirdParty";
inline constexpr std::string_view kOwnershipAwsMarketplace = "AWSMarketplace";
inline constexpr std::string_view kComponentTypeBuild = "BUILD";
inline constexpr std::string_view kComponentTypeTest = "TEST";
inline constexpr std::string_view kComponentStatusActive = "ACTIVE";
inline constexpr std::string_view kSsmDataTypeText = "text";
inline constexpr std::string_view kSsmDataTypeEc2Image = "aws:ec2:image";

// ---- Shared shapes --------------------------------------------------------------------------

// botocore Filter (List* operations).
struct Filter {
  std::optional<std::string> name;
  std::vector<std::string> values;

  friend bool operator==(const Filter&, const Filter&) = default;
};

struct LatestVersionReferences {
  std::optional<std::string> latest_version_arn;
  std::optional<std::string> latest_major_version_arn;
  std::optional<std::string> latest_minor_version_arn;
  std::optional<std::string> latest_patch_version_arn;

  friend bool operator==(const LatestVersionReferences&, const LatestVersionReferences&) = default;
};

struct ComponentParameter {
  std::string name;
  std::vector<std::string> value;

  friend bool operator==(const ComponentParameter&, const ComponentParameter&) = default;
};

struct ComponentConfiguration {
  std::string component_arn;
  std::vector<ComponentParameter> parameters;

  friend bool operator==(const ComponentConfiguration&, const ComponentConfiguration&) = default;
};

struct EbsInstanceBlockDeviceSpecification {
  std::optional<bool> encrypted;
  std::optional<bool> delete_on_termination;
  std::optional<int32_t> iops;
  std::optional<std::string> kms_key_id;
  std::optional<std::string> snapshot_id;
  std::optional<int32_t> volume_size;
  std::optional<std::string> volume_type;  // standard | io1 | io2 | gp2 | gp3 | sc1 | st1
  std::optional<int32_t> throughput;

  friend bool operator==(const EbsInstanceBlockDeviceSpecification&,
                         const EbsInstanceBlockDeviceSpecification&) = default;
};

struct InstanceBlockDeviceMapping {
  std::optional<std::string> device_name;
  std::optional<EbsInstanceBlockDeviceSpecification> ebs;
  std::optional<std::string> virtual_name;
  std::optional<std::string> no_device;  // The empty string when present.

  friend bool operator==(const InstanceBlockDeviceMapping&,
                         const InstanceBlockDeviceMapping&) = default;
};

struct SystemsManagerAgent {
  std::optional<bool> uninstall_after_build;

  friend bool operator==(const SystemsManagerAgent&, const SystemsManagerAgent&) = default;
};

struct AdditionalInstanceConfiguration {
  std::optional<SystemsManagerAgent> systems_manager_agent;
  std::optional<std::string> user_data_override;

  friend bool operator==(const AdditionalInstanceConfiguration&,
                         const AdditionalInstanceConfiguration&) = default;
};

struct ImageState {
  std::optional<std::string> status;  // kImageStatus*
  std::optional<std::string> reason;

  friend bool operator==(const ImageState&, const ImageState&) = default;
};

struct ImageTestsConfiguration {
  std::optional<bool> image_tests_enabled;
  std::optional<int32_t> timeout_minutes;  // 60..1440

  friend bool operator==(const ImageTestsConfiguration&, const ImageTestsConfiguration&) = default;
};

struct EcrConfiguration {
  std::optional<std::string> repository_name;
  std::vector<std::string> container_tags;

  friend bool operator==(const EcrConfiguration&, const EcrConfiguration&) = default;
};

struct ImageScanningConfiguration {
  std::optional<bool> image_scanning_enabled;
  std::optional<EcrConfiguration> ecr_configuration;

  friend bool operator==(const ImageScanningConfiguration&,
                         const ImageScanningConfiguration&) = default;
};

struct WorkflowParameter {
  std::string name;
  std::vector<std::string> value;

  friend bool operator==(const WorkflowParameter&, const WorkflowParameter&) = default;
};

struct WorkflowConfiguration {
  std::string workflow_arn;
  std::vector<WorkflowParameter> parameters;
  std::optional<std::string> parallel_group;
  std::optional<std::string> on_failure;  // CONTINUE | ABORT

  friend bool operator==(const WorkflowConfiguration&, const WorkflowConfiguration&) = default;
};

struct ImageLoggingConfiguration {
  std::optional<std::string> log_group_name;

  friend bool operator==(const ImageLoggingConfiguration&,
                         const ImageLoggingConfiguration&) = default;
};

struct PipelineLoggingConfiguration {
  std::optional<std::string> image_log_group_name;
  std::optional<std::string> pipeline_log_group_name;

  friend bool operator==(const PipelineLoggingConfiguration&,
                         const PipelineLoggingConfiguration&) = default;
};

// ---- Image recipes ----------------------------------------------------------------------------

struct ImageRecipe {
  std::optional<std::string> arn;
  std::optional<std::string> type;  // AMI
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> platform;
  std::optional<std::string> owner;
  std::optional<std::string> version;
  std::vector<ComponentConfiguration> components;
  std::optional<std::string> parent_image;
  std::vector<InstanceBlockDeviceMapping> block_device_mappings;
  std::optional<std::string> date_created;
  TagMap tags;
  std::optional<std::string> working_directory;
  std::optional<AdditionalInstanceConfiguration> additional_instance_configuration;
  TagMap ami_tags;

  friend bool operator==(const ImageRecipe&, const ImageRecipe&) = default;
};

struct ImageRecipeSummary {
  std::optional<std::string> arn;
  std::optional<std::string> name;
  std::optional<std::string> platform;
  std::optional<std::string> owner;
  std::optional<std::string> parent_image;
  std::optional<std::string> date_created;
  TagMap tags;
};

struct CreateImageRecipeInput {
  std::string name;
  std::string semantic_version;
  std::string parent_image;
  std::string client_token;
  std::optional<std::string> description;
  std::vector<ComponentConfiguration> components;
  std::vector<InstanceBlockDeviceMapping> block_device_mappings;
  TagMap tags;
  std::optional<std::string> working_directory;
  std::optional<AdditionalInstanceConfiguration> additional_instance_configuration;
  TagMap ami_tags;

  friend bool operator==(const CreateImageRecipeInput&, const CreateImageRecipeInput&) = default;
};

struct CreateImageRecipeOutput {
  std::string request_id;
  std::string client_token;
  std::string image_recipe_arn;
  std::optional<LatestVersionReferences> latest_version_references;
};

struct GetImageRecipeInput {
  std::string image_recipe_arn;
};

struct GetImageRecipeOutput {
  std::string request_id;
  ImageRecipe image_recipe;
  std::optional<LatestVersionReferences> latest_version_references;
};

struct ListImageRecipesInput {
  std::optional<std::string> owner;  // kOwnership*; default Self.
  std::vector<Filter> filters;
  std::optional<int32_t> max_results;  // 1..25
  std::optional<std::string> next_token;
};

struct ListImageRecipesOutput {
  std::string request_id;
  std::vector<ImageRecipeSummary> image_recipe_summary_list;
  std::optional<std::string> next_token;
};

struct DeleteImageRecipeInput {
  std::string image_recipe_arn;
};

struct DeleteImageRecipeOutput {
  std::string request_id;
  std::string image_recipe_arn;
};

// ---- Components -----------------------------------------------------------------------------

struct ComponentState {
  std::optional<std::string> status;  // ACTIVE | DEPRECATED | DISABLED
  std::optional<std::string> reason;

  friend bool operator==(const ComponentState&, const ComponentState&) = default;
};

struct ComponentParameterDetail {
  std::string name;
  std::string type;
  std::vector<std::string> default_value;
  std::optional<std::string> description;

  friend bool operator==(const ComponentParameterDetail&,
                         const ComponentParameterDetail&) = default;
};

struct Component {
  std::optional<std::string> arn;
  std::optional<std::string> name;
  std::optional<std::string> version;
  std::optional<std::string> description;
  std::optional<std::string> change_description;
  std::optional<std::string> type;  // BUILD | TEST
  std::optional<std::string> platform;
  std::vector<std::string> supported_os_versions;
  std::optional<ComponentState> state;
  std::vector<ComponentParameterDetail> parameters;
  std::optional<std::string> owner;
  std::optional<std::string> data;
  std::optional<std::string> kms_key_id;
  std::optional<bool> encrypted;
  std::optional<std::string> date_created;
  TagMap tags;
  std::optional<std::string> publisher;
  std::optional<bool> obfuscate;

  friend bool operator==(const Component&, const Component&) = default;
};

struct ComponentVersion {
  std::optional<std::string> arn;
  std::optional<std::string> name;
  std::optional<std::string> version;
  std::optional<std::string> description;
  std::optional<std::string> platform;
  std::vector<std::string> supported_os_versions;
  std::optional<std::string> type;
  std::optional<std::string> owner;
  std::optional<std::string> date_created;
  std::optional<std::string> status;
};

struct CreateComponentInput {
  std::string name;
  std::string semantic_version;
  std::string platform;
  std::string client_token;
  std::optional<std::string> description;
  std::optional<std::string> change_description;
  std::vector<std::string> supported_os_versions;
  std::optional<std::string> data;  // Exactly one of data and uri.
  std::optional<std::string> uri;
  std::optional<std::string> kms_key_id;
  TagMap tags;
  std::optional<bool> dry_run;

  friend bool operator==(const CreateComponentInput&, const CreateComponentInput&) = default;
};

struct CreateComponentOutput {
  std::string request_id;
  std::string client_token;
  std::string component_build_version_arn;
  std::optional<LatestVersionReferences> latest_version_references;
};

struct GetComponentInput {
  std::string component_build_version_arn;  // A version (x wildcards allowed) or build version.
};

struct GetComponentOutput {
  std::string request_id;
  Component component;
  std::optional<LatestVersionReferences> latest_version_references;
};

struct ListComponentsInput {
  std::optional<std::string> owner;  // Default Self.
  std::vector<Filter> filters;
  std::optional<bool> by_name;
  std::optional<int32_t> max_results;
  std::optional<std::string> next_token;
};

struct ListComponentsOutput {
  std::string request_id;
  std::vector<ComponentVersion> component_version_list;
  std::optional<std::string> next_token;
};

// ---- Infrastructure configurations ----------------------------------------------------------

struct S3Logs {
  std::optional<std::string> s3_bucket_name;
  std::optional<std::string> s3_key_prefix;

  friend bool operator==(const S3Logs&, const S3Logs&) = default;
};

struct Logging {
  std::optional<S3Logs> s3_logs;

  friend bool operator==(const Logging&, const Logging&) = default;
};

struct InstanceMetadataOptions {
  std::optional<std::string> http_tokens;  // optional | required
  std::optional<int32_t> http_put_response_hop_limit;

  friend bool operator==(const InstanceMetadataOptions&, const InstanceMetadataOptions&) = default;
};

struct Placement {
  std::optional<std::string> availability_zone;
  std::optional<std::string> tenancy;  // default | dedicated | host
  std::optional<std::string> host_id;
  std::optional<std::string> host_resource_group_arn;

  friend bool operator==(const Placement&, const Placement&) = default;
};

struct InfrastructureConfiguration {
  std::optional<std::string> arn;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::vector<std::string> instance_types;
  std::optional<std::string> instance_profile_name;
  std::vector<std::string> security_group_ids;
  std::optional<std::string> subnet_id;
  std::optional<Logging> logging;
  std::optional<std::string> key_pair;
  std::optional<bool> terminate_instance_on_failure;
  std::optional<std::string> sns_topic_arn;
  std::optional<std::string> date_created;
  std::optional<std::string> date_updated;
  TagMap resource_tags;
  std::optional<InstanceMetadataOptions> instance_metadata_options;
  TagMap tags;
  std::optional<Placement> placement;

  friend bool operator==(const InfrastructureConfiguration&,
                         const InfrastructureConfiguration&) = default;
};

struct InfrastructureConfigurationSummary {
  std::optional<std::string> arn;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> date_created;
  std::optional<std::string> date_updated;
  TagMap resource_tags;
  TagMap tags;
  std::vector<std::string> instance_types;
  std::optional<std::string> instance_profile_name;
  std::optional<Placement> placement;
};

struct CreateInfrastructureConfigurationInput {
  std::string name;
  std::string instance_profile_name;
  std::string client_token;
  std::optional<std::string> description;
  std::vector<std::string> instance_types;
  std::vector<std::string> security_group_ids;
  std::optional<std::string> subnet_id;
  std::optional<Logging> logging;
  std::optional<std::string> key_pair;
  std::optional<bool> terminate_instance_on_failure;
  std::optional<std::string> sns_topic_arn;
  TagMap resource_tags;
  std::optional<InstanceMetadataOptions> instance_metadata_options;
  TagMap tags;
  std::optional<Placement> placement;

  friend bool operator==(const CreateInfrastructureConfigurationInput&,
                         const CreateInfrastructureConfigurationInput&) = default;
};

struct CreateInfrastructureConfigurationOutput {
  std::string request_id;
  std::string client_token;
  std::string infrastructure_configuration_arn;
};

struct GetInfrastructureConfigurationInput {
  std::string infrastructure_configuration_arn;
};

struct GetInfrastructureConfigurationOutput {
  std::string request_id;
  InfrastructureConfiguration infrastructure_configuration;
};

struct ListInfrastructureConfigurationsInput {
  std::vector<Filter> filters;
  std::optional<int32_t> max_results;
  std::optional<std::string> next_token;
};

struct ListInfrastructureConfigurationsOutput {
  std::string request_id;
  std::vector<InfrastructureConfigurationSummary> infrastructure_configuration_summary_list;
  std::optional<std::string> next_token;
};

struct DeleteInfrastructureConfigurationInput {
  std::string infrastructure_configuration_arn;
};

struct DeleteInfrastructureConfigurationOutput {
  std::string request_id;
  std::string infrastructure_configuration_arn;
};

// ---- Distribution configurations ------------------------------------------------------------

struct LaunchPermissionConfiguration {
  std::vector<std::string> user_ids;
  std::vector<std::string> user_groups;
  std::vector<std::string> organization_arns;
  std::vector<std::string> organizational_unit_arns;

  friend bool operator==(const LaunchPermissionConfiguration&,
                         const LaunchPermissionConfiguration&) = default;
};

struct AmiDistributionConfiguration {
  std::optional<std::string> name;  // Must contain {{ imagebuilder:buildDate }}.
  std::optional<std::string> description;
  std::vector<std::string> target_account_ids;
  TagMap ami_tags;
  std::optional<std::string> kms_key_id;
  std::optional<LaunchPermissionConfiguration> launch_permission;

  friend bool operator==(const AmiDistributionConfiguration&,
                         const AmiDistributionConfiguration&) = default;
};

struct TargetContainerRepository {
  std::string service;  // ECR
  std::string repository_name;

  friend bool operator==(const TargetContainerRepository&,
                         const TargetContainerRepository&) = default;
};

struct ContainerDistributionConfiguration {
  std::optional<std::string> description;
  std::vector<std::string> container_tags;
  TargetContainerRepository target_repository;

  friend bool operator==(const ContainerDistributionConfiguration&,
                         const ContainerDistributionConfiguration&) = default;
};

struct LaunchTemplateConfiguration {
  std::string launch_template_id;  // ^lt-[a-z0-9-_]{17}$
  std::optional<std::string> account_id;
  std::optional<bool> set_default_version;

  friend bool operator==(const LaunchTemplateConfiguration&,
                         const LaunchTemplateConfiguration&) = default;
};

struct S3ExportConfiguration {
  std::string role_name;
  std::string disk_image_format;  // VMDK | RAW | VHD
  std::string s3_bucket;
  std::optional<std::string> s3_prefix;

  friend bool operator==(const S3ExportConfiguration&, const S3ExportConfiguration&) = default;
};

struct FastLaunchSnapshotConfiguration {
  std::optional<int32_t> target_resource_count;

  friend bool operator==(const FastLaunchSnapshotConfiguration&,
                         const FastLaunchSnapshotConfiguration&) = default;
};

struct FastLaunchLaunchTemplateSpecification {
  std::optional<std::string> launch_template_id;
  std::optional<std::string> launch_template_name;
  std::optional<std::string> launch_template_version;

  friend bool operator==(const FastLaunchLaunchTemplateSpecification&,
                         const FastLaunchLaunchTemplateSpecification&) = default;
};

struct FastLaunchConfiguration {
  bool enabled = false;
  std::optional<FastLaunchSnapshotConfiguration> snapshot_configuration;
  std::optional<int32_t> max_parallel_launches;
  std::optional<FastLaunchLaunchTemplateSpecification> launch_template;
  std::optional<std::string> account_id;

  friend bool operator==(const FastLaunchConfiguration&, const FastLaunchConfiguration&) = default;
};

struct SsmParameterConfiguration {
  std::string parameter_name;
  std::optional<std::string> ami_account_id;
  std::optional<std::string> data_type;  // text | aws:ec2:image

  friend bool operator==(const SsmParameterConfiguration&,
                         const SsmParameterConfiguration&) = default;
};

struct Distribution {
  std::string region;
  std::optional<AmiDistributionConfiguration> ami_distribution_configuration;
  std::optional<ContainerDistributionConfiguration> container_distribution_configuration;
  std::vector<std::string> license_configuration_arns;
  std::vector<LaunchTemplateConfiguration> launch_template_configurations;
  std::optional<S3ExportConfiguration> s3_export_configuration;
  std::vector<FastLaunchConfiguration> fast_launch_configurations;
  std::vector<SsmParameterConfiguration> ssm_parameter_configurations;

  friend bool operator==(const Distribution&, const Distribution&) = default;
};

struct DistributionConfiguration {
  std::optional<std::string> arn;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::vector<Distribution> distributions;
  int32_t timeout_minutes = 0;  // Required in the shape; 30..720.
  std::optional<std::string> date_created;
  std::optional<std::string> date_updated;
  TagMap tags;

  friend bool operator==(const DistributionConfiguration&,
                         const DistributionConfiguration&) = default;
};

struct DistributionConfigurationSummary {
  std::optional<std::string> arn;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> date_created;
  std::optional<std::string> date_updated;
  TagMap tags;
  std::vector<std::string> regions;
};

struct CreateDistributionConfigurationInput {
  std::string name;
  std::vector<Distribution> distributions;
  std::string client_token;
  std::optional<std::string> description;
  TagMap tags;

  friend bool operator==(const CreateDistributionConfigurationInput&,
                         const CreateDistributionConfigurationInput&) = default;
};

struct CreateDistributionConfigurationOutput {
  std::string request_id;
  std::string client_token;
  std::string distribution_configuration_arn;
};

struct GetDistributionConfigurationInput {
  std::string distribution_configuration_arn;
};

struct GetDistributionConfigurationOutput {
  std::string request_id;
  DistributionConfiguration distribution_configuration;
};

struct ListDistributionConfigurationsInput {
  std::vector<Filter> filters;
  std::optional<int32_t> max_results;
  std::optional<std::string> next_token;
};

struct ListDistributionConfigurationsOutput {
  std::string request_id;
  std::vector<DistributionConfigurationSummary> distribution_configuration_summary_list;
  std::optional<std::string> next_token;
};

struct UpdateDistributionConfigurationInput {
  std::string distribution_configuration_arn;
  std::vector<Distribution> distributions;
  std::string client_token;
  std::optional<std::string> description;

  friend bool operator==(const UpdateDistributionConfigurationInput&,
                         const UpdateDistributionConfigurationInput&) = default;
};

struct UpdateDistributionConfigurationOutput {
  std::string request_id;
  std::string client_token;
  std::string distribution_configuration_arn;
};

struct DeleteDistributionConfigurationInput {
  std::string distribution_configuration_arn;
};

struct DeleteDistributionConfigurationOutput {
  std::string request_id;
  std::string distribution_configuration_arn;
};

// ---- Images ---------------------------------------------------------------------------------

// One entry of outputResources.amis.
struct Ami {
  std::optional<std::string> region;
  std::optional<std::string> image;  // AMI id.
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<ImageState> state;
  std::optional<std::string> account_id;

  friend bool operator==(const Ami&, const Ami&) = default;
};

struct Container {
  std::optional<std::string> region;
  std::vector<std::string> image_uris;

  friend bool operator==(const Container&, const Container&) = default;
};

struct OutputResources {
  std::vector<Ami> amis;
  std::vector<Container> containers;

  friend bool operator==(const OutputResources&, const OutputResources&) = default;
};

struct ImageScanState {
  std::optional<std::string> status;
  std::optional<std::string> reason;

  friend bool operator==(const ImageScanState&, const ImageScanState&) = default;
};

struct Image {
  std::optional<std::string> arn;
  std::optional<std::string> type;
  std::optional<std::string> name;
  std::optional<std::string> version;
  std::optional<std::string> platform;
  std::optional<bool> enhanced_image_metadata_enabled;
  std::optional<std::string> os_version;
  std::optional<ImageState> state;
  std::optional<ImageRecipe> image_recipe;
  std::optional<std::string> source_pipeline_name;
  std::optional<std::string> source_pipeline_arn;
  std::optional<InfrastructureConfiguration> infrastructure_configuration;
  std::optional<DistributionConfiguration> distribution_configuration;
  std::optional<ImageTestsConfiguration> image_tests_configuration;
  std::optional<std::string> date_created;
  std::optional<OutputResources> output_resources;
  TagMap tags;
  std::optional<std::string> build_type;
  std::optional<std::string> image_source;
  std::optional<ImageScanState> scan_state;
  std::optional<ImageScanningConfiguration> image_scanning_configuration;
  std::optional<int64_t> deprecation_time;  // botocore timestamp: Unix milliseconds.
  std::optional<std::string> execution_role;
  std::vector<WorkflowConfiguration> workflows;
  std::optional<ImageLoggingConfiguration> logging_configuration;
};

// ListImages: one entry per image version (name + x.y.z).
struct ImageVersion {
  std::optional<std::string> arn;
  std::optional<std::string> name;
  std::optional<std::string> type;
  std::optional<std::string> version;
  std::optional<std::string> platform;
  std::optional<std::string> os_version;
  std::optional<std::string> owner;
  std::optional<std::string> date_created;
  std::optional<std::string> build_type;
  std::optional<std::string> image_source;
};

// ListImageBuildVersions: one entry per build.
struct ImageSummary {
  std::optional<std::string> arn;
  std::optional<std::string> name;
  std::optional<std::string> type;
  std::optional<std::string> version;
  std::optional<std::string> platform;
  std::optional<std::string> os_version;
  std::optional<ImageState> state;
  std::optional<std::string> owner;
  std::optional<std::string> date_created;
  std::optional<OutputResources> output_resources;
  TagMap tags;
  std::optional<std::string> build_type;
  std::optional<std::string> image_source;
  std::optional<int64_t> deprecation_time;
  std::optional<ImageLoggingConfiguration> logging_configuration;
};

struct CreateImageInput {
  std::string infrastructure_configuration_arn;
  std::string client_token;
  std::optional<std::string> image_recipe_arn;  // Exactly one of the two recipes.
  std::optional<std::string> container_recipe_arn;
  std::optional<std::string> distribution_configuration_arn;
  std::optional<ImageTestsConfiguration> image_tests_configuration;
  std::optional<bool> enhanced_image_metadata_enabled;
  TagMap tags;
  std::optional<ImageScanningConfiguration> image_scanning_configuration;
  std::vector<WorkflowConfiguration> workflows;
  std::optional<std::string> execution_role;
  std::optional<ImageLoggingConfiguration> logging_configuration;

  friend bool operator==(const CreateImageInput&, const CreateImageInput&) = default;
};

struct CreateImageOutput {
  std::string request_id;
  std::string client_token;
  std::string image_build_version_arn;
  std::optional<LatestVersionReferences> latest_version_references;
};

struct GetImageInput {
  std::string image_build_version_arn;  // Build version, or version with x wildcards.
};

struct GetImageOutput {
  std::string request_id;
  Image image;
  std::optional<LatestVersionReferences> latest_version_references;
};

struct ListImagesInput {
  std::optional<std::string> owner;  // Default Self.
  std::vector<Filter> filters;
  std::optional<bool> by_name;
  std::optional<int32_t> max_results;
  std::optional<std::string> next_token;
  std::optional<bool> include_deprecated;
};

struct ListImagesOutput {
  std::string request_id;
  std::vector<ImageVersion> image_version_list;
  std::optional<std::string> next_token;
};

struct ListImageBuildVersionsInput {
  std::optional<std::string> image_version_arn;
  std::vector<Filter> filters;
  std::optional<int32_t> max_results;
  std::optional<std::string> next_token;
};

struct ListImageBuildVersionsOutput {
  std::string request_id;
  std::vector<ImageSummary> image_summary_list;
  std::optional<std::string> next_token;
};

struct CancelImageCreationInput {
  std::string image_build_version_arn;
  std::string client_token;

  friend bool operator==(const CancelImageCreationInput&,
                         const CancelImageCreationInput&) = default;
};

struct CancelImageCreationOutput {
  std::string request_id;
  std::string client_token;
  std::string image_build_version_arn;
};

struct DeleteImageInput {
  std::string image_build_version_arn;
};

struct DeleteImageOutput {
  std::string request_id;
  std::string image_build_version_arn;
};

struct DistributeImageInput {
  std::string source_image;  // AMI id, "ssm:" parameter, or an AVAILABLE Image Builder image ARN.
  std::string distribution_configuration_arn;
  std::string execution_role;
  std::string client_token;
  TagMap tags;
  std::optional<ImageLoggingConfiguration> logging_configuration;

  friend bool operator==(const DistributeImageInput&, const DistributeImageInput&) = default;
};

struct DistributeImageOutput {
  std::string client_token;
  std::string image_build_version_arn;
};

struct RetryImageInput {
  std::string image_build_version_arn;
  std::string client_token;

  friend bool operator==(const RetryImageInput&, const RetryImageInput&) = default;
};

struct RetryImageOutput {
  std::string client_token;
  std::string image_build_version_arn;
};

// ---- Image pipelines ------------------------------------------------------------------------

struct AutoDisablePolicy {
  int32_t failure_count = 0;  // 1..10

  friend bool operator==(const AutoDisablePolicy&, const AutoDisablePolicy&) = default;
};

struct Schedule {
  std::optional<std::string> schedule_expression;
  std::optional<std::string> timezone;
  std::optional<std::string> pipeline_execution_start_condition;
  std::optional<AutoDisablePolicy> auto_disable_policy;

  friend bool operator==(const Schedule&, const Schedule&) = default;
};

struct ImagePipeline {
  std::optional<std::string> arn;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::string> platform;
  std::optional<bool> enhanced_image_metadata_enabled;
  std::optional<std::string> image_recipe_arn;
  std::optional<std::string> container_recipe_arn;
  std::optional<std::string> infrastructure_configuration_arn;
  std::optional<std::string> distribution_configuration_arn;
  std::optional<ImageTestsConfiguration> image_tests_configuration;
  std::optional<Schedule> schedule;
  std::optional<std::string> status;
  std::optional<std::string> date_created;
  std::optional<std::string> date_updated;
  std::optional<std::string> date_last_run;
  std::optional<std::string> last_run_status;
  std::optional<std::string> date_next_run;
  TagMap tags;
  std::optional<ImageScanningConfiguration> image_scanning_configuration;
  TagMap image_tags;
  std::optional<std::string> execution_role;
  std::vector<WorkflowConfiguration> workflows;
  std::optional<PipelineLoggingConfiguration> logging_configuration;
  std::optional<int32_t> consecutive_failures;
};

struct CreateImagePipelineInput {
  std::string name;
  std::string infrastructure_configuration_arn;
  std::string client_token;
  std::optional<std::string> description;
  std::optional<std::string> image_recipe_arn;
  std::optional<std::string> container_recipe_arn;
  std::optional<std::string> distribution_configuration_arn;
  std::optional<ImageTestsConfiguration> image_tests_configuration;
  std::optional<bool> enhanced_image_metadata_enabled;
  std::optional<Schedule> schedule;
  std::optional<std::string> status;  // ENABLED (default) | DISABLED
  TagMap tags;
  TagMap image_tags;
  std::optional<ImageScanningConfiguration> image_scanning_configuration;
  std::vector<WorkflowConfiguration> workflows;
  std::optional<std::string> execution_role;
  std::optional<PipelineLoggingConfiguration> logging_configuration;

  friend bool operator==(const CreateImagePipelineInput&,
                         const CreateImagePipelineInput&) = default;
};

struct CreateImagePipelineOutput {
  std::string request_id;
  std::string client_token;
  std::string image_pipeline_arn;
};

struct GetImagePipelineInput {
  std::string image_pipeline_arn;
};

struct GetImagePipelineOutput {
  std::string request_id;
  ImagePipeline image_pipeline;
};

struct ListImagePipelinesInput {
  std::vector<Filter> filters;
  std::optional<int32_t> max_results;
  std::optional<std::string> next_token;
};

struct ListImagePipelinesOutput {
  std::string request_id;
  std::vector<ImagePipeline> image_pipeline_list;
  std::optional<std::string> next_token;
};

struct DeleteImagePipelineInput {
  std::string image_pipeline_arn;
};

struct DeleteImagePipelineOutput {
  std::string request_id;
  std::string image_pipeline_arn;
};

struct StartImagePipelineExecutionInput {
  std::string image_pipeline_arn;
  std::string client_token;
  TagMap tags;

  friend bool operator==(const StartImagePipelineExecutionInput&,
                         const StartImagePipelineExecutionInput&) = default;
};

struct StartImagePipelineExecutionOutput {
  std::string request_id;
  std::string client_token;
  std::string image_build_version_arn;
};

}  // namespace ibsim::mock_aws::api::imagebuilder
