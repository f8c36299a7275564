"""JWT access and refresh tokens as Saleor issues them (placeholder: the account area fills it)."""


class TokenError(Exception):
    def __init__(self, message, code):
        super().__init__(message)
        self.message, self.code = message, code


def user_from_header(header):
    """The user an ``Authorization: Bearer <access token>`` header names, or None."""
    return None
