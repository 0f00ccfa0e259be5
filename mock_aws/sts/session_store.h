#pragma once
// SessionStore: the temporary credentials STS has issued (AssumeRole), keyed by their ASIA access
// key id: the session principal (session ARN, role ARN, tags), secret, token, expiry and the
// session policies that cap it. StsModel writes it; StsAuthorizer reads the session policies of the
// key a request was signed with; the router resolves keys through StsModel::resolve_access_key.
// Expired sessions are kept for a retention window (so a late request gets ExpiredToken, not
// "unknown key"), then pruned.
//
//   const Session* s = store.find(ctx.access_key_id);

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock_aws/api/principal.h"
#include "mock_aws/iam/iam_model.h"
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
  static constexpr std::size_t kSessionsMax = 1'000'000;

  const Session* find(std::string_view access_key_id) const;

  bool contains(std::string_view access_key_id) const { return find(access_key_id) != nullptr; }

  // False when the store is full (kSessionsMax).
  bool add(Session session);
  // Drops sessions that expired before `cutoff`.
  void prune_expired_before(sim::Instant cutoff);

  std::size_t size() const { return sessions_.size(); }

 private:
  std::map<std::string, Session, std::less<>> sessions_;
  std::multimap<sim::Instant, std::string> by_expiry_;
};

}  // namespace ibsim::mock_aws::sts
