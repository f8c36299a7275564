"""What an uploaded file is: decided from its bytes, and its name must agree.

Product photos, producer logos and certificate scans come from people outside
the office, so nothing the uploader says about a file is trusted:

* **The type comes from the content.** A picture is one only when Pillow
  recognises it as JPEG, PNG, WebP or GIF and verifies (and decodes) it. A PDF
  is one only when it starts with ``%PDF-``, has the ``%%EOF`` trailer in its
  last kilobyte *and* opens with ``pypdf`` with at least one page (an
  encrypted one is refused: the office could not read it). First bytes alone
  prove nothing: ``%PDF-`` followed by an HTML page is not a PDF.
* **The extension must agree with that type** (:data:`PDF`, :data:`JPEG`, ...
  list their allowed extensions): a real PDF or GIF named ``decision.html``,
  a PDF named ``.jpg``, a PNG named ``.jpg`` or a name without an extension
  are refused with a message saying which extension to use. The browser that
  later receives the file must never be given a reason to read it as a page.
* **Size is bounded twice** — in bytes (what we store) and in pixels (what
  decoding costs; a small file can unpack into a huge bitmap).

:func:`detect` is the one entry; the validators (forms, DRF serializers,
model fields, hence the admin) call it, and :mod:`catalogue.uploads` calls it
again when it stores or serves a file, so a caller that skipped a validator
still cannot store or serve a page.
"""

import logging
import os
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError
from pypdf import PdfReader

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 25_000_000  # e.g. 5000 × 5000
MAX_SCAN_BYTES = 10 * 1024 * 1024
PDF_MAGIC = b"%PDF-"
PDF_TRAILER = b"%%EOF"
PDF_TRAILER_WINDOW = 1024  # the trailer must be within the last kilobyte


@dataclass(frozen=True)
class FileType:
    """A type we accept: how it is served and which extensions may name it (first: ours)."""

    label: str
    content_type: str
    extensions: tuple

    @property
    def extension(self):
        return self.extensions[0]

    @property
    def is_image(self):
        return self.content_type.startswith("image/")


PDF = FileType("PDF", "application/pdf", (".pdf",))
JPEG = FileType("JPEG", "image/jpeg", (".jpg", ".jpeg"))
PNG = FileType("PNG", "image/png", (".png",))
WEBP = FileType("WebP", "image/webp", (".webp",))
GIF = FileType("GIF", "image/gif", (".gif",))
IMAGE_TYPES = {"JPEG": JPEG, "PNG": PNG, "WEBP": WEBP, "GIF": GIF}  # by Pillow's format name
IMAGE_FORMATS = tuple(IMAGE_TYPES)
PICTURES = tuple(IMAGE_TYPES.values())
SCANS = (PDF, *PICTURES)
# Every extension an accepted upload may carry, and the one we store it under.
CANONICAL_EXTENSIONS = {ext: kind.extension for kind in SCANS for ext in kind.extensions}


def _is_stored(value):
    """An already stored file (not a new upload): it was checked when it came in."""
    return getattr(value, "_committed", False) is True


def _size(value):
    size = getattr(value, "size", None)
    if size is None:
        value.seek(0, 2)
        size = value.tell()
    return size


def _open(value):
    """A readable binary file object of ``value`` positioned at its start."""
    file = getattr(value, "file", None) or value
    file.seek(0)
    return file


def _too_big(size, limit):
    return _("Tệp quá lớn (%(size)s); giới hạn là %(limit)s.") % {
        "size": filesizeformat(size),
        "limit": filesizeformat(limit),
    }


def _not_image_message():
    return _(
        "Tệp tải lên không phải là ảnh hợp lệ (chỉ nhận JPEG, PNG, WebP hoặc GIF). "
        "Tệp có thể đã bị hỏng hoặc chỉ được đổi tên thành ảnh."
    )


def _picture(value, max_pixels):
    """``(FileType, [])`` of a verified picture, or ``(None, [message])``."""
    file = _open(value)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                kind = IMAGE_TYPES.get(image.format)
                if kind is None:
                    return None, [_not_image_message()]
                width, height = image.size
                if width * height > max_pixels:
                    return None, [_pixels_message(width, height, max_pixels)]
                image.verify()
            # verify() does not decode every format (JPEG); decoding finds truncated data.
            file.seek(0)
            with Image.open(file) as image:
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return None, [_("Ảnh có kích thước điểm ảnh quá lớn, không thể xử lý an toàn.")]
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None, [_not_image_message()]
    finally:
        file.seek(0)
    return kind, []


def image_errors(value, max_bytes=MAX_IMAGE_BYTES, max_pixels=MAX_IMAGE_PIXELS):
    """Messages saying why ``value`` (a file object) is not an acceptable picture; [] when it is.

    Only the content is looked at here; :func:`detect` also checks the name.
    """
    size = _size(value)
    if size == 0:
        return [_("Tệp rỗng, không phải là ảnh.")]
    if size > max_bytes:
        return [_too_big(size, max_bytes)]
    return _picture(value, max_pixels)[1]


def _pixels_message(width, height, max_pixels):
    return _(
        "Ảnh quá lớn: %(width)d × %(height)d điểm ảnh; tối đa %(max)s triệu điểm ảnh."
    ) % {"width": width, "height": height, "max": f"{max_pixels / 1_000_000:g}"}


def _starts_as_pdf(value):
    file = _open(value)
    try:
        return file.read(len(PDF_MAGIC)) == PDF_MAGIC
    finally:
        file.seek(0)


def pdf_errors(value):
    """Messages saying why ``value`` is not a PDF the office can open; [] when it is."""
    invalid = _("Tệp PDF không hợp lệ: không mở được hoặc đã bị cắt cụt.")
    size = _size(value)
    file = _open(value)
    try:
        if file.read(len(PDF_MAGIC)) != PDF_MAGIC:
            return [invalid]
        file.seek(max(0, size - PDF_TRAILER_WINDOW))
        if PDF_TRAILER not in file.read():
            return [invalid]
        file.seek(0)
        pypdf_log = logging.getLogger("pypdf")
        level = pypdf_log.level
        pypdf_log.setLevel(logging.ERROR)  # a broken upload is not the server's warning
        try:
            reader = PdfReader(file, strict=False)
            if reader.is_encrypted:
                return [_("Tệp PDF có mật khẩu hoặc bị mã hoá; hãy gửi bản không đặt mật khẩu.")]
            if len(reader.pages) < 1:
                return [invalid]
        finally:
            pypdf_log.setLevel(level)
    except Exception:  # noqa: BLE001 - an untrusted file may break the parser in any way
        return [invalid]
    finally:
        file.seek(0)
    return []


def extension_of(name):
    """The lower-case extension of a file name (``.pdf``), or ``""``."""
    return os.path.splitext(os.path.basename(str(name or "")))[1].lower()


def name_errors(kind, name):
    """Messages when the file name's extension does not agree with the detected ``kind``."""
    extension = extension_of(name)
    if extension in kind.extensions:
        return []
    expected = _(" hoặc ").join(kind.extensions)
    if not extension:
        return [
            _("Tên tệp không có đuôi: tệp %(label)s cần có đuôi %(expected)s.")
            % {"label": kind.label, "expected": expected}
        ]
    return [
        _(
            "Đuôi tệp “%(extension)s” không khớp với nội dung (%(label)s): "
            "hãy đặt tên tệp có đuôi %(expected)s."
        )
        % {"extension": extension, "label": kind.label, "expected": expected}
    ]


def detect(value, kinds=SCANS, name=None, max_bytes=MAX_SCAN_BYTES, max_pixels=MAX_IMAGE_PIXELS):
    """The :class:`FileType` of ``value`` among ``kinds``, decided from its bytes.

    With ``name`` (the uploader's file name) its extension must agree. Raises
    ``ValidationError`` with Vietnamese messages otherwise.
    """
    size = _size(value)
    if size == 0:
        raise ValidationError(_("Tệp rỗng."), code="empty")
    if size > max_bytes:
        raise ValidationError(_too_big(size, max_bytes), code="too_big")
    pictures = [kind for kind in kinds if kind.is_image]
    if PDF in kinds and _starts_as_pdf(value):
        kind, errors = PDF, pdf_errors(value)
        code = "invalid_pdf"
    elif pictures:
        kind, errors = _picture(value, max_pixels)
        code = "invalid_image"
        if errors and PDF in kinds:
            errors = [_("Bản scan phải là tệp PDF hoặc ảnh (JPEG, PNG, WebP, GIF).") + " " + errors[0]]
            code = "invalid_scan"
    else:
        kind, errors, code = None, [_("Tệp phải là PDF.")], "invalid_pdf"
    if not errors and kind not in kinds:  # e.g. a GIF where only JPEG is allowed
        errors, code = [_not_image_message()], "invalid_image"
    if not errors and name is not None:
        errors, code = name_errors(kind, name), "extension"
    if errors:
        raise ValidationError(errors, code=code)
    return kind


def sniff(value, kinds=SCANS):
    """The verified type of a stored file, or None — never raises (for serving old files)."""
    try:
        return detect(value, kinds, max_bytes=max(MAX_SCAN_BYTES, MAX_IMAGE_BYTES))
    except ValidationError:
        return None


@deconstructible
class ImageUploadValidator:
    """Validator for ImageField / FileField of pictures; usable in forms and models."""

    def __init__(self, max_bytes=MAX_IMAGE_BYTES, max_pixels=MAX_IMAGE_PIXELS):
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels

    def __call__(self, value):
        if not value or _is_stored(value):
            return
        detect(value, PICTURES, name=value.name, max_bytes=self.max_bytes, max_pixels=self.max_pixels)

    def __eq__(self, other):
        return (
            isinstance(other, ImageUploadValidator)
            and self.max_bytes == other.max_bytes
            and self.max_pixels == other.max_pixels
        )


validate_image_upload = ImageUploadValidator()


@deconstructible
class ScanUploadValidator:
    """A scanned document: a PDF that opens, or a picture; its extension agreeing."""

    def __init__(self, max_bytes=MAX_SCAN_BYTES):
        self.max_bytes = max_bytes

    def __call__(self, value):
        if not value or _is_stored(value):
            return
        detect(value, SCANS, name=value.name, max_bytes=self.max_bytes)

    def __eq__(self, other):
        return isinstance(other, ScanUploadValidator) and self.max_bytes == other.max_bytes


validate_scan_upload = ScanUploadValidator()
