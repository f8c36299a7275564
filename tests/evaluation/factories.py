"""Factories of the OCOP evaluation: rounds, sheets, dossiers, councils, applications in any state.

``world()`` builds one round with everything a move needs: a producer (and its user), a
product in the food group, the group's sheet and document list, the commune officer, the
office, a council (chair + one member) — used by the state-machine, access and view tests.
"""

import datetime
import itertools
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shop.core.roles import COUNCIL_MEMBER, PRODUCER, ensure_role_groups
from shop.evaluation.models import (
    Application,
    ApplicationDocument,
    Council,
    CouncilMember,
    Criterion,
    CriterionOption,
    Decision,
    DocumentKind,
    EvaluationRound,
    RequiredDocument,
    Scorecard,
    ScoreEntry,
    ScoringSheet,
    SheetPart,
    State,
)
from tests.factories import jpeg_bytes, make_category, make_product, make_unit, make_vendor
from tests.programme.factories import make_office, make_officer, make_user
from vendors.access import grant_producer_access

_seq = itertools.count(1)
PARTS = {"A": 40, "B": 25, "C": 35}


def today():
    return timezone.localdate()


def make_round(**kwargs):
    n = next(_seq)
    day = today()
    defaults = {
        "year": day.year, "name": f"Đợt đánh giá số {n}",
        "certifying_body": "UBND tỉnh Quảng Ngãi",
        "applications_until": day + datetime.timedelta(days=30),
        "commune_check_until": day + datetime.timedelta(days=45),
        "scoring_until": day + datetime.timedelta(days=60),
    }
    defaults.update(kwargs)
    return EvaluationRound.objects.create(**defaults)


def make_sheet(group, criteria_per_part=1):
    """A sound sheet: per part ``criteria_per_part`` criteria whose options are every whole
    number of points from 0 to the criterion's share (so any total can be scored)."""
    sheet = ScoringSheet.objects.create(group=group, title=f"Phiếu chấm {group.name}")
    for code, max_points in PARTS.items():
        part = SheetPart.objects.create(sheet=sheet, code=code, title=f"Phần {code}",
                                        max_points=max_points)
        shares = [max_points // criteria_per_part] * criteria_per_part
        shares[-1] += max_points - sum(shares)
        for order, share in enumerate(shares, start=1):
            criterion = Criterion.objects.create(part=part, order=order,
                                                 text=f"Tiêu chí {code}{order}")
            CriterionOption.objects.bulk_create([
                CriterionOption(criterion=criterion, order=p, text=f"{p} điểm", points=p)
                for p in range(share + 1)
            ])
    return sheet


def make_kinds(group):
    """Two mandatory kinds (registration; food-safety certificate with validity), one optional."""
    n = next(_seq)
    kinds = [
        DocumentKind.objects.create(code=f"dang-ky-{n}", name="Giấy đăng ký kinh doanh", order=1),
        DocumentKind.objects.create(code=f"attp-{n}", name="Giấy chứng nhận ATTP",
                                    has_validity=True, order=2),
        DocumentKind.objects.create(code=f"cau-chuyen-{n}", name="Câu chuyện sản phẩm", order=3),
    ]
    for kind in kinds:
        RequiredDocument.objects.create(group=group, kind=kind,
                                        mandatory=not kind.code.startswith("cau-chuyen"))
    return kinds


def upload(name="giay-to.jpg"):
    return SimpleUploadedFile(name, jpeg_bytes(), content_type="image/jpeg")


def attach_documents(application, kinds, user=None):
    """Current documents of every kind, stored directly (setup, not the producer's path)."""
    for kind in kinds:
        doc = ApplicationDocument(
            application=application, kind=kind, uploaded_by=user,
            valid_until=today() + datetime.timedelta(days=365) if kind.has_validity else None,
        )
        doc.file.save("giay-to.jpg", upload(), save=False)
        doc.save()


def make_producer_user(vendor):
    user = make_user("chu-the")
    grant_producer_access(user, vendor)
    user.groups.add(Group.objects.get_or_create(name=PRODUCER)[0])
    return user


def seat(council, user=None, role=CouncilMember.Role.MEMBER):
    user = user or make_user("hoi-dong")
    user.groups.add(Group.objects.get_or_create(name=COUNCIL_MEMBER)[0])
    return CouncilMember.objects.create(council=council, user=user, role=role)


def score(application, member, points, submit=True):
    """A scorecard of ``member`` worth ``points`` in all (parts filled A, then B, then C).

    ``points`` may be an int (spread over the parts) or a dict ``{"A": .., "B": .., "C": ..}``.
    """
    sheet = ScoringSheet.objects.get(group_id=application.group_id, is_active=True)
    if isinstance(points, int):
        left, split = points, {}
        for code, max_points in PARTS.items():
            split[code] = min(left, max_points)
            left -= split[code]
        points = split
    card = Scorecard.objects.create(application=application, member=member, sheet=sheet)
    total = 0
    for part in sheet.parts.all():
        left = points[part.code]
        for criterion in part.criteria.order_by("order"):
            best = max(criterion.options.values_list("points", flat=True))
            take = min(left, best)
            left -= take
            option = criterion.options.get(points=take)
            ScoreEntry.objects.create(scorecard=card, criterion=criterion, option=option,
                                      points=take)
            total += take
    if submit:
        card.total = total
        card.submitted_at = timezone.now()
        card.save()
    return card


@dataclass
class World:
    round: EvaluationRound
    group: object
    sheet: ScoringSheet
    kinds: list
    vendor: object
    product: object
    producer: object
    other_vendor: object
    other_producer: object
    commune: object
    officer: object
    other_officer: object
    office: object
    council: Council
    chair: CouncilMember
    member: CouncilMember
    outsider: object  # a member of another round's council

    def application(self, state=State.DRAFT, documents=True, **kwargs):
        kwargs.setdefault("product", self.product)
        application = Application.objects.create(
            round=self.round, vendor=self.vendor, group=self.group, state=state,
            created_by=self.producer, **kwargs,
        )
        if documents:
            attach_documents(application, self.kinds, self.producer)
        return application

    def decision(self, number=None):
        return Decision.objects.create(
            round=self.round, number=number or f"{next(_seq)}/QĐ-UBND",
            date=today(), body="UBND tỉnh Quảng Ngãi", rating_level="province",
        )


def world(criteria_per_part=1):
    ensure_role_groups()
    group = make_category("Thực phẩm")
    commune = make_unit("Đăk Mar")
    other_commune = make_unit("Ngọk Wang")
    vendor = make_vendor(commune=commune)
    other_vendor = make_vendor(commune=other_commune)
    product = make_product(vendor=vendor, category=group, stars=None, with_image=False)
    round_ = make_round()
    council = Council.objects.create(round=round_, name="Hội đồng đánh giá")
    other_council = Council.objects.create(round=make_round(), name="Hội đồng khác")
    w = World(
        round=round_, group=group, sheet=make_sheet(group, criteria_per_part),
        kinds=make_kinds(group), vendor=vendor, product=product,
        producer=make_producer_user(vendor), other_vendor=other_vendor,
        other_producer=make_producer_user(other_vendor), commune=commune,
        officer=make_officer(commune), other_officer=make_officer(other_commune),
        office=make_office(), council=council,
        chair=seat(council, role=CouncilMember.Role.CHAIR), member=seat(council),
        outsider=seat(other_council).user,
    )
    return w
