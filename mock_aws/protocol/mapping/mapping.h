#pragma once
// The mapping between the services' typed inputs/outputs (mock_aws/api/*_types.h) and the
// protocol Documents (document.h), both directions, for the router and for the client
// transports. Operation<In, Out> is explicitly instantiated for every mapped operation in that
// service's table file (<service>_tables.cc); a pair that is not mapped fails at link time.
//
//   using CopyImage = mapping::Operation<api::ec2::CopyImageInput, api::ec2::CopyImageOutput>;
//   sim::Result<api::ec2::CopyImageInput> in = CopyImage::decode_input(request_document);

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "mock_aws/api/call_context.h"
#include "mock_aws/protocol/document.h"
#include "mock_aws/protocol/shape_model.h"
#include "sim/base/result.h"

namespace ibsim::mock_aws::protocol::mapping {

// The four directions of one operation. Decoding never throws: a Document member of the wrong
// JSON type (or an integer out of range, bad base64, an unknown enum value) becomes an AwsError
// naming the member path — in the service's own style for inputs, MalformedResponse for outputs.
// Members absent from the Document (or JSON null) leave the typed member at its default;
// Document members the typed struct does not describe are ignored (the coverage test keeps the
// tables complete). Encoding writes optional members when set, other scalars always (unless the
// table marks them kOmitDefault), lists and maps when not empty — except at the top level of an
// output, where AWS always sends them (`"Images": []`).
template <typename Input, typename Output>
struct Operation {
  using InputType = Input;
  using OutputType = Output;

  // Server side (the router): request Document -> typed input; typed output -> response Document.
  static sim::Result<Input> decode_input(const Document& input);
  static Document encode_output(const Output& output);

  // Client side (wire and HTTP transports): typed input -> request Document; response Document
  // -> typed output.
  static Document encode_input(const Input& input);
  static sim::Result<Output> decode_output(const Document& output);
};

// ---- Router rows: one per operation, built from a model method pointer.

// Input and output of a model method `sim::Result<Out> (Model::*)(const api::CallContext&,
// const In&) [const]`.
template <typename Method>
struct MethodTraits;

template <typename M, typename In, typename Out>
struct MethodTraits<sim::Result<Out> (M::*)(const api::CallContext&, const In&)> {
  using Model = M;
  using Mapping = Operation<In, Out>;
};

template <typename M, typename In, typename Out>
struct MethodTraits<sim::Result<Out> (M::*)(const api::CallContext&, const In&) const> {
  using Model = M;
  using Mapping = Operation<In, Out>;
};

// Decodes `input`, calls the model method, encodes its output:
//   {"CopyImage", &mapping::call<&ec2::Ec2Model::copy_image>}
// has type sim::Result<Document> (*)(ec2::Ec2Model&, const api::CallContext&, const Document&).
template <auto Method>
sim::Result<Document> call(typename MethodTraits<decltype(Method)>::Model& model,
                           const api::CallContext& ctx,
                           const Document& input) {
  using Mapping = typename MethodTraits<decltype(Method)>::Mapping;
  auto typed = Mapping::decode_input(input);
  if (!typed.ok()) {
    return typed.error();
  }
  auto output = (model.*Method)(ctx, *typed);
  if (!output.ok()) {
    return output.error();
  }
  return Mapping::encode_output(*output);
}

// ---- Descriptions of the tables, for tests and tools (not used on the request path).

// What a C++ member maps to on the wire; compared with botocore's shape types by the tests.
enum class ValueKind : uint8_t {
  kStructure,
  kList,
  kMap,
  kString,
  kEnum,  // A C++ enum written as its name (a botocore string shape).
  kInteger,
  kBoolean,
  kDouble,
  kBlob,
  kTimestamp,
};

struct StructInfo;

struct TypeInfo {
  ValueKind kind = ValueKind::kString;
  bool optional = false;  // std::optional<...>
  int64_t min = 0;        // kInteger: the C++ type's range (saturated to int64)
  int64_t max = 0;
  StructInfo (*structure)() = nullptr;  // kStructure
  std::shared_ptr<const TypeInfo>
      element;  // kList: the element; kMap: the value (keys are strings)
};

struct FieldInfo {
  std::string_view wire_name;  // botocore member name
  std::string_view cpp_name;   // C++ member name
  uint8_t options = 0;         // kEpochMillis, kOmitDefault (shape_table.h)
  TypeInfo type;
};

struct StructInfo {
  std::string_view name;  // "api::ec2::CopyImageInput"
  std::vector<FieldInfo> fields;
  std::size_t cpp_member_count = 0;  // data members the C++ struct has (aggregate count)

  const FieldInfo* find(std::string_view wire_name) const;
};

struct OperationInfo {
  std::string_view name;  // botocore operation name, "CopyImage"
  StructInfo (*input)();
  StructInfo (*output)();
  // A Document as the typed struct sees it: decode_input then encode_input (decode_output then
  // encode_output). Lets tests and tools check a Document against the tables by operation name.
  sim::Result<Document> (*canonical_input)(const Document& input);
  sim::Result<Document> (*canonical_output)(const Document& output);
};

// Every operation mapped for `service`, in table order.
std::span<const OperationInfo> mapped_operations(ServiceId service);
const OperationInfo* find_mapped_operation(ServiceId service, std::string_view name);

}  // namespace ibsim::mock_aws::protocol::mapping
