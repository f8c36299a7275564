"""The office's invoice pages: who sees them, the month's list and totals, the XLSX, the
detail page, the failed tab's retry, the admin and the demo's seller profiles."""

import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from shop.core.roles import DISTRICT_OFFICE
from shop.invoicing import exports
from shop.invoicing.models import Invoice, InvoiceLine, SellerProfile
from showroom.models import Location

pytestmark = pytest.mark.django_db

TZ = datetime.timezone(datetime.timedelta(hours=7))
NOV = datetime.datetime(2026, 11, 10, 9, 0, tzinfo=TZ)


@pytest.fixture
def showcase():
    return Location.objects.create(code="showcase-t", name="Điểm giới thiệu huyện",
                                   kind=Location.Kind.SHOWCASE)


@pytest.fixture
def commune_point():
    return Location.objects.create(code="dak-mar-t", name="Điểm bán xã Đăk Mar",
                                   kind=Location.Kind.COMMUNE_POINT)


@pytest.fixture
def office(client):
    user = get_user_model().objects.create_user("office", "office@example.com", "x", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=DISTRICT_OFFICE)[0])
    client.force_login(user)
    return user


_numbers = iter(range(1, 10_000))


def make_invoice(location, lines, day=NOV, status=Invoice.Status.ISSUED, kind=Invoice.Kind.ORIGINAL,
                 buyer_company="", buyer_tax_code="", original=None):
    """An invoice with ``lines`` = [(vat_rate, before, vat)] and totals that add up."""
    before = sum(Decimal(b) for _r, b, _v in lines)
    vat = sum(Decimal(v) for _r, _b, v in lines)
    issued = status in (Invoice.Status.ISSUED, Invoice.Status.CANCELLED)
    invoice = Invoice.objects.create(
        kind=kind, status=status, location=location, original=original,
        invoice_form="1", serial="C26MDH", number=next(_numbers) if issued else None,
        issued_at=day if issued else None, authority_code="M1-26-ABC" if issued else "",
        payment_method="TM", seller_name="Trung tâm VH-TT-TT", seller_tax_code="6100000004",
        seller_address="Đăk Hà", buyer_company=buyer_company, buyer_tax_code=buyer_tax_code,
        amount_before_vat=before, vat_total=vat, total=before + vat, total_in_words="…",
        last_error="Nhà cung cấp không trả lời" if status == Invoice.Status.FAILED else "",
        attempts=3 if status == Invoice.Status.FAILED else 1,
    )
    if not issued:  # its date is the day it was made
        Invoice.objects.filter(pk=invoice.pk).update(created_at=day)
    for position, (rate, b, v) in enumerate(lines, start=1):
        InvoiceLine.objects.create(invoice=invoice, position=position, name=f"Hàng {position}",
                                   quantity=1, unit_price=Decimal(b) + Decimal(v), vat_rate=rate,
                                   amount_before_vat=b, vat=v, total=Decimal(b) + Decimal(v))
    return invoice


LIST = "/office/invoices/"


def test_only_the_district_office_and_superusers(client, showcase):
    response = client.get(LIST)
    assert response.status_code == 302 and "login" in response["Location"]
    staff = get_user_model().objects.create_user("staff", "s@example.com", "x", is_staff=True)
    client.force_login(staff)
    for url in (LIST, LIST + "export.xlsx", LIST + f"{make_invoice(showcase, [('10', 100, 10)]).pk}/"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Phòng Nông nghiệp huyện" in response.content.decode()  # the shop's 403 page
    boss = get_user_model().objects.create_superuser("boss", "b@example.com", "x")
    client.force_login(boss)
    assert client.get(LIST).status_code == 200


def test_month_list_filters_and_totals_by_rate(client, office, showcase, commune_point,
                                               django_assert_max_num_queries):
    make_invoice(showcase, [("10", 100_000, 10_000), ("5", 200_000, 10_000)],
                 buyer_company="Công ty TNHH Quà Tặng", buyer_tax_code="0101234567")
    make_invoice(commune_point, [("8", 50_000, 4_000)])
    make_invoice(showcase, [("10", 999_000, 99_900)], status=Invoice.Status.CANCELLED)
    make_invoice(showcase, [("10", 7_000, 700)], day=NOV - datetime.timedelta(days=40))  # October
    for _index in range(27):
        make_invoice(showcase, [("exempt", 1_000, 0)])
    with django_assert_max_num_queries(25):  # the layout's own ~14 included
        response = client.get(LIST, {"month": "2026-11"})
    assert response.status_code == 200
    page = response.context
    assert len(page["invoices"]) == 30  # October's is not listed
    totals = page["totals"]
    rates = {row["rate"]: row for row in totals["rates"]}
    assert [row["rate"] for row in totals["rates"]] == ["5", "8", "10", "exempt"]
    assert rates["10"]["vat"] == 10_000  # the cancelled invoice is not counted
    assert rates["5"]["amount_before_vat"] == 200_000
    assert rates["exempt"]["total"] == 27_000
    assert totals["total"] == 110_000 + 210_000 + 54_000 + 27_000
    body = response.content.decode()
    assert "Công ty TNHH Quà Tặng" in body and "M1-26-ABC" in body

    response = client.get(LIST, {"month": "2026-11", "location": commune_point.pk})
    assert [inv.location_id for inv in response.context["invoices"]] == [commune_point.pk]
    assert response.context["totals"]["total"] == 54_000
    response = client.get(LIST, {"month": "2026-11", "status": "cancelled"})
    assert len(response.context["invoices"]) == 1
    response = client.get(LIST, {"month": "2026-10"})
    assert response.context["totals"]["total"] == 7_700


def test_failed_tab_lists_failed_issues_with_a_retry_form(client, office, showcase):
    failed = make_invoice(showcase, [("10", 1_000, 100)], status=Invoice.Status.FAILED,
                          day=NOV - datetime.timedelta(days=90))
    make_invoice(showcase, [("10", 1_000, 100)])
    response = client.get(LIST, {"tab": "failed"})
    assert [inv.pk for inv in response.context["invoices"]] == [failed.pk]
    body = response.content.decode()
    assert reverse("invoicing:retry", args=[failed.pk]) in body
    assert "csrfmiddlewaretoken" in body and "Nhà cung cấp không trả lời" in body


def test_retry_is_post_only(client, office, showcase):
    failed = make_invoice(showcase, [("10", 1_000, 100)], status=Invoice.Status.FAILED)
    assert client.get(reverse("invoicing:retry", args=[failed.pk])).status_code == 405


def test_retry_sends_the_failed_invoice_again(client, office, showcase):
    pytest.importorskip("shop.invoicing.issuing")
    failed = make_invoice(showcase, [("10", 1_000, 100)], status=Invoice.Status.FAILED)
    response = client.post(reverse("invoicing:retry", args=[failed.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("invoicing:list") + "?tab=failed"
    failed.refresh_from_db()
    assert failed.status == Invoice.Status.ISSUED, failed.last_error
    assert failed.number and failed.authority_code and failed.attempts == 4
    assert str(failed) in response.content.decode()  # the message says which


def test_detail_shows_seller_buyer_lines_rates_and_corrections(client, office, showcase):
    original = make_invoice(showcase, [("10", 100_000, 10_000), ("5", 20_000, 1_000)],
                            buyer_company="UBND xã Đăk Mar", buyer_tax_code="6100123456")
    Invoice.objects.filter(pk=original.pk).update(total_in_words="Một trăm ba mươi mốt nghìn đồng")
    adjustment = make_invoice(showcase, [("10", -10_000, -1_000)], kind=Invoice.Kind.ADJUSTMENT,
                              original=original)
    response = client.get(reverse("invoicing:detail", args=[original.pk]))
    body = response.content.decode()
    assert "UBND xã Đăk Mar" in body and "Trung tâm VH-TT-TT" in body
    assert "Một trăm ba mươi mốt nghìn đồng" in body
    assert [row["label"] for row in response.context["by_rate"]] == ["5%", "10%"]
    assert reverse("invoicing:detail", args=[adjustment.pk]) in body
    response = client.get(reverse("invoicing:detail", args=[adjustment.pk]))
    assert reverse("invoicing:detail", args=[original.pk]) in response.content.decode()


def test_xlsx_export_of_the_month(client, office, showcase):
    make_invoice(showcase, [("10", 100_000, 10_000), ("5", 200_000, 10_000)],
                 buyer_company="Công ty TNHH Quà Tặng", buyer_tax_code="0101234567")
    make_invoice(showcase, [("8", 50_000, 4_000)], day=NOV + datetime.timedelta(days=1))
    make_invoice(showcase, [("10", 1_000, 100)], status=Invoice.Status.CANCELLED)
    make_invoice(showcase, [("10", 7_000, 700)], day=NOV - datetime.timedelta(days=40))
    response = client.get(reverse("invoicing:export"), {"month": "2026-11"})
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX
    assert response["Content-Disposition"] == 'attachment; filename="hoa-don-2026-11.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=exports.HEADER_ROW, values_only=True))
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert header[:6] == ("Mẫu số", "Ký hiệu", "Số hoá đơn", "Ngày lập", "Người mua",
                          "Mã số thuế người mua")
    assert len(body) == 3
    first = dict(zip(header, body[0], strict=True))
    assert first["Người mua"] == "Công ty TNHH Quà Tặng"
    assert first["Mã số thuế người mua"] == "0101234567"
    assert first["Ngày lập"].date() == datetime.date(2026, 11, 10)
    assert first["Tiền trước thuế"] == 300_000
    assert first["Thuế GTGT 5%"] == 10_000 and first["Thuế GTGT 10%"] == 10_000
    assert first["Tổng tiền thanh toán"] == 320_000
    assert first["Mã của cơ quan thuế"] == "M1-26-ABC"
    totals = dict(zip(header, total, strict=True))
    assert totals["Mẫu số"] == "Tổng cộng"
    assert totals["Tổng tiền thanh toán"] == 320_000 + 54_000  # not the cancelled one
    assert totals["Thuế GTGT 8%"] == 4_000


def test_admin_pages_open(client, showcase):
    boss = get_user_model().objects.create_superuser("boss", "b@example.com", "x")
    client.force_login(boss)
    invoice = make_invoice(showcase, [("10", 1_000, 100)])
    profile = SellerProfile.objects.create(location=showcase, legal_name="A", tax_code="6100000000",
                                           address="B", serial="C26MDH")
    assert client.get(reverse("admin:invoicing_invoice_change", args=[invoice.pk])).status_code == 200
    assert client.get(reverse("admin:invoicing_invoice_changelist")).status_code == 200
    assert client.get(reverse("admin:invoicing_sellerprofile_change", args=[profile.pk])).status_code == 200
    assert client.get(reverse("admin:invoicing_invoice_add")).status_code == 403


def test_month_parsing():
    assert exports.parse_month("2026-02") == (2026, 2)
    assert exports.parse_month("junk", today=datetime.date(2026, 5, 3)) == (2026, 5)
    start, end = exports.month_bounds(2026, 12)
    assert (start.year, start.month, end.year, end.month) == (2026, 12, 2027, 1)
    assert timezone.localtime(start).hour == 0


# --- the demo ---------------------------------------------------------------------------

from pos.models import TillSale  # noqa: E402
from shop.invoicing import demo, taxcode  # noqa: E402
from tests.pos.conftest import api, locs, session, shop  # noqa: E402, F401 (fixtures)
from tests.pos.factories import new_uuid  # noqa: E402
from tests.showroom.factories import make_product  # noqa: E402


def test_demo_sellers_vat_categories_and_invoices_once(shop, api, session):  # noqa: F811
    wine = make_product(title="Rượu ghè Hà Mòn bình 3 lít", num_in_stock=0, with_image=False)
    rice = make_product(title="Gạo thơm Ngọk Wang túi 5 kg", num_in_stock=0, with_image=False)
    coffee = shop.offers[0]
    body = {"client_uuid": new_uuid(), "session": session.pk,
            "lines": [{"stockrecord": coffee.pk, "quantity": 2}],
            "tenders": [{"kind": "cash", "tendered": 10_000_000}]}
    response = api.post(reverse("pos:api-sales", args=[shop.register.pk]), body, format="json")
    assert response.status_code == 201, response.content
    sale = TillSale.objects.get(pk=response.json()["id"])
    Invoice.objects.filter(till_sale=sale).delete()  # rung before the seller existed

    demo.load_demo_invoicing()

    profiles = {p.location.code: p for p in SellerProfile.objects.select_related("location")}
    assert {code: p.invoice_form + p.serial for code, p in profiles.items()} == {
        "showcase": "1C26MDH", "dak-mar": "1C26MDM", "ngok-wang": "1C26MNW"}
    assert profiles["showcase"].legal_name == "Trung tâm Văn hoá – Thông tin và Thể thao huyện Đăk Hà"
    assert all(len(p.tax_code) == 10 and taxcode.is_valid(p.tax_code) for p in profiles.values())
    wine.refresh_from_db()
    rice.refresh_from_db()
    assert (wine.vat_category, wine.vat_reduction_excluded) == ("10", True)
    assert rice.vat_category == "5"
    invoice = Invoice.objects.get(till_sale=sale)
    assert invoice.status == Invoice.Status.ISSUED and invoice.authority_code
    assert invoice.total == sale.total
    assert invoice.buyer_company == demo.BUSINESS_BUYER["company"]
    assert taxcode.is_valid(invoice.buyer_tax_code)

    profiles["dak-mar"].legal_name = "Đã sửa"
    profiles["dak-mar"].save()
    demo.load_demo_invoicing()  # again: nothing new, the office's edit kept
    assert Invoice.objects.count() == 1 and SellerProfile.objects.count() == 3
    assert SellerProfile.objects.get(location__code="dak-mar").legal_name == "Đã sửa"
