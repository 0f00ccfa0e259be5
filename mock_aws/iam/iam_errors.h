#pragma once
// IAM's error table: code, AWS wire name and HTTP status (botocore iam exceptions, aws-facts §5.6),
// and iam_error() to build one. Messages are AWS's where known and are written at the call site.
//
//   return iam_error(ErrorCode::kNoSuchEntity, "The role with name " + name + " cannot be found.");

#include <string>
#include <string_view>

#include "sim/base/result.h"

namespace ibsim::mock_aws::iam {

enum class ErrorCode {
  kNoSuchEntity,             // 404
  kEntityAlreadyExists,      // 409
  kMalformedPolicyDocument,  // 400
  kLimitExceeded,            // 409
  kDeleteConflict,           // 409
  kInvalidInput,             // 400
  kUnmodifiableEntity,       // 400
  kPolicyNotAttachable,      // 400
  kValidationError,          // 400: a member breaks its shape (pattern, length, range)
  kAccessDenied,             // 403
  kInvalidClientTokenId,     // 403: the caller's account is not part of the world
};

struct ErrorInfo {
  ErrorCode code;
  std::string_view wire_name;
  int http_status;
};

inline constexpr ErrorInfo kErrorTable[] = {
    {ErrorCode::kNoSuchEntity, "NoSuchEntity", 404},
    {ErrorCode::kEntityAlreadyExists, "EntityAlreadyExists", 409},
    {ErrorCode::kMalformedPolicyDocument, "MalformedPolicyDocument", 400},
    {ErrorCode::kLimitExceeded, "LimitExceeded", 409},
    {ErrorCode::kDeleteConflict, "DeleteConflict", 409},
    {ErrorCode::kInvalidInput, "InvalidInput", 400},
    {ErrorCode::kUnmodifiableEntity, "UnmodifiableEntity", 400},
    {ErrorCode::kPolicyNotAttachable, "PolicyNotAttachable", 400},
    {ErrorCode::kValidationError, "ValidationError", 400},
    {ErrorCode::kAccessDenied, "AccessDenied", 403},
    {ErrorCode::kInvalidClientTokenId, "InvalidClientTokenId", 403},
};

constexpr const ErrorInfo& error_info(ErrorCode code) {
  for (const ErrorInfo& e : kErrorTable) {
    if (e.code == code) {
      return e;
    }
  }
  return kErrorTable[0];
}

inline sim::AwsError iam_error(ErrorCode code, std::string message) {
  const ErrorInfo& info = error_info(code);
  return sim::aws_error(std::string(info.wire_name), std::move(message), info.http_status);
}

}  // namespace ibsim::mock_aws::iam
