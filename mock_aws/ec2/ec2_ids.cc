#include "mock_aws/ec2/ec2_ids.h"

#include <algorithm>
#include <cstring>

#include "sim/base/assert.h"

namespace ibsim::mock_aws::ec2 {

namespace {

constexpr std::size_t kLegacyHexDigits = 8;

bool is_lower_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

}  // namespace

ResourceId ResourceId::from_text(std::string_view text) {
  IBSIM_ASSERT(text.size() <= kMaxChars, "resource ids are validated before they are stored");
  ResourceId id;
  std::copy(text.begin(), text.end(), id.chars_.begin());
  id.size_ = static_cast<uint8_t>(text.size());
  return id;
}

std::size_t ResourceIdHash::operator()(std::string_view text) const {
  // Eight bytes at a time, each word mixed with a multiply-rotate: ids are at most 23 bytes.
  uint64_t h = 0x9e3779b97f4a7c15ULL ^ text.size();
  std::size_t i = 0;
  for (; i + 8 <= text.size(); i += 8) {
    uint64_t word = 0;
    std::memcpy(&word, text.data() + i, 8);
    h = (h ^ word) * 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 31;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, text.data() + i, text.size() - i);
  h = (h ^ tail) * 0x94d049bb133111ebULL;
  return static_cast<std::size_t>(h ^ (h >> 29));
}

std::string_view id_prefix(IdKind kind) {
  switch (kind) {
    case IdKind::kImage:
      return "ami-";
    case IdKind::kSnapshot:
      return "snap-";
    case IdKind::kLaunchTemplate:
      return "lt-";
    case IdKind::kInstance:
      return "i-";
    case IdKind::kReservation:
      return "r-";
  }
  return "";
}

bool is_well_formed_id(std::string_view text, IdKind kind) {
  const std::string_view prefix = id_prefix(kind);
  if (text.substr(0, prefix.size()) != prefix) {
    return false;
  }
  const std::string_view digits = text.substr(prefix.size());
  if (digits.size() != kIdHexDigits && digits.size() != kLegacyHexDigits) {
    return false;
  }
  return std::all_of(digits.begin(), digits.end(), is_lower_hex);
}

std::optional<IdKind> id_kind_of(std::string_view text) {
  for (const IdKind kind : {IdKind::kImage,
                            IdKind::kSnapshot,
                            IdKind::kLaunchTemplate,
                            IdKind::kInstance,
                            IdKind::kReservation}) {
    if (text.substr(0, id_prefix(kind).size()) == id_prefix(kind)) {
      return kind;
    }
  }
  return std::nullopt;
}

ResourceId generate_id(IdKind kind, sim::Rng& rng) {
  const std::string_view prefix = id_prefix(kind);
  std::array<char, ResourceId::kMaxChars> text{};
  std::copy(prefix.begin(), prefix.end(), text.begin());
  // 17 hex digits = 68 bits: one full draw for 16 digits and 4 bits of a second.
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t bits = rng.next_u64();
  std::size_t at = prefix.size();
  for (std::size_t i = 0; i < 16; ++i) {
    text[at++] = kHex[bits & 0xF];
    bits >>= 4;
  }
  text[at++] = kHex[rng.next_u64() & 0xF];
  return ResourceId::from_text(std::string_view(text.data(), at));
}

}  // namespace ibsim::mock_aws::ec2
