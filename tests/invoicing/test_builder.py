"""The invoice built from a till sale: lines, VAT by rate and totals equal to the sale's to
the đồng (a discounted sale, a gift combo of two rates), once per sale, and the adjusting
invoice of a return.

The sales are rung up through the till API (whose commit already invoices them:
``shop.invoicing.hooks``); that invoice is dropped so each test builds it here."""

from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from pos.models import TillReturn, TillSale
from shop import money
from shop.invoicing import builder
from shop.invoicing.models import Invoice, InvoiceLine, SellerProfile
from tests.combos.factories import certified_offer, combo_record, make_combo
from tests.invoicing import this_years
from tests.pos.conftest import api, locs, session, shop  # noqa: F401 (fixtures)
from tests.pos.factories import new_uuid

pytestmark = pytest.mark.django_db

DAY = "2026-11-30T10:00:00+07:00"  # inside the 8 % reduction (Nghị định 174/2025)


def vat_of(gross, percent):
    """The VAT inside a VAT-inclusive amount, written out here (not the module's)."""
    if not isinstance(percent, int) or percent == 0:
        return Decimal(0)
    exact = Decimal(gross) * percent / (100 + percent)
    return exact.quantize(Decimal(1), rounding="ROUND_HALF_UP")


@pytest.fixture
def seller(shop):  # noqa: F811
    return SellerProfile.objects.create(
        location=shop.location, legal_name="HTX Dịch vụ OCOP Đăk Hà", tax_code="6100001230",
        address="Thị trấn Đăk Hà, Kon Tum", serial="C26MDH",
    )


def set_vat(stockrecord, category, alcohol=False):
    product = stockrecord.product
    product.vat_category = category
    product.vat_reduction_excluded = alcohol
    product.save()


def ring(api, shop, session, lines, order_discount=None, tenders=None, **extra):  # noqa: F811
    body = {"client_uuid": new_uuid(), "session": session.pk, "lines": lines, **extra}
    if order_discount is not None:
        body["order_discount_percent"] = str(order_discount)
    body["tenders"] = tenders or [{"kind": "cash", "tendered": 10_000_000}]
    response = api.post(reverse("pos:api-sales", args=[shop.register.pk]), body, format="json")
    assert response.status_code == 201, response.content
    sale = TillSale.objects.get(pk=response.json()["id"])
    InvoiceLine.objects.filter(invoice__till_sale=sale).delete()
    Invoice.objects.filter(till_sale=sale).delete()
    return sale


def test_discounted_sale_totals_and_vat_by_rate_to_the_dong(shop, api, session, seller):  # noqa: F811
    coffee, ginseng, honey = shop.offers
    set_vat(coffee, "10")                 # 8 % on the day
    set_vat(ginseng, "10", alcohol=True)  # a ginseng wine: never reduced
    set_vat(honey, "5")
    sale = ring(api, shop, session, [
        {"stockrecord": coffee.pk, "quantity": 3, "discount_percent": "3"},
        {"stockrecord": ginseng.pk, "quantity": 1},
        {"stockrecord": honey.pk, "quantity": 2, "discount_percent": "3"},
    ], order_discount="5", tenders=[{"kind": "vietqr", "amount": 100000}, {"kind": "cash", "tendered": 900000}])
    assert sale.order_discount > 0 and sale.line_discount_total > 0

    invoice = builder.invoice_for_till_sale(sale)

    assert invoice.status == Invoice.Status.PENDING and invoice.kind == Invoice.Kind.ORIGINAL
    assert invoice.till_sale == sale and invoice.location == shop.location
    assert (invoice.invoice_form, invoice.serial) == ("1", this_years())
    assert invoice.seller_tax_code == "6100001230"
    assert invoice.payment_method == "Chuyển khoản/Tiền mặt"
    assert invoice.total == sale.total
    assert invoice.discount_total == sale.line_discount_total + sale.order_discount
    expected_rate = {coffee.product_id: "8", ginseng.product_id: "10", honey.product_id: "5"}
    per_rate = defaultdict(Decimal)
    for line in sale.lines.all():
        per_rate[expected_rate[line.product_id]] += line.net_total
    lines = list(invoice.lines.all())
    assert [line.vat_rate for line in lines] == ["8", "10", "5"]
    assert [line.total for line in lines] == [line.net_total for line in sale.lines.all()]
    for line, sale_line in zip(lines, sale.lines.all(), strict=True):
        assert line.unit_price == sale_line.unit_price and line.quantity == sale_line.quantity
        assert line.discount == sale_line.discount + sale_line.order_discount_share
        assert line.unit_price * line.quantity - line.discount == line.total
        assert line.vat == vat_of(line.total, int(line.vat_rate))
        assert line.amount_before_vat + line.vat == line.total
    vat_by_rate = defaultdict(Decimal)
    for line in lines:
        vat_by_rate[line.vat_rate] += line.vat
    assert dict(vat_by_rate) == {rate: vat_of(total, int(rate)) for rate, total in per_rate.items()}
    assert invoice.vat_total == sum(vat_by_rate.values())
    assert invoice.amount_before_vat == sale.total - invoice.vat_total
    assert invoice.total_in_words.endswith("đồng") and invoice.total_in_words[0].isupper()


def test_gift_combo_of_two_rates_is_split_per_rate(shop, api, session, seller):  # noqa: F811
    coffee = certified_offer("Cà phê Robusta Đăk Hà", price=Decimal("120000"), stock={shop.location: 6})
    herbs = certified_offer("Trà thảo mộc", price=Decimal("65000"), stock={shop.location: 4})
    set_vat(coffee, "10")
    set_vat(herbs, "5")
    combo = make_combo([(coffee, 2), (herbs, 1)], price=Decimal("289000"), title="Hộp quà Đăk Hà")
    record = combo_record(combo)
    sale = ring(api, shop, session, [{"stockrecord": record.pk, "quantity": 2, "discount_percent": "4"},
                                     {"stockrecord": shop.offers[2].pk, "quantity": 1}],
                order_discount="3")
    combo_line = sale.lines.get(stockrecord=record)

    invoice = builder.invoice_for_till_sale(sale)

    lines = list(invoice.lines.all())
    assert [line.name for line in lines[:2]] == ["Hộp quà Đăk Hà — phần thuế suất 8 %",
                                                 "Hộp quà Đăk Hà — phần thuế suất 5 %"]
    # the combo's net total shared by list price × quantity: 240 000 : 65 000
    net8, net5 = money.split(combo_line.net_total, [240000, 65000])
    unit8, unit5 = money.split(Decimal(289000), [240000, 65000])
    assert [(line.vat_rate, line.total, line.unit_price, line.quantity) for line in lines[:2]] == [
        ("8", net8, unit8, 2), ("5", net5, unit5, 2)]
    assert lines[0].vat == vat_of(net8, 8) and lines[1].vat == vat_of(net5, 5)
    assert sum(line.total for line in lines) == sale.total == invoice.total
    assert invoice.vat_total == sum(line.vat for line in lines)
    assert invoice.discount_total == sale.line_discount_total + sale.order_discount


def test_combo_of_one_rate_stays_one_line(shop, api, session, seller):  # noqa: F811
    a = certified_offer("Cà phê hạt", price=Decimal("100000"), stock={shop.location: 3})
    b = certified_offer("Cà phê bột", price=Decimal("90000"), stock={shop.location: 3})
    combo = make_combo([(a, 1), (b, 1)], price=Decimal("180000"), title="Đôi cà phê")
    sale = ring(api, shop, session, [{"stockrecord": combo_record(combo).pk, "quantity": 1}])
    invoice = builder.invoice_for_till_sale(sale)
    assert [(line.name, line.vat_rate, line.total) for line in invoice.lines.all()] == [
        ("Đôi cà phê", "8", Decimal(180000))]


def test_built_once_and_not_without_a_seller(shop, api, session):  # noqa: F811
    sale = ring(api, shop, session, [{"stockrecord": shop.offers[0].pk, "quantity": 1}])
    assert builder.invoice_for_till_sale(sale) is None  # the point does not invoice yet
    assert not Invoice.objects.exists()
    SellerProfile.objects.create(location=shop.location, legal_name="HTX", tax_code="6100001230",
                                 address="Đăk Hà", serial="C26MDH")
    first = builder.invoice_for_till_sale(sale)
    again = builder.invoice_for_till_sale(sale, {"tax_code": "0101234565"})
    assert again.pk == first.pk and again.buyer_tax_code == ""
    assert Invoice.objects.count() == 1 and InvoiceLine.objects.count() == 1


def test_company_buyer_is_recorded(shop, api, session, seller):  # noqa: F811
    sale = ring(api, shop, session, [{"stockrecord": shop.offers[0].pk, "quantity": 5}])
    invoice = builder.invoice_for_till_sale(sale, {
        "name": "Nguyễn Văn An", "company": "Công ty TNHH Sự kiện Kon Tum",
        "tax_code": "0101.234.565", "address": "Kon Tum", "email": "ketoan@example.vn",
    })
    assert (invoice.buyer_company, invoice.buyer_tax_code, invoice.buyer_email) == (
        "Công ty TNHH Sự kiện Kon Tum", "0101234565", "ketoan@example.vn")


def test_return_gives_an_adjustment_referencing_the_original(shop, api, session, seller):  # noqa: F811
    sale = ring(api, shop, session, [{"stockrecord": shop.offers[0].pk, "quantity": 3},
                                     {"stockrecord": shop.offers[2].pk, "quantity": 1}],
                order_discount="5")
    original = builder.invoice_for_till_sale(sale)
    coffee_line = sale.lines.get(stockrecord=shop.offers[0])
    response = api.post(reverse("pos:api-returns", args=[sale.pk]), {
        "session": session.pk, "lines": [{"line": coffee_line.pk, "quantity": 2}],
        "refund_kind": "cash", "reason": "Khách đổi ý",
    }, format="json")
    assert response.status_code == 201, response.content
    till_return = TillReturn.objects.get()
    refund = till_return.refund_total

    adjustment = builder.adjustment_for_till_return(till_return)

    assert adjustment.kind == Invoice.Kind.ADJUSTMENT and adjustment.original == original
    assert adjustment.till_return == till_return and adjustment.reason == "Khách đổi ý"
    assert (adjustment.serial, adjustment.seller_tax_code) == (original.serial, original.seller_tax_code)
    [line] = adjustment.lines.all()
    assert (line.quantity, line.unit_price, line.total, line.vat_rate) == (
        -2, coffee_line.unit_price, -refund, "8")
    assert line.vat == -vat_of(refund, 8) and line.amount_before_vat == -refund + vat_of(refund, 8)
    assert adjustment.total == -refund and adjustment.total_in_words.startswith("Âm")
    assert builder.adjustment_for_till_return(till_return).pk == adjustment.pk
    assert Invoice.objects.count() == 2


def test_rate_of_the_sale_day_not_today(shop, api, session, seller):  # noqa: F811
    set_vat(shop.offers[0], "10")
    sale = ring(api, shop, session, [{"stockrecord": shop.offers[0].pk, "quantity": 1}])
    TillSale.objects.filter(pk=sale.pk).update(rung_at=timezone.make_aware(
        timezone.datetime.combine(date(2027, 1, 5), timezone.datetime.min.time())))
    sale.refresh_from_db()
    assert builder.invoice_for_till_sale(sale).lines.get().vat_rate == "10"
