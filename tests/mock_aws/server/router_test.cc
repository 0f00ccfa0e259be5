// The router against a real World: service detection, authentication per protocol family
// (strict and lenient), regions, dispatch tables, errors with ibsim's explanation header, the
// change-observer seam and the catch-all. Requests are encoded with the protocol codecs and signed
// with sigv4::sign, or taken byte for byte from the golden captures of the AWS CLI and JS SDK.
#include "mock_aws/server/router.h"

#include <fstream>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "mock_aws/crypto/encoding.h"
#include "mock_aws/protocol/codec.h"
#include "sim/context.h"
#include "src/client/transports/codec_clients.h"
#include "src/scenario/world_loader.h"
#include "tests/mock_aws/protocol/codec_test_util.h"

namespace ibsim::mock_aws::server {
namespace {

using protocol::Document;
using protocol::HttpRequest;
using protocol::HttpResponse;
using protocol::ServiceId;
namespace sigv4 = protocol::sigv4;

constexpr int64_t kNow = 1'795'000'000'000;  // 2026-11-18, any fixed instant will do.
constexpr std::string_view kExampleKey = "AKIAIOSFODNN7EXAMPLE";
constexpr std::string_view kExampleSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

constexpr std::string_view kWorld = R"({
  "regions": ["us-east-1", "us-west-2"],
  "accounts": {
    "123456789012": {
      "rootAccessKeys": [{"accessKeyId": "AKIAIOSFODNN7EXAMPLE",
                          "secretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}],
      "users": {
        "nobody": {"accessKeys": [{"accessKeyId": "AKIANOBODY0000000001",
                                   "secretAccessKey": "nobodySecret"}]},
        "deployer": {
          "accessKeys": [{"accessKeyId": "AKIADEPLOYER00000001",
                          "secretAccessKey": "deployerSecret"}],
          "inlinePolicies": {"Assume": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}}
        }
      },
      "roles": {
        "Deployer": {
          "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}]},
          "inlinePolicies": {"All": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"}]}}
        }
      }
    },
    "210987654321": {}
  }
})";

const sigv4::Credentials kRoot{std::string(kExampleKey), std::string(kExampleSecret), ""};
const sigv4::Credentials kNobody{"AKIANOBODY0000000001", "nobodySecret", ""};
const sigv4::Credentials kDeployer{"AKIADEPLOYER00000001", "deployerSecret", ""};

struct Fixture {
  explicit Fixture(AuthMode mode = AuthMode::kStrict) : world(ctx) {
    const sim::Status loaded = scenario::load_world_text(kWorld, "router-test.json", world);
    INFO((loaded.ok() ? std::string() : loaded.error().message));
    REQUIRE(loaded.ok());
    router =
        std::make_unique<Router>(world, RouterOptions{.auth = mode, .wall_clock_unix_ms = [this] {
                                                        return now_ms;
                                                      }});
  }

  HttpRequest request(ServiceId service,
                      std::string_view operation,
                      const Document& input,
                      const sigv4::Credentials& credentials,
                      std::string_view region = "us-west-2") const {
    sim::Result<HttpRequest> r =
        protocol::encode_request(protocol::testing::op(service, operation), input);
    REQUIRE(r.ok());
    r->headers.set("Host", "127.0.0.1:4566");
    sigv4::sign(*r, credentials, region, protocol::service_model(service).signing_name, now_ms);
    return std::move(r).value();
  }

  HttpResponse call(ServiceId service,
                    std::string_view operation,
                    const Document& input,
                    const sigv4::Credentials& credentials,
                    std::string_view region = "us-west-2") {
    return router->handle(request(service, operation, input, credentials, region));
  }

  sim::Context ctx{{.seed = 11}};
  services::World world;
  int64_t now_ms = kNow;
  std::unique_ptr<Router> router;
};

sim::Result<protocol::DecodedResponse> decode(ServiceId service,
                                              std::string_view operation,
                                              const HttpResponse& response) {
  return protocol::decode_response(protocol::testing::op(service, operation), response);
}

// The AWS error code of an answer ("" for a success).
std::string code_of(ServiceId service, std::string_view operation, const HttpResponse& response) {
  const auto decoded = decode(service, operation, response);
  return decoded.ok() ? std::string() : decoded.error().code;
}

const std::set<std::string> kAuthCodes = {"IncompleteSignature",
                                          "IncompleteSignatureException",
                                          "SignatureDoesNotMatch",
                                          "InvalidSignatureException",
                                          "AuthFailure",
                                          "InvalidClientTokenId",
                                          "UnrecognizedClientException",
                                          "MissingAuthenticationToken",
                                          "MissingAuthenticationTokenException",
                                          "RequestExpired",
                                          "ExpiredToken",
                                          "ExpiredTokenException"};

TEST_CASE("Router: every operation of operations.txt is served except DescribeRegions",
          "[router]") {
  Fixture f;
  std::ifstream in(std::string(IBSIM_SOURCE_DIR) + "/scripts/shapes/operations.txt");
  REQUIRE(in.good());
  std::string line;
  int served = 0;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    const std::size_t space = line.find(' ');
    const auto service = protocol::find_service(line.substr(0, space));
    REQUIRE(service.has_value());
    const std::string operation = line.substr(space + 1);
    INFO(line);
    if (operation == "DescribeRegions") {
      CHECK_FALSE(f.router->serves(*service, operation));
    } else {
      CHECK(f.router->serves(*service, operation));
      ++served;
    }
  }
  CHECK(served > 100);
}

TEST_CASE("Router: every golden client request authenticates at its own time", "[router]") {
  Fixture f;
  for (const protocol::testing::GoldenRequest& g : protocol::testing::load_goldens()) {
    INFO(g.name);
    const auto date = sigv4::parse_amz_date(g.request.headers.get("X-Amz-Date"));
    REQUIRE(date.has_value());
    f.now_ms = *date + 1000;
    const auto scope = sigv4::credential_scope_service(g.request);
    REQUIRE(scope.has_value());
    const ServiceId service = *protocol::find_service(*scope);
    const auto op = protocol::identify_operation(service, g.request);
    REQUIRE(op.ok());
    const HttpResponse response = f.router->handle(g.request);
    const auto decoded = protocol::decode_response(*op, response);
    const std::string code = decoded.ok() ? std::string() : decoded.error().code;
    INFO(code << ": " << (decoded.ok() ? std::string() : decoded.error().message));
    CHECK(kAuthCodes.count(code) == 0);
    CHECK_FALSE(response.headers.get("x-amzn-RequestId").empty());

    // One changed signed byte (the body, or the query of a GET) fails the signature.
    HttpRequest tampered = g.request;
    if (!tampered.body.empty()) {
      tampered.body[tampered.body.size() / 2] ^= 0x01;
    } else {
      tampered.target.back() = tampered.target.back() == 'a' ? 'b' : 'a';
    }
    const auto refused = protocol::decode_response(*op, f.router->handle(tampered));
    REQUIRE_FALSE(refused.ok());
    CHECK((refused.error().code == "InvalidSignatureException"
           || refused.error().code == "SignatureDoesNotMatch"
           || refused.error().code == "AuthFailure"));
  }
}

TEST_CASE("Router: unsigned requests get their protocol's MissingAuthenticationToken", "[router]") {
  Fixture f;

  struct Case {
    ServiceId service;
    std::string_view operation;
    Document input;
    std::string_view code;
    int status;
  };

  const std::vector<Case> cases = {
      {ServiceId::kKms, "ListKeys", Document::object(), "MissingAuthenticationTokenException", 400},
      {ServiceId::kSsm,
       "GetParameter",
       {{"Name", "/x"}},
       "MissingAuthenticationTokenException",
       400},
      {ServiceId::kEc2, "DescribeImages", Document::object(), "MissingAuthenticationToken", 401},
      {ServiceId::kIam, "GetRole", {{"RoleName", "Deployer"}}, "MissingAuthenticationToken", 403},
      {ServiceId::kSts, "GetCallerIdentity", Document::object(), "MissingAuthenticationToken", 403},
      {ServiceId::kImageBuilder,
       "ListImages",
       Document::object(),
       "MissingAuthenticationTokenException",
       400},
  };
  for (const Case& c : cases) {
    INFO(c.operation);
    sim::Result<HttpRequest> r =
        protocol::encode_request(protocol::testing::op(c.service, c.operation), c.input);
    REQUIRE(r.ok());
    const HttpResponse response = f.router->handle(*r);
    CHECK(response.status == c.status);
    CHECK(code_of(c.service, c.operation, response) == c.code);
  }
  // Nothing recognisable at all.
  HttpRequest junk{.method = "GET", .target = "/favicon.ico"};
  CHECK(f.router->handle(junk).status == 501);
  // ibsim's own health endpoint needs no signature.
  const HttpResponse health = f.router->handle({.method = "GET", .target = "/_ibsim/health"});
  CHECK(health.status == 200);
  CHECK(health.body.find("\"running\"") != std::string::npos);
}

TEST_CASE("Router: an unknown access key gets each family's error with an explanation",
          "[router]") {
  Fixture f;
  const sigv4::Credentials nobody{"AKIAUNKNOWN000000001", "x", ""};
  HttpResponse kms = f.call(ServiceId::kKms, "ListKeys", Document::object(), nobody);
  CHECK(kms.status == 400);
  CHECK(code_of(ServiceId::kKms, "ListKeys", kms) == "UnrecognizedClientException");
  const std::string* explanation = kms.headers.find(kExplanationHeader);
  REQUIRE(explanation != nullptr);
  const auto text = crypto::base64_decode(*explanation);
  REQUIRE(text.has_value());
  CHECK(std::string(text->begin(), text->end()).find("AKIAUNKNOWN000000001") != std::string::npos);

  HttpResponse sts = f.call(ServiceId::kSts, "GetCallerIdentity", Document::object(), nobody);
  CHECK(sts.status == 403);
  CHECK(code_of(ServiceId::kSts, "GetCallerIdentity", sts) == "InvalidClientTokenId");
  HttpResponse ec2 = f.call(ServiceId::kEc2, "DescribeImages", Document::object(), nobody);
  CHECK(ec2.status == 401);
  CHECK(code_of(ServiceId::kEc2, "DescribeImages", ec2) == "AuthFailure");
  CHECK(f.router->stats().auth_failures == 3);
}

TEST_CASE("Router: a wrong secret and a stale signature are refused per family", "[router]") {
  Fixture f;
  const sigv4::Credentials wrong{std::string(kExampleKey), "not-the-secret", ""};
  HttpResponse kms = f.call(ServiceId::kKms, "ListKeys", Document::object(), wrong);
  CHECK(code_of(ServiceId::kKms, "ListKeys", kms) == "InvalidSignatureException");
  HttpResponse iam = f.call(ServiceId::kIam, "GetRole", {{"RoleName", "Deployer"}}, wrong);
  CHECK(iam.status == 403);
  CHECK(code_of(ServiceId::kIam, "GetRole", iam) == "SignatureDoesNotMatch");

  // Signed ten minutes before the server's clock: outside JSON's 5-minute window, inside the
  // query protocols' 15 minutes.
  const HttpRequest old_kms =
      f.request(ServiceId::kKms, "ListKeys", Document::object(), kRoot, "us-west-2");
  const HttpRequest old_sts =
      f.request(ServiceId::kSts, "GetCallerIdentity", Document::object(), kRoot);
  f.now_ms += 10 * 60 * 1000;
  const auto stale = decode(ServiceId::kKms, "ListKeys", f.router->handle(old_kms));
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.error().code == "InvalidSignatureException");
  CHECK(stale.error().message.rfind("Signature expired: ", 0) == 0);
  CHECK(code_of(ServiceId::kSts, "GetCallerIdentity", f.router->handle(old_sts)).empty());
}

TEST_CASE("Router: strict auth refuses an account id as access key and lenient accepts it",
          "[router]") {
  const sigv4::Credentials account_id{"123456789012", "anything", ""};
  {
    Fixture strict;
    HttpResponse r =
        strict.call(ServiceId::kSts, "GetCallerIdentity", Document::object(), account_id);
    CHECK(code_of(ServiceId::kSts, "GetCallerIdentity", r) == "InvalidClientTokenId");
    CHECK(r.headers.find(kExplanationHeader) != nullptr);
  }
  Fixture lenient(AuthMode::kLenient);
  HttpResponse r =
      lenient.call(ServiceId::kSts, "GetCallerIdentity", Document::object(), account_id);
  const auto who = decode(ServiceId::kSts, "GetCallerIdentity", r);
  REQUIRE(who.ok());
  CHECK(who->output["Arn"] == "arn:aws:iam::123456789012:root");
  // Keys the world knows are still verified in lenient mode.
  const sigv4::Credentials wrong{std::string(kExampleKey), "not-the-secret", ""};
  CHECK(code_of(ServiceId::kSts,
                "GetCallerIdentity",
                lenient.call(ServiceId::kSts, "GetCallerIdentity", Document::object(), wrong))
        == "SignatureDoesNotMatch");
}

class RecordingObserver final : public ChangeObserver {
 public:
  sim::Status on_change(const AppliedChange& change) override {
    seen.push_back(std::string(change.operation));
    if (throw_next) {
      throw std::runtime_error("observer exploded");
    }
    if (fail_next) {
      return sim::aws_error("DiskFull", "no space left on the state volume", 500);
    }
    return sim::ok_status();
  }

  std::vector<std::string> seen;
  bool fail_next = false;
  bool throw_next = false;
};

TEST_CASE("Router: lenient auth creates an unknown account on first use", "[router]") {
  Fixture f(AuthMode::kLenient);
  RecordingObserver observer;
  f.router->set_change_observer(&observer);
  const api::AccountId fresh = api::AccountId::from_valid("555555555555");
  REQUIRE_FALSE(f.world.iam().has_account(fresh));
  HttpResponse r =
      f.call(ServiceId::kSts, "GetCallerIdentity", Document::object(), {"555555555555", "x", ""});
  CHECK(code_of(ServiceId::kSts, "GetCallerIdentity", r).empty());
  CHECK(f.world.iam().has_account(fresh));
  CHECK(f.router->stats().accounts_created == 1);
  CHECK(observer.seen == std::vector<std::string>{std::string(kCreateAccountChange)});
}

TEST_CASE("Router: session credentials need their token and expire in virtual time", "[router]") {
  Fixture f;
  const auto assumed = decode(ServiceId::kSts,
                              "AssumeRole",
                              f.call(ServiceId::kSts,
                                     "AssumeRole",
                                     {{"RoleArn", "arn:aws:iam::123456789012:role/Deployer"},
                                      {"RoleSessionName", "deploy"}},
                                     kDeployer));
  INFO((assumed.ok() ? std::string() : assumed.error().code + ": " + assumed.error().message));
  REQUIRE(assumed.ok());
  const Document& c = assumed->output["Credentials"];
  const sigv4::Credentials session{c["AccessKeyId"].get<std::string>(),
                                   c["SecretAccessKey"].get<std::string>(),
                                   c["SessionToken"].get<std::string>()};
  const auto who = decode(ServiceId::kSts,
                          "GetCallerIdentity",
                          f.call(ServiceId::kSts, "GetCallerIdentity", {}, session));
  REQUIRE(who.ok());
  CHECK(who->output["Arn"] == "arn:aws:sts::123456789012:assumed-role/Deployer/deploy");

  sigv4::Credentials tokenless = session;
  tokenless.session_token.clear();
  CHECK(code_of(ServiceId::kSts,
                "GetCallerIdentity",
                f.call(ServiceId::kSts, "GetCallerIdentity", {}, tokenless))
        == "InvalidClientTokenId");
  sigv4::Credentials root_with_token = kRoot;
  root_with_token.session_token = session.session_token;
  CHECK(code_of(ServiceId::kKms,
                "ListKeys",
                f.call(ServiceId::kKms, "ListKeys", Document::object(), root_with_token))
        == "UnrecognizedClientException");

  // One virtual hour later the session is over, in each family's words.
  f.ctx.scheduler().run_for(sim::Duration::hours(2));
  CHECK(code_of(ServiceId::kSts,
                "GetCallerIdentity",
                f.call(ServiceId::kSts, "GetCallerIdentity", {}, session))
        == "ExpiredToken");
  CHECK(code_of(ServiceId::kKms,
                "ListKeys",
                f.call(ServiceId::kKms, "ListKeys", Document::object(), session))
        == "ExpiredTokenException");
  CHECK(code_of(ServiceId::kEc2,
                "DescribeImages",
                f.call(ServiceId::kEc2, "DescribeImages", Document::object(), session))
        == "RequestExpired");
}

TEST_CASE("Router: a user created over the wire gets permissions from its user policies",
          "[router]") {
  Fixture f;
  REQUIRE(code_of(ServiceId::kIam,
                  "CreateUser",
                  f.call(ServiceId::kIam, "CreateUser", {{"UserName", "carol"}}, kRoot))
              .empty());
  const auto key =
      decode(ServiceId::kIam,
             "CreateAccessKey",
             f.call(ServiceId::kIam, "CreateAccessKey", {{"UserName", "carol"}}, kRoot));
  REQUIRE(key.ok());
  const Document& k = key->output["AccessKey"];
  const sigv4::Credentials carol{
      k["AccessKeyId"].get<std::string>(), k["SecretAccessKey"].get<std::string>(), ""};
  const auto list_roles = [&] {
    return code_of(ServiceId::kIam,
                   "ListRoles",
                   f.call(ServiceId::kIam, "ListRoles", Document::object(), carol));
  };
  CHECK(list_roles() == "AccessDenied");

  // An inline policy through PutUserPolicy.
  const std::string allow_list =
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:ListRoles","Resource":"*"}]})";
  REQUIRE(
      code_of(
          ServiceId::kIam,
          "PutUserPolicy",
          f.call(ServiceId::kIam,
                 "PutUserPolicy",
                 {{"UserName", "carol"}, {"PolicyName", "list"}, {"PolicyDocument", allow_list}},
                 kRoot))
          .empty());
  CHECK(list_roles().empty());
  const auto got = decode(ServiceId::kIam,
                          "GetUserPolicy",
                          f.call(ServiceId::kIam,
                                 "GetUserPolicy",
                                 {{"UserName", "carol"}, {"PolicyName", "list"}},
                                 kRoot));
  REQUIRE(got.ok());
  CHECK(got->output["PolicyDocument"] == allow_list);
  const auto names =
      decode(ServiceId::kIam,
             "ListUserPolicies",
             f.call(ServiceId::kIam, "ListUserPolicies", {{"UserName", "carol"}}, kRoot));
  REQUIRE(names.ok());
  CHECK(names->output["PolicyNames"] == Document::array({"list"}));
  REQUIRE(code_of(ServiceId::kIam,
                  "DeleteUserPolicy",
                  f.call(ServiceId::kIam,
                         "DeleteUserPolicy",
                         {{"UserName", "carol"}, {"PolicyName", "list"}},
                         kRoot))
              .empty());
  CHECK(list_roles() == "AccessDenied");

  // A managed policy through AttachUserPolicy.
  const auto created = decode(ServiceId::kIam,
                              "CreatePolicy",
                              f.call(ServiceId::kIam,
                                     "CreatePolicy",
                                     {{"PolicyName", "ListRoles"}, {"PolicyDocument", allow_list}},
                                     kRoot));
  REQUIRE(created.ok());
  REQUIRE(code_of(ServiceId::kIam,
                  "AttachUserPolicy",
                  f.call(ServiceId::kIam,
                         "AttachUserPolicy",
                         {{"UserName", "carol"},
                          {"PolicyArn", created->output["Policy"]["Arn"].get<std::string>()}},
                         kRoot))
              .empty());
  CHECK(list_roles().empty());
  const auto listed =
      decode(ServiceId::kIam,
             "ListAttachedUserPolicies",
             f.call(ServiceId::kIam, "ListAttachedUserPolicies", {{"UserName", "carol"}}, kRoot));
  REQUIRE(listed.ok());
  REQUIRE(listed->output["AttachedPolicies"].size() == 1);
  const std::string arn = listed->output["AttachedPolicies"][0]["PolicyArn"].get<std::string>();
  REQUIRE(code_of(ServiceId::kIam,
                  "DetachUserPolicy",
                  f.call(ServiceId::kIam,
                         "DetachUserPolicy",
                         {{"UserName", "carol"}, {"PolicyArn", arn}},
                         kRoot))
              .empty());
  CHECK(list_roles() == "AccessDenied");
  CHECK(code_of(ServiceId::kIam,
                "AttachUserPolicy",
                f.call(ServiceId::kIam,
                       "AttachUserPolicy",
                       {{"UserName", "nobody-here"}, {"PolicyArn", arn}},
                       kRoot))
        == "NoSuchEntity");

  // An Inactive key fails authentication; DeleteUser waits for the keys to go.
  const std::string key_id = carol.access_key_id;
  REQUIRE(code_of(ServiceId::kIam,
                  "UpdateAccessKey",
                  f.call(ServiceId::kIam,
                         "UpdateAccessKey",
                         {{"UserName", "carol"}, {"AccessKeyId", key_id}, {"Status", "Inactive"}},
                         kRoot))
              .empty());
  CHECK(list_roles() == "InvalidClientTokenId");
  CHECK(code_of(ServiceId::kIam,
                "DeleteUser",
                f.call(ServiceId::kIam, "DeleteUser", {{"UserName", "carol"}}, kRoot))
        == "DeleteConflict");
  const auto keys =
      decode(ServiceId::kIam,
             "ListAccessKeys",
             f.call(ServiceId::kIam, "ListAccessKeys", {{"UserName", "carol"}}, kRoot));
  REQUIRE(keys.ok());
  REQUIRE(keys->output["AccessKeyMetadata"].size() == 1);
  CHECK(keys->output["AccessKeyMetadata"][0]["Status"] == "Inactive");
  REQUIRE(code_of(ServiceId::kIam,
                  "DeleteAccessKey",
                  f.call(ServiceId::kIam,
                         "DeleteAccessKey",
                         {{"UserName", "carol"}, {"AccessKeyId", key_id}},
                         kRoot))
              .empty());
  CHECK(code_of(ServiceId::kIam,
                "DeleteUser",
                f.call(ServiceId::kIam, "DeleteUser", {{"UserName", "carol"}}, kRoot))
            .empty());
  const auto users = decode(ServiceId::kIam,
                            "ListUsers",
                            f.call(ServiceId::kIam, "ListUsers", Document::object(), kRoot));
  REQUIRE(users.ok());
  for (const Document& u : users->output["Users"]) {
    CHECK(u["UserName"] != "carol");
  }
}

TEST_CASE("Router: IAM and STS answer any signing region and the others only the world's",
          "[router]") {
  Fixture f;
  CHECK(code_of(ServiceId::kIam,
                "GetRole",
                f.call(ServiceId::kIam, "GetRole", {{"RoleName", "Deployer"}}, kRoot, "eu-west-3"))
            .empty());
  CHECK(code_of(ServiceId::kSts,
                "GetCallerIdentity",
                f.call(ServiceId::kSts, "GetCallerIdentity", {}, kRoot, "ap-south-1"))
            .empty());
  CHECK(code_of(ServiceId::kKms,
                "ListKeys",
                f.call(ServiceId::kKms, "ListKeys", Document::object(), kRoot, "us-east-1"))
            .empty());
  const auto kms =
      decode(ServiceId::kKms,
             "ListKeys",
             f.call(ServiceId::kKms, "ListKeys", Document::object(), kRoot, "eu-west-3"));
  REQUIRE_FALSE(kms.ok());
  CHECK(kms.error().code == "UnrecognizedClientException");
  CHECK(kms.error().message.find("region 'eu-west-3' is not enabled") != std::string::npos);
  const HttpResponse ec2 =
      f.call(ServiceId::kEc2, "DescribeImages", Document::object(), kRoot, "nowhere-1");
  CHECK(ec2.status == 401);
  CHECK(code_of(ServiceId::kEc2, "DescribeImages", ec2) == "AuthFailure");
}

TEST_CASE("Router: a model's denial keeps ibsim's explanation in a header", "[router]") {
  Fixture f;
  const HttpResponse r =
      f.call(ServiceId::kIam, "GetRole", {{"RoleName", "Deployer"}}, kNobody, "us-east-1");
  const auto denied = decode(ServiceId::kIam, "GetRole", r);
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.error().code == "AccessDenied");
  CHECK(r.status == 403);
  const std::string* header = r.headers.find(kExplanationHeader);
  REQUIRE(header != nullptr);
  const auto json = crypto::base64_decode(*header);
  REQUIRE(json.has_value());
  const Document explanation = Document::parse(std::string(json->begin(), json->end()));
  CHECK(explanation.contains("decision"));
  // The header name is the one the client transports read.
  CHECK(kExplanationHeader == client::kExplanationHeader);
}

TEST_CASE("Router: an operation without a model method is the protocol's unknown operation",
          "[router]") {
  Fixture f;
  const auto r = decode(ServiceId::kEc2,
                        "DescribeRegions",
                        f.call(ServiceId::kEc2, "DescribeRegions", Document::object(), kRoot));
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "InvalidAction");
  CHECK(r.error().message == "The action DescribeRegions is not valid for this web service.");
  // An operation the codec does not know at all: the codec's own error.
  HttpRequest bad = f.request(ServiceId::kKms, "ListKeys", Document::object(), kRoot);
  bad.headers.set("X-Amz-Target", "TrentService.MakeCoffee");
  sigv4::sign(bad, kRoot, "us-west-2", "kms", f.now_ms);
  const HttpResponse unknown = f.router->handle(bad);
  CHECK(unknown.status == 400);
  CHECK(unknown.body.find("UnknownOperationException") != std::string::npos);
}

TEST_CASE("Router: the change observer sees mutating requests and can refuse them", "[router]") {
  Fixture f;
  RecordingObserver observer;
  f.router->set_change_observer(&observer);
  CHECK(code_of(ServiceId::kKms,
                "ListKeys",
                f.call(ServiceId::kKms, "ListKeys", Document::object(), kRoot))
            .empty());
  const auto created = decode(ServiceId::kKms,
                              "CreateKey",
                              f.call(ServiceId::kKms, "CreateKey", Document::object(), kRoot));
  REQUIRE(created.ok());
  CHECK(observer.seen == std::vector<std::string>{"CreateKey"});

  observer.fail_next = true;
  const HttpResponse refused = f.call(ServiceId::kKms, "CreateKey", Document::object(), kRoot);
  CHECK(refused.status == 500);
  CHECK(code_of(ServiceId::kKms, "CreateKey", refused) == "InternalFailure");

  CHECK(is_mutating_operation(ServiceId::kEc2, "CopyImage"));
  CHECK(is_mutating_operation(ServiceId::kSts, "AssumeRole"));
  CHECK_FALSE(is_mutating_operation(ServiceId::kKms, "Encrypt"));
  CHECK_FALSE(is_mutating_operation(ServiceId::kKms, "GenerateDataKeyWithoutPlaintext"));
  CHECK_FALSE(is_mutating_operation(ServiceId::kImageBuilder, "GetImage"));
}

TEST_CASE("Router: a stray exception becomes InternalFailure in the protocol's shape", "[router]") {
  Fixture f;
  RecordingObserver observer;
  observer.throw_next = true;
  f.router->set_change_observer(&observer);
  const HttpResponse kms = f.call(ServiceId::kKms, "CreateKey", Document::object(), kRoot);
  CHECK(kms.status == 500);
  CHECK(code_of(ServiceId::kKms, "CreateKey", kms) == "InternalFailure");
  const HttpResponse iam = f.call(ServiceId::kIam,
                                  "CreateRole",
                                  {{"RoleName", "Another"},
                                   {"AssumeRolePolicyDocument",
                                    R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
                                    R"("Principal":{"Service":"ec2.amazonaws.com"},)"
                                    R"("Action":"sts:AssumeRole"}]})"}},
                                  kRoot);
  CHECK(iam.status == 500);
  CHECK(iam.body.find("<ErrorResponse") != std::string::npos);
  CHECK(code_of(ServiceId::kIam, "CreateRole", iam) == "InternalFailure");
  CHECK(f.router->stats().internal_errors == 2);
  // The server carries on.
  observer.throw_next = false;
  CHECK(code_of(ServiceId::kKms,
                "ListKeys",
                f.call(ServiceId::kKms, "ListKeys", Document::object(), kRoot))
            .empty());
}

TEST_CASE("Router: a request for another service gets NotImplemented", "[router]") {
  Fixture f;
  HttpRequest s3{.method = "GET", .target = "/"};
  s3.headers.set("Host", "127.0.0.1:4566");
  sigv4::sign(s3, kRoot, "us-east-1", "s3", f.now_ms);
  const HttpResponse r = f.router->handle(s3);
  CHECK(r.status == 501);
  CHECK(r.body.find("<Code>NotImplemented</Code>") != std::string::npos);
  CHECK(r.body.find("'s3'") != std::string::npos);
}

TEST_CASE("Router: every answer carries its own request id in header and body", "[router]") {
  Fixture f;
  const HttpResponse a = f.call(ServiceId::kSts, "GetCallerIdentity", {}, kRoot);
  const HttpResponse b = f.call(ServiceId::kSts, "GetCallerIdentity", {}, kNobody);
  const std::string id_a = a.headers.get("x-amzn-RequestId");
  const std::string id_b = b.headers.get("x-amzn-RequestId");
  CHECK(id_a.size() == 36);
  CHECK(id_a != id_b);
  CHECK(a.body.find(id_a) != std::string::npos);
  const HttpResponse error = f.call(ServiceId::kEc2, "DescribeImages", {}, {"AKIAX", "y", ""});
  CHECK(error.body.find("<RequestID>" + error.headers.get("x-amzn-RequestId") + "</RequestID>")
        != std::string::npos);
}

TEST_CASE("Router: service principals enter only through handle_as_service", "[router]") {
  Fixture f;
  sim::Result<HttpRequest> r = protocol::encode_request(
      protocol::testing::op(ServiceId::kSts, "AssumeRole"),
      {{"RoleArn",
        "arn:aws:iam::123456789012:role/aws-service-role/imagebuilder.amazonaws.com/"
        "AWSServiceRoleForImageBuilder"},
       {"RoleSessionName", "ImageBuilder"}});
  REQUIRE(r.ok());
  CHECK(code_of(ServiceId::kSts, "AssumeRole", f.router->handle(*r))
        == "MissingAuthenticationToken");
  const auto assumed = decode(
      ServiceId::kSts,
      "AssumeRole",
      f.router->handle_as_service(
          *r, ServiceId::kSts, api::Region::from_known("us-east-1"), "imagebuilder.amazonaws.com"));
  INFO((assumed.ok() ? std::string() : assumed.error().message));
  REQUIRE(assumed.ok());
  CHECK(assumed->output["AssumedRoleUser"]["Arn"]
        == "arn:aws:sts::123456789012:assumed-role/AWSServiceRoleForImageBuilder/ImageBuilder");
  CHECK(code_of(ServiceId::kSts,
                "AssumeRole",
                f.router->handle_as_service(
                    *r, ServiceId::kSts, api::Region::from_known("us-east-1"), "not-a-service"))
        == "InvalidClientTokenId");
}

TEST_CASE("Router: auth mode names parse both ways", "[router]") {
  CHECK(parse_auth_mode("strict") == AuthMode::kStrict);
  CHECK(parse_auth_mode("lenient") == AuthMode::kLenient);
  CHECK_FALSE(parse_auth_mode("none").has_value());
  CHECK(to_string(AuthMode::kLenient) == "lenient");
  const HttpResponse reject = reject_response(413, "too large");
  CHECK(reject.status == 413);
  CHECK(reject.headers.get("x-amzn-ErrorType") == "RequestEntityTooLarge");
}

}  // namespace
}  // namespace ibsim::mock_aws::server
