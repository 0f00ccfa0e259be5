#pragma once
// Scheduler: the discrete-event core. Events are ordered by (time, insertion sequence), so events
// due at the same Instant run FIFO by rule, never by heap accident. Time only moves forward:
// running an event sets now() to its time; run_until(t) ends with now() == t.
//
// The queue is a radix heap (keys are monotone in a simulation: nothing is scheduled before now),
// which keeps pushes O(1) and pops cache-friendly with a million events pending; callbacks live in
// the queue entries themselves, so running an event touches no other memory. Events run in
// strictly increasing (time, sequence) order, which is also how an EventId knows whether its
// event already ran. Cancel leaves a tombstone that is skipped when it reaches the front.
// Sim thread only; not thread-safe.
//
//   EventId id = sched.schedule_after(Duration::seconds(5), [&] { ... });
//   sched.cancel(id);
//   sched.run_until(Instant::start() + Duration::hours(1));

#include <array>
#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <set>
#include <unordered_set>
#include <utility>
#include <vector>

#include "sim/callback.h"
#include "sim/time.h"

namespace ibsim::sim {

// Handle to a scheduled event; stays safe to cancel after the event ran (cancel returns false).
struct EventId {
  int64_t time = 0;
  uint64_t sequence = 0;  // 0 never names an event: sequences start at 1.

  bool valid() const { return sequence != 0; }

  friend bool operator==(const EventId&, const EventId&) = default;
};

enum class RunStatus {
  kIdle,         // No events left.
  kReachedTime,  // run_until's horizon reached; later events stay queued.
  kEventLimit,   // Stopped after max_events_per_run events; call again to continue.
};

class Scheduler {
 public:
  struct Options {
    // Upper bound on events executed by one run_* call, so a scenario that schedules forever
    // stops with kEventLimit instead of spinning.
    uint64_t max_events_per_run = 2'000'000'000;
  };

  Scheduler() : Scheduler(Options{}) {}

  explicit Scheduler(Options options);

  ~Scheduler();

  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  Instant now() const { return now_; }

  // `at` must not be earlier than now().
  EventId schedule_at(Instant at, Callback fn);
  EventId schedule_after(Duration delay, Callback fn);

  // True when the event was pending and is now cancelled; false if it already ran or was
  // cancelled before.
  bool cancel(EventId id);

  // Runs the next event, if any. Returns false when nothing is pending.
  bool step();

  // Runs every event due at or before `horizon`, then sets now() to `horizon`.
  RunStatus run_until(Instant horizon);

  RunStatus run_for(Duration span) { return run_until(now_ + span); }

  // Runs until no events are left (or the event limit).
  RunStatus run();

  // Time of the next live event, if any. Drops tombstones from the front while looking.
  std::optional<Instant> next_event_time();

  uint64_t pending_count() const { return live_count_; }

  uint64_t events_run() const { return events_run_; }

 private:
  struct Entry {
    int64_t time;
    uint64_t sequence;
    Callback fn;  // Empty once run or popped.
  };

  // Radix heap with byte digits: an entry lives at level L = index of the highest byte in which
  // its time differs from last_key_, in the bucket of that byte's value. Each entry moves down at
  // most 8 levels before it reaches the front, and a bitmap per level finds the lowest bucket.
  // Buckets are lists of fixed-size chunks from one free list, so filling and draining buckets
  // never reallocates or copies, and drained chunks are reused while still in cache.
  static constexpr int kLevels = 8;
  static constexpr int kDigits = 256;
  static constexpr uint32_t kChunkEntries = 64;

  struct Chunk {
    alignas(Entry) unsigned char storage[kChunkEntries * sizeof(Entry)];
    uint32_t count = 0;
    Chunk* next = nullptr;

    Entry* at(uint32_t i) { return std::launder(reinterpret_cast<Entry*>(storage) + i); }
  };

  struct Bucket {
    Chunk* head = nullptr;
    Chunk* tail = nullptr;
  };

  void push(Entry&& e);
  void push_radix(Entry&& e);
  // Makes front_ hold the minimum entries (FIFO by sequence); false if the heap is empty.
  bool prepare_front();
  // Pops tombstones at the front; returns the front live entry, or nullptr if none.
  Entry* front_live();
  void pop_front(bool from_early);
  Chunk* take_chunk();
  void append(Bucket& bucket, Entry&& e);
  void run_front();
  bool has_run(const EventId& id) const;
  void note_run(int64_t time, uint64_t sequence);

  Options options_;
  Instant now_ = Instant::start();
  uint64_t last_key_ = 0;  // Radix reference: the last extracted minimum time.
  uint64_t next_sequence_ = 1;
  uint64_t live_count_ = 0;
  uint64_t events_run_ = 0;
  int64_t last_run_time_ = -1;  // (time, sequence) of the last event run; strictly increasing.
  uint64_t last_run_sequence_ = 0;
  std::vector<Entry> front_;     // Entries due at last_key_, in sequence order.
  std::size_t front_index_ = 0;  // Read position in front_.
  std::array<std::array<Bucket, kDigits>, kLevels> levels_{};
  std::array<std::array<uint64_t, kDigits / 64>, kLevels> occupied_{};
  std::vector<std::unique_ptr<Chunk[]>> chunk_slabs_;  // Owns every chunk.
  Chunk* free_chunks_ = nullptr;                       // Singly linked through Chunk::next.
  std::vector<Entry> early_;  // Binary heap of entries earlier than last_key_ (see push()).
  // Sequences of cancelled events whose tombstones are still queued. Usually empty, so the pop
  // path checks it only when it is not.
  std::unordered_set<uint64_t> cancelled_;
  // Tombstones popped ahead of the last run event (a peek skipped them); they count as gone for
  // cancel() until time passes them.
  std::set<std::pair<int64_t, uint64_t>> skipped_tombstones_;
};

}  // namespace ibsim::sim
