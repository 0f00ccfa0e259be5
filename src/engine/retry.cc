#include "src/engine/retry.h"

#include <algorithm>
#include <array>

#include "src/client/call_error.h"

namespace ibsim::engine {
namespace {

// AWS codes that mean "not now" rather than "no" (EC2, STS/IAM, KMS, SSM spellings).
constexpr std::array<std::string_view, 14> kTransientCodes = {
    "RequestLimitExceeded",
    "ResourceLimitExceeded",
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "TooManyRequestsException",
    "RequestThrottled",
    "RequestThrottledException",
    "ServiceUnavailable",
    "ServiceUnavailableException",
    "InternalError",
    "InternalFailure",
    "InternalServerError",
    "Unavailable",
};

constexpr std::array<std::string_view, 3> kExpiredCodes = {
    "ExpiredToken",
    "ExpiredTokenException",
    "RequestExpired",
};

constexpr std::array<std::string_view, 4> kDenialCodes = {
    "AccessDenied",
    "AccessDeniedException",
    "UnauthorizedOperation",
    "AuthorizationError",
};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& codes, std::string_view code) {
  return std::find(codes.begin(), codes.end(), code) != codes.end();
}

}  // namespace

RetryClass classify_retry(const sim::AwsError& error) {
  if (client::is_transport_failure(client::classify(error))) {
    return RetryClass::kRetry;
  }
  if (contains(kExpiredCodes, error.code)) {
    return RetryClass::kRenewSession;
  }
  if (contains(kTransientCodes, error.code) || error.http_status >= 500) {
    return RetryClass::kRetry;
  }
  return RetryClass::kFail;
}

bool is_denial(const sim::AwsError& error) {
  return contains(kDenialCodes, error.code);
}

sim::Duration backoff_delay(const EngineOptions& options, uint32_t retry, sim::Rng& rng) {
  // base * 2^(retry-1), doubling until it reaches the cap (never overflowing).
  sim::Duration delay = options.backoff_base;
  for (uint32_t i = 1; i < retry && delay < options.backoff_max; ++i) {
    delay = delay * 2;
  }
  delay = std::min(delay, options.backoff_max);
  const int64_t half = delay.ns() / 2;
  const int64_t jitter = half > 0 ? rng.uniform_i64(0, half) : 0;
  return sim::Duration::nanoseconds(delay.ns() - half + jitter);
}

}  // namespace ibsim::engine
