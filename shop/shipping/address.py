"""Vietnamese addresses and phone numbers.

Provinces and wards come from the ``vietnam-provinces`` package (the official
list after the 1 July 2025 reform: 34 provinces, districts abolished, so an
address is province → ward/commune). Phone numbers are checked by
``shop.core.phones`` (re-exported here for the checkout's forms).
"""

from __future__ import annotations

from functools import lru_cache

from vietnam_provinces import Province, Ward

from shop.core.phones import normalise_phone  # noqa: F401  (the checkout's forms use it here)


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
