#include "sim/rng.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <vector>

#include <catch2/catch.hpp>

#include "sim/detmath.h"
#include "tests/test_printers.h"

namespace ibsim::sim {
namespace {

TEST_CASE("Rng: xoshiro256** seeded by SplitMix64 matches an independent implementation", "[sim]") {
  // Expected values from a separate Python implementation of the published algorithms.
  Rng r42(42);
  CHECK(r42.next_u64() == 0x15780b2e0c2ec716ULL);
  CHECK(r42.next_u64() == 0x6104d9866d113a7eULL);
  CHECK(r42.next_u64() == 0xae17533239e499a1ULL);
  CHECK(r42.next_u64() == 0xecb8ad4703b360a1ULL);
  Rng r0(0);
  CHECK(r0.next_u64() == 0x99ec5f36cb75f2b4ULL);
  CHECK(r0.next_u64() == 0xbf6e1f784956452aULL);
}

TEST_CASE("Rng: the same seed gives the same stream", "[sim]") {
  Rng a(7), b(7), c(8);
  std::vector<uint64_t> va, vb, vc;
  for (int i = 0; i < 100; ++i) {
    va.push_back(a.next_u64());
    vb.push_back(b.next_u64());
    vc.push_back(c.next_u64());
  }
  CHECK(va == vb);
  CHECK(va != vc);
}

TEST_CASE("Rng: forks depend only on the seed and the label", "[sim]") {
  Rng root(99);
  const uint64_t before = root.fork("ec2.copy_time").next_u64();
  // Drawing from the parent, or forking other labels first, does not move a fork.
  for (int i = 0; i < 10; ++i) {
    root.next_u64();
  }
  Rng other = root.fork("faults.kms");
  other.next_u64();
  CHECK(root.fork("ec2.copy_time").next_u64() == before);
  // Different labels and different roots give different streams.
  CHECK(root.fork("faults.kms").next_u64() != before);
  CHECK(Rng(100).fork("ec2.copy_time").next_u64() != before);
  // Nested forks are stable too.
  CHECK(root.fork("a").fork("b").next_u64() == Rng(99).fork("a").fork("b").next_u64());
  CHECK(root.fork("a").fork("b").next_u64() != root.fork("ab").next_u64());
}

TEST_CASE("Rng: uniform integers stay in range and cover it evenly", "[sim]") {
  Rng r(3);
  std::array<int, 6> counts{};
  for (int i = 0; i < 60'000; ++i) {
    const uint64_t v = r.uniform_u64(10, 15);
    REQUIRE(v >= 10);
    REQUIRE(v <= 15);
    ++counts[v - 10];
  }
  for (int c : counts) {
    CHECK(c > 9'500);
    CHECK(c < 10'500);
  }
  CHECK(r.uniform_u64(5, 5) == 5);
  CHECK(r.uniform_i64(-3, -3) == -3);
  for (int i = 0; i < 1000; ++i) {
    const int64_t v = r.uniform_i64(-2, 2);
    REQUIRE(v >= -2);
    REQUIRE(v <= 2);
  }
  // The full range is accepted.
  (void)r.uniform_u64(0, UINT64_MAX);
  (void)r.uniform_i64(INT64_MIN, INT64_MAX);
}

TEST_CASE("Rng: chance follows the integer ratio", "[sim]") {
  Rng r(5);
  int hits = 0;
  for (int i = 0; i < 100'000; ++i) {
    hits += r.chance({1, 4}) ? 1 : 0;
  }
  CHECK(hits > 24'000);
  CHECK(hits < 26'000);
  CHECK_FALSE(r.chance({0, 1}));
  CHECK(r.chance({3, 3}));
}

TEST_CASE("Rng: exponential draws have the requested mean", "[sim]") {
  Rng r(11);
  const Duration mean = Duration::seconds(10);
  int64_t total_ns = 0;
  const int n = 50'000;
  for (int i = 0; i < n; ++i) {
    const Duration d = r.exponential(mean);
    REQUIRE(d >= Duration::zero());
    total_ns += d.ns();
  }
  const double observed = static_cast<double>(total_ns) / n / 1e9;
  CHECK(observed == Approx(10.0).epsilon(0.03));
}

TEST_CASE("Rng: log-normal draws have the requested median", "[sim]") {
  Rng r(13);
  std::vector<int64_t> draws;
  for (int i = 0; i < 20'001; ++i) {
    draws.push_back(r.log_normal(Duration::minutes(10), 0.5).ns());
  }
  std::nth_element(draws.begin(), draws.begin() + 10'000, draws.end());
  CHECK(static_cast<double>(draws[10'000]) / 60e9 == Approx(10.0).epsilon(0.03));
  CHECK(r.log_normal(Duration::seconds(3), 0.0) == Duration::seconds(3));
}

TEST_CASE("Rng: standard normal has mean 0 and variance 1", "[sim]") {
  Rng r(17);
  double sum = 0, sum_sq = 0;
  const int n = 100'000;
  for (int i = 0; i < n; ++i) {
    const double z = r.standard_normal();
    sum += z;
    sum_sq += z * z;
  }
  CHECK(std::abs(sum / n) < 0.02);
  CHECK(sum_sq / n == Approx(1.0).epsilon(0.02));
}

TEST_CASE("Rng: bytes and hex ids are reproducible", "[sim]") {
  Rng a(21), b(21);
  std::array<uint8_t, 13> x{}, y{};
  a.fill_bytes(x);
  b.fill_bytes(y);
  CHECK(x == y);
  const std::string id = a.hex(17);
  CHECK(id.size() == 17);
  CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(id == b.hex(17));
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    seen.insert(a.hex(17));
  }
  CHECK(seen.size() == 1000);
}

TEST_CASE("Detmath: log and exp agree with libm to a few ulps", "[sim]") {
  for (double x : {1e-300, 1e-10, 0.001, 0.5, 0.70710678, 1.0, 1.5, 2.0, 10.0, 12345.678, 1e300}) {
    CAPTURE(x);
    CHECK(det_log(x) == Approx(std::log(x)).epsilon(1e-14).margin(1e-15));
  }
  for (double x : {-700.0, -20.0, -1.0, -1e-9, 0.0, 1e-9, 0.5, 1.0, 3.0, 50.0, 700.0}) {
    CAPTURE(x);
    CHECK(det_exp(x) == Approx(std::exp(x)).epsilon(1e-14));
  }
  CHECK(det_exp(-1000.0) == 0.0);
  CHECK(std::isfinite(det_exp(1000.0)));
}

}  // namespace
}  // namespace ibsim::sim
