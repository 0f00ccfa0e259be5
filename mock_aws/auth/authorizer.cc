#include "mock_aws/auth/authorizer.h"

namespace ibsim::mock_aws::auth {

sim::AwsError access_denied(std::string code, int http_status, const AuthzResult& result) {
  sim::AwsError e = sim::aws_error(std::move(code), result.message, http_status);
  e.explanation = result.explanation;
  return e;
}

}  // namespace ibsim::mock_aws::auth
