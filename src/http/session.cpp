#include "http/session.h"

#include <algorithm>
#include <array>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <deque>
#include <optional>
#include <type_traits>
#include <vector>

#include "http/access_log.h"
#include "http/request_origin.h"
#include "http/wire_message.h"

namespace portrait::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using Clock = std::chrono::steady_clock;
using boost::system::error_code;

constexpr size_t kFirstReadBytes = 4096;
constexpr size_t kHeaderReadBytes = 4096;
// After answering and shutting down our side, unread client data (a refused body) is read and
// dropped for up to this long, so the close does not turn into a reset that destroys the
// response before the client has read it.
constexpr std::chrono::milliseconds kMaxLinger{2000};

std::chrono::milliseconds Milliseconds(int ms) { return std::chrono::milliseconds(ms); }

int64_t ElapsedMs(Clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count();
}

// A response slot in pipelining order; empty until the handler is done with it.
struct PendingResponse {
  std::optional<WireResponse> message;
  bool close_after = false;
  bool interim = false;  // 100 Continue: no access-log line
  AccessLogEntry log;
  Clock::time_point started;
  std::string head;  // message's rendered head while it is being written
};

// A handler's answer, rendered for the wire, with what the access log needs of it.
struct Answered {
  LogFields log_fields;
  int status = 0;
  WireResponse wire;

  void Render(Response response, const Request& request, unsigned version, bool keep_alive) {
    status = response.status;
    const bool head = request.method == "HEAD" || response.head_only;
    wire = ToWireResponse(std::move(response), version, head, keep_alive, request.request_id);
  }
};

// Runs a handler that must not throw; if it does anyway, logs it and answers 500.
template <class Call>
auto Guarded(Call call) -> decltype(call()) {
  try {
    return call();
  } catch (const std::exception& e) {
    WriteServerLog("error", "handler_exception", e.what());
  } catch (...) {
    WriteServerLog("error", "handler_exception", "unknown exception");
  }
  return InternalErrorResponse();
}

template <class Stream>
class Session final : public Connection, public std::enable_shared_from_this<Session<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  template <class... StreamArgs>
  explicit Session(const SessionEnvironment& environment, StreamArgs&&... stream_args)
      : env_(environment), stream_(std::forward<StreamArgs>(stream_args)...) {}
  ~Session() override { env_.registry.Remove(this); }

  void Start() {
    asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->OnStart(); });
  }
  void BeginShutdown() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] { self->OnStopping(); });
  }
  void ForceClose() override {
    asio::post(stream_.get_executor(), [self = this->shared_from_this()] { self->Close(); });
  }

 private:
  beast::tcp_stream& Tcp() { return beast::get_lowest_layer(stream_); }

  template <class Member>
  auto Bind(Member member) {
    return beast::bind_front_handler(member, this->shared_from_this());
  }

  void OnStart() {
    remote_address_ = PeerAddress(Tcp().socket());
    if constexpr (kTls) {
      Tcp().expires_after(Milliseconds(env_.options.read_timeout_ms));
      stream_.async_handshake(asio::ssl::stream_base::server, Bind(&Session::OnHandshake));
    } else {
      ReadNextRequest();
    }
  }

  void OnHandshake(error_code ec) {
    if (ec) return LogConnectionError("tls_handshake", ec);
    ReadNextRequest();
  }

  void ReadNextRequest() {
    if (closed_ || read_closed_ || reading_) return;
    if (env_.stopping) {
      read_closed_ = true;
      return CloseIfDone();
    }
    if (queue_.size() >= static_cast<size_t>(std::max(1, env_.options.max_queued_responses))) {
      return;  // back-pressure: OnWrite resumes reading
    }
    parser_.emplace();
    parser_->header_limit(
        static_cast<uint32_t>(std::min<uint64_t>(env_.options.max_header_bytes, UINT32_MAX)));
    parser_->body_limit(env_.options.max_body_bytes);
    reading_ = true;
    if (buffer_.size() > 0) return ReadHeader();
    awaiting_first_byte_ = true;
    Tcp().expires_after(Milliseconds(env_.options.idle_timeout_ms));
    stream_.async_read_some(buffer_.prepare(kFirstReadBytes), Bind(&Session::OnFirstBytes));
  }

  void OnFirstBytes(error_code ec, size_t bytes) {
    awaiting_first_byte_ = false;
    buffer_.commit(bytes);
    if (ec) return StopReading("idle_read", ec);
    if (read_closed_) {  // the last response already announced Connection: close
      reading_ = false;
      return CloseIfDone();
    }
    ReadHeader();
  }

  // The whole header must arrive within read_timeout_ms (a slowloris client is cut off).
  void ReadHeader() {
    request_started_ = Clock::now();
    Tcp().expires_after(Milliseconds(env_.options.read_timeout_ms));
    ParseHeader();
  }

  // Beast's parser takes the start line as soon as it is whole, and the fields only once all of
  // them are (it refuses a header over header_limit), so the bytes it takes last are the field
  // lines as received: FramingViolation reads them before they leave the buffer.
  void ParseHeader() {
    error_code ec;
    const size_t used = parser_->put(buffer_.data(), ec);
    if (ec == bhttp::error::need_more) {
      buffer_.consume(used);  // the start line, when only it is whole
      stream_.async_read_some(buffer_.prepare(kHeaderReadBytes), Bind(&Session::OnHeaderBytes));
      return;
    }
    if (ec) return OnReadError("read_header", ec);
    const std::string_view raw(static_cast<const char*>(buffer_.data().data()), used);
    const std::optional<std::string_view> violation = FramingViolation(parser_->get(), raw);
    buffer_.consume(used);
    if (violation) {
      LogConnectionError("framing", *violation);
      return Reject(env_.handler.BadRequest());
    }
    const auto& header = parser_->get();
    const uint64_t limit =
        std::min<uint64_t>(env_.options.max_body_bytes,
                           env_.handler.BodyLimit(header.method_string(), header.target()));
    if (parser_->content_length() && *parser_->content_length() > limit) {
      return Reject(env_.handler.TooLarge());
    }
    parser_->body_limit(limit);
    OnHeader();
  }

  void OnHeaderBytes(error_code ec, size_t bytes) {
    buffer_.commit(bytes);
    if (ec) return OnReadError("read_header", ec);
    ParseHeader();
  }

  void OnHeader() {
    if (ExpectsContinue(parser_->get()) && !parser_->is_done()) {
      auto interim = std::make_unique<PendingResponse>();
      interim->message = ContinueResponse(parser_->get().version());
      interim->interim = true;
      interim->started = request_started_;
      Enqueue(std::move(interim));
    }
    if (parser_->is_done()) return OnBody({}, 0);
    Tcp().expires_after(Milliseconds(env_.options.read_timeout_ms));
    bhttp::async_read(stream_, buffer_, *parser_, Bind(&Session::OnBody));
  }

  void OnBody(error_code ec, size_t) {
    if (ec) return OnReadError("read_body", ec);
    reading_ = false;
    Dispatch();
  }

  void OnReadError(const char* stage, error_code ec) {
    reading_ = false;
    if (ec == bhttp::error::body_limit) return Reject(env_.handler.TooLarge());
    if (IsMalformedRequest(ec)) return Reject(env_.handler.BadRequest());
    StopReading(stage, ec);
  }

  void StopReading(const char* stage, error_code ec) {
    reading_ = false;
    read_closed_ = true;
    if (ec != asio::error::operation_aborted) LogConnectionError(stage, ec);
    CloseIfDone();
  }

  // Answers a request that cannot be handled, then closes.
  void Reject(Response response) {
    read_closed_ = true;
    // The start line and the fields before the error are parsed even when the header is not.
    const auto& header = parser_->get();
    auto pending = std::make_unique<PendingResponse>();
    pending->close_after = true;
    pending->started = request_started_;
    pending->log.request_id = RequestIdFrom(OptionalField(header, "X-Request-Id"));
    pending->log.method = std::string(header.method_string());
    std::string_view target = header.target();
    pending->log.path = std::string(target.substr(0, target.find('?')));
    pending->log.status = response.status;
    const unsigned version = header.version() == 10 ? 10 : 11;  // a bad start line may say 0
    pending->message = ToWireResponse(std::move(response), version, pending->log.method == "HEAD",
                                      false, pending->log.request_id);
    Enqueue(std::move(pending));
  }

  void Dispatch() {
    auto message = parser_->release();
    parser_.reset();
    const unsigned version = message.version();
    const bool keep_alive = message.keep_alive() && !env_.stopping;
    Request request = ToRequest(std::move(message), remote_address_);
    request.scheme = ClientScheme(kTls ? "https" : "http", remote_address_, request.headers,
                                  env_.options.trusted_proxies);
    request.client_address =
        ClientAddress(remote_address_, request.headers, env_.options.trusted_proxies);
    request.request_id = RequestIdFrom(request.header("X-Request-Id"));

    auto pending = std::make_unique<PendingResponse>();
    pending->close_after = !keep_alive;
    pending->started = request_started_;
    pending->log.method = request.method;
    pending->log.path = std::string(request.path());
    pending->log.request_id = request.request_id;
    PendingResponse* slot = pending.get();
    queue_.push_back(std::move(pending));

    // A request the handler can answer without waiting is answered here, on this connection's
    // I/O thread: no hand-off to the pool and back (two thread switches), which for small reads
    // costs more than the answer itself.
    Answered here;
    if (std::optional<Response> answer =
            Guarded([&] { return env_.handler.HandleInline(request, here.log_fields); })) {
      here.Render(std::move(*answer), request, version, keep_alive);
      Fill(slot, std::move(here));
    } else {
      asio::post(env_.handler_pool, [self = this->shared_from_this(), slot, version, keep_alive,
                                     request = std::move(request)]() mutable {
        Answered pooled;
        pooled.Render(
            Guarded([&] { return self->env_.handler.Handle(request, pooled.log_fields); }), request,
            version, keep_alive);
        asio::post(self->stream_.get_executor(),
                   [self, slot, pooled = std::move(pooled)]() mutable {
                     self->Fill(slot, std::move(pooled));
                   });
      });
    }
    if (keep_alive) return ReadNextRequest();
    read_closed_ = true;
  }

  // On the I/O thread.
  void Fill(PendingResponse* slot, Answered answered) {
    slot->log.status = answered.status;
    slot->log.user_id = answered.log_fields.user_id;
    slot->message = std::move(answered.wire);
    WriteNext();
  }

  void Enqueue(std::unique_ptr<PendingResponse> pending) {
    queue_.push_back(std::move(pending));
    WriteNext();
  }

  void WriteNext() {
    if (writing_ || closed_ || queue_.empty() || !queue_.front()->message) return;
    PendingResponse& next = *queue_.front();
    // Stopping: the last response of a connection that has no request in progress closes it.
    if (env_.stopping && !next.close_after && !next.interim && queue_.size() == 1 &&
        (!reading_ || awaiting_first_byte_)) {
      next.close_after = true;
      next.message->keep_alive = false;
      read_closed_ = true;
    }
    writing_ = true;
    Tcp().expires_after(Milliseconds(env_.options.write_timeout_ms));
    next.head = next.message->Head();
    // Not a std::array: for a two-element array Asio resumes a partial write with an emptied
    // first element, and Beast's TLS stream (flat_stream) then writes the prefix of that
    // empty element, zero bytes, which ends async_write after the head of any response whose
    // body is over 16 KB. A vector's consumed elements are skipped instead.
    const std::vector<asio::const_buffer> buffers = {asio::buffer(next.head),
                                                     asio::buffer(next.message->body)};
    asio::async_write(stream_, buffers, Bind(&Session::OnWrite));
  }

  void OnWrite(error_code ec, size_t bytes) {
    writing_ = false;
    std::unique_ptr<PendingResponse> done = std::move(queue_.front());
    queue_.pop_front();
    if (!done->interim && env_.options.access_log) {
      done->log.bytes_sent = bytes;
      done->log.duration_ms = ElapsedMs(done->started);
      WriteAccessLog(done->log);
    }
    if (ec) {
      if (ec != asio::error::operation_aborted) LogConnectionError("write", ec);
      return Close();
    }
    if (done->close_after) {
      read_closed_ = true;
      return CloseIfDone();
    }
    WriteNext();
    ReadNextRequest();
  }

  void OnStopping() {
    if (closed_) return;
    // Nothing of a next request has arrived: stop waiting for one. The pending read then ends
    // (end of stream) and the connection closes once its queued responses are written.
    if (awaiting_first_byte_) {
      error_code ignored;
      Tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_receive, ignored);
    }
  }

  void CloseIfDone() {
    if (closed_ || !read_closed_ || reading_ || writing_ || !queue_.empty()) return;
    closed_ = true;
    if constexpr (kTls) {
      // close_notify first; the client's unread records are then dropped like plain bytes.
      Tcp().expires_after(std::min(kMaxLinger, Milliseconds(env_.options.write_timeout_ms)));
      stream_.async_shutdown(
          [self = this->shared_from_this()](error_code) { self->LingerThenClose(); });
    } else {
      LingerThenClose();
    }
  }

  // Our side is shut, then what the client still sends is read and dropped until it closes or
  // the linger deadline passes: closing with unread input would make the kernel answer with a
  // reset, which can destroy the last response before the client has read it.
  void LingerThenClose() {
    error_code ignored;
    Tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    Tcp().expires_after(std::min(kMaxLinger, Milliseconds(env_.options.read_timeout_ms)));
    DiscardUntilClosed();
  }

  // The linger deadline was set once in LingerThenClose, so a trickling client cannot extend it.
  // Reads the TCP stream itself: over TLS the records are dropped unread.
  void DiscardUntilClosed() {
    buffer_.clear();
    Tcp().async_read_some(buffer_.prepare(kFirstReadBytes),
                          [self = this->shared_from_this()](error_code ec, size_t) {
                            if (ec) return self->Tcp().close();
                            self->DiscardUntilClosed();
                          });
  }

  void Close() {
    closed_ = true;
    Tcp().close();
  }

  void LogConnectionError(const char* stage, error_code ec) {
    LogConnectionError(stage, ec.message());
  }
  void LogConnectionError(const char* stage, std::string_view what) {
    if (!env_.options.debug_log) return;
    WriteServerLog(
        "debug", "connection_error",
        std::string(stage) + ": " + std::string(what) + " (peer " + remote_address_ + ")");
  }

  const SessionEnvironment& env_;
  Stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::deque<std::unique_ptr<PendingResponse>> queue_;
  std::string remote_address_;
  Clock::time_point request_started_;
  bool reading_ = false;
  bool awaiting_first_byte_ = false;
  bool writing_ = false;
  bool read_closed_ = false;  // no further request will be read
  bool closed_ = false;
};

template <class Stream, class... StreamArgs>
void Launch(const SessionEnvironment& environment, StreamArgs&&... stream_args) {
  auto session =
      std::make_shared<Session<Stream>>(environment, std::forward<StreamArgs>(stream_args)...);
  environment.registry.Add(session);
  session->Start();
}

}  // namespace

void StartSession(asio::ip::tcp::socket socket, const SessionEnvironment& environment) {
  Launch<beast::tcp_stream>(environment, std::move(socket));
}

void StartTlsSession(asio::ip::tcp::socket socket, asio::ssl::context& tls,
                     const SessionEnvironment& environment) {
  Launch<beast::ssl_stream<beast::tcp_stream>>(environment, std::move(socket), tls);
}

}  // namespace portrait::http
