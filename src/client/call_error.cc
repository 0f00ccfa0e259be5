#include "src/client/call_error.h"

#include <utility>

namespace ibsim::client {
namespace {

sim::AwsError transport_error(std::string_view code, std::string why) {
  sim::AwsError e;
  e.code = std::string(code);
  e.message = std::move(why);
  e.http_status = 0;  // No HTTP answer was read.
  e.fault = sim::Fault::kReceiver;
  return e;
}

}  // namespace

std::string_view to_string(CallOutcome outcome) {
  switch (outcome) {
    case CallOutcome::kOk:
      return "ok";
    case CallOutcome::kServiceError:
      return "service-error";
    case CallOutcome::kNotSent:
      return "not-sent";
    case CallOutcome::kMaybeApplied:
      return "maybe-applied";
    case CallOutcome::kMalformedResponse:
      return "malformed-response";
  }
  return "unknown";
}

sim::AwsError not_sent(std::string why) {
  return transport_error(kNotSentCode, std::move(why));
}

sim::AwsError maybe_applied(std::string why) {
  return transport_error(kMaybeAppliedCode, std::move(why));
}

sim::AwsError malformed_response(std::string why) {
  return transport_error(kMalformedResponseCode, std::move(why));
}

CallOutcome classify(const sim::AwsError& error) {
  if (error.http_status == 0) {
    if (error.code == kNotSentCode) {
      return CallOutcome::kNotSent;
    }
    if (error.code == kMaybeAppliedCode) {
      return CallOutcome::kMaybeApplied;
    }
    if (error.code == kMalformedResponseCode) {
      return CallOutcome::kMalformedResponse;
    }
  }
  return CallOutcome::kServiceError;
}

}  // namespace ibsim::client
