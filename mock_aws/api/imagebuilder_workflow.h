#pragma once
// Workflow (in api because both mock_aws/imagebuilder and src/engine use it): how Image Builder's
// model hands the AWS-facing work of a build to the distribution engine. The model owns the image's
// lifecycle (status, timing of phases, failure reasons as the API shows them); the engine, wired in
// by the composition root, makes the EC2/STS/KMS/SSM calls as the account's service-linked role and
// as the target accounts' cross-account role — exactly as it would against real AWS — and reports
// back through the callbacks. The plans are plain data so neither side depends on the other's
// types.
//
//   workflow.build(plan, [this, arn](BuildResult r) { on_build_done(arn, std::move(r)); });

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock_aws/api/ids.h"
#include "sim/time.h"

namespace ibsim::mock_aws::api::imagebuilder {

// ---- Build: make the output AMI in the owner account and build region.

struct BlockDevice {
  std::string device_name;  // "/dev/xvda"
  std::optional<bool> encrypted;
  std::string kms_key_id;  // As written in the recipe (id, ARN, alias); empty: default key.
  std::optional<int64_t> volume_size_gib;
  std::string volume_type;
  std::optional<bool> delete_on_termination;
  bool no_device = false;
};

struct BuildPlan {
  std::string image_arn;  // The image build version ARN.
  api::AccountId owner;
  api::Region region;
  std::string parent_ami_id;  // Resolved by the model to an AMI id in `region`.
  std::vector<BlockDevice> block_devices;
  std::string instance_profile_name;
  std::string ami_name;  // Name of the output AMI.
  std::string ami_description;
  std::map<std::string, std::string>
      ami_tags;  // Tags for the output AMI (CreatedBy, Ec2ImageBuilderArn, ...).
};

struct BuildResult {
  bool ok = false;
  std::string ami_id;       // With ok.
  std::string reason;       // Without ok: the image's state reason as Image Builder shows it.
  std::string explanation;  // ibsim's explanation (JSON text) of a denial, if any.
};

// ---- Distribution: one image, many regions, many accounts.

struct LaunchPermissionPlan {
  std::vector<std::string> user_ids;
  std::vector<std::string> user_groups;
  std::vector<std::string> organization_arns;
  std::vector<std::string> organizational_unit_arns;
};

struct AmiDistributionPlan {
  std::string name;  // Placeholders already expanded by the model.
  std::string description;
  std::vector<api::AccountId> target_account_ids;
  std::string kms_key_id;  // Empty: no re-encryption requested.
  std::map<std::string, std::string> ami_tags;
  std::optional<LaunchPermissionPlan> launch_permission;
};

struct LaunchTemplatePlan {
  std::string launch_template_id;
  std::optional<api::AccountId> account_id;  // Empty: the owner account.
  bool set_default_version = false;
};

struct SsmParameterPlan {
  std::string parameter_name;
  std::optional<api::AccountId> ami_account_id;  // Empty: the owner account.
  std::string data_type;                         // "text" or "aws:ec2:image"; empty: default.
};

struct RegionPlan {
  api::Region region;
  std::optional<AmiDistributionPlan> ami;
  std::vector<LaunchTemplatePlan> launch_templates;
  std::vector<SsmParameterPlan> ssm_parameters;
  // Settings stored and returned by the API but not simulated (container, fast launch, S3
  // export, license configurations): reported as not simulated, never silently ignored.
  std::vector<std::string> not_simulated;
};

struct DistributionPlan {
  std::string image_arn;
  std::string distribution_configuration_arn;
  api::AccountId owner;
  api::Region source_region;
  std::string source_ami_id;
  std::vector<RegionPlan> regions;
  sim::Duration timeout = sim::Duration::minutes(720);
};

// One entry of outputResources.amis.
struct OutputAmi {
  api::Region region;
  std::string image;  // AMI id.
  std::string name;
  std::string description;
  std::string status;  // "AVAILABLE" / "FAILED" / ... as Image Builder reports an AMI's state.
  std::string reason;
  api::AccountId account_id;
};

// Why one distribution job (one region × account) failed, for ibsim's report.
struct JobFailure {
  api::Region region;
  api::AccountId account_id;
  std::string step;         // "CopyImage", "AssumeRole", "ModifySnapshotAttribute", ...
  std::string aws_error;    // The message as AWS reports it inside the image's reason.
  std::string explanation;  // ibsim's explanation JSON: what was denied, where, and the fix.
};

struct DistributionResult {
  bool ok = false;
  std::string reason;  // Without ok: "Distribution failed with JobId '...', status = 'Failed' ..."
  std::vector<OutputAmi> amis;
  std::vector<JobFailure> failures;
  std::vector<std::string> notes;  // Not-simulated settings and similar remarks.
};

class Workflow {
 public:
  virtual ~Workflow() = default;

  // Both calls return at once; `done` runs later, from a scheduled event, exactly once (unless
  // cancelled first).
  virtual void build(const BuildPlan& plan, std::function<void(BuildResult)> done) = 0;
  virtual void distribute(const DistributionPlan& plan,
                          std::function<void(DistributionResult)> done) = 0;
  // Stops the work for an image (CancelImageCreation); its callbacks never run afterwards.
  virtual void cancel(std::string_view image_arn) = 0;
};

}  // namespace ibsim::mock_aws::api::imagebuilder
