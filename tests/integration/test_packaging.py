"""The packaging examples work as shipped: the systemd unit verifies, and nginx with the example
config proxies the API to a real Portrait while serving its image files from the data directory.

nginx is never installed here; the nginx tests skip when it is absent."""

import os
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest
import requests

import harness
import imagegen

PACKAGING = harness.REPO_ROOT / "packaging"
UNIT = PACKAGING / "portrait.service"
NGINX_EXAMPLE = PACKAGING / "nginx-portrait.conf"
IMMUTABLE = "public, max-age=31536000, immutable"

pytestmark = pytest.mark.schemes("http", reason="nginx brings its own TLS before Portrait's plain "
                                 "listener, and the unit's environment is not about transport")


def _nginx():
    found = shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if Path(p).is_file()), None)
    if not found:
        pytest.skip("nginx is not installed")
    return found


def _substitute(text, old, new):
    assert old in text, f"the example no longer contains {old!r}; update this test with it"
    return text.replace(old, new)


def _site_config(data_dir, portrait_port, https_port, http_port, cert, key):
    """The example with its paths and addresses pointed at this test's server and files."""
    text = NGINX_EXAMPLE.read_text()
    text = _substitute(text, "server 127.0.0.1:8080;", f"server 127.0.0.1:{portrait_port};")
    text = _substitute(text, "/var/lib/portrait/", f"{data_dir}/")
    text = _substitute(text, "/etc/letsencrypt/live/api.example.com/fullchain.pem", str(cert))
    text = _substitute(text, "/etc/letsencrypt/live/api.example.com/privkey.pem", str(key))
    text = _substitute(text, "listen 443 ssl;", f"listen 127.0.0.1:{https_port} ssl;")
    text = _substitute(text, "listen 80;", f"listen 127.0.0.1:{http_port};")
    text = re.sub(r"^\s*listen \[::\]:\d+( ssl)?;\n", "", text, flags=re.M)
    # The example listens on 443, where $host is what clients sign; on a test port the port
    # is part of the signed URL, so the Host header must keep it.
    text = _substitute(text, "proxy_set_header Host $host;", "proxy_set_header Host $http_host;")
    return text


def _write_nginx_prefix(prefix, site_text):
    """A self-contained nginx prefix: main config around the site file, temp dirs, logs."""
    prefix.mkdir(parents=True, exist_ok=True)
    for sub in ("logs", "tmp"):
        (prefix / sub).mkdir(exist_ok=True)
    (prefix / "portrait.conf").write_text(site_text)
    # As root, workers would run as nobody and could not enter pytest's 0700 temp directories.
    user = "user root root;\n" if os.geteuid() == 0 else ""
    main = (f"{user}daemon off;\nworker_processes 1;\npid {prefix}/nginx.pid;\n"
            f"error_log {prefix}/logs/error.log warn;\nevents {{ worker_connections 64; }}\n"
            f"http {{\n  access_log {prefix}/logs/access.log;\n"
            f"  client_body_temp_path {prefix}/tmp/body;\n  proxy_temp_path {prefix}/tmp/proxy;\n"
            f"  fastcgi_temp_path {prefix}/tmp/fastcgi;\n  uwsgi_temp_path {prefix}/tmp/uwsgi;\n"
            f"  scgi_temp_path {prefix}/tmp/scgi;\n  include {prefix}/portrait.conf;\n}}\n")
    conf = prefix / "nginx.conf"
    conf.write_text(main)
    return conf


def _nginx_test(nginx, prefix, conf):
    return subprocess.run([nginx, "-t", "-p", str(prefix), "-c", str(conf)],
                          capture_output=True, text=True, timeout=30)


def test_systemd_unit_verifies(portrait_bin, tmp_path):
    analyze = shutil.which("systemd-analyze")
    if not analyze:
        pytest.skip("systemd-analyze is not installed")
    text = _substitute(UNIT.read_text(), "/usr/local/bin/portrait", str(portrait_bin))
    unit = tmp_path / "portrait.service"
    unit.write_text(text)
    proc = subprocess.run([analyze, "verify", str(unit)], capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 0, f"systemd-analyze verify:\n{proc.stdout}\n{proc.stderr}"
    for option in ("User=portrait", "StateDirectory=portrait", "NoNewPrivileges=yes",
                   "ProtectSystem=strict", "MemoryDenyWriteExecute=yes",
                   "SystemCallFilter=@system-service", "--trusted-proxy 127.0.0.1"):
        assert option in text, f"the unit lost {option}"


def test_unit_environment_lets_portrait_process_images(server_factory, monkeypatch):
    """The unit sets VIPS_NOVECTOR=1 (for MemoryDenyWriteExecute); processing must still work."""
    assert "Environment=VIPS_NOVECTOR=1" in UNIT.read_text()
    monkeypatch.setenv("VIPS_NOVECTOR", "1")  # inherited by the server process
    server = server_factory(tls=False)
    creds = server.credentials()
    harness.assert_ok_json(harness.upload_multipart(server, creds, imagegen.small_jpeg(320, 200)))
    user = harness.wait_for_image_change(server, creds)
    assert requests.get(user["profile_image_url"], timeout=10).status_code == 200


def test_nginx_accepts_example_config(tmp_path, tls_cert):
    nginx = _nginx()
    data_dir = tmp_path / "data"
    (data_dir / "blobs" / "profile_images").mkdir(parents=True)
    site = _site_config(data_dir, harness.free_port(), harness.free_port(), harness.free_port(),
                        *tls_cert)
    conf = _write_nginx_prefix(tmp_path / "nginx", site)
    proc = _nginx_test(nginx, tmp_path / "nginx", conf)
    assert proc.returncode == 0, f"nginx -t:\n{proc.stdout}\n{proc.stderr}"


@pytest.fixture
def nginx_in_front(server_factory, tls_cert, tmp_path):
    """A Portrait trusting 127.0.0.1 as its proxy, and nginx with the example config before it."""
    nginx = _nginx()
    server = server_factory(tls=False, extra_args=["--trusted-proxy", "127.0.0.1"])
    https_port = harness.free_port()
    site = _site_config(server.data_dir, server.http_port, https_port, harness.free_port(),
                        *tls_cert)
    prefix = tmp_path / "nginx"
    conf = _write_nginx_prefix(prefix, site)
    checked = _nginx_test(nginx, prefix, conf)
    assert checked.returncode == 0, f"nginx -t:\n{checked.stdout}\n{checked.stderr}"
    proc = subprocess.Popen([nginx, "-p", str(prefix), "-c", str(conf)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    base = f"https://127.0.0.1:{https_port}"
    deadline = time.monotonic() + 10
    while True:
        try:
            requests.get(f"{base}/healthz", verify=str(tls_cert[0]), timeout=1)
            break
        except requests.RequestException:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise AssertionError(f"nginx did not start: {proc.stderr.read().decode()}")
            time.sleep(0.1)
    yield server, base, str(tls_cert[0])
    proc.terminate()
    proc.wait(timeout=10)


def test_nginx_proxies_api_and_serves_images_from_data_dir(nginx_in_front):
    server, base, ca = nginx_in_front
    creds = server.credentials()

    # The upload is signed for https://127.0.0.1:PORT: it verifies only if nginx forwards the
    # host and scheme and Portrait trusts it.
    resp = requests.post(f"{base}/1.1/account/update_profile_image.json",
                         files={"image": ("a.jpg", imagegen.small_jpeg(320, 200))},
                         auth=creds.oauth(), verify=ca, timeout=30)
    harness.assert_ok_json(resp)
    harness.wait_for_image_change(server, creds)

    resp = requests.get(f"{base}/1.1/users/show.json", params={"screen_name": creds.screen_name},
                        auth=creds.oauth(), verify=ca, timeout=10)
    user = harness.assert_ok_json(resp)
    assert "X-Request-Id" in resp.headers, "users/show did not come from Portrait"
    url = user["profile_image_url_https"]
    assert url.startswith(f"{base}/profile_images/"), url
    assert user["profile_image_url"] == url, "behind TLS both URL fields are the https form"

    image_id, key, ext = harness.image_url_parts(url)
    on_disk = server.data_dir / "blobs" / "profile_images" / image_id / f"{key}_400x400.{ext}"
    image = requests.get(harness.variant_url(url, "_400x400"), verify=ca, timeout=10)
    assert image.status_code == 200
    assert image.content == on_disk.read_bytes()
    assert image.headers["Content-Type"] == "image/jpeg"
    assert image.headers["Cache-Control"] == IMMUTABLE
    assert image.headers["X-Content-Type-Options"] == "nosniff"
    assert "X-Request-Id" not in image.headers, "the image was proxied, not served from disk"

    default = requests.get(f"{base}{harness.DEFAULT_IMAGE_PATH}", verify=ca, timeout=10)
    assert default.status_code == 200 and default.headers["Content-Type"] == "image/png"
    assert default.headers["Cache-Control"] == IMMUTABLE
