"""Producers' programme facts: the producer edits its own, the office confirms (shop.programme.facts)."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import include, path, reverse
from django.utils import timezone

import shop.urls
from shop.core.roles import CASHIER, COMMUNE_OFFICER, DISTRICT_OFFICE, ensure_role_groups
from shop.programme import facts
from shop.programme.models import ProducerFacts
from tests.factories import make_vendor
from vendors.access import grant_producer_access

pytestmark = pytest.mark.django_db
User = get_user_model()

# The producer's page is mounted by shop/urls.py at producer/programme/; until it is, the
# tests mount it the same way in front of the project's URLs.
_mounted = any(getattr(p, "namespace", None) == "programme-producer" for p in shop.urls.urlpatterns)
urlpatterns = list(shop.urls.urlpatterns) if _mounted else [
    path("producer/programme/", include("shop.programme.producer_urls")),
    *shop.urls.urlpatterns,
]
handler404 = shop.urls.handler404
handler403 = shop.urls.handler403

VALID = {
    "closed_value_chain": "on", "raw_material_area_code": "  KT-DM-01   vùng  3 ",
    "workers": "24", "trained_workers": "9", "modern_channels": " Shopee,\n  Co.opmart Kon Tum ",
}


@pytest.fixture(autouse=True)
def _urls(settings):
    settings.ROOT_URLCONF = "tests.programme.test_facts"


def user(username, group=None, **kwargs):
    made = User.objects.create_user(username, f"{username}@example.vn", "mat-khau-dai-123", **kwargs)
    if group:
        made.groups.add(ensure_role_groups()[group])
    return made


@pytest.fixture
def world(db):
    ensure_role_groups()
    a, b = make_vendor("HTX Nông nghiệp Đăk Mar"), make_vendor("HTX Dịch vụ Ngọk Wang")
    producer_a, producer_b = user("chu-the-a"), user("chu-the-b")
    grant_producer_access(producer_a, a)
    grant_producer_access(producer_b, b)
    facts_b = ProducerFacts.objects.create(
        vendor=b, workers=10, trained_workers=4, raw_material_area_code="NW-7",
        confirmed_at=timezone.now() - datetime.timedelta(days=3),
    )
    return {
        "a": a, "b": b, "producer_a": producer_a, "producer_b": producer_b, "facts_b": facts_b,
        "office": user("phong", DISTRICT_OFFICE, is_staff=True),
    }


MY = "/producer/programme/"


def office_url(vendor):
    return reverse("programme:producer-facts", kwargs={"pk": vendor.pk})


# --- The producer --------------------------------------------------------------------------


def test_the_producer_page_is_mounted_under_the_producer_corner():
    assert reverse("programme-producer:my-facts") == MY
    assert reverse("programme:producers") == "/office/programme/producers/"


def test_a_producer_edits_its_own_facts_trimmed(client, world):
    client.force_login(world["producer_a"])
    page = client.get(MY)
    assert page.status_code == 200
    html = page.content.decode()
    assert "HTX Nông nghiệp Đăk Mar" in html and "chưa khai" in html
    assert 'class="producer-nav"' in html  # the producer corner's own layout

    response = client.post(MY, VALID)
    assert response.status_code == 302 and response["Location"] == MY
    saved = ProducerFacts.objects.get(vendor=world["a"])
    assert saved.closed_value_chain and (saved.workers, saved.trained_workers) == (24, 9)
    assert saved.raw_material_area_code == "KT-DM-01 vùng 3"
    assert saved.modern_channels == "Shopee, Co.opmart Kon Tum"
    assert saved.confirmed_at is None
    world["facts_b"].refresh_from_db()
    assert world["facts_b"].workers == 10  # the other producer's row is untouched
    assert "chưa xác nhận" in client.get(MY).content.decode()


def test_more_trained_than_workers_is_refused_in_vietnamese(client, world):
    client.force_login(world["producer_a"])
    response = client.post(MY, {**VALID, "workers": "5", "trained_workers": "6"})
    assert response.status_code == 400
    assert "không được lớn hơn tổng số lao động" in response.content.decode()
    assert not ProducerFacts.objects.filter(vendor=world["a"]).exists()
    assert client.post(MY, {**VALID, "workers": "-1"}).status_code == 400


def test_an_edit_clears_the_confirmation_and_the_same_figures_keep_it(client, world):
    client.force_login(world["producer_b"])
    same = {"raw_material_area_code": "NW-7", "workers": "10", "trained_workers": "4",
            "modern_channels": ""}
    confirmed = world["facts_b"].confirmed_at
    assert client.post(MY, same).status_code == 302
    world["facts_b"].refresh_from_db()
    assert world["facts_b"].confirmed_at == confirmed  # nothing changed: still confirmed

    assert client.post(MY, {**same, "trained_workers": "5"}).status_code == 302
    world["facts_b"].refresh_from_db()
    assert world["facts_b"].trained_workers == 5
    assert world["facts_b"].confirmed_at is None and world["facts_b"].confirmed_by is None


def test_a_producer_cannot_see_or_edit_another_producers_facts(client, world):
    client.force_login(world["producer_a"])
    for method in (client.get, client.post):
        response = method(office_url(world["b"]), {**VALID, "action": "save"})
        assert response.status_code == 404
        response = method(office_url(world["b"]), {"action": "confirm"})
        assert response.status_code == 404
    # its own id on the office page sends it to its own page
    assert client.get(office_url(world["a"]))["Location"] == MY
    assert client.get(reverse("programme:producers")).status_code == 403
    world["facts_b"].refresh_from_db()
    assert (world["facts_b"].workers, world["facts_b"].confirmed_at is not None) == (10, True)
    # what its own page shows is its own producer only
    html = client.get(MY).content.decode()
    assert "NW-7" not in html and "HTX Dịch vụ Ngọk Wang" not in html


# --- The office ----------------------------------------------------------------------------


def test_the_office_lists_every_producer_marking_the_unconfirmed(
    client, world, django_assert_max_num_queries
):
    ProducerFacts.objects.create(vendor=world["a"], workers=30, trained_workers=12)
    for n in range(5):
        ProducerFacts.objects.create(vendor=make_vendor(), workers=n, trained_workers=0)
    client.force_login(world["office"])
    client.get(reverse("programme:producers"))  # warm the session and the permission cache
    with django_assert_max_num_queries(18):  # the layout's own (session, menu, basket…) + 2
        response = client.get(reverse("programme:producers"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "HTX Nông nghiệp Đăk Mar" in html and "HTX Dịch vụ Ngọk Wang" in html
    confirmed_day = timezone.localtime(world["facts_b"].confirmed_at).strftime("%d/%m/%Y")
    assert f"Phòng đã xác nhận ngày {confirmed_day}" in html
    assert html.count("chưa xác nhận") >= 6  # a, the five others (and the count above)
    assert response.context["summary"] == {
        "producers": 7, "confirmed": 1, "unconfirmed": 6,
        "workers": 10 + 30 + sum(range(5)), "trained_workers": 4 + 12,
    }
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("programme:producers"))
    for n in range(10):
        ProducerFacts.objects.create(vendor=make_vendor(), workers=n, confirmed_at=timezone.now(),
                                     confirmed_by=world["office"])
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("programme:producers"))
    assert len(after) == len(before)  # no query per producer


def test_the_office_confirms(client, world):
    row = ProducerFacts.objects.create(vendor=world["a"], workers=30, trained_workers=12)
    client.force_login(world["office"])
    response = client.post(office_url(world["a"]), {"action": "confirm", "next": "list"})
    assert response.status_code == 302 and response["Location"] == reverse("programme:producers")
    row.refresh_from_db()
    assert row.confirmed_by == world["office"]
    assert timezone.now() - row.confirmed_at < datetime.timedelta(minutes=1)
    assert (row.workers, row.trained_workers) == (30, 12)  # confirming changes no figure


def test_the_office_edits_and_so_confirms(client, world):
    client.force_login(world["office"])
    assert client.get(office_url(world["b"])).status_code == 200
    bad = client.post(office_url(world["b"]), {**VALID, "action": "save", "trained_workers": "99"})
    assert bad.status_code == 400
    response = client.post(office_url(world["b"]), {**VALID, "action": "save"})
    assert response.status_code == 302
    row = ProducerFacts.objects.get(vendor=world["b"])
    assert (row.workers, row.trained_workers, row.raw_material_area_code) == (24, 9, "KT-DM-01 vùng 3")
    assert row.confirmed_by == world["office"] and row.confirmed_at is not None
    assert client.get(reverse("programme:producer-facts", kwargs={"pk": 999999})).status_code == 404


def test_access_matrix(client, world):
    """Who reaches which page: GET status per kind of user."""
    cashier = user("thu-ngan", CASHIER)
    commune = user("can-bo-xa", COMMUNE_OFFICER)
    staff_without_perm = user("nhan-vien", is_staff=True)
    perm_without_staff = user("khong-phai-nhan-vien")
    perm_without_staff.user_permissions.add(Permission.objects.get(codename="manage_programme"))
    superuser = User.objects.create_superuser("quan-tri", "qt@example.vn", "mat-khau-dai-123")
    pages = [MY, reverse("programme:producers"), office_url(world["b"])]
    expected = {
        "anonymous": [302, 302, 302],
        "producer": [200, 403, 404],
        "office": [403, 200, 200],
        "superuser": [403, 200, 200],
        "cashier": [403, 403, 403],
        "commune officer": [403, 403, 403],
        "staff without the permission": [403, 403, 403],
        "permission without staff": [403, 403, 403],
    }
    people = {
        "anonymous": None, "producer": world["producer_a"], "office": world["office"],
        "superuser": superuser, "cashier": cashier, "commune officer": commune,
        "staff without the permission": staff_without_perm,
        "permission without staff": perm_without_staff,
    }
    found = {}
    for name, person in people.items():
        client.logout()
        if person is not None:
            client.force_login(person)
        found[name] = [client.get(url).status_code for url in pages]
    assert found == expected
    client.logout()
    assert "/login/" in client.get(MY)["Location"]


def test_rules_without_pages(world):
    office = world["office"]
    assert facts.is_office(office) and not facts.is_office(world["producer_a"])
    office.is_active = False
    assert not facts.is_office(office)
    unsaved = facts.facts_of(world["a"])
    assert unsaved.pk is None and unsaved.workers == 0
    row = facts.confirm(world["a"], world["office"])
    assert row.pk and row.confirmed_by == world["office"]
    assert facts.tidy("  a \n\t b  ") == "a b"
