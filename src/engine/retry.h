#pragma once
// Which failed calls the engine retries, and how long it waits before each retry. Retried:
// throttling (RequestLimitExceeded, Throttling*, TooManyRequests*), quota waits
// (ResourceLimitExceeded: a copy slot frees up soon), server faults (5xx) and the transport
// outcomes (not sent, maybe applied, malformed answer — safe because every mutating call the
// engine makes is idempotent or carries a ClientToken). Everything else — AccessDenied,
// UnauthorizedOperation, validation errors — fails the job at once. Expired sessions are renewed
// and the call retried.
//
//   if (classify_retry(err) == RetryClass::kRetry && attempt < max) wait(backoff(attempt, rng));

#include <cstdint>
#include <string_view>

#include "sim/base/result.h"
#include "sim/rng.h"
#include "sim/time.h"
#include "src/engine/engine_options.h"

namespace ibsim::engine {

enum class RetryClass : uint8_t {
  kFail,          // A client error: the job fails now.
  kRetry,         // Transient: back off and call again.
  kRenewSession,  // The session expired: drop it, assume the role again, call again.
};

RetryClass classify_retry(const sim::AwsError& error);

// An IAM/EC2/KMS denial (AccessDenied, AccessDeniedException, UnauthorizedOperation).
bool is_denial(const sim::AwsError& error);

// Delay before retry number `retry` (1 for the first retry): exponential, capped, equal jitter.
sim::Duration backoff_delay(const EngineOptions& options, uint32_t retry, sim::Rng& rng);

}  // namespace ibsim::engine
