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
    original = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT="1", NAME="nowhere")
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-folder/db.sqlite3"
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
