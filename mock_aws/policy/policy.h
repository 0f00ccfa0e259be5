#pragma once
// Policy: an IAM policy document parsed, validated for its kind and compiled once for fast
// evaluation (actions lower-cased and split into service and name, ARN globs pre-analysed,
// principals classified, condition values parsed). Parsing never throws: a bad document is a
// MalformedPolicyDocument error naming the statement and the element, an oversized one
// LimitExceeded. The kind decides what is legal: identity-like policies (identity, permissions
// boundary, session, SCP) may not name a Principal; resource, key and trust policies must; trust
// policies allow only sts:AssumeRole-family actions and no Resource.
//
//   sim::Result<Policy> p = parse_policy(text, PolicyKind::kKey, {.name = "KeyPolicy"});

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mock_aws/policy/condition.h"
#include "mock_aws/policy/pattern.h"
#include "sim/base/result.h"

namespace ibsim::mock_aws::policy {

enum class PolicyKind : std::uint8_t {
  kIdentity,             // Attached to a user, group or role (inline or managed).
  kResource,             // A resource-based policy: S3 bucket, SQS queue, ...
  kKey,                  // A KMS key policy: must itself allow the principal or its account.
  kTrust,                // A role trust policy: must itself allow the principal.
  kPermissionsBoundary,  // Caps an identity's permissions.
  kSession,              // Passed to AssumeRole: caps the session.
  kServiceControl,       // AWS Organizations SCP: caps the accounts below it.
};

std::string_view to_string(PolicyKind kind);
bool is_resource_kind(PolicyKind kind);  // kResource, kKey, kTrust: have a Principal.

enum class Effect : std::uint8_t { kAllow, kDeny };

std::string_view to_string(Effect effect);

// Policy sizes are service quotas, not language rules: IAM counts characters without whitespace.
struct PolicyLimits {
  static constexpr std::size_t kTrustChars = 2048;           // IAM ACLSizePerRole (default).
  static constexpr std::size_t kManagedChars = 6144;         // IAM PolicySize.
  static constexpr std::size_t kInlineRoleChars = 10240;     // IAM inline policies per role.
  static constexpr std::size_t kSessionChars = 2048;         // STS inline session policy.
  static constexpr std::size_t kKeyChars = 32768;            // KMS key policy.
  static constexpr std::size_t kResourceChars = 20480;       // S3 bucket policy.
  static constexpr std::size_t kServiceControlChars = 5120;  // Organizations SCP.
  static constexpr std::size_t kTextBytesMax = 131072;       // Longest document text accepted.
  static constexpr std::size_t kJsonDepthMax = 8;            // A valid policy nests 6 deep.
  static constexpr std::size_t kStatementsMax = 512;
  static constexpr std::size_t kValuesPerElementMax = 1024;
  static constexpr std::size_t kConditionsPerStatementMax = 128;
};

std::size_t default_max_size_chars(PolicyKind kind);

struct ParseOptions {
  std::string name;                // Shown in explanations: "inline:KmsUse", a managed policy ARN.
  std::size_t max_size_chars = 0;  // 0: default_max_size_chars(kind).
  // Error code for an oversized document: IAM says LimitExceeded; KMS callers re-map.
  std::string size_error_code = "LimitExceeded";
};

enum class PrincipalEntryKind : std::uint8_t {
  kEveryone,       // "*" or {"AWS": "*"}
  kAccount,        // "111122223333" or arn:aws:iam::111122223333:root — delegates to the account
  kUser,           // arn:aws:iam::111122223333:user/path/name
  kRole,           // arn:aws:iam::111122223333:role/path/name — matches the role's sessions
  kSession,        // arn:aws:sts::111122223333:assumed-role/name/session
  kFederatedUser,  // arn:aws:sts::111122223333:federated-user/name
  kUniqueId,       // AIDA... (user) or AROA... (role), what IAM stores for deleted principals
  kService,        // {"Service": "imagebuilder.amazonaws.com"}
  kFederated,      // {"Federated": ...}
  kCanonicalUser,  // {"CanonicalUser": ...}
};

struct PrincipalEntry {
  PrincipalEntryKind kind = PrincipalEntryKind::kEveryone;
  std::string value;     // Normalised: the account id for kAccount, else as written.
  std::string type_key;  // "AWS", "Service", "Federated", "CanonicalUser" or "*".
  std::string text;      // As written.
};

struct PrincipalSpec {
  enum class Mode : std::uint8_t { kAbsent, kPrincipal, kNotPrincipal };
  Mode mode = Mode::kAbsent;
  std::vector<PrincipalEntry> entries;
};

struct ActionPattern {
  bool any = false;     // "*"
  std::string service;  // Lower-case prefix; empty when the prefix itself has wildcards.
  Pattern pattern;      // The name (or the whole action when `service` is empty), lower-case.
  std::string text;     // As written.
};

struct Statement {
  std::uint32_t index = 0;  // Position in the Statement array (0-based).
  std::string sid;
  Effect effect = Effect::kAllow;
  bool not_action = false;
  std::vector<ActionPattern> actions;
  bool has_resource = false;  // False: no Resource/NotResource (trust policies, some resources).
  bool not_resource = false;
  std::vector<ArnPattern> resources;
  PrincipalSpec principal;
  std::vector<Condition> conditions;
  std::string json;  // The statement as compact JSON, for explanations.
};

class Policy {
 public:
  PolicyKind kind() const { return kind_; }

  const std::string& name() const { return name_; }

  const std::string& version() const { return version_; }

  const std::string& id() const { return id_; }

  // Variables are policy variables only under Version 2012-10-17; otherwise literal text.
  bool supports_variables() const { return version_ == "2012-10-17"; }

  std::span<const Statement> statements() const { return statements_; }

 private:
  friend sim::Result<Policy> parse_policy(std::string_view, PolicyKind, const ParseOptions&);

  PolicyKind kind_ = PolicyKind::kIdentity;
  std::string name_;
  std::string version_;
  std::string id_;
  std::vector<Statement> statements_;
};

sim::Result<Policy> parse_policy(std::string_view text,
                                 PolicyKind kind,
                                 const ParseOptions& options = {});

}  // namespace ibsim::mock_aws::policy
