"""The daily command: badges follow the registry, the office hears of expiring certificates."""

import datetime
import io

import pytest
from django.contrib.auth.models import Group, User
from django.core import mail
from django.core.management import call_command

from catalogue.certification import add_months
from shop.core.roles import DISTRICT_OFFICE
from tests.factories import make_certificate, make_product

pytestmark = pytest.mark.django_db

ON = datetime.date(2025, 6, 1)


def _run(*args, on=ON):
    out = io.StringIO()
    call_command("refresh_ocop_badges", "--date", on.isoformat(), *args, stdout=out)
    return out.getvalue()


def _office_user(email="phongnn@dakha.gov.vn"):
    group, _ = Group.objects.get_or_create(name=DISTRICT_OFFICE)
    user = User.objects.create_user("office", email=email, password="x" * 12, is_staff=True)
    user.groups.add(group)
    return user


def test_withdraws_expired_badges_and_lists_certificates_expiring_within_90_days():
    expired = make_product(title="Mật ong Đăk Ui", stars=None)
    make_certificate(expired, stars=3, rating_level="district", decision_date=add_months(ON, -36) - datetime.timedelta(days=1))
    soon = make_product(title="Cà phê Robusta Đăk Hà", stars=None)
    make_certificate(soon, stars=4, decision_number="77/QĐ-UBND",
                     decision_date=add_months(ON, -36) + datetime.timedelta(days=45))
    later = make_product(title="Chuối sấy", stars=None)
    make_certificate(later, stars=5, decision_date=datetime.date(2024, 12, 1))
    _run("--no-email", on=ON - datetime.timedelta(days=1))  # the badges as they were yesterday
    expired.refresh_from_db()
    assert expired.ocop_stars == 3
    uncertified = make_product(title="Rượu cần", stars=4)  # a badge without a certificate
    _office_user()

    output = _run()

    for product, stars in [(expired, None), (soon, 4), (later, 5), (uncertified, None)]:
        product.refresh_from_db()
        assert product.ocop_stars == stars, product.title
    assert "Thu hồi huy hiệu 3 sao: Mật ong Đăk Ui" in output
    assert "Thu hồi huy hiệu 4 sao: Rượu cần" in output
    assert "hết hạn trong 90 ngày tới" in output
    assert (
        f"Cà phê Robusta Đăk Hà ({soon.producer.name}): 4 sao, QĐ 77/QĐ-UBND, "
        "hết hiệu lực 16/07/2025 (còn 45 ngày)"
    ) in output
    assert "Chuối sấy" not in output.split("hết hạn trong")[1]

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["phongnn@dakha.gov.vn"]
    assert "77/QĐ-UBND" in mail.outbox[0].body


def test_is_quiet_when_nothing_changes_or_expires():
    product = make_product(stars=None)
    make_certificate(product, stars=5, decision_date=datetime.date(2025, 1, 1))
    _office_user()
    output = _run()
    assert "Đã cập nhật 0 sản phẩm." in output
    assert "Không có giấy chứng nhận nào hết hạn" in output
    assert mail.outbox == []


def test_no_email_option_only_prints():
    product = make_product(stars=None)
    make_certificate(product, decision_date=add_months(ON, -36) + datetime.timedelta(days=5))
    _office_user()
    output = _run("--no-email")
    assert "(còn 5 ngày)" in output
    assert mail.outbox == []


def test_badge_shown_again_after_renewal():
    product = make_product(stars=None)
    make_certificate(product, stars=4, decision_date=add_months(ON, -40))
    _run()
    product.refresh_from_db()
    assert product.ocop_stars is None
    make_certificate(product, stars=4, decision_date=ON - datetime.timedelta(days=3))
    _run()
    product.refresh_from_db()
    assert product.ocop_stars == 4
