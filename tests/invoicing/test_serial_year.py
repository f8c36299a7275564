"""The serial's year follows the invoice's date (1C26MDH in 2026, 1C27MDH from 1 January 2027,
a sale rung on 31 December keeps the old year when synced on 1 January), and the office's totals
and XLSX count only issued invoices (a pending or failed one is listed, not declared)."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from pos.models import TillSale
from shop.invoicing import builder
from shop.invoicing.models import Invoice, InvoiceLine, SellerProfile
from shop.invoicing.providers.xml import invoice_xml, read
from tests.invoicing.test_office import NOV, make_invoice, office, showcase  # noqa: F401
from tests.pos.conftest import api, locs, session, shop  # noqa: F401 (fixtures)
from tests.pos.factories import new_uuid

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=7))


@pytest.mark.parametrize(("serial", "day", "expected"), [
    ("C26MDH", datetime.date(2026, 12, 31), "C26MDH"),
    ("C26MDH", datetime.date(2027, 1, 1), "C27MDH"),
    ("1C26MDH", datetime.date(2030, 6, 1), "1C30MDH"),
    ("K25TAA", datetime.date(2026, 3, 1), "K26TAA"),
    ("c26mdh", datetime.date(2027, 1, 1), "C27MDH"),  # typed in small letters
    ("ABCDEF", datetime.date(2027, 1, 1), "ABCDEF"),  # not a serial of that shape: as it is
    ("", datetime.date(2027, 1, 1), ""),
])
def test_the_serial_takes_the_year_of_the_day(serial, day, expected):
    assert builder.serial_for(serial, day) == expected


@pytest.fixture
def seller(shop):  # noqa: F811
    return SellerProfile.objects.create(
        location=shop.location, legal_name="HTX Dịch vụ OCOP Đăk Hà", tax_code="6100001230",
        address="Thị trấn Đăk Hà, Kon Tum", serial="C26MDH",
    )


def ring(api, shop, session):  # noqa: F811
    price = int(shop.offers[0].price)
    response = api.post(reverse("pos:api-sales", args=[shop.register.pk]), {
        "client_uuid": new_uuid(), "session": session.pk,
        "lines": [{"stockrecord": shop.offers[0].pk, "quantity": 1}],
        "tenders": [{"kind": "cash", "tendered": price}], "client_total": price,
    }, format="json")
    assert response.status_code == 201, response.content
    sale = TillSale.objects.get(pk=response.json()["id"])
    InvoiceLine.objects.filter(invoice__till_sale=sale).delete()
    Invoice.objects.filter(till_sale=sale).delete()  # built again below, at the sale's time
    return sale


@pytest.mark.parametrize(("rung", "serial"), [
    (datetime.datetime(2026, 12, 31, 23, 30, tzinfo=TZ), "C26MDH"),  # synced in the new year
    (datetime.datetime(2027, 1, 1, 0, 10, tzinfo=TZ), "C27MDH"),  # profile not yet edited
])
def test_a_till_invoice_takes_the_year_of_the_sale(api, shop, session, seller, rung, serial):  # noqa: F811
    sale = ring(api, shop, session)
    TillSale.objects.filter(pk=sale.pk).update(rung_at=rung)
    sale.refresh_from_db()
    invoice = builder.invoice_for_till_sale(sale)
    assert invoice.serial == serial and invoice.sold_at == rung
    fields = read(invoice_xml(invoice, "0100109106"))
    assert fields["serial"] == serial and fields["day"] == rung.date().isoformat()


def test_an_invoice_made_today_never_carries_last_years_serial(api, shop, session, seller):  # noqa: F811
    SellerProfile.objects.filter(pk=seller.pk).update(serial="C19MDH")  # never edited since
    invoice = builder.invoice_for_till_sale(ring(api, shop, session))
    assert invoice.serial == f"C{timezone.localdate().year % 100:02d}MDH"


# --- the office's totals and XLSX count issued invoices only ----------------------------------


def test_pending_and_failed_invoices_are_listed_but_not_in_the_totals(client, office, showcase):  # noqa: F811
    make_invoice(showcase, [("10", 100_000, 10_000)])
    make_invoice(showcase, [("10", 500_000, 50_000)], status=Invoice.Status.FAILED)
    make_invoice(showcase, [("5", 300_000, 15_000)], status=Invoice.Status.PENDING)
    make_invoice(showcase, [("10", 900_000, 90_000)], status=Invoice.Status.CANCELLED)
    response = client.get("/office/invoices/", {"month": "2026-11"})
    assert len(response.context["invoices"]) == 4
    totals = response.context["totals"]
    assert totals["total"] == 110_000 and totals["vat"] == 10_000
    assert [row["rate"] for row in totals["rates"]] == ["10"]  # the pending 5 % is not declared
    assert response.context["unissued_count"] == 2
    assert "2 hoá đơn chưa phát hành chưa được tính" in response.content.decode()

    response = client.get("/office/invoices/export.xlsx", {"month": "2026-11"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    totals_row = next(row for row in rows if row[0] == "Tổng cộng")
    assert Decimal(totals_row[-3]) == 110_000  # total column: the issued invoice only
    assert any(row[0] and "2 hoá đơn chưa phát hành" in str(row[0]) for row in rows)
    assert NOV.year == 2026
