"""Files for the upload-hardening tests: real ones, and hostile polyglots.

The hostile ones carry a script that, if a browser ever runs it on the shop's
origin, leaves two marks: the page title becomes ``SCRIPT_TITLE`` and a request
goes to ``SCRIPT_URL`` with the CSRF token (what the reported attack did).
"""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfWriter

SCRIPT_TITLE = "XSS-RAN"
SCRIPT_URL = "/office/changes/?stolen="
# What the attack ran: read what the office's page holds and send it away.
SCRIPT_JS = (
    "document.title='" + SCRIPT_TITLE + "';"
    "fetch('" + SCRIPT_URL + "'+encodeURIComponent(document.cookie))"
)
SCRIPT = "<script>" + SCRIPT_JS + "</script>"


def scripts(src=None):
    """The script inline and, with ``src``, also from a same-origin address (allowed by a
    site-wide ``script-src 'self'``: e.g. another file the producer sent, served as JavaScript)."""
    return SCRIPT + (f'<script src="{src}"></script>' if src else "")


def html(src=None):
    return "<!doctype html><html><body><h1>Quyet dinh</h1>" + scripts(src) + "</body></html>"


HTML = html()


def real_pdf(attachment=None):
    """A genuine one-page PDF (pypdf writes it), optionally carrying an embedded file."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_metadata({"/Title": "Quyết định công nhận OCOP"})
    if attachment is not None:
        writer.add_attachment("trang.html", attachment)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def polyglot_pdf(src=None):
    """A PDF that really opens as a PDF and also holds an HTML page with a script."""
    data = real_pdf(attachment=html(src).encode())
    assert data.startswith(b"%PDF-") and SCRIPT.encode() in data
    return data


def fake_pdf():
    """Only the first bytes of a PDF, then an HTML page (what the old check let through)."""
    return b"%PDF-1.7\n" + HTML.encode()


def gif_with_script(src=None):
    """A valid GIF (Pillow verifies it) whose comment block is an HTML script."""
    buffer = io.BytesIO()
    Image.new("P", (8, 8), 3).save(buffer, "GIF", comment=scripts(src).encode())
    data = buffer.getvalue()
    assert SCRIPT.encode() in data
    return data


def png_bytes(size=(16, 16)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def upload(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)
