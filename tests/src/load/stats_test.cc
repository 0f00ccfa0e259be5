// Load statistics on known data: nearest-rank percentiles, summaries, and the timeline's buckets
// (levels keep maxima, counts keep sums, doubling merges both correctly).

#include "src/load/stats.h"

#include <vector>

#include <catch2/catch.hpp>

#include "tests/test_printers.h"

namespace ibsim::load {
namespace {

sim::Duration s(int64_t n) {
  return sim::Duration::seconds(n);
}

sim::Instant at(int64_t seconds) {
  return sim::Instant::start() + sim::Duration::seconds(seconds);
}

std::vector<int64_t> one_to(int64_t n) {
  std::vector<int64_t> v;
  for (int64_t i = n; i >= 1; --i) {  // Unsorted on purpose.
    v.push_back(s(i).ns());
  }
  return v;
}

TEST_CASE("Load: nearest-rank percentiles of 1 to 100", "[load]") {
  const std::vector<int64_t> v = one_to(100);
  CHECK(percentile(v, 50) == s(50));
  CHECK(percentile(v, 95) == s(95));
  CHECK(percentile(v, 99) == s(99));
  CHECK(percentile(v, 100) == s(100));
  CHECK(percentile(v, 0.5) == s(1));
  CHECK(percentile({}, 50) == sim::Duration::zero());
}

TEST_CASE("Load: percentiles of small and skewed sets", "[load]") {
  CHECK(percentile({s(7).ns()}, 99) == s(7));
  // Ten values: p50 is the 5th, p95 and p99 the 10th.
  const std::vector<int64_t> ten = one_to(10);
  CHECK(percentile(ten, 50) == s(5));
  CHECK(percentile(ten, 95) == s(10));
  // 99 fast, 1 slow: the slow one shows only at p100.
  std::vector<int64_t> skewed(99, s(1).ns());
  skewed.push_back(s(3600).ns());
  CHECK(percentile(skewed, 99) == s(1));
  CHECK(percentile(skewed, 100) == s(3600));
}

TEST_CASE("Load: summaries give count mean and the percentiles", "[load]") {
  std::vector<int64_t> v = one_to(1000);
  const Summary sum = summarize(v);
  CHECK(sum.count == 1000);
  CHECK(sum.mean == sim::Duration::milliseconds(500'500));
  CHECK(sum.p50 == s(500));
  CHECK(sum.p95 == s(950));
  CHECK(sum.p99 == s(990));
  CHECK(sum.max == s(1000));
  std::vector<int64_t> empty;
  CHECK(summarize(empty).count == 0);
}

TEST_CASE("Load: timeline levels keep the maximum of each bucket", "[load]") {
  Timeline t({Timeline::Kind::kLevel, Timeline::Kind::kCount});
  t.set_level(0, at(0), 3);
  t.set_level(0, at(5), 7);  // Bucket 0 (10 s wide) peaks at 7.
  t.set_level(0, at(8), 1);
  t.set_level(0, at(35), 2);  // Buckets 1 and 2 hold 1, bucket 3 reaches 2.
  t.add(1, at(12), 4);
  t.add(1, at(19), 1);
  t.finish(at(49));
  CHECK(t.bucket_width() == s(10));
  REQUIRE(t.bucket_count() == 5);
  CHECK(t.values(0)[0] == 7);
  CHECK(t.values(0)[1] == 1);
  CHECK(t.values(0)[2] == 1);
  CHECK(t.values(0)[3] == 2);
  CHECK(t.values(0)[4] == 2);
  CHECK(t.values(1)[1] == 5);
  CHECK(t.values(1)[0] == 0);
}

TEST_CASE("Load: a long run doubles the bucket width and merges buckets", "[load]") {
  Timeline t({Timeline::Kind::kLevel, Timeline::Kind::kCount});
  const int64_t width = Timeline::kInitialWidth.whole_seconds();
  const auto buckets = static_cast<int64_t>(Timeline::kBucketsMax);
  // One count per bucket and a rising level, for twice as long as the buckets cover.
  for (int64_t b = 0; b < 2 * buckets; ++b) {
    t.add(1, at(b * width), 1);
    t.set_level(0, at(b * width), b);
  }
  t.finish(at((2 * buckets - 1) * width));
  CHECK(t.bucket_width() == s(2 * width));
  CHECK(t.bucket_count() == Timeline::kBucketsMax);
  int64_t total = 0;
  for (std::size_t i = 0; i < t.bucket_count(); ++i) {
    total += t.values(1)[i];
    CHECK(t.values(1)[i] == 2);
    CHECK(t.values(0)[i] == static_cast<int64_t>(2 * i + 1));
  }
  CHECK(total == 2 * buckets);
}

}  // namespace
}  // namespace ibsim::load
