"""A periodic report as files: XLSX (openpyxl), PDF (fpdf2) and the registry CSV.

Every function here reads a *data dict*, never the database: a submitted
report's ``snapshot`` or, for a draft, ``reports.report_data(report, today)``
— ``{"report": {..., "number", "symbol"}, "as_of", "period": dashboard(...),
"year_to_date": dashboard(...), "narrative": {"results", "difficulties",
"proposals"}}`` (``reports``' snapshot keys)
where each ``dashboard(...)`` is THE CONTRACT of ``figures.dashboard``. The
``report`` (the model) only tells the kind of period, its dates, the version
and whether it is still a draft. So a submitted report's files never move.

XLSX
    One sheet per table, a title row, the header frozen, numbers as numbers:
    đồng cells carry the format ``#,##0" ₫"`` — Excel writes the thousands
    separator of the reader's locale there, so a Vietnamese Excel shows
    ``1.250.000 ₫`` (an English one ``1,250,000 ₫``); the file cannot force
    dots, a number format's ``,`` *means* "the locale's separator".
    Percentages are fractions with a percent format (``0.0%``), dates real
    dates shown ``dd/mm/yyyy``.

PDF
    The form of a Vietnamese administrative report (Nghị định 30/2020/NĐ-CP):
    the issuing body top left, the national motto top right, number and
    symbol, place and date, the title, the body, "Nơi nhận" and the signer;
    A4, margins 20/15/20/30 mm, page numbers at the top from page 2, the
    annex of certified products on landscape pages. The Vietnamese font is
    the one the till's receipts embed (``pos.receipts``: ``POS_RECEIPT_FONT``
    or DejaVu Sans); its bold and oblique faces are taken from beside it when
    they exist. Charts are bars drawn with fpdf2's own lines and rectangles.

Registry CSV
    The certified-product registry for the national OCOP management system,
    in the format ``docs/registry-csv.md`` documents: UTF-8 with a BOM, comma
    separated, CRLF, a fixed Vietnamese header row, ISO dates, cells never
    formulas (``vendors.reports.csv_safe``).
"""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from pos import receipts
from shop.money import format_vnd
from shop.programme import reports
from vendors.reports import csv_safe

MONEY_FORMAT = '#,##0" ₫"'
PERCENT_FORMAT = "0.0%"
COUNT_FORMAT = "#,##0"
DATE_FORMAT = "dd/mm/yyyy"
HEADER_ROW = 4  # title, subtitle, a blank row, then the header
MAX_WIDTH = 60


# --- What every file says about the report -------------------------------------------------


def is_draft(report):
    return report.status != report.Status.SUBMITTED


def lower_first(text):
    """``Tháng 11/2026`` → ``tháng 11/2026``: mid-sentence, acronyms (OCOP, UBND) kept."""
    text = str(text)
    return text[:1].lower() + text[1:]


def period_label(report):
    """``tháng 11/2026``, ``quý IV/2026`` or ``năm 2026`` (``reports.period_label``, mid-sentence)."""
    return lower_first(reports.period_label(report.kind, report.period_start))


def report_subject(report):
    """The title's second line: what the report is about."""
    return _("Kết quả thực hiện Chương trình OCOP %(period)s") % {"period": period_label(report)}


def report_heading(report):
    """``BÁO CÁO`` — ``BÁO CÁO (DỰ THẢO)`` while the report is a draft."""
    return _("BÁO CÁO (DỰ THẢO)") if is_draft(report) else _("BÁO CÁO")


def filename(report, extension):
    """``bao-cao-ocop-2026-11-v1.xlsx``; ``-q4-`` for a quarter, the year alone for a year."""
    start = report.period_start
    if report.kind == report.Kind.MONTH:
        period = f"{start.year}-{start.month:02d}"
    elif report.kind == report.Kind.QUARTER:
        period = f"{start.year}-q{(start.month - 1) // 3 + 1}"
    else:
        period = f"{start.year}"
    draft = "-du-thao" if is_draft(report) else ""
    return f"bao-cao-ocop-{period}-v{report.version}{draft}.{extension}"


def _header_value(data, key):
    """``key`` of the snapshot's ``report`` part (``reports.report_data``), else of the dict."""
    return (data.get("report") or {}).get(key) or data.get(key)


def reference_parts(data, report):
    """``(number, symbol)``: the number is ``…`` until the report is submitted with one."""
    symbol = _header_value(data, "symbol") or report.symbol or "BC-PNN"
    number = _header_value(data, "number") or report.number
    if is_draft(report) or not number:
        number = "…"
    return number, symbol


def document_number(data, report):
    """``Số: 12/BC-PNN``; ``Số: …/BC-PNN`` for a draft."""
    number, symbol = reference_parts(data, report)
    return _("Số: %(number)s/%(symbol)s") % {"number": number, "symbol": symbol}


def document_date(data, report, today=None):
    """The report's date: the day it was submitted (Vietnam time), else today (a draft)."""
    submitted = report.submitted_at or data.get("submitted_at")
    if submitted and not is_draft(report):
        if isinstance(submitted, str):
            submitted = datetime.datetime.fromisoformat(submitted)
        if isinstance(submitted, datetime.datetime) and timezone.is_aware(submitted):
            submitted = timezone.localtime(submitted)
        return _to_date(submitted)
    return today or timezone.localdate()


def date_words(day):
    """``ngày 05 tháng 02 năm 2026``: a zero before days under 10 and months 1 and 2
    (Nghị định 30/2020/NĐ-CP, Phụ lục I)."""
    return _("ngày %(day)s tháng %(month)s năm %(year)s") % {
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}" if day.month < 3 else str(day.month),
        "year": day.year,
    }


def place_and_date(day):
    """``Đăk Hà, ngày 05 tháng 02 năm 2026``."""
    return _("Đăk Hà, %(date)s") % {"date": date_words(day)}


def _to_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _date_text(value):
    return _to_date(value).strftime("%d/%m/%Y") if value else ""


def _percent_text(value):
    """``45,5%`` — a Vietnamese decimal comma."""
    if value is None:
        return ""
    return f"{float(value):.1f}".rstrip("0").rstrip(".").replace(".", ",") + "%"


def _change(amount, last_year):
    """The change against the same period last year as a fraction, or None without a base."""
    if not last_year:
        return None
    return (amount - last_year) / last_year


STATUS_LABELS = {
    "met": lambda: _("Đạt"),
    "on_track": lambda: _("Đúng tiến độ"),
    "behind": lambda: _("Chậm"),
}


def status_label(status):
    label = STATUS_LABELS.get(status)
    return label() if label else status


def target_plan_text(target):
    """``≥ 20`` or ``30–40%``: the plan's value as the report writes it."""
    percent = target.get("unit") == "percent"

    def show(value):
        return _percent_text(value) if percent else f"{float(value):g}".replace(".", ",")

    if target.get("maximum") is not None:
        low = f"{float(target['minimum']):g}".replace(".", ",")
        return f"{low}–{show(target['maximum'])}"
    return f"≥ {show(target['minimum'])}"


def target_value_text(target):
    if target.get("value") is None:
        return ""
    if target.get("unit") == "percent":
        return _percent_text(target["value"])
    return f"{float(target['value']):g}".replace(".", ",")


def sales_rows(period_rows, ytd_rows, key):
    """``[(label, amount, last_year, ytd_amount, ytd_last_year)]`` joined on ``key``."""
    ytd = {row[key]: row for row in ytd_rows}
    rows, seen = [], set()
    for row in period_rows:
        seen.add(row[key])
        other = ytd.get(row[key], {})
        rows.append((row.get("label") or row.get("name"), row["amount"], row["last_year"],
                     other.get("amount", 0), other.get("last_year", 0)))
    for row in ytd_rows:
        if row[key] not in seen:
            rows.append((row.get("label") or row.get("name"), 0, 0, row["amount"], row["last_year"]))
    return rows


def _sales_tables(data):
    """``[(sheet title, heading of the name column, rows, totals or None)]`` of the sales."""
    period, ytd = data["period"]["sales"], data["year_to_date"]["sales"]
    channel_totals = (period["total"], period["total_last_year"], ytd["total"], ytd["total_last_year"])
    return [
        (_("Doanh thu theo kênh"), _("Kênh bán"),
         sales_rows(period["by_channel"], ytd["by_channel"], "key"), channel_totals),
        (_("Doanh thu theo nhóm"), _("Nhóm sản phẩm"),
         sales_rows(period["by_group"], ytd["by_group"], "name"), None),
        (_("Doanh thu theo xã"), _("Xã, thị trấn"),
         sales_rows(period["by_commune"], ytd["by_commune"], "name"), None),
        (_("Doanh thu theo loại chủ thể"), _("Loại chủ thể"),
         sales_rows(period["by_subject_type"], ytd["by_subject_type"], "name"), None),
    ]


def _sums(rows):
    return tuple(sum(row[i] for row in rows) for i in range(1, 5))


def _product_tables(data):
    """``[(sheet title, heading of the name column, [(name, count)])]`` of the products."""
    products = data["period"]["products"]
    return [
        (_("Sản phẩm theo hạng sao"), _("Hạng sao"),
         [(_("%(stars)s sao") % {"stars": row["stars"]}, row["count"]) for row in products["by_stars"]]),
        (_("Sản phẩm theo nhóm"), _("Nhóm sản phẩm"),
         [(row["name"], row["count"]) for row in products["by_group"]]),
        (_("Sản phẩm theo xã"), _("Xã, thị trấn"),
         [(row["name"], row["count"]) for row in products["by_commune"]]),
        (_("Sản phẩm theo loại chủ thể"), _("Loại chủ thể"),
         [(row["name"], row["count"]) for row in products["by_subject_type"]]),
    ]


def _period_text(data):
    period = data["period"]["period"]
    return _("Từ ngày %(start)s đến ngày %(end)s") % {
        "start": _date_text(period["start"]), "end": _date_text(period["end"]),
    }


def _ytd_text(data):
    period = data["year_to_date"]["period"]
    return _("Lũy kế từ ngày %(start)s đến ngày %(end)s") % {
        "start": _date_text(period["start"]), "end": _date_text(period["end"]),
    }


# --- XLSX -----------------------------------------------------------------------------------


TITLE_FONT = Font(bold=True, size=13)
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBDD")
TOTAL_FONT = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")


def _cell_text_length(value, kind):
    if value is None:
        return 0
    if kind == "money":
        return len(format_vnd(value))
    if kind == "percent":
        return 7
    if kind == "date":
        return 10
    return max((len(part) for part in str(value).splitlines()), default=0)


def _sheet(workbook, title, subtitle, columns, rows, total=None):
    """A sheet: title row, subtitle row, header (frozen), rows, an optional bold total row.

    ``columns`` is ``[(heading, kind)]`` with kind ``text``, ``count``, ``money``,
    ``percent`` (a fraction), ``number`` or ``date``.
    """
    sheet = workbook.create_sheet(title=title[:31])
    sheet.cell(row=1, column=1, value=title).font = TITLE_FONT
    sheet.cell(row=2, column=1, value=subtitle)
    formats = {"money": MONEY_FORMAT, "percent": PERCENT_FORMAT, "count": COUNT_FORMAT,
               "date": DATE_FORMAT, "number": "0.0"}
    widths = [len(heading) for heading, _kind in columns]
    for index, (heading, _kind) in enumerate(columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index, value=heading)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    body = list(rows) + ([total] if total is not None else [])
    for offset, row in enumerate(body, start=1):
        for index, ((_heading, kind), value) in enumerate(zip(columns, row, strict=True), start=1):
            if kind == "date" and value:
                value = _to_date(value)
            cell = sheet.cell(row=HEADER_ROW + offset, column=index, value=value)
            if kind in formats:
                cell.number_format = formats[kind]
            if total is not None and offset == len(body):
                cell.font = TOTAL_FONT
            widths[index - 1] = max(widths[index - 1], _cell_text_length(value, kind))
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(MAX_WIDTH, width + 3)
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    return sheet


def _cover_sheet(workbook, data, report, today):
    sheet = workbook.active
    sheet.title = _("Báo cáo")
    lines = [
        (report_heading(report), TITLE_FONT),
        (report_subject(report), TITLE_FONT),
        (document_number(data, report), None),
        (place_and_date(document_date(data, report, today)), None),
        (_period_text(data), None),
        (_ytd_text(data), None),
        ("", None),
    ]
    for row, (text, font) in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1, value=text)
        if font:
            cell.font = font
    row = len(lines) + 1
    summary = [
        (_("Số sản phẩm OCOP"), data["period"]["products"]["total"], COUNT_FORMAT),
        (_("Doanh thu trong kỳ"), data["period"]["sales"]["total"], MONEY_FORMAT),
        (_("Doanh thu cùng kỳ năm trước"), data["period"]["sales"]["total_last_year"], MONEY_FORMAT),
        (_("Doanh thu lũy kế từ đầu năm"), data["year_to_date"]["sales"]["total"], MONEY_FORMAT),
        (_("Lũy kế cùng kỳ năm trước"), data["year_to_date"]["sales"]["total_last_year"], MONEY_FORMAT),
    ]
    for label, value, number_format in summary:
        sheet.cell(row=row, column=1, value=label).font = HEADER_FONT
        sheet.cell(row=row, column=2, value=value).number_format = number_format
        row += 1
    narrative = data.get("narrative") or {}
    for heading, key in _narrative_sections():
        row += 1
        sheet.cell(row=row, column=1, value=heading).font = HEADER_FONT
        row += 1
        cell = sheet.cell(row=row, column=1, value=narrative.get(key) or "")
        cell.alignment = WRAP
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        sheet.row_dimensions[row].height = max(15, 15 * (len(cell.value) // 90 + cell.value.count("\n") + 1))
        row += 1
    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 22
    sheet.column_dimensions["C"].width = 22
    sheet.column_dimensions["D"].width = 22


def _narrative_sections():
    return [
        (_("I. Kết quả"), "results"),
        (_("II. Khó khăn, vướng mắc"), "difficulties"),
        (_("III. Đề xuất, kiến nghị"), "proposals"),
    ]


def report_xlsx(data, report, today=None):
    """The report as an XLSX workbook (bytes): a cover sheet, then one sheet per table."""
    workbook = Workbook()
    _cover_sheet(workbook, data, report, today)
    subtitle = f"{report_subject(report)} — {_period_text(data)}"
    if is_draft(report):
        subtitle = f"{_('DỰ THẢO')} — {subtitle}"

    targets = data["period"]["targets"]
    years = sorted({point["year"] for target in targets for point in target.get("trend", [])})
    columns = [(_("Chỉ tiêu"), "text"), (_("Kế hoạch"), "text"), (_("Tối thiểu"), "number"),
               (_("Tối đa"), "number"), (_("Thực hiện"), "number"), (_("Tử số"), "count"),
               (_("Mẫu số"), "count"), (_("Đánh giá"), "text")]
    columns += [(_("Năm %(year)s") % {"year": year}, "number") for year in years]
    sheet = _sheet(workbook, _("Chỉ tiêu"), subtitle, columns, [
        _target_row(target, years) for target in targets
    ])
    for offset, target in enumerate(targets, start=1):  # a percentage as such, a count plain
        number_format = PERCENT_FORMAT if target.get("unit") == "percent" else "General"
        for column in [3, 4, 5] + list(range(9, 9 + len(years))):
            sheet.cell(row=HEADER_ROW + offset, column=column).number_format = number_format

    sales_columns = lambda heading: [  # noqa: E731
        (heading, "text"), (_("Kỳ báo cáo"), "money"), (_("Cùng kỳ năm trước"), "money"),
        (_("So với cùng kỳ"), "percent"), (_("Lũy kế từ đầu năm"), "money"),
        (_("Lũy kế cùng kỳ năm trước"), "money"),
    ]
    for title, heading, rows, totals in _sales_tables(data):
        totals = totals or _sums(rows)
        _sheet(workbook, title, subtitle, sales_columns(heading), [
            (name, amount, last, _change(amount, last), ytd, ytd_last)
            for name, amount, last, ytd, ytd_last in rows
        ], total=(_("Tổng cộng"), totals[0], totals[1], _change(totals[0], totals[1]),
                  totals[2], totals[3]))

    products_total = data["period"]["products"]["total"]
    for title, heading, rows in _product_tables(data):
        total = products_total if title == _("Sản phẩm theo hạng sao") else sum(c for _n, c in rows)
        _sheet(workbook, title, subtitle, [(heading, "text"), (_("Số sản phẩm"), "count")],
               rows, total=(_("Tổng cộng"), total))

    top_columns = [(_("Thứ hạng"), "count"), (_("Sản phẩm"), "text"), (_("Số lượng"), "count"),
                   (_("Doanh thu"), "money")]
    _sheet(workbook, _("Sản phẩm bán chạy"), subtitle, top_columns, [
        (rank, row["title"], row["units"], row["amount"])
        for rank, row in enumerate(data["period"]["top_products"], start=1)
    ])
    _sheet(workbook, _("Combo bán chạy"), subtitle, top_columns, [
        (rank, row["title"], row["units"], row["amount"])
        for rank, row in enumerate(data["period"]["top_combos"], start=1)
    ])
    _sheet(workbook, _("Chứng nhận sắp hết hạn"), subtitle, [
        (_("Sản phẩm"), "text"), (_("Chủ thể"), "text"), (_("Số giấy chứng nhận"), "text"),
        (_("Hiệu lực đến"), "date"),
    ], [(row["product"], row["producer"], row["number"], row["valid_until"])
        for row in data["period"]["expiring"]])
    _sheet(workbook, _("Phụ lục sản phẩm OCOP"), subtitle, [
        (_("STT"), "count"), (_("Sản phẩm"), "text"), (_("Chủ thể"), "text"),
        (_("Loại chủ thể"), "text"), (_("Địa chỉ"), "text"), (_("Xã, thị trấn"), "text"),
        (_("Nhóm sản phẩm"), "text"), (_("Hạng sao"), "count"), (_("Điểm"), "count"),
        (_("Số giấy chứng nhận"), "text"), (_("Ngày quyết định"), "date"),
        (_("Hiệu lực đến"), "date"), (_("Cơ quan công nhận"), "text"),
    ], [
        (index, row["product"], row["producer"], row["subject_type"], row["address"],
         row["commune"], row["group"], row["stars"], row["score"], row["certificate"],
         row["decision_date"], row["valid_until"], row["certifying_body"])
        for index, row in enumerate(data["period"]["registry"], start=1)
    ])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _target_row(target, years):
    scale = 100 if target.get("unit") == "percent" else 1

    def number(value):
        return None if value is None else float(value) / scale

    trend = {point["year"]: point["value"] for point in target.get("trend", [])}
    return [
        target["label"], target_plan_text(target), number(target["minimum"]),
        number(target.get("maximum")), number(target.get("value")), target.get("numerator"),
        target.get("denominator"), status_label(target.get("status")),
    ] + [number(trend.get(year)) for year in years]


# --- PDF ------------------------------------------------------------------------------------

FAMILY = "report"
A4_MARGINS = {"left": 30, "top": 20, "right": 15}
BOTTOM_MARGIN = 20
BODY = 12
TABLE = 9.5
SMALL = 10
BAR, BAR_GAP = 3.2, 2.5  # mm: a bar's height, the gap between items
BAR_NOW = (46, 125, 50)
BAR_LAST = (189, 189, 189)
HEADING_FILL = (221, 235, 221)
STYLE_SUFFIXES = {
    "B": ("-Bold", "Bold"),
    "I": ("-Oblique", "-Italic", "Italic"),
    "BI": ("-BoldOblique", "-BoldItalic", "BoldItalic"),
}


def _font_faces():
    """``{style: path}`` of the report font: the receipts' font and its faces beside it."""
    regular = receipts._font_path()
    if not regular:
        return {}
    path = Path(regular)
    stem = path.stem.removesuffix("-Regular")
    faces = {"": str(path)}
    for style, suffixes in STYLE_SUFFIXES.items():
        for suffix in suffixes:
            candidate = path.with_name(f"{stem}{suffix}{path.suffix}")
            if candidate.is_file():
                faces[style] = str(candidate)
                break
        else:
            faces[style] = faces.get("B" if style == "BI" else "", str(path))
    return faces


class ReportPDF(FPDF):
    """A4 with the page number at the top centre from page 2 (the administrative rule)."""

    def __init__(self):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.set_margins(**A4_MARGINS)
        self.set_auto_page_break(True, margin=BOTTOM_MARGIN)
        faces = _font_faces()
        self.unicode_font = bool(faces)
        for style, path in faces.items():
            self.add_font(FAMILY, style, path)
        self.family = FAMILY if faces else "helvetica"

    def normalize_text(self, text):
        # Without a Vietnamese font, text without diacritics beats empty boxes (as the receipts).
        if not self.unicode_font:
            text = receipts._latin1(text)
        return super().normalize_text(text)

    def header(self):
        if self.page_no() > 1:
            self.set_font(self.family, "", SMALL)
            self.set_y(8)
            self.cell(0, 5, str(self.page_no()), align="C")
            self.set_y(self.t_margin)

    def font(self, style="", size=BODY):
        self.set_font(self.family, style, size)

    def line_height(self, size=BODY):
        return size * 0.3528 * 1.4

    def centred(self, text, x, width, style="", size=BODY, underline=None):
        """One centred line inside ``[x, x + width]``; ``underline`` = the rule's length in mm
        (or "text" for the text's own width) drawn under it, as the form has."""
        self.font(style, size)
        self.set_x(x)
        height = self.line_height(size)
        self.multi_cell(width, height, text, align="C", new_x="LMARGIN", new_y="NEXT")
        if underline:
            length = self.get_string_width(text) if underline == "text" else underline
            middle = x + width / 2
            self.set_line_width(0.3)
            self.line(middle - length / 2, self.get_y() + 0.3, middle + length / 2, self.get_y() + 0.3)

    def paragraph(self, text, style="", size=BODY):
        """Justified paragraphs, one per line of ``text``."""
        self.font(style, size)
        for part in (text or "").splitlines():
            if part.strip():
                self.multi_cell(0, self.line_height(size), part.strip(), align="J",
                                new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def heading(self, text, size=BODY):
        if self.will_page_break(self.line_height(size) * 3):
            self.add_page()
        self.ln(1.5)
        self.font("B", size)
        self.multi_cell(0, self.line_height(size), text, new_x="LMARGIN", new_y="NEXT")
        self.ln(0.5)

    def grid(self, headings, rows, widths, align, size=TABLE):
        """A table that repeats its header on each page; numbers right-aligned."""
        self.font("", size)
        style = FontFace(emphasis="BOLD", fill_color=HEADING_FILL)
        with self.table(col_widths=widths, text_align=align, headings_style=style,
                        line_height=self.line_height(size), padding=(0.8, 1.2),
                        width=self.epw) as table:
            row = table.row()
            for text in headings:
                row.cell(text, align="C")
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell("" if value is None else str(value))
        self.ln(2)

    def bars(self, title, items):
        """A horizontal bar chart: per item this period (green) and last year (grey)."""
        items = [item for item in items if item[1] or item[2]]
        if not items:
            return
        if self.will_page_break(12 + len(items) * (2 * BAR + BAR_GAP)):
            self.add_page()
        with self.local_context():  # its fill colours stay inside the chart
            self._bars(title, items)

    def _bars(self, title, items):
        bar, gap, label_width, value_width = BAR, BAR_GAP, 48, 34
        self.font("B", SMALL)
        self.cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
        x0, y = self.l_margin, self.get_y()
        self.font("", 8.5)
        legend = [(BAR_NOW, _("Kỳ báo cáo")), (BAR_LAST, _("Cùng kỳ năm trước"))]
        lx = x0 + label_width
        for colour, text in legend:
            self.set_fill_color(*colour)
            self.rect(lx, y + 1, 4, 3, style="F")
            self.set_xy(lx + 5, y)
            self.cell(self.get_string_width(text) + 2, 5, text)
            lx += self.get_string_width(text) + 12
        y += 7
        axis_top = y
        plot = self.epw - label_width - value_width
        largest = max(max(now, last) for _label, now, last in items) or 1
        for label, now, last in items:
            self.set_xy(x0, y)
            self.cell(label_width - 2, 2 * bar, self._fit(label, label_width - 3), align="R")
            for offset, (amount, colour) in enumerate(((now, BAR_NOW), (last, BAR_LAST))):
                top = y + offset * bar
                self.set_fill_color(*colour)
                if amount > 0:
                    self.rect(x0 + label_width, top + 0.3, max(0.4, plot * amount / largest), bar - 0.6,
                              style="F")
                self.set_xy(x0 + label_width + plot + 1, top)
                self.cell(value_width - 1, bar, format_vnd(amount), align="R")
            y += 2 * bar + gap
        self.set_draw_color(0, 0, 0)
        self.line(x0 + label_width, axis_top - 0.5, x0 + label_width, y - gap + 0.5)
        self.set_xy(x0, y + 2)

    def _fit(self, text, width):
        text = str(text)
        if self.get_string_width(text) <= width:
            return text
        while text and self.get_string_width(text + "…") > width:
            text = text[:-1]
        return text + "…"


ISSUER_BODY = lambda: _("UBND HUYỆN ĐĂK HÀ")  # noqa: E731
ISSUER = lambda: _("PHÒNG NÔNG NGHIỆP VÀ MÔI TRƯỜNG")  # noqa: E731
SIGNER = lambda: _("TRƯỞNG PHÒNG")  # noqa: E731


def _recipients():
    return [_("- UBND huyện (b/c);"), _("- Lãnh đạo Phòng;"), _("- Lưu: VT, PNN.")]


def _form_header(pdf, data, report, today):
    """The issuing body (left) and the national motto (right), each centred in its column.

    DejaVu Sans is wide: the sizes are those at which each line fits its column on one line.
    """
    left_width = 78
    right_width = pdf.epw - left_width
    left, right = pdf.l_margin, pdf.l_margin + left_width
    top = pdf.get_y()
    pdf.centred(ISSUER_BODY(), left, left_width, size=10)
    pdf.centred(ISSUER(), left, left_width, style="B", size=9.5, underline=26)
    pdf.ln(3)
    pdf.centred(document_number(data, report), left, left_width, size=11)
    left_bottom = pdf.get_y()
    pdf.set_y(top)
    pdf.centred(_("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"), right, right_width, style="B", size=10.5)
    pdf.centred(_("Độc lập - Tự do - Hạnh phúc"), right, right_width, style="B", size=11,
                underline="text")
    pdf.ln(3)
    pdf.centred(place_and_date(document_date(data, report, today)), right, right_width,
                style="I", size=11)
    pdf.set_y(max(left_bottom, pdf.get_y()) + 6)


def _title(pdf, report):
    width = pdf.epw
    pdf.centred(report_heading(report), pdf.l_margin, width, style="B", size=14)
    pdf.centred(report_subject(report), pdf.l_margin, width, style="B", size=13, underline=40)
    if report.version > 1:
        pdf.centred(_("(Bản lần %(version)s, thay thế bản trước)") % {"version": report.version},
                    pdf.l_margin, width, style="I", size=SMALL)
    pdf.ln(5)


def _sales_paragraph(data):
    period, ytd = data["period"]["sales"], data["year_to_date"]["sales"]
    text = _(
        "Doanh thu bán sản phẩm OCOP trong kỳ đạt %(total)s (cùng kỳ năm trước %(last)s); "
        "lũy kế từ đầu năm đạt %(ytd)s (cùng kỳ năm trước %(ytd_last)s)."
    ) % {"total": format_vnd(period["total"]), "last": format_vnd(period["total_last_year"]),
         "ytd": format_vnd(ytd["total"]), "ytd_last": format_vnd(ytd["total_last_year"])}
    change = _change(period["total"], period["total_last_year"])
    if change is not None:
        text += " " + _("So với cùng kỳ: %(change)s.") % {"change": _percent_text(round(change * 100, 1))}
    return text


def report_pdf(data, report, today=None):
    """The report as a PDF (bytes): the administrative form, the figures, the annex."""
    pdf = ReportPDF()
    pdf.set_title(f"{report_heading(report)} {report_subject(report)}")
    pdf.set_author(ISSUER())
    pdf.set_creator("OCOP Đăk Hà")
    pdf.set_lang("vi")
    pdf.add_page()
    _form_header(pdf, data, report, today)
    _title(pdf, report)
    pdf.paragraph(_period_text(data) + "; " + lower_first(_ytd_text(data)) + ".", style="I", size=SMALL)

    narrative = data.get("narrative") or {}
    period = data["period"]
    pdf.heading(_("I. KẾT QUẢ THỰC HIỆN"))
    if narrative.get("results"):
        pdf.paragraph(narrative["results"])

    pdf.heading(_("1. Thực hiện các chỉ tiêu của kế hoạch"))
    pdf.grid([_("Chỉ tiêu"), _("Kế hoạch"), _("Thực hiện"), _("Đánh giá")], [
        (target["label"], target_plan_text(target), target_value_text(target),
         status_label(target.get("status")))
        for target in period["targets"]
    ], widths=(70, 20, 20, 22), align=("LEFT", "CENTER", "CENTER", "CENTER"))

    pdf.heading(_("2. Sản phẩm OCOP"))
    pdf.paragraph(_("Tổng số sản phẩm OCOP còn hiệu lực: %(total)s sản phẩm.") % {
        "total": period["products"]["total"]})
    for _table_title, heading, rows in _product_tables(data):
        if rows:
            pdf.grid([heading, _("Số sản phẩm")], rows, widths=(75, 25), align=("LEFT", "RIGHT"))

    pdf.heading(_("3. Doanh thu bán sản phẩm OCOP"))
    pdf.paragraph(_sales_paragraph(data))
    tables = _sales_tables(data)
    pdf.bars(_("Doanh thu theo kênh bán"), [(name, now, last) for name, now, last, *_r in tables[0][2]])
    pdf.bars(_("Doanh thu theo nhóm sản phẩm"), [(name, now, last) for name, now, last, *_r in tables[1][2]])
    for title, heading, rows, totals in tables:
        if not rows:
            continue
        totals = totals or _sums(rows)
        body = [(name, format_vnd(a), format_vnd(b), _percent_text(_pct(_change(a, b))), format_vnd(c))
                for name, a, b, c, _d in rows]
        body.append((_("Tổng cộng"), format_vnd(totals[0]), format_vnd(totals[1]),
                     _percent_text(_pct(_change(totals[0], totals[1]))), format_vnd(totals[2])))
        pdf.font("I", SMALL)
        pdf.cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
        pdf.grid([heading, _("Kỳ báo cáo"), _("Cùng kỳ năm trước"), _("So với cùng kỳ"),
                  _("Lũy kế từ đầu năm")], body, widths=(40, 27, 27, 17, 27),
                 align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"))

    if period["top_products"] or period["top_combos"]:
        pdf.heading(_("4. Sản phẩm, combo bán chạy"))
        for heading, rows in ((_("Sản phẩm"), period["top_products"]), (_("Combo"), period["top_combos"])):
            if rows:
                pdf.grid([_("TT"), heading, _("Số lượng"), _("Doanh thu")], [
                    (rank, row["title"], row["units"], format_vnd(row["amount"]))
                    for rank, row in enumerate(rows, start=1)
                ], widths=(10, 80, 20, 30), align=("CENTER", "LEFT", "RIGHT", "RIGHT"))
    if period["expiring"]:
        pdf.heading(_("5. Giấy chứng nhận OCOP sắp hết hạn (90 ngày)"))
        pdf.grid([_("Sản phẩm"), _("Chủ thể"), _("Số giấy chứng nhận"), _("Hiệu lực đến")], [
            (row["product"], row["producer"], row["number"], _date_text(row["valid_until"]))
            for row in period["expiring"]
        ], widths=(50, 45, 25, 20), align=("LEFT", "LEFT", "CENTER", "CENTER"))

    pdf.heading(_("II. KHÓ KHĂN, VƯỚNG MẮC"))
    pdf.paragraph(narrative.get("difficulties") or _("Không có."))
    pdf.heading(_("III. ĐỀ XUẤT, KIẾN NGHỊ"))
    pdf.paragraph(narrative.get("proposals") or _("Không có."))
    pdf.paragraph(_("Trên đây là báo cáo %(subject)s./.") % {"subject": lower_first(report_subject(report))})
    _receivers_and_signer(pdf)
    _annex(pdf, data, report, today)
    return bytes(pdf.output())


def _pct(fraction):
    return None if fraction is None else round(fraction * 100, 1)


def _receivers_and_signer(pdf):
    if pdf.will_page_break(45):
        pdf.add_page()
    pdf.ln(4)
    top = pdf.get_y()
    pdf.font("BI", 11)
    pdf.cell(70, 5, _("Nơi nhận:"), new_x="LMARGIN", new_y="NEXT")
    pdf.font("", 10)
    for line in _recipients():
        pdf.cell(70, 4.5, line, new_x="LMARGIN", new_y="NEXT")
    bottom = pdf.get_y()
    x, width = pdf.l_margin + 80, pdf.epw - 80
    pdf.set_y(top)
    pdf.centred(SIGNER(), x, width, style="B", size=12.5)
    pdf.set_y(max(bottom, top + 35))


def _annex(pdf, data, report, today):
    registry = data["period"]["registry"]
    pdf.add_page(orientation="L")
    pdf.centred(_("PHỤ LỤC"), pdf.l_margin, pdf.epw, style="B", size=13)
    pdf.centred(_("Danh sách sản phẩm OCOP được công nhận đến ngày %(date)s") % {
        "date": _date_text(data["period"]["period"]["end"])}, pdf.l_margin, pdf.epw, style="B", size=12)
    number, symbol = reference_parts(data, report)
    pdf.centred(_("(Kèm theo Báo cáo số %(number)s/%(symbol)s %(date)s)") % {
        "number": number, "symbol": symbol, "date": date_words(document_date(data, report, today)),
    }, pdf.l_margin, pdf.epw, style="I", size=SMALL)
    pdf.ln(3)
    if not registry:
        pdf.paragraph(_("Chưa có sản phẩm OCOP được công nhận."))
        return
    pdf.grid([
        _("TT"), _("Sản phẩm"), _("Chủ thể"), _("Loại chủ thể"), _("Xã, thị trấn"), _("Nhóm"),
        _("Sao"), _("Điểm"), _("Số GCN"), _("Ngày QĐ"), _("Hiệu lực đến"),
    ], [
        (index, row["product"], row["producer"], row["subject_type"], row["commune"], row["group"],
         row["stars"], row["score"], row["certificate"], _date_text(row["decision_date"]),
         _date_text(row["valid_until"]))
        for index, row in enumerate(registry, start=1)
    ], widths=(7, 40, 40, 28, 18, 18, 10, 11, 22, 20, 20),
        align=("CENTER", "LEFT", "LEFT", "LEFT", "LEFT", "LEFT", "CENTER", "CENTER", "LEFT",
               "CENTER", "CENTER"), size=8)


# --- The registry CSV -------------------------------------------------------------------------

REGISTRY_FIELDS = (
    "product", "producer", "subject_type", "address", "commune", "group", "stars", "score",
    "certificate", "decision_date", "valid_until", "certifying_body",
)


def registry_header():
    """The header row: fixed, in Vietnamese whatever the interface language (docs/registry-csv.md)."""
    with translation.override("vi"):
        return [
            _("Tên sản phẩm"), _("Chủ thể"), _("Loại chủ thể"), _("Địa chỉ"), _("Xã, thị trấn"),
            _("Nhóm sản phẩm"), _("Hạng sao"), _("Điểm"), _("Số giấy chứng nhận"),
            _("Ngày quyết định"), _("Hiệu lực đến"), _("Cơ quan công nhận"),
        ]


def registry_csv_lines(rows):
    """The registry CSV, line by line (a BOM first) — for a streaming response."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(values):
        writer.writerow([csv_safe(value) for value in values])
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield "\ufeff" + line(registry_header())
    for row in rows:
        yield line([
            "" if row.get(field) is None else (
                _to_date(row[field]).isoformat() if field in ("decision_date", "valid_until") else row[field]
            )
            for field in REGISTRY_FIELDS
        ])


def registry_csv(rows):
    """The whole registry CSV as text (UTF-8 with its BOM once encoded)."""
    return "".join(registry_csv_lines(rows))
