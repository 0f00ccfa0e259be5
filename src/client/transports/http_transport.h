#pragma once
// The HTTP transport: the same typed clients as the wire transport, over HTTP/1.1 to any endpoint
// that speaks AWS's protocols — `ibsim serve`, or another emulator — with cpp-httplib as the
// client (keep-alive, TCP_NODELAY, bounded connect/read/write timeouts). A failure to connect is
// kNotSent (nothing reached the server); a request written whose answer never came back is
// kMaybeApplied (call_error.h). Service principals are refused: nobody can sign as a service.
// Plain http:// only.
//
//   auto clients = make_http_client_factory({.endpoint_url = "http://127.0.0.1:4566",
//                                            .clock_unix_ms = wall_clock});
//   if (!clients.ok()) ...;  (*clients)->kms ...

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "sim/base/result.h"
#include "src/client/transports/codec_clients.h"

namespace ibsim::client {

struct HttpTransportOptions {
  std::string endpoint_url;  // "http://HOST:PORT" (a path or https:// is refused).
  // Signing time (Unix ms): the wall clock, which the server checks its skew window against.
  // Passed in because only the composition root (src/cli) may read it.
  std::function<int64_t()> clock_unix_ms;
  std::chrono::milliseconds connect_timeout{2'000};
  std::chrono::milliseconds read_timeout{30'000};
  std::chrono::milliseconds write_timeout{30'000};
  CodecClientOptions clients;
};

// Errors: InvalidEndpoint for a URL this transport cannot use.
sim::Result<std::unique_ptr<CodecClientFactory>> make_http_client_factory(
    HttpTransportOptions options);

}  // namespace ibsim::client
