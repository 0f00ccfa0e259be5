#include "mock_aws/policy/request_context.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstring>
#include <utility>

#include "mock_aws/api/arn.h"
#include "mock_aws/policy/pattern.h"
#include "mock_aws/policy/text.h"
#include "sim/base/assert.h"

namespace ibsim::mock_aws::policy {
namespace {

// The eight bytes of `word` with ASCII 'A'-'Z' lower-cased (SWAR; bytes >= 0x80 are left alone).
std::uint64_t lower_word(std::uint64_t word) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  const std::uint64_t low7 = word & (0x7f * kOnes);
  const std::uint64_t at_least_a = low7 + (0x80 - 'A') * kOnes;  // High bit: byte >= 'A'.
  const std::uint64_t past_z = low7 + (0x80 - 'Z' - 1) * kOnes;  // High bit: byte > 'Z'.
  const std::uint64_t upper = at_least_a & ~past_z & ~word & (0x80 * kOnes);
  return word | (upper >> 2);  // 0x80 >> 2 is the case bit 0x20.
}

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

bool same_principal(const api::Principal& a, const api::Principal& b) {
  return a.kind == b.kind && a.account == b.account && a.arn == b.arn && a.role_arn == b.role_arn
         && a.name == b.name && a.session_name == b.session_name && a.unique_id == b.unique_id
         && a.tags == b.tags;
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
    : principal_(std::move(principal)) {
  keys_.reserve(kKeysReserved);
  if (!principal_.account.empty()) {
    principal_account_arn_ = api::root_arn(principal_.account);
  }
  set_targets(action, resource, resource_account);
  fill_principal_keys();
}

void RequestContext::reset(const api::Principal& principal,
                           std::string_view action,
                           std::string_view resource,
                           std::string_view resource_account) {
  const bool same = principal_keys_intact_ && same_principal(principal_, principal);
  if (!same) {
    if (principal_.account != principal.account) {
      principal_account_arn_.clear();
      if (!principal.account.empty()) {
        principal_account_arn_ = api::root_arn(principal.account);
      }
    }
    principal_ = principal;
  }
  set_targets(action, resource, resource_account);
  if (same) {
    active_ = principal_keys_;
    filter_ = principal_filter_;
  } else {
    fill_principal_keys();
  }
}

void RequestContext::set_targets(std::string_view action,
                                 std::string_view resource,
                                 std::string_view resource_account) {
  if (action != action_ || action_.empty()) {
    action_.assign(action);
    action_lower_.assign(action);
    for (char& c : action_lower_) {
      c = ascii_lower(c);
    }
    action_colon_ = action_lower_.find(':');
  }
  if (resource != resource_) {
    // arn_account_ always belongs to resource_ (both start empty, and "" has no account).
    resource_.assign(resource);
    arn_account_.clear();
    std::array<std::string_view, ArnPattern::kSegments> parts{};
    if (resource_.starts_with("arn:") && split_arn(resource_, parts)
        && api::AccountId::is_valid(parts[4])) {
      arn_account_.assign(parts[4]);
    }
  }
  if (!resource_account.empty()) {
    resource_account_.assign(resource_account);
  } else if (!arn_account_.empty()) {
    resource_account_.assign(arn_account_);
  } else {
    resource_account_.assign(principal_.account.str());
  }
}

bool RequestContext::cross_account() const {
  return !principal_.account.empty() && !resource_account_.empty()
         && principal_.account.str() != resource_account_;
}

void RequestContext::fill_principal_keys() {
  active_ = 0;
  filter_ = {};
  principal_keys_ = 0;
  add_principal_keys();
  principal_keys_ = active_;
  principal_filter_ = filter_;
  principal_keys_intact_ = true;
}

void RequestContext::add_principal_keys() {
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

std::uint64_t RequestContext::key_hash(std::string_view key) {
  // Eight bytes at a time, each word lower-cased (ASCII) and mixed with a multiply-rotate.
  std::uint64_t hash = 0x9e3779b97f4a7c15ULL ^ key.size();
  for (std::size_t i = 0; i < key.size(); i += 8) {
    std::uint64_t word = 0;
    std::memcpy(&word, key.data() + i, std::min<std::size_t>(8, key.size() - i));
    hash = (hash ^ lower_word(word)) * 0xbf58476d1ce4e5b9ULL;
    hash ^= hash >> 31;
  }
  return hash;
}

std::size_t RequestContext::find_key(std::string_view key, std::uint64_t hash) const {
  if ((filter_[filter_word(hash)] & filter_bit(hash)) == 0) {
    return active_;  // Most lookups are of keys about to be added: no scan for those.
  }
  for (std::size_t i = 0; i < active_; ++i) {
    if (keys_[i].name_hash == hash && iequals_ascii(keys_[i].name_lower, key)) {
      return i;
    }
  }
  return active_;
}

ContextKey& RequestContext::slot(std::string_view key) {
  // Every authorization sets about a dozen keys: look up without allocating or copying (the name is
  // folded to lower case while hashing, names are compared only when their hashes agree) and reuse
  // a dormant slot's storage on insertion.
  const std::uint64_t hash = key_hash(key);
  if (const std::size_t i = find_key(key, hash); i < active_) {
    touch(i);
    return keys_[i];
  }
  IBSIM_ASSERT(active_ < kMaxKeys, "callers bound the keys they add (kMaxKeys)");
  if (active_ == keys_.size()) {
    keys_.push_back(ContextKey{});
  }
  // A dormant slot from an earlier request keeps its strings' capacity.
  ContextKey& k = keys_[active_];
  k.name.assign(key);
  k.name_lower.resize(key.size());
  for (std::size_t i = 0; i < key.size(); i += 8) {
    const std::size_t n = std::min<std::size_t>(8, key.size() - i);
    std::uint64_t word = 0;
    std::memcpy(&word, key.data() + i, n);
    word = lower_word(word);
    std::memcpy(k.name_lower.data() + i, &word, n);
  }
  k.name_hash = hash;
  filter_[filter_word(hash)] |= filter_bit(hash);
  return keys_[active_++];
}

void RequestContext::set(std::string_view key, std::string_view value) {
  ContextKey& k = slot(key);
  if (k.values.empty()) {
    k.values.emplace_back(value);
  } else {
    k.values.front().assign(value);
    k.values.resize(1);
  }
  k.multi_valued = false;
}

void RequestContext::set_multi(std::string_view key, std::vector<std::string> values) {
  IBSIM_ASSERT(values.size() <= kMaxValuesPerKey, "callers bound multi-valued keys");
  ContextKey& k = slot(key);
  k.values = std::move(values);
  k.multi_valued = true;
}

void RequestContext::set_multi_copy(std::string_view key, std::span<const std::string> values) {
  IBSIM_ASSERT(values.size() <= kMaxValuesPerKey, "callers bound multi-valued keys");
  ContextKey& k = slot(key);
  const std::size_t kept = std::min(k.values.size(), values.size());
  for (std::size_t i = 0; i < kept; ++i) {
    k.values[i].assign(values[i]);
  }
  k.values.resize(kept);
  for (std::size_t i = kept; i < values.size(); ++i) {
    k.values.push_back(values[i]);
  }
  k.multi_valued = true;
}

void RequestContext::erase(std::string_view key) {
  const std::size_t i = find_key(key, key_hash(key));
  if (i < active_) {  // Names are unique among the active keys.
    touch(i);
    // Keep the order of the remaining keys; the erased slot becomes dormant storage.
    std::rotate(keys_.begin() + static_cast<std::ptrdiff_t>(i),
                keys_.begin() + static_cast<std::ptrdiff_t>(i + 1),
                keys_.begin() + static_cast<std::ptrdiff_t>(active_));
    --active_;
    filter_ = {};
    for (std::size_t j = 0; j < active_; ++j) {
      filter_[filter_word(keys_[j].name_hash)] |= filter_bit(keys_[j].name_hash);
    }
  }
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
  const std::size_t i = find_key(key, key_hash(key));
  return i < active_ ? &keys_[i] : nullptr;
}

const ContextKey* RequestContext::find_lower(std::string_view key_lower) const {
  return find(key_lower);
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
