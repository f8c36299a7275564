from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _


def workplaces(user):
    """Links to the places a signed-in user works: producer corner, till, office queue."""
    if not user.is_authenticated:
        return []
    from pos.models import Cashier
    from vendors.access import can_review, vendor_for

    links = []
    if vendor_for(user) is not None:
        links.append((reverse("vendors:home"), _("Góc nhà sản xuất")))
    if _takes_part_in_evaluation(user):
        links.append((reverse("evaluation:home"), _("Đánh giá OCOP")))
    if user.is_superuser or Cashier.objects.filter(user=user).exists():
        links.append((reverse("pos:index"), _("Quầy thu ngân")))
    if can_review(user):
        links.append((reverse("vendors:review-queue"), _("Duyệt thay đổi")))
    if user.is_staff and user.has_perm("vendors.view_settlement"):
        links.append((reverse("settlement:office"), _("Quyết toán")))
    return links


def _takes_part_in_evaluation(user):
    """Producers, commune officers, council members and the office work in /evaluation/."""
    from shop.evaluation.access import is_office, memberships
    from shop.programme.access import officer_commune
    from vendors.access import vendor_for

    return (vendor_for(user) is not None or officer_commune(user) is not None
            or is_office(user) or memberships(user).exists())


def ocop(request):
    """Values every storefront page uses: theme name, card payment switch, the user's workplaces."""
    return {
        "shop_theme": settings.SHOP_THEME,
        "card_payments_enabled": bool(
            settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY
        ),
        # A callable: only evaluated by templates that show it.
        "workplaces": lambda: workplaces(request.user),
    }
