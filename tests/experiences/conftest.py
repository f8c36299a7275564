import pytest


@pytest.fixture(autouse=True)
def _experience_settings(settings):
    settings.EXPERIENCE_BOOKING_LEAD_HOURS = 12
    settings.EXPERIENCE_BOOKING_CUTOFF_HOURS = 0
    settings.EXPERIENCE_CANCEL_CUTOFF_HOURS = 24
