#include "sim/trace.h"

#include <cstdio>

namespace ibsim::sim {
namespace {

constexpr uint64_t kPrime = 0x100000001b3ULL;

uint64_t finalize(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

void Trace::mix_bytes(const void* data, std::size_t size) {
  const auto* p = static_cast<const uint8_t*>(data);
  for (std::size_t i = 0; i < size; ++i) {
    hash_ = (hash_ ^ p[i]) * kPrime;
  }
}

void Trace::mix_u64(uint64_t v) {
  // Little-endian by construction, independent of the host.
  uint8_t bytes[8];
  for (int i = 0; i < 8; ++i) {
    bytes[i] = static_cast<uint8_t>(v >> (8 * i));
  }
  mix_bytes(bytes, sizeof bytes);
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
