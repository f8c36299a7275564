"""Settlement: shares fixed at sale time, combo split, deductions, the producer's and office's reports."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from catalogue import combos
from pos import returns as till_returns
from pos import sales as till_sales
from pos.models import TillSession
from shop.core import charts
from shop.payment import statuses
from shop.payment.models import OrderPayment, PaymentRefund
from tests.combos.factories import certified_offer, make_combo, packaging_offer
from tests.pos.factories import make_cashier, make_register, new_uuid
from tests.showroom.factories import order_for
from vendors import settlement
from vendors.access import grant_producer_access
from vendors.models import RevenueShare

from .conftest import PASSWORD, make_producer, make_user

Line = get_model("order", "Line")

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def two_producers(locations):
    return make_producer("HTX Đăk Mar", "htx-dak-mar", locations), make_producer(
        "HTX Ngọk Wang", "htx-ngok-wang", locations
    )


@pytest.fixture
def gift(locations, two_producers):
    """A combo of two producers' products and the district's gift box, at an awkward price."""
    first, second = two_producers
    coffee = certified_offer("Cà phê Robusta Đăk Hà", vendor=first.vendor, price=D("123457"),
                             stock={locations[0]: 20})
    honey = certified_offer("Mật ong rừng Ngọk Wang", vendor=second.vendor, price=D("98765"),
                            stock={locations[0]: 20})
    box = packaging_offer(stock={locations[0]: 20}, price=D("30001"))
    combo = make_combo([(coffee, 2), (honey, 1), (box, 1)], price=D("333333"))
    return combo, coffee, honey, box


def combo_offer(combo):
    return combo.stockrecords.get()


def this_month():
    return settlement.preset_period("this-month")


def test_a_single_product_line_credits_its_seller_with_what_the_buyer_paid(two_producers):
    first, _second = two_producers
    order = order_for([(first.stockrecord, 2)])
    line = order.lines.get()
    (share,) = RevenueShare.objects.filter(line=line)
    assert share.partner_id == first.vendor.partner_id
    assert (share.quantity, share.amount, share.combo_title) == (2, line.line_price_incl_tax, "")


def test_a_combo_line_is_split_by_the_rule_and_the_parts_sum_exactly(gift, two_producers):
    combo, coffee, honey, box = gift
    order = order_for([(combo_offer(combo), 3)])
    line = order.lines.get()
    shares = list(RevenueShare.objects.filter(line=line).order_by("pk"))
    assert sum(s.amount for s in shares) == line.line_price_incl_tax == D("999999")
    expected = combos.revenue_split(D("999999"), [(D("123457"), 2), (D("98765"), 1), (D("30001"), 1)])
    assert [s.amount for s in shares] == expected
    assert [(s.partner_id, s.quantity) for s in shares] == [
        (coffee.partner_id, 6), (honey.partner_id, 3), (box.partner_id, 3),
    ]
    assert {s.combo_title for s in shares} == {combo.get_title()}


def test_shares_are_fixed_when_sold_a_later_recomposition_changes_nothing(gift, two_producers):
    combo, coffee, honey, box = gift
    line = order_for([(combo_offer(combo), 1)]).lines.get()
    before = list(RevenueShare.objects.filter(line=line).values_list("partner_id", "amount"))
    combos.set_components(combo, [(coffee, 1), (box, 1)])  # the second producer is dropped
    honey.price = D("500000")
    honey.save()
    after = list(RevenueShare.objects.filter(line=line).values_list("partner_id", "amount"))
    assert after == before
    first, second = two_producers
    report = settlement.seller_report(second.vendor.partner, this_month())
    assert report.totals.in_combos == dict(before)[second.vendor.partner_id] > 0


def test_unpaid_and_cancelled_orders_are_not_counted(two_producers):
    first, _second = two_producers
    paid = order_for([(first.stockrecord, 1)])
    waiting = order_for([(first.stockrecord, 1)])
    cancelled = order_for([(first.stockrecord, 1)])
    waiting.status = statuses.AWAITING_PAYMENT
    waiting.save()
    cancelled.status = statuses.CANCELLED
    cancelled.save()
    partner = first.vendor.partner
    totals = settlement.seller_report(partner, this_month()).totals
    counted = Line.objects.filter(partner=partner).exclude(
        order__in=[waiting, cancelled]
    ).values_list("line_price_incl_tax", flat=True)
    assert totals.own == sum(counted) and paid.lines.get().line_price_incl_tax in counted
    assert totals.in_combos == 0


def test_a_period_before_the_sale_is_empty(two_producers):
    first, _second = two_producers
    order_for([(first.stockrecord, 1)])
    today = timezone.localdate()
    last_year = settlement.Period(today.replace(year=today.year - 1, month=1, day=1),
                                  today.replace(year=today.year - 1, month=12, day=31))
    report = settlement.seller_report(first.vendor.partner, last_year)
    assert report.totals.gross == 0 and report.products == []
    assert len(report.buckets) == 12  # a year is charted by month


@pytest.fixture
def till(locations):
    register = make_register(locations[0], code="tt-1")
    cashier = make_cashier(locations[0], username="thu.ngan.tt")
    session = TillSession.objects.create(register=register, cashier=cashier,
                                         opening_float=D("0"))
    return register, cashier, session


def test_a_till_sale_of_a_combo_and_its_return_are_split_the_same_way(gift, till, settings):
    settings.POS_CASH_ROUNDING = 0
    combo, coffee, honey, box = gift
    register, cashier, session = till
    offer = combo_offer(combo)
    sale, created = till_sales.record_sale(
        register=register, session=session, user=cashier, client_uuid=new_uuid(),
        lines=[{"stockrecord": offer.pk, "quantity": 2}],
        tenders=[{"kind": "cash", "tendered": 700000}],
    )
    assert created
    shares = list(RevenueShare.objects.filter(line__order=sale.order).order_by("pk"))
    assert sum(s.amount for s in shares) == D("666666")
    sale_line = sale.lines.get()
    till_returns.record_return(
        sale=sale, session=session, user=cashier, refund_kind="cash",
        lines=[{"line": sale_line.pk, "quantity": 1}],
    )
    taken = settlement.deductions(this_month())
    assert sum(d.amount for d in taken) == D("333333")
    by_partner = {d.partner_id: d.amount for d in taken}
    assert by_partner == {
        s.partner_id: part
        for s, part in zip(shares, combos.revenue_split(D("333333"), [(s.amount, 1) for s in shares]),
                           strict=True)
    }
    report = settlement.seller_report(coffee.partner, this_month())
    coffee_share = next(s for s in shares if s.partner_id == coffee.partner_id)
    assert report.totals.in_combos == coffee_share.amount
    assert report.totals.net == report.totals.own + coffee_share.amount - by_partner[coffee.partner_id]


def paid_by_card(order, refunds=()):
    payment = OrderPayment.objects.create(
        order=order, method=OrderPayment.Method.CARD, status=OrderPayment.Status.PAID,
        amount=order.total_incl_tax, amount_paid=order.total_incl_tax,
    )
    for amount, status in refunds:
        PaymentRefund.objects.create(payment=payment, amount=D(amount), status=status)
    return payment


def test_card_refunds_are_split_over_the_order_and_never_exceed_its_goods(gift, two_producers):
    combo, coffee, honey, box = gift
    first, _second = two_producers
    order = order_for([(combo_offer(combo), 1), (first.stockrecord, 1)])
    goods = sum(RevenueShare.objects.filter(line__order=order).values_list("amount", flat=True))
    # a partial refund, a failed one (not counted) and one refunding goods + shipping
    paid_by_card(order, [(100000, "succeeded"), (50000, "failed"), (goods, "succeeded")])
    taken = settlement.deductions(this_month())
    assert sum(d.amount for d in taken) == goods  # capped: the rest was shipping
    totals = {t.partner_id: t for t in settlement.seller_totals(this_month())}
    assert all(t.net >= 0 for t in totals.values())
    assert sum(t.net for t in totals.values()) == sum(
        RevenueShare.objects.exclude(line__order=order).exclude(
            line__order__status__in=settlement.NOT_SOLD_STATUSES
        ).values_list("amount", flat=True)
    )


def test_the_backfill_command_writes_missing_shares_once(two_producers):
    first, _second = two_producers
    line = order_for([(first.stockrecord, 2)]).lines.get()
    RevenueShare.objects.filter(line=line).delete()
    out = io.StringIO()
    call_command("record_revenue_shares", stdout=out)
    assert RevenueShare.objects.filter(line=line).count() == 1
    assert "order lines" in out.getvalue()
    call_command("record_revenue_shares", stdout=io.StringIO())
    assert RevenueShare.objects.filter(line=line).count() == 1


# --- the pages ----------------------------------------------------------------------------


def producer_client(client, producer):
    assert client.login(username=producer.user.username, password=PASSWORD)
    return client


def test_the_producer_sees_its_combo_share_with_a_chart(client, gift, two_producers):
    combo, coffee, honey, box = gift
    _first, second = two_producers
    line = order_for([(combo_offer(combo), 1)]).lines.get()
    share = RevenueShare.objects.get(line=line, partner=second.vendor.partner)
    page = producer_client(client, second).get(reverse("vendors:sales"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "bar-combo" in html
    assert "trong combo" in html.lower() and combo.get_title() in html
    assert f"{int(share.amount):,}".replace(",", ".") in html
    # The other producer's own product is not on this page.
    assert "Cà phê Robusta" not in html


def test_the_producer_csv_has_shares_and_deductions(client, gift, two_producers, till, settings):
    settings.POS_CASH_ROUNDING = 0
    combo, coffee, honey, box = gift
    first, _second = two_producers
    order_for([(combo_offer(combo), 1)])
    response = producer_client(client, first).get(
        reverse("vendors:sales"), {"preset": "this-month", "format": "csv"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][3] == "Trong combo"
    combo_rows = [r for r in rows[1:] if r[3] == combo.get_title()]
    assert combo_rows and combo_rows[0][2] == "Cà phê Robusta Đăk Hà" and combo_rows[0][4] == "2"


def test_bad_dates_are_refused_clearly(client, two_producers):
    first, _second = two_producers
    response = producer_client(client, first).get(
        reverse("vendors:sales"), {"start": "2026-05-10", "end": "2026-05-01"}
    )
    assert response.status_code == 400
    assert "Ngày kết thúc phải sau ngày bắt đầu" in response.content.decode()
    response = client.get(reverse("vendors:sales"), {"start": "không phải ngày"})
    assert response.status_code == 400


def test_the_producer_report_query_count_does_not_grow_with_sales(
    client, two_producers, django_assert_max_num_queries
):
    first, _second = two_producers
    producer_client(client, first)
    url = reverse("vendors:sales")
    order_for([(first.stockrecord, 1)])
    client.get(url)  # warm
    with django_assert_max_num_queries(21) as few:
        assert client.get(url).status_code == 200
    for _ in range(7):  # all the stock there is
        order_for([(first.stockrecord, 1)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_office_settlement_lists_every_seller_and_exports_it(
    client, office, gift, two_producers, locations, django_assert_max_num_queries
):
    combo, coffee, honey, box = gift
    first, second = two_producers
    second.vendor.bank_name = "Agribank Kon Tum"
    second.vendor.bank_account_number = "5100205123456"
    second.vendor.bank_account_holder = "HTX NGOK WANG"
    second.vendor.save()
    order_for([(combo_offer(combo), 1), (first.stockrecord, 1)])
    client.login(username=office.username, password=PASSWORD)
    client.get(reverse("settlement:office"))  # warm (the basket of the session)
    with django_assert_max_num_queries(20):
        page = client.get(reverse("settlement:office"))
    html = page.content.decode()
    assert page.status_code == 200
    for name in ("HTX Đăk Mar", "HTX Ngọk Wang", combos.DISTRICT_PARTNER_NAME):
        assert name in html
    assert "5100205123456" in html and "Chưa có tài khoản" in html
    response = client.get(reverse("settlement:office"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    nets = {row[0]: Decimal(row[5]) for row in rows[1:]}
    goods = sum(RevenueShare.objects.values_list("amount", flat=True))
    assert sum(nets.values()) == goods
    # more sellers and sales: the same number of queries
    for n in range(5):
        other = make_producer(f"HTX số {n}", f"htx-so-{n}", locations)
        order_for([(other.stockrecord, 2)])
    with django_assert_max_num_queries(20):
        assert client.get(reverse("settlement:office")).status_code == 200
    detail = client.get(reverse("settlement:seller", args=[second.vendor.partner_id]))
    assert detail.status_code == 200 and "HTX Ngọk Wang" in detail.content.decode()


def test_only_the_office_reads_the_settlement(client, two_producers, customer):
    first, _second = two_producers
    url = reverse("settlement:office")
    assert client.get(url).status_code == 302  # to the login page
    producer_client(client, first)
    assert client.get(url).status_code == 403
    assert client.get(reverse("settlement:seller", args=[first.vendor.partner_id])).status_code == 403
    client.logout()
    client.login(username=customer.username, password=PASSWORD)
    assert client.get(url).status_code == 403


def test_a_producer_user_of_a_second_producer_sees_only_its_own_sales(client, two_producers):
    first, second = two_producers
    helper = make_user("nguoi-giup-viec")
    grant_producer_access(helper, second.vendor)
    client.login(username=helper.username, password=PASSWORD)
    html = client.get(reverse("vendors:sales")).content.decode()
    assert second.product.title in html and first.product.title not in html


# --- the chart ------------------------------------------------------------------------------


def test_stacked_bars_are_proportional_and_returns_hang_below_the_axis():
    buckets = [(D(100), D(50), D(0)), (D(0), D(0), D(0)), (D(30), D(0), D(75))]
    chart = charts.stacked_bars(
        buckets,
        positive=[(lambda b: b[0], "a", "A"), (lambda b: b[1], "b", "B")],
        negative=(lambda b: b[2], "n", "N"), label=lambda b: "x",
    )
    first, empty, last = chart.bars
    heights = [s.height for s in first.segments]
    assert heights[0] == pytest.approx(2 * heights[1], abs=0.2)
    assert all(s.y + s.height <= chart.baseline + 0.1 for s in first.segments)
    assert empty.segments == []
    below = last.segments[-1]
    assert below.css == "n" and below.y == chart.baseline
    assert below.height == pytest.approx(heights[0] * 75 / 100, abs=0.2)
    assert not chart.empty and chart.top_value == 150 and chart.bottom_value == 75
    assert charts.stacked_bars([], positive=[(lambda b: 0, "a", "A")]).empty


# --- what the review found ----------------------------------------------------------------


def test_a_fraction_of_a_dong_never_stops_an_order_and_shares_stay_whole(two_producers):
    first, _second = two_producers
    line = order_for([(first.stockrecord, 1)]).lines.get()
    line.line_price_incl_tax = D("12345.70")  # what a percentage offer used to leave
    (share,) = settlement.shares_for_line(line)
    assert share.amount == D("12346")
    from shop.rounding import round_discount

    assert round_discount(D("12345.70")) == D("12345")


def test_an_offer_discount_is_whole_dong(settings):
    from oscar.core.loading import get_model

    Benefit = get_model("offer", "Benefit")
    assert settings.OSCAR_OFFER_ROUNDING_FUNCTION == "shop.rounding.round_discount"
    assert Benefit(type=Benefit.PERCENTAGE, value=10).round(D("12345.70")) == D("12345")


def test_a_refunded_cancelled_order_is_not_taken_twice(two_producers):
    first, _second = two_producers
    partner = first.vendor.partner
    before = settlement.seller_report(partner, this_month()).totals.net
    order = order_for([(first.stockrecord, 1)])
    paid_by_card(order, [(order.total_incl_tax, "succeeded")])
    order.status = statuses.CANCELLED
    order.save()
    after = settlement.seller_report(partner, this_month()).totals
    assert after.net == before  # neither counted nor deducted
    assert after.deducted == 0


def test_a_combo_returned_piece_by_piece_gives_back_exactly_each_share(gift, till, settings):
    settings.POS_CASH_ROUNDING = 0
    combo, coffee, honey, box = gift
    register, cashier, session = till
    sale, _created = till_sales.record_sale(
        register=register, session=session, user=cashier, client_uuid=new_uuid(),
        lines=[{"stockrecord": combo_offer(combo).pk, "quantity": 3}],
        tenders=[{"kind": "cash", "tendered": 1000000}],
    )
    shares = {s.partner_id: s.amount for s in RevenueShare.objects.filter(line__order=sale.order)}
    sale_line = sale.lines.get()
    for _ in range(3):
        till_returns.record_return(
            sale=sale, session=session, user=cashier, refund_kind="cash",
            lines=[{"line": sale_line.pk, "quantity": 1}],
        )
    taken = defaultdict_sum(settlement.deductions(this_month()))
    assert taken == shares  # every đồng back to where it came from, none more
    for partner_id, amount in shares.items():
        totals = next(t for t in settlement.seller_totals(this_month()) if t.partner_id == partner_id)
        assert totals.in_combos - totals.deducted == 0
        assert amount > 0


def defaultdict_sum(deductions):
    result = {}
    for deduction in deductions:
        result[deduction.partner_id] = result.get(deduction.partner_id, D(0)) + deduction.amount
    return result


def test_the_csv_lists_deductions_as_negative_rows(client, gift, two_producers, till, settings):
    settings.POS_CASH_ROUNDING = 0
    combo, coffee, honey, box = gift
    first, _second = two_producers
    register, cashier, session = till
    sale, _created = till_sales.record_sale(
        register=register, session=session, user=cashier, client_uuid=new_uuid(),
        lines=[{"stockrecord": combo_offer(combo).pk, "quantity": 1}],
        tenders=[{"kind": "cash", "tendered": 400000}],
    )
    till_returns.record_return(
        sale=sale, session=session, user=cashier, refund_kind="cash",
        lines=[{"line": sale.lines.get().pk, "quantity": 1}],
    )
    response = producer_client(client, first).get(reverse("vendors:sales"), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    returned = [r for r in rows if r[1] == sale.order.number and r[6].startswith("-")]
    share = RevenueShare.objects.get(line__order=sale.order, partner=first.vendor.partner)
    assert [Decimal(r[6]) for r in returned] == [-share.amount]
    assert returned[0][2] == "Trả hàng: Cà phê Robusta Đăk Hà"


def test_a_title_is_never_a_spreadsheet_formula(client, two_producers):
    first, _second = two_producers
    line = order_for([(first.stockrecord, 1)]).lines.get()
    RevenueShare.objects.filter(line=line).update(title="=HYPERLINK(\"http://x\")")
    response = producer_client(client, first).get(reverse("vendors:sales"), {"format": "csv"})
    body = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in body and "\n=HYPERLINK" not in body and ",=HYPERLINK" not in body


@pytest.mark.parametrize("query", [
    {"start": "9999-12-31", "end": "9999-12-31"},
    {"end": "0001-01-05"},
    {"start": "0001-01-01", "end": "0001-01-02"},
    {"start": "1999-12-31"},
])
def test_dates_out_of_range_are_refused_not_a_crash(client, two_producers, office, query):
    first, _second = two_producers
    response = producer_client(client, first).get(reverse("vendors:sales"), query)
    assert response.status_code == 400 and "Hãy chọn ngày từ 01/01/2000" in response.content.decode()
    client.logout()
    client.login(username=office.username, password=PASSWORD)
    assert client.get(reverse("settlement:office"), query).status_code == 400


def test_staff_without_the_permission_cannot_read_the_settlement(client, django_user_model):
    staff = django_user_model.objects.create_user("nhan-vien", "nv@example.vn", PASSWORD,
                                                  is_staff=True)
    client.login(username=staff.username, password=PASSWORD)
    assert client.get(reverse("settlement:office")).status_code == 403
