"""The programme's periodic reports: periods, due dates, drafts, snapshots, versions.

Periods
-------
Calendar periods in Vietnam time (Asia/Ho_Chi_Minh): a month, a quarter (I: Jan–Mar,
II: Apr–Jun, III: Jul–Sep, IV: Oct–Dec), a year. A report is identified by its
``kind`` and ``period_start`` (the first day of the period).

Due dates (the seed, duties of the Phòng Nông nghiệp: "Định kỳ hằng tháng (trước
ngày 15), quý (trước ngày 15 tháng cuối quý), năm (trước ngày 10 tháng 12)")
-------------------------------------------------------------------------------
The seed makes the report *of* the current period during that period
(the quarter's report before the 15th of the quarter's *last* month, the year's
before 10 December of the same year), so the month's report is made in the
month too. "Trước ngày 15" is read strictly: submitted on the 14th is on time,
on the 15th is late. :func:`due_date` returns the **last day on time**:

* month M of year Y  → 14/M/Y;
* quarter Q of Y     → the 14th of the quarter's last month (14/03, 14/06, 14/09, 14/12);
* year Y             → 09/12/Y.

A report is **overdue** from the day after its due date while no version of it
has been submitted. Its figures run from the period's first day to the earlier
of the period's last day and the day they are taken (``as_of``): a report
submitted on the 14th holds the month so far, as the seed's calendar implies.

Versions
--------
Draft → submitted (:func:`submit`): the figures of the period and of the year to
date (``shop.programme.figures.dashboard``, THE CONTRACT) and the narrative are
frozen in ``Report.snapshot``; a submitted report is read-only and always shown
from its snapshot. A correction (:func:`correct`) is a new draft version of the
same period (``version + 1``, ``supersedes`` = the old one) with the old
narrative; the old version stays as it was.

Snapshot (and :func:`report_data`) keys::

    {"report": {"kind", "kind_label", "label", "period_start", "period_end",
                "due_date", "version", "number", "symbol", "reference"},
     "as_of": "YYYY-MM-DD",
     "period": <figures.dashboard(period_start, end)>,
     "year_to_date": <figures.dashboard(1 January, end)>,
     "narrative": {"results", "difficulties", "proposals"}}
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from shop.core.links import absolute
from shop.core.numbers import is_digits
from shop.core.roles import DISTRICT_OFFICE
from shop.programme.models import Report

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
Kind = Report.Kind
KINDS = [Kind.MONTH, Kind.QUARTER, Kind.YEAR]
MONTH_DUE_DAY = 14  # "trước ngày 15"
QUARTER_DUE_DAY = 14  # "trước ngày 15 tháng cuối quý"
YEAR_DUE = (12, 9)  # "trước ngày 10 tháng 12"
LOOKBACK_DAYS = 366  # periods_due looks this far back for unsubmitted reports
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
# an advisory lock key for numbering submitted reports (pg_advisory_xact_lock)
NUMBER_LOCK = 1_420_000_014


class ReportError(Exception):
    """A report action that the rules refuse; ``str()`` is a message for people."""


def today_vietnam():
    return timezone.localtime(timezone.now(), VIETNAM).date()


def _last_day_of_month(year, month):
    if month == 12:
        return datetime.date(year, 12, 31)
    return datetime.date(year, month + 1, 1) - datetime.timedelta(days=1)


def period_bounds(kind, day):
    """(first day, last day) of the ``kind`` period that contains ``day``."""
    if kind == Kind.MONTH:
        return day.replace(day=1), _last_day_of_month(day.year, day.month)
    if kind == Kind.QUARTER:
        first_month = 3 * ((day.month - 1) // 3) + 1
        return (
            datetime.date(day.year, first_month, 1),
            _last_day_of_month(day.year, first_month + 2),
        )
    if kind == Kind.YEAR:
        return datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)
    raise ValueError(f"unknown report kind {kind!r}")


def previous_period_start(kind, period_start):
    return period_bounds(kind, period_start - datetime.timedelta(days=1))[0]


def next_period_start(kind, period_start):
    return period_bounds(kind, period_start)[1] + datetime.timedelta(days=1)


def due_date(kind, period_start):
    """The last day on which the report of the period is on time (see the module's docstring)."""
    start, end = period_bounds(kind, period_start)
    if kind == Kind.MONTH:
        return start.replace(day=MONTH_DUE_DAY)
    if kind == Kind.QUARTER:
        return end.replace(day=QUARTER_DUE_DAY)
    return datetime.date(start.year, *YEAR_DUE)


def period_label(kind, period_start):
    """"Tháng 05/2025", "Quý II/2025", "Năm 2025"."""
    if kind == Kind.MONTH:
        return _("Tháng %(month)s") % {"month": period_start.strftime("%m/%Y")}
    if kind == Kind.QUARTER:
        quarter = ROMAN[(period_start.month - 1) // 3 + 1]
        return _("Quý %(quarter)s/%(year)s") % {"quarter": quarter, "year": period_start.year}
    return _("Năm %(year)s") % {"year": period_start.year}


def reference(report):
    """The number and symbol as written on the report: "12/BC-PNN" ("" before submitting)."""
    if not report.number:
        return ""
    return f"{report.number}/{report.symbol}" if report.symbol else report.number


@dataclass
class Due:
    """A period whose report is due (or overdue) and not submitted yet."""

    kind: str
    period_start: datetime.date
    period_end: datetime.date
    due_date: datetime.date
    overdue: bool
    days_left: int  # negative when overdue
    draft: Report | None = None

    @property
    def label(self):
        return period_label(self.kind, self.period_start)

    @property
    def days_late(self):
        return max(0, -self.days_left)

    @property
    def kind_label(self):
        return Kind(self.kind).label


def _periods_between(kind, first, last):
    """Starts of the ``kind`` periods from the one containing ``first`` to the one containing ``last``."""
    start = period_bounds(kind, first)[0]
    while start <= last:
        yield start
        start = next_period_start(kind, start)


def periods_due(today=None, since=None):
    """The periods whose report can be written now (the period has begun) and is not submitted.

    From the periods due in the last ``LOOKBACK_DAYS`` (or since ``since``) to the
    current ones, oldest due date first; ``overdue`` when past the due date. One query.
    """
    today = today or today_vietnam()
    since = since or today - datetime.timedelta(days=LOOKBACK_DAYS)
    candidates = []
    for kind in KINDS:
        for start in _periods_between(kind, since - datetime.timedelta(days=366), today):
            due = due_date(kind, start)
            if due >= since:
                candidates.append((kind, start, due))
    if not candidates:
        return []
    earliest = min(start for _kind, start, _due in candidates)
    submitted, drafts = set(), {}
    for report in Report.objects.filter(period_start__gte=earliest, period_start__lte=today):
        key = (report.kind, report.period_start)
        if report.status == Report.Status.SUBMITTED:
            submitted.add(key)
        else:
            drafts[key] = report
    result = [
        Due(
            kind=kind, period_start=start, period_end=period_bounds(kind, start)[1],
            due_date=due, overdue=today > due, days_left=(due - today).days,
            draft=drafts.get((kind, start)),
        )
        for kind, start, due in candidates
        if (kind, start) not in submitted
    ]
    result.sort(key=lambda item: (item.due_date, KINDS.index(item.kind)))
    return result


def overdue(today=None):
    """The overdue reports (for the dashboard's warning)."""
    return [item for item in periods_due(today) if item.overdue]


def create_draft(kind, period_start, user):
    """The draft of the period: the existing one, or a new first version.

    Refused when a version of the period has been submitted (correct it instead)
    or when the period has not begun.
    """
    if kind not in KINDS:
        raise ReportError(_("Loại báo cáo không hợp lệ."))
    start, end = period_bounds(kind, period_start)
    if start > today_vietnam():
        raise ReportError(_("Kỳ báo cáo này chưa bắt đầu."))
    with transaction.atomic():
        existing = list(
            Report.objects.select_for_update().filter(kind=kind, period_start=start).order_by("-version")
        )
        for report in existing:
            if report.status == Report.Status.DRAFT:
                return report
        if existing:
            raise ReportError(
                _("Báo cáo kỳ này đã được gửi. Muốn sửa, hãy lập bản đính chính.")
            )
        return Report.objects.create(
            kind=kind, period_start=start, period_end=end, version=1, created_by=user,
        )


def report_data(report, today=None):
    """Every figure of the report, as JSON-ready data (what :func:`submit` freezes)."""
    today = today or today_vietnam()
    end = min(report.period_end, max(today, report.period_start))
    year_start = datetime.date(report.period_start.year, 1, 1)
    # imported here, not at the top: the reports' pages load even while figures is missing
    from shop.programme import figures

    return {
        "report": {
            "kind": report.kind,
            "kind_label": str(Kind(report.kind).label),
            "label": str(period_label(report.kind, report.period_start)),
            "period_start": report.period_start.isoformat(),
            "period_end": report.period_end.isoformat(),
            "due_date": due_date(report.kind, report.period_start).isoformat(),
            "version": report.version,
            "number": report.number,
            "symbol": report.symbol,
            "reference": reference(report),
        },
        "as_of": end.isoformat(),
        "period": figures.dashboard(report.period_start, end, today=today),
        "year_to_date": figures.dashboard(year_start, end, today=today),
        "narrative": {
            "results": report.results,
            "difficulties": report.difficulties,
            "proposals": report.proposals,
        },
    }


def figures_of(report, today=None):
    """What a page shows: the snapshot of a submitted report, live data of a draft."""
    if report.status == Report.Status.SUBMITTED and report.snapshot is not None:
        return report.snapshot
    return report_data(report, today)


def _next_number(year):
    """The next number of the year's submitted reports ("1", "2", …), under a lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [NUMBER_LOCK])
    start = datetime.datetime(year, 1, 1, tzinfo=VIETNAM)
    end = datetime.datetime(year + 1, 1, 1, tzinfo=VIETNAM)
    numbers = Report.objects.filter(
        status=Report.Status.SUBMITTED, submitted_at__gte=start, submitted_at__lt=end,
    ).values_list("number", flat=True)
    used = [int(number) for number in numbers if is_digits(number)]
    return str(max(used, default=0) + 1)


def submit(report, user, today=None):
    """Freeze the report: number, snapshot, submitted. Refused if it is not a draft."""
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.status != Report.Status.DRAFT:
            raise ReportError(_("Báo cáo này đã được gửi; không gửi lại được."))
        now = timezone.now()
        locked.number = _next_number(timezone.localtime(now, VIETNAM).year)
        locked.status = Report.Status.SUBMITTED
        locked.submitted_at = now
        locked.submitted_by = user
        locked.snapshot = report_data(locked, today)
        locked.save()
    report.refresh_from_db()
    return report


def correct(report, user):
    """A new draft version of a submitted report's period, keeping the old version."""
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.status != Report.Status.SUBMITTED:
            raise ReportError(_("Chỉ lập bản đính chính cho báo cáo đã gửi."))
        if Report.objects.filter(supersedes=locked).exists():
            raise ReportError(_("Báo cáo này đã có bản đính chính."))
        if Report.objects.filter(
            kind=locked.kind, period_start=locked.period_start, status=Report.Status.DRAFT,
        ).exists():
            raise ReportError(_("Kỳ này đang có một bản nháp."))
        latest = (
            Report.objects.filter(kind=locked.kind, period_start=locked.period_start)
            .order_by("-version").values_list("version", flat=True).first()
        )
        return Report.objects.create(
            kind=locked.kind, period_start=locked.period_start, period_end=locked.period_end,
            version=latest + 1, supersedes=locked, symbol=locked.symbol,
            results=locked.results, difficulties=locked.difficulties, proposals=locked.proposals,
            created_by=user,
        )


def versions(report):
    """All versions of the report's period, newest first."""
    return list(
        Report.objects.filter(kind=report.kind, period_start=report.period_start)
        .select_related("submitted_by").order_by("-version")
    )


def recent_periods(kind, today=None, count=None):
    """The ``count`` latest periods of ``kind`` (current first), each with its reports.

    Returns ``[{"kind", "period_start", "period_end", "label", "due_date", "overdue",
    "current" (latest version or None), "submitted" (a version was submitted)}]``; one query.
    """
    today = today or today_vietnam()
    count = count or {Kind.MONTH: 12, Kind.QUARTER: 4, Kind.YEAR: 3}[kind]
    starts = [period_bounds(kind, today)[0]]
    while len(starts) < count:
        starts.append(previous_period_start(kind, starts[-1]))
    latest, any_submitted = {}, set()
    for report in Report.objects.filter(kind=kind, period_start__in=starts).order_by("version"):
        latest[report.period_start] = report
        if report.status == Report.Status.SUBMITTED:
            any_submitted.add(report.period_start)
    rows = []
    for start in starts:
        current = latest.get(start)
        submitted = start in any_submitted
        due = due_date(kind, start)
        rows.append({
            "kind": kind, "period_start": start, "period_end": period_bounds(kind, start)[1],
            "label": period_label(kind, start), "due_date": due,
            "overdue": not submitted and today > due, "current": current, "submitted": submitted,
        })
    return rows


KIND_TITLES = {
    Kind.MONTH: gettext_lazy("Báo cáo tháng"),
    Kind.QUARTER: gettext_lazy("Báo cáo quý"),
    Kind.YEAR: gettext_lazy("Báo cáo năm"),
}


# --- Reminders --------------------------------------------------------------------------

REMINDER_DAYS = 3


def office_recipients():
    """Email addresses of the active users of the ``district_office`` group."""
    emails = get_user_model().objects.filter(
        is_active=True, groups__name=DISTRICT_OFFICE,
    ).exclude(email="").values_list("email", flat=True)
    return sorted(set(emails))


def reminders_to_send(today=None, days_before=REMINDER_DAYS):
    """Periods due within ``days_before`` days (the due day included), not submitted, not reminded."""
    today = today or today_vietnam()
    return [
        item for item in periods_due(today, since=today)
        if 0 <= item.days_left <= days_before
        and (item.draft is None or item.draft.reminded_at is None)
    ]


def _reminder_text(item, report):
    lines = [
        _("Kính gửi Phòng Nông nghiệp huyện,"),
        "",
        _("Báo cáo %(label)s về chương trình OCOP phải gửi Ủy ban nhân dân huyện chậm nhất "
          "ngày %(due)s (còn %(days)s ngày) và chưa được gửi.") % {
            "label": str(item.label).lower(),
            "due": item.due_date.strftime("%d/%m/%Y"),
            "days": item.days_left,
        },
    ]
    link = absolute(reverse("programme:report", kwargs={"pk": report.pk}))
    if link:
        lines += ["", _("Mở bản nháp: %(link)s") % {"link": link}]
    return "\n".join(lines) + "\n"


def send_reminders(today=None, days_before=REMINDER_DAYS):
    """Email the office once per period coming due; the period's draft records ``reminded_at``.

    A period without a draft gets one (empty, no author) so that the reminder is
    recorded and the email can link to it. Returns ``[(Due, recipients)]`` sent.
    """
    today = today or today_vietnam()
    recipients = office_recipients()
    if not recipients:
        return []
    sent = []
    for item in reminders_to_send(today, days_before):
        with transaction.atomic():
            report = create_draft(item.kind, item.period_start, None)
            report = Report.objects.select_for_update().get(pk=report.pk)
            if report.reminded_at is not None:
                continue
            subject = _("[OCOP Đăk Hà] Sắp đến hạn báo cáo %(label)s (%(due)s)") % {
                "label": str(item.label).lower(),
                "due": item.due_date.strftime("%d/%m/%Y"),
            }
            send_mail(subject, _reminder_text(item, report), settings.DEFAULT_FROM_EMAIL, recipients)
            report.reminded_at = timezone.now()
            report.save(update_fields=["reminded_at"])
        sent.append((item, recipients))
    return sent
