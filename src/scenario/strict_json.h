#pragma once
// Strict reading of user-written JSON (world files, scenario files, load profiles): every value is
// read through a reader that knows its JSON path, so an error names the file, the path and what
// was expected ("scenarios/x.json: $.world.accounts.111122223333.roles.R.path: expected a string
// starting and ending with '/', got 42"), and finish() rejects keys nobody read, so a typo fails
// loudly instead of being ignored.
//
//   StrictObject o(node, "$.world");
//   auto name = o.required_string("name");
//   auto tags = o.optional_array("tags");
//   if (auto s = o.finish(); !s.ok()) return s.error();

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "sim/base/result.h"

namespace ibsim::scenario {

using Json = nlohmann::json;

// Error code used for every input-file problem; the message carries the path.
inline constexpr std::string_view kInvalidInputCode = "InvalidInput";

sim::AwsError input_error(std::string_view path, std::string_view message);

// Describes a JSON value's type for messages: "a string", "an object", "the number 42", ...
std::string describe(const Json& value);

// Parses text (exceptions disabled); errors name `source` and the byte offset.
sim::Result<Json> parse_json_text(std::string_view text, std::string_view source);

class StrictObject {
 public:
  // `node` must outlive the reader. A non-object node makes every read fail with the path.
  StrictObject(const Json& node, std::string path);

  const std::string& path() const { return path_; }

  bool ok() const { return !error_.has_value(); }

  // True when the key is present (and marks it as read).
  bool has(std::string_view key);

  // Each read records the first error and returns an empty/default value afterwards; check ok()
  // or finish(). Optional reads return nullopt when the key is absent (or null).
  std::string required_string(std::string_view key);
  std::optional<std::string> optional_string(std::string_view key);
  std::optional<int64_t> optional_int(std::string_view key, int64_t min, int64_t max);
  int64_t required_int(std::string_view key, int64_t min, int64_t max);
  std::optional<bool> optional_bool(std::string_view key);
  // Raw access to a nested value (object, array or anything), marked as read.
  const Json* optional_value(std::string_view key);
  const Json* required_value(std::string_view key);
  const Json* optional_object(std::string_view key);
  const Json* optional_array(std::string_view key);
  std::vector<std::string> optional_string_array(std::string_view key);
  // Path of a child, for nested readers.
  std::string child_path(std::string_view key) const;

  // Records an error at this object's path (or a child's) unless one is already recorded.
  void fail(std::string_view key, std::string_view message);
  void fail_here(std::string_view message);

  // The first error, or an error for the first key that was never read.
  sim::Status finish();

 private:
  const Json* lookup(std::string_view key);

  const Json& node_;
  std::string path_;
  std::set<std::string, std::less<>> read_;
  std::optional<sim::AwsError> error_;
};

// "$.a.b" + "c" -> "$.a.b.c"; keys that are not plain identifiers are quoted: $.a["x y"].
std::string join_path(std::string_view base, std::string_view key);
std::string index_path(std::string_view base, std::size_t index);

}  // namespace ibsim::scenario
