#pragma once
// Scenario files (docs/scenario-format.md): a world, the principals that act in it, steps (API
// calls as a principal with their expected outcome, time advances, settling, calls scheduled at
// a virtual time) and the expectations checked at the end. Loading is strict and static: unknown
// keys, wrong types, malformed durations, `${name}` references that no earlier step saves,
// operations the dispatcher does not serve and input members the operation does not have are
// errors naming the file, the JSON path and what was expected. What needs the world (accounts,
// users, roles, regions, keys, launch templates) is checked by check_against_world() once the
// world is loaded.
//
//   sim::Result<Scenario> s = load_scenario_file("scenarios/seed/happy-path.json");

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock_aws/api/ids.h"
#include "mock_aws/protocol/document.h"
#include "mock_aws/protocol/shape_model.h"
#include "mock_aws/services/world.h"
#include "sim/base/result.h"
#include "sim/time.h"
#include "src/scenario/strict_json.h"

namespace ibsim::scenario {

struct ScenarioLimits {
  static constexpr std::size_t kFileBytesMax = 16 << 20;
  static constexpr std::size_t kStepsMax = 10'000;
  static constexpr std::size_t kExpectationsMax = 10'000;
  static constexpr std::size_t kPrincipalsMax = 1'000;
  static constexpr std::size_t kRegressionSeedsMax = 1'000;
  static constexpr std::size_t kTagsMax = 64;
  // How deep a chain of assumed roles may go ({"assumeRole", "as": {"assumeRole", ...}}).
  static constexpr int kRoleChainMax = 8;
  // The longest virtual time a duration in a scenario may name.
  static constexpr sim::Duration kDurationMax = sim::Duration::days(3650);
};

// "30m", "1h30m", "2d", "45s", "500ms" -> Duration; nullopt when malformed or out of range.
std::optional<sim::Duration> parse_duration(std::string_view text);
// The shortest rendering parse_duration reads back: "1h30m", "0s", "2m5.250s".
std::string duration_text(sim::Duration d);

// Who makes a call: an account's root, an IAM user of the world, or a session of a role assumed
// through STS by another principal (which may itself be a session).
struct PrincipalSpec {
  enum class Kind : uint8_t { kRoot, kUser, kAssumedRole };
  Kind kind = Kind::kRoot;
  mock_aws::api::AccountId account;
  std::string arn;  // Root, user or role ARN.
  std::string session_name;
  std::shared_ptr<const PrincipalSpec> via;  // kAssumedRole: who assumes the role.
  std::string label;                         // The name in `principals`, or the ARN.
  std::string path;                          // JSON path where it was written.
};

// What a call step must answer.
struct OutcomeExpectation {
  enum class Kind : uint8_t { kOk, kAnyError, kError };
  Kind kind = Kind::kOk;
  std::string code;                           // kError
  std::vector<std::string> message_contains;  // kError/kAnyError
  std::string path;
};

struct CallStep {
  mock_aws::protocol::ServiceId service = mock_aws::protocol::ServiceId::kImageBuilder;
  std::string service_name;  // "imagebuilder"
  std::string operation;     // "CreateDistributionConfiguration"
  std::shared_ptr<const PrincipalSpec> as;
  mock_aws::api::Region region;
  mock_aws::protocol::Document input = mock_aws::protocol::Document::object();
  OutcomeExpectation expect;
  std::vector<std::pair<std::string, std::string>> save;  // name -> output path
};

struct Step {
  enum class Kind : uint8_t { kCall, kAdvance, kRunUntilSettled };
  Kind kind = Kind::kCall;
  std::string path;                 // "$.steps[3]"
  std::string note;                 // Optional words for the timeline.
  std::optional<sim::Duration> at;  // kCall only: run at this virtual time (a scheduled step).
  CallStep call;
  sim::Duration duration;  // kAdvance: how far; kRunUntilSettled: the limit.
};

struct ImageExpectation {
  std::string path;
  std::string image;  // Build version ARN, usually "${ref}".
  std::optional<std::string> status;
  std::vector<std::string> reason_contains;
  std::vector<std::string> reason_not_contains;
  std::optional<int64_t> output_amis;
};

struct AmiExpectation {
  std::string path;
  mock_aws::api::AccountId account;
  mock_aws::api::Region region;
  std::optional<std::string> image;         // One AMI by id (refs allowed).
  std::optional<int64_t> count;             // AMIs made during the run that match; "none" is 0.
  std::optional<std::string> state;         // pending | available | failed
  std::optional<std::string> name_pattern;  // Glob: * and ?
  std::optional<bool> encrypted;
  std::optional<std::string> kms_key;  // As written; resolved against the world.
  std::string kms_key_arn;             // Resolved by check_against_world().
};

struct LaunchTemplateExpectation {
  std::string path;
  mock_aws::api::AccountId account;
  mock_aws::api::Region region;
  std::string launch_template;  // Id or name.
  std::optional<int64_t> default_version;
  std::optional<int64_t> latest_version;
  // The ImageId of the default / latest version: "new" (an AMI this run made in that account and
  // region), or an AMI id (refs allowed).
  std::optional<std::string> default_image;
  std::optional<std::string> latest_image;
};

struct SsmParameterExpectation {
  std::string path;
  mock_aws::api::AccountId account;
  mock_aws::api::Region region;
  std::string name;
  std::optional<std::string> value;  // "new" as for launch templates, or the literal value.
  bool absent = false;
};

struct PeakCopiesExpectation {
  std::string path;
  std::optional<mock_aws::api::AccountId> account;  // Absent: every account.
  std::optional<mock_aws::api::Region> region;      // Absent: every region.
  std::optional<int64_t> at_most;
  std::optional<int64_t> at_least;
};

struct Expectations {
  std::vector<ImageExpectation> images;
  std::vector<AmiExpectation> amis;
  std::vector<LaunchTemplateExpectation> launch_templates;
  std::vector<SsmParameterExpectation> ssm_parameters;
  std::vector<PeakCopiesExpectation> peak_copies;
  std::optional<PeakCopiesExpectation> peak_copies_in_flight;  // Engine-wide.
  std::optional<sim::Duration> settled_by;
  std::optional<int64_t> retries_at_least;  // Engine retries (throttling, caps, 5xx).
};

// Bounds of the distribution engine a scenario may set (src/engine/engine_options.h).
struct EngineSettings {
  std::optional<int64_t> copies_in_flight_max;
  std::optional<int64_t> copies_per_account_region_max;
  std::optional<int64_t> retry_attempts_max;
  std::optional<sim::Duration> poll_interval;
  std::optional<sim::Duration> backoff_base;
  std::optional<sim::Duration> backoff_max;
};

struct Scenario {
  std::string file;   // As given (for replay lines).
  std::string group;  // The folder it lives in ("seed").
  std::string name;
  std::string description;
  std::vector<std::string> tags;
  uint64_t seed = 1;
  std::vector<uint64_t> regression_seeds;
  Json world;                // The world document.
  std::string world_source;  // Where it came from, for messages.
  std::map<std::string, std::shared_ptr<const PrincipalSpec>> principals;
  EngineSettings engine;
  std::vector<Step> steps;
  Expectations expect;
};

// Parses a scenario. `source` names it in messages; `base_dir` resolves a world given by path.
sim::Result<Scenario> load_scenario_text(std::string_view text,
                                         std::string_view source,
                                         const std::string& base_dir);
sim::Result<Scenario> load_scenario_file(const std::string& path);

// The checks that need the loaded world: principals' accounts, users and roles exist; every
// region named is enabled; accounts and KMS keys of expectations exist (resolving kms_key_arn);
// launch templates named exist. Errors name the scenario file and the JSON path.
sim::Status check_against_world(Scenario& scenario, mock_aws::services::World& world);

// Scenario files under `path` (a file, or a folder searched recursively for *.json outside
// folders named "worlds"), sorted; an error when a path does not exist.
sim::Result<std::vector<std::string>> find_scenario_files(const std::string& path);

// `${name}` references in `text`, in order ("$${" is a literal "${").
std::vector<std::string> references_in(std::string_view text);

// The keys each kind of scenario object accepts, by the name of its definition in
// scenarios/scenario.schema.json ("Scenario", "CallStep", "AmiExpectation", ...). The loader
// rejects every other key; a test keeps the schema's properties equal to these lists.
const std::map<std::string_view, std::vector<std::string_view>>& scenario_key_tables();

}  // namespace ibsim::scenario
