#pragma once
// World files: a strict JSON description of the accounts, regions and IAM state a run starts from
// (docs/world-format.md), loaded into a services::World. Unknown keys are errors naming their JSON
// path, references must resolve (an attached policy ARN, a role in an instance profile), and every
// error reads "FILE: $.path: what was expected" — never a crash.
//
// Account-level sections are a table: each has a key ("roles"), a phase (sections load phase by
// phase across all accounts, so policies exist before roles attach them) and a loader. Later
// steps add "kms", "ec2", "launchTemplates", "ssm" with add_account_section().
//
//   services::World world(ctx);
//   if (auto s = load_world_file("worlds/two-accounts.json", world); !s.ok()) print(s.error());

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "mock_aws/api/ids.h"
#include "mock_aws/services/world.h"
#include "sim/base/result.h"
#include "src/scenario/strict_json.h"

namespace ibsim::scenario {

struct WorldFileLimits {
  static constexpr std::size_t kFileBytesMax = 16 << 20;
  static constexpr std::size_t kEntriesPerSectionMax = 10'000;
  static constexpr std::size_t kListItemsMax = 1'000;
};

// The phases of the built-in sections; extensions pick their own (ordered by number).
enum class LoadPhase : int {
  kManagedPolicies = 10,    // "policies"
  kIdentities = 20,         // "users", "roles", "rootAccessKeys"
  kInstanceProfiles = 30,   // "instanceProfiles"
  kOrganizations = 40,      // "serviceControlPolicies"
  kServiceResources = 100,  // kms, ec2, launchTemplates, ssm (added by later steps)
};

// What a section loader gets: the world, the account, the section's JSON value and its path
// ("$.accounts[\"111122223333\"].roles" style, via join_path).
struct AccountSectionInput {
  mock_aws::services::World& world;
  const mock_aws::api::AccountId& account;
  const Json& node;
  const std::string& path;
};

struct AccountSection {
  std::string key;
  LoadPhase phase = LoadPhase::kServiceResources;
  // Errors are input_error(path, ...) values; the loader prefixes the file name.
  sim::Status (*load)(const AccountSectionInput& in) = nullptr;
};

// The IAM sections: policies, users, roles, rootAccessKeys, instanceProfiles,
// serviceControlPolicies.
std::vector<AccountSection> iam_account_sections();

// A top-level section besides "regions" and "accounts" (quotas, time models, ...): loaded after
// every account section, in registration order.
struct TopLevelSection {
  std::string key;
  sim::Status (*load)(mock_aws::services::World& world,
                      const Json& node,
                      const std::string& path) = nullptr;
};

class WorldLoader {
 public:
  WorldLoader();  // With iam_account_sections().

  // A section for a new account-level key; the key must not be taken.
  void add_account_section(AccountSection section);
  // A section for a new top-level key; the key must not be taken.
  void add_top_level_section(TopLevelSection section);

  sim::Status load(const Json& doc,
                   std::string_view source,
                   mock_aws::services::World& world) const;
  sim::Status load_text(std::string_view text,
                        std::string_view source,
                        mock_aws::services::World& world) const;
  sim::Status load_file(const std::string& path, mock_aws::services::World& world) const;

 private:
  sim::Status load_accounts(const Json* accounts,
                            const std::string& accounts_path,
                            mock_aws::services::World& world) const;

  std::vector<AccountSection> sections_;
  std::vector<TopLevelSection> top_level_;
};

// A WorldLoader with every section (IAM, the regional services, quotas: world_services.h).
sim::Status load_world_file(const std::string& path, mock_aws::services::World& world);
sim::Status load_world_text(std::string_view text,
                            std::string_view source,
                            mock_aws::services::World& world);

// A POLICY value of a world file — a JSON object or a string holding one — as policy text; an
// error names `path` otherwise.
sim::Result<std::string> policy_text(const Json& value, std::string_view path);

// An AWS error from a model, re-homed at a JSON path: "$.x.y: MalformedPolicyDocument: ...".
sim::AwsError at_path(std::string_view path, const sim::AwsError& error);

}  // namespace ibsim::scenario
