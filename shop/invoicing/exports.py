"""The office's list of invoices for a period, its totals and the accountant's XLSX.

Rules:

* A period is a calendar month in Vietnam time. An invoice belongs to the month of its
  date (``Invoice.date``): the time of the sale for a till sale's invoice (``sold_at``,
  also when the sale was rung offline and synced later), else the day it was issued
  (``issued_at``), or — not issued yet (pending, failed) — the day it was made
  (``created_at``).
* Filters: sales point (``location``), status and kind; each one optional.
* Totals (per VAT rate and overall) add up the lines of the listed invoices that are
  **issued** — what the tax authority received and the accountant declares; adjusting
  invoices add with their own signs. A cancelled invoice is no sale; a pending or failed
  one has no number yet and is not declared until it is issued (then in the month of its
  own date): both are listed, not counted, and the number of those not yet issued is
  given beside the totals (``unissued``) and under the XLSX's totals row.
* Per VAT rate the amount before VAT, the VAT and the total, in the order 0 %, 5 %,
  8 %, 10 %, not subject, not declared; rates without lines are left out.
* XLSX: one sheet, a title row, the period and the filters, a header (frozen), one row
  per invoice (form, serial, number, date, buyer, buyer tax code, amount before VAT, the
  VAT of each rate, total, status, authority code) in the order of date then number, and a
  bold totals row over the non-cancelled invoices. Đồng cells are numbers with the format
  ``#,##0`` (whole đồng), dates real dates shown ``dd/mm/yyyy``.
"""

from __future__ import annotations

import datetime
import io
from collections import OrderedDict
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from shop.invoicing.models import Invoice, InvoiceLine

RATES = ("0", "5", "8", "10", "exempt", "undeclared")
VAT_RATES = ("5", "8", "10")  # the rates that carry VAT: one column each in the export
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"
HEADER_ROW = 4


def rate_label(rate):
    if rate == "exempt":
        return _("Không chịu thuế")
    if rate == "undeclared":
        return _("Không kê khai, tính nộp thuế")
    return f"{rate}%"


def month_bounds(year, month):
    """The month as aware datetimes ``[start, end)`` in Vietnam time."""
    tz = timezone.get_current_timezone()
    start = datetime.datetime(year, month, 1, tzinfo=tz)
    following = datetime.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=tz)
    return start, following


def parse_month(text, today=None):
    """``(year, month)`` of ``2026-11``; this month for anything else."""
    try:
        year, month = (int(part) for part in str(text or "").split("-"))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    today = today or timezone.localdate()
    return today.year, today.month


def invoices(year=None, month=None, location=None, status=None, kind=None):
    """The invoices of the month (all months when ``year`` is None) and the filters."""
    queryset = Invoice.objects.annotate(day=Coalesce("sold_at", "issued_at", "created_at"))
    if year is not None:
        start, end = month_bounds(year, month)
        queryset = queryset.filter(day__gte=start, day__lt=end)
    if location:
        queryset = queryset.filter(location=location)
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.select_related("location")


def totals(queryset):
    """``{"rates": [{rate, label, amount_before_vat, vat, total}], "amount_before_vat", "vat",
    "total"}`` over the lines of the listed, issued invoices (one query)."""
    counted = queryset.filter(status=Invoice.Status.ISSUED).order_by().values("pk")
    rows = (InvoiceLine.objects.filter(invoice__in=counted).order_by().values("vat_rate")
            .annotate(before=Sum("amount_before_vat"), vat=Sum("vat"), total=Sum("total")))
    found = {row["vat_rate"]: row for row in rows}
    rates = [
        {"rate": rate, "label": rate_label(rate), "amount_before_vat": found[rate]["before"],
         "vat": found[rate]["vat"], "total": found[rate]["total"]}
        for rate in RATES if rate in found
    ]
    zero = Decimal(0)
    return {
        "rates": rates,
        "amount_before_vat": sum((row["amount_before_vat"] for row in rates), zero),
        "vat": sum((row["vat"] for row in rates), zero),
        "total": sum((row["total"] for row in rates), zero),
    }


def status_counts(queryset):
    """``{"failed": every failed invoice (the retry tab), "unissued": the listed invoices
    not issued yet (pending or failed, left out of the totals)}`` in one query."""
    waiting = (Invoice.Status.PENDING, Invoice.Status.FAILED)
    return Invoice.objects.aggregate(
        failed=Count("pk", filter=Q(status=Invoice.Status.FAILED)),
        unissued=Count("pk", filter=Q(status__in=waiting,
                                      pk__in=queryset.order_by().values("pk"))),
    )


def vat_by_rate(invoice):
    """``OrderedDict(rate → {"amount_before_vat", "vat", "total"})`` of an invoice's lines
    (prefetch ``lines`` for a list)."""
    found = {}
    for line in invoice.lines.all():
        row = found.setdefault(line.vat_rate, {"amount_before_vat": Decimal(0), "vat": Decimal(0),
                                               "total": Decimal(0)})
        row["amount_before_vat"] += line.amount_before_vat
        row["vat"] += line.vat
        row["total"] += line.total
    ordered = OrderedDict((rate, found[rate]) for rate in RATES if rate in found)
    for rate in found:  # a rate this module does not know still shows
        ordered.setdefault(rate, found[rate])
    return ordered


def invoice_day(invoice):
    moment = invoice.date
    return timezone.localtime(moment).date() if moment else None


def filename(year, month):
    """``hoa-don-2026-11.xlsx``."""
    return f"hoa-don-{year}-{month:02d}.xlsx"


def _columns():
    return [
        (_("Mẫu số"), "text"), (_("Ký hiệu"), "text"), (_("Số hoá đơn"), "number"),
        (_("Ngày lập"), "date"), (_("Người mua"), "text"), (_("Mã số thuế người mua"), "text"),
        (_("Tiền trước thuế"), "money"),
        *[(_("Thuế GTGT %(rate)s%%") % {"rate": rate}, "money") for rate in VAT_RATES],
        (_("Tổng tiền thanh toán"), "money"), (_("Trạng thái"), "text"),
        (_("Mã của cơ quan thuế"), "text"),
    ]


def buyer_text(invoice):
    return invoice.buyer_company or invoice.buyer_name or _("Người mua không lấy hoá đơn")


def xlsx(queryset, year, month, filters_text=""):
    """The period's invoices as an XLSX workbook (bytes)."""
    rows = sorted(queryset.prefetch_related("lines"),
                  key=lambda inv: (inv.day, inv.serial, inv.number or 0, inv.pk))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Hoá đơn")
    sheet.cell(row=1, column=1, value=_("Bảng kê hoá đơn điện tử tháng %(month)s/%(year)s") % {
        "month": f"{month:02d}", "year": year}).font = Font(bold=True, size=13)
    sheet.cell(row=2, column=1, value=filters_text)
    columns = _columns()
    widths = [len(heading) for heading, _kind in columns]
    for index, (heading, _kind) in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=heading)
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDEBDD")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    sums = [Decimal(0)] * (len(VAT_RATES) + 2)
    unissued = 0
    body = []
    for invoice in rows:
        by_rate = vat_by_rate(invoice)
        vats = [by_rate.get(rate, {}).get("vat", Decimal(0)) for rate in VAT_RATES]
        money = [invoice.amount_before_vat, *vats, invoice.total]
        if invoice.status == Invoice.Status.ISSUED:
            sums = [a + b for a, b in zip(sums, money, strict=True)]
        else:
            unissued += invoice.status != Invoice.Status.CANCELLED
        body.append([
            invoice.invoice_form, invoice.serial, invoice.number, invoice_day(invoice),
            buyer_text(invoice), invoice.buyer_tax_code, *[int(v) for v in money],
            invoice.get_status_display(), invoice.authority_code,
        ])
    body.append([_("Tổng cộng"), None, None, None, None, None, *[int(v) for v in sums], None, None])
    totals_row = len(body)
    if unissued:
        body.append([_("Tổng cộng chỉ gồm hoá đơn đã phát hành; %(n)s hoá đơn chưa phát hành "
                       "không được tính.") % {"n": unissued},
                     *[None] * (len(columns) - 1)])
    formats = {"money": MONEY_FORMAT, "date": DATE_FORMAT}
    for offset, values in enumerate(body, start=1):
        note = offset > totals_row
        for index, ((_heading, kind), value) in enumerate(zip(columns, values, strict=True), start=1):
            cell = sheet.cell(row=HEADER_ROW + offset, column=index, value=value)
            if kind in formats:
                cell.number_format = formats[kind]
            if offset == totals_row:
                cell.font = Font(bold=True)
            if note:
                cell.font = Font(italic=True)
                continue  # the note overflows into the empty cells beside it
            length = 10 if kind == "date" else len(f"{value:,}" if kind == "money" else str(value or ""))
            widths[index - 1] = max(widths[index - 1], length)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(60, width + 3)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

