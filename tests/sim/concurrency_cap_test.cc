#include "sim/limits/concurrency_cap.h"

#include <vector>

#include <catch2/catch.hpp>

#include "sim/rng.h"

namespace ibsim::sim {
namespace {

TEST_CASE("ConcurrencyCap: never exceeds its limit and drains every job", "[sim]") {
  Scheduler s;
  Rng rng(1);
  ConcurrencyCap cap(s, {.limit = 50});
  uint32_t running = 0, max_running = 0, done = 0;
  for (int i = 0; i < 1000; ++i) {
    const Duration hold = Duration::seconds(static_cast<int64_t>(rng.uniform_u64(60, 600)));
    const Instant arrival =
        Instant::start() + Duration::seconds(static_cast<int64_t>(rng.uniform_u64(0, 300)));
    s.schedule_at(arrival, [&, hold] {
      const auto acquired = cap.acquire([&, hold] {
        ++running;
        max_running = std::max(max_running, running);
        REQUIRE(cap.in_use() <= cap.limit());
        s.schedule_after(hold, [&] {
          --running;
          ++done;
          cap.release();
        });
      });
      REQUIRE(acquired != ConcurrencyCap::Acquire::kRejected);
    });
  }
  s.run();
  CHECK(done == 1000);
  CHECK(max_running == 50);
  CHECK(cap.peak() == 50);
  CHECK(cap.in_use() == 0);
  CHECK(cap.waiting() == 0);
  CHECK(cap.granted_total() == 1000);
}

TEST_CASE("ConcurrencyCap: waiters are served in arrival order", "[sim]") {
  Scheduler s;
  ConcurrencyCap cap(s, {.limit = 2});
  std::vector<int> started;
  for (int i = 0; i < 6; ++i) {
    (void)cap.acquire([&, i] {
      started.push_back(i);
      s.schedule_after(Duration::seconds(10 - i), [&] { cap.release(); });
    });
  }
  s.run();
  CHECK(started == std::vector<int>{0, 1, 2, 3, 4, 5});
}

TEST_CASE("ConcurrencyCap: a newcomer does not overtake queued waiters", "[sim]") {
  Scheduler s;
  ConcurrencyCap cap(s, {.limit = 1});
  REQUIRE(cap.try_acquire());
  bool waiter_ran = false;
  CHECK(cap.acquire([&] { waiter_ran = true; }) == ConcurrencyCap::Acquire::kQueued);
  cap.release();  // Handed to the waiter, not freed.
  CHECK(cap.in_use() == 1);
  CHECK_FALSE(cap.try_acquire());
  s.run();
  CHECK(waiter_ran);
}

TEST_CASE("ConcurrencyCap: a full queue rejects and withdrawn waiters never run", "[sim]") {
  Scheduler s;
  ConcurrencyCap cap(s, {.limit = 1, .max_waiters = 2});
  REQUIRE(cap.try_acquire());
  int ran = 0;
  ConcurrencyCap::Ticket first, second;
  CHECK(cap.acquire([&] { ran += 1; }, &first) == ConcurrencyCap::Acquire::kQueued);
  CHECK(cap.acquire([&] { ran += 10; }, &second) == ConcurrencyCap::Acquire::kQueued);
  CHECK(cap.acquire([&] { ran += 100; }) == ConcurrencyCap::Acquire::kRejected);
  CHECK(cap.withdraw(first));
  CHECK_FALSE(cap.withdraw(first));
  CHECK(cap.waiting() == 1);
  cap.release();
  s.run();
  CHECK(ran == 10);
  CHECK_FALSE(cap.withdraw(second));  // Already granted.
  cap.release();
  CHECK(cap.in_use() == 0);
}

}  // namespace
}  // namespace ibsim::sim
