// Ec2Model: construction, the shared machinery every operation uses (state lookup, throttling,
// authorization, visibility and launch permissions, condition keys, snapshot content), the
// Describe shapes of images and snapshots, and the read accessors for checkers.

#include "mock_aws/ec2/ec2_model.h"

#include <algorithm>

#include "mock_aws/api/arn.h"
#include "mock_aws/api/regions.h"
#include "mock_aws/crypto/aes_gcm.h"
#include "mock_aws/crypto/encoding.h"
#include "mock_aws/ec2/ec2_errors.h"
#include "mock_aws/ec2/ec2_internal.h"
#include "mock_aws/ec2/ec2_jobs.h"
#include "sim/base/assert.h"

namespace ibsim::mock_aws::ec2 {

namespace {

// EC2 has no resource policies: what lets another account use an AMI is its launch permission,
// which the model checks itself. To IAM that permission is the resource side of a cross-account
// request, so a granted launch permission is passed to the authorizer as this resource policy;
// IAM's cross-account rule then asks the caller's own policies to allow the action too.
constexpr std::string_view kLaunchGrantPolicy =
    R"({"Version":"2012-10-17","Statement":[{"Sid":"Ec2LaunchPermission","Effect":"Allow",)"
    R"("Principal":{"AWS":"*"},"Action":"ec2:*","Resource":"*"}]})";

constexpr std::string_view kOwnerAliasAmazon = "amazon";

}  // namespace

// ---- Record helpers ------------------------------------------------------------------------

std::string_view to_string(ImageState state) {
  switch (state) {
    case ImageState::kPending:
      return "pending";
    case ImageState::kAvailable:
      return "available";
    case ImageState::kFailed:
      return "failed";
  }
  return "available";
}

std::string_view to_string(Architecture arch) {
  switch (arch) {
    case Architecture::kI386:
      return "i386";
    case Architecture::kX86_64:
      return "x86_64";
    case Architecture::kArm64:
      return "arm64";
    case Architecture::kX86_64Mac:
      return "x86_64_mac";
    case Architecture::kArm64Mac:
      return "arm64_mac";
  }
  return "x86_64";
}

std::optional<Architecture> parse_architecture(std::string_view text) {
  for (const Architecture a : {Architecture::kI386,
                               Architecture::kX86_64,
                               Architecture::kArm64,
                               Architecture::kX86_64Mac,
                               Architecture::kArm64Mac}) {
    if (to_string(a) == text) {
      return a;
    }
  }
  return std::nullopt;
}

std::string_view to_string(Virtualization v) {
  return v == Virtualization::kHvm ? "hvm" : "paravirtual";
}

std::optional<Virtualization> parse_virtualization(std::string_view text) {
  if (text == "hvm") {
    return Virtualization::kHvm;
  }
  if (text == "paravirtual") {
    return Virtualization::kParavirtual;
  }
  return std::nullopt;
}

std::string_view to_string(InstanceStateName state) {
  switch (state) {
    case InstanceStateName::kPending:
      return "pending";
    case InstanceStateName::kRunning:
      return "running";
    case InstanceStateName::kTerminated:
      return "terminated";
  }
  return "pending";
}

int32_t instance_state_code(InstanceStateName state) {
  switch (state) {
    case InstanceStateName::kPending:
      return 0;
    case InstanceStateName::kRunning:
      return 16;
    case InstanceStateName::kTerminated:
      return 48;
  }
  return 0;
}

const std::string& SnapshotRecord::kms_key_arn() const {
  static const std::string kNone;
  return data_key != nullptr ? data_key->key_arn : kNone;
}

// ---- Construction --------------------------------------------------------------------------

sim::Status Ec2Model::validate(const Options& options) {
  if (options.copy_concurrency_limit < 1
      || options.copy_concurrency_limit > kCopyConcurrencyLimitMax) {
    return sim::aws_error("InvalidParameterValue",
                          "copy_concurrency_limit must be between 1 and 1000000");
  }
  if (options.snapshot_content_bytes < 1
      || options.snapshot_content_bytes > kSnapshotContentBytesMax) {
    return sim::aws_error("InvalidParameterValue",
                          "snapshot_content_bytes must be between 1 and 1048576");
  }
  if (options.instance_launch_latency < sim::Duration::zero()) {
    return sim::aws_error("InvalidParameterValue", "instance_launch_latency must not be negative");
  }
  for (const sim::TokenBucket::Options& bucket : {options.request_rate.non_mutating,
                                                  options.request_rate.mutating,
                                                  options.request_rate.resource_intensive}) {
    if (bucket.rate_per_sec < 1 || bucket.burst < 1) {
      return sim::aws_error("InvalidParameterValue",
                            "request-rate buckets need rate_per_sec >= 1 and burst >= 1");
    }
  }
  return CopyTimeModel::validate(options.copy_time);
}

Ec2Model::Ec2Model(sim::Context& ctx,
                   auth::Authorizer& authorizer,
                   kms::EbsKeyService& ebs_keys,
                   Options options)
    : ctx_(ctx),
      authorizer_(authorizer),
      ebs_keys_(ebs_keys),
      options_(std::move(options)),
      copy_time_(options_.copy_time),
      id_rng_(ctx.rng().fork("ec2.ids")),
      iv_rng_(ctx.rng().fork("ec2.snapshot_iv")),
      copy_time_rng_(ctx.rng().fork("ec2.copy_time")),
      messages_(ctx.rng()) {
  IBSIM_ASSERT(validate(options_).ok(), "EC2 options are validated by the composition root");
  sim::Result<policy::Policy> grant = policy::parse_policy(
      kLaunchGrantPolicy, policy::PolicyKind::kResource, {.name = "EC2 launch permission"});
  IBSIM_ASSERT(grant.ok(), "the built-in launch-permission grant parses");
  launch_grant_policy_ = std::make_unique<policy::Policy>(std::move(grant).value());
}

Ec2Model::~Ec2Model() = default;

// ---- State lookup --------------------------------------------------------------------------

Ec2Model::RegionState& Ec2Model::region_state(const api::Region& region) {
  return regions_[region];
}

const Ec2Model::RegionState* Ec2Model::find_region_state(const api::Region& region) const {
  const auto it = regions_.find(region);
  return it == regions_.end() ? nullptr : &it->second;
}

Ec2Model::AccountRegionState& Ec2Model::account_region(const api::AccountId& account,
                                                       const api::Region& region) {
  return account_regions_[{account, region}];
}

const Ec2Model::AccountRegionState* Ec2Model::find_account_region(const api::AccountId& account,
                                                                  const api::Region& region) const {
  const auto it = account_regions_.find({account, region});
  return it == account_regions_.end() ? nullptr : &it->second;
}

ImageRecord* Ec2Model::find_image_mutable(const api::Region& region, std::string_view image_id) {
  const auto rit = regions_.find(region);
  if (rit == regions_.end()) {
    return nullptr;
  }
  const auto it = rit->second.images.find(image_id);
  return it == rit->second.images.end() ? nullptr : &it->second;
}

SnapshotRecord* Ec2Model::find_snapshot_mutable(const api::Region& region,
                                                std::string_view snapshot_id) {
  const auto rit = regions_.find(region);
  if (rit == regions_.end()) {
    return nullptr;
  }
  const auto it = rit->second.snapshots.find(snapshot_id);
  return it == rit->second.snapshots.end() ? nullptr : &it->second;
}

const ImageRecord* Ec2Model::find_image(const api::Region& region,
                                        std::string_view image_id) const {
  const RegionState* state = find_region_state(region);
  if (state == nullptr) {
    return nullptr;
  }
  const auto it = state->images.find(image_id);
  return it == state->images.end() ? nullptr : &it->second;
}

const SnapshotRecord* Ec2Model::find_snapshot(const api::Region& region,
                                              std::string_view snapshot_id) const {
  const RegionState* state = find_region_state(region);
  if (state == nullptr) {
    return nullptr;
  }
  const auto it = state->snapshots.find(snapshot_id);
  return it == state->snapshots.end() ? nullptr : &it->second;
}

const LaunchTemplateRecord* Ec2Model::find_launch_template(
    const api::AccountId& account,
    const api::Region& region,
    std::string_view launch_template_id) const {
  const AccountRegionState* state = find_account_region(account, region);
  if (state == nullptr) {
    return nullptr;
  }
  const auto it = state->launch_templates.find(launch_template_id);
  return it == state->launch_templates.end() ? nullptr : &it->second;
}

const InstanceRecord* Ec2Model::find_instance(const api::AccountId& account,
                                              const api::Region& region,
                                              std::string_view instance_id) const {
  const AccountRegionState* state = find_account_region(account, region);
  if (state == nullptr) {
    return nullptr;
  }
  const auto it = state->instances.find(instance_id);
  return it == state->instances.end() ? nullptr : &it->second;
}

void Ec2Model::for_each_image(const api::Region& region,
                              const std::function<void(const ImageRecord&)>& fn) const {
  const RegionState* state = find_region_state(region);
  if (state == nullptr) {
    return;
  }
  std::vector<const ImageRecord*> ordered;
  ordered.reserve(state->images.size());
  for (const auto& [id, image] : state->images) {
    ordered.push_back(&image);
  }
  std::sort(ordered.begin(), ordered.end(), [](const ImageRecord* a, const ImageRecord* b) {
    return a->id < b->id;
  });
  for (const ImageRecord* image : ordered) {
    fn(*image);
  }
}

// ---- Throttling and authorization ----------------------------------------------------------

sim::Status Ec2Model::throttle(const api::CallContext& ctx, ActionClass action_class) const {
  if (!options_.request_rate.enabled) {
    return sim::ok_status();
  }
  auto key = std::make_tuple(ctx.principal.account, ctx.region, action_class);
  auto it = buckets_.find(key);
  if (it == buckets_.end()) {
    const RequestRateOptions& rates = options_.request_rate;
    const sim::TokenBucket::Options& bucket =
        action_class == ActionClass::kNonMutating ? rates.non_mutating
        : action_class == ActionClass::kMutating  ? rates.mutating
                                                  : rates.resource_intensive;
    it = buckets_.emplace(std::move(key), sim::TokenBucket(bucket, ctx_.now())).first;
  }
  if (!it->second.try_take(ctx_.now())) {
    return ec2_error(ErrorCode::kRequestLimitExceeded, std::string(kRequestLimitMessage));
  }
  return sim::ok_status();
}

sim::Status Ec2Model::authorize(const api::CallContext& ctx,
                                const auth::AuthzRequest& request,
                                bool mutating) const {
  const auth::AuthzResult result = authorizer_.authorize(ctx, request);
  if (result.allowed()) {
    return sim::ok_status();
  }
  return internal::unauthorized(ctx, request, result, mutating, messages_);
}

// ---- Visibility and permissions ------------------------------------------------------------

bool Ec2Model::has_launch_permission(const ImageRecord& image,
                                     const api::AccountId& account,
                                     bool explicit_only) const {
  const LaunchPermissions* lp = image.launch_permissions.get();
  if (lp == nullptr) {
    return false;
  }
  if ((lp->is_public && !explicit_only) || lp->user_ids.count(account) > 0) {
    return true;
  }
  if (lp->organization_arns.empty() && lp->organizational_unit_arns.empty()) {
    return false;
  }
  const auto org = organizations_.find(account);
  if (org == organizations_.end()) {
    return false;
  }
  if (lp->organization_arns.count(org->second.organization_arn) > 0) {
    return true;
  }
  return std::any_of(
      org->second.organizational_unit_arns.begin(),
      org->second.organizational_unit_arns.end(),
      [&](const std::string& ou) { return lp->organizational_unit_arns.count(ou) > 0; });
}

bool Ec2Model::can_see_image(const ImageRecord& image, const api::AccountId& account) const {
  return image.owner == account || has_launch_permission(image, account);
}

bool Ec2Model::can_access_snapshot(const SnapshotRecord& snapshot,
                                   const api::AccountId& account) const {
  if (snapshot.owner == account) {
    return true;
  }
  const VolumePermissions* vp = snapshot.volume_permissions.get();
  return vp != nullptr && (vp->is_public || vp->user_ids.count(account) > 0);
}

std::vector<auth::ContextValue> Ec2Model::image_keys(const ImageRecord& image,
                                                     const api::Region& region,
                                                     bool with_public) const {
  std::vector<auth::ContextValue> keys;
  keys.reserve(4 + 2 * image.tags.size());
  keys.push_back(
      {.key = "ec2:Owner",
       .values = {image.amazon_owned ? std::string(kOwnerAliasAmazon) : image.owner.str()}});
  keys.push_back({.key = "ec2:ImageID", .values = {image.id.str()}});
  keys.push_back({.key = "ec2:Region", .values = {region.str()}});
  if (with_public) {
    keys.push_back(
        {.key = "ec2:Public", .values = {std::string(internal::bool_text(image.is_public()))}});
  }
  internal::add_resource_tag_keys(image.tags, keys);
  return keys;
}

const policy::Policy* Ec2Model::launch_permission_grant(const ImageRecord& image,
                                                        const api::AccountId& caller) const {
  return image.owner == caller ? nullptr : launch_grant_policy_.get();
}

sim::Result<const ImageRecord*> Ec2Model::visible_image(const api::CallContext& ctx,
                                                        const api::Region& region,
                                                        std::string_view image_id) const {
  if (!is_well_formed_id(image_id, IdKind::kImage)) {
    return internal::malformed_id(IdKind::kImage, image_id);
  }
  const ImageRecord* image = find_image(region, image_id);
  if (image == nullptr || !can_see_image(*image, ctx.principal.account)) {
    return internal::image_not_found(image_id);
  }
  return image;
}

sim::Result<ImageRecord*> Ec2Model::owned_image(const api::CallContext& ctx,
                                                std::string_view image_id) {
  sim::Result<const ImageRecord*> found = visible_image(ctx, ctx.region, image_id);
  if (!found.ok()) {
    return found.error();
  }
  if ((*found)->owner != ctx.principal.account) {
    return internal::not_owner(image_id);
  }
  return find_image_mutable(ctx.region, image_id);
}

// ---- KMS and encryption defaults -----------------------------------------------------------

api::CallContext Ec2Model::kms_context(const api::CallContext& ctx,
                                       const api::Region& region) const {
  api::CallContext inner;
  fill_kms_context(ctx, region, inner);
  return inner;
}

void Ec2Model::fill_kms_context(const api::CallContext& ctx,
                                const api::Region& region,
                                api::CallContext& out) const {
  out = ctx;
  out.region = region;
  out.via_service.assign("ec2.").append(region.str()).append(".amazonaws.com");
  out.request_unix_ms = now_unix_ms();
}

std::string Ec2Model::default_kms_key_arn(const api::AccountId& account,
                                          const api::Region& region) {
  const AccountRegionState* state = find_account_region(account, region);
  if (state != nullptr && !state->default_kms_key_arn.empty()) {
    return state->default_kms_key_arn;
  }
  return ebs_keys_.aws_managed_ebs_key(account, region);
}

bool Ec2Model::encryption_by_default(const api::AccountId& account,
                                     const api::Region& region) const {
  const AccountRegionState* state = find_account_region(account, region);
  return state != nullptr && state->encryption_by_default;
}

uint32_t Ec2Model::copy_limit_of(const AccountRegionState& state) const {
  return state.copy_limit.value_or(options_.copy_concurrency_limit);
}

// ---- Snapshot content ----------------------------------------------------------------------

std::shared_ptr<const std::vector<uint8_t>> Ec2Model::make_content(
    std::string_view snapshot_id) const {
  // Deterministic bytes that depend only on the run's seed and the snapshot id.
  sim::Rng rng = ctx_.rng().fork("ec2.snapshot_content/" + std::string(snapshot_id));
  auto bytes = std::make_shared<std::vector<uint8_t>>(options_.snapshot_content_bytes);
  rng.fill_bytes(*bytes);
  return bytes;
}

void Ec2Model::seal_content(SnapshotRecord& snap,
                            const kms::DataKey& key,
                            const std::vector<uint8_t>& plaintext) {
  IBSIM_ASSERT(key.plaintext.size() == crypto::kAesKeyBytes, "EBS data keys are AES-256 keys");
  iv_rng_.fill_bytes(snap.iv);
  const std::span<const uint8_t, crypto::kAesKeyBytes> key_bytes(key.plaintext.data(),
                                                                 crypto::kAesKeyBytes);
  snap.content = std::make_shared<const std::vector<uint8_t>>(
      crypto::aes256_gcm_seal(key_bytes, snap.iv, crypto::as_bytes(snap.id.view()), plaintext));
  snap.data_key = std::make_unique<kms::WrappedDataKey>(key.wrapped);
  snap.encrypted = true;
}

std::optional<std::vector<uint8_t>> Ec2Model::open_content(const SnapshotRecord& snap,
                                                           const std::vector<uint8_t>& key) {
  if (snap.content == nullptr) {
    return std::nullopt;
  }
  return open_sealed(*snap.content, snap.iv, snap.id.view(), key);
}

std::optional<std::vector<uint8_t>> Ec2Model::open_sealed(const std::vector<uint8_t>& sealed,
                                                          const crypto::GcmIv& iv,
                                                          std::string_view snapshot_id,
                                                          const std::vector<uint8_t>& key) {
  if (key.size() != crypto::kAesKeyBytes) {
    return std::nullopt;
  }
  const std::span<const uint8_t, crypto::kAesKeyBytes> key_bytes(key.data(), crypto::kAesKeyBytes);
  return crypto::aes256_gcm_open(key_bytes, iv, crypto::as_bytes(snapshot_id), sealed);
}

ResourceId Ec2Model::new_id(IdKind kind, const api::Region& region) {
  // 68 random bits make a collision practically impossible; the loop makes it impossible.
  constexpr int kAttemptsMax = 16;
  const RegionState* state = find_region_state(region);
  for (int attempt = 0; attempt < kAttemptsMax; ++attempt) {
    ResourceId id = generate_id(kind, id_rng_);
    const bool taken = state != nullptr
                       && ((kind == IdKind::kImage && state->images.count(id.view()) > 0)
                           || (kind == IdKind::kSnapshot && state->snapshots.count(id.view()) > 0));
    if (!taken) {
      return id;
    }
  }
  IBSIM_ASSERT(false, "16 consecutive 68-bit id collisions do not happen");
  return {};
}

namespace {

// Draws ids until one is free in `map`; the emplace is the check.
template <typename Map>
auto& insert_with_fresh_id(Map& map, IdKind kind, sim::Rng& rng) {
  constexpr int kAttemptsMax = 16;
  for (int attempt = 0; attempt < kAttemptsMax; ++attempt) {
    const ResourceId id = generate_id(kind, rng);
    auto [it, inserted] = map.try_emplace(id);
    if (inserted) {
      it->second.id = id;
      return it->second;
    }
  }
  IBSIM_ASSERT(false, "16 consecutive 68-bit id collisions do not happen");
  return map.begin()->second;
}

}  // namespace

ImageRecord& Ec2Model::insert_new_image(RegionState& state) {
  return insert_with_fresh_id(state.images, IdKind::kImage, id_rng_);
}

SnapshotRecord& Ec2Model::insert_new_snapshot(RegionState& state) {
  return insert_with_fresh_id(state.snapshots, IdKind::kSnapshot, id_rng_);
}

const std::string& Ec2Model::new_image_arn(const api::Region& region) {
  auto it = new_image_arns_.find(region);
  if (it == new_image_arns_.end()) {
    it = new_image_arns_.emplace(region, api::ec2_image_arn(region, "*")).first;
  }
  return it->second;
}

sim::Result<std::vector<uint8_t>> Ec2Model::read_snapshot_content(
    const api::CallContext& ctx, const api::Region& region, std::string_view snapshot_id) const {
  const SnapshotRecord* snap = find_snapshot(region, snapshot_id);
  if (snap == nullptr) {
    return internal::snapshot_not_found(snapshot_id);
  }
  if (!snap->encrypted) {
    return *snap->content;
  }
  sim::Result<kms::Bytes> key =
      ebs_keys_.decrypt_data_key(kms_context(ctx, region), *snap->data_key, snap->id.view());
  if (!key.ok()) {
    return key.error();
  }
  std::optional<std::vector<uint8_t>> plaintext = open_content(*snap, *key);
  if (!plaintext.has_value()) {
    return ec2_error(ErrorCode::kInvalidRequest,
                     "The data key does not decrypt snapshot " + std::string(snapshot_id));
  }
  return std::move(*plaintext);
}

// ---- Describe shapes -----------------------------------------------------------------------

api::ec2::Image Ec2Model::describe_image(const ImageRecord& image,
                                         const api::Region& region) const {
  api::ec2::Image out;
  out.image_id = image.id.str();
  out.image_location =
      (image.amazon_owned ? std::string(kOwnerAliasAmazon) : image.owner.str()) + "/" + image.name;
  out.state = std::string(to_string(image.state));
  out.owner_id = image.owner.str();
  out.creation_date = sim::format_iso8601_ms(image.creation_unix_ms);
  out.is_public = image.is_public();
  out.architecture = std::string(to_string(image.architecture));
  out.image_type = "machine";
  out.platform_details = "Linux/UNIX";
  out.usage_operation = "RunInstances";
  out.name = image.name;
  if (!image.description.empty()) {
    out.description = image.description;
  }
  out.ena_support = image.ena_support;
  out.hypervisor = "xen";
  if (image.amazon_owned) {
    out.image_owner_alias = std::string(kOwnerAliasAmazon);
  }
  out.root_device_name = image.root_device_name;
  out.root_device_type = "ebs";
  out.virtualization_type = std::string(to_string(image.virtualization));
  if (!image.boot_mode.empty()) {
    out.boot_mode = image.boot_mode;
  }
  if (image.failure != nullptr) {
    out.state_reason = image.failure->state_reason;
  }
  out.tags = internal::to_tag_list(image.tags);
  if (!image.source_image_id.empty()) {
    out.source_image_id = image.source_image_id.str();
    out.source_image_region = image.source_region.str();
  }
  for (const ImageBlockDevice& device : image.block_devices) {
    api::ec2::EbsBlockDevice ebs;
    ebs.delete_on_termination = device.delete_on_termination;
    ebs.volume_size = device.volume_size_gib;
    ebs.volume_type = device.volume_type;
    ebs.encrypted = device.encrypted;
    if (!device.snapshot_id.empty()) {
      ebs.snapshot_id = device.snapshot_id.str();
      if (const SnapshotRecord* snap = find_snapshot(region, device.snapshot_id.view());
          snap != nullptr && snap->encrypted) {
        ebs.kms_key_id = snap->kms_key_arn();
      }
    }
    out.block_device_mappings.push_back({.device_name = device.device_name, .ebs = ebs});
  }
  return out;
}

api::ec2::Snapshot Ec2Model::describe_snapshot(const SnapshotRecord& snap) const {
  api::ec2::Snapshot out;
  out.snapshot_id = snap.id.str();
  out.owner_id = snap.owner.str();
  if (snap.amazon_owned) {
    out.owner_alias = std::string(kOwnerAliasAmazon);
  }
  out.state = "completed";
  out.progress = "100%";
  out.start_time = api::ec2::Timestamp{snap.start_unix_ms};
  out.volume_id = "vol-ffffffff";  // Snapshots made by copies have this placeholder in AWS.
  out.volume_size = snap.volume_size_gib;
  if (!snap.copied_for_image.empty()) {
    out.description = "Copied for DestinationAmi " + snap.copied_for_image.str()
                      + " from SourceAmi " + snap.copied_from_image.str() + " for SourceSnapshot "
                      + snap.copied_from_snapshot.str() + ". Task created on "
                      + sim::format_iso8601_ms(snap.start_unix_ms) + ".";
  } else {
    out.description = snap.description;
  }
  out.encrypted = snap.encrypted;
  if (snap.encrypted) {
    out.kms_key_id = snap.kms_key_arn();
  }
  out.storage_tier = "standard";
  out.tags = internal::to_tag_list(snap.tags);
  return out;
}

// ---- Copy accounting -----------------------------------------------------------------------

uint32_t Ec2Model::copies_in_flight(const api::AccountId& account,
                                    const api::Region& region) const {
  const AccountRegionState* state = find_account_region(account, region);
  return state == nullptr ? 0 : state->copies_in_flight;
}

uint32_t Ec2Model::copy_peak(const api::AccountId& account, const api::Region& region) const {
  const AccountRegionState* state = find_account_region(account, region);
  return state == nullptr ? 0 : state->copies_peak;
}

uint32_t Ec2Model::copy_limit(const api::AccountId& account, const api::Region& region) const {
  const AccountRegionState* state = find_account_region(account, region);
  return state == nullptr ? options_.copy_concurrency_limit : copy_limit_of(*state);
}

std::map<std::pair<api::AccountId, api::Region>, uint32_t> Ec2Model::copy_peaks() const {
  std::map<std::pair<api::AccountId, api::Region>, uint32_t> out;
  for (const auto& [key, state] : account_regions_) {
    if (state.copies_peak > 0) {
      out[key] = state.copies_peak;
    }
  }
  return out;
}

}  // namespace ibsim::mock_aws::ec2
