"""A basket whose line sold out meanwhile still opens (no way to receive it can be offered)."""

import pytest
from django.urls import reverse

from showroom import inventory
from tests.checkout.support import add_to_basket, shop_data

pytestmark = pytest.mark.django_db


def test_basket_page_opens_when_a_line_sold_out_everywhere(client):
    locations, coffee, _honey = shop_data()
    add_to_basket(client, coffee, 2)
    for location in locations:  # every unit counted away: no sales point can serve it
        if coffee.location_stocks.filter(location=location, quantity__gt=0).exists():
            inventory.apply_count(location, [(coffee, 0)], reason="kiểm kê: hết hàng")
    response = client.get(reverse("basket:summary"))
    assert response.status_code == 200
    assert "chọn ở bước thanh toán" in response.content.decode()
