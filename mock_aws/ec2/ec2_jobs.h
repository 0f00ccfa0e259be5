#pragma once
// The model's in-flight work (internal to mock_aws/ec2): an AMI copy between CopyImage and its
// end, and a RunInstances launch between the call and the instances running. Each holds the
// caller's CallContext because the KMS calls made later are made for that caller.

#include <cstdint>
#include <string>
#include <vector>

#include "mock_aws/api/call_context.h"
#include "mock_aws/api/ids.h"
#include "mock_aws/crypto/aes_gcm.h"
#include "mock_aws/ec2/ec2_ids.h"
#include "mock_aws/ec2/ec2_model.h"
#include "mock_aws/ec2/ec2_records.h"
#include "mock_aws/kms/kms_ebs.h"
#include "sim/scheduler.h"
#include "sim/time.h"

namespace ibsim::mock_aws::ec2 {

struct Ec2Model::CopyJob {
  uint64_t id = 0;
  api::CallContext caller;  // The copying principal; KMS calls are made for it via EC2.
  api::AccountId account;   // Destination account (the caller's).
  api::Region region;       // Destination region.
  ResourceId image_id;      // The new image.
  api::AccountId source_owner;
  api::Region source_region;
  ResourceId source_image_id;
  std::vector<ResourceId> source_snapshots;  // One per block device, in order.
  // Where the copy lives, resolved once: region and account states are never removed, and the
  // image is removed only by DeregisterImage, which cancels the copy first.
  RegionState* source_state = nullptr;
  RegionState* destination_state = nullptr;
  AccountRegionState* destination_account = nullptr;
  ImageRecord* image = nullptr;
  // Encrypted=true or encryption by default: every snapshot of the copy is encrypted.
  bool encrypt_all = false;
  std::string kms_key_ref;          // KmsKeyId as given; empty: the default key.
  std::string destination_key_arn;  // Resolved by the setup step when a snapshot needs it.
  TagMap snapshot_tags;
  sim::Instant started;
  sim::Duration duration;      // Setup latency + transfer, fixed at start.
  sim::Duration stalled;       // Steps postponed by the fault hook, in all.
  uint32_t postponements = 0;  // Of the current step.
  sim::EventId event;
};

// One volume to create at launch: its settings, and the snapshot it starts from (captured at
// RunInstances, so a later DeleteSnapshot does not change what the instance boots).
struct Ec2Model::LaunchVolume {
  InstanceVolume volume;  // encrypted decided at RunInstances; kms_key_arn and content at launch.
  std::string key_ref;    // KmsKeyId as given; empty: the snapshot's key or the default key.
  ResourceId source_snapshot;  // Empty for a new empty volume.
  bool source_encrypted = false;
  std::shared_ptr<const std::vector<uint8_t>> source_content;
  crypto::GcmIv source_iv{};
  kms::WrappedDataKey source_key;  // Encrypted sources only.
};

struct Ec2Model::LaunchJob {
  uint64_t id = 0;
  api::CallContext caller;
  api::AccountId account;
  api::Region region;
  std::vector<ResourceId> instance_ids;
  std::vector<LaunchVolume> volumes;
};

// CreateImage between the call and the image becoming available.
struct Ec2Model::ImageJob {
  uint64_t id = 0;
  api::CallContext caller;
  api::AccountId account;
  api::Region region;
  ResourceId image_id;
  ResourceId instance_id;
  std::vector<InstanceVolume> volumes;
  TagMap snapshot_tags;
  sim::Instant started;
};

}  // namespace ibsim::mock_aws::ec2
