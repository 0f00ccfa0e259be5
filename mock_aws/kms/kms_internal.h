#pragma once
// Internal to mock_aws/kms: the grant operation table, AWS's validation-message form, and the
// small text checks the model's operations share. Not part of the module's public API.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock_aws/kms/kms_errors.h"
#include "sim/base/result.h"

namespace ibsim::mock_aws::kms::internal {

// Grant operations (botocore model kms/GrantOperation) as bits, with what each needs.
struct GrantOperationInfo {
  std::string_view name;
  uint32_t bit = 0;
  bool symmetric = false;     // Usable with a symmetric encryption key.
  bool uses_context = false;  // Takes an encryption context, so grant constraints apply.
};

inline constexpr uint32_t kOpDecrypt = 1u << 0;
inline constexpr uint32_t kOpEncrypt = 1u << 1;
inline constexpr uint32_t kOpGenerateDataKey = 1u << 2;
inline constexpr uint32_t kOpGenerateDataKeyWithoutPlaintext = 1u << 3;
inline constexpr uint32_t kOpReEncryptFrom = 1u << 4;
inline constexpr uint32_t kOpReEncryptTo = 1u << 5;
inline constexpr uint32_t kOpSign = 1u << 6;
inline constexpr uint32_t kOpVerify = 1u << 7;
inline constexpr uint32_t kOpGetPublicKey = 1u << 8;
inline constexpr uint32_t kOpCreateGrant = 1u << 9;
inline constexpr uint32_t kOpRetireGrant = 1u << 10;
inline constexpr uint32_t kOpDescribeKey = 1u << 11;
inline constexpr uint32_t kOpGenerateDataKeyPair = 1u << 12;
inline constexpr uint32_t kOpGenerateDataKeyPairWithoutPlaintext = 1u << 13;
inline constexpr uint32_t kOpGenerateMac = 1u << 14;
inline constexpr uint32_t kOpVerifyMac = 1u << 15;
inline constexpr uint32_t kOpDeriveSharedSecret = 1u << 16;

inline constexpr std::array<GrantOperationInfo, 17> kGrantOperations = {{
    {"Decrypt", kOpDecrypt, true, true},
    {"Encrypt", kOpEncrypt, true, true},
    {"GenerateDataKey", kOpGenerateDataKey, true, true},
    {"GenerateDataKeyWithoutPlaintext", kOpGenerateDataKeyWithoutPlaintext, true, true},
    {"ReEncryptFrom", kOpReEncryptFrom, true, true},
    {"ReEncryptTo", kOpReEncryptTo, true, true},
    {"Sign", kOpSign, false, false},
    {"Verify", kOpVerify, false, false},
    {"GetPublicKey", kOpGetPublicKey, false, false},
    {"CreateGrant", kOpCreateGrant, true, false},
    {"RetireGrant", kOpRetireGrant, true, false},
    {"DescribeKey", kOpDescribeKey, true, false},
    {"GenerateDataKeyPair", kOpGenerateDataKeyPair, true, true},
    {"GenerateDataKeyPairWithoutPlaintext", kOpGenerateDataKeyPairWithoutPlaintext, true, true},
    {"GenerateMac", kOpGenerateMac, false, false},
    {"VerifyMac", kOpVerifyMac, false, false},
    {"DeriveSharedSecret", kOpDeriveSharedSecret, false, false},
}};

inline std::optional<GrantOperationInfo> find_grant_operation(std::string_view name) {
  for (const GrantOperationInfo& op : kGrantOperations) {
    if (op.name == name) {
      return op;
    }
  }
  return std::nullopt;
}

inline bool operation_uses_context(uint32_t bit) {
  for (const GrantOperationInfo& op : kGrantOperations) {
    if (op.bit == bit) {
      return op.uses_context;
    }
  }
  return false;
}

// "1 validation error detected: Value 'x' at 'member' failed to satisfy constraint: Member must
// ..." — the form KMS (and mock_aws/protocol's validation) uses for shape constraints.
inline sim::AwsError validation_error(std::string_view member,
                                      std::string_view value,
                                      std::string_view constraint) {
  return kms_error(ErrorCode::kValidation,
                   "1 validation error detected: Value '" + std::string(value) + "' at '"
                       + std::string(member) + "' failed to satisfy constraint: Member must "
                       + std::string(constraint));
}

// The same for sensitive members (plaintext), whose value is never echoed.
inline sim::AwsError validation_error_sensitive(std::string_view member,
                                                std::string_view constraint) {
  return kms_error(ErrorCode::kValidation,
                   "1 validation error detected: Value at '" + std::string(member)
                       + "' failed to satisfy constraint: Member must " + std::string(constraint));
}

inline bool is_lower_hex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

// 8-4-4-4-12 lower-case hex digits: the form of every key id KMS issues.
inline bool is_key_uuid(std::string_view id) {
  if (id.size() != 36) {
    return false;
  }
  for (std::size_t i = 0; i < id.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? id[i] != '-' : !is_lower_hex(id[i])) {
      return false;
    }
  }
  return true;
}

inline constexpr std::size_t kGrantIdHexDigits = 64;
inline constexpr std::size_t kGrantTokensMax = 10;        // GrantTokens per request.
inline constexpr std::size_t kGrantTokenCharsMax = 8192;  // Characters per grant token.

// GrantTokens as a request carries them. Grants are effective at once in ibsim, so tokens only
// need to be well formed.
inline sim::Status check_grant_tokens(const std::vector<std::string>& tokens) {
  if (tokens.size() > kGrantTokensMax) {
    return validation_error("grantTokens",
                            "[...]",
                            "have length less than or equal to " + std::to_string(kGrantTokensMax));
  }
  for (const std::string& t : tokens) {
    if (t.empty() || t.size() > kGrantTokenCharsMax) {
      // Unconfirmed: KMS validates the token's form; ibsim checks only its length.
      return kms_error(ErrorCode::kInvalidGrantToken, "Invalid grant token.");
    }
  }
  return {};
}

inline bool is_grant_id(std::string_view id) {
  if (id.size() != kGrantIdHexDigits) {
    return false;
  }
  for (char c : id) {
    if (!is_lower_hex(c)) {
      return false;
    }
  }
  return true;
}

// Every character in [a-zA-Z0-9] or in `extra`.
inline bool only_chars(std::string_view text, std::string_view extra) {
  for (char c : text) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && extra.find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

inline char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

inline bool iequals(std::string_view a, std::string_view b) {
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

}  // namespace ibsim::mock_aws::kms::internal
