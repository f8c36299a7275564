"""The district office composes gift combos in the Django admin (Product, "Combo quà tặng").

The components inline is validated by ``catalogue.combos`` (its Vietnamese
messages) and saved through ``combos.set_components``; a refused composition
leaves the database as it was.
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from catalogue import combos
from catalogue.models import ComboComponent, Product
from showroom.models import Stock
from tests.showroom.factories import three_locations

from .factories import certified_offer, combo_record, make_combo

pytestmark = pytest.mark.django_db

INLINE = "combo_components"


def form_data(response):
    """The POST body a browser would send for the admin page in ``response``, unchanged."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form[name].value()
        widget_data = field.widget.format_value(value) if not isinstance(value, list) else value
        if isinstance(value, bool):
            if value:
                data[name] = "on"
            continue
        if value is None or value == []:
            continue
        if isinstance(value, list):
            data[name] = [str(v) for v in value]
        else:
            if isinstance(widget_data, list) or widget_data is None:
                widget_data = value
            data[name] = str(widget_data)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[f"{formset.prefix}-{name}"] = management[name].value()
        # Send no blank extra rows (a browser would send them unchanged).
        data[f"{formset.prefix}-TOTAL_FORMS"] = formset.initial_form_count()
        for form in formset.initial_forms:
            for name in form.fields:
                value = form[name].value()
                if isinstance(value, bool):
                    if value:
                        data[form.add_prefix(name)] = "on"
                    continue
                data[form.add_prefix(name)] = "" if value is None else str(value)
    return data


def with_components(data, rows, start=None):
    """Add ``rows`` of ``(stockrecord, quantity)`` to the components inline in ``data``."""
    data = dict(data)
    start = int(data[f"{INLINE}-TOTAL_FORMS"]) if start is None else start
    for i, (record, quantity) in enumerate(rows, start=start):
        data[f"{INLINE}-{i}-component"] = str(record.pk)
        data[f"{INLINE}-{i}-quantity"] = str(quantity)
        data[f"{INLINE}-{i}-display_order"] = str(i)
    data[f"{INLINE}-TOTAL_FORMS"] = str(start + len(rows))
    return data


def errors(response):
    if response.status_code != 200:
        return None
    return (
        response.context["adminform"].form.errors,
        [fs.formset.non_form_errors() for fs in response.context["inline_admin_formsets"]],
        [fs.formset.errors for fs in response.context["inline_admin_formsets"]],
    )


def add_url():
    return reverse("admin:catalogue_product_add") + f"?product_class={combos.combo_class().pk}"


def snapshot():
    return (
        Product.objects.count(),
        sorted(ComboComponent.objects.values_list("combo_id", "component_id", "quantity")),
    )


@pytest.fixture
def parts():
    showcase, dak_mar, _ngok_wang = three_locations()
    coffee = certified_offer("Cà phê Robusta Đăk Hà", price=Decimal("120000"),
                             stock={showcase: 6, dak_mar: 2})
    honey = certified_offer("Mật ong hoa cà phê", price=Decimal("180000"), stock={showcase: 4})
    return coffee, honey


def test_office_composes_a_combo_in_the_admin(admin_client, parts):
    coffee, honey = parts
    page = admin_client.get(add_url())
    assert page.status_code == 200
    assert "Giá combo (đồng)" in page.content.decode()
    data = form_data(page)
    data.update(title="Hộp quà Tết Đăk Hà", slug="hop-qua-tet-dak-ha", combo_price="390000", is_public="on",
                product_class=str(combos.combo_class().pk), structure="standalone")
    response = admin_client.post(add_url(), with_components(data, [(coffee, 2), (honey, 1)]))
    assert response.status_code == 302, errors(response)

    combo = Product.objects.get(title="Hộp quà Tết Đăk Hà")
    assert combos.is_combo(combo) and combo.upc
    assert [(p.stockrecord, p.quantity) for p in combos.parts_of(combo)] == [
        (coffee, 2), (honey, 1),
    ]
    record = combo_record(combo)
    assert record.price == Decimal("390000") and record.partner == combos.district_partner()
    assert record.num_in_stock == 4  # online: min(⌊8/2⌋, ⌊4/1⌋)
    assert not Stock.objects.filter(stockrecord=record).exists()

    # The change page shows the availability; the office changes the price and a quantity.
    change_url = reverse("admin:catalogue_product_change", args=[combo.pk])
    page = admin_client.get(change_url)
    text = page.content.decode()
    assert "Trực tuyến: còn 4 hộp" in text
    assert "Điểm giới thiệu sản phẩm OCOP huyện Đăk Hà: còn 3 hộp" in text
    data = form_data(page)
    assert data["combo_price"] == "390000"
    first = next(k for k, v in data.items() if k.endswith("-component") and v == str(coffee.pk))
    data[first.replace("-component", "-quantity")] = "4"
    data["combo_price"] = "450000"
    response = admin_client.post(change_url, data)
    assert response.status_code == 302, errors(response)
    record.refresh_from_db()
    assert record.price == Decimal("450000")
    assert record.num_in_stock == 2  # min(⌊8/4⌋, ⌊4/1⌋)
    assert ComboComponent.objects.get(combo=combo, component=coffee).quantity == 4


def test_admin_refuses_a_combo_inside_a_combo(admin_client, parts):
    coffee, honey = parts
    inner = make_combo([(coffee, 1)], title="Combo nhỏ")
    before = snapshot()
    data = form_data(admin_client.get(add_url()))
    data.update(title="Combo lồng combo", slug="combo-long-combo", combo_price="500000", is_public="on",
                product_class=str(combos.combo_class().pk), structure="standalone")
    response = admin_client.post(
        add_url(), with_components(data, [(honey, 1), (combo_record(inner), 1)])
    )
    assert response.status_code == 200
    assert "Combo nhỏ là một combo: combo không thể chứa combo khác." in response.content.decode()
    assert snapshot() == before


def test_admin_refuses_zero_quantity_and_keeps_the_combo(admin_client, parts):
    coffee, honey = parts
    combo = make_combo([(coffee, 2), (honey, 1)], price=Decimal("390000"), title="Hộp quà")
    before = snapshot()
    record_before = combo_record(combo)
    change_url = reverse("admin:catalogue_product_change", args=[combo.pk])
    data = form_data(admin_client.get(change_url))
    first = next(k for k, v in data.items() if k.endswith("-component") and v == str(coffee.pk))
    data[first.replace("-component", "-quantity")] = "0"
    data["combo_price"] = "100000"
    response = admin_client.post(change_url, data)
    assert response.status_code == 200
    assert "Số lượng của Cà phê Robusta Đăk Hà phải lớn hơn 0." in response.content.decode()
    assert snapshot() == before
    record = combo_record(combo)
    assert (record.price, record.num_in_stock) == (record_before.price, record_before.num_in_stock)


def test_admin_refuses_a_price_in_fractions_of_a_dong(admin_client, parts):
    coffee, _honey = parts
    before = snapshot()
    data = form_data(admin_client.get(add_url()))
    data.update(title="Combo lẻ đồng", slug="combo-le-dong", combo_price="1000.5", is_public="on",
                product_class=str(combos.combo_class().pk), structure="standalone")
    response = admin_client.post(add_url(), with_components(data, [(coffee, 1)]))
    assert response.status_code == 200
    assert "Giá phải là số đồng nguyên, không âm." in response.content.decode()
    assert snapshot() == before
