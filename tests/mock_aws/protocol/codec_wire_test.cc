// Byte-level expectations for responses and errors of every protocol, the client's parsing of
// AWS's error shapes (including the variants real services send), and unknown operations.

#include <catch2/catch.hpp>

#include "mock_aws/protocol/codec.h"
#include "tests/mock_aws/protocol/codec_test_util.h"

namespace ibsim::mock_aws::protocol {
namespace {

using nlohmann::json;
using testing::op;

std::string body_of(ServiceId service, std::string_view name, const json& output) {
  const auto response = encode_response(op(service, name), output, "req-1");
  REQUIRE(response.ok());
  return response->body;
}

TEST_CASE("Codec wire: EC2 XML responses byte for byte", "[protocol]") {
  const json images = {{"Images",
                        {{{"ImageId", "ami-1"},
                          {"State", "available"},
                          {"Public", false},
                          {"BlockDeviceMappings",
                           {{{"DeviceName", "/dev/xvda"},
                             {"Ebs", {{"SnapshotId", "snap-1"}, {"Encrypted", true}}}}}},
                          {"Tags", json::array()}}}}};
  CHECK(body_of(ServiceId::kEc2, "DescribeImages", images)
        == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<DescribeImagesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
           "<requestId>req-1</requestId><imagesSet><item><blockDeviceMapping><item><ebs>"
           "<snapshotId>snap-1</snapshotId><encrypted>true</encrypted></ebs>"
           "<deviceName>/dev/xvda</deviceName></item></blockDeviceMapping><tagSet/>"
           "<imageId>ami-1</imageId><imageState>available</imageState><isPublic>false</isPublic>"
           "</item></imagesSet></DescribeImagesResponse>");
  CHECK(body_of(ServiceId::kEc2, "ModifyImageAttribute", json::object())
        == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<ModifyImageAttributeResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
           "<requestId>req-1</requestId><return>true</return></ModifyImageAttributeResponse>");
  CHECK(body_of(ServiceId::kEc2, "DescribeSnapshots",
                {{"Snapshots", {{{"SnapshotId", "snap-1"}, {"StartTime", 1764331986}}}}})
        == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
           "<DescribeSnapshotsResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
           "<requestId>req-1</requestId><snapshotSet><item><snapshotId>snap-1</snapshotId>"
           "<startTime>2025-11-28T12:13:06.000Z</startTime></item></snapshotSet>"
           "</DescribeSnapshotsResponse>");
  const auto response =
      encode_response(op(ServiceId::kEc2, "CopyImage"), {{"ImageId", "ami-2"}}, "r");
  REQUIRE(response.ok());
  CHECK(response->headers.get("Content-Type") == "text/xml;charset=UTF-8");
}

TEST_CASE("Codec wire: IAM and STS XML responses byte for byte", "[protocol]") {
  const json role = {{"Role",
                      {{"Path", "/"},
                       {"RoleName", "r"},
                       {"RoleId", "AROA1234567890123456"},
                       {"Arn", "arn:aws:iam::123456789012:role/r"},
                       {"CreateDate", 1764331986},
                       {"Tags", {{{"Key", "k"}, {"Value", "v & w"}}}}}}};
  CHECK(body_of(ServiceId::kIam, "GetRole", role)
        == "<GetRoleResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><GetRoleResult>"
           "<Role><Path>/</Path><RoleName>r</RoleName><RoleId>AROA1234567890123456</RoleId>"
           "<Arn>arn:aws:iam::123456789012:role/r</Arn><CreateDate>2025-11-28T12:13:06Z"
           "</CreateDate><Tags><member><Key>k</Key><Value>v &amp; w</Value></member></Tags>"
           "</Role></GetRoleResult><ResponseMetadata><RequestId>req-1</RequestId>"
           "</ResponseMetadata></GetRoleResponse>");
  CHECK(body_of(ServiceId::kIam, "DeleteRole", json::object())
        == "<DeleteRoleResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\">"
           "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>"
           "</DeleteRoleResponse>");
  CHECK(body_of(ServiceId::kSts, "GetCallerIdentity",
                {{"UserId", "AIDA"}, {"Account", "123456789012"}, {"Arn", "arn:aws:iam::1:user/u"}})
        == "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
           "<GetCallerIdentityResult><UserId>AIDA</UserId><Account>123456789012</Account>"
           "<Arn>arn:aws:iam::1:user/u</Arn></GetCallerIdentityResult><ResponseMetadata>"
           "<RequestId>req-1</RequestId></ResponseMetadata></GetCallerIdentityResponse>");
}

TEST_CASE("Codec wire: JSON responses keep model order and epoch timestamps", "[protocol]") {
  CHECK(body_of(ServiceId::kKms, "DescribeKey",
                {{"KeyMetadata", {{"KeyState", "Enabled"}, {"KeyId", "k"}, {"CreationDate", 1764331986.5}}}})
        == "{\"KeyMetadata\":{\"KeyId\":\"k\",\"CreationDate\":1764331986.5,\"KeyState\":\"Enabled\"}}");
  CHECK(body_of(ServiceId::kKms, "EnableKey", json::object()) == "{}");
  CHECK(body_of(ServiceId::kImageBuilder, "GetDistributionConfiguration",
                {{"distributionConfiguration", {{"name", "n"}, {"timeoutMinutes", 360}}}})
        == "{\"requestId\":\"req-1\",\"distributionConfiguration\":{\"name\":\"n\","
           "\"timeoutMinutes\":360}}");
  // Control characters and invalid UTF-8 in strings stay valid JSON.
  CHECK(body_of(ServiceId::kKms, "GetKeyPolicy", {{"Policy", std::string("a\"\\\n\x01\xff", 6)}})
        == "{\"Policy\":\"a\\\"\\\\\\n\\u0001\xEF\xBF\xBD\"}");
}

TEST_CASE("Codec wire: errors in each protocol's own shape", "[protocol]") {
  const sim::AwsError not_found =
      sim::aws_error("InvalidAMIID.NotFound", "The image id '[ami-x]' does not exist");
  const HttpResponse ec2 = encode_error(ServiceId::kEc2, not_found, "req-2");
  CHECK(ec2.status == 400);
  CHECK(ec2.body
        == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Response><Errors><Error>"
           "<Code>InvalidAMIID.NotFound</Code><Message>The image id '[ami-x]' does not exist"
           "</Message></Error></Errors><RequestID>req-2</RequestID></Response>");

  const HttpResponse iam =
      encode_error(ServiceId::kIam,
                   sim::aws_error("NoSuchEntity", "The role with name X cannot be found.", 404),
                   "req-3");
  CHECK(iam.status == 404);
  CHECK(iam.body
        == "<ErrorResponse xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><Error><Type>Sender"
           "</Type><Code>NoSuchEntity</Code><Message>The role with name X cannot be found."
           "</Message></Error><RequestId>req-3</RequestId></ErrorResponse>");
  const HttpResponse sts =
      encode_error(ServiceId::kSts, sim::aws_error("InternalFailure", "boom", 500), "req-4");
  CHECK(sts.body.find("<Type>Receiver</Type>") != std::string::npos);

  const HttpResponse kms = encode_error(
      ServiceId::kKms, sim::aws_error("NotFoundException", "Key 'k' does not exist"), "req-5");
  CHECK(kms.status == 400);
  CHECK(kms.body == "{\"__type\":\"NotFoundException\",\"message\":\"Key 'k' does not exist\"}");
  CHECK(kms.headers.get("Content-Type") == "application/x-amz-json-1.1");
  CHECK(kms.headers.get("x-amzn-RequestId") == "req-5");

  const auto status =
      modelled_error_status(ServiceId::kImageBuilder, "ServiceQuotaExceededException");
  REQUIRE(status.has_value());
  CHECK(*status == 402);
  const HttpResponse ib =
      encode_error(ServiceId::kImageBuilder,
                   sim::aws_error("ServiceQuotaExceededException", "quota", *status),
                   "req-6");
  CHECK(ib.status == 402);
  CHECK(ib.headers.get("x-amzn-ErrorType") == "ServiceQuotaExceededException");
  CHECK(ib.body == "{\"message\":\"quota\"}");
  CHECK(modelled_error_status(ServiceId::kIam, "NoSuchEntity") == std::optional<int>(404));
  CHECK(modelled_error_status(ServiceId::kImageBuilder, "CallRateLimitExceededException")
        == std::optional<int>(429));
  CHECK_FALSE(modelled_error_status(ServiceId::kKms, "NoSuchThing").has_value());
}

TEST_CASE("Codec wire: clients parse every error shape back into the same AwsError", "[protocol]") {
  struct Case {
    ServiceId service;
    const char* operation;
    sim::AwsError error;
  };

  const std::vector<Case> cases = {
      {ServiceId::kEc2,
       "CopyImage",
       sim::aws_error(
           "UnauthorizedOperation", "You are not authorized to perform this operation.", 403)},
      {ServiceId::kIam,
       "GetRole",
       sim::aws_error("NoSuchEntity", "The role with name r cannot be found.", 404)},
      {ServiceId::kSts,
       "AssumeRole",
       sim::aws_error("AccessDenied", "User: a is not authorized", 403)},
      {ServiceId::kKms, "Decrypt", sim::aws_error("InvalidCiphertextException", "", 400)},
      {ServiceId::kSsm, "GetParameter", sim::aws_error("ParameterNotFound", "p", 400)},
      {ServiceId::kImageBuilder,
       "GetImage",
       sim::aws_error("ResourceNotFoundException", "gone", 404)},
      {ServiceId::kImageBuilder, "CreateImage", sim::aws_error("ServiceException", "oops", 500)},
  };
  for (const Case& c : cases) {
    INFO(c.operation);
    const HttpResponse wire = encode_error(c.service, c.error, "req-9");
    const auto decoded = decode_response(op(c.service, c.operation), wire);
    REQUIRE_FALSE(decoded.ok());
    CHECK(decoded.error() == c.error);
  }
}

TEST_CASE("Codec wire: JSON error variants real services send", "[protocol]") {
  const OperationRef decrypt = op(ServiceId::kKms, "Decrypt");
  HttpResponse r;
  r.status = 400;
  r.body = R"({"__type":"com.amazonaws.kms#AccessDeniedException","Message":"User: x"})";
  auto d = decode_response(decrypt, r);
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().code == "AccessDeniedException");
  CHECK(d.error().message == "User: x");

  r.body = R"({"__type":"IncompleteSignatureException:http://internal.amazon.com/coral/x/"})";
  d = decode_response(decrypt, r);
  CHECK(d.error().code == "IncompleteSignatureException");

  r.status = 503;
  r.body = "<html><body>Service Unavailable</body></html>";
  d = decode_response(decrypt, r);
  CHECK(d.error().code == "503");
  CHECK(d.error().fault == sim::Fault::kReceiver);

  const OperationRef get = op(ServiceId::kImageBuilder, "GetImage");
  HttpResponse rest;
  rest.status = 403;
  rest.headers.add("x-amzn-errortype",
                   "ForbiddenException:http://internal.amazon.com/coral/com.amazon.imagebuilder/");
  rest.body = R"({"message":"User: arn is not authorized to perform: imagebuilder:GetImage"})";
  d = decode_response(get, rest);
  CHECK(d.error().code == "ForbiddenException");
  CHECK(d.error().http_status == 403);
  rest.headers = Headers();
  rest.body = R"({"code":"AccessDeniedException","message":"no"})";
  d = decode_response(get, rest);
  CHECK(d.error().code == "AccessDeniedException");
}

TEST_CASE("Codec wire: unknown operations get each protocol's own error", "[protocol]") {
  HttpRequest ec2{"POST", "/", {}, "Action=LaunchRockets&Version=2016-11-15"};
  auto d = decode_request(ServiceId::kEc2, ec2);
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().code == "InvalidAction");
  CHECK(d.error().message == "The action LaunchRockets is not valid for this web service.");
  CHECK(d.error().http_status == 400);

  HttpRequest iam{"POST", "/", {}, "Action=CreateGroup&Version=2010-05-08&GroupName=g"};
  d = decode_request(ServiceId::kIam, iam);
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().code == "InvalidAction");
  CHECK(d.error().message == "Could not find operation CreateGroup for version 2010-05-08");

  HttpRequest no_action{"POST", "/", {}, "Version=2011-06-15"};
  d = decode_request(ServiceId::kSts, no_action);
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().code == "MissingAction");

  HttpRequest kms{"POST", "/", {}, "{}"};
  kms.headers.add("X-Amz-Target", "TrentService.Sign");
  d = decode_request(ServiceId::kKms, kms);
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().code == "UnknownOperationException");
  CHECK(d.error().http_status == 400);
  kms.headers.set("X-Amz-Target", "AmazonSSM.GetParameter");
  CHECK(decode_request(ServiceId::kKms, kms).error().code == "UnknownOperationException");
  kms.headers.remove("X-Amz-Target");
  CHECK(decode_request(ServiceId::kKms, kms).error().code == "UnknownOperationException");
  const HttpResponse wire =
      encode_error(ServiceId::kKms, decode_request(ServiceId::kKms, kms).error(), "r");
  CHECK(wire.body == "{\"__type\":\"UnknownOperationException\"}");

  HttpRequest ib{"GET", "/ListWorkflows", {}, ""};
  d = decode_request(ServiceId::kImageBuilder, ib);
  REQUIRE_FALSE(d.ok());
  CHECK(d.error().code == "UnknownOperationException");
  CHECK(d.error().http_status == 404);
  // A known path with the wrong method is unknown too.
  HttpRequest wrong_method{"GET", "/CreateImage", {}, ""};
  CHECK(decode_request(ServiceId::kImageBuilder, wrong_method).error().code
        == "UnknownOperationException");
}

TEST_CASE("Codec wire: operation lookup by name and by request", "[protocol]") {
  CHECK(find_service("ec2") == std::optional<ServiceId>(ServiceId::kEc2));
  CHECK(find_service("imagebuilder") == std::optional<ServiceId>(ServiceId::kImageBuilder));
  CHECK_FALSE(find_service("s3").has_value());
  CHECK_FALSE(find_operation(ServiceId::kKms, "Sign").has_value());
  CHECK(find_operation(ServiceId::kKms, "ReEncrypt")->name() == "ReEncrypt");
  for (ServiceId id : kAllServices) {
    const ServiceModel& s = service_model(id);
    for (uint16_t i = 0; i < s.operations.size(); ++i) {
      const OperationRef ref(s, i);
      INFO(s.name << " " << ref.name());
      // Every operation the client encodes is identified again by the server.
      json input = json::object();
      const auto request = encode_request(ref, input);
      REQUIRE(request.ok());
      const auto identified = identify_operation(id, *request);
      REQUIRE(identified.ok());
      CHECK(*identified == ref);
    }
  }
}

}  // namespace
}  // namespace ibsim::mock_aws::protocol
