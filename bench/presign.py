"""Writes COUNT pre-signed Authorization headers (unique nonces) for a GET, one per line,
for bench/wrk/presigned.lua to cycle through."""
import json
import sys

from oauth_sign import authorization

creds_file, url, count, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
creds = json.load(open(creds_file))
with open(out, "w") as f:
    for _ in range(count):
        f.write(authorization(creds, "GET", url) + "\n")
