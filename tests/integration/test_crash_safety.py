"""Crash safety: about 1,000 uploads for 50 users while the server is killed with SIGKILL every
1 to 3 seconds and restarted on the same data directory.

Every upload carries its identity: user u's upload k is an image of width 30 + 5k and height
20 + u (the served original keeps its size: it is under 500 px wide) in a format that rotates,
and its byte size is unique among that user's uploads (the job list records it). Each user's
uploads go out one after the other from one client thread, so their order is known.

An upload that got no answer (the connection was reset or refused by a dying server) may or may
not have been made durable before the kill. So the strongest true properties are:
 - every upload that got a 200 has exactly one job, and it is done (none failed or pending);
 - every job belongs to an upload that was sent (no phantom, no duplicate), and a user's jobs
   are numbered in the order the uploads were sent;
 - each user shows the image of their newest job, which is their last accepted upload or an
   unanswered upload sent after it; the served original has that upload's size.
"""

import io
import json
import random
import threading
import time
import urllib.parse
from collections import Counter

import pytest
import requests
from PIL import Image

import harness
import imagegen

USERS = 50
UPLOADS_PER_USER = 20
CLIENT_THREADS = 6
KILL_EVERY_S = (1.0, 3.0)
# The clients pace themselves so the uploads span about this long (some 30 kills) rather than
# the few seconds the server needs for them.
CHAOS_S = 60
SERVER_UP_TIMEOUT_S = 30
DRAIN_TIMEOUT_S = 120  # jobs a killed worker held wait for their 15 s lease to expire
FORMATS = ("jpeg", "png", "gif")


def upload_size(user_index, k):
    return 30 + 5 * k, 20 + user_index


def make_upload(user_index, k, taken_sizes):
    """The bytes of upload k of a user: a two-colour image of its own size, and a byte count
    no other upload of that user has (shifting the colour until it differs)."""
    width, height = upload_size(user_index, k)
    fmt = FORMATS[(k + user_index) % len(FORMATS)]
    for shift in range(64):
        left = ((37 * k + 11 * user_index + shift) % 256, 80, 200 - k)
        img = imagegen.two_colour_image(width, height, left=left, right=(20, 200 - user_index, 90))
        if fmt == "jpeg":
            data = imagegen.to_bytes(img, "JPEG", quality=85)
        elif fmt == "png":
            data = imagegen.to_bytes(img, "PNG")
        else:
            data = imagegen.to_bytes(img.convert("P"), "GIF")
        if len(data) not in taken_sizes:
            return fmt, data
    raise AssertionError(f"no unique byte size for user {user_index} upload {k}")


class Chaos:
    """The server, restarted on the same data directory each time the killer kills it."""

    def __init__(self, server):
        self.server = server
        self.lock = threading.Lock()
        self.up = threading.Event()
        self.up.set()
        self.base = server.base
        self.kills = 0
        self.stop = threading.Event()

    def current_base(self):
        assert self.up.wait(SERVER_UP_TIMEOUT_S), "the server did not come back"
        with self.lock:
            return self.base

    def killer(self, rng, problems):
        try:
            while not self.stop.wait(rng.uniform(*KILL_EVERY_S)):
                self.up.clear()
                self.server.kill9()
                self.kills += 1
                self.server.start()
                with self.lock:
                    self.base = self.server.base
                self.up.set()
        except Exception as e:  # a restart that failed: surfaced by the test's assertions
            problems.append(f"restart after kill {self.kills}: {e!r}")


def jobs_of(server):
    out = harness.run_cli("jobs", "list", "--data-dir", server.data_dir, "--json",
                          "--limit", "100000").stdout
    return json.loads(out)


def wait_until_drained(server):
    deadline = time.monotonic() + DRAIN_TIMEOUT_S
    while True:
        jobs = jobs_of(server)
        pending = [j for j in jobs if j["state"] in ("queued", "processing")]
        if not pending:
            return jobs
        assert time.monotonic() < deadline, \
            f"{len(pending)} jobs still pending {DRAIN_TIMEOUT_S} s after the last kill: {pending[:5]}"
        time.sleep(0.5)


@pytest.mark.slow
@pytest.mark.schemes("http", reason="what survives SIGKILL does not depend on the transport the "
                     "uploads came by; over a minute of chaos, run once")
def test_accepted_uploads_survive_random_sigkills_and_each_user_shows_their_last(server_factory):
    rng = random.Random()
    server = server_factory()
    users = [server.credentials(harness.unique_screen_name(f"cs{i}")) for i in range(USERS)]
    uploads = {}  # (user_index, k) -> (format, bytes)
    for u in range(USERS):
        sizes = set()
        for k in range(UPLOADS_PER_USER):
            fmt, data = make_upload(u, k, sizes)
            sizes.add(len(data))
            uploads[u, k] = (fmt, data)

    chaos = Chaos(server)
    outcome = {}  # (user_index, k) -> "accepted" | "unanswered" | "status NNN: body"
    problems = []

    mean_pause_s = CHAOS_S * CLIENT_THREADS / (USERS * UPLOADS_PER_USER)

    def client(indices):
        pacing = random.Random()
        try:
            for k in range(UPLOADS_PER_USER):
                for u in indices:
                    time.sleep(pacing.uniform(0, 2 * mean_pause_s))
                    fmt, data = uploads[u, k]
                    url = chaos.current_base() + "/1.1/account/update_profile_image.json"
                    try:
                        resp = requests.post(url, files={"image": (f"{u}-{k}.{fmt}", data)},
                                             auth=users[u].oauth(), timeout=30)
                    except requests.RequestException:
                        outcome[u, k] = "unanswered"
                        continue
                    outcome[u, k] = ("accepted" if resp.status_code == 200
                                     else f"status {resp.status_code}: {resp.text[:200]}")
        except Exception as e:  # surfaced by the assertion below
            problems.append(repr(e))

    started = time.monotonic()
    killer = threading.Thread(target=chaos.killer, args=(rng, problems), daemon=True)
    clients = [threading.Thread(target=client, args=(list(range(t, USERS, CLIENT_THREADS)),))
               for t in range(CLIENT_THREADS)]
    killer.start()
    for t in clients:
        t.start()
    for t in clients:
        t.join(timeout=600)
    chaos.stop.set()
    killer.join(timeout=60)
    chaos_s = time.monotonic() - started
    assert not problems, problems
    assert not any(t.is_alive() for t in clients), "a client thread hung"
    if server.proc is None:
        server.start()

    counts = Counter(v if v in ("accepted", "unanswered") else "other" for v in outcome.values())
    print(f"\ncrash safety: {len(outcome)} uploads in {chaos_s:.0f} s, {chaos.kills} SIGKILLs, "
          f"{dict(counts)}")
    assert len(outcome) == USERS * UPLOADS_PER_USER
    assert chaos.kills >= 10, f"only {chaos.kills} kills: the test did not exercise crashes"
    refused = {key: v for key, v in outcome.items() if v not in ("accepted", "unanswered")}
    assert not refused, f"uploads answered with an error: {dict(list(refused.items())[:10])}"
    assert counts["accepted"] >= USERS * UPLOADS_PER_USER // 2, counts

    jobs = wait_until_drained(server)
    failed = [j for j in jobs if j["state"] != "done"]
    assert not failed, f"{len(failed)} jobs not done: {failed[:5]}"

    by_user = {}
    for job in jobs:
        by_user.setdefault(int(job["user_id"]), []).append(job)
    landed_unanswered = 0
    for u, creds in enumerate(users):
        size_to_k = {len(uploads[u, k][1]): k for k in range(UPLOADS_PER_USER)}
        user_jobs = sorted(by_user.get(creds.user_id, []), key=lambda j: int(j["id"]))
        job_ks = []
        for job in user_jobs:
            assert job["bytes"] in size_to_k, f"{creds.screen_name}: a job for no upload: {job}"
            job_ks.append(size_to_k[job["bytes"]])
        assert len(set(job_ks)) == len(job_ks), f"{creds.screen_name}: duplicate jobs {job_ks}"
        assert job_ks == sorted(job_ks), \
            f"{creds.screen_name}: jobs not in the order the uploads were sent: {job_ks}"
        accepted = [k for k in range(UPLOADS_PER_USER) if outcome[u, k] == "accepted"]
        missing = sorted(set(accepted) - set(job_ks))
        assert not missing, f"{creds.screen_name}: accepted uploads {missing} have no job"
        extra = set(job_ks) - set(accepted)
        assert all(outcome[u, k] == "unanswered" for k in extra)
        landed_unanswered += len(extra)

        user = harness.get_user(server, creds)
        url = user["profile_image_url"]
        if not user_jobs:
            assert harness.is_default_image_url(url), f"{creds.screen_name}: {url} with no job"
            continue
        newest = user_jobs[-1]
        winner = job_ks[-1]
        assert urllib.parse.urlsplit(url).path == newest["image"], \
            f"{creds.screen_name} shows {url}, its newest job is {newest}"
        if accepted:
            assert winner == accepted[-1] or (winner > accepted[-1]
                                              and outcome[u, winner] == "unanswered"), \
                f"{creds.screen_name}: shows upload {winner}, last accepted was {accepted[-1]}"
        fmt = uploads[u, winner][0]
        assert harness.image_url_parts(url)[2] == fmt, (url, fmt)
        original = requests.get(harness.variant_url(url, ""), timeout=10)
        assert original.status_code == 200, original.status_code
        assert Image.open(io.BytesIO(original.content)).size == upload_size(u, winner), \
            f"{creds.screen_name}: the served original is not upload {winner}"
        normal = requests.get(url, timeout=10)
        assert normal.status_code == 200
        assert Image.open(io.BytesIO(normal.content)).size == (48, 48)
    print(f"crash safety: {len(jobs)} jobs, all done; {landed_unanswered} unanswered uploads "
          f"had landed; total {time.monotonic() - started:.0f} s")
