// Ec2Model: launch templates per (account, region) — create (with tags), versions inheriting
// from a source version, the default version, describe with $Latest/$Default, delete. Templates
// authorize with their tags as aws:ResourceTag/* and ec2:ResourceTag/*, which is what Image
// Builder's cross-account role policy keys on (CreatedBy = "EC2 Image Builder").

#include <algorithm>
#include <charconv>

#include "mock_aws/api/arn.h"
#include "mock_aws/ec2/ec2_errors.h"
#include "mock_aws/ec2/ec2_internal.h"
#include "mock_aws/ec2/ec2_model.h"

namespace ibsim::mock_aws::ec2 {

namespace {

using internal::invalid_value;
using internal::is_set;

constexpr std::string_view kLatest = "$Latest";
constexpr std::string_view kDefault = "$Default";

bool is_launch_template_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '('
         || c == ')' || c == '.' || c == '-' || c == '/' || c == '_';
}

sim::Status validate_launch_template_name(std::string_view name) {
  if (name.size() < internal::kLaunchTemplateNameMinChars
      || name.size() > internal::kLaunchTemplateNameMaxChars
      || !std::all_of(name.begin(), name.end(), is_launch_template_name_char)) {
    return ec2_error(ErrorCode::kInvalidLaunchTemplateNameMalformed,
                     "A launch template name must be between 3 and 128 characters, and may "
                     "contain letters, numbers, and the following characters: - ( ) . / _.");
  }
  return sim::ok_status();
}

sim::AwsError template_id_not_found(std::string_view id) {
  return ec2_error(
      ErrorCode::kInvalidLaunchTemplateIdNotFound,
      "The specified launch template, with template ID " + std::string(id) + ", does not exist.");
}

sim::AwsError template_name_not_found(std::string_view name) {
  return ec2_error(ErrorCode::kInvalidLaunchTemplateNameNotFound,
                   "The specified launch template, with template name " + std::string(name)
                       + ", does not exist.");
}

sim::AwsError version_not_found(const LaunchTemplateRecord& lt, std::string_view version) {
  return ec2_error(ErrorCode::kInvalidLaunchTemplateIdVersionNotFound,
                   "Could not find the specified version " + std::string(version)
                       + " for the launch template with ID " + lt.id.str() + ".");
}

std::optional<int64_t> parse_version_number(std::string_view text) {
  int64_t value = 0;
  const char* last = text.data() + text.size();
  if (text.empty() || std::from_chars(text.data(), last, value).ptr != last || value < 1) {
    return std::nullopt;
  }
  return value;
}

// The caller's template named by id or by name (exactly one). `State` is the (const or not)
// per-account-region state.
template <typename State>
auto lookup_template(State* state,
                     const std::optional<std::string>& id,
                     const std::optional<std::string>& name)
    -> sim::Result<decltype(&state->launch_templates.begin()->second)> {
  if (id.has_value() && name.has_value()) {
    return ec2_error(ErrorCode::kInvalidParameterCombination,
                     "Specify either the launch template ID or the launch template name in the "
                     "request, but not both.");
  }
  if (!id.has_value() && !name.has_value()) {
    return internal::missing_parameter("launchTemplateName or launchTemplateId");
  }
  if (id.has_value()) {
    if (!is_well_formed_id(*id, IdKind::kLaunchTemplate)) {
      return internal::malformed_id(IdKind::kLaunchTemplate, *id);
    }
    if (state != nullptr) {
      if (auto it = state->launch_templates.find(*id); it != state->launch_templates.end()) {
        return &it->second;
      }
    }
    return template_id_not_found(*id);
  }
  if (state != nullptr) {
    if (auto nit = state->launch_template_names.find(*name);
        nit != state->launch_template_names.end()) {
      return &state->launch_templates.find(nit->second.view())->second;
    }
  }
  return template_name_not_found(*name);
}

// Fields present in `over` replace those of `base` (SourceVersion inheritance).
api::ec2::RequestLaunchTemplateData merge_data(const api::ec2::RequestLaunchTemplateData& base,
                                               const api::ec2::RequestLaunchTemplateData& over) {
  api::ec2::RequestLaunchTemplateData out = base;
  auto take = [](auto& field, const auto& value) {
    if (value.has_value()) {
      field = value;
    }
  };
  auto take_list = [](auto& field, const auto& value) {
    if (!value.empty()) {
      field = value;
    }
  };
  take(out.kernel_id, over.kernel_id);
  take(out.ebs_optimized, over.ebs_optimized);
  take_list(out.block_device_mappings, over.block_device_mappings);
  take(out.image_id, over.image_id);
  take(out.instance_type, over.instance_type);
  take(out.key_name, over.key_name);
  take(out.ram_disk_id, over.ram_disk_id);
  take(out.disable_api_termination, over.disable_api_termination);
  take(out.instance_initiated_shutdown_behavior, over.instance_initiated_shutdown_behavior);
  take(out.user_data, over.user_data);
  take_list(out.tag_specifications, over.tag_specifications);
  take_list(out.security_group_ids, over.security_group_ids);
  take_list(out.security_groups, over.security_groups);
  return out;
}

api::ec2::LaunchTemplate template_shape(const LaunchTemplateRecord& lt) {
  return api::ec2::LaunchTemplate{.launch_template_id = lt.id.str(),
                                  .launch_template_name = lt.name,
                                  .create_time = api::ec2::Timestamp{lt.create_unix_ms},
                                  .created_by = lt.created_by,
                                  .default_version_number = lt.default_version,
                                  .latest_version_number = lt.latest_version,
                                  .tags = internal::to_tag_list(lt.tags)};
}

api::ec2::LaunchTemplateVersion version_shape(const LaunchTemplateRecord& lt,
                                              const LaunchTemplateVersionRecord& v) {
  return api::ec2::LaunchTemplateVersion{
      .launch_template_id = lt.id.str(),
      .launch_template_name = lt.name,
      .version_number = v.number,
      .version_description =
          v.description.empty() ? std::nullopt : std::optional<std::string>(v.description),
      .create_time = api::ec2::Timestamp{v.create_unix_ms},
      .created_by = v.created_by,
      .default_version = v.number == lt.default_version,
      .launch_template_data = v.data};
}

bool template_matches(const LaunchTemplateRecord& lt,
                      const std::vector<api::ec2::Filter>& filters) {
  return std::all_of(filters.begin(), filters.end(), [&](const api::ec2::Filter& f) {
    if (std::optional<bool> tag = internal::match_tag_filter(f, lt.tags)) {
      return *tag;
    }
    if (f.name == "launch-template-name") {
      return internal::any_value_matches(f, lt.name);
    }
    return internal::any_value_matches(f, sim::format_iso8601_ms(lt.create_unix_ms));
  });
}

bool version_matches(const LaunchTemplateRecord& lt,
                     const LaunchTemplateVersionRecord& v,
                     const std::vector<api::ec2::Filter>& filters) {
  return std::all_of(filters.begin(), filters.end(), [&](const api::ec2::Filter& f) {
    std::string value;
    if (f.name == "image-id") {
      value = v.data.image_id.value_or("");
    } else if (f.name == "instance-type") {
      value = v.data.instance_type.value_or("");
    } else if (f.name == "key-name") {
      value = v.data.key_name.value_or("");
    } else {
      value = std::string(internal::bool_text(v.number == lt.default_version));
    }
    return internal::any_value_matches(f, value);
  });
}

}  // namespace

sim::Result<const LaunchTemplateVersionRecord*> Ec2Model::resolve_version(
    const LaunchTemplateRecord& lt, std::string_view version) {
  int64_t number = 0;
  if (version == kLatest) {
    number = lt.latest_version;
  } else if (version == kDefault) {
    number = lt.default_version;
  } else if (const std::optional<int64_t> n = parse_version_number(version)) {
    number = *n;
  } else {
    return invalid_value("Version", version, "Versions are a version number, $Latest or $Default.");
  }
  const auto it = lt.versions.find(number);
  if (it == lt.versions.end()) {
    return version_not_found(lt, version);
  }
  return &it->second;
}

std::vector<auth::ContextValue> Ec2Model::launch_template_keys(const LaunchTemplateRecord& lt,
                                                               const api::Region& region) const {
  std::vector<auth::ContextValue> keys = {{.key = "ec2:Region", .values = {region.str()}}};
  internal::add_resource_tag_keys(lt.tags, keys);
  return keys;
}

sim::Result<api::ec2::CreateLaunchTemplateOutput> Ec2Model::create_launch_template(
    const api::CallContext& ctx, const api::ec2::CreateLaunchTemplateInput& in) {
  if (sim::Status s = throttle(ctx, ActionClass::kMutating); !s.ok()) {
    return s.error();
  }
  if (in.launch_template_name.empty()) {
    return internal::missing_parameter("LaunchTemplateName");
  }
  if (sim::Status s = validate_launch_template_name(in.launch_template_name); !s.ok()) {
    return s.error();
  }
  if (sim::Status s = internal::validate_description(in.version_description); !s.ok()) {
    return s.error();
  }
  sim::Result<TagMap> tags =
      internal::tags_for(in.tag_specifications, "launch-template", {"launch-template"});
  if (!tags.ok()) {
    return tags.error();
  }
  const api::AccountId& caller = ctx.principal.account;
  const std::string arn = api::ec2_launch_template_arn(ctx.region, caller, "*");
  std::vector<auth::ContextValue> keys = {{.key = "ec2:Region", .values = {ctx.region.str()}}};
  internal::add_request_tag_keys(*tags, keys);
  if (sim::Status s = authorize(ctx,
                                {.action = "ec2:CreateLaunchTemplate",
                                 .resource = arn,
                                 .resource_account = caller.str(),
                                 .keys = keys},
                                true);
      !s.ok()) {
    return s.error();
  }
  if (!tags->empty()) {
    keys.push_back({.key = "ec2:CreateAction", .values = {"CreateLaunchTemplate"}});
    if (sim::Status s = authorize(ctx,
                                  {.action = "ec2:CreateTags",
                                   .resource = arn,
                                   .resource_account = caller.str(),
                                   .keys = keys},
                                  true);
        !s.ok()) {
      return s.error();
    }
  }
  AccountRegionState& state = account_region(caller, ctx.region);
  if (state.launch_template_names.count(in.launch_template_name) > 0) {
    return ec2_error(ErrorCode::kInvalidLaunchTemplateNameAlreadyExists,
                     "Launch template name already in use.");
  }
  if (state.launch_templates.size() >= options_.launch_templates_per_region_max) {
    // Unconfirmed: the launch-templates-per-region quota answers LaunchTemplateLimitExceeded
    // with ibsim's text.
    return ec2_error(ErrorCode::kLaunchTemplateLimitExceeded,
                     "You have reached the maximum of "
                         + std::to_string(options_.launch_templates_per_region_max)
                         + " launch templates in this Region.");
  }
  if (is_set(in.dry_run)) {
    return internal::dry_run_success();
  }
  LaunchTemplateRecord lt;
  lt.id = generate_id(IdKind::kLaunchTemplate, id_rng_);
  while (state.launch_templates.count(lt.id.view()) > 0) {
    lt.id = generate_id(IdKind::kLaunchTemplate, id_rng_);
  }
  lt.name = in.launch_template_name;
  lt.create_unix_ms = now_unix_ms();
  lt.created_by = ctx.principal.arn;
  lt.tags = std::move(tags).value();
  lt.versions.emplace(
      1,
      LaunchTemplateVersionRecord{.number = 1,
                                  .description = in.version_description.value_or(""),
                                  .create_unix_ms = lt.create_unix_ms,
                                  .created_by = ctx.principal.arn,
                                  .data = in.launch_template_data});
  const ResourceId id = lt.id;
  state.launch_template_names.emplace(lt.name, id);
  auto [it, inserted] = state.launch_templates.emplace(id, std::move(lt));
  ctx_.emit("ec2.launch_template.create",
            {{"account", caller.str()},
             {"region", ctx.region.str()},
             {"launch_template", id.view()},
             {"name", in.launch_template_name}});
  return api::ec2::CreateLaunchTemplateOutput{.launch_template = template_shape(it->second)};
}

sim::Result<api::ec2::CreateLaunchTemplateVersionOutput> Ec2Model::create_launch_template_version(
    const api::CallContext& ctx, const api::ec2::CreateLaunchTemplateVersionInput& in) {
  if (sim::Status s = throttle(ctx, ActionClass::kMutating); !s.ok()) {
    return s.error();
  }
  if (sim::Status s = internal::validate_description(in.version_description); !s.ok()) {
    return s.error();
  }
  sim::Result<LaunchTemplateRecord*> found =
      lookup_template(&account_region(ctx.principal.account, ctx.region),
                      in.launch_template_id,
                      in.launch_template_name);
  if (!found.ok()) {
    return found.error();
  }
  LaunchTemplateRecord& lt = **found;
  api::ec2::RequestLaunchTemplateData data = in.launch_template_data;
  if (in.source_version.has_value()) {
    sim::Result<const LaunchTemplateVersionRecord*> source =
        resolve_version(lt, *in.source_version);
    if (!source.ok()) {
      return source.error();
    }
    data = merge_data((*source)->data, in.launch_template_data);
  }
  const std::string arn =
      api::ec2_launch_template_arn(ctx.region, ctx.principal.account, lt.id.view());
  if (sim::Status s = authorize(ctx,
                                {.action = "ec2:CreateLaunchTemplateVersion",
                                 .resource = arn,
                                 .resource_account = ctx.principal.account.str(),
                                 .keys = launch_template_keys(lt, ctx.region)},
                                true);
      !s.ok()) {
    return s.error();
  }
  if (lt.versions.size() >= options_.launch_template_versions_max) {
    // Unconfirmed: the versions-per-template quota answers LaunchTemplateLimitExceeded with
    // ibsim's text.
    return ec2_error(ErrorCode::kLaunchTemplateLimitExceeded,
                     "You have reached the maximum of "
                         + std::to_string(options_.launch_template_versions_max)
                         + " versions for launch template " + lt.id.str() + ".");
  }
  if (is_set(in.dry_run)) {
    return internal::dry_run_success();
  }
  const int64_t number = lt.latest_version + 1;
  auto [it, inserted] = lt.versions.emplace(
      number,
      LaunchTemplateVersionRecord{.number = number,
                                  .description = in.version_description.value_or(""),
                                  .create_unix_ms = now_unix_ms(),
                                  .created_by = ctx.principal.arn,
                                  .data = std::move(data)});
  lt.latest_version = number;
  ctx_.emit("ec2.launch_template.version",
            {{"account", ctx.principal.account.str()},
             {"region", ctx.region.str()},
             {"launch_template", lt.id.view()},
             {"version", number},
             {"image", it->second.data.image_id.value_or("")}});
  return api::ec2::CreateLaunchTemplateVersionOutput{.launch_template_version =
                                                         version_shape(lt, it->second)};
}

sim::Result<api::ec2::ModifyLaunchTemplateOutput> Ec2Model::modify_launch_template(
    const api::CallContext& ctx, const api::ec2::ModifyLaunchTemplateInput& in) {
  if (sim::Status s = throttle(ctx, ActionClass::kMutating); !s.ok()) {
    return s.error();
  }
  sim::Result<LaunchTemplateRecord*> found =
      lookup_template(&account_region(ctx.principal.account, ctx.region),
                      in.launch_template_id,
                      in.launch_template_name);
  if (!found.ok()) {
    return found.error();
  }
  LaunchTemplateRecord& lt = **found;
  int64_t new_default = lt.default_version;
  if (in.default_version.has_value()) {
    sim::Result<const LaunchTemplateVersionRecord*> version =
        resolve_version(lt, *in.default_version);
    if (!version.ok()) {
      return version.error();
    }
    new_default = (*version)->number;
  }
  const std::string arn =
      api::ec2_launch_template_arn(ctx.region, ctx.principal.account, lt.id.view());
  if (sim::Status s = authorize(ctx,
                                {.action = "ec2:ModifyLaunchTemplate",
                                 .resource = arn,
                                 .resource_account = ctx.principal.account.str(),
                                 .keys = launch_template_keys(lt, ctx.region)},
                                true);
      !s.ok()) {
    return s.error();
  }
  if (is_set(in.dry_run)) {
    return internal::dry_run_success();
  }
  lt.default_version = new_default;
  ctx_.emit("ec2.launch_template.default",
            {{"account", ctx.principal.account.str()},
             {"region", ctx.region.str()},
             {"launch_template", lt.id.view()},
             {"version", new_default}});
  return api::ec2::ModifyLaunchTemplateOutput{.launch_template = template_shape(lt)};
}

sim::Result<api::ec2::DescribeLaunchTemplatesOutput> Ec2Model::describe_launch_templates(
    const api::CallContext& ctx, const api::ec2::DescribeLaunchTemplatesInput& in) const {
  if (sim::Status s = throttle(ctx, ActionClass::kNonMutating); !s.ok()) {
    return s.error();
  }
  for (const api::ec2::Filter& f : in.filters) {
    const bool tag_filter =
        f.name.substr(0, 4) == "tag:" || f.name == "tag-key" || f.name == "tag-value";
    if (!tag_filter && f.name != "launch-template-name" && f.name != "create-time") {
      return internal::unknown_filter(f.name);
    }
  }
  for (const std::string& id : in.launch_template_ids) {
    if (!is_well_formed_id(id, IdKind::kLaunchTemplate)) {
      return internal::malformed_id(IdKind::kLaunchTemplate, id);
    }
  }
  if (sim::Status s = authorize(
          ctx, {.action = "ec2:DescribeLaunchTemplates", .resource = "*", .keys = {}}, false);
      !s.ok()) {
    return s.error();
  }
  if (is_set(in.dry_run)) {
    return internal::dry_run_success();
  }
  const AccountRegionState* state = find_account_region(ctx.principal.account, ctx.region);
  std::vector<const LaunchTemplateRecord*> candidates;
  if (!in.launch_template_ids.empty() || !in.launch_template_names.empty()) {
    for (const std::string& id : in.launch_template_ids) {
      sim::Result<const LaunchTemplateRecord*> lt = lookup_template(state, id, std::nullopt);
      if (!lt.ok()) {
        return lt.error();
      }
      candidates.push_back(*lt);
    }
    for (const std::string& name : in.launch_template_names) {
      sim::Result<const LaunchTemplateRecord*> lt = lookup_template(state, std::nullopt, name);
      if (!lt.ok()) {
        return ec2_error(ErrorCode::kInvalidLaunchTemplateNameNotFound,
                         "At least one of the launch templates specified in the request does "
                         "not exist.");
      }
      candidates.push_back(*lt);
    }
    std::sort(candidates.begin(), candidates.end(), [](const auto* a, const auto* b) {
      return a->id < b->id;
    });
    candidates.erase(std::unique(candidates.begin(), candidates.end()), candidates.end());
  } else if (state != nullptr) {
    for (const auto& [id, lt] : state->launch_templates) {
      candidates.push_back(&lt);
    }
  }
  std::vector<api::ec2::LaunchTemplate> matched;
  for (const LaunchTemplateRecord* lt : candidates) {
    if (template_matches(*lt, in.filters)) {
      matched.push_back(template_shape(*lt));
    }
  }
  sim::Result<internal::Page> page = internal::paginate(
      matched.size(), in.max_results, in.next_token, 1, internal::kLaunchTemplatesMaxResultsMax);
  if (!page.ok()) {
    return page.error();
  }
  api::ec2::DescribeLaunchTemplatesOutput out;
  out.next_token = page->next_token;
  for (std::size_t i = page->begin; i < page->end; ++i) {
    out.launch_templates.push_back(std::move(matched[i]));
  }
  return out;
}

sim::Result<api::ec2::DescribeLaunchTemplateVersionsOutput>
Ec2Model::describe_launch_template_versions(
    const api::CallContext& ctx, const api::ec2::DescribeLaunchTemplateVersionsInput& in) const {
  if (sim::Status s = throttle(ctx, ActionClass::kNonMutating); !s.ok()) {
    return s.error();
  }
  for (const api::ec2::Filter& f : in.filters) {
    if (f.name != "image-id" && f.name != "instance-type" && f.name != "key-name"
        && f.name != "is-default-version") {
      return internal::unknown_filter(f.name);
    }
  }
  std::optional<int64_t> min_version;
  std::optional<int64_t> max_version;
  for (const auto& [text, bound, name] :
       {std::tuple{&in.min_version, &min_version, "MinVersion"},
        std::tuple{&in.max_version, &max_version, "MaxVersion"}}) {
    if (text->has_value()) {
      *bound = parse_version_number(**text);
      if (!bound->has_value()) {
        return invalid_value(name, **text, "It must be a version number.");
      }
    }
  }
  if (sim::Status s =
          authorize(ctx,
                    {.action = "ec2:DescribeLaunchTemplateVersions", .resource = "*", .keys = {}},
                    false);
      !s.ok()) {
    return s.error();
  }
  if (is_set(in.dry_run)) {
    return internal::dry_run_success();
  }
  const AccountRegionState* state = find_account_region(ctx.principal.account, ctx.region);
  std::vector<std::pair<const LaunchTemplateRecord*, const LaunchTemplateVersionRecord*>> found;
  if (in.launch_template_id.has_value() || in.launch_template_name.has_value()) {
    sim::Result<const LaunchTemplateRecord*> lt =
        lookup_template(state, in.launch_template_id, in.launch_template_name);
    if (!lt.ok()) {
      return lt.error();
    }
    if (in.versions.empty()) {
      for (const auto& [number, v] : (*lt)->versions) {
        if ((!min_version || number >= *min_version) && (!max_version || number <= *max_version)) {
          found.emplace_back(*lt, &v);
        }
      }
    } else {
      for (const std::string& ref : in.versions) {
        sim::Result<const LaunchTemplateVersionRecord*> v = resolve_version(**lt, ref);
        if (!v.ok()) {
          return v.error();
        }
        if (std::none_of(
                found.begin(), found.end(), [&](const auto& p) { return p.second == *v; })) {
          found.emplace_back(*lt, *v);
        }
      }
    }
  } else {
    // Without a template: $Latest and/or $Default of every template.
    if (in.versions.empty()
        || std::any_of(in.versions.begin(), in.versions.end(), [](const std::string& v) {
             return v != kLatest && v != kDefault;
           })) {
      return internal::missing_parameter("launchTemplateId or launchTemplateName");
    }
    if (state != nullptr) {
      for (const auto& [id, lt] : state->launch_templates) {
        for (const std::string& ref : in.versions) {
          sim::Result<const LaunchTemplateVersionRecord*> v = resolve_version(lt, ref);
          if (v.ok() && std::none_of(found.begin(), found.end(), [&](const auto& p) {
                return p.second == *v;
              })) {
            found.emplace_back(&lt, *v);
          }
        }
      }
    }
  }
  std::vector<api::ec2::LaunchTemplateVersion> matched;
  for (const auto& [lt, v] : found) {
    if (version_matches(*lt, *v, in.filters)) {
      matched.push_back(version_shape(*lt, *v));
    }
  }
  sim::Result<internal::Page> page = internal::paginate(
      matched.size(), in.max_results, in.next_token, 1, internal::kLaunchTemplatesMaxResultsMax);
  if (!page.ok()) {
    return page.error();
  }
  api::ec2::DescribeLaunchTemplateVersionsOutput out;
  out.next_token = page->next_token;
  for (std::size_t i = page->begin; i < page->end; ++i) {
    out.launch_template_versions.push_back(std::move(matched[i]));
  }
  return out;
}

sim::Result<api::ec2::DeleteLaunchTemplateOutput> Ec2Model::delete_launch_template(
    const api::CallContext& ctx, const api::ec2::DeleteLaunchTemplateInput& in) {
  if (sim::Status s = throttle(ctx, ActionClass::kMutating); !s.ok()) {
    return s.error();
  }
  AccountRegionState& state = account_region(ctx.principal.account, ctx.region);
  sim::Result<LaunchTemplateRecord*> found =
      lookup_template(&state, in.launch_template_id, in.launch_template_name);
  if (!found.ok()) {
    return found.error();
  }
  LaunchTemplateRecord& lt = **found;
  const std::string arn =
      api::ec2_launch_template_arn(ctx.region, ctx.principal.account, lt.id.view());
  if (sim::Status s = authorize(ctx,
                                {.action = "ec2:DeleteLaunchTemplate",
                                 .resource = arn,
                                 .resource_account = ctx.principal.account.str(),
                                 .keys = launch_template_keys(lt, ctx.region)},
                                true);
      !s.ok()) {
    return s.error();
  }
  if (is_set(in.dry_run)) {
    return internal::dry_run_success();
  }
  api::ec2::DeleteLaunchTemplateOutput out{.launch_template = template_shape(lt)};
  const ResourceId id = lt.id;
  state.launch_template_names.erase(lt.name);
  state.launch_templates.erase(id);
  ctx_.emit("ec2.launch_template.delete",
            {{"account", ctx.principal.account.str()},
             {"region", ctx.region.str()},
             {"launch_template", id.view()}});
  return out;
}

}  // namespace ibsim::mock_aws::ec2
