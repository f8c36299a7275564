"""Council scoring: the sheet's points, blind cards, submission, the mean, stars, flags."""

from decimal import Decimal

import pytest

from shop.evaluation import scoring
from shop.evaluation.errors import EvaluationError
from shop.evaluation.models import CriterionOption, Scorecard, SheetPart, State
from tests.evaluation.factories import score, seat, world
from tests.programme.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("mean, stars, certificate_score", [
    (Decimal("0"), None, 0),
    (Decimal("49.9"), None, 49),
    (Decimal("49.99"), None, 49),
    (Decimal("50"), 3, 50),
    (Decimal("69.9"), 3, 69),
    (Decimal("70"), 4, 70),
    (Decimal("89.9"), 4, 89),
    (Decimal("90"), 5, 90),
    (Decimal("100"), 5, 100),
])
def test_stars_at_the_boundaries(mean, stars, certificate_score):
    assert scoring.stars_for_mean(mean) == stars
    assert scoring.certificate_score(mean) == certificate_score


def answers_for(sheet, points_by_criterion=None):
    """Answer every criterion of ``sheet`` with its best option (or the given points)."""
    answers = {}
    for _part, criteria in scoring.sheet_structure(sheet):
        for criterion, options in criteria:
            want = (points_by_criterion or {}).get(criterion.pk)
            option = max(options, key=lambda o: o.points) if want is None else next(
                o for o in options if o.points == want
            )
            answers[criterion.pk] = option.pk
    return answers


def test_the_sheet_adds_up_to_100_and_says_when_it_does_not():
    w = world(criteria_per_part=2)
    assert scoring.sheet_errors(w.sheet) == []
    part = SheetPart.objects.get(sheet=w.sheet, code="B")
    part.max_points = 20
    part.save()
    errors = scoring.sheet_errors(w.sheet)
    assert any("Phần B" in e for e in errors) and any("100" in e for e in errors)


def test_a_member_scores_every_criterion_once_then_the_card_is_frozen():
    w = world(criteria_per_part=2)
    app = w.application(state=State.SCORING)
    card = scoring.scorecard_for(app, w.member.user)
    assert scoring.scorecard_for(app, w.member.user) == card
    structure = scoring.sheet_structure(w.sheet)
    first = structure[0][1][0][0]
    scoring.save_answers(card, {first.pk: first.options.order_by("-points")[0].pk},
                         actor=w.member.user)
    with pytest.raises(EvaluationError) as incomplete:
        scoring.submit_scorecard(card, actor=w.member.user)
    assert incomplete.value.code == "incomplete" and "5" in incomplete.value.message
    other = structure[1][1][0][0]
    with pytest.raises(EvaluationError) as bad:  # an option of another criterion
        scoring.save_answers(card, {first.pk: other.options.first().pk}, actor=w.member.user)
    assert bad.value.code == "bad_option"
    with pytest.raises(EvaluationError) as junk:
        scoring.save_answers(card, {first.pk: "x"}, actor=w.member.user)
    assert junk.value.code == "bad_option"
    with pytest.raises(EvaluationError) as not_theirs:
        scoring.save_answers(card, answers_for(w.sheet), actor=w.chair.user)
    assert not_theirs.value.code == "forbidden"
    scoring.submit_scorecard(card, actor=w.member.user, answers=answers_for(w.sheet),
                             comment="Sản phẩm tốt")
    card.refresh_from_db()
    assert card.total == 100 and card.submitted_at and card.entries.count() == 6
    with pytest.raises(EvaluationError) as frozen:
        scoring.save_answers(card, answers_for(w.sheet), actor=w.member.user)
    assert frozen.value.code == "already_submitted"
    assert app.events.filter(kind="scorecard", actor=w.member.user).count() == 1


def test_only_council_members_score_and_only_while_scoring():
    w = world()
    app = w.application(state=State.FORWARDED)
    with pytest.raises(EvaluationError) as early:
        scoring.scorecard_for(app, w.member.user)
    assert early.value.code == "not_scoring"
    app.state = State.SCORING
    app.save()
    for stranger in (w.outsider, w.office, w.producer, make_user("khach")):
        with pytest.raises(EvaluationError) as refused:
            scoring.scorecard_for(app, stranger)
        assert refused.value.code == "not_member" and refused.value.status == 403


def test_scoring_is_blind_until_one_has_submitted():
    w = world()
    third = seat(w.council)
    app = w.application(state=State.SCORING)
    chair_card = score(app, w.chair, 80)
    member_card = score(app, w.member, 60, submit=False)
    # the member has not submitted: sees only their own card
    assert scoring.visible_scorecards(app, w.member.user) == [member_card]
    # the third member has no card yet: sees nothing
    assert scoring.visible_scorecards(app, third.user) == []
    # the chair submitted: sees the submitted cards (not the member's draft)
    assert scoring.visible_scorecards(app, w.chair.user) == [chair_card]
    # once the member submits, both are visible to them
    member_card.total, member_card.submitted_at = 60, chair_card.submitted_at
    member_card.save()
    assert set(scoring.visible_scorecards(app, w.member.user)) == {chair_card, member_card}
    # the office sees the submitted cards; producers, officers and outsiders none
    assert set(scoring.visible_scorecards(app, w.office)) == {chair_card, member_card}
    for nobody in (w.producer, w.officer, w.outsider):
        assert scoring.visible_scorecards(app, nobody) == []
    # progress tells the chair who submitted, not their points
    assert {m.pk: bool(at) for m, at in scoring.progress(app)} == {
        w.chair.pk: True, w.member.pk: True, third.pk: False,
    }


def test_after_closing_every_member_sees_every_card():
    w = world()
    app = w.application(state=State.SCORING)
    third = seat(w.council)
    cards = {score(app, m, 70) for m in (w.chair, w.member, third)}
    scoring.close_scoring(app, actor=w.chair.user)
    assert set(scoring.visible_scorecards(app, third.user)) == cards


@pytest.mark.parametrize("totals, mean, stars", [
    ((50, 49), Decimal("49.50"), None),
    ((50, 50), Decimal("50.00"), 3),
    ((70, 69, 70), Decimal("69.66"), 3),
    ((70, 70), Decimal("70.00"), 4),
    ((90, 89, 90), Decimal("89.66"), 4),
    ((90, 90, 90), Decimal("90.00"), 5),
])
def test_the_mean_of_the_members_decides_the_stars(totals, mean, stars):
    w = world()
    app = w.application(state=State.SCORING)
    members = [w.chair, w.member] + [seat(w.council) for _ in totals[2:]]
    for member, total in zip(members, totals, strict=True):
        score(app, member, total)
    result = scoring.compute_result(app)
    assert result.mean == mean and result.stars == stars
    assert result.certificate_score == int(mean)
    assert result.members == len(totals)


def test_per_part_breakdown_and_flagged_criteria(settings):
    settings.EVALUATION_SCORE_SPREAD = 3
    w = world()
    app = w.application(state=State.SCORING)
    score(app, w.chair, {"A": 30, "B": 20, "C": 30})
    score(app, w.member, {"A": 34, "B": 20, "C": 27})  # A differs by 4, C by 3
    result = scoring.compute_result(app)
    assert result.mean == Decimal("80.50")
    assert {code: part["mean"] for code, part in result.parts.items()} == {
        "A": Decimal("32.00"), "B": Decimal("20.00"), "C": Decimal("28.50"),
    }
    assert [(f["part"], f["low"], f["high"]) for f in result.flagged] == [("A", 30, 34)]
    settings.EVALUATION_SCORE_SPREAD = 2
    assert [f["part"] for f in scoring.compute_result(app).flagged] == ["A", "C"]


def test_closing_freezes_the_result_on_the_application():
    w = world()
    app = w.application(state=State.SCORING)
    score(app, w.chair, 69)
    score(app, w.member, 70)
    scoring.close_scoring(app, actor=w.chair.user)
    app.refresh_from_db()
    assert (app.state, app.score, app.stars) == (State.SCORED, Decimal("69.50"), 3)
    assert app.result["mean"] == "69.50" and app.result["spread"] == 3
    # a later change of the sheet's points does not move the frozen result
    CriterionOption.objects.filter(criterion__part__sheet=w.sheet).update(points=0)
    app.refresh_from_db()
    assert app.score == Decimal("69.50")
    assert Scorecard.objects.filter(application=app, total=69).exists()
