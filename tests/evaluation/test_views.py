"""The OCOP evaluation pages (/evaluation/): who reaches what, the refused moves as 4xx with the
rule's Vietnamese message, blind scoring on the page, the office's pages, list query counts,
and the printable certificate (page and PDF) with its trace QR."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from shop.evaluation.models import (
    Application,
    ApplicationDocument,
    Council,
    CouncilMember,
    Criterion,
    EvaluationRound,
    Scorecard,
    ScoringSheet,
    State,
)
from tests.evaluation.factories import score, upload, world
from tests.factories import make_category

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return world()


def as_user(client, user):
    client.force_login(user)
    return client


def url(name, *args):
    return reverse(f"evaluation:{name}", args=args)


def text(response):
    return response.content.decode()


# --- Who sees which application -----------------------------------------------------------


def test_a_producer_lists_and_opens_only_its_own_applications(client, w):
    own = w.application()
    other = Application.objects.create(round=w.round, vendor=w.other_vendor, group=w.group,
                                       proposed_name="Mật ong rừng", created_by=w.other_producer)
    as_user(client, w.producer)
    page = client.get(url("my-applications"))
    assert page.status_code == 200
    assert own.product_name in text(page) and "Mật ong rừng" not in text(page)
    assert client.get(url("application", own.pk)).status_code == 200
    assert client.get(url("application", other.pk)).status_code == 404


def test_a_producer_cannot_read_another_producers_document(client, w):
    other = Application.objects.create(round=w.round, vendor=w.other_vendor, group=w.group,
                                       proposed_name="Mật ong rừng", created_by=w.other_producer)
    from tests.evaluation.factories import attach_documents

    attach_documents(other, w.kinds, w.other_producer)
    document = other.documents.first()
    assert as_user(client, w.producer).get(url("document-file", document.pk)).status_code == 404
    client.force_login(w.other_producer)
    response = client.get(url("document-file", document.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    # the office and the commune's officer read it once submitted, not before
    assert as_user(client, w.officer).get(url("document-file", document.pk)).status_code == 404
    Application.objects.filter(pk=other.pk).update(state=State.SUBMITTED)
    assert as_user(client, w.other_officer).get(url("document-file", document.pk)).status_code == 200
    assert as_user(client, w.officer).get(url("document-file", document.pk)).status_code == 404
    assert as_user(client, w.office).get(url("document-file", document.pk)).status_code == 200


def test_anonymous_goes_to_sign_in_and_strangers_are_refused(client, w):
    application = w.application(state=State.SUBMITTED)
    response = client.get(url("application", application.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert as_user(client, w.outsider).get(url("application", application.pk)).status_code == 404
    assert client.get(url("rounds")).status_code == 403
    assert client.get(url("commune")).status_code == 403
    assert as_user(client, w.producer).get(url("council")).status_code == 403
    assert client.get(url("home")).status_code == 200


def test_the_commune_sees_its_communes_submitted_applications_not_drafts(client, w):
    draft = w.application()
    submitted = Application.objects.create(round=w.round, vendor=w.vendor, group=w.group,
                                           proposed_name="Trà hoa vàng", state=State.SUBMITTED)
    as_user(client, w.officer)
    page = text(client.get(url("commune")))
    assert "Trà hoa vàng" in page and draft.product_name not in page
    assert client.get(url("application", draft.pk)).status_code == 404
    assert as_user(client, w.other_officer).get(url("application", submitted.pk)).status_code == 404


# --- The producer's journey on the pages --------------------------------------------------------


def test_a_producer_applies_uploads_and_submits(client, w):
    as_user(client, w.producer)
    response = client.post(url("apply"), {"round": w.round.pk, "product": w.product.pk,
                                          "group": w.group.pk, "description": "Cà phê sạch."})
    assert response.status_code == 302
    application = Application.objects.get(vendor=w.vendor)
    assert application.state == State.DRAFT and application.created_by == w.producer
    # submitting without the documents: 400 with the missing kinds named
    refused = client.post(url("move", application.pk, State.SUBMITTED))
    assert refused.status_code == 400
    assert "Hồ sơ còn thiếu" in text(refused) and "Giấy đăng ký kinh doanh" in text(refused)
    for kind in w.kinds[:2]:
        data = {"kind": kind.pk, "file": upload()}
        if kind.has_validity:
            data["valid_until"] = (timezone.localdate() + datetime.timedelta(days=300)).isoformat()
        assert client.post(url("document-upload", application.pk), data).status_code == 302
    stored = ApplicationDocument.objects.filter(application=application)
    assert stored.count() == 2
    assert all(not d.file.name.endswith("giay-to.jpg") for d in stored)  # generated names
    assert client.post(url("move", application.pk, State.SUBMITTED)).status_code == 302
    application.refresh_from_db()
    assert application.state == State.SUBMITTED and application.submitted_at is not None
    # no more uploads once submitted (409), no edit of the form either
    late = client.post(url("document-upload", application.pk),
                       {"kind": w.kinds[2].pk, "file": upload()})
    assert late.status_code == 409
    assert client.get(url("application-edit", application.pk)).status_code == 409


def test_a_bad_file_is_a_400_and_nothing_is_stored(client, w):
    application = w.application(documents=False)
    as_user(client, w.producer)
    response = client.post(url("document-upload", application.pk), {
        "kind": w.kinds[0].pk,
        "file": upload_named("quyet-dinh.pdf", b"<html><script>alert(1)</script></html>")})
    assert response.status_code == 400
    assert not ApplicationDocument.objects.filter(application=application).exists()
    missing_date = client.post(url("document-upload", application.pk),
                               {"kind": w.kinds[1].pk, "file": upload()})
    assert missing_date.status_code == 400 and "ngày hết hiệu lực" in text(missing_date)


def upload_named(name, data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_a_producer_cannot_apply_with_another_producers_product(client, w):
    from tests.factories import make_product

    foreign = make_product(vendor=w.other_vendor, category=w.group, with_image=False)
    as_user(client, w.producer)
    response = client.post(url("apply"), {"round": w.round.pk, "product": foreign.pk,
                                          "group": w.group.pk})
    assert response.status_code == 400
    assert not Application.objects.exists()


def test_the_commune_returns_with_reasons_the_producer_reads(client, w):
    application = w.application(state=State.SUBMITTED)
    as_user(client, w.officer)
    no_reason = client.post(url("move", application.pk, State.RETURNED), {"reason": " "})
    assert no_reason.status_code == 400 and "lý do" in text(no_reason)
    assert client.post(url("move", application.pk, State.RETURNED),
                       {"reason": "Thiếu phiếu kiểm nghiệm mới."}).status_code == 302
    page = text(as_user(client, w.producer).get(url("application", application.pk)))
    assert "Thiếu phiếu kiểm nghiệm mới." in page and "Hồ sơ bị trả lại" in page


def test_illegal_moves_are_clear_4xx_and_change_nothing(client, w):
    application = w.application(state=State.SUBMITTED)
    # the producer may not forward its own application
    response = as_user(client, w.producer).post(url("move", application.pk, State.FORWARDED))
    assert response.status_code == 403
    assert "không có quyền" in text(response)
    # a draft cannot jump to scoring, even for the office
    draft = w.application(product=None, proposed_name="Mới")
    response = as_user(client, w.office).post(url("move", draft.pk, State.SCORING))
    assert response.status_code in (404, 409)
    response = client.post(url("move", application.pk, State.SCORED))
    assert response.status_code == 409 and "Không thể chuyển hồ sơ" in text(response)
    response = client.post(url("move", application.pk, "nowhere"))
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.state == State.SUBMITTED
    assert client.get(url("move", application.pk, State.FORWARDED)).status_code == 405


# --- Scoring on the pages ------------------------------------------------------------------------


def scoring_application(w):
    return w.application(state=State.SCORING)


def answers_for(sheet, pick=max):
    data = {}
    for criterion in Criterion.objects.filter(part__sheet=sheet).prefetch_related("options"):
        option = pick(criterion.options.all(), key=lambda o: o.points)
        data[f"criterion_{criterion.pk}"] = option.pk
    return data


def test_a_member_cannot_see_others_scores_before_submitting(client, w):
    application = scoring_application(w)
    score(application, w.chair, 80)  # the chair submitted 80
    as_user(client, w.member.user)
    page = client.get(url("scorecard", application.pk))
    assert page.status_code == 200
    body = text(page)
    assert 'type="radio"' in body and "Phần A" in body
    assert 'id="score-table"' not in body and 'id="live-result"' not in body
    # the application's page shows no card either
    assert 'id="score-table"' not in text(client.get(url("application", application.pk)))
    # save a draft, then submit: now the other card and the mean show
    data = answers_for(w.sheet, pick=min)
    assert client.post(url("scorecard", application.pk), {**data, "save": "1"}).status_code == 302
    assert not Scorecard.objects.get(application=application, member=w.member).is_submitted
    assert client.post(url("scorecard", application.pk),
                       {**answers_for(w.sheet), "submit": "1"}).status_code == 302
    body = text(client.get(url("scorecard", application.pk)))
    assert 'id="score-table"' in body and 'id="live-mean"' in body
    assert "90,00" in body  # (80 + 100) / 2, written the Vietnamese way


def test_an_incomplete_scorecard_is_refused_and_a_submitted_one_is_frozen(client, w):
    application = scoring_application(w)
    as_user(client, w.member.user)
    first = Criterion.objects.filter(part__sheet=w.sheet).first()
    option = first.options.first()
    response = client.post(url("scorecard", application.pk),
                           {f"criterion_{first.pk}": option.pk, "submit": "1"})
    assert response.status_code == 400 and "chấm đủ" in text(response)
    client.post(url("scorecard", application.pk), {**answers_for(w.sheet), "submit": "1"})
    again = client.post(url("scorecard", application.pk), {**answers_for(w.sheet, min), "save": "1"})
    assert again.status_code == 409
    assert Scorecard.objects.get(member=w.member).total == 100


def test_outsiders_cannot_open_a_scorecard(client, w):
    application = scoring_application(w)
    assert as_user(client, w.outsider).get(url("scorecard", application.pk)).status_code == 404
    assert as_user(client, w.office).get(url("scorecard", application.pk)).status_code == 403


def test_the_chair_closes_only_when_everyone_submitted(client, w):
    application = scoring_application(w)
    score(application, w.chair, 72)
    as_user(client, w.chair.user)
    early = client.post(url("close", application.pk))
    assert early.status_code == 409 and "chưa nộp phiếu" in text(early)
    score(application, w.member, 69)
    # a member who is not chair may not close
    assert as_user(client, w.member.user).post(url("close", application.pk)).status_code == 403
    assert as_user(client, w.chair.user).post(url("close", application.pk)).status_code == 302
    application.refresh_from_db()
    assert application.state == State.SCORED and str(application.score) == "70.50"
    assert application.stars == 4
    body = text(client.get(url("scorecard", application.pk)))
    assert "70,50" in body and 'id="result-parts"' in body


# --- The office -------------------------------------------------------------------------------


def test_the_office_opens_a_round_builds_the_council_and_opens_scoring(client, w):
    as_user(client, w.office)
    today = timezone.localdate()
    response = client.post(url("round-create"), {
        "year": today.year, "kind": "rerating", "name": "Đợt đánh giá lại 2026",
        "rating_level": "province", "certifying_body": "UBND tỉnh Quảng Ngãi",
        "central_body": "Bộ Nông nghiệp và Môi trường",
        "applications_until": (today + datetime.timedelta(days=10)).isoformat(),
        "commune_check_until": (today + datetime.timedelta(days=5)).isoformat(),
        "scoring_until": (today + datetime.timedelta(days=20)).isoformat()})
    assert response.status_code == 400 and "Hạn xã kiểm tra" in text(response)
    assert not EvaluationRound.objects.filter(name="Đợt đánh giá lại 2026").exists()
    new = EvaluationRound.objects.create(
        year=today.year, name="Đợt mới", certifying_body="UBND tỉnh Quảng Ngãi",
        applications_until=today, commune_check_until=today, scoring_until=today)
    council_url = url("round-council", new.pk)
    assert client.post(council_url, {"name": "Hội đồng 2026", "username": w.member.user.username,
                                     "role": "chair"}).status_code == 302
    council = Council.objects.get(round=new)
    assert council.members.get().role == CouncilMember.Role.CHAIR
    second_chair = client.post(council_url, {"name": "Hội đồng 2026",
                                             "username": w.chair.user.username, "role": "chair"})
    assert second_chair.status_code == 400 and "một chủ tịch" in text(second_chair)
    unknown = client.post(council_url, {"name": "Hội đồng 2026", "username": "khong-co"})
    assert unknown.status_code == 400
    # open scoring for the forwarded applications of the world's round
    forwarded = w.application(state=State.FORWARDED)
    assert client.post(url("round-open-scoring", w.round.pk)).status_code == 302
    forwarded.refresh_from_db()
    assert forwarded.state == State.SCORING


def test_the_office_records_the_decision_and_the_certificate_prints(client, w):
    application = scoring_application(w)
    score(application, w.chair, 80)
    score(application, w.member, 75)
    from shop.evaluation import scoring

    scoring.close_scoring(application, actor=w.chair.user)
    as_user(client, w.office)
    form = client.get(url("round-decision", w.round.pk))
    assert form.status_code == 200 and application.product_name in text(form)
    today = timezone.localdate()
    future = client.post(url("round-decision", w.round.pk), {
        "number": "12/QĐ-UBND", "date": (today + datetime.timedelta(days=3)).isoformat(),
        "body": "UBND tỉnh Quảng Ngãi", "rating_level": "province",
        "applications": [application.pk]})
    assert future.status_code == 400
    response = client.post(url("round-decision", w.round.pk), {
        "number": "12/QĐ-UBND", "date": today.isoformat(), "body": "UBND tỉnh Quảng Ngãi",
        "rating_level": "province", "applications": [application.pk]})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == State.RATED and application.certificate.stars == 4
    assert application.certificate.score == 77
    w.product.refresh_from_db()
    assert w.product.ocop_stars == 4
    # the history page shows the scores per member and criterion, and the decision
    page = text(client.get(url("application", application.pk)))
    assert 'id="score-table"' in page and "12/QĐ-UBND" in page
    # the producer prints the certificate: a page with the QR, and a PDF
    as_user(client, w.producer)
    printable = client.get(url("certificate", application.pk))
    assert printable.status_code == 200
    body = text(printable)
    assert "<svg" in body and w.product.get_trace_url() in body and "Hạng 4 sao" in body
    pdf = client.get(url("certificate-pdf", application.pk))
    assert pdf["Content-Type"] == "application/pdf"
    words = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "12/QĐ-UBND" in words and w.product.title in words
    # nobody else's certificate: another producer gets 404
    assert as_user(client, w.other_producer).get(
        url("certificate", application.pk)).status_code == 404


def test_a_certificate_page_is_404_before_the_decision(client, w):
    application = w.application(state=State.SUBMITTED)
    assert as_user(client, w.office).get(url("certificate", application.pk)).status_code == 404


def test_the_office_edits_a_scoring_sheet_in_the_browser(client, w):
    as_user(client, w.office)
    group = make_category("Đồ uống")
    assert client.post(url("sheet-create"), {"title": "Phiếu đồ uống", "group": group.pk,
                                             "is_active": "on"}).status_code == 302
    sheet = ScoringSheet.objects.get(group=group)
    assert sorted(sheet.parts.values_list("code", "max_points")) == [("A", 40), ("B", 25),
                                                                      ("C", 35)]
    page = client.get(url("sheet", sheet.pk))
    assert page.status_code == 200 and 'id="sheet-errors"' in text(page)  # no criteria yet
    part = sheet.parts.get(code="A")
    response = client.post(url("sheet-criterion-create", sheet.pk, part.pk), {
        "criterion-order": 1, "criterion-text": "Tổ chức sản xuất",
        "options-TOTAL_FORMS": 2, "options-INITIAL_FORMS": 0,
        "options-0-order": 1, "options-0-text": "Hộ gia đình", "options-0-points": 10,
        "options-1-order": 2, "options-1-text": "Hợp tác xã", "options-1-points": 40})
    assert response.status_code == 302
    criterion = Criterion.objects.get(part=part)
    assert sorted(criterion.options.values_list("points", flat=True)) == [10, 40]
    # a second active sheet for the same group is refused with the form (400)
    again = client.post(url("sheet-create"), {"title": "Trùng", "group": group.pk,
                                              "is_active": "on"})
    assert again.status_code == 400


def test_sheets_and_rounds_are_the_offices_alone(client, w):
    for name, args in (("sheets", ()), ("sheet", (w.sheet.pk,)), ("rounds", ()),
                       ("round", (w.round.pk,)), ("round-decision", (w.round.pk,)),
                       ("office-applications", ())):
        assert as_user(client, w.chair.user).get(url(name, *args)).status_code == 403, name
        assert as_user(client, w.officer).get(url(name, *args)).status_code == 403, name


# --- Lists without N+1 ---------------------------------------------------------------------------


def many(w, n, state):
    for i in range(n):
        Application.objects.create(round=w.round, vendor=w.vendor, group=w.group, state=state,
                                   proposed_name=f"Sản phẩm {i}", created_by=w.producer)


def test_list_pages_query_counts_do_not_grow(client, w, django_assert_max_num_queries):
    many(w, 12, State.SUBMITTED)
    many(w, 12, State.SCORING)
    pages = [(w.office, url("office-applications")), (w.office, url("rounds")),
             (w.office, url("round", w.round.pk)), (w.producer, url("my-applications")),
             (w.officer, url("commune")), (w.member.user, url("council"))]
    for user, address in pages:
        as_user(client, user)
        with django_assert_max_num_queries(25):
            assert client.get(address).status_code == 200, address


def test_home_lists_each_role(client, w):
    body = text(as_user(client, w.office).get(url("home")))
    assert url("rounds") in body and url("sheets") in body
    body = text(as_user(client, w.producer).get(url("home")))
    assert url("apply") in body and url("rounds") not in body


def test_an_option_chosen_on_a_scorecard_cannot_be_deleted(client, w):
    application = scoring_application(w)
    card = score(application, w.member, 70)
    entry = card.entries.select_related("option", "criterion").first()
    criterion = entry.criterion
    options = list(criterion.options.order_by("order", "pk"))
    data = {"criterion-order": criterion.order, "criterion-text": criterion.text,
            "options-TOTAL_FORMS": len(options), "options-INITIAL_FORMS": len(options)}
    for i, option in enumerate(options):
        data.update({f"options-{i}-id": option.pk, f"options-{i}-order": option.order,
                     f"options-{i}-text": option.text, f"options-{i}-points": option.points})
        if option.pk == entry.option_id:
            data[f"options-{i}-DELETE"] = "on"
    as_user(client, w.office)
    response = client.post(url("sheet-criterion", w.sheet.pk, criterion.pk), data)
    assert response.status_code == 409 and "không xoá được" in text(response)
    assert criterion.options.count() == len(options)


def test_a_rerating_shows_the_change_since_the_last_certificate(client, w):
    from tests.factories import make_certificate

    make_certificate(w.product, stars=3, score=62, decision_number="7/QĐ-UBND",
                     decision_date=timezone.localdate().replace(day=1) - datetime.timedelta(days=400),
                     rating_level="province")
    application = scoring_application(w)
    score(application, w.chair, 80)
    score(application, w.member, 80)
    from shop.evaluation import decisions, scoring

    scoring.close_scoring(application, actor=w.chair.user)
    decisions.record_decision(w.round, number="9/QĐ-UBND", date=timezone.localdate(),
                              actor=w.office)
    page = text(as_user(client, w.producer).get(url("application", application.pk)))
    assert 'id="change"' in page
    assert "Lần trước: 3 sao, 62 điểm" in page and "Lần này: 4 sao, 80 điểm" in page


def test_the_producer_withdraws_and_comments_are_history(client, w):
    application = w.application(state=State.SUBMITTED)
    as_user(client, w.producer)
    assert client.post(url("comment", application.pk), {"text": " "}).status_code == 400
    assert client.post(url("comment", application.pk),
                       {"text": "Đã gửi bản kiểm nghiệm mới.", "correction": "1"}).status_code == 302
    assert client.post(url("move", application.pk, State.WITHDRAWN)).status_code == 302
    application.refresh_from_db()
    assert application.state == State.WITHDRAWN
    page = text(client.get(url("application", application.pk)))
    assert "Đã gửi bản kiểm nghiệm mới." in page and "Đính chính" in page
    again = client.post(url("move", application.pk, State.SUBMITTED))
    assert again.status_code == 409


def test_the_pages_read_in_vietnamese(client, w):
    from tests.vietnamese import english_fragments, untranslated, visible_text

    application = scoring_application(w)
    score(application, w.chair, 80)
    client.cookies["django_language"] = "vi"
    pages = [
        (w.producer, url("my-applications")), (w.producer, url("apply")),
        (w.producer, url("application", application.pk)), (w.officer, url("commune")),
        (w.member.user, url("council")), (w.member.user, url("scorecard", application.pk)),
        (w.chair.user, url("scorecard", application.pk)), (w.office, url("rounds")),
        (w.office, url("round-create")), (w.office, url("round", w.round.pk)),
        (w.office, url("round-council", w.round.pk)), (w.office, url("office-applications")),
        (w.office, url("sheets")), (w.office, url("sheet", w.sheet.pk)),
        (w.office, url("home")),
    ]
    for user, address in pages:
        client.force_login(user)
        response = client.get(address)
        assert response.status_code == 200, address
        seen = visible_text(response.content.decode())
        assert english_fragments(seen) == [], address
        assert untranslated(seen) == [], address


def test_a_certificate_near_expiry_offers_a_rerating(client, w):
    from tests.factories import make_certificate

    make_certificate(w.product, stars=3, score=60, rating_level="province",
                     decision_date=timezone.localdate() - datetime.timedelta(days=365 * 3 - 40))
    as_user(client, w.producer)
    page = text(client.get(url("my-applications")))
    assert 'id="expiring"' in page and f"?product={w.product.pk}" in page
    form = client.get(url("apply") + f"?product={w.product.pk}").context["form"]
    assert form.initial == {"product": w.product.pk, "group": w.group.pk}
    # another producer's product is not offered
    form = client.get(url("apply") + "?product=999999").context["form"]
    assert form.initial == {}
