"""The council's scoring: blind scorecards, the mean, the stars, the flagged criteria.

Rules:

* **The sheet.** An application is scored on the active :class:`ScoringSheet` of its
  group: parts A, B, C, each with criteria, each criterion with options worth points.
  A sheet is sound (:func:`sheet_errors`) when every criterion has options, each
  part's maximum equals the sum of its criteria's best options, and the parts add
  up to 100.
* **Who scores.** Each member of the round's council (the chair too) fills one
  :class:`Scorecard` per application, only while the application is ``scoring``
  (``"not_scoring"``, 409); anybody else: ``"not_member"`` (403). A member writes
  only their own card (``"forbidden"``).
* **Submitting** needs every criterion of the sheet answered exactly once with one
  of *that* criterion's options (``"incomplete"`` / ``"bad_option"``, 400). The
  total is the sum of the chosen options' points. A submitted card is frozen
  (``"already_submitted"``, 409); its submission is an event of the history.
* **Blind.** :func:`visible_scorecards`: a member sees only their own card until
  they submitted it; then the other members' *submitted* cards. After the chair
  closed the scoring every member sees every card. The office sees submitted
  cards. Producers and commune officers see no card, only the frozen result
  (mean and per-part breakdown) once the application is decided.
* **Who sees the result** (:func:`result_for`, :func:`score_for`, for the pages and
  the API alike). The office and the round's council (members, chair) see the
  whole frozen result — score, stars, per-member totals, flagged criteria with
  their low/high points — from ``scored`` on. A viewer who is only producer
  and/or commune officer sees the score, the stars and the result (mean, stars,
  per-part means) only once the application is decided (``rated``,
  ``not_rated``, ``sent_up``), and never the members' totals nor the flagged
  criteria.
* **The result** (:func:`compute_result`, arithmetic in :mod:`shop.evaluation.tally`) is the mean of the submitted members'
  totals, kept to two decimals rounded *down* (209/3 = 69.66…, kept as 69.66,
  so a mean never climbs into the next band), with the same mean per part.
* **Flagged criteria.** A criterion where the members' points differ (highest −
  lowest) by *more than* ``settings.EVALUATION_SCORE_SPREAD`` (default 3 points) is
  flagged for the council's discussion.
* **Closing.** The chair closes a product's scoring (``workflow.transition(…,
  "scored")``) only when *every* council member has submitted; closing freezes the
  result on the application (``score``, ``stars``, ``result``).
* **Stars.** From the mean: 90–100 → 5★ candidate (sent up to the central level),
  70–<90 → 4★, 50–<70 → 3★, below 50 → not rated. The certificate's score is an
  integer (``OcopCertificate.score``, with a constraint matching the stars): it is
  the *floor* of the mean (69.9 → 69, 3★; 89.9 → 89, 4★; 49.9 → 49, not rated), so
  stars and certificate score always agree.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shop.evaluation import access, workflow
from shop.evaluation.errors import EvaluationError
from shop.evaluation.models import (
    ApplicationEvent,
    Criterion,
    CriterionOption,
    Scorecard,
    ScoreEntry,
    ScoringSheet,
    SheetPart,
    State,
)

# the arithmetic lives in shop.evaluation.tally; its names are part of this module's API
from shop.evaluation.tally import (
    DEFAULT_SPREAD,
    TOTAL_POINTS,
    Result,
    certificate_score,
    compute_result,
    council_members,
    freeze_result,
    member_name,
    members_not_submitted,
    outcome_for_stars,
    spread,
    stars_for_mean,
)

__all__ = [
    "DEFAULT_SPREAD", "TOTAL_POINTS", "Result", "certificate_score", "compute_result",
    "council_members", "freeze_result", "member_name", "members_not_submitted",
    "outcome_for_stars", "spread", "stars_for_mean", "sheet_for", "sheet_structure",
    "sheet_errors", "progress", "scorecard_for", "save_answers", "submit_scorecard",
    "visible_scorecards", "close_scoring", "INSIDE_ROLES", "PUBLIC_RESULT_KEYS",
    "sees_full_result", "result_roles", "result_for", "score_for",
]

CLOSED_STATES = (State.SCORED, State.RATED, State.NOT_RATED, State.SENT_UP)
# who sees the whole frozen result from "scored" on
INSIDE_ROLES = frozenset({access.OFFICE, access.MEMBER, access.CHAIR})
# what of it the producer and the commune see, once decided
PUBLIC_RESULT_KEYS = ("mean", "parts", "stars")


# --- Who sees the result -------------------------------------------------------------------


def sees_full_result(roles):
    """True when ``roles`` (on one application) include the office or the round's council."""
    return bool(INSIDE_ROLES & set(roles))


def result_roles(user):
    """``application -> roles`` cut to what the result's visibility needs (office, member).

    At most one query for the user (the seats; none for the office), none per
    application: for lists (the API's pages).
    """
    if access.is_office(user):
        return lambda application: frozenset({access.OFFICE})
    rounds = set(access.memberships(user).values_list("council__round_id", flat=True))

    def roles(application):
        return frozenset({access.MEMBER}) if application.round_id in rounds else frozenset()

    return roles


def result_for(application, roles):
    """The frozen result as a viewer holding ``roles`` may see it (None: nothing to see)."""
    result = application.result or None
    if result is None or sees_full_result(roles):
        return result
    if application.state not in workflow.DECIDED:
        return None
    return {key: result[key] for key in PUBLIC_RESULT_KEYS if key in result}


def score_for(application, roles):
    """``(score, stars)`` as a viewer holding ``roles`` may see them (``(None, None)``: hidden)."""
    if sees_full_result(roles) or application.state in workflow.DECIDED:
        return application.score, application.stars
    return None, None


# --- The sheet --------------------------------------------------------------------------


def sheet_for(application):
    """The active scoring sheet of the application's group; ``"sheet_missing"`` (409) if none."""
    sheet = ScoringSheet.objects.filter(group_id=application.group_id, is_active=True).first()
    if sheet is None:
        raise EvaluationError(
            "sheet_missing", _("Nhóm sản phẩm này chưa có phiếu chấm điểm."), status=409
        )
    return sheet


def sheet_structure(sheet):
    """``[(part, [(criterion, [option, ...]), ...]), ...]`` in order (3 queries)."""
    parts = list(SheetPart.objects.filter(sheet=sheet).order_by("code"))
    criteria = list(Criterion.objects.filter(part__sheet=sheet).order_by("order", "pk"))
    options = list(
        CriterionOption.objects.filter(criterion__part__sheet=sheet).order_by("order", "pk")
    )
    by_criterion = {}
    for option in options:
        by_criterion.setdefault(option.criterion_id, []).append(option)
    by_part = {}
    for criterion in criteria:
        by_part.setdefault(criterion.part_id, []).append(
            (criterion, by_criterion.get(criterion.pk, []))
        )
    return [(part, by_part.get(part.pk, [])) for part in parts]


def sheet_errors(sheet):
    """Vietnamese messages of what is wrong with ``sheet``'s points; [] when it is sound."""
    errors = []
    total = 0
    for part, criteria in sheet_structure(sheet):
        total += part.max_points
        best = 0
        for criterion, options in criteria:
            if not options:
                errors.append(
                    _("Tiêu chí “%(text)s” chưa có mức điểm.") % {"text": criterion.text[:80]}
                )
            else:
                best += max(option.points for option in options)
        if best != part.max_points:
            errors.append(
                _("Phần %(code)s: các tiêu chí cộng lại %(best)d điểm, khác điểm tối đa "
                  "%(max)d.") % {"code": part.code, "best": best, "max": part.max_points}
            )
    if total != TOTAL_POINTS:
        errors.append(
            _("Các phần cộng lại %(total)d điểm, phải đủ 100 điểm.") % {"total": total}
        )
    return errors


# --- Members and cards ------------------------------------------------------------------


def progress(application):
    """``[(member, submitted_at or None), ...]``: who has submitted (no scores shown)."""
    submitted = dict(
        Scorecard.objects.filter(application=application).values_list("member_id", "submitted_at")
    )
    return [(m, submitted.get(m.pk)) for m in council_members(application)]


def _seat_or_403(application, user):
    seat = access.membership(user, application.round_id)
    if seat is None:
        raise EvaluationError(
            "not_member", _("Bạn không phải thành viên Hội đồng của đợt đánh giá này."),
            status=403,
        )
    return seat


def scorecard_for(application, user):
    """The user's own scorecard of ``application`` (created empty on first use).

    ``"not_member"`` (403) for a user outside the round's council; ``"not_scoring"``
    (409) when the application is not being scored (an existing card is still returned
    once scoring is closed, read-only).
    """
    seat = _seat_or_403(application, user)
    card = Scorecard.objects.filter(application=application, member=seat).first()
    if card is not None:
        return card
    if application.state != State.SCORING:
        raise EvaluationError(
            "not_scoring", _("Hồ sơ không trong giai đoạn chấm điểm."), status=409
        )
    card, _created = Scorecard.objects.get_or_create(
        application=application, member=seat, defaults={"sheet": sheet_for(application)}
    )
    return card


def _writable(scorecard, actor):
    if scorecard.member.user_id != getattr(actor, "pk", None):
        raise EvaluationError(
            "forbidden", _("Bạn chỉ chấm được phiếu của chính mình."), status=403
        )
    if scorecard.submitted_at is not None:
        raise EvaluationError(
            "already_submitted", _("Phiếu chấm đã nộp, không sửa được nữa."), status=409
        )
    if scorecard.application.state != State.SCORING:
        raise EvaluationError(
            "not_scoring", _("Hồ sơ không trong giai đoạn chấm điểm."), status=409
        )


def _normalise(answers):
    """``{criterion_id: option_id | (option_id, comment)}`` → ``{int: (int, str)}``."""
    result = {}
    for criterion_id, value in (answers or {}).items():
        option_id, comment = (value if isinstance(value, (tuple, list)) else (value, ""))
        try:
            key, option = int(criterion_id), int(option_id)
        except (TypeError, ValueError):
            raise EvaluationError("bad_option", _("Mức điểm đã chọn không hợp lệ.")) from None
        result[key] = (option, (comment or "").strip()[:500])
    return result


def save_answers(scorecard, answers, *, actor, comment=None):
    """Save (part of) the actor's own unsubmitted card: ``{criterion_id: option_id}``.

    Each option must belong to its criterion and the criterion to the card's sheet
    (``"bad_option"``, 400). Later answers replace earlier ones of the same criterion.
    """
    answers = _normalise(answers)
    with transaction.atomic():
        scorecard = Scorecard.objects.select_for_update(of=("self",)).select_related(
            "member", "application"
        ).get(pk=scorecard.pk)
        _writable(scorecard, actor)
        options = {
            o.pk: o for o in CriterionOption.objects.filter(
                pk__in=[opt for opt, _c in answers.values()],
                criterion__part__sheet_id=scorecard.sheet_id,
            )
        }
        for criterion_id, (option_id, note) in answers.items():
            option = options.get(option_id)
            if option is None or option.criterion_id != criterion_id:
                raise EvaluationError("bad_option", _("Mức điểm đã chọn không hợp lệ."))
            ScoreEntry.objects.update_or_create(
                scorecard=scorecard, criterion_id=criterion_id,
                defaults={"option": option, "points": option.points, "comment": note},
            )
        if comment is not None:
            scorecard.comment = comment.strip()
            scorecard.save(update_fields=["comment"])
    return scorecard


def submit_scorecard(scorecard, *, actor, answers=None, comment=None):
    """Save ``answers`` (if given), check every criterion is answered, freeze the card.

    Returns the card with ``total`` and ``submitted_at`` set.
    """
    with transaction.atomic():
        if answers is not None or comment is not None:
            save_answers(scorecard, answers or {}, actor=actor, comment=comment)
        card = Scorecard.objects.select_for_update(of=("self",)).select_related(
            "member", "application"
        ).get(pk=scorecard.pk)
        _writable(card, actor)
        criteria = set(
            Criterion.objects.filter(part__sheet_id=card.sheet_id).values_list("pk", flat=True)
        )
        entries = list(card.entries.select_related("option"))
        answered = {e.criterion_id for e in entries}
        if answered != criteria or any(e.option.criterion_id != e.criterion_id for e in entries):
            raise EvaluationError(
                "incomplete",
                _("Hãy chấm đủ tất cả %(n)d tiêu chí trước khi nộp phiếu (còn %(left)d tiêu "
                  "chí chưa chấm).") % {"n": len(criteria), "left": len(criteria - answered)},
            )
        card.total = sum(e.points for e in entries)
        card.submitted_at = timezone.now()
        card.save(update_fields=["total", "submitted_at"])
        ApplicationEvent.objects.create(
            application=card.application, kind=ApplicationEvent.Kind.SCORECARD, actor=actor,
            from_state=card.application.state, to_state=card.application.state,
        )
    scorecard.total, scorecard.submitted_at = card.total, card.submitted_at
    return card


def visible_scorecards(application, user):
    """The scorecards ``user`` may read for ``application`` (see the blind rule above)."""
    cards = Scorecard.objects.filter(application=application).select_related("member__user")
    if access.is_office(user):
        return list(cards.filter(submitted_at__isnull=False))
    seat = access.membership(user, application.round_id)
    if seat is None:
        return []
    if application.state in CLOSED_STATES:
        return list(cards.filter(submitted_at__isnull=False) | cards.filter(member=seat))
    own = cards.filter(member=seat).first()
    if own is None or own.submitted_at is None:
        return [own] if own is not None else []
    return list(cards.filter(submitted_at__isnull=False))


def close_scoring(application, *, actor, reason=""):
    """The chair closes the product's scoring (every member must have submitted)."""
    return workflow.transition(application, State.SCORED, actor=actor, reason=reason)
