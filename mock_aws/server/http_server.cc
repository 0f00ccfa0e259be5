// Threading: with io_threads == 0 (the default) every socket operation and the handler run on the
// application io_context's one thread. Measured on the 2-core dev machine with wrk and a constant
// handler (bench/http_constant_server.cc), that is faster than I/O threads posting to the
// application thread: each request would otherwise cross threads twice (request in, response
// out), and on two cores shared with the load generator the extra threads only add context
// switches. The io_threads > 0 mode stays for machines with cores to spare; it uses a strand
// per connection and the same handler contract.
#include "mock_aws/server/http_server.h"

#include <exception>
#include <list>
#include <mutex>
#include <optional>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace ibsim::mock_aws::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

// Bytes read and discarded after refusing a request before the connection is closed regardless.
constexpr std::size_t kLingeringDrainBytesMax = 64 * 1024 * 1024;
constexpr std::size_t kDrainChunkBytes = 16 * 1024;
// Pause before accepting again after a failed accept (out of file descriptors, say).
constexpr std::chrono::milliseconds kAcceptRetryDelay{50};

class Session;

}  // namespace

struct HttpServer::Shared {
  Shared(asio::io_context& app_context,
         HttpServerOptions server_options,
         HttpHandler app_handler,
         RejectHook reject_hook)
      : app(app_context),
        own_io(server_options.io_threads > 0
                   ? std::make_unique<asio::io_context>(server_options.io_threads)
                   : nullptr),
        options(std::move(server_options)),
        handler(std::move(app_handler)),
        reject(reject_hook ? std::move(reject_hook) : RejectHook(plain_text_reject)),
        acceptor(multi_threaded() ? asio::any_io_executor(asio::make_strand(io()))
                                  : asio::any_io_executor(io().get_executor())),
        retry_timer(acceptor.get_executor()) {}

  bool multi_threaded() const { return own_io != nullptr; }

  asio::io_context& io() { return own_io ? *own_io : app; }

  // Each connection's executor: a strand when several threads run the I/O context.
  asio::any_io_executor connection_executor() {
    return multi_threaded() ? asio::any_io_executor(asio::make_strand(io()))
                            : asio::any_io_executor(io().get_executor());
  }

  protocol::HttpResponse invoke(protocol::HttpRequest&& request) {
    requests_handled.fetch_add(1, std::memory_order_relaxed);
    // The one place an exception from the application is caught: it becomes a 500, the
    // connection and the server carry on.
    try {
      return handler(std::move(request));
    } catch (const std::exception& e) {
      return rejected(500, std::string("the request handler failed: ") + e.what());
    } catch (...) {
      return rejected(500, "the request handler failed");
    }
  }

  protocol::HttpResponse rejected(int status, std::string_view reason) {
    requests_rejected.fetch_add(1, std::memory_order_relaxed);
    try {
      return reject(status, reason);
    } catch (...) {
      return plain_text_reject(status, reason);
    }
  }

  void accept_next(const std::shared_ptr<Shared>& self);

  asio::io_context& app;
  std::unique_ptr<asio::io_context> own_io;  // Only with io_threads > 0.
  HttpServerOptions options;
  HttpHandler handler;
  RejectHook reject;
  tcp::acceptor acceptor;
  asio::steady_timer retry_timer;
  // Keeps app.run() going while only the I/O threads hold work (io_threads > 0).
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> app_work;

  std::mutex sessions_mutex;
  std::list<std::weak_ptr<Session>> sessions;  // Guarded by sessions_mutex.
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> live_connections{0};
  std::atomic<uint64_t> connections_accepted{0};
  std::atomic<uint64_t> connections_refused{0};
  std::atomic<uint64_t> requests_handled{0};
  std::atomic<uint64_t> requests_rejected{0};
};

namespace {

using Shared = HttpServer::Shared;

// One connection: read a request, hand it to the application, write the answer, repeat while
// both sides keep the connection alive. All of its state is touched on its own executor.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, std::shared_ptr<Shared> shared)
      : stream_(std::move(socket)), shared_(std::move(shared)) {}

  ~Session() {
    shared_->live_connections.fetch_sub(1, std::memory_order_relaxed);
    const std::lock_guard<std::mutex> lock(shared_->sessions_mutex);
    shared_->sessions.erase(registration_);
  }

  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void start() {
    shared_->live_connections.fetch_add(1, std::memory_order_relaxed);
    {
      const std::lock_guard<std::mutex> lock(shared_->sessions_mutex);
      registration_ = shared_->sessions.insert(shared_->sessions.end(), weak_from_this());
    }
    read_next();
  }

  asio::any_io_executor executor() { return stream_.get_executor(); }

  // The server is stopping: an idle connection closes now, a busy one after its answer.
  void shutdown() {
    closing_ = true;
    if (!busy_) {
      close();
    }
  }

 private:
  void read_next() {
    if (closing_) {
      close();
      return;
    }
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(shared_->options.header_bytes_max, UINT32_MAX)));
    parser_->body_limit(static_cast<std::uint64_t>(shared_->options.body_bytes_max));
    stream_.expires_after(shared_->options.idle_timeout);
    http::async_read(
        stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
          self->on_read(ec);
        });
  }

  void on_read(beast::error_code ec) {
    if (ec == http::error::body_limit || ec == http::error::header_limit) {
      refuse(413,
             ec == http::error::body_limit ? "the request body is too large"
                                           : "the request header is too large");
      return;
    }
    if (ec == http::error::end_of_stream || ec == http::error::partial_message
        || ec == beast::error::timeout || ec == asio::error::operation_aborted) {
      close();
      return;
    }
    if (ec) {
      if (ec.category() == http::make_error_code(http::error::bad_method).category()) {
        refuse(400, "malformed HTTP request: " + ec.message());
      } else {
        close();  // Reset by the peer and the like: nobody to answer.
      }
      return;
    }
    busy_ = true;
    auto& message = parser_->get();
    protocol::HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    for (const auto& field : message) {
      request.headers.add(std::string(field.name_string()), std::string(field.value()));
    }
    request.body = std::move(message.body());
    const bool keep_alive = message.keep_alive();
    version_ = message.version();
    head_request_ = message.method() == http::verb::head;
    parser_.reset();

    if (!shared_->multi_threaded()) {
      // Already on the application thread.
      respond(shared_->invoke(std::move(request)), keep_alive);
      return;
    }
    asio::post(shared_->app,
               [self = shared_from_this(), request = std::move(request), keep_alive]() mutable {
                 protocol::HttpResponse response = self->shared_->invoke(std::move(request));
                 asio::post(self->executor(),
                            [self, response = std::move(response), keep_alive]() mutable {
                              self->respond(std::move(response), keep_alive);
                            });
               });
  }

  void respond(protocol::HttpResponse&& response, bool keep_alive) {
    keep_alive_ = keep_alive && !closing_ && !shared_->stopping.load();
    write(std::move(response), /*then_linger=*/false);
  }

  // Answers a request that never reaches the handler, then closes the connection.
  void refuse(int status, std::string_view reason) {
    busy_ = true;
    head_request_ = false;
    keep_alive_ = false;
    parser_.reset();
    write(shared_->rejected(status, reason), /*then_linger=*/true);
  }

  void write(protocol::HttpResponse&& response, bool then_linger) {
    response_ = {};
    response_.version(version_);
    const int status = response.status >= 100 && response.status <= 599 ? response.status : 500;
    response_.result(static_cast<unsigned>(status));
    for (const auto& [name, value] : response.headers.fields()) {
      // Framing is the server's business: it always sends Content-Length.
      if (protocol::iequals(name, "content-length") || protocol::iequals(name, "connection")
          || protocol::iequals(name, "transfer-encoding")) {
        continue;
      }
      response_.insert(name, value);
    }
    response_.body() = std::move(response.body);
    response_.keep_alive(keep_alive_);
    response_.content_length(response_.body().size());
    if (head_request_) {
      response_.body().clear();  // HEAD: the length of the body that GET would send, no body.
    }
    stream_.expires_after(shared_->options.write_timeout);
    http::async_write(stream_,
                      response_,
                      [self = shared_from_this(), then_linger](beast::error_code ec, std::size_t) {
                        self->on_write(ec, then_linger);
                      });
  }

  void on_write(beast::error_code ec, bool then_linger) {
    busy_ = false;
    if (ec) {
      close();
      return;
    }
    if (then_linger) {
      linger();
      return;
    }
    if (!keep_alive_) {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      close();
      return;
    }
    read_next();
  }

  // Lingering close: stop sending, then read and discard what the client is still sending (the
  // rest of a refused body) for a bounded time, so closing does not reset the connection before
  // the client has read the answer.
  void linger() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(shared_->options.lingering_close_timeout);
    drain();
  }

  void drain() {
    buffer_.consume(buffer_.size());
    stream_.async_read_some(buffer_.prepare(kDrainChunkBytes),
                            [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                              self->drained_bytes_ += n;
                              if (ec || self->drained_bytes_ > kLingeringDrainBytesMax) {
                                self->close();
                                return;
                              }
                              self->drain();
                            });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  std::shared_ptr<Shared> shared_;
  std::list<std::weak_ptr<Session>>::iterator registration_;
  unsigned version_ = 11;
  std::size_t drained_bytes_ = 0;
  bool busy_ = false;          // A request is with the handler or its answer is being written.
  bool keep_alive_ = false;    // Of the exchange in progress.
  bool head_request_ = false;  // The exchange in progress answers a HEAD request.
  bool closing_ = false;       // stop() was called.
};

}  // namespace

void HttpServer::Shared::accept_next(const std::shared_ptr<Shared>& self) {
  acceptor.async_accept(connection_executor(), [self](beast::error_code ec, tcp::socket socket) {
    if (self->stopping.load() || ec == asio::error::operation_aborted) {
      return;
    }
    if (ec) {
      // Out of descriptors or similar: wait a little instead of spinning.
      self->retry_timer.expires_after(kAcceptRetryDelay);
      self->retry_timer.async_wait([self](beast::error_code timer_ec) {
        if (!timer_ec && !self->stopping.load()) {
          self->accept_next(self);
        }
      });
      return;
    }
    if (self->live_connections.load(std::memory_order_relaxed) >= self->options.connections_max) {
      self->connections_refused.fetch_add(1, std::memory_order_relaxed);
      beast::error_code ignored;
      socket.close(ignored);
    } else {
      self->connections_accepted.fetch_add(1, std::memory_order_relaxed);
      std::make_shared<Session>(std::move(socket), self)->start();
    }
    self->accept_next(self);
  });
}

HttpServer::HttpServer(asio::io_context& app,
                       HttpServerOptions options,
                       HttpHandler handler,
                       RejectHook reject)
    : shared_(
        std::make_shared<Shared>(app, std::move(options), std::move(handler), std::move(reject))) {}

HttpServer::~HttpServer() {
  stop();
  for (std::thread& t : io_threads_) {
    t.join();
  }
  if (shared_->own_io) {
    // Answers the application posted after the I/O threads ended still hold their connections
    // (and through them this state): run them here so they close, breaking the cycle.
    shared_->own_io->restart();
    shared_->own_io->poll();
  }
}

sim::Result<uint16_t> HttpServer::start() {
  beast::error_code ec;
  const auto address = asio::ip::make_address(shared_->options.address, ec);
  if (ec) {
    return sim::aws_error(
        "BindFailed", "invalid listen address '" + shared_->options.address + "'", 500);
  }
  const tcp::endpoint endpoint(address, shared_->options.port);
  tcp::acceptor& acceptor = shared_->acceptor;
  const auto fail = [&](const char* step) {
    beast::error_code ignored;
    acceptor.close(ignored);
    return sim::aws_error("BindFailed",
                          std::string(step) + " " + shared_->options.address + ":"
                              + std::to_string(shared_->options.port) + ": " + ec.message(),
                          500);
  };
  acceptor.open(endpoint.protocol(), ec);
  if (ec) {
    return fail("cannot open");
  }
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (ec) {
    return fail("cannot configure");
  }
  acceptor.bind(endpoint, ec);
  if (ec) {
    return fail("cannot bind");
  }
  acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    return fail("cannot listen on");
  }
  port_ = acceptor.local_endpoint(ec).port();
  if (ec) {
    return fail("cannot read the port of");
  }
  if (shared_->multi_threaded()) {
    shared_->app_work.emplace(shared_->app.get_executor());
    asio::post(acceptor.get_executor(), [s = shared_] { s->accept_next(s); });
    for (int i = 0; i < shared_->options.io_threads; ++i) {
      io_threads_.emplace_back([s = shared_] { s->own_io->run(); });
    }
  } else {
    shared_->accept_next(shared_);
  }
  return port_;
}

void HttpServer::stop() {
  if (shared_->stopping.exchange(true)) {
    return;
  }
  asio::post(shared_->acceptor.get_executor(), [s = shared_] {
    beast::error_code ignored;
    s->acceptor.close(ignored);
    s->retry_timer.cancel();
    std::vector<std::shared_ptr<Session>> live;
    {
      const std::lock_guard<std::mutex> lock(s->sessions_mutex);
      for (const auto& weak : s->sessions) {
        if (auto session = weak.lock()) {
          live.push_back(std::move(session));
        }
      }
    }
    for (auto& session : live) {
      asio::post(session->executor(), [session] { session->shutdown(); });
    }
    s->app_work.reset();
  });
}

HttpServerStats HttpServer::stats() const {
  return {shared_->connections_accepted.load(),
          shared_->connections_refused.load(),
          shared_->requests_handled.load(),
          shared_->requests_rejected.load()};
}

protocol::HttpResponse plain_text_reject(int status, std::string_view reason) {
  protocol::HttpResponse response;
  response.status = status;
  response.headers.add("Content-Type", "text/plain; charset=utf-8");
  response.body = std::to_string(status) + " " + std::string(reason) + "\n";
  return response;
}

}  // namespace ibsim::mock_aws::server
