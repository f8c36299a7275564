"""Livestream reports: a session's figures and chart, a seller's earnings, the office's settlement.

The data goes through the real modules: a buyer follows the session's short
link, checks out (the order carries the attribution), the order is delivered
or paid (commission accrues on the signals) or cancelled (it is reversed).
"""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from shop.live import holds, links, reports, sessions
from shop.live.models import Attribution, Click, CommissionEntry, Hold
from shop.payment import payments, statuses
from tests.checkout.support import add_to_basket, checkout
from tests.live.factories import certified_offer, live_session_with_offer, make_seller

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
EventHandler = get_class("order.processing", "EventHandler")
PHONE_AGENT = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile"


def buyer():
    return Client(HTTP_USER_AGENT=PHONE_AGENT)


def follow(client, link):
    response = client.get(reverse("live-link", kwargs={"code": link.code}))
    assert response.status_code == 302
    return response


def buy(link, stockrecord, quantity, method="cod"):
    """A new visitor follows ``link`` and checks out ``quantity``; returns the order."""
    client = buyer()
    follow(client, link)
    add_to_basket(client, stockrecord, quantity)
    response = checkout(client, method=method)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Order.objects.order_by("-pk").first()


def set_status(order, status):
    EventHandler().handle_order_status_change(order, status)
    order.refresh_from_db()
    return order


def office_user():
    user = get_user_model().objects.create_user(
        username="office", email="office@example.vn", password="secret-pass-123", is_staff=True,
    )
    user.user_permissions.add(Permission.objects.get(codename="manage_live"))
    return user


@pytest.fixture
def sale(zones):
    """A live session with two featured items, three visitors and their orders, and a hold.

    * visitor A: follows the coffee link, buys 2 at the live price (120.000), COD, delivered
      → revenue 240.000, commission 10 % = 24.000;
    * visitor B: follows the coffee link, buys 1 by VietQR, paid (commission 12.000), then the
      office cancels it → reversed, the order leaves the figures but its basket stays counted;
    * visitor C: follows the honey link twice (one click counted) and buys nothing;
    * visitor A also follows the honey link (one more click, same visitor);
    * a comment hold of 1 coffee.
    """
    seller = make_seller(rate=Decimal(10))
    session, coffee_offer, coffee = live_session_with_offer(seller=seller, live_price=120000)
    honey = certified_offer(price=220000, stock=5)
    honey_offer = sessions.feature(session, honey.product, "MO1")
    coffee_link = links.link_for(seller, coffee.product, session)
    honey_link = links.link_for(seller, honey.product, session)

    client_a = buyer()
    follow(client_a, coffee_link)
    follow(client_a, honey_link)
    add_to_basket(client_a, coffee, 2)
    assert checkout(client_a, method="cod").status_code == 302
    order_a = Order.objects.order_by("-pk").first()
    set_status(order_a, statuses.SHIPPED)

    order_b = buy(coffee_link, coffee, 1, method="vietqr")
    payments.confirm_transfer(order_b, order_b.total_incl_tax)
    order_b.refresh_from_db()
    set_status(order_b, statuses.CANCELLED)

    client_c = buyer()
    follow(client_c, honey_link)
    follow(client_c, honey_link)  # a repeat within the minute: not counted

    hold, outcome, _note = holds.create_hold(session, coffee_offer, "0912345678", 1)
    assert hold is not None, outcome
    return {
        "seller": seller, "session": session, "coffee_offer": coffee_offer, "coffee": coffee,
        "honey_offer": honey_offer, "honey": honey, "order_a": order_a, "order_b": order_b,
        "coffee_link": coffee_link, "honey_link": honey_link,
    }


# --- The rules ---------------------------------------------------------------------------------


def test_session_figures(sale):
    session = sale["session"]
    assert Attribution.objects.filter(session=session).count() == 2  # both orders carry it
    report = reports.session_report(session)
    coffee, honey = report.items
    assert [coffee.code, honey.code] == ["SAM2", "MO1"]
    assert coffee.featured and honey.featured

    assert (coffee.clicks, coffee.visitors) == (2, 2)
    assert (honey.clicks, honey.visitors) == (2, 2)
    assert coffee.baskets == 2  # A and B put it in their baskets (B later cancelled)
    assert coffee.orders == 1 and coffee.units == 2
    assert coffee.revenue == Decimal(240000)  # the live price, B's cancelled order left out
    assert coffee.holds[Hold.Status.OPEN] == 1 and coffee.holds_total == 1
    assert coffee.commission == Decimal(24000)  # B's 12.000 accrued and reversed
    assert coffee.conversion == Decimal("50.0")
    assert (honey.orders, honey.revenue, honey.conversion) == (0, 0, Decimal("0.0"))

    total = report.total
    assert (total.clicks, total.visitors) == (4, 3)  # A clicked both items: one visitor
    assert (total.baskets, total.orders, total.units) == (2, 1, 2)
    assert total.revenue == Decimal(240000)
    assert total.commission == Decimal(24000)
    assert total.holds_total == 1
    assert total.conversion == Decimal("33.3")

    amounts = sorted(CommissionEntry.objects.filter(session=session).values_list("amount", flat=True))
    assert amounts == [Decimal(-12000), Decimal(12000), Decimal(24000)]


def test_minute_buckets_count_what_happened(sale):
    report = reports.session_report(sale["session"])
    assert report.bucket_minutes == 1
    assert sum(b.clicks for b in report.buckets) + report.outside["clicks"] == 4
    assert sum(b.holds for b in report.buckets) + report.outside["holds"] == 1
    assert sum(b.orders for b in report.buckets) + report.outside["orders"] == 1
    assert report.outside == {"clicks": 0, "holds": 0, "orders": 0}


def test_unfeatured_product_bought_through_the_session_gets_its_own_row(zones):
    seller = make_seller()
    session, _offer, _coffee = live_session_with_offer(seller=seller)
    other = certified_offer(price=90000, stock=4)
    link = links.link_for(seller, other.product, session)
    buy(link, other, 1)
    report = reports.session_report(session)
    assert len(report.items) == 2
    extra = report.items[1]
    assert not extra.featured and extra.product_id == other.product_id
    assert (extra.clicks, extra.orders, extra.units, extra.revenue) == (1, 1, 1, Decimal(90000))
    assert extra.title == other.product.get_title()


@pytest.mark.parametrize(("minutes", "size"), [
    (1, 1), (120, 1), (121, 2), (180, 2), (181, 2), (240, 2), (241, 3), (600, 5), (24 * 60, 15),
])
def test_bucket_size_keeps_at_most_120_bars(minutes, size):
    assert reports.bucket_size(minutes) == size
    assert -(-minutes // reports.bucket_size(minutes)) <= reports.MAX_BUCKETS


def test_three_hour_session_is_charted_in_two_minute_buckets(zones):
    seller = make_seller()
    session, offer, _sr = live_session_with_offer(seller=seller)
    start = timezone.now() - datetime.timedelta(hours=3)
    type(session).objects.filter(pk=session.pk).update(started_at=start)
    session = sessions.end(type(session).objects.get(pk=session.pk))
    link = links.link_for(seller, offer.product, session)
    Click.objects.bulk_create([
        Click(link=link, session=session, visitor=f"{i:032x}", at=start + datetime.timedelta(minutes=i))
        for i in range(0, 180, 10)
    ] + [Click(link=link, session=session, visitor="f" * 32, at=start - datetime.timedelta(days=1))])
    report = reports.session_report(session, now=session.ended_at)
    assert report.bucket_minutes == 2
    assert len(report.buckets) <= reports.MAX_BUCKETS
    assert sum(b.clicks for b in report.buckets) == 18
    assert report.outside["clicks"] == 1  # the day before the session: counted, not charted
    first = report.buckets[0]
    assert first.clicks == 1 and first.start == start.replace(second=0, microsecond=0)
    assert report.buckets[5].clicks == 1  # minute 10 → bucket 5


# --- The session report page -------------------------------------------------------------------


def test_session_report_page_for_its_seller(sale, client):
    client.force_login(sale["seller"].user)
    response = client.get(reverse("live:session-report", kwargs={"pk": sale["session"].pk}))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="session-items"' in html
    assert "240.000" in html and "24.000" in html  # revenue, commission in đồng
    assert html.count("<svg") >= 2 and "<rect" in html  # the charts, server-side
    assert "SAM2" in html and "MO1" in html
    assert "0912345678" not in html  # a hold's phone never shows in reports


def test_session_report_access(sale, client):
    url = reverse("live:session-report", kwargs={"pk": sale["session"].pk})
    csv_url = reverse("live:session-report-csv", kwargs={"pk": sale["session"].pk})

    response = client.get(url)
    assert response.status_code == 302 and reverse("customer:login") in response["Location"]

    other = make_seller()
    client.force_login(other.user)
    assert client.get(url).status_code == 404
    assert client.get(csv_url).status_code == 404

    customer = get_user_model().objects.create_user(
        username="khach", email="khach@example.vn", password="secret-pass-123",
    )
    client.force_login(customer)
    assert client.get(url).status_code == 403

    client.force_login(office_user())
    assert client.get(url).status_code == 200
    assert client.get(csv_url).status_code == 200


def read_csv(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_session_report_csv(sale, client):
    client.force_login(sale["seller"].user)
    url = reverse("live:session-report-csv", kwargs={"pk": sale["session"].pk})
    rows = read_csv(client.get(url))
    header, coffee, honey, total = rows
    assert len(header) == len(coffee) == 15
    by = dict(zip(header, coffee, strict=True))
    assert by["Mã"] == "SAM2" and by["Giá livestream"] == "120000"
    assert (by["Lượt bấm"], by["Người xem"], by["Giỏ hàng"]) == ("2", "2", "2")
    assert by["Giữ hàng: Đang giữ"] == "1"
    assert (by["Đơn hàng"], by["Số lượng"], by["Doanh thu"]) == ("1", "2", "240000")
    assert by["Chuyển đổi (%)"] == "50.0" and by["Hoa hồng"] == "24000"
    assert honey[0] == "MO1"
    totals = dict(zip(header, total, strict=True))
    assert (totals["Người xem"], totals["Doanh thu"]) == ("3", "240000")

    minute_rows = read_csv(client.get(url + "?kind=minutes"))
    assert minute_rows[0] == ["Từ", "Số phút", "Lượt bấm", "Giữ hàng", "Đơn hàng"]
    body = minute_rows[1:]
    assert body and sum(int(r[2]) for r in body) == 4
    assert sum(int(r[3]) for r in body) == 1 and sum(int(r[4]) for r in body) == 1


def test_session_report_query_count_does_not_grow(sale, client, django_assert_max_num_queries):
    client.force_login(sale["seller"].user)
    url = reverse("live:session-report", kwargs={"pk": sale["session"].pk})
    client.get(url)  # warm caches (site, flags)
    bound = 40
    with django_assert_max_num_queries(bound) as small:
        assert client.get(url).status_code == 200

    # ten times the clicks and more orders
    session, link = sale["session"], sale["coffee_link"]
    now = timezone.now()
    Click.objects.bulk_create([
        Click(link=link, session=session, visitor=f"{i:032x}", at=now) for i in range(300)
    ])
    for _i in range(3):
        buy(sale["honey_link"], sale["honey"], 1)
    with django_assert_max_num_queries(bound) as large:
        assert client.get(url).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


# --- Earnings ----------------------------------------------------------------------------------


def test_earnings_page(sale, client):
    client.force_login(sale["seller"].user)
    response = client.get(reverse("live:earnings"))
    assert response.status_code == 200
    totals = response.context["totals"]
    assert totals["earned"] == Decimal(36000)
    assert totals["reversed"] == Decimal(12000)
    assert totals["net"] == Decimal(24000)
    [by_session] = response.context["sessions"]
    assert by_session["session_id"] == sale["session"].pk and by_session["net"] == Decimal(24000)
    html = response.content.decode()
    assert sale["order_a"].number in html and sale["order_b"].number in html
    assert "36.000" in html and "24.000" in html
    assert len(response.context["entries"]) == 3


def test_earnings_are_paginated_and_exported(sale, client, monkeypatch):
    from shop.live import report_views

    monkeypatch.setattr(report_views.EarningsView, "paginate_by", 2)
    client.force_login(sale["seller"].user)
    first = client.get(reverse("live:earnings"))
    second = client.get(reverse("live:earnings") + "?page=2")
    numbers = [e.pk for e in first.context["entries"]] + [e.pk for e in second.context["entries"]]
    assert len(numbers) == 3 == len(set(numbers))

    rows = read_csv(client.get(reverse("live:earnings") + "?format=csv"))
    assert rows[0][:3] == ["Thời điểm", "Số đơn", "Sản phẩm"]
    assert sorted(int(r[6]) for r in rows[1:]) == [-12000, 12000, 24000]


def test_earnings_period_leaves_out_other_months(sale, client):
    last_year = timezone.now() - datetime.timedelta(days=400)
    CommissionEntry.objects.filter(seller=sale["seller"], amount=Decimal(24000)).update(
        created_at=last_year
    )
    client.force_login(sale["seller"].user)
    response = client.get(reverse("live:earnings"))
    assert response.context["totals"]["net"] == Decimal(0)  # 12.000 − 12.000 this month
    day = timezone.localdate(last_year).isoformat()
    response = client.get(reverse("live:earnings") + f"?start={day}&end={day}")
    assert response.context["totals"]["net"] == Decimal(24000)


def test_earnings_access(sale, client):
    url = reverse("live:earnings")
    assert client.get(url).status_code == 302
    other = make_seller()
    client.force_login(other.user)
    response = client.get(url + f"?seller={sale['seller'].pk}")  # a seller cannot peek
    assert response.status_code == 200 and response.context["seller"] == other
    assert response.context["totals"]["net"] == 0
    client.force_login(office_user())
    response = client.get(url + f"?seller={sale['seller'].pk}")
    assert response.status_code == 200 and response.context["totals"]["net"] == Decimal(24000)
    assert client.get(url).status_code == 302  # the office has no earnings of its own
    customer = get_user_model().objects.create_user(username="k2", password="secret-pass-123")
    client.force_login(customer)
    assert client.get(url).status_code == 403


# --- Settlement --------------------------------------------------------------------------------


def test_settlement_page_and_csv(sale, client):
    seller = sale["seller"]
    seller.bank_name, seller.bank_account, seller.bank_account_name = (
        "Agribank", "5100205123456", "NGUYEN VAN AN",
    )
    seller.save()
    quiet = make_seller(name="Người bán không bán được")
    client.force_login(office_user())
    response = client.get(reverse("live:settlement"))
    assert response.status_code == 200
    [row] = response.context["rows"]  # only sellers with commission in the period
    assert row["seller"] == seller and row["net"] == Decimal(24000)
    assert response.context["totals"]["earned"] == Decimal(36000)
    html = response.content.decode()
    assert "5100205123456" in html and quiet.display_name not in html
    assert f"?seller={seller.pk}" in html

    rows = read_csv(client.get(reverse("live:settlement-csv")))
    assert rows[0][0] == "Người bán"
    assert rows[1] == [
        seller.display_name, "", "2", "36000", "12000", "24000", "Agribank", "5100205123456",
        "NGUYEN VAN AN",
    ]


def test_settlement_is_for_the_office_only(sale, client):
    url = reverse("live:settlement")
    assert client.get(url).status_code == 302
    client.force_login(sale["seller"].user)
    assert client.get(url).status_code == 403
    assert client.get(reverse("live:settlement-csv")).status_code == 403


def test_bad_period_answers_400(sale, client):
    client.force_login(office_user())
    response = client.get(reverse("live:settlement") + "?start=2026-05-10&end=2026-05-01")
    assert response.status_code == 400

