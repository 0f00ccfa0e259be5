#pragma once
// ConcurrencyCap: at most `limit` holders at once, with a bounded FIFO queue of waiters. A release
// hands the slot straight to the oldest waiter (its callback is scheduled at the current instant,
// never run inline, so call depth stays flat), so the cap is never exceeded and nobody is
// overtaken. Models AWS quotas such as concurrent AMI copies per (account, region).
// Sim thread only.
//
//   if (cap.try_acquire()) { ...; cap.release(); }
//   cap.acquire([&] { start_copy(); });   // runs when a slot is free, in arrival order

#include <cstdint>
#include <deque>

#include "sim/callback.h"
#include "sim/scheduler.h"

namespace ibsim::sim {

class ConcurrencyCap {
 public:
  struct Options {
    uint32_t limit = 1;                // Holders at once; at least 1.
    uint64_t max_waiters = 1'000'000;  // Queue bound; acquire() beyond it is rejected.
  };

  enum class Acquire { kGranted, kQueued, kRejected };

  // Identifies a queued waiter so it can be withdrawn.
  struct Ticket {
    uint64_t id = 0;
  };

  ConcurrencyCap(Scheduler& scheduler, Options options);

  // Takes a slot now if one is free.
  bool try_acquire();

  // Takes a slot for `on_granted`: kGranted schedules it at now(); kQueued runs it when a slot is
  // handed over; kRejected (queue full) never runs it. `ticket`, if given, receives the waiter id.
  Acquire acquire(Callback on_granted, Ticket* ticket = nullptr);

  // Withdraws a queued waiter; false if it was already granted or withdrawn.
  bool withdraw(Ticket ticket);

  // Returns a slot: the oldest waiter gets it, else the count drops.
  void release();

  uint32_t limit() const { return options_.limit; }

  uint32_t in_use() const { return in_use_; }

  uint32_t peak() const { return peak_; }

  uint64_t waiting() const { return waiting_; }

  uint64_t granted_total() const { return granted_total_; }

 private:
  struct Waiter {
    uint64_t id;
    Callback fn;  // Empty once withdrawn.
  };

  void take();

  Scheduler& scheduler_;
  Options options_;
  uint32_t in_use_ = 0;
  uint32_t peak_ = 0;
  uint64_t waiting_ = 0;
  uint64_t next_ticket_ = 1;
  uint64_t granted_total_ = 0;
  std::deque<Waiter> waiters_;
};

}  // namespace ibsim::sim
