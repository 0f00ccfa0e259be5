#include "src/engine/distribution_engine.h"

#include <algorithm>
#include <set>
#include <utility>

#include "mock_aws/api/arn.h"
#include "sim/base/assert.h"
#include "src/client/call_error.h"
#include "src/engine/engine_internal.h"
#include "src/engine/reasons.h"
#include "src/engine/retry.h"

namespace ibsim::engine {

namespace api = mock_aws::api;

namespace {

std::string_view step_name(uint8_t step) {
  // Indexed by DistributionEngine::Step (see engine_internal.h).
  constexpr std::string_view kNames[] = {
      "DescribeSourceImage", "SpawnRegions",         "UseSourceImage",
      "TagSourceSnapshots",  "AcquireCopySlot",      "CopyImage",
      "WaitForImage",        "ReleaseCopySlot",      "TagImage",
      "LaunchPermission",    "SpawnTargets",         "ShareImage",
      "ShareSnapshots",      "AssumeRole",           "UpdateLaunchTemplate",
      "PutParameter",        "CheckInstanceProfile", "RunInstance",
      "WaitForInstance",     "CreateImage",          "TerminateInstance",
  };
  return step < std::size(kNames) ? kNames[step] : "Unknown";
}

std::string_view kind_name(JobKind kind) {
  switch (kind) {
    case JobKind::kPrepare:
      return "prepare";
    case JobKind::kRegion:
      return "region";
    case JobKind::kTarget:
      return "target";
    case JobKind::kBuild:
      return "build";
  }
  return "unknown";
}

}  // namespace

std::string service_linked_role_arn(const api::AccountId& account) {
  return api::role_arn(account, kServiceLinkedRolePath, kServiceLinkedRoleName);
}

std::string cross_account_role_arn(const api::AccountId& account) {
  return api::role_arn(account, "/", kCrossAccountRoleName);
}

DistributionEngine::DistributionEngine(sim::Context& ctx,
                                       client::ClientFactory& clients,
                                       EngineOptions options)
    : ctx_(ctx),
      clients_(clients),
      options_(std::move(options)),
      backoff_rng_(ctx.rng().fork("engine.backoff")),
      ids_rng_(ctx.rng().fork("engine.ids")),
      engine_cap_(
          ctx.scheduler(),
          {.limit = options_.copies_in_flight_max, .max_waiters = options_.copy_waiters_max}) {
  IBSIM_ASSERT(validate(options_).ok(), "the composition root validates the engine's options");
}

DistributionEngine::~DistributionEngine() {
  // Cancel what is scheduled so no event outlives the engine. Slots are not released: the caps
  // and their queued waiters go with the engine. (Slot hand-overs a cap already scheduled cannot
  // be withdrawn: destroy the engine when its runs have finished, or together with the scheduler.)
  for (auto& [id, job] : jobs_) {
    if (job->pending.valid()) {
      ctx_.scheduler().cancel(job->pending);
    }
  }
  for (auto& [id, run] : runs_) {
    if (run->timeout_event.valid()) {
      ctx_.scheduler().cancel(run->timeout_event);
    }
  }
}

uint32_t DistributionEngine::copies_in_flight(const api::AccountId& account,
                                              const api::Region& region) const {
  const auto it = caps_.find(CapKey{account, region});
  return it == caps_.end() ? 0 : it->second->cap.in_use();
}

// ---- Workflow --------------------------------------------------------------------------------

void DistributionEngine::build(const ib::BuildPlan& plan,
                               std::function<void(ib::BuildResult)> done) {
  if (runs_.size() >= options_.runs_max) {
    ib::BuildResult refused;
    refused.reason = "ibsim: the engine already runs " + std::to_string(options_.runs_max)
                     + " builds and distributions (EngineOptions::runs_max).";
    ctx_.scheduler().schedule_after(
        sim::Duration::zero(), [done = std::move(done), refused = std::move(refused)]() mutable {
          done(std::move(refused));
        });
    return;
  }
  Run& run = new_run(plan.image_arn);
  run.is_build = true;
  run.build = plan;
  run.build_done = std::move(done);
  run.owner = plan.owner;
  run.source_region = plan.region;
  run.slr_arn = service_linked_role_arn(plan.owner);
  run.timeout = options_.build_timeout;
  run.timeout_event =
      ctx_.scheduler().schedule_after(run.timeout, [this, id = run.id] { on_timeout(id); });
  ctx_.emit("engine.run.start",
            {{"run", run.id},
             {"kind", "build"},
             {"image", run.image_arn},
             {"account", run.owner.str()},
             {"region", run.source_region.str()}});
  Job& job = new_job(run, JobKind::kBuild, 0, plan.owner, plan.region);
  job.steps = {{Step::kCheckInstanceProfile},
               {Step::kRunInstance},
               {Step::kWaitInstance},
               {Step::kCreateImage},
               {Step::kTerminateInstance},
               {Step::kWaitImage}};
  start_job(job);
}

void DistributionEngine::distribute(const ib::DistributionPlan& plan,
                                    std::function<void(ib::DistributionResult)> done) {
  if (runs_.size() >= options_.runs_max) {
    ib::DistributionResult refused;
    refused.reason = "ibsim: the engine already runs " + std::to_string(options_.runs_max)
                     + " builds and distributions (EngineOptions::runs_max).";
    ctx_.scheduler().schedule_after(
        sim::Duration::zero(), [done = std::move(done), refused = std::move(refused)]() mutable {
          done(std::move(refused));
        });
    return;
  }
  Run& run = new_run(plan.image_arn);
  run.plan = plan;
  run.distribution_done = std::move(done);
  run.owner = plan.owner;
  run.source_region = plan.source_region;
  run.slr_arn = service_linked_role_arn(plan.owner);
  run.regions.resize(plan.regions.size());
  run.timeout = plan.timeout > sim::Duration::zero()
                    ? std::min(plan.timeout, options_.distribution_timeout_max)
                    : options_.distribution_timeout_max;
  run.timeout_event =
      ctx_.scheduler().schedule_after(run.timeout, [this, id = run.id] { on_timeout(id); });
  for (const ib::RegionPlan& region : plan.regions) {
    for (const std::string& setting : region.not_simulated) {
      run.notes.push_back("Region " + region.region.str() + ": " + setting
                          + " is stored but not simulated; nothing was distributed for it.");
    }
  }
  ctx_.emit("engine.run.start",
            {{"run", run.id},
             {"kind", "distribution"},
             {"image", run.image_arn},
             {"account", run.owner.str()},
             {"region", run.source_region.str()},
             {"regions", static_cast<int64_t>(plan.regions.size())}});
  Job& job = new_job(run, JobKind::kPrepare, 0, plan.owner, plan.source_region);
  job.steps = {{Step::kDescribeSource}, {Step::kSpawnRegions}};
  start_job(job);
}

void DistributionEngine::cancel(std::string_view image_arn) {
  std::vector<uint64_t> matching;
  for (const auto& [id, run] : runs_) {
    if (run->image_arn == image_arn) {
      matching.push_back(id);
    }
  }
  for (const uint64_t run_id : matching) {
    Run& run = *runs_.at(run_id);
    for (const uint64_t job_id : run.job_ids) {
      if (Job* job = find_job(job_id)) {
        teardown_job(*job);
        jobs_.erase(job_id);
      }
    }
    if (run.timeout_event.valid()) {
      ctx_.scheduler().cancel(run.timeout_event);
    }
    ctx_.emit("engine.run.cancelled", {{"run", run.id}, {"image", run.image_arn}});
    runs_.erase(run_id);
  }
}

// ---- Runs and jobs ---------------------------------------------------------------------------

DistributionEngine::Run& DistributionEngine::new_run(std::string image_arn) {
  auto run = std::make_unique<Run>();
  run->id = next_run_id_++;
  run->image_arn = std::move(image_arn);
  run->started = ctx_.now();
  // Unconfirmed: the format of the JobId in Image Builder's reason; ibsim uses a UUID.
  const std::string hex = ids_rng_.hex(32);
  run->job_id = hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-"
                + hex.substr(16, 4) + "-" + hex.substr(20, 12);
  Run& ref = *run;
  runs_.emplace(ref.id, std::move(run));
  ++stats_.runs_started;
  return ref;
}

DistributionEngine::Job& DistributionEngine::new_job(
    Run& run, JobKind kind, uint64_t order, api::AccountId account, api::Region region) {
  auto job = std::make_unique<Job>();
  job->id = next_job_id_++;
  job->run = &run;
  job->kind = kind;
  job->order = order;
  job->role_arn = account == run.owner ? run.slr_arn : cross_account_role_arn(account);
  job->account = std::move(account);
  job->region = std::move(region);
  Job& ref = *job;
  jobs_.emplace(ref.id, std::move(job));
  run.job_ids.push_back(ref.id);
  ++run.jobs_open;
  return ref;
}

void DistributionEngine::start_job(Job& job) {
  ++stats_.jobs_started;
  ctx_.emit("engine.job.start",
            {{"run", job.run->id},
             {"job", job.id},
             {"kind", kind_name(job.kind)},
             {"account", job.account.str()},
             {"region", job.region.str()}});
  job.pending =
      ctx_.scheduler().schedule_after(sim::Duration::zero(), [this, id = job.id] { resume(id); });
}

DistributionEngine::Run* DistributionEngine::find_run(uint64_t run_id) {
  const auto it = runs_.find(run_id);
  return it == runs_.end() ? nullptr : it->second.get();
}

DistributionEngine::Job* DistributionEngine::find_job(uint64_t job_id) {
  const auto it = jobs_.find(job_id);
  return it == jobs_.end() ? nullptr : it->second.get();
}

void DistributionEngine::resume(uint64_t job_id) {
  Job* job = find_job(job_id);
  if (job == nullptr) {
    return;  // Finished, timed out or cancelled meanwhile.
  }
  job->pending = sim::EventId{};
  run_job(*job);
}

void DistributionEngine::run_job(Job& job) {
  for (uint32_t n = 0; n < options_.steps_per_event_max; ++n) {
    if (job.next >= job.steps.size()) {
      finish_job(job, /*failed=*/false);
      return;
    }
    const Step step = job.steps[job.next].step;
    const StepStatus status = execute(job);
    // A call's answer may arrive late (a fault plan's latency): the job goes on when it does.
    const sim::Duration latency = clients_.take_call_latency();
    switch (status) {
      case StepStatus::kNext:
        emit_step(job, "engine.step.done", step_name(static_cast<uint8_t>(step)));
        ++job.next;
        job.sub = 0;
        job.attempt = 0;
        job.polls = 0;
        job.step_started = false;
        break;
      case StepStatus::kAgain:
        job.attempt = 0;
        break;
      case StepStatus::kWait:
        return;
      case StepStatus::kFailed:
        finish_job(job, /*failed=*/true);
        return;
    }
    if (latency > sim::Duration::zero()) {
      wait_then_resume(job, latency);
      return;
    }
  }
  // Yield: the job continues in a fresh event, so no job holds the event loop for long.
  wait_then_resume(job, sim::Duration::zero());
}

DistributionEngine::StepStatus DistributionEngine::execute(Job& job) {
  const StepEntry entry = job.steps[job.next];
  if (!job.step_started) {
    job.step_started = true;
    emit_step(job, "engine.step", step_name(static_cast<uint8_t>(entry.step)));
  }
  switch (entry.step) {
    case Step::kDescribeSource:
      return step_describe_source(job);
    case Step::kSpawnRegions:
      return step_spawn_regions(job);
    case Step::kUseSourceImage:
      return step_use_source_image(job);
    case Step::kTagSourceSnapshots:
      return step_tag_source_snapshots(job);
    case Step::kAcquireSlots:
      return step_acquire_slots(job);
    case Step::kCopyImage:
      return step_copy_image(job);
    case Step::kWaitImage:
      return step_wait_image(job);
    case Step::kReleaseSlots:
      return step_release_slots(job);
    case Step::kTagImage:
      return step_tag_image(job);
    case Step::kLaunchPermission:
      return step_launch_permission(job);
    case Step::kSpawnTargets:
      return step_spawn_targets(job);
    case Step::kShareWithTargets:
      return step_share_with_targets(job);
    case Step::kAssumeRole:
      return step_assume_role(job);
    case Step::kLaunchTemplate:
      return step_launch_template(job, entry.arg);
    case Step::kPutParameter:
      return step_put_parameter(job, entry.arg);
    case Step::kCheckInstanceProfile:
      return step_check_instance_profile(job);
    case Step::kRunInstance:
      return step_run_instance(job);
    case Step::kWaitInstance:
      return step_wait_instance(job);
    case Step::kCreateImage:
      return step_create_image(job);
    case Step::kTerminateInstance:
      return step_terminate_instance(job);
  }
  IBSIM_ASSERT(false, "every step has a handler");
  return StepStatus::kFailed;
}

DistributionEngine::StepStatus DistributionEngine::wait_then_resume(Job& job, sim::Duration delay) {
  IBSIM_ASSERT(!job.pending.valid(), "a job waits for one event at a time");
  job.pending = ctx_.scheduler().schedule_after(delay, [this, id = job.id] { resume(id); });
  return StepStatus::kWait;
}

void DistributionEngine::teardown_job(Job& job) {
  release_slots(job);
  if (job.pending.valid()) {
    ctx_.scheduler().cancel(job.pending);
    job.pending = sim::EventId{};
  }
}

void DistributionEngine::finish_job(Job& job, bool failed) {
  Run& run = *job.run;
  teardown_job(job);
  ctx_.emit(failed ? "engine.job.failed" : "engine.job.done",
            {{"run", run.id},
             {"job", job.id},
             {"kind", kind_name(job.kind)},
             {"account", job.account.str()},
             {"region", job.region.str()},
             {"image", job.ami_id}});
  if (failed) {
    ++stats_.jobs_failed;
  }
  if (job.kind == JobKind::kBuild && !failed) {
    run.build_result.ok = true;
    run.build_result.ami_id = job.ami_id;
  }
  jobs_.erase(job.id);  // `job` is gone from here on.
  IBSIM_ASSERT(run.jobs_open > 0, "every open job belongs to its run's count");
  --run.jobs_open;
  if (run.jobs_open == 0) {
    finish_run(run);
  }
}

void DistributionEngine::finish_run(Run& run) {
  if (run.timeout_event.valid()) {
    ctx_.scheduler().cancel(run.timeout_event);
    run.timeout_event = sim::EventId{};
  }
  const uint64_t run_id = run.id;
  if (run.is_build) {
    ib::BuildResult result = std::move(run.build_result);
    auto done = std::move(run.build_done);
    ctx_.emit("engine.run.done",
              {{"run", run_id}, {"ok", result.ok ? 1 : 0}, {"image", result.ami_id}});
    runs_.erase(run_id);
    if (done) {
      done(std::move(result));
    }
    return;
  }
  ib::DistributionResult result;
  std::stable_sort(run.outputs.begin(), run.outputs.end(), [](const auto& a, const auto& b) {
    return a.order < b.order;
  });
  std::stable_sort(run.failures.begin(), run.failures.end(), [](const auto& a, const auto& b) {
    return a.order < b.order;
  });
  for (OutputRecord& o : run.outputs) {
    result.amis.push_back(std::move(o.ami));
  }
  std::vector<std::string> lines;
  for (FailureRecord& f : run.failures) {
    lines.push_back(std::move(f.line));
    result.failures.push_back(std::move(f.failure));
  }
  result.ok = lines.empty();
  if (!result.ok) {
    result.reason = format_distribution_reason(run.job_id, run.image_arn, lines);
  }
  result.notes = std::move(run.notes);
  auto done = std::move(run.distribution_done);
  ctx_.emit("engine.run.done",
            {{"run", run_id},
             {"ok", result.ok ? 1 : 0},
             {"amis", static_cast<int64_t>(result.amis.size())},
             {"failures", static_cast<int64_t>(result.failures.size())}});
  runs_.erase(run_id);
  if (done) {
    done(std::move(result));
  }
}

void DistributionEngine::on_timeout(uint64_t run_id) {
  Run* run = find_run(run_id);
  if (run == nullptr) {
    return;
  }
  run->timeout_event = sim::EventId{};
  const int64_t minutes = run->timeout.whole_seconds() / 60;
  ctx_.emit("engine.run.timeout", {{"run", run->id}, {"minutes", minutes}});
  // Every unfinished job fails as timed out, in creation order.
  for (const uint64_t job_id : run->job_ids) {
    Job* job = find_job(job_id);
    if (job == nullptr) {
      continue;
    }
    if (run->is_build) {
      if (run->build_result.reason.empty()) {
        run->build_result.ok = false;
        run->build_result.reason = build_reason_timed_out(run->image_arn, minutes);
      }
      terminate_build_instance(*job);
    } else {
      JobFailureLine line{.kind = JobFailureLine::Kind::kTimedOut,
                          .timeout_minutes = minutes,
                          .source_account = run->owner,
                          .destination_account = job->account,
                          .region = job->region};
      const std::string text = format_job_line(line);
      const Site site{
          .step = step_name(static_cast<uint8_t>(
              job->next < job->steps.size() ? job->steps[job->next].step : Step::kSpawnRegions)),
          .service = "ImageBuilder",
          .resource = job->ami_id,
          .acting_as = job->role_arn};
      record_failure(*job, site, nullptr, text, "timed out");
    }
    teardown_job(*job);
    ++stats_.jobs_failed;
    jobs_.erase(job_id);
  }
  run->jobs_open = 0;
  finish_run(*run);
}

// ---- Errors, retries, failures ---------------------------------------------------------------

bool DistributionEngine::retry_later(Job& job,
                                     const Site& site,
                                     const sim::AwsError& error,
                                     StepStatus* status) {
  const RetryClass retry = classify_retry(error);
  if (retry == RetryClass::kRenewSession) {
    drop_session(std::string(site.session_role.empty() ? site.acting_as : site.session_role));
  }
  if (retry == RetryClass::kFail || job.attempt + 1 >= options_.retry_attempts_max) {
    return false;
  }
  ++job.attempt;
  ++stats_.retries;
  const sim::Duration delay = backoff_delay(options_, job.attempt, backoff_rng_);
  ctx_.emit("engine.step.retry",
            {{"run", job.run->id},
             {"job", job.id},
             {"step", site.step},
             {"account", job.account.str()},
             {"region", job.region.str()},
             {"code", error.code},
             {"attempt", job.attempt},
             {"delay_ms", delay.ms()}});
  *status = wait_then_resume(job, delay);
  return true;
}

DistributionEngine::StepStatus DistributionEngine::on_error(Job& job,
                                                            const Site& site,
                                                            const sim::AwsError& error) {
  if (StepStatus status = StepStatus::kWait; retry_later(job, site, error, &status)) {
    return status;
  }
  if (is_denial(error)) {
    ctx_.emit("engine.step.denied",
              {{"run", job.run->id},
               {"job", job.id},
               {"step", site.step},
               {"account", (site.account != nullptr ? *site.account : job.account).str()},
               {"region", job.region.str()},
               {"code", error.code},
               {"acting_as", site.acting_as}});
  }
  if (job.run->is_build) {
    // Calls before the build instance runs fail the launch; later ones fail image creation.
    const bool launch = site.step == "AssumeRole" || site.step == "GetInstanceProfile"
                        || site.step == "RunInstances" || site.step == "DescribeInstances";
    const char* kind = line_kind_for(error) == JobFailureLine::Kind::kServiceError
                           ? " Service Error: '"
                           : " Client Error: '";
    fail_build(job,
               launch ? build_reason_launch(job.run->image_arn, site.service, error)
                      : build_reason_image(job.run->image_arn,
                                           std::string(site.service) + kind + error.message + "'"),
               site,
               &error);
    return StepStatus::kFailed;
  }
  record_failure(job, site, &error, job_line(job, site, error), error.message);
  return StepStatus::kFailed;
}

std::string DistributionEngine::job_line(const Job& job,
                                         const Site& site,
                                         const sim::AwsError& error) const {
  JobFailureLine line{.kind = line_kind_for(error),
                      .service = std::string(site.service),
                      .message = error.message,
                      .source_account = job.run->owner,
                      .destination_account = site.account != nullptr ? *site.account : job.account,
                      .region = job.region};
  return format_job_line(line);
}

void DistributionEngine::record_failure(Job& job,
                                        const Site& site,
                                        const sim::AwsError* error,
                                        std::string line,
                                        std::string_view aws_message,
                                        uint64_t order) {
  Run& run = *job.run;
  const api::AccountId& account = site.account != nullptr ? *site.account : job.account;
  const ExplanationInput in{
      .step = site.step,
      .service = site.service,
      .error = error,
      .aws_message = run.is_build ? std::string_view(aws_message) : std::string_view(line),
      .source_account = run.owner,
      .account = account,
      .region = job.region,
      .acting_as = site.acting_as,
      .resource = site.resource};
  ctx_.emit("engine.step.failed",
            {{"run", run.id},
             {"job", job.id},
             {"step", site.step},
             {"account", account.str()},
             {"region", job.region.str()},
             {"code", error != nullptr ? std::string_view(error->code) : std::string_view()}});
  if (run.is_build) {
    if (run.build_result.reason.empty()) {
      run.build_result.ok = false;
      run.build_result.reason = std::move(line);
      run.build_result.explanation = job_explanation(in);
    }
    return;
  }
  FailureRecord record;
  record.order = order != 0 ? order : job.order;
  record.failure = ib::JobFailure{.region = job.region,
                                  .account_id = account,
                                  .step = std::string(site.step),
                                  .aws_error = line,
                                  .explanation = job_explanation(in)};
  record.line = std::move(line);
  run.failures.push_back(std::move(record));
}

void DistributionEngine::emit_step(const Job& job,
                                   std::string_view kind,
                                   std::string_view step,
                                   std::string_view detail) {
  ctx_.emit(kind,
            {{"run", job.run->id},
             {"job", job.id},
             {"step", step},
             {"account", job.account.str()},
             {"region", job.region.str()},
             {"detail", detail}});
}

// ---- Identities and clients ------------------------------------------------------------------

std::string DistributionEngine::acting_role(const Job& job, const api::AccountId& account) const {
  if (account == job.account) {
    return job.role_arn;
  }
  return account == job.run->owner ? job.run->slr_arn : cross_account_role_arn(account);
}

sim::Result<const client::Identity*> DistributionEngine::session(const Run& run,
                                                                 const std::string& role_arn,
                                                                 const api::Region& region,
                                                                 std::string* failed_role) {
  // Unconfirmed: that Image Builder reuses a role session across regions and jobs until it
  // nears expiry; ibsim caches one per role ARN.
  const int64_t now_ms = ctx_.unix_ms();
  if (const auto it = sessions_.find(role_arn); it != sessions_.end()) {
    const int64_t expiry = it->second.expiration_unix_ms;
    if (expiry == 0 || now_ms + options_.session_refresh_margin.ms() < expiry) {
      return &it->second.identity;
    }
    drop_session(role_arn);
  }
  client::Identity caller;
  std::string_view session_name;
  int32_t duration = options_.session_duration_seconds;
  if (role_arn == run.slr_arn) {
    caller = client::Identity::service(client::kImageBuilderServicePrincipal);
    session_name = kServiceLinkedSessionName;
  } else {
    sim::Result<const client::Identity*> slr = session(run, run.slr_arn, region, failed_role);
    if (!slr.ok()) {
      return slr.error();
    }
    caller = **slr;
    session_name = kCrossAccountSessionName;
    duration = std::min(duration, 3'600);  // Role chaining: at most one hour.
  }
  std::unique_ptr<client::StsClient> sts = clients_.sts(caller, region);
  ++stats_.calls;
  sim::Result<client::sts::AssumeRoleOutput> out =
      sts->assume_role({.role_arn = role_arn,
                        .role_session_name = std::string(session_name),
                        .duration_seconds = duration});
  if (!out.ok()) {
    *failed_role = role_arn;
    return out.error();
  }
  ++stats_.sessions_assumed;
  if (sessions_.size() >= options_.sessions_cached_max) {
    sessions_.clear();
    slr_clients_.clear();
  }
  const client::sts::Credentials& c = out->credentials;
  CachedSession cached{
      .identity = client::Identity::from_credentials({.access_key_id = c.access_key_id,
                                                      .secret_access_key = c.secret_access_key,
                                                      .session_token = c.session_token,
                                                      .expiration_unix_ms = c.expiration}),
      .expiration_unix_ms = c.expiration};
  ctx_.emit("engine.session",
            {{"role", role_arn},
             {"session", out->assumed_role_user.arn},
             {"key", c.access_key_id},
             {"caller", caller.label()}});
  auto [pos, inserted] = sessions_.insert_or_assign(role_arn, std::move(cached));
  (void)inserted;
  return &pos->second.identity;
}

void DistributionEngine::drop_session(const std::string& role_arn) {
  const auto it = sessions_.find(role_arn);
  if (it == sessions_.end()) {
    return;
  }
  const std::string key = it->second.identity.credentials().access_key_id;
  auto first = slr_clients_.lower_bound({key, api::Region{}});
  while (first != slr_clients_.end() && first->first.first == key) {
    first = slr_clients_.erase(first);
  }
  sessions_.erase(it);
}

client::Ec2Client* DistributionEngine::ec2_for(Job& job,
                                               const api::AccountId& account,
                                               StepStatus* status) {
  const std::string role = acting_role(job, account);
  std::string failed_role;
  sim::Result<const client::Identity*> identity = session(*job.run, role, job.region, &failed_role);
  if (!identity.ok()) {
    const bool slr_failed = failed_role == job.run->slr_arn;
    const std::string slr_session =
        api::assumed_role_arn(job.run->owner, kServiceLinkedRoleName, kServiceLinkedSessionName);
    const Site site{.step = "AssumeRole",
                    .service = "STS",
                    .resource = failed_role,
                    .acting_as = slr_failed ? client::kImageBuilderServicePrincipal
                                            : std::string_view(slr_session),
                    .session_role = job.run->slr_arn,
                    .account = &account};
    *status = on_error(job, site, identity.error());
    return nullptr;
  }
  const client::Identity& id = **identity;
  const std::string& key = id.credentials().access_key_id;
  if (account == job.run->owner) {
    auto it = slr_clients_.find({key, job.region});
    if (it == slr_clients_.end()) {
      it =
          slr_clients_.emplace(std::make_pair(key, job.region), clients_.ec2(id, job.region)).first;
    }
    return it->second.get();
  }
  if (job.ec2 == nullptr || job.ec2_access_key_id != key) {
    job.ec2 = clients_.ec2(id, job.region);
    job.ec2_access_key_id = key;
  }
  return job.ec2.get();
}

std::unique_ptr<client::SsmClient> DistributionEngine::ssm_for(Job& job,
                                                               const api::AccountId& account,
                                                               StepStatus* status) {
  // The session check (and its failure handling) is the same as for EC2.
  if (ec2_for(job, account, status) == nullptr) {
    return nullptr;
  }
  const std::string role = acting_role(job, account);
  const auto it = sessions_.find(role);
  IBSIM_ASSERT(it != sessions_.end(), "ec2_for just cached the session");
  return clients_.ssm(it->second.identity, job.region);
}

// ---- Copy slots ------------------------------------------------------------------------------

DistributionEngine::KeyCap& DistributionEngine::cap_for(const CapKey& key) {
  auto it = caps_.find(key);
  if (it == caps_.end()) {
    auto cap = std::unique_ptr<KeyCap>(
        new KeyCap{key,
                   sim::ConcurrencyCap(ctx_.scheduler(),
                                       {.limit = options_.copies_per_account_region_max,
                                        .max_waiters = options_.copy_waiters_max})});
    it = caps_.emplace(key, std::move(cap)).first;
  }
  return *it->second;
}

void DistributionEngine::erase_cap_if_idle(KeyCap* cap) {
  if (cap->cap.in_use() == 0 && cap->cap.waiting() == 0) {
    caps_.erase(cap->key);
  }
}

DistributionEngine::ConfigCap& DistributionEngine::config_cap_for(const Run& run) {
  const std::string& key = run.plan.distribution_configuration_arn.empty()
                               ? run.image_arn
                               : run.plan.distribution_configuration_arn;
  auto it = config_caps_.find(key);
  if (it == config_caps_.end()) {
    auto cap = std::unique_ptr<ConfigCap>(
        new ConfigCap{key,
                      sim::ConcurrencyCap(ctx_.scheduler(),
                                          {.limit = options_.copies_per_distribution_max,
                                           .max_waiters = options_.copy_waiters_max})});
    it = config_caps_.emplace(key, std::move(cap)).first;
  }
  return *it->second;
}

void DistributionEngine::erase_config_cap_if_idle(ConfigCap* cap) {
  if (cap->cap.in_use() == 0 && cap->cap.waiting() == 0) {
    config_caps_.erase(cap->key);
  }
}

void DistributionEngine::on_config_slot(uint64_t job_id, ConfigCap* cap) {
  Job* job = find_job(job_id);
  if (job == nullptr) {
    cap->cap.release();  // Handed to a job that is gone: pass it on.
    erase_config_cap_if_idle(cap);
    return;
  }
  job->config_queued = false;
  job->holds_config_slot = true;
  run_job(*job);
}

void DistributionEngine::on_key_slot(uint64_t job_id, KeyCap* cap) {
  Job* job = find_job(job_id);
  if (job == nullptr) {
    cap->cap.release();  // Handed to a job that is gone: pass it on.
    erase_cap_if_idle(cap);
    return;
  }
  job->key_queued = false;
  job->holds_key_slot = true;
  run_job(*job);
}

void DistributionEngine::on_engine_slot(uint64_t job_id) {
  Job* job = find_job(job_id);
  if (job == nullptr) {
    engine_cap_.release();
    return;
  }
  job->engine_queued = false;
  job->holds_engine_slot = true;
  run_job(*job);
}

void DistributionEngine::release_slots(Job& job) {
  if (job.config_cap != nullptr) {
    ConfigCap* cap = job.config_cap;
    if (job.holds_config_slot) {
      cap->cap.release();
    } else if (job.config_queued) {
      cap->cap.withdraw(job.config_ticket);
    }
    job.holds_config_slot = false;
    job.config_queued = false;
    job.config_cap = nullptr;
    erase_config_cap_if_idle(cap);
  }
  if (job.key_cap != nullptr) {
    KeyCap* cap = job.key_cap;
    if (job.holds_key_slot) {
      cap->cap.release();
    } else if (job.key_queued) {
      cap->cap.withdraw(job.key_ticket);
    }
    job.holds_key_slot = false;
    job.key_queued = false;
    job.key_cap = nullptr;
    erase_cap_if_idle(cap);
  }
  if (job.holds_engine_slot) {
    engine_cap_.release();
  } else if (job.engine_queued) {
    engine_cap_.withdraw(job.engine_ticket);
  }
  job.holds_engine_slot = false;
  job.engine_queued = false;
}

}  // namespace ibsim::engine
