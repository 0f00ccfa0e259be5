// The client module's own vocabulary: identities and how a failed call is classified.

#include <catch2/catch.hpp>

#include "src/client/call_error.h"
#include "src/client/identity.h"

namespace ibsim::client {
namespace {

TEST_CASE("CallError: transport failures are told apart from AWS answers", "[client]") {
  CHECK(classify(not_sent("refused")) == CallOutcome::kNotSent);
  CHECK(classify(maybe_applied("timeout")) == CallOutcome::kMaybeApplied);
  CHECK(classify(malformed_response("garbage")) == CallOutcome::kMalformedResponse);
  CHECK(not_sent("x").http_status == 0);
  CHECK(maybe_applied("x").fault == sim::Fault::kReceiver);
  // An AWS error is a service error, whatever its status.
  CHECK(classify(sim::aws_error("RequestLimitExceeded", "slow", 503))
        == CallOutcome::kServiceError);
  CHECK(classify(sim::aws_error("UnauthorizedOperation", "no", 403)) == CallOutcome::kServiceError);
  // A reserved code only counts without an HTTP status (a service cannot forge one).
  CHECK(classify(sim::aws_error(std::string(kMaybeAppliedCode), "x", 400))
        == CallOutcome::kServiceError);
  const sim::Result<int> ok = 1;
  CHECK(classify(ok) == CallOutcome::kOk);
  CHECK(is_transport_failure(CallOutcome::kMaybeApplied));
  CHECK_FALSE(is_transport_failure(CallOutcome::kServiceError));
  CHECK(to_string(CallOutcome::kNotSent) == "not-sent");
}

TEST_CASE("Identity: credentials or a service principal", "[client]") {
  const Identity keys = Identity::from_credentials(
      {.access_key_id = "ASIAEXAMPLE", .secret_access_key = "s", .session_token = "t"});
  CHECK_FALSE(keys.is_service());
  CHECK(keys.label() == "ASIAEXAMPLE");
  CHECK(keys.credentials().session_token == "t");
  const Identity svc = Identity::service(kImageBuilderServicePrincipal);
  CHECK(svc.is_service());
  CHECK(svc.label() == "imagebuilder.amazonaws.com");
  CHECK(svc != keys);
}

}  // namespace
}  // namespace ibsim::client
