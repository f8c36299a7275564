"""The till API: access per sales point, bad input → clear 4xx, idempotent offline sync,
query budgets, the OpenAPI schema, receipts and the Z-report page."""

import random

import pytest
from django.urls import reverse
from oscar.core.loading import get_model
from rest_framework.test import APIClient

from pos.models import TillReturn, TillSale, TillSession
from showroom.models import Stock
from tests.showroom.conftest import assert_invariants

from .factories import make_cashier, new_uuid

Order = get_model("order", "Order")
pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"pos:{name}", args=args)


def sale_body(shop, session, offer=None, quantity=1, **extra):
    offer = offer or shop.offers[0]
    price = int(offer.price)
    body = {
        "client_uuid": new_uuid(), "session": session.pk,
        "lines": [{"stockrecord": offer.pk, "quantity": quantity, "unit_price": price}],
        "tenders": [{"kind": "cash", "tendered": price * quantity + 1000}],
        "client_total": price * quantity,
    }
    body.update(extra)
    return body


# --- access ----------------------------------------------------------------------------


def test_anonymous_and_non_cashiers_are_refused(shop, client, django_user_model):
    assert APIClient().get(url("api-registers")).status_code in (401, 403)
    outsider = django_user_model.objects.create_user("khach", "k@example.vn", "secret-pass-123")
    api = APIClient()
    api.force_authenticate(outsider)
    response = api.get(url("api-registers"))
    assert response.status_code == 403 and "thu ngân" in response.json()["detail"]
    client.force_login(outsider)
    assert client.get(url("till", shop.register.pk)).status_code == 403
    assert client.get(url("till", shop.register.pk).replace("/pos/", "/pos/")).status_code == 403


def test_cashier_of_point_a_is_refused_on_point_b(shop, api):
    b = shop.other_register
    session_b = TillSession.objects.create(register=b, cashier=shop.cashier, opening_float=0)
    listing = api.get(url("api-registers")).json()
    assert [r["code"] for r in listing["registers"]] == ["sc-1"]
    for method, path, body in [
        ("get", url("api-catalogue", b.pk), None),
        ("get", url("api-lookup", b.pk) + f"?code={shop.offers[0].product.upc}", None),
        ("post", url("api-session-open", b.pk), {"opening_float": 0}),
        ("post", url("api-sales", b.pk), sale_body(shop, session_b)),
        ("get", url("api-session", session_b.pk), None),
        ("post", url("api-session-close", session_b.pk), {"counted_cash": 0}),
        ("post", url("api-cash-movements", session_b.pk), {"kind": "in", "amount": 1, "reason": "x"}),
    ]:
        response = getattr(api, method)(path, body, format="json")
        assert response.status_code == 403, path
        assert "điểm bán" in response.json()["detail"]
    assert not TillSale.objects.exists()


def test_cashier_of_point_b_cannot_open_point_a_pages(shop, client):
    b_cashier = make_cashier(shop.other)
    client.force_login(b_cashier)
    assert client.get(url("till", shop.register.pk)).status_code == 403
    assert client.get(url("till", shop.other_register.pk)).status_code == 200


def test_cashier_of_point_b_cannot_read_or_return_point_a_receipts(shop, api, session, client):
    sale = api.post(url("api-sales", shop.register.pk), sale_body(shop, session), format="json").json()
    b_cashier = make_cashier(shop.other)
    other = APIClient()
    other.force_authenticate(b_cashier)
    assert other.get(url("api-sale", sale["id"])).status_code == 403
    session_b = TillSession.objects.create(register=shop.other_register, cashier=b_cashier)
    response = other.post(url("api-returns", sale["id"]), {
        "session": session_b.pk, "lines": [{"line": sale["lines"][0]["id"], "quantity": 1}],
        "refund_kind": "cash"}, format="json")
    assert response.status_code == 403
    client.force_login(b_cashier)
    assert client.get(url("receipt", sale["id"])).status_code == 403
    assert client.get(url("receipt-pdf", sale["id"])).status_code == 403


# --- scanning ---------------------------------------------------------------------------


def test_lookup_by_code_and_by_name_without_accents(shop, api):
    ginseng = shop.offers[1]
    response = api.get(url("api-lookup", shop.register.pk), {"code": ginseng.product.upc})
    assert response.status_code == 200
    data = response.json()
    assert data["stockrecord"] == ginseng.pk and data["price"] == 85500
    assert data["stars"] == 4 and data["on_hand"] == 2
    response = api.get(url("api-lookup", shop.register.pk), {"q": "sam day ngoc"})
    assert [r["stockrecord"] for r in response.json()["results"]] == [ginseng.pk]


@pytest.mark.parametrize("code, status, error", [
    ("8930000000001", 400, "bad_code"),   # wrong check digit
    ("89300000", 400, "bad_code"),        # too short
    ("abc", 400, "bad_code"),
    ("", 400, "empty_code"),
    ("8931234567897", 404, "unknown_code"),  # well-formed, nobody sells it
    ("9" * 500, 400, "bad_code"),
])
def test_bad_and_unknown_codes_are_clear_4xx(shop, api, code, status, error):
    response = api.get(url("api-lookup", shop.register.pk), {"code": code})
    assert response.status_code == status
    assert response.json()["code"] == error and response.json()["detail"]


def test_catalogue_snapshot(shop, api, django_assert_max_num_queries):
    # A fixed number of queries: offers, their photos and categories prefetched, one for the groups.
    with django_assert_max_num_queries(7):
        response = api.get(url("api-catalogue", shop.register.pk))
    offers = {o["stockrecord"]: o for o in response.json()["offers"]}
    assert set(offers) == {o.pk for o in shop.offers}
    assert offers[shop.offers[0].pk]["search"] == "ca phe dak ha rang xay"


# --- sessions --------------------------------------------------------------------------


def test_session_life_cycle_over_the_api(shop, api):
    response = api.post(url("api-session-open", shop.register.pk), {"opening_float": 200000}, format="json")
    assert response.status_code == 201
    session_id = response.json()["id"]
    again = api.post(url("api-session-open", shop.register.pk), {"opening_float": 0}, format="json")
    assert again.status_code == 409 and again.json()["detail"]
    session = TillSession.objects.get(pk=session_id)
    assert api.post(url("api-sales", shop.register.pk), sale_body(shop, session), format="json").status_code == 201
    move = api.post(url("api-cash-movements", session_id), {"kind": "out", "amount": 20000, "reason": "Mua nước"},
                    format="json")
    assert move.status_code == 201
    bad = api.post(url("api-session-close", session_id), {"counted_cash": "nhiều"}, format="json")
    assert bad.status_code == 400
    closed = api.post(url("api-session-close", session_id), {"counted_cash": 299000}, format="json")
    assert closed.status_code == 200
    report = closed.json()
    assert report["expected_cash"] == 200000 + 120000 - 20000
    assert report["variance"] == -1000
    assert api.post(url("api-session-close", session_id), {"counted_cash": 1}, format="json").status_code == 409


@pytest.mark.parametrize("body", [
    {"opening_float": -1}, {"opening_float": "1,5"}, {"opening_float": 10.5}, {}, [], "x",
])
def test_bad_amounts_opening(shop, api, body):
    response = api.post(url("api-session-open", shop.register.pk), body, format="json")
    assert response.status_code == 400 and response.json()["detail"]


# --- sales ------------------------------------------------------------------------------


@pytest.mark.parametrize("change", [
    {"tenders": [{"kind": "cash", "tendered": 1000}]},
    {"tenders": [{"kind": "cash", "tendered": "một trăm"}]},
    {"tenders": [{"kind": "vietqr", "amount": -120000}]},
    {"lines": [{"stockrecord": 0, "quantity": 1}]},
    {"lines": [{"stockrecord": "abc", "quantity": 1}]},
    {"lines": []},
    {"client_uuid": "123"},
    {"session": "x"},
    {"client_total": -5},
    {"order_discount_percent": "abc"},
])
def test_bad_sales_are_clear_4xx_and_write_nothing(shop, api, session, change):
    body = sale_body(shop, session)
    body.update(change)
    response = api.post(url("api-sales", shop.register.pk), body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["detail"]
    assert not TillSale.objects.exists() and not Order.objects.exists()


def test_discount_above_limit_over_the_api(shop, api, session):
    body = sale_body(shop, session)
    body["lines"][0]["discount_percent"] = 25
    response = api.post(url("api-sales", shop.register.pk), body, format="json")
    assert response.status_code == 403 and response.json()["code"] == "approval_required"
    assert response.json()["limit"] == "10.00"
    body["approval"] = {"manager": shop.manager.username, "pin": "2468"}
    response = api.post(url("api-sales", shop.register.pk), body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["total"] == 90000


def test_offline_sync_replayed_three_times_out_of_order(shop, api, session):
    """Five queued sales, each sent three times, shuffled: five orders, stock moved once each."""
    bodies = []
    for index in range(5):
        offer = shop.offers[index % 3]
        body = sale_body(shop, session, offer=offer, offline=True)
        body["rung_at"] = "2030-01-01T00:00:00+07:00" if index == 0 else None
        bodies.append(body)
    sends = [b for b in bodies for _ in range(3)]
    random.Random(7).shuffle(sends)
    statuses = []
    for body in sends:
        response = api.post(url("api-sales", shop.register.pk), body, format="json")
        statuses.append(response.status_code)
        assert response.status_code in (200, 201)
        assert response.json()["client_uuid"] == body["client_uuid"]
    assert statuses.count(201) == 5 and statuses.count(200) == 10
    assert TillSale.objects.count() == 5 and Order.objects.filter(number__startswith="POS-").count() == 5
    assert sorted(TillSale.objects.values_list("receipt_number", flat=True)) == [1, 2, 3, 4, 5]
    sold = {o.pk: 0 for o in shop.offers}
    for index in range(5):
        sold[shop.offers[index % 3].pk] += 1
    start = {shop.offers[0].pk: 10, shop.offers[1].pk: 2, shop.offers[2].pk: 5}
    for offer in shop.offers:
        stock = Stock.objects.get(stockrecord=offer, location=shop.location)
        assert stock.quantity == start[offer.pk] - sold[offer.pk]
    assert_invariants()


def test_offline_sale_out_of_stock_is_recorded_and_flagged(shop, api, session):
    ginseng = shop.offers[1]
    body = sale_body(shop, session, offer=ginseng, quantity=5, offline=True)
    response = api.post(url("api-sales", shop.register.pk), body, format="json")
    assert response.status_code == 201
    stock = Stock.objects.get(stockrecord=ginseng, location=shop.location)
    assert stock.quantity == -3 and stock.needs_reconciliation


def test_a_uuid_used_on_another_register_is_a_conflict(shop, session, locs):
    from .factories import make_register

    second = make_register(shop.location, code="sc-2")
    s2 = TillSession.objects.create(register=second, cashier=shop.cashier)
    api = APIClient()
    api.force_authenticate(shop.cashier)
    body = sale_body(shop, session)
    assert api.post(url("api-sales", shop.register.pk), body, format="json").status_code == 201
    body["session"] = s2.pk
    assert api.post(url("api-sales", second.pk), body, format="json").status_code == 409


def test_query_budgets_of_scan_and_sale_commit(shop, api, session, django_assert_max_num_queries):
    code = shop.offers[0].product.upc
    # cashier row, register, the offer (with its stock here): 3 + the request's savepoints
    with django_assert_max_num_queries(5):
        assert api.get(url("api-lookup", shop.register.pk), {"code": code}).status_code == 200
    api.post(url("api-sales", shop.register.pk), sale_body(shop, session), format="json")  # warm
    body = sale_body(shop, session, offer=shop.offers[2])
    body["lines"].append({"stockrecord": shop.offers[1].pk, "quantity": 1})
    body["client_total"] += 85500
    body["tenders"] = [{"kind": "vietqr", "amount": 50000}, {"kind": "cash", "tendered": 200000}]
    # Fixed cost + one StockRecord total update per line (the inventory's derived totals)
    # + one insert of the lines' revenue shares (vendors.settlement).
    with django_assert_max_num_queries(27):
        response = api.post(url("api-sales", shop.register.pk), body, format="json")
    assert response.status_code == 201


# --- returns over the API, receipts, Z-report page, schema ---------------------------------


def test_return_flow_over_the_api(shop, api, session, client):
    sale = api.post(url("api-sales", shop.register.pk), sale_body(shop, session, quantity=2),
                    format="json").json()
    found = api.get(url("api-sales", shop.register.pk), {"receipt": sale["receipt"]})
    assert found.status_code == 200 and found.json()["returned"] == {}
    line_id = sale["lines"][0]["id"]
    body = {"session": session.pk, "lines": [{"line": line_id, "quantity": 3}], "refund_kind": "cash"}
    response = api.post(url("api-returns", sale["id"]), body, format="json")
    assert response.status_code == 400 and "đã bán 2" in response.json()["detail"]
    body["lines"][0]["quantity"] = 1
    response = api.post(url("api-returns", sale["id"]), body, format="json")
    assert response.status_code == 201 and response.json()["refund_paid"] == 120000
    assert TillReturn.objects.count() == 1
    found = api.get(url("api-sales", shop.register.pk), {"receipt": sale["receipt"]}).json()
    assert found["returned"] == {str(line_id): 1}
    assert api.get(url("api-sales", shop.register.pk), {"receipt": "sc-1-999999"}).status_code == 404
    assert api.get(url("api-sales", shop.register.pk), {"receipt": "abc"}).status_code == 400


def test_receipt_page_pdf_and_z_report(shop, api, session, client):
    body = sale_body(shop, session)
    body["tenders"] = [{"kind": "vietqr", "amount": 20000, "reference": "FT1"},
                       {"kind": "cash", "tendered": 100000}]
    sale = api.post(url("api-sales", shop.register.pk), body, format="json").json()
    client.force_login(shop.cashier)
    page = client.get(url("receipt", sale["id"]))
    html = page.content.decode()
    assert page.status_code == 200
    for text in ("sc-1-000001", "120.000 ₫", "★★★★", shop.location.name, "thu.ngan.a",
                 "Tiền thối lại", "Chuyển khoản VietQR", "FT1"):
        assert text in html, text
    assert "80mm" in open("pos/static/pos/receipt.css").read()
    pdf = client.get(url("receipt-pdf", sale["id"]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    z = client.get(url("z-report", session.pk))
    assert z.status_code == 200 and "600.000 ₫" in z.content.decode()  # 500.000 + 100.000 in cash


def test_vietqr_for_the_customer_screen(shop, api, session):
    from shop.payment import vietqr

    response = api.get(url("api-vietqr", shop.register.pk), {"amount": 85500})
    assert response.status_code == 200
    data = response.json()
    fields = vietqr.parse_payload(data["payload"])
    assert fields["54"] == "85500" and vietqr.is_valid(data["payload"])
    assert "sc-1-000001" in data["reference"] and data["svg"].startswith("<svg")
    assert api.get(url("api-vietqr", shop.register.pk), {"amount": "0"}).status_code == 400


def test_the_till_api_is_in_the_openapi_schema(shop, client):
    client.force_login(shop.cashier)
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/pos/api/registers/{id}/sales/", "/pos/api/registers/{id}/lookup/",
                 "/pos/api/sessions/{id}/close/", "/pos/api/sales/{id}/returns/",
                 "/pos/api/registers/{id}/catalogue/"):
        assert path in paths
