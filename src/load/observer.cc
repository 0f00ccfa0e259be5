#include "src/load/observer.h"

#include <algorithm>
#include <bit>

#include "sim/base/assert.h"

namespace ibsim::load {
namespace {

constexpr uint32_t kNone = UINT32_MAX;
constexpr uint8_t kLanesMax = 64;
// Bounds on the distinct keys of the cause maps (a run with ever-new codes cannot grow them).
constexpr std::size_t kCausesMax = 1'000;

const sim::TraceValue* arg(std::initializer_list<sim::TraceArg> args, std::string_view key) {
  for (const sim::TraceArg& a : args) {
    if (a.key == key) {
      return &a.value;
    }
  }
  return nullptr;
}

std::string_view text_arg(std::initializer_list<sim::TraceArg> args, std::string_view key) {
  const sim::TraceValue* v = arg(args, key);
  return v != nullptr && !v->is_int() ? v->as_text() : std::string_view();
}

int64_t int_arg(std::initializer_list<sim::TraceArg> args, std::string_view key) {
  const sim::TraceValue* v = arg(args, key);
  return v != nullptr && v->is_int() ? v->as_int() : -1;
}

uint64_t parse_account_number(std::string_view text) {
  if (text.size() != 12) {
    return 0;
  }
  uint64_t n = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return 0;
    }
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  return n;
}

void count(std::map<std::string, uint64_t, std::less<>>& map, std::string_view key) {
  if (auto it = map.find(key); it != map.end()) {
    ++it->second;
  } else if (map.size() < kCausesMax) {
    map.emplace(std::string(key), 1);
  } else {
    ++map["(other causes)"];
  }
}

}  // namespace

LoadObserver::LoadObserver(const Workload& workload, uint32_t copy_limit, ChromeTraceWriter* trace)
    : workload_(workload),
      copy_limit_(copy_limit),
      trace_(trace),
      region_count_(workload.regions.size()),
      timeline_([&] {
        std::vector<Timeline::Kind> kinds(2 * workload.regions.size(), Timeline::Kind::kLevel);
        kinds.push_back(Timeline::Kind::kCount);  // completed
        kinds.push_back(Timeline::Kind::kCount);  // failed
        kinds.push_back(Timeline::Kind::kLevel);  // queued
        kinds.push_back(Timeline::Kind::kLevel);  // in flight
        return kinds;
      }()) {
  IBSIM_ASSERT(region_count_ > 0, "a load run has at least one region");
  owner_number_ = parse_account_number(workload.owner.str());
  first_target_number_ =
      workload.targets.empty() ? 0 : parse_account_number(workload.targets.front().str());
  for (std::size_t r = 0; r < region_count_; ++r) {
    region_index_.emplace(workload.regions[r].str(), static_cast<uint32_t>(r));
  }
  pairs_.resize((workload.targets.size() + 1) * region_count_);
  regions_.resize(region_count_);
  for (RegionStats& r : regions_) {
    r.accounts_at.assign(copy_limit_ + 2, 0);
    r.accounts_at[0] = static_cast<uint32_t>(workload.targets.size() + 1);
  }
  if (trace_ != nullptr) {
    for (std::size_t r = 0; r < region_count_; ++r) {
      trace_->process_name(r + 1, workload.regions[r].str());
    }
    trace_->process_name(region_count_ + 1, "all regions");
  }
}

uint32_t LoadObserver::account_index(std::string_view account) const {
  const uint64_t n = parse_account_number(account);
  if (n == 0) {
    return kNone;
  }
  if (n == owner_number_) {
    return 0;
  }
  if (n >= first_target_number_ && n - first_target_number_ < workload_.targets.size()) {
    return static_cast<uint32_t>(n - first_target_number_ + 1);
  }
  return kNone;
}

uint32_t LoadObserver::region_index(std::string_view region) const {
  const auto it = region_index_.find(region);
  return it == region_index_.end() ? kNone : it->second;
}

uint32_t LoadObserver::pair_index(std::string_view account, std::string_view region) const {
  const uint32_t a = account_index(account);
  const uint32_t r = region_index(region);
  if (a == kNone || r == kNone) {
    return kNone;
  }
  return a * static_cast<uint32_t>(region_count_) + r;
}

LoadObserver::JobRecord* LoadObserver::job(int64_t id) {
  if (id <= 0 || static_cast<uint64_t>(id) >= jobs_.size()) {
    return nullptr;
  }
  JobRecord& j = jobs_[static_cast<std::size_t>(id)];
  return j.pair == kNone ? nullptr : &j;
}

uint64_t LoadObserver::trace_tid(uint32_t pair, uint8_t lane) const {
  const uint64_t account = pair / region_count_;
  return account * kLanesMax + lane + 1;
}

void LoadObserver::take_lane(JobRecord& j) {
  if (trace_ == nullptr || j.has_lane) {
    return;
  }
  PairStats& p = pairs_[j.pair];
  const uint64_t free = ~p.lanes;
  const auto lane = static_cast<uint8_t>(free == 0 ? kLanesMax - 1 : std::countr_zero(free));
  p.lanes |= uint64_t{1} << lane;
  j.lane = lane;
  j.has_lane = true;
  if ((p.lanes_named & (uint64_t{1} << lane)) == 0) {
    p.lanes_named |= uint64_t{1} << lane;
    const uint32_t a = j.pair / static_cast<uint32_t>(region_count_);
    const std::string& id = a == 0 ? workload_.owner.str() : workload_.targets[a - 1].str();
    trace_->thread_name(trace_pid(j.pair),
                        trace_tid(j.pair, lane),
                        lane == 0 ? id : id + " #" + std::to_string(lane + 1));
  }
}

void LoadObserver::free_lane(JobRecord& j) {
  if (!j.has_lane) {
    return;
  }
  pairs_[j.pair].lanes &= ~(uint64_t{1} << j.lane);
  j.has_lane = false;
}

void LoadObserver::copy_started(sim::Instant at, uint32_t pair) {
  PairStats& p = pairs_[pair];
  const int64_t t = at.ns();
  p.integral += static_cast<uint64_t>(p.in_flight) * static_cast<uint64_t>(t - p.last_change_ns);
  p.last_change_ns = t;
  if (p.first_start_ns < 0) {
    p.first_start_ns = t;
  }
  ++p.copies;
  ++p.in_flight;
  p.peak = std::max(p.peak, p.in_flight);

  const std::size_t r = pair % region_count_;
  RegionStats& reg = regions_[r];
  reg.integral +=
      static_cast<uint64_t>(reg.in_flight) * static_cast<uint64_t>(t - reg.last_change_ns);
  reg.last_change_ns = t;
  ++reg.in_flight;
  ++reg.copies;
  reg.peak = std::max(reg.peak, reg.in_flight);
  if (p.in_flight + 1 >= reg.accounts_at.size()) {
    reg.accounts_at.resize(p.in_flight + 2, 0);
  }
  --reg.accounts_at[p.in_flight - 1];
  ++reg.accounts_at[p.in_flight];
  reg.busiest = std::max(reg.busiest, p.in_flight);
  reg.peak_per_account = std::max(reg.peak_per_account, reg.busiest);
  timeline_.set_level(series_region_total(r), at, reg.in_flight);
  timeline_.set_level(series_region_busiest(r), at, reg.busiest);
  ++in_flight_;
  in_flight_peak_ = std::max(in_flight_peak_, in_flight_);
  timeline_.set_level(series_in_flight(), at, in_flight_);
}

void LoadObserver::copy_ended(sim::Instant at, uint32_t pair) {
  PairStats& p = pairs_[pair];
  if (p.in_flight == 0) {
    return;  // A copy that started before the observer attached.
  }
  const int64_t t = at.ns();
  p.integral += static_cast<uint64_t>(p.in_flight) * static_cast<uint64_t>(t - p.last_change_ns);
  p.last_change_ns = t;
  p.last_end_ns = t;
  --p.in_flight;

  const std::size_t r = pair % region_count_;
  RegionStats& reg = regions_[r];
  reg.integral +=
      static_cast<uint64_t>(reg.in_flight) * static_cast<uint64_t>(t - reg.last_change_ns);
  reg.last_change_ns = t;
  --reg.in_flight;
  --reg.accounts_at[p.in_flight + 1];
  ++reg.accounts_at[p.in_flight];
  while (reg.busiest > 0 && reg.accounts_at[reg.busiest] == 0) {
    --reg.busiest;
  }
  timeline_.set_level(series_region_total(r), at, reg.in_flight);
  timeline_.set_level(series_region_busiest(r), at, reg.busiest);
  --in_flight_;
  timeline_.set_level(series_in_flight(), at, in_flight_);
}

void LoadObserver::on_event(sim::Instant at,
                            std::string_view kind,
                            std::initializer_list<sim::TraceArg> args) {
  // Most events are engine steps; reject them by their prefix and length before comparing.
  if (kind.size() < 13) {
    return;
  }
  if (kind.starts_with("ec2.copy.")) {
    const std::string_view what = kind.substr(9);
    if (what == "start") {
      const uint32_t pair = pair_index(text_arg(args, "account"), text_arg(args, "region"));
      if (pair != kNone) {
        ++ec2_started_;
        copy_started(at, pair);
      }
    } else if (what == "done" || what == "failed" || what == "cancelled") {
      const uint32_t pair = pair_index(text_arg(args, "account"), text_arg(args, "region"));
      if (pair != kNone) {
        if (what == "done") {
          ++ec2_done_;
          const int64_t ms = int_arg(args, "duration_ms");
          if (ms >= 0) {
            copy_durations_.push_back(ms * 1'000'000);
          }
        } else if (what == "failed") {
          ++ec2_failed_;
        }
        copy_ended(at, pair);
      }
    } else if (what == "stalled") {
      ++stalls_;
    }
    return;
  }
  if (!kind.starts_with("engine.") || kind == "engine.step.done") {
    return;
  }
  const std::string_view what = kind.substr(7);
  if (what == "job.start") {
    const std::string_view job_kind = text_arg(args, "kind");
    if (job_kind != "target" && job_kind != "region") {
      return;
    }
    const int64_t id = int_arg(args, "job");
    const uint32_t pair = pair_index(text_arg(args, "account"), text_arg(args, "region"));
    if (id <= 0 || pair == kNone) {
      return;
    }
    if (static_cast<uint64_t>(id) >= jobs_.size()) {
      jobs_.resize(static_cast<std::size_t>(id) + 1);
    }
    JobRecord& j = jobs_[static_cast<std::size_t>(id)];
    j = JobRecord{};
    j.pair = pair;
    j.run = static_cast<uint32_t>(int_arg(args, "run"));
    j.start_ns = at.ns();
  } else if (what == "run.start") {
    const int64_t run = int_arg(args, "run");
    if (run > 0) {
      if (static_cast<uint64_t>(run) >= run_starts_.size()) {
        run_starts_.resize(static_cast<std::size_t>(run) + 1, 0);
      }
      run_starts_[static_cast<std::size_t>(run)] = at.ns();
    }
  } else if (what == "copy.queued") {
    if (JobRecord* j = job(int_arg(args, "job")); j != nullptr && j->queued_ns < 0) {
      j->queued_ns = at.ns();
      take_lane(*j);
      ++queued_;
      queued_peak_ = std::max(queued_peak_, queued_);
      timeline_.set_level(series_queued(), at, queued_);
    }
  } else if (what == "copy.slot") {
    if (JobRecord* j = job(int_arg(args, "job")); j != nullptr) {
      j->slot_ns = at.ns();
      if (j->queued_ns >= 0) {
        waits_.push_back(at.ns() - j->queued_ns);
        --queued_;
        timeline_.set_level(series_queued(), at, queued_);
        if (trace_ != nullptr) {
          trace_->complete(trace_pid(j->pair),
                           trace_tid(j->pair, j->lane),
                           "queued for a copy slot",
                           "queue",
                           sim::Instant::from_ns(j->queued_ns),
                           at - sim::Instant::from_ns(j->queued_ns));
        }
      } else {
        waits_.push_back(0);
      }
    }
  } else if (what == "copy.start") {
    if (JobRecord* j = job(int_arg(args, "job")); j != nullptr) {
      j->copy_start_ns = at.ns();
      j->copied = true;
      take_lane(*j);
    }
  } else if (what == "copy.done") {
    if (JobRecord* j = job(int_arg(args, "job")); j != nullptr && j->copy_start_ns >= 0) {
      const std::string_view state = text_arg(args, "state");
      const bool available = state == "available";
      timeline_.add(available ? series_completed() : series_failed(), at, 1);
      if (trace_ != nullptr) {
        trace_->complete(trace_pid(j->pair),
                         trace_tid(j->pair, j->lane),
                         available ? "copy" : "copy failed",
                         "copy",
                         sim::Instant::from_ns(j->copy_start_ns),
                         at - sim::Instant::from_ns(j->copy_start_ns),
                         {{"image", text_arg(args, "image")}, {"state", state}});
      }
    }
  } else if (what == "step.retry") {
    const std::string_view code = text_arg(args, "code");
    count(retries_, code);
    std::string key(text_arg(args, "step"));
    key += ": ";
    key += code;
    count(retries_by_step_, key);
    if (trace_ != nullptr) {
      if (JobRecord* j = job(int_arg(args, "job")); j != nullptr) {
        take_lane(*j);
        trace_->instant(
            trace_pid(j->pair),
            trace_tid(j->pair, j->lane),
            "retry " + key,
            "retry",
            at,
            {{"attempt", int_arg(args, "attempt")}, {"delay_ms", int_arg(args, "delay_ms")}});
      }
    }
  } else if (what == "step.failed") {
    std::string key(text_arg(args, "step"));
    key += ": ";
    const std::string_view code = text_arg(args, "code");
    key += code.empty() ? std::string_view("(no code)") : code;
    count(failures_, key);
    if (trace_ != nullptr) {
      if (JobRecord* j = job(int_arg(args, "job")); j != nullptr) {
        take_lane(*j);
        trace_->instant(
            trace_pid(j->pair), trace_tid(j->pair, j->lane), "failed " + key, "failure", at);
      }
    }
  } else if (what == "job.done" || what == "job.failed") {
    const int64_t id = int_arg(args, "job");
    JobRecord* j = job(id);
    if (j == nullptr) {
      return;
    }
    const bool failed = what == "job.failed";
    if (j->copied) {
      if (failed) {
        ++jobs_failed_;
      } else {
        ++jobs_done_;
        const int64_t run_start = j->run < run_starts_.size() ? run_starts_[j->run] : j->start_ns;
        completions_.push_back(at.ns() - run_start);
      }
    } else if (failed) {
      ++jobs_failed_early_;
    }
    if (j->queued_ns >= 0 && j->slot_ns < 0) {
      --queued_;  // Left the queue without a slot (timed out, cancelled).
      timeline_.set_level(series_queued(), at, queued_);
    }
    free_lane(*j);
    j->pair = kNone;
  }
}

void LoadObserver::finish(sim::Instant end) {
  const int64_t t = end.ns();
  for (PairStats& p : pairs_) {
    p.integral += static_cast<uint64_t>(p.in_flight) * static_cast<uint64_t>(t - p.last_change_ns);
    p.last_change_ns = t;
  }
  for (RegionStats& r : regions_) {
    r.integral += static_cast<uint64_t>(r.in_flight) * static_cast<uint64_t>(t - r.last_change_ns);
    r.last_change_ns = t;
  }
  timeline_.finish(end);
  if (trace_ == nullptr) {
    return;
  }
  // Counter tracks from the timeline (bucket maxima), one per region plus the total and queue.
  const sim::Duration width = timeline_.bucket_width();
  for (std::size_t b = 0; b < timeline_.bucket_count(); ++b) {
    const sim::Instant at = sim::Instant::start() + width * static_cast<int64_t>(b);
    for (std::size_t r = 0; r < region_count_; ++r) {
      trace_->counter(r + 1,
                      "copies in flight",
                      at,
                      "all accounts",
                      timeline_.values(series_region_total(r))[b]);
      trace_->counter(
          r + 1, "busiest account", at, "copies", timeline_.values(series_region_busiest(r))[b]);
    }
    trace_->counter(region_count_ + 1,
                    "copies in flight",
                    at,
                    "all regions",
                    timeline_.values(series_in_flight())[b]);
    trace_->counter(region_count_ + 1,
                    "jobs queued for a slot",
                    at,
                    "jobs",
                    timeline_.values(series_queued())[b]);
  }
}

}  // namespace ibsim::load
