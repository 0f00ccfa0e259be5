#pragma once
// The AWS managed policies ibsim ships (account "aws", the same in every world), with the documents
// the mission depends on: Ec2ImageBuilderCrossAccountDistributionAccess (MP-XACCT),
// AWSServiceRoleForImageBuilder (the service-linked role's policy as aws-facts §2.1 summarises it),
// EC2InstanceProfileForImageBuilder, AdministratorAccess and a ReadOnlyAccess subset. Also the
// names of the Image Builder service-linked role every account has.
//
//   for (const AwsManagedPolicyDefinition& d : aws_managed_policies()) { ... }

#include <span>
#include <string_view>

namespace ibsim::mock_aws::iam {

struct AwsManagedPolicyDefinition {
  std::string_view name;
  std::string_view path;  // "/", "/service-role/" or "/aws-service-role/".
  std::string_view description;
  std::string_view document;
};

std::span<const AwsManagedPolicyDefinition> aws_managed_policies();

// The service-linked role AWS creates for Image Builder (IB-SLR).
inline constexpr std::string_view kImageBuilderSlrName = "AWSServiceRoleForImageBuilder";
inline constexpr std::string_view kImageBuilderSlrPath =
    "/aws-service-role/imagebuilder.amazonaws.com/";
inline constexpr std::string_view kImageBuilderServicePrincipal = "imagebuilder.amazonaws.com";
inline constexpr std::string_view kImageBuilderSlrPolicyArn =
    "arn:aws:iam::aws:policy/aws-service-role/AWSServiceRoleForImageBuilder";
inline constexpr std::string_view kCrossAccountDistributionPolicyArn =
    "arn:aws:iam::aws:policy/Ec2ImageBuilderCrossAccountDistributionAccess";
inline constexpr std::string_view kCrossAccountDistributionRoleName =
    "EC2ImageBuilderDistributionCrossAccountRole";

}  // namespace ibsim::mock_aws::iam
