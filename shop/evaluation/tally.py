"""The council's result of one application: the mean, the stars, the parts, the flags.

The arithmetic of :mod:`shop.evaluation.scoring`, kept apart so the workflow (which
freezes the result when the chair closes) and the scoring pages share it without an
import circle. Rules:

* **The result** (:func:`compute_result`) is the mean of the *submitted* members'
  totals, kept to two decimals rounded *down* (209/3 = 69.66…, kept as 69.66, so a
  mean never climbs into the next band), with the same mean per part (A, B, C).
* **Flagged criteria.** A criterion where the members' points differ (highest −
  lowest) by *more than* ``settings.EVALUATION_SCORE_SPREAD`` (default 3 points) is
  flagged for the council's discussion.
* **Stars** from the mean (:func:`stars_for_mean`): 90–100 → 5★ candidate (sent up
  to the central level), 70–<90 → 4★, 50–<70 → 3★, below 50 → not rated. The
  certificate's score is an integer (``OcopCertificate.score``, with a constraint
  matching the stars): the *floor* of the mean (:func:`certificate_score`: 69.9 → 69,
  3★; 89.9 → 89, 4★; 49.9 → 49, not rated), so stars and score always agree.
* **Outcome** (:func:`outcome_for_stars`): 3–4★ → ``rated``, 5★ → ``sent_up``, else
  ``not_rated``.
* **Closing** writes the result on the application (:func:`freeze_result`: ``score``,
  ``stars``, ``result`` as JSON); later edits of the sheet never move it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.conf import settings

from catalogue import certification
from shop.evaluation.models import CouncilMember, Scorecard, ScoreEntry, SheetPart, State

DEFAULT_SPREAD = 3
CENT = Decimal("0.01")
TOTAL_POINTS = certification.MAX_SCORE


def spread():
    """Points by which members may differ on a criterion before it is flagged."""
    return int(getattr(settings, "EVALUATION_SCORE_SPREAD", DEFAULT_SPREAD))


def outcome_for_stars(stars):
    """The decided state of a result: 3–4★ rated, 5★ sent up (central level), else not rated."""
    if stars in (3, 4):
        return State.RATED
    if stars == 5:
        return State.SENT_UP
    return State.NOT_RATED


def certificate_score(mean):
    """The integer score a certificate carries: the floor of the mean (69.9 → 69)."""
    if mean is None:
        return None
    return int(math.floor(Decimal(mean)))


def stars_for_mean(mean):
    """3, 4, 5 (5★ = candidate sent up) or None below 50, from the floor of ``mean``."""
    score = certificate_score(mean)
    if score is None:
        return None
    return certification.stars_for_score(max(0, min(score, TOTAL_POINTS)))


def council_members(application):
    return list(
        CouncilMember.objects.filter(council__round_id=application.round_id)
        .select_related("user").order_by("role", "pk")
    )


def member_name(member):
    return member.user.get_full_name() or member.user.get_username()


def members_not_submitted(application):
    """Council members without a submitted scorecard of ``application``."""
    done = set(
        Scorecard.objects.filter(application=application, submitted_at__isnull=False)
        .values_list("member_id", flat=True)
    )
    return [m for m in council_members(application) if m.pk not in done]


def _mean(values):
    if not values:
        return None
    return (Decimal(sum(values)) / Decimal(len(values))).quantize(CENT, rounding=ROUND_DOWN)


@dataclass
class Result:
    """The council's result of one application."""

    members: int = 0
    totals: list = field(default_factory=list)
    mean: Decimal | None = None
    parts: dict = field(default_factory=dict)  # code → {"title", "max", "mean"}
    flagged: list = field(default_factory=list)  # [{"criterion", "text", "low", "high"}]
    stars: int | None = None

    @property
    def certificate_score(self):
        return certificate_score(self.mean)

    @property
    def outcome(self):
        return outcome_for_stars(self.stars) if self.mean is not None else None

    def as_json(self):
        return {
            "members": self.members,
            "totals": self.totals,
            "mean": str(self.mean) if self.mean is not None else None,
            "parts": {
                code: {**part, "mean": str(part["mean"]) if part["mean"] is not None else None}
                for code, part in self.parts.items()
            },
            "flagged": self.flagged,
            "stars": self.stars,
            "spread": spread(),
        }


def compute_result(application):
    """The :class:`Result` of the submitted scorecards (mean None when there is none)."""
    cards = list(
        Scorecard.objects.filter(application=application, submitted_at__isnull=False)
        .order_by("member_id")
    )
    entries = list(
        ScoreEntry.objects.filter(scorecard__in=cards)
        .select_related("criterion__part")
        .order_by("criterion__part__code", "criterion__order", "criterion_id")
    )
    result = Result(members=len(cards), totals=[c.total for c in cards])
    result.mean = _mean(result.totals)
    part_points = {}  # code → {card: points}
    by_criterion = {}
    for entry in entries:
        part = entry.criterion.part
        part_points.setdefault(part.code, {"part": part, "cards": {}})
        cards_points = part_points[part.code]["cards"]
        cards_points[entry.scorecard_id] = cards_points.get(entry.scorecard_id, 0) + entry.points
        by_criterion.setdefault(entry.criterion_id, (entry.criterion, []))[1].append(entry.points)
    sheet = cards[0].sheet if cards else None
    if sheet is not None:
        for part in SheetPart.objects.filter(sheet=sheet).order_by("code"):
            points = part_points.get(part.code, {"cards": {}})["cards"]
            result.parts[part.code] = {
                "title": part.title, "max": part.max_points,
                "mean": _mean([points.get(c.pk, 0) for c in cards]),
            }
    limit = spread()
    for criterion, points in by_criterion.values():
        if max(points) - min(points) > limit:
            result.flagged.append({
                "criterion": criterion.pk, "part": criterion.part.code, "order": criterion.order,
                "text": criterion.text, "low": min(points), "high": max(points),
            })
    result.stars = stars_for_mean(result.mean)
    return result


def freeze_result(application):
    """Write the result on ``application`` (not saved); returns the fields to save.

    Called by the workflow inside the closing transition.
    """
    result = compute_result(application)
    application.score = result.mean
    application.stars = result.stars
    application.result = result.as_json()
    return ["score", "stars", "result"]
