// Malformed input never crashes a codec: bad JSON, truncated forms, wrong types, duplicated and
// unknown parameters, huge numbers, invalid UTF-8, deep nesting, enormous lists and bodies all
// become the protocol's own error. Mutated golden requests and garbage responses too.

#include <catch2/catch.hpp>

#include "mock_aws/protocol/codec.h"
#include "tests/mock_aws/protocol/codec_test_util.h"

namespace ibsim::mock_aws::protocol {
namespace {

using testing::load_goldens;
using testing::op;

struct Case {
  const char* what;
  ServiceId service;
  HttpRequest request;
  const char* code;
};

HttpRequest kms(const std::string& op_name, std::string body) {
  HttpRequest r{"POST", "/", {}, std::move(body)};
  r.headers.add("X-Amz-Target", "TrentService." + op_name);
  r.headers.add("Content-Type", "application/x-amz-json-1.1");
  return r;
}

HttpRequest form(std::string body) {
  HttpRequest r{"POST", "/", {}, std::move(body)};
  r.headers.add("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  return r;
}

std::string nested(const std::string& open, const std::string& close, int depth) {
  std::string out;
  for (int i = 0; i < depth; ++i) {
    out += open;
  }
  for (int i = 0; i < depth; ++i) {
    out += close;
  }
  return out;
}

std::vector<Case> cases() {
  const std::string ec2 = "Action=DescribeImages&Version=2016-11-15";
  const std::string sts =
      "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr"
      "&RoleSessionName=s1";
  std::string many_params = ec2;
  for (int i = 1; i <= 10001; ++i) {
    many_params += "&ImageId." + std::to_string(i) + "=ami-1";
  }
  std::string many_tokens = "{\"KeyId\":\"k\",\"Plaintext\":\"aGk=\",\"GrantTokens\":[";
  for (int i = 0; i < 10001; ++i) {
    many_tokens += i == 0 ? "\"t\"" : ",\"t\"";
  }
  many_tokens += "]}";
  std::string deep_key = "Filter";
  for (int i = 0; i < 40; ++i) {
    deep_key += ".1";
  }
  return {
      // JSON 1.1
      {"truncated JSON",
       ServiceId::kKms,
       kms("Encrypt", "{\"KeyId\": \"k\", \"Plaint"),
       "SerializationException"},
      {"JSON array body", ServiceId::kKms, kms("Encrypt", "[1,2]"), "SerializationException"},
      {"JSON string body", ServiceId::kKms, kms("Encrypt", "\"str\""), "SerializationException"},
      {"bad literal", ServiceId::kKms, kms("Encrypt", "nul"), "SerializationException"},
      {"number for a string",
       ServiceId::kKms,
       kms("DescribeKey", "{\"KeyId\":5}"),
       "SerializationException"},
      {"object for a string",
       ServiceId::kKms,
       kms("DescribeKey", "{\"KeyId\":{}}"),
       "SerializationException"},
      {"blob not base64",
       ServiceId::kKms,
       kms("Encrypt", "{\"KeyId\":\"k\",\"Plaintext\":\"no!\"}"),
       "SerializationException"},
      {"number for a blob",
       ServiceId::kKms,
       kms("Encrypt", "{\"KeyId\":\"k\",\"Plaintext\":12}"),
       "SerializationException"},
      {"array for a map",
       ServiceId::kKms,
       kms("Encrypt", "{\"KeyId\":\"k\",\"Plaintext\":\"aGk=\",\"EncryptionContext\":[]}"),
       "SerializationException"},
      {"number in a map",
       ServiceId::kKms,
       kms("Encrypt", "{\"KeyId\":\"k\",\"Plaintext\":\"aGk=\",\"EncryptionContext\":{\"a\":1}}"),
       "SerializationException"},
      {"string for an integer",
       ServiceId::kKms,
       kms("ScheduleKeyDeletion", "{\"KeyId\":\"k\",\"PendingWindowInDays\":\"7\"}"),
       "SerializationException"},
      {"fraction for an integer",
       ServiceId::kKms,
       kms("ScheduleKeyDeletion", "{\"KeyId\":\"k\",\"PendingWindowInDays\":7.5}"),
       "SerializationException"},
      {"integer beyond 32 bits",
       ServiceId::kKms,
       kms("ScheduleKeyDeletion", "{\"KeyId\":\"k\",\"PendingWindowInDays\":3000000000}"),
       "SerializationException"},
      {"integer beyond 64 bits",
       ServiceId::kKms,
       kms("ScheduleKeyDeletion",
           "{\"KeyId\":\"k\",\"PendingWindowInDays\":99999999999999999999999}"),
       "SerializationException"},
      {"float overflow",
       ServiceId::kKms,
       kms("ScheduleKeyDeletion", "{\"KeyId\":\"k\",\"PendingWindowInDays\":1e400}"),
       "SerializationException"},
      {"string for a boolean",
       ServiceId::kKms,
       kms("Encrypt", "{\"KeyId\":\"k\",\"Plaintext\":\"aGk=\",\"DryRun\":\"true\"}"),
       "SerializationException"},
      {"null inside a list",
       ServiceId::kKms,
       kms("Encrypt", "{\"KeyId\":\"k\",\"Plaintext\":\"aGk=\",\"GrantTokens\":[null]}"),
       "SerializationException"},
      {"deep nesting",
       ServiceId::kKms,
       kms("Encrypt", "{\"GrantTokens\":" + nested("[", "]", 200) + "}"),
       "SerializationException"},
      {"deep objects",
       ServiceId::kKms,
       kms("Encrypt", nested("{\"a\":", "}", 100000).replace(0, 0, "")),
       "SerializationException"},
      {"invalid UTF-8",
       ServiceId::kKms,
       kms("DescribeKey", std::string("{\"KeyId\":\"\xff\xfe\"}")),
       "SerializationException"},
      {"enormous list", ServiceId::kKms, kms("Encrypt", many_tokens), "SerializationException"},
      {"enormous body",
       ServiceId::kKms,
       kms("DescribeKey", "{\"KeyId\":\"" + std::string(3u << 20, 'k') + "\"}"),
       "RequestEntityTooLarge"},
      // REST-JSON
      {"REST bad JSON",
       ServiceId::kImageBuilder,
       HttpRequest{"PUT", "/CreateDistributionConfiguration", {}, "{not json"},
       "SerializationException"},
      {"REST wrong type",
       ServiceId::kImageBuilder,
       HttpRequest{"PUT",
                   "/CreateDistributionConfiguration",
                   {},
                   "{\"name\":\"n\",\"distributions\":\"x\",\"clientToken\":\"t\"}"},
       "SerializationException"},
      {"REST string for an integer",
       ServiceId::kImageBuilder,
       HttpRequest{"POST", "/ListImages", {}, "{\"maxResults\":\"5\"}"},
       "SerializationException"},
      {"REST bad escape in the query",
       ServiceId::kImageBuilder,
       HttpRequest{"GET", "/GetImage?imageBuildVersionArn=%ZZ", {}, ""},
       "SerializationException"},
      {"REST deep nesting",
       ServiceId::kImageBuilder,
       HttpRequest{"PUT", "/CreateImage", {}, "{\"tags\":" + nested("{\"a\":", "}", 100) + "}"},
       "SerializationException"},
      // EC2 query
      {"EC2 bad escape", ServiceId::kEc2, form(ec2 + "&ImageId.1=%zz"), "MalformedQueryString"},
      {"EC2 truncated escape",
       ServiceId::kEc2,
       form(ec2 + "&ImageId.1=%E"),
       "MalformedQueryString"},
      {"EC2 invalid UTF-8",
       ServiceId::kEc2,
       form(ec2 + "&ImageId.1=%E0%A4"),
       "MalformedQueryString"},
      {"EC2 index zero", ServiceId::kEc2, form(ec2 + "&ImageId.0=ami-1"), "UnknownParameter"},
      {"EC2 index too large",
       ServiceId::kEc2,
       form(ec2 + "&ImageId.99999999=ami-1"),
       "UnknownParameter"},
      {"EC2 index not a number",
       ServiceId::kEc2,
       form(ec2 + "&ImageId.x=ami-1"),
       "UnknownParameter"},
      {"EC2 duplicated parameter",
       ServiceId::kEc2,
       form(ec2 + "&ImageId.1=a&ImageId.1=b"),
       "MalformedQueryString"},
      {"EC2 duplicated Action",
       ServiceId::kEc2,
       form(ec2 + "&Action=DescribeImages"),
       "MalformedQueryString"},
      {"EC2 huge number",
       ServiceId::kEc2,
       form(ec2 + "&MaxResults=99999999999999999999"),
       "InvalidParameterValue"},
      {"EC2 empty name segment",
       ServiceId::kEc2,
       form(ec2 + "&Filter..Name=x"),
       "MalformedQueryString"},
      {"EC2 too many segments",
       ServiceId::kEc2,
       form(ec2 + "&" + deep_key + "=x"),
       "MalformedQueryString"},
      {"EC2 too many parameters", ServiceId::kEc2, form(many_params), "MalformedQueryString"},
      {"EC2 value for a structure", ServiceId::kEc2, form(ec2 + "&Filter.1=x"), "UnknownParameter"},
      {"EC2 index on a scalar", ServiceId::kEc2, form(ec2 + "&DryRun.1=true"), "UnknownParameter"},
      {"EC2 list without index", ServiceId::kEc2, form(ec2 + "&ImageId=ami-1"), "UnknownParameter"},
      {"EC2 no Action", ServiceId::kEc2, form("Version=2016-11-15"), "MissingAction"},
      {"EC2 unknown parameter without input",
       ServiceId::kEc2,
       form("Action=GetEbsEncryptionByDefault&Version=2016-11-15&X=1"),
       "UnknownParameter"},
      // IAM / STS query
      {"STS string for an integer",
       ServiceId::kSts,
       form(sts + "&DurationSeconds=abc"),
       "InvalidParameterValue"},
      {"STS blank integer",
       ServiceId::kSts,
       form(sts + "&DurationSeconds="),
       "InvalidParameterValue"},
      {"STS bad list index",
       ServiceId::kSts,
       form(sts + "&Tags.member.x.Key=a"),
       "InvalidParameterValue"},
      {"STS list without member",
       ServiceId::kSts,
       form(sts + "&Tags.1.Key=a"),
       "InvalidParameterValue"},
      {"STS bad escape", ServiceId::kSts, form(sts + "&ExternalId=%"), "MalformedQueryString"},
      {"IAM invalid UTF-8",
       ServiceId::kIam,
       form("Action=GetRole&Version=2010-05-08&RoleName=%C3%28"),
       "MalformedQueryString"},
      {"IAM control case",
       ServiceId::kIam,
       form("Action=GetRole&Version=2010-05-08&RoleName=r"),
       ""},
  };
}

TEST_CASE("Malformed: every malformed request becomes the protocol's error", "[protocol]") {
  for (const Case& c : cases()) {
    INFO(c.what);
    const auto decoded = decode_request(c.service, c.request);
    if (std::string(c.code).empty()) {
      CHECK(decoded.ok());
      continue;
    }
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.error().code == c.code);
    CHECK(decoded.error().http_status >= 400);
    // The error itself encodes cleanly.
    const HttpResponse wire = encode_error(c.service, decoded.error(), "req");
    CHECK(wire.status == decoded.error().http_status);
    CHECK_FALSE(wire.body.empty());
  }
}

TEST_CASE("Malformed: duplicated JSON keys keep the last value", "[protocol]") {
  const auto d =
      decode_request(ServiceId::kKms, kms("DescribeKey", "{\"KeyId\":\"a\",\"KeyId\":\"b\"}"));
  REQUIRE(d.ok());
  CHECK(d->input.at("KeyId") == "b");
}

// A deterministic byte generator for the mutation test (tests may not read real randomness).
class Lcg {
 public:
  explicit Lcg(uint64_t seed) : state_(seed) {}

  uint64_t next() {
    state_ = state_ * 6364136223846793005ULL + 1442695040888963407ULL;
    return state_ >> 33;
  }

 private:
  uint64_t state_;
};

TEST_CASE("Malformed: mutated golden requests never crash a decoder", "[protocol]") {
  const auto goldens = load_goldens();
  const ServiceId services[] = {ServiceId::kImageBuilder,
                                ServiceId::kImageBuilder,
                                ServiceId::kImageBuilder,
                                ServiceId::kIam,
                                ServiceId::kIam,
                                ServiceId::kIam,
                                ServiceId::kSts,
                                ServiceId::kKms,
                                ServiceId::kKms,
                                ServiceId::kKms,
                                ServiceId::kKms,
                                ServiceId::kEc2,
                                ServiceId::kEc2,
                                ServiceId::kImageBuilder,
                                ServiceId::kKms,
                                ServiceId::kEc2,
                                ServiceId::kIam,
                                ServiceId::kSts};
  REQUIRE(goldens.size() == std::size(services));
  Lcg rng(42);
  const char interesting[] = {'{', '}', '[', ']', '"', '\\', '.', '&', '=', '%', '\0', '\xff', '1'};
  std::size_t accepted = 0;
  std::size_t refused = 0;
  for (std::size_t i = 0; i < goldens.size(); ++i) {
    for (int round = 0; round < 300; ++round) {
      HttpRequest r = goldens[i].request;
      std::string& target = (round % 5 == 0 && r.body.empty()) ? r.target : r.body;
      if (target.empty()) {
        continue;
      }
      const int edits = 1 + static_cast<int>(rng.next() % 4);
      for (int e = 0; e < edits; ++e) {
        const std::size_t at = rng.next() % target.size();
        switch (rng.next() % 4) {
          case 0:
            target[at] = interesting[rng.next() % sizeof interesting];
            break;
          case 1:
            target.erase(at, 1 + rng.next() % 8);
            break;
          case 2:
            target.insert(at, 1, static_cast<char>(rng.next() % 256));
            break;
          default:
            target.resize(at);
            break;
        }
        if (target.empty()) {
          break;
        }
      }
      const auto decoded = decode_request(services[i], r);
      if (decoded.ok()) {
        ++accepted;
        // Whatever was accepted encodes again on the client side.
        CHECK(encode_request(decoded->operation, decoded->input).ok());
      } else {
        ++refused;
        CHECK_FALSE(decoded.error().code.empty());
      }
    }
  }
  CHECK(accepted + refused > 5000);
  CHECK(refused > 0);
}

TEST_CASE("Malformed: garbage responses become client errors", "[protocol]") {
  struct Bad {
    ServiceId service;
    const char* operation;
    int status;
    std::string body;
    const char* code;
  };

  const std::vector<Bad> bad = {
      {ServiceId::kEc2,
       "DescribeImages",
       200,
       "<DescribeImagesResponse><imagesSet>",
       "MalformedResponse"},
      {ServiceId::kEc2, "DescribeImages", 200, "<html>hi</html", "MalformedResponse"},
      {ServiceId::kEc2,
       "DescribeImages",
       200,
       "<DescribeImagesResponse><imagesSet><item><imageId>a</imageId></item></imagesSet>"
       "<nextToken/></DescribeImagesResponse>",
       ""},
      {ServiceId::kEc2,
       "DescribeSnapshots",
       200,
       "<R><snapshotSet><item><startTime>yesterday</startTime></item></snapshotSet></R>",
       "MalformedResponse"},
      {ServiceId::kIam,
       "GetRole",
       200,
       "<GetRoleResponse><GetRoleResult><Role><MaxSessionDuration>x"
       "</MaxSessionDuration></Role></GetRoleResult></GetRoleResponse>",
       "MalformedResponse"},
      {ServiceId::kIam, "GetRole", 404, "not xml at all", "404"},
      {ServiceId::kIam,
       "GetRole",
       400,
       "<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>",
       "Throttling"},
      {ServiceId::kKms, "Encrypt", 200, "{\"CiphertextBlob\":5}", "MalformedResponse"},
      {ServiceId::kKms, "Encrypt", 200, "{\"CiphertextBlob\":\"@@\"}", "MalformedResponse"},
      {ServiceId::kKms, "Encrypt", 200, "[]", "MalformedResponse"},
      {ServiceId::kKms, "Encrypt", 200, "{", "MalformedResponse"},
      {ServiceId::kKms,
       "DescribeKey",
       200,
       "{\"KeyMetadata\":{\"KeyId\":\"k\",\"CreationDate\":1e300}}",
       "MalformedResponse"},
      {ServiceId::kSts,
       "AssumeRole",
       200,
       "<R><AssumeRoleResult><Credentials><Expiration>10000-01-01T00:00:00Z</Expiration>"
       "</Credentials></AssumeRoleResult></R>",
       "MalformedResponse"},
      {ServiceId::kKms, "Encrypt", 200, "", ""},
      {ServiceId::kKms, "Encrypt", 400, "{]", "400"},
      {ServiceId::kImageBuilder, "GetImage", 200, "{\"image\":[]}", "MalformedResponse"},
      {ServiceId::kImageBuilder, "GetImage", 500, "", "500"},
  };
  for (const Bad& b : bad) {
    INFO(b.body);
    HttpResponse r;
    r.status = b.status;
    r.body = b.body;
    const auto decoded = decode_response(op(b.service, b.operation), r);
    if (std::string(b.code).empty()) {
      CHECK(decoded.ok());
    } else {
      REQUIRE_FALSE(decoded.ok());
      CHECK(decoded.error().code == b.code);
    }
  }
}

TEST_CASE("Malformed: documents that do not fit the model are refused on encode", "[protocol]") {
  const auto response =
      encode_response(op(ServiceId::kKms, "Encrypt"), {{"CiphertextBlob", 5}}, "r");
  REQUIRE_FALSE(response.ok());
  CHECK(response.error().code == "InternalFailure");
  CHECK(response.error().http_status == 500);
  CHECK_FALSE(
      encode_response(op(ServiceId::kKms, "Encrypt"), {{"CiphertextBlob", "not base64"}}, "r")
          .ok());
  CHECK_FALSE(
      encode_response(op(ServiceId::kIam, "GetRole"), {{"Role", {{"CreateDate", 1e300}}}}, "r")
          .ok());
  const auto xml = encode_response(op(ServiceId::kEc2, "DescribeImages"), {{"Images", "x"}}, "r");
  REQUIRE_FALSE(xml.ok());
  CHECK(xml.error().code == "InternalError");
  CHECK_FALSE(encode_response(op(ServiceId::kIam, "GetRole"), nlohmann::json::array(), "r").ok());
  const auto request = encode_request(op(ServiceId::kEc2, "CopyImage"), {{"Encrypted", "yes"}});
  REQUIRE_FALSE(request.ok());
  CHECK(request.error().code == "ParamValidationError");
  CHECK_FALSE(encode_request(op(ServiceId::kKms, "Encrypt"), {{"GrantTokens", {1}}}).ok());
  CHECK_FALSE(
      encode_request(op(ServiceId::kImageBuilder, "GetImage"), {{"imageBuildVersionArn", 1}}).ok());
}

}  // namespace
}  // namespace ibsim::mock_aws::protocol
