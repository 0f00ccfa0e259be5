#pragma once
// ResourceId: an EC2 resource id ("ami-0123456789abcdef0", "snap-...", "lt-...", "i-...") held
// inline in 24 bytes, so a million images cost no id allocations; ordered maps look ids up by
// string_view without building a string. Ids are the prefix plus 17 lower-case hex digits drawn
// from the simulation's RNG; the legacy 8-digit form is accepted where AWS still accepts it.
//
//   ResourceId id = generate_id(IdKind::kImage, rng);   // "ami-" + 17 hex digits
//   if (!is_well_formed_id(text, IdKind::kSnapshot)) return malformed(text);

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/rng.h"

namespace ibsim::mock_aws::ec2 {

class ResourceId {
 public:
  static constexpr std::size_t kMaxChars = 23;

  ResourceId() = default;

  // Caller guarantees text.size() <= kMaxChars (ids are validated before they get here).
  static ResourceId from_text(std::string_view text);

  std::string_view view() const { return {chars_.data(), size_}; }

  std::string str() const { return std::string(view()); }

  bool empty() const { return size_ == 0; }

  friend bool operator==(const ResourceId& a, const ResourceId& b) { return a.view() == b.view(); }

  friend std::strong_ordering operator<=>(const ResourceId& a, const ResourceId& b) {
    return a.view() <=> b.view();
  }

  friend bool operator==(const ResourceId& a, std::string_view b) { return a.view() == b; }

  friend std::strong_ordering operator<=>(const ResourceId& a, std::string_view b) {
    return a.view() <=> b;
  }

 private:
  std::array<char, kMaxChars> chars_{};
  uint8_t size_ = 0;
};

// Hash of an id (or of its text, for lookups by string_view without building a ResourceId).
struct ResourceIdHash {
  using is_transparent = void;

  std::size_t operator()(std::string_view text) const;

  std::size_t operator()(const ResourceId& id) const { return (*this)(id.view()); }
};

enum class IdKind : uint8_t { kImage, kSnapshot, kLaunchTemplate, kInstance, kReservation };

// "ami-", "snap-", "lt-", "i-", "r-".
std::string_view id_prefix(IdKind kind);

// The prefix followed by exactly 8 or 17 lower-case hex digits.
bool is_well_formed_id(std::string_view text, IdKind kind);

// The kind named by an id's prefix, whatever follows it (CreateTags accepts several kinds).
std::optional<IdKind> id_kind_of(std::string_view text);

inline constexpr std::size_t kIdHexDigits = 17;

// prefix + 17 hex digits from `rng`.
ResourceId generate_id(IdKind kind, sim::Rng& rng);

}  // namespace ibsim::mock_aws::ec2
