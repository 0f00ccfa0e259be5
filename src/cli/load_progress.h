#pragma once
// ProgressLine: the one-line status `ibsim load` keeps on stderr while a run goes, when stderr is
// a terminal — virtual time reached, copies available of those planned, distributions ended, and
// the wall time so far. It reads the wall clock (steady_clock) only to pace itself (at most five
// updates a second) and to show elapsed time; nothing it reads reaches the simulation, so runs stay
// deterministic.
//
//   ProgressLine progress(stderr, isatty(2));
//   run_load(profile, {.on_progress = [&](const LoadProgress& p) { progress.update(p); }});
//   progress.finish();

#include <chrono>
#include <cstdio>

#include "src/load/runner.h"

namespace ibsim::cli {

class ProgressLine {
 public:
  ProgressLine(std::FILE* out, bool enabled);

  void update(const load::LoadProgress& progress);
  // Clears the line (when one was drawn).
  void finish();

  // Wall seconds since construction.
  double elapsed_seconds() const;

 private:
  std::FILE* out_;
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point started_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace ibsim::cli
