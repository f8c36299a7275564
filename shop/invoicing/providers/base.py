"""The interface every e-invoice provider offers the shop.

Rules:

* ``issue(invoice, xml)`` sends an original invoice's XML with the invoice's
  ``idempotency_key``: the provider numbers it in its serial, has the tax authority
  code it and answers an :class:`IssueResult`. Sent again with the same key — a
  retry after a lost answer — it answers the same result and numbers nothing new.
* ``adjust`` / ``replace`` send an adjusting / replacing invoice's XML with the
  reason and the original's provider reference (the XML itself names the original:
  ``TTHDLQuan``); the provider records the link (a replaced original is no longer
  valid). ``cancel(reference, reason, key)`` cancels an issued invoice.
* ``lookup(reference)`` answers what the provider holds (:class:`LookupResult`).
* Errors: :class:`ProviderUnavailable` when the provider could not be reached or
  answered that it is down (5xx, timeout): worth another try, the same key;
  :class:`ProviderRejected` when it refused the invoice (4xx: invalid data) — no
  retry until someone fixes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


class ProviderError(Exception):
    """The provider did not issue; ``str()`` says why (kept as the invoice's last error)."""


class ProviderUnavailable(ProviderError, ConnectionError):
    """Not reached, or down: another try later may succeed (a transient error for Celery)."""


class ProviderRejected(ProviderError):
    """The provider refused the request: the data must be fixed first."""


@dataclass(frozen=True)
class IssueResult:
    number: int
    authority_code: str
    lookup_code: str
    provider_reference: str
    issued_at: datetime | None = None
    form: str = ""
    serial: str = ""


@dataclass(frozen=True)
class LookupResult:
    provider_reference: str
    status: str  # "issued", "cancelled", "replaced", "adjusted"
    number: int
    authority_code: str
    lookup_code: str
    extra: dict = field(default_factory=dict)


class Provider:
    """Base class: subclasses implement :meth:`send`, :meth:`lookup` and :meth:`cancel`."""

    name = "base"
    tax_code = ""  # the provider's own tax code, written in the XML (MSTTCGP)

    def issue(self, invoice, xml: bytes) -> IssueResult:
        return self.send("issue", invoice, xml)

    def adjust(self, invoice, xml: bytes, original_reference: str, reason: str) -> IssueResult:
        return self.send("adjust", invoice, xml, original_reference, reason)

    def replace(self, invoice, xml: bytes, original_reference: str, reason: str) -> IssueResult:
        return self.send("replace", invoice, xml, original_reference, reason)

    def send(self, action, invoice, xml, original_reference="", reason="") -> IssueResult:
        raise NotImplementedError

    def lookup(self, reference: str) -> LookupResult:
        raise NotImplementedError

    def cancel(self, reference: str, reason: str, key: str) -> LookupResult:
        raise NotImplementedError
