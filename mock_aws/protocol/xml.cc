#include "mock_aws/protocol/xml.h"

#include <optional>

#include "mock_aws/protocol/shape_model.h"
#include "sim/base/assert.h"

namespace ibsim::mock_aws::protocol {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

bool is_xml_char(uint32_t cp) {
  return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF)
         || (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool is_name_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':'
         || static_cast<uint8_t>(c) >= 0x80;
}

bool is_name_char(char c) {
  return is_name_start(c) || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

class Parser {
 public:
  Parser(std::string_view in, const XmlLimits& limits) : in_(in), limits_(limits) {}

  sim::Result<XmlNode> parse() {
    if (in_.size() > limits_.max_bytes) {
      return error("document larger than " + std::to_string(limits_.max_bytes) + " bytes");
    }
    if (!is_valid_utf8(in_)) {
      return error("invalid UTF-8");
    }
    if (in_.substr(0, 3) == "\xEF\xBB\xBF") {
      pos_ = 3;
    }
    if (!skip_misc()) {
      return *error_;
    }
    if (!at('<')) {
      return error("expected the root element");
    }
    XmlNode root;
    ++pos_;
    if (!parse_element(root, 1) || !skip_misc()) {
      return *error_;
    }
    if (pos_ != in_.size()) {
      return error("content after the root element");
    }
    return root;
  }

 private:
  sim::AwsError error(std::string what) {
    return sim::aws_error("MalformedXML", "XML at byte " + std::to_string(pos_) + ": " + what);
  }

  bool fail(std::string what) {
    if (!error_) {
      error_ = error(std::move(what));
    }
    return false;
  }

  bool at(char c) const { return pos_ < in_.size() && in_[pos_] == c; }

  bool starts(std::string_view s) const { return in_.substr(pos_, s.size()) == s; }

  void skip_space() {
    while (pos_ < in_.size() && is_space(in_[pos_])) {
      ++pos_;
    }
  }

  bool skip_until(std::string_view end) {
    const std::size_t found = in_.find(end, pos_);
    if (found == std::string_view::npos) {
      return fail("unterminated construct, expected '" + std::string(end) + "'");
    }
    pos_ = found + end.size();
    return true;
  }

  // Whitespace, comments and processing instructions (the XML declaration included) outside
  // the root element. DOCTYPE is refused: it is the door to entity expansion.
  bool skip_misc() {
    while (true) {
      skip_space();
      if (starts("<?")) {
        if (!skip_until("?>")) {
          return false;
        }
      } else if (starts("<!--")) {
        if (!skip_until("-->")) {
          return false;
        }
      } else if (starts("<!")) {
        return fail("DOCTYPE and other declarations are not accepted");
      } else {
        return true;
      }
    }
  }

  bool read_name(std::string& name) {
    const std::size_t start = pos_;
    if (pos_ >= in_.size() || !is_name_start(in_[pos_])) {
      return fail("expected a name");
    }
    while (pos_ < in_.size() && is_name_char(in_[pos_])) {
      ++pos_;
    }
    name.assign(in_.substr(start, pos_ - start));
    return true;
  }

  bool append_reference(std::string& out) {
    // At '&'.
    const std::size_t semi = in_.find(';', pos_);
    if (semi == std::string_view::npos || semi - pos_ > 12) {
      return fail("unterminated entity reference");
    }
    const std::string_view ref = in_.substr(pos_ + 1, semi - pos_ - 1);
    pos_ = semi + 1;
    if (ref == "amp") {
      out += '&';
    } else if (ref == "lt") {
      out += '<';
    } else if (ref == "gt") {
      out += '>';
    } else if (ref == "quot") {
      out += '"';
    } else if (ref == "apos") {
      out += '\'';
    } else if (ref.size() >= 2 && ref[0] == '#') {
      const bool hex = ref[1] == 'x';
      const std::string_view digits = ref.substr(hex ? 2 : 1);
      if (digits.empty()) {
        return fail("empty character reference");
      }
      uint32_t cp = 0;
      for (char c : digits) {
        uint32_t d = 0;
        if (c >= '0' && c <= '9') {
          d = static_cast<uint32_t>(c - '0');
        } else if (hex && c >= 'a' && c <= 'f') {
          d = static_cast<uint32_t>(c - 'a' + 10);
        } else if (hex && c >= 'A' && c <= 'F') {
          d = static_cast<uint32_t>(c - 'A' + 10);
        } else {
          return fail("bad character reference");
        }
        cp = cp * (hex ? 16u : 10u) + d;
        if (cp > 0x10FFFF) {
          return fail("character reference out of range");
        }
      }
      if (!is_xml_char(cp)) {
        return fail("character reference to a character XML does not allow");
      }
      append_utf8(out, cp);
    } else {
      return fail("unknown entity '" + std::string(ref) + "'");
    }
    return true;
  }

  // Character data up to '<' or '&', with line ends normalised to '\n'.
  bool append_chars(std::string& out, char stop_quote) {
    while (pos_ < in_.size()) {
      const char c = in_[pos_];
      if (c == '<' || c == '&' || (stop_quote != 0 && c == stop_quote)) {
        return true;
      }
      const auto b = static_cast<uint8_t>(c);
      if (b < 0x20 && c != '\t' && c != '\n' && c != '\r') {
        return fail("control character in text");
      }
      if (c == '\r') {
        out += '\n';
        ++pos_;
        if (at('\n')) {
          ++pos_;
        }
        continue;
      }
      out += c;
      ++pos_;
    }
    return true;
  }

  bool parse_attribute(XmlNode& node) {
    std::string name;
    if (!read_name(name)) {
      return false;
    }
    skip_space();
    if (!at('=')) {
      return fail("expected '=' after attribute name");
    }
    ++pos_;
    skip_space();
    if (!at('"') && !at('\'')) {
      return fail("expected a quoted attribute value");
    }
    const char quote = in_[pos_++];
    std::string value;
    while (true) {
      if (!append_chars(value, quote)) {
        return false;
      }
      if (pos_ >= in_.size()) {
        return fail("unterminated attribute value");
      }
      if (in_[pos_] == quote) {
        ++pos_;
        break;
      }
      if (in_[pos_] == '<') {
        return fail("'<' in attribute value");
      }
      if (!append_reference(value)) {
        return false;
      }
    }
    for (const auto& a : node.attributes) {
      if (a.first == name) {
        return fail("duplicate attribute " + name);
      }
    }
    node.attributes.emplace_back(std::move(name), std::move(value));
    return true;
  }

  // After '<' of a start tag.
  bool parse_element(XmlNode& node, std::size_t depth) {
    if (depth > limits_.max_depth) {
      return fail("elements nested deeper than " + std::to_string(limits_.max_depth));
    }
    if (++nodes_ > limits_.max_nodes) {
      return fail("more than " + std::to_string(limits_.max_nodes) + " elements");
    }
    if (!read_name(node.name)) {
      return false;
    }
    while (true) {
      const std::size_t before = pos_;
      skip_space();
      if (starts("/>")) {
        pos_ += 2;
        return true;
      }
      if (at('>')) {
        ++pos_;
        break;
      }
      if (pos_ == before) {
        return fail("expected whitespace, '>' or '/>' in a start tag");
      }
      if (!parse_attribute(node)) {
        return false;
      }
    }
    while (true) {
      if (pos_ >= in_.size()) {
        return fail("unterminated element <" + node.name + ">");
      }
      if (starts("</")) {
        pos_ += 2;
        std::string end;
        if (!read_name(end)) {
          return false;
        }
        if (end != node.name) {
          return fail("</" + end + "> closes <" + node.name + ">");
        }
        skip_space();
        if (!at('>')) {
          return fail("expected '>' in an end tag");
        }
        ++pos_;
        return true;
      }
      if (starts("<!--")) {
        if (!skip_until("-->")) {
          return false;
        }
      } else if (starts("<![CDATA[")) {
        pos_ += 9;
        const std::size_t end = in_.find("]]>", pos_);
        if (end == std::string_view::npos) {
          return fail("unterminated CDATA section");
        }
        node.text.append(in_.substr(pos_, end - pos_));
        pos_ = end + 3;
      } else if (starts("<?")) {
        if (!skip_until("?>")) {
          return false;
        }
      } else if (starts("<!")) {
        return fail("declarations are not accepted inside elements");
      } else if (at('<')) {
        ++pos_;
        node.children.emplace_back();
        if (!parse_element(node.children.back(), depth + 1)) {
          return false;
        }
      } else if (at('&')) {
        if (!append_reference(node.text)) {
          return false;
        }
      } else if (!append_chars(node.text, 0)) {
        return false;
      }
    }
  }

  std::string_view in_;
  XmlLimits limits_;
  std::size_t pos_ = 0;
  std::size_t nodes_ = 0;
  std::optional<sim::AwsError> error_;
};

}  // namespace

std::string_view XmlNode::local_name() const {
  const std::string_view n = name;
  const std::size_t colon = n.find(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

const XmlNode* XmlNode::child(std::string_view local) const {
  for (const XmlNode& c : children) {
    if (c.local_name() == local) {
      return &c;
    }
  }
  return nullptr;
}

sim::Result<XmlNode> parse_xml(std::string_view text, const XmlLimits& limits) {
  return Parser(text, limits).parse();
}

void append_xml_escaped(std::string& out, std::string_view text, bool attribute) {
  std::size_t pos = 0;
  std::size_t run = 0;  // start of the bytes copied as they are
  const auto flush = [&] {
    out.append(text.substr(run, pos - run));
  };
  while (pos < text.size()) {
    const char c = text[pos];
    const auto b = static_cast<uint8_t>(c);
    if (b >= 0x20 && b < 0x80 && c != '&' && c != '<' && c != '>' && (c != '"' || !attribute)) {
      ++pos;
      continue;
    }
    if (b >= 0x80) {
      std::size_t next = pos;
      const auto cp = next_code_point(text, next);
      if (cp && is_xml_char(*cp)) {
        pos = next;  // valid and allowed: part of the run
        continue;
      }
      flush();
      out += kReplacement;
      pos = cp ? next : pos + 1;
      run = pos;
      continue;
    }
    flush();
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\r':
        out += "&#xD;";
        break;
      case '\t':
      case '\n':
        out += c;
        break;
      default:
        out += kReplacement;  // other control characters cannot appear in XML 1.0
    }
    ++pos;
    run = pos;
  }
  flush();
}

void XmlWriter::declaration() {
  out_ += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
}

void XmlWriter::finish_start_tag() {
  if (start_tag_open_) {
    out_ += '>';
    start_tag_open_ = false;
  }
}

void XmlWriter::open(std::string_view name) {
  finish_start_tag();
  out_ += '<';
  out_ += name;
  stack_.emplace_back(name);
  start_tag_open_ = true;
}

void XmlWriter::attribute(std::string_view name, std::string_view value) {
  IBSIM_ASSERT(start_tag_open_, "attributes are written right after open()");
  out_ += ' ';
  out_ += name;
  out_ += "=\"";
  append_xml_escaped(out_, value, true);
  out_ += '"';
}

void XmlWriter::text(std::string_view value) {
  IBSIM_ASSERT(!stack_.empty(), "text is written inside an element");
  if (value.empty()) {
    return;
  }
  finish_start_tag();
  append_xml_escaped(out_, value, false);
}

void XmlWriter::close() {
  IBSIM_ASSERT(!stack_.empty(), "close() matches an open()");
  if (start_tag_open_) {
    out_ += "/>";
    start_tag_open_ = false;
  } else {
    out_ += "</";
    out_ += stack_.back();
    out_ += '>';
  }
  stack_.pop_back();
}

void XmlWriter::element(std::string_view name, std::string_view value) {
  finish_start_tag();
  out_ += '<';
  out_ += name;
  if (value.empty()) {
    out_ += "/>";
    return;
  }
  out_ += '>';
  append_xml_escaped(out_, value, false);
  out_ += "</";
  out_ += name;
  out_ += '>';
}

}  // namespace ibsim::mock_aws::protocol
