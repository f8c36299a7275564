"""OCOP evaluation online in a real (headless) browser: issue 18's journey, end to end.

A producer applies for its product in the open round, uploads its dossier (a real JPEG and a
real PDF, with the food-safety certificate's validity date) and submits; the commune's
officer forwards it; the office opens scoring; two council members score it on the sheet's
radio buttons — the member first, who cannot see the chair's card before submitting — and
the chair, after submitting, sees the other card and the mean and closes the product's
scoring; the office records the decision; the product page then shows its new 4 stars, and
the printable certificate carries the product's trace QR. No page breaks the
Content-Security-Policy, logs a console error or answers an error status (the watch of
tests/test_csp_browser.py).
"""

import re

import pytest
from django.utils import timezone

from shop.evaluation.models import Application, Criterion, State
from tests.evaluation.factories import world
from tests.factories import jpeg_bytes
from tests.test_csp_browser import Watch, signed_in
from tests.vendors.uploads_samples import real_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def browser_as(chromium, live_server, user, path):
    context = signed_in(chromium, live_server, user.username)
    watch = Watch(context)
    page = context.new_page()
    page.goto(live_server.url + path)
    return context, watch, page


def pick(page, points):
    """Choose, on the scorecard, the option worth ``points[part code]`` of each criterion
    (the world's sheet: one criterion per part, options 0..max points)."""
    for criterion in Criterion.objects.select_related("part").prefetch_related("options"):
        option = next(o for o in criterion.options.all() if o.points == points[criterion.part.code])
        page.check(f"input[name=criterion_{criterion.pk}][value='{option.pk}']")


def test_a_product_goes_from_application_to_stars_on_the_shop(chromium, live_server, tmp_path):
    w = world()
    problems = []
    photo = tmp_path / "giay-dang-ky.jpg"
    photo.write_bytes(jpeg_bytes())
    scan = tmp_path / "chung-nhan-attp.pdf"
    scan.write_bytes(real_pdf())
    valid_until = (timezone.localdate().replace(year=timezone.localdate().year + 2)).isoformat()

    # 1. The producer applies, uploads the dossier and submits.
    context, watch, page = browser_as(chromium, live_server, w.producer, "/evaluation/mine/")
    page.get_by_role("link", name="Đăng ký đánh giá sản phẩm").first.click()
    page.select_option("#id_round", str(w.round.pk))
    page.select_option("#id_product", str(w.product.pk))
    page.select_option("#id_group", str(w.group.pk))
    page.fill("#id_description", "Cà phê hạt Robusta trồng tại Đăk Mar, rang mộc.")
    page.get_by_role("button", name="Lưu bản nháp").click()
    page.wait_for_selector("#document-form")
    application = Application.objects.get(vendor=w.vendor)
    for kind, path in ((w.kinds[0], photo), (w.kinds[1], scan)):
        page.select_option("#id_kind", str(kind.pk))
        page.set_input_files("#id_file", str(path))
        if kind.has_validity:
            page.fill("#id_valid_until", valid_until)
        page.get_by_role("button", name="Tải lên").click()
        page.wait_for_selector(f"#dossier tr[data-kind='{kind.code}'] a")
    assert page.locator("#missing-documents").count() == 0
    page.locator("form[data-move='submitted'] button").click()
    page.wait_for_selector("[data-state='submitted']")
    watch.check(page, "producer")
    problems += watch.problems
    context.close()

    # 2. The commune's officer checks and forwards it.
    context, watch, page = browser_as(chromium, live_server, w.officer, "/evaluation/commune/")
    page.locator(f"tr[data-application='{application.pk}']").get_by_role(
        "link", name="Xem hồ sơ").click()
    assert page.locator("#dossier tr a").count() == 2
    page.fill("#reason-forwarded", "Hồ sơ đầy đủ.")
    page.locator("form[data-move='forwarded'] button").click()
    page.wait_for_selector("[data-state='forwarded']")
    watch.check(page, "commune")
    problems += watch.problems
    context.close()

    # 3. The office opens scoring for the round.
    context, watch, page = browser_as(chromium, live_server, w.office,
                                      f"/evaluation/office/rounds/{w.round.pk}/")
    page.click("#open-scoring")
    page.wait_for_selector("#scoring")
    watch.check(page, "office opens scoring")
    problems += watch.problems
    context.close()

    # 4. The chair scores first; then the member, blind to the chair's card until submitting.
    context, watch, page = browser_as(chromium, live_server, w.chair.user, "/evaluation/council/")
    page.locator(f"tr[data-application='{application.pk}'] a").click()
    pick(page, {"A": 32, "B": 20, "C": 30})
    page.get_by_role("button", name="Nộp phiếu chấm của tôi").click()
    page.wait_for_selector("#my-total")
    assert "82" in page.inner_text("#my-total")
    assert page.locator("#close-scoring").count() == 1
    watch.check(page, "chair scores")
    problems += watch.problems
    chair = (context, watch, page)

    context, watch, page = browser_as(chromium, live_server, w.member.user, "/evaluation/council/")
    page.locator(f"tr[data-application='{application.pk}'] a").click()
    assert page.locator("#score-table").count() == 0 and page.locator("#live-result").count() == 0
    pick(page, {"A": 30, "B": 20, "C": 28})
    page.get_by_role("button", name="Nộp phiếu chấm của tôi").click()
    page.wait_for_selector("#live-result")
    assert page.locator("#score-table th", has_text=w.chair.user.username).count() == 1
    assert "80,00" in page.inner_text("#live-mean")
    watch.check(page, "member scores")
    problems += watch.problems
    context.close()

    # 5. The chair closes the product's scoring: mean, parts, stars.
    context, watch, page = chair
    page.reload()
    page.click("#close-scoring")
    page.wait_for_selector("#result-parts")
    assert "80,00" in page.inner_text("#result-mean")
    assert "4 sao" in page.inner_text("#result-stars")
    watch.check(page, "chair closes")
    problems += watch.problems
    context.close()

    # 6. The office records the decision.
    context, watch, page = browser_as(chromium, live_server, w.office,
                                      f"/evaluation/office/rounds/{w.round.pk}/")
    page.click("#record-decision")
    page.fill("#id_number", "125/QĐ-UBND")
    page.fill("#id_date", timezone.localdate().isoformat())
    assert page.is_checked(f"input[name=applications][value='{application.pk}']")
    page.get_by_role("button", name="Ghi nhận quyết định").click()
    page.wait_for_selector("#rated")
    page.locator("#rated").get_by_role("link", name="Xem hồ sơ").click()
    assert "125/QĐ-UBND" in page.inner_text("#decision")
    assert page.locator("#score-table").count() == 1
    page.get_by_role("link", name="Giấy chứng nhận (bản in)").click()
    page.wait_for_selector("#certificate-qr svg")
    assert w.product.get_trace_url() in page.inner_text("#certificate-qr")
    assert "Hạng 4 sao" in page.inner_text("#certificate-stars")
    watch.check(page, "decision and certificate")
    problems += watch.problems
    context.close()

    application.refresh_from_db()
    assert application.state == State.RATED and application.certificate.stars == 4

    # 7. The shop shows the new stars on the product page.
    context = chromium.new_context(locale="vi-VN")
    watch = Watch(context)
    page = context.new_page()
    page.goto(live_server.url + w.product.get_absolute_url())
    badge = page.locator(".ocop-info .ocop-stars__label")
    assert re.search(r"OCOP 4 sao", badge.inner_text())
    watch.check(page, "product page")
    problems += watch.problems
    context.close()

    assert problems == []
