// Every scenario file under scenarios/ is its own Catch2 test case (and so its own ctest test),
// registered at start-up with REGISTER_TEST_CASE as DuckDB registers its sqllogictest files. Each
// test runs the scenario with its seed and requires every expectation and checker to hold, runs it
// again with the same seed and requires the same trace hash (determinism), then runs it with its
// regression seeds and one other seed, which must pass too.

#include "src/scenario/scenario.h"

#include <map>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "src/scenario/report.h"
#include "src/scenario/runner.h"

namespace ibsim::scenario {
namespace {

constexpr std::string_view kScenarioRoot = IBSIM_SOURCE_DIR "/scenarios";

// Test name ("seed/unencrypted-happy-path") -> file. Filled before Catch runs.
std::map<std::string, std::string>& scenario_files() {
  static std::map<std::string, std::string> files;
  return files;
}

void require_pass(const RunResult& r) {
  INFO(render_text({r}, {}));
  REQUIRE(r.status == RunStatus::kPass);
}

void run_registered_scenario() {
  const std::string name = Catch::getResultCapture().getCurrentTestName();
  const std::string& file = scenario_files().at(name);
  sim::Result<Scenario> s = load_scenario_file(file);
  INFO((s.ok() ? std::string() : s.error().message));
  REQUIRE(s.ok());
  const RunResult first = run_scenario(*s, {});
  require_pass(first);
  // Determinism: the same seed gives the same trace, event for event.
  const RunResult again = run_scenario(*s, {});
  CHECK(again.trace_hash == first.trace_hash);
  CHECK(again.trace_events == first.trace_events);
  // Other seeds (regression seeds, and one more in swarm mode) still pass.
  const std::vector<uint64_t> seeds = swarm_seeds(*s, s->regression_seeds.size() + 2);
  for (std::size_t i = 1; i < seeds.size(); ++i) {
    require_pass(run_scenario(*s, {.seed = seeds[i], .swarm = true}));
  }
}

struct Registrar {
  Registrar() {
    auto files = find_scenario_files(std::string(kScenarioRoot));
    if (!files.ok()) {
      return;
    }
    for (const std::string& f : *files) {
      std::string name = f.substr(kScenarioRoot.size() + 1);
      name = name.substr(0, name.size() - std::string_view(".json").size());
      const std::string group = name.substr(0, name.find('/'));
      scenario_files().emplace(name, f);
      const std::string tags = "[scenario][" + group + "]";
      REGISTER_TEST_CASE(run_registered_scenario, name, tags);
    }
  }
};

const Registrar kRegistrar;

TEST_CASE("Scenarios: the library under scenarios/ is found", "[scenario]") {
  auto files = find_scenario_files(std::string(kScenarioRoot));
  REQUIRE(files.ok());
  CHECK(files->size() >= 16);
  for (const std::string& f : *files) {
    CHECK(f.find("/worlds/") == std::string::npos);
  }
}

}  // namespace
}  // namespace ibsim::scenario
