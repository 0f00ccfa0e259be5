// A load run end to end on small workloads: every planned copy lands, the statistics add up, the
// caps are never exceeded and bite when they should, faults show up by cause, the same seed gives
// the same report and trace hash, and the chart and the Chrome trace are well formed.

#include "src/load/runner.h"

#include <cstdio>
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "src/load/chart.h"
#include "tests/test_printers.h"

namespace ibsim::load {
namespace {

LoadProfile small(uint32_t accounts = 5, uint32_t regions = 3, uint32_t images = 2) {
  LoadProfile p;
  p.accounts = accounts;
  p.region_count = regions;
  p.images = images;
  p.seed = 5;
  return p;
}

LoadReport run(const LoadProfile& p, const LoadRunOptions& options = {}) {
  sim::Result<LoadRun> r = run_load(p, options);
  INFO((r.ok() ? std::string() : r.error().message));
  REQUIRE(r.ok());
  return r->report;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string temp_path(const std::string& name) {
  return std::string(IBSIM_BINARY_DIR) + "/" + name;
}

TEST_CASE("Load: a small workload lands every planned copy", "[load]") {
  const LoadReport r = run(small());
  CHECK(r.finished);
  CHECK(r.distributions_ok == 2);
  CHECK(r.copies_planned == 2 * (5 * 3 + 2));
  CHECK(r.copies_started == r.copies_planned);
  CHECK(r.copies_available == r.copies_planned);
  CHECK(r.copies_failed == 0);
  CHECK(r.copy_jobs_done == r.copies_planned);
  CHECK(r.jobs_not_ended == 0);
  CHECK(r.job_completion.count == r.copies_planned);
  CHECK(r.queue_wait.count == r.copies_planned);
  CHECK(r.copy_duration.count == r.copies_planned);
  CHECK(r.makespan > sim::Duration::minutes(5));
  CHECK(r.makespan >= r.job_completion.max);
  CHECK(r.copies_per_hour > 0.0);
  CHECK(r.retries == 0);
  CHECK(r.failures_by_cause.empty());
  REQUIRE(r.regions_detail.size() == 3);
  uint64_t per_region = 0;
  for (const RegionReport& reg : r.regions_detail) {
    per_region += reg.copies;
    CHECK(reg.peak_per_account <= r.copy_limit);
  }
  CHECK(per_region == r.copies_planned);
  CHECK(r.pairs_total == 6 * 3 - 1);  // Every (account, region) but the owner's build region.
  // Everything completed appears in the timeline.
  int64_t completed = 0;
  for (const int64_t c : r.timeline.completed) {
    completed += c;
  }
  CHECK(completed == static_cast<int64_t>(r.copies_planned));
}

TEST_CASE("Load: caps bound concurrency and make jobs queue", "[load]") {
  LoadProfile p = small(2, 2, 6);
  p.copy_limit = 2;
  p.engine.copies_per_account_region_max = 2;
  const LoadReport r = run(p);
  CHECK(r.finished);
  CHECK(r.copies_available == r.copies_planned);
  for (const PairReport& pair : r.pairs) {
    CHECK(pair.peak <= 2);
  }
  CHECK(r.pairs_at_cap > 0);
  CHECK(r.queued_peak > 0);
  CHECK(r.queue_wait.max > sim::Duration::zero());

  // An engine that allows more than EC2 meets ResourceLimitExceeded, and retries it.
  LoadProfile q = p;
  q.engine.copies_per_account_region_max = 6;
  const LoadReport over = run(q);
  CHECK(over.retries_by_cause.count("ResourceLimitExceeded") == 1);
  for (const PairReport& pair : over.pairs) {
    CHECK(pair.peak <= 2);
  }
}

TEST_CASE("Load: the cap per distribution configuration bounds each pipeline", "[load]") {
  LoadProfile p = small(6, 3, 4);
  p.engine.copies_per_distribution_max = 3;
  const LoadReport one = run(p);
  CHECK(one.finished);
  CHECK(one.copies_available == one.copies_planned);
  CHECK(one.in_flight_peak <= 3);
  CHECK(one.queued_peak > 0);
  p.pipelines = 2;
  const LoadReport two = run(p);
  CHECK(two.in_flight_peak <= 6);
  CHECK(two.in_flight_peak > 3);
  CHECK(two.makespan < one.makespan);
  p.engine.copies_per_distribution_max = 0;
  const LoadReport off = run(p);
  CHECK(off.in_flight_peak > 6);
}

TEST_CASE("Load: API latency from a delay rule stretches the jobs", "[load]") {
  LoadProfile p = small(3, 2, 1);
  const LoadReport quick = run(p);
  p.faults.rules.push_back({.name = "slow-copies",
                            .match = {.service = faults::Service::kEc2, .operation = "CopyImage"},
                            .kind = faults::FaultKind::kDelay,
                            .delay = sim::Duration::minutes(20)});
  const LoadReport slow = run(p);
  CHECK(slow.finished);
  CHECK(slow.copies_available == quick.copies_available);
  // The copy starts when the call runs; its answer (and so the job) arrives 20 minutes later,
  // by which time the copy has finished: the job takes the delay, not the delay plus the copy.
  CHECK(quick.job_completion.p50 < sim::Duration::minutes(20));
  CHECK(slow.job_completion.p50 >= sim::Duration::minutes(20));
}

TEST_CASE("Load: the same seed gives the same report and trace hash", "[load]") {
  LoadProfile p = small(4, 3, 3);
  p.faults.rules.push_back({.name = "t",
                            .match = {.service = faults::Service::kEc2},
                            .kind = faults::FaultKind::kThrottle,
                            .probability = {1, 10}});
  p.start_jitter = sim::Duration::minutes(10);
  const LoadReport a = run(p);
  const LoadReport b = run(p);
  CHECK(render_json(a) == render_json(b));
  CHECK(render_text(a) == render_text(b));
  CHECK(a.trace_hash == b.trace_hash);
  p.seed = 6;
  const LoadReport c = run(p);
  CHECK(c.trace_hash != a.trace_hash);
}

TEST_CASE("Load: faults appear as retries and failures by cause", "[load]") {
  LoadProfile p = small(6, 2, 1);
  p.faults.rules.push_back({.name = "throttle",
                            .match = {.service = faults::Service::kEc2, .operation = "CopyImage"},
                            .kind = faults::FaultKind::kThrottle,
                            .probability = {1, 3}});
  p.misconfigured.missing_role = {1, 3};
  const LoadReport r = run(p);
  CHECK(r.finished);
  CHECK(r.retries_by_cause.count("RequestLimitExceeded") == 1);
  CHECK(r.retries_by_step.count("CopyImage: RequestLimitExceeded") == 1);
  REQUIRE(r.fault_rules.size() == 1);
  CHECK(r.fault_rules[0].fired > 0);
  CHECK(r.accounts_missing_role > 0);
  CHECK(r.distributions_failed == 1);
  CHECK(r.failures_by_cause.count("AssumeRole: AccessDenied") == 1);
  CHECK(r.failures_by_cause.at("AssumeRole: AccessDenied") == 2 * r.accounts_missing_role);
  CHECK(r.jobs_failed_before_copy == 2 * r.accounts_missing_role);
}

TEST_CASE("Load: an outage and a world event show in the report", "[load]") {
  LoadProfile p = small(3, 3, 1);
  p.faults.outages.push_back({.region = api::Region::from_known("us-west-2"),
                              .window = {.start = sim::Instant::start() + sim::Duration::minutes(1),
                                         .end = sim::Instant::start() + sim::Duration::hours(3)}});
  p.faults.events.push_back({.at = sim::Instant::start(),
                             .kind = faults::WorldEventKind::kDeleteRole,
                             .account = target_account(2),
                             .role_name = "EC2ImageBuilderDistributionCrossAccountRole"});
  const LoadReport r = run(p);
  CHECK(r.finished);
  REQUIRE(r.outages.size() == 1);
  CHECK(r.outages[0].calls_refused > 0);
  // Three dark hours outlast the engine's retries: the jobs in us-west-2 fail as unavailable.
  CHECK(r.distributions_failed == 1);
  bool unavailable = false;
  for (const auto& [cause, n] : r.failures_by_cause) {
    unavailable = unavailable || cause.ends_with(": Unavailable");
  }
  CHECK(unavailable);
  CHECK(r.retries_by_cause.count("Unavailable") == 1);
  REQUIRE(r.world_events.size() == 1);
  CHECK(r.world_events[0].outcome == "ok");
  CHECK(r.failures_by_cause.count("AssumeRole: AccessDenied") == 1);
  // The owner's copy into us-west-2 failed, so its 3 targets were never started: every planned
  // copy is accounted for, those as not ended.
  CHECK(r.copy_jobs_done + r.copy_jobs_failed + r.jobs_failed_before_copy + r.jobs_not_ended
        == r.copies_planned);
  CHECK(r.jobs_not_ended == 3);
  const std::string text = render_text(r);
  CHECK(text.find("3 never ended") != std::string::npos);
  CHECK(text.find("outage") != std::string::npos);
  CHECK(text.find("delete_role") != std::string::npos);
}

TEST_CASE("Load: the run stops at its virtual time bound and says so", "[load]") {
  LoadProfile p = small(2, 2, 1);
  p.virtual_time_max = sim::Duration::minutes(2);
  const LoadReport r = run(p);
  CHECK_FALSE(r.finished);
  CHECK(r.stopped_because.find("virtual time limit") != std::string::npos);
  CHECK(r.jobs_not_ended > 0);  // Still running when it stopped.
  CHECK(render_text(r).find("NOT FINISHED") != std::string::npos);
}

TEST_CASE("Load: the chart is a self-contained SVG and HTML page", "[load]") {
  const LoadReport r = run(small(3, 3, 2));
  const std::string svg = render_chart_svg(r);
  CHECK(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  CHECK(svg.ends_with("</svg>\n"));
  CHECK(svg.find("<polyline") != std::string::npos);
  CHECK(svg.find("EC2 cap: 50 per (account, region)") != std::string::npos);
  CHECK(svg.find(r.name) != std::string::npos);
  for (const std::string& region : r.regions) {
    CHECK(svg.find(">" + region + "<") != std::string::npos);
  }
  // Tags balance (a cheap well-formedness check).
  auto count = [](const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = s.find(what); at != std::string::npos; at = s.find(what, at + 1)) {
      ++n;
    }
    return n;
  };
  CHECK(count(svg, "<text") == count(svg, "</text>"));
  CHECK(count(svg, "<svg") == count(svg, "</svg>"));
  const std::string html = render_chart_html(r);
  CHECK(html.starts_with("<!DOCTYPE html>"));
  CHECK(html.find("</html>") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  CHECK(count(html, "http://") == 1);  // The SVG namespace only.
}

TEST_CASE("Load: the Chrome trace has a track per account and region", "[load]") {
  const std::string path = temp_path("load_runner_test_trace.json");
  sim::Result<LoadRun> run_result = run_load(small(3, 2, 1), {.trace_path = path});
  REQUIRE(run_result.ok());
  CHECK(run_result->trace_written);
  CHECK_FALSE(run_result->trace_truncated);
  const nlohmann::json doc = nlohmann::json::parse(read_file(path), nullptr, false);
  REQUIRE_FALSE(doc.is_discarded());
  REQUIRE(doc.contains("traceEvents"));
  std::size_t copies = 0;
  std::size_t threads = 0;
  std::size_t counters = 0;
  for (const nlohmann::json& e : doc["traceEvents"]) {
    const std::string ph = e["ph"];
    if (ph == "X" && e["cat"] == "copy") {
      ++copies;
      CHECK(e["dur"].get<double>() > 0);
    }
    threads += ph == "M" && e["name"] == "thread_name" ? 1U : 0U;
    counters += ph == "C" ? 1U : 0U;
  }
  CHECK(copies == run_result->report.copies_available);
  CHECK(threads >= 3 * 2);
  CHECK(counters > 0);
  std::remove(path.c_str());

  // Bounded: a tiny budget truncates instead of growing.
  sim::Result<LoadRun> bounded =
      run_load(small(3, 2, 1), {.trace_path = path, .trace_events_max = 10});
  REQUIRE(bounded.ok());
  CHECK(bounded->trace_truncated);
  CHECK(bounded->trace_events == 10);
  CHECK_FALSE(nlohmann::json::parse(read_file(path), nullptr, false).is_discarded());
  std::remove(path.c_str());
}

}  // namespace
}  // namespace ibsim::load
