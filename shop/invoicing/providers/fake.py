"""A fake e-invoice provider: a small local HTTP server for tests and the demo, and the
same logic run in the shop's own process (``INVOICE_PROVIDER = "local"``).

Rules of the fake (what a real provider's gateway does, as far as the shop sees it):

* ``POST /invoices`` with the invoice's XML, headers ``Idempotency-Key`` and (when the
  server has a token) ``Authorization: Bearer <token>``: the XML is checked against the
  schema (400 with the message when it is not valid), numbered in its form + serial
  (1, 2, 3 … per serial), given the tax authority's code ``M1-<yy>-<14 hex>`` and a
  look-up code for the buyer, and answered as JSON (reference, number,
  authority_code, lookup_code, issued_at, form, serial, status).
* The same key always gets the same answer: a request repeated after a lost answer
  numbers nothing new. ``requests`` records every request (action, key) for tests.
* ``POST /invoices/<reference>/adjust`` and ``/replace`` (``?reason=``) issue an
  adjusting / replacing invoice whose XML names that original (``TTHDLQuan``); a
  replaced original's status becomes ``replaced``. ``POST /invoices/<reference>/cancel``
  cancels. ``GET /invoices/<reference>`` looks one up. Unknown reference: 404.
* ``down = True`` answers every request 503; ``lose_answers = n`` does the work of the
  next n requests and then answers 503, as if the answer had been lost on the way.
* :class:`LocalProvider` numbers from the shop's database instead (the largest number
  of the form + serial plus one, under a PostgreSQL advisory lock of the serial), in
  the issuing transaction: an invoice's number and its saving commit together, so
  nothing is numbered twice. Its codes are derived from the idempotency key.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from django.db import connection
from django.db.models import Max
from django.utils import timezone

from shop.invoicing.providers import xml as invoice_xml
from shop.invoicing.providers.base import (
    IssueResult,
    LookupResult,
    Provider,
    ProviderRejected,
)

FAKE_PROVIDER_TAX_CODE = "0100109106"


def authority_code(key, year):
    """``M1-<yy>-`` + 14 upper-case hex characters derived from the key."""
    digest = hashlib.sha256(f"authority:{key}".encode()).hexdigest()[:14].upper()
    return f"M1-{year % 100:02d}-{digest}"


def lookup_code(key):
    return hashlib.sha256(f"lookup:{key}".encode()).hexdigest()[:10].upper()


class Ledger:
    """The fake provider's books, kept in memory (thread-safe)."""

    def __init__(self, token=""):
        self.token = token
        self.lock = threading.Lock()
        self.by_key = {}
        self.invoices = {}
        self.counters = {}
        self.requests = []
        self.down = False
        self.lose_answers = 0

    # -- numbering ---------------------------------------------------------------
    def numbered(self):
        return sum(self.counters.values())

    def keys_seen(self, key):
        return sum(1 for r in self.requests if r["key"] == key)

    # -- requests ----------------------------------------------------------------
    def handle(self, method, path, headers, body):
        """(status, payload) for one request."""
        key = headers.get("Idempotency-Key", "")
        url = urlsplit(path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        parts = [p for p in url.path.split("/") if p]
        action = {"GET": "lookup"}.get(method) or (parts[2] if len(parts) == 3 else "issue")
        with self.lock:
            self.requests.append({"method": method, "path": url.path, "key": key, "action": action})
            if self.down:
                return 503, {"error": "provider down"}
            if self.token and headers.get("Authorization") != f"Bearer {self.token}":
                return 401, {"error": "bad token"}
            if not parts or parts[0] != "invoices":
                return 404, {"error": "no route"}
            if method == "GET" and len(parts) == 2:
                answer = self._lookup(parts[1])
            elif method != "POST":
                answer = (405, {"error": "method"})
            elif not key:
                answer = (400, {"error": "Idempotency-Key header required"})
            elif key in self.by_key:
                answer = self.by_key[key]
            elif len(parts) == 1:
                answer = self._issue(key, body)
            elif len(parts) == 3 and parts[2] in ("adjust", "replace"):
                answer = self._issue(key, body, parts[1], parts[2], query.get("reason", ""))
            elif len(parts) == 3 and parts[2] == "cancel":
                answer = self._cancel(parts[1], query.get("reason", ""))
            else:
                answer = (404, {"error": "no route"})
            if method == "POST" and key and answer[0] < 500:
                self.by_key[key] = answer
            if self.lose_answers:
                self.lose_answers -= 1
                return 503, {"error": "answer lost"}
            return answer

    def _issue(self, key, body, original_ref=None, action="issue", reason=""):
        try:
            data = invoice_xml.read(body)
        except invoice_xml.InvoiceDataError as exc:
            return 400, {"error": str(exc)}
        original = None
        if original_ref is not None:
            original = self.invoices.get(original_ref)
            if original is None:
                return 404, {"error": f"no invoice {original_ref}"}
            related = data["related"]
            expected = 1 if action == "replace" else 2
            if (related is None or related["nature"] != expected
                    or (related["form"], related["serial"], related["number"])
                    != (original["form"], original["serial"], original["number"])):
                return 400, {"error": "TTHDLQuan does not name the original invoice"}
            if original["status"] in ("cancelled", "replaced"):
                return 409, {"error": f"invoice {original_ref} is {original['status']}"}
        elif data["related"] is not None:
            return 400, {"error": "an adjustment or replacement must be sent for its original"}
        series = (data["form"], data["serial"])
        number = self.counters.get(series, 0) + 1
        self.counters[series] = number
        issued_at = timezone.now()
        record = {
            "reference": f"FK-{data['form']}{data['serial']}-{number:08d}",
            "status": "issued", "number": number, "form": data["form"],
            "serial": data["serial"], "issued_at": issued_at.isoformat(),
            "authority_code": authority_code(key, int(data["day"][:4])),
            "lookup_code": lookup_code(key), "total": str(data["total"]),
            "original": original_ref or "", "reason": reason,
        }
        self.invoices[record["reference"]] = record
        if original is not None and action == "replace":
            original["status"] = "replaced"
        elif original is not None:
            original.setdefault("adjustments", []).append(record["reference"])
        return 200, dict(record)

    def _lookup(self, reference):
        record = self.invoices.get(reference)
        return (200, dict(record)) if record else (404, {"error": f"no invoice {reference}"})

    def _cancel(self, reference, reason):
        record = self.invoices.get(reference)
        if record is None:
            return 404, {"error": f"no invoice {reference}"}
        record["status"] = "cancelled"
        record["cancel_reason"] = reason
        return 200, dict(record)


class FakeProviderServer:
    """The ledger behind a local HTTP server in a thread (``port=0``: any free port)."""

    def __init__(self, host="127.0.0.1", port=0, token=""):
        self.ledger = Ledger(token=token)
        ledger = self.ledger

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                status, payload = ledger.handle(self.command, self.path, self.headers, body)
                data = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = _answer

        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.url = f"http://{host}:{self.server.server_address[1]}"
        self.thread = None

    # shortcuts for tests: the ledger's books and switches
    def __getattr__(self, name):
        if name == "ledger":
            raise AttributeError(name)
        return getattr(self.ledger, name)

    down = property(lambda self: self.ledger.down,
                    lambda self, value: setattr(self.ledger, "down", value))
    lose_answers = property(lambda self: self.ledger.lose_answers,
                            lambda self, value: setattr(self.ledger, "lose_answers", value))

    def start(self):
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def serve_forever(self):
        self.server.serve_forever()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class LocalProvider(Provider):
    """The fake's logic in the shop's process, numbering from the shop's database."""

    name = "local"
    tax_code = FAKE_PROVIDER_TAX_CODE
    _refs = itertools.count(1)

    def send(self, action, invoice, xml, original_reference="", reason=""):
        from shop.invoicing.models import Invoice

        try:
            data = invoice_xml.read(xml)
        except invoice_xml.InvoiceDataError as exc:
            raise ProviderRejected(str(exc)) from exc
        if action != "issue" and not original_reference:
            raise ProviderRejected("an adjustment or replacement needs the original's reference")
        series = f"{invoice.invoice_form}:{invoice.serial}"
        if connection.vendor == "postgresql":
            # numbers of one series one at a time (SQLite writes one transaction at a time)
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))",
                               [f"invoice-series:{series}"])
        last = (Invoice.objects.filter(invoice_form=invoice.invoice_form, serial=invoice.serial)
                .exclude(pk=invoice.pk).aggregate(n=Max("number"))["n"]) or 0
        number = last + 1
        key = str(invoice.idempotency_key)
        return IssueResult(
            number=number, authority_code=authority_code(key, int(data["day"][:4])),
            lookup_code=lookup_code(key),
            provider_reference=f"LOCAL-{data['form']}{data['serial']}-{number:08d}",
            issued_at=timezone.now(), form=data["form"], serial=data["serial"],
        )

    def lookup(self, reference):
        from shop.invoicing.models import Invoice

        invoice = Invoice.objects.filter(provider=self.name, provider_reference=reference).first()
        if invoice is None:
            raise ProviderRejected(f"no invoice {reference}")
        status = "replaced" if invoice.corrections.filter(kind="replacement").exists() else (
            "cancelled" if invoice.status == Invoice.Status.CANCELLED else "issued")
        return LookupResult(reference, status, invoice.number, invoice.authority_code,
                            invoice.lookup_code)

    def cancel(self, reference, reason, key):
        result = self.lookup(reference)
        return LookupResult(reference, "cancelled", result.number, result.authority_code,
                            result.lookup_code, {"reason": reason})


def parse_issued_at(value):
    if not value:
        return None
    return datetime.fromisoformat(value)
