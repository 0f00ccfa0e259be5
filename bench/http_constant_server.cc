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
#include <optional>
#include <string>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "mock_aws/server/http_server.h"

namespace {

constexpr const char* kUsage =
    "usage: http_constant_server [--port N] [--io-threads N]\n"
    "  Answers every HTTP request with 200 and a small JSON body until SIGINT or SIGTERM.\n"
    "  --port N        port on 127.0.0.1 (0: any free one; default 8080)\n"
    "  --io-threads N  separate threads for socket I/O (0 to 64; default 0: none, all on the\n"
    "                  application thread)\n";

// A whole decimal number in [min, max], or nullopt.
std::optional<long> parse_number(const std::string& text, long min, long max) {
  if (text.empty() || text.size() > 9
      || text.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  const long value = std::stol(text);
  if (value < min || value > max) {
    return std::nullopt;
  }
  return value;
}

}  // namespace

int main(int argc, char** argv) {
  using ibsim::mock_aws::protocol::HttpRequest;
  using ibsim::mock_aws::protocol::HttpResponse;
  ibsim::mock_aws::server::HttpServerOptions options;
  options.port = 8080;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (flag == "--help" || flag == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    const bool known = flag == "--port" || flag == "--io-threads";
    if (!known || i + 1 >= argc) {
      std::fprintf(stderr,
                   "http_constant_server: %s '%s'\n%s",
                   known ? "a value is needed after" : "unknown argument",
                   flag.c_str(),
                   kUsage);
      return 2;
    }
    const std::string text = argv[++i];
    const std::optional<long> value =
        flag == "--port" ? parse_number(text, 0, 65535) : parse_number(text, 0, 64);
    if (!value.has_value()) {
      std::fprintf(stderr,
                   "http_constant_server: %s: '%s' is out of range\n%s",
                   flag.c_str(),
                   text.c_str(),
                   kUsage);
      return 2;
    }
    if (flag == "--port") {
      options.port = static_cast<uint16_t>(*value);
    } else {
      options.io_threads = static_cast<int>(*value);
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
