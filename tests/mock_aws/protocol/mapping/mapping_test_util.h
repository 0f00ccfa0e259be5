#pragma once
// Helpers shared by the mapping tests: a Document with a value for every member a table
// describes (generated from its StructInfo), so round trips exercise every member of every
// operation without hand-written fixtures.

#include <string>

#include <catch2/catch.hpp>

#include "mock_aws/protocol/mapping/mapping.h"

namespace ibsim::mock_aws::protocol::mapping::testing {

// Deeper than any typed struct nests; a guard against a table that refers to itself.
inline constexpr int kMaxSampleDepth = 16;

inline nlohmann::json sample_document(const StructInfo& info, int depth = 0);

// A value of `type` that differs from the type's default, so kOmitDefault members are written.
inline nlohmann::json sample_value(const TypeInfo& type, const std::string& name, int depth) {
  switch (type.kind) {
    case ValueKind::kStructure:
      return sample_document(type.structure(), depth + 1);
    case ValueKind::kList:
      return nlohmann::json::array({sample_value(*type.element, name + "-1", depth),
                                    sample_value(*type.element, name + "-2", depth)});
    case ValueKind::kMap:
      return nlohmann::json::object({{"key-a", sample_value(*type.element, name + "-a", depth)},
                                     {"key-b", sample_value(*type.element, name + "-b", depth)}});
    case ValueKind::kString:
      return name + "-value";
    case ValueKind::kEnum:
      FAIL("no api struct uses a C++ enum: extend sample_value with EnumNames");
      return nullptr;
    case ValueKind::kInteger:
      return type.min <= 7 && 7 <= type.max ? 7 : type.min;
    case ValueKind::kBoolean:
      return true;
    case ValueKind::kDouble:
      return 0.5;
    case ValueKind::kBlob:
      return "AAEC/w==";
    case ValueKind::kTimestamp:
      return 1764331986.123;
  }
  return nullptr;
}

inline nlohmann::json sample_document(const StructInfo& info, int depth) {
  REQUIRE(depth < kMaxSampleDepth);
  nlohmann::json out = nlohmann::json::object();
  for (const FieldInfo& f : info.fields) {
    out[std::string(f.wire_name)] = sample_value(f.type, std::string(f.wire_name), depth);
  }
  return out;
}

}  // namespace ibsim::mock_aws::protocol::mapping::testing
