"""Comment orders ("chốt đơn"): a recognised comment holds stock until the seller confirms it.

The rules
---------
* Comments arrive pasted by the seller or from the Page webhook. The parser
  (:mod:`shop.live.comments`) finds the phone, the item code announced in the
  session and the quantity (1 when none is given).
* A readable comment for an item of the session, while the session is live,
  becomes a **hold**: its units are allocated in the one inventory
  (:func:`showroom.inventory.hold_stock`) for ``LIVE_HOLD_MINUTES`` minutes
  (setting), at the live price if the item has one and its cap has room (the
  cap is consumed atomically now), else at the list price.
* One phone and one item make at most one hold in a session: a repeated
  comment adds nothing (the database refuses a second open or confirmed hold).
* The seller works through the queue: calls the buyer, confirms name and
  address and turns the hold into an order (cash on delivery, or a VietQR
  payment link), or cancels it. A hold not confirmed in time **expires by
  itself** (every read of the queue or the overlay, and the
  ``expire_live_holds`` command, release what is due): its stock and its
  live-price units go back.
* Comments that cannot be read stay in the queue, marked, for the seller.
* Phone numbers are shown to the hold's own seller and the office only —
  never on the overlay.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shop.live import comments as parser
from shop.live import pricing
from shop.live.models import Comment, Hold, LiveSession
from showroom import inventory

Outcome = Comment.Outcome

PROBLEM_LABELS = {
    "no_phone": gettext_lazy("Không thấy số điện thoại"),
    "no_code": gettext_lazy("Không thấy mã sản phẩm"),
    "ambiguous_code": gettext_lazy("Có nhiều mã sản phẩm"),
    "bad_quantity": gettext_lazy("Số lượng không hợp lệ"),
}


def problem_label(code):
    return str(PROBLEM_LABELS.get(code, code))


def hold_minutes():
    return int(getattr(settings, "LIVE_HOLD_MINUTES", 30))


def _reference():
    return "H" + secrets.token_hex(6).upper()


def create_hold(session, offer, phone, quantity=1, comment=None, now=None):
    """Hold ``quantity`` of ``offer`` for ``phone``; returns ``(hold, outcome, note)``.

    ``outcome`` is a :class:`Comment.Outcome`; nothing is written unless it is HOLD.
    """
    now = now or timezone.now()
    if session.status != LiveSession.Status.LIVE:
        return None, Outcome.REFUSED, _("Phiên không đang phát.")
    if Hold.objects.filter(
        session=session, offer=offer, phone=phone,
        status__in=[Hold.Status.OPEN, Hold.Status.CONFIRMED],
    ).exists():
        return None, Outcome.DUPLICATE, ""
    product = offer.product
    stockrecord = product.stockrecords.order_by("pk").first()
    if stockrecord is None or stockrecord.price is None:
        return None, Outcome.REFUSED, _("Sản phẩm chưa có giá.")
    reference = _reference()
    try:
        with transaction.atomic():
            live_priced = False
            unit_price = stockrecord.price
            if offer.live_price is not None and pricing.consume_cap(offer.pk, quantity):
                live_priced, unit_price = True, offer.live_price
            hold = Hold.objects.create(
                session=session, offer=offer, comment=comment, phone=phone,
                quantity=quantity, unit_price=unit_price, live_priced=live_priced,
                expires_at=now + datetime.timedelta(minutes=hold_minutes()),
                reference=reference,
            )
            inventory.hold_stock(stockrecord, product, quantity, reference)
    except IntegrityError:
        return None, Outcome.DUPLICATE, ""
    except inventory.InventoryError as error:
        return None, Outcome.REFUSED, str(error)[:255]
    LiveSession.objects.filter(pk=session.pk).update(version=F("version") + 1)
    return hold, Outcome.HOLD, ""


def receive(session, items, source=Comment.Source.PASTE, now=None):
    """Record comments ``[(external_id, author, text), ...]``; holds for the readable ones.

    A comment already received (same source and external id) is skipped.
    Returns the new :class:`Comment` rows.
    """
    offers = {offer.code.upper(): offer for offer in session.offers.select_related("product")}
    codes = [offer.code for offer in offers.values()]
    created = []
    for external_id, author, text in items:
        text = (text or "").strip()
        if not text:
            continue
        external_id = (external_id or "")[:128]
        if external_id and Comment.objects.filter(source=source, external_id=external_id).exists():
            continue
        parsed = parser.parse_comment(text, codes)
        hold, outcome, note = None, Outcome.UNREADABLE, ""
        if not parsed.readable:
            note = "; ".join(problem_label(p) for p in parsed.problems)
            if parsed.problems == ("no_code",) or (
                parsed.code is None and parsed.phone and "ambiguous_code" not in parsed.problems
            ):
                outcome = Outcome.UNKNOWN_CODE
        try:
            with transaction.atomic():
                comment = Comment.objects.create(
                    session=session, source=source, external_id=external_id,
                    author=(author or "")[:128], text=text[:2000], outcome=outcome,
                    note=note[:255], received_at=now or timezone.now(),
                )
        except IntegrityError:
            continue  # the same webhook delivery, twice at once
        if parsed.readable:
            offer = offers[parsed.code.upper()]
            hold, outcome, note = create_hold(
                session, offer, parsed.phone, parsed.quantity or 1, comment=comment, now=now
            )
            comment.outcome, comment.note = outcome, (note or "")[:255]
            comment.handled = outcome == Outcome.DUPLICATE
            comment.save(update_fields=["outcome", "note", "handled"])
        created.append(comment)
    return created


def _release(hold, status, user=None):
    with transaction.atomic():
        locked = Hold.objects.select_for_update().get(pk=hold.pk)
        if locked.status != Hold.Status.OPEN:
            return False
        inventory.release_hold(locked.reference, user=user, reason=str(Hold.Status(status).label))
        if locked.live_priced:
            pricing.return_cap(locked.offer_id, locked.quantity)
        locked.status = status
        locked.save(update_fields=["status", "updated_at"])
    hold.status = status
    LiveSession.objects.filter(pk=hold.session_id).update(version=F("version") + 1)
    return True


def cancel(hold, user=None):
    if not _release(hold, Hold.Status.CANCELLED, user):
        raise ValidationError(_("Giữ hàng này không còn mở."), code="state")


def expire_due(now=None, session=None):
    """Release every open hold past its time; returns how many expired."""
    now = now or timezone.now()
    due = Hold.objects.filter(status=Hold.Status.OPEN, expires_at__lte=now)
    if session is not None:
        due = due.filter(session=session)
    count = 0
    for hold in due:
        count += _release(hold, Hold.Status.EXPIRED)
    return count


def queue(session):
    """What the seller works through: open holds first (soonest to expire), then the rest."""
    return (
        Hold.objects.filter(session=session)
        .select_related("offer__product", "comment", "order")
        .annotate(open_first=Case(
            When(status=Hold.Status.OPEN, then=Value(0)), default=Value(1),
            output_field=IntegerField(),
        ))
        .order_by("open_first", "expires_at", "pk")
    )
