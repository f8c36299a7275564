"""What a receipt says, and the receipt as a PDF for an 80 mm roll.

The HTML receipt (``pos/receipt.html``) and the PDF read the same
``receipt_context``. The PDF is written by fpdf2 as real text (selectable,
searchable, a few kilobytes) on a page 80 mm wide — 72 mm printable, the
width of a thermal roll — and exactly as long as the receipt.

Vietnamese needs a font with its diacritics, embedded in the PDF (only the
glyphs used): ``POS_RECEIPT_FONT`` (a .ttf path) or DejaVu Sans / Liberation
Sans where the system has them (Debian: ``fonts-dejavu-core``). One font is
embedded; bold lines are the same glyphs filled and outlined, which keeps
the file near half the size of embedding a bold face too. Without any font,
the text is printed in a core PDF font without diacritics rather than as
empty boxes.
"""

import unicodedata
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import TextMode

from pos.models import TenderKind
from shop.money import format_vnd

PAGE_WIDTH = 80  # mm: the roll
MARGIN = 4  # mm each side: 72 mm printable
SIZES = {"title": 11, "bold": 9, "": 9, "small": 8}  # points
LINE = 1.25  # line height, times the font size
PT = 25.4 / 72  # mm per point
FAMILY = "receipt"
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/arial.ttf",
)


def receipt_context(sale):
    """Everything the receipt shows, in order, for the HTML page and the PDF."""
    location = sale.location
    lines = []
    for line in sale.lines.all():
        lines.append({
            "title": line.title,
            "code": line.code,
            "stars": line.ocop_stars,
            "star_text": "★" * (line.ocop_stars or 0),
            "quantity": line.quantity,
            "unit_price": line.unit_price,
            "discount_percent": line.discount_percent,
            "discount": line.discount,
            "gross": line.gross,
            "net_total": line.net_total,
        })
    tenders = [
        {"label": TenderKind(t.kind).label, "kind": t.kind, "amount": t.amount,
         "tendered": t.tendered, "change": t.change, "reference": t.reference}
        for t in sale.tenders.all()
    ]
    return {
        "sale": sale,
        "shop_name": getattr(settings, "OSCAR_SHOP_NAME", ""),
        "location": location,
        "register": sale.register,
        "receipt": sale.receipt_label,
        "order_number": sale.order.number,
        "rung_at": timezone.localtime(sale.rung_at),
        "cashier": sale.cashier.get_full_name() or sale.cashier.get_username(),
        "lines": lines,
        "subtotal": sale.subtotal,
        "line_discount_total": sale.line_discount_total,
        "order_discount_percent": sale.order_discount_percent,
        "order_discount": sale.order_discount,
        "total": sale.total,
        "cash_rounding": sale.cash_rounding,
        "paid_total": sale.paid_total,
        "change_due": sale.change_due,
        "tenders": tenders,
        "price_difference": sale.price_difference,
        "einvoice": invoice_summary(sale),
    }


def invoice_summary(sale):
    """The sale's e-invoice as the receipt shows it (``shop.invoicing.builder.summary``);
    never an error on a receipt."""
    from shop.invoicing.builder import summary_for_till_sale

    try:
        return summary_for_till_sale(sale)
    except Exception:  # a receipt always prints
        return None


def invoice_text_rows(einvoice):
    if not einvoice:
        return []
    rows = [("", "", "rule")]
    if einvoice["pending"]:
        return rows + [(_("Hoá đơn điện tử: đang phát hành"), "", "small")]
    rows.append((_("Hoá đơn điện tử: %(label)s") % {"label": einvoice["label"]}, "", "bold"))
    if einvoice["authority_code"]:
        rows.append((_("Mã CQT: %(code)s") % {"code": einvoice["authority_code"]}, "", "small"))
    if einvoice["lookup_code"]:
        rows.append((_("Mã tra cứu: %(code)s") % {"code": einvoice["lookup_code"]}, "", "small"))
    rows.append((_("Tra cứu tại: %(url)s") % {"url": einvoice["lookup_url"]}, "", "small"))
    return rows


def receipt_text_rows(ctx):
    """``[(left, right, style)]`` rows of the printed receipt (style: title/bold/small/rule/'')."""
    rows = [
        (ctx["shop_name"], "", "title"),
        (ctx["location"].name, "", "bold"),
    ]
    if ctx["location"].address:
        rows.append((ctx["location"].address, "", "small"))
    if ctx["location"].phone:
        rows.append((_("ĐT: %(phone)s") % {"phone": ctx["location"].phone}, "", "small"))
    rows += [
        ("", "", "rule"),
        (_("HOÁ ĐƠN BÁN HÀNG"), "", "bold"),
        (_("Số: %(receipt)s") % {"receipt": ctx["receipt"]}, ctx["rung_at"].strftime("%d/%m/%Y %H:%M"), ""),
        (_("Quầy: %(register)s") % {"register": ctx["register"].name},
         _("Thu ngân: %(name)s") % {"name": ctx["cashier"]}, "small"),
        ("", "", "rule"),
    ]
    for line in ctx["lines"]:
        title = line["title"]
        if line["stars"]:
            title = f"{title} ({_('OCOP %(n)s sao') % {'n': line['stars']}})"
        rows.append((title, "", ""))
        rows.append((f"  {line['quantity']} × {format_vnd(line['unit_price'])}",
                     format_vnd(line["gross"]), "small"))
        if line["discount"]:
            rows.append((_("  Giảm %(pct)s%%") % {"pct": line["discount_percent"].normalize()},
                         format_vnd(-line["discount"]), "small"))
    rows.append(("", "", "rule"))
    rows.append((_("Tổng tiền hàng"), format_vnd(ctx["subtotal"]), ""))
    if ctx["line_discount_total"]:
        rows.append((_("Giảm giá theo dòng"), format_vnd(-ctx["line_discount_total"]), ""))
    if ctx["order_discount"]:
        rows.append((_("Giảm giá hoá đơn (%(pct)s%%)") % {"pct": ctx["order_discount_percent"].normalize()},
                     format_vnd(-ctx["order_discount"]), ""))
    rows.append((_("TỔNG THANH TOÁN"), format_vnd(ctx["total"]), "bold"))
    if ctx["cash_rounding"]:
        rows.append((_("Làm tròn tiền mặt"), format_vnd(ctx["cash_rounding"]), ""))
    for tender in ctx["tenders"]:
        right = format_vnd(tender["tendered"] if tender["kind"] == "cash" else tender["amount"])
        rows.append((str(tender["label"]), right, ""))
        if tender["reference"]:
            rows.append((_("  Mã GD: %(ref)s") % {"ref": tender["reference"]}, "", "small"))
    rows.append((_("Tiền thối lại"), format_vnd(ctx["change_due"]), "bold"))
    rows += invoice_text_rows(ctx.get("einvoice"))
    rows += [("", "", "rule"), (_("Cảm ơn quý khách! Sản phẩm OCOP Đăk Hà"), "", "small")]
    return rows


def _font_path():
    configured = getattr(settings, "POS_RECEIPT_FONT", "")
    for candidate in ([configured] if configured else []) + list(FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def _document():
    """An ``FPDF`` with the receipt font, and whether that font has Vietnamese diacritics."""
    pdf = FPDF(unit="mm", format=(PAGE_WIDTH, 100))
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(False)
    pdf.c_margin = 0
    path = _font_path()
    if path:
        pdf.add_font(FAMILY, "", path)
        return pdf, FAMILY, True
    return pdf, "helvetica", False


def _wrap(pdf, text, width):
    """``text`` cut into lines at spaces, each no wider than ``width`` mm in the current font."""
    words, lines, current = text.split(), [], ""
    for word in words:
        trial = f"{current} {word}".strip()
        if pdf.get_string_width(trial) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    return lines


def _layout(pdf, family, rows):
    """``[(kind, left, right, style)]`` lines after wrapping, and the height they take (mm)."""
    inner = PAGE_WIDTH - 2 * MARGIN
    lines, height = [], MARGIN
    for left, right, style in rows:
        if style == "rule":
            lines.append(("rule", "", "", style))
            height += 3
            continue
        pdf.set_font(family, "", SIZES[style])
        right_width = pdf.get_string_width(right) + 2 if right else 0
        wrapped = _wrap(pdf, left, inner - right_width)
        for index, text in enumerate(wrapped):
            lines.append(("text", text, right if index == 0 else "", style))
            height += SIZES[style] * PT * LINE
    return lines, height + MARGIN


def receipt_pdf(sale):
    """The receipt as PDF bytes: real text, one page as long as the receipt."""
    rows = receipt_text_rows(receipt_context(sale))
    pdf, family, unicode_ok = _document()
    if not unicode_ok:
        rows = [(_latin1(a), _latin1(b), c) for a, b, c in rows]
    lines, height = _layout(pdf, family, rows)
    pdf.set_title(_("Hoá đơn %(number)s") % {"number": sale.receipt_label})
    pdf.set_creator(getattr(settings, "OSCAR_SHOP_NAME", "") or "OCOP")
    pdf.add_page(format=(PAGE_WIDTH, max(height, 40)))
    inner = PAGE_WIDTH - 2 * MARGIN
    y = MARGIN
    for kind, left, right, style in lines:
        if kind == "rule":
            pdf.set_dash_pattern(dash=0.8, gap=0.6)
            pdf.set_line_width(0.2)
            pdf.line(MARGIN, y + 1.5, PAGE_WIDTH - MARGIN, y + 1.5)
            pdf.set_dash_pattern()
            y += 3
            continue
        pdf.set_font(family, "", SIZES[style])
        step = SIZES[style] * PT * LINE
        # Bold: the same glyphs filled and outlined (no second font to embed), in a local
        # graphics state so the lines after it are plain again.
        bold = {"text_mode": TextMode.FILL_STROKE, "line_width": 0.12} if style in ("title", "bold") else {}
        with pdf.local_context(**bold):
            pdf.set_xy(MARGIN, y)
            pdf.cell(inner, step, left, align="C" if style == "title" else "L")
            if right:
                pdf.set_xy(MARGIN, y)
                pdf.cell(inner, step, right, align="R")
        y += step
    return bytes(pdf.output())


def _latin1(text):
    """What a core PDF font can show: no diacritics, other characters outside Latin-1 as “?”."""
    return normalize_keep_case(text).encode("latin-1", "replace").decode("latin-1")


def normalize_keep_case(text):
    """Text without Vietnamese diacritics, keeping case and punctuation (for fonts without them)."""
    text = (text or "").replace("đ", "d").replace("Đ", "D").replace("★", "*").replace("₫", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")

