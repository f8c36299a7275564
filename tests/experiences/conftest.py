import pytest


@pytest.fixture(autouse=True)
def _experience_settings(settings):
    settings.EXPERIENCE_BOOKING_LEAD_HOURS = 12
    settings.EXPERIENCE_BOOKING_CUTOFF_HOURS = 0
    settings.EXPERIENCE_CANCEL_CUTOFF_HOURS = 24


@pytest.fixture(autouse=True)
def _local_clock_at_noon(monkeypatch):
    """The clock reads today's noon, local time, and runs on from there.

    Departures are made for "today at 23:00" or "in N days": at the real clock's late
    evening in Việt Nam such a departure would already have started, or "today" would turn
    into tomorrow during the test. The shop reads the time through ``timezone.now``.
    """
    import datetime

    from django.utils import timezone

    real_now = timezone.now
    start = real_now()
    noon = timezone.localtime(start).replace(hour=12, minute=0, second=0, microsecond=0)
    shift = start - noon
    monkeypatch.setattr(timezone, "now", lambda: real_now() - shift)
    assert isinstance(shift, datetime.timedelta)
