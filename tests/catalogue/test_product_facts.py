"""The product page shows the facts a buyer wants instead of Oscar's UPC / tax table, the
certificate with its trace link and QR, a real wishlist button, and a one-line main menu."""

import datetime

import pytest
from django.urls import reverse

from catalogue import barcodes
from shop.templatetags.storefront_tags import short_label
from tests.factories import make_certificate
from tests.showroom.factories import make_offer, three_locations

pytestmark = pytest.mark.django_db


def certified_product(**fields):
    locations = three_locations()
    product = make_offer("Mật ong rừng Ngọk Wang", stock={locations[0]: 5}).product
    for name, value in fields.items():
        setattr(product, name, value)
    product.save()
    decided = datetime.date.today() - datetime.timedelta(days=40)
    certificate = make_certificate(product, stars=4, decision_date=decided,
                                   decision_number="123/QĐ-UBND",
                                   certifying_body="UBND huyện Đăk Hà")
    return product, certificate


def test_product_page_shows_the_buyers_facts_and_the_certificate(client):
    gtin = barcodes.with_check_digit("893123456789")
    product, certificate = certified_product(
        upc=gtin, net_quantity="500 ml", shelf_life="24 tháng kể từ ngày sản xuất",
        storage="Nơi khô ráo, thoáng mát",
    )
    page = client.get(product.get_absolute_url()).content.decode()
    for text in ("500 ml", "24 tháng kể từ ngày sản xuất", "Nơi khô ráo, thoáng mát", gtin,
                 "Giá đã gồm VAT", "123/QĐ-UBND", "UBND huyện Đăk Hà",
                 certificate.decision_date.strftime("%d/%m/%Y"),
                 certificate.valid_until.strftime("%d/%m/%Y")):
        assert text in page, text
    assert f'href="{product.get_trace_url()}"' in page
    assert reverse("trace:qr-svg", kwargs={"code": product.trace_code}) in page
    # Oscar's table is gone: no "price excl. tax", no "tax 0 ₫", no number of reviews
    for oscar_row in ("Giá (chưa thuế", "Price (excl. tax)", "Số đánh giá", "Number of reviews",
                      "<th>UPC</th>"):
        assert oscar_row not in page, oscar_row


def test_facts_the_producer_did_not_give_are_left_out(client):
    product, _certificate = certified_product(upc="", net_quantity="", shelf_life="", storage="")
    page = client.get(product.get_absolute_url()).content.decode()
    assert "Mã vạch (GTIN)" not in page and "Hạn sử dụng" not in page
    assert "Giá đã gồm VAT" in page


def test_wishlist_is_a_button(client):
    product, _certificate = certified_product()
    page = client.get(product.get_absolute_url()).content.decode()
    assert 'class="btn btn-lg btn-outline-primary btn-wishlist' in page


def test_main_menu_labels_fit_on_one_line():
    assert short_label("Dược liệu và sản phẩm từ dược liệu") == "Dược liệu"
    assert short_label("Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch") == (
        "Dịch vụ du lịch cộng đồng")
    assert short_label("Đồ uống") == "Đồ uống"
