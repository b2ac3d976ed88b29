"""Whole-server CPU per processed upload, measured from outside: the serve process's utime +
stime (/proc/PID/stat) over every upload of the corpus, `repeats` times, from the first byte
sent until the last job is done. Prints one JSON object.

  server_cpu.py --base URL --pid PID --database DATA/portrait.db --creds USER.json
                --corpus DIR [--repeats 3]

Nothing polls the server while it works: the uploads go out one after another on one keep-alive
connection, the next once fewer than two are queued, and the queue and completion are read from
the SQLite file directly, by this process, never through the server. What the server
spends is everything an upload costs it: HTTP, OAuth and its nonce, the intake and the checks,
the durable write of the upload and its job, the worker's claim, rendering, the seven variants'
writes and the completion.
"""
import argparse
import http.client
import json
import os
import sqlite3
import time
import urllib.parse
import uuid
from pathlib import Path

from oauth_sign import authorization

DONE_TIMEOUT_S = 600
MAX_QUEUED = 2


def cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick  # utime, stime


def multipart(data):
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"i\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + data + \
        f"\r\n--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def pending(database):
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as connection:
        return connection.execute(
            "SELECT COUNT(*) FROM upload_jobs WHERE state IN ('queued', 'processing')").fetchone()[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", required=True)
    parser.add_argument("--pid", type=int, required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--creds", required=True)
    parser.add_argument("--corpus", required=True)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    creds = json.load(open(args.creds))
    url = args.base + "/1.1/account/update_profile_image.json"
    target = urllib.parse.urlsplit(url)
    bodies = [multipart(p.read_bytes()) for p in sorted(Path(args.corpus).iterdir())
              if p.is_file()]
    connection = http.client.HTTPConnection(target.hostname, target.port, timeout=60)
    user0, system0 = cpu_seconds(args.pid)
    started = time.monotonic()
    sent = 0
    for _ in range(args.repeats):
        for body, content_type in bodies:
            # A short queue keeps the worker busy and every decoded upload in the server's
            # memory (a long one would spill its 32 MB cache and decode some twice).
            while pending(args.database) >= MAX_QUEUED:
                time.sleep(0.005)
            connection.request("POST", target.path, body=body, headers={
                "Authorization": authorization(creds, "POST", url),
                "Content-Type": content_type})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"server_cpu: upload answered {response.status}")
            sent += 1
    connection.close()
    deadline = time.monotonic() + DONE_TIMEOUT_S
    while pending(args.database) and time.monotonic() < deadline:
        time.sleep(0.05)
    user1, system1 = cpu_seconds(args.pid)
    print(json.dumps({
        "uploads": sent,
        "cpu_ms_per_upload": round((user1 + system1 - user0 - system0) * 1000 / sent, 2),
        "user_ms_per_upload": round((user1 - user0) * 1000 / sent, 2),
        "system_ms_per_upload": round((system1 - system0) * 1000 / sent, 2),
        "wall_s": round(time.monotonic() - started, 2),
        "left_pending": pending(args.database),
    }))


if __name__ == "__main__":
    main()
