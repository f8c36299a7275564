"""Numbers typed in an address or a field are ASCII digits (``shop.core.numbers.is_digits``):
"²" (a digit to ``str.isdigit``, refused by ``int``) and "١" get the clear answer of any bad
number, never a server error, wherever an id, a page, a receipt or a quantity is read."""

import base64

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from pos.errors import TillError
from pos.money import parse_quantity
from shop.core.numbers import is_digits
from shop.core.roles import DISTRICT_OFFICE
from shop.graphql.core.ids import InvalidId, pk_of
from shop.invoicing.taxcode import InvalidTaxCode, normalise
from shop.live.comments import parse_comment

ODD = ["²", "³", "①", "١", "２", "1²", "-1", "1.0", " 1", ""]


@pytest.mark.parametrize(("value", "expected"), [
    ("0", True), ("12", True), ("007", True),
    *[(odd, False) for odd in ODD], (None, False), (12, False),
])
def test_is_digits(value, expected):
    assert is_digits(value) is expected


@pytest.mark.parametrize("odd", ["²", "١"])
def test_odd_digits_are_refused_like_any_bad_number(odd):
    with pytest.raises(TillError):
        parse_quantity(odd, "Số lượng")
    with pytest.raises(InvalidTaxCode):
        normalise(f"0101{odd}34565")
    with pytest.raises(InvalidId):
        pk_of(base64.b64encode(f"Product:{odd}".encode()).decode(), "Product")
    assert parse_comment(f"mua {odd} hộp", []) is not None  # read, never a crash


@pytest.mark.django_db
@pytest.mark.parametrize("odd", ["²", "١", "abc"])
def test_the_office_invoice_list_ignores_an_odd_location(client, odd):
    user = get_user_model().objects.create_user("office", "o@example.vn", "x", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=DISTRICT_OFFICE)[0])
    client.force_login(user)
    assert client.get("/office/invoices/", {"location": odd}).status_code == 200
