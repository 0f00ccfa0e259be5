// Boost 1.74's Asio misses <utility> under g++ 12 in C++20; include it first.
#include "sim/realtime/realtime_driver.h"

#include <chrono>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include "tests/test_printers.h"

namespace ibsim::sim {
namespace {

using WallTime = std::chrono::steady_clock::time_point;

TEST_CASE("RealtimeDriver: virtual time follows a (fake) wall clock times the scale", "[sim]") {
  boost::asio::io_context io;
  Scheduler s;
  WallTime wall{};
  RealtimeDriver driver(io, s, {.time_scale = 600.0}, [&] { return wall; });
  int fired = 0;
  s.schedule_at(Instant::start() + Duration::minutes(10), [&] { ++fired; });
  driver.start();
  wall += std::chrono::milliseconds(999);
  CHECK(driver.advance() == 0);  // 599.4 virtual seconds: not yet.
  CHECK(fired == 0);
  wall += std::chrono::milliseconds(1);
  CHECK(driver.advance() == 1);  // 600 virtual seconds = 10 minutes.
  CHECK(fired == 1);
  CHECK(s.now() == Instant::start() + Duration::minutes(10));
  driver.stop();
}

TEST_CASE("RealtimeDriver: the Asio timer fires due events on a real clock", "[sim]") {
  boost::asio::io_context io;
  Scheduler s;
  // 1000x: an event one virtual second ahead is due one wall millisecond after start.
  RealtimeDriver driver(io, s, {.time_scale = 1000.0});
  bool fired = false;
  driver.start();
  s.schedule_at(s.now() + Duration::seconds(1), [&] {
    fired = true;
    driver.stop();
    io.stop();
  });
  driver.poke();
  // Bounded: give up after 10 wall seconds (normally ~1 ms).
  io.run_for(std::chrono::seconds(10));
  CHECK(fired);
  CHECK(s.now() >= Instant::start() + Duration::seconds(1));
}

}  // namespace
}  // namespace ibsim::sim
