#include "sim/scheduler.h"

#include <algorithm>
#include <bit>
#include <utility>

namespace ibsim::sim {
namespace {

// Heap order for the early queue: the entry that should run later compares "less".
struct RunsLater {
  template <typename E>
  bool operator()(const E& a, const E& b) const {
    return a.time != b.time ? a.time > b.time : a.sequence > b.sequence;
  }
};

}  // namespace

Scheduler::Scheduler(Options options) : options_(options) {}

EventId Scheduler::schedule_at(Instant at, Callback fn) {
  IBSIM_ASSERT(at >= now_, "events are never scheduled in the past");
  IBSIM_ASSERT(static_cast<bool>(fn), "a scheduled event has something to run");
  const EventId id{at.ns(), next_sequence_++};
  ++live_count_;
  push(Entry{id.time, id.sequence, std::move(fn)});
  return id;
}

EventId Scheduler::schedule_after(Duration delay, Callback fn) {
  IBSIM_ASSERT(delay >= Duration::zero(), "delays are never negative");
  return schedule_at(now_ + delay, std::move(fn));
}

bool Scheduler::has_run(const EventId& id) const {
  const bool before_last =
      id.time != last_run_time_ ? id.time < last_run_time_ : id.sequence <= last_run_sequence_;
  return before_last
         || (!skipped_tombstones_.empty() && skipped_tombstones_.contains({id.time, id.sequence}));
}

void Scheduler::note_run(int64_t time, uint64_t sequence) {
  last_run_time_ = time;
  last_run_sequence_ = sequence;
  while (!skipped_tombstones_.empty()
         && *skipped_tombstones_.begin() <= std::make_pair(time, sequence)) {
    skipped_tombstones_.erase(skipped_tombstones_.begin());
  }
}

bool Scheduler::cancel(EventId id) {
  if (!id.valid() || id.sequence >= next_sequence_ || has_run(id)) {
    return false;
  }
  // The entry stays queued as a tombstone (it cannot be found cheaply inside the heap) and is
  // dropped when it reaches the front.
  if (!cancelled_.insert(id.sequence).second) {
    return false;
  }
  --live_count_;
  return true;
}

void Scheduler::push(Entry&& e) {
  IBSIM_ASSERT(e.time >= 0, "virtual time starts at zero");
  const auto time = static_cast<uint64_t>(e.time);
  if (time < last_key_) {
    // Only happens after a peek moved the radix reference past now() (run_until stopped short
    // of the front event, then something scheduled an earlier event). These go to a small
    // ordinary heap that is always drained before the radix buckets.
    early_.push_back(std::move(e));
    std::push_heap(early_.begin(), early_.end(), RunsLater{});
    return;
  }
  if (time == last_key_) {
    front_.push_back(std::move(e));  // Largest sequence so far: FIFO order holds.
    return;
  }
  push_radix(std::move(e));
}

Scheduler::~Scheduler() {
  // Chunks hold entries in raw storage: destroy the ones still queued (their callbacks may own
  // memory).
  for (auto& level : levels_) {
    for (Bucket& bucket : level) {
      for (Chunk* c = bucket.head; c != nullptr; c = c->next) {
        for (uint32_t i = 0; i < c->count; ++i) {
          c->at(i)->~Entry();
        }
      }
    }
  }
}

Scheduler::Chunk* Scheduler::take_chunk() {
  if (free_chunks_ == nullptr) {
    constexpr std::size_t kSlabChunks = 256;
    chunk_slabs_.push_back(std::make_unique<Chunk[]>(kSlabChunks));
    Chunk* slab = chunk_slabs_.back().get();
    for (std::size_t i = 0; i < kSlabChunks; ++i) {
      slab[i].next = free_chunks_;
      free_chunks_ = &slab[i];
    }
  }
  Chunk* c = free_chunks_;
  free_chunks_ = c->next;
  c->count = 0;
  c->next = nullptr;
  return c;
}

void Scheduler::append(Bucket& bucket, Entry&& e) {
  if (bucket.tail == nullptr || bucket.tail->count == kChunkEntries) {
    Chunk* c = take_chunk();
    if (bucket.tail == nullptr) {
      bucket.head = c;
    } else {
      bucket.tail->next = c;
    }
    bucket.tail = c;
  }
  ::new (static_cast<void*>(bucket.tail->at(bucket.tail->count))) Entry(std::move(e));
  ++bucket.tail->count;
}

void Scheduler::push_radix(Entry&& e) {
  const auto time = static_cast<uint64_t>(e.time);
  const uint64_t diff = time ^ last_key_;
  const int level = (63 - std::countl_zero(diff)) / 8;
  const auto digit = static_cast<std::size_t>((time >> (8 * level)) & 0xff);
  const auto l = static_cast<std::size_t>(level);
  append(levels_[l][digit], std::move(e));
  occupied_[l][digit / 64] |= uint64_t{1} << (digit % 64);
}

bool Scheduler::prepare_front() {
  if (front_index_ < front_.size()) {
    return true;
  }
  front_.clear();
  front_index_ = 0;
  for (std::size_t level = 0; level < kLevels; ++level) {
    for (std::size_t word = 0; word < kDigits / 64; ++word) {
      const uint64_t bits = occupied_[level][word];
      if (bits == 0) {
        continue;
      }
      const std::size_t digit = word * 64 + static_cast<std::size_t>(std::countr_zero(bits));
      occupied_[level][word] &= bits - 1;
      // Detach the bucket first: redistribution appends to lower buckets only.
      const Bucket bucket = levels_[level][digit];
      levels_[level][digit] = Bucket{};
      uint64_t min_time = static_cast<uint64_t>(bucket.head->at(0)->time);
      if (level > 0) {
        for (Chunk* c = bucket.head; c != nullptr; c = c->next) {
          for (uint32_t i = 0; i < c->count; ++i) {
            min_time = std::min(min_time, static_cast<uint64_t>(c->at(i)->time));
          }
        }
      }
      // At level 0 every entry of a bucket has the same time; above, entries move to lower
      // levels relative to the new minimum, and those equal to it form the front.
      last_key_ = min_time;
      Chunk* c = bucket.head;
      while (c != nullptr) {
        for (uint32_t i = 0; i < c->count; ++i) {
          Entry* e = c->at(i);
          if (static_cast<uint64_t>(e->time) == last_key_) {
            front_.push_back(std::move(*e));
          } else {
            push_radix(std::move(*e));
          }
          e->~Entry();
        }
        Chunk* next = c->next;
        c->next = free_chunks_;
        free_chunks_ = c;
        c = next;
      }
      if (front_.size() > 1) {
        std::sort(front_.begin(), front_.end(), [](const Entry& a, const Entry& b) {
          return a.sequence < b.sequence;
        });
      }
      return true;
    }
  }
  return false;
}

Scheduler::Entry* Scheduler::front_live() {
  for (;;) {
    Entry* e = nullptr;
    bool from_early = false;
    if (!early_.empty()) {
      e = &early_.front();
      from_early = true;
    } else if (prepare_front()) {
      e = &front_[front_index_];
    } else {
      return nullptr;
    }
    if (cancelled_.empty() || cancelled_.erase(e->sequence) == 0) {
      return e;
    }
    // A tombstone. If it is dropped ahead of the last run event (while peeking), remember it so
    // that a second cancel of the same id is still refused.
    const EventId gone{e->time, e->sequence};
    if (!has_run(gone)) {
      skipped_tombstones_.insert({gone.time, gone.sequence});
    }
    pop_front(from_early);
  }
}

void Scheduler::pop_front(bool from_early) {
  if (from_early) {
    std::pop_heap(early_.begin(), early_.end(), RunsLater{});
    early_.pop_back();
  } else {
    front_[front_index_].fn.reset();
    ++front_index_;
  }
}

void Scheduler::run_front() {
  const bool from_early = !early_.empty();
  Entry& front = from_early ? early_.front() : front_[front_index_];
  IBSIM_ASSERT(front.time >= now_.ns(), "the queue yields events in time order");
  now_ = Instant::from_ns(front.time);
  note_run(front.time, front.sequence);
  Callback fn = std::move(front.fn);
  pop_front(from_early);
  --live_count_;
  ++events_run_;
  fn();  // May schedule or cancel; no reference into the queue is held across this call.
}

bool Scheduler::step() {
  if (front_live() == nullptr) {
    return false;
  }
  run_front();
  return true;
}

RunStatus Scheduler::run_until(Instant horizon) {
  IBSIM_ASSERT(horizon >= now_, "run_until never moves time backwards");
  uint64_t ran = 0;
  for (;;) {
    const Entry* e = front_live();
    if (e == nullptr) {
      now_ = horizon;
      return RunStatus::kIdle;
    }
    if (e->time > horizon.ns()) {
      now_ = horizon;
      return RunStatus::kReachedTime;
    }
    if (ran == options_.max_events_per_run) {
      return RunStatus::kEventLimit;
    }
    run_front();
    ++ran;
  }
}

RunStatus Scheduler::run() {
  uint64_t ran = 0;
  while (front_live() != nullptr) {
    if (ran == options_.max_events_per_run) {
      return RunStatus::kEventLimit;
    }
    run_front();
    ++ran;
  }
  return RunStatus::kIdle;
}

std::optional<Instant> Scheduler::next_event_time() {
  const Entry* e = front_live();
  if (e == nullptr) {
    return std::nullopt;
  }
  return Instant::from_ns(e->time);
}

}  // namespace ibsim::sim
