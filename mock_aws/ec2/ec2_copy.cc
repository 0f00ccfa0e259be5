// Ec2Model: CopyImage. The call checks what EC2 checks at once (parameters, visibility of the
// source, IAM, the encryption matrix, virtualization, snapshot access, the copy cap) and returns
// the new image id in state `pending`. The copy then runs in virtual time:
//
//   start ──fixed latency──► setup: resolve the destination KMS key as the caller (DescribeKey);
//                                   snapshot access when that check is configured asynchronous
//         ──transfer time──► complete: per snapshot, unwrap the source data key (Decrypt via
//                                   ec2.<source region>), decrypt the content, wrap a new data key
//                                   under the destination key (GenerateDataKeyWithoutPlaintext via
//                                   ec2.<destination region>), encrypt the content → available
//
// Any failure on the way makes the image `failed` with a StateReason and frees the copy slot.
// docs/ec2.md has the synchronous/asynchronous decision table.

#include <algorithm>
#include <optional>

#include "mock_aws/api/arn.h"
#include "mock_aws/api/regions.h"
#include "mock_aws/ec2/ec2_errors.h"
#include "mock_aws/ec2/ec2_internal.h"
#include "mock_aws/ec2/ec2_jobs.h"
#include "mock_aws/ec2/ec2_model.h"
#include "sim/base/assert.h"

namespace ibsim::mock_aws::ec2 {

namespace {

using internal::invalid_value;
using internal::is_set;

// StateReasons of failed copies.
// Unconfirmed: a copy failed by KMS shows StateReason {Server.InternalError, "Copy image failed
// with an internal error"} (the text observed for a bad key, aws-facts §3.2 PK-6599; the code is
// not documented), and an asynchronous storage failure {Client.InvalidPermission, AWS's text}.
constexpr std::string_view kCopyFailedCode = "Server.InternalError";
constexpr std::string_view kCopyFailedMessage = "Copy image failed with an internal error";
constexpr std::string_view kStorageFailedCode = "Client.InvalidPermission";

int64_t duration_ms(sim::Duration d) {
  return d.ms();
}

template <typename Map>
const SnapshotRecord* find_in(const Map& snapshots, std::string_view id) {
  const auto it = snapshots.find(id);
  return it == snapshots.end() ? nullptr : &it->second;
}

}  // namespace

sim::Result<api::ec2::CopyImageOutput> Ec2Model::copy_image(const api::CallContext& ctx,
                                                            const api::ec2::CopyImageInput& in) {
  if (sim::Status s = throttle(ctx, ActionClass::kResourceIntensive); !s.ok()) {
    return s.error();
  }
  // ---- Parameters ----
  if (in.source_image_id.empty()) {
    return internal::missing_parameter("SourceImageId");
  }
  if (in.source_region.empty()) {
    return internal::missing_parameter("SourceRegion");
  }
  if (sim::Status s = internal::validate_image_name(in.name); !s.ok()) {
    return s.error();
  }
  if (sim::Status s = internal::validate_description(in.description); !s.ok()) {
    return s.error();
  }
  if (sim::Status s = internal::validate_client_token(in.client_token); !s.ok()) {
    return s.error();
  }
  const api::RegionInfo* source_info = api::find_region(in.source_region);
  if (source_info == nullptr) {
    return invalid_value("SourceRegion", in.source_region, "The region is not valid.");
  }
  const api::Region source_region = api::Region::from_known(source_info->name);
  if (!is_well_formed_id(in.source_image_id, IdKind::kImage)) {
    return internal::malformed_id(IdKind::kImage, in.source_image_id);
  }
  // Unconfirmed: CopyImage with KmsKeyId but without Encrypted answers InvalidParameterDependency
  // (aws-facts §8 suspects it); the text is the one EC2 gives for RunInstances.
  if (in.kms_key_id.has_value() && !is_set(in.encrypted)) {
    return ec2_error(ErrorCode::kInvalidParameterDependency,
                     "The parameter KmsKeyId requires the parameter Encrypted to be set.");
  }
  if (in.destination_outpost_arn.has_value() || in.destination_availability_zone.has_value()
      || in.destination_availability_zone_id.has_value()) {
    // Deviation from AWS: CopyImage to Outposts or Local Zones is not modelled
    // (UnsupportedOperation).
    return ec2_error(ErrorCode::kUnsupportedOperation,
                     "ibsim does not model copies to Outposts or Local Zones");
  }
  if (in.snapshot_copy_completion_duration_minutes.has_value()) {
    const int64_t minutes = *in.snapshot_copy_completion_duration_minutes;
    if (minutes < internal::kTimeBasedCopyMinutesMin || minutes > internal::kTimeBasedCopyMinutesMax
        || minutes % internal::kTimeBasedCopyMinutesStep != 0) {
      return invalid_value("SnapshotCopyCompletionDurationMinutes",
                           std::to_string(minutes),
                           "It must be a multiple of 15 between 15 and 2880.");
    }
  }
  sim::Result<TagMap> image_tags =
      internal::tags_for(in.tag_specifications, "image", {"image", "snapshot"});
  if (!image_tags.ok()) {
    return image_tags.error();
  }
  sim::Result<TagMap> snapshot_tags =
      internal::tags_for(in.tag_specifications, "snapshot", {"image", "snapshot"});
  if (!snapshot_tags.ok()) {
    return snapshot_tags.error();
  }

  // ---- The source: the caller must see it (own, shared, public) ----
  const api::AccountId& caller = ctx.principal.account;
  sim::Result<const ImageRecord*> found = visible_image(ctx, source_region, in.source_image_id);
  if (!found.ok()) {
    return found.error();
  }
  const ImageRecord& source = **found;

  // ---- IAM: the source image, the new image, and tagging on create ----
  const std::string source_arn = api::ec2_image_arn(source_region, in.source_image_id);
  if (sim::Status s = authorize(ctx,
                                {.action = "ec2:CopyImage",
                                 .resource = source_arn,
                                 .resource_account = source.owner.str(),
                                 .resource_policy = launch_permission_grant(source, caller),
                                 .keys = image_keys(source, source_region, /*with_public=*/false)},
                                true);
      !s.ok()) {
    return s.error();
  }
  const std::string& new_arn = new_image_arn(ctx.region);
  std::vector<auth::ContextValue> new_keys = {{.key = "ec2:Region", .values = {ctx.region.str()}},
                                              {.key = "ec2:Owner", .values = {caller.str()}}};
  internal::add_request_tag_keys(*image_tags, new_keys);
  if (sim::Status s = authorize(ctx,
                                {.action = "ec2:CopyImage",
                                 .resource = new_arn,
                                 .resource_account = caller.str(),
                                 .keys = new_keys},
                                true);
      !s.ok()) {
    return s.error();
  }
  // Tagging on create is authorized per resource type created, each with its own tags.
  const std::string new_snapshot_arn =
      snapshot_tags->empty() ? std::string() : api::ec2_snapshot_arn(ctx.region, "*");
  for (const auto& [tags, target] :
       {std::pair{&*image_tags, &new_arn}, std::pair{&*snapshot_tags, &new_snapshot_arn}}) {
    if (tags->empty()) {
      continue;
    }
    std::vector<auth::ContextValue> tag_keys = {
        {.key = "ec2:CreateAction", .values = {"CopyImage"}},
        {.key = "ec2:Region", .values = {ctx.region.str()}}};
    internal::add_request_tag_keys(*tags, tag_keys);
    if (sim::Status s = authorize(ctx,
                                  {.action = "ec2:CreateTags",
                                   .resource = *target,
                                   .resource_account = caller.str(),
                                   .keys = tag_keys},
                                  true);
        !s.ok()) {
      return s.error();
    }
  }

  // ---- What EC2 refuses at once ----
  if (source.state != ImageState::kAvailable) {
    // Unconfirmed: copying an image that is not available answers IncorrectState (code and
    // text are ibsim's).
    return ec2_error(ErrorCode::kIncorrectState,
                     "The image '" + in.source_image_id + "' is "
                         + std::string(to_string(source.state)) + " and cannot be copied.");
  }
  std::vector<const SnapshotRecord*> source_snapshots;
  for (const ImageBlockDevice& device : source.block_devices) {
    const SnapshotRecord* snap = find_snapshot(source_region, device.snapshot_id.view());
    IBSIM_ASSERT(snap != nullptr, "an available image's snapshots exist (DeleteSnapshot refuses)");
    source_snapshots.push_back(snap);
  }
  // The encryption matrix: no unencrypted copy of an encrypted snapshot (aws-facts §3.2,
  // PK-6778): an explicit Encrypted=false on an encrypted source is refused; omitted keeps each
  // snapshot's state.
  if (in.encrypted.has_value() && !*in.encrypted) {
    for (const SnapshotRecord* snap : source_snapshots) {
      if (snap->encrypted) {
        return ec2_error(ErrorCode::kInvalidRequest,
                         "Snapshot " + snap->id.str() +
                             " is encrypted. Creating unencrypted copy from an encrypted "
                             "snapshot is not supported.");
      }
    }
  }
  // Paravirtual images only go to regions that support PV (aws-facts §3.2, EC2-VIRT).
  // Unconfirmed: a PV image copied to a region without PV is refused at once with
  // InvalidRequest (timing, code and text are ibsim's).
  if (source.virtualization == Virtualization::kParavirtual) {
    const api::RegionInfo* destination = api::find_region(ctx.region.str());
    if (destination == nullptr || !destination->supports_paravirtual) {
      return ec2_error(ErrorCode::kInvalidRequest,
                       "The image " + in.source_image_id
                           + " uses paravirtual (PV) virtualization, which region "
                           + ctx.region.str() + " does not support.");
    }
  }
  // Cross-account copies need read access to every snapshot, not just the launch permission:
  // EC2 answers CopyImage itself with InvalidRequest (observed with the AWS CLI).
  bool storage_ok = true;
  for (const SnapshotRecord* snap : source_snapshots) {
    storage_ok = storage_ok && can_access_snapshot(*snap, caller);
  }
  if (!storage_ok && !options_.storage_permission_check_async) {
    return ec2_error(ErrorCode::kInvalidRequest, std::string(kStorageAccessMessage));
  }
  if (is_set(in.dry_run)) {
    return internal::dry_run_success();
  }

  // ---- Idempotency ----
  AccountRegionState& dest = account_region(caller, ctx.region);
  uint64_t fingerprint = 0;
  if (in.client_token.has_value()) {
    internal::Fingerprint fp;
    fp.add(in.name)
        .add(in.source_image_id)
        .add(in.source_region)
        .add(in.description)
        .add(in.encrypted)
        .add(in.kms_key_id)
        .add(in.copy_image_tags);
    for (const auto* tags : {&*image_tags, &*snapshot_tags}) {
      fp.add(static_cast<int64_t>(tags->size()));
      for (const auto& [k, v] : *tags) {
        fp.add(k).add(v);
      }
    }
    fingerprint = fp.value();
    if (const auto it = dest.copy_tokens.find(*in.client_token); it != dest.copy_tokens.end()) {
      if (it->second.fingerprint != fingerprint) {
        return ec2_error(
            ErrorCode::kIdempotentParameterMismatch,
            "Client token '" + *in.client_token + "' was already used with different parameters.");
      }
      return api::ec2::CopyImageOutput{.image_id = it->second.image_id.str()};
    }
  }

  // ---- The cap on concurrent copies into (caller, destination region) ----
  const uint32_t limit = copy_limit_of(dest);
  if (dest.copies_in_flight >= limit) {
    // Unconfirmed: the copy cap answers ResourceLimitExceeded with this text, by analogy with
    // the snapshot-copy quota (aws-facts §3.2).
    return ec2_error(ErrorCode::kResourceLimitExceeded,
                     "Too many AMI copies in progress. The limit is " + std::to_string(limit)
                         + " for this destination region.");
  }

  // ---- Start: the new image is pending at once ----
  const bool want_encrypted = is_set(in.encrypted) || encryption_by_default(caller, ctx.region);
  RegionState& destination_state = region_state(ctx.region);
  ImageRecord& image = insert_new_image(destination_state);
  image.owner = caller;
  image.state = ImageState::kPending;
  image.architecture = source.architecture;
  image.virtualization = source.virtualization;
  image.ena_support = source.ena_support;
  image.name = in.name;
  image.description = in.description.value_or("");
  image.root_device_name = source.root_device_name;
  image.boot_mode = source.boot_mode;
  image.creation_unix_ms = now_unix_ms();
  image.source_image_id = source.id;
  image.source_region = source_region;
  // Tags travel only within an account; launch permissions never (aws-facts §3.2).
  if (is_set(in.copy_image_tags) && source.owner == caller) {
    image.tags = source.tags;
  }
  for (const auto& [k, v] : *image_tags) {
    image.tags[k] = v;
  }

  uint64_t total_bytes = 0;
  CopyJob& job = allocate_job();
  job.source_snapshots.clear();
  for (std::size_t i = 0; i < source.block_devices.size(); ++i) {
    const ImageBlockDevice& from = source.block_devices[i];
    ImageBlockDevice device = from;
    device.snapshot_id = ResourceId();
    device.encrypted = want_encrypted || source_snapshots[i]->encrypted;
    image.block_devices.push_back(std::move(device));
    job.source_snapshots.push_back(from.snapshot_id);
    total_bytes += source_snapshots[i]->size_bytes();
  }
  sim::Duration duration;
  if (in.snapshot_copy_completion_duration_minutes.has_value()) {
    // A time-based copy completes in the duration asked for.
    duration = sim::Duration::minutes(*in.snapshot_copy_completion_duration_minutes);
  } else {
    duration = copy_time_.fixed_latency(source_region, ctx.region)
               + copy_time_.transfer_time(source_region, ctx.region, total_bytes, copy_time_rng_);
  }

  // A reused slot's strings and vectors keep their capacity: assigning reuses it.
  job.caller = ctx;
  job.source_state = &region_state(source_region);
  job.destination_state = &destination_state;
  job.destination_account = &dest;
  job.image = &image;
  job.account = caller;
  job.region = ctx.region;
  job.image_id = image.id;
  job.source_owner = source.owner;
  job.source_region = source_region;
  job.source_image_id = source.id;
  job.encrypt_all = want_encrypted;
  job.kms_key_ref = in.kms_key_id.value_or("");
  job.destination_key_arn.clear();
  job.snapshot_tags = std::move(snapshot_tags).value();
  job.started = ctx_.now();
  job.duration = duration;
  job.stalled = sim::Duration::zero();
  job.postponements = 0;
  image.copy_job = job.id;

  // The setup step runs after the fixed latency (or at once when the copy is shorter) when it has
  // something to check; otherwise the copy goes straight to its end.
  const bool needs_setup = options_.storage_permission_check_async
                           || std::any_of(image.block_devices.begin(),
                                          image.block_devices.end(),
                                          [](const ImageBlockDevice& d) { return d.encrypted; });
  const uint64_t job_id = job.id;
  const sim::Duration setup_at =
      std::min(copy_time_.fixed_latency(source_region, ctx.region), duration);
  job.event =
      needs_setup
          ? ctx_.scheduler().schedule_after(setup_at, [this, job_id] { copy_setup(job_id); })
          : ctx_.scheduler().schedule_after(duration, [this, job_id] { copy_complete(job_id); });
  const ResourceId image_id = image.id;
  dest.copies_in_flight += 1;
  dest.copies_peak = std::max(dest.copies_peak, dest.copies_in_flight);
  IBSIM_ASSERT(dest.copies_in_flight <= limit, "the copy cap is checked before a copy starts");
  ++copies_started_;
  if (in.client_token.has_value()) {
    dest.copy_tokens[*in.client_token] = {.image_id = image_id, .fingerprint = fingerprint};
  }
  ctx_.emit("ec2.copy.start",
            {{"account", caller.str()},
             {"region", ctx.region.str()},
             {"image", image_id.view()},
             {"source_account", source.owner.str()},
             {"source_region", source_region.str()},
             {"source_image", in.source_image_id},
             {"encrypted", want_encrypted ? 1 : 0},
             {"duration_ms", duration_ms(duration)}});
  return api::ec2::CopyImageOutput{.image_id = image_id.str()};
}

void Ec2Model::copy_setup(uint64_t job_id) {
  if (!gate_copy_step(job_id, CopyStep::kSetup)) {
    return;
  }
  CopyJob* found = find_job(job_id);
  IBSIM_ASSERT(found != nullptr, "a cancelled copy's events are cancelled too");
  CopyJob& job = *found;
  const ImageRecord* image = job.image;

  if (options_.storage_permission_check_async) {
    for (const ResourceId& snap_id : job.source_snapshots) {
      const SnapshotRecord* snap = find_in(job.source_state->snapshots, snap_id.view());
      if (snap == nullptr || !can_access_snapshot(*snap, job.account)) {
        fail_copy(job_id,
                  std::string(kStorageFailedCode),
                  std::string(kStorageAccessMessage),
                  ec2_error(ErrorCode::kInvalidRequest, std::string(kStorageAccessMessage)));
        return;
      }
    }
  }
  // The destination key is authenticated now, as the caller, via EC2 in the destination region:
  // the given KmsKeyId, else the caller's default EBS key there. A copy that keeps an owned
  // snapshot's key in the same region needs no other key.
  bool needs_destination_key = false;
  for (std::size_t i = 0; i < image->block_devices.size(); ++i) {
    const SnapshotRecord* snap =
        find_in(job.source_state->snapshots, job.source_snapshots[i].view());
    const bool keeps_key = snap != nullptr && snap->encrypted && !job.encrypt_all
                           && snap->owner == job.account && job.source_region == job.region;
    needs_destination_key =
        needs_destination_key || (image->block_devices[i].encrypted && !keeps_key);
  }
  if (needs_destination_key) {
    const std::string ref =
        job.kms_key_ref.empty() ? default_kms_key_arn(job.account, job.region) : job.kms_key_ref;
    sim::Result<std::string> key = ebs_keys_.describe_key(kms_context(job.caller, job.region), ref);
    if (!key.ok()) {
      fail_copy(job_id, std::string(kCopyFailedCode), std::string(kCopyFailedMessage), key.error());
      return;
    }
    job.destination_key_arn = std::move(key).value();
  }
  const sim::Duration remaining = (job.started + job.duration + job.stalled) - ctx_.now();
  job.event = ctx_.scheduler().schedule_after(std::max(remaining, sim::Duration::zero()),
                                              [this, job_id] { copy_complete(job_id); });
}

void Ec2Model::copy_complete(uint64_t job_id) {
  if (!gate_copy_step(job_id, CopyStep::kComplete)) {
    return;
  }
  CopyJob* found = find_job(job_id);
  IBSIM_ASSERT(found != nullptr, "a cancelled copy's events are cancelled too");
  CopyJob& job = *found;
  ImageRecord* image = job.image;

  // The KMS calls are made for the caller, via EC2 in each region; built only when needed.
  const api::CallContext* source_ctx = nullptr;
  const api::CallContext* destination_ctx = nullptr;
  RegionState& state = *job.destination_state;
  // The copy's snapshots are stored as they are made; a failure removes them again.
  auto abandon = [&](std::size_t made) {
    for (std::size_t k = 0; k < made; ++k) {
      state.snapshots.erase(image->block_devices[k].snapshot_id);
      image->block_devices[k].snapshot_id = ResourceId();
    }
  };
  const SnapshotRecord* root = nullptr;
  for (std::size_t i = 0; i < job.source_snapshots.size(); ++i) {
    const SnapshotRecord* source =
        find_in(job.source_state->snapshots, job.source_snapshots[i].view());
    if (source == nullptr) {
      abandon(i);
      fail_copy(job_id,
                std::string(kCopyFailedCode),
                std::string(kCopyFailedMessage),
                internal::snapshot_not_found(job.source_snapshots[i].view()));
      return;
    }
    SnapshotRecord& snap = insert_new_snapshot(state);
    snap.owner = job.account;
    snap.volume_size_gib = source->volume_size_gib;
    snap.start_unix_ms = now_unix_ms();
    snap.copied_for_image = job.image_id;
    snap.copied_from_image = job.source_image_id;
    snap.copied_from_snapshot = source->id;
    snap.tags = job.snapshot_tags;
    image->block_devices[i].snapshot_id = snap.id;
    if (i == 0) {
      root = &snap;
    }
    const bool encrypt = image->block_devices[i].encrypted;

    // Read the source: unwrap its data key as the caller, via EC2 in the source region.
    std::shared_ptr<const std::vector<uint8_t>> plaintext = source->content;
    if (source->encrypted) {
      if (source_ctx == nullptr) {
        fill_kms_context(job.caller, job.source_region, kms_source_scratch_);
        source_ctx = &kms_source_scratch_;
      }
      sim::Result<kms::Bytes> key =
          ebs_keys_.decrypt_data_key(*source_ctx, *source->data_key, source->id.view());
      if (!key.ok()) {
        abandon(i + 1);
        fail_copy(
            job_id, std::string(kCopyFailedCode), std::string(kCopyFailedMessage), key.error());
        return;
      }
      std::optional<std::vector<uint8_t>> opened = open_content(*source, *key);
      if (!opened.has_value()) {
        abandon(i + 1);
        fail_copy(job_id,
                  std::string(kCopyFailedCode),
                  std::string(kCopyFailedMessage),
                  ec2_error(ErrorCode::kInvalidRequest,
                            "The data key of " + source->id.str() + " does not decrypt it"));
        return;
      }
      plaintext = std::make_shared<const std::vector<uint8_t>>(std::move(*opened));
    }
    // Write the copy: a new data key under the destination key, the content re-encrypted.
    if (encrypt) {
      const bool keeps_key = source->encrypted && !job.encrypt_all && source->owner == job.account
                             && job.source_region == job.region;
      const std::string& key_arn = keeps_key ? source->kms_key_arn() : job.destination_key_arn;
      IBSIM_ASSERT(!key_arn.empty(), "the setup step resolved the destination key");
      if (destination_ctx == nullptr) {
        fill_kms_context(job.caller, job.region, kms_destination_scratch_);
        destination_ctx = &kms_destination_scratch_;
      }
      sim::Result<kms::DataKey> key =
          ebs_keys_.generate_data_key(*destination_ctx, key_arn, snap.id.view());
      if (!key.ok()) {
        abandon(i + 1);
        fail_copy(
            job_id, std::string(kCopyFailedCode), std::string(kCopyFailedMessage), key.error());
        return;
      }
      seal_content(snap, *key, *plaintext);
    } else {
      snap.content = std::move(plaintext);
    }
  }

  image->state = ImageState::kAvailable;
  image->copy_job = 0;
  // The root volume's key, for checkers; empty when unencrypted.
  const std::string_view key_arn = root != nullptr ? std::string_view(root->kms_key_arn()) : "";
  ctx_.emit("ec2.copy.done",
            {{"account", job.account.str()},
             {"region", job.region.str()},
             {"image", job.image_id.view()},
             {"kms_key", key_arn},
             {"duration_ms", duration_ms(ctx_.now() - job.started)}});
  finish_job(job_id);
}

void Ec2Model::fail_copy(uint64_t job_id,
                         std::string code,
                         std::string message,
                         sim::AwsError cause) {
  CopyJob* found = find_job(job_id);
  IBSIM_ASSERT(found != nullptr, "only running copies fail");
  CopyJob& job = *found;
  ImageRecord* image = job.image;
  ctx_.emit("ec2.copy.failed",
            {{"account", job.account.str()},
             {"region", job.region.str()},
             {"image", job.image_id.view()},
             {"source_image", job.source_image_id.view()},
             {"code", code},
             {"message", message},
             {"cause", cause.code},
             {"duration_ms", duration_ms(ctx_.now() - job.started)}});
  image->state = ImageState::kFailed;
  image->copy_job = 0;
  image->failure = std::make_unique<ImageFailure>(
      ImageFailure{.state_reason = {.code = std::move(code), .message = std::move(message)},
                   .cause = std::move(cause)});
  finish_job(job_id);
}

bool Ec2Model::gate_copy_step(uint64_t job_id, CopyStep step) {
  if (!copy_step_hook_) {
    return true;
  }
  CopyJob* found = find_job(job_id);
  IBSIM_ASSERT(found != nullptr, "a cancelled copy's events are cancelled too");
  CopyJob& job = *found;
  bool source_encrypted = false;
  for (const ResourceId& snap_id : job.source_snapshots) {
    const SnapshotRecord* snap = find_in(job.source_state->snapshots, snap_id.view());
    source_encrypted = source_encrypted || (snap != nullptr && snap->encrypted);
  }
  const bool encrypted = std::any_of(job.image->block_devices.begin(),
                                     job.image->block_devices.end(),
                                     [](const ImageBlockDevice& d) { return d.encrypted; });
  const CopyStepVerdict verdict = copy_step_hook_({.step = step,
                                                   .account = &job.account,
                                                   .source_region = &job.source_region,
                                                   .region = &job.region,
                                                   .image_id = job.image_id.view(),
                                                   .source_encrypted = source_encrypted,
                                                   .encrypted = encrypted,
                                                   .started = job.started,
                                                   .stalled = job.stalled,
                                                   .postponements = job.postponements});
  switch (verdict.kind) {
    case CopyStepVerdict::Kind::kProceed:
      job.postponements = 0;
      return true;
    case CopyStepVerdict::Kind::kPostpone: {
      IBSIM_ASSERT(verdict.delay > sim::Duration::zero(),
                   "a postponed step runs later, so a hook cannot stall virtual time");
      job.stalled += verdict.delay;
      ++job.postponements;
      ctx_.emit("ec2.copy.stalled",
                {{"account", job.account.str()},
                 {"region", job.region.str()},
                 {"image", job.image_id.view()},
                 {"step", step == CopyStep::kSetup ? "setup" : "complete"},
                 {"delay_ms", duration_ms(verdict.delay)}});
      job.event = step == CopyStep::kSetup
                      ? ctx_.scheduler().schedule_after(verdict.delay,
                                                        [this, job_id] { copy_setup(job_id); })
                      : ctx_.scheduler().schedule_after(verdict.delay,
                                                        [this, job_id] { copy_complete(job_id); });
      return false;
    }
    case CopyStepVerdict::Kind::kFail:
      fail_copy(
          job_id, std::string(kCopyFailedCode), std::string(kCopyFailedMessage), verdict.cause);
      return false;
  }
  return true;
}

Ec2Model::CopyJob& Ec2Model::allocate_job() {
  uint32_t slot = 0;
  if (free_copy_slots_.empty()) {
    IBSIM_ASSERT(copy_slots_.size() < UINT32_MAX, "fewer than 2^32 copies run at once");
    slot = static_cast<uint32_t>(copy_slots_.size());
    copy_slots_.push_back(std::make_unique<CopyJob>());
  } else {
    slot = free_copy_slots_.back();
    free_copy_slots_.pop_back();
  }
  CopyJob& job = *copy_slots_[slot];
  job.id = (next_job_id_++ << 32) | slot;
  ++copies_pending_;
  return job;
}

Ec2Model::CopyJob* Ec2Model::find_job(uint64_t job_id) {
  const uint64_t slot = job_id & 0xFFFFFFFFULL;
  if (job_id == 0 || slot >= copy_slots_.size() || copy_slots_[slot]->id != job_id) {
    return nullptr;
  }
  return copy_slots_[slot].get();
}

void Ec2Model::finish_job(uint64_t job_id) {
  CopyJob* job = find_job(job_id);
  IBSIM_ASSERT(job != nullptr, "a job finishes once");
  AccountRegionState& dest = *job->destination_account;
  IBSIM_ASSERT(dest.copies_in_flight > 0, "every running copy holds a slot");
  dest.copies_in_flight -= 1;
  job->id = 0;  // The slot is free; its buffers stay for the next copy.
  free_copy_slots_.push_back(static_cast<uint32_t>(job_id & 0xFFFFFFFFULL));
  --copies_pending_;
}

void Ec2Model::cancel_copy(ImageRecord& image, const api::Region& region) {
  CopyJob* job = find_job(image.copy_job);
  IBSIM_ASSERT(job != nullptr, "a pending image names its running copy");
  ctx_.scheduler().cancel(job->event);
  ctx_.emit("ec2.copy.cancelled",
            {{"account", image.owner.str()},
             {"region", region.str()},
             {"image", image.id.view()},
             {"duration_ms", duration_ms(ctx_.now() - job->started)}});
  image.copy_job = 0;
  finish_job(job->id);
}

}  // namespace ibsim::mock_aws::ec2
