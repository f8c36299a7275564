"""OCOP certification rules: stars from the score, rating level, 36-month validity, badges.

Decision 148/QĐ-TTg (2023): a product is scored out of 100; 3★ for 50–69,
4★ for 70–89, 5★ for 90–100; below 50 it is not certified. The certificate is
valid 36 months. 3★ used to be rated by the district council, 4★ by the
province and 5★ nationally; Decision 1489/QĐ-TTg (2025) moved 3★ rating to the
province — so the certifying body is data on each certificate, and a 3★
certificate may come from a district or a province council.

``Product.ocop_stars`` is a denormalised copy of the stars of the product's
current certificate (None when there is none): the storefront badge and the
star filter read it, ``refresh_product_stars`` and the daily command
``refresh_ocop_badges`` keep it true.

``catalogue.models`` imports these rules; they read the models through the app
registry (``get_model``), never by importing them, so the two never circle.
"""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

VALIDITY_MONTHS = 36
EXPIRY_WARNING_DAYS = 90
MAX_SCORE = 100

# stars: (lowest score, highest score)
SCORE_BANDS = {3: (50, 69), 4: (70, 89), 5: (90, 100)}
STARS = tuple(SCORE_BANDS)


class Level:
    DISTRICT = "district"
    PROVINCE = "province"
    NATIONAL = "national"

    CHOICES = [
        (DISTRICT, gettext_lazy("Cấp huyện")),
        (PROVINCE, gettext_lazy("Cấp tỉnh")),
        (NATIONAL, gettext_lazy("Cấp trung ương")),
    ]


# District authorities ceased on 1 July 2025 (two-tier local government): no district
# council can sign a rating from that day.
DISTRICT_LEVEL_ENDED = datetime.date(2025, 7, 1)

# Which councils may rate which stars (3★: district before the 2025 reform, province after).
LEVELS_FOR_STARS = {
    3: (Level.DISTRICT, Level.PROVINCE),
    4: (Level.PROVINCE,),
    5: (Level.NATIONAL,),
}


def today():
    return timezone.localdate()


def stars_for_score(score):
    """Stars earned by ``score`` (3, 4 or 5), or None below 50 (not certified)."""
    if score is None or score < 0 or score > MAX_SCORE:
        raise ValueError(f"score must be between 0 and {MAX_SCORE}")
    for stars, (low, high) in SCORE_BANDS.items():
        if low <= score <= high:
            return stars
    return None


def add_months(day, months):
    """``day`` moved by ``months`` calendar months; the 31st (or 29 Feb) falls back to the month's last day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def valid_until(decision_date):
    """The last day a certificate signed on ``decision_date`` is valid.

    Counted as the Civil Code counts a period in months (2015, art. 147–148):
    it starts the day after the decision and ends at the end of the matching
    day of the 36th month — or that month's last day when it has no matching
    day (signed 29 Feb 2024 → valid to 28 Feb 2027).
    """
    return add_months(decision_date, VALIDITY_MONTHS)


def is_valid_on(certificate, day):
    return (
        certificate.decision_date <= day <= valid_until(certificate.decision_date)
        and (certificate.revoked_on is None or day < certificate.revoked_on)
    )


def certificate_errors(stars, score, level, decision_date=None, on=None):
    """Field → Vietnamese message for a certificate whose parts disagree; {} when they agree."""
    errors = {}
    if score is not None and not (0 <= score <= MAX_SCORE):
        errors["score"] = _("Điểm đánh giá phải từ 0 đến 100.")
    elif score is not None:
        earned = stars_for_score(score)
        if earned is None:
            errors["score"] = _(
                "Sản phẩm đạt %(score)d điểm (dưới 50 điểm) không được công nhận hạng sao OCOP."
            ) % {"score": score}
        elif stars is not None and stars != earned:
            errors["stars"] = _(
                "Hạng sao không khớp với điểm: %(score)d điểm tương ứng %(earned)d sao, không phải "
                "%(stars)d sao (3 sao: 50–69 điểm, 4 sao: 70–89 điểm, 5 sao: 90–100 điểm)."
            ) % {"score": score, "earned": earned, "stars": stars}
    if stars is not None and stars not in STARS:
        errors["stars"] = _("Chỉ công nhận hạng 3, 4 hoặc 5 sao.")
    elif stars is not None and level and level not in LEVELS_FOR_STARS[stars]:
        allowed = ", ".join(str(dict(Level.CHOICES)[lv]).lower() for lv in LEVELS_FOR_STARS[stars])
        errors["rating_level"] = _(
            "Sản phẩm %(stars)d sao do Hội đồng %(allowed)s đánh giá, phân hạng."
        ) % {"stars": stars, "allowed": allowed}
    if (
        level == Level.DISTRICT
        and decision_date is not None
        and decision_date >= DISTRICT_LEVEL_ENDED
        and "rating_level" not in errors
    ):
        errors["rating_level"] = _(
            "Từ ngày 01/07/2025 không còn cấp huyện: quyết định từ ngày này do Hội đồng "
            "cấp tỉnh (3, 4 sao) hoặc cấp trung ương (5 sao) ban hành."
        )
    if decision_date is not None and decision_date > (on or today()):
        errors["decision_date"] = _("Ngày quyết định không được ở tương lai.")
    return errors


def validate_certificate(certificate):
    errors = certificate_errors(
        certificate.stars, certificate.score, certificate.rating_level, certificate.decision_date
    )
    if errors:
        raise ValidationError(errors)


def current_certificate(product, on=None):
    """The certificate that rates ``product`` on day ``on`` (default today), or None.

    Among certificates valid that day the latest decision wins: a re-rating
    (an upgrade, say) supersedes the older certificate even before it expires.
    """
    on = on or today()
    candidates = [c for c in product.ocop_certificates.all() if is_valid_on(c, on)]
    if not candidates:
        return None
    return max(candidates, key=lambda c: (c.decision_date, c.pk or 0))


def certificate_status(certificate, on=None):
    """"valid", "superseded", "expired", "revoked" or "pending" (decision in the future)."""
    on = on or today()
    if certificate.revoked_on is not None and certificate.revoked_on <= on:
        return "revoked"
    if on < certificate.decision_date:
        return "pending"
    if on > valid_until(certificate.decision_date):
        return "expired"
    current = current_certificate(certificate.product, on)
    if current is not None and current.pk != certificate.pk:
        return "superseded"
    return "valid"


STATUS_LABELS = {
    "valid": gettext_lazy("Còn hiệu lực"),
    "superseded": gettext_lazy("Đã được thay thế"),
    "expired": gettext_lazy("Hết hiệu lực"),
    "revoked": gettext_lazy("Đã thu hồi"),
    "pending": gettext_lazy("Chưa có hiệu lực"),
}


def stars_on(product, on=None):
    current = current_certificate(product, on)
    return current.stars if current else None


def refresh_product_stars(product, on=None):
    """Set ``product.ocop_stars`` from the registry; return True when it changed."""
    stars = stars_on(product, on)
    if product.ocop_stars == stars:
        return False
    type(product).objects.filter(pk=product.pk).update(ocop_stars=stars)
    product.ocop_stars = stars
    return True


def refresh_all_stars(on=None):
    """Bring every product's badge in line with the registry; return [(product, old, new)]."""
    Product = get_model("catalogue", "Product")
    changes = []
    for product in Product.objects.prefetch_related("ocop_certificates").order_by("pk"):
        old = product.ocop_stars
        if refresh_product_stars(product, on):
            changes.append((product, old, product.ocop_stars))
    return changes


def expiring_certificates(on=None, within_days=EXPIRY_WARNING_DAYS):
    """Current certificates that end within ``within_days`` of ``on``, soonest first.

    A certificate already renewed (a newer one is current) is not listed.
    """
    OcopCertificate = get_model("catalogue", "OcopCertificate")
    on = on or today()
    horizon = on + datetime.timedelta(days=within_days)
    soon = (
        OcopCertificate.objects.filter(
            decision_date__lte=on, valid_until__gte=on, valid_until__lte=horizon
        )
        .select_related("product", "product__producer__partner")
        .prefetch_related("product__ocop_certificates")
        .order_by("valid_until", "product__title")
    )
    return [c for c in soon if current_certificate(c.product, on) == c]
