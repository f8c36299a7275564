"""Who reaches what of livestream selling — the one place that decides it.

* A **seller** (a user with a :class:`~shop.live.models.Seller` profile that is
  active) reaches only their own links, sessions, comments, holds and
  commissions; a seller who is a producer features only their own products
  (:func:`shop.live.sessions.sellable_products`).
* The **district office** (staff holding ``live.manage_live``, or a superuser)
  reaches every seller's, sets commission rates and pays sellers.
* Anyone else gets 403 (signed in) or the sign-in page (anonymous); an object
  of another seller is not in the queryset and answers 404.
"""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from shop.live.models import Comment, CommissionEntry, Hold, Link, LiveOffer, LiveSession, Seller

MANAGE_PERMISSION = "live.manage_live"

# model → lookup from that model to its Seller
SCOPES = {
    Seller: "",
    LiveSession: "seller",
    LiveOffer: "session__seller",
    Link: "seller",
    Comment: "session__seller",
    Hold: "session__seller",
    CommissionEntry: "seller",
}

_CACHE = "_live_seller_cache"


def seller_for(user):
    """The active Seller profile of ``user``, or None (cached on the user for the request)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if not hasattr(user, _CACHE):
        setattr(user, _CACHE, Seller.objects.filter(user=user, is_active=True)
                .select_related("partner").first())
    return getattr(user, _CACHE)


def is_office(user):
    return bool(
        user is not None and user.is_authenticated and user.is_active and user.is_staff
        and user.has_perm(MANAGE_PERMISSION)
    )


def can_use(user):
    return is_office(user) or seller_for(user) is not None


def require(user):
    """The user's Seller (None for the office); PermissionDenied for anybody else."""
    if is_office(user):
        return seller_for(user)
    seller = seller_for(user)
    if seller is None:
        raise PermissionDenied(_("Trang này dành cho người bán hàng livestream."))
    return seller


def require_office(user):
    if not is_office(user):
        raise PermissionDenied(_("Trang này dành cho Phòng Nông nghiệp huyện."))


def own(queryset, user):
    """``queryset`` narrowed to the user's own rows (the office: all of them)."""
    if is_office(user):
        return queryset
    seller = seller_for(user)
    if seller is None:
        return queryset.none()
    lookup = SCOPES[queryset.model]
    return queryset.filter(**{lookup or "pk": seller if lookup else seller.pk})


def get_own_or_404(queryset, user, **filters):
    return get_object_or_404(own(queryset, user), **filters)
