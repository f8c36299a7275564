"""Who may use which till: the one place the rule lives.

A cashier (a ``pos.Cashier`` row) reaches only the registers of their own
sales point. A superuser reaches every register. Every API view and every
page of the till asks here.
"""

from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _

from pos.models import Cashier, DiscountLimit, Register

DEFAULT_DISCOUNT_LIMIT = Decimal("0")


class TillAccessDenied(PermissionDenied):
    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


def cashier_of(user):
    """The ``Cashier`` row of ``user`` (cached on the user object), or None."""
    if user is None or not user.is_authenticated:
        return None
    if not hasattr(user, "_pos_cashier"):
        # with the best limit of the user's groups (``discount_limit``): one query for both
        group_limit = DiscountLimit.objects.filter(group__user=OuterRef("user_id")).order_by(
            "-max_percent"
        ).values("max_percent")[:1]
        user._pos_cashier = (
            Cashier.objects.select_related("location").filter(user=user)
            .annotate(group_limit=Subquery(group_limit)).first()
        )
    return user._pos_cashier


def is_till_user(user):
    return bool(user and user.is_authenticated and user.is_active) and (
        user.is_superuser or cashier_of(user) is not None
    )


def registers_for(user):
    """The registers ``user`` may use (active ones)."""
    qs = Register.objects.select_related("location").filter(is_active=True)
    if user.is_superuser:
        return qs
    cashier = cashier_of(user)
    if cashier is None:
        return qs.none()
    return qs.filter(location_id=cashier.location_id)


def can_use_register(user, register):
    if not is_till_user(user) or register is None or not register.is_active:
        return False
    if user.is_superuser:
        return True
    return cashier_of(user).location_id == register.location_id


def check_register(user, register):
    """Refuse (``TillAccessDenied``) unless ``user`` may use ``register``."""
    if not is_till_user(user):
        raise TillAccessDenied(_("Tài khoản này không phải thu ngân."))
    if not register.is_active:
        raise TillAccessDenied(_("Quầy %(code)s đang ngừng sử dụng.") % {"code": register.code})
    if not can_use_register(user, register):
        raise TillAccessDenied(
            _("Bạn chỉ được dùng quầy của điểm bán mình; quầy %(code)s thuộc %(location)s.")
            % {"code": register.code, "location": register.location.name}
        )
    return register


def discount_limit(user):
    """The largest line discount (percent) ``user`` may give alone."""
    if user.is_superuser:
        return Decimal("100")
    cashier = cashier_of(user)
    if cashier is not None and cashier.max_discount_percent is not None:
        return cashier.max_discount_percent
    if cashier is not None and hasattr(cashier, "group_limit"):
        best = cashier.group_limit
    else:
        limits = DiscountLimit.objects.filter(group__user=user).values_list("max_percent", flat=True)
        best = max(limits, default=None)
    if best is None:
        return Decimal(str(getattr(settings, "POS_DEFAULT_DISCOUNT_LIMIT", DEFAULT_DISCOUNT_LIMIT)))
    return best


def can_approve_discounts(user):
    return bool(user and user.is_active) and user.has_perm("pos.approve_discount")


def approving_manager(username, secret, location):
    """The active manager ``username`` who may approve discounts at ``location`` and whose
    manager PIN or password is ``secret``; else None (``pos.approvals`` counts the tries)."""
    manager = get_user_model().objects.filter(username=username, is_active=True).first()
    if manager is None or not can_approve_discounts(manager):
        return None
    cashier = cashier_of(manager)
    if cashier is not None and not manager.is_superuser and cashier.location_id != location.pk:
        return None
    pin_ok = cashier is not None and cashier.check_manager_pin(secret)
    if not pin_ok and not manager.check_password(secret):
        return None
    return manager
