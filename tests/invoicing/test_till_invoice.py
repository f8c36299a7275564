"""The till's invoice path, through the till API as the till page uses it: a sale's invoice
made once its transaction commits (a buyer's tax code typed at the till on it), a wrong
tax code refused before anything is written, an offline sale synced twice invoiced once,
a return's adjusting invoice."""

from decimal import Decimal

import pytest
from django.urls import reverse

from pos.models import TillSale
from shop.invoicing.models import Invoice, SellerProfile
from tests.invoicing import this_years
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


# --- the receipt ----------------------------------------------------------------------


def issue_by_hand(invoice, number=12):
    """What the provider sets when it issues (the provider's own tests cover issuing)."""
    Invoice.objects.filter(pk=invoice.pk).update(
        status=Invoice.Status.ISSUED, number=number, authority_code="M1-26-ABCDE-00000000012",
        lookup_code="TC7Q2X9", issued_at=invoice.created_at,
    )


def test_receipt_shows_the_invoice_pending_then_issued(api, shop, session, seller, client):  # noqa: F811
    import io

    from pypdf import PdfReader

    sale_id = post(api, shop, body(shop, session)).json()["id"]
    invoice = Invoice.objects.get()
    Invoice.objects.filter(pk=invoice.pk).update(status=Invoice.Status.PENDING)
    client.force_login(shop.cashier)
    page = client.get(reverse("pos:receipt", args=[sale_id])).content.decode()
    assert "Hoá đơn điện tử: đang phát hành" in page

    issue_by_hand(invoice)
    page = client.get(reverse("pos:receipt", args=[sale_id])).content.decode()
    assert f'<span id="einvoice-label">1{this_years()} 00000012</span>' in page
    assert "M1-26-ABCDE-00000000012" in page and "TC7Q2X9" in page and "<svg" in page
    pdf = client.get(reverse("pos:receipt-pdf", args=[sale_id]))
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert f"1{this_years()} 00000012" in text and "M1-26-ABCDE-00000000012" in text and "TC7Q2X9" in text


def test_receipt_of_a_point_without_invoices_says_nothing_of_them(api, shop, session, client):  # noqa: F811
    sale_id = post(api, shop, body(shop, session)).json()["id"]
    client.force_login(shop.cashier)
    page = client.get(reverse("pos:receipt", args=[sale_id])).content.decode()
    assert "Hoá đơn điện tử" not in page


# --- online orders --------------------------------------------------------------------


@pytest.fixture
def online(db):
    from shop.invoicing import hooks
    from tests.checkout.support import shop_data

    hooks.connect()  # as the app's ready() does
    locations, coffee, honey = shop_data()
    SellerProfile.objects.create(location=locations[0], legal_name="HTX Dịch vụ OCOP Đăk Hà",
                                 tax_code="6100001230", address="Đăk Hà", serial="C26MDH")
    return coffee, honey


def test_vietqr_order_is_invoiced_when_paid(client, online, django_capture_on_commit_callbacks):
    from oscar.core.loading import get_model

    from shop.payment import payments
    from tests.checkout.support import add_to_basket, checkout

    coffee, honey = online
    add_to_basket(client, coffee, 1)
    add_to_basket(client, honey, 1)
    checkout(client, method="vietqr")
    order = get_model("order", "Order").objects.get()
    assert not Invoice.objects.exists()  # not paid yet
    with django_capture_on_commit_callbacks(execute=True):
        payments.confirm_transfer(order, order.total_incl_tax)
    invoice = Invoice.objects.get(order=order)
    assert invoice.total == order.total_incl_tax and invoice.payment_method == "Chuyển khoản"
    assert sum(line.total for line in invoice.lines.all()) == order.total_incl_tax
    assert [line.name for line in invoice.lines.all()][:2] == [coffee.product.title, honey.product.title]

    url = reverse("checkout:order-status", kwargs={"number": order.number, "hash": order.verification_hash()})
    Invoice.objects.filter(pk=invoice.pk).update(status=Invoice.Status.PENDING)
    assert "Hoá đơn điện tử: đang phát hành" in client.get(url).content.decode()
    issue_by_hand(invoice, number=7)
    page = client.get(url).content.decode()
    assert f'<strong id="einvoice-label">1{this_years()} 00000007</strong>' in page and "TC7Q2X9" in page


def test_cod_order_is_invoiced_when_delivered(client, online, django_capture_on_commit_callbacks):
    from oscar.core.loading import get_class, get_model

    from tests.checkout.support import add_to_basket, checkout

    coffee, _honey = online
    add_to_basket(client, coffee, 1)
    checkout(client, method="cod")
    order = get_model("order", "Order").objects.get()
    handler = get_class("order.processing", "EventHandler")()
    with django_capture_on_commit_callbacks(execute=True):
        handler.handle_order_status_change(order, "Đang giao")
    assert not Invoice.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        handler.handle_order_status_change(order, "Đã giao")
    invoice = Invoice.objects.get(order=order)
    assert invoice.total == order.total_incl_tax == Decimal(170000)
    assert invoice.payment_method == "Tiền mặt"
    shipping = invoice.lines.get(name="Phí vận chuyển")
    assert shipping.total == order.shipping_incl_tax == Decimal(20000)


def test_offline_sale_with_a_wrong_tax_code_is_kept_without_it(api, shop, session, seller):  # noqa: F811
    data = body(shop, session, offline=True, rung_at=session.opened_at.isoformat(),
                buyer_name="Lê Văn C", buyer_company="Công ty B", buyer_tax_code="0101234566")
    response = post(api, shop, data)
    assert response.status_code == 201, response.content  # it already happened
    invoice = Invoice.objects.get()
    assert (invoice.buyer_name, invoice.buyer_company, invoice.buyer_tax_code) == ("Lê Văn C", "", "")


def test_offline_sale_synced_days_later_is_dated_with_the_sale(api, shop, session, seller):  # noqa: F811
    """Decree 123 art. 9: a cash-register invoice is dated with the time of the sale, not
    the day the till synced it; its number is given when it is issued."""
    import datetime

    from django.utils import timezone

    from shop.invoicing import exports
    from shop.invoicing.providers.xml import invoice_xml, read

    three_days_ago = timezone.now() - datetime.timedelta(days=3)
    type(session).objects.filter(pk=session.pk).update(opened_at=three_days_ago)
    session.refresh_from_db()
    rung = three_days_ago + datetime.timedelta(hours=1)
    response = post(api, shop, body(shop, session, offline=True, rung_at=rung.isoformat()))
    assert response.status_code == 201, response.content
    invoice = Invoice.objects.get()
    assert invoice.status == Invoice.Status.ISSUED and invoice.number
    assert invoice.sold_at == rung == TillSale.objects.get().rung_at
    assert timezone.localdate(invoice.issued_at) == timezone.localdate()  # issued at the sync
    assert read(invoice_xml(invoice, "0100109106"))["day"] == timezone.localdate(rung).isoformat()
    assert exports.invoice_day(invoice) == timezone.localdate(rung)
    listed = exports.invoices(rung.year, timezone.localtime(rung).month)
    assert invoice in listed


def test_online_sale_is_dated_the_day_it_is_issued(api, shop, session, seller):  # noqa: F811
    from django.utils import timezone

    from shop.invoicing.providers.xml import invoice_xml, read

    assert post(api, shop, body(shop, session)).status_code == 201
    invoice = Invoice.objects.get()
    assert read(invoice_xml(invoice, "0100109106"))["day"] == timezone.localdate().isoformat()
