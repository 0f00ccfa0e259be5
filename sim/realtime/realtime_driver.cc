#include "sim/realtime/realtime_driver.h"

#include <algorithm>
#include <utility>

#include "sim/base/assert.h"

namespace ibsim::sim {

RealtimeDriver::RealtimeDriver(boost::asio::io_context& io,
                               Scheduler& scheduler,
                               Options options,
                               WallClock wall_clock)
    : timer_(io),
      scheduler_(scheduler),
      options_(options),
      wall_clock_(wall_clock ? std::move(wall_clock)
                             : WallClock([] { return std::chrono::steady_clock::now(); })) {
  IBSIM_ASSERT(options_.time_scale > 0.0, "the time scale is validated as positive by the CLI");
}

void RealtimeDriver::start() {
  wall_anchor_ = wall_clock_();
  virtual_anchor_ = scheduler_.now();
  running_ = true;
  arm();
}

void RealtimeDriver::stop() {
  running_ = false;
  timer_.cancel();
}

Instant RealtimeDriver::virtual_at(std::chrono::steady_clock::time_point wall) const {
  const auto wall_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(wall - wall_anchor_).count();
  const double scaled = static_cast<double>(std::max<int64_t>(wall_ns, 0)) * options_.time_scale;
  return virtual_anchor_ + Duration::nanoseconds(static_cast<int64_t>(std::min(scaled, 9.0e18)));
}

uint64_t RealtimeDriver::advance() {
  const Instant target = virtual_at(wall_clock_());
  if (target <= scheduler_.now()) {
    return 0;
  }
  const uint64_t before = scheduler_.events_run();
  // Event limits are per call; keep going until the horizon is really reached.
  while (scheduler_.run_until(target) == RunStatus::kEventLimit) {
  }
  return scheduler_.events_run() - before;
}

void RealtimeDriver::poke() {
  if (running_) {
    arm();
  }
}

void RealtimeDriver::arm() {
  auto sleep = std::chrono::duration_cast<std::chrono::steady_clock::duration>(options_.max_sleep);
  if (const auto next = scheduler_.next_event_time()) {
    const Duration ahead = *next - virtual_at(wall_clock_());
    const double wall_ns =
        static_cast<double>(std::max<int64_t>(ahead.ns(), 0)) / options_.time_scale;
    const auto until_due = std::chrono::nanoseconds(static_cast<int64_t>(wall_ns) + 1);
    sleep =
        std::min(sleep, std::chrono::duration_cast<std::chrono::steady_clock::duration>(until_due));
  }
  timer_.expires_after(sleep);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || !running_) {
      return;
    }
    advance();
    arm();
  });
}

}  // namespace ibsim::sim
