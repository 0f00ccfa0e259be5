#pragma once
// SessionStore: the temporary credentials STS has issued (AssumeRole), keyed by their ASIA access
// key id: the session principal (session ARN, role ARN, tags), secret, token, expiry and the
// session policies that cap it. StsModel writes it; StsAuthorizer reads the session policies of the
// key a request was signed with; the router resolves keys through StsModel::resolve_access_key.
// Expired sessions are kept for a retention window (so a late request gets ExpiredToken, not
// "unknown key"), then pruned. The store holds at most sessions_max() sessions: a new one past
// that evicts the session that expires first. Evicted key ids are remembered (64-bit hashes, the
// last sessions_max() of them) so they answer ExpiredToken as expired sessions do.
//
//   const Session* s = store.find(ctx.access_key_id);

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "mock_aws/api/principal.h"
#include "mock_aws/iam/iam_model.h"
#include "sim/base/string_map.h"
#include "sim/time.h"

namespace ibsim::mock_aws::sts {

struct Session {
  std::string access_key_id;  // ASIA...
  std::string secret_access_key;
  std::string session_token;
  api::Principal principal;  // kAssumedRole: session ARN, role ARN, role id, principal tags.
  sim::Instant expires_at;
  int64_t expiration_unix_ms = 0;
  std::vector<iam::PolicyPtr> session_policies;  // Inline Policy and PolicyArns, in that order.
  bool chained = false;                          // Assumed by another role session.
  std::vector<std::string> transitive_tag_keys;
  std::optional<std::string> source_identity;
};

class SessionStore {
 public:
  // About 1.2 KB per stored session: the default bounds the store near 120 MB.
  static constexpr std::size_t kSessionsMaxDefault = 100'000;

  explicit SessionStore(std::size_t sessions_max = kSessionsMaxDefault);

  const Session* find(std::string_view access_key_id) const;

  bool contains(std::string_view access_key_id) const { return find(access_key_id) != nullptr; }

  // Stores `session`. When sessions_max() sessions are stored, first evicts the one with the
  // earliest expiry (so expired sessions go before live ones; ties by key id).
  void add(Session session);
  // Drops sessions that expired before `cutoff`.
  void prune_expired_before(sim::Instant cutoff);
  // Whether `access_key_id` named a session this store evicted, among the last sessions_max()
  // evicted (pruned sessions are forgotten entirely).
  bool forgot(std::string_view access_key_id) const;

  std::size_t size() const { return sessions_.size(); }

  std::size_t sessions_max() const { return sessions_max_; }

  // Sessions evicted by the bound (not counting pruned ones) since the store was made.
  uint64_t evicted_count() const { return evicted_count_; }

 private:
  void drop(std::multimap<sim::Instant, std::string>::iterator it, bool evicted);

  std::size_t sessions_max_;
  uint64_t evicted_count_ = 0;
  sim::StringMap<Session> sessions_;                    // By access key id.
  std::multimap<sim::Instant, std::string> by_expiry_;  // Equal expiries: in insertion order.
  std::set<uint64_t> forgotten_;                        // Hashes of evicted key ids...
  std::deque<uint64_t> forgotten_order_;                // ... oldest first.
};

}  // namespace ibsim::mock_aws::sts
