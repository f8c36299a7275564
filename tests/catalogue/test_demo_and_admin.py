"""The demo certification hook and the office's admin pages for certificates and batches."""

import datetime
import io

import pytest
from django.urls import reverse

from catalogue import barcodes, certification
from catalogue.demo import load_demo_certification
from catalogue.models import Batch, OcopCertificate, Product
from tests.factories import make_batch, make_certificate, make_product

pytestmark = pytest.mark.django_db


def test_demo_certification_is_idempotent_and_covers_the_cases():
    today = datetime.date(2026, 3, 1)
    products = [make_product(upc=None, stars=None) for _ in range(7)]
    products.append(make_product(upc="8934588063053", stars=None))
    out = io.StringIO()
    load_demo_certification(stdout=out, today=today)
    assert "8 giấy chứng nhận" in out.getvalue()
    counts = (OcopCertificate.objects.count(), Batch.objects.count())
    load_demo_certification(today=today)
    assert (OcopCertificate.objects.count(), Batch.objects.count()) == counts

    stars = {p.pk: certification.stars_on(p, today) for p in Product.objects.all()}
    assert {3, 4, 5} <= set(stars.values())
    assert None in stars.values()  # the expired one
    assert certification.expiring_certificates(today)
    for product in Product.objects.all():
        assert product.ocop_stars == stars[product.pk]
        assert barcodes.is_valid_gtin13(product.upc)
        assert product.batches.count() == 2
    assert Product.objects.get(pk=products[-1].pk).upc == "8934588063053"
    for cert in OcopCertificate.objects.all():
        cert.full_clean()  # demo data obeys the rules


def test_office_enters_a_certificate_in_the_admin(admin_client):
    product = make_product(stars=None)
    url = reverse("admin:catalogue_ocopcertificate_add")
    assert admin_client.get(url).status_code == 200
    data = {
        "product": product.pk, "stars": 3, "score": 75, "rating_level": "province",
        "certifying_body": "UBND tỉnh Kon Tum", "decision_number": "12/QĐ-UBND",
        "decision_date": "2025-01-15",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200  # the form again, with the message
    assert "75 điểm tương ứng 4 sao" in response.content.decode()
    response = admin_client.post(url, {**data, "stars": 4})
    assert response.status_code == 302, response.content.decode()[:3000]
    product.refresh_from_db()
    assert product.ocop_stars == 4


def test_admin_lists_and_product_page_with_inlines(admin_client):
    product = make_product(stars=None)
    make_certificate(product)
    make_batch(product)
    assert admin_client.get(reverse("admin:catalogue_ocopcertificate_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:catalogue_batch_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:catalogue_product_change", args=[product.pk])).status_code == 200


def test_admin_batch_form_refuses_best_before_not_after_production(admin_client):
    product = make_product()
    response = admin_client.post(reverse("admin:catalogue_batch_add"), {
        "product": product.pk, "lot_code": "L1", "production_date": "2025-05-10",
        "best_before": "2025-05-10",
    })
    assert response.status_code == 200
    assert "Hạn sử dụng phải sau ngày sản xuất." in response.content.decode()
    assert not Batch.objects.exists()


def test_admin_action_gives_internal_barcodes(admin_client):
    product = make_product(upc=None)
    response = admin_client.post(reverse("admin:catalogue_product_changelist"), {
        "action": "give_internal_barcodes", "_selected_action": [product.pk],
    })
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.upc == barcodes.internal_code(product.pk)


@pytest.mark.parametrize("typed, expected", [("01/02/2025", datetime.date(2025, 2, 1)),
                                             ("2025-02-01", datetime.date(2025, 2, 1))])
def test_admin_reads_dates_day_first(admin_client, typed, expected):
    product = make_product(stars=None)
    response = admin_client.post(reverse("admin:catalogue_ocopcertificate_add"), {
        "product": product.pk, "stars": 4, "score": 80, "rating_level": "province",
        "certifying_body": "UBND tỉnh Kon Tum", "decision_number": "5/QĐ-UBND",
        "decision_date": typed,
    })
    assert response.status_code == 302
    assert OcopCertificate.objects.get().decision_date == expected


def test_admin_refuses_month_first_dates(admin_client):
    product = make_product(stars=None)
    response = admin_client.post(reverse("admin:catalogue_ocopcertificate_add"), {
        "product": product.pk, "stars": 4, "score": 80, "rating_level": "province",
        "certifying_body": "UBND tỉnh Kon Tum", "decision_number": "5/QĐ-UBND",
        "decision_date": "02/13/2025",
    })
    assert response.status_code == 200
    assert not OcopCertificate.objects.exists()
