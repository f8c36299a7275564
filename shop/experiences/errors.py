"""The refusals of the experience rules: each has a stable ``code`` and a Vietnamese message.

``str(error)`` is the message for the user (shown as is by views, the till and
the checkout); ``error.code`` is for code and tests. All derive from
:class:`ExperienceError`, so a view catches one class and answers 400.
"""

from django.utils.translation import gettext as _


class ExperienceError(Exception):
    code = "invalid"
    default_message = ""

    def __init__(self, message=None, code=None):
        self.code = code or self.code
        super().__init__(message or self.default_message or _("Không thực hiện được."))

    @property
    def message(self):
        return str(self)


class NotBookable(ExperienceError):
    """The departure cannot be booked (codes: not_experience, cancelled, past, lead_time,
    cutoff, not_found)."""

    code = "not_bookable"


class NoPlaces(ExperienceError):
    """Fewer places left than asked (code: no_places)."""

    code = "no_places"

    def __init__(self, message=None, code=None, left=0):
        self.left = left
        super().__init__(message, code)


class InvalidPeople(ExperienceError):
    """Number of people not a whole number ≥ 1 (code: people)."""

    code = "people"


class InvalidDeparture(ExperienceError):
    """Bad departure data: times, places, season, weekdays (code: departure); places below
    those already taken (code: places); a departure that can no longer be changed (codes:
    cancelled, past)."""

    code = "departure"


class CannotCancel(ExperienceError):
    """Codes: cancel_cutoff, checked_in, already_cancelled (only for strict callers);
    from a till return (``returns``): ticket_used (a ticket checked in or its departure
    started), voucher_used (a gift voucher already put on a departure)."""

    code = "cannot_cancel"


class CheckInRefused(ExperienceError):
    """Codes: unknown_code, already_checked_in, cancelled, wrong_day, no_departure."""

    code = "check_in"


class NotAllowed(ExperienceError):
    """The user may not touch this departure or booking (code: forbidden)."""

    code = "forbidden"
