#include "mock_aws/policy/json_check.h"

#include <set>
#include <utility>
#include <vector>

namespace ibsim::mock_aws::policy {
namespace {

using json = nlohmann::json;

// Streams the document once, keeping the path of open containers for messages.
class CheckingSax {
 public:
  explicit CheckingSax(std::size_t max_depth) : max_depth_(max_depth) {}

  bool null() { return value(); }

  bool boolean(bool) { return value(); }

  bool number_integer(json::number_integer_t) { return value(); }

  bool number_unsigned(json::number_unsigned_t) { return value(); }

  bool number_float(json::number_float_t, const json::string_t&) { return value(); }

  bool string(json::string_t&) { return value(); }

  bool binary(json::binary_t&) { return value(); }

  bool start_object(std::size_t) { return open(false); }

  bool end_object() { return close(); }

  bool start_array(std::size_t) { return open(true); }

  bool end_array() { return close(); }

  bool key(json::string_t& name) {
    Frame& top = frames_.back();
    if (!top.keys.insert(name).second) {
      message_ = "duplicate key \"" + name + "\" in " + path_or_document(false);
      return false;
    }
    top.key = name;
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) {
    std::string what = ex.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: ..." -> drop the id.
    const std::size_t bracket = what.find("] ");
    if (what.starts_with("[") && bracket != std::string::npos) {
      what = what.substr(bracket + 2);
    }
    message_ = what;
    return false;
  }

  const std::string& message() const { return message_; }

 private:
  struct Frame {
    bool is_array = false;
    std::size_t next_index = 0;
    std::size_t index = 0;
    std::string key;
    std::set<std::string> keys;
  };

  bool value() {
    if (!frames_.empty() && frames_.back().is_array) {
      frames_.back().index = frames_.back().next_index++;
    }
    return true;
  }

  bool open(bool is_array) {
    value();
    if (frames_.size() + 1 > max_depth_) {
      message_ = "JSON nesting deeper than " + std::to_string(max_depth_) + " levels at "
                 + path_or_document();
      return false;
    }
    frames_.push_back(Frame{is_array, 0, 0, {}, {}});
    return true;
  }

  bool close() {
    frames_.pop_back();
    return true;
  }

  // include_top_key: whether the innermost object's current key is part of the path.
  std::string path_or_document(bool include_top_key = true) const {
    std::string path;
    for (std::size_t i = 0; i < frames_.size(); ++i) {
      const Frame& f = frames_[i];
      if (!include_top_key && i + 1 == frames_.size() && !f.is_array) {
        break;
      }
      if (f.is_array) {
        if (f.next_index > 0) {
          // Appended piecewise: g++ 12 warns (-Wrestrict) on "[" + std::to_string(...).
          path.push_back('[');
          path += std::to_string(f.index);
          path.push_back(']');
        }
      } else if (!f.key.empty()) {
        if (!path.empty()) {
          path += ".";
        }
        path += f.key;
      }
    }
    return path.empty() ? "the document" : path;
  }

  std::size_t max_depth_;
  std::vector<Frame> frames_;
  std::string message_;
};

}  // namespace

JsonCheck check_json_text(std::string_view text, std::size_t max_depth) {
  CheckingSax sax(max_depth);
  const bool ok = json::sax_parse(text.begin(), text.end(), &sax);
  if (ok) {
    return JsonCheck{};
  }
  return JsonCheck{false, sax.message().empty() ? "invalid JSON" : sax.message()};
}

bool json_depth_within(const json& value, std::size_t max_depth) {
  std::vector<std::pair<const json*, std::size_t>> stack;
  stack.emplace_back(&value, 0);
  while (!stack.empty()) {
    const auto [node, depth] = stack.back();
    stack.pop_back();
    if (!node->is_structured()) {
      continue;
    }
    if (depth + 1 > max_depth) {
      return false;
    }
    for (const json& child : *node) {
      stack.emplace_back(&child, depth + 1);
    }
  }
  return true;
}

std::string dump_json(const json& value, int indent) {
  return value.dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace ibsim::mock_aws::policy
