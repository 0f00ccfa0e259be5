// Shape validation with each service's own error code and text: required members, lengths,
// ranges, patterns, enums, list sizes, lists and maps of scalars, nested paths, unknown
// parameters.

#include <catch2/catch.hpp>

#include "mock_aws/protocol/codec.h"
#include "tests/mock_aws/protocol/codec_test_util.h"

namespace ibsim::mock_aws::protocol {
namespace {

using nlohmann::json;
using testing::op;

sim::AwsError invalid(ServiceId service, std::string_view name, const json& input) {
  const auto status = validate_input(op(service, name), input);
  REQUIRE_FALSE(status.ok());
  return status.error();
}

void valid(ServiceId service, std::string_view name, const json& input) {
  const auto status = validate_input(op(service, name), input);
  if (!status.ok()) {
    FAIL(status.error().code << ": " << status.error().message);
  }
}

TEST_CASE("Validation: KMS uses ValidationException with Coral's text", "[protocol]") {
  auto e = invalid(ServiceId::kKms, "Encrypt", {{"KeyId", ""}, {"Plaintext", "aGk="}});
  CHECK(e.code == "ValidationException");
  CHECK(e.http_status == 400);
  CHECK(e.message
        == "1 validation error detected: Value '' at 'keyId' failed to satisfy constraint: "
           "Member must have length greater than or equal to 1");

  e = invalid(
      ServiceId::kKms, "Encrypt", {{"KeyId", std::string(2049, 'k')}, {"Plaintext", "aGk="}});
  CHECK(e.message
        == "1 validation error detected: Value '" + std::string(2049, 'k')
               + "' at 'keyId' failed to satisfy constraint: Member must have length less than or "
                 "equal to 2048");

  e = invalid(ServiceId::kKms, "Encrypt", json::object());
  CHECK(e.message
        == "2 validation errors detected: Value null at 'keyId' failed to satisfy constraint: "
           "Member must not be null; Value at 'plaintext' failed to satisfy constraint: Member "
           "must not be null");
}

TEST_CASE("Validation: sensitive members are never printed", "[protocol]") {
  // 4097 bytes of plaintext: base64 of 4097 zero bytes.
  const std::string big = std::string(5460, 'A') + "AAA=";
  const auto e = invalid(ServiceId::kKms, "Encrypt", {{"KeyId", "k"}, {"Plaintext", big}});
  CHECK(e.message
        == "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: "
           "Member must have length less than or equal to 4096");
  valid(ServiceId::kKms, "Encrypt", {{"KeyId", "k"}, {"Plaintext", std::string(5460, 'A')}});
}

TEST_CASE("Validation: enums ranges and patterns", "[protocol]") {
  auto e = invalid(ServiceId::kKms, "CreateKey", {{"KeyUsage", "FOO"}});
  CHECK(e.message
        == "1 validation error detected: Value 'FOO' at 'keyUsage' failed to satisfy constraint: "
           "Member must satisfy enum value set: [SIGN_VERIFY, ENCRYPT_DECRYPT, "
           "GENERATE_VERIFY_MAC, KEY_AGREEMENT]");
  e = invalid(ServiceId::kKms, "ScheduleKeyDeletion", {{"KeyId", "k"}, {"PendingWindowInDays", 0}});
  CHECK(e.message
        == "1 validation error detected: Value '0' at 'pendingWindowInDays' failed to satisfy "
           "constraint: Member must have value greater than or equal to 1");
  e = invalid(
      ServiceId::kKms, "ScheduleKeyDeletion", {{"KeyId", "k"}, {"PendingWindowInDays", 366}});
  CHECK(e.message.ends_with("Member must have value less than or equal to 365"));
  e = invalid(ServiceId::kKms,
              "CreateGrant",
              {{"KeyId", "k"},
               {"GranteePrincipal", "p"},
               {"Operations", {"Decrypt"}},
               {"Name", "bad name"}});
  CHECK(e.message
        == "1 validation error detected: Value 'bad name' at 'name' failed to satisfy constraint: "
           "Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$");
}

TEST_CASE("Validation: lists of scalars are reported as a whole", "[protocol]") {
  auto e = invalid(ServiceId::kKms,
                   "CreateGrant",
                   {{"KeyId", "k"}, {"GranteePrincipal", "p"}, {"Operations", {"Decrypt", "Fly"}}});
  CHECK(e.message
        == "1 validation error detected: Value '[Decrypt, Fly]' at 'operations' failed to satisfy "
           "constraint: Member must satisfy constraint: [Member must satisfy enum value set: "
           "[Decrypt, Encrypt, GenerateDataKey, GenerateDataKeyWithoutPlaintext, ReEncryptFrom, "
           "ReEncryptTo, Sign, Verify, GetPublicKey, CreateGrant, RetireGrant, DescribeKey, "
           "GenerateDataKeyPair, GenerateDataKeyPairWithoutPlaintext, GenerateMac, VerifyMac, "
           "DeriveSharedSecret]]");
  json tokens = json::array();
  for (int i = 0; i < 11; ++i) {
    tokens.push_back("t");
  }
  e = invalid(
      ServiceId::kKms, "Encrypt", {{"KeyId", "k"}, {"Plaintext", "aGk="}, {"GrantTokens", tokens}});
  CHECK(e.message
        == "1 validation error detected: Value '[t, t, t, t, t, t, t, t, t, t, t]' at "
           "'grantTokens' failed to satisfy constraint: Member must have length less than or "
           "equal to 10");
  e = invalid(
      ServiceId::kKms, "Encrypt", {{"KeyId", "k"}, {"Plaintext", "aGk="}, {"GrantTokens", {""}}});
  CHECK(e.message
        == "1 validation error detected: Value '[]' at 'grantTokens' failed to satisfy "
           "constraint: Member must satisfy constraint: [Member must have length less than or "
           "equal to 8192, Member must have length greater than or equal to 1]");
}

TEST_CASE("Validation: nested paths use the member list form", "[protocol]") {
  const auto e =
      invalid(ServiceId::kKms,
              "TagResource",
              {{"KeyId", "k"}, {"Tags", {{{"TagKey", "a"}, {"TagValue", "1"}}, {{"TagKey", ""}}}}});
  CHECK(e.message
        == "2 validation errors detected: Value '' at 'tags.2.member.tagKey' failed to satisfy "
           "constraint: Member must have length greater than or equal to 1; Value null at "
           "'tags.2.member.tagValue' failed to satisfy constraint: Member must not be null");
}

TEST_CASE("Validation: IAM and STS use ValidationError", "[protocol]") {
  auto e = invalid(ServiceId::kIam,
                   "CreateRole",
                   {{"RoleName", std::string(65, 'r')}, {"AssumeRolePolicyDocument", "{}"}});
  CHECK(e.code == "ValidationError");
  CHECK(e.message
        == "1 validation error detected: Value '" + std::string(65, 'r')
               + "' at 'roleName' failed to satisfy constraint: Member must have length less than "
                 "or equal to 64");
  e = invalid(ServiceId::kIam,
              "CreateRole",
              {{"RoleName", "bad name"},
               {"AssumeRolePolicyDocument", "{}"},
               {"MaxSessionDuration", 43201}});
  CHECK(e.message
        == "2 validation errors detected: Value 'bad name' at 'roleName' failed to satisfy "
           "constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+; Value "
           "'43201' at 'maxSessionDuration' failed to satisfy constraint: Member must have value "
           "less than or equal to 43200");
  e = invalid(ServiceId::kSts,
              "AssumeRole",
              {{"RoleArn", "arn:aws:iam::123456789012:role/r"},
               {"RoleSessionName", "s"},
               {"DurationSeconds", 899}});
  CHECK(e.code == "ValidationError");
  CHECK(e.message
        == "2 validation errors detected: Value 's' at 'roleSessionName' failed to satisfy "
           "constraint: Member must have length greater than or equal to 2; Value '899' at "
           "'durationSeconds' failed to satisfy constraint: Member must have value greater than "
           "or equal to 900");
  // Unicode letters pass \p{L}; a control character does not.
  valid(ServiceId::kIam,
        "TagRole",
        {{"RoleName", "r"}, {"Tags", {{{"Key", "équipe"}, {"Value", "データ"}}}}});
  e = invalid(ServiceId::kIam,
              "TagRole",
              {{"RoleName", "r"}, {"Tags", {{{"Key", "a\tb"}, {"Value", "v"}}}}});
  CHECK(e.message.find("at 'tags.1.member.key' failed to satisfy constraint: Member must satisfy "
                       "regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+")
        != std::string::npos);
}

TEST_CASE("Validation: policy documents are checked code point by code point", "[protocol]") {
  // [\u0009\u000A\u000D\u0020-\u00FF]+ over a 100 KB document (std::regex would recurse).
  const std::string doc = "{\"Version\":\"2012-10-17\"," + std::string(100000, ' ') + "}";
  valid(ServiceId::kIam, "CreateRole", {{"RoleName", "r"}, {"AssumeRolePolicyDocument", doc}});
  const auto e =
      invalid(ServiceId::kIam,
              "CreateRole",
              {{"RoleName", "r"}, {"AssumeRolePolicyDocument", "{\"a\":\"\xe2\x82\xac\"}"}});
  CHECK(e.message.find("at 'assumeRolePolicyDocument'") != std::string::npos);
}

TEST_CASE("Validation: EC2 reports the first problem as MissingParameter or InvalidParameterValue",
          "[protocol]") {
  auto e = invalid(ServiceId::kEc2, "CopyImage", {{"Name", "copy"}, {"SourceImageId", "ami-1"}});
  CHECK(e.code == "MissingParameter");
  CHECK(e.message == "The request must contain the parameter SourceRegion");
  e = invalid(ServiceId::kEc2, "CreateLaunchTemplate", {{"LaunchTemplateName", "my-template"}});
  CHECK(e.message == "The request must contain the parameter LaunchTemplateData");
  e = invalid(
      ServiceId::kEc2, "DescribeImageAttribute", {{"ImageId", "ami-1"}, {"Attribute", "bogus"}});
  CHECK(e.code == "InvalidParameterValue");
  CHECK(e.message == "Invalid value 'bogus' for Attribute.");
  e = invalid(ServiceId::kEc2,
              "CopyImage",
              {{"Name", "ab"}, {"SourceImageId", "ami-1"}, {"SourceRegion", "us-west-2"}});
  CHECK(e.message
        == "Value (ab) for parameter Name is invalid. It must be at least 3 characters long.");
  e = invalid(ServiceId::kEc2,
              "CopyImage",
              {{"Name", "copy"},
               {"SourceImageId", "ami-1"},
               {"SourceRegion", "us-west-2"},
               {"TagSpecifications", {{{"ResourceType", "spaceship"}}}}});
  CHECK(e.message == "Invalid value 'spaceship' for TagSpecification.1.ResourceType.");
  e = invalid(ServiceId::kEc2, "DescribeLaunchTemplates", {{"MaxResults", 201}});
  CHECK(e.message
        == "Value (201) for parameter MaxResults is invalid. Expecting a value less than or equal "
           "to 200.");
}

TEST_CASE("Validation: EC2 unknown and malformed parameters at decode", "[protocol]") {
  HttpRequest r{"POST",
                "/",
                {},
                "Action=CopyImage&Version=2016-11-15&Name=copy&SourceImageId=ami-1&SourceRegion=us-"
                "west-2&Encrypt=true"};
  auto d = decode_request(ServiceId::kEc2, r);
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().code == "UnknownParameter");
  CHECK(d.error().message == "The parameter Encrypt is not recognized");
  r.body = "Action=DescribeImages&Version=2016-11-15&Filter.1.Name=state&Filter.1.Valu.1=x";
  d = decode_request(ServiceId::kEc2, r);
  CHECK(d.error().message == "The parameter Filter.1.Valu is not recognized");
  r.body = "Action=DescribeImages&Version=2016-11-15&MaxResults=many";
  d = decode_request(ServiceId::kEc2, r);
  CHECK(d.error().code == "InvalidParameterValue");
  CHECK(d.error().message == "Invalid value 'many' for MaxResults.");
  r.body = "Action=DescribeImages&Version=2016-11-15&DryRun=maybe";
  CHECK(decode_request(ServiceId::kEc2, r).error().message == "Invalid value 'maybe' for DryRun.");
  r.body = "Action=CreateTags&Version=2016-11-15&ResourceId.1=ami-1";
  CHECK(decode_request(ServiceId::kEc2, r).error().message
        == "The request must contain the parameter Tag");
}

TEST_CASE("Validation: Image Builder answers InvalidParameterValueException", "[protocol]") {
  auto e = invalid(ServiceId::kImageBuilder, "GetImage", {{"imageBuildVersionArn", "ami-1"}});
  CHECK(e.code == "InvalidParameterValueException");
  CHECK(e.http_status == 400);
  CHECK(e.message
        == "The value supplied for parameter 'imageBuildVersionArn' is not valid. "
           "'imageBuildVersionArn' must match pattern "
           "^arn:aws[^:]*:imagebuilder:[^:]+:(?:[0-9]{12}|aws(?:-[a-z-]+)?):image/[a-z0-9-_]+/"
           "(?:(?:([0-9]+|x)\\.([0-9]+|x)\\.([0-9]+|x))|(?:[0-9]+\\.[0-9]+\\.[0-9]+/[0-9]+))$");
  valid(
      ServiceId::kImageBuilder,
      "GetImage",
      {{"imageBuildVersionArn", "arn:aws:imagebuilder:us-west-2:123456789012:image/base/1.0.0/1"}});
  const json distribution = {{"region", "us-west-2"},
                             {"amiDistributionConfiguration", {{"targetAccountIds", {"12"}}}}};
  e = invalid(ServiceId::kImageBuilder,
              "CreateDistributionConfiguration",
              {{"name", "dist"}, {"distributions", {distribution}}, {"clientToken", "t"}});
  CHECK(e.message
        == "The value supplied for parameter "
           "'distributions[0].amiDistributionConfiguration.targetAccountIds[0]' is not valid. "
           "'distributions[0].amiDistributionConfiguration.targetAccountIds[0]' must match "
           "pattern ^[0-9]{12}$");
  e = invalid(ServiceId::kImageBuilder,
              "CreateDistributionConfiguration",
              {{"name", "dist"}, {"distributions", json::array()}});
  CHECK(e.message
        == "The value supplied for parameter 'clientToken' is not valid. 'clientToken' is "
           "required.");
  e = invalid(ServiceId::kImageBuilder,
              "CreateDistributionConfiguration",
              {{"name", " x"}, {"distributions", json::array()}, {"clientToken", "t"}});
  CHECK(e.message.starts_with(
      "The value supplied for parameter 'name' is not valid. 'name' must match pattern"));
  e = invalid(ServiceId::kImageBuilder, "ListImages", {{"maxResults", 26}});
  CHECK(e.message
        == "The value supplied for parameter 'maxResults' is not valid. 'maxResults' must be less "
           "than or equal to 25");
}

TEST_CASE("Validation: SSM list sizes", "[protocol]") {
  json names = json::array();
  for (int i = 0; i < 11; ++i) {
    names.push_back("/p" + std::to_string(i));
  }
  const auto e = invalid(ServiceId::kSsm, "GetParameters", {{"Names", names}});
  CHECK(e.code == "ValidationException");
  CHECK(e.message.find("at 'names' failed to satisfy constraint: Member must have length less than "
                       "or equal to 10")
        != std::string::npos);
  valid(ServiceId::kSsm, "GetParameters", {{"Names", {"/a", "/b"}}});
}

TEST_CASE("Validation: errors reach the wire in the protocol's shape", "[protocol]") {
  HttpRequest iam{
      "POST",
      "/",
      {},
      "Action=CreateRole&Version=2010-05-08&RoleName=a%20b&AssumeRolePolicyDocument=%7B%7D"};
  const auto d = decode_request(ServiceId::kIam, iam);
  REQUIRE_FALSE(d.ok());
  const HttpResponse wire = encode_error(ServiceId::kIam, d.error(), "req-1");
  CHECK(wire.body
        == "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>"
           "Sender</Type><Code>ValidationError</Code><Message>1 validation error detected: Value "
           "'a b' at 'roleName' failed to satisfy constraint: Member must satisfy regular "
           "expression pattern: [\\w+=,.@-]+</Message></Error><RequestId>req-1</RequestId>"
           "</ErrorResponse>");
}

}  // namespace
}  // namespace ibsim::mock_aws::protocol
