"""Saleor's enums, with the values this shop can meet (names and values as Saleor's)."""

import graphene


class LanguageCodeEnum(graphene.Enum):
    EN = "en"
    VI = "vi"


class CountryCode(graphene.Enum):
    VN = "VN"


class ThumbnailFormatEnum(graphene.Enum):
    ORIGINAL = "original"
    AVIF = "avif"
    WEBP = "webp"


def language_of(code):
    """The Django language of a ``LanguageCodeEnum`` value ("vi" by default)."""
    value = getattr(code, "value", code)
    return "en" if str(value or "").lower().startswith("en") else "vi"


class AddressTypeEnum(graphene.Enum):
    BILLING = "billing"
    SHIPPING = "shipping"
