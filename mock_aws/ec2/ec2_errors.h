#pragma once
// The EC2 error codes ibsim returns: one table of (code, AWS wire name, HTTP status), and
// ec2_error() to build the AwsError. Wire names keep AWS's spelling ("InvalidAMIID.NotFound",
// "InvalidLaunchTemplateName.NotFoundException"); statuses follow aws-facts §3.1 (client errors
// 400, UnauthorizedOperation 403, AuthFailure 401, RequestLimitExceeded 503).
//
//   return ec2_error(ErrorCode::kInvalidAmiIdNotFound, "The image id '[ami-1]' does not exist");

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/base/result.h"

namespace ibsim::mock_aws::ec2 {

enum class ErrorCode : uint8_t {
  kAuthFailure,
  kDryRunOperation,
  kIdempotentParameterMismatch,
  kIncorrectInstanceState,
  kIncorrectState,
  kInvalidAmiAttributeItemValue,
  kInvalidAmiIdMalformed,
  kInvalidAmiIdNotFound,
  kInvalidAmiIdUnavailable,
  kInvalidAmiNameDuplicate,
  kInvalidAmiNameMalformed,
  kInvalidId,
  kInvalidInstanceIdMalformed,
  kInvalidInstanceIdNotFound,
  kInvalidLaunchTemplateIdMalformed,
  kInvalidLaunchTemplateIdNotFound,
  kInvalidLaunchTemplateIdVersionNotFound,
  kInvalidLaunchTemplateNameAlreadyExists,
  kInvalidLaunchTemplateNameMalformed,
  kInvalidLaunchTemplateNameNotFound,
  kInvalidParameter,
  kInvalidParameterCombination,
  kInvalidParameterDependency,
  kInvalidParameterValue,
  kInvalidRequest,
  kInvalidSnapshotIdMalformed,
  kInvalidSnapshotInUse,
  kInvalidSnapshotNotFound,
  kInvalidTagKeyMalformed,
  kLaunchTemplateLimitExceeded,
  kMissingParameter,
  kOperationNotPermitted,
  kRequestLimitExceeded,
  kResourceLimitExceeded,
  kTagLimitExceeded,
  kUnauthorizedOperation,
  kUnsupportedOperation,
};

struct ErrorInfo {
  ErrorCode code;
  std::string_view wire_name;
  int http_status;
};

// Indexed by ErrorCode; the static_assert below keeps the order in step with the enum.
inline constexpr std::array kErrorTable = {
    ErrorInfo{ErrorCode::kAuthFailure, "AuthFailure", 401},
    // Unconfirmed: DryRunOperation answers HTTP 412 (SDKs key on the code, not the status).
    ErrorInfo{ErrorCode::kDryRunOperation, "DryRunOperation", 412},
    ErrorInfo{ErrorCode::kIdempotentParameterMismatch, "IdempotentParameterMismatch", 400},
    ErrorInfo{ErrorCode::kIncorrectInstanceState, "IncorrectInstanceState", 400},
    ErrorInfo{ErrorCode::kIncorrectState, "IncorrectState", 400},
    ErrorInfo{ErrorCode::kInvalidAmiAttributeItemValue, "InvalidAMIAttributeItemValue", 400},
    ErrorInfo{ErrorCode::kInvalidAmiIdMalformed, "InvalidAMIID.Malformed", 400},
    ErrorInfo{ErrorCode::kInvalidAmiIdNotFound, "InvalidAMIID.NotFound", 400},
    ErrorInfo{ErrorCode::kInvalidAmiIdUnavailable, "InvalidAMIID.Unavailable", 400},
    ErrorInfo{ErrorCode::kInvalidAmiNameDuplicate, "InvalidAMIName.Duplicate", 400},
    ErrorInfo{ErrorCode::kInvalidAmiNameMalformed, "InvalidAMIName.Malformed", 400},
    ErrorInfo{ErrorCode::kInvalidId, "InvalidID", 400},
    ErrorInfo{ErrorCode::kInvalidInstanceIdMalformed, "InvalidInstanceID.Malformed", 400},
    ErrorInfo{ErrorCode::kInvalidInstanceIdNotFound, "InvalidInstanceID.NotFound", 400},
    ErrorInfo{
        ErrorCode::kInvalidLaunchTemplateIdMalformed, "InvalidLaunchTemplateId.Malformed", 400},
    ErrorInfo{ErrorCode::kInvalidLaunchTemplateIdNotFound, "InvalidLaunchTemplateId.NotFound", 400},
    ErrorInfo{ErrorCode::kInvalidLaunchTemplateIdVersionNotFound,
              "InvalidLaunchTemplateId.VersionNotFound",
              400},
    ErrorInfo{ErrorCode::kInvalidLaunchTemplateNameAlreadyExists,
              "InvalidLaunchTemplateName.AlreadyExistsException",
              400},
    ErrorInfo{
        ErrorCode::kInvalidLaunchTemplateNameMalformed, "InvalidLaunchTemplateName.Malformed", 400},
    ErrorInfo{ErrorCode::kInvalidLaunchTemplateNameNotFound,
              "InvalidLaunchTemplateName.NotFoundException",
              400},
    ErrorInfo{ErrorCode::kInvalidParameter, "InvalidParameter", 400},
    ErrorInfo{ErrorCode::kInvalidParameterCombination, "InvalidParameterCombination", 400},
    ErrorInfo{ErrorCode::kInvalidParameterDependency, "InvalidParameterDependency", 400},
    ErrorInfo{ErrorCode::kInvalidParameterValue, "InvalidParameterValue", 400},
    ErrorInfo{ErrorCode::kInvalidRequest, "InvalidRequest", 400},
    ErrorInfo{ErrorCode::kInvalidSnapshotIdMalformed, "InvalidSnapshotID.Malformed", 400},
    ErrorInfo{ErrorCode::kInvalidSnapshotInUse, "InvalidSnapshot.InUse", 400},
    ErrorInfo{ErrorCode::kInvalidSnapshotNotFound, "InvalidSnapshot.NotFound", 400},
    ErrorInfo{ErrorCode::kInvalidTagKeyMalformed, "InvalidTagKey.Malformed", 400},
    ErrorInfo{ErrorCode::kLaunchTemplateLimitExceeded, "LaunchTemplateLimitExceeded", 400},
    ErrorInfo{ErrorCode::kMissingParameter, "MissingParameter", 400},
    ErrorInfo{ErrorCode::kOperationNotPermitted, "OperationNotPermitted", 400},
    ErrorInfo{ErrorCode::kRequestLimitExceeded, "RequestLimitExceeded", 503},
    ErrorInfo{ErrorCode::kResourceLimitExceeded, "ResourceLimitExceeded", 400},
    ErrorInfo{ErrorCode::kTagLimitExceeded, "TagLimitExceeded", 400},
    ErrorInfo{ErrorCode::kUnauthorizedOperation, "UnauthorizedOperation", 403},
    ErrorInfo{ErrorCode::kUnsupportedOperation, "UnsupportedOperation", 400},
};

namespace internal {

constexpr bool error_table_in_enum_order() {
  for (std::size_t i = 0; i < kErrorTable.size(); ++i) {
    if (static_cast<std::size_t>(kErrorTable[i].code) != i) {
      return false;
    }
  }
  return true;
}

}  // namespace internal

static_assert(internal::error_table_in_enum_order(), "kErrorTable rows follow ErrorCode order");
static_assert(kErrorTable.size() == static_cast<std::size_t>(ErrorCode::kUnsupportedOperation) + 1,
              "every ErrorCode has a row");

constexpr const ErrorInfo& error_info(ErrorCode code) {
  return kErrorTable[static_cast<std::size_t>(code)];
}

constexpr std::string_view wire_name(ErrorCode code) {
  return error_info(code).wire_name;
}

inline sim::AwsError ec2_error(ErrorCode code, std::string message) {
  const ErrorInfo& info = error_info(code);
  return sim::aws_error(std::string(info.wire_name), std::move(message), info.http_status);
}

// The texts AWS uses for the few errors whose wording is fixed (aws-facts §3).
inline constexpr std::string_view kUnauthorizedMessage =
    "You are not authorized to perform this operation.";
inline constexpr std::string_view kDryRunMessage =
    "Request would have succeeded, but DryRun flag is set.";
inline constexpr std::string_view kRequestLimitMessage = "Request limit exceeded.";
inline constexpr std::string_view kStorageAccessMessage =
    "You do not have permission to access the storage of this ami";
// Note the typographic apostrophe (U+2019), as AWS writes it (aws-facts §1.7, KC-IBKMS).
inline constexpr std::string_view kAwsManagedKeyShareMessage =
    "Snapshots encrypted with the AWS Managed CMK can\u2019t be shared. Specify another snapshot.";

}  // namespace ibsim::mock_aws::ec2
