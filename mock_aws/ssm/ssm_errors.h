#pragma once
// SSM Parameter Store's error codes in one table: the code, its wire name (JSON 1.1 "__type") and
// HTTP status. SSM's client errors are all 400, its internal error 500. ssm_error() is the only
// way the model builds an error.
//
//   return ssm_error(ErrorCode::kParameterNotFound, "...");

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "sim/base/result.h"

namespace ibsim::mock_aws::ssm {

enum class ErrorCode {
  kAccessDenied,
  kHierarchyLevelLimitExceeded,
  kInvalidAllowedPattern,
  kInvalidKeyId,
  kParameterAlreadyExists,
  kParameterLimitExceeded,
  kParameterNotFound,
  kParameterPatternMismatch,
  kParameterVersionNotFound,
  kUnsupportedParameterType,
  kValidation,
  kInternalServerError,
};

struct ErrorInfo {
  ErrorCode code;
  std::string_view wire_name;
  int http_status;
};

inline constexpr std::array<ErrorInfo, 12> kErrorTable = {{
    {ErrorCode::kAccessDenied, "AccessDeniedException", 400},
    {ErrorCode::kHierarchyLevelLimitExceeded, "HierarchyLevelLimitExceededException", 400},
    {ErrorCode::kInvalidAllowedPattern, "InvalidAllowedPatternException", 400},
    {ErrorCode::kInvalidKeyId, "InvalidKeyId", 400},
    {ErrorCode::kParameterAlreadyExists, "ParameterAlreadyExists", 400},
    {ErrorCode::kParameterLimitExceeded, "ParameterLimitExceeded", 400},
    {ErrorCode::kParameterNotFound, "ParameterNotFound", 400},
    {ErrorCode::kParameterPatternMismatch, "ParameterPatternMismatchException", 400},
    {ErrorCode::kParameterVersionNotFound, "ParameterVersionNotFound", 400},
    {ErrorCode::kUnsupportedParameterType, "UnsupportedParameterType", 400},
    {ErrorCode::kValidation, "ValidationException", 400},
    {ErrorCode::kInternalServerError, "InternalServerError", 500},
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

inline sim::AwsError ssm_error(ErrorCode code, std::string message) {
  const ErrorInfo& info = error_info(code);
  return sim::aws_error(std::string(info.wire_name), std::move(message), info.http_status);
}

}  // namespace ibsim::mock_aws::ssm
