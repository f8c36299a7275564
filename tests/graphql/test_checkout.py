"""The checkout through ``/graphql/`` as Saleor's storefront drives it, on the shop's own data.

Products and stock are made with the inventory's factories (stock received at
the sales points through ``showroom.inventory``); orders are placed by the
shop's ``OrderCreator``, so the one inventory's allocations and invariants are
checked after each order.
"""

import json
import re
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone
from oscar.core.loading import get_model

from shop.graphql.account import tokens
from shop.graphql.core.ids import to_global_id
from shop.graphql.models import Checkout
from shop.payment.models import OrderPayment
from showroom.models import Allocation
from tests.checkout.support import shop_data
from tests.showroom.conftest import assert_invariants
from tests.showroom.factories import make_offer, order_for

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")
Voucher = get_model("voucher", "Voucher")
Range = get_model("offer", "Range")
Condition = get_model("offer", "Condition")
Benefit = get_model("offer", "Benefit")
ConditionalOffer = get_model("offer", "ConditionalOffer")

pytestmark = pytest.mark.django_db

FRAGMENTS = """
fragment Money on Money { amount currency }
fragment AddressDetails on Address {
  id firstName lastName streetAddress1 city countryArea postalCode phone country { code }
}
fragment CheckoutLineDetails on CheckoutLine {
  id quantity requiresShipping
  problems { __typename }
  unitPrice { gross { ...Money } }
  undiscountedUnitPrice { ...Money }
  totalPrice { gross { ...Money } net { ...Money } }
  undiscountedTotalPrice { ...Money }
  variant { id name sku quantityAvailable product { id name slug } pricing { price { gross { ...Money } } } }
}
fragment CheckoutDetails on Checkout {
  id token email languageCode isShippingRequired quantity voucherCode discountName
  channel { slug currencyCode }
  lines { ...CheckoutLineDetails }
  subtotalPrice { gross { ...Money } }
  shippingPrice { gross { ...Money } }
  totalPrice { gross { ...Money } tax { ...Money } }
  discount { ...Money }
  shippingAddress { ...AddressDetails }
  billingAddress { ...AddressDetails }
  shippingMethods { id name active price { ...Money } }
  availableCollectionPoints { id name slug clickAndCollectOption address { streetAddress1 } }
  availablePaymentGateways { id name currencies config { field value } }
  problems {
    ... on CheckoutLineProblemInsufficientStock { availableQuantity variant { id } line { id } }
    ... on CheckoutLineProblemVariantNotAvailable { line { id } }
  }
  deliveryMethod {
    __typename
    ... on ShippingMethod { id name price { ...Money } }
    ... on Warehouse { id name clickAndCollectOption }
  }
}
fragment CheckoutErrorDetails on CheckoutError { field code message variants lines addressType }
"""

def doc(body):
    """``body`` with the fragments it spreads (and theirs), as a storefront's codegen sends it."""
    fragments = {}
    for chunk in re.split(r"\n(?=fragment )", FRAGMENTS.strip()):
        fragments[chunk.split()[1]] = chunk
    text, added = body, set()
    while True:
        wanted = set(re.findall(r"\.\.\.(\w+)", text)) - added
        if not wanted:
            return text
        for name in sorted(wanted):
            text += "\n" + fragments[name]
            added.add(name)


CREATE = doc("""
mutation CheckoutCreate($channel: String!, $lines: [CheckoutLineInput!]!, $email: String,
                        $languageCode: LanguageCodeEnum) {
  checkoutCreate(input: {channel: $channel, lines: $lines, email: $email, languageCode: $languageCode}) {
    checkout { ...CheckoutDetails }
    errors { ...CheckoutErrorDetails }
  }
}
""")

GET = doc("""
query CheckoutDetails($id: ID!) { checkout(id: $id) { ...CheckoutDetails } }
""")

SHIPPING_ADDRESS = doc("""
mutation SetShipping($id: ID!, $address: AddressInput!) {
  shipping: checkoutShippingAddressUpdate(id: $id, shippingAddress: $address) {
    checkout { id shippingAddress { ...AddressDetails } shippingMethods { id name price { ...Money } } }
    errors { ...CheckoutErrorDetails }
  }
}
""")

BILLING_ADDRESS = doc("""
mutation SetBilling($id: ID!, $address: AddressInput!) {
  billing: checkoutBillingAddressUpdate(id: $id, billingAddress: $address) {
    checkout { id billingAddress { ...AddressDetails } }
    errors { ...CheckoutErrorDetails }
  }
}
""")

DELIVERY = doc("""
mutation SetDelivery($id: ID!, $method: ID!) {
  checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) {
    checkout { ...CheckoutDetails }
    errors { ...CheckoutErrorDetails }
  }
}
""")

EMAIL = doc("""
mutation SetEmail($id: ID!, $email: String!) {
  checkoutEmailUpdate(id: $id, email: $email) { checkout { id email } errors { ...CheckoutErrorDetails } }
}
""")

LINES_ADD = doc("""
mutation AddLines($id: ID!, $lines: [CheckoutLineInput!]!) {
  checkoutLinesAdd(id: $id, lines: $lines) { checkout { ...CheckoutDetails } errors { ...CheckoutErrorDetails } }
}
""")

LINES_UPDATE = doc("""
mutation UpdateLines($id: ID!, $lines: [CheckoutLineUpdateInput!]!) {
  checkoutLinesUpdate(id: $id, lines: $lines) {
    checkout { ...CheckoutDetails } errors { ...CheckoutErrorDetails }
  }
}
""")

LINES_DELETE = doc("""
mutation DeleteLines($id: ID!, $linesIds: [ID!]!) {
  checkoutLinesDelete(id: $id, linesIds: $linesIds) {
    checkout { ...CheckoutDetails } errors { ...CheckoutErrorDetails }
  }
}
""")

PROMO_ADD = doc("""
mutation AddPromo($id: ID!, $code: String!) {
  checkoutAddPromoCode(id: $id, promoCode: $code) {
    checkout { ...CheckoutDetails } errors { ...CheckoutErrorDetails }
  }
}
""")

PROMO_REMOVE = doc("""
mutation RemovePromo($id: ID!, $code: String) {
  checkoutRemovePromoCode(id: $id, promoCode: $code) {
    checkout { ...CheckoutDetails } errors { ...CheckoutErrorDetails }
  }
}
""")

COMPLETE = doc("""
mutation Complete($id: ID!, $paymentData: JSONString) {
  checkoutComplete(id: $id, paymentData: $paymentData) {
    order { id number }
    confirmationNeeded
    confirmationData
    errors { ...CheckoutErrorDetails }
  }
}
""")

ADDRESS = {
    "firstName": "Nguyễn Thị", "lastName": "Lan", "phone": "0912 345 678",
    "countryArea": "Quảng Ngãi", "city": "Xã Đăk Hà", "streetAddress1": "12 Hùng Vương",
    "country": "VN",
}
CONTACT = {"firstName": "Nguyễn Thị", "lastName": "Lan", "phone": "0912345678", "country": "VN"}


def vid(stockrecord):
    return to_global_id("ProductVariant", stockrecord.product_id)


@pytest.fixture
def shop(db):
    return shop_data()


def create(gql, lines, email="khach@example.vn", **kwargs):
    answer = gql.data(CREATE, {"channel": "default-channel", "email": email,
                               "lines": [{"variantId": vid(sr), "quantity": q} for sr, q in lines]},
                      **kwargs)["checkoutCreate"]
    assert answer["errors"] == [], answer["errors"]
    return answer["checkout"]


def ready(gql, checkout, method="ShippingMethod:delivery", address=ADDRESS, **kwargs):
    cid = checkout["id"]
    if address is not None:
        shipping = gql.data(SHIPPING_ADDRESS, {"id": cid, "address": address}, **kwargs)["shipping"]
        assert shipping["errors"] == [], shipping["errors"]
    billing = gql.data(BILLING_ADDRESS, {"id": cid, "address": CONTACT}, **kwargs)["billing"]
    assert billing["errors"] == [], billing["errors"]
    method_id = method if ":" not in method else to_global_id(*method.split(":"))
    answer = gql.data(DELIVERY, {"id": cid, "method": method_id}, **kwargs)["checkoutDeliveryMethodUpdate"]
    assert answer["errors"] == [], answer["errors"]
    return answer["checkout"]


def complete(gql, checkout, gateway=None, **kwargs):
    variables = {"id": checkout["id"]}
    if gateway:
        variables["paymentData"] = json.dumps({"gateway": gateway})
    return gql.data(COMPLETE, variables, **kwargs)["checkoutComplete"]


def codes(errors):
    return [e["code"] for e in errors]


# --- A full checkout ------------------------------------------------------------------------


def test_guest_checkout_with_cash_on_delivery_places_the_order_in_the_one_inventory(
        gql, shop, django_capture_on_commit_callbacks):
    locations, coffee, honey = shop
    checkout = create(gql, [(coffee, 2), (honey, 1)])
    assert checkout["id"] == to_global_id("Checkout", checkout["token"])
    assert checkout["quantity"] == 3 and checkout["channel"]["slug"] == "default-channel"
    assert [line["quantity"] for line in checkout["lines"]] == [2, 1]
    assert checkout["lines"][0]["unitPrice"]["gross"] == {"amount": 150000, "currency": "VND"}
    assert checkout["lines"][0]["totalPrice"]["gross"]["amount"] == 300000
    assert checkout["lines"][0]["variant"]["id"] == vid(coffee)
    assert checkout["subtotalPrice"]["gross"]["amount"] == 520000
    assert checkout["shippingMethods"] == []  # no address yet
    assert {g["id"] for g in checkout["availablePaymentGateways"]} == {"ocop.cod", "ocop.vietqr"}
    assert all(g["currencies"] == ["VND"] for g in checkout["availablePaymentGateways"])
    points = {p["slug"]: p["clickAndCollectOption"] for p in checkout["availableCollectionPoints"]}
    # Đăk Mar holds 3 coffees and 2 honeys; Ngọk Wang nothing
    assert points == {"showcase": "LOCAL", "dak-mar": "LOCAL", "ngok-wang": "DISABLED"}

    shipping = gql.data(SHIPPING_ADDRESS, {"id": checkout["id"], "address": ADDRESS})["shipping"]
    assert shipping["errors"] == []
    assert shipping["checkout"]["shippingAddress"]["phone"] == "+84912345678"
    assert shipping["checkout"]["shippingAddress"]["countryArea"] == "Quảng Ngãi"
    assert [m["id"] for m in shipping["checkout"]["shippingMethods"]] == [
        to_global_id("ShippingMethod", "delivery")]
    # 520.000 ≥ 500.000: free delivery in Quảng Ngãi (the shop's fee table)
    assert shipping["checkout"]["shippingMethods"][0]["price"]["amount"] == 0
    checkout = ready(gql, checkout)
    assert checkout["deliveryMethod"]["__typename"] == "ShippingMethod"
    assert checkout["totalPrice"]["gross"]["amount"] == 520000

    with django_capture_on_commit_callbacks(execute=True):  # the request's commit sends the email
        answer = complete(gql, checkout)
    assert answer["errors"] == [] and answer["confirmationNeeded"] is False
    order = Order.objects.get()
    assert answer["order"]["number"] == order.number
    assert json.loads(answer["confirmationData"])["gateway"] == "ocop.cod"
    assert order.status == "Chờ xử lý" and order.total_incl_tax == Decimal("520000")
    assert order.guest_email == "khach@example.vn"
    assert order.shipping_address.state == "Quảng Ngãi" and order.shipping_address.line4 == "Xã Đăk Hà"
    assert order.shipping_code == "delivery"
    assert order.ocop_payment.method == OrderPayment.Method.COD
    assert sum(a.quantity for a in Allocation.objects.filter(line__order=order)) == 3
    assert Basket.objects.get(pk=Checkout.objects.get().basket_id).status == Basket.SUBMITTED
    assert len(mail.outbox) == 1 and order.number in mail.outbox[0].subject
    coffee.refresh_from_db()
    assert coffee.num_allocated == 2
    assert_invariants()

    # done: the checkout is gone for the storefront; completing again answers the same order
    assert gql.data(GET, {"id": checkout["id"]})["checkout"] is None
    with django_capture_on_commit_callbacks(execute=True):
        again = complete(gql, checkout)
    assert again["errors"] == [] and again["order"]["number"] == order.number
    assert Order.objects.count() == 1 and len(mail.outbox) == 1
    added = gql.data(LINES_ADD, {"id": checkout["id"], "lines": [{"variantId": vid(coffee), "quantity": 1}]})
    assert codes(added["checkoutLinesAdd"]["errors"]) == ["NOT_FOUND"]


def test_collect_at_a_sales_point_with_vietqr(gql, shop):
    locations, coffee, honey = shop
    checkout = create(gql, [(coffee, 5)])
    points = {p["slug"]: p for p in checkout["availableCollectionPoints"]}
    # Đăk Mar has 3 coffees: it cannot serve 5
    assert points["dak-mar"]["clickAndCollectOption"] == "DISABLED"
    refused = gql.data(DELIVERY, {"id": checkout["id"], "method": points["dak-mar"]["id"]})
    assert codes(refused["checkoutDeliveryMethodUpdate"]["errors"]) == ["INVALID_SHIPPING_METHOD"]
    assert "Điểm bán OCOP xã Đăk Mar" in refused["checkoutDeliveryMethodUpdate"]["errors"][0]["message"]

    checkout = ready(gql, checkout, method=points["showcase"]["id"], address=None)
    assert checkout["deliveryMethod"] == {"__typename": "Warehouse", "id": points["showcase"]["id"],
                                          "name": locations[0].name, "clickAndCollectOption": "LOCAL"}
    assert checkout["shippingPrice"]["gross"]["amount"] == 0
    answer = complete(gql, checkout, gateway="ocop.vietqr")
    assert answer["errors"] == []
    order = Order.objects.get()
    data = json.loads(answer["confirmationData"])
    assert data["gateway"] == "ocop.vietqr" and data["orderNumber"] == order.number
    assert data["vietqr"]["transferPurpose"] == f"DH{order.number}"
    assert data["vietqr"]["payload"].startswith("000201") and "<svg" in data["vietqr"]["qrSvg"]
    assert data["orderStatusPath"].startswith("/")
    assert order.status == "Chờ thanh toán" and order.ocop_payment.method == OrderPayment.Method.VIETQR
    assert order.shipping_code == "collect-showcase"
    assert str(order.shipping_address.phone_number) == "+84912345678"
    allocations = Allocation.objects.filter(line__order=order)
    assert {a.stock.location.code for a in allocations} == {"showcase"}
    assert sum(a.quantity for a in allocations) == 5
    assert_invariants()


def test_signed_in_buyer_owns_the_checkout_and_the_order(gql, shop):
    _locations, coffee, _honey = shop
    User = get_user_model()
    owner = User.objects.create_user(username="lan", email="lan@example.vn", password="x-pass-123")
    other = User.objects.create_user(username="hoa", email="hoa@example.vn", password="x-pass-123")
    owner_token, other_token = tokens.access_token(owner), tokens.access_token(other)
    checkout = create(gql, [(coffee, 1)], email=None, token=owner_token)
    assert checkout["email"] == "lan@example.vn"
    mine = gql.data(GET + "\nquery Mine($id: ID!) { checkout(id: $id) { id user { email } } }",
                    {"id": checkout["id"]}, token=owner_token, operation_name="Mine")["checkout"]
    assert mine == {"id": checkout["id"], "user": {"email": "lan@example.vn"}}
    assert gql.data(GET, {"id": checkout["id"]}, token=other_token)["checkout"] is None
    assert gql.data(GET, {"id": checkout["id"]})["checkout"] is None
    for token in (other_token, None):
        answer = gql.data(EMAIL, {"id": checkout["id"], "email": "x@example.vn"}, token=token)
        assert codes(answer["checkoutEmailUpdate"]["errors"]) == ["NOT_FOUND"]
        answer = complete(gql, checkout, token=token) if token else gql.data(
            COMPLETE, {"id": checkout["id"]})["checkoutComplete"]
        assert codes(answer["errors"]) == ["NOT_FOUND"] and answer["order"] is None
    assert Checkout.objects.get().email == "lan@example.vn"
    ready(gql, checkout, token=owner_token)
    answer = complete(gql, checkout, token=owner_token)
    assert answer["errors"] == []
    order = Order.objects.get()
    assert order.user == owner and order.guest_email == ""
    assert owner.addresses.count() == 1  # Oscar's address book, as after a web order
    assert_invariants()


# --- Vouchers ---------------------------------------------------------------------------------


def voucher(code="OCOP10", minimum_items=2, percent=10, **kwargs):
    everything = Range.objects.create(name="Mọi sản phẩm", includes_all_products=True)
    offer = ConditionalOffer.objects.create(
        name="Giảm 10% mã OCOP10", offer_type=ConditionalOffer.VOUCHER,
        condition=Condition.objects.create(range=everything, type=Condition.COUNT, value=minimum_items),
        benefit=Benefit.objects.create(range=everything, type=Benefit.PERCENTAGE, value=percent),
    )
    now = timezone.now()
    item = Voucher.objects.create(
        name="Mã OCOP10", code=code, usage=kwargs.pop("usage", Voucher.MULTI_USE),
        start_datetime=kwargs.pop("start", now - timezone.timedelta(days=1)),
        end_datetime=kwargs.pop("end", now + timezone.timedelta(days=10)),
    )
    item.offers.add(offer)
    return item


def test_promo_code_is_an_oscar_voucher_and_the_order_records_it(gql, shop):
    _locations, coffee, honey = shop
    code = voucher()
    checkout = create(gql, [(coffee, 1)])
    # one item does not meet the voucher's condition (2 items): refused, nothing kept
    answer = gql.data(PROMO_ADD, {"id": checkout["id"], "code": "ocop10"})["checkoutAddPromoCode"]
    assert codes(answer["errors"]) == ["VOUCHER_NOT_APPLICABLE"] and answer["checkout"] is None
    assert not Basket.objects.get(pk=Checkout.objects.get().basket_id).vouchers.exists()
    unknown = gql.data(PROMO_ADD, {"id": checkout["id"], "code": "NOPE"})["checkoutAddPromoCode"]
    assert unknown["errors"][0]["code"] == "INVALID" and unknown["errors"][0]["field"] == "promoCode"

    gql.data(LINES_ADD, {"id": checkout["id"], "lines": [{"variantId": vid(honey), "quantity": 1}]})
    answer = gql.data(PROMO_ADD, {"id": checkout["id"], "code": "OCOP10"})["checkoutAddPromoCode"]
    assert answer["errors"] == []
    applied = answer["checkout"]
    assert applied["voucherCode"] == "OCOP10" and applied["discountName"] == "Mã OCOP10"
    assert applied["discount"]["amount"] == 37000  # 10% of 150.000 + 220.000
    assert applied["subtotalPrice"]["gross"]["amount"] == 333000
    assert applied["lines"][0]["undiscountedTotalPrice"]["amount"] == 150000
    assert applied["lines"][0]["totalPrice"]["gross"]["amount"] == 135000

    removed = gql.data(PROMO_REMOVE, {"id": checkout["id"], "code": "OCOP10"})["checkoutRemovePromoCode"]
    assert removed["errors"] == [] and removed["checkout"]["voucherCode"] is None
    assert removed["checkout"]["discount"]["amount"] == 0
    gql.data(PROMO_ADD, {"id": checkout["id"], "code": "OCOP10"})
    ready(gql, checkout)
    answer = complete(gql, checkout)
    assert answer["errors"] == []
    order = Order.objects.get()
    assert order.total_discount_incl_tax == Decimal("37000")
    # 333.000 < 500.000: the Quảng Ngãi delivery fee (≤ 1 kg) is charged
    assert order.total_incl_tax == Decimal("333000") + order.shipping_incl_tax
    code.refresh_from_db()
    assert code.num_orders == 1
    assert_invariants()


def test_expired_voucher_is_not_applicable(gql, shop):
    _locations, coffee, _honey = shop
    now = timezone.now()
    voucher(code="OLD", start=now - timezone.timedelta(days=10), end=now - timezone.timedelta(days=1))
    checkout = create(gql, [(coffee, 2)])
    answer = gql.data(PROMO_ADD, {"id": checkout["id"], "code": "OLD"})["checkoutAddPromoCode"]
    assert codes(answer["errors"]) == ["VOUCHER_NOT_APPLICABLE"]


# --- Stock ---------------------------------------------------------------------------------


def test_more_than_the_stock_is_insufficient_stock_and_nothing_is_written(gql, shop):
    _locations, coffee, honey = shop  # coffee: 13 online
    answer = gql.data(CREATE, {"channel": "default-channel", "lines": [
        {"variantId": vid(honey), "quantity": 1}, {"variantId": vid(coffee), "quantity": 14}]})
    error, = answer["checkoutCreate"]["errors"]
    assert error["code"] == "INSUFFICIENT_STOCK" and error["variants"] == [vid(coffee)]
    assert answer["checkoutCreate"]["checkout"] is None
    assert not Checkout.objects.exists() and not Basket.objects.exists()

    checkout = create(gql, [(coffee, 10)])
    more = gql.data(LINES_ADD, {"id": checkout["id"], "lines": [{"variantId": vid(coffee), "quantity": 4}]})
    assert codes(more["checkoutLinesAdd"]["errors"]) == ["INSUFFICIENT_STOCK"]
    line = checkout["lines"][0]["id"]
    update = gql.data(LINES_UPDATE, {"id": checkout["id"], "lines": [{"lineId": line, "quantity": 14}]})
    assert codes(update["checkoutLinesUpdate"]["errors"]) == ["INSUFFICIENT_STOCK"]
    update = gql.data(LINES_UPDATE, {"id": checkout["id"], "lines": [{"lineId": line, "quantity": 13}]})
    assert update["checkoutLinesUpdate"]["checkout"]["lines"][0]["quantity"] == 13
    for quantity, code in ((0, "ZERO_QUANTITY"), (-1, "INVALID"), (51, "QUANTITY_GREATER_THAN_LIMIT")):
        bad = gql.data(LINES_ADD, {"id": checkout["id"], "lines": [{"variantId": vid(honey),
                                                                     "quantity": quantity}]})
        assert codes(bad["checkoutLinesAdd"]["errors"]) == [code]
    # quantity 0 in an update removes the line; linesDelete removes by id
    gql.data(LINES_ADD, {"id": checkout["id"], "lines": [{"variantId": vid(honey), "quantity": 1}]})
    zero = gql.data(LINES_UPDATE, {"id": checkout["id"], "lines": [{"lineId": line, "quantity": 0}]})
    lines = zero["checkoutLinesUpdate"]["checkout"]["lines"]
    assert [item["variant"]["id"] for item in lines] == [vid(honey)]
    gone = gql.data(LINES_DELETE, {"id": checkout["id"], "linesIds": [lines[0]["id"]]})
    assert gone["checkoutLinesDelete"]["checkout"]["lines"] == []
    assert gone["checkoutLinesDelete"]["checkout"]["quantity"] == 0


def test_stock_sold_meanwhile_is_insufficient_stock_at_completion_and_nothing_is_written(gql, shop):
    _locations, coffee, _honey = shop
    checkout = create(gql, [(coffee, 10)])
    ready(gql, checkout)
    assert checkout["problems"] == []
    order_for([(coffee, 5)])  # another buyer takes 5 of the 13
    seen = gql.data(GET, {"id": checkout["id"]})["checkout"]
    assert seen["problems"] == [{"availableQuantity": 8, "variant": {"id": vid(coffee)},
                                 "line": {"id": checkout["lines"][0]["id"]}}]
    assert seen["lines"][0]["problems"] == [{"__typename": "CheckoutLineProblemInsufficientStock"}]
    answer = complete(gql, checkout)
    assert codes(answer["errors"]) == ["INSUFFICIENT_STOCK"] and answer["order"] is None
    assert answer["errors"][0]["variants"] == [vid(coffee)]
    assert Order.objects.count() == 1  # only the other buyer's
    assert not OrderPayment.objects.exists() and len(mail.outbox) == 0
    row = Checkout.objects.get()
    assert row.order is None and Basket.objects.get(pk=row.basket_id).status == Basket.OPEN
    assert_invariants()
    # fewer fit: the buyer lowers the quantity and completes
    line = checkout["lines"][0]["id"]
    gql.data(LINES_UPDATE, {"id": checkout["id"], "lines": [{"lineId": line, "quantity": 8}]})
    assert complete(gql, checkout)["errors"] == []
    assert_invariants()


# --- What is needed before completing, bad input -------------------------------------------


def test_completion_needs_email_billing_contact_and_delivery(gql, shop):
    _locations, coffee, _honey = shop
    checkout = create(gql, [(coffee, 1)], email=None)
    assert codes(complete(gql, checkout)["errors"]) == ["EMAIL_NOT_SET"]
    bad_email = gql.data(EMAIL, {"id": checkout["id"], "email": "not-an-email"})["checkoutEmailUpdate"]
    assert codes(bad_email["errors"]) == ["INVALID"]
    gql.data(EMAIL, {"id": checkout["id"], "email": "Khach@Example.vn"})
    assert codes(complete(gql, checkout)["errors"]) == ["BILLING_ADDRESS_NOT_SET"]
    gql.data(BILLING_ADDRESS, {"id": checkout["id"], "address": CONTACT})
    assert codes(complete(gql, checkout)["errors"]) == ["SHIPPING_METHOD_NOT_SET"]
    note = gql.data(doc("""mutation Note($id: ID!, $note: String!) {
      checkoutCustomerNoteUpdate(id: $id, customerNote: $note) { checkout { customerNote note }
        errors { ...CheckoutErrorDetails } } }"""), {"id": checkout["id"], "note": "Gọi trước khi giao"})
    assert note["checkoutCustomerNoteUpdate"]["checkout"] == {"customerNote": "Gọi trước khi giao",
                                                              "note": "Gọi trước khi giao"}
    too_long = gql.data(doc("""mutation Note($id: ID!, $note: String!) {
      checkoutCustomerNoteUpdate(id: $id, customerNote: $note) { errors { ...CheckoutErrorDetails } } }"""),
                        {"id": checkout["id"], "note": "x" * 501})
    assert codes(too_long["checkoutCustomerNoteUpdate"]["errors"]) == ["INVALID"]
    no_address = gql.data(DELIVERY, {"id": checkout["id"],
                                     "method": to_global_id("ShippingMethod", "delivery")})
    assert codes(no_address["checkoutDeliveryMethodUpdate"]["errors"]) == ["SHIPPING_ADDRESS_NOT_SET"]
    wrong = gql.data(COMPLETE, {"id": checkout["id"], "paymentData": json.dumps({"gateway": "stripe"})})
    assert codes(wrong["checkoutComplete"]["errors"]) == ["PAYMENT_ERROR"]
    assert not Order.objects.exists()


def test_addresses_are_checked_as_vietnamese_addresses(gql, shop):
    _locations, coffee, _honey = shop
    checkout = create(gql, [(coffee, 1)])
    cases = [
        ({**ADDRESS, "phone": "12345"}, "phone", "INVALID"),
        ({**ADDRESS, "phone": ""}, "phone", "REQUIRED"),
        ({**ADDRESS, "countryArea": "Kon Tum cũ"}, "countryArea", "INVALID"),
        ({**ADDRESS, "city": "Phường Không Có"}, "city", "INVALID"),
        ({**ADDRESS, "streetAddress1": " "}, "streetAddress1", "REQUIRED"),
        ({**ADDRESS, "firstName": "", "lastName": ""}, "lastName", "REQUIRED"),
    ]
    for address, field, code in cases:
        answer = gql.data(SHIPPING_ADDRESS, {"id": checkout["id"], "address": address})["shipping"]
        assert [(e["field"], e["code"], e["addressType"]) for e in answer["errors"]] == [
            (field, code, "SHIPPING")], address
    assert Checkout.objects.get().shipping_address is None
    foreign = gql.post(SHIPPING_ADDRESS, {"id": checkout["id"], "address": {**ADDRESS, "country": "US"}})
    assert "errors" in foreign  # not a CountryCode this shop has: refused by the schema
    # province and ward by code are accepted and stored by name
    answer = gql.data(SHIPPING_ADDRESS, {"id": checkout["id"], "address": {
        **ADDRESS, "countryArea": "51", "city": "23500"}})["shipping"]
    assert answer["errors"] == []
    assert answer["checkout"]["shippingAddress"]["city"] == "Xã Đăk Hà"


def test_wrong_ids_answer_not_found_or_null(gql, shop):
    _locations, coffee, _honey = shop
    checkout = create(gql, [(coffee, 1)])
    for bad in ("garbage", to_global_id("Product", coffee.product_id), to_global_id("Checkout", "123"),
                to_global_id("Checkout", "00000000-0000-0000-0000-000000000000")):
        assert gql.data(GET, {"id": bad})["checkout"] is None
        answer = gql.data(EMAIL, {"id": bad, "email": "a@example.vn"})["checkoutEmailUpdate"]
        assert codes(answer["errors"]) == ["NOT_FOUND"]
    unknown_variant = gql.data(LINES_ADD, {"id": checkout["id"], "lines": [
        {"variantId": to_global_id("ProductVariant", 999999), "quantity": 1}]})["checkoutLinesAdd"]
    assert codes(unknown_variant["errors"]) == ["NOT_FOUND"]
    assert unknown_variant["errors"][0]["variants"] == [to_global_id("ProductVariant", 999999)]
    bad_line = gql.data(LINES_DELETE, {"id": checkout["id"], "linesIds": ["nonsense"]})["checkoutLinesDelete"]
    assert codes(bad_line["errors"]) == ["NOT_FOUND"] and bad_line["errors"][0]["lines"] == ["nonsense"]
    other_line = gql.data(LINES_UPDATE, {"id": checkout["id"], "lines": [
        {"lineId": to_global_id("CheckoutLine", 999999), "quantity": 1}]})["checkoutLinesUpdate"]
    assert codes(other_line["errors"]) == ["NOT_FOUND"]
    for method in ("garbage", to_global_id("ShippingMethod", "teleport"), to_global_id("Warehouse", 99999)):
        answer = gql.data(DELIVERY, {"id": checkout["id"], "method": method})["checkoutDeliveryMethodUpdate"]
        assert codes(answer["errors"]) in (["INVALID_SHIPPING_METHOD"], ["NOT_FOUND"])
    no_id = gql.data(doc("""mutation { checkoutEmailUpdate(email: "a@example.vn") {
        errors { ...CheckoutErrorDetails } } }"""))["checkoutEmailUpdate"]
    assert codes(no_id["errors"]) == ["REQUIRED"]
    channel = gql.data(CREATE, {"channel": "other", "lines": []})["checkoutCreate"]
    assert codes(channel["errors"]) == ["NOT_FOUND"] and not Checkout.objects.exclude(
        token=checkout["token"]).exists()


# --- Query counts -----------------------------------------------------------------------------


def test_checkout_query_count_does_not_grow_with_lines(gql, shop, django_assert_max_num_queries):
    locations, coffee, honey = shop
    offers = [coffee, honey] + [make_offer(f"Sản phẩm {n}", stock={locations[0]: 5}, price=10000 * (n + 1))
                                for n in range(8)]
    small = create(gql, [(sr, 1) for sr in offers[:2]])
    large = create(gql, [(sr, 1) for sr in offers])
    ready(gql, small)
    ready(gql, large)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, checkout in (("small", small), ("large", large)):
        with CaptureQueriesContext(connection) as captured:
            data = gql.data(GET, {"id": checkout["id"]})["checkout"]
        counts[name] = len(captured)
        assert len(data["lines"]) == (2 if name == "small" else 10)
    assert counts["large"] == counts["small"], counts
    with django_assert_max_num_queries(20):  # measured: 18, for 2 lines as for 10
        gql.data(GET, {"id": large["id"]})
    print("checkout query counts", counts)
