#pragma once
// How a typed client reports what happened to a call. Every call returns sim::Result<Output>; an
// error is either an AWS answer (kServiceError: the service ran and said no) or a transport
// failure, which has no AWS code and is marked with one of ibsim's reserved codes and HTTP
// status 0:
//   kNotSent           the request definitely never reached the service: safe to send again;
//   kMaybeApplied      sent, but no answer: the change may or may not have happened. Resolve it
//                      by retrying with the same idempotency token (ClientToken) or by describing
//                      the resource — never by assuming failure (STYLE-ANCHORS §2.5);
//   kMalformedResponse the service answered with something the codec could not read.
// No service model ever produces these codes, so classify() is exact.
//
//   auto r = ec2.copy_image(in);
//   if (!r.ok() && classify(r.error()) == CallOutcome::kMaybeApplied) { retry with in.client_token
//   }

#include <cstdint>
#include <string>
#include <string_view>

#include "sim/base/result.h"

namespace ibsim::client {

enum class CallOutcome : uint8_t {
  kOk,
  kServiceError,
  kNotSent,
  kMaybeApplied,
  kMalformedResponse,
};

std::string_view to_string(CallOutcome outcome);

inline constexpr std::string_view kNotSentCode = "ibsim.Transport.NotSent";
inline constexpr std::string_view kMaybeAppliedCode = "ibsim.Transport.MaybeApplied";
inline constexpr std::string_view kMalformedResponseCode = "ibsim.Transport.MalformedResponse";

// Transport failures: status 0 (no HTTP answer), the receiver's fault.
sim::AwsError not_sent(std::string why);
sim::AwsError maybe_applied(std::string why);
sim::AwsError malformed_response(std::string why);

CallOutcome classify(const sim::AwsError& error);

template <typename T>
CallOutcome classify(const sim::Result<T>& result) {
  return result.ok() ? CallOutcome::kOk : classify(result.error());
}

// True for the three transport outcomes (the service's answer is unknown or unreadable).
inline bool is_transport_failure(CallOutcome outcome) {
  return outcome == CallOutcome::kNotSent || outcome == CallOutcome::kMaybeApplied
         || outcome == CallOutcome::kMalformedResponse;
}

}  // namespace ibsim::client
