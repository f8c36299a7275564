"""Till sessions: open with a counted float, cash in/out, close with a count; the Z-report.

Z-report arithmetic (cash only; other tenders are listed, never counted)::

    expected cash = opening float + cash taken for sales − cash refunded
                    + cash put in − cash taken out
    variance      = counted cash − expected cash

"Cash taken for a sale" is what stays in the drawer: the rounded cash due,
i.e. what the customer handed over minus the change. A sale belongs to the
session it was rung up in, even when it synced after the session closed; such
late sales are counted in the live report and listed as ``late_sales``.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from pos.errors import TillConflict, TillError, check_text
from pos.models import CashMovement, Tender, TenderKind, TillReturn, TillSale, TillSession
from pos.money import parse_money
from shop import money
from shop.money import ZERO


def open_session(register, user, opening_float):
    """Open a session on ``register``; one open session per register (409 otherwise)."""
    opening_float = parse_money(opening_float, _("Tiền đầu ca"))
    if TillSession.objects.filter(register=register, status=TillSession.Status.OPEN).exists():
        raise TillConflict(
            _("Quầy %(code)s đang có ca mở; hãy đóng ca đó trước.") % {"code": register.code},
            code="session_open",
        )
    try:
        with transaction.atomic():
            return TillSession.objects.create(
                register=register, cashier=user, opening_float=opening_float
            )
    except IntegrityError:
        raise TillConflict(
            _("Quầy %(code)s đang có ca mở; hãy đóng ca đó trước.") % {"code": register.code},
            code="session_open",
        ) from None


def lock_session(session):
    return TillSession.objects.select_for_update().select_related("register__location").get(
        pk=session.pk
    )


def check_open(session):
    if not session.is_open:
        raise TillConflict(_("Ca #%(pk)s đã đóng.") % {"pk": session.pk}, code="session_closed")
    return session


def add_cash_movement(session, user, kind, amount, reason):
    """Cash put in (``in``) or taken out (``out``) of the drawer, with a reason."""
    if kind not in CashMovement.Kind.values:
        raise TillError(_("Loại thu/chi phải là “in” (nộp vào) hoặc “out” (rút ra)."))
    amount = parse_money(amount, _("Số tiền"), allow_zero=False)
    reason = check_text(str(reason or "").strip(), "reason")
    if not reason:
        raise TillError(_("Hãy ghi lý do nộp/rút tiền."), code="reason_required")
    with transaction.atomic():
        session = check_open(lock_session(session))
        if kind == CashMovement.Kind.OUT:
            available = z_report(session)["expected_cash"]
            if amount > available:
                raise TillError(
                    _("Trong két chỉ có %(available)s ₫ theo sổ, không rút được %(amount)s ₫.")
                    % {"available": money.group_digits(available),
                       "amount": money.group_digits(amount)}
                )
        return CashMovement.objects.create(
            session=session, kind=kind, amount=amount, reason=reason[:255], user=user
        )


def close_session(session, user, counted_cash, note=""):
    """Close ``session`` with the counted cash; returns the Z-report."""
    counted_cash = parse_money(counted_cash, _("Tiền mặt đếm được"))
    note = check_text(str(note or "").strip(), "note")
    with transaction.atomic():
        session = check_open(lock_session(session))
        report = z_report(session)
        session.status = TillSession.Status.CLOSED
        session.closed_at = timezone.now()
        session.closed_by = user
        session.counted_cash = counted_cash
        session.expected_cash = report["expected_cash"]
        session.note = note[:255]
        session.save(update_fields=[
            "status", "closed_at", "closed_by", "counted_cash", "expected_cash", "note",
        ])
    return z_report(session)


def _sum(qs, field):
    return qs.aggregate(total=Sum(field))["total"] or ZERO


def z_report(session):
    """The figures of a session (see the module docstring for the arithmetic)."""
    sales = TillSale.objects.filter(session=session)
    totals = sales.aggregate(
        count=Count("pk"),
        subtotal=Sum("subtotal"),
        total=Sum("total"),
        line_discounts=Sum("line_discount_total"),
        order_discounts=Sum("order_discount"),
        rounding=Sum("cash_rounding"),
        price_difference=Sum("price_difference"),
        **(
            {"late": Count("pk", filter=Q(created_at__gt=session.closed_at))}
            if session.closed_at else {}
        ),
    )
    by_tender = {kind: ZERO for kind in TenderKind.values}
    for row in (
        Tender.objects.filter(sale__session=session).values("kind").annotate(total=Sum("amount"))
    ):
        by_tender[row["kind"]] = row["total"] or ZERO
    returns = TillReturn.objects.filter(session=session)
    refunds = {kind: ZERO for kind in TenderKind.values}
    return_count = 0
    for row in returns.values("refund_kind").annotate(
        total=Sum("refund_total"), rounding=Sum("cash_rounding"), n=Count("pk")
    ):
        refunds[row["refund_kind"]] = (row["total"] or ZERO) + (row["rounding"] or ZERO)
        return_count += row["n"]
    movements = {kind: ZERO for kind in CashMovement.Kind.values}
    for row in (
        CashMovement.objects.filter(session=session).values("kind").annotate(total=Sum("amount"))
    ):
        movements[row["kind"]] = row["total"] or ZERO
    expected = (
        session.opening_float
        + by_tender[TenderKind.CASH]
        - refunds[TenderKind.CASH]
        + movements[CashMovement.Kind.IN]
        - movements[CashMovement.Kind.OUT]
    )
    counted = session.counted_cash
    return {
        "session": session.pk,
        "register": session.register.code,
        "location": session.register.location.name,
        "status": session.status,
        "opened_at": session.opened_at,
        "closed_at": session.closed_at,
        "opening_float": session.opening_float,
        "sales_count": totals["count"] or 0,
        "sales_subtotal": totals["subtotal"] or ZERO,
        "sales_total": totals["total"] or ZERO,
        "line_discounts": totals["line_discounts"] or ZERO,
        "order_discounts": totals["order_discounts"] or ZERO,
        "discounts": (totals["line_discounts"] or ZERO) + (totals["order_discounts"] or ZERO),
        "cash_rounding": totals["rounding"] or ZERO,
        "price_difference": totals["price_difference"] or ZERO,
        "late_sales": totals.get("late") or 0,
        "tenders": by_tender,
        "returns_count": return_count,
        "refunds": refunds,
        "returns_total": sum(refunds.values(), ZERO),
        "cash_in": movements[CashMovement.Kind.IN],
        "cash_out": movements[CashMovement.Kind.OUT],
        "expected_cash": expected,
        "counted_cash": counted,
        "variance": (counted - expected) if counted is not None else None,
        "expected_cash_at_close": session.expected_cash,
    }
