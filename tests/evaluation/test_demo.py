"""The evaluation demo: a sound sheet, the 2026 round half done, idempotent, and finishable."""

import io

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.http import HttpRequest
from django.utils import timezone

from shop.evaluation import access, decisions, scoring, workflow
from shop.evaluation import demo as evaluation_demo
from shop.evaluation.models import (
    Application,
    ApplicationDocument,
    ApplicationEvent,
    CouncilMember,
    CriterionOption,
    EvaluationRound,
    Scorecard,
    State,
)

pytestmark = pytest.mark.django_db

MODELS = [EvaluationRound, Application, ApplicationDocument, ApplicationEvent, CouncilMember,
          Scorecard, CriterionOption]


@pytest.fixture(autouse=True)
def _demo_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def counts():
    return {model.__name__: model.objects.count() for model in MODELS}


def test_the_round_half_done_then_finished_by_the_office():
    call_command("load_demo", stdout=io.StringIO())
    first = counts()
    assert evaluation_demo.load_demo_evaluation() == 0  # a second run adds nothing
    assert counts() == first

    round_ = EvaluationRound.objects.get(name=evaluation_demo.ROUND_NAME)
    sheet = scoring.sheet_for(round_.applications.first())
    assert scoring.sheet_errors(sheet) == []
    assert {p.code: p.max_points for p in sheet.parts.all()} == {"A": 40, "B": 25, "C": 35}
    apps = {a.product.title: a for a in round_.applications.select_related("product")}
    assert sorted(a.state for a in apps.values()) == sorted(
        row[2] for row in evaluation_demo.APPLICATIONS
    )
    for username in ("council_chair", "council_member1", "council_member2"):
        assert authenticate(HttpRequest(), username=username,
                            password=evaluation_demo.PASSWORD) is not None

    users = get_user_model().objects.in_bulk(
        ["office", "commune_dakmar", "producer_dakmar", "producer_cafe", "council_chair",
         "council_member1", "council_member2"], field_name="username",
    )
    returned = next(a for a in apps.values() if a.state == State.RETURNED)
    assert workflow.return_reasons(returned)[0].actor == users["commune_dakmar"]
    submitted = next(a for a in apps.values() if a.state == State.SUBMITTED)
    assert set(workflow.allowed_transitions(submitted, users["commune_dakmar"])) == {
        State.FORWARDED, State.RETURNED,
    }
    # the commune officer sees Đăk Mar's (not the draft of the coffee company)
    seen = set(access.applications_for(users["commune_dakmar"]).values_list("state", flat=True))
    assert seen == {State.SUBMITTED, State.RETURNED, State.FORWARDED}

    # the office opens the forwarded one; member 2 scores; the chair closes
    forwarded = next(a for a in apps.values() if a.state == State.FORWARDED)
    workflow.transition(forwarded, State.SCORING, actor=users["office"])
    scoring_app = next(a for a in apps.values() if a.state == State.SCORING)
    assert [m.user.username for m in scoring.members_not_submitted(scoring_app)] == [
        "council_member2"
    ]
    card = scoring.scorecard_for(scoring_app, users["council_member2"])
    answers = evaluation_demo._answers(sheet, 0.7)
    scoring.submit_scorecard(card, actor=users["council_member2"], answers=answers)
    scoring.close_scoring(scoring_app, actor=users["council_chair"])

    outcome = decisions.record_decision(
        round_, number="125/QĐ-UBND", date=timezone.localdate(), actor=users["office"],
    )
    assert len(outcome.applications) == 2
    for application in outcome.certified:
        application.product.refresh_from_db()
        assert application.product.ocop_stars == application.stars
        assert application.certificate.score == int(application.score)
