#pragma once
// What `ibsim check` finds: Problems, each with where it is (account, region, the role, key or
// template), what fails (the requests that are denied and AWS's error text as the distribution
// would show it) and Fixes (the policy statement to add to which policy of which role or key, or a
// concrete change: tag a template, attach a managed policy, create a role, use a customer managed
// key, edit the configuration). Rendered as text for a terminal (one screen for a typical setup,
// every fix as pasteable JSON) or as JSON for tools.
//
//   std::fputs(render_text(report).c_str(), stdout);

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ibsim::check {

enum class Severity : std::uint8_t {
  kError,    // The distribution fails.
  kWarning,  // AWS documents it as needed; ibsim's distribution does not exercise it.
  kNote,     // Information: settings that are not simulated, assumptions the check made.
};

std::string_view to_string(Severity severity);  // "error", "warning", "note"

struct Fix {
  // "AddStatement", "RemoveStatement", "AttachPolicy", "CreateRole", "TagResource",
  // "EditConfiguration", "EditRecipe", "UseCustomerManagedKey", "EnableKey", "CreateKey",
  // "CreateLaunchTemplate", "AddAccount".
  std::string kind;
  std::string side;       // Policy fixes: "identity", "resource", "boundary", "session", "scp".
  std::string policy;     // "the trust policy", "the key policy", "an identity-based policy", ...
  std::string policy_of;  // The role, key or template ARN; the file path for input edits.
  std::string account;    // Where the change is made.
  std::string region;     // Empty for global resources (IAM).
  std::string statement_json;  // A statement (or a whole policy for CreateRole), compact JSON.
  std::string text;            // One sentence.
};

// One request the distribution makes that the policies deny.
struct Denial {
  std::string principal;  // The session ARN the engine acts as.
  std::string action;
  std::string resource;
  std::string region;
  std::string message;  // AWS's AccessDenied text.
};

struct Problem {
  Severity severity = Severity::kError;
  std::string code;        // Stable identifier, e.g. "TrustPolicyDoesNotAllow".
  std::string title;       // One sentence.
  std::string account;     // Where: the account holding the resource at fault.
  std::string region;      // Empty when account-wide (IAM).
  std::string resource;    // The role, key, template or input path concerned.
  std::string acting_as;   // The principal whose request fails, if any.
  std::string needed_for;  // Which step of the distribution needs it.
  std::string aws_error;   // The error as the distribution (Image Builder) would report it.
  std::string near_miss;   // A statement that almost allows, and what stops it.
  std::vector<Denial> denials;
  std::vector<Fix> fixes;
};

struct Report {
  std::string owner;
  std::string source_region;
  std::string source;  // What the distributed AMI is: "recipe app (parent ami-...)", ...
  std::size_t regions = 0;
  std::size_t target_accounts = 0;
  std::size_t requests_checked = 0;
  std::vector<Problem> problems;  // Errors first, then warnings, then notes; stable otherwise.

  std::size_t count(Severity severity) const;

  bool ok() const { return count(Severity::kError) == 0; }
};

// A policy statement laid out for reading and pasting: one member per line, short arrays inline.
std::string format_statement(std::string_view compact_json, std::string_view indent);

std::string render_text(const Report& report);
std::string render_json(const Report& report);

}  // namespace ibsim::check
