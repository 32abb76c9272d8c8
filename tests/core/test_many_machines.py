"""Many machines (issue 13): docker-compose.yml scales web and worker behind its proxy,
keeps no state in an app container, and stores documents in its object store; the
production settings read the object store and the Celery settings that bring lost work
back within two minutes from the environment."""

import json
from pathlib import Path

import pytest

from .test_deploy import BASE_DIR, compose, manage, production_env, service_env  # noqa: F401

SCALED = ("web", "worker")
STATELESS = ("web", "worker", "beat", "migrate")

SHOW_SETTINGS = (
    "import json; from django.conf import settings as s; print(json.dumps({"
    "'storage': s.STORAGES['default'], 'acks_late': s.CELERY_TASK_ACKS_LATE, "
    "'reject_on_worker_lost': s.CELERY_TASK_REJECT_ON_WORKER_LOST, "
    "'transport': s.CELERY_BROKER_TRANSPORT_OPTIONS, "
    "'scheduler': getattr(s, 'CELERY_BEAT_SCHEDULER', None), "
    "'lock_timeout': getattr(s, 'CELERY_REDBEAT_LOCK_TIMEOUT', None), "
    "'loop': getattr(s, 'CELERY_BEAT_MAX_LOOP_INTERVAL', None), "
    "'email_timeout': s.EMAIL_TIMEOUT}))"
)


def production_settings(**env) -> dict:
    result = manage("shell", "-c", SHOW_SETTINGS, env=production_env(**env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- The production settings -----------------------------------------------------------------


def test_documents_go_to_the_bucket_when_one_is_set():
    found = production_settings(
        AWS_STORAGE_BUCKET_NAME="portal-documents",
        AWS_S3_ENDPOINT_URL="http://minio:9000",
        AWS_S3_REGION_NAME="us-east-1",
        AWS_ACCESS_KEY_ID="portal",
        AWS_SECRET_ACCESS_KEY="not-a-real-secret",
    )["storage"]
    assert found["BACKEND"] == "storages.backends.s3.S3Storage"
    options = found["OPTIONS"]
    assert (options["bucket_name"], options["endpoint_url"], options["region_name"]) == (
        "portal-documents",
        "http://minio:9000",
        "us-east-1",
    )
    assert (options["access_key"], options["secret_key"]) == ("portal", "not-a-real-secret")
    # Private: no public ACL, signed URLs only, and a second upload never overwrites a first.
    assert options["default_acl"] is None
    assert options["querystring_auth"] is True
    assert options["file_overwrite"] is False


def test_without_a_bucket_documents_stay_on_the_local_disk():
    assert production_settings()["storage"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_lost_work_comes_back_within_two_minutes_and_one_beat_holds_the_lock():
    found = production_settings()
    assert found["acks_late"] is True
    assert found["reject_on_worker_lost"] is True
    assert found["transport"]["visibility_timeout"] <= 120
    assert found["scheduler"] == "redbeat.RedBeatScheduler"
    # A beat that dies hands the lock over within a minute; it renews it far more often.
    assert found["lock_timeout"] <= 60 and found["loop"] * 3 <= found["lock_timeout"]
    assert found["email_timeout"] * 3 < 60


# --- docker-compose.yml ----------------------------------------------------------------------


def test_web_and_worker_scale_behind_the_proxy(compose):  # noqa: F811
    services = compose["services"]
    for name in SCALED:
        # --scale web=3 needs no fixed host port and no fixed container name.
        assert "ports" not in services[name], name
        assert "container_name" not in services[name], name
    assert services["web"]["expose"] == ["8000"]
    proxy = services["proxy"]
    assert proxy["image"].startswith("caddy:2")
    assert proxy["ports"] == ["8000:8000"]
    assert "web" in proxy["depends_on"]
    mount = next(volume for volume in proxy["volumes"] if volume.endswith(":/etc/caddy/Caddyfile:ro"))
    caddyfile = (BASE_DIR / mount.split(":")[0]).read_text()
    # Every web container that compose's DNS lists, followed as they come and go.
    assert "dynamic a web 8000" in caddyfile
    assert "lb_policy round_robin" in caddyfile


def test_no_app_container_keeps_state_of_its_own(compose):  # noqa: F811
    for name in STATELESS:
        assert not compose["services"][name].get("volumes"), name
    assert "media" not in compose["volumes"]


def test_documents_live_in_the_bundled_object_store(compose):  # noqa: F811
    services = compose["services"]
    env = service_env(services["web"])
    assert env["AWS_S3_ENDPOINT_URL"] == "${AWS_S3_ENDPOINT_URL:-http://minio:9000}"
    assert services["minio"]["image"].startswith("minio/minio")
    assert any(volume.endswith(":/data") for volume in services["minio"]["volumes"])
    minio, bucket = service_env(services["minio"]), service_env(services["minio-bucket"])
    # The portal signs in with the store's own credentials and uses the bucket it makes.
    assert minio["MINIO_ROOT_USER"] == bucket["MINIO_ROOT_USER"] == env["AWS_ACCESS_KEY_ID"]
    assert minio["MINIO_ROOT_PASSWORD"] == bucket["MINIO_ROOT_PASSWORD"] == env["AWS_SECRET_ACCESS_KEY"]
    assert env["AWS_SECRET_ACCESS_KEY"].startswith("${AWS_SECRET_ACCESS_KEY:?")
    assert bucket["BUCKET"] == env["AWS_STORAGE_BUCKET_NAME"]
    script = " ".join(services["minio-bucket"]["command"])
    assert "mc mb --ignore-existing" in script and "mc anonymous set none" in script
    for name in ("web", "worker", "beat"):
        depends_on = services[name]["depends_on"]
        assert depends_on["minio-bucket"]["condition"] == "service_completed_successfully", name


@pytest.mark.parametrize("words", ["--scale web=3 --scale worker=3", "Several machines"])
def test_the_readme_says_how_to_run_on_several_machines(words):
    assert words in Path(BASE_DIR / "README.md").read_text()
