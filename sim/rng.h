#pragma once
// Rng: the only source of randomness in a run. xoshiro256** seeded through SplitMix64, with
// streams forked by a stable label so that adding a component never shifts the draws of others:
// rng.fork("faults.kms") depends only on this stream's seed and the label, not on how much has
// been drawn. The distributions are ours (std::*_distribution differ between standard libraries);
// probabilities are integer Ratios. Ids, key material and GCM IVs come from here too, so the
// crypto is real but reproducible, not secret.
//
//   Rng root(42);  Rng copy_rng = root.fork("ec2.copy_time");
//   Duration d = copy_rng.exponential(Duration::minutes(10));

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "sim/time.h"

namespace ibsim::sim {

// A probability num/den with 0 <= num <= den, den > 0.
struct Ratio {
  uint64_t num = 0;
  uint64_t den = 1;
};

class Rng {
 public:
  using result_type = uint64_t;

  explicit Rng(uint64_t seed);

  uint64_t seed() const { return seed_; }

  // An independent stream derived from (seed(), label) only.
  Rng fork(std::string_view label) const;

  uint64_t next_u64();

  // Uniform in [lo, hi], unbiased (Lemire's multiply-and-reject).
  uint64_t uniform_u64(uint64_t lo, uint64_t hi);
  int64_t uniform_i64(int64_t lo, int64_t hi);
  // Uniform in [0, 1) with 53 random bits.
  double unit_double();
  // True with probability r.num / r.den.
  bool chance(Ratio r);
  // Exponential with the given mean (memoryless waits between faults, arrivals).
  Duration exponential(Duration mean);
  // Log-normal with the given median and shape sigma (copy times: most near the median, a long
  // right tail). sigma = 0 returns the median.
  Duration log_normal(Duration median, double sigma);
  // Standard normal via Marsaglia's polar method (only log and sqrt, both deterministic here).
  double standard_normal();

  void fill_bytes(std::span<uint8_t> out);
  // n random bytes as lower-case hex (ids such as "ami-0123456789abcdef0" use 17 hex digits).
  std::string hex(std::size_t digits);

  // For <random>-style generic code; prefer the named draws above.
  static constexpr uint64_t min() { return 0; }

  static constexpr uint64_t max() { return UINT64_MAX; }

  uint64_t operator()() { return next_u64(); }

 private:
  uint64_t seed_;
  std::array<uint64_t, 4> state_{};
  bool has_spare_normal_ = false;
  double spare_normal_ = 0.0;
};

// SplitMix64 step, exposed for hashing labels and seeds.
uint64_t splitmix64(uint64_t& state);

}  // namespace ibsim::sim
