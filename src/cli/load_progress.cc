#include "src/cli/load_progress.h"

#include <string>

#include "src/faults/fault_plan.h"

namespace ibsim::cli {
namespace {

constexpr auto kRedrawEvery = std::chrono::milliseconds(200);

}  // namespace

ProgressLine::ProgressLine(std::FILE* out, bool enabled)
    : out_(out),
      enabled_(enabled),
      started_(std::chrono::steady_clock::now()),
      last_draw_(started_) {}

double ProgressLine::elapsed_seconds() const {
  const auto d = std::chrono::steady_clock::now() - started_;
  return std::chrono::duration<double>(d).count();
}

void ProgressLine::update(const load::LoadProgress& p) {
  if (!enabled_) {
    return;
  }
  const auto now = std::chrono::steady_clock::now();
  if (drawn_ && now - last_draw_ < kRedrawEvery) {
    return;
  }
  last_draw_ = now;
  drawn_ = true;
  const double percent = p.copies_planned == 0 ? 100.0
                                               : 100.0 * static_cast<double>(p.copies_available)
                                                     / static_cast<double>(p.copies_planned);
  std::fprintf(out_,
               "\r\033[Kibsim load: %s virtual | %llu of %llu copies available (%.0f%%) | %u of %u "
               "distributions ended | %.1fs wall",
               faults::format_duration(p.virtual_now).c_str(),
               static_cast<unsigned long long>(p.copies_available),
               static_cast<unsigned long long>(p.copies_planned),
               percent,
               p.distributions_done,
               p.distributions,
               elapsed_seconds());
  std::fflush(out_);
}

void ProgressLine::finish() {
  if (enabled_ && drawn_) {
    std::fprintf(out_, "\r\033[K");
    std::fflush(out_);
  }
  drawn_ = false;
}

}  // namespace ibsim::cli
