"""Raw HTTP/1.1 to a harness.PortraitServer, over TCP or TLS: the bytes exactly as written.

Every connection goes to the listener of the server's scheme; over https the client trusts the
suite's certificate and may pin one TLS version.
"""

import http.client
import socket
import ssl

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
