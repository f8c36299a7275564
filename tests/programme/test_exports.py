"""The report's files: XLSX, PDF (the administrative form) and the registry CSV.

The unit tests build a data dict of THE CONTRACT's shape themselves (Vietnamese
text, every key); the last tests go through the views with the real
``figures`` and ``reports`` modules.
"""

import copy
import csv
import datetime
import io
import shutil
import subprocess

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from shop.programme import exports
from shop.programme.models import Report

PRODUCT = "Cà phê rang xay Đăk Hà"
PRODUCER = "HTX Nông nghiệp Đăk Mar"


def dashboard(start, end, scale=1):
    """A dashboard dict as ``figures.dashboard`` returns it (THE CONTRACT)."""
    return {
        "period": {"start": start, "end": end},
        "commune": None,
        "targets": [
            {"measure": "products_3_stars", "label": "Sản phẩm OCOP đạt 3 sao trở lên",
             "unit": "count", "minimum": 20, "maximum": None, "value": 14, "numerator": 14,
             "denominator": None, "status": "on_track",
             "trend": [{"year": 2025, "value": 11}, {"year": 2026, "value": 14}]},
            {"measure": "modern_channel_share", "label": "Tỉ lệ chủ thể bán qua kênh hiện đại",
             "unit": "percent", "minimum": 30, "maximum": 40, "value": 45.5, "numerator": 5,
             "denominator": 11, "status": "met",
             "trend": [{"year": 2025, "value": 27.3}, {"year": 2026, "value": 45.5}]},
            {"measure": "trained_workers_share", "label": "Tỉ lệ lao động được đào tạo có chứng chỉ",
             "unit": "percent", "minimum": 30, "maximum": None, "value": 12.5, "numerator": 4,
             "denominator": 32, "status": "behind", "trend": []},
        ],
        "products": {
            "total": 14,
            "by_stars": [{"stars": 3, "count": 9}, {"stars": 4, "count": 4}, {"stars": 5, "count": 1}],
            "by_group": [{"name": "Thực phẩm", "count": 10}, {"name": "Đồ uống", "count": 4}],
            "by_commune": [{"name": "Đăk Mar", "count": 8}, {"name": "Hà Mòn", "count": 6}],
            "by_subject_type": [{"name": "Hợp tác xã", "count": 9}, {"name": "Doanh nghiệp nhỏ và vừa", "count": 5}],
        },
        "expiring": [{"product": "Mật ong rừng Ngọc Wang", "producer": "Tổ hợp tác Ngọc Wang",
                      "number": "45/QĐ-UBND", "valid_until": "2026-12-20"}],
        "sales": {
            "total": 12_450_000 * scale, "total_last_year": 9_800_000 * scale,
            "by_channel": [
                {"key": "online", "label": "Cửa hàng trực tuyến", "amount": 7_450_000 * scale,
                 "last_year": 6_000_000 * scale},
                {"key": "pos:1", "label": "Điểm bán Đăk Hà", "amount": 3_500_000 * scale,
                 "last_year": 3_800_000 * scale},
                {"key": "live", "label": "Bán hàng livestream", "amount": 1_500_000 * scale,
                 "last_year": 0},
            ],
            "by_group": [{"name": "Thực phẩm", "amount": 9_000_000 * scale, "last_year": 7_000_000 * scale},
                         {"name": "Đồ uống", "amount": 3_450_000 * scale, "last_year": 2_800_000 * scale}],
            "by_commune": [{"name": "Đăk Mar", "amount": 8_000_000 * scale, "last_year": 5_000_000 * scale},
                           {"name": "Hà Mòn", "amount": 4_450_000 * scale, "last_year": 4_800_000 * scale}],
            "by_subject_type": [
                {"name": "Hợp tác xã", "amount": 10_000_000 * scale, "last_year": 8_000_000 * scale},
                {"name": "Doanh nghiệp nhỏ và vừa", "amount": 2_450_000 * scale, "last_year": 1_800_000 * scale},
            ],
        },
        "top_products": [{"title": PRODUCT, "units": 42, "amount": 6_300_000 * scale},
                         {"title": "Sâm dây Ngọc Linh khô", "units": 5, "amount": 2_500_000 * scale}],
        "top_combos": [{"title": "Combo quà Tết Đăk Hà", "units": 3, "amount": 1_200_000 * scale}],
        "registry": [
            {"product": PRODUCT, "producer": PRODUCER, "subject_type": "Hợp tác xã",
             "address": "Thôn 1, xã Đăk Mar, huyện Đăk Hà", "commune": "Đăk Mar", "group": "Thực phẩm",
             "stars": 4, "score": 78, "certificate": "123/QĐ-UBND", "decision_date": "2025-01-15",
             "valid_until": "2028-01-15", "certifying_body": "UBND tỉnh Kon Tum"},
            {"product": "=HYPERLINK(\"http://evil\")", "producer": "Hộ kinh doanh Y Điệp",
             "subject_type": "Hộ sản xuất có đăng ký kinh doanh", "address": "Hà Mòn",
             "commune": "Hà Mòn", "group": "Đồ uống", "stars": 3, "score": 60,
             "certificate": "7/QĐ-UBND", "decision_date": "2024-03-05", "valid_until": "2027-03-05",
             "certifying_body": "UBND huyện Đăk Hà"},
        ],
    }


def report_data(submitted=True):
    return {
        "period": dashboard("2026-11-01", "2026-11-30"),
        "year_to_date": dashboard("2026-01-01", "2026-11-30", scale=10),
        "narrative": {
            "results": "Tháng 11, doanh thu tăng nhờ phiên livestream đầu tiên.\nThêm 2 sản phẩm 3 sao.",
            "difficulties": "Chủ thể thiếu vốn nâng cấp bao bì; vùng nguyên liệu chưa có mã số.",
            "proposals": "Đề nghị UBND huyện hỗ trợ kinh phí xúc tiến thương mại.",
        },
        "report": {"kind": "month", "kind_label": "Tháng", "label": "Tháng 11/2026",
                   "period_start": "2026-11-01", "period_end": "2026-11-30", "due_date": "2026-11-14",
                   "version": 1, "number": "12" if submitted else "", "symbol": "BC-PNN",
                   "reference": "12/BC-PNN" if submitted else ""},
        "as_of": "2026-11-30",
    }


SUBMITTED_AT = datetime.datetime(2026, 11, 14, 2, 30, tzinfo=datetime.UTC)  # 09:30 in Đăk Hà


def make_report(submitted=True, kind=Report.Kind.MONTH, start=datetime.date(2026, 11, 1), version=1):
    return Report(kind=kind, period_start=start, period_end=start, version=version, number="12",
                  status=Report.Status.SUBMITTED if submitted else Report.Status.DRAFT,
                  submitted_at=SUBMITTED_AT if submitted else None)


# --- What the files say about the report -------------------------------------------------------


@pytest.mark.parametrize("kind, start, submitted, expected", [
    (Report.Kind.MONTH, datetime.date(2026, 11, 1), True, "bao-cao-ocop-2026-11-v1.xlsx"),
    (Report.Kind.MONTH, datetime.date(2026, 2, 1), False, "bao-cao-ocop-2026-02-v1-du-thao.xlsx"),
    (Report.Kind.QUARTER, datetime.date(2026, 10, 1), True, "bao-cao-ocop-2026-q4-v1.xlsx"),
    (Report.Kind.YEAR, datetime.date(2026, 1, 1), True, "bao-cao-ocop-2026-v1.xlsx"),
])
def test_file_names(kind, start, submitted, expected):
    assert exports.filename(make_report(submitted, kind, start), "xlsx") == expected


def test_titles_number_and_date_follow_the_form():
    assert exports.report_subject(make_report(kind=Report.Kind.QUARTER, start=datetime.date(2026, 7, 1))) \
        == "Kết quả thực hiện Chương trình OCOP quý III/2026"
    assert exports.report_subject(make_report(kind=Report.Kind.YEAR, start=datetime.date(2026, 1, 1))) \
        == "Kết quả thực hiện Chương trình OCOP năm 2026"
    submitted, draft = make_report(), make_report(submitted=False)
    assert exports.document_number(report_data(), submitted) == "Số: 12/BC-PNN"
    assert exports.document_number(report_data(False), draft) == "Số: …/BC-PNN"
    assert exports.report_heading(draft) == "BÁO CÁO (DỰ THẢO)"
    # submitted: the day it was sent; a draft: today. A zero before day < 10 and months 1–2.
    assert exports.place_and_date(exports.document_date(report_data(), submitted)) \
        == "Đăk Hà, ngày 14 tháng 11 năm 2026"
    assert exports.place_and_date(exports.document_date(report_data(False), draft, datetime.date(2027, 2, 5))) \
        == "Đăk Hà, ngày 05 tháng 02 năm 2027"


# --- XLSX -----------------------------------------------------------------------------------


def _rows(sheet):
    return [row for row in sheet.iter_rows(min_row=exports.HEADER_ROW + 1, values_only=True)]


def test_xlsx_one_sheet_per_table_with_numbers_and_the_same_totals():
    data = report_data()
    book = load_workbook(io.BytesIO(exports.report_xlsx(data, make_report())))
    for name in ("Chỉ tiêu", "Doanh thu theo kênh", "Doanh thu theo nhóm", "Doanh thu theo xã",
                 "Doanh thu theo loại chủ thể", "Sản phẩm theo hạng sao", "Sản phẩm bán chạy",
                 "Phụ lục sản phẩm OCOP"):
        sheet = book[name]
        assert sheet["A1"].value == name  # the title row
        assert sheet.freeze_panes == f"A{exports.HEADER_ROW + 1}"  # the header stays in view

    channels = book["Doanh thu theo kênh"]
    rows = _rows(channels)
    assert rows[0][:3] == ("Cửa hàng trực tuyến", 7_450_000, 6_000_000)
    assert isinstance(rows[0][1], int)
    assert rows[-1] == ("Tổng cộng", 12_450_000, 9_800_000, pytest.approx(2_650_000 / 9_800_000),
                        124_500_000, 98_000_000)
    assert sum(row[1] for row in rows[:-1]) == data["period"]["sales"]["total"]
    assert channels.cell(exports.HEADER_ROW + 1, 2).number_format == '#,##0" ₫"'
    assert channels.cell(exports.HEADER_ROW + 1, 4).number_format == "0.0%"
    assert rows[2][3] is None  # livestream had no sales last year: no percentage
    assert channels.column_dimensions["A"].width >= len("Cửa hàng trực tuyến")

    groups = _rows(book["Doanh thu theo nhóm"])
    assert groups[-1][1] == sum(row["amount"] for row in data["period"]["sales"]["by_group"])
    assert groups[-1][4] == sum(row["amount"] for row in data["year_to_date"]["sales"]["by_group"])

    stars = _rows(book["Sản phẩm theo hạng sao"])
    assert stars == [("3 sao", 9), ("4 sao", 4), ("5 sao", 1), ("Tổng cộng", 14)]

    targets = book["Chỉ tiêu"]
    share = _rows(targets)[1]
    assert share[:8] == ("Tỉ lệ chủ thể bán qua kênh hiện đại", "30–40%", 0.3, 0.4, 0.455, 5, 11, "Đạt")
    assert share[8:] == (pytest.approx(0.273), 0.455)  # the trend by year
    assert targets.cell(exports.HEADER_ROW + 2, 5).number_format == "0.0%"
    assert _rows(targets)[0][4] == 14 and _rows(targets)[2][7] == "Chậm"
    assert targets.cell(exports.HEADER_ROW + 1, 5).number_format == "General"

    annex = _rows(book["Phụ lục sản phẩm OCOP"])
    assert annex[0][:3] == (1, PRODUCT, PRODUCER)
    assert annex[0][10] == datetime.datetime(2025, 1, 15)  # a real date
    assert len(annex) == 2

    cover = book["Báo cáo"]
    texts = [cell.value for row in cover.iter_rows() for cell in row if cell.value]
    assert "Chủ thể thiếu vốn nâng cấp bao bì; vùng nguyên liệu chưa có mã số." in texts
    assert "BÁO CÁO" in texts


def test_xlsx_of_a_draft_says_so():
    book = load_workbook(io.BytesIO(exports.report_xlsx(report_data(False), make_report(False))))
    assert book["Báo cáo"]["A1"].value == "BÁO CÁO (DỰ THẢO)"
    assert book["Chỉ tiêu"]["A2"].value.startswith("DỰ THẢO")


# --- PDF ------------------------------------------------------------------------------------


def _text(pdf_bytes):
    reader = PdfReader(io.BytesIO(pdf_bytes))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_pdf_is_an_administrative_report_with_vietnamese_text_intact():
    pdf = exports.report_pdf(report_data(), make_report())
    reader, text = _text(pdf)
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.1)  # A4
    for expected in (
        "UBND HUYỆN ĐĂK HÀ", "PHÒNG NÔNG NGHIỆP VÀ MÔI TRƯỜNG",
        "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Số: 12/BC-PNN", "Đăk Hà, ngày 14 tháng 11 năm 2026",
        "Kết quả thực hiện Chương trình OCOP tháng 11/2026",
        "I. KẾT QUẢ THỰC HIỆN", "II. KHÓ KHĂN, VƯỚNG MẮC", "III. ĐỀ XUẤT, KIẾN NGHỊ",
        "Đề nghị UBND huyện hỗ trợ kinh phí xúc tiến thương mại.",
        PRODUCT, PRODUCER, "12.450.000 ₫", "Nơi nhận:", "TRƯỞNG PHÒNG", "PHỤ LỤC",
        "(Kèm theo Báo cáo số 12/BC-PNN ngày 14 tháng 11 năm 2026)",
        "Tỉ lệ chủ thể bán qua kênh hiện đại", "45,5%",
    ):
        assert expected in text, expected
    assert "DỰ THẢO" not in text
    # the font is embedded (a subset), not referenced
    fonts = [font.get_object() for page in reader.pages
             for font in page["/Resources"]["/Font"].values()]
    assert any("/FontFile2" in font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
               for font in fonts if "/DescendantFonts" in font)
    # the annex is on a landscape page
    assert reader.pages[-1].mediabox.width > reader.pages[-1].mediabox.height


def test_pdf_of_a_draft_says_so_and_has_no_number():
    _reader, text = _text(exports.report_pdf(report_data(False), make_report(False),
                                             today=datetime.date(2026, 11, 10)))
    assert "BÁO CÁO (DỰ THẢO)" in text
    assert "Số: …/BC-PNN" in text
    assert "Đăk Hà, ngày 10 tháng 11 năm 2026" in text


def test_pdf_without_any_data_still_renders():
    data = report_data()
    for part in ("period", "year_to_date"):
        sales = data[part]["sales"]
        for key in ("by_channel", "by_group", "by_commune", "by_subject_type"):
            sales[key] = []
        sales["total"] = sales["total_last_year"] = 0
        data[part].update(top_products=[], top_combos=[], expiring=[], registry=[])
    data["narrative"] = {"results": "", "difficulties": "", "proposals": ""}
    _reader, text = _text(exports.report_pdf(data, make_report()))
    assert "Chưa có sản phẩm OCOP được công nhận." in text
    assert "Không có." in text


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="poppler-utils (pdftoppm) is not installed")
def test_pdf_renders_with_pdftoppm(tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(exports.report_pdf(report_data(), make_report()))
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(path),
                    str(tmp_path / "page")], check=True, timeout=60)
    assert list(tmp_path.glob("page*.png"))


def test_pdf_without_a_vietnamese_font_drops_diacritics_instead_of_failing(monkeypatch):
    monkeypatch.setattr(exports.receipts, "_font_path", lambda: None)
    _reader, text = _text(exports.report_pdf(report_data(), make_report()))
    assert "CONG HOA XA HOI CHU NGHIA VIET NAM" in text


# --- The registry CSV ----------------------------------------------------------------------


def test_registry_csv_is_the_documented_format():
    rows = report_data()["period"]["registry"]
    text = exports.registry_csv(rows)
    assert text.startswith("\ufeff")
    assert "\r\n" in text
    table = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert table[0] == ["Tên sản phẩm", "Chủ thể", "Loại chủ thể", "Địa chỉ", "Xã, thị trấn",
                        "Nhóm sản phẩm", "Hạng sao", "Điểm", "Số giấy chứng nhận",
                        "Ngày quyết định", "Hiệu lực đến", "Cơ quan công nhận"]
    assert table[1] == [PRODUCT, PRODUCER, "Hợp tác xã", "Thôn 1, xã Đăk Mar, huyện Đăk Hà",
                        "Đăk Mar", "Thực phẩm", "4", "78", "123/QĐ-UBND", "2025-01-15",
                        "2028-01-15", "UBND tỉnh Kon Tum"]
    assert table[2][0] == "'=HYPERLINK(\"http://evil\")"  # never a formula
    assert len(table) == 3


def test_the_documented_columns_are_the_csv_columns():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[2] / "docs" / "registry-csv.md").read_text()
    for heading in exports.registry_header():
        assert f"| {heading} |" in doc, heading


# --- Through the views, with the real figures and reports ----------------------------------


@pytest.fixture
def office(db):
    user = get_user_model().objects.create_user(
        username="office", email="office@example.vn", password="secret-pass-123", is_staff=True,
    )
    user.user_permissions.add(Permission.objects.get(codename="manage_programme"))
    return user


@pytest.fixture
def certified(db):
    from tests.factories import make_certificate, make_product, make_unit, make_vendor

    vendor = make_vendor(name=PRODUCER, commune=make_unit("Đăk Mar"))
    product = make_product(title=PRODUCT, vendor=vendor, stars=4)
    make_certificate(product, stars=4, decision_date=datetime.date.today() - datetime.timedelta(days=30))
    return product


def test_only_the_office_downloads(client, certified):
    report = Report.objects.create(kind=Report.Kind.MONTH, period_start=datetime.date(2026, 10, 1),
                                   period_end=datetime.date(2026, 10, 31))
    urls = [reverse("programme:report-xlsx", args=[report.pk]),
            reverse("programme:report-pdf", args=[report.pk]), reverse("programme:registry-csv")]
    for url in urls:
        assert client.get(url).status_code == 302  # to sign in
    get_user_model().objects.create_user(username="staff", password="secret-pass-123", is_staff=True)
    client.login(username="staff", password="secret-pass-123")
    for url in urls:
        assert client.get(url).status_code == 403


def test_office_downloads_a_draft_and_the_registry(client, office, certified, django_assert_max_num_queries):
    today = datetime.date.today()
    start = today.replace(day=1)
    end = (start + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)
    report = Report.objects.create(kind=Report.Kind.MONTH, period_start=start, period_end=end,
                                   difficulties="Thiếu vốn nâng cấp bao bì.")
    client.force_login(office)

    response = client.get(reverse("programme:report-xlsx", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="bao-cao-ocop-{start:%Y-%m}-v1-du-thao.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    assert book["Báo cáo"]["A1"].value == "BÁO CÁO (DỰ THẢO)"
    assert [row[1] for row in _rows(book["Phụ lục sản phẩm OCOP"])] == [PRODUCT]

    response = client.get(reverse("programme:report-pdf", args=[report.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    _reader, text = _text(response.content)
    assert "DỰ THẢO" in text and PRODUCT in text and "Thiếu vốn nâng cấp bao bì." in text

    with django_assert_max_num_queries(45):
        response = client.get(reverse("programme:registry-csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content).decode("utf-8")
    table = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert [row[0] for row in table[1:]] == [PRODUCT]
    assert table[1][1] == PRODUCER


def test_a_submitted_report_exports_its_snapshot(client, office, certified):
    """The files of a submitted report read its snapshot: later data never moves them."""
    report = Report.objects.create(kind=Report.Kind.MONTH, period_start=datetime.date(2026, 10, 1),
                                   period_end=datetime.date(2026, 10, 31), number="7",
                                   status=Report.Status.SUBMITTED, submitted_at=SUBMITTED_AT)
    snapshot = copy.deepcopy(report_data())
    snapshot["report"]["number"] = "7"
    Report.objects.filter(pk=report.pk).update(snapshot=snapshot)
    client.force_login(office)
    response = client.get(reverse("programme:report-xlsx", args=[report.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-ocop-2026-10-v1.xlsx"'
    channels = _rows(load_workbook(io.BytesIO(response.content))["Doanh thu theo kênh"])
    assert channels[-1][1] == 12_450_000
    _reader, text = _text(client.get(reverse("programme:report-pdf", args=[report.pk])).content)
    assert "Số: 7/BC-PNN" in text and "DỰ THẢO" not in text


def test_registry_queries_do_not_grow_with_products(client, office, certified):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_certificate, make_product, make_unit, make_vendor

    client.force_login(office)
    url = reverse("programme:registry-csv")

    def count():
        with CaptureQueriesContext(connection) as context:
            b"".join(client.get(url).streaming_content)
        return len(context)

    one = count()
    for index, stars in enumerate((3, 4, 5)):
        vendor = make_vendor(name=f"Tổ hợp tác số {index}", commune=make_unit(f"Xã {index}"))
        make_certificate(make_product(vendor=vendor, stars=stars), stars=stars,
                         decision_date=datetime.date.today() - datetime.timedelta(days=10))
    assert count() == one
    body = b"".join(client.get(url).streaming_content).decode("utf-8")
    assert len(body.strip().splitlines()) == 5  # the header and four products
