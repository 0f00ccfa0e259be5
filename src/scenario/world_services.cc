#include "src/scenario/world_services.h"

#include <limits>
#include <string>
#include <utility>

#include "mock_aws/api/arn.h"
#include "mock_aws/api/regions.h"
#include "mock_aws/ec2/ec2_model.h"
#include "mock_aws/kms/kms_model.h"
#include "mock_aws/ssm/ssm_model.h"

namespace ibsim::scenario {
namespace {

namespace api = mock_aws::api;
namespace ec2 = mock_aws::ec2;
namespace kms = mock_aws::kms;

constexpr std::string_view kAwsManagedEbsAlias = "alias/aws/ebs";

sim::Status check_object(const Json& node, const std::string& path, std::string_view what) {
  if (!node.is_object()) {
    return input_error(
        path, "expected an object keyed by " + std::string(what) + ", got " + describe(node));
  }
  if (node.size() > WorldFileLimits::kEntriesPerSectionMax) {
    return input_error(
        path,
        "has more than " + std::to_string(WorldFileLimits::kEntriesPerSectionMax) + " entries");
  }
  return sim::ok_status();
}

// Iterates a region-keyed object, rejecting names that are not regions of the world.
template <typename Fn>
sim::Status for_each_region(const AccountSectionInput& in, Fn&& fn) {
  if (auto s = check_object(in.node, in.path, "region"); !s.ok()) {
    return s;
  }
  for (const auto& [name, value] : in.node.items()) {
    const std::string path = join_path(in.path, name);
    auto region = api::parse_region(name);
    if (!region.ok()) {
      return input_error(path, "'" + name + "' is not a region of partition aws");
    }
    if (!in.world.has_region(*region)) {
      return input_error(path, "region '" + name + "' is not enabled in this world ($.regions)");
    }
    if (auto s = fn(*region, value, path); !s.ok()) {
      return s;
    }
  }
  return sim::ok_status();
}

sim::Result<std::map<std::string, std::string>> read_tag_map(const Json* node,
                                                             const std::string& path) {
  std::map<std::string, std::string> tags;
  if (node == nullptr) {
    return tags;
  }
  if (!node->is_object()) {
    return input_error(path, "expected an object of tag keys to values, got " + describe(*node));
  }
  if (node->size() > 50) {
    return input_error(path, "has more than 50 tags");
  }
  for (const auto& [key, value] : node->items()) {
    if (!value.is_string()) {
      return input_error(join_path(path, key), "expected a string, got " + describe(value));
    }
    tags.emplace(key, value.get<std::string>());
  }
  return tags;
}

// A key reference as world files write it: "alias/x" (this account and region), "alias/aws/ebs"
// (the AWS managed key, created on first use), an alias ARN, a key ARN, or a bare key id.
sim::Result<std::string> resolve_key(mock_aws::services::World& world,
                                     const api::AccountId& account,
                                     const api::Region& region,
                                     const std::string& ref,
                                     const std::string& path) {
  if (ref == kAwsManagedEbsAlias) {
    return world.kms().aws_managed_ebs_key(account, region);
  }
  if (ref.starts_with("alias/")) {
    if (auto arn = world.kms().find_alias_target(account, region, ref)) {
      return *arn;
    }
    return input_error(path,
                       "no KMS alias '" + ref + "' in account " + account.str() + " region "
                           + region.str() + " (declare the key under accounts." + account.str()
                           + ".kms)");
  }
  if (ref.starts_with("arn:")) {
    auto arn = api::parse_arn(ref);
    if (!arn.ok() || arn->service != "kms" || !api::AccountId::is_valid(arn->account)
        || api::find_region(arn->region) == nullptr) {
      return input_error(path, "'" + ref + "' is not a KMS key or alias ARN");
    }
    const api::AccountId owner = api::AccountId::from_valid(arn->account);
    const api::Region key_region = api::Region::from_known(arn->region);
    if (arn->resource_type() == "alias") {
      if (arn->resource == kAwsManagedEbsAlias) {
        return world.kms().aws_managed_ebs_key(owner, key_region);
      }
      if (auto target = world.kms().find_alias_target(owner, key_region, arn->resource)) {
        return *target;
      }
      return input_error(path, "no KMS alias '" + ref + "' in this world");
    }
    if (!world.kms().find_key(ref).has_value()) {
      return input_error(path, "no KMS key '" + ref + "' in this world");
    }
    return ref;
  }
  const std::string arn = api::kms_key_arn(region, account, ref);
  if (!world.kms().find_key(arn).has_value()) {
    return input_error(
        path, "no KMS key '" + ref + "' in account " + account.str() + " region " + region.str());
  }
  return arn;
}

// ---- kms: {"<region>": {"keys": {"<label>": {...}}}}

sim::Status load_kms_key(const AccountSectionInput& in,
                         const api::Region& region,
                         const std::string& label,
                         const Json& node,
                         const std::string& path) {
  StrictObject o(node, path);
  kms::KmsModel::SeedKey seed;
  seed.account = in.account;
  seed.region = region;
  seed.key_id = o.optional_string("keyId");
  seed.description = o.optional_string("description").value_or("");
  seed.enabled = o.optional_bool("enabled").value_or(true);
  const Json* policy = o.optional_value("policy");
  const Json* tags_node = o.optional_value("tags");
  const bool has_aliases = o.has("aliases");
  std::vector<std::string> aliases = o.optional_string_array("aliases");
  if (auto s = o.finish(); !s.ok()) {
    return s;
  }
  if (!has_aliases) {
    aliases.push_back("alias/" + label);
  }
  if (policy != nullptr) {
    auto text = policy_text(*policy, o.child_path("policy"));
    if (!text.ok()) {
      return text.error();
    }
    seed.policy = std::move(text).value();
  }
  auto tags = read_tag_map(tags_node, o.child_path("tags"));
  if (!tags.ok()) {
    return tags.error();
  }
  for (const auto& [key, value] : *tags) {
    seed.tags.push_back(api::kms::Tag{key, value});
  }
  auto key = in.world.kms().seed_key(seed);
  if (!key.ok()) {
    const bool policy_problem = key.error().code.find("Policy") != std::string::npos;
    return at_path(policy_problem ? o.child_path("policy") : path, key.error());
  }
  for (std::size_t i = 0; i < aliases.size(); ++i) {
    if (auto s = in.world.kms().seed_alias(in.account, region, aliases[i], key->key_id); !s.ok()) {
      return at_path(has_aliases ? index_path(o.child_path("aliases"), i) : path, s.error());
    }
  }
  return sim::ok_status();
}

sim::Status load_kms(const AccountSectionInput& in) {
  return for_each_region(
      in, [&](const api::Region& region, const Json& node, const std::string& path) -> sim::Status {
        StrictObject o(node, path);
        const Json* keys = o.optional_value("keys");
        if (auto s = o.finish(); !s.ok()) {
          return s;
        }
        if (keys == nullptr) {
          return sim::ok_status();
        }
        const std::string keys_path = join_path(path, "keys");
        if (auto s = check_object(*keys, keys_path, "key label"); !s.ok()) {
          return s;
        }
        for (const auto& [label, key] : keys->items()) {
          if (auto s = load_kms_key(in, region, label, key, join_path(keys_path, label)); !s.ok()) {
            return s;
          }
        }
        return sim::ok_status();
      });
}

// ---- ec2: {"<region>": {"images": {...}, "launchTemplates": {...}, "ebs...": ...}}

sim::Result<std::vector<api::AccountId>> read_accounts(StrictObject& o, std::string_view key) {
  std::vector<api::AccountId> out;
  const std::vector<std::string> ids = o.optional_string_array(key);
  for (std::size_t i = 0; i < ids.size(); ++i) {
    if (!api::AccountId::is_valid(ids[i])) {
      return input_error(index_path(o.child_path(key), i),
                         "expected a 12-digit account id, got \"" + ids[i] + "\"");
    }
    out.push_back(api::AccountId::from_valid(ids[i]));
  }
  return out;
}

sim::Status load_block_device(const AccountSectionInput& in,
                              const api::Region& region,
                              const Json& node,
                              const std::string& path,
                              ec2::Ec2Model::SeedBlockDevice* out) {
  StrictObject o(node, path);
  if (auto name = o.optional_string("deviceName")) {
    out->device_name = *name;
  }
  out->volume_size_gib =
      static_cast<int32_t>(o.optional_int("volumeSizeGiB", 1, 16384).value_or(8));
  if (auto type = o.optional_string("volumeType")) {
    out->volume_type = *type;
  }
  const std::optional<std::string> key = o.optional_string("kmsKey");
  const std::optional<bool> encrypted = o.optional_bool("encrypted");
  out->snapshot_id = o.optional_string("snapshotId").value_or("");
  auto shared = read_accounts(o, "sharedWith");
  out->is_public = o.optional_bool("public").value_or(false);
  if (auto s = o.finish(); !s.ok()) {
    return s;
  }
  if (!shared.ok()) {
    return shared.error();
  }
  out->shared_with = std::move(shared).value();
  if (encrypted == false && key.has_value()) {
    return input_error(o.child_path("kmsKey"),
                       "a kmsKey needs \"encrypted\": true (or no "
                       "\"encrypted\")");
  }
  if (key.has_value() || encrypted == true) {
    auto arn = resolve_key(in.world,
                           in.account,
                           region,
                           key.value_or(std::string(kAwsManagedEbsAlias)),
                           o.child_path("kmsKey"));
    if (!arn.ok()) {
      return arn.error();
    }
    out->kms_key_arn = std::move(arn).value();
  }
  return sim::ok_status();
}

sim::Status load_image(const AccountSectionInput& in,
                       const api::Region& region,
                       const std::string& name,
                       const Json& node,
                       const std::string& path) {
  StrictObject o(node, path);
  ec2::Ec2Model::SeedImage seed;
  seed.owner = in.account;
  seed.region = region;
  seed.name = name;
  seed.image_id = o.optional_string("imageId").value_or("");
  seed.description = o.optional_string("description").value_or("");
  if (auto v = o.optional_string("architecture")) {
    seed.architecture = *v;
  }
  if (auto v = o.optional_string("virtualizationType")) {
    seed.virtualization_type = *v;
  }
  if (auto v = o.optional_string("rootDeviceName")) {
    seed.root_device_name = *v;
  }
  const Json* devices = o.optional_array("blockDevices");
  const Json* tags_node = o.optional_value("tags");
  const Json* permission = o.optional_object("launchPermission");
  if (auto s = o.finish(); !s.ok()) {
    return s;
  }
  if (devices != nullptr) {
    if (devices->empty() || devices->size() > WorldFileLimits::kListItemsMax) {
      return input_error(o.child_path("blockDevices"), "expected 1 to 1000 block devices");
    }
    seed.block_devices.clear();
    for (std::size_t i = 0; i < devices->size(); ++i) {
      ec2::Ec2Model::SeedBlockDevice device;
      device.device_name = seed.root_device_name;
      if (auto s = load_block_device(
              in, region, (*devices)[i], index_path(o.child_path("blockDevices"), i), &device);
          !s.ok()) {
        return s;
      }
      seed.block_devices.push_back(std::move(device));
    }
  }
  auto tags = read_tag_map(tags_node, o.child_path("tags"));
  if (!tags.ok()) {
    return tags.error();
  }
  seed.tags = std::move(tags).value();
  if (permission != nullptr) {
    StrictObject p(*permission, o.child_path("launchPermission"));
    auto users = read_accounts(p, "userIds");
    const std::vector<std::string> groups = p.optional_string_array("groups");
    const std::vector<std::string> organizations = p.optional_string_array("organizationArns");
    const std::vector<std::string> units = p.optional_string_array("organizationalUnitArns");
    if (auto s = p.finish(); !s.ok()) {
      return s;
    }
    if (!users.ok()) {
      return users.error();
    }
    for (const api::AccountId& user : *users) {
      seed.launch_permissions.push_back({.user_id = user.str()});
    }
    for (const std::string& group : groups) {
      seed.launch_permissions.push_back({.group = group});
    }
    for (const std::string& org : organizations) {
      seed.launch_permissions.push_back({.organization_arn = org});
    }
    for (const std::string& unit : units) {
      seed.launch_permissions.push_back({.organizational_unit_arn = unit});
    }
  }
  auto image = in.world.ec2().seed_image(seed);
  if (!image.ok()) {
    return at_path(path, image.error());
  }
  return sim::ok_status();
}

sim::Status load_launch_template(const AccountSectionInput& in,
                                 const api::Region& region,
                                 const std::string& name,
                                 const Json& node,
                                 const std::string& path) {
  StrictObject o(node, path);
  ec2::Ec2Model::SeedLaunchTemplate seed;
  seed.owner = in.account;
  seed.region = region;
  seed.name = name;
  seed.launch_template_id = o.optional_string("launchTemplateId").value_or("");
  const Json* versions = o.optional_array("versions");
  const std::optional<int64_t> default_version =
      o.optional_int("defaultVersion", 1, std::numeric_limits<int32_t>::max());
  const Json* tags_node = o.optional_value("tags");
  if (auto s = o.finish(); !s.ok()) {
    return s;
  }
  if (versions != nullptr) {
    if (versions->empty() || versions->size() > WorldFileLimits::kListItemsMax) {
      return input_error(o.child_path("versions"), "expected 1 to 1000 versions");
    }
    seed.versions.clear();
    for (std::size_t i = 0; i < versions->size(); ++i) {
      StrictObject v((*versions)[i], index_path(o.child_path("versions"), i));
      api::ec2::RequestLaunchTemplateData data;
      data.image_id = v.optional_string("imageId");
      data.instance_type = v.optional_string("instanceType");
      data.key_name = v.optional_string("keyName");
      if (auto s = v.finish(); !s.ok()) {
        return s;
      }
      seed.versions.push_back(std::move(data));
    }
  }
  seed.default_version = default_version.value_or(1);
  if (seed.default_version > static_cast<int64_t>(seed.versions.size())) {
    return input_error(o.child_path("defaultVersion"),
                       "names version " + std::to_string(seed.default_version) + " but only "
                           + std::to_string(seed.versions.size()) + " version(s) are declared");
  }
  auto tags = read_tag_map(tags_node, o.child_path("tags"));
  if (!tags.ok()) {
    return tags.error();
  }
  seed.tags = std::move(tags).value();
  auto lt = in.world.ec2().seed_launch_template(seed);
  if (!lt.ok()) {
    return at_path(path, lt.error());
  }
  return sim::ok_status();
}

template <typename Fn>
sim::Status for_each_entry(const Json* node,
                           const std::string& path,
                           std::string_view what,
                           Fn&& fn) {
  if (node == nullptr) {
    return sim::ok_status();
  }
  if (auto s = check_object(*node, path, what); !s.ok()) {
    return s;
  }
  for (const auto& [name, value] : node->items()) {
    if (auto s = fn(name, value, join_path(path, name)); !s.ok()) {
      return s;
    }
  }
  return sim::ok_status();
}

sim::Status load_ec2(const AccountSectionInput& in) {
  return for_each_region(
      in, [&](const api::Region& region, const Json& node, const std::string& path) -> sim::Status {
        StrictObject o(node, path);
        const std::optional<bool> by_default = o.optional_bool("ebsEncryptionByDefault");
        const std::optional<std::string> default_key = o.optional_string("ebsDefaultKmsKey");
        const std::optional<int64_t> copy_limit =
            o.optional_int("copyConcurrencyLimit", 1, ec2::Ec2Model::kCopyConcurrencyLimitMax);
        const Json* images = o.optional_value("images");
        const Json* templates = o.optional_value("launchTemplates");
        if (auto s = o.finish(); !s.ok()) {
          return s;
        }
        if (by_default.has_value() || default_key.has_value()) {
          std::string key_arn;
          if (default_key.has_value()) {
            auto arn = resolve_key(
                in.world, in.account, region, *default_key, o.child_path("ebsDefaultKmsKey"));
            if (!arn.ok()) {
              return arn.error();
            }
            key_arn = std::move(arn).value();
          }
          if (auto s = in.world.ec2().seed_ebs_encryption_by_default(
                  in.account, region, by_default.value_or(false), key_arn);
              !s.ok()) {
            return at_path(path, s.error());
          }
        }
        if (copy_limit.has_value()) {
          if (auto s = in.world.ec2().seed_copy_limit(
                  in.account, region, static_cast<uint32_t>(*copy_limit));
              !s.ok()) {
            return at_path(o.child_path("copyConcurrencyLimit"), s.error());
          }
        }
        if (auto s = for_each_entry(
                images,
                o.child_path("images"),
                "image name",
                [&](const std::string& name, const Json& value, const std::string& p) {
                  return load_image(in, region, name, value, p);
                });
            !s.ok()) {
          return s;
        }
        return for_each_entry(
            templates,
            o.child_path("launchTemplates"),
            "launch template name",
            [&](const std::string& name, const Json& value, const std::string& p) {
              return load_launch_template(in, region, name, value, p);
            });
      });
}

// ---- ssm: {"<region>": {"parameters": {"<name>": {"value", "type", "dataType"}}}}

sim::Status load_ssm(const AccountSectionInput& in) {
  return for_each_region(
      in, [&](const api::Region& region, const Json& node, const std::string& path) -> sim::Status {
        StrictObject o(node, path);
        const Json* parameters = o.optional_value("parameters");
        if (auto s = o.finish(); !s.ok()) {
          return s;
        }
        return for_each_entry(
            parameters,
            join_path(path, "parameters"),
            "parameter name",
            [&](const std::string& name, const Json& value, const std::string& p) -> sim::Status {
              StrictObject po(value, p);
              api::ssm::PutParameterInput put;
              put.name = name;
              put.value = po.required_string("value");
              put.type = po.optional_string("type").value_or("String");
              put.data_type = po.optional_string("dataType");
              put.description = po.optional_string("description");
              if (auto s = po.finish(); !s.ok()) {
                return s;
              }
              auto out = in.world.ssm().seed_parameter(in.account, region, put);
              if (!out.ok()) {
                return at_path(p, out.error());
              }
              return sim::ok_status();
            });
      });
}

// ---- quotas (top level)

sim::Status load_quotas(mock_aws::services::World& world,
                        const Json& node,
                        const std::string& path) {
  StrictObject o(node, path);
  const std::optional<int64_t> copies = o.optional_int(
      "concurrentAmiCopiesPerAccountRegion", 1, ec2::Ec2Model::kCopyConcurrencyLimitMax);
  const std::optional<bool> request_rate = o.optional_bool("ec2RequestRateLimits");
  if (auto s = o.finish(); !s.ok()) {
    return s;
  }
  if (request_rate.has_value()) {
    world.ec2().seed_request_rate_limits(*request_rate);
  }
  // The default of every (account, region); an account's own copyConcurrencyLimit wins.
  if (copies.has_value()) {
    if (auto s = world.ec2().seed_default_copy_limit(static_cast<uint32_t>(*copies)); !s.ok()) {
      return at_path(o.child_path("concurrentAmiCopiesPerAccountRegion"), s.error());
    }
  }
  return sim::ok_status();
}

}  // namespace

std::vector<AccountSection> service_account_sections() {
  return {
      {"kms", static_cast<LoadPhase>(ServicePhase::kKms), load_kms},
      {"ec2", static_cast<LoadPhase>(ServicePhase::kEc2), load_ec2},
      {"ssm", static_cast<LoadPhase>(ServicePhase::kSsm), load_ssm},
  };
}

std::vector<TopLevelSection> service_top_level_sections() {
  return {{"quotas", load_quotas}};
}

WorldLoader full_world_loader() {
  WorldLoader loader;
  for (AccountSection& section : service_account_sections()) {
    loader.add_account_section(std::move(section));
  }
  for (TopLevelSection& section : service_top_level_sections()) {
    loader.add_top_level_section(std::move(section));
  }
  return loader;
}

}  // namespace ibsim::scenario
