#include "src/client/transports/http_transport.h"

#include <charconv>
#include <utility>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "mock_aws/protocol/sigv4.h"
#include "sim/base/assert.h"
#include "src/client/call_error.h"

namespace ibsim::client {
namespace {

namespace protocol = mock_aws::protocol;

constexpr std::string_view kHttpScheme = "http://";
constexpr int kDefaultHttpPort = 80;
constexpr int kPortMax = 65535;

struct Endpoint {
  std::string host;
  int port = kDefaultHttpPort;
  std::string host_header;  // "host:port", as the SDKs send it for a non-default port.
};

sim::Result<Endpoint> parse_endpoint(std::string_view url) {
  const auto invalid = [&](std::string_view why) {
    return sim::aws_error("InvalidEndpoint",
                          "ibsim HTTP transport: cannot use endpoint '" + std::string(url)
                              + "': " + std::string(why));
  };
  if (!url.starts_with(kHttpScheme)) {
    return invalid("only http://HOST:PORT is supported");
  }
  std::string_view rest = url.substr(kHttpScheme.size());
  if (rest.ends_with('/')) {
    rest.remove_suffix(1);
  }
  if (rest.empty() || rest.find('/') != std::string_view::npos) {
    return invalid("expected http://HOST:PORT without a path");
  }
  Endpoint e;
  const std::size_t colon = rest.rfind(':');
  if (colon == std::string_view::npos) {
    e.host = std::string(rest);
  } else {
    e.host = std::string(rest.substr(0, colon));
    const std::string_view port = rest.substr(colon + 1);
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), e.port);
    if (ec != std::errc() || end != port.data() + port.size() || e.port <= 0 || e.port > kPortMax) {
      return invalid("bad port");
    }
  }
  if (e.host.empty()) {
    return invalid("no host");
  }
  e.host_header = e.port == kDefaultHttpPort ? e.host : e.host + ":" + std::to_string(e.port);
  return e;
}

class HttpSender final : public Sender {
 public:
  HttpSender(Endpoint endpoint, const HttpTransportOptions& options)
      : endpoint_(std::move(endpoint)),
        clock_(options.clock_unix_ms),
        client_(endpoint_.host, endpoint_.port) {
    client_.set_tcp_nodelay(true);  // Otherwise Nagle + delayed ACK add ~40 ms per request.
    client_.set_keep_alive(true);
    client_.set_url_encode(false);  // Targets are encoded (and signed) as they are.
    client_.set_connection_timeout(options.connect_timeout);
    client_.set_read_timeout(options.read_timeout);
    client_.set_write_timeout(options.write_timeout);
  }

  std::string host(protocol::ServiceId, const mock_aws::api::Region&) override {
    return endpoint_.host_header;
  }

  int64_t now_unix_ms() override { return clock_(); }

  sim::Result<protocol::HttpResponse> send(protocol::HttpRequest&& request) override {
    httplib::Request out;
    out.method = std::move(request.method);
    out.path = std::move(request.target);
    for (const auto& [name, value] : request.headers.fields()) {
      out.headers.emplace(name, value);
    }
    out.body = std::move(request.body);
    httplib::Result result = client_.send(out);
    if (!result) {
      const httplib::Error error = result.error();
      const std::string why = "HTTP " + out.method + " " + endpoint_.host_header + out.path + ": "
                              + httplib::to_string(error);
      switch (error) {
        case httplib::Error::Connection:
        case httplib::Error::BindIPAddress:
        case httplib::Error::SSLConnection:
        case httplib::Error::SSLLoadingCerts:
        case httplib::Error::SSLServerVerification:
          return not_sent(why);
        default:
          // Written (perhaps in part) with no answer read: the server may have acted on it.
          return maybe_applied(why);
      }
    }
    protocol::HttpResponse response;
    response.status = result->status;
    for (const auto& [name, value] : result->headers) {
      response.headers.add(name, value);
    }
    response.body = std::move(result->body);
    return response;
  }

  sim::Result<protocol::HttpResponse> send_as_service(protocol::HttpRequest&&,
                                                      protocol::ServiceId service,
                                                      const mock_aws::api::Region&,
                                                      std::string_view principal) override {
    const auto family =
        protocol::sigv4::family_for_service(protocol::service_model(service).signing_name);
    sim::AwsError e =
        protocol::sigv4::unknown_access_key_error(family.value_or(protocol::sigv4::Family::kJson));
    nlohmann::json why;
    why["reason"] = "ServicePrincipalOverHttp";
    why["summary"] = std::string(principal)
                     + " is an AWS service principal: it has no keys, so no HTTP request can be "
                       "signed as it. Give the engine the service-linked role's session "
                       "credentials instead.";
    e.explanation = why.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return e;
  }

 private:
  Endpoint endpoint_;
  std::function<int64_t()> clock_;
  httplib::Client client_;
};

}  // namespace

sim::Result<std::unique_ptr<CodecClientFactory>> make_http_client_factory(
    HttpTransportOptions options) {
  IBSIM_ASSERT(static_cast<bool>(options.clock_unix_ms),
               "the composition root gives the HTTP transport the wall clock");
  sim::Result<Endpoint> endpoint = parse_endpoint(options.endpoint_url);
  if (!endpoint.ok()) {
    return endpoint.error();
  }
  auto sender = std::make_unique<HttpSender>(std::move(endpoint).value(), options);
  return std::make_unique<CodecClientFactory>(std::move(sender), std::move(options.clients));
}

}  // namespace ibsim::client
