#include "sim/limits/concurrency_cap.h"

#include <algorithm>
#include <utility>

namespace ibsim::sim {

ConcurrencyCap::ConcurrencyCap(Scheduler& scheduler, Options options)
    : scheduler_(scheduler), options_(options) {
  IBSIM_ASSERT(options_.limit >= 1, "a concurrency cap admits at least one holder");
}

void ConcurrencyCap::take() {
  ++in_use_;
  ++granted_total_;
  IBSIM_ASSERT(in_use_ <= options_.limit, "the cap is never exceeded");
  peak_ = std::max(peak_, in_use_);
}

bool ConcurrencyCap::try_acquire() {
  // Waiters go first: a newcomer never overtakes the queue.
  if (in_use_ < options_.limit && waiting_ == 0) {
    take();
    return true;
  }
  return false;
}

ConcurrencyCap::Acquire ConcurrencyCap::acquire(Callback on_granted, Ticket* ticket) {
  if (try_acquire()) {
    scheduler_.schedule_at(scheduler_.now(), std::move(on_granted));
    return Acquire::kGranted;
  }
  if (waiting_ >= options_.max_waiters) {
    return Acquire::kRejected;
  }
  const uint64_t id = next_ticket_++;
  waiters_.push_back(Waiter{id, std::move(on_granted)});
  ++waiting_;
  if (ticket != nullptr) {
    ticket->id = id;
  }
  return Acquire::kQueued;
}

bool ConcurrencyCap::withdraw(Ticket ticket) {
  // Waiters are in id order, so a binary search finds the ticket.
  auto it = std::lower_bound(
      waiters_.begin(), waiters_.end(), ticket.id, [](const Waiter& w, uint64_t id) {
        return w.id < id;
      });
  if (it == waiters_.end() || it->id != ticket.id || !it->fn) {
    return false;
  }
  it->fn.reset();
  --waiting_;
  return true;
}

void ConcurrencyCap::release() {
  IBSIM_ASSERT(in_use_ > 0, "release() pairs with a granted acquire");
  while (!waiters_.empty()) {
    Waiter w = std::move(waiters_.front());
    waiters_.pop_front();
    if (!w.fn) {
      continue;  // Withdrawn.
    }
    --waiting_;
    // Hand the slot over without dropping the count, so nobody can slip in between.
    ++granted_total_;
    scheduler_.schedule_at(scheduler_.now(), std::move(w.fn));
    return;
  }
  --in_use_;
}

}  // namespace ibsim::sim
