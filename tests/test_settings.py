import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _clean_env(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.update(BANK)
    clean.update(env)
    return clean


def _load_settings(code="import shop.settings", **env):
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=_clean_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
    )


BANK = {
    "SHOP_BANK_BIN": "970436", "SHOP_BANK_ACCOUNT": "0011001932418",
    "SHOP_BANK_ACCOUNT_NAME": "DIEM OCOP HUYEN DAK HA", "SHOP_BANK_NAME": "Vietcombank",
}
REAL_KEY = "a-real-secret-from-the-vault-0123456789"


@pytest.mark.parametrize("missing", sorted(BANK))
def test_refuses_debug_off_with_the_demo_bank_account(missing):
    env = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": REAL_KEY, missing: ""}
    result = _load_settings(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert missing in result.stderr and "demo account" in result.stderr


def test_a_development_machine_uses_the_demo_bank_account():
    code = "import shop.settings as s; print(s.SHOP_BANK_ACCOUNT, s.SHOP_BANK_NAME)"
    result = _load_settings(code, DJANGO_DEBUG="1", SHOP_BANK_ACCOUNT="", SHOP_BANK_NAME="")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0011001932418", "Vietcombank"]


def test_the_real_bank_account_is_used_when_given():
    code = "import shop.settings as s; print(s.SHOP_BANK_ACCOUNT)"
    result = _load_settings(code, DJANGO_DEBUG="0", DJANGO_SECRET_KEY=REAL_KEY,
                            SHOP_BANK_ACCOUNT=" 1234567890 ")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "1234567890"


def test_every_setting_read_from_the_environment_is_in_the_readme():
    settings_py = (ROOT / "shop" / "settings.py").read_text()
    names = set(re.findall(r'(?:os\.environ\.get|env_bool|env_list)\(\s*"([A-Z0-9_]+)"', settings_py))
    names |= set(re.findall(r'^    "([A-Z0-9_]+)": "', settings_py, re.M)) & set(BANK)
    readme = (ROOT / "README.md").read_text()
    table = readme[readme.index("## Configuration"):readme.index("### PostgreSQL")]
    assert names, "no environment variables found in settings"
    assert sorted(n for n in names if f"`{n}`" not in table) == []


def test_refuses_debug_off_with_default_secret_key():
    result = _load_settings(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_starts_with_debug_off_and_a_real_secret_key():
    result = _load_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="a-real-secret-from-the-vault-0123456789")
    assert result.returncode == 0, result.stderr


def test_development_machine_may_use_the_default_key_with_debug_on():
    assert _load_settings(DJANGO_DEBUG="1").returncode == 0


def test_locale_and_money_settings():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _name in settings.LANGUAGES] == ["vi", "en"]
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.OSCAR_DEFAULT_CURRENCY == "VND"


LONG_KEY = "k3y-from-the-vault-" + "x7Qp2Lm9" * 6  # 67 characters, varied enough for Django


@pytest.mark.parametrize("key", ["", "   ", "\t\n", "short-key-of-31-characters-0123"])
def test_refuses_an_empty_blank_or_short_secret_key_with_debug_off(key):
    result = _load_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=key)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr
    assert "32 characters" in result.stderr


def test_the_test_settings_key_is_long_enough():
    assert _load_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="test-only-secret-key-not-for-production").returncode == 0


def _check_deploy(**env):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=_clean_env(DJANGO_DEBUG="0", DJANGO_SECRET_KEY=LONG_KEY, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_https_on():
    result = _check_deploy(DJANGO_HTTPS="1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_names_the_https_warnings_without_it():
    result = _check_deploy()
    assert result.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stderr


_PRINT_SECURITY = (
    "import json; from django.conf import settings as s; import django; django.setup(); "
    "print(json.dumps({n: getattr(s, n) for n in ("
    "'SECURE_SSL_REDIRECT', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', "
    "'SECURE_HSTS_PRELOAD', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
    "'SECURE_PROXY_SSL_HEADER', 'SECURE_CONTENT_TYPE_NOSNIFF', 'X_FRAME_OPTIONS', "
    "'SESSION_COOKIE_HTTPONLY', 'SECURE_REFERRER_POLICY')}))"
)


def _security_settings(**env):
    result = _load_settings(
        _PRINT_SECURITY, DJANGO_SETTINGS_MODULE="shop.settings", DJANGO_SECRET_KEY=LONG_KEY, **env
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_https_settings_are_off_for_local_http_use():
    values = _security_settings(DJANGO_DEBUG="0")
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_HSTS_SECONDS"] == 0
    assert values["SESSION_COOKIE_SECURE"] is False
    assert values["CSRF_COOKIE_SECURE"] is False
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    # ...while the headers that do not need HTTPS are always on.
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"


def test_https_turns_on_redirect_hsts_and_secure_cookies():
    values = _security_settings(DJANGO_DEBUG="0", DJANGO_HTTPS="1", DJANGO_HSTS_SECONDS="600")
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] == 600
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    behind_proxy = _security_settings(DJANGO_DEBUG="0", DJANGO_HTTPS="1", DJANGO_BEHIND_PROXY="1")
    assert behind_proxy["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert behind_proxy["SECURE_HSTS_SECONDS"] == 31536000


@pytest.mark.django_db
def test_home_page_has_a_csp_whose_nonce_matches_its_inline_scripts(client):
    response = client.get("/")
    policy = dict(
        (part.split()[0], part.split()[1:])
        for part in response["Content-Security-Policy"].split("; ")
    )
    nonce = re.search(r"'nonce-([^']+)'", " ".join(policy["script-src"])).group(1)
    assert policy["script-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"] and policy["base-uri"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["style-src"]
    html = response.content.decode()
    inline = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert inline, "the home page has Oscar's inline start-up script"
    assert all(f'nonce="{nonce}"' in attributes for attributes in inline), inline
    assert not re.search(r"\son[a-z]+=", html), "no inline event handlers"
    # A new nonce for every response.
    assert nonce not in client.get("/")["Content-Security-Policy"]


def test_stripe_hosts_are_allowed_only_when_card_payments_are_on():
    code = (
        "import json, shop.settings as s; d = s.CONTENT_SECURITY_POLICY['DIRECTIVES']; "
        "print(json.dumps({k: d[k] for k in ('script-src', 'frame-src', 'connect-src')}, default=str))"
    )
    off = json.loads(_load_settings(code, DJANGO_DEBUG="1").stdout)
    assert not any("stripe" in source for sources in off.values() for source in sources)
    on = json.loads(_load_settings(
        code, DJANGO_DEBUG="1", STRIPE_SECRET_KEY="sk_test_x", STRIPE_PUBLISHABLE_KEY="pk_test_x"
    ).stdout)
    assert "https://js.stripe.com" in on["script-src"]
    assert "https://js.stripe.com" in on["frame-src"]
    assert "https://api.stripe.com" in on["connect-src"]
