"""The shopper's side: combos on the home page and in their category, the combo page."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from catalogue import combos
from catalogue.demo_combos import load_demo_combos
from showroom.models import Stock
from tests.factories import make_vendor
from tests.showroom.factories import three_locations

from .factories import certified_offer, combo_record, make_combo, packaging_offer

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("invariant")]

COMBO_PAGE_QUERIES = 22


def _gift(n_parts=3):
    locs = three_locations()
    parts = []
    for i in range(n_parts):
        vendor = make_vendor(f"HTX số {i}")
        parts.append(
            (certified_offer(f"Đặc sản {i}", vendor=vendor, price=Decimal("100000") + i,
                             stock={locs[0]: 14, locs[1]: 3}), 2)
        )
    parts.append((packaging_offer(stock={locs[0]: 50}), 1))
    return make_combo(parts, price=Decimal("500000"), title="Combo quà Tết Đăk Hà",
                      description="<p>Quà Tết mang hương núi rừng.</p>")


def test_combo_page_lists_components_saving_and_units(client):
    combo = _gift()
    response = client.get(combo.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 200
    assert "oscar/catalogue/detail-for-class-gift-combo.html" in [t.name for t in response.templates]
    html = response.content.decode()
    for part in combos.parts_of(combo)[:3]:
        assert part.product.get_title() in html
        assert part.product.producer.name in html
        assert part.product.get_absolute_url() in html
    assert "ocop-stars--4" in html
    # separate: 2×(100000+100001+100002) + 30000 = 630006 → saving 130006
    assert "630.006\xa0₫" in html and "130.006\xa0₫" in html
    assert "Còn 8 hộp" in html  # online: (14+3)//2 = 8
    assert "còn 7 hộp" in html  # the showcase alone: 14//2
    assert "Quà Tết mang hương núi rừng." in html


def test_combo_page_query_budget_does_not_grow_with_components(django_assert_max_num_queries):
    counts = {}
    for n in (2, 6):
        combo = _gift(n)
        client = Client()
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        # the first page of a process fills the shared fragments (the menu: shop.core.cache)
        assert client.get(combo.get_absolute_url()).status_code == 200
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(combo.get_absolute_url()).status_code == 200
        counts[n] = len(ctx.captured_queries)
        with django_assert_max_num_queries(COMBO_PAGE_QUERIES):
            client.get(combo.get_absolute_url())
        combo.delete()
    print(f"[queries] combo page: {counts}")
    assert counts[2] == counts[6], counts


def test_home_page_shows_combos_and_their_category(client):
    combo = _gift()
    html = client.get(reverse("home")).content.decode()
    assert 'id="gift-combos"' in html and combo.get_title() in html
    category = combos.combo_category()
    assert combo.get_title() in client.get(category.get_absolute_url()).content.decode()


def test_a_stopped_combo_says_why_and_cannot_be_added(client):
    combo = _gift()
    record = combo_record(combo)
    part = combos.parts_of(combo)[0]
    from catalogue.models import Product

    Product.objects.filter(pk=part.product.pk).update(ocop_stars=None)  # certificate ran out
    html = client.get(combo.get_absolute_url()).content.decode()
    assert "Combo tạm ngừng bán." in html and part.product.get_title() in html
    combos.withdraw_unsellable_combos()
    assert client.get(combo.get_absolute_url()).status_code == 404
    response = client.post(reverse("basket:add", kwargs={"pk": combo.pk}), {"quantity": 1})
    assert response.status_code in (302, 404)
    from oscar.core.loading import get_model

    assert not get_model("basket", "Line").objects.filter(stockrecord=record).exists()


def test_basket_treats_a_combo_as_one_line_limited_by_its_components(client):
    combo = _gift()
    url = reverse("basket:add", kwargs={"pk": combo.pk})
    client.post(url, {"quantity": 2})
    from oscar.core.loading import get_model

    Line = get_model("basket", "Line")
    line = Line.objects.get()
    assert (line.product_id, line.quantity) == (combo.pk, 2)
    client.post(url, {"quantity": 7})  # 9 > 8 available: refused by Oscar's own check
    assert Line.objects.get().quantity == 2


def test_demo_combos_are_idempotent_and_mix_producers():
    locs = three_locations()
    titles = [
        ("Cà phê rang xay Đăk Hà", "HTX Cà phê"), ("Mật ong rừng Đăk Mar", "THT Mật ong"),
        ("Sâm dây Ngọc Linh", "HTX Sâm"), ("Thổ cẩm Xơ Đăng", "HTX Dệt"),
        ("Rượu ghè Ngọk Réo", "Hộ Rượu ghè"), ("Trà sâm dây", "HTX Sâm 2"),
    ]
    for title, vendor in titles:
        certified_offer(title, vendor=make_vendor(vendor), stock={locs[0]: 20})
    assert load_demo_combos() == 4
    assert load_demo_combos() == 0
    from catalogue.models import Product

    demo = Product.objects.filter(product_class__slug=combos.COMBO_CLASS_SLUG)
    assert demo.count() == 4
    for combo in demo:
        parts = combos.parts_of(combo)
        assert combos.sellable(combo)
        producers = {p.stockrecord.partner_id for p in parts if not combos.is_packaging(p.product)}
        assert len(producers) >= 2
        summary = combos.combo_summary(combo)
        assert summary.saving > 0
        assert combo_record(combo).num_in_stock > 0
    box = Product.objects.get(product_class__slug=combos.PACKAGING_CLASS_SLUG)
    assert Stock.objects.filter(stockrecord__product=box).count() == 3
