// Ec2Model: RegisterImage, DescribeImages, DeregisterImage and the image attributes
// (launchPermission sharing with accounts, organizations, OUs and everyone; description).

#include <algorithm>
#include <set>

#include "mock_aws/api/arn.h"
#include "mock_aws/ec2/ec2_errors.h"
#include "mock_aws/ec2/ec2_internal.h"
#include "mock_aws/ec2/ec2_jobs.h"
#include "mock_aws/ec2/ec2_model.h"
#include "sim/base/assert.h"

namespace ibsim::mock_aws::ec2 {

namespace {

using internal::invalid_value;
using internal::is_set;

constexpr std::string_view kLaunchPermission = "launchPermission";
constexpr std::string_view kOrganizationArnPrefix = "arn:aws:organizations::";

bool is_organization_arn(std::string_view arn) {
  return arn.substr(0, kOrganizationArnPrefix.size()) == kOrganizationArnPrefix
         && arn.find(":organization/o-") != std::string_view::npos;
}

bool is_ou_arn(std::string_view arn) {
  return arn.substr(0, kOrganizationArnPrefix.size()) == kOrganizationArnPrefix
         && arn.find(":ou/o-") != std::string_view::npos;
}

sim::AwsError bad_item(std::string_view item_type, std::string_view value) {
  return ec2_error(ErrorCode::kInvalidAmiAttributeItemValue,
                   "Invalid attribute item value \"" + std::string(value) + "\" for "
                       + std::string(item_type) + " item type.");
}

// Exactly one member of each entry, each well formed.
sim::Status validate_launch_permission(const api::ec2::LaunchPermission& p) {
  const int set = (p.user_id.has_value() ? 1 : 0) + (p.group.has_value() ? 1 : 0)
                  + (p.organization_arn.has_value() ? 1 : 0)
                  + (p.organizational_unit_arn.has_value() ? 1 : 0);
  if (set != 1) {
    return ec2_error(ErrorCode::kInvalidParameterCombination,
                     "A launch permission names exactly one of UserId, Group, OrganizationArn "
                     "or OrganizationalUnitArn");
  }
  if (p.user_id.has_value() && !api::AccountId::is_valid(*p.user_id)) {
    return bad_item("userId", *p.user_id);
  }
  if (p.group.has_value() && *p.group != "all") {
    return bad_item("group", *p.group);
  }
  if (p.organization_arn.has_value() && !is_organization_arn(*p.organization_arn)) {
    return bad_item("organizationArn", *p.organization_arn);
  }
  if (p.organizational_unit_arn.has_value() && !is_ou_arn(*p.organizational_unit_arn)) {
    return bad_item("organizationalUnitArn", *p.organizational_unit_arn);
  }
  return sim::ok_status();
}

// The legacy form (Attribute=launchPermission, OperationType, UserId.N, UserGroup.N, ...) as
// LaunchPermissionModifications.
sim::Result<api::ec2::LaunchPermissionModifications> legacy_modifications(
    const api::ec2::ModifyImageAttributeInput& in) {
  if (!in.operation_type.has_value()) {
    return internal::missing_parameter("OperationType");
  }
  if (*in.operation_type != "add" && *in.operation_type != "remove") {
    return invalid_value("OperationType", *in.operation_type, "It must be add or remove.");
  }
  std::vector<api::ec2::LaunchPermission> entries;
  for (const std::string& id : in.user_ids) {
    entries.push_back({.user_id = id});
  }
  for (const std::string& group : in.user_groups) {
    entries.push_back({.group = group});
  }
  for (const std::string& arn : in.organization_arns) {
    entries.push_back({.organization_arn = arn});
  }
  for (const std::string& arn : in.organizational_unit_arns) {
    entries.push_back({.organizational_unit_arn = arn});
  }
  api::ec2::LaunchPermissionModifications mods;
  (*in.operation_type == "add" ? mods.add : mods.remove) = std::move(entries);
  return mods;
}

std::vector<api::ec2::LaunchPermission> list_launch_permissions(const LaunchPermissions* lp) {
  std::vector<api::ec2::LaunchPermission> out;
  if (lp == nullptr) {
    return out;
  }
  if (lp->is_public) {
    out.push_back({.group = "all"});
  }
  for (const api::AccountId& id : lp->user_ids) {
    out.push_back({.user_id = id.str()});
  }
  for (const std::string& arn : lp->organization_arns) {
    out.push_back({.organization_arn = arn});
  }
  for (const std::string& arn : lp->organizational_unit_arns) {
    out.push_back({.organizational_unit_arn = arn});
  }
  return out;
}

}  // namespace

// ---- RegisterImage -------------------------------------------------------------------------

sim::Result<api::ec2::RegisterImageOutput> Ec2Model::register_image(
    const api::CallContext& ctx, const api::ec2::RegisterImageInput& in) {
  if (sim::Status s = throttle(ctx, ActionClass::kResourceIntensive); !s.ok()) {
    return s.error();
  }
  if (sim::Status s = internal::validate_image_name(in.name); !s.ok()) {
    return s.error();
  }
  if (sim::Status s = internal::validate_description(in.description); !s.ok()) {
    return s.error();
  }
  if (in.image_location.has_value()) {
    // Deviation from AWS: instance-store AMIs from S3 manifests are not modelled.
    return ec2_error(ErrorCode::kUnsupportedOperation,
                     "ibsim models EBS-backed AMIs only; ImageLocation is not supported");
  }
  // AWS's defaults for RegisterImage: i386 and paravirtual.
  Architecture architecture = Architecture::kI386;
  if (in.architecture.has_value()) {
    const std::optional<Architecture> a = parse_architecture(*in.architecture);
    if (!a.has_value()) {
      return invalid_value("Architecture", *in.architecture, "");
    }
    architecture = *a;
  }
  Virtualization virtualization = Virtualization::kParavirtual;
  if (in.virtualization_type.has_value()) {
    const std::optional<Virtualization> v = parse_virtualization(*in.virtualization_type);
    if (!v.has_value()) {
      return invalid_value("VirtualizationType", *in.virtualization_type, "");
    }
    virtualization = *v;
  }
  if (in.block_device_mappings.empty()) {
    return internal::missing_parameter("BlockDeviceMapping");
  }
  if (!in.root_device_name.has_value()) {
    return internal::missing_parameter("rootDeviceName");
  }
  sim::Result<TagMap> image_tags =
      internal::tags_for(in.tag_specifications, "image", {"image", "snapshot"});
  if (!image_tags.ok()) {
    return image_tags.error();
  }
  sim::Result<TagMap> snapshot_tags =
      internal::tags_for(in.tag_specifications, "snapshot", {"image", "snapshot"});
  if (!snapshot_tags.ok()) {
    return snapshot_tags.error();
  }

  const api::AccountId& caller = ctx.principal.account;
  const bool by_default = encryption_by_default(caller, ctx.region);

  // Each EBS mapping either names a snapshot the caller owns or (ibsim's extension) describes
  // the volume a new snapshot is made of.
  struct PlannedDevice {
    ImageBlockDevice device;
    const SnapshotRecord* existing = nullptr;
    bool encrypt = false;
    std::optional<std::string> kms_key_id;
  };

  std::vector<PlannedDevice> planned;
  bool root_found = false;
  for (const api::ec2::BlockDeviceMapping& mapping : in.block_device_mappings) {
    if (!mapping.ebs.has_value()) {
      continue;  // Ephemeral and NoDevice mappings are accepted and not modelled.
    }
    if (!mapping.device_name.has_value() || mapping.device_name->empty()) {
      return internal::missing_parameter("BlockDeviceMapping.DeviceName");
    }
    const api::ec2::EbsBlockDevice& ebs = *mapping.ebs;
    PlannedDevice p;
    p.device.device_name = *mapping.device_name;
    p.device.volume_type = ebs.volume_type.value_or("gp3");
    p.device.delete_on_termination = ebs.delete_on_termination.value_or(true);
    if (ebs.kms_key_id.has_value() && !is_set(ebs.encrypted)) {
      return ec2_error(ErrorCode::kInvalidParameterDependency,
                       "The parameter KmsKeyId requires the parameter Encrypted to be set.");
    }
    if (ebs.snapshot_id.has_value()) {
      if (!is_well_formed_id(*ebs.snapshot_id, IdKind::kSnapshot)) {
        return internal::malformed_id(IdKind::kSnapshot, *ebs.snapshot_id);
      }
      const SnapshotRecord* snap = find_snapshot(ctx.region, *ebs.snapshot_id);
      // Unconfirmed: RegisterImage from another account's snapshot (even a shared one) is
      // refused as InvalidSnapshot.NotFound; copy the snapshot first.
      if (snap == nullptr || snap->owner != caller) {
        return internal::snapshot_not_found(*ebs.snapshot_id);
      }
      if (ebs.volume_size.has_value() && *ebs.volume_size < snap->volume_size_gib) {
        return invalid_value("VolumeSize",
                             std::to_string(*ebs.volume_size),
                             "Volume of size " + std::to_string(*ebs.volume_size)
                                 + "GB is smaller than snapshot '" + snap->id.str()
                                 + "', expect size >= " + std::to_string(snap->volume_size_gib)
                                 + "GB");
      }
      p.existing = snap;
      p.device.snapshot_id = snap->id;
      p.device.volume_size_gib = ebs.volume_size.value_or(snap->volume_size_gib);
      p.device.encrypted = snap->encrypted;
    } else {
      // Deviation from AWS: RegisterImage needs an existing snapshot; ibsim, which models no
      // volumes, makes one from the mapping (size, encryption, key).
      if (!ebs.volume_size.has_value()) {
        return internal::missing_parameter("BlockDeviceMapping.Ebs.VolumeSize");
      }
      if (*ebs.volume_size < internal::kVolumeSizeMinGib
          || *ebs.volume_size > internal::kVolumeSizeMaxGib) {
        return invalid_value(
            "VolumeSize", std::to_string(*ebs.volume_size), "It must be 1 to 65536 GiB.");
      }
      p.device.volume_size_gib = *ebs.volume_size;
      p.encrypt = is_set(ebs.encrypted) || by_default;
      p.kms_key_id = ebs.kms_key_id;
      p.device.encrypted = p.encrypt;
    }
    root_found = root_found || p.device.device_name == *in.root_device_name;
    planned.push_back(std::move(p));
  }
  if (planned.empty()) {
    return internal::missing_parameter("BlockDeviceMapping.Ebs");
  }
  if (!root_found) {
    return invalid_value("RootDeviceName",
                         *in.root_device_name,
                         "The root device name must match one of the block device mappings.");
  }
  if (const RegionState* state = find_region_state(ctx.region)) {
    for (const auto& [id, image] : state->images) {
      if (image.owner == caller && image.name == in.name) {
        return ec2_error(ErrorCode::kInvalidAmiNameDuplicate,
                         "AMI name " + in.name + " is already in use by AMI " + id.str());
      }
    }
  }

  const std::string image_arn = api::ec2_image_arn(ctx.region, "*");
  std::vector<auth::ContextValue> keys = {{.key = "ec2:Region", .values = {ctx.region.str()}}};
  internal::add_request_tag_keys(*image_tags, keys);
  if (sim::Status s = authorize(ctx,
                                {.action = "ec2:RegisterImage",
                                 .resource = image_arn,
                                 .resource_account = caller.str(),
                                 .keys = keys},
                                true);
      !s.ok()) {
    return s.error();
  }
  // Tagging on create is authorized per resource type created, each with its own tags.
  const std::string new_snapshot_arn = api::ec2_snapshot_arn(ctx.region, "*");
  for (const auto& [tags, target] :
       {std::pair{&*image_tags, &image_arn}, std::pair{&*snapshot_tags, &new_snapshot_arn}}) {
    if (tags->empty()) {
      continue;
    }
    std::vector<auth::ContextValue> tag_keys = {
        {.key = "ec2:CreateAction", .values = {"RegisterImage"}},
        {.key = "ec2:Region", .values = {ctx.region.str()}}};
    internal::add_request_tag_keys(*tags, tag_keys);
    if (sim::Status s = authorize(ctx,
                                  {.action = "ec2:CreateTags",
                                   .resource = *target,
                                   .resource_account = caller.str(),
                                   .keys = tag_keys},
                                  true);
        !s.ok()) {
      return s.error();
    }
  }
  if (is_set(in.dry_run)) {
    return internal::dry_run_success();
  }

  // New snapshots: wrap a data key under the chosen key (as the caller, via EC2) and encrypt
  // their content; nothing is stored until every device succeeded.
  std::vector<SnapshotRecord> new_snapshots;
  for (PlannedDevice& p : planned) {
    if (p.existing != nullptr) {
      continue;
    }
    SnapshotRecord snap;
    snap.id = new_id(IdKind::kSnapshot, ctx.region);
    snap.owner = caller;
    snap.volume_size_gib = p.device.volume_size_gib;
    snap.start_unix_ms = now_unix_ms();
    snap.description = "Created by RegisterImage for " + in.name;
    snap.tags = *snapshot_tags;
    std::shared_ptr<const std::vector<uint8_t>> content = make_content(snap.id.view());
    if (p.encrypt) {
      const api::CallContext kms_ctx = kms_context(ctx, ctx.region);
      const std::string ref = p.kms_key_id.value_or(default_kms_key_arn(caller, ctx.region));
      sim::Result<std::string> key_arn = ebs_keys_.describe_key(kms_ctx, ref);
      if (!key_arn.ok()) {
        return key_arn.error();
      }
      sim::Result<kms::DataKey> key =
          ebs_keys_.generate_data_key(kms_ctx, *key_arn, snap.id.view());
      if (!key.ok()) {
        return key.error();
      }
      seal_content(snap, *key, *content);
    } else {
      snap.content = std::move(content);
    }
    p.device.snapshot_id = snap.id;
    new_snapshots.push_back(std::move(snap));
  }

  RegionState& state = region_state(ctx.region);
  for (SnapshotRecord& snap : new_snapshots) {
    const ResourceId id = snap.id;
    state.snapshots.emplace(id, std::move(snap));
  }
  ImageRecord image;
  image.id = new_id(IdKind::kImage, ctx.region);
  image.owner = caller;
  image.state = ImageState::kAvailable;
  image.architecture = architecture;
  image.virtualization = virtualization;
  image.ena_support = in.ena_support.value_or(false);
  image.name = in.name;
  image.description = in.description.value_or("");
  image.root_device_name = *in.root_device_name;
  image.boot_mode = in.boot_mode.value_or("");
  image.creation_unix_ms = now_unix_ms();
  image.tags = std::move(image_tags).value();
  for (PlannedDevice& p : planned) {
    image.block_devices.push_back(std::move(p.device));
  }
  const ResourceId image_id = image.id;
  state.images.emplace(image_id, std::move(image));
  ctx_.emit("ec2.image.register",
            {{"account", caller.str()},
             {"region", ctx.region.str()},
             {"image", image_id.view()},
             {"snapshots_created", static_cast<int64_t>(new_snapshots.size())}});
  return api::ec2::RegisterImageOutput{.image_id = image_id.str()};
}

// ---- DescribeImages ------------------------------------------------------------------------

namespace {

// The values an image shows to a DescribeImages filter; nullopt for an unknown filter name.
std::optional<std::vector<std::string>> image_filter_values(const api::ec2::Image& image,
                                                            std::string_view name) {
  using Values = std::vector<std::string>;
  auto one = [](const std::optional<std::string>& v) {
    return v.has_value() ? Values{*v} : Values{};
  };
  auto flag = [](const std::optional<bool>& v) {
    return v.has_value() ? Values{std::string(internal::bool_text(*v))} : Values{};
  };
  if (name == "architecture") {
    return one(image.architecture);
  }
  if (name == "description") {
    return one(image.description);
  }
  if (name == "ena-support") {
    return flag(image.ena_support);
  }
  if (name == "hypervisor") {
    return one(image.hypervisor);
  }
  if (name == "image-id") {
    return one(image.image_id);
  }
  if (name == "image-type") {
    return one(image.image_type);
  }
  if (name == "is-public") {
    return flag(image.is_public);
  }
  if (name == "name") {
    return one(image.name);
  }
  if (name == "owner-alias") {
    return one(image.image_owner_alias);
  }
  if (name == "owner-id") {
    return one(image.owner_id);
  }
  if (name == "platform-details") {
    return one(image.platform_details);
  }
  if (name == "root-device-name") {
    return one(image.root_device_name);
  }
  if (name == "root-device-type") {
    return one(image.root_device_type);
  }
  if (name == "state") {
    return one(image.state);
  }
  if (name == "state-reason-code") {
    return image.state_reason.has_value() ? one(image.state_reason->code) : Values{};
  }
  if (name == "state-reason-message") {
    return image.state_reason.has_value() ? one(image.state_reason->message) : Values{};
  }
  if (name == "virtualization-type") {
    return one(image.virtualization_type);
  }
  if (name == "source-image-id") {
    return one(image.source_image_id);
  }
  if (name == "source-image-region") {
    return one(image.source_image_region);
  }
  if (name == "creation-date") {
    return one(image.creation_date);
  }
  constexpr std::string_view kBdm = "block-device-mapping.";
  if (name.substr(0, kBdm.size()) == kBdm) {
    const std::string_view field = name.substr(kBdm.size());
    Values out;
    for (const api::ec2::BlockDeviceMapping& m : image.block_device_mappings) {
      if (field == "device-name") {
        out.push_back(m.device_name.value_or(""));
      } else if (!m.ebs.has_value()) {
        continue;
      } else if (field == "snapshot-id" && m.ebs->snapshot_id.has_value()) {
        out.push_back(*m.ebs->snapshot_id);
      } else if (field == "volume-size" && m.ebs->volume_size.has_value()) {
        out.push_back(std::to_string(*m.ebs->volume_size));
      } else if (field == "volume-type" && m.ebs->volume_type.has_value()) {
        out.push_back(*m.ebs->volume_type);
      } else if (field == "encrypted" && m.ebs->encrypted.has_value()) {
        out.push_back(std::string(internal::bool_text(*m.ebs->encrypted)));
      } else if (field == "delete-on-termination" && m.ebs->delete_on_termination.has_value()) {
        out.push_back(std::string(internal::bool_text(*m.ebs->delete_on_termination)));
      } else if (field != "snapshot-id" && field != "volume-size" && field != "volume-type"
                 && field != "encrypted" && field != "delete-on-termination") {
        return std::nullopt;
      }
    }
    if (field != "device-name" && field != "snapshot-id" && field != "volume-size"
        && field != "volume-type" && field != "encrypted" && field != "delete-on-termination") {
      return std::nullopt;
    }
    return out;
  }
  return std::nullopt;
}

}  // namespace

sim::Result<api::ec2::DescribeImagesOutput> Ec2Model::describe_images(
    const api::CallContext& ctx, const api::ec2::DescribeImagesInput& in) const {
  if (sim::Status s = throttle(ctx, ActionClass::kNonMutating); !s.ok()) {
    return s.error();
  }
  for (const std::string& id : in.image_ids) {
    if (!is_well_formed_id(id, IdKind::kImage)) {
      return internal::malformed_id(IdKind::kImage, id);
    }
  }
  if (!in.image_ids.empty() && in.max_results.has_value()) {
    return ec2_error(ErrorCode::kInvalidParameterCombination,
                     "The parameter ImageIds cannot be used with the parameter MaxResults");
  }
  const api::AccountId& caller = ctx.principal.account;
  // Owners: "self", "amazon", account ids (other aliases match nothing ibsim holds).
  std::set<api::AccountId> owner_ids;
  bool owner_amazon = false;
  for (const std::string& owner : in.owners) {
    if (owner == "self") {
      owner_ids.insert(caller);
    } else if (owner == "amazon") {
      owner_amazon = true;
    } else if (owner == "aws-marketplace" || owner == "aws-backup-vault") {
      continue;  // Aliases of images ibsim does not hold: they match nothing.
    } else if (api::AccountId::is_valid(owner)) {
      owner_ids.insert(api::AccountId::from_valid(owner));
    } else {
      return invalid_value("Owner", owner, "Owners are self, amazon or 12-digit account ids.");
    }
  }
  // ExecutableUsers: "self" and the caller's own id mean images shared with the caller; "all"
  // public images; another account's id, the caller's images shared with that account.
  bool exec_self = false;
  bool exec_all = false;
  std::set<api::AccountId> exec_accounts;
  for (const std::string& user : in.executable_users) {
    if (user == "self" || user == caller.str()) {
      exec_self = true;
    } else if (user == "all") {
      exec_all = true;
    } else if (api::AccountId::is_valid(user)) {
      exec_accounts.insert(api::AccountId::from_valid(user));
    } else {
      return invalid_value("ExecutableBy", user, "");
    }
  }
  if (sim::Status s =
          authorize(ctx, {.action = "ec2:DescribeImages", .resource = "*", .keys = {}}, false);
      !s.ok()) {
    return s.error();
  }
  if (is_set(in.dry_run)) {
    return internal::dry_run_success();
  }
  // Validate filter names before scanning, so an unknown filter errs even with no images.
  static const api::ec2::Image kProbe{};
  for (const api::ec2::Filter& f : in.filters) {
    const bool tag_filter =
        f.name.substr(0, 4) == "tag:" || f.name == "tag-key" || f.name == "tag-value";
    if (!tag_filter && !image_filter_values(kProbe, f.name).has_value()) {
      return internal::unknown_filter(f.name);
    }
  }

  auto selected = [&](const ImageRecord& image) {
    if (!in.owners.empty()) {
      const bool owner_ok =
          owner_ids.count(image.owner) > 0 || (owner_amazon && image.amazon_owned);
      if (!owner_ok) {
        return false;
      }
    }
    if (!in.executable_users.empty()) {
      const LaunchPermissions* lp = image.launch_permissions.get();
      bool exec_ok = false;
      if (exec_all && image.is_public()) {
        exec_ok = true;
      }
      if (exec_self && image.owner != caller
          && has_launch_permission(image, caller, /*explicit_only=*/true)) {
        exec_ok = true;
      }
      if (lp != nullptr && image.owner == caller) {
        for (const api::AccountId& a : exec_accounts) {
          exec_ok = exec_ok || lp->user_ids.count(a) > 0;
        }
      }
      if (!exec_ok) {
        return false;
      }
    }
    return true;
  };

  std::vector<const ImageRecord*> candidates;
  if (!in.image_ids.empty()) {
    std::set<std::string_view> seen;
    for (const std::string& id : in.image_ids) {
      sim::Result<const ImageRecord*> image = visible_image(ctx, ctx.region, id);
      if (!image.ok()) {
        return image.error();
      }
      if (seen.insert((*image)->id.view()).second) {
        candidates.push_back(*image);
      }
    }
    std::sort(candidates.begin(), candidates.end(), [](const ImageRecord* a, const ImageRecord* b) {
      return a->id < b->id;
    });
  } else if (const RegionState* state = find_region_state(ctx.region)) {
    for (const auto& [id, image] : state->images) {
      if (can_see_image(image, caller)) {
        candidates.push_back(&image);
      }
    }
    std::sort(candidates.begin(), candidates.end(), [](const ImageRecord* a, const ImageRecord* b) {
      return a->id < b->id;
    });
  }

  std::vector<api::ec2::Image> matched;
  for (const ImageRecord* image : candidates) {
    if (!selected(*image)) {
      continue;
    }
    api::ec2::Image shape = describe_image(*image, ctx.region);
    bool keep = true;
    for (const api::ec2::Filter& f : in.filters) {
      if (std::optional<bool> tag = internal::match_tag_filter(f, image->tags)) {
        keep = *tag;
      } else {
        const std::optional<std::vector<std::string>> values = image_filter_values(shape, f.name);
        keep = std::any_of(values->begin(), values->end(), [&](const std::string& v) {
          return internal::any_value_matches(f, v);
        });
      }
      if (!keep) {
        break;
      }
    }
    if (keep) {
      matched.push_back(std::move(shape));
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
  api::ec2::DescribeImagesOutput out;
  out.next_token = page->next_token;
  out.images.assign(
      std::make_move_iterator(matched.begin() + static_cast<std::ptrdiff_t>(page->begin)),
      std::make_move_iterator(matched.begin() + static_cast<std::ptrdiff_t>(page->end)));
  return out;
}

// ---- DeregisterImage -----------------------------------------------------------------------

sim::Result<api::ec2::DeregisterImageOutput> Ec2Model::deregister_image(
    const api::CallContext& ctx, const api::ec2::DeregisterImageInput& in) {
  if (sim::Status s = throttle(ctx, ActionClass::kMutating); !s.ok()) {
    return s.error();
  }
  if (in.image_id.empty()) {
    return internal::missing_parameter("ImageId");
  }
  sim::Result<ImageRecord*> found = owned_image(ctx, in.image_id);
  if (!found.ok()) {
    return found.error();
  }
  ImageRecord& image = **found;
  const std::string arn = api::ec2_image_arn(ctx.region, in.image_id);
  if (sim::Status s = authorize(ctx,
                                {.action = "ec2:DeregisterImage",
                                 .resource = arn,
                                 .resource_account = image.owner.str(),
                                 .keys = image_keys(image, ctx.region)},
                                true);
      !s.ok()) {
    return s.error();
  }
  if (is_set(in.dry_run)) {
    return internal::dry_run_success();
  }
  if (image.copy_job != 0) {
    cancel_copy(image, ctx.region);
  }
  std::vector<ResourceId> snapshots;
  for (const ImageBlockDevice& device : image.block_devices) {
    if (!device.snapshot_id.empty()) {
      snapshots.push_back(device.snapshot_id);
    }
  }
  const ResourceId image_id = image.id;
  RegionState& state = region_state(ctx.region);
  state.images.erase(image_id);
  ctx_.emit("ec2.image.deregister",
            {{"account", ctx.principal.account.str()},
             {"region", ctx.region.str()},
             {"image", image_id.view()}});

  api::ec2::DeregisterImageOutput out;
  out.return_value = true;
  if (is_set(in.delete_associated_snapshots)) {
    for (const ResourceId& snap_id : snapshots) {
      std::string code = "success";
      const bool in_use =
          std::any_of(state.images.begin(), state.images.end(), [&](const auto& kv) {
            return std::any_of(kv.second.block_devices.begin(),
                               kv.second.block_devices.end(),
                               [&](const ImageBlockDevice& d) { return d.snapshot_id == snap_id; });
          });
      const auto it = state.snapshots.find(snap_id.view());
      if (it == state.snapshots.end()) {
        code = "client-error";
      } else if (it->second.owner != ctx.principal.account) {
        code = "missing-permissions";
      } else if (in_use) {
        code = "skipped";
      } else {
        state.snapshots.erase(it);
        ctx_.emit("ec2.snapshot.delete",
                  {{"account", ctx.principal.account.str()},
                   {"region", ctx.region.str()},
                   {"snapshot", snap_id.view()}});
      }
      out.delete_snapshot_results.push_back({.snapshot_id = snap_id.str(), .return_code = code});
    }
  }
  return out;
}

// ---- Image attributes ----------------------------------------------------------------------

sim::Result<api::ec2::ModifyImageAttributeOutput> Ec2Model::modify_image_attribute(
    const api::CallContext& ctx, const api::ec2::ModifyImageAttributeInput& in) {
  if (sim::Status s = throttle(ctx, ActionClass::kMutating); !s.ok()) {
    return s.error();
  }
  if (in.image_id.empty()) {
    return internal::missing_parameter("ImageId");
  }
  // Which attribute: the structured LaunchPermission, the legacy launchPermission form, or the
  // description.
  std::optional<api::ec2::LaunchPermissionModifications> mods = in.launch_permission;
  std::optional<std::string> new_description;
  std::string attribute;
  if (mods.has_value()) {
    attribute = std::string(kLaunchPermission);
  } else if (in.attribute == kLaunchPermission) {
    sim::Result<api::ec2::LaunchPermissionModifications> legacy = legacy_modifications(in);
    if (!legacy.ok()) {
      return legacy.error();
    }
    mods = std::move(legacy).value();
    attribute = std::string(kLaunchPermission);
  } else if (in.description.has_value() || in.attribute == "description") {
    attribute = "description";
    new_description =
        in.description.has_value() ? in.description->value.value_or("") : in.value.value_or("");
    if (sim::Status s = internal::validate_description(new_description); !s.ok()) {
      return s.error();
    }
  } else if (in.attribute.has_value()) {
    return invalid_value("Attribute",
                         *in.attribute,
                         "ibsim models the launchPermission and description attributes.");
  } else {
    return internal::missing_parameter("Attribute");
  }
  if (mods.has_value()) {
    if (mods->add.empty() && mods->remove.empty()) {
      return internal::missing_parameter("LaunchPermission");
    }
    for (const auto* list : {&mods->add, &mods->remove}) {
      for (const api::ec2::LaunchPermission& p : *list) {
        if (sim::Status s = validate_launch_permission(p); !s.ok()) {
          return s.error();
        }
      }
    }
  }
  sim::Result<ImageRecord*> found = owned_image(ctx, in.image_id);
  if (!found.ok()) {
    return found.error();
  }
  ImageRecord& image = **found;
  const std::string arn = api::ec2_image_arn(ctx.region, in.image_id);
  std::vector<auth::ContextValue> keys = image_keys(image, ctx.region);
  keys.push_back({.key = "ec2:Attribute", .values = {attribute}});
  if (sim::Status s = authorize(ctx,
                                {.action = "ec2:ModifyImageAttribute",
                                 .resource = arn,
                                 .resource_account = image.owner.str(),
                                 .keys = keys},
                                true);
      !s.ok()) {
    return s.error();
  }
  if (is_set(in.dry_run)) {
    return internal::dry_run_success();
  }
  if (new_description.has_value()) {
    image.description = *new_description;
    ctx_.emit(
        "ec2.image.description",
        {{"account", image.owner.str()}, {"region", ctx.region.str()}, {"image", in.image_id}});
    return api::ec2::ModifyImageAttributeOutput{};
  }

  // Rules on what may be shared, checked against the image's snapshots.
  bool encrypted = false;
  bool aws_managed_key = false;
  for (const ImageBlockDevice& device : image.block_devices) {
    const SnapshotRecord* snap =
        device.snapshot_id.empty() ? nullptr : find_snapshot(ctx.region, device.snapshot_id.view());
    encrypted = encrypted || device.encrypted;
    aws_managed_key = aws_managed_key
                      || (snap != nullptr && snap->encrypted
                          && ebs_keys_.is_aws_managed_key(snap->kms_key_arn()));
  }
  const LaunchPermissions* current = image.launch_permissions.get();
  LaunchPermissions next = current != nullptr ? *current : LaunchPermissions{};
  bool adds_public = false;
  bool adds_others = false;
  for (const api::ec2::LaunchPermission& p : mods->add) {
    if (p.group.has_value()) {
      adds_public = adds_public || !next.is_public;
      next.is_public = true;
    } else if (p.user_id.has_value()) {
      const api::AccountId id = api::AccountId::from_valid(*p.user_id);
      if (id != image.owner) {
        adds_others = true;
        next.user_ids.insert(id);
      }
    } else if (p.organization_arn.has_value()) {
      adds_others = true;
      next.organization_arns.insert(*p.organization_arn);
    } else {
      adds_others = true;
      next.organizational_unit_arns.insert(*p.organizational_unit_arn);
    }
  }
  for (const api::ec2::LaunchPermission& p : mods->remove) {
    if (p.group.has_value()) {
      next.is_public = false;
    } else if (p.user_id.has_value()) {
      next.user_ids.erase(api::AccountId::from_valid(*p.user_id));
    } else if (p.organization_arn.has_value()) {
      next.organization_arns.erase(*p.organization_arn);
    } else {
      next.organizational_unit_arns.erase(*p.organizational_unit_arn);
    }
  }
  if ((adds_public || adds_others) && aws_managed_key) {
    // Unconfirmed: sharing an AMI whose snapshots use the AWS managed key answers
    // InvalidParameter; the text is AWS's (aws-facts §1.7).
    return ec2_error(ErrorCode::kInvalidParameter, std::string(kAwsManagedKeyShareMessage));
  }
  if (adds_public && encrypted) {
    // Unconfirmed: making an encrypted AMI public answers InvalidParameter with ibsim's text
    // (encrypted AMIs can never be public, aws-facts §3.4).
    return ec2_error(ErrorCode::kInvalidParameter,
                     "Images with encrypted snapshots cannot be made public.");
  }
  if (adds_public) {
    uint32_t public_count = 0;
    for (const auto& [id, other] : region_state(ctx.region).images) {
      if (other.owner == image.owner && other.is_public()) {
        ++public_count;
      }
    }
    if (public_count >= options_.public_images_per_region_max) {
      return ec2_error(ErrorCode::kResourceLimitExceeded,
                       "You have reached your quota of " +
                           std::to_string(options_.public_images_per_region_max) +
                           " for the number of public images allowed in this Region. Deregister "
                           "unused public images or make them private, or request an increase "
                           "in your public AMIs quota.");
    }
  }
  if (next.entity_count() > options_.image_sharing_entities_max) {
    // Unconfirmed: the text of the 1,000-entities sharing quota error.
    return ec2_error(ErrorCode::kResourceLimitExceeded,
                     "You have reached your quota of "
                         + std::to_string(options_.image_sharing_entities_max)
                         + " for the number of entities an image can be shared with.");
  }
  if (next.empty()) {
    image.launch_permissions.reset();
  } else {
    image.launch_permissions = std::make_unique<LaunchPermissions>(std::move(next));
  }
  ctx_.emit("ec2.image.launch_permission",
            {{"account", image.owner.str()},
             {"region", ctx.region.str()},
             {"image", in.image_id},
             {"added", static_cast<int64_t>(mods->add.size())},
             {"removed", static_cast<int64_t>(mods->remove.size())},
             {"public", image.is_public() ? 1 : 0}});
  return api::ec2::ModifyImageAttributeOutput{};
}

sim::Result<api::ec2::DescribeImageAttributeOutput> Ec2Model::describe_image_attribute(
    const api::CallContext& ctx, const api::ec2::DescribeImageAttributeInput& in) const {
  if (sim::Status s = throttle(ctx, ActionClass::kNonMutating); !s.ok()) {
    return s.error();
  }
  if (in.image_id.empty()) {
    return internal::missing_parameter("ImageId");
  }
  if (in.attribute.empty()) {
    return internal::missing_parameter("Attribute");
  }
  static const std::set<std::string_view> kAttributes = {"description",
                                                         "kernel",
                                                         "ramdisk",
                                                         "launchPermission",
                                                         "productCodes",
                                                         "blockDeviceMapping",
                                                         "sriovNetSupport",
                                                         "bootMode",
                                                         "tpmSupport",
                                                         "uefiData",
                                                         "lastLaunchedTime",
                                                         "imdsSupport",
                                                         "deregistrationProtection"};
  if (kAttributes.count(in.attribute) == 0) {
    return invalid_value("Attribute", in.attribute, "Unknown attribute.");
  }
  sim::Result<const ImageRecord*> found = visible_image(ctx, ctx.region, in.image_id);
  if (!found.ok()) {
    return found.error();
  }
  const ImageRecord& image = **found;
  const std::string arn = api::ec2_image_arn(ctx.region, in.image_id);
  if (sim::Status s =
          authorize(ctx,
                    {.action = "ec2:DescribeImageAttribute",
                     .resource = arn,
                     .resource_account = image.owner.str(),
                     .resource_policy = launch_permission_grant(image, ctx.principal.account),
                     .keys = image_keys(image, ctx.region)},
                    false);
      !s.ok()) {
    return s.error();
  }
  if (is_set(in.dry_run)) {
    return internal::dry_run_success();
  }
  api::ec2::DescribeImageAttributeOutput out;
  out.image_id = image.id.str();
  if (in.attribute == kLaunchPermission) {
    // Only the owner sees who an image is shared with.
    if (image.owner != ctx.principal.account) {
      return internal::not_owner(in.image_id);
    }
    out.launch_permissions = list_launch_permissions(image.launch_permissions.get());
  } else if (in.attribute == "description") {
    out.description = api::ec2::AttributeValue{.value = image.description};
  } else if (in.attribute == "blockDeviceMapping") {
    out.block_device_mappings = describe_image(image, ctx.region).block_device_mappings;
  } else if (in.attribute == "bootMode") {
    out.boot_mode = api::ec2::AttributeValue{
        .value = image.boot_mode.empty() ? std::nullopt : std::optional(image.boot_mode)};
  } else if (in.attribute == "kernel") {
    out.kernel_id = api::ec2::AttributeValue{};
  } else if (in.attribute == "ramdisk") {
    out.ramdisk_id = api::ec2::AttributeValue{};
  } else if (in.attribute == "sriovNetSupport") {
    out.sriov_net_support = api::ec2::AttributeValue{};
  } else if (in.attribute == "tpmSupport") {
    out.tpm_support = api::ec2::AttributeValue{};
  } else if (in.attribute == "uefiData") {
    out.uefi_data = api::ec2::AttributeValue{};
  } else if (in.attribute == "lastLaunchedTime") {
    out.last_launched_time = api::ec2::AttributeValue{};
  } else if (in.attribute == "imdsSupport") {
    out.imds_support = api::ec2::AttributeValue{};
  } else if (in.attribute == "deregistrationProtection") {
    out.deregistration_protection = api::ec2::AttributeValue{.value = "disabled"};
  }
  return out;
}

sim::Result<api::ec2::ResetImageAttributeOutput> Ec2Model::reset_image_attribute(
    const api::CallContext& ctx, const api::ec2::ResetImageAttributeInput& in) {
  if (sim::Status s = throttle(ctx, ActionClass::kMutating); !s.ok()) {
    return s.error();
  }
  if (in.image_id.empty()) {
    return internal::missing_parameter("ImageId");
  }
  if (in.attribute.empty()) {
    return internal::missing_parameter("Attribute");
  }
  if (in.attribute != kLaunchPermission) {
    return invalid_value(
        "Attribute", in.attribute, "Only launchPermission can be reset on an image.");
  }
  sim::Result<ImageRecord*> found = owned_image(ctx, in.image_id);
  if (!found.ok()) {
    return found.error();
  }
  ImageRecord& image = **found;
  const std::string arn = api::ec2_image_arn(ctx.region, in.image_id);
  std::vector<auth::ContextValue> keys = image_keys(image, ctx.region);
  keys.push_back({.key = "ec2:Attribute", .values = {in.attribute}});
  if (sim::Status s = authorize(ctx,
                                {.action = "ec2:ResetImageAttribute",
                                 .resource = arn,
                                 .resource_account = image.owner.str(),
                                 .keys = keys},
                                true);
      !s.ok()) {
    return s.error();
  }
  if (is_set(in.dry_run)) {
    return internal::dry_run_success();
  }
  image.launch_permissions.reset();
  ctx_.emit("ec2.image.launch_permission_reset",
            {{"account", image.owner.str()}, {"region", ctx.region.str()}, {"image", in.image_id}});
  return api::ec2::ResetImageAttributeOutput{};
}

}  // namespace ibsim::mock_aws::ec2
