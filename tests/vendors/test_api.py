"""The producer API: token auth, proposals answered 202, bad input 400, OpenAPI schema."""

import pytest
from django.urls import reverse
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.vendors.conftest import (
    PASSWORD,
    huge_file,
    huge_image,
    jpeg_upload,
    not_an_image,
    pdf_upload,
    renamed_executable,
    snapshot,
)
from vendors.models import ChangeRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(producer_a):
    client = APIClient()
    _instance, token = AuthToken.objects.create(user=producer_a.user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def test_token_is_obtained_with_username_and_password(producer_a):
    client = APIClient()
    response = client.post(reverse("vendors-api:token"), {"username": producer_a.user.username, "password": PASSWORD})
    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get(reverse("vendors-api:product-list")).status_code == 200


def test_a_token_of_a_customer_is_refused(customer):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {AuthToken.objects.create(user=customer)[1]}")
    response = client.get(reverse("vendors-api:product-list"))
    assert response.status_code == 403
    assert "chủ thể OCOP" in response.json()["detail"]


def test_product_list_is_own_and_shows_live_price(api, producer_a, producer_b):
    data = api.get(reverse("vendors-api:product-list")).json()
    ids = {p["id"] for p in data["results"]}
    assert ids == {
        producer_a.product.pk, producer_a.hidden_product.pk,  # its products
        producer_a.combo.pk, producer_a.hidden_combo.pk,  # and its gift combos
    }
    live = next(p for p in data["results"] if p["id"] == producer_a.product.pk)
    assert live["price"] == int(producer_a.stockrecord.price) and live["pending_changes"] == 2


def test_create_and_patch_answer_202_with_the_change_request(api, producer_a):
    response = api.post(reverse("vendors-api:product-list"), {"title": "Khô cá Đăk Hà", "price": "85000"}, format="json")
    assert response.status_code == 202, response.content
    assert response.json()["kind"] == "new_product" and response.json()["status"] == "pending"
    url = reverse("vendors-api:product-detail", args=[producer_a.product.pk])
    response = api.patch(url, {"price": "155000"}, format="json")
    assert response.status_code == 202
    assert response.json()["proposed"] == {"price": "155000"}
    producer_a.stockrecord.refresh_from_db()
    assert producer_a.stockrecord.price != 155000


@pytest.mark.parametrize("payload", [{"price": "0"}, {"price": "abc"}, {"title": ""}, {"price": "1" * 15}])
def test_bad_product_input_is_400_and_changes_nothing(api, producer_a, payload):
    before = snapshot(producer_a)
    response = api.patch(reverse("vendors-api:product-detail", args=[producer_a.product.pk]), payload, format="json")
    assert response.status_code == 400
    assert snapshot(producer_a) == before


def test_patch_without_a_change_is_400(api, producer_a):
    response = api.patch(reverse("vendors-api:product-detail", args=[producer_a.product.pk]),
                         {"title": producer_a.product.title}, format="json")
    assert response.status_code == 400 and "Không có thay đổi" in str(response.json())


@pytest.mark.parametrize(
    "upload", [not_an_image, renamed_executable, huge_image, huge_file],
    ids=["text file", "renamed executable", "huge image", "huge file"],
)
def test_photo_upload_through_the_api_refuses_non_pictures(api, producer_a, upload):
    before = snapshot(producer_a)
    response = api.post(reverse("vendors-api:product-photos", args=[producer_a.product.pk]),
                        {"original": upload()}, format="multipart")
    assert response.status_code == 400
    assert "original" in response.json()["errors"]
    assert snapshot(producer_a) == before


def test_photo_upload_through_the_api(api, producer_a):
    response = api.post(reverse("vendors-api:product-photos", args=[producer_a.product.pk]),
                        {"original": jpeg_upload(), "caption": "Mặt sau"}, format="multipart")
    assert response.status_code == 202 and response.json()["kind"] == "photo"


def test_certificate_through_the_api(api, producer_a):
    url = reverse("vendors-api:product-certificates", args=[producer_a.product.pk])
    data = {"stars": 4, "score": 80, "rating_level": "province", "certifying_body": "UBND tỉnh Kon Tum",
            "decision_number": producer_a.certificate.decision_number, "decision_date": "2025-03-01"}
    duplicate = api.post(url, {**data, "scan": pdf_upload()}, format="multipart")
    assert duplicate.status_code == 400
    missing_scan = api.post(url, {**data, "decision_number": "77/QĐ-UBND"}, format="multipart")
    assert missing_scan.status_code == 400 and "scan" in missing_scan.json()["errors"]
    ok = api.post(url, {**data, "decision_number": "77/QĐ-UBND", "scan": pdf_upload()}, format="multipart")
    assert ok.status_code == 202 and ok.json()["has_attachment"] is True
    assert ChangeRequest.objects.get(pk=ok.json()["id"]).proposed["decision_date"] == "2025-03-01"


def test_batches_through_the_api(api, producer_a):
    url = reverse("vendors-api:product-add-batch", args=[producer_a.product.pk])
    bad = api.post(url, {"lot_code": "X", "production_date": "2025-05-01", "best_before": "2025-04-01"}, format="json")
    assert bad.status_code == 400
    ok = api.post(url, {"lot_code": "X", "production_date": "2025-05-01", "best_before": "2026-05-01"}, format="json")
    assert ok.status_code == 201
    batch_url = reverse("vendors-api:batch-detail", args=[ok.json()["id"]])
    assert api.patch(batch_url, {"quantity": 40}, format="json").json()["quantity"] == 40
    assert api.delete(batch_url).status_code == 204


def test_stock_sales_and_changes_are_readable(api, producer_a):
    stock = api.get(reverse("vendors-api:stock-list")).json()["results"]
    assert {s["location"] for s in stock} == {"showcase", "dak-mar"}
    sales = api.get(reverse("vendors-api:sale-list")).json()["results"]
    assert [s["order_number"] for s in sales] == [producer_a.line.order.number]
    changes = api.get(reverse("vendors-api:change-list")).json()["results"]
    assert len(changes) == 4  # price, photo, new product, new combo
    response = api.post(reverse("vendors-api:change-withdraw", args=[producer_a.change.pk]))
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    again = api.post(reverse("vendors-api:change-withdraw", args=[producer_a.change.pk]))
    assert again.status_code == 400


def test_openapi_schema_documents_the_producer_api(client):
    response = client.get(reverse("api-schema"), {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    paths = schema["paths"]
    for path in ("/api/producer/products/", "/api/producer/products/{id}/",
                 "/api/producer/products/{id}/photos/", "/api/producer/products/{id}/certificates/",
                 "/api/producer/products/{id}/batches/", "/api/producer/certificates/",
                 "/api/producer/batches/{id}/", "/api/producer/stock/", "/api/producer/sales/",
                 "/api/producer/changes/{id}/withdraw/"):
        assert path in paths, path
    assert "202" in paths["/api/producer/products/{id}/"]["patch"]["responses"]
    assert "knoxApiToken" in schema["components"]["securitySchemes"]


def test_a_combo_takes_no_certificate_or_batch_through_the_api(api, producer_a):
    combo = producer_a.combo
    certificate = api.post(
        reverse("vendors-api:product-certificates", args=[combo.pk]),
        {"stars": 4, "score": 80, "rating_level": "province", "certifying_body": "UBND tỉnh Kon Tum",
         "decision_number": "99/QĐ-UBND", "decision_date": "2025-03-01", "scan": pdf_upload()},
        format="multipart",
    )
    batch = api.post(
        reverse("vendors-api:product-add-batch", args=[combo.pk]),
        {"lot_code": "C1", "production_date": "2025-05-01", "best_before": "2026-05-01"},
        format="json",
    )
    for response in (certificate, batch):
        assert response.status_code == 400
        assert "Combo quà tặng không có giấy chứng nhận" in str(response.json())
    assert not combo.ocop_certificates.exists() and not combo.batches.exists()


def test_shares_list_what_i_earned_including_other_sellers_combos(api, producer_a, producer_b):
    from decimal import Decimal

    from tests.combos.factories import make_combo
    from tests.showroom.factories import order_for
    from vendors.models import RevenueShare

    combo = make_combo([(producer_a.stockrecord, 1), (producer_b.stockrecord, 1)],
                       price=Decimal("150000"))
    order = order_for([(combo.stockrecords.get(), 1)])
    mine = RevenueShare.objects.get(line__order=order, partner=producer_a.vendor.partner)
    rows = api.get(reverse("vendors-api:share-list")).json()["results"]
    partners = set(RevenueShare.objects.filter(pk__in=[r["id"] for r in rows])
                   .values_list("partner_id", flat=True))
    assert partners == {producer_a.vendor.partner_id}  # never another seller's share
    row = next(r for r in rows if r["order_number"] == order.number)
    assert row["combo_title"] == combo.get_title() and Decimal(row["amount"]) == mine.amount
