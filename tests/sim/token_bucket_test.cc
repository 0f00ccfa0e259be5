#include "sim/limits/token_bucket.h"

#include <catch2/catch.hpp>

#include "tests/test_printers.h"

namespace ibsim::sim {
namespace {

Instant at_ms(int64_t ms) {
  return Instant::start() + Duration::milliseconds(ms);
}

TEST_CASE("TokenBucket: admits burst then exactly the rate", "[sim]") {
  TokenBucket b({.rate_per_sec = 5, .burst = 2}, Instant::start());
  // Try every millisecond for 10 s: 2 from the burst plus 5 per second.
  int taken = 0;
  for (int64_t ms = 0; ms <= 10'000; ++ms) {
    taken += b.try_take(at_ms(ms)) ? 1 : 0;
  }
  CHECK(taken == 2 + 50);
}

TEST_CASE("TokenBucket: wait_time says when tokens will be there", "[sim]") {
  TokenBucket b({.rate_per_sec = 4, .burst = 4}, Instant::start());
  REQUIRE(b.try_take(at_ms(0), 4));
  CHECK_FALSE(b.try_take(at_ms(0)));
  CHECK(b.wait_time(at_ms(0)) == Duration::milliseconds(250));
  CHECK(b.wait_time(at_ms(0), 4) == Duration::seconds(1));
  CHECK(b.wait_time(at_ms(100)) == Duration::milliseconds(150));
  CHECK(b.try_take(at_ms(250)));
  CHECK(b.available(at_ms(250)) == 0);
}

TEST_CASE("TokenBucket: never holds more than the burst even after a long idle", "[sim]") {
  TokenBucket b({.rate_per_sec = 1'000'000, .burst = 3}, Instant::start());
  CHECK(b.available(Instant::start() + Duration::days(365 * 100)) == 3);
  TokenBucket slow({.rate_per_sec = 1, .burst = 1}, Instant::start());
  REQUIRE(slow.try_take(Instant::start()));
  CHECK_FALSE(slow.try_take(at_ms(999)));
  CHECK(slow.try_take(at_ms(1000)));
}

}  // namespace
}  // namespace ibsim::sim
