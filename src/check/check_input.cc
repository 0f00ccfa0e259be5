#include "src/check/check_input.h"

#include <fstream>
#include <optional>
#include <utility>

#include "mock_aws/protocol/codec.h"
#include "mock_aws/protocol/mapping/mapping.h"
#include "mock_aws/protocol/shape_model.h"
#include "src/scenario/strict_json.h"

namespace ibsim::check {
namespace {

namespace ib = mock_aws::api::imagebuilder;
namespace protocol = mock_aws::protocol;
using scenario::Json;

constexpr std::size_t kMembersListedMax = 12;  // In an "unknown key" message.

sim::AwsError at(std::string_view source, std::string_view path, std::string_view message) {
  return sim::aws_error(
      std::string(scenario::kInvalidInputCode),
      std::string(source) + ": " + std::string(path) + ": " + std::string(message));
}

std::string_view type_name(protocol::ShapeType type) {
  switch (type) {
    case protocol::ShapeType::kStructure:
    case protocol::ShapeType::kMap:
      return "an object";
    case protocol::ShapeType::kList:
      return "an array";
    case protocol::ShapeType::kString:
    case protocol::ShapeType::kBlob:
      return "a string";
    case protocol::ShapeType::kInteger:
    case protocol::ShapeType::kLong:
      return "an integer";
    case protocol::ShapeType::kBoolean:
      return "true or false";
    case protocol::ShapeType::kTimestamp:
    case protocol::ShapeType::kFloat:
    case protocol::ShapeType::kDouble:
      return "a number";
  }
  return "a value";
}

bool has_type(protocol::ShapeType type, const Json& value) {
  switch (type) {
    case protocol::ShapeType::kStructure:
    case protocol::ShapeType::kMap:
      return value.is_object();
    case protocol::ShapeType::kList:
      return value.is_array();
    case protocol::ShapeType::kString:
    case protocol::ShapeType::kBlob:
      return value.is_string();
    case protocol::ShapeType::kInteger:
    case protocol::ShapeType::kLong:
      return value.is_number_integer();
    case protocol::ShapeType::kBoolean:
      return value.is_boolean();
    case protocol::ShapeType::kTimestamp:
      return value.is_number() || value.is_string();
    case protocol::ShapeType::kFloat:
    case protocol::ShapeType::kDouble:
      return value.is_number();
  }
  return false;
}

// What the AWS CLI checks before sending (botocore's ParamValidator): every key is a member of
// its structure, every value has its member's type, required members are present. `depth` is
// bounded by the JSON depth parse_json_text allows.
sim::Status check_shape(const protocol::ServiceModel& service,
                        const protocol::ShapeModel& shape,
                        const Json& value,
                        const std::string& path,
                        std::string_view source,
                        bool top_level) {
  if (!has_type(shape.type, value)) {
    return at(
        source,
        path,
        "expected " + std::string(type_name(shape.type)) + ", got " + scenario::describe(value));
  }
  switch (shape.type) {
    case protocol::ShapeType::kStructure: {
      for (const auto& [key, child] : value.items()) {
        const protocol::MemberModel* member = protocol::find_member(service, shape, key);
        if (member == nullptr) {
          std::string known;
          std::size_t listed = 0;
          for (const protocol::MemberModel& m : service.members_of(shape)) {
            if (listed++ == kMembersListedMax) {
              known += ", ...";
              break;
            }
            known += (known.empty() ? "" : ", ") + std::string(service.str(m.name));
          }
          return at(source,
                    scenario::join_path(path, key),
                    "unknown key (the AWS CLI accepts: " + known + ")");
        }
        if (child.is_null()) {
          continue;
        }
        if (auto s = check_shape(service,
                                 service.target(*member),
                                 child,
                                 scenario::join_path(path, key),
                                 source,
                                 false);
            !s.ok()) {
          return s;
        }
      }
      for (const protocol::MemberModel& m : service.members_of(shape)) {
        const bool token = top_level && (m.flags & protocol::kMemberIdempotencyToken) != 0;
        const std::string_view name = service.str(m.name);
        if ((m.flags & protocol::kMemberRequired) != 0 && !token
            && (!value.contains(name) || value.at(name).is_null())) {
          return at(source, path, "missing required key \"" + std::string(name) + "\"");
        }
      }
      return sim::ok_status();
    }
    case protocol::ShapeType::kList: {
      const protocol::MemberModel& element = service.members_of(shape)[0];
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (auto s = check_shape(service,
                                 service.target(element),
                                 value[i],
                                 scenario::index_path(path, i),
                                 source,
                                 false);
            !s.ok()) {
          return s;
        }
      }
      return sim::ok_status();
    }
    case protocol::ShapeType::kMap: {
      const protocol::MemberModel& map_value = service.members_of(shape)[1];
      for (const auto& [key, child] : value.items()) {
        if (auto s = check_shape(service,
                                 service.target(map_value),
                                 child,
                                 scenario::join_path(path, key),
                                 source,
                                 false);
            !s.ok()) {
          return s;
        }
      }
      return sim::ok_status();
    }
    default:
      return sim::ok_status();
  }
}

template <typename Input, typename Output>
sim::Result<DecodedInput<Input>> decode(std::string_view text,
                                        std::string_view source,
                                        std::string_view operation_name) {
  if (text.size() > kInputFileBytesMax) {
    return scenario::input_error(source,
                                 "larger than " + std::to_string(kInputFileBytesMax) + " bytes");
  }
  sim::Result<Json> doc = scenario::parse_json_text(text, source);
  if (!doc.ok()) {
    return doc.error();
  }
  const std::optional<protocol::OperationRef> op =
      protocol::find_operation(protocol::ServiceId::kImageBuilder, operation_name);
  if (!op.has_value() || op->input() == nullptr) {
    return sim::aws_error("InternalError",
                          "the Image Builder model has no " + std::string(operation_name));
  }
  if (auto s = check_shape(op->service(), *op->input(), *doc, "$", source, true); !s.ok()) {
    return s.error();
  }
  // The CLI fills the idempotency token (a UUID) when the file has none.
  protocol::fill_idempotency_tokens(*op, *doc, [] { return std::string(kCheckClientToken); });
  DecodedInput<Input> out;
  if (auto s = protocol::validate_input(*op, *doc); !s.ok()) {
    out.findings.push_back(s.error());
  }
  sim::Result<Input> typed = protocol::mapping::Operation<Input, Output>::decode_input(*doc);
  if (!typed.ok()) {
    return scenario::input_error(source, typed.error().message);
  }
  out.input = std::move(typed).value();
  return out;
}

}  // namespace

sim::Result<DecodedInput<ib::CreateDistributionConfigurationInput>>
decode_distribution_configuration(std::string_view text, std::string_view source) {
  return decode<ib::CreateDistributionConfigurationInput,
                ib::CreateDistributionConfigurationOutput>(
      text, source, "CreateDistributionConfiguration");
}

sim::Result<DecodedInput<ib::CreateImageRecipeInput>> decode_image_recipe(std::string_view text,
                                                                          std::string_view source) {
  return decode<ib::CreateImageRecipeInput, ib::CreateImageRecipeOutput>(
      text, source, "CreateImageRecipe");
}

sim::Result<std::string> read_input_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return scenario::input_error(path, "cannot open the file");
  }
  std::string text;
  char buffer[64 * 1024];
  while (in.read(buffer, sizeof(buffer)) || in.gcount() > 0) {
    text.append(buffer, static_cast<std::size_t>(in.gcount()));
    if (text.size() > kInputFileBytesMax) {
      return scenario::input_error(path,
                                   "larger than " + std::to_string(kInputFileBytesMax) + " bytes");
    }
  }
  if (in.bad()) {
    return scenario::input_error(path, "cannot read the file");
  }
  return text;
}

}  // namespace ibsim::check
