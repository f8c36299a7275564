"""OCOP rating rules: stars from the score, rating level, 36-month validity, history, badges."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from catalogue import certification
from catalogue.certification import Level, add_months, stars_for_score, valid_until
from catalogue.models import OcopCertificate
from tests.factories import make_certificate, make_product

D = datetime.date


@pytest.mark.parametrize(
    "score, stars",
    [(0, None), (49, None), (50, 3), (69, 3), (70, 4), (89, 4), (90, 5), (100, 5)],
)
def test_stars_for_score_follows_the_bands(score, stars):
    assert stars_for_score(score) == stars


@pytest.mark.parametrize("score", [-1, 101, None])
def test_stars_for_score_refuses_scores_off_the_scale(score):
    with pytest.raises(ValueError):
        stars_for_score(score)


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (D(2024, 1, 31), 1, D(2024, 2, 29)),
        (D(2023, 1, 31), 1, D(2023, 2, 28)),
        (D(2024, 3, 31), 1, D(2024, 4, 30)),
        (D(2024, 12, 15), 1, D(2025, 1, 15)),
        (D(2024, 3, 31), -1, D(2024, 2, 29)),
        (D(2024, 1, 15), -13, D(2022, 12, 15)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    "decided, last_day",
    [
        (D(2023, 3, 15), D(2026, 3, 15)),
        (D(2024, 2, 29), D(2027, 2, 28)),  # no 29 Feb in 2027
        (D(2022, 12, 31), D(2025, 12, 31)),
        (D(2023, 8, 31), D(2026, 8, 31)),
    ],
)
def test_certificate_is_valid_36_months_from_the_decision(decided, last_day):
    assert valid_until(decided) == last_day


@pytest.mark.django_db
@pytest.mark.parametrize(
    "decided, last_day",
    [(D(2023, 3, 15), D(2026, 3, 15)), (D(2024, 2, 29), D(2027, 2, 28))],
)
def test_last_valid_day_and_the_day_after(decided, last_day):
    product = make_product(stars=None)
    cert = make_certificate(product, stars=4, decision_date=decided)
    assert cert.valid_until == last_day
    assert certification.current_certificate(product, on=decided) == cert
    assert certification.current_certificate(product, on=last_day) == cert
    assert certification.current_certificate(product, on=last_day + datetime.timedelta(days=1)) is None
    assert certification.current_certificate(product, on=decided - datetime.timedelta(days=1)) is None
    assert certification.certificate_status(cert, on=last_day) == "valid"
    assert certification.certificate_status(cert, on=last_day + datetime.timedelta(days=1)) == "expired"


def _certificate(**kwargs):
    values = dict(
        stars=4, score=80, rating_level=Level.PROVINCE, certifying_body="UBND tỉnh Kon Tum",
        decision_number="1/QĐ-UBND", decision_date=D(2025, 1, 10),
    )
    values.update(kwargs)
    return OcopCertificate(**values)


@pytest.mark.django_db
def test_stars_must_agree_with_the_score_with_a_clear_message():
    cert = _certificate(product=make_product(), stars=3, score=75)
    with pytest.raises(ValidationError) as exc:
        cert.full_clean()
    message = " ".join(exc.value.message_dict["stars"])
    assert "75 điểm tương ứng 4 sao" in message
    assert "50–69" in message


@pytest.mark.django_db
def test_score_below_50_is_not_certified():
    cert = _certificate(product=make_product(), stars=3, score=45, rating_level=Level.DISTRICT)
    with pytest.raises(ValidationError) as exc:
        cert.full_clean()
    assert "dưới 50 điểm" in " ".join(exc.value.message_dict["score"])


@pytest.mark.parametrize(
    "stars, score, level, ok",
    [
        (3, 60, Level.DISTRICT, True),
        (3, 60, Level.PROVINCE, True),  # after Decision 1489/QĐ-TTg (2025)
        (3, 60, Level.NATIONAL, False),
        (4, 80, Level.PROVINCE, True),
        (4, 80, Level.DISTRICT, False),
        (5, 95, Level.NATIONAL, True),
        (5, 95, Level.PROVINCE, False),
    ],
)
def test_rating_level_matches_the_stars(stars, score, level, ok):
    errors = certification.certificate_errors(stars, score, level)
    assert ("rating_level" not in errors) is ok
    if not ok:
        assert f"{stars} sao do Hội đồng" in errors["rating_level"]


def test_decision_in_the_future_is_refused():
    errors = certification.certificate_errors(4, 80, Level.PROVINCE, D(2030, 1, 1), on=D(2025, 1, 1))
    assert errors == {"decision_date": "Ngày quyết định không được ở tương lai."}


@pytest.mark.django_db
def test_database_refuses_stars_that_disagree_with_the_score():
    product = make_product()
    cert = _certificate(product=product, stars=5, score=80)
    with pytest.raises(IntegrityError), transaction.atomic():
        cert.save()


@pytest.mark.django_db
def test_a_reissued_rating_supersedes_the_older_certificate():
    product = make_product(stars=None)
    old = make_certificate(product, stars=3, decision_date=D(2023, 5, 1), rating_level=Level.DISTRICT)
    upgrade = make_certificate(product, stars=4, decision_date=D(2024, 9, 1))
    on = D(2025, 1, 1)
    assert certification.current_certificate(product, on) == upgrade
    assert certification.certificate_status(old, on) == "superseded"
    assert certification.certificate_status(upgrade, on) == "valid"
    assert list(product.ocop_certificates.all()) == [upgrade, old]  # history kept, newest first


@pytest.mark.django_db
def test_revoked_certificate_no_longer_counts():
    product = make_product(stars=None)
    cert = make_certificate(product, stars=4, decision_date=D(2024, 1, 1), revoked_on=D(2024, 6, 1))
    assert certification.current_certificate(product, D(2024, 5, 31)) == cert
    assert certification.current_certificate(product, D(2024, 6, 1)) is None
    assert certification.certificate_status(cert, D(2024, 6, 1)) == "revoked"


@pytest.mark.django_db
def test_saving_and_deleting_a_certificate_refreshes_the_badge():
    today = certification.today()
    product = make_product(stars=None)
    cert = make_certificate(product, stars=5, decision_date=today - datetime.timedelta(days=10))
    product.refresh_from_db()
    assert product.ocop_stars == 5
    cert.delete()
    product.refresh_from_db()
    assert product.ocop_stars is None


@pytest.mark.django_db
def test_refresh_product_stars_withdraws_after_expiry_and_restores_after_renewal():
    product = make_product(stars=None)
    first = make_certificate(product, stars=4, decision_date=D(2021, 6, 1))
    certification.refresh_product_stars(product, on=D(2024, 6, 1))
    assert product.ocop_stars == 4
    # The day after the last valid day the badge is withdrawn …
    assert certification.refresh_product_stars(product, on=first.valid_until + datetime.timedelta(days=1))
    assert product.ocop_stars is None
    product.refresh_from_db()
    assert product.ocop_stars is None
    # … and a renewal brings it back.
    make_certificate(product, stars=5, decision_date=D(2024, 7, 1))
    certification.refresh_product_stars(product, on=D(2024, 7, 2))
    product.refresh_from_db()
    assert product.ocop_stars == 5


@pytest.mark.django_db
def test_expiring_certificates_lists_current_ones_ending_within_90_days():
    on = D(2025, 6, 1)
    soon = make_certificate(make_product(title="Sâm dây"), decision_date=add_months(on, -36) + datetime.timedelta(days=30))
    make_certificate(make_product(title="Cà phê"), decision_date=add_months(on, -36) + datetime.timedelta(days=120))
    make_certificate(make_product(title="Mật ong"), decision_date=add_months(on, -40))  # already expired
    renewed = make_product(title="Chuối sấy")
    make_certificate(renewed, decision_date=add_months(on, -36) + datetime.timedelta(days=10))
    make_certificate(renewed, stars=5, decision_date=D(2025, 5, 1))
    assert certification.expiring_certificates(on) == [soon]


def test_no_district_council_after_the_2025_reform():
    before = certification.certificate_errors(3, 60, Level.DISTRICT, D(2025, 6, 30), on=D(2026, 1, 1))
    after = certification.certificate_errors(3, 60, Level.DISTRICT, D(2025, 7, 1), on=D(2026, 1, 1))
    assert before == {}
    assert "không còn cấp huyện" in after["rating_level"]
    assert certification.certificate_errors(3, 60, Level.PROVINCE, D(2025, 7, 1), on=D(2026, 1, 1)) == {}
