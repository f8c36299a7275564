"""/health/ for a load balancer (shop.health): database and cache reachable, or 503 naming which."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

ROOT = Path(__file__).resolve().parent.parent
UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.2,
                    "SOCKET_TIMEOUT": 0.2},
    }
}


@pytest.mark.django_db
def test_healthy_is_200_json_without_session_cookie_or_sign_in(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/health/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"database": "ok", "cache": "ok"}
    assert len(queries.captured_queries) == 1  # SELECT 1: no session, no user, no basket
    assert not response.cookies  # no session, CSRF or basket cookie
    assert "no-cache" in response["Cache-Control"]
    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_head_is_answered_and_post_refused(client):
    assert client.head("/health/").status_code == 200
    assert client.post("/health/").status_code == 405


@pytest.mark.django_db
def test_an_unreachable_cache_is_503_naming_it(client, settings):
    settings.CACHES = UNREACHABLE_REDIS
    response = client.get("/health/")
    assert response.status_code == 503
    assert json.loads(response.content) == {"database": "ok", "cache": "error"}


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_database_is_503_naming_it(client):
    if connection.vendor == "sqlite":
        pytest.skip("closing SQLite's in-memory test database would drop it; PostgreSQL only")
    original = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT="1", NAME="nowhere")
    try:
        response = client.get("/health/")
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(original)
    assert response.status_code == 503
    assert json.loads(response.content) == {"database": "error", "cache": "ok"}


def _https_redirect_exempt():
    """SECURE_REDIRECT_EXEMPT of the production settings (DJANGO_HTTPS=1), read in a fresh process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(DJANGO_HTTPS="1", DJANGO_SECRET_KEY="a-real-secret-from-the-vault-0123456789")
    result = subprocess.run(
        [sys.executable, "-c", "import json, shop.settings as s; print(json.dumps(s.SECURE_REDIRECT_EXEMPT))"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.mark.django_db
def test_with_https_on_a_probe_over_plain_http_is_answered(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = _https_redirect_exempt()
    assert client.get("/health/").status_code == 200
    assert client.get("/").status_code == 301  # every other page goes to https


# --- What several app processes share (README, "Production") ------------------------

PRODUCTION_PROBE = (
    "import json, shop.settings as s; print(json.dumps({"
    "'cache': s.CACHES['default']['BACKEND'], 'redis': s.CACHES['default'].get('LOCATION'),"
    "'sessions': s.SESSION_ENGINE, 'inline': s.CELERY_TASK_ALWAYS_EAGER,"
    "'broker': s.CELERY_BROKER_URL, 'media': s.STORAGES['default']}))"
)


def _production_settings(**env):
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("DJANGO_", "REDIS_", "CELERY_", "MEDIA_S3_"))}
    clean.update(DJANGO_SECRET_KEY="a-real-secret-from-the-vault-0123456789", **env)
    return subprocess.run([sys.executable, "-c", PRODUCTION_PROBE], cwd=ROOT, env=clean,
                          capture_output=True, text=True, timeout=60)


def test_with_nothing_configured_tasks_run_inline_and_the_cache_is_local():
    result = _production_settings()
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["inline"] is True and values["broker"] == ""
    assert values["cache"].endswith("LocMemCache")
    # each process's memory is its own: sessions from the database (never a stale copy)
    assert values["sessions"] == "django.contrib.sessions.backends.db"
    assert values["media"]["BACKEND"] == "catalogue.uploads.PublicMediaStorage"


def test_servers_share_redis_the_broker_and_the_media_bucket():
    result = _production_settings(
        REDIS_URL="redis://10.0.0.5:6379/0", CELERY_BROKER_URL="redis://10.0.0.5:6379/1",
        MEDIA_S3_BUCKET="ocop-media", MEDIA_S3_ENDPOINT_URL="https://s3.example.vn",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["cache"] == "django_redis.cache.RedisCache"
    assert values["sessions"] == "django.contrib.sessions.backends.cached_db"
    assert values["redis"] == "redis://10.0.0.5:6379/0"
    assert values["inline"] is False and values["broker"] == "redis://10.0.0.5:6379/1"
    assert values["media"]["BACKEND"] == "shop.storage.PublicS3MediaStorage"
    assert values["media"]["OPTIONS"]["bucket_name"] == "ocop-media"
    assert values["media"]["OPTIONS"]["endpoint_url"] == "https://s3.example.vn"
    assert values["media"]["OPTIONS"]["querystring_auth"] is False


def test_a_broker_without_the_shared_cache_is_refused():
    result = _production_settings(CELERY_BROKER_URL="redis://10.0.0.5:6379/1")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "REDIS_URL" in result.stderr


def test_the_bucket_storage_keeps_the_no_page_names_rule():
    from shop.storage import PublicS3MediaStorage

    storage = PublicS3MediaStorage(bucket_name="ocop-media", file_overwrite=True)
    assert storage.get_available_name("images/evil.html") == "images/evil.html.bin"
    assert storage.get_available_name("images/photo.jpg") == "images/photo.jpg"
