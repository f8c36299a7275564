"""The published OpenAPI schema (/api/schema/) tells the truth about the API.

Schemathesis loads the schema from the in-process WSGI application and sends
every operation of the producer API (with a producer's token from
/api/producer/token/), of the till API (with a signed-in cashier's session
and CSRF token), of the live-session API (a seller's session) and of the OCOP
evaluation API (the district office's session) a bounded number of generated requests: valid ones (against a
real row of the producer or the register, and against generated ids) and
invalid ones. Every answer must be documented: no server error, a documented
status code and content type, a body of the documented shape, and invalid
input refused.
"""

import io
import uuid
from collections import Counter
from decimal import Decimal

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st
from PIL import Image
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from pos import sales, sessions
from tests.factories import jpeg_bytes
from tests.pos.factories import make_cashier, make_offer, make_register
from tests.showroom.factories import three_locations
from tests.vendors.conftest import PASSWORD, make_producer

pytestmark = pytest.mark.django_db

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
EXAMPLES = 15  # per operation and kind of generated request
CASHIER_PASSWORD = "mat-khau-thu-ngan-456"
SKIPPED = {"/api/schema/"}  # the schema document itself: its own test below
# Revoking the token under test signs the producer out: these run last.
REVOKING = ("POST /api/producer/token/revoke/", "DELETE /api/producer/token/revoke/",
            "POST /api/producer/token/revoke-all/")


@pytest.fixture
def credentials(world, client):
    """A producer's token and a cashier's session, each obtained by signing in."""
    return producer_token(client), cashier_cookies(Client())


@pytest.fixture
def spare_tokens(world, client):
    """More tokens of the producer, each for one revoking request that should succeed."""
    return {label: producer_token(client) for label in REVOKING}


# --- livestream control API (/live/api/, shop.live.api): a seller's sessions and signed-in cookies
@pytest.fixture
def live(world):
    """A seller with a scheduled session (to start), a live one (to end), a live one with an offer."""
    from shop.live import sessions as live_sessions
    from tests.live.factories import live_session_with_offer, make_seller, make_session

    seller = make_seller("Người bán thử")
    scheduled = make_session(seller, title="Phiên sắp phát")
    to_end = live_sessions.start(make_session(seller, title="Phiên sẽ kết thúc"))
    session, offer, _stockrecord = live_session_with_offer(seller, cap=5, stock=10)
    client = Client()
    client.force_login(seller.user)
    client.get(f"/live/sessions/{session.pk}/control/")  # sets the CSRF cookie
    cookies = {"sessionid": client.cookies["sessionid"].value,
               "csrftoken": client.cookies["csrftoken"].value}
    return {"scheduled": scheduled, "to_end": to_end, "session": session, "offer": offer,
            "cookies": cookies}


def live_known_good(live):
    session, offer = live["session"].pk, live["offer"].pk
    return {
        "GET /live/api/sessions/{id}/": [{"path_parameters": {"id": session}}],
        "POST /live/api/sessions/{id}/start/": [{"path_parameters": {"id": live["scheduled"].pk}}],
        "POST /live/api/sessions/{id}/end/": [{"path_parameters": {"id": live["to_end"].pk}}],
        "POST /live/api/sessions/{id}/pin/": [{"path_parameters": {"id": session},
                                              "body": {"offer": offer}}],
        "PATCH /live/api/sessions/{id}/offers/{offer_pk}/": [{
            "path_parameters": {"id": session, "offer_pk": offer}, "body": {"cap": 6}}],
        "GET /live/api/sessions/{id}/state/": [{"path_parameters": {"id": session}}],
        "GET /live/api/sessions/{id}/events/": [{"path_parameters": {"id": session}}],
    }


# --- OCOP evaluation API (/api/evaluation/, shop.evaluation.api): the office's browser session
@pytest.fixture
def evaluation(world):
    """An application the commune may forward, and the district office signed in."""
    from shop.evaluation.models import State
    from tests.evaluation.factories import world as evaluation_world

    w = evaluation_world()
    application = w.application(state=State.SUBMITTED)
    client = Client()
    client.force_login(w.office)
    client.get("/evaluation/office/rounds/new/")  # a form: sets the CSRF cookie
    cookies = {"sessionid": client.cookies["sessionid"].value,
               "csrftoken": client.cookies["csrftoken"].value}
    return {"application": application, "cookies": cookies}


def evaluation_known_good(evaluation):
    application = evaluation["application"].pk
    return {
        "GET /api/evaluation/applications/{id}/": [{"path_parameters": {"id": application}}],
        "POST /api/evaluation/applications/{id}/transitions/": [{
            "path_parameters": {"id": application}, "body": {"to_state": "forwarded"}}],
        "POST /api/evaluation/applications/{id}/notes/": [{
            "path_parameters": {"id": application}, "body": {"text": "Hồ sơ đầy đủ"}}],
    }


@pytest.fixture
def wsgi_app(credentials, spare_tokens):
    """Django's WSGI handler that keeps the test's database transaction open.

    Django closes "old" connections when a request starts and ends; inside a
    test transaction that would drop it, so (as Django's test client does) the
    handler is called without those receivers. Django's test client connects
    them again after each of its requests: it is not used while this runs.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def world(settings):
    """A producer with everything it owns, and a cashier with an open session and a sale."""
    settings.POS_CASH_ROUNDING = 500
    locations = three_locations()
    producer = make_producer("HTX Đăk Mar", "htx-dak-mar", locations)
    showcase = locations[0]
    register = make_register(showcase, code="sc-1")
    cashier = make_cashier(showcase, username="thu.ngan.a", password=CASHIER_PASSWORD)
    offer = make_offer(title="Cà phê Đăk Hà rang xay", price=Decimal("120000"),
                       stock={showcase: 50})
    spare = make_register(showcase, code="sc-2")  # no session yet: one can be opened
    session = sessions.open_session(register, cashier, 500000)
    sale, _created = sales.record_sale(
        register=register, session=session, user=cashier, client_uuid=str(uuid.uuid4()),
        lines=[{"stockrecord": offer.pk, "quantity": 1}],
        tenders=[{"kind": "cash", "tendered": 200000}],
    )
    return {"producer": producer, "register": register, "spare": spare, "cashier": cashier,
            "session": session, "sale": sale, "offer": offer, "upc": offer.product.upc}


def pdf_bytes():
    """A real one-page PDF (Pillow writes it), as a scanned decision."""
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), "white").save(buffer, "PDF")
    return buffer.getvalue()


def producer_token(client):
    response = client.post("/api/producer/token/",
                           {"username": "htx-dak-mar", "password": PASSWORD})
    assert response.status_code == 200, response.content
    return response.json()["token"]


def cashier_cookies(client):
    client.get("/pos/login/")
    response = client.post("/pos/login/", {"username": "thu.ngan.a", "password": CASHIER_PASSWORD})
    assert response.status_code == 302, response.content
    return {"sessionid": client.cookies["sessionid"].value,
            "csrftoken": client.cookies["csrftoken"].value}


def real_ids(world):
    producer = world["producer"]
    return {
        "/api/producer/products/": producer.product.pk,
        "/api/producer/batches/": producer.batch.pk,
        "/api/producer/certificates/": producer.certificate.pk,
        "/api/producer/changes/": producer.change.pk,
        "/api/producer/sales/": producer.line.pk,
        "/api/producer/shares/": producer.share.pk,
        "/api/producer/stock/": producer.stock.pk,
        "/pos/api/registers/": world["register"].pk,
        "/pos/api/sessions/": world["session"].pk,
        "/pos/api/sales/": world["sale"].pk,
    }


def known_good(world):
    """Requests that should succeed, per operation: the generated ones rarely do."""
    producer, sale = world["producer"], world["sale"]
    product = producer.product.pk
    line = sale.lines.get()
    return {
        "POST /api/producer/token/": [{"body": {"username": "htx-dak-mar", "password": PASSWORD}}],
        "POST /api/producer/products/": [{"body": {"title": "Mật ong rừng Đăk Hà",
                                                   "price": "120000"}}],
        "PUT /api/producer/products/{id}/": [{"path_parameters": {"id": product}, "body": {
            "title": "Cà phê Đăk Mar rang mộc", "price": "185000"}}],
        # only what changes (generated bodies rarely hold a valid price: not left to chance)
        "PATCH /api/producer/products/{id}/": [{"path_parameters": {"id": product}, "body": {
            "description": "Hạt cà phê chín đỏ, rang mộc tại Đăk Mar."}}],
        "POST /api/producer/products/{id}/photos/": [{
            "path_parameters": {"id": product}, "media_type": "multipart/form-data",
            "body": {"original": jpeg_bytes(), "caption": "Mặt sau"}}],
        "POST /api/producer/products/{id}/certificates/": [{
            "path_parameters": {"id": product}, "media_type": "multipart/form-data",
            "body": {"stars": 4, "score": 80, "rating_level": "province",
                     "certifying_body": "UBND tỉnh Kon Tum", "decision_number": "77/QĐ-UBND",
                     "decision_date": "2025-03-01", "scan": pdf_bytes()}}],
        "POST /api/producer/products/{id}/batches/": [{"path_parameters": {"id": product}, "body": {
            "lot_code": "L-2025-05", "production_date": "2025-05-01",
            "best_before": "2026-05-01"}}],
        "PUT /api/producer/batches/{id}/": [{"path_parameters": {"id": producer.batch.pk}, "body": {
            "lot_code": "L-2025-06", "production_date": "2025-06-01", "best_before": "2026-06-01",
            "quantity": 10}}],
        "GET /pos/api/registers/{id}/lookup/": [
            {"path_parameters": {"id": world["register"].pk}, "query": {"code": world["upc"]}},
            {"path_parameters": {"id": world["register"].pk}, "query": {"q": "ca phe"}}],
        "GET /pos/api/registers/{id}/sales/": [{"path_parameters": {"id": world["register"].pk},
                                                "query": {"receipt": sale.receipt_label}}],
        "POST /pos/api/registers/{id}/sales/": [{"path_parameters": {"id": world["register"].pk},
                                                 "body": {
            "client_uuid": str(uuid.uuid4()), "session": world["session"].pk,
            "lines": [{"stockrecord": world["offer"].pk, "quantity": 2}],
            "tenders": [{"kind": "cash", "tendered": 300000}], "client_total": 240000}}],
        "POST /pos/api/registers/{id}/sessions/": [{"path_parameters": {"id": world["spare"].pk},
                                                    "body": {"opening_float": 200000}}],
        "POST /pos/api/sales/{id}/returns/": [{"path_parameters": {"id": sale.pk}, "body": {
            "session": world["session"].pk, "lines": [{"line": line.pk, "quantity": 1}],
            "refund_kind": "cash", "reason": "Khách đổi ý"}}],
        "POST /pos/api/sessions/{id}/close/": [{"path_parameters": {"id": world["session"].pk},
                                                "body": {"counted_cash": 500000}}],
    }


def run_operation(operation, credentials, real_id, good):
    """Send ``operation`` its generated requests; returns (statuses, failures, failed checks)."""
    statuses = []
    failures = {}
    raw = []
    fixed = {"headers": credentials.get("headers"), "cookies": credentials.get("cookies")}
    strategies = [operation.as_strategy(GenerationMode.POSITIVE, **fixed),
                  operation.as_strategy(GenerationMode.NEGATIVE, **fixed)]
    if real_id is not None:
        strategies.append(operation.as_strategy(
            GenerationMode.POSITIVE, path_parameters={"id": real_id}, **fixed))

    @settings(max_examples=EXAMPLES * len(strategies), deadline=None, derandomize=True,
              database=None, phases=[Phase.explicit, Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=st.one_of(strategies))
    def send(case):
        response = case.call()
        statuses.append(response.status_code)
        try:
            case.validate_response(response, checks=CHECKS, headers=credentials.get("headers"))
        except FailureGroup as group:
            found = group.exceptions
        except AssertionError as error:  # a single failure
            found = [error]
        else:
            return
        raw.extend(found)
        for failure in found:
            title = getattr(failure, "title", type(failure).__name__)
            key = (operation.label, response.status_code, title)
            if key not in failures:
                failures[key] = (
                    f"{operation.label} → {response.status_code} {title}: "
                    f"{case.method} {case.formatted_path} query={case.query!r} "
                    f"body={str(case.body)[:120]!r}: {getattr(failure, 'message', failure)}"[:700]
                    + f" | answer: {response.text[:200]!r}"
                )

    for kwargs in good:
        if "body" in kwargs:
            kwargs = {"media_type": "application/json", **kwargs}
        send = example(case=operation.Case(**{**fixed, **kwargs}))(send)
    send()
    return statuses, failures, len(raw)


def test_every_operation_answers_as_documented(world, credentials, spare_tokens, live, evaluation,
                                               wsgi_app):
    token, cookies = credentials
    schema = schemathesis.openapi.from_wsgi("/api/schema/", wsgi_app)
    ids = real_ids(world)
    good = {**known_good(world), **live_known_good(live), **evaluation_known_good(evaluation)}
    ids["/api/evaluation/applications/"] = evaluation["application"].pk
    for label, spare in spare_tokens.items():
        good[label] = [{"headers": {"Authorization": f"Token {spare}"}}]
    operations = failed = 0
    statuses = Counter()
    failures = {}
    succeeded = set()
    labels = set()
    every = [result.ok() for result in schema.get_all_operations()]
    for operation in sorted(every, key=lambda operation: operation.label in REVOKING):
        if operation.path in SKIPPED:
            continue
        if operation.path.startswith("/pos/api/"):
            credentials = {"cookies": cookies, "headers": {"X-CSRFToken": cookies["csrftoken"]}}
        elif operation.path.startswith("/live/api/"):  # the seller's browser session (shop.live.api)
            live_cookies = live["cookies"]
            credentials = {"cookies": live_cookies,
                           "headers": {"X-CSRFToken": live_cookies["csrftoken"]}}
        elif operation.path.startswith("/api/evaluation/"):  # the office's browser session
            office_cookies = evaluation["cookies"]
            credentials = {"cookies": office_cookies,
                           "headers": {"X-CSRFToken": office_cookies["csrftoken"]}}
        else:
            credentials = {"headers": {"Authorization": f"Token {token}"}}
        real_id = next((pk for prefix, pk in ids.items()
                        if operation.path.startswith(prefix + "{id}")), None)
        answered, found, raw = run_operation(operation, credentials, real_id,
                                             good.get(operation.label, []))
        operations += 1
        labels.add(operation.label)
        statuses.update(answered)
        failures.update(found)
        failed += raw
        if any(200 <= status < 300 for status in answered):
            succeeded.add(operation.label)
    print(f"\nschemathesis: {operations} operations, {statuses.total()} requests "
          f"({dict(sorted(statuses.items()))}), {failed} failed checks, "
          f"{len(failures)} distinct failures; {len(succeeded)} operations answered 2xx "
          f"(not: {sorted(labels - succeeded)})")
    assert not failures, "\n".join(failures.values())
    assert operations >= 35
    assert succeeded == labels, "every operation reached a real row and succeeded at least once"


def test_schema_is_valid_without_warnings():
    """What ``manage.py spectacular --validate --fail-on-warn`` checks."""
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert not GENERATOR_STATS, "drf-spectacular warned while building the schema"
    validate_schema(schema)
    product = schema["paths"]["/api/producer/products/"]
    assert set(schema["components"]["schemas"]["ProductProposalRequest"]["required"]) >= {
        "title", "price"}
    assert {"400", "401", "403", "404"} <= set(product["get"]["responses"])
    error = schema["components"]["schemas"]["Error"]
    assert set(error["required"]) == {"detail", "code"}


# --- the refusals themselves, one by one ------------------------------------------------


@pytest.fixture
def producer_api(world):
    api = APIClient()
    api.force_authenticate(world["producer"].user)
    return api


@pytest.mark.parametrize("query", [
    "page_size=1&page_size=2", "page_size=abc", "page_size=0", "page_size=101", "page_size=2.5",
    "page=1&page=2", "page=-1", "page=last",
])
def test_a_page_or_page_size_it_cannot_use_is_refused(producer_api, query):
    response = producer_api.get(f"/api/producer/products/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    name = query.split("=")[0]
    assert name in body["errors"] and "số nguyên" in body["errors"][name][0]


def test_a_usable_page_size_is_used_and_a_page_past_the_end_is_a_json_404(producer_api, world):
    response = producer_api.get("/api/producer/products/?page_size=1")
    assert response.status_code == 200 and len(response.json()["results"]) == 1
    assert response.json()["count"] > 1
    past = producer_api.get("/api/producer/products/?page=99")
    assert past.status_code == 404 and past.json()["code"] == "not_found"


def test_a_new_product_needs_title_and_price(producer_api):
    response = producer_api.post("/api/producer/products/", {"description": "Ngon"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["detail"]
    assert set(body["errors"]) >= {"title", "price"}


@pytest.mark.parametrize("path", [
    "/pos/api/sessions/abc/", "/pos/api/registers/-1/catalogue/", "/pos/api/khong-co/",
    "/api/producer/khong-co/", "/api/khong-co/",
])
def test_an_address_that_names_nothing_under_the_apis_is_a_json_404(world, client, path):
    client.force_login(world["cashier"])
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Không tìm thấy.", "code": "not_found"}


def test_an_address_that_names_nothing_elsewhere_is_still_the_html_page(db, client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_every_till_refusal_has_a_code(world, client):
    client.force_login(world["cashier"])
    missing = client.get("/pos/api/sessions/999999/")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Không có ca này.", "code": "not_found"}
    client.logout()
    signed_out = client.get("/pos/api/registers/")
    assert signed_out.status_code in (401, 403)
    assert signed_out.json()["code"] == "not_authenticated"
