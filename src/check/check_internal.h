#pragma once
// The check's private machinery, shared by preflight.cc (what the distribution needs, walked in
// plan order) and probes.cc (asking the world's authorizer about one request and turning denials
// into grouped problems). An Actor is a session the engine acts as; a Probe is one request it
// makes, with the condition keys the models would add; the Prober asks StsAuthorizer — the same
// object every model asks — and groups the fixes of its explanations per policy to edit, merging
// their statements so each problem carries one statement to paste.

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "mock_aws/api/ids.h"
#include "mock_aws/api/principal.h"
#include "mock_aws/auth/authorizer.h"
#include "mock_aws/policy/policy.h"
#include "mock_aws/services/world.h"
#include "src/check/report.h"

namespace ibsim::check::internal {

namespace api = mock_aws::api;

inline constexpr std::string_view kManagedPolicyArn =
    "arn:aws:iam::aws:policy/Ec2ImageBuilderCrossAccountDistributionAccess";
// The KMS operations EC2 makes for a caller during a copy or a launch (kms_ebs.h).
inline constexpr std::string_view kEbsContextKey = "aws:ebs:id";
// Unconfirmed: snapshot ids of copies that do not exist yet are unknown before the run; the
// encryption context's kms:EncryptionContext:aws:ebs:id is evaluated with this placeholder.
inline constexpr std::string_view kPlaceholderSnapshotId = "snap-00000000000000000";

// A session the engine acts as: Image Builder's service-linked role session of the owner, or a
// cross-account role session of another account.
struct Actor {
  api::Principal principal;
  std::string role_arn;
  bool service_linked = false;
  // False for a cross-account role that does not exist: its requests are still asked so that
  // what other accounts must allow (key policies) is listed at once; its own side is not.
  bool exists = true;
};

// One request of the distribution, with what the models would pass to the authorizer.
struct Probe {
  const Actor* actor = nullptr;
  api::Region region;       // The endpoint's region (aws:RequestedRegion).
  std::string via_service;  // "ec2.<region>.amazonaws.com" for EC2's KMS calls.
  std::string action;
  std::string resource;
  std::string resource_account;
  const mock_aws::policy::Policy* resource_policy = nullptr;
  std::vector<mock_aws::auth::ContextValue> keys;
  // For the report: the step that needs it, how Image Builder reports the failure, severity.
  std::string needed_for;
  std::string shown_as;
  Severity severity = Severity::kError;
};

// Groups denials into problems keyed by the policy to edit.
class Prober {
 public:
  // `sequence` orders problems across the check: each new group takes the next number.
  Prober(mock_aws::services::World& world, std::size_t& sequence)
      : world_(world), sequence_(sequence) {}

  // Asks the authorizer; a denial is recorded under each of its fixes. True when allowed.
  bool check(const Probe& probe);
  // The same question, answered without recording anything.
  mock_aws::auth::AuthzResult ask(const Probe& probe);

  std::size_t requests() const { return requests_; }

  // The grouped problems, each with the sequence number of its first denial.
  std::vector<std::pair<std::size_t, Problem>> problems() const;

 private:
  struct Group {
    std::size_t order = 0;
    Severity severity = Severity::kError;
    std::string code;
    std::string side;
    std::string policy;
    std::string policy_of;
    std::string policy_name;     // Explicit denies: the policy holding the Deny.
    std::string statement_json;  // Explicit denies: the Deny statement.
    std::string principal_json;  // Resource side: the Principal to name.
    std::string category;        // Identity side: "managed", "kms", "launch-template", ...
    std::string account;
    std::string region;
    std::string acting_as;
    std::string near_miss;
    std::string shown_as;
    std::vector<std::string> needed_for;
    std::vector<std::string> actions;    // Sorted, unique.
    std::vector<std::string> resources;  // In first-seen order, unique.
    std::vector<Denial> denials;
    bool role_is_service_linked = false;
  };

  Problem to_problem(const Group& g) const;

  mock_aws::services::World& world_;
  std::size_t& sequence_;
  std::size_t requests_ = 0;
  std::map<std::string, Group> groups_;
};

// The compiled key policy of a key (nullptr when the key or its policy is unknown); cached.
class KeyPolicies {
 public:
  explicit KeyPolicies(mock_aws::services::World& world) : world_(world) {}

  const mock_aws::policy::Policy* find(const std::string& key_arn);

 private:
  mock_aws::services::World& world_;
  std::map<std::string, std::unique_ptr<mock_aws::policy::Policy>> cache_;
};

// "kms:Decrypt" -> identity-side category of a cross-account role's missing permission.
std::string category_of(std::string_view action, std::string_view resource);

}  // namespace ibsim::check::internal
