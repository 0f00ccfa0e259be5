#include "src/scenario/world_loader.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <utility>

#include "mock_aws/api/regions.h"
#include "mock_aws/iam/iam_model.h"
#include "mock_aws/iam/iam_validation.h"
#include "mock_aws/policy/policy.h"
#include "sim/base/assert.h"
#include "src/scenario/world_services.h"

namespace ibsim::scenario {
namespace {

namespace api = mock_aws::api;
namespace iam = mock_aws::iam;
namespace policy = mock_aws::policy;

constexpr std::string_view kAccountNameKey = "name";

sim::AwsError with_source(std::string_view source, const sim::AwsError& e) {
  sim::AwsError out = e;
  out.message = std::string(source) + ": " + e.message;
  return out;
}

// The entries of an object-valued section, bounded.
sim::Status check_entries(const Json& node, const std::string& path) {
  if (!node.is_object()) {
    return input_error(path, "expected an object keyed by name, got " + describe(node));
  }
  if (node.size() > WorldFileLimits::kEntriesPerSectionMax) {
    return input_error(
        path,
        "has more than " + std::to_string(WorldFileLimits::kEntriesPerSectionMax) + " entries");
  }
  return sim::ok_status();
}

sim::Result<std::vector<api::iam::Tag>> read_tags(const Json* node, const std::string& path) {
  std::vector<api::iam::Tag> tags;
  if (node == nullptr) {
    return tags;
  }
  if (!node->is_object()) {
    return input_error(path,
                       "expected an object of tag keys and string values, got " + describe(*node));
  }
  for (const auto& [key, value] : node->items()) {
    if (!value.is_string()) {
      return input_error(join_path(path, key), "expected a string, got " + describe(value));
    }
    tags.push_back({key, value.get<std::string>()});
  }
  return tags;
}

// {"name": POLICY, ...} -> (name, text) pairs, in key order.
sim::Result<std::vector<std::pair<std::string, std::string>>> read_inline_policies(
    const Json* node, const std::string& path) {
  std::vector<std::pair<std::string, std::string>> out;
  if (node == nullptr) {
    return out;
  }
  if (auto s = check_entries(*node, path); !s.ok()) {
    return s.error();
  }
  for (const auto& [name, value] : node->items()) {
    sim::Result<std::string> text = policy_text(value, join_path(path, name));
    if (!text.ok()) {
      return text.error();
    }
    out.emplace_back(name, std::move(text).value());
  }
  return out;
}

sim::Result<std::vector<std::string>> read_string_list(StrictObject& o, std::string_view key) {
  std::vector<std::string> items = o.optional_string_array(key);
  if (!o.ok()) {
    return o.finish().error();
  }
  if (items.size() > WorldFileLimits::kListItemsMax) {
    return input_error(
        o.child_path(key),
        "has more than " + std::to_string(WorldFileLimits::kListItemsMax) + " items");
  }
  return items;
}

sim::Status read_access_keys(const AccountSectionInput& in,
                             const Json* node,
                             const std::string& path,
                             std::string_view user_name) {
  if (node == nullptr) {
    return sim::ok_status();
  }
  if (!node->is_array()) {
    return input_error(
        path,
        "expected an array of {\"accessKeyId\", \"secretAccessKey\"}, got " + describe(*node));
  }
  for (std::size_t i = 0; i < node->size(); ++i) {
    const std::string item_path = index_path(path, i);
    StrictObject key((*node)[i], item_path);
    const std::string id = key.required_string("accessKeyId");
    const std::string secret = key.required_string("secretAccessKey");
    if (auto s = key.finish(); !s.ok()) {
      return s;
    }
    sim::Result<api::iam::AccessKey> created =
        in.world.iam().seed_access_key(in.account, user_name, id, secret);
    if (!created.ok()) {
      return at_path(join_path(item_path, "accessKeyId"), created.error());
    }
  }
  return sim::ok_status();
}

// --- sections ---------------------------------------------------------------------------------

sim::Status load_policies(const AccountSectionInput& in) {
  if (auto s = check_entries(in.node, in.path); !s.ok()) {
    return s;
  }
  for (const auto& [name, value] : in.node.items()) {
    const std::string path = join_path(in.path, name);
    StrictObject o(value, path);
    api::iam::CreatePolicyInput create;
    create.policy_name = name;
    create.path = o.optional_string("path");
    create.description = o.optional_string("description");
    const Json* document = o.required_value("document");
    sim::Result<std::vector<api::iam::Tag>> tags =
        read_tags(o.optional_value("tags"), o.child_path("tags"));
    if (auto s = o.finish(); !s.ok()) {
      return s;
    }
    if (!tags.ok()) {
      return tags.error();
    }
    create.tags = std::move(tags).value();
    sim::Result<std::string> text = policy_text(*document, o.child_path("document"));
    if (!text.ok()) {
      return text.error();
    }
    create.policy_document = std::move(text).value();
    sim::Result<api::iam::Policy> created = in.world.iam().seed_policy(in.account, create);
    if (!created.ok()) {
      const std::string& code = created.error().code;
      return at_path(code == "MalformedPolicyDocument" || code == "LimitExceeded"
                         ? o.child_path("document")
                         : path,
                     created.error());
    }
  }
  return sim::ok_status();
}

// Inline and attached policies of a user or role.
template <typename PutInline, typename Attach>
sim::Status load_entity_policies(
    StrictObject& o,
    const std::vector<std::pair<std::string, std::string>>& inline_docs,
    const std::vector<std::string>& attached,
    PutInline put_inline,
    Attach attach) {
  for (const auto& [name, text] : inline_docs) {
    if (sim::Status s = put_inline(name, text); !s.ok()) {
      return at_path(join_path(o.child_path("inlinePolicies"), name), s.error());
    }
  }
  for (std::size_t i = 0; i < attached.size(); ++i) {
    if (sim::Status s = attach(attached[i]); !s.ok()) {
      return at_path(index_path(o.child_path("attachedPolicies"), i), s.error());
    }
  }
  return sim::ok_status();
}

sim::Status load_roles(const AccountSectionInput& in) {
  if (auto s = check_entries(in.node, in.path); !s.ok()) {
    return s;
  }
  for (const auto& [name, value] : in.node.items()) {
    const std::string path = join_path(in.path, name);
    StrictObject o(value, path);
    api::iam::CreateRoleInput create;
    create.role_name = name;
    create.path = o.optional_string("path");
    create.description = o.optional_string("description");
    const Json* trust = o.required_value("trustPolicy");
    const std::optional<int64_t> max_session =
        o.optional_int("maxSessionDuration",
                       iam::IamLimits::kDefaultMaxSessionDurationSeconds,
                       iam::ShapeLimits::kMaxSessionDurationMax);
    create.permissions_boundary = o.optional_string("permissionsBoundary");
    sim::Result<std::vector<std::pair<std::string, std::string>>> inline_docs =
        read_inline_policies(o.optional_value("inlinePolicies"), o.child_path("inlinePolicies"));
    sim::Result<std::vector<std::string>> attached = read_string_list(o, "attachedPolicies");
    sim::Result<std::vector<api::iam::Tag>> tags =
        read_tags(o.optional_value("tags"), o.child_path("tags"));
    if (auto s = o.finish(); !s.ok()) {
      return s;
    }
    for (const sim::AwsError* e : {inline_docs.ok() ? nullptr : &inline_docs.error(),
                                   attached.ok() ? nullptr : &attached.error(),
                                   tags.ok() ? nullptr : &tags.error()}) {
      if (e != nullptr) {
        return *e;
      }
    }
    if (max_session.has_value()) {
      create.max_session_duration = static_cast<int32_t>(*max_session);
    }
    create.tags = std::move(tags).value();
    sim::Result<std::string> trust_text = policy_text(*trust, o.child_path("trustPolicy"));
    if (!trust_text.ok()) {
      return trust_text.error();
    }
    create.assume_role_policy_document = std::move(trust_text).value();
    sim::Result<api::iam::Role> role = in.world.iam().seed_role(in.account, create);
    if (!role.ok()) {
      const std::string& code = role.error().code;
      std::string where = path;
      if (code == "MalformedPolicyDocument" || code == "LimitExceeded") {
        where = o.child_path("trustPolicy");
      } else if (code == "NoSuchEntity" && create.permissions_boundary.has_value()) {
        where = o.child_path("permissionsBoundary");
      } else if (role.error().message.find("'path'") != std::string::npos) {
        where = o.child_path("path");
      }
      return at_path(where, role.error());
    }
    auto& model = in.world.iam();
    const api::AccountId& account = in.account;
    if (auto s = load_entity_policies(
            o,
            *inline_docs,
            *attached,
            [&](const std::string& policy_name, const std::string& text) {
              return model.seed_put_role_policy(account, {name, policy_name, text});
            },
            [&](const std::string& arn) {
              return model.seed_attach_role_policy(account, {name, arn});
            });
        !s.ok()) {
      return s;
    }
  }
  return sim::ok_status();
}

sim::Status load_users(const AccountSectionInput& in) {
  if (auto s = check_entries(in.node, in.path); !s.ok()) {
    return s;
  }
  for (const auto& [name, value] : in.node.items()) {
    const std::string path = join_path(in.path, name);
    StrictObject o(value, path);
    api::iam::CreateUserInput create;
    create.user_name = name;
    create.path = o.optional_string("path");
    create.permissions_boundary = o.optional_string("permissionsBoundary");
    const Json* keys = o.optional_value("accessKeys");
    sim::Result<std::vector<std::pair<std::string, std::string>>> inline_docs =
        read_inline_policies(o.optional_value("inlinePolicies"), o.child_path("inlinePolicies"));
    sim::Result<std::vector<std::string>> attached = read_string_list(o, "attachedPolicies");
    sim::Result<std::vector<api::iam::Tag>> tags =
        read_tags(o.optional_value("tags"), o.child_path("tags"));
    if (auto s = o.finish(); !s.ok()) {
      return s;
    }
    for (const sim::AwsError* e : {inline_docs.ok() ? nullptr : &inline_docs.error(),
                                   attached.ok() ? nullptr : &attached.error(),
                                   tags.ok() ? nullptr : &tags.error()}) {
      if (e != nullptr) {
        return *e;
      }
    }
    create.tags = std::move(tags).value();
    sim::Result<api::iam::User> user = in.world.iam().seed_user(in.account, create);
    if (!user.ok()) {
      const bool boundary =
          user.error().code == "NoSuchEntity" && create.permissions_boundary.has_value();
      return at_path(boundary ? o.child_path("permissionsBoundary") : path, user.error());
    }
    auto& model = in.world.iam();
    const api::AccountId& account = in.account;
    if (auto s = load_entity_policies(
            o,
            *inline_docs,
            *attached,
            [&](const std::string& policy_name, const std::string& text) {
              return model.seed_put_user_policy(account, name, policy_name, text);
            },
            [&](const std::string& arn) {
              return model.seed_attach_user_policy(account, name, arn);
            });
        !s.ok()) {
      return s;
    }
    if (auto s = read_access_keys(in, keys, o.child_path("accessKeys"), name); !s.ok()) {
      return s;
    }
  }
  return sim::ok_status();
}

sim::Status load_root_access_keys(const AccountSectionInput& in) {
  return read_access_keys(in, &in.node, in.path, "");
}

sim::Status load_instance_profiles(const AccountSectionInput& in) {
  if (auto s = check_entries(in.node, in.path); !s.ok()) {
    return s;
  }
  for (const auto& [name, value] : in.node.items()) {
    const std::string path = join_path(in.path, name);
    StrictObject o(value, path);
    api::iam::CreateInstanceProfileInput create;
    create.instance_profile_name = name;
    create.path = o.optional_string("path");
    sim::Result<std::vector<std::string>> roles = read_string_list(o, "roles");
    if (auto s = o.finish(); !s.ok()) {
      return s;
    }
    if (!roles.ok()) {
      return roles.error();
    }
    sim::Result<api::iam::InstanceProfile> profile =
        in.world.iam().seed_instance_profile(in.account, create);
    if (!profile.ok()) {
      return at_path(path, profile.error());
    }
    for (std::size_t i = 0; i < roles->size(); ++i) {
      if (auto s =
              in.world.iam().seed_add_role_to_instance_profile(in.account, {name, (*roles)[i]});
          !s.ok()) {
        return at_path(index_path(o.child_path("roles"), i), s.error());
      }
    }
  }
  return sim::ok_status();
}

sim::Result<iam::PolicyDocument> compile_scp(const Json& value, const std::string& path) {
  sim::Result<std::string> text = policy_text(value, path);
  if (!text.ok()) {
    return text.error();
  }
  sim::Result<policy::Policy> p =
      policy::parse_policy(*text, policy::PolicyKind::kServiceControl, {.name = "SCP " + path});
  if (!p.ok()) {
    return at_path(path, p.error());
  }
  return iam::PolicyDocument{std::move(text).value(),
                             std::make_shared<const policy::Policy>(std::move(p).value())};
}

sim::Status load_service_control_policies(const AccountSectionInput& in) {
  if (!in.node.is_array()) {
    return input_error(in.path,
                       "expected an array of policies (one level) or of arrays of policies (one "
                       "per level from the organization root down), got "
                           + describe(in.node));
  }
  std::vector<std::vector<iam::PolicyDocument>> levels;
  const bool nested = !in.node.empty() && in.node.front().is_array();
  if (nested) {
    for (std::size_t i = 0; i < in.node.size(); ++i) {
      const std::string level_path = index_path(in.path, i);
      const Json& level = in.node[i];
      if (!level.is_array()) {
        return input_error(level_path,
                           "expected an array of policies (every level is an array once the "
                           "first one is), got "
                               + describe(level));
      }
      std::vector<iam::PolicyDocument> policies;
      for (std::size_t j = 0; j < level.size(); ++j) {
        sim::Result<iam::PolicyDocument> p = compile_scp(level[j], index_path(level_path, j));
        if (!p.ok()) {
          return p.error();
        }
        policies.push_back(std::move(p).value());
      }
      levels.push_back(std::move(policies));
    }
  } else if (!in.node.empty()) {
    std::vector<iam::PolicyDocument> policies;
    for (std::size_t j = 0; j < in.node.size(); ++j) {
      sim::Result<iam::PolicyDocument> p = compile_scp(in.node[j], index_path(in.path, j));
      if (!p.ok()) {
        return p.error();
      }
      policies.push_back(std::move(p).value());
    }
    levels.push_back(std::move(policies));
  }
  if (auto s = in.world.authorizer().set_service_control_policies(in.account, std::move(levels));
      !s.ok()) {
    return at_path(in.path, s.error());
  }
  return sim::ok_status();
}

sim::Status load_regions(const Json& node, const std::string& path, mock_aws::services::World& w) {
  if (!node.is_array() || node.empty()) {
    return input_error(
        path,
        "expected a non-empty array of region names such as \"us-east-1\", got " + describe(node));
  }
  std::vector<api::Region> regions;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < node.size(); ++i) {
    const std::string item_path = index_path(path, i);
    if (!node[i].is_string()) {
      return input_error(item_path, "expected a region name, got " + describe(node[i]));
    }
    const std::string name = node[i].get<std::string>();
    const api::RegionInfo* info = api::find_region(name);
    if (info == nullptr) {
      return input_error(item_path,
                         "unknown region \"" + name
                             + "\" (expected a commercial region of partition aws, such as "
                               "us-east-1 or eu-west-1)");
    }
    if (!seen.insert(name).second) {
      return input_error(item_path, "region \"" + name + "\" is listed twice");
    }
    regions.push_back(api::Region::from_known(info->name));
  }
  w.set_regions(regions);
  return sim::ok_status();
}

}  // namespace

sim::AwsError at_path(std::string_view path, const sim::AwsError& error) {
  if (error.code == kInvalidInputCode && error.message.starts_with("$")) {
    return error;  // Already located.
  }
  return input_error(path, error.code + ": " + error.message);
}

sim::Result<std::string> policy_text(const Json& value, std::string_view path) {
  if (value.is_string()) {
    return value.get<std::string>();
  }
  if (value.is_object()) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
  }
  return input_error(path,
                     "expected a policy document (a JSON object, or a string holding one), got "
                         + describe(value));
}

std::vector<AccountSection> iam_account_sections() {
  return {
      {"policies", LoadPhase::kManagedPolicies, load_policies},
      {"users", LoadPhase::kIdentities, load_users},
      {"roles", LoadPhase::kIdentities, load_roles},
      {"rootAccessKeys", LoadPhase::kIdentities, load_root_access_keys},
      {"instanceProfiles", LoadPhase::kInstanceProfiles, load_instance_profiles},
      {"serviceControlPolicies", LoadPhase::kOrganizations, load_service_control_policies},
  };
}

WorldLoader::WorldLoader() : sections_(iam_account_sections()) {}

void WorldLoader::add_account_section(AccountSection section) {
  IBSIM_ASSERT(section.load != nullptr, "a section has a loader");
  IBSIM_ASSERT(section.key != kAccountNameKey
                   && std::none_of(sections_.begin(),
                                   sections_.end(),
                                   [&](const AccountSection& s) { return s.key == section.key; }),
               "account-level keys are registered once");
  sections_.push_back(std::move(section));
}

void WorldLoader::add_top_level_section(TopLevelSection section) {
  IBSIM_ASSERT(section.load != nullptr, "a section has a loader");
  IBSIM_ASSERT(section.key != "regions" && section.key != "accounts"
                   && std::none_of(top_level_.begin(),
                                   top_level_.end(),
                                   [&](const TopLevelSection& s) { return s.key == section.key; }),
               "top-level keys are registered once");
  top_level_.push_back(std::move(section));
}

sim::Status WorldLoader::load(const Json& doc,
                              std::string_view source,
                              mock_aws::services::World& world) const {
  const auto fail = [&](const sim::AwsError& e) -> sim::Status {
    return with_source(source, e);
  };
  StrictObject top(doc, "$");
  const Json* regions = top.optional_value("regions");
  const Json* accounts = top.optional_object("accounts");
  std::vector<const Json*> extra;
  for (const TopLevelSection& section : top_level_) {
    extra.push_back(top.optional_value(section.key));
  }
  if (auto s = top.finish(); !s.ok()) {
    return fail(s.error());
  }
  if (regions != nullptr) {
    if (auto s = load_regions(*regions, top.child_path("regions"), world); !s.ok()) {
      return fail(s.error());
    }
  }
  if (auto s = load_accounts(accounts, top.child_path("accounts"), world); !s.ok()) {
    return fail(s.error());
  }
  for (std::size_t i = 0; i < top_level_.size(); ++i) {
    if (extra[i] == nullptr) {
      continue;
    }
    if (auto s = top_level_[i].load(world, *extra[i], top.child_path(top_level_[i].key)); !s.ok()) {
      return fail(s.error());
    }
  }
  return sim::ok_status();
}

sim::Status WorldLoader::load_accounts(const Json* accounts,
                                       const std::string& accounts_path,
                                       mock_aws::services::World& world) const {
  if (accounts == nullptr) {
    return sim::ok_status();
  }
  if (accounts->size() > iam::IamLimits::kAccountsMax) {
    return input_error(
        accounts_path,
        "has more than " + std::to_string(iam::IamLimits::kAccountsMax) + " accounts");
  }

  // Pass 1: every account exists (with its name) and has only known keys.
  std::vector<std::pair<api::AccountId, const Json*>> ordered;
  for (const auto& [id, node] : accounts->items()) {
    const std::string path = join_path(accounts_path, id);
    if (!api::AccountId::is_valid(id)) {
      return input_error(path, "expected a 12-digit AWS account id as the key");
    }
    if (!node.is_object()) {
      return input_error(path, "expected an object, got " + describe(node));
    }
    for (const auto& [key, value] : node.items()) {
      const bool known = key == kAccountNameKey
                         || std::any_of(sections_.begin(),
                                        sections_.end(),
                                        [&](const AccountSection& s) { return s.key == key; });
      if (!known) {
        return input_error(join_path(path, key),
                           "unknown key (check the spelling; see docs/world-format.md)");
      }
    }
    StrictObject account(node, path);
    const std::optional<std::string> name = account.optional_string(kAccountNameKey);
    if (!account.ok()) {
      return account.finish().error();
    }
    const api::AccountId account_id = api::AccountId::from_valid(id);
    if (auto s = world.add_account(account_id, name.value_or("")); !s.ok()) {
      return at_path(path, s.error());
    }
    ordered.emplace_back(account_id, &node);
  }

  // Pass 2: sections phase by phase, across all accounts.
  std::vector<const AccountSection*> by_phase;
  for (const AccountSection& s : sections_) {
    by_phase.push_back(&s);
  }
  std::stable_sort(by_phase.begin(), by_phase.end(), [](const auto* x, const auto* y) {
    return static_cast<int>(x->phase) < static_cast<int>(y->phase);
  });
  for (const AccountSection* section : by_phase) {
    for (const auto& [account_id, node] : ordered) {
      const auto it = node->find(section->key);
      if (it == node->end() || it->is_null()) {
        continue;
      }
      const std::string path = join_path(join_path(accounts_path, account_id.str()), section->key);
      const AccountSectionInput input{world, account_id, *it, path};
      if (auto s = section->load(input); !s.ok()) {
        return s.error();
      }
    }
  }
  return sim::ok_status();
}

sim::Status WorldLoader::load_text(std::string_view text,
                                   std::string_view source,
                                   mock_aws::services::World& world) const {
  if (text.size() > WorldFileLimits::kFileBytesMax) {
    return input_error(source,
                       "larger than " + std::to_string(WorldFileLimits::kFileBytesMax) + " bytes");
  }
  sim::Result<Json> doc = parse_json_text(text, source);
  if (!doc.ok()) {
    return doc.error();
  }
  return load(*doc, source, world);
}

sim::Status WorldLoader::load_file(const std::string& path,
                                   mock_aws::services::World& world) const {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return input_error(path, "cannot open the file");
  }
  std::string text;
  char buffer[64 * 1024];
  while (in.read(buffer, sizeof(buffer)) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > WorldFileLimits::kFileBytesMax) {
      return input_error(
          path, "larger than " + std::to_string(WorldFileLimits::kFileBytesMax) + " bytes");
    }
  }
  if (in.bad()) {
    return input_error(path, "cannot read the file");
  }
  return load_text(text, path, world);
}

sim::Status load_world_file(const std::string& path, mock_aws::services::World& world) {
  return full_world_loader().load_file(path, world);
}

sim::Status load_world_text(std::string_view text,
                            std::string_view source,
                            mock_aws::services::World& world) {
  return full_world_loader().load_text(text, source, world);
}

}  // namespace ibsim::scenario
