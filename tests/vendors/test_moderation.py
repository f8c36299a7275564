"""Moderation: nothing a producer proposes is seen by shoppers before the office approves it."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from oscar.templatetags.currency_filters import currency

from tests.vendors.conftest import jpeg_upload, pdf_upload
from vendors import moderation
from vendors.models import ChangeRequest

pytestmark = pytest.mark.django_db


def _shopper_sees(product):
    response = Client().get(product.get_absolute_url())
    return response.status_code, response.content.decode()


def _vnd(amount):
    with translation.override("vi"):
        return currency(amount, "VND")


def test_new_product_is_hidden_until_approved(producer_a, office):
    change = moderation.propose_new_product(
        producer_a.vendor, producer_a.user,
        {"title": "Sâm dây Ngọc Linh", "price": "350000", "description": "Củ sâm dây."},
    )
    product = change.product
    assert product.is_public is False and not product.stockrecords.exists()
    assert _shopper_sees(product)[0] == 404
    assert "Sâm dây Ngọc Linh" not in Client().get(reverse("catalogue:index")).content.decode()

    moderation.apply_change(change, office)
    product.refresh_from_db()
    status, page = _shopper_sees(product)
    assert status == 200 and _vnd(350000) in page
    assert "Sâm dây Ngọc Linh" in Client().get(reverse("catalogue:index")).content.decode()


def test_price_change_applies_only_on_approval(producer_a, office):
    product = producer_a.product
    old_price = producer_a.stockrecord.price
    change = moderation.propose_update(product, producer_a.user, {"price": "175000"})
    assert change.kind == ChangeRequest.Kind.UPDATE
    assert change.proposed == {"price": "175000"}
    assert change.previous == {"price": str(int(old_price))}
    producer_a.stockrecord.refresh_from_db()
    assert producer_a.stockrecord.price == old_price
    assert _vnd(175000) not in _shopper_sees(product)[1]

    moderation.apply_change(change, office)
    producer_a.stockrecord.refresh_from_db()
    assert producer_a.stockrecord.price == 175000
    assert _vnd(175000) in _shopper_sees(product)[1]


def test_title_and_claims_change_waits_and_reject_keeps_old(producer_a, office):
    product = producer_a.product
    old_title = product.title
    change = moderation.propose_update(
        product, producer_a.user, {"title": "Cà phê chữa bách bệnh", "product_story": "Thần dược"}
    )
    assert "Cà phê chữa bách bệnh" not in _shopper_sees(product)[1]
    moderation.reject_change(change, office, "Không được quảng cáo công dụng chữa bệnh.")
    change.refresh_from_db()
    product.refresh_from_db()
    assert change.status == ChangeRequest.Status.REJECTED
    assert change.reason == "Không được quảng cáo công dụng chữa bệnh."
    assert change.reviewed_by == office
    assert product.title == old_title
    assert "Cà phê chữa bách bệnh" not in _shopper_sees(product)[1]


def test_photo_appears_only_after_approval(producer_a, office):
    product = producer_a.product
    before = product.images.count()
    change = moderation.propose_photo(product, producer_a.user, jpeg_upload("moi.jpg"), "Gói 500 g")
    assert product.images.count() == before
    moderation.apply_change(change, office)
    assert product.images.count() == before + 1
    image = product.images.order_by("-display_order").first()
    assert image.caption == "Gói 500 g"
    assert image.original.url in _shopper_sees(product)[1] or image.original.name


def test_certificate_waits_then_moves_the_badge(producer_a, office):
    product = producer_a.product
    assert product.ocop_stars == 4
    data = {
        "stars": 5, "score": 93, "rating_level": "national",
        "certifying_body": "Bộ Nông nghiệp và Môi trường", "decision_number": "12/QĐ-BNN",
        "decision_date": datetime.date.today() - datetime.timedelta(days=3),
    }
    change = moderation.propose_certificate(product, producer_a.user, data, pdf_upload())
    product.refresh_from_db()
    assert product.ocop_stars == 4 and "ocop-stars--5" not in _shopper_sees(product)[1]
    moderation.apply_change(change, office)
    product.refresh_from_db()
    assert product.ocop_stars == 5
    certificate = product.ocop_certificates.get(decision_number="12/QĐ-BNN")
    assert certificate.scan.name.endswith(".pdf")
    assert "ocop-stars--5" in _shopper_sees(product)[1]


def test_a_reviewed_change_cannot_be_reviewed_again(producer_a, office):
    change = producer_a.change
    moderation.apply_change(change, office)
    with pytest.raises(moderation.ModerationError):
        moderation.apply_change(change, office)
    with pytest.raises(moderation.ModerationError):
        moderation.reject_change(change, office, "muộn")
    with pytest.raises(moderation.ModerationError):
        moderation.withdraw_change(change, producer_a.user)


def test_reject_needs_a_reason(producer_a, office):
    with pytest.raises(moderation.ModerationError, match="lý do"):
        moderation.reject_change(producer_a.change, office, "   ")


def test_no_change_is_refused(producer_a):
    with pytest.raises(moderation.ModerationError, match="Không có thay đổi"):
        moderation.propose_update(
            producer_a.product, producer_a.user, {"price": str(int(producer_a.stockrecord.price))}
        )


@pytest.mark.parametrize("price", ["0", "-5", "12.5x", "abc", "100000000000", "1500,5"])
def test_bad_prices_are_refused(price):
    with pytest.raises(moderation.ValidationError):
        moderation.clean_price(price)


@pytest.mark.parametrize("price, expected", [("150000", 150000), ("150.000", 150000), ("1 250 000", 1250000)])
def test_prices_as_people_type_them(price, expected):
    assert moderation.clean_price(price) == expected


def test_office_queue_shows_old_and_new_side_by_side_and_decides(client, producer_a, office):
    client.force_login(office)
    response = client.get(reverse("vendors:review-queue"))
    assert response.status_code == 200
    page = response.content.decode()
    assert producer_a.product.title in page and "199000" in page
    assert str(int(producer_a.stockrecord.price)) in page  # the old price beside the new

    url = reverse("vendors:review", args=[producer_a.change.pk])
    refused = client.post(url, {"decision": "reject", "reason": ""})
    assert refused.status_code == 400 and "lý do" in refused.content.decode()
    response = client.post(url, {"decision": "reject", "reason": "Giá quá cao so với thị trường."})
    assert response.status_code == 302
    producer_a.change.refresh_from_db()
    assert producer_a.change.status == ChangeRequest.Status.REJECTED

    # The producer sees the reason.
    producer = Client()
    producer.force_login(producer_a.user)
    assert "Giá quá cao so với thị trường." in producer.get(reverse("vendors:changes")).content.decode()
    assert "Giá quá cao so với thị trường." in producer.get(reverse("vendors:home")).content.decode()


def test_office_approves_a_photo_from_the_queue(client, producer_a, office):
    client.force_login(office)
    assert client.get(reverse("vendors:review-file", args=[producer_a.file_change.pk])).status_code == 200
    response = client.post(reverse("vendors:review", args=[producer_a.file_change.pk]), {"decision": "approve"})
    assert response.status_code == 302
    producer_a.file_change.refresh_from_db()
    assert producer_a.file_change.status == ChangeRequest.Status.APPROVED


def test_staff_outside_the_office_cannot_review(client, producer_a, customer):
    customer.is_staff = True
    customer.save()
    client.force_login(customer)
    assert client.get(reverse("vendors:review-queue")).status_code == 403
    assert client.post(reverse("vendors:review", args=[producer_a.change.pk]), {"decision": "approve"}).status_code == 403


def test_review_queue_has_a_fixed_query_budget(client, office, producer_a, django_assert_max_num_queries):
    client.force_login(office)
    client.get(reverse("vendors:review-queue"))
    with django_assert_max_num_queries(20):
        assert client.get(reverse("vendors:review-queue")).status_code == 200
    for n in range(10):
        moderation.propose_update(producer_a.product, producer_a.user, {"title": f"Tên mới {n}"})
    with django_assert_max_num_queries(20):
        assert client.get(reverse("vendors:review-queue")).status_code == 200
