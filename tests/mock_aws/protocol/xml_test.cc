#include "mock_aws/protocol/xml.h"

#include <catch2/catch.hpp>

namespace ibsim::mock_aws::protocol {
namespace {

TEST_CASE("Xml writer: escapes text and self-closes empty elements", "[protocol]") {
  std::string out;
  XmlWriter w(out);
  w.open("a");
  w.attribute("xmlns", "x\"y<&");
  w.element("b", "1 < 2 & 3 > 2 \"q\" 'a'");
  w.element("empty", "");
  w.open("c");
  w.close();
  w.element("cr", "a\r\nb\tc");
  w.close();
  CHECK(out
        == "<a xmlns=\"x&quot;y&lt;&amp;\"><b>1 &lt; 2 &amp; 3 &gt; 2 \"q\" 'a'</b><empty/><c/>"
           "<cr>a&#xD;\nb\tc</cr></a>");
  CHECK(w.depth() == 0);
}

TEST_CASE("Xml writer: replaces what XML cannot carry with U+FFFD", "[protocol]") {
  std::string out;
  append_xml_escaped(out,
                     std::string("a\x01"
                                 "b\xff"
                                 "c\xc3\xa9",
                                 7),
                     false);
  CHECK(out == "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xC3\xA9");
}

TEST_CASE("Xml reader: elements attributes text entities CDATA and comments", "[protocol]") {
  const auto doc = parse_xml(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c -->"
      "<ec2:R xmlns:ec2=\"urn:x\" a='1 &amp; 2'><k>a &lt;b&gt; &quot;&apos; &#65;&#x42;&#xE9;</k>"
      "<e/><d><![CDATA[<raw>&amp;]]></d><!-- inner --><w>\r\nx\r</w></ec2:R>  ");
  REQUIRE(doc.ok());
  CHECK(doc->name == "ec2:R");
  CHECK(doc->local_name() == "R");
  REQUIRE(doc->attributes.size() == 2);
  CHECK(doc->attributes[1].second == "1 & 2");
  REQUIRE(doc->child("k") != nullptr);
  CHECK(doc->child("k")->text == "a <b> \"' AB\xC3\xA9");
  CHECK(doc->child("e")->children.empty());
  CHECK(doc->child("d")->text == "<raw>&amp;");
  CHECK(doc->child("w")->text == "\nx\n");
  CHECK(doc->child("missing") == nullptr);
}

TEST_CASE("Xml reader: refuses malformed and hostile documents", "[protocol]") {
  const std::vector<std::string> bad = {
      "",
      "   ",
      "text",
      "<a>",
      "<a></b>",
      "<a><b></a></b>",
      "<a>&unknown;</a>",
      "<a>&#0;</a>",
      "<a>&#xD800;</a>",
      "<a>&#x110000;</a>",
      "<a>&amp</a>",
      "<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>",
      "<a><!DOCTYPE b></a>",
      "<a></a><b></b>",
      "<a></a>trailing",
      "<a b=\"1\" b=\"2\"/>",
      "<a b=1/>",
      "<a b=\"<\"/>",
      std::string("<a>\x01</a>"),
      std::string("<a>\xff</a>"),
      "<a><![CDATA[x</a>",
      "<a><!-- x</a>",
      "<1a/>",
      "<a",
  };
  for (const std::string& text : bad) {
    INFO(text);
    const auto doc = parse_xml(text);
    REQUIRE_FALSE(doc.ok());
    CHECK(doc.error().code == "MalformedXML");
  }
}

TEST_CASE("Xml reader: enforces depth node and size limits", "[protocol]") {
  std::string deep;
  for (int i = 0; i < 100; ++i) {
    deep += "<a>";
  }
  for (int i = 0; i < 100; ++i) {
    deep += "</a>";
  }
  CHECK_FALSE(parse_xml(deep).ok());
  XmlLimits limits;
  limits.max_depth = 200;
  CHECK(parse_xml(deep, limits).ok());

  std::string wide = "<r>";
  for (int i = 0; i < 50; ++i) {
    wide += "<i/>";
  }
  wide += "</r>";
  limits.max_nodes = 10;
  const auto too_many = parse_xml(wide, limits);
  REQUIRE_FALSE(too_many.ok());
  CHECK(too_many.error().message.find("more than 10 elements") != std::string::npos);
  limits.max_bytes = 16;
  CHECK_FALSE(parse_xml(wide, limits).ok());
}

}  // namespace
}  // namespace ibsim::mock_aws::protocol
