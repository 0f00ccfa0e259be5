#include "src/scenario/strict_json.h"

#include <limits>

namespace ibsim::scenario {
namespace {

bool is_identifier(std::string_view key) {
  if (key.empty()) {
    return false;
  }
  for (const char c : key) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || c == ':' || c == '/' || c == '*';
    if (!ok) {
      return false;
    }
  }
  return true;
}

}  // namespace

sim::AwsError input_error(std::string_view path, std::string_view message) {
  return sim::aws_error(std::string(kInvalidInputCode),
                        std::string(path) + ": " + std::string(message));
}

std::string describe(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null:
      return "null";
    case Json::value_t::object:
      return "an object";
    case Json::value_t::array:
      return "an array";
    case Json::value_t::string: {
      std::string s = value.get<std::string>();
      if (s.size() > 40) {
        s = s.substr(0, 37) + "...";
      }
      return "the string \"" + s + "\"";
    }
    case Json::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned:
    case Json::value_t::number_float:
      return "the number " + value.dump();
    default:
      return "an unsupported value";
  }
}

sim::Result<Json> parse_json_text(std::string_view text, std::string_view source) {
  // Bounded: nlohmann parses recursively, so refuse absurd nesting before parsing.
  constexpr int kMaxDepth = 64;
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > kMaxDepth) {
        return input_error(source, "JSON nested deeper than 64 levels");
      }
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    // Find the failing offset with the SAX error callback for a helpful message.
    struct Locator : nlohmann::json_sax<Json> {
      std::size_t position = 0;
      std::string token;

      bool null() override { return true; }

      bool boolean(bool) override { return true; }

      bool number_integer(number_integer_t) override { return true; }

      bool number_unsigned(number_unsigned_t) override { return true; }

      bool number_float(number_float_t, const string_t&) override { return true; }

      bool string(string_t&) override { return true; }

      bool binary(binary_t&) override { return true; }

      bool start_object(std::size_t) override { return true; }

      bool key(string_t&) override { return true; }

      bool end_object() override { return true; }

      bool start_array(std::size_t) override { return true; }

      bool end_array() override { return true; }

      bool parse_error(std::size_t pos,
                       const std::string& last,
                       const nlohmann::detail::exception&) override {
        position = pos;
        token = last;
        return false;
      }
    } locator;

    (void)Json::sax_parse(text, &locator, nlohmann::json::input_format_t::json, false);
    return input_error(source,
                       "not valid JSON (syntax error near byte " + std::to_string(locator.position)
                           + ", at '" + locator.token.substr(0, 20) + "')");
  }
  return doc;
}

std::string join_path(std::string_view base, std::string_view key) {
  std::string out(base);
  if (is_identifier(key)) {
    out.append(".").append(key);
  } else {
    out.append("[").append(Json(std::string(key)).dump()).append("]");
  }
  return out;
}

std::string index_path(std::string_view base, std::size_t index) {
  return std::string(base) + "[" + std::to_string(index) + "]";
}

StrictObject::StrictObject(const Json& node, std::string path)
    : node_(node), path_(std::move(path)) {
  if (!node_.is_object()) {
    error_ = input_error(path_, "expected an object, got " + describe(node_));
  }
}

std::string StrictObject::child_path(std::string_view key) const {
  return join_path(path_, key);
}

void StrictObject::fail(std::string_view key, std::string_view message) {
  if (!error_) {
    error_ = input_error(child_path(key), message);
  }
}

void StrictObject::fail_here(std::string_view message) {
  if (!error_) {
    error_ = input_error(path_, message);
  }
}

const Json* StrictObject::lookup(std::string_view key) {
  if (!node_.is_object()) {
    return nullptr;
  }
  read_.insert(std::string(key));
  const auto it = node_.find(key);
  if (it == node_.end() || it->is_null()) {
    return nullptr;
  }
  return &*it;
}

bool StrictObject::has(std::string_view key) {
  return lookup(key) != nullptr;
}

const Json* StrictObject::optional_value(std::string_view key) {
  return lookup(key);
}

const Json* StrictObject::required_value(std::string_view key) {
  const Json* v = lookup(key);
  if (v == nullptr) {
    fail(key, "is required");
  }
  return v;
}

std::optional<std::string> StrictObject::optional_string(std::string_view key) {
  const Json* v = lookup(key);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (!v->is_string()) {
    fail(key, "expected a string, got " + describe(*v));
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::string StrictObject::required_string(std::string_view key) {
  const Json* v = lookup(key);
  if (v == nullptr) {
    fail(key, "is required (a string)");
    return {};
  }
  if (!v->is_string()) {
    fail(key, "expected a string, got " + describe(*v));
    return {};
  }
  return v->get<std::string>();
}

std::optional<int64_t> StrictObject::optional_int(std::string_view key, int64_t min, int64_t max) {
  const Json* v = lookup(key);
  if (v == nullptr) {
    return std::nullopt;
  }
  int64_t value = 0;
  if (v->is_number_integer()) {
    value = v->get<int64_t>();
  } else if (v->is_number_unsigned()
             && v->get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    value = static_cast<int64_t>(v->get<uint64_t>());
  } else {
    fail(key, "expected an integer, got " + describe(*v));
    return std::nullopt;
  }
  if (value < min || value > max) {
    fail(key,
         "expected an integer from " + std::to_string(min) + " to " + std::to_string(max) + ", got "
             + std::to_string(value));
    return std::nullopt;
  }
  return value;
}

int64_t StrictObject::required_int(std::string_view key, int64_t min, int64_t max) {
  if (!node_.is_object() || !node_.contains(key) || node_.at(std::string(key)).is_null()) {
    read_.insert(std::string(key));
    fail(key, "is required (an integer)");
    return min;
  }
  return optional_int(key, min, max).value_or(min);
}

std::optional<bool> StrictObject::optional_bool(std::string_view key) {
  const Json* v = lookup(key);
  if (v == nullptr) {
    return std::nullopt;
  }
  if (!v->is_boolean()) {
    fail(key, "expected true or false, got " + describe(*v));
    return std::nullopt;
  }
  return v->get<bool>();
}

const Json* StrictObject::optional_object(std::string_view key) {
  const Json* v = lookup(key);
  if (v != nullptr && !v->is_object()) {
    fail(key, "expected an object, got " + describe(*v));
    return nullptr;
  }
  return v;
}

const Json* StrictObject::optional_array(std::string_view key) {
  const Json* v = lookup(key);
  if (v != nullptr && !v->is_array()) {
    fail(key, "expected an array, got " + describe(*v));
    return nullptr;
  }
  return v;
}

std::vector<std::string> StrictObject::optional_string_array(std::string_view key) {
  std::vector<std::string> out;
  const Json* v = optional_array(key);
  if (v == nullptr) {
    return out;
  }
  for (std::size_t i = 0; i < v->size(); ++i) {
    const Json& item = (*v)[i];
    if (!item.is_string()) {
      if (!error_) {
        error_ =
            input_error(index_path(child_path(key), i), "expected a string, got " + describe(item));
      }
      return {};
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

sim::Status StrictObject::finish() {
  if (error_) {
    return *error_;
  }
  for (const auto& [key, value] : node_.items()) {
    if (!read_.contains(key)) {
      return input_error(child_path(key), "unknown key (check the spelling; see the format docs)");
    }
  }
  return sim::ok_status();
}

}  // namespace ibsim::scenario
