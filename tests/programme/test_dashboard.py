"""The programme pages: who reaches them, what a commune officer sees, query count, targets editor."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shop.programme.models import PlanPeriod, Target
from tests.showroom.factories import three_locations

from .factories import Known, make_office, make_officer, make_user, online_order, refund

pytestmark = pytest.mark.django_db
URL = "/office/programme/"


@pytest.fixture
def known(db):
    return Known(three_locations())


def page(client, user, url=URL, **params):
    if user is not None:
        client.force_login(user)
    return client.get(url, params)


def test_the_names_resolve():
    assert reverse("programme:dashboard") == URL
    assert reverse("programme:targets") == URL + "targets/"


@pytest.mark.parametrize("who, status", [
    ("anonymous", 302), ("customer", 403), ("staff_without_permission", 403),
    ("office", 200), ("superuser", 200), ("officer", 200),
])
def test_access_matrix(client, known, who, status):
    users = {
        "anonymous": None,
        "customer": make_user("khach"),
        "staff_without_permission": make_user("nhan-vien", is_staff=True),
        "office": make_office(),
        "superuser": make_user("quan-tri", is_staff=True, is_superuser=True),
        "officer": make_officer(known.a),
    }
    response = page(client, users[who])
    assert response.status_code == status
    if who == "anonymous":
        assert "/accounts/login/" in response["Location"] or "login" in response["Location"]
    targets = page(client, None, URL + "targets/")
    expected = {"office": 200, "superuser": 200, "officer": 403}.get(who, status)
    assert targets.status_code == expected


def test_the_office_sees_every_target_and_the_district_sales(client, known):
    response = page(client, make_office())
    html = response.content.decode()
    for measure in Target.Measure.values:
        assert f'data-measure="{measure}"' in html
    assert response.context["data"]["sales"]["total"] == 700000
    assert "700.000" in html
    assert "Khăn thổ cẩm" in html  # expiring within 90 days
    assert "<script" not in html.split('id="programme-period"')[1].split("</form>")[0]


def test_a_commune_officer_reads_only_its_commune(client, known):
    officer = make_officer(known.a)
    response = page(client, officer)
    data = response.context["data"]
    assert data["commune"] == {"id": known.a.pk, "name": "Đăk Mar"}
    assert data["sales"]["total"] == 450000
    html = response.content.decode()
    assert "Ngọk Wang" not in html and "Mật ong rừng" not in html
    # asking for the other commune changes nothing
    other = page(client, officer, commune=known.b.pk)
    assert other.context["data"]["commune"]["id"] == known.a.pk
    assert other.context["data"]["sales"]["total"] == 450000


def test_the_office_may_limit_the_page_to_a_commune(client, known):
    response = page(client, make_office(), commune=known.b.pk)
    assert response.context["data"]["sales"]["total"] == 250000


def test_period_presets_and_bad_dates(client, known):
    office = make_office()
    response = page(client, office, preset="month")
    assert response.context["start"] == known.today.replace(day=1)
    response = page(client, office, start="2026-05-10", end="2026-05-01")
    assert response.status_code == 400
    assert response.context["start"] == known.start


def test_the_query_count_does_not_grow_with_orders(client, known, django_assert_max_num_queries):
    office = make_office()
    client.force_login(office)
    client.get(URL)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for _i in range(15):
        order = online_order([(known.p1, 1), (known.p4, 1)])
        refund(order, 1000)
        sale = known.till.sell([(known.p2, 1), (known.p5, 1)])
        known.till.take_back(sale, known.p5, 1)
    with django_assert_max_num_queries(len(few)):
        response = client.get(URL)
    assert response.context["data"]["sales"]["total"] == 700000 + 15 * (
        150000 + 200000 - 1000 + 300000
    )


def test_the_office_edits_targets_and_adds_the_next_plan(client, known):
    office = make_office()
    client.force_login(office)
    plan = PlanPeriod.objects.get(start_year=2021)
    url = reverse("programme:targets", kwargs={"pk": plan.pk})
    response = client.get(url)
    assert response.status_code == 200
    formset = response.context["formset"]
    data = {"action": "save"}
    for key, value in response.context["plan_form"].initial.items():
        data[f"plan-{key}"] = value
    data.update({
        "targets-TOTAL_FORMS": str(len(formset.forms)),
        "targets-INITIAL_FORMS": str(formset.initial_form_count()),
        "targets-MIN_NUM_FORMS": "0", "targets-MAX_NUM_FORMS": "1000",
    })
    for i, form in enumerate(formset.forms):
        for name in ("id", "plan", "measure", "unit", "minimum", "maximum", "position"):
            value = form[name].value()
            data[f"targets-{i}-{name}"] = "" if value is None else value
    first = next(i for i, f in enumerate(formset.forms) if f.instance.measure == "products_3_stars")
    data[f"targets-{first}-minimum"] = "25"
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["formset"].errors
    assert plan.targets.get(measure="products_3_stars").minimum == 25
    # a range the wrong way round is refused
    data[f"targets-{first}-maximum"] = "10"
    assert client.post(url, data).status_code == 400
    # the next plan, without code, its targets copied for editing
    response = client.post(url, {
        "action": "new", "new-name": "Kế hoạch OCOP giai đoạn 2026-2030",
        "new-start_year": "2026", "new-end_year": "2030", "new-decision": "",
        "copy_targets": "1",
    })
    assert response.status_code == 302
    new = PlanPeriod.objects.get(start_year=2026)
    assert new.targets.count() == 10
    assert re.search(rf"/targets/{new.pk}/$", response["Location"])
    # years the wrong way round are refused
    response = client.post(url, {
        "action": "new", "new-name": "Sai", "new-start_year": "2030", "new-end_year": "2026",
    })
    assert response.status_code == 400
    assert not PlanPeriod.objects.filter(name="Sai").exists()


def test_the_office_sees_overdue_reports_on_the_dashboard_and_an_officer_does_not(client, known):
    from shop.programme import reports
    from shop.programme.models import Report

    office = make_office()
    today = reports.today_vietnam()
    late = reports.overdue(today)
    assert late, "with nothing submitted, last month's report is overdue"
    html = page(client, office).content.decode()
    assert 'id="programme-overdue"' in html
    assert reports.period_label(late[0].kind, late[0].period_start) in html
    # submit every overdue report: the warning goes away
    for item in late:
        report = reports.create_draft(item.kind, item.period_start, office)
        reports.submit(report, office, today=today)
    assert Report.objects.filter(status="submitted").count() == len(late)
    client.logout()
    assert 'id="programme-overdue"' not in page(client, office).content.decode()
    client.logout()
    assert 'id="programme-overdue"' not in page(client, make_officer(known.a)).content.decode()
