"""The office's decision: from the council's closed results to the certificate registry.

Rules:

* **Who.** Only the district office (:func:`shop.evaluation.access.is_office`),
  else ``"forbidden"`` (403).
* **What it covers.** :func:`record_decision` takes the round's applications whose
  scoring the chair closed (``scored``) and that carry no decision yet — all of
  them, or the ones named. None left and no such decision yet: ``"nothing_to_decide"``
  (409).
* **The decision** (number, date, issuing body, level; body and level default to the
  round's) is one row per round and number. Its date may not be in the future,
  and its level must be able to certify the stars it carries (since 1 July 2025 no
  district level; 3–4★ by the province) — else ``"invalid_decision"`` (400), nothing
  written.
* **Per application**, by its frozen stars (:mod:`shop.evaluation.scoring`):
  3★ or 4★ → ``rated``, and its catalogue :class:`OcopCertificate` is created:
  score = floor of the mean, stars, level, certifying body, decision number and
  date; ``valid_until`` = decision date + 36 months (computed by the catalogue).
  5★ candidate → ``sent_up`` to the central level: recorded, *not* certified here
  (the central level's certificate is typed into the registry when it comes).
  Below 50 → ``not_rated``.
* **Idempotent.** Recording the same decision (same round, number, date, body) again
  creates nothing new: the decision is found, the applications it already covers are
  skipped, and the certificate is found by (product, decision number) — the
  registry's own unique constraint. The same number with another date or body is
  ``"decision_conflict"`` (409).
* **After it.** The product's stars (``Product.ocop_stars``, the storefront badge) are
  refreshed from the registry (:func:`catalogue.certification.refresh_product_stars`),
  and, once the transaction committed, the producer's users are emailed the result.
* **Nothing rewritten.** A new certificate never replaces an old one: the registry
  keeps both, the newer decision wins (:func:`catalogue.certification.current_certificate`).
  :func:`change_since_last` shows a re-rating's change against the product's
  previous certificate.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalogue import certification
from shop.evaluation import access, scoring, workflow
from shop.evaluation.errors import EvaluationError
from shop.evaluation.models import Application, Decision, State


@dataclass
class DecisionOutcome:
    decision: Decision
    created: bool = False
    certified: list = field(default_factory=list)  # applications rated, with .certificate
    sent_up: list = field(default_factory=list)
    not_rated: list = field(default_factory=list)

    @property
    def applications(self):
        return self.certified + self.sent_up + self.not_rated


def decidable(round_):
    """The round's closed applications still waiting for a decision."""
    return (
        Application.objects.filter(round=round_, state=State.SCORED, decision__isnull=True)
        .select_related("vendor", "product", "group").order_by("pk")
    )


def _invalid(message):
    return EvaluationError("invalid_decision", message)


def _check_decision(number, date, body, level, stars_present):
    if not (number or "").strip():
        raise _invalid(_("Hãy nhập số quyết định."))
    if not (body or "").strip():
        raise _invalid(_("Hãy nhập cơ quan ban hành quyết định."))
    if not isinstance(date, datetime.date):
        raise _invalid(_("Ngày quyết định không hợp lệ."))
    if level not in dict(certification.Level.CHOICES):
        raise _invalid(_("Cấp đánh giá không hợp lệ."))
    for stars in sorted(stars_present & {3, 4}) or [None]:
        errors = certification.certificate_errors(stars, None, level if stars else None, date)
        if errors:
            raise _invalid(" ".join(str(m) for m in errors.values()))


def record_decision(round_, *, number, date, actor, body=None, rating_level=None,
                    applications=None):
    """Record the decision and apply it to the round's scored applications.

    ``applications``: the ones it covers (default: every scored application of the
    round without a decision). Returns a :class:`DecisionOutcome`; raises
    :class:`EvaluationError` (``forbidden``, ``invalid_decision``,
    ``decision_conflict``, ``nothing_to_decide``) with nothing written.
    """
    if not access.is_office(actor):
        raise EvaluationError(
            "forbidden", _("Chỉ Phòng Nông nghiệp ghi nhận quyết định công nhận."), status=403
        )
    number = (number or "").strip()
    body = (body or round_.certifying_body or "").strip()
    level = rating_level or round_.rating_level
    with transaction.atomic():
        candidates = decidable(round_)
        if applications is not None:
            candidates = candidates.filter(pk__in=[getattr(a, "pk", a) for a in applications])
        candidates = list(candidates.select_for_update(of=("self",)))
        _check_decision(number, date, body, level, {a.stars for a in candidates})
        decision = Decision.objects.filter(round=round_, number=number).first()
        created = False
        if decision is not None:
            if decision.date != date or decision.body != body:
                raise EvaluationError(
                    "decision_conflict",
                    _("Số quyết định %(number)s đã được ghi nhận với ngày hoặc cơ quan ban "
                      "hành khác.") % {"number": number},
                    status=409,
                )
        elif not candidates:
            raise EvaluationError(
                "nothing_to_decide",
                _("Không có hồ sơ nào đã chấm xong đang chờ quyết định."), status=409,
            )
        else:
            decision = Decision.objects.create(
                round=round_, number=number, date=date, body=body, rating_level=level,
                recorded_by=actor,
            )
            created = True
        outcome = DecisionOutcome(decision=decision, created=created)
        for application in candidates:
            _apply(application, decision, actor, outcome)
    return outcome


def _apply(application, decision, actor, outcome):
    OcopCertificate = get_model("catalogue", "OcopCertificate")
    to_state = workflow.outcome_for_stars(application.stars)
    application.decision = decision
    fields = ["decision"]
    if to_state == State.RATED:
        certificate, _created = OcopCertificate.objects.get_or_create(
            product=application.product, decision_number=decision.number,
            defaults={
                "stars": application.stars,
                "score": scoring.certificate_score(application.score),
                "rating_level": decision.rating_level,
                "certifying_body": decision.body,
                "decision_date": decision.date,
            },
        )
        application.certificate = certificate
        fields.append("certificate")
    application.save(update_fields=fields)
    workflow.transition(
        application, to_state, actor=actor,
        reason=_("Quyết định số %(number)s ngày %(date)s") % {
            "number": decision.number, "date": decision.date.strftime("%d/%m/%Y"),
        },
    )
    if to_state == State.RATED:
        certification.refresh_product_stars(application.product)
        outcome.certified.append(application)
    elif to_state == State.SENT_UP:
        outcome.sent_up.append(application)
    else:
        outcome.not_rated.append(application)
    pk = application.pk
    transaction.on_commit(lambda: notify_producer(pk))


def _result_text(application):
    if application.state == State.RATED:
        return _("Sản phẩm được công nhận %(stars)d sao OCOP với %(score)s điểm.") % {
            "stars": application.stars, "score": application.score,
        }
    if application.state == State.SENT_UP:
        return _("Sản phẩm đạt %(score)s điểm và được đề nghị cấp trung ương đánh giá, "
                 "công nhận 5 sao.") % {"score": application.score}
    return _("Sản phẩm đạt %(score)s điểm, chưa đủ điểm để công nhận hạng sao OCOP.") % {
        "score": application.score,
    }


def notify_producer(application_pk):
    """Email the producer's users the application's result (after the decision committed)."""
    application = (
        Application.objects.select_related("vendor__partner", "product", "decision")
        .filter(pk=application_pk).first()
    )
    if application is None or application.decision is None:
        return 0
    recipients = sorted({
        u.email for u in application.vendor.partner.users.filter(is_active=True) if u.email
    })
    if not recipients:
        return 0
    subject = _("Kết quả đánh giá, phân hạng sản phẩm OCOP: %(product)s") % {
        "product": application.product_name,
    }
    text = "\n\n".join([
        _result_text(application),
        _("Quyết định số %(number)s ngày %(date)s của %(body)s.") % {
            "number": application.decision.number,
            "date": application.decision.date.strftime("%d/%m/%Y"),
            "body": application.decision.body,
        },
    ])
    return send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True)


def change_since_last(application):
    """A re-rating's change: ``{"before": (stars, score, number, date) | None, "after": ...}``.

    ``before`` is the product's latest certificate decided before this application's
    decision (or before today while undecided).
    """
    if application.product_id is None:
        return {"before": None, "after": None}
    OcopCertificate = get_model("catalogue", "OcopCertificate")
    certificates = OcopCertificate.objects.filter(product_id=application.product_id)
    if application.certificate_id:
        certificates = certificates.exclude(pk=application.certificate_id).filter(
            decision_date__lte=application.certificate.decision_date
        )
    else:
        certificates = certificates.filter(decision_date__lte=timezone.localdate())
    before = certificates.order_by("-decision_date", "-pk").first()

    def row(c):
        return None if c is None else {
            "stars": c.stars, "score": c.score, "number": c.decision_number,
            "date": c.decision_date, "valid_until": c.valid_until,
        }

    return {"before": row(before), "after": row(application.certificate)}
