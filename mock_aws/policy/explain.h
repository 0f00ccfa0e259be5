#pragma once
// Explained decisions: the Decision of evaluate() plus, for every statement of every policy, which
// parts matched (action, resource, principal, conditions — with the condition that failed and
// why), a one-paragraph summary, AWS's message, and Fixes: the statement to add (ready-to-paste
// JSON) or the deny to remove, with the policy to edit. `ibsim explain` prints these and
// `ibsim check` renders the fixes. Slower than evaluate(): use it when a decision must be shown.
//
//   Explanation e = explain(set, ctx);
//   for (const Fix& f : e.fixes) std::cout << f.text << "\n" << f.statement_json << "\n";

#include <string>
#include <vector>

#include "mock_aws/policy/evaluate.h"

namespace ibsim::mock_aws::policy {

struct StatementTrace {
  StatementRef ref;
  Effect effect = Effect::kAllow;
  StatementEvaluation result;
  std::string failed_condition;  // Why the first false condition is false ("" if none).
};

enum class FixKind : std::uint8_t {
  kAddAllowStatement,  // Add `statement_json` to the policy described by `side` and `policy_of`.
  kRemoveDeny,         // Remove or narrow the Deny statement `statement` of `policy_name`.
};

std::string_view to_string(FixKind kind);  // "AddAllowStatement", "RemoveDeny"

struct Fix {
  FixKind kind = FixKind::kAddAllowStatement;
  Side side = Side::kIdentity;
  // Where to make the change: the resource ARN for resource/key/trust policies, the principal's
  // ARN (the role for a session) for identity policies, boundaries and session policies, or
  // "organization" for SCPs.
  std::string policy_of;
  std::string policy_description;  // "the key policy", "an identity-based policy", ...
  std::string policy_name;         // kRemoveDeny: the policy holding the deny.
  std::string principal_key;       // kAddAllowStatement on the resource side: "AWS" or "Service".
  std::string principal;           // ... and the value to name there.
  std::string action;
  std::string resource;
  std::string statement_json;   // kAddAllowStatement: the statement to add, compact JSON.
  std::string statement_label;  // kRemoveDeny: which statement.
  std::string near_miss;        // A statement that almost allows, and what stops it.
  std::string text;             // One sentence for humans.
};

struct Explanation {
  Decision decision;
  std::string message;  // AWS's AccessDenied text; empty when allowed.
  std::string summary;  // Why, in words.
  std::vector<StatementTrace> statements;
  std::vector<Fix> fixes;  // Empty when allowed.
};

Explanation explain(const PolicySet& set, const RequestContext& ctx);

}  // namespace ibsim::mock_aws::policy
