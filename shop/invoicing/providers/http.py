"""The HTTP adapter: the invoice's XML posted to the provider's gateway.

Rules:

* ``settings.INVOICE_PROVIDER_URL`` is the gateway's base address,
  ``settings.INVOICE_PROVIDER_TOKEN`` its bearer token (sent when set),
  ``settings.INVOICE_PROVIDER_TIMEOUT`` the seconds one request may take, and
  ``settings.INVOICE_PROVIDER_TAX_CODE`` the provider's tax code written in the XML.
* Issue: ``POST <url>/invoices`` (adjust / replace: ``POST <url>/invoices/<original's
  reference>/adjust|replace?reason=…``), body the XML (``application/xml``), with the
  header ``Idempotency-Key: <the invoice's key>`` on every attempt, so that a retried
  request gets the first answer. Cancel: ``POST <url>/invoices/<reference>/cancel?reason=…``
  with its own key. Look-up: ``GET <url>/invoices/<reference>``. Answers are JSON.
* An unreachable gateway, a timeout, a 5xx or 429 answer is ``ProviderUnavailable``
  (try again later); any other 4xx is ``ProviderRejected`` with the gateway's message.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from shop.invoicing.providers.base import (
    IssueResult,
    LookupResult,
    Provider,
    ProviderRejected,
    ProviderUnavailable,
)
from shop.invoicing.providers.fake import FAKE_PROVIDER_TAX_CODE, parse_issued_at


class HttpProvider(Provider):
    name = "http"

    def __init__(self, url, token="", timeout=10.0, tax_code=FAKE_PROVIDER_TAX_CODE):
        if not url:
            raise ImproperlyConfigured("INVOICE_PROVIDER_URL is required for INVOICE_PROVIDER='http'")
        self.url = url.rstrip("/")
        self.token = token
        self.timeout = timeout
        self.tax_code = tax_code

    @classmethod
    def from_settings(cls):
        return cls(
            getattr(settings, "INVOICE_PROVIDER_URL", ""),
            getattr(settings, "INVOICE_PROVIDER_TOKEN", ""),
            float(getattr(settings, "INVOICE_PROVIDER_TIMEOUT", 10)),
            getattr(settings, "INVOICE_PROVIDER_TAX_CODE", "") or FAKE_PROVIDER_TAX_CODE,
        )

    def request(self, method, path, body=None, key="", content_type="application/xml"):
        request = urllib.request.Request(self.url + path, data=body, method=method)
        request.add_header("Accept", "application/json")
        if body is not None:
            request.add_header("Content-Type", content_type)
        if key:
            request.add_header("Idempotency-Key", key)
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return json.loads(response.read().decode() or "{}")
        except urllib.error.HTTPError as exc:
            try:
                message = json.loads(exc.read().decode()).get("error", "")
            except (ValueError, AttributeError):
                message = ""
            text = f"HTTP {exc.code} {message}".strip()
            if exc.code >= 500 or exc.code == 429:
                raise ProviderUnavailable(text) from exc
            raise ProviderRejected(text) from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise ProviderUnavailable(f"{type(exc).__name__}: {exc}") from exc
        except ValueError as exc:
            raise ProviderUnavailable(f"not JSON: {exc}") from exc

    def send(self, action, invoice, xml, original_reference="", reason=""):
        path = "/invoices"
        if action != "issue":
            path += f"/{quote(original_reference, safe='')}/{action}?" + urlencode({"reason": reason})
        data = self.request("POST", path, xml, key=str(invoice.idempotency_key))
        try:
            return IssueResult(
                number=int(data["number"]), authority_code=data["authority_code"],
                lookup_code=data.get("lookup_code", ""), provider_reference=data["reference"],
                issued_at=parse_issued_at(data.get("issued_at")), form=data.get("form", ""),
                serial=data.get("serial", ""),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ProviderRejected(f"unexpected answer: {data!r}") from exc

    @staticmethod
    def _lookup_result(data, reference):
        return LookupResult(data.get("reference", reference), data.get("status", ""),
                            int(data.get("number") or 0), data.get("authority_code", ""),
                            data.get("lookup_code", ""), data)

    def lookup(self, reference):
        data = self.request("GET", f"/invoices/{quote(reference, safe='')}")
        return self._lookup_result(data, reference)

    def cancel(self, reference, reason, key):
        path = f"/invoices/{quote(reference, safe='')}/cancel?" + urlencode({"reason": reason})
        data = self.request("POST", path, b"", key=key, content_type="text/plain")
        return self._lookup_result(data, reference)
