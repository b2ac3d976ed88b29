"""The upload queue's bound: past it, new uploads get 503/130 and nothing accepted is lost."""

import requests

import harness
import imagegen
from harness import assert_error, assert_ok_json, upload_multipart


def test_uploads_past_the_queue_bound_get_503_130_and_queued_ones_survive(server_factory):
    # No workers: every accepted upload stays queued, so the bound is reached deterministically.
    stalled = server_factory(workers=0, extra_args=("--max-pending-jobs", "2"))
    creds = stalled.credentials()
    for _ in range(2):
        assert_ok_json(upload_multipart(stalled, creds, imagegen.small_jpeg()))
    refused = upload_multipart(stalled, creds, imagegen.small_png())
    assert_error(refused, 503, 130, "Over capacity.")
    queued = stalled.jobs(state="queued")
    assert len(queued) == 2
    assert all(job["format"] == "jpeg" for job in queued)

    metrics = requests.get(stalled.url("/metrics"), timeout=10).text
    assert "portrait_upload_queue_depth 2" in metrics
