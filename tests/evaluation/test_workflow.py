"""The application's state machine: every move from every state by every role, and the guards."""

import datetime

import pytest

from shop.evaluation import workflow
from shop.evaluation.errors import EvaluationError
from shop.evaluation.models import Application, ApplicationEvent, State
from tests.evaluation.factories import score, today, world

pytestmark = pytest.mark.django_db

STATES = list(State.values)
# who tries, and the roles they hold on the application
ACTORS = {
    "producer": {"producer"},
    "other_producer": set(),
    "commune": {"commune"},
    "other_commune": set(),
    "office": {"office"},
    "chair": {"chair", "member"},
    "member": {"member"},
    "outsider": set(),
}
STARS_FOR = {State.RATED: 4, State.SENT_UP: 5, State.NOT_RATED: None}


def user_of(w, name):
    return {
        "producer": w.producer, "other_producer": w.other_producer, "commune": w.officer,
        "other_commune": w.other_officer, "office": w.office, "chair": w.chair.user,
        "member": w.member.user, "outsider": w.outsider,
    }[name]


def expected(from_state, to_state, roles):
    allowed = workflow.TRANSITIONS.get((from_state, to_state))
    if allowed is None:
        return "illegal_transition"
    return "ok" if allowed & roles else "forbidden"


@pytest.mark.parametrize("actor", list(ACTORS))
def test_the_whole_table_for_one_role(actor):
    """For every (from, to) pair: allowed moves happen (with their event), others are refused
    with the right code and write nothing."""
    w = world()
    user = user_of(w, actor)
    app = w.application()
    decision = w.decision()
    score(app, w.chair, 80)
    score(app, w.member, 80)
    outcomes = {}
    for from_state in STATES:
        for to_state in STATES:
            stars = STARS_FOR.get(to_state, 4)
            Application.objects.filter(pk=app.pk).update(
                state=from_state, decision=decision if to_state in STARS_FOR else None,
                stars=stars,
            )
            app.refresh_from_db()
            events = ApplicationEvent.objects.filter(application=app).count()
            want = expected(from_state, to_state, ACTORS[actor])
            try:
                workflow.transition(app, to_state, actor=user, reason="Thiếu tem nhãn")
            except EvaluationError as error:
                got = error.code
                app.refresh_from_db()
                assert app.state == from_state
                assert ApplicationEvent.objects.filter(application=app).count() == events
                assert error.status in (403, 409, 400)
                assert error.message
            else:
                got = "ok"
                app.refresh_from_db()
                assert app.state == to_state
                event = ApplicationEvent.objects.filter(application=app).latest("pk")
                assert (event.from_state, event.to_state, event.actor) == (
                    from_state, to_state, user
                )
            outcomes[(from_state, to_state)] = got
            assert got == want, (actor, from_state, to_state, got, want)
    allowed = {pair for pair, got in outcomes.items() if got == "ok"}
    assert allowed == {
        pair for pair, roles in workflow.TRANSITIONS.items() if roles & ACTORS[actor]
    }


def test_the_table_is_the_documented_one():
    assert set(workflow.TRANSITIONS) == {
        ("draft", "submitted"), ("returned", "submitted"),
        ("submitted", "forwarded"), ("submitted", "returned"), ("forwarded", "returned"),
        ("forwarded", "scoring"), ("scoring", "scored"),
        ("scored", "rated"), ("scored", "not_rated"), ("scored", "sent_up"),
        ("draft", "withdrawn"), ("submitted", "withdrawn"), ("returned", "withdrawn"),
        ("forwarded", "withdrawn"),
    }
    for state in workflow.FINAL:
        assert not [pair for pair in workflow.TRANSITIONS if pair[0] == state]


def test_a_return_needs_a_reason_the_producer_reads():
    w = world()
    app = w.application(state=State.SUBMITTED)
    with pytest.raises(EvaluationError) as refused:
        workflow.transition(app, State.RETURNED, actor=w.officer, reason="   ")
    assert refused.value.code == "reason_required" and refused.value.status == 400
    workflow.transition(app, State.RETURNED, actor=w.officer, reason="Nhãn thiếu hạn dùng")
    assert [e.reason for e in workflow.return_reasons(app)] == ["Nhãn thiếu hạn dùng"]
    workflow.transition(app, State.SUBMITTED, actor=w.producer)
    workflow.transition(app, State.FORWARDED, actor=w.officer)
    app.refresh_from_db()
    assert app.submitted_at and app.forwarded_at
    assert [(e.from_state, e.to_state) for e in app.events.all()] == [
        ("submitted", "returned"), ("returned", "submitted"), ("submitted", "forwarded"),
    ]


def test_submitting_needs_every_mandatory_document_still_valid():
    w = world()
    app = w.application(documents=False)
    with pytest.raises(EvaluationError) as refused:
        workflow.transition(app, State.SUBMITTED, actor=w.producer)
    assert refused.value.code == "documents_missing"
    assert "Giấy đăng ký kinh doanh" in refused.value.message
    from tests.evaluation.factories import attach_documents

    attach_documents(app, w.kinds[:2], w.producer)  # the optional story is not needed
    safety = app.documents.get(kind=w.kinds[1])
    safety.valid_until = today() - datetime.timedelta(days=1)
    safety.save()
    with pytest.raises(EvaluationError) as expired:
        workflow.transition(app, State.SUBMITTED, actor=w.producer)
    assert expired.value.code == "documents_missing" and "ATTP" in expired.value.message
    safety.valid_until = today()
    safety.save()
    workflow.transition(app, State.SUBMITTED, actor=w.producer)
    assert app.state == State.SUBMITTED


def test_submitting_needs_a_product_of_the_vendor():
    w = world()
    app = w.application(product=None, proposed_name="Cà phê bột Đăk Mar")
    with pytest.raises(EvaluationError) as refused:
        workflow.transition(app, State.SUBMITTED, actor=w.producer)
    assert refused.value.code == "product_required"
    from tests.factories import make_product

    app.product = make_product(vendor=w.other_vendor, stars=None, with_image=False)
    app.save()
    with pytest.raises(EvaluationError):
        workflow.transition(app, State.SUBMITTED, actor=w.producer)


def test_the_deadline_stops_a_first_submission_not_a_resubmission():
    w = world()
    w.round.applications_until = today() - datetime.timedelta(days=1)
    w.round.save()
    draft = w.application()
    with pytest.raises(EvaluationError) as late:
        workflow.transition(draft, State.SUBMITTED, actor=w.producer)
    assert late.value.code == "deadline_passed" and late.value.status == 409
    returned = w.application(state=State.RETURNED, product=None)
    from tests.factories import make_product

    returned.product = make_product(vendor=w.vendor, stars=None, with_image=False)
    returned.save()
    workflow.transition(returned, State.SUBMITTED, actor=w.producer)
    assert returned.state == State.SUBMITTED


def test_a_closed_round_takes_no_submission_nor_withdrawal():
    w = world()
    w.round.status = "closed"
    w.round.save()
    app = w.application()
    for to_state in (State.SUBMITTED, State.WITHDRAWN):
        with pytest.raises(EvaluationError) as closed:
            workflow.transition(app, to_state, actor=w.producer)
        assert closed.value.code == "round_closed"


def test_opening_scoring_needs_a_council_with_a_chair_and_a_sheet():
    w = world()
    app = w.application(state=State.FORWARDED)
    w.chair.delete()
    with pytest.raises(EvaluationError) as refused:
        workflow.transition(app, State.SCORING, actor=w.office)
    assert refused.value.code == "council_missing"
    w.sheet.is_active = False
    w.sheet.save()
    from tests.evaluation.factories import seat

    seat(w.council, role="chair")
    with pytest.raises(EvaluationError) as no_sheet:
        workflow.transition(app, State.SCORING, actor=w.office)
    assert no_sheet.value.code == "sheet_missing"


def test_the_chair_closes_only_when_every_member_submitted():
    w = world()
    app = w.application(state=State.SCORING)
    score(app, w.chair, 72)
    score(app, w.member, 70, submit=False)
    with pytest.raises(EvaluationError) as refused:
        workflow.transition(app, State.SCORED, actor=w.chair.user)
    assert refused.value.code == "scores_missing"
    card = app.scorecards.get(member=w.member)
    card.total, card.submitted_at = 70, card.created_at
    card.save()
    workflow.transition(app, State.SCORED, actor=w.chair.user)
    app.refresh_from_db()
    assert app.state == State.SCORED and app.scored_at
    assert app.score == 71 and app.stars == 4
    assert app.result["parts"]["A"]["max"] == 40


def test_decided_states_need_the_decision_and_matching_stars():
    w = world()
    app = w.application(state=State.SCORED, stars=3)
    with pytest.raises(EvaluationError) as refused:
        workflow.transition(app, State.RATED, actor=w.office)
    assert refused.value.code == "decision_required"
    app.decision = w.decision()
    app.save()
    with pytest.raises(EvaluationError) as mismatch:
        workflow.transition(app, State.SENT_UP, actor=w.office)
    assert mismatch.value.code == "stars_mismatch"
    workflow.transition(app, State.RATED, actor=w.office)
    assert app.state == State.RATED and app.decided_at


def test_buttons_follow_the_table():
    w = world()
    app = w.application(state=State.SUBMITTED)
    assert set(workflow.allowed_transitions(app, w.producer)) == {State.WITHDRAWN}
    assert set(workflow.allowed_transitions(app, w.officer)) == {State.FORWARDED, State.RETURNED}
    assert workflow.allowed_transitions(app, w.other_officer) == []
    assert workflow.allowed_transitions(app, w.member.user) == []
    app.state = State.SCORED
    assert workflow.allowed_transitions(app, w.office) == []  # decided through the decision


def test_corrections_are_new_entries_with_a_reason():
    w = world()
    app = w.application(state=State.SUBMITTED)
    with pytest.raises(EvaluationError) as refused:
        workflow.add_note(app, actor=w.officer, text="", correction=True)
    assert refused.value.code == "reason_required"
    with pytest.raises(EvaluationError) as stranger:
        workflow.add_note(app, actor=w.other_officer, text="Ý kiến")
    assert stranger.value.code == "forbidden"
    note = workflow.add_note(app, actor=w.officer, text="Sửa tên thôn: Thôn 3", correction=True)
    assert note.kind == ApplicationEvent.Kind.CORRECTION
    assert app.events.count() == 1 and app.state == State.SUBMITTED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_officers_racing_move_it_once():
    """Forward and return at the same moment: the row lock lets one win, the other is refused."""
    import threading

    from django.db import connection

    w = world()
    app = w.application(state=State.SUBMITTED)
    barrier = threading.Barrier(2)
    results = []

    def move(to_state):
        try:
            copy = Application.objects.get(pk=app.pk)
            barrier.wait()
            workflow.transition(copy, to_state, actor=w.officer, reason="Thiếu nhãn")
            results.append((to_state, "ok"))
        except EvaluationError as error:
            results.append((to_state, error.code))
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=(s,)) for s in (State.FORWARDED, State.RETURNED)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    outcome = dict(results)
    winner = next(state for state, code in outcome.items() if code == "ok")
    app.refresh_from_db()
    assert app.state == winner
    # The loser is re-checked against the winner's state, under the lock: a forwarded
    # application is no longer the commune officer's to return (only the office may),
    # and a returned one cannot be forwarded at all.
    if winner == State.FORWARDED:
        assert outcome[State.RETURNED] == "forbidden"
    else:
        assert outcome[State.FORWARDED] == "illegal_transition"
    assert app.events.filter(kind="transition").count() == 1
