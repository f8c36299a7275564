import pytest
from django.urls import reverse

from catalogue.search import normalize
from tests.factories import make_product, make_unit, make_vendor


def test_normalize_drops_vietnamese_marks():
    assert normalize("Sâm Ngọc Linh") == "sam ngoc linh"
    assert normalize("ĐĂK HÀ") == "dak ha"
    assert normalize("Đắk Hà") == normalize("Đăk Hà")
    assert normalize("Rượu ghè—men lá") == "ruou ghe men la"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["sam ngoc linh", "ngoc linh", "Sâm Ngọc Linh", "SAM NGOC", "  linh  sâm "],
)
def test_search_finds_accented_title_from_unaccented_query(client, query):
    wanted = make_product(title="Rượu Sâm Ngọc Linh")
    make_product(title="Cà phê Robusta Đăk Hà")
    response = client.get(reverse("search:search"), {"q": query})
    assert response.status_code == 200
    assert list(response.context["products"]) == [wanted]


@pytest.mark.django_db
def test_search_accepts_both_spellings_of_dak_and_producer_commune(client):
    commune = make_unit(name="Đăk Mar")
    vendor = make_vendor(name="HTX Nông nghiệp Đăk Mar", commune=commune)
    honey = make_product(title="Mật ong rừng", vendor=vendor)
    for query in ["Đắk Mar", "dak mar", "mat ong"]:
        response = client.get(reverse("search:search"), {"q": query})
        assert list(response.context["products"]) == [honey], query


@pytest.mark.django_db
def test_search_hides_private_products_and_empty_query(client):
    make_product(title="Sâm Ngọc Linh", is_public=False)
    assert list(client.get(reverse("search:search"), {"q": "ngoc linh"}).context["products"]) == []
    response = client.get(reverse("search:search"), {"q": "  "})
    assert response.status_code == 200
    assert list(response.context["products"]) == []
