#include "src/engine/reasons.h"

#include <nlohmann/json.hpp>

#include "src/client/call_error.h"

namespace ibsim::engine {
namespace {

constexpr std::string_view kCrossAccountRole = "EC2ImageBuilderDistributionCrossAccountRole";
constexpr std::string_view kCrossAccountPolicy =
    "arn:aws:iam::aws:policy/Ec2ImageBuilderCrossAccountDistributionAccess";

bool contains(std::string_view text, std::string_view what) {
  return text.find(what) != std::string_view::npos;
}

bool acts_as_cross_account_role(const ExplanationInput& in) {
  return contains(in.acting_as, kCrossAccountRole);
}

bool is_launch_template_step(std::string_view step) {
  return step == "DescribeLaunchTemplates" || step == "CreateLaunchTemplateVersion"
         || step == "ModifyLaunchTemplate";
}

}  // namespace

std::string format_job_line(const JobFailureLine& line) {
  std::string out;
  switch (line.kind) {
    case JobFailureLine::Kind::kClientError:
      out = line.service + " Client Error: '" + line.message + "'";
      break;
    case JobFailureLine::Kind::kServiceError:
      // Unconfirmed: the wording for server-side errors mirrors "EC2 Client Error".
      out = line.service + " Service Error: '" + line.message + "'";
      break;
    case JobFailureLine::Kind::kCopyFailed:
      out = "AMI Copy Reported Failure For " + line.ami_id;
      break;
    case JobFailureLine::Kind::kTimedOut:
      // Unconfirmed: AWS's text for a distribution that runs past timeoutMinutes.
      out = "Distribution job timed out after " + std::to_string(line.timeout_minutes) + " minutes";
      break;
  }
  out += " when distributing the image from the source account (ID: ";
  out += line.source_account.str();
  out += ") to the destination account (ID: ";
  out += line.destination_account.str();
  out += ") in Region ";
  out += line.region.str();
  out += ".";
  return out;
}

std::string format_distribution_reason(std::string_view job_id,
                                       std::string_view image_arn,
                                       const std::vector<std::string>& job_lines) {
  std::string out = "Distribution failed with JobId '";
  out += job_id;
  out += "', status = 'Failed' for ARN '";
  out += image_arn;
  out += "'. 'Not all distribution jobs are completed.";
  // Unconfirmed: several failed jobs are numbered "1) ... 2) ..." separated by one space.
  for (std::size_t i = 0; i < job_lines.size(); ++i) {
    out += " ";
    out += std::to_string(i + 1);
    out += ") ";
    out += job_lines[i];
  }
  out += "'";
  return out;
}

std::string build_reason_null_instance_profile(std::string_view image_arn) {
  return "Can't start SSM Automation for arn " + std::string(image_arn)
         + " during building. Parameter \"iamInstanceProfileName\" has a null value.";
}

std::string build_reason_invalid_instance_profile(std::string_view image_arn,
                                                  std::string_view profile_name) {
  // Unconfirmed: AWS's wording for a profile that does not exist; this joins the build prefix
  // AWS uses with EC2's RunInstances message for an unknown instance profile.
  return "Can't start SSM Automation for arn " + std::string(image_arn)
         + " during building. Value (" + std::string(profile_name)
         + ") for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name";
}

std::string build_reason_launch(std::string_view image_arn,
                                std::string_view service,
                                const sim::AwsError& error) {
  // Unconfirmed: the build prefix AWS uses, with the failed call as the distribution reasons
  // name it.
  const char* kind = line_kind_for(error) == JobFailureLine::Kind::kServiceError ? " Service Error"
                                                                                 : " Client Error";
  return "Can't start SSM Automation for arn " + std::string(image_arn) + " during building. "
         + std::string(service) + kind + ": '" + error.message + "'";
}

std::string build_reason_image(std::string_view image_arn, std::string_view what) {
  // Unconfirmed: wording for a failure after the instance ran (CreateImage, the AMI failing).
  return "Image creation failed for arn " + std::string(image_arn) + " during building. "
         + std::string(what);
}

std::string build_reason_timed_out(std::string_view image_arn, int64_t minutes) {
  // Unconfirmed.
  return "Image creation failed for arn " + std::string(image_arn)
         + " during building. The build did not finish within " + std::to_string(minutes)
         + " minutes.";
}

JobFailureLine::Kind line_kind_for(const sim::AwsError& error) {
  if (client::is_transport_failure(client::classify(error)) || error.http_status >= 500) {
    return JobFailureLine::Kind::kServiceError;
  }
  return JobFailureLine::Kind::kClientError;
}

std::string fix_for(const ExplanationInput& in) {
  const std::string account = in.account.str();
  const std::string source = in.source_account.str();
  const sim::AwsError* e = in.error;
  const std::string_view code = e != nullptr ? std::string_view(e->code) : std::string_view();
  const std::string_view message =
      e != nullptr ? std::string_view(e->message) : std::string_view(in.aws_message);
  const bool denied =
      code == "AccessDenied" || code == "AccessDeniedException" || code == "UnauthorizedOperation";

  if (in.step == "AssumeRole") {
    if (contains(in.resource, kCrossAccountRole)) {
      return "In account " + account + ", create the IAM role " + std::string(kCrossAccountRole)
             + " with a trust policy that allows sts:AssumeRole for arn:aws:iam::" + source
             + ":root, and attach " + std::string(kCrossAccountPolicy) + " to it.";
    }
    return "Account " + account
           + " needs the service-linked role AWSServiceRoleForImageBuilder, trusting "
             "imagebuilder.amazonaws.com (aws iam create-service-linked-role "
             "--aws-service-name imagebuilder.amazonaws.com).";
  }
  if (contains(message, "AWS Managed CMK")) {
    return "Encrypt the image with a customer managed KMS key (the recipe's "
           "blockDeviceMappings[].ebs.kmsKeyId, or the distribution's kmsKeyId): snapshots "
           "encrypted with the AWS managed key aws/ebs cannot be shared with another account.";
  }
  if (contains(message, "paravirtual") || contains(message, "Paravirtual")) {
    return "Paravirtual (PV) images can only be copied to Regions that support PV: remove Region "
           + in.region.str() + " from the distribution, or build an HVM image.";
  }
  if (in.step == "ModifySnapshotAttribute" && denied) {
    return "The service-linked role may only share snapshots tagged CreatedBy = EC2 Image "
           "Builder: tag the image's snapshots so, or let Image Builder create them.";
  }
  if (is_launch_template_step(in.step) && denied) {
    return "Give " + std::string(kCrossAccountRole) + " in account " + account
           + " ec2:DescribeLaunchTemplates, and ec2:CreateLaunchTemplateVersion and "
             "ec2:ModifyLaunchTemplate conditioned on aws:ResourceTag/CreatedBy = \"EC2 Image "
             "Builder\"; and tag launch template "
           + std::string(in.resource) + " CreatedBy = EC2 Image Builder.";
  }
  if (in.step == "PutParameter" && denied) {
    return "Allow ssm:PutParameter on the parameter for " + std::string(in.acting_as)
           + " in account " + account + ".";
  }
  if ((in.step == "CopyImage" || in.step == "CreateTags" || in.step == "DescribeImages") && denied
      && acts_as_cross_account_role(in)) {
    return "Attach " + std::string(kCrossAccountPolicy) + " to " + std::string(kCrossAccountRole)
           + " in account " + account + ".";
  }
  if (in.step == "WaitForImage" && acts_as_cross_account_role(in)) {
    return "Let account " + account + " use the KMS keys of the copy: the source key's policy "
           + "(account " + source
           + ") must allow it kms:Decrypt, kms:ReEncrypt*, kms:CreateGrant and kms:DescribeKey "
             "(and the destination key's policy the same), and "
           + std::string(kCrossAccountRole) + " in account " + account
           + " needs an inline policy allowing kms:Encrypt, kms:Decrypt, kms:ReEncrypt*, "
             "kms:GenerateDataKey*, kms:DescribeKey, kms:CreateGrant, kms:ListGrants and "
             "kms:RevokeGrant.";
  }
  return {};
}

std::string job_explanation(const ExplanationInput& in) {
  nlohmann::json j;
  j["step"] = std::string(in.step);
  j["service"] = std::string(in.service);
  j["sourceAccount"] = in.source_account.str();
  j["account"] = in.account.str();
  j["region"] = in.region.str();
  j["actingAs"] = std::string(in.acting_as);
  if (!in.resource.empty()) {
    j["resource"] = std::string(in.resource);
  }
  j["awsMessage"] = std::string(in.aws_message);
  if (in.error != nullptr) {
    j["error"] = {{"code", in.error->code},
                  {"message", in.error->message},
                  {"httpStatus", in.error->http_status}};
    if (!in.error->explanation.empty()) {
      nlohmann::json denial =
          nlohmann::json::parse(in.error->explanation, nullptr, /*allow_exceptions=*/false);
      j["denial"] = denial.is_discarded() ? nlohmann::json(in.error->explanation) : denial;
    }
  }
  const std::string fix = fix_for(in);
  if (!fix.empty()) {
    j["fix"] = fix;
  }
  return j.dump();
}

}  // namespace ibsim::engine
