#include "sim/time.h"

#include <catch2/catch.hpp>

#include "tests/test_printers.h"

namespace ibsim::sim {
namespace {

TEST_CASE("Time: durations are exact integer nanoseconds", "[sim]") {
  CHECK(Duration::minutes(2).ns() == 120'000'000'000);
  CHECK((Duration::hours(1) - Duration::minutes(30)) == Duration::minutes(30));
  CHECK((Instant::start() + Duration::seconds(5)) - Instant::start() == Duration::seconds(5));
  CHECK(Duration::milliseconds(1500).whole_seconds() == 1);
}

TEST_CASE("Time: durations format compactly for reports", "[sim]") {
  CHECK(format_duration(Duration::seconds(45)) == "45.000s");
  CHECK(format_duration(Duration::minutes(3) + Duration::milliseconds(250)) == "3m00.250s");
  CHECK(format_duration(Duration::hours(1) + Duration::minutes(2) + Duration::seconds(3))
        == "1h02m03.000s");
  CHECK(format_duration(Duration::microseconds(1)) == "0.000001s");
  CHECK(format_duration(Duration::zero() - Duration::seconds(1)) == "-1.000s");
}

TEST_CASE("Time: civil time renders as ISO-8601 and X-Amz-Date", "[sim]") {
  CHECK(format_iso8601_ms(0) == "1970-01-01T00:00:00.000Z");
  CHECK(format_iso8601_ms(1'767'225'600'000) == "2026-01-01T00:00:00.000Z");
  CHECK(format_iso8601_ms(951'782'400'123) == "2000-02-29T00:00:00.123Z");
  CHECK(format_amz_date(1'767'225'600'000 + 3'723'000) == "20260101T010203Z");
}

TEST_CASE("Time: ISO-8601 parsing round-trips and rejects malformed text", "[sim]") {
  int64_t ms = 0;
  REQUIRE(parse_iso8601("2026-01-01T00:00:00Z", &ms));
  CHECK(ms == 1'767'225'600'000);
  REQUIRE(parse_iso8601("2000-02-29T00:00:00.123Z", &ms));
  CHECK(format_iso8601_ms(ms) == "2000-02-29T00:00:00.123Z");
  REQUIRE(parse_iso8601("2000-02-29T00:00:00.5Z", &ms));
  CHECK(ms % 1000 == 500);
  for (const char* bad : {"",
                          "2026-01-01",
                          "2026-13-01T00:00:00Z",
                          "2026-01-01T00:00:00",
                          "2026-01-01T00:00:00.Z",
                          "2026-01-01T00:00:00Zjunk",
                          "yesterday",
                          "2026-01-01T25:00:00Z"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_iso8601(bad, &ms));
  }
}

TEST_CASE("Time: durations parse from unit pairs up to a bound", "[sim]") {
  const Duration max = Duration::days(10);
  CHECK(parse_duration("90s", max) == Duration::seconds(90));
  CHECK(parse_duration("1h30m", max) == Duration::minutes(90));
  CHECK(parse_duration("2d250ms", max) == Duration::days(2) + Duration::milliseconds(250));
  CHECK(parse_duration("10d", max) == max);
  for (const char* bad :
       {"", "5", "s", "1x", "1h-5m", "-1s", "11d", "9d24h1ms", "99999999999999999999s"}) {
    INFO(bad);
    CHECK_FALSE(parse_duration(bad, max).has_value());
  }
}

}  // namespace
}  // namespace ibsim::sim
