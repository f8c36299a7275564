"""Plain factory functions for the catalogue, producers and places used by the tests."""

import io
import itertools
from decimal import Decimal

from django.core.files.base import ContentFile
from oscar.core.loading import get_model
from PIL import Image

AdministrativeUnit = get_model("vendors", "AdministrativeUnit")
Vendor = get_model("vendors", "Vendor")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductImage = get_model("catalogue", "ProductImage")

_seq = itertools.count(1)


def make_unit(name="Đăk Mar", kind=AdministrativeUnit.Kind.COMMUNE, **kwargs):
    code = kwargs.pop("code", f"unit-{next(_seq)}")
    return AdministrativeUnit.objects.create(code=code, name=name, kind=kind, **kwargs)


def make_vendor(name=None, subject_type=Vendor.SubjectType.COOPERATIVE, commune=None, **kwargs):
    n = next(_seq)
    name = name or f"HTX Nông nghiệp số {n}"
    partner = Partner.objects.create(name=name, code=f"partner-{n}")
    if commune is None:
        commune = make_unit()
    return Vendor.objects.create(
        partner=partner, subject_type=subject_type, legal_name=name, commune=commune, **kwargs
    )


def make_category(name="Thực phẩm", parent=None):
    if parent is None:
        return Category.objects.add_root({"name": name})
    return Category.objects.add_child(parent, {"name": name})


def product_class():
    return ProductClass.objects.get_or_create(
        slug="ocop-product",
        defaults={"name": "Sản phẩm OCOP", "requires_shipping": True, "track_stock": True},
    )[0]


def jpeg_bytes(size=(64, 64), color=(20, 110, 60)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return buffer.getvalue()


def make_product(
    title=None,
    price=Decimal("150000"),
    vendor=None,
    category=None,
    stars=4,
    num_in_stock=10,
    with_image=True,
    **kwargs,
):
    n = next(_seq)
    vendor = vendor or make_vendor()
    product = Product.objects.create(
        title=title or f"Cà phê rang xay số {n}",
        product_class=product_class(),
        producer=vendor,
        origin_unit=vendor.commune,
        ocop_stars=stars,
        upc=kwargs.pop("upc", f"2{n:011d}"),
        description=kwargs.pop("description", "Sản phẩm OCOP của huyện Đăk Hà."),
        **kwargs,
    )
    if category is not None:
        product.categories.add(category)
    StockRecord.objects.create(
        product=product,
        partner=vendor.partner,
        partner_sku=f"SKU-{n}",
        price=price,
        price_currency="VND",
        num_in_stock=num_in_stock,
    )
    if with_image:
        image = ProductImage(product=product, display_order=0)
        image.original.save(f"p{n}.jpg", ContentFile(jpeg_bytes()), save=True)
    return product


# --- OCOP certification and traceability (catalogue/certification.py) ------

OcopCertificate = get_model("catalogue", "OcopCertificate")
Batch = get_model("catalogue", "Batch")

_SCORE_FOR_STARS = {3: 60, 4: 80, 5: 95}
_LEVEL_FOR_STARS = {3: "district", 4: "province", 5: "national"}


def make_certificate(product, stars=4, decision_date=None, score=None, **kwargs):
    """A certificate for ``product`` (saving it refreshes the product's badge)."""
    import datetime

    n = next(_seq)
    return OcopCertificate.objects.create(
        product=product,
        stars=stars,
        score=score if score is not None else _SCORE_FOR_STARS[stars],
        rating_level=kwargs.pop("rating_level", _LEVEL_FOR_STARS[stars]),
        certifying_body=kwargs.pop("certifying_body", "UBND tỉnh Kon Tum"),
        decision_number=kwargs.pop("decision_number", f"{n}/QĐ-UBND"),
        decision_date=decision_date or datetime.date(2025, 1, 15),
        **kwargs,
    )


def make_batch(product, lot_code=None, production_date=None, best_before=None, **kwargs):
    import datetime

    n = next(_seq)
    production_date = production_date or datetime.date(2025, 6, 1)
    return Batch.objects.create(
        product=product,
        lot_code=lot_code or f"LOT-{n}",
        production_date=production_date,
        best_before=best_before or production_date + datetime.timedelta(days=365),
        **kwargs,
    )
