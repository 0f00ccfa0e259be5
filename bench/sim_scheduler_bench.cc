// Kernel benchmarks. The headline is BM_Scheduler_Hold: the classic "hold" model with N events
// pending, where each event that runs schedules one more at a random future time, so the queue
// stays at N. Items/s is events executed per second on one core.

#include <cstdint>
#include <vector>

#include <benchmark/benchmark.h>

#include "sim/context.h"
#include "sim/limits/concurrency_cap.h"
#include "sim/rng.h"
#include "sim/scheduler.h"

namespace ibsim::sim {
namespace {

struct HoldModel {
  Scheduler scheduler;
  std::vector<int64_t> delays_ns;  // Drawn up front so the loop measures the queue, not the Rng.
  std::size_t next_delay = 0;
  uint64_t ran = 0;

  HoldModel() {
    // Mixed horizons: most events near (seconds), some far (an hour), as in a copy simulation.
    Rng rng(42);
    delays_ns.resize(1 << 20);
    for (int64_t& d : delays_ns) {
      d = rng.chance({1, 8}) ? static_cast<int64_t>(rng.uniform_u64(0, 3'600'000'000'000))
                             : static_cast<int64_t>(rng.uniform_u64(0, 10'000'000'000));
    }
  }

  void schedule_one() {
    const int64_t delay = delays_ns[next_delay++ & (delays_ns.size() - 1)];
    scheduler.schedule_after(Duration::nanoseconds(delay), [this] {
      ++ran;
      schedule_one();
    });
  }
};

void BM_Scheduler_Hold(benchmark::State& state) {
  HoldModel model;
  const auto pending = static_cast<uint64_t>(state.range(0));
  for (uint64_t i = 0; i < pending; ++i) {
    model.schedule_one();
  }
  // Warm up to the steady state (bucket capacities grown) before timing: two full turnovers.
  for (uint64_t i = 0; i < 2 * pending; ++i) {
    model.scheduler.step();
  }
  constexpr uint64_t kBatch = 1'000'000;
  for (auto _ : state) {
    for (uint64_t i = 0; i < kBatch; ++i) {
      model.scheduler.step();
    }
  }
  benchmark::DoNotOptimize(model.ran);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kBatch));
  state.counters["pending"] = static_cast<double>(model.scheduler.pending_count());
}

BENCHMARK(BM_Scheduler_Hold)->Arg(1'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

// Schedule N then run them all: the cost of one push plus one pop with the queue filling and
// draining (the load generator's pattern).
void BM_Scheduler_FillDrain(benchmark::State& state) {
  const auto n = static_cast<uint64_t>(state.range(0));
  Rng rng(7);
  uint64_t ran = 0;
  for (auto _ : state) {
    Scheduler s;
    for (uint64_t i = 0; i < n; ++i) {
      s.schedule_at(Instant::from_ns(static_cast<int64_t>(rng.uniform_u64(0, 1'000'000'000'000))),
                    [&ran] { ++ran; });
    }
    s.run();
  }
  benchmark::DoNotOptimize(ran);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
}

BENCHMARK(BM_Scheduler_FillDrain)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_Scheduler_CancelHalf(benchmark::State& state) {
  const uint64_t n = 1'000'000;
  Rng rng(9);
  for (auto _ : state) {
    Scheduler s;
    std::vector<EventId> ids;
    ids.reserve(n);
    for (uint64_t i = 0; i < n; ++i) {
      ids.push_back(s.schedule_at(
          Instant::from_ns(static_cast<int64_t>(rng.uniform_u64(0, 1'000'000'000))), [] {}));
    }
    for (uint64_t i = 0; i < n; i += 2) {
      s.cancel(ids[i]);
    }
    s.run();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
}

BENCHMARK(BM_Scheduler_CancelHalf)->Unit(benchmark::kMillisecond);

void BM_Rng_NextU64(benchmark::State& state) {
  Rng rng(1);
  uint64_t acc = 0;
  for (auto _ : state) {
    acc += rng.next_u64();
  }
  benchmark::DoNotOptimize(acc);
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_Rng_NextU64);

void BM_Rng_LogNormal(benchmark::State& state) {
  Rng rng(1);
  int64_t acc = 0;
  for (auto _ : state) {
    acc += rng.log_normal(Duration::minutes(10), 0.3).ns();
  }
  benchmark::DoNotOptimize(acc);
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_Rng_LogNormal);

void BM_Trace_Emit(benchmark::State& state) {
  Trace trace;
  int64_t i = 0;
  for (auto _ : state) {
    trace.emit(Instant::from_ns(i),
               "copy.done",
               {{"account", "111122223333"}, {"region", "us-west-2"}, {"bytes", i}});
    ++i;
  }
  benchmark::DoNotOptimize(trace.hash());
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_Trace_Emit);

void BM_ConcurrencyCap_AcquireRelease(benchmark::State& state) {
  Scheduler s;
  ConcurrencyCap cap(s, {.limit = 50});
  for (auto _ : state) {
    for (int i = 0; i < 100; ++i) {
      (void)cap.acquire([&] { s.schedule_after(Duration::seconds(1), [&] { cap.release(); }); });
    }
    s.run();
  }
  state.SetItemsProcessed(state.iterations() * 100);
}

BENCHMARK(BM_ConcurrencyCap_AcquireRelease);

}  // namespace
}  // namespace ibsim::sim

BENCHMARK_MAIN();
