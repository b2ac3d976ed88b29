"""What an operator relies on: metrics, health, logs without secrets, layered settings, backup."""

import json
import subprocess

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

import harness
import imagegen
from harness import assert_ok_json, get_user, upload_multipart, wait_for_image_change


def _families(server):
    resp = requests.get(server.url("/metrics"), timeout=10)
    assert resp.status_code == 200
    assert resp.headers["Content-Type"].startswith("text/plain")
    return {family.name: family for family in text_string_to_metric_families(resp.text)}


def _sample(families, name, **labels):
    for family in families.values():
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return sample.value
    return None


def test_metrics_parse_with_prometheus_own_parser_and_count_what_happened(server_factory):
    server = server_factory()
    creds = server.credentials()
    before = get_user(server, creds)["profile_image_url"]
    assert_ok_json(upload_multipart(server, creds, imagegen.small_png()))
    wait_for_image_change(server, creds, previous_url=before)
    requests.get(server.api("users/show.json"), timeout=10)  # 400/215: no credentials

    families = _families(server)
    assert _sample(families, "portrait_http_requests_total", endpoint="users/show",
                   status="200") >= 1
    assert _sample(families, "portrait_http_requests_total", endpoint="users/show",
                   status="400") == 1
    assert _sample(families, "portrait_uploads_accepted_total", format="png") == 1
    assert _sample(families, "portrait_jobs_total", outcome="done") == 1
    # The server renders what it accepts, so the frame was decoded once, during validation.
    assert _sample(families, "portrait_processing_stage_seconds_count", stage="decode") is None
    assert _sample(families, "portrait_processing_stage_seconds_count", stage="encode") == 1
    assert _sample(families, "portrait_processing_stage_seconds_count", stage="validate") == 1
    assert _sample(families, "portrait_upload_queue_depth") == 0
    assert _sample(families, "portrait_http_open_connections") >= 1
    assert _sample(families, "portrait_http_request_duration_seconds_count",
                   endpoint="account/update_profile_image") == 1


def test_rate_limit_refusals_are_counted(server_factory):
    server = server_factory(rate_limits=True)
    creds = server.credentials()
    for _ in range(76):
        last = requests.get(server.api("account/verify_credentials.json"), auth=creds.oauth(),
                            timeout=10)
    assert last.status_code == 429
    assert _sample(_families(server), "portrait_rate_limited_total",
                   endpoint="account/verify_credentials") == 1


def test_readyz_reports_ready_then_unavailable_when_the_queue_is_full(server_factory):
    server = server_factory(workers=0, extra_args=("--max-pending-jobs", "1"))
    ready = requests.get(server.url("/readyz"), timeout=10)
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    assert requests.get(server.url("/healthz"), timeout=10).status_code == 200
    creds = server.credentials()
    assert_ok_json(upload_multipart(server, creds, imagegen.small_jpeg()))
    full = requests.get(server.url("/readyz"), timeout=10)
    assert full.status_code == 503
    assert full.json() == {"status": "unavailable", "problems": ["upload queue full"]}
    # Liveness is not readiness: the process is still alive.
    assert requests.get(server.url("/healthz"), timeout=10).status_code == 200


def test_request_log_has_ids_and_users_but_no_secrets(server_factory):
    server = server_factory()
    creds = server.credentials()
    resp = requests.get(server.api("users/show.json"), auth=creds.oauth(),
                        params={"screen_name": creds.screen_name, "secret_probe": "s3cr3tvalue"},
                        headers={"X-Request-Id": "trace-abc.123"}, timeout=10)
    assert resp.status_code == 200
    assert resp.headers["X-Request-Id"] == "trace-abc.123"
    generated = requests.get(server.url("/healthz"), timeout=10).headers["X-Request-Id"]
    assert generated and generated != "trace-abc.123"
    assert_ok_json(upload_multipart(server, creds, imagegen.small_png()))

    log = server.log_path.read_text(errors="replace")
    lines = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    mine = [line for line in lines if line.get("request_id") == "trace-abc.123"]
    assert len(mine) == 1
    assert mine[0]["path"] == "/1.1/users/show.json"
    assert mine[0]["status"] == 200 and mine[0]["user_id"] == creds.user_id
    for secret in ("s3cr3tvalue", creds.access_token, creds.access_token_secret,
                   creds.consumer_secret, "oauth_signature", "iVBORw0KGgo"):
        assert secret not in log, f"log reveals {secret!r}"


def test_settings_come_from_file_then_environment_then_flags(tmp_path):
    config = tmp_path / "portrait.conf"
    config.write_text("# test\ndata-dir = /from/file\nworkers = 1\nrate-limits = on\n")
    out = subprocess.run([str(harness.portrait_binary()), "config", "show", "--config", str(config),
                          "--workers", "3"], env={"PORTRAIT_RATE_LIMITS": "off"},
                         capture_output=True, text=True, timeout=30, check=True)
    settings = json.loads(out.stdout)
    assert settings["data-dir"] == {"values": ["/from/file"], "source": f"file:{config}"}
    assert settings["rate-limits"] == {"values": ["off"], "source": "environment"}
    assert settings["workers"] == {"values": ["3"], "source": "flag"}


def test_config_show_prints_every_setting_with_defaults_and_masks_secrets():
    out = subprocess.run(
        [str(harness.portrait_binary()), "config", "show", "--role", "api",
         "--database", "postgresql://portrait:hunter2@db.internal:5432/portrait",
         "--s3-endpoint", "http://s3.internal:9000", "--s3-bucket", "images"],
        env={"PORTRAIT_S3_SECRET_KEY": "s3cr3tvalue", "PORTRAIT_LOG_LEVEL": "warn"},
        capture_output=True, text=True, timeout=30, check=True)
    settings = json.loads(out.stdout)
    # Defaults are shown as such, with the value serve would use.
    assert settings["max-pending-jobs"] == {"values": ["1000"], "source": "default"}
    assert settings["listen"] == {"values": ["127.0.0.1:8080"], "source": "default"}
    assert settings["max-image-bytes"] == {"values": ["716799"], "source": "default"}
    assert settings["rate-limit-verify-credentials"] == {"values": ["75"], "source": "default"}
    assert settings["database-pool-size"] == {"values": ["8"], "source": "default"}
    assert settings["tls-cert"] == {"values": [], "source": "unset"}
    assert settings["role"] == {"values": ["api"], "source": "flag"}
    assert settings["log-level"] == {"values": ["warn"], "source": "environment"}
    # Secrets never appear; the database keeps its host but not its password.
    assert settings["s3-secret-key"] == {"values": ["****"], "source": "environment"}
    assert settings["database"]["values"] == ["postgresql://portrait:****@db.internal:5432/portrait"]
    assert "hunter2" not in out.stdout and "s3cr3tvalue" not in out.stdout


def test_a_bad_role_or_log_level_is_refused_before_starting(tmp_path):
    for flag, value in (("--role", "everything"), ("--log-level", "loud")):
        out = subprocess.run([str(harness.portrait_binary()), "serve", "--data-dir",
                              str(tmp_path), flag, value], capture_output=True, text=True,
                             timeout=30)
        assert out.returncode == 2, out.stderr
        assert flag in out.stderr


def test_log_level_warn_drops_request_lines(server_factory):
    server = server_factory(extra_args=["--log-level", "warn"])
    creds = server.credentials()
    get_user(server, creds)
    server.stop()
    lines = [json.loads(line) for line in server.log_path.read_text().splitlines()
             if line.startswith("{")]
    # Only the lifecycle lines (how tools learn the ports) are written at every level.
    assert [line["event"] for line in lines if line.get("level") == "info"] == [
        "listening", "stopped"], lines


def test_unknown_setting_in_the_config_file_stops_the_server_at_start(tmp_path):
    config = tmp_path / "portrait.conf"
    config.write_text("data-dir = %s\nlisten = 127.0.0.1:0\nwokers = 2\n" % (tmp_path / "d"))
    out = subprocess.run([str(harness.portrait_binary()), "serve", "--config", str(config)],
                         capture_output=True, text=True, timeout=30)
    assert out.returncode == 2
    assert f"{config}:3: unknown setting 'wokers'" in out.stderr


def test_backup_while_serving_restores_users_and_images(server_factory, tmp_path):
    server = server_factory()
    creds = server.credentials()
    before = get_user(server, creds)["profile_image_url"]
    assert_ok_json(upload_multipart(server, creds, imagegen.small_jpeg()))
    image_url = wait_for_image_change(server, creds, previous_url=before)["profile_image_url"]

    backup_dir = tmp_path / "backup"
    subprocess.run([str(harness.portrait_binary()), "backup", "--data-dir", str(server.data_dir),
                    "--to", str(backup_dir)], check=True, capture_output=True, timeout=60)

    restored = harness.PortraitServer(backup_dir, rate_limits=False)
    restored.start()
    try:
        user = get_user(restored, creds)
        assert user["id"] == creds.user_id
        path = image_url.split("/profile_images/", 1)[1]
        image = requests.get(restored.url("/profile_images/" + path), timeout=10)
        assert image.status_code == 200 and image.headers["Content-Type"] == "image/jpeg"
    finally:
        assert restored.stop() == 0


def test_rate_limits_and_image_limits_are_configurable(server_factory):
    server = server_factory(rate_limits=True, extra_args=(
        "--rate-limit-verify-credentials", "2", "--max-image-bytes", "1000"))
    creds = server.credentials()
    statuses = [requests.get(server.api("account/verify_credentials.json"), auth=creds.oauth(),
                             timeout=10).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    too_big = upload_multipart(server, creds, imagegen.small_jpeg(width=200, height=200))
    harness.assert_error(too_big, 422, 44, "Image file size must be less than 700 KB.")
