import pytest

from tests.checkout.support import delivery_zones


@pytest.fixture
def zones(db):
    delivery_zones()
