#include "src/load/stats.h"

#include <algorithm>
#include <cmath>

#include "sim/base/assert.h"

namespace ibsim::load {
namespace {

// Index of the nearest-rank percentile in a sorted list of n values.
std::size_t rank_index(std::size_t n, double p) {
  const double rank = std::ceil(p / 100.0 * static_cast<double>(n));
  const std::size_t r = rank < 1.0 ? 1 : static_cast<std::size_t>(rank);
  return std::min(r, n) - 1;
}

}  // namespace

sim::Duration percentile(std::vector<int64_t> values_ns, double p) {
  if (values_ns.empty()) {
    return sim::Duration::zero();
  }
  const std::size_t k = rank_index(values_ns.size(), p);
  std::nth_element(
      values_ns.begin(), values_ns.begin() + static_cast<std::ptrdiff_t>(k), values_ns.end());
  return sim::Duration::nanoseconds(values_ns[k]);
}

Summary summarize(std::vector<int64_t>& values_ns) {
  Summary s;
  s.count = values_ns.size();
  if (values_ns.empty()) {
    return s;
  }
  std::sort(values_ns.begin(), values_ns.end());
  // Mean without overflow: values are at most years in ns, counts at most tens of millions, so
  // sum in long double-free integer parts: whole seconds and the remainder separately.
  int64_t seconds = 0;
  int64_t rest_ns = 0;
  for (const int64_t v : values_ns) {
    seconds += v / 1'000'000'000;
    rest_ns += v % 1'000'000'000;
  }
  const auto n = static_cast<int64_t>(values_ns.size());
  const int64_t mean_ns = seconds / n * 1'000'000'000 + (seconds % n * 1'000'000'000 + rest_ns) / n;
  s.mean = sim::Duration::nanoseconds(mean_ns);
  s.p50 = sim::Duration::nanoseconds(values_ns[rank_index(values_ns.size(), 50)]);
  s.p95 = sim::Duration::nanoseconds(values_ns[rank_index(values_ns.size(), 95)]);
  s.p99 = sim::Duration::nanoseconds(values_ns[rank_index(values_ns.size(), 99)]);
  s.max = sim::Duration::nanoseconds(values_ns.back());
  return s;
}

Timeline::Timeline(std::vector<Kind> kinds) {
  series_.reserve(kinds.size());
  for (const Kind k : kinds) {
    series_.push_back(Series{k, std::vector<int64_t>(kBucketsMax, 0), 0, 0});
  }
}

std::size_t Timeline::bucket_of(sim::Instant at) {
  IBSIM_ASSERT(at >= sim::Instant::start(), "virtual time starts at zero");
  std::size_t b = static_cast<std::size_t>(at.ns() / width_.ns());
  while (b >= kBucketsMax) {
    // Double the width: bucket i takes old buckets 2i and 2i+1 (max for levels, sum for counts).
    for (Series& s : series_) {
      for (std::size_t i = 0; i < kBucketsMax / 2; ++i) {
        const int64_t a = s.buckets[2 * i];
        const int64_t c = s.buckets[2 * i + 1];
        s.buckets[i] = s.kind == Kind::kLevel ? std::max(a, c) : a + c;
      }
      std::fill(s.buckets.begin() + kBucketsMax / 2, s.buckets.end(), 0);
      // A half-filled pair still holds the level it had: round the fill mark up.
      s.filled = (s.filled + 1) / 2;
    }
    used_ = (used_ + 1) / 2;
    width_ = width_ * 2;
    b = static_cast<std::size_t>(at.ns() / width_.ns());
  }
  used_ = std::max(used_, b + 1);
  return b;
}

void Timeline::fill_level(Series& s, std::size_t upto) {
  // The level held from the last change until now covers the buckets in between.
  for (std::size_t i = s.filled; i <= upto && i < kBucketsMax; ++i) {
    s.buckets[i] = std::max(s.buckets[i], s.level);
  }
  s.filled = std::max(s.filled, upto);
}

void Timeline::set_level(std::size_t series, sim::Instant at, int64_t value) {
  const std::size_t b = bucket_of(at);
  Series& s = series_[series];
  IBSIM_ASSERT(s.kind == Kind::kLevel, "set_level is for level series");
  fill_level(s, b);
  s.level = value;
  s.buckets[b] = std::max(s.buckets[b], value);
}

void Timeline::add(std::size_t series, sim::Instant at, int64_t amount) {
  const std::size_t b = bucket_of(at);
  Series& s = series_[series];
  IBSIM_ASSERT(s.kind == Kind::kCount, "add is for count series");
  s.buckets[b] += amount;
}

void Timeline::finish(sim::Instant end) {
  const std::size_t b = bucket_of(end);
  for (Series& s : series_) {
    if (s.kind == Kind::kLevel) {
      fill_level(s, b);
    }
  }
}

}  // namespace ibsim::load
