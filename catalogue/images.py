"""Checks on uploaded pictures and scans (product photos, producer logos, certificate scans).

A file is accepted as a picture only when Pillow recognises it as one of the
allowed formats and verifies it, whatever its name says: a renamed executable
or a text file called ``photo.jpg`` is refused. Size is bounded twice — in
bytes (what we store) and in pixels (what decoding costs; a small file can
unpack into a huge bitmap).
"""

import warnings

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 25_000_000  # e.g. 5000 × 5000
MAX_SCAN_BYTES = 10 * 1024 * 1024
IMAGE_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
PDF_MAGIC = b"%PDF-"


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


def image_errors(value, max_bytes=MAX_IMAGE_BYTES, max_pixels=MAX_IMAGE_PIXELS):
    """Messages saying why ``value`` (a file object) is not an acceptable picture; [] when it is."""
    size = _size(value)
    if size == 0:
        return [_("Tệp rỗng, không phải là ảnh.")]
    if size > max_bytes:
        return [_too_big(size, max_bytes)]
    not_image = _(
        "Tệp tải lên không phải là ảnh hợp lệ (chỉ nhận JPEG, PNG, WebP hoặc GIF). "
        "Tệp có thể đã bị hỏng hoặc chỉ được đổi tên thành ảnh."
    )
    file = _open(value)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                if image.format not in IMAGE_FORMATS:
                    return [not_image]
                width, height = image.size
                if width * height > max_pixels:
                    return [_pixels_message(width, height, max_pixels)]
                image.verify()
            # verify() does not decode every format (JPEG); decoding finds truncated data.
            file.seek(0)
            with Image.open(file) as image:
                image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return [_("Ảnh có kích thước điểm ảnh quá lớn, không thể xử lý an toàn.")]
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return [not_image]
    finally:
        file.seek(0)
    return []


def _pixels_message(width, height, max_pixels):
    return _(
        "Ảnh quá lớn: %(width)d × %(height)d điểm ảnh; tối đa %(max)s triệu điểm ảnh."
    ) % {"width": width, "height": height, "max": f"{max_pixels / 1_000_000:g}"}


@deconstructible
class ImageUploadValidator:
    """Validator for ImageField / FileField of pictures; usable in forms and models."""

    def __init__(self, max_bytes=MAX_IMAGE_BYTES, max_pixels=MAX_IMAGE_PIXELS):
        self.max_bytes = max_bytes
        self.max_pixels = max_pixels

    def __call__(self, value):
        if not value or _is_stored(value):
            return
        errors = image_errors(value, self.max_bytes, self.max_pixels)
        if errors:
            raise ValidationError(errors, code="invalid_image")

    def __eq__(self, other):
        return (
            isinstance(other, ImageUploadValidator)
            and self.max_bytes == other.max_bytes
            and self.max_pixels == other.max_pixels
        )


validate_image_upload = ImageUploadValidator()


@deconstructible
class ScanUploadValidator:
    """A scanned document: a PDF (checked by its signature) or a picture."""

    def __init__(self, max_bytes=MAX_SCAN_BYTES):
        self.max_bytes = max_bytes

    def __call__(self, value):
        if not value or _is_stored(value):
            return
        size = _size(value)
        if size > self.max_bytes:
            raise ValidationError(_too_big(size, self.max_bytes), code="too_big")
        file = _open(value)
        head = file.read(len(PDF_MAGIC))
        file.seek(0)
        if head == PDF_MAGIC:
            return
        errors = image_errors(value, max_bytes=self.max_bytes)
        if errors:
            raise ValidationError(
                _("Bản scan phải là tệp PDF hoặc ảnh (JPEG, PNG, WebP, GIF).")
                + " "
                + errors[0],
                code="invalid_scan",
            )

    def __eq__(self, other):
        return isinstance(other, ScanUploadValidator) and self.max_bytes == other.max_bytes


validate_scan_upload = ScanUploadValidator()
