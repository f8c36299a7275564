import pytest

from pos.access import can_approve_discounts, discount_limit
from pos.demo import load_demo_pos
from pos.models import Cashier

from .factories import make_cashier, make_register, three_locations

pytestmark = pytest.mark.django_db


def test_load_demo_pos_is_repeatable():
    locations = three_locations()
    for location in locations:
        make_register(location)
    cashier = make_cashier(locations[0])
    made = load_demo_pos()
    assert len(made) == 3 and load_demo_pos() == []
    manager = Cashier.objects.get(user__username="manager_showcase")
    assert manager.check_manager_pin("2468") and can_approve_discounts(manager.user)
    assert discount_limit(manager.user) == 50 and discount_limit(cashier) == 10
