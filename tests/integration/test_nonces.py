"""OAuth nonces: a request accepted once is refused as a replay even after kill -9 of the
server, and one SQLite data directory records nonces for one server at a time."""

import secrets
import time

import pytest
import requests

import harness
from harness import assert_error, assert_ok_json

VERIFY = "account/verify_credentials.json"

pytestmark = pytest.mark.schemes("http", reason="what survives kill -9 does not depend on the "
                                 "transport the request came by")


def test_a_request_accepted_before_kill_9_is_refused_as_a_replay_after_the_restart(
        server_factory):
    server = server_factory()
    creds = server.credentials()
    nonce, timestamp = "before-kill-" + secrets.token_hex(8), int(time.time())

    def signed_with_that_nonce():
        url = server.api(VERIFY)  # the restarted server listens on another port: sign for it
        return requests.get(url, timeout=10, headers={
            "Authorization": harness.oauth1_header("GET", url, creds, nonce=nonce,
                                                   timestamp=timestamp)})

    assert_ok_json(signed_with_that_nonce())
    server.kill9()  # the instant after the 200: nothing had time to flush or close
    server.start()
    assert_error(signed_with_that_nonce(), 401, 32, "Could not authenticate you.")
    assert_ok_json(requests.get(server.api(VERIFY), auth=creds.oauth(), timeout=10))


def test_a_second_server_on_the_same_sqlite_data_directory_refuses_to_start(server_factory):
    first = server_factory()
    second = harness.PortraitServer(first.data_dir, rate_limits=False)
    with pytest.raises(AssertionError, match="in use by another process"):
        second.start()
    # The first one still serves signed requests.
    creds = first.credentials()
    assert_ok_json(requests.get(first.api(VERIFY), auth=creds.oauth(), timeout=10))
