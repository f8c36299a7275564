"""The storefront pages a shopper opens, in both languages, with bounded queries."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import make_category, make_product, make_vendor

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

# Fixed budgets: they must not grow with the number of products.
HOME_QUERIES = 20
CATEGORY_QUERIES = 20
PRODUCT_QUERIES = 25


def _get(client, url, language="vi", **params):
    client.cookies["django_language"] = language
    return client.get(url, params)


def _shop(n_products):
    group = make_category("Thực phẩm")
    coffee = make_category("Cà phê", parent=group)
    vendors = [make_vendor() for _ in range(3)]
    products = [
        make_product(
            title=f"Cà phê Robusta Đăk Hà {i}",
            vendor=vendors[i % 3],
            category=coffee,
            stars=3 + i % 3,
            price=Decimal("1250000"),
        )
        for i in range(n_products)
    ]
    return coffee, products


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_storefront_pages_answer_in_both_languages(client, language):
    category, products = _shop(3)
    product = products[0]
    pages = [
        reverse("home"),
        reverse("catalogue:index"),
        category.get_absolute_url(),
        product.get_absolute_url(),
        reverse("search:search") + "?q=ca+phe",
        reverse("basket:summary"),
    ]
    for url in pages:
        response = _get(client, url, language)
        assert response.status_code == 200, url
        assert f'lang="{language}' in response.content.decode(), url


@pytest.mark.django_db
def test_product_page_shows_price_as_people_in_vietnam_write_it(client):
    _category, products = _shop(1)
    vi = _get(client, products[0].get_absolute_url(), "vi").content.decode()
    en = _get(client, products[0].get_absolute_url(), "en").content.decode()
    assert "1.250.000\xa0₫" in vi
    assert "₫1,250,000" in en


@pytest.mark.django_db
def test_home_category_and_product_pages_have_a_fixed_query_budget(django_assert_max_num_queries):
    counts = {}
    for n in (10, 100):
        client = Client()  # no cookies (recently viewed) carried between rounds
        cache.clear()  # both rounds start cold (Oscar caches category URLs per language)
        Product.objects.all().delete()
        Category.objects.all().delete()
        category, products = _shop(n)
        urls = {
            "home": reverse("home"),
            "category": category.get_absolute_url(),
            "product": products[-1].get_absolute_url(),
        }
        counts[n] = {name: _count(client, url) for name, url in urls.items()}
        with django_assert_max_num_queries(HOME_QUERIES):
            client.get(urls["home"])
        with django_assert_max_num_queries(CATEGORY_QUERIES):
            client.get(urls["category"])
        with django_assert_max_num_queries(PRODUCT_QUERIES):
            client.get(urls["product"])
    # Ten times the products never costs a query more (the first round may also warm
    # process-level caches that cache.clear() does not reach, such as the Site cache).
    assert all(counts[100][page] <= counts[10][page] for page in counts[10]), counts


@pytest.mark.django_db
def test_category_page_filters_by_stars_and_sorts(client):
    category, products = _shop(6)
    response = client.get(category.get_absolute_url(), {"stars": "5", "sort_by": "title"})
    listed = list(response.context["products"])
    assert listed and all(p.ocop_stars == 5 for p in listed)
    assert [p.title for p in listed] == sorted(p.title for p in listed)
    # Nonsense parameters are ignored, not errors.
    assert client.get(category.get_absolute_url(), {"stars": "x", "sort_by": "drop"}).status_code == 200
    assert client.get(category.get_absolute_url(), {"page": "999"}).status_code == 302


@pytest.mark.django_db
def test_language_switcher_sets_english(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert client.get("/").content.decode().count('lang="en') == 1


@pytest.mark.django_db
def test_home_counts_products_of_a_group_and_its_sub_groups(client):
    coffee, products = _shop(4)
    response = client.get(reverse("home"))
    groups = {g.name: g.num_products for g in response.context["groups"]}
    assert groups == {"Thực phẩm": 4}


def test_slugs_of_vietnamese_names_are_readable():
    from oscar.core.utils import slugify

    assert slugify("Đồ uống") == "do-uong"
    assert slugify("Cà phê Đăk Hà") == "ca-phe-dak-ha"
