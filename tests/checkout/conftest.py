import pytest

from tests.checkout.support import FakeStripe, shop_data, stripe_settings


@pytest.fixture
def shop(db):
    return shop_data()


@pytest.fixture
def fake_stripe(settings):
    fake = FakeStripe()
    stripe_settings(settings, fake)
    yield fake
    fake.stop()
