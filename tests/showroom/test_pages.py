"""The district office's inventory pages: access, validation messages, query budgets, CSV."""

import pytest
from django.urls import reverse

from showroom import inventory
from showroom.models import Stock, StockMove, Transfer

from .factories import make_offer, make_office_user, order_for, three_locations

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("invariant")]


@pytest.fixture
def locs():
    return three_locations()


@pytest.fixture
def office(client):
    user = make_office_user()
    client.force_login(user)
    return user


PAGES = [
    ("showroom:overview", {}),
    ("showroom:receipt-create", {}),
    ("showroom:transfer-list", {}),
    ("showroom:transfer-create", {}),
    ("showroom:count-start", {}),
    ("showroom:count", {"code": "showcase"}),
    ("showroom:ledger", {}),
    ("showroom:low-stock", {}),
]


@pytest.mark.parametrize("name,kwargs", PAGES)
def test_pages_answer_the_office(client, office, locs, name, kwargs):
    make_offer(stock={locs[0]: 2})
    response = client.get(reverse(name, kwargs=kwargs))
    assert response.status_code == 200


@pytest.mark.parametrize("name,kwargs", PAGES)
def test_pages_refuse_others(client, django_user_model, locs, name, kwargs):
    url = reverse(name, kwargs=kwargs)
    assert client.get(url).status_code == 302  # anonymous → login
    staff = django_user_model.objects.create_user("staff", "s@example.vn", "x", is_staff=True)
    client.force_login(staff)
    assert client.get(url).status_code == 403  # staff outside the office group


def test_overview_shows_each_location_and_online(client, office, locs):
    sr = make_offer(title="Mật ong rừng Đăk Hà", stock={locs[0]: 4, locs[1]: 3, locs[2]: 1})
    order_for([(sr, 2)])
    content = client.get(reverse("showroom:overview")).content.decode()
    assert "Mật ong rừng Đăk Hà" in content
    for location in locs:
        assert location.name in content
    row = client.get(reverse("showroom:overview")).context["rows"][0]
    assert [(s.quantity, s.quantity_allocated) for s in row["cells"]] == [(4, 2), (3, 0), (1, 0)]
    assert row["online"] == 6


def test_receipt_page_records_and_explains_refusals(client, office, locs):
    sr = make_offer(stock={})
    url = reverse("showroom:receipt-create")
    bad = client.post(url, {
        "location": locs[1].pk,
        "lines": f"KHONG-CO 5\n{sr.partner_sku} 0\n{sr.partner_sku} abc\n{sr.partner_sku}",
    })
    assert bad.status_code == 200
    errors = " ".join(bad.context["form"].errors["lines"])
    assert "Dòng 1: không tìm thấy sản phẩm có mã “KHONG-CO”" in errors
    assert "Dòng 2: Số lượng phải lớn hơn 0." in errors
    assert "Dòng 3: số lượng “abc” không phải số nguyên." in errors
    assert "Dòng 4: cần đúng hai phần" in errors
    assert not StockMove.objects.exists()
    ok = client.post(url, {"location": locs[1].pk, "reference": "PGH-9",
                           "lines": f"{sr.partner_sku} 12"})
    assert ok.status_code == 302
    move = StockMove.objects.get()
    assert (move.kind, move.quantity, move.user, move.reference) == ("receipt", 12, office, "PGH-9")


def test_receipt_refuses_another_producers_goods(client, office, locs):
    sr, other = make_offer(), make_offer()
    response = client.post(reverse("showroom:receipt-create"), {
        "location": locs[0].pk, "partner": other.partner.pk, "lines": f"{sr.partner_sku} 3",
    })
    assert response.status_code == 200
    assert "không tìm thấy" in " ".join(response.context["form"].errors["lines"])


def test_transfer_pages_send_and_receive(client, office, locs):
    sr = make_offer(stock={locs[0]: 5})
    url = reverse("showroom:transfer-create")
    same = client.post(url, {"source": locs[0].pk, "destination": locs[0].pk,
                             "lines": f"{sr.partner_sku} 1", "send_now": "on"})
    assert "phải khác nhau" in " ".join(same.context["form"].errors["destination"])
    too_many = client.post(url, {"source": locs[0].pk, "destination": locs[1].pk,
                                 "lines": f"{sr.partner_sku} 6", "send_now": "on"})
    assert "chỉ còn 5" in " ".join(too_many.context["form"].errors["lines"])
    assert not Transfer.objects.exists()
    response = client.post(url, {"source": locs[0].pk, "destination": locs[1].pk,
                                 "lines": f"{sr.partner_sku} 2", "send_now": "on"})
    transfer = Transfer.objects.get()
    assert response.status_code == 302 and transfer.status == "in_transit"
    detail = reverse("showroom:transfer-detail", kwargs={"pk": transfer.pk})
    assert client.get(detail).status_code == 200
    client.post(detail, {"action": "receive"})
    client.post(detail, {"action": "receive"})  # twice: refused with a message, no change
    assert Stock.objects.get(stockrecord=sr, location=locs[1]).quantity == 2
    assert client.post(detail, {"action": "nonsense"}).status_code == 302


def test_count_page_adjusts_with_reason(client, office, locs):
    sr = make_offer(stock={locs[0]: 10})
    stock = Stock.objects.get(stockrecord=sr, location=locs[0])
    url = reverse("showroom:count", kwargs={"code": "showcase"})
    bad = client.post(url, {f"stock_{stock.pk}": "-3", "reason": ""})
    assert bad.status_code == 200
    assert bad.context["form"].errors["reason"]
    assert "Số lượng không được âm." in bad.context["form"].errors[f"stock_{stock.pk}"]
    ok = client.post(url, {f"stock_{stock.pk}": "7", "reason": "Hỏng 3 hộp"})
    assert ok.status_code == 302
    stock.refresh_from_db()
    assert stock.quantity == 7
    assert StockMove.objects.get(kind="adjustment").reason == "Hỏng 3 hộp"


def test_ledger_filters_and_exports_csv(client, office, locs):
    a = make_offer(title="Cà phê Đăk Hà", stock={locs[0]: 3})
    b = make_offer(title="Mật ong", stock={locs[1]: 4})
    order_for([(a, 1)])
    url = reverse("showroom:ledger")
    moves = client.get(url, {"product": a.partner_sku}).context["moves"]
    assert {m.kind for m in moves} == {"receipt", "allocation"}
    assert list(client.get(url, {"location": locs[1].pk}).context["moves"])[0].stock.stockrecord == b
    assert len(client.get(url, {"kind": "allocation"}).context["moves"]) == 1
    assert client.get(url, {"date_from": "2020-01-02", "date_to": "2020-01-01"}).status_code == 200
    assert client.get(url, {"date_from": "không phải ngày"}).status_code == 200
    response = client.get(url, {"format": "csv", "product": a.partner_sku})
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode()
    lines = body.strip().splitlines()
    assert len(lines) == 3 and "Cà phê Đăk Hà" in lines[1]


def test_low_stock_page_and_threshold(client, office, locs):
    sr = make_offer(title="Rượu cần", stock={locs[0]: 2, locs[1]: 50})
    content = client.get(reverse("showroom:low-stock")).content.decode()
    assert "Rượu cần" in content
    stock = Stock.objects.get(stockrecord=sr, location=locs[1])
    url = reverse("showroom:threshold", kwargs={"pk": stock.pk})
    assert client.post(url, {"low_stock_threshold": "-1"}).status_code == 200
    assert client.post(url, {"low_stock_threshold": "60"}).status_code == 302
    stock.refresh_from_db()
    assert (stock.low_stock_threshold, stock.quantity) == (60, 50)
    assert len(client.get(reverse("showroom:low-stock")).context["stocks"]) == 2


@pytest.mark.parametrize("name", ["showroom:overview", "showroom:ledger"])
def test_query_budget_is_the_same_for_10_and_50_products(
    client, office, locs, django_assert_max_num_queries, name, capsys
):
    counts = {}
    for n in (10, 50):
        for _ in range(n - Stock.objects.values("stockrecord").distinct().count()):
            sr = make_offer(stock={locs[0]: 3, locs[1]: 2})
            inventory.send_transfer(inventory.create_transfer(locs[0], locs[2], [(sr, 1)]))
        with django_assert_max_num_queries(20) as ctx:
            response = client.get(reverse(name))
        assert response.status_code == 200
        counts[n] = len(ctx.captured_queries)
    with capsys.disabled():
        print(f"\n[queries] {name}: {counts}")
    assert counts[10] == counts[50]
