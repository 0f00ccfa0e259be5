#include "src/scenario/strict_json.h"

#include <string>

#include <catch2/catch.hpp>

namespace ibsim::scenario {
namespace {

Json parse(const char* text) {
  auto r = parse_json_text(text, "test.json");
  REQUIRE(r.ok());
  return *r;
}

TEST_CASE("StrictJson: reads typed values and accepts a fully read object", "[scenario]") {
  const Json doc = parse(R"({"name": "n", "seed": 7, "tags": ["a", "b"], "on": true})");
  StrictObject o(doc, "$");
  CHECK(o.required_string("name") == "n");
  CHECK(o.optional_int("seed", 0, 100) == 7);
  CHECK(o.optional_string_array("tags") == std::vector<std::string>{"a", "b"});
  CHECK(o.optional_bool("on") == true);
  CHECK_FALSE(o.optional_string("absent").has_value());
  CHECK(o.finish().ok());
}

TEST_CASE("StrictJson: an unknown key is an error naming its path", "[scenario]") {
  const Json doc = parse(R"({"name": "n", "nmae": "typo"})");
  StrictObject o(doc, "$.world");
  (void)o.required_string("name");
  const auto s = o.finish();
  REQUIRE_FALSE(s.ok());
  CHECK(s.error().code == "InvalidInput");
  CHECK(s.error().message.find("$.world.nmae: unknown key") == 0);
}

TEST_CASE("StrictJson: type and range errors name the path and what was expected", "[scenario]") {
  const Json doc = parse(R"({"seed": "x", "n": 500, "list": [1], "obj": 3, "weird key": 1})");
  {
    StrictObject o(doc, "$");
    (void)o.optional_int("seed", 0, 10);
    const auto s = o.finish();
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().message == "$.seed: expected an integer, got the string \"x\"");
  }
  {
    StrictObject o(doc, "$");
    (void)o.optional_int("n", 0, 10);
    CHECK(o.finish().error().message == "$.n: expected an integer from 0 to 10, got 500");
  }
  {
    StrictObject o(doc, "$");
    (void)o.optional_string_array("list");
    CHECK(o.finish().error().message == "$.list[0]: expected a string, got the number 1");
  }
  {
    StrictObject o(doc, "$");
    (void)o.optional_object("obj");
    CHECK(o.finish().error().message == "$.obj: expected an object, got the number 3");
  }
  {
    StrictObject o(doc, "$");
    (void)o.required_string("missing");
    CHECK(o.finish().error().message == "$.missing: is required (a string)");
  }
  CHECK(join_path("$", "weird key") == "$[\"weird key\"]");
  CHECK(join_path("$", "111122223333") == "$.111122223333");
}

TEST_CASE("StrictJson: a non-object node fails every read with its path", "[scenario]") {
  const Json doc = parse(R"([1, 2])");
  StrictObject o(doc, "$.steps[3]");
  CHECK(o.required_string("name").empty());
  CHECK(o.finish().error().message == "$.steps[3]: expected an object, got an array");
}

TEST_CASE("StrictJson: malformed text is rejected with a position and never throws", "[scenario]") {
  for (const char* bad : {"",
                          "{",
                          "{\"a\": }",
                          "[1, 2",
                          "{\"a\": 1,}",
                          "nul",
                          "{\"a\" 1}",
                          "\"unterminated",
                          "{} trailing"}) {
    CAPTURE(bad);
    const auto r = parse_json_text(bad, "bad.json");
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().message.find("bad.json: not valid JSON") == 0);
  }
  const std::string deep = std::string(100, '[') + std::string(100, ']');
  const auto r = parse_json_text(deep, "deep.json");
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message == "deep.json: JSON nested deeper than 64 levels");
}

}  // namespace
}  // namespace ibsim::scenario
