#include "sim/scheduler.h"

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/rng.h"
#include "tests/test_printers.h"

namespace ibsim::sim {
namespace {

Instant at_ms(int64_t ms) {
  return Instant::start() + Duration::milliseconds(ms);
}

TEST_CASE("Scheduler: events run in time order", "[sim]") {
  Scheduler s;
  std::vector<int> order;
  s.schedule_at(at_ms(30), [&] { order.push_back(30); });
  s.schedule_at(at_ms(10), [&] { order.push_back(10); });
  s.schedule_at(at_ms(20), [&] { order.push_back(20); });
  CHECK(s.run() == RunStatus::kIdle);
  CHECK(order == std::vector<int>{10, 20, 30});
  CHECK(s.now() == at_ms(30));
  CHECK(s.events_run() == 3);
}

TEST_CASE("Scheduler: equal-time events run FIFO", "[sim]") {
  Scheduler s;
  std::vector<int> order;
  for (int i = 0; i < 100; ++i) {
    // Interleave two instants so that FIFO must hold within each, whatever the heap does.
    s.schedule_at(at_ms(i % 2 == 0 ? 5 : 7), [&order, i] { order.push_back(i); });
  }
  s.run();
  std::vector<int> expected;
  for (int i = 0; i < 100; i += 2) {
    expected.push_back(i);
  }
  for (int i = 1; i < 100; i += 2) {
    expected.push_back(i);
  }
  CHECK(order == expected);
}

TEST_CASE("Scheduler: events scheduled for now from a running event run after queued ties",
          "[sim]") {
  Scheduler s;
  std::vector<std::string> order;
  s.schedule_at(at_ms(1), [&] {
    order.push_back("a");
    s.schedule_at(s.now(), [&] { order.push_back("c"); });
  });
  s.schedule_at(at_ms(1), [&] { order.push_back("b"); });
  s.run();
  CHECK(order == std::vector<std::string>{"a", "b", "c"});
}

TEST_CASE("Scheduler: cancel leaves a tombstone that never runs", "[sim]") {
  Scheduler s;
  int ran = 0;
  const EventId a = s.schedule_at(at_ms(1), [&] { ran += 1; });
  const EventId b = s.schedule_at(at_ms(2), [&] { ran += 10; });
  CHECK(s.pending_count() == 2);
  CHECK(s.cancel(a));
  CHECK_FALSE(s.cancel(a));  // Already cancelled.
  CHECK(s.pending_count() == 1);
  s.run();
  CHECK(ran == 10);
  CHECK_FALSE(s.cancel(b));  // Already ran.
  CHECK_FALSE(s.cancel(EventId{}));
  CHECK_FALSE(s.cancel(EventId{1, 12345}));  // Never issued.
}

TEST_CASE("Scheduler: an id from an event that ran cannot cancel a later one", "[sim]") {
  Scheduler s;
  int ran = 0;
  const EventId first = s.schedule_at(at_ms(1), [&] { ran += 1; });
  s.run();
  const EventId second = s.schedule_at(at_ms(2), [&] { ran += 10; });
  CHECK_FALSE(s.cancel(first));
  CHECK(second.valid());
  s.run();
  CHECK(ran == 11);
}

TEST_CASE("Scheduler: an event can cancel a later event due at the same instant", "[sim]") {
  Scheduler s;
  std::vector<int> order;
  EventId later;
  s.schedule_at(at_ms(5), [&] {
    order.push_back(1);
    CHECK(s.cancel(later));
  });
  later = s.schedule_at(at_ms(5), [&] { order.push_back(2); });
  s.schedule_at(at_ms(5), [&] { order.push_back(3); });
  s.run();
  CHECK(order == std::vector<int>{1, 3});
  CHECK(s.pending_count() == 0);
}

TEST_CASE("Scheduler: run_until stops at the horizon and sets now", "[sim]") {
  Scheduler s;
  int ran = 0;
  s.schedule_at(at_ms(10), [&] { ++ran; });
  s.schedule_at(at_ms(20), [&] { ++ran; });
  CHECK(s.run_until(at_ms(15)) == RunStatus::kReachedTime);
  CHECK(ran == 1);
  CHECK(s.now() == at_ms(15));
  CHECK(s.run_for(Duration::milliseconds(5)) == RunStatus::kIdle);  // Inclusive at 20.
  CHECK(ran == 2);
  CHECK(s.run_until(at_ms(100)) == RunStatus::kIdle);
  CHECK(s.now() == at_ms(100));
}

TEST_CASE("Scheduler: runs are bounded by the event limit", "[sim]") {
  Scheduler s(Scheduler::Options{.max_events_per_run = 10});
  // An event that reschedules itself forever.
  std::function<void()> again = [&] {
    s.schedule_after(Duration::seconds(1), again);
  };
  s.schedule_at(at_ms(0), again);
  CHECK(s.run() == RunStatus::kEventLimit);
  CHECK(s.events_run() == 10);
  CHECK(s.run_until(at_ms(1'000'000)) == RunStatus::kEventLimit);
  CHECK(s.events_run() == 20);
}

TEST_CASE("Scheduler: events earlier than a peeked front still run first", "[sim]") {
  Scheduler s;
  std::vector<int> order;
  s.schedule_at(at_ms(1000), [&] { order.push_back(1000); });
  REQUIRE(s.next_event_time() == at_ms(1000));
  CHECK(s.run_until(at_ms(100)) == RunStatus::kReachedTime);
  // Now at 100 with the radix reference at 1000: schedule between them, and at the same time.
  s.schedule_at(at_ms(500), [&] { order.push_back(500); });
  s.schedule_at(at_ms(200), [&] { order.push_back(200); });
  s.schedule_at(at_ms(1000), [&] { order.push_back(1001); });
  s.schedule_at(at_ms(200), [&] { order.push_back(201); });
  CHECK(s.next_event_time() == at_ms(200));
  s.run();
  CHECK(order == std::vector<int>{200, 201, 500, 1000, 1001});
}

// Reference model: a multimap keyed by (time, sequence) is trivially right.
TEST_CASE("Scheduler: matches a reference queue under random schedule and cancel and run",
          "[sim]") {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    CAPTURE(seed);
    Rng rng(seed);
    Scheduler s;
    std::map<std::pair<int64_t, uint64_t>, int> model;
    std::vector<std::pair<EventId, std::pair<int64_t, uint64_t>>> handles;
    std::vector<int> ran_real;
    std::vector<int> ran_model;
    uint64_t seq = 0;
    int next_label = 0;
    for (int op = 0; op < 3000; ++op) {
      const uint64_t kind = rng.uniform_u64(0, 9);
      if (kind < 6) {
        // Mostly near-future, sometimes far, sometimes the same instant.
        const int64_t delay = rng.chance({1, 5})
                                  ? 0
                                  : rng.uniform_i64(0, rng.chance({1, 10}) ? 1'000'000'000 : 5'000);
        const Instant t = s.now() + Duration::nanoseconds(delay);
        const int label = next_label++;
        const EventId id = s.schedule_at(t, [&ran_real, label] { ran_real.push_back(label); });
        model.emplace(std::make_pair(t.ns(), seq), label);
        handles.push_back({id, {t.ns(), seq}});
        ++seq;
      } else if (kind < 7 && !handles.empty()) {
        const auto i = static_cast<std::size_t>(rng.uniform_u64(0, handles.size() - 1));
        const bool real = s.cancel(handles[i].first);
        const bool in_model = model.erase(handles[i].second) == 1;
        REQUIRE(real == in_model);
      } else if (kind < 8) {
        const Instant horizon = s.now() + Duration::nanoseconds(rng.uniform_i64(0, 20'000));
        (void)s.next_event_time();  // Peeks move the radix reference; must not matter.
        s.run_until(horizon);
        while (!model.empty() && model.begin()->first.first <= horizon.ns()) {
          ran_model.push_back(model.begin()->second);
          model.erase(model.begin());
        }
      } else {
        const bool stepped = s.step();
        REQUIRE(stepped == !model.empty());
        if (stepped) {
          ran_model.push_back(model.begin()->second);
          model.erase(model.begin());
        }
      }
      REQUIRE(s.pending_count() == model.size());
    }
    s.run();
    for (const auto& [key, label] : model) {
      ran_model.push_back(label);
    }
    CHECK(ran_real == ran_model);
  }
}

}  // namespace
}  // namespace ibsim::sim
