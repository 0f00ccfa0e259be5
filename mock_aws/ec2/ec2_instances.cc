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
  for (const ImageBlockDevice& device : image.block_devices) {
    const SnapshotRecord* snap = find_snapshot(ctx.region, device.snapshot_id.view());
    IBSIM_ASSERT(snap != nullptr, "an available image's snapshots exist");
    if (snap->encrypted) {
      job->snapshot_ids.push_back(snap->id);
      job->keys.push_back(*snap->data_key);
    }
  }
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
  // Attaching an encrypted volume: EC2 unwraps the snapshot's data key for the caller.
  std::optional<sim::AwsError> failure;
  const api::CallContext kms_ctx = kms_context(job->caller, job->region);
  for (std::size_t i = 0; i < job->keys.size() && !failure.has_value(); ++i) {
    sim::Result<kms::Bytes> key =
        ebs_keys_.decrypt_data_key(kms_ctx, job->keys[i], job->snapshot_ids[i].view());
    if (!key.ok()) {
      failure = key.error();
    }
  }
  AccountRegionState& state = account_region(job->account, job->region);
  for (const ResourceId& id : job->instance_ids) {
    const auto rit = state.instances.find(id.view());
    if (rit == state.instances.end()) {
      continue;
    }
    InstanceRecord& r = rit->second;
    if (failure.has_value()) {
      r.state = InstanceStateName::kTerminated;
      r.state_reason = launch_failure_reason(*failure);
      r.launch_failure = failure;
    } else {
      r.state = InstanceStateName::kRunning;
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

}  // namespace ibsim::mock_aws::ec2
