#pragma once
// RealtimeDriver: runs a Scheduler against the wall clock on a Boost.Asio executor, for
// `ibsim serve`. Virtual time follows wall time times `time_scale` from the moment start() is
// called: with time_scale 600 a ten-minute copy completes one wall second after it starts. Due
// events fire from an Asio timer; handlers call advance() before touching models so reads see
// the current virtual time, and poke() after scheduling so the timer re-arms for earlier events.
// Runs on the io_context's single thread; not thread-safe. This is the one kernel piece that reads
// a real clock (allowed by the ban-list test), and it lives apart from sim/ proper.

#include <chrono>
#include <cstdint>
#include <functional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "sim/scheduler.h"
#include "sim/time.h"

namespace ibsim::sim {

class RealtimeDriver {
 public:
  using WallClock = std::function<std::chrono::steady_clock::time_point()>;

  struct Options {
    double time_scale = 1.0;  // Virtual seconds per wall second; > 0.
    // Longest the timer sleeps before re-checking, so a scale change or a missed poke costs at
    // most this much latency.
    std::chrono::milliseconds max_sleep{1000};
  };

  RealtimeDriver(boost::asio::io_context& io,
                 Scheduler& scheduler,
                 Options options,
                 WallClock wall_clock = {});

  // Anchors virtual now() to the current wall time and arms the timer.
  void start();
  void stop();

  // Runs every event due by the current wall time. Returns the number of events run.
  uint64_t advance();

  // Re-arms the timer (call after scheduling from a request handler).
  void poke();

  // The virtual instant corresponding to a wall time, under the current anchor.
  Instant virtual_at(std::chrono::steady_clock::time_point wall) const;

 private:
  void arm();

  boost::asio::steady_timer timer_;
  Scheduler& scheduler_;
  Options options_;
  WallClock wall_clock_;
  std::chrono::steady_clock::time_point wall_anchor_{};
  Instant virtual_anchor_ = Instant::start();
  bool running_ = false;
};

}  // namespace ibsim::sim
