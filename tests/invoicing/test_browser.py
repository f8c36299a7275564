"""A cashier's sale to a company in a real browser (Playwright, Debian's headless Chromium):
sign in to the till, ring up, type the company's tax code in the till's company-invoice
box — a wrong one refused with the Vietnamese reason, nothing written — take the cash,
and the receipt shows the e-invoice's serial and number and the tax authority's code
(``INVOICE_PROVIDER = "local"``)."""

from decimal import Decimal

import pytest

from pos.models import TillSale
from shop.invoicing.models import Invoice, SellerProfile
from tests.invoicing import this_years
from tests.pos.browser import open_till
from tests.pos.factories import make_cashier, make_offer, make_register, three_locations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def till(settings):
    settings.INVOICE_PROVIDER = "local"
    showcase, _dak_mar, _ngok_wang = three_locations()
    make_register(showcase, code="tt-1")
    make_cashier(showcase, username="thao", password="ThuNgan@TT1")
    SellerProfile.objects.create(
        location=showcase, legal_name="Trung tâm Văn hoá – Thông tin và Thể thao huyện Đăk Hà",
        tax_code="6100234519", address="Thị trấn Đăk Hà", serial="C26MDH")
    offer = make_offer(title="Hộp quà cà phê Đăk Hà", price=Decimal("250000"), stock={showcase: 20})
    return offer


def test_company_sale_at_the_till_gets_its_invoice_on_the_receipt(chromium, live_server, till):
    context, page, errors = open_till(chromium, live_server.url)

    # Five gift boxes for an agency's event.
    page.fill("#scan", till.product.upc)
    page.press("#scan", "Enter")
    page.wait_for_function("() => document.querySelectorAll('#lines tr').length === 1")
    page.locator("#lines tr input.qty").fill("5")
    page.locator("#lines tr input.qty").press("Tab")
    page.wait_for_function("() => document.getElementById('total').textContent.indexOf('1.250.000') >= 0")

    # The company's invoice: a tax code with a wrong check digit is refused, clearly.
    page.click("#buyer-box summary")
    page.fill("#buyer-tax-code", "0101234566")
    page.fill("#buyer-company", "Công ty TNHH Sự kiện Kon Tum")
    page.fill("#buyer-address", "12 Trần Hưng Đạo, Kon Tum")
    page.fill("#cash-tendered", "1300000")
    page.click("#commit")
    page.wait_for_selector("#message.error")
    assert "Mã số thuế 0101234566 không đúng (sai chữ số kiểm tra)." in page.inner_text("#message")
    assert not TillSale.objects.exists() and not Invoice.objects.exists()
    assert page.locator("#lines tr").count() == 1  # the sale is still on the screen

    # The right code: the sale is saved, its invoice issued through the provider.
    page.fill("#buyer-tax-code", "0101 234 565")
    page.click("#commit")
    page.wait_for_selector("#last-sale:not([hidden])")
    sale = TillSale.objects.get()
    invoice = Invoice.objects.get(till_sale=sale)
    assert invoice.status == Invoice.Status.ISSUED and invoice.number
    assert (invoice.buyer_tax_code, invoice.buyer_company) == ("0101234565",
                                                               "Công ty TNHH Sự kiện Kon Tum")
    assert invoice.total == sale.total == 1250000
    assert invoice.total_in_words == "Một triệu hai trăm năm mươi nghìn đồng"

    # The receipt shows the invoice's serial and number and the tax authority's code.
    with context.expect_page() as receipt_info:
        page.click("#print-link")
    receipt = receipt_info.value
    receipt.wait_for_load_state()
    label = f"1{this_years()} {invoice.number:08d}"
    assert receipt.inner_text("#einvoice-label") == label
    assert receipt.inner_text("#einvoice-authority-code") == invoice.authority_code
    assert invoice.authority_code.startswith("M1-")
    assert invoice.lookup_code in receipt.inner_text("#receipt-einvoice")
    assert receipt.locator("#receipt-einvoice svg").count() == 1  # the look-up QR
    assert not errors, errors
    context.close()
