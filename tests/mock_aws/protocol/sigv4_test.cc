// SigV4 against real clients: every golden request (AWS CLI and JS SDK v3, tests/.../golden/)
// verifies at its own X-Amz-Date, fails after any single changed byte of a signed part, still
// verifies after unsigned headers change, and re-signs to the same Authorization header. Plus the
// clock-skew windows per protocol family, malformed Authorization headers, the presigned form
// (a URL presigned by botocore) and AWS's documented IAM ListUsers example.
#include "mock_aws/protocol/sigv4.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "mock_aws/crypto/encoding.h"
#include "mock_aws/crypto/sha256.h"

namespace ibsim::mock_aws::protocol::sigv4 {
namespace {

constexpr std::string_view kSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
constexpr int64_t kMinuteMs = 60'000;

struct Golden {
  std::string name;  // "awscli/09-kms-encrypt.http"
  HttpRequest request;
};

// A minimal HTTP/1.1 request parser for the fixtures: request line, CRLF-separated headers,
// a Content-Length body (none without the header).
HttpRequest parse_raw_http(const std::string& raw) {
  const std::size_t head_end = raw.find("\r\n\r\n");
  REQUIRE(head_end != std::string::npos);
  std::string_view head(raw.data(), head_end);
  HttpRequest req;
  const std::size_t line_end = head.find("\r\n");
  const std::string_view request_line = head.substr(0, line_end);
  const std::size_t sp1 = request_line.find(' ');
  const std::size_t sp2 = request_line.rfind(' ');
  REQUIRE(sp1 != sp2);
  req.method = std::string(request_line.substr(0, sp1));
  req.target = std::string(request_line.substr(sp1 + 1, sp2 - sp1 - 1));
  REQUIRE(request_line.substr(sp2 + 1) == "HTTP/1.1");
  std::string_view rest = line_end == std::string_view::npos ? "" : head.substr(line_end + 2);
  while (!rest.empty()) {
    const std::size_t eol = rest.find("\r\n");
    const std::string_view line = rest.substr(0, eol);
    rest = eol == std::string_view::npos ? "" : rest.substr(eol + 2);
    const std::size_t colon = line.find(':');
    REQUIRE(colon != std::string_view::npos);
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') {
      value.remove_prefix(1);
    }
    req.headers.add(std::string(line.substr(0, colon)), std::string(value));
  }
  const std::string body = raw.substr(head_end + 4);
  if (const std::string* cl = req.headers.find("content-length")) {
    const std::size_t n = std::stoul(*cl);
    REQUIRE(body.size() >= n);
    req.body = body.substr(0, n);
  }
  return req;
}

const std::vector<Golden>& goldens() {
  static const std::vector<Golden> kAll = [] {
    std::vector<Golden> out;
    const std::filesystem::path root =
        std::filesystem::path(IBSIM_SOURCE_DIR) / "tests/mock_aws/protocol/golden";
    for (const char* client : {"awscli", "js-sdk"}) {
      std::vector<std::filesystem::path> files;
      for (const auto& entry : std::filesystem::directory_iterator(root / client)) {
        if (entry.path().extension() == ".http") {
          files.push_back(entry.path());
        }
      }
      std::sort(files.begin(), files.end());
      for (const auto& path : files) {
        std::ifstream in(path, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        out.push_back(
            {std::string(client) + "/" + path.filename().string(), parse_raw_http(ss.str())});
      }
    }
    return out;
  }();
  return kAll;
}

Family family_of(const HttpRequest& req) {
  const auto service = credential_scope_service(req);
  REQUIRE(service.has_value());
  const auto family = family_for_service(*service);
  REQUIRE(family.has_value());
  return *family;
}

int64_t signed_at(const HttpRequest& req) {
  const auto t = parse_amz_date(req.headers.get("x-amz-date"));
  REQUIRE(t.has_value());
  return *t;
}

// What the router does: parse, then verify with the key's secret.
sim::Status authenticate(const HttpRequest& req,
                         Family family,
                         int64_t now_ms,
                         SigningKeyCache* cache = nullptr) {
  auto info = parse_signature(req, family);
  if (!info.ok()) {
    return info.error();
  }
  return verify(req, *info, kSecret, now_ms, family, cache);
}

std::string error_code(const sim::Status& s) {
  return s.ok() ? std::string("ok") : s.error().code;
}

char mutate(char c) {
  return c == 'x' ? 'y' : 'x';
}

TEST_CASE("SigV4: there are golden requests from both clients", "[protocol]") {
  CHECK(goldens().size() == 18);
}

TEST_CASE("SigV4: every golden request verifies at its own X-Amz-Date", "[protocol]") {
  SigningKeyCache cache;
  for (const Golden& g : goldens()) {
    INFO(g.name);
    const Family family = family_of(g.request);
    const auto info = parse_signature(g.request, family);
    REQUIRE(info.ok());
    CHECK(info->access_key_id == "AKIAIOSFODNN7EXAMPLE");
    // IAM and STS too: signed for the client's region when --endpoint-url is used.
    CHECK(info->region == "us-west-2");
    CHECK_FALSE(info->presigned);
    const sim::Status plain = verify(g.request, *info, kSecret, signed_at(g.request), family);
    CHECK(error_code(plain) == "ok");
    const sim::Status cached =
        verify(g.request, *info, kSecret, signed_at(g.request), family, &cache);
    CHECK(error_code(cached) == "ok");
  }
  // One signing key per (date, region, service): imagebuilder, iam, sts, kms, ec2.
  CHECK(cache.size() == 5);
}

TEST_CASE("SigV4: a wrong secret is a signature mismatch for the family", "[protocol]") {
  for (const Golden& g : goldens()) {
    INFO(g.name);
    const Family family = family_of(g.request);
    const auto info = parse_signature(g.request, family);
    REQUIRE(info.ok());
    const sim::Status s = verify(
        g.request, *info, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEz", signed_at(g.request), family);
    REQUIRE_FALSE(s.ok());
    CHECK(s.error() == signature_mismatch_error(family));
  }
}

TEST_CASE("SigV4: changing any byte of a signed part fails with the family error", "[protocol]") {
  for (const Golden& g : goldens()) {
    const Family family = family_of(g.request);
    const int64_t now = signed_at(g.request);
    const std::string mismatch = signature_mismatch_error(family).code;
    const std::string incomplete = incomplete_signature_error(family, "").code;
    const auto info = parse_signature(g.request, family);
    REQUIRE(info.ok());
    std::size_t mutations = 0;
    const auto expect_code =
        [&](const HttpRequest& bad, const std::string& code, const std::string& what) {
          INFO(g.name << ": " << what);
          CHECK(error_code(authenticate(bad, family, now)) == code);
          ++mutations;
        };

    {
      HttpRequest bad = g.request;
      bad.method[0] = mutate(bad.method[0]);
      expect_code(bad, mismatch, "method");
    }
    for (std::size_t i = 0; i < g.request.target.size(); ++i) {
      HttpRequest bad = g.request;
      bad.target[i] = mutate(bad.target[i]);
      expect_code(bad, mismatch, "target byte " + std::to_string(i));
    }
    for (std::size_t i = 0; i < g.request.body.size(); ++i) {
      HttpRequest bad = g.request;
      bad.body[i] = mutate(bad.body[i]);
      expect_code(bad, mismatch, "body byte " + std::to_string(i));
    }
    {
      HttpRequest bad = g.request;
      bad.body.push_back(' ');
      expect_code(bad, mismatch, "body extended");
    }
    for (const std::string& name : info->signed_headers) {
      const std::string value = g.request.headers.get(name);
      for (std::size_t i = 0; i < value.size(); ++i) {
        HttpRequest bad = g.request;
        std::string changed = value;
        changed[i] = mutate(changed[i]);
        bad.headers.set(name, changed);
        // A changed X-Amz-Date no longer parses as a date ('x' is not a digit).
        expect_code(bad,
                    name == "x-amz-date" ? incomplete : mismatch,
                    "header " + name + " byte " + std::to_string(i));
      }
      // A repeated signed header joins the canonical value with a comma.
      HttpRequest doubled = g.request;
      doubled.headers.add(name, "extra");
      if (name != "x-amz-date") {
        expect_code(doubled, mismatch, "header " + name + " repeated");
      }
    }
    {
      // A different (valid-looking) signature.
      HttpRequest bad = g.request;
      std::string auth = bad.headers.get("authorization");
      char& last = auth.back();
      last = last == '0' ? '1' : '0';
      bad.headers.set("Authorization", auth);
      expect_code(bad, mismatch, "signature");
    }
    CHECK(mutations > 100);
  }
}

TEST_CASE("SigV4: changing or adding unsigned headers still verifies", "[protocol]") {
  for (const Golden& g : goldens()) {
    INFO(g.name);
    const Family family = family_of(g.request);
    const auto info = parse_signature(g.request, family);
    REQUIRE(info.ok());
    HttpRequest changed = g.request;
    int touched = 0;
    for (const auto& [name, value] : g.request.headers.fields()) {
      std::string lowered = name;
      std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](char c) {
        return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      });
      const bool is_signed =
          std::find(info->signed_headers.begin(), info->signed_headers.end(), lowered)
          != info->signed_headers.end();
      if (!is_signed && lowered != "authorization") {
        changed.headers.set(name, value + "-changed");
        ++touched;
      }
    }
    changed.headers.add("X-Forwarded-For", "10.0.0.1");
    CHECK(touched >= 2);  // user-agent everywhere, connection or amz-sdk-* elsewhere
    CHECK(error_code(authenticate(changed, family, signed_at(g.request))) == "ok");
  }
}

TEST_CASE("SigV4: re-signing a golden request reproduces its Authorization header", "[protocol]") {
  const Credentials creds{"AKIAIOSFODNN7EXAMPLE", std::string(kSecret), ""};
  for (const Golden& g : goldens()) {
    INFO(g.name);
    const Family family = family_of(g.request);
    const auto info = parse_signature(g.request, family);
    REQUIRE(info.ok());
    // The request as the client held it when it signed: botocore adds its unsigned headers
    // (Accept-Encoding, amz-sdk-*, Content-Length) after signing; User-Agent was there already
    // and is never signed, so keep it to prove it is skipped.
    HttpRequest fresh;
    fresh.method = g.request.method;
    fresh.target = g.request.target;
    fresh.body = g.request.body;
    for (const auto& [name, value] : g.request.headers.fields()) {
      std::string lowered(name);
      std::transform(lowered.begin(), lowered.end(), lowered.begin(), [](char c) {
        return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      });
      const bool is_signed =
          std::find(info->signed_headers.begin(), info->signed_headers.end(), lowered)
          != info->signed_headers.end();
      if ((is_signed && lowered != "x-amz-date") || lowered == "user-agent"
          || lowered == "connection") {
        fresh.headers.add(name, value);
      }
    }
    sign(fresh, creds, info->region, info->service, signed_at(g.request));
    CHECK(fresh.headers.get("authorization") == g.request.headers.get("authorization"));
    CHECK(fresh.headers.get("x-amz-date") == g.request.headers.get("x-amz-date"));
    CHECK(error_code(authenticate(fresh, family, signed_at(g.request))) == "ok");
  }
}

TEST_CASE("SigV4: a signed session token is sent and verified", "[protocol]") {
  HttpRequest req = goldens()[8].request;  // awscli/09-kms-encrypt.http
  req.headers.remove("authorization");
  const Credentials creds{"ASIAEXAMPLE", "secret/with+chars", "FwoGZXIvYXdzEXAMPLE/+="};
  const int64_t now = signed_at(req);
  sign(req, creds, "eu-central-1", "kms", now);
  const auto info = parse_signature(req, Family::kJson);
  REQUIRE(info.ok());
  CHECK(info->security_token == "FwoGZXIvYXdzEXAMPLE/+=");
  CHECK(std::find(info->signed_headers.begin(), info->signed_headers.end(), "x-amz-security-token")
        != info->signed_headers.end());
  CHECK(verify(req, *info, "secret/with+chars", now, Family::kJson).ok());
  req.headers.set("X-Amz-Security-Token", "another");
  CHECK(error_code(verify(req, *info, "secret/with+chars", now, Family::kJson))
        == "InvalidSignatureException");
}

TEST_CASE("SigV4: AWS's documented IAM ListUsers example", "[protocol]") {
  HttpRequest req;
  req.method = "GET";
  req.target = "/?Action=ListUsers&Version=2010-05-08";
  req.headers.add("Content-Type", "application/x-www-form-urlencoded; charset=utf-8");
  req.headers.add("Host", "iam.amazonaws.com");
  const auto t = parse_amz_date("20150830T123600Z");
  REQUIRE(t.has_value());
  CHECK(crypto::hex_encode(derive_signing_key(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20150830", "us-east-1", "iam"))
        == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
  sign(
      req, {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", ""}, "us-east-1", "iam", *t);
  CHECK(req.headers.get("authorization")
        == "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, "
           "SignedHeaders=content-type;host;x-amz-date, "
           "Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7");
}

TEST_CASE("SigV4: a URL presigned by botocore verifies in the query form", "[protocol]") {
  // generate_presigned_url("get_caller_identity", ExpiresIn=900, HttpMethod="GET") with botocore
  // 1.43 and a session token, its clock frozen at 2026-11-28 12:00:00 UTC.
  HttpRequest req;
  req.method = "GET";
  req.target =
      "/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256"
      "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20261128%2Fus-west-2%2Fsts%2Faws4_request"
      "&X-Amz-Date=20261128T120000Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host"
      "&X-Amz-Security-Token=FwoGZXIvYXdzEXAMPLETOKEN%2F%2B%3D"
      "&X-Amz-Signature=182b4170e9256b6038e5400b58f7184a56ff620590c8666ee27677ce01330d91";
  req.headers.add("Host", "127.0.0.1:4566");
  const auto info = parse_signature(req, Family::kQuery);
  REQUIRE(info.ok());
  CHECK(info->presigned);
  CHECK(info->service == "sts");
  CHECK(info->expires_seconds == 900);
  CHECK(info->security_token == "FwoGZXIvYXdzEXAMPLETOKEN/+=");
  CHECK(credential_scope_service(req) == std::optional<std::string>("sts"));
  const int64_t t = info->signed_at_unix_ms;
  CHECK(verify(req, *info, kSecret, t, Family::kQuery).ok());
  CHECK(verify(req, *info, kSecret, t + 900'000, Family::kQuery).ok());
  const sim::Status late = verify(req, *info, kSecret, t + 900'001, Family::kQuery);
  REQUIRE_FALSE(late.ok());
  CHECK(late.error().code == "SignatureDoesNotMatch");
  CHECK(late.error().http_status == 403);
  // Any changed query byte outside the signature breaks it.
  const std::size_t sig_at = req.target.find("&X-Amz-Signature=");
  for (std::size_t i = 2; i < sig_at; ++i) {
    HttpRequest bad = req;
    bad.target[i] = mutate(bad.target[i]);
    INFO("target byte " << i << ": " << bad.target);
    const sim::Status s = authenticate(bad, Family::kQuery, t);
    CHECK_FALSE(s.ok());
  }
  // Query form plus an Authorization header: never both.
  HttpRequest both = req;
  both.headers.add("Authorization", goldens()[6].request.headers.get("authorization"));
  CHECK(error_code(authenticate(both, Family::kQuery, t)) == "IncompleteSignature");
}

struct SkewCase {
  const char* golden;
  Family family;
  int64_t window_minutes;
  const char* code;
  int status;
};

TEST_CASE("SigV4: clock skew windows per family", "[protocol]") {
  const SkewCase cases[] = {
      {"awscli/09-kms-encrypt.http", Family::kJson, 5, "InvalidSignatureException", 400},
      {"js-sdk/01-imagebuilder-CreateDistributionConfiguration.http",
       Family::kJson,
       5,
       "InvalidSignatureException",
       400},
      {"awscli/07-sts-assume-role.http", Family::kQuery, 15, "SignatureDoesNotMatch", 403},
      {"awscli/04-iam-create-role.http", Family::kQuery, 15, "SignatureDoesNotMatch", 403},
      {"awscli/13-ec2-copy-image.http", Family::kEc2, 15, "RequestExpired", 400},
  };
  for (const SkewCase& c : cases) {
    INFO(c.golden);
    const auto it = std::find_if(
        goldens().begin(), goldens().end(), [&](const Golden& g) { return g.name == c.golden; });
    REQUIRE(it != goldens().end());
    const HttpRequest& req = it->request;
    REQUIRE(family_of(req) == c.family);
    const int64_t t = signed_at(req);
    const int64_t window = c.window_minutes * kMinuteMs;
    CHECK(authenticate(req, c.family, t + window).ok());
    CHECK(authenticate(req, c.family, t - window).ok());
    const sim::Status late = authenticate(req, c.family, t + window + 1);
    const sim::Status early = authenticate(req, c.family, t - window - 1);
    REQUIRE_FALSE(late.ok());
    REQUIRE_FALSE(early.ok());
    CHECK(late.error().code == c.code);
    CHECK(late.error().http_status == c.status);
    CHECK(early.error().code == c.code);
    CHECK(early.error().http_status == c.status);
  }
}

TEST_CASE("SigV4: skew messages have AWS's wording", "[protocol]") {
  const HttpRequest& kms = goldens()[8].request;  // X-Amz-Date 20261128T121315Z
  REQUIRE(kms.headers.get("x-amz-date") == "20261128T121315Z");
  const int64_t t = signed_at(kms);
  const sim::Status late = authenticate(kms, Family::kJson, t + 6 * kMinuteMs);
  REQUIRE_FALSE(late.ok());
  CHECK(late.error().message
        == "Signature expired: 20261128T121315Z is now earlier than 20261128T121415Z "
           "(20261128T121915Z - 5 min.)");
  const sim::Status early = authenticate(kms, Family::kJson, t - 6 * kMinuteMs);
  REQUIRE_FALSE(early.ok());
  CHECK(early.error().message
        == "Signature not yet current: 20261128T121315Z is still later than 20261128T121215Z "
           "(20261128T120715Z + 5 min.)");
  const HttpRequest& sts = goldens()[6].request;  // X-Amz-Date 20261128T121312Z
  const sim::Status sts_late = authenticate(sts, Family::kQuery, signed_at(sts) + 20 * kMinuteMs);
  REQUIRE_FALSE(sts_late.ok());
  CHECK(sts_late.error().message
        == "Signature expired: 20261128T121312Z is now earlier than 20261128T121812Z "
           "(20261128T123312Z - 15 min.)");
  const sim::Status ec2_late = authenticate(
      goldens()[12].request, Family::kEc2, signed_at(goldens()[12].request) + 3'600'000);
  REQUIRE_FALSE(ec2_late.ok());
  CHECK(ec2_late.error().message == "Request has expired.");
}

TEST_CASE("SigV4: malformed Authorization headers are incomplete signatures", "[protocol]") {
  const HttpRequest& base = goldens()[8].request;  // KMS Encrypt, CLI
  const std::string cred = "Credential=AKIAIOSFODNN7EXAMPLE/20261128/us-west-2/kms/aws4_request";
  const std::string heads = "SignedHeaders=content-type;host;x-amz-date;x-amz-target";
  const std::string sig =
      "Signature=09e618318f6d4bc346297fc4aa93ad2522f1dfeb94168633c2be26b53baa785e";
  const std::vector<std::pair<std::string, std::string>> variants = {
      {"missing Credential", "AWS4-HMAC-SHA256 " + heads + ", " + sig},
      {"missing Signature", "AWS4-HMAC-SHA256 " + cred + ", " + heads},
      {"missing SignedHeaders", "AWS4-HMAC-SHA256 " + cred + ", " + sig},
      {"four scope elements",
       "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261128/us-west-2/kms, " + heads + ", "
           + sig},
      {"six scope elements",
       "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/x/20261128/us-west-2/kms/aws4_request, "
           + heads + ", " + sig},
      {"wrong algorithm", "AWS4-HMAC-SHA512 " + cred + ", " + heads + ", " + sig},
      {"SigV2 style", "AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg="},
      {"empty header", ""},
      {"algorithm only", "AWS4-HMAC-SHA256"},
      {"empty SignedHeaders", "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=, " + sig},
      {"empty signed header name",
       "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=content-type;;host;x-amz-date, " + sig},
      {"signed header not in request",
       "AWS4-HMAC-SHA256 " + cred
           + ", SignedHeaders=content-type;host;x-amz-date;x-amz-target;x-amz-missing, " + sig},
      {"host not signed",
       "AWS4-HMAC-SHA256 " + cred + ", SignedHeaders=content-type;x-amz-date;x-amz-target, " + sig},
      {"non-hex signature",
       "AWS4-HMAC-SHA256 " + cred + ", " + heads
           + ", Signature=09e618318f6d4bc346297fc4aa93ad2522f1dfeb94168633c2be26b53baa785g"},
      {"upper-case signature",
       "AWS4-HMAC-SHA256 " + cred + ", " + heads
           + ", Signature=09E618318F6D4BC346297FC4AA93AD2522F1DFEB94168633C2BE26B53BAA785E"},
      {"short signature", "AWS4-HMAC-SHA256 " + cred + ", " + heads + ", " + sig.substr(0, 60)},
      {"space inside the credential",
       "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE /20261128/us-west-2/kms/aws4_request, "
           + heads + ", " + sig},
  };
  for (const Family family : {Family::kJson, Family::kQuery, Family::kEc2}) {
    const std::string expected =
        family == Family::kJson ? "IncompleteSignatureException" : "IncompleteSignature";
    for (const auto& [what, value] : variants) {
      INFO(what << ": " << value);
      HttpRequest bad = base;
      bad.headers.set("Authorization", value);
      const sim::Status s = authenticate(bad, family, signed_at(base));
      REQUIRE_FALSE(s.ok());
      CHECK(s.error().code == expected);
      CHECK(s.error().http_status == 400);
      CHECK_FALSE(s.error().message.empty());
    }
    {
      HttpRequest bad = base;
      bad.headers.remove("x-amz-date");
      CHECK(error_code(authenticate(bad, family, signed_at(base))) == expected);
      bad.headers.add("X-Amz-Date", "2026-11-28T12:13:15Z");
      CHECK(error_code(authenticate(bad, family, signed_at(base))) == expected);
      bad.headers.set("X-Amz-Date", "20260231T121315Z");  // February 31st
      CHECK(error_code(authenticate(bad, family, signed_at(base))) == expected);
    }
    {
      HttpRequest both = base;
      both.target = "/?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Signature=00";
      CHECK(error_code(authenticate(both, family, signed_at(base))) == expected);
      HttpRequest query_only = both;
      query_only.headers.remove("authorization");
      CHECK(error_code(authenticate(query_only, family, signed_at(base))) == expected);
    }
  }
}

TEST_CASE("SigV4: AWS's texts for missing parameters and missing equal signs", "[protocol]") {
  HttpRequest bad = goldens()[8].request;
  bad.headers.set("Authorization", "AWS4-HMAC-SHA256 Credential= AKID/x, SignedHeaders=host");
  const auto r = parse_signature(bad, Family::kJson);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().message
        == "'AKID/x' not a valid key=value pair (missing equal-sign) in Authorization header: "
           "'AWS4-HMAC-SHA256 Credential= AKID/x, SignedHeaders=host'.");
  bad.headers.set("Authorization", "Bearer abc");
  bad.headers.remove("x-amz-date");
  const auto r2 = parse_signature(bad, Family::kQuery);
  REQUIRE_FALSE(r2.ok());
  CHECK(r2.error().message
        == "Authorization header requires 'Credential' parameter. Authorization header requires "
           "'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. "
           "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. "
           "Authorization=Bearer abc");
}

TEST_CASE("SigV4: scope problems are signature errors of the family", "[protocol]") {
  HttpRequest bad = goldens()[8].request;
  std::string auth = bad.headers.get("authorization");
  const std::string terminator_bad = [&] {
    std::string a = auth;
    a.replace(a.find("aws4_request"), 12, "aws5_request");
    return a;
  }();
  bad.headers.set("Authorization", terminator_bad);
  auto r = parse_signature(bad, Family::kJson);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "InvalidSignatureException");
  CHECK(r.error().message
        == "Credential should be scoped with a valid terminator: 'aws4_request', not "
           "'aws5_request'. ");
  std::string date_bad = auth;
  date_bad.replace(date_bad.find("/20261128/"), 10, "/20261127/");
  bad.headers.set("Authorization", date_bad);
  r = parse_signature(bad, Family::kQuery);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "SignatureDoesNotMatch");
  CHECK(r.error().http_status == 403);
  CHECK(r.error().message
        == "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from "
           "HTTP: '20261127' != '20261128', from '20261128T121315Z'.");
  r = parse_signature(bad, Family::kEc2);
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().code == "AuthFailure");
  CHECK(r.error().http_status == 401);
}

TEST_CASE("SigV4: arbitrary Authorization values never crash", "[protocol]") {
  const HttpRequest& base = goldens()[8].request;
  const std::string auth = base.headers.get("authorization");
  const std::string alphabet = "AWS4-HMAC-SHA256 Credential=/,;= \t\"'%\xff\x00aZ09";
  uint64_t state = 12345;
  for (int round = 0; round < 2000; ++round) {
    HttpRequest bad = base;
    std::string value = auth;
    // Deterministic pseudo-random edits: replace, delete or insert characters.
    for (int edit = 0; edit < 1 + round % 5; ++edit) {
      state = state * 6364136223846793005ULL + 1442695040888963407ULL;
      const std::size_t at = value.empty() ? 0 : (state >> 33) % value.size();
      const char c = alphabet[(state >> 17) % alphabet.size()];
      switch ((state >> 5) % 3) {
        case 0:
          if (!value.empty()) {
            value[at] = c;
          }
          break;
        case 1:
          if (!value.empty()) {
            value.erase(at, 1 + (state >> 45) % 8);
          }
          break;
        default:
          value.insert(at, 1, c);
      }
    }
    bad.headers.set("Authorization", value);
    const sim::Status s = authenticate(bad, Family::kJson, signed_at(base));
    if (!s.ok()) {
      CHECK((s.error().code == "IncompleteSignatureException"
             || s.error().code == "InvalidSignatureException"));
    }
  }
}

TEST_CASE("SigV4: requests without any signature are missing authentication", "[protocol]") {
  HttpRequest bare = goldens()[8].request;
  bare.headers.remove("authorization");
  const auto json = parse_signature(bare, Family::kJson);
  REQUIRE_FALSE(json.ok());
  CHECK(json.error() == missing_authentication_error(Family::kJson));
  CHECK(json.error().code == "MissingAuthenticationTokenException");
  const auto query = parse_signature(bare, Family::kQuery);
  REQUIRE_FALSE(query.ok());
  CHECK(query.error().code == "MissingAuthenticationToken");
  CHECK(query.error().http_status == 403);
  CHECK(parse_signature(bare, Family::kEc2).error().code == "MissingAuthenticationToken");
}

TEST_CASE("SigV4: unknown keys render per family", "[protocol]") {
  const auto json = unknown_access_key_error(Family::kJson);
  CHECK(json.code == "UnrecognizedClientException");
  CHECK(json.message == "The security token included in the request is invalid.");
  CHECK(json.http_status == 400);
  const auto query = unknown_access_key_error(Family::kQuery);
  CHECK(query.code == "InvalidClientTokenId");
  CHECK(query.message == "The security token included in the request is invalid");
  CHECK(query.http_status == 403);
  const auto ec2 = unknown_access_key_error(Family::kEc2);
  CHECK(ec2.code == "AuthFailure");
  CHECK(ec2.message == "AWS was not able to validate the provided access credentials");
  CHECK(ec2.http_status == 401);
  CHECK(signature_mismatch_error(Family::kJson)
            .message.starts_with(
                "The request signature we calculated does not match the signature you provided."));
}

TEST_CASE("SigV4: families by service name", "[protocol]") {
  CHECK(family_for_service("kms") == Family::kJson);
  CHECK(family_for_service("ssm") == Family::kJson);
  CHECK(family_for_service("imagebuilder") == Family::kJson);
  CHECK(family_for_service("iam") == Family::kQuery);
  CHECK(family_for_service("sts") == Family::kQuery);
  CHECK(family_for_service("ec2") == Family::kEc2);
  CHECK_FALSE(family_for_service("s3").has_value());
}

TEST_CASE("SigV4: canonical URI normalization for non-S3 services", "[protocol]") {
  CHECK(canonical_uri("") == "/");
  CHECK(canonical_uri("/") == "/");
  CHECK(canonical_uri("/CreateImage") == "/CreateImage");
  CHECK(canonical_uri("/a/./b/../c") == "/a/c");
  CHECK(canonical_uri("//a//b/") == "/a/b/");
  CHECK(canonical_uri("/../..") == "/");
  CHECK(canonical_uri("/a b") == "/a%20b");
  // The path arrives encoded once; the canonical URI encodes it again.
  CHECK(canonical_uri("/a%20b") == "/a%2520b");
  CHECK(canonical_uri("/~user-_.") == "/~user-_.");
}

TEST_CASE("SigV4: canonical query strings are decoded then sorted and re-encoded", "[protocol]") {
  CHECK(canonical_query_string("", false).empty());
  CHECK(canonical_query_string("b=2&a=1&a=0", false) == "a=0&a=1&b=2");
  CHECK(canonical_query_string("flag&x=", false) == "flag=&x=");
  CHECK(canonical_query_string("k=a%2fb&s=a b&t=a+b", false) == "k=a%2Fb&s=a%20b&t=a%2Bb");
  CHECK(canonical_query_string("a=1&X-Amz-Signature=ff", true) == "a=1");
  CHECK(canonical_query_string("a=1&X-Amz-Signature=ff", false) == "X-Amz-Signature=ff&a=1");
  CHECK(canonical_query_string("bad=%zz", false) == "bad=%25zz");
}

TEST_CASE("SigV4: amz dates round trip and reject malformed text", "[protocol]") {
  CHECK(format_amz_date(0) == "19700101T000000Z");
  CHECK(format_amz_date(-1) == "19691231T235959Z");
  const auto leap = parse_amz_date("20240229T235959Z");
  REQUIRE(leap.has_value());
  CHECK(format_amz_date(*leap) == "20240229T235959Z");
  CHECK(format_amz_date(*leap + 999) == "20240229T235959Z");
  CHECK(format_amz_date(*leap + 1000) == "20240301T000000Z");
  CHECK(parse_amz_date("20261128T121315Z") == std::optional<int64_t>(1'795'867'995'000));
  for (const char* bad : {"",
                          "20261128T121315",
                          "20261128 121315Z",
                          "2026112xT121315Z",
                          "20261328T121315Z",
                          "20261100T121315Z",
                          "20230229T000000Z",
                          "20261128T241315Z",
                          "20261128T126015Z",
                          "20261128T121360Z",
                          "20261128T121315ZZ"}) {
    INFO(bad);
    CHECK_FALSE(parse_amz_date(bad).has_value());
  }
}

TEST_CASE("SigV4: the content hash header must match the body", "[protocol]") {
  // JS SDK requests sign x-amz-content-sha256: a body that no longer matches it is refused even
  // though the header itself (and so the signature) is untouched.
  const auto it = std::find_if(goldens().begin(), goldens().end(), [](const Golden& g) {
    return g.name == "js-sdk/02-kms-Encrypt.http";
  });
  REQUIRE(it != goldens().end());
  HttpRequest req = it->request;
  CHECK(req.headers.get("x-amz-content-sha256") == crypto::hex_encode(crypto::sha256(req.body)));
  req.body.back() = ' ';
  CHECK(error_code(authenticate(req, Family::kJson, signed_at(req)))
        == "InvalidSignatureException");
}

}  // namespace
}  // namespace ibsim::mock_aws::protocol::sigv4
