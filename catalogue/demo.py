"""Demo certification data: certificates, batches and in-store barcodes for the demo products.

Called by the demo loader after the products exist; safe to run again (a
product that already has certificates, batches or a barcode is left alone).
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalogue import certification
from catalogue.barcodes import ensure_barcode
from catalogue.certification import Level

# (stars, score, months since the decision) — the cycle the demo products go through.
# Index 3 is expired, index 4 expires within 90 days (36 months minus ~45 days ago).
_PLAN = [
    (5, 92, 8),
    (4, 78, 14),
    (3, 61, 20),
    (4, 74, None),   # expired: decided 40 months ago
    (3, 55, "soon"),  # expires in about 45 days
    (4, 83, 3),
    (3, 66, 30),
]
_BODIES = {
    Level.DISTRICT: "UBND huyện Đăk Hà",
    Level.PROVINCE: "UBND tỉnh Kon Tum",
    Level.NATIONAL: "Bộ Nông nghiệp và Phát triển nông thôn",
}
_LEVEL = {3: Level.DISTRICT, 4: Level.PROVINCE, 5: Level.NATIONAL}


def _decision_date(months, today):
    if months is None:
        return certification.add_months(today, -40)
    if months == "soon":
        return certification.add_months(today, -certification.VALIDITY_MONTHS) + datetime.timedelta(days=45)
    return certification.add_months(today, -months)


def _say(stdout, message):
    if stdout is not None:
        stdout.write(message)


@transaction.atomic
def load_demo_batches(products, today=None):
    """Two production lots for each product that has none; returns how many were made."""
    Batch = get_model("catalogue", "Batch")
    today = today or certification.today()
    with_batches = set(
        Batch.objects.filter(product__in=products).values_list("product_id", flat=True)
    )
    made = 0
    for product in products:
        if product.pk in with_batches:
            continue
        for n, age in enumerate((60, 10), start=1):
            produced = today - datetime.timedelta(days=age)
            Batch.objects.create(
                product=product,
                lot_code=f"L{produced:%y%m%d}-{product.pk:04d}-{n}",
                production_date=produced,
                best_before=certification.add_months(produced, 12),
                quantity=100 * n,
                growing_area_code=product.growing_area_code,
            )
            made += 1
    return made


def load_demo_certification(stdout=None, today=None):
    """Give the demo products certificates, batches and barcodes; then refresh the star badges."""
    Product = get_model("catalogue", "Product")
    OcopCertificate = get_model("catalogue", "OcopCertificate")
    today = today or certification.today()
    products = list(Product.objects.exclude(structure=Product.PARENT).order_by("pk"))
    made = {"certificates": 0, "batches": 0, "barcodes": 0}
    for index, product in enumerate(products):
        if not OcopCertificate.objects.filter(product=product).exists():
            stars, score, months = _PLAN[index % len(_PLAN)]
            level = _LEVEL[stars]
            decided = _decision_date(months, today)
            if stars == 3 and decided >= datetime.date(2025, 7, 1):
                # District authorities ended on 1 July 2025; 3★ is rated by the province.
                level = Level.PROVINCE
            OcopCertificate.objects.create(
                product=product,
                stars=stars,
                score=score,
                rating_level=level,
                certifying_body=_BODIES[level],
                decision_number=f"{100 + product.pk}/QĐ-{'UBND' if level != Level.NATIONAL else 'BNN'}",
                decision_date=decided,
            )
            made["certificates"] += 1
        made["batches"] += load_demo_batches([product], today)
        if not product.upc:
            ensure_barcode(product)
            made["barcodes"] += 1
    changes = certification.refresh_all_stars(today)
    _say(
        stdout,
        _(
            "OCOP: %(certificates)d giấy chứng nhận, %(batches)d lô sản xuất, %(barcodes)d mã "
            "vạch nội bộ mới; %(changes)d huy hiệu sao được cập nhật."
        ) % {**made, "changes": len(changes)},
    )
    return made
