#include "mock_aws/protocol/sigv4.h"

#include <algorithm>
#include <array>
#include <utility>

#include "mock_aws/crypto/encoding.h"

namespace ibsim::mock_aws::protocol::sigv4 {
namespace {

using sim::aws_error;
using sim::AwsError;

constexpr int64_t kMsPerSecond = 1000;
constexpr int64_t kSecondsPerDay = 86'400;
constexpr int64_t kJsonSkewMinutes = 5;
// Unconfirmed: EC2's window; its common-errors page says 15 minutes, like STS's messages.
constexpr int64_t kQuerySkewMinutes = 15;
constexpr int64_t kPresignedExpiresSecondsMax = 604'800;  // Seven days, as S3 and STS allow.
constexpr std::size_t kSignatureHexChars = 64;

constexpr std::string_view kMismatchMessage =
    "The request signature we calculated does not match the signature you provided. Check your "
    "AWS Secret Access Key and signing method. Consult the service documentation for details.";

// Headers botocore never signs (SIGNED_HEADERS_BLACKLIST), plus the hop-by-hop and credential
// headers no SDK signs.
constexpr std::array<std::string_view, 7> kUnsignedHeaders = {"authorization",
                                                              "connection",
                                                              "expect",
                                                              "keep-alive",
                                                              "transfer-encoding",
                                                              "user-agent",
                                                              "x-amzn-trace-id"};

int64_t skew_minutes(Family family) {
  return family == Family::kJson ? kJsonSkewMinutes : kQuerySkewMinutes;
}

char to_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = to_lower(c);
  }
  return out;
}

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) {
    s.remove_prefix(1);
  }
  while (!s.empty() && is_space(s.back())) {
    s.remove_suffix(1);
  }
  return s;
}

// Appends a header value trimmed, with inner runs of whitespace collapsed to one space.
void append_canonical_value(std::string& out, std::string_view value) {
  value = trim(value);
  bool in_space = false;
  for (const char c : value) {
    if (is_space(c)) {
      in_space = true;
      continue;
    }
    if (in_space) {
      out.push_back(' ');
      in_space = false;
    }
    out.push_back(c);
  }
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_lower_hex(std::string_view s) {
  return std::all_of(
      s.begin(), s.end(), [](char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); });
}

// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's days_from_civil).
int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146'097 + doe - 719'468;
}

struct Civil {
  int64_t year, month, day;
};

Civil civil_from_days(int64_t z) {
  z += 719'468;
  const int64_t era = (z >= 0 ? z : z - 146'096) / 146'097;
  const int64_t doe = z - era * 146'097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36'524 - doe / 146'096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return {yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

int64_t floor_div(int64_t a, int64_t b) {
  const int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

// The error a family uses for a bad signature or a scope that does not fit the request.
AwsError mismatch(Family family, std::string message) {
  switch (family) {
    case Family::kJson:
      return aws_error("InvalidSignatureException", std::move(message), 400);
    case Family::kQuery:
      return aws_error("SignatureDoesNotMatch", std::move(message), 403);
    case Family::kEc2:
      // EC2 never explains: every credential or signature problem is the same AuthFailure.
      return aws_error(
          "AuthFailure", "AWS was not able to validate the provided access credentials", 401);
  }
  return aws_error("InvalidSignatureException", std::move(message), 400);
}

AwsError skew_error(Family family, std::string message) {
  if (family == Family::kEc2) {
    return aws_error("RequestExpired", "Request has expired.", 400);
  }
  return mismatch(family, std::move(message));
}

struct QueryParam {
  std::string_view name;   // Raw (still percent-encoded).
  std::string_view value;  // Raw.
};

std::vector<QueryParam> split_query(std::string_view query) {
  std::vector<QueryParam> params;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty()) {
      continue;
    }
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos) {
      params.push_back({pair, {}});
    } else {
      params.push_back({pair.substr(0, eq), pair.substr(eq + 1)});
    }
  }
  return params;
}

std::string decode_component(std::string_view raw) {
  auto decoded = crypto::percent_decode(raw);
  // A malformed escape is kept literally; its '%' is then encoded, as a client that signed the
  // literal text would have done.
  return decoded ? std::move(*decoded) : std::string(raw);
}

// The decoded value of a query parameter (first occurrence), if present.
std::optional<std::string> query_param(const std::vector<QueryParam>& params,
                                       std::string_view name) {
  for (const QueryParam& p : params) {
    if (decode_component(p.name) == name) {
      return decode_component(p.value);
    }
  }
  return std::nullopt;
}

bool has_header(const HttpRequest& request, std::string_view name) {
  return request.headers.find(name) != nullptr;
}

// The parts of a credential string: key/date/region/service/terminator.
struct CredentialParts {
  std::string access_key_id, date, region, service, terminator;
};

std::optional<CredentialParts> split_credential(std::string_view credential) {
  std::array<std::string_view, 5> parts{};
  std::size_t n = 0;
  while (true) {
    const std::size_t slash = credential.find('/');
    if (n == parts.size()) {
      return std::nullopt;
    }
    parts[n++] = credential.substr(0, slash);
    if (slash == std::string_view::npos) {
      break;
    }
    credential.remove_prefix(slash + 1);
  }
  if (n != parts.size()) {
    return std::nullopt;
  }
  return CredentialParts{std::string(parts[0]),
                         std::string(parts[1]),
                         std::string(parts[2]),
                         std::string(parts[3]),
                         std::string(parts[4])};
}

// The checks shared by both forms once the raw fields are known.
sim::Result<SignedRequestInfo> finish_parse(Family family,
                                            std::string_view credential,
                                            std::string_view signed_headers,
                                            std::string_view signature,
                                            std::string_view amz_date,
                                            SignedRequestInfo info,
                                            const HttpRequest& request) {
  auto parts = split_credential(credential);
  if (!parts) {
    return incomplete_signature_error(
        family,
        "Credential must have exactly 5 slash-delimited elements, e.g. "
        "keyid/date/region/service/term, got '"
            + std::string(credential) + "'");
  }
  const auto signed_at = parse_amz_date(amz_date);
  if (!signed_at) {
    // Unconfirmed: wording seen from AWS JSON services for a malformed X-Amz-Date.
    return incomplete_signature_error(family,
                                      "Date must be in ISO-8601 'basic format'. Got '"
                                          + std::string(amz_date)
                                          + "'. See http://en.wikipedia.org/wiki/ISO_8601");
  }
  if (parts->terminator != kScopeTerminator) {
    return mismatch(family,
                    "Credential should be scoped with a valid terminator: 'aws4_request', not '"
                        + parts->terminator + "'. ");
  }
  if (parts->date != amz_date.substr(0, 8)) {
    return mismatch(family,
                    "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of "
                    "date from HTTP: '"
                        + parts->date + "' != '" + std::string(amz_date.substr(0, 8)) + "', from '"
                        + std::string(amz_date) + "'.");
  }
  if (parts->region.empty()) {
    return mismatch(family, "Credential should be scoped to a valid region, not ''. ");
  }
  if (parts->service.empty()) {
    return mismatch(family, "Credential should be scoped to correct service. ");
  }
  if (signed_headers.empty()) {
    return incomplete_signature_error(family,
                                      "Authorization header requires 'SignedHeaders' parameter.");
  }
  bool host_signed = false;
  while (true) {
    const std::size_t semi = signed_headers.find(';');
    const std::string_view name = signed_headers.substr(0, semi);
    if (name.empty()) {
      return incomplete_signature_error(
          family,
          "SignedHeaders contains an empty header name: '" + std::string(signed_headers) + "'.");
    }
    if (iequals(name, "host")) {
      host_signed = true;
    }
    // Deviation from AWS: AWS signs an absent header as empty (and then mismatches); naming the
    // missing header says what went wrong.
    if (!has_header(request, name)) {
      return incomplete_signature_error(
          family, "Signed header '" + std::string(name) + "' is not present in the request.");
    }
    info.signed_headers.push_back(lower(name));
    if (semi == std::string_view::npos) {
      break;
    }
    signed_headers.remove_prefix(semi + 1);
  }
  if (!host_signed) {
    return incomplete_signature_error(
        family, "'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
  }
  // Unconfirmed: AWS's answer to a signature that is not 64 hex digits (it may just mismatch).
  if (signature.size() != kSignatureHexChars || !is_lower_hex(signature)) {
    return incomplete_signature_error(
        family,
        "Signature must be 64 lower-case hexadecimal characters, got '" + std::string(signature)
            + "'.");
  }
  info.access_key_id = std::move(parts->access_key_id);
  info.scope_date = std::move(parts->date);
  info.region = std::move(parts->region);
  info.service = std::move(parts->service);
  info.amz_date = std::string(amz_date);
  info.signed_at_unix_ms = *signed_at;
  info.signature = std::string(signature);
  return info;
}

sim::Result<SignedRequestInfo> parse_header_form(const HttpRequest& request,
                                                 Family family,
                                                 std::string_view authorization) {
  const std::string_view value = trim(authorization);
  std::optional<std::string_view> credential, signed_headers, signature;
  // A header that is not SigV4 at all has none of the parameters: AWS lists what is missing.
  if (value.starts_with(kAlgorithm)
      && (value.size() == kAlgorithm.size() || is_space(value[kAlgorithm.size()]))) {
    // AWS splits the parameters on commas and whitespace alike: "Credential= AKID/..." is the
    // pair "Credential=" followed by a stray "AKID/..." (the error messages show it).
    std::string_view rest = value.substr(kAlgorithm.size());
    while (!rest.empty()) {
      std::size_t end = 0;
      while (end < rest.size() && rest[end] != ',' && !is_space(rest[end])) {
        ++end;
      }
      const std::string_view part = rest.substr(0, end);
      rest.remove_prefix(std::min(end + 1, rest.size()));
      if (part.empty()) {
        continue;
      }
      const std::size_t eq = part.find('=');
      if (eq == std::string_view::npos) {
        return incomplete_signature_error(
            family,
            "'" + std::string(part)
                + "' not a valid key=value pair (missing equal-sign) in Authorization header: '"
                + std::string(value) + "'.");
      }
      const std::string_view key = part.substr(0, eq);
      const std::string_view val = part.substr(eq + 1);
      if (key == "Credential" && !credential) {
        credential = val;
      } else if (key == "SignedHeaders" && !signed_headers) {
        signed_headers = val;
      } else if (key == "Signature" && !signature) {
        signature = val;
      }
    }
  }
  const std::string* amz_date = request.headers.find("x-amz-date");
  std::string missing;
  if (!credential) {
    missing += "Authorization header requires 'Credential' parameter. ";
  }
  if (!signature) {
    missing += "Authorization header requires 'Signature' parameter. ";
  }
  if (!signed_headers) {
    missing += "Authorization header requires 'SignedHeaders' parameter. ";
  }
  // Deviation from AWS: only X-Amz-Date is read; AWS also accepts an RFC 1123 Date header.
  if (amz_date == nullptr) {
    missing +=
        "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' "
        "header. ";
  }
  if (!missing.empty()) {
    return incomplete_signature_error(family, missing + "Authorization=" + std::string(value));
  }
  SignedRequestInfo info;
  if (const std::string* token = request.headers.find("x-amz-security-token")) {
    info.security_token = *token;
  }
  return finish_parse(
      family, *credential, *signed_headers, *signature, trim(*amz_date), std::move(info), request);
}

sim::Result<SignedRequestInfo> parse_query_form(const HttpRequest& request,
                                                Family family,
                                                const std::vector<QueryParam>& params) {
  const auto algorithm = query_param(params, "X-Amz-Algorithm");
  const auto credential = query_param(params, "X-Amz-Credential");
  const auto amz_date = query_param(params, "X-Amz-Date");
  const auto signed_headers = query_param(params, "X-Amz-SignedHeaders");
  const auto signature = query_param(params, "X-Amz-Signature");
  // Unconfirmed: wording borrowed from S3's presigned-URL errors.
  if (!algorithm || !credential || !amz_date || !signed_headers || !signature) {
    return incomplete_signature_error(
        family,
        "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', "
        "'X-Amz-Signature', 'X-Amz-Date', 'X-Amz-SignedHeaders'. Re-examine the query-string "
        "parameters.");
  }
  if (*algorithm != kAlgorithm) {
    return incomplete_signature_error(family, "X-Amz-Algorithm only supports 'AWS4-HMAC-SHA256'");
  }
  SignedRequestInfo info;
  info.presigned = true;
  if (auto token = query_param(params, "X-Amz-Security-Token")) {
    info.security_token = std::move(*token);
  }
  if (const auto expires = query_param(params, "X-Amz-Expires")) {
    int64_t seconds = 0;
    const bool digits = !expires->empty() && expires->size() <= 7
                        && std::all_of(expires->begin(), expires->end(), is_digit);
    if (digits) {
      for (const char c : *expires) {
        seconds = seconds * 10 + (c - '0');
      }
    }
    if (!digits || seconds < 1 || seconds > kPresignedExpiresSecondsMax) {
      return incomplete_signature_error(
          family,
          "X-Amz-Expires must be a number of seconds between 1 and 604800, got '" + *expires
              + "'.");
    }
    info.expires_seconds = seconds;
  } else {
    info.expires_seconds = kPresignedExpiresSecondsMax;
  }
  return finish_parse(
      family, *credential, *signed_headers, *signature, *amz_date, std::move(info), request);
}

bool is_query_form(const std::vector<QueryParam>& params) {
  return std::any_of(params.begin(), params.end(), [](const QueryParam& p) {
    const std::string name = decode_component(p.name);
    return name == "X-Amz-Algorithm" || name == "X-Amz-Credential" || name == "X-Amz-Signature";
  });
}

std::string hex(const crypto::Sha256Digest& d) {
  return crypto::hex_encode(d);
}

std::string signature_for(const crypto::Sha256Digest& signing_key,
                          std::string_view amz_date,
                          std::string_view scope,
                          std::string_view canonical) {
  return hex(crypto::hmac_sha256(signing_key, string_to_sign(amz_date, scope, canonical)));
}

}  // namespace

std::optional<Family> family_for_service(std::string_view service) {
  if (service == "kms" || service == "ssm" || service == "imagebuilder") {
    return Family::kJson;
  }
  if (service == "iam" || service == "sts") {
    return Family::kQuery;
  }
  if (service == "ec2") {
    return Family::kEc2;
  }
  return std::nullopt;
}

std::optional<std::string> credential_scope_service(const HttpRequest& request) {
  std::string credential;
  if (const std::string* auth = request.headers.find("authorization")) {
    const std::size_t at = auth->find("Credential=");
    if (at == std::string::npos) {
      return std::nullopt;
    }
    const std::size_t begin = at + std::string_view("Credential=").size();
    const std::size_t end = auth->find_first_of(", ", begin);
    credential = auth->substr(begin, end == std::string::npos ? std::string::npos : end - begin);
  } else if (auto q = query_param(split_query(request.query()), "X-Amz-Credential")) {
    credential = std::move(*q);
  } else {
    return std::nullopt;
  }
  auto parts = split_credential(credential);
  if (!parts || parts->service.empty()) {
    return std::nullopt;
  }
  return parts->service;
}

AwsError unknown_access_key_error(Family family) {
  switch (family) {
    case Family::kJson:
      return aws_error("UnrecognizedClientException",
                       "The security token included in the request is invalid.",
                       400);
    case Family::kQuery:
      return aws_error(
          "InvalidClientTokenId", "The security token included in the request is invalid", 403);
    case Family::kEc2:
      return mismatch(family, {});
  }
  return mismatch(family, {});
}

AwsError missing_authentication_error(Family family) {
  switch (family) {
    case Family::kJson:
      // Unconfirmed: status 400 (Coral's JSON services); API Gateway answers 403.
      return aws_error("MissingAuthenticationTokenException", "Missing Authentication Token", 400);
    case Family::kQuery:
      return aws_error(
          "MissingAuthenticationToken", "Request is missing Authentication Token", 403);
    case Family::kEc2:
      // Unconfirmed: the status (401, like AuthFailure); the text is EC2's common-errors entry.
      return aws_error("MissingAuthenticationToken",
                       "The request must contain either a valid (registered) AWS access key ID or "
                       "X.509 certificate.",
                       401);
  }
  return aws_error("MissingAuthenticationToken", "Request is missing Authentication Token", 403);
}

AwsError signature_mismatch_error(Family family) {
  return mismatch(family, std::string(kMismatchMessage));
}

AwsError incomplete_signature_error(Family family, std::string message) {
  return aws_error(family == Family::kJson ? "IncompleteSignatureException" : "IncompleteSignature",
                   std::move(message),
                   400);
}

sim::Result<SignedRequestInfo> parse_signature(const HttpRequest& request, Family family) {
  const std::string* authorization = request.headers.find("authorization");
  const std::vector<QueryParam> params = split_query(request.query());
  const bool query_form = is_query_form(params);
  if (authorization != nullptr && query_form) {
    // Unconfirmed: wording borrowed from S3, which names the same rule.
    return incomplete_signature_error(
        family,
        "Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the "
        "Authorization header should be specified");
  }
  if (authorization != nullptr) {
    return parse_header_form(request, family, *authorization);
  }
  if (query_form) {
    return parse_query_form(request, family, params);
  }
  return missing_authentication_error(family);
}

const crypto::Sha256Digest& SigningKeyCache::get(std::string_view secret,
                                                 std::string_view date,
                                                 std::string_view region,
                                                 std::string_view service) {
  lookup_.clear();
  lookup_.append(secret).push_back('\0');
  lookup_.append(date).push_back('/');
  lookup_.append(region).push_back('/');
  lookup_.append(service);
  if (const auto it = keys_.find(lookup_); it != keys_.end()) {
    return it->second;
  }
  if (keys_.size() >= kEntriesMax) {
    keys_.clear();
  }
  return keys_.emplace(lookup_, derive_signing_key(secret, date, region, service)).first->second;
}

sim::Status verify(const HttpRequest& request,
                   const SignedRequestInfo& info,
                   std::string_view secret_access_key,
                   int64_t now_unix_ms,
                   Family family,
                   SigningKeyCache* cache) {
  const std::string body_hash = hex(crypto::sha256(request.body));
  const bool content_hash_signed =
      std::find(info.signed_headers.begin(), info.signed_headers.end(), "x-amz-content-sha256")
      != info.signed_headers.end();
  if (content_hash_signed) {
    // The client vouches for the body through this header; it must really be the body's hash.
    // (UNSIGNED-PAYLOAD and the streaming forms are S3-only.)
    const std::string* declared = request.headers.find("x-amz-content-sha256");
    if (declared == nullptr || trim(*declared) != body_hash) {
      return signature_mismatch_error(family);
    }
  }
  const auto canonical = canonical_request(request, info.signed_headers, body_hash, info.presigned);
  if (!canonical) {
    return incomplete_signature_error(family, "A signed header is not present in the request.");
  }
  const std::string scope = info.credential_scope();
  const std::string expected =
      cache != nullptr
          ? signature_for(cache->get(secret_access_key, info.scope_date, info.region, info.service),
                          info.amz_date,
                          scope,
                          *canonical)
          : signature_for(
              derive_signing_key(secret_access_key, info.scope_date, info.region, info.service),
              info.amz_date,
              scope,
              *canonical);
  if (!crypto::constant_time_equals(expected, info.signature)) {
    return signature_mismatch_error(family);
  }

  const int64_t minutes = skew_minutes(family);
  const int64_t window_ms = minutes * 60 * kMsPerSecond;
  const std::string now_text = format_amz_date(now_unix_ms);
  const std::string suffix = std::to_string(minutes) + " min.)";
  if (info.presigned) {
    const int64_t expires_at = info.signed_at_unix_ms + info.expires_seconds * kMsPerSecond;
    if (now_unix_ms > expires_at) {
      // Unconfirmed: the wording for an expired presigned request outside S3.
      return skew_error(family,
                        "Signature expired: " + format_amz_date(expires_at)
                            + " is now earlier than " + now_text
                            + " (X-Amz-Date + X-Amz-Expires).");
    }
  } else if (info.signed_at_unix_ms < now_unix_ms - window_ms) {
    return skew_error(family,
                      "Signature expired: " + info.amz_date + " is now earlier than "
                          + format_amz_date(now_unix_ms - window_ms) + " (" + now_text + " - "
                          + suffix);
  }
  if (info.signed_at_unix_ms > now_unix_ms + window_ms) {
    return skew_error(family,
                      "Signature not yet current: " + info.amz_date + " is still later than "
                          + format_amz_date(now_unix_ms + window_ms) + " (" + now_text + " + "
                          + suffix);
  }
  return sim::ok_status();
}

void sign(HttpRequest& request,
          const Credentials& credentials,
          std::string_view region,
          std::string_view service,
          int64_t now_unix_ms) {
  IBSIM_ASSERT(request.headers.find("host") != nullptr,
               "client transports set Host before signing: SigV4 requires it to be signed");
  const std::string amz_date = format_amz_date(now_unix_ms);
  request.headers.remove("authorization");
  request.headers.set("X-Amz-Date", amz_date);
  if (credentials.session_token.empty()) {
    request.headers.remove("x-amz-security-token");
  } else {
    request.headers.set("X-Amz-Security-Token", credentials.session_token);
  }
  std::vector<std::string> names;
  for (const auto& [name, value] : request.headers.fields()) {
    std::string n = lower(name);
    if (std::find(kUnsignedHeaders.begin(), kUnsignedHeaders.end(), n) == kUnsignedHeaders.end()) {
      names.push_back(std::move(n));
    }
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());

  const std::string* declared = request.headers.find("x-amz-content-sha256");
  const std::string payload_hash =
      declared != nullptr ? std::string(trim(*declared)) : hex(crypto::sha256(request.body));
  const auto canonical = canonical_request(request, names, payload_hash, false);
  IBSIM_ASSERT(canonical.has_value(), "every signed header name was taken from the request");
  const std::string date = amz_date.substr(0, 8);
  const std::string scope = date + "/" + std::string(region) + "/" + std::string(service) + "/"
                            + std::string(kScopeTerminator);
  const std::string signature =
      signature_for(derive_signing_key(credentials.secret_access_key, date, region, service),
                    amz_date,
                    scope,
                    *canonical);
  std::string signed_list;
  for (const std::string& n : names) {
    if (!signed_list.empty()) {
      signed_list.push_back(';');
    }
    signed_list += n;
  }
  request.headers.add("Authorization",
                      std::string(kAlgorithm) + " Credential=" + credentials.access_key_id + "/"
                          + scope + ", SignedHeaders=" + signed_list + ", Signature=" + signature);
}

std::string canonical_uri(std::string_view raw_path) {
  // Non-S3 services: remove empty and dot segments, then encode the (already encoded) path once
  // more, keeping '/'. Matches botocore and the JS SDK.
  std::vector<std::string_view> segments;
  std::string_view rest = raw_path;
  while (true) {
    const std::size_t slash = rest.find('/');
    const std::string_view seg = rest.substr(0, slash);
    if (seg == "..") {
      if (!segments.empty()) {
        segments.pop_back();
      }
    } else if (!seg.empty() && seg != ".") {
      segments.push_back(seg);
    }
    if (slash == std::string_view::npos) {
      break;
    }
    rest.remove_prefix(slash + 1);
  }
  std::string normalized = "/";
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (i > 0) {
      normalized.push_back('/');
    }
    normalized.append(segments[i]);
  }
  if (!segments.empty() && raw_path.ends_with('/')) {
    normalized.push_back('/');
  }
  return crypto::percent_encode(normalized, /*keep_slash=*/true);
}

std::string canonical_query_string(std::string_view raw_query, bool presigned) {
  std::vector<std::pair<std::string, std::string>> encoded;
  for (const QueryParam& p : split_query(raw_query)) {
    std::string name = decode_component(p.name);
    if (presigned && name == "X-Amz-Signature") {
      continue;
    }
    encoded.emplace_back(crypto::percent_encode(name),
                         crypto::percent_encode(decode_component(p.value)));
  }
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) {
      out.push_back('&');
    }
    out += name;
    out.push_back('=');
    out += value;
  }
  return out;
}

std::optional<std::string> canonical_request(const HttpRequest& request,
                                             const std::vector<std::string>& signed_headers,
                                             std::string_view payload_hash,
                                             bool presigned) {
  std::string out;
  out.reserve(256 + request.target.size() + 64 * signed_headers.size());
  out += request.method;
  out.push_back('\n');
  out += canonical_uri(request.path());
  out.push_back('\n');
  out += canonical_query_string(request.query(), presigned);
  out.push_back('\n');
  for (const std::string& name : signed_headers) {
    out += name;
    out.push_back(':');
    bool found = false;
    for (const auto& [field, value] : request.headers.fields()) {
      if (iequals(field, name)) {
        if (found) {
          out.push_back(',');
        }
        append_canonical_value(out, value);
        found = true;
      }
    }
    if (!found) {
      return std::nullopt;
    }
    out.push_back('\n');
  }
  out.push_back('\n');
  for (std::size_t i = 0; i < signed_headers.size(); ++i) {
    if (i > 0) {
      out.push_back(';');
    }
    out += signed_headers[i];
  }
  out.push_back('\n');
  out += payload_hash;
  return out;
}

std::string string_to_sign(std::string_view amz_date,
                           std::string_view credential_scope,
                           std::string_view canonical_request) {
  std::string out;
  out.reserve(kAlgorithm.size() + amz_date.size() + credential_scope.size() + 72);
  out += kAlgorithm;
  out.push_back('\n');
  out += amz_date;
  out.push_back('\n');
  out += credential_scope;
  out.push_back('\n');
  out += hex(crypto::sha256(canonical_request));
  return out;
}

crypto::Sha256Digest derive_signing_key(std::string_view secret_access_key,
                                        std::string_view date,
                                        std::string_view region,
                                        std::string_view service) {
  std::string key = "AWS4";
  key += secret_access_key;
  const auto k_date = crypto::hmac_sha256(crypto::as_bytes(key), date);
  const auto k_region = crypto::hmac_sha256(k_date, region);
  const auto k_service = crypto::hmac_sha256(k_region, service);
  return crypto::hmac_sha256(k_service, kScopeTerminator);
}

std::string format_amz_date(int64_t unix_ms) {
  const int64_t seconds = floor_div(unix_ms, kMsPerSecond);
  const int64_t days = floor_div(seconds, kSecondsPerDay);
  const int64_t in_day = seconds - days * kSecondsPerDay;
  const Civil c = civil_from_days(days);
  std::array<char, 32> buf{};
  const auto put = [&](std::size_t at, int64_t value, std::size_t width) {
    for (std::size_t i = 0; i < width; ++i) {
      buf[at + width - 1 - i] = static_cast<char>('0' + value % 10);
      value /= 10;
    }
  };
  put(0, c.year, 4);
  put(4, c.month, 2);
  put(6, c.day, 2);
  buf[8] = 'T';
  put(9, in_day / 3600, 2);
  put(11, in_day / 60 % 60, 2);
  put(13, in_day % 60, 2);
  buf[15] = 'Z';
  return std::string(buf.data(), 16);
}

std::optional<int64_t> parse_amz_date(std::string_view text) {
  if (text.size() != 16 || text[8] != 'T' || text[15] != 'Z') {
    return std::nullopt;
  }
  const auto number = [&](std::size_t at, std::size_t width) -> std::optional<int64_t> {
    int64_t v = 0;
    for (std::size_t i = at; i < at + width; ++i) {
      if (!is_digit(text[i])) {
        return std::nullopt;
      }
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  const auto y = number(0, 4), mo = number(4, 2), d = number(6, 2);
  const auto h = number(9, 2), mi = number(11, 2), s = number(13, 2);
  if (!y || !mo || !d || !h || !mi || !s) {
    return std::nullopt;
  }
  if (*mo < 1 || *mo > 12 || *d < 1 || *h > 23 || *mi > 59 || *s > 59) {
    return std::nullopt;
  }
  // Reject days past the month's end (20260231 would otherwise roll into March).
  const int64_t days = days_from_civil(*y, *mo, *d);
  const Civil back = civil_from_days(days);
  if (back.month != *mo || back.day != *d) {
    return std::nullopt;
  }
  return (days * kSecondsPerDay + *h * 3600 + *mi * 60 + *s) * kMsPerSecond;
}

}  // namespace ibsim::mock_aws::protocol::sigv4
