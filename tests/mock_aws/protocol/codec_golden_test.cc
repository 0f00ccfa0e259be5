// Every request the AWS CLI and the JS SDK sent (tests/mock_aws/protocol/golden/) decodes, through
// the generic codecs, into the Document the services expect, and passes validation.

#include <catch2/catch.hpp>

#include "mock_aws/protocol/codec.h"
#include "tests/mock_aws/protocol/codec_test_util.h"

namespace ibsim::mock_aws::protocol {
namespace {

using nlohmann::json;
using testing::load_goldens;

struct Expected {
  const char* file;
  ServiceId service;
  const char* operation;
  json input;  // null: the request's own JSON body
};

const char kTrustPolicyCli[] =
    "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n"
    "      \"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:root\"},\n"
    "      \"Action\": \"sts:AssumeRole\",\n"
    "      \"Condition\": {\"StringEquals\": {\"sts:ExternalId\": \"image-distribution\"}}\n"
    "    }\n  ]\n}\n";

const char kTrustPolicyJs[] =
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":"
    "\"arn:aws:iam::111122223333:root\"},\"Action\":\"sts:AssumeRole\",\"Condition\":{"
    "\"StringEquals\":{\"sts:ExternalId\":\"image-distribution\"}}}]}";

const char kRoleName[] = "EC2ImageBuilderDistributionCrossAccountRole";
const char kKeyArn[] =
    "arn:aws:kms:us-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

std::vector<Expected> expectations() {
  const json assume_role = {
      {"RoleArn", "arn:aws:iam::123456789012:role/EC2ImageBuilderDistributionCrossAccountRole"},
      {"RoleSessionName", "ami-distribution"},
      {"DurationSeconds", 900},
      {"ExternalId", "image-distribution"}};
  return {
      {"awscli/01-imagebuilder-create-distribution-configuration.http",
       ServiceId::kImageBuilder,
       "CreateDistributionConfiguration",
       nullptr},
      {"awscli/02-imagebuilder-get-distribution-configuration.http",
       ServiceId::kImageBuilder,
       "GetDistributionConfiguration",
       {{"distributionConfigurationArn",
         "arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/"
         "cross-account-distribution-example"}}},
      {"awscli/03-imagebuilder-create-image.http",
       ServiceId::kImageBuilder,
       "CreateImage",
       nullptr},
      {"awscli/04-iam-create-role.http",
       ServiceId::kIam,
       "CreateRole",
       {{"RoleName", kRoleName},
        {"AssumeRolePolicyDocument", kTrustPolicyCli},
        {"Description", "Cross-account AMI distribution"}}},
      {"awscli/05-iam-put-role-policy.http", ServiceId::kIam, "PutRolePolicy", json()},
      {"awscli/06-iam-attach-role-policy.http",
       ServiceId::kIam,
       "AttachRolePolicy",
       {{"RoleName", kRoleName},
        {"PolicyArn", "arn:aws:iam::aws:policy/EC2InstanceProfileForImageBuilder"}}},
      {"awscli/07-sts-assume-role.http", ServiceId::kSts, "AssumeRole", assume_role},
      {"awscli/08-kms-put-key-policy.http", ServiceId::kKms, "PutKeyPolicy", nullptr},
      {"awscli/09-kms-encrypt.http", ServiceId::kKms, "Encrypt", nullptr},
      {"awscli/10-kms-decrypt.http", ServiceId::kKms, "Decrypt", nullptr},
      {"awscli/11-kms-create-grant.http", ServiceId::kKms, "CreateGrant", nullptr},
      {"awscli/12-ec2-describe-images.http",
       ServiceId::kEc2,
       "DescribeImages",
       {{"ImageIds", {"ami-03cf127a"}},
        {"Owners", {"amazon", "self"}},
        {"Filters",
         {{{"Name", "state"}, {"Values", {"available"}}},
          {{"Name", "root-device-type"}, {"Values", {"ebs"}}}}}}},
      {"awscli/13-ec2-copy-image.http",
       ServiceId::kEc2,
       "CopyImage",
       {{"ClientToken", "7f1a2b3c-0000-4000-8000-000000000002"},
        {"Description", "Cross-account encrypted copy"},
        {"Encrypted", true},
        {"KmsKeyId", kKeyArn},
        {"Name", "copied-image"},
        {"SourceImageId", "ami-03cf127a"},
        {"SourceRegion", "us-west-2"}}},
      {"js-sdk/01-imagebuilder-CreateDistributionConfiguration.http",
       ServiceId::kImageBuilder,
       "CreateDistributionConfiguration",
       nullptr},
      {"js-sdk/02-kms-Encrypt.http", ServiceId::kKms, "Encrypt", nullptr},
      {"js-sdk/03-ec2-DescribeImages.http",
       ServiceId::kEc2,
       "DescribeImages",
       {{"ImageIds", {"ami-03cf127a"}}, {"Owners", {"amazon", "self"}}}},
      {"js-sdk/04-iam-CreateRole.http",
       ServiceId::kIam,
       "CreateRole",
       {{"RoleName", kRoleName},
        {"AssumeRolePolicyDocument", kTrustPolicyJs},
        {"Description", "Cross-account AMI distribution"}}},
      {"js-sdk/05-sts-AssumeRole.http", ServiceId::kSts, "AssumeRole", assume_role},
  };
}

TEST_CASE("Codec golden: every golden request has an expectation", "[protocol]") {
  const auto goldens = load_goldens();
  const auto expected = expectations();
  REQUIRE(goldens.size() == expected.size());
  for (std::size_t i = 0; i < goldens.size(); ++i) {
    CHECK(goldens[i].name == expected[i].file);
  }
}

TEST_CASE("Codec golden: every golden request decodes to the expected document", "[protocol]") {
  const auto goldens = load_goldens();
  const auto expected = expectations();
  REQUIRE(goldens.size() == expected.size());
  for (std::size_t i = 0; i < goldens.size(); ++i) {
    const auto& g = goldens[i];
    const auto& e = expected[i];
    INFO(g.name);
    const auto identified = identify_operation(e.service, g.request);
    REQUIRE(identified.ok());
    CHECK(identified->name() == e.operation);
    const auto decoded = decode_request(e.service, g.request);
    if (!decoded.ok()) {
      FAIL(decoded.error().code << ": " << decoded.error().message);
    }
    CHECK(decoded->operation.name() == e.operation);
    if (e.input.is_null() && e.service == ServiceId::kIam) {
      // PutRolePolicy: spot-check the URL-decoded policy document.
      CHECK(decoded->input.at("RoleName") == kRoleName);
      CHECK(decoded->input.at("PolicyName") == "ami-distribution");
      const std::string policy = decoded->input.at("PolicyDocument");
      CHECK(policy.find("\"kms:ReEncrypt*\"]") != std::string::npos);
      CHECK(policy.find("\"aws:ResourceTag/CreatedBy\": \"EC2 Image Builder\"")
            != std::string::npos);
      CHECK(decoded->input.size() == 3);
    } else if (e.input.is_null()) {
      // JSON protocols: the document is the body itself (member names are the wire names).
      CHECK(decoded->input == json::parse(g.request.body));
    } else {
      CHECK(decoded->input == e.input);
    }
  }
}

TEST_CASE("Codec golden: decoded blobs stay base64 and integers become numbers", "[protocol]") {
  const auto goldens = load_goldens();
  const auto encrypt = decode_request(ServiceId::kKms, goldens[8].request);
  REQUIRE(encrypt.ok());
  CHECK(encrypt->input.at("Plaintext") == "aGVsbG8gZnJvbSB0aGUgaW1hZ2UgYnVpbGRlciBvcmFjbGU=");
  CHECK(encrypt->input.at("EncryptionContext") == json{{"purpose", "ami-distribution"}});
  const auto assume = decode_request(ServiceId::kSts, goldens[6].request);
  REQUIRE(assume.ok());
  CHECK(assume->input.at("DurationSeconds").is_number_integer());
}

}  // namespace
}  // namespace ibsim::mock_aws::protocol
