"""The people who use the system, as Django groups.

Admin is a superuser; the district office is staff (Oscar dashboard) in the
``district_office`` group; producers reach the Oscar dashboard through their
Partner with ``partner.dashboard_access``; cashiers are tied to one sales
point (``pos.Cashier``); livestream sellers get their own links.
"""

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

DISTRICT_OFFICE = "district_office"
PRODUCER = "producer"
CASHIER = "cashier"
LIVESTREAM_SELLER = "livestream_seller"
COMMUNE_OFFICER = "commune_officer"
COUNCIL_MEMBER = "council_member"

ROLE_LABELS = {
    DISTRICT_OFFICE: _("Phòng Nông nghiệp huyện"),
    PRODUCER: _("Chủ thể OCOP"),
    CASHIER: _("Thu ngân"),
    LIVESTREAM_SELLER: _("Người bán hàng livestream"),
    COMMUNE_OFFICER: _("Cán bộ OCOP xã"),
    COUNCIL_MEMBER: _("Thành viên Hội đồng đánh giá OCOP"),
}

# Permissions each group holds, as "app_label.codename".
ROLE_PERMISSIONS = {
    DISTRICT_OFFICE: [
        "catalogue.add_ocopcertificate",
        "catalogue.change_ocopcertificate",
        "catalogue.view_ocopcertificate",
        "catalogue.add_batch",
        "catalogue.change_batch",
        "catalogue.view_batch",
        "vendors.view_vendor",
        "vendors.view_changerequest",
        "vendors.review_changerequest",
        "vendors.view_settlement",
        # the office ships the online orders from Oscar's order dashboard
        "order.view_order",
        "order.change_order",
        # the office lifts sign-in locks early in /admin/axes/ (shop.core.signin)
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        # livestream selling: sellers' commission rates, price floors, paying sellers
        "live.manage_live",
        # the programme: targets, producers' programme facts, periodic reports
        "programme.manage_programme",
        # OCOP evaluation: rounds, councils, scoring sheets, decisions (shop.evaluation.access)
        "evaluation.manage_evaluation",
        # tourism experiences: every provider's departures, manifests, check-in
        "experiences.manage_experiences",
    ],
    # Producers work in their own corner (/producer/, vendors.access), not in Oscar's
    # dashboard: Oscar's partner dashboard would let them change prices and listings
    # without the district office's approval.
    PRODUCER: [],
    CASHIER: [],
    LIVESTREAM_SELLER: [],
    # reads /office/programme/ limited to the commune's producers (shop.programme.access)
    COMMUNE_OFFICER: [],
    # scores the applications of the rounds whose council it sits on (shop.evaluation.access)
    COUNCIL_MEMBER: [],
}


def ensure_role_groups():
    """Create the role groups with their permissions; safe to call repeatedly."""
    groups = {}
    for name, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        for dotted in perms:
            app_label, codename = dotted.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        groups[name] = group
    return groups
