import pytest

# a test client request commits as a real one does: its on_commit work runs (tests/on_commit.py)
from tests.on_commit import _requests_commit  # noqa: F401


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a test's rolled-back rows must not live on in
    the cached fragments a later test of the same process reads (shop.core.cache)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    """Passwords and manager PINs are hashed with MD5 in tests, as Django's testing docs
    advise: the production hasher (PBKDF2, a million rounds) is built to be slow, and the
    suite creates and signs in hundreds of users. What is tested is who may sign in,
    not the hasher's cost."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded and generated files of a test go to its own temporary folder."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


@pytest.fixture(autouse=True)
def _login_with_a_request(monkeypatch):
    """django-axes counts every sign-in by its request: the test client's ``login()``
    (which calls ``authenticate`` without one) gets a bare request (shop.core.signin)."""
    from django.http import HttpRequest
    from django.test import Client

    original = Client.login

    def login(self, **credentials):
        credentials.setdefault("request", HttpRequest())
        return original(self, **credentials)

    monkeypatch.setattr(Client, "login", login)


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def chromium():
    """Debian's Chromium, headless, driven by Playwright (which cannot download a browser here)."""
    import os

    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    """A page of a fresh Vietnamese-speaking browser context."""
    context = chromium.new_context(locale="vi-VN")
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()
