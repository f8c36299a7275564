"""Gift options reach the people who need them: the buyer's confirmation email, the
buyer's account and status pages, and the staff's dashboard order page (with the packing
slip and refund links)."""

import html

import pytest
from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_model

from shop.payment import payments
from tests.checkout.support import add_to_basket, checkout

Order = get_model("order", "Order")

GIFT = {
    "gift_wrap": "on",
    "message": "Chúc mừng sinh nhật!\nThân tặng chị Hoa.",
    "recipient_name": "Lê Thị Hoa",
    "recipient_phone": "0987 654 321",
}
SCRIPT_MESSAGE = 'Chúc mừng <script>alert("x")</script> & "quà"'
GIFT_WORDS = ("Quà tặng", "Lời nhắn trên thiệp", "Người nhận quà", "Có gói quà",
              "Địa chỉ nhận quà")


def place(client, shop, gift=None, method="cod"):
    _locations, coffee, _honey = shop
    add_to_basket(client, coffee)
    response = checkout(client, method=method, gift=gift)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Order.objects.get()


def html_body(message):
    assert message.alternatives, "the order email has an HTML part"
    return message.alternatives[0][0]


# --- The confirmation email --------------------------------------------------------


def test_confirmation_email_carries_the_gift_options(client, shop):
    order = place(client, shop, gift=GIFT)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    for body in (message.body, html_body(message)):
        assert "Quà tặng" in body
        assert "Có gói quà." in body
        assert "Chúc mừng sinh nhật!" in body and "Thân tặng chị Hoa." in body
        assert "Lê Thị Hoa" in body and "0987 654 321" in body
        assert "Địa chỉ nhận quà" in body and "12 Hùng Vương" in body
        assert "Xã Đăk Hà" in body and "Quảng Ngãi" in body
    # the card's line break survives in both parts
    assert "Chúc mừng sinh nhật!\nThân tặng chị Hoa." in message.body
    assert "Chúc mừng sinh nhật!<br>Thân tặng chị Hoa." in html_body(message)
    assert order.number in message.subject


def test_confirmation_email_of_a_normal_order_says_nothing_about_gifts(client, shop):
    place(client, shop)
    message = mail.outbox[0]
    for body in (message.body, html_body(message)):
        for word in GIFT_WORDS:
            assert word not in body, word
    assert 'id="gift-options"' not in html_body(message)


def test_confirmation_email_escapes_the_message_in_html_only(client, shop):
    place(client, shop, gift={"message": SCRIPT_MESSAGE})
    message = mail.outbox[0]
    body = html_body(message)
    assert "<script>" not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;quà&quot;" in body
    # plain text is not HTML: the shopper's words are shown as typed
    assert SCRIPT_MESSAGE in message.body
    # only a message: no wrap, no recipient lines
    assert "Có gói quà" not in message.body and "Người nhận quà" not in message.body


# --- The buyer's pages -------------------------------------------------------------


@pytest.fixture
def customer(django_user_model):
    return django_user_model.objects.create_user("hoa", "hoa@example.vn", "secret-pass-123")


def test_account_order_page_shows_the_gift_options(client, shop, customer,
                                                   django_assert_max_num_queries):
    order = place(client, shop, gift=GIFT)
    Order.objects.filter(pk=order.pk).update(user=customer)
    client.force_login(customer)
    url = reverse("customer:order", kwargs={"order_number": order.number})
    client.get(url)  # warm caches (site, flat pages) so the budget measures the page
    with django_assert_max_num_queries(25) as captured:
        response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="gift-options"' in page and "Có gói quà." in page
    assert "Chúc mừng sinh nhật!<br>Thân tặng chị Hoa." in page
    assert "Lê Thị Hoa" in page and "0987 654 321" in page
    gift_queries = [q for q in captured if "checkout_giftoptions" in q["sql"]]
    assert len(gift_queries) == 1


def test_account_order_page_of_a_normal_order_has_no_gift_panel(client, shop, customer):
    order = place(client, shop)
    Order.objects.filter(pk=order.pk).update(user=customer)
    client.force_login(customer)
    page = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    assert page.status_code == 200
    assert 'id="gift-options"' not in page.content.decode()


def test_account_and_status_pages_escape_the_message(client, shop, customer):
    order = place(client, shop, gift={"message": SCRIPT_MESSAGE})
    Order.objects.filter(pk=order.pk).update(user=customer)
    client.force_login(customer)
    status_url = reverse("checkout:order-status",
                         kwargs={"number": order.number, "hash": order.verification_hash()})
    for url in (reverse("customer:order", kwargs={"order_number": order.number}), status_url):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page
        assert html.escape(SCRIPT_MESSAGE) in page


def test_status_page_by_hash_shows_the_gift_options(client, shop):
    order = place(client, shop, gift=GIFT)
    url = reverse("checkout:order-status",
                  kwargs={"number": order.number, "hash": order.verification_hash()})
    page = client.get(url).content.decode()
    assert 'id="gift-options"' in page
    assert "Thân tặng chị Hoa." in page and "Lê Thị Hoa" in page and "0987 654 321" in page


# --- The staff's dashboard ---------------------------------------------------------


@pytest.fixture
def staff(django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        "nhanvien", "nv@example.vn", "secret-pass-123", is_staff=True
    )
    # Oscar 4's dashboard order pages need ``order.view_order`` besides is_staff
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="order", codename="view_order")
    )
    return user


def dashboard_url(order):
    return reverse("dashboard:order-detail", kwargs={"number": order.number})


def test_dashboard_order_page_shows_gift_options_and_staff_links(
    client, shop, staff, django_assert_max_num_queries
):
    order = place(client, shop, gift=GIFT)
    client.force_login(staff)
    client.get(dashboard_url(order))  # warm caches
    with django_assert_max_num_queries(60) as captured:
        response = client.get(dashboard_url(order))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="dashboard-gift-options"' in page
    assert "Lê Thị Hoa — 0987 654 321" in page
    assert "12 Hùng Vương, Xã Đăk Hà, Quảng Ngãi" in page
    assert "Chúc mừng sinh nhật!<br>Thân tặng chị Hoa." in page
    assert reverse("checkout:packing-slip", kwargs={"number": order.number}) in page
    # a COD order has no card payment to refund
    assert reverse("ocop-payment:refund", kwargs={"number": order.number}) not in page
    assert len([q for q in captured if "checkout_giftoptions" in q["sql"]]) == 1
    assert len([q for q in captured if "payment_orderpayment" in q["sql"]]) == 1


def test_dashboard_links_to_the_refund_of_a_paid_card_order(client, shop, staff, fake_stripe):
    order = place(client, shop, gift=GIFT, method="card")
    payments.mark_paid(order, order.total_incl_tax, reference="pi_test")
    client.force_login(staff)
    page = client.get(dashboard_url(order)).content.decode()
    refund = reverse("ocop-payment:refund", kwargs={"number": order.number})
    assert refund in page and "Hoàn tiền thẻ" in page
    assert client.get(refund).status_code == 200


def test_dashboard_order_page_of_a_normal_order(client, shop, staff):
    order = place(client, shop)
    client.force_login(staff)
    response = client.get(dashboard_url(order))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="dashboard-gift-options"' not in page
    assert reverse("checkout:packing-slip", kwargs={"number": order.number}) in page


def test_dashboard_escapes_the_message(client, shop, staff):
    order = place(client, shop, gift={"message": SCRIPT_MESSAGE})
    client.force_login(staff)
    page = client.get(dashboard_url(order)).content.decode()
    assert "<script>alert" not in page
    assert html.escape(SCRIPT_MESSAGE) in page
