"""The round's three deadlines and which application is overdue, for whom.

* ``applications_until`` — the producer's: a *first* submission after it is refused
  (:mod:`shop.evaluation.workflow`, ``deadline_passed``).
* ``commune_check_until`` — the commune officer's: an application still waiting for
  the check (``submitted``) after that day is **overdue for the commune**.
* ``scoring_until`` — the council's: an application still being scored (``scoring``)
  after that day is **overdue for the council**.

Overdue is shown (the commune's and the council's lists, the office's list and its
``overdue`` filter, the application's page), never a refusal: a late check or a
late score is still the one that counts; the office moves the round's dates when it
grants more time. A deadline is met through the whole of its day (Việt Nam's day,
``timezone.localdate``).
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.evaluation.models import State


@dataclass(frozen=True)
class Overdue:
    """Whose deadline an application missed, and which day it was."""

    who: str  # "commune" | "council"
    deadline: object  # datetime.date
    label: str


WAITING_FOR = {
    # state → (whose turn, the round's date field, what the badge says)
    State.SUBMITTED: ("commune", "commune_check_until", _("Quá hạn xã kiểm tra")),
    State.SCORING: ("council", "scoring_until", _("Quá hạn chấm điểm")),
}


def overdue(application, today=None):
    """The :class:`Overdue` of ``application`` (its round loaded), or None when on time."""
    waiting = WAITING_FOR.get(application.state)
    if waiting is None:
        return None
    who, field, label = waiting
    deadline = getattr(application.round, field)
    today = today or timezone.localdate()
    if today <= deadline:
        return None
    return Overdue(who=who, deadline=deadline, label=str(label))


def overdue_q(today=None):
    """A filter of the applications that are overdue ``today`` (for querysets of applications)."""
    today = today or timezone.localdate()
    condition = Q(pk__in=[])
    for state, (_who, field, _label) in WAITING_FOR.items():
        condition |= Q(state=state, **{f"round__{field}__lt": today})
    return condition


def overdue_count(queryset, today=None):
    return queryset.filter(overdue_q(today)).count()


__all__ = ["Overdue", "overdue", "overdue_q", "overdue_count", "WAITING_FOR"]
