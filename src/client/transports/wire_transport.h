#pragma once
// The wire transport: typed clients whose every call is encoded exactly as an AWS SDK would send
// it, SigV4-signed with the identity's credentials, answered by a handler in the same process
// (the server's router) and decoded again — the engine's whole conversation through the real
// codecs, in virtual time and without sockets. It proves the codecs carry everything the engine
// needs. A service principal has no keys: its requests go to the handler's second entry, which
// takes the principal as given (the router's handle_as_service).
//
//   WireEndpoint endpoint{.handle = [&](const HttpRequest& r) { return router.handle(r); },
//                         .handle_as_service = ...};
//   auto clients = make_wire_client_factory(std::move(endpoint), {.clock_unix_ms = ...});

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>

#include "mock_aws/api/ids.h"
#include "mock_aws/protocol/http_message.h"
#include "mock_aws/protocol/shape_model.h"
#include "src/client/transports/codec_clients.h"

namespace ibsim::client {

struct WireEndpoint {
  // Answers a signed request.
  std::function<mock_aws::protocol::HttpResponse(const mock_aws::protocol::HttpRequest&)> handle;
  // Answers a request made by a service principal (no signature); null: such calls are refused.
  std::function<mock_aws::protocol::HttpResponse(const mock_aws::protocol::HttpRequest&,
                                                 mock_aws::protocol::ServiceId,
                                                 const mock_aws::api::Region&,
                                                 std::string_view service_principal)>
      handle_as_service;
};

struct WireTransportOptions {
  // Signing time (Unix ms). In-process this is the simulation's civil clock, and the router is
  // given the same clock for its skew window.
  std::function<int64_t()> clock_unix_ms;
  CodecClientOptions clients;
};

std::unique_ptr<CodecClientFactory> make_wire_client_factory(WireEndpoint endpoint,
                                                             WireTransportOptions options);

}  // namespace ibsim::client
