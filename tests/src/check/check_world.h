#pragma once
// Worlds and configurations for the check tests, as the JSON files users write: an owner account
// with customer managed keys and a source AMI, target accounts with the cross-account role of
// AWS's page (each piece optional), launch templates; a distribution configuration over chosen
// regions. Plus the two things the tests do with them: run `check` (run_check on a loaded world)
// and run the real distribution (Image Builder's DistributeImage through the engine and the
// models), and apply the fixes a check proposes to the world file.
//
//   Setup s; s.managed_policy = false;
//   Outcome run = distribute(world_json(s), distribution_json({}), kSourceAmi);

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/check/report.h"

namespace ibsim::check::testing {

using Json = nlohmann::json;

inline constexpr std::string_view kOwner = "111122223333";
inline constexpr std::string_view kTarget = "444455556666";
inline constexpr std::string_view kTarget2 = "777788889999";
inline constexpr std::string_view kEast = "us-east-1";
inline constexpr std::string_view kWest = "us-west-2";
inline constexpr std::string_view kOhio = "us-east-2";  // No paravirtual support.
inline constexpr std::string_view kSourceAmi = "ami-0a0000000000000a1";
inline constexpr std::string_view kTemplateId = "lt-0b0000000000000b1";
inline constexpr std::string_view kEastKeyId = "1111aaaa-1111-4111-8111-111111111111";
inline constexpr std::string_view kWestKeyId = "2222bbbb-2222-4222-8222-222222222222";

std::string east_key_arn();
std::string west_key_arn();

// The account setup. Defaults: everything AWS's cross-account page asks for is in place.
struct Setup {
  bool role = true;               // The target's EC2ImageBuilderDistributionCrossAccountRole.
  bool trust_source = true;       // Its trust policy names the owner.
  bool managed_policy = true;     // Ec2ImageBuilderCrossAccountDistributionAccess attached.
  bool kms_inline_policy = true;  // The inline KMS policy.
  bool launch_template_policy = true;
  bool key_policy_allows_target = true;  // The owner's keys let the target use them.
  bool encrypted_source = true;          // The source AMI under the owner's us-east-1 key.
  bool aws_ebs_source = false;           // The source AMI under aws/ebs instead.
  bool paravirtual_source = false;
  bool launch_template = false;        // A template in the target's us-east-1.
  bool launch_template_tagged = true;  // Tagged CreatedBy = EC2 Image Builder.
  bool second_target = false;          // A second target account, fully set up.
};

Json world_json(const Setup& setup);

// The distribution configuration. Defaults: us-east-1 and us-west-2, both to the target, the
// us-west-2 copy under the owner's us-west-2 key.
struct Distribution {
  std::vector<std::string> regions = {std::string(kEast), std::string(kWest)};
  std::vector<std::string> targets = {std::string(kTarget)};
  bool west_key = true;          // kmsKeyId of us-west-2.
  bool build_date = true;        // The AMI name carries {{ imagebuilder:buildDate }}.
  bool launch_template = false;  // launchTemplateConfigurations in us-east-1 for the target.
  bool set_default_version = true;
};

Json distribution_json(const Distribution& d);

// `ibsim check` on these inputs (source region us-east-1, owner kOwner, the source AMI).
Report check(const Json& world,
             const Json& distribution,
             std::string_view source_image = kSourceAmi);

// The real distribution: CreateDistributionConfiguration, then DistributeImage of the source
// AMI, run until the image settles.
struct JobFailure {
  std::string account;
  std::string region;
  std::string step;
  std::string aws_error;
  std::string explanation;
};

struct Outcome {
  bool created = false;      // CreateDistributionConfiguration succeeded.
  std::string create_error;  // Its error otherwise.
  std::string status;        // The image's final status.
  std::string reason;
  std::vector<JobFailure> failures;

  bool succeeded() const { return created && status == "AVAILABLE"; }
};

Outcome distribute(const Json& world,
                   const Json& distribution,
                   std::string_view source_image = kSourceAmi);

// The world with a fix applied: AddStatement (identity: a new inline policy of the role;
// resource: appended to the key or trust policy), AddPolicy, AttachPolicy, TagResource,
// CreateRole.
// Returns false for fixes it cannot apply (a configuration edit).
bool apply_fix(Json& world, const Fix& fix);

// Problems of a code; those of a severity.
std::vector<const Problem*> with_code(const Report& r, std::string_view code);
std::string describe(const Report& r);

}  // namespace ibsim::check::testing
