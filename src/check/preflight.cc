// The preflight walk, in the engine's plan order (docs/distribution.md): the configuration and the
// recipe through the Image Builder model's own validation; the AMI the distribution starts from
// (its virtualization and the key of every volume); then per distribution region the owner's AMI
// there (a copy from the build region, re-encrypted under the region's kmsKeyId or the owner's
// default EBS key), its sharing, and per target account the cross-account role (existence, trust),
// the copy into the account (EC2 and both KMS keys), tags, launch templates and SSM parameters.
// Each request goes through the Prober; what is not a permission (a missing template, an aws/ebs
// key on a shared AMI, a region without PV) becomes a problem here with its concrete fix.

#include "src/check/preflight.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "mock_aws/api/arn.h"
#include "mock_aws/api/regions.h"
#include "mock_aws/ec2/ec2_model.h"
#include "mock_aws/imagebuilder/imagebuilder_validation.h"
#include "mock_aws/imagebuilder/managed_catalogue.h"
#include "mock_aws/kms/kms_model.h"
#include "mock_aws/ssm/ssm_model.h"
#include "sim/base/assert.h"
#include "src/check/check_internal.h"
#include "src/engine/distribution_engine.h"
#include "src/engine/reasons.h"

namespace ibsim::check {
namespace {

namespace api = mock_aws::api;
namespace ib = mock_aws::api::imagebuilder;
namespace ec2 = mock_aws::ec2;
namespace iam = mock_aws::iam;
namespace policy = mock_aws::policy;
using internal::Actor;
using internal::Probe;
using OrderedJson = nlohmann::ordered_json;

constexpr std::string_view kImageBuilderService = "imagebuilder.amazonaws.com";
constexpr std::string_view kBuildDatePlaceholder = "{{ imagebuilder:buildDate }}";
constexpr std::string_view kNewAmi = "<new AMI id>";
// The launch permission as the EC2 model presents it to IAM (ec2_model.cc): the resource side of
// a cross-account request on a shared image.
constexpr std::string_view kLaunchGrantPolicy =
    R"({"Version":"2012-10-17","Statement":[{"Sid":"Ec2LaunchPermission","Effect":"Allow",)"
    R"("Principal":{"AWS":"*"},"Action":"ec2:*","Resource":"*"}]})";
// What AWS's cross-account page asks of the role (aws-facts §2.1), for a role to be created.
constexpr std::string_view kInlineKmsStatement =
    R"({"Effect":"Allow","Action":["kms:Encrypt","kms:Decrypt","kms:ReEncrypt*",)"
    R"("kms:GenerateDataKey*","kms:DescribeKey","kms:CreateGrant","kms:ListGrants",)"
    R"("kms:RevokeGrant"],"Resource":"*"})";
constexpr std::string_view kLaunchTemplatePolicy =
    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":)"
    R"(["ec2:CreateLaunchTemplateVersion","ec2:ModifyLaunchTemplate"],"Resource":"*",)"
    R"("Condition":{"StringEquals":{"aws:ResourceTag/CreatedBy":"EC2 Image Builder"}}},)"
    R"({"Effect":"Allow","Action":"ec2:DescribeLaunchTemplates","Resource":"*"},)"
    R"({"Effect":"Allow","Action":"ec2:CreateTags","Resource":"arn:aws:ec2:*:*:launch-template/*",)"
    R"("Condition":{"StringEquals":{"aws:RequestTag/CreatedBy":"EC2 Image Builder"}}}]})";
constexpr std::string_view kSsmStatement =
    R"({"Effect":"Allow","Action":"ssm:PutParameter","Resource":"*"})";
constexpr std::string_view kEc2UnauthorizedMutating =
    "You are not authorized to perform this operation. Encoded authorization failure message: "
    "<encoded message>";
constexpr std::string_view kEc2UnauthorizedRead =
    "You are not authorized to perform this operation.";

std::string dump(const OrderedJson& j) {
  return j.dump(-1, ' ', false, OrderedJson::error_handler_t::replace);
}

// ---- The AMIs of the plan ------------------------------------------------------------------

struct Volume {
  std::string device;
  std::string snapshot_id;  // Known for images that exist before the run.
  bool encrypted = false;
  std::string key_arn;  // Empty when unencrypted, or when the key could not be resolved.
  bool aws_managed = false;
};

struct AmiModel {
  bool known = false;
  std::string ami_id;  // Empty for AMIs the run makes.
  ec2::Virtualization virtualization = ec2::Virtualization::kHvm;
  std::vector<Volume> volumes;
  std::map<std::string, std::string> tags;
  std::map<std::string, std::string> snapshot_tags;  // Of every snapshot (the run's own).

  bool encrypted() const {
    return std::any_of(volumes.begin(), volumes.end(), [](const Volume& v) { return v.encrypted; });
  }

  bool aws_managed() const {
    return std::any_of(volumes.begin(), volumes.end(), [](const Volume& v) {
      return v.encrypted && v.aws_managed;
    });
  }

  const Volume* aws_managed_volume() const {
    for (const Volume& v : volumes) {
      if (v.encrypted && v.aws_managed) {
        return &v;
      }
    }
    return nullptr;
  }
};

struct KeyResolution {
  std::string arn;
  std::optional<sim::AwsError> error;  // NotFound / InvalidArn, as KMS answers.
};

bool visible_to(const ec2::ImageRecord& image, const api::AccountId& account) {
  if (image.owner == account || image.amazon_owned || image.is_public()) {
    return true;
  }
  return image.launch_permissions != nullptr
         && image.launch_permissions->user_ids.count(account) > 0;
}

class Preflight {
 public:
  Preflight(mock_aws::services::World& world, const CheckInput& in)
      : world_(world), in_(in), prober_(world, sequence_), keys_(world) {}

  Report run();

 private:
  // ---- Problems ----
  Problem& add(Severity severity, std::string code, std::string title);
  void finding(const sim::AwsError& e, std::string_view code, std::string_view file, bool recipe);

  // ---- Steps ----
  bool set_up_service_linked_role();
  void check_configuration();
  void check_recipe();
  void model_source();
  void model_recipe_build(const ib::CreateImageRecipeInput& recipe);
  void check_region(const ib::Distribution& d, std::size_t index);
  void check_target(const ib::Distribution& d,
                    const api::Region& region,
                    const api::AccountId& target,
                    const AmiModel& owner_ami);
  void check_launch_template(const ib::LaunchTemplateConfiguration& lt,
                             const api::Region& region,
                             const Actor& actor,
                             const api::AccountId& account,
                             const std::string& needed_for);
  void check_parameter(const ib::SsmParameterConfiguration& p,
                       const api::Region& region,
                       const Actor& actor,
                       const api::AccountId& account,
                       const std::string& needed_for);

  // Asks the prober; for a role that does not exist, notes what the role will need.
  void submit(const Probe& p);
  // The policies a missing role needs, added to its problem's fixes once the walk is done.
  void finish_missing_roles();

  // ---- Actors ----
  // The cross-account role session of `account`; for a missing role (reported) an actor that
  // does not exist, whose requests still show what the key policies must allow.
  const Actor* role_of(const api::AccountId& account, const api::Region& region);
  const Actor* actor_for(const api::AccountId& account, const api::Region& region);

  // ---- KMS ----
  KeyResolution resolve_key(const api::AccountId& caller,
                            const api::Region& region,
                            const std::string& ref);
  std::string default_key(const api::AccountId& account, const api::Region& region);
  bool encryption_by_default(const api::AccountId& account, const api::Region& region);
  // Reports a key that is missing or not enabled; true when it is usable.
  bool check_key_usable(const std::string& arn, const std::string& needed_for);
  // The KMS requests EC2 makes for `actor` in `region`: reading a snapshot under `key`
  // (CreateGrant, Decrypt) or writing one (DescribeKey, CreateGrant,
  // GenerateDataKeyWithoutPlaintext).
  void probe_key(const Actor& actor,
                 const api::Region& region,
                 const std::string& key_arn,
                 bool write,
                 const std::string& needed_for,
                 const std::string& shown_as);

  // ---- EC2 ----
  void probe(const Actor& actor,
             const api::Region& region,
             std::string action,
             std::string resource,
             std::string resource_account,
             std::vector<mock_aws::auth::ContextValue> keys,
             const std::string& needed_for,
             const std::string& shown_as,
             const policy::Policy* resource_policy = nullptr,
             Severity severity = Severity::kError);
  std::string job_line(engine::JobFailureLine::Kind kind,
                       std::string_view service,
                       std::string_view message,
                       const api::AccountId& destination,
                       const api::Region& region) const;

  mock_aws::services::World& world_;
  const CheckInput& in_;
  std::size_t sequence_ = 0;
  internal::Prober prober_;
  internal::KeyPolicies keys_;
  std::vector<std::pair<std::size_t, Problem>> direct_;
  Report report_;

  Actor slr_;
  std::map<api::AccountId, Actor> roles_;  // Nodes are stable: probes keep pointers.
  // Roles that do not exist: their problem (an index into direct_), and what they need.
  std::map<api::AccountId, std::size_t> missing_roles_;
  std::set<std::string> reported_keys_;
  std::set<std::string> reported_configuration_;
  AmiModel source_;
  std::set<api::AccountId> targets_;
  std::unique_ptr<policy::Policy> launch_grant_;
  // What the missing cross-account role of an account needs ("kms", "launch-template", "ssm").
  std::map<api::AccountId, std::set<std::string>> role_needs_;
};

Problem& Preflight::add(Severity severity, std::string code, std::string title) {
  Problem p;
  p.severity = severity;
  p.code = std::move(code);
  p.title = std::move(title);
  direct_.emplace_back(sequence_++, std::move(p));
  return direct_.back().second;
}

std::string Preflight::job_line(engine::JobFailureLine::Kind kind,
                                std::string_view service,
                                std::string_view message,
                                const api::AccountId& destination,
                                const api::Region& region) const {
  engine::JobFailureLine line;
  line.kind = kind;
  line.service = std::string(service);
  line.message = std::string(message);
  line.ami_id = std::string(kNewAmi);
  line.source_account = in_.owner;
  line.destination_account = destination;
  line.region = region;
  return engine::format_job_line(line);
}

void Preflight::probe(const Actor& actor,
                      const api::Region& region,
                      std::string action,
                      std::string resource,
                      std::string resource_account,
                      std::vector<mock_aws::auth::ContextValue> keys,
                      const std::string& needed_for,
                      const std::string& shown_as,
                      const policy::Policy* resource_policy,
                      Severity severity) {
  Probe p;
  p.actor = &actor;
  p.region = region;
  p.action = std::move(action);
  p.resource = std::move(resource);
  p.resource_account = std::move(resource_account);
  p.resource_policy = resource_policy;
  p.keys = std::move(keys);
  p.needed_for = needed_for;
  p.shown_as = shown_as;
  p.severity = severity;
  submit(p);
}

// ---- The configuration ----------------------------------------------------------------------

// A fix for an Image Builder validation error, from what the message says.
Fix configuration_fix(const sim::AwsError& e,
                      const std::string& file,
                      const api::Region& source_region,
                      const ib::CreateDistributionConfigurationInput& dc) {
  Fix f{.kind = "EditConfiguration",
        .side = {},
        .policy = {},
        .policy_of = file,
        .account = {},
        .region = {},
        .statement_json = {},
        .text = {}};
  const std::string& m = e.message;
  if (m.find("imagebuilder:buildDate") != std::string::npos) {
    // "... parameter 'distributions[0].amiDistributionConfiguration.name' ..."
    std::string path = "distributions[i].amiDistributionConfiguration.name";
    std::string name = "my-image";
    if (const auto a = m.find("'distributions["); a != std::string::npos) {
      const auto b = m.find('\'', a + 1);
      path = m.substr(a + 1, b - a - 1);
      const auto close = path.find(']');
      const std::size_t index =
          static_cast<std::size_t>(std::strtoul(path.substr(14, close - 14).c_str(), nullptr, 10));
      if (index < dc.distributions.size() && dc.distributions[index].ami_distribution_configuration
          && dc.distributions[index].ami_distribution_configuration->name) {
        name = *dc.distributions[index].ami_distribution_configuration->name;
      }
    }
    f.text = "Add " + std::string(kBuildDatePlaceholder) + " to " + path + " in " + file + ":";
    f.statement_json = dump(OrderedJson{{"name", name + "-" + std::string(kBuildDatePlaceholder)}});
    return f;
  }
  if (m.find("source region") != std::string::npos) {
    f.text = "Add a distribution for the source region " + source_region.str()
             + " (where the configuration lives and the image is built) to distributions in " + file
             + ":";
    f.statement_json =
        dump(OrderedJson{{"region", source_region.str()},
                         {"amiDistributionConfiguration",
                          {{"name", "my-image-" + std::string(kBuildDatePlaceholder)}}}});
    return f;
  }
  if (m.find("One or more outputs") != std::string::npos) {
    f.text =
        "Give that distribution an output in " + file + ", e.g. an amiDistributionConfiguration:";
    f.statement_json =
        dump(OrderedJson{{"amiDistributionConfiguration",
                          {{"name", "my-image-" + std::string(kBuildDatePlaceholder)}}}});
    return f;
  }
  f.text = "Correct " + file + " as the message says.";
  return f;
}

void Preflight::finding(const sim::AwsError& e,
                        std::string_view code,
                        std::string_view file,
                        bool recipe) {
  const std::string message = e.code + ": " + e.message;
  if (!reported_configuration_.insert(message).second) {
    return;
  }
  Problem& p = add(Severity::kError,
                   std::string(code),
                   std::string(recipe ? "Image Builder refuses the recipe: "
                                      : "Image Builder refuses the distribution configuration: ")
                       + e.message);
  p.account = in_.owner.str();
  p.region = in_.source_region.str();
  p.resource = std::string(file);
  p.aws_error = message;
  p.needed_for = recipe ? "CreateImageRecipe" : "CreateDistributionConfiguration";
  if (recipe) {
    p.fixes.push_back(Fix{.kind = "EditRecipe",
                          .side = {},
                          .policy = {},
                          .policy_of = std::string(file),
                          .account = {},
                          .region = {},
                          .statement_json = {},
                          .text = "Correct " + std::string(file) + " as the message says."});
  } else {
    p.fixes.push_back(configuration_fix(e, std::string(file), in_.source_region, in_.distribution));
  }
}

void Preflight::check_configuration() {
  const std::string& file = in_.distribution_source;
  for (const sim::AwsError& e : in_.distribution_findings) {
    finding(e, "InvalidDistributionConfiguration", file, false);
  }
  const api::CallContext root{.principal = api::Principal::root(in_.owner),
                              .region = in_.source_region,
                              .request_id = "ibsim-check",
                              .via_service = {},
                              .access_key_id = {},
                              .source_account = {},
                              .source_arn = {},
                              .request_unix_ms = world_.context().unix_ms()};
  ib::CreateDistributionConfigurationInput create = in_.distribution;
  if (create.client_token.empty()) {
    create.client_token = "ibsim-check";
  }
  if (auto out = world_.imagebuilder().create_distribution_configuration(root, create); !out.ok()) {
    finding(out.error(), "InvalidDistributionConfiguration", file, false);
  }
  // The model reports the first problem only; each distribution on its own finds the others.
  const mock_aws::imagebuilder::DistributionLimits limits{
      .launch_templates_per_region_max =
          world_.imagebuilder().options().launch_templates_per_region_max};
  bool has_source = false;
  for (std::size_t i = 0; i < in_.distribution.distributions.size(); ++i) {
    const ib::Distribution& d = in_.distribution.distributions[i];
    const api::Region region = api::find_region(d.region) != nullptr
                                   ? api::Region::from_known(d.region)
                                   : in_.source_region;
    has_source = has_source || d.region == in_.source_region.str();
    if (sim::Status s = mock_aws::imagebuilder::check_distributions({d}, region, in_.owner, limits);
        !s.ok()) {
      sim::AwsError e = s.error();
      const std::string from = "distributions[0]";
      const std::string to = "distributions[" + std::to_string(i) + "]";
      for (std::size_t pos = e.message.find(from); pos != std::string::npos;
           pos = e.message.find(from, pos + to.size())) {
        e.message.replace(pos, from.size(), to);
      }
      finding(e, "InvalidDistributionConfiguration", file, false);
    }
  }
  if (!has_source) {
    if (sim::Status s =
            mock_aws::imagebuilder::check_distributions({}, in_.source_region, in_.owner, limits);
        !s.ok()) {
      finding(s.error(), "InvalidDistributionConfiguration", file, false);
    }
  }
}

void Preflight::check_recipe() {
  if (!in_.recipe.has_value()) {
    return;
  }
  const std::string& file = in_.recipe_source;
  for (const sim::AwsError& e : in_.recipe_findings) {
    finding(e, "InvalidImageRecipe", file, true);
  }
  const api::CallContext root{.principal = api::Principal::root(in_.owner),
                              .region = in_.source_region,
                              .request_id = "ibsim-check",
                              .via_service = {},
                              .access_key_id = {},
                              .source_account = {},
                              .source_arn = {},
                              .request_unix_ms = world_.context().unix_ms()};
  ib::CreateImageRecipeInput create = *in_.recipe;
  if (create.client_token.empty()) {
    create.client_token = "ibsim-check";
  }
  auto out = world_.imagebuilder().create_image_recipe(root, create);
  if (out.ok()) {
    return;
  }
  const sim::AwsError& e = out.error();
  // World files cannot declare components: a component of the owner's own account is unknown
  // to the model, which says nothing about the distribution.
  if (e.message.find("components[") != std::string::npos
      && e.message.find(":" + in_.owner.str() + ":component/") != std::string::npos) {
    Problem& p = add(Severity::kNote,
                     "ComponentNotInWorld",
                     "The recipe names a component of account " + in_.owner.str()
                         + " that the world does not hold (world files cannot declare "
                           "components); the recipe's other settings are checked.");
    p.resource = file;
    p.aws_error = e.code + ": " + e.message;
    return;
  }
  finding(e, "InvalidImageRecipe", file, true);
}

// ---- The source AMI -------------------------------------------------------------------------

KeyResolution Preflight::resolve_key(const api::AccountId& caller,
                                     const api::Region& region,
                                     const std::string& ref) {
  // The same rules as the KMS model's resolve_key with aliases and cross-account keys allowed
  // (EbsKeyService::describe_key): key ARN or alias ARN in this region, alias name or key id in
  // the caller's account.
  KeyResolution out;
  mock_aws::kms::KmsModel& kms = world_.kms();
  auto not_found = [&]() {
    // The exact error KMS answers, from the model itself.
    const api::CallContext ctx{.principal = api::Principal::root(caller),
                               .region = region,
                               .request_id = "ibsim-check",
                               .via_service = {},
                               .access_key_id = {},
                               .source_account = {},
                               .source_arn = {},
                               .request_unix_ms = world_.context().unix_ms()};
    sim::Result<std::string> r = kms.describe_key(ctx, ref);
    out.error = r.ok() ? sim::aws_error("NotFoundException", "Key '" + ref + "' does not exist")
                       : r.error();
  };
  if (ref.starts_with("arn:")) {
    sim::Result<api::Arn> arn = api::parse_arn(ref);
    if (!arn.ok() || arn->service != "kms" || arn->region != region.str()
        || !api::AccountId::is_valid(arn->account)) {
      not_found();
      return out;
    }
    const api::AccountId owner = api::AccountId::from_valid(arn->account);
    if (arn->resource.starts_with("key/")) {
      if (kms.find_key(ref).has_value()) {
        out.arn = ref;
      } else {
        not_found();
      }
      return out;
    }
    if (arn->resource == "alias/aws/ebs") {
      out.arn = kms.aws_managed_ebs_key(owner, region);
      return out;
    }
    if (auto target = kms.find_alias_target(owner, region, arn->resource)) {
      out.arn = *target;
    } else {
      not_found();
    }
    return out;
  }
  if (ref == "alias/aws/ebs") {
    out.arn = kms.aws_managed_ebs_key(caller, region);
    return out;
  }
  if (ref.starts_with("alias/")) {
    if (auto target = kms.find_alias_target(caller, region, ref)) {
      out.arn = *target;
    } else {
      not_found();
    }
    return out;
  }
  const std::string arn = api::kms_key_arn(region, caller, ref);
  if (kms.find_key(arn).has_value()) {
    out.arn = arn;
  } else {
    not_found();
  }
  return out;
}

bool Preflight::encryption_by_default(const api::AccountId& account, const api::Region& region) {
  const api::CallContext ctx{.principal = api::Principal::root(account),
                             .region = region,
                             .request_id = "ibsim-check",
                             .via_service = {},
                             .access_key_id = {},
                             .source_account = {},
                             .source_arn = {},
                             .request_unix_ms = world_.context().unix_ms()};
  auto out = world_.ec2().get_ebs_encryption_by_default(ctx, {});
  return out.ok() && out->ebs_encryption_by_default.value_or(false);
}

std::string Preflight::default_key(const api::AccountId& account, const api::Region& region) {
  const api::CallContext ctx{.principal = api::Principal::root(account),
                             .region = region,
                             .request_id = "ibsim-check",
                             .via_service = {},
                             .access_key_id = {},
                             .source_account = {},
                             .source_arn = {},
                             .request_unix_ms = world_.context().unix_ms()};
  auto out = world_.ec2().get_ebs_default_kms_key_id(ctx, {});
  std::string ref = out.ok() ? out->kms_key_id.value_or("") : std::string();
  if (ref.empty() || ref == "alias/aws/ebs" || ref.ends_with(":alias/aws/ebs")) {
    return world_.kms().aws_managed_ebs_key(account, region);
  }
  if (!ref.starts_with("arn:")) {
    const KeyResolution r = resolve_key(account, region, ref);
    return r.arn.empty() ? world_.kms().aws_managed_ebs_key(account, region) : r.arn;
  }
  return ref;
}

bool Preflight::check_key_usable(const std::string& arn, const std::string& needed_for) {
  const std::optional<api::kms::KeyMetadata> key = world_.kms().find_key(arn);
  if (!key.has_value()) {
    return false;
  }
  if (key->key_state == "Enabled") {
    return true;
  }
  if (!reported_keys_.insert("state|" + arn).second) {
    return false;
  }
  const bool disabled = key->key_state == "Disabled";
  Problem& p = add(Severity::kError,
                   disabled ? "KmsKeyDisabled" : "KmsKeyPendingDeletion",
                   "The KMS key " + arn + " is " + (disabled ? "disabled" : "pending deletion")
                       + ": EC2 cannot use it.");
  p.account = key->aws_account_id;
  const auto arn_parts = api::parse_arn(arn);
  p.region = arn_parts.ok() ? arn_parts->region : std::string();
  p.resource = arn;
  p.needed_for = needed_for;
  p.aws_error = disabled ? "DisabledException: " + arn + " is disabled."
                         : "KMSInvalidStateException: " + arn + " is pending deletion.";
  p.fixes.push_back(Fix{.kind = "EnableKey",
                        .side = {},
                        .policy = {},
                        .policy_of = arn,
                        .account = p.account,
                        .region = p.region,
                        .statement_json = {},
                        .text = disabled ? "Enable the key: aws kms enable-key --key-id " + arn
                                         : "Cancel the key's deletion and enable it: aws kms "
                                           "cancel-key-deletion --key-id "
                                               + arn + " && aws kms enable-key --key-id " + arn});
  return false;
}

void Preflight::probe_key(const Actor& actor,
                          const api::Region& region,
                          const std::string& key_arn,
                          bool write,
                          const std::string& needed_for,
                          const std::string& shown_as) {
  if (key_arn.empty()) {
    return;
  }
  check_key_usable(key_arn, needed_for);
  const policy::Policy* key_policy = keys_.find(key_arn);
  const auto arn_parts = api::parse_arn(key_arn);
  const std::string key_account = arn_parts.ok() ? arn_parts->account : std::string();
  // The keys the KMS model adds (kms_crypto.cc): kms:CallerAccount, the grant flag for
  // CreateGrant, the EBS encryption context for Decrypt and GenerateDataKeyWithoutPlaintext.
  // Unconfirmed: the key's own tags (aws:ResourceTag/*) are not readable without a caller and
  // are left out.
  const std::vector<mock_aws::auth::ContextValue> base = {
      {"kms:CallerAccount", {actor.principal.account.str()}, false}};
  std::vector<mock_aws::auth::ContextValue> context = base;
  context.push_back({"kms:EncryptionContext:" + std::string(internal::kEbsContextKey),
                     {std::string(internal::kPlaceholderSnapshotId)},
                     false});
  context.push_back({"kms:EncryptionContextKeys", {std::string(internal::kEbsContextKey)}, true});
  std::vector<mock_aws::auth::ContextValue> grant = base;
  grant.push_back({"kms:GrantIsForAWSResource", {"true"}, false});
  const std::string via = "ec2." + region.str() + ".amazonaws.com";
  auto ask = [&](std::string action, std::vector<mock_aws::auth::ContextValue> keys) {
    Probe p;
    p.actor = &actor;
    p.region = region;
    p.via_service = via;
    p.action = std::move(action);
    p.resource = key_arn;
    p.resource_account = key_account;
    p.resource_policy = key_policy;
    p.keys = std::move(keys);
    p.needed_for = needed_for;
    p.shown_as = shown_as;
    submit(p);
  };
  if (write) {
    ask("kms:DescribeKey", base);
    ask("kms:CreateGrant", grant);
    ask("kms:GenerateDataKeyWithoutPlaintext", context);
  } else {
    ask("kms:CreateGrant", grant);
    ask("kms:Decrypt", context);
  }
}

void Preflight::model_recipe_build(const ib::CreateImageRecipeInput& recipe) {
  const api::Region& region = in_.source_region;
  const std::string& parent = recipe.parent_image;
  std::string ami_id;
  if (parent.starts_with("ami-")) {
    ami_id = parent;
  } else if (parent.starts_with("ssm:")) {
    if (auto p = world_.ssm().find_parameter(in_.owner, region, parent.substr(4))) {
      ami_id = p->value.value_or("");
    }
  } else if (const auto arn = mock_aws::imagebuilder::parse_imagebuilder_arn(parent);
             arn.has_value() && arn->type == "image"
             && arn->account == mock_aws::imagebuilder::kAwsOwner && arn->region == region.str()) {
    if (const auto filter = mock_aws::imagebuilder::parse_version_filter(arn->version)) {
      if (const auto* info = mock_aws::imagebuilder::find_managed_image(arn->name, *filter)) {
        ami_id = mock_aws::imagebuilder::managed_image_ami_id(info->name, info->version, region);
      }
    }
  } else if (arn.has_value() && arn->type == "image" && arn->account == in_.owner.str()) {
    Problem& p = add(Severity::kNote,
                     "ParentImageNotChecked",
                     "The parent image " + parent
                         + " is an Image Builder image of this account, which a world file cannot "
                           "hold: the build output is assumed unencrypted HVM.");
    p.resource = in_.recipe_source;
    source_.known = true;
    source_.volumes.push_back(Volume{.device = "/dev/xvda"});
    return;
  }
  const ec2::ImageRecord* image =
      ami_id.empty() ? nullptr : world_.ec2().find_image(region, ami_id);
  if (image == nullptr || !visible_to(*image, in_.owner)) {
    Problem& p = add(Severity::kError,
                     "ParentImageNotFound",
                     "The recipe's parentImage " + parent + " is not an AMI account "
                         + in_.owner.str() + " can use in " + region.str() + ".");
    p.account = in_.owner.str();
    p.region = region.str();
    p.resource = parent;
    p.needed_for = "the build (RunInstances from the parent image)";
    p.aws_error = "InvalidAMIID.NotFound: The image id '[" + (ami_id.empty() ? parent : ami_id)
                  + "]' does not exist";
    p.fixes.push_back(Fix{.kind = "EditRecipe",
                          .side = {},
                          .policy = {},
                          .policy_of = in_.recipe_source,
                          .account = {},
                          .region = {},
                          .statement_json = {},
                          .text = "Name a parent image that exists in " + region.str()
                                  + " and that account " + in_.owner.str()
                                  + " owns or that is shared with it (or public)."});
    return;
  }
  source_.known = true;
  source_.virtualization = image->virtualization;
  source_.tags = recipe.ami_tags;
  source_.tags[std::string(engine::kCreatedByTagKey)] = std::string(engine::kCreatedByTagValue);
  source_.tags[std::string(engine::kImageArnTagKey)] = mock_aws::imagebuilder::imagebuilder_arn(
      region,
      in_.owner.str(),
      "image",
      mock_aws::imagebuilder::arn_resource_name(recipe.name) + "/" + recipe.semantic_version
          + "/1");
  source_.snapshot_tags = {
      {std::string(engine::kCreatedByTagKey), std::string(engine::kCreatedByTagValue)},
      {std::string(engine::kImageArnTagKey), source_.tags[std::string(engine::kImageArnTagKey)]}};

  // The volumes as RunInstances makes them (ec2_instances.cc): the parent's, changed or removed by
  // the recipe's block device mappings, plus new ones; then CreateImage snapshots them.
  struct BuildVolume {
    Volume v;
    bool source_encrypted = false;
    std::string source_key;
    std::string key_ref;
  };

  const bool by_default = encryption_by_default(in_.owner, region);
  std::vector<BuildVolume> volumes;
  for (const ec2::ImageBlockDevice& d : image->block_devices) {
    const ec2::SnapshotRecord* snap = world_.ec2().find_snapshot(region, d.snapshot_id.view());
    BuildVolume b;
    b.v.device = d.device_name;
    b.source_encrypted = snap != nullptr && snap->encrypted;
    b.source_key = b.source_encrypted ? snap->kms_key_arn() : std::string();
    b.v.encrypted = b.source_encrypted || by_default;
    volumes.push_back(std::move(b));
  }
  for (const ib::InstanceBlockDeviceMapping& m : recipe.block_device_mappings) {
    const std::string device = m.device_name.value_or("");
    auto it = std::find_if(
        volumes.begin(), volumes.end(), [&](const BuildVolume& b) { return b.v.device == device; });
    if (m.no_device.has_value()) {
      if (it != volumes.end()) {
        volumes.erase(it);
      }
      continue;
    }
    if (!m.ebs.has_value()) {
      continue;
    }
    if (it == volumes.end()) {
      BuildVolume b;
      b.v.device = device;
      b.v.encrypted = m.ebs->encrypted.value_or(false) || by_default;
      b.key_ref = m.ebs->kms_key_id.value_or("");
      volumes.push_back(std::move(b));
      continue;
    }
    it->v.encrypted = it->v.encrypted || m.ebs->encrypted.value_or(false);
    it->key_ref = m.ebs->kms_key_id.value_or("");
  }
  const std::string needed = "the build in " + region.str() + " (volumes of the build instance)";
  const std::string shown =
      "Image Builder: the build instance ends terminated (Client.InternalError"
      " or Client.InvalidKMSKey.InvalidState) and the image FAILED";
  for (BuildVolume& b : volumes) {
    if (b.source_encrypted) {
      probe_key(slr_, region, b.source_key, false, needed, shown);
    }
    if (b.v.encrypted) {
      std::string arn;
      if (!b.key_ref.empty()) {
        const KeyResolution r = resolve_key(in_.owner, region, b.key_ref);
        if (r.error.has_value()) {
          if (reported_keys_.insert("missing|" + region.str() + "|" + b.key_ref).second) {
            Problem& p = add(Severity::kError,
                             "KmsKeyNotFound",
                             "The recipe's kmsKeyId " + b.key_ref + " (device " + b.v.device
                                 + ") is not a KMS key of account " + in_.owner.str() + " in "
                                 + region.str() + ".");
            p.account = in_.owner.str();
            p.region = region.str();
            p.resource = b.key_ref;
            p.needed_for = needed;
            p.aws_error = r.error->code + ": " + r.error->message;
            p.fixes.push_back(Fix{.kind = "CreateKey",
                                  .side = {},
                                  .policy = {},
                                  .policy_of = in_.recipe_source,
                                  .account = in_.owner.str(),
                                  .region = region.str(),
                                  .statement_json = {},
                                  .text = "Create the key (or alias) in account " + in_.owner.str()
                                          + " region " + region.str()
                                          + ", or name an existing key's ARN in the recipe."});
          }
        } else {
          arn = r.arn;
        }
      } else {
        arn = b.source_encrypted ? b.source_key : default_key(in_.owner, region);
      }
      b.v.key_arn = arn;
      b.v.aws_managed = !arn.empty() && world_.kms().is_aws_managed_key(arn);
      if (!arn.empty()) {
        probe_key(slr_, region, arn, true, needed, shown);
      }
    }
    source_.volumes.push_back(b.v);
  }
  report_.source = "the AMI built from recipe " + recipe.name + " (parent " + ami_id + ")";
}

void Preflight::model_source() {
  const api::Region& region = in_.source_region;
  if (in_.recipe.has_value()) {
    model_recipe_build(*in_.recipe);
    return;
  }
  if (!in_.source_image.empty()) {
    report_.source = "the AMI " + in_.source_image;
    const ec2::ImageRecord* image = world_.ec2().find_image(region, in_.source_image);
    if (image == nullptr || !visible_to(*image, in_.owner)) {
      Problem& p = add(Severity::kError,
                       "SourceImageNotFound",
                       "The source image " + in_.source_image + " is not an AMI account "
                           + in_.owner.str() + " can see in " + region.str() + ".");
      p.account = in_.owner.str();
      p.region = region.str();
      p.resource = in_.source_image;
      p.needed_for = "DescribeImages of the source image (the start of the distribution)";
      p.aws_error = "EC2 Client Error: 'The image id '[" + in_.source_image + "]' does not exist'";
      p.fixes.push_back(Fix{.kind = "EditConfiguration",
                            .side = {},
                            .policy = {},
                            .policy_of = in_.source_image,
                            .account = in_.owner.str(),
                            .region = region.str(),
                            .statement_json = {},
                            .text = "Distribute an AMI of account " + in_.owner.str()
                                    + " in the source region " + region.str() + "."});
      return;
    }
    source_.known = true;
    source_.ami_id = image->id.str();
    source_.virtualization = image->virtualization;
    source_.tags = image->tags;
    source_.snapshot_tags = {
        {std::string(engine::kCreatedByTagKey), std::string(engine::kCreatedByTagValue)}};
    for (const ec2::ImageBlockDevice& d : image->block_devices) {
      const ec2::SnapshotRecord* snap = world_.ec2().find_snapshot(region, d.snapshot_id.view());
      Volume v;
      v.device = d.device_name;
      v.snapshot_id = d.snapshot_id.str();
      v.encrypted = snap != nullptr && snap->encrypted;
      v.key_arn = v.encrypted ? snap->kms_key_arn() : std::string();
      v.aws_managed = v.encrypted && world_.kms().is_aws_managed_key(v.key_arn);
      source_.volumes.push_back(std::move(v));
    }
    if (image->owner != in_.owner) {
      Problem& p =
          add(Severity::kError,
              "SourceImageNotOwned",
              "The source image " + in_.source_image + " belongs to account " + image->owner.str()
                  + ": Image Builder can share and tag only the owner's own AMI.");
      p.account = image->owner.str();
      p.region = region.str();
      p.resource = in_.source_image;
      p.needed_for = "sharing the source image with the target accounts";
      p.fixes.push_back(Fix{.kind = "EditConfiguration",
                            .side = {},
                            .policy = {},
                            .policy_of = in_.source_image,
                            .account = in_.owner.str(),
                            .region = region.str(),
                            .statement_json = {},
                            .text = "Copy the image into account " + in_.owner.str()
                                    + " first and distribute the copy."});
    }
    return;
  }
  // No recipe and no image: the build output of a recipe without block device mappings.
  report_.source = "a build output assumed unencrypted HVM (no --recipe)";
  source_.known = true;
  source_.tags = {{std::string(engine::kCreatedByTagKey), std::string(engine::kCreatedByTagValue)}};
  source_.snapshot_tags = source_.tags;
  Volume v{.device = "/dev/xvda"};
  if (encryption_by_default(in_.owner, region)) {
    v.encrypted = true;
    v.key_arn = default_key(in_.owner, region);
    v.aws_managed = world_.kms().is_aws_managed_key(v.key_arn);
  }
  source_.volumes.push_back(std::move(v));
}

// ---- Actors ---------------------------------------------------------------------------------

bool Preflight::set_up_service_linked_role() {
  const iam::RoleRecord* role =
      world_.iam().find_role_by_arn(engine::service_linked_role_arn(in_.owner));
  if (role == nullptr) {
    Problem& p = add(Severity::kError,
                     "ServiceLinkedRoleMissing",
                     "Account " + in_.owner.str()
                         + " has no service-linked role AWSServiceRoleForImageBuilder.");
    p.account = in_.owner.str();
    p.fixes.push_back(Fix{.kind = "AddAccount",
                          .side = {},
                          .policy = {},
                          .policy_of = in_.owner.str(),
                          .account = in_.owner.str(),
                          .region = {},
                          .statement_json = {},
                          .text = "Declare account " + in_.owner.str()
                                  + " in the world (ibsim creates the role with the account)."});
    return false;
  }
  slr_.role_arn = role->arn;
  slr_.service_linked = true;
  slr_.principal = api::Principal::assumed_role(
      role->account, role->name, role->path, engine::kServiceLinkedSessionName, role->role_id);
  for (const api::iam::Tag& t : role->tags) {
    slr_.principal.tags[t.key] = t.value;
  }
  // Image Builder itself assumes the service-linked role.
  static const Actor kService{.principal = api::Principal::service(kImageBuilderService),
                              .role_arn = {},
                              .service_linked = false};
  Probe p;
  p.actor = &kService;
  p.region = in_.source_region;
  p.action = "sts:AssumeRole";
  p.resource = role->arn;
  p.resource_account = in_.owner.str();
  p.resource_policy = role->trust.compiled.get();
  p.keys = {{"sts:RoleSessionName", {std::string(engine::kServiceLinkedSessionName)}, false}};
  p.needed_for = "every step: Image Builder acts through its service-linked role";
  prober_.check(p);
  return true;
}

const Actor* Preflight::role_of(const api::AccountId& account, const api::Region& region) {
  if (const auto it = roles_.find(account); it != roles_.end()) {
    return &it->second;
  }
  const std::string arn = engine::cross_account_role_arn(account);
  const iam::RoleRecord* role = world_.iam().find_role_by_arn(arn);
  const std::string needed = "every job of account " + account.str() + " (AssumeRole)";
  if (role == nullptr) {
    const bool known = world_.iam().has_account(account);
    Problem& p = add(Severity::kError,
                     "CrossAccountRoleMissing",
                     "Account " + account.str() + (known ? "" : " (not in the world)")
                         + " has no role EC2ImageBuilderDistributionCrossAccountRole for Image "
                           "Builder's service-linked role of "
                         + in_.owner.str() + " to assume.");
    const std::string message =
        "User: " + slr_.principal.arn
        + " is not authorized to perform: sts:AssumeRole on resource: " + arn;
    p.account = account.str();
    p.resource = arn;
    p.acting_as = slr_.principal.arn;
    p.needed_for = needed;
    p.aws_error =
        job_line(engine::JobFailureLine::Kind::kClientError, "STS", message, account, region);
    p.denials.push_back(Denial{.principal = slr_.principal.arn,
                               .action = "sts:AssumeRole",
                               .resource = arn,
                               .region = region.str(),
                               .message = message});
    const OrderedJson trust = {
        {"Version", "2012-10-17"},
        {"Statement",
         OrderedJson::array({{{"Effect", "Allow"},
                              {"Principal", {{"AWS", api::root_arn(in_.owner)}}},
                              {"Action", "sts:AssumeRole"}}})}};
    p.fixes.push_back(Fix{
        .kind = "CreateRole",
        .side = "resource",
        .policy = "the trust policy",
        .policy_of = arn,
        .account = account.str(),
        .region = {},
        .statement_json = dump(trust),
        .text = std::string(known ? "" : "Add account " + account.str() + " to the world and ")
                + (known ? "Create" : "create") + " the role " + arn + " with this trust policy:"});
    p.fixes.push_back(Fix{.kind = "AttachPolicy",
                          .side = "identity",
                          .policy = std::string(internal::kManagedPolicyArn),
                          .policy_of = arn,
                          .account = account.str(),
                          .region = {},
                          .statement_json = {},
                          .text = "Attach the AWS managed policy "
                                  + std::string(internal::kManagedPolicyArn) + " to it."});
    missing_roles_.emplace(account, direct_.size() - 1);
    Actor missing;
    missing.role_arn = arn;
    missing.exists = false;
    // Unconfirmed: the unique id of a role that does not exist yet; no policy can name it.
    missing.principal = api::Principal::assumed_role(account,
                                                     engine::kCrossAccountRoleName,
                                                     "/",
                                                     engine::kCrossAccountSessionName,
                                                     "AROAIBSIMCHECKMISSINGROLE");
    return &roles_.emplace(account, std::move(missing)).first->second;
  }
  Actor actor;
  actor.role_arn = role->arn;
  actor.principal = api::Principal::assumed_role(
      role->account, role->name, role->path, engine::kCrossAccountSessionName, role->role_id);
  for (const api::iam::Tag& t : role->tags) {
    actor.principal.tags[t.key] = t.value;
  }
  Actor& stored = roles_.emplace(account, std::move(actor)).first->second;
  // The service-linked role session assumes the role: the trust policy, and its own policy.
  Probe p;
  p.actor = &slr_;
  p.region = region;
  p.action = "sts:AssumeRole";
  p.resource = role->arn;
  p.resource_account = account.str();
  p.resource_policy = role->trust.compiled.get();
  p.keys = {{"sts:RoleSessionName", {std::string(engine::kCrossAccountSessionName)}, false}};
  p.needed_for = needed;
  p.shown_as =
      job_line(engine::JobFailureLine::Kind::kClientError,
               "STS",
               "User: " + slr_.principal.arn
                   + " is not authorized to perform: sts:AssumeRole on resource: " + role->arn,
               account,
               region);
  prober_.check(p);
  return &stored;
}

void Preflight::submit(const Probe& p) {
  if (!p.actor->exists && p.severity == Severity::kError) {
    role_needs_[p.actor->principal.account].insert(internal::category_of(p.action, p.resource));
  }
  prober_.check(p);
}

void Preflight::finish_missing_roles() {
  for (const auto& [account, index] : missing_roles_) {
    Problem& p = direct_[index].second;
    const std::set<std::string>& needs = role_needs_[account];
    const std::string role = engine::cross_account_role_arn(account);
    auto add_policy = [&](std::string_view document, std::string text) {
      p.fixes.push_back(Fix{.kind = "AddPolicy",
                            .side = "identity",
                            .policy = "an inline policy",
                            .policy_of = role,
                            .account = account.str(),
                            .region = {},
                            .statement_json = std::string(document),
                            .text = std::move(text)});
    };
    if (needs.count("kms") > 0) {
      add_policy(
          "{\"Version\":\"2012-10-17\",\"Statement\":[" + std::string(kInlineKmsStatement) + "]}",
          "The copies into account " + account.str()
              + " are encrypted: add this inline policy to the role (AWS's page):");
    }
    if (needs.count("launch-template") > 0) {
      add_policy(kLaunchTemplatePolicy,
                 "It updates launch templates of account " + account.str()
                     + ": add this inline policy (AWS's page; templates must be tagged "
                       "CreatedBy = EC2 Image Builder):");
    }
    if (needs.count("ssm") > 0) {
      add_policy(
          "{\"Version\":\"2012-10-17\",\"Statement\":[" + std::string(kSsmStatement) + "]}",
          "It writes SSM parameters of account " + account.str() + ": add this inline policy:");
    }
  }
}

const Actor* Preflight::actor_for(const api::AccountId& account, const api::Region& region) {
  return account == in_.owner ? &slr_ : role_of(account, region);
}

// ---- Regions and targets --------------------------------------------------------------------

void Preflight::check_launch_template(const ib::LaunchTemplateConfiguration& lt,
                                      const api::Region& region,
                                      const Actor& actor,
                                      const api::AccountId& account,
                                      const std::string& needed_for) {
  const ec2::LaunchTemplateRecord* record =
      world_.ec2().find_launch_template(account, region, lt.launch_template_id);
  const std::string arn = api::ec2_launch_template_arn(region, account, lt.launch_template_id);
  const std::string needed = needed_for + ": launch template " + lt.launch_template_id;
  if (record == nullptr) {
    Problem& p = add(Severity::kError,
                     "LaunchTemplateNotFound",
                     "Launch template " + lt.launch_template_id + " does not exist in account "
                         + account.str() + " region " + region.str() + ".");
    p.account = account.str();
    p.region = region.str();
    p.resource = arn;
    p.needed_for = needed;
    const std::string message = "The specified launch template, with template ID "
                                + lt.launch_template_id + ", does not exist.";
    p.aws_error =
        job_line(engine::JobFailureLine::Kind::kClientError, "EC2", message, account, region);
    p.fixes.push_back(Fix{.kind = "CreateLaunchTemplate",
                          .side = {},
                          .policy = {},
                          .policy_of = arn,
                          .account = account.str(),
                          .region = region.str(),
                          .statement_json = {},
                          .text = "Create the template in account " + account.str() + " region "
                                  + region.str()
                                  + " (tagged CreatedBy = EC2 Image Builder), or correct "
                                    "launchTemplateId (and accountId) in the configuration."});
    return;
  }
  const std::string shown_read = job_line(
      engine::JobFailureLine::Kind::kClientError, "EC2", kEc2UnauthorizedRead, account, region);
  const std::string shown_write = job_line(
      engine::JobFailureLine::Kind::kClientError, "EC2", kEc2UnauthorizedMutating, account, region);
  probe(actor, region, "ec2:DescribeLaunchTemplates", "*", {}, {}, needed, shown_read);
  auto tag_keys = [&](const std::map<std::string, std::string>& tags) {
    std::vector<mock_aws::auth::ContextValue> keys = {{"ec2:Region", {region.str()}, false}};
    for (const auto& [k, v] : tags) {
      keys.push_back({"aws:ResourceTag/" + k, {v}, false});
      keys.push_back({"ec2:ResourceTag/" + k, {v}, false});
    }
    return keys;
  };
  std::vector<std::string> actions = {"ec2:CreateLaunchTemplateVersion"};
  if (lt.set_default_version.value_or(false)) {
    actions.emplace_back("ec2:ModifyLaunchTemplate");
  }
  std::map<std::string, std::string> tagged = record->tags;
  tagged[std::string(engine::kCreatedByTagKey)] = std::string(engine::kCreatedByTagValue);
  const bool has_tag =
      record->tags.count(std::string(engine::kCreatedByTagKey)) > 0
      && record->tags.at(std::string(engine::kCreatedByTagKey)) == engine::kCreatedByTagValue;
  std::vector<std::string> fixed_by_tag;
  std::vector<Denial> denials;
  for (const std::string& action : actions) {
    Probe p;
    p.actor = &actor;
    p.region = region;
    p.action = action;
    p.resource = arn;
    p.resource_account = account.str();
    p.keys = tag_keys(record->tags);
    p.needed_for = needed;
    p.shown_as = shown_write;
    if (!actor.exists) {
      submit(p);
      if (!has_tag) {
        fixed_by_tag.push_back(action);
      }
      continue;
    }
    const mock_aws::auth::AuthzResult first = prober_.ask(p);
    if (first.allowed()) {
      continue;
    }
    if (!has_tag) {
      Probe with_tag = p;
      with_tag.keys = tag_keys(tagged);
      if (prober_.ask(with_tag).allowed()) {
        fixed_by_tag.push_back(action);
        denials.push_back(Denial{.principal = actor.principal.arn,
                                 .action = action,
                                 .resource = arn,
                                 .region = region.str(),
                                 .message = first.message});
        continue;
      }
    }
    submit(p);
  }
  if (!fixed_by_tag.empty()) {
    Problem& p = add(Severity::kError,
                     "LaunchTemplateNotTagged",
                     "Launch template " + lt.launch_template_id + " is not tagged CreatedBy = EC2 "
                         + "Image Builder, and the policies of " + actor.role_arn
                         + (actor.exists ? std::string(" allow")
                                         : std::string(" (as AWS's page "
                                                       "writes them) will allow"))
                         + " changing only templates so tagged.");
    p.account = account.str();
    p.region = region.str();
    p.resource = arn;
    p.acting_as = actor.principal.arn;
    p.needed_for = needed;
    p.aws_error = shown_write;
    p.denials = std::move(denials);
    p.fixes.push_back(Fix{
        .kind = "TagResource",
        .side = {},
        .policy = {},
        .policy_of = arn,
        .account = account.str(),
        .region = region.str(),
        .statement_json = dump(
            OrderedJson{{"Key", engine::kCreatedByTagKey}, {"Value", engine::kCreatedByTagValue}}),
        .text = "Tag the template: aws ec2 create-tags --region " + region.str() + " --resources "
                + lt.launch_template_id + " --tags 'Key=CreatedBy,Value=EC2 Image Builder'"});
  }
  if (!actor.service_linked) {
    // AWS's page lists it for the role; ibsim's engine does not tag templates.
    std::vector<mock_aws::auth::ContextValue> keys = {{"ec2:Region", {region.str()}, false}};
    keys.push_back({"aws:RequestTag/CreatedBy", {std::string(engine::kCreatedByTagValue)}, false});
    keys.push_back({"aws:TagKeys", {std::string(engine::kCreatedByTagKey)}, true});
    for (const auto& [k, v] : record->tags) {
      keys.push_back({"aws:ResourceTag/" + k, {v}, false});
      keys.push_back({"ec2:ResourceTag/" + k, {v}, false});
    }
    probe(actor,
          region,
          "ec2:CreateTags",
          arn,
          account.str(),
          std::move(keys),
          needed + " (tagging it; AWS's page asks for it, ibsim's distribution does not call it)",
          {},
          nullptr,
          Severity::kWarning);
  }
}

void Preflight::check_parameter(const ib::SsmParameterConfiguration& param,
                                const api::Region& region,
                                const Actor& actor,
                                const api::AccountId& account,
                                const std::string& needed_for) {
  const std::string arn =
      mock_aws::ssm::SsmModel::parameter_arn(region, account, param.parameter_name);
  probe(actor,
        region,
        "ssm:PutParameter",
        arn,
        account.str(),
        {},
        needed_for + ": SSM parameter " + param.parameter_name,
        job_line(engine::JobFailureLine::Kind::kClientError,
                 "SSM",
                 "User: " + actor.principal.arn
                     + " is not authorized to perform: ssm:PutParameter on resource: " + arn,
                 account,
                 region));
}

void Preflight::check_target(const ib::Distribution& d,
                             const api::Region& region,
                             const api::AccountId& target,
                             const AmiModel& owner_ami) {
  const Actor* role = role_of(target, region);
  if (role == nullptr) {
    return;
  }
  const std::string needed = "the copy into account " + target.str() + " in " + region.str();
  const std::string shown_write = job_line(
      engine::JobFailureLine::Kind::kClientError, "EC2", kEc2UnauthorizedMutating, target, region);
  const std::string shown_read = job_line(
      engine::JobFailureLine::Kind::kClientError, "EC2", kEc2UnauthorizedRead, target, region);
  const std::string shown_copy =
      job_line(engine::JobFailureLine::Kind::kCopyFailed, "EC2", {}, target, region);
  // CopyImage of the owner's AMI in this region (shared with the target), as the EC2 model asks
  // it: the source image with the launch permission as its resource side, then the new image.
  std::vector<mock_aws::auth::ContextValue> source_keys = {{"ec2:Owner", {in_.owner.str()}, false},
                                                           {"ec2:Region", {region.str()}, false}};
  if (!owner_ami.ami_id.empty()) {
    source_keys.push_back({"ec2:ImageID", {owner_ami.ami_id}, false});
  }
  for (const auto& [k, v] : owner_ami.tags) {
    source_keys.push_back({"aws:ResourceTag/" + k, {v}, false});
    source_keys.push_back({"ec2:ResourceTag/" + k, {v}, false});
  }
  probe(*role,
        region,
        "ec2:CopyImage",
        api::ec2_image_arn(region, owner_ami.ami_id.empty() ? "*" : owner_ami.ami_id),
        in_.owner.str(),
        std::move(source_keys),
        needed,
        shown_write,
        launch_grant_.get());
  probe(*role,
        region,
        "ec2:CopyImage",
        api::ec2_image_arn(region, "*"),
        target.str(),
        {{"ec2:Region", {region.str()}, false}, {"ec2:Owner", {target.str()}, false}},
        needed,
        shown_write);
  probe(*role,
        region,
        "ec2:DescribeImages",
        "*",
        {},
        {},
        needed + " (waiting for the copy)",
        shown_read);
  // KMS: reading the owner's snapshots, writing the copy's under the destination key.
  const std::string kms_id = d.ami_distribution_configuration
                                 ? d.ami_distribution_configuration->kms_key_id.value_or("")
                                 : std::string();
  if (owner_ami.encrypted() && !owner_ami.aws_managed()) {
    std::set<std::string> seen;
    for (const Volume& v : owner_ami.volumes) {
      if (v.encrypted && seen.insert(v.key_arn).second) {
        probe_key(*role, region, v.key_arn, false, needed + " (reading the source)", shown_copy);
      }
    }
  }
  const bool encrypt =
      owner_ami.encrypted() || !kms_id.empty() || encryption_by_default(target, region);
  if (encrypt) {
    std::string key_arn;
    if (!kms_id.empty()) {
      const KeyResolution r = resolve_key(target, region, kms_id);
      if (r.error.has_value()) {
        if (reported_keys_.insert("missing|" + target.str() + "|" + region.str() + "|" + kms_id)
                .second) {
          Problem& p = add(Severity::kError,
                           "KmsKeyNotFound",
                           "The kmsKeyId " + kms_id + " of region " + region.str()
                               + " does not resolve for account " + target.str()
                               + " (aliases and key ids name keys of the caller's own account).");
          p.account = target.str();
          p.region = region.str();
          p.resource = kms_id;
          p.needed_for = needed;
          p.aws_error = shown_copy + " (" + r.error->code + ": " + r.error->message + ")";
          p.fixes.push_back(Fix{.kind = "EditConfiguration",
                                .side = {},
                                .policy = {},
                                .policy_of = in_.distribution_source,
                                .account = {},
                                .region = region.str(),
                                .statement_json = {},
                                .text = "Set kmsKeyId of " + region.str()
                                        + " to the key's ARN (arn:aws:kms:" + region.str() + ":"
                                        + in_.owner.str()
                                        + ":key/...) so every account finds the same key."});
        }
      } else {
        key_arn = r.arn;
      }
    } else {
      key_arn = default_key(target, region);
    }
    if (!key_arn.empty()) {
      probe_key(*role, region, key_arn, true, needed + " (encrypting the copy)", shown_copy);
    }
  }
  const std::map<std::string, std::string> ami_tags =
      d.ami_distribution_configuration ? d.ami_distribution_configuration->ami_tags
                                       : std::map<std::string, std::string>{};
  if (!ami_tags.empty()) {
    std::vector<mock_aws::auth::ContextValue> keys = {{"ec2:Region", {region.str()}, false}};
    std::vector<std::string> names;
    for (const auto& [k, v] : ami_tags) {
      keys.push_back({"aws:RequestTag/" + k, {v}, false});
      names.push_back(k);
    }
    keys.push_back({"aws:TagKeys", names, true});
    probe(*role,
          region,
          "ec2:CreateTags",
          api::ec2_image_arn(region, "*"),
          target.str(),
          std::move(keys),
          needed + " (amiTags)",
          shown_write);
  }
  for (const ib::LaunchTemplateConfiguration& lt : d.launch_template_configurations) {
    if (lt.account_id.value_or(in_.owner.str()) == target.str()) {
      check_launch_template(
          lt, region, *role, target, "account " + target.str() + " in " + region.str());
    }
  }
  for (const ib::SsmParameterConfiguration& param : d.ssm_parameter_configurations) {
    if (param.ami_account_id.value_or(in_.owner.str()) == target.str()) {
      check_parameter(
          param, region, *role, target, "account " + target.str() + " in " + region.str());
    }
  }
}

void Preflight::check_region(const ib::Distribution& d, std::size_t index) {
  const api::Region region = api::Region::from_known(d.region);
  const std::optional<ib::AmiDistributionConfiguration>& ami = d.ami_distribution_configuration;
  if (!world_.has_region(region)) {
    Problem& p = add(Severity::kWarning,
                     "RegionNotInWorld",
                     "Region " + region.str() + " (distributions[" + std::to_string(index)
                         + "]) is not enabled in the world ($.regions).");
    p.region = region.str();
    p.resource = in_.distribution_source;
    p.fixes.push_back(Fix{.kind = "EditWorld",
                          .side = {},
                          .policy = {},
                          .policy_of = "$.regions",
                          .account = {},
                          .region = region.str(),
                          .statement_json = {},
                          .text = "Add " + region.str() + " to the world's regions."});
  }
  for (const std::string_view setting : {"containerDistributionConfiguration",
                                         "fastLaunchConfigurations",
                                         "s3ExportConfiguration",
                                         "licenseConfigurationArns"}) {
    const bool present =
        (setting == "containerDistributionConfiguration" && d.container_distribution_configuration)
        || (setting == "fastLaunchConfigurations" && !d.fast_launch_configurations.empty())
        || (setting == "s3ExportConfiguration" && d.s3_export_configuration)
        || (setting == "licenseConfigurationArns" && !d.license_configuration_arns.empty());
    if (present) {
      Problem& p = add(Severity::kNote,
                       "NotSimulated",
                       region.str() + ": " + std::string(setting)
                           + " is stored and returned but not simulated, nor checked.");
      p.region = region.str();
    }
  }
  const bool plans_ami = ami.has_value() || !d.launch_template_configurations.empty()
                         || !d.ssm_parameter_configurations.empty()
                         || !d.fast_launch_configurations.empty();
  if (!plans_ami || !source_.known) {
    return;
  }
  const bool is_source = region == in_.source_region;
  const std::string kms_id = ami ? ami->kms_key_id.value_or("") : std::string();
  const std::string region_needed = "the owner's AMI in " + region.str();

  // ---- The owner's AMI in this region ----
  AmiModel owner_ami;
  if (is_source) {
    owner_ami = source_;
  } else {
    owner_ami.known = true;
    owner_ami.virtualization = source_.virtualization;
    owner_ami.snapshot_tags = {
        {std::string(engine::kCreatedByTagKey), std::string(engine::kCreatedByTagValue)}};
    owner_ami.tags = owner_ami.snapshot_tags;
    if (const auto it = source_.tags.find(std::string(engine::kImageArnTagKey));
        it != source_.tags.end()) {
      owner_ami.tags.insert(*it);
      owner_ami.snapshot_tags.insert(*it);
    }
    const api::RegionInfo* info = api::find_region(region.str());
    if (source_.virtualization == ec2::Virtualization::kParavirtual
        && (info == nullptr || !info->supports_paravirtual)) {
      Problem& p = add(Severity::kError,
                       "ParavirtualNotSupported",
                       "The image is paravirtual (PV) and region " + region.str()
                           + " does not support PV: EC2 refuses the copy.");
      p.account = in_.owner.str();
      p.region = region.str();
      p.resource = in_.distribution_source + ": distributions[" + std::to_string(index) + "]";
      p.needed_for = "the copy into " + region.str();
      p.aws_error =
          job_line(engine::JobFailureLine::Kind::kClientError,
                   "EC2",
                   "The image " + (source_.ami_id.empty() ? std::string(kNewAmi) : source_.ami_id)
                       + " uses paravirtual (PV) virtualization, which region " + region.str()
                       + " does not support.",
                   in_.owner,
                   region);
      p.fixes.push_back(Fix{.kind = "EditConfiguration",
                            .side = {},
                            .policy = {},
                            .policy_of = in_.distribution_source,
                            .account = {},
                            .region = region.str(),
                            .statement_json = {},
                            .text = "Remove the distribution for " + region.str()
                                    + " (PV regions: ap-northeast-1, ap-southeast-1, "
                                      "ap-southeast-2, eu-central-1, eu-west-1, sa-east-1, "
                                      "us-east-1, us-west-1, us-west-2), or build from an HVM "
                                      "parent image."});
      return;
    }
    const std::string needed = "the owner's copy into " + region.str();
    const std::string shown_copy =
        job_line(engine::JobFailureLine::Kind::kCopyFailed, "EC2", {}, in_.owner, region);
    const std::string shown_write = job_line(engine::JobFailureLine::Kind::kClientError,
                                             "EC2",
                                             kEc2UnauthorizedMutating,
                                             in_.owner,
                                             region);
    // EC2: the source in the build region, the new image, its tags on create.
    std::vector<mock_aws::auth::ContextValue> source_keys = {
        {"ec2:Owner", {in_.owner.str()}, false}, {"ec2:Region", {in_.source_region.str()}, false}};
    if (!source_.ami_id.empty()) {
      source_keys.push_back({"ec2:ImageID", {source_.ami_id}, false});
    }
    for (const auto& [k, v] : source_.tags) {
      source_keys.push_back({"aws:ResourceTag/" + k, {v}, false});
      source_keys.push_back({"ec2:ResourceTag/" + k, {v}, false});
    }
    probe(slr_,
          region,
          "ec2:CopyImage",
          api::ec2_image_arn(in_.source_region, source_.ami_id.empty() ? "*" : source_.ami_id),
          in_.owner.str(),
          std::move(source_keys),
          needed,
          shown_write);
    std::vector<mock_aws::auth::ContextValue> tag_keys = {{"ec2:Region", {region.str()}, false},
                                                          {"ec2:Owner", {in_.owner.str()}, false}};
    std::vector<std::string> names;
    for (const auto& [k, v] : owner_ami.snapshot_tags) {
      tag_keys.push_back({"aws:RequestTag/" + k, {v}, false});
      names.push_back(k);
    }
    tag_keys.push_back({"aws:TagKeys", names, true});
    probe(slr_,
          region,
          "ec2:CopyImage",
          api::ec2_image_arn(region, "*"),
          in_.owner.str(),
          tag_keys,
          needed,
          shown_write);
    tag_keys[1] = {"ec2:CreateAction", {"CopyImage"}, false};
    probe(slr_,
          region,
          "ec2:CreateTags",
          api::ec2_image_arn(region, "*"),
          in_.owner.str(),
          tag_keys,
          needed,
          shown_write);
    probe(slr_,
          region,
          "ec2:CreateTags",
          api::ec2_snapshot_arn(region, "*"),
          in_.owner.str(),
          tag_keys,
          needed,
          shown_write);
    // KMS: the source snapshots are read in the build region, the copy written here.
    std::set<std::string> seen;
    for (const Volume& v : source_.volumes) {
      if (v.encrypted && seen.insert(v.key_arn).second) {
        probe_key(slr_,
                  in_.source_region,
                  v.key_arn,
                  false,
                  needed + " (reading the source)",
                  shown_copy);
      }
    }
    const bool encrypt_all =
        source_.encrypted() || !kms_id.empty() || encryption_by_default(in_.owner, region);
    std::string key_arn;
    if (encrypt_all) {
      if (!kms_id.empty()) {
        const KeyResolution r = resolve_key(in_.owner, region, kms_id);
        if (r.error.has_value()) {
          if (reported_keys_
                  .insert("missing|" + in_.owner.str() + "|" + region.str() + "|" + kms_id)
                  .second) {
            Problem& p =
                add(Severity::kError,
                    "KmsKeyNotFound",
                    "The kmsKeyId " + kms_id + " of region " + region.str()
                        + " is not a KMS key account " + in_.owner.str() + " can use there.");
            p.account = in_.owner.str();
            p.region = region.str();
            p.resource = kms_id;
            p.needed_for = needed;
            p.aws_error = shown_copy + " (" + r.error->code + ": " + r.error->message + ")";
            p.fixes.push_back(Fix{.kind = "CreateKey",
                                  .side = {},
                                  .policy = {},
                                  .policy_of = in_.distribution_source,
                                  .account = in_.owner.str(),
                                  .region = region.str(),
                                  .statement_json = {},
                                  .text = "Create the key in account " + in_.owner.str()
                                          + " region " + region.str()
                                          + " (KMS keys are regional), or set kmsKeyId to an "
                                            "existing key's ARN in that region."});
          }
        } else {
          key_arn = r.arn;
        }
      } else {
        key_arn = default_key(in_.owner, region);
      }
      if (!key_arn.empty()) {
        probe_key(slr_, region, key_arn, true, needed + " (encrypting the copy)", shown_copy);
      }
    }
    for (const Volume& v : source_.volumes) {
      Volume out{.device = v.device};
      out.encrypted = v.encrypted || encrypt_all;
      if (out.encrypted) {
        out.key_arn = key_arn;
        out.aws_managed = !key_arn.empty() && world_.kms().is_aws_managed_key(key_arn);
      }
      owner_ami.volumes.push_back(std::move(out));
    }
  }

  // ---- Tags and launch permissions of the owner's AMI ----
  const std::string shown_owner_write = job_line(engine::JobFailureLine::Kind::kClientError,
                                                 "EC2",
                                                 kEc2UnauthorizedMutating,
                                                 in_.owner,
                                                 region);
  const std::string owner_arn =
      api::ec2_image_arn(region, owner_ami.ami_id.empty() ? "*" : owner_ami.ami_id);
  if (ami && !ami->ami_tags.empty()) {
    std::vector<mock_aws::auth::ContextValue> keys = {{"ec2:Region", {region.str()}, false}};
    for (const auto& [k, v] : owner_ami.tags) {
      keys.push_back({"aws:ResourceTag/" + k, {v}, false});
      keys.push_back({"ec2:ResourceTag/" + k, {v}, false});
    }
    std::vector<std::string> names;
    for (const auto& [k, v] : ami->ami_tags) {
      keys.push_back({"aws:RequestTag/" + k, {v}, false});
      names.push_back(k);
    }
    keys.push_back({"aws:TagKeys", names, true});
    probe(slr_,
          region,
          "ec2:CreateTags",
          owner_arn,
          in_.owner.str(),
          std::move(keys),
          region_needed + " (amiTags)",
          shown_owner_write);
  }
  std::vector<api::AccountId> targets;
  if (ami) {
    for (const std::string& t : ami->target_account_ids) {
      if (!api::AccountId::is_valid(t)) {
        continue;
      }
      const api::AccountId id = api::AccountId::from_valid(t);
      if (id == in_.owner) {
        Problem& p = add(Severity::kNote,
                         "OwnerIsTarget",
                         "Account " + t + " is the owner: listed in targetAccountIds of "
                             + region.str() + ", it gets no copy (it already holds the AMI).");
        p.account = t;
        p.region = region.str();
        continue;
      }
      if (std::find(targets.begin(), targets.end(), id) == targets.end()) {
        targets.push_back(id);
        targets_.insert(id);
      }
    }
  }
  const std::optional<ib::LaunchPermissionConfiguration> lp =
      ami ? ami->launch_permission : std::nullopt;
  const bool shares_launch =
      lp.has_value()
      && (!lp->user_ids.empty() || !lp->organization_arns.empty()
          || !lp->organizational_unit_arns.empty() || !lp->user_groups.empty());
  const Volume* managed = owner_ami.aws_managed_volume();
  if (managed != nullptr && (!targets.empty() || shares_launch)) {
    Problem& p = add(Severity::kError,
                     "AwsManagedKeyNotShareable",
                     "The owner's AMI in " + region.str() + " is encrypted with the AWS managed "
                         + "key aws/ebs (" + managed->key_arn
                         + "), which cannot be shared with other accounts.");
    p.account = in_.owner.str();
    p.region = region.str();
    p.resource = managed->key_arn;
    p.needed_for = "sharing the AMI of " + region.str() + " with "
                   + (targets.empty() ? std::string("the launchPermission accounts")
                                      : "account " + targets.front().str());
    p.aws_error = job_line(
        engine::JobFailureLine::Kind::kClientError,
        "EC2",
        "Snapshots encrypted with the AWS Managed CMK can\u2019t be shared. Specify another "
        "snapshot.",
        targets.empty() ? in_.owner : targets.front(),
        region);
    std::string how;
    if (is_source && in_.recipe.has_value()) {
      how =
          "Encrypt the build with a customer managed key: set blockDeviceMappings[].ebs."
          "kmsKeyId in "
          + in_.recipe_source + " to a key of account " + in_.owner.str() + " in " + region.str()
          + " whose key policy allows the target accounts.";
    } else if (is_source) {
      how =
          "Distribute an AMI encrypted with a customer managed key (whose key policy allows "
          "the target accounts), or set account "
          + in_.owner.str() + "'s EBS default key in " + region.str()
          + " to such a key (aws ec2 modify-ebs-default-kms-key-id) before building.";
    } else {
      how = "Set kmsKeyId of the " + region.str()
            + " distribution to a customer managed key of account " + in_.owner.str() + " in "
            + region.str()
            + " whose key policy allows the target accounts (without it the copy uses the "
              "account's default EBS key, aws/ebs).";
    }
    p.fixes.push_back(Fix{.kind = "UseCustomerManagedKey",
                          .side = {},
                          .policy = {},
                          .policy_of = is_source && in_.recipe.has_value()
                                           ? in_.recipe_source
                                           : in_.distribution_source,
                          .account = in_.owner.str(),
                          .region = region.str(),
                          .statement_json = {},
                          .text = how});
  }
  if (lp.has_value() && owner_ami.encrypted()
      && std::find(lp->user_groups.begin(), lp->user_groups.end(), "all")
             != lp->user_groups.end()) {
    Problem& p = add(Severity::kError,
                     "EncryptedImageNotPublic",
                     "launchPermission of " + region.str()
                         + " makes the AMI public, but it is encrypted: EC2 refuses.");
    p.account = in_.owner.str();
    p.region = region.str();
    p.resource = in_.distribution_source;
    p.aws_error = job_line(engine::JobFailureLine::Kind::kClientError,
                           "EC2",
                           "Images with encrypted snapshots cannot be made public.",
                           in_.owner,
                           region);
    p.fixes.push_back(
        Fix{.kind = "EditConfiguration",
            .side = {},
            .policy = {},
            .policy_of = in_.distribution_source,
            .account = {},
            .region = region.str(),
            .statement_json = {},
            .text = "Remove \"all\" from launchPermission.userGroups of " + region.str() + "."});
  }
  if (shares_launch) {
    std::vector<mock_aws::auth::ContextValue> keys = {
        {"ec2:Owner", {in_.owner.str()}, false},
        {"ec2:Region", {region.str()}, false},
        {"ec2:Attribute", {"launchPermission"}, false}};
    probe(slr_,
          region,
          "ec2:ModifyImageAttribute",
          owner_arn,
          in_.owner.str(),
          std::move(keys),
          region_needed + " (launchPermission)",
          shown_owner_write);
  }
  if (!targets.empty() && managed == nullptr) {
    // Sharing with the targets: the AMI's launch permission and each snapshot's
    // createVolumePermission, as the service-linked role.
    std::vector<mock_aws::auth::ContextValue> keys = {
        {"ec2:Owner", {in_.owner.str()}, false},
        {"ec2:Region", {region.str()}, false},
        {"ec2:Attribute", {"launchPermission"}, false}};
    for (const auto& [k, v] : owner_ami.tags) {
      keys.push_back({"aws:ResourceTag/" + k, {v}, false});
      keys.push_back({"ec2:ResourceTag/" + k, {v}, false});
    }
    probe(slr_,
          region,
          "ec2:ModifyImageAttribute",
          owner_arn,
          in_.owner.str(),
          std::move(keys),
          region_needed + " (sharing it with the targets)",
          shown_owner_write);
    std::vector<std::string> users;
    for (const api::AccountId& t : targets) {
      users.push_back(t.str());
    }
    std::vector<mock_aws::auth::ContextValue> snap_keys = {
        {"ec2:Owner", {in_.owner.str()}, false},
        {"ec2:Region", {region.str()}, false},
        {"ec2:Encrypted", {owner_ami.encrypted() ? "true" : "false"}, false},
        {"ec2:Attribute", {"createVolumePermission"}, false},
        {"ec2:Add/userId", users, true}};
    for (const auto& [k, v] : owner_ami.snapshot_tags) {
      snap_keys.push_back({"aws:ResourceTag/" + k, {v}, false});
      snap_keys.push_back({"ec2:ResourceTag/" + k, {v}, false});
    }
    probe(slr_,
          region,
          "ec2:ModifySnapshotAttribute",
          api::ec2_snapshot_arn(region, "*"),
          in_.owner.str(),
          std::move(snap_keys),
          region_needed + " (sharing its snapshots with the targets)",
          shown_owner_write);
    for (const api::AccountId& t : targets) {
      check_target(d, region, t, owner_ami);
    }
  }
  // Launch templates and parameters of the owner, and of accounts that are not targets here.
  for (const ib::LaunchTemplateConfiguration& lt : d.launch_template_configurations) {
    const std::string id = lt.account_id.value_or(in_.owner.str());
    if (!api::AccountId::is_valid(id)) {
      continue;
    }
    const api::AccountId account = api::AccountId::from_valid(id);
    if (std::find(targets.begin(), targets.end(), account) != targets.end()) {
      continue;
    }
    if (const Actor* actor = actor_for(account, region)) {
      check_launch_template(
          lt, region, *actor, account, "account " + account.str() + " in " + region.str());
    }
  }
  for (const ib::SsmParameterConfiguration& param : d.ssm_parameter_configurations) {
    const std::string id = param.ami_account_id.value_or(in_.owner.str());
    if (!api::AccountId::is_valid(id)) {
      continue;
    }
    const api::AccountId account = api::AccountId::from_valid(id);
    if (std::find(targets.begin(), targets.end(), account) != targets.end()) {
      continue;
    }
    if (const Actor* actor = actor_for(account, region)) {
      check_parameter(
          param, region, *actor, account, "account " + account.str() + " in " + region.str());
    }
  }
}

Report Preflight::run() {
  report_.owner = in_.owner.str();
  report_.source_region = in_.source_region.str();
  sim::Result<policy::Policy> grant = policy::parse_policy(
      kLaunchGrantPolicy, policy::PolicyKind::kResource, {.name = "launchPermission"});
  if (grant.ok()) {
    launch_grant_ = std::make_unique<policy::Policy>(std::move(grant).value());
  }
  check_configuration();
  check_recipe();
  if (set_up_service_linked_role()) {
    model_source();
    std::set<std::string> seen;
    for (std::size_t i = 0; i < in_.distribution.distributions.size(); ++i) {
      const ib::Distribution& d = in_.distribution.distributions[i];
      if (api::find_region(d.region) == nullptr || !seen.insert(d.region).second) {
        continue;  // Reported by the configuration's validation.
      }
      check_region(d, i);
      ++report_.regions;
    }
  }
  finish_missing_roles();
  report_.target_accounts = targets_.size();
  report_.requests_checked = prober_.requests();
  std::vector<std::pair<std::size_t, Problem>> all = std::move(direct_);
  for (auto& entry : prober_.problems()) {
    all.push_back(std::move(entry));
  }
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
    if (a.second.severity != b.second.severity) {
      return a.second.severity < b.second.severity;
    }
    return a.first < b.first;
  });
  for (auto& [order, p] : all) {
    report_.problems.push_back(std::move(p));
  }
  return std::move(report_);
}

}  // namespace

Report run_check(mock_aws::services::World& world, const CheckInput& input) {
  Preflight preflight(world, input);
  return preflight.run();
}

sim::Result<api::AccountId> infer_owner(const mock_aws::services::World& world,
                                        const ib::CreateDistributionConfigurationInput& dc) {
  std::set<std::string> named;
  for (const ib::Distribution& d : dc.distributions) {
    if (const auto& a = d.ami_distribution_configuration) {
      named.insert(a->target_account_ids.begin(), a->target_account_ids.end());
      if (a->launch_permission) {
        named.insert(a->launch_permission->user_ids.begin(), a->launch_permission->user_ids.end());
      }
    }
    for (const ib::LaunchTemplateConfiguration& lt : d.launch_template_configurations) {
      if (lt.account_id) {
        named.insert(*lt.account_id);
      }
    }
    for (const ib::SsmParameterConfiguration& p : d.ssm_parameter_configurations) {
      if (p.ami_account_id) {
        named.insert(*p.ami_account_id);
      }
    }
  }
  std::vector<api::AccountId> candidates;
  for (const api::AccountId& a : world.iam().account_ids()) {
    if (named.count(a.str()) == 0) {
      candidates.push_back(a);
    }
  }
  if (candidates.size() == 1) {
    return candidates.front();
  }
  return sim::aws_error(
      "InvalidInput",
      candidates.empty()
          ? "every account of the world is named in the configuration: give the owner with --account"
          : std::to_string(candidates.size())
                + " accounts of the world could own the configuration: give the owner with "
                  "--account");
}

sim::Result<api::Region> infer_source_region(mock_aws::services::World& world,
                                             const api::AccountId& owner,
                                             const std::string& source_image) {
  if (!source_image.empty()) {
    for (const api::Region& r : world.regions()) {
      const ec2::ImageRecord* image = world.ec2().find_image(r, source_image);
      if (image != nullptr && image->owner == owner) {
        return r;
      }
    }
  }
  if (world.regions().size() == 1) {
    return *world.regions().begin();
  }
  return sim::aws_error("InvalidInput",
                        "give the region the configuration lives in (where the image is built) "
                        "with --region");
}

}  // namespace ibsim::check
