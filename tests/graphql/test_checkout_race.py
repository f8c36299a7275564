"""The hot-SKU race through ``checkoutComplete``: buyers completing at once never oversell.

Each buyer has its own checkout (one unit of the same product) and completes
it in its own thread, with its own database connection, through the real
``/graphql/`` view; a barrier starts them together. The one inventory locks
the stock rows when the order is placed, so exactly as many orders as units
succeed and every other buyer is answered ``INSUFFICIENT_STOCK`` with nothing
written. PostgreSQL only (row locks).
"""

import json

import pytest
from django.db import connection
from django.test import Client
from oscar.core.loading import get_model

from shop.graphql.core.ids import to_global_id
from shop.graphql.models import Checkout
from shop.payment.models import OrderPayment
from showroom.models import Allocation, Stock
from tests.checkout.support import delivery_zones
from tests.showroom.conftest import assert_invariants
from tests.showroom.factories import make_offer, three_locations
from tests.showroom.test_race import _run

Order = get_model("order", "Order")

BUYERS = 8
UNITS = 3

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

CREATE = """
mutation Create($lines: [CheckoutLineInput!]!) {
  checkoutCreate(input: {channel: "default-channel", email: "khach@example.vn", lines: $lines}) {
    checkout { id } errors { field code message }
  }
}
"""
PREPARE = """
mutation Prepare($id: ID!, $address: AddressInput!, $method: ID!) {
  shipping: checkoutShippingAddressUpdate(id: $id, shippingAddress: $address) { errors { code } }
  billing: checkoutBillingAddressUpdate(id: $id, billingAddress: $address) { errors { code } }
  delivery: checkoutDeliveryMethodUpdate(id: $id, deliveryMethodId: $method) { errors { code } }
}
"""
COMPLETE = """
mutation Complete($id: ID!) {
  checkoutComplete(id: $id) { order { number } errors { field code message variants } }
}
"""
ADDRESS = {"firstName": "Nguyễn", "lastName": "Lan", "phone": "0912345678", "country": "VN",
           "countryArea": "Quảng Ngãi", "city": "Xã Đăk Hà", "streetAddress1": "12 Hùng Vương"}


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the race is about row locks (SELECT … FOR UPDATE)")


def post(client, query, variables):
    response = client.post("/graphql/", data=json.dumps({"query": query, "variables": variables}),
                           content_type="application/json")
    assert response.status_code == 200, response.content[:2000]
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]


def test_buyers_racing_for_the_last_units_never_oversell():
    delivery_zones()
    locations = three_locations()
    hot = make_offer("Cà phê Đăk Hà hạt rang đặc biệt", stock={locations[0]: UNITS}, price=150000)
    client = Client()
    checkouts = []
    for _ in range(BUYERS):
        created = post(client, CREATE, {"lines": [
            {"variantId": to_global_id("ProductVariant", hot.product_id), "quantity": 1}]})["checkoutCreate"]
        assert created["errors"] == []
        checkout_id = created["checkout"]["id"]
        prepared = post(client, PREPARE, {"id": checkout_id, "address": ADDRESS,
                                          "method": to_global_id("ShippingMethod", "delivery")})
        assert all(step["errors"] == [] for step in prepared.values()), prepared
        checkouts.append(checkout_id)

    def buyer(checkout_id):
        def work():
            return post(Client(), COMPLETE, {"id": checkout_id})["checkoutComplete"]

        return work

    results, _seconds = _run([buyer(c) for c in checkouts])
    failures = [r for r in results if isinstance(r, Exception)]
    assert not failures, failures
    placed = [r for r in results if r["order"] is not None]
    refused = [r for r in results if r["order"] is None]
    assert len(placed) == UNITS
    assert len(refused) == BUYERS - UNITS
    for answer in refused:
        assert [e["code"] for e in answer["errors"]] == ["INSUFFICIENT_STOCK"], answer
        assert answer["errors"][0]["variants"] == [to_global_id("ProductVariant", hot.product_id)]

    assert Order.objects.count() == UNITS
    assert OrderPayment.objects.count() == UNITS
    assert Checkout.objects.filter(order__isnull=False).count() == UNITS
    assert sum(a.quantity for a in Allocation.objects.filter(line__order__isnull=False)) == UNITS
    for stock in Stock.objects.filter(stockrecord=hot):
        assert stock.quantity >= 0 and stock.free >= 0
    hot.refresh_from_db()
    assert hot.num_allocated == UNITS and hot.num_in_stock - hot.num_allocated == 0
    assert_invariants()
