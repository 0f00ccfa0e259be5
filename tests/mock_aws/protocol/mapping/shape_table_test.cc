// The generic mechanism on test-local structs that use every kind of member the templates
// support: strings, booleans, integers of several widths, doubles, enums, blobs, timestamps
// (int64 milliseconds and a timestamp struct), nested structs, lists, maps, optionals, and the
// kOmitDefault option. Exact Documents, round trips, presence rules and strict decoding.

#include "mock_aws/protocol/mapping/shape_table.h"

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

namespace ibsim::mock_aws::protocol::mapping {
namespace {

using nlohmann::json;

constexpr ServiceId kTableService = ServiceId::kKms;

enum class Color : uint8_t { kRed, kGreen };

struct Stamp {
  int64_t ms = 0;

  friend bool operator==(const Stamp&, const Stamp&) = default;
};

struct Leaf {
  std::string name;
  std::optional<int32_t> size;

  friend bool operator==(const Leaf&, const Leaf&) = default;
};

struct Everything {
  std::string text;
  std::optional<std::string> maybe_text;
  bool flag = false;
  std::optional<bool> maybe_flag;
  int32_t i32 = 0;
  std::optional<int64_t> i64;
  uint8_t small = 0;
  double ratio = 0;
  Color color = Color::kRed;
  std::optional<Color> maybe_color;
  Bytes blob;
  std::optional<Bytes> maybe_blob;
  int64_t when_ms = 0;
  std::optional<int64_t> maybe_when_ms;
  std::vector<int64_t> times_ms;
  Stamp stamp;
  std::optional<Stamp> maybe_stamp;
  Leaf leaf;
  std::optional<Leaf> maybe_leaf;
  std::vector<Leaf> leaves;
  std::vector<std::vector<std::string>> nested_lists;
  std::map<std::string, std::string> tags;
  std::map<std::string, std::vector<Leaf>> groups;
  std::optional<std::map<std::string, std::string>> maybe_map;
  std::optional<std::vector<std::string>> maybe_list;
  std::string omitted_when_empty;
  int32_t omitted_when_zero = 0;

  friend bool operator==(const Everything&, const Everything&) = default;
};

struct TestInput {
  std::vector<std::string> ids;
  std::optional<Everything> everything;
  std::optional<Leaf> leaf;

  friend bool operator==(const TestInput&, const TestInput&) = default;
};

struct TestOutput {
  std::vector<Leaf> items;
  std::map<std::string, std::string> tags;
  std::optional<std::string> next;
  Leaf first;

  friend bool operator==(const TestOutput&, const TestOutput&) = default;
};

}  // namespace

template <>
struct TimestampAdapter<Stamp> {
  static int64_t to_unix_ms(const Stamp& s) { return s.ms; }

  static Stamp from_unix_ms(int64_t ms) { return Stamp{ms}; }
};

template <>
struct EnumNames<Color> {
  static constexpr EnumValue<Color> kValues[] = {{Color::kRed, "red"}, {Color::kGreen, "GREEN"}};
};

IBSIM_SHAPE(Leaf, (name, "Name"), (size, "Size"));

IBSIM_SHAPE(Everything,
            (text, "Text"),
            (maybe_text, "MaybeText"),
            (flag, "Flag"),
            (maybe_flag, "MaybeFlag"),
            (i32, "I32"),
            (i64, "I64"),
            (small, "Small"),
            (ratio, "Ratio"),
            (color, "Color"),
            (maybe_color, "MaybeColor"),
            (blob, "Blob"),
            (maybe_blob, "MaybeBlob"),
            (when_ms, "When", kEpochMillis),
            (maybe_when_ms, "MaybeWhen", kEpochMillis),
            (times_ms, "Times", kEpochMillis),
            (stamp, "Stamp"),
            (maybe_stamp, "MaybeStamp"),
            (leaf, "Leaf"),
            (maybe_leaf, "MaybeLeaf"),
            (leaves, "Leaves"),
            (nested_lists, "NestedLists"),
            (tags, "Tags"),
            (groups, "Groups"),
            (maybe_map, "MaybeMap"),
            (maybe_list, "MaybeList"),
            (omitted_when_empty, "OmittedWhenEmpty", kOmitDefault),
            (omitted_when_zero, "OmittedWhenZero", kOmitDefault));

IBSIM_SHAPE(TestInput, (ids, "Ids"), (everything, "Everything"), (leaf, "leaf"));

IBSIM_SHAPE(TestOutput, (items, "Items"), (tags, "Tags"), (next, "Next"), (first, "First"));

template struct Operation<TestInput, TestOutput>;

namespace {

using TestOperation = Operation<TestInput, TestOutput>;

Everything full_everything() {
  Everything e;
  e.text = "text";
  e.maybe_text = "";
  e.flag = true;
  e.maybe_flag = false;
  e.i32 = -7;
  e.i64 = int64_t{1} << 40;
  e.small = 255;
  e.ratio = 0.25;
  e.color = Color::kGreen;
  e.maybe_color = Color::kRed;
  e.blob = {0x00, 0x01, 0xfe, 0xff};
  e.maybe_blob = Bytes{};
  e.when_ms = 1764331986123;
  e.maybe_when_ms = 1764331986000;
  e.times_ms = {-1500, 0, 2000};
  e.stamp = Stamp{1700000000500};
  e.maybe_stamp = Stamp{0};
  e.leaf = Leaf{"leaf", 3};
  e.maybe_leaf = Leaf{"", std::nullopt};
  e.leaves = {Leaf{"a", 1}, Leaf{"b", std::nullopt}};
  e.nested_lists = {{"x", "y"}, {}};
  e.tags = {{"k1", "v1"}, {"k2", ""}};
  e.groups = {{"g", {Leaf{"c", 2}}}};
  e.maybe_map = std::map<std::string, std::string>{};
  e.maybe_list = std::vector<std::string>{};
  e.omitted_when_empty = "set";
  e.omitted_when_zero = 9;
  return e;
}

const json kFullEverything = {
    {"Text", "text"},
    {"MaybeText", ""},
    {"Flag", true},
    {"MaybeFlag", false},
    {"I32", -7},
    {"I64", int64_t{1} << 40},
    {"Small", 255},
    {"Ratio", 0.25},
    {"Color", "GREEN"},
    {"MaybeColor", "red"},
    {"Blob", "AAH+/w=="},
    {"MaybeBlob", ""},
    {"When", 1764331986.123},
    {"MaybeWhen", 1764331986},
    {"Times", {-1.5, 0, 2}},
    {"Stamp", 1700000000.5},
    {"MaybeStamp", 0},
    {"Leaf", {{"Name", "leaf"}, {"Size", 3}}},
    {"MaybeLeaf", {{"Name", ""}}},
    {"Leaves", {{{"Name", "a"}, {"Size", 1}}, {{"Name", "b"}}}},
    {"NestedLists", {{"x", "y"}, json::array()}},
    {"Tags", {{"k1", "v1"}, {"k2", ""}}},
    {"Groups", {{"g", {{{"Name", "c"}, {"Size", 2}}}}}},
    {"MaybeMap", json::object()},
    {"MaybeList", json::array()},
    {"OmittedWhenEmpty", "set"},
    {"OmittedWhenZero", 9},
};

// Decodes `input` as a TestInput and returns the error (the decoding must fail).
sim::AwsError input_failure(const json& input) {
  const auto decoded = TestOperation::decode_input(input);
  REQUIRE_FALSE(decoded.ok());
  return decoded.error();
}

// The same for an Everything nested under "Everything".
sim::AwsError everything_failure(const json& everything) {
  return input_failure({{"Everything", everything}});
}

TEST_CASE("Shape table: every kind of member encodes to the Document conventions", "[mapping]") {
  TestInput in;
  in.everything = full_everything();
  const json doc = TestOperation::encode_input(in);
  CHECK(doc == json{{"Everything", kFullEverything}});
}

TEST_CASE("Shape table: every kind of member survives a round trip", "[mapping]") {
  TestInput in;
  in.ids = {"i-1", "i-2"};
  in.everything = full_everything();
  in.leaf = Leaf{"l", -1};
  const auto decoded = TestOperation::decode_input(TestOperation::encode_input(in));
  REQUIRE(decoded.ok());
  CHECK(*decoded == in);

  TestOutput out;
  out.items = {Leaf{"a", 1}};
  out.tags = {{"k", "v"}};
  out.next = "token";
  out.first = Leaf{"f", std::nullopt};
  const auto decoded_out = TestOperation::decode_output(TestOperation::encode_output(out));
  REQUIRE(decoded_out.ok());
  CHECK(*decoded_out == out);
}

TEST_CASE("Shape table: unset optionals and empty containers are absent", "[mapping]") {
  const json doc = TestOperation::encode_input(TestInput{.everything = Everything{}});
  // Non-optional scalars and structs are always written; kOmitDefault ones only when set.
  CHECK(doc
        == json{{"Everything",
                 {{"Text", ""},
                  {"Flag", false},
                  {"I32", 0},
                  {"Small", 0},
                  {"Ratio", 0.0},
                  {"Color", "red"},
                  {"Blob", ""},
                  {"When", 0},
                  {"Stamp", 0},
                  {"Leaf", {{"Name", ""}}}}}});
  CHECK(TestOperation::encode_input(TestInput{}) == json::object());
}

TEST_CASE("Shape table: top-level lists and maps of an output are written even when empty",
          "[mapping]") {
  // AWS always sends them ("Images": []), and SDK users index them without a default.
  CHECK(TestOperation::encode_output(TestOutput{})
        == json{{"Items", json::array()}, {"Tags", json::object()}, {"First", {{"Name", ""}}}});
  // Nested ones are absent when empty; inputs never carry empty lists.
  TestOutput out;
  out.items = {Leaf{}};
  CHECK(TestOperation::encode_output(out)["Items"] == json::array({{{"Name", ""}}}));
  CHECK_FALSE(TestOperation::encode_input(TestInput{}).contains("Ids"));
}

TEST_CASE("Shape table: absent and null members keep their defaults", "[mapping]") {
  const auto decoded = TestOperation::decode_input(
      {{"Ids", nullptr}, {"Everything", {{"Text", nullptr}, {"I32", 5}}}, {"Unknown", 1}});
  REQUIRE(decoded.ok());
  CHECK(decoded->ids.empty());
  REQUIRE(decoded->everything.has_value());
  CHECK(decoded->everything->text.empty());
  CHECK(decoded->everything->i32 == 5);
  CHECK_FALSE(decoded->everything->maybe_text.has_value());
  CHECK_FALSE(decoded->leaf.has_value());
  // A null document reads as an empty object, as the codecs treat it.
  const auto empty = TestOperation::decode_input(json());
  REQUIRE(empty.ok());
  CHECK(*empty == TestInput{});
}

TEST_CASE("Shape table: timestamps are epoch seconds with millisecond fractions", "[mapping]") {
  CHECK(timestamp_document(1000) == json(1));
  CHECK(timestamp_document(1500) == json(1.5));
  CHECK(timestamp_document(-1500) == json(-1.5));
  CHECK(timestamp_document(0).is_number_integer());

  struct Case {
    json wire;
    int64_t unix_ms;
  };

  const Case cases[] = {
      {json(1764331986), 1764331986000},
      {json(uint64_t{1764331986}), 1764331986000},
      {json(1764331986.123), 1764331986123},
      {json(1.0006), 1001},  // Rounded to the millisecond.
      {json(-62135596800), -62135596800000},
      {json(253402300799), 253402300799000},
  };
  for (const Case& c : cases) {
    INFO(c.wire.dump());
    const auto decoded = TestOperation::decode_input({{"Everything", {{"When", c.wire}}}});
    REQUIRE(decoded.ok());
    CHECK(decoded->everything->when_ms == c.unix_ms);
  }
  for (const json& bad :
       {json(253402300800), json(-62135596801), json(1e300), json("2026-01-01")}) {
    INFO(bad.dump());
    CHECK_FALSE(TestOperation::decode_input({{"Everything", {{"When", bad}}}}).ok());
    CHECK_FALSE(TestOperation::decode_input({{"Everything", {{"Stamp", bad}}}}).ok());
  }
}

TEST_CASE("Shape table: wrong JSON types are errors naming the member path", "[mapping]") {
  struct Case {
    json everything;
    std::string path;
    std::string detail;
  };

  const Case cases[] = {
      {{{"Text", 1}}, "Everything.Text", "expected a string, found an integer"},
      {{{"MaybeText", {1}}}, "Everything.MaybeText", "expected a string, found an array"},
      {{{"Flag", "true"}}, "Everything.Flag", "expected a boolean, found a string"},
      {{{"I32", 1.5}}, "Everything.I32", "expected an integer, found a fractional number"},
      {{{"I32", true}}, "Everything.I32", "expected an integer, found a boolean"},
      {{{"Ratio", "0.5"}}, "Everything.Ratio", "expected a number, found a string"},
      {{{"Color", 0}}, "Everything.Color", "expected an enum string, found an integer"},
      {{{"Blob", json::array()}}, "Everything.Blob", "expected a base64 string, found an array"},
      {{{"When", "now"}},
       "Everything.When",
       "expected a timestamp (epoch seconds), found a string"},
      {{{"Leaf", "leaf"}}, "Everything.Leaf", "expected an object, found a string"},
      {{{"Leaf", {{"Size", "3"}}}}, "Everything.Leaf.Size", "expected an integer, found a string"},
      {{{"Leaves", {{{"Name", "a"}}, {{"Name", 2}}}}},
       "Everything.Leaves[1].Name",
       "expected a string, found an integer"},
      {{{"Leaves", {nullptr}}}, "Everything.Leaves[0]", "expected an object, found null"},
      {{{"Leaves", {{"Name", "a"}}}}, "Everything.Leaves", "expected an array, found an object"},
      {{{"NestedLists", {{"x"}, {"y", 3}}}},
       "Everything.NestedLists[1][1]",
       "expected a string, found an integer"},
      {{{"Tags", {{"k", 1}}}}, "Everything.Tags.k", "expected a string, found an integer"},
      {{{"Tags", {"k"}}}, "Everything.Tags", "expected an object, found an array"},
      {{{"Groups", {{"g", {{{"Size", false}}}}}}},
       "Everything.Groups.g[0].Size",
       "expected an integer, found a boolean"},
      {{{"Times", {1, "2"}}},
       "Everything.Times[1]",
       "expected a timestamp (epoch seconds), found a string"},
  };
  for (const Case& c : cases) {
    INFO(c.everything.dump());
    const sim::AwsError error = everything_failure(c.everything);
    CHECK(error.code == "SerializationException");
    CHECK(error.message == "Unexpected value type at '" + c.path + "': " + c.detail);
  }
  const sim::AwsError top = input_failure(json::array());
  CHECK(top.message == "Unexpected value type at '(the document)': expected an object, found an "
                       "array");
}

TEST_CASE("Shape table: integers outside the member's type are refused", "[mapping]") {
  struct Case {
    json everything;
    std::string detail;
  };

  const Case cases[] = {
      {{{"I32", int64_t{1} << 31}},
       "expected an integer from -2147483648 to 2147483647, found 2147483648"},
      {{{"I32", -(int64_t{1} << 31) - 1}},
       "expected an integer from -2147483648 to 2147483647, found -2147483649"},
      {{{"Small", -1}}, "expected an integer from 0 to 255, found -1"},
      {{{"Small", 256}}, "expected an integer from 0 to 255, found 256"},
      {{{"I64", std::numeric_limits<uint64_t>::max()}},
       "expected an integer from -9223372036854775808 to 9223372036854775807, found "
       "18446744073709551615"},
  };
  for (const Case& c : cases) {
    INFO(c.everything.dump());
    CHECK_THAT(everything_failure(c.everything).message, Catch::Contains(c.detail));
  }
  const auto edge = TestOperation::decode_input({{"Everything",
                                                  {{"I32", std::numeric_limits<int32_t>::min()},
                                                   {"I64", std::numeric_limits<int64_t>::max()},
                                                   {"Small", 255}}}});
  REQUIRE(edge.ok());
  CHECK(edge->everything->i32 == std::numeric_limits<int32_t>::min());
  CHECK(edge->everything->i64 == std::numeric_limits<int64_t>::max());
}

TEST_CASE("Shape table: blobs must be padded standard base64", "[mapping]") {
  for (const char* bad : {"AAH", "AAH+/w=", "AA H+", "AAH-_w==", "=AAA"}) {
    INFO(bad);
    CHECK_THAT(everything_failure({{"Blob", bad}}).message,
               Catch::Contains("'Everything.Blob': expected standard base64 with padding"));
  }
  const auto ok = TestOperation::decode_input({{"Everything", {{"Blob", "AAH+/w=="}}}});
  REQUIRE(ok.ok());
  CHECK(ok->everything->blob == Bytes{0x00, 0x01, 0xfe, 0xff});
}

TEST_CASE("Shape table: enum members accept only their names", "[mapping]") {
  CHECK(everything_failure({{"Color", "RED"}}).message
        == "Unexpected value type at 'Everything.Color': expected a known enum value, found 'RED'");
  const auto ok = TestOperation::decode_input({{"Everything", {{"MaybeColor", "GREEN"}}}});
  REQUIRE(ok.ok());
  CHECK(ok->everything->maybe_color == Color::kGreen);
}

TEST_CASE("Shape table: output decoding failures are MalformedResponse", "[mapping]") {
  const auto decoded = TestOperation::decode_output({{"Items", {{{"Name", "a"}, {"Size", "x"}}}}});
  REQUIRE_FALSE(decoded.ok());
  CHECK(decoded.error().code == "MalformedResponse");
  CHECK(decoded.error().message
        == "Unable to parse the response: member 'Items[0].Size': expected an integer, found a "
           "string");
  CHECK(decoded.error().fault == sim::Fault::kReceiver);
}

TEST_CASE("Shape table: input failures use each service's error style", "[mapping]") {
  DecodeFailure failure{"Tags[0].Key", "a string", "an integer"};

  struct Case {
    ServiceId service;
    std::string code;
    std::string message;
  };

  const Case cases[] = {
      {ServiceId::kKms,
       "SerializationException",
       "Unexpected value type at 'Tags[0].Key': expected a string, found an integer"},
      {ServiceId::kSsm,
       "SerializationException",
       "Unexpected value type at 'Tags[0].Key': expected a string, found an integer"},
      {ServiceId::kIam,
       "InvalidParameterValue",
       "Unexpected value type for parameter Tags[0].Key: expected a string, found an integer"},
      {ServiceId::kSts,
       "InvalidParameterValue",
       "Unexpected value type for parameter Tags[0].Key: expected a string, found an integer"},
      {ServiceId::kEc2,
       "InvalidParameterValue",
       "Invalid value for Tags[0].Key: expected a string, found an integer."},
      {ServiceId::kImageBuilder,
       "InvalidParameterValueException",
       "The value supplied for parameter 'Tags[0].Key' is not valid. 'Tags[0].Key' has the wrong "
       "type: expected a string, found an integer."},
  };
  for (const Case& c : cases) {
    const sim::AwsError error = input_error(c.service, failure);
    CHECK(error.code == c.code);
    CHECK(error.message == c.message);
    CHECK(error.http_status == 400);
  }
}

// Every subtree of a valid Document replaced by a value of every JSON type: decoding answers ok
// or an error, never throws, whatever the shape of the damage.
void damage_everywhere(const json& original, json& node, std::size_t& attempts) {
  const json replacements[] = {json(),
                               json(true),
                               json(-1),
                               json(uint64_t{1} << 63),
                               json(0.5),
                               json("x"),
                               json::array({1}),
                               json::object({{"k", "v"}})};
  const json saved = node;
  for (const json& r : replacements) {
    node = r;
    ++attempts;
    CHECK_NOTHROW(static_cast<void>(TestOperation::decode_input(original)));
    CHECK_NOTHROW(static_cast<void>(TestOperation::decode_output(original)));
  }
  node = saved;
  if (node.is_object()) {
    for (auto& [key, child] : node.items()) {
      damage_everywhere(original, child, attempts);
    }
  } else if (node.is_array()) {
    for (auto& child : node) {
      damage_everywhere(original, child, attempts);
    }
  }
}

TEST_CASE("Shape table: decoding damaged documents never throws", "[mapping]") {
  json doc = {{"Ids", {"a"}}, {"Everything", kFullEverything}, {"leaf", {{"Name", "n"}}}};
  std::size_t attempts = 0;
  damage_everywhere(doc, doc, attempts);
  CHECK(attempts > 400);
}

TEST_CASE("Shape table: descriptions list every field with its kind", "[mapping]") {
  const StructInfo info = struct_info<Everything>();
  CHECK(info.name == "Everything");
  CHECK(info.cpp_member_count == 27);
  CHECK(info.fields.size() == 27);
  const FieldInfo* when = info.find("When");
  REQUIRE(when != nullptr);
  CHECK(when->cpp_name == "when_ms");
  CHECK(when->type.kind == ValueKind::kTimestamp);
  const FieldInfo* groups = info.find("Groups");
  REQUIRE(groups != nullptr);
  CHECK(groups->type.kind == ValueKind::kMap);
  CHECK(groups->type.element->kind == ValueKind::kList);
  CHECK(groups->type.element->element->kind == ValueKind::kStructure);
  CHECK(groups->type.element->element->structure().name == "Leaf");
  const FieldInfo* small = info.find("Small");
  REQUIRE(small != nullptr);
  CHECK(small->type.kind == ValueKind::kInteger);
  CHECK(small->type.min == 0);
  CHECK(small->type.max == 255);
  CHECK(info.find("MaybeLeaf")->type.optional);
  CHECK(info.find("Color")->type.kind == ValueKind::kEnum);
  CHECK(info.find("Stamp")->type.kind == ValueKind::kTimestamp);
  CHECK(info.find("Blob")->type.kind == ValueKind::kBlob);
  CHECK(info.find("Ratio")->type.kind == ValueKind::kDouble);
  CHECK(info.find("Nope") == nullptr);
  CHECK(member_count<TestInput>() == 3);
}

}  // namespace
}  // namespace ibsim::mock_aws::protocol::mapping
