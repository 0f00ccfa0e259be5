#include "src/cli/explain_command.h"

#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "mock_aws/api/arn.h"
#include "mock_aws/api/ids.h"
#include "mock_aws/iam/iam_model.h"
#include "mock_aws/policy/explain_json.h"
#include "mock_aws/policy/json_check.h"
#include "mock_aws/services/world.h"
#include "sim/context.h"
#include "src/scenario/world_loader.h"

namespace ibsim::cli {

const std::string_view kExplainUsage = R"(Usage:
  ibsim explain [--jsonl] < request.json
  ibsim explain --world FILE --principal ARN --action ACTION [--resource ARN]
                [--resource-account ID] [--context KEY=VALUE ...]

Explains one IAM authorization decision: Allow, ExplicitDeny or ImplicitDeny, AWS's
AccessDenied message, the statements that decided, a trace of every statement, and the fixes
(the statement to add, or the deny to remove).

From stdin: a JSON request as documented in docs/policy.md ("identityPolicies",
"resourcePolicy", "trustPolicy", "permissionBoundaries", "sessionPolicy",
"serviceControlPolicies", "principal", "action", "resource", "resourceAccount", "context").
With --jsonl, one request per line and one compact answer per line; a malformed line gets
{"error": {...}} and the run still answers every other line.

Against a world file (docs/world-format.md): the principal's identity policies, permissions
boundary, tags and its account's SCPs come from the world. The principal is a user, role (a
session of it), assumed-role session or root ARN, an account id, or a service principal.
For sts:AssumeRole on a role of the world, the role's trust policy is the resource policy.

Options:
  --jsonl                 one request per line on stdin, one answer per line
  --world FILE            answer against this world file
  --principal ARN         who asks (with --world)
  --action ACTION         service:Action, e.g. kms:Decrypt (with --world)
  --resource ARN          the resource (default "*")
  --resource-account ID   owner of an ARN without an account (EC2 images)
  --context KEY=VALUE     a condition key; repeat a key for a multivalued key

Examples:
  echo '{"principal": "arn:aws:iam::111122223333:user/bob", "action": "kms:Decrypt",
         "identityPolicies": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
         "Action": "kms:*", "Resource": "*"}]}]}' | ibsim explain
  ibsim explain --jsonl < requests.jsonl > answers.jsonl
  ibsim explain --world world.json \
      --principal arn:aws:iam::111122223333:role/aws-service-role/imagebuilder.amazonaws.com/AWSServiceRoleForImageBuilder \
      --action sts:AssumeRole \
      --resource arn:aws:iam::444455556666:role/EC2ImageBuilderDistributionCrossAccountRole
  ibsim explain --world world.json --principal arn:aws:iam::111122223333:user/pipeline \
      --action ec2:CreateTags --resource arn:aws:ec2:us-east-1:111122223333:launch-template/lt-1 \
      --context aws:RequestTag/CreatedBy="EC2 Image Builder" --context aws:TagKeys=CreatedBy

Exit status: 0 when every request was answered (whatever the decision), 2 on bad usage,
a malformed request or world file (with --jsonl: after answering the other lines).
)";

namespace {

using Json = nlohmann::json;
namespace api = mock_aws::api;
namespace iam = mock_aws::iam;
namespace policy = mock_aws::policy;

constexpr std::size_t kRequestBytesMax = policy::ExplainLimits::kLineBytesMax;
constexpr std::size_t kContextFlagsMax = policy::ExplainLimits::kContextKeysMax;
constexpr std::size_t kReadChunkBytes = 64 * 1024;

struct Options {
  bool jsonl = false;
  std::string world;
  std::string principal;
  std::string action;
  std::string resource = "*";
  std::string resource_account;
  std::vector<std::pair<std::string, std::string>> context;
};

void print_line(const std::string& text) {
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
}

std::string pretty(const Json& j) {
  return j.dump(2, ' ', false, Json::error_handler_t::replace);
}

int usage_error(const std::string& message) {
  std::fprintf(stderr, "ibsim explain: %s (see `ibsim explain --help`)\n", message.c_str());
  return 2;
}

std::optional<std::string> parse_args(std::span<const std::string> args, Options& o) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const auto value = [&](std::string& out) -> std::optional<std::string> {
      if (i + 1 >= args.size()) {
        return a + " needs a value";
      }
      out = args[++i];
      return std::nullopt;
    };
    std::optional<std::string> error;
    if (a == "--jsonl") {
      o.jsonl = true;
    } else if (a == "--world") {
      error = value(o.world);
    } else if (a == "--principal") {
      error = value(o.principal);
    } else if (a == "--action") {
      error = value(o.action);
    } else if (a == "--resource") {
      error = value(o.resource);
    } else if (a == "--resource-account") {
      error = value(o.resource_account);
    } else if (a == "--context") {
      std::string kv;
      error = value(kv);
      if (!error) {
        const std::size_t eq = kv.find('=');
        if (eq == std::string::npos || eq == 0) {
          return "--context takes KEY=VALUE, got '" + kv + "'";
        }
        if (o.context.size() >= kContextFlagsMax) {
          return "at most " + std::to_string(kContextFlagsMax) + " --context values";
        }
        o.context.emplace_back(kv.substr(0, eq), kv.substr(eq + 1));
      }
    } else {
      return "unknown option '" + a + "'";
    }
    if (error) {
      return error;
    }
  }
  const bool world_mode = !o.world.empty();
  if (world_mode && o.jsonl) {
    return "--jsonl reads requests from stdin; it does not combine with --world";
  }
  if (!world_mode
      && (!o.principal.empty() || !o.action.empty() || o.resource != "*"
          || !o.resource_account.empty() || !o.context.empty())) {
    return "--principal, --action, --resource, --resource-account and --context need --world";
  }
  if (world_mode && (o.principal.empty() || o.action.empty())) {
    return "--world needs --principal and --action";
  }
  return std::nullopt;
}

// Reads stdin up to `max` bytes; nullopt when there is more.
std::optional<std::string> read_all_stdin(std::size_t max) {
  std::string text;
  char buffer[kReadChunkBytes];
  std::size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof(buffer), stdin)) > 0) {
    text.append(buffer, n);
    if (text.size() > max) {
      return std::nullopt;
    }
  }
  return text;
}

// Reads one line of stdin (without its newline) into `line`; false at end of input. A line
// longer than `max` is consumed to its end and reported with `too_long`.
bool read_line(std::string& line, bool& too_long, std::size_t max) {
  line.clear();
  too_long = false;
  bool any = false;
  int c = 0;
  while ((c = std::fgetc(stdin)) != EOF) {
    any = true;
    if (c == '\n') {
      return true;
    }
    if (line.size() < max + 1) {
      line.push_back(static_cast<char>(c));
    } else {
      too_long = true;
    }
  }
  return any;
}

bool is_blank(const std::string& line) {
  return line.find_first_not_of(" \t\r") == std::string::npos;
}

int run_stdin_single() {
  const std::optional<std::string> text = read_all_stdin(kRequestBytesMax);
  if (!text.has_value()) {
    print_line(pretty(policy::error_json(sim::aws_error(
        "InvalidInput",
        "the request is longer than " + std::to_string(kRequestBytesMax) + " bytes"))));
    return 2;
  }
  const std::string answer = policy::explain_line(*text);
  const Json j = Json::parse(answer, nullptr, false);
  print_line(j.is_discarded() ? answer : pretty(j));
  return !j.is_discarded() && j.contains("error") ? 2 : 0;
}

int run_stdin_jsonl() {
  std::string line;
  bool too_long = false;
  bool failed = false;
  while (read_line(line, too_long, kRequestBytesMax)) {
    if (!too_long && is_blank(line)) {
      continue;
    }
    std::string answer;
    if (too_long) {
      answer = policy::dump_json(policy::error_json(sim::aws_error(
          "InvalidInput",
          "the request is longer than " + std::to_string(kRequestBytesMax) + " bytes")));
    } else {
      answer = policy::explain_line(line);
    }
    failed = failed || answer.starts_with("{\"error\"");
    print_line(answer);
  }
  return failed ? 2 : 0;
}

// --- against a world ----------------------------------------------------------------------------

sim::AwsError invalid(std::string message) {
  return sim::aws_error("InvalidInput", std::move(message));
}

Json named_policy(const std::string& name, const std::string& text) {
  return Json{{"name", name}, {"policy", text}};
}

// Identity policies (inline "inline:NAME", attached by ARN), the boundary and tags of an entity.
template <typename Entity>
void add_entity_policies(const iam::IamModel& model, const Entity& e, Json& request) {
  Json identity = Json::array();
  for (const auto& [name, doc] : e.inline_policies) {
    identity.push_back(named_policy("inline:" + name, doc.text));
  }
  for (const std::string& arn : e.attached_policies) {
    if (const iam::ManagedPolicyRecord* p = model.find_managed_policy(arn)) {
      identity.push_back(named_policy(arn, p->default_version().document.text));
    }
  }
  request["identityPolicies"] = std::move(identity);
  if (!e.permissions_boundary_arn.empty()) {
    if (const iam::ManagedPolicyRecord* p = model.find_managed_policy(e.permissions_boundary_arn)) {
      request["permissionBoundaries"] = Json::array({p->default_version().document.text});
    }
  }
  Json tags = Json::object();
  for (const api::iam::Tag& t : e.tags) {
    tags[t.key] = t.value;
  }
  if (!tags.empty()) {
    request["principalTags"] = std::move(tags);
  }
}

// Fills the principal's side of the request from the world; the principal's account (if any).
sim::Result<std::optional<api::AccountId>> add_principal(const mock_aws::services::World& world,
                                                         const std::string& principal,
                                                         Json& request) {
  const iam::IamModel& model = world.iam();
  request["principal"] = principal;
  const auto require_account = [&](std::string_view id) -> sim::Result<api::AccountId> {
    if (!api::AccountId::is_valid(id)) {
      return invalid("principal " + principal + " does not name a 12-digit account");
    }
    const api::AccountId account = api::AccountId::from_valid(id);
    if (!model.has_account(account)) {
      return invalid("account " + account.str() + " of principal " + principal
                     + " is not in the world");
    }
    return account;
  };
  if (principal == "anonymous" || principal == "*") {
    return std::optional<api::AccountId>();
  }
  if (api::AccountId::is_valid(principal)) {
    sim::Result<api::AccountId> account = require_account(principal);
    if (!account.ok()) {
      return account.error();
    }
    return std::optional<api::AccountId>(*account);
  }
  if (!principal.starts_with("arn:")) {
    return std::optional<api::AccountId>();  // A service principal: no policies of its own.
  }
  sim::Result<api::Arn> arn = api::parse_arn(principal);
  if (!arn.ok()) {
    return invalid("principal " + principal + " is not a valid ARN");
  }
  sim::Result<api::AccountId> account = require_account(arn->account);
  if (!account.ok()) {
    return account.error();
  }
  const std::string& res = arn->resource;
  if (arn->service == "iam" && res == "root") {
    // The root: no identity policies needed in its own account.
  } else if (arn->service == "iam" && res.starts_with("user/")) {
    const iam::UserRecord* user = model.find_user_by_arn(principal);
    if (user == nullptr) {
      return invalid("user " + principal + " is not in the world");
    }
    add_entity_policies(model, *user, request);
    request["principalUniqueId"] = user->user_id;
  } else if (arn->service == "iam" && res.starts_with("role/")) {
    const iam::RoleRecord* role = model.find_role_by_arn(principal);
    if (role == nullptr) {
      return invalid("role " + principal + " is not in the world (the path is part of the ARN)");
    }
    add_entity_policies(model, *role, request);
    request["rolePath"] = role->path;
    request["principalUniqueId"] = role->role_id;
  } else if (arn->service == "sts" && res.starts_with("assumed-role/")) {
    const std::string_view rest = std::string_view(res).substr(13);
    const std::string role_name(rest.substr(0, rest.find('/')));
    const iam::RoleRecord* role = model.find_role(*account, role_name);
    if (role == nullptr) {
      return invalid("role " + role_name + " of session " + principal + " is not in the world");
    }
    add_entity_policies(model, *role, request);
    request["rolePath"] = role->path;
    request["principalUniqueId"] = role->role_id;
  } else {
    return invalid("principal " + principal + " is not a user, role, assumed-role or root ARN");
  }
  return std::optional<api::AccountId>(*account);
}

void add_service_control_policies(const mock_aws::services::World& world,
                                  const std::optional<api::AccountId>& account,
                                  Json& request) {
  if (!account.has_value()) {
    return;
  }
  const auto& levels = world.authorizer().service_control_policies(*account);
  if (levels.empty()) {
    return;
  }
  Json out = Json::array();
  for (const auto& level : levels) {
    Json texts = Json::array();
    for (const iam::PolicyDocument& p : level) {
      texts.push_back(p.text);
    }
    out.push_back(std::move(texts));
  }
  request["serviceControlPolicies"] = std::move(out);
}

bool is_assume_role(std::string_view action) {
  std::string lower(action);
  for (char& c : lower) {
    c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  return lower == "sts:assumerole";
}

// The ARN AWS's messages print for a principal: a role stands for one of its sessions (named as
// policy::explain_request names it).
std::string caller_arn(const std::string& principal) {
  sim::Result<api::Arn> arn = api::parse_arn(principal);
  if (!arn.ok() || arn->service != "iam" || !arn->resource.starts_with("role/")
      || !api::AccountId::is_valid(arn->account)) {
    return principal;
  }
  return api::assumed_role_arn(
      api::AccountId::from_valid(arn->account), arn->resource_name(), "ibsim-explain");
}

// The answer for sts:AssumeRole on a role the world does not have: AccessDenied, as STS says.
Json missing_role_answer(const std::string& principal, const std::string& role_arn) {
  Json explanation;
  explanation["summary"] = "The role " + role_arn
                           + " does not exist in the world. STS answers AccessDenied for a role "
                             "that does not exist, exactly as for a trust policy that does not "
                             "allow the caller.";
  explanation["reason"] = "RoleDoesNotExist";
  explanation["action"] = "sts:AssumeRole";
  explanation["resource"] = role_arn;
  explanation["decidingStatements"] = Json::array();
  explanation["fixes"] =
      Json::array({Json{{"kind", "CreateRole"},
                        {"policyOf", role_arn},
                        {"text",
                         "Create the role " + role_arn
                             + " (path and name exactly as in the ARN) with a trust "
                               "policy that allows "
                             + principal + " to call sts:AssumeRole."}}});
  Json out;
  out["decision"] = "ImplicitDeny";
  out["message"] = "User: " + caller_arn(principal)
                   + " is not authorized to perform: sts:AssumeRole on resource: " + role_arn;
  out["explanation"] = std::move(explanation);
  return out;
}

// The resource side from the world: a role's trust policy for sts:AssumeRole. KMS key policies
// join here when the KMS model is part of the world. Returns an answer when there is nothing to
// evaluate (the role does not exist).
std::optional<Json> add_resource(const mock_aws::services::World& world,
                                 const Options& o,
                                 Json& request) {
  request["resource"] = o.resource;
  if (!o.resource_account.empty()) {
    request["resourceAccount"] = o.resource_account;
  }
  if (!is_assume_role(o.action) || !o.resource.starts_with("arn:aws:iam::")
      || o.resource.find(":role/") == std::string::npos) {
    return std::nullopt;
  }
  if (const iam::RoleRecord* role = world.iam().find_role_by_arn(o.resource)) {
    request["trustPolicy"] = role->trust.text;
    return std::nullopt;
  }
  return missing_role_answer(o.principal, o.resource);
}

void add_context(const Options& o, Json& request) {
  if (o.context.empty()) {
    return;
  }
  Json context = Json::object();
  for (const auto& [key, value] : o.context) {
    if (!context.contains(key)) {
      context[key] = value;
    } else if (context[key].is_array()) {
      context[key].push_back(value);
    } else {
      context[key] = Json::array({context[key], value});
    }
  }
  request["context"] = std::move(context);
}

int run_world(const Options& o) {
  sim::Context ctx;
  mock_aws::services::World world(ctx);
  if (auto s = scenario::load_world_file(o.world, world); !s.ok()) {
    std::fprintf(stderr, "ibsim explain: %s\n", s.error().message.c_str());
    return 2;
  }
  Json request = Json::object();
  request["action"] = o.action;
  sim::Result<std::optional<api::AccountId>> account = add_principal(world, o.principal, request);
  if (!account.ok()) {
    print_line(pretty(policy::error_json(account.error())));
    return 2;
  }
  add_service_control_policies(world, *account, request);
  add_context(o, request);
  if (std::optional<Json> answer = add_resource(world, o, request)) {
    print_line(pretty(*answer));
    return 0;
  }
  sim::Result<Json> answer = policy::explain_request(request);
  if (!answer.ok()) {
    print_line(pretty(policy::error_json(answer.error())));
    return 2;
  }
  print_line(pretty(*answer));
  return 0;
}

}  // namespace

int run_explain(std::span<const std::string> args) {
  Options o;
  if (std::optional<std::string> error = parse_args(args, o)) {
    return usage_error(*error);
  }
  if (!o.world.empty()) {
    return run_world(o);
  }
  return o.jsonl ? run_stdin_jsonl() : run_stdin_single();
}

}  // namespace ibsim::cli
