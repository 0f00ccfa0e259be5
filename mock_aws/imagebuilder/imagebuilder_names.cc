// Text rules of Image Builder: ARNs, versions, placeholders, page tokens (see the header).

#include "mock_aws/imagebuilder/imagebuilder_names.h"

#include <cstddef>
#include <vector>

#include "mock_aws/api/regions.h"
#include "sim/time.h"

namespace ibsim::mock_aws::imagebuilder {
namespace {

constexpr std::string_view kArnPrefix = "arn:aws:imagebuilder:";
constexpr std::string_view kPageTokenPrefix = "ibp1-";
constexpr std::string_view kHexDigits = "0123456789abcdef";

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

std::vector<std::string_view> split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t at = text.find(sep, start);
    if (at == std::string_view::npos) {
      out.push_back(text.substr(start));
      return out;
    }
    out.push_back(text.substr(start, at - start));
    start = at + 1;
  }
}

// A decimal node of at most 10 digits, no sign.
std::optional<int64_t> parse_node(std::string_view text) {
  if (text.empty() || text.size() > 10) {
    return std::nullopt;
  }
  int64_t value = 0;
  for (char c : text) {
    if (!is_digit(c)) {
      return std::nullopt;
    }
    value = value * 10 + (c - '0');
  }
  return value;
}

// Finds "{{", optional blanks, `key`, optional blanks, "}}" from `from`; returns [begin, end).
std::optional<std::pair<std::size_t, std::size_t>> find_placeholder(std::string_view text,
                                                                    std::string_view key,
                                                                    std::size_t from) {
  while (true) {
    const std::size_t open = text.find("{{", from);
    if (open == std::string_view::npos) {
      return std::nullopt;
    }
    std::size_t i = open + 2;
    while (i < text.size() && text[i] == ' ') {
      ++i;
    }
    if (text.substr(i, key.size()) == key) {
      std::size_t j = i + key.size();
      while (j < text.size() && text[j] == ' ') {
        ++j;
      }
      if (text.substr(j, 2) == "}}") {
        return std::make_pair(open, j + 2);
      }
    }
    from = open + 1;
  }
}

std::string replace_all(std::string_view text, std::string_view key, std::string_view value) {
  std::string out;
  std::size_t from = 0;
  while (auto hit = find_placeholder(text, key, from)) {
    out.append(text.substr(from, hit->first - from));
    out.append(value);
    from = hit->second;
  }
  out.append(text.substr(from));
  return out;
}

}  // namespace

std::string arn_resource_name(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if (c == ' ') {
      out.push_back('-');
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string imagebuilder_arn(const api::Region& region,
                             std::string_view account,
                             std::string_view type,
                             std::string_view suffix) {
  std::string out(kArnPrefix);
  out += region.str();
  out += ':';
  out += account;
  out += ':';
  out += type;
  out += '/';
  out += suffix;
  return out;
}

std::optional<ParsedArn> parse_imagebuilder_arn(std::string_view text) {
  if (text.substr(0, kArnPrefix.size()) != kArnPrefix) {
    return std::nullopt;
  }
  const std::vector<std::string_view> fields = split(text.substr(kArnPrefix.size()), ':');
  if (fields.size() != 3) {
    return std::nullopt;
  }
  ParsedArn out;
  out.region = std::string(fields[0]);
  out.account = std::string(fields[1]);
  if (api::find_region(out.region) == nullptr) {
    return std::nullopt;
  }
  if (out.account != kAwsOwner && !api::AccountId::is_valid(out.account)) {
    return std::nullopt;
  }
  const std::vector<std::string_view> parts = split(fields[2], '/');
  if (parts.size() < 2 || parts.size() > 4 || parts[0].empty() || parts[1].empty()) {
    return std::nullopt;
  }
  for (char c : parts[1]) {
    const bool ok = (c >= 'a' && c <= 'z') || is_digit(c) || c == '-' || c == '_';
    if (!ok) {
      return std::nullopt;
    }
  }
  out.type = std::string(parts[0]);
  out.name = std::string(parts[1]);
  if (parts.size() >= 3) {
    out.version = std::string(parts[2]);
    if (!parse_version_filter(out.version)) {
      return std::nullopt;
    }
  }
  if (parts.size() == 4) {
    out.build = std::string(parts[3]);
    if (!parse_node(out.build) || !parse_semantic_version(out.version)) {
      return std::nullopt;
    }
  }
  return out;
}

std::string SemanticVersion::str() const {
  return std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(patch);
}

std::optional<SemanticVersion> parse_semantic_version(std::string_view text) {
  const std::vector<std::string_view> nodes = split(text, '.');
  if (nodes.size() != 3) {
    return std::nullopt;
  }
  SemanticVersion v;
  int64_t* slots[3] = {&v.major, &v.minor, &v.patch};
  for (std::size_t i = 0; i < 3; ++i) {
    const std::optional<int64_t> n = parse_node(nodes[i]);
    if (!n || *n > kVersionNodeMax) {
      return std::nullopt;
    }
    *slots[i] = *n;
  }
  return v;
}

bool VersionFilter::matches(const SemanticVersion& v) const {
  return (!major || *major == v.major) && (!minor || *minor == v.minor)
         && (!patch || *patch == v.patch);
}

std::optional<VersionFilter> parse_version_filter(std::string_view text) {
  const std::vector<std::string_view> nodes = split(text, '.');
  if (nodes.size() != 3) {
    return std::nullopt;
  }
  VersionFilter f;
  std::optional<int64_t>* slots[3] = {&f.major, &f.minor, &f.patch};
  bool wildcard_seen = false;
  for (std::size_t i = 0; i < 3; ++i) {
    if (nodes[i] == "x") {
      wildcard_seen = true;
      continue;
    }
    const std::optional<int64_t> n = parse_node(nodes[i]);
    if (!n || *n > kVersionNodeMax || wildcard_seen) {
      return std::nullopt;
    }
    *slots[i] = *n;
  }
  return f;
}

bool contains_build_date_placeholder(std::string_view name) {
  return find_placeholder(name, "imagebuilder:buildDate", 0).has_value();
}

std::string build_date_text(int64_t unix_ms) {
  std::string text = sim::format_iso8601_ms(unix_ms);
  for (char& c : text) {
    if (c == ':') {
      c = '-';
    }
  }
  return text;
}

std::string expand_ami_name(std::string_view name, int64_t build_unix_ms, int64_t build_number) {
  const std::string with_date =
      replace_all(name, "imagebuilder:buildDate", build_date_text(build_unix_ms));
  return replace_all(with_date, "imagebuilder:buildVersion", std::to_string(build_number));
}

std::string encode_page_token(std::string_view operation, std::string_view last_key) {
  std::string plain(operation);
  plain += '\n';
  plain += last_key;
  std::string out(kPageTokenPrefix);
  for (char c : plain) {
    const auto byte = static_cast<unsigned char>(c);
    out.push_back(kHexDigits[byte >> 4]);
    out.push_back(kHexDigits[byte & 0xF]);
  }
  return out;
}

std::optional<std::string> decode_page_token(std::string_view operation, std::string_view token) {
  if (token.substr(0, kPageTokenPrefix.size()) != kPageTokenPrefix) {
    return std::nullopt;
  }
  const std::string_view hex = token.substr(kPageTokenPrefix.size());
  if (hex.size() % 2 != 0) {
    return std::nullopt;
  }
  std::string plain;
  plain.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const std::size_t hi = kHexDigits.find(hex[i]);
    const std::size_t lo = kHexDigits.find(hex[i + 1]);
    if (hi == std::string_view::npos || lo == std::string_view::npos) {
      return std::nullopt;
    }
    plain.push_back(static_cast<char>((hi << 4) | lo));
  }
  const std::size_t newline = plain.find('\n');
  if (newline == std::string::npos || std::string_view(plain).substr(0, newline) != operation) {
    return std::nullopt;
  }
  return plain.substr(newline + 1);
}

}  // namespace ibsim::mock_aws::imagebuilder
