#pragma once
// LoadReport: what `ibsim load` answers — how long the workload took (makespan, copies per
// simulated hour), how long jobs took and waited (p50/p95/p99), where the caps bit (peak and mean
// concurrency per region and per (account, region) against the cap), what was retried and what
// failed, by cause, and what the fault plan did. A pure function of the profile and seed: no wall
// time in it. Rendered as text (default) or JSON (sorted keys); the chart reads the timeline.
//
//   std::string text = render_text(report);
//   std::string json = render_json(report);

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "sim/time.h"
#include "src/load/stats.h"

namespace ibsim::load {

struct RegionReport {
  std::string region;
  uint64_t copies = 0;
  uint32_t peak_in_flight = 0;    // All accounts together.
  double mean_in_flight = 0.0;    // Over the makespan.
  uint32_t peak_per_account = 0;  // The busiest (account, region) here; the cap bounds it.
};

struct PairReport {
  std::string account;
  std::string region;
  uint64_t copies = 0;
  uint32_t peak = 0;
  double mean = 0.0;  // Copies in flight on average while the pair was active (first start to
                      // last end).
};

struct RuleReport {
  std::string name;
  std::string description;  // "throttle ec2 CopyImage 1/20 [10m, 2h)"
  uint64_t matched = 0;
  uint64_t fired = 0;
};

struct OutageReport {
  std::string name;
  std::string region;
  std::string window;
  // The window in virtual time since the run began, for the chart (end: Duration's max when open).
  sim::Duration start;
  sim::Duration end;
  uint64_t calls_refused = 0;
  uint64_t copy_steps_stalled = 0;
  uint64_t copies_failed = 0;
};

struct WorldEventReport {
  std::string at;
  sim::Duration at_time;    // Since the run began, for the chart.
  std::string description;  // "disable_key 100000000000 us-east-1 alias/ibsim-load"
  std::string outcome;      // "ok" or the model's error.
};

struct ChartSeries {
  std::string label;
  std::vector<int64_t> values;  // One per bucket.
};

// The timeline the chart draws, bucket maxima (levels) and sums (counts).
struct TimelineReport {
  sim::Duration bucket_width;
  std::vector<ChartSeries> region_in_flight;  // Per region, all accounts.
  std::vector<ChartSeries> region_busiest;    // Per region, the busiest account.
  std::vector<int64_t> completed;             // Copies available per bucket.
  std::vector<int64_t> failed;                // Copies failed per bucket.
  std::vector<int64_t> queued;                // Jobs waiting for a copy slot (max per bucket).
  std::vector<int64_t> in_flight;             // Copies in flight in all regions.
};

struct LoadReport {
  // ---- Workload
  std::string name;
  uint64_t seed = 0;
  uint32_t accounts = 0;
  std::vector<std::string> regions;
  uint32_t images = 0;
  uint32_t pipelines = 0;
  uint32_t encrypted_images = 0;
  int32_t image_size_gib = 0;
  uint32_t accounts_missing_role = 0;
  uint32_t accounts_missing_kms_policy = 0;
  uint64_t copies_planned = 0;
  uint32_t copy_limit = 0;                          // EC2, per (account, region).
  uint32_t engine_copies_per_distribution_max = 0;  // 0: off.
  uint32_t engine_copies_per_account_region_max = 0;
  uint32_t engine_copies_in_flight_max = 0;

  // ---- Outcome
  bool finished = false;        // Every distribution ended.
  std::string stopped_because;  // When not finished: "virtual time limit 7d", "event limit".
  uint32_t distributions_ok = 0;
  uint32_t distributions_failed = 0;
  sim::Duration makespan;  // From the first distribution's start to the last one's end.
  sim::Duration first_start;
  double copies_per_hour = 0.0;  // Copies available per simulated hour of makespan.
  uint64_t copies_started = 0;   // EC2 CopyImage calls that started a copy.
  uint64_t copies_available = 0;
  uint64_t copies_failed = 0;  // Copies that ended failed (EC2).
  uint64_t copy_jobs_done = 0;
  uint64_t copy_jobs_failed = 0;  // Jobs that copied and then failed.
  uint64_t jobs_failed_before_copy = 0;
  // Planned copies whose job never ended, done or failed: targets of a region whose owner copy
  // failed (the engine never starts them), or jobs still running when the run stopped.
  uint64_t jobs_not_ended = 0;
  uint64_t copy_stalls = 0;
  Summary job_completion;  // Copy job end - its distribution's start.
  Summary queue_wait;      // Waiting for a copy slot (engine caps).
  Summary copy_duration;   // EC2 copy start to available.
  uint32_t queued_peak = 0;
  uint32_t in_flight_peak = 0;

  std::map<std::string, uint64_t> retries_by_cause;  // Error code.
  std::map<std::string, uint64_t> retries_by_step;   // "CopyImage: RequestLimitExceeded".
  uint64_t retries = 0;
  std::map<std::string, uint64_t> failures_by_cause;  // "AssumeRole: AccessDenied".

  std::vector<RegionReport> regions_detail;
  // Per (account, region) with at least one copy, busiest first (peak, then mean), at most
  // kPairsListedMax; pairs_total counts them all.
  static constexpr std::size_t kPairsListedMax = 10'000;
  std::vector<PairReport> pairs;
  uint64_t pairs_total = 0;
  uint64_t pairs_at_cap = 0;  // Pairs whose peak reached the EC2 cap.

  std::vector<RuleReport> fault_rules;
  std::vector<OutageReport> outages;
  std::vector<WorldEventReport> world_events;

  // ---- Engine and kernel
  uint64_t calls = 0;
  uint64_t polls = 0;
  uint64_t sessions_assumed = 0;
  uint64_t events = 0;
  std::string trace_hash;
  std::vector<std::string> notes;

  TimelineReport timeline;
};

std::string render_text(const LoadReport& report);
std::string render_json(const LoadReport& report);

// "2h31m", "45.2s", "850ms": durations for people (not the parse syntax).
std::string human_duration(sim::Duration d);

}  // namespace ibsim::load
