#pragma once
// run_load: one load run — a fresh sim::Context from the profile's seed, the generated world
// (workload.h), the fault plan installed between the engine and the direct transport
// (src/faults), the distribution engine, and each image's DistributionPlan handed to the engine
// at its start time, exactly as Image Builder's model would at DISTRIBUTING. (The model itself is
// bypassed on purpose: its API quotas — 75 pipelines, 100 concurrent builds, the size of a
// distribution configuration — would cap the extreme workloads, and the build phase is a constant
// offset that says nothing about distribution.) Virtual time runs in slices, so a progress
// callback can report and the run stops at its bounds; the LoadObserver turns the trace into the
// report. Deterministic: the same profile and seed give the same report, trace hash and --trace
// file.
//
//   sim::Result<LoadRun> run = run_load(profile, {.trace_path = "load.json"});
//   std::cout << render_text(run->report);

#include <cstdint>
#include <functional>
#include <string>

#include "sim/base/result.h"
#include "sim/time.h"
#include "src/load/profile.h"
#include "src/load/report.h"

namespace ibsim::load {

struct LoadProgress {
  sim::Duration virtual_now;
  uint64_t copies_available = 0;
  uint64_t copies_planned = 0;
  uint32_t distributions_done = 0;
  uint32_t distributions = 0;
  uint64_t events = 0;
};

struct LoadRunOptions {
  std::string trace_path;  // Chrome trace-event JSON; empty: none.
  uint64_t trace_events_max = 2'000'000;
  // Called after every slice of virtual time (the CLI's progress line); may be empty.
  std::function<void(const LoadProgress&)> on_progress;
  // Virtual time run between progress calls.
  sim::Duration slice = sim::Duration::minutes(1);
};

struct LoadRun {
  LoadReport report;
  bool trace_written = false;
  bool trace_truncated = false;
  uint64_t trace_events = 0;
};

// InvalidInput for a profile that does not validate or a trace file that cannot be written.
sim::Result<LoadRun> run_load(const LoadProfile& profile, const LoadRunOptions& options);

}  // namespace ibsim::load
