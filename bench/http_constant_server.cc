// A constant-answer HttpServer for load tests with wrk: every request gets 200 and a small JSON
// body, so the numbers measure the HTTP front alone (parsing, hand-off to the application
// thread, writing). Runs until SIGINT or SIGTERM.
//
//   http_constant_server [--port N] [--io-threads N]
//   wrk -t2 -c16 -d10s --latency http://127.0.0.1:N/

// Boost 1.74's Asio misses <utility> under g++ 12 in C++20; include it first.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "mock_aws/server/http_server.h"

int main(int argc, char** argv) {
  using ibsim::mock_aws::protocol::HttpRequest;
  using ibsim::mock_aws::protocol::HttpResponse;
  ibsim::mock_aws::server::HttpServerOptions options;
  options.port = 8080;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    const int value = std::atoi(argv[i + 1]);
    if (flag == "--port") {
      options.port = static_cast<uint16_t>(value);
    } else if (flag == "--io-threads") {
      options.io_threads = value;
    } else {
      std::fprintf(stderr, "usage: %s [--port N] [--io-threads N]\n", argv[0]);
      return 2;
    }
  }
  boost::asio::io_context io(1);
  ibsim::mock_aws::server::HttpServer server(io, options, [](HttpRequest&&) {
    HttpResponse response;
    response.headers.add("Content-Type", "application/x-amz-json-1.1");
    response.body = R"({"KeyId":"1234abcd-12ab-34cd-56ef-1234567890ab"})";
    return response;
  });
  const auto port = server.start();
  if (!port.ok()) {
    std::fprintf(stderr, "%s\n", port.error().message.c_str());
    return 1;
  }
  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code&, int) { server.stop(); });
  std::printf("listening on 127.0.0.1:%u (io threads: %d)\n", *port, options.io_threads);
  std::fflush(stdout);
  io.run();
  const auto stats = server.stats();
  std::printf("requests handled: %llu, connections: %llu\n",
              static_cast<unsigned long long>(stats.requests_handled),
              static_cast<unsigned long long>(stats.connections_accepted));
  return 0;
}
