// `ibsim serve`: the composition root of the server. One sim::Context (its civil clock set to
// the wall clock at start), one services::World (optionally preloaded from a world file), the
// direct transport and the distribution engine as Image Builder's workflow, the router, the
// Boost.Beast HTTP front and the realtime driver — all on one io_context thread, so the models
// stay single-threaded. Virtual time follows wall time times --time-scale: each request first
// runs the events that are due, and a timer runs them between requests. With --state-dir every
// request the router handles is journaled (mock_aws/server/journal.h) and a restart replays it.
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
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>

#include "mock_aws/server/http_server.h"
#include "mock_aws/server/journal.h"
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
              [--auth strict|lenient] [--io-threads N] [--state-dir DIR]

Serves Image Builder, EC2, IAM, STS, KMS and SSM on one local HTTP endpoint, speaking AWS's
wire protocols with SigV4 authentication, so the unmodified AWS CLI and SDKs work against it
(aws --endpoint-url ...). The service is chosen by the signature's credential scope. Every call
is authorized by the models exactly as in scenario runs: identity policies, trust policies, key
policies, grants, launch permissions. Image builds and AMI copies take virtual time, which runs
at --time-scale times wall-clock speed. State lives in memory and ends with the process,
unless --state-dir keeps it.

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
  --state-dir DIR     keep the state in DIR (created when absent): every change is on disk
                      (fdatasync) before its answer is sent, and a restart on the same DIR
                      restores the exact state, copies in flight included, even after kill -9.
                      DIR keeps the seed, --auth and a copy of the world file, so a restart
                      needs only --state-dir; giving a different --seed, --auth or --world is
                      an error. Virtual time does not advance while the server is down.

Example:
  ibsim serve --world world.json --time-scale 600 &
  export AWS_ACCESS_KEY_ID=AKIASOURCEROOT000001 AWS_SECRET_ACCESS_KEY=sourceRootSecret
  export AWS_DEFAULT_REGION=us-east-1
  aws --endpoint-url http://127.0.0.1:4566 sts get-caller-identity
  aws --endpoint-url http://127.0.0.1:4566 imagebuilder list-distribution-configurations

Exit status: 0 after a signal, 1 when the address cannot be used or the state directory
cannot be written, 2 on bad usage, a bad world file or a state directory that does not match
the flags or cannot be read.
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
  // Unset: 1 and strict, or the state directory's values.
  std::optional<uint64_t> seed;
  double time_scale = 1.0;
  std::optional<server::AuthMode> auth;
  int io_threads = 0;
  std::string state_dir;
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
    } else if (flag == "--state-dir") {
      if (value.empty()) {
        return fail("--state-dir takes a directory");
      }
      o.state_dir = value;
    } else {
      return fail("unknown option: " + flag);
    }
  }
  return o;
}

// Tells the journal which answers acknowledge a change and must wait for fdatasync: the
// router reports every successful mutating request and every account lenient auth creates.
class ChangeFlag final : public server::ChangeObserver {
 public:
  sim::Status on_change(const server::AppliedChange&) override {
    changed = true;
    return sim::ok_status();
  }

  bool changed = false;
};

// What the run uses: the flags, or an existing state directory's recorded values.
struct RunSettings {
  uint64_t seed = 1;
  server::AuthMode auth = server::AuthMode::kStrict;
  bool has_world = false;
  std::string world_text;
  std::string world_source;  // The path shown in messages and given to the world loader.
};

// Replays a state directory's journal: each request runs at its recorded virtual time (the
// events due by then run first, exactly as RealtimeDriver::advance() ran them) and with its
// recorded wall clock, through the same Router::handle; answers are compared, not sent.
sim::Result<server::JournalScan> replay_journal(server::StateDir& state,
                                                sim::Context& ctx,
                                                server::Router& router,
                                                int64_t& request_wall_ms,
                                                std::string* torn_tail_report) {
  return state.replay_journal(
      [&](const server::JournalRecord& record) -> sim::Status {
        const sim::Instant at = sim::Instant::from_ns(record.virtual_ns);
        if (at < ctx.now()) {
          return sim::aws_error("StateDirError", "its virtual time goes backwards");
        }
        if (at > ctx.now()) {
          while (ctx.scheduler().run_until(at) == sim::RunStatus::kEventLimit) {
          }
        }
        request_wall_ms = record.wall_unix_ms;
        const mock_aws::protocol::HttpResponse answer = router.handle(record.request);
        if (answer.status != record.response_status
            || server::crc32c(answer.body) != record.response_body_crc) {
          return sim::aws_error(
              "StateDirError",
              "replaying it answered HTTP " + std::to_string(answer.status) + " where HTTP "
                  + std::to_string(record.response_status)
                  + " (or another body) was recorded, so the state cannot be restored "
                    "faithfully; this is an ibsim determinism bug worth reporting");
        }
        return sim::ok_status();
      },
      torn_tail_report);
}

}  // namespace

int run_serve(std::span<const std::string> args) {
  const std::optional<ServeOptions> parsed = parse_options(args);
  if (!parsed) {
    return 2;
  }
  const ServeOptions& o = *parsed;

  RunSettings run{.seed = o.seed.value_or(1),
                  .auth = o.auth.value_or(server::AuthMode::kStrict),
                  .has_world = !o.world.empty(),
                  .world_source = o.world};
  std::optional<server::StateDir> state;
  if (!o.state_dir.empty()) {
    sim::Result<server::StateDir> opened = server::StateDir::open(o.state_dir);
    if (!opened.ok()) {
      std::fprintf(stderr, "ibsim serve: %s\n", opened.error().message.c_str());
      return 2;
    }
    state.emplace(std::move(opened).value());
    server::StateFlags flags{.seed = o.seed, .world_path = o.world};
    if (o.auth) {
      flags.auth = std::string(server::to_string(*o.auth));
    }
    if (!o.world.empty()) {
      sim::Result<std::optional<std::string>> text = server::read_whole_file(o.world);
      if (!text.ok() || !text->has_value()) {
        std::fprintf(stderr, "ibsim serve: cannot read the world file %s\n", o.world.c_str());
        return 2;
      }
      flags.world_text = std::move(**text);
    }
    if (state->initialized()) {
      const server::StateMeta& meta = state->meta();
      const std::optional<server::AuthMode> auth = server::parse_auth_mode(meta.auth);
      if (!auth) {
        std::fprintf(stderr,
                     "ibsim serve: %s/meta.json: unknown auth mode %s\n",
                     o.state_dir.c_str(),
                     meta.auth.c_str());
        return 2;
      }
      if (sim::Status s = server::check_flags_match(meta, state->world_text(), flags, o.state_dir);
          !s.ok()) {
        std::fprintf(stderr, "ibsim serve: %s\n", s.error().message.c_str());
        return 2;
      }
      run = {.seed = meta.seed,
             .auth = *auth,
             .has_world = meta.has_world,
             .world_text = state->world_text(),
             .world_source = meta.world_source};
    } else if (flags.world_text) {
      run.world_text = std::move(*flags.world_text);
    }
  }

  sim::Context ctx({.seed = run.seed});
  mock_aws::services::World world(ctx);
  if (run.has_world) {
    const sim::Status s = state ? scenario::load_world_text(run.world_text, run.world_source, world)
                                : scenario::load_world_file(run.world_source, world);
    if (!s.ok()) {
      std::fprintf(stderr, "ibsim serve: %s\n", s.error().message.c_str());
      return 2;
    }
  }
  scenario::DirectClientFactory clients(world);
  engine::DistributionEngine engine(ctx, clients, engine::EngineOptions{});
  world.set_workflow(&engine);

  // The wall clock SigV4's skew window is checked against: read once per request, so the
  // journal records exactly the value the router used (and replay gives it back).
  int64_t request_wall_ms = 0;
  server::Router router(world, {.auth = run.auth, .wall_clock_unix_ms = [&] {
                                  return request_wall_ms;
                                }});
  ChangeFlag changes;
  router.set_change_observer(&changes);

  if (state && state->initialized()) {
    // Civil time continues from the recorded epoch, so dates replay identically.
    ctx.set_epoch_unix_ms(state->meta().epoch_unix_ms);
    const auto started = std::chrono::steady_clock::now();
    std::string torn_tail;
    const sim::Result<server::JournalScan> replayed =
        replay_journal(*state, ctx, router, request_wall_ms, &torn_tail);
    if (!replayed.ok()) {
      std::fprintf(stderr, "ibsim serve: %s\n", replayed.error().message.c_str());
      world.set_workflow(nullptr);
      return 2;
    }
    if (!torn_tail.empty()) {
      std::fprintf(stderr, "ibsim serve: %s\n", torn_tail.c_str());
    }
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - started);
    std::fprintf(stderr,
                 "ibsim serve: restored %llu requests (%llu journal bytes) from %s in %lld ms; "
                 "virtual time %.3f s\n",
                 static_cast<unsigned long long>(replayed->records),
                 static_cast<unsigned long long>(replayed->valid_bytes),
                 o.state_dir.c_str(),
                 static_cast<long long>(took.count()),
                 static_cast<double>(ctx.now().ns()) / 1e9);
  } else {
    // Civil time (CreationDate, aws:CurrentTime) starts at the wall clock, so dates look
    // current; it then advances with virtual time (faster than the wall clock under
    // --time-scale).
    ctx.set_epoch_unix_ms(wall_clock_unix_ms() - ctx.now().since_start().ms());
    if (state) {
      const server::StateMeta meta{.seed = run.seed,
                                   .auth = std::string(server::to_string(run.auth)),
                                   .epoch_unix_ms = ctx.epoch_unix_ms(),
                                   .has_world = run.has_world,
                                   .world_source = run.world_source};
      if (sim::Status s = state->initialize(meta, run.world_text); !s.ok()) {
        std::fprintf(stderr, "ibsim serve: %s\n", s.error().message.c_str());
        world.set_workflow(nullptr);
        return 1;
      }
    }
  }

  boost::asio::io_context io(1);
  // Deviation from AWS: virtual time does not pass while a --state-dir server is down: the
  // driver resumes at the last journaled request's virtual time, so a copy in flight at a crash
  // or stop resumes where it was; in AWS it keeps running meanwhile.
  sim::RealtimeDriver driver(io, ctx.scheduler(), {.time_scale = o.time_scale});
  int exit_status = 0;
  std::optional<server::HttpServer> http;
  http.emplace(
      io,
      server::HttpServerOptions{.address = o.bind, .port = o.port, .io_threads = o.io_threads},
      [&](mock_aws::protocol::HttpRequest&& request) {
        driver.advance();  // Reads see every event due by now.
        if (state && state->failed()) {
          return server::reject_response(503, "the state directory failed; the server is stopping");
        }
        request_wall_ms = wall_clock_unix_ms();
        const int64_t virtual_ns = ctx.now().ns();
        changes.changed = false;
        mock_aws::protocol::HttpResponse response = router.handle(request);
        if (state) {
          // Every request is journaled (reads draw request ids and IVs from the seeded RNG, so
          // later answers depend on them); an answer that acknowledges a change waits for
          // fdatasync, which also makes every earlier record durable.
          const std::string frame = server::encode_journal_frame(
              virtual_ns, request_wall_ms, request, response.status, server::crc32c(response.body));
          if (sim::Status s = state->append(frame, changes.changed); !s.ok()) {
            std::fprintf(stderr,
                         "ibsim serve: %s; stopping (nothing further is acknowledged)\n",
                         s.error().message.c_str());
            exit_status = 1;
            boost::asio::post(io, [&] {
              http->stop();
              driver.stop();
            });
            response = server::reject_response(500, "the change could not be recorded");
          }
        }
        driver.poke();  // The request may have scheduled something sooner.
        return response;
      },
      server::reject_response);
  const sim::Result<uint16_t> port = http->start();
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
      http->stop();
      driver.stop();
    }
  });

  driver.start();
  if (o.bind != "127.0.0.1" && o.bind != "::1" && o.bind != "localhost") {
    std::fprintf(stderr,
                 "ibsim serve: warning: listening on %s makes the simulator reachable from the "
                 "network; it is a test tool without real security\n",
                 o.bind.c_str());
  }
  std::printf(
      "ibsim serve: listening on http://%s:%u (world: %s, accounts: %zu, auth: %s, time "
      "scale: %g%s%s)\n",
      o.bind.c_str(),
      static_cast<unsigned>(*port),
      run.has_world ? run.world_source.c_str() : "none",
      world.iam().account_ids().size(),
      std::string(server::to_string(run.auth)).c_str(),
      o.time_scale,
      state ? ", state dir: " : "",
      state ? o.state_dir.c_str() : "");
  std::fflush(stdout);

  io.run();

  world.set_workflow(nullptr);
  const server::RouterStats& stats = router.stats();
  std::printf("ibsim serve: stopped after %llu requests (%llu errors)\n",
              static_cast<unsigned long long>(stats.requests),
              static_cast<unsigned long long>(stats.errors));
  return exit_status;
}

}  // namespace ibsim::cli
