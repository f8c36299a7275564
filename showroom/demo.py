"""Demo stock: realistic receipts of every product offer into the three sales points."""

import random

from django.conf import settings
from oscar.core.loading import get_model

from showroom import inventory
from showroom.models import Location, Stock

StockRecord = get_model("partner", "StockRecord")

DEMO_LOCATIONS = ("showcase", "dak-mar", "ngok-wang")
# (low, high) units per location: the district showcase holds most.
RANGES = {"showcase": (12, 40), "dak-mar": (3, 15), "ngok-wang": (0, 10)}


def load_demo_stock(stdout=None):
    """Receive demo quantities for every offer with no moves yet; safe to run again.

    Deterministic (seeded by the offer's pk). Returns the number of offers stocked.
    """
    locations = list(Location.objects.filter(code__in=DEMO_LOCATIONS))
    if not locations:
        if stdout:
            stdout.write("load_demo_stock: no demo locations yet, nothing done.")
        return 0
    has_moves = set(
        Stock.objects.filter(moves__isnull=False).values_list("stockrecord_id", flat=True)
    )
    stocked = 0
    offers = (
        StockRecord.objects.select_related("product", "partner")
        .exclude(product__product_class__slug=inventory.COMBO_CLASS_SLUG)  # combos have no stock of their own
        # tourism experiences sell places on departures, not stock (shop.experiences)
        .exclude(product__product_class__slug__in=getattr(settings, "EXPERIENCE_PRODUCT_CLASSES",
                                                          ("tourism-service",)))
        .order_by("pk")
    )
    for stockrecord in offers:
        if stockrecord.pk in has_moves:
            continue
        rng = random.Random(stockrecord.pk)
        for location in locations:
            low, high = RANGES.get(location.code, (0, 10))
            quantity = rng.randint(low, high)
            if quantity:
                inventory.receive(
                    location, [(stockrecord, quantity)], reference=f"DEMO-{location.code}",
                    note="Hàng mẫu ban đầu", partner=stockrecord.partner,
                )
        if not Stock.objects.filter(stockrecord=stockrecord).exists():
            inventory.receive(locations[0], [(stockrecord, 1)], reference="DEMO",
                              note="Hàng mẫu ban đầu")
        stocked += 1
    if stdout:
        stdout.write(f"load_demo_stock: {stocked} offers stocked at {len(locations)} locations.")
    return stocked
