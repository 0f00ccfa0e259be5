// Client encode -> server decode and server encode -> client decode give back the same Document,
// per protocol, for operations with nested lists, maps, blobs, booleans and timestamps; and the
// client encoder writes what the real SDKs write.

#include <catch2/catch.hpp>

#include "mock_aws/protocol/codec.h"
#include "tests/mock_aws/protocol/codec_test_util.h"

namespace ibsim::mock_aws::protocol {
namespace {

using nlohmann::json;
using testing::load_goldens;
using testing::op;

// Client-encodes `input`, server-decodes the request and compares.
void request_round_trip(ServiceId service, std::string_view name, const json& input) {
  const OperationRef operation = op(service, name);
  const auto request = encode_request(operation, input);
  REQUIRE(request.ok());
  const auto decoded = decode_request(service, *request);
  if (!decoded.ok()) {
    FAIL(decoded.error().code << ": " << decoded.error().message);
  }
  CHECK(decoded->operation == operation);
  CHECK(decoded->input == input);
}

// Server-encodes `output`, client-decodes the response and compares.
json response_round_trip(ServiceId service, std::string_view name, const json& output) {
  const OperationRef operation = op(service, name);
  const auto response = encode_response(operation, output, "req-1");
  REQUIRE(response.ok());
  CHECK(response->status == 200);
  const auto decoded = decode_response(operation, *response);
  if (!decoded.ok()) {
    FAIL(decoded.error().code << ": " << decoded.error().message);
  }
  CHECK(decoded->request_id == "req-1");
  return decoded->output;
}

TEST_CASE("Codec round trip: EC2 CopyImage with tag specifications", "[protocol]") {
  const json input = {
      {"Name", "copy of base"},
      {"SourceImageId", "ami-03cf127a"},
      {"SourceRegion", "us-west-2"},
      {"Encrypted", true},
      {"KmsKeyId", "alias/dest"},
      {"TagSpecifications",
       {{{"ResourceType", "image"},
         {"Tags", {{{"Key", "CreatedBy"}, {"Value", "EC2 Image Builder"}}}}},
        {{"ResourceType", "snapshot"},
         {"Tags", {{{"Key", "a"}, {"Value", ""}}, {{"Key", "b"}, {"Value", "2"}}}}}}}};
  request_round_trip(ServiceId::kEc2, "CopyImage", input);
  const auto request = encode_request(op(ServiceId::kEc2, "CopyImage"), input);
  REQUIRE(request.ok());
  CHECK(request->method == "POST");
  CHECK(request->target == "/");
  CHECK(request->headers.get("Content-Type") == "application/x-www-form-urlencoded; charset=utf-8");
  CHECK(request->body.find("&TagSpecification.1.ResourceType=image&TagSpecification.1.Tag.1.Key="
                           "CreatedBy&TagSpecification.1.Tag.1.Value=EC2%20Image%20Builder")
        != std::string::npos);
  CHECK(request->body.find("&TagSpecification.2.Tag.2.Value=2") != std::string::npos);
}

TEST_CASE("Codec round trip: EC2 wire names from locationName and queryName", "[protocol]") {
  request_round_trip(ServiceId::kEc2,
                     "ModifyLaunchTemplate",
                     {{"LaunchTemplateId", "lt-0123456789abcdef0"}, {"DefaultVersion", "3"}});
  const auto request = encode_request(op(ServiceId::kEc2, "ModifyLaunchTemplate"),
                                      {{"LaunchTemplateId", "lt-1"}, {"DefaultVersion", "3"}});
  REQUIRE(request.ok());
  CHECK(request->body.find("SetDefaultVersion=3") != std::string::npos);
  request_round_trip(
      ServiceId::kEc2,
      "ModifyImageAttribute",
      {{"ImageId", "ami-1"},
       {"LaunchPermission",
        {{"Add", {{{"UserId", "123456789012"}}, {{"Group", "all"}}}},
         {"Remove", {{{"OrganizationArn", "arn:aws:organizations::1:organization/o-abc"}}}}}}});
  const auto modify = encode_request(
      op(ServiceId::kEc2, "ModifyImageAttribute"),
      {{"ImageId", "ami-1"}, {"LaunchPermission", {{"Add", {{{"UserId", "123456789012"}}}}}}});
  REQUIRE(modify.ok());
  CHECK(modify->body.find("LaunchPermission.Add.1.UserId=123456789012") != std::string::npos);
}

TEST_CASE("Codec round trip: EC2 client bodies match the CLI's", "[protocol]") {
  const auto goldens = load_goldens();
  const auto describe = encode_request(op(ServiceId::kEc2, "DescribeImages"),
                                       {{"ImageIds", {"ami-03cf127a"}},
                                        {"Owners", {"amazon", "self"}},
                                        {"Filters",
                                         {{{"Name", "state"}, {"Values", {"available"}}},
                                          {{"Name", "root-device-type"}, {"Values", {"ebs"}}}}}});
  REQUIRE(describe.ok());
  CHECK(describe->body == goldens[11].request.body);
  const auto assume = encode_request(
      op(ServiceId::kSts, "AssumeRole"),
      {{"RoleArn", "arn:aws:iam::123456789012:role/EC2ImageBuilderDistributionCrossAccountRole"},
       {"RoleSessionName", "ami-distribution"},
       {"DurationSeconds", 900},
       {"ExternalId", "image-distribution"}});
  REQUIRE(assume.ok());
  CHECK(assume->body == goldens[6].request.body);
}

TEST_CASE("Codec round trip: EC2 DescribeImages response", "[protocol]") {
  const json image = {{"ImageId", "ami-0abc"},
                      {"ImageLocation", "123456789012/base"},
                      {"State", "available"},
                      {"OwnerId", "123456789012"},
                      {"CreationDate", "2026-11-28T12:13:06.000Z"},
                      {"Public", false},
                      {"Architecture", "x86_64"},
                      {"Name", "base"},
                      {"RootDeviceType", "ebs"},
                      {"BlockDeviceMappings",
                       {{{"DeviceName", "/dev/xvda"},
                         {"Ebs",
                          {{"SnapshotId", "snap-1"},
                           {"VolumeSize", 8},
                           {"Encrypted", true},
                           {"KmsKeyId", "arn:aws:kms:us-west-2:123456789012:key/k"},
                           {"DeleteOnTermination", true}}}}}},
                      {"Tags", {{{"Key", "Name"}, {"Value", "a <b> & \"c\""}}}},
                      {"VirtualizationType", "hvm"},
                      {"StateReason", {{"Code", "x"}, {"Message", "y"}}}};
  const json output = {{"Images", {image, {{"ImageId", "ami-2"}, {"Tags", json::array()}}}}};
  CHECK(response_round_trip(ServiceId::kEc2, "DescribeImages", output) == output);
  CHECK(response_round_trip(ServiceId::kEc2, "DescribeImages", {{"Images", json::array()}})
        == json{{"Images", json::array()}});
}

TEST_CASE("Codec round trip: EC2 timestamps and operations without output", "[protocol]") {
  const json output = {{"Snapshots",
                        {{{"SnapshotId", "snap-1"},
                          {"StartTime", 1764331986},
                          {"RestoreExpiryTime", 1764331986.25},
                          {"VolumeSize", 8},
                          {"Encrypted", true}}}}};
  CHECK(response_round_trip(ServiceId::kEc2, "DescribeSnapshots", output) == output);
  CHECK(response_round_trip(ServiceId::kEc2, "CreateTags", json::object()) == json::object());
  CHECK(response_round_trip(
            ServiceId::kEc2, "GetEbsEncryptionByDefault", {{"EbsEncryptionByDefault", false}})
        == json{{"EbsEncryptionByDefault", false}});
}

TEST_CASE("Codec round trip: IAM CreateRole with tags and GetRole", "[protocol]") {
  const json input = {{"RoleName", "role"},
                      {"Path", "/dist/"},
                      {"AssumeRolePolicyDocument", "{\"Version\": \"2012-10-17\"}"},
                      {"MaxSessionDuration", 3600},
                      {"Tags", {{{"Key", "team"}, {"Value", "images"}}}}};
  request_round_trip(ServiceId::kIam, "CreateRole", input);
  const auto request = encode_request(op(ServiceId::kIam, "CreateRole"), input);
  REQUIRE(request.ok());
  CHECK(request->body.find("Action=CreateRole&Version=2010-05-08&Path=%2Fdist%2F") == 0);
  CHECK(request->body.find("&Tags.member.1.Key=team&Tags.member.1.Value=images")
        != std::string::npos);
  request_round_trip(ServiceId::kIam, "ListRoles", {{"PathPrefix", "/"}, {"MaxItems", 10}});

  const json role = {{"Path", "/"},
                     {"RoleName", "role"},
                     {"RoleId", "AROAEXAMPLEEXAMPLE1"},
                     {"Arn", "arn:aws:iam::123456789012:role/role"},
                     {"CreateDate", 1764331986},
                     {"AssumeRolePolicyDocument", "%7B%22Version%22%3A%222012-10-17%22%7D"},
                     {"MaxSessionDuration", 3600},
                     {"Tags", {{{"Key", "team"}, {"Value", "images"}}}},
                     {"RoleLastUsed", {{"LastUsedDate", 1764331000.5}, {"Region", "us-west-2"}}}};
  CHECK(response_round_trip(ServiceId::kIam, "GetRole", {{"Role", role}}) == json{{"Role", role}});
  CHECK(response_round_trip(ServiceId::kIam, "DeleteRole", json::object()) == json::object());
  const json list = {{"Roles", {role}}, {"IsTruncated", true}, {"Marker", "m1"}};
  CHECK(response_round_trip(ServiceId::kIam, "ListRoles", list) == list);
}

TEST_CASE("Codec round trip: STS AssumeRole credentials", "[protocol]") {
  const json output = {{"Credentials",
                        {{"AccessKeyId", "ASIAEXAMPLE"},
                         {"SecretAccessKey", "secret"},
                         {"SessionToken", "token"},
                         {"Expiration", 1764335586}}},
                       {"AssumedRoleUser",
                        {{"AssumedRoleId", "AROAEXAMPLE:ami-distribution"},
                         {"Arn", "arn:aws:sts::123456789012:assumed-role/role/ami-distribution"}}},
                       {"PackedPolicySize", 6}};
  CHECK(response_round_trip(ServiceId::kSts, "AssumeRole", output) == output);
  request_round_trip(ServiceId::kSts, "GetCallerIdentity", json::object());
}

TEST_CASE("Codec round trip: KMS blobs maps lists and timestamps", "[protocol]") {
  const json encrypt = {{"KeyId", "alias/dest"},
                        {"Plaintext", "aGVsbG8="},
                        {"EncryptionContext", {{"aws:ebs:id", "snap-1"}, {"purpose", "copy"}}},
                        {"GrantTokens", {"t1", "t2"}}};
  request_round_trip(ServiceId::kKms, "Encrypt", encrypt);
  const json encrypted = {{"CiphertextBlob", "AQIDBA=="},
                          {"KeyId", "arn:aws:kms:us-west-2:123456789012:key/k"},
                          {"EncryptionAlgorithm", "SYMMETRIC_DEFAULT"}};
  CHECK(response_round_trip(ServiceId::kKms, "Encrypt", encrypted) == encrypted);
  const json metadata = {{"KeyMetadata",
                          {{"AWSAccountId", "123456789012"},
                           {"KeyId", "k"},
                           {"Arn", "arn:aws:kms:us-west-2:123456789012:key/k"},
                           {"CreationDate", 1764331986.5},
                           {"Enabled", true},
                           {"KeyUsage", "ENCRYPT_DECRYPT"},
                           {"KeyState", "Enabled"},
                           {"EncryptionAlgorithms", {"SYMMETRIC_DEFAULT"}},
                           {"MultiRegion", false}}}};
  CHECK(response_round_trip(ServiceId::kKms, "DescribeKey", metadata) == metadata);
  const json grants = {
      {"Grants",
       {{{"GrantId", "g1"},
         {"Operations", {"Decrypt", "ReEncryptFrom"}},
         {"Constraints", {{"EncryptionContextSubset", {{"aws:ebs:id", "snap-1"}}}}},
         {"CreationDate", 1764331986}}}},
      {"Truncated", false}};
  CHECK(response_round_trip(ServiceId::kKms, "ListGrants", grants) == grants);
  CHECK(response_round_trip(ServiceId::kKms, "EnableKey", json::object()) == json::object());
}

TEST_CASE("Codec round trip: KMS client body matches the JS SDK byte for byte", "[protocol]") {
  const auto goldens = load_goldens();
  const auto& js = goldens[14].request;  // js-sdk/02-kms-Encrypt.http
  const auto request = encode_request(op(ServiceId::kKms, "Encrypt"), json::parse(js.body));
  REQUIRE(request.ok());
  CHECK(request->body == js.body);
  CHECK(request->headers.get("X-Amz-Target") == "TrentService.Encrypt");
  CHECK(request->headers.get("Content-Type") == "application/x-amz-json-1.1");
}

TEST_CASE("Codec round trip: SSM parameters", "[protocol]") {
  request_round_trip(ServiceId::kSsm,
                     "PutParameter",
                     {{"Name", "/images/latest"},
                      {"Value", "ami-1"},
                      {"Type", "String"},
                      {"Overwrite", true},
                      {"DataType", "aws:ec2:image"}});
  const json output = {{"Parameter",
                        {{"Name", "/images/latest"},
                         {"Type", "String"},
                         {"Value", "ami-1"},
                         {"Version", 3},
                         {"LastModifiedDate", 1764331986.123},
                         {"DataType", "aws:ec2:image"}}}};
  CHECK(response_round_trip(ServiceId::kSsm, "GetParameter", output) == output);
}

TEST_CASE("Codec round trip: Image Builder distribution configuration", "[protocol]") {
  const json input = {
      {"name", "cross-account"},
      {"description", "d"},
      {"distributions",
       {{{"region", "us-west-2"},
         {"amiDistributionConfiguration",
          {{"name", "Name {{ imagebuilder:buildDate }}"},
           {"targetAccountIds", {"123456789012", "987654321098"}},
           {"kmsKeyId", "alias/dest"},
           {"amiTags", {{"CreatedBy", "EC2 Image Builder"}}},
           {"launchPermission", {{"userIds", {"123456789012"}}}}}},
         {"launchTemplateConfigurations",
          {{{"launchTemplateId", "lt-0123456789abcdef0"}, {"setDefaultVersion", true}}}}}}},
      {"tags", {{"team", "images"}}},
      {"clientToken", "token-1"}};
  request_round_trip(ServiceId::kImageBuilder, "CreateDistributionConfiguration", input);
  const auto request =
      encode_request(op(ServiceId::kImageBuilder, "CreateDistributionConfiguration"), input);
  REQUIRE(request.ok());
  CHECK(request->method == "PUT");
  CHECK(request->target == "/CreateDistributionConfiguration");
  CHECK(request->headers.get("Content-Type") == "application/json");
  request_round_trip(
      ServiceId::kImageBuilder, "ListImages", {{"owner", "Self"}, {"maxResults", 5}});
}

TEST_CASE("Codec round trip: Image Builder GET requests use the query string", "[protocol]") {
  const auto goldens = load_goldens();
  const auto& cli = goldens[1].request;  // awscli/02-imagebuilder-get-distribution-configuration
  const OperationRef get = op(ServiceId::kImageBuilder, "GetDistributionConfiguration");
  const auto request =
      encode_request(get,
                     {{"distributionConfigurationArn",
                       "arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/"
                       "cross-account-distribution-example"}});
  REQUIRE(request.ok());
  CHECK(request->method == "GET");
  CHECK(request->target == cli.target);
  CHECK(request->body.empty());
  CHECK(request->headers.find("Content-Type") == nullptr);
}

TEST_CASE("Codec round trip: Image Builder responses carry the request id", "[protocol]") {
  const json configuration = {
      {"arn",
       "arn:aws:imagebuilder:us-west-2:123456789012:distribution-configuration/cross-account"},
      {"name", "cross-account"},
      {"distributions",
       {{{"region", "us-west-2"},
         {"amiDistributionConfiguration", {{"targetAccountIds", {"987654321098"}}}}}}},
      {"timeoutMinutes", 360},
      {"dateCreated", "2026-11-28T12:13:06.597Z"},
      {"tags", {{"team", "images"}}}};
  const json output = {{"distributionConfiguration", configuration}};
  const json decoded =
      response_round_trip(ServiceId::kImageBuilder, "GetDistributionConfiguration", output);
  json expected = output;
  expected["requestId"] = "req-1";
  CHECK(decoded == expected);
  const auto response = encode_response(
      op(ServiceId::kImageBuilder, "GetDistributionConfiguration"), output, "req-1");
  REQUIRE(response.ok());
  CHECK(response->headers.get("Content-Type") == "application/json");
  CHECK(response->headers.get("x-amzn-RequestId") == "req-1");
}

TEST_CASE("Codec round trip: idempotency tokens are filled like the SDKs do", "[protocol]") {
  const OperationRef create = op(ServiceId::kImageBuilder, "CreateImage");
  json input = {
      {"imageRecipeArn", "arn:aws:imagebuilder:us-west-2:123456789012:image-recipe/r/1.0.0"}};
  int calls = 0;
  fill_idempotency_tokens(create, input, [&] {
    ++calls;
    return std::string("token-") + std::to_string(calls);
  });
  CHECK(input.at("clientToken") == "token-1");
  fill_idempotency_tokens(create, input, [&] { return std::string("other"); });
  CHECK(input.at("clientToken") == "token-1");
  json copy = json::object();
  fill_idempotency_tokens(op(ServiceId::kEc2, "CopyImage"), copy, [] { return std::string("t"); });
  CHECK(copy == json{{"ClientToken", "t"}});
}

}  // namespace
}  // namespace ibsim::mock_aws::protocol
