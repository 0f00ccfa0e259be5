#include "src/engine/client_token.h"

#include <cstdint>

namespace ibsim::engine {
namespace {

constexpr uint64_t kFnvPrime = 0x100000001b3ULL;
constexpr uint64_t kFnvOffsetA = 0xcbf29ce484222325ULL;  // The standard FNV-1a offset basis.
constexpr uint64_t kFnvOffsetB = 0x84222325cbf29ce4ULL;  // A second, independent start.

void mix(uint64_t& h, unsigned char byte) {
  h ^= byte;
  h *= kFnvPrime;
}

void mix_part(uint64_t& h, std::string_view part) {
  // Length first, so ("ab", "c") and ("a", "bc") differ.
  uint64_t n = part.size();
  for (int i = 0; i < 8; ++i) {
    mix(h, static_cast<unsigned char>(n & 0xffU));
    n >>= 8U;
  }
  for (const char c : part) {
    mix(h, static_cast<unsigned char>(c));
  }
}

void append_hex(std::string& out, uint64_t v) {
  constexpr char kDigits[] = "0123456789abcdef";
  for (int shift = 60; shift >= 0; shift -= 4) {
    out.push_back(kDigits[(v >> static_cast<unsigned>(shift)) & 0xfU]);
  }
}

}  // namespace

std::string client_token(std::initializer_list<std::string_view> parts) {
  uint64_t a = kFnvOffsetA;
  uint64_t b = kFnvOffsetB;
  for (const std::string_view part : parts) {
    mix_part(a, part);
    mix_part(b, part);
  }
  std::string out = "ib-";
  out.reserve(3 + 32);
  append_hex(out, a);
  append_hex(out, b);
  return out;
}

}  // namespace ibsim::engine
