"""Absolute links to the shop (in emails and anything read outside the browser).

Rules:

* ``settings.SHOP_BASE_URL`` (e.g. ``https://ocopdakha.vn``), when set, is the
  shop's address: every absolute link starts with it, whatever host a request
  came in on.
* Otherwise the link is built from the current request (its scheme and host, as
  Django validated them against ``ALLOWED_HOSTS``).
* Never from the ``django.contrib.sites`` row: the demo data writes
  ``127.0.0.1:8000`` there, which is no address for a customer.
"""

from django.conf import settings


def base_url():
    return (getattr(settings, "SHOP_BASE_URL", "") or "").strip().rstrip("/")


def absolute(path, request=None):
    """``path`` (starting with /) as an absolute URL; '' when there is neither setting nor request."""
    base = base_url()
    if base:
        return base + path
    if request is not None:
        return request.build_absolute_uri(path)
    return ""
