"""An accepted upload survives `kill -9` of the server the instant after its 200."""

import io
import time

import pytest
import requests
from PIL import Image

import harness
import imagegen
from harness import assert_ok_json, upload_multipart

USERS = 5
ROUNDS = 4
RECOVERY_TIMEOUT_S = 90

pytestmark = pytest.mark.schemes("http", reason="what survives kill -9 and restarts does not "
                                 "depend on the transport the uploads came by")


@pytest.mark.slow
def test_every_accepted_upload_survives_kill_9_and_the_last_one_wins(server_factory, corpus_dir):
    server = server_factory()
    images = [("jpeg", (corpus_dir / "FreshFlower.jpg").read_bytes()),
              ("png", (corpus_dir / "chelsea.png").read_bytes()),
              ("gif", (corpus_dir / "bj.gif").read_bytes())]
    users = [server.credentials(harness.unique_screen_name(f"dur{i}")) for i in range(USERS)]
    last_ext = {}
    # Round r gives user u format (r + u) % 3, so each user's last two uploads differ in format
    # and the winner can be told from the URL.
    for rnd in range(ROUNDS):
        for u, creds in enumerate(users):
            ext, data = images[(rnd + u) % len(images)]
            resp = upload_multipart(server, creds, data)
            assert_ok_json(resp)
            last_ext[creds.user_id] = ext
    server.kill9()

    server.start()
    deadline = time.monotonic() + RECOVERY_TIMEOUT_S
    while True:
        pending = [j for j in server.jobs() if j["state"] in ("queued", "processing")]
        if not pending:
            break
        assert time.monotonic() < deadline, f"jobs not finished after restart: {pending}"
        time.sleep(0.2)

    jobs = server.jobs()
    assert jobs, "the job list is empty: the uploads were not recorded"
    assert not [j for j in jobs if j["state"] != "done"], jobs
    assert server.jobs(state="failed") == [] and server.jobs(state="queued") == []
    for creds in users:
        assert any(str(j["user_id"]) == str(creds.user_id) for j in jobs), creds.user_id
        user = harness.get_user(server, creds)
        url = user["profile_image_url"]
        assert not harness.is_default_image_url(url), f"{creds.screen_name} lost its uploads"
        assert harness.image_url_parts(url)[2] == last_ext[creds.user_id], \
            f"{creds.screen_name}: expected its last upload ({last_ext[creds.user_id]}), got {url}"
        resp = requests.get(url, timeout=10)
        assert resp.status_code == 200
        assert Image.open(io.BytesIO(resp.content)).size == (48, 48)


def test_users_and_tokens_survive_a_clean_restart(server_factory):
    server = server_factory()
    creds = server.credentials()
    assert_ok_json(upload_multipart(server, creds, imagegen.small_png()))
    url = harness.wait_for_image_change(server, creds)["profile_image_url"]
    server.restart()
    user = harness.get_user(server, creds)
    assert user["id"] == creds.user_id
    assert harness.image_url_parts(user["profile_image_url"]) == harness.image_url_parts(url)
