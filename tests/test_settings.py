import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _load_settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import shop.settings"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_refuses_debug_off_with_default_secret_key():
    result = _load_settings(DJANGO_DEBUG="0")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_starts_with_debug_off_and_a_real_secret_key():
    result = _load_settings(DJANGO_DEBUG="0", DJANGO_SECRET_KEY="a-real-secret-from-the-vault")
    assert result.returncode == 0, result.stderr


def test_development_machine_may_use_the_default_key_with_debug_on():
    assert _load_settings(DJANGO_DEBUG="1").returncode == 0


def test_locale_and_money_settings():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "vi"
    assert [code for code, _name in settings.LANGUAGES] == ["vi", "en"]
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.OSCAR_DEFAULT_CURRENCY == "VND"
