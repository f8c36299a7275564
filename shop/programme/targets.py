"""The programme's targets against the shop's data: the live value of each ``Target.Measure``.

The rules, one per measure (``on`` = the day measured; a commune limits every
figure to the producers of that commune):

* **Certified products** are products holding a current OCOP certificate on
  ``on``: valid that day (``catalogue.certification.is_valid_on``: decided, not
  expired, not revoked) and, among those, the latest decision
  (``current_certificate``). ``products_3_stars`` counts them all (3★ is the
  lowest rating), ``products_5_stars`` those rated 5★.
* **Subjects** (chủ thể OCOP) are the producers (``vendors.Vendor``) with at
  least one certified product. ``cooperative_share`` = cooperatives
  (``SubjectType.COOPERATIVE``, the seed's "hợp tác xã"; cooperative groups,
  "tổ hợp tác", are not cooperatives) ÷ subjects; ``sme_share`` = enterprises
  (``SubjectType.ENTERPRISE``, "doanh nghiệp nhỏ và vừa") ÷ subjects.
* **Producers' programme facts** (``ProducerFacts``) count only once the office
  has confirmed them (``confirmed_at`` set, on or before ``on``; an edit by the
  producer clears it): ``value_chain_share`` = subjects with a confirmed closed
  value chain ÷ all subjects; ``trained_workers_share`` = trained workers ÷
  workers, summed over the subjects with confirmed facts.
* ``upgraded_share``: certified products whose current certificate was decided
  within the plan (from 1 January of its first year) and follows an earlier
  certificate of the same product with as many stars or fewer — a renewal
  (consolidated) or a re-rating up (upgraded) — ÷ certified products.
* ``modern_channel_share``: subjects that sell on a modern channel ÷ subjects:
  a public product of theirs is offered in this online shop (a stock record
  with a price), or a line of theirs was sold through a livestream
  (``shop.live`` attribution), or their confirmed facts name another modern
  channel (supermarket, convenience chain, e-commerce platform).
* ``showcase_points`` / ``commune_points``: the sales points
  (``showroom.Location``) of those kinds (in the commune, when limited).

**Status**: ``met`` when the value reaches the minimum (a range such as 30–40 %
is met within or above it); ``on_track`` when it reaches the minimum × the
elapsed part of the plan (1 January of its first year to 31 December of its
last, linear pace); otherwise ``behind``.

**Trend**: the value at the end of each plan year so far (31 December; the
current year at ``on``). Sales points have no dated history, so their trend is
empty.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum
from django.utils import timezone
from oscar.core.loading import get_model

from shop.programme.models import PlanPeriod, ProducerFacts, Target

Measure = Target.Measure
MET, ON_TRACK, BEHIND = "met", "on_track", "behind"
UNDATED = (Measure.SHOWCASE_POINTS, Measure.COMMUNE_POINTS)
COUNT_MEASURES = (
    Measure.PRODUCTS_3_STARS, Measure.PRODUCTS_5_STARS, Measure.SHOWCASE_POINTS,
    Measure.COMMUNE_POINTS,
)


def _models():
    return (
        get_model("catalogue", "OcopCertificate"),
        get_model("vendors", "Vendor"),
        get_model("showroom", "Location"),
    )


def end_of_day(day):
    """The first moment after ``day`` in the shop's time zone (for ``created < …`` filters)."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


def in_commune(commune, prefix=""):
    """Producers (reached through ``prefix``) of ``commune``, or of a unit merged into it."""
    if commune is None:
        return Q()
    pk = getattr(commune, "pk", commune)
    return Q(**{f"{prefix}commune_id": pk}) | Q(**{f"{prefix}commune__replaced_by_id": pk})


def valid_on(on, prefix=""):
    """Certificates valid on day ``on`` (the rule of ``certification.is_valid_on``, in SQL)."""
    return Q(**{f"{prefix}decision_date__lte": on, f"{prefix}valid_until__gte": on}) & (
        Q(**{f"{prefix}revoked_on__isnull": True}) | Q(**{f"{prefix}revoked_on__gt": on})
    )


def current_certificates(on, commune=None):
    """One certificate per certified product: the one that rates it on ``on`` (latest decision)."""
    OcopCertificate, _v, _l = _models()
    latest = (
        OcopCertificate.objects.filter(valid_on(on), product=OuterRef("product_id"))
        .order_by("-decision_date", "-pk").values("pk")[:1]
    )
    queryset = OcopCertificate.objects.filter(valid_on(on)).filter(pk=Subquery(latest))
    if commune is not None:
        queryset = queryset.filter(in_commune(commune, "product__producer__"))
    return queryset


def plan_for(day):
    """The plan covering ``day``'s year; else the latest plan that started before it; else None."""
    plans = PlanPeriod.objects.filter(start_year__lte=day.year).order_by("-start_year", "-pk")
    return plans.filter(end_year__gte=day.year).first() or plans.first()


def elapsed_fraction(plan, on):
    """The part of the plan gone by on ``on`` (0 before it starts, 1 from its last day)."""
    first = datetime.date(plan.start_year, 1, 1)
    last = datetime.date(plan.end_year, 12, 31)
    if on <= first:
        return Decimal(0)
    if on >= last:
        return Decimal(1)
    return Decimal((on - first).days) / Decimal((last - first).days)


def status(value, minimum, fraction):
    value, minimum = Decimal(str(value)), Decimal(minimum)
    if value >= minimum:
        return MET
    if value >= minimum * fraction:
        return ON_TRACK
    return BEHIND


def percent(numerator, denominator):
    if not denominator:
        return 0.0
    return round(float(Decimal(numerator) * 100 / Decimal(denominator)), 1)


def live_values(on, plan=None, commune=None):
    """``{measure: (value, numerator, denominator)}`` for every measure on day ``on``.

    Counts have ``denominator`` None. Five queries, whatever the data.
    """
    OcopCertificate, Vendor, Location = _models()
    since = datetime.date(plan.start_year, 1, 1) if plan is not None else datetime.date.min
    moment = end_of_day(on)
    current = current_certificates(on, commune)
    earlier = OcopCertificate.objects.filter(
        product=OuterRef("product_id"), decision_date__lt=OuterRef("decision_date"),
        stars__lte=OuterRef("stars"),
    )
    products = current.aggregate(
        total=Count("pk"),
        five=Count("pk", filter=Q(stars=5)),
        upgraded=Count("pk", filter=Q(Exists(earlier), decision_date__gte=since)),
    )
    subject_ids = current.filter(product__producer__isnull=False).values("product__producer_id")
    confirmed = ProducerFacts.objects.filter(
        vendor=OuterRef("pk"), confirmed_at__isnull=False, confirmed_at__lt=moment,
    )
    Product = get_model("catalogue", "Product")
    Attribution = get_model("live", "Attribution")
    listed = Product.objects.filter(
        producer=OuterRef("pk"), is_public=True, stockrecords__price__isnull=False,
        stockrecords__date_created__lt=moment,
    )
    streamed = Attribution.objects.filter(
        line__partner_id=OuterRef("partner_id"), created_at__lt=moment,
    )
    subjects = Vendor.objects.filter(pk__in=subject_ids).aggregate(
        total=Count("pk"),
        cooperatives=Count("pk", filter=Q(subject_type=Vendor.SubjectType.COOPERATIVE)),
        enterprises=Count("pk", filter=Q(subject_type=Vendor.SubjectType.ENTERPRISE)),
        modern=Count("pk", filter=Q(Exists(listed)) | Q(Exists(streamed)) | Q(
            Exists(confirmed.exclude(modern_channels=""))
        )),
    )
    facts = ProducerFacts.objects.filter(
        vendor_id__in=subject_ids, confirmed_at__isnull=False, confirmed_at__lt=moment,
    ).aggregate(
        chains=Count("pk", filter=Q(closed_value_chain=True)),
        workers=Sum("workers"), trained=Sum("trained_workers"),
    )
    points = Location.objects.filter(in_commune(commune)).aggregate(
        showcase=Count("pk", filter=Q(kind=Location.Kind.SHOWCASE)),
        commune=Count("pk", filter=Q(kind=Location.Kind.COMMUNE_POINT)),
    )
    n = subjects["total"]
    workers, trained = facts["workers"] or 0, facts["trained"] or 0

    def share(numerator, denominator):
        return percent(numerator, denominator), numerator, denominator

    return {
        Measure.PRODUCTS_3_STARS: (products["total"], products["total"], None),
        Measure.PRODUCTS_5_STARS: (products["five"], products["five"], None),
        Measure.COOPERATIVE_SHARE: share(subjects["cooperatives"], n),
        Measure.SME_SHARE: share(subjects["enterprises"], n),
        Measure.VALUE_CHAIN_SHARE: share(facts["chains"], n),
        Measure.UPGRADED_SHARE: share(products["upgraded"], products["total"]),
        Measure.TRAINED_WORKERS_SHARE: share(trained, workers),
        Measure.MODERN_CHANNEL_SHARE: share(subjects["modern"], n),
        Measure.SHOWCASE_POINTS: (points["showcase"], points["showcase"], None),
        Measure.COMMUNE_POINTS: (points["commune"], points["commune"], None),
    }


def _number(value, unit):
    if value is None:
        return None
    if unit == Target.Unit.COUNT and value == int(value):
        return int(value)
    return float(value)


def trend_days(plan, on):
    """``[(year, day)]``: 31 December of each plan year so far, ``on`` for the current one."""
    days = []
    for year in range(plan.start_year, min(on.year, plan.end_year) + 1):
        days.append((year, min(datetime.date(year, 12, 31), on)))
    return days


def evaluate(on, commune=None, plan=None):
    """The contract's ``targets`` list: each target of the plan against its live value on ``on``."""
    plan = plan if plan is not None else plan_for(on)
    if plan is None:
        return []
    targets = list(plan.targets.all())
    if not targets:
        return []
    values = live_values(on, plan, commune)
    history = [(year, live_values(day, plan, commune)) for year, day in trend_days(plan, on)]
    fraction = elapsed_fraction(plan, on)
    rows = []
    for target in targets:
        value, numerator, denominator = values[target.measure]
        rows.append({
            "measure": target.measure,
            "label": str(target.get_measure_display()),
            "unit": target.unit,
            "minimum": _number(target.minimum, target.unit),
            "maximum": _number(target.maximum, target.unit),
            "value": value,
            "numerator": numerator,
            "denominator": denominator,
            "status": status(value, target.minimum, fraction),
            "trend": [] if target.measure in UNDATED else [
                {"year": year, "value": past[target.measure][0]} for year, past in history
            ],
        })
    return rows
