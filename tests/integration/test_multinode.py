"""Several stateless nodes sharing one PostgreSQL database and one S3 bucket.

Two API nodes (`--role api`) take requests and two worker nodes (`--role worker`) process
uploads; none has a data directory. Runs when PORTRAIT_DATABASE names a PostgreSQL server and
PORTRAIT_S3_ENDPOINT an S3-compatible store (scripts/test starts both: PostgreSQL 15 and a
one-replica Swift with s3api); skipped otherwise, unless PORTRAIT_REQUIRE_SHARED=1 makes that a
failure (CI sets it).
"""

import concurrent.futures
import io
import json
import os
import time

import pytest
import requests
import tweepy
from PIL import Image

import harness
import imagegen

SETTLE_TIMEOUT_S = 60
LEASE_SECONDS = 3

pytestmark = pytest.mark.slow


def _shared_services():
    database = os.environ.get("PORTRAIT_DATABASE", "")
    endpoint = os.environ.get("PORTRAIT_S3_ENDPOINT", "")
    if database.startswith(("postgresql://", "postgres://")) and endpoint:
        return database, endpoint
    reason = "needs PORTRAIT_DATABASE=postgresql://... and PORTRAIT_S3_ENDPOINT (scripts/test)"
    if os.environ.get("PORTRAIT_REQUIRE_SHARED") == "1":
        pytest.fail(reason)
    pytest.skip(reason)


class StatelessNode(harness.PortraitServer):
    """A node given no --data-dir: everything it keeps is in PostgreSQL and S3 (the PORTRAIT_*
    variables it inherits). data_dir only names its log file."""

    def __init__(self, log_dir, name, role, tls=None, extra_args=()):
        super().__init__(log_dir / name, tls=tls, rate_limits=True,
                         extra_args=["--role", role, *extra_args])
        self.role = role

    def _command(self, http_port, https_port):
        cmd = super()._command(http_port, https_port)
        at = cmd.index("--data-dir")
        return cmd[:at] + cmd[at + 2:]

    @property
    def worker_name(self):
        """The lease holder prefix of this process's workers ("host:pid")."""
        return f"{os.uname().nodename}:{self.proc.pid}"

    def log_text(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


class Cluster:
    def __init__(self, base_dir, tls):
        self.base_dir = base_dir
        self.tls = tls
        self.nodes = []

    def start(self, name, role, tls=False, extra_args=()):
        node = StatelessNode(self.base_dir, name, role, tls=self.tls if tls else None,
                             extra_args=extra_args)
        self.nodes.append(node)
        harness_live_servers().append(node)
        return node.start()

    def start_worker(self, name):
        return self.start(name, "worker",
                          extra_args=["--workers", "1", "--job-lease-seconds", str(LEASE_SECONDS)])

    def stop_all(self):
        problems = []
        for node in self.nodes:
            if node.proc is not None:
                code = node.stop()
                if code != 0:
                    problems.append(f"{node.data_dir.name} exited {code}:\n{node.log_tail()}")
            if node in harness_live_servers():
                harness_live_servers().remove(node)
        return problems


def harness_live_servers():
    import conftest
    return conftest._live_servers


@pytest.fixture(scope="module")
def cluster(portrait_bin, tls_cert, tmp_path_factory):
    _shared_services()
    cluster = Cluster(tmp_path_factory.mktemp("cluster"), tls_cert)
    cluster.api = [cluster.start("api-a", "api", tls=True), cluster.start("api-b", "api", tls=True)]
    cluster.workers = [cluster.start_worker("worker-a"), cluster.start_worker("worker-b")]
    yield cluster
    problems = cluster.stop_all()
    assert not problems, "\n".join(problems)


def all_jobs():
    # Any node's CLI reads the shared database; --data-dir is not needed with PostgreSQL + S3.
    return json.loads(harness.run_cli("jobs", "list", "--json", "--limit", "100000").stdout)


def jobs_of(user_ids):
    wanted = {str(u) for u in user_ids}
    return [j for j in all_jobs() if str(j["user_id"]) in wanted]


def wait_settled(user_ids, timeout=SETTLE_TIMEOUT_S):
    deadline = time.monotonic() + timeout
    while True:
        jobs = jobs_of(user_ids)
        if jobs and all(j["state"] in ("done", "failed") for j in jobs):
            return jobs
        assert time.monotonic() < deadline, f"jobs still pending after {timeout} s: {jobs}"
        time.sleep(0.2)


def url_path(url):
    return "/" + url.split("/", 3)[3]


def user_on(node, creds):
    return harness.get_user(node, creds)


def image_width(node, normal_path):
    """Width of the original variant (at most 500 px wide) of an image, fetched from node."""
    original = harness.variant_url(normal_path, "")
    resp = requests.get(node.url(original), timeout=10)
    assert resp.status_code == 200, (original, resp.status_code)
    return Image.open(io.BytesIO(resp.content)).size[0]


def numbered_image(index):
    """An upload that can be told from the others by its width (64 + index px), in one of the
    three formats."""
    width, height = 64 + index, 48
    kind = index % 3
    if kind == 0:
        return "png", imagegen.small_png(width, height)
    if kind == 1:
        return "jpeg", imagegen.small_jpeg(width, height)
    return "gif", imagegen.small_gif(width, height)


def tweepy_for(node, creds):
    auth = tweepy.OAuth1UserHandler(creds.consumer_key, creds.consumer_secret,
                                    creds.access_token, creds.access_token_secret)
    api = tweepy.API(auth, host=f"127.0.0.1:{node.https_port}")
    api.session.verify = str(node.tls[0])
    return api


def test_uploads_spread_over_api_nodes_by_tweepy_are_all_processed_and_the_last_wins(
        cluster, tmp_path, monkeypatch):
    monkeypatch.delenv("REQUESTS_CA_BUNDLE", raising=False)
    monkeypatch.delenv("CURL_CA_BUNDLE", raising=False)
    users, rounds = 8, 4
    people = [cluster.api[0].credentials(harness.unique_screen_name(f"mn{i}"))
              for i in range(users)]

    def upload_all(u):
        creds = people[u]
        last = None
        for r in range(rounds):
            index = u * rounds + r
            ext, data = numbered_image(index)
            path = tmp_path / f"{index}.{ext}"
            path.write_bytes(data)
            # Alternate nodes, and start users on different ones.
            node = cluster.api[(u + r) % 2]
            returned = tweepy_for(node, creds).update_profile_image(str(path))
            assert returned.id == creds.user_id
            last = 64 + index
        return creds, last

    with concurrent.futures.ThreadPoolExecutor(max_workers=users) as pool:
        results = list(pool.map(upload_all, range(users)))

    jobs = wait_settled([c.user_id for c in people])
    assert len(jobs) == users * rounds, jobs
    assert [j for j in jobs if j["state"] != "done"] == []
    # Both worker nodes took part.
    workers = {j["worker"].split("/")[0] for j in jobs}
    assert workers == {w.worker_name for w in cluster.workers}, workers

    for creds, last_width in results:
        mine = [j for j in jobs if str(j["user_id"]) == str(creds.user_id)]
        newest = max(mine, key=lambda j: int(j["id"]))
        for node in cluster.api:
            url = user_on(node, creds)["profile_image_url"]
            assert harness.image_url_parts(url) is not None, url
            assert url.endswith(newest["image"]), (url, newest)
        # Any API node serves the files any worker stored.
        assert image_width(cluster.api[1], newest["image"]) == last_width
        assert image_width(cluster.api[0], newest["image"]) == last_width


def test_a_job_whose_worker_is_killed_mid_job_is_completed_by_another(cluster):
    # Only a worker started here may claim: the module's workers step aside for this test.
    for worker in cluster.workers:
        assert worker.stop() == 0
    try:
        creds = cluster.api[0].credentials(harness.unique_screen_name("kill"))
        doomed = cluster.start_worker("worker-doomed")
        claimed_job, doomed_name = None, doomed.worker_name
        # A large, cheap-to-send PNG takes long enough to decode that the worker is caught with
        # the job claimed and unfinished; if it finishes first anyway, try again.
        for attempt in range(5):
            side = 4000 + 500 * attempt
            data = imagegen.to_bytes(imagegen.two_colour_image(side, side), "PNG")
            offset = len(doomed.log_text())  # before the upload: the claim may be logged at once
            resp = harness.upload_multipart(cluster.api[0], creds, data)
            harness.assert_ok_json(resp)
            deadline = time.monotonic() + 20
            while claimed_job is None and time.monotonic() < deadline:
                for raw in doomed.log_text()[offset:].splitlines():
                    event = harness.parse_json_line(raw)
                    if event and event.get("event") == "job" and event.get("outcome") == "claimed":
                        doomed.kill9()
                        claimed_job = int(event["job_id"])
                        break
                time.sleep(0.005)
            assert claimed_job is not None, doomed.log_tail()
            state = [j for j in jobs_of([creds.user_id]) if int(j["id"]) == claimed_job][0]
            if state["state"] == "processing":
                break
            claimed_job = None  # it finished before the kill landed: again, with a new worker
            doomed = cluster.start_worker(f"worker-doomed-{attempt}")
            doomed_name = doomed.worker_name
        assert claimed_job is not None, "never caught the worker mid-job"

        survivor = cluster.start_worker("worker-survivor")
        # The dead worker's lease expires after LEASE_SECONDS; the survivor takes the job over.
        jobs = wait_settled([creds.user_id], timeout=LEASE_SECONDS + 30)
        job = [j for j in jobs if int(j["id"]) == claimed_job][0]
        assert job["state"] == "done", job
        assert job["attempts"] == 2, job
        assert job["worker"].startswith(survivor.worker_name + "/"), (job, doomed_name)
        url = user_on(cluster.api[1], creds)["profile_image_url"]
        assert url.endswith(job["image"])
        assert requests.get(cluster.api[1].url(url_path(url)), timeout=10).status_code == 200
        survivor.stop()
    finally:
        for worker in cluster.workers:
            worker.start()


def test_a_nonce_accepted_by_one_api_node_is_refused_by_the_other(cluster):
    creds = cluster.api[0].credentials()
    path = "/1.1/account/verify_credentials.json"
    # The signature covers the host and port, so each node gets the request it would verify;
    # they share nonce and timestamp.
    nonce, timestamp = "replayed-across-nodes-1", int(time.time())
    first = requests.get(cluster.api[0].url(path), timeout=10, headers={
        "Authorization": harness.oauth1_header("GET", cluster.api[0].url(path), creds,
                                               nonce=nonce, timestamp=timestamp)})
    assert first.status_code == 200, first.text
    replay = requests.get(cluster.api[1].url(path), timeout=10, headers={
        "Authorization": harness.oauth1_header("GET", cluster.api[1].url(path), creds,
                                               nonce=nonce, timestamp=timestamp)})
    harness.assert_error(replay, 401, 32, "Could not authenticate you.")
    fresh = requests.get(cluster.api[1].url(path), auth=creds.oauth(), timeout=10)
    assert fresh.status_code == 200


def test_rate_limit_windows_are_shared_by_the_api_nodes(cluster):
    creds = cluster.api[0].credentials()
    limit = 75  # verify_credentials, per user per 15 minutes
    remaining = []
    for i in range(limit):
        node = cluster.api[i % 2]
        resp = requests.get(node.api("account/verify_credentials.json"), auth=creds.oauth(),
                            timeout=10)
        assert resp.status_code == 200, (i, resp.text)
        remaining.append(int(resp.headers["x-rate-limit-remaining"]))
        assert int(resp.headers["x-rate-limit-limit"]) == limit
    assert remaining == list(range(limit - 1, -1, -1))
    for node in cluster.api:
        refused = requests.get(node.api("account/verify_credentials.json"), auth=creds.oauth(),
                               timeout=10)
        harness.assert_error(refused, 429, 88, "Rate limit exceeded.")
        assert refused.headers["x-rate-limit-remaining"] == "0"


def test_worker_nodes_serve_only_health_and_metrics(cluster):
    worker = cluster.workers[0]
    assert requests.get(worker.url("/healthz"), timeout=10).status_code == 200
    assert requests.get(worker.url("/readyz"), timeout=10).status_code == 200
    metrics = requests.get(worker.url("/metrics"), timeout=10)
    assert metrics.status_code == 200 and "portrait_jobs_total" in metrics.text
    creds = cluster.api[0].credentials()
    resp = requests.get(worker.api("users/show.json"), params={"screen_name": creds.screen_name},
                        auth=creds.oauth(), timeout=10)
    harness.assert_error(resp, 404, 34, "Sorry, that page does not exist.")


def test_a_public_base_url_points_image_urls_at_the_bucket(cluster):
    endpoint = os.environ["PORTRAIT_S3_ENDPOINT"].rstrip("/")
    bucket = os.environ["PORTRAIT_S3_BUCKET"]
    base = f"{endpoint}/{bucket}"
    node = cluster.start("api-bucket-urls", "api", extra_args=["--image-base-url", base])
    creds = node.credentials()
    default_url = harness.get_user(node, creds)["profile_image_url"]
    harness.assert_ok_json(harness.upload_multipart(node, creds, imagegen.small_jpeg(120, 90)))
    user = harness.wait_for_image_change(
        node, creds, timeout=SETTLE_TIMEOUT_S,
        predicate=lambda u: "/profile_images/" in u["profile_image_url"])
    url = user["profile_image_url"]
    assert url.startswith(base + "/profile_images/") and url.endswith("_normal.jpeg"), url
    # The object is where the URL says, stored with the headers Portrait itself serves images
    # with (fetched with the bucket's credentials; making it public is the operator's choice).
    for image_url, content_type in ((url, "image/jpeg"), (default_url, "image/png")):
        key = image_url[len(base) + 1:]
        assert stored_object(key) == (content_type, "public, max-age=31536000, immutable")
    assert default_url == base + harness.DEFAULT_IMAGE_PATH
    node.stop()


def stored_object(key):
    """(Content-Type, Cache-Control) of an object, read with botocore, the S3 client library."""
    import botocore.config
    import botocore.session
    client = botocore.session.get_session().create_client(
        "s3", endpoint_url=os.environ["PORTRAIT_S3_ENDPOINT"],
        region_name=os.environ.get("PORTRAIT_S3_REGION", "us-east-1"),
        aws_access_key_id=os.environ["PORTRAIT_S3_ACCESS_KEY"],
        aws_secret_access_key=os.environ["PORTRAIT_S3_SECRET_KEY"],
        config=botocore.config.Config(s3={"addressing_style": "path"}))
    head = client.head_object(Bucket=os.environ["PORTRAIT_S3_BUCKET"], Key=key)
    return head["ContentType"], head.get("CacheControl")
