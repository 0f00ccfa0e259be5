#include "src/cli/run_command.h"

#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

#include "ibsim_version.h"
#include "src/scenario/report.h"
#include "src/scenario/runner.h"
#include "src/scenario/scenario.h"

namespace ibsim::cli {

const std::string_view kRunUsage = R"(Usage:
  ibsim run PATH... [--seed N [--swarm] | --seeds N] [--format text|json|junit]
                    [--output FILE] [--trace FILE] [--verbose]

Runs scenario files (docs/scenario-format.md). A PATH is a scenario file or a folder, searched
recursively for *.json (folders named "worlds" are skipped). Each scenario runs in its own
deterministic world in virtual time: its steps, then a quiet phase until everything settles,
then its expectations and the checkers (no AMI outside the configuration, encrypted copies
under the destination key, nothing unfinished, copy caps held).

Options:
  --seed N          run every scenario with seed N instead of its own
  --seeds N         swarm mode: run each scenario under N seeds (its own, its regressionSeeds,
                    then derived ones), varying copy-time jitter and polling per seed
  --swarm           with --seed N: vary timing by the seed as --seeds does (what a swarm
                    failure's replay line asks for)
  --format F        text (default), json, or junit (JUnit XML for CI)
  --output FILE     write the report to FILE instead of standard output
  --trace FILE      write Chrome trace-event JSON (open it in Perfetto: ui.perfetto.dev):
                    a track per account and region, copy spans, retries, denials
  --verbose         show the timeline of passing scenarios too

Every failure prints the command that replays it: ibsim run <file> --seed <n> [--swarm].

Examples:
  ibsim run scenarios/seed
  ibsim run scenarios/seed/key-policy-without-target-account.json --seed 7 --trace trace.json
  ibsim run scenarios --seeds 20 --format junit --output ibsim-junit.xml

Exit status: 0 when every expectation held, 1 when one failed, 2 on bad usage or bad input
(a scenario that does not load: unknown key, wrong type, a principal the world lacks, ...).
)";

namespace {

struct Options {
  std::vector<std::string> paths;
  std::optional<uint64_t> seed;
  uint64_t seeds = 1;
  std::string format = "text";
  std::string output;
  std::string trace;
  bool verbose = false;
  bool swarm = false;
};

int usage_error(const std::string& message) {
  std::fprintf(stderr, "ibsim run: %s (see `ibsim run --help`)\n", message.c_str());
  return 2;
}

std::optional<uint64_t> parse_u64(const std::string& text) {
  if (text.empty() || text.size() > 19) {
    return std::nullopt;
  }
  uint64_t v = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return std::nullopt;
    }
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  return v;
}

bool write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  return static_cast<bool>(out);
}

}  // namespace

int run_run(std::span<const std::string> args) {
  constexpr uint64_t kSeedsMax = 100'000;
  Options o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= args.size()) {
        return std::nullopt;
      }
      return args[++i];
    };
    if (a == "--seed" || a == "--seeds" || a == "--format" || a == "--output" || a == "--trace") {
      const std::optional<std::string> v = value();
      if (!v.has_value()) {
        return usage_error(a + " needs a value");
      }
      if (a == "--seed") {
        o.seed = parse_u64(*v);
        if (!o.seed.has_value()) {
          return usage_error("--seed expects a non-negative integer, got '" + *v + "'");
        }
      } else if (a == "--seeds") {
        const std::optional<uint64_t> n = parse_u64(*v);
        if (!n.has_value() || *n == 0 || *n > kSeedsMax) {
          return usage_error("--seeds expects a count from 1 to 100000, got '" + *v + "'");
        }
        o.seeds = *n;
      } else if (a == "--format") {
        if (*v != "text" && *v != "json" && *v != "junit") {
          return usage_error("--format expects text, json or junit, got '" + *v + "'");
        }
        o.format = *v;
      } else if (a == "--output") {
        o.output = *v;
      } else {
        o.trace = *v;
      }
    } else if (a == "--verbose" || a == "-v") {
      o.verbose = true;
    } else if (a == "--swarm") {
      o.swarm = true;
    } else if (a.starts_with("-")) {
      return usage_error("unknown option '" + a + "'");
    } else {
      o.paths.push_back(a);
    }
  }
  if (o.paths.empty()) {
    return usage_error("no scenario file or folder given");
  }
  if (o.seed.has_value() && o.seeds > 1) {
    return usage_error("--seed and --seeds exclude each other");
  }
  std::vector<std::string> files;
  for (const std::string& p : o.paths) {
    auto found = scenario::find_scenario_files(p);
    if (!found.ok()) {
      std::fprintf(stderr, "ibsim run: %s\n", found.error().message.c_str());
      return 2;
    }
    files.insert(files.end(), found->begin(), found->end());
  }
  if (files.empty()) {
    return usage_error("no scenario files under " + o.paths.front());
  }

  // Plan every run: (file, seed) pairs; a file that does not load is one bad-input result.
  struct Planned {
    std::optional<scenario::Scenario> scenario;
    std::string file;
    std::string error;
    uint64_t seed = 0;
    bool first_seed = true;
  };

  std::vector<Planned> plan;
  for (const std::string& f : files) {
    sim::Result<scenario::Scenario> s = scenario::load_scenario_file(f);
    if (!s.ok()) {
      plan.push_back({.file = f, .error = s.error().message});
      continue;
    }
    const std::vector<uint64_t> seeds =
        o.seed.has_value() ? std::vector<uint64_t>{*o.seed} : scenario::swarm_seeds(*s, o.seeds);
    for (std::size_t k = 0; k < seeds.size() && k < o.seeds; ++k) {
      plan.push_back({.scenario = *s, .file = f, .seed = seeds[k], .first_seed = k == 0});
    }
  }

  // The progress line goes to the terminal only (src/cli may look at the terminal's state).
  const bool progress = isatty(STDERR_FILENO) != 0 && plan.size() > 1;
  std::vector<scenario::RunResult> results;
  scenario::ReportOptions report;
  report.show_passing_timeline = o.verbose;
  report.version = std::string("ibsim ") + IBSIM_VERSION + " (commit " + IBSIM_GIT_COMMIT + ")";
  std::vector<scenario::RunResult> traced;
  std::size_t failed = 0;
  for (std::size_t i = 0; i < plan.size(); ++i) {
    const Planned& p = plan[i];
    if (progress) {
      std::fprintf(stderr,
                   "\r\033[K[%zu/%zu] %zu failed  %s seed %llu",
                   i + 1,
                   plan.size(),
                   failed,
                   p.file.c_str(),
                   static_cast<unsigned long long>(p.seed));
      std::fflush(stderr);
    }
    const auto start = std::chrono::steady_clock::now();
    scenario::RunResult r;
    if (!p.scenario.has_value()) {
      r.file = p.file;
      r.name = p.file;
      r.status = scenario::RunStatus::kBadInput;
      r.bad_input = p.error;
    } else {
      const bool keep = !o.trace.empty() && p.first_seed;
      r = scenario::run_scenario(
          *p.scenario, {.seed = p.seed, .swarm = o.seeds > 1 || o.swarm, .keep_events = keep});
      if (keep) {
        traced.push_back(r);
        r.events.clear();
      }
    }
    const auto elapsed = std::chrono::steady_clock::now() - start;
    report.wall_ms.push_back(
        std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count());
    failed += r.status == scenario::RunStatus::kPass ? 0 : 1;
    results.push_back(std::move(r));
  }
  if (progress) {
    std::fprintf(stderr, "\r\033[K");
  }

  std::string text;
  if (o.format == "json") {
    text = scenario::render_json(results, report);
  } else if (o.format == "junit") {
    text = scenario::render_junit(results, report);
  } else {
    text = scenario::render_text(results, report);
  }
  if (o.output.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
  } else if (!write_file(o.output, text)) {
    std::fprintf(stderr, "ibsim run: cannot write %s\n", o.output.c_str());
    return 2;
  }
  if (!o.trace.empty() && !write_file(o.trace, scenario::render_chrome_trace(traced))) {
    std::fprintf(stderr, "ibsim run: cannot write %s\n", o.trace.c_str());
    return 2;
  }
  return scenario::exit_status(results);
}

}  // namespace ibsim::cli
