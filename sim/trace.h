#pragma once
// Trace: the run's structured event log. Every event (time, kind, typed fields) is folded into a
// rolling 64-bit hash over a canonical little-endian, length-prefixed encoding (mixed eight bytes
// at a time, finalized per event), so two runs are byte-identical exactly when their hashes match
// (the determinism check). Recording the events themselves is optional and bounded; hashing
// always happens.
//
//   trace.emit(now, "copy.start", {{"account", "111122223333"}, {"bytes", 8 << 30}});

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/time.h"

namespace ibsim::sim {

// One field value at the emit site: an integer or a string view (copied only when recorded).
class TraceValue {
 public:
  template <typename I, typename = std::enable_if_t<std::is_integral_v<I>>>
  TraceValue(I v) : is_int_(true), int_(static_cast<int64_t>(v)) {}  // NOLINT: implicit by design

  TraceValue(std::string_view s) : text_(s) {}  // NOLINT

  TraceValue(const char* s) : text_(s) {}  // NOLINT

  TraceValue(const std::string& s) : text_(s) {}  // NOLINT

  bool is_int() const { return is_int_; }

  int64_t as_int() const { return int_; }

  std::string_view as_text() const { return text_; }

 private:
  bool is_int_ = false;
  int64_t int_ = 0;
  std::string_view text_;
};

struct TraceArg {
  std::string_view key;
  TraceValue value;
};

struct TraceField {
  std::string key;
  std::variant<int64_t, std::string> value;
};

struct TraceEvent {
  Instant at;
  std::string kind;
  std::vector<TraceField> fields;
};

// Sees every event as it is emitted, without recording it (the load tester's statistics and its
// streaming trace export watch a million copies this way). Must not emit events itself.
class TraceObserver {
 public:
  virtual ~TraceObserver() = default;
  virtual void on_event(Instant at,
                        std::string_view kind,
                        std::initializer_list<TraceArg> args) = 0;
};

class Trace {
 public:
  struct Options {
    bool record = false;                       // Keep events in memory (for --trace output).
    uint64_t max_recorded_events = 5'000'000;  // Past this, hash only; truncated() turns true.
  };

  Trace() : Trace(Options{}) {}

  explicit Trace(Options options) : options_(options) {}

  void emit(Instant at, std::string_view kind, std::initializer_list<TraceArg> args = {});

  uint64_t hash() const { return hash_; }

  std::string hash_hex() const;

  uint64_t event_count() const { return count_; }

  const std::vector<TraceEvent>& events() const { return events_; }

  bool recording() const { return options_.record; }

  bool truncated() const { return truncated_; }

  // At most one observer; nullptr detaches it. The observer must outlive its attachment.
  void set_observer(TraceObserver* observer) { observer_ = observer; }

 private:
  void mix_bytes(const void* data, std::size_t size);
  void mix_u64(uint64_t v);
  void mix_text(std::string_view s);

  Options options_;
  uint64_t hash_ = 0x6a09e667f3bcc908ULL;  // Arbitrary fixed start (sqrt(2) fraction).
  uint64_t count_ = 0;
  bool truncated_ = false;
  TraceObserver* observer_ = nullptr;
  std::vector<TraceEvent> events_;
};

}  // namespace ibsim::sim
