// The client transports against the router: the wire transport in-process, the HTTP transport
// over loopback to an HttpServer + Router on an ephemeral port (and to sockets that refuse or
// never answer, for the transport outcomes). Every wait is bounded.
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include <arpa/inet.h>
#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mock_aws/server/http_server.h"
#include "mock_aws/server/router.h"
#include "sim/context.h"
#include "src/client/call_error.h"
#include "src/client/transports/http_transport.h"
#include "src/client/transports/wire_transport.h"
#include "src/scenario/world_loader.h"

namespace ibsim::mock_aws::server {
namespace {

using protocol::HttpRequest;
using protocol::HttpResponse;
using namespace std::chrono_literals;

constexpr int64_t kNow = 1'795'000'000'000;
constexpr std::chrono::seconds kBound{10};

constexpr std::string_view kWorld = R"({
  "regions": ["us-east-1", "us-west-2"],
  "accounts": {
    "123456789012": {
      "rootAccessKeys": [{"accessKeyId": "AKIAROOT000000000001", "secretAccessKey": "rootSecret"}],
      "users": {
        "nobody": {"accessKeys": [{"accessKeyId": "AKIANOBODY0000000001",
                                   "secretAccessKey": "nobodySecret"}]}
      },
      "roles": {
        "Deployer": {
          "trustPolicy": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::123456789012:root"}, "Action": "sts:AssumeRole"}]}
        }
      }
    }
  }
})";

const client::Identity kRoot =
    client::Identity::from_credentials({"AKIAROOT000000000001", "rootSecret", "", 0});
const client::Identity kNobody =
    client::Identity::from_credentials({"AKIANOBODY0000000001", "nobodySecret", "", 0});
const api::Region kWest = api::Region::from_known("us-west-2");

struct Served {
  Served() : world(ctx) {
    const sim::Status loaded = scenario::load_world_text(kWorld, "transport-test.json", world);
    REQUIRE(loaded.ok());
    router = std::make_unique<Router>(world, RouterOptions{.wall_clock_unix_ms = [] {
                                        return kNow;
                                      }});
  }

  sim::Context ctx{{.seed = 5}};
  services::World world;
  std::unique_ptr<Router> router;
};

std::unique_ptr<client::CodecClientFactory> wire(Served& s) {
  return client::make_wire_client_factory(
      {.handle = [&s](const HttpRequest& r) { return s.router->handle(r); },
       .handle_as_service =
           [&s](const HttpRequest& r,
                protocol::ServiceId service,
                const api::Region& region,
                std::string_view principal) {
             return s.router->handle_as_service(r, service, region, principal);
           }},
      {.clock_unix_ms = [] { return kNow; }, .clients = {.tokens = sim::Rng(9)}});
}

TEST_CASE("Wire transport: typed calls through the router and back", "[transport]") {
  Served s;
  auto clients = wire(s);
  auto who = clients->sts(kRoot, kWest)->get_caller_identity({});
  REQUIRE(who.ok());
  CHECK(who->arn == "arn:aws:iam::123456789012:root");
  CHECK(who->account == "123456789012");
  auto images = clients->ec2(kRoot, kWest)->describe_images({.owners = {"amazon"}});
  REQUIRE(images.ok());
  CHECK_FALSE(images->images.empty());
  auto role = clients->iam(kRoot)->get_role({.role_name = "Deployer"});
  REQUIRE(role.ok());
  CHECK(role->role.arn == "arn:aws:iam::123456789012:role/Deployer");
  CHECK(s.router->stats().served == 3);
}

TEST_CASE("Wire transport: errors come back with ibsim's explanation", "[transport]") {
  Served s;
  auto clients = wire(s);
  auto denied = clients->iam(kNobody)->get_role({.role_name = "Deployer"});
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.error().code == "AccessDenied");
  CHECK(denied.error().http_status == 403);
  CHECK(client::classify(denied.error()) == client::CallOutcome::kServiceError);
  CHECK(denied.error().explanation.find("iam:GetRole") != std::string::npos);
  const client::Identity stranger =
      client::Identity::from_credentials({"AKIASTRANGER00000001", "x", "", 0});
  auto unknown = clients->ec2(stranger, kWest)->describe_images({});
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == "AuthFailure");
  // The typed interface's CreateImage has no wire tables.
  auto create = clients->ec2(kRoot, kWest)->create_image({});
  REQUIRE_FALSE(create.ok());
  CHECK(create.error().code == "InvalidAction");
}

TEST_CASE("Wire transport: a service principal assumes its service-linked role", "[transport]") {
  Served s;
  auto clients = wire(s);
  const client::Identity service = client::Identity::service(client::kImageBuilderServicePrincipal);
  auto session =
      clients->sts(service, kWest)
          ->assume_role(
              {.role_arn =
                   "arn:aws:iam::123456789012:role/aws-service-role/imagebuilder.amazonaws.com/"
                   "AWSServiceRoleForImageBuilder",
               .role_session_name = "ImageBuilder"});
  INFO((session.ok() ? std::string() : session.error().message));
  REQUIRE(session.ok());
  const client::Identity slr =
      client::Identity::from_credentials({session->credentials.access_key_id,
                                          session->credentials.secret_access_key,
                                          session->credentials.session_token,
                                          0});
  auto who = clients->sts(slr, kWest)->get_caller_identity({});
  REQUIRE(who.ok());
  CHECK(who->arn
        == "arn:aws:sts::123456789012:assumed-role/AWSServiceRoleForImageBuilder/ImageBuilder");
}

// The HTTP front and the router on their own thread, as in `ibsim serve`.
class Running {
 public:
  explicit Running(Served& served)
      : server_(std::make_unique<HttpServer>(
          io_,
          HttpServerOptions{},
          [&served](HttpRequest&& r) { return served.router->handle(r); },
          reject_response)) {
    const auto port = server_->start();
    REQUIRE(port.ok());
    port_ = *port;
    std::promise<void> finished;
    done_ = finished.get_future();
    thread_ = std::thread([this, finished = std::move(finished)]() mutable {
      io_.run();
      finished.set_value();
    });
  }

  ~Running() {
    server_->stop();
    if (done_.wait_for(kBound) != std::future_status::ready) {
      io_.stop();
    }
    thread_.join();
    server_.reset();
  }

  Running(const Running&) = delete;
  Running& operator=(const Running&) = delete;

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  boost::asio::io_context io_;
  std::unique_ptr<HttpServer> server_;
  uint16_t port_ = 0;
  std::thread thread_;
  std::future<void> done_;
};

std::unique_ptr<client::CodecClientFactory> http(const std::string& url,
                                                 std::chrono::milliseconds read_timeout = kBound) {
  auto made = client::make_http_client_factory({.endpoint_url = url,
                                                .clock_unix_ms = [] { return kNow; },
                                                .connect_timeout = kBound,
                                                .read_timeout = read_timeout,
                                                .write_timeout = kBound});
  REQUIRE(made.ok());
  return std::move(made).value();
}

TEST_CASE("HTTP transport: typed calls over loopback to the router", "[transport]") {
  Served s;
  Running running(s);
  auto clients = http(running.url());
  auto sts = clients->sts(kRoot, kWest);
  for (int i = 0; i < 3; ++i) {  // The connection is kept alive across calls.
    auto who = sts->get_caller_identity({});
    REQUIRE(who.ok());
    CHECK(who->arn == "arn:aws:iam::123456789012:root");
  }
  auto denied = clients->iam(kNobody)->get_role({.role_name = "Deployer"});
  REQUIRE_FALSE(denied.ok());
  CHECK(denied.error().code == "AccessDenied");
  CHECK(denied.error().explanation.find("iam:GetRole") != std::string::npos);
  // Nobody can sign as a service.
  auto service =
      clients->sts(client::Identity::service(client::kImageBuilderServicePrincipal), kWest)
          ->get_caller_identity({});
  REQUIRE_FALSE(service.ok());
  CHECK(service.error().code == "InvalidClientTokenId");
}

// A loopback port with a listening socket that never accepts: connections complete (the kernel
// queues them), requests are written, and no answer ever comes.
class Silent {
 public:
  Silent() {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    REQUIRE(fd_ >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0);
    REQUIRE(::listen(fd_, 4) == 0);
    socklen_t len = sizeof(addr);
    REQUIRE(::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
  }

  ~Silent() { ::close(fd_); }

  Silent(const Silent&) = delete;
  Silent& operator=(const Silent&) = delete;

  uint16_t port() const { return port_; }

  // Stops listening: the port now refuses connections.
  void close_port() {
    ::close(fd_);
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

TEST_CASE("HTTP transport: no answer is maybe-applied and a refused connection not-sent",
          "[transport]") {
  Silent silent;
  const std::string url = "http://127.0.0.1:" + std::to_string(silent.port());
  auto quiet = http(url, 300ms)->sts(kRoot, kWest)->get_caller_identity({});
  REQUIRE_FALSE(quiet.ok());
  CHECK(client::classify(quiet.error()) == client::CallOutcome::kMaybeApplied);
  silent.close_port();
  auto refused = http(url)->sts(kRoot, kWest)->get_caller_identity({});
  REQUIRE_FALSE(refused.ok());
  CHECK(client::classify(refused.error()) == client::CallOutcome::kNotSent);
}

TEST_CASE("HTTP transport: only plain http endpoints are accepted", "[transport]") {
  for (const char* url : {"https://127.0.0.1:4566",
                          "http://127.0.0.1:4566/path",
                          "http://:80",
                          "http://h:99999",
                          "ftp://x"}) {
    INFO(url);
    auto made = client::make_http_client_factory({.endpoint_url = url, .clock_unix_ms = [] {
                                                    return kNow;
                                                  }});
    REQUIRE_FALSE(made.ok());
    CHECK(made.error().code == "InvalidEndpoint");
  }
  CHECK(client::make_http_client_factory({.endpoint_url = "http://localhost:4566/",
                                          .clock_unix_ms =
                                              [] {
                                                return kNow;
                                              }})
            .ok());
}

}  // namespace
}  // namespace ibsim::mock_aws::server
