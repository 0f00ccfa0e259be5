#include "sim/trace.h"

#include <bit>
#include <cstdio>
#include <cstring>

namespace ibsim::sim {
namespace {

constexpr uint64_t kWordMultiplier = 0x9e3779b97f4a7c15ULL;  // 2^64 / golden ratio, odd.

uint64_t load_le64(const unsigned char* p) {
  uint64_t v = 0;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) {
    v = __builtin_bswap64(v);
  }
  return v;
}

uint64_t finalize(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

void Trace::mix_u64(uint64_t v) {
  // One word of the canonical encoding: multiply by a dense odd constant, fold the high half down.
  hash_ = (hash_ ^ v) * kWordMultiplier;
  hash_ ^= hash_ >> 32;
}

void Trace::mix_bytes(const void* data, std::size_t size) {
  // Eight bytes at a time, read little-endian whatever the host; the last word is zero-padded
  // (unambiguous, since every text is length-prefixed).
  const auto* p = static_cast<const unsigned char*>(data);
  while (size >= 8) {
    mix_u64(load_le64(p));
    p += 8;
    size -= 8;
  }
  if (size > 0) {
    uint64_t tail = 0;
    for (std::size_t i = 0; i < size; ++i) {
      tail |= static_cast<uint64_t>(p[i]) << (8 * i);
    }
    mix_u64(tail);
  }
}

void Trace::mix_text(std::string_view s) {
  mix_u64(s.size());
  mix_bytes(s.data(), s.size());
}

void Trace::emit(Instant at, std::string_view kind, std::initializer_list<TraceArg> args) {
  // Canonical encoding: time, kind, field count, then per field key, a type tag and the value,
  // every variable-length part length-prefixed so different events never encode alike.
  mix_u64(static_cast<uint64_t>(at.ns()));
  mix_text(kind);
  mix_u64(args.size());
  for (const TraceArg& a : args) {
    mix_text(a.key);
    if (a.value.is_int()) {
      mix_u64(1);
      mix_u64(static_cast<uint64_t>(a.value.as_int()));
    } else {
      mix_u64(2);
      mix_text(a.value.as_text());
    }
  }
  hash_ = finalize(hash_);
  ++count_;
  if (observer_ != nullptr) {
    observer_->on_event(at, kind, args);
  }

  if (!options_.record) {
    return;
  }
  if (events_.size() >= options_.max_recorded_events) {
    truncated_ = true;
    return;
  }
  TraceEvent event{at, std::string(kind), {}};
  event.fields.reserve(args.size());
  for (const TraceArg& a : args) {
    if (a.value.is_int()) {
      event.fields.push_back(TraceField{std::string(a.key), a.value.as_int()});
    } else {
      event.fields.push_back(TraceField{std::string(a.key), std::string(a.value.as_text())});
    }
  }
  events_.push_back(std::move(event));
}

std::string Trace::hash_hex() const {
  char buf[20];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash_));
  return buf;
}

}  // namespace ibsim::sim
