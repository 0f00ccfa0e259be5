#include "mock_aws/kms/key_policies.h"

#include "mock_aws/api/arn.h"

namespace ibsim::mock_aws::kms {

// The text follows the layout KMS returns from GetKeyPolicy (two-space indentation, " : ").
std::string default_key_policy(const api::AccountId& account) {
  return "{\n"
         "  \"Version\" : \"2012-10-17\",\n"
         "  \"Id\" : \"key-default-1\",\n"
         "  \"Statement\" : [ {\n"
         "    \"Sid\" : \"Enable IAM User Permissions\",\n"
         "    \"Effect\" : \"Allow\",\n"
         "    \"Principal\" : {\n"
         "      \"AWS\" : \""
         + api::root_arn(account)
         + "\"\n"
           "    },\n"
           "    \"Action\" : \"kms:*\",\n"
           "    \"Resource\" : \"*\"\n"
           "  } ]\n"
           "}";
}

// Unconfirmed: AWS documents the behaviour (only the owning account, only through EBS) but not
// the text; this is the policy observed on aws/ebs keys (Id "auto-ebs-2").
std::string aws_managed_ebs_key_policy(const api::AccountId& account, const api::Region& region) {
  const std::string root = api::root_arn(account);
  return "{\n"
         "  \"Version\" : \"2012-10-17\",\n"
         "  \"Id\" : \"auto-ebs-2\",\n"
         "  \"Statement\" : [ {\n"
         "    \"Sid\" : \"Allow access through EBS for all principals in the account that are "
         "authorized to use EBS\",\n"
         "    \"Effect\" : \"Allow\",\n"
         "    \"Principal\" : {\n"
         "      \"AWS\" : \"*\"\n"
         "    },\n"
         "    \"Action\" : [ \"kms:Encrypt\", \"kms:Decrypt\", \"kms:ReEncrypt*\", "
         "\"kms:GenerateDataKey*\", \"kms:CreateGrant\", \"kms:DescribeKey\" ],\n"
         "    \"Resource\" : \"*\",\n"
         "    \"Condition\" : {\n"
         "      \"StringEquals\" : {\n"
         "        \"kms:CallerAccount\" : \""
         + account.str()
         + "\",\n"
           "        \"kms:ViaService\" : \"ec2."
         + region.str()
         + ".amazonaws.com\"\n"
           "      }\n"
           "    }\n"
           "  }, {\n"
           "    \"Sid\" : \"Allow direct access to key metadata to the account\",\n"
           "    \"Effect\" : \"Allow\",\n"
           "    \"Principal\" : {\n"
           "      \"AWS\" : \""
         + root
         + "\"\n"
           "    },\n"
           "    \"Action\" : [ \"kms:Describe*\", \"kms:Get*\", \"kms:List*\", "
           "\"kms:RevokeGrant\" ],\n"
           "    \"Resource\" : \"*\"\n"
           "  } ]\n"
           "}";
}

}  // namespace ibsim::mock_aws::kms
