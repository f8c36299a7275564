"""Vietnamese phone numbers: parsed by ``phonenumbers``, stored in E.164 (``+84…``).

One home for every form that takes a phone: the checkout's address, the experience
booking's contact, the storefront API's addresses.
"""

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def normalise_phone(raw: str) -> str:
    """A Vietnamese phone number in E.164 (``+84912345678``), or ValidationError."""
    raw = (raw or "").strip()
    if not raw:
        raise ValidationError(_("Hãy nhập số điện thoại."))
    try:
        number = phonenumbers.parse(raw, "VN")
    except phonenumbers.NumberParseException as error:
        raise ValidationError(_("Số điện thoại không hợp lệ.")) from error
    if not phonenumbers.is_valid_number(number) or phonenumbers.region_code_for_number(
        number
    ) != "VN":
        raise ValidationError(
            _("Số điện thoại không hợp lệ: cần số Việt Nam, vd. 0912 345 678.")
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
