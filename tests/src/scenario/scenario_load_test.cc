// Scenario files are read strictly: every malformed or inconsistent file is rejected with the
// file, the JSON path and what was expected — never a crash and never a silent pass.

#include <fstream>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "src/scenario/runner.h"
#include "src/scenario/scenario.h"

namespace ibsim::scenario {
namespace {

const std::string kSeedDir = IBSIM_SOURCE_DIR "/scenarios/seed";

// A valid scenario around `steps` (and `extra` top-level members).
std::string scenario(std::string_view steps, std::string_view extra = "") {
  return std::string(R"({"name": "x", "description": "d", "world": "../worlds/cross-account.json",
    "principals": {"admin": "111122223333"}, "steps": )")
         + std::string(steps) + std::string(extra) + "}";
}

// The load error's message, or "" when the file loads.
std::string load_error(const std::string& text) {
  sim::Result<Scenario> s = load_scenario_text(text, "bad.json", kSeedDir);
  return s.ok() ? std::string() : s.error().message;
}

// The bad-input message of a run (world-dependent checks), or "" when the file is accepted.
std::string run_error(const std::string& text) {
  sim::Result<Scenario> s = load_scenario_text(text, "bad.json", kSeedDir);
  if (!s.ok()) {
    return "load: " + s.error().message;
  }
  const RunResult r = run_scenario(*s, {});
  return r.status == RunStatus::kBadInput ? r.bad_input : std::string();
}

struct Case {
  std::string name;
  std::string text;
  std::vector<std::string> contains;  // Every one must be in the message.
};

const std::string kCall =
    R"({"call": "imagebuilder:ListImages", "as": "admin", "region": "us-east-1"})";

std::vector<Case> load_cases() {
  return {
      {"unknown top-level key",
       scenario("[]", R"(, "nmae": 1)"),
       {"bad.json: $.nmae: unknown key 'nmae'; expected one of: name, description"}},
      {"missing name",
       R"({"description": "d", "world": "../worlds/cross-account.json", "steps": [{"advance": "1m"}]})",
       {"bad.json: $.name"}},
      {"name of the wrong type",
       R"({"name": 7, "description": "d", "world": {}, "steps": [{"advance": "1m"}]})",
       {"$.name: expected a string, got the number 7"}},
      {"name with a comma",
       R"({"name": "a,b", "description": "d", "world": {}, "steps": [{"advance": "1m"}]})",
       {"$.name: expected 1 to 128 characters without commas"}},
      {"tags not an array",
       scenario(R"([{"advance": "1m"}])", R"(, "tags": "x")"),
       {"$.tags: expected an array"}},
      {"negative seed", scenario(R"([{"advance": "1m"}])", R"(, "seed": -1)"), {"$.seed"}},
      {"regression seed not an integer",
       scenario(R"([{"advance": "1m"}])", R"(, "regressionSeeds": ["7"])"),
       {"$.regressionSeeds[0]: expected a non-negative integer seed"}},
      {"empty steps", scenario("[]"), {"$.steps: expected a non-empty array of steps"}},
      {"step that is a number", scenario("[42]"), {"$.steps[0]: expected a step object"}},
      {"step with two actions",
       scenario(R"([{"advance": "1m", "runUntilSettled": {"limit": "1h"}}])"),
       {"$.steps[0]: a step does one thing"}},
      {"step without an action",
       scenario(R"([{"note": "x"}])"),
       {"$.steps[0]: expected one of the keys \"call\", \"advance\" or \"runUntilSettled\""}},
      {"unknown key in a call step",
       scenario(
           R"([{"call": "imagebuilder:ListImages", "as": "admin", "region": "us-east-1", "inptu": {}}])"),
       {"$.steps[0].inptu: unknown key 'inptu'; expected one of: call, as, region, input"}},
      {"call without a service",
       scenario(R"([{"call": "ListImages", "as": "admin", "region": "us-east-1"}])"),
       {"$.steps[0].call: expected \"service:Operation\""}},
      {"unknown service",
       scenario(R"([{"call": "lambda:Invoke", "as": "admin", "region": "us-east-1"}])"),
       {"$.steps[0].call: unknown service 'lambda'"}},
      {"unknown operation",
       scenario(R"([{"call": "imagebuilder:CreateWidget", "as": "admin", "region": "us-east-1"}])"),
       {"$.steps[0].call: 'CreateWidget' is not an operation ibsim serves for imagebuilder",
        "CreateDistributionConfiguration"}},
      {"regional call without a region",
       scenario(R"([{"call": "ec2:DescribeImages", "as": "admin"}])"),
       {"$.steps[0]: a ec2 call needs \"region\""}},
      {"unknown region",
       scenario(R"([{"call": "ec2:DescribeImages", "as": "admin", "region": "moon-1"}])"),
       {"$.steps[0].region: 'moon-1' is not a region of partition aws"}},
      {"input member the operation lacks",
       scenario(R"([{"call": "imagebuilder:CreateDistributionConfiguration", "as": "admin",
                     "region": "us-east-1", "input": {"nmae": "x"}}])"),
       {"$.steps[0].input.nmae: unknown member 'nmae' of CreateDistributionConfigurationRequest",
        "distributions"}},
      {"nested input member the operation lacks",
       scenario(R"([{"call": "imagebuilder:CreateDistributionConfiguration", "as": "admin",
                     "region": "us-east-1", "input": {"name": "x", "distributions": [
                       {"region": "us-east-1", "amiDistributionConfiguration": {"nme": "y"}}]}}])"),
       {"$.steps[0].input.distributions[0].amiDistributionConfiguration.nme: unknown member "
        "'nme' of AmiDistributionConfiguration"}},
      {"input member of the wrong type",
       scenario(R"([{"call": "imagebuilder:CreateDistributionConfiguration", "as": "admin",
                     "region": "us-east-1", "input": {"name": "x", "distributions": "us-east-1"}}])"),
       {"$.steps[0].input.distributions: expected an array, got the string \"us-east-1\""}},
      {"boolean input given as a string",
       scenario(R"([{"call": "ec2:CopyImage", "as": "admin", "region": "us-east-1",
                     "input": {"Name": "x", "SourceImageId": "ami-0a000000000000001",
                               "SourceRegion": "us-east-1", "Encrypted": "yes"}}])"),
       {"$.steps[0].input.Encrypted: expected true or false"}},
      {"input not an object",
       scenario(
           R"([{"call": "ec2:DescribeImages", "as": "admin", "region": "us-east-1", "input": []}])"),
       {"$.steps[0].input: expected the operation's input object"}},
      {"malformed duration",
       scenario(R"([{"advance": "30 minutes"}])"),
       {"$.steps[0].advance: expected a duration such as \"30m\"", "got \"30 minutes\""}},
      {"duration with an unknown unit",
       scenario(R"([{"advance": "5y"}])"),
       {"$.steps[0].advance: expected a duration"}},
      {"duration without a unit",
       scenario(R"([{"advance": "30"}])"),
       {"$.steps[0].advance: expected a duration"}},
      {"settle without a limit",
       scenario(R"([{"runUntilSettled": {}}])"),
       {"$.steps[0].runUntilSettled.limit"}},
      {"settle with an unknown key",
       scenario(R"([{"runUntilSettled": {"limit": "1h", "max": 2}}])"),
       {"$.steps[0].runUntilSettled.max: unknown key 'max'; expected one of: limit"}},
      {"scheduled call at a malformed time",
       scenario(
           R"([{"at": "soon", "call": "imagebuilder:ListImages", "as": "admin", "region": "us-east-1"}])"),
       {"$.steps[0].at: expected a duration"}},
      {"reference no step saves",
       scenario(R"([{"call": "imagebuilder:GetImage", "as": "admin", "region": "us-east-1",
                     "input": {"imageBuildVersionArn": "${nope}"}}])"),
       {"$.steps[0].input.imageBuildVersionArn: refers to ${nope}, which no earlier step saves"}},
      {"reference saved only by a later step",
       scenario(R"([{"call": "imagebuilder:GetImage", "as": "admin", "region": "us-east-1",
                     "input": {"imageBuildVersionArn": "${arn}"}},
                    {"call": "imagebuilder:ListImages", "as": "admin", "region": "us-east-1",
                     "save": {"arn": "imageVersionList[0].arn"}}])"),
       {"$.steps[0].input.imageBuildVersionArn: refers to ${arn}"}},
      {"malformed reference",
       scenario(R"([{"call": "imagebuilder:GetImage", "as": "admin", "region": "us-east-1",
                     "input": {"imageBuildVersionArn": "${1abc}"}}])"),
       {"$.steps[0].input.imageBuildVersionArn: contains a malformed reference '${1abc}'"}},
      {"unterminated reference",
       scenario(R"([{"call": "imagebuilder:GetImage", "as": "admin", "region": "us-east-1",
                     "input": {"imageBuildVersionArn": "${abc"}}])"),
       {"contains an unterminated reference"}},
      {"reference in an expectation no step saves",
       scenario(R"([{"advance": "1m"}])", R"(, "expect": {"images": [{"image": "${img}"}]})"),
       {"$.expect.images[0].image: refers to ${img}"}},
      {"outcome that is not ok or error",
       scenario(
           R"([{"call": "imagebuilder:ListImages", "as": "admin", "region": "us-east-1", "expect": "okay"}])"),
       {"$.steps[0].expect: expected \"ok\", \"error\""}},
      {"error outcome with an unknown key",
       scenario(R"([{"call": "imagebuilder:ListImages", "as": "admin", "region": "us-east-1",
                     "expect": {"error": "X", "message": "y"}}])"),
       {"$.steps[0].expect", "unknown key 'message'"}},
      {"save path that is malformed",
       scenario(R"([{"call": "imagebuilder:ListImages", "as": "admin", "region": "us-east-1",
                     "save": {"x": "a..b"}}])"),
       {"$.steps[0].save.x: expected the path of a member of the output"}},
      {"save on a step that expects an error",
       scenario(R"([{"call": "imagebuilder:ListImages", "as": "admin", "region": "us-east-1",
                     "expect": "error", "save": {"x": "a"}}])"),
       {"$.steps[0].save.x: a step that expects an error has no output"}},
      {"unknown principal name",
       scenario(R"([{"call": "imagebuilder:ListImages", "as": "nobody", "region": "us-east-1"}])"),
       {"$.steps[0].as: expected an account id (root), an IAM user or root ARN, a principal "
        "declared in $.principals (admin)"}},
      {"role ARN used as a principal",
       scenario(R"([{"call": "imagebuilder:ListImages", "region": "us-east-1",
                     "as": "arn:aws:iam::111122223333:role/ReleaseManager"}])"),
       {"$.steps[0].as: a role acts through a session"}},
      {"assumed role without who assumes it",
       scenario(R"([{"call": "imagebuilder:ListImages", "region": "us-east-1",
                     "as": {"assumeRole": "arn:aws:iam::111122223333:role/ReleaseManager"}}])"),
       {"$.steps[0].as.as"}},
      {"assumed role that is not a role ARN",
       scenario(R"([{"call": "imagebuilder:ListImages", "region": "us-east-1",
                     "as": {"assumeRole": "ReleaseManager", "as": "admin"}}])"),
       {"$.steps[0].as.assumeRole: expected a role ARN"}},
      {"principals that refer to each other",
       R"({"name": "x", "description": "d", "world": {}, "steps": [{"advance": "1m"}],
           "principals": {"a": {"assumeRole": "arn:aws:iam::111122223333:role/R", "as": "b"},
                          "b": {"assumeRole": "arn:aws:iam::111122223333:role/R", "as": "a"}}})",
       {"more than 8 levels deep"}},
      {"image status that does not exist",
       scenario(
           R"([{"call": "imagebuilder:ListImages", "as": "admin", "region": "us-east-1", "save": {"i": "requestId"}}])",
           R"(, "expect": {"images": [{"image": "${i}", "status": "DONE"}]})"),
       {"$.expect.images[0].status: expected one of PENDING, CREATING"}},
      {"AMI expectation with none and count",
       scenario(
           R"([{"advance": "1m"}])",
           R"(, "expect": {"amis": [{"account": "444455556666", "region": "us-east-1", "none": true, "count": 1}]})"),
       {"$.expect.amis[0].none: \"none\": true contradicts"}},
      {"AMI expectation with a malformed account",
       scenario(R"([{"advance": "1m"}])",
                R"(, "expect": {"amis": [{"account": "4444", "region": "us-east-1"}]})"),
       {"$.expect.amis[0].account: expected a 12-digit account id"}},
      {"unencrypted AMI with a key",
       scenario(
           R"([{"advance": "1m"}])",
           R"(, "expect": {"amis": [{"account": "444455556666", "region": "us-east-1", "encrypted": false, "kmsKey": "alias/x"}]})"),
       {"$.expect.amis[0].kmsKey: an unencrypted AMI has no KMS key"}},
      {"peak bounds that cannot both hold",
       scenario(R"([{"advance": "1m"}])",
                R"(, "expect": {"peakCopies": [{"atMost": 5, "atLeast": 9}]})"),
       {"$.expect.peakCopies[0].atLeast: cannot exceed \"atMost\" (an impossible expectation)"}},
      {"launch template default above latest",
       scenario(
           R"([{"advance": "1m"}])",
           R"(, "expect": {"launchTemplates": [{"account": "444455556666", "region": "us-east-1", "launchTemplate": "lt-0a000000000000001", "defaultVersion": 3, "latestVersion": 2}]})"),
       {"$.expect.launchTemplates[0].defaultVersion: cannot exceed \"latestVersion\""}},
      {"SSM expectation without a value",
       scenario(
           R"([{"advance": "1m"}])",
           R"(, "expect": {"ssmParameters": [{"account": "444455556666", "region": "us-east-1", "name": "/x"}]})"),
       {"$.expect.ssmParameters[0]: expected \"value\" (or \"absent\": true)"}},
      {"unknown key in an expectation",
       scenario(
           R"([{"advance": "1m"}])",
           R"(, "expect": {"amis": [{"account": "444455556666", "region": "us-east-1", "statee": "x"}]})"),
       {"$.expect.amis[0].statee: unknown key 'statee'; expected one of: account, region"}},
      {"settledBy malformed",
       scenario(R"([{"advance": "1m"}])", R"(, "expect": {"settledBy": "2 hours"})"),
       {"$.expect.settledBy: expected a duration"}},
      {"world file that does not exist",
       R"({"name": "x", "description": "d", "world": "nope.json", "steps": [{"advance": "1m"}]})",
       {"bad.json: $.world: cannot open the world file"}},
      {"world of the wrong type",
       R"({"name": "x", "description": "d", "world": 3, "steps": [{"advance": "1m"}]})",
       {"$.world: expected a world object or the path of a world file"}},
      {"faults before the fault-plan mechanism",
       scenario(R"([{"advance": "1m"}])", R"(, "faults": [])"),
       {"$.faults: fault plans are not available yet"}},
      {"engine option out of range",
       scenario(R"([{"advance": "1m"}])", R"(, "engine": {"copiesInFlightMax": 0})"),
       {"$.engine.copiesInFlightMax"}},
      {"malformed JSON", "{\"name\": ", {"bad.json"}},
  };
}

TEST_CASE("ScenarioLoad: malformed scenarios name the file and the path and what was expected",
          "[scenario]") {
  const std::vector<Case> cases = load_cases();
  CHECK(cases.size() >= 30);
  std::set<std::string> names;
  for (const Case& c : cases) {
    INFO(c.name);
    CHECK(names.insert(c.name).second);
    const std::string message = load_error(c.text);
    INFO(message);
    REQUIRE_FALSE(message.empty());
    for (const std::string& part : c.contains) {
      CHECK(message.find(part) != std::string::npos);
    }
  }
}

TEST_CASE("ScenarioLoad: what the world lacks is bad input before anything runs", "[scenario]") {
  const std::vector<Case> cases = {
      {"an account the world lacks",
       scenario(
           R"([{"call": "imagebuilder:ListImages", "as": "999999999999", "region": "us-east-1"}])"),
       {"bad.json: $.steps[0].as: account 999999999999 is not in the world"}},
      {"a user the world lacks",
       scenario(R"([{"call": "imagebuilder:ListImages", "region": "us-east-1",
                     "as": "arn:aws:iam::111122223333:user/ghost"}])"),
       {"$.steps[0].as: the world has no IAM user arn:aws:iam::111122223333:user/ghost"}},
      {"a role the world lacks",
       scenario(R"([{"call": "imagebuilder:ListImages", "region": "us-east-1",
                     "as": {"assumeRole": "arn:aws:iam::111122223333:role/Ghost", "as": "admin"}}])"),
       {"$.steps[0].as: the world has no IAM role arn:aws:iam::111122223333:role/Ghost"}},
      {"a region the world does not enable",
       scenario(R"([{"call": "imagebuilder:ListImages", "as": "admin", "region": "ap-south-1"}])"),
       {"$.steps[0].region: region ap-south-1 is not enabled in the world"}},
      {"an expectation in a region the world does not enable",
       scenario(
           R"([{"advance": "1m"}])",
           R"(, "expect": {"amis": [{"account": "444455556666", "region": "ap-south-1", "none": true}]})"),
       {"$.expect.amis[0].region: region ap-south-1 is not enabled", "impossible expectation"}},
      {"an expectation about an account the world lacks",
       scenario(R"([{"advance": "1m"}])",
                R"(, "expect": {"peakCopies": [{"account": "999999999999", "atMost": 50}]})"),
       {"$.expect.peakCopies[0].account: account 999999999999 is not in the world"}},
      {"a KMS alias the world lacks",
       scenario(
           R"([{"advance": "1m"}])",
           R"(, "expect": {"amis": [{"account": "444455556666", "region": "us-east-1", "kmsKey": "alias/nope"}]})"),
       {"$.expect.amis[0].kmsKey: no KMS alias 'alias/nope' in account 444455556666"}},
      {"a KMS key the world lacks",
       scenario(
           R"([{"advance": "1m"}])",
           R"(, "expect": {"amis": [{"account": "444455556666", "region": "us-east-1", "kmsKey": "arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-8000-000000000000"}]})"),
       {"$.expect.amis[0].kmsKey: no KMS key arn:aws:kms:us-east-1"}},
      {"a KMS key of another region",
       scenario(
           R"([{"advance": "1m"}])",
           R"(, "expect": {"amis": [{"account": "444455556666", "region": "us-east-1", "kmsKey": "arn:aws:kms:us-west-2:111122223333:key/2222bbbb-2222-4222-8222-222222222222"}]})"),
       {"KMS keys are regional (an impossible expectation)"}},
      {"a launch template the world lacks",
       scenario(
           R"([{"advance": "1m"}])",
           R"(, "expect": {"launchTemplates": [{"account": "444455556666", "region": "us-east-1", "launchTemplate": "lt-0ffffffffffffffff"}]})"),
       {"$.expect.launchTemplates[0].launchTemplate: account 444455556666 has no launch template"}},
      {"an inline world with an unknown key",
       R"({"name": "x", "description": "d", "world": {"acounts": {}}, "steps": [{"advance": "1m"}]})",
       {"bad.json: $.world:", "acounts"}},
  };
  for (const Case& c : cases) {
    INFO(c.name);
    const std::string message = run_error(c.text);
    INFO(message);
    REQUIRE_FALSE(message.empty());
    for (const std::string& part : c.contains) {
      CHECK(message.find(part) != std::string::npos);
    }
  }
}

TEST_CASE("ScenarioLoad: durations parse and print back", "[scenario]") {
  CHECK(parse_duration("30m") == sim::Duration::minutes(30));
  CHECK(parse_duration("1h30m") == sim::Duration::minutes(90));
  CHECK(parse_duration("2d") == sim::Duration::days(2));
  CHECK(parse_duration("500ms") == sim::Duration::milliseconds(500));
  CHECK(parse_duration("1m5s250ms") == sim::Duration::milliseconds(65'250));
  CHECK_FALSE(parse_duration("").has_value());
  CHECK_FALSE(parse_duration("m").has_value());
  CHECK_FALSE(parse_duration("10").has_value());
  CHECK_FALSE(parse_duration("-5m").has_value());
  CHECK_FALSE(parse_duration("99999999999999999999d").has_value());
  CHECK_FALSE(parse_duration("3651d").has_value());
  CHECK(duration_text(sim::Duration::minutes(90)) == "1h30m");
  CHECK(duration_text(sim::Duration::zero()) == "0s");
  CHECK(duration_text(sim::Duration::milliseconds(125'250)) == "2m5.25s");
}

TEST_CASE("ScenarioLoad: references are found and $${ is a literal", "[scenario]") {
  CHECK(references_in("a ${x} b ${y.z}") == std::vector<std::string>{"x", "y.z"});
  CHECK(references_in("$${x}").empty());
  CHECK(references_in("no refs").empty());
}

TEST_CASE("ScenarioLoad: the JSON Schema has exactly the keys the loader accepts", "[scenario]") {
  std::ifstream in(IBSIM_SOURCE_DIR "/scenarios/scenario.schema.json");
  REQUIRE(in);
  const Json schema = Json::parse(in, nullptr, /*allow_exceptions=*/false);
  REQUIRE_FALSE(schema.is_discarded());
  REQUIRE(schema.contains("$defs"));
  for (const auto& [definition, keys] : scenario_key_tables()) {
    INFO(definition);
    const std::string name(definition);
    const Json* props = nullptr;
    if (name == "Scenario") {
      props = &schema.at("properties");
    } else {
      REQUIRE(schema.at("$defs").contains(name));
      props = &schema.at("$defs").at(name).at("properties");
    }
    std::set<std::string> in_schema;
    for (const auto& [key, value] : props->items()) {
      in_schema.insert(key);
    }
    const std::set<std::string> in_loader(keys.begin(), keys.end());
    CHECK(in_schema == in_loader);
  }
}

}  // namespace
}  // namespace ibsim::scenario
