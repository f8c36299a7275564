"""The tax authority's XML of an invoice: valid against the schema, amounts exact to the đồng."""

from decimal import Decimal

import pytest
from lxml import etree

from shop.invoicing.models import Invoice, InvoiceLine
from shop.invoicing.providers import xml as invoice_xml
from shop.invoicing.vat import vat_included
from shop.invoicing.words import amount_in_words
from tests.showroom.factories import three_locations

PROVIDER_TAX_CODE = "0100109106"
SELLER_TAX_CODE = "6100123459"


def make_invoice(lines, location=None, **fields):
    """An invoice of ``lines`` = [(name, quantity, unit gross, rate, discount)], amounts
    computed the way the builder does (VAT inside the gross)."""
    location = location or three_locations()[0]
    rows, totals = [], {"abv": Decimal(0), "vat": Decimal(0), "total": Decimal(0), "disc": Decimal(0)}
    for position, (name, quantity, unit_price, rate, discount) in enumerate(lines, 1):
        total = Decimal(unit_price) * quantity - Decimal(discount)
        vat = vat_included(total, int(rate) if rate.isdigit() else rate)
        rows.append(InvoiceLine(position=position, name=name, unit="hộp", quantity=quantity,
                                unit_price=unit_price, discount=discount, vat_rate=rate,
                                amount_before_vat=total - vat, vat=vat, total=total))
        totals["abv"] += total - vat
        totals["vat"] += vat
        totals["total"] += total
        totals["disc"] += Decimal(discount)
    values = {
        "location": location, "invoice_form": "1", "serial": "C26MDH", "payment_method": "cash",
        "seller_name": "Công ty TNHH Điểm giới thiệu OCOP Đăk Hà", "seller_tax_code": SELLER_TAX_CODE,
        "seller_address": "Thị trấn Đăk Hà, Quảng Ngãi",
        "amount_before_vat": totals["abv"], "vat_total": totals["vat"],
        "discount_total": totals["disc"], "total": totals["total"],
        "total_in_words": amount_in_words(totals["total"]),
    }
    values.update(fields)
    invoice = Invoice.objects.create(**values)
    for row in rows:
        row.invoice = invoice
    InvoiceLine.objects.bulk_create(rows)
    return invoice


MIXED = [
    ("Cà phê Đăk Hà rang mộc 500g", 3, 150000, "8", 0),
    ("Mật ong rừng Ngọk Wang", 2, 220000, "5", 10000),
    ("Rượu cần Đăk Hà", 1, 185000, "10", 0),
    ("Sâm dây Ngọc Linh (không chịu thuế)", 1, 99999, "exempt", 0),
    ("Dịch vụ gói quà", 1, 20000, "undeclared", 0),
    ("Trà xuất khẩu", 1, 50000, "0", 0),
]


def texts(root, path):
    return [el.text for el in root.iterfind(path)]


@pytest.mark.django_db
def test_an_invoice_with_every_rate_validates_and_its_totals_equal_the_invoice():
    invoice = make_invoice(MIXED, buyer_company="Công ty CP Sự kiện Kon Tum",
                           buyer_name="Nguyễn Văn A", buyer_tax_code="0101234567",
                           buyer_address="12 Hùng Vương", buyer_email="ketoan@example.vn")
    root = invoice_xml.build(invoice, PROVIDER_TAX_CODE)
    invoice_xml.validate(invoice_xml.to_bytes(root))  # the bytes too

    general = root.find("DLHDon/TTChung")
    assert [c.tag for c in general] == ["PBan", "THDon", "KHMSHDon", "KHHDon", "NLap", "DVTTe",
                                        "TGia", "HTTToan", "MSTTCGP"]
    assert general.findtext("KHMSHDon") == "1" and general.findtext("KHHDon") == "C26MDH"
    assert general.findtext("HTTToan") == "TM" and general.findtext("DVTTe") == "VND"
    buyer = root.find("DLHDon/NDHDon/NMua")
    assert [c.tag for c in buyer] == ["Ten", "MST", "DChi", "DCTDTu", "HVTNMHang"]
    assert buyer.findtext("Ten") == "Công ty CP Sự kiện Kon Tum"

    rates = texts(root, "DLHDon/NDHDon/DSHHDVu/HHDVu/TSuat")
    assert rates == ["8%", "5%", "10%", "KCT", "KKKNT", "0%"]
    by_rate = {
        part.findtext("TSuat"): (Decimal(part.findtext("ThTien")), Decimal(part.findtext("TThue")))
        for part in root.iterfind("DLHDon/NDHDon/TToan/THTTLTSuat/LTSuat")
    }
    # in the standard's order of rates
    assert list(by_rate) == ["0%", "5%", "8%", "10%", "KCT", "KKKNT"]
    lines = list(invoice.lines.all())
    for code, label in invoice_xml.RATES.items():
        chosen = [line for line in lines if line.vat_rate == code]
        assert by_rate[label] == (sum(line.amount_before_vat for line in chosen),
                                  sum(line.vat for line in chosen))
    # 3 × 150 000 at 8 %: VAT 33 333, before VAT 416 667 (to the đồng)
    assert by_rate["8%"] == (Decimal(416667), Decimal(33333))
    # 2 × 220 000 − 10 000 at 5 %: 430 000 → VAT 20 476
    assert by_rate["5%"] == (Decimal(409524), Decimal(20476))
    assert by_rate["KCT"] == (Decimal(99999), 0) and by_rate["KKKNT"] == (Decimal(20000), 0)
    totals = root.find("DLHDon/NDHDon/TToan")
    assert Decimal(totals.findtext("TgTCThue")) == invoice.amount_before_vat
    assert Decimal(totals.findtext("TgTThue")) == invoice.vat_total
    assert Decimal(totals.findtext("TgTTTBSo")) == invoice.total == Decimal(1234999)
    assert sum(v for _n, v in by_rate.values()) == invoice.vat_total
    assert sum(n for n, _v in by_rate.values()) + invoice.vat_total == invoice.total
    assert totals.findtext("TgTTTBChu") == amount_in_words(1234999)
    assert Decimal(totals.findtext("TTCKTMai")) == 10000
    # the line with a discount: its discount before VAT, its amount its own
    honey = root.findall("DLHDon/NDHDon/DSHHDVu/HHDVu")[1]
    assert Decimal(honey.findtext("STCKhau")) == 9524
    assert Decimal(honey.findtext("ThTien")) == 409524
    assert Decimal(honey.findtext("DGia")) * 2 - 9524 == 409524


@pytest.mark.django_db
def test_a_consumer_invoice_and_a_citizen_id_and_the_7_character_serial_validate():
    anonymous = make_invoice([("Cà phê", 1, 150000, "10", 0)], serial="1C26MDH"[1:])
    root = invoice_xml.build(anonymous, PROVIDER_TAX_CODE)
    assert len(root.find("DLHDon/NDHDon/NMua")) == 0
    person = make_invoice([("Cà phê", 1, 150000, "10", 0)], buyer_name="Trần Thị B",
                          buyer_id_number="062190001234")
    root = invoice_xml.build(person, PROVIDER_TAX_CODE)
    assert root.findtext("DLHDon/NDHDon/NMua/CCCDan") == "062190001234"
    assert root.find("DLHDon/NDHDon/NMua/Ten").text == "Trần Thị B"
    assert invoice_xml.serial_parts("1", "1C26MDH") == ("1", "C26MDH")
    assert invoice_xml.payment_code("Tiền mặt/Thẻ") == "TM/CK"
    assert invoice_xml.payment_code("Chuyển khoản/Thẻ") == "CK"


@pytest.mark.django_db
def test_an_issued_invoice_has_its_number_and_an_adjustment_names_its_original():
    from django.utils import timezone

    original = make_invoice([("Cà phê", 2, 150000, "8", 0)], number=7, issued_at=timezone.now(),
                            status=Invoice.Status.ISSUED)
    root = invoice_xml.build(original, PROVIDER_TAX_CODE)
    assert root.findtext("DLHDon/TTChung/SHDon") == "7"
    adjustment = make_invoice([("Cà phê (trả lại)", -1, 150000, "8", 0)],
                              kind=Invoice.Kind.ADJUSTMENT, original=original,
                              reason="Khách trả lại 1 gói")
    root = invoice_xml.build(adjustment, PROVIDER_TAX_CODE)
    related = root.find("DLHDon/TTChung/TTHDLQuan")
    assert [c.text for c in related] == ["2", "1", "1", "C26MDH", "7",
                                         timezone.localdate(original.issued_at).isoformat(),
                                         "Khách trả lại 1 gói"]
    assert Decimal(root.findtext("DLHDon/NDHDon/TToan/TgTTTBSo")) == -150000
    assert root.findtext("DLHDon/NDHDon/TToan/TgTTTBChu").startswith("Âm")
    # without an issued original there is no adjustment
    adjustment.original = make_invoice([("Cà phê", 1, 150000, "8", 0)])
    with pytest.raises(invoice_xml.InvoiceDataError):
        invoice_xml.build(adjustment, PROVIDER_TAX_CODE)


@pytest.mark.django_db
def test_totals_that_differ_from_the_lines_by_one_dong_make_no_xml():
    invoice = make_invoice(MIXED)
    invoice.vat_total += 1
    invoice.amount_before_vat -= 1
    with pytest.raises(invoice_xml.InvoiceDataError, match="(amount_before_vat|vat_total) .* its lines"):
        invoice_xml.build(invoice, PROVIDER_TAX_CODE)
    invoice = make_invoice(MIXED)
    invoice.total += 1
    with pytest.raises(invoice_xml.InvoiceDataError, match="^total .* its lines"):
        invoice_xml.build(invoice, PROVIDER_TAX_CODE)


@pytest.mark.django_db
def test_a_broken_invoice_does_not_validate():
    invoice = make_invoice(MIXED)
    good = invoice_xml.build(invoice, PROVIDER_TAX_CODE)
    invoice_xml.validate(good)

    # the seller's tax code missing
    broken = etree.fromstring(invoice_xml.to_bytes(good))
    seller = broken.find("DLHDon/NDHDon/NBan")
    seller.remove(seller.find("MST"))
    with pytest.raises(invoice_xml.InvoiceDataError, match="MST"):
        invoice_xml.validate(broken)

    # the buyer before the seller (wrong order)
    broken = etree.fromstring(invoice_xml.to_bytes(good))
    content = broken.find("DLHDon/NDHDon")
    content.insert(0, content.find("NMua"))
    with pytest.raises(invoice_xml.InvoiceDataError):
        invoice_xml.validate(broken)

    # a line's rate that is no rate, a serial that is no serial, a date that is no date
    for path, value in (("DLHDon/NDHDon/DSHHDVu/HHDVu/TSuat", "7%"),
                        ("DLHDon/TTChung/KHHDon", "X26MDH"),
                        ("DLHDon/TTChung/NLap", "30/11/2026"),
                        ("DLHDon/NDHDon/TToan/TgTThue", "12,5")):
        broken = etree.fromstring(invoice_xml.to_bytes(good))
        broken.find(path).text = value
        with pytest.raises(invoice_xml.InvoiceDataError):
            invoice_xml.validate(broken)

    # an invoice whose seller has no tax code is refused before any XML is sent
    invoice.seller_tax_code = ""
    with pytest.raises(invoice_xml.InvoiceDataError):
        invoice_xml.build(invoice, PROVIDER_TAX_CODE)
