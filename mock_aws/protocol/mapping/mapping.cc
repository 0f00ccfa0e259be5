// The non-template half of the mapping: scalars (base64, timestamps), failure texts, the
// AwsErrors decoding failures become, and the registry of mapped operations per service.

#include "mock_aws/protocol/mapping/mapping.h"

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include "mock_aws/crypto/encoding.h"
#include "mock_aws/protocol/mapping/shape_table.h"

namespace ibsim::mock_aws::protocol::mapping {
namespace {

constexpr int64_t kMillisPerSecond = 1000;

std::string describe_type(const Document& value) {
  switch (value.type()) {
    case Document::value_t::object:
      return "an object";
    case Document::value_t::array:
      return "an array";
    case Document::value_t::string:
      return "a string";
    case Document::value_t::boolean:
      return "a boolean";
    case Document::value_t::number_integer:
    case Document::value_t::number_unsigned:
      return "an integer";
    case Document::value_t::number_float:
      return "a fractional number";
    case Document::value_t::null:
      return "null";
    case Document::value_t::binary:
    case Document::value_t::discarded:
      break;
  }
  return "a non-JSON value";
}

std::string path_text(const DecodeFailure& failure) {
  return failure.path.empty() ? std::string("(the document)") : failure.path;
}

std::string detail(const DecodeFailure& failure) {
  return "expected " + failure.expected + ", found " + failure.found;
}

// Records a number outside `range`; returns false.
bool range_failure(const Document& found, std::string_view range, DecodeFailure& failure) {
  failure.expected = std::string(range);
  failure.found = found.dump();  // Only ever a number here: no invalid UTF-8 to throw on.
  return false;
}

}  // namespace

void DecodeFailure::prepend_member(std::string_view name) {
  std::string joined(name);
  if (!path.empty() && path.front() != '[') {
    joined += '.';
  }
  joined += path;
  path = std::move(joined);
}

void DecodeFailure::prepend_index(std::size_t index) {
  std::string joined(1, '[');
  joined += std::to_string(index);
  joined += ']';
  if (!path.empty() && path.front() != '[') {
    joined += '.';
  }
  joined += path;
  path = std::move(joined);
}

bool type_failure(const Document& found, std::string_view expected, DecodeFailure& failure) {
  failure.expected = std::string(expected);
  failure.found = describe_type(found);
  return false;
}

void encode_string(const std::string& value, Document& out) {
  out = value;
}

void encode_bool(bool value, Document& out) {
  out = value;
}

void encode_signed(int64_t value, Document& out) {
  out = value;
}

void encode_unsigned(uint64_t value, Document& out) {
  out = value;
}

void encode_double(double value, Document& out) {
  out = value;
}

void encode_blob(const Bytes& value, Document& out) {
  out = crypto::base64_encode(std::span<const uint8_t>(value));
}

void encode_timestamp(int64_t unix_ms, Document& out) {
  out = timestamp_document(unix_ms);
}

bool decode_string(const Document& in, std::string& out, DecodeFailure& failure) {
  if (!in.is_string()) {
    return type_failure(in, "a string", failure);
  }
  out = in.get_ref<const std::string&>();
  return true;
}

bool decode_bool(const Document& in, bool& out, DecodeFailure& failure) {
  if (!in.is_boolean()) {
    return type_failure(in, "a boolean", failure);
  }
  out = in.get<bool>();
  return true;
}

bool decode_signed(
    const Document& in, int64_t min, int64_t max, int64_t& out, DecodeFailure& failure) {
  if (in.is_number_unsigned()) {
    const auto v = in.get<uint64_t>();
    if (std::in_range<int64_t>(v) && static_cast<int64_t>(v) <= max) {
      out = static_cast<int64_t>(v);
      return true;
    }
  } else if (in.is_number_integer()) {
    const auto v = in.get<int64_t>();
    if (v >= min && v <= max) {
      out = v;
      return true;
    }
  } else {
    return type_failure(in, "an integer", failure);
  }
  return range_failure(
      in, "an integer from " + std::to_string(min) + " to " + std::to_string(max), failure);
}

bool decode_unsigned(const Document& in, uint64_t max, uint64_t& out, DecodeFailure& failure) {
  if (in.is_number_unsigned()) {
    const auto v = in.get<uint64_t>();
    if (v <= max) {
      out = v;
      return true;
    }
  } else if (in.is_number_integer()) {
    const auto v = in.get<int64_t>();
    if (v >= 0 && static_cast<uint64_t>(v) <= max) {
      out = static_cast<uint64_t>(v);
      return true;
    }
  } else {
    return type_failure(in, "an integer", failure);
  }
  return range_failure(in, "an integer from 0 to " + std::to_string(max), failure);
}

bool decode_double(const Document& in, double& out, DecodeFailure& failure) {
  if (!in.is_number()) {
    return type_failure(in, "a number", failure);
  }
  out = in.get<double>();
  return true;
}

bool decode_blob(const Document& in, Bytes& out, DecodeFailure& failure) {
  if (!in.is_string()) {
    return type_failure(in, "a base64 string", failure);
  }
  auto bytes = crypto::base64_decode(in.get_ref<const std::string&>());
  if (!bytes) {
    failure.expected = "standard base64 with padding";
    failure.found = "a string that is not";
    return false;
  }
  out = std::move(*bytes);
  return true;
}

Document timestamp_document(int64_t unix_ms) {
  if (unix_ms % kMillisPerSecond == 0) {
    return Document(unix_ms / kMillisPerSecond);
  }
  return Document(static_cast<double>(unix_ms) / static_cast<double>(kMillisPerSecond));
}

namespace {

bool timestamp_range_failure(const Document& in, DecodeFailure& failure) {
  return range_failure(in,
                       "epoch seconds from " + std::to_string(kMinTimestampSeconds) + " to "
                           + std::to_string(kMaxTimestampSeconds),
                       failure);
}

}  // namespace

bool decode_timestamp(const Document& in, int64_t& unix_ms, DecodeFailure& failure) {
  if (in.is_number_unsigned()) {
    const auto seconds = in.get<uint64_t>();
    if (seconds > static_cast<uint64_t>(kMaxTimestampSeconds)) {
      return timestamp_range_failure(in, failure);
    }
    unix_ms = static_cast<int64_t>(seconds) * kMillisPerSecond;
    return true;
  }
  if (in.is_number_integer()) {
    const auto seconds = in.get<int64_t>();
    if (seconds < kMinTimestampSeconds || seconds > kMaxTimestampSeconds) {
      return timestamp_range_failure(in, failure);
    }
    unix_ms = seconds * kMillisPerSecond;
    return true;
  }
  if (in.is_number_float()) {
    const double seconds = in.get<double>();
    if (!std::isfinite(seconds) || seconds < static_cast<double>(kMinTimestampSeconds)
        || seconds > static_cast<double>(kMaxTimestampSeconds)) {
      return timestamp_range_failure(in, failure);
    }
    unix_ms = std::llround(seconds * static_cast<double>(kMillisPerSecond));
    return true;
  }
  return type_failure(in, "a timestamp (epoch seconds)", failure);
}

bool decode_enum_name(const Document& in, std::string_view& name, DecodeFailure& failure) {
  if (!in.is_string()) {
    return type_failure(in, "an enum string", failure);
  }
  name = in.get_ref<const std::string&>();
  return true;
}

bool unknown_enum_failure(std::string_view name, DecodeFailure& failure) {
  failure.expected = "a known enum value";
  failure.found.assign(1, '\'');
  failure.found += name;
  failure.found += '\'';
  return false;
}

// The Document reached a service with a value its typed struct cannot hold. Through the codecs
// this cannot happen (they check types first), so these are in-process callers; each service
// answers in the style its codec uses for a value of the wrong type (validation.cc).
sim::AwsError input_error(ServiceId service, const DecodeFailure& failure) {
  const std::string path = path_text(failure);
  switch (service) {
    case ServiceId::kKms:
    case ServiceId::kSsm:
      return sim::aws_error("SerializationException",
                            "Unexpected value type at '" + path + "': " + detail(failure));
    case ServiceId::kIam:
    case ServiceId::kSts:
      return sim::aws_error("InvalidParameterValue",
                            "Unexpected value type for parameter " + path + ": " + detail(failure));
    case ServiceId::kEc2:
      return sim::aws_error("InvalidParameterValue",
                            "Invalid value for " + path + ": " + detail(failure) + ".");
    case ServiceId::kImageBuilder:
      return sim::aws_error("InvalidParameterValueException",
                            "The value supplied for parameter '" + path + "' is not valid. '" + path
                                + "' has the wrong type: " + detail(failure) + ".");
  }
  return sim::aws_error("InternalFailure", "unknown service", 500);
}

sim::AwsError output_error(const DecodeFailure& failure) {
  return sim::aws_error(
      "MalformedResponse",
      "Unable to parse the response: member '" + path_text(failure) + "': " + detail(failure),
      500);
}

void encode_fields(const void* object,
                   std::span<const FieldDescriptor> fields,
                   bool keep_empty,
                   Document& out) {
  out = Document::object();
  for (const FieldDescriptor& f : fields) {
    // Encoding only reads: the accessor is shared with decoding, hence the const_cast.
    const void* member = f.member(const_cast<void*>(object));
    if (f.codec->is_written(member, keep_empty)) {
      f.codec->encode(member, out[std::string(f.wire_name)]);
    }
  }
}

bool decode_fields(const Document& in,
                   void* object,
                   std::span<const FieldDescriptor> fields,
                   DecodeFailure& failure) {
  if (!in.is_object()) {
    return type_failure(in, "an object", failure);
  }
  for (const FieldDescriptor& f : fields) {
    const auto it = in.find(f.wire_name);
    if (it == in.end() || it->is_null()) {
      continue;
    }
    if (!f.codec->decode(*it, f.member(object), failure)) {
      failure.prepend_member(f.wire_name);
      return false;
    }
  }
  return true;
}

StructInfo describe_fields(std::string_view name,
                           std::span<const FieldDescriptor> fields,
                           std::size_t cpp_member_count) {
  StructInfo info;
  info.name = name;
  info.cpp_member_count = cpp_member_count;
  for (const FieldDescriptor& f : fields) {
    info.fields.push_back(FieldInfo{f.wire_name, f.cpp_name, f.options, f.codec->describe()});
  }
  return info;
}

const FieldInfo* StructInfo::find(std::string_view wire_name) const {
  for (const FieldInfo& f : fields) {
    if (f.wire_name == wire_name) {
      return &f;
    }
  }
  return nullptr;
}

std::span<const OperationInfo> mapped_operations(ServiceId service) {
  switch (service) {
    case ServiceId::kImageBuilder:
      return imagebuilder_operations();
    case ServiceId::kEc2:
      return ec2_operations();
    case ServiceId::kKms:
      return kms_operations();
    case ServiceId::kIam:
      return iam_operations();
    case ServiceId::kSts:
      return sts_operations();
    case ServiceId::kSsm:
      return ssm_operations();
  }
  return {};
}

const OperationInfo* find_mapped_operation(ServiceId service, std::string_view name) {
  for (const OperationInfo& op : mapped_operations(service)) {
    if (op.name == name) {
      return &op;
    }
  }
  return nullptr;
}

}  // namespace ibsim::mock_aws::protocol::mapping
