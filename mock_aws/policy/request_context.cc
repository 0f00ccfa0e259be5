#include "mock_aws/policy/request_context.h"

#include <array>
#include <cstdio>
#include <utility>

#include "mock_aws/api/arn.h"
#include "mock_aws/policy/pattern.h"
#include "mock_aws/policy/text.h"
#include "sim/base/assert.h"

namespace ibsim::mock_aws::policy {
namespace {

// aws:PrincipalType values (IAM-KEYS: Account, User, FederatedUser, AssumedRole, Anonymous).
std::string_view principal_type(api::PrincipalKind kind) {
  switch (kind) {
    case api::PrincipalKind::kRoot:
      return "Account";
    case api::PrincipalKind::kUser:
      return "User";
    case api::PrincipalKind::kAssumedRole:
      return "AssumedRole";
    case api::PrincipalKind::kService:
      return "";
    case api::PrincipalKind::kAnonymous:
      return "Anonymous";
  }
  return "";
}

// Days since 1970-01-01 to a civil date (proleptic Gregorian; H. Hinnant's algorithm).
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  if (m <= 2) {
    ++y;
  }
}

}  // namespace

std::string format_iso8601_utc(std::int64_t unix_ms) {
  std::int64_t seconds = unix_ms / 1000;
  if (unix_ms % 1000 < 0) {
    --seconds;
  }
  std::int64_t days = seconds / 86400;
  std::int64_t rem = seconds % 86400;
  if (rem < 0) {
    rem += 86400;
    --days;
  }
  std::int64_t year = 0;
  unsigned month = 0;
  unsigned day = 0;
  civil_from_days(days, year, month, day);
  char buf[40];
  std::snprintf(buf,
                sizeof(buf),
                "%04lld-%02u-%02uT%02lld:%02lld:%02lldZ",
                static_cast<long long>(year),
                month,
                day,
                static_cast<long long>(rem / 3600),
                static_cast<long long>((rem / 60) % 60),
                static_cast<long long>(rem % 60));
  return buf;
}

RequestContext::RequestContext(api::Principal principal,
                               std::string_view action,
                               std::string_view resource,
                               std::string_view resource_account)
    : principal_(std::move(principal)),
      action_(action),
      action_lower_(to_lower_ascii(action)),
      resource_(resource) {
  action_colon_ = action_lower_.find(':');
  if (!principal_.account.empty()) {
    principal_account_arn_ = api::root_arn(principal_.account);
  }
  if (!resource_account.empty()) {
    resource_account_ = std::string(resource_account);
  } else {
    std::array<std::string_view, ArnPattern::kSegments> parts{};
    if (resource_.starts_with("arn:") && split_arn(resource_, parts)
        && api::AccountId::is_valid(parts[4])) {
      resource_account_ = std::string(parts[4]);
    } else {
      resource_account_ = principal_.account.str();
    }
  }
  fill_principal_keys();
}

bool RequestContext::cross_account() const {
  return !principal_.account.empty() && !resource_account_.empty()
         && principal_.account.str() != resource_account_;
}

void RequestContext::fill_principal_keys() {
  const api::Principal& p = principal_;
  const bool is_service = p.kind == api::PrincipalKind::kService;
  set("aws:PrincipalIsAWSService", is_service ? "true" : "false");
  if (is_service) {
    set("aws:PrincipalServiceName", p.arn);
    return;
  }
  const std::string_view type = principal_type(p.kind);
  if (!type.empty()) {
    set("aws:PrincipalType", type);
  }
  if (p.kind == api::PrincipalKind::kAnonymous) {
    set("aws:userid", "anonymous");
    return;
  }
  set("aws:PrincipalArn", p.principal_arn());
  set("aws:PrincipalAccount", p.account.str());
  if (p.kind == api::PrincipalKind::kUser) {
    set("aws:username", p.name);
  }
  if (p.kind == api::PrincipalKind::kRoot) {
    set("aws:userid", p.account.str());
  } else if (!p.unique_id.empty()) {
    set("aws:userid", p.unique_id);
  }
  for (const auto& [tag_key, tag_value] : p.tags) {
    set("aws:PrincipalTag/" + tag_key, tag_value);
  }
}

ContextKey& RequestContext::slot(std::string_view key) {
  const std::string lower = to_lower_ascii(key);
  for (ContextKey& k : keys_) {
    if (k.name_lower == lower) {
      return k;
    }
  }
  IBSIM_ASSERT(keys_.size() < kMaxKeys, "callers bound the keys they add (kMaxKeys)");
  keys_.push_back(ContextKey{std::string(key), lower, {}, false});
  return keys_.back();
}

void RequestContext::set(std::string_view key, std::string_view value) {
  ContextKey& k = slot(key);
  k.values.assign(1, std::string(value));
  k.multi_valued = false;
}

void RequestContext::set_multi(std::string_view key, std::vector<std::string> values) {
  IBSIM_ASSERT(values.size() <= kMaxValuesPerKey, "callers bound multi-valued keys");
  ContextKey& k = slot(key);
  k.values = std::move(values);
  k.multi_valued = true;
}

void RequestContext::erase(std::string_view key) {
  const std::string lower = to_lower_ascii(key);
  std::erase_if(keys_, [&](const ContextKey& k) { return k.name_lower == lower; });
}

void RequestContext::set_request_time(std::int64_t unix_ms) {
  set("aws:CurrentTime", format_iso8601_utc(unix_ms));
  std::int64_t seconds = unix_ms / 1000;
  if (unix_ms % 1000 < 0) {
    --seconds;
  }
  set("aws:EpochTime", std::to_string(seconds));
}

void RequestContext::set_resource_tags(const std::map<std::string, std::string>& tags,
                                       std::string_view prefix) {
  for (const auto& [tag_key, tag_value] : tags) {
    set(std::string(prefix) + tag_key, tag_value);
  }
}

void RequestContext::set_request_tags(const std::map<std::string, std::string>& tags) {
  std::vector<std::string> keys;
  keys.reserve(tags.size());
  for (const auto& [tag_key, tag_value] : tags) {
    set("aws:RequestTag/" + tag_key, tag_value);
    keys.push_back(tag_key);
  }
  set_multi("aws:TagKeys", std::move(keys));
}

const ContextKey* RequestContext::find(std::string_view key) const {
  return find_lower(to_lower_ascii(key));
}

const ContextKey* RequestContext::find_lower(std::string_view key_lower) const {
  for (const ContextKey& k : keys_) {
    if (k.name_lower.size() == key_lower.size() && k.name_lower == key_lower) {
      return &k;
    }
  }
  return nullptr;
}

std::optional<std::string_view> RequestContext::variable_value(std::string_view key_lower) const {
  const ContextKey* k = find_lower(key_lower);
  // Multi-valued keys cannot be policy variables (IAM: single vs multivalued context keys).
  if (k == nullptr || k->multi_valued || k->values.size() != 1) {
    return std::nullopt;
  }
  return std::string_view(k->values.front());
}

}  // namespace ibsim::mock_aws::policy
