"""Combos for the tests: certified component offers with stock, and combos made of them."""

from decimal import Decimal

from catalogue import combos
from tests.factories import make_certificate
from tests.showroom.factories import make_offer


def certified_offer(title=None, stock=None, price=Decimal("100000"), vendor=None, **kwargs):
    """A public product holding a current OCOP certificate, with ``{location: qty}`` received."""
    stockrecord = make_offer(title=title, stock=stock, vendor=vendor, price=price, **kwargs)
    make_certificate(stockrecord.product, stars=kwargs.get("stars", 4))
    stockrecord.product.refresh_from_db()
    return stockrecord


def packaging_offer(title="Hộp quà OCOP Đăk Hà", stock=None, price=Decimal("30000")):
    from showroom import inventory
    from tests.factories import Product, StockRecord

    product = Product.objects.create(
        title=title, product_class=combos.packaging_class(), is_public=False,
    )
    stockrecord = StockRecord.objects.create(
        product=product, partner=combos.district_partner(), partner_sku=f"PK-{product.pk}",
        price=price, price_currency="VND",
    )
    for location, quantity in (stock or {}).items():
        if quantity:
            inventory.receive(location, [(stockrecord, quantity)], reference="TEST")
    stockrecord.refresh_from_db()
    return stockrecord


def make_combo(items, price=Decimal("250000"), title="Combo quà Tết Đăk Hà", **kwargs):
    return combos.create_combo(title=title, price=price, items=items, **kwargs)


def combo_record(combo):
    record = combo.stockrecords.get()
    record.refresh_from_db()
    return record
