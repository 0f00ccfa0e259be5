// What the runner hands to tools beside the pass/fail verdict: the images the steps created with
// their final status and failed jobs (RunResult::images), and a scenario's world just before a
// chosen step (inspect_before_step), which the check-versus-run agreement test builds on.

#include "src/scenario/runner.h"

#include <string>

#include <catch2/catch.hpp>

#include "mock_aws/iam/iam_model.h"
#include "src/scenario/scenario.h"

namespace ibsim::scenario {
namespace {

const std::string kSeedDir = IBSIM_SOURCE_DIR "/scenarios/seed";
const mock_aws::api::AccountId kProd = mock_aws::api::AccountId::from_valid("444455556666");
constexpr std::string_view kRole = "EC2ImageBuilderDistributionCrossAccountRole";

Scenario seed(std::string_view name) {
  sim::Result<Scenario> s = load_scenario_file(kSeedDir + "/" + std::string(name) + ".json");
  INFO((s.ok() ? std::string() : s.error().message));
  REQUIRE(s.ok());
  return *s;
}

TEST_CASE("Runner: the result lists each image with its status and failed jobs", "[scenario]") {
  const RunResult ok = run_scenario(seed("unencrypted-happy-path"), {});
  REQUIRE(ok.images.size() == 1);
  CHECK(ok.images[0].arn.find(":image/") != std::string::npos);
  CHECK(ok.images[0].status == "AVAILABLE");
  CHECK(ok.images[0].failures.empty());

  const RunResult failed = run_scenario(seed("missing-role-in-one-target"), {});
  REQUIRE(failed.images.size() == 1);
  CHECK(failed.images[0].status == "FAILED");
  CHECK(failed.images[0].reason.find("Not all distribution jobs are completed")
        != std::string::npos);
  REQUIRE(failed.images[0].failures.size() == 1);
  CHECK(failed.images[0].failures[0].account_id.str() == "210987654321");
  CHECK(failed.images[0].failures[0].step == "AssumeRole");

  // Steps that create no image leave the list empty.
  CHECK(run_scenario(seed("storage-not-shared"), {}).images.empty());
}

TEST_CASE("Runner: inspect_before_step shows the world the earlier steps left", "[scenario]") {
  // Step 0 deletes the role's LaunchTemplates policy; step 1 creates the configuration that
  // step 2 (DistributeImage) names by reference.
  const Scenario s = seed("launch-template-without-policy");
  int calls = 0;
  bool before_delete = false;
  auto inspected = inspect_before_step(
      s, 0, {}, [&](mock_aws::services::World& world, const mock_aws::protocol::Document& input) {
        ++calls;
        const auto* role = world.iam().find_role(kProd, kRole);
        REQUIRE(role != nullptr);
        before_delete = role->inline_policies.contains("LaunchTemplates");
        CHECK(input.value("PolicyName", "") == "LaunchTemplates");
      });
  REQUIRE(inspected.ok());
  CHECK(calls == 1);
  CHECK(before_delete);

  bool after_delete = true;
  std::string config_arn;
  inspected = inspect_before_step(
      s, 2, {}, [&](mock_aws::services::World& world, const mock_aws::protocol::Document& input) {
        ++calls;
        after_delete =
            world.iam().find_role(kProd, kRole)->inline_policies.contains("LaunchTemplates");
        config_arn = input.value("distributionConfigurationArn", "");
      });
  REQUIRE(inspected.ok());
  CHECK(calls == 2);
  CHECK_FALSE(after_delete);
  // The reference is resolved to what step 1 saved.
  CHECK(
      config_arn.starts_with("arn:aws:imagebuilder:us-east-1:111122223333:"
                             "distribution-configuration/"));
}

TEST_CASE("Runner: inspect_before_step refuses a step that is not a call", "[scenario]") {
  const Scenario s = seed("launch-template-without-policy");
  bool called = false;
  auto use = [&](mock_aws::services::World&, const mock_aws::protocol::Document&) {
    called = true;
  };
  const sim::Status settle = inspect_before_step(s, 3, {}, use);  // runUntilSettled.
  REQUIRE_FALSE(settle.ok());
  CHECK(settle.error().message.find("not a call step") != std::string::npos);
  CHECK_FALSE(inspect_before_step(s, 4, {}, use).ok());  // Past the last step.
  CHECK_FALSE(called);
}

}  // namespace
}  // namespace ibsim::scenario
