#pragma once
// LoadObserver: watches a load run's trace as it is emitted (sim::TraceObserver) and keeps only
// what the report, the chart and the streaming trace need — per engine job its start, queueing,
// slot and copy times; per (account, region) the copies in flight, their peak and time integral;
// per region the total and the busiest account over time (Timeline); retries and failures by
// cause. Nothing is recorded per event, so a run of a million copies costs a few tens of bytes per
// job. Events come from the engine (engine.job.*, engine.copy.*, engine.step.retry/failed) and
// EC2 (ec2.copy.start/done/failed/cancelled/stalled); see docs/distribution.md and docs/ec2.md.
//
//   LoadObserver obs(workload, profile.copy_limit, trace_writer);
//   ctx.trace().set_observer(&obs);  ... run ...  obs.finish(ctx.now());

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "mock_aws/api/ids.h"
#include "sim/time.h"
#include "sim/trace.h"
#include "src/load/chrome_trace.h"
#include "src/load/stats.h"
#include "src/load/workload.h"

namespace ibsim::load {

class LoadObserver final : public sim::TraceObserver {
 public:
  // `trace` may be null (no --trace).
  LoadObserver(const Workload& workload, uint32_t copy_limit, ChromeTraceWriter* trace);

  void on_event(sim::Instant at,
                std::string_view kind,
                std::initializer_list<sim::TraceArg> args) override;

  // Closes the timeline at `end` and writes the counter tracks into the trace.
  void finish(sim::Instant end);

  struct PairStats {
    uint32_t in_flight = 0;
    uint32_t peak = 0;
    uint64_t copies = 0;
    int64_t first_start_ns = -1;
    int64_t last_change_ns = 0;
    int64_t last_end_ns = 0;
    uint64_t integral = 0;  // Copies in flight times nanoseconds.
    uint64_t lanes = 0;     // Trace lanes busy (one bit each).
    uint64_t lanes_named = 0;
  };

  struct RegionStats {
    uint32_t in_flight = 0;
    uint32_t peak = 0;
    uint32_t peak_per_account = 0;
    uint64_t copies = 0;
    int64_t last_change_ns = 0;
    uint64_t integral = 0;
    // How many accounts have k copies in flight here (k = index), for the busiest account.
    std::vector<uint32_t> accounts_at;
    uint32_t busiest = 0;
  };

  // ---- Results
  const std::vector<PairStats>& pairs() const { return pairs_; }

  const std::vector<RegionStats>& regions() const { return regions_; }

  const Timeline& timeline() const { return timeline_; }

  // Series of the timeline: per region r, 2r = copies in flight, 2r+1 = the busiest account's;
  // then copies completed, copies failed, jobs queued for a slot, copies in flight in all.
  std::size_t series_region_total(std::size_t r) const { return 2 * r; }

  std::size_t series_region_busiest(std::size_t r) const { return 2 * r + 1; }

  std::size_t series_completed() const { return 2 * region_count_; }

  std::size_t series_failed() const { return 2 * region_count_ + 1; }

  std::size_t series_queued() const { return 2 * region_count_ + 2; }

  std::size_t series_in_flight() const { return 2 * region_count_ + 3; }

  std::vector<int64_t>& job_completions_ns() { return completions_; }

  std::vector<int64_t>& queue_waits_ns() { return waits_; }

  std::vector<int64_t>& copy_durations_ns() { return copy_durations_; }

  const std::map<std::string, uint64_t, std::less<>>& retries_by_code() const { return retries_; }

  const std::map<std::string, uint64_t, std::less<>>& retries_by_step() const {
    return retries_by_step_;
  }

  const std::map<std::string, uint64_t, std::less<>>& failures_by_cause() const {
    return failures_;
  }

  uint64_t ec2_copies_started() const { return ec2_started_; }

  uint64_t ec2_copies_available() const { return ec2_done_; }

  uint64_t ec2_copies_failed() const { return ec2_failed_; }

  uint64_t ec2_copy_stalls() const { return stalls_; }

  uint64_t copy_jobs_done() const { return jobs_done_; }

  uint64_t copy_jobs_failed() const { return jobs_failed_; }

  uint64_t jobs_failed_before_copy() const { return jobs_failed_early_; }

  uint32_t queued_peak() const { return queued_peak_; }

  uint32_t in_flight_peak() const { return in_flight_peak_; }

  const std::vector<std::string>& notes() const { return notes_; }

 private:
  struct JobRecord {
    uint32_t pair = UINT32_MAX;  // UINT32_MAX: not a copy job.
    uint32_t run = 0;
    int64_t start_ns = 0;
    int64_t queued_ns = -1;
    int64_t slot_ns = -1;
    int64_t copy_start_ns = -1;
    uint8_t lane = 0;
    bool has_lane = false;
    bool copied = false;
  };

  // Index of an account id (owner 0, target i -> i + 1), or UINT32_MAX when not generated.
  uint32_t account_index(std::string_view account) const;
  uint32_t region_index(std::string_view region) const;
  uint32_t pair_index(std::string_view account, std::string_view region) const;
  JobRecord* job(int64_t id);
  void copy_started(sim::Instant at, uint32_t pair);
  void copy_ended(sim::Instant at, uint32_t pair);
  // Trace lanes: one track per (account, region, lane), so overlapping copies of one pair never
  // overlap on a track.
  void take_lane(JobRecord& job);
  void free_lane(JobRecord& job);

  uint64_t trace_pid(uint32_t pair) const { return pair % region_count_ + 1; }

  uint64_t trace_tid(uint32_t pair, uint8_t lane) const;

  const Workload& workload_;
  uint32_t copy_limit_;
  ChromeTraceWriter* trace_;
  std::size_t region_count_;
  uint64_t owner_number_ = 0;
  uint64_t first_target_number_ = 0;
  std::unordered_map<std::string_view, uint32_t> region_index_;

  std::vector<PairStats> pairs_;
  std::vector<RegionStats> regions_;
  std::vector<JobRecord> jobs_;      // By engine job id.
  std::vector<int64_t> run_starts_;  // By engine run id.
  Timeline timeline_;
  std::vector<int64_t> completions_;
  std::vector<int64_t> waits_;
  std::vector<int64_t> copy_durations_;
  std::map<std::string, uint64_t, std::less<>> retries_;
  std::map<std::string, uint64_t, std::less<>> retries_by_step_;
  std::map<std::string, uint64_t, std::less<>> failures_;
  std::vector<std::string> notes_;
  uint64_t ec2_started_ = 0;
  uint64_t ec2_done_ = 0;
  uint64_t ec2_failed_ = 0;
  uint64_t stalls_ = 0;
  uint64_t jobs_done_ = 0;
  uint64_t jobs_failed_ = 0;
  uint64_t jobs_failed_early_ = 0;
  uint32_t queued_ = 0;
  uint32_t queued_peak_ = 0;
  uint32_t in_flight_ = 0;
  uint32_t in_flight_peak_ = 0;
};

}  // namespace ibsim::load
