#pragma once
// Reading a FaultPlan from JSON, strictly: unknown keys, wrong types, malformed durations and
// probabilities are errors that name the JSON path ("$.faults.rules[2].probability: expected a
// probability such as \"1/20\" or 0.05, got \"5%\""). The format (docs/load-testing.md):
//
//   {"rules": [{"name": "ec2-throttle",
//               "match": {"service": "ec2", "operation": "CopyImage",
//                         "account": "200000000007", "region": "eu-west-1"},
//               "kind": "throttle", "probability": "1/20", "window": ["10m", "2h"]}],
//    "outages": [{"region": "eu-west-1", "window": ["1h", "3h"], "copies": "stall"}],
//    "events": [{"at": "2h", "kind": "disable_key", "account": "100000000000",
//                "region": "us-east-1", "key": "alias/images"}],
//    "kms_retry_delay": "30s", "kms_attempts_max": 5}
//
//   sim::Result<FaultPlan> plan = read_fault_plan(json, "$.faults", {});

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "mock_aws/api/ids.h"
#include "sim/base/result.h"
#include "src/faults/fault_plan.h"

namespace ibsim::faults {

struct FaultPlanReadOptions {
  // Resolves an "account" value that is not a 12-digit id (the load tester's "source",
  // "target:17"); unset or nullopt: only 12-digit ids are accepted.
  std::function<std::optional<api::AccountId>(std::string_view)> account_alias;
};

// Reads and validates a plan; errors are InvalidInput with the JSON path in the message.
sim::Result<FaultPlan> read_fault_plan(const nlohmann::json& node,
                                       std::string_view path,
                                       const FaultPlanReadOptions& options);

}  // namespace ibsim::faults
