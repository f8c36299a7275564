"""Online orders and their invoices: a company invoice asked at checkout (tax code checked,
the company the invoice's buyer), the office's consolidated invoice for a buyer's orders of
a period (never an order invoiced on its own), through the same provider path."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from shop.core.roles import DISTRICT_OFFICE
from shop.invoicing import consolidation
from shop.invoicing.models import ConsolidatedOrder, Invoice, InvoiceRequest, SellerProfile
from tests.checkout.support import ADDRESS, add_to_basket, checkout, shop_data
from tests.invoicing import this_years

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
COMPANY = {"wanted": "on", "company": "Công ty TNHH Sự kiện Kon Tum", "tax_code": "0101.234.565",
           "address": "12 Trần Hưng Đạo, Kon Tum", "email": "ketoan@example.vn"}


@pytest.fixture
def online(db):
    locations, coffee, honey = shop_data()
    SellerProfile.objects.create(location=locations[0], legal_name="HTX Dịch vụ OCOP Đăk Hà",
                                 tax_code="6100001230", address="Đăk Hà", serial="C26MDH")
    return coffee, honey


def walk_to_payment(client):
    assert client.post(reverse("checkout:index"), {"username": "khach@example.vn",
                                                   "options": "anonymous"}).status_code == 302
    assert client.post(reverse("checkout:shipping-address"), ADDRESS).status_code == 302
    assert client.post(reverse("checkout:shipping-method"),
                       {"method_code": "delivery"}).status_code == 302


def pay_method(client, method="vietqr", **einvoice):
    return client.post(reverse("checkout:payment-method"), {
        "method": method, **{f"einvoice-{k}": v for k, v in einvoice.items()}})


def order_paid_with(client, coffee, einvoice, capture, placed=None):
    """A VietQR order with the company request ``einvoice``, confirmed paid; the order."""
    from shop.payment import payments

    add_to_basket(client, coffee, 1)
    walk_to_payment(client)
    assert pay_method(client, **einvoice).status_code == 302
    assert client.post(reverse("checkout:preview"), {"action": "place_order"}).status_code == 302
    order = Order.objects.order_by("-pk").first()
    if placed:
        Order.objects.filter(pk=order.pk).update(date_placed=placed)
        order.refresh_from_db()
    with capture(execute=True):
        payments.confirm_transfer(order, order.total_incl_tax)
    return order


@pytest.mark.parametrize(("typed", "field", "words"), [
    ({"tax_code": "0101234566"}, "tax_code", "sai chữ số kiểm tra"),
    ({"tax_code": "01012345"}, "tax_code", "10 chữ số"),
    ({"tax_code": ""}, "tax_code", "Hãy nhập mã số thuế"),
    ({"company": "  "}, "company", "Hãy nhập tên công ty"),
    ({"address": ""}, "address", "Hãy nhập địa chỉ công ty"),
])
def test_a_wrong_company_request_is_refused_with_the_reason(client, online, typed, field, words):
    coffee, _honey = online
    add_to_basket(client, coffee)
    walk_to_payment(client)
    response = pay_method(client, **{**COMPANY, **typed})
    assert response.status_code == 400
    assert words in " ".join(response.context["einvoice_form"].errors[field])
    assert words in response.content.decode()
    client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert not Order.objects.exists() and not InvoiceRequest.objects.exists()


def test_unticked_box_keeps_nothing_of_what_was_typed(client, online):
    coffee, _honey = online
    add_to_basket(client, coffee)
    response = checkout(client, method="cod", extra_post={})
    assert response.status_code == 302
    assert Order.objects.count() == 1 and not InvoiceRequest.objects.exists()
    # typed without the box: ignored, even a wrong code
    add_to_basket(client, coffee)
    walk_to_payment(client)
    assert pay_method(client, method="cod", company="X", tax_code="123").status_code == 302


def test_company_request_is_shown_kept_and_is_the_buyer_of_the_invoice(
        client, online, django_capture_on_commit_callbacks):
    coffee, _honey = online
    add_to_basket(client, coffee, 2)
    walk_to_payment(client)
    page = client.get(reverse("checkout:payment-method")).content.decode()
    assert 'id="einvoice-request-form"' in page and "Xuất hoá đơn GTGT cho công ty" in page
    assert pay_method(client, **COMPANY).status_code == 302
    preview = client.get(reverse("checkout:preview")).content.decode()
    assert '<span id="einvoice-tax-code">0101234565</span>' in preview
    assert "Công ty TNHH Sự kiện Kon Tum" in preview
    assert client.post(reverse("checkout:preview"), {"action": "place_order"}).status_code == 302
    order = Order.objects.get()
    request = InvoiceRequest.objects.get()
    assert (request.order, request.company, request.tax_code, request.consolidate) == (
        order, "Công ty TNHH Sự kiện Kon Tum", "0101234565", False)
    # resubmitting the form keeps one order and one request
    client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert Order.objects.count() == 1 and InvoiceRequest.objects.count() == 1

    from shop.payment import payments

    with django_capture_on_commit_callbacks(execute=True):
        payments.confirm_transfer(order, order.total_incl_tax)
    invoice = Invoice.objects.get(order=order)
    assert invoice.status == Invoice.Status.ISSUED  # the local provider
    assert (invoice.buyer_company, invoice.buyer_tax_code, invoice.buyer_address,
            invoice.buyer_email) == ("Công ty TNHH Sự kiện Kon Tum", "0101234565",
                                     "12 Trần Hưng Đạo, Kon Tum", "ketoan@example.vn")
    assert invoice.buyer_name == ADDRESS["full_name"]
    assert invoice.total == order.total_incl_tax


# --- consolidated invoice -------------------------------------------------------------


@pytest.fixture
def office(client):
    user = get_user_model().objects.create_user("office", "office@example.com", "x", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=DISTRICT_OFFICE)[0])
    return user


def test_consolidated_invoice_for_a_buyers_orders_of_a_period(
        client, online, office, django_capture_on_commit_callbacks):
    coffee, honey = online
    today = timezone.localdate()
    start = today - datetime.timedelta(days=20)
    tz = timezone.get_current_timezone()
    at = [datetime.datetime.combine(today - datetime.timedelta(days=d), datetime.time(10),
                                    tzinfo=tz) for d in (15, 10, 5, 30)]
    grouped = {**COMPANY, "consolidate": "on"}
    a = order_paid_with(client, coffee, grouped, django_capture_on_commit_callbacks, at[0])
    b = order_paid_with(client, honey, grouped, django_capture_on_commit_callbacks, at[1])
    own = order_paid_with(client, coffee, COMPANY, django_capture_on_commit_callbacks, at[2])
    before = order_paid_with(client, coffee, grouped, django_capture_on_commit_callbacks, at[3])
    # asked to consolidate: no invoice of their own when paid; the other one has its own
    assert not Invoice.objects.filter(order__in=[a, b, before]).exists()
    assert Invoice.objects.get(order=own).status == Invoice.Status.ISSUED

    client.force_login(office)
    url = reverse("invoicing:consolidate")
    page = client.get(url)
    assert page.status_code == 200 and "0101234565" in page.content.decode()  # waiting buyers
    listed = client.get(url, {"tax_code": "0101234565", "start": start.isoformat(),
                              "end": today.isoformat()}).content.decode()
    assert f'data-order="{a.number}"' in listed and f'data-order="{b.number}"' in listed
    assert f'data-order="{own.number}"' not in listed  # invoiced on its own
    assert f'data-order="{before.number}"' not in listed  # out of the period

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"tax_code": "0101 234 565", "start": start.isoformat(),
                                     "end": today.isoformat()})
    invoice = Invoice.objects.get(period_start=start)
    assert response.status_code == 302 and response.url == reverse("invoicing:detail",
                                                                   args=[invoice.pk])
    assert invoice.status == Invoice.Status.ISSUED and invoice.number and invoice.authority_code
    assert invoice.order_id is None and invoice.kind == Invoice.Kind.ORIGINAL
    assert list(consolidation.orders_of(invoice)) == [a, b]
    assert invoice.total == a.total_incl_tax + b.total_incl_tax
    assert sum(line.total for line in invoice.lines.all()) == invoice.total
    assert invoice.buyer_tax_code == "0101234565" and invoice.period_end == today
    detail = client.get(response.url).content.decode()
    assert a.number in detail and b.number in detail

    # again: nothing left, a clear message, nothing written
    again = client.post(url, {"tax_code": "0101234565", "start": start.isoformat(),
                              "end": today.isoformat()})
    assert again.status_code == 400 and "Không có đơn nào" in again.content.decode()
    assert Invoice.objects.filter(period_start__isnull=False).count() == 1
    # an order in it is never invoiced on its own afterwards, and shows the consolidated one
    from shop.invoicing import builder

    assert builder.invoice_for_order(a) is None
    assert builder.summary_for_order(a)["label"].startswith("1" + this_years())
    # an order invoiced on its own is never consolidated again, whatever its request says
    InvoiceRequest.objects.filter(order=own).update(consolidate=True)
    with pytest.raises(consolidation.ConsolidationError):
        consolidation.consolidate("0101234565", today - datetime.timedelta(days=6), today)
    assert ConsolidatedOrder.objects.filter(order=own).count() == 0


@pytest.mark.parametrize(("tax_code", "start", "end", "words"), [
    ("0101234566", 1, 0, "sai chữ số kiểm tra"),
    ("0101234565", 0, 3, "trước ngày kết thúc"),
    ("0101234565", -1, -2, "tương lai"),
    ("0101234565", 5, 0, "Không có đơn nào"),
])
def test_consolidation_refuses_bad_input_clearly(client, online, office, tax_code, start, end, words):
    today = timezone.localdate()
    client.force_login(office)
    response = client.post(reverse("invoicing:consolidate"), {
        "tax_code": tax_code, "start": (today - datetime.timedelta(days=start)).isoformat(),
        "end": (today - datetime.timedelta(days=end)).isoformat()})
    assert response.status_code == 400 and words in response.content.decode()
    assert not Invoice.objects.exists()


def test_consolidation_is_for_the_office_only(client, online, django_user_model):
    url = reverse("invoicing:consolidate")
    assert client.get(url).status_code == 302  # sign in first
    client.force_login(django_user_model.objects.create_user("shopper", "s@example.vn", "x"))
    assert client.get(url).status_code == 403
    assert client.post(url, {"tax_code": "0101234565"}).status_code == 403


def test_partly_refunded_order_is_consolidated_at_what_was_paid(
        client, online, django_capture_on_commit_callbacks):
    coffee, _honey = online
    order = order_paid_with(client, coffee, {**COMPANY, "consolidate": "on"},
                            django_capture_on_commit_callbacks)
    from shop.payment.models import OrderPayment

    OrderPayment.objects.filter(order=order).update(
        amount_refunded=Decimal(50000), status=OrderPayment.Status.PARTIALLY_REFUNDED)
    today = timezone.localdate()
    invoice = consolidation.consolidate("0101234565", today, today)
    assert invoice.total == order.total_incl_tax - 50000
    assert sum(line.total for line in invoice.lines.all()) == invoice.total


# --- the "invoice issued" email -------------------------------------------------------


def test_buyer_gets_one_invoice_issued_email(client, online, mailoutbox,
                                              django_capture_on_commit_callbacks):
    from shop.invoicing import issuing, notify

    coffee, _honey = online
    order = order_paid_with(client, coffee, COMPANY, django_capture_on_commit_callbacks)
    invoice = Invoice.objects.get(order=order)
    assert invoice.status == Invoice.Status.ISSUED and invoice.buyer_notified_at is not None
    sent = [m for m in mailoutbox if m.to == ["ketoan@example.vn"]]
    assert len(sent) == 1
    mail = sent[0]
    label = f"1{this_years()} {invoice.number:08d}"
    assert label in mail.subject and order.number in mail.subject
    assert "Hoá đơn điện tử của đơn hàng đã được phát hành." in mail.body
    for text in (label[:7], f"{invoice.number:08d}", invoice.authority_code, invoice.lookup_code,
                 f"ma={invoice.lookup_code}", "0101234565"):
        assert text in mail.body, text
    html = mail.alternatives[0][0]
    assert invoice.authority_code in html and 'lang="vi"' in html
    # issued again, the task replayed: nothing more
    with django_capture_on_commit_callbacks(execute=True):
        issuing.issue(invoice)
    assert notify.send_invoice_issued_email(invoice.pk) == "nothing to send"
    assert len([m for m in mailoutbox if m.to == ["ketoan@example.vn"]]) == 1
    # the order page shows it too
    url = reverse("checkout:order-status", kwargs={"number": order.number,
                                                   "hash": order.verification_hash()})
    assert f'<strong id="einvoice-label">{label}</strong>' in client.get(url).content.decode()


def test_invoice_email_waits_for_the_number(client, online, mailoutbox,
                                            django_capture_on_commit_callbacks, settings):
    """Provider down: no email; once issued (the office's retry): the email, once."""
    from shop.invoicing import issuing
    from shop.invoicing.providers.base import ProviderUnavailable

    coffee, _honey = online

    def down(*args, **kwargs):
        raise ProviderUnavailable("down")

    from shop.invoicing.providers.fake import LocalProvider

    original = LocalProvider.send
    LocalProvider.send = down
    try:
        order = order_paid_with(client, coffee, COMPANY, django_capture_on_commit_callbacks)
    finally:
        LocalProvider.send = original
    invoice = Invoice.objects.get(order=order)
    assert invoice.status == Invoice.Status.FAILED
    assert not [m for m in mailoutbox if m.to == ["ketoan@example.vn"]]
    with django_capture_on_commit_callbacks(execute=True):
        issuing.retry(invoice)
    assert len([m for m in mailoutbox if m.to == ["ketoan@example.vn"]]) == 1


def test_consolidated_invoice_is_emailed_with_its_orders(client, online, mailoutbox,
                                                         django_capture_on_commit_callbacks):
    coffee, honey = online
    grouped = {**COMPANY, "consolidate": "on"}
    a = order_paid_with(client, coffee, grouped, django_capture_on_commit_callbacks)
    b = order_paid_with(client, honey, grouped, django_capture_on_commit_callbacks)
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        invoice = consolidation.consolidate("0101234565", today, today)
    sent = [m for m in mailoutbox if m.to == ["ketoan@example.vn"]]
    assert len(sent) == 1
    assert a.number in sent[0].subject and b.number in sent[0].subject
    assert "gộp các đơn hàng" in sent[0].body
    invoice.refresh_from_db()
    assert invoice.authority_code in sent[0].body


def test_the_demos_invoices_email_nobody(client, online, mailoutbox,
                                         django_capture_on_commit_callbacks):
    from shop.invoicing import demo

    coffee, _honey = online
    add_to_basket(client, coffee, 1)
    checkout(client, method="vietqr")
    order = Order.objects.get()
    from shop.payment.models import OrderPayment

    OrderPayment.objects.filter(order=order).update(status=OrderPayment.Status.PAID)
    sent = len(mailoutbox)
    with django_capture_on_commit_callbacks(execute=True):
        demo.load_demo_invoices()
    invoice = Invoice.objects.get(order=order)
    assert invoice.status == Invoice.Status.ISSUED and invoice.buyer_notified_at is None
    assert len(mailoutbox) == sent


def test_demo_company_requests_and_consolidated_invoice_once(client, online,
                                                              django_capture_on_commit_callbacks):
    from shop.invoicing import demo
    from shop.payment.models import OrderPayment

    coffee, _honey = online
    for _ in range(4):
        add_to_basket(client, coffee, 1)
        checkout(client, method="vietqr")
    OrderPayment.objects.update(status=OrderPayment.Status.PAID)  # paid, not invoiced yet
    first, second, third, fourth = Order.objects.order_by("date_placed", "pk")
    with django_capture_on_commit_callbacks(execute=True):
        demo.load_demo_invoices()
    consolidated = Invoice.objects.get(period_start__isnull=False)
    assert consolidated.status == Invoice.Status.ISSUED
    assert list(consolidation.orders_of(consolidated)) == [first, second]
    assert consolidated.buyer_tax_code == demo.BUSINESS_BUYER["tax_code"]
    own = Invoice.objects.get(order=third)
    assert own.buyer_company == demo.BUSINESS_BUYER["company"]
    assert Invoice.objects.get(order=fourth).buyer_company == ""
    with django_capture_on_commit_callbacks(execute=True):
        demo.load_demo_invoices()  # again: nothing new
    assert Invoice.objects.count() == 3 and InvoiceRequest.objects.count() == 3


def test_consolidate_page_queries_do_not_grow_with_the_orders(
        client, online, office, django_capture_on_commit_callbacks, django_assert_max_num_queries):
    coffee, _honey = online
    grouped = {**COMPANY, "consolidate": "on"}
    for _ in range(5):
        order_paid_with(client, coffee, grouped, django_capture_on_commit_callbacks)
    client.force_login(office)
    today = timezone.localdate().isoformat()
    with django_assert_max_num_queries(24):  # 3 of its own, the rest the layout's
        page = client.get(reverse("invoicing:consolidate"),
                          {"tax_code": "0101234565", "start": today, "end": today})
    assert page.content.decode().count("data-order=") == 5
