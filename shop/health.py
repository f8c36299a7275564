"""``/health/`` for a load balancer: is this app process able to serve?

Rules:

* ``200 {"database": "ok", "cache": "ok"}`` when the database answers a
  ``SELECT 1`` and the cache stores and returns a value; ``503`` with
  ``"error"`` for each that does not (the load balancer then stops sending
  requests to this process).
* Cheap and anonymous: one query, one cache write and read, no session, no
  sign-in, no template, nothing but JSON (no page for a Content-Security-Policy
  to guard). ``GET`` and ``HEAD`` only; never cached by a proxy; answered over
  plain http too with ``DJANGO_HTTPS=1`` (``SECURE_REDIRECT_EXEMPT``), since a load
  balancer probes the process directly. The probe's ``Host`` header must be one of
  ``DJANGO_ALLOWED_HOSTS``.
"""

import logging
import uuid

from django.core.cache import cache
from django.db import connection, transaction
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

CACHE_KEY = "ocop:health"


def database_ok():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:  # any failure of the database is "not ok", with its trace in the log
        logger.exception("health: the database does not answer")
        return False


def cache_ok():
    token = uuid.uuid4().hex
    try:
        # With DJANGO_REDIS_IGNORE_EXCEPTIONS a dead Redis raises nothing: the value
        # read back is what proves it answered.
        cache.set(CACHE_KEY, token, timeout=30)
        return cache.get(CACHE_KEY) == token
    except Exception:
        logger.exception("health: the cache does not answer")
        return False


@transaction.non_atomic_requests  # ATOMIC_REQUESTS would need the database before the view
@never_cache
@require_safe
def health(request):
    checks = {"database": database_ok(), "cache": cache_ok()}
    body = {name: "ok" if ok else "error" for name, ok in checks.items()}
    return JsonResponse(body, status=200 if all(checks.values()) else 503)
