"""The producer corner, as a farmer uses it: own lists, proposals, uploads, stock, sales."""

import pytest
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from tests.factories import make_product
from tests.vendors.conftest import (
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

Product = get_model("catalogue", "Product")
Batch = get_model("catalogue", "Batch")


@pytest.fixture
def producer_client(producer_a):
    client = Client()
    client.force_login(producer_a.user)
    return client


def test_pages_answer_and_show_own_things(producer_client, producer_a, locations):
    home = producer_client.get(reverse("vendors:home"))
    assert home.status_code == 200 and "Góc nhà sản xuất" in home.content.decode()
    products = producer_client.get(reverse("vendors:products")).content.decode()
    assert producer_a.product.title in products and producer_a.hidden_product.title in products
    assert "Đang chờ duyệt" in products and "Chưa đăng bán" in products
    detail = producer_client.get(reverse("vendors:product", args=[producer_a.product.pk])).content.decode()
    assert producer_a.batch.lot_code in detail and producer_a.certificate.decision_number in detail
    stock = producer_client.get(reverse("vendors:stock")).content.decode()
    assert locations[0].name in stock and locations[1].name in stock
    sales = producer_client.get(reverse("vendors:sales")).content.decode()
    assert producer_a.line.order.number in sales
    csv = producer_client.get(reverse("vendors:sales"), {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv") and producer_a.line.order.number in csv.content.decode()


def test_a_customer_is_refused_and_anonymous_goes_to_login(client, customer):
    assert client.get(reverse("vendors:home")).status_code == 302
    client.force_login(customer)
    response = client.get(reverse("vendors:home"))
    assert response.status_code == 403


def test_create_product_from_the_form_makes_a_hidden_listing(producer_client, producer_a):
    response = producer_client.post(
        reverse("vendors:product-create"),
        {"title": "Rượu cần Đăk Hà", "price": "120.000", "description": "Rượu cần truyền thống"},
    )
    assert response.status_code == 302
    product = Product.objects.get(title="Rượu cần Đăk Hà")
    assert product.producer == producer_a.vendor and not product.is_public
    change = product.change_requests.get()
    assert change.kind == ChangeRequest.Kind.NEW_PRODUCT and change.proposed["price"] == "120000"


def test_edit_price_from_the_form_waits_for_approval(producer_client, producer_a):
    url = reverse("vendors:product-edit", args=[producer_a.product.pk])
    form = producer_client.get(url)
    assert form.status_code == 200
    data = {name: form.context["form"].initial.get(name, "") for name in form.context["form"].fields}
    data["price"] = "210000"
    response = producer_client.post(url, data)
    assert response.status_code == 302
    change = producer_a.product.change_requests.filter(status="pending").order_by("-pk").first()
    assert change.proposed == {"price": "210000"}
    producer_a.stockrecord.refresh_from_db()
    assert producer_a.stockrecord.price != 210000


@pytest.mark.parametrize("price", ["", "0", "mười nghìn", "-1"])
def test_bad_price_in_the_form_is_a_400_with_a_message(producer_client, producer_a, price):
    before = snapshot(producer_a)
    url = reverse("vendors:product-edit", args=[producer_a.product.pk])
    response = producer_client.post(url, {"title": producer_a.product.title, "price": price})
    assert response.status_code == 400
    assert "Giá" in response.content.decode() or "bắt buộc" in response.content.decode()
    assert snapshot(producer_a) == before


@pytest.mark.parametrize(
    "upload, message",
    [
        (not_an_image, "không phải là ảnh hợp lệ"),
        (renamed_executable, "không phải là ảnh hợp lệ"),
        (huge_image, "điểm ảnh"),
        (huge_file, "Tệp quá lớn"),
    ],
    ids=["text file", "renamed executable", "huge image", "huge file"],
)
def test_photo_upload_refuses_what_is_not_a_bounded_picture(producer_client, producer_a, upload, message):
    before = snapshot(producer_a)
    response = producer_client.post(
        reverse("vendors:photo-add", args=[producer_a.product.pk]), {"original": upload()}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert snapshot(producer_a) == before


def test_photo_upload_of_a_real_picture_waits_for_approval(producer_client, producer_a):
    images = producer_a.product.images.count()
    response = producer_client.post(
        reverse("vendors:photo-add", args=[producer_a.product.pk]),
        {"original": jpeg_upload(), "caption": "Gói quà"},
    )
    assert response.status_code == 302
    assert producer_a.product.images.count() == images
    assert producer_a.product.change_requests.filter(kind="photo", status="pending").count() == 2


def test_certificate_upload_checks_the_registry_rules_and_the_scan(producer_client, producer_a):
    url = reverse("vendors:certificate-add", args=[producer_a.product.pk])
    data = {"stars": 5, "score": 75, "rating_level": "national", "certifying_body": "Bộ",
            "decision_number": "1/QĐ", "decision_date": "2025-02-01"}
    response = producer_client.post(url, {**data, "scan": pdf_upload()})
    assert response.status_code == 400 and "Hạng sao không khớp" in response.content.decode()
    response = producer_client.post(url, {**data, "score": 95, "scan": renamed_executable()})
    assert response.status_code == 400 and "PDF hoặc ảnh" in response.content.decode()
    response = producer_client.post(url, {**data, "score": 95, "scan": pdf_upload()})
    assert response.status_code == 302
    assert producer_a.product.change_requests.filter(kind="certificate").count() == 1


def test_batches_are_saved_directly_and_checked(producer_client, producer_a):
    url = reverse("vendors:batch-add", args=[producer_a.product.pk])
    bad = producer_client.post(url, {"lot_code": "L1", "production_date": "02/01/2025", "best_before": "01/01/2025"})
    assert bad.status_code == 400 and "Hạn sử dụng phải sau ngày sản xuất" in bad.content.decode()
    dup = producer_client.post(url, {"lot_code": producer_a.batch.lot_code, "production_date": "2025-01-01", "best_before": "2026-01-01"})
    assert dup.status_code == 400
    ok = producer_client.post(url, {"lot_code": "L1", "production_date": "02/01/2025", "best_before": "02/01/2026"})
    assert ok.status_code == 302
    batch = Batch.objects.get(product=producer_a.product, lot_code="L1")
    assert batch.production_date.isoformat() == "2025-01-02"  # day first
    edit = producer_client.post(reverse("vendors:batch-edit", args=[batch.pk]),
                                {"lot_code": "L1b", "production_date": "2025-01-02", "best_before": "2026-01-02"})
    assert edit.status_code == 302
    batch.refresh_from_db()
    assert batch.lot_code == "L1b"
    assert producer_client.post(reverse("vendors:batch-delete", args=[batch.pk])).status_code == 302
    assert not Batch.objects.filter(pk=batch.pk).exists()


def test_withdraw_a_pending_change(producer_client, producer_a):
    response = producer_client.post(reverse("vendors:change-withdraw", args=[producer_a.change.pk]))
    assert response.status_code == 302
    producer_a.change.refresh_from_db()
    assert producer_a.change.status == ChangeRequest.Status.WITHDRAWN


@pytest.mark.parametrize("url_name", ["vendors:products", "vendors:stock", "vendors:sales", "vendors:home", "vendors:changes"])
def test_list_pages_have_a_fixed_query_budget(producer_client, producer_a, locations, url_name, django_assert_max_num_queries):
    from showroom import inventory
    from tests.showroom.factories import order_for

    def grow(total):
        while Product.objects.filter(producer=producer_a.vendor).count() < total:
            product = make_product(vendor=producer_a.vendor)
            offer = product.stockrecords.get()
            inventory.receive(locations[2], [(offer, 2)], reference="T")
            order_for([(offer, 1)])

    url = reverse(url_name)
    producer_client.get(url)
    budget = 20  # includes the header's workplace links (producer corner, till, review queue)
    for total in (5, 50):
        grow(total)
        with django_assert_max_num_queries(budget):
            response = producer_client.get(url)
        assert response.status_code == 200
