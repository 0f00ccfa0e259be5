#include "sim/rng.h"

#include <algorithm>
#include <cmath>

#include "sim/base/assert.h"
#include "sim/detmath.h"

namespace ibsim::sim {
namespace {

uint64_t rotl(uint64_t x, int k) {
  return (x << k) | (x >> (64 - k));
}

// FNV-1a over the label, so a label maps to the same number on every platform.
uint64_t hash_label(std::string_view label) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (const char c : label) {
    h ^= static_cast<uint8_t>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace

uint64_t splitmix64(uint64_t& state) {
  state += 0x9e3779b97f4a7c15ULL;
  uint64_t z = state;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

Rng::Rng(uint64_t seed) : seed_(seed) {
  uint64_t sm = seed;
  for (uint64_t& word : state_) {
    word = splitmix64(sm);
  }
}

Rng Rng::fork(std::string_view label) const {
  uint64_t mix = seed_ ^ rotl(hash_label(label), 17);
  const uint64_t child_seed = splitmix64(mix) ^ hash_label(label);
  return Rng(child_seed);
}

uint64_t Rng::next_u64() {
  const uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

uint64_t Rng::uniform_u64(uint64_t lo, uint64_t hi) {
  IBSIM_ASSERT(lo <= hi, "uniform range is not empty");
  const uint64_t span = hi - lo;
  if (span == UINT64_MAX) {
    return next_u64();
  }
  const uint64_t range = span + 1;
  // Lemire: take the high 64 bits of x * range, rejecting the biased low region.
  // Done with two 64-bit halves to stay within ISO C++ (no __int128).
  const uint64_t threshold = (UINT64_MAX - range + 1) % range;
  for (;;) {
    const uint64_t x = next_u64();
    const uint64_t x_lo = x & 0xffffffffULL, x_hi = x >> 32;
    const uint64_t r_lo = range & 0xffffffffULL, r_hi = range >> 32;
    const uint64_t lo_lo = x_lo * r_lo;
    const uint64_t hi_lo = x_hi * r_lo;
    const uint64_t lo_hi = x_lo * r_hi;
    const uint64_t hi_hi = x_hi * r_hi;
    const uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xffffffffULL) + lo_hi;
    const uint64_t high = hi_hi + (hi_lo >> 32) + (cross >> 32);
    const uint64_t low = (cross << 32) | (lo_lo & 0xffffffffULL);
    if (low >= threshold) {
      return lo + high;
    }
  }
}

int64_t Rng::uniform_i64(int64_t lo, int64_t hi) {
  IBSIM_ASSERT(lo <= hi, "uniform range is not empty");
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + uniform_u64(0, span));
}

double Rng::unit_double() {
  return static_cast<double>(next_u64() >> 11) * 0x1.0p-53;
}

bool Rng::chance(Ratio r) {
  IBSIM_ASSERT(r.den > 0 && r.num <= r.den, "a probability is num/den with num <= den");
  if (r.num == 0) {
    return false;
  }
  if (r.num == r.den) {
    return true;
  }
  return uniform_u64(0, r.den - 1) < r.num;
}

Duration Rng::exponential(Duration mean) {
  IBSIM_ASSERT(mean >= Duration::zero(), "an exponential mean is not negative");
  // 1 - U is in (0, 1], so the log is finite.
  const double u = 1.0 - unit_double();
  const double draw = -det_log(u) * static_cast<double>(mean.ns());
  return Duration::nanoseconds(static_cast<int64_t>(std::min(draw, 9.0e18)));
}

double Rng::standard_normal() {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return spare_normal_;
  }
  for (;;) {
    const double u = 2.0 * unit_double() - 1.0;
    const double v = 2.0 * unit_double() - 1.0;
    const double s = u * u + v * v;
    if (s > 0.0 && s < 1.0) {
      const double factor = std::sqrt(-2.0 * det_log(s) / s);
      spare_normal_ = v * factor;
      has_spare_normal_ = true;
      return u * factor;
    }
  }
}

Duration Rng::log_normal(Duration median, double sigma) {
  IBSIM_ASSERT(median > Duration::zero() && sigma >= 0.0, "log-normal median > 0, sigma >= 0");
  if (sigma == 0.0) {
    return median;
  }
  const double draw = static_cast<double>(median.ns()) * det_exp(sigma * standard_normal());
  return Duration::nanoseconds(static_cast<int64_t>(std::min(draw, 9.0e18)));
}

void Rng::fill_bytes(std::span<uint8_t> out) {
  std::size_t i = 0;
  while (i < out.size()) {
    uint64_t word = next_u64();
    for (int b = 0; b < 8 && i < out.size(); ++b, ++i) {
      out[i] = static_cast<uint8_t>(word & 0xff);
      word >>= 8;
    }
  }
}

std::string Rng::hex(std::size_t digits) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(digits, '0');
  uint64_t word = 0;
  int left = 0;
  for (char& c : out) {
    if (left == 0) {
      word = next_u64();
      left = 16;
    }
    c = kDigits[word & 0xf];
    word >>= 4;
    --left;
  }
  return out;
}

}  // namespace ibsim::sim
