#pragma once
// The mechanism behind mapping.h: one field table per typed struct, naming each C++ member and
// its botocore member name, and generic code that converts any described struct to and from a
// Document recursively. A table is a constexpr array of FieldDescriptors (wire name, member
// accessor, and the ValueCodec of the member's C++ type, one per type shared by every member of
// that type); mapping.cc walks the arrays. Included only by the per-service table files
// (<service>_tables.cc), which also instantiate Operation<In, Out>, and by the tests.
//
//   IBSIM_SHAPE(api::iam::Tag, (key, "Key"), (value, "Value"));
//   IBSIM_SHAPE(api::iam::AccessKey, ..., (create_date, "CreateDate", kEpochMillis));

#include <concepts>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "mock_aws/protocol/document.h"
#include "mock_aws/protocol/mapping/mapping.h"
#include "mock_aws/protocol/shape_model.h"
#include "sim/base/result.h"

namespace ibsim::mock_aws::protocol::mapping {

// ---- Field tables.

// Field options, the optional third element of an entry: (member, "Name", options).
// The member is a botocore timestamp held as Unix milliseconds in an int64_t.
inline constexpr uint8_t kEpochMillis = 1;
// The member is written as absent when it equals its value-initialised default ("", 0, false,
// an empty list): for non-optional members whose default means "not set" (IAM Role.Description).
inline constexpr uint8_t kOmitDefault = 2;

// Timestamps a Document may carry: years 0001 to 9999, what ISO 8601 (the XML codecs) can write.
inline constexpr int64_t kMinTimestampSeconds = -62135596800;
inline constexpr int64_t kMaxTimestampSeconds = 253402300799;

// Where and why a Document did not fit: the member path is built on the way back up.
struct DecodeFailure {
  std::string path;      // "Distributions[0].AmiDistributionConfiguration.TargetAccountIds[1]"
  std::string expected;  // "a string"
  std::string found;     // "an integer"

  void prepend_member(std::string_view name);
  void prepend_index(std::size_t index);
};

// How values of one C++ type (with one set of options) are written and read. Every member of
// that type shares the one instance (kCodec below), so the code per table entry is one accessor.
struct ValueCodec {
  void (*encode)(const void* value, Document& out);
  bool (*decode)(const Document& in, void* value, DecodeFailure& failure);
  // Whether a structure member holding this value is written (see is_written below).
  bool (*is_written)(const void* value, bool keep_empty);
  TypeInfo (*describe)();
};

struct FieldDescriptor {
  std::string_view wire_name;  // botocore member name
  std::string_view cpp_name;
  uint8_t options = 0;
  void* (*member)(void* object) = nullptr;  // The member within an object of the table's struct.
  const ValueCodec* codec = nullptr;
};

// The table of a typed struct, specialized by IBSIM_SHAPE: kName, kService (the table file's
// kTableService, for error styles) and kFields.
template <typename T>
struct Shape;

template <typename T>
concept Described = requires {
  Shape<T>::kFields;
};

// Structs that are botocore timestamps (api::ec2::Timestamp), specialized where they are mapped:
//   static int64_t to_unix_ms(const T&);  static T from_unix_ms(int64_t);
template <typename T>
struct TimestampAdapter;

template <typename T>
concept TimestampStruct = requires(const T& t) {
  { TimestampAdapter<T>::to_unix_ms(t) } -> std::same_as<int64_t>;
};

// C++ enums written as botocore enum strings, specialized where they are mapped:
//   static constexpr EnumValue<E> kValues[] = {{E::kA, "A"}, ...};
template <typename E>
struct EnumValue {
  E value;
  std::string_view name;
};

template <typename E>
struct EnumNames;

// ---- The field-table macros.

// IBSIM_SHAPE(Type, (member, "WireName"), (member, "WireName", options), ...): defines Shape<Type>
// in namespace ibsim::mock_aws::protocol::mapping, where the table files write them. An entry per
// C++ member; the coverage test checks them against botocore and counts the C++ members. kTable
// ends with an empty entry so that a struct without members still has an array.
#define IBSIM_SHAPE(Type, ...)                                                                \
  template <>                                                                                 \
  struct Shape<Type> {                                                                        \
    static constexpr std::string_view kName = #Type;                                          \
    static constexpr ServiceId kService = kTableService;                                      \
    static constexpr FieldDescriptor kTable[] = {                                             \
        IBSIM_MAPPING_FOR_EACH(IBSIM_MAPPING_FIELD, Type, __VA_ARGS__) FieldDescriptor{}};    \
    static constexpr std::span<const FieldDescriptor> kFields{kTable, std::size(kTable) - 1}; \
  }

#define IBSIM_MAPPING_FIELD(Type, entry) \
  IBSIM_MAPPING_FIELD_ARGS((Type, IBSIM_MAPPING_UNWRAP entry))
#define IBSIM_MAPPING_UNWRAP(...) __VA_ARGS__
#define IBSIM_MAPPING_FIELD_ARGS(args) IBSIM_MAPPING_FIELD_ENTRY args
#define IBSIM_MAPPING_FIELD_ENTRY(Type, member, wire_name, ...)                                \
  ::ibsim::mock_aws::protocol::mapping::field<Type, &Type::member __VA_OPT__(, ) __VA_ARGS__>( \
      wire_name, #member),

// IBSIM_MAPPING_OPERATIONS(function, ns, Op, ...): instantiates Operation<api::ns::OpInput,
// api::ns::OpOutput> for each operation and defines `std::span<const OperationInfo> function()`
// listing them (mapped_operations). One name per operation, AWS's spelling.
#define IBSIM_MAPPING_OPERATIONS(function, ns, ...)                            \
  IBSIM_MAPPING_FOR_EACH(IBSIM_MAPPING_INSTANTIATE, ns, __VA_ARGS__)           \
  std::span<const OperationInfo> function() {                                  \
    static constexpr OperationInfo kOperations[] = {                           \
        IBSIM_MAPPING_FOR_EACH(IBSIM_MAPPING_OPERATION_ROW, ns, __VA_ARGS__)}; \
    return kOperations;                                                        \
  }

#define IBSIM_MAPPING_INSTANTIATE(ns, Op) \
  template struct Operation<api::ns::Op##Input, api::ns::Op##Output>;
#define IBSIM_MAPPING_OPERATION_ROW(ns, Op)                                \
  OperationInfo{#Op,                                                       \
                &struct_info<api::ns::Op##Input>,                          \
                &struct_info<api::ns::Op##Output>,                         \
                &canonical_input<api::ns::Op##Input, api::ns::Op##Output>, \
                &canonical_output<api::ns::Op##Input, api::ns::Op##Output>},

// IBSIM_MAPPING_FOR_EACH(macro, context, a, b, ...) expands to macro(context, a) macro(context, b)
// ...: up to 256 items (C++20 __VA_OPT__ recursion; each EXPAND level multiplies the rescans).
#define IBSIM_MAPPING_FOR_EACH(macro, context, ...) \
  __VA_OPT__(IBSIM_MAPPING_EXPAND(IBSIM_MAPPING_FOR_EACH_STEP(macro, context, __VA_ARGS__)))
#define IBSIM_MAPPING_FOR_EACH_STEP(macro, context, first, ...) \
  macro(context, first)                                         \
      __VA_OPT__(IBSIM_MAPPING_FOR_EACH_AGAIN IBSIM_MAPPING_PARENS(macro, context, __VA_ARGS__))
#define IBSIM_MAPPING_FOR_EACH_AGAIN() IBSIM_MAPPING_FOR_EACH_STEP
#define IBSIM_MAPPING_PARENS ()
#define IBSIM_MAPPING_EXPAND(...) \
  IBSIM_MAPPING_EXPAND4(          \
      IBSIM_MAPPING_EXPAND4(IBSIM_MAPPING_EXPAND4(IBSIM_MAPPING_EXPAND4(__VA_ARGS__))))
#define IBSIM_MAPPING_EXPAND4(...) \
  IBSIM_MAPPING_EXPAND3(           \
      IBSIM_MAPPING_EXPAND3(IBSIM_MAPPING_EXPAND3(IBSIM_MAPPING_EXPAND3(__VA_ARGS__))))
#define IBSIM_MAPPING_EXPAND3(...) \
  IBSIM_MAPPING_EXPAND2(           \
      IBSIM_MAPPING_EXPAND2(IBSIM_MAPPING_EXPAND2(IBSIM_MAPPING_EXPAND2(__VA_ARGS__))))
#define IBSIM_MAPPING_EXPAND2(...) \
  IBSIM_MAPPING_EXPAND1(           \
      IBSIM_MAPPING_EXPAND1(IBSIM_MAPPING_EXPAND1(IBSIM_MAPPING_EXPAND1(__VA_ARGS__))))
#define IBSIM_MAPPING_EXPAND1(...) __VA_ARGS__

// ---- Non-template code (mapping.cc).

using Bytes = std::vector<uint8_t>;

// A structure: its fields written into `out` (an object), or read from `in` into `object`.
// Members absent from `in`, or JSON null, keep their defaults; members of `in` the table does not
// name are ignored.
void encode_fields(const void* object,
                   std::span<const FieldDescriptor> fields,
                   bool keep_empty,
                   Document& out);
bool decode_fields(const Document& in,
                   void* object,
                   std::span<const FieldDescriptor> fields,
                   DecodeFailure& failure);
StructInfo describe_fields(std::string_view name,
                           std::span<const FieldDescriptor> fields,
                           std::size_t cpp_member_count);

// Records a wrong JSON type; returns false.
bool type_failure(const Document& found, std::string_view expected, DecodeFailure& failure);

// Scalars.
void encode_string(const std::string& value, Document& out);
void encode_bool(bool value, Document& out);
void encode_signed(int64_t value, Document& out);
void encode_unsigned(uint64_t value, Document& out);
void encode_double(double value, Document& out);
void encode_blob(const Bytes& value, Document& out);
// Epoch seconds: an integer when whole, else with the milliseconds as a fraction.
void encode_timestamp(int64_t unix_ms, Document& out);
Document timestamp_document(int64_t unix_ms);

bool decode_string(const Document& in, std::string& out, DecodeFailure& failure);
bool decode_bool(const Document& in, bool& out, DecodeFailure& failure);
// An integer in [min, max] (the C++ member's range).
bool decode_signed(
    const Document& in, int64_t min, int64_t max, int64_t& out, DecodeFailure& failure);
bool decode_unsigned(const Document& in, uint64_t max, uint64_t& out, DecodeFailure& failure);
bool decode_double(const Document& in, double& out, DecodeFailure& failure);
bool decode_blob(const Document& in, Bytes& out, DecodeFailure& failure);
bool decode_timestamp(const Document& in, int64_t& unix_ms, DecodeFailure& failure);
bool decode_enum_name(const Document& in, std::string_view& name, DecodeFailure& failure);
bool unknown_enum_failure(std::string_view name, DecodeFailure& failure);

// A decoding failure as the AwsError a service answers with (inputs, the service's style for a
// value of the wrong type) or a client reports (outputs, MalformedResponse).
sim::AwsError input_error(ServiceId service, const DecodeFailure& failure);
sim::AwsError output_error(const DecodeFailure& failure);

// The per-service registries (IBSIM_MAPPING_OPERATIONS in each table file).
std::span<const OperationInfo> imagebuilder_operations();
std::span<const OperationInfo> ec2_operations();
std::span<const OperationInfo> kms_operations();
std::span<const OperationInfo> iam_operations();
std::span<const OperationInfo> sts_operations();
std::span<const OperationInfo> ssm_operations();

// ---- Type classification.

template <typename T>
inline constexpr bool kIsOptional = false;
template <typename T>
inline constexpr bool kIsOptional<std::optional<T>> = true;

template <typename T>
inline constexpr bool kIsList = false;
template <typename T, typename A>
inline constexpr bool kIsList<std::vector<T, A>> = !std::is_same_v<std::vector<T, A>, Bytes>;

template <typename T>
inline constexpr bool kIsStringMap = false;
template <typename T, typename C, typename A>
inline constexpr bool kIsStringMap<std::map<std::string, T, C, A>> = true;

template <typename M>
inline constexpr bool kIsInteger = std::is_integral_v<M> && !std::is_same_v<M, bool>;

// Counts the data members of an aggregate: the longest brace list of AnyMember it accepts.
struct AnyMember {
  template <typename T>
  operator T&() const&&;  // Never defined: only used in unevaluated requires-expressions.
};

template <typename T, typename... A>
constexpr std::size_t member_count() {
  if constexpr (requires { T{A{}..., AnyMember{}}; }) {
    return member_count<T, A..., AnyMember>();
  } else {
    return sizeof...(A);
  }
}

// The scalar under optionals and lists: what kEpochMillis applies to.
template <typename M>
struct ScalarOf {
  using Type = M;
};

template <typename T>
struct ScalarOf<std::optional<T>> : ScalarOf<T> {};

template <typename T, typename A>

requires(kIsList<std::vector<T, A>>) struct ScalarOf<std::vector<T, A>> : ScalarOf<T> {
};

template <uint8_t Options, typename M>
constexpr void check_options() {
  static_assert((Options & ~(kEpochMillis | kOmitDefault)) == 0, "unknown field option");
  static_assert((Options & kOmitDefault) == 0 || !kIsOptional<M>,
                "an optional member is absent when unset: kOmitDefault does not apply");
  static_assert(
      (Options & kEpochMillis) == 0 || std::is_same_v<typename ScalarOf<M>::Type, int64_t>,
      "kEpochMillis marks an int64_t member (or an optional or list of them)");
}

// ---- Per-type code: one instantiation per C++ type and options, whatever the member.

template <uint8_t Options, typename M>
void encode_value(const M& value, Document& out) {
  if constexpr (kIsOptional<M>) {
    encode_value<Options>(*value, out);
  } else if constexpr (std::is_same_v<M, std::string>) {
    encode_string(value, out);
  } else if constexpr (std::is_same_v<M, Bytes>) {
    encode_blob(value, out);
  } else if constexpr (kIsList<M>) {
    out = Document::array();
    out.get_ref<Document::array_t&>().resize(value.size());
    for (std::size_t i = 0; i < value.size(); ++i) {
      encode_value<Options>(value[i], out[i]);
    }
  } else if constexpr (kIsStringMap<M>) {
    out = Document::object();
    for (const auto& [key, element] : value) {
      encode_value<Options>(element, out[key]);
    }
  } else if constexpr (std::is_same_v<M, bool>) {
    encode_bool(value, out);
  } else if constexpr (kIsInteger<M>) {
    if constexpr ((Options & kEpochMillis) != 0) {
      encode_timestamp(value, out);
    } else if constexpr (std::is_signed_v<M>) {
      encode_signed(value, out);
    } else {
      encode_unsigned(value, out);
    }
  } else if constexpr (std::is_floating_point_v<M>) {
    encode_double(static_cast<double>(value), out);
  } else if constexpr (std::is_enum_v<M>) {
    for (const auto& entry : EnumNames<M>::kValues) {
      if (entry.value == value) {
        encode_string(std::string(entry.name), out);
      }
    }
  } else if constexpr (TimestampStruct<M>) {
    encode_timestamp(TimestampAdapter<M>::to_unix_ms(value), out);
  } else {
    static_assert(Described<M>, "no IBSIM_SHAPE table for this member type");
    encode_fields(&value, Shape<M>::kFields, false, out);
  }
}

template <uint8_t Options, typename M>
bool decode_value(const Document& in, M& out, DecodeFailure& failure) {
  if constexpr (kIsOptional<M>) {
    out.emplace();
    return decode_value<Options>(in, *out, failure);
  } else if constexpr (std::is_same_v<M, std::string>) {
    return decode_string(in, out, failure);
  } else if constexpr (std::is_same_v<M, Bytes>) {
    return decode_blob(in, out, failure);
  } else if constexpr (kIsList<M>) {
    if (!in.is_array()) {
      return type_failure(in, "an array", failure);
    }
    out.clear();
    out.resize(in.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (!decode_value<Options>(in[i], out[i], failure)) {
        failure.prepend_index(i);
        return false;
      }
    }
    return true;
  } else if constexpr (kIsStringMap<M>) {
    if (!in.is_object()) {
      return type_failure(in, "an object", failure);
    }
    out.clear();
    for (const auto& [key, element] : in.get_ref<const Document::object_t&>()) {
      if (!decode_value<Options>(element, out[key], failure)) {
        failure.prepend_member(key);
        return false;
      }
    }
    return true;
  } else if constexpr (std::is_same_v<M, bool>) {
    return decode_bool(in, out, failure);
  } else if constexpr (kIsInteger<M>) {
    if constexpr ((Options & kEpochMillis) != 0) {
      return decode_timestamp(in, out, failure);
    } else if constexpr (std::is_signed_v<M>) {
      int64_t v = 0;
      if (!decode_signed(
              in, std::numeric_limits<M>::min(), std::numeric_limits<M>::max(), v, failure)) {
        return false;
      }
      out = static_cast<M>(v);
      return true;
    } else {
      uint64_t v = 0;
      if (!decode_unsigned(in, std::numeric_limits<M>::max(), v, failure)) {
        return false;
      }
      out = static_cast<M>(v);
      return true;
    }
  } else if constexpr (std::is_floating_point_v<M>) {
    double v = 0;
    if (!decode_double(in, v, failure)) {
      return false;
    }
    out = static_cast<M>(v);
    return true;
  } else if constexpr (std::is_enum_v<M>) {
    std::string_view name;
    if (!decode_enum_name(in, name, failure)) {
      return false;
    }
    for (const auto& entry : EnumNames<M>::kValues) {
      if (entry.name == name) {
        out = entry.value;
        return true;
      }
    }
    return unknown_enum_failure(name, failure);
  } else if constexpr (TimestampStruct<M>) {
    int64_t unix_ms = 0;
    if (!decode_timestamp(in, unix_ms, failure)) {
      return false;
    }
    out = TimestampAdapter<M>::from_unix_ms(unix_ms);
    return true;
  } else {
    static_assert(Described<M>, "no IBSIM_SHAPE table for this member type");
    return decode_fields(in, &out, Shape<M>::kFields, failure);
  }
}

// Whether a structure member is written: optional members when set; lists and maps when not
// empty (or keep_empty: the top level of an output); kOmitDefault members when not at their
// default; everything else always.
template <uint8_t Options, typename M>
bool is_written(const M& value, bool keep_empty) {
  if constexpr (kIsOptional<M>) {
    return value.has_value();
  } else if constexpr ((Options & kOmitDefault) != 0) {
    return !(value == M{});
  } else if constexpr (kIsList<M> || kIsStringMap<M>) {
    return keep_empty || !value.empty();
  } else {
    return true;
  }
}

template <typename T>
StructInfo struct_info();

template <uint8_t Options, typename M>
TypeInfo describe_value() {
  TypeInfo info;
  if constexpr (kIsOptional<M>) {
    info = describe_value<Options, typename M::value_type>();
    info.optional = true;
  } else if constexpr (std::is_same_v<M, std::string>) {
    info.kind = ValueKind::kString;
  } else if constexpr (std::is_same_v<M, Bytes>) {
    info.kind = ValueKind::kBlob;
  } else if constexpr (kIsList<M>) {
    info.kind = ValueKind::kList;
    info.element =
        std::make_shared<const TypeInfo>(describe_value<Options, typename M::value_type>());
  } else if constexpr (kIsStringMap<M>) {
    info.kind = ValueKind::kMap;
    info.element =
        std::make_shared<const TypeInfo>(describe_value<Options, typename M::mapped_type>());
  } else if constexpr (std::is_same_v<M, bool>) {
    info.kind = ValueKind::kBoolean;
  } else if constexpr (kIsInteger<M>) {
    if constexpr ((Options & kEpochMillis) != 0) {
      info.kind = ValueKind::kTimestamp;
    } else {
      info.kind = ValueKind::kInteger;
      info.min = static_cast<int64_t>(std::numeric_limits<M>::min());
      info.max = std::in_range<int64_t>(std::numeric_limits<M>::max())
                     ? static_cast<int64_t>(std::numeric_limits<M>::max())
                     : std::numeric_limits<int64_t>::max();
    }
  } else if constexpr (std::is_floating_point_v<M>) {
    info.kind = ValueKind::kDouble;
  } else if constexpr (std::is_enum_v<M>) {
    info.kind = ValueKind::kEnum;
  } else if constexpr (TimestampStruct<M>) {
    info.kind = ValueKind::kTimestamp;
  } else {
    static_assert(Described<M>, "no IBSIM_SHAPE table for this member type");
    info.kind = ValueKind::kStructure;
    info.structure = &struct_info<M>;
  }
  return info;
}

// The ValueCodec of a member type: type-erased entry points into the templates above.
template <uint8_t Options, typename M>
inline constexpr ValueCodec kCodec = {
    [](const void* value, Document& out) {
      encode_value<Options>(*static_cast<const M*>(value), out);
    },
    [](const Document& in, void* value, DecodeFailure& failure) {
      return decode_value<Options>(in, *static_cast<M*>(value), failure);
    },
    [](const void* value, bool keep_empty) {
      return is_written<Options>(*static_cast<const M*>(value), keep_empty);
    },
    &describe_value<Options, M>,
};

template <typename S, auto Member>
void* member_of(void* object) {
  return &(static_cast<S*>(object)->*Member);
}

template <typename Pointer>
struct MemberPointer;

template <typename S, typename M>
struct MemberPointer<M S::*> {
  using Member = M;
};

// One table entry (IBSIM_SHAPE writes these).
template <typename S, auto Member, uint8_t Options = 0>
constexpr FieldDescriptor field(std::string_view wire_name, std::string_view cpp_name) {
  using M = typename MemberPointer<decltype(Member)>::Member;
  check_options<Options, M>();
  return FieldDescriptor{wire_name, cpp_name, Options, &member_of<S, Member>, &kCodec<Options, M>};
}

template <typename T>
StructInfo struct_info() {
  return describe_fields(Shape<T>::kName, Shape<T>::kFields, member_count<T>());
}

// ---- Operation<In, Out> (mapping.h), instantiated by IBSIM_MAPPING_OPERATIONS.

// A whole input or output: JSON null reads as an empty object, as the codecs treat it.
template <typename T>
bool decode_document(const Document& in, T& out, DecodeFailure& failure) {
  return in.is_null() || decode_fields(in, &out, Shape<T>::kFields, failure);
}

template <typename Input, typename Output>
sim::Result<Input> Operation<Input, Output>::decode_input(const Document& input) {
  Input value{};
  DecodeFailure failure;
  if (!decode_document(input, value, failure)) {
    return input_error(Shape<Input>::kService, failure);
  }
  return value;
}

template <typename Input, typename Output>
Document Operation<Input, Output>::encode_output(const Output& output) {
  Document out;
  encode_fields(&output, Shape<Output>::kFields, true, out);
  return out;
}

template <typename Input, typename Output>
Document Operation<Input, Output>::encode_input(const Input& input) {
  Document out;
  encode_fields(&input, Shape<Input>::kFields, false, out);
  return out;
}

template <typename Input, typename Output>
sim::Result<Output> Operation<Input, Output>::decode_output(const Document& output) {
  Output value{};
  DecodeFailure failure;
  if (!decode_document(output, value, failure)) {
    return output_error(failure);
  }
  return value;
}

template <typename Input, typename Output>
sim::Result<Document> canonical_input(const Document& input) {
  auto typed = Operation<Input, Output>::decode_input(input);
  if (!typed.ok()) {
    return typed.error();
  }
  return Operation<Input, Output>::encode_input(*typed);
}

template <typename Input, typename Output>
sim::Result<Document> canonical_output(const Document& output) {
  auto typed = Operation<Input, Output>::decode_output(output);
  if (!typed.ok()) {
    return typed.error();
  }
  return Operation<Input, Output>::encode_output(*typed);
}

}  // namespace ibsim::mock_aws::protocol::mapping
