"""Registers, cashiers, managers and priced offers for the till tests."""

import itertools
import uuid
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from pos.models import Cashier, DiscountLimit, Register
from shop.core.roles import CASHIER
from tests.showroom.factories import make_offer, three_locations

_seq = itertools.count(1)


def make_register(location, code=None):
    n = next(_seq)
    return Register.objects.create(location=location, code=code or f"quay-{n}", name=f"Quầy {n}")


def make_cashier(location, username=None, limit=None, password="secret-pass-123"):
    n = next(_seq)
    user = get_user_model().objects.create_user(
        username=username or f"cashier{n}", email=f"cashier{n}@example.vn", password=password,
    )
    group, _created = Group.objects.get_or_create(name=CASHIER)
    user.groups.add(group)
    DiscountLimit.objects.get_or_create(group=group, defaults={"max_percent": Decimal("10")})
    Cashier.objects.create(user=user, location=location, max_discount_percent=limit)
    return user


def make_manager(location, pin="2468", limit=Decimal("50")):
    user = make_cashier(location, limit=limit)
    user.user_permissions.add(Permission.objects.get(codename="approve_discount", content_type__app_label="pos"))
    cashier = user.cashier
    cashier.set_manager_pin(pin)
    cashier.save()
    return get_user_model().objects.get(pk=user.pk)


def new_uuid():
    return str(uuid.uuid4())


__all__ = ["make_offer", "three_locations", "make_register", "make_cashier", "make_manager",
           "new_uuid"]
