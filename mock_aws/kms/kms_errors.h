#pragma once
// KMS's error codes in one table: the code, its wire name (the JSON 1.1 "__type") and its HTTP
// status. Every KMS client error is 400, AccessDeniedException included (aws-facts §4.1); KMS's
// internal faults are 500. kms_error() is the only way the model builds an error, so a code
// can never be misspelt.
//
//   return kms_error(ErrorCode::kDisabled, key.arn + " is disabled.");

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "sim/base/result.h"

namespace ibsim::mock_aws::kms {

enum class ErrorCode {
  kAccessDenied,
  kAlreadyExists,
  kDisabled,
  kDryRunOperation,
  kIncorrectKey,
  kInvalidAliasName,
  kInvalidArn,
  kInvalidCiphertext,
  kInvalidGrantId,
  kInvalidGrantToken,
  kInvalidKeyUsage,
  kInvalidMarker,
  kInvalidState,
  kLimitExceeded,
  kMalformedPolicyDocument,
  kNotAuthorized,
  kNotFound,
  kTag,
  kUnsupportedOperation,
  kValidation,
  kInternal,
};

struct ErrorInfo {
  ErrorCode code;
  std::string_view wire_name;
  int http_status;
};

inline constexpr std::array<ErrorInfo, 21> kErrorTable = {{
    {ErrorCode::kAccessDenied, "AccessDeniedException", 400},
    {ErrorCode::kAlreadyExists, "AlreadyExistsException", 400},
    {ErrorCode::kDisabled, "DisabledException", 400},
    {ErrorCode::kDryRunOperation, "DryRunOperationException", 400},
    {ErrorCode::kIncorrectKey, "IncorrectKeyException", 400},
    {ErrorCode::kInvalidAliasName, "InvalidAliasNameException", 400},
    {ErrorCode::kInvalidArn, "InvalidArnException", 400},
    {ErrorCode::kInvalidCiphertext, "InvalidCiphertextException", 400},
    {ErrorCode::kInvalidGrantId, "InvalidGrantIdException", 400},
    {ErrorCode::kInvalidGrantToken, "InvalidGrantTokenException", 400},
    {ErrorCode::kInvalidKeyUsage, "InvalidKeyUsageException", 400},
    {ErrorCode::kInvalidMarker, "InvalidMarkerException", 400},
    {ErrorCode::kInvalidState, "KMSInvalidStateException", 400},
    {ErrorCode::kLimitExceeded, "LimitExceededException", 400},
    {ErrorCode::kMalformedPolicyDocument, "MalformedPolicyDocumentException", 400},
    // Unconfirmed: AWS's answer to an alias under the reserved alias/aws/ prefix; this is the
    // code other KMS emulators report and it is not in the botocore model.
    {ErrorCode::kNotAuthorized, "NotAuthorizedException", 400},
    {ErrorCode::kNotFound, "NotFoundException", 400},
    {ErrorCode::kTag, "TagException", 400},
    {ErrorCode::kUnsupportedOperation, "UnsupportedOperationException", 400},
    {ErrorCode::kValidation, "ValidationException", 400},
    {ErrorCode::kInternal, "KMSInternalException", 500},
}};

constexpr bool error_table_matches_enum() {
  for (std::size_t i = 0; i < kErrorTable.size(); ++i) {
    if (static_cast<std::size_t>(kErrorTable[i].code) != i) {
      return false;
    }
  }
  return true;
}

static_assert(error_table_matches_enum(), "kErrorTable lists the codes in enum order");

constexpr const ErrorInfo& error_info(ErrorCode code) {
  return kErrorTable[static_cast<std::size_t>(code)];
}

inline sim::AwsError kms_error(ErrorCode code, std::string message) {
  const ErrorInfo& info = error_info(code);
  return sim::aws_error(std::string(info.wire_name), std::move(message), info.http_status);
}

}  // namespace ibsim::mock_aws::kms
