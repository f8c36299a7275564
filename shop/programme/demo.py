"""The programme's demo: the producers' programme facts, and Đăk Mar's commune officer.

* Each demo producer (``shop.demo.data.PRODUCERS``) gets its programme facts —
  workers and trained workers, a closed value chain with its raw-material area
  code where the producer has one, the modern channels it sells on besides this
  shop — most of them confirmed by the office a few weeks ago, two waiting for
  the office (the producer edited them since).
* ``commune_dakmar`` (a demo user of ``shop.demo.data.USERS``, group
  ``commune_officer``) becomes the OCOP officer of the Đăk Mar commune.
* Reports are left to the office. The plan 2021–2025 is seeded by the
  programme's migration ``0002``; if it is missing, nothing is made here.

Safe to run again: a producer that has facts keeps them (the producer or the
office may have changed them), an officer row that exists is kept.
"""

from __future__ import annotations

import datetime
import importlib

from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from shop.core.progress import Progress
from shop.programme.models import CommuneOfficer, PlanPeriod, ProducerFacts
from vendors.models import AdministrativeUnit, Vendor

OFFICE_USERNAME = "office"
OFFICER_USERNAME = "commune_dakmar"
OFFICER_COMMUNE = "dak-mar"

# partner code → (closed value chain, raw-material area code, workers, trained, other modern
# channels, confirmed days ago or None while the office has not looked at the producer's edit)
FACTS = {
    "htx-nong-nghiep-dak-mar": (
        True, "KT-DH-DM-CF-001", 42, 18, "Sàn Shopee (gian hàng HTX Đăk Mar); Co.opmart Kon Tum", 24,
    ),
    "htx-dich-vu-nong-nghiep-ngok-wang": (
        True, "KT-DH-NW-LUA-003", 35, 9, "", 31,
    ),
    "tht-det-tho-cam-dak-long": (False, "", 18, 6, "", 45),
    "cong-ty-ca-phe-dak-ha-xanh": (
        True, "KT-DH-CF-017", 26, 14,
        "Sàn Tiki, Lazada; chuỗi cửa hàng tiện lợi Bách hoá Xanh Kon Tum", 12,
    ),
    "trang-trai-duoc-lieu-dak-pxi": (
        True, "KT-DH-DP-SAM-002", 12, 5, "Sàn Shopee; nhà thuốc đông y Phúc Khang (Kon Tum)", None,
    ),
    "hkd-ruou-truyen-thong-ha-mon": (False, "", 4, 0, "", 60),
    "htx-nong-nghiep-dak-ui": (
        True, "KT-DH-DU-CD-005", 30, 11, "Siêu thị Co.opmart Kon Tum", 18,
    ),
    "htx-nong-nghiep-duoc-lieu-dak-hring": (
        False, "KT-DH-DHR-CC-004", 22, 8, "Sàn Lazada", None,
    ),
    "htx-du-lich-cong-dong-ngok-reo": (False, "", 16, 10, "Nền tảng đặt phòng Traveloka", 40),
    "htx-may-tre-dan-dak-ngok": (False, "", 20, 4, "", 52),
}


def _facts(office, now):
    vendors = {
        v.partner.code: v
        for v in Vendor.objects.filter(partner__code__in=list(FACTS)).select_related("partner")
    }
    have = set(ProducerFacts.objects.filter(vendor__in=vendors.values()).values_list(
        "vendor_id", flat=True
    ))
    rows = []
    for code, (chain, area, workers, trained, channels, days_ago) in FACTS.items():
        vendor = vendors.get(code)
        if vendor is None or vendor.pk in have:
            continue
        confirmed = days_ago is not None and office is not None
        rows.append(ProducerFacts(
            vendor=vendor, closed_value_chain=chain, raw_material_area_code=area,
            workers=workers, trained_workers=trained, modern_channels=channels,
            confirmed_at=now - datetime.timedelta(days=days_ago) if confirmed else None,
            confirmed_by=office if confirmed else None,
        ))
    ProducerFacts.objects.bulk_create(rows)
    return len(rows)


def _officer():
    user = get_user_model().objects.filter(username=OFFICER_USERNAME).first()
    commune = AdministrativeUnit.objects.filter(code=OFFICER_COMMUNE).first()
    if user is None or commune is None:
        return 0
    _row, created = CommuneOfficer.objects.get_or_create(user=user, defaults={"commune": commune})
    return int(created)


@transaction.atomic
def load_demo_programme(progress=None, now=None):
    """The producers' programme facts and the commune officer; returns how many rows were new."""
    progress = progress or Progress()
    now = now or timezone.now()
    office = get_user_model().objects.filter(username=OFFICE_USERNAME).first()
    created = _facts(office, now) + _officer()
    # the seed's plan comes with its migration; put it back if the data was emptied since
    importlib.import_module("shop.programme.migrations.0002_seed_plan_2021_2025").seed(
        django_apps, None
    )
    total = ProducerFacts.objects.count()
    confirmed = ProducerFacts.objects.filter(confirmed_at__isnull=False).count()
    plan = PlanPeriod.objects.filter(start_year=2021, end_year=2025).first()
    note = f"{confirmed} confirmed; officer {OFFICER_USERNAME} of Đăk Mar; " + (
        f"plan {plan.start_year}–{plan.end_year}: {plan.targets.count()} targets"
        if plan else "no plan 2021–2025"
    )
    progress.step("programme facts (demo)", total, created, note)
    return created
