#pragma once
// The mechanism behind mapping.h: one field table per typed struct, naming each C++ member and
// its botocore member name, and generic templates that convert any described struct to and from
// a Document recursively. Included only by the per-service table files (<service>_tables.cc),
// which also instantiate Operation<In, Out>, and by the tests; everything else uses mapping.h.
//
//   IBSIM_SHAPE(api::iam::Tag, (key, "Key"), (value, "Value"));
//   IBSIM_SHAPE(api::iam::AccessKey, ..., (create_date, "CreateDate", kEpochMillis));

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
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

template <typename S, typename M, uint8_t Options>
struct Field {
  using Struct = S;
  using Member = M;
  static constexpr uint8_t kOptions = Options;

  std::string_view wire_name;
  std::string_view cpp_name;
  M S::*member;
};

template <uint8_t Options = 0, typename S, typename M>
constexpr Field<S, M, Options> field(M S::*member,
                                     std::string_view wire_name,
                                     std::string_view cpp_name) {
  return Field<S, M, Options>{wire_name, cpp_name, member};
}

// The table of a typed struct, specialized by IBSIM_SHAPE: kName, kService (the table file's
// kTableService, for error styles) and visit(visitor), which calls visitor(field) for each entry
// in order and stops at the first that returns false.
template <typename T>
struct Shape;

template <typename T>
concept Described = requires {
  Shape<T>::kName;
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
// C++ member; the coverage test checks them against botocore and counts the C++ members.
#define IBSIM_SHAPE(Type, ...)                                                    \
  template <>                                                                     \
  struct Shape<Type> {                                                            \
    static constexpr std::string_view kName = #Type;                              \
    static constexpr ServiceId kService = kTableService;                          \
    template <typename Visitor>                                                   \
    static bool visit(Visitor&& visitor) {                                        \
      static_cast<void>(visitor);                                                 \
      return true IBSIM_MAPPING_FOR_EACH(IBSIM_MAPPING_FIELD, Type, __VA_ARGS__); \
    }                                                                             \
  }

#define IBSIM_MAPPING_FIELD(Type, entry) \
  IBSIM_MAPPING_FIELD_ARGS((Type, IBSIM_MAPPING_UNWRAP entry))
#define IBSIM_MAPPING_UNWRAP(...) __VA_ARGS__
#define IBSIM_MAPPING_FIELD_ARGS(args) IBSIM_MAPPING_FIELD_ENTRY args
#define IBSIM_MAPPING_FIELD_ENTRY(Type, member, wire_name, ...) \
  &&visitor(                                                    \
      ::ibsim::mock_aws::protocol::mapping::field<__VA_ARGS__>(&Type::member, wire_name, #member))

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

// ---- Non-template helpers (mapping.cc).

using Bytes = std::vector<uint8_t>;

// Where and why a Document did not fit: the member path is built on the way back up.
struct DecodeFailure {
  std::string path;      // "Distributions[0].AmiDistributionConfiguration.TargetAccountIds[1]"
  std::string expected;  // "a string"
  std::string found;     // "a number"

  void prepend_member(std::string_view name);
  void prepend_index(std::size_t index);
};

// Records a wrong JSON type; returns false.
bool type_failure(const Document& found, std::string_view expected, DecodeFailure& failure);
// Records an integer outside [min, max]; returns false.
bool range_failure(const Document& found, std::string_view range, DecodeFailure& failure);

std::string encode_base64(const Bytes& bytes);
bool decode_base64(const Document& in, Bytes& out, DecodeFailure& failure);
// Epoch seconds: an integer when whole, else with the milliseconds as a fraction.
Document timestamp_document(int64_t unix_ms);
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

template <uint8_t Options, typename M>
constexpr void check_options() {
  static_assert((Options & kEpochMillis) == 0 || std::is_same_v<M, int64_t>,
                "kEpochMillis marks an int64_t member (or a list/optional of them)");
  static_assert((Options & ~(kEpochMillis | kOmitDefault)) == 0, "unknown field option");
}

// ---- Encoding (typed -> Document); cannot fail.

template <typename T>
void encode_struct(const T& value, bool keep_empty, Document& out);

template <uint8_t Options, typename M>
void encode_value(const M& value, Document& out) {
  if constexpr (kIsOptional<M>) {
    encode_value<Options>(*value, out);
  } else if constexpr (std::is_same_v<M, std::string>) {
    out = value;
  } else if constexpr (std::is_same_v<M, Bytes>) {
    out = encode_base64(value);
  } else if constexpr (kIsList<M>) {
    out = Document::array();
    for (const auto& element : value) {
      Document encoded;
      encode_value<Options>(element, encoded);
      out.push_back(std::move(encoded));
    }
  } else if constexpr (kIsStringMap<M>) {
    out = Document::object();
    for (const auto& [key, element] : value) {
      encode_value<Options>(element, out[key]);
    }
  } else if constexpr (std::is_same_v<M, bool>) {
    out = value;
  } else if constexpr (kIsInteger<M>) {
    check_options<Options, M>();
    if constexpr ((Options & kEpochMillis) != 0) {
      out = timestamp_document(value);
    } else {
      out = value;
    }
  } else if constexpr (std::is_floating_point_v<M>) {
    out = static_cast<double>(value);
  } else if constexpr (std::is_enum_v<M>) {
    out = Document::value_t::null;
    for (const auto& entry : EnumNames<M>::kValues) {
      if (entry.value == value) {
        out = std::string(entry.name);
      }
    }
  } else if constexpr (TimestampStruct<M>) {
    out = timestamp_document(TimestampAdapter<M>::to_unix_ms(value));
  } else {
    static_assert(Described<M>, "no IBSIM_SHAPE table for this member type");
    encode_struct(value, false, out);
  }
}

// Whether a member is written: optional members when set; lists and maps when not empty (or
// keep_empty, the top level of an output); kOmitDefault members when not at their default.
template <uint8_t Options, typename M>
bool is_written(const M& value, bool keep_empty) {
  if constexpr (kIsOptional<M>) {
    static_assert((Options & kOmitDefault) == 0, "an optional member is absent when unset");
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
void encode_struct(const T& value, bool keep_empty, Document& out) {
  out = Document::object();
  Shape<T>::visit([&](const auto& f) {
    using F = std::remove_cvref_t<decltype(f)>;
    const auto& member = value.*(f.member);
    if (is_written<F::kOptions>(member, keep_empty)) {
      encode_value<F::kOptions>(member, out[std::string(f.wire_name)]);
    }
    return true;
  });
}

// ---- Decoding (Document -> typed); strict about JSON types.

template <typename T>
bool decode_struct(const Document& in, T& out, DecodeFailure& failure);

template <typename M>
bool decode_integer(const Document& in, M& out, DecodeFailure& failure) {
  if (in.is_number_unsigned()) {
    const auto v = in.get<uint64_t>();
    if (std::in_range<M>(v)) {
      out = static_cast<M>(v);
      return true;
    }
  } else if (in.is_number_integer()) {
    const auto v = in.get<int64_t>();
    if (std::in_range<M>(v)) {
      out = static_cast<M>(v);
      return true;
    }
  } else {
    return type_failure(in, "an integer", failure);
  }
  return range_failure(in,
                       "an integer from " + std::to_string(std::numeric_limits<M>::min()) + " to "
                           + std::to_string(std::numeric_limits<M>::max()),
                       failure);
}

template <uint8_t Options, typename M>
bool decode_value(const Document& in, M& out, DecodeFailure& failure) {
  if constexpr (kIsOptional<M>) {
    out.emplace();
    return decode_value<Options>(in, *out, failure);
  } else if constexpr (std::is_same_v<M, std::string>) {
    if (!in.is_string()) {
      return type_failure(in, "a string", failure);
    }
    out = in.get_ref<const std::string&>();
    return true;
  } else if constexpr (std::is_same_v<M, Bytes>) {
    return decode_base64(in, out, failure);
  } else if constexpr (kIsList<M>) {
    if (!in.is_array()) {
      return type_failure(in, "an array", failure);
    }
    out.clear();
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
      if (!decode_value<Options>(in[i], out.emplace_back(), failure)) {
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
    for (auto it = in.begin(); it != in.end(); ++it) {
      if (!decode_value<Options>(it.value(), out[it.key()], failure)) {
        failure.prepend_member(it.key());
        return false;
      }
    }
    return true;
  } else if constexpr (std::is_same_v<M, bool>) {
    if (!in.is_boolean()) {
      return type_failure(in, "a boolean", failure);
    }
    out = in.get<bool>();
    return true;
  } else if constexpr (kIsInteger<M>) {
    check_options<Options, M>();
    if constexpr ((Options & kEpochMillis) != 0) {
      return decode_timestamp(in, out, failure);
    } else {
      return decode_integer(in, out, failure);
    }
  } else if constexpr (std::is_floating_point_v<M>) {
    if (!in.is_number()) {
      return type_failure(in, "a number", failure);
    }
    out = static_cast<M>(in.get<double>());
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
    return decode_struct(in, out, failure);
  }
}

// Members absent from `in`, or JSON null, keep their defaults; members `in` has and the table
// does not name are ignored.
template <typename T>
bool decode_struct(const Document& in, T& out, DecodeFailure& failure) {
  if (!in.is_object()) {
    return type_failure(in, "an object", failure);
  }
  return Shape<T>::visit([&](const auto& f) {
    using F = std::remove_cvref_t<decltype(f)>;
    const auto it = in.find(f.wire_name);
    if (it == in.end() || it->is_null()) {
      return true;
    }
    if (!decode_value<F::kOptions>(*it, out.*(f.member), failure)) {
      failure.prepend_member(f.wire_name);
      return false;
    }
    return true;
  });
}

// A whole input or output: JSON null reads as an empty object, as the codecs treat it.
template <typename T>
bool decode_document(const Document& in, T& out, DecodeFailure& failure) {
  return in.is_null() || decode_struct(in, out, failure);
}

// ---- Descriptions (mapping.h), for the coverage tests.

template <typename T>
StructInfo struct_info();

template <uint8_t Options, typename M>
TypeInfo type_info() {
  TypeInfo info;
  if constexpr (kIsOptional<M>) {
    info = type_info<Options, typename M::value_type>();
    info.optional = true;
  } else if constexpr (std::is_same_v<M, std::string>) {
    info.kind = ValueKind::kString;
  } else if constexpr (std::is_same_v<M, Bytes>) {
    info.kind = ValueKind::kBlob;
  } else if constexpr (kIsList<M>) {
    info.kind = ValueKind::kList;
    info.element = std::make_shared<const TypeInfo>(type_info<Options, typename M::value_type>());
  } else if constexpr (kIsStringMap<M>) {
    info.kind = ValueKind::kMap;
    info.element = std::make_shared<const TypeInfo>(type_info<Options, typename M::mapped_type>());
  } else if constexpr (std::is_same_v<M, bool>) {
    info.kind = ValueKind::kBoolean;
  } else if constexpr (kIsInteger<M>) {
    check_options<Options, M>();
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

template <typename T>
StructInfo struct_info() {
  StructInfo info;
  info.name = Shape<T>::kName;
  info.cpp_member_count = member_count<T>();
  Shape<T>::visit([&](const auto& f) {
    using F = std::remove_cvref_t<decltype(f)>;
    info.fields.push_back(FieldInfo{
        f.wire_name, f.cpp_name, F::kOptions, type_info<F::kOptions, typename F::Member>()});
    return true;
  });
  return info;
}

// ---- Operation<In, Out> (mapping.h), instantiated by IBSIM_MAPPING_OPERATIONS.

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
  encode_struct(output, true, out);
  return out;
}

template <typename Input, typename Output>
Document Operation<Input, Output>::encode_input(const Input& input) {
  Document out;
  encode_struct(input, false, out);
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
