"""The invoice of a till sale, of a paid online order, and the adjustment of a till return.

Rules:

* **Seller**: the ``SellerProfile`` of the sale's location (an online order: of the
  first location selling online, by ``priority``, that has an active profile). No
  active profile → no invoice (``None``): that sales point does not invoice yet.
* **Once**: an original invoice per till sale and per order (a database constraint);
  building again returns the one already made, also when two builders race.
* **Lines** come from the sale's lines: name, unit (the product's ``unit`` if it has
  one, else "cái"), quantity, unit price as on the shelf (VAT included), discount =
  the line's own discount + its share of the order discount as the till spread it
  (``pos.sales``), so each line's total is the line's net total and the lines add up
  to the sale's total to the đồng (cash rounding is a payment matter, not on the
  invoice).
* **VAT rate** of the sale's day from the product's ``vat_category`` /
  ``vat_reduction_excluded`` (``shop.invoicing.vat.rate``). A gift combo takes its
  components' rates: when they differ the combo line becomes one line per rate
  ("<combo> — phần thuế suất X %"), the unit price and the net total each shared by
  ``vat.combo_parts`` (so the parts add up exactly to the combo line); a combo whose
  components share one rate stays one line at that rate.
* **Amounts**: VAT per line = ``vat.vat_included(line total, rate)``; amount before
  VAT = line total − VAT; the invoice's totals are the sums of its lines, and
  ``total_in_words`` spells the total.
* **Date**: a till sale's invoice is dated with the time of the sale (``sold_at`` =
  ``rung_at``; Decree 123/2020 art. 9: a cash-register invoice's date is the time of
  the sale), also for a sale rung offline and synced later — never the sync day. Other
  invoices are dated the day they are issued.
* **Serial's year**: the two digits after the letter C/K of the serial are the year the
  invoice is made in (Decree 123/2020 art. 4 and Circular 78/2021: ``1C26MDH`` in
  2026, ``1C27MDH`` from 1 January 2027). The office keeps one serial per sales point
  (``SellerProfile.serial``); each invoice takes it with the year of its own date
  (:func:`serial_for`): a till sale's time (a sale rung on 31 December and synced on 1
  January keeps the old year), else the day it is built. A serial not of that shape is
  used as it is.
* **Payment method** from what was paid: "Tiền mặt", "Chuyển khoản", "Thẻ", joined
  with "/" when several ("Tiền mặt/Chuyển khoản").
* **An online order's buyer**: the person and address of the order; when the buyer
  asked for a company invoice at checkout (``InvoiceRequest``, ``shop.invoicing.company_invoice``)
  its company, tax code, address and email. An order whose buyer asked to consolidate,
  or already in a consolidated invoice, gets no invoice of its own
  (``shop.invoicing.consolidation``).
* **Buyer** (optional): ``dict(name, company, tax_code, id_number, address, email)``;
  a tax code is stored as ``taxcode.normalise`` prints it (the till refuses a wrong one
  before the sale is written).
* **A till return** gives an ADJUSTMENT invoice referencing the sale's original (none
  → none): one line per returned line (per rate part for a combo) with negative
  quantity and amounts = the money given back, and the return's reason.

The invoice's content is the legal Vietnamese document, so its texts are not
translated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from shop.invoicing import taxcode, vat, words
from shop.invoicing.models import (
    ConsolidatedOrder,
    Invoice,
    InvoiceLine,
    InvoiceRequest,
    SellerProfile,
)

DEFAULT_UNIT = "cái"
SHIPPING_NAME = "Phí vận chuyển"
PAYMENT_TEXTS = {
    "cash": "Tiền mặt",
    "vietqr": "Chuyển khoản",
    "card_terminal": "Thẻ",
    "card": "Thẻ",
    "cod": "Tiền mặt",
}
BUYER_FIELDS = ("name", "company", "tax_code", "id_number", "address", "email")
ZERO = Decimal(0)


@dataclass
class Row:
    name: str
    unit: str
    quantity: int
    unit_price: Decimal
    discount: Decimal
    rate: object  # int percent or "exempt" / "undeclared"

    @property
    def total(self):
        return self.unit_price * self.quantity - self.discount


# --- helpers --------------------------------------------------------------------------


def payment_text(kinds):
    texts = []
    for kind in kinds:
        text = PAYMENT_TEXTS.get(kind)
        if text and text not in texts:
            texts.append(text)
    return "/".join(texts) or PAYMENT_TEXTS["cash"]


def profile_for(location_id):
    if location_id is None:
        return None
    return SellerProfile.objects.filter(location_id=location_id, active=True).first()


def online_profile():
    return (
        SellerProfile.objects.filter(active=True, location__sells_online=True)
        .select_related("location").order_by("location__priority", "location__code").first()
    )


def clean_buyer(buyer):
    buyer = {key: str((buyer or {}).get(key) or "").strip() for key in BUYER_FIELDS}
    if buyer["tax_code"]:
        buyer["tax_code"] = taxcode.normalise(buyer["tax_code"])
    return buyer


def unit_of(product):
    unit = getattr(product, "unit", "") if product is not None else ""
    return str(unit or DEFAULT_UNIT)[:32]


def product_rate(product, day):
    return vat.rate(product.vat_category, day, product.vat_reduction_excluded)


def combo_components(product):
    """``[(category, alcohol, list price, quantity)]`` of a gift combo, or []."""
    if product is None:
        return []
    return [
        (c.component.product.vat_category, c.component.product.vat_reduction_excluded,
         c.component.price or ZERO, c.quantity)
        for c in product.combo_components.select_related("component__product")
    ]


def rows_for(name, product, quantity, unit_price, net_total, day, sign=1):
    """The invoice rows of one sold (``sign`` 1) or returned (``sign`` −1) line:
    ``quantity`` × ``unit_price`` less discounts = ``net_total`` (all ≥ 0 here)."""
    unit = unit_of(product)
    gross = unit_price * quantity
    components = combo_components(product)
    if components:
        unit_parts = vat.combo_parts(unit_price, components, day)
        net_parts = dict(vat.combo_parts(net_total, components, day))
        if len(unit_parts) > 1:
            rows = []
            for rate, unit_part in unit_parts:
                label = rate if isinstance(rate, str) else f"{rate} %"
                part_net = net_parts[rate]
                rows.append(Row(
                    f"{name} — phần thuế suất {label}"[:255], unit, sign * quantity, unit_part,
                    sign * (unit_part * quantity - part_net), rate,
                ))
            return rows
        rate = unit_parts[0][0]
    elif product is not None:
        rate = product_rate(product, day)
    else:
        rate = vat.rate(vat.TEN, day)
    return [Row(name[:255], unit, sign * quantity, unit_price, sign * (gross - net_total), rate)]


def _write(invoice, rows):
    """Fill ``invoice``'s totals from ``rows``, save it and its lines."""
    lines = []
    for position, row in enumerate(rows, 1):
        total = row.total
        tax = vat.vat_included(total, row.rate)
        lines.append(InvoiceLine(
            position=position, name=row.name, unit=row.unit, quantity=row.quantity,
            unit_price=row.unit_price, discount=row.discount, vat_rate=str(row.rate),
            amount_before_vat=total - tax, vat=tax, total=total,
        ))
    invoice.total = sum((line.total for line in lines), ZERO)
    invoice.vat_total = sum((line.vat for line in lines), ZERO)
    invoice.amount_before_vat = invoice.total - invoice.vat_total
    invoice.discount_total = sum((line.discount for line in lines), ZERO)
    invoice.total_in_words = words.amount_in_words(invoice.total)
    invoice.save()
    for line in lines:
        line.invoice = invoice
    InvoiceLine.objects.bulk_create(lines)
    return invoice


# [form digit] C|K, two digits of the year, three letters/digits of the seller (TT78/2021)
SERIAL = re.compile(r"(?P<form>[0-9]?)(?P<kind>[CK])(?P<year>[0-9]{2})(?P<rest>[A-Z0-9]{3})")


def serial_for(serial, day=None):
    """``serial`` with the year of ``day`` (default: today in Việt Nam), e.g.
    ``serial_for("C26MDH", date(2027, 1, 1)) == "C27MDH"``; any other shape unchanged."""
    day = day or timezone.localdate()
    match = SERIAL.fullmatch((serial or "").strip().upper())
    if match is None:
        return serial
    return f"{match['form']}{match['kind']}{day.year % 100:02d}{match['rest']}"


def _new_invoice(profile, buyer, **fields):
    buyer = clean_buyer(buyer)
    sold_at = fields.get("sold_at")
    day = timezone.localdate(sold_at) if sold_at else timezone.localdate()
    return Invoice(
        location_id=profile.location_id, invoice_form=profile.invoice_form,
        serial=serial_for(profile.serial, day), seller_name=profile.legal_name,
        seller_tax_code=profile.tax_code, seller_address=profile.address,
        **{f"buyer_{key}": value for key, value in buyer.items()}, **fields,
    )


def _create_once(find, build):
    """``find()`` the existing invoice or make it with ``build()``; a concurrent maker's
    invoice wins (the unique constraint), and is returned."""
    existing = find()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return build()
    except IntegrityError:
        existing = find()
        if existing is None:
            raise
        return existing


# --- till sale ------------------------------------------------------------------------


def invoice_for_till_sale(sale, buyer=None):
    """The original invoice of till ``sale`` (PENDING when new), or None (no seller)."""

    def find():
        return Invoice.objects.filter(till_sale_id=sale.pk, kind=Invoice.Kind.ORIGINAL).first()

    def build():
        profile = profile_for(sale.location_id)
        if profile is None:
            return None
        day = timezone.localdate(sale.rung_at)
        rows = []
        for line in sale.lines.select_related("product"):
            rows.extend(rows_for(line.title, line.product, line.quantity, line.unit_price,
                                 line.net_total, day))
        invoice = _new_invoice(
            profile, buyer, kind=Invoice.Kind.ORIGINAL, till_sale=sale, sold_at=sale.rung_at,
            payment_method=payment_text(sale.tenders.values_list("kind", flat=True)),
        )
        return _write(invoice, rows)

    return _create_once(find, build)


# --- online order ---------------------------------------------------------------------


def _order_buyer(order):
    address = getattr(order, "billing_address", None) or getattr(order, "shipping_address", None)
    buyer = {"email": order.email or ""}
    if address is not None:
        buyer["name"] = address.name
        buyer["address"] = ", ".join(address.active_address_fields()[1:])[:255] if hasattr(
            address, "active_address_fields") else ""
    return buyer


def order_request(order):
    """The order's ``InvoiceRequest`` (a company invoice asked at checkout), or None."""
    return InvoiceRequest.objects.filter(order_id=order.pk).first()


def order_buyer(order, request=None):
    """The buyer of an online order's invoice: the person and address of the order, the
    company of its ``InvoiceRequest`` when one was asked (its address and email first)."""
    buyer = _order_buyer(order)
    if request is not None:
        buyer.update({key: value for key, value in request.as_buyer().items() if value})
    return buyer


def order_rows(order):
    """The invoice rows of online ``order`` (VAT rates of the day it was placed); they
    add up to the order's total to the đồng."""
    day = timezone.localdate(order.date_placed or timezone.now())
    rows = []
    for line in order.lines.select_related("product"):
        net = Decimal(line.line_price_incl_tax)
        unit_price = Decimal(line.unit_price_incl_tax)
        # Oscar's unit price may already be discounted: the discount is what is left.
        before = Decimal(line.line_price_before_discounts_incl_tax or unit_price * line.quantity)
        if before != unit_price * line.quantity and line.quantity:
            unit_price = before / line.quantity
            if unit_price != unit_price.to_integral_value():
                unit_price = Decimal(line.unit_price_incl_tax)
        rows.extend(rows_for(line.title, line.product, line.quantity, unit_price, net, day))
    shipping = Decimal(order.shipping_incl_tax or 0)
    if shipping:
        rows.append(Row(SHIPPING_NAME, "lần", 1, shipping, ZERO, vat.rate(vat.TEN, day)))
    # Whatever the lines leave out (an order-wide discount) goes to the largest line.
    left = sum((row.total for row in rows), ZERO) - Decimal(order.total_incl_tax)
    if left and rows:
        biggest = max(rows, key=lambda row: row.total)
        biggest.discount += left
    return rows


def order_payment_text(order):
    from shop.payment.models import OrderPayment

    payment = OrderPayment.objects.filter(order=order).first()
    return payment_text([payment.method] if payment else [])


def invoice_for_order(order, buyer=None):
    """The original invoice of online ``order`` (PENDING when new), or None: no seller,
    or the order waits for / is in a consolidated invoice (its buyer asked for one)."""

    def find():
        return Invoice.objects.filter(order_id=order.pk, kind=Invoice.Kind.ORIGINAL).first()

    def build():
        profile = online_profile()
        if profile is None:
            return None
        request = order_request(order)
        if request is not None and request.consolidate:
            return None
        # the order's row lock: a consolidation taking this order waits, or went first
        type(order).objects.select_for_update().filter(pk=order.pk).first()
        if ConsolidatedOrder.objects.filter(order_id=order.pk).exists():
            return None
        merged = order_buyer(order, request)
        merged.update({k: v for k, v in (buyer or {}).items() if v})
        invoice = _new_invoice(profile, merged, kind=Invoice.Kind.ORIGINAL, order=order,
                               payment_method=order_payment_text(order))
        return _write(invoice, order_rows(order))

    return _create_once(find, build)


# --- till return ----------------------------------------------------------------------


def adjustment_for_till_return(till_return):
    """The adjusting invoice of ``till_return`` (negative lines), or None when the sale
    has no invoice."""

    def find():
        return Invoice.objects.filter(till_return_id=till_return.pk).first()

    def build():
        sale = till_return.sale
        original = Invoice.objects.filter(till_sale_id=sale.pk, kind=Invoice.Kind.ORIGINAL).first()
        if original is None:
            return None
        day = timezone.localdate(sale.rung_at)
        rows = []
        for rl in till_return.lines.select_related("sale_line__product"):
            line = rl.sale_line
            rows.extend(rows_for(line.title, line.product, rl.quantity, line.unit_price,
                                 Decimal(rl.amount), day, sign=-1))
        reason = till_return.reason or f"Trả hàng theo phiếu trả #{till_return.pk}"
        profile = profile_for(original.location_id)
        invoice = Invoice(
            kind=Invoice.Kind.ADJUSTMENT, original=original, till_sale=sale,
            till_return=till_return, reason=reason[:255], location_id=original.location_id,
            invoice_form=profile.invoice_form if profile else original.invoice_form,
            serial=serial_for(profile.serial if profile else original.serial),
            payment_method=payment_text([till_return.refund_kind]),
            **{f: getattr(original, f) for f in (
                "seller_name", "seller_tax_code", "seller_address", "buyer_name",
                "buyer_company", "buyer_tax_code", "buyer_id_number", "buyer_address",
                "buyer_email")},
        )
        return _write(invoice, rows)

    return _create_once(find, build)


# --- what a receipt, the order page and the email show --------------------------------

LOOKUP_URL = "https://hoadondientu.gdt.gov.vn/"  # the tax authority's look-up portal


def lookup_url(invoice):
    """Where the buyer looks the invoice up: ``settings.INVOICE_LOOKUP_URL`` (the
    provider's page) with the look-up code, else the tax authority's portal."""
    from urllib.parse import urlencode

    from django.conf import settings

    base = getattr(settings, "INVOICE_LOOKUP_URL", "") or LOOKUP_URL
    if not invoice.lookup_code:
        return base
    return f"{base}{'&' if '?' in base else '?'}{urlencode({'ma': invoice.lookup_code})}"


def summary(invoice):
    """The invoice as a receipt shows it: ``None`` without one; ``{"pending": True}`` while
    it is not issued; else its label (form+serial and 8-digit number), the tax
    authority's code, the look-up code, URL and QR code (inline SVG)."""
    if invoice is None or invoice.status == Invoice.Status.CANCELLED:
        return None
    if invoice.status != Invoice.Status.ISSUED or not invoice.number:
        return {"pending": True, "invoice": invoice}
    from shop.payment.vietqr import qr_svg

    url = lookup_url(invoice)
    return {
        "pending": False, "invoice": invoice,
        "label": f"{invoice.invoice_form}{invoice.serial} {invoice.number:08d}",
        "authority_code": invoice.authority_code, "lookup_code": invoice.lookup_code,
        "lookup_url": url, "qr_svg": qr_svg(url),
    }


def summary_for_till_sale(sale):
    return summary(Invoice.objects.filter(till_sale_id=sale.pk, kind=Invoice.Kind.ORIGINAL).first())


def original_for_order(order):
    """The invoice an online order is on: its own original, else the consolidated invoice
    it is in, else None."""
    invoice = Invoice.objects.filter(order_id=order.pk, kind=Invoice.Kind.ORIGINAL).first()
    if invoice is None:
        invoice = Invoice.objects.filter(consolidated_orders__order_id=order.pk).first()
    return invoice


def summary_for_order(order):
    return summary(original_for_order(order))
