"""Order emails link to the shop's real address (SHOP_BASE_URL or the request, never the
demo's site row), and the VietQR payment page shows the payment deadline."""

from datetime import timedelta

from django.contrib.sites.models import Site
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from tests.checkout.support import add_to_basket, checkout

Order = get_model("order", "Order")


def status_path(order):
    return reverse("checkout:order-status",
                   kwargs={"number": order.number, "hash": order.verification_hash()})


def demo_site():
    Site.objects.update_or_create(pk=1, defaults={"domain": "127.0.0.1:8000", "name": "OCOP"})
    Site.objects.clear_cache()


def test_order_email_links_start_with_shop_base_url(client, shop, settings):
    settings.SHOP_BASE_URL = "https://ocop.example.vn/"
    demo_site()
    add_to_basket(client, shop[1], 1)
    checkout(client, method="cod")
    order = Order.objects.get()
    message = mail.outbox[0]
    url = "https://ocop.example.vn" + status_path(order)
    assert url in message.body
    assert f'href="{url}"' in message.alternatives[0][0]
    assert "127.0.0.1:8000" not in message.body + message.alternatives[0][0]


def test_without_the_setting_links_use_the_request_host(client, shop, settings):
    settings.SHOP_BASE_URL = ""
    demo_site()
    add_to_basket(client, shop[1], 1)
    checkout(client, method="cod")
    order = Order.objects.get()
    message = mail.outbox[0]
    assert "http://testserver" + status_path(order) in message.body
    assert "127.0.0.1:8000" not in message.body + message.alternatives[0][0]


def test_vietqr_page_shows_the_payment_deadline_and_what_follows(client, shop, settings):
    settings.SHOP_UNPAID_TRANSFER_HOURS = 36
    add_to_basket(client, shop[1], 1)
    checkout(client, method="vietqr")
    order = Order.objects.get()
    deadline = timezone.localtime(order.date_placed + timedelta(hours=36))
    for url in (reverse("checkout:thank-you"), status_path(order)):
        page = client.get(url).content.decode()
        assert 'id="vietqr-deadline"' in page
        assert deadline.strftime("%H:%M, %d/%m/%Y") in page
        assert "(36 giờ sau khi đặt hàng)" in page
        assert "tự động bị huỷ" in page
