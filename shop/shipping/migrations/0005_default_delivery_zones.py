"""Starting delivery fee table (the office edits it in the admin)."""

from decimal import Decimal

from django.db import migrations

ZONES = [
    # name, province codes, free above, extra per kg, [(up to kg, fee)]
    ("Nội tỉnh Quảng Ngãi (gồm Kon Tum cũ)", "51", 500000, 5000,
     [("1", 20000), ("3", 30000), ("5", 40000)]),
    ("Tây Nguyên và Đà Nẵng", "48,52,66,68", 700000, 8000,
     [("1", 30000), ("3", 45000), ("5", 60000)]),
    ("Các tỉnh khác", "", 1000000, 10000,
     [("1", 35000), ("3", 55000), ("5", 75000)]),
]


def seed(apps, schema_editor):
    Zone = apps.get_model("shipping", "DeliveryZone")
    Band = apps.get_model("shipping", "DeliveryBand")
    if Zone.objects.exists():
        return
    for name, codes, free_above, extra, bands in ZONES:
        zone = Zone.objects.create(
            name=name, province_codes=codes, free_above=Decimal(free_above),
            extra_per_kg=Decimal(extra),
        )
        for up_to, fee in bands:
            Band.objects.create(zone=zone, up_to_kg=Decimal(up_to), fee=Decimal(fee))


class Migration(migrations.Migration):
    dependencies = [("shipping", "0004_deliveryzone_deliveryband")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
