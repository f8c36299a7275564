"""The programme's periodic reports: periods and due dates, draft → submitted (a frozen
snapshot), corrections as new versions, the office's reminders, the pages and who reaches them.

Unit tests of the snapshot and version rules replace ``figures.dashboard`` by a
counter they control; ``test_submitted_report_keeps_its_figures_real_dashboard``
goes through the real ``shop.programme.figures`` (THE CONTRACT).
"""

import datetime
import importlib
import sys
import types

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from shop.core.roles import DISTRICT_OFFICE
from shop.programme import reports
from shop.programme.models import Report

pytestmark = pytest.mark.django_db

Kind = Report.Kind
D = datetime.date
TODAY = reports.today_vietnam()


# --- helpers ------------------------------------------------------------------------------


def make_office(username="office", email="office@example.vn"):
    user = get_user_model().objects.create_user(
        username=username, email=email, password="secret-pass-123", is_staff=True,
    )
    group, _created = Group.objects.get_or_create(name=DISTRICT_OFFICE)
    group.permissions.add(Permission.objects.get(codename="manage_programme"))
    user.groups.add(group)
    return user


class FakeFigures:
    """Stands in for ``figures.dashboard``: its numbers are whatever ``value`` is now."""

    def __init__(self):
        self.value = 1
        self.calls = []

    def __call__(self, start, end, commune=None, today=None):
        self.calls.append((start, end))
        return {
            "period": {"start": start.isoformat(), "end": end.isoformat()},
            "commune": None,
            "targets": [],
            "products": {"total": self.value, "by_stars": [], "by_group": [], "by_commune": [],
                         "by_subject_type": []},
            "expiring": [],
            "sales": {"total": 1000 * self.value, "total_last_year": 0, "by_channel": [],
                      "by_group": [], "by_commune": [], "by_subject_type": []},
            "top_products": [], "top_combos": [], "registry": [],
        }


@pytest.fixture
def fake_figures(monkeypatch):
    """``shop.programme.figures.dashboard`` replaced (the module made up if not written yet)."""
    try:
        module = importlib.import_module("shop.programme.figures")
    except ImportError:
        module = types.ModuleType("shop.programme.figures")
        monkeypatch.setitem(sys.modules, "shop.programme.figures", module)
    fake = FakeFigures()
    monkeypatch.setattr(module, "dashboard", fake, raising=False)
    return fake


# --- periods and due dates ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "day", "start", "end"),
    [
        (Kind.MONTH, D(2025, 2, 28), D(2025, 2, 1), D(2025, 2, 28)),
        (Kind.MONTH, D(2024, 2, 10), D(2024, 2, 1), D(2024, 2, 29)),
        (Kind.MONTH, D(2025, 12, 31), D(2025, 12, 1), D(2025, 12, 31)),
        (Kind.QUARTER, D(2025, 1, 1), D(2025, 1, 1), D(2025, 3, 31)),
        (Kind.QUARTER, D(2025, 6, 30), D(2025, 4, 1), D(2025, 6, 30)),
        (Kind.QUARTER, D(2025, 7, 1), D(2025, 7, 1), D(2025, 9, 30)),
        (Kind.QUARTER, D(2025, 11, 15), D(2025, 10, 1), D(2025, 12, 31)),
        (Kind.YEAR, D(2025, 7, 4), D(2025, 1, 1), D(2025, 12, 31)),
    ],
)
def test_period_bounds(kind, day, start, end):
    assert reports.period_bounds(kind, day) == (start, end)


@pytest.mark.parametrize(
    ("kind", "period_start", "due"),
    [
        # "hằng tháng (trước ngày 15)": the month's report, on time up to the 14th
        (Kind.MONTH, D(2025, 1, 1), D(2025, 1, 14)),
        (Kind.MONTH, D(2025, 2, 1), D(2025, 2, 14)),
        (Kind.MONTH, D(2025, 12, 1), D(2025, 12, 14)),
        # "quý (trước ngày 15 tháng cuối quý)"
        (Kind.QUARTER, D(2025, 1, 1), D(2025, 3, 14)),
        (Kind.QUARTER, D(2025, 4, 1), D(2025, 6, 14)),
        (Kind.QUARTER, D(2025, 7, 1), D(2025, 9, 14)),
        (Kind.QUARTER, D(2025, 10, 1), D(2025, 12, 14)),
        # "năm (trước ngày 10 tháng 12)"
        (Kind.YEAR, D(2025, 1, 1), D(2025, 12, 9)),
        (Kind.YEAR, D(2024, 1, 1), D(2024, 12, 9)),
    ],
)
def test_due_dates_follow_the_seed(kind, period_start, due):
    assert reports.due_date(kind, period_start) == due
    # any day of the period gives the same due date
    assert reports.due_date(kind, reports.period_bounds(kind, period_start)[1]) == due


def test_labels():
    assert reports.period_label(Kind.MONTH, D(2025, 5, 1)) == "Tháng 05/2025"
    assert reports.period_label(Kind.QUARTER, D(2025, 10, 1)) == "Quý IV/2025"
    assert reports.period_label(Kind.YEAR, D(2025, 1, 1)) == "Năm 2025"


def _due_keys(today, **kwargs):
    return {(item.kind, item.period_start): item for item in reports.periods_due(today, **kwargs)}


def test_periods_due_edge_days():
    # 14 May: May's report is due today (not overdue); 15 May: overdue
    on_14 = _due_keys(D(2025, 5, 14), since=D(2025, 5, 1))
    may = on_14[(Kind.MONTH, D(2025, 5, 1))]
    assert (may.due_date, may.overdue, may.days_left) == (D(2025, 5, 14), False, 0)
    on_15 = _due_keys(D(2025, 5, 15), since=D(2025, 5, 1))
    may = on_15[(Kind.MONTH, D(2025, 5, 1))]
    assert (may.overdue, may.days_late) == (True, 1)
    # June's report is not listed before June begins; Q2 (due 14 June) and the year are
    assert (Kind.MONTH, D(2025, 6, 1)) not in on_15
    assert on_15[(Kind.QUARTER, D(2025, 4, 1))].overdue is False
    assert on_15[(Kind.YEAR, D(2025, 1, 1))].due_date == D(2025, 12, 9)
    # 9 December: the year's report on time; 10 December: overdue
    assert _due_keys(D(2025, 12, 9))[(Kind.YEAR, D(2025, 1, 1))].overdue is False
    assert _due_keys(D(2025, 12, 10))[(Kind.YEAR, D(2025, 1, 1))].overdue is True


def test_periods_due_leaves_out_submitted_periods_and_shows_drafts():
    today = D(2025, 5, 20)
    Report.objects.create(
        kind=Kind.MONTH, period_start=D(2025, 4, 1), period_end=D(2025, 4, 30),
        status=Report.Status.SUBMITTED, number="3",
    )
    draft = Report.objects.create(kind=Kind.MONTH, period_start=D(2025, 5, 1), period_end=D(2025, 5, 31))
    due = _due_keys(today, since=D(2025, 3, 1))
    assert (Kind.MONTH, D(2025, 4, 1)) not in due
    assert due[(Kind.MONTH, D(2025, 3, 1))].overdue is True
    assert due[(Kind.MONTH, D(2025, 5, 1))].draft == draft
    assert due[(Kind.MONTH, D(2025, 5, 1))].overdue is True
    assert [item.period_start for item in reports.overdue(today) if item.kind == Kind.MONTH][-2:] == [
        D(2025, 3, 1), D(2025, 5, 1),
    ]
    # ordered by due date
    dates = [item.due_date for item in reports.periods_due(today)]
    assert dates == sorted(dates)


# --- drafts, submitting, corrections ------------------------------------------------------


def test_create_draft_normalises_the_period_and_is_idempotent(fake_figures):
    user = make_office()
    report = reports.create_draft(Kind.QUARTER, D(2025, 5, 17), user)
    assert (report.period_start, report.period_end, report.version) == (D(2025, 4, 1), D(2025, 6, 30), 1)
    assert report.status == Report.Status.DRAFT
    assert reports.create_draft(Kind.QUARTER, D(2025, 4, 1), user) == report
    future = reports.period_bounds(Kind.MONTH, TODAY)[1] + datetime.timedelta(days=1)
    with pytest.raises(reports.ReportError):
        reports.create_draft(Kind.MONTH, future, user)


def test_submit_freezes_the_snapshot_and_numbers_by_year(fake_figures):
    user = make_office()
    report = reports.create_draft(Kind.MONTH, D(2025, 3, 1), user)
    report.results = "Thêm 2 sản phẩm 4 sao."
    report.save()
    fake_figures.value = 7
    reports.submit(report, user, today=D(2025, 3, 10))
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED
    assert report.submitted_by == user and report.submitted_at is not None
    assert report.number == "1" and reports.reference(report) == "1/BC-PNN"
    snapshot = report.snapshot
    assert snapshot["period"]["products"]["total"] == 7
    assert snapshot["year_to_date"]["sales"]["total"] == 7000
    # the period to the day the figures were taken, and the year to date
    assert fake_figures.calls == [(D(2025, 3, 1), D(2025, 3, 10)), (D(2025, 1, 1), D(2025, 3, 10))]
    assert snapshot["as_of"] == "2025-03-10"
    assert snapshot["narrative"]["results"] == "Thêm 2 sản phẩm 4 sao."
    assert snapshot["report"]["reference"] == "1/BC-PNN"
    assert snapshot["report"]["due_date"] == "2025-03-14"

    # later data does not move it; a draft follows the data
    fake_figures.value = 99
    assert reports.figures_of(report)["period"]["products"]["total"] == 7
    other = reports.create_draft(Kind.MONTH, D(2025, 4, 1), user)
    assert reports.figures_of(other)["period"]["products"]["total"] == 99

    # the next report of the year gets the next number
    reports.submit(other, user)
    assert other.number == "2"


def test_second_submit_is_refused(fake_figures):
    user = make_office()
    report = reports.create_draft(Kind.MONTH, D(2025, 3, 1), user)
    stale = Report.objects.get(pk=report.pk)
    reports.submit(report, user)
    snapshot, number = report.snapshot, report.number
    fake_figures.value = 50
    with pytest.raises(reports.ReportError):
        reports.submit(stale, user)  # a copy read before the first submit
    report.refresh_from_db()
    assert (report.snapshot, report.number) == (snapshot, number)
    # and no new draft of a submitted period: correct it instead
    with pytest.raises(reports.ReportError):
        reports.create_draft(Kind.MONTH, D(2025, 3, 1), user)


def test_correction_is_a_new_version_keeping_the_old(fake_figures):
    user = make_office()
    first = reports.create_draft(Kind.YEAR, D(2025, 1, 1), user)
    first.difficulties = "Thiếu vốn."
    first.symbol = "BC-NN"
    first.save()
    reports.submit(first, user)
    frozen = first.snapshot

    fake_figures.value = 3
    second = reports.correct(first, user)
    assert (second.version, second.supersedes, second.status) == (2, first, Report.Status.DRAFT)
    assert (second.difficulties, second.symbol, second.number) == ("Thiếu vốn.", "BC-NN", "")
    with pytest.raises(reports.ReportError):
        reports.correct(first, user)  # one correction per version
    with pytest.raises(reports.ReportError):
        reports.correct(second, user)  # a draft is not corrected, it is edited

    reports.submit(second, user)
    first.refresh_from_db()
    assert first.snapshot == frozen and first.status == Report.Status.SUBMITTED
    assert second.snapshot["period"]["products"]["total"] == 3
    assert second.number == "2"
    assert [r.version for r in reports.versions(first)] == [2, 1]


def test_submitted_report_keeps_its_figures_real_dashboard(client):
    """Through the real figures module: a certificate added after submitting shows in a new
    draft, never in the submitted report (its page reads the snapshot)."""
    from tests.factories import make_certificate, make_product

    office = make_office()
    client.force_login(office)
    start = reports.period_bounds(Kind.MONTH, TODAY)[0]
    first = make_product(title="Mật ong Đăk Hà", stars=4)
    make_certificate(first, stars=4, decision_date=TODAY - datetime.timedelta(days=30))

    report = reports.create_draft(Kind.MONTH, start, office)
    reports.submit(report, office)
    registry = report.snapshot["period"]["registry"]
    assert [row["product"] for row in registry] == ["Mật ong Đăk Hà"]
    page = client.get(reverse("programme:report", args=[report.pk]))
    assert page.status_code == 200
    before = page.content.decode()

    second = make_product(title="Sâm dây Ngọc Linh sấy", stars=3)
    make_certificate(second, stars=3, decision_date=TODAY - datetime.timedelta(days=10))

    report.refresh_from_db()
    assert report.snapshot["period"]["registry"] == registry
    after = client.get(reverse("programme:report", args=[report.pk])).content.decode()
    assert "Sâm dây Ngọc Linh sấy" not in after
    assert "Mật ong Đăk Hà" in after
    assert after.count("<tr") == before.count("<tr")

    draft = reports.correct(report, office)
    live = reports.figures_of(draft)["period"]
    assert sorted(row["product"] for row in live["registry"]) == ["Mật ong Đăk Hà", "Sâm dây Ngọc Linh sấy"]
    assert live["products"]["total"] == report.snapshot["period"]["products"]["total"] + 1
    draft_page = client.get(reverse("programme:report", args=[draft.pk])).content.decode()
    assert "Sâm dây Ngọc Linh sấy" in draft_page


# --- reminders -----------------------------------------------------------------------------


def test_reminder_is_sent_once_before_the_due_date(settings, fake_figures):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SHOP_BASE_URL = "https://ocop.example.vn"
    make_office()
    make_office("office2", email="")  # no address: not a recipient
    customer = get_user_model().objects.create_user(username="c", email="c@example.vn", password="x")
    assert customer.email not in reports.office_recipients()

    # 10 May: May's report is due 14 May, 4 days away: nothing with the default 3 days
    assert reports.send_reminders(today=D(2025, 5, 10)) == []
    assert mail.outbox == []

    sent = reports.send_reminders(today=D(2025, 5, 11))
    assert [(item.kind, item.period_start) for item, _to in sent] == [(Kind.MONTH, D(2025, 5, 1))]
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["office@example.vn"]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert "14/05/2025" in message.subject
    draft = Report.objects.get(kind=Kind.MONTH, period_start=D(2025, 5, 1))
    assert draft.reminded_at is not None and draft.status == Report.Status.DRAFT
    assert f"https://ocop.example.vn/office/programme/reports/{draft.pk}/" in message.body

    # the next days: already reminded
    assert reports.send_reminders(today=D(2025, 5, 12)) == []
    assert reports.send_reminders(today=D(2025, 5, 14)) == []
    assert len(mail.outbox) == 1


def test_reminder_skips_submitted_periods_and_the_command_reports(settings, fake_figures, capsys):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    office = make_office()
    # Q2 2025 is due 14 June; June's report too. June's is submitted already.
    june = reports.create_draft(Kind.MONTH, D(2025, 6, 1), office)
    reports.submit(june, office)
    sent = reports.send_reminders(today=D(2025, 6, 9), days_before=5)
    assert [(item.kind, item.period_start) for item, _to in sent] == [(Kind.QUARTER, D(2025, 4, 1))]
    assert len(mail.outbox) == 1

    call_command("programme_reminders", "--days", "5")
    output = capsys.readouterr().out
    # the command runs on today's date: whatever it did, it said so, and a second run sends nothing
    count = len(mail.outbox)
    assert output.strip()
    call_command("programme_reminders", "--days", "5")
    assert len(mail.outbox) == count
    assert "Không có báo cáo nào cần nhắc." in capsys.readouterr().out


# --- pages and access ---------------------------------------------------------------------


def test_access(client, fake_figures):
    report = Report.objects.create(kind=Kind.MONTH, period_start=D(2025, 1, 1), period_end=D(2025, 1, 31))
    urls = [reverse("programme:reports"), reverse("programme:report", args=[report.pk])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "login" in response["Location"]
    customer = get_user_model().objects.create_user(username="buyer", password="secret-pass-123")
    client.force_login(customer)
    for url in urls:
        assert client.get(url).status_code == 403
    assert client.post(reverse("programme:report-submit", args=[report.pk]), {"confirm": "on"}).status_code == 403
    assert client.post(reverse("programme:report-new"), {"kind": "month", "period": "2025-02-01"}).status_code == 403
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT
    # staff without the programme permission: no
    client.force_login(get_user_model().objects.create_user(username="staff", password="x", is_staff=True))
    assert client.get(urls[0]).status_code == 403
    client.force_login(make_office())
    for url in urls:
        assert client.get(url).status_code == 200


def test_list_page_marks_overdue_and_has_a_query_bound(client, django_assert_max_num_queries):
    office = make_office()
    client.force_login(office)
    last_year = D(TODAY.year - 1, 1, 1)
    for month in range(1, 13):
        start = D(last_year.year, month, 1)
        Report.objects.create(
            kind=Kind.MONTH, period_start=start, period_end=reports.period_bounds(Kind.MONTH, start)[1],
            status=Report.Status.SUBMITTED if month % 2 else Report.Status.DRAFT, number=str(month),
        )
    # the layout's own (session, user, menus, basket…) plus one query per table, however
    # many reports there are
    with django_assert_max_num_queries(24):
        response = client.get(reverse("programme:reports"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Báo cáo cần gửi" in html and "Quá hạn" in html
    assert 'class="table-danger"' in html
    # last year's December (a draft, never submitted) is overdue and listed red
    december = f'data-period="{last_year.year}-12-01" class="table-danger"'
    assert december in html


def test_draft_page_submit_and_correct_through_the_views(client, fake_figures):
    office = make_office()
    client.force_login(office)
    start = reports.period_bounds(Kind.MONTH, TODAY)[0]
    response = client.post(reverse("programme:report-new"), {"kind": "month", "period": start.isoformat()})
    report = Report.objects.get(kind=Kind.MONTH, period_start=start)
    assert response.status_code == 302 and response["Location"] == reverse("programme:report", args=[report.pk])

    page = client.get(reverse("programme:report", args=[report.pk])).content.decode()
    assert 'id="report-narrative-form"' in page and 'id="report-submit-form"' in page
    assert start.strftime("%d/%m/%Y") in page

    response = client.post(reverse("programme:report", args=[report.pk]), {
        "results": "  Kết quả tốt. ", "difficulties": "Thiếu vốn", "proposals": "Hỗ trợ", "symbol": "BC-PNN",
    })
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.results == "Kết quả tốt."

    # submitting needs the confirmation box
    client.post(reverse("programme:report-submit", args=[report.pk]), {})
    report.refresh_from_db()
    assert report.status == Report.Status.DRAFT
    client.post(reverse("programme:report-submit", args=[report.pk]), {"confirm": "on"})
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED

    # read-only now: the narrative cannot be changed, a second submit changes nothing
    client.post(reverse("programme:report", args=[report.pk]), {"results": "Sửa lén", "symbol": "X"})
    client.post(reverse("programme:report-submit", args=[report.pk]), {"confirm": "on"})
    report.refresh_from_db()
    assert report.results == "Kết quả tốt." and report.number == "1"
    page = client.get(reverse("programme:report", args=[report.pk])).content.decode()
    assert 'id="report-narrative-form"' not in page and "1/BC-PNN" in page
    assert 'id="report-correct-form"' in page

    response = client.post(reverse("programme:report-correct", args=[report.pk]))
    correction = Report.objects.get(supersedes=report)
    assert response["Location"] == reverse("programme:report", args=[correction.pk])
    page = client.get(reverse("programme:report", args=[correction.pk])).content.decode()
    assert 'id="report-versions"' in page and "Kết quả tốt." in page
