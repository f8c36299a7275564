"""At most 5 wrong manager approvals per register in 15 minutes, then 15 minutes of refusal."""

from datetime import timedelta

import pytest
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from pos import approvals
from pos.approvals import ApprovalLocked
from pos.errors import ApprovalRequired
from pos.models import ApprovalAttempt, TillSale, TillSession

from .factories import new_uuid

Order = get_model("order", "Order")
pytestmark = pytest.mark.django_db

WRONG = {"manager": "quan.ly", "pin": "0000"}


def right(shop):
    return {"manager": shop.manager.username, "pin": "2468"}


def discounted_sale(shop, session, approval, register=None, **kwargs):
    from pos import sales

    return sales.record_sale(
        register=register or shop.register, session=session, user=shop.cashier,
        client_uuid=new_uuid(), tenders=[{"kind": "cash", "tendered": 200000}],
        lines=[{"stockrecord": shop.offers[0].pk, "quantity": 1, "discount_percent": 20}],
        approval=approval, **kwargs,
    )


def wrong_tries(shop, session, count, register=None):
    for _n in range(count):
        with pytest.raises(ApprovalRequired) as info:
            discounted_sale(shop, session, {**WRONG, "manager": shop.manager.username},
                            register=register)
        assert info.value.code == "approval_refused"


def age_attempts(minutes):
    ApprovalAttempt.objects.update(created_at=F("created_at") - timedelta(minutes=minutes))


def test_five_wrong_pins_lock_the_register_for_fifteen_minutes(shop, session):
    wrong_tries(shop, session, 4)
    with pytest.raises(ApprovalLocked) as info:  # the fifth wrong try sets the lock
        discounted_sale(shop, session, {**WRONG, "manager": shop.manager.username})
    error = info.value
    assert error.status_code == 429 and error.code == "approval_locked"
    assert "Đã nhập sai mã PIN/mật khẩu quản lý 5 lần trong 15 phút" in str(error)
    assert "tạm khoá việc duyệt giảm giá đến" in str(error) and "còn 15 phút" in str(error)
    assert error.extra["retry_after"] == 15 * 60
    # even the right PIN is refused now, without being checked or written
    with pytest.raises(ApprovalLocked):
        discounted_sale(shop, session, right(shop))
    assert ApprovalAttempt.objects.count() == 5
    assert not TillSale.objects.exists() and not Order.objects.exists()
    # 14 minutes later: still locked; 15 minutes after the fifth wrong try: open again
    age_attempts(14)
    with pytest.raises(ApprovalLocked) as info:
        discounted_sale(shop, session, right(shop))
    assert "còn 1 phút" in str(info.value)
    age_attempts(1)
    sale, _created = discounted_sale(shop, session, right(shop))
    assert sale.discount_approved_by == shop.manager


def test_the_lock_is_per_register(shop, session):
    wrong_tries(shop, session, 4)
    with pytest.raises(ApprovalLocked):
        discounted_sale(shop, session, WRONG)  # an unknown manager is a wrong try too
    # another register of the same sales point still takes approvals
    from .factories import make_register

    second = make_register(shop.location, code="sc-2")
    other_session = TillSession.objects.create(register=second, cashier=shop.cashier,
                                               opening_float=0)
    sale, _created = discounted_sale(shop, other_session, right(shop), register=second)
    assert sale.discount_approved_by == shop.manager


def test_wrong_tries_spread_over_more_than_fifteen_minutes_do_not_lock(shop, session):
    wrong_tries(shop, session, 4)
    age_attempts(16)
    wrong_tries(shop, session, 4)  # 8 wrong tries, never 5 within 15 minutes
    sale, _created = discounted_sale(shop, session, right(shop))
    assert sale.discount_approved_by == shop.manager


def test_a_right_approval_starts_the_count_again(shop, session):
    wrong_tries(shop, session, 4)
    discounted_sale(shop, session, right(shop))
    wrong_tries(shop, session, 4)
    discounted_sale(shop, session, right(shop))
    assert list(ApprovalAttempt.objects.order_by("created_at", "pk")
                .values_list("ok", flat=True)) == [False] * 4 + [True] + [False] * 4 + [True]


def test_what_is_not_a_wrong_pin_does_not_count(shop, session):
    # no approval at all (the page asks for one), or above the manager's own limit
    # with the right PIN: refused, but the PIN was right or not tried
    for _n in range(6):
        with pytest.raises(ApprovalRequired) as info:
            discounted_sale(shop, session, None)
        assert info.value.code == "approval_required"
    from pos import sales

    for _n in range(6):
        with pytest.raises(ApprovalRequired) as info:
            sales.record_sale(
                register=shop.register, session=session, user=shop.cashier,
                client_uuid=new_uuid(), tenders=[{"kind": "cash", "tendered": 200000}],
                lines=[{"stockrecord": shop.offers[0].pk, "quantity": 1,
                        "discount_percent": 60}],
                approval=right(shop),
            )
        assert info.value.code == "approval_refused"
        assert "vượt cả hạn mức của quản lý" in str(info.value)
    assert approvals.locked_until(shop.register) is None
    discounted_sale(shop, session, right(shop))


def test_an_offline_sale_during_the_lock_is_kept_unapproved_with_a_note(shop, session):
    wrong_tries(shop, session, 4)
    with pytest.raises(ApprovalLocked):
        discounted_sale(shop, session, WRONG)
    sale, created = discounted_sale(shop, session, right(shop), offline=True)
    assert created and sale.discount_approved_by is None
    assert "tạm khoá việc duyệt giảm giá" in " ".join(sale.review_notes)


def test_lock_over_the_api_is_a_clear_429(shop, api, session):
    body = {
        "session": session.pk, "tenders": [{"kind": "cash", "tendered": 200000}],
        "lines": [{"stockrecord": shop.offers[0].pk, "quantity": 1, "discount_percent": 20}],
    }
    url = reverse("pos:api-sales", args=[shop.register.pk])
    for _n in range(4):
        response = api.post(url, {**body, "client_uuid": new_uuid(),
                                   "approval": {"manager": shop.manager.username, "pin": "1"}},
                            format="json")
        assert response.status_code == 403 and response.json()["code"] == "approval_refused"
    for approval in ({"manager": shop.manager.username, "pin": "1"}, right(shop)):
        response = api.post(url, {**body, "client_uuid": new_uuid(), "approval": approval},
                            format="json")
        assert response.status_code == 429, response.content
        data = response.json()
        assert data["code"] == "approval_locked" and data["retry_after"] == 900
        assert "tạm khoá việc duyệt giảm giá" in data["detail"]
    assert ApprovalAttempt.objects.count() == 5  # the try refused by the lock is not written
    assert not TillSale.objects.exists() and not Order.objects.exists()


def test_locked_until_boundaries(shop):
    now = timezone.now()
    register = shop.register
    for minutes in (14, 10, 5, 3, 1):
        ApprovalAttempt.objects.create(register=register, created_at=now - timedelta(minutes=minutes))
    # five wrong within 13 minutes, the last one a minute ago: locked for 14 more minutes
    assert approvals.locked_until(register, now) == now - timedelta(minutes=1) + timedelta(minutes=15)
    assert approvals.locked_until(register, now + timedelta(minutes=14, seconds=1)) is None
    approvals.unlock(register)
    assert approvals.locked_until(register) is None


def test_the_limits_are_settings(shop, session, settings):
    settings.POS_APPROVAL_MAX_FAILURES = 2
    settings.POS_APPROVAL_LOCK_MINUTES = 30
    settings.POS_APPROVAL_WINDOW_MINUTES = 30
    wrong_tries(shop, session, 1)
    with pytest.raises(ApprovalLocked) as info:
        discounted_sale(shop, session, WRONG)
    assert "2 lần trong 30 phút" in str(info.value) and "còn 30 phút" in str(info.value)
