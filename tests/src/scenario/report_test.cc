// The reports of `ibsim run`: a text snapshot of a failing scenario (expected vs actual, AWS's
// text, ibsim's explanation and fix, the replay line), JSON that parses with the fields tools
// read, JUnit XML with a failure per failing scenario, and Chrome trace events with the shapes
// Perfetto reads.

#include "src/scenario/report.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "src/scenario/runner.h"

namespace ibsim::scenario {
namespace {

const std::string kData = IBSIM_SOURCE_DIR "/tests/src/scenario/data";

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The failing fixture, run as `ibsim run` would with a path relative to the repository.
RunResult failing_run(bool keep_events) {
  sim::Result<Scenario> s = load_scenario_file(kData + "/failing-key-policy.json");
  INFO((s.ok() ? std::string() : s.error().message));
  REQUIRE(s.ok());
  s->file = "tests/src/scenario/data/failing-key-policy.json";
  return run_scenario(*s, {.keep_events = keep_events});
}

TEST_CASE("Report: text report of a failing scenario matches its snapshot", "[scenario]") {
  const RunResult r = failing_run(false);
  REQUIRE(r.status == RunStatus::kFail);
  const std::string text = render_text({r}, {});
  const std::string snapshot_path = kData + "/failing-key-policy.txt";
  // Test-only switch to rewrite the snapshot after an intended change.
  if (std::getenv("IBSIM_UPDATE_SNAPSHOTS") != nullptr) {
    std::ofstream(snapshot_path, std::ios::binary) << text;
  }
  const std::string snapshot = read(snapshot_path);
  INFO(text);
  CHECK(text == snapshot);
  // What a reader needs is all there.
  CHECK(text.find("FAIL  data/failing-key-policy") != std::string::npos);
  CHECK(text.find("expected: AVAILABLE") != std::string::npos);
  CHECK(text.find("actual:   FAILED") != std::string::npos);
  CHECK(text.find("AMI Copy Reported Failure For") != std::string::npos);
  CHECK(text.find("fix:") != std::string::npos);
  CHECK(text.find("Replay: ibsim run tests/src/scenario/data/failing-key-policy.json --seed 7")
        != std::string::npos);
  CHECK(exit_status({r}) == 1);
}

TEST_CASE("Report: JSON report parses and carries the failures", "[scenario]") {
  const RunResult r = failing_run(false);
  const nlohmann::json j =
      nlohmann::json::parse(render_json({r}, {.wall_ms = {12}}), nullptr, false);
  REQUIRE_FALSE(j.is_discarded());
  CHECK(j["summary"]["scenarios"] == 1);
  CHECK(j["summary"]["failed"] == 1);
  CHECK(j["summary"]["exitStatus"] == 1);
  const nlohmann::json& s = j["scenarios"][0];
  CHECK(s["status"] == "fail");
  CHECK(s["seed"] == 7);
  CHECK(s["wallMs"] == 12);
  CHECK(s["replay"] == "ibsim run tests/src/scenario/data/failing-key-policy.json --seed 7");
  REQUIRE(s["failures"].size() >= 1);
  CHECK(s["failures"][0]["path"] == "$.expect.images[0].status");
  CHECK_FALSE(s["failures"][0]["explanations"].empty());
  CHECK(s["traceHash"].get<std::string>().size() == 16);
}

TEST_CASE("Report: JUnit XML has a failure for the failing scenario", "[scenario]") {
  const RunResult r = failing_run(false);
  RunResult bad;
  bad.file = "x.json";
  bad.name = "x.json";
  bad.status = RunStatus::kBadInput;
  bad.bad_input = "x.json: $.steps: expected <an array> & more";
  const std::string xml = render_junit({r, bad}, {});
  CHECK(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites", 0) == 0);
  CHECK(xml.find("tests=\"2\" failures=\"1\" errors=\"1\"") != std::string::npos);
  CHECK(xml.find("<failure type=\"ExpectationFailed\"") != std::string::npos);
  CHECK(xml.find("<error type=\"BadInput\"") != std::string::npos);
  CHECK(xml.find("expected &lt;an array&gt; &amp; more") != std::string::npos);
  CHECK(exit_status({r, bad}) == 2);
}

TEST_CASE("Report: Chrome trace events have the shapes Perfetto reads", "[scenario]") {
  const RunResult r = failing_run(true);
  REQUIRE_FALSE(r.events.empty());
  const nlohmann::json j = nlohmann::json::parse(render_chrome_trace({r}), nullptr, false);
  REQUIRE_FALSE(j.is_discarded());
  REQUIRE(j["traceEvents"].is_array());
  std::map<int64_t, int> open;  // async id -> begins - ends
  int copies = 0;
  int names = 0;
  for (const nlohmann::json& e : j["traceEvents"]) {
    const std::string ph = e["ph"];
    CHECK((ph == "M" || ph == "b" || ph == "e" || ph == "i"));
    CHECK(e["pid"].is_number_integer());
    CHECK(e["tid"].is_number_integer());
    CHECK(e["name"].is_string());
    if (ph == "M") {
      CHECK(e["args"]["name"].is_string());
      ++names;
      continue;
    }
    CHECK(e["ts"].is_number_integer());
    CHECK(e["ts"].get<int64_t>() >= 0);
    if (ph == "b") {
      ++open[e["id"].get<int64_t>()];
      ++copies;
    } else if (ph == "e") {
      --open[e["id"].get<int64_t>()];
    } else {
      CHECK(e["s"] == "t");
    }
  }
  CHECK(copies > 0);
  CHECK(names > 0);
  for (const auto& [id, n] : open) {
    CHECK(n == 0);
  }
}

}  // namespace
}  // namespace ibsim::scenario
