"""Saleor's ``AddressInput`` as a Vietnamese address of the shop, and back.

Mapping (Saleor field → Oscar address field → what the web checkout's
``DeliveryAddressForm`` asks for):

* ``firstName`` / ``lastName`` → ``first_name`` / ``last_name`` (the web form
  keeps the whole name in ``last_name``; at least one of the two is required);
* ``phone`` → ``phone_number``: a Vietnamese number (``phonenumbers``, region
  VN), kept in E.164 (``+84…``); required;
* ``countryArea`` → ``state``: the province (one of the 34 provinces since
  1 July 2025, by name as ``shop.shipping.address`` lists them, or by code);
* ``city`` → ``line4``: the ward / commune of that province (by name or code);
* ``streetAddress1`` → ``line1`` (house number, street, village);
  ``streetAddress2`` → ``line2``; ``cityArea`` → ``line3``;
* ``postalCode`` → ``postcode`` (optional: not used in Vietnam);
* ``companyName`` is not kept; ``country`` must be ``VN`` (the only country).

A *delivery* address needs province, ward and street (as the web form does);
a *billing* address (the buyer's contact, and the contact for collecting at a
sales point) needs the name and phone only, the rest is checked when given.
``skipValidation`` is not honoured: an address is always checked.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from shop.graphql.core.errors import InputError, InputErrors
from shop.shipping import address as vn

SHIPPING, BILLING = "SHIPPING", "BILLING"


def _text(value):
    return " ".join(str(value or "").split())


def _province(value):
    """``(code, name)`` of a province given by name (case-insensitive) or code, or None."""
    value = _text(value)
    if not value:
        return None
    name = vn.province_name(value)
    if name:
        return value, name
    lowered = value.casefold()
    for code, pname in vn.provinces():
        if pname.casefold() == lowered:
            return code, pname
    return None


def _ward(province_code, value):
    value = _text(value)
    if not value:
        return None
    name = vn.ward_name(province_code, value)
    if name:
        return name
    lowered = value.casefold()
    for _code, wname in vn.wards(province_code):
        if wname.casefold() == lowered:
            return wname
    return None


def clean(data, kind, field):
    """Oscar address fields (a dict for the ``Checkout`` row) from an ``AddressInput``.

    ``kind`` is SHIPPING (a delivery address) or BILLING; ``field`` the mutation's
    argument name (``shippingAddress``...). Raises InputErrors (code INVALID or
    REQUIRED, ``addressType`` set) naming each bad field.
    """
    data = dict(data or {})
    errors = []

    def error(name, code, message):
        errors.append(InputError(name, code, message, address_type=kind))

    country = data.get("country")
    country = getattr(country, "value", country)
    if country not in (None, "", "VN"):
        error("country", "INVALID", _("Cửa hàng chỉ giao trong Việt Nam (mã quốc gia VN)."))
    first_name, last_name = _text(data.get("first_name")), _text(data.get("last_name"))
    if not (first_name or last_name):
        error("lastName", "REQUIRED", _("Hãy nhập họ và tên."))
    phone = ""
    try:
        phone = vn.normalise_phone(data.get("phone") or "")
    except ValidationError as problem:
        code = "REQUIRED" if not _text(data.get("phone")) else "INVALID"
        error("phone", code, problem.messages[0])
    province = _province(data.get("country_area"))
    ward = None
    if _text(data.get("country_area")) and province is None:
        error("countryArea", "INVALID", _("Không có tỉnh / thành phố này."))
    elif province is None and kind == SHIPPING:
        error("countryArea", "REQUIRED", _("Hãy chọn tỉnh / thành phố."))
    if province is not None:
        ward = _ward(province[0], data.get("city"))
        if ward is None and (kind == SHIPPING or _text(data.get("city"))):
            error("city", "INVALID" if _text(data.get("city")) else "REQUIRED",
                  _("Hãy chọn phường / xã thuộc tỉnh đã chọn."))
    elif _text(data.get("city")) and kind == BILLING:
        error("countryArea", "REQUIRED", _("Hãy chọn tỉnh / thành phố."))
    line1 = _text(data.get("street_address_1"))
    if kind == SHIPPING and not line1:
        error("streetAddress1", "REQUIRED", _("Hãy nhập số nhà, đường hoặc thôn."))
    for name, key, limit in (("firstName", "first_name", 255), ("lastName", "last_name", 255),
                             ("streetAddress1", "street_address_1", 255),
                             ("streetAddress2", "street_address_2", 255),
                             ("cityArea", "city_area", 255), ("postalCode", "postal_code", 64)):
        if len(_text(data.get(key))) > limit:
            error(name, "INVALID", _("Tối đa %(n)s ký tự.") % {"n": limit})
    if errors:
        raise InputErrors(errors)
    return {
        "first_name": first_name, "last_name": last_name,
        "line1": line1, "line2": _text(data.get("street_address_2")),
        "line3": _text(data.get("city_area")), "line4": ward or "",
        "state": province[1] if province else "", "postcode": _text(data.get("postal_code")),
        "country_id": "VN", "phone_number": phone,
    }


def for_graphql(fields, pk):
    """The ``Address`` type's root (``shop.graphql.core.types.Address``) of stored fields."""
    if not fields:
        return None
    return {
        "pk": pk, "first_name": fields.get("first_name", ""), "last_name": fields.get("last_name", ""),
        "company_name": "", "street_address_1": fields.get("line1", ""),
        "street_address_2": fields.get("line2", ""), "city": fields.get("line4", ""),
        "city_area": fields.get("line3", ""), "postal_code": fields.get("postcode", ""),
        "country": "VN", "country_area": fields.get("state", ""),
        "phone": fields.get("phone_number", ""),
        "is_default_shipping_address": None, "is_default_billing_address": None,
    }


def full_name(fields):
    return " ".join(p for p in (fields.get("first_name", ""), fields.get("last_name", "")) if p)
