"""The OCOP evaluation API (/api/evaluation/): the same access rules and state machine as the
pages, refusals as JSON with the rule's code and status and nothing written, CSRF on changes,
bounded queries, and a whole application moved from draft to scoring through it."""

import pytest
from rest_framework.test import APIClient

from shop.evaluation.models import Application, ApplicationEvent, State
from tests.evaluation.factories import score, world

pytestmark = pytest.mark.django_db

LIST = "/api/evaluation/applications/"


def one(pk):
    return f"{LIST}{pk}/"


def move(pk):
    return f"{LIST}{pk}/transitions/"


def note(pk):
    return f"{LIST}{pk}/notes/"


@pytest.fixture
def w():
    return world()


def api(user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def ids(response):
    return {row["id"] for row in response.json()["results"]}


# --- who sees what ------------------------------------------------------------------------


def test_nobody_signed_in_gets_a_json_refusal(w):
    app = w.application(state=State.SUBMITTED)
    for response in (api().get(LIST), api().get(one(app.pk)),
                     api().post(move(app.pk), {"to_state": "forwarded"}, format="json")):
        assert response.status_code == 403
        assert response.json()["code"] == "not_authenticated"
    assert Application.objects.get(pk=app.pk).state == State.SUBMITTED


def test_each_role_lists_what_the_pages_show_it(w):
    draft = w.application()
    submitted = w.application(state=State.SUBMITTED, product=None, proposed_name="Rượu cần")
    scoring = w.application(state=State.SCORING, product=None, proposed_name="Cà phê")
    others = Application.objects.create(round=w.round, vendor=w.other_vendor, group=w.group,
                                        proposed_name="Mật ong rừng", state=State.SUBMITTED)
    assert ids(api(w.producer).get(LIST)) == {draft.pk, submitted.pk, scoring.pk}
    assert ids(api(w.officer).get(LIST)) == {submitted.pk, scoring.pk}  # never a draft
    assert ids(api(w.other_officer).get(LIST)) == {others.pk}
    assert ids(api(w.member.user).get(LIST)) == {scoring.pk}  # from scoring on
    assert ids(api(w.outsider).get(LIST)) == set()
    assert ids(api(w.office).get(LIST)) == {draft.pk, submitted.pk, scoring.pk, others.pk}
    # another's application is not found, as on the pages
    response = api(w.other_producer).get(one(draft.pk))
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_list_filters_by_state_and_round_and_refuses_what_it_cannot_use(w):
    submitted = w.application(state=State.SUBMITTED)
    w.application(product=None, proposed_name="Rượu cần")
    office = api(w.office)
    assert ids(office.get(LIST, {"state": "submitted"})) == {submitted.pk}
    assert ids(office.get(LIST, {"round": w.round.pk + 1000})) == set()
    body = office.get(LIST, {"state": "ngủ"}).json()
    assert body["code"] == "invalid" and "state" in body["errors"]
    assert office.get(LIST, {"round": "abc"}).status_code == 400
    assert office.get(f"{LIST}?state=").status_code == 400  # refused, not quietly unfiltered
    assert office.get(f"{LIST}?state=submitted&state=draft").status_code == 400
    assert office.get(LIST, {"page_size": "0"}).status_code == 400
    page = office.get(LIST, {"page_size": 1}).json()
    assert page["count"] == 2 and len(page["results"]) == 1 and page["next"]


def test_the_detail_shows_history_documents_and_the_moves_the_user_may_make(w):
    app = w.application(state=State.SUBMITTED)
    body = api(w.officer).get(one(app.pk)).json()
    assert body["state"] == "submitted" and body["state_label"] == "Đã nộp"
    assert body["roles"] == ["commune"]
    assert {m["to_state"]: m["reason_required"] for m in body["moves"]} == {
        "forwarded": False, "returned": True}
    assert len(body["documents"]) == len(w.kinds)
    assert all(d["url"].startswith("/evaluation/documents/") for d in body["documents"])
    assert body["result"] is None and body["change"] == {"before": None, "after": None}
    # the producer may withdraw it, nothing else
    producer = api(w.producer).get(one(app.pk)).json()
    assert [m["to_state"] for m in producer["moves"]] == ["withdrawn"]


# --- moves ----------------------------------------------------------------------------------


def test_a_move_goes_through_the_state_machine_and_is_written_once(w):
    app = w.application(state=State.SUBMITTED)
    response = api(w.officer).post(move(app.pk), {"to_state": "forwarded", "reason": "Đủ hồ sơ"},
                                   format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["state"] == "forwarded" and body["forwarded_at"]
    assert body["events"][-1]["to_state"] == "forwarded"
    assert body["events"][-1]["reason"] == "Đủ hồ sơ"
    app.refresh_from_db()
    assert app.state == State.FORWARDED
    assert app.events.filter(kind=ApplicationEvent.Kind.TRANSITION).count() == 1


@pytest.mark.parametrize(
    "state, actor, to_state, reason, status, code",
    [
        # not a move of the table from this state: whoever asks
        (State.DRAFT, "office", "forwarded", "", 409, "illegal_transition"),
        (State.SCORED, "producer", "withdrawn", "", 409, "illegal_transition"),
        # a move of the table, but not this user's
        (State.SUBMITTED, "producer", "forwarded", "", 403, "forbidden"),
        (State.FORWARDED, "officer", "returned", "Thiếu nhãn", 403, "forbidden"),
        (State.SCORING, "member", "scored", "", 403, "forbidden"),
        # a return must say why
        (State.SUBMITTED, "officer", "returned", "   ", 400, "reason_required"),
        # the chair closes only when every member submitted
        (State.SCORING, "chair", "scored", "", 409, "scores_missing"),
    ],
)
def test_a_refused_move_answers_the_rules_code_and_writes_nothing(
        w, state, actor, to_state, reason, status, code):
    app = w.application(state=state)
    user = {"office": w.office, "producer": w.producer, "officer": w.officer,
            "member": w.member.user, "chair": w.chair.user}[actor]
    response = api(user).post(move(app.pk), {"to_state": to_state, "reason": reason},
                              format="json")
    assert response.status_code == status, response.json()
    body = response.json()
    assert body["code"] == code and body["detail"]
    app.refresh_from_db()
    assert app.state == state and not app.events.exists()


def test_a_state_that_is_no_move_is_refused_as_input(w):
    app = w.application(state=State.SCORED)
    for target in ("rated", "draft", "ngủ", ""):
        response = api(w.office).post(move(app.pk), {"to_state": target}, format="json")
        assert response.status_code == 400
        assert "to_state" in response.json()["errors"]
    # decided states come with the council's decision only (the office's decision page)
    assert Application.objects.get(pk=app.pk).state == State.SCORED


def test_changes_need_the_csrf_token_of_the_browser_session(w):
    app = w.application(state=State.SUBMITTED)
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(w.officer)
    response = client.post(move(app.pk), {"to_state": "forwarded"}, format="json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert Application.objects.get(pk=app.pk).state == State.SUBMITTED


def test_notes_and_corrections_are_added_to_the_history(w):
    app = w.application(state=State.SUBMITTED)
    client = api(w.officer)
    response = client.post(note(app.pk), {"text": "Nhãn cần ghi hạn dùng"}, format="json")
    assert response.status_code == 201
    assert response.json()["kind"] == "comment"
    response = client.post(note(app.pk), {"text": "Ghi nhầm ngày nhận", "correction": True},
                           format="json")
    assert response.json()["kind"] == "correction"
    assert client.post(note(app.pk), {"text": ""}, format="json").status_code == 400
    assert api(w.other_officer).post(note(app.pk), {"text": "x"}, format="json").status_code == 404
    assert [e.kind for e in app.events.order_by("pk")] == ["comment", "correction"]


def test_an_application_goes_from_draft_to_scored_through_the_api(w):
    app = w.application()
    steps = [(w.producer, "submitted"), (w.officer, "forwarded"), (w.office, "scoring")]
    for user, to_state in steps:
        response = api(user).post(move(app.pk), {"to_state": to_state}, format="json")
        assert response.status_code == 200, response.json()
    score(app, w.chair, 72)
    score(app, w.member, 76)
    # a member sees the application now, never the others' scores in it
    member_view = api(w.member.user).get(one(app.pk)).json()
    assert member_view["result"] is None and "scorecards" not in member_view
    closed = api(w.chair.user).post(move(app.pk), {"to_state": "scored"}, format="json").json()
    assert closed["state"] == "scored" and closed["score"] == "74.00" and closed["stars"] == 4
    assert closed["result"]["mean"] == "74.00"
    history = [(e["from_state"], e["to_state"]) for e in closed["events"] if e["kind"] == "transition"]
    assert history == [("draft", "submitted"), ("submitted", "forwarded"),
                       ("forwarded", "scoring"), ("scoring", "scored")]


# --- queries ----------------------------------------------------------------------------------


def test_the_list_and_the_detail_ask_a_bounded_number_of_queries(w, django_assert_max_num_queries):
    for n in range(24):
        w.application(state=State.SUBMITTED, product=None, proposed_name=f"Sản phẩm {n}",
                      documents=n == 0)
    app = Application.objects.filter(documents__isnull=False).first()
    client = api(w.office)
    with django_assert_max_num_queries(6):
        assert len(client.get(LIST, {"page_size": 50}).json()["results"]) == 24
    with django_assert_max_num_queries(10):
        assert client.get(one(app.pk)).status_code == 200
