"""Refusals of the till rules; ``str(error)`` is a Vietnamese message for the cashier."""


class TillError(Exception):
    """Bad input or a refused operation (HTTP 400 unless a subclass says otherwise)."""

    status_code = 400
    code = "invalid"

    def __init__(self, message, code=None, **extra):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.extra = extra

    def __str__(self):
        return str(self.message)


class TillNotFound(TillError):
    status_code = 404
    code = "not_found"


class TillConflict(TillError):
    status_code = 409
    code = "conflict"


class ApprovalRequired(TillError):
    """A discount above the cashier's limit without a (valid) manager approval."""

    status_code = 403
    code = "approval_required"


def check_text(value, field):
    """The one rule of free text (``shop.core.text``) for what a cashier types: a TillError naming ``field``."""
    from django.core.exceptions import ValidationError

    from shop.core.text import validate_free_text

    try:
        validate_free_text(value)
    except ValidationError as error:
        raise TillError(error.messages[0], code="control_characters", field=field) from None
    return value
