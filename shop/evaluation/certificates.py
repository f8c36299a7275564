"""The printable OCOP certificate of a rated product: a print page and an A4 PDF.

What it shows, read from the registry (``catalogue.OcopCertificate``), never retyped:

* the certifying body (top left) and the national motto (top right), as the
  administrative form has them (``shop.programme.exports``' header);
* "GIẤY CHỨNG NHẬN SẢN PHẨM OCOP", the product, its producer and commune, the stars
  (★ drawn as text), the score out of 100, the rating level, the decision's number
  and date, and the last day of its 36-month validity (``catalogue.certification``);
* the product's public trace QR (``catalogue.traceability``): the absolute address
  of ``/t/<trace code>/``, so a phone held over the paper opens the trace page.

The PDF is real text in the Vietnamese font the till's receipts and the programme's
reports embed (``pos.receipts``: ``POS_RECEIPT_FONT`` or DejaVu Sans); without one,
text loses its diacritics rather than printing empty boxes. The QR is a PNG image.
Who may fetch either is the views' business (``shop.evaluation.access``).
"""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from catalogue import certification, traceability
from shop.programme.exports import ReportPDF, date_words

LEVEL_LABELS = dict(certification.Level.CHOICES)
QR_MM = 38
TITLE = gettext_lazy("GIẤY CHỨNG NHẬN SẢN PHẨM OCOP")


def stars_text(stars):
    return "★" * int(stars or 0)


def facts(certificate, trace_url):
    """What the certificate says, as (label, value) rows and its headline parts."""
    product = certificate.product
    producer = getattr(product, "producer", None)
    commune = getattr(producer, "commune", None) if producer else None
    rows = [
        (_("Tên sản phẩm"), product.get_title()),
        (_("Chủ thể"), producer.name if producer else "—"),
        (_("Địa chỉ"), str(commune) if commune else "—"),
        (_("Hạng"), _("%(stars)s sao") % {"stars": certificate.stars}),
        (_("Điểm đánh giá"), _("%(score)s/100 điểm") % {"score": certificate.score}),
        (_("Cấp đánh giá"), str(LEVEL_LABELS.get(certificate.rating_level, certificate.rating_level))),
        (_("Cơ quan công nhận"), certificate.certifying_body),
        (_("Quyết định"), _("Số %(number)s ngày %(date)s") % {
            "number": certificate.decision_number,
            "date": certificate.decision_date.strftime("%d/%m/%Y")}),
        (_("Hiệu lực đến"), certificate.valid_until.strftime("%d/%m/%Y")),
    ]
    return {
        "certificate": certificate,
        "product": product,
        "producer": producer,
        "rows": rows,
        "stars_text": stars_text(certificate.stars),
        "trace_url": trace_url,
        "title": str(TITLE),
    }


def qr_svg(trace_url):
    """The trace QR as an inline SVG document (str), for the print page."""
    return traceability.qr_svg(trace_url, box_size=8, border=2).decode("utf-8")


def filename(certificate):
    return f"chung-nhan-ocop-{certificate.product_id}-{certificate.pk}.pdf"


def certificate_pdf(certificate, trace_url):
    """The certificate as A4 PDF bytes (portrait, the administrative header, the QR)."""
    data = facts(certificate, trace_url)
    pdf = ReportPDF()
    pdf.set_title(f"{data['title']} — {data['product'].get_title()}")
    pdf.set_author(certificate.certifying_body)
    pdf.add_page()
    width = pdf.epw
    half = width * 0.45
    left, right = pdf.l_margin, pdf.l_margin + half
    top = pdf.get_y()
    pdf.centred(certificate.certifying_body.upper(), left, half, style="B", size=11, underline=26)
    left_bottom = pdf.get_y()
    pdf.set_y(top)
    pdf.centred(_("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"), right, width - half, style="B", size=10.5)
    pdf.centred(_("Độc lập - Tự do - Hạnh phúc"), right, width - half, style="B", size=11,
                underline="text")
    pdf.ln(2)
    pdf.centred(date_words(certificate.decision_date), right, width - half, style="I", size=11)
    pdf.set_y(max(left_bottom, pdf.get_y()) + 12)
    pdf.centred(data["title"], left, width, style="B", size=18)
    pdf.ln(2)
    stars_line = _("Hạng %(stars)s sao") % {"stars": certificate.stars}
    if pdf.unicode_font:
        stars_line = f"{data['stars_text']}  {stars_line}"
    pdf.centred(stars_line, left, width, style="B", size=15)
    pdf.ln(8)
    label_width = 50
    for label, value in data["rows"]:
        pdf.font("B", 12)
        y = pdf.get_y()
        pdf.set_x(left)
        pdf.multi_cell(label_width, pdf.line_height(12), f"{label}:", new_x="RIGHT", new_y="TOP")
        pdf.font("", 12)
        pdf.set_xy(left + label_width, y)
        pdf.multi_cell(width - label_width, pdf.line_height(12), str(value),
                       new_x="LMARGIN", new_y="NEXT")
        pdf.ln(1)
    pdf.ln(6)
    png = traceability.qr_png(trace_url, box_size=8, border=2)
    qr_x = left + (width - QR_MM) / 2
    pdf.image(io.BytesIO(png), x=qr_x, y=pdf.get_y(), w=QR_MM, h=QR_MM)
    pdf.set_y(pdf.get_y() + QR_MM + 2)
    pdf.centred(_("Quét mã để truy xuất nguồn gốc sản phẩm"), left, width, style="I", size=10)
    pdf.centred(trace_url, left, width, size=9)
    return bytes(pdf.output())
