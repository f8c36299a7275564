"""The till's invoice path, through the till API as the till page uses it: a sale's invoice
made once its transaction commits (a buyer's tax code typed at the till on it), a wrong
tax code refused before anything is written, an offline sale synced twice invoiced once,
a return's adjusting invoice."""

from decimal import Decimal

import pytest
from django.urls import reverse

from pos.models import TillSale
from shop.invoicing.models import Invoice, SellerProfile
from tests.pos.conftest import api, locs, session, shop  # noqa: F401 (fixtures)
from tests.pos.factories import new_uuid

pytestmark = pytest.mark.django_db


@pytest.fixture
def seller(shop):  # noqa: F811
    return SellerProfile.objects.create(
        location=shop.location, legal_name="HTX Dịch vụ OCOP Đăk Hà", tax_code="6100001230",
        address="Thị trấn Đăk Hà, Kon Tum", serial="C26MDH",
    )


def body(shop, session, quantity=2, **extra):  # noqa: F811
    price = int(shop.offers[0].price) * quantity
    return {
        "client_uuid": new_uuid(), "session": session.pk,
        "lines": [{"stockrecord": shop.offers[0].pk, "quantity": quantity}],
        "tenders": [{"kind": "cash", "tendered": price}], "client_total": price, **extra,
    }


def post(api, shop, data):  # noqa: F811
    return api.post(reverse("pos:api-sales", args=[shop.register.pk]), data, format="json")


def test_company_sale_gets_its_invoice_with_the_tax_code(api, shop, session, seller):  # noqa: F811
    response = post(api, shop, body(
        shop, session, buyer_name="Trần Thị Bình", buyer_company="Công ty TNHH Sự kiện Kon Tum",
        buyer_tax_code=" 0101.234.565 ", buyer_address="12 Trần Hưng Đạo, Kon Tum",
        buyer_email="ketoan@example.vn",
    ))
    assert response.status_code == 201, response.content
    sale = TillSale.objects.get()
    invoice = Invoice.objects.get()  # made when the sale committed
    assert invoice.till_sale == sale and invoice.kind == Invoice.Kind.ORIGINAL
    assert (invoice.buyer_company, invoice.buyer_tax_code, invoice.buyer_name) == (
        "Công ty TNHH Sự kiện Kon Tum", "0101234565", "Trần Thị Bình")
    assert invoice.buyer_address == "12 Trần Hưng Đạo, Kon Tum"
    assert invoice.total == sale.total == Decimal(240000)
    assert invoice.seller_name == "HTX Dịch vụ OCOP Đăk Hà" and invoice.payment_method == "Tiền mặt"


@pytest.mark.parametrize(("code", "words"), [
    ("0101234566", "sai chữ số kiểm tra"),
    ("01012345", "10 chữ số"),
    ("0101234565-000", "001 đến 999"),
    ("MST0101234565", "chỉ gồm chữ số"),
])
def test_wrong_tax_code_is_refused_and_nothing_written(api, shop, session, seller, code, words):  # noqa: F811
    response = post(api, shop, body(shop, session, buyer_company="Công ty A", buyer_tax_code=code))
    assert response.status_code == 400, response.content
    error = response.json()
    assert error["code"] == "bad_tax_code" and error["field"] == "buyer_tax_code"
    assert words in error["detail"]
    assert not TillSale.objects.exists() and not Invoice.objects.exists()


def test_company_without_tax_code_is_refused(api, shop, session, seller):  # noqa: F811
    response = post(api, shop, body(shop, session, buyer_company="Công ty A"))
    assert response.status_code == 400 and response.json()["code"] == "bad_tax_code"
    assert "mã số thuế" in response.json()["detail"]
    assert not TillSale.objects.exists()


def test_consumer_sale_is_invoiced_without_buyer(api, shop, session, seller):  # noqa: F811
    assert post(api, shop, body(shop, session)).status_code == 201
    invoice = Invoice.objects.get()
    assert invoice.buyer_tax_code == "" and invoice.buyer_company == ""


def test_offline_sale_synced_twice_is_invoiced_once(api, shop, session, seller):  # noqa: F811
    data = body(shop, session, offline=True, rung_at=session.opened_at.isoformat(),
                buyer_company="Công ty A", buyer_tax_code="0101234565")
    first = post(api, shop, data)
    again = post(api, shop, data)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert TillSale.objects.count() == 1
    invoice = Invoice.objects.get()
    assert invoice.till_sale_id == first.json()["id"] and invoice.buyer_tax_code == "0101234565"


def test_return_at_the_till_gets_an_adjusting_invoice(api, shop, session, seller):  # noqa: F811
    sale_id = post(api, shop, body(shop, session, quantity=3)).json()["id"]
    original = Invoice.objects.get()
    line = TillSale.objects.get(pk=sale_id).lines.get()
    response = api.post(reverse("pos:api-returns", args=[sale_id]), {
        "session": session.pk, "lines": [{"line": line.pk, "quantity": 1}], "refund_kind": "cash",
    }, format="json")
    assert response.status_code == 201, response.content
    adjustment = Invoice.objects.get(kind=Invoice.Kind.ADJUSTMENT)
    assert adjustment.original == original and adjustment.till_return_id == response.json()["id"]
    assert adjustment.total == -line.unit_price
    assert adjustment.reason.startswith("Trả hàng theo phiếu trả")
    assert [(x.quantity, x.total) for x in adjustment.lines.all()] == [(-1, -line.unit_price)]


def test_no_seller_profile_no_invoice_and_the_sale_stands(api, shop, session):  # noqa: F811
    assert post(api, shop, body(shop, session)).status_code == 201
    assert TillSale.objects.count() == 1 and not Invoice.objects.exists()
