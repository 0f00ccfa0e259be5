#include "sim/limits/token_bucket.h"

#include "sim/base/assert.h"

namespace ibsim::sim {

TokenBucket::TokenBucket(Options options, Instant start)
    : options_(options),
      capacity_nano_(options.burst * kNanoPerToken),
      tokens_nano_(capacity_nano_),
      last_(start) {
  IBSIM_ASSERT(options.rate_per_sec >= 1 && options.burst >= 1, "bucket rate and burst >= 1");
  IBSIM_ASSERT(options.burst <= UINT64_MAX / kNanoPerToken, "burst fits in nano-tokens");
}

void TokenBucket::refill(Instant now) {
  if (now <= last_) {
    return;
  }
  const uint64_t elapsed_ns = static_cast<uint64_t>((now - last_).ns());
  last_ = now;
  // One token per 1e9/rate ns, i.e. `rate` nano-tokens per ns. Check for a full refill first so
  // the product below cannot overflow.
  const uint64_t missing = capacity_nano_ - tokens_nano_;
  if (elapsed_ns >= missing / options_.rate_per_sec + 1) {
    tokens_nano_ = capacity_nano_;
    return;
  }
  tokens_nano_ += elapsed_ns * options_.rate_per_sec;
  if (tokens_nano_ > capacity_nano_) {
    tokens_nano_ = capacity_nano_;
  }
}

bool TokenBucket::try_take(Instant now, uint64_t n) {
  refill(now);
  const uint64_t need = n * kNanoPerToken;
  if (tokens_nano_ < need) {
    return false;
  }
  tokens_nano_ -= need;
  return true;
}

Duration TokenBucket::wait_time(Instant now, uint64_t n) {
  IBSIM_ASSERT(n <= options_.burst, "a bucket can only ever hold `burst` tokens");
  refill(now);
  const uint64_t need = n * kNanoPerToken;
  if (tokens_nano_ >= need) {
    return Duration::zero();
  }
  const uint64_t missing = need - tokens_nano_;
  const uint64_t ns = (missing + options_.rate_per_sec - 1) / options_.rate_per_sec;
  return Duration::nanoseconds(static_cast<int64_t>(ns));
}

uint64_t TokenBucket::available(Instant now) {
  refill(now);
  return tokens_nano_ / kNanoPerToken;
}

}  // namespace ibsim::sim
