// SsmModel: Parameter Store's rules for the four modelled operations (see the header). Texts
// quoted from AWS: ParameterAlreadyExists, the name rule and the standard-tier value limit; the
// others are marked where they are ibsim's.

#include "mock_aws/ssm/ssm_model.h"

#include <algorithm>
#include <regex>
#include <set>
#include <vector>

#include "mock_aws/ssm/ssm_errors.h"

namespace ibsim::mock_aws::ssm {

namespace {

constexpr std::string_view kArnPrefix = "arn:aws:ssm:";
constexpr std::string_view kDefaultDataType = "text";
constexpr std::size_t kTagsMax = 50;

// AWS's text for a name that breaks the naming rules (reserved prefix or characters).
constexpr std::string_view kNameRuleMessage =
    "Parameter name: can't be prefixed with \"aws\" or \"ssm\" (case-insensitive). If formed as "
    "a path, it can consist of sub-paths divided by slash symbol; each sub-path can be formed as a "
    "mix of letters, numbers and the following 3 symbols .-_";

bool name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
         || c == '-' || c == '_' || c == '/';
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

bool looks_like_ami_id(std::string_view text) {
  if (text.substr(0, 4) != "ami-") {
    return false;
  }
  const std::string_view hex = text.substr(4);
  return (hex.size() == 8 || hex.size() == 17) && std::all_of(hex.begin(), hex.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

sim::AwsError validation(std::string message) {
  return ssm_error(ErrorCode::kValidation, std::move(message));
}

// Coral's form for a single-member constraint (as mock_aws/protocol prints it).
sim::AwsError constraint(std::string_view value, std::string_view member, std::string_view rule) {
  return validation("1 validation error detected: Value '" + std::string(value) + "' at '"
                    + std::string(member) + "' failed to satisfy constraint: " + std::string(rule));
}

sim::Status check_name(std::string_view name,
                       std::size_t name_max,
                       std::size_t levels_max,
                       bool seeding) {
  if (name.empty()) {
    return constraint(name, "name", "Member must have length greater than or equal to 1");
  }
  if (name.size() > name_max) {
    // Unconfirmed: AWS's text for an over-long name.
    return validation("Parameter name exceeds the maximum length of " + std::to_string(name_max)
                      + " characters.");
  }
  if (!std::all_of(name.begin(), name.end(), name_char)) {
    return validation(std::string(kNameRuleMessage));
  }
  const std::string_view relative = name.front() == '/' ? name.substr(1) : name;
  const std::string prefix = lower(relative.substr(0, 3));
  if (!seeding && (prefix == "aws" || prefix == "ssm")) {
    return validation(std::string(kNameRuleMessage));
  }
  if (name.find('/') != std::string_view::npos && name.front() != '/') {
    // Unconfirmed: AWS's text; a name with sub-paths must be fully qualified.
    return validation("Parameter name must be a fully qualified name.");
  }
  if (name.find("//") != std::string_view::npos || (name.size() > 1 && name.back() == '/')) {
    return validation(std::string(kNameRuleMessage));
  }
  const std::size_t levels =
      static_cast<std::size_t>(std::count(relative.begin(), relative.end(), '/')) + 1;
  if (levels > levels_max) {
    return ssm_error(
        ErrorCode::kHierarchyLevelLimitExceeded,
        "A hierarchy can have a maximum of " + std::to_string(levels_max) + " levels.");
  }
  return sim::ok_status();
}

// Splits "name:3" (or an ARN) into the parameter name and its version selector.
struct NameRef {
  std::string name;
  std::optional<std::string> selector;  // Text after ':'.
  bool from_arn = false;
};

NameRef split_name(std::string_view text) {
  NameRef ref;
  if (text.substr(0, kArnPrefix.size()) == kArnPrefix) {
    const std::size_t at = text.find(":parameter/");
    if (at != std::string_view::npos) {
      text = text.substr(at + std::string_view(":parameter").size());
      ref.from_arn = true;
    }
  }
  const std::size_t colon = text.rfind(':');
  if (colon != std::string_view::npos) {
    ref.selector = std::string(text.substr(colon + 1));
    text = text.substr(0, colon);
  }
  ref.name = std::string(text);
  return ref;
}

}  // namespace

SsmModel::SsmModel(sim::Context& ctx, auth::Authorizer& authorizer, Options options)
    : ctx_(ctx), authorizer_(authorizer), options_(options) {}

std::string SsmModel::parameter_arn(const api::Region& region,
                                    const api::AccountId& account,
                                    std::string_view name) {
  std::string out(kArnPrefix);
  out += region.str();
  out += ':';
  out += account.str();
  out += ":parameter/";
  out += name.substr(!name.empty() && name.front() == '/' ? 1 : 0);
  return out;
}

sim::Status SsmModel::authorize(const api::CallContext& ctx,
                                std::string_view action,
                                const std::string& arn,
                                const Record* record) {
  auth::AuthzRequest request{.action = action, .resource = arn};
  if (record != nullptr) {
    for (const auto& [k, v] : record->tags) {
      request.keys.push_back({.key = "aws:ResourceTag/" + k, .values = {v}});
    }
  }
  const auth::AuthzResult result = authorizer_.authorize(ctx, request);
  if (!result.allowed()) {
    const ErrorInfo& info = error_info(ErrorCode::kAccessDenied);
    return auth::access_denied(std::string(info.wire_name), info.http_status, result);
  }
  return sim::ok_status();
}

const SsmModel::Record* SsmModel::find(const api::AccountId& account,
                                       const api::Region& region,
                                       std::string_view name) const {
  const auto store = stores_.find(RegionKey{account, region});
  if (store == stores_.end()) {
    return nullptr;
  }
  const auto it = store->second.find(name);
  return it == store->second.end() ? nullptr : &it->second;
}

api::ssm::Parameter SsmModel::view(const api::AccountId& account,
                                   const api::Region& region,
                                   const Record& record,
                                   int64_t version,
                                   bool with_selector) const {
  const Version& v = record.versions.at(version);
  api::ssm::Parameter p;
  p.name = record.name;
  p.type = v.type;
  // Deviation from AWS: SecureString values are stored as given and returned in clear, with or
  // without WithDecryption (no KMS encryption of parameters).
  p.value = v.value;
  p.version = version;
  if (with_selector) {
    std::string selector(1, ':');
    selector += std::to_string(version);
    p.selector = std::move(selector);
  }
  p.last_modified_date = v.last_modified_ms;
  p.arn = parameter_arn(region, account, record.name);
  p.data_type = v.data_type;
  return p;
}

sim::Result<api::ssm::PutParameterOutput> SsmModel::put(const api::AccountId& account,
                                                        const api::Region& region,
                                                        const api::ssm::PutParameterInput& in,
                                                        bool seeding) {
  if (sim::Status s =
          check_name(in.name, options_.name_max, options_.hierarchy_levels_max, seeding);
      !s.ok()) {
    return s.error();
  }
  Store& store = stores_[RegionKey{account, region}];
  const auto existing = store.find(in.name);
  const bool exists = existing != store.end();
  const bool overwrite = in.overwrite.value_or(false);
  if (overwrite && !in.tags.empty()) {
    // Unconfirmed: AWS's wording (the rule is AWS's: tags only on create).
    return validation(
        "Invalid request: tags and overwrite can't be used together. To create a parameter with "
        "tags, please remove overwrite flag. To update tags for an existing parameter, please use "
        "AddTagsToResource or RemoveTagsFromResource.");
  }
  if (exists && !overwrite) {
    return ssm_error(ErrorCode::kParameterAlreadyExists,
                     "The parameter already exists. To overwrite this value, set the overwrite "
                     "option in the request to true.");
  }
  std::string type;
  if (in.type) {
    type = *in.type;
  } else if (exists) {
    type = existing->second.versions.rbegin()->second.type;
  } else {
    // Unconfirmed: AWS's text.
    return validation("A parameter type is required when you create a parameter.");
  }
  if (type != api::ssm::kParameterTypeString && type != api::ssm::kParameterTypeStringList
      && type != api::ssm::kParameterTypeSecureString) {
    return constraint(
        type, "type", "Member must satisfy enum value set: [SecureString, StringList, String]");
  }
  if (in.description && in.description->size() > options_.description_max) {
    return constraint(*in.description,
                      "description",
                      "Member must have length less than or equal to "
                          + std::to_string(options_.description_max));
  }
  if (in.key_id && type != api::ssm::kParameterTypeSecureString) {
    // Unconfirmed: AWS's text.
    return validation("KeyId is required only for SecureString type parameter.");
  }
  if (in.tags.size() > kTagsMax) {
    return constraint("tags",
                      "tags",
                      "Member must have length less than or equal to " + std::to_string(kTagsMax));
  }
  std::string tier =
      in.tier.value_or(exists ? existing->second.tier : std::string(api::ssm::kTierStandard));
  if (tier == api::ssm::kTierIntelligentTiering) {
    tier = in.value.size() > options_.standard_value_max ? std::string(api::ssm::kTierAdvanced)
                                                         : std::string(api::ssm::kTierStandard);
  }
  if (tier != api::ssm::kTierStandard && tier != api::ssm::kTierAdvanced) {
    return constraint(tier,
                      "tier",
                      "Member must satisfy enum value set: [Standard, Advanced, "
                      "Intelligent-Tiering]");
  }
  if (in.value.empty()) {
    return constraint(in.value, "value", "Member must have length greater than or equal to 1");
  }
  if (tier == api::ssm::kTierStandard && in.value.size() > options_.standard_value_max) {
    return validation(
        "Standard tier parameters support a maximum parameter value of 4096 characters. To create "
        "a larger parameter value, upgrade the parameter to use the advanced-parameter tier. For "
        "more information, see "
        "https://docs.aws.amazon.com/systems-manager/latest/userguide/"
        "parameter-store-advanced-parameters.html");
  }
  if (in.value.size() > options_.advanced_value_max) {
    // Unconfirmed: AWS's text.
    return validation("Advanced tier parameters support a maximum parameter value of "
                      + std::to_string(options_.advanced_value_max) + " characters.");
  }
  const std::string data_type = in.data_type.value_or(std::string(kDefaultDataType));
  if (data_type != api::ssm::kDataTypeText && data_type != api::ssm::kDataTypeEc2Image
      && data_type != api::ssm::kDataTypeSsmIntegration) {
    return validation("The following data type is not supported: " + data_type
                      + " (Data type names are all lowercase.)");
  }
  if (data_type == api::ssm::kDataTypeEc2Image) {
    if (type != api::ssm::kParameterTypeString) {
      // Unconfirmed: AWS's text; aws:ec2:image applies to String parameters only.
      return validation("The aws:ec2:image data type is only supported for String parameters.");
    }
    if (!looks_like_ami_id(in.value)) {
      // Deviation from AWS: AWS validates aws:ec2:image values asynchronously (PutParameter
      // succeeds and the parameter is silently not created); ibsim checks the AMI id format at
      // once and answers with this error. Whether the AMI exists is not checked here.
      return validation("Parameter value, " + in.value +
                        ", is not a valid AMI ID for the aws:ec2:image data type (expected "
                        "ami-<8 or 17 hex digits>).");
    }
  }
  const std::optional<std::string> pattern =
      in.allowed_pattern ? in.allowed_pattern
                         : (exists ? existing->second.allowed_pattern : std::nullopt);
  if (pattern) {
    std::optional<std::regex> re;
    try {
      re.emplace(*pattern, std::regex::ECMAScript);
    } catch (const std::regex_error&) {
      return ssm_error(ErrorCode::kInvalidAllowedPattern,
                       "The request does not meet the regular expression requirement.");
    }
    if (!std::regex_match(in.value, *re)) {
      // Unconfirmed: AWS's text.
      return ssm_error(
          ErrorCode::kParameterPatternMismatch,
          "Parameter value, " + in.value
              + ", failed to satisfy constraint specified by AllowedPattern: " + *pattern + ".");
    }
  }
  if (!exists && store.size() >= options_.standard_parameters_max) {
    return ssm_error(ErrorCode::kParameterLimitExceeded,
                     "You have exceeded the number of parameters for this Amazon Web Services "
                     "account. Delete one or more parameters and try again.");
  }
  Record& record = exists ? existing->second : store[in.name];
  record.name = in.name;
  if (in.description) {
    record.description = in.description;
  }
  if (in.key_id) {
    record.key_id = in.key_id;
  }
  if (in.allowed_pattern) {
    record.allowed_pattern = in.allowed_pattern;
  }
  record.tier = tier;
  for (const api::ssm::Tag& t : in.tags) {
    record.tags[t.key] = t.value;
  }
  ++record.version;
  record.versions[record.version] = Version{
      .value = in.value, .type = type, .data_type = data_type, .last_modified_ms = ctx_.unix_ms()};
  while (record.versions.size() > options_.versions_kept_max) {
    record.versions.erase(record.versions.begin());
  }
  ctx_.emit("ssm.parameter.put",
            {{"account", account.str()},
             {"region", region.str()},
             {"name", in.name},
             {"version", record.version}});
  return api::ssm::PutParameterOutput{.version = record.version, .tier = tier};
}

sim::Result<api::ssm::PutParameterOutput> SsmModel::put_parameter(
    const api::CallContext& ctx, const api::ssm::PutParameterInput& in) {
  const std::string arn = parameter_arn(ctx.region, ctx.principal.account, in.name);
  if (sim::Status s =
          authorize(ctx, "ssm:PutParameter", arn, find(ctx.principal.account, ctx.region, in.name));
      !s.ok()) {
    return s.error();
  }
  return put(ctx.principal.account, ctx.region, in, false);
}

sim::Result<api::ssm::PutParameterOutput> SsmModel::seed_parameter(
    const api::AccountId& account,
    const api::Region& region,
    const api::ssm::PutParameterInput& in) {
  return put(account, region, in, true);
}

std::optional<api::ssm::Parameter> SsmModel::find_parameter(const api::AccountId& account,
                                                            const api::Region& region,
                                                            std::string_view name) const {
  const Record* record = find(account, region, name);
  if (record == nullptr) {
    return std::nullopt;
  }
  return view(account, region, *record, record->version, false);
}

sim::Result<api::ssm::GetParameterOutput> SsmModel::get_parameter(
    const api::CallContext& ctx, const api::ssm::GetParameterInput& in) {
  const NameRef ref = split_name(in.name);
  const Record* record = find(ctx.principal.account, ctx.region, ref.name);
  if (record == nullptr && ref.from_arn && !ref.name.empty() && ref.name.front() == '/') {
    // arn:...:parameter/x names either "/x" or "x".
    record = find(ctx.principal.account, ctx.region, std::string_view(ref.name).substr(1));
  }
  const std::string arn = parameter_arn(ctx.region, ctx.principal.account, ref.name);
  if (sim::Status s = authorize(ctx, "ssm:GetParameter", arn, record); !s.ok()) {
    return s.error();
  }
  if (record == nullptr) {
    // Unconfirmed: AWS's text (its message for a missing parameter may be empty).
    return ssm_error(ErrorCode::kParameterNotFound, "Parameter " + ref.name + " not found.");
  }
  int64_t version = record->version;
  if (ref.selector) {
    const std::string& sel = *ref.selector;
    const bool numeric =
        !sel.empty() && sel.size() <= 18
        && std::all_of(sel.begin(), sel.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!numeric) {
      // Deviation from AWS: parameter labels are not modelled.
      return validation("Parameter labels are not simulated by ibsim: use a version number.");
    }
    version = std::stoll(sel);
    if (!record->versions.contains(version)) {
      // Unconfirmed: AWS's text.
      return ssm_error(ErrorCode::kParameterVersionNotFound,
                       "Systems Manager could not find version " + sel + " of " + record->name
                           + ". Verify the version and try again.");
    }
  }
  return api::ssm::GetParameterOutput{
      .parameter =
          view(ctx.principal.account, ctx.region, *record, version, ref.selector.has_value())};
}

sim::Result<api::ssm::GetParametersOutput> SsmModel::get_parameters(
    const api::CallContext& ctx, const api::ssm::GetParametersInput& in) {
  if (in.names.empty()) {
    return constraint("[]", "names", "Member must have length greater than or equal to 1");
  }
  if (in.names.size() > options_.get_parameters_names_max) {
    return constraint("[...]",
                      "names",
                      "Member must have length less than or equal to "
                          + std::to_string(options_.get_parameters_names_max));
  }
  api::ssm::GetParametersOutput out;
  std::set<std::string, std::less<>> seen;
  for (const std::string& name : in.names) {
    if (!seen.insert(name).second) {
      continue;
    }
    const NameRef ref = split_name(name);
    const Record* record = find(ctx.principal.account, ctx.region, ref.name);
    if (sim::Status s = authorize(ctx,
                                  "ssm:GetParameters",
                                  parameter_arn(ctx.region, ctx.principal.account, ref.name),
                                  record);
        !s.ok()) {
      return s.error();
    }
    int64_t version = record != nullptr ? record->version : 0;
    bool ok = record != nullptr;
    if (ok && ref.selector) {
      const std::string& sel = *ref.selector;
      ok = !sel.empty() && sel.size() <= 18
           && std::all_of(sel.begin(), sel.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (ok) {
        version = std::stoll(sel);
        ok = record->versions.contains(version);
      }
    }
    if (!ok) {
      out.invalid_parameters.push_back(name);
      continue;
    }
    out.parameters.push_back(
        view(ctx.principal.account, ctx.region, *record, version, ref.selector.has_value()));
  }
  return out;
}

sim::Result<api::ssm::DeleteParameterOutput> SsmModel::delete_parameter(
    const api::CallContext& ctx, const api::ssm::DeleteParameterInput& in) {
  const Record* record = find(ctx.principal.account, ctx.region, in.name);
  if (sim::Status s = authorize(ctx,
                                "ssm:DeleteParameter",
                                parameter_arn(ctx.region, ctx.principal.account, in.name),
                                record);
      !s.ok()) {
    return s.error();
  }
  if (record == nullptr) {
    return ssm_error(ErrorCode::kParameterNotFound, "Parameter " + in.name + " not found.");
  }
  stores_[RegionKey{ctx.principal.account, ctx.region}].erase(in.name);
  ctx_.emit(
      "ssm.parameter.delete",
      {{"account", ctx.principal.account.str()}, {"region", ctx.region.str()}, {"name", in.name}});
  return api::ssm::DeleteParameterOutput{};
}

}  // namespace ibsim::mock_aws::ssm
