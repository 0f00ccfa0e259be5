#pragma once
// Test helpers for the Image Builder model: an authorizer that allows everything except a
// deny-list of actions, a fake Workflow that answers builds and distributions after set virtual
// durations (success or a given failure), a CallContext for an account and region, and a Fixture
// that creates a complete recipe + infrastructure + distribution configuration set.
//
//   Fixture f;  auto arn = f.create_image();  f.ctx.scheduler().run();

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "mock_aws/api/call_context.h"
#include "mock_aws/api/imagebuilder_types.h"
#include "mock_aws/api/imagebuilder_workflow.h"
#include "mock_aws/api/principal.h"
#include "mock_aws/auth/authorizer.h"
#include "mock_aws/imagebuilder/imagebuilder_model.h"
#include "mock_aws/imagebuilder/imagebuilder_validation.h"
#include "sim/context.h"

namespace ibsim::mock_aws::imagebuilder::testing {

namespace ib = api::imagebuilder;

inline constexpr std::string_view kOwner = "111122223333";
inline constexpr std::string_view kTargetA = "123456789012";
inline constexpr std::string_view kTargetB = "987654321098";
inline constexpr std::string_view kRegion = "us-west-2";

// Allows every request except the actions (or action@resource pairs) in `denied`.
class DenyListAuthorizer final : public auth::Authorizer {
 public:
  std::set<std::string> denied;
  std::vector<std::pair<std::string, std::string>> calls;  // (action, resource)

  auth::AuthzResult authorize(const api::CallContext& ctx,
                              const auth::AuthzRequest& request) override {
    calls.emplace_back(std::string(request.action), std::string(request.resource));
    auth::AuthzResult r;
    const std::string action(request.action);
    if (denied.contains(action) || denied.contains(action + "@" + std::string(request.resource))) {
      r.decision.outcome = policy::Outcome::kImplicitDeny;
      r.message = "User: " + ctx.principal.arn + " is not authorized to perform: " + action
                  + " on resource: " + std::string(request.resource)
                  + " because no identity-based policy allows the " + action + " action";
      r.explanation = R"({"summary":"denied by the test"})";
    } else {
      r.decision.outcome = policy::Outcome::kAllow;
    }
    return r;
  }
};

// Answers after `build_duration` / `distribute_duration` of virtual time; the results can be set
// to failures. Every plan is recorded.
class FakeWorkflow final : public ib::Workflow {
 public:
  explicit FakeWorkflow(sim::Context& ctx) : ctx_(ctx) {}

  sim::Duration build_duration = sim::Duration::minutes(5);
  sim::Duration distribute_duration = sim::Duration::minutes(20);
  std::optional<std::string> build_failure;         // The reason, when the build must fail.
  std::optional<std::string> distribution_failure;  // The reason, when distribution must fail.
  std::vector<ib::BuildPlan> builds;
  std::vector<ib::DistributionPlan> distributions;
  std::vector<std::string> cancelled;

  void build(const ib::BuildPlan& plan, std::function<void(ib::BuildResult)> done) override {
    builds.push_back(plan);
    ib::BuildResult r;
    if (build_failure) {
      r.reason = *build_failure;
      r.explanation = R"({"summary":"build failed in the test"})";
    } else {
      r.ok = true;
      r.ami_id = "ami-0b" + std::to_string(100000000000000 + builds.size());
    }
    events_[plan.image_arn] = ctx_.scheduler().schedule_after(
        build_duration, [done = std::move(done), r]() mutable { done(std::move(r)); });
  }

  void distribute(const ib::DistributionPlan& plan,
                  std::function<void(ib::DistributionResult)> done) override {
    distributions.push_back(plan);
    ib::DistributionResult r;
    for (const ib::RegionPlan& rp : plan.regions) {
      if (!rp.ami) {
        continue;
      }
      r.amis.push_back({.region = rp.region,
                        .image = "ami-0d" + std::to_string(100000000000000 + r.amis.size()),
                        .name = rp.ami->name,
                        .description = rp.ami->description,
                        .status = "AVAILABLE",
                        .reason = "",
                        .account_id = plan.owner});
      for (const api::AccountId& target : rp.ami->target_account_ids) {
        r.amis.push_back({.region = rp.region,
                          .image = "ami-0e" + std::to_string(100000000000000 + r.amis.size()),
                          .name = rp.ami->name,
                          .description = rp.ami->description,
                          .status = distribution_failure ? "FAILED" : "AVAILABLE",
                          .reason = "",
                          .account_id = target});
      }
      for (const std::string& s : rp.not_simulated) {
        r.notes.push_back(rp.region.str() + " " + s + " not simulated");
      }
    }
    if (distribution_failure) {
      r.reason = *distribution_failure;
      r.failures.push_back({.region = plan.source_region,
                            .account_id = plan.owner,
                            .step = "CopyImage",
                            .aws_error = "denied",
                            .explanation = R"({"summary":"copy denied in the test"})"});
    } else {
      r.ok = true;
    }
    events_[plan.image_arn] = ctx_.scheduler().schedule_after(
        distribute_duration, [done = std::move(done), r]() mutable { done(std::move(r)); });
  }

  void cancel(std::string_view image_arn) override {
    cancelled.emplace_back(image_arn);
    if (auto it = events_.find(std::string(image_arn)); it != events_.end()) {
      ctx_.scheduler().cancel(it->second);
      events_.erase(it);
    }
  }

 private:
  sim::Context& ctx_;
  std::map<std::string, sim::EventId> events_;
};

// prefix + n, built by appending (g++ 12 warns falsely on `"literal" + std::string` chains).
inline std::string numbered(std::string_view prefix, int64_t n) {
  std::string out(prefix);
  out += std::to_string(n);
  return out;
}

inline api::CallContext call(std::string_view account = kOwner, std::string_view region = kRegion) {
  api::CallContext c;
  c.principal = api::Principal::root(api::AccountId::from_valid(account));
  c.region = api::Region::from_known(region);
  c.request_id = "req-1";
  return c;
}

// The seed configuration of AWS's cross-account page: two target accounts, an AMI name with the
// build-date placeholder, region us-west-2.
inline ib::Distribution seed_distribution(std::string region = std::string(kRegion)) {
  ib::Distribution d;
  d.region = std::move(region);
  d.ami_distribution_configuration = ib::AmiDistributionConfiguration{
      .name = "Name {{ imagebuilder:buildDate }}",
      .description = "An example image name with parameter references",
      .target_account_ids = {std::string(kTargetA), std::string(kTargetB)},
      .ami_tags = {},
      .kms_key_id = {},
      .launch_permission = {}};
  return d;
}

inline ib::CreateDistributionConfigurationInput seed_configuration(
    std::string name = "cross-account") {
  return ib::CreateDistributionConfigurationInput{.name = std::move(name),
                                                  .distributions = {seed_distribution()},
                                                  .client_token = "token-dc",
                                                  .description = {},
                                                  .tags = {}};
}

struct Fixture {
  explicit Fixture(ImageBuilderModel::Options options = {}, uint64_t seed = 1)
      : ctx({.seed = seed}), workflow(ctx), model(ctx, authz, workflow, options) {}

  sim::Context ctx;
  DenyListAuthorizer authz;
  FakeWorkflow workflow;
  ImageBuilderModel model;
  api::CallContext caller = call();
  std::string recipe_arn;
  std::string infra_arn;
  std::string distribution_arn;

  // A recipe on the managed AL2023 parent with an encrypted root volume, an infrastructure
  // configuration and the seed distribution configuration.
  void create_set(bool with_distribution = true) {
    auto recipe = model.create_image_recipe(
        caller,
        {.name = "MyBasicRecipe",
         .semantic_version = "2019.12.3",
         .parent_image = "arn:aws:imagebuilder:us-west-2:aws:image/amazon-linux-2023-x86/x.x.x",
         .client_token = "token-recipe",
         .description = "A basic recipe",
         .components = {{.component_arn =
                             "arn:aws:imagebuilder:us-west-2:aws:component/update-linux/x.x.x",
                         .parameters = {}}},
         .block_device_mappings =
             {{.device_name = "/dev/xvda",
               .ebs = ib::EbsInstanceBlockDeviceSpecification{.encrypted = true,
                                                              .kms_key_id = "alias/images",
                                                              .volume_size = 8,
                                                              .volume_type = "gp3"}}},
         .ami_tags = {{"team", "platform"}}});
    REQUIRE(recipe.ok());
    recipe_arn = recipe->image_recipe_arn;
    auto infra = model.create_infrastructure_configuration(
        caller,
        {.name = "my-infra",
         .instance_profile_name = "EC2InstanceProfileForImageBuilder",
         .client_token = "token-infra"});
    REQUIRE(infra.ok());
    infra_arn = infra->infrastructure_configuration_arn;
    if (with_distribution) {
      auto dc = model.create_distribution_configuration(caller, seed_configuration());
      REQUIRE(dc.ok());
      distribution_arn = dc->distribution_configuration_arn;
    }
  }

  std::string create_image(std::string token = "token-image", bool tests_enabled = true) {
    ib::CreateImageInput in{.infrastructure_configuration_arn = infra_arn,
                            .client_token = std::move(token),
                            .image_recipe_arn = recipe_arn};
    if (!distribution_arn.empty()) {
      in.distribution_configuration_arn = distribution_arn;
    }
    if (!tests_enabled) {
      in.image_tests_configuration = ib::ImageTestsConfiguration{.image_tests_enabled = false};
    }
    auto out = model.create_image(caller, in);
    REQUIRE(out.ok());
    return out->image_build_version_arn;
  }

  std::string status(const std::string& arn) {
    auto img = model.get_image(caller, {.image_build_version_arn = arn});
    REQUIRE(img.ok());
    return img->image.state->status.value_or("");
  }
};

}  // namespace ibsim::mock_aws::imagebuilder::testing
