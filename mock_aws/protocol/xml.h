#pragma once
// A small, strict XML writer and reader for the query protocols (EC2, IAM, STS). The writer
// escapes text and attribute values and self-closes empty elements. The reader builds a bounded
// tree (elements, attributes, text, CDATA, the five predefined entities and numeric character
// references); it rejects DOCTYPE (so no entity expansion), unknown entities, mismatched tags,
// invalid UTF-8 and anything beyond XmlLimits, and never throws.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "sim/base/result.h"

namespace ibsim::mock_aws::protocol {

struct XmlNode {
  std::string name;  // as written, including any prefix
  std::vector<std::pair<std::string, std::string>> attributes;
  std::string text;  // character data directly inside this element, concatenated
  std::vector<XmlNode> children;

  // Name without a namespace prefix ("ec2:item" -> "item").
  std::string_view local_name() const;
  // First child with that local name, or nullptr.
  const XmlNode* child(std::string_view local) const;
};

struct XmlLimits {
  std::size_t max_bytes = 32u << 20;
  std::size_t max_depth = 64;
  std::size_t max_nodes = 1u << 20;
};

// Errors carry code "MalformedXML" and a message naming the byte offset.
sim::Result<XmlNode> parse_xml(std::string_view text, const XmlLimits& limits = {});

// Writes into a string owned by the caller. Elements are opened and closed in order; an element
// closed without content is written as <name/>.
class XmlWriter {
 public:
  explicit XmlWriter(std::string& out) : out_(out) {}

  void declaration();  // <?xml version="1.0" encoding="UTF-8"?>
  void open(std::string_view name);
  void attribute(std::string_view name, std::string_view value);  // right after open()
  void text(std::string_view value);
  void close();
  // <name>value</name>, or <name/> when value is empty.
  void element(std::string_view name, std::string_view value);

  std::size_t depth() const { return stack_.size(); }

 private:
  void finish_start_tag();

  std::string& out_;
  std::vector<std::string> stack_;
  bool start_tag_open_ = false;
};

// Escapes &, <, > and (in attributes) quotes; replaces invalid UTF-8 and characters XML 1.0
// cannot carry with U+FFFD; writes CR as &#xD; so that it survives parsing.
void append_xml_escaped(std::string& out, std::string_view text, bool attribute);

}  // namespace ibsim::mock_aws::protocol
