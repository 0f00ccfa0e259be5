#pragma once
// The EC2 model's state, one record per resource: images, snapshots (with their real ciphertext),
// launch templates and instances. Records are compact because a load run holds hundreds of
// thousands of copies: ids inline, enums instead of strings, sharing and failure details behind a
// pointer that stays null for the common case. Checkers read these through Ec2Model's accessors;
// only the model writes them.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mock_aws/api/ec2_types.h"
#include "mock_aws/api/ids.h"
#include "mock_aws/crypto/aes_gcm.h"
#include "mock_aws/ec2/ec2_ids.h"
#include "mock_aws/kms/kms_ebs.h"
#include "sim/base/result.h"

namespace ibsim::mock_aws::ec2 {

// Tags by key; ordered because DescribeTags and Describe* outputs list them.
using TagMap = std::map<std::string, std::string>;

enum class ImageState : uint8_t { kPending, kAvailable, kFailed };

std::string_view to_string(ImageState state);  // "pending", "available", "failed"

enum class Architecture : uint8_t { kI386, kX86_64, kArm64, kX86_64Mac, kArm64Mac };

std::string_view to_string(Architecture arch);
std::optional<Architecture> parse_architecture(std::string_view text);

enum class Virtualization : uint8_t { kHvm, kParavirtual };

std::string_view to_string(Virtualization v);  // "hvm", "paravirtual"
std::optional<Virtualization> parse_virtualization(std::string_view text);

// launchPermission of an image: who besides the owner may launch (and see, and copy) it.
struct LaunchPermissions {
  bool is_public = false;  // group "all"
  std::set<api::AccountId> user_ids;
  std::set<std::string> organization_arns;
  std::set<std::string> organizational_unit_arns;

  bool empty() const {
    return !is_public && user_ids.empty() && organization_arns.empty()
           && organizational_unit_arns.empty();
  }

  std::size_t entity_count() const {
    return user_ids.size() + organization_arns.size() + organizational_unit_arns.size();
  }
};

struct ImageBlockDevice {
  std::string device_name;  // "/dev/xvda"
  ResourceId snapshot_id;   // Empty while the copy that creates it is pending.
  int32_t volume_size_gib = 8;
  std::string volume_type = "gp3";
  bool delete_on_termination = true;
  bool encrypted = false;  // For pending copies: what the copy will produce.
};

// Why an image failed: AWS's StateReason, and ibsim's account of it (the KMS or EC2 error that
// caused it, with the policy explanation), which AWS never shows but checkers and reports do.
struct ImageFailure {
  api::ec2::StateReason state_reason;
  sim::AwsError cause;
};

struct ImageRecord {
  ResourceId id;
  api::AccountId owner;
  bool amazon_owned = false;  // Owner alias "amazon" (AWS's public catalogue).
  ImageState state = ImageState::kAvailable;
  Architecture architecture = Architecture::kX86_64;
  Virtualization virtualization = Virtualization::kHvm;
  bool ena_support = true;
  std::string name;
  std::string description;
  std::string root_device_name = "/dev/xvda";
  std::string boot_mode;  // Empty: not set.
  int64_t creation_unix_ms = 0;
  std::vector<ImageBlockDevice> block_devices;
  TagMap tags;
  std::unique_ptr<LaunchPermissions> launch_permissions;  // Null: private.
  std::unique_ptr<ImageFailure> failure;                  // Set when state is kFailed.
  ResourceId source_image_id;                             // Copies only.
  api::Region source_region;
  uint64_t copy_job = 0;  // The pending copy that produces this image; 0 when none.

  bool is_public() const { return launch_permissions != nullptr && launch_permissions->is_public; }
};

// createVolumePermission of a snapshot.
struct VolumePermissions {
  bool is_public = false;  // group "all"
  std::set<api::AccountId> user_ids;
};

struct SnapshotRecord {
  ResourceId id;
  api::AccountId owner;
  bool amazon_owned = false;
  std::string description;
  int32_t volume_size_gib = 8;
  int64_t start_unix_ms = 0;
  bool encrypted = false;
  // Encrypted snapshots: the data key as KMS wrapped it, the GCM IV, and `content` is
  // ciphertext || tag with the snapshot id as AAD. Unencrypted: `content` is the plaintext, shared
  // between copies (it never changes).
  std::unique_ptr<kms::WrappedDataKey> data_key;
  crypto::GcmIv iv{};
  std::shared_ptr<const std::vector<uint8_t>> content;
  TagMap tags;
  std::unique_ptr<VolumePermissions> volume_permissions;  // Null: private.
  // Snapshots made by CopyImage: where they came from (their AWS description is built from
  // these when described, rather than stored as text per snapshot).
  ResourceId copied_for_image;
  ResourceId copied_from_image;
  ResourceId copied_from_snapshot;

  // The modelled size that copies move (separate from the few KiB of real content).
  uint64_t size_bytes() const { return static_cast<uint64_t>(volume_size_gib) << 30; }

  const std::string& kms_key_arn() const;  // Empty for unencrypted snapshots.
};

struct LaunchTemplateVersionRecord {
  int64_t number = 1;
  std::string description;
  int64_t create_unix_ms = 0;
  std::string created_by;
  api::ec2::RequestLaunchTemplateData data;
};

struct LaunchTemplateRecord {
  ResourceId id;
  std::string name;
  int64_t create_unix_ms = 0;
  std::string created_by;
  int64_t default_version = 1;
  int64_t latest_version = 1;
  TagMap tags;
  std::map<int64_t, LaunchTemplateVersionRecord> versions;
};

enum class InstanceStateName : uint8_t { kPending, kRunning, kTerminated };

std::string_view to_string(InstanceStateName state);
int32_t instance_state_code(InstanceStateName state);  // 0, 16, 48

// A volume of an instance: its EBS settings, the key it is encrypted under, and its content
// (plaintext, known once the instance runs), from which CreateImage makes snapshots.
struct InstanceVolume {
  std::string device_name;
  int32_t volume_size_gib = 8;
  std::string volume_type = "gp3";
  bool delete_on_termination = true;
  bool encrypted = false;
  std::string kms_key_arn;  // Encrypted volumes, once the instance runs.
  std::shared_ptr<const std::vector<uint8_t>> content;
};

struct InstanceRecord {
  ResourceId id;
  ResourceId image_id;
  ResourceId reservation_id;
  std::string requester_arn;
  std::string instance_type;
  std::string key_name;
  std::string client_token;
  InstanceStateName state = InstanceStateName::kPending;
  std::optional<api::ec2::StateReason> state_reason;
  Architecture architecture = Architecture::kX86_64;
  Virtualization virtualization = Virtualization::kHvm;
  std::string root_device_name;
  int32_t launch_index = 0;
  int64_t launch_unix_ms = 0;
  TagMap tags;
  std::vector<InstanceVolume> volumes;
  std::optional<sim::AwsError> launch_failure;  // ibsim's account of a failed launch.
};

}  // namespace ibsim::mock_aws::ec2
