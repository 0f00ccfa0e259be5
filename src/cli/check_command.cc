#include "src/cli/check_command.h"

#include <cstdio>
#include <optional>
#include <string>
#include <utility>

#include "mock_aws/api/ids.h"
#include "mock_aws/api/regions.h"
#include "mock_aws/services/world.h"
#include "sim/context.h"
#include "src/check/check_input.h"
#include "src/check/preflight.h"
#include "src/check/report.h"
#include "src/scenario/world_loader.h"

namespace ibsim::cli {

const std::string_view kCheckUsage = R"(Usage:
  ibsim check --world FILE --distribution FILE [--recipe FILE | --source-image AMI]
              [--account ID] [--region REGION] [--format text|json]

Checks, without simulating, everything a distribution needs and lists every problem at once,
each with its fix: the configuration's own validity (Image Builder's validation), the image
(virtualization against each region's PV support, its KMS keys, aws/ebs on a shared AMI), and
per target account the role EC2ImageBuilderDistributionCrossAccountRole (exists, trusts the
source account), every EC2 call the distribution makes as that role, both KMS keys of each copy
(key policies and the role's policies), launch templates (exist, tagged CreatedBy = EC2 Image
Builder, the role may version them) and SSM parameters. Permissions are evaluated by ibsim's
policy engine against the world's policies, as `ibsim run` evaluates them.

Inputs:
  --world FILE          the account setup (docs/world-format.md)
  --distribution FILE   the distribution configuration, exactly as
                        `aws imagebuilder create-distribution-configuration --cli-input-json`
                        takes it (name, description, distributions, tags)
  --recipe FILE         the image recipe, as `create-image-recipe --cli-input-json` takes it:
                        parentImage and blockDeviceMappings decide the built AMI's encryption
  --source-image AMI    instead of a recipe: an AMI of the owner in the source region, as
                        `distribute-image --source-image` takes it
                        (neither: the build output is taken as unencrypted HVM)
  --account ID          the owner (source) account; default: the only account of the world
                        that the configuration does not name
  --region REGION       the region the configuration lives in (where the image is built);
                        default: the source image's region, or the world's only region
  --format text|json    text (default) for people, json for tools

Example:
  ibsim check --world world.json --distribution distribution.json --recipe recipe.json \
      --account 111122223333 --region us-east-1

Exit status: 0 when the distribution would succeed (warnings and notes do not count), 1 when
there are errors, 2 on bad usage or a malformed file (the message names the file and the JSON
path).
)";

namespace {

namespace api = mock_aws::api;

struct Options {
  std::string world;
  std::string distribution;
  std::string recipe;
  std::string source_image;
  std::string account;
  std::string region;
  std::string format = "text";
};

int usage_error(const std::string& message) {
  std::fprintf(stderr, "ibsim check: %s (see `ibsim check --help`)\n", message.c_str());
  return 2;
}

int input_error(const std::string& message) {
  std::fprintf(stderr, "ibsim check: %s\n", message.c_str());
  return 2;
}

std::optional<std::string> parse_args(std::span<const std::string> args, Options& o) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    std::string* target = nullptr;
    if (a == "--world") {
      target = &o.world;
    } else if (a == "--distribution") {
      target = &o.distribution;
    } else if (a == "--recipe") {
      target = &o.recipe;
    } else if (a == "--source-image") {
      target = &o.source_image;
    } else if (a == "--account") {
      target = &o.account;
    } else if (a == "--region") {
      target = &o.region;
    } else if (a == "--format") {
      target = &o.format;
    } else {
      return "unknown option '" + a + "'";
    }
    if (i + 1 >= args.size()) {
      return a + " needs a value";
    }
    *target = args[++i];
  }
  if (o.world.empty() || o.distribution.empty()) {
    return "--world and --distribution are required";
  }
  if (!o.recipe.empty() && !o.source_image.empty()) {
    return "--recipe and --source-image exclude each other (a recipe builds the AMI to distribute)";
  }
  if (o.format != "text" && o.format != "json") {
    return "--format is text or json, not '" + o.format + "'";
  }
  return std::nullopt;
}

}  // namespace

int run_check(std::span<const std::string> args) {
  Options o;
  if (std::optional<std::string> error = parse_args(args, o)) {
    return usage_error(*error);
  }
  check::CheckInput input;
  input.distribution_source = o.distribution;
  input.recipe_source = o.recipe.empty() ? std::string("recipe") : o.recipe;
  input.source_image = o.source_image;

  sim::Result<std::string> dc_text = check::read_input_file(o.distribution);
  if (!dc_text.ok()) {
    return input_error(dc_text.error().message);
  }
  auto dc = check::decode_distribution_configuration(*dc_text, o.distribution);
  if (!dc.ok()) {
    return input_error(dc.error().message);
  }
  input.distribution = std::move(dc->input);
  input.distribution_findings = std::move(dc->findings);
  if (!o.recipe.empty()) {
    sim::Result<std::string> recipe_text = check::read_input_file(o.recipe);
    if (!recipe_text.ok()) {
      return input_error(recipe_text.error().message);
    }
    auto recipe = check::decode_image_recipe(*recipe_text, o.recipe);
    if (!recipe.ok()) {
      return input_error(recipe.error().message);
    }
    input.recipe = std::move(recipe->input);
    input.recipe_findings = std::move(recipe->findings);
  }

  sim::Context ctx;
  mock_aws::services::World world(ctx);
  if (auto s = scenario::load_world_file(o.world, world); !s.ok()) {
    return input_error(s.error().message);
  }
  if (o.account.empty()) {
    sim::Result<api::AccountId> owner = check::infer_owner(world, input.distribution);
    if (!owner.ok()) {
      return usage_error(owner.error().message);
    }
    input.owner = *owner;
  } else {
    if (!api::AccountId::is_valid(o.account)) {
      return usage_error("--account takes a 12-digit account id, not '" + o.account + "'");
    }
    input.owner = api::AccountId::from_valid(o.account);
    if (!world.iam().has_account(input.owner)) {
      return usage_error("account " + o.account + " is not in the world " + o.world);
    }
  }
  if (o.region.empty()) {
    sim::Result<api::Region> region =
        check::infer_source_region(world, input.owner, input.source_image);
    if (!region.ok()) {
      return usage_error(region.error().message);
    }
    input.source_region = *region;
  } else {
    if (api::find_region(o.region) == nullptr) {
      return usage_error("--region '" + o.region + "' is not a region of partition aws");
    }
    input.source_region = api::Region::from_known(o.region);
    if (!world.has_region(input.source_region)) {
      return usage_error("region " + o.region + " is not enabled in the world " + o.world);
    }
  }

  const check::Report report = check::run_check(world, input);
  const std::string out =
      o.format == "json" ? check::render_json(report) : check::render_text(report);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return report.ok() ? 0 : 1;
}

}  // namespace ibsim::cli
