#pragma once
// The key policies KMS writes itself: the default policy of a key created without one (the
// account-root statement that delegates to IAM, KMS-DEFPOL) and the policy of the AWS managed
// key alias/aws/ebs (only principals of its own account, only through EC2 in its region).

#include <string>

#include "mock_aws/api/ids.h"

namespace ibsim::mock_aws::kms {

std::string default_key_policy(const api::AccountId& account);

std::string aws_managed_ebs_key_policy(const api::AccountId& account, const api::Region& region);

}  // namespace ibsim::mock_aws::kms
