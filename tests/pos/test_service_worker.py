"""The till's service worker (/pos/sw.js), its version, and the pages it keeps."""

import json
import re

import pytest
from django.test import Client

from pos import views

pytestmark = pytest.mark.django_db


def sw_config(response):
    match = re.search(r"^var CONFIG = (\{.*\});$", response.content.decode(), re.M)
    return json.loads(match.group(1))


def test_service_worker_is_fresh_javascript_scoped_to_the_till(client):
    response = client.get("/pos/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    cache_control = response["Cache-Control"]
    assert "no-cache" in cache_control and "no-store" in cache_control and "max-age=0" in cache_control
    assert response["Service-Worker-Allowed"] == "/pos/"
    config = sw_config(response)
    assert config["scope"] == "/pos/" and config["api"] == "/pos/api/"
    assert config["version"] == response["X-Offline-Version"] == views.offline_version()
    assert config["logout"] == "/pos/logout/" and config["login"] == "/pos/login/" and config["offlinePage"] == "/pos/offline/"
    # Only versioned static files and the offline notice are cached ahead; never the API.
    assert "/pos/offline/" in config["precache"]
    assets = [url for url in config["precache"] if url != "/pos/offline/"]
    assert sorted(url.split("?")[0] for url in assets) == sorted(
        f"/static/{name}" for name in views.OFFLINE_ASSETS.values())
    assert all(re.search(r"\?v=[0-9a-f]{12}$", url) for url in assets)
    assert not any("/api/" in url for url in config["precache"])
    assert re.match(config["pages"], "/pos/register/12/") and re.match(config["pages"], "/pos/register/12/display/")
    assert not re.match(config["pages"], "/pos/receipt/3/") and not re.match(config["pages"], "/pos/api/registers/")


def test_version_changes_with_a_static_file(settings, tmp_path):
    before = views.offline_version()
    (tmp_path / "pos").mkdir()
    (tmp_path / "pos" / "till.js").write_text("/* a newer till */")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, tmp_path]
    changed = views.offline_version()
    assert changed != before
    assert views.asset_url("pos/till.js").endswith(f"?v={views.asset_digest('pos/till.js')[:12]}")
    (tmp_path / "pos" / "till.js").write_text("/* newer still: another edit of the till */")
    assert views.offline_version() not in (before, changed)


def _manifest(root, till_name):
    paths = {name: name for name in views.OFFLINE_ASSETS.values()}
    paths["pos/till.js"] = till_name
    root.mkdir()
    (root / "staticfiles.json").write_text(json.dumps({"paths": paths, "version": "1.1", "hash": "x"}))


def test_version_changes_when_the_static_manifest_changes(settings, tmp_path):
    storage = {**settings.STORAGES,
               "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"}}
    _manifest(tmp_path / "one", "pos/till.1111aaaa.js")
    _manifest(tmp_path / "two", "pos/till.2222bbbb.js")
    settings.STORAGES = storage
    settings.STATIC_ROOT = str(tmp_path / "one")
    first = views.offline_version()
    assert views.asset_url("pos/till.js").startswith("/static/pos/till.1111aaaa.js?v=")
    settings.STATIC_ROOT = str(tmp_path / "two")
    second = views.offline_version()
    assert second != first
    assert sw_config(Client().get("/pos/sw.js"))["version"] == second


def test_version_changes_with_the_setting(settings):
    before = views.offline_version()
    settings.POS_OFFLINE_VERSION = "2025-12-01"
    after = views.offline_version()
    assert after != before
    assert Client().get("/pos/sw.js")["X-Offline-Version"] == after


def test_till_page_names_the_versioned_files_and_is_not_kept_by_the_http_cache(client, shop):
    client.force_login(shop.cashier)
    response = client.get(f"/pos/register/{shop.register.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-shell="network"' in html
    assets = views.offline_assets()
    for key in ("till_css", "till_js", "receipt_css"):
        assert f'"{assets[key]}"' in html
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    config = json.loads(re.search(r'id="pos-config" type="application/json">(.*?)</script>', html).group(1))
    assert config["serviceWorker"] == {"url": "/pos/sw.js", "scope": "/pos/",
                                       "version": views.offline_version(), "cachePrefix": "ocop-pos-"}
    # The temporary receipt of an offline sale is part of the page, in Vietnamese.
    assert "HOÁ ĐƠN BÁN HÀNG (TẠM)" in html
    messages = json.loads(re.search(r'id="pos-messages" type="application/json">(.*?)</script>', html).group(1))
    assert "%(n)s" in messages["offlineCopy"] and "Mất mạng" in messages["offlineCopy"]


def test_offline_notice_needs_no_sign_in(client):
    response = client.get("/pos/offline/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Không kết nối được máy chủ" in html and 'id="offline-page"' in html
    assert views.offline_assets()["till_css"] in html


def test_service_worker_never_answers_the_api_from_a_cache(client):
    """The worker returns before respondWith for the API and for anything but GET."""
    source = client.get("/pos/sw.js").content.decode()
    api_guard = source.index("url.pathname.indexOf(CONFIG.api) === 0) return;")
    assert api_guard < source.index("event.respondWith(")
    assert "if (request.method !== \"GET\")" in source
