#include "mock_aws/policy/explain_json.h"

#include <array>
#include <cctype>
#include <memory>
#include <utility>
#include <vector>

#include "mock_aws/api/arn.h"
#include "mock_aws/api/ids.h"
#include "mock_aws/policy/explain.h"
#include "mock_aws/policy/json_check.h"

namespace ibsim::mock_aws::policy {
namespace {

using json = nlohmann::json;

constexpr std::string_view kDefaultSessionName = "ibsim-explain";
constexpr std::size_t kPrincipalTagsMax = 50;

constexpr std::string_view kRequestKeys[] = {
    "identityPolicies",
    "resourcePolicy",
    "resourcePolicyKind",
    "trustPolicy",
    "permissionBoundaries",
    "sessionPolicy",
    "serviceControlPolicies",
    "principal",
    "principalTags",
    "principalUniqueId",
    "sessionName",
    "rolePath",
    "action",
    "resource",
    "resourceAccount",
    "context",
};

sim::AwsError invalid(std::string message) {
  return sim::aws_error("InvalidInput", std::move(message));
}

const json* field(const json& object, std::string_view name) {
  const auto it = object.find(name);
  return it == object.end() ? nullptr : &*it;
}

sim::Result<std::string> optional_string(const json& request,
                                         std::string_view name,
                                         std::string_view fallback) {
  const json* v = field(request, name);
  if (v == nullptr) {
    return std::string(fallback);
  }
  if (!v->is_string()) {
    return invalid(std::string(name) + " must be a string");
  }
  return v->get_ref<const std::string&>();
}

// Owns the parsed policies; pointers handed to PolicySet stay valid while it lives.
class PolicyStore {
 public:
  sim::Result<const Policy*> load(const json& v,
                                  const std::string& path,
                                  PolicyKind kind,
                                  const std::string& name) {
    std::string text;
    if (v.is_string()) {
      text = v.get_ref<const std::string&>();
    } else if (v.is_object()) {
      text = dump_json(v);
    } else {
      return invalid(path + " must be a policy object or a JSON string holding one");
    }
    sim::Result<Policy> p = parse_policy(text, kind, ParseOptions{.name = name});
    if (!p.ok()) {
      sim::AwsError e = p.error();
      e.message = path + ": " + e.message;
      return e;
    }
    policies_.push_back(std::make_unique<Policy>(std::move(p).value()));
    return policies_.back().get();
  }

 private:
  std::vector<std::unique_ptr<Policy>> policies_;
};

sim::Status load_list(PolicyStore& store,
                      const json& v,
                      const std::string& path,
                      PolicyKind kind,
                      bool named_entries,
                      std::vector<const Policy*>& out) {
  if (!v.is_array()) {
    return invalid(path + " must be a list of policies");
  }
  if (v.size() > ExplainLimits::kPoliciesPerListMax) {
    return invalid(path + " has more than " + std::to_string(ExplainLimits::kPoliciesPerListMax)
                   + " policies");
  }
  for (std::size_t i = 0; i < v.size(); ++i) {
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    const json& item = v[i];
    const json* document = &item;
    std::string name = item_path;
    // {"name": "...", "policy": POLICY} names a policy; a policy document has a Statement.
    if (named_entries && item.is_object() && item.contains("policy")
        && !item.contains("Statement")) {
      for (const auto& [key, value] : item.items()) {
        if (key == "name") {
          if (!value.is_string()) {
            return invalid(item_path + ".name must be a string");
          }
          name = value.get_ref<const std::string&>();
        } else if (key != "policy") {
          return invalid(item_path + " has an unknown field \"" + key
                         + "\" (expected name and policy)");
        }
      }
      document = &*item.find("policy");
    }
    sim::Result<const Policy*> p = store.load(*document, item_path, kind, name);
    if (!p.ok()) {
      return p.error();
    }
    out.push_back(*p);
  }
  return sim::ok_status();
}

// "path/to/Name" after the resource type: IAM path ("/path/to/") and name.
bool split_path_name(std::string_view rest, std::string& path, std::string& name) {
  const std::size_t slash = rest.rfind('/');
  if (slash == std::string_view::npos || slash + 1 == rest.size()) {
    return false;
  }
  path = std::string(rest.substr(0, slash + 1));
  name = std::string(rest.substr(slash + 1));
  return true;
}

sim::Result<api::Principal> parse_principal(const json& request) {
  const json* v = field(request, "principal");
  if (v == nullptr || !v->is_string() || v->get_ref<const std::string&>().empty()) {
    return invalid(
        "principal is required: an IAM user, role or root ARN, an assumed-role session "
        "ARN, an account id, a service principal such as imagebuilder.amazonaws.com, "
        "or \"anonymous\"");
  }
  const std::string& text = v->get_ref<const std::string&>();
  sim::Result<std::string> session_name =
      optional_string(request, "sessionName", kDefaultSessionName);
  sim::Result<std::string> role_path = optional_string(request, "rolePath", "/");
  sim::Result<std::string> unique_id = optional_string(request, "principalUniqueId", "");
  for (const auto* r : {&session_name, &role_path, &unique_id}) {
    if (!r->ok()) {
      return r->error();
    }
  }
  if (session_name->size() < 2 || session_name->size() > 64) {
    return invalid("sessionName must be 2 to 64 characters");
  }
  if (!role_path->starts_with("/") || !role_path->ends_with("/")) {
    return invalid("rolePath must start and end with '/'");
  }

  api::Principal p;
  if (text == "*" || text == "anonymous") {
    p.kind = api::PrincipalKind::kAnonymous;
  } else if (api::AccountId::is_valid(text)) {
    p = api::Principal::root(api::AccountId::from_valid(text));
  } else if (text.starts_with("arn:")) {
    sim::Result<api::Arn> arn = api::parse_arn(text);
    if (!arn.ok() || !api::AccountId::is_valid(arn->account)) {
      return invalid("principal " + text + " is not an ARN with a 12-digit account");
    }
    const api::AccountId account = api::AccountId::from_valid(arn->account);
    const std::string& res = arn->resource;
    std::string path;
    std::string name;
    if (arn->service == "iam" && res == "root") {
      p = api::Principal::root(account);
    } else if (arn->service == "iam" && res.starts_with("user/")
               && split_path_name(std::string_view(res).substr(4), path, name)) {
      const std::string id = unique_id->empty() ? "AIDA" + account.str() + "IBSIM" : *unique_id;
      p = api::Principal::user(account, path, name, id);
    } else if (arn->service == "iam" && res.starts_with("role/")
               && split_path_name(std::string_view(res).substr(4), path, name)) {
      // A role ARN stands for a session of that role.
      const std::string id = unique_id->empty() ? "AROA" + account.str() + "IBSIM" : *unique_id;
      p = api::Principal::assumed_role(account, name, path, *session_name, id);
    } else if (arn->service == "sts" && res.starts_with("assumed-role/")) {
      const std::string_view rest = std::string_view(res).substr(13);
      const std::size_t slash = rest.find('/');
      if (slash == std::string_view::npos || slash == 0 || slash + 1 == rest.size()
          || rest.find('/', slash + 1) != std::string_view::npos) {
        return invalid("principal " + text
                       + " is not arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION");
      }
      const std::string id = unique_id->empty() ? "AROA" + account.str() + "IBSIM" : *unique_id;
      p = api::Principal::assumed_role(
          account, rest.substr(0, slash), *role_path, rest.substr(slash + 1), id);
    } else {
      return invalid("principal " + text + " is not a user, role, root or assumed-role ARN");
    }
  } else {
    bool service = text.find('.') != std::string::npos;
    for (const char c : text) {
      service =
          service && (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-');
    }
    if (!service) {
      return invalid("principal " + text + " is not an ARN, an account id or a service principal");
    }
    p = api::Principal::service(text);
  }

  if (const json* tags = field(request, "principalTags"); tags != nullptr) {
    if (!tags->is_object() || tags->size() > kPrincipalTagsMax) {
      return invalid("principalTags must be an object of at most "
                     + std::to_string(kPrincipalTagsMax) + " string values");
    }
    for (const auto& [key, value] : tags->items()) {
      if (!value.is_string()) {
        return invalid("principalTags." + key + " must be a string");
      }
      p.tags[key] = value.get_ref<const std::string&>();
    }
  }
  return p;
}

std::string scalar_text(const json& v) {
  if (v.is_string()) {
    return v.get_ref<const std::string&>();
  }
  if (v.is_boolean()) {
    return v.get<bool>() ? "true" : "false";
  }
  return dump_json(v);
}

bool is_scalar(const json& v) {
  return v.is_string() || v.is_boolean() || v.is_number();
}

sim::Status fill_context(const json& request, RequestContext& ctx) {
  const json* context = field(request, "context");
  if (context == nullptr) {
    return sim::ok_status();
  }
  if (!context->is_object()) {
    return invalid("context must be an object of condition keys");
  }
  if (context->size() > ExplainLimits::kContextKeysMax) {
    return invalid("context has more than " + std::to_string(ExplainLimits::kContextKeysMax)
                   + " keys");
  }
  for (const auto& [key, value] : context->items()) {
    if (key.empty()) {
      return invalid("context has an empty key");
    }
    if (is_scalar(value)) {
      ctx.set(key, scalar_text(value));
      continue;
    }
    if (!value.is_array() || value.size() > ExplainLimits::kContextValuesPerKeyMax) {
      return invalid("context." + key + " must be a string, number, boolean or a list of at most "
                     + std::to_string(ExplainLimits::kContextValuesPerKeyMax) + " of them");
    }
    std::vector<std::string> values;
    for (const json& item : value) {
      if (!is_scalar(item)) {
        return invalid("context." + key + " must hold only strings, numbers or booleans");
      }
      values.push_back(scalar_text(item));
    }
    ctx.set_multi(key, std::move(values));
  }
  return sim::ok_status();
}

json ref_json(const StatementRef& ref) {
  const Statement& st = ref.statement();
  json j;
  j["side"] = std::string(to_string(ref.side));
  j["policy"] = ref.policy->name();
  j["statement"] = ref.index;
  if (!st.sid.empty()) {
    j["sid"] = st.sid;
  }
  j["effect"] = std::string(to_string(st.effect));
  return j;
}

json trace_json(const StatementTrace& t) {
  json j = ref_json(t.ref);
  j["applies"] = t.result.applies;
  json matches;
  matches["action"] = t.result.action;
  matches["resource"] = t.result.resource;
  if (t.ref.side == Side::kResource) {
    matches["principal"] = std::string(to_string(t.result.principal));
  }
  matches["conditions"] = t.result.conditions;
  j["matches"] = std::move(matches);
  if (!t.failed_condition.empty()) {
    j["failedCondition"] = t.failed_condition;
  }
  return j;
}

json fix_json(const Fix& f) {
  json j;
  j["kind"] = std::string(to_string(f.kind));
  j["side"] = std::string(to_string(f.side));
  j["policyOf"] = f.policy_of;
  if (!f.policy_description.empty()) {
    j["policy"] = f.policy_description;
  }
  if (!f.policy_name.empty()) {
    j["policyName"] = f.policy_name;
  }
  if (!f.statement_label.empty()) {
    j["statementLabel"] = f.statement_label;
  }
  if (!f.principal.empty()) {
    j["principal"] = json::object({{f.principal_key, f.principal}});
  }
  const json statement = json::parse(f.statement_json, nullptr, false);
  if (!statement.is_discarded()) {
    j["statement"] = statement;
  }
  if (!f.near_miss.empty()) {
    j["nearMiss"] = f.near_miss;
  }
  j["text"] = f.text;
  return j;
}

json answer_json(const Explanation& e, const RequestContext& ctx, const PolicySet& set) {
  const Decision& d = e.decision;
  const api::Principal& p = ctx.principal();
  json explanation;
  explanation["summary"] = e.summary;
  if (d.allowed()) {
    explanation["allowedBy"] = std::string(to_string(d.basis));
  } else {
    explanation["reason"] = std::string(to_string(d.reason));
  }
  explanation["crossAccount"] = d.cross_account;
  json principal;
  principal["arn"] = p.arn;
  principal["type"] = std::string(api::to_string(p.kind));
  if (!p.account.empty()) {
    principal["account"] = p.account.str();
    principal["principalArn"] = p.principal_arn();
  }
  explanation["principal"] = std::move(principal);
  explanation["action"] = ctx.action();
  explanation["resource"] = ctx.resource();
  explanation["resourceAccount"] = ctx.resource_account();
  if (set.resource != nullptr) {
    json resource_policy;
    resource_policy["kind"] = std::string(to_string(set.resource->kind()));
    resource_policy["grant"] = std::string(to_string(d.resource_grant));
    explanation["resourcePolicy"] = std::move(resource_policy);
  }
  json deciding = json::array();
  if (d.deny.has_value()) {
    deciding.push_back(ref_json(*d.deny));
  } else {
    for (const auto* ref : {&d.scp_allow,
                            &d.resource_allow,
                            &d.identity_allow,
                            &d.boundary_allow,
                            &d.session_allow}) {
      if (ref->has_value()) {
        deciding.push_back(ref_json(**ref));
      }
    }
  }
  explanation["decidingStatements"] = std::move(deciding);
  json statements = json::array();
  for (const StatementTrace& t : e.statements) {
    statements.push_back(trace_json(t));
  }
  explanation["statements"] = std::move(statements);
  json fixes = json::array();
  for (const Fix& f : e.fixes) {
    fixes.push_back(fix_json(f));
  }
  explanation["fixes"] = std::move(fixes);

  json out;
  out["decision"] = std::string(to_string(d.outcome));
  out["message"] = e.message;
  out["explanation"] = std::move(explanation);
  return out;
}

}  // namespace

json error_json(const sim::AwsError& error) {
  json inner;
  inner["code"] = error.code;
  inner["message"] = error.message;
  json out;
  out["error"] = std::move(inner);
  return out;
}

sim::Result<json> explain_request(const json& request) {
  if (!request.is_object()) {
    return invalid("the request must be a JSON object");
  }
  if (!json_depth_within(request, ExplainLimits::kRequestDepthMax)) {
    return invalid("the request nests deeper than "
                   + std::to_string(ExplainLimits::kRequestDepthMax) + " levels");
  }
  for (const auto& [key, value] : request.items()) {
    bool known = false;
    for (const std::string_view k : kRequestKeys) {
      known = known || k == key;
    }
    if (!known) {
      return invalid("unknown field \"" + key + "\"");
    }
  }

  sim::Result<api::Principal> principal = parse_principal(request);
  if (!principal.ok()) {
    return principal.error();
  }
  const json* action = field(request, "action");
  if (action == nullptr || !action->is_string()
      || action->get_ref<const std::string&>().find(':') == std::string::npos) {
    return invalid("action is required and looks like service:Action (kms:Decrypt)");
  }
  sim::Result<std::string> resource = optional_string(request, "resource", "*");
  if (!resource.ok()) {
    return resource.error();
  }
  sim::Result<std::string> resource_account = optional_string(request, "resourceAccount", "");
  if (!resource_account.ok()) {
    return resource_account.error();
  }
  if (!resource_account->empty()) {
    if (!api::AccountId::is_valid(*resource_account)) {
      return invalid("resourceAccount must be a 12-digit account id");
    }
    std::array<std::string_view, ArnPattern::kSegments> parts{};
    if (split_arn(*resource, parts) && !parts[4].empty() && parts[4] != *resource_account) {
      return invalid("resourceAccount " + *resource_account + " differs from the account in "
                     + *resource);
    }
  }

  PolicyStore store;
  PolicySet set;
  if (const json* v = field(request, "identityPolicies"); v != nullptr) {
    sim::Status s =
        load_list(store, *v, "identityPolicies", PolicyKind::kIdentity, true, set.identity);
    if (!s.ok()) {
      return s.error();
    }
  }
  const json* resource_policy = field(request, "resourcePolicy");
  const json* trust_policy = field(request, "trustPolicy");
  sim::Result<std::string> kind_name = optional_string(request, "resourcePolicyKind", "");
  if (!kind_name.ok()) {
    return kind_name.error();
  }
  if (resource_policy != nullptr && trust_policy != nullptr) {
    return invalid("give either resourcePolicy or trustPolicy, not both");
  }
  PolicyKind resource_kind = PolicyKind::kResource;
  if (*kind_name == "key") {
    resource_kind = PolicyKind::kKey;
  } else if (*kind_name == "trust") {
    resource_kind = PolicyKind::kTrust;
  } else if (!kind_name->empty() && *kind_name != "resource") {
    return invalid("resourcePolicyKind must be \"resource\", \"key\" or \"trust\"");
  }
  if (trust_policy != nullptr) {
    if (!kind_name->empty() && resource_kind != PolicyKind::kTrust) {
      return invalid(
          "trustPolicy is a trust policy; resourcePolicyKind must be \"trust\" or absent");
    }
    sim::Result<const Policy*> p =
        store.load(*trust_policy, "trustPolicy", PolicyKind::kTrust, "trustPolicy");
    if (!p.ok()) {
      return p.error();
    }
    set.resource = *p;
  } else if (resource_policy != nullptr) {
    const std::string name = resource_kind == PolicyKind::kKey ? "keyPolicy" : "resourcePolicy";
    sim::Result<const Policy*> p =
        store.load(*resource_policy, "resourcePolicy", resource_kind, name);
    if (!p.ok()) {
      return p.error();
    }
    set.resource = *p;
  } else if (!kind_name->empty()) {
    return invalid("resourcePolicyKind needs a resourcePolicy");
  }
  if (const json* v = field(request, "permissionBoundaries"); v != nullptr) {
    sim::Status s = load_list(store,
                              *v,
                              "permissionBoundaries",
                              PolicyKind::kPermissionsBoundary,
                              false,
                              set.permissions_boundary);
    if (!s.ok()) {
      return s.error();
    }
  }
  if (const json* v = field(request, "sessionPolicy"); v != nullptr) {
    sim::Result<const Policy*> p =
        store.load(*v, "sessionPolicy", PolicyKind::kSession, "sessionPolicy");
    if (!p.ok()) {
      return p.error();
    }
    set.session.push_back(*p);
  }
  if (const json* v = field(request, "serviceControlPolicies"); v != nullptr) {
    if (!v->is_array()) {
      return invalid("serviceControlPolicies must be a list of policies, or a list of levels");
    }
    const bool levels = !v->empty() && v->front().is_array();
    if (levels) {
      if (v->size() > ExplainLimits::kServiceControlLevelsMax) {
        return invalid("serviceControlPolicies has more than "
                       + std::to_string(ExplainLimits::kServiceControlLevelsMax) + " levels");
      }
      for (std::size_t i = 0; i < v->size(); ++i) {
        std::vector<const Policy*> level;
        sim::Status s = load_list(store,
                                  (*v)[i],
                                  "serviceControlPolicies[" + std::to_string(i) + "]",
                                  PolicyKind::kServiceControl,
                                  true,
                                  level);
        if (!s.ok()) {
          return s.error();
        }
        set.service_control.push_back(std::move(level));
      }
    } else if (!v->empty()) {
      std::vector<const Policy*> level;
      sim::Status s =
          load_list(store, *v, "serviceControlPolicies", PolicyKind::kServiceControl, true, level);
      if (!s.ok()) {
        return s.error();
      }
      set.service_control.push_back(std::move(level));
    }
  }

  RequestContext ctx(std::move(principal).value(),
                     action->get_ref<const std::string&>(),
                     *resource,
                     *resource_account);
  sim::Status s = fill_context(request, ctx);
  if (!s.ok()) {
    return s.error();
  }
  const Explanation e = explain(set, ctx);
  return answer_json(e, ctx, set);
}

std::string explain_line(std::string_view line) {
  if (line.size() > ExplainLimits::kLineBytesMax) {
    return dump_json(error_json(invalid(
        "the request is longer than " + std::to_string(ExplainLimits::kLineBytesMax) + " bytes")));
  }
  const JsonCheck check = check_json_text(line, ExplainLimits::kRequestDepthMax);
  if (!check.ok) {
    return dump_json(error_json(invalid("the request is not valid JSON: " + check.message)));
  }
  const json request = json::parse(line, nullptr, false);
  if (request.is_discarded()) {
    return dump_json(error_json(invalid("the request is not valid JSON")));
  }
  sim::Result<json> answer = explain_request(request);
  if (!answer.ok()) {
    return dump_json(error_json(answer.error()));
  }
  return dump_json(*answer);
}

}  // namespace ibsim::mock_aws::policy
