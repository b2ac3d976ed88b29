"""twitter-api-v2 from npm, unmodified, over HTTP and HTTPS (see node/upload.mjs)."""

import io
import json
import os
import subprocess

import requests
from PIL import Image

import harness
import imagegen


def test_twitter_api_v2_uploads_a_png_and_reads_the_new_url_back(server, creds, node_client,
                                                                   tmp_path):
    node, script = node_client
    image = tmp_path / "avatar.png"
    image.write_bytes(imagegen.to_bytes(imagegen.two_colour_image(120, 90), "PNG"))
    # Node trusts the suite's certificate through NODE_EXTRA_CA_CERTS, read at start-up.
    proc = subprocess.run([node, str(script), server.base, json.dumps(creds.fields), str(image)],
                          capture_output=True, text=True, timeout=60, cwd=script.parent,
                          env=dict(os.environ, NODE_EXTRA_CA_CERTS=str(server.tls[0])))
    assert proc.returncode == 0, f"node exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}"
    result = json.loads(proc.stdout.strip().splitlines()[-1])

    assert result["returned"]["id"] == creds.user_id
    assert result["returned"]["screen_name"] == creds.screen_name
    assert harness.is_default_image_url(result["before"])
    assert result["after"] != result["before"], "the image URL never changed"
    assert result["after"].endswith("_normal.png")
    assert result["user"]["default_profile_image"] is False

    assert result["after"].startswith(f"{server.https_base}/profile_images/"), result["after"]
    resp = requests.get(result["after"], timeout=10)
    assert resp.status_code == 200 and resp.headers["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(resp.content)).size == (48, 48)
