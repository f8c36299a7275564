"""Background tasks (shop.core.tasks, shop.checkout.tasks, shop.tasks): sent after commit,
idempotent, retried on transient errors; and a real Celery worker against Redis."""

import os
import smtplib
import threading
import time
import uuid

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from shop import tasks as daily
from shop.checkout import tasks as checkout_tasks
from shop.core.tasks import BACKOFF_MAX_SECONDS, MAX_RETRIES
from tests.checkout.support import add_to_basket, checkout, shop_data
from tests.factories import make_product
from tests.showroom.factories import make_offer, make_office_user, three_locations

Order = get_model("order", "Order")
CommunicationEvent = get_model("order", "CommunicationEvent")
Stock = get_model("showroom", "Stock")
StockRecord = get_model("partner", "StockRecord")

TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(autouse=True)
def _empty_cache():
    """The run-once claims live in the cache: each test starts without any."""
    cache.clear()
    yield
    cache.clear()


class FailingOnceBackend(EmailBackend):
    """An SMTP server that drops the connection on the first message, then accepts."""

    attempts = 0
    lock = threading.Lock()

    def send_messages(self, messages):
        with FailingOnceBackend.lock:
            FailingOnceBackend.attempts += 1
            first = FailingOnceBackend.attempts == 1
        if first:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return super().send_messages(messages)


@pytest.fixture
def failing_once_smtp(settings):
    FailingOnceBackend.attempts = 0
    settings.EMAIL_BACKEND = f"{__name__}.FailingOnceBackend"
    return FailingOnceBackend


def place_order(client, method="cod"):
    _locations, coffee, _honey = shop_data()
    add_to_basket(client, coffee, 2)
    response = checkout(client, method=method)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Order.objects.get()


# --- The order confirmation email ---------------------------------------------------


@pytest.mark.django_db
def test_the_order_email_is_sent_once_after_the_commit(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = place_order(client, method="vietqr")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert order.number in message.subject and "Xác nhận đơn hàng" in message.subject
    assert f"DH{order.number}" in message.body  # the transfer details, as before
    assert "http://testserver/checkout/order/" in message.body  # the request's host
    # a retry or a redelivery sends nothing more
    for _ in range(2):
        result = checkout_tasks.send_order_placed_email.delay(order.pk, "", "vi")
        assert result.get() == "already sent"
    assert len(mail.outbox) == 1
    assert CommunicationEvent.objects.filter(order=order, event_type__code="ORDER_PLACED").count() == 1


@pytest.mark.django_db
def test_no_email_before_the_commit_nor_for_a_rolled_back_order(
    client, django_capture_on_commit_callbacks
):
    order = place_order(client)
    mail.outbox.clear()
    CommunicationEvent.objects.all().delete()

    class Refused(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Refused), transaction.atomic():
            checkout_tasks.queue_order_placed_email(order)
            raise Refused
    assert callbacks == [] and mail.outbox == []

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        checkout_tasks.queue_order_placed_email(order)
    assert len(callbacks) == 1 and mail.outbox == []  # not yet: the transaction is open
    callbacks[0]()
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_the_email_link_uses_shop_base_url_without_a_request(
    client, settings, django_capture_on_commit_callbacks
):
    order = place_order(client)
    mail.outbox.clear()
    CommunicationEvent.objects.all().delete()
    settings.SHOP_BASE_URL = "https://ocopdakha.vn"
    with django_capture_on_commit_callbacks(execute=True):
        checkout_tasks.queue_order_placed_email(order)
    assert "https://ocopdakha.vn/checkout/order/" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_dropped_smtp_connection_is_retried(client, failing_once_smtp):
    order = place_order(client)
    CommunicationEvent.objects.all().delete()
    mail.outbox.clear()
    failing_once_smtp.attempts = 0
    checkout_tasks.send_order_placed_email.delay(order.pk, "", "vi")
    assert failing_once_smtp.attempts == 2
    assert len([m for m in mail.outbox if order.number in m.subject]) == 1


def test_tasks_retry_with_bounded_exponential_back_off():
    task = checkout_tasks.send_order_placed_email
    assert task.acks_late and task.reject_on_worker_lost
    assert smtplib.SMTPServerDisconnected in task.autoretry_for
    assert task.retry_backoff and task.retry_jitter
    assert task.retry_backoff_max == BACKOFF_MAX_SECONDS and task.max_retries == MAX_RETRIES
    assert BACKOFF_MAX_SECONDS < django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]


# --- The daily jobs ---------------------------------------------------------------


@pytest.mark.django_db
def test_release_unpaid_orders_twice_releases_once(client):
    order = place_order(client, method="vietqr")
    stockrecord = StockRecord.objects.get(product__title="Cà phê Đăk Hà rang mộc")
    assert stockrecord.num_allocated == 2
    Order.objects.filter(pk=order.pk).update(date_placed=timezone.now() - timezone.timedelta(hours=49))
    first = daily.release_unpaid_orders.delay().get()
    second = daily.release_unpaid_orders.delay().get()
    assert first == [order.number] and second == []
    order.refresh_from_db()
    stockrecord.refresh_from_db()
    assert order.status == "Đã huỷ"
    assert order.status_changes.filter(new_status="Đã huỷ").count() == 1
    assert stockrecord.num_allocated == 0
    assert sum(Stock.objects.filter(stockrecord=stockrecord).values_list("quantity_allocated", flat=True)) == 0


@pytest.mark.django_db
def test_the_low_stock_digest_is_sent_once_a_day():
    locations = three_locations()
    make_office_user()
    make_offer(title="Chuối mật Đăk Hà", stock={locations[1]: 1})
    daily.low_stock_digest.delay()
    assert daily.low_stock_digest.delay().get() == "done today already"
    assert len(mail.outbox) == 1 and "Chuối mật Đăk Hà" in mail.outbox[0].body


@pytest.mark.django_db
def test_the_certificate_digest_is_sent_once_a_day():
    from tests.factories import make_certificate

    make_office_user()
    product = make_product(title="Trà dây Đăk Hà", stars=None)
    # decided three years less 30 days ago: it ends within the 90 days of the warning
    make_certificate(product, stars=4,
                     decision_date=timezone.localdate() - timezone.timedelta(days=3 * 365 - 30))
    daily.refresh_ocop_badges.delay()
    daily.refresh_ocop_badges.delay()
    assert len(mail.outbox) == 1 and "Trà dây Đăk Hà" in mail.outbox[0].body


def test_beat_sends_registered_tasks_for_every_daily_job():
    from shop.celery import app

    app.loader.import_default_modules()
    schedule = django_settings.CELERY_BEAT_SCHEDULE
    names = {entry["task"] for entry in schedule.values()}
    assert names <= set(app.tasks)
    daily_jobs = {"refresh_ocop_badges", "check_combos", "release_unpaid_orders",
                  "low_stock_digest", "check_inventory"}  # README, "Daily jobs"
    assert {f"shop.tasks.{name}" for name in daily_jobs} <= names


@pytest.mark.django_db
def test_check_inventory_task_reports_a_mismatch():
    locations = three_locations()
    offer = make_offer(title="Gạo Đăk Mar", stock={locations[0]: 5})
    assert daily.check_inventory.delay().get() == []
    Stock.objects.filter(stockrecord=offer).update(quantity=7)  # a write behind the ledger's back
    assert daily.check_inventory.delay().get()


# --- Photo renditions -----------------------------------------------------------------


@pytest.mark.django_db
def test_a_new_photo_has_its_card_and_gallery_renditions_drawn_after_the_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        make_product(title="Mật ong hoa cà phê", with_image=True)
    assert not default_storage.exists("cache/renditions")
    for callback in callbacks:
        callback()
    folders = default_storage.listdir("cache/renditions")[0]
    drawn = [name for folder in folders
             for name in default_storage.listdir(f"cache/renditions/{folder}")[1]]
    assert len(drawn) == len(django_settings.SHOP_PRERENDERED_RENDITIONS)


# --- A real worker, a real broker ------------------------------------------------------


def _redis_or_skip():
    import redis

    try:
        redis.Redis.from_url(TEST_REDIS_URL, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        reason = f"Redis is not reachable at {TEST_REDIS_URL} ({error}); set TEST_REDIS_URL"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture
def worker_app():
    """A Celery app on the test Redis (its own queue), with a worker thread consuming it."""
    from celery import Celery
    from celery.contrib.testing.worker import start_worker

    if django_settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        pytest.skip("the worker test runs on PostgreSQL (make test's race phase)")
    _redis_or_skip()
    app = Celery("ocop-test", set_as_current=False)
    app.config_from_object("django.conf:settings", namespace="CELERY")
    queue = f"ocop-test-{uuid.uuid4().hex[:8]}"
    app.conf.update(broker_url=TEST_REDIS_URL, task_always_eager=False,
                    task_default_queue=queue, worker_hijack_root_logger=False)
    app.loader.import_default_modules()
    app.autodiscover_tasks(force=True)
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        yield app


def _wait_for(condition, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_order_email_through_redis_and_retries(
    client, worker_app, failing_once_smtp
):
    order = place_order(client)  # committed: the worker's own connection reads it
    mail.outbox.clear()
    CommunicationEvent.objects.all().delete()
    failing_once_smtp.attempts = 0
    worker_app.send_task("shop.checkout.tasks.send_order_placed_email",
                         args=[order.pk, "https://ocopdakha.vn/x", "vi"])
    assert _wait_for(lambda: len(mail.outbox) == 1), "the worker sent no email"
    assert failing_once_smtp.attempts == 2  # the dropped connection, then the retry
    assert order.number in mail.outbox[0].subject
    assert "https://ocopdakha.vn/x" in mail.outbox[0].body
    assert _wait_for(lambda: CommunicationEvent.objects.filter(order=order).count() == 1)
    # sent again (a redelivery): nothing more
    worker_app.send_task("shop.checkout.tasks.send_order_placed_email", args=[order.pk, "", "vi"])
    time.sleep(2)
    assert len(mail.outbox) == 1
