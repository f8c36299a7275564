"""Vietnamese addresses and phone numbers.

Provinces and wards come from the ``vietnam-provinces`` package (the official
list after the 1 July 2025 reform: 34 provinces, districts abolished, so an
address is province → ward/commune). Phone numbers are parsed by
``phonenumbers`` and stored in E.164 (``+84…``).
"""

from __future__ import annotations

from functools import lru_cache

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from vietnam_provinces import Province, Ward


@lru_cache(maxsize=1)
def provinces() -> list[tuple[str, str]]:
    """``[(code, name), ...]`` sorted by name."""
    return sorted(((str(int(p.code)), p.name) for p in Province.iter_all()), key=lambda x: x[1])


@lru_cache(maxsize=1)
def _province_by_code() -> dict[str, str]:
    return dict(provinces())


@lru_cache(maxsize=64)
def wards(province_code: str) -> list[tuple[str, str]]:
    """``[(code, name), ...]`` of the wards/communes of a province, sorted by name."""
    try:
        code = Province.from_code(int(province_code)).code
    except (TypeError, ValueError):
        return []
    return sorted(((str(int(w.code)), w.name) for w in Ward.iter_by_province(code)),
                  key=lambda x: x[1])


def province_name(code: str) -> str | None:
    return _province_by_code().get(str(code))


def province_code_for_name(name: str) -> str | None:
    for code, pname in provinces():
        if pname == name:
            return code
    return None


def ward_name(province_code: str, ward_code: str) -> str | None:
    return dict(wards(province_code)).get(str(ward_code))


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
