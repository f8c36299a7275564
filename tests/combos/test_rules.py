"""Composition refusals and the revenue split rule (sum exact, awkward prices)."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from catalogue import combos
from catalogue.combos import Part, revenue_split
from tests.factories import make_vendor
from tests.showroom.factories import make_offer, order_for, three_locations

from .factories import certified_offer, combo_record, make_combo, packaging_offer

# --- composition -------------------------------------------------------------------------


@pytest.fixture
def offers(db):
    return certified_offer("Cà phê"), certified_offer("Mật ong")


def _refused(items, combo=None, **kwargs):
    with pytest.raises(ValidationError) as error:
        if combo is None:
            make_combo(items, **kwargs)
        else:
            combos.set_components(combo, items)
    return " ".join(error.value.messages)


@pytest.mark.django_db
def test_zero_or_negative_quantity_is_refused(offers):
    coffee, honey = offers
    assert "lớn hơn 0" in _refused([(coffee, 0), (honey, 1)])
    assert "lớn hơn 0" in _refused([(coffee, -2)])
    assert "số nguyên" in _refused([(coffee, 1.5)])
    assert "Combo phải có ít nhất một thành phần" in _refused([])


@pytest.mark.django_db
def test_a_combo_cannot_contain_itself_or_another_combo(offers):
    coffee, honey = offers
    inner = make_combo([(coffee, 1)], title="Combo nhỏ")
    assert "Combo không thể chứa chính nó" in _refused(
        [(coffee, 1), (combo_record(inner), 1)], combo=inner
    )
    # through another combo: A ⊃ B ⊃ A is impossible because no combo is ever a component
    assert "combo không thể chứa combo khác" in _refused([(combo_record(inner), 1), (honey, 1)])


@pytest.mark.django_db
def test_a_not_approved_or_uncertified_product_is_refused(offers):
    coffee, _honey = offers
    pending = certified_offer("Rượu ghè chờ duyệt")
    pending.product.is_public = False
    pending.product.save()
    assert "chưa được duyệt" in _refused([(coffee, 1), (pending, 1)])
    uncertified = make_offer("Thổ cẩm chưa có sao", stars=None)
    assert uncertified.product.ocop_stars is None
    assert "giấy chứng nhận OCOP" in _refused([(coffee, 1), (uncertified, 1)])


@pytest.mark.django_db
def test_packaging_needs_no_certificate_and_duplicates_are_refused(offers):
    coffee, _honey = offers
    box = packaging_offer()
    combo = make_combo([(coffee, 1), (box, 1)])
    assert combos.sellable(combo)
    assert "hai lần" in _refused([(coffee, 1), (coffee, 2)])


@pytest.mark.django_db
def test_negative_or_fractional_price_is_refused(offers):
    coffee, _honey = offers
    assert "đồng nguyên" in _refused([(coffee, 1)], price=Decimal("-1"))
    assert "đồng nguyên" in _refused([(coffee, 1)], price=Decimal("1000.5"))


# --- the split rule --------------------------------------------------------------------------


def test_split_by_list_prices_with_awkward_amounts():
    # weights 3×33 333 = 99 999 and 1×50 001: price 99 999 đ
    shares = revenue_split(Decimal("99999"), [(Decimal("33333"), 3), (Decimal("50001"), 1)])
    assert shares == [Decimal("66665"), Decimal("33334")]
    assert sum(shares) == Decimal("99999")


def test_split_leftover_dong_goes_to_largest_remainders_then_first_listed():
    # three equal weights, 100 đ: 33.33 each → the first listed gets the extra đồng
    assert revenue_split(100, [(1000, 1), (1000, 1), (1000, 1)]) == [34, 33, 33]
    # 7 đ over weights 1:1:1:1 → 2,2,2,1
    assert revenue_split(7, [(5, 1)] * 4) == [2, 2, 2, 1]
    # largest remainder wins even when listed last: 10 × (1, 2, 3.5)/6.5
    assert revenue_split(10, [(2, 1), (4, 1), (7, 1)]) == [2, 3, 5]


def test_split_of_free_components_falls_back_to_quantities():
    assert revenue_split(10, [(0, 1), (0, 4)]) == [2, 8]


def test_split_refuses_nonsense():
    with pytest.raises(ValueError):
        revenue_split(100, [])
    with pytest.raises(ValidationError):
        revenue_split(Decimal("10.5"), [(1, 1)])


prices = st.integers(min_value=0, max_value=5_000_000)
parts = st.lists(st.tuples(prices, st.integers(1, 20)), min_size=1, max_size=8)


@given(price=st.integers(0, 50_000_000), parts=parts)
def test_split_always_sums_exactly_and_stays_near_the_exact_share(price, parts):
    shares = revenue_split(price, parts)
    assert sum(shares) == price
    assert all(s >= 0 and s == s.to_integral_value() for s in shares)
    weights = [p * q for p, q in parts] if any(p * q for p, q in parts) else [q for _p, q in parts]
    total = sum(weights)
    for share, weight in zip(shares, weights, strict=True):
        exact = Decimal(price) * weight / total
        assert abs(share - exact) < 1


# --- producers credited by the split --------------------------------------------------------


@pytest.mark.django_db
def test_producer_revenue_credits_each_producer_its_share():
    locs = three_locations()
    coffee_htx = make_vendor("HTX Cà phê Đăk Hà")
    honey_htx = make_vendor("Tổ hợp tác mật ong Đăk Mar")
    coffee = certified_offer("Cà phê", vendor=coffee_htx, price=Decimal("120000"), stock={locs[0]: 9})
    honey = certified_offer("Mật ong", vendor=honey_htx, price=Decimal("185000"), stock={locs[0]: 9})
    box = packaging_offer(price=Decimal("25000"), stock={locs[0]: 9})
    combo = make_combo([(coffee, 2), (honey, 1), (box, 1)], price=Decimal("399999"))
    order = order_for([(combo_record(combo), 2), (coffee, 1)])
    revenue = combos.producer_revenue(order.lines.select_related("product__product_class"))
    parts_ = [Part(coffee, 2), Part(honey, 1), Part(box, 1)]
    one = revenue_split(Decimal("799998"), parts_)
    assert revenue == {
        coffee_htx.partner.pk: one[0] + Decimal("120000"),
        honey_htx.partner.pk: one[1],
        combos.district_partner().pk: one[2],
    }
    assert sum(revenue.values()) == sum(line.line_price_incl_tax for line in order.lines.all())


@pytest.mark.django_db
def test_revenue_shares_of_a_till_line_and_the_packaging_seam():
    coffee = certified_offer("Cà phê", price=Decimal("100000"))
    honey = certified_offer("Mật ong", price=Decimal("200000"))
    box = packaging_offer(price=Decimal("20000"))
    combo = make_combo([(coffee, 1), (honey, 1), (box, 1)], price=Decimal("290000"))
    shares = combos.revenue_shares(combo, combo_record(combo).partner_id, Decimal("290000"))
    assert sum(shares.values()) == Decimal("290000")
    assert shares[coffee.partner_id] == Decimal("90625")  # 290000 × 100/320
    assert combos.revenue_shares(coffee.product, coffee.partner_id, 5) == {coffee.partner_id: 5}
    assert [sr.pk for sr in combos.packaging_offers()] == [box.pk]
