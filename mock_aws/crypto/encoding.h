#pragma once
// Byte encodings used on the wire: lower-case hex (SigV4 hashes and signatures), standard base64
// with padding (KMS blobs in JSON), and RFC 3986 percent-encoding (SigV4 canonical requests,
// query strings, IAM's URL-encoded policy documents). Decoders are strict and return nullopt on
// malformed input instead of guessing.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ibsim::mock_aws::crypto {

using Bytes = std::vector<uint8_t>;

std::string hex_encode(std::span<const uint8_t> data);
std::optional<Bytes> hex_decode(std::string_view text);

std::string base64_encode(std::span<const uint8_t> data);
std::string base64_encode(std::string_view data);
// Standard alphabet, padding required, no whitespace.
std::optional<Bytes> base64_decode(std::string_view text);
// URL-safe alphabet without padding (EC2's encoded authorization messages).
std::string base64url_encode(std::span<const uint8_t> data);
std::optional<Bytes> base64url_decode(std::string_view text);

// RFC 3986: unreserved characters (A-Z a-z 0-9 - . _ ~) stay, everything else becomes %XX with
// upper-case hex. With keep_slash, '/' also stays (SigV4 canonical URI).
std::string percent_encode(std::string_view text, bool keep_slash = false);
// Decodes %XX; with plus_as_space, '+' becomes ' ' (application/x-www-form-urlencoded).
// nullopt on a truncated or non-hex escape.
std::optional<std::string> percent_decode(std::string_view text, bool plus_as_space = false);

inline std::span<const uint8_t> as_bytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

inline std::string_view as_chars(std::span<const uint8_t> b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

}  // namespace ibsim::mock_aws::crypto
