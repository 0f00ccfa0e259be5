#pragma once
// Image Builder's error codes in one table: the code, its wire name (REST-JSON x-amzn-ErrorType)
// and its HTTP status from the botocore model (aws-facts §1.2) — note 402 for a quota, 412 for a
// dry run, 429 for throttling. imagebuilder_error() is the only way the model builds an error.
//
//   return imagebuilder_error(ErrorCode::kResourceNotFound, "...");

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "sim/base/result.h"

namespace ibsim::mock_aws::imagebuilder {

enum class ErrorCode {
  kAccessDenied,
  kCallRateLimitExceeded,
  kClient,
  kDryRunOperation,
  kForbidden,
  kIdempotentParameterMismatch,
  kInvalidPaginationToken,
  kInvalidParameter,
  kInvalidParameterCombination,
  kInvalidParameterValue,
  kInvalidRequest,
  kInvalidVersionNumber,
  kResourceAlreadyExists,
  kResourceDependency,
  kResourceInUse,
  kResourceNotFound,
  kService,
  kServiceQuotaExceeded,
  kServiceUnavailable,
  kTooManyRequests,
};

struct ErrorInfo {
  ErrorCode code;
  std::string_view wire_name;
  int http_status;
};

inline constexpr std::array<ErrorInfo, 20> kErrorTable = {{
    {ErrorCode::kAccessDenied, "AccessDeniedException", 403},
    {ErrorCode::kCallRateLimitExceeded, "CallRateLimitExceededException", 429},
    {ErrorCode::kClient, "ClientException", 400},
    {ErrorCode::kDryRunOperation, "DryRunOperationException", 412},
    {ErrorCode::kForbidden, "ForbiddenException", 403},
    {ErrorCode::kIdempotentParameterMismatch, "IdempotentParameterMismatchException", 400},
    {ErrorCode::kInvalidPaginationToken, "InvalidPaginationTokenException", 400},
    {ErrorCode::kInvalidParameter, "InvalidParameterException", 400},
    {ErrorCode::kInvalidParameterCombination, "InvalidParameterCombinationException", 400},
    {ErrorCode::kInvalidParameterValue, "InvalidParameterValueException", 400},
    {ErrorCode::kInvalidRequest, "InvalidRequestException", 400},
    {ErrorCode::kInvalidVersionNumber, "InvalidVersionNumberException", 400},
    {ErrorCode::kResourceAlreadyExists, "ResourceAlreadyExistsException", 400},
    {ErrorCode::kResourceDependency, "ResourceDependencyException", 400},
    {ErrorCode::kResourceInUse, "ResourceInUseException", 400},
    {ErrorCode::kResourceNotFound, "ResourceNotFoundException", 404},
    {ErrorCode::kService, "ServiceException", 500},
    {ErrorCode::kServiceQuotaExceeded, "ServiceQuotaExceededException", 402},
    {ErrorCode::kServiceUnavailable, "ServiceUnavailableException", 503},
    {ErrorCode::kTooManyRequests, "TooManyRequestsException", 429},
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

inline sim::AwsError imagebuilder_error(ErrorCode code, std::string message) {
  const ErrorInfo& info = error_info(code);
  return sim::aws_error(std::string(info.wire_name), std::move(message), info.http_status);
}

// AWS's idempotency mismatch text (aws-facts §1.3).
inline constexpr std::string_view kIdempotentMismatchMessage =
    "You have specified a client token for an operation using parameter values that differ from "
    "a previous request that used the same client token.";

}  // namespace ibsim::mock_aws::imagebuilder
