#pragma once
// ASCII text helpers shared by the policy engine: case folding for action names, condition keys and
// the *IgnoreCase operators, and a JSON string quoter for explanations. IAM compares these parts of
// a request ASCII case-insensitively; values outside ASCII are compared byte for byte.
//
//   to_lower_ascii("kms:Decrypt") == "kms:decrypt"

#include <string>
#include <string_view>

namespace ibsim::mock_aws::policy {

constexpr char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

inline std::string to_lower_ascii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    c = ascii_lower(c);
  }
  return out;
}

inline bool iequals_ascii(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) {
      return false;
    }
  }
  return true;
}

// "text" with JSON escapes, for messages that show a value exactly.
std::string quote(std::string_view text);

}  // namespace ibsim::mock_aws::policy
