#include "src/client/transports/wire_transport.h"

#include <string>
#include <utility>

#include "mock_aws/protocol/sigv4.h"
#include "sim/base/assert.h"

namespace ibsim::client {
namespace {

namespace protocol = mock_aws::protocol;

class WireSender final : public Sender {
 public:
  WireSender(WireEndpoint endpoint, std::function<int64_t()> clock)
      : endpoint_(std::move(endpoint)), clock_(std::move(clock)) {}

  std::string host(protocol::ServiceId service, const mock_aws::api::Region& region) override {
    // The names AWS's endpoints have; nothing resolves them, they are only signed.
    return std::string(protocol::service_model(service).signing_name) + "." + region.str()
           + ".amazonaws.com";
  }

  int64_t now_unix_ms() override { return clock_(); }

  sim::Result<protocol::HttpResponse> send(protocol::HttpRequest&& request) override {
    return endpoint_.handle(request);
  }

  sim::Result<protocol::HttpResponse> send_as_service(protocol::HttpRequest&& request,
                                                      protocol::ServiceId service,
                                                      const mock_aws::api::Region& region,
                                                      std::string_view principal) override {
    if (!endpoint_.handle_as_service) {
      const auto family =
          protocol::sigv4::family_for_service(protocol::service_model(service).signing_name);
      return protocol::sigv4::unknown_access_key_error(
          family.value_or(protocol::sigv4::Family::kJson));
    }
    return endpoint_.handle_as_service(request, service, region, principal);
  }

 private:
  WireEndpoint endpoint_;
  std::function<int64_t()> clock_;
};

}  // namespace

std::unique_ptr<CodecClientFactory> make_wire_client_factory(WireEndpoint endpoint,
                                                             WireTransportOptions options) {
  IBSIM_ASSERT(static_cast<bool>(endpoint.handle) && static_cast<bool>(options.clock_unix_ms),
               "the composition root gives the wire transport a handler and a clock");
  return std::make_unique<CodecClientFactory>(
      std::make_unique<WireSender>(std::move(endpoint), std::move(options.clock_unix_ms)),
      std::move(options.clients));
}

}  // namespace ibsim::client
