#pragma once
// The texts the engine reports, in AWS's shapes (aws-facts §1.7): one line per failed
// distribution job, the wrapper Image Builder puts around them, the build failure reasons, and
// ibsim's structured explanation of a failed job (JSON: the step, the AWS error, the denial
// explanation the service attached, and the fix).
//
//   "Distribution failed with JobId 'j', status = 'Failed' for ARN 'arn'. 'Not all distribution
//    jobs are completed. 1) EC2 Client Error: 'm' when distributing the image from the source
//    account (ID: 1) to the destination account (ID: 2) in Region us-east-1.'"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mock_aws/api/ids.h"
#include "sim/base/result.h"

namespace ibsim::engine {

struct JobFailureLine {
  enum class Kind : uint8_t {
    kClientError,   // "<Service> Client Error: '<message>'"
    kServiceError,  // "<Service> Service Error: '<message>'" (5xx or transport, retries exhausted)
    kCopyFailed,    // "AMI Copy Reported Failure For <ami>"
    kTimedOut,      // "Distribution job timed out after <n> minutes"
  };
  Kind kind = Kind::kClientError;
  std::string service;  // "EC2", "STS", "SSM", "IAM"
  std::string message;  // The AWS message (client/service errors).
  std::string ami_id;   // kCopyFailed.
  int64_t timeout_minutes = 0;
  mock_aws::api::AccountId source_account;
  mock_aws::api::AccountId destination_account;
  mock_aws::api::Region region;
};

// "<what> when distributing the image from the source account (ID: s) to the destination account
// (ID: d) in Region r."
std::string format_job_line(const JobFailureLine& line);

// "Distribution failed with JobId '<id>', status = 'Failed' for ARN '<arn>'. 'Not all distribution
// jobs are completed. 1) ... 2) ...'"
std::string format_distribution_reason(std::string_view job_id,
                                       std::string_view image_arn,
                                       const std::vector<std::string>& job_lines);

// Build reasons. The null-profile text is AWS's (aws-facts §1.7, CLI-IB); the others follow it.
std::string build_reason_null_instance_profile(std::string_view image_arn);
std::string build_reason_invalid_instance_profile(std::string_view image_arn,
                                                  std::string_view profile_name);
std::string build_reason_launch(std::string_view image_arn,
                                std::string_view service,
                                const sim::AwsError& error);
std::string build_reason_image(std::string_view image_arn, std::string_view what);
std::string build_reason_timed_out(std::string_view image_arn, int64_t minutes);

// Client vs service error prefix for a failed call: 5xx and transport failures are the service's.
JobFailureLine::Kind line_kind_for(const sim::AwsError& error);

struct ExplanationInput {
  std::string_view step;                 // "CopyImage", "AssumeRole", ...
  std::string_view service;              // "EC2", "STS", ...
  const sim::AwsError* error = nullptr;  // The call's error, or the copy's recorded cause.
  std::string_view aws_message;          // What the image's reason says for this job.
  mock_aws::api::AccountId source_account;
  mock_aws::api::AccountId account;  // The account the step acted in.
  mock_aws::api::Region region;
  std::string_view acting_as;  // The role the engine acted as (ARN).
  std::string_view resource;   // The AMI, snapshot, role or template concerned.
};

// ibsim's explanation as JSON text: step, service, account, region, actingAs, resource, error
// {code, message, httpStatus}, denial (the service's own explanation JSON, embedded), fix.
std::string job_explanation(const ExplanationInput& in);

// The fix the engine suggests for a failed step (empty when it has nothing specific to say).
std::string fix_for(const ExplanationInput& in);

}  // namespace ibsim::engine
