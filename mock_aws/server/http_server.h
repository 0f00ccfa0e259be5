#pragma once
// HttpServer: the HTTP/1.1 front of `ibsim serve`, on Boost.Beast. It listens on 127.0.0.1, keeps
// connections alive, bounds header and body sizes and idle time, converts each request into a
// protocol::HttpRequest and hands it to the application handler, which always runs on the one
// application io_context (the models are single-threaded). Requests refused before the handler
// (malformed → 400, too large → 413) get a body rendered by the application's reject hook.
//
//   boost::asio::io_context io;
//   HttpServer server(io, {.port = 4566}, [&](HttpRequest&& r) { return router.handle(r); });
//   auto port = server.start();  ...  io.run();   // server.stop() (from any thread) ends run()

// Boost 1.74's Asio misses <utility> under g++ 12 in C++20; include it first.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "mock_aws/protocol/http_message.h"
#include "sim/base/result.h"

namespace ibsim::mock_aws::server {

struct HttpServerOptions {
  std::string address = "127.0.0.1";
  uint16_t port = 0;  // 0: an ephemeral port; start() reports the one bound.
  // Request line plus headers; larger → 413.
  std::size_t header_bytes_max = 64 * 1024;
  // Body; larger → 413 (KMS caps plaintext at 4 KiB, IAM policy documents at 128 KiB).
  std::size_t body_bytes_max = 8 * 1024 * 1024;
  // Longest wait for a complete request, including keep-alive idle time between requests.
  std::chrono::milliseconds idle_timeout{60'000};
  // Longest wait for a response to be written.
  std::chrono::milliseconds write_timeout{30'000};
  // After refusing a request, how long the rest of it is read and discarded before closing, so
  // the client sees the answer instead of a reset.
  std::chrono::milliseconds lingering_close_timeout{2'000};
  // Accepted connections beyond this are closed at once.
  std::size_t connections_max = 1024;
  // 0: socket I/O runs on the application io_context too (measured fastest; see
  // docs in http_server.cc). N > 0: N threads do socket I/O and post each request to the
  // application io_context, and its response back.
  int io_threads = 0;
};

using HttpHandler = std::function<protocol::HttpResponse(protocol::HttpRequest&&)>;
// Renders the answer to a request refused before the handler: 400 (malformed), 413 (too large)
// or 500 (the handler threw). Called on an I/O thread: it must not touch the models.
using RejectHook = std::function<protocol::HttpResponse(int status, std::string_view reason)>;

struct HttpServerStats {
  uint64_t connections_accepted = 0;
  uint64_t connections_refused = 0;  // Over connections_max.
  uint64_t requests_handled = 0;     // Handed to the handler.
  uint64_t requests_rejected = 0;    // Answered by the reject hook.
};

class HttpServer {
 public:
  // `app` must be run by exactly one thread: the handler runs there. With io_threads == 0 the
  // server's sockets live on `app` too.
  HttpServer(boost::asio::io_context& app,
             HttpServerOptions options,
             HttpHandler handler,
             RejectHook reject = {});
  // Stops and joins the I/O threads. Destroy the server after `app` has stopped running.
  ~HttpServer();

  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds, listens and starts accepting. Returns the bound port, or an error (code
  // "BindFailed") when the address cannot be used.
  sim::Result<uint16_t> start();

  // Graceful stop, callable from any thread and more than once: stops accepting, closes idle
  // connections, lets in-flight requests finish (answered with Connection: close). Once they
  // have, the server holds no more work on `app`, so `app.run()` returns if nothing else is
  // pending there.
  void stop();

  uint16_t port() const { return port_; }

  HttpServerStats stats() const;

  struct Shared;  // Implementation state shared with the connections; defined in the .cc.

 private:
  std::shared_ptr<Shared> shared_;
  std::vector<std::thread> io_threads_;
  uint16_t port_ = 0;
};

// The default reject hook: a short text/plain body naming the status.
protocol::HttpResponse plain_text_reject(int status, std::string_view reason);

}  // namespace ibsim::mock_aws::server
