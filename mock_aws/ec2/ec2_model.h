#pragma once
// Ec2Model: the EC2 of one simulated world — AMIs and their snapshots per region, launch and
// createVolume permissions, tags, EBS encryption by default, launch templates, instances, and
// CopyImage as an asynchronous job in virtual time that really unwraps the source data keys and
// rewraps them under the destination key (through kms::EbsKeyService), re-encrypting the
// snapshot content with AES-256-GCM. Every operation authorizes through auth::Authorizer first
// (UnauthorizedOperation with an encoded message for mutating calls), then applies EC2's own
// checks: visibility and launch permissions, snapshot permissions, quotas, copy caps.
// Sim thread only. docs/ec2.md describes the behaviour; mock_aws/ec2/README.md the deviations.
//
//   Ec2Model ec2(ctx, authorizer, kms, {});
//   auto out = ec2.copy_image(call, {.name = "app", .source_image_id = id,
//                                    .source_region = "us-east-1", .encrypted = true});
//   ctx.scheduler().run();   // the copy becomes available (or failed) in virtual time

#include <array>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mock_aws/api/call_context.h"
#include "mock_aws/api/ec2_types.h"
#include "mock_aws/api/ids.h"
#include "mock_aws/auth/authorization_message.h"
#include "mock_aws/auth/authorizer.h"
#include "mock_aws/ec2/copy_time_model.h"
#include "mock_aws/ec2/ec2_ids.h"
#include "mock_aws/ec2/ec2_records.h"
#include "mock_aws/kms/kms_ebs.h"
#include "mock_aws/policy/policy.h"
#include "sim/base/result.h"
#include "sim/context.h"
#include "sim/limits/token_bucket.h"
#include "sim/rng.h"

namespace ibsim::mock_aws::ec2 {

// EC2's request-rate classes (EC2 API throttling uses one token bucket per class and account).
enum class ActionClass : uint8_t { kNonMutating, kMutating, kResourceIntensive };

inline constexpr std::size_t kActionClassCount = 3;

class Ec2Model {
 public:
  struct RequestRateOptions {
    bool enabled = false;  // Off by default: scenarios turn throttling on explicitly.
    // Unconfirmed: EC2 request-rate buckets of 20/s burst 100 (non-mutating), 5/s burst 50
    // (mutating) and 5/s burst 50 (resource-intensive), after EC2's documented defaults.
    sim::TokenBucket::Options non_mutating{.rate_per_sec = 20, .burst = 100};
    sim::TokenBucket::Options mutating{.rate_per_sec = 5, .burst = 50};
    sim::TokenBucket::Options resource_intensive{.rate_per_sec = 5, .burst = 50};
  };

  struct Options {
    // Concurrent AMI copies per (destination account, destination region). The seed behaviour
    // and Image Builder say 50; current EC2 documentation says 300 (aws-facts §3.2).
    uint32_t copy_concurrency_limit = 50;
    // Where "You do not have permission to access the storage of this ami" surfaces. AWS answers
    // CopyImage itself with InvalidRequest (observed with the CLI), so false by default; true
    // makes it an asynchronous failure of the copy instead.
    bool storage_permission_check_async = false;
    CopyTimeModel::Options copy_time;
    RequestRateOptions request_rate;
    uint32_t public_images_per_region_max = 5;   // EC2 quota "public AMIs" (aws-facts §3.4)
    uint32_t image_sharing_entities_max = 1000;  // accounts + orgs + OUs per AMI
    uint32_t tags_per_resource_max = 50;
    // Unconfirmed: 5,000 launch templates per region (the current quota was not checked).
    uint32_t launch_templates_per_region_max = 5000;
    uint32_t launch_template_versions_max = 10000;
    std::size_t snapshot_content_bytes = 4096;  // Real bytes per snapshot (its size is modelled).
    sim::Duration instance_launch_latency = sim::Duration::seconds(5);
  };

  static constexpr std::size_t kSnapshotContentBytesMax = 1 << 20;
  static constexpr uint32_t kCopyConcurrencyLimitMax = 1'000'000;

  // InvalidParameterValue naming the first option out of range.
  static sim::Status validate(const Options& options);

  // `options` must pass validate(). The authorizer and the key service outlive the model.
  Ec2Model(sim::Context& ctx,
           auth::Authorizer& authorizer,
           kms::EbsKeyService& ebs_keys,
           Options options);
  ~Ec2Model();

  Ec2Model(const Ec2Model&) = delete;
  Ec2Model& operator=(const Ec2Model&) = delete;

  // ---- Images ----
  sim::Result<api::ec2::RegisterImageOutput> register_image(const api::CallContext& ctx,
                                                            const api::ec2::RegisterImageInput& in);
  sim::Result<api::ec2::DescribeImagesOutput> describe_images(
      const api::CallContext& ctx, const api::ec2::DescribeImagesInput& in) const;
  sim::Result<api::ec2::DeregisterImageOutput> deregister_image(
      const api::CallContext& ctx, const api::ec2::DeregisterImageInput& in);
  sim::Result<api::ec2::CopyImageOutput> copy_image(const api::CallContext& ctx,
                                                    const api::ec2::CopyImageInput& in);
  sim::Result<api::ec2::ModifyImageAttributeOutput> modify_image_attribute(
      const api::CallContext& ctx, const api::ec2::ModifyImageAttributeInput& in);
  sim::Result<api::ec2::DescribeImageAttributeOutput> describe_image_attribute(
      const api::CallContext& ctx, const api::ec2::DescribeImageAttributeInput& in) const;
  sim::Result<api::ec2::ResetImageAttributeOutput> reset_image_attribute(
      const api::CallContext& ctx, const api::ec2::ResetImageAttributeInput& in);

  // ---- Tags ----
  sim::Result<api::ec2::CreateTagsOutput> create_tags(const api::CallContext& ctx,
                                                      const api::ec2::CreateTagsInput& in);
  sim::Result<api::ec2::DeleteTagsOutput> delete_tags(const api::CallContext& ctx,
                                                      const api::ec2::DeleteTagsInput& in);
  sim::Result<api::ec2::DescribeTagsOutput> describe_tags(
      const api::CallContext& ctx, const api::ec2::DescribeTagsInput& in) const;

  // ---- Snapshots ----
  sim::Result<api::ec2::DescribeSnapshotsOutput> describe_snapshots(
      const api::CallContext& ctx, const api::ec2::DescribeSnapshotsInput& in) const;
  sim::Result<api::ec2::ModifySnapshotAttributeOutput> modify_snapshot_attribute(
      const api::CallContext& ctx, const api::ec2::ModifySnapshotAttributeInput& in);
  sim::Result<api::ec2::DescribeSnapshotAttributeOutput> describe_snapshot_attribute(
      const api::CallContext& ctx, const api::ec2::DescribeSnapshotAttributeInput& in) const;
  sim::Result<api::ec2::DeleteSnapshotOutput> delete_snapshot(
      const api::CallContext& ctx, const api::ec2::DeleteSnapshotInput& in);

  // ---- EBS encryption by default ----
  sim::Result<api::ec2::GetEbsEncryptionByDefaultOutput> get_ebs_encryption_by_default(
      const api::CallContext& ctx, const api::ec2::GetEbsEncryptionByDefaultInput& in) const;
  sim::Result<api::ec2::EnableEbsEncryptionByDefaultOutput> enable_ebs_encryption_by_default(
      const api::CallContext& ctx, const api::ec2::EnableEbsEncryptionByDefaultInput& in);
  sim::Result<api::ec2::DisableEbsEncryptionByDefaultOutput> disable_ebs_encryption_by_default(
      const api::CallContext& ctx, const api::ec2::DisableEbsEncryptionByDefaultInput& in);
  sim::Result<api::ec2::GetEbsDefaultKmsKeyIdOutput> get_ebs_default_kms_key_id(
      const api::CallContext& ctx, const api::ec2::GetEbsDefaultKmsKeyIdInput& in) const;
  sim::Result<api::ec2::ModifyEbsDefaultKmsKeyIdOutput> modify_ebs_default_kms_key_id(
      const api::CallContext& ctx, const api::ec2::ModifyEbsDefaultKmsKeyIdInput& in);

  // ---- Launch templates ----
  sim::Result<api::ec2::CreateLaunchTemplateOutput> create_launch_template(
      const api::CallContext& ctx, const api::ec2::CreateLaunchTemplateInput& in);
  sim::Result<api::ec2::CreateLaunchTemplateVersionOutput> create_launch_template_version(
      const api::CallContext& ctx, const api::ec2::CreateLaunchTemplateVersionInput& in);
  sim::Result<api::ec2::ModifyLaunchTemplateOutput> modify_launch_template(
      const api::CallContext& ctx, const api::ec2::ModifyLaunchTemplateInput& in);
  sim::Result<api::ec2::DescribeLaunchTemplatesOutput> describe_launch_templates(
      const api::CallContext& ctx, const api::ec2::DescribeLaunchTemplatesInput& in) const;
  sim::Result<api::ec2::DescribeLaunchTemplateVersionsOutput> describe_launch_template_versions(
      const api::CallContext& ctx, const api::ec2::DescribeLaunchTemplateVersionsInput& in) const;
  sim::Result<api::ec2::DeleteLaunchTemplateOutput> delete_launch_template(
      const api::CallContext& ctx, const api::ec2::DeleteLaunchTemplateInput& in);

  // ---- Instances (authorization-level: can this principal launch this image here?), and the
  //      CreateImage / TerminateInstances that Image Builder's builds use ----
  sim::Result<api::ec2::RunInstancesOutput> run_instances(const api::CallContext& ctx,
                                                          const api::ec2::RunInstancesInput& in);
  sim::Result<api::ec2::DescribeInstancesOutput> describe_instances(
      const api::CallContext& ctx, const api::ec2::DescribeInstancesInput& in) const;
  sim::Result<api::ec2::CreateImageOutput> create_image(const api::CallContext& ctx,
                                                        const api::ec2::CreateImageInput& in);
  sim::Result<api::ec2::TerminateInstancesOutput> terminate_instances(
      const api::CallContext& ctx, const api::ec2::TerminateInstancesInput& in);

  // ---- Seeds: world files and tests create state without a caller or authorization, checked
  //      by the same rules the API applies. ----
  struct SeedBlockDevice {
    std::string device_name = "/dev/xvda";
    int32_t volume_size_gib = 8;
    std::string volume_type = "gp3";
    std::string kms_key_arn;  // Empty: unencrypted. Else the snapshot is encrypted under it.
    std::string snapshot_id;  // Empty: generated.
    std::vector<api::AccountId> shared_with;  // createVolumePermission user ids
    bool is_public = false;                   // createVolumePermission group all
  };

  struct SeedImage {
    api::AccountId owner;
    api::Region region;
    std::string name;
    std::string image_id;  // Empty: generated.
    std::string description;
    std::string architecture = "x86_64";
    std::string virtualization_type = "hvm";
    std::string root_device_name = "/dev/xvda";
    std::vector<SeedBlockDevice> block_devices = {SeedBlockDevice{}};
    TagMap tags;
    std::vector<api::ec2::LaunchPermission> launch_permissions;
    bool amazon_owned = false;  // Owner alias "amazon".
  };

  // The new image's id.
  sim::Result<std::string> seed_image(const SeedImage& seed);
  // An AWS-owned public image (owner alias "amazon", launch permission and snapshots public),
  // the kind Image Builder's catalogue of parent images holds. Unencrypted block devices only.
  sim::Result<std::string> seed_public_image(SeedImage seed);

  struct SeedLaunchTemplate {
    api::AccountId owner;
    api::Region region;
    std::string name;
    std::string launch_template_id;  // Empty: generated.
    // Version 1, 2, ... in order; at least one.
    std::vector<api::ec2::RequestLaunchTemplateData> versions = {{}};
    int64_t default_version = 1;
    TagMap tags;
  };

  sim::Result<std::string> seed_launch_template(const SeedLaunchTemplate& seed);

  // kms_key_arn empty: the account's alias/aws/ebs.
  sim::Status seed_ebs_encryption_by_default(const api::AccountId& account,
                                             const api::Region& region,
                                             bool enabled,
                                             std::string kms_key_arn = {});
  // Replaces Options::copy_concurrency_limit, the limit of every (account, region) without its
  // own (seed_copy_limit wins whenever it was called, before or after).
  sim::Status seed_default_copy_limit(uint32_t limit);

  // Turns EC2's API request-rate buckets (RequestLimitExceeded) on or off for the whole model.
  void seed_request_rate_limits(bool enabled) { options_.request_rate.enabled = enabled; }

  // Overrides Options::copy_concurrency_limit for one (destination account, region).
  sim::Status seed_copy_limit(const api::AccountId& account,
                              const api::Region& region,
                              uint32_t limit);
  // The organization (and OU path) an account belongs to, for organization/OU launch permissions.
  void seed_account_organization(const api::AccountId& account,
                                 std::string organization_arn,
                                 std::vector<std::string> organizational_unit_arns);

  // ---- Read access for checkers, reports and tests ----
  const ImageRecord* find_image(const api::Region& region, std::string_view image_id) const;
  const SnapshotRecord* find_snapshot(const api::Region& region,
                                      std::string_view snapshot_id) const;
  const LaunchTemplateRecord* find_launch_template(const api::AccountId& account,
                                                   const api::Region& region,
                                                   std::string_view launch_template_id) const;
  const InstanceRecord* find_instance(const api::AccountId& account,
                                      const api::Region& region,
                                      std::string_view instance_id) const;
  // Every image of a region, in id order.
  void for_each_image(const api::Region& region,
                      const std::function<void(const ImageRecord&)>& fn) const;

  // Copies running now, the most ever running at once, and the cap, per (destination account,
  // destination region). The peak never exceeds the cap.
  uint32_t copies_in_flight(const api::AccountId& account, const api::Region& region) const;
  uint32_t copy_peak(const api::AccountId& account, const api::Region& region) const;
  uint32_t copy_limit(const api::AccountId& account, const api::Region& region) const;
  std::map<std::pair<api::AccountId, api::Region>, uint32_t> copy_peaks() const;

  uint64_t copies_started() const { return copies_started_; }

  uint64_t copies_pending() const { return copies_pending_; }

  // The snapshot's plaintext, decrypted as `ctx` through the key service (via EC2) when the
  // snapshot is encrypted: proves which key really protects it.
  sim::Result<std::vector<uint8_t>> read_snapshot_content(const api::CallContext& ctx,
                                                          const api::Region& region,
                                                          std::string_view snapshot_id) const;

  const Options& options() const { return options_; }

  // ---- Fault hook (src/faults: load tests and scenarios) ----
  // A running copy asks the hook before each of its steps (setup after the fixed latency, and
  // completion). kProceed runs the step; kPostpone runs the step again `delay` later (a region
  // outage stalls the copy, a throttled KMS call is retried); kFail fails the copy with `cause`
  // behind the usual StateReason. Without a hook every step proceeds.
  enum class CopyStep : uint8_t { kSetup, kComplete };

  struct CopyStepView {
    CopyStep step = CopyStep::kSetup;
    const api::AccountId* account = nullptr;  // The copying (destination) account.
    const api::Region* source_region = nullptr;
    const api::Region* region = nullptr;  // Destination.
    std::string_view image_id;
    bool source_encrypted = false;  // Completion decrypts the source data keys (source region).
    bool encrypted = false;         // The copy is encrypted: KMS in the destination region.
    sim::Instant started;
    sim::Duration stalled;       // Postponed so far, all steps together.
    uint32_t postponements = 0;  // Postponements of this step so far.
  };

  struct CopyStepVerdict {
    enum class Kind : uint8_t { kProceed, kPostpone, kFail };
    Kind kind = Kind::kProceed;
    sim::Duration delay;  // kPostpone: above zero.
    sim::AwsError cause;  // kFail: the underlying error, kept as ImageFailure::cause.
  };

  using CopyStepHook = std::function<CopyStepVerdict(const CopyStepView&)>;

  void set_copy_step_hook(CopyStepHook hook) { copy_step_hook_ = std::move(hook); }

 private:
  struct CopyJob;
  struct LaunchJob;
  struct LaunchVolume;
  struct ImageJob;
  struct TagTarget;

  // Images and snapshots by id. Hash maps, because a load run holds millions and copies look ids
  // up several times each; wherever their order could reach an output (Describe*, accessors,
  // error messages) the ids are sorted first.
  template <typename T>
  using IdMap = std::unordered_map<ResourceId, T, ResourceIdHash, std::equal_to<>>;

  struct RegionState {
    IdMap<ImageRecord> images;
    IdMap<SnapshotRecord> snapshots;
  };

  struct CopyTokenEntry {
    ResourceId image_id;
    uint64_t fingerprint = 0;
  };

  struct AccountRegionState {
    bool encryption_by_default = false;
    std::string default_kms_key_arn;  // Empty: alias/aws/ebs.
    std::optional<uint32_t> copy_limit;
    uint32_t copies_in_flight = 0;
    uint32_t copies_peak = 0;
    std::map<std::string, CopyTokenEntry> copy_tokens;
    std::map<std::string, ResourceId> run_tokens;  // RunInstances ClientToken -> reservation
    std::map<ResourceId, LaunchTemplateRecord, std::less<>> launch_templates;
    std::map<std::string, ResourceId, std::less<>> launch_template_names;
    std::map<ResourceId, InstanceRecord, std::less<>> instances;
  };

  struct Organization {
    std::string organization_arn;
    std::vector<std::string> organizational_unit_arns;
  };

  using AccountRegionKey = std::pair<api::AccountId, api::Region>;

  // ---- common (ec2_model.cc) ----
  RegionState& region_state(const api::Region& region);
  const RegionState* find_region_state(const api::Region& region) const;
  AccountRegionState& account_region(const api::AccountId& account, const api::Region& region);
  const AccountRegionState* find_account_region(const api::AccountId& account,
                                                const api::Region& region) const;
  // RequestLimitExceeded when throttling is on and the bucket is empty.
  sim::Status throttle(const api::CallContext& ctx, ActionClass action_class) const;
  // UnauthorizedOperation when denied; mutating calls carry the encoded message.
  sim::Status authorize(const api::CallContext& ctx,
                        const auth::AuthzRequest& request,
                        bool mutating) const;
  ImageRecord* find_image_mutable(const api::Region& region, std::string_view image_id);
  SnapshotRecord* find_snapshot_mutable(const api::Region& region, std::string_view snapshot_id);
  // Public images count unless `explicit_only` (ExecutableUsers=self asks for explicit grants).
  bool has_launch_permission(const ImageRecord& image,
                             const api::AccountId& account,
                             bool explicit_only = false) const;
  bool can_see_image(const ImageRecord& image, const api::AccountId& account) const;
  bool can_access_snapshot(const SnapshotRecord& snapshot, const api::AccountId& account) const;
  // ec2:Owner, ec2:ImageID, ec2:Region, aws:/ec2:ResourceTag/* of an image, and ec2:Public for
  // the actions whose condition keys include it (not CopyImage, aws-facts §3.2).
  std::vector<auth::ContextValue> image_keys(const ImageRecord& image,
                                             const api::Region& region,
                                             bool with_public = true) const;
  // "arn:aws:ec2:<region>::image/*", built once per region.
  const std::string& new_image_arn(const api::Region& region);
  // The resource side of an image the caller may use through a launch permission (EC2 has no
  // resource policies; a granted launch permission plays that part). Null for the owner.
  const policy::Policy* launch_permission_grant(const ImageRecord& image,
                                                const api::AccountId& caller) const;
  // Finds an image the caller can see, or InvalidAMIID.Malformed / .NotFound.
  sim::Result<const ImageRecord*> visible_image(const api::CallContext& ctx,
                                                const api::Region& region,
                                                std::string_view image_id) const;
  // An image the caller owns, for modifying calls.
  sim::Result<ImageRecord*> owned_image(const api::CallContext& ctx, std::string_view image_id);
  api::CallContext kms_context(const api::CallContext& ctx, const api::Region& region) const;
  // The same, written into `out` (reusing its buffers: the copy path makes two per copy).
  void fill_kms_context(const api::CallContext& ctx,
                        const api::Region& region,
                        api::CallContext& out) const;
  std::string default_kms_key_arn(const api::AccountId& account, const api::Region& region);
  bool encryption_by_default(const api::AccountId& account, const api::Region& region) const;
  uint32_t copy_limit_of(const AccountRegionState& state) const;
  std::shared_ptr<const std::vector<uint8_t>> make_content(std::string_view snapshot_id) const;
  // Encrypts `plaintext` for snapshot `snap` under `key` (fresh IV from the model's stream).
  void seal_content(SnapshotRecord& snap,
                    const kms::DataKey& key,
                    const std::vector<uint8_t>& plaintext);
  // The plaintext of a snapshot given its unwrapped data key; nullopt if it does not open.
  static std::optional<std::vector<uint8_t>> open_content(const SnapshotRecord& snap,
                                                          const std::vector<uint8_t>& key);
  // The same for ciphertext held elsewhere (a launch captures its snapshots' content).
  static std::optional<std::vector<uint8_t>> open_sealed(const std::vector<uint8_t>& sealed,
                                                         const crypto::GcmIv& iv,
                                                         std::string_view snapshot_id,
                                                         const std::vector<uint8_t>& key);
  // A fresh image or snapshot id, unused in `region`.
  ResourceId new_id(IdKind kind, const api::Region& region);
  // A new empty record stored under a fresh id, filled in place by the caller (the insertion
  // itself checks that the id is unused, so the hot copy path looks each id up once).
  ImageRecord& insert_new_image(RegionState& state);
  SnapshotRecord& insert_new_snapshot(RegionState& state);

  int64_t now_unix_ms() const { return ctx_.unix_ms(); }

  api::ec2::Image describe_image(const ImageRecord& image, const api::Region& region) const;
  api::ec2::Snapshot describe_snapshot(const SnapshotRecord& snap) const;

  // ---- tags (ec2_tags.cc) ----
  // A resource the caller owns in ctx.region, by id, for CreateTags/DeleteTags.
  sim::Result<TagTarget> tag_target(const api::CallContext& ctx, std::string_view id);

  // ---- launch templates (ec2_launch_templates.cc) ----
  // A version reference ("3", "$Latest", "$Default") of `lt`.
  static sim::Result<const LaunchTemplateVersionRecord*> resolve_version(
      const LaunchTemplateRecord& lt, std::string_view version);
  std::vector<auth::ContextValue> launch_template_keys(const LaunchTemplateRecord& lt,
                                                       const api::Region& region) const;

  // ---- copies (ec2_copy.cc) ----
  // Copy jobs live in reusable slots (a load run starts millions); an id is
  // (sequence << 32) | slot, so a stale id never names a newer job.
  CopyJob& allocate_job();
  CopyJob* find_job(uint64_t job_id);
  void copy_setup(uint64_t job_id);
  void copy_complete(uint64_t job_id);
  void fail_copy(uint64_t job_id, std::string code, std::string message, sim::AwsError cause);
  void finish_job(uint64_t job_id);  // Releases the slot and forgets the job.
  void cancel_copy(ImageRecord& image, const api::Region& region);
  // Asks the fault hook about the job's next step; false when the step must not run now (it was
  // postponed, or the copy failed).
  bool gate_copy_step(uint64_t job_id, CopyStep step);

  // ---- instances (ec2_instances.cc) ----
  void launch_complete(uint64_t job_id);
  void create_image_complete(uint64_t job_id);

  sim::Context& ctx_;
  auth::Authorizer& authorizer_;
  kms::EbsKeyService& ebs_keys_;
  Options options_;
  CopyTimeModel copy_time_;
  sim::Rng id_rng_;
  sim::Rng iv_rng_;
  sim::Rng copy_time_rng_;
  // Seals UnauthorizedOperation's encoded message; derived from the run's seed exactly as STS's
  // instance is, so DecodeAuthorizationMessage opens what EC2 encodes.
  auth::AuthorizationMessages messages_;
  std::unique_ptr<policy::Policy> launch_grant_policy_;
  std::unordered_map<api::Region, RegionState, api::RegionHash> regions_;
  std::unordered_map<AccountRegionKey, AccountRegionState, api::AccountRegionHash> account_regions_;
  // Request-rate buckets per (account, region, action class). Rate limiting is bookkeeping of
  // the endpoint, not AWS state, so Describe calls (const) take tokens too.
  mutable std::map<std::tuple<api::AccountId, api::Region, ActionClass>, sim::TokenBucket> buckets_;
  std::map<api::AccountId, Organization> organizations_;
  std::map<api::Region, std::string> new_image_arns_;
  api::CallContext kms_source_scratch_;  // Contexts of the copy path's KMS calls.
  api::CallContext kms_destination_scratch_;
  CopyStepHook copy_step_hook_;
  std::vector<std::unique_ptr<CopyJob>> copy_slots_;
  std::vector<uint32_t> free_copy_slots_;
  uint64_t copies_pending_ = 0;
  std::map<uint64_t, std::unique_ptr<LaunchJob>> launch_jobs_;
  std::map<uint64_t, std::unique_ptr<ImageJob>> image_jobs_;
  uint64_t next_job_id_ = 1;
  uint64_t copies_started_ = 0;
};

}  // namespace ibsim::mock_aws::ec2
