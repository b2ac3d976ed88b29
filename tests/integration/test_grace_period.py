"""Replaced images stay served for the grace period, then their files are deleted."""

import time

import requests

import imagegen
from harness import assert_ok_json, get_user, upload_multipart, variant_url, wait_for_image_change

SUFFIXES = ["", "_400x400", "_200x200", "_reasonably_small", "_bigger", "_normal", "_mini"]


def _upload_and_wait(server, creds, data):
    before = get_user(server, creds)["profile_image_url"]
    assert_ok_json(upload_multipart(server, creds, data))
    return wait_for_image_change(server, creds, previous_url=before)["profile_image_url"]


def test_a_replaced_image_is_deleted_once_its_grace_period_has_passed(server_factory):
    # A grace period long enough that the check right after the switch cannot race the janitor
    # on a loaded machine (the old image's deadline is counted from the job's completion).
    server = server_factory(extra_args=("--grace-period-seconds", "4",
                                        "--janitor-interval-ms", "200"))
    creds = server.credentials()
    first = _upload_and_wait(server, creds, imagegen.small_jpeg())
    second = _upload_and_wait(server, creds, imagegen.small_png())
    assert second != first
    # Right after the switch the old image is still served (for caches holding the old URL).
    assert requests.get(first, timeout=10).status_code == 200

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        statuses = {requests.get(variant_url(first, s), timeout=10).status_code for s in SUFFIXES}
        if statuses == {404}:
            break
        time.sleep(0.2)
    assert statuses == {404}, statuses
    for suffix in SUFFIXES:
        assert requests.get(variant_url(second, suffix), timeout=10).status_code == 200


def test_a_replaced_image_is_kept_during_the_default_grace_period(server, creds):
    first = _upload_and_wait(server, creds, imagegen.small_jpeg())
    _upload_and_wait(server, creds, imagegen.small_gif())
    for suffix in SUFFIXES:
        assert requests.get(variant_url(first, suffix), timeout=10).status_code == 200
