"""Every storefront page answers with the demo data, in Vietnamese and English."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from oscar.core.loading import get_model

from shop.demo import data

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.conf import settings

    settings.MEDIA_ROOT = str(tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock():
        call_command("load_demo", quiet=True)
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


def password(username):
    return next(row["password"] for row in data.USERS if row["username"] == username)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_every_storefront_page_with_demo_data(demo, client, language):
    client.cookies["django_language"] = language
    urls = [reverse("home"), reverse("catalogue:index"), reverse("basket:summary"),
            reverse("search:search") + "?q=sam+ngoc+linh"]
    urls += [c.get_absolute_url() for c in Category.objects.filter(is_public=True)]
    urls += [p.get_absolute_url() for p in Product.objects.filter(is_public=True)]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert f'lang="{language}' in response.content.decode(), url
    found = client.get(reverse("search:search"), {"q": "ngoc linh"}).context["products"]
    assert any("Sâm Ngọc Linh" in p.title for p in found)


@pytest.mark.django_db
def test_staff_and_producers_reach_their_pages(demo, client):
    assert client.login(username="office", password=password("office"))
    assert client.get(reverse("dashboard:index")).status_code == 200
    client.logout()
    assert client.login(username="producer_dakmar", password=password("producer_dakmar"))
    assert client.get("/producer/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "username, link",
    [("producer_dakmar", "/producer/"), ("cashier_dakmar", "/pos/"), ("office", "/office/changes/")],
)
def test_each_role_finds_its_workplace_in_the_header(demo, client, username, link):
    assert client.login(username=username, password=password(username))
    assert f'href="{link}"' in client.get(reverse("home")).content.decode()
