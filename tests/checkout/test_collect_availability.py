"""Click & collect: each point's availability for this basket is shown when choosing, a point
that cannot serve it is disabled with what is missing, and a refused placement takes no
order number (shop.shipping.availability, shop.checkout.views)."""

from django.urls import reverse
from oscar.core.loading import get_model

from showroom import inventory
from showroom.models import Allocation
from tests.checkout.support import ADDRESS, add_to_basket
from tests.combos.factories import certified_offer, make_combo

Order = get_model("order", "Order")
COLLECT = dict(ADDRESS, fulfilment="collect", province="", ward="", line1="")


def start(client, address=COLLECT):
    r = client.post(reverse("checkout:index"), {"username": "k@example.vn", "options": "anonymous"})
    assert r.status_code == 302
    r = client.post(reverse("checkout:shipping-address"), address)
    assert r.status_code == 302


def point_block(page, code):
    """The markup of one point, from its <li> to the end of its form."""
    start = page.index(f'id="point-{code}"')
    start = page.rindex("<li", 0, start)
    return page[start:page.index("</form>", start)]


def test_each_point_shows_whether_it_can_serve_the_basket(client, shop):
    locations, coffee, honey = shop  # coffee: showcase 10, Đăk Mar 3; honey: 5, 2; Ngọk Wang none
    add_to_basket(client, coffee, 3)
    add_to_basket(client, honey, 2)
    start(client)
    response = client.get(reverse("checkout:shipping-method"))
    assert response.status_code == 200
    page = response.content.decode()
    showcase, dak_mar, ngok_wang = (point_block(page, loc.code) for loc in locations)
    assert "is-disabled" not in showcase and " disabled" not in showcase
    assert "is-disabled" not in dak_mar  # exactly enough of both
    assert "is-disabled" in ngok_wang and "disabled aria-describedby" in ngok_wang
    assert f"{coffee.product.title}: cần 3, còn 0" in ngok_wang
    assert f"{honey.product.title}: cần 2, còn 0" in ngok_wang


def test_a_combo_needs_its_components_at_the_point(client, shop):
    locations = shop[0]
    tea = certified_offer("Trà dây Đăk Hà", stock={locations[0]: 5, locations[1]: 1})
    honey = certified_offer("Mật ong Ngọk Wang", stock={locations[0]: 5, locations[1]: 5})
    combo = make_combo([(tea, 2), (honey, 1)])
    add_to_basket(client, combo.stockrecords.get(), 1)
    start(client)
    page = client.get(reverse("checkout:shipping-method")).content.decode()
    assert "is-disabled" not in point_block(page, locations[0].code)
    dak_mar = point_block(page, locations[1].code)
    assert "is-disabled" in dak_mar
    assert f"Trà dây Đăk Hà (trong {combo.title}): cần 2, còn 1" in dak_mar


def test_choosing_a_point_that_cannot_serve_is_refused(client, shop):
    _locations, coffee, _honey = shop
    add_to_basket(client, coffee, 4)  # Đăk Mar has 3
    start(client)
    response = client.post(reverse("checkout:shipping-method"), {"method_code": "collect-dak-mar"})
    assert response.status_code == 400
    assert "cần 4, còn 3" in response.content.decode()
    assert client.get(reverse("checkout:payment-method")).status_code == 302  # nothing chosen


def test_a_point_emptied_after_choosing_refuses_before_taking_an_order_number(client, shop):
    locations, coffee, _honey = shop
    add_to_basket(client, coffee, 2)
    start(client)
    r = client.post(reverse("checkout:shipping-method"), {"method_code": "collect-dak-mar"})
    assert r.status_code == 302
    r = client.post(reverse("checkout:payment-method"), {"method": "cod"})
    assert r.status_code == 302
    # meanwhile the till sells Đăk Mar's last units
    inventory.apply_count(locations[1], [(coffee, 1)], reason="Kiểm kê")

    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302
    assert response["Location"] == reverse("checkout:shipping-method")
    follow = client.get(response["Location"])
    assert "cần 2, còn 1" in follow.content.decode()
    assert not Order.objects.exists() and not Allocation.objects.exists()
    submission = client.session.get("checkout_data", {}).get("submission", {})
    assert "order_number" not in submission  # Oscar's submit() never ran
    # the shopper switches to the showcase and the order goes through
    client.post(reverse("checkout:shipping-method"), {"method_code": "collect-showcase"})
    client.post(reverse("checkout:payment-method"), {"method": "cod"})
    response = client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Order.objects.get().shipping_code == "collect-showcase"
