"""Raw HTTP/1.1 to a harness.PortraitServer, over TCP or TLS: the bytes exactly as written
(pipelined, misframed, split), and the responses parsed in order by h11.

Every connection goes to the listener of the server's scheme; over https the client trusts the
suite's certificate and may pin one TLS version.
"""

import http.client
import json
import socket
import ssl
import urllib.parse

import h11

# The TLS versions the transport tests pin both ends of a client's range to.
TLS_VERSIONS = {"tls1.2": ssl.TLSVersion.TLSv1_2, "tls1.3": ssl.TLSVersion.TLSv1_3}
# What a peer's close looks like to a reader or writer: a reset or an abrupt TLS end.
CONNECTION_CLOSED = (BrokenPipeError, ConnectionResetError, ssl.SSLError)


def tls_context(server, version=None):
    """A client context trusting the suite's certificate; `version` (a TLS_VERSIONS value)
    pins both ends of the range, so that version or nothing is negotiated."""
    context = ssl.create_default_context(cafile=str(server.tls[0]))
    if version is not None:
        context.minimum_version = context.maximum_version = version
    return context


def open_connection(server, timeout=10, tls_version=None):
    """A connected socket to the listener of the server's scheme, with Nagle off; over https
    an ssl.SSLSocket whose handshake is done."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=timeout)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if server.scheme == "https":
        sock = tls_context(server, tls_version).wrap_socket(sock, server_hostname="127.0.0.1")
    return sock


def http_connection(server, timeout=10):
    """An http.client connection (HTTPSConnection over https) to the server's listener."""
    if server.scheme == "https":
        return http.client.HTTPSConnection("127.0.0.1", server.port, timeout=timeout,
                                           context=tls_context(server))
    return http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)


def read_until_closed(sock, limit=1 << 20):
    """Everything the server sends until it closes (or resets) the connection."""
    data = b""
    while len(data) < limit:
        try:
            chunk = sock.recv(65536)
        except CONNECTION_CLOSED:
            break
        if not chunk:
            break
        data += chunk
    return data


def raw_http_exchange(server, head_bytes, body_bytes=b"", timeout=10):
    """Sends raw bytes and parses one HTTP response: (status, headers dict lower-cased, body)."""
    with open_connection(server, timeout=timeout) as sock:
        sock.sendall(head_bytes + body_bytes)
        resp = http.client.HTTPResponse(sock, method="POST")
        resp.begin()
        body = resp.read()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, body


def request_bytes(server, method, path, headers=(), body=b"", close=False):
    """One HTTP/1.1 request as bytes, with the Host a client of the server's listener sends."""
    lines = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{server.port}"]
    lines += [f"{name}: {value}" for name, value in headers]
    if body or method in ("POST", "PUT"):
        lines.append(f"Content-Length: {len(body)}")
    if close:
        lines.append("Connection: close")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def prepared_bytes(server, prepared, close=False):
    """A requests.PreparedRequest (signed by its auth, multipart built by requests) as bytes."""
    parts = urllib.parse.urlsplit(prepared.url)
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    body = prepared.body or b""
    body = body.encode() if isinstance(body, str) else body
    headers = [(k, v.decode() if isinstance(v, bytes) else v)  # requests-oauthlib's are bytes
               for k, v in prepared.headers.items() if k.lower() != "content-length"]
    return request_bytes(server, prepared.method, target, headers, body, close)


class Response:
    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers  # lower-cased names; str values
        self.body = body

    def json(self):
        return json.loads(self.body)

    def __repr__(self):
        return f"<Response {self.status} {len(self.body)} bytes: {self.body[:120]!r}>"


class ResponseReader:
    """Reads, in order, the responses to requests the caller sent on `sock` itself (one at a
    time, or pipelined in one write). h11 parses them; it is told each request's method so that
    it knows which responses have no body."""

    def __init__(self, sock):
        self.sock = sock
        self.parser = h11.Connection(h11.CLIENT)

    def next(self, method="GET"):
        """The next response (a 100 Continue is skipped); None if, instead, the connection
        closed or the response before announced that it would (Connection: close)."""
        if self.parser.our_state is h11.DONE and self.parser.their_state is h11.DONE:
            self.parser.start_next_cycle()
        if self.parser.their_state is h11.MUST_CLOSE:
            return None
        self.parser.send(h11.Request(method=method, target="/",
                                     headers=[("Host", "x"), ("Content-Length", "0")]))
        self.parser.send(h11.EndOfMessage())
        response, body = None, b""
        while True:
            event = self._next_event()
            if isinstance(event, h11.ConnectionClosed):
                assert response is None, f"closed inside a response after {len(body)} bytes"
                return None
            if isinstance(event, h11.InformationalResponse):
                continue
            if isinstance(event, h11.Response):
                response = event
            elif isinstance(event, h11.Data):
                body += event.data
            elif isinstance(event, h11.EndOfMessage):
                headers = {k.decode().lower(): v.decode("latin-1") for k, v in response.headers}
                return Response(response.status_code, headers, body)

    def rest(self):
        """What the server sends after the responses read so far, until it closes."""
        pending, closed = self.parser.trailing_data
        return pending + (b"" if closed else read_until_closed(self.sock))

    def _next_event(self):
        while True:
            event = self.parser.next_event()
            if event is not h11.NEED_DATA:
                return event
            try:
                data = self.sock.recv(65536)
            except CONNECTION_CLOSED:
                data = b""
            self.parser.receive_data(data)
