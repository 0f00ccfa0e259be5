#include "mock_aws/iam/iam_validation.h"

#include <set>

#include "mock_aws/iam/iam_errors.h"

namespace ibsim::mock_aws::iam {
namespace {

constexpr std::size_t kEchoedValueMax = 256;  // Longer values are cut in messages.

bool is_tag_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' '
         || c == '_' || c == '.' || c == ':' || c == '/' || c == '=' || c == '+' || c == '-'
         || c == '@' || u >= 0x80;
}

}  // namespace

sim::AwsError validation_error(std::string_view member,
                               std::string_view value,
                               std::string_view constraint) {
  std::string shown(value.substr(0, kEchoedValueMax));
  if (value.size() > kEchoedValueMax) {
    shown += "...";
  }
  return iam_error(ErrorCode::kValidationError,
                   "1 validation error detected: Value '" + shown + "' at '" + std::string(member)
                       + "' failed to satisfy constraint: " + std::string(constraint));
}

bool is_name_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'
         || c == '+' || c == '=' || c == ',' || c == '.' || c == '@' || c == '-';
}

sim::Status validate_length(std::string_view member,
                            std::string_view value,
                            std::size_t min,
                            std::size_t max) {
  if (value.size() < min) {
    return validation_error(
        member, value, "Member must have length greater than or equal to " + std::to_string(min));
  }
  if (value.size() > max) {
    return validation_error(
        member, value, "Member must have length less than or equal to " + std::to_string(max));
  }
  return sim::ok_status();
}

sim::Status validate_range(std::string_view member, int64_t value, int64_t min, int64_t max) {
  const std::string text = std::to_string(value);
  if (value < min) {
    return validation_error(
        member, text, "Member must have value greater than or equal to " + std::to_string(min));
  }
  if (value > max) {
    return validation_error(
        member, text, "Member must have value less than or equal to " + std::to_string(max));
  }
  return sim::ok_status();
}

sim::Status validate_name(std::string_view member, std::string_view value, std::size_t max) {
  if (sim::Status s = validate_length(member, value, 1, max); !s.ok()) {
    return s;
  }
  for (const char c : value) {
    if (!is_name_char(c)) {
      return validation_error(
          member, value, R"(Member must satisfy regular expression pattern: [\w+=,.@-]+)");
    }
  }
  return sim::ok_status();
}

sim::Status validate_path(std::string_view member, std::string_view value) {
  if (sim::Status s = validate_length(member, value, 1, ShapeLimits::kPathMax); !s.ok()) {
    return s;
  }
  bool ok = value.front() == '/' && value.back() == '/';
  for (const char c : value) {
    ok = ok && c >= 0x21 && c <= 0x7E;
  }
  if (!ok) {
    return validation_error(
        member,
        value,
        R"(Member must satisfy regular expression pattern: (\u002F)|(\u002F[\u0021-\u007E]+\u002F))");
  }
  return sim::ok_status();
}

sim::Status validate_policy_path(std::string_view member, std::string_view value) {
  if (sim::Status s = validate_length(member, value, 1, ShapeLimits::kPathMax); !s.ok()) {
    return s;
  }
  bool ok = value.front() == '/' && value.back() == '/';
  // Segments between slashes are non-empty runs of [A-Za-z0-9.,+@=_-].
  std::size_t run = 0;
  for (std::size_t i = 1; ok && i < value.size(); ++i) {
    const char c = value[i];
    if (c == '/') {
      ok = run > 0;
      run = 0;
    } else {
      ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.'
           || c == ',' || c == '+' || c == '@' || c == '=' || c == '_' || c == '-';
      ++run;
    }
  }
  if (!ok) {
    return validation_error(
        member,
        value,
        R"(Member must satisfy regular expression pattern: ((/[A-Za-z0-9\.,\+@=_-]+)*)/)");
  }
  return sim::ok_status();
}

sim::Status validate_path_prefix(std::string_view member, std::string_view value) {
  if (sim::Status s = validate_length(member, value, 1, ShapeLimits::kPathMax); !s.ok()) {
    return s;
  }
  bool ok = value.front() == '/';
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    ok = ok && u >= 0x21 && u <= 0x7F;
  }
  if (!ok) {
    return validation_error(
        member, value, R"(Member must satisfy regular expression pattern: \u002F[\u0021-\u007F]*)");
  }
  return sim::ok_status();
}

sim::Status validate_policy_document_text(std::string_view member, std::string_view value) {
  if (sim::Status s = validate_length(member, value, 1, ShapeLimits::kPolicyDocumentMax); !s.ok()) {
    return s;
  }
  // Bytes are checked as UTF-8 would decode them only loosely: control characters other than tab,
  // newline and CR are refused; bytes >= 0x80 are left to the JSON parser.
  for (const char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 && c != '\t' && c != '\n' && c != '\r') {
      return validation_error(
          member,
          "(policy document)",
          R"(Member must satisfy regular expression pattern: [\u0009\u000A\u000D\u0020-\u00FF]+)");
    }
  }
  return sim::ok_status();
}

sim::Status validate_tags(std::string_view member, std::span<const api::iam::Tag> tags) {
  if (tags.size() > ShapeLimits::kTagsMax) {
    return validation_error(
        member,
        std::to_string(tags.size()) + " tags",
        "Member must have length less than or equal to " + std::to_string(ShapeLimits::kTagsMax));
  }
  std::set<std::string, std::less<>> seen;
  for (std::size_t i = 0; i < tags.size(); ++i) {
    const std::string at = std::string(member) + "." + std::to_string(i + 1) + ".member";
    const api::iam::Tag& t = tags[i];
    if (sim::Status s = validate_length(at + ".key", t.key, 1, ShapeLimits::kTagKeyMax); !s.ok()) {
      return s;
    }
    if (sim::Status s = validate_length(at + ".value", t.value, 0, ShapeLimits::kTagValueMax);
        !s.ok()) {
      return s;
    }
    for (const char c : t.key) {
      if (!is_tag_char(c)) {
        return validation_error(
            at + ".key",
            t.key,
            R"(Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]+)");
      }
    }
    for (const char c : t.value) {
      if (!is_tag_char(c)) {
        return validation_error(
            at + ".value",
            t.value,
            R"(Member must satisfy regular expression pattern: [\p{L}\p{Z}\p{N}_.:/=+\-@]*)");
      }
    }
    std::string lower;
    for (const char c : t.key) {
      lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
    if (!seen.insert(lower).second) {
      // Unconfirmed: IAM's wording for duplicate keys in one request.
      return iam_error(ErrorCode::kInvalidInput,
                       "Duplicate tag keys found. Please note that Tag keys are case insensitive.");
    }
  }
  return sim::ok_status();
}

std::size_t policy_quota_chars(std::string_view text) {
  std::size_t count = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    if (in_string) {
      ++count;
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
      continue;
    }
    in_string = c == '"';
    ++count;
  }
  return count;
}

}  // namespace ibsim::mock_aws::iam
