#include "sim/context.h"

#include <string>

#include <catch2/catch.hpp>

#include "sim/limits/concurrency_cap.h"
#include "tests/test_printers.h"

namespace ibsim::sim {
namespace {

// A miniature distribution: jobs arrive at random, wait for a cap of 3, hold for a random time.
// Everything random comes from forks of the context's Rng, so the trace is a function of the seed.
uint64_t run_workload(uint64_t seed, bool extra_component = false) {
  Context ctx({.seed = seed});
  Rng arrivals = ctx.rng().fork("workload.arrivals");
  Rng holds = ctx.rng().fork("workload.holds");
  if (extra_component) {
    // A new component drawing from its own stream must not shift the others.
    Rng noise = ctx.rng().fork("workload.noise");
    for (int i = 0; i < 100; ++i) {
      (void)noise.next_u64();
    }
  }
  ConcurrencyCap cap(ctx.scheduler(), {.limit = 3});
  for (int job = 0; job < 200; ++job) {
    const Instant arrive = Instant::start() + arrivals.exponential(Duration::seconds(30)) * 1;
    const Duration hold = holds.log_normal(Duration::minutes(2), 0.4);
    ctx.scheduler().schedule_at(arrive, [&ctx, &cap, job, hold] {
      ctx.emit("job.arrive", {{"job", job}});
      (void)cap.acquire([&ctx, &cap, job, hold] {
        ctx.emit("job.start", {{"job", job}, {"in_use", cap.in_use()}});
        ctx.scheduler().schedule_after(hold, [&ctx, &cap, job] {
          ctx.emit("job.done", {{"job", job}});
          cap.release();
        });
      });
    });
  }
  ctx.scheduler().run();
  REQUIRE(ctx.trace().event_count() == 600);
  return ctx.trace().hash();
}

TEST_CASE("Context: the same seed twice gives the same trace hash", "[sim]") {
  CHECK(run_workload(42) == run_workload(42));
  CHECK(run_workload(7) == run_workload(7));
}

TEST_CASE("Context: a different seed gives a different trace hash", "[sim]") {
  CHECK(run_workload(42) != run_workload(43));
}

TEST_CASE("Context: adding a component with its own stream keeps the trace", "[sim]") {
  CHECK(run_workload(42) == run_workload(42, /*extra_component=*/true));
}

TEST_CASE("Context: civil time is the epoch plus virtual time", "[sim]") {
  Context ctx;
  CHECK(ctx.iso8601_now() == "2026-01-01T00:00:00.000Z");
  ctx.scheduler().run_until(Instant::start() + Duration::minutes(90));
  CHECK(ctx.iso8601_now() == "2026-01-01T01:30:00.000Z");
}

}  // namespace
}  // namespace ibsim::sim
