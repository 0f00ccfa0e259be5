// Ec2Model seeds: images with their snapshots (encrypted ones under real data keys from the key
// service's seed path), AWS-owned public images, launch templates, EBS encryption defaults, copy
// caps and organization membership — for world files and tests, without a caller or
// authorization, checked by the rules the API applies.

#include <algorithm>
#include <set>

#include "mock_aws/api/arn.h"
#include "mock_aws/ec2/ec2_errors.h"
#include "mock_aws/ec2/ec2_internal.h"
#include "mock_aws/ec2/ec2_model.h"
#include "sim/base/assert.h"

namespace ibsim::mock_aws::ec2 {

namespace {

sim::AwsError seed_error(std::string message) {
  return ec2_error(ErrorCode::kInvalidParameterValue, std::move(message));
}

}  // namespace

sim::Result<std::string> Ec2Model::seed_image(const SeedImage& seed) {
  if (seed.owner.empty() || seed.region.empty()) {
    return seed_error("A seeded image needs an owner account and a region");
  }
  if (sim::Status s = internal::validate_image_name(seed.name); !s.ok()) {
    return s.error();
  }
  const std::optional<Architecture> architecture = parse_architecture(seed.architecture);
  if (!architecture.has_value()) {
    return seed_error("Unknown architecture '" + seed.architecture + "'");
  }
  const std::optional<Virtualization> virtualization =
      parse_virtualization(seed.virtualization_type);
  if (!virtualization.has_value()) {
    return seed_error("Unknown virtualization type '" + seed.virtualization_type + "'");
  }
  if (seed.block_devices.empty()) {
    return seed_error("A seeded image needs at least one block device");
  }
  if (std::none_of(seed.block_devices.begin(), seed.block_devices.end(), [&](const auto& d) {
        return d.device_name == seed.root_device_name;
      })) {
    return seed_error("The root device " + seed.root_device_name
                      + " is not among the block devices");
  }
  RegionState& region = region_state(seed.region);
  ResourceId image_id;
  if (seed.image_id.empty()) {
    image_id = new_id(IdKind::kImage, seed.region);
  } else {
    if (!is_well_formed_id(seed.image_id, IdKind::kImage)) {
      return internal::malformed_id(IdKind::kImage, seed.image_id);
    }
    if (region.images.count(seed.image_id) > 0) {
      return seed_error("Image " + seed.image_id + " already exists");
    }
    image_id = ResourceId::from_text(seed.image_id);
  }
  for (const auto& [id, image] : region.images) {
    if (image.owner == seed.owner && image.name == seed.name) {
      return ec2_error(ErrorCode::kInvalidAmiNameDuplicate,
                       "AMI name " + seed.name + " is already in use by AMI " + id.str());
    }
  }
  LaunchPermissions permissions;
  for (const api::ec2::LaunchPermission& p : seed.launch_permissions) {
    if (p.group.has_value() && *p.group == "all") {
      permissions.is_public = true;
    } else if (p.user_id.has_value() && api::AccountId::is_valid(*p.user_id)) {
      permissions.user_ids.insert(api::AccountId::from_valid(*p.user_id));
    } else if (p.organization_arn.has_value()) {
      permissions.organization_arns.insert(*p.organization_arn);
    } else if (p.organizational_unit_arn.has_value()) {
      permissions.organizational_unit_arns.insert(*p.organizational_unit_arn);
    } else {
      return seed_error(
          "A launch permission names one account, group all, an organization or "
          "an OU");
    }
  }

  std::vector<SnapshotRecord> snapshots;
  ImageRecord image;
  for (const SeedBlockDevice& d : seed.block_devices) {
    if (d.volume_size_gib < internal::kVolumeSizeMinGib
        || d.volume_size_gib > internal::kVolumeSizeMaxGib) {
      return seed_error("Volume sizes are 1 to 65536 GiB");
    }
    SnapshotRecord snap;
    if (d.snapshot_id.empty()) {
      snap.id = new_id(IdKind::kSnapshot, seed.region);
    } else {
      if (!is_well_formed_id(d.snapshot_id, IdKind::kSnapshot)) {
        return internal::malformed_id(IdKind::kSnapshot, d.snapshot_id);
      }
      if (region.snapshots.count(d.snapshot_id) > 0
          || std::any_of(snapshots.begin(), snapshots.end(), [&](const SnapshotRecord& s) {
               return s.id == d.snapshot_id;
             })) {
        return seed_error("Snapshot " + d.snapshot_id + " already exists");
      }
      snap.id = ResourceId::from_text(d.snapshot_id);
    }
    snap.owner = seed.owner;
    snap.amazon_owned = seed.amazon_owned;
    snap.volume_size_gib = d.volume_size_gib;
    snap.start_unix_ms = now_unix_ms();
    snap.description = "Seeded for " + seed.name;
    std::shared_ptr<const std::vector<uint8_t>> content = make_content(snap.id.view());
    if (!d.kms_key_arn.empty()) {
      if (d.is_public || permissions.is_public) {
        return seed_error("Encrypted snapshots can never be public");
      }
      if ((!d.shared_with.empty() || !permissions.empty())
          && ebs_keys_.is_aws_managed_key(d.kms_key_arn)) {
        return ec2_error(ErrorCode::kInvalidParameter, std::string(kAwsManagedKeyShareMessage));
      }
      sim::Result<kms::DataKey> key = ebs_keys_.seed_data_key(d.kms_key_arn, snap.id.view());
      if (!key.ok()) {
        return key.error();
      }
      seal_content(snap, *key, *content);
    } else {
      snap.content = std::move(content);
    }
    if (d.is_public || !d.shared_with.empty()) {
      auto vp = std::make_unique<VolumePermissions>();
      vp->is_public = d.is_public;
      for (const api::AccountId& a : d.shared_with) {
        vp->user_ids.insert(a);
      }
      snap.volume_permissions = std::move(vp);
    }
    image.block_devices.push_back(ImageBlockDevice{.device_name = d.device_name,
                                                   .snapshot_id = snap.id,
                                                   .volume_size_gib = d.volume_size_gib,
                                                   .volume_type = d.volume_type,
                                                   .delete_on_termination = true,
                                                   .encrypted = snap.encrypted});
    snapshots.push_back(std::move(snap));
  }
  image.id = image_id;
  image.owner = seed.owner;
  image.amazon_owned = seed.amazon_owned;
  image.state = ImageState::kAvailable;
  image.architecture = *architecture;
  image.virtualization = *virtualization;
  image.name = seed.name;
  image.description = seed.description;
  image.root_device_name = seed.root_device_name;
  image.creation_unix_ms = now_unix_ms();
  image.tags = seed.tags;
  if (!permissions.empty()) {
    image.launch_permissions = std::make_unique<LaunchPermissions>(std::move(permissions));
  }
  for (SnapshotRecord& snap : snapshots) {
    const ResourceId id = snap.id;
    region.snapshots.emplace(id, std::move(snap));
  }
  region.images.emplace(image_id, std::move(image));
  ctx_.emit("ec2.image.seed",
            {{"account", seed.owner.str()},
             {"region", seed.region.str()},
             {"image", image_id.view()},
             {"amazon", seed.amazon_owned ? 1 : 0}});
  return image_id.str();
}

sim::Result<std::string> Ec2Model::seed_public_image(SeedImage seed) {
  seed.amazon_owned = true;
  if (std::none_of(seed.launch_permissions.begin(),
                   seed.launch_permissions.end(),
                   [](const api::ec2::LaunchPermission& p) { return p.group == "all"; })) {
    seed.launch_permissions.push_back({.group = "all"});
  }
  for (SeedBlockDevice& d : seed.block_devices) {
    if (!d.kms_key_arn.empty()) {
      return seed_error("Public images have unencrypted snapshots only");
    }
    d.is_public = true;
  }
  return seed_image(seed);
}

sim::Result<std::string> Ec2Model::seed_launch_template(const SeedLaunchTemplate& seed) {
  if (seed.owner.empty() || seed.region.empty()) {
    return seed_error("A seeded launch template needs an owner account and a region");
  }
  if (seed.name.size() < internal::kLaunchTemplateNameMinChars
      || seed.name.size() > internal::kLaunchTemplateNameMaxChars) {
    return ec2_error(ErrorCode::kInvalidLaunchTemplateNameMalformed,
                     "A launch template name must be between 3 and 128 characters");
  }
  if (seed.versions.empty()) {
    return seed_error("A seeded launch template needs at least one version");
  }
  if (seed.default_version < 1
      || seed.default_version > static_cast<int64_t>(seed.versions.size())) {
    return seed_error("The default version must be one of the seeded versions");
  }
  AccountRegionState& state = account_region(seed.owner, seed.region);
  if (state.launch_template_names.count(seed.name) > 0) {
    return ec2_error(ErrorCode::kInvalidLaunchTemplateNameAlreadyExists,
                     "Launch template name already in use.");
  }
  LaunchTemplateRecord lt;
  if (seed.launch_template_id.empty()) {
    lt.id = generate_id(IdKind::kLaunchTemplate, id_rng_);
  } else {
    if (!is_well_formed_id(seed.launch_template_id, IdKind::kLaunchTemplate)) {
      return internal::malformed_id(IdKind::kLaunchTemplate, seed.launch_template_id);
    }
    lt.id = ResourceId::from_text(seed.launch_template_id);
  }
  if (state.launch_templates.count(lt.id.view()) > 0) {
    return seed_error("Launch template " + lt.id.str() + " already exists");
  }
  lt.name = seed.name;
  lt.create_unix_ms = now_unix_ms();
  lt.created_by = api::root_arn(seed.owner);
  lt.tags = seed.tags;
  lt.default_version = seed.default_version;
  lt.latest_version = static_cast<int64_t>(seed.versions.size());
  for (std::size_t i = 0; i < seed.versions.size(); ++i) {
    const auto number = static_cast<int64_t>(i + 1);
    lt.versions.emplace(number,
                        LaunchTemplateVersionRecord{.number = number,
                                                    .description = {},
                                                    .create_unix_ms = lt.create_unix_ms,
                                                    .created_by = lt.created_by,
                                                    .data = seed.versions[i]});
  }
  const ResourceId id = lt.id;
  state.launch_template_names.emplace(lt.name, id);
  state.launch_templates.emplace(id, std::move(lt));
  return id.str();
}

sim::Status Ec2Model::seed_ebs_encryption_by_default(const api::AccountId& account,
                                                     const api::Region& region,
                                                     bool enabled,
                                                     std::string kms_key_arn) {
  if (account.empty() || region.empty()) {
    return seed_error("EBS defaults need an account and a region");
  }
  AccountRegionState& state = account_region(account, region);
  state.encryption_by_default = enabled;
  state.default_kms_key_arn = std::move(kms_key_arn);
  return sim::ok_status();
}

sim::Status Ec2Model::seed_copy_limit(const api::AccountId& account,
                                      const api::Region& region,
                                      uint32_t limit) {
  if (limit < 1 || limit > kCopyConcurrencyLimitMax) {
    return seed_error("A copy limit is between 1 and 1000000");
  }
  account_region(account, region).copy_limit = limit;
  return sim::ok_status();
}

sim::Status Ec2Model::seed_default_copy_limit(uint32_t limit) {
  if (limit < 1 || limit > kCopyConcurrencyLimitMax) {
    return seed_error("A copy limit is between 1 and 1000000");
  }
  options_.copy_concurrency_limit = limit;
  return sim::ok_status();
}

void Ec2Model::seed_account_organization(const api::AccountId& account,
                                         std::string organization_arn,
                                         std::vector<std::string> organizational_unit_arns) {
  organizations_[account] =
      Organization{.organization_arn = std::move(organization_arn),
                   .organizational_unit_arns = std::move(organizational_unit_arns)};
}

}  // namespace ibsim::mock_aws::ec2
