// One function per step of a job. Each makes at most one AWS call per attempt (a few make a
// bounded series of calls, one per kAgain), hands errors to on_error (retry or fail), and says
// whether the job goes on, waits or failed. docs/distribution.md draws the resulting sequence.

#include <algorithm>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "mock_aws/api/arn.h"
#include "sim/base/assert.h"
#include "src/client/call_error.h"
#include "src/engine/client_token.h"
#include "src/engine/distribution_engine.h"
#include "src/engine/engine_internal.h"
#include "src/engine/reasons.h"
#include "src/engine/retry.h"

namespace ibsim::engine {

namespace api = mock_aws::api;
namespace ec2 = client::ec2;

namespace {

constexpr std::string_view kStateAvailable = "available";
constexpr std::string_view kStatePending = "pending";
constexpr std::string_view kInstanceRunning = "running";
constexpr std::string_view kInstancePending = "pending";
constexpr std::string_view kParameterTypeString = "String";
// Unconfirmed: the dataType Image Builder uses when a configuration names none.
constexpr std::string_view kDefaultParameterDataType = "aws:ec2:image";

// The wait before poll number `polls` + 1: poll_interval, doubling up to poll_interval_max.
sim::Duration poll_delay(const EngineOptions& options, uint32_t polls) {
  sim::Duration delay = options.poll_interval;
  for (uint32_t i = 1; i < polls && delay < options.poll_interval_max; ++i) {
    delay = delay * 2;
  }
  return std::min(delay, options.poll_interval_max);
}

sim::AwsError not_found(std::string_view image_id) {
  return sim::aws_error("InvalidAMIID.NotFound",
                        "The image id '[" + std::string(image_id) + "]' does not exist");
}

std::vector<ec2::Tag> to_tags(const std::map<std::string, std::string>& tags) {
  std::vector<ec2::Tag> out;
  out.reserve(tags.size());
  for (const auto& [k, v] : tags) {
    out.push_back(ec2::Tag{k, v});
  }
  return out;
}

bool any_encrypted(const ec2::Image& image) {
  return std::any_of(image.block_device_mappings.begin(),
                     image.block_device_mappings.end(),
                     [](const ec2::BlockDeviceMapping& m) {
                       return m.ebs.has_value() && m.ebs->encrypted.value_or(false);
                     });
}

std::vector<std::string> snapshot_ids_of(const ec2::Image& image) {
  std::vector<std::string> out;
  for (const ec2::BlockDeviceMapping& m : image.block_device_mappings) {
    if (m.ebs.has_value() && m.ebs->snapshot_id.has_value() && !m.ebs->snapshot_id->empty()) {
      out.push_back(*m.ebs->snapshot_id);
    }
  }
  return out;
}

// The target accounts of a region: deduplicated, in plan order, without the owner (who already
// holds the AMI there). Unconfirmed: how Image Builder treats the owner listed as a target.
std::vector<api::AccountId> targets_of(const ib::RegionPlan& region, const api::AccountId& owner) {
  std::vector<api::AccountId> out;
  if (!region.ami.has_value()) {
    return out;
  }
  std::set<api::AccountId> seen;
  for (const api::AccountId& a : region.ami->target_account_ids) {
    if (a != owner && seen.insert(a).second) {
      out.push_back(a);
    }
  }
  return out;
}

// Report order of a region's target: after the region's own job, in targetAccountIds order.
uint64_t target_order(uint32_t region_index, uint32_t target_index) {
  return ((uint64_t{region_index} + 1) << 32U) | (uint64_t{target_index} + 1);
}

bool is_target(const std::vector<api::AccountId>& targets, const api::AccountId& account) {
  return std::find(targets.begin(), targets.end(), account) != targets.end();
}

}  // namespace

// ---- Distribution: preparation ---------------------------------------------------------------

DistributionEngine::StepStatus DistributionEngine::step_describe_source(Job& job) {
  Run& run = *job.run;
  StepStatus status = StepStatus::kFailed;
  client::Ec2Client* ec2c = ec2_for(job, run.owner, &status);
  if (ec2c == nullptr) {
    return status;
  }
  const Site site{.step = "DescribeImages",
                  .service = "EC2",
                  .resource = run.plan.source_ami_id,
                  .acting_as = job.role_arn};
  ++stats_.calls;
  sim::Result<ec2::DescribeImagesOutput> out =
      ec2c->describe_images({.image_ids = {run.plan.source_ami_id}});
  if (!out.ok()) {
    return on_error(job, site, out.error());
  }
  if (out->images.empty()) {
    const sim::AwsError e = not_found(run.plan.source_ami_id);
    record_failure(job, site, &e, job_line(job, site, e), e.message);
    return StepStatus::kFailed;
  }
  const ec2::Image& image = out->images.front();
  run.source_encrypted = any_encrypted(image);
  run.source_name = image.name.value_or("");
  run.source_description = image.description.value_or("");
  run.source_snapshot_ids = snapshot_ids_of(image);
  return StepStatus::kNext;
}

DistributionEngine::StepStatus DistributionEngine::step_spawn_regions(Job& job) {
  Run& run = *job.run;
  const ib::DistributionPlan& plan = run.plan;
  for (uint32_t r = 0; r < plan.regions.size(); ++r) {
    const ib::RegionPlan& region = plan.regions[r];
    RegionProgress& progress = run.regions[r];
    const bool has_ami = region.ami.has_value();
    progress.name = has_ami && !region.ami->name.empty() ? region.ami->name : run.source_name;
    progress.description = has_ami && !region.ami->description.empty() ? region.ami->description
                                                                       : run.source_description;
    progress.targets = targets_of(region, run.owner);
    progress.shared.assign(progress.targets.size(), false);
    const std::vector<api::AccountId>& targets = progress.targets;
    Job& rj = new_job(run, JobKind::kRegion, (uint64_t{r} + 1) << 32U, run.owner, region.region);
    rj.region_index = r;
    if (region.region == run.source_region) {
      // The original AMI is the owner's AMI in the build region (aws-facts §1.3: the source
      // region's kmsKeyId does not re-encrypt it).
      rj.steps.push_back({Step::kUseSourceImage});
      if (!targets.empty()) {
        rj.steps.push_back({Step::kTagSourceSnapshots});
      }
    } else {
      rj.steps.push_back({Step::kAcquireSlots});
      rj.steps.push_back({Step::kCopyImage});
      rj.steps.push_back({Step::kWaitImage});
      rj.steps.push_back({Step::kReleaseSlots});
    }
    if (has_ami && !region.ami->ami_tags.empty()) {
      rj.steps.push_back({Step::kTagImage});
    }
    if (has_ami && region.ami->launch_permission.has_value()) {
      rj.steps.push_back({Step::kLaunchPermission});
    }
    if (!targets.empty()) {
      rj.steps.push_back({Step::kShareWithTargets});
      rj.steps.push_back({Step::kSpawnTargets});
    }
    // Launch templates and parameters of the owner, and of accounts that get no copy here
    // (they are given the owner's AMI, shared through launchPermission).
    for (uint32_t i = 0; i < region.launch_templates.size(); ++i) {
      const api::AccountId account = region.launch_templates[i].account_id.value_or(run.owner);
      if (!is_target(targets, account)) {
        rj.steps.push_back({Step::kLaunchTemplate, i});
      }
    }
    for (uint32_t i = 0; i < region.ssm_parameters.size(); ++i) {
      const api::AccountId account = region.ssm_parameters[i].ami_account_id.value_or(run.owner);
      if (!is_target(targets, account)) {
        rj.steps.push_back({Step::kPutParameter, i});
      }
    }
    start_job(rj);
  }
  return StepStatus::kNext;
}

// ---- The owner's AMI in each region ----------------------------------------------------------

DistributionEngine::StepStatus DistributionEngine::step_use_source_image(Job& job) {
  Run& run = *job.run;
  job.ami_id = run.plan.source_ami_id;
  job.snapshot_ids = run.source_snapshot_ids;
  RegionProgress& progress = run.regions[job.region_index];
  progress.ami_id = job.ami_id;
  progress.snapshot_ids = job.snapshot_ids;
  progress.name = run.source_name;
  progress.description = run.source_description;
  record_output(job, "AVAILABLE", "");
  return StepStatus::kNext;
}

DistributionEngine::StepStatus DistributionEngine::step_tag_source_snapshots(Job& job) {
  // The service-linked role may only share snapshots tagged CreatedBy = EC2 Image Builder, and
  // may tag snapshots only with that tag (aws-facts §2.1). Image Builder's own builds tag them at
  // creation; a source image made otherwise gets the tag here.
  // Unconfirmed: whether Image Builder tags snapshots it did not create.
  if (job.snapshot_ids.empty()) {
    return StepStatus::kNext;
  }
  StepStatus status = StepStatus::kFailed;
  client::Ec2Client* ec2c = ec2_for(job, job.account, &status);
  if (ec2c == nullptr) {
    return status;
  }
  ++stats_.calls;
  sim::Result<ec2::DescribeSnapshotsOutput> described =
      ec2c->describe_snapshots({.snapshot_ids = job.snapshot_ids});
  if (!described.ok()) {
    const Site site{.step = "DescribeSnapshots",
                    .service = "EC2",
                    .resource = job.snapshot_ids.front(),
                    .acting_as = job.role_arn};
    return on_error(job, site, described.error());
  }
  std::vector<std::string> untagged;
  for (const ec2::Snapshot& s : described->snapshots) {
    const bool tagged = std::any_of(
        s.tags.begin(), s.tags.end(), [](const ec2::Tag& t) { return t.key == kCreatedByTagKey; });
    if (!tagged && s.snapshot_id.has_value()) {
      untagged.push_back(*s.snapshot_id);
    }
  }
  if (untagged.empty()) {
    return StepStatus::kNext;
  }
  const Site site{.step = "CreateTags",
                  .service = "EC2",
                  .resource = untagged.front(),
                  .acting_as = job.role_arn};
  ++stats_.calls;
  sim::Result<ec2::CreateTagsOutput> tagged = ec2c->create_tags(
      {.resources = untagged,
       .tags = {ec2::Tag{std::string(kCreatedByTagKey), std::string(kCreatedByTagValue)}}});
  if (!tagged.ok()) {
    return on_error(job, site, tagged.error());
  }
  return StepStatus::kNext;
}

DistributionEngine::StepStatus DistributionEngine::step_acquire_slots(Job& job) {
  // Slots are taken in one order (distribution configuration, account and region, engine), so
  // jobs that hold one while waiting for the next never wait on each other in a cycle.
  if (options_.copies_per_distribution_max > 0 && !job.holds_config_slot) {
    if (job.config_queued) {
      return StepStatus::kWait;
    }
    ConfigCap& cc = config_cap_for(*job.run);
    job.config_cap = &cc;
    if (cc.cap.try_acquire()) {
      job.holds_config_slot = true;
    } else {
      const sim::ConcurrencyCap::Acquire a = cc.cap.acquire(
          [this, id = job.id, cap = &cc] { on_config_slot(id, cap); }, &job.config_ticket);
      if (a == sim::ConcurrencyCap::Acquire::kRejected) {
        const sim::AwsError e = sim::aws_error(
            "ResourceLimitExceeded",
            "ibsim: more than " + std::to_string(options_.copy_waiters_max)
                + " copies wait for a distribution-configuration slot "
                  "(EngineOptions::copy_waiters_max).");
        const Site site{.step = "CopyImage", .service = "EC2", .acting_as = job.role_arn};
        record_failure(job, site, &e, job_line(job, site, e), e.message);
        return StepStatus::kFailed;
      }
      job.config_queued = true;
      emit_step(job, "engine.copy.queued", "AcquireCopySlot", "distribution-configuration");
      return StepStatus::kWait;
    }
  }
  if (!job.holds_key_slot) {
    if (job.key_queued) {
      return StepStatus::kWait;
    }
    KeyCap& kc = cap_for(CapKey{job.account, job.region});
    job.key_cap = &kc;
    if (kc.cap.try_acquire()) {
      job.holds_key_slot = true;
    } else {
      const sim::ConcurrencyCap::Acquire a =
          kc.cap.acquire([this, id = job.id, cap = &kc] { on_key_slot(id, cap); }, &job.key_ticket);
      if (a == sim::ConcurrencyCap::Acquire::kRejected) {
        const sim::AwsError e =
            sim::aws_error("ResourceLimitExceeded",
                           "ibsim: more than " + std::to_string(options_.copy_waiters_max)
                               + " copies wait for a slot (EngineOptions::copy_waiters_max).");
        const Site site{.step = "CopyImage", .service = "EC2", .acting_as = job.role_arn};
        record_failure(job, site, &e, job_line(job, site, e), e.message);
        return StepStatus::kFailed;
      }
      job.key_queued = true;
      emit_step(job, "engine.copy.queued", "AcquireCopySlot", "account-region");
      return StepStatus::kWait;
    }
  }
  if (!job.holds_engine_slot) {
    if (job.engine_queued) {
      return StepStatus::kWait;
    }
    if (engine_cap_.try_acquire()) {
      job.holds_engine_slot = true;
    } else {
      const sim::ConcurrencyCap::Acquire a =
          engine_cap_.acquire([this, id = job.id] { on_engine_slot(id); }, &job.engine_ticket);
      if (a == sim::ConcurrencyCap::Acquire::kRejected) {
        const sim::AwsError e = sim::aws_error(
            "ResourceLimitExceeded",
            "ibsim: more than " + std::to_string(options_.copy_waiters_max)
                + " copies wait for an engine slot (EngineOptions::copy_waiters_max).");
        const Site site{.step = "CopyImage", .service = "EC2", .acting_as = job.role_arn};
        record_failure(job, site, &e, job_line(job, site, e), e.message);
        return StepStatus::kFailed;
      }
      job.engine_queued = true;
      emit_step(job, "engine.copy.queued", "AcquireCopySlot", "engine");
      return StepStatus::kWait;
    }
  }
  const uint32_t key_in_use = job.key_cap->cap.in_use();
  IBSIM_ASSERT(key_in_use <= options_.copies_per_account_region_max, "caps are never exceeded");
  IBSIM_ASSERT(engine_cap_.in_use() <= options_.copies_in_flight_max, "caps are never exceeded");
  stats_.copies_per_account_region_peak =
      std::max(stats_.copies_per_account_region_peak, key_in_use);
  stats_.copies_in_flight_peak = std::max(stats_.copies_in_flight_peak, engine_cap_.in_use());
  ctx_.emit("engine.copy.slot",
            {{"run", job.run->id},
             {"job", job.id},
             {"account", job.account.str()},
             {"region", job.region.str()},
             {"in_flight", key_in_use},
             {"engine_in_flight", engine_cap_.in_use()}});
  return StepStatus::kNext;
}

DistributionEngine::StepStatus DistributionEngine::step_release_slots(Job& job) {
  release_slots(job);
  ctx_.emit("engine.copy.slot.release",
            {{"run", job.run->id},
             {"job", job.id},
             {"account", job.account.str()},
             {"region", job.region.str()},
             {"in_flight", copies_in_flight(job.account, job.region)},
             {"engine_in_flight", engine_cap_.in_use()}});
  return StepStatus::kNext;
}

DistributionEngine::StepStatus DistributionEngine::step_copy_image(Job& job) {
  Run& run = *job.run;
  const ib::RegionPlan& region = run.plan.regions[job.region_index];
  const RegionProgress& progress = run.regions[job.region_index];
  StepStatus status = StepStatus::kFailed;
  client::Ec2Client* ec2c = ec2_for(job, job.account, &status);
  if (ec2c == nullptr) {
    return status;
  }
  const bool owner_copy = job.kind == JobKind::kRegion;
  const std::string kms_key_id = region.ami.has_value() ? region.ami->kms_key_id : std::string();
  ec2::CopyImageInput in;
  in.name = progress.name;
  in.source_image_id = owner_copy ? run.plan.source_ami_id : progress.ami_id;
  in.source_region = owner_copy ? run.source_region.str() : job.region.str();
  if (!progress.description.empty()) {
    in.description = progress.description;
  }
  // Encrypted copies stay encrypted; with a kmsKeyId the copy is re-encrypted under it, else
  // EC2 uses the destination account's default EBS key (aws-facts §3.2).
  if (run.source_encrypted || !kms_key_id.empty()) {
    in.encrypted = true;
  }
  if (!kms_key_id.empty()) {
    in.kms_key_id = kms_key_id;
  }
  in.client_token = client_token({run.image_arn, job.region.str(), job.account.str()});
  if (owner_copy) {
    // The copy's snapshots carry CreatedBy so the service-linked role may share them later.
    const std::vector<ec2::Tag> tags = {
        ec2::Tag{std::string(kCreatedByTagKey), std::string(kCreatedByTagValue)},
        ec2::Tag{std::string(kImageArnTagKey), run.image_arn}};
    in.tag_specifications = {ec2::TagSpecification{std::string("image"), tags},
                             ec2::TagSpecification{std::string("snapshot"), tags}};
  }
  const Site site{.step = "CopyImage",
                  .service = "EC2",
                  .resource = in.source_image_id,
                  .acting_as = job.role_arn};
  ++stats_.calls;
  sim::Result<ec2::CopyImageOutput> out = ec2c->copy_image(in);
  if (!out.ok()) {
    return on_error(job, site, out.error());
  }
  job.ami_id = out->image_id.value_or("");
  ++stats_.copies_started;
  ctx_.emit("engine.copy.start",
            {{"run", run.id},
             {"job", job.id},
             {"account", job.account.str()},
             {"region", job.region.str()},
             {"source", in.source_image_id},
             {"image", job.ami_id},
             {"kms_key", kms_key_id}});
  return StepStatus::kNext;
}

sim::Duration& DistributionEngine::copy_time_estimate(const Job& job) {
  // At most (regions)^2 entries: every region pair a copy can take.
  return copy_time_estimates_
      .try_emplace({job.run->source_region, job.region}, options_.poll_interval)
      .first->second;
}

void DistributionEngine::learn_copy_time(const Job& job) {
  // Each copy seen available gives one sample of how long copies of this pair take: three
  // quarters of the way from the last poll that found it pending to the one that found it done
  // (a copy is usually seen done soon after it is: the polls double), or, when the first poll
  // already found it done, three quarters of the wait. The estimate is a moving average of the
  // samples (weight 1/8), so it settles near the typical copy time and follows changes; each
  // sample is a measured time, so a burst of copies observed together moves it towards their
  // mean, never beyond.
  const sim::Duration waited = ctx_.now() - job.wait_started;
  const sim::Duration pending_for =
      job.polls == 0 ? sim::Duration::zero() : job.last_pending - job.wait_started;
  const sim::Duration sample = pending_for + (waited - pending_for) * 3 / 4;
  sim::Duration& estimate = copy_time_estimate(job);
  estimate = std::clamp(
      estimate + (sample - estimate) / 8, options_.poll_interval, options_.poll_first_max);
}

DistributionEngine::StepStatus DistributionEngine::step_wait_image(Job& job) {
  Run& run = *job.run;
  const bool adaptive = options_.poll_adaptive && !run.is_build;
  if (job.sub == 0) {
    job.sub = 1;  // Nothing is ready at once: the first look is when the copy is expected done.
    job.wait_started = ctx_.now();
    const sim::Duration first = adaptive ? copy_time_estimate(job) : poll_delay(options_, 1);
    job.first_poll_learnt = first > poll_delay(options_, 1);
    return wait_then_resume(job, first);
  }
  StepStatus status = StepStatus::kFailed;
  client::Ec2Client* ec2c = ec2_for(job, job.account, &status);
  if (ec2c == nullptr) {
    return status;
  }
  const Site site{.step = "DescribeImages",
                  .service = "EC2",
                  .resource = job.ami_id,
                  .acting_as = job.role_arn};
  ++stats_.calls;
  ++stats_.polls;
  sim::Result<ec2::DescribeImagesOutput> out = ec2c->describe_images({.image_ids = {job.ami_id}});
  if (!out.ok()) {
    return on_error(job, site, out.error());
  }
  const ec2::Image* image = out->images.empty() ? nullptr : &out->images.front();
  const std::string state = image != nullptr ? image->state.value_or("") : std::string();
  const bool pending = image == nullptr || state == kStatePending;
  if (pending) {
    // Not visible yet (eventual consistency) or still copying: poll again, boundedly.
    job.last_pending = ctx_.now();
    if (++job.polls >= options_.polls_per_wait_max) {
      const sim::AwsError e =
          sim::aws_error("ibsim.PollLimit",
                         "ibsim: the image was still pending after " + std::to_string(job.polls)
                             + " polls (EngineOptions::polls_per_wait_max).");
      if (run.is_build) {
        fail_build(job, build_reason_image(run.image_arn, e.message), site, &e);
        return StepStatus::kFailed;
      }
      record_failure(job, site, &e, job_line(job, site, e), e.message);
      return StepStatus::kFailed;
    }
    // After a first poll at the learnt copy time the copy should be nearly done: the next polls
    // start again from poll_interval. Otherwise (nothing learnt yet) they go on doubling.
    return wait_then_resume(
        job, poll_delay(options_, job.first_poll_learnt ? job.polls : job.polls + 1));
  }
  if (state == kStateAvailable) {
    if (adaptive) {
      learn_copy_time(job);
    }
    job.snapshot_ids = snapshot_ids_of(*image);
    if (run.is_build) {
      return StepStatus::kNext;
    }
    if (job.kind == JobKind::kRegion) {
      RegionProgress& progress = run.regions[job.region_index];
      progress.ami_id = job.ami_id;
      progress.snapshot_ids = job.snapshot_ids;
    }
    ctx_.emit("engine.copy.done",
              {{"run", run.id},
               {"job", job.id},
               {"account", job.account.str()},
               {"region", job.region.str()},
               {"image", job.ami_id},
               {"state", state}});
    record_output(job, "AVAILABLE", "");
    return StepStatus::kNext;
  }
  // failed (or another terminal state): AWS shows only the StateReason; ibsim adds the cause the
  // service recorded, when the transport can tell.
  const std::string reason =
      image->state_reason.has_value() ? image->state_reason->message.value_or("") : std::string();
  const std::optional<sim::AwsError> cause = ec2c->image_failure_cause(job.ami_id);
  ctx_.emit("engine.copy.done",
            {{"run", run.id},
             {"job", job.id},
             {"account", job.account.str()},
             {"region", job.region.str()},
             {"image", job.ami_id},
             {"state", state},
             {"reason", reason}});
  const Site failed_site{
      .step = "WaitForImage", .service = "EC2", .resource = job.ami_id, .acting_as = job.role_arn};
  if (run.is_build) {
    fail_build(job,
               build_reason_image(run.image_arn,
                                  "The image " + job.ami_id + " ended '" + state + "': " + reason),
               failed_site,
               cause.has_value() ? &*cause : nullptr);
    return StepStatus::kFailed;
  }
  // Unconfirmed: whether outputResources.amis lists a copy that failed; ibsim does, FAILED.
  record_output(job, "FAILED", reason);
  const JobFailureLine line{.kind = JobFailureLine::Kind::kCopyFailed,
                            .service = "EC2",
                            .ami_id = job.ami_id,
                            .source_account = run.owner,
                            .destination_account = job.account,
                            .region = job.region};
  record_failure(
      job, failed_site, cause.has_value() ? &*cause : nullptr, format_job_line(line), reason);
  return StepStatus::kFailed;
}

DistributionEngine::StepStatus DistributionEngine::step_tag_image(Job& job) {
  const ib::RegionPlan& region = job.run->plan.regions[job.region_index];
  if (!region.ami.has_value() || region.ami->ami_tags.empty()) {
    return StepStatus::kNext;
  }
  StepStatus status = StepStatus::kFailed;
  client::Ec2Client* ec2c = ec2_for(job, job.account, &status);
  if (ec2c == nullptr) {
    return status;
  }
  const Site site{
      .step = "CreateTags", .service = "EC2", .resource = job.ami_id, .acting_as = job.role_arn};
  ++stats_.calls;
  sim::Result<ec2::CreateTagsOutput> out =
      ec2c->create_tags({.resources = {job.ami_id}, .tags = to_tags(region.ami->ami_tags)});
  if (!out.ok()) {
    return on_error(job, site, out.error());
  }
  return StepStatus::kNext;
}

DistributionEngine::StepStatus DistributionEngine::step_launch_permission(Job& job) {
  const ib::RegionPlan& region = job.run->plan.regions[job.region_index];
  if (!region.ami.has_value() || !region.ami->launch_permission.has_value()) {
    return StepStatus::kNext;
  }
  const ib::LaunchPermissionPlan& lp = *region.ami->launch_permission;
  ec2::LaunchPermissionModifications mods;
  for (const std::string& id : lp.user_ids) {
    mods.add.push_back({.user_id = id});
  }
  for (const std::string& group : lp.user_groups) {
    mods.add.push_back({.group = group});
  }
  for (const std::string& arn : lp.organization_arns) {
    mods.add.push_back({.organization_arn = arn});
  }
  for (const std::string& arn : lp.organizational_unit_arns) {
    mods.add.push_back({.organizational_unit_arn = arn});
  }
  if (mods.add.empty()) {
    return StepStatus::kNext;
  }
  StepStatus status = StepStatus::kFailed;
  client::Ec2Client* ec2c = ec2_for(job, job.account, &status);
  if (ec2c == nullptr) {
    return status;
  }
  const Site site{.step = "ModifyImageAttribute",
                  .service = "EC2",
                  .resource = job.ami_id,
                  .acting_as = job.role_arn};
  ++stats_.calls;
  sim::Result<ec2::ModifyImageAttributeOutput> out =
      ec2c->modify_image_attribute({.image_id = job.ami_id, .launch_permission = mods});
  if (!out.ok()) {
    return on_error(job, site, out.error());
  }
  return StepStatus::kNext;
}

DistributionEngine::StepStatus DistributionEngine::step_spawn_targets(Job& job) {
  Run& run = *job.run;
  const uint32_t r = job.region_index;
  const ib::RegionPlan& region = run.plan.regions[r];
  const RegionProgress& progress = run.regions[r];
  for (uint32_t i = 0; i < progress.targets.size(); ++i) {
    if (!progress.shared[i]) {
      continue;  // Its sharing failed; the failure is recorded.
    }
    const api::AccountId& target = progress.targets[i];
    Job& tj = new_job(run, JobKind::kTarget, target_order(r, i), target, region.region);
    tj.region_index = r;
    // Unconfirmed: the order of a target's calls (aws-facts §8): the role first, then the copy
    // from the owner's AMI in the same region, its tags, launch templates and parameters.
    tj.steps = {{Step::kAssumeRole},
                {Step::kAcquireSlots},
                {Step::kCopyImage},
                {Step::kWaitImage},
                {Step::kReleaseSlots}};
    if (region.ami.has_value() && !region.ami->ami_tags.empty()) {
      tj.steps.push_back({Step::kTagImage});
    }
    for (uint32_t k = 0; k < region.launch_templates.size(); ++k) {
      if (region.launch_templates[k].account_id.value_or(run.owner) == target) {
        tj.steps.push_back({Step::kLaunchTemplate, k});
      }
    }
    for (uint32_t k = 0; k < region.ssm_parameters.size(); ++k) {
      if (region.ssm_parameters[k].ami_account_id.value_or(run.owner) == target) {
        tj.steps.push_back({Step::kPutParameter, k});
      }
    }
    start_job(tj);
  }
  return StepStatus::kNext;
}

DistributionEngine::StepStatus DistributionEngine::step_share_with_targets(Job& job) {
  // The owner's AMI in the region and each of its snapshots are shared with the region's target
  // accounts, share_accounts_per_call_max accounts per call: per batch one ModifyImageAttribute
  // (launchPermission add) and one ModifySnapshotAttribute (createVolumePermission add) per
  // snapshot, as the service-linked role. A batch that fails fails its targets only.
  Run& run = *job.run;
  RegionProgress& progress = run.regions[job.region_index];
  const std::size_t targets = progress.targets.size();
  const std::size_t per_call = options_.share_accounts_per_call_max;
  const std::size_t calls_per_batch = 1 + progress.snapshot_ids.size();
  const std::size_t batches = (targets + per_call - 1) / per_call;
  if (job.sub >= batches * calls_per_batch) {
    return StepStatus::kNext;
  }
  const std::size_t batch = job.sub / calls_per_batch;
  const std::size_t phase = job.sub % calls_per_batch;
  const std::size_t first = batch * per_call;
  const std::size_t last = std::min(targets, first + per_call);
  if (phase == 0) {
    for (std::size_t i = first; i < last; ++i) {
      progress.shared[i] = true;  // Until a call of the batch fails.
    }
  }
  StepStatus status = StepStatus::kFailed;
  client::Ec2Client* ec2c = ec2_for(job, run.owner, &status);
  if (ec2c == nullptr) {
    return status;
  }
  const std::string& resource = phase == 0 ? progress.ami_id : progress.snapshot_ids[phase - 1];
  const Site site{.step = phase == 0 ? "ModifyImageAttribute" : "ModifySnapshotAttribute",
                  .service = "EC2",
                  .resource = resource,
                  .acting_as = run.slr_arn};
  ++stats_.calls;
  sim::Status done = sim::ok_status();
  if (phase == 0) {
    ec2::LaunchPermissionModifications mods;
    for (std::size_t i = first; i < last; ++i) {
      mods.add.push_back({.user_id = progress.targets[i].str()});
    }
    sim::Result<ec2::ModifyImageAttributeOutput> out =
        ec2c->modify_image_attribute({.image_id = resource, .launch_permission = mods});
    if (!out.ok()) {
      done = out.error();
    }
  } else {
    ec2::CreateVolumePermissionModifications mods;
    for (std::size_t i = first; i < last; ++i) {
      mods.add.push_back({.user_id = progress.targets[i].str()});
    }
    sim::Result<ec2::ModifySnapshotAttributeOutput> out =
        ec2c->modify_snapshot_attribute({.snapshot_id = resource,
                                         .attribute = std::string("createVolumePermission"),
                                         .create_volume_permission = mods});
    if (!out.ok()) {
      done = out.error();
    }
  }
  if (!done.ok()) {
    if (retry_later(job, site, done.error(), &status)) {
      return status;
    }
    if (is_denial(done.error())) {
      emit_step(job, "engine.step.denied", site.step, done.error().code);
    }
    // Every target of the batch fails with the call's error; the other batches go on.
    for (std::size_t i = first; i < last; ++i) {
      progress.shared[i] = false;
      const Site target_site{.step = site.step,
                             .service = site.service,
                             .resource = site.resource,
                             .acting_as = site.acting_as,
                             .account = &progress.targets[i]};
      record_failure(job,
                     target_site,
                     &done.error(),
                     job_line(job, target_site, done.error()),
                     done.error().message,
                     target_order(job.region_index, static_cast<uint32_t>(i)));
    }
    job.sub = static_cast<uint32_t>((batch + 1) * calls_per_batch);
    job.attempt = 0;
    return job.sub >= batches * calls_per_batch ? StepStatus::kNext : StepStatus::kAgain;
  }
  ++job.sub;
  return job.sub >= batches * calls_per_batch ? StepStatus::kNext : StepStatus::kAgain;
}

// ---- A target account in a region ------------------------------------------------------------

DistributionEngine::StepStatus DistributionEngine::step_assume_role(Job& job) {
  // Assuming the role before waiting for a copy slot fails a misconfigured account at once; the
  // session is cached and renewed before it expires.
  StepStatus status = StepStatus::kFailed;
  if (ec2_for(job, job.account, &status) == nullptr) {
    return status;
  }
  return StepStatus::kNext;
}

const std::string& DistributionEngine::ami_for_account(const Job& job,
                                                       const api::AccountId& account) const {
  if (job.kind == JobKind::kTarget && account == job.account) {
    return job.ami_id;
  }
  return job.run->regions[job.region_index].ami_id;
}

DistributionEngine::StepStatus DistributionEngine::step_launch_template(Job& job, uint32_t index) {
  Run& run = *job.run;
  const ib::LaunchTemplatePlan& lt = run.plan.regions[job.region_index].launch_templates[index];
  const api::AccountId account = lt.account_id.value_or(run.owner);
  const std::string role = acting_role(job, account);
  StepStatus status = StepStatus::kFailed;
  client::Ec2Client* ec2c = ec2_for(job, account, &status);
  if (ec2c == nullptr) {
    return status;
  }
  const std::string& ami = ami_for_account(job, account);
  switch (job.sub) {
    case 0: {
      const Site site{.step = "DescribeLaunchTemplates",
                      .service = "EC2",
                      .resource = lt.launch_template_id,
                      .acting_as = role,
                      .account = &account};
      ++stats_.calls;
      sim::Result<ec2::DescribeLaunchTemplatesOutput> out =
          ec2c->describe_launch_templates({.launch_template_ids = {lt.launch_template_id}});
      if (!out.ok()) {
        return on_error(job, site, out.error());
      }
      if (out->launch_templates.empty()) {
        const sim::AwsError e = sim::aws_error("InvalidLaunchTemplateId.NotFound",
                                               "The specified launch template, with template ID "
                                                   + lt.launch_template_id + ", does not exist.");
        record_failure(job, site, &e, job_line(job, site, e), e.message);
        return StepStatus::kFailed;
      }
      job.scratch = out->launch_templates.front().default_version_number.value_or(1);
      job.sub = 1;
      return StepStatus::kAgain;
    }
    case 1: {
      const Site site{.step = "CreateLaunchTemplateVersion",
                      .service = "EC2",
                      .resource = lt.launch_template_id,
                      .acting_as = role,
                      .account = &account};
      ec2::CreateLaunchTemplateVersionInput in;
      in.launch_template_id = lt.launch_template_id;
      // The new version keeps the default version's settings and changes only the AMI
      // (aws-facts §2.2). Unconfirmed: that Image Builder bases it on the default version.
      in.source_version = std::to_string(job.scratch);
      in.launch_template_data.image_id = ami;
      in.client_token = client_token(
          {run.image_arn, job.region.str(), account.str(), lt.launch_template_id, "version"});
      ++stats_.calls;
      sim::Result<ec2::CreateLaunchTemplateVersionOutput> out =
          ec2c->create_launch_template_version(in);
      if (!out.ok()) {
        return on_error(job, site, out.error());
      }
      job.scratch = out->launch_template_version.has_value()
                        ? out->launch_template_version->version_number.value_or(0)
                        : 0;
      ctx_.emit("engine.launch_template.version",
                {{"run", run.id},
                 {"account", account.str()},
                 {"region", job.region.str()},
                 {"launch_template", lt.launch_template_id},
                 {"version", job.scratch},
                 {"image", ami}});
      if (!lt.set_default_version) {
        return StepStatus::kNext;
      }
      job.sub = 2;
      return StepStatus::kAgain;
    }
    default: {
      const Site site{.step = "ModifyLaunchTemplate",
                      .service = "EC2",
                      .resource = lt.launch_template_id,
                      .acting_as = role,
                      .account = &account};
      ec2::ModifyLaunchTemplateInput in;
      in.launch_template_id = lt.launch_template_id;
      in.default_version = std::to_string(job.scratch);
      in.client_token = client_token(
          {run.image_arn, job.region.str(), account.str(), lt.launch_template_id, "default"});
      ++stats_.calls;
      sim::Result<ec2::ModifyLaunchTemplateOutput> out = ec2c->modify_launch_template(in);
      if (!out.ok()) {
        return on_error(job, site, out.error());
      }
      return StepStatus::kNext;
    }
  }
}

DistributionEngine::StepStatus DistributionEngine::step_put_parameter(Job& job, uint32_t index) {
  Run& run = *job.run;
  const ib::SsmParameterPlan& p = run.plan.regions[job.region_index].ssm_parameters[index];
  const api::AccountId account = p.ami_account_id.value_or(run.owner);
  const std::string role = acting_role(job, account);
  StepStatus status = StepStatus::kFailed;
  std::unique_ptr<client::SsmClient> ssm = ssm_for(job, account, &status);
  if (ssm == nullptr) {
    return status;
  }
  const Site site{.step = "PutParameter",
                  .service = "SSM",
                  .resource = p.parameter_name,
                  .acting_as = role,
                  .account = &account};
  client::ssm::PutParameterInput in;
  in.name = p.parameter_name;
  in.value = ami_for_account(job, account);
  in.type = std::string(kParameterTypeString);
  in.overwrite = true;
  in.data_type = p.data_type.empty() ? std::string(kDefaultParameterDataType) : p.data_type;
  ++stats_.calls;
  sim::Result<client::ssm::PutParameterOutput> out = ssm->put_parameter(in);
  if (!out.ok()) {
    return on_error(job, site, out.error());
  }
  ctx_.emit("engine.ssm.parameter",
            {{"run", run.id},
             {"account", account.str()},
             {"region", job.region.str()},
             {"name", p.parameter_name},
             {"version", out->version},
             {"image", in.value}});
  return StepStatus::kNext;
}

void DistributionEngine::record_output(Job& job, std::string status, std::string reason) {
  Run& run = *job.run;
  if (run.is_build || job.output_recorded || job.ami_id.empty()) {
    return;
  }
  job.output_recorded = true;
  const RegionProgress& progress = run.regions[job.region_index];
  run.outputs.push_back(OutputRecord{.order = job.order,
                                     .ami = ib::OutputAmi{.region = job.region,
                                                          .image = job.ami_id,
                                                          .name = progress.name,
                                                          .description = progress.description,
                                                          .status = std::move(status),
                                                          .reason = std::move(reason),
                                                          .account_id = job.account}});
}

// ---- Build -----------------------------------------------------------------------------------

void DistributionEngine::fail_build(Job& job,
                                    std::string reason,
                                    const Site& site,
                                    const sim::AwsError* error) {
  record_failure(job,
                 site,
                 error,
                 std::move(reason),
                 error != nullptr ? std::string_view(error->message) : std::string_view());
  terminate_build_instance(job);
}

void DistributionEngine::terminate_build_instance(Job& job) {
  // Uses the cached session only: cleanup never assumes roles, retries or records failures.
  if (job.instance_id.empty()) {
    return;
  }
  const std::string instance = std::exchange(job.instance_id, std::string());
  const auto it = sessions_.find(job.role_arn);
  if (it == sessions_.end()) {
    return;
  }
  std::unique_ptr<client::Ec2Client> ec2c = clients_.ec2(it->second.identity, job.region);
  ++stats_.calls;
  sim::Result<ec2::TerminateInstancesOutput> out =
      ec2c->terminate_instances({.instance_ids = {instance}});
  ctx_.emit("engine.build.cleanup",
            {{"run", job.run->id}, {"instance", instance}, {"ok", out.ok() ? 1 : 0}});
}

DistributionEngine::StepStatus DistributionEngine::step_check_instance_profile(Job& job) {
  Run& run = *job.run;
  const std::string& name = run.build.instance_profile_name;
  const Site site{
      .step = "GetInstanceProfile", .service = "IAM", .resource = name, .acting_as = job.role_arn};
  if (name.empty()) {
    const sim::AwsError e = sim::aws_error(
        "InvalidParameterValue", "Parameter \"iamInstanceProfileName\" has a null value.");
    fail_build(job, build_reason_null_instance_profile(run.image_arn), site, &e);
    return StepStatus::kFailed;
  }
  StepStatus status = StepStatus::kFailed;
  if (ec2_for(job, job.account, &status) == nullptr) {
    return status;  // The service-linked role could not be assumed.
  }
  const auto it = sessions_.find(job.role_arn);
  IBSIM_ASSERT(it != sessions_.end(), "ec2_for just cached the session");
  std::unique_ptr<client::IamClient> iam = clients_.iam(it->second.identity);
  ++stats_.calls;
  sim::Result<client::iam::GetInstanceProfileOutput> out =
      iam->get_instance_profile({.instance_profile_name = name});
  if (!out.ok()) {
    if (out.error().code == "NoSuchEntity") {
      fail_build(
          job, build_reason_invalid_instance_profile(run.image_arn, name), site, &out.error());
      return StepStatus::kFailed;
    }
    return on_error(job, site, out.error());
  }
  return StepStatus::kNext;
}

DistributionEngine::StepStatus DistributionEngine::step_run_instance(Job& job) {
  Run& run = *job.run;
  const ib::BuildPlan& plan = run.build;
  StepStatus status = StepStatus::kFailed;
  client::Ec2Client* ec2c = ec2_for(job, job.account, &status);
  if (ec2c == nullptr) {
    return status;
  }
  ec2::RunInstancesInput in;
  in.image_id = plan.parent_ami_id;
  in.instance_type = options_.build_instance_type;
  in.min_count = 1;
  in.max_count = 1;
  for (const ib::BlockDevice& d : plan.block_devices) {
    ec2::BlockDeviceMapping m;
    m.device_name = d.device_name;
    if (d.no_device) {
      m.no_device = std::string();
    } else {
      ec2::EbsBlockDevice ebs;
      ebs.delete_on_termination = d.delete_on_termination;
      ebs.encrypted = d.encrypted;
      if (!d.kms_key_id.empty()) {
        ebs.kms_key_id = d.kms_key_id;
      }
      if (d.volume_size_gib.has_value()) {
        ebs.volume_size = static_cast<int32_t>(*d.volume_size_gib);
      }
      if (!d.volume_type.empty()) {
        ebs.volume_type = d.volume_type;
      }
      m.ebs = ebs;
    }
    in.block_device_mappings.push_back(std::move(m));
  }
  in.tag_specifications = {ec2::TagSpecification{
      std::string("instance"),
      {ec2::Tag{std::string(kCreatedByTagKey), std::string(kCreatedByTagValue)},
       ec2::Tag{std::string(kImageArnTagKey), run.image_arn}}}};
  in.client_token = client_token({run.image_arn, job.region.str(), "build-instance"});
  const Site site{.step = "RunInstances",
                  .service = "EC2",
                  .resource = plan.parent_ami_id,
                  .acting_as = job.role_arn};
  ++stats_.calls;
  sim::Result<ec2::RunInstancesOutput> out = ec2c->run_instances(in);
  if (!out.ok()) {
    return on_error(job, site, out.error());
  }
  if (out->instances.empty() || !out->instances.front().instance_id.has_value()) {
    const sim::AwsError e = client::malformed_response("RunInstances returned no instance.");
    fail_build(job, build_reason_launch(run.image_arn, "EC2", e), site, &e);
    return StepStatus::kFailed;
  }
  job.instance_id = *out->instances.front().instance_id;
  ctx_.emit("engine.build.instance",
            {{"run", run.id}, {"instance", job.instance_id}, {"region", job.region.str()}});
  return StepStatus::kNext;
}

DistributionEngine::StepStatus DistributionEngine::step_wait_instance(Job& job) {
  Run& run = *job.run;
  if (job.sub == 0) {
    job.sub = 1;
    return wait_then_resume(job, poll_delay(options_, 1));
  }
  StepStatus status = StepStatus::kFailed;
  client::Ec2Client* ec2c = ec2_for(job, job.account, &status);
  if (ec2c == nullptr) {
    return status;
  }
  const Site site{.step = "DescribeInstances",
                  .service = "EC2",
                  .resource = job.instance_id,
                  .acting_as = job.role_arn};
  ++stats_.calls;
  ++stats_.polls;
  sim::Result<ec2::DescribeInstancesOutput> out =
      ec2c->describe_instances({.instance_ids = {job.instance_id}});
  if (!out.ok()) {
    return on_error(job, site, out.error());
  }
  const ec2::Instance* instance = nullptr;
  for (const ec2::Reservation& r : out->reservations) {
    for (const ec2::Instance& i : r.instances) {
      if (i.instance_id == job.instance_id) {
        instance = &i;
      }
    }
  }
  const std::string state = instance != nullptr && instance->state.has_value()
                                ? instance->state->name.value_or("")
                                : std::string(kInstancePending);
  if (state == kInstanceRunning) {
    return StepStatus::kNext;
  }
  if (state == kInstancePending) {
    if (++job.polls >= options_.polls_per_wait_max) {
      const sim::AwsError e = sim::aws_error(
          "ibsim.PollLimit", "The build instance " + job.instance_id + " did not start running.");
      fail_build(job, build_reason_launch(run.image_arn, "EC2", e), site, &e);
      return StepStatus::kFailed;
    }
    return wait_then_resume(job, poll_delay(options_, job.polls + 1));
  }
  // The launch failed (e.g. the service-linked role may not use the recipe's KMS key): EC2
  // shows the instance terminated with a StateReason.
  const std::string why =
      instance->state_reason.has_value() ? instance->state_reason->message.value_or(state) : state;
  const sim::AwsError e = sim::aws_error(
      instance->state_reason.has_value() ? instance->state_reason->code.value_or("") : "", why);
  job.instance_id.clear();  // Already gone.
  fail_build(job, build_reason_launch(run.image_arn, "EC2", e), site, &e);
  return StepStatus::kFailed;
}

DistributionEngine::StepStatus DistributionEngine::step_create_image(Job& job) {
  Run& run = *job.run;
  const ib::BuildPlan& plan = run.build;
  StepStatus status = StepStatus::kFailed;
  client::Ec2Client* ec2c = ec2_for(job, job.account, &status);
  if (ec2c == nullptr) {
    return status;
  }
  const Site site{.step = "CreateImage",
                  .service = "EC2",
                  .resource = job.instance_id,
                  .acting_as = job.role_arn};
  // CreateImage has no ClientToken: after an answer was lost (scratch == 1), look for the image
  // by name before creating it again.
  if (job.scratch == 1) {
    ++stats_.calls;
    sim::Result<ec2::DescribeImagesOutput> found = ec2c->describe_images(
        {.owners = {"self"}, .filters = {ec2::Filter{"name", {plan.ami_name}}}});
    if (found.ok() && !found->images.empty() && found->images.front().image_id.has_value()) {
      job.ami_id = *found->images.front().image_id;
      job.scratch = 0;
      return StepStatus::kNext;
    }
  }
  std::map<std::string, std::string> tags = plan.ami_tags;
  tags.emplace(std::string(kCreatedByTagKey), std::string(kCreatedByTagValue));
  tags.emplace(std::string(kImageArnTagKey), run.image_arn);
  ec2::CreateImageInput in;
  in.instance_id = job.instance_id;
  in.name = plan.ami_name;
  if (!plan.ami_description.empty()) {
    in.description = plan.ami_description;
  }
  in.tag_specifications = {
      ec2::TagSpecification{std::string("image"), to_tags(tags)},
      ec2::TagSpecification{
          std::string("snapshot"),
          {ec2::Tag{std::string(kCreatedByTagKey), std::string(kCreatedByTagValue)},
           ec2::Tag{std::string(kImageArnTagKey), run.image_arn}}}};
  ++stats_.calls;
  sim::Result<ec2::CreateImageOutput> out = ec2c->create_image(in);
  if (!out.ok()) {
    job.scratch = client::classify(out.error()) == client::CallOutcome::kMaybeApplied ? 1 : 0;
    return on_error(job, site, out.error());
  }
  job.ami_id = out->image_id.value_or("");
  ctx_.emit("engine.build.image",
            {{"run", run.id}, {"image", job.ami_id}, {"region", job.region.str()}});
  return StepStatus::kNext;
}

DistributionEngine::StepStatus DistributionEngine::step_terminate_instance(Job& job) {
  StepStatus status = StepStatus::kFailed;
  client::Ec2Client* ec2c = ec2_for(job, job.account, &status);
  if (ec2c == nullptr) {
    return status;
  }
  const Site site{.step = "TerminateInstances",
                  .service = "EC2",
                  .resource = job.instance_id,
                  .acting_as = job.role_arn};
  ++stats_.calls;
  sim::Result<ec2::TerminateInstancesOutput> out =
      ec2c->terminate_instances({.instance_ids = {job.instance_id}});
  if (!out.ok()) {
    return on_error(job, site, out.error());
  }
  job.instance_id.clear();
  return StepStatus::kNext;
}

}  // namespace ibsim::engine
