#pragma once
// The typed AWS clients the distribution engine talks through, and the factory that makes them.
// Each client is bound to one Identity and one regional endpoint, takes the api:: input structs
// and returns sim::Result<api:: output> — an AWS error, or a transport failure marked as described
// in call_error.h. The interfaces are transport-neutral: the direct transport calls the models
// in-process (src/scenario/direct_clients.h); the wire and HTTP transports (later) encode the same
// structs. Calls are synchronous: in the simulation a call takes no virtual time, and everything
// that does take time (copies, launches) is observed by polling Describe* calls.
//
//   std::unique_ptr<Ec2Client> ec2 = factory.ec2(identity, region);
//   sim::Result<api::ec2::CopyImageOutput> out = ec2->copy_image({...});

#include <memory>
#include <optional>
#include <string_view>

#include "mock_aws/api/ec2_types.h"
#include "mock_aws/api/iam_types.h"
#include "mock_aws/api/ids.h"
#include "mock_aws/api/ssm_types.h"
#include "mock_aws/api/sts_types.h"
#include "sim/base/result.h"
#include "sim/time.h"
#include "src/client/identity.h"

namespace ibsim::client {

namespace ec2 = mock_aws::api::ec2;
namespace sts = mock_aws::api::sts;
namespace iam = mock_aws::api::iam;
namespace ssm = mock_aws::api::ssm;

class Ec2Client {
 public:
  virtual ~Ec2Client() = default;

  // ---- Images
  virtual sim::Result<ec2::DescribeImagesOutput> describe_images(
      const ec2::DescribeImagesInput& in) = 0;
  virtual sim::Result<ec2::CopyImageOutput> copy_image(const ec2::CopyImageInput& in) = 0;
  virtual sim::Result<ec2::ModifyImageAttributeOutput> modify_image_attribute(
      const ec2::ModifyImageAttributeInput& in) = 0;
  virtual sim::Result<ec2::CreateImageOutput> create_image(const ec2::CreateImageInput& in) = 0;

  // ---- Snapshots and tags
  virtual sim::Result<ec2::DescribeSnapshotsOutput> describe_snapshots(
      const ec2::DescribeSnapshotsInput& in) = 0;
  virtual sim::Result<ec2::ModifySnapshotAttributeOutput> modify_snapshot_attribute(
      const ec2::ModifySnapshotAttributeInput& in) = 0;
  virtual sim::Result<ec2::CreateTagsOutput> create_tags(const ec2::CreateTagsInput& in) = 0;

  // ---- Instances
  virtual sim::Result<ec2::RunInstancesOutput> run_instances(const ec2::RunInstancesInput& in) = 0;
  virtual sim::Result<ec2::DescribeInstancesOutput> describe_instances(
      const ec2::DescribeInstancesInput& in) = 0;
  virtual sim::Result<ec2::TerminateInstancesOutput> terminate_instances(
      const ec2::TerminateInstancesInput& in) = 0;

  // ---- Launch templates
  virtual sim::Result<ec2::DescribeLaunchTemplatesOutput> describe_launch_templates(
      const ec2::DescribeLaunchTemplatesInput& in) = 0;
  virtual sim::Result<ec2::DescribeLaunchTemplateVersionsOutput> describe_launch_template_versions(
      const ec2::DescribeLaunchTemplateVersionsInput& in) = 0;
  virtual sim::Result<ec2::CreateLaunchTemplateVersionOutput> create_launch_template_version(
      const ec2::CreateLaunchTemplateVersionInput& in) = 0;
  virtual sim::Result<ec2::ModifyLaunchTemplateOutput> modify_launch_template(
      const ec2::ModifyLaunchTemplateInput& in) = 0;

  // ---- EBS encryption by default
  virtual sim::Result<ec2::GetEbsDefaultKmsKeyIdOutput> get_ebs_default_kms_key_id(
      const ec2::GetEbsDefaultKmsKeyIdInput& in) = 0;
  virtual sim::Result<ec2::GetEbsEncryptionByDefaultOutput> get_ebs_encryption_by_default(
      const ec2::GetEbsEncryptionByDefaultInput& in) = 0;

  // ibsim's extension, not an AWS operation: why an image this identity can see ended `failed`,
  // as the service recorded it (the KMS or EC2 error with its policy explanation) — what AWS
  // keeps to itself behind "Copy image failed with an internal error". Transports that cannot
  // know (HTTP to real AWS) return nullopt; the engine then explains from the StateReason alone.
  virtual std::optional<sim::AwsError> image_failure_cause(std::string_view image_id) {
    (void)image_id;
    return std::nullopt;
  }
};

class StsClient {
 public:
  virtual ~StsClient() = default;

  virtual sim::Result<sts::AssumeRoleOutput> assume_role(const sts::AssumeRoleInput& in) = 0;
  virtual sim::Result<sts::GetCallerIdentityOutput> get_caller_identity(
      const sts::GetCallerIdentityInput& in) = 0;
};

class IamClient {
 public:
  virtual ~IamClient() = default;

  virtual sim::Result<iam::GetInstanceProfileOutput> get_instance_profile(
      const iam::GetInstanceProfileInput& in) = 0;
  virtual sim::Result<iam::GetRoleOutput> get_role(const iam::GetRoleInput& in) = 0;
};

class SsmClient {
 public:
  virtual ~SsmClient() = default;

  virtual sim::Result<ssm::PutParameterOutput> put_parameter(const ssm::PutParameterInput& in) = 0;
};

// Makes clients for an identity at a regional endpoint. IAM is global (its endpoint signs for
// us-east-1), so its client takes no region. Clients may be kept and reused; each is used from
// the simulation thread only.
class ClientFactory {
 public:
  virtual ~ClientFactory() = default;

  virtual std::unique_ptr<Ec2Client> ec2(const Identity& identity,
                                         const mock_aws::api::Region& region) = 0;
  virtual std::unique_ptr<StsClient> sts(const Identity& identity,
                                         const mock_aws::api::Region& region) = 0;
  virtual std::unique_ptr<IamClient> iam(const Identity& identity) = 0;
  virtual std::unique_ptr<SsmClient> ssm(const Identity& identity,
                                         const mock_aws::api::Region& region) = 0;

  // Virtual time the calls made since the last take spent in flight. Calls take no virtual time
  // in the simulation; a fault plan's latency (src/faults) is reported here, and the engine waits
  // it out before the job's next step. Zero for transports that model no latency.
  virtual sim::Duration take_call_latency() { return sim::Duration::zero(); }
};

}  // namespace ibsim::client
