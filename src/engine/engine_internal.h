#pragma once
// The engine's private state, shared by distribution_engine.cc (runs, jobs, retries, slots,
// sessions) and engine_steps.cc (one function per step). A Run is one build or one distribution;
// it owns the plan, the per-region progress, the outputs and the failures. A Job is one state
// machine — the distribution's preparation, one region (the owner's AMI there), one target
// account in one region, or the build — stepping through a fixed list of steps, each of which
// makes at most one AWS call per attempt. Jobs are found by id from events and slot grants, so a
// cancelled or finished job can never be touched through a stale pointer.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mock_aws/api/ids.h"
#include "mock_aws/api/imagebuilder_workflow.h"
#include "sim/limits/concurrency_cap.h"
#include "sim/scheduler.h"
#include "src/client/clients.h"
#include "src/engine/distribution_engine.h"

namespace ibsim::engine {

enum class DistributionEngine::Step : uint8_t {
  // Distribution: preparation.
  kDescribeSource,
  kSpawnRegions,
  // The owner's AMI in a region, and a target's copy.
  kUseSourceImage,
  kTagSourceSnapshots,
  kAcquireSlots,
  kCopyImage,
  kWaitImage,
  kReleaseSlots,
  kTagImage,
  kLaunchPermission,
  kSpawnTargets,
  kShareWithTargets,
  kAssumeRole,
  kLaunchTemplate,
  kPutParameter,
  // Build.
  kCheckInstanceProfile,
  kRunInstance,
  kWaitInstance,
  kCreateImage,
  kTerminateInstance,
};

enum class DistributionEngine::StepStatus : uint8_t {
  kNext,    // The step is done: go on with the next one.
  kAgain,   // The step made progress and has more to do now (another call).
  kWait,    // An event or a slot grant resumes the job.
  kFailed,  // The job failed; its failure is recorded.
};

struct DistributionEngine::StepEntry {
  Step step;
  uint32_t arg = 0;  // The launch template or SSM parameter index for those steps.
};

enum class JobKind : uint8_t { kPrepare, kRegion, kTarget, kBuild };

// A per-(account, region) copy cap, with its key so an idle one can be erased.
struct DistributionEngine::KeyCap {
  CapKey key;
  sim::ConcurrencyCap cap;
};

// A per-distribution-configuration copy cap (EngineOptions::copies_per_distribution_max).
struct DistributionEngine::ConfigCap {
  std::string key;  // The distribution configuration ARN (the image ARN when there is none).
  sim::ConcurrencyCap cap;
};

struct RegionProgress {
  std::string ami_id;  // The owner's AMI in this region, once available.
  std::vector<std::string> snapshot_ids;
  std::string name;
  std::string description;
  // The region's target accounts (deduplicated, without the owner), and whether the AMI and its
  // snapshots were shared with each (batches that failed leave theirs false).
  std::vector<mock_aws::api::AccountId> targets;
  std::vector<bool> shared;
};

struct OutputRecord {
  uint64_t order = 0;
  ib::OutputAmi ami;
};

struct FailureRecord {
  uint64_t order = 0;
  std::string line;  // One numbered item of the reason.
  ib::JobFailure failure;
};

struct DistributionEngine::Run {
  uint64_t id = 0;
  bool is_build = false;
  std::string image_arn;
  std::string job_id;  // The JobId in the failure reason.
  mock_aws::api::AccountId owner;
  mock_aws::api::Region source_region;
  std::string slr_arn;
  ib::BuildPlan build;
  ib::DistributionPlan plan;
  std::function<void(ib::BuildResult)> build_done;
  std::function<void(ib::DistributionResult)> distribution_done;

  // The source image (distribution), as DescribeImages shows it in the source region.
  bool source_encrypted = false;
  std::string source_name;
  std::string source_description;
  std::vector<std::string> source_snapshot_ids;

  std::vector<RegionProgress> regions;  // Parallel to plan.regions.
  std::vector<uint64_t> job_ids;        // Every job created, for teardown.
  uint64_t jobs_open = 0;
  std::vector<OutputRecord> outputs;
  std::vector<FailureRecord> failures;
  std::vector<std::string> notes;
  ib::BuildResult build_result;

  sim::Instant started;
  sim::Duration timeout;
  sim::EventId timeout_event;
};

struct DistributionEngine::Job {
  uint64_t id = 0;
  Run* run = nullptr;  // Runs outlive their jobs.
  JobKind kind = JobKind::kPrepare;
  uint64_t order = 0;                // Position of its outputs and failures in the run's report.
  uint32_t region_index = 0;         // Into run->plan.regions (distribution jobs).
  mock_aws::api::AccountId account;  // The account the job's AMI lands in.
  std::string role_arn;              // The role the job acts as in `account`.
  mock_aws::api::Region region;
  std::vector<StepEntry> steps;
  uint32_t next = 0;               // Index of the current step.
  uint32_t sub = 0;                // Progress inside a step that makes several calls.
  uint32_t attempt = 0;            // Failed attempts of the current call.
  uint32_t polls = 0;              // Polls of the current wait.
  sim::Instant wait_started;       // The current wait on a copy began (after CopyImage) ...
  sim::Instant last_pending;       // ... and its last poll found the copy pending.
  bool first_poll_learnt = false;  // The wait's first poll came at a learnt copy time.
  bool step_started = false;
  int64_t scratch = 0;  // Launch template version numbers between calls.
  sim::EventId pending;

  // Copy slots: held, or queued with a ticket.
  ConfigCap* config_cap = nullptr;
  bool holds_config_slot = false;
  bool config_queued = false;
  sim::ConcurrencyCap::Ticket config_ticket;
  KeyCap* key_cap = nullptr;
  bool holds_key_slot = false;
  bool key_queued = false;
  sim::ConcurrencyCap::Ticket key_ticket;
  bool holds_engine_slot = false;
  bool engine_queued = false;
  sim::ConcurrencyCap::Ticket engine_ticket;

  std::string ami_id;  // The AMI this job made (copy, build) or uses (source region).
  std::vector<std::string> snapshot_ids;
  std::string instance_id;  // Build.
  bool output_recorded = false;

  // EC2 client for a role session in another account than the owner's (target jobs).
  std::unique_ptr<client::Ec2Client> ec2;
  std::string ec2_access_key_id;
};

}  // namespace ibsim::engine
