// `ibsim serve`: the composition root of the server. One sim::Context (its civil clock set to
// the wall clock at start), one services::World (optionally preloaded from a world file), the
// direct transport and the distribution engine as Image Builder's workflow, the router, the
// Boost.Beast HTTP front and the realtime driver — all on one io_context thread, so the models
// stay single-threaded. Virtual time follows wall time times --time-scale: each request first
// runs the events that are due, and a timer runs them between requests.
#include "src/cli/serve_command.h"

// Boost 1.74's Asio misses <utility> under g++ 12 in C++20; include it first.
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include "mock_aws/server/http_server.h"
#include "mock_aws/server/router.h"
#include "mock_aws/services/world.h"
#include "sim/context.h"
#include "sim/realtime/realtime_driver.h"
#include "src/engine/distribution_engine.h"
#include "src/engine/engine_options.h"
#include "src/scenario/direct_clients.h"
#include "src/scenario/world_loader.h"

namespace ibsim::cli {

const std::string_view kServeUsage = R"(Usage:
  ibsim serve [--port N] [--bind ADDR] [--world FILE] [--seed N] [--time-scale F]
              [--auth strict|lenient] [--io-threads N]

Serves Image Builder, EC2, IAM, STS, KMS and SSM on one local HTTP endpoint, speaking AWS's
wire protocols with SigV4 authentication, so the unmodified AWS CLI and SDKs work against it
(aws --endpoint-url ...). The service is chosen by the signature's credential scope. Every call
is authorized by the models exactly as in scenario runs: identity policies, trust policies, key
policies, grants, launch permissions. Image builds and AMI copies take virtual time, which runs
at --time-scale times wall-clock speed. State lives in memory and ends with the process.

Prints one line when ready:
  ibsim serve: listening on http://127.0.0.1:4566 (world: FILE, accounts: N, auth: strict, time scale: 1)
and stops gracefully on SIGINT or SIGTERM.

Options:
  --port N            TCP port (default 4566; 0 picks a free port, shown in the ready line)
  --bind ADDR         address to listen on (default 127.0.0.1; anything else exposes the
                      simulator to the network)
  --world FILE        preload accounts, access keys, users, roles, policies, KMS keys, images,
                      launch templates and SSM parameters (docs/world-format.md)
  --seed N            seed of ids, key material and request ids (default 1)
  --time-scale F      virtual seconds per wall second (default 1; 600 makes a 10-minute copy
                      take one second; at most 1000000). STS sessions expire in virtual time too.
  --auth MODE         strict (default): every request must be signed with a key the world
                      knows (world file keys, iam create-access-key, STS sessions).
                      lenient: also accept a 12-digit access key id as that account's root with
                      any secret (LocalStack's convention); unknown accounts are created.
  --io-threads N      threads doing socket I/O (default 0: everything on one thread, the fastest
                      on small machines); the models always run on one thread

Example:
  ibsim serve --world world.json --time-scale 600 &
  export AWS_ACCESS_KEY_ID=AKIASOURCEROOT000001 AWS_SECRET_ACCESS_KEY=sourceRootSecret
  export AWS_DEFAULT_REGION=us-east-1
  aws --endpoint-url http://127.0.0.1:4566 sts get-caller-identity
  aws --endpoint-url http://127.0.0.1:4566 imagebuilder list-distribution-configurations

Exit status: 0 after a signal, 1 when the address cannot be used, 2 on bad usage or a bad
world file.
)";

namespace {

namespace api = mock_aws::api;
namespace server = mock_aws::server;

constexpr uint16_t kDefaultPort = 4566;
constexpr double kTimeScaleMax = 1'000'000.0;
constexpr int kIoThreadsMax = 64;

struct ServeOptions {
  uint16_t port = kDefaultPort;
  std::string bind = "127.0.0.1";
  std::string world;
  uint64_t seed = 1;
  double time_scale = 1.0;
  server::AuthMode auth = server::AuthMode::kStrict;
  int io_threads = 0;
};

int64_t wall_clock_unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

template <typename T>
std::optional<T> parse_number(const std::string& text) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) {
    return std::nullopt;
  }
  return value;
}

// nullopt and a message on stderr for bad usage.
std::optional<ServeOptions> parse_options(std::span<const std::string> args) {
  ServeOptions o;
  const auto fail = [](const std::string& why) -> std::optional<ServeOptions> {
    std::fprintf(stderr, "ibsim serve: %s (see `ibsim serve --help`)\n", why.c_str());
    return std::nullopt;
  };
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (i + 1 >= args.size()) {
      return fail("unknown option or missing value: " + flag);
    }
    const std::string& value = args[++i];
    if (flag == "--port") {
      const auto port = parse_number<uint16_t>(value);
      if (!port) {
        return fail("--port takes 0 to 65535, not '" + value + "'");
      }
      o.port = *port;
    } else if (flag == "--bind") {
      o.bind = value;
    } else if (flag == "--world") {
      o.world = value;
    } else if (flag == "--seed") {
      const auto seed = parse_number<uint64_t>(value);
      if (!seed) {
        return fail("--seed takes a non-negative integer, not '" + value + "'");
      }
      o.seed = *seed;
    } else if (flag == "--time-scale") {
      const auto scale = parse_number<double>(value);
      if (!scale || !(*scale > 0.0) || *scale > kTimeScaleMax) {
        return fail("--time-scale takes a number above 0 and at most 1000000, not '" + value + "'");
      }
      o.time_scale = *scale;
    } else if (flag == "--auth") {
      const auto mode = server::parse_auth_mode(value);
      if (!mode) {
        return fail("--auth takes strict or lenient, not '" + value + "'");
      }
      o.auth = *mode;
    } else if (flag == "--io-threads") {
      const auto threads = parse_number<int>(value);
      if (!threads || *threads < 0 || *threads > kIoThreadsMax) {
        return fail("--io-threads takes 0 to 64, not '" + value + "'");
      }
      o.io_threads = *threads;
    } else {
      return fail("unknown option: " + flag);
    }
  }
  return o;
}

}  // namespace

int run_serve(std::span<const std::string> args) {
  const std::optional<ServeOptions> parsed = parse_options(args);
  if (!parsed) {
    return 2;
  }
  const ServeOptions& o = *parsed;

  sim::Context ctx({.seed = o.seed});
  mock_aws::services::World world(ctx);
  if (!o.world.empty()) {
    if (sim::Status s = scenario::load_world_file(o.world, world); !s.ok()) {
      std::fprintf(stderr, "ibsim serve: %s\n", s.error().message.c_str());
      return 2;
    }
  }
  scenario::DirectClientFactory clients(world);
  engine::DistributionEngine engine(ctx, clients, engine::EngineOptions{});
  world.set_workflow(&engine);

  server::Router router(world, {.auth = o.auth, .wall_clock_unix_ms = wall_clock_unix_ms});
  // Seam for durable state (--state-dir): router.set_change_observer(&journal) is told about
  // every acknowledged change before its answer is sent; scheduled events (copies completing)
  // run inside driver.advance() below and on the driver's timer.

  boost::asio::io_context io(1);
  sim::RealtimeDriver driver(io, ctx.scheduler(), {.time_scale = o.time_scale});
  server::HttpServer http(
      io,
      {.address = o.bind, .port = o.port, .io_threads = o.io_threads},
      [&](mock_aws::protocol::HttpRequest&& request) {
        driver.advance();  // Reads see every event due by now.
        mock_aws::protocol::HttpResponse response = router.handle(request);
        driver.poke();  // The request may have scheduled something sooner.
        return response;
      },
      server::reject_response);
  const sim::Result<uint16_t> port = http.start();
  if (!port.ok()) {
    std::fprintf(stderr,
                 "ibsim serve: cannot listen on %s:%u: %s\n",
                 o.bind.c_str(),
                 static_cast<unsigned>(o.port),
                 port.error().message.c_str());
    world.set_workflow(nullptr);
    return 1;
  }

  boost::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int) {
    if (!ec) {
      http.stop();
      driver.stop();
    }
  });

  // Civil time (CreationDate, aws:CurrentTime) starts at the wall clock, so dates look current;
  // it then advances with virtual time (faster than the wall clock under --time-scale).
  ctx.set_epoch_unix_ms(wall_clock_unix_ms() - ctx.now().since_start().ms());
  driver.start();
  if (o.bind != "127.0.0.1" && o.bind != "::1" && o.bind != "localhost") {
    std::fprintf(stderr,
                 "ibsim serve: warning: listening on %s makes the simulator reachable from the "
                 "network; it is a test tool without real security\n",
                 o.bind.c_str());
  }
  std::printf(
      "ibsim serve: listening on http://%s:%u (world: %s, accounts: %zu, auth: %s, time "
      "scale: %g)\n",
      o.bind.c_str(),
      static_cast<unsigned>(*port),
      o.world.empty() ? "none" : o.world.c_str(),
      world.iam().account_ids().size(),
      std::string(server::to_string(o.auth)).c_str(),
      o.time_scale);
  std::fflush(stdout);

  io.run();

  world.set_workflow(nullptr);
  const server::RouterStats& stats = router.stats();
  std::printf("ibsim serve: stopped after %llu requests (%llu errors)\n",
              static_cast<unsigned long long>(stats.requests),
              static_cast<unsigned long long>(stats.errors));
  return 0;
}

}  // namespace ibsim::cli
