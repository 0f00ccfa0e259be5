#pragma once
// RequestContext: what a policy is evaluated against — the principal (api::Principal), the action,
// the resource ARN and the account that owns it, and the condition keys with their values. The
// constructor fills the global keys that follow from the principal (aws:PrincipalArn is the ROLE
// ARN for a session, aws:PrincipalAccount, aws:PrincipalType, aws:userid, aws:username for users,
// aws:PrincipalTag/*, aws:PrincipalIsAWSService, aws:PrincipalServiceName), so callers add only
// service keys (kms:ViaService, kms:CallerAccount, aws:ResourceTag/*, aws:TagKeys, ...).
// Key names are case-insensitive (tag-key suffixes included); values keep their case.
// reset() re-targets a context at another request keeping its storage, so a caller that
// authorizes many requests (mock_aws/sts's StsAuthorizer) allocates nothing in steady state; the
// result is the same as a freshly constructed context.
//
//   RequestContext ctx(session, "kms:Decrypt", key_arn);
//   ctx.set("kms:ViaService", "ec2.us-east-1.amazonaws.com");
//   ctx.set_multi("aws:TagKeys", {"CreatedBy", "Name"});

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mock_aws/api/principal.h"

namespace ibsim::mock_aws::policy {

struct ContextKey {
  std::string name;        // As first set, e.g. "kms:ViaService".
  std::string name_lower;  // The lookup key.
  std::vector<std::string> values;
  bool multi_valued = false;    // Set with set_multi (aws:TagKeys, kms:EncryptionContextKeys, ...).
  std::uint64_t name_hash = 0;  // Of name_lower: RequestContext compares it before the names.
};

class RequestContext {
 public:
  // Callers bound what they add (explain_json validates its input against these).
  static constexpr std::size_t kMaxKeys = 512;
  static constexpr std::size_t kMaxValuesPerKey = 1024;
  // Room reserved up front: the principal's keys, the time, the calling service and a service's
  // own keys fit without the vector moving its keys.
  static constexpr std::size_t kKeysReserved = 16;

  // resource_account: the account that owns the resource when the ARN has none (EC2 images and
  // snapshots); otherwise the ARN's account is used, and without either the principal's own.
  RequestContext(api::Principal principal,
                 std::string_view action,
                 std::string_view resource,
                 std::string_view resource_account = {});

  // As constructing a new context with these arguments, reusing this one's storage: every key is
  // dropped, then the principal keys are filled again (kept as they are when the principal is the
  // same as before and none of its keys was changed since).
  void reset(const api::Principal& principal,
             std::string_view action,
             std::string_view resource,
             std::string_view resource_account = {});

  // A single-valued key; replaces any earlier value.
  void set(std::string_view key, std::string_view value);
  // A multi-valued key (use ForAnyValue/ForAllValues on it). An empty list is an empty set, which
  // conditions treat like an absent key.
  void set_multi(std::string_view key, std::vector<std::string> values);
  // The same, copying the values into the key's existing storage.
  void set_multi_copy(std::string_view key, std::span<const std::string> values);
  void erase(std::string_view key);
  // aws:CurrentTime (ISO-8601 UTC, seconds) and aws:EpochTime from the caller's clock.
  void set_request_time(std::int64_t unix_ms);
  // aws:ResourceTag/<key> for each tag the resource already has (prefix "ec2:ResourceTag/" etc.
  // for service-specific copies).
  void set_resource_tags(const std::map<std::string, std::string>& tags,
                         std::string_view prefix = "aws:ResourceTag/");
  // aws:RequestTag/<key> for each tag passed in the request, and aws:TagKeys (multivalued).
  void set_request_tags(const std::map<std::string, std::string>& tags);

  const ContextKey* find(std::string_view key) const;
  // key_lower must already be lower-case (compiled conditions store it that way).
  const ContextKey* find_lower(std::string_view key_lower) const;
  // The value a policy variable resolves to: a key with exactly one value.
  std::optional<std::string_view> variable_value(std::string_view key_lower) const;

  std::span<const ContextKey> keys() const {
    return std::span<const ContextKey>(keys_.data(), active_);
  }

  const api::Principal& principal() const { return principal_; }

  const std::string& action() const { return action_; }

  // "kms:decrypt", split into "kms" and "decrypt" (empty service when the action has no ':').
  const std::string& action_lower() const { return action_lower_; }

  std::string_view action_service() const {
    return action_colon_ == std::string::npos
               ? std::string_view()
               : std::string_view(action_lower_).substr(0, action_colon_);
  }

  std::string_view action_name() const {
    return action_colon_ == std::string::npos
               ? std::string_view(action_lower_)
               : std::string_view(action_lower_).substr(action_colon_ + 1);
  }

  const std::string& resource() const { return resource_; }

  // Empty for service and anonymous principals acting on a resource without an account.
  const std::string& resource_account() const { return resource_account_; }

  // The principal belongs to an account and the resource to a different one.
  bool cross_account() const;

  // "arn:aws:iam::<account>:root" of the principal's account, empty without an account.
  const std::string& principal_account_arn() const { return principal_account_arn_; }

 private:
  // Hash of `key` lower-cased (ASCII), as ContextKey::name_hash.
  static std::uint64_t key_hash(std::string_view key);
  // Index of the active key named `key` (any case) with that hash; active_ when there is none.
  std::size_t find_key(std::string_view key, std::uint64_t hash) const;
  // The key's slot (values to be assigned by the caller).
  ContextKey& slot(std::string_view key);

  // filter_: one bit per active key's name hash (256 bits), so that looking up a name no active
  // key has — the usual case when a request's keys are set — needs no scan.
  static std::size_t filter_word(std::uint64_t hash) { return (hash >> 32) & 3; }

  static std::uint64_t filter_bit(std::uint64_t hash) { return std::uint64_t{1} << (hash & 63); }

  // Drops every key and adds the principal keys (principal_keys_ of them, intact).
  void fill_principal_keys();
  void add_principal_keys();
  void set_targets(std::string_view action,
                   std::string_view resource,
                   std::string_view resource_account);

  // A mutation of key `index`: the principal keys are no longer as fill_principal_keys left them.
  void touch(std::size_t index) {
    if (index < principal_keys_) {
      principal_keys_intact_ = false;
    }
  }

  api::Principal principal_;
  std::string action_;
  std::string action_lower_;
  std::size_t action_colon_ = std::string::npos;  // Offsets, not views: the context may be moved.
  std::string resource_;
  std::string resource_account_;
  std::string principal_account_arn_;
  // keys_[0, active_) are the context's keys; the rest keep their storage for reuse.
  std::vector<ContextKey> keys_;
  std::size_t active_ = 0;
  std::array<std::uint64_t, 4> filter_{};
  std::array<std::uint64_t, 4> principal_filter_{};  // filter_ of the principal keys alone.
  // The first principal_keys_ keys are the principal keys, unchanged since filled when intact.
  std::size_t principal_keys_ = 0;
  bool principal_keys_intact_ = false;
  // The account in resource_'s ARN (empty when it has none), parsed once per distinct resource.
  std::string arn_account_;
};

// Formats unix milliseconds as ISO-8601 UTC with seconds: 2024-05-01T12:00:00Z.
std::string format_iso8601_utc(std::int64_t unix_ms);

}  // namespace ibsim::mock_aws::policy
