#pragma once
// TokenBucket on virtual time: `rate_per_sec` tokens per second refill up to `burst`. Integer
// arithmetic in nano-tokens, so refills are exact and identical on every machine. Models API
// request-rate limits (EC2 RequestLimitExceeded, KMS ThrottlingException).
//
//   TokenBucket bucket({.rate_per_sec = 20, .burst = 100}, ctx.now());
//   if (!bucket.try_take(ctx.now())) return throttled();

#include <cstdint>

#include "sim/time.h"

namespace ibsim::sim {

class TokenBucket {
 public:
  struct Options {
    uint64_t rate_per_sec = 1;  // Refill rate; at least 1.
    uint64_t burst = 1;         // Capacity, and the initial fill; at least 1.
  };

  TokenBucket(Options options, Instant start);

  // Takes n tokens if available at `now`.
  bool try_take(Instant now, uint64_t n = 1);

  // How long from `now` until n tokens are available (zero if they are now); n <= burst.
  Duration wait_time(Instant now, uint64_t n = 1);

  // Whole tokens available at `now`.
  uint64_t available(Instant now);

  const Options& options() const { return options_; }

 private:
  void refill(Instant now);

  static constexpr uint64_t kNanoPerToken = 1'000'000'000;

  Options options_;
  uint64_t capacity_nano_;
  uint64_t tokens_nano_;
  Instant last_;
};

}  // namespace ibsim::sim
