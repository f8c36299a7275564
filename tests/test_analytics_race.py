"""Oscar's analytics counters under real concurrency (shop.core.analytics), on PostgreSQL.

Before shop.core.analytics, Oscar's receiver lost the race to create a product's
counter row, caught the IntegrityError without a savepoint and left the
request's transaction (ATOMIC_REQUESTS) broken: a 500 on "add to basket".

Each shopper is a thread with its own connection, started together by a
barrier. PostgreSQL's ``max_connections`` (100, shared by the other test
databases) bounds the threads: 100 requests go through 50 threads, the first
50 of them simultaneous first adds.
"""

import threading
from collections import Counter

import pytest
from django.db import connection, connections, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse
from oscar.apps.basket.signals import basket_addition
from oscar.apps.catalogue.signals import product_viewed
from oscar.apps.order.signals import order_placed
from oscar.core.loading import get_model

from tests.showroom.factories import make_offer, order_for, three_locations
from tests.vendors.conftest import make_user

ProductRecord = get_model("analytics", "ProductRecord")
UserRecord = get_model("analytics", "UserRecord")
UserProductView = get_model("analytics", "UserProductView")
Order = get_model("order", "Order")

THREADS = 50
REQUESTS = 100

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the race is between transactions on a unique key")


def _run(work, threads=THREADS, per_thread=REQUESTS // THREADS):
    """``work(i)`` for i in 0..threads*per_thread-1, ``per_thread`` in turn on each thread."""
    barrier = threading.Barrier(threads)
    results = [None] * (threads * per_thread)

    def target(t):
        try:
            barrier.wait(timeout=60)
            for k in range(per_thread):
                i = t * per_thread + k
                try:
                    results[i] = work(i)
                except Exception as error:  # noqa: BLE001 - recorded and asserted by the test
                    results[i] = error
        finally:
            connections.close_all()

    pool = [threading.Thread(target=target, args=(t,)) for t in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=300)
    return results


def test_a_hundred_first_adds_to_basket_no_500_and_all_counted():
    stockrecord = make_offer("Cà phê Đăk Hà rang mộc", stock={three_locations()[0]: 500},
                             price=150000)
    product = stockrecord.product
    assert not ProductRecord.objects.filter(product=product).exists()
    url = reverse("basket:add", kwargs={"pk": product.pk})

    def add(_i):
        response = Client(raise_request_exception=False).post(url, {"quantity": 1})
        return response.status_code

    statuses = _run(add)
    assert statuses == [302] * REQUESTS, Counter(statuses)
    assert ProductRecord.objects.get(product=product).num_basket_additions == REQUESTS


def _in_a_request(send):
    """``send()`` inside a transaction, then a query: as a view under ATOMIC_REQUESTS."""
    def work(i):
        with transaction.atomic():
            send(i)
            return Order.objects.count()  # the transaction is still usable

    return work


def test_simultaneous_product_views_of_signed_in_users():
    product = make_offer("Mật ong rừng Ngọk Wang", stock={three_locations()[0]: 5}).product
    shopper = make_user("khach-xem")
    results = _run(_in_a_request(
        lambda i: product_viewed.send(sender=None, product=product, user=shopper,
                                      request=RequestFactory().get("/"), response=HttpResponse())
    ))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert ProductRecord.objects.get(product=product).num_views == REQUESTS
    assert UserRecord.objects.get(user=shopper).num_product_views == REQUESTS
    assert UserProductView.objects.filter(user=shopper, product=product).count() == REQUESTS


def test_simultaneous_basket_additions_of_signed_in_users():
    product = make_offer("Sâm dây Ngọc Linh", stock={three_locations()[0]: 5}).product
    shopper = make_user("khach-them")
    results = _run(_in_a_request(
        lambda i: basket_addition.send(sender=None, product=product, user=shopper,
                                       request=RequestFactory().get("/"))
    ))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert ProductRecord.objects.get(product=product).num_basket_additions == REQUESTS
    assert UserRecord.objects.get(user=shopper).num_basket_additions == REQUESTS


def test_simultaneous_orders_placed():
    stockrecord = make_offer("Trà Đăk Hà", stock={three_locations()[0]: 5}, price=90000)
    buyer = make_user("khach-mua")
    order = order_for([(stockrecord, 2)], user=buyer)
    ProductRecord.objects.all().delete()
    UserRecord.objects.all().delete()
    results = _run(_in_a_request(
        lambda i: order_placed.send(sender=None, order=order, user=buyer)
    ))
    assert not [r for r in results if isinstance(r, Exception)], results
    assert ProductRecord.objects.get(product=stockrecord.product).num_purchases == 2 * REQUESTS
    record = UserRecord.objects.get(user=buyer)
    assert (record.num_orders, record.num_order_items) == (REQUESTS, 2 * REQUESTS)
    assert record.total_spent == order.total_incl_tax * REQUESTS
