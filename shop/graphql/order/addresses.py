"""Oscar addresses (an order's, a customer's address book) as the root dicts of Saleor's
``Address`` (``shop.graphql.core.types``).

How the checkout fills an Oscar address, and where each part goes in Saleor's:

=================  ===================  =========================================
Saleor             Oscar                the shop's checkout
=================  ===================  =========================================
firstName          first_name           (usually empty)
lastName           last_name            the full name
streetAddress1     line1                house number and street / hamlet
streetAddress2     line2
cityArea           line3
city               line4                the ward or commune
countryArea        state                the province
postalCode         postcode
country            country (ISO code)   VN
phone              phone_number         E.164, e.g. +84912345678
companyName        —                    always ""
=================  ===================  =========================================
"""

from shop.graphql.core.types import ADDRESS_FIELDS


def address_dict(address, default_shipping=False, default_billing=False):
    """The ``Address`` root of an Oscar address (order or user address), None for None."""
    if address is None:
        return None
    phone = getattr(address, "phone_number", None)
    values = {
        "first_name": address.first_name or "",
        "last_name": address.last_name or "",
        "company_name": "",
        "street_address_1": address.line1 or "",
        "street_address_2": address.line2 or "",
        "city": address.line4 or "",
        "city_area": address.line3 or "",
        "postal_code": address.postcode or "",
        "country": address.country_id or "VN",
        "country_area": address.state or "",
        "phone": (phone.as_e164 if hasattr(phone, "as_e164") else str(phone)) if phone else "",
    }
    assert set(values) == set(ADDRESS_FIELDS)
    values.update(pk=address.pk, is_default_shipping_address=default_shipping,
                  is_default_billing_address=default_billing)
    return values


def user_address_dict(address):
    return address_dict(address, bool(address.is_default_for_shipping), bool(address.is_default_for_billing))
