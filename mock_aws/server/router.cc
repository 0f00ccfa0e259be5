#include "mock_aws/server/router.h"

#include <array>
#include <exception>
#include <set>
#include <utility>

#include <nlohmann/json.hpp>

#include "mock_aws/api/principal.h"
#include "mock_aws/api/regions.h"
#include "mock_aws/crypto/encoding.h"
#include "mock_aws/protocol/codec.h"
#include "mock_aws/server/router_tables.h"
#include "mock_aws/sts/sts_model.h"

namespace ibsim::mock_aws::server {
namespace {

using protocol::HttpRequest;
using protocol::HttpResponse;
using protocol::ServiceId;
using protocol::sigv4::Family;

// IAM's endpoint is global; without a usable region in the scope the call is made in us-east-1.
constexpr std::string_view kGlobalRegion = "us-east-1";
constexpr std::string_view kServicePrincipalSuffix = ".amazonaws.com";
// ibsim's own endpoint, answered without authentication.
constexpr std::string_view kHealthPath = "/_ibsim/health";
// Longest Action or Version value read from an unsigned request while guessing its service.
constexpr std::size_t kFormValueBytesMax = 256;
constexpr std::string_view kInternalFailureMessage =
    "The request processing has failed because of an unknown error, exception or failure.";

std::string explanation_json(std::string_view reason, std::string summary) {
  nlohmann::json out;
  out["reason"] = reason;
  out["summary"] = std::move(summary);
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

sim::AwsError with_explanation(sim::AwsError error, std::string_view reason, std::string summary) {
  error.explanation = explanation_json(reason, std::move(summary));
  return error;
}

// Expired STS sessions, per family (aws-facts §6.2; the same codes as the direct transport).
sim::AwsError expired_token_error(Family family) {
  switch (family) {
    case Family::kEc2:
      return sim::aws_error("RequestExpired", "Request has expired.", 400);
    case Family::kQuery:
      return sim::aws_error(
          "ExpiredToken", "The security token included in the request is expired", 400);
    case Family::kJson:
      return sim::aws_error(
          "ExpiredTokenException", "The security token included in the request is expired", 400);
  }
  return sim::aws_error("ExpiredToken", "The security token included in the request is expired");
}

std::string region_list(const std::set<api::Region>& regions) {
  std::string out;
  for (const api::Region& r : regions) {
    out += (out.empty() ? "" : ", ") + r.str();
  }
  return out;
}

// Unconfirmed: AWS answers a call to a region the account has not enabled as it answers unknown
// credentials (AuthFailure for EC2, UnrecognizedClientException for JSON services); ibsim does
// the same and names the region in the message.
sim::AwsError region_not_enabled_error(Family family,
                                       std::string_view region,
                                       const std::set<api::Region>& enabled) {
  const std::string why = "ibsim: region '" + std::string(region)
                          + "' is not enabled in this world (its regions: " + region_list(enabled)
                          + ")";
  sim::AwsError error =
      family == Family::kEc2
          ? sim::aws_error(
              "AuthFailure",
              "AWS was not able to validate the provided access credentials (" + why + ").",
              401)
          : sim::aws_error("UnrecognizedClientException",
                           "The security token included in the request is invalid. (" + why + ".)",
                           400);
  return with_explanation(std::move(error),
                          "RegionNotEnabled",
                          why + ". Sign for one of the world's regions, or add the region to the "
                                "world file's \"regions\".");
}

// The protocol's answer to an operation the codec knows but no model serves (the codecs' own
// texts for unknown operations: mock_aws/protocol/README.md).
sim::AwsError unknown_operation_error(ServiceId service, std::string_view operation) {
  const protocol::ServiceModel& model = protocol::service_model(service);
  switch (model.protocol) {
    case protocol::Protocol::kEc2Query:
      return sim::aws_error(
          "InvalidAction",
          "The action " + std::string(operation) + " is not valid for this web service.",
          400);
    case protocol::Protocol::kQuery:
      return sim::aws_error("InvalidAction",
                            "Could not find operation " + std::string(operation) + " for version "
                                + std::string(model.api_version),
                            400);
    case protocol::Protocol::kJson:
      return sim::aws_error("UnknownOperationException", "", 400);
    case protocol::Protocol::kRestJson:
      return sim::aws_error("UnknownOperationException", "", 404);
  }
  return sim::aws_error("UnknownOperationException", "", 400);
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// A form-encoded value ('+' is a space), or nullopt when `name` is absent or the value is long.
std::optional<std::string> form_value(std::string_view text, std::string_view name) {
  while (!text.empty()) {
    const std::size_t amp = text.find('&');
    const std::string_view pair = text.substr(0, amp);
    text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
    const std::size_t eq = pair.find('=');
    if (pair.substr(0, eq) != name || eq == std::string_view::npos) {
      continue;
    }
    const std::string_view raw = pair.substr(eq + 1);
    if (raw.size() > kFormValueBytesMax) {
      return std::nullopt;
    }
    std::string value;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '+') {
        value.push_back(' ');
      } else if (raw[i] == '%' && i + 2 < raw.size() && hex_value(raw[i + 1]) >= 0
                 && hex_value(raw[i + 2]) >= 0) {
        value.push_back(static_cast<char>(hex_value(raw[i + 1]) * 16 + hex_value(raw[i + 2])));
        i += 2;
      } else {
        value.push_back(raw[i]);
      }
    }
    return value;
  }
  return std::nullopt;
}

// The service an unsigned request is meant for, so it gets that protocol's
// MissingAuthenticationToken: X-Amz-Target's prefix (JSON 1.1), the query Action (and Version)
// of EC2, IAM and STS, or one of Image Builder's operation paths.
std::optional<ServiceId> detect_unsigned_service(const HttpRequest& request) {
  if (const std::string* target = request.headers.find("x-amz-target")) {
    const std::string_view prefix = std::string_view(*target).substr(0, target->find('.'));
    for (ServiceId id : {ServiceId::kKms, ServiceId::kSsm}) {
      if (protocol::service_model(id).target_prefix == prefix) {
        return id;
      }
    }
    return std::nullopt;
  }
  std::optional<std::string> action = form_value(request.query(), "Action");
  std::optional<std::string> version = form_value(request.query(), "Version");
  if (!action) {
    action = form_value(request.body, "Action");
    version = form_value(request.body, "Version");
  }
  constexpr std::array<ServiceId, 3> kQueryServices = {
      ServiceId::kEc2, ServiceId::kIam, ServiceId::kSts};
  if (action) {
    for (ServiceId id : kQueryServices) {
      if (version && *version == protocol::service_model(id).api_version) {
        return id;
      }
    }
    for (ServiceId id : kQueryServices) {
      if (protocol::find_operation(id, *action)) {
        return id;
      }
    }
    return std::nullopt;
  }
  const std::string_view path = request.path();
  if (path.size() > 1 && protocol::find_operation(ServiceId::kImageBuilder, path.substr(1))) {
    return ServiceId::kImageBuilder;
  }
  return std::nullopt;
}

// A request for a service ibsim does not serve, or with no recognisable service at all.
// Unconfirmed: no AWS endpoint answers for several services; the body is the query protocols'
// XML error, which botocore's XML parsers read and other clients show as text.
HttpResponse unknown_service_response(std::string_view service, std::string_view request_id) {
  HttpResponse r;
  r.status = 501;
  const std::string what =
      service.empty()
          ? std::string("ibsim serve could not tell which AWS service this request is for")
          : "ibsim serve does not model the service '" + std::string(service) + "'";
  r.body = "<ErrorResponse><Error><Type>Sender</Type><Code>NotImplemented</Code><Message>" + what
           + "; it serves imagebuilder, ec2, iam, sts, kms and ssm.</Message></Error><RequestId>"
           + std::string(request_id) + "</RequestId></ErrorResponse>";
  r.headers.add("Content-Type", "text/xml");
  r.headers.add("x-amzn-RequestId", std::string(request_id));
  return r;
}

HttpResponse health_response(std::string_view request_id, AuthMode mode) {
  HttpResponse r;
  nlohmann::json body;
  body["status"] = "running";
  body["auth"] = to_string(mode);
  body["services"] = {"imagebuilder", "ec2", "iam", "sts", "kms", "ssm"};
  r.body = body.dump();
  r.headers.add("Content-Type", "application/json");
  r.headers.add("x-amzn-RequestId", std::string(request_id));
  return r;
}

std::size_t service_index(ServiceId id) {
  return static_cast<std::size_t>(id);
}

}  // namespace

std::string_view to_string(AuthMode mode) {
  return mode == AuthMode::kStrict ? "strict" : "lenient";
}

std::optional<AuthMode> parse_auth_mode(std::string_view text) {
  if (text == "strict") {
    return AuthMode::kStrict;
  }
  if (text == "lenient") {
    return AuthMode::kLenient;
  }
  return std::nullopt;
}

bool is_mutating_operation(ServiceId service, std::string_view operation) {
  for (std::string_view prefix : {"Get", "List", "Describe", "Decode"}) {
    if (operation.starts_with(prefix)) {
      return false;
    }
  }
  if (service == ServiceId::kKms) {
    for (std::string_view read_only : {"Encrypt", "Decrypt", "ReEncrypt"}) {
      if (operation == read_only) {
        return false;
      }
    }
    if (operation.starts_with("GenerateDataKey")) {
      return false;
    }
  }
  return true;
}

Router::Router(services::World& world, RouterOptions options)
    : world_(world),
      options_(std::move(options)),
      request_ids_(world.context().rng().fork("server.request_ids")) {
  IBSIM_ASSERT(static_cast<bool>(options_.wall_clock_unix_ms),
               "the composition root always gives the router a clock for SigV4's skew window");
  handlers_.resize(std::size(protocol::kAllServices));
  for (ServiceId id : protocol::kAllServices) {
    const protocol::ServiceModel& model = protocol::service_model(id);
    std::vector<Handler>& table = handlers_[service_index(id)];
    table.assign(model.operations.size(), nullptr);
    for (const internal::Route& route : internal::routes(id)) {
      for (std::size_t i = 0; i < model.operations.size(); ++i) {
        if (model.str(model.operations[i].name) == route.operation) {
          table[i] = route.handler;
        }
      }
    }
  }
}

bool Router::serves(ServiceId service, std::string_view operation) const {
  const protocol::ServiceModel& model = protocol::service_model(service);
  const std::vector<Handler>& table = handlers_[service_index(service)];
  for (std::size_t i = 0; i < model.operations.size(); ++i) {
    if (model.str(model.operations[i].name) == operation) {
      return table[i] != nullptr;
    }
  }
  return false;
}

void Router::next_request_id() {
  constexpr char kDigits[] = "0123456789abcdef";
  const uint64_t hi = request_ids_.next_u64();
  const uint64_t lo = request_ids_.next_u64();
  request_id_.resize(36);
  std::size_t pos = 0;
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) {
      request_id_[pos++] = '-';
    }
    const uint64_t word = i < 16 ? hi : lo;
    const auto shift = static_cast<unsigned>((15 - (i % 16)) * 4);
    request_id_[pos++] = kDigits[(word >> shift) & 0xfU];
  }
}

HttpResponse Router::handle(const HttpRequest& request) {
  ++stats_.requests;
  next_request_id();
  current_service_.reset();
  // The server's one catch-all (the HTTP front has its own, for the front's own failures): a
  // stray exception from a model or codec becomes InternalFailure in the request's protocol.
  try {
    return handle_unguarded(request);
  } catch (const std::exception& e) {
    return internal_failure(e.what());
  } catch (...) {
    return internal_failure("unknown exception");
  }
}

HttpResponse Router::handle_as_service(const HttpRequest& request,
                                       ServiceId service,
                                       const api::Region& region,
                                       std::string_view service_principal) {
  ++stats_.requests;
  next_request_id();
  current_service_ = service;
  try {
    const Family family =
        *protocol::sigv4::family_for_service(protocol::service_model(service).signing_name);
    if (service_principal.size() <= kServicePrincipalSuffix.size()
        || !service_principal.ends_with(kServicePrincipalSuffix)) {
      ++stats_.auth_failures;
      return error_response(service, protocol::sigv4::unknown_access_key_error(family));
    }
    return dispatch(request,
                    service,
                    {.principal = api::Principal::service(service_principal), .region = region});
  } catch (const std::exception& e) {
    return internal_failure(e.what());
  } catch (...) {
    return internal_failure("unknown exception");
  }
}

HttpResponse Router::handle_unguarded(const HttpRequest& request) {
  std::optional<ServiceId> service;
  if (std::optional<std::string> scope = protocol::sigv4::credential_scope_service(request)) {
    service = protocol::find_service(*scope);
    if (!service) {
      ++stats_.errors;
      return unknown_service_response(*scope, request_id_);
    }
  } else {
    service = detect_unsigned_service(request);
  }
  if (!service) {
    if (request.method == "GET" && request.path() == kHealthPath) {
      return health_response(request_id_, options_.auth);
    }
    ++stats_.errors;
    return unknown_service_response({}, request_id_);
  }
  current_service_ = *service;
  const Family family =
      *protocol::sigv4::family_for_service(protocol::service_model(*service).signing_name);
  sim::Result<Authenticated> who = authenticate(request, *service, family);
  if (!who.ok()) {
    ++stats_.auth_failures;
    return error_response(*service, who.error());
  }
  return dispatch(request, *service, std::move(who).value());
}

sim::Result<Router::Authenticated> Router::authenticate(const HttpRequest& request,
                                                        ServiceId service,
                                                        Family family) {
  namespace sigv4 = protocol::sigv4;
  sim::Result<sigv4::SignedRequestInfo> info = sigv4::parse_signature(request, family);
  if (!info.ok()) {
    return info.error();
  }
  const std::string& key_id = info->access_key_id;
  sim::Result<sts::ResolvedAccessKey> resolved = world_.sts().resolve_access_key(key_id);
  if (!resolved.ok() && resolved.error().code == sts::StsModel::kExpiredTokenCode) {
    return expired_token_error(family);
  }
  if (!resolved.ok() && options_.auth == AuthMode::kLenient && api::AccountId::is_valid(key_id)) {
    // Deviation from AWS (LocalStack's convention, lenient mode only): any 12-digit access key
    // id is an account's root, and an account the world lacks is created on first use.
    const api::AccountId account = api::AccountId::from_valid(key_id);
    if (sim::Status added = world_.add_account(account); !added.ok()) {
      return added.error();
    }
    ++stats_.accounts_created;
    world_.context().emit("server.account_created", {{"account", account.str()}});
    if (observer_ != nullptr) {
      const protocol::Document input = {{"AccountId", account.str()}};
      sim::Status durable = observer_->on_change(
          {.service = ServiceId::kIam, .operation = kCreateAccountChange, .input = &input});
      if (!durable.ok()) {
        return durable.error();
      }
    }
    resolved = world_.sts().resolve_access_key(key_id);
  }
  if (!resolved.ok()) {
    return with_explanation(sigv4::unknown_access_key_error(family),
                            "UnknownAccessKey",
                            "No access key " + key_id
                                + " exists in this world: declare it in the world file "
                                  "(rootAccessKeys, users.*.accessKeys), create it with "
                                  "iam create-access-key, or use STS session credentials"
                                + (options_.auth == AuthMode::kStrict
                                       ? std::string(
                                           "; with --auth lenient a 12-digit account id also "
                                           "works as an access key id")
                                       : std::string()));
  }
  using Kind = sts::ResolvedAccessKey::Kind;
  if (resolved->kind == Kind::kAccountIdAlias) {
    if (options_.auth == AuthMode::kStrict) {
      return with_explanation(sigv4::unknown_access_key_error(family),
                              "AccountIdAsAccessKey",
                              "The access key id " + key_id
                                  + " is an account id, which only --auth lenient accepts (as that "
                                    "account's root, with any secret). Under --auth strict, sign "
                                    "with a key from the world file or from iam "
                                    "create-access-key.");
    }
  } else {
    sim::Status verified = sigv4::verify(request,
                                         *info,
                                         resolved->secret_access_key,
                                         options_.wall_clock_unix_ms(),
                                         family,
                                         &signing_keys_);
    if (!verified.ok()) {
      return verified.error();
    }
    if (resolved->requires_session_token) {
      if (info->security_token != resolved->session_token) {
        return with_explanation(sigv4::unknown_access_key_error(family),
                                "SessionTokenMismatch",
                                "Access key " + key_id
                                    + " belongs to an STS session: the request must carry that "
                                      "session's token in X-Amz-Security-Token.");
      }
    } else if (!info->security_token.empty()) {
      // Unconfirmed: AWS refuses a session token sent with a long-term key as an invalid token.
      return with_explanation(sigv4::unknown_access_key_error(family),
                              "UnexpectedSessionToken",
                              "Access key " + key_id
                                  + " is a long-term key, but the request carries an "
                                    "X-Amz-Security-Token.");
    }
  }
  sim::Result<api::Region> region = endpoint_region(service, info->region, family);
  if (!region.ok()) {
    return region.error();
  }
  return Authenticated{.principal = std::move(resolved).value().principal,
                       .region = std::move(region).value(),
                       .access_key_id = key_id};
}

sim::Result<api::Region> Router::endpoint_region(ServiceId service,
                                                 std::string_view scope_region,
                                                 Family family) const {
  sim::Result<api::Region> parsed = api::parse_region(scope_region);
  if (service == ServiceId::kIam || service == ServiceId::kSts) {
    // IAM and STS answer whatever region the client signs for (--endpoint-url keeps the
    // configured region); the region is informational for them.
    return parsed.ok() ? std::move(parsed).value() : api::Region::from_known(kGlobalRegion);
  }
  if (parsed.ok() && world_.has_region(*parsed)) {
    return std::move(parsed).value();
  }
  return region_not_enabled_error(family, scope_region, world_.regions());
}

HttpResponse Router::dispatch(const HttpRequest& request, ServiceId service, Authenticated who) {
  sim::Result<protocol::DecodedRequest> decoded = protocol::decode_request(service, request);
  if (!decoded.ok()) {
    return error_response(service, decoded.error());
  }
  const protocol::OperationRef& operation = decoded->operation;
  const protocol::ServiceModel& model = protocol::service_model(service);
  const auto index = static_cast<std::size_t>(&operation.model() - model.operations.data());
  const Handler handler = handlers_[service_index(service)][index];
  if (handler == nullptr) {
    return error_response(service, unknown_operation_error(service, operation.name()));
  }
  ++stats_.served;
  const api::CallContext call{.principal = std::move(who.principal),
                              .region = std::move(who.region),
                              .request_id = request_id_,
                              .access_key_id = std::move(who.access_key_id),
                              .request_unix_ms = world_.context().unix_ms()};
  sim::Result<protocol::Document> output = handler(world_, call, decoded->input);
  if (!output.ok()) {
    return error_response(service, output.error());
  }
  if (observer_ != nullptr && is_mutating_operation(service, operation.name())) {
    sim::Status durable = observer_->on_change({.service = service,
                                                .operation = operation.name(),
                                                .call = &call,
                                                .input = &decoded->input,
                                                .output = &*output});
    if (!durable.ok()) {
      return internal_failure("the change could not be recorded: " + durable.error().message);
    }
  }
  sim::Result<HttpResponse> response = protocol::encode_response(operation, *output, request_id_);
  if (!response.ok()) {
    return internal_failure("the answer does not fit the service model: "
                            + response.error().message);
  }
  return std::move(response).value();
}

HttpResponse Router::error_response(ServiceId service, const sim::AwsError& error) {
  ++stats_.errors;
  HttpResponse response = protocol::encode_error(service, error, request_id_);
  if (!error.explanation.empty()) {
    std::string encoded = crypto::base64_encode(std::string_view(error.explanation));
    if (encoded.size() <= options_.explanation_header_bytes_max) {
      response.headers.add(std::string(kExplanationHeader), std::move(encoded));
    }
  }
  return response;
}

HttpResponse Router::internal_failure(std::string_view what) {
  ++stats_.internal_errors;
  world_.context().emit("server.internal_failure",
                        {{"request_id", request_id_},
                         {"service",
                          current_service_ ? protocol::service_model(*current_service_).name
                                           : std::string_view("unknown")},
                         {"what", what}});
  if (!current_service_) {
    return reject_response(500, what);
  }
  sim::AwsError error =
      sim::aws_error("InternalFailure", std::string(kInternalFailureMessage), 500);
  error.explanation = explanation_json("InternalFailure", "ibsim: " + std::string(what));
  return error_response(*current_service_, error);
}

HttpResponse reject_response(int status, std::string_view reason) {
  HttpResponse r;
  r.status = status;
  const std::string_view code = status == 413   ? "RequestEntityTooLarge"
                                : status >= 500 ? "InternalFailure"
                                                : "MalformedHttpRequest";
  nlohmann::json body;
  body["__type"] = code;
  body["message"] = reason;
  r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  r.headers.add("Content-Type", "application/x-amz-json-1.1");
  r.headers.add("x-amzn-ErrorType", std::string(code));
  return r;
}

}  // namespace ibsim::mock_aws::server
