"""The seed's plan: Đăk Hà's OCOP plan 2021–2025 and its targets (section II.2 of the plan).

Data, not code: the office edits these targets and adds the next plan (2026–2030)
on /office/programme/targets/.
"""

from decimal import Decimal

from django.db import migrations

PLAN = {
    "name": "Kế hoạch thực hiện Chương trình mỗi xã một sản phẩm trên địa bàn huyện Đăk Hà "
    "giai đoạn 2021-2025",
    "start_year": 2021,
    "end_year": 2025,
    "decision": "UBND huyện Đăk Hà, thực hiện Kế hoạch số 908/KH-UBND ngày 21/3/2023 "
    "của UBND tỉnh Kon Tum",
}

# measure, unit, minimum, maximum
TARGETS = [
    ("products_3_stars", "count", 20, None),  # ít nhất 20 sản phẩm OCOP đạt từ 3 sao trở lên
    ("products_5_stars", "count", 4, None),  # ít nhất 4 sản phẩm 5 sao (chuỗi giá trị quốc gia)
    ("cooperative_share", "percent", 50, None),  # ít nhất 50% chủ thể là hợp tác xã
    ("sme_share", "percent", 20, None),  # 20% chủ thể là doanh nghiệp vừa và nhỏ
    ("value_chain_share", "percent", 30, None),  # ít nhất 30% chủ thể có chuỗi giá trị khép kín
    ("upgraded_share", "percent", 50, None),  # ít nhất 50% sản phẩm hiện có được củng cố, nâng cấp
    ("trained_workers_share", "percent", 30, None),  # lao động được đào tạo tối thiểu 30%
    ("modern_channel_share", "percent", 30, 40),  # ít nhất 30-40% chủ thể bán kênh hiện đại
    ("showcase_points", "count", 1, None),  # củng cố, nâng cấp 01 điểm của huyện
    ("commune_points", "count", 2, None),  # 02 điểm (cụm) tại các xã, thị trấn
]


def seed(apps, schema_editor):
    PlanPeriod = apps.get_model("programme", "PlanPeriod")
    Target = apps.get_model("programme", "Target")
    if PlanPeriod.objects.filter(start_year=2021, end_year=2025).exists():
        return
    plan = PlanPeriod.objects.create(**PLAN)
    Target.objects.bulk_create([
        Target(
            plan=plan, measure=measure, unit=unit, minimum=Decimal(minimum),
            maximum=None if maximum is None else Decimal(maximum), position=position,
        )
        for position, (measure, unit, minimum, maximum) in enumerate(TARGETS, start=1)
    ])


def unseed(apps, schema_editor):
    PlanPeriod = apps.get_model("programme", "PlanPeriod")
    PlanPeriod.objects.filter(start_year=2021, end_year=2025, name=PLAN["name"]).delete()


class Migration(migrations.Migration):

    dependencies = [("programme", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
