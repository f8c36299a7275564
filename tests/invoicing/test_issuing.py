"""Issuing invoices through the fake provider: once per invoice, retried until it succeeds."""

import re
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import translation

from pos.models import TillReturn, TillSale
from shop.core.tasks import MAX_RETRIES
from shop.invoicing import issuing, tasks
from shop.invoicing.models import Invoice
from shop.invoicing.providers import get_provider
from shop.invoicing.providers.base import ProviderRejected
from shop.invoicing.providers.fake import FakeProviderServer
from tests.invoicing.test_till_invoice import body, post, seller  # noqa: F401 (fixture)
from tests.invoicing.test_xml import MIXED, make_invoice
from tests.pos.conftest import api, locs, session, shop  # noqa: F401 (fixtures)

TOKEN = "provider-token"
CODE = re.compile(r"^M1-\d{2}-[0-9A-F]{14}$")


@pytest.fixture
def fake(settings):
    server = FakeProviderServer(token=TOKEN).start()
    settings.INVOICE_PROVIDER = "http"
    settings.INVOICE_PROVIDER_URL = server.url
    settings.INVOICE_PROVIDER_TOKEN = TOKEN
    settings.INVOICE_PROVIDER_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def issues(fake):
    return [r for r in fake.requests if r["action"] == "issue"]


@pytest.mark.django_db
def test_an_invoice_is_issued_with_a_number_and_the_authority_code_and_never_sent_again(fake):
    invoice = make_invoice(MIXED)
    issued = issuing.issue(invoice)
    assert issued.status == Invoice.Status.ISSUED and issued.number == 1
    assert CODE.match(issued.authority_code)
    assert issued.authority_code[3:5] == f"{issued.issued_at:%y}"
    assert issued.lookup_code and issued.provider == "http"
    assert issued.provider_reference == "FK-1C26MDH-00000001"
    assert issued.attempts == 1 and issued.last_error == "" and issued.issued_at is not None
    # the fake checked the XML and saw the invoice's own total
    assert fake.invoices[issued.provider_reference]["total"] == str(invoice.total)
    assert fake.requests[0]["key"] == str(invoice.idempotency_key)

    again = issuing.issue(invoice)
    assert again.number == 1 and again.attempts == 1
    assert len(issues(fake)) == 1
    # the next invoice of the serial gets the next number
    assert issuing.issue(make_invoice(MIXED)).number == 2


@pytest.mark.django_db
def test_provider_down_then_up_gives_one_invoice_number(fake, django_capture_on_commit_callbacks):
    invoice = make_invoice(MIXED)
    fake.down = True
    # the sale's transaction commits; the task runs inline, retried, and gives up: no error
    with django_capture_on_commit_callbacks(execute=True):
        tasks.queue_issue(invoice)
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.FAILED
    assert invoice.attempts == MAX_RETRIES + 1
    assert invoice.last_error.startswith("Không gửi được hoá đơn đến nhà cung cấp: HTTP 503")
    assert invoice.number is None
    assert fake.numbered() == 0

    fake.down = False
    invoice = issuing.retry(invoice)
    assert invoice.status == Invoice.Status.ISSUED and invoice.number == 1
    assert invoice.last_error == "" and invoice.attempts == MAX_RETRIES + 2
    assert fake.numbered() == 1
    assert {r["key"] for r in fake.requests} == {str(invoice.idempotency_key)}


@pytest.mark.django_db
def test_a_lost_answer_is_asked_again_with_the_same_key_and_numbered_once(fake):
    invoice = make_invoice(MIXED)
    fake.lose_answers = 1  # the provider numbers the invoice, the answer never arrives
    failed = issuing.issue(invoice)
    assert failed.status == Invoice.Status.FAILED and issuing.worth_retrying(failed)
    assert fake.numbered() == 1

    issued = issuing.issue(invoice)
    assert issued.status == Invoice.Status.ISSUED and issued.number == 1
    assert fake.keys_seen(str(invoice.idempotency_key)) == 2
    assert fake.numbered() == 1
    assert issued.authority_code == fake.invoices["FK-1C26MDH-00000001"]["authority_code"]


@pytest.mark.django_db
def test_the_task_retries_a_lost_answer_until_it_is_issued(fake, django_capture_on_commit_callbacks):
    invoice = make_invoice(MIXED)
    fake.lose_answers = 2
    with django_capture_on_commit_callbacks(execute=True):
        tasks.queue_issue(invoice)
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.ISSUED and invoice.number == 1
    assert invoice.attempts == 3
    assert fake.keys_seen(str(invoice.idempotency_key)) == 3 and fake.numbered() == 1


@pytest.mark.django_db
def test_a_refusal_is_not_retried_and_waits_for_the_office(fake, settings,
                                                            django_capture_on_commit_callbacks):
    settings.INVOICE_PROVIDER_TOKEN = "wrong"
    invoice = make_invoice(MIXED)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.queue_issue(invoice)
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.FAILED and invoice.attempts == 1
    assert invoice.last_error == "Nhà cung cấp từ chối hoá đơn: HTTP 401 bad token"
    settings.INVOICE_PROVIDER_TOKEN = TOKEN
    assert issuing.retry(invoice).status == Invoice.Status.ISSUED


@pytest.mark.django_db
def test_wrong_data_fails_without_reaching_the_provider(fake):
    invoice = make_invoice(MIXED)
    invoice.lines.filter(position=1).update(vat=1)
    failed = issuing.issue(invoice)
    assert failed.status == Invoice.Status.FAILED and not issuing.worth_retrying(failed)
    assert failed.last_error.startswith("Dữ liệu hoá đơn không hợp lệ: ")
    assert fake.requests == []


@pytest.mark.django_db
def test_an_unreachable_provider_is_a_failure_worth_retrying(settings):
    settings.INVOICE_PROVIDER = "http"
    server = FakeProviderServer()
    settings.INVOICE_PROVIDER_URL = server.url  # bound, then closed: nobody listens
    server.server.server_close()
    failed = issuing.issue(make_invoice(MIXED))
    assert failed.status == Invoice.Status.FAILED and issuing.worth_retrying(failed)
    assert "Không gửi được hoá đơn đến nhà cung cấp" in failed.last_error


@pytest.mark.django_db
def test_lookup_cancel_replace_and_adjust_through_the_fake(fake):
    original = issuing.issue(make_invoice(MIXED))
    found = issuing.lookup(original)
    assert (found.status, found.number, found.authority_code) == (
        "issued", 1, original.authority_code)

    # an adjustment sent before its original is issued waits for it
    pending = make_invoice([("Cà phê", 1, 150000, "8", 0)])
    early = make_invoice([("Cà phê (trả lại)", -1, 150000, "8", 0)],
                         kind=Invoice.Kind.ADJUSTMENT, original=pending, reason="Trả hàng")
    failed = issuing.issue(early)
    assert failed.last_error == "Hoá đơn gốc chưa được phát hành." and issuing.worth_retrying(failed)

    adjustment = make_invoice([("Rượu cần Đăk Hà (trả lại)", -1, 185000, "10", 0)],
                              kind=Invoice.Kind.ADJUSTMENT, original=original,
                              reason="Khách trả lại 1 bình")
    adjustment = issuing.issue(adjustment)
    assert adjustment.status == Invoice.Status.ISSUED and adjustment.number == 2
    assert fake.invoices[original.provider_reference]["adjustments"] == [
        adjustment.provider_reference]
    assert fake.invoices[adjustment.provider_reference]["reason"] == "Khách trả lại 1 bình"

    replacement = make_invoice(MIXED, kind=Invoice.Kind.REPLACEMENT, original=original,
                               reason="Sai tên người mua", buyer_name="Lê Văn C")
    replacement = issuing.issue(replacement)
    assert replacement.status == Invoice.Status.ISSUED and replacement.number == 3
    original.refresh_from_db()
    assert original.status == Invoice.Status.CANCELLED
    assert issuing.lookup(original).status == "replaced"

    answer = issuing.cancel(adjustment, "Lập nhầm")
    assert answer.status == "cancelled"
    adjustment.refresh_from_db()
    assert adjustment.status == Invoice.Status.CANCELLED
    assert issuing.lookup(adjustment).extra["cancel_reason"] == "Lập nhầm"
    with pytest.raises(ProviderRejected):
        issuing.cancel(adjustment, "again")


@pytest.mark.django_db
def test_the_local_provider_numbers_from_the_database_without_any_server(settings):
    settings.INVOICE_PROVIDER = "local"
    assert get_provider().name == "local"
    first = issuing.issue(make_invoice(MIXED))
    second = issuing.issue(make_invoice(MIXED))
    other = issuing.issue(make_invoice(MIXED, serial="C26MDM"))
    assert (first.number, second.number, other.number) == (1, 2, 1)
    assert CODE.match(first.authority_code) and first.lookup_code
    assert issuing.issue(first).number == 1 and first.attempts == 1
    assert issuing.lookup(first).status == "issued"
    assert issuing.lookup(first).number == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_issuing_one_invoice_send_it_once(fake):
    invoice = make_invoice(MIXED)
    barrier = threading.Barrier(2)
    results = []

    def work():
        try:
            barrier.wait()
            results.append(issuing.issue(invoice.pk).number)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [1, 1]
    assert len(issues(fake)) == 1
    invoice.refresh_from_db()
    assert invoice.attempts == 1 and invoice.status == Invoice.Status.ISSUED


def test_the_fake_refuses_a_request_without_a_key_and_an_invalid_xml():
    server = FakeProviderServer()
    assert server.ledger.handle("POST", "/invoices", {}, b"<HDon/>")[0] == 400
    status, payload = server.ledger.handle("POST", "/invoices", {"Idempotency-Key": "k"},
                                           b"<HDon/>")
    assert status == 400 and "XSD" in payload["error"]
    assert server.ledger.handle("GET", "/invoices/nope", {}, b"")[0] == 404
    server.server.server_close()


# --- Through the till: the builder's invoices, issued by the fake server -------------


@pytest.mark.django_db
def test_a_till_sale_and_its_return_are_issued_through_the_fake(fake, api, shop, session, seller):  # noqa: F811
    response = post(api, shop, body(shop, session, quantity=3, buyer_company="Công ty TNHH Sự kiện",
                                    buyer_tax_code="0101234565"))
    assert response.status_code == 201, response.content
    sale = TillSale.objects.get()
    invoice = Invoice.objects.get(till_sale=sale)
    assert invoice.status == Invoice.Status.ISSUED, invoice.last_error
    assert (invoice.number, invoice.provider) == (1, "http") and CODE.match(invoice.authority_code)
    assert fake.invoices[invoice.provider_reference]["total"] == str(sale.total)

    line = sale.lines.get()
    response = api.post(reverse("pos:api-returns", args=[sale.pk]), {
        "session": session.pk, "lines": [{"line": line.pk, "quantity": 1}],
        "refund_kind": "cash", "reason": "Khách đổi ý",
    }, format="json")
    assert response.status_code == 201, response.content
    adjustment = TillReturn.objects.get().invoice
    assert adjustment.kind == Invoice.Kind.ADJUSTMENT
    issued = issuing.issue(adjustment)  # queued on the return's commit, or now
    assert issued.status == Invoice.Status.ISSUED, issued.last_error
    assert issued.number == 2
    assert fake.invoices[invoice.provider_reference]["adjustments"] == [issued.provider_reference]
    assert len(issues(fake)) == 1
