#pragma once
// Typed inputs and outputs of the EC2 operations ibsim models (API version 2016-11-15): images,
// snapshots, sharing, tags, EBS encryption by default, launch templates and RunInstances. Every
// struct mirrors a botocore shape and every member a botocore member, renamed to snake_case
// (`SourceImageId` -> `source_image_id`), so the EC2 query/XML codec maps one to one. Members the
// model does not use are left out; optional members are std::optional, lists are vectors (absent =
// empty). Inputs list required members first so designated initializers read naturally (the wire
// mapping goes by name, not order). Timestamps are Unix milliseconds. Two botocore names collide
// with C++ keywords: `Public` is `is_public` and `Return` is `return_value`.
//
//   api::ec2::CopyImageInput in{.name = "copy", .source_image_id = "ami-...",
//                               .source_region = "us-east-1", .encrypted = true};

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ibsim::mock_aws::api::ec2 {

// A botocore `timestamp`: milliseconds since the Unix epoch (the codecs render ISO 8601).
struct Timestamp {
  int64_t unix_ms = 0;

  friend bool operator==(const Timestamp&, const Timestamp&) = default;
};

// ---- Shared shapes -------------------------------------------------------------------------

// botocore Tag. In DeleteTags an absent Value means "whatever the value"; elsewhere it reads as "".
struct Tag {
  std::string key;
  std::optional<std::string> value;

  friend bool operator==(const Tag&, const Tag&) = default;
};

// botocore TagSpecification; ResourceType is "image", "snapshot", "launch-template", "instance"...
struct TagSpecification {
  std::optional<std::string> resource_type;
  std::vector<Tag> tags;
};

// botocore Filter: Values may use the `*` and `?` wildcards.
struct Filter {
  std::string name;
  std::vector<std::string> values;
};

struct StateReason {
  std::optional<std::string> code;
  std::optional<std::string> message;

  friend bool operator==(const StateReason&, const StateReason&) = default;
};

struct AttributeValue {
  std::optional<std::string> value;
};

struct ProductCode {
  std::optional<std::string> product_code_id;
  std::optional<std::string> product_code_type;  // "devpay" | "marketplace"
};

struct EbsBlockDevice {
  std::optional<bool> delete_on_termination;
  std::optional<int32_t> iops;
  std::optional<std::string> snapshot_id;
  std::optional<int32_t> volume_size;      // GiB
  std::optional<std::string> volume_type;  // standard|io1|io2|gp2|sc1|st1|gp3
  std::optional<std::string> kms_key_id;   // In outputs: the key ARN.
  std::optional<int32_t> throughput;
  std::optional<bool> encrypted;
};

struct BlockDeviceMapping {
  std::optional<std::string> device_name;
  std::optional<std::string> virtual_name;
  std::optional<EbsBlockDevice> ebs;
  std::optional<std::string> no_device;
};

// Exactly one member is set: an account, the group "all", an organization or an OU ARN.
struct LaunchPermission {
  std::optional<std::string> user_id;
  std::optional<std::string> group;
  std::optional<std::string> organization_arn;
  std::optional<std::string> organizational_unit_arn;

  friend bool operator==(const LaunchPermission&, const LaunchPermission&) = default;
};

struct LaunchPermissionModifications {
  std::vector<LaunchPermission> add;
  std::vector<LaunchPermission> remove;
};

struct CreateVolumePermission {
  std::optional<std::string> user_id;
  std::optional<std::string> group;  // "all"

  friend bool operator==(const CreateVolumePermission&, const CreateVolumePermission&) = default;
};

struct CreateVolumePermissionModifications {
  std::vector<CreateVolumePermission> add;
  std::vector<CreateVolumePermission> remove;
};

// ---- Images --------------------------------------------------------------------------------

struct Image {
  std::optional<std::string> platform_details;  // "Linux/UNIX"
  std::optional<std::string> usage_operation;   // "RunInstances"
  std::vector<BlockDeviceMapping> block_device_mappings;
  std::optional<std::string> description;
  std::optional<bool> ena_support;
  std::optional<std::string> hypervisor;         // ovm|xen
  std::optional<std::string> image_owner_alias;  // "amazon" for AWS-owned images
  std::optional<std::string> name;
  std::optional<std::string> root_device_name;
  std::optional<std::string> root_device_type;  // ebs|instance-store
  std::optional<std::string> sriov_net_support;
  std::optional<StateReason> state_reason;
  std::vector<Tag> tags;
  std::optional<std::string> virtualization_type;  // hvm|paravirtual
  std::optional<std::string> boot_mode;
  std::optional<std::string> tpm_support;
  std::optional<std::string> deprecation_time;
  std::optional<std::string> imds_support;
  std::optional<std::string> source_instance_id;
  std::optional<std::string> deregistration_protection;
  std::optional<std::string> last_launched_time;
  std::optional<bool> image_allowed;
  std::optional<std::string> source_image_id;
  std::optional<std::string> source_image_region;
  std::optional<bool> free_tier_eligible;
  std::optional<std::string> image_id;
  std::optional<std::string> image_location;
  std::optional<std::string> state;  // pending|available|invalid|deregistered|transient|failed|...
  std::optional<std::string> owner_id;
  std::optional<std::string> creation_date;  // ISO 8601 with milliseconds, a string in botocore
  std::optional<bool> is_public;             // botocore Public (wire isPublic)
  std::vector<ProductCode> product_codes;
  std::optional<std::string> architecture;  // i386|x86_64|arm64|x86_64_mac|arm64_mac
  std::optional<std::string> image_type;    // machine|kernel|ramdisk
  std::optional<std::string> kernel_id;
  std::optional<std::string> ramdisk_id;
  std::optional<std::string> platform;  // "Windows" or absent
};

struct RegisterImageInput {
  std::string name;
  std::optional<std::string> description;
  std::optional<std::string> architecture;         // default i386, as in AWS
  std::optional<std::string> virtualization_type;  // default paravirtual, as in AWS
  std::optional<std::string> root_device_name;
  std::vector<BlockDeviceMapping> block_device_mappings;
  std::vector<TagSpecification> tag_specifications;  // image|snapshot
  std::optional<bool> ena_support;
  std::optional<std::string> boot_mode;
  std::optional<std::string> tpm_support;
  std::optional<std::string> imds_support;
  std::optional<std::string> image_location;
  std::vector<std::string> billing_products;
  std::optional<std::string> uefi_data;
  std::optional<std::string> kernel_id;
  std::optional<std::string> ramdisk_id;
  std::optional<std::string> sriov_net_support;
  std::optional<bool> dry_run;
};

struct RegisterImageOutput {
  std::optional<std::string> image_id;
};

struct DescribeImagesInput {
  std::vector<std::string> executable_users;  // wire ExecutableBy.N: "self", "all", account ids
  std::vector<std::string> image_ids;
  std::vector<std::string> owners;  // wire Owner.N: "self", "amazon", account ids
  std::optional<bool> include_deprecated;
  std::optional<bool> include_disabled;
  std::optional<int32_t> max_results;
  std::optional<std::string> next_token;
  std::optional<bool> dry_run;
  std::vector<Filter> filters;
};

struct DescribeImagesOutput {
  std::optional<std::string> next_token;
  std::vector<Image> images;
};

struct DeregisterImageInput {
  std::string image_id;
  std::optional<bool> delete_associated_snapshots;
  std::optional<bool> dry_run;
};

struct DeleteSnapshotReturnCode {
  std::optional<std::string> snapshot_id;
  std::optional<std::string> return_code;  // success|skipped|missing-permissions|...
};

struct DeregisterImageOutput {
  std::optional<bool> return_value;  // botocore Return (wire return)
  std::vector<DeleteSnapshotReturnCode> delete_snapshot_results;
};

struct CopyImageInput {
  std::string name;
  std::string source_image_id;
  std::string source_region;
  std::optional<std::string> description;
  std::optional<bool> encrypted;
  std::optional<std::string> kms_key_id;
  std::optional<std::string> client_token;
  std::optional<bool> copy_image_tags;
  std::vector<TagSpecification> tag_specifications;  // image|snapshot
  std::optional<bool> dry_run;
  std::optional<std::string> destination_outpost_arn;
  std::optional<int64_t> snapshot_copy_completion_duration_minutes;
  std::optional<std::string> destination_availability_zone;
  std::optional<std::string> destination_availability_zone_id;
};

struct CopyImageOutput {
  std::optional<std::string> image_id;
};

struct ModifyImageAttributeInput {
  std::string image_id;
  std::optional<std::string> attribute;  // "launchPermission", "description", ...
  std::optional<LaunchPermissionModifications> launch_permission;
  std::optional<std::string> operation_type;  // add|remove (legacy form)
  std::vector<std::string> user_ids;          // legacy form
  std::vector<std::string> user_groups;       // legacy form: "all"
  std::vector<std::string> organization_arns;
  std::vector<std::string> organizational_unit_arns;
  std::optional<AttributeValue> description;
  std::optional<std::string> value;
  std::vector<std::string> product_codes;
  std::optional<AttributeValue> imds_support;
  std::optional<bool> dry_run;
};

struct ModifyImageAttributeOutput {};

struct DescribeImageAttributeInput {
  std::string image_id;
  std::string attribute;  // launchPermission|description|blockDeviceMapping|bootMode|...
  std::optional<bool> dry_run;
};

// botocore ImageAttribute.
struct DescribeImageAttributeOutput {
  std::optional<AttributeValue> description;
  std::optional<AttributeValue> kernel_id;
  std::optional<AttributeValue> ramdisk_id;
  std::optional<AttributeValue> sriov_net_support;
  std::optional<AttributeValue> boot_mode;
  std::optional<AttributeValue> tpm_support;
  std::optional<AttributeValue> uefi_data;
  std::optional<AttributeValue> last_launched_time;
  std::optional<AttributeValue> imds_support;
  std::optional<AttributeValue> deregistration_protection;
  std::optional<std::string> image_id;
  std::vector<LaunchPermission> launch_permissions;
  std::vector<ProductCode> product_codes;
  std::vector<BlockDeviceMapping> block_device_mappings;
};

struct ResetImageAttributeInput {
  std::string image_id;
  std::string attribute;  // "launchPermission"
  std::optional<bool> dry_run;
};

struct ResetImageAttributeOutput {};

// ---- Tags ----------------------------------------------------------------------------------

struct CreateTagsInput {
  std::vector<std::string> resources;  // ami-, snap-, lt-, i- ids
  std::vector<Tag> tags;
  std::optional<bool> dry_run;
};

struct CreateTagsOutput {};

struct DeleteTagsInput {
  std::vector<std::string> resources;
  std::vector<Tag> tags;  // Empty: every tag; a Tag without value: that key whatever its value.
  std::optional<bool> dry_run;
};

struct DeleteTagsOutput {};

struct DescribeTagsInput {
  std::vector<Filter> filters;  // resource-id, resource-type, key, value
  std::optional<int32_t> max_results;
  std::optional<std::string> next_token;
  std::optional<bool> dry_run;
};

struct TagDescription {
  std::optional<std::string> key;
  std::optional<std::string> resource_id;
  std::optional<std::string> resource_type;
  std::optional<std::string> value;
};

struct DescribeTagsOutput {
  std::optional<std::string> next_token;
  std::vector<TagDescription> tags;
};

// ---- Snapshots -----------------------------------------------------------------------------

struct Snapshot {
  std::optional<std::string> owner_alias;
  std::vector<Tag> tags;
  std::optional<std::string> storage_tier;
  std::optional<std::string> sse_type;
  std::optional<std::string> availability_zone;
  std::optional<int64_t> full_snapshot_size_in_bytes;
  std::optional<std::string> snapshot_id;
  std::optional<std::string> volume_id;
  std::optional<std::string> state;  // pending|completed|error|...
  std::optional<std::string> state_message;
  std::optional<Timestamp> start_time;
  std::optional<std::string> progress;
  std::optional<std::string> owner_id;
  std::optional<std::string> description;
  std::optional<int32_t> volume_size;
  std::optional<bool> encrypted;
  std::optional<std::string> kms_key_id;
  std::optional<std::string> data_encryption_key_id;
};

struct DescribeSnapshotsInput {
  std::vector<std::string> snapshot_ids;
  std::vector<std::string> owner_ids;               // wire Owner.N: "self", "amazon", ids
  std::vector<std::string> restorable_by_user_ids;  // wire RestorableBy.N: "self", "all", ids
  std::vector<Filter> filters;
  std::optional<int32_t> max_results;
  std::optional<std::string> next_token;
  std::optional<bool> dry_run;
};

struct DescribeSnapshotsOutput {
  std::optional<std::string> next_token;
  std::vector<Snapshot> snapshots;
};

struct ModifySnapshotAttributeInput {
  std::string snapshot_id;
  std::optional<std::string> attribute;  // "createVolumePermission"
  std::optional<CreateVolumePermissionModifications> create_volume_permission;
  std::optional<std::string> operation_type;  // add|remove (legacy form)
  std::vector<std::string> user_ids;          // legacy form
  std::vector<std::string> group_names;       // legacy form: "all"
  std::optional<bool> dry_run;
};

struct ModifySnapshotAttributeOutput {};

struct DescribeSnapshotAttributeInput {
  std::string snapshot_id;
  std::string attribute;  // createVolumePermission|productCodes
  std::optional<bool> dry_run;
};

struct DescribeSnapshotAttributeOutput {
  std::vector<ProductCode> product_codes;
  std::optional<std::string> snapshot_id;
  std::vector<CreateVolumePermission> create_volume_permissions;
};

struct DeleteSnapshotInput {
  std::string snapshot_id;
  std::optional<bool> dry_run;
};

struct DeleteSnapshotOutput {};

// ---- EBS encryption by default -------------------------------------------------------------

struct GetEbsEncryptionByDefaultInput {
  std::optional<bool> dry_run;
};

struct GetEbsEncryptionByDefaultOutput {
  std::optional<bool> ebs_encryption_by_default;
  std::optional<std::string> sse_type;
};

struct EnableEbsEncryptionByDefaultInput {
  std::optional<bool> dry_run;
};

struct EnableEbsEncryptionByDefaultOutput {
  std::optional<bool> ebs_encryption_by_default;
};

struct DisableEbsEncryptionByDefaultInput {
  std::optional<bool> dry_run;
};

struct DisableEbsEncryptionByDefaultOutput {
  std::optional<bool> ebs_encryption_by_default;
};

struct GetEbsDefaultKmsKeyIdInput {
  std::optional<bool> dry_run;
};

struct GetEbsDefaultKmsKeyIdOutput {
  std::optional<std::string> kms_key_id;
};

struct ModifyEbsDefaultKmsKeyIdInput {
  std::string kms_key_id;
  std::optional<bool> dry_run;
};

struct ModifyEbsDefaultKmsKeyIdOutput {
  std::optional<std::string> kms_key_id;
};

// ---- Launch templates ----------------------------------------------------------------------

struct LaunchTemplateEbsBlockDeviceRequest {
  std::optional<bool> encrypted;
  std::optional<bool> delete_on_termination;
  std::optional<int32_t> iops;
  std::optional<std::string> kms_key_id;
  std::optional<std::string> snapshot_id;
  std::optional<int32_t> volume_size;
  std::optional<std::string> volume_type;
  std::optional<int32_t> throughput;

  friend bool operator==(const LaunchTemplateEbsBlockDeviceRequest&,
                         const LaunchTemplateEbsBlockDeviceRequest&) = default;
};

struct LaunchTemplateBlockDeviceMappingRequest {
  std::optional<std::string> device_name;
  std::optional<std::string> virtual_name;
  std::optional<LaunchTemplateEbsBlockDeviceRequest> ebs;
  std::optional<std::string> no_device;

  friend bool operator==(const LaunchTemplateBlockDeviceMappingRequest&,
                         const LaunchTemplateBlockDeviceMappingRequest&) = default;
};

struct LaunchTemplateTagSpecificationRequest {
  std::optional<std::string> resource_type;  // instance|volume|network-interface|...
  std::vector<Tag> tags;

  friend bool operator==(const LaunchTemplateTagSpecificationRequest&,
                         const LaunchTemplateTagSpecificationRequest&) = default;
};

// The modelled subset of botocore RequestLaunchTemplateData (the new AMI id is what Image Builder
// changes; the rest is carried so that versions inherit it).
struct RequestLaunchTemplateData {
  std::optional<std::string> kernel_id;
  std::optional<bool> ebs_optimized;
  std::vector<LaunchTemplateBlockDeviceMappingRequest> block_device_mappings;
  std::optional<std::string> image_id;
  std::optional<std::string> instance_type;
  std::optional<std::string> key_name;
  std::optional<std::string> ram_disk_id;
  std::optional<bool> disable_api_termination;
  std::optional<std::string> instance_initiated_shutdown_behavior;
  std::optional<std::string> user_data;
  std::vector<LaunchTemplateTagSpecificationRequest> tag_specifications;
  std::vector<std::string> security_group_ids;
  std::vector<std::string> security_groups;

  friend bool operator==(const RequestLaunchTemplateData&,
                         const RequestLaunchTemplateData&) = default;
};

// botocore's response shapes carry the same member names for the modelled subset.
using LaunchTemplateEbsBlockDevice = LaunchTemplateEbsBlockDeviceRequest;
using LaunchTemplateBlockDeviceMapping = LaunchTemplateBlockDeviceMappingRequest;
using LaunchTemplateTagSpecification = LaunchTemplateTagSpecificationRequest;
using ResponseLaunchTemplateData = RequestLaunchTemplateData;

struct LaunchTemplate {
  std::optional<std::string> launch_template_id;
  std::optional<std::string> launch_template_name;
  std::optional<Timestamp> create_time;
  std::optional<std::string> created_by;  // The creator's ARN.
  std::optional<int64_t> default_version_number;
  std::optional<int64_t> latest_version_number;
  std::vector<Tag> tags;
};

struct LaunchTemplateVersion {
  std::optional<std::string> launch_template_id;
  std::optional<std::string> launch_template_name;
  std::optional<int64_t> version_number;
  std::optional<std::string> version_description;
  std::optional<Timestamp> create_time;
  std::optional<std::string> created_by;
  std::optional<bool> default_version;
  std::optional<ResponseLaunchTemplateData> launch_template_data;
};

struct ValidationError {
  std::optional<std::string> code;
  std::optional<std::string> message;
};

struct ValidationWarning {
  std::vector<ValidationError> errors;
};

struct CreateLaunchTemplateInput {
  std::string launch_template_name;
  RequestLaunchTemplateData launch_template_data;
  std::optional<std::string> version_description;
  std::vector<TagSpecification> tag_specifications;  // resource type "launch-template"
  std::optional<std::string> client_token;
  std::optional<bool> dry_run;
};

struct CreateLaunchTemplateOutput {
  std::optional<LaunchTemplate> launch_template;
  std::optional<ValidationWarning> warning;
};

struct CreateLaunchTemplateVersionInput {
  std::optional<std::string> launch_template_id;
  std::optional<std::string> launch_template_name;
  std::optional<std::string> source_version;  // a number, "$Latest" or "$Default"
  std::optional<std::string> version_description;
  RequestLaunchTemplateData launch_template_data;
  std::optional<std::string> client_token;
  std::optional<bool> resolve_alias;
  std::optional<bool> dry_run;
};

struct CreateLaunchTemplateVersionOutput {
  std::optional<LaunchTemplateVersion> launch_template_version;
  std::optional<ValidationWarning> warning;
};

struct ModifyLaunchTemplateInput {
  std::optional<std::string> launch_template_id;
  std::optional<std::string> launch_template_name;
  std::optional<std::string> default_version;  // wire SetDefaultVersion
  std::optional<std::string> client_token;
  std::optional<bool> dry_run;
};

struct ModifyLaunchTemplateOutput {
  std::optional<LaunchTemplate> launch_template;
};

struct DescribeLaunchTemplatesInput {
  std::vector<std::string> launch_template_ids;
  std::vector<std::string> launch_template_names;
  std::vector<Filter> filters;         // launch-template-name, create-time, tag:<key>, tag-key
  std::optional<int32_t> max_results;  // 1-200
  std::optional<std::string> next_token;
  std::optional<bool> dry_run;
};

struct DescribeLaunchTemplatesOutput {
  std::vector<LaunchTemplate> launch_templates;
  std::optional<std::string> next_token;
};

struct DescribeLaunchTemplateVersionsInput {
  std::optional<std::string> launch_template_id;
  std::optional<std::string> launch_template_name;
  std::vector<std::string> versions;  // wire LaunchTemplateVersion.N: numbers, $Latest, $Default
  std::optional<std::string> min_version;
  std::optional<std::string> max_version;
  std::vector<Filter> filters;  // image-id, instance-type, is-default-version
  std::optional<int32_t> max_results;
  std::optional<std::string> next_token;
  std::optional<bool> resolve_alias;
  std::optional<bool> dry_run;
};

struct DescribeLaunchTemplateVersionsOutput {
  std::vector<LaunchTemplateVersion> launch_template_versions;
  std::optional<std::string> next_token;
};

struct DeleteLaunchTemplateInput {
  std::optional<std::string> launch_template_id;
  std::optional<std::string> launch_template_name;
  std::optional<bool> dry_run;
};

struct DeleteLaunchTemplateOutput {
  std::optional<LaunchTemplate> launch_template;
};

// ---- Instances -----------------------------------------------------------------------------

struct LaunchTemplateSpecification {
  std::optional<std::string> launch_template_id;
  std::optional<std::string> launch_template_name;
  std::optional<std::string> version;  // a number, "$Latest" or "$Default" (default: $Default)
};

struct InstanceState {
  std::optional<int32_t> code;      // 0 pending, 16 running, 48 terminated, ...
  std::optional<std::string> name;  // pending|running|shutting-down|terminated|stopping|stopped
};

struct Placement {
  std::optional<std::string> availability_zone;
};

struct Instance {
  std::optional<std::string> architecture;
  std::optional<std::string> client_token;
  std::optional<std::string> root_device_name;
  std::optional<std::string> root_device_type;
  std::optional<StateReason> state_reason;
  std::vector<Tag> tags;
  std::optional<std::string> virtualization_type;
  std::optional<std::string> platform_details;
  std::optional<std::string> instance_id;
  std::optional<std::string> image_id;
  std::optional<InstanceState> state;
  std::optional<std::string> state_transition_reason;
  std::optional<std::string> key_name;
  std::optional<int32_t> ami_launch_index;
  std::optional<std::string> instance_type;
  std::optional<Timestamp> launch_time;
  std::optional<Placement> placement;
};

struct RunInstancesInput {
  std::optional<std::string> image_id;
  std::optional<std::string> instance_type;
  int32_t min_count = 1;
  int32_t max_count = 1;
  std::optional<LaunchTemplateSpecification> launch_template;
  std::vector<TagSpecification> tag_specifications;  // instance|volume
  std::optional<std::string> key_name;
  std::vector<std::string> security_group_ids;
  std::optional<std::string> subnet_id;
  std::optional<std::string> user_data;
  std::vector<BlockDeviceMapping> block_device_mappings;
  std::optional<std::string> client_token;
  std::optional<bool> dry_run;
};

// botocore Reservation (RunInstances' output shape).
struct Reservation {
  std::optional<std::string> reservation_id;
  std::optional<std::string> owner_id;
  std::optional<std::string> requester_id;
  std::vector<Instance> instances;
};

using RunInstancesOutput = Reservation;

struct DescribeInstancesInput {
  std::vector<std::string> instance_ids;
  std::vector<Filter> filters;  // instance-id, image-id, instance-state-name, tag:<key>, tag-key
  std::optional<int32_t> max_results;
  std::optional<std::string> next_token;
  std::optional<bool> dry_run;
};

struct DescribeInstancesOutput {
  std::optional<std::string> next_token;
  std::vector<Reservation> reservations;
};

// ---- CreateImage and TerminateInstances (Image Builder's builds).

struct CreateImageInput {
  std::optional<std::string> instance_id;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<bool> no_reboot;
  std::vector<BlockDeviceMapping> block_device_mappings;
  std::vector<TagSpecification> tag_specifications;  // image|snapshot
  std::optional<bool> dry_run;
};

struct CreateImageOutput {
  std::optional<std::string> image_id;
};

struct TerminateInstancesInput {
  std::vector<std::string> instance_ids;
  std::optional<bool> dry_run;
};

struct InstanceStateChange {
  std::optional<std::string> instance_id;
  std::optional<InstanceState> current_state;
  std::optional<InstanceState> previous_state;
};

struct TerminateInstancesOutput {
  std::vector<InstanceStateChange> terminating_instances;
};

}  // namespace ibsim::mock_aws::api::ec2
