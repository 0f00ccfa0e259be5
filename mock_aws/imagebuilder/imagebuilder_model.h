#pragma once
// ImageBuilderModel: the state and every rule of EC2 Image Builder for all accounts and regions
// of a world — components, image recipes, infrastructure and distribution configurations, images,
// pipelines — with AWS's validations and error shapes, lower-cased-name ARNs, clientToken
// idempotency, paginated lists, quotas, and the AWS-managed catalogue. Builds run in virtual time
// (PENDING → CREATING → BUILDING → TESTING → DISTRIBUTING → INTEGRATING → AVAILABLE); the
// AWS-facing work of BUILDING and DISTRIBUTING is handed to an api::imagebuilder::Workflow (the
// distribution engine), whose results become the image's state and output resources.
// Sim thread only.
//
//   ImageBuilderModel ib(ctx, authorizer, engine_workflow);
//   auto dc = ib.create_distribution_configuration(call, {.name = "x", .distributions = {...},
//                                                         .client_token = "t1"});
//   auto img = ib.create_image(call, {.infrastructure_configuration_arn = infra,
//                                     .client_token = "t2", .image_recipe_arn = recipe});

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mock_aws/api/call_context.h"
#include "mock_aws/api/ids.h"
#include "mock_aws/api/imagebuilder_types.h"
#include "mock_aws/api/imagebuilder_workflow.h"
#include "mock_aws/auth/authorizer.h"
#include "mock_aws/imagebuilder/imagebuilder_names.h"
#include "sim/base/result.h"
#include "sim/context.h"
#include "sim/rng.h"
#include "sim/scheduler.h"
#include "sim/time.h"

namespace ibsim::mock_aws::imagebuilder {

class ImageBuilderModel {
 public:
  // How long each phase of an image lasts in virtual time. BUILDING lasts `building` and then
  // the workflow's build (whose own duration the engine decides); DISTRIBUTING lasts as long as
  // the workflow's distribution.
  // Unconfirmed: AWS publishes no phase durations; these are typical of a small Linux build.
  struct Durations {
    sim::Duration pending = sim::Duration::seconds(30);
    sim::Duration creating = sim::Duration::minutes(2);
    sim::Duration building = sim::Duration::minutes(15);  // Instance launch and components.
    sim::Duration testing = sim::Duration::minutes(10);   // Skipped when tests are disabled.
    sim::Duration integrating = sim::Duration::minutes(1);
  };

  // Quotas (aws-facts §1.8, per account and region) and other named limits.
  struct Options {
    Durations durations;
    // Unconfirmed: the default timeoutMinutes of a distribution configuration (aws-facts §8);
    // 720 is the model's maximum.
    int32_t distribution_timeout_minutes_default = 720;
    // Unconfirmed: the clientToken idempotency window (aws-facts §8).
    sim::Duration client_token_window = sim::Duration::hours(8);
    std::size_t image_recipes_max = 1000;
    std::size_t infrastructure_configurations_max = 1000;
    std::size_t distribution_configurations_max = 1000;  // L-2BAA05D8
    std::size_t components_max = 1000;
    std::size_t image_pipelines_max = 75;             // L-7A0E01E3
    std::size_t concurrent_builds_max = 100;          // L-BA4D191B
    std::size_t components_per_recipe_max = 20;       // Components per image recipe.
    std::size_t launch_templates_per_region_max = 5;  // L-D5665818
    int32_t list_max_results_default = 25;            // maxResults is 1..25.
  };

  // Resolves an SSM parameter (for `ssm:` parent images and source images) to its value in the
  // given account and region; nullopt when it does not exist. Wired by the composition root to
  // the SSM model; unset, `ssm:` parents fail their build.
  using ParameterLookup = std::function<std::optional<std::string>(
      const api::AccountId& account, const api::Region& region, std::string_view name)>;

  // One status change of an image, for reports and timing tests.
  struct PhaseChange {
    std::string status;
    sim::Instant at;
    std::string date;  // ISO-8601, from the Context's civil time.
  };

  // ibsim's extra information about an image, beyond what GetImage shows: the plans handed to
  // the workflow, its results (per-job failures with explanations, notes on settings that are not
  // simulated) and the status history.
  struct ImageDetails {
    std::string arn;
    std::vector<PhaseChange> history;
    std::optional<api::imagebuilder::BuildPlan> build_plan;
    std::optional<api::imagebuilder::BuildResult> build;
    std::optional<api::imagebuilder::DistributionPlan> distribution_plan;
    std::optional<api::imagebuilder::DistributionResult> distribution;
    std::vector<std::string> notes;
  };

  ImageBuilderModel(sim::Context& ctx,
                    auth::Authorizer& authorizer,
                    api::imagebuilder::Workflow& workflow)
      : ImageBuilderModel(ctx, authorizer, workflow, Options{}) {}

  ImageBuilderModel(sim::Context& ctx,
                    auth::Authorizer& authorizer,
                    api::imagebuilder::Workflow& workflow,
                    Options options);
  // Cancels this model's scheduled events and the workflow's outstanding work.
  ~ImageBuilderModel();

  ImageBuilderModel(const ImageBuilderModel&) = delete;
  ImageBuilderModel& operator=(const ImageBuilderModel&) = delete;

  void set_parameter_lookup(ParameterLookup lookup) { parameter_lookup_ = std::move(lookup); }

  const Options& options() const { return options_; }

  // ---- Components ----
  sim::Result<api::imagebuilder::CreateComponentOutput> create_component(
      const api::CallContext& ctx, const api::imagebuilder::CreateComponentInput& in);
  sim::Result<api::imagebuilder::GetComponentOutput> get_component(
      const api::CallContext& ctx, const api::imagebuilder::GetComponentInput& in);
  sim::Result<api::imagebuilder::ListComponentsOutput> list_components(
      const api::CallContext& ctx, const api::imagebuilder::ListComponentsInput& in);

  // ---- Image recipes ----
  sim::Result<api::imagebuilder::CreateImageRecipeOutput> create_image_recipe(
      const api::CallContext& ctx, const api::imagebuilder::CreateImageRecipeInput& in);
  sim::Result<api::imagebuilder::GetImageRecipeOutput> get_image_recipe(
      const api::CallContext& ctx, const api::imagebuilder::GetImageRecipeInput& in);
  sim::Result<api::imagebuilder::ListImageRecipesOutput> list_image_recipes(
      const api::CallContext& ctx, const api::imagebuilder::ListImageRecipesInput& in);
  sim::Result<api::imagebuilder::DeleteImageRecipeOutput> delete_image_recipe(
      const api::CallContext& ctx, const api::imagebuilder::DeleteImageRecipeInput& in);

  // ---- Infrastructure configurations ----
  sim::Result<api::imagebuilder::CreateInfrastructureConfigurationOutput>
  create_infrastructure_configuration(
      const api::CallContext& ctx,
      const api::imagebuilder::CreateInfrastructureConfigurationInput& in);
  sim::Result<api::imagebuilder::GetInfrastructureConfigurationOutput>
  get_infrastructure_configuration(
      const api::CallContext& ctx,
      const api::imagebuilder::GetInfrastructureConfigurationInput& in);
  sim::Result<api::imagebuilder::ListInfrastructureConfigurationsOutput>
  list_infrastructure_configurations(
      const api::CallContext& ctx,
      const api::imagebuilder::ListInfrastructureConfigurationsInput& in);
  sim::Result<api::imagebuilder::DeleteInfrastructureConfigurationOutput>
  delete_infrastructure_configuration(
      const api::CallContext& ctx,
      const api::imagebuilder::DeleteInfrastructureConfigurationInput& in);

  // ---- Distribution configurations ----
  sim::Result<api::imagebuilder::CreateDistributionConfigurationOutput>
  create_distribution_configuration(
      const api::CallContext& ctx,
      const api::imagebuilder::CreateDistributionConfigurationInput& in);
  sim::Result<api::imagebuilder::GetDistributionConfigurationOutput> get_distribution_configuration(
      const api::CallContext& ctx, const api::imagebuilder::GetDistributionConfigurationInput& in);
  sim::Result<api::imagebuilder::ListDistributionConfigurationsOutput>
  list_distribution_configurations(
      const api::CallContext& ctx,
      const api::imagebuilder::ListDistributionConfigurationsInput& in);
  sim::Result<api::imagebuilder::UpdateDistributionConfigurationOutput>
  update_distribution_configuration(
      const api::CallContext& ctx,
      const api::imagebuilder::UpdateDistributionConfigurationInput& in);
  sim::Result<api::imagebuilder::DeleteDistributionConfigurationOutput>
  delete_distribution_configuration(
      const api::CallContext& ctx,
      const api::imagebuilder::DeleteDistributionConfigurationInput& in);

  // ---- Images ----
  sim::Result<api::imagebuilder::CreateImageOutput> create_image(
      const api::CallContext& ctx, const api::imagebuilder::CreateImageInput& in);
  sim::Result<api::imagebuilder::GetImageOutput> get_image(
      const api::CallContext& ctx, const api::imagebuilder::GetImageInput& in);
  sim::Result<api::imagebuilder::ListImagesOutput> list_images(
      const api::CallContext& ctx, const api::imagebuilder::ListImagesInput& in);
  sim::Result<api::imagebuilder::ListImageBuildVersionsOutput> list_image_build_versions(
      const api::CallContext& ctx, const api::imagebuilder::ListImageBuildVersionsInput& in);
  sim::Result<api::imagebuilder::CancelImageCreationOutput> cancel_image_creation(
      const api::CallContext& ctx, const api::imagebuilder::CancelImageCreationInput& in);
  sim::Result<api::imagebuilder::DeleteImageOutput> delete_image(
      const api::CallContext& ctx, const api::imagebuilder::DeleteImageInput& in);
  sim::Result<api::imagebuilder::DistributeImageOutput> distribute_image(
      const api::CallContext& ctx, const api::imagebuilder::DistributeImageInput& in);
  sim::Result<api::imagebuilder::RetryImageOutput> retry_image(
      const api::CallContext& ctx, const api::imagebuilder::RetryImageInput& in);

  // ---- Image pipelines ----
  sim::Result<api::imagebuilder::CreateImagePipelineOutput> create_image_pipeline(
      const api::CallContext& ctx, const api::imagebuilder::CreateImagePipelineInput& in);
  sim::Result<api::imagebuilder::GetImagePipelineOutput> get_image_pipeline(
      const api::CallContext& ctx, const api::imagebuilder::GetImagePipelineInput& in);
  sim::Result<api::imagebuilder::ListImagePipelinesOutput> list_image_pipelines(
      const api::CallContext& ctx, const api::imagebuilder::ListImagePipelinesInput& in);
  sim::Result<api::imagebuilder::DeleteImagePipelineOutput> delete_image_pipeline(
      const api::CallContext& ctx, const api::imagebuilder::DeleteImagePipelineInput& in);
  sim::Result<api::imagebuilder::StartImagePipelineExecutionOutput> start_image_pipeline_execution(
      const api::CallContext& ctx, const api::imagebuilder::StartImagePipelineExecutionInput& in);

  // ---- Inspection for reports, checkers and tests (no caller, no authorization) ----
  const ImageDetails* find_image_details(std::string_view image_build_version_arn) const;
  std::optional<api::imagebuilder::Image> find_image(
      std::string_view image_build_version_arn) const;
  // Images of (account, region) that have not reached a terminal status.
  std::size_t active_image_count(const api::AccountId& account, const api::Region& region) const;

 private:
  enum class Phase : uint8_t {
    kPending,
    kCreating,
    kBuilding,
    kTesting,
    kDistributing,
    kIntegrating,
    kAvailable,
    kFailed,
    kCancelled,
  };

  // Where a failed image failed, so RetryImage resumes there.
  enum class FailedStep : uint8_t { kNone, kBuild, kDistribution };

  struct ComponentRecord {
    api::imagebuilder::Component component;
    SemanticVersion version;
  };

  struct RecipeRecord {
    api::imagebuilder::ImageRecipe recipe;
    SemanticVersion version;
  };

  struct InfraRecord {
    api::imagebuilder::InfrastructureConfiguration infra;
  };

  struct DistributionRecord {
    api::imagebuilder::DistributionConfiguration config;
  };

  struct PipelineRecord {
    api::imagebuilder::ImagePipeline pipeline;
  };

  struct ImageRecord {
    api::imagebuilder::Image image;  // The API view, with snapshots of its configurations.
    api::AccountId owner;
    api::Region region;
    std::string version_arn;  // .../image/<name>/<x.y.z>
    SemanticVersion version;
    int64_t build_number = 0;
    int64_t created_unix_ms = 0;
    std::string recipe_name;    // Display name for the output AMI.
    std::string parent_image;   // As the recipe wrote it.
    std::string source_ami_id;  // DistributeImage: the AMI to distribute (no build).
    bool distribute_only = false;
    bool tests_enabled = true;
    bool counted_active = false;  // Counts against concurrent_builds_max.
    std::string pipeline_arn;     // The pipeline that started it, if any.
    Phase phase = Phase::kPending;
    FailedStep failed_step = FailedStep::kNone;
    sim::EventId next_event;     // The scheduled phase change, if any.
    bool workflow_busy = false;  // A build or distribution is outstanding.
    uint64_t generation = 0;     // Bumped on cancel/retry; stale callbacks are ignored.
    std::string built_ami_id;
    ImageDetails details;
  };

  // A retried request's first answer, kept for the idempotency window.
  template <typename In, typename Out>
  struct TokenEntry {
    In input;
    Out output;
    sim::Instant at;
  };

  template <typename In, typename Out>
  using TokenCache = std::map<std::string, TokenEntry<In, Out>, std::less<>>;

  struct RegionState {
    std::map<std::string, ComponentRecord, std::less<>> components;  // By build version ARN.
    std::map<std::string, RecipeRecord, std::less<>> recipes;        // By ARN.
    std::map<std::string, InfraRecord, std::less<>> infrastructure;
    std::map<std::string, DistributionRecord, std::less<>> distributions;
    std::map<std::string, PipelineRecord, std::less<>> pipelines;
    std::map<std::string, ImageRecord, std::less<>> images;         // By build version ARN.
    std::map<std::string, int64_t, std::less<>> last_build_number;  // By image version ARN.
    std::size_t active_images = 0;

    TokenCache<api::imagebuilder::CreateComponentInput, api::imagebuilder::CreateComponentOutput>
        component_tokens;
    TokenCache<api::imagebuilder::CreateImageRecipeInput,
               api::imagebuilder::CreateImageRecipeOutput>
        recipe_tokens;
    TokenCache<api::imagebuilder::CreateInfrastructureConfigurationInput,
               api::imagebuilder::CreateInfrastructureConfigurationOutput>
        infra_tokens;
    TokenCache<api::imagebuilder::CreateDistributionConfigurationInput,
               api::imagebuilder::CreateDistributionConfigurationOutput>
        distribution_create_tokens;
    TokenCache<api::imagebuilder::UpdateDistributionConfigurationInput,
               api::imagebuilder::UpdateDistributionConfigurationOutput>
        distribution_update_tokens;
    TokenCache<api::imagebuilder::CreateImageInput, api::imagebuilder::CreateImageOutput>
        image_tokens;
    TokenCache<api::imagebuilder::CreateImagePipelineInput,
               api::imagebuilder::CreateImagePipelineOutput>
        pipeline_tokens;
    TokenCache<api::imagebuilder::StartImagePipelineExecutionInput,
               api::imagebuilder::StartImagePipelineExecutionOutput>
        start_tokens;
    TokenCache<api::imagebuilder::CancelImageCreationInput,
               api::imagebuilder::CancelImageCreationOutput>
        cancel_tokens;
    TokenCache<api::imagebuilder::DistributeImageInput, api::imagebuilder::DistributeImageOutput>
        distribute_tokens;
    TokenCache<api::imagebuilder::RetryImageInput, api::imagebuilder::RetryImageOutput>
        retry_tokens;
  };

  using RegionKey = std::pair<api::AccountId, api::Region>;

  // What a new image is built from (CreateImage, StartImagePipelineExecution, DistributeImage).
  struct ImageSpec {
    std::string name;  // Display name (recipe or distribution configuration name).
    SemanticVersion version;
    std::optional<api::imagebuilder::ImageRecipe> recipe;
    std::optional<api::imagebuilder::InfrastructureConfiguration> infra;
    std::optional<api::imagebuilder::DistributionConfiguration> distribution;
    std::optional<api::imagebuilder::ImageTestsConfiguration> tests;
    std::optional<bool> enhanced_image_metadata_enabled;
    std::optional<api::imagebuilder::ImageScanningConfiguration> scanning;
    std::vector<api::imagebuilder::WorkflowConfiguration> workflows;
    std::optional<std::string> execution_role;
    std::optional<api::imagebuilder::ImageLoggingConfiguration> logging;
    api::imagebuilder::TagMap tags;
    std::string build_type;
    std::optional<std::string> pipeline_arn;
    std::optional<std::string> pipeline_name;
    std::string source_ami_id;  // Distribute-only images.
    bool distribute_only = false;
    std::vector<std::string> notes;
  };

  // ---- Shared machinery (imagebuilder_model.cc) ----
  RegionState& region_state(const api::AccountId& account, const api::Region& region);
  RegionState* find_region_state(std::string_view account, std::string_view region);
  const RegionState* find_region_state(std::string_view account, std::string_view region) const;
  std::string request_id(const api::CallContext& ctx);
  std::string now_iso() const;
  sim::Status authorize(const api::CallContext& ctx,
                        std::string_view action,
                        std::string_view resource,
                        const api::imagebuilder::TagMap* resource_tags,
                        const api::imagebuilder::TagMap* request_tags);
  // The caller's account and region as a RegionKey; an error when the caller has no account.
  sim::Result<RegionKey> caller_region(const api::CallContext& ctx) const;
  // Parses an ARN of `type` that must live in the caller's region; ResourceNotFound otherwise.
  sim::Result<ParsedArn> parse_owned_arn(const api::CallContext& ctx,
                                         std::string_view param,
                                         std::string_view arn,
                                         std::string_view type) const;
  template <typename In, typename Out>
  std::optional<sim::Result<Out>> replay(TokenCache<In, Out>& cache,
                                         const std::string& token,
                                         const In& in) const;
  template <typename In, typename Out>
  void remember(TokenCache<In, Out>& cache, const std::string& token, const In& in, const Out& out);

  // One page of a sorted key list: [begin, end) and the token for the next page.
  struct Page {
    std::size_t begin = 0;
    std::size_t end = 0;
    std::optional<std::string> next_token;
  };

  sim::Result<Page> page(std::string_view operation,
                         const std::vector<std::string>& sorted_keys,
                         std::optional<int32_t> max_results,
                         const std::optional<std::string>& next_token) const;

  // ---- Resolution of ARNs with `x` wildcards (imagebuilder_model.cc) ----
  sim::Result<const ComponentRecord*> find_component(std::string_view account,
                                                     std::string_view region,
                                                     const ParsedArn& arn) const;
  // Resolves a parent image (AMI id, `ssm:` parameter, Image Builder image ARN) to an AMI id in
  // (owner, region); the error text becomes the failed build's reason.
  sim::Result<std::string> resolve_parent_ami(const api::AccountId& owner,
                                              const api::Region& region,
                                              std::string_view parent) const;

  // Lookups by ARN in the caller's region (`x` wildcards resolve to the highest version).
  const RecipeRecord* lookup_recipe(const api::CallContext& ctx, std::string_view arn) const;
  const InfraRecord* lookup_infra(const api::CallContext& ctx, std::string_view arn) const;
  const DistributionRecord* lookup_distribution(const api::CallContext& ctx,
                                                std::string_view arn) const;

  // ---- Images and lifecycle (imagebuilder_images.cc) ----
  // The build version ARN the next image of (name, version) in the caller's region will get.
  std::string next_image_arn(const api::CallContext& ctx,
                             std::string_view name,
                             const SemanticVersion& version) const;
  ImageSpec spec_from(const RecipeRecord& recipe,
                      const InfraRecord& infra,
                      const DistributionRecord* distribution) const;
  // Creates the image record (PENDING) and schedules its first phase; returns its ARN.
  std::string start_image(const api::CallContext& ctx, ImageSpec spec);
  ImageRecord* find_image_record(std::string_view arn);
  const ImageRecord* find_image_record(std::string_view arn) const;
  void set_phase(ImageRecord& image, Phase phase, std::optional<std::string> reason = {});
  void schedule_phase(ImageRecord& image, sim::Duration after, Phase next);
  void enter_phase(const std::string& arn, uint64_t generation, Phase phase);
  void start_build(ImageRecord& image);
  void on_build_done(const std::string& arn, uint64_t generation, api::imagebuilder::BuildResult r);
  void start_distribution(ImageRecord& image);
  void on_distribution_done(const std::string& arn,
                            uint64_t generation,
                            api::imagebuilder::DistributionResult r);
  void fail_image(ImageRecord& image, FailedStep step, std::string reason);
  void finish_active(ImageRecord& image);
  api::imagebuilder::DistributionPlan make_distribution_plan(const ImageRecord& image) const;
  sim::Result<api::imagebuilder::Image> managed_image_view(const ParsedArn& arn) const;

  sim::Context& ctx_;
  auth::Authorizer& authorizer_;
  api::imagebuilder::Workflow& workflow_;
  Options options_;
  sim::Rng request_ids_;
  ParameterLookup parameter_lookup_;
  std::map<RegionKey, RegionState> regions_;
};

}  // namespace ibsim::mock_aws::imagebuilder
