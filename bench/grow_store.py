"""Builds a grown Portrait store in minutes: N users, N live nonces and N finished jobs, besides
one user with an app and an access token for the measurements (printed as JSON, as
`portrait credentials create` prints them).

  grow_store.py BINARY --data-dir DIR [--database URL] --users N --nonces N --finished-jobs N

The schema comes from the binary itself (credentials create migrates the store first); the rows
are then written in bulk, with SQL on the database (SQLite through Python's sqlite3, PostgreSQL
through psql) and, for SQLite, as the nonce log NonceWindow reads back at start-up (records of a
64-bit hash and an expiry, one file per minute of expiry: src/store/nonce_window.h). Nonces
expire 20 to 60 minutes from now and finished jobs changed within the last six days, so neither is
pruned while the store is measured (the default job retention is seven days).
"""
import argparse
import json
import os
import random
import sqlite3
import struct
import subprocess
import sys
import time
from pathlib import Path

BATCH = 200_000
NONCE_EXPIRY_S = (1200, 3600)
JOB_AGE_S = 6 * 86400


def credentials(args):
    command = [args.binary, "credentials", "create", "--data-dir", args.data_dir,
               "--screen-name", "grower"]
    if args.database:
        command += ["--database", args.database]
    return json.loads(subprocess.check_output(command, text=True))


def grow_sqlite(args, now):
    db = sqlite3.connect(Path(args.data_dir) / "portrait.db", timeout=30)
    db.execute("PRAGMA synchronous = OFF")
    with db:
        db.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
            " INSERT INTO users (screen_name, name, created_at) SELECT 'g' || i, 'Grown ' || i, ?"
            " FROM n", (args.users, now))
    first, last = db.execute("SELECT MIN(id), MAX(id) FROM users").fetchone()
    with db:
        db.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)"
            " INSERT INTO upload_jobs (user_id, upload_blob_key, format, upload_bytes, state,"
            " attempts, created_at, updated_at, due_at, result_image_id, result_key,"
            " result_extension) SELECT ?2 + abs(random()) % (?3 - ?2 + 1), 'uploads/grown-' || i,"
            " 'jpeg', 1000, 'done', 1, ?4 - abs(random()) % ?5, ?4 - abs(random()) % ?5, 0, i,"
            " 'grown', 'jpeg' FROM n", (args.finished_jobs, first, last, now, JOB_AGE_S))
    db.close()
    grow_nonce_log(Path(args.data_dir) / "portrait.db-nonces", args.nonces, now)


def grow_nonce_log(directory, count, now):
    directory.mkdir(parents=True, exist_ok=True)
    key = directory / "key"
    if not key.exists():  # without a key the window would discard the logs as unreadable
        key.write_bytes(os.urandom(16))
        key.chmod(0o600)
    rng = random.Random(1)
    files = {}
    written = 0
    while written < count:
        n = min(BATCH, count - written)
        digests = os.urandom(8 * n)
        for i in range(n):
            expires = now + rng.randint(*NONCE_EXPIRY_S)
            minute = expires // 60
            files.setdefault(minute, bytearray()).extend(
                digests[8 * i:8 * i + 8] + struct.pack("<q", expires))
        for minute, records in files.items():
            with open(directory / f"{minute}.log", "ab") as f:
                f.write(records)
        files.clear()
        written += n


def psql(url, sql):
    subprocess.run(["psql", url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql], check=True)


def grow_postgres(args, now):
    psql(args.database,
         "INSERT INTO users (screen_name, name, created_at)"
         f" SELECT 'g' || i, 'Grown ' || i, {now} FROM generate_series(1, {args.users}) AS i")
    psql(args.database,
         "INSERT INTO upload_jobs (user_id, upload_blob_key, format, upload_bytes, state,"
         " attempts, created_at, updated_at, due_at, result_image_id, result_key,"
         " result_extension)"
         " SELECT u.first + (random() * (u.last - u.first))::bigint, 'uploads/grown-' || i, 'jpeg',"
         f" 1000, 'done', 1, {now} - (random() * {JOB_AGE_S})::bigint,"
         f" {now} - (random() * {JOB_AGE_S})::bigint, 0, i, 'grown', 'jpeg'"
         f" FROM generate_series(1, {args.finished_jobs}) AS i,"
         " (SELECT MIN(id) AS first, MAX(id) AS last FROM users) AS u")
    low, high = NONCE_EXPIRY_S
    psql(args.database,
         "INSERT INTO nonces (consumer_key, token, nonce, expires_at)"
         " SELECT 'grown-consumer', 'grown-token', md5(i::text),"
         f" {now} + {low} + (random() * {high - low})::bigint"
         f" FROM generate_series(1, {args.nonces}) AS i")
    psql(args.database, "VACUUM ANALYZE")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--database", default="")
    parser.add_argument("--users", type=int, default=1_000_000)
    parser.add_argument("--nonces", type=int, default=10_000_000)
    parser.add_argument("--finished-jobs", type=int, default=1_000_000)
    args = parser.parse_args()
    started = time.monotonic()
    creds = credentials(args)
    now = int(time.time())
    (grow_postgres if args.database else grow_sqlite)(args, now)
    print(f"grow_store: {args.users} users, {args.nonces} nonces, {args.finished_jobs} finished "
          f"jobs in {time.monotonic() - started:.0f} s", file=sys.stderr)
    print(json.dumps(creds))


if __name__ == "__main__":
    main()
