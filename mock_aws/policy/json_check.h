#pragma once
// Pre-checks on untrusted JSON before the policy engine builds or walks a document: a streaming
// (SAX) pass over text that reports the first syntax error with its line and column, rejects
// nesting deeper than a bound and duplicate object keys (naming the path), and an iterative depth
// check for values that arrive already parsed. Nothing here recurses on input, and nothing throws.
//
//   JsonCheck c = check_json_text(text, PolicyLimits::kJsonDepthMax);
//   if (!c.ok) return malformed(c.message);

#include <cstddef>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ibsim::mock_aws::policy {

struct JsonCheck {
  bool ok = true;
  std::string message;  // Why not, with a path or position.
};

// Unconfirmed: IAM may accept duplicate keys and keep the last; ibsim rejects them so a shadowed
// Condition block or Effect cannot go unnoticed.
JsonCheck check_json_text(std::string_view text, std::size_t max_depth);

// True when `value` nests no deeper than max_depth (a scalar is depth 0, {} or [] depth 1).
bool json_depth_within(const nlohmann::json& value, std::size_t max_depth);

// dump() that never throws (invalid UTF-8 is replaced).
std::string dump_json(const nlohmann::json& value, int indent = -1);

}  // namespace ibsim::mock_aws::policy
