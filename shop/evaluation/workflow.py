"""The application's state machine: every state, every move, who may make it.

State diagram (``TRANSITIONS`` below is the one source; this text mirrors it)::

    draft ──submit (producer)──▶ submitted ──forward (commune officer | office)──▶ forwarded
      │                          │    ▲                                              │
      │                          │    └──submit again (producer)── returned ◀──┐     │
      │                          └──return with reasons (commune officer | office)─┘ │
      │                                                     forwarded ──return (office)──▶ returned
      │                                                     forwarded ──open scoring (office)──▶ scoring
      │                                                     scoring ──close (council chair)──▶ scored
      │                                                     scored ──decision (office)──▶ rated | not_rated | sent_up
      └─ draft | submitted | returned | forwarded ──withdraw (producer)──▶ withdrawn

Rules of the moves:

* **Who.** The actor must hold one of the move's roles on *this* application
  (:func:`shop.evaluation.access.roles_for`): ``producer`` (a user of the
  application's vendor), ``commune`` (the officer of the vendor's commune),
  ``office`` (district office), ``chair`` (chair of the round's council). Else
  ``EvaluationError("forbidden", 403)``. A move not in the table from the current
  state is ``"illegal_transition"`` (409) — whoever asks.
* **Reasons.** Returning an application (``returned``) needs a reason the producer
  reads (``"reason_required"``, 400). Any move may carry a comment.
* **Submitting** (from draft or returned) needs the round open (``"round_closed"``),
  a product of the vendor named (``"product_required"``: a new product must first
  exist as the vendor's listing, public or not yet), a group with a list of
  mandatory documents (``"documents_unconfigured"``, 409: the office must set the
  list first — never an empty dossier) and every mandatory document of the
  group's list, current and not expired (``"documents_missing"``, see
  :mod:`shop.evaluation.documents`). The *first* submission must be on or before
  the round's ``applications_until`` (``"deadline_passed"``); a resubmission after
  a return is accepted while the round is open.
* **Opening scoring** needs the round's council with a chair (``"council_missing"``)
  and an active scoring sheet for the application's group (``"sheet_missing"``).
* **Closing scoring** (chair) needs every council member's scorecard submitted
  (``"scores_missing"``); it freezes the result (:func:`tally.freeze_result`:
  mean, stars, per-part breakdown, flagged criteria) on the application.
* **Decided states** (``rated``/``not_rated``/``sent_up``) are only reached through
  :func:`shop.evaluation.decisions.record_decision`: the application must carry
  its decision (``"decision_required"``) and the state must match its stars
  (``"stars_mismatch"``: 3–4★ rated, 5★ sent up, below 50 not rated).
* **Atomic.** :func:`transition` locks the application row
  (``select_for_update``), re-reads its state, checks, writes the new state, its
  timestamp and one :class:`ApplicationEvent` (actor, time, from, to, reason) in
  one transaction; a refused move writes nothing.
* **History is never rewritten.** Events are only added; a correction is a new
  event of kind ``correction`` carrying its reason (:func:`add_note`).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shop.evaluation import access, documents, tally
from shop.evaluation.access import CHAIR, COMMUNE, OFFICE, PRODUCER
from shop.evaluation.errors import EvaluationError
from shop.evaluation.models import Application, ApplicationEvent, Council, ScoringSheet, State
from shop.evaluation.tally import outcome_for_stars

__all__ = ["TRANSITIONS", "transition", "allowed_transitions", "add_note", "return_reasons",
           "outcome_for_stars", "can_move", "ACTION_LABELS", "REASON_REQUIRED"]

DRAFT = State.DRAFT
SUBMITTED = State.SUBMITTED
RETURNED = State.RETURNED
FORWARDED = State.FORWARDED
SCORING = State.SCORING
SCORED = State.SCORED
RATED = State.RATED
NOT_RATED = State.NOT_RATED
SENT_UP = State.SENT_UP
WITHDRAWN = State.WITHDRAWN

# (from, to) → roles that may make the move. THE table.
TRANSITIONS = {
    (DRAFT, SUBMITTED): frozenset({PRODUCER}),
    (RETURNED, SUBMITTED): frozenset({PRODUCER}),
    (SUBMITTED, FORWARDED): frozenset({COMMUNE, OFFICE}),
    (SUBMITTED, RETURNED): frozenset({COMMUNE, OFFICE}),
    (FORWARDED, RETURNED): frozenset({OFFICE}),
    (FORWARDED, SCORING): frozenset({OFFICE}),
    (SCORING, SCORED): frozenset({CHAIR}),
    (SCORED, RATED): frozenset({OFFICE}),
    (SCORED, NOT_RATED): frozenset({OFFICE}),
    (SCORED, SENT_UP): frozenset({OFFICE}),
    (DRAFT, WITHDRAWN): frozenset({PRODUCER}),
    (SUBMITTED, WITHDRAWN): frozenset({PRODUCER}),
    (RETURNED, WITHDRAWN): frozenset({PRODUCER}),
    (FORWARDED, WITHDRAWN): frozenset({PRODUCER}),
}

# moves that need a reason
REASON_REQUIRED = frozenset({(SUBMITTED, RETURNED), (FORWARDED, RETURNED)})
# the decided states and the stars each stands for
DECIDED = (RATED, NOT_RATED, SENT_UP)
FINAL = (RATED, NOT_RATED, SENT_UP, WITHDRAWN)
# which timestamp a move into a state sets
TIMESTAMPS = {
    SUBMITTED: "submitted_at",
    FORWARDED: "forwarded_at",
    SCORED: "scored_at",
    RATED: "decided_at",
    NOT_RATED: "decided_at",
    SENT_UP: "decided_at",
}

# what the buttons say (views may use them)
ACTION_LABELS = {
    SUBMITTED: gettext_lazy("Nộp hồ sơ"),
    FORWARDED: gettext_lazy("Chuyển lên Hội đồng"),
    RETURNED: gettext_lazy("Trả lại để bổ sung"),
    SCORING: gettext_lazy("Mở chấm điểm"),
    SCORED: gettext_lazy("Kết thúc chấm điểm"),
    WITHDRAWN: gettext_lazy("Rút hồ sơ"),
    RATED: gettext_lazy("Công nhận"),
    NOT_RATED: gettext_lazy("Không công nhận"),
    SENT_UP: gettext_lazy("Đề nghị cấp trung ương"),
}


def can_move(from_state, to_state, roles):
    """True when one of ``roles`` may move an application from ``from_state`` to ``to_state``."""
    allowed = TRANSITIONS.get((from_state, to_state))
    return bool(allowed and allowed & set(roles))


def allowed_transitions(application, user):
    """The states ``user`` may move ``application`` to now (by role only; guards run on the move).

    The decided states are left out: they are reached by recording a decision.
    """
    roles = access.roles_for(user, application)
    return [
        to for (frm, to), allowed in TRANSITIONS.items()
        if frm == application.state and to not in DECIDED and allowed & roles
    ]


def _check(application, to_state, actor, reason, roles):
    """Raise :class:`EvaluationError` when the move may not be made; write nothing."""
    from_state = application.state
    move = (from_state, to_state)
    if move not in TRANSITIONS:
        raise EvaluationError(
            "illegal_transition",
            _("Không thể chuyển hồ sơ từ trạng thái “%(from)s” sang “%(to)s”.") % {
                "from": State(from_state).label, "to": State(to_state).label,
            },
            status=409,
        )
    if not TRANSITIONS[move] & roles:
        raise EvaluationError(
            "forbidden", _("Bạn không có quyền thực hiện thao tác này với hồ sơ."), status=403
        )
    if move in REASON_REQUIRED and not (reason or "").strip():
        raise EvaluationError(
            "reason_required", _("Hãy ghi rõ lý do trả lại để chủ thể bổ sung hồ sơ.")
        )
    round_ = application.round
    if to_state == SUBMITTED or (to_state == WITHDRAWN):
        if not round_.is_open:
            raise EvaluationError(
                "round_closed", _("Đợt đánh giá đã đóng."), status=409
            )
    if to_state == SUBMITTED:
        if from_state == DRAFT and timezone.localdate() > round_.applications_until:
            raise EvaluationError(
                "deadline_passed",
                _("Đã hết hạn nộp hồ sơ của đợt đánh giá (ngày %(day)s).") % {
                    "day": round_.applications_until.strftime("%d/%m/%Y"),
                },
                status=409,
            )
        if application.product_id is None or application.product.producer_id != application.vendor_id:
            raise EvaluationError(
                "product_required",
                _("Hãy chọn sản phẩm của chủ thể trước khi nộp hồ sơ (sản phẩm mới cần được tạo "
                  "trong trang của chủ thể trước)."),
            )
        documents.check_configured(application)
        missing = documents.missing_documents(application)
        if missing:
            raise EvaluationError(
                "documents_missing",
                _("Hồ sơ còn thiếu hoặc có giấy tờ hết hạn: %(kinds)s.") % {
                    "kinds": ", ".join(str(kind.name) for kind in missing),
                },
            )
    if to_state == SCORING:
        council = Council.objects.filter(round=round_).first()
        if council is None or not council.members.filter(role="chair").exists():
            raise EvaluationError(
                "council_missing",
                _("Đợt đánh giá chưa có Hội đồng (với chủ tịch hội đồng)."),
                status=409,
            )
        if not ScoringSheet.objects.filter(group_id=application.group_id, is_active=True).exists():
            raise EvaluationError(
                "sheet_missing",
                _("Nhóm sản phẩm “%(group)s” chưa có phiếu chấm điểm.") % {
                    "group": application.group.name,
                },
                status=409,
            )
    if to_state == SCORED:
        missing = tally.members_not_submitted(application)
        if missing:
            raise EvaluationError(
                "scores_missing",
                _("Còn thành viên chưa nộp phiếu chấm: %(names)s.") % {
                    "names": ", ".join(tally.member_name(m) for m in missing),
                },
                status=409,
            )
    if to_state in DECIDED:
        if application.decision_id is None:
            raise EvaluationError(
                "decision_required",
                _("Kết quả chỉ được ghi nhận cùng quyết định công nhận."),
                status=409,
            )
        expected = outcome_for_stars(application.stars)
        if expected != to_state:
            raise EvaluationError(
                "stars_mismatch",
                _("Kết quả không khớp với điểm của Hội đồng."),
                status=409,
            )


def transition(application, to_state, *, actor, reason=""):
    """Move ``application`` to ``to_state`` as ``actor``; returns the :class:`ApplicationEvent`.

    Locks the row, re-reads the state, checks the move (raising
    :class:`EvaluationError` with its code, nothing written), then writes the
    state, its timestamp and the event atomically. ``application`` is updated in
    place. Closing scoring (``scored``) also freezes the council's result.
    """
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update(of=("self",))
            .select_related("round", "vendor", "product", "group")
            .get(pk=application.pk)
        )
        roles = access.roles_for(actor, locked)
        _check(locked, to_state, actor, reason, roles)
        from_state = locked.state
        locked.state = to_state
        fields = ["state", "updated_at"]
        stamp = TIMESTAMPS.get(to_state)
        if stamp:
            setattr(locked, stamp, timezone.now())
            fields.append(stamp)
        if to_state == SCORED:
            fields += tally.freeze_result(locked)
        locked.save(update_fields=fields)
        event = ApplicationEvent.objects.create(
            application=locked, kind=ApplicationEvent.Kind.TRANSITION, actor=actor,
            from_state=from_state, to_state=to_state, reason=(reason or "").strip(),
        )
    for field in set(fields) | {"state"}:
        setattr(application, field, getattr(locked, field))
    return event


def add_note(application, *, actor, text, correction=False):
    """Add a comment (or, with ``correction``, a correction that must say why) to the history.

    Whoever sees the application may comment; nothing earlier is changed.
    """
    text = (text or "").strip()
    if not access.can_view_application(actor, application):
        raise EvaluationError(
            "forbidden", _("Bạn không có quyền thực hiện thao tác này với hồ sơ."), status=403
        )
    if not text:
        raise EvaluationError(
            "reason_required",
            _("Hãy ghi lý do đính chính.") if correction else _("Hãy nhập nội dung ý kiến."),
        )
    kind = ApplicationEvent.Kind.CORRECTION if correction else ApplicationEvent.Kind.COMMENT
    return ApplicationEvent.objects.create(
        application=application, kind=kind, actor=actor, reason=text,
        from_state=application.state, to_state=application.state,
    )


def return_reasons(application):
    """The reasons of the returns, newest first (what the producer reads)."""
    return list(
        application.events.filter(kind=ApplicationEvent.Kind.TRANSITION, to_state=RETURNED)
        .select_related("actor").order_by("-at", "-pk")
    )
