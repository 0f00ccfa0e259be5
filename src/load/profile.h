#pragma once
// LoadProfile: a generated workload, as `ibsim load` takes it from flags or from a profile file —
// how many target accounts and regions, how many images from how many pipelines and when each
// starts, which share of them is encrypted, the copy-time model per region pair, the caps and
// retry knobs of EC2 and the engine, the fault plan, and the bounds of the run. Plain data with
// defaults that answer "400 accounts in 14 regions"; read_profile() reads the JSON form strictly
// (docs/load-testing.md has every key).
//
//   sim::Result<LoadProfile> p = read_profile_file("profiles/400x14.json");
//   p->accounts = 100;   // flags override the file

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock_aws/api/ids.h"
#include "sim/base/result.h"
#include "sim/rng.h"
#include "sim/time.h"
#include "src/faults/fault_plan.h"

namespace ibsim::load {

namespace api = mock_aws::api;

struct LoadLimits {
  static constexpr uint32_t kAccountsMax = 100'000;
  static constexpr uint32_t kImagesMax = 10'000;
  static constexpr uint32_t kPipelinesMax = 10'000;
  static constexpr int32_t kImageSizeGibMax = 16'384;
  // Copies one run may plan (accounts x regions x images, plus the owner's).
  static constexpr uint64_t kCopiesMax = 20'000'000;
  static constexpr std::size_t kProfileBytesMax = 16 << 20;
  static constexpr std::size_t kPairRulesMax = 10'000;
};

// The copy-time model of the pairs a rule names ("*" for any region): bandwidth (or time per
// GiB), the fixed latency before data moves, and the jitter. Later rules override earlier ones.
struct PairTimeRule {
  std::string source = "*";
  std::string destination = "*";
  uint64_t bytes_per_sec = 0;  // 0: keep the default for the pair.
  std::optional<sim::Duration> fixed_latency;
  std::optional<double> jitter_sigma;
};

struct CopyTimeProfile {
  // Unconfirmed: AWS publishes no copy-time figures; the defaults are EC2 model's (64 MiB/s in a
  // region, 16 MiB/s across, 60 s before data moves, log-normal jitter sigma 0.2).
  uint64_t same_region_bytes_per_sec = uint64_t{64} << 20;
  uint64_t cross_region_bytes_per_sec = uint64_t{16} << 20;
  sim::Duration fixed_latency = sim::Duration::seconds(60);
  double jitter_sigma = 0.2;
  std::vector<PairTimeRule> pairs;
};

// Knobs of the distribution engine the profile may set (the rest keep EngineOptions' defaults).
struct EngineProfile {
  // Image Builder's quota "Concurrent AMI copies per distribution configuration" (L-69312229,
  // aws-facts §1.8): each pipeline has its own distribution configuration. 0: no such cap.
  uint32_t copies_per_distribution_max = 50;
  uint32_t copies_per_account_region_max = 50;
  uint32_t copies_in_flight_max = 4'000;
  sim::Duration poll_interval = sim::Duration::seconds(30);
  sim::Duration poll_interval_max = sim::Duration::seconds(120);
  bool poll_adaptive = true;  // EngineOptions::poll_adaptive.
  uint32_t retry_attempts_max = 8;
  sim::Duration backoff_base = sim::Duration::seconds(2);
  sim::Duration backoff_max = sim::Duration::seconds(120);
  sim::Duration distribution_timeout = sim::Duration::minutes(720);
};

// Target accounts set up wrongly on purpose, as shares of all targets (drawn from the seeded
// stream "load.accounts"): they show up under failures by cause.
struct MisconfiguredShares {
  sim::Ratio missing_role{0, 1};        // No EC2ImageBuilderDistributionCrossAccountRole.
  sim::Ratio missing_kms_policy{0, 1};  // The role lacks the inline KMS policy.
};

struct LoadProfile {
  std::string name;  // For the report and the chart title; generated from the sizes when empty.
  uint64_t seed = 1;

  uint32_t accounts = 400;  // Target accounts (the owner is extra).
  // The regions: the first `region_count` of the catalogue (commercial regions without opt-in
  // first, then opt-in ones) unless `region_names` lists them. The first is the build region.
  uint32_t region_count = 14;
  std::vector<std::string> region_names;

  uint32_t images = 1;     // Images distributed in the run (pipeline executions).
  uint32_t pipelines = 1;  // Image i comes from pipeline i % pipelines.
  // Image i starts at (i % pipelines) * pipeline_offset + (i / pipelines) * image_interval, plus
  // a uniform jitter in [0, start_jitter) from the stream "load.start".
  sim::Duration pipeline_offset = sim::Duration::zero();
  sim::Duration image_interval = sim::Duration::zero();
  sim::Duration start_jitter = sim::Duration::zero();

  // Share of images whose AMI is encrypted under a customer managed key (re-encrypted per region
  // under that region's key); spread evenly: image i is encrypted when
  // floor((i+1)*share + 1/2) > floor(i*share + 1/2).
  sim::Ratio encrypted_share{1, 1};
  int32_t image_size_gib = 8;
  MisconfiguredShares misconfigured;

  // EC2's concurrent-copy cap per (destination account, destination region), and its request-rate
  // buckets (RequestLimitExceeded) when `ec2_request_rate` is on.
  uint32_t copy_limit = 50;
  bool ec2_request_rate = false;
  CopyTimeProfile copy_time;
  EngineProfile engine;
  faults::FaultPlan faults;

  // Bounds of the run: virtual time and events; the run stops there and says so.
  sim::Duration virtual_time_max = sim::Duration::days(7);
  uint64_t events_max = 2'000'000'000;
  // Real bytes of each snapshot's content (its modelled size is image_size_gib): small, because a
  // million copies each hold their re-encrypted content.
  std::size_t snapshot_content_bytes = 64;
};

// InvalidInput naming the first problem.
sim::Status validate(const LoadProfile& profile);

// The regions the profile names or counts, in order; InvalidInput for an unknown name or a count
// larger than the catalogue.
sim::Result<std::vector<api::Region>> resolve_regions(const LoadProfile& profile);

// Copies the workload plans: per image, the owner's copies to the other regions plus one per
// target account and region.
uint64_t planned_copies(const LoadProfile& profile, std::size_t region_count);

// "400 accounts x 14 regions x 1 image, 100% encrypted" when name is empty.
std::string display_name(const LoadProfile& profile, std::size_t region_count);

// The generated account ids: the owner (source) account and target i.
api::AccountId owner_account();
api::AccountId target_account(uint32_t index);
// "source" / "owner" -> the owner, "target:N" -> target N (N < accounts); nullopt otherwise.
std::optional<api::AccountId> account_alias(std::string_view text, uint32_t accounts);

// Reads a profile from JSON text (strict: unknown keys are errors); `source` names the file in
// messages.
sim::Result<LoadProfile> read_profile(std::string_view json_text, std::string_view source);
sim::Result<LoadProfile> read_profile_file(const std::string& path);
// A fault plan file on its own (`--faults`), with the load tester's account aliases.
sim::Result<faults::FaultPlan> read_fault_plan_file(const std::string& path, uint32_t accounts);

}  // namespace ibsim::load
