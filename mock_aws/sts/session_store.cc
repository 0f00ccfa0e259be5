#include "mock_aws/sts/session_store.h"

#include <algorithm>
#include <utility>

namespace ibsim::mock_aws::sts {
namespace {

// FNV-1a: dropped key ids are kept as 64-bit hashes (8 bytes instead of a 20-character string).
uint64_t key_hash(std::string_view access_key_id) {
  uint64_t h = 14'695'981'039'346'656'037ULL;
  for (const char c : access_key_id) {
    h ^= static_cast<uint8_t>(c);
    h *= 1'099'511'628'211ULL;
  }
  return h;
}

}  // namespace

SessionStore::SessionStore(std::size_t sessions_max)
    : sessions_max_(std::max<std::size_t>(sessions_max, 1)) {}

const Session* SessionStore::find(std::string_view access_key_id) const {
  const auto it = sessions_.find(access_key_id);
  return it == sessions_.end() ? nullptr : &it->second;
}

void SessionStore::drop(std::multimap<sim::Instant, std::string>::iterator it, bool evicted) {
  if (evicted) {
    const uint64_t h = key_hash(it->second);
    if (forgotten_.insert(h).second) {
      forgotten_order_.push_back(h);
    }
    while (forgotten_order_.size() > sessions_max_) {
      forgotten_.erase(forgotten_order_.front());
      forgotten_order_.pop_front();
    }
  }
  sessions_.erase(it->second);
  by_expiry_.erase(it);
}

void SessionStore::add(Session session) {
  // Deviation from AWS: AWS keeps no server-side state for session tokens, so any number of
  // sessions stay valid until they expire. ibsim stores each one and bounds the store: past
  // sessions_max() the session that expires first is evicted, and its credentials then answer as
  // expired ones do (ExpiredToken), even before their expiry.
  while (sessions_.size() >= sessions_max_ && !by_expiry_.empty()) {
    drop(by_expiry_.begin(), true);
    ++evicted_count_;
  }
  by_expiry_.emplace(session.expires_at, session.access_key_id);
  std::string key = session.access_key_id;
  sessions_.insert_or_assign(std::move(key), std::move(session));
}

void SessionStore::prune_expired_before(sim::Instant cutoff) {
  while (!by_expiry_.empty() && by_expiry_.begin()->first < cutoff) {
    drop(by_expiry_.begin(), false);
  }
}

bool SessionStore::forgot(std::string_view access_key_id) const {
  return forgotten_.contains(key_hash(access_key_id));
}

}  // namespace ibsim::mock_aws::sts
