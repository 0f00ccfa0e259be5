#pragma once
// Virtual time: Instant (a point since the start of a run) and Duration, both int64 nanoseconds.
// No floating point, so arithmetic is exact and identical everywhere. The current Instant is only
// ever read through sim::Context (which asks the Scheduler); nothing here reads a real clock.
//
//   Instant due = ctx.now() + Duration::minutes(12);

#include <compare>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace ibsim::sim {

class Duration {
 public:
  constexpr Duration() = default;

  static constexpr Duration nanoseconds(int64_t n) { return Duration(n); }

  static constexpr Duration microseconds(int64_t n) { return Duration(n * 1'000); }

  static constexpr Duration milliseconds(int64_t n) { return Duration(n * 1'000'000); }

  static constexpr Duration seconds(int64_t n) { return Duration(n * 1'000'000'000); }

  static constexpr Duration minutes(int64_t n) { return seconds(n * 60); }

  static constexpr Duration hours(int64_t n) { return seconds(n * 3'600); }

  static constexpr Duration days(int64_t n) { return seconds(n * 86'400); }

  static constexpr Duration zero() { return Duration(0); }

  static constexpr Duration max() { return Duration(std::numeric_limits<int64_t>::max()); }

  constexpr int64_t ns() const { return ns_; }

  constexpr int64_t ms() const { return ns_ / 1'000'000; }

  constexpr int64_t whole_seconds() const { return ns_ / 1'000'000'000; }

  constexpr Duration operator+(Duration o) const { return Duration(ns_ + o.ns_); }

  constexpr Duration operator-(Duration o) const { return Duration(ns_ - o.ns_); }

  constexpr Duration operator*(int64_t k) const { return Duration(ns_ * k); }

  constexpr Duration operator/(int64_t k) const { return Duration(ns_ / k); }

  constexpr Duration& operator+=(Duration o) {
    ns_ += o.ns_;
    return *this;
  }

  constexpr Duration& operator-=(Duration o) {
    ns_ -= o.ns_;
    return *this;
  }

  constexpr auto operator<=>(const Duration&) const = default;

 private:
  constexpr explicit Duration(int64_t ns) : ns_(ns) {}

  int64_t ns_ = 0;
};

class Instant {
 public:
  constexpr Instant() = default;

  static constexpr Instant start() { return Instant(0); }

  static constexpr Instant from_ns(int64_t ns) { return Instant(ns); }

  static constexpr Instant max() { return Instant(std::numeric_limits<int64_t>::max()); }

  constexpr int64_t ns() const { return ns_; }

  constexpr Duration since_start() const { return Duration::nanoseconds(ns_); }

  constexpr Instant operator+(Duration d) const { return Instant(ns_ + d.ns()); }

  constexpr Instant operator-(Duration d) const { return Instant(ns_ - d.ns()); }

  constexpr Duration operator-(Instant o) const { return Duration::nanoseconds(ns_ - o.ns_); }

  constexpr auto operator<=>(const Instant&) const = default;

 private:
  constexpr explicit Instant(int64_t ns) : ns_(ns) {}

  int64_t ns_ = 0;
};

// "1h02m03.250s", "45.000s", "0.000001s": compact and exact to the microsecond, for reports.
std::string format_duration(Duration d);

// Parses a duration written as number-unit pairs ("90s", "1h30m", "2d", "250ms"; units d h m s
// ms), at most `max`. Nullopt for empty text, a number without a unit, an unknown unit, or more
// than `max`.
std::optional<Duration> parse_duration(std::string_view text, Duration max);

// Civil time for display (CreationDate fields, report headers): milliseconds since the Unix epoch
// rendered as ISO-8601 UTC with milliseconds, "2026-01-01T00:00:00.000Z".
std::string format_iso8601_ms(int64_t unix_ms);

// The same instant as "20260101T000000Z" (SigV4's X-Amz-Date form).
std::string format_amz_date(int64_t unix_ms);

// Parses "2026-01-01T00:00:00Z" or with ".123" milliseconds; false on anything else.
bool parse_iso8601(const std::string& text, int64_t* unix_ms);

}  // namespace ibsim::sim
