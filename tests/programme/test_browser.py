"""The OCOP programme in a real (headless) browser, on the demo data (issue 14's browser test).

The office signs in, reads /office/programme/ (every target of the seed's plan with its live
value and a met / on-track / behind mark), opens the periodic reports, creates last month's
report, writes its narrative, ticks the confirmation and submits it (it gets its number and
its figures are frozen), then downloads the XLSX and the PDF through the page's own links:
the workbook's sales total is the one the page shows, the PDF carries the national motto and
the narrative with its diacritics. Đăk Mar's commune officer signs in and reads only Đăk Mar's
figures, and is refused the district's reports. No page breaks the Content-Security-Policy,
logs a console error or throws a script error (the watch of tests/test_csp_browser.py).
"""

import datetime
import io
import re
import unicodedata

import pytest
from django.core.management import call_command
from django.test import Client
from openpyxl import load_workbook
from oscar.core.loading import get_model
from pypdf import PdfReader

from shop import money
from shop.programme import reports, targets
from shop.programme.models import Report
from shop.programme.reports import VIETNAM
from tests.checkout.support import add_to_basket, checkout, delivery_zones
from tests.test_csp_browser import Watch

# The plan 2021–2025 is seeded by a migration (programme 0002); an earlier transactional
# test's flush removes it, and load_demo puts it back (shop.programme.demo).
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

PASSWORDS = {"office": "PhongNN@2025", "commune_dakmar": "CanBoXa@25"}  # shop.demo.data.USERS
STATUS_MARKS = {"Đạt", "Đúng tiến độ", "Chậm tiến độ"}
NARRATIVE = {
    "results": "Cà phê Đăk Mar được nâng hạng 4 sao; doanh số tăng rõ.",
    "difficulties": "Thiếu vốn đổi mới thiết bị sơ chế ở các hợp tác xã.",
    "proposals": "Đề nghị UBND huyện hỗ trợ kinh phí xúc tiến thương mại.",
}


def nfc(text):
    return unicodedata.normalize("NFC", text)


def dong(text):
    """An amount as the page shows it (``1.250.000 ₫``) in whole đồng."""
    return int(money.parse(text.strip(), grouped=True))


def commune_names(page):
    """The communes of the dashboard's "products by commune" chart (a table of bars)."""
    rows = page.get_by_role("table", name="Sản phẩm theo xã").locator("tbody th")
    return [name.strip() for name in rows.all_inner_texts()]


@pytest.fixture
def demo():
    delivery_zones()
    call_command("load_demo", quiet=True)


def sold_last_month(start):
    """A shopper's order (cash on delivery) placed mid-month ``start``: the demo's orders are all
    recent, and last month's figures should not be only zeros."""
    record = next(r for r in StockRecord.objects.filter(
        product__is_public=True, product__structure="standalone").order_by("pk")
        if (r.net_stock_level or 0) > 0)
    shopper = Client()
    add_to_basket(shopper, record)
    assert checkout(shopper).status_code == 302
    order = Order.objects.filter(guest_email="khach@example.vn").get()
    placed = datetime.datetime.combine(start.replace(day=15), datetime.time(10), VIETNAM)
    Order.objects.filter(pk=order.pk).update(date_placed=placed)
    return order


def sign_in(chromium, live_server, username, next_path):
    """A fresh Vietnamese browser context, signed in through the shop's sign-in form."""
    context = chromium.new_context(locale="vi-VN", viewport={"width": 1366, "height": 900},
                                   accept_downloads=True)
    context.set_default_timeout(15_000)
    watch = Watch(context)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next={next_path}")
    page.fill("#id_login-username", username)
    page.fill("#id_login-password", PASSWORDS[username])
    page.click("button[name=login_submit]")
    page.wait_for_url(re.compile(re.escape(next_path) + r"$"))
    return context, watch, page


def download(page, link_text):
    """Click the page's link named ``link_text``; the downloaded file's name and bytes."""
    with page.expect_download() as info:
        page.get_by_role("link", name=link_text).click()
    item = info.value
    assert item.failure() is None, item.failure()
    with open(item.path(), "rb") as handle:
        return item.suggested_filename, handle.read()


def test_the_office_submits_last_months_report_and_downloads_both_files(
        chromium, live_server, demo):
    base = live_server.url
    today = reports.today_vietnam()
    start, end = reports.period_bounds(Report.Kind.MONTH, today.replace(day=1) - datetime.timedelta(days=1))
    sold_last_month(start)
    problems = []

    context, watch, page = sign_in(chromium, live_server, "office", "/office/programme/")
    watch.check(page, "office dashboard")
    assert page.get_by_role("heading", name="Chương trình OCOP của huyện").count() >= 1

    # every target of the plan, each with a live value and its mark
    plan = targets.plan_for(today)
    measures = list(plan.targets.order_by("position", "pk").values_list("measure", flat=True))
    assert len(measures) == 10
    rows = page.locator("#programme-targets tbody tr")
    assert rows.count() == 10
    assert [rows.nth(i).get_attribute("data-measure") for i in range(10)] == measures
    for i in range(10):
        cells = rows.nth(i).locator("td")
        label, value, mark = (cells.nth(0).inner_text().strip(), cells.nth(2).inner_text(),
                              cells.nth(3).inner_text())
        assert label, measures[i]
        assert re.match(r"\s*\d+([.,]\d+)?( %)?", value), (measures[i], value)
        assert sum(word in mark for word in STATUS_MARKS) == 1, (measures[i], mark)
    # the district's products by commune: Đăk Mar among others
    district_communes = commune_names(page)
    assert "Đăk Mar" in district_communes and len(district_communes) > 1

    # last month as the dashboard shows it (the report's period figures are the same)
    page.goto(f"{base}/office/programme/?preset=last-month")
    watch.check(page, "office dashboard, last month")
    dashboard_total = dong(page.locator("#sales-total").inner_text())

    # the reports: create last month's, write the narrative, confirm, submit
    page.get_by_role("link", name="Báo cáo định kỳ").click()
    page.wait_for_url(re.compile(r"/office/programme/reports/$"))
    watch.check(page, "report list")
    row = page.locator(f"#reports-month tr[data-period='{start.isoformat()}']")
    assert "Chưa lập" in row.inner_text()
    row.get_by_role("button", name="Lập báo cáo").click()
    page.wait_for_url(re.compile(r"/office/programme/reports/\d+/$"))
    watch.check(page, "new draft")
    report = Report.objects.get(kind=Report.Kind.MONTH, period_start=start)
    assert report.status == Report.Status.DRAFT and report.period_end == end
    assert "Bản nháp" in page.locator("#report-status").inner_text()

    form = page.locator("#report-narrative-form")
    for name, text in NARRATIVE.items():
        form.locator(f"textarea[name={name}]").fill(text)
    form.get_by_role("button", name="Lưu thuyết minh").click()
    page.wait_for_load_state()
    watch.check(page, "narrative saved")
    assert "Đã lưu phần thuyết minh." in page.inner_text("body")

    submit = page.locator("#report-submit-form")
    submit.get_by_role("checkbox").check()
    submit.get_by_role("button", name="Gửi báo cáo").click()
    page.wait_for_load_state()
    watch.check(page, "report submitted")
    report.refresh_from_db()
    assert report.status == Report.Status.SUBMITTED and report.number
    reference = reports.reference(report)
    assert f"Đã gửi báo cáo số {reference}." in page.inner_text("body")
    assert page.locator("#report-reference").inner_text().strip() == reference
    status = page.locator("#report-status").inner_text()
    assert "Đã gửi" in status and "Số liệu đã chốt" in status
    shown = page.locator("#report-narrative").inner_text()
    assert all(text in shown for text in NARRATIVE.values())
    assert page.locator("#report-narrative-form").count() == 0

    # the sales total of the period, as the report page shows it
    page_total = dong(page.locator("#report-sales-period tfoot th").nth(1).inner_text())
    assert dong(page.locator("#report-sales-total-period").inner_text().split(":")[1]
                .split("(")[0]) == page_total
    assert page_total == dashboard_total
    assert page_total > 0  # the order placed last month is counted: the comparison means something

    # both files, through the page's links
    name, xlsx = download(page, "Tải về (XLSX)")
    assert name.endswith(".xlsx")
    book = load_workbook(io.BytesIO(xlsx))
    cover = book["Báo cáo"]
    summary = {row[0]: row[1] for row in cover.iter_rows(min_col=1, max_col=2, values_only=True)
               if row[0]}
    assert summary["Doanh thu trong kỳ"] == page_total
    channels = book["Doanh thu theo kênh"]
    totals = [row for row in channels.iter_rows(values_only=True) if row[0] == "Tổng cộng"]
    assert len(totals) == 1 and totals[0][1] == page_total
    assert NARRATIVE["proposals"] in [row[0] for row in cover.iter_rows(values_only=True)]

    name, pdf = download(page, "Tải về (PDF)")
    assert name.endswith(".pdf") and pdf.startswith(b"%PDF")
    text = nfc("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
    assert "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    for sentence in NARRATIVE.values():
        assert sentence in text, sentence
    assert "DỰ THẢO" not in text

    problems += watch.problems
    context.close()

    # Đăk Mar's commune officer: its commune only, and not the district's reports
    context, watch, page = sign_in(chromium, live_server, "commune_dakmar", "/office/programme/")
    watch.check(page, "commune officer's dashboard")
    heading = page.get_by_role("heading", name="Chương trình OCOP — Đăk Mar")
    assert heading.count() >= 1
    assert page.get_by_role("heading", name="Chương trình OCOP của huyện").count() == 0
    assert commune_names(page) == ["Đăk Mar"]
    sold_in = page.get_by_role("table", name="Doanh số theo xã").locator("tbody th")
    assert set(sold_in.all_inner_texts()) <= {"Đăk Mar"}
    assert page.locator("#programme-targets tbody tr").count() == 10
    problems += watch.problems
    response = page.goto(f"{base}/office/programme/reports/")
    assert response.status == 403
    context.close()

    assert not problems, "\n".join(problems)
