#include "mock_aws/policy/policy.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "mock_aws/api/arn.h"
#include "mock_aws/api/ids.h"
#include "mock_aws/policy/json_check.h"
#include "mock_aws/policy/text.h"

namespace ibsim::mock_aws::policy {
namespace {

using json = nlohmann::json;

constexpr std::string_view kVersion2012 = "2012-10-17";
constexpr std::string_view kVersion2008 = "2008-10-17";

// Actions a trust policy may name (sts:AssumeRole family and the session-tagging companions).
constexpr std::string_view kTrustActions[] = {
    "assumerole",
    "assumerolewithsaml",
    "assumerolewithwebidentity",
    "tagsession",
    "setsourceidentity",
    "setcontext",
};

sim::AwsError malformed(std::string message) {
  return sim::aws_error("MalformedPolicyDocument", std::move(message));
}

bool is_identity_like(PolicyKind kind) {
  return !is_resource_kind(kind);
}

// IAM's own policy kinds require alphanumeric, unique Sids; KMS and other services allow spaces.
// Unconfirmed: that trust and session policies follow IAM's Sid rules too.
bool iam_sid_rules(PolicyKind kind) {
  return kind == PolicyKind::kIdentity || kind == PolicyKind::kPermissionsBoundary
         || kind == PolicyKind::kSession || kind == PolicyKind::kTrust;
}

// Characters counted against the size quota: everything except whitespace outside strings
// (IAM does not count whitespace). Deviation from AWS: ibsim counts bytes, so non-ASCII text
// weighs more than in IAM.
std::size_t quota_chars(std::string_view text) {
  std::size_t count = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    if (in_string) {
      ++count;
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      continue;
    }
    if (c == '"') {
      in_string = true;
    }
    ++count;
  }
  return count;
}

// Deviation from AWS: only PolicySize and ACLSizePerRole are IAM's quota names; the others are
// ibsim's labels (callers such as KMS re-map the error).
std::string quota_name(PolicyKind kind) {
  switch (kind) {
    case PolicyKind::kTrust:
      return "ACLSizePerRole";
    case PolicyKind::kIdentity:
    case PolicyKind::kPermissionsBoundary:
      return "PolicySize";
    case PolicyKind::kSession:
      return "SessionPolicySize";
    case PolicyKind::kKey:
      return "KeyPolicySize";
    case PolicyKind::kResource:
      return "ResourcePolicySize";
    case PolicyKind::kServiceControl:
      return "ServiceControlPolicySize";
  }
  return "PolicySize";
}

bool is_alnum(std::string_view s) {
  for (const char c : s) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!ok) {
      return false;
    }
  }
  return true;
}

bool has_wildcard(std::string_view s) {
  return s.find_first_of("*?") != std::string_view::npos;
}

struct ParsedPolicy {
  std::string version;
  std::string id;
  std::vector<Statement> statements;
};

// Walks one document; every error names the element it is about. Deviation from AWS: IAM's
// messages are terser ("Syntax errors in policy."); ibsim keeps IAM's sentence where one is known
// and prefixes the element path (Statement[1].Effect, 0-based), so the mistake can be found.
class Parser {
 public:
  explicit Parser(PolicyKind kind) : kind_(kind) {}

  sim::Status parse(const json& doc, ParsedPolicy& policy);

 private:
  sim::Status parse_statement(const json& st, std::uint32_t index, Statement& out);
  sim::Status read_strings(const json& v,
                           const std::string& path,
                           bool scalars,
                           std::vector<std::string>& out);
  sim::Status parse_actions(const json& v, const std::string& path, Statement& out);
  sim::Status parse_resources(const json& v, const std::string& path, Statement& out);
  sim::Status parse_principal(const json& v, const std::string& path, PrincipalSpec& out);
  sim::Status parse_conditions(const json& v, const std::string& path, Statement& out);

  PolicyKind kind_;
  bool variables_ = false;
  std::set<std::string> sids_;
};

sim::Status Parser::read_strings(const json& v,
                                 const std::string& path,
                                 bool scalars,
                                 std::vector<std::string>& out) {
  auto one = [&](const json& item) -> sim::Status {
    if (item.is_string()) {
      out.push_back(item.get_ref<const std::string&>());
      return sim::ok_status();
    }
    if (scalars && item.is_boolean()) {
      out.push_back(item.get<bool>() ? "true" : "false");
      return sim::ok_status();
    }
    if (scalars && item.is_number()) {
      out.push_back(dump_json(item));
      return sim::ok_status();
    }
    return malformed(path + " must be " + (scalars ? "a string, number or boolean" : "a string")
                     + " or a list of them, not " + std::string(item.type_name()));
  };
  if (v.is_array()) {
    if (v.empty()) {
      return malformed(path + " must not be an empty list");
    }
    if (v.size() > PolicyLimits::kValuesPerElementMax) {
      return malformed(path + " has more than " + std::to_string(PolicyLimits::kValuesPerElementMax)
                       + " values");
    }
    for (const json& item : v) {
      sim::Status s = one(item);
      if (!s.ok()) {
        return s;
      }
    }
    return sim::ok_status();
  }
  return one(v);
}

sim::Status Parser::parse_actions(const json& v, const std::string& path, Statement& out) {
  std::vector<std::string> texts;
  sim::Status s = read_strings(v, path, false, texts);
  if (!s.ok()) {
    return s;
  }
  for (const std::string& text : texts) {
    ActionPattern a;
    a.text = text;
    if (text == "*") {
      // Unconfirmed: "Action": "*" in a trust policy is rejected like any non-STS action.
      if (kind_ == PolicyKind::kTrust) {
        return malformed(path + ": AssumeRole policy may only specify STS AssumeRole actions.");
      }
      a.any = true;
      out.actions.push_back(std::move(a));
      continue;
    }
    const std::size_t colon = text.find(':');
    const std::string_view prefix =
        colon == std::string::npos ? std::string_view() : std::string_view(text).substr(0, colon);
    const std::string_view name =
        colon == std::string::npos ? std::string_view() : std::string_view(text).substr(colon + 1);
    bool valid = !prefix.empty() && !name.empty();
    for (const char c : prefix) {
      valid =
          valid
          && (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '*' || c == '?');
    }
    for (const char c : name) {
      valid = valid
              && (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '*' || c == '?'
                  || c == '-' || c == '_' || c == '.');
    }
    if (!valid) {
      return malformed(path + ": " + quote(text)
                       + " is not an action: Actions/Conditions must be prefaced by a vendor, "
                         "e.g., iam, sdb, ec2, etc.");
    }
    // Unconfirmed: '?' in an Action is one character, as in Resource (AWS documents only '*').
    const std::string lower = to_lower_ascii(text);
    const std::string_view lower_prefix = std::string_view(lower).substr(0, colon);
    const std::string_view lower_name = std::string_view(lower).substr(colon + 1);
    if (has_wildcard(lower_prefix)) {
      a.pattern = Pattern::compile(lower, {.wildcards = true});
    } else {
      a.service = std::string(lower_prefix);
      a.pattern = Pattern::compile(lower_name, {.wildcards = true});
    }
    if (kind_ == PolicyKind::kTrust) {
      bool sts_action = a.service == "sts";
      if (sts_action) {
        sts_action = false;
        for (const std::string_view allowed : kTrustActions) {
          sts_action = sts_action || a.pattern.match_plain(allowed);
        }
      }
      if (!sts_action) {
        return malformed(path + ": " + quote(text)
                         + ": AssumeRole policy may only specify STS AssumeRole actions.");
      }
    }
    out.actions.push_back(std::move(a));
  }
  return sim::ok_status();
}

sim::Status Parser::parse_resources(const json& v, const std::string& path, Statement& out) {
  std::vector<std::string> texts;
  sim::Status s = read_strings(v, path, false, texts);
  if (!s.ok()) {
    return s;
  }
  for (const std::string& text : texts) {
    if (text != "*" && !text.starts_with("arn:")) {
      return malformed(path + ": Resource " + text + " must be in ARN format or \"*\".");
    }
    out.resources.push_back(ArnPattern::compile(text, variables_, false));
  }
  return sim::ok_status();
}

sim::Status Parser::parse_principal(const json& v, const std::string& path, PrincipalSpec& out) {
  auto invalid = [&](std::string_view type_key, const std::string& text, std::string_view why) {
    return malformed(path + ": Invalid principal in policy: \"" + std::string(type_key)
                     + "\":" + quote(text) + " (" + std::string(why) + ")");
  };
  if (v.is_string()) {
    const std::string& text = v.get_ref<const std::string&>();
    if (text != "*") {
      return invalid("*", text, "a bare string Principal must be \"*\"");
    }
    out.entries.push_back(PrincipalEntry{PrincipalEntryKind::kEveryone, "*", "*", "*"});
    return sim::ok_status();
  }
  if (!v.is_object() || v.empty()) {
    return malformed(path + " must be \"*\" or an object with AWS, Service, Federated or "
                            "CanonicalUser");
  }
  for (const auto& [type_key, value] : v.items()) {
    std::vector<std::string> texts;
    sim::Status s = read_strings(value, path + "." + type_key, false, texts);
    if (!s.ok()) {
      return s;
    }
    for (const std::string& text : texts) {
      PrincipalEntry e;
      e.type_key = type_key;
      e.text = text;
      e.value = text;
      if (type_key == "AWS") {
        if (text == "*") {
          e.kind = PrincipalEntryKind::kEveryone;
        } else if (has_wildcard(text)) {
          return invalid(type_key, text, "partial wildcards are not allowed in principals");
        } else if (api::AccountId::is_valid(text)) {
          e.kind = PrincipalEntryKind::kAccount;
        } else if (text.starts_with("arn:")) {
          sim::Result<api::Arn> arn = api::parse_arn(text);
          if (!arn.ok() || !api::AccountId::is_valid(arn->account) || !arn->region.empty()) {
            return invalid(type_key, text, "not an account, user, role or session ARN");
          }
          const std::string& res = arn->resource;
          if (arn->service == "iam" && res == "root") {
            e.kind = PrincipalEntryKind::kAccount;
            e.value = arn->account;
          } else if (arn->service == "iam" && res.starts_with("user/") && res.size() > 5) {
            e.kind = PrincipalEntryKind::kUser;
          } else if (arn->service == "iam" && res.starts_with("role/") && res.size() > 5) {
            e.kind = PrincipalEntryKind::kRole;
          } else if (arn->service == "sts" && res.starts_with("assumed-role/")
                     && std::count(res.begin(), res.end(), '/') == 2 && !res.ends_with("/")) {
            e.kind = PrincipalEntryKind::kSession;
          } else if (arn->service == "sts" && res.starts_with("federated-user/")
                     && res.size() > 15) {
            e.kind = PrincipalEntryKind::kFederatedUser;
          } else {
            return invalid(type_key, text, "not an account, user, role or session ARN");
          }
        } else if ((text.starts_with("AIDA") || text.starts_with("AROA")) && text.size() >= 16
                   && text.size() <= 128 && is_alnum(text)) {
          e.kind = PrincipalEntryKind::kUniqueId;
        } else {
          return invalid(type_key, text, "not an account id, ARN or unique id");
        }
      } else if (type_key == "Service") {
        if (has_wildcard(text)) {
          return invalid(type_key, text, "wildcards are not allowed in service principals");
        }
        bool ok = !text.empty() && text.find('.') != std::string::npos;
        for (const char c : text) {
          ok = ok && (std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-');
        }
        if (!ok) {
          return invalid(type_key, text, "a service principal looks like ec2.amazonaws.com");
        }
        e.kind = PrincipalEntryKind::kService;
      } else if (type_key == "Federated" || type_key == "CanonicalUser") {
        if (text.empty() || has_wildcard(text)) {
          return invalid(type_key, text, "wildcards are not allowed in principals");
        }
        e.kind = type_key == "Federated" ? PrincipalEntryKind::kFederated
                                         : PrincipalEntryKind::kCanonicalUser;
      } else {
        return malformed(path + ": unknown principal type \"" + type_key
                         + "\" (expected AWS, Service, Federated or CanonicalUser)");
      }
      out.entries.push_back(std::move(e));
    }
  }
  return sim::ok_status();
}

sim::Status Parser::parse_conditions(const json& v, const std::string& path, Statement& out) {
  if (!v.is_object()) {
    return malformed(path + " must be an object of condition operators");
  }
  for (const auto& [op_name, block] : v.items()) {
    const std::string op_path = path + "." + op_name;
    // Unconfirmed: an empty operator block ({"StringEquals": {}}) is rejected.
    if (!block.is_object() || block.empty()) {
      return malformed(op_path + " must be an object of condition keys and values");
    }
    for (const auto& [key, values] : block.items()) {
      const std::string key_path = op_path + "." + key;
      const std::size_t colon = key.find(':');
      if (colon == std::string::npos || colon == 0 || colon + 1 == key.size()) {
        return malformed(key_path + ": " + quote(key)
                         + " is not a condition key: Actions/Conditions must be prefaced by a "
                           "vendor, e.g., iam, sdb, ec2, etc.");
      }
      if (out.conditions.size() >= PolicyLimits::kConditionsPerStatementMax) {
        return malformed(path + " has more than "
                         + std::to_string(PolicyLimits::kConditionsPerStatementMax)
                         + " condition keys");
      }
      std::vector<std::string> texts;
      sim::Status s = read_strings(values, key_path, true, texts);
      if (!s.ok()) {
        return s;
      }
      sim::Result<Condition> c = Condition::make(op_name, key, std::move(texts), variables_);
      if (!c.ok()) {
        return malformed(path + ": " + c.error().message);
      }
      out.conditions.push_back(std::move(c).value());
    }
  }
  return sim::ok_status();
}

sim::Status Parser::parse_statement(const json& st, std::uint32_t index, Statement& out) {
  const std::string path = "Statement[" + std::to_string(index) + "]";
  if (!st.is_object()) {
    return malformed(path + " must be an object");
  }
  out.index = index;
  out.json = dump_json(st);
  const json* action = nullptr;
  const json* not_action = nullptr;
  const json* resource = nullptr;
  const json* not_resource = nullptr;
  const json* principal = nullptr;
  const json* not_principal = nullptr;
  const json* effect = nullptr;
  const json* condition = nullptr;
  for (const auto& [key, value] : st.items()) {
    if (key == "Sid") {
      if (!value.is_string()) {
        return malformed(path + ".Sid must be a string");
      }
      out.sid = value.get_ref<const std::string&>();
    } else if (key == "Effect") {
      effect = &value;
    } else if (key == "Action") {
      action = &value;
    } else if (key == "NotAction") {
      not_action = &value;
    } else if (key == "Resource") {
      resource = &value;
    } else if (key == "NotResource") {
      not_resource = &value;
    } else if (key == "Principal") {
      principal = &value;
    } else if (key == "NotPrincipal") {
      not_principal = &value;
    } else if (key == "Condition") {
      condition = &value;
    } else {
      return malformed(path + " has an unknown element \"" + key + "\"");
    }
  }
  if (iam_sid_rules(kind_) && !out.sid.empty()) {
    if (!is_alnum(out.sid)) {
      return malformed(path + ".Sid: Statement IDs (SID) must be alpha-numeric. Check that your "
                              "input satisfies the regular expression [0-9A-Za-z]*");
    }
    if (!sids_.insert(out.sid).second) {
      return malformed(path + ".Sid: Statement IDs (SID) in a single policy must be unique.");
    }
  }
  if (effect == nullptr) {
    return malformed(path + " must have an Effect");
  }
  if (!effect->is_string()
      || (effect->get_ref<const std::string&>() != "Allow"
          && effect->get_ref<const std::string&>() != "Deny")) {
    return malformed(path + ".Effect must be \"Allow\" or \"Deny\", not " + dump_json(*effect));
  }
  out.effect = effect->get_ref<const std::string&>() == "Allow" ? Effect::kAllow : Effect::kDeny;

  if (action != nullptr && not_action != nullptr) {
    return malformed(path + " has both Action and NotAction");
  }
  if (action == nullptr && not_action == nullptr) {
    return malformed(path + " must contain Action or NotAction: Policy statement must contain "
                            "actions.");
  }
  if (not_action != nullptr && kind_ == PolicyKind::kTrust) {
    // Unconfirmed: ibsim rejects NotAction in trust policies (IAM allows only sts actions there).
    return malformed(path
                     + ".NotAction: AssumeRole policy may only specify STS AssumeRole actions.");
  }
  out.not_action = not_action != nullptr;
  sim::Status s = parse_actions(action != nullptr ? *action : *not_action,
                                path + (action != nullptr ? ".Action" : ".NotAction"),
                                out);
  if (!s.ok()) {
    return s;
  }

  if (resource != nullptr && not_resource != nullptr) {
    return malformed(path + " has both Resource and NotResource");
  }
  if (kind_ == PolicyKind::kTrust && (resource != nullptr || not_resource != nullptr)) {
    return malformed(path + (resource != nullptr ? ".Resource" : ".NotResource")
                     + ": Has prohibited field "
                     + (resource != nullptr ? "Resource" : "NotResource"));
  }
  if (resource == nullptr && not_resource == nullptr && is_identity_like(kind_)) {
    return malformed(path + " must contain Resource or NotResource: Policy statement must contain "
                            "resources.");
  }
  if (resource != nullptr || not_resource != nullptr) {
    out.has_resource = true;
    out.not_resource = not_resource != nullptr;
    s = parse_resources(resource != nullptr ? *resource : *not_resource,
                        path + (resource != nullptr ? ".Resource" : ".NotResource"),
                        out);
    if (!s.ok()) {
      return s;
    }
  }

  if (principal != nullptr && not_principal != nullptr) {
    return malformed(path + " has both Principal and NotPrincipal");
  }
  if (is_identity_like(kind_)) {
    if (principal != nullptr || not_principal != nullptr) {
      return malformed(path + (principal != nullptr ? ".Principal" : ".NotPrincipal")
                       + ": Policy document should not specify a principal.");
    }
  } else {
    if (principal == nullptr && not_principal == nullptr) {
      return malformed(path + " must have a Principal or NotPrincipal: a "
                       + std::string(to_string(kind_)) + " policy says whom it applies to");
    }
    out.principal.mode =
        principal != nullptr ? PrincipalSpec::Mode::kPrincipal : PrincipalSpec::Mode::kNotPrincipal;
    s = parse_principal(principal != nullptr ? *principal : *not_principal,
                        path + (principal != nullptr ? ".Principal" : ".NotPrincipal"),
                        out.principal);
    if (!s.ok()) {
      return s;
    }
  }

  if (condition != nullptr) {
    s = parse_conditions(*condition, path + ".Condition", out);
    if (!s.ok()) {
      return s;
    }
  }
  return sim::ok_status();
}

sim::Status Parser::parse(const json& doc, ParsedPolicy& policy) {
  if (!doc.is_object()) {
    return malformed("Syntax errors in policy: the document must be a JSON object, not "
                     + std::string(doc.type_name()));
  }
  const json* statements = nullptr;
  for (const auto& [key, value] : doc.items()) {
    if (key == "Version") {
      if (!value.is_string()
          || (value.get_ref<const std::string&>() != kVersion2012
              && value.get_ref<const std::string&>() != kVersion2008)) {
        return malformed("Version must be \"2012-10-17\" or \"2008-10-17\", not "
                         + dump_json(value));
      }
      policy.version = value.get_ref<const std::string&>();
    } else if (key == "Id") {
      if (!value.is_string()) {
        return malformed("Id must be a string");
      }
      policy.id = value.get_ref<const std::string&>();
    } else if (key == "Statement") {
      statements = &value;
    } else {
      return malformed("The policy has an unknown element \"" + key
                       + "\" (expected Version, Id and Statement)");
    }
  }
  // Without a Version the 2008-10-17 language applies: policy variables are literal text.
  if (policy.version.empty()) {
    policy.version = std::string(kVersion2008);
  }
  variables_ = policy.version == kVersion2012;
  if (statements == nullptr) {
    return malformed("The policy must contain a Statement");
  }
  if (statements->is_array()) {
    if (statements->empty()) {
      // Unconfirmed: IAM's answer to "Statement": [] was not observed; ibsim rejects it.
      return malformed("Statement must not be an empty list");
    }
    if (statements->size() > PolicyLimits::kStatementsMax) {
      return malformed("The policy has more than " + std::to_string(PolicyLimits::kStatementsMax)
                       + " statements");
    }
    std::uint32_t index = 0;
    for (const json& st : *statements) {
      Statement out;
      sim::Status s = parse_statement(st, index++, out);
      if (!s.ok()) {
        return s;
      }
      policy.statements.push_back(std::move(out));
    }
  } else if (statements->is_object()) {
    Statement out;
    sim::Status s = parse_statement(*statements, 0, out);
    if (!s.ok()) {
      return s;
    }
    policy.statements.push_back(std::move(out));
  } else {
    return malformed("Statement must be an object or a list of objects");
  }
  return sim::ok_status();
}

}  // namespace

std::string_view to_string(PolicyKind kind) {
  switch (kind) {
    case PolicyKind::kIdentity:
      return "identity";
    case PolicyKind::kResource:
      return "resource";
    case PolicyKind::kKey:
      return "key";
    case PolicyKind::kTrust:
      return "trust";
    case PolicyKind::kPermissionsBoundary:
      return "permissions boundary";
    case PolicyKind::kSession:
      return "session";
    case PolicyKind::kServiceControl:
      return "service control";
  }
  return "identity";
}

bool is_resource_kind(PolicyKind kind) {
  return kind == PolicyKind::kResource || kind == PolicyKind::kKey || kind == PolicyKind::kTrust;
}

std::string_view to_string(Effect effect) {
  return effect == Effect::kAllow ? "Allow" : "Deny";
}

std::size_t default_max_size_chars(PolicyKind kind) {
  switch (kind) {
    case PolicyKind::kIdentity:
    case PolicyKind::kPermissionsBoundary:
      return PolicyLimits::kManagedChars;
    case PolicyKind::kResource:
      return PolicyLimits::kResourceChars;
    case PolicyKind::kKey:
      return PolicyLimits::kKeyChars;
    case PolicyKind::kTrust:
      return PolicyLimits::kTrustChars;
    case PolicyKind::kSession:
      return PolicyLimits::kSessionChars;
    case PolicyKind::kServiceControl:
      return PolicyLimits::kServiceControlChars;
  }
  return PolicyLimits::kManagedChars;
}

sim::Result<Policy> parse_policy(std::string_view text,
                                 PolicyKind kind,
                                 const ParseOptions& options) {
  const std::size_t max_chars =
      options.max_size_chars > 0 ? options.max_size_chars : default_max_size_chars(kind);
  if (text.size() > PolicyLimits::kTextBytesMax) {
    return sim::aws_error(options.size_error_code,
                          "Policy document text of " + std::to_string(text.size())
                              + " bytes exceeds the " + std::to_string(PolicyLimits::kTextBytesMax)
                              + "-byte maximum",
                          409);
  }
  const std::size_t chars = quota_chars(text);
  if (chars > max_chars) {
    return sim::aws_error(options.size_error_code,
                          "Cannot exceed quota for " + quota_name(kind) + ": "
                              + std::to_string(max_chars) + " (the document has "
                              + std::to_string(chars) + " characters without whitespace)",
                          409);
  }
  const JsonCheck check = check_json_text(text, PolicyLimits::kJsonDepthMax);
  if (!check.ok) {
    return malformed("Syntax errors in policy: " + check.message);
  }
  const json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    return malformed("Syntax errors in policy.");
  }
  ParsedPolicy parsed;
  Parser parser(kind);
  sim::Status s = parser.parse(doc, parsed);
  if (!s.ok()) {
    return s.error();
  }
  Policy policy;
  policy.kind_ = kind;
  policy.name_ = options.name;
  policy.version_ = std::move(parsed.version);
  policy.id_ = std::move(parsed.id);
  policy.statements_ = std::move(parsed.statements);
  return policy;
}

}  // namespace ibsim::mock_aws::policy
