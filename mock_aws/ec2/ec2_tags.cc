// Ec2Model: CreateTags, DeleteTags and DescribeTags over images, snapshots, launch templates and
// instances. Each resource is authorized with its existing tags (aws:ResourceTag/*,
// ec2:ResourceTag/*) and the request's (aws:RequestTag/*, aws:TagKeys).

#include <algorithm>
#include <tuple>

#include "mock_aws/api/arn.h"
#include "mock_aws/ec2/ec2_errors.h"
#include "mock_aws/ec2/ec2_internal.h"
#include "mock_aws/ec2/ec2_model.h"

namespace ibsim::mock_aws::ec2 {

namespace {

using internal::is_set;

std::string_view resource_type_name(IdKind kind) {
  switch (kind) {
    case IdKind::kImage:
      return "image";
    case IdKind::kSnapshot:
      return "snapshot";
    case IdKind::kLaunchTemplate:
      return "launch-template";
    case IdKind::kInstance:
      return "instance";
    case IdKind::kReservation:
      return "reservation";
  }
  return "";
}

}  // namespace

// A resource the caller owns, found for tagging: where its tags live and what IAM sees.
struct Ec2Model::TagTarget {
  std::string id;
  IdKind kind = IdKind::kImage;
  TagMap* tags = nullptr;
  std::string arn;
  std::string owner;
};

namespace {

sim::AwsError not_found_for_tagging(IdKind kind, std::string_view id) {
  switch (kind) {
    case IdKind::kImage:
      return internal::image_not_found(id);
    case IdKind::kSnapshot:
      return internal::snapshot_not_found(id);
    case IdKind::kLaunchTemplate:
      return ec2_error(ErrorCode::kInvalidLaunchTemplateIdNotFound,
                       "The specified launch template, with template ID " + std::string(id)
                           + ", does not exist.");
    case IdKind::kInstance:
      return ec2_error(ErrorCode::kInvalidInstanceIdNotFound,
                       "The instance ID '" + std::string(id) + "' does not exist");
    case IdKind::kReservation:
      break;
  }
  return ec2_error(ErrorCode::kInvalidId, "The ID '" + std::string(id) + "' is not valid");
}

}  // namespace

sim::Result<api::ec2::CreateTagsOutput> Ec2Model::create_tags(const api::CallContext& ctx,
                                                              const api::ec2::CreateTagsInput& in) {
  if (sim::Status s = throttle(ctx, ActionClass::kMutating); !s.ok()) {
    return s.error();
  }
  if (in.resources.empty()) {
    return internal::missing_parameter("ResourceId");
  }
  if (in.tags.empty()) {
    return internal::missing_parameter("Tag");
  }
  if (sim::Status s = internal::validate_tags(in.tags); !s.ok()) {
    return s.error();
  }
  TagMap request;
  for (const api::ec2::Tag& tag : in.tags) {
    request[tag.key] = tag.value.value_or("");
  }
  std::vector<TagTarget> targets;
  for (const std::string& id : in.resources) {
    sim::Result<TagTarget> target = tag_target(ctx, id);
    if (!target.ok()) {
      return target.error();
    }
    targets.push_back(std::move(target).value());
  }
  for (const TagTarget& target : targets) {
    std::vector<auth::ContextValue> keys = {{.key = "ec2:Region", .values = {ctx.region.str()}}};
    internal::add_resource_tag_keys(*target.tags, keys);
    internal::add_request_tag_keys(request, keys);
    if (sim::Status s = authorize(ctx,
                                  {.action = "ec2:CreateTags",
                                   .resource = target.arn,
                                   .resource_account = target.owner,
                                   .keys = keys},
                                  true);
        !s.ok()) {
      return s.error();
    }
    TagMap merged = *target.tags;
    for (const auto& [k, v] : request) {
      merged[k] = v;
    }
    if (merged.size() > options_.tags_per_resource_max) {
      return ec2_error(ErrorCode::kTagLimitExceeded,
                       "The maximum number of Tags for a resource has been reached.");
    }
  }
  if (is_set(in.dry_run)) {
    return internal::dry_run_success();
  }
  for (const TagTarget& target : targets) {
    for (const auto& [k, v] : request) {
      (*target.tags)[k] = v;
    }
    ctx_.emit("ec2.tags.create",
              {{"account", ctx.principal.account.str()},
               {"region", ctx.region.str()},
               {"resource", target.id},
               {"count", static_cast<int64_t>(request.size())}});
  }
  return api::ec2::CreateTagsOutput{};
}

sim::Result<api::ec2::DeleteTagsOutput> Ec2Model::delete_tags(const api::CallContext& ctx,
                                                              const api::ec2::DeleteTagsInput& in) {
  if (sim::Status s = throttle(ctx, ActionClass::kMutating); !s.ok()) {
    return s.error();
  }
  if (in.resources.empty()) {
    return internal::missing_parameter("ResourceId");
  }
  std::vector<TagTarget> targets;
  for (const std::string& id : in.resources) {
    sim::Result<TagTarget> target = tag_target(ctx, id);
    if (!target.ok()) {
      return target.error();
    }
    targets.push_back(std::move(target).value());
  }
  for (const TagTarget& target : targets) {
    std::vector<auth::ContextValue> keys = {{.key = "ec2:Region", .values = {ctx.region.str()}}};
    internal::add_resource_tag_keys(*target.tags, keys);
    std::vector<std::string> names;
    if (in.tags.empty()) {
      for (const auto& [k, v] : *target.tags) {
        names.push_back(k);
      }
    } else {
      for (const api::ec2::Tag& tag : in.tags) {
        names.push_back(tag.key);
      }
    }
    keys.push_back({.key = "aws:TagKeys", .values = std::move(names), .multi_valued = true});
    if (sim::Status s = authorize(ctx,
                                  {.action = "ec2:DeleteTags",
                                   .resource = target.arn,
                                   .resource_account = target.owner,
                                   .keys = keys},
                                  true);
        !s.ok()) {
      return s.error();
    }
  }
  if (is_set(in.dry_run)) {
    return internal::dry_run_success();
  }
  for (const TagTarget& target : targets) {
    if (in.tags.empty()) {
      target.tags->clear();
    }
    for (const api::ec2::Tag& tag : in.tags) {
      const auto it = target.tags->find(tag.key);
      // A tag with a value deletes the key only when the value matches (aws-facts §3.1 shapes).
      if (it != target.tags->end() && (!tag.value.has_value() || *tag.value == it->second)) {
        target.tags->erase(it);
      }
    }
    ctx_.emit("ec2.tags.delete",
              {{"account", ctx.principal.account.str()},
               {"region", ctx.region.str()},
               {"resource", target.id}});
  }
  return api::ec2::DeleteTagsOutput{};
}

sim::Result<Ec2Model::TagTarget> Ec2Model::tag_target(const api::CallContext& ctx,
                                                      std::string_view id) {
  const std::optional<IdKind> kind = id_kind_of(id);
  if (!kind.has_value() || *kind == IdKind::kReservation || !is_well_formed_id(id, *kind)) {
    return ec2_error(ErrorCode::kInvalidId, "The ID '" + std::string(id) + "' is not valid");
  }
  const api::AccountId& caller = ctx.principal.account;
  TagTarget target;
  target.id = std::string(id);
  target.kind = *kind;
  target.owner = caller.str();
  switch (*kind) {
    case IdKind::kImage: {
      ImageRecord* image = find_image_mutable(ctx.region, id);
      if (image == nullptr || !can_see_image(*image, caller)) {
        return not_found_for_tagging(*kind, id);
      }
      if (image->owner != caller) {
        return internal::not_owner(id);
      }
      target.tags = &image->tags;
      target.arn = api::ec2_image_arn(ctx.region, id);
      return target;
    }
    case IdKind::kSnapshot: {
      SnapshotRecord* snap = find_snapshot_mutable(ctx.region, id);
      if (snap == nullptr || !can_access_snapshot(*snap, caller)) {
        return not_found_for_tagging(*kind, id);
      }
      if (snap->owner != caller) {
        return internal::not_owner(id);
      }
      target.tags = &snap->tags;
      target.arn = api::ec2_snapshot_arn(ctx.region, id);
      return target;
    }
    case IdKind::kLaunchTemplate: {
      AccountRegionState& state = account_region(caller, ctx.region);
      const auto it = state.launch_templates.find(id);
      if (it == state.launch_templates.end()) {
        return not_found_for_tagging(*kind, id);
      }
      target.tags = &it->second.tags;
      target.arn = api::ec2_launch_template_arn(ctx.region, caller, id);
      return target;
    }
    case IdKind::kInstance: {
      AccountRegionState& state = account_region(caller, ctx.region);
      const auto it = state.instances.find(id);
      if (it == state.instances.end()) {
        return not_found_for_tagging(*kind, id);
      }
      target.tags = &it->second.tags;
      target.arn = api::ec2_instance_arn(ctx.region, caller, id);
      return target;
    }
    case IdKind::kReservation:
      break;
  }
  return ec2_error(ErrorCode::kInvalidId, "The ID '" + std::string(id) + "' is not valid");
}

sim::Result<api::ec2::DescribeTagsOutput> Ec2Model::describe_tags(
    const api::CallContext& ctx, const api::ec2::DescribeTagsInput& in) const {
  if (sim::Status s = throttle(ctx, ActionClass::kNonMutating); !s.ok()) {
    return s.error();
  }
  for (const api::ec2::Filter& f : in.filters) {
    if (f.name != "resource-id" && f.name != "resource-type" && f.name != "key"
        && f.name != "value") {
      return internal::unknown_filter(f.name);
    }
  }
  if (sim::Status s =
          authorize(ctx, {.action = "ec2:DescribeTags", .resource = "*", .keys = {}}, false);
      !s.ok()) {
    return s.error();
  }
  if (is_set(in.dry_run)) {
    return internal::dry_run_success();
  }
  const api::AccountId& caller = ctx.principal.account;
  // (resource id, type, tags) of everything the caller owns here, ordered by id.
  std::vector<std::tuple<std::string_view, IdKind, const TagMap*>> owned;
  if (const RegionState* state = find_region_state(ctx.region)) {
    for (const auto& [id, image] : state->images) {
      if (image.owner == caller && !image.tags.empty()) {
        owned.emplace_back(id.view(), IdKind::kImage, &image.tags);
      }
    }
    for (const auto& [id, snap] : state->snapshots) {
      if (snap.owner == caller && !snap.tags.empty()) {
        owned.emplace_back(id.view(), IdKind::kSnapshot, &snap.tags);
      }
    }
  }
  if (const AccountRegionState* state = find_account_region(caller, ctx.region)) {
    for (const auto& [id, lt] : state->launch_templates) {
      if (!lt.tags.empty()) {
        owned.emplace_back(id.view(), IdKind::kLaunchTemplate, &lt.tags);
      }
    }
    for (const auto& [id, instance] : state->instances) {
      if (!instance.tags.empty()) {
        owned.emplace_back(id.view(), IdKind::kInstance, &instance.tags);
      }
    }
  }
  std::sort(owned.begin(), owned.end(), [](const auto& a, const auto& b) {
    return std::get<0>(a) < std::get<0>(b);
  });
  std::vector<api::ec2::TagDescription> matched;
  for (const auto& [id, kind, tags] : owned) {
    for (const auto& [key, value] : *tags) {
      const std::string_view type = resource_type_name(kind);
      const bool keep = std::all_of(in.filters.begin(), in.filters.end(), [&](const auto& f) {
        const std::string_view field = f.name == "resource-id"     ? id
                                       : f.name == "resource-type" ? type
                                       : f.name == "key"           ? std::string_view(key)
                                                                   : std::string_view(value);
        return internal::any_value_matches(f, field);
      });
      if (keep) {
        matched.push_back({.key = key,
                           .resource_id = std::string(id),
                           .resource_type = std::string(type),
                           .value = value});
      }
    }
  }
  sim::Result<internal::Page> page = internal::paginate(matched.size(),
                                                        in.max_results,
                                                        in.next_token,
                                                        internal::kDescribeImagesMaxResultsMin,
                                                        internal::kDescribeMaxResultsMax);
  if (!page.ok()) {
    return page.error();
  }
  api::ec2::DescribeTagsOutput out;
  out.next_token = page->next_token;
  for (std::size_t i = page->begin; i < page->end; ++i) {
    out.tags.push_back(std::move(matched[i]));
  }
  return out;
}

}  // namespace ibsim::mock_aws::ec2
