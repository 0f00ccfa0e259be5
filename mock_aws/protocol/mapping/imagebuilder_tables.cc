// The Image Builder field tables: every api::imagebuilder struct an operation reaches, each C++
// member with its botocore member name; and the Image Builder operations mapped (Operation<In,
// Out>).

#include "mock_aws/api/imagebuilder_types.h"
#include "mock_aws/protocol/mapping/shape_table.h"

namespace ibsim::mock_aws::protocol::mapping {
namespace {

constexpr ServiceId kTableService = ServiceId::kImageBuilder;

}  // namespace

IBSIM_SHAPE(api::imagebuilder::Filter, (name, "name"), (values, "values"));

IBSIM_SHAPE(api::imagebuilder::LatestVersionReferences,
            (latest_version_arn, "latestVersionArn"),
            (latest_major_version_arn, "latestMajorVersionArn"),
            (latest_minor_version_arn, "latestMinorVersionArn"),
            (latest_patch_version_arn, "latestPatchVersionArn"));

IBSIM_SHAPE(api::imagebuilder::ComponentParameter, (name, "name"), (value, "value"));

IBSIM_SHAPE(api::imagebuilder::ComponentConfiguration,
            (component_arn, "componentArn"),
            (parameters, "parameters"));

IBSIM_SHAPE(api::imagebuilder::EbsInstanceBlockDeviceSpecification,
            (encrypted, "encrypted"),
            (delete_on_termination, "deleteOnTermination"),
            (iops, "iops"),
            (kms_key_id, "kmsKeyId"),
            (snapshot_id, "snapshotId"),
            (volume_size, "volumeSize"),
            (volume_type, "volumeType"),
            (throughput, "throughput"));

IBSIM_SHAPE(api::imagebuilder::InstanceBlockDeviceMapping,
            (device_name, "deviceName"),
            (ebs, "ebs"),
            (virtual_name, "virtualName"),
            (no_device, "noDevice"));

IBSIM_SHAPE(api::imagebuilder::SystemsManagerAgent, (uninstall_after_build, "uninstallAfterBuild"));

IBSIM_SHAPE(api::imagebuilder::AdditionalInstanceConfiguration,
            (systems_manager_agent, "systemsManagerAgent"),
            (user_data_override, "userDataOverride"));

IBSIM_SHAPE(api::imagebuilder::ImageState, (status, "status"), (reason, "reason"));

IBSIM_SHAPE(api::imagebuilder::ImageTestsConfiguration,
            (image_tests_enabled, "imageTestsEnabled"),
            (timeout_minutes, "timeoutMinutes"));

IBSIM_SHAPE(api::imagebuilder::EcrConfiguration,
            (repository_name, "repositoryName"),
            (container_tags, "containerTags"));

IBSIM_SHAPE(api::imagebuilder::ImageScanningConfiguration,
            (image_scanning_enabled, "imageScanningEnabled"),
            (ecr_configuration, "ecrConfiguration"));

IBSIM_SHAPE(api::imagebuilder::WorkflowParameter, (name, "name"), (value, "value"));

IBSIM_SHAPE(api::imagebuilder::WorkflowConfiguration,
            (workflow_arn, "workflowArn"),
            (parameters, "parameters"),
            (parallel_group, "parallelGroup"),
            (on_failure, "onFailure"));

IBSIM_SHAPE(api::imagebuilder::ImageLoggingConfiguration, (log_group_name, "logGroupName"));

IBSIM_SHAPE(api::imagebuilder::PipelineLoggingConfiguration,
            (image_log_group_name, "imageLogGroupName"),
            (pipeline_log_group_name, "pipelineLogGroupName"));

IBSIM_SHAPE(api::imagebuilder::ImageRecipe,
            (arn, "arn"),
            (type, "type"),
            (name, "name"),
            (description, "description"),
            (platform, "platform"),
            (owner, "owner"),
            (version, "version"),
            (components, "components"),
            (parent_image, "parentImage"),
            (block_device_mappings, "blockDeviceMappings"),
            (date_created, "dateCreated"),
            (tags, "tags"),
            (working_directory, "workingDirectory"),
            (additional_instance_configuration, "additionalInstanceConfiguration"),
            (ami_tags, "amiTags"));

IBSIM_SHAPE(api::imagebuilder::ImageRecipeSummary,
            (arn, "arn"),
            (name, "name"),
            (platform, "platform"),
            (owner, "owner"),
            (parent_image, "parentImage"),
            (date_created, "dateCreated"),
            (tags, "tags"));

IBSIM_SHAPE(api::imagebuilder::CreateImageRecipeInput,
            (name, "name"),
            (semantic_version, "semanticVersion"),
            (parent_image, "parentImage"),
            (client_token, "clientToken"),
            (description, "description"),
            (components, "components"),
            (block_device_mappings, "blockDeviceMappings"),
            (tags, "tags"),
            (working_directory, "workingDirectory"),
            (additional_instance_configuration, "additionalInstanceConfiguration"),
            (ami_tags, "amiTags"));

IBSIM_SHAPE(api::imagebuilder::CreateImageRecipeOutput,
            (request_id, "requestId"),
            (client_token, "clientToken"),
            (image_recipe_arn, "imageRecipeArn"),
            (latest_version_references, "latestVersionReferences"));

IBSIM_SHAPE(api::imagebuilder::GetImageRecipeInput, (image_recipe_arn, "imageRecipeArn"));

IBSIM_SHAPE(api::imagebuilder::GetImageRecipeOutput,
            (request_id, "requestId"),
            (image_recipe, "imageRecipe"),
            (latest_version_references, "latestVersionReferences"));

IBSIM_SHAPE(api::imagebuilder::ListImageRecipesInput,
            (owner, "owner"),
            (filters, "filters"),
            (max_results, "maxResults"),
            (next_token, "nextToken"));

IBSIM_SHAPE(api::imagebuilder::ListImageRecipesOutput,
            (request_id, "requestId"),
            (image_recipe_summary_list, "imageRecipeSummaryList"),
            (next_token, "nextToken"));

IBSIM_SHAPE(api::imagebuilder::DeleteImageRecipeInput, (image_recipe_arn, "imageRecipeArn"));

IBSIM_SHAPE(api::imagebuilder::DeleteImageRecipeOutput,
            (request_id, "requestId"),
            (image_recipe_arn, "imageRecipeArn"));

IBSIM_SHAPE(api::imagebuilder::ComponentState, (status, "status"), (reason, "reason"));

IBSIM_SHAPE(api::imagebuilder::ComponentParameterDetail,
            (name, "name"),
            (type, "type"),
            (default_value, "defaultValue"),
            (description, "description"));

IBSIM_SHAPE(api::imagebuilder::Component,
            (arn, "arn"),
            (name, "name"),
            (version, "version"),
            (description, "description"),
            (change_description, "changeDescription"),
            (type, "type"),
            (platform, "platform"),
            (supported_os_versions, "supportedOsVersions"),
            (state, "state"),
            (parameters, "parameters"),
            (owner, "owner"),
            (data, "data"),
            (kms_key_id, "kmsKeyId"),
            (encrypted, "encrypted"),
            (date_created, "dateCreated"),
            (tags, "tags"),
            (publisher, "publisher"),
            (obfuscate, "obfuscate"));

IBSIM_SHAPE(api::imagebuilder::ComponentVersion,
            (arn, "arn"),
            (name, "name"),
            (version, "version"),
            (description, "description"),
            (platform, "platform"),
            (supported_os_versions, "supportedOsVersions"),
            (type, "type"),
            (owner, "owner"),
            (date_created, "dateCreated"),
            (status, "status"));

IBSIM_SHAPE(api::imagebuilder::CreateComponentInput,
            (name, "name"),
            (semantic_version, "semanticVersion"),
            (platform, "platform"),
            (client_token, "clientToken"),
            (description, "description"),
            (change_description, "changeDescription"),
            (supported_os_versions, "supportedOsVersions"),
            (data, "data"),
            (uri, "uri"),
            (kms_key_id, "kmsKeyId"),
            (tags, "tags"),
            (dry_run, "dryRun"));

IBSIM_SHAPE(api::imagebuilder::CreateComponentOutput,
            (request_id, "requestId"),
            (client_token, "clientToken"),
            (component_build_version_arn, "componentBuildVersionArn"),
            (latest_version_references, "latestVersionReferences"));

IBSIM_SHAPE(api::imagebuilder::GetComponentInput,
            (component_build_version_arn, "componentBuildVersionArn"));

IBSIM_SHAPE(api::imagebuilder::GetComponentOutput,
            (request_id, "requestId"),
            (component, "component"),
            (latest_version_references, "latestVersionReferences"));

IBSIM_SHAPE(api::imagebuilder::ListComponentsInput,
            (owner, "owner"),
            (filters, "filters"),
            (by_name, "byName"),
            (max_results, "maxResults"),
            (next_token, "nextToken"));

IBSIM_SHAPE(api::imagebuilder::ListComponentsOutput,
            (request_id, "requestId"),
            (component_version_list, "componentVersionList"),
            (next_token, "nextToken"));

IBSIM_SHAPE(api::imagebuilder::S3Logs,
            (s3_bucket_name, "s3BucketName"),
            (s3_key_prefix, "s3KeyPrefix"));

IBSIM_SHAPE(api::imagebuilder::Logging, (s3_logs, "s3Logs"));

IBSIM_SHAPE(api::imagebuilder::InstanceMetadataOptions,
            (http_tokens, "httpTokens"),
            (http_put_response_hop_limit, "httpPutResponseHopLimit"));

IBSIM_SHAPE(api::imagebuilder::Placement,
            (availability_zone, "availabilityZone"),
            (tenancy, "tenancy"),
            (host_id, "hostId"),
            (host_resource_group_arn, "hostResourceGroupArn"));

IBSIM_SHAPE(api::imagebuilder::InfrastructureConfiguration,
            (arn, "arn"),
            (name, "name"),
            (description, "description"),
            (instance_types, "instanceTypes"),
            (instance_profile_name, "instanceProfileName"),
            (security_group_ids, "securityGroupIds"),
            (subnet_id, "subnetId"),
            (logging, "logging"),
            (key_pair, "keyPair"),
            (terminate_instance_on_failure, "terminateInstanceOnFailure"),
            (sns_topic_arn, "snsTopicArn"),
            (date_created, "dateCreated"),
            (date_updated, "dateUpdated"),
            (resource_tags, "resourceTags"),
            (instance_metadata_options, "instanceMetadataOptions"),
            (tags, "tags"),
            (placement, "placement"));

IBSIM_SHAPE(api::imagebuilder::InfrastructureConfigurationSummary,
            (arn, "arn"),
            (name, "name"),
            (description, "description"),
            (date_created, "dateCreated"),
            (date_updated, "dateUpdated"),
            (resource_tags, "resourceTags"),
            (tags, "tags"),
            (instance_types, "instanceTypes"),
            (instance_profile_name, "instanceProfileName"),
            (placement, "placement"));

IBSIM_SHAPE(api::imagebuilder::CreateInfrastructureConfigurationInput,
            (name, "name"),
            (instance_profile_name, "instanceProfileName"),
            (client_token, "clientToken"),
            (description, "description"),
            (instance_types, "instanceTypes"),
            (security_group_ids, "securityGroupIds"),
            (subnet_id, "subnetId"),
            (logging, "logging"),
            (key_pair, "keyPair"),
            (terminate_instance_on_failure, "terminateInstanceOnFailure"),
            (sns_topic_arn, "snsTopicArn"),
            (resource_tags, "resourceTags"),
            (instance_metadata_options, "instanceMetadataOptions"),
            (tags, "tags"),
            (placement, "placement"));

IBSIM_SHAPE(api::imagebuilder::CreateInfrastructureConfigurationOutput,
            (request_id, "requestId"),
            (client_token, "clientToken"),
            (infrastructure_configuration_arn, "infrastructureConfigurationArn"));

IBSIM_SHAPE(api::imagebuilder::GetInfrastructureConfigurationInput,
            (infrastructure_configuration_arn, "infrastructureConfigurationArn"));

IBSIM_SHAPE(api::imagebuilder::GetInfrastructureConfigurationOutput,
            (request_id, "requestId"),
            (infrastructure_configuration, "infrastructureConfiguration"));

IBSIM_SHAPE(api::imagebuilder::ListInfrastructureConfigurationsInput,
            (filters, "filters"),
            (max_results, "maxResults"),
            (next_token, "nextToken"));

IBSIM_SHAPE(api::imagebuilder::ListInfrastructureConfigurationsOutput,
            (request_id, "requestId"),
            (infrastructure_configuration_summary_list, "infrastructureConfigurationSummaryList"),
            (next_token, "nextToken"));

IBSIM_SHAPE(api::imagebuilder::DeleteInfrastructureConfigurationInput,
            (infrastructure_configuration_arn, "infrastructureConfigurationArn"));

IBSIM_SHAPE(api::imagebuilder::DeleteInfrastructureConfigurationOutput,
            (request_id, "requestId"),
            (infrastructure_configuration_arn, "infrastructureConfigurationArn"));

IBSIM_SHAPE(api::imagebuilder::LaunchPermissionConfiguration,
            (user_ids, "userIds"),
            (user_groups, "userGroups"),
            (organization_arns, "organizationArns"),
            (organizational_unit_arns, "organizationalUnitArns"));

IBSIM_SHAPE(api::imagebuilder::AmiDistributionConfiguration,
            (name, "name"),
            (description, "description"),
            (target_account_ids, "targetAccountIds"),
            (ami_tags, "amiTags"),
            (kms_key_id, "kmsKeyId"),
            (launch_permission, "launchPermission"));

IBSIM_SHAPE(api::imagebuilder::TargetContainerRepository,
            (service, "service"),
            (repository_name, "repositoryName"));

IBSIM_SHAPE(api::imagebuilder::ContainerDistributionConfiguration,
            (description, "description"),
            (container_tags, "containerTags"),
            (target_repository, "targetRepository"));

IBSIM_SHAPE(api::imagebuilder::LaunchTemplateConfiguration,
            (launch_template_id, "launchTemplateId"),
            (account_id, "accountId"),
            (set_default_version, "setDefaultVersion"));

IBSIM_SHAPE(api::imagebuilder::S3ExportConfiguration,
            (role_name, "roleName"),
            (disk_image_format, "diskImageFormat"),
            (s3_bucket, "s3Bucket"),
            (s3_prefix, "s3Prefix"));

IBSIM_SHAPE(api::imagebuilder::FastLaunchSnapshotConfiguration,
            (target_resource_count, "targetResourceCount"));

IBSIM_SHAPE(api::imagebuilder::FastLaunchLaunchTemplateSpecification,
            (launch_template_id, "launchTemplateId"),
            (launch_template_name, "launchTemplateName"),
            (launch_template_version, "launchTemplateVersion"));

IBSIM_SHAPE(api::imagebuilder::FastLaunchConfiguration,
            (enabled, "enabled"),
            (snapshot_configuration, "snapshotConfiguration"),
            (max_parallel_launches, "maxParallelLaunches"),
            (launch_template, "launchTemplate"),
            (account_id, "accountId"));

IBSIM_SHAPE(api::imagebuilder::SsmParameterConfiguration,
            (parameter_name, "parameterName"),
            (ami_account_id, "amiAccountId"),
            (data_type, "dataType"));

IBSIM_SHAPE(api::imagebuilder::Distribution,
            (region, "region"),
            (ami_distribution_configuration, "amiDistributionConfiguration"),
            (container_distribution_configuration, "containerDistributionConfiguration"),
            (license_configuration_arns, "licenseConfigurationArns"),
            (launch_template_configurations, "launchTemplateConfigurations"),
            (s3_export_configuration, "s3ExportConfiguration"),
            (fast_launch_configurations, "fastLaunchConfigurations"),
            (ssm_parameter_configurations, "ssmParameterConfigurations"));

IBSIM_SHAPE(api::imagebuilder::DistributionConfiguration,
            (arn, "arn"),
            (name, "name"),
            (description, "description"),
            (distributions, "distributions"),
            (timeout_minutes, "timeoutMinutes"),
            (date_created, "dateCreated"),
            (date_updated, "dateUpdated"),
            (tags, "tags"));

IBSIM_SHAPE(api::imagebuilder::DistributionConfigurationSummary,
            (arn, "arn"),
            (name, "name"),
            (description, "description"),
            (date_created, "dateCreated"),
            (date_updated, "dateUpdated"),
            (tags, "tags"),
            (regions, "regions"));

IBSIM_SHAPE(api::imagebuilder::CreateDistributionConfigurationInput,
            (name, "name"),
            (distributions, "distributions"),
            (client_token, "clientToken"),
            (description, "description"),
            (tags, "tags"));

IBSIM_SHAPE(api::imagebuilder::CreateDistributionConfigurationOutput,
            (request_id, "requestId"),
            (client_token, "clientToken"),
            (distribution_configuration_arn, "distributionConfigurationArn"));

IBSIM_SHAPE(api::imagebuilder::GetDistributionConfigurationInput,
            (distribution_configuration_arn, "distributionConfigurationArn"));

IBSIM_SHAPE(api::imagebuilder::GetDistributionConfigurationOutput,
            (request_id, "requestId"),
            (distribution_configuration, "distributionConfiguration"));

IBSIM_SHAPE(api::imagebuilder::ListDistributionConfigurationsInput,
            (filters, "filters"),
            (max_results, "maxResults"),
            (next_token, "nextToken"));

IBSIM_SHAPE(api::imagebuilder::ListDistributionConfigurationsOutput,
            (request_id, "requestId"),
            (distribution_configuration_summary_list, "distributionConfigurationSummaryList"),
            (next_token, "nextToken"));

IBSIM_SHAPE(api::imagebuilder::UpdateDistributionConfigurationInput,
            (distribution_configuration_arn, "distributionConfigurationArn"),
            (distributions, "distributions"),
            (client_token, "clientToken"),
            (description, "description"));

IBSIM_SHAPE(api::imagebuilder::UpdateDistributionConfigurationOutput,
            (request_id, "requestId"),
            (client_token, "clientToken"),
            (distribution_configuration_arn, "distributionConfigurationArn"));

IBSIM_SHAPE(api::imagebuilder::DeleteDistributionConfigurationInput,
            (distribution_configuration_arn, "distributionConfigurationArn"));

IBSIM_SHAPE(api::imagebuilder::DeleteDistributionConfigurationOutput,
            (request_id, "requestId"),
            (distribution_configuration_arn, "distributionConfigurationArn"));

IBSIM_SHAPE(api::imagebuilder::Ami,
            (region, "region"),
            (image, "image"),
            (name, "name"),
            (description, "description"),
            (state, "state"),
            (account_id, "accountId"));

IBSIM_SHAPE(api::imagebuilder::Container, (region, "region"), (image_uris, "imageUris"));

IBSIM_SHAPE(api::imagebuilder::OutputResources, (amis, "amis"), (containers, "containers"));

IBSIM_SHAPE(api::imagebuilder::ImageScanState, (status, "status"), (reason, "reason"));

IBSIM_SHAPE(api::imagebuilder::Image,
            (arn, "arn"),
            (type, "type"),
            (name, "name"),
            (version, "version"),
            (platform, "platform"),
            (enhanced_image_metadata_enabled, "enhancedImageMetadataEnabled"),
            (os_version, "osVersion"),
            (state, "state"),
            (image_recipe, "imageRecipe"),
            (source_pipeline_name, "sourcePipelineName"),
            (source_pipeline_arn, "sourcePipelineArn"),
            (infrastructure_configuration, "infrastructureConfiguration"),
            (distribution_configuration, "distributionConfiguration"),
            (image_tests_configuration, "imageTestsConfiguration"),
            (date_created, "dateCreated"),
            (output_resources, "outputResources"),
            (tags, "tags"),
            (build_type, "buildType"),
            (image_source, "imageSource"),
            (scan_state, "scanState"),
            (image_scanning_configuration, "imageScanningConfiguration"),
            (deprecation_time, "deprecationTime", kEpochMillis),
            (execution_role, "executionRole"),
            (workflows, "workflows"),
            (logging_configuration, "loggingConfiguration"));

IBSIM_SHAPE(api::imagebuilder::ImageVersion,
            (arn, "arn"),
            (name, "name"),
            (type, "type"),
            (version, "version"),
            (platform, "platform"),
            (os_version, "osVersion"),
            (owner, "owner"),
            (date_created, "dateCreated"),
            (build_type, "buildType"),
            (image_source, "imageSource"));

IBSIM_SHAPE(api::imagebuilder::ImageSummary,
            (arn, "arn"),
            (name, "name"),
            (type, "type"),
            (version, "version"),
            (platform, "platform"),
            (os_version, "osVersion"),
            (state, "state"),
            (owner, "owner"),
            (date_created, "dateCreated"),
            (output_resources, "outputResources"),
            (tags, "tags"),
            (build_type, "buildType"),
            (image_source, "imageSource"),
            (deprecation_time, "deprecationTime", kEpochMillis),
            (logging_configuration, "loggingConfiguration"));

IBSIM_SHAPE(api::imagebuilder::CreateImageInput,
            (infrastructure_configuration_arn, "infrastructureConfigurationArn"),
            (client_token, "clientToken"),
            (image_recipe_arn, "imageRecipeArn"),
            (container_recipe_arn, "containerRecipeArn"),
            (distribution_configuration_arn, "distributionConfigurationArn"),
            (image_tests_configuration, "imageTestsConfiguration"),
            (enhanced_image_metadata_enabled, "enhancedImageMetadataEnabled"),
            (tags, "tags"),
            (image_scanning_configuration, "imageScanningConfiguration"),
            (workflows, "workflows"),
            (execution_role, "executionRole"),
            (logging_configuration, "loggingConfiguration"));

IBSIM_SHAPE(api::imagebuilder::CreateImageOutput,
            (request_id, "requestId"),
            (client_token, "clientToken"),
            (image_build_version_arn, "imageBuildVersionArn"),
            (latest_version_references, "latestVersionReferences"));

IBSIM_SHAPE(api::imagebuilder::GetImageInput, (image_build_version_arn, "imageBuildVersionArn"));

IBSIM_SHAPE(api::imagebuilder::GetImageOutput,
            (request_id, "requestId"),
            (image, "image"),
            (latest_version_references, "latestVersionReferences"));

IBSIM_SHAPE(api::imagebuilder::ListImagesInput,
            (owner, "owner"),
            (filters, "filters"),
            (by_name, "byName"),
            (max_results, "maxResults"),
            (next_token, "nextToken"),
            (include_deprecated, "includeDeprecated"));

IBSIM_SHAPE(api::imagebuilder::ListImagesOutput,
            (request_id, "requestId"),
            (image_version_list, "imageVersionList"),
            (next_token, "nextToken"));

IBSIM_SHAPE(api::imagebuilder::ListImageBuildVersionsInput,
            (image_version_arn, "imageVersionArn"),
            (filters, "filters"),
            (max_results, "maxResults"),
            (next_token, "nextToken"));

IBSIM_SHAPE(api::imagebuilder::ListImageBuildVersionsOutput,
            (request_id, "requestId"),
            (image_summary_list, "imageSummaryList"),
            (next_token, "nextToken"));

IBSIM_SHAPE(api::imagebuilder::CancelImageCreationInput,
            (image_build_version_arn, "imageBuildVersionArn"),
            (client_token, "clientToken"));

IBSIM_SHAPE(api::imagebuilder::CancelImageCreationOutput,
            (request_id, "requestId"),
            (client_token, "clientToken"),
            (image_build_version_arn, "imageBuildVersionArn"));

IBSIM_SHAPE(api::imagebuilder::DeleteImageInput, (image_build_version_arn, "imageBuildVersionArn"));

IBSIM_SHAPE(api::imagebuilder::DeleteImageOutput,
            (request_id, "requestId"),
            (image_build_version_arn, "imageBuildVersionArn"));

IBSIM_SHAPE(api::imagebuilder::DistributeImageInput,
            (source_image, "sourceImage"),
            (distribution_configuration_arn, "distributionConfigurationArn"),
            (execution_role, "executionRole"),
            (client_token, "clientToken"),
            (tags, "tags"),
            (logging_configuration, "loggingConfiguration"));

IBSIM_SHAPE(api::imagebuilder::DistributeImageOutput,
            (client_token, "clientToken"),
            (image_build_version_arn, "imageBuildVersionArn"));

IBSIM_SHAPE(api::imagebuilder::RetryImageInput,
            (image_build_version_arn, "imageBuildVersionArn"),
            (client_token, "clientToken"));

IBSIM_SHAPE(api::imagebuilder::RetryImageOutput,
            (client_token, "clientToken"),
            (image_build_version_arn, "imageBuildVersionArn"));

IBSIM_SHAPE(api::imagebuilder::AutoDisablePolicy, (failure_count, "failureCount"));

IBSIM_SHAPE(api::imagebuilder::Schedule,
            (schedule_expression, "scheduleExpression"),
            (timezone, "timezone"),
            (pipeline_execution_start_condition, "pipelineExecutionStartCondition"),
            (auto_disable_policy, "autoDisablePolicy"));

IBSIM_SHAPE(api::imagebuilder::ImagePipeline,
            (arn, "arn"),
            (name, "name"),
            (description, "description"),
            (platform, "platform"),
            (enhanced_image_metadata_enabled, "enhancedImageMetadataEnabled"),
            (image_recipe_arn, "imageRecipeArn"),
            (container_recipe_arn, "containerRecipeArn"),
            (infrastructure_configuration_arn, "infrastructureConfigurationArn"),
            (distribution_configuration_arn, "distributionConfigurationArn"),
            (image_tests_configuration, "imageTestsConfiguration"),
            (schedule, "schedule"),
            (status, "status"),
            (date_created, "dateCreated"),
            (date_updated, "dateUpdated"),
            (date_last_run, "dateLastRun"),
            (last_run_status, "lastRunStatus"),
            (date_next_run, "dateNextRun"),
            (tags, "tags"),
            (image_scanning_configuration, "imageScanningConfiguration"),
            (image_tags, "imageTags"),
            (execution_role, "executionRole"),
            (workflows, "workflows"),
            (logging_configuration, "loggingConfiguration"),
            (consecutive_failures, "consecutiveFailures"));

IBSIM_SHAPE(api::imagebuilder::CreateImagePipelineInput,
            (name, "name"),
            (infrastructure_configuration_arn, "infrastructureConfigurationArn"),
            (client_token, "clientToken"),
            (description, "description"),
            (image_recipe_arn, "imageRecipeArn"),
            (container_recipe_arn, "containerRecipeArn"),
            (distribution_configuration_arn, "distributionConfigurationArn"),
            (image_tests_configuration, "imageTestsConfiguration"),
            (enhanced_image_metadata_enabled, "enhancedImageMetadataEnabled"),
            (schedule, "schedule"),
            (status, "status"),
            (tags, "tags"),
            (image_tags, "imageTags"),
            (image_scanning_configuration, "imageScanningConfiguration"),
            (workflows, "workflows"),
            (execution_role, "executionRole"),
            (logging_configuration, "loggingConfiguration"));

IBSIM_SHAPE(api::imagebuilder::CreateImagePipelineOutput,
            (request_id, "requestId"),
            (client_token, "clientToken"),
            (image_pipeline_arn, "imagePipelineArn"));

IBSIM_SHAPE(api::imagebuilder::GetImagePipelineInput, (image_pipeline_arn, "imagePipelineArn"));

IBSIM_SHAPE(api::imagebuilder::GetImagePipelineOutput,
            (request_id, "requestId"),
            (image_pipeline, "imagePipeline"));

IBSIM_SHAPE(api::imagebuilder::ListImagePipelinesInput,
            (filters, "filters"),
            (max_results, "maxResults"),
            (next_token, "nextToken"));

IBSIM_SHAPE(api::imagebuilder::ListImagePipelinesOutput,
            (request_id, "requestId"),
            (image_pipeline_list, "imagePipelineList"),
            (next_token, "nextToken"));

IBSIM_SHAPE(api::imagebuilder::DeleteImagePipelineInput, (image_pipeline_arn, "imagePipelineArn"));

IBSIM_SHAPE(api::imagebuilder::DeleteImagePipelineOutput,
            (request_id, "requestId"),
            (image_pipeline_arn, "imagePipelineArn"));

IBSIM_SHAPE(api::imagebuilder::StartImagePipelineExecutionInput,
            (image_pipeline_arn, "imagePipelineArn"),
            (client_token, "clientToken"),
            (tags, "tags"));

IBSIM_SHAPE(api::imagebuilder::StartImagePipelineExecutionOutput,
            (request_id, "requestId"),
            (client_token, "clientToken"),
            (image_build_version_arn, "imageBuildVersionArn"));

IBSIM_MAPPING_OPERATIONS(imagebuilder_operations,
                         imagebuilder,
                         CreateImageRecipe,
                         GetImageRecipe,
                         ListImageRecipes,
                         DeleteImageRecipe,
                         CreateInfrastructureConfiguration,
                         GetInfrastructureConfiguration,
                         ListInfrastructureConfigurations,
                         DeleteInfrastructureConfiguration,
                         CreateDistributionConfiguration,
                         GetDistributionConfiguration,
                         ListDistributionConfigurations,
                         UpdateDistributionConfiguration,
                         DeleteDistributionConfiguration,
                         CreateImage,
                         GetImage,
                         ListImages,
                         ListImageBuildVersions,
                         CancelImageCreation,
                         DeleteImage,
                         CreateImagePipeline,
                         GetImagePipeline,
                         ListImagePipelines,
                         DeleteImagePipeline,
                         StartImagePipelineExecution,
                         DistributeImage,
                         RetryImage,
                         CreateComponent,
                         GetComponent,
                         ListComponents)

}  // namespace ibsim::mock_aws::protocol::mapping
