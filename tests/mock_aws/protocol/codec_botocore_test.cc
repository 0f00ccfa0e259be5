// The responses and errors the codecs encode, parsed by botocore's own parsers (the parsers the
// AWS CLI and boto3 run): tests/mock_aws/protocol/botocore_parse.py prints what botocore makes of
// them. Skipped with a warning when python3 or botocore is missing.

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include "mock_aws/crypto/encoding.h"
#include "mock_aws/protocol/codec.h"
#include "tests/mock_aws/protocol/codec_test_util.h"

namespace ibsim::mock_aws::protocol {
namespace {

using nlohmann::json;
using testing::op;

struct Parsed {
  bool skipped = false;
  json results;
};

json manifest_entry(ServiceId service, std::string_view operation, const HttpResponse& r) {
  const ServiceModel& s = service_model(service);
  json headers = json::array();
  for (const auto& [k, v] : r.headers.fields()) {
    headers.push_back({k, v});
  }
  return {{"service", s.name},
          {"version", s.api_version},
          {"operation", operation},
          {"status", r.status},
          {"headers", headers},
          {"body_base64", crypto::base64_encode(std::string_view(r.body))}};
}

Parsed parse_with_botocore(const json& manifest) {
  const auto dir = std::filesystem::temp_directory_path()
                   / ("ibsim-codec-botocore-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "manifest.json";
  {
    std::ofstream out(path);
    out << manifest.dump();
  }
  const std::string command = std::string(IBSIM_PYTHON3) + " " + IBSIM_SOURCE_DIR
                              + "/tests/mock_aws/protocol/botocore_parse.py " + path.string();
  FILE* pipe = popen(command.c_str(), "r");
  REQUIRE(pipe != nullptr);
  std::string output;
  char buf[4096];
  std::size_t n = 0;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) {
    output.append(buf, n);
  }
  const int status = pclose(pipe);
  std::filesystem::remove_all(dir);
  Parsed parsed;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 77) {
    parsed.skipped = true;
    return parsed;
  }
  INFO(output);
  REQUIRE(WIFEXITED(status));
  REQUIRE(WEXITSTATUS(status) == 0);
  parsed.results = json::parse(output);
  return parsed;
}

struct Success {
  ServiceId service;
  const char* operation;
  json output;
};

TEST_CASE("Botocore: the real parsers read the codecs' responses", "[protocol]") {
  const std::vector<Success> cases = {
      {ServiceId::kEc2,
       "DescribeImages",
       {{"Images",
         {{{"ImageId", "ami-0abc"},
           {"State", "available"},
           {"Public", false},
           {"OwnerId", "123456789012"},
           {"BlockDeviceMappings",
            {{{"DeviceName", "/dev/xvda"},
              {"Ebs", {{"SnapshotId", "snap-1"}, {"VolumeSize", 8}, {"Encrypted", true}}}}}},
           {"Tags", {{{"Key", "Name"}, {"Value", "a <b> & c"}}}}},
          {{"ImageId", "ami-2"}, {"Tags", json::array()}}}}}},
      {ServiceId::kEc2, "ModifyImageAttribute", json::object()},
      {ServiceId::kEc2,
       "DescribeSnapshots",
       {{"Snapshots", {{{"SnapshotId", "snap-1"}, {"StartTime", 1764331986.25}}}}}},
      {ServiceId::kIam,
       "GetRole",
       {{"Role",
         {{"Path", "/"},
          {"RoleName", "r"},
          {"RoleId", "AROA1234567890123456"},
          {"Arn", "arn:aws:iam::123456789012:role/r"},
          {"CreateDate", 1764331986},
          {"MaxSessionDuration", 3600},
          {"Tags", {{{"Key", "k"}, {"Value", "v"}}}}}}}},
      {ServiceId::kIam, "DeleteRole", json::object()},
      {ServiceId::kSts,
       "AssumeRole",
       {{"Credentials",
         {{"AccessKeyId", "ASIA"},
          {"SecretAccessKey", "s"},
          {"SessionToken", "t"},
          {"Expiration", 1764335586.5}}},
        {"AssumedRoleUser",
         {{"AssumedRoleId", "AROA:s"}, {"Arn", "arn:aws:sts::1:assumed-role/r/s"}}}}},
      {ServiceId::kKms,
       "Encrypt",
       {{"CiphertextBlob", "AQIDBAU="},
        {"KeyId", "arn:aws:kms:us-west-2:123456789012:key/k"},
        {"EncryptionAlgorithm", "SYMMETRIC_DEFAULT"}}},
      {ServiceId::kKms,
       "DescribeKey",
       {{"KeyMetadata", {{"KeyId", "k"}, {"CreationDate", 1764331986.5}, {"Enabled", true}}}}},
      {ServiceId::kSsm,
       "GetParameter",
       {{"Parameter",
         {{"Name", "/p"}, {"Value", "v"}, {"Version", 2}, {"LastModifiedDate", 1764331986}}}}},
      {ServiceId::kImageBuilder,
       "GetDistributionConfiguration",
       {{"distributionConfiguration",
         {{"name", "n"},
          {"distributions",
           {{{"region", "us-west-2"},
             {"amiDistributionConfiguration", {{"targetAccountIds", {"987654321098"}}}}}}},
          {"timeoutMinutes", 360},
          {"tags", {{"team", "images"}}}}}}},
  };
  json manifest = json::array();
  for (const Success& c : cases) {
    const auto response = encode_response(op(c.service, c.operation), c.output, "req-1");
    REQUIRE(response.ok());
    manifest.push_back(manifest_entry(c.service, c.operation, *response));
  }
  const Parsed parsed = parse_with_botocore(manifest);
  if (parsed.skipped) {
    WARN("SKIPPED: python3 with botocore is not available");
    return;
  }
  REQUIRE(parsed.results.size() == cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    INFO(cases[i].operation);
    json expected = cases[i].output;
    expected["RequestId"] = "req-1";
    if (cases[i].service == ServiceId::kImageBuilder) {
      expected["requestId"] = "req-1";
    }
    CHECK(parsed.results[i] == expected);
  }
}

TEST_CASE("Botocore: the real parsers read the codecs' errors", "[protocol]") {
  struct ErrorCase {
    ServiceId service;
    const char* operation;
    sim::AwsError error;
    const char* type;  // query protocols report Sender/Receiver
  };

  const std::vector<ErrorCase> cases = {
      {ServiceId::kEc2,
       "CopyImage",
       sim::aws_error("InvalidAMIID.NotFound", "The image id '[ami-x]' does not exist"),
       nullptr},
      {ServiceId::kIam,
       "GetRole",
       sim::aws_error("NoSuchEntity", "The role with name r cannot be found.", 404),
       "Sender"},
      {ServiceId::kSts,
       "AssumeRole",
       sim::aws_error("ValidationError", "1 validation error detected: x"),
       "Sender"},
      {ServiceId::kKms,
       "Encrypt",
       sim::aws_error("NotFoundException", "Key 'k' does not exist"),
       nullptr},
      {ServiceId::kImageBuilder,
       "GetImage",
       sim::aws_error("ResourceNotFoundException", "no image", 404),
       nullptr},
      {ServiceId::kImageBuilder,
       "CreateImage",
       sim::aws_error("ServiceQuotaExceededException", "quota", 402),
       nullptr},
  };
  json manifest = json::array();
  for (const ErrorCase& c : cases) {
    manifest.push_back(
        manifest_entry(c.service, c.operation, encode_error(c.service, c.error, "req-2")));
  }
  const Parsed parsed = parse_with_botocore(manifest);
  if (parsed.skipped) {
    WARN("SKIPPED: python3 with botocore is not available");
    return;
  }
  REQUIRE(parsed.results.size() == cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    INFO(cases[i].error.code);
    const json& error = parsed.results[i].at("Error");
    CHECK(error.at("Code") == cases[i].error.code);
    CHECK(error.at("Message") == cases[i].error.message);
    if (cases[i].type != nullptr) {
      CHECK(error.at("Type") == cases[i].type);
    }
    CHECK(parsed.results[i].at("RequestId") == "req-2");
  }
}

}  // namespace
}  // namespace ibsim::mock_aws::protocol
