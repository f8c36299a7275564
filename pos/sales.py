"""A till sale, priced and recorded by the server.

* **Prices** are the ``StockRecord`` price in whole đồng; the page's numbers
  are a preview. A sale whose page total (``client_total``) differs from the
  server's is taken at the server's price; the difference is stored on the
  sale (``price_difference`` = server − page, and per line in
  ``price_differences``). Tenders and change are then checked against what
  the page showed the customer, because that is the money that changed hands.
* **Discounts**: a percentage per line and one for the whole order (applied
  after line discounts, spread over the lines in proportion, the last cent —
  đồng — going by largest remainder). The effective discount of every line
  must stay within the cashier's limit (``pos.access.discount_limit``);
  above it a user with ``pos.approve_discount`` approves with their PIN or
  password.
* **Tenders**: VietQR and card-terminal amounts are exact and never rounded;
  whatever is left is paid in cash, rounded to ``POS_CASH_ROUNDING`` đồng
  (the rounding is its own line); change = handed over − rounded cash due.
* **Recording** is one transaction: the receipt number (a counter row per
  register), the Oscar order (number ``POS-<register>-<receipt>``, shipping
  code ``pos``) with its lines, discount and payment sources, the
  ``TillSale`` and its rows, and the stock moves through
  ``showroom.inventory.record_till_sale`` (never refused; may go negative and
  flag the stock for reconciliation). Everything is checked and priced before
  the transaction opens; inside it each kind of row is one statement, however
  many lines the sale has.
* **Locks, in this order** (the same for every sale, so two sales never
  deadlock):

  1. the offers' ``StockRecord`` rows (by primary key, with the combos made of
     them), then their ``Stock`` rows (by offer, then location) — taken by
     ``showroom.inventory``, whose lock order this is;
  2. last, the register's ``ReceiptCounter`` row (one ``UPDATE … RETURNING``),
     taken from inside ``record_till_sale`` once the stock rows are locked and
     before anything that carries the number is written.

  The Oscar order and its lines, shares and sources are written first, under
  a provisional number (``POS-<register>-<client uuid>``, unique as the uuid
  is), and renamed once the receipt number is known; they lock nothing another
  register waits for. So a register holds its counter only for the last few
  inserts, and registers selling different products never wait on each other:
  nothing shared by all registers (location, session, a global counter) is
  locked or updated. Registers selling the same product wait for that
  product's stock rows only.
* **Idempotent**: ``client_uuid`` is unique; sending the same sale again, in
  any order, returns the sale recorded the first time (a concurrent duplicate
  waits on the provisional order number, then finds the first one).
* **An e-invoice** (``shop.invoicing``): a sale recorded here queues its invoice from
  inside its transaction (``shop.invoicing.hooks.till_sale_recorded``); it is built and
  issued after the commit, never within the sale's queries, and a replay queues
  nothing. A buyer asking for a company invoice gives ``buyer_name``,
  ``buyer_company``, ``buyer_tax_code``, ``buyer_address``, ``buyer_email`` with the
  sale; a tax code failing the checksum refuses the sale before anything is written
  (:func:`parse_buyer`).
* **Offline sales** (``offline=True``) already happened: they are never refused
  for stock, price, an unapproved discount or a session closed meanwhile —
  they are recorded and ``review_notes`` says what to look at. Malformed
  input and access are still refused.
"""

from __future__ import annotations

import uuid as uuid_module
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from pos import access, approvals
from pos.catalogue import stock_lines
from pos.errors import ApprovalRequired, TillConflict, TillError, check_text
from pos.models import ReceiptCounter, Tender, TenderKind, TillSale, TillSaleLine, TillSession
from pos.money import HUNDRED, parse_money, parse_percent, parse_quantity
from shop.core.numbers import is_digits
from shop.invoicing import hooks as invoicing_hooks
from shop.invoicing.models import SellerProfile
from shop.money import ZERO, dong, format_vnd, round_cash
from showroom import inventory
from vendors import settlement as revenue

Order = get_model("order", "Order")
OrderLine = get_model("order", "Line")
OrderDiscount = get_model("order", "OrderDiscount")
StockRecord = get_model("partner", "StockRecord")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")

MAX_LINES = 200
ORDER_PREFIX = "POS-"
SHIPPING_CODE = "pos"


@dataclass
class PricedLine:
    stockrecord: object
    quantity: int
    unit_price: Decimal
    client_unit_price: Decimal | None
    discount_percent: Decimal
    discount: Decimal = ZERO
    order_discount_share: Decimal = ZERO

    @property
    def gross(self):
        return self.unit_price * self.quantity

    @property
    def after_line_discount(self):
        return self.gross - self.discount

    @property
    def net_total(self):
        return self.gross - self.discount - self.order_discount_share

    @property
    def effective_percent(self):
        if not self.gross:
            return ZERO
        return (self.discount + self.order_discount_share) * HUNDRED / self.gross


@dataclass
class Quote:
    lines: list
    order_discount_percent: Decimal
    subtotal: Decimal = ZERO
    line_discount_total: Decimal = ZERO
    order_discount: Decimal = ZERO
    total: Decimal = ZERO
    max_effective_percent: Decimal = ZERO
    price_differences: list = field(default_factory=list)


@dataclass
class Settlement:
    tenders: list  # [Tender (unsaved)]
    cash_rounding: Decimal
    paid_total: Decimal
    change_due: Decimal


# --- input ------------------------------------------------------------------------


def parse_lines(raw_lines):
    if not isinstance(raw_lines, list) or not raw_lines:
        raise TillError(_("Hoá đơn chưa có dòng hàng nào."), code="no_lines")
    if len(raw_lines) > MAX_LINES:
        raise TillError(_("Hoá đơn quá nhiều dòng (tối đa %(max)s).") % {"max": MAX_LINES})
    parsed = []
    for number, raw in enumerate(raw_lines, 1):
        if not isinstance(raw, dict):
            raise TillError(_("Dòng %(n)s không hợp lệ.") % {"n": number})
        label = _("Dòng %(n)s") % {"n": number}
        sr_id = raw.get("stockrecord")
        if isinstance(sr_id, bool) or not isinstance(sr_id, int) or sr_id < 1:
            raise TillError(_("%(label)s: thiếu mã hàng (stockrecord).") % {"label": label})
        parsed.append({
            "stockrecord": sr_id,
            "quantity": parse_quantity(raw.get("quantity", 1), _("%(label)s: số lượng") % {"label": label}),
            "client_unit_price": parse_money(
                raw.get("unit_price"), _("%(label)s: đơn giá") % {"label": label}, required=False
            ),
            "discount_percent": parse_percent(
                raw.get("discount_percent"), _("%(label)s: giảm giá") % {"label": label}
            ),
        })
    return parsed


BUYER_FIELDS = ("name", "company", "tax_code", "address", "email")


def parse_buyer(data, offline=False):
    """The invoice's buyer from the sale's ``buyer_*`` fields, or None when none is given;
    ``TillError`` (code ``bad_tax_code``) for a wrong tax code or e-mail — except for an
    offline sale, which already happened: its wrong fields are left out (the office can
    replace the invoice) rather than the sale refused."""
    if offline:
        try:
            return parse_buyer(data)
        except TillError:
            kept = {key: data[key] for key in ("buyer_name", "buyer_address")
                    if isinstance(data.get(key), str)}
            try:
                return parse_buyer(kept)
            except TillError:
                return None
    from shop.invoicing.taxcode import InvalidTaxCode, normalise

    if not isinstance(data, dict):
        return None
    buyer = {}
    for key in BUYER_FIELDS:
        value = data.get(f"buyer_{key}")
        if value is None:
            continue
        if not isinstance(value, str):
            raise TillError(_("Thông tin người mua không hợp lệ."), code="bad_buyer", field=f"buyer_{key}")
        buyer[key] = check_text(value.strip(), f"buyer_{key}")[:255]
    if not any(buyer.values()):
        return None
    if buyer.get("tax_code"):
        try:
            buyer["tax_code"] = normalise(buyer["tax_code"])
        except InvalidTaxCode as error:
            raise TillError(str(error), code="bad_tax_code", field="buyer_tax_code") from None
    elif buyer.get("company"):
        raise TillError(_("Hoá đơn cho đơn vị cần mã số thuế của đơn vị."), code="bad_tax_code",
                        field="buyer_tax_code")
    email = buyer.get("email")
    if email:
        from django.core.exceptions import ValidationError
        from django.core.validators import validate_email

        try:
            validate_email(email)
        except ValidationError:
            raise TillError(_("Email người mua không hợp lệ."), code="bad_buyer",
                            field="buyer_email") from None
    return buyer


def parse_tenders(raw_tenders):
    if raw_tenders is None:
        raw_tenders = []
    if not isinstance(raw_tenders, list) or len(raw_tenders) > 10:
        raise TillError(_("Danh sách thanh toán không hợp lệ."))
    tenders = []
    for raw in raw_tenders:
        if not isinstance(raw, dict) or raw.get("kind") not in TenderKind.values:
            raise TillError(
                _("Hình thức thanh toán phải là tiền mặt (cash), VietQR (vietqr) "
                  "hoặc thẻ (card_terminal).")
            )
        kind = raw["kind"]
        reference = check_text(str(raw.get("reference") or "").strip(), "reference")[:64]
        if kind == TenderKind.CASH:
            tenders.append({
                "kind": kind,
                "tendered": parse_money(raw.get("tendered"), _("Tiền khách đưa"), required=False),
                "reference": reference,
            })
        else:
            label = TenderKind(kind).label
            tenders.append({
                "kind": kind,
                "amount": parse_money(raw.get("amount"), label, allow_zero=False),
                "reference": reference,
            })
    if sum(1 for t in tenders if t["kind"] == TenderKind.CASH) > 1:
        raise TillError(_("Chỉ ghi một dòng tiền mặt cho mỗi hoá đơn."))
    return tenders


# --- pricing ----------------------------------------------------------------------


def _discount(amount, percent):
    return dong(amount * percent / HUNDRED)


def price(parsed_lines, order_discount_percent):
    """Server prices, line and order discounts; loads the offers in one query."""
    ids = {line["stockrecord"] for line in parsed_lines}
    stockrecords = {
        sr.pk: sr
        for sr in StockRecord.objects.select_related("product__product_class", "partner")
        .filter(pk__in=ids)
    }
    lines = []
    for number, raw in enumerate(parsed_lines, 1):
        sr = stockrecords.get(raw["stockrecord"])
        if sr is None:
            raise TillError(
                _("Dòng %(n)s: không có mặt hàng #%(id)s.") % {"n": number, "id": raw["stockrecord"]},
                code="unknown_offer",
            )
        if sr.price is None:
            raise TillError(
                _("“%(product)s” chưa có giá bán.") % {"product": sr.product.get_title()},
                code="no_price",
            )
        line = PricedLine(
            stockrecord=sr, quantity=raw["quantity"], unit_price=dong(sr.price),
            client_unit_price=raw["client_unit_price"], discount_percent=raw["discount_percent"],
        )
        line.discount = _discount(line.gross, line.discount_percent)
        lines.append(line)
    quote = Quote(lines=lines, order_discount_percent=order_discount_percent)
    quote.subtotal = sum((line.gross for line in lines), ZERO)
    quote.line_discount_total = sum((line.discount for line in lines), ZERO)
    after = quote.subtotal - quote.line_discount_total
    quote.order_discount = _discount(after, order_discount_percent)
    _spread(lines, quote.order_discount, after)
    quote.total = after - quote.order_discount
    quote.max_effective_percent = max((line.effective_percent for line in lines), default=ZERO)
    for line in lines:
        if line.client_unit_price is not None and line.client_unit_price != line.unit_price:
            quote.price_differences.append({
                "stockrecord": line.stockrecord.pk,
                "title": line.stockrecord.product.get_title(),
                "server_unit_price": int(line.unit_price),
                "client_unit_price": int(line.client_unit_price),
                "quantity": line.quantity,
            })
    return quote


def _spread(lines, amount, base):
    """Share ``amount`` over the lines in proportion to their value; exact to the đồng."""
    if not amount or not base:
        return
    shares = []
    for line in lines:
        exact = amount * line.after_line_discount / base
        shares.append((exact - int(exact), int(exact), line))
    given = sum(share for _frac, share, _line in shares)
    left = int(amount) - given
    shares.sort(key=lambda s: (-s[0], s[2].stockrecord.pk))
    for index, (_frac, share, line) in enumerate(shares):
        line.order_discount_share = Decimal(share + (1 if index < left else 0))


# --- discounts and approval ---------------------------------------------------------


def verify_approval(approval, location, percent, register=None):
    """The manager approving ``percent``, or ``ApprovalRequired`` (``ApprovalLocked``
    after too many wrong tries at ``register``: see ``pos.approvals``)."""
    if not isinstance(approval, dict):
        raise ApprovalRequired(_("Giảm giá vượt hạn mức: cần quản lý duyệt."))
    username = str(approval.get("manager") or "").strip()[:150]
    secret = str(approval.get("pin") or approval.get("password") or "")[:128]
    refused = ApprovalRequired(_("Quản lý hoặc mã PIN/mật khẩu không đúng."), code="approval_refused")
    if not username or not secret:
        raise refused
    manager = approvals.check(
        register, username, lambda: access.approving_manager(username, secret, location)
    )
    if manager is None:
        raise refused
    limit = access.discount_limit(manager)
    if percent > limit:
        raise ApprovalRequired(
            _("Mức giảm %(percent)s %% vượt cả hạn mức của quản lý (%(limit)s %%).")
            % {"percent": percent.quantize(Decimal("0.01")), "limit": limit},
            code="approval_refused",
        )
    return manager


def check_discounts(quote, user, location, approval, offline, notes, register=None):
    """``None`` when within the cashier's limit, else the approving manager."""
    limit = access.discount_limit(user)
    needed = quote.max_effective_percent
    if needed <= limit:
        return None
    try:
        return verify_approval(approval, location, needed, register=register)
    except ApprovalRequired as error:
        if not offline:
            error.extra["limit"] = str(limit)
            raise
        notes.append(
            _("Giảm giá %(percent)s %% vượt hạn mức %(limit)s %% chưa được duyệt: %(why)s")
            % {"percent": needed.quantize(Decimal("0.01")), "limit": limit, "why": error.message}
        )
        return None


# --- tenders ------------------------------------------------------------------------


def settle(amount_due, tenders):
    """Check the tenders against ``amount_due``; cash rounding, change and Tender rows."""
    rows = []
    noncash = ZERO
    cash = None
    for tender in tenders:
        if tender["kind"] == TenderKind.CASH:
            cash = tender
            continue
        noncash += tender["amount"]
        rows.append(Tender(kind=tender["kind"], amount=tender["amount"],
                           tendered=tender["amount"], reference=tender["reference"]))
    if noncash > amount_due:
        raise TillError(
            _("Chuyển khoản/thẻ (%(paid)s) nhiều hơn số phải trả (%(due)s).")
            % {"paid": format_vnd(noncash), "due": format_vnd(amount_due)},
            code="overpaid",
        )
    remaining = amount_due - noncash
    if not remaining:
        if cash is not None and cash["tendered"]:
            raise TillError(_("Hoá đơn đã được trả đủ, không cần thu tiền mặt."), code="overpaid")
        return Settlement(rows, ZERO, noncash, ZERO)
    if cash is None:
        raise TillError(
            _("Còn thiếu %(left)s.") % {"left": format_vnd(remaining)}, code="underpaid",
        )
    cash_due = round_cash(remaining)
    tendered = cash["tendered"] if cash["tendered"] is not None else cash_due
    if tendered < cash_due:
        raise TillError(
            _("Khách đưa %(given)s, cần ít nhất %(due)s tiền mặt.")
            % {"given": format_vnd(tendered), "due": format_vnd(cash_due)},
            code="underpaid",
        )
    change = tendered - cash_due
    rows.append(Tender(kind=TenderKind.CASH, amount=cash_due, tendered=tendered, change=change,
                       reference=cash["reference"]))
    return Settlement(rows, cash_due - remaining, noncash + cash_due, change)


# --- recording ----------------------------------------------------------------------


def parse_uuid(value):
    try:
        return uuid_module.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        raise TillError(_("Mã hoá đơn của máy quầy (client_uuid) không hợp lệ."), code="bad_uuid") from None


def _rung_at(value, session, now):
    if not value:
        return now
    moment = parse_datetime(str(value)) if not hasattr(value, "tzinfo") else value
    if moment is None:
        raise TillError(_("Thời điểm bán (rung_at) không hợp lệ."))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    # A clock that is off is not the customer's fault: keep it within the session and now.
    return min(max(moment, session.opened_at), now + timedelta(minutes=5))


def next_receipt_number(register):
    """Take the next number of ``register``: its counter row is updated (and so
    locked until commit) in one statement."""
    counter = ReceiptCounter._meta
    table = connection.ops.quote_name(counter.db_table)
    column = connection.ops.quote_name(counter.get_field("last_number").column)
    key = connection.ops.quote_name(counter.get_field("register").column)
    sql = f"UPDATE {table} SET {column} = {column} + 1 WHERE {key} = %s RETURNING {column}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [register.pk])
        row = cursor.fetchone()
        if row is None:  # the register's first sale
            ReceiptCounter.objects.get_or_create(register=register)
            cursor.execute(sql, [register.pk])
            row = cursor.fetchone()
    return row[0]


def existing_sale(client_uuid, register):
    sale = sale_queryset().filter(client_uuid=client_uuid).first()
    if sale is not None and sale.register_id != register.pk:
        raise TillConflict(
            _("Mã hoá đơn này đã được dùng ở một quầy khác."), code="uuid_elsewhere",
        )
    return sale


@dataclass
class Known:
    """What one query told before the sale: the id of a sale already recorded under
    its ``client_uuid`` (or None), the payment source type id of each tender kind
    (None when that type is still to be made), and whether the location issues
    e-invoices (so a point that does not queues no invoice task)."""

    sale_id: int | None
    source_type_ids: dict
    invoicing: bool = True  # the location has an active e-invoice seller profile


SOURCE_TYPE_CODES = {
    TenderKind.CASH: "pos-cash",
    TenderKind.VIETQR: "pos-vietqr",
    TenderKind.CARD_TERMINAL: "pos-card-terminal",
}


def session_with_known_sale(register_id, session_id, client_uuid):
    """``(session, Known)`` in one query — the session with its register and location,
    a sale already recorded under ``client_uuid``, the tender kinds' source types — or
    ``(None, None)`` when the input does not name a session of that register (the
    caller then refuses it the usual way)."""
    try:
        client_uuid = uuid_module.UUID(str(client_uuid))
    except (TypeError, ValueError, AttributeError):
        return None, None
    if isinstance(session_id, bool) or not isinstance(session_id, int):
        return None, None
    types = {
        f"source_type_{kind}": Subquery(SourceType.objects.filter(code=code).values("pk")[:1])
        for kind, code in SOURCE_TYPE_CODES.items()
    }
    session = (
        TillSession.objects.select_related("register__location")
        .filter(pk=session_id, register_id=register_id)
        .annotate(known_sale_id=Subquery(
            TillSale.objects.filter(client_uuid=client_uuid).values("pk")[:1]
        ), invoicing=Exists(SellerProfile.objects.filter(
            location_id=OuterRef("register__location_id"), active=True,
        )), **types)
        .first()
    )
    if session is None:
        return None, None
    return session, Known(
        sale_id=session.known_sale_id,
        source_type_ids={kind: getattr(session, f"source_type_{kind}") for kind in SOURCE_TYPE_CODES},
        invoicing=session.invoicing,
    )


def record_sale(*, register, session, user, client_uuid, lines, tenders,
                order_discount_percent=None, client_total=None, approval=None,
                offline=False, rung_at=None, known=None, buyer=None):
    """Record one sale (see the module docstring); returns ``(sale, created)``.

    ``known``: what ``session_with_known_sale`` found, so the replay check and the
    source types need no query of their own; left out, they are looked up here.
    ``buyer``: the invoice's buyer (:func:`parse_buyer`), for a new sale only.
    """
    client_uuid = parse_uuid(client_uuid)
    if known is None or known.sale_id is not None:
        found = existing_sale(client_uuid, register)
        if found is not None:
            return found, False
    if session.register_id != register.pk:
        raise TillError(_("Ca này không thuộc quầy %(code)s.") % {"code": register.code})
    notes = []
    now = timezone.now()
    if not session.is_open:
        moment = _rung_at(rung_at, session, now) if rung_at else None
        if not offline or moment is None or moment > session.closed_at:
            raise TillConflict(
                _("Ca #%(pk)s đã đóng; hãy mở ca mới.") % {"pk": session.pk}, code="session_closed",
            )
        notes.append(_("Hoá đơn bán lúc mất mạng, đồng bộ sau khi ca đã đóng."))
    parsed = parse_lines(lines)
    tender_input = parse_tenders(tenders)
    order_pct = parse_percent(order_discount_percent, _("Giảm giá cả đơn"))
    client_total = parse_money(client_total, _("Tổng theo máy quầy"), required=False)
    quote = price(parsed, order_pct)
    manager = check_discounts(quote, user, register.location, approval, offline, notes,
                              register=register)
    # The money changed hands on the page's figures; the order is at the server's.
    basis = quote.total
    if client_total is not None and client_total != quote.total:
        basis = client_total
        notes.append(
            _("Máy quầy tính %(client)s, máy chủ tính %(server)s.")
            % {"client": format_vnd(client_total), "server": format_vnd(quote.total)}
        )
    settlement = settle(basis, tender_input)
    moment = _rung_at(rung_at, session, now)
    types = _source_types(known) if settlement.tenders else {}
    try:
        with transaction.atomic():
            sale = _write(register, session, user, client_uuid, quote, settlement, manager,
                          client_total, notes, offline, moment, types)
            if known is None or known.invoicing:
                invoicing_hooks.till_sale_recorded(sale, buyer)
    except IntegrityError:
        found = existing_sale(client_uuid, register)
        if found is None:
            raise
        return found, False
    return sale, True


def _source_types(known=None):
    """Oscar's payment source type id of each tender kind; read before the sale's
    transaction, and made (once, in a transaction of its own) when missing, so a
    sale never holds a lock on these rows that all registers share."""
    ids = dict(known.source_type_ids) if known is not None else {}
    if not ids or None in ids.values():
        found = dict(SourceType.objects.filter(code__in=SOURCE_TYPE_CODES.values())
                     .values_list("code", "pk"))
        for kind, code in SOURCE_TYPE_CODES.items():
            if code not in found:
                with transaction.atomic():
                    found[code] = SourceType.objects.get_or_create(
                        code=code, defaults={"name": str(TenderKind(kind).label)}
                    )[0].pk
            ids[kind] = found[code]
    return ids


def _write(register, session, user, client_uuid, quote, settlement, manager, client_total,
           notes, offline, moment, types):
    """The sale's rows, in the lock order of the module docstring."""
    location = register.location
    # 1. The Oscar order, its lines, shares, discount and sources: new rows only, under a
    #    provisional number (a double submit waits here on the unique number, then fails).
    order = Order.objects.create(
        number=f"{ORDER_PREFIX}{register.code}-{client_uuid.hex}",
        site_id=getattr(settings, "SITE_ID", None),
        currency=getattr(settings, "OSCAR_DEFAULT_CURRENCY", "VND"),
        total_incl_tax=quote.total, total_excl_tax=quote.total,
        shipping_incl_tax=ZERO, shipping_excl_tax=ZERO,
        shipping_method=_("Bán tại quầy %(location)s") % {"location": location.name},
        shipping_code=SHIPPING_CODE,
        status=getattr(settings, "POS_ORDER_STATUS", "Complete"),
        date_placed=moment,
    )
    order_lines = OrderLine.objects.bulk_create([
        OrderLine(
            order=order, partner=line.stockrecord.partner,
            partner_name=line.stockrecord.partner.name if line.stockrecord.partner_id else "",
            partner_sku=line.stockrecord.partner_sku, stockrecord=line.stockrecord,
            product=line.stockrecord.product, title=line.stockrecord.product.get_title()[:255],
            upc=line.stockrecord.product.upc, quantity=line.quantity,
            line_price_incl_tax=line.net_total, line_price_excl_tax=line.net_total,
            line_price_before_discounts_incl_tax=line.gross,
            line_price_before_discounts_excl_tax=line.gross,
            unit_price_incl_tax=line.unit_price, unit_price_excl_tax=line.unit_price,
            num_allocated=0,
        )
        for line in quote.lines
    ])
    revenue.record_shares(order_lines)
    discount = quote.line_discount_total + quote.order_discount
    if discount:
        OrderDiscount.objects.create(
            order=order, category="Basket", offer_name=_("Giảm giá tại quầy"), amount=discount,
            message=_("Giảm theo dòng %(lines)s, giảm cả đơn %(order)s")
            % {"lines": format_vnd(quote.line_discount_total), "order": format_vnd(quote.order_discount)},
        )
    if settlement.tenders:
        Source.objects.bulk_create([
            Source(order=order, source_type_id=types[t.kind], currency=order.currency,
                   amount_allocated=t.amount, amount_debited=t.amount,
                   reference=t.reference[:255], label=str(TenderKind(t.kind).label))
            for t in settlement.tenders
        ])

    # 2. The stock: the offers' and stock rows are locked, then — 3. — the receipt number
    #    is taken (the counter row, locked last), then the stock and the ledger are written.
    taken = {}

    def receipt_label():
        taken["number"] = next_receipt_number(register)
        return f"{register.code}-{taken['number']:06d}"

    moves = []
    for line in quote.lines:
        moves.extend(stock_lines(line.stockrecord, line.quantity))
    inventory.record_till_sale(location, moves, reference=receipt_label, user=user)
    number = taken["number"]
    label = f"{register.code}-{number:06d}"

    # 4. What carries the number: the order's final number, the sale, its lines and tenders.
    order.number = f"{ORDER_PREFIX}{label}"
    Order.objects.filter(pk=order.pk).update(number=order.number)
    sale = TillSale.objects.create(
        client_uuid=client_uuid, session=session, register=register, location=location,
        cashier=user, receipt_number=number, order=order,
        subtotal=quote.subtotal, line_discount_total=quote.line_discount_total,
        order_discount_percent=quote.order_discount_percent, order_discount=quote.order_discount,
        total=quote.total, cash_rounding=settlement.cash_rounding,
        paid_total=settlement.paid_total, change_due=settlement.change_due,
        client_total=client_total,
        price_difference=(quote.total - client_total) if client_total is not None else ZERO,
        price_differences=quote.price_differences, review_notes=[str(n) for n in notes],
        discount_approved_by=manager, was_offline=bool(offline), rung_at=moment,
    )
    sale_lines = TillSaleLine.objects.bulk_create([
        TillSaleLine(
            sale=sale, stockrecord=line.stockrecord, product=line.stockrecord.product,
            order_line=order_line, title=line.stockrecord.product.get_title()[:255],
            code=(line.stockrecord.product.upc or "")[:64],
            ocop_stars=line.stockrecord.product.ocop_stars, quantity=line.quantity,
            unit_price=line.unit_price, client_unit_price=line.client_unit_price,
            discount_percent=line.discount_percent, discount=line.discount,
            order_discount_share=line.order_discount_share, net_total=line.net_total,
        )
        for line, order_line in zip(quote.lines, order_lines, strict=True)
    ])
    for tender in settlement.tenders:
        tender.sale = sale
    Tender.objects.bulk_create(settlement.tenders)
    # What the receipt shows is what was just written: no need to read it back.
    sale._prefetched_objects_cache = {
        "lines": _known(sale.lines, sale_lines), "tenders": _known(sale.tenders, settlement.tenders),
    }
    return sale


def _known(manager, rows):
    """A queryset of ``manager`` whose rows are already known (as a prefetch would leave it)."""
    queryset = manager.all()
    queryset._result_cache = list(rows)
    queryset._prefetch_done = True
    return queryset


def sale_queryset():
    return TillSale.objects.select_related(
        "register__location", "location", "session", "cashier", "order", "discount_approved_by",
    ).prefetch_related("lines", "tenders")


def find_sale(register, receipt):
    """A sale of ``register``'s location by receipt label (``CODE-000123``) or number."""
    receipt = str(receipt or "").strip()
    qs = sale_queryset().filter(location_id=register.location_id)
    if "-" in receipt:
        code, _sep, number = receipt.rpartition("-")
        qs = qs.filter(register__code=code)
    else:
        number = receipt
        qs = qs.filter(register=register)
    if not is_digits(number) or len(number) > 9:
        raise TillError(_("Số hoá đơn không hợp lệ: “%(receipt)s”.") % {"receipt": receipt[:32]})
    sale = qs.filter(receipt_number=int(number)).first()
    if sale is None:
        from pos.errors import TillNotFound

        raise TillNotFound(
            _("Không tìm thấy hoá đơn “%(receipt)s” ở điểm bán này.") % {"receipt": receipt[:32]}
        )
    return sale


def session_for(register, session_id):
    try:
        session_id = int(session_id)
    except (TypeError, ValueError):
        raise TillError(_("Thiếu ca bán hàng (session).")) from None
    session = TillSession.objects.filter(pk=session_id, register=register).first()
    if session is None:
        raise TillError(_("Ca #%(pk)s không thuộc quầy %(code)s.") % {"pk": session_id, "code": register.code})
    return session
