#pragma once
// Statistics of a load run: exact percentiles over recorded durations (nearest rank), and
// Timeline, a fixed number of time buckets that doubles its bucket width when the run outgrows
// it, so a chart of a run of any length costs the same bounded memory. A level series (copies in
// flight) keeps each bucket's maximum, a count series (copies completed) each bucket's sum.
//
//   Summary s = summarize(durations);            // s.p95
//   Timeline t(2, {Timeline::Kind::kLevel, Timeline::Kind::kCount});
//   t.set_level(0, now, in_flight);  t.add(1, now, 1);

#include <cstdint>
#include <vector>

#include "sim/time.h"

namespace ibsim::load {

struct Summary {
  uint64_t count = 0;
  sim::Duration mean;
  sim::Duration p50;
  sim::Duration p95;
  sim::Duration p99;
  sim::Duration max;
};

// Nearest-rank percentile (the smallest value with at least p% of the values at or below it) of
// unsorted values; zero for an empty set. p in (0, 100].
sim::Duration percentile(std::vector<int64_t> values_ns, double p);
// count, mean, p50, p95, p99 and max of `values_ns` (sorted in place).
Summary summarize(std::vector<int64_t>& values_ns);

class Timeline {
 public:
  enum class Kind : uint8_t { kLevel, kCount };

  static constexpr std::size_t kBucketsMax = 720;
  static constexpr sim::Duration kInitialWidth = sim::Duration::seconds(10);

  explicit Timeline(std::vector<Kind> kinds);

  // A level series changes to `value` at `at` (times never decrease).
  void set_level(std::size_t series, sim::Instant at, int64_t value);
  // A count series gains `amount` at `at`.
  void add(std::size_t series, sim::Instant at, int64_t amount);
  // Extends every level series to `end`; call once when the run is over.
  void finish(sim::Instant end);

  sim::Duration bucket_width() const { return width_; }

  // Buckets in use (up to the last time seen).
  std::size_t bucket_count() const { return used_; }

  const std::vector<int64_t>& values(std::size_t series) const { return series_[series].buckets; }

  std::size_t series_count() const { return series_.size(); }

 private:
  struct Series {
    Kind kind;
    std::vector<int64_t> buckets;  // kBucketsMax entries.
    int64_t level = 0;
    std::size_t filled = 0;  // Level series: buckets [0, filled) hold the level seen so far.
  };

  // The bucket of `at`, doubling the width (and merging buckets) until it fits.
  std::size_t bucket_of(sim::Instant at);
  void fill_level(Series& s, std::size_t upto);

  sim::Duration width_ = kInitialWidth;
  std::size_t used_ = 0;
  std::vector<Series> series_;
};

}  // namespace ibsim::load
