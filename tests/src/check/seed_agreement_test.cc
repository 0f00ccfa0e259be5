// `check` and `run` agree on the seed library: every scenario of scenarios/seed/ is its own test
// ("Seed agreement: seed/<name>"), registered at start-up as the scenario tests are. For a
// scenario that creates a distribution configuration, the test derives the check's input from the
// scenario itself — the world as the steps before CreateDistributionConfiguration leave it (the
// key policy a step replaced, the role policy a step deleted), the configuration that step
// creates, the owner and region of its caller, and the AMI DistributeImage sends (or the recipe
// CreateImage builds) — runs `check` on it and runs the scenario, then requires:
//
// - the scenario passes its own expectations (so its run is the one its file describes);
// - `check` reports no error exactly when the run ends with every image AVAILABLE (or, when no
//   image is distributed, exactly when CreateDistributionConfiguration succeeds);
// - when CreateDistributionConfiguration fails, an InvalidDistributionConfiguration error with
//   its message;
// - for every failed distribution job, an error of the check for the same account (or the owner's
//   resource the job needs), the same region (or account-wide) and the same cause: the missing
//   role, the trust policy, the key policy, the role's identity policies (managed policy, KMS
//   inline policy, launch-template policy), the template's tag, PV support, the aws/ebs key.
//
// Scenarios where a static check has nothing to compare are listed in kNotCompared with the
// reason, which the test prints; any other scenario is compared, so a new one is never skipped in
// silence. docs/check.md lists the same.

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "src/check/check_input.h"
#include "src/check/preflight.h"
#include "src/check/report.h"
#include "src/scenario/report.h"
#include "src/scenario/runner.h"
#include "src/scenario/scenario.h"

namespace ibsim::check {
namespace {

namespace ib = mock_aws::api::imagebuilder;
using Json = nlohmann::json;
using scenario::Scenario;
using scenario::Step;

constexpr std::string_view kSeedRoot = IBSIM_SOURCE_DIR "/scenarios/seed";

// Seed scenarios the test does not compare, and why. `check_passes_run_fails` marks a documented
// disagreement that the test pins instead: the check must find nothing and the run must fail.
struct NotCompared {
  std::string_view reason;
  bool check_passes_run_fails = false;
};

const std::map<std::string_view, NotCompared>& not_compared() {
  static const std::map<std::string_view, NotCompared> kNotCompared = {
      {"encrypted-to-unencrypted-refused",
       {"no distribution: the owner calls ec2:CopyImage itself, and EC2 refuses the unencrypted "
        "copy when the call is made (the scenario checks API validation only)"}},
      {"key-disabled-mid-run",
       {"a mid-run fault: the us-west-2 key is disabled two minutes into the distribution; before "
        "that, the setup is sound, so the check finds nothing while the run fails",
        true}},
      {"missing-instance-profile",
       {"a build without a distribution configuration: its failure is the infrastructure "
        "configuration's instance profile, which `check` does not take"}},
      {"storage-not-shared",
       {"no distribution: the target account calls ec2:CopyImage itself on an AMI shared without "
        "its snapshot (Image Builder shares the snapshots it distributes)"}},
  };
  return kNotCompared;
}

// Test name ("Seed agreement: seed/unencrypted-happy-path") -> file. Filled before Catch runs.
std::map<std::string, std::string>& seed_files() {
  static std::map<std::string, std::string> files;
  return files;
}

bool is_call(const Step& s, std::string_view service, std::string_view operation) {
  return s.kind == Step::Kind::kCall && s.call.service_name == service
         && s.call.operation == operation;
}

// The step that saves `reference` ("${config}"), or nullopt.
std::optional<std::size_t> saving_step(const Scenario& s, const Json& reference) {
  if (!reference.is_string()) {
    return std::nullopt;
  }
  const std::vector<std::string> refs = scenario::references_in(reference.get<std::string>());
  if (refs.size() != 1) {
    return std::nullopt;
  }
  for (std::size_t i = 0; i < s.steps.size(); ++i) {
    for (const auto& [name, path] : s.steps[i].call.save) {
      if (s.steps[i].kind == Step::Kind::kCall && name == refs[0]) {
        return i;
      }
    }
  }
  return std::nullopt;
}

// What the test compares in one scenario: the CreateDistributionConfiguration step, the steps
// that distribute with it, and what they distribute.
struct Plan {
  std::size_t config_step = 0;
  std::vector<std::size_t> distribute_steps;
  std::optional<std::size_t> recipe_step;  // CreateImageRecipe of a CreateImage.
};

// Derives the plan, or says why the scenario cannot be compared as it is written.
std::string derive(const Scenario& s, Plan& plan) {
  std::optional<std::size_t> config;
  for (std::size_t i = 0; i < s.steps.size(); ++i) {
    const Step& step = s.steps[i];
    if (is_call(step, "imagebuilder", "CreateImagePipeline")
        || is_call(step, "imagebuilder", "StartImagePipelineExecution")) {
      return "distributes through a pipeline, which this test does not derive yet: teach it "
             "(seed_agreement_test.cc) or list the scenario in kNotCompared";
    }
    const bool distributes = is_call(step, "imagebuilder", "DistributeImage")
                             || (is_call(step, "imagebuilder", "CreateImage")
                                 && step.call.input.contains("distributionConfigurationArn"));
    if (!distributes) {
      continue;
    }
    if (step.at.has_value()) {
      return step.path + " distributes at a scheduled time, which this test does not derive";
    }
    const auto from = saving_step(s, step.call.input.value("distributionConfigurationArn", Json()));
    if (!from.has_value()
        || !is_call(s.steps[*from], "imagebuilder", "CreateDistributionConfiguration")) {
      return step.path + " distributes with a configuration no CreateDistributionConfiguration "
                         "step of the scenario saves";
    }
    if (config.has_value() && *config != *from) {
      return "the scenario distributes with two configurations; this test compares one";
    }
    config = from;
    plan.distribute_steps.push_back(i);
    if (step.call.operation == "CreateImage") {
      const auto recipe = saving_step(s, step.call.input.value("imageRecipeArn", Json()));
      if (!recipe.has_value() || !is_call(s.steps[*recipe], "imagebuilder", "CreateImageRecipe")) {
        return step.path + " builds a recipe no CreateImageRecipe step of the scenario saves";
      }
      plan.recipe_step = recipe;
    }
  }
  if (!config.has_value()) {
    // No distribution: the first configuration the scenario creates, which the check validates.
    for (std::size_t i = 0; i < s.steps.size() && !config.has_value(); ++i) {
      if (is_call(s.steps[i], "imagebuilder", "CreateDistributionConfiguration")) {
        config = i;
      }
    }
  }
  if (!config.has_value()) {
    return "creates no distribution configuration: list it in kNotCompared with the reason";
  }
  plan.config_step = *config;
  // The check sees the world before the configuration is created; a step between that and the
  // distribution that changes the world (other than Image Builder resources) would be missed.
  const std::size_t last = plan.distribute_steps.empty() ? *config : plan.distribute_steps.front();
  for (std::size_t i = *config + 1; i < last; ++i) {
    const Step& step = s.steps[i];
    if (step.kind != Step::Kind::kCall || step.call.service_name != "imagebuilder") {
      return step.path + " changes the world between the configuration and the distribution, "
                         "which the check would not see";
    }
  }
  return {};
}

// The input of step `index` with its references resolved, as the run would send it.
Json input_of(const Scenario& s, std::size_t index) {
  Json input;
  const sim::Status st = scenario::inspect_before_step(
      s, index, {}, [&](mock_aws::services::World&, const Json& in) { input = in; });
  INFO((st.ok() ? std::string() : st.error().message));
  REQUIRE(st.ok());
  return input;
}

Report check_scenario(const Scenario& s, const Plan& plan) {
  const Step& config = s.steps[plan.config_step];
  CheckInput in;
  in.owner = config.call.as->account;
  in.source_region = config.call.region;
  if (!plan.distribute_steps.empty()) {
    const Step& first = s.steps[plan.distribute_steps.front()];
    if (first.call.operation == "DistributeImage") {
      in.source_image = input_of(s, plan.distribute_steps.front()).value("sourceImage", "");
    }
  }
  if (plan.recipe_step.has_value()) {
    const Json recipe = input_of(s, *plan.recipe_step);
    auto decoded = decode_image_recipe(recipe.dump(), s.steps[*plan.recipe_step].path);
    INFO((decoded.ok() ? std::string() : decoded.error().message));
    REQUIRE(decoded.ok());
    in.recipe = decoded->input;
    in.recipe_findings = decoded->findings;
    in.recipe_source = s.steps[*plan.recipe_step].path;
  }
  Report report;
  const sim::Status st = scenario::inspect_before_step(
      s, plan.config_step, {}, [&](mock_aws::services::World& world, const Json& input) {
        auto decoded = decode_distribution_configuration(input.dump(), config.path);
        INFO((decoded.ok() ? std::string() : decoded.error().message));
        REQUIRE(decoded.ok());
        in.distribution = decoded->input;
        in.distribution_findings = decoded->findings;
        in.distribution_source = config.path;
        report = run_check(world, in);
      });
  INFO((st.ok() ? std::string() : st.error().message));
  REQUIRE(st.ok());
  return report;
}

// The cause of a failure, in words both sides can name: the run's from the job's explanation
// (the authorizer's denial reason, or EC2's and KMS's error), the check's from its problem code.
// Identity-policy causes carry the denied action too: the managed policy (ec2:CopyImage), the KMS
// inline policy (kms:...) and the launch-template policy or tag (ec2:...LaunchTemplate...) are
// told apart by it.
struct Cause {
  std::string category;
  std::string action;  // The denied action, when the cause is a denial.
};

Cause run_cause(const ib::JobFailure& f) {
  const Json e = Json::parse(f.explanation, nullptr, /*allow_exceptions=*/false);
  if (e.is_discarded() || !e.is_object()) {
    return {"unexplained: " + f.aws_error, ""};
  }
  if (const auto d = e.find("denial"); d != e.end() && d->is_object()) {
    const std::string reason = d->value("reason", "");
    const std::string action = d->contains("context") ? (*d)["context"].value("action", "") : "";
    if (reason == "RoleDoesNotExist") {
      return {"role missing", action};
    }
    if (reason == "TrustPolicyDoesNotAllow" || reason == "KeyPolicyDoesNotAllow") {
      return {reason == "TrustPolicyDoesNotAllow" ? "trust policy" : "key policy", action};
    }
    if (reason == "NoIdentityPolicyAllows") {
      return {"identity policy", action};
    }
    return {"denial: " + reason, action};
  }
  const Json error = e.value("error", Json::object());
  const std::string code = error.value("code", "");
  const std::string message = error.value("message", "");
  if (message.find("AWS Managed CMK") != std::string::npos) {
    return {"aws/ebs key", ""};
  }
  if (message.find("paravirtual") != std::string::npos) {
    return {"PV region", ""};
  }
  if (code == "DisabledException") {
    return {"key disabled", ""};
  }
  return {"error: " + code, ""};
}

std::string check_category(const Problem& p) {
  static const std::map<std::string_view, std::string_view> kCategories = {
      {"CrossAccountRoleMissing", "role missing"},
      {"TrustPolicyDoesNotAllow", "trust policy"},
      {"KeyPolicyDoesNotAllow", "key policy"},
      {"IdentityPolicyDoesNotAllow", "identity policy"},
      {"ManagedPolicyNotAttached", "identity policy"},
      {"LaunchTemplateNotTagged", "identity policy"},
      {"AwsManagedKeyNotShareable", "aws/ebs key"},
      {"ParavirtualNotSupported", "PV region"},
      {"KmsKeyDisabled", "key disabled"},
  };
  const auto it = kCategories.find(p.code);
  return it == kCategories.end() ? "check: " + p.code : std::string(it->second);
}

// The problem is an error of the check that explains the failed job: the same cause, the same
// region (or account-wide), and the job's account — the problem's own, the account a denial acts
// for, or the owner's when the owner's resource (its key, its AMI) is at fault.
bool explains(const Problem& p,
              const ib::JobFailure& f,
              const Cause& cause,
              std::string_view owner) {
  if (p.severity != Severity::kError || check_category(p) != cause.category) {
    return false;
  }
  bool region = p.region.empty() || p.region == f.region.str();
  bool account = p.account == f.account_id.str() || p.account == owner;
  bool action = cause.action.empty();
  for (const Denial& d : p.denials) {
    region = region || d.region == f.region.str();
    account = account || d.principal.find(":" + f.account_id.str() + ":") != std::string::npos;
    action = action || d.action == cause.action;
  }
  return region && account && action;
}

void compare_registered_scenario() {
  const std::string name = Catch::getResultCapture().getCurrentTestName();
  const std::string& file = seed_files().at(name);
  const std::string short_name = name.substr(name.rfind('/') + 1);
  sim::Result<Scenario> s = scenario::load_scenario_file(file);
  INFO((s.ok() ? std::string() : s.error().message));
  REQUIRE(s.ok());
  Plan plan;
  const std::string why_not = derive(*s, plan);
  const auto listed = not_compared().find(short_name);
  if (listed != not_compared().end() && !listed->second.check_passes_run_fails) {
    WARN(short_name << ": not compared: " << listed->second.reason);
    return;
  }
  INFO(why_not);
  REQUIRE(why_not.empty());

  const Report report = check_scenario(*s, plan);
  const scenario::RunResult run = scenario::run_scenario(*s, {});
  INFO("check:\n" << render_text(report));
  INFO("run:\n" << scenario::render_text({run}, {}));
  // The run is the one the scenario file describes.
  REQUIRE(run.status == scenario::RunStatus::kPass);
  const std::string& config_outcome = run.steps[plan.config_step].outcome;
  bool run_ok = config_outcome == "ok";
  std::vector<ib::JobFailure> failures;
  if (!plan.distribute_steps.empty()) {
    REQUIRE(run.images.size() == plan.distribute_steps.size());
    for (const scenario::ImageOutcome& image : run.images) {
      INFO("image " << image.arn << ": " << image.status << " " << image.reason);
      run_ok = run_ok && image.status == "AVAILABLE";
      failures.insert(failures.end(), image.failures.begin(), image.failures.end());
    }
  }
  if (listed != not_compared().end()) {
    WARN(short_name << ": expected disagreement: " << listed->second.reason);
    CHECK(report.ok());
    CHECK_FALSE(run_ok);
    return;
  }
  CHECK(report.ok() == run_ok);
  if (config_outcome != "ok") {
    // CreateDistributionConfiguration refused: the check names the same refusal.
    bool found = false;
    for (const Problem& p : report.problems) {
      const std::string message = p.aws_error.substr(p.aws_error.find(": ") + 2);
      found = found
              || (p.code == "InvalidDistributionConfiguration"
                  && config_outcome.find(message) != std::string::npos);
    }
    INFO("CreateDistributionConfiguration: " << config_outcome);
    CHECK(found);
  }
  const std::string owner = s->steps[plan.config_step].call.as->account.str();
  std::set<std::string> failed_accounts;
  for (const ib::JobFailure& f : failures) {
    failed_accounts.insert(f.account_id.str());
    const Cause cause = run_cause(f);
    bool found = false;
    for (const Problem& p : report.problems) {
      found = found || explains(p, f, cause, owner);
    }
    INFO("failed job: " << f.account_id.str() << " " << f.region.str() << " " << f.step << " ("
                        << cause.category << (cause.action.empty() ? "" : " " + cause.action)
                        << "): " << f.aws_error);
    CHECK(found);
  }
  // And no false alarm: every error of the check is in an account whose jobs failed, or is the
  // owner's (its configuration, its keys and AMIs serve every job).
  if (!failures.empty()) {
    for (const Problem& p : report.problems) {
      INFO("check error " << p.code << " in " << p.account << " " << p.region);
      CHECK((p.severity != Severity::kError || p.account == owner
             || failed_accounts.contains(p.account)));
    }
  }
}

struct Registrar {
  Registrar() {
    auto files = scenario::find_scenario_files(std::string(kSeedRoot));
    if (!files.ok()) {
      return;
    }
    for (const std::string& f : *files) {
      std::string name = f.substr(kSeedRoot.size() + 1);
      name =
          "Seed agreement: seed/" + name.substr(0, name.size() - std::string_view(".json").size());
      seed_files().emplace(name, f);
      REGISTER_TEST_CASE(compare_registered_scenario, name, "[check][seed]");
    }
  }
};

const Registrar kRegistrar;

TEST_CASE("Seed agreement: every scenario not compared is a seed scenario", "[check]") {
  for (const auto& [name, entry] : not_compared()) {
    INFO(name << " is listed as not compared but scenarios/seed has no such file");
    CHECK(seed_files().contains("Seed agreement: seed/" + std::string(name)));
    CHECK(!entry.reason.empty());
  }
  CHECK(seed_files().size() >= 20);
}

}  // namespace
}  // namespace ibsim::check
