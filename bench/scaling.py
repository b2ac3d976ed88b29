#!/usr/bin/python3
"""Processing throughput with one and with two worker nodes sharing PostgreSQL and S3.

Starts a throwaway PostgreSQL 15 cluster and a one-replica Swift (s3api) on loopback (the test
scripts' own), one API node (`--role api`), and queues the same batch of uploads (the corpus
images of at most 700 KB, round robin over users) before each run, with no worker running. Then
starts N worker nodes (`--role worker --workers W`) at once and times how long they take to
empty the queue. Prints one Markdown table.

usage: bench/scaling.py [--uploads N] [--workers-per-node W] [--nodes 1,2]
       (PORTRAIT_BIN: the binary, default build/portrait)
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "integration"))
import harness  # noqa: E402  (the integration suite's server and client helpers)

MAX_UPLOAD_BYTES = 716_799


class Node(harness.PortraitServer):
    """A node with no data directory of its own (PostgreSQL + S3 through PORTRAIT_*)."""

    def _command(self, http_port, https_port):
        cmd = super()._command(http_port, https_port)
        at = cmd.index("--data-dir")
        return cmd[:at] + cmd[at + 2:]


def start_services(work):
    pg = subprocess.run(["bash", "scripts/postgres-test-server", "start", f"{work}/pg"],
                        cwd=REPO, check=True, capture_output=True, text=True).stdout.strip()
    s3 = subprocess.run(["bash", "scripts/swift-test-server", "start", f"{work}/swift"],
                        cwd=REPO, check=True, capture_output=True, text=True).stdout
    os.environ["PORTRAIT_DATABASE"] = pg
    for line in s3.split():
        name, value = line.split("=", 1)
        os.environ[name] = value


def stop_services(work):
    for script, name in (("swift-test-server", "swift"), ("postgres-test-server", "pg")):
        subprocess.run(["bash", f"scripts/{script}", "stop", f"{work}/{name}"], cwd=REPO,
                       capture_output=True)


def queue_depth(api):
    import requests
    text = requests.get(api.url("/metrics"), timeout=10).text
    for line in text.splitlines():
        if line.startswith("portrait_upload_queue_depth "):
            return int(float(line.split()[1]))
    raise RuntimeError("no portrait_upload_queue_depth in /metrics")


def machine_cpu():
    """(busy, total) jiffies of the whole machine so far."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields) - idle, sum(fields)


def process_cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def run(api, work, images, users, uploads, nodes, workers_per_node):
    """Seconds to drain the queue, the machine's busy share, and the workers' CPU seconds."""
    for i in range(uploads):
        creds = users[i % len(users)]
        resp = harness.upload_multipart(api, creds, images[i % len(images)])
        assert resp.status_code == 200, resp.text
    assert queue_depth(api) == uploads
    workers = [Node(Path(work) / f"worker-{nodes}-{n}", rate_limits=False,
                    extra_args=["--role", "worker", "--workers", str(workers_per_node)])
               for n in range(nodes)]
    started, cpu_before = time.monotonic(), machine_cpu()
    for worker in workers:
        worker.start()
    while queue_depth(api) > 0:
        time.sleep(0.05)
    elapsed = time.monotonic() - started
    cpu_after = machine_cpu()
    busy = (cpu_after[0] - cpu_before[0]) / max(1, cpu_after[1] - cpu_before[1])
    worker_cpu = sum(process_cpu_seconds(w.proc.pid) for w in workers)
    for worker in workers:
        worker.stop()
    failed = [j for j in harness_jobs() if j["state"] == "failed"]
    assert not failed, failed
    return elapsed, busy, worker_cpu


def harness_jobs():
    import json
    return json.loads(harness.run_cli("jobs", "list", "--json", "--limit", "100000").stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=120)
    parser.add_argument("--workers-per-node", type=int, default=1)
    parser.add_argument("--nodes", default="1,2")
    args = parser.parse_args()
    corpus = harness.ensure_corpus()
    images = [p.read_bytes() for p in sorted(corpus.iterdir())
              if p.is_file() and p.name != "truncated.jpg" and p.stat().st_size <= MAX_UPLOAD_BYTES]
    with tempfile.TemporaryDirectory(prefix="portrait-scaling.") as work:
        os.chmod(work, 0o755)  # PostgreSQL runs as its own user and must reach its directory
        start_services(work)
        api = None
        try:
            api = Node(Path(work) / "api", rate_limits=False,
                       extra_args=["--role", "api", "--max-pending-jobs", "100000"]).start()
            users = [api.credentials() for _ in range(10)]
            results = {}
            for nodes in [int(n) for n in args.nodes.split(",")]:
                results[nodes] = run(api, work, images, users, args.uploads, nodes,
                                     args.workers_per_node)
        finally:
            if api:
                api.stop()
            stop_services(work)
    base = min(results)
    print(f"| worker nodes (x {args.workers_per_node} worker) | {args.uploads} uploads drained in "
          f"| uploads/s | vs {base} node | machine CPU busy | worker nodes' CPU |")
    print("|---|---|---|---|---|---|")
    for nodes, (elapsed, busy, worker_cpu) in results.items():
        rate = args.uploads / elapsed
        print(f"| {nodes} | {elapsed:.1f} s | {rate:.1f} | {results[base][0] / elapsed:.2f}x "
              f"| {busy:.0%} | {worker_cpu:.1f} s ({worker_cpu / elapsed / os.cpu_count():.0%}) |")
    print(f"\ncorpus: {len(images)} images <= 700 KB, cycled; machine: {os.cpu_count()} cores; "
          f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
