// ibsim load at scale: whole load runs (building the world included, as `ibsim load` runs) — the
// 16,000-copy workload of the issue (1,000 accounts x 16 regions, one encrypted image) and a
// ladder of sizes for the linearity curve, each copy a real cross-account copy through the
// engine, the direct transport, STS, IAM, KMS (AES-GCM re-encryption) and EC2 in virtual time.
// Counters: copies, microseconds of wall time per copy, events, peak RSS. docs/performance.md has
// the figures; bench/load-scale.sh measures the same with /usr/bin/time -v up to 10^6 copies.
// As there, Image Builder's cap per distribution configuration is lifted (with it one image's
// copies outlast the distribution timeout) and an image goes to at most 1,000 accounts (EC2's
// limit of accounts an AMI is shared with); a run where any copy did not complete is an error.
//
//   build/release/bench/load_run_bench --benchmark_counters_tabular=true

#include <cstdint>

#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include "src/load/runner.h"

namespace ibsim::load {
namespace {

int64_t peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<int64_t>(usage.ru_maxrss) * 1024;
}

void run_profile(benchmark::State& state, const LoadProfile& profile) {
  for (auto _ : state) {
    sim::Result<LoadRun> run = run_load(profile, {});
    if (!run.ok() || !run->report.finished || run->report.copies_failed != 0
        || run->report.distributions_failed != 0) {
      state.SkipWithError("the load run failed");
      return;
    }
    const LoadReport& r = run->report;
    const auto copies = static_cast<double>(r.copies_available);
    state.counters["copies"] = copies;
    state.counters["us_per_copy"] = benchmark::Counter(
        copies * 1e-6, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["events"] = static_cast<double>(r.events);
    state.counters["virtual_min"] = static_cast<double>(r.makespan.whole_seconds()) / 60.0;
    state.counters["peak_rss_MiB"] = static_cast<double>(peak_rss_bytes()) / (1 << 20);
  }
}

void BM_Load_16000Copies(benchmark::State& state) {
  LoadProfile p;
  p.accounts = 1'000;
  p.region_count = 16;
  p.images = 1;
  p.seed = 2026;
  p.engine.copies_per_distribution_max = 0;
  run_profile(state, p);
}

// 25 regions; accounts x images grow the copies tenfold per step.
void BM_Load_Ladder(benchmark::State& state) {
  LoadProfile p;
  p.region_count = 25;
  p.seed = 2026;
  p.engine.copies_per_distribution_max = 0;
  switch (state.range(0)) {
    case 1'000:
      p.accounts = 40;
      break;
    case 10'000:
      p.accounts = 400;
      break;
    default:
      p.accounts = 1'000;
      p.images = 4;
      break;
  }
  run_profile(state, p);
}

BENCHMARK(BM_Load_16000Copies)->Unit(benchmark::kMillisecond)->Iterations(1)->UseRealTime();
BENCHMARK(BM_Load_Ladder)
    ->Arg(1'000)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1)
    ->UseRealTime();

}  // namespace
}  // namespace ibsim::load

BENCHMARK_MAIN();
