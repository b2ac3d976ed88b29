"""Upload load generator: posts the corpus mix to update_profile_image with OAuth 1.0a.

Every upload goes to a user with no upload in flight, and is timed from its *scheduled* send
time (so a slow server cannot hide queueing) until users/show returns the new image URL.

  rate  --rate R --duration S   open loop at R uploads/s; prints a JSON summary
  burst --count N               N uploads at once; prints uploads/s until all are visible
  flood FILE...                 one upload per file, all concurrently; prints a JSON summary

It shares the machine with the server it measures, so it is built to cost little CPU (its own
CPU per completed upload is in the summary as client_cpu_ms_per_upload): one thread running
generator tasks on an epoll loop of its own (asyncio spends about twice as much per wake-up on a
2-core VM), keep-alive HTTP/1.1 connections, every request's bytes built once (only the OAuth
header is signed per upload, with a fresh nonce), users/show answers searched for the one field
that matters, and all uploads in flight polling on one shared 20 ms tick.
"""
import argparse
import collections
import errno
import heapq
import itertools
import json
import os
import re
import resource
import select
import socket
import time
import urllib.parse

from oauth_sign import authorization

POLL_S = 0.02  # rate and flood: time-to-visible is measured to this resolution
# A burst measures throughput over seconds: 64 uploads polling every 20 ms would be 3,200
# users/show requests a second, a load of their own that competes with the workers being measured.
BURST_POLL_S = 0.1
VISIBLE_TIMEOUT_S = 60
SHOW_TIMEOUT_S = 30
UPLOAD_TIMEOUT_S = 60
# The server closes connections idle for 60 s; older ones are not reused, so a request never
# races that close.
MAX_IDLE_S = 30
IMAGE_URL = re.compile(rb'"profile_image_url"\s*:\s*"((?:[^"\\]|\\.)*)"')
SLEEP, PARK = "sleep", "park"  # what a task yields besides (fd, epoll events, deadline)


class HTTPError(Exception):
    """users/show answered 4xx or 5xx, or without a profile_image_url."""


def failure_name(error):
    """The failure as the requests-based generator named it, so reports read the same."""
    if isinstance(error, TimeoutError):
        return "ReadTimeout"
    if isinstance(error, OSError):
        return "ConnectionError"
    return type(error).__name__


class Loop:
    """Runs generator tasks that yield (SLEEP, until), PARK (until wake()), or
    (fd, epoll events, deadline); a wait past its deadline raises TimeoutError in the task."""

    def __init__(self):
        self.epoll = select.epoll()
        self.ready = collections.deque()  # (task, value to send it: epoll events or exception)
        self.timers, self.order = [], itertools.count()  # heap of (when, order, task)
        self.waiting = {}  # fd -> (task, deadline)
        self.live = 0

    def spawn(self, task):
        self.live += 1
        self.ready.append((task, None))

    def wake(self, task):
        self.ready.append((task, None))

    def step(self, task, value):
        try:
            wait = task.throw(value) if isinstance(value, Exception) else task.send(value)
        except StopIteration:
            self.live -= 1
            return
        if wait is PARK:
            return
        if wait[0] is SLEEP:
            heapq.heappush(self.timers, (wait[1], next(self.order), task))
        else:
            self.waiting[wait[0]] = task, wait[2]
            self.epoll.register(wait[0], wait[1])

    def run(self):
        next_check = time.monotonic() + 1
        while True:
            while self.ready:
                self.step(*self.ready.popleft())
            if not self.live:
                return
            wake_at = min(self.timers[0][0], next_check) if self.timers else next_check
            for fd, events in self.epoll.poll(max(0.0, wake_at - time.monotonic())):
                self.epoll.unregister(fd)
                self.ready.append((self.waiting.pop(fd)[0], events))
            now = time.monotonic()
            while self.timers and self.timers[0][0] <= now:
                self.ready.append((heapq.heappop(self.timers)[2], None))
            if now >= next_check:  # timeouts are 30 s and more: a check a second is enough
                next_check = now + 1
                for fd, (task, deadline) in list(self.waiting.items()):
                    if deadline <= now:
                        del self.waiting[fd]
                        self.epoll.unregister(fd)
                        self.ready.append((task, TimeoutError()))


def parse_head(head):
    """(status, body length, keep-alive) from a response's status line and header fields.
    Portrait always sends Content-Length (src/http/server.h), never a chunked body."""
    lines = head.split(b"\r\n")
    version, status = lines[0].split(None, 2)[:2]
    status, length, close = int(status), None, version == b"HTTP/1.0"
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        name = name.strip().lower()
        if name == b"content-length":
            length = int(value)
        elif name == b"connection":
            close = b"close" in value.lower()
    if length is None:
        if status not in (204, 304):
            raise ConnectionError(f"response {status} without Content-Length")
        length = 0
    return status, length, not close


class Connections:
    """Keep-alive connections to one server, the most recently used reused first."""

    def __init__(self, host, port):
        self.address = (host, port)
        self.idle = []  # (socket, idle since), oldest first

    def connect(self, deadline):
        while self.idle:
            sock, since = self.idle.pop()
            try:
                if time.monotonic() - since < MAX_IDLE_S:
                    sock.recv(1, socket.MSG_PEEK)  # b"": the server closed it
            except BlockingIOError:
                return sock
            except OSError:
                pass
            sock.close()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.setblocking(False)
        try:
            error = sock.connect_ex(self.address)
            if error == errno.EINPROGRESS:
                yield sock.fileno(), select.EPOLLOUT, deadline
                error = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if error:
                raise OSError(error, os.strerror(error))
        except BaseException:
            sock.close()
            raise
        return sock

    def exchange(self, request, timeout_s):
        """A task step sequence sending one request (a sequence of bytes); returns (status,
        body)."""
        deadline = time.monotonic() + timeout_s
        sock = yield from self.connect(deadline)
        fd = sock.fileno()
        try:
            unsent = [memoryview(part) for part in request]
            while unsent:
                try:
                    sent = sock.sendmsg(unsent)
                except BlockingIOError:
                    sent = 0
                except (BrokenPipeError, ConnectionResetError):
                    break  # the server answered early (413) and closed: read that answer
                while unsent and sent >= len(unsent[0]):
                    sent -= len(unsent.pop(0))
                if unsent:
                    unsent[0] = unsent[0][sent:]
                    if (yield fd, select.EPOLLOUT | select.EPOLLIN, deadline) & select.EPOLLIN:
                        break  # an answer before the whole request (413): read it
            buffer, head = bytearray(), None
            while head is None or len(buffer) < head[1]:
                yield fd, select.EPOLLIN, deadline
                data = sock.recv(65536)
                if not data:
                    raise ConnectionResetError("connection closed before the response")
                buffer += data
                if head is None and (end := buffer.find(b"\r\n\r\n")) >= 0:
                    head = parse_head(bytes(buffer[:end]))  # no 1xx: nothing sends Expect
                    del buffer[:end + 4]
        except BaseException:
            sock.close()
            raise
        status, length, keep_alive = head
        if keep_alive and not unsent:
            self.idle.append((sock, time.monotonic()))
        else:
            sock.close()
        return status, bytes(buffer[:length])

    def close(self):
        for sock, _ in self.idle:
            sock.close()
        self.idle.clear()


class Client:
    poll_s = POLL_S

    def __init__(self, base, users, bearer):
        self.base = base.rstrip("/")
        url = urllib.parse.urlsplit(self.base)
        if url.scheme != "http":
            raise SystemExit("--base must be http://")
        self.users = users
        self.http = Connections(url.hostname, url.port or 80)
        host, prefix = url.netloc.encode(), url.path.rstrip("/").encode()
        self.upload_url = f"{self.base}/1.1/account/update_profile_image.json"
        self.upload_line = (b"POST %s/1.1/account/update_profile_image.json HTTP/1.1\r\n"
                            b"Host: %s\r\n" % (prefix, host))
        self.boundary = os.urandom(16).hex().encode()
        self.shows = {u["user_id"]: (b"GET %s/1.1/users/show.json?user_id=%d HTTP/1.1\r\n"
                                     b"Host: %s\r\nAuthorization: Bearer %s\r\n\r\n"
                                     % (prefix, u["user_id"], host, bearer.encode()),)
                      for u in users}

    def prepare(self, name, data):
        """The request for an upload of one file, what requests sent for
        files={"image": (name, data)}: (head up to the Authorization value, the rest of the head
        and the multipart body up to the file, the file, the end of the body). The parts are
        sent as they are, so the file is never copied."""
        if self.boundary in data:
            raise SystemExit(f"{name} contains the multipart boundary; run again")
        filename = name.replace('"', "%22").encode()
        part = (b'--%s\r\nContent-Disposition: form-data; name="image"; filename="%s"\r\n\r\n'
                % (self.boundary, filename))
        end = b"\r\n--%s--\r\n" % self.boundary
        head = self.upload_line + (b"Content-Type: multipart/form-data; boundary=%s\r\n"
                                   b"Content-Length: %d\r\nAuthorization: "
                                   % (self.boundary, len(part) + len(data) + len(end)))
        return head, b"\r\n\r\n" + part, data, end

    @staticmethod
    def profile_image_url(status, body):
        found = IMAGE_URL.search(body)
        if status >= 400 or not found:
            raise HTTPError(status)
        return found.group(1)

    def upload_until_visible(self, user, job, start):
        """Seconds from start until the new URL is visible, or None if refused/never visible."""
        head, part, data, end = job
        auth = authorization(user, "POST", self.upload_url).encode()
        status, answer = yield from self.http.exchange((head + auth + part, data, end),
                                                       UPLOAD_TIMEOUT_S)
        if status != 200:
            return None, status
        # The answer is the user as it stood before this upload (SPEC: the URL changes when
        # processing finishes), so it names the URL to wait past without a users/show first.
        before = self.profile_image_url(status, answer)
        show = self.shows[user["user_id"]]
        deadline = time.monotonic() + VISIBLE_TIMEOUT_S
        while time.monotonic() < deadline:
            # Every upload in flight polls on the same grid of poll_s ticks, so one wake-up serves
            # them all; polls are still poll_s apart, the first at most poll_s after the answer.
            yield SLEEP, (time.monotonic() // self.poll_s + 1) * self.poll_s
            status, body = yield from self.http.exchange(show, SHOW_TIMEOUT_S)
            if self.profile_image_url(status, body) != before:
                return time.monotonic() - start, 200
        return None, "timeout"


def percentile(values, p):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def load_corpus(directory, max_bytes=716799):
    files = []
    for name in sorted(os.listdir(directory)):
        path = os.path.join(directory, name)
        if os.path.isfile(path) and os.path.getsize(path) <= max_bytes and name != "truncated.jpg":
            files.append((name, open(path, "rb").read()))
    return files


def run_jobs(client, jobs, rate=None):
    """jobs: prepared uploads in send order. Returns latencies and failure reasons."""
    loop = Loop()
    free, parked = collections.deque(client.users), []  # users taken in turn, as before
    latencies, failures = [], []

    def one(user, job, start):
        try:
            latency, status = yield from client.upload_until_visible(user, job, start)
        except Exception as error:  # noqa: BLE001 - every failure is counted, none stops the run
            latency, status = None, failure_name(error)
        free.append(user)
        if parked:
            loop.wake(parked.pop())
        (latencies.append(latency) if latency is not None else failures.append(status))

    def schedule():
        for i, job in enumerate(jobs):
            scheduled = t0 + i / rate if rate else t0
            if scheduled > time.monotonic():
                yield SLEEP, scheduled
            while not free:
                parked.append(scheduler)
                yield PARK
            loop.spawn(one(free.popleft(), job, scheduled))

    t0 = time.monotonic()
    scheduler = schedule()
    loop.spawn(scheduler)
    loop.run()
    client.http.close()
    return latencies, failures, time.monotonic() - t0


def measure(client, jobs, rate=None):
    """run_jobs, plus this process's CPU ms per completed upload while it ran."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    latencies, failures, elapsed = run_jobs(client, jobs, rate)
    after = resource.getrusage(resource.RUSAGE_SELF)
    seconds = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return latencies, failures, elapsed, round(seconds * 1000 / max(1, len(latencies)), 2)


def summary(latencies, failures, elapsed, cpu_ms, **extra):
    ms = lambda v: None if v is None else round(v * 1000, 1)
    return dict(extra, completed=len(latencies), failed=len(failures),
                failures=sorted(set(map(str, failures)))[:5], elapsed_s=round(elapsed, 2),
                p50_ms=ms(percentile(latencies, 50)), p99_ms=ms(percentile(latencies, 99)),
                max_ms=ms(max(latencies) if latencies else None),
                mean_ms=ms(sum(latencies) / len(latencies) if latencies else None),
                client_cpu_ms_per_upload=cpu_ms)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--users", required=True, help="JSON file: list of credentials")
    parser.add_argument("--bearer", required=True)
    parser.add_argument("--corpus")
    sub = parser.add_subparsers(dest="mode", required=True)
    r = sub.add_parser("rate")
    r.add_argument("--rate", type=float, required=True)
    r.add_argument("--duration", type=float, required=True)
    b = sub.add_parser("burst")
    b.add_argument("--count", type=int, required=True)
    f = sub.add_parser("flood")
    f.add_argument("files", nargs="+")
    args = parser.parse_args()

    client = Client(args.base, json.load(open(args.users)), args.bearer)
    if args.mode == "flood":
        prepared = {p: client.prepare(os.path.basename(p), open(p, "rb").read())
                    for p in set(args.files)}
        jobs = [prepared[p] for p in args.files]
        lat, fail, elapsed, cpu = measure(client, jobs)
        print(json.dumps(summary(lat, fail, elapsed, cpu, mode="flood", sent=len(jobs))))
        return
    corpus = [client.prepare(name, data) for name, data in load_corpus(args.corpus)]
    if args.mode == "rate":
        count = max(1, int(args.rate * args.duration))
        jobs = [corpus[i % len(corpus)] for i in range(count)]
        lat, fail, elapsed, cpu = measure(client, jobs, rate=args.rate)
        print(json.dumps(summary(lat, fail, elapsed, cpu, mode="rate", offered_per_s=args.rate,
                                 sent=count, achieved_per_s=round(len(lat) / elapsed, 2))))
    else:
        client.poll_s = BURST_POLL_S
        jobs = [corpus[i % len(corpus)] for i in range(args.count)]
        lat, fail, elapsed, cpu = measure(client, jobs)
        print(json.dumps(summary(lat, fail, elapsed, cpu, mode="burst", sent=args.count,
                                 uploads_per_s=round(len(lat) / max(lat), 2) if lat else 0)))


if __name__ == "__main__":
    main()
