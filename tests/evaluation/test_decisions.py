"""The decision: certificates created once, 36 months, stars on the product, 5★ sent up."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail

from catalogue import certification
from shop.evaluation import decisions, scoring
from shop.evaluation.errors import EvaluationError
from shop.evaluation.models import Decision, State
from tests.evaluation.factories import world
from tests.factories import OcopCertificate, make_certificate, make_product

pytestmark = pytest.mark.django_db


def scored(w, mean, product=None):
    product = product or make_product(vendor=w.vendor, stars=None, with_image=False)
    return w.application(
        state=State.SCORED, product=product, score=Decimal(mean),
        stars=scoring.stars_for_mean(Decimal(mean)),
    )


def test_the_decision_certifies_3_and_4_stars_sends_5_up_and_refuses_below_50(
    django_capture_on_commit_callbacks,
):
    w = world()
    w.producer.email = "hung@example.vn"
    w.producer.save()
    four = scored(w, "89.90")
    three = scored(w, "69.90")
    five = scored(w, "91.00")
    low = scored(w, "49.90")
    day = datetime.date(2026, 11, 20)
    with django_capture_on_commit_callbacks(execute=True):
        outcome = decisions.record_decision(
            w.round, number="1234/QĐ-UBND", date=day, actor=w.office,
        )
    assert outcome.created
    assert {a.pk for a in outcome.certified} == {four.pk, three.pk}
    assert [a.pk for a in outcome.sent_up] == [five.pk]
    assert [a.pk for a in outcome.not_rated] == [low.pk]
    for app, state, stars, points in ((four, "rated", 4, 89), (three, "rated", 3, 69)):
        app.refresh_from_db()
        certificate = app.certificate
        assert app.state == state and app.decided_at and app.decision == outcome.decision
        assert (certificate.stars, certificate.score) == (stars, points)
        assert certificate.rating_level == "province"
        assert certificate.certifying_body == "UBND tỉnh Quảng Ngãi"
        assert (certificate.decision_number, certificate.decision_date) == ("1234/QĐ-UBND", day)
        assert certificate.valid_until == datetime.date(2029, 11, 20)  # 36 months
        app.product.refresh_from_db()
        assert app.product.ocop_stars == stars  # the storefront badge
    for app, state in ((five, "sent_up"), (low, "not_rated")):
        app.refresh_from_db()
        assert app.state == state and app.certificate is None
        assert not OcopCertificate.objects.filter(product=app.product).exists()
    assert len(mail.outbox) == 4 and mail.outbox[0].to == ["hung@example.vn"]
    assert "1234/QĐ-UBND" in mail.outbox[0].body


def test_recording_the_same_decision_twice_creates_nothing_new():
    w = world()
    app = scored(w, "75")
    day = datetime.date(2026, 11, 20)
    decisions.record_decision(w.round, number="7/QĐ", date=day, actor=w.office)
    again = decisions.record_decision(w.round, number="7/QĐ", date=day, actor=w.office)
    assert not again.created and again.applications == []
    assert Decision.objects.count() == 1
    assert OcopCertificate.objects.filter(product=app.product).count() == 1
    with pytest.raises(EvaluationError) as conflict:
        decisions.record_decision(w.round, number="7/QĐ", date=day - datetime.timedelta(days=1),
                                  actor=w.office)
    assert conflict.value.code == "decision_conflict" and conflict.value.status == 409


def test_a_certificate_already_in_the_registry_is_reused():
    """The office typed the certificate before: the decision links it, never a second one."""
    w = world()
    app = scored(w, "80")
    typed = make_certificate(app.product, stars=4, score=80, decision_number="9/QĐ",
                             decision_date=datetime.date(2026, 11, 1))
    decisions.record_decision(w.round, number="9/QĐ", date=datetime.date(2026, 11, 1),
                              actor=w.office)
    app.refresh_from_db()
    assert app.certificate == typed
    assert OcopCertificate.objects.filter(product=app.product).count() == 1


def test_a_rerating_shows_the_change_since_the_last_certificate():
    w = world()
    old = make_certificate(w.product, stars=3, score=62, decision_date=datetime.date(2023, 12, 1))
    app = scored(w, "78.5", product=w.product)
    decisions.record_decision(w.round, number="15/QĐ", date=datetime.date(2026, 11, 25),
                              actor=w.office)
    app.refresh_from_db()
    change = decisions.change_since_last(app)
    assert change["before"]["stars"] == 3 and change["before"]["number"] == old.decision_number
    assert change["after"]["stars"] == 4 and change["after"]["score"] == 78
    w.product.refresh_from_db()
    assert w.product.ocop_stars == 4
    assert certification.current_certificate(w.product) == app.certificate


def test_only_the_office_decides_and_bad_decisions_write_nothing():
    w = world()
    scored(w, "75")
    day = datetime.date(2026, 11, 20)
    for user in (w.producer, w.officer, w.chair.user):
        with pytest.raises(EvaluationError) as refused:
            decisions.record_decision(w.round, number="1/QĐ", date=day, actor=user)
        assert refused.value.code == "forbidden"
    bad = [
        {"number": " ", "date": day},
        {"number": "1/QĐ", "date": certification.today() + datetime.timedelta(days=1)},
        {"number": "1/QĐ", "date": day, "rating_level": "district"},  # no district since 7/2025
        {"number": "1/QĐ", "date": day, "rating_level": "national"},
    ]
    for kwargs in bad:
        with pytest.raises(EvaluationError) as invalid:
            decisions.record_decision(w.round, actor=w.office, **kwargs)
        assert invalid.value.code == "invalid_decision", kwargs
    assert not Decision.objects.exists() and not OcopCertificate.objects.exists()


def test_nothing_to_decide():
    w = world()
    w.application(state=State.SCORING)
    with pytest.raises(EvaluationError) as empty:
        decisions.record_decision(w.round, number="1/QĐ", date=datetime.date(2026, 11, 20),
                                  actor=w.office)
    assert empty.value.code == "nothing_to_decide"


def test_a_decision_may_cover_only_the_named_applications():
    w = world()
    first, second = scored(w, "72"), scored(w, "81")
    outcome = decisions.record_decision(w.round, number="2/QĐ", date=datetime.date(2026, 11, 20),
                                        actor=w.office, applications=[first])
    assert [a.pk for a in outcome.certified] == [first.pk]
    second.refresh_from_db()
    assert second.state == State.SCORED
    assert list(decisions.decidable(w.round)) == [second]
