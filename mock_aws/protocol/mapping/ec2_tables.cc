// The EC2 field tables: every api::ec2 struct an operation reaches, each C++ member
// with its botocore member name; and the EC2 operations mapped (Operation<In, Out>).

#include "mock_aws/api/ec2_types.h"
#include "mock_aws/protocol/mapping/shape_table.h"

namespace ibsim::mock_aws::protocol::mapping {
namespace {

constexpr ServiceId kTableService = ServiceId::kEc2;

}  // namespace

// EC2's timestamps (Snapshot.StartTime, LaunchTemplate.CreateTime, Instance.LaunchTime).
template <>
struct TimestampAdapter<api::ec2::Timestamp> {
  static int64_t to_unix_ms(const api::ec2::Timestamp& t) { return t.unix_ms; }

  static api::ec2::Timestamp from_unix_ms(int64_t unix_ms) { return api::ec2::Timestamp{unix_ms}; }
};

IBSIM_SHAPE(api::ec2::Tag, (key, "Key"), (value, "Value"));

IBSIM_SHAPE(api::ec2::TagSpecification, (resource_type, "ResourceType"), (tags, "Tags"));

IBSIM_SHAPE(api::ec2::Filter, (name, "Name"), (values, "Values"));

IBSIM_SHAPE(api::ec2::StateReason, (code, "Code"), (message, "Message"));

IBSIM_SHAPE(api::ec2::AttributeValue, (value, "Value"));

IBSIM_SHAPE(api::ec2::ProductCode,
            (product_code_id, "ProductCodeId"),
            (product_code_type, "ProductCodeType"));

IBSIM_SHAPE(api::ec2::EbsBlockDevice,
            (delete_on_termination, "DeleteOnTermination"),
            (iops, "Iops"),
            (snapshot_id, "SnapshotId"),
            (volume_size, "VolumeSize"),
            (volume_type, "VolumeType"),
            (kms_key_id, "KmsKeyId"),
            (throughput, "Throughput"),
            (encrypted, "Encrypted"));

IBSIM_SHAPE(api::ec2::BlockDeviceMapping,
            (device_name, "DeviceName"),
            (virtual_name, "VirtualName"),
            (ebs, "Ebs"),
            (no_device, "NoDevice"));

IBSIM_SHAPE(api::ec2::LaunchPermission,
            (user_id, "UserId"),
            (group, "Group"),
            (organization_arn, "OrganizationArn"),
            (organizational_unit_arn, "OrganizationalUnitArn"));

IBSIM_SHAPE(api::ec2::LaunchPermissionModifications, (add, "Add"), (remove, "Remove"));

IBSIM_SHAPE(api::ec2::CreateVolumePermission, (user_id, "UserId"), (group, "Group"));

IBSIM_SHAPE(api::ec2::CreateVolumePermissionModifications, (add, "Add"), (remove, "Remove"));

IBSIM_SHAPE(api::ec2::Image,
            (platform_details, "PlatformDetails"),
            (usage_operation, "UsageOperation"),
            (block_device_mappings, "BlockDeviceMappings"),
            (description, "Description"),
            (ena_support, "EnaSupport"),
            (hypervisor, "Hypervisor"),
            (image_owner_alias, "ImageOwnerAlias"),
            (name, "Name"),
            (root_device_name, "RootDeviceName"),
            (root_device_type, "RootDeviceType"),
            (sriov_net_support, "SriovNetSupport"),
            (state_reason, "StateReason"),
            (tags, "Tags"),
            (virtualization_type, "VirtualizationType"),
            (boot_mode, "BootMode"),
            (tpm_support, "TpmSupport"),
            (deprecation_time, "DeprecationTime"),
            (imds_support, "ImdsSupport"),
            (source_instance_id, "SourceInstanceId"),
            (deregistration_protection, "DeregistrationProtection"),
            (last_launched_time, "LastLaunchedTime"),
            (image_allowed, "ImageAllowed"),
            (source_image_id, "SourceImageId"),
            (source_image_region, "SourceImageRegion"),
            (free_tier_eligible, "FreeTierEligible"),
            (image_id, "ImageId"),
            (image_location, "ImageLocation"),
            (state, "State"),
            (owner_id, "OwnerId"),
            (creation_date, "CreationDate"),
            (is_public, "Public"),
            (product_codes, "ProductCodes"),
            (architecture, "Architecture"),
            (image_type, "ImageType"),
            (kernel_id, "KernelId"),
            (ramdisk_id, "RamdiskId"),
            (platform, "Platform"));

IBSIM_SHAPE(api::ec2::RegisterImageInput,
            (name, "Name"),
            (description, "Description"),
            (architecture, "Architecture"),
            (virtualization_type, "VirtualizationType"),
            (root_device_name, "RootDeviceName"),
            (block_device_mappings, "BlockDeviceMappings"),
            (tag_specifications, "TagSpecifications"),
            (ena_support, "EnaSupport"),
            (boot_mode, "BootMode"),
            (tpm_support, "TpmSupport"),
            (imds_support, "ImdsSupport"),
            (image_location, "ImageLocation"),
            (billing_products, "BillingProducts"),
            (uefi_data, "UefiData"),
            (kernel_id, "KernelId"),
            (ramdisk_id, "RamdiskId"),
            (sriov_net_support, "SriovNetSupport"),
            (dry_run, "DryRun"));

IBSIM_SHAPE(api::ec2::RegisterImageOutput, (image_id, "ImageId"));

IBSIM_SHAPE(api::ec2::DescribeImagesInput,
            (executable_users, "ExecutableUsers"),
            (image_ids, "ImageIds"),
            (owners, "Owners"),
            (include_deprecated, "IncludeDeprecated"),
            (include_disabled, "IncludeDisabled"),
            (max_results, "MaxResults"),
            (next_token, "NextToken"),
            (dry_run, "DryRun"),
            (filters, "Filters"));

IBSIM_SHAPE(api::ec2::DescribeImagesOutput, (next_token, "NextToken"), (images, "Images"));

IBSIM_SHAPE(api::ec2::DeregisterImageInput,
            (image_id, "ImageId"),
            (delete_associated_snapshots, "DeleteAssociatedSnapshots"),
            (dry_run, "DryRun"));

IBSIM_SHAPE(api::ec2::DeleteSnapshotReturnCode,
            (snapshot_id, "SnapshotId"),
            (return_code, "ReturnCode"));

IBSIM_SHAPE(api::ec2::DeregisterImageOutput,
            (return_value, "Return"),
            (delete_snapshot_results, "DeleteSnapshotResults"));

IBSIM_SHAPE(api::ec2::CopyImageInput,
            (name, "Name"),
            (source_image_id, "SourceImageId"),
            (source_region, "SourceRegion"),
            (description, "Description"),
            (encrypted, "Encrypted"),
            (kms_key_id, "KmsKeyId"),
            (client_token, "ClientToken"),
            (copy_image_tags, "CopyImageTags"),
            (tag_specifications, "TagSpecifications"),
            (dry_run, "DryRun"),
            (destination_outpost_arn, "DestinationOutpostArn"),
            (snapshot_copy_completion_duration_minutes, "SnapshotCopyCompletionDurationMinutes"),
            (destination_availability_zone, "DestinationAvailabilityZone"),
            (destination_availability_zone_id, "DestinationAvailabilityZoneId"));

IBSIM_SHAPE(api::ec2::CopyImageOutput, (image_id, "ImageId"));

IBSIM_SHAPE(api::ec2::ModifyImageAttributeInput,
            (image_id, "ImageId"),
            (attribute, "Attribute"),
            (launch_permission, "LaunchPermission"),
            (operation_type, "OperationType"),
            (user_ids, "UserIds"),
            (user_groups, "UserGroups"),
            (organization_arns, "OrganizationArns"),
            (organizational_unit_arns, "OrganizationalUnitArns"),
            (description, "Description"),
            (value, "Value"),
            (product_codes, "ProductCodes"),
            (imds_support, "ImdsSupport"),
            (dry_run, "DryRun"));

IBSIM_SHAPE(api::ec2::ModifyImageAttributeOutput);

IBSIM_SHAPE(api::ec2::DescribeImageAttributeInput,
            (image_id, "ImageId"),
            (attribute, "Attribute"),
            (dry_run, "DryRun"));

IBSIM_SHAPE(api::ec2::DescribeImageAttributeOutput,
            (description, "Description"),
            (kernel_id, "KernelId"),
            (ramdisk_id, "RamdiskId"),
            (sriov_net_support, "SriovNetSupport"),
            (boot_mode, "BootMode"),
            (tpm_support, "TpmSupport"),
            (uefi_data, "UefiData"),
            (last_launched_time, "LastLaunchedTime"),
            (imds_support, "ImdsSupport"),
            (deregistration_protection, "DeregistrationProtection"),
            (image_id, "ImageId"),
            (launch_permissions, "LaunchPermissions"),
            (product_codes, "ProductCodes"),
            (block_device_mappings, "BlockDeviceMappings"));

IBSIM_SHAPE(api::ec2::ResetImageAttributeInput,
            (image_id, "ImageId"),
            (attribute, "Attribute"),
            (dry_run, "DryRun"));

IBSIM_SHAPE(api::ec2::ResetImageAttributeOutput);

IBSIM_SHAPE(api::ec2::CreateTagsInput,
            (resources, "Resources"),
            (tags, "Tags"),
            (dry_run, "DryRun"));

IBSIM_SHAPE(api::ec2::CreateTagsOutput);

IBSIM_SHAPE(api::ec2::DeleteTagsInput,
            (resources, "Resources"),
            (tags, "Tags"),
            (dry_run, "DryRun"));

IBSIM_SHAPE(api::ec2::DeleteTagsOutput);

IBSIM_SHAPE(api::ec2::DescribeTagsInput,
            (filters, "Filters"),
            (max_results, "MaxResults"),
            (next_token, "NextToken"),
            (dry_run, "DryRun"));

IBSIM_SHAPE(api::ec2::TagDescription,
            (key, "Key"),
            (resource_id, "ResourceId"),
            (resource_type, "ResourceType"),
            (value, "Value"));

IBSIM_SHAPE(api::ec2::DescribeTagsOutput, (next_token, "NextToken"), (tags, "Tags"));

IBSIM_SHAPE(api::ec2::Snapshot,
            (owner_alias, "OwnerAlias"),
            (tags, "Tags"),
            (storage_tier, "StorageTier"),
            (sse_type, "SseType"),
            (availability_zone, "AvailabilityZone"),
            (full_snapshot_size_in_bytes, "FullSnapshotSizeInBytes"),
            (snapshot_id, "SnapshotId"),
            (volume_id, "VolumeId"),
            (state, "State"),
            (state_message, "StateMessage"),
            (start_time, "StartTime"),
            (progress, "Progress"),
            (owner_id, "OwnerId"),
            (description, "Description"),
            (volume_size, "VolumeSize"),
            (encrypted, "Encrypted"),
            (kms_key_id, "KmsKeyId"),
            (data_encryption_key_id, "DataEncryptionKeyId"));

IBSIM_SHAPE(api::ec2::DescribeSnapshotsInput,
            (snapshot_ids, "SnapshotIds"),
            (owner_ids, "OwnerIds"),
            (restorable_by_user_ids, "RestorableByUserIds"),
            (filters, "Filters"),
            (max_results, "MaxResults"),
            (next_token, "NextToken"),
            (dry_run, "DryRun"));

IBSIM_SHAPE(api::ec2::DescribeSnapshotsOutput, (next_token, "NextToken"), (snapshots, "Snapshots"));

IBSIM_SHAPE(api::ec2::ModifySnapshotAttributeInput,
            (snapshot_id, "SnapshotId"),
            (attribute, "Attribute"),
            (create_volume_permission, "CreateVolumePermission"),
            (operation_type, "OperationType"),
            (user_ids, "UserIds"),
            (group_names, "GroupNames"),
            (dry_run, "DryRun"));

IBSIM_SHAPE(api::ec2::ModifySnapshotAttributeOutput);

IBSIM_SHAPE(api::ec2::DescribeSnapshotAttributeInput,
            (snapshot_id, "SnapshotId"),
            (attribute, "Attribute"),
            (dry_run, "DryRun"));

IBSIM_SHAPE(api::ec2::DescribeSnapshotAttributeOutput,
            (product_codes, "ProductCodes"),
            (snapshot_id, "SnapshotId"),
            (create_volume_permissions, "CreateVolumePermissions"));

IBSIM_SHAPE(api::ec2::DeleteSnapshotInput, (snapshot_id, "SnapshotId"), (dry_run, "DryRun"));

IBSIM_SHAPE(api::ec2::DeleteSnapshotOutput);

IBSIM_SHAPE(api::ec2::GetEbsEncryptionByDefaultInput, (dry_run, "DryRun"));

IBSIM_SHAPE(api::ec2::GetEbsEncryptionByDefaultOutput,
            (ebs_encryption_by_default, "EbsEncryptionByDefault"),
            (sse_type, "SseType"));

IBSIM_SHAPE(api::ec2::EnableEbsEncryptionByDefaultInput, (dry_run, "DryRun"));

IBSIM_SHAPE(api::ec2::EnableEbsEncryptionByDefaultOutput,
            (ebs_encryption_by_default, "EbsEncryptionByDefault"));

IBSIM_SHAPE(api::ec2::DisableEbsEncryptionByDefaultInput, (dry_run, "DryRun"));

IBSIM_SHAPE(api::ec2::DisableEbsEncryptionByDefaultOutput,
            (ebs_encryption_by_default, "EbsEncryptionByDefault"));

IBSIM_SHAPE(api::ec2::GetEbsDefaultKmsKeyIdInput, (dry_run, "DryRun"));

IBSIM_SHAPE(api::ec2::GetEbsDefaultKmsKeyIdOutput, (kms_key_id, "KmsKeyId"));

IBSIM_SHAPE(api::ec2::ModifyEbsDefaultKmsKeyIdInput, (kms_key_id, "KmsKeyId"), (dry_run, "DryRun"));

IBSIM_SHAPE(api::ec2::ModifyEbsDefaultKmsKeyIdOutput, (kms_key_id, "KmsKeyId"));

IBSIM_SHAPE(api::ec2::LaunchTemplateEbsBlockDeviceRequest,
            (encrypted, "Encrypted"),
            (delete_on_termination, "DeleteOnTermination"),
            (iops, "Iops"),
            (kms_key_id, "KmsKeyId"),
            (snapshot_id, "SnapshotId"),
            (volume_size, "VolumeSize"),
            (volume_type, "VolumeType"),
            (throughput, "Throughput"));

IBSIM_SHAPE(api::ec2::LaunchTemplateBlockDeviceMappingRequest,
            (device_name, "DeviceName"),
            (virtual_name, "VirtualName"),
            (ebs, "Ebs"),
            (no_device, "NoDevice"));

IBSIM_SHAPE(api::ec2::LaunchTemplateTagSpecificationRequest,
            (resource_type, "ResourceType"),
            (tags, "Tags"));

IBSIM_SHAPE(api::ec2::RequestLaunchTemplateData,
            (kernel_id, "KernelId"),
            (ebs_optimized, "EbsOptimized"),
            (block_device_mappings, "BlockDeviceMappings"),
            (image_id, "ImageId"),
            (instance_type, "InstanceType"),
            (key_name, "KeyName"),
            (ram_disk_id, "RamDiskId"),
            (disable_api_termination, "DisableApiTermination"),
            (instance_initiated_shutdown_behavior, "InstanceInitiatedShutdownBehavior"),
            (user_data, "UserData"),
            (tag_specifications, "TagSpecifications"),
            (security_group_ids, "SecurityGroupIds"),
            (security_groups, "SecurityGroups"));

IBSIM_SHAPE(api::ec2::LaunchTemplate,
            (launch_template_id, "LaunchTemplateId"),
            (launch_template_name, "LaunchTemplateName"),
            (create_time, "CreateTime"),
            (created_by, "CreatedBy"),
            (default_version_number, "DefaultVersionNumber"),
            (latest_version_number, "LatestVersionNumber"),
            (tags, "Tags"));

IBSIM_SHAPE(api::ec2::LaunchTemplateVersion,
            (launch_template_id, "LaunchTemplateId"),
            (launch_template_name, "LaunchTemplateName"),
            (version_number, "VersionNumber"),
            (version_description, "VersionDescription"),
            (create_time, "CreateTime"),
            (created_by, "CreatedBy"),
            (default_version, "DefaultVersion"),
            (launch_template_data, "LaunchTemplateData"));

IBSIM_SHAPE(api::ec2::ValidationError, (code, "Code"), (message, "Message"));

IBSIM_SHAPE(api::ec2::ValidationWarning, (errors, "Errors"));

IBSIM_SHAPE(api::ec2::CreateLaunchTemplateInput,
            (launch_template_name, "LaunchTemplateName"),
            (launch_template_data, "LaunchTemplateData"),
            (version_description, "VersionDescription"),
            (tag_specifications, "TagSpecifications"),
            (client_token, "ClientToken"),
            (dry_run, "DryRun"));

IBSIM_SHAPE(api::ec2::CreateLaunchTemplateOutput,
            (launch_template, "LaunchTemplate"),
            (warning, "Warning"));

IBSIM_SHAPE(api::ec2::CreateLaunchTemplateVersionInput,
            (launch_template_id, "LaunchTemplateId"),
            (launch_template_name, "LaunchTemplateName"),
            (source_version, "SourceVersion"),
            (version_description, "VersionDescription"),
            (launch_template_data, "LaunchTemplateData"),
            (client_token, "ClientToken"),
            (resolve_alias, "ResolveAlias"),
            (dry_run, "DryRun"));

IBSIM_SHAPE(api::ec2::CreateLaunchTemplateVersionOutput,
            (launch_template_version, "LaunchTemplateVersion"),
            (warning, "Warning"));

IBSIM_SHAPE(api::ec2::ModifyLaunchTemplateInput,
            (launch_template_id, "LaunchTemplateId"),
            (launch_template_name, "LaunchTemplateName"),
            (default_version, "DefaultVersion"),
            (client_token, "ClientToken"),
            (dry_run, "DryRun"));

IBSIM_SHAPE(api::ec2::ModifyLaunchTemplateOutput, (launch_template, "LaunchTemplate"));

IBSIM_SHAPE(api::ec2::DescribeLaunchTemplatesInput,
            (launch_template_ids, "LaunchTemplateIds"),
            (launch_template_names, "LaunchTemplateNames"),
            (filters, "Filters"),
            (max_results, "MaxResults"),
            (next_token, "NextToken"),
            (dry_run, "DryRun"));

IBSIM_SHAPE(api::ec2::DescribeLaunchTemplatesOutput,
            (launch_templates, "LaunchTemplates"),
            (next_token, "NextToken"));

IBSIM_SHAPE(api::ec2::DescribeLaunchTemplateVersionsInput,
            (launch_template_id, "LaunchTemplateId"),
            (launch_template_name, "LaunchTemplateName"),
            (versions, "Versions"),
            (min_version, "MinVersion"),
            (max_version, "MaxVersion"),
            (filters, "Filters"),
            (max_results, "MaxResults"),
            (next_token, "NextToken"),
            (resolve_alias, "ResolveAlias"),
            (dry_run, "DryRun"));

IBSIM_SHAPE(api::ec2::DescribeLaunchTemplateVersionsOutput,
            (launch_template_versions, "LaunchTemplateVersions"),
            (next_token, "NextToken"));

IBSIM_SHAPE(api::ec2::DeleteLaunchTemplateInput,
            (launch_template_id, "LaunchTemplateId"),
            (launch_template_name, "LaunchTemplateName"),
            (dry_run, "DryRun"));

IBSIM_SHAPE(api::ec2::DeleteLaunchTemplateOutput, (launch_template, "LaunchTemplate"));

IBSIM_SHAPE(api::ec2::LaunchTemplateSpecification,
            (launch_template_id, "LaunchTemplateId"),
            (launch_template_name, "LaunchTemplateName"),
            (version, "Version"));

IBSIM_SHAPE(api::ec2::InstanceState, (code, "Code"), (name, "Name"));

IBSIM_SHAPE(api::ec2::Placement, (availability_zone, "AvailabilityZone"));

IBSIM_SHAPE(api::ec2::Instance,
            (architecture, "Architecture"),
            (client_token, "ClientToken"),
            (root_device_name, "RootDeviceName"),
            (root_device_type, "RootDeviceType"),
            (state_reason, "StateReason"),
            (tags, "Tags"),
            (virtualization_type, "VirtualizationType"),
            (platform_details, "PlatformDetails"),
            (instance_id, "InstanceId"),
            (image_id, "ImageId"),
            (state, "State"),
            (state_transition_reason, "StateTransitionReason"),
            (key_name, "KeyName"),
            (ami_launch_index, "AmiLaunchIndex"),
            (instance_type, "InstanceType"),
            (launch_time, "LaunchTime"),
            (placement, "Placement"));

IBSIM_SHAPE(api::ec2::RunInstancesInput,
            (image_id, "ImageId"),
            (instance_type, "InstanceType"),
            (min_count, "MinCount"),
            (max_count, "MaxCount"),
            (launch_template, "LaunchTemplate"),
            (tag_specifications, "TagSpecifications"),
            (key_name, "KeyName"),
            (security_group_ids, "SecurityGroupIds"),
            (subnet_id, "SubnetId"),
            (user_data, "UserData"),
            (block_device_mappings, "BlockDeviceMappings"),
            (client_token, "ClientToken"),
            (dry_run, "DryRun"));

IBSIM_SHAPE(api::ec2::Reservation,
            (reservation_id, "ReservationId"),
            (owner_id, "OwnerId"),
            (requester_id, "RequesterId"),
            (instances, "Instances"));

IBSIM_SHAPE(api::ec2::DescribeInstancesInput,
            (instance_ids, "InstanceIds"),
            (filters, "Filters"),
            (max_results, "MaxResults"),
            (next_token, "NextToken"),
            (dry_run, "DryRun"));

IBSIM_SHAPE(api::ec2::DescribeInstancesOutput,
            (next_token, "NextToken"),
            (reservations, "Reservations"));

// DescribeRegions is served but not mapped: api::ec2 has no types for it yet.
IBSIM_MAPPING_OPERATIONS(ec2_operations,
                         ec2,
                         RegisterImage,
                         DescribeImages,
                         DeregisterImage,
                         CopyImage,
                         CreateTags,
                         DeleteTags,
                         DescribeTags,
                         ModifyImageAttribute,
                         DescribeImageAttribute,
                         ResetImageAttribute,
                         DescribeSnapshots,
                         ModifySnapshotAttribute,
                         DescribeSnapshotAttribute,
                         DeleteSnapshot,
                         GetEbsEncryptionByDefault,
                         EnableEbsEncryptionByDefault,
                         DisableEbsEncryptionByDefault,
                         GetEbsDefaultKmsKeyId,
                         ModifyEbsDefaultKmsKeyId,
                         CreateLaunchTemplate,
                         CreateLaunchTemplateVersion,
                         ModifyLaunchTemplate,
                         DescribeLaunchTemplates,
                         DescribeLaunchTemplateVersions,
                         DeleteLaunchTemplate,
                         RunInstances,
                         DescribeInstances)

}  // namespace ibsim::mock_aws::protocol::mapping
