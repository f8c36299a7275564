"""What a receipt says, and the receipt as a PDF for an 80 mm roll.

The HTML receipt (``pos/receipt.html``) and the PDF read the same
``receipt_lines``. The PDF is drawn with Pillow (already a dependency) onto a
576-pixel-wide image — the printable width of an 80 mm thermal roll at
203 dpi — and saved by Pillow's own PDF writer, so no PDF package is needed.
Vietnamese needs a font with its diacritics: ``POS_RECEIPT_FONT`` (a .ttf
path) or DejaVu Sans / Liberation Sans where the system has them; without
any, the text is printed without diacritics rather than as empty boxes.
"""

import io
import unicodedata
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from pos.models import TenderKind
from shop.money import format_vnd

WIDTH = 576  # dots: 72 mm printable at 203 dpi
DPI = 203
MARGIN = 8
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
    }


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
    rows += [("", "", "rule"), (_("Cảm ơn quý khách! Sản phẩm OCOP Đăk Hà"), "", "small")]
    return rows


def _font_path():
    configured = getattr(settings, "POS_RECEIPT_FONT", "")
    for candidate in ([configured] if configured else []) + list(FONT_CANDIDATES):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def _fonts():
    path = _font_path()
    if path:
        return {size: ImageFont.truetype(path, size) for size in (20, 24, 30)}, True
    return {size: ImageFont.load_default(size=size) for size in (20, 24, 30)}, False


def _wrap(draw, text, font, width):
    words, lines, current = text.split(), [], ""
    for word in words:
        trial = f"{current} {word}".strip()
        if draw.textlength(trial, font=font) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    if current or not lines:
        lines.append(current)
    return lines


def receipt_pdf(sale):
    """The receipt as PDF bytes (one page as long as the receipt)."""
    rows = receipt_text_rows(receipt_context(sale))
    fonts, unicode_ok = _fonts()
    if not unicode_ok:
        rows = [(normalize_keep_case(a), normalize_keep_case(b), c) for a, b, c in rows]
    scratch = ImageDraw.Draw(Image.new("L", (WIDTH, 10), 255))
    inner = WIDTH - 2 * MARGIN
    layout, y = [], MARGIN
    for left, right, style in rows:
        if style == "rule":
            layout.append(("rule", y + 8, None, None, None))
            y += 18
            continue
        font = fonts[30 if style == "title" else 20 if style == "small" else 24]
        right_width = scratch.textlength(right, font=font) if right else 0
        wrapped = _wrap(scratch, left, font, inner - right_width - (12 if right else 0))
        line_height = font.size + 8
        for index, text in enumerate(wrapped):
            layout.append(("text", y, text, right if index == 0 else "", font))
            y += line_height
    height = y + MARGIN * 3
    image = Image.new("L", (WIDTH, height), 255)
    draw = ImageDraw.Draw(image)
    for kind, y, text, right, font in layout:
        if kind == "rule":
            draw.line([(MARGIN, y), (WIDTH - MARGIN, y)], fill=0, width=2)
            continue
        draw.text((MARGIN, y), text, font=font, fill=0)
        if right:
            draw.text((WIDTH - MARGIN - draw.textlength(right, font=font), y), right, font=font, fill=0)
    out = io.BytesIO()
    image.save(out, "PDF", resolution=DPI, title=f"{sale.receipt_label}")
    return out.getvalue()


def normalize_keep_case(text):
    """Text without Vietnamese diacritics, keeping case and punctuation (for fonts without them)."""
    text = (text or "").replace("đ", "d").replace("Đ", "D").replace("★", "*").replace("₫", "d")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")

