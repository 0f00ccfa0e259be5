// KmsModel: construction, key resolution, authorization, keys, aliases, key policies, tags,
// seeds and inspection. The cryptographic operations and EbsKeyService are in kms_crypto.cc,
// grants in kms_grants.cc.

#include "mock_aws/kms/kms_model.h"

#include <algorithm>
#include <utility>

#include "mock_aws/api/arn.h"
#include "mock_aws/kms/key_policies.h"
#include "mock_aws/kms/kms_errors.h"
#include "mock_aws/kms/kms_internal.h"
#include "mock_aws/policy/evaluate.h"
#include "sim/base/assert.h"

namespace ibsim::mock_aws::kms {

using internal::validation_error;

namespace {

constexpr std::string_view kAliasPrefix = "alias/";
constexpr std::string_view kReservedAliasPrefix = "alias/aws/";
constexpr std::string_view kAwsEbsAlias = "alias/aws/ebs";
constexpr std::string_view kKeyAliasesNotSupported =
    "Key Aliases are not supported for this operation.";
// Unconfirmed: the description AWS gives its managed EBS key.
constexpr std::string_view kAwsEbsKeyDescription =
    "Default key that protects my EBS volumes when no other key is defined";

constexpr std::size_t kAliasNameCharsMax = 256;
constexpr std::size_t kDescriptionCharsMax = 8192;
constexpr std::size_t kTagKeyCharsMax = 128;
constexpr std::size_t kTagValueCharsMax = 256;
constexpr int32_t kPendingWindowDaysMin = 7;
constexpr int32_t kPendingWindowDaysMax = 30;
constexpr int32_t kPendingWindowDaysDefault = 30;
constexpr int32_t kListLimitMin = 1;
constexpr int32_t kListLimitMax = 1000;
constexpr int32_t kListKeysLimitDefault = 100;
constexpr int32_t kListAliasesLimitDefault = 50;
constexpr int32_t kListTagsLimitDefault = 50;
constexpr int32_t kListPoliciesLimitDefault = 100;

sim::AwsError key_not_found(std::string_view key_arn) {
  return kms_error(ErrorCode::kNotFound, "Key '" + std::string(key_arn) + "' does not exist");
}

sim::AwsError alias_not_found(std::string_view alias_arn) {
  return kms_error(ErrorCode::kNotFound, "Alias " + std::string(alias_arn) + " is not found.");
}

sim::AwsError pending_deletion(std::string_view key_arn) {
  return kms_error(ErrorCode::kInvalidState, std::string(key_arn) + " is pending deletion.");
}

sim::Status check_limit(const std::optional<int32_t>& limit) {
  if (!limit.has_value()) {
    return {};
  }
  if (*limit < kListLimitMin) {
    return validation_error("limit",
                            std::to_string(*limit),
                            "have value greater than or equal to " + std::to_string(kListLimitMin));
  }
  if (*limit > kListLimitMax) {
    return validation_error("limit",
                            std::to_string(*limit),
                            "have value less than or equal to " + std::to_string(kListLimitMax));
  }
  return {};
}

// One page of `all` (already in list order) starting at `marker`, the name of the first entry
// of the page as returned in NextMarker.
template <typename T, typename NameOf>
sim::Status paginate(std::vector<T> all,
                     const std::optional<int32_t>& limit,
                     int32_t default_limit,
                     const std::optional<std::string>& marker,
                     NameOf name_of,
                     std::vector<T>& page,
                     std::optional<std::string>& next_marker,
                     bool& truncated) {
  if (sim::Status s = check_limit(limit); !s.ok()) {
    return s;
  }
  std::size_t start = 0;
  if (marker.has_value()) {
    const auto it = std::find_if(
        all.begin(), all.end(), [&](const T& entry) { return name_of(entry) == *marker; });
    if (it == all.end()) {
      // Unconfirmed: KMS's text for a marker it did not issue.
      return kms_error(ErrorCode::kInvalidMarker, "Invalid marker: " + *marker);
    }
    start = static_cast<std::size_t>(it - all.begin());
  }
  const auto size = static_cast<std::size_t>(limit.value_or(default_limit));
  const std::size_t end = std::min(all.size(), start + size);
  for (std::size_t i = start; i < end; ++i) {
    page.push_back(std::move(all[i]));
  }
  truncated = end < all.size();
  if (truncated) {
    next_marker = std::string(name_of(all[end]));
  }
  return {};
}

// Validates an alias name as CreateAlias/UpdateAlias/DeleteAlias take it.
sim::Status check_alias_name(std::string_view name) {
  if (name.empty() || name.size() > kAliasNameCharsMax) {
    return validation_error("aliasName",
                            name,
                            name.empty() ? "have length greater than or equal to 1"
                                         : "have length less than or equal to 256");
  }
  if (!internal::only_chars(name, ":/_-")) {
    return validation_error(
        "aliasName", name, "satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$");
  }
  if (!name.starts_with(kAliasPrefix)) {
    return kms_error(ErrorCode::kValidation,
                     "Alias must start with the prefix \"alias/\". Please see "
                     "https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html");
  }
  if (name.size() == kAliasPrefix.size()) {
    // Unconfirmed: KMS's text for the bare prefix.
    return kms_error(ErrorCode::kInvalidAliasName, "Alias name must not be empty after alias/");
  }
  if (name.starts_with(kReservedAliasPrefix)) {
    // Unconfirmed: code and text (see kms_errors.h).
    return kms_error(ErrorCode::kNotAuthorized,
                     "Alias names that begin with alias/aws/ are reserved for AWS managed keys.");
  }
  return {};
}

std::string_view state_name(bool enabled, bool pending) {
  return pending ? api::kms::kKeyStatePendingDeletion
                 : (enabled ? api::kms::kKeyStateEnabled : api::kms::kKeyStateDisabled);
}

void add_request_tag_keys(const std::vector<api::kms::Tag>& tags,
                          std::vector<auth::ContextValue>& keys) {
  if (tags.empty()) {
    return;
  }
  auth::ContextValue tag_keys{"aws:TagKeys", {}, true};
  for (const api::kms::Tag& t : tags) {
    keys.push_back({"aws:RequestTag/" + t.tag_key, {t.tag_value}, false});
    tag_keys.values.push_back(t.tag_key);
  }
  keys.push_back(std::move(tag_keys));
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Construction and lookup

KmsModel::KmsModel(sim::Context& ctx, auth::Authorizer& authorizer, Options options)
    : ctx_(ctx),
      authorizer_(authorizer),
      options_(options),
      key_rng_(ctx.rng().fork("kms.keys")),
      iv_rng_(ctx.rng().fork("kms.iv")),
      data_key_rng_(ctx.rng().fork("kms.data_keys")),
      grant_rng_(ctx.rng().fork("kms.grants")) {}

KmsModel::~KmsModel() {
  for (auto& [arn, key] : by_arn_) {
    if (key->state == KeyState::kPendingDeletion) {
      ctx_.scheduler().cancel(key->deletion_event);
    }
  }
}

KmsModel::RegionState& KmsModel::region_state(const api::AccountId& account,
                                              const api::Region& region) {
  return regions_[RegionKey(account, region)];
}

KmsModel::RegionState* KmsModel::find_region(const api::AccountId& account,
                                             const api::Region& region) {
  const auto it = regions_.find(RegionKey(account, region));
  return it == regions_.end() ? nullptr : &it->second;
}

const KmsModel::RegionState* KmsModel::find_region(const api::AccountId& account,
                                                   const api::Region& region) const {
  const auto it = regions_.find(RegionKey(account, region));
  return it == regions_.end() ? nullptr : &it->second;
}

KmsModel::Key* KmsModel::find_key_by_arn(std::string_view arn) {
  const auto it = by_arn_.find(arn);
  return it == by_arn_.end() ? nullptr : it->second;
}

const KmsModel::Key* KmsModel::find_key_by_arn(std::string_view arn) const {
  const auto it = by_arn_.find(arn);
  return it == by_arn_.end() ? nullptr : it->second;
}

std::string KmsModel::new_key_id(sim::Rng& rng) {
  std::array<uint8_t, 16> b{};
  rng.fill_bytes(b);
  b[6] = static_cast<uint8_t>((b[6] & 0x0F) | 0x40);  // UUID version 4
  b[8] = static_cast<uint8_t>((b[8] & 0x3F) | 0x80);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      out.push_back('-');
    }
    out.push_back(kHex[b[i] >> 4]);
    out.push_back(kHex[b[i] & 0x0F]);
  }
  return out;
}

crypto::AesKey KmsModel::new_key_material(sim::Rng& rng) {
  crypto::AesKey material{};
  rng.fill_bytes(material);
  return material;
}

KmsModel::Key& KmsModel::insert_key(const api::AccountId& account,
                                    const api::Region& region,
                                    std::string key_id,
                                    crypto::AesKey material) {
  RegionState& rs = region_state(account, region);
  const auto [it, inserted] = rs.keys.try_emplace(key_id);
  IBSIM_ASSERT(inserted, "callers check that the key id is new");
  Key& key = it->second;
  key.account = account;
  key.region = region;
  key.key_id = std::move(key_id);
  key.arn = api::kms_key_arn(region, account, key.key_id);
  key.creation_date = ctx_.unix_ms();
  key.material = material;
  by_arn_.emplace(key.arn, &key);
  return key;
}

KmsModel::Key& KmsModel::ensure_aws_managed_ebs_key(const api::AccountId& account,
                                                    const api::Region& region) {
  RegionState& rs = region_state(account, region);
  if (const auto alias = rs.aliases.find(kAwsEbsAlias); alias != rs.aliases.end()) {
    const auto key = rs.keys.find(alias->second.target_key_id);
    IBSIM_ASSERT(key != rs.keys.end(), "an alias always names an existing key");
    return key->second;
  }
  // Its own stream, labelled by account and region: the key is the same whenever it is first
  // used, whatever else the run did before.
  sim::Rng rng = key_rng_.fork("aws-managed/" + account.str() + "/" + region.str() + "/aws/ebs");
  std::string key_id = new_key_id(rng);
  Key& key = insert_key(account, region, std::move(key_id), new_key_material(rng));
  key.aws_managed = true;
  key.description = std::string(kAwsEbsKeyDescription);
  key.policy_text = aws_managed_ebs_key_policy(account, region);
  sim::Result<policy::Policy> parsed = parse_key_policy(key.policy_text);
  IBSIM_ASSERT(parsed.ok(), "the aws/ebs policy text is valid");
  key.policy = std::move(parsed).value();
  const api::kms::UnixMillis now = ctx_.unix_ms();
  rs.aliases.emplace(std::string(kAwsEbsAlias), Alias{key.key_id, now, now});
  ctx_.emit("kms.key.create",
            {{"account", account.str()},
             {"region", region.str()},
             {"key", key.arn},
             {"manager", "AWS"},
             {"alias", kAwsEbsAlias}});
  return key;
}

sim::Result<KmsModel::Key*> KmsModel::resolve_alias(const api::AccountId& account,
                                                    const api::Region& region,
                                                    std::string_view alias_name) {
  if (alias_name == kAwsEbsAlias) {
    return &ensure_aws_managed_ebs_key(account, region);
  }
  if (RegionState* rs = find_region(account, region); rs != nullptr) {
    if (const auto alias = rs->aliases.find(alias_name); alias != rs->aliases.end()) {
      const auto key = rs->keys.find(alias->second.target_key_id);
      IBSIM_ASSERT(key != rs->keys.end(), "an alias always names an existing key");
      return &key->second;
    }
  }
  // Deviation from AWS: predefined aliases of other services (alias/aws/s3, ...) are unknown.
  return alias_not_found(api::kms_alias_arn(region, account, alias_name));
}

sim::Result<KmsModel::Key*> KmsModel::resolve_key(const api::CallContext& ctx,
                                                  std::string_view ref,
                                                  KeyRef rules) {
  const api::AccountId& caller = ctx.principal.account;
  if (ref.empty()) {
    return validation_error("keyId", ref, "have length greater than or equal to 1");
  }
  if (ref.starts_with("arn:")) {
    // Fast path: a key ARN of a live key (the common case on every crypto call).
    if (Key* key = find_key_by_arn(ref); key != nullptr) {
      // Unconfirmed: KMS's answer when an operation that is not cross-account names another
      // account's key, or when a key ARN names another region; ibsim answers as for a key that
      // is not in the caller's account and region: NotFoundException.
      if (key->region != ctx.region || (!rules.cross_account && key->account != caller)) {
        return key_not_found(ref);
      }
      return key;
    }
    sim::Result<api::Arn> arn = api::parse_arn(ref);
    if (!arn.ok() || arn->service != "kms" || arn->partition != api::kPartitionName
        || !api::AccountId::is_valid(arn->account)) {
      // Unconfirmed: KMS's text for an ARN that is not a KMS key or alias ARN.
      return kms_error(ErrorCode::kInvalidArn, "Invalid arn " + std::string(ref));
    }
    const bool other_account = caller.empty() || arn->account != caller.str();
    if (arn->resource.starts_with("key/")) {
      // A key ARN in another region, another account (for a same-account operation), or of a
      // key that does not exist: the key is not in this endpoint's view.
      return key_not_found(ref);
    }
    if (arn->resource.starts_with(kAliasPrefix)) {
      if (!rules.aliases) {
        return kms_error(ErrorCode::kInvalidArn, std::string(kKeyAliasesNotSupported));
      }
      if (arn->region != ctx.region.str() || (other_account && !rules.cross_account)) {
        return alias_not_found(ref);
      }
      return resolve_alias(api::AccountId::from_valid(arn->account), ctx.region, arn->resource);
    }
    return kms_error(ErrorCode::kInvalidArn, "Invalid arn " + std::string(ref));
  }
  if (ref.starts_with(kAliasPrefix)) {
    if (!rules.aliases) {
      return kms_error(ErrorCode::kInvalidArn, std::string(kKeyAliasesNotSupported));
    }
    if (caller.empty()) {
      return kms_error(ErrorCode::kNotFound, "Alias " + std::string(ref) + " is not found.");
    }
    return resolve_alias(caller, ctx.region, ref);
  }
  if (caller.empty()) {
    return kms_error(ErrorCode::kNotFound, "Invalid keyId '" + std::string(ref) + "'");
  }
  if (RegionState* rs = find_region(caller, ctx.region); rs != nullptr) {
    if (const auto it = rs->keys.find(ref); it != rs->keys.end()) {
      return &it->second;
    }
  }
  if (!internal::is_key_uuid(ref)) {
    // Unconfirmed: KMS's text for a KeyId that is neither a key id, an ARN nor an alias.
    return kms_error(ErrorCode::kNotFound, "Invalid keyId '" + std::string(ref) + "'");
  }
  return key_not_found(api::kms_key_arn(ctx.region, caller, ref));
}

// ---------------------------------------------------------------------------------------------
// Authorization

std::vector<auth::ContextValue> KmsModel::key_condition_keys(const api::CallContext& ctx,
                                                             const Key& key) const {
  std::vector<auth::ContextValue> keys;
  keys.reserve(2 + key.tags.size());
  if (!ctx.principal.account.empty()) {
    keys.push_back({"kms:CallerAccount", {ctx.principal.account.str()}, false});
  }
  // kms:ViaService (and aws:CalledVia) come from ctx.via_service in the authorizer itself
  // (auth/authorizer.h; mock_aws/sts/sts_authorizer.cc), for every service's requests.
  for (const auto& [tag_key, tag_value] : key.tags) {
    keys.push_back({"aws:ResourceTag/" + tag_key, {tag_value}, false});
  }
  return keys;
}

sim::AwsError KmsModel::denied(const api::CallContext& ctx, const auth::AuthzResult& result) {
  ctx_.emit("kms.access_denied",
            {{"principal", ctx.principal.arn},
             {"outcome", policy::to_string(result.decision.outcome)},
             {"reason", policy::to_string(result.decision.reason)}});
  const ErrorInfo& info = error_info(ErrorCode::kAccessDenied);
  return auth::access_denied(std::string(info.wire_name), info.http_status, result);
}

sim::Status KmsModel::authorize_plain(const api::CallContext& ctx,
                                      std::string_view action,
                                      std::string_view resource,
                                      std::vector<auth::ContextValue> keys) {
  if (!ctx.principal.account.empty()) {
    keys.push_back({"kms:CallerAccount", {ctx.principal.account.str()}, false});
  }
  const auth::AuthzRequest request{.action = action, .resource = resource, .keys = std::move(keys)};
  const auth::AuthzResult result = authorizer_.authorize(ctx, request);
  if (result.allowed()) {
    return {};
  }
  return denied(ctx, result);
}

sim::Status KmsModel::authorize_key(const api::CallContext& ctx,
                                    const Key& key,
                                    KeyCheck check,
                                    const Grant** granted_by) {
  // The keys are written into a vector kept across calls, so that on the hot path (the same
  // keys every time) their strings reuse their buffers instead of allocating.
  std::vector<auth::ContextValue> keys = std::move(keys_scratch_);
  std::size_t n = 0;
  auto next = [&]() -> auth::ContextValue& {
    if (n == keys.size()) {
      keys.emplace_back();
    }
    return keys[n++];
  };
  auto put = [&](std::string_view prefix, std::string_view suffix, std::string_view value) {
    auth::ContextValue& k = next();
    k.key.assign(prefix);
    k.key.append(suffix);
    k.values.resize(1);
    k.values[0].assign(value);
    k.multi_valued = false;
  };
  if (!ctx.principal.account.empty()) {
    put("kms:CallerAccount", {}, ctx.principal.account.str());
  }
  for (const auto& [tag_key, tag_value] : key.tags) {
    put("aws:ResourceTag/", tag_key, tag_value);
  }
  for (auth::ContextValue& k : check.keys) {
    next() = std::move(k);
  }
  if (check.context != nullptr && !check.context->empty()) {
    for (const auto& [ec_key, ec_value] : *check.context) {
      put("kms:EncryptionContext:", ec_key, ec_value);
    }
    auth::ContextValue& context_keys = next();
    context_keys.key.assign("kms:EncryptionContextKeys");
    context_keys.values.resize(check.context->size());
    std::size_t i = 0;
    for (const auto& [ec_key, ec_value] : *check.context) {
      context_keys.values[i++].assign(ec_key);
    }
    context_keys.multi_valued = true;
  }
  keys.resize(n);
  auth::AuthzRequest request{.action = check.action,
                             .resource = key.arn,
                             .resource_policy = &key.policy,
                             .keys = std::move(keys)};
  const auth::AuthzResult result = authorizer_.authorize(ctx, request);
  keys_scratch_ = std::move(request.keys);
  if (result.allowed()) {
    return {};
  }
  // A grant allows what the key policy and IAM do not, but never against an explicit deny
  // ("no principal has any permission to a KMS key unless it is provided explicitly and never
  // denied", KMS developer guide).
  if (check.grant_operation != 0 && result.decision.outcome != policy::Outcome::kExplicitDeny) {
    if (const Grant* grant = grant_allowing(
            ctx, key, check.grant_operation, check.context, result.decision, check.grant_filter);
        grant != nullptr) {
      if (granted_by != nullptr) {
        *granted_by = grant;
      }
      return {};
    }
  }
  return denied(ctx, result);
}

sim::Status KmsModel::check_usable(const Key& key) const {
  switch (key.state) {
    case KeyState::kEnabled:
      return {};
    case KeyState::kDisabled:
      return kms_error(ErrorCode::kDisabled, key.arn + " is disabled.");
    case KeyState::kPendingDeletion:
      return pending_deletion(key.arn);
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// Policies and tags

// Deviation from AWS: KMS also checks that every principal a key policy names exists ("Policy
// contains a statement with one or more invalid principals"); the KMS model has no view of IAM,
// so only the policy language is checked. The character set of the document is checked by the
// protocol layer's shape validation.
sim::Result<policy::Policy> KmsModel::parse_key_policy(std::string_view text) const {
  sim::Result<policy::Policy> parsed = policy::parse_policy(
      text,
      policy::PolicyKind::kKey,
      {.name = "the key policy",
       .size_error_code = std::string(error_info(ErrorCode::kLimitExceeded).wire_name)});
  if (parsed.ok()) {
    return parsed;
  }
  sim::AwsError e = parsed.error();
  if (e.code == "MalformedPolicyDocument") {
    e.code = std::string(error_info(ErrorCode::kMalformedPolicyDocument).wire_name);
  }
  return e;
}

sim::Status KmsModel::lockout_check(const api::CallContext& ctx,
                                    std::string_view key_arn,
                                    const std::vector<auth::ContextValue>& resource_keys,
                                    const policy::Policy& candidate) {
  std::vector<auth::ContextValue> keys = resource_keys;
  const auth::AuthzRequest request{.action = "kms:PutKeyPolicy",
                                   .resource = key_arn,
                                   .resource_policy = &candidate,
                                   .keys = std::move(keys)};
  if (authorizer_.authorize(ctx, request).allowed()) {
    return {};
  }
  return kms_error(ErrorCode::kMalformedPolicyDocument,
                   "The new key policy will not allow you to update the key policy in the future.");
}

sim::Status KmsModel::validate_tags(const std::vector<api::kms::Tag>& tags) const {
  for (const api::kms::Tag& t : tags) {
    // Unconfirmed: TagException texts.
    if (t.tag_key.empty() || t.tag_key.size() > kTagKeyCharsMax) {
      return kms_error(ErrorCode::kTag,
                       "Tag keys must be between 1 and 128 characters: '" + t.tag_key + "'");
    }
    if (t.tag_value.size() > kTagValueCharsMax) {
      return kms_error(ErrorCode::kTag,
                       "Tag values must be at most 256 characters (key '" + t.tag_key + "')");
    }
    if (t.tag_key.starts_with("aws:")) {
      return kms_error(ErrorCode::kTag,
                       "Tag keys beginning with aws: are reserved: '" + t.tag_key + "'");
    }
  }
  return {};
}

api::kms::KeyMetadata KmsModel::metadata(const Key& key) const {
  api::kms::KeyMetadata m;
  m.aws_account_id = key.account.str();
  m.key_id = key.key_id;
  m.arn = key.arn;
  m.creation_date = key.creation_date;
  m.enabled = key.state == KeyState::kEnabled;
  m.description = key.description;
  m.key_usage = std::string(api::kms::kKeyUsageEncryptDecrypt);
  m.key_state = std::string(
      state_name(key.state == KeyState::kEnabled, key.state == KeyState::kPendingDeletion));
  m.deletion_date = key.deletion_date;
  m.origin = std::string(api::kms::kOriginAwsKms);
  m.key_manager =
      std::string(key.aws_managed ? api::kms::kKeyManagerAws : api::kms::kKeyManagerCustomer);
  m.customer_master_key_spec = std::string(api::kms::kKeySpecSymmetricDefault);
  m.key_spec = std::string(api::kms::kKeySpecSymmetricDefault);
  m.encryption_algorithms = {std::string(api::kms::kEncryptionAlgorithmSymmetricDefault)};
  m.multi_region = false;
  if (key.state == KeyState::kPendingDeletion) {
    m.pending_deletion_window_in_days = key.pending_window_days;
  }
  return m;
}

// ---------------------------------------------------------------------------------------------
// Keys

sim::Result<api::kms::CreateKeyOutput> KmsModel::create_key(const api::CallContext& ctx,
                                                            const api::kms::CreateKeyInput& in) {
  // Only symmetric encryption keys with KMS key material are modelled.
  const std::string usage = in.key_usage.value_or(std::string(api::kms::kKeyUsageEncryptDecrypt));
  if (in.key_spec.has_value() && in.customer_master_key_spec.has_value()) {
    // Unconfirmed: KMS's text when both spellings are given.
    return kms_error(ErrorCode::kValidation,
                     "You cannot specify KeySpec and CustomerMasterKeySpec in the same request. "
                     "CustomerMasterKeySpec is deprecated.");
  }
  const std::string spec =
      in.key_spec.has_value()
          ? *in.key_spec
          : in.customer_master_key_spec.value_or(std::string(api::kms::kKeySpecSymmetricDefault));
  if (usage != "ENCRYPT_DECRYPT" && usage != "SIGN_VERIFY" && usage != "GENERATE_VERIFY_MAC"
      && usage != "KEY_AGREEMENT") {
    return validation_error("keyUsage",
                            usage,
                            "satisfy enum value set: [SIGN_VERIFY, ENCRYPT_DECRYPT, "
                            "GENERATE_VERIFY_MAC, KEY_AGREEMENT]");
  }
  if (spec != api::kms::kKeySpecSymmetricDefault) {
    // Deviation from AWS: asymmetric and HMAC keys are not modelled.
    return kms_error(
        ErrorCode::kUnsupportedOperation,
        "ibsim models symmetric encryption keys only; KeySpec " + spec + " is not supported.");
  }
  if (usage != api::kms::kKeyUsageEncryptDecrypt) {
    // Unconfirmed: KMS's text for a key usage the key spec does not support.
    return kms_error(ErrorCode::kValidation,
                     "KeyUsage " + usage + " is not compatible with KeySpec SYMMETRIC_DEFAULT.");
  }
  if (in.origin.has_value() && *in.origin != api::kms::kOriginAwsKms) {
    // Deviation from AWS: imported key material and custom key stores are not modelled.
    return kms_error(ErrorCode::kUnsupportedOperation,
                     "ibsim models key material generated by KMS only; Origin " + *in.origin
                         + " is not supported.");
  }
  if (in.custom_key_store_id.has_value() || in.xks_key_id.has_value()) {
    return kms_error(ErrorCode::kUnsupportedOperation, "ibsim does not model custom key stores.");
  }
  if (in.multi_region.value_or(false)) {
    // Deviation from AWS: multi-Region keys are not modelled.
    return kms_error(ErrorCode::kUnsupportedOperation, "ibsim does not model multi-Region keys.");
  }
  if (in.description.has_value() && in.description->size() > kDescriptionCharsMax) {
    return validation_error(
        "description", *in.description, "have length less than or equal to 8192");
  }
  if (sim::Status s = validate_tags(in.tags); !s.ok()) {
    return s.error();
  }
  if (in.tags.size() > options_.tags_per_key_max) {
    return kms_error(ErrorCode::kTag, "A key can have at most 50 tags.");
  }
  std::vector<auth::ContextValue> keys{
      {"kms:KeySpec", {std::string(api::kms::kKeySpecSymmetricDefault)}, false},
      {"kms:KeyUsage", {std::string(api::kms::kKeyUsageEncryptDecrypt)}, false},
      {"kms:KeyOrigin", {std::string(api::kms::kOriginAwsKms)}, false},
      {"kms:MultiRegion", {"false"}, false},
      {"kms:BypassPolicyLockoutSafetyCheck",
       {in.bypass_policy_lockout_safety_check ? "true" : "false"},
       false}};
  add_request_tag_keys(in.tags, keys);
  if (sim::Status s = authorize_plain(ctx, "kms:CreateKey", "*", std::move(keys)); !s.ok()) {
    return s.error();
  }
  const api::AccountId& account = ctx.principal.account;
  if (account.empty()) {
    return kms_error(ErrorCode::kUnsupportedOperation,
                     "Only principals of an account can create keys.");
  }
  RegionState& rs = region_state(account, ctx.region);
  if (rs.keys.size() >= options_.keys_per_region_max) {
    // Unconfirmed: KMS's text for the key quota.
    return kms_error(ErrorCode::kLimitExceeded,
                     "The request was rejected because the KMS keys quota for this account and "
                     "Region was exceeded.");
  }
  std::string key_id = new_key_id(key_rng_);
  while (rs.keys.contains(key_id)) {
    key_id = new_key_id(key_rng_);
  }
  const std::string arn = api::kms_key_arn(ctx.region, account, key_id);
  if (!in.tags.empty()) {
    // "To use this parameter, you must have kms:TagResource permission in an IAM policy."
    std::vector<auth::ContextValue> tag_keys;
    add_request_tag_keys(in.tags, tag_keys);
    if (sim::Status s = authorize_plain(ctx, "kms:TagResource", arn, std::move(tag_keys));
        !s.ok()) {
      return s.error();
    }
  }
  std::string policy_text;
  policy::Policy key_policy;
  if (in.policy.has_value()) {
    sim::Result<policy::Policy> parsed = parse_key_policy(*in.policy);
    if (!parsed.ok()) {
      return parsed.error();
    }
    if (!in.bypass_policy_lockout_safety_check) {
      std::vector<auth::ContextValue> resource_keys;
      for (const api::kms::Tag& t : in.tags) {
        resource_keys.push_back({"aws:ResourceTag/" + t.tag_key, {t.tag_value}, false});
      }
      resource_keys.push_back({"kms:CallerAccount", {account.str()}, false});
      if (sim::Status s = lockout_check(ctx, arn, resource_keys, *parsed); !s.ok()) {
        return s.error();
      }
    }
    policy_text = *in.policy;
    key_policy = std::move(parsed).value();
  } else {
    policy_text = default_key_policy(account);
    sim::Result<policy::Policy> parsed = parse_key_policy(policy_text);
    IBSIM_ASSERT(parsed.ok(), "the default key policy is valid");
    key_policy = std::move(parsed).value();
  }
  sim::Rng material_rng = key_rng_.fork(arn);
  Key& key = insert_key(account, ctx.region, std::move(key_id), new_key_material(material_rng));
  key.description = in.description.value_or("");
  key.policy_text = std::move(policy_text);
  key.policy = std::move(key_policy);
  for (const api::kms::Tag& t : in.tags) {
    key.tags[t.tag_key] = t.tag_value;
  }
  ctx_.emit("kms.key.create",
            {{"account", account.str()},
             {"region", ctx.region.str()},
             {"key", key.arn},
             {"manager", "CUSTOMER"},
             {"principal", ctx.principal.arn}});
  return api::kms::CreateKeyOutput{metadata(key)};
}

sim::Result<api::kms::DescribeKeyOutput> KmsModel::describe_key(
    const api::CallContext& ctx, const api::kms::DescribeKeyInput& in) {
  sim::Result<Key*> key = resolve_key(ctx, in.key_id, {.aliases = true, .cross_account = true});
  if (!key.ok()) {
    return key.error();
  }
  if (sim::Status s = authorize_key(
          ctx, **key, {.action = "kms:DescribeKey", .grant_operation = internal::kOpDescribeKey});
      !s.ok()) {
    return s.error();
  }
  return api::kms::DescribeKeyOutput{metadata(**key)};
}

sim::Result<api::kms::ListKeysOutput> KmsModel::list_keys(const api::CallContext& ctx,
                                                          const api::kms::ListKeysInput& in) {
  if (sim::Status s = check_limit(in.limit); !s.ok()) {
    return s.error();
  }
  if (sim::Status s = authorize_plain(ctx, "kms:ListKeys", "*"); !s.ok()) {
    return s.error();
  }
  std::vector<api::kms::KeyListEntry> all;
  if (const RegionState* rs = find_region(ctx.principal.account, ctx.region); rs != nullptr) {
    for (const auto& [key_id, key] : rs->keys) {
      all.push_back({key.key_id, key.arn});
    }
  }
  api::kms::ListKeysOutput out;
  if (sim::Status s = paginate(
          std::move(all),
          in.limit,
          kListKeysLimitDefault,
          in.marker,
          [](const api::kms::KeyListEntry& e) -> std::string_view { return e.key_id; },
          out.keys,
          out.next_marker,
          out.truncated);
      !s.ok()) {
    return s.error();
  }
  return out;
}

sim::Result<api::kms::EnableKeyOutput> KmsModel::enable_key(const api::CallContext& ctx,
                                                            const api::kms::EnableKeyInput& in) {
  sim::Result<Key*> found = resolve_key(ctx, in.key_id, {.aliases = false, .cross_account = false});
  if (!found.ok()) {
    return found.error();
  }
  Key& key = **found;
  if (sim::Status s = authorize_key(ctx, key, {.action = "kms:EnableKey"}); !s.ok()) {
    return s.error();
  }
  if (key.state == KeyState::kPendingDeletion) {
    return pending_deletion(key.arn);
  }
  if (key.state != KeyState::kEnabled) {
    key.state = KeyState::kEnabled;
    ctx_.emit("kms.key.enable", {{"key", key.arn}});
  }
  return api::kms::EnableKeyOutput{};
}

sim::Result<api::kms::DisableKeyOutput> KmsModel::disable_key(const api::CallContext& ctx,
                                                              const api::kms::DisableKeyInput& in) {
  sim::Result<Key*> found = resolve_key(ctx, in.key_id, {.aliases = false, .cross_account = false});
  if (!found.ok()) {
    return found.error();
  }
  Key& key = **found;
  if (sim::Status s = authorize_key(ctx, key, {.action = "kms:DisableKey"}); !s.ok()) {
    return s.error();
  }
  if (key.state == KeyState::kPendingDeletion) {
    return pending_deletion(key.arn);
  }
  if (key.state != KeyState::kDisabled) {
    key.state = KeyState::kDisabled;
    ctx_.emit("kms.key.disable", {{"key", key.arn}});
  }
  return api::kms::DisableKeyOutput{};
}

sim::Result<api::kms::ScheduleKeyDeletionOutput> KmsModel::schedule_key_deletion(
    const api::CallContext& ctx, const api::kms::ScheduleKeyDeletionInput& in) {
  const int32_t days = in.pending_window_in_days.value_or(kPendingWindowDaysDefault);
  if (days < kPendingWindowDaysMin || days > kPendingWindowDaysMax) {
    return kms_error(ErrorCode::kValidation, "PendingWindowInDays must be between 7 and 30");
  }
  sim::Result<Key*> found = resolve_key(ctx, in.key_id, {.aliases = false, .cross_account = false});
  if (!found.ok()) {
    return found.error();
  }
  Key& key = **found;
  if (sim::Status s = authorize_key(ctx,
                                    key,
                                    {.action = "kms:ScheduleKeyDeletion",
                                     .keys = {{"kms:ScheduleKeyDeletionPendingWindowInDays",
                                               {std::to_string(days)},
                                               false}}});
      !s.ok()) {
    return s.error();
  }
  if (key.state == KeyState::kPendingDeletion) {
    return pending_deletion(key.arn);
  }
  key.state = KeyState::kPendingDeletion;
  key.pending_window_days = days;
  key.deletion_date = ctx_.unix_ms() + sim::Duration::days(days).ms();
  Key* target = &key;
  key.deletion_event = ctx_.scheduler().schedule_after(sim::Duration::days(days),
                                                       [this, target] { finish_deletion(target); });
  ctx_.emit("kms.key.schedule_deletion", {{"key", key.arn}, {"days", days}});
  return api::kms::ScheduleKeyDeletionOutput{
      .key_id = key.arn,
      .deletion_date = *key.deletion_date,
      .key_state = std::string(api::kms::kKeyStatePendingDeletion),
      .pending_window_in_days = days};
}

sim::Result<api::kms::CancelKeyDeletionOutput> KmsModel::cancel_key_deletion(
    const api::CallContext& ctx, const api::kms::CancelKeyDeletionInput& in) {
  sim::Result<Key*> found = resolve_key(ctx, in.key_id, {.aliases = false, .cross_account = false});
  if (!found.ok()) {
    return found.error();
  }
  Key& key = **found;
  if (sim::Status s = authorize_key(ctx, key, {.action = "kms:CancelKeyDeletion"}); !s.ok()) {
    return s.error();
  }
  if (key.state != KeyState::kPendingDeletion) {
    return kms_error(ErrorCode::kInvalidState, key.arn + " is not pending deletion.");
  }
  ctx_.scheduler().cancel(key.deletion_event);
  key.deletion_event = {};
  key.deletion_date.reset();
  key.pending_window_days = 0;
  // A key whose deletion is cancelled is Disabled, whatever it was before (CancelKeyDeletion).
  key.state = KeyState::kDisabled;
  ctx_.emit("kms.key.cancel_deletion", {{"key", key.arn}});
  return api::kms::CancelKeyDeletionOutput{key.arn};
}

void KmsModel::finish_deletion(Key* key) {
  IBSIM_ASSERT(key->state == KeyState::kPendingDeletion,
               "the deletion event is cancelled when the deletion is");
  const std::string arn = key->arn;
  const std::string key_id = key->key_id;
  RegionState& rs = region_state(key->account, key->region);
  // KMS deletes the aliases that refer to the key with it.
  std::erase_if(rs.aliases,
                [&](const auto& entry) { return entry.second.target_key_id == key_id; });
  for (const Grant& g : key->grants) {
    erase_grant_tokens(arn, g.grant_id);
  }
  by_arn_.erase(arn);
  deleted_key_arns_.insert(arn);
  rs.keys.erase(key_id);
  ctx_.emit("kms.key.deleted", {{"key", arn}});
}

// ---------------------------------------------------------------------------------------------
// Aliases

sim::Result<api::kms::CreateAliasOutput> KmsModel::create_alias(
    const api::CallContext& ctx, const api::kms::CreateAliasInput& in) {
  if (sim::Status s = check_alias_name(in.alias_name); !s.ok()) {
    return s.error();
  }
  sim::Result<Key*> found =
      resolve_key(ctx, in.target_key_id, {.aliases = false, .cross_account = false});
  if (!found.ok()) {
    return found.error();
  }
  Key& key = **found;
  const std::string alias_arn = api::kms_alias_arn(ctx.region, key.account, in.alias_name);
  if (sim::Status s = authorize_plain(ctx, "kms:CreateAlias", alias_arn); !s.ok()) {
    return s.error();
  }
  if (sim::Status s = authorize_key(ctx, key, {.action = "kms:CreateAlias"}); !s.ok()) {
    return s.error();
  }
  RegionState& rs = region_state(key.account, key.region);
  if (rs.aliases.contains(in.alias_name)) {
    return kms_error(ErrorCode::kAlreadyExists,
                     "An alias with the name " + alias_arn + " already exists");
  }
  if (key.state == KeyState::kPendingDeletion) {
    return pending_deletion(key.arn);
  }
  const auto per_key = static_cast<std::size_t>(
      std::count_if(rs.aliases.begin(), rs.aliases.end(), [&](const auto& a) {
        return a.second.target_key_id == key.key_id;
      }));
  if (per_key >= options_.aliases_per_key_max) {
    // Unconfirmed: KMS's text for the aliases-per-key quota.
    return kms_error(ErrorCode::kLimitExceeded,
                     "The request was rejected because the key " + key.arn
                         + " already has the maximum number of aliases.");
  }
  const api::kms::UnixMillis now = ctx_.unix_ms();
  rs.aliases.emplace(in.alias_name, Alias{key.key_id, now, now});
  ctx_.emit("kms.alias.create", {{"alias", alias_arn}, {"key", key.arn}});
  return api::kms::CreateAliasOutput{};
}

sim::Result<api::kms::UpdateAliasOutput> KmsModel::update_alias(
    const api::CallContext& ctx, const api::kms::UpdateAliasInput& in) {
  if (sim::Status s = check_alias_name(in.alias_name); !s.ok()) {
    return s.error();
  }
  const api::AccountId& account = ctx.principal.account;
  const std::string alias_arn = api::kms_alias_arn(ctx.region, account, in.alias_name);
  RegionState* rs = account.empty() ? nullptr : find_region(account, ctx.region);
  if (rs == nullptr || !rs->aliases.contains(in.alias_name)) {
    return alias_not_found(alias_arn);
  }
  sim::Result<Key*> found =
      resolve_key(ctx, in.target_key_id, {.aliases = false, .cross_account = false});
  if (!found.ok()) {
    return found.error();
  }
  Key& target = **found;
  Alias& alias = rs->aliases.at(in.alias_name);
  Key& current = rs->keys.at(alias.target_key_id);
  if (sim::Status s = authorize_plain(ctx, "kms:UpdateAlias", alias_arn); !s.ok()) {
    return s.error();
  }
  if (sim::Status s = authorize_key(ctx, current, {.action = "kms:UpdateAlias"}); !s.ok()) {
    return s.error();
  }
  if (sim::Status s = authorize_key(ctx, target, {.action = "kms:UpdateAlias"}); !s.ok()) {
    return s.error();
  }
  if (target.state == KeyState::kPendingDeletion) {
    return pending_deletion(target.arn);
  }
  alias.target_key_id = target.key_id;
  alias.last_updated_date = ctx_.unix_ms();
  ctx_.emit("kms.alias.update", {{"alias", alias_arn}, {"key", target.arn}});
  return api::kms::UpdateAliasOutput{};
}

sim::Result<api::kms::DeleteAliasOutput> KmsModel::delete_alias(
    const api::CallContext& ctx, const api::kms::DeleteAliasInput& in) {
  if (sim::Status s = check_alias_name(in.alias_name); !s.ok()) {
    return s.error();
  }
  const api::AccountId& account = ctx.principal.account;
  const std::string alias_arn = api::kms_alias_arn(ctx.region, account, in.alias_name);
  RegionState* rs = account.empty() ? nullptr : find_region(account, ctx.region);
  if (rs == nullptr || !rs->aliases.contains(in.alias_name)) {
    return alias_not_found(alias_arn);
  }
  const Key& key = rs->keys.at(rs->aliases.at(in.alias_name).target_key_id);
  if (sim::Status s = authorize_plain(ctx, "kms:DeleteAlias", alias_arn); !s.ok()) {
    return s.error();
  }
  if (sim::Status s = authorize_key(ctx, key, {.action = "kms:DeleteAlias"}); !s.ok()) {
    return s.error();
  }
  rs->aliases.erase(in.alias_name);
  ctx_.emit("kms.alias.delete", {{"alias", alias_arn}});
  return api::kms::DeleteAliasOutput{};
}

sim::Result<api::kms::ListAliasesOutput> KmsModel::list_aliases(
    const api::CallContext& ctx, const api::kms::ListAliasesInput& in) {
  if (sim::Status s = check_limit(in.limit); !s.ok()) {
    return s.error();
  }
  std::optional<std::string> only_key;
  if (in.key_id.has_value()) {
    sim::Result<Key*> found =
        resolve_key(ctx, *in.key_id, {.aliases = false, .cross_account = false});
    if (!found.ok()) {
      return found.error();
    }
    only_key = (*found)->key_id;
  }
  if (sim::Status s = authorize_plain(ctx, "kms:ListAliases", "*"); !s.ok()) {
    return s.error();
  }
  const api::AccountId& account = ctx.principal.account;
  std::vector<api::kms::AliasListEntry> all;
  const RegionState* rs = account.empty() ? nullptr : find_region(account, ctx.region);
  if (rs != nullptr) {
    for (const auto& [name, alias] : rs->aliases) {
      if (only_key.has_value() && alias.target_key_id != *only_key) {
        continue;
      }
      all.push_back({.alias_name = name,
                     .alias_arn = api::kms_alias_arn(ctx.region, account, name),
                     .target_key_id = alias.target_key_id,
                     .creation_date = alias.creation_date,
                     .last_updated_date = alias.last_updated_date});
    }
  }
  // The predefined alias/aws/ebs is listed without a target until its key is first used.
  // Deviation from AWS: KMS lists every predefined AWS alias (aws/s3, aws/rds, ...); ibsim knows
  // only aws/ebs.
  if (!account.empty() && !only_key.has_value()
      && (rs == nullptr || !rs->aliases.contains(kAwsEbsAlias))) {
    api::kms::AliasListEntry predefined{
        .alias_name = std::string(kAwsEbsAlias),
        .alias_arn = api::kms_alias_arn(ctx.region, account, kAwsEbsAlias)};
    const auto pos =
        std::lower_bound(all.begin(), all.end(), predefined, [](const auto& a, const auto& b) {
          return a.alias_name < b.alias_name;
        });
    all.insert(pos, std::move(predefined));
  }
  api::kms::ListAliasesOutput out;
  if (sim::Status s = paginate(
          std::move(all),
          in.limit,
          kListAliasesLimitDefault,
          in.marker,
          [](const api::kms::AliasListEntry& e) -> std::string_view { return e.alias_name; },
          out.aliases,
          out.next_marker,
          out.truncated);
      !s.ok()) {
    return s.error();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Key policies

namespace {

sim::Status check_policy_name(const std::optional<std::string>& name) {
  if (name.has_value() && *name != api::kms::kDefaultPolicyName) {
    // Unconfirmed: KMS's answer to a policy name other than "default".
    return kms_error(ErrorCode::kNotFound, "No such policy exists: " + *name);
  }
  return {};
}

}  // namespace

sim::Result<api::kms::PutKeyPolicyOutput> KmsModel::put_key_policy(
    const api::CallContext& ctx, const api::kms::PutKeyPolicyInput& in) {
  sim::Result<Key*> found = resolve_key(ctx, in.key_id, {.aliases = false, .cross_account = false});
  if (!found.ok()) {
    return found.error();
  }
  Key& key = **found;
  if (sim::Status s = check_policy_name(in.policy_name); !s.ok()) {
    return s.error();
  }
  if (sim::Status s =
          authorize_key(ctx,
                        key,
                        {.action = "kms:PutKeyPolicy",
                         .keys = {{"kms:BypassPolicyLockoutSafetyCheck",
                                   {in.bypass_policy_lockout_safety_check ? "true" : "false"},
                                   false}}});
      !s.ok()) {
    return s.error();
  }
  if (key.aws_managed) {
    // The aws/ebs policy never allows PutKeyPolicy, so this is only reached by an authorizer
    // that allows everything. Unconfirmed: the code KMS would use.
    return kms_error(ErrorCode::kUnsupportedOperation,
                     "The key policy of an AWS managed key cannot be changed.");
  }
  sim::Result<policy::Policy> parsed = parse_key_policy(in.policy);
  if (!parsed.ok()) {
    return parsed.error();
  }
  // Unconfirmed: PutKeyPolicy is accepted in every key state, PendingDeletion included.
  if (!in.bypass_policy_lockout_safety_check) {
    if (sim::Status s = lockout_check(ctx, key.arn, key_condition_keys(ctx, key), *parsed);
        !s.ok()) {
      return s.error();
    }
  }
  key.policy_text = in.policy;
  key.policy = std::move(parsed).value();
  ctx_.emit("kms.key.policy", {{"key", key.arn}, {"principal", ctx.principal.arn}});
  return api::kms::PutKeyPolicyOutput{};
}

sim::Result<api::kms::GetKeyPolicyOutput> KmsModel::get_key_policy(
    const api::CallContext& ctx, const api::kms::GetKeyPolicyInput& in) {
  sim::Result<Key*> found = resolve_key(ctx, in.key_id, {.aliases = false, .cross_account = false});
  if (!found.ok()) {
    return found.error();
  }
  const Key& key = **found;
  if (sim::Status s = check_policy_name(in.policy_name); !s.ok()) {
    return s.error();
  }
  if (sim::Status s = authorize_key(ctx, key, {.action = "kms:GetKeyPolicy"}); !s.ok()) {
    return s.error();
  }
  return api::kms::GetKeyPolicyOutput{key.policy_text, std::string(api::kms::kDefaultPolicyName)};
}

sim::Result<api::kms::ListKeyPoliciesOutput> KmsModel::list_key_policies(
    const api::CallContext& ctx, const api::kms::ListKeyPoliciesInput& in) {
  if (sim::Status s = check_limit(in.limit); !s.ok()) {
    return s.error();
  }
  sim::Result<Key*> found = resolve_key(ctx, in.key_id, {.aliases = false, .cross_account = false});
  if (!found.ok()) {
    return found.error();
  }
  if (sim::Status s = authorize_key(ctx, **found, {.action = "kms:ListKeyPolicies"}); !s.ok()) {
    return s.error();
  }
  api::kms::ListKeyPoliciesOutput out;
  if (sim::Status s = paginate(
          std::vector<std::string>{std::string(api::kms::kDefaultPolicyName)},
          in.limit,
          kListPoliciesLimitDefault,
          in.marker,
          [](const std::string& name) -> std::string_view { return name; },
          out.policy_names,
          out.next_marker,
          out.truncated);
      !s.ok()) {
    return s.error();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Tags

sim::Result<api::kms::TagResourceOutput> KmsModel::tag_resource(
    const api::CallContext& ctx, const api::kms::TagResourceInput& in) {
  sim::Result<Key*> found = resolve_key(ctx, in.key_id, {.aliases = false, .cross_account = false});
  if (!found.ok()) {
    return found.error();
  }
  Key& key = **found;
  if (sim::Status s = validate_tags(in.tags); !s.ok()) {
    return s.error();
  }
  std::vector<auth::ContextValue> keys;
  add_request_tag_keys(in.tags, keys);
  if (sim::Status s =
          authorize_key(ctx, key, {.action = "kms:TagResource", .keys = std::move(keys)});
      !s.ok()) {
    return s.error();
  }
  if (key.state == KeyState::kPendingDeletion) {
    return pending_deletion(key.arn);
  }
  std::map<std::string, std::string> tags = key.tags;
  for (const api::kms::Tag& t : in.tags) {
    tags[t.tag_key] = t.tag_value;
  }
  if (tags.size() > options_.tags_per_key_max) {
    // Unconfirmed: KMS's text for the tag quota.
    return kms_error(ErrorCode::kTag, "A key can have at most 50 tags.");
  }
  key.tags = std::move(tags);
  ctx_.emit("kms.key.tag", {{"key", key.arn}, {"count", in.tags.size()}});
  return api::kms::TagResourceOutput{};
}

sim::Result<api::kms::UntagResourceOutput> KmsModel::untag_resource(
    const api::CallContext& ctx, const api::kms::UntagResourceInput& in) {
  sim::Result<Key*> found = resolve_key(ctx, in.key_id, {.aliases = false, .cross_account = false});
  if (!found.ok()) {
    return found.error();
  }
  Key& key = **found;
  std::vector<auth::ContextValue> keys;
  if (!in.tag_keys.empty()) {
    keys.push_back({"aws:TagKeys", in.tag_keys, true});
  }
  if (sim::Status s =
          authorize_key(ctx, key, {.action = "kms:UntagResource", .keys = std::move(keys)});
      !s.ok()) {
    return s.error();
  }
  if (key.state == KeyState::kPendingDeletion) {
    return pending_deletion(key.arn);
  }
  for (const std::string& k : in.tag_keys) {
    key.tags.erase(k);
  }
  ctx_.emit("kms.key.untag", {{"key", key.arn}, {"count", in.tag_keys.size()}});
  return api::kms::UntagResourceOutput{};
}

sim::Result<api::kms::ListResourceTagsOutput> KmsModel::list_resource_tags(
    const api::CallContext& ctx, const api::kms::ListResourceTagsInput& in) {
  if (sim::Status s = check_limit(in.limit); !s.ok()) {
    return s.error();
  }
  sim::Result<Key*> found = resolve_key(ctx, in.key_id, {.aliases = false, .cross_account = false});
  if (!found.ok()) {
    return found.error();
  }
  const Key& key = **found;
  if (sim::Status s = authorize_key(ctx, key, {.action = "kms:ListResourceTags"}); !s.ok()) {
    return s.error();
  }
  std::vector<api::kms::Tag> all;
  for (const auto& [k, v] : key.tags) {
    all.push_back({k, v});
  }
  api::kms::ListResourceTagsOutput out;
  if (sim::Status s = paginate(
          std::move(all),
          in.limit,
          kListTagsLimitDefault,
          in.marker,
          [](const api::kms::Tag& t) -> std::string_view { return t.tag_key; },
          out.tags,
          out.next_marker,
          out.truncated);
      !s.ok()) {
    return s.error();
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Seeds and inspection

sim::Result<api::kms::KeyMetadata> KmsModel::seed_key(const SeedKey& seed) {
  if (seed.account.empty() || seed.region.empty()) {
    return kms_error(ErrorCode::kValidation, "A seeded key needs an account and a region.");
  }
  RegionState& rs = region_state(seed.account, seed.region);
  if (rs.keys.size() >= options_.keys_per_region_max) {
    return kms_error(ErrorCode::kLimitExceeded,
                     "The request was rejected because the KMS keys quota for this account and "
                     "Region was exceeded.");
  }
  std::string key_id;
  if (seed.key_id.has_value()) {
    if (!internal::is_key_uuid(*seed.key_id)) {
      return kms_error(ErrorCode::kValidation,
                       "A seeded key id must be a lower-case UUID: '" + *seed.key_id + "'");
    }
    key_id = *seed.key_id;
  } else {
    key_id = new_key_id(key_rng_);
  }
  const std::string arn = api::kms_key_arn(seed.region, seed.account, key_id);
  if (rs.keys.contains(key_id) || deleted_key_arns_.contains(arn)) {
    return kms_error(ErrorCode::kAlreadyExists, "Key " + arn + " already exists");
  }
  if (seed.description.size() > kDescriptionCharsMax) {
    return validation_error(
        "description", seed.description, "have length less than or equal to 8192");
  }
  if (sim::Status s = validate_tags(seed.tags); !s.ok()) {
    return s.error();
  }
  if (seed.tags.size() > options_.tags_per_key_max) {
    return kms_error(ErrorCode::kTag, "A key can have at most 50 tags.");
  }
  std::string text = seed.policy.value_or(default_key_policy(seed.account));
  sim::Result<policy::Policy> parsed = parse_key_policy(text);
  if (!parsed.ok()) {
    return parsed.error();
  }
  sim::Rng material_rng = key_rng_.fork(arn);
  Key& key =
      insert_key(seed.account, seed.region, std::move(key_id), new_key_material(material_rng));
  key.description = seed.description;
  key.policy_text = std::move(text);
  key.policy = std::move(parsed).value();
  key.state = seed.enabled ? KeyState::kEnabled : KeyState::kDisabled;
  for (const api::kms::Tag& t : seed.tags) {
    key.tags[t.tag_key] = t.tag_value;
  }
  ctx_.emit("kms.key.create",
            {{"account", seed.account.str()},
             {"region", seed.region.str()},
             {"key", key.arn},
             {"manager", "CUSTOMER"},
             {"principal", "seed"}});
  return metadata(key);
}

sim::Status KmsModel::seed_alias(const api::AccountId& account,
                                 const api::Region& region,
                                 std::string_view alias_name,
                                 std::string_view target_key_id) {
  if (sim::Status s = check_alias_name(alias_name); !s.ok()) {
    return s;
  }
  RegionState& rs = region_state(account, region);
  std::string_view id = target_key_id;
  if (target_key_id.starts_with("arn:")) {
    const Key* key = find_key_by_arn(target_key_id);
    if (key == nullptr || key->account != account || key->region != region) {
      return key_not_found(target_key_id);
    }
    id = key->key_id;
  }
  const auto key = rs.keys.find(id);
  if (key == rs.keys.end()) {
    return key_not_found(api::kms_key_arn(region, account, id));
  }
  const std::string alias_arn = api::kms_alias_arn(region, account, alias_name);
  if (rs.aliases.contains(alias_name)) {
    return kms_error(ErrorCode::kAlreadyExists,
                     "An alias with the name " + alias_arn + " already exists");
  }
  const api::kms::UnixMillis now = ctx_.unix_ms();
  rs.aliases.emplace(std::string(alias_name), Alias{key->second.key_id, now, now});
  ctx_.emit("kms.alias.create", {{"alias", alias_arn}, {"key", key->second.arn}});
  return {};
}

sim::Status KmsModel::seed_key_policy(std::string_view key_arn, std::string_view policy_text) {
  Key* key = find_key_by_arn(key_arn);
  if (key == nullptr) {
    return key_not_found(key_arn);
  }
  if (key->aws_managed) {
    return kms_error(ErrorCode::kUnsupportedOperation,
                     "The key policy of an AWS managed key cannot be changed.");
  }
  sim::Result<policy::Policy> parsed = parse_key_policy(policy_text);
  if (!parsed.ok()) {
    return parsed.error();
  }
  key->policy_text = std::string(policy_text);
  key->policy = std::move(parsed).value();
  ctx_.emit("kms.key.policy", {{"key", key->arn}, {"principal", "seed"}});
  return {};
}

std::optional<api::kms::KeyMetadata> KmsModel::find_key(std::string_view key_arn) const {
  const Key* key = find_key_by_arn(key_arn);
  if (key == nullptr) {
    return std::nullopt;
  }
  return metadata(*key);
}

std::optional<std::string> KmsModel::find_key_policy(std::string_view key_arn) const {
  const Key* key = find_key_by_arn(key_arn);
  if (key == nullptr) {
    return std::nullopt;
  }
  return key->policy_text;
}

std::optional<std::string> KmsModel::find_alias_target(const api::AccountId& account,
                                                       const api::Region& region,
                                                       std::string_view alias_name) const {
  const RegionState* state = find_region(account, region);
  if (state == nullptr) {
    return std::nullopt;
  }
  const auto it = state->aliases.find(alias_name);
  if (it == state->aliases.end()) {
    return std::nullopt;
  }
  return api::kms_key_arn(region, account, it->second.target_key_id);
}

}  // namespace ibsim::mock_aws::kms
