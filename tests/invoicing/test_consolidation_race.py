"""Consolidating at the same time as another office, and as the order's own invoice is
made: every order ends on exactly one invoice (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection, connections
from django.utils import timezone
from oscar.core.loading import get_model

from shop.invoicing import builder, consolidation
from shop.invoicing.models import ConsolidatedOrder, Invoice, InvoiceRequest, SellerProfile
from tests.checkout.support import add_to_basket, checkout, shop_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

Order = get_model("order", "Order")
TAX_CODE = "0101234565"


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: row locks")


def _race(jobs):
    barrier = threading.Barrier(len(jobs))
    results, errors = [], []

    def target(job):
        try:
            barrier.wait()
            results.append(job())
        except consolidation.ConsolidationError as error:
            results.append(error)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=target, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return results


def test_each_order_ends_on_one_invoice(client, settings):
    settings.INVOICE_PROVIDER = "local"
    locations, coffee, _honey = shop_data()
    SellerProfile.objects.create(location=locations[0], legal_name="HTX", tax_code="6100001230",
                                 address="Đăk Hà", serial="C26MDH")
    from shop.payment.models import OrderPayment

    for _ in range(3):
        add_to_basket(client, coffee, 1)
        checkout(client, method="vietqr")
    orders = list(Order.objects.order_by("pk"))
    for position, order in enumerate(orders):
        InvoiceRequest.objects.create(order=order, company="Công ty A", tax_code=TAX_CODE,
                                      address="Kon Tum", consolidate=position < 2)
    OrderPayment.objects.update(status=OrderPayment.Status.PAID)
    today = timezone.localdate()
    jobs = [lambda: consolidation.consolidate(TAX_CODE, today, today) for _ in range(4)]
    jobs += [lambda: builder.invoice_for_order(Order.objects.get(pk=orders[2].pk))] * 2
    _race(jobs)
    assert Invoice.objects.filter(period_start__isnull=False).count() == 1
    for order in orders:
        own = Invoice.objects.filter(order=order, kind=Invoice.Kind.ORIGINAL).count()
        in_consolidated = ConsolidatedOrder.objects.filter(order=order).count()
        assert own + in_consolidated == 1, order.number
    assert ConsolidatedOrder.objects.filter(order__in=orders[:2]).count() == 2
