#pragma once
// STS's error table: code, AWS wire name and HTTP status (botocore sts exceptions, aws-facts §5.3,
// §6.2) and sts_error() to build one. Messages are written at the call site.
//
//   return sts_error(ErrorCode::kAccessDenied, "User: ... is not authorized to perform: ...");

#include <string>
#include <string_view>

#include "sim/base/result.h"

namespace ibsim::mock_aws::sts {

enum class ErrorCode {
  kAccessDenied,                 // 403
  kValidationError,              // 400
  kMalformedPolicyDocument,      // 400
  kPackedPolicyTooLarge,         // 400
  kInvalidAuthorizationMessage,  // 400
  kInvalidClientTokenId,         // 403: an access key nobody issued
  kExpiredToken,                 // 400: a session past its expiration
  kLimitExceeded,                // 409: unused since the session store evicts when full
};

struct ErrorInfo {
  ErrorCode code;
  std::string_view wire_name;
  int http_status;
};

inline constexpr ErrorInfo kErrorTable[] = {
    {ErrorCode::kAccessDenied, "AccessDenied", 403},
    {ErrorCode::kValidationError, "ValidationError", 400},
    {ErrorCode::kMalformedPolicyDocument, "MalformedPolicyDocument", 400},
    {ErrorCode::kPackedPolicyTooLarge, "PackedPolicyTooLarge", 400},
    {ErrorCode::kInvalidAuthorizationMessage, "InvalidAuthorizationMessageException", 400},
    {ErrorCode::kInvalidClientTokenId, "InvalidClientTokenId", 403},
    {ErrorCode::kExpiredToken, "ExpiredToken", 400},
    {ErrorCode::kLimitExceeded, "LimitExceeded", 409},
};

constexpr const ErrorInfo& error_info(ErrorCode code) {
  for (const ErrorInfo& e : kErrorTable) {
    if (e.code == code) {
      return e;
    }
  }
  return kErrorTable[0];
}

inline sim::AwsError sts_error(ErrorCode code, std::string message) {
  const ErrorInfo& info = error_info(code);
  return sim::aws_error(std::string(info.wire_name), std::move(message), info.http_status);
}

}  // namespace ibsim::mock_aws::sts
