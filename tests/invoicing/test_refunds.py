"""An online order refunded or cancelled: the adjusting invoice referencing the original,
or the original cancelled when the sale is undone before delivery (shop.invoicing.refunds),
through the staff refund page and Stripe's webhook (a local fake Stripe)."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from shop.invoicing import consolidation, refunds
from shop.invoicing.models import Invoice, SellerProfile
from shop.invoicing.providers.xml import invoice_xml
from shop.payment.models import OrderPayment, PaymentRefund
from tests.checkout.support import (
    FakeStripe,
    add_to_basket,
    checkout,
    event,
    intent_obj,
    post_event,
    shop_data,
    stripe_settings,
)

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")


@pytest.fixture
def fake_stripe(settings):
    fake = FakeStripe()
    stripe_settings(settings, fake)
    yield fake
    fake.stop()


@pytest.fixture
def online(db):
    locations, coffee, honey = shop_data()
    SellerProfile.objects.create(location=locations[0], legal_name="HTX Dịch vụ OCOP Đăk Hà",
                                 tax_code="6100001230", address="Đăk Hà", serial="C26MDH")
    return coffee, honey


@pytest.fixture
def staff(db):
    return get_user_model().objects.create_user("staff", "staff@example.vn", "pw-123456789",
                                                is_staff=True)


def paid_card_order(client, online, extra_post=None):
    """2 × coffee 150.000 đ + 20.000 đ delivery, paid by card (Stripe's webhook)."""
    coffee, _honey = online
    add_to_basket(client, coffee, 2)
    response = checkout(client, method="card", extra_post=extra_post)
    order = Order.objects.order_by("-pk").first()
    client.get(response["Location"])  # the card page makes the PaymentIntent
    payment = OrderPayment.objects.get(order=order)
    assert post_event(client, event("payment_intent.succeeded", intent_obj(
        payment.stripe_payment_intent, int(order.total_incl_tax), order.number))).content == b"paid"
    return order


def refund(client, staff, order, amount, reason=""):
    client.force_login(staff)
    response = client.post(reverse("ocop-payment:refund", kwargs={"number": order.number}),
                           {"amount": str(amount), "reason": reason})
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()


def delivered(order):
    Order.objects.filter(pk=order.pk).update(status="Đã giao")


def test_partial_refund_gives_an_adjusting_invoice_referencing_the_original(
        client, online, staff, fake_stripe):
    order = paid_card_order(client, online)
    original = Invoice.objects.get(order=order, kind=Invoice.Kind.ORIGINAL)
    assert original.status == Invoice.Status.ISSUED and original.total == 320000
    delivered(order)
    refund(client, staff, order, 100000, reason="Một gói cà phê bị rách")
    adjustment = Invoice.objects.get(kind=Invoice.Kind.ADJUSTMENT)
    assert adjustment.original == original and adjustment.order == order
    assert adjustment.payment_refund == PaymentRefund.objects.get()
    assert adjustment.reason == "Một gói cà phê bị rách"
    assert adjustment.total == -100000
    assert sum(line.total for line in adjustment.lines.all()) == -100000
    assert all(line.quantity == -1 for line in adjustment.lines.all())
    assert adjustment.status == Invoice.Status.ISSUED and adjustment.number  # local provider
    xml = invoice_xml(adjustment, "0100109106").decode()
    assert "<TCHDon>2</TCHDon>" in xml and f"<SHDCLQuan>{original.number}</SHDCLQuan>" in xml
    original.refresh_from_db()
    assert original.status == Invoice.Status.ISSUED  # adjusted, not cancelled
    # Stripe's charge.refunded for the same refund: no second adjustment
    payment = OrderPayment.objects.get(order=order)
    charge = {"id": "ch_1", "object": "charge", "amount": 320000, "amount_refunded": 100000,
              "currency": "vnd", "payment_intent": payment.stripe_payment_intent,
              "refunds": {"object": "list", "data": [
                  {"id": PaymentRefund.objects.get().stripe_refund_id, "object": "refund",
                   "amount": 100000, "status": "succeeded"}]}}
    assert post_event(client, event("charge.refunded", charge)).status_code == 200
    assert Invoice.objects.filter(kind=Invoice.Kind.ADJUSTMENT).count() == 1
    # the rest refunded: a second adjustment, the invoices together declare nothing
    refund(client, staff, order, 220000)
    assert Invoice.objects.filter(kind=Invoice.Kind.ADJUSTMENT).count() == 2
    assert sum(Invoice.objects.filter(order=order).values_list("total", flat=True)) == 0


def test_full_refund_before_delivery_cancels_the_invoice(client, online, staff, fake_stripe):
    order = paid_card_order(client, online)
    original = Invoice.objects.get(order=order)
    assert order.status != "Đã giao"
    refund(client, staff, order, 320000, reason="Khách huỷ trước khi giao")
    original.refresh_from_db()
    assert original.status == Invoice.Status.CANCELLED
    assert original.reason == "Khách huỷ trước khi giao"
    assert not Invoice.objects.filter(kind=Invoice.Kind.ADJUSTMENT).exists()
    # the order then cancelled by staff: nothing more
    from shop.payment import statuses

    order.refresh_from_db()
    order.set_status(statuses.CANCELLED)
    assert Invoice.objects.count() == 1


def test_full_refund_after_delivery_is_an_adjustment(client, online, staff, fake_stripe):
    order = paid_card_order(client, online)
    delivered(order)
    refund(client, staff, order, 320000)
    original = Invoice.objects.get(kind=Invoice.Kind.ORIGINAL)
    adjustment = Invoice.objects.get(kind=Invoice.Kind.ADJUSTMENT)
    assert original.status == Invoice.Status.ISSUED and adjustment.total == -320000
    assert adjustment.reason == f"Hoàn tiền đơn hàng {order.number}"


def test_paid_order_cancelled_before_delivery_cancels_its_invoice(
        client, online, django_capture_on_commit_callbacks):
    from shop.payment import payments, statuses

    coffee, _honey = online
    add_to_basket(client, coffee, 1)
    checkout(client, method="vietqr")
    order = Order.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        payments.confirm_transfer(order, order.total_incl_tax)
    invoice = Invoice.objects.get(order=order)
    assert invoice.status == Invoice.Status.ISSUED
    order.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        order.set_status(statuses.CANCELLED)
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.CANCELLED
    assert invoice.reason.startswith(f"Huỷ đơn hàng {order.number} trước khi giao")


def test_an_invoice_not_issued_yet_is_cancelled_without_being_sent(online):
    invoice = Invoice.objects.create(
        kind=Invoice.Kind.ORIGINAL, status=Invoice.Status.FAILED, invoice_form="1", serial="C26MDH",
        payment_method="Thẻ", seller_name="HTX", seller_tax_code="6100001230", seller_address="x",
        amount_before_vat=0, vat_total=0, total=0, total_in_words="Không đồng")
    refunds.cancel_original(invoice, "Huỷ")
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.CANCELLED and invoice.number is None
    from shop.invoicing import issuing

    assert issuing.issue(invoice).status == Invoice.Status.CANCELLED  # never sent afterwards


@pytest.mark.parametrize(("amount", "weights", "expected"), [
    (Decimal(100), {5: Decimal(1), 10: Decimal(2)}, {5: 33, 10: 67}),
    (Decimal(100000), {10: Decimal(300000), 5: Decimal(20000)}, {10: 93750, 5: 6250}),
    (Decimal(1), {5: Decimal(1), 10: Decimal(1)}, {5: 1}),
])
def test_refund_shares_add_up_to_the_refund(amount, weights, expected):
    result = refunds.shares(amount, weights)
    assert sum(result.values()) == amount
    assert {k: int(v) for k, v in result.items()} in (expected, {**expected})


def test_refund_after_consolidation_adjusts_the_consolidated_invoice(
        client, online, staff, fake_stripe, django_capture_on_commit_callbacks):
    company = {"einvoice-wanted": "on", "einvoice-company": "Công ty A",
               "einvoice-tax-code": "0101234565", "einvoice-address": "Kon Tum",
               "einvoice-consolidate": "on"}
    # the checkout walk posts the payment step itself: ask for the company invoice there
    coffee, _honey = online
    add_to_basket(client, coffee, 2)
    client.post(reverse("checkout:index"), {"username": "khach@example.vn", "options": "anonymous"})
    from tests.checkout.support import ADDRESS

    client.post(reverse("checkout:shipping-address"), ADDRESS)
    client.post(reverse("checkout:shipping-method"), {"method_code": "delivery"})
    data = {"method": "card", **{k.replace("tax-code", "tax_code"): v for k, v in company.items()}}
    assert client.post(reverse("checkout:payment-method"), data).status_code == 302
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    order = Order.objects.get()
    client.get(response["Location"])
    payment = OrderPayment.objects.get(order=order)
    post_event(client, event("payment_intent.succeeded", intent_obj(
        payment.stripe_payment_intent, int(order.total_incl_tax), order.number)))
    assert not Invoice.objects.exists()  # waits for its consolidation
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        consolidated = consolidation.consolidate("0101234565", today - datetime.timedelta(days=1),
                                                 today)
    refund(client, staff, order, 50000)
    adjustment = Invoice.objects.get(kind=Invoice.Kind.ADJUSTMENT)
    assert adjustment.original == consolidated and adjustment.total == -50000
    consolidated.refresh_from_db()
    assert consolidated.status == Invoice.Status.ISSUED  # never cancelled for one order
