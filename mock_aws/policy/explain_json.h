#pragma once
// JSON front for `ibsim explain`: one request object in, one decision object out. The request
// names the policies (objects or JSON strings), the principal (an IAM/STS ARN, an account id or a
// service principal), the action, the resource and condition keys; the answer carries the decision,
// AWS's message and the explanation (deciding statements, per-statement trace, fixes). Malformed
// input is an error value naming the field — never an exception or a crash. docs/policy.md shows
// the format with real input and output.
//
//   sim::Result<nlohmann::json> out = explain_request(nlohmann::json::parse(line, nullptr, false));
//   std::string answer = explain_line(line);  // {"decision": ...} or {"error": {...}}

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sim/base/result.h"

namespace ibsim::mock_aws::policy {

struct ExplainLimits {
  static constexpr std::size_t kLineBytesMax = 1 << 20;
  static constexpr std::size_t kRequestDepthMax = 12;  // A request nests a policy 4 levels deep.
  static constexpr std::size_t kPoliciesPerListMax = 64;
  static constexpr std::size_t kServiceControlLevelsMax = 8;
  static constexpr std::size_t kContextKeysMax = 256;
  static constexpr std::size_t kContextValuesPerKeyMax = 256;
};

// Errors: InvalidInput (the request's shape) or the policy's own error (MalformedPolicyDocument,
// LimitExceeded), each message starting with the field it is about.
sim::Result<nlohmann::json> explain_request(const nlohmann::json& request);

// One line of JSON text in, one line of JSON text out: the answer, or {"error": {"code": ...,
// "message": ...}}.
std::string explain_line(std::string_view line);

// {"error": {"code": ..., "message": ...}}
nlohmann::json error_json(const sim::AwsError& error);

}  // namespace ibsim::mock_aws::policy
