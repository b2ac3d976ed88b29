"""A full data directory never loses an accepted upload.

The server runs on a small tmpfs (mounted here, unmounted after) that a filler file fills until
writes fail. Uploads sent before and while it is full, space freed after 30 s: every upload that
got a 200 is processed, none fails, uploads during the full period get 503/130 (never 500),
/readyz says "disk full" while full and ready after, and the SQLite file passes
`PRAGMA integrity_check`.
"""

import errno
import os
import sqlite3
import subprocess
import time

import pytest
import requests

import harness
from harness import assert_error, assert_ok_json, upload_multipart

TMPFS_SIZE = "8m"
FULL_SECONDS = 30
UPLOADS_BEFORE = 4
RECOVERY_TIMEOUT_S = 60
FILL_BLOCK_BYTES = 64 * 1024
# Short backoffs so that postponed jobs come back within seconds of the disk clearing.
SERVER_ARGS = ("--job-max-backoff-seconds", "2", "--janitor-interval-ms", "1000")


def fill(path):
    """Appends to the filler file until not even one more byte fits; returns bytes written."""
    written = 0
    size = FILL_BLOCK_BYTES
    block = b"f" * FILL_BLOCK_BYTES
    with open(path, "ab", buffering=0) as filler:
        while True:
            try:
                written += filler.write(block[:size])
            except OSError as e:
                if e.errno != errno.ENOSPC:
                    raise
                if size == 1:
                    return written
                size //= 2


@pytest.fixture
def small_data_dir(tmp_path):
    """An empty tmpfs of TMPFS_SIZE, unmounted at teardown."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs for the data directory needs root")
    mount_point = tmp_path / "data"
    mount_point.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={TMPFS_SIZE}", "tmpfs",
                              str(mount_point)], capture_output=True, text=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        if subprocess.run(["umount", str(mount_point)], capture_output=True).returncode != 0:
            subprocess.run(["umount", "-l", str(mount_point)], capture_output=True)


def readiness(server):
    resp = requests.get(server.url("/readyz"), timeout=10)
    return resp.status_code, resp.json()


@pytest.mark.slow
def test_a_full_disk_loses_no_accepted_upload_and_refuses_new_ones_with_503(
        small_data_dir, portrait_bin, corpus_dir):
    images = [(corpus_dir / name).read_bytes()
              for name in ("FreshFlower.jpg", "Spring.png", "rocket.jpg", "bj.gif")]
    server = harness.PortraitServer(small_data_dir, workers=2, extra_args=SERVER_ARGS)
    server.start()
    try:
        users = [server.credentials(harness.unique_screen_name(f"full{i}"))
                 for i in range(UPLOADS_BEFORE + FULL_SECONDS)]
        accepted = []  # the users whose upload got a 200

        # Before: two processed, two still in flight when the disk fills.
        for i in range(UPLOADS_BEFORE):
            assert_ok_json(upload_multipart(server, users[i], images[i % len(images)]))
            accepted.append(users[i])
            if i < 2:
                harness.wait_for_image_change(server, users[i])
        filler = small_data_dir / "filler"
        assert fill(filler) > 0

        # During: one upload a second; the filler takes back whatever the server frees.
        statuses, problems_seen = [], []
        deadline = time.monotonic() + FULL_SECONDS
        next_user = UPLOADS_BEFORE
        while time.monotonic() < deadline:
            fill(filler)
            creds = users[next_user]
            next_user += 1
            resp = upload_multipart(server, creds, images[next_user % len(images)])
            statuses.append(resp.status_code)
            if resp.status_code == 200:
                assert_ok_json(resp)
                accepted.append(creds)
            else:
                assert_error(resp, 503, 130, "Over capacity.")
            fill(filler)
            status, body = readiness(server)
            if status == 503:
                problems_seen.extend(body["problems"])
            time.sleep(max(0.0, min(1.0, deadline - time.monotonic())))
        assert 500 not in statuses, statuses
        assert statuses.count(503) > 0, f"no upload was refused while the disk was full: {statuses}"
        assert "disk full" in problems_seen, f"/readyz never said the disk was full: {problems_seen}"

        # After: space is freed; everything accepted is processed and the node is ready again.
        filler.unlink()
        for creds in accepted:
            harness.wait_for_image_change(server, creds, timeout=RECOVERY_TIMEOUT_S)
        jobs = harness.wait_for_jobs_settled(server, timeout=RECOVERY_TIMEOUT_S)
        assert [j for j in jobs if j["state"] == "failed"] == [], jobs
        assert len(jobs) == len(accepted), "a job for every upload that got a 200, and no other"
        status, body = readiness(server)
        assert status == 200, body
        for creds in accepted:
            url = harness.get_user(server, creds)["profile_image_url"]
            assert requests.get(url, timeout=10).status_code == 200, url
    finally:
        code = server.stop()
    assert code == 0, f"portrait serve exited {code} on SIGTERM:\n{server.log_tail()}"

    with sqlite3.connect(small_data_dir / "portrait.db") as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    leftovers = [p for p in (small_data_dir / "blobs" / "uploads").glob("*")]
    assert leftovers == [], f"uploads left behind once processed: {leftovers}"
