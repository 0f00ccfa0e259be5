#pragma once
// StringMap<V>: a hash map from std::string that is looked up by std::string_view without building
// a string. For hot lookups by long keys that share a prefix (ARNs, access key ids), where an
// ordered map's comparisons are mostly memcmp of the common prefix. Iteration order is unspecified:
// never iterate one where the order can reach output or the trace (use std::map there).
//
//   sim::StringMap<Session> sessions;  sessions.find(std::string_view(key_id));

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace ibsim::sim {

struct StringHash {
  using is_transparent = void;

  std::size_t operator()(std::string_view text) const {
    return std::hash<std::string_view>{}(text);
  }
};

template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

}  // namespace ibsim::sim
