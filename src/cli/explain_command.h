#pragma once
// `ibsim explain`: one authorization question in, the decision and its explanation out — either a
// JSON request on stdin (policy::explain_request's format; one per line with --jsonl), or the same
// question against a world file (--world FILE --principal ARN --action A --resource ARN), where the
// principal's policies, boundary and SCPs come from the world and sts:AssumeRole on a role uses
// the role's trust policy.

#include <span>
#include <string>
#include <string_view>

namespace ibsim::cli {

extern const std::string_view kExplainUsage;

int run_explain(std::span<const std::string> args);

}  // namespace ibsim::cli
