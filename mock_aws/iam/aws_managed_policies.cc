#include "mock_aws/iam/aws_managed_policies.h"

namespace ibsim::mock_aws::iam {
namespace {

// MP-XACCT, version v1: exactly these two statements (aws-facts §2.1).
constexpr std::string_view kCrossAccountDistribution = R"({
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "ec2:CreateTags",
      "Resource": "arn:aws:ec2:*::image/*"
    },
    {
      "Effect": "Allow",
      "Action": ["ec2:DescribeImages", "ec2:CopyImage", "ec2:ModifyImageAttribute"],
      "Resource": "*"
    }
  ]
})";

// Unconfirmed: the distribution-relevant part of the service-linked role's policy as aws-facts §2.1
// summarises IB-MANPOL, plus the build-time statements the engine's build exercises (checking the
// instance profile, launching and tagging the build instance, terminating it), shaped after AWS's
// published policy; AWS's current version has more (SSM, License Manager, Fast Launch).
constexpr std::string_view kImageBuilderServiceRole = R"({
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "Ec2Unconditional",
      "Effect": "Allow",
      "Action": [
        "ec2:CopyImage",
        "ec2:CreateImage",
        "ec2:CreateLaunchTemplate",
        "ec2:DeregisterImage",
        "ec2:DescribeImages",
        "ec2:DescribeSnapshots",
        "ec2:DescribeTags",
        "ec2:ModifyImageAttribute",
        "ec2:DescribeInstances",
        "ec2:DescribeInstanceStatus",
        "ec2:DescribeInstanceTypes",
        "ec2:DescribeInstanceTypeOfferings",
        "ec2:DescribeImportImageTasks",
        "ec2:DescribeExportImageTasks"
      ],
      "Resource": "*"
    },
    {
      "Sid": "SnapshotSharingOnlyForImageBuilderSnapshots",
      "Effect": "Allow",
      "Action": "ec2:ModifySnapshotAttribute",
      "Resource": "arn:aws:ec2:*::snapshot/*",
      "Condition": {"StringEquals": {"ec2:ResourceTag/CreatedBy": "EC2 Image Builder"}}
    },
    {
      "Sid": "TagImages",
      "Effect": "Allow",
      "Action": "ec2:CreateTags",
      "Resource": "arn:aws:ec2:*::image/*"
    },
    {
      "Sid": "TagSnapshotsAndLaunchTemplatesOnCreate",
      "Effect": "Allow",
      "Action": "ec2:CreateTags",
      "Resource": ["arn:aws:ec2:*::snapshot/*", "arn:aws:ec2:*:*:launch-template/*"],
      "Condition": {
        "StringEquals": {"aws:RequestTag/CreatedBy": ["EC2 Image Builder", "EC2 Fast Launch"]}
      }
    },
    {
      "Sid": "LaunchTemplates",
      "Effect": "Allow",
      "Action": [
        "ec2:CreateLaunchTemplateVersion",
        "ec2:DescribeLaunchTemplates",
        "ec2:DescribeLaunchTemplateVersions",
        "ec2:ModifyLaunchTemplate"
      ],
      "Resource": "*"
    },
    {
      "Sid": "AssumeCrossAccountDistributionRole",
      "Effect": "Allow",
      "Action": "sts:AssumeRole",
      "Resource": "arn:aws:iam::*:role/EC2ImageBuilderDistributionCrossAccountRole"
    },
    {
      "Sid": "BuildInstanceProfile",
      "Effect": "Allow",
      "Action": "iam:GetInstanceProfile",
      "Resource": "*"
    },
    {
      "Sid": "BuildLaunchFrom",
      "Effect": "Allow",
      "Action": "ec2:RunInstances",
      "Resource": [
        "arn:aws:ec2:*::image/*",
        "arn:aws:ec2:*::snapshot/*",
        "arn:aws:ec2:*:*:subnet/*",
        "arn:aws:ec2:*:*:network-interface/*",
        "arn:aws:ec2:*:*:security-group/*",
        "arn:aws:ec2:*:*:key-pair/*",
        "arn:aws:ec2:*:*:launch-template/*"
      ]
    },
    {
      "Sid": "BuildLaunchTaggedInstances",
      "Effect": "Allow",
      "Action": "ec2:RunInstances",
      "Resource": ["arn:aws:ec2:*:*:volume/*", "arn:aws:ec2:*:*:instance/*"],
      "Condition": {
        "StringEquals": {"aws:RequestTag/CreatedBy": ["EC2 Image Builder", "EC2 Fast Launch"]}
      }
    },
    {
      "Sid": "BuildTagInstancesOnLaunch",
      "Effect": "Allow",
      "Action": "ec2:CreateTags",
      "Resource": ["arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:*:*:volume/*"],
      "Condition": {
        "StringEquals": {
          "ec2:CreateAction": "RunInstances",
          "aws:RequestTag/CreatedBy": ["EC2 Image Builder", "EC2 Fast Launch"]
        }
      }
    },
    {
      "Sid": "BuildStopAndTerminateOwnInstances",
      "Effect": "Allow",
      "Action": ["ec2:StopInstances", "ec2:StartInstances", "ec2:TerminateInstances"],
      "Resource": "*",
      "Condition": {"StringEquals": {"ec2:ResourceTag/CreatedBy": "EC2 Image Builder"}}
    },
    {
      "Sid": "KmsForEbsThroughEc2",
      "Effect": "Allow",
      "Action": [
        "kms:Decrypt",
        "kms:Encrypt",
        "kms:GenerateDataKeyWithoutPlaintext",
        "kms:ReEncryptFrom",
        "kms:ReEncryptTo"
      ],
      "Resource": "*",
      "Condition": {
        "ForAllValues:StringEquals": {"kms:EncryptionContextKeys": ["aws:ebs:id"]},
        "StringLike": {"kms:ViaService": ["ec2.*.amazonaws.com"]}
      }
    },
    {
      "Sid": "KmsDescribeKeyThroughEc2",
      "Effect": "Allow",
      "Action": "kms:DescribeKey",
      "Resource": "*",
      "Condition": {"StringLike": {"kms:ViaService": ["ec2.*.amazonaws.com"]}}
    },
    {
      "Sid": "KmsGrantsForAwsResources",
      "Effect": "Allow",
      "Action": "kms:CreateGrant",
      "Resource": "*",
      "Condition": {
        "Bool": {"kms:GrantIsForAWSResource": "true"},
        "StringLike": {"kms:ViaService": ["ec2.*.amazonaws.com"]}
      }
    }
  ]
})";

// Unconfirmed: a summary of the instance-profile policy Image Builder build instances use
// (components, logs, the build's S3 bucket, component-data decryption through Image Builder).
constexpr std::string_view kInstanceProfileForImageBuilder = R"({
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ["imagebuilder:GetComponent"],
      "Resource": "*"
    },
    {
      "Effect": "Allow",
      "Action": ["kms:Decrypt"],
      "Resource": "*",
      "Condition": {
        "ForAnyValue:StringEquals": {
          "kms:EncryptionContextKeys": "aws:imagebuilder:arn",
          "aws:CalledVia": ["imagebuilder.amazonaws.com"]
        }
      }
    },
    {
      "Effect": "Allow",
      "Action": ["s3:GetObject"],
      "Resource": "arn:aws:s3:::ec2imagebuilder*"
    },
    {
      "Effect": "Allow",
      "Action": ["logs:CreateLogStream", "logs:CreateLogGroup", "logs:PutLogEvents"],
      "Resource": "arn:aws:logs:*:*:log-group:/aws/imagebuilder/*"
    }
  ]
})";

constexpr std::string_view kAdministratorAccess = R"({
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]
})";

// Deviation from AWS: the real ReadOnlyAccess lists hundreds of services; ibsim ships the read
// actions of the services it models.
constexpr std::string_view kReadOnlyAccess = R"({
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "ec2:Describe*",
        "ec2:Get*",
        "iam:Get*",
        "iam:List*",
        "kms:Describe*",
        "kms:Get*",
        "kms:List*",
        "imagebuilder:Get*",
        "imagebuilder:List*",
        "ssm:Describe*",
        "ssm:Get*",
        "sts:GetCallerIdentity"
      ],
      "Resource": "*"
    }
  ]
})";

constexpr AwsManagedPolicyDefinition kPolicies[] = {
    {"AdministratorAccess",
     "/",
     "Provides full access to AWS services and resources.",
     kAdministratorAccess},
    {"AWSServiceRoleForImageBuilder",
     "/aws-service-role/",
     "Allows EC2 Image Builder to call AWS services on your behalf.",
     kImageBuilderServiceRole},
    {"EC2InstanceProfileForImageBuilder",
     "/",
     "EC2 Instance profile for Image Builder service.",
     kInstanceProfileForImageBuilder},
    {"Ec2ImageBuilderCrossAccountDistributionAccess",
     "/",
     "Policy used by EC2 Image Builder to distribute AMIs to other accounts.",
     kCrossAccountDistribution},
    {"ReadOnlyAccess",
     "/",
     "Provides read-only access to AWS services and resources.",
     kReadOnlyAccess},
};

}  // namespace

std::span<const AwsManagedPolicyDefinition> aws_managed_policies() {
  return kPolicies;
}

}  // namespace ibsim::mock_aws::iam
