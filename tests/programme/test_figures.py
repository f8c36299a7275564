"""The dashboard's figures from known data: every KPI asserted exactly (THE CONTRACT)."""

import datetime
import json
from decimal import Decimal

import pytest
from django.db.models import Sum
from oscar.core.loading import get_model

from pos.models import TillReturnLine
from shop.payment import statuses
from shop.programme import figures, targets
from shop.programme.models import PlanPeriod, Target
from tests.showroom.factories import three_locations

from .factories import Known

pytestmark = pytest.mark.django_db
Line = get_model("order", "Line")


@pytest.fixture
def known(db):
    return Known(three_locations())


@pytest.fixture
def data(known):
    return figures.dashboard(known.start, known.today, today=known.today)


def by(rows, key="measure"):
    return {row[key]: row for row in rows}


def test_the_seed_plan_holds_the_seed_targets():
    plan = PlanPeriod.objects.get(start_year=2021, end_year=2025)
    rows = {t.measure: (t.unit, t.minimum, t.maximum) for t in plan.targets.all()}
    D = Decimal
    assert rows == {
        "products_3_stars": ("count", D(20), None),
        "products_5_stars": ("count", D(4), None),
        "cooperative_share": ("percent", D(50), None),
        "sme_share": ("percent", D(20), None),
        "value_chain_share": ("percent", D(30), None),
        "upgraded_share": ("percent", D(50), None),
        "trained_workers_share": ("percent", D(30), None),
        "modern_channel_share": ("percent", D(30), D(40)),
        "showcase_points": ("count", D(1), None),
        "commune_points": ("count", D(2), None),
    }


def test_the_dict_is_json_and_has_the_contract_keys(data, known):
    assert json.loads(json.dumps(data)) == data
    assert set(data) == {"period", "commune", "targets", "products", "expiring", "sales",
                         "top_products", "top_combos", "registry"}
    assert data["period"] == {"start": known.start.isoformat(), "end": known.today.isoformat()}
    assert data["commune"] is None


def test_every_target_against_its_live_value(data):
    rows = by(data["targets"])
    values = {m: (r["value"], r["numerator"], r["denominator"]) for m, r in rows.items()}
    assert values == {
        # p1, p2, p3, p4, p5, p7 (p6 revoked, p8 expired)
        "products_3_stars": (6, 6, None),
        "products_5_stars": (2, 2, None),
        # subjects: coop_a, enterprise_a, coop_b, household_b, group_b
        "cooperative_share": (40.0, 2, 5),
        "sme_share": (20.0, 1, 5),
        "value_chain_share": (20.0, 1, 5),  # coop_a only; enterprise_a's facts unconfirmed
        "upgraded_share": (33.3, 2, 6),  # p2 re-rated up, p3 renewed
        "trained_workers_share": (27.8, 5, 18),  # (4 + 1 + 0) / (10 + 5 + 3)
        "modern_channel_share": (80.0, 4, 5),  # all but group_b
        "showcase_points": (1, 1, None),
        "commune_points": (2, 2, None),
    }
    assert rows["modern_channel_share"]["minimum"] == 30.0
    assert rows["modern_channel_share"]["maximum"] == 40.0
    assert rows["products_3_stars"]["minimum"] == 20


def test_status_met_on_track_behind(data, known):
    rows = by(data["targets"])
    # the seed plan has ended (2025): only reached targets are met
    if known.today.year > 2025:
        assert rows["products_3_stars"]["status"] == "behind"
    assert rows["sme_share"]["status"] == "met"
    assert rows["modern_channel_share"]["status"] == "met"  # a range is met above it too
    assert rows["showcase_points"]["status"] == "met"
    plan = PlanPeriod.objects.create(name="Kế hoạch 2026–2030", start_year=2026, end_year=2030)
    Target.objects.create(plan=plan, measure="products_3_stars", unit="count", minimum=20)
    Target.objects.create(plan=plan, measure="products_5_stars", unit="count", minimum=40)
    day = datetime.date(2027, 1, 1)  # one fifth of the plan gone: pace 20 × 0.2 = 4
    fraction = targets.elapsed_fraction(plan, day)
    assert fraction == Decimal(365) / Decimal((datetime.date(2030, 12, 31)
                                               - datetime.date(2026, 1, 1)).days)
    assert targets.status(6, Decimal(20), fraction) == "on_track"
    assert targets.status(2, Decimal(40), fraction) == "behind"
    assert targets.status(20, Decimal(20), fraction) == "met"


def test_trend_by_plan_year(data, known):
    rows = by(data["targets"])
    trend = rows["products_3_stars"]["trend"]
    assert [t["year"] for t in trend] == list(range(2021, min(known.today.year, 2025) + 1))
    # every certificate of the data was decided within the last two years, except the
    # 4-year-old ones (expired by now, valid at the end of their own year)
    last = trend[-1]
    expected = targets.live_values(datetime.date(last["year"], 12, 31))["products_3_stars"][0]
    assert last["value"] == expected
    assert rows["showcase_points"]["trend"] == []


def test_products_by_stars_group_commune_and_subject_type(data):
    products = data["products"]
    assert products["total"] == 6
    assert products["by_stars"] == [
        {"stars": 3, "count": 3}, {"stars": 4, "count": 1}, {"stars": 5, "count": 2}
    ]
    assert by(products["by_group"], "name") == {
        "Thực phẩm": {"name": "Thực phẩm", "count": 3},
        "Đồ uống": {"name": "Đồ uống", "count": 1},
        "Chưa phân nhóm": {"name": "Chưa phân nhóm", "count": 2},
    }
    assert {r["name"]: r["count"] for r in products["by_commune"]} == {
        "Đăk Mar": 3, "Ngọk Wang": 3,
    }
    assert {r["name"]: r["count"] for r in products["by_subject_type"]} == {
        "Hợp tác xã": 3, "Doanh nghiệp nhỏ và vừa": 1,
        "Hộ sản xuất có đăng ký kinh doanh": 1, "Tổ hợp tác": 1,
    }


def test_expiring_certificates_and_the_registry(data, known):
    cert = known.p7.product.ocop_certificates.get()
    assert data["expiring"] == [{
        "product": "Khăn thổ cẩm", "producer": "Tổ hợp tác dệt thổ cẩm",
        "number": cert.decision_number, "valid_until": cert.valid_until.isoformat(),
    }]
    registry = by(data["registry"], "product")
    assert set(registry) == {
        "Cà phê bột Đăk Mar", "Cà phê đặc sản Đăk Mar", "Sâm dây Đăk Hà",
        "Mật ong rừng Ngọk Wang", "Măng khô Y Bình", "Khăn thổ cẩm",
    }
    current = known.p2.product.ocop_certificates.order_by("-decision_date").first()
    assert registry["Cà phê đặc sản Đăk Mar"] == {
        "product": "Cà phê đặc sản Đăk Mar", "producer": "HTX Cà phê Đăk Mar",
        "subject_type": "Hợp tác xã", "address": "", "commune": "Đăk Mar", "group": "Thực phẩm",
        "stars": 5, "score": 95, "certificate": current.decision_number,
        "decision_date": current.decision_date.isoformat(),
        "valid_until": current.valid_until.isoformat(),
        "certifying_body": current.certifying_body,
    }


def test_sales_by_channel_reconcile_with_orders_till_sales_and_returns(data, known):
    sales = data["sales"]
    channels = {r["key"]: (r["amount"], r["last_year"]) for r in sales["by_channel"]}
    assert channels == {
        "online": (300000 - 50000, 150000),  # the failed refund is not counted
        f"till-{known.showcase.code}": (400000 - 100000, 0),
        "livestream": (150000, 0),
    }
    # the same total from the orders themselves
    placed = Line.objects.filter(order__date_placed__date__gte=known.start).exclude(
        order__status__in=[statuses.CANCELLED, statuses.AWAITING_PAYMENT]
    ).aggregate(total=Sum("line_price_incl_tax"))["total"]
    returned = TillReturnLine.objects.aggregate(total=Sum("amount"))["total"]
    assert returned == 100000
    assert sales["total"] == int(placed) - returned - 50000 == 700000
    assert sales["total"] == sum(r["amount"] for r in sales["by_channel"])
    assert sales["total_last_year"] == 150000


def test_sales_by_group_commune_and_subject_type(data):
    sales = data["sales"]

    def pairs(rows):
        return {r["name"]: (r["amount"], r["last_year"]) for r in rows}

    assert pairs(sales["by_group"]) == {
        "Thực phẩm": (250000 + 200000, 150000), "Đồ uống": (150000, 0),
        "Chưa phân nhóm": (100000, 0),
    }
    assert pairs(sales["by_commune"]) == {
        "Đăk Mar": (450000, 150000), "Ngọk Wang": (250000, 0),
    }
    assert pairs(sales["by_subject_type"]) == {
        "Hợp tác xã": (400000, 150000), "Doanh nghiệp nhỏ và vừa": (200000, 0),
        "Hộ sản xuất có đăng ký kinh doanh": (100000, 0),
    }
    for key in ("by_group", "by_commune", "by_subject_type"):
        assert sum(r["amount"] for r in sales[key]) == sales["total"]


def test_top_products_are_gross_sales(data):
    assert data["top_products"] == [
        {"title": "Cà phê bột Đăk Mar", "units": 2, "amount": 300000},
        {"title": "Măng khô Y Bình", "units": 2, "amount": 200000},
        {"title": "Sâm dây Đăk Hà", "units": 1, "amount": 200000},
        {"title": "Mật ong rừng Ngọk Wang", "units": 1, "amount": 150000},
    ]
    assert data["top_combos"] == []


def test_a_combo_is_a_top_combo_and_its_parts_go_to_their_producers(known):
    from tests.combos.factories import make_combo

    combo = make_combo([(known.p1, 1), (known.p4, 1)], price=Decimal("350000"))
    online_combo = combo.stockrecords.get()
    from .factories import online_order

    online_order([(online_combo, 2)])
    data = figures.dashboard(known.start, known.today, today=known.today)
    assert data["top_combos"] == [{"title": combo.get_title(), "units": 2, "amount": 700000}]
    assert data["sales"]["total"] == 700000 + 700000
    # the combo's parts: 350.000 split 150.000 : 200.000 → 150.000 and 200.000 per combo
    communes = {r["name"]: r["amount"] for r in data["sales"]["by_commune"]}
    assert communes["Đăk Mar"] == 450000 + 700000
    only_a = figures.dashboard(known.start, known.today, commune=known.a, today=known.today)
    assert only_a["top_combos"] == [{"title": combo.get_title(), "units": 2, "amount": 700000}]


def test_a_commune_sees_only_its_producers(known):
    data = figures.dashboard(known.start, known.today, commune=known.a, today=known.today)
    assert data["commune"] == {"id": known.a.pk, "name": "Đăk Mar"}
    assert data["sales"]["total"] == 450000
    assert {r["name"] for r in data["sales"]["by_commune"]} == {"Đăk Mar"}
    assert {r["producer"] for r in data["registry"]} == {
        "HTX Cà phê Đăk Mar", "Công ty TNHH Sâm Đăk Hà",
    }
    assert data["expiring"] == []
    rows = by(data["targets"])
    assert rows["products_3_stars"]["value"] == 3
    assert (rows["cooperative_share"]["numerator"], rows["cooperative_share"]["denominator"]) \
        == (1, 2)
    channels = {r["key"]: r["amount"] for r in data["sales"]["by_channel"]}
    assert channels["livestream"] == 0 and channels["online"] == 250000
    other = figures.dashboard(known.start, known.today, commune=known.b.pk, today=known.today)
    assert other["sales"]["total"] == 250000
    assert {r["producer"] for r in other["registry"]}.isdisjoint(
        {r["producer"] for r in data["registry"]}
    )
