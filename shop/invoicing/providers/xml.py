"""The invoice as the tax authority's XML (``HDon``), checked against the shop's XSD.

Rules (the General Department of Taxation's e-invoice data structure, Circular 78/2021,
Decision 1510/QĐ-TCT; the schema is ``shop/invoicing/schema/hoadon.xsd``):

* ``HDon > DLHDon (Id) > TTChung``: version ``PBan`` 2.1.0, the invoice's name
  (``THDon``: "Hóa đơn giá trị gia tăng" for form 1, "Hóa đơn bán hàng" for form 2),
  form ``KHMSHDon`` and serial ``KHHDon`` (the 6 characters after the form digit: a
  stored ``1C26MDH`` is written ``1`` + ``C26MDH``), number ``SHDon`` once the provider
  gave it, date ``NLap`` (in Vietnam: the time of the sale for a cash-register invoice, ``sold_at``,
  else the issue day), currency ``DVTTe`` VND at ``TGia``
  1, payment method ``HTTToan`` (TM cash, CK transfer or card, TM/CK both), the provider's
  tax code ``MSTTCGP``. An adjustment / replacement adds ``TTHDLQuan``: its nature
  (1 replacement, 2 adjustment), the original's form, serial, number and date, and the
  reason.
* ``NDHDon > NBan``: the seller's legal name, tax code, address, as copied on the
  invoice. ``NMua``: every element optional for a consumer; a company's name in ``Ten``
  with the person in ``HVTNMHang``; a tax code ``MST`` or else a citizen id ``CCCDan``.
* ``DSHHDVu > HHDVu`` per line: nature 1 (goods), position, name, unit, quantity, the
  unit price before VAT ``DGia`` (the gross line before discount, less its VAT, per
  unit; up to 4 decimals), the discount before VAT ``STCKhau`` when there is one, the
  amount before VAT ``ThTien`` (whole đồng, the line's own) and the rate ``TSuat``
  (0%, 5%, 8%, 10%, KCT not subject, KKKNT not declared).
* ``TToan``: per rate (in that order) the amount before VAT and the VAT of its lines;
  the totals before VAT ``TgTCThue``, VAT ``TgTThue``, discount ``TTCKTMai`` (when
  any), to pay ``TgTTTBSo`` and in words ``TgTTTBChu`` — the invoice's own stored
  amounts. They must equal the sums of its lines to the đồng, and the amount before
  VAT plus VAT the total, or no XML is written (:class:`InvoiceDataError`).
"""

from __future__ import annotations

from collections import OrderedDict
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from pathlib import Path

from django.utils import timezone
from lxml import etree

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "hoadon.xsd"
VERSION = "2.1.0"
RATES = OrderedDict([("0", "0%"), ("5", "5%"), ("8", "8%"), ("10", "10%"),
                     ("exempt", "KCT"), ("undeclared", "KKKNT")])
TITLES = {"1": "Hóa đơn giá trị gia tăng", "2": "Hóa đơn bán hàng"}
PAYMENT_METHODS = {
    "cash": "TM", "tm": "TM", "tiền mặt": "TM", "cod": "TM",
    "transfer": "CK", "vietqr": "CK", "chuyển khoản": "CK", "ck": "CK",
    "card": "CK", "card_terminal": "CK", "thẻ": "CK", "stripe": "CK",
}
RELATED_NATURE = {"replacement": 1, "adjustment": 2}


class InvoiceDataError(ValueError):
    """The invoice's amounts or identity cannot make a valid tax authority XML."""


@lru_cache(maxsize=1)
def schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def validate(document):
    """Raise InvoiceDataError with the schema's first message when ``document`` (an lxml
    tree or bytes) is not a valid HDon."""
    if isinstance(document, bytes | str):
        try:
            document = etree.fromstring(document.encode() if isinstance(document, str) else document)
        except etree.XMLSyntaxError as exc:
            raise InvoiceDataError(f"XML: {exc}") from exc
    xsd = schema()
    if not xsd.validate(document):
        error = xsd.error_log.last_error
        raise InvoiceDataError(f"XSD: line {error.line}: {error.message}")
    return document


def serial_parts(form, serial):
    """(form, 6-character serial) from the stored form and serial (``1``/``C26MDH`` or ``1C26MDH``)."""
    serial = (serial or "").strip().upper()
    if len(serial) == 7 and serial[0].isdigit():
        form, serial = form or serial[0], serial[1:]
    return str(form or ""), serial


def payment_code(text):
    """``TM``, ``CK`` or ``TM/CK`` from the stored method(s) (``Tiền mặt/Thẻ`` → ``TM/CK``);
    a method the table does not know is written as it is."""
    codes = []
    for part in (text or "").split("/"):
        part = part.strip()
        code = PAYMENT_METHODS.get(part.lower(), part)
        if code and code not in codes:
            codes.append(code)
    return "/".join(codes) or "TM/CK"


def _money(value):
    return str(Decimal(value).quantize(Decimal(1), ROUND_HALF_UP))


def _decimal(value, places=4):
    d = Decimal(value).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP).normalize()
    return format(d, "f")


def _sub(parent, tag, value=None):
    el = etree.SubElement(parent, tag)
    if value is not None:
        el.text = str(value)
    return el


def _opt(parent, tag, value):
    if value not in (None, ""):
        _sub(parent, tag, value)


def net_of(gross, rate):
    """The part of a VAT-included amount before a ``rate`` ("0" … "10", exempt, undeclared)."""
    gross = Decimal(gross)
    if rate in ("exempt", "undeclared"):
        return gross
    percent = Decimal(rate)
    return (gross * 100 / (100 + percent)).quantize(Decimal(1), ROUND_HALF_UP)


def check_amounts(invoice, lines):
    """Raise InvoiceDataError unless the invoice's totals equal its lines' to the đồng."""
    if not lines:
        raise InvoiceDataError("an invoice needs at least one line")
    for line in lines:
        if line.vat_rate not in RATES:
            raise InvoiceDataError(f"line {line.position}: unknown VAT rate {line.vat_rate!r}")
        if line.amount_before_vat + line.vat != line.total:
            raise InvoiceDataError(f"line {line.position}: amount before VAT + VAT ≠ total")
        if line.vat_rate in ("exempt", "undeclared") and line.vat:
            raise InvoiceDataError(f"line {line.position}: VAT on a line not subject to VAT")
    sums = {
        "amount_before_vat": sum((line.amount_before_vat for line in lines), Decimal(0)),
        "vat_total": sum((line.vat for line in lines), Decimal(0)),
        "total": sum((line.total for line in lines), Decimal(0)),
    }
    for field, value in sums.items():
        if Decimal(getattr(invoice, field)) != value:
            raise InvoiceDataError(f"{field} {getattr(invoice, field)} ≠ its lines' {value}")
    if invoice.amount_before_vat + invoice.vat_total != invoice.total:
        raise InvoiceDataError("amount before VAT + VAT ≠ total")


def rate_totals(lines):
    """[(TSuat, amount before VAT, VAT)] per rate present, in the standard's order."""
    totals = OrderedDict()
    for code in RATES:
        chosen = [line for line in lines if line.vat_rate == code]
        if chosen:
            totals[RATES[code]] = (
                sum((line.amount_before_vat for line in chosen), Decimal(0)),
                sum((line.vat for line in chosen), Decimal(0)),
            )
    return [(rate, net, vat) for rate, (net, vat) in totals.items()]


def build(invoice, provider_tax_code, day=None, lines=None):
    """The invoice's ``HDon`` as an lxml element, valid against the schema (or raises
    InvoiceDataError)."""
    lines = list(invoice.lines.all() if lines is None else lines)
    check_amounts(invoice, lines)
    form, serial = serial_parts(invoice.invoice_form, invoice.serial)
    if day is None:
        moment = invoice.sold_at or invoice.issued_at
        day = timezone.localdate(moment) if moment else timezone.localdate()

    root = etree.Element("HDon")
    data = _sub(root, "DLHDon")
    data.set("Id", f"HD{invoice.idempotency_key.hex}")

    general = _sub(data, "TTChung")
    _sub(general, "PBan", VERSION)
    _sub(general, "THDon", TITLES.get(form, TITLES["1"]))
    _sub(general, "KHMSHDon", form)
    _sub(general, "KHHDon", serial)
    _opt(general, "SHDon", invoice.number)
    _sub(general, "NLap", day.isoformat())
    _sub(general, "DVTTe", invoice.currency or "VND")
    _sub(general, "TGia", "1")
    _sub(general, "HTTToan", payment_code(invoice.payment_method))
    _sub(general, "MSTTCGP", provider_tax_code)
    if invoice.kind in RELATED_NATURE:
        original = invoice.original
        if original is None or not original.number or not (original.sold_at or original.issued_at):
            raise InvoiceDataError("an adjustment or replacement needs its issued original")
        o_form, o_serial = serial_parts(original.invoice_form, original.serial)
        related = _sub(general, "TTHDLQuan")
        _sub(related, "TCHDon", RELATED_NATURE[invoice.kind])
        _sub(related, "LHDCLQuan", 1)
        _sub(related, "KHMSHDCLQuan", o_form)
        _sub(related, "KHHDCLQuan", o_serial)
        _sub(related, "SHDCLQuan", original.number)
        _sub(related, "NLHDCLQuan",
             timezone.localdate(original.sold_at or original.issued_at).isoformat())
        _opt(related, "GChu", invoice.reason)

    content = _sub(data, "NDHDon")
    seller = _sub(content, "NBan")
    _sub(seller, "Ten", invoice.seller_name)
    _sub(seller, "MST", invoice.seller_tax_code)
    _sub(seller, "DChi", invoice.seller_address)

    buyer = _sub(content, "NMua")
    _opt(buyer, "Ten", invoice.buyer_company or invoice.buyer_name)
    if invoice.buyer_tax_code:
        _sub(buyer, "MST", invoice.buyer_tax_code)
    elif invoice.buyer_id_number:
        _sub(buyer, "CCCDan", invoice.buyer_id_number)
    _opt(buyer, "DChi", invoice.buyer_address)
    _opt(buyer, "DCTDTu", invoice.buyer_email)
    _opt(buyer, "HVTNMHang", invoice.buyer_name)

    goods = _sub(content, "DSHHDVu")
    for line in lines:
        item = _sub(goods, "HHDVu")
        discount_net = net_of(line.discount, line.vat_rate) if line.discount else Decimal(0)
        _sub(item, "TChat", 1)
        _sub(item, "STT", line.position)
        _sub(item, "THHDVu", line.name)
        _sub(item, "DVTinh", line.unit or "cái")
        _sub(item, "SLuong", line.quantity)
        quantity = Decimal(line.quantity) or Decimal(1)
        _sub(item, "DGia", _decimal(abs((line.amount_before_vat + discount_net) / quantity)))
        if discount_net:
            _sub(item, "STCKhau", _money(discount_net))
        _sub(item, "ThTien", _money(line.amount_before_vat))
        _sub(item, "TSuat", RATES[line.vat_rate])

    totals = _sub(content, "TToan")
    by_rate = _sub(totals, "THTTLTSuat")
    for rate, net, vat in rate_totals(lines):
        part = _sub(by_rate, "LTSuat")
        _sub(part, "TSuat", rate)
        _sub(part, "ThTien", _money(net))
        _sub(part, "TThue", _money(vat))
    _sub(totals, "TgTCThue", _money(invoice.amount_before_vat))
    _sub(totals, "TgTThue", _money(invoice.vat_total))
    if invoice.discount_total:
        _sub(totals, "TTCKTMai", _money(invoice.discount_total))
    _sub(totals, "TgTTTBSo", _money(invoice.total))
    _sub(totals, "TgTTTBChu", invoice.total_in_words)

    validate(root)
    return root


def to_bytes(document):
    return etree.tostring(document, xml_declaration=True, encoding="UTF-8")


def invoice_xml(invoice, provider_tax_code, **kwargs):
    """The invoice's XML document as UTF-8 bytes."""
    return to_bytes(build(invoice, provider_tax_code, **kwargs))


def read(document):
    """The fields a provider needs from a (valid) HDon: form, serial, number, day, related."""
    root = validate(document)
    general = root.find("DLHDon/TTChung")
    related = general.find("TTHDLQuan")
    return {
        "form": general.findtext("KHMSHDon"),
        "serial": general.findtext("KHHDon"),
        "number": general.findtext("SHDon"),
        "day": general.findtext("NLap"),
        "seller_tax_code": root.findtext("DLHDon/NDHDon/NBan/MST"),
        "total": Decimal(root.findtext("DLHDon/NDHDon/TToan/TgTTTBSo")),
        "related": None if related is None else {
            "nature": int(related.findtext("TCHDon")),
            "form": related.findtext("KHMSHDCLQuan"),
            "serial": related.findtext("KHHDCLQuan"),
            "number": int(related.findtext("SHDCLQuan")),
        },
    }
