"""Demo data of the till beyond the registers and cashiers the demo loader makes:
discount limits per role and one manager per sales point (PIN for approvals).

Safe to run again: rows that exist are left as they are.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from pos.models import Cashier, DiscountLimit, Register
from shop.core.roles import CASHIER

POS_MANAGER = "pos_manager"
CASHIER_LIMIT = Decimal("10")
MANAGER_LIMIT = Decimal("50")
MANAGER_PASSWORD = "QuanLy@2025"  # noqa: S105 - a demo login, printed for the user
MANAGER_PIN = "2468"


@transaction.atomic
def load_demo_pos(stdout=None, reset_passwords=False):
    """Discount limits (cashier 10 %, manager 50 %) and a manager at each sales point with a till.

    Returns the usernames of the managers made now; ``reset_passwords`` puts the printed
    password and PIN back on managers that exist.
    """
    cashier_group, _c = Group.objects.get_or_create(name=CASHIER)
    DiscountLimit.objects.get_or_create(group=cashier_group, defaults={"max_percent": CASHIER_LIMIT})
    manager_group, _m = Group.objects.get_or_create(name=POS_MANAGER)
    manager_group.permissions.add(
        Permission.objects.get(content_type__app_label="pos", codename="approve_discount")
    )
    DiscountLimit.objects.get_or_create(group=manager_group, defaults={"max_percent": MANAGER_LIMIT})
    User = get_user_model()
    made = []
    locations = {r.location_id: r.location for r in Register.objects.select_related("location")}
    for location in sorted(locations.values(), key=lambda loc: loc.code):
        username = f"manager_{location.code.replace('-', '')}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username, email=f"{username}@ocop-dakha.vn", password=MANAGER_PASSWORD,
                first_name="Quản lý", last_name=location.name[:150],
            )
            made.append(username)
        elif reset_passwords:
            user.set_password(MANAGER_PASSWORD)
            user.save(update_fields=["password"])
        user.groups.add(manager_group, cashier_group)
        cashier, created = Cashier.objects.get_or_create(user=user, defaults={"location": location})
        if created or not cashier.manager_pin or reset_passwords:
            cashier.set_manager_pin(MANAGER_PIN)
            cashier.save(update_fields=["manager_pin"])
    if stdout is not None:
        stdout.write(
            f"load_demo_pos: limits cashier {CASHIER_LIMIT} %, manager {MANAGER_LIMIT} %; "
            f"managers {', '.join(made) or 'already there'} (password {MANAGER_PASSWORD}, "
            f"PIN {MANAGER_PIN})."
        )
    return made


def manager_logins():
    """(username, email, password, role, what they can do) of each sales point's demo manager."""
    managers = Cashier.objects.filter(
        user__groups__name=POS_MANAGER, user__username__startswith="manager_",
    ).select_related("user", "location").order_by("location__code")
    return [
        (c.user.username, c.user.email, MANAGER_PASSWORD, POS_MANAGER,
         f"approves discounts above a cashier's limit at {c.location.name} (PIN {MANAGER_PIN})")
        for c in managers
    ]
