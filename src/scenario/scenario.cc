#include "src/scenario/scenario.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <limits>
#include <set>
#include <utility>

#include "mock_aws/api/arn.h"
#include "mock_aws/api/regions.h"
#include "src/scenario/dispatch.h"

namespace ibsim::scenario {
namespace {

namespace api = mock_aws::api;
namespace protocol = mock_aws::protocol;
using protocol::ServiceId;

constexpr std::string_view kDefaultSessionName = "ibsim-scenario";
constexpr std::string_view kIamRegion = "us-east-1";

// ---- Key tables: every key each object accepts (kept equal to the JSON Schema by a test).

const std::map<std::string_view, std::vector<std::string_view>> kKeyTables = {
    {"Scenario",
     {"name",
      "description",
      "tags",
      "seed",
      "regressionSeeds",
      "world",
      "principals",
      "engine",
      "faults",
      "steps",
      "expect"}},
    {"AssumedRole", {"assumeRole", "as", "sessionName"}},
    {"Engine",
     {"copiesInFlightMax",
      "copiesPerAccountRegionMax",
      "retryAttemptsMax",
      "pollInterval",
      "backoffBase",
      "backoffMax"}},
    {"CallStep", {"call", "as", "region", "input", "expect", "save", "at", "note"}},
    {"AdvanceStep", {"advance", "note"}},
    {"SettleStep", {"runUntilSettled", "note"}},
    {"Settle", {"limit"}},
    {"ErrorOutcome", {"error", "messageContains"}},
    {"Expect",
     {"images",
      "amis",
      "launchTemplates",
      "ssmParameters",
      "peakCopies",
      "peakCopiesInFlight",
      "settledBy",
      "retriesAtLeast"}},
    {"ImageExpectation", {"image", "status", "reasonContains", "reasonNotContains", "outputAmis"}},
    {"AmiExpectation",
     {"account",
      "region",
      "image",
      "count",
      "none",
      "state",
      "namePattern",
      "encrypted",
      "kmsKey"}},
    {"LaunchTemplateExpectation",
     {"account",
      "region",
      "launchTemplate",
      "defaultVersion",
      "latestVersion",
      "defaultImage",
      "latestImage"}},
    {"SsmParameterExpectation", {"account", "region", "name", "value", "absent"}},
    {"PeakCopiesExpectation", {"account", "region", "atMost", "atLeast"}},
    {"PeakCopiesInFlightExpectation", {"atMost", "atLeast"}},
};

const std::vector<std::string_view> kImageStatuses = {"PENDING",
                                                      "CREATING",
                                                      "BUILDING",
                                                      "TESTING",
                                                      "DISTRIBUTING",
                                                      "INTEGRATING",
                                                      "AVAILABLE",
                                                      "CANCELLED",
                                                      "FAILED",
                                                      "DEPRECATED",
                                                      "DELETED",
                                                      "DISABLED"};
const std::vector<std::string_view> kAmiStates = {"pending", "available", "failed"};

std::string join(const std::vector<std::string_view>& items) {
  std::string out;
  for (std::string_view s : items) {
    out += (out.empty() ? "" : ", ") + std::string(s);
  }
  return out;
}

// Rejects keys outside `table` with the list of the keys that are allowed.
sim::Status check_keys(const Json& node, const std::string& path, std::string_view table) {
  if (!node.is_object()) {
    return input_error(path, "expected an object, got " + describe(node));
  }
  const std::vector<std::string_view>& allowed = kKeyTables.at(table);
  for (const auto& [key, value] : node.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return input_error(join_path(path, key),
                         "unknown key '" + key + "'; expected one of: " + join(allowed));
    }
  }
  return sim::ok_status();
}

bool is_ref_name_char(char c, bool first) {
  const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  return first ? alpha : (alpha || (c >= '0' && c <= '9') || c == '-' || c == '.');
}

// "${name}" malformed in `text`: the problem, or empty when every reference is well formed.
std::string malformed_reference(std::string_view text) {
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] == '$' && text[i + 1] == '$') {
      ++i;
      continue;
    }
    if (text[i] != '$' || text[i + 1] != '{') {
      continue;
    }
    const std::size_t end = text.find('}', i + 2);
    if (end == std::string_view::npos) {
      return "an unterminated reference '${' (write '$${' for a literal '${')";
    }
    const std::string_view name = text.substr(i + 2, end - i - 2);
    if (name.empty()) {
      return "an empty reference '${}'";
    }
    for (std::size_t k = 0; k < name.size(); ++k) {
      if (!is_ref_name_char(name[k], k == 0)) {
        return "a malformed reference '${" + std::string(name)
               + "}' (names are letters, digits, '_', '-' and '.', starting with a letter)";
      }
    }
    i = end;
  }
  return {};
}

// Every string inside `node` (object keys excluded) with its path.
template <typename Fn>
void for_each_string(const Json& node, const std::string& path, Fn&& fn) {
  if (node.is_string()) {
    fn(node.get_ref<const std::string&>(), path);
  } else if (node.is_object()) {
    for (const auto& [key, value] : node.items()) {
      for_each_string(value, join_path(path, key), fn);
    }
  } else if (node.is_array()) {
    for (std::size_t i = 0; i < node.size(); ++i) {
      for_each_string(node[i], index_path(path, i), fn);
    }
  }
}

bool is_whole_reference(const Json& value) {
  if (!value.is_string()) {
    return false;
  }
  const std::string& s = value.get_ref<const std::string&>();
  return s.size() > 3 && s.starts_with("${") && s.back() == '}' && s.find('}') == s.size() - 1;
}

std::string type_name(protocol::ShapeType type) {
  switch (type) {
    case protocol::ShapeType::kStructure:
      return "an object";
    case protocol::ShapeType::kList:
      return "an array";
    case protocol::ShapeType::kMap:
      return "an object (a map)";
    case protocol::ShapeType::kString:
    case protocol::ShapeType::kBlob:
      return "a string";
    case protocol::ShapeType::kInteger:
    case protocol::ShapeType::kLong:
      return "an integer";
    case protocol::ShapeType::kBoolean:
      return "true or false";
    case protocol::ShapeType::kTimestamp:
      return "a number of seconds since the epoch";
    case protocol::ShapeType::kFloat:
    case protocol::ShapeType::kDouble:
      return "a number";
  }
  return "a value";
}

// The operation's input as --cli-input-json takes it: member names and JSON types (as the CLI
// checks them before sending). Constraints (required members, lengths, patterns) are the
// service's to check at run time, so scenarios can expect AWS's validation errors.
sim::Status check_shape(const protocol::ServiceModel& model,
                        const protocol::ShapeModel& shape,
                        const Json& value,
                        const std::string& path,
                        int depth) {
  constexpr int kDepthMax = 32;
  if (depth > kDepthMax || value.is_null() || is_whole_reference(value)) {
    return sim::ok_status();
  }
  const auto wrong = [&] {
    return input_error(path, "expected " + type_name(shape.type) + ", got " + describe(value));
  };
  switch (shape.type) {
    case protocol::ShapeType::kStructure: {
      if (!value.is_object()) {
        return wrong();
      }
      for (const auto& [key, member_value] : value.items()) {
        const protocol::MemberModel* member = protocol::find_member(model, shape, key);
        if (member == nullptr) {
          std::vector<std::string_view> names;
          for (const protocol::MemberModel& m : model.members_of(shape)) {
            names.push_back(model.str(m.name));
          }
          std::sort(names.begin(), names.end());
          return input_error(join_path(path, key),
                             "unknown member '" + key + "' of " + std::string(model.str(shape.name))
                                 + "; expected one of: " + join(names));
        }
        if (auto s = check_shape(
                model, model.target(*member), member_value, join_path(path, key), depth + 1);
            !s.ok()) {
          return s;
        }
      }
      return sim::ok_status();
    }
    case protocol::ShapeType::kList: {
      if (!value.is_array()) {
        return wrong();
      }
      const protocol::ShapeModel& element = model.target(model.members_of(shape)[0]);
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (auto s = check_shape(model, element, value[i], index_path(path, i), depth + 1);
            !s.ok()) {
          return s;
        }
      }
      return sim::ok_status();
    }
    case protocol::ShapeType::kMap: {
      if (!value.is_object()) {
        return wrong();
      }
      const protocol::ShapeModel& element = model.target(model.members_of(shape)[1]);
      for (const auto& [key, v] : value.items()) {
        if (auto s = check_shape(model, element, v, join_path(path, key), depth + 1); !s.ok()) {
          return s;
        }
      }
      return sim::ok_status();
    }
    case protocol::ShapeType::kString:
    case protocol::ShapeType::kBlob:
      return value.is_string() ? sim::ok_status() : wrong();
    case protocol::ShapeType::kInteger:
    case protocol::ShapeType::kLong:
      return value.is_number_integer() ? sim::ok_status() : wrong();
    case protocol::ShapeType::kBoolean:
      return value.is_boolean() ? sim::ok_status() : wrong();
    case protocol::ShapeType::kTimestamp:
    case protocol::ShapeType::kFloat:
    case protocol::ShapeType::kDouble:
      return value.is_number() ? sim::ok_status() : wrong();
  }
  return sim::ok_status();
}

bool is_save_path(std::string_view path) {
  // member(.member | [index])*
  if (path.empty()) {
    return false;
  }
  bool expect_name = true;
  for (std::size_t i = 0; i < path.size(); ++i) {
    const char c = path[i];
    if (expect_name) {
      std::size_t j = i;
      while (j < path.size() && path[j] != '.' && path[j] != '[') {
        ++j;
      }
      if (j == i) {
        return false;
      }
      i = j - 1;
      expect_name = false;
    } else if (c == '.') {
      expect_name = true;
    } else if (c == '[') {
      const std::size_t close = path.find(']', i);
      if (close == std::string_view::npos || close == i + 1) {
        return false;
      }
      for (std::size_t k = i + 1; k < close; ++k) {
        if (path[k] < '0' || path[k] > '9') {
          return false;
        }
      }
      i = close;
    } else {
      return false;
    }
  }
  return !expect_name;
}

class Loader {
 public:
  Loader(std::string source, std::string base_dir)
      : source_(std::move(source)), base_dir_(std::move(base_dir)) {}

  sim::Result<Scenario> load(const Json& doc);

 private:
  sim::Status load_world(const Json& node, Scenario& out);
  sim::Status load_principals(const Json& node, Scenario& out);
  sim::Result<std::shared_ptr<const PrincipalSpec>> principal(const Json& node,
                                                              const std::string& path,
                                                              const std::string& label,
                                                              int depth);
  sim::Status load_engine(const Json& node, EngineSettings& out);
  sim::Status load_step(const Json& node, const std::string& path, Step& out);
  sim::Status load_call(const Json& node, const std::string& path, Step& out);
  sim::Status load_outcome(const Json* node, const std::string& path, OutcomeExpectation& out);
  sim::Status load_expect(const Json& node, const std::string& path, Expectations& out);
  sim::Status check_refs(const Json& node, const std::string& path);

  sim::Result<sim::Duration> duration(StrictObject& o, std::string_view key, bool required);
  sim::Result<api::AccountId> account(StrictObject& o, std::string_view key);
  sim::Result<api::Region> region(StrictObject& o, std::string_view key);
  std::vector<std::string> strings(StrictObject& o, std::string_view key);

  template <typename T, typename Fn>
  sim::Status each(const Json* list,
                   const std::string& path,
                   std::string_view table,
                   std::vector<T>& out,
                   Fn&& fn);

  std::string source_;
  std::string base_dir_;
  const Scenario* scenario_ = nullptr;
  Scenario* scenario_mut_ = nullptr;
  const Json* principals_doc_ = nullptr;  // $.principals, for names declared further down.
  std::set<std::string> saved_;           // Names saved by the steps read so far.
};

sim::Result<sim::Duration> Loader::duration(StrictObject& o, std::string_view key, bool required) {
  const std::optional<std::string> text =
      required ? std::optional<std::string>(o.required_string(key)) : o.optional_string(key);
  if (!o.ok()) {
    return o.finish().error();
  }
  if (!text.has_value()) {
    return sim::Duration::zero();
  }
  const std::optional<sim::Duration> d = parse_duration(*text);
  if (!d.has_value()) {
    return input_error(o.child_path(key),
                       "expected a duration such as \"30m\", \"1h30m\", \"45s\" or \"2d\" "
                       "(units d, h, m, s, ms; at most 3650d), got \""
                           + *text + "\"");
  }
  return *d;
}

sim::Result<api::AccountId> Loader::account(StrictObject& o, std::string_view key) {
  const std::string text = o.required_string(key);
  if (!o.ok()) {
    return o.finish().error();
  }
  if (!api::AccountId::is_valid(text)) {
    return input_error(o.child_path(key), "expected a 12-digit account id, got \"" + text + "\"");
  }
  return api::AccountId::from_valid(text);
}

sim::Result<api::Region> Loader::region(StrictObject& o, std::string_view key) {
  const std::string text = o.required_string(key);
  if (!o.ok()) {
    return o.finish().error();
  }
  if (api::find_region(text) == nullptr) {
    return input_error(o.child_path(key),
                       "'" + text + "' is not a region of partition aws (e.g. us-east-1)");
  }
  return api::Region::from_known(text);
}

// A string or a list of strings.
std::vector<std::string> Loader::strings(StrictObject& o, std::string_view key) {
  const Json* v = o.optional_value(key);
  if (v == nullptr) {
    return {};
  }
  if (v->is_string()) {
    return {v->get<std::string>()};
  }
  if (!v->is_array()) {
    o.fail(key, "expected a string or an array of strings, got " + describe(*v));
    return {};
  }
  std::vector<std::string> out;
  for (std::size_t i = 0; i < v->size(); ++i) {
    if (!(*v)[i].is_string()) {
      o.fail(key,
             "expected a string or an array of strings; item " + std::to_string(i) + " is "
                 + describe((*v)[i]));
      return {};
    }
    out.push_back((*v)[i].get<std::string>());
  }
  return out;
}

template <typename T, typename Fn>
sim::Status Loader::each(const Json* list,
                         const std::string& path,
                         std::string_view table,
                         std::vector<T>& out,
                         Fn&& fn) {
  if (list == nullptr) {
    return sim::ok_status();
  }
  if (list->size() > ScenarioLimits::kExpectationsMax) {
    return input_error(path, "has more than 10000 entries");
  }
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string item_path = index_path(path, i);
    if (auto s = check_keys((*list)[i], item_path, table); !s.ok()) {
      return s;
    }
    if (auto s = check_refs((*list)[i], item_path); !s.ok()) {
      return s;
    }
    StrictObject o((*list)[i], item_path);
    T item;
    item.path = item_path;
    if (auto s = fn(o, item); !s.ok()) {
      return s;
    }
    if (auto s = o.finish(); !s.ok()) {
      return s;
    }
    out.push_back(std::move(item));
  }
  return sim::ok_status();
}

sim::Status Loader::check_refs(const Json& node, const std::string& path) {
  std::optional<sim::AwsError> error;
  for_each_string(node, path, [&](const std::string& text, const std::string& at) {
    if (error.has_value()) {
      return;
    }
    if (std::string problem = malformed_reference(text); !problem.empty()) {
      error = input_error(at, "contains " + problem);
      return;
    }
    for (const std::string& name : references_in(text)) {
      if (!saved_.contains(name)) {
        std::string known;
        for (const std::string& s : saved_) {
          known += (known.empty() ? "" : ", ") + s;
        }
        error = input_error(at,
                            "refers to ${" + name + "}, which no earlier step saves"
                                + (known.empty() ? std::string(" (no step saves a value before it)")
                                                 : " (saved before it: " + known + ")"));
        return;
      }
    }
  });
  if (error.has_value()) {
    return *error;
  }
  return sim::ok_status();
}

sim::Result<Scenario> Loader::load(const Json& doc) {
  Scenario out;
  scenario_ = &out;
  scenario_mut_ = &out;
  if (auto s = check_keys(doc, "$", "Scenario"); !s.ok()) {
    return s.error();
  }
  StrictObject o(doc, "$");
  out.name = o.required_string("name");
  out.description = o.required_string("description");
  out.tags = o.optional_string_array("tags");
  out.seed = static_cast<uint64_t>(
      o.optional_int("seed", 0, std::numeric_limits<int64_t>::max()).value_or(1));
  const Json* regression = o.optional_array("regressionSeeds");
  const Json* world = o.required_value("world");
  const Json* principals = o.optional_object("principals");
  const Json* engine = o.optional_object("engine");
  const Json* faults = o.optional_value("faults");
  const Json* steps = o.required_value("steps");
  const Json* expect = o.optional_object("expect");
  if (!o.ok()) {
    return o.finish().error();
  }
  if (out.name.empty() || out.name.size() > 128
      || out.name.find_first_of(",[]\"\\") != std::string::npos) {
    return input_error(o.child_path("name"),
                       "expected 1 to 128 characters without commas, brackets, quotes or "
                       "backslashes (it names a test), got \""
                           + out.name + "\"");
  }
  if (out.tags.size() > ScenarioLimits::kTagsMax) {
    return input_error(o.child_path("tags"), "has more than 64 tags");
  }
  for (std::size_t i = 0; i < out.tags.size(); ++i) {
    const std::string& tag = out.tags[i];
    if (tag.empty() || tag.find_first_of(",[]\" ") != std::string::npos) {
      return input_error(
          index_path(o.child_path("tags"), i),
          "expected a tag without spaces, commas, brackets or quotes, got \"" + tag + "\"");
    }
  }
  if (regression != nullptr) {
    if (regression->size() > ScenarioLimits::kRegressionSeedsMax) {
      return input_error(o.child_path("regressionSeeds"), "has more than 1000 seeds");
    }
    for (std::size_t i = 0; i < regression->size(); ++i) {
      const Json& v = (*regression)[i];
      if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<int64_t>() >= 0)) {
        return input_error(index_path(o.child_path("regressionSeeds"), i),
                           "expected a non-negative integer seed, got " + describe(v));
      }
      out.regression_seeds.push_back(v.get<uint64_t>());
    }
  }
  if (faults != nullptr) {
    // The seam for the fault-plan mechanism (docs/scenario-format.md, "Faults").
    return input_error(o.child_path("faults"),
                       "fault plans are not available yet; switch model-level faults with "
                       "scheduled calls instead ({\"at\": \"10m\", \"call\": \"kms:DisableKey\", "
                       "...}), see docs/scenario-format.md");
  }
  if (auto s = load_world(*world, out); !s.ok()) {
    return s.error();
  }
  if (principals != nullptr) {
    if (auto s = load_principals(*principals, out); !s.ok()) {
      return s.error();
    }
  }
  if (engine != nullptr) {
    if (auto s = load_engine(*engine, out.engine); !s.ok()) {
      return s.error();
    }
  }
  if (!steps->is_array() || steps->empty()) {
    return input_error(o.child_path("steps"),
                       "expected a non-empty array of steps, got " + describe(*steps));
  }
  if (steps->size() > ScenarioLimits::kStepsMax) {
    return input_error(o.child_path("steps"), "has more than 10000 steps");
  }
  for (std::size_t i = 0; i < steps->size(); ++i) {
    Step step;
    if (auto s = load_step((*steps)[i], index_path(o.child_path("steps"), i), step); !s.ok()) {
      return s.error();
    }
    out.steps.push_back(std::move(step));
  }
  if (expect != nullptr) {
    if (auto s = load_expect(*expect, o.child_path("expect"), out.expect); !s.ok()) {
      return s.error();
    }
  }
  if (auto s = o.finish(); !s.ok()) {
    return s.error();
  }
  return out;
}

sim::Status Loader::load_world(const Json& node, Scenario& out) {
  if (node.is_object()) {
    out.world = node;
    out.world_source = source_ + " ($.world)";
    return sim::ok_status();
  }
  if (!node.is_string()) {
    return input_error("$.world",
                       "expected a world object or the path of a world file (relative to the "
                       "scenario file), got "
                           + describe(node));
  }
  const std::filesystem::path path =
      std::filesystem::path(base_dir_) / std::filesystem::path(node.get<std::string>());
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return input_error("$.world", "cannot open the world file " + path.generic_string());
  }
  std::string text;
  char buffer[64 * 1024];
  while (in.read(buffer, sizeof(buffer)) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > ScenarioLimits::kFileBytesMax) {
      return input_error("$.world", "the world file is larger than 16 MiB");
    }
  }
  sim::Result<Json> doc = parse_json_text(text, path.generic_string());
  if (!doc.ok()) {
    return input_error("$.world", doc.error().message);
  }
  out.world = std::move(doc).value();
  out.world_source = path.lexically_normal().generic_string();
  return sim::ok_status();
}

sim::Status Loader::load_principals(const Json& node, Scenario& out) {
  if (node.size() > ScenarioLimits::kPrincipalsMax) {
    return input_error("$.principals", "has more than 1000 principals");
  }
  // A principal may name one declared anywhere in $.principals: names resolve on demand, and
  // the depth limit refuses cycles.
  principals_doc_ = &node;
  for (const auto& [name, value] : node.items()) {
    if (name.empty() || !is_ref_name_char(name[0], true)) {
      return input_error(join_path("$.principals", name),
                         "expected a name starting with a letter or '_'");
    }
    if (out.principals.contains(name)) {
      continue;
    }
    auto p = principal(value, join_path("$.principals", name), name, 0);
    if (!p.ok()) {
      return p.error();
    }
    out.principals.emplace(name, std::move(p).value());
  }
  return sim::ok_status();
}

sim::Result<std::shared_ptr<const PrincipalSpec>> Loader::principal(const Json& node,
                                                                    const std::string& path,
                                                                    const std::string& label,
                                                                    int depth) {
  if (depth > ScenarioLimits::kRoleChainMax) {
    return input_error(path,
                       "principals nest (or refer to each other) more than 8 levels deep; is "
                       "there a cycle?");
  }
  auto spec = std::make_shared<PrincipalSpec>();
  spec->path = path;
  spec->label = label;
  if (node.is_string()) {
    const std::string text = node.get<std::string>();
    if (api::AccountId::is_valid(text)) {
      spec->kind = PrincipalSpec::Kind::kRoot;
      spec->account = api::AccountId::from_valid(text);
      spec->arn = api::root_arn(spec->account);
      if (spec->label.empty()) {
        spec->label = text;
      }
      return std::shared_ptr<const PrincipalSpec>(spec);
    }
    if (text.starts_with("arn:")) {
      sim::Result<api::Arn> arn = api::parse_arn(text);
      if (!arn.ok() || arn->service != "iam" || !api::AccountId::is_valid(arn->account)) {
        return input_error(path,
                           "expected an IAM root or user ARN (arn:aws:iam::111122223333:root, "
                           "arn:aws:iam::111122223333:user/NAME), got \""
                               + text + "\"");
      }
      spec->account = api::AccountId::from_valid(arn->account);
      spec->arn = text;
      if (spec->label.empty()) {
        spec->label = text;
      }
      if (arn->resource == "root") {
        spec->kind = PrincipalSpec::Kind::kRoot;
        return std::shared_ptr<const PrincipalSpec>(spec);
      }
      if (arn->resource_type() == "user") {
        spec->kind = PrincipalSpec::Kind::kUser;
        return std::shared_ptr<const PrincipalSpec>(spec);
      }
      if (arn->resource_type() == "role") {
        return input_error(path,
                           "a role acts through a session: write {\"assumeRole\": \"" + text
                               + "\", \"as\": <who assumes it>}");
      }
      return input_error(path, "expected a root or user ARN, got \"" + text + "\"");
    }
    // A name declared under $.principals.
    if (scenario_ != nullptr) {
      if (auto it = scenario_->principals.find(text); it != scenario_->principals.end()) {
        return it->second;
      }
    }
    if (scenario_mut_ != nullptr && principals_doc_ != nullptr && principals_doc_->contains(text)) {
      auto p =
          principal((*principals_doc_)[text], join_path("$.principals", text), text, depth + 1);
      if (!p.ok()) {
        return p.error();
      }
      scenario_mut_->principals.emplace(text, *p);
      return *p;
    }
    std::string known;
    if (scenario_ != nullptr) {
      for (const auto& [name, value] : scenario_->principals) {
        known += (known.empty() ? "" : ", ") + name;
      }
    }
    return input_error(path,
                       "expected an account id (root), an IAM user or root ARN, a principal "
                       "declared in $.principals"
                           + (known.empty() ? std::string() : " (" + known + ")")
                           + " or {\"assumeRole\": ROLE_ARN, \"as\": PRINCIPAL}, got \"" + text
                           + "\"");
  }
  if (!node.is_object()) {
    return input_error(path, "expected a principal (a string or an object), got " + describe(node));
  }
  if (auto s = check_keys(node, path, "AssumedRole"); !s.ok()) {
    return s.error();
  }
  StrictObject o(node, path);
  const std::string role = o.required_string("assumeRole");
  const Json* via = o.required_value("as");
  spec->session_name = o.optional_string("sessionName").value_or(std::string(kDefaultSessionName));
  if (auto s = o.finish(); !s.ok()) {
    return s.error();
  }
  sim::Result<api::Arn> arn = api::parse_arn(role);
  if (!arn.ok() || arn->service != "iam" || arn->resource_type() != "role"
      || !api::AccountId::is_valid(arn->account)) {
    return input_error(
        o.child_path("assumeRole"),
        "expected a role ARN (arn:aws:iam::111122223333:role/NAME), got \"" + role + "\"");
  }
  auto inner = principal(*via, o.child_path("as"), "", depth + 1);
  if (!inner.ok()) {
    return inner.error();
  }
  spec->kind = PrincipalSpec::Kind::kAssumedRole;
  spec->account = api::AccountId::from_valid(arn->account);
  spec->arn = role;
  spec->via = std::move(inner).value();
  if (spec->label.empty()) {
    spec->label = std::string(arn->resource_name()) + " (assumed by " + spec->via->label + ")";
  }
  return std::shared_ptr<const PrincipalSpec>(spec);
}

sim::Status Loader::load_engine(const Json& node, EngineSettings& out) {
  if (auto s = check_keys(node, "$.engine", "Engine"); !s.ok()) {
    return s;
  }
  StrictObject o(node, "$.engine");
  out.copies_in_flight_max = o.optional_int("copiesInFlightMax", 1, 1'000'000);
  out.copies_per_account_region_max = o.optional_int("copiesPerAccountRegionMax", 1, 1'000'000);
  out.retry_attempts_max = o.optional_int("retryAttemptsMax", 1, 1000);
  for (auto [key, field] : {std::pair{"pollInterval", &out.poll_interval},
                            std::pair{"backoffBase", &out.backoff_base},
                            std::pair{"backoffMax", &out.backoff_max}}) {
    if (o.has(key)) {
      auto d = duration(o, key, true);
      if (!d.ok()) {
        return d.error();
      }
      if (*d <= sim::Duration::zero()) {
        return input_error(o.child_path(key), "expected a positive duration");
      }
      *field = *d;
    }
  }
  return o.finish();
}

sim::Status Loader::load_step(const Json& node, const std::string& path, Step& out) {
  out.path = path;
  if (!node.is_object()) {
    return input_error(path, "expected a step object, got " + describe(node));
  }
  const int kinds = static_cast<int>(node.contains("call"))
                    + static_cast<int>(node.contains("advance"))
                    + static_cast<int>(node.contains("runUntilSettled"));
  if (kinds != 1) {
    return input_error(path,
                       kinds == 0 ? "expected one of the keys \"call\", \"advance\" or "
                                    "\"runUntilSettled\""
                                  : "a step does one thing: \"call\", \"advance\" or "
                                    "\"runUntilSettled\", not several");
  }
  if (node.contains("call")) {
    return load_call(node, path, out);
  }
  if (node.contains("advance")) {
    if (auto s = check_keys(node, path, "AdvanceStep"); !s.ok()) {
      return s;
    }
    StrictObject o(node, path);
    out.kind = Step::Kind::kAdvance;
    out.note = o.optional_string("note").value_or("");
    auto d = duration(o, "advance", true);
    if (!d.ok()) {
      return d.error();
    }
    out.duration = *d;
    return o.finish();
  }
  if (auto s = check_keys(node, path, "SettleStep"); !s.ok()) {
    return s;
  }
  StrictObject o(node, path);
  out.kind = Step::Kind::kRunUntilSettled;
  out.note = o.optional_string("note").value_or("");
  const Json* settle = o.required_value("runUntilSettled");
  if (!o.ok()) {
    return o.finish();
  }
  const std::string settle_path = o.child_path("runUntilSettled");
  if (auto s = check_keys(*settle, settle_path, "Settle"); !s.ok()) {
    return s;
  }
  StrictObject so(*settle, settle_path);
  auto d = duration(so, "limit", true);
  if (!d.ok()) {
    return d.error();
  }
  if (*d <= sim::Duration::zero()) {
    return input_error(so.child_path("limit"), "expected a positive duration");
  }
  out.duration = *d;
  if (auto s = so.finish(); !s.ok()) {
    return s;
  }
  return o.finish();
}

sim::Status Loader::load_call(const Json& node, const std::string& path, Step& out) {
  if (auto s = check_keys(node, path, "CallStep"); !s.ok()) {
    return s;
  }
  out.kind = Step::Kind::kCall;
  StrictObject o(node, path);
  const std::string call = o.required_string("call");
  const Json* as = o.required_value("as");
  const std::optional<std::string> region_text = o.optional_string("region");
  const Json* input = o.optional_value("input");
  const Json* expect = o.optional_value("expect");
  const Json* save = o.optional_object("save");
  out.note = o.optional_string("note").value_or("");
  if (!o.ok()) {
    return o.finish();
  }
  if (o.has("at")) {
    auto at = duration(o, "at", true);
    if (!at.ok()) {
      return at.error();
    }
    out.at = *at;
  }
  CallStep& c = out.call;
  const std::size_t colon = call.find(':');
  const auto dispatchable = [](ServiceId id) {
    std::vector<std::string_view> ops = dispatchable_operations(id);
    std::sort(ops.begin(), ops.end());
    return join(ops);
  };
  if (colon == std::string::npos) {
    return input_error(o.child_path("call"),
                       "expected \"service:Operation\" such as "
                       "\"imagebuilder:CreateDistributionConfiguration\", got \""
                           + call + "\"");
  }
  c.service_name = call.substr(0, colon);
  c.operation = call.substr(colon + 1);
  const std::optional<ServiceId> service = protocol::find_service(c.service_name);
  if (!service.has_value()) {
    return input_error(o.child_path("call"),
                       "unknown service '" + c.service_name
                           + "'; expected one of: imagebuilder, ec2, kms, iam, sts, ssm");
  }
  c.service = *service;
  const std::optional<protocol::OperationRef> op = protocol::find_operation(c.service, c.operation);
  if (!op.has_value()
      || std::find(dispatchable_operations(c.service).begin(),
                   dispatchable_operations(c.service).end(),
                   c.operation)
             == dispatchable_operations(c.service).end()) {
    return input_error(o.child_path("call"),
                       "'" + c.operation + "' is not an operation ibsim serves for "
                           + c.service_name + "; expected one of: " + dispatchable(c.service));
  }
  auto who = principal(*as, o.child_path("as"), "", 0);
  if (!who.ok()) {
    return who.error();
  }
  c.as = std::move(who).value();
  if (region_text.has_value()) {
    if (api::find_region(*region_text) == nullptr) {
      return input_error(
          o.child_path("region"),
          "'" + *region_text + "' is not a region of partition aws (e.g. us-east-1)");
    }
    c.region = api::Region::from_known(*region_text);
  } else if (c.service == ServiceId::kIam) {
    c.region = api::Region::from_known(kIamRegion);
  } else {
    return input_error(path, "a " + c.service_name + " call needs \"region\" (only IAM is global)");
  }
  if (input != nullptr) {
    if (!input->is_object()) {
      return input_error(o.child_path("input"),
                         "expected the operation's input object (what --cli-input-json takes), "
                         "got "
                             + describe(*input));
    }
    if (auto s = check_refs(*input, o.child_path("input")); !s.ok()) {
      return s;
    }
    const protocol::ShapeModel* shape = op->input();
    if (shape != nullptr) {
      if (auto s = check_shape(op->service(), *shape, *input, o.child_path("input"), 0); !s.ok()) {
        return s;
      }
    } else if (!input->empty()) {
      return input_error(o.child_path("input"), c.operation + " takes no input");
    }
    c.input = *input;
  }
  if (auto s = load_outcome(expect, o.child_path("expect"), c.expect); !s.ok()) {
    return s;
  }
  if (save != nullptr) {
    for (const auto& [name, value] : save->items()) {
      const std::string p = join_path(o.child_path("save"), name);
      if (name.empty() || !is_ref_name_char(name[0], true)
          || !std::all_of(
              name.begin(), name.end(), [](char ch) { return is_ref_name_char(ch, false); })) {
        return input_error(p,
                           "expected a name of letters, digits, '_', '-' and '.' starting with a "
                           "letter");
      }
      if (!value.is_string() || !is_save_path(value.get<std::string>())) {
        return input_error(p,
                           "expected the path of a member of the output, such as "
                           "\"imageBuildVersionArn\" or \"Images[0].ImageId\", got "
                               + describe(value));
      }
      if (c.expect.kind != OutcomeExpectation::Kind::kOk) {
        return input_error(p, "a step that expects an error has no output to save from");
      }
      c.save.emplace_back(name, value.get<std::string>());
    }
    for (const auto& [name, value] : c.save) {
      saved_.insert(name);
    }
  }
  return o.finish();
}

sim::Status Loader::load_outcome(const Json* node,
                                 const std::string& path,
                                 OutcomeExpectation& out) {
  out.path = path;
  if (node == nullptr) {
    out.kind = OutcomeExpectation::Kind::kOk;
    return sim::ok_status();
  }
  if (node->is_string()) {
    const std::string text = node->get<std::string>();
    if (text == "ok") {
      out.kind = OutcomeExpectation::Kind::kOk;
      return sim::ok_status();
    }
    if (text == "error") {
      out.kind = OutcomeExpectation::Kind::kAnyError;
      return sim::ok_status();
    }
    return input_error(path,
                       "expected \"ok\", \"error\" or {\"error\": CODE, \"messageContains\": "
                       "TEXT}, got \""
                           + text + "\"");
  }
  if (auto s = check_keys(*node, path, "ErrorOutcome"); !s.ok()) {
    return input_error(path,
                       "expected \"ok\", \"error\" or {\"error\": CODE, \"messageContains\": "
                       "TEXT}: "
                           + s.error().message);
  }
  if (auto s = check_refs(*node, path); !s.ok()) {
    return s;
  }
  StrictObject o(*node, path);
  out.kind = OutcomeExpectation::Kind::kError;
  out.code = o.required_string("error");
  out.message_contains = strings(o, "messageContains");
  if (o.ok() && out.code.empty()) {
    return input_error(o.child_path("error"), "expected an error code such as \"AccessDenied\"");
  }
  return o.finish();
}

sim::Status Loader::load_expect(const Json& node, const std::string& path, Expectations& out) {
  if (auto s = check_keys(node, path, "Expect"); !s.ok()) {
    return s;
  }
  StrictObject o(node, path);
  const Json* images = o.optional_array("images");
  const Json* amis = o.optional_array("amis");
  const Json* templates = o.optional_array("launchTemplates");
  const Json* parameters = o.optional_array("ssmParameters");
  const Json* peaks = o.optional_array("peakCopies");
  const Json* in_flight = o.optional_object("peakCopiesInFlight");
  out.retries_at_least = o.optional_int("retriesAtLeast", 0, std::numeric_limits<int32_t>::max());
  if (!o.ok()) {
    return o.finish();
  }
  if (o.has("settledBy")) {
    auto d = duration(o, "settledBy", true);
    if (!d.ok()) {
      return d.error();
    }
    out.settled_by = *d;
  }
  const auto one_of = [](StrictObject& so,
                         std::string_view key,
                         const std::optional<std::string>& value,
                         const std::vector<std::string_view>& allowed) -> sim::Status {
    if (value.has_value() && std::find(allowed.begin(), allowed.end(), *value) == allowed.end()) {
      return input_error(so.child_path(key),
                         "expected one of " + join(allowed) + ", got \"" + *value + "\"");
    }
    return sim::ok_status();
  };
  if (auto s = each(images,
                    o.child_path("images"),
                    "ImageExpectation",
                    out.images,
                    [&](StrictObject& e, ImageExpectation& x) -> sim::Status {
                      x.image = e.required_string("image");
                      x.status = e.optional_string("status");
                      x.reason_contains = strings(e, "reasonContains");
                      x.reason_not_contains = strings(e, "reasonNotContains");
                      x.output_amis = e.optional_int("outputAmis", 0, 1'000'000);
                      if (!e.ok()) {
                        return e.finish();
                      }
                      return one_of(e, "status", x.status, kImageStatuses);
                    });
      !s.ok()) {
    return s;
  }
  if (auto s = each(amis,
                    o.child_path("amis"),
                    "AmiExpectation",
                    out.amis,
                    [&](StrictObject& e, AmiExpectation& x) -> sim::Status {
                      auto a = account(e, "account");
                      if (!a.ok()) {
                        return a.error();
                      }
                      x.account = *a;
                      auto r = region(e, "region");
                      if (!r.ok()) {
                        return r.error();
                      }
                      x.region = *r;
                      x.image = e.optional_string("image");
                      x.count = e.optional_int("count", 0, 1'000'000);
                      const std::optional<bool> none = e.optional_bool("none");
                      x.state = e.optional_string("state");
                      x.name_pattern = e.optional_string("namePattern");
                      x.encrypted = e.optional_bool("encrypted");
                      x.kms_key = e.optional_string("kmsKey");
                      if (!e.ok()) {
                        return e.finish();
                      }
                      if (none.has_value()) {
                        if (!*none) {
                          return input_error(e.child_path("none"),
                                             "expected true (or leave it out and use \"count\")");
                        }
                        if (x.count.has_value() || x.state.has_value() || x.encrypted.has_value()
                            || x.kms_key.has_value()) {
                          return input_error(e.child_path("none"),
                                             "\"none\": true contradicts \"count\", \"state\", "
                                             "\"encrypted\" and \"kmsKey\"");
                        }
                        x.count = 0;
                      }
                      if (x.encrypted == false && x.kms_key.has_value()) {
                        return input_error(e.child_path("kmsKey"),
                                           "an unencrypted AMI has no KMS key; drop \"kmsKey\" or "
                                           "\"encrypted\": false");
                      }
                      return one_of(e, "state", x.state, kAmiStates);
                    });
      !s.ok()) {
    return s;
  }
  if (auto s = each(templates,
                    o.child_path("launchTemplates"),
                    "LaunchTemplateExpectation",
                    out.launch_templates,
                    [&](StrictObject& e, LaunchTemplateExpectation& x) -> sim::Status {
                      auto a = account(e, "account");
                      if (!a.ok()) {
                        return a.error();
                      }
                      x.account = *a;
                      auto r = region(e, "region");
                      if (!r.ok()) {
                        return r.error();
                      }
                      x.region = *r;
                      x.launch_template = e.required_string("launchTemplate");
                      x.default_version = e.optional_int("defaultVersion", 1, 1'000'000'000);
                      x.latest_version = e.optional_int("latestVersion", 1, 1'000'000'000);
                      x.default_image = e.optional_string("defaultImage");
                      x.latest_image = e.optional_string("latestImage");
                      if (e.ok() && x.default_version.has_value() && x.latest_version.has_value()
                          && *x.default_version > *x.latest_version) {
                        return input_error(
                            e.child_path("defaultVersion"),
                            "cannot exceed \"latestVersion\" (an impossible expectation)");
                      }
                      return sim::ok_status();
                    });
      !s.ok()) {
    return s;
  }
  if (auto s = each(parameters,
                    o.child_path("ssmParameters"),
                    "SsmParameterExpectation",
                    out.ssm_parameters,
                    [&](StrictObject& e, SsmParameterExpectation& x) -> sim::Status {
                      auto a = account(e, "account");
                      if (!a.ok()) {
                        return a.error();
                      }
                      x.account = *a;
                      auto r = region(e, "region");
                      if (!r.ok()) {
                        return r.error();
                      }
                      x.region = *r;
                      x.name = e.required_string("name");
                      x.value = e.optional_string("value");
                      x.absent = e.optional_bool("absent").value_or(false);
                      if (e.ok() && x.absent && x.value.has_value()) {
                        return input_error(e.child_path("absent"),
                                           "an absent parameter has no value; drop \"value\"");
                      }
                      if (e.ok() && !x.absent && !x.value.has_value()) {
                        return input_error(e.path(), "expected \"value\" (or \"absent\": true)");
                      }
                      return sim::ok_status();
                    });
      !s.ok()) {
    return s;
  }
  const auto read_bounds = [&](StrictObject& e, PeakCopiesExpectation& x) -> sim::Status {
    x.at_most = e.optional_int("atMost", 0, 1'000'000);
    x.at_least = e.optional_int("atLeast", 0, 1'000'000);
    if (!e.ok()) {
      return e.finish();
    }
    if (!x.at_most.has_value() && !x.at_least.has_value()) {
      return input_error(e.path(), "expected \"atMost\", \"atLeast\" or both");
    }
    if (x.at_most.has_value() && x.at_least.has_value() && *x.at_least > *x.at_most) {
      return input_error(e.child_path("atLeast"),
                         "cannot exceed \"atMost\" (an impossible expectation)");
    }
    return sim::ok_status();
  };
  if (auto s = each(peaks,
                    o.child_path("peakCopies"),
                    "PeakCopiesExpectation",
                    out.peak_copies,
                    [&](StrictObject& e, PeakCopiesExpectation& x) -> sim::Status {
                      if (e.has("account")) {
                        auto a = account(e, "account");
                        if (!a.ok()) {
                          return a.error();
                        }
                        x.account = *a;
                      }
                      if (e.has("region")) {
                        auto r = region(e, "region");
                        if (!r.ok()) {
                          return r.error();
                        }
                        x.region = *r;
                      }
                      return read_bounds(e, x);
                    });
      !s.ok()) {
    return s;
  }
  if (in_flight != nullptr) {
    const std::string p = o.child_path("peakCopiesInFlight");
    if (auto s = check_keys(*in_flight, p, "PeakCopiesInFlightExpectation"); !s.ok()) {
      return s;
    }
    StrictObject e(*in_flight, p);
    PeakCopiesExpectation x;
    x.path = p;
    if (auto s = read_bounds(e, x); !s.ok()) {
      return s;
    }
    if (auto s = e.finish(); !s.ok()) {
      return s;
    }
    out.peak_copies_in_flight = x;
  }
  return o.finish();
}

}  // namespace

std::optional<sim::Duration> parse_duration(std::string_view text) {
  return sim::parse_duration(text, ScenarioLimits::kDurationMax);
}

std::string duration_text(sim::Duration d) {
  int64_t ms = d.ms();
  if (ms == 0) {
    return "0s";
  }
  std::string out;
  if (ms < 0) {
    out = "-";
    ms = -ms;
  }
  const int64_t days = ms / 86'400'000;
  const int64_t hours = (ms / 3'600'000) % 24;
  const int64_t minutes = (ms / 60'000) % 60;
  const int64_t seconds = (ms / 1000) % 60;
  const int64_t millis = ms % 1000;
  if (days > 0) {
    out += std::to_string(days) + "d";
  }
  if (hours > 0) {
    out += std::to_string(hours) + "h";
  }
  if (minutes > 0) {
    out += std::to_string(minutes) + "m";
  }
  if (seconds > 0 || millis > 0) {
    out += std::to_string(seconds);
    if (millis > 0) {
      std::string frac = std::to_string(1000 + millis).substr(1);
      while (!frac.empty() && frac.back() == '0') {
        frac.pop_back();
      }
      out += "." + frac;
    }
    out += "s";
  }
  return out;
}

std::vector<std::string> references_in(std::string_view text) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] == '$' && text[i + 1] == '$') {
      ++i;
      continue;
    }
    if (text[i] == '$' && text[i + 1] == '{') {
      const std::size_t end = text.find('}', i + 2);
      if (end == std::string_view::npos) {
        break;
      }
      out.emplace_back(text.substr(i + 2, end - i - 2));
      i = end;
    }
  }
  return out;
}

const std::map<std::string_view, std::vector<std::string_view>>& scenario_key_tables() {
  return kKeyTables;
}

sim::Result<Scenario> load_scenario_text(std::string_view text,
                                         std::string_view source,
                                         const std::string& base_dir) {
  const auto prefixed = [&](const sim::AwsError& e) {
    sim::AwsError out = e;
    out.message = std::string(source) + ": " + e.message;
    return out;
  };
  if (text.size() > ScenarioLimits::kFileBytesMax) {
    return input_error(source, "larger than 16 MiB");
  }
  sim::Result<Json> doc = parse_json_text(text, source);
  if (!doc.ok()) {
    return doc.error();
  }
  Loader loader{std::string(source), base_dir};
  sim::Result<Scenario> s = loader.load(*doc);
  if (!s.ok()) {
    return prefixed(s.error());
  }
  s->file = std::string(source);
  return s;
}

sim::Result<Scenario> load_scenario_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return input_error(path, "cannot open the file");
  }
  std::string text;
  char buffer[64 * 1024];
  while (in.read(buffer, sizeof(buffer)) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > ScenarioLimits::kFileBytesMax) {
      return input_error(path, "larger than 16 MiB");
    }
  }
  const std::filesystem::path p(path);
  sim::Result<Scenario> s = load_scenario_text(text, path, p.parent_path().generic_string());
  if (s.ok()) {
    s->group = p.parent_path().filename().generic_string();
  }
  return s;
}

namespace {

sim::Status check_principal(const PrincipalSpec& p, mock_aws::services::World& world) {
  const std::vector<api::AccountId> accounts = world.iam().account_ids();
  if (std::find(accounts.begin(), accounts.end(), p.account) == accounts.end()) {
    return input_error(p.path, "account " + p.account.str() + " is not in the world");
  }
  switch (p.kind) {
    case PrincipalSpec::Kind::kRoot:
      return sim::ok_status();
    case PrincipalSpec::Kind::kUser:
      if (world.iam().find_user_by_arn(p.arn) == nullptr) {
        return input_error(p.path,
                           "the world has no IAM user " + p.arn + " (declare it under accounts."
                               + p.account.str() + ".users)");
      }
      return sim::ok_status();
    case PrincipalSpec::Kind::kAssumedRole:
      if (world.iam().find_role_by_arn(p.arn) == nullptr) {
        return input_error(p.path,
                           "the world has no IAM role " + p.arn + " (declare it under accounts."
                               + p.account.str() + ".roles)");
      }
      return check_principal(*p.via, world);
  }
  return sim::ok_status();
}

sim::Status check_account_region(const std::string& path,
                                 const api::AccountId* account,
                                 const api::Region* region,
                                 mock_aws::services::World& world) {
  if (account != nullptr) {
    const std::vector<api::AccountId> accounts = world.iam().account_ids();
    if (std::find(accounts.begin(), accounts.end(), *account) == accounts.end()) {
      return input_error(join_path(path, "account"),
                         "account " + account->str() + " is not in the world");
    }
  }
  if (region != nullptr && !world.has_region(*region)) {
    return input_error(join_path(path, "region"),
                       "region " + region->str()
                           + " is not enabled in the world ($.regions of the world file): an "
                             "impossible expectation");
  }
  return sim::ok_status();
}

bool has_reference(std::string_view text) {
  return !references_in(text).empty();
}

}  // namespace

sim::Status check_against_world(Scenario& scenario, mock_aws::services::World& world) {
  const auto in_file = [&](const sim::Status& s) -> sim::Status {
    if (s.ok()) {
      return s;
    }
    sim::AwsError e = s.error();
    e.message = scenario.file + ": " + e.message;
    return e;
  };
  for (const auto& [name, p] : scenario.principals) {
    if (auto s = check_principal(*p, world); !s.ok()) {
      return in_file(s);
    }
  }
  for (const Step& step : scenario.steps) {
    if (step.kind != Step::Kind::kCall) {
      continue;
    }
    if (auto s = check_principal(*step.call.as, world); !s.ok()) {
      return in_file(s);
    }
    if (step.call.service != ServiceId::kIam && !world.has_region(step.call.region)) {
      return in_file(input_error(join_path(step.path, "region"),
                                 "region " + step.call.region.str()
                                     + " is not enabled in the world ($.regions of the world "
                                       "file)"));
    }
  }
  Expectations& x = scenario.expect;
  for (AmiExpectation& a : x.amis) {
    if (auto s = check_account_region(a.path, &a.account, &a.region, world); !s.ok()) {
      return in_file(s);
    }
    if (!a.kms_key.has_value() || has_reference(*a.kms_key)) {
      continue;
    }
    const std::string& ref = *a.kms_key;
    const std::string key_path = join_path(a.path, "kmsKey");
    if (ref == "alias/aws/ebs") {
      continue;  // The account's AWS managed key, created on first use: resolved at the end.
    }
    if (ref.starts_with("alias/")) {
      if (auto arn = world.kms().find_alias_target(a.account, a.region, ref)) {
        a.kms_key_arn = *arn;
        continue;
      }
      return in_file(input_error(key_path,
                                 "no KMS alias '" + ref + "' in account " + a.account.str()
                                     + " region " + a.region.str()
                                     + " (aliases name keys of the AMI's own account and region; "
                                       "use the key ARN for another account's key)"));
    }
    sim::Result<api::Arn> arn = api::parse_arn(ref);
    if (!arn.ok() || arn->service != "kms" || !api::AccountId::is_valid(arn->account)
        || api::find_region(arn->region) == nullptr) {
      return in_file(input_error(
          key_path, "expected a KMS key ARN, an alias ARN or \"alias/NAME\", got \"" + ref + "\""));
    }
    if (arn->region != a.region.str()) {
      return in_file(input_error(key_path,
                                 "the key is in " + arn->region + " but the AMIs are in "
                                     + a.region.str()
                                     + ": KMS keys are regional (an impossible expectation)"));
    }
    if (arn->resource_type() == "alias") {
      auto target = world.kms().find_alias_target(
          api::AccountId::from_valid(arn->account), a.region, arn->resource);
      if (!target.has_value()) {
        return in_file(input_error(key_path, "no KMS alias " + ref + " in the world"));
      }
      a.kms_key_arn = *target;
      continue;
    }
    if (!world.kms().find_key(ref).has_value()) {
      return in_file(input_error(key_path, "no KMS key " + ref + " in the world"));
    }
    a.kms_key_arn = ref;
  }
  for (const LaunchTemplateExpectation& t : x.launch_templates) {
    if (auto s = check_account_region(t.path, &t.account, &t.region, world); !s.ok()) {
      return in_file(s);
    }
    if (!has_reference(t.launch_template)
        && world.ec2().find_launch_template(t.account, t.region, t.launch_template) == nullptr) {
      return in_file(input_error(join_path(t.path, "launchTemplate"),
                                 "account " + t.account.str() + " has no launch template "
                                     + t.launch_template + " in " + t.region.str()
                                     + " (give the template's id, lt-..., as the world file "
                                       "declares it with launchTemplateId)"));
    }
  }
  for (const SsmParameterExpectation& p : x.ssm_parameters) {
    if (auto s = check_account_region(p.path, &p.account, &p.region, world); !s.ok()) {
      return in_file(s);
    }
  }
  for (const PeakCopiesExpectation& p : x.peak_copies) {
    if (auto s = check_account_region(p.path,
                                      p.account.has_value() ? &*p.account : nullptr,
                                      p.region.has_value() ? &*p.region : nullptr,
                                      world);
        !s.ok()) {
      return in_file(s);
    }
  }
  return sim::ok_status();
}

sim::Result<std::vector<std::string>> find_scenario_files(const std::string& path) {
  namespace fs = std::filesystem;
  constexpr std::size_t kFilesMax = 100'000;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    return input_error(path, "no such file or folder");
  }
  if (!fs::is_directory(status)) {
    return std::vector<std::string>{path};
  }
  std::vector<std::string> out;
  fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    return input_error(path, "cannot read the folder: " + ec.message());
  }
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) {
      return input_error(path, "cannot read the folder: " + ec.message());
    }
    const fs::path& p = it->path();
    if (it->is_directory() && p.filename() == "worlds") {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file() && p.extension() == ".json"
        && p.filename().string().find(".schema.") == std::string::npos) {
      out.push_back(p.generic_string());
      if (out.size() > kFilesMax) {
        return input_error(path, "holds more than 100000 scenario files");
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace ibsim::scenario
