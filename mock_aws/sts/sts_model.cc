#include "mock_aws/sts/sts_model.h"

#include <map>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "mock_aws/api/arn.h"
#include "mock_aws/crypto/encoding.h"
#include "mock_aws/iam/iam_validation.h"
#include "mock_aws/sts/sts_errors.h"
#include "sim/base/assert.h"

namespace ibsim::mock_aws::sts {
namespace {

using nlohmann::json;

constexpr std::string_view kIdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::string_view kSecretAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::size_t kAccessKeySuffixChars = 16;  // ASIA + 16 = 20 characters.
constexpr std::size_t kSecretChars = 40;

bool is_external_id_char(char c) {
  return iam::is_name_char(c) || c == ':' || c == '/';
}

sim::Status validate_chars(std::string_view member,
                           std::string_view value,
                           bool (*ok)(char),
                           std::string_view pattern) {
  for (const char c : value) {
    if (!ok(c)) {
      return iam::validation_error(
          member, value, "Member must satisfy regular expression pattern: " + std::string(pattern));
    }
  }
  return sim::ok_status();
}

sim::Status validate_input(const api::sts::AssumeRoleInput& in) {
  using L = StsLimits;
  if (auto s = iam::validate_length("roleArn", in.role_arn, L::kRoleArnMin, L::kRoleArnMax);
      !s.ok()) {
    return s;
  }
  if (auto s = iam::validate_length(
          "roleSessionName", in.role_session_name, L::kSessionNameMin, L::kSessionNameMax);
      !s.ok()) {
    return s;
  }
  if (auto s = validate_chars(
          "roleSessionName", in.role_session_name, iam::is_name_char, R"([\w+=,.@-]*)");
      !s.ok()) {
    return s;
  }
  if (in.duration_seconds.has_value()) {
    if (auto s = iam::validate_range("durationSeconds",
                                     *in.duration_seconds,
                                     L::kDurationSecondsMin,
                                     L::kDurationSecondsMax);
        !s.ok()) {
      return s;
    }
  }
  if (in.external_id.has_value()) {
    if (auto s = iam::validate_length(
            "externalId", *in.external_id, L::kExternalIdMin, L::kExternalIdMax);
        !s.ok()) {
      return s;
    }
    if (auto s =
            validate_chars("externalId", *in.external_id, is_external_id_char, R"([\w+=,.@:\/-]*)");
        !s.ok()) {
      return s;
    }
  }
  if (in.source_identity.has_value()) {
    if (auto s = iam::validate_length(
            "sourceIdentity", *in.source_identity, L::kSourceIdentityMin, L::kSourceIdentityMax);
        !s.ok()) {
      return s;
    }
    if (auto s = validate_chars(
            "sourceIdentity", *in.source_identity, iam::is_name_char, R"([\w+=,.@-]*)");
        !s.ok()) {
      return s;
    }
  }
  if (in.policy.has_value()) {
    if (auto s = iam::validate_length("policy", *in.policy, 1, L::kSessionPolicyCharsMax);
        !s.ok()) {
      return s;
    }
  }
  if (in.policy_arns.size() > L::kPolicyArnsMax) {
    return iam::validation_error(
        "policyArns",
        std::to_string(in.policy_arns.size()) + " ARNs",
        "Member must have length less than or equal to " + std::to_string(L::kPolicyArnsMax));
  }
  for (std::size_t i = 0; i < in.policy_arns.size(); ++i) {
    if (auto s = iam::validate_length("policyArns." + std::to_string(i + 1) + ".member.arn",
                                      in.policy_arns[i].arn,
                                      L::kRoleArnMin,
                                      L::kRoleArnMax);
        !s.ok()) {
      return s;
    }
  }
  std::vector<api::iam::Tag> tags;
  for (const api::sts::Tag& t : in.tags) {
    tags.push_back({t.key, t.value});
  }
  if (auto s = iam::validate_tags("tags", tags); !s.ok()) {
    return s;
  }
  if (in.transitive_tag_keys.size() > L::kTransitiveTagKeysMax) {
    return iam::validation_error("transitiveTagKeys",
                                 std::to_string(in.transitive_tag_keys.size()) + " keys",
                                 "Member must have length less than or equal to "
                                     + std::to_string(L::kTransitiveTagKeysMax));
  }
  return sim::ok_status();
}

std::string missing_role_explanation(const api::Principal& caller, std::string_view role_arn) {
  json out;
  out["allowed"] = false;
  out["explicitDeny"] = false;
  out["decision"] = "ImplicitDeny";
  out["reason"] = "RoleDoesNotExist";
  out["summary"] = "The role " + std::string(role_arn)
                   + " does not exist in this world, so nobody can assume it. STS answers "
                     "AccessDenied for a missing role, exactly as for a trust policy that does not "
                     "allow the caller.";
  out["crossAccount"] = false;
  json context;
  context["principal"] = {{"arn", caller.arn}, {"type", std::string(api::to_string(caller.kind))}};
  context["action"] = "sts:AssumeRole";
  context["resource"] = role_arn;
  out["context"] = std::move(context);
  out["decidingStatements"] = json::array();
  json fix;
  fix["kind"] = "CreateRole";
  fix["policyOf"] = role_arn;
  fix["text"] = "Create the role " + std::string(role_arn)
                + " (path and name exactly as in the ARN) with a trust policy that allows "
                + caller.principal_arn() + " to call sts:AssumeRole.";
  out["fixes"] = json::array({fix});
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

sim::AwsError access_denied_short(const api::Principal& caller,
                                  std::string_view role_arn,
                                  std::string explanation) {
  const std::string who = caller.kind == api::PrincipalKind::kAnonymous || caller.arn.empty()
                              ? "anonymous"
                              : caller.arn;
  sim::AwsError e = sts_error(ErrorCode::kAccessDenied,
                              "User: " + who + " is not authorized to perform: sts:AssumeRole on "
                                  "resource: " + std::string(role_arn));
  e.explanation = std::move(explanation);
  return e;
}

}  // namespace

StsModel::StsModel(sim::Context& ctx,
                   iam::IamModel& iam,
                   auth::Authorizer& authorizer,
                   SessionStore& sessions,
                   const auth::AuthorizationMessages& messages)
    : ctx_(ctx),
      iam_(iam),
      authorizer_(authorizer),
      sessions_(sessions),
      messages_(messages),
      rng_(ctx.rng().fork("sts.sessions")) {}

std::string StsModel::random_text(std::string_view alphabet, std::size_t length) {
  std::string out;
  out.reserve(length);
  for (std::size_t i = 0; i < length; ++i) {
    out.push_back(alphabet[rng_.uniform_u64(0, alphabet.size() - 1)]);
  }
  return out;
}

std::string StsModel::new_session_key_id() {
  for (std::size_t attempt = 0; attempt < StsLimits::kIdAttemptsMax; ++attempt) {
    std::string id = "ASIA" + random_text(kIdAlphabet, kAccessKeySuffixChars);
    if (!sessions_.contains(id) && iam_.find_access_key(id) == nullptr) {
      return id;
    }
  }
  IBSIM_ASSERT(false, "an 80-bit random key id does not collide kIdAttemptsMax times");
  return {};
}

sim::Result<api::sts::AssumeRoleOutput> StsModel::assume_role(const api::CallContext& ctx,
                                                              const api::sts::AssumeRoleInput& in) {
  if (auto s = validate_input(in); !s.ok()) {
    return s.error();
  }
  const api::Principal& caller = ctx.principal;
  if (caller.kind == api::PrincipalKind::kRoot) {
    return sts_error(ErrorCode::kAccessDenied, "Roles may not be assumed by root accounts.");
  }
  if (caller.kind == api::PrincipalKind::kAnonymous) {
    return access_denied_short(caller, in.role_arn, {});
  }
  const iam::RoleRecord* role = iam_.find_role_by_arn(in.role_arn);
  if (role == nullptr) {
    // A missing role is AccessDenied, not NoSuchEntity (aws-facts §5.3, KIAM-33).
    return access_denied_short(caller, in.role_arn, missing_role_explanation(caller, in.role_arn));
  }

  // Session policies: the inline Policy, then the managed PolicyArns' default versions.
  std::vector<iam::PolicyPtr> session_policies;
  std::size_t packed_chars = 0;
  if (in.policy.has_value()) {
    sim::Result<policy::Policy> p =
        policy::parse_policy(*in.policy,
                             policy::PolicyKind::kSession,
                             {.name = "session policy", .size_error_code = "PackedPolicyTooLarge"});
    if (!p.ok()) {
      sim::AwsError e = p.error();
      if (e.code == "PackedPolicyTooLarge") {
        e.http_status = 400;
      }
      return e;
    }
    session_policies.push_back(std::make_shared<const policy::Policy>(std::move(p).value()));
    packed_chars += iam::policy_quota_chars(*in.policy);
  }
  for (const api::sts::PolicyDescriptorType& d : in.policy_arns) {
    const iam::ManagedPolicyRecord* mp = iam_.find_managed_policy(d.arn);
    if (mp == nullptr || (!mp->aws_managed && mp->account != role->account.str())) {
      // Unconfirmed: STS's error for a PolicyArns entry that does not exist.
      return sts_error(ErrorCode::kMalformedPolicyDocument,
                       "Policy " + d.arn + " does not exist or is not attachable.");
    }
    session_policies.push_back(mp->default_version().document.compiled);
    packed_chars += d.arn.size();
  }
  for (const api::sts::Tag& t : in.tags) {
    packed_chars += t.key.size() + t.value.size();
  }

  // Authorization: the trust policy is the role's resource policy; the authorizer adds the
  // caller's identity side for cross-account requests.
  auth::AuthzRequest request;
  request.action = "sts:AssumeRole";
  request.resource = role->arn;
  request.resource_policy = role->trust.compiled.get();
  request.keys.push_back({"sts:RoleSessionName", {in.role_session_name}, false});
  if (in.external_id.has_value()) {
    request.keys.push_back({"sts:ExternalId", {*in.external_id}, false});
  }
  if (in.source_identity.has_value()) {
    request.keys.push_back({"sts:SourceIdentity", {*in.source_identity}, false});
  }
  if (!in.tags.empty()) {
    std::vector<std::string> keys;
    for (const api::sts::Tag& t : in.tags) {
      request.keys.push_back({"aws:RequestTag/" + t.key, {t.value}, false});
      keys.push_back(t.key);
    }
    request.keys.push_back({"aws:TagKeys", std::move(keys), true});
  }
  if (!in.transitive_tag_keys.empty()) {
    request.keys.push_back({"sts:TransitiveTagKeys", in.transitive_tag_keys, true});
  }
  const auth::AuthzResult assume = authorizer_.authorize(ctx, request);
  if (!assume.allowed()) {
    return auth::access_denied("AccessDenied", 403, assume);
  }
  // Passing session tags or a source identity needs their own permissions in the trust policy.
  for (const auto& [needed, action] :
       {std::pair{!in.tags.empty(), "sts:TagSession"},
        std::pair{in.source_identity.has_value(), "sts:SetSourceIdentity"}}) {
    if (!needed) {
      continue;
    }
    request.action = action;
    const auth::AuthzResult extra = authorizer_.authorize(ctx, request);
    if (!extra.allowed()) {
      return auth::access_denied("AccessDenied", 403, extra);
    }
  }

  // Duration: 900 s up to the role's maximum; one hour when a role session assumes a role.
  const bool chained = caller.kind == api::PrincipalKind::kAssumedRole;
  const int32_t duration = in.duration_seconds.value_or(StsLimits::kDurationSecondsDefault);
  if (chained && duration > StsLimits::kChainedDurationSecondsMax) {
    return sts_error(ErrorCode::kValidationError,
                     "The requested DurationSeconds exceeds the 1 hour session limit for roles "
                     "assumed by role chaining.");
  }
  if (duration > role->max_session_duration) {
    return sts_error(ErrorCode::kValidationError,
                     "The requested DurationSeconds exceeds the MaxSessionDuration set for this "
                     "role.");
  }

  // Principal tags: the role's tags, then tags made transitive by the calling session, then the
  // request's session tags.
  std::map<std::string, std::string> tags;
  for (const api::iam::Tag& t : role->tags) {
    tags[t.key] = t.value;
  }
  std::vector<std::string> transitive = in.transitive_tag_keys;
  if (chained && !ctx.access_key_id.empty()) {
    if (const Session* parent = sessions_.find(ctx.access_key_id);
        parent != nullptr && parent->principal.arn == caller.arn) {
      for (const std::string& key : parent->transitive_tag_keys) {
        if (const auto it = parent->principal.tags.find(key); it != parent->principal.tags.end()) {
          tags[key] = it->second;
          transitive.push_back(key);
        }
      }
    }
  }
  for (const api::sts::Tag& t : in.tags) {
    tags[t.key] = t.value;
  }

  Session session;
  session.access_key_id = new_session_key_id();
  session.secret_access_key = random_text(kSecretAlphabet, kSecretChars);
  std::vector<uint8_t> token(StsLimits::kSessionTokenBytes);
  rng_.fill_bytes(token);
  session.session_token = crypto::base64_encode(token);
  session.principal = api::Principal::assumed_role(
      role->account, role->name, role->path, in.role_session_name, role->role_id);
  session.principal.tags = std::move(tags);
  session.expires_at = ctx_.now() + sim::Duration::seconds(duration);
  session.expiration_unix_ms = ctx_.unix_ms() + int64_t{duration} * 1000;
  session.session_policies = std::move(session_policies);
  session.chained = chained;
  session.transitive_tag_keys = std::move(transitive);
  session.source_identity = in.source_identity;

  api::sts::AssumeRoleOutput out;
  out.credentials = {session.access_key_id,
                     session.secret_access_key,
                     session.session_token,
                     session.expiration_unix_ms};
  out.assumed_role_user = {session.principal.unique_id, session.principal.arn};
  // Unconfirmed: how AWS computes PackedPolicySize; ibsim reports the share of the 2048-character
  // plaintext budget the policies, ARNs and tags use.
  out.packed_policy_size =
      static_cast<int32_t>((packed_chars * 100 + StsLimits::kSessionPolicyCharsMax - 1)
                           / StsLimits::kSessionPolicyCharsMax);
  out.source_identity = in.source_identity;

  sessions_.prune_expired_before(ctx_.now() - StsLimits::kExpiredSessionRetention);
  const std::string key_id = session.access_key_id;
  const std::string session_arn = session.principal.arn;
  sessions_.add(std::move(session));  // Evicts the earliest-expiring session when full.
  ctx_.emit("sts.assume_role",
            {{"caller", caller.arn},
             {"role", role->arn},
             {"session", session_arn},
             {"key", key_id},
             {"duration_s", duration}});
  return out;
}

sim::Result<api::sts::GetCallerIdentityOutput> StsModel::get_caller_identity(
    const api::CallContext& ctx, const api::sts::GetCallerIdentityInput& /*in*/) {
  // GetCallerIdentity needs no permission: an explicit deny cannot stop it.
  const api::Principal& p = ctx.principal;
  switch (p.kind) {
    case api::PrincipalKind::kRoot:
      return api::sts::GetCallerIdentityOutput{p.account.str(), p.account.str(), p.arn};
    case api::PrincipalKind::kUser:
    case api::PrincipalKind::kAssumedRole:
      return api::sts::GetCallerIdentityOutput{p.unique_id, p.account.str(), p.arn};
    case api::PrincipalKind::kService:
    case api::PrincipalKind::kAnonymous:
      break;
  }
  return sts_error(ErrorCode::kInvalidClientTokenId,
                   "The security token included in the request is invalid.");
}

sim::Result<api::sts::DecodeAuthorizationMessageOutput> StsModel::decode_authorization_message(
    const api::CallContext& ctx, const api::sts::DecodeAuthorizationMessageInput& in) {
  if (auto s = iam::validate_length(
          "encodedMessage", in.encoded_message, 1, StsLimits::kEncodedMessageCharsMax);
      !s.ok()) {
    return s.error();
  }
  auth::AuthzRequest request;
  request.action = "sts:DecodeAuthorizationMessage";
  request.resource = "*";
  const auth::AuthzResult r = authorizer_.authorize(ctx, request);
  if (!r.allowed()) {
    return auth::access_denied("AccessDenied", 403, r);
  }
  sim::Result<std::string> decoded = messages_.decode(in.encoded_message);
  if (!decoded.ok()) {
    return decoded.error();
  }
  return api::sts::DecodeAuthorizationMessageOutput{std::move(decoded).value()};
}

sim::Result<ResolvedAccessKey> StsModel::resolve_access_key(std::string_view access_key_id) const {
  const auto unknown = [] {
    return sts_error(ErrorCode::kInvalidClientTokenId,
                     "The security token included in the request is invalid.");
  };
  if (const Session* s = sessions_.find(access_key_id)) {
    if (ctx_.now() >= s->expires_at) {
      return sts_error(ErrorCode::kExpiredToken,
                       "The security token included in the request is expired");
    }
    ResolvedAccessKey r;
    r.kind = ResolvedAccessKey::Kind::kSession;
    r.principal = s->principal;
    r.secret_access_key = s->secret_access_key;
    r.requires_session_token = true;
    r.session_token = s->session_token;
    r.expires_at = s->expires_at;
    r.expiration_unix_ms = s->expiration_unix_ms;
    return r;
  }
  if (sessions_.forgot(access_key_id)) {
    // Deviation from AWS: a session evicted by the store's bound (SessionStore::sessions_max)
    // answers as an expired one, even before its expiry; AWS keeps no state for session tokens.
    return sts_error(ErrorCode::kExpiredToken,
                     "The security token included in the request is expired");
  }
  if (const iam::AccessKeyRecord* k = iam_.find_access_key(access_key_id)) {
    if (k->status != "Active") {
      return unknown();
    }
    ResolvedAccessKey r;
    r.secret_access_key = k->secret_access_key;
    if (k->user_name.empty()) {
      r.kind = ResolvedAccessKey::Kind::kRootKey;
      r.principal = api::Principal::root(k->account);
      return r;
    }
    const iam::UserRecord* user = iam_.find_user(k->account, k->user_name);
    if (user == nullptr) {
      return unknown();
    }
    r.kind = ResolvedAccessKey::Kind::kUserKey;
    r.principal = api::Principal::user(k->account, user->path, user->name, user->user_id);
    for (const api::iam::Tag& t : user->tags) {
      r.principal.tags[t.key] = t.value;
    }
    return r;
  }
  if (api::AccountId::is_valid(access_key_id)) {
    const api::AccountId account = api::AccountId::from_valid(access_key_id);
    if (iam_.has_account(account)) {
      ResolvedAccessKey r;
      r.kind = ResolvedAccessKey::Kind::kAccountIdAlias;
      r.principal = api::Principal::root(account);
      return r;
    }
  }
  return unknown();
}

}  // namespace ibsim::mock_aws::sts
