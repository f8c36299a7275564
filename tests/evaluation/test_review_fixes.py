"""The reviewer's findings, each a rule now: a group without a list of mandatory documents
refuses submission (``documents_unconfigured``); opening scoring opens what it can and names
the rest; a new product is sent to the producer corner first; the council's result waits for
the decision for producers and commune officers (page, lists, API); odd digits are no 500."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from shop.evaluation import documents, workflow
from shop.evaluation.errors import EvaluationError
from shop.evaluation.models import (
    Application,
    ApplicationEvent,
    DocumentKind,
    RequiredDocument,
    State,
)
from tests.evaluation.factories import score, world
from tests.factories import make_category, make_product

pytestmark = pytest.mark.django_db

UNCONFIGURED = "chưa có danh mục giấy tờ bắt buộc; hãy báo Phòng Nông nghiệp."
ODD = ["²", "١", "-1", "abc", "", "99999999999999999999"]


@pytest.fixture
def w():
    return world()


def url(name, *args):
    return reverse(f"evaluation:{name}", args=args)


def login(client, user):
    client.force_login(user)
    return client


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def text(response):
    return response.content.decode()


def bare_group_application(w, name="Thủ công mỹ nghệ", state=State.DRAFT, optional_kind=False):
    """A draft of the producer's product in a group that has no mandatory document list."""
    group = make_category(name)
    if optional_kind:
        kind = DocumentKind.objects.create(code=f"tuy-chon-{group.pk}", name="Câu chuyện")
        RequiredDocument.objects.create(group=group, kind=kind, mandatory=False)
    product = make_product(vendor=w.vendor, category=group, stars=None, with_image=False)
    return Application.objects.create(round=w.round, vendor=w.vendor, group=group, state=state,
                                      product=product, created_by=w.producer)


# --- 1. No document list: no submission ------------------------------------------------------


@pytest.mark.parametrize("optional_kind", [False, True])
def test_a_group_without_mandatory_documents_refuses_submission_and_writes_nothing(w, optional_kind):
    application = bare_group_application(w, optional_kind=optional_kind)
    with pytest.raises(EvaluationError) as refused:
        workflow.transition(application, State.SUBMITTED, actor=w.producer)
    assert refused.value.code == "documents_unconfigured"
    assert refused.value.status == 409
    assert refused.value.message == (
        "Nhóm sản phẩm “Thủ công mỹ nghệ” " + UNCONFIGURED)
    application.refresh_from_db()
    assert application.state == State.DRAFT and application.submitted_at is None
    assert not ApplicationEvent.objects.filter(application=application).exists()


def test_a_returned_application_of_such_a_group_cannot_be_resubmitted(w):
    application = bare_group_application(w, state=State.RETURNED)
    with pytest.raises(EvaluationError) as refused:
        workflow.transition(application, State.SUBMITTED, actor=w.producer)
    assert refused.value.code == "documents_unconfigured"


def test_a_configured_group_still_submits(w):
    application = w.application()
    workflow.transition(application, State.SUBMITTED, actor=w.producer)
    assert application.state == State.SUBMITTED
    assert documents.is_configured(w.group)


def test_the_application_page_says_so_offers_no_upload_nor_submit_and_a_post_answers_409(
        client, w):
    application = bare_group_application(w)
    login(client, w.producer)
    page = client.get(url("application", application.pk))
    assert page.status_code == 200
    assert 'id="documents-unconfigured"' in text(page) and UNCONFIGURED in text(page)
    assert 'id="document-form"' not in text(page)
    assert url("move", application.pk, State.SUBMITTED) not in text(page)  # no dead button
    assert url("move", application.pk, State.WITHDRAWN) in text(page)
    answer = client.post(url("move", application.pk, State.SUBMITTED))
    assert answer.status_code == 409 and UNCONFIGURED in text(answer)
    application.refresh_from_db()
    assert application.state == State.DRAFT


def test_a_configured_group_shows_no_such_warning(client, w):
    application = w.application()
    page = login(client, w.producer).get(url("application", application.pk))
    assert 'id="documents-unconfigured"' not in text(page)
    assert 'id="document-form"' in text(page)


def test_the_api_refuses_with_the_code(w):
    application = bare_group_application(w)
    answer = api(w.producer).post(f"/api/evaluation/applications/{application.pk}/transitions/",
                                  {"to_state": "submitted"}, format="json")
    assert answer.status_code == 409
    assert answer.json()["code"] == "documents_unconfigured"
    assert UNCONFIGURED in answer.json()["detail"]


def test_the_offices_round_page_names_the_group_to_fix(client, w):
    bare_group_application(w, name="Dược liệu")
    page = login(client, w.office).get(url("round", w.round.pk))
    assert page.status_code == 200
    assert 'id="documents-unconfigured"' in text(page)
    assert "Nhóm sản phẩm “Dược liệu” " + UNCONFIGURED in text(page)
    assert reverse("admin:evaluation_requireddocument_changelist") in text(page)
    # the food group has its list: not named
    assert f"“{w.group.name}” " + UNCONFIGURED not in text(page)


# --- 2. Opening scoring: what can be opened is, the rest are named ---------------------------


def two_forwarded(w):
    with_sheet = w.application(state=State.FORWARDED)
    without = bare_group_application(w, name="Đồ uống", state=State.FORWARDED)
    return with_sheet, without


def test_opening_scoring_opens_what_it_can_and_names_the_rest_with_their_reasons(client, w):
    with_sheet, without = two_forwarded(w)
    login(client, w.office)
    answer = client.post(url("round-open-scoring", w.round.pk))
    assert answer.status_code == 302
    with_sheet.refresh_from_db()
    without.refresh_from_db()
    assert with_sheet.state == State.SCORING
    assert without.state == State.FORWARDED
    assert not ApplicationEvent.objects.filter(application=without).exists()
    page = text(client.get(answer.url))
    assert "Đã mở chấm điểm 1 hồ sơ." in page
    assert "Chưa mở chấm điểm được 1 hồ sơ:" in page
    assert f"{without.product_name} — Nhóm sản phẩm “Đồ uống” chưa có phiếu chấm điểm." in page
    assert with_sheet.product_name not in page.split("Chưa mở chấm điểm được")[1].split("<")[0]


def test_when_none_can_be_opened_it_is_a_refusal_that_writes_nothing(client, w):
    without = bare_group_application(w, name="Đồ uống", state=State.FORWARDED)
    answer = login(client, w.office).post(url("round-open-scoring", w.round.pk))
    assert answer.status_code == 409
    assert "Chưa mở chấm điểm được 1 hồ sơ:" in text(answer)
    assert "chưa có phiếu chấm điểm" in text(answer)
    without.refresh_from_db()
    assert without.state == State.FORWARDED


# --- 3. A new product: create it in the producer corner first --------------------------------


def test_the_registration_form_says_a_new_product_is_created_first_and_links_it(client, w):
    page = login(client, w.producer).get(url("apply"))
    assert page.status_code == 200
    assert 'id="new-product-help"' in text(page)
    assert "hãy tạo sản phẩm trước trong Góc chủ thể" in text(page)
    assert f'href="{reverse("vendors:product-create")}"' in text(page)


def test_a_draft_without_product_says_so_links_the_corner_and_the_edit_page(client, w):
    application = w.application(product=None, proposed_name="Rượu cần Đăk Hà")
    login(client, w.producer)
    page = client.get(url("application", application.pk))
    assert 'id="new-product"' in text(page)
    assert "Sản phẩm mới phải được tạo trước trong Góc chủ thể" in text(page)
    assert f'href="{reverse("vendors:product-create")}"' in text(page)
    assert f'href="{url("application-edit", application.pk)}"' in text(page)
    # the listing created afterwards is picked on the edit page, then the dossier goes in
    product = make_product(vendor=w.vendor, category=w.group, stars=None, with_image=False,
                           title="Rượu cần Đăk Hà")
    answer = client.post(url("application-edit", application.pk), {
        "product": product.pk, "proposed_name": "", "group": w.group.pk, "description": ""})
    assert answer.status_code == 302
    application.refresh_from_db()
    assert application.product == product
    assert 'id="new-product"' not in text(client.get(url("application", application.pk)))
    assert client.post(url("move", application.pk, State.SUBMITTED)).status_code == 302
    application.refresh_from_db()
    assert application.state == State.SUBMITTED


def test_others_do_not_get_the_producers_hint(client, w):
    application = w.application(product=None, proposed_name="Rượu cần", state=State.SUBMITTED)
    page = login(client, w.officer).get(url("application", application.pk))
    assert 'id="new-product"' not in text(page)


# --- 4. The council's result waits for the decision ------------------------------------------


def scored(w):
    """Closed by the chair: 80 and 60 points, parts B and C flagged (spread > 3)."""
    application = w.application(state=State.SCORING)
    score(application, w.chair, 80)
    score(application, w.member, 60)
    workflow.transition(application, State.SCORED, actor=w.chair.user)
    assert application.result["flagged"]
    return application


def decide(application):
    Application.objects.filter(pk=application.pk).update(state=State.RATED)
    application.refresh_from_db()
    return application


def test_producer_and_commune_do_not_see_the_result_before_the_decision(client, w):
    application = scored(w)
    for user in (w.producer, w.officer):
        page = login(client, user).get(url("application", application.pk))
        assert page.status_code == 200
        assert 'id="result"' not in text(page)
        assert 'id="result-flagged"' not in text(page)
        assert 'id="result-mean"' not in text(page)
    for user, page in ((w.producer, "my-applications"), (w.officer, "commune")):
        assert score_cell(login(client, user).get(url(page)), application) == "—"
    cell = score_cell(login(client, w.office).get(url("office-applications")), application)
    assert "70" in cell and "★" in cell


def score_cell(page, application):
    """The "Điểm" cell of ``application``'s row in a list page."""
    html = text(page)
    row = html.index(f'data-application="{application.pk}"')
    start = html.index('<td class="text-right">', row) + len('<td class="text-right">')
    return html[start:html.index("</td>", start)].strip()


def test_office_and_council_see_the_whole_result_once_scored(client, w):
    application = scored(w)
    for user in (w.office, w.chair.user, w.member.user):
        page = login(client, user).get(url("application", application.pk))
        assert 'id="result"' in text(page)
        assert 'id="result-flagged"' in text(page)


def test_once_decided_the_producer_sees_mean_and_stars_but_never_the_members_points(client, w):
    application = decide(scored(w))
    for user in (w.producer, w.officer):
        page = login(client, user).get(url("application", application.pk))
        assert 'id="result"' in text(page) and 'id="result-mean"' in text(page)
        assert 'id="result-parts"' in text(page)
        assert 'id="result-flagged"' not in text(page)
    page = login(client, w.office).get(url("application", application.pk))
    assert 'id="result-flagged"' in text(page)


def test_the_api_hides_result_score_and_stars_until_decided(w):
    application = scored(w)
    detail = f"/api/evaluation/applications/{application.pk}/"
    for user in (w.producer, w.officer):
        body = api(user).get(detail).json()
        assert body["result"] is None and body["score"] is None and body["stars"] is None
        rows = api(user).get("/api/evaluation/applications/").json()["results"]
        row = next(r for r in rows if r["id"] == application.pk)
        assert row["score"] is None and row["stars"] is None
    for user in (w.office, w.chair.user, w.member.user):
        body = api(user).get(detail).json()
        assert body["result"]["flagged"] and body["score"] is not None
        assert body["stars"] == application.stars
        rows = api(user).get("/api/evaluation/applications/").json()["results"]
        assert next(r for r in rows if r["id"] == application.pk)["score"] is not None

    decide(application)
    for user in (w.producer, w.officer):
        body = api(user).get(detail).json()
        assert set(body["result"]) == {"mean", "parts", "stars"}
        assert body["score"] is not None and body["stars"] == application.stars
    assert "flagged" in api(w.office).get(detail).json()["result"]


# --- 5. Odd digits -------------------------------------------------------------------------


@pytest.mark.parametrize("value", ODD)
def test_odd_digits_in_the_apply_address_are_ignored(client, w, value):
    page = login(client, w.producer).get(url("apply"), {"product": value})
    assert page.status_code == 200


@pytest.mark.parametrize("value", ODD)
def test_odd_digits_in_the_offices_round_filter_are_ignored(client, w, value):
    page = login(client, w.office).get(url("office-applications"), {"round": value})
    assert page.status_code == 200


@pytest.mark.parametrize("value", ODD)
def test_odd_digits_when_removing_a_council_member_are_a_404(client, w, value):
    answer = login(client, w.office).post(url("round-council", w.round.pk), {"remove": value})
    assert answer.status_code == 404


def test_plain_digits_still_work(client, w):
    page = login(client, w.producer).get(url("apply"), {"product": str(w.product.pk)})
    assert f'value="{w.product.pk}" selected' in text(page)

