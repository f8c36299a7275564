"""The receipt PDF is real text in the embedded Vietnamese font, and small; the Z-report
names the cashier by full name and never prints "-0 ₫"."""

import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from pypdf import PdfReader

from pos import receipts
from pos.models import TillSale

from .factories import make_offer, new_uuid

pytestmark = pytest.mark.django_db


def ring_up(shop, session, api):
    shop.cashier.first_name, shop.cashier.last_name = "Nguyễn Thị", "Thảo"
    shop.cashier.save()
    offer = make_offer(title="Sâm dây Ngọc Linh hộp quà Tết", price=Decimal("625000"),
                       stock={shop.location: 4})
    body = {
        "client_uuid": new_uuid(), "session": session.pk, "client_total": 1250000,
        "lines": [{"stockrecord": offer.pk, "quantity": 2, "unit_price": 625000}],
        "tenders": [{"kind": "cash", "tendered": 1300000}],
    }
    response = api.post(reverse("pos:api-sales", args=[shop.register.pk]), body, format="json")
    assert response.status_code == 201, response.content
    return TillSale.objects.get(pk=response.json()["id"])


def test_receipt_pdf_is_selectable_text_in_the_embedded_font(shop, api, session, client, settings):
    sale = ring_up(shop, session, api)
    client.force_login(shop.cashier)
    response = client.get(reverse("pos:receipt-pdf", args=[sale.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text().replace("\u00a0", " ")
    assert "Sâm dây Ngọc Linh hộp quà Tết" in text
    assert re.search(r"TỔNG THANH TOÁN\s*1\.250\.000 ₫", text), text
    assert "Tiền thối lại" in text and "50.000 ₫" in text
    assert "Nguyễn Thị Thảo" in text
    # The font is embedded (a TrueType subset), not a picture of the text.
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                   for font in fonts.values()]
    assert any("/FontFile2" in d for d in descriptors)
    assert "/XObject" not in reader.pages[0]["/Resources"]  # no image of the receipt
    # A Pillow picture of this receipt weighed 60–80 kB; the text PDF is about 16 kB.
    assert len(pdf) < 25_000, len(pdf)
    # 80 mm wide.
    assert round(float(reader.pages[0].mediabox.width) * 25.4 / 72) == 80


def test_receipt_pdf_without_a_vietnamese_font_drops_the_diacritics(shop, api, session, settings,
                                                                     monkeypatch):
    sale = ring_up(shop, session, api)
    monkeypatch.setattr(receipts, "FONT_CANDIDATES", ())
    settings.POS_RECEIPT_FONT = "/nonexistent/font.ttf"
    text = PdfReader(io.BytesIO(receipts.receipt_pdf(sale))).pages[0].extract_text()
    assert "Sam day Ngoc Linh hop qua Tet" in text and "1.250.000 d" in text


def test_z_report_names_the_cashier_in_full_and_prints_no_minus_zero(shop, api, session, client):
    ring_up(shop, session, api)
    client.force_login(shop.cashier)
    html = client.get(reverse("pos:z-report", args=[session.pk])).content.decode()
    assert "Nguyễn Thị Thảo" in html and shop.cashier.username not in html
    assert not re.search(r"-0\s*₫", html.replace("\u00a0", " ")), "a Z-report prints -0 ₫"
