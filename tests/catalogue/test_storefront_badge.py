"""The storefront's star badge follows the certificate registry: gone after expiry, back after renewal."""

import datetime

import pytest
from django.core.management import call_command

from catalogue import certification
from tests.factories import make_certificate, make_product

pytestmark = pytest.mark.django_db

BADGE = "ocop-stars--4"  # themes/ocop/templates/ocop/partials/star_badge.html


def _page(client, product):
    response = client.get(product.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_badge_hidden_after_expiry_and_shown_after_renewal(client):
    today = certification.today()
    product = make_product(title="Cà phê Đăk Hà", stars=None)
    # Signed 36 months ago minus one day: yesterday was its last valid day.
    make_certificate(product, stars=4, decision_date=certification.add_months(today, -36) - datetime.timedelta(days=1))
    product.refresh_from_db()
    assert product.ocop_stars is None
    assert BADGE not in _page(client, product)

    renewal = make_certificate(product, stars=4, decision_date=today)
    product.refresh_from_db()
    assert product.ocop_stars == 4
    assert BADGE in _page(client, product)

    # The day after the renewal's last valid day, the daily command withdraws it again.
    day_after = renewal.valid_until + datetime.timedelta(days=1)
    call_command("refresh_ocop_badges", "--date", day_after.isoformat(), "--no-email", stdout=open("/dev/null", "w"))
    product.refresh_from_db()
    assert product.ocop_stars is None
    assert BADGE not in _page(client, product)
