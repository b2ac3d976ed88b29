"""Upload load generator: posts the corpus mix to update_profile_image with OAuth 1.0a.

Every upload goes to a user with no upload in flight, and is timed from its *scheduled* send
time (so a slow server cannot hide queueing) until users/show returns the new image URL.

  rate  --rate R --duration S   open loop at R uploads/s; prints a JSON summary
  burst --count N               N uploads at once; prints uploads/s until all are visible
  flood FILE...                 one upload per file, all concurrently; prints a JSON summary
"""
import argparse
import concurrent.futures
import json
import os
import queue
import statistics
import threading
import time

import requests

from oauth_sign import authorization

POLL_S = 0.02  # rate and flood: time-to-visible is measured to this resolution
# A burst measures throughput over seconds: 64 uploads polling every 20 ms would be 3,200
# users/show requests a second, a load of their own that competes with the workers being measured.
BURST_POLL_S = 0.1
VISIBLE_TIMEOUT_S = 60


class Client:
    def __init__(self, base, users, bearer):
        self.base = base.rstrip("/")
        self.users = users
        self.local = threading.local()
        self.bearer = bearer

    def session(self):
        if not hasattr(self.local, "s"):
            self.local.s = requests.Session()
        return self.local.s

    def image_url(self, user):
        r = self.session().get(f"{self.base}/1.1/users/show.json",
                               params={"user_id": user["user_id"]},
                               headers={"Authorization": f"Bearer {self.bearer}"}, timeout=30)
        r.raise_for_status()
        return r.json()["profile_image_url"]

    def upload(self, user, name, data):
        url = f"{self.base}/1.1/account/update_profile_image.json"
        return self.session().post(url, files={"image": (name, data)}, timeout=60,
                                   headers={"Authorization": authorization(user, "POST", url)})

    poll_s = POLL_S

    def upload_until_visible(self, user, name, data, start):
        """Seconds from start until the new URL is visible, or None if refused/never visible."""
        before = self.image_url(user)
        resp = self.upload(user, name, data)
        if resp.status_code != 200:
            return None, resp.status_code
        deadline = time.monotonic() + VISIBLE_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.image_url(user) != before:
                return time.monotonic() - start, 200
            time.sleep(self.poll_s)
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
    """jobs: (name, data) in send order. Returns latencies and failure reasons."""
    free = queue.Queue()
    for user in client.users:
        free.put(user)
    latencies, failures, lock = [], [], threading.Lock()

    def one(user, name, data, start):
        try:
            latency, status = client.upload_until_visible(user, name, data, start)
        except requests.RequestException as error:
            latency, status = None, type(error).__name__
        finally:
            free.put(user)
        with lock:
            (latencies.append(latency) if latency is not None else failures.append(status))

    t0 = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(client.users)) as pool:
        for i, (name, data) in enumerate(jobs):
            scheduled = t0 + i / rate if rate else t0
            delay = scheduled - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            user = free.get()
            pool.submit(one, user, name, data, scheduled)
    return latencies, failures, time.monotonic() - t0


def summary(latencies, failures, elapsed, **extra):
    ms = lambda v: None if v is None else round(v * 1000, 1)
    return dict(extra, completed=len(latencies), failed=len(failures),
                failures=sorted(set(map(str, failures)))[:5], elapsed_s=round(elapsed, 2),
                p50_ms=ms(percentile(latencies, 50)), p99_ms=ms(percentile(latencies, 99)),
                max_ms=ms(max(latencies) if latencies else None),
                mean_ms=ms(statistics.mean(latencies) if latencies else None))


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
        jobs = [(os.path.basename(p), open(p, "rb").read()) for p in args.files]
        lat, fail, elapsed = run_jobs(client, jobs)
        print(json.dumps(summary(lat, fail, elapsed, mode="flood", sent=len(jobs))))
        return
    corpus = load_corpus(args.corpus)
    if args.mode == "rate":
        count = max(1, int(args.rate * args.duration))
        jobs = [corpus[i % len(corpus)] for i in range(count)]
        lat, fail, elapsed = run_jobs(client, jobs, rate=args.rate)
        print(json.dumps(summary(lat, fail, elapsed, mode="rate", offered_per_s=args.rate,
                                 sent=count, achieved_per_s=round(len(lat) / elapsed, 2))))
    else:
        client.poll_s = BURST_POLL_S
        jobs = [corpus[i % len(corpus)] for i in range(args.count)]
        lat, fail, elapsed = run_jobs(client, jobs)
        print(json.dumps(summary(lat, fail, elapsed, mode="burst", sent=args.count,
                                 uploads_per_s=round(len(lat) / max(lat), 2) if lat else 0)))


if __name__ == "__main__":
    main()
