"""The limit on manager approvals tried at a register (the one place the rule lives).

After ``POS_APPROVAL_MAX_FAILURES`` (5) wrong manager PINs/passwords at one register
within ``POS_APPROVAL_WINDOW_MINUTES`` (15), the register refuses every further try for
``POS_APPROVAL_LOCK_MINUTES`` (15), without checking it. A right approval starts the
count again. Tries are rows (``pos.ApprovalAttempt``), so every worker process and
every restart sees the same count; the register's row is locked while one try is
checked and written, so parallel tries cannot slip past the limit (PostgreSQL).

A try refused while the register is locked is not written: the lock ends
``LOCK`` after the try that set it, and since the lock is at least as long as the
window, the tries before it never count again.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from pos.errors import ApprovalRequired
from pos.models import ApprovalAttempt, Register


class ApprovalLocked(ApprovalRequired):
    """Too many wrong approvals at this register: try again later (HTTP 429)."""

    status_code = 429
    code = "approval_locked"


def max_failures():
    return int(getattr(settings, "POS_APPROVAL_MAX_FAILURES", 5))


def window():
    return timedelta(minutes=int(getattr(settings, "POS_APPROVAL_WINDOW_MINUTES", 15)))


def lock_duration():
    return timedelta(minutes=int(getattr(settings, "POS_APPROVAL_LOCK_MINUTES", 15)))


def locked_until(register, now=None):
    """When the register's lock ends, or None if approvals may be tried now (one query)."""
    now = now or timezone.now()
    limit = max_failures()
    if register is None or limit <= 0:
        return None
    latest = list(
        ApprovalAttempt.objects.filter(
            register=register, created_at__gt=now - window() - lock_duration(),
            created_at__lte=now,
        ).order_by("-created_at", "-pk").values_list("created_at", "ok")[:limit]
    )
    if len(latest) < limit or any(ok for _at, ok in latest):
        return None  # fewer than ``limit`` wrong tries since the last right one
    last, first = latest[0][0], latest[-1][0]
    if last - first >= window():
        return None
    until = last + lock_duration()
    return until if now < until else None


def locked_error(until, now=None):
    now = now or timezone.now()
    minutes = max(1, -(-int((until - now).total_seconds()) // 60))  # rounded up
    return ApprovalLocked(
        _(
            "Đã nhập sai mã PIN/mật khẩu quản lý %(count)s lần trong %(window)s phút: "
            "quầy này tạm khoá việc duyệt giảm giá đến %(until)s (còn %(minutes)s phút)."
        ) % {
            "count": max_failures(), "window": int(window().total_seconds() // 60),
            "until": timezone.localtime(until).strftime("%H:%M"), "minutes": minutes,
        },
        retry_after=minutes * 60,
    )


def check(register, username, verify, now=None):
    """Try one approval at ``register``: ``verify()`` returns the manager or None.

    Raises ``ApprovalLocked`` while the register is locked (``verify`` is not called)
    and when this wrong try sets the lock; otherwise records the try and returns
    ``verify()``'s answer. Without a register (no till context) it only verifies.
    """
    if register is None:
        return verify()
    now = now or timezone.now()
    with transaction.atomic():
        # One try at a time per register: the count read is the count written.
        list(Register.objects.select_for_update().filter(pk=register.pk).values_list("pk"))
        until = locked_until(register, now)
        if until is None:
            manager = verify()
            ApprovalAttempt.objects.create(
                register=register, username=(username or "")[:150], ok=manager is not None,
                created_at=now,
            )
            if manager is None:
                until = locked_until(register, now)
    # Raised outside the block: the wrong try that sets the lock stays written.
    if until is not None:
        raise locked_error(until, now)
    return manager


def unlock(register):
    """Lift a register's lock now (a manager on site): a right try is written."""
    ApprovalAttempt.objects.create(register=register, username="", ok=True)
