#include "src/load/report.h"

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

namespace ibsim::load {
namespace {

using Json = nlohmann::json;

// Lines of the text report's lists (the JSON carries everything).
constexpr std::size_t kTextPairsMax = 10;
constexpr std::size_t kTextCausesMax = 20;

std::string group(uint64_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  const std::size_t first = digits.size() % 3 == 0 ? 3 : digits.size() % 3;
  out += digits.substr(0, first);
  for (std::size_t i = first; i < digits.size(); i += 3) {
    out += ',';
    out += digits.substr(i, 3);
  }
  return out;
}

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string pad(std::string s, std::size_t width, bool right = false) {
  if (s.size() >= width) {
    return s;
  }
  const std::string fill(width - s.size(), ' ');
  return right ? fill + s : s + fill;
}

double seconds(sim::Duration d) {
  return static_cast<double>(d.ns()) / 1e9;
}

Json summary_json(const Summary& s) {
  return Json{{"count", s.count},
              {"mean_s", seconds(s.mean)},
              {"p50_s", seconds(s.p50)},
              {"p95_s", seconds(s.p95)},
              {"p99_s", seconds(s.p99)},
              {"max_s", seconds(s.max)}};
}

std::string summary_row(const std::string& label, const Summary& s) {
  if (s.count == 0) {
    return "  " + pad(label, 16) + "(none)\n";
  }
  return "  " + pad(label, 16) + pad(human_duration(s.p50), 10, true)
         + pad(human_duration(s.p95), 10, true) + pad(human_duration(s.p99), 10, true)
         + pad(human_duration(s.max), 10, true) + pad(human_duration(s.mean), 10, true)
         + pad(group(s.count), 12, true) + "\n";
}

std::string counts_text(const std::map<std::string, uint64_t>& counts) {
  std::vector<std::pair<std::string, uint64_t>> sorted(counts.begin(), counts.end());
  std::stable_sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.second > b.second;
  });
  std::string out;
  for (std::size_t i = 0; i < sorted.size() && i < kTextCausesMax; ++i) {
    out += "    " + pad(group(sorted[i].second), 10, true) + "  " + sorted[i].first + "\n";
  }
  if (sorted.size() > kTextCausesMax) {
    out += "    ... " + std::to_string(sorted.size() - kTextCausesMax) + " more (--format json)\n";
  }
  return out;
}

}  // namespace

std::string human_duration(sim::Duration d) {
  const int64_t ms = d.ms();
  if (ms < 0) {
    return "-" + human_duration(sim::Duration::milliseconds(-ms));
  }
  if (ms < 1000) {
    return std::to_string(ms) + "ms";
  }
  if (ms < 60'000) {
    return fixed(static_cast<double>(ms) / 1000.0, 1) + "s";
  }
  const int64_t s = ms / 1000;
  if (s < 3600) {
    return std::to_string(s / 60) + "m" + (s % 60 != 0 ? std::to_string(s % 60) + "s" : "");
  }
  if (s < 86'400) {
    return std::to_string(s / 3600) + "h"
           + (s / 60 % 60 != 0 ? std::to_string(s / 60 % 60) + "m" : "");
  }
  return std::to_string(s / 86'400) + "d"
         + (s / 3600 % 24 != 0 ? std::to_string(s / 3600 % 24) + "h" : "");
}

std::string render_text(const LoadReport& r) {
  std::string out;
  out += "ibsim load: " + r.name + " (seed " + std::to_string(r.seed) + ")\n\n";

  // ---- Workload
  std::string regions;
  for (std::size_t i = 0; i < r.regions.size(); ++i) {
    regions += (i == 0 ? "" : ", ") + r.regions[i];
  }
  out += "Workload\n";
  out += "  " + group(r.accounts) + " target accounts + the owner; "
         + std::to_string(r.regions.size()) + " regions: " + regions + " (build region "
         + (r.regions.empty() ? "" : r.regions[0]) + ")\n";
  out += "  " + group(r.images) + (r.images == 1 ? " image" : " images") + " from "
         + group(r.pipelines) + (r.pipelines == 1 ? " pipeline" : " pipelines") + ", "
         + std::to_string(r.image_size_gib) + " GiB each, " + group(r.encrypted_images)
         + " encrypted; " + group(r.copies_planned) + " copies planned\n";
  if (r.accounts_missing_role + r.accounts_missing_kms_policy > 0) {
    out += "  misconfigured on purpose: " + group(r.accounts_missing_role) + " without the role, "
           + group(r.accounts_missing_kms_policy) + " without the KMS policy\n";
  }
  out += "  caps: EC2 " + group(r.copy_limit) + " copies per (account, region); Image Builder "
         + (r.engine_copies_per_distribution_max == 0 ? std::string("no cap")
                                                      : group(r.engine_copies_per_distribution_max))
         + " per distribution configuration, " + group(r.engine_copies_per_account_region_max)
         + " per (account, region), " + group(r.engine_copies_in_flight_max)
         + " in flight in all\n\n";

  // ---- Outcome
  out += "Outcome\n";
  const uint32_t runs = r.distributions_ok + r.distributions_failed;
  if (r.finished) {
    out += "  finished: " + group(r.distributions_ok) + " of " + group(runs)
           + " distributions succeeded, " + group(r.distributions_failed) + " failed\n";
  } else {
    out += "  NOT FINISHED (" + r.stopped_because + "): " + group(runs) + " of " + group(r.images)
           + " distributions ended\n";
  }
  out += "  makespan " + human_duration(r.makespan) + "; "
         + group(static_cast<uint64_t>(r.copies_per_hour + 0.5)) + " copies per simulated hour\n";
  out += "  copies: " + group(r.copies_started) + " started, " + group(r.copies_available)
         + " available, " + group(r.copies_failed) + " failed";
  if (r.copy_stalls > 0) {
    out += "; " + group(r.copy_stalls) + " copy steps stalled";
  }
  out += "\n  jobs: " + group(r.copy_jobs_done) + " done, " + group(r.copy_jobs_failed)
         + " failed after copying, " + group(r.jobs_failed_before_copy) + " failed before";
  if (r.jobs_not_ended > 0) {
    out += "; " + group(r.jobs_not_ended)
           + " never ended (not started after their region's owner copy failed, or still running)";
  }
  out += "\n\n";

  // ---- Timing
  out += "Timing" + std::string(12, ' ') + pad("p50", 10, true) + pad("p95", 10, true)
         + pad("p99", 10, true) + pad("max", 10, true) + pad("mean", 10, true)
         + pad("count", 12, true) + "\n";
  out += summary_row("job completion", r.job_completion);
  out += summary_row("queue wait", r.queue_wait);
  out += summary_row("copy (EC2)", r.copy_duration);
  out += "\n";

  // ---- Concurrency
  out += "Concurrency (copies in flight, as EC2 counts them)\n";
  out += "  all regions: peak " + group(r.in_flight_peak) + "; jobs queued for a slot: peak "
         + group(r.queued_peak) + "\n";
  out += "  " + pad("region", 16) + pad("copies", 10, true) + pad("peak", 8, true)
         + pad("mean", 10, true) + pad("busiest account", 18, true) + "\n";
  for (const RegionReport& reg : r.regions_detail) {
    out +=
        "  " + pad(reg.region, 16) + pad(group(reg.copies), 10, true)
        + pad(group(reg.peak_in_flight), 8, true) + pad(fixed(reg.mean_in_flight, 1), 10, true)
        + pad(
            std::to_string(reg.peak_per_account) + " of " + std::to_string(r.copy_limit), 18, true)
        + "\n";
  }
  out += "  (account, region) pairs with copies: " + group(r.pairs_total) + "; at the cap of "
         + group(r.copy_limit) + ": " + group(r.pairs_at_cap) + "\n";
  if (!r.pairs.empty()) {
    out += "  busiest pairs (peak, mean while active):\n";
    for (std::size_t i = 0; i < r.pairs.size() && i < kTextPairsMax; ++i) {
      const PairReport& p = r.pairs[i];
      out += "    " + p.account + " " + pad(p.region, 16) + " peak " + pad(group(p.peak), 5, true)
             + "  mean " + fixed(p.mean, 1) + "  copies " + group(p.copies) + "\n";
    }
  }
  out += "\n";

  // ---- Retries and failures
  out += "Retries: " + group(r.retries) + "\n";
  if (!r.retries_by_step.empty()) {
    out += counts_text(r.retries_by_step);
  }
  uint64_t failures = 0;
  for (const auto& [cause, n] : r.failures_by_cause) {
    failures += n;
  }
  out += "Failures: " + group(failures) + "\n";
  if (!r.failures_by_cause.empty()) {
    out += counts_text(r.failures_by_cause);
  }

  // ---- Faults
  if (!r.fault_rules.empty() || !r.outages.empty() || !r.world_events.empty()) {
    out += "\nFaults\n";
    for (const RuleReport& f : r.fault_rules) {
      out += "  rule " + f.name + " (" + f.description + "): matched " + group(f.matched)
             + ", fired " + group(f.fired) + "\n";
    }
    for (const OutageReport& o : r.outages) {
      out += "  outage " + o.name + " (" + o.region + " " + o.window
             + "): " + group(o.calls_refused) + " calls refused, " + group(o.copy_steps_stalled)
             + " copy steps stalled, " + group(o.copies_failed) + " copies failed\n";
    }
    for (const WorldEventReport& e : r.world_events) {
      out += "  at " + e.at + ": " + e.description + ": " + e.outcome + "\n";
    }
  }
  for (const std::string& note : r.notes) {
    out += "note: " + note + "\n";
  }
  out += "\nEngine: " + group(r.calls) + " calls (" + group(r.polls) + " polls), "
         + group(r.sessions_assumed) + " sessions; " + group(r.events) + " events; trace hash "
         + r.trace_hash + "\n";
  return out;
}

std::string render_json(const LoadReport& r) {
  Json regions = Json::array();
  for (const RegionReport& reg : r.regions_detail) {
    regions.push_back({{"region", reg.region},
                       {"copies", reg.copies},
                       {"peak_in_flight", reg.peak_in_flight},
                       {"mean_in_flight", reg.mean_in_flight},
                       {"peak_per_account", reg.peak_per_account}});
  }
  Json pairs = Json::array();
  for (const PairReport& p : r.pairs) {
    pairs.push_back({{"account", p.account},
                     {"region", p.region},
                     {"copies", p.copies},
                     {"peak", p.peak},
                     {"mean", p.mean}});
  }
  Json rules = Json::array();
  for (const RuleReport& f : r.fault_rules) {
    rules.push_back({{"name", f.name},
                     {"description", f.description},
                     {"matched", f.matched},
                     {"fired", f.fired}});
  }
  Json outages = Json::array();
  for (const OutageReport& o : r.outages) {
    outages.push_back({{"name", o.name},
                       {"region", o.region},
                       {"window", o.window},
                       {"calls_refused", o.calls_refused},
                       {"copy_steps_stalled", o.copy_steps_stalled},
                       {"copies_failed", o.copies_failed}});
  }
  Json events = Json::array();
  for (const WorldEventReport& e : r.world_events) {
    events.push_back({{"at", e.at}, {"event", e.description}, {"outcome", e.outcome}});
  }
  Json timeline = {{"bucket_width_s", seconds(r.timeline.bucket_width)},
                   {"completed", r.timeline.completed},
                   {"failed", r.timeline.failed},
                   {"queued", r.timeline.queued},
                   {"in_flight", r.timeline.in_flight}};
  Json per_region = Json::object();
  for (std::size_t i = 0; i < r.timeline.region_in_flight.size(); ++i) {
    per_region[r.timeline.region_in_flight[i].label] = {
        {"in_flight", r.timeline.region_in_flight[i].values},
        {"busiest_account", r.timeline.region_busiest[i].values}};
  }
  timeline["regions"] = std::move(per_region);

  Json doc = {
      {"name", r.name},
      {"seed", r.seed},
      {"workload",
       {{"accounts", r.accounts},
        {"regions", r.regions},
        {"images", r.images},
        {"pipelines", r.pipelines},
        {"encrypted_images", r.encrypted_images},
        {"image_size_gib", r.image_size_gib},
        {"accounts_missing_role", r.accounts_missing_role},
        {"accounts_missing_kms_policy", r.accounts_missing_kms_policy},
        {"copies_planned", r.copies_planned},
        {"ec2_copy_limit", r.copy_limit},
        {"engine_copies_per_distribution_max", r.engine_copies_per_distribution_max},
        {"engine_copies_per_account_region_max", r.engine_copies_per_account_region_max},
        {"engine_copies_in_flight_max", r.engine_copies_in_flight_max}}},
      {"finished", r.finished},
      {"stopped_because", r.stopped_because},
      {"distributions_ok", r.distributions_ok},
      {"distributions_failed", r.distributions_failed},
      {"makespan_s", seconds(r.makespan)},
      {"first_start_s", seconds(r.first_start)},
      {"copies_per_hour", r.copies_per_hour},
      {"copies",
       {{"started", r.copies_started},
        {"available", r.copies_available},
        {"failed", r.copies_failed},
        {"stalled_steps", r.copy_stalls}}},
      {"jobs",
       {{"done", r.copy_jobs_done},
        {"failed_after_copy", r.copy_jobs_failed},
        {"failed_before_copy", r.jobs_failed_before_copy},
        {"not_ended", r.jobs_not_ended}}},
      {"job_completion", summary_json(r.job_completion)},
      {"queue_wait", summary_json(r.queue_wait)},
      {"copy_duration", summary_json(r.copy_duration)},
      {"concurrency",
       {{"in_flight_peak", r.in_flight_peak},
        {"queued_peak", r.queued_peak},
        {"regions", regions},
        {"pairs", pairs},
        {"pairs_total", r.pairs_total},
        {"pairs_listed", r.pairs.size()},
        {"pairs_at_cap", r.pairs_at_cap}}},
      {"retries",
       {{"total", r.retries}, {"by_cause", r.retries_by_cause}, {"by_step", r.retries_by_step}}},
      {"failures_by_cause", r.failures_by_cause},
      {"faults", {{"rules", rules}, {"outages", outages}, {"world_events", events}}},
      {"engine",
       {{"calls", r.calls}, {"polls", r.polls}, {"sessions_assumed", r.sessions_assumed}}},
      {"events", r.events},
      {"trace_hash", r.trace_hash},
      {"notes", r.notes},
      {"timeline", timeline},
  };
  return doc.dump(2) + "\n";
}

}  // namespace ibsim::load
