#pragma once
// The scenario runner: one scenario, one seed, one fresh world. It builds the run's sim::Context
// (seed from the file unless overridden, trace recorded), loads the world, wires the distribution
// engine as Image Builder's workflow, executes the steps in virtual time — API calls through a
// Dispatcher (dispatch.h) as the scenario's principals, time advances, settling, and calls
// scheduled at a virtual time — then runs a quiet phase until everything settles, evaluates the
// expectations and runs the checkers (checkers.h). The result carries what the reports need:
// pass/fail, every failure with expected vs actual, AWS's text and ibsim's explanation, a short
// timeline, the trace hash and the recorded events.
//
//   RunResult r = run_scenario_file("scenarios/seed/happy-path.json", {.seed = 7});
//   if (r.status != RunStatus::kPass) print(r.replay);

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "mock_aws/api/ids.h"
#include "mock_aws/api/imagebuilder_workflow.h"
#include "mock_aws/protocol/document.h"
#include "mock_aws/services/world.h"
#include "sim/time.h"
#include "sim/trace.h"
#include "src/scenario/scenario.h"

namespace ibsim::scenario {

struct RunLimits {
  // Events one run may execute in all (advances, settling and the quiet phase together).
  static constexpr uint64_t kEventsPerRunMax = 50'000'000;
  // The quiet phase's bound when the scenario states no "settledBy".
  static constexpr sim::Duration kQuietPhaseDefault = sim::Duration::days(7);
  // Events kept for reports and --trace (the hash covers every event regardless).
  static constexpr uint64_t kRecordedEventsMax = 2'000'000;
  static constexpr std::size_t kTimelineLinesMax = 40;
};

enum class RunStatus : uint8_t { kPass, kFail, kBadInput };

std::string_view to_string(RunStatus status);  // "pass", "fail", "bad input"

// ibsim's account of one failed job or denied call, ready to print: what failed where, AWS's
// words, the cause, why (which policy, which statement is missing, in which account) and the fix.
struct Explanation {
  std::string title;               // "444455556666 us-east-1: CopyImage as arn:...:role/..."
  std::string aws_message;         // As AWS reports it.
  std::string cause;               // "AccessDeniedException: User: ... is not authorized ..."
  std::string why;                 // The denial's summary.
  std::vector<std::string> fixes;  // One sentence each, with the statement to add when known.
};

struct Failure {
  std::string path;  // Where the expectation is written ("$.expect.amis[1]"), or "checker: ..."
  std::string what;  // One line: "image status", "AMIs of 444455556666 in us-east-1"
  std::string expected;
  std::string actual;
  std::string aws_error;  // AWS's text (the image's reason, the call's error message).
  std::vector<Explanation> explanations;
};

struct TimelineEntry {
  sim::Duration at;
  std::string text;
};

struct StepRecord {
  std::string path;
  sim::Duration at;
  std::string description;  // "imagebuilder:CreateImage as admin in us-east-1"
  std::string outcome;      // "ok", "AccessDeniedException: ..."
  bool ran = false;
  bool passed = false;
};

// What an Image Builder image the steps created ended as (after the quiet phase).
struct ImageOutcome {
  std::string arn;
  std::string status;                                             // "AVAILABLE", "FAILED", ...
  std::string reason;                                             // The full failure reason.
  std::vector<mock_aws::api::imagebuilder::JobFailure> failures;  // Failed distribution jobs.
};

struct RunOptions {
  std::optional<uint64_t> seed;  // Overrides the scenario's.
  // Swarm mode: vary timing knobs (copy-time jitter, poll interval) per seed, on top of the
  // per-seed randomness every run has. The fault-plan mechanism will vary faults here too.
  bool swarm = false;
  bool keep_events = false;  // Keep the recorded trace events in the result (for --trace).
};

struct RunResult {
  std::string file;
  std::string group;
  std::string name;
  std::string description;
  std::vector<std::string> tags;
  uint64_t seed = 0;
  RunStatus status = RunStatus::kPass;
  std::string bad_input;  // kBadInput: the message (file, JSON path, what was expected).
  std::vector<Failure> failures;
  std::vector<StepRecord> steps;
  std::vector<TimelineEntry> timeline;
  std::vector<ImageOutcome> images;  // In the order the steps created them.
  std::string trace_hash;
  uint64_t trace_events = 0;
  sim::Duration ended_at;                   // Virtual time when the run ended.
  std::optional<sim::Duration> settled_at;  // When everything settled, if it did.
  uint64_t copies_started = 0;
  uint64_t amis_created = 0;
  std::vector<std::string> notes;       // Settings the engine reported as not simulated, etc.
  std::vector<sim::TraceEvent> events;  // With RunOptions::keep_events.
  std::string replay;                   // "ibsim run <file> --seed <n>"
};

RunResult run_scenario(const Scenario& scenario, const RunOptions& options);
// Loads and runs; a file that does not load is a kBadInput result.
RunResult run_scenario_file(const std::string& path, const RunOptions& options);

// A scenario's world as its steps leave it just before step `stop` (a call) would run, for tools
// that look at a scenario's setup rather than its run (the check-versus-run agreement test): the
// steps before `stop` run as run_scenario runs them (a scheduled call among them only if an
// advance reaches its time; later scheduled calls never run), then `use` gets the world and the
// input of step `stop` with its references resolved. No quiet phase, no expectations. Errors: the
// scenario does not fit its world, step `stop` is not a call, or its input refers to a value no
// earlier step saved.
using WorldInspector = std::function<void(mock_aws::services::World& world,
                                          const mock_aws::protocol::Document& input)>;
sim::Status inspect_before_step(const Scenario& scenario,
                                std::size_t stop,
                                const RunOptions& options,
                                const WorldInspector& use);

// The seeds --seeds N runs for a scenario: its own seed, its regression seeds, then seeds derived
// from the scenario's seed, N in all (at least its own and every regression seed).
std::vector<uint64_t> swarm_seeds(const Scenario& scenario, uint64_t count);

}  // namespace ibsim::scenario
