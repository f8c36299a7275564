"""The storefront's catalogue pages at scale: the product page within Oscar's own query
budget, listings with one row per product (no DISTINCT), and every page's query count
independent of the catalogue's size (catalogue.views, catalogue.browsing, shop.search)."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import (
    StockRecord,
    make_category,
    make_certificate,
    make_product,
    make_unit,
    make_vendor,
)

Product = get_model("catalogue", "Product")

# django-oscar 4.2's own product page makes 19 queries.
OSCAR_PRODUCT_PAGE_QUERIES = 19

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return response, [q["sql"] for q in ctx.captured_queries]


def _certified_product(category=None, **kwargs):
    product = make_product(category=category, **kwargs)
    make_certificate(product, stars=4)
    product.refresh_from_db()
    return product


def test_product_page_makes_no_more_queries_than_oscars(client, django_assert_max_num_queries):
    commune = make_unit("Đăk Mar")
    vendor = make_vendor("HTX Cà phê Đăk Mar", commune=commune, story="Hợp tác xã bên sông Đăk Psi.")
    product = _certified_product(
        category=make_category("Cà phê"), vendor=vendor, title="Cà phê Robusta Đăk Mar"
    )
    from django.core.files.base import ContentFile

    from tests.factories import ProductImage, jpeg_bytes

    extra = ProductImage(product=product, display_order=1)
    extra.original.save("second.jpg", ContentFile(jpeg_bytes(color=(200, 10, 10))), save=True)
    client.get(product.get_absolute_url())  # warm the process caches (site, category menu)

    with django_assert_max_num_queries(OSCAR_PRODUCT_PAGE_QUERIES):
        response = client.get(product.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    # What the one-by-one fetches used to bring is still shown.
    assert "HTX Cà phê Đăk Mar" in html and "Đăk Mar" in html
    assert "Hợp tác xã bên sông Đăk Psi." in html
    assert product.ocop_certificates.get().decision_number in html
    assert "150.000" in html


def test_gift_combo_page_makes_no_more_queries_than_oscars(client, django_assert_max_num_queries):
    from tests.combos.factories import certified_offer, make_combo, packaging_offer
    from tests.showroom.factories import three_locations

    locations = three_locations()
    parts = [
        (certified_offer(f"Đặc sản {i}", vendor=make_vendor(f"HTX số {i}"),
                         stock={locations[0]: 10, locations[1]: 4}), 2)
        for i in range(3)
    ]
    parts.append((packaging_offer(stock={locations[0]: 20}), 1))
    combo = make_combo(parts, price=Decimal("500000"))
    client.get(combo.get_absolute_url())

    with django_assert_max_num_queries(OSCAR_PRODUCT_PAGE_QUERIES):
        response = client.get(combo.get_absolute_url())
    html = response.content.decode()
    assert "Đặc sản 0" in html and "HTX số 2" in html
    assert "Còn 7 hộp" in html  # (10 + 4) // 2


def _catalogue(n, group, coffee, tea, vendors):
    """``n`` more products, spread over two sub-groups, three producers, 3–5 stars."""
    for i in range(n):
        make_product(
            title=f"Cà phê Robusta Đăk Hà {Product.objects.count()}",
            vendor=vendors[i % len(vendors)],
            category=coffee if i % 2 else tea,
            stars=3 + i % 3,
            price=Decimal(100000 + 1000 * i),
            with_image=i % 4 != 3,
        )
        if i % 3 == 0:
            make_certificate(Product.objects.latest("pk"), stars=3 + i % 3)


def _count_pages(urls):
    cache.clear()
    client = Client()
    counts = {}
    for name, url in urls().items():
        _response, sql = _queries(client, url)
        counts[name] = len(sql)
    return counts


def test_query_counts_do_not_depend_on_the_catalogue_size():
    group = make_category("Thực phẩm")
    coffee = make_category("Cà phê", parent=group)
    tea = make_category("Trà", parent=group)
    vendors = [make_vendor() for _ in range(3)]
    _catalogue(5, group, coffee, tea, vendors)

    first = Product.objects.earliest("pk")  # the same product in both rounds

    def urls():
        return {
            "home": reverse("home"),
            "browse": reverse("catalogue:index"),
            "browse by price": reverse("catalogue:index") + "?sort_by=price_asc",
            "category": group.get_absolute_url(),
            "category, 4 stars": group.get_absolute_url() + "?stars=4&sort_by=stars",
            "search": reverse("search:search") + "?q=ca+phe+robusta",
            "product": first.get_absolute_url(),
        }

    _count_pages(urls)  # warm what outlives cache.clear() (the Site cache, compiled templates)
    small = _count_pages(urls)
    _catalogue(55, group, coffee, tea, vendors)
    assert Product.objects.count() == 60
    big = _count_pages(urls)
    print(f"[queries] 5 products: {small}; 60 products: {big}")
    assert big == small


def _titles(response):
    return [p.title for p in response.context["products"]]


def test_listings_have_one_row_per_product_without_distinct(client):
    group = make_category("Thực phẩm")
    coffee = make_category("Cà phê", parent=group)
    gifts = make_category("Quà tặng", parent=group)
    vendor = make_vendor()
    cheap = make_product(title="Cà phê rẻ", vendor=vendor, category=coffee, price=Decimal("50000"))
    dear = make_product(title="Cà phê đắt", vendor=vendor, category=coffee, price=Decimal("90000"))
    # In two sub-groups of the group, and sold by a second producer too: one row still.
    dear.categories.add(gifts)
    other = make_vendor()
    StockRecord.objects.create(
        product=dear, partner=other.partner, partner_sku="SECOND", price=Decimal("10000"),
        price_currency="VND", num_in_stock=3,
    )

    for url in (reverse("catalogue:index"), group.get_absolute_url(),
                reverse("search:search") + "?q=ca+phe"):
        for sort in ("newest", "title", "price_asc", "price_desc", "stars"):
            response, sql = _queries(client, f"{url}?sort_by={sort}" if "?" not in url
                                     else f"{url}&sort_by={sort}")
            assert sorted(_titles(response)) == ["Cà phê rẻ", "Cà phê đắt"], (url, sort)
            assert response.context["paginator"].count == 2
            assert not [q for q in sql if "DISTINCT" in q.upper()], (url, sort)

    # The price sort reads the first stock record (by pk), as Oscar's UseFirstStockRecord sells.
    response = client.get(group.get_absolute_url(), {"sort_by": "price_asc"})
    assert _titles(response) == [cheap.title, dear.title]
    response = client.get(group.get_absolute_url(), {"sort_by": "price_desc"})
    assert _titles(response) == [dear.title, cheap.title]


def test_products_without_a_price_come_last_in_both_price_orders(client):
    vendor = make_vendor()
    priced = make_product(title="Mật ong", vendor=vendor, price=Decimal("120000"))
    unpriced = make_product(title="Mứt", vendor=vendor)
    unpriced.stockrecords.all().delete()
    for sort in ("price_asc", "price_desc"):
        response = client.get(reverse("catalogue:index"), {"sort_by": sort})
        assert _titles(response) == [priced.title, unpriced.title], sort


def test_commune_filter_lists_only_communes_that_have_products(client):
    here = make_unit("Đăk Mar")
    make_unit("Ngọc Wang")  # no product comes from it
    make_product(title="Sâm dây", vendor=make_vendor(commune=here))
    communes = list(client.get(reverse("catalogue:index")).context["communes"])
    assert communes == [here]
    response = client.get(reverse("catalogue:index"), {"commune": here.code})
    assert _titles(response) == ["Sâm dây"]


def test_search_text_has_a_trigram_index_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("the trigram index exists on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = 'catalogue_product' "
            "AND indexname = 'catalogue_product_search_trgm'"
        )
        (definition,) = cursor.fetchone()
    assert "gin" in definition and "gin_trgm_ops" in definition and "search_text" in definition


def test_a_listing_counts_only_as_far_as_its_bound(client, settings):
    settings.OCOP_LISTING_COUNT_BOUND = 5  # a page of 24 counts up to 25 products
    vendor = make_vendor()
    for i in range(30):
        kind = "Mật ong hoa cà phê" if i % 3 == 0 else "Mật ong rừng"
        make_product(title=f"{kind} {i:02d}", vendor=vendor, with_image=False)

    response, sql = _queries(client, reverse("catalogue:index"))
    paginator = response.context["paginator"]
    assert (paginator.count, paginator.count_is_exact) == (25, False)
    counts = [q for q in sql if "COUNT(" in q.upper()]
    assert len(counts) == 1 and "LIMIT 26" in counts[0]
    assert "hơn <strong>25</strong> sản phẩm" in response.content.decode()
    assert len(response.context["products"]) == 24

    # The next page counts further: everything is reachable, and then counted exactly.
    response = client.get(reverse("catalogue:index"), {"page": "2"})
    paginator = response.context["paginator"]
    assert (paginator.count, paginator.count_is_exact) == (30, True)
    assert len(response.context["products"]) == 6
    assert "<strong>30</strong> sản phẩm" in response.content.decode()

    # A search below the bound is counted exactly.
    response = client.get(reverse("search:search"), {"q": "hoa ca phe"})
    assert response.context["paginator"].count == 10
    assert "hơn" not in response.content.decode().split("ocop-toolbar__count")[1][:200]
