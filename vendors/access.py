"""Producer access: the one place that decides what a producer user may reach.

A *producer user* is a user listed in ``Partner.users`` of a Partner that has
a :class:`vendors.models.Vendor` profile. Every producer page and API endpoint
reads its objects through :func:`own`, which narrows a queryset to the
producer's own rows; an object of another producer is simply not in the
queryset, so it answers 404 — page, form, upload, export and API alike.

``SCOPES`` says, per model, which lookup leads from a row to its Vendor. A
model without an entry is refused outright (``ImproperlyConfigured``): nothing
is reachable by a producer unless it is listed here.
"""

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

# model label → lookup from that model to the producer's Vendor
SCOPES = {
    "catalogue.product": "producer",
    "catalogue.productimage": "product__producer",
    "catalogue.ocopcertificate": "product__producer",
    "catalogue.batch": "product__producer",
    "partner.stockrecord": "partner__vendor",
    "showroom.stock": "stockrecord__partner__vendor",
    "order.line": "partner__vendor",
    "vendors.revenueshare": "partner__vendor",
    "vendors.vendor": "",
    "vendors.changerequest": "vendor",
    # tourism experiences (shop.experiences): the provider's own departures and bookings
    "experiences.departure": "product__producer",
    "experiences.departureschedule": "product__producer",
    "experiences.booking": "product__producer",
}

_CACHE_ATTR = "_producer_vendor_cache"


def vendor_for(user):
    """The Vendor ``user`` works for, or None (anonymous, inactive, or not a producer user).

    A user linked to several producers acts for the first one (lowest Partner id).
    The answer is cached on the user object for the request.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if not hasattr(user, _CACHE_ATTR):
        from vendors.models import Vendor

        vendor = (
            Vendor.objects.filter(partner__users=user)
            .select_related("partner", "commune")
            .order_by("partner_id")
            .first()
        )
        setattr(user, _CACHE_ATTR, vendor)
    return getattr(user, _CACHE_ATTR)


def is_producer(user):
    return vendor_for(user) is not None


def scope_lookup(model):
    label = model._meta.label_lower
    if label not in SCOPES:
        raise ImproperlyConfigured(f"vendors.access: no producer scope for {label}")
    return SCOPES[label]


def own(queryset, user):
    """``queryset`` narrowed to the rows of ``user``'s producer (none for anybody else)."""
    lookup = scope_lookup(queryset.model)
    vendor = vendor_for(user)
    if vendor is None:
        return queryset.none()
    if not lookup:
        return queryset.filter(pk=vendor.pk)
    return queryset.filter(**{lookup: vendor})


def get_own_or_404(queryset, user, **filters):
    """One of the producer's own objects, or 404 (also when it belongs to another producer)."""
    try:
        return own(queryset, user).get(**filters)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Không tìm thấy.")) from None


def require_producer(user):
    """The user's Vendor; PermissionDenied for a signed-in user who is not a producer user."""
    vendor = vendor_for(user)
    if vendor is None:
        raise PermissionDenied(_("Trang này chỉ dành cho tài khoản của chủ thể OCOP."))
    return vendor


def grant_producer_access(user, vendor):
    """Make ``user`` a producer user of ``vendor`` (Partner.users + the producer group)."""
    from django.contrib.auth.models import Group

    from shop.core.roles import PRODUCER

    vendor.partner.users.add(user)
    user.groups.add(Group.objects.get_or_create(name=PRODUCER)[0])
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


# --- Office ------------------------------------------------------------------

REVIEW_PERMISSION = "vendors.review_changerequest"


def can_review(user):
    """District office staff (or a superuser) may review producers' changes."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm(REVIEW_PERMISSION)
    )
