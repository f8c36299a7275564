"""Cached product cards and navigation (shop.core.cache): what they show changes, they change."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from shop.core import cache as fragments
from showroom import inventory
from tests.factories import make_category, make_certificate
from tests.showroom.factories import make_offer, three_locations

pytestmark = pytest.mark.django_db

StockRecord = get_model("partner", "StockRecord")


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def offer():
    locations = three_locations()
    return make_offer("Cà phê Đăk Hà rang mộc", stock={locations[0]: 4}, price=Decimal("150000"))


def listing(client):
    response = client.get(reverse("catalogue:index"))
    assert response.status_code == 200
    return response.content.decode()


def card_of(html, title):
    """The card (``<article>``) of the product titled ``title`` in a listing page."""
    start = html.index(title)
    begin = html.rindex("<article", 0, start)
    return html[begin:html.index("</article>", start)]


def cached_parts(product):
    with translation.override("vi"):
        gen = fragments.generation()
        return {part: cache.get(fragments.card_key(product.pk, part, gen)) for part in ("head", "price")}


def test_a_card_is_cached_in_two_parts_without_the_basket_form(client, offer):
    html = listing(client)
    parts = cached_parts(offer.product)
    assert parts["head"] and "Cà phê Đăk Hà rang mộc" in parts["head"]
    assert parts["price"] and "150.000" in parts["price"]
    assert all("csrfmiddlewaretoken" not in part for part in parts.values())
    assert "csrfmiddlewaretoken" in card_of(html, "Cà phê Đăk Hà rang mộc")


def test_a_new_price_shows_on_the_next_render(client, offer):
    assert "150.000" in card_of(listing(client), "Cà phê Đăk Hà rang mộc")
    stockrecord = StockRecord.objects.get(pk=offer.pk)
    stockrecord.price = Decimal("185000")
    stockrecord.save()  # as the dashboard's stock record form does
    card = card_of(listing(client), "Cà phê Đăk Hà rang mộc")
    assert "185.000" in card and "150.000" not in card


def test_a_sold_out_offer_shows_as_unavailable_on_the_next_render(client, offer):
    locations = three_locations()
    first = card_of(listing(client), "Cà phê Đăk Hà rang mộc")
    assert "fa-check-circle" in first
    # the office counts the shelf empty: the one inventory rewrites Oscar's totals
    inventory.apply_count(locations[0], [(offer, 0)], reason="Kiểm kê cuối ngày")
    again = card_of(listing(client), "Cà phê Đăk Hà rang mộc")
    assert "fa-ban" in again and "fa-check-circle" not in again


def test_stock_arriving_shows_on_the_next_render(client):
    locations = three_locations()
    offer = make_offer("Mật ong rừng Ngọk Wang", stock={}, price=Decimal("220000"))
    assert "fa-ban" in card_of(listing(client), "Mật ong rừng Ngọk Wang")
    inventory.receive(locations[1], [(offer, 5)], reference="PN-1")
    assert "fa-check-circle" in card_of(listing(client), "Mật ong rừng Ngọk Wang")


def test_a_new_certificate_and_its_removal_show_on_the_next_render(client):
    locations = three_locations()
    offer = make_offer("Sâm dây Ngọc Linh", stock={locations[0]: 3}, stars=None)
    assert "ocop-stars" not in card_of(listing(client), "Sâm dây Ngọc Linh")
    certificate = make_certificate(offer.product, stars=5)
    assert "OCOP 5 sao" in card_of(listing(client), "Sâm dây Ngọc Linh")
    certificate.delete()
    assert "ocop-stars" not in card_of(listing(client), "Sâm dây Ngọc Linh")


def test_a_renamed_or_withdrawn_listing_shows_on_the_next_render(client, offer):
    listing(client)
    product = offer.product
    product.title = "Cà phê Robusta Đăk Hà"
    product.save()
    html = listing(client)
    assert "Cà phê Robusta Đăk Hà" in html and "Cà phê Đăk Hà rang mộc" not in html
    product.is_public = False
    product.save()
    assert "Cà phê Robusta Đăk Hà" not in listing(client)


def test_each_language_has_its_own_card(client, offer):
    listing(client)
    client.cookies["django_language"] = "en"
    html = client.get(reverse("catalogue:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    card = card_of(html, "Cà phê Đăk Hà rang mộc")
    assert "₫150,000" in card and "150.000 ₫" not in card


def test_a_renamed_group_shows_in_the_menu(client, offer):
    group = make_category("Đồ uống")
    assert "Đồ uống" in listing(client)
    group.name = "Trà và đồ uống"
    group.save()
    assert "Trà và đồ uống" in listing(client)


def test_a_cached_render_makes_fewer_queries(client, offer):
    make_category("Đồ uống")
    for n in range(3):
        make_offer(f"Sản phẩm thử {n}", stock={three_locations()[0]: 2})
    client.get(reverse("catalogue:index"))  # the session and basket of this client exist
    cache.clear()
    with CaptureQueriesContext(connection) as cold:
        cold_html = listing(client)
    with CaptureQueriesContext(connection) as warm:
        warm_html = listing(client)
    assert len(warm.captured_queries) < len(cold.captured_queries)
    assert card_of(warm_html, "Sản phẩm thử 2") == card_of(cold_html, "Sản phẩm thử 2").replace(
        _csrf_input(cold_html), _csrf_input(warm_html))


def _csrf_input(html):
    start = html.index('name="csrfmiddlewaretoken"')
    return html[html.rindex("<input", 0, start):html.index(">", start) + 1]


def test_a_new_generation_retires_every_card(client, offer):
    listing(client)
    assert cached_parts(offer.product)["head"]
    fragments.invalidate_all()
    assert cached_parts(offer.product) == {"head": None, "price": None}


@pytest.mark.django_db
def test_home_group_counts_are_cached_and_follow_the_catalogue(client):
    """The home page's per-group counts come from the cache until a product or its groups
    change; then the next page counts again."""
    from django.core.cache import cache

    from shop.core import cache as fragment_cache
    from tests.factories import make_category, make_product

    cache.clear()
    group = make_category("Đồ uống")
    make_product(title="Nước ép chanh dây", category=group)
    from shop.views import product_groups_with_counts

    first = {g.pk: g.num_products for g in product_groups_with_counts()}
    assert fragment_cache.cached_group_counts() == first
    assert product_groups_with_counts()[0].num_products == first[group.pk]
    product = make_product(title="Siro chanh dây", category=None)
    assert fragment_cache.cached_group_counts() is None  # a product saved: retired
    product_groups_with_counts()
    assert fragment_cache.cached_group_counts() is not None
    product.categories.add(group)
    assert fragment_cache.cached_group_counts() is None  # its groups changed: retired
    again = {g.pk: g.num_products for g in product_groups_with_counts()}
    assert (again[group.pk] or 0) == (first[group.pk] or 0) + 1
