#pragma once
// Context: the one bundle of clock, scheduler, randomness and trace for a run. Created once at the
// top (scenario runner, load generator, server) and passed down by reference; nothing in ibsim
// reads time or randomness any other way. Virtual time is the scheduler's; civil time for display
// (CreationDate, report headers) is a fixed epoch plus virtual time, so it replays too.
// Sim thread only.
//
//   sim::Context ctx({.seed = 7});
//   ctx.scheduler().schedule_after(Duration::minutes(3), [&] { ... });
//   ctx.emit("copy.done", {{"image", id}});

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "sim/rng.h"
#include "sim/scheduler.h"
#include "sim/time.h"
#include "sim/trace.h"

namespace ibsim::sim {

class Context {
 public:
  // 2026-01-01T00:00:00Z: the civil time at virtual Instant::start() unless a run says otherwise.
  static constexpr int64_t kDefaultEpochUnixMs = 1'767'225'600'000;

  struct Options {
    uint64_t seed = 1;
    int64_t epoch_unix_ms = kDefaultEpochUnixMs;
    Scheduler::Options scheduler;
    Trace::Options trace;
  };

  Context() : Context(Options{}) {}

  explicit Context(Options options)
      : options_(options),
        scheduler_(options.scheduler),
        rng_(options.seed),
        trace_(options.trace) {}

  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  uint64_t seed() const { return options_.seed; }

  Instant now() const { return scheduler_.now(); }

  // Civil time for display: epoch + virtual time.
  int64_t unix_ms() const { return options_.epoch_unix_ms + now().since_start().ms(); }

  std::string iso8601_now() const { return format_iso8601_ms(unix_ms()); }

  // Moves the civil epoch (used by `ibsim serve`, whose virtual time follows the wall clock).
  void set_epoch_unix_ms(int64_t epoch) { options_.epoch_unix_ms = epoch; }

  int64_t epoch_unix_ms() const { return options_.epoch_unix_ms; }

  Scheduler& scheduler() { return scheduler_; }

  Rng& rng() { return rng_; }

  Trace& trace() { return trace_; }

  const Trace& trace() const { return trace_; }

  void emit(std::string_view kind, std::initializer_list<TraceArg> args = {}) {
    trace_.emit(now(), kind, args);
  }

 private:
  Options options_;
  Scheduler scheduler_;
  Rng rng_;
  Trace trace_;
};

}  // namespace ibsim::sim
