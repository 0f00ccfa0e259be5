// Ec2Model: RunInstances and DescribeInstances at the level of authorization — can this principal
// launch this image here? RunInstances needs IAM (image, instance, launch template), the launch
// permission (own, shared, public) and, for encrypted snapshots, KMS use of each snapshot's key
// through EC2. Instances start `pending`; after the launch latency the snapshots' data keys are
// unwrapped as the caller, and the instances run or end `terminated` with AWS's StateReason.

#include <algorithm>
#include <map>

#include "mock_aws/api/arn.h"
#include "mock_aws/ec2/ec2_errors.h"
#include "mock_aws/ec2/ec2_internal.h"
#include "mock_aws/ec2/ec2_jobs.h"
#include "mock_aws/ec2/ec2_model.h"
#include "sim/base/assert.h"

namespace ibsim::mock_aws::ec2 {

namespace {

using internal::invalid_value;
using internal::is_set;

constexpr std::string_view kDefaultInstanceType = "m1.small";  // AWS's default for RunInstances.

api::ec2::Instance instance_shape(const InstanceRecord& r, const api::Region& region) {
  api::ec2::Instance out;
  out.instance_id = r.id.str();
  out.image_id = r.image_id.str();
  out.state = api::ec2::InstanceState{.code = instance_state_code(r.state),
                                      .name = std::string(to_string(r.state))};
  out.state_reason = r.state_reason;
  if (r.state_reason.has_value()) {
    out.state_transition_reason = r.state_reason->message;
  }
  out.instance_type = r.instance_type;
  if (!r.key_name.empty()) {
    out.key_name = r.key_name;
  }
  if (!r.client_token.empty()) {
    out.client_token = r.client_token;
  }
  out.launch_time = api::ec2::Timestamp{r.launch_unix_ms};
  out.architecture = std::string(to_string(r.architecture));
  out.virtualization_type = std::string(to_string(r.virtualization));
  out.root_device_name = r.root_device_name;
  out.root_device_type = "ebs";
  out.platform_details = "Linux/UNIX";
  out.ami_launch_index = r.launch_index;
  out.placement = api::ec2::Placement{.availability_zone = region.str() + "a"};
  out.tags = internal::to_tag_list(r.tags);
  return out;
}

// AWS's StateReason for an instance whose volume key cannot be used (aws-facts §4.6 states).
api::ec2::StateReason launch_failure_reason(const sim::AwsError& cause) {
  if (cause.code == "DisabledException" || cause.code == "KMSInvalidStateException") {
    return {.code = "Client.InvalidKMSKey.InvalidState",
            .message =
                "Client.InvalidKMSKey.InvalidState: The KMS key provided is in an "
                "incompatible state"};
  }
  return {.code = "Client.InternalError",
          .message = "Client.InternalError: Client error on launch"};
}

}  // namespace

sim::Result<api::ec2::RunInstancesOutput> Ec2Model::run_instances(
    const api::CallContext& ctx, const api::ec2::RunInstancesInput& in) {
  if (sim::Status s = throttle(ctx, ActionClass::kResourceIntensive); !s.ok()) {
    return s.error();
  }
  if (in.min_count < 1 || in.max_count < in.min_count
      || in.max_count > internal::kRunInstancesCountMax) {
    return invalid_value("MaxCount",
                         std::to_string(in.max_count),
                         "MinCount and MaxCount must satisfy 1 <= MinCount <= MaxCount <= 100.");
  }
  const api::AccountId& caller = ctx.principal.account;
  // The launch template, when given, supplies what the request leaves out.
  const LaunchTemplateRecord* lt = nullptr;
  const LaunchTemplateVersionRecord* lt_version = nullptr;
  if (in.launch_template.has_value()) {
    const AccountRegionState* state = find_account_region(caller, ctx.region);
    const api::ec2::LaunchTemplateSpecification& spec = *in.launch_template;
    if (spec.launch_template_id.has_value() == spec.launch_template_name.has_value()) {
      return ec2_error(ErrorCode::kInvalidParameterCombination,
                       "Specify either the launch template ID or the launch template name.");
    }
    if (spec.launch_template_id.has_value()) {
      if (!is_well_formed_id(*spec.launch_template_id, IdKind::kLaunchTemplate)) {
        return internal::malformed_id(IdKind::kLaunchTemplate, *spec.launch_template_id);
      }
      lt = find_launch_template(caller, ctx.region, *spec.launch_template_id);
      if (lt == nullptr) {
        return ec2_error(ErrorCode::kInvalidLaunchTemplateIdNotFound,
                         "The specified launch template, with template ID "
                             + *spec.launch_template_id + ", does not exist.");
      }
    } else {
      const ResourceId* named = nullptr;
      if (state != nullptr) {
        const auto it = state->launch_template_names.find(*spec.launch_template_name);
        named = it == state->launch_template_names.end() ? nullptr : &it->second;
      }
      if (named == nullptr) {
        return ec2_error(ErrorCode::kInvalidLaunchTemplateNameNotFound,
                         "The specified launch template, with template name "
                             + *spec.launch_template_name + ", does not exist.");
      }
      lt = find_launch_template(caller, ctx.region, named->view());
    }
    sim::Result<const LaunchTemplateVersionRecord*> v =
        resolve_version(*lt, spec.version.value_or("$Default"));
    if (!v.ok()) {
      return v.error();
    }
    lt_version = *v;
  }
  std::optional<std::string> image_id = in.image_id;
  if (!image_id.has_value() && lt_version != nullptr) {
    image_id = lt_version->data.image_id;
  }
  if (!image_id.has_value()) {
    return internal::missing_parameter("ImageId");
  }
  std::string instance_type = in.instance_type.value_or(
      lt_version != nullptr
          ? lt_version->data.instance_type.value_or(std::string(kDefaultInstanceType))
          : std::string(kDefaultInstanceType));
  sim::Result<TagMap> tags =
      internal::tags_for(in.tag_specifications, "instance", {"instance", "volume"});
  if (!tags.ok()) {
    return tags.error();
  }
  // The launch permission: the image must be the caller's, shared with it, or public.
  sim::Result<const ImageRecord*> found = visible_image(ctx, ctx.region, *image_id);
  if (!found.ok()) {
    return found.error();
  }
  const ImageRecord& image = **found;
  if (image.state != ImageState::kAvailable) {
    // Unconfirmed: launching from an image that is not available answers
    // InvalidAMIID.Unavailable with ibsim's text.
    return ec2_error(ErrorCode::kInvalidAmiIdUnavailable,
                     "The image id '[" + *image_id + "]' is not available (state "
                         + std::string(to_string(image.state)) + ")");
  }

  // The volumes: the image's block devices as the request's (or the template's) mappings change
  // them. Encryption: an encrypted snapshot gives an encrypted volume; Encrypted=true or the
  // account's encryption by default encrypts the others; KmsKeyId picks the key.
  std::vector<api::ec2::BlockDeviceMapping> mappings = in.block_device_mappings;
  if (mappings.empty() && lt_version != nullptr) {
    for (const api::ec2::LaunchTemplateBlockDeviceMappingRequest& m :
         lt_version->data.block_device_mappings) {
      api::ec2::BlockDeviceMapping bdm{.device_name = m.device_name,
                                       .virtual_name = m.virtual_name,
                                       .ebs = std::nullopt,
                                       .no_device = m.no_device};
      if (m.ebs.has_value()) {
        bdm.ebs = api::ec2::EbsBlockDevice{.delete_on_termination = m.ebs->delete_on_termination,
                                           .iops = m.ebs->iops,
                                           .snapshot_id = m.ebs->snapshot_id,
                                           .volume_size = m.ebs->volume_size,
                                           .volume_type = m.ebs->volume_type,
                                           .kms_key_id = m.ebs->kms_key_id,
                                           .throughput = m.ebs->throughput,
                                           .encrypted = m.ebs->encrypted};
      }
      mappings.push_back(std::move(bdm));
    }
  }
  const bool by_default = encryption_by_default(caller, ctx.region);
  std::vector<LaunchVolume> volumes;
  std::vector<int32_t> min_sizes;
  for (const ImageBlockDevice& device : image.block_devices) {
    const SnapshotRecord* snap = find_snapshot(ctx.region, device.snapshot_id.view());
    IBSIM_ASSERT(snap != nullptr, "an available image's snapshots exist");
    LaunchVolume v;
    v.volume.device_name = device.device_name;
    v.volume.volume_size_gib = device.volume_size_gib;
    v.volume.volume_type = device.volume_type;
    v.volume.delete_on_termination = device.delete_on_termination;
    v.volume.encrypted = snap->encrypted || by_default;
    v.source_snapshot = snap->id;
    v.source_encrypted = snap->encrypted;
    v.source_content = snap->content;
    v.source_iv = snap->iv;
    if (snap->encrypted) {
      v.source_key = *snap->data_key;
    }
    volumes.push_back(std::move(v));
    min_sizes.push_back(snap->volume_size_gib);
  }
  for (const api::ec2::BlockDeviceMapping& m : mappings) {
    if (!m.device_name.has_value() || m.device_name->empty()) {
      return internal::missing_parameter("BlockDeviceMapping.DeviceName");
    }
    const auto it = std::find_if(volumes.begin(), volumes.end(), [&](const LaunchVolume& v) {
      return v.volume.device_name == *m.device_name;
    });
    if (m.no_device.has_value()) {
      if (it != volumes.end()) {
        min_sizes.erase(min_sizes.begin() + (it - volumes.begin()));
        volumes.erase(it);
      }
      continue;
    }
    if (!m.ebs.has_value()) {
      continue;  // Instance-store (ephemeral) volumes are not modelled.
    }
    const api::ec2::EbsBlockDevice& ebs = *m.ebs;
    if (ebs.kms_key_id.has_value() && !is_set(ebs.encrypted)) {
      return ec2_error(ErrorCode::kInvalidParameterDependency,
                       "The parameter KmsKeyId requires the parameter Encrypted to be set.");
    }
    if (ebs.snapshot_id.has_value()) {
      // Deviation from AWS: RunInstances volumes from other snapshots than the image's are not
      // modelled.
      return ec2_error(ErrorCode::kUnsupportedOperation,
                       "ibsim does not model volumes from other snapshots than the image's");
    }
    if (ebs.volume_size.has_value()
        && (*ebs.volume_size < internal::kVolumeSizeMinGib
            || *ebs.volume_size > internal::kVolumeSizeMaxGib)) {
      return invalid_value(
          "VolumeSize", std::to_string(*ebs.volume_size), "It must be 1 to 65536 GiB.");
    }
    if (it == volumes.end()) {
      if (!ebs.volume_size.has_value()) {
        return internal::missing_parameter("BlockDeviceMapping.Ebs.VolumeSize");
      }
      LaunchVolume v;  // A new, empty volume.
      v.volume.device_name = *m.device_name;
      v.volume.volume_size_gib = *ebs.volume_size;
      v.volume.volume_type = ebs.volume_type.value_or("gp3");
      v.volume.delete_on_termination = ebs.delete_on_termination.value_or(true);
      v.volume.encrypted = is_set(ebs.encrypted) || by_default;
      v.key_ref = ebs.kms_key_id.value_or("");
      volumes.push_back(std::move(v));
      min_sizes.push_back(internal::kVolumeSizeMinGib);
      continue;
    }
    LaunchVolume& v = *it;
    const int32_t min_size = min_sizes[static_cast<std::size_t>(it - volumes.begin())];
    if (ebs.volume_size.has_value()) {
      if (*ebs.volume_size < min_size) {
        return invalid_value("VolumeSize",
                             std::to_string(*ebs.volume_size),
                             "Volume of size " + std::to_string(*ebs.volume_size)
                                 + "GB is smaller than snapshot '" + v.source_snapshot.str()
                                 + "', expect size >= " + std::to_string(min_size) + "GB");
      }
      v.volume.volume_size_gib = *ebs.volume_size;
    }
    if (ebs.volume_type.has_value()) {
      v.volume.volume_type = *ebs.volume_type;
    }
    if (ebs.delete_on_termination.has_value()) {
      v.volume.delete_on_termination = *ebs.delete_on_termination;
    }
    // Unconfirmed: Encrypted=false on a volume from an encrypted snapshot is ignored (the volume
    // stays encrypted).
    v.volume.encrypted = v.volume.encrypted || is_set(ebs.encrypted);
    v.key_ref = ebs.kms_key_id.value_or("");
  }

  // IAM: the image (with the launch permission as its resource side), the new instances, the
  // launch template, and tagging on create.
  const std::string image_arn = api::ec2_image_arn(ctx.region, *image_id);
  if (sim::Status s = authorize(ctx,
                                {.action = "ec2:RunInstances",
                                 .resource = image_arn,
                                 .resource_account = image.owner.str(),
                                 .resource_policy = launch_permission_grant(image, caller),
                                 .keys = image_keys(image, ctx.region)},
                                true);
      !s.ok()) {
    return s.error();
  }
  const std::string instance_arn = api::ec2_instance_arn(ctx.region, caller, "*");
  std::vector<auth::ContextValue> instance_keys = {
      {.key = "ec2:Region", .values = {ctx.region.str()}},
      {.key = "ec2:InstanceType", .values = {instance_type}}};
  internal::add_request_tag_keys(*tags, instance_keys);
  if (sim::Status s = authorize(ctx,
                                {.action = "ec2:RunInstances",
                                 .resource = instance_arn,
                                 .resource_account = caller.str(),
                                 .keys = instance_keys},
                                true);
      !s.ok()) {
    return s.error();
  }
  if (lt != nullptr) {
    const std::string lt_arn = api::ec2_launch_template_arn(ctx.region, caller, lt->id.view());
    if (sim::Status s = authorize(ctx,
                                  {.action = "ec2:RunInstances",
                                   .resource = lt_arn,
                                   .resource_account = caller.str(),
                                   .keys = launch_template_keys(*lt, ctx.region)},
                                  true);
        !s.ok()) {
      return s.error();
    }
  }
  if (!tags->empty()) {
    instance_keys.push_back({.key = "ec2:CreateAction", .values = {"RunInstances"}});
    if (sim::Status s = authorize(ctx,
                                  {.action = "ec2:CreateTags",
                                   .resource = instance_arn,
                                   .resource_account = caller.str(),
                                   .keys = instance_keys},
                                  true);
        !s.ok()) {
      return s.error();
    }
  }
  if (is_set(in.dry_run)) {
    return internal::dry_run_success();
  }

  AccountRegionState& state = account_region(caller, ctx.region);
  if (in.client_token.has_value()) {
    if (sim::Status s = internal::validate_client_token(in.client_token); !s.ok()) {
      return s.error();
    }
    if (const auto it = state.run_tokens.find(*in.client_token); it != state.run_tokens.end()) {
      // The same token answers with the same reservation.
      api::ec2::Reservation again{.reservation_id = it->second.str(),
                                  .owner_id = caller.str(),
                                  .requester_id = std::nullopt,
                                  .instances = {}};
      for (const auto& [id, instance] : state.instances) {
        if (instance.reservation_id == it->second) {
          again.instances.push_back(instance_shape(instance, ctx.region));
        }
      }
      return again;
    }
  }

  auto job = std::make_unique<LaunchJob>();
  job->id = next_job_id_++;
  job->caller = ctx;
  job->account = caller;
  job->region = ctx.region;
  job->volumes = std::move(volumes);
  const ResourceId reservation = generate_id(IdKind::kReservation, id_rng_);
  api::ec2::Reservation out{.reservation_id = reservation.str(),
                            .owner_id = caller.str(),
                            .requester_id = std::nullopt,
                            .instances = {}};
  for (int32_t i = 0; i < in.max_count; ++i) {
    InstanceRecord r;
    r.id = generate_id(IdKind::kInstance, id_rng_);
    r.image_id = image.id;
    r.reservation_id = reservation;
    r.requester_arn = ctx.principal.arn;
    r.instance_type = instance_type;
    r.key_name = in.key_name.value_or(lt_version != nullptr ? lt_version->data.key_name.value_or("")
                                                            : std::string());
    r.client_token = in.client_token.value_or("");
    r.architecture = image.architecture;
    r.virtualization = image.virtualization;
    r.root_device_name = image.root_device_name;
    r.launch_index = i;
    r.launch_unix_ms = now_unix_ms();
    r.tags = *tags;
    out.instances.push_back(instance_shape(r, ctx.region));
    job->instance_ids.push_back(r.id);
    const ResourceId id = r.id;
    state.instances.emplace(id, std::move(r));
  }
  if (in.client_token.has_value()) {
    state.run_tokens[*in.client_token] = reservation;
  }
  ctx_.emit("ec2.instance.run",
            {{"account", caller.str()},
             {"region", ctx.region.str()},
             {"image", image.id.view()},
             {"image_owner", image.owner.str()},
             {"reservation", reservation.view()},
             {"count", in.max_count}});
  const uint64_t job_id = job->id;
  launch_jobs_.emplace(job_id, std::move(job));
  ctx_.scheduler().schedule_after(options_.instance_launch_latency,
                                  [this, job_id] { launch_complete(job_id); });
  return out;
}

void Ec2Model::launch_complete(uint64_t job_id) {
  const auto it = launch_jobs_.find(job_id);
  IBSIM_ASSERT(it != launch_jobs_.end(), "a launch completes once");
  std::unique_ptr<LaunchJob> job = std::move(it->second);
  launch_jobs_.erase(it);
  // Creating the volumes, as the caller via EC2: an encrypted snapshot's data key is unwrapped
  // (and its content decrypted); an encrypted volume's key is described, and a volume under
  // another key than its snapshot's gets a new data key.
  std::optional<sim::AwsError> failure;
  const api::CallContext kms_ctx = kms_context(job->caller, job->region);
  for (LaunchVolume& v : job->volumes) {
    std::shared_ptr<const std::vector<uint8_t>> plaintext = v.source_content;
    if (v.source_encrypted) {
      sim::Result<kms::Bytes> key =
          ebs_keys_.decrypt_data_key(kms_ctx, v.source_key, v.source_snapshot.view());
      if (!key.ok()) {
        failure = key.error();
        break;
      }
      std::optional<std::vector<uint8_t>> opened =
          open_sealed(*v.source_content, v.source_iv, v.source_snapshot.view(), *key);
      if (!opened.has_value()) {
        failure = sim::aws_error("InvalidCiphertextException", "");
        break;
      }
      plaintext = std::make_shared<const std::vector<uint8_t>>(std::move(*opened));
    } else if (plaintext == nullptr) {
      plaintext = std::make_shared<const std::vector<uint8_t>>();
    }
    v.volume.content = std::move(plaintext);
    if (!v.volume.encrypted) {
      continue;
    }
    const std::string ref = !v.key_ref.empty()   ? v.key_ref
                            : v.source_encrypted ? v.source_key.key_arn
                                                 : default_kms_key_arn(job->account, job->region);
    sim::Result<std::string> arn = ebs_keys_.describe_key(kms_ctx, ref);
    if (!arn.ok()) {
      failure = arn.error();
      break;
    }
    v.volume.kms_key_arn = *arn;
    if (!(v.source_encrypted && *arn == v.source_key.key_arn)) {
      // The volume's own data key; ibsim names the volume by its instance's id.
      sim::Result<kms::DataKey> key =
          ebs_keys_.generate_data_key(kms_ctx, *arn, job->instance_ids.front().view());
      if (!key.ok()) {
        failure = key.error();
        break;
      }
    }
  }
  AccountRegionState& state = account_region(job->account, job->region);
  for (const ResourceId& id : job->instance_ids) {
    const auto rit = state.instances.find(id.view());
    if (rit == state.instances.end() || rit->second.state != InstanceStateName::kPending) {
      continue;  // Terminated meanwhile.
    }
    InstanceRecord& r = rit->second;
    if (failure.has_value()) {
      r.state = InstanceStateName::kTerminated;
      r.state_reason = launch_failure_reason(*failure);
      r.launch_failure = failure;
    } else {
      r.state = InstanceStateName::kRunning;
      r.volumes.clear();
      for (const LaunchVolume& v : job->volumes) {
        r.volumes.push_back(v.volume);
      }
    }
    ctx_.emit(
        "ec2.instance.state",
        {{"account", job->account.str()},
         {"region", job->region.str()},
         {"instance", id.view()},
         {"state", to_string(r.state)},
         {"cause", failure.has_value() ? std::string_view(failure->code) : std::string_view()}});
  }
}

sim::Result<api::ec2::DescribeInstancesOutput> Ec2Model::describe_instances(
    const api::CallContext& ctx, const api::ec2::DescribeInstancesInput& in) const {
  if (sim::Status s = throttle(ctx, ActionClass::kNonMutating); !s.ok()) {
    return s.error();
  }
  for (const std::string& id : in.instance_ids) {
    if (!is_well_formed_id(id, IdKind::kInstance)) {
      return internal::malformed_id(IdKind::kInstance, id);
    }
  }
  for (const api::ec2::Filter& f : in.filters) {
    const bool tag_filter =
        f.name.substr(0, 4) == "tag:" || f.name == "tag-key" || f.name == "tag-value";
    if (!tag_filter && f.name != "instance-id" && f.name != "image-id"
        && f.name != "instance-state-name" && f.name != "instance-type"
        && f.name != "reservation-id") {
      return internal::unknown_filter(f.name);
    }
  }
  if (sim::Status s =
          authorize(ctx, {.action = "ec2:DescribeInstances", .resource = "*", .keys = {}}, false);
      !s.ok()) {
    return s.error();
  }
  if (is_set(in.dry_run)) {
    return internal::dry_run_success();
  }
  const AccountRegionState* state = find_account_region(ctx.principal.account, ctx.region);
  for (const std::string& id : in.instance_ids) {
    if (state == nullptr || state->instances.count(id) == 0) {
      return ec2_error(ErrorCode::kInvalidInstanceIdNotFound,
                       "The instance ID '" + id + "' does not exist");
    }
  }
  // Reservations in id order, each with its matching instances.
  std::map<std::string_view, api::ec2::Reservation> reservations;
  if (state != nullptr) {
    for (const auto& [id, r] : state->instances) {
      if (!in.instance_ids.empty()
          && std::find(in.instance_ids.begin(), in.instance_ids.end(), id.view())
                 == in.instance_ids.end()) {
        continue;
      }
      const bool keep = std::all_of(in.filters.begin(), in.filters.end(), [&](const auto& f) {
        if (std::optional<bool> tag = internal::match_tag_filter(f, r.tags)) {
          return *tag;
        }
        const std::string_view value = f.name == "instance-id"           ? id.view()
                                       : f.name == "image-id"            ? r.image_id.view()
                                       : f.name == "instance-state-name" ? to_string(r.state)
                                       : f.name == "instance-type"
                                           ? std::string_view(r.instance_type)
                                           : r.reservation_id.view();
        return internal::any_value_matches(f, value);
      });
      if (!keep) {
        continue;
      }
      api::ec2::Reservation& res = reservations[r.reservation_id.view()];
      res.reservation_id = r.reservation_id.str();
      res.owner_id = ctx.principal.account.str();
      res.instances.push_back(instance_shape(r, ctx.region));
    }
  }
  std::vector<api::ec2::Reservation> all;
  for (auto& [id, res] : reservations) {
    all.push_back(std::move(res));
  }
  sim::Result<internal::Page> page = internal::paginate(all.size(),
                                                        in.max_results,
                                                        in.next_token,
                                                        internal::kDescribeImagesMaxResultsMin,
                                                        internal::kDescribeMaxResultsMax);
  if (!page.ok()) {
    return page.error();
  }
  api::ec2::DescribeInstancesOutput out;
  out.next_token = page->next_token;
  for (std::size_t i = page->begin; i < page->end; ++i) {
    out.reservations.push_back(std::move(all[i]));
  }
  return out;
}

// ---- CreateImage ---------------------------------------------------------------------------

sim::Result<api::ec2::CreateImageOutput> Ec2Model::create_image(
    const api::CallContext& ctx, const api::ec2::CreateImageInput& in) {
  if (sim::Status s = throttle(ctx, ActionClass::kResourceIntensive); !s.ok()) {
    return s.error();
  }
  if (!in.instance_id.has_value() || in.instance_id->empty()) {
    return internal::missing_parameter("InstanceId");
  }
  if (!in.name.has_value()) {
    return internal::missing_parameter("Name");
  }
  if (sim::Status s = internal::validate_image_name(*in.name); !s.ok()) {
    return s.error();
  }
  if (sim::Status s = internal::validate_description(in.description); !s.ok()) {
    return s.error();
  }
  if (!in.block_device_mappings.empty()) {
    // Deviation from AWS: CreateImage's block device overrides are not modelled; the image has
    // the instance's volumes as they are.
    return ec2_error(ErrorCode::kUnsupportedOperation,
                     "ibsim does not model BlockDeviceMappings on CreateImage");
  }
  if (!is_well_formed_id(*in.instance_id, IdKind::kInstance)) {
    return internal::malformed_id(IdKind::kInstance, *in.instance_id);
  }
  const api::AccountId& caller = ctx.principal.account;
  AccountRegionState& state = account_region(caller, ctx.region);
  const auto found = state.instances.find(std::string_view(*in.instance_id));
  if (found == state.instances.end()) {
    return ec2_error(ErrorCode::kInvalidInstanceIdNotFound,
                     "The instance ID '" + *in.instance_id + "' does not exist");
  }
  const InstanceRecord& instance = found->second;
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
  if (const RegionState* region = find_region_state(ctx.region)) {
    for (const auto& [id, image] : region->images) {
      if (image.owner == caller && image.name == *in.name) {
        return ec2_error(ErrorCode::kInvalidAmiNameDuplicate,
                         "AMI name " + *in.name + " is already in use by AMI " + id.str());
      }
    }
  }

  // IAM: the instance, the new image, and tagging on create per resource type.
  const std::string instance_arn = api::ec2_instance_arn(ctx.region, caller, *in.instance_id);
  std::vector<auth::ContextValue> instance_keys = {
      {.key = "ec2:Region", .values = {ctx.region.str()}}};
  internal::add_resource_tag_keys(instance.tags, instance_keys);
  if (sim::Status s = authorize(ctx,
                                {.action = "ec2:CreateImage",
                                 .resource = instance_arn,
                                 .resource_account = caller.str(),
                                 .keys = instance_keys},
                                true);
      !s.ok()) {
    return s.error();
  }
  const std::string& image_arn = new_image_arn(ctx.region);
  std::vector<auth::ContextValue> image_keys_new = {
      {.key = "ec2:Region", .values = {ctx.region.str()}}};
  internal::add_request_tag_keys(*image_tags, image_keys_new);
  if (sim::Status s = authorize(ctx,
                                {.action = "ec2:CreateImage",
                                 .resource = image_arn,
                                 .resource_account = caller.str(),
                                 .keys = image_keys_new},
                                true);
      !s.ok()) {
    return s.error();
  }
  const std::string snapshot_arn = api::ec2_snapshot_arn(ctx.region, "*");
  for (const auto& [tags, target] :
       {std::pair{&*image_tags, &image_arn}, std::pair{&*snapshot_tags, &snapshot_arn}}) {
    if (tags->empty()) {
      continue;
    }
    std::vector<auth::ContextValue> tag_keys = {
        {.key = "ec2:CreateAction", .values = {"CreateImage"}},
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
  if (instance.state != InstanceStateName::kRunning) {
    // Unconfirmed: CreateImage from an instance that is not running answers
    // IncorrectInstanceState with ibsim's text.
    return ec2_error(ErrorCode::kIncorrectInstanceState,
                     "The instance '" + *in.instance_id + "' is "
                         + std::string(to_string(instance.state))
                         + "; an image can be created from a running instance only.");
  }
  if (is_set(in.dry_run)) {
    return internal::dry_run_success();
  }

  // The image is pending while its snapshots are taken (same-region copy time).
  ImageRecord& image = insert_new_image(region_state(ctx.region));
  image.owner = caller;
  image.state = ImageState::kPending;
  image.architecture = instance.architecture;
  image.virtualization = instance.virtualization;
  image.name = *in.name;
  image.description = in.description.value_or("");
  image.root_device_name = instance.root_device_name;
  image.creation_unix_ms = now_unix_ms();
  image.tags = std::move(image_tags).value();
  uint64_t total_bytes = 0;
  for (const InstanceVolume& v : instance.volumes) {
    image.block_devices.push_back(ImageBlockDevice{.device_name = v.device_name,
                                                   .snapshot_id = {},
                                                   .volume_size_gib = v.volume_size_gib,
                                                   .volume_type = v.volume_type,
                                                   .delete_on_termination = v.delete_on_termination,
                                                   .encrypted = v.encrypted});
    total_bytes += static_cast<uint64_t>(v.volume_size_gib) << 30;
  }
  auto job = std::make_unique<ImageJob>();
  job->id = next_job_id_++;
  job->caller = ctx;
  job->account = caller;
  job->region = ctx.region;
  job->image_id = image.id;
  job->instance_id = instance.id;
  job->volumes = instance.volumes;
  job->snapshot_tags = std::move(snapshot_tags).value();
  job->started = ctx_.now();
  const sim::Duration duration =
      copy_time_.fixed_latency()
      + copy_time_.transfer_time(ctx.region, ctx.region, total_bytes, copy_time_rng_);
  const uint64_t job_id = job->id;
  image_jobs_.emplace(job_id, std::move(job));
  ctx_.scheduler().schedule_after(duration, [this, job_id] { create_image_complete(job_id); });
  ctx_.emit("ec2.image.create",
            {{"account", caller.str()},
             {"region", ctx.region.str()},
             {"image", image.id.view()},
             {"instance", instance.id.view()},
             {"duration_ms", duration.ms()}});
  return api::ec2::CreateImageOutput{.image_id = image.id.str()};
}

void Ec2Model::create_image_complete(uint64_t job_id) {
  const auto it = image_jobs_.find(job_id);
  IBSIM_ASSERT(it != image_jobs_.end(), "an image is created once");
  std::unique_ptr<ImageJob> job = std::move(it->second);
  image_jobs_.erase(it);
  ImageRecord* image = find_image_mutable(job->region, job->image_id.view());
  if (image == nullptr) {
    return;  // Deregistered while pending.
  }
  RegionState& region = region_state(job->region);
  const api::CallContext kms_ctx = kms_context(job->caller, job->region);
  std::optional<sim::AwsError> failure;
  std::size_t made = 0;
  for (; made < job->volumes.size(); ++made) {
    const InstanceVolume& v = job->volumes[made];
    SnapshotRecord& snap = insert_new_snapshot(region);
    snap.owner = job->account;
    snap.volume_size_gib = v.volume_size_gib;
    snap.start_unix_ms = now_unix_ms();
    snap.description =
        "Created by CreateImage(" + job->instance_id.str() + ") for " + job->image_id.str();
    snap.tags = job->snapshot_tags;
    image->block_devices[made].snapshot_id = snap.id;
    const std::shared_ptr<const std::vector<uint8_t>> content =
        v.content != nullptr ? v.content : std::make_shared<const std::vector<uint8_t>>();
    if (!v.encrypted) {
      snap.content = content;
      continue;
    }
    // The snapshot's data key under the volume's key, as the caller via EC2.
    sim::Result<kms::DataKey> key =
        ebs_keys_.generate_data_key(kms_ctx, v.kms_key_arn, snap.id.view());
    if (!key.ok()) {
      failure = key.error();
      ++made;
      break;
    }
    seal_content(snap, *key, *content);
  }
  if (failure.has_value()) {
    for (std::size_t k = 0; k < made; ++k) {
      region.snapshots.erase(image->block_devices[k].snapshot_id);
      image->block_devices[k].snapshot_id = ResourceId();
    }
    ctx_.emit("ec2.image.failed",
              {{"account", job->account.str()},
               {"region", job->region.str()},
               {"image", job->image_id.view()},
               {"cause", failure->code}});
    image->state = ImageState::kFailed;
    // Unconfirmed: a CreateImage failed by KMS shows StateReason {Server.InternalError,
    // "Internal error"}.
    image->failure = std::make_unique<ImageFailure>(
        ImageFailure{.state_reason = {.code = "Server.InternalError", .message = "Internal error"},
                     .cause = std::move(*failure)});
    return;
  }
  image->state = ImageState::kAvailable;
  ctx_.emit("ec2.image.available",
            {{"account", job->account.str()},
             {"region", job->region.str()},
             {"image", job->image_id.view()},
             {"duration_ms", (ctx_.now() - job->started).ms()}});
}

// ---- TerminateInstances --------------------------------------------------------------------

sim::Result<api::ec2::TerminateInstancesOutput> Ec2Model::terminate_instances(
    const api::CallContext& ctx, const api::ec2::TerminateInstancesInput& in) {
  if (sim::Status s = throttle(ctx, ActionClass::kMutating); !s.ok()) {
    return s.error();
  }
  if (in.instance_ids.empty()) {
    return internal::missing_parameter("InstanceId");
  }
  const api::AccountId& caller = ctx.principal.account;
  AccountRegionState& state = account_region(caller, ctx.region);
  std::vector<InstanceRecord*> targets;
  for (const std::string& id : in.instance_ids) {
    if (!is_well_formed_id(id, IdKind::kInstance)) {
      return internal::malformed_id(IdKind::kInstance, id);
    }
    const auto it = state.instances.find(std::string_view(id));
    if (it == state.instances.end()) {
      return ec2_error(ErrorCode::kInvalidInstanceIdNotFound,
                       "The instance ID '" + id + "' does not exist");
    }
    targets.push_back(&it->second);
  }
  for (const InstanceRecord* r : targets) {
    std::vector<auth::ContextValue> keys = {{.key = "ec2:Region", .values = {ctx.region.str()}}};
    internal::add_resource_tag_keys(r->tags, keys);
    const std::string arn = api::ec2_instance_arn(ctx.region, caller, r->id.view());
    if (sim::Status s = authorize(ctx,
                                  {.action = "ec2:TerminateInstances",
                                   .resource = arn,
                                   .resource_account = caller.str(),
                                   .keys = keys},
                                  true);
        !s.ok()) {
      return s.error();
    }
  }
  if (is_set(in.dry_run)) {
    return internal::dry_run_success();
  }
  api::ec2::TerminateInstancesOutput out;
  for (InstanceRecord* r : targets) {
    const InstanceStateName previous = r->state;
    if (previous != InstanceStateName::kTerminated) {
      // Deviation from AWS: instances go straight to terminated (AWS shows shutting-down first).
      r->state = InstanceStateName::kTerminated;
      r->state_reason =
          api::ec2::StateReason{.code = "Client.UserInitiatedShutdown",
                                .message = "Client.UserInitiatedShutdown: User initiated shutdown"};
      r->volumes.clear();
      ctx_.emit("ec2.instance.state",
                {{"account", caller.str()},
                 {"region", ctx.region.str()},
                 {"instance", r->id.view()},
                 {"state", to_string(r->state)},
                 {"cause", "Client.UserInitiatedShutdown"}});
    }
    out.terminating_instances.push_back(
        {.instance_id = r->id.str(),
         .current_state = api::ec2::InstanceState{.code = instance_state_code(r->state),
                                                  .name = std::string(to_string(r->state))},
         .previous_state = api::ec2::InstanceState{.code = instance_state_code(previous),
                                                   .name = std::string(to_string(previous))}});
  }
  return out;
}

}  // namespace ibsim::mock_aws::ec2
