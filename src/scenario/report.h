#pragma once
// Reports of scenario runs: the text a person reads (per scenario pass/fail, a short timeline,
// each failure with expected vs actual, AWS's text, ibsim's explanation and fix, and the command
// that replays it), JSON for tools, JUnit XML for CI, and Chrome trace-event JSON for Perfetto
// (a track per account × region, copy spans, retries and denials as instants). Rendering is a
// pure function of the results, so the same runs give the same bytes.
//
//   std::string text = render_text(results, {});
//   write(render_chrome_trace(results));

#include <cstdint>
#include <string>
#include <vector>

#include "src/scenario/runner.h"

namespace ibsim::scenario {

struct ReportOptions {
  // Wall-clock milliseconds per result (parallel to the results), measured by the caller;
  // empty: timings are left out (the reports stay byte-identical across machines).
  std::vector<int64_t> wall_ms;
  bool show_passing_timeline = false;  // Timelines of passing scenarios too (--verbose).
  std::string version;                 // "ibsim 0.1.0 (commit abc)" for the header; may be empty.
};

std::string render_text(const std::vector<RunResult>& results, const ReportOptions& options);
std::string render_json(const std::vector<RunResult>& results, const ReportOptions& options);
std::string render_junit(const std::vector<RunResult>& results, const ReportOptions& options);
// Needs results run with RunOptions::keep_events.
std::string render_chrome_trace(const std::vector<RunResult>& results);

// The process exit status for a set of results: 0 every expectation held, 1 one failed, 2 bad
// input (takes precedence).
int exit_status(const std::vector<RunResult>& results);

}  // namespace ibsim::scenario
