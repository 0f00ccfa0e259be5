#pragma once
// DistributionEngine: Image Builder's AWS-facing work for one image — the build (launch from the
// parent AMI, create the output AMI, wait for it) and the distribution across regions and accounts
// (the owner's copies, tags, launch permissions; per target account: sharing, the cross-account
// role, the copy, its tags, launch templates, SSM parameters). It implements
// api::imagebuilder::Workflow and talks to AWS only through src/client, as the owner's
// service-linked role and the targets' EC2ImageBuilderDistributionCrossAccountRole, exactly as it
// would to real AWS. Every job is an event-driven state machine in virtual time: copies run in
// parallel under per-(account, region) and engine-wide caps, transient errors are retried with
// jittered backoff, permission errors fail their job at once, and failures are reported in
// Image Builder's words plus ibsim's explanation. docs/distribution.md has the call sequence.
//
//   DistributionEngine engine(ctx, factory, {});
//   engine.distribute(plan, [&](api::imagebuilder::DistributionResult r) { ... });
//   ctx.scheduler().run();

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "mock_aws/api/ids.h"
#include "mock_aws/api/imagebuilder_workflow.h"
#include "sim/base/string_map.h"
#include "sim/context.h"
#include "sim/limits/concurrency_cap.h"
#include "sim/rng.h"
#include "src/client/clients.h"
#include "src/client/identity.h"
#include "src/engine/engine_options.h"

namespace ibsim::engine {

namespace ib = mock_aws::api::imagebuilder;

enum class JobKind : uint8_t;

// The role names and session names the engine uses (aws-facts §2.1).
inline constexpr std::string_view kServiceLinkedRoleName = "AWSServiceRoleForImageBuilder";
inline constexpr std::string_view kServiceLinkedRolePath =
    "/aws-service-role/imagebuilder.amazonaws.com/";
inline constexpr std::string_view kServiceLinkedSessionName = "ImageBuilder";
inline constexpr std::string_view kCrossAccountRoleName =
    "EC2ImageBuilderDistributionCrossAccountRole";
// Unconfirmed: the session name Image Builder uses for the cross-account role.
inline constexpr std::string_view kCrossAccountSessionName = "EC2ImageBuilderDistribution";
inline constexpr std::string_view kCreatedByTagKey = "CreatedBy";
inline constexpr std::string_view kCreatedByTagValue = "EC2 Image Builder";
inline constexpr std::string_view kImageArnTagKey = "Ec2ImageBuilderArn";

std::string service_linked_role_arn(const mock_aws::api::AccountId& account);
std::string cross_account_role_arn(const mock_aws::api::AccountId& account);

struct EngineStats {
  uint64_t runs_started = 0;
  uint64_t jobs_started = 0;
  uint64_t jobs_failed = 0;
  uint64_t calls = 0;    // AWS calls made (every attempt).
  uint64_t retries = 0;  // Calls repeated after a transient error.
  uint64_t polls = 0;    // Describe calls made while waiting.
  uint64_t copies_started = 0;
  uint64_t sessions_assumed = 0;
  uint32_t copies_in_flight_peak = 0;           // Engine-wide.
  uint32_t copies_per_account_region_peak = 0;  // Highest of any (account, region).
};

class DistributionEngine final : public ib::Workflow {
 public:
  // `options` must pass validate(); `clients` outlives the engine.
  DistributionEngine(sim::Context& ctx, client::ClientFactory& clients, EngineOptions options);
  ~DistributionEngine() override;

  DistributionEngine(const DistributionEngine&) = delete;
  DistributionEngine& operator=(const DistributionEngine&) = delete;

  void build(const ib::BuildPlan& plan, std::function<void(ib::BuildResult)> done) override;
  void distribute(const ib::DistributionPlan& plan,
                  std::function<void(ib::DistributionResult)> done) override;
  void cancel(std::string_view image_arn) override;

  const EngineOptions& options() const { return options_; }

  const EngineStats& stats() const { return stats_; }

  // Copies holding a slot now (engine-wide), and per (account, region).
  uint32_t copies_in_flight() const { return engine_cap_.in_use(); }

  uint32_t copies_in_flight(const mock_aws::api::AccountId& account,
                            const mock_aws::api::Region& region) const;

  std::size_t runs_active() const { return runs_.size(); }

  std::size_t jobs_active() const { return jobs_.size(); }

 private:
  struct Run;
  struct Job;
  struct KeyCap;
  struct ConfigCap;
  struct StepEntry;
  enum class Step : uint8_t;
  enum class StepStatus : uint8_t;

  struct CachedSession {
    client::Identity identity;
    int64_t expiration_unix_ms = 0;
  };

  using CapKey = std::pair<mock_aws::api::AccountId, mock_aws::api::Region>;

  // Where a failed call happened, for retries, failure lines and explanations.
  struct Site {
    std::string_view step;     // The AWS operation ("CopyImage").
    std::string_view service;  // "EC2", "STS", "IAM", "SSM".
    std::string_view resource;
    std::string_view acting_as;  // Role ARN (or service principal) the call was made as.
    // The role whose session signed the call, renewed on ExpiredToken; empty: acting_as.
    std::string_view session_role;
    const mock_aws::api::AccountId* account = nullptr;  // Destination; null: the job's.
  };

  // ---- runs and jobs (distribution_engine.cc)
  Run& new_run(std::string image_arn);
  Job& new_job(Run& run,
               JobKind kind,
               uint64_t order,
               mock_aws::api::AccountId account,
               mock_aws::api::Region region);
  void start_job(Job& job);
  void resume(uint64_t job_id);
  void run_job(Job& job);
  StepStatus execute(Job& job);
  void finish_job(Job& job, bool failed);
  void teardown_job(Job& job);
  void finish_run(Run& run);
  void on_timeout(uint64_t run_id);
  Run* find_run(uint64_t run_id);
  Job* find_job(uint64_t job_id);
  StepStatus wait_then_resume(Job& job, sim::Duration delay);

  // ---- calls: errors, retries, failures
  StepStatus on_error(Job& job, const Site& site, const sim::AwsError& error);
  // Schedules a retry when the error is transient and attempts remain (true, *status set).
  bool retry_later(Job& job, const Site& site, const sim::AwsError& error, StepStatus* status);
  // Records the job's failure: a line of the distribution's reason (or the build's reason) and
  // ibsim's explanation. `error` may be null (a copy that failed without a known cause).
  // `order` places it in the report (0: the job's own place).
  void record_failure(Job& job,
                      const Site& site,
                      const sim::AwsError* error,
                      std::string line,
                      std::string_view aws_message,
                      uint64_t order = 0);
  std::string job_line(const Job& job, const Site& site, const sim::AwsError& error) const;
  void emit_step(const Job& job,
                 std::string_view kind,
                 std::string_view step,
                 std::string_view detail = {});

  // ---- identities and clients
  std::string acting_role(const Job& job, const mock_aws::api::AccountId& account) const;
  // The session for `role_arn`, assuming it (and the service-linked role first) when needed.
  // On failure, *failed_role names the role whose AssumeRole failed.
  sim::Result<const client::Identity*> session(const Run& run,
                                               const std::string& role_arn,
                                               const mock_aws::api::Region& region,
                                               std::string* failed_role);
  void drop_session(const std::string& role_arn);
  // The EC2 client acting for `account` in the job's region, or nullptr after a session failure
  // was handled (then *status says what the step returns).
  client::Ec2Client* ec2_for(Job& job, const mock_aws::api::AccountId& account, StepStatus* status);
  std::unique_ptr<client::SsmClient> ssm_for(Job& job,
                                             const mock_aws::api::AccountId& account,
                                             StepStatus* status);

  // ---- copy slots
  KeyCap& cap_for(const CapKey& key);
  void on_key_slot(uint64_t job_id, KeyCap* cap);
  void on_engine_slot(uint64_t job_id);
  void release_slots(Job& job);
  void erase_cap_if_idle(KeyCap* cap);
  ConfigCap& config_cap_for(const Run& run);
  void on_config_slot(uint64_t job_id, ConfigCap* cap);
  void erase_config_cap_if_idle(ConfigCap* cap);

  // ---- steps (engine_steps.cc)
  StepStatus step_describe_source(Job& job);
  StepStatus step_spawn_regions(Job& job);
  StepStatus step_use_source_image(Job& job);
  StepStatus step_tag_source_snapshots(Job& job);
  StepStatus step_acquire_slots(Job& job);
  StepStatus step_release_slots(Job& job);
  StepStatus step_copy_image(Job& job);
  StepStatus step_wait_image(Job& job);

  // The estimate a copy's first poll waits for (poll_adaptive), and its update by that poll.
  // When a copy is expected done (poll_adaptive), and its update by a copy seen available.
  sim::Duration& copy_time_estimate(const Job& job);
  void learn_copy_time(const Job& job);
  StepStatus step_tag_image(Job& job);
  StepStatus step_launch_permission(Job& job);
  StepStatus step_spawn_targets(Job& job);
  StepStatus step_share_with_targets(Job& job);
  StepStatus step_assume_role(Job& job);
  StepStatus step_launch_template(Job& job, uint32_t index);
  StepStatus step_put_parameter(Job& job, uint32_t index);
  StepStatus step_check_instance_profile(Job& job);
  StepStatus step_run_instance(Job& job);
  StepStatus step_wait_instance(Job& job);
  StepStatus step_create_image(Job& job);
  StepStatus step_terminate_instance(Job& job);
  // The AMI a launch template or SSM parameter in `account` refers to, in the job's region.
  const std::string& ami_for_account(const Job& job, const mock_aws::api::AccountId& account) const;
  void record_output(Job& job, std::string status, std::string reason);
  void fail_build(Job& job, std::string reason, const Site& site, const sim::AwsError* error);
  // Best effort: a failed build does not leave its instance running.
  void terminate_build_instance(Job& job);

  sim::Context& ctx_;
  client::ClientFactory& clients_;
  EngineOptions options_;
  sim::Rng backoff_rng_;
  sim::Rng ids_rng_;
  EngineStats stats_;
  sim::ConcurrencyCap engine_cap_;
  std::unordered_map<CapKey, std::unique_ptr<KeyCap>, mock_aws::api::AccountRegionHash> caps_;
  std::map<std::string, std::unique_ptr<ConfigCap>, std::less<>> config_caps_;
  sim::StringMap<CachedSession> sessions_;  // By role ARN.
  std::map<std::pair<mock_aws::api::Region, mock_aws::api::Region>, sim::Duration>
      copy_time_estimates_;  // By (source region, destination region).
  // EC2 clients of service-linked-role sessions, by (access key id, region).
  std::map<std::pair<std::string, mock_aws::api::Region>, std::unique_ptr<client::Ec2Client>>
      slr_clients_;
  std::map<uint64_t, std::unique_ptr<Run>> runs_;
  std::unordered_map<uint64_t, std::unique_ptr<Job>> jobs_;
  uint64_t next_run_id_ = 1;
  uint64_t next_job_id_ = 1;
};

}  // namespace ibsim::engine
