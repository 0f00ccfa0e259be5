#include "mock_aws/sts/session_store.h"

#include <utility>

namespace ibsim::mock_aws::sts {

const Session* SessionStore::find(std::string_view access_key_id) const {
  const auto it = sessions_.find(access_key_id);
  return it == sessions_.end() ? nullptr : &it->second;
}

bool SessionStore::add(Session session) {
  if (sessions_.size() >= kSessionsMax) {
    return false;
  }
  by_expiry_.emplace(session.expires_at, session.access_key_id);
  std::string key = session.access_key_id;
  sessions_.insert_or_assign(std::move(key), std::move(session));
  return true;
}

void SessionStore::prune_expired_before(sim::Instant cutoff) {
  auto it = by_expiry_.begin();
  while (it != by_expiry_.end() && it->first < cutoff) {
    sessions_.erase(it->second);
    it = by_expiry_.erase(it);
  }
}

}  // namespace ibsim::mock_aws::sts
