#pragma once
// Router: the one place a wire request becomes a model call. It finds the service (the SigV4
// credential scope; for unsigned requests X-Amz-Target, Image Builder's paths or the query
// Action), authenticates the signature against STS's credential store, decodes and validates the
// request with the protocol codec, builds the api::CallContext and dispatches through a
// per-service table of mapping rows; every answer — success, AWS error, or a stray exception —
// leaves in the service's protocol with a request id. Authorization happens inside each model
// operation (docs/adding-a-service.md); the router only authenticates. Sim thread only.
//
//   Router router(world, {.auth = AuthMode::kStrict, .wall_clock_unix_ms = wall_now});
//   HttpResponse r = router.handle(request);

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock_aws/api/call_context.h"
#include "mock_aws/api/ids.h"
#include "mock_aws/protocol/document.h"
#include "mock_aws/protocol/http_message.h"
#include "mock_aws/protocol/shape_model.h"
#include "mock_aws/protocol/sigv4.h"
#include "mock_aws/services/world.h"
#include "sim/base/result.h"
#include "sim/rng.h"

namespace ibsim::mock_aws::server {

// How signatures are checked. kStrict verifies every request against a secret the world knows.
// kLenient also accepts LocalStack's convention: a 12-digit access key id is that account's root
// whatever the secret (the account is created on first use when the world lacks it).
enum class AuthMode : uint8_t { kStrict, kLenient };

std::string_view to_string(AuthMode mode);
std::optional<AuthMode> parse_auth_mode(std::string_view text);

// ibsim's explanation of an error (AwsError::explanation, JSON) travels in this response header,
// base64-encoded, so the wire and HTTP transports can restore it; AWS clients ignore it.
// src/client/transports/codec_clients.h reads the same name (the router tests check they agree).
inline constexpr std::string_view kExplanationHeader = "x-ibsim-explanation";
// cpp-httplib's client refuses header lines over 8192 bytes (CPPHTTPLIB_HEADER_MAX_LENGTH), so
// longer explanations are left out of the header over HTTP; the in-process transport sets no cap.
inline constexpr std::size_t kExplanationHeaderBytesMaxDefault = 8000;

// A change the router made or let a model make, reported to a ChangeObserver before the answer
// is returned.
struct AppliedChange {
  protocol::ServiceId service = protocol::ServiceId::kIam;
  // The AWS operation ("CreateRole"), or one of the router's own: kCreateAccountChange.
  std::string_view operation;
  const api::CallContext* call = nullptr;  // Null for the router's own changes.
  const protocol::Document* input = nullptr;
  const protocol::Document* output = nullptr;
};

// Lenient authentication created an account for a 12-digit access key id: input
// {"AccountId": "..."}.
inline constexpr std::string_view kCreateAccountChange = "ibsim:CreateAccount";

// The seam for durable state (`ibsim serve --state-dir`): told about every successful mutating
// request (is_mutating_operation) after the model applied it and before its answer leaves the
// router. An error turns the answer into 500 InternalFailure — nothing unrecorded is
// acknowledged. (The model's in-memory state has changed either way.) State that changes on
// scheduled events (a copy becoming available) is not reported here: those run from
// RealtimeDriver::advance(), which the serve command calls before each request and on its timer.
class ChangeObserver {
 public:
  virtual ~ChangeObserver() = default;
  virtual sim::Status on_change(const AppliedChange& change) = 0;
};

// Whether an operation can change a model's state: everything but Get*/List*/Describe*/Decode*
// and KMS's cryptographic operations (Encrypt, Decrypt, ReEncrypt, GenerateDataKey*), which read
// keys and draw from the RNG but store nothing.
bool is_mutating_operation(protocol::ServiceId service, std::string_view operation);

struct RouterOptions {
  AuthMode auth = AuthMode::kStrict;
  // The clock SigV4's skew window is checked against (Unix ms). Clients sign with real time
  // while virtual time may run faster, so `ibsim serve` passes the wall clock; the in-process
  // wire transport passes the simulation's civil clock, which it also signs with. Required.
  std::function<int64_t()> wall_clock_unix_ms;
  std::size_t explanation_header_bytes_max = kExplanationHeaderBytesMaxDefault;
};

struct RouterStats {
  uint64_t requests = 0;
  uint64_t served = 0;           // Reached a model operation.
  uint64_t errors = 0;           // Answered with an error (any cause).
  uint64_t auth_failures = 0;    // Refused before decoding: no or a bad signature, unknown key.
  uint64_t internal_errors = 0;  // A stray exception or an unencodable answer.
  uint64_t accounts_created = 0;
};

class Router {
 public:
  Router(services::World& world, RouterOptions options);

  Router(const Router&) = delete;
  Router& operator=(const Router&) = delete;

  // Answers one request. Never throws.
  protocol::HttpResponse handle(const protocol::HttpRequest& request);

  // In-process entry for the wire transport when the caller is an AWS service principal
  // ("imagebuilder.amazonaws.com"), which has no keys to sign with: authentication is skipped
  // and the principal is taken as given. Never reachable over HTTP.
  protocol::HttpResponse handle_as_service(const protocol::HttpRequest& request,
                                           protocol::ServiceId service,
                                           const api::Region& region,
                                           std::string_view service_principal);

  // Null disconnects.
  void set_change_observer(ChangeObserver* observer) { observer_ = observer; }

  // Whether the router dispatches `operation` of `service` to a model (false: the protocol's
  // unknown-operation error).
  bool serves(protocol::ServiceId service, std::string_view operation) const;

  const RouterStats& stats() const { return stats_; }

  AuthMode auth_mode() const { return options_.auth; }

  // A row of the dispatch tables: decode the Document into the typed input, call the model,
  // encode its output.
  using Handler = sim::Result<protocol::Document> (*)(services::World&,
                                                      const api::CallContext&,
                                                      const protocol::Document&);

 private:
  struct Authenticated {
    api::Principal principal;
    api::Region region;
    std::string access_key_id;
  };

  protocol::HttpResponse handle_unguarded(const protocol::HttpRequest& request);
  protocol::HttpResponse dispatch(const protocol::HttpRequest& request,
                                  protocol::ServiceId service,
                                  Authenticated who);
  sim::Result<Authenticated> authenticate(const protocol::HttpRequest& request,
                                          protocol::ServiceId service,
                                          protocol::sigv4::Family family);
  sim::Result<api::Region> endpoint_region(protocol::ServiceId service,
                                           std::string_view scope_region,
                                           protocol::sigv4::Family family) const;
  protocol::HttpResponse error_response(protocol::ServiceId service, const sim::AwsError& error);
  protocol::HttpResponse internal_failure(std::string_view what);
  void next_request_id();

  services::World& world_;
  RouterOptions options_;
  ChangeObserver* observer_ = nullptr;
  protocol::sigv4::SigningKeyCache signing_keys_;
  sim::Rng request_ids_;
  std::string request_id_;  // The current request's.
  // The service of the request being handled, for a stray exception's answer.
  std::optional<protocol::ServiceId> current_service_;
  // Per service (indexed by ServiceId), per operation (indexed like ServiceModel::operations).
  std::vector<std::vector<Handler>> handlers_;
  RouterStats stats_;
};

// The answer to a request the HTTP front refused before the router (400 malformed, 413 too
// large, 500): an AWS-style JSON error, since the service is not known yet. Touches no model.
protocol::HttpResponse reject_response(int status, std::string_view reason);

}  // namespace ibsim::mock_aws::server
