#include "mock_aws/ec2/ec2_internal.h"

#include <algorithm>
#include <charconv>

namespace ibsim::mock_aws::ec2::internal {

namespace {

constexpr std::string_view kPageTokenPrefix = "ibsim-page-";
constexpr std::string_view kReservedTagPrefix = "aws:";

bool is_image_name_char(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    return true;
  }
  switch (c) {
    case '(':
    case ')':
    case '[':
    case ']':
    case '.':
    case '/':
    case '-':
    case '\'':
    case '@':
    case '_':
    case ' ':
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string image_not_found_message(std::string_view image_id) {
  return "The image id '[" + std::string(image_id) + "]' does not exist";
}

sim::AwsError image_not_found(std::string_view image_id) {
  return ec2_error(ErrorCode::kInvalidAmiIdNotFound, image_not_found_message(image_id));
}

sim::AwsError malformed_id(IdKind kind, std::string_view text) {
  const std::string message = "Invalid id: \"" + std::string(text) + "\" (expecting \""
                              + std::string(id_prefix(kind)) + "...\")";
  switch (kind) {
    case IdKind::kImage:
      return ec2_error(ErrorCode::kInvalidAmiIdMalformed, message);
    case IdKind::kSnapshot:
      return ec2_error(ErrorCode::kInvalidSnapshotIdMalformed, message);
    case IdKind::kLaunchTemplate:
      return ec2_error(
          ErrorCode::kInvalidLaunchTemplateIdMalformed,
          "The specified launch template ID '" + std::string(text) + "' is malformed.");
    case IdKind::kInstance:
      return ec2_error(ErrorCode::kInvalidInstanceIdMalformed, message);
    case IdKind::kReservation:
      return ec2_error(ErrorCode::kInvalidId, "The ID '" + std::string(text) + "' is not valid");
  }
  return ec2_error(ErrorCode::kInvalidId, "The ID '" + std::string(text) + "' is not valid");
}

sim::AwsError snapshot_not_found(std::string_view snapshot_id) {
  return ec2_error(ErrorCode::kInvalidSnapshotNotFound,
                   "The snapshot '" + std::string(snapshot_id) + "' does not exist.");
}

sim::AwsError missing_parameter(std::string_view name) {
  return ec2_error(ErrorCode::kMissingParameter,
                   "The request must contain the parameter " + std::string(name));
}

sim::AwsError invalid_value(std::string_view name, std::string_view value, std::string_view why) {
  std::string message =
      "Value (" + std::string(value) + ") for parameter " + std::string(name) + " is invalid.";
  if (!why.empty()) {
    message += " " + std::string(why);
  }
  return ec2_error(ErrorCode::kInvalidParameterValue, std::move(message));
}

sim::AwsError dry_run_success() {
  return ec2_error(ErrorCode::kDryRunOperation, std::string(kDryRunMessage));
}

sim::AwsError not_owner(std::string_view resource_id) {
  // Unconfirmed: EC2 answers a non-owner's change to (or permission read of) a shared image or
  // snapshot with AuthFailure.
  return ec2_error(ErrorCode::kAuthFailure,
                   "Not authorized for resource: " + std::string(resource_id));
}

sim::Status validate_image_name(std::string_view name) {
  if (name.empty()) {
    return missing_parameter("name");
  }
  if (name.size() < kImageNameMinChars || name.size() > kImageNameMaxChars
      || !std::all_of(name.begin(), name.end(), is_image_name_char)) {
    return ec2_error(ErrorCode::kInvalidAmiNameMalformed,
                     "AMI names must be between 3 and 128 characters long, and may contain "
                     "letters, numbers, '(', ')', '.', '-', '/' and '_'");
  }
  return sim::ok_status();
}

sim::Status validate_description(const std::optional<std::string>& description) {
  if (description.has_value() && description->size() > kDescriptionMaxChars) {
    return invalid_value("Description",
                         description->substr(0, 16) + "...",
                         "Length must not exceed 255 characters.");
  }
  return sim::ok_status();
}

sim::Status validate_client_token(const std::optional<std::string>& token) {
  if (token.has_value() && (token->empty() || token->size() > kClientTokenMaxChars)) {
    return invalid_value("ClientToken", *token, "It must be 1 to 128 characters.");
  }
  return sim::ok_status();
}

sim::Status validate_tags(const std::vector<api::ec2::Tag>& tags) {
  for (const api::ec2::Tag& tag : tags) {
    if (tag.key.empty() || tag.key.size() > kTagKeyMaxChars) {
      return ec2_error(ErrorCode::kInvalidParameterValue,
                       "Tag key must be between 1 and 128 characters: '" + tag.key + "'");
    }
    if (tag.key.substr(0, kReservedTagPrefix.size()) == kReservedTagPrefix) {
      return ec2_error(ErrorCode::kInvalidParameterValue,
                       "Tag keys starting with 'aws:' are reserved for internal use");
    }
    if (tag.value.has_value() && tag.value->size() > kTagValueMaxChars) {
      return ec2_error(ErrorCode::kInvalidParameterValue,
                       "Tag value for key '" + tag.key + "' exceeds 256 characters");
    }
  }
  return sim::ok_status();
}

std::vector<api::ec2::Tag> to_tag_list(const TagMap& tags) {
  std::vector<api::ec2::Tag> out;
  out.reserve(tags.size());
  for (const auto& [key, value] : tags) {
    out.push_back({.key = key, .value = value});
  }
  return out;
}

sim::Result<TagMap> tags_for(const std::vector<api::ec2::TagSpecification>& specs,
                             std::string_view resource_type,
                             std::initializer_list<std::string_view> allowed) {
  TagMap tags;
  for (const api::ec2::TagSpecification& spec : specs) {
    const std::string type = spec.resource_type.value_or("");
    if (std::find(allowed.begin(), allowed.end(), type) == allowed.end()) {
      return invalid_value("ResourceType",
                           type,
                           "This resource type is not supported for tagging on creation here.");
    }
    if (sim::Status s = validate_tags(spec.tags); !s.ok()) {
      return s.error();
    }
    if (type != resource_type) {
      continue;
    }
    for (const api::ec2::Tag& tag : spec.tags) {
      tags[tag.key] = tag.value.value_or("");
    }
  }
  return tags;
}

void add_request_tag_keys(const TagMap& tags, std::vector<auth::ContextValue>& keys) {
  if (tags.empty()) {
    return;
  }
  std::vector<std::string> names;
  names.reserve(tags.size());
  for (const auto& [key, value] : tags) {
    keys.push_back({.key = "aws:RequestTag/" + key, .values = {value}});
    names.push_back(key);
  }
  keys.push_back({.key = "aws:TagKeys", .values = std::move(names), .multi_valued = true});
}

void add_resource_tag_keys(const TagMap& tags, std::vector<auth::ContextValue>& keys) {
  for (const auto& [key, value] : tags) {
    keys.push_back({.key = "aws:ResourceTag/" + key, .values = {value}});
    keys.push_back({.key = "ec2:ResourceTag/" + key, .values = {value}});
  }
}

bool glob_match(std::string_view pattern, std::string_view text) {
  // Iterative matcher with one backtrack point for the last '*' (linear in practice).
  std::size_t p = 0;
  std::size_t t = 0;
  std::size_t star_p = std::string_view::npos;
  std::size_t star_t = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '\\' && p + 1 < pattern.size()) {
      if (pattern[p + 1] == text[t]) {
        p += 2;
        ++t;
        continue;
      }
    } else if (p < pattern.size() && pattern[p] == '*') {
      star_p = p++;
      star_t = t;
      continue;
    } else if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
      continue;
    }
    if (star_p == std::string_view::npos) {
      return false;
    }
    p = star_p + 1;
    t = ++star_t;
  }
  while (p < pattern.size() && pattern[p] == '*') {
    ++p;
  }
  return p == pattern.size();
}

bool any_value_matches(const api::ec2::Filter& filter, std::string_view value) {
  return std::any_of(filter.values.begin(), filter.values.end(), [&](const std::string& v) {
    return glob_match(v, value);
  });
}

std::optional<bool> match_tag_filter(const api::ec2::Filter& filter, const TagMap& tags) {
  constexpr std::string_view kTagPrefix = "tag:";
  if (filter.name.substr(0, kTagPrefix.size()) == kTagPrefix) {
    const auto it = tags.find(filter.name.substr(kTagPrefix.size()));
    return it != tags.end() && any_value_matches(filter, it->second);
  }
  if (filter.name == "tag-key") {
    return std::any_of(tags.begin(), tags.end(), [&](const auto& kv) {
      return any_value_matches(filter, kv.first);
    });
  }
  if (filter.name == "tag-value") {
    return std::any_of(tags.begin(), tags.end(), [&](const auto& kv) {
      return any_value_matches(filter, kv.second);
    });
  }
  return std::nullopt;
}

sim::AwsError unknown_filter(std::string_view name) {
  return ec2_error(ErrorCode::kInvalidParameterValue,
                   "The filter '" + std::string(name) + "' is invalid");
}

sim::Result<Page> paginate(std::size_t total,
                           const std::optional<int32_t>& max_results,
                           const std::optional<std::string>& next_token,
                           int32_t max_results_min,
                           int32_t max_results_max) {
  std::size_t begin = 0;
  if (next_token.has_value()) {
    const std::string& token = *next_token;
    uint64_t offset = 0;
    const char* first = token.data() + kPageTokenPrefix.size();
    const char* last = token.data() + token.size();
    if (token.substr(0, kPageTokenPrefix.size()) != kPageTokenPrefix
        || std::from_chars(first, last, offset).ptr != last || offset > total) {
      return invalid_value("NextToken", token, "The token is not valid.");
    }
    begin = static_cast<std::size_t>(offset);
  }
  std::size_t end = total;
  if (max_results.has_value()) {
    if (*max_results < max_results_min || *max_results > max_results_max) {
      return invalid_value("MaxResults",
                           std::to_string(*max_results),
                           "It must be between " + std::to_string(max_results_min) + " and "
                               + std::to_string(max_results_max) + ".");
    }
    end = std::min(total, begin + static_cast<std::size_t>(*max_results));
  }
  Page page{.begin = begin, .end = end, .next_token = std::nullopt};
  if (end < total) {
    page.next_token = std::string(kPageTokenPrefix) + std::to_string(end);
  }
  return page;
}

Fingerprint& Fingerprint::add(std::string_view part) {
  add(static_cast<int64_t>(part.size()));
  for (const char c : part) {
    hash_ ^= static_cast<uint8_t>(c);
    hash_ *= 0x100000001b3ULL;
  }
  return *this;
}

Fingerprint& Fingerprint::add(const std::optional<std::string>& part) {
  add(int64_t{part.has_value() ? 1 : 0});
  return part.has_value() ? add(std::string_view(*part)) : *this;
}

Fingerprint& Fingerprint::add(const std::optional<bool>& part) {
  return add(int64_t{part.has_value() ? (*part ? 2 : 1) : 0});
}

Fingerprint& Fingerprint::add(int64_t part) {
  auto bits = static_cast<uint64_t>(part);
  for (int i = 0; i < 8; ++i) {
    hash_ ^= bits & 0xFF;
    hash_ *= 0x100000001b3ULL;
    bits >>= 8;
  }
  return *this;
}

sim::AwsError unauthorized(const api::CallContext& ctx,
                           const auth::AuthzRequest& request,
                           const auth::AuthzResult& result,
                           bool mutating,
                           const auth::AuthorizationMessages& messages) {
  std::string message(kUnauthorizedMessage);
  if (mutating) {
    message += " Encoded authorization failure message: ";
    message +=
        messages.encode(result.explanation.empty() ? fallback_explanation(ctx, request, result)
                                                   : result.explanation);
  }
  sim::AwsError error = ec2_error(ErrorCode::kUnauthorizedOperation, std::move(message));
  error.explanation = result.explanation;
  return error;
}

std::string fallback_explanation(const api::CallContext& ctx,
                                 const auth::AuthzRequest& request,
                                 const auth::AuthzResult& result) {
  // The fields of STS's decoded message (allowed, explicitDeny, context) and the denial text.
  std::string json = "{\"allowed\":false,\"explicitDeny\":";
  json += bool_text(result.decision.outcome == policy::Outcome::kExplicitDeny);
  json += ",\"message\":\"" + json_escape(result.message) + "\"";
  json += ",\"context\":{\"principal\":{\"arn\":\"" + json_escape(ctx.principal.arn)
          + "\"},\"action\":\"" + json_escape(request.action) + "\",\"resource\":\""
          + json_escape(request.resource) + "\",\"keys\":{";
  bool first = true;
  for (const auth::ContextValue& key : request.keys) {
    json += first ? "\"" : ",\"";
    first = false;
    json += json_escape(key.key) + "\":[";
    for (std::size_t i = 0; i < key.values.size(); ++i) {
      json += (i == 0 ? "\"" : ",\"") + json_escape(key.values[i]) + "\"";
    }
    json += "]";
  }
  json += "}}}";
  return json;
}

std::string json_escape(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20) {
      out += "\\u00";
      out += kHex[u >> 4];
      out += kHex[u & 0xF];
    } else {
      out += c;
    }
  }
  return out;
}

std::string_view bool_text(bool value) {
  return value ? "true" : "false";
}

}  // namespace ibsim::mock_aws::ec2::internal
