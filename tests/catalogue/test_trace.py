"""Public trace pages, QR labels and printable barcode labels."""

import datetime
import io

import pytest
from django.urls import reverse
from PIL import Image

from catalogue import certification, traceability
from tests.factories import make_batch, make_certificate, make_product, make_unit, make_vendor

pytestmark = pytest.mark.django_db

PHONE = {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 14; Pixel 8) Mobile Safari/537.36"}


@pytest.fixture
def product(db):
    vendor = make_vendor(
        name="HTX Sâm dây Ngọc Linh", commune=make_unit("Đăk Pxi"), phone="0260 3800 000",
        address="Thôn 5, xã Đăk Pxi",
    )
    product = make_product(
        title="Sâm dây Ngọc Linh sấy khô", vendor=vendor, upc="8934588063053", stars=None,
        growing_area_code="VN-KT-DH-0012", ingredients="Sâm dây 100 %", net_quantity="200 g",
        shelf_life="24 tháng", storage="Nơi khô ráo, thoáng mát",
    )
    today = certification.today()
    make_certificate(product, stars=4, decision_number="1234/QĐ-UBND",
                     decision_date=today - datetime.timedelta(days=100),
                     certifying_body="UBND tỉnh Kon Tum")
    for days in (400, 200, 30):
        make_batch(product, lot_code=f"SD-{days}",
                   production_date=today - datetime.timedelta(days=days))
    return product


def test_trace_url_is_short_and_uses_the_barcode(product):
    assert product.get_trace_url() == "/t/8934588063053/"


def test_trace_page_shows_producer_origin_certificate_and_latest_batches(client, product):
    response = client.get(product.get_trace_url(), **PHONE)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="viewport" content="width=device-width' in html
    assert "Sâm dây Ngọc Linh sấy khô" in html
    assert "HTX Sâm dây Ngọc Linh" in html and "Đăk Pxi" in html
    assert "1234/QĐ-UBND" in html and "UBND tỉnh Kon Tum" in html
    cert = product.ocop_certificates.get()
    assert cert.valid_until.strftime("%d/%m/%Y") in html
    assert html.count("★") == 4
    assert "VN-KT-DH-0012" in html and "200 g" in html
    # Newest batches first.
    assert html.index("SD-30") < html.index("SD-200") < html.index("SD-400")
    assert "http://testserver/t/8934588063053/" in html
    assert len(html) < 30_000  # light enough for a phone on a weak connection


def test_trace_page_says_so_when_no_certificate_is_valid(client):
    product = make_product(stars=None, upc=None)
    make_certificate(product, decision_date=datetime.date(2019, 1, 1))
    response = client.get(product.get_trace_url())
    assert product.get_trace_url() == f"/t/p{product.pk}/"
    assert response.status_code == 200
    assert "không có giấy chứng nhận OCOP còn hiệu lực" in response.content.decode()


def test_pk_code_keeps_working_after_a_barcode_is_given(client, product):
    assert client.get(f"/t/p{product.pk}/").status_code == 200


@pytest.mark.parametrize("code", ["0000000000000", "p999999", "../etc", "abc"])
def test_unknown_codes_answer_404(client, code):
    assert client.get(f"/t/{code}/").status_code == 404


def test_hidden_product_has_no_public_trace_page(client, product):
    product.is_public = False
    product.save()
    assert client.get(product.get_trace_url()).status_code == 404


def test_qr_png_points_to_the_absolute_trace_url(client, product):
    response = client.get(reverse("trace:qr-png", kwargs={"code": product.trace_code}))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.format == "PNG" and image.size[0] == image.size[1] >= 200


def test_qr_svg(client, product):
    response = client.get(reverse("trace:qr-svg", kwargs={"code": product.trace_code}))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.lstrip().startswith(b"<svg") or b"<svg" in response.content[:200]
    assert 'filename="qr-8934588063053.svg"' in response["Content-Disposition"]


def test_qr_encodes_the_absolute_url(client, product):
    # Same payload → same picture: the view encodes exactly the absolute trace URL.
    expected = traceability.qr_png("http://testserver/t/8934588063053/")
    assert client.get("/t/8934588063053/qr.png").content == expected


def test_barcode_labels_are_for_staff_and_draw_svg_bars(client, admin_client, product):
    no_code = make_product(upc=None, title="Mật ong rừng")
    url = reverse("trace:barcode-labels") + f"?product={product.pk}&product={no_code.pk}&copies=3"
    assert client.get(url).status_code == 302  # to the login page
    response = admin_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<svg xmlns="http://www.w3.org/2000/svg" class="ean13"') == 3
    assert "Mật ong rừng" in html  # listed as lacking a barcode
    assert admin_client.get(reverse("trace:barcode-labels") + "?copies=x&product=zz").status_code == 200


def test_a_legacy_code_that_is_not_a_barcode_falls_back_to_the_pk(client):
    product = make_product(upc="SKU/12 A", stars=None)
    assert product.get_trace_url() == f"/t/p{product.pk}/"
    assert client.get(product.get_trace_url()).status_code == 200
