"""The emails of a booking: its confirmation with the voucher, the reminder the day before,
the notice that the booking was cancelled (with its departure by the provider, or with its
order), and the notice that the provider changed the departure's date, time or meeting
point (``changed``: the new facts and the former ones, no QR — the voucher stays valid).

Rules:

* Each email is rendered from ``experiences/emails/<kind>_subject.txt``, ``_body.txt`` and
  ``_body.html`` in the buyer's language, and goes to the booking's contact email only
  (a booking without one gets nothing).
* The voucher is the booking's code (printed ``ABCD-EFGH``) and its QR code: the QR
  holds the address of the booking page when the shop knows its own address
  (``SHOP_BASE_URL`` or the request), otherwise the code itself — the guide's check-in
  accepts both. In the email the QR is a PNG attached inline (``cid:voucher-qr``), as
  mail programs do not show inline SVG or ``data:`` images.
* This module only renders and sends; *when* and *once* are ``shop.experiences.tasks``'s
  business (after the commit, a claim or a row lock per email).
"""

from __future__ import annotations

from email.mime.image import MIMEImage

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe

from catalogue import traceability
from shop.core import links

CONFIRMATION = "confirmation"
REMINDER = "reminder"
CANCELLED = "cancelled"
CHANGED = "changed"
KINDS = (CONFIRMATION, REMINDER, CANCELLED, CHANGED)
WITH_QR = (CONFIRMATION, REMINDER)
QR_CID = "voucher-qr"


def voucher_path(booking):
    """The booking page, reached by its unguessable code."""
    return reverse("experiences:booking", kwargs={"code": booking.code})


def voucher_url(booking, request=None):
    """The booking page's absolute address ('' when the shop does not know its address)."""
    return links.absolute(voucher_path(booking), request)


def qr_data(booking, request=None):
    """What the voucher's QR holds: the booking page's address, or else the code."""
    return voucher_url(booking, request) or booking.code


def qr_svg(booking, request=None):
    """The voucher's QR as an inline ``<svg>`` element (for pages)."""
    svg = traceability.qr_svg(qr_data(booking, request), box_size=8, border=2).decode("utf-8")
    if svg.startswith("<?xml"):
        svg = svg.split("?>", 1)[1]
    return mark_safe(svg.strip())  # noqa: S308 - markup drawn by qrcode from our own data


def qr_png(booking, request=None):
    return traceability.qr_png(qr_data(booking, request), box_size=8, border=2)


def context(booking, url="", extra=None):
    departure = booking.departure
    return {
        "booking": booking,
        "departure": departure,
        "product": booking.product,
        "voucher_url": url,
        "shop_name": getattr(settings, "OSCAR_SHOP_NAME", ""),
        "qr_cid": QR_CID,
        **(extra or {}),
    }


def render(kind, booking, url="", extra=None):
    """(subject, text, html) of email ``kind`` for ``booking`` (``extra``: more context, e.g.
    ``before`` for ``changed``)."""
    if kind not in KINDS:
        raise ValueError(kind)
    ctx = context(booking, url, extra)
    subject = " ".join(render_to_string(f"experiences/emails/{kind}_subject.txt", ctx).split())
    text = render_to_string(f"experiences/emails/{kind}_body.txt", ctx)
    html = render_to_string(f"experiences/emails/{kind}_body.html", ctx)
    return subject, text, html


def send(kind, booking, url="", extra=None):
    """Send email ``kind`` to the booking's contact; False when it has no email address."""
    if not booking.contact_email:
        return False
    subject, text, html = render(kind, booking, url, extra)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL,
                                     [booking.contact_email])
    message.attach_alternative(html, "text/html")
    if kind in WITH_QR:
        message.mixed_subtype = "related"
        image = MIMEImage(traceability.qr_png(url or booking.code, box_size=8, border=2), "png")
        image.add_header("Content-ID", f"<{QR_CID}>")
        image.add_header("Content-Disposition", "inline", filename=f"{booking.code}.png")
        message.attach(image)
    message.send()
    return True
