"""The pages people use read in Vietnamese: no English fragment known to slip through,
and no msgid of Oscar's or the project's catalogue left untranslated (tests/vietnamese.py).

Rendered with the demo data (load_demo) by the people who use them: a shopper (home,
product group, product, basket after adding, search with pagination, checkout, sign in
and registration), a customer (account pages), the admin (an order's confirmation page),
a producer (the producer corner), the office (dashboard, orders, a till sale) and a
livestream seller refused the dashboard (403), plus a missing page (404).
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from oscar.core.loading import get_model

from tests.vietnamese import english_fragments, untranslated, visible_text

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
Order = get_model("order", "Order")
User = get_user_model()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings

    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock():
        call_command("load_demo", quiet=True)
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def vietnamese(client, user=None):
    client.cookies["django_language"] = "vi"
    if user is not None:
        client.force_login(user)
    return client


def assert_reads_in_vietnamese(response, where):
    text = visible_text(response.content.decode())
    assert english_fragments(text) == [], where
    assert untranslated(text) == [], where
    return text


def product_in_stock():
    for product in Product.objects.filter(is_public=True, structure="standalone"):
        record = product.stockrecords.first()
        if record and record.net_stock_level and record.net_stock_level > 0:
            return product
    raise AssertionError("the demo has a product in stock")


@pytest.mark.django_db
def test_a_shopper_reads_every_page_in_vietnamese(demo, client):
    client = vietnamese(client)
    product = product_in_stock()
    pages = [reverse("home"), Category.objects.filter(is_public=True).first().get_absolute_url(),
             product.get_absolute_url(), reverse("customer:login"), reverse("customer:register"),
             reverse("search:search") + "?q=a"]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert_reads_in_vietnamese(response, url)

    search = client.get(reverse("search:search"), {"q": "a"})
    assert search.context["paginator"].num_pages > 1  # the page counter is on the page
    assert "Trang sau" in visible_text(search.content.decode())

    added = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1},
                        follow=True)
    text = assert_reads_in_vietnamese(added, "after adding to the basket")
    assert "Tổng giỏ hàng của bạn bây giờ là" in text
    assert_reads_in_vietnamese(client.get(reverse("basket:summary")), "basket")

    gateway = client.get(reverse("checkout:index"))
    text = assert_reads_in_vietnamese(gateway, "checkout")
    assert "trước khi thanh toán" in text
    step = client.post(reverse("checkout:index"),
                       {"username": "khach@example.vn", "options": "anonymous"}, follow=True)
    assert step.redirect_chain, "the guest goes on to the next checkout step"
    assert_reads_in_vietnamese(step, step.redirect_chain[-1][0])

    missing = client.get("/khong-co-trang-nay/")
    assert missing.status_code == 404
    assert "Không tìm thấy trang" in assert_reads_in_vietnamese(missing, "404")


@pytest.mark.django_db
def test_a_customer_reads_the_account_pages_in_vietnamese(demo, client):
    customer = User.objects.create_user("khach", "khach@example.vn", "mat-khau-dai-123")
    client = vietnamese(client, customer)
    for name in ("customer:profile-view", "customer:order-list",
                 "customer:address-list", "customer:change-password"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        assert_reads_in_vietnamese(response, name)


@pytest.mark.django_db
def test_an_order_confirmation_reads_in_vietnamese(demo, client):
    order = Order.objects.order_by("pk").first()
    client = vietnamese(client, User.objects.get(username="admin"))
    response = client.get(reverse("checkout:thank-you"), {"order_number": order.number})
    assert response.status_code == 200
    assert order.number in assert_reads_in_vietnamese(response, "thank you")


@pytest.mark.django_db
def test_the_office_and_a_producer_read_their_pages_in_vietnamese(demo, client):
    sale = Order.objects.filter(till_sale__isnull=False).first()
    office = vietnamese(client, User.objects.get(username="office"))
    for url in (reverse("dashboard:index"), reverse("dashboard:order-list"),
                reverse("dashboard:order-detail", kwargs={"number": sale.number}),
                "/dashboard/inventory/", "/office/changes/"):
        response = office.get(url)
        assert response.status_code == 200, url
        text = assert_reads_in_vietnamese(response, url)
        if url == reverse("dashboard:order-list"):
            assert "Trang 1 / " in text  # Oscar's page counter, "Page 1 of 8" before
            assert "Khách lẻ tại quầy" in text
    producer = vietnamese(client.__class__(), User.objects.get(username="producer_dakmar"))
    response = producer.get("/producer/")
    assert response.status_code == 200
    assert_reads_in_vietnamese(response, "/producer/")


@pytest.mark.django_db
def test_a_refused_page_reads_in_vietnamese(demo, client):
    seller = vietnamese(client, User.objects.get(username="live_seller"))
    response = seller.get(reverse("dashboard:index"))
    assert response.status_code == 403
    text = assert_reads_in_vietnamese(response, "403")
    assert "Không có quyền xem trang này" in text
