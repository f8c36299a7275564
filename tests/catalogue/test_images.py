"""Uploaded pictures must be real, bounded images; renamed files and bombs are refused."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from catalogue.images import ImageUploadValidator, validate_image_upload, validate_scan_upload
from catalogue.models import ProductImage
from tests.factories import jpeg_bytes, make_product

# The first bytes of a Windows executable, as a "photo".
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def _upload(name, content, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def _png_bytes(size):
    buffer = io.BytesIO()
    Image.new("1", size).save(buffer, "PNG")  # 1-bit: a huge canvas in a small file
    return buffer.getvalue()


def _refused(validator, upload):
    with pytest.raises(ValidationError) as exc:
        validator(upload)
    return " ".join(exc.value.messages)


def test_a_real_photo_is_accepted():
    validate_image_upload(_upload("ca-phe.jpg", jpeg_bytes()))
    validate_image_upload(_upload("logo.png", _png_bytes((120, 80)), "image/png"))


def test_renamed_executable_is_refused():
    message = _refused(validate_image_upload, _upload("anh-san-pham.jpg", EXE_BYTES))
    assert "không phải là ảnh hợp lệ" in message


def test_text_file_is_refused():
    message = _refused(validate_image_upload, _upload("a.png", b"hello, world\n" * 10, "image/png"))
    assert "không phải là ảnh hợp lệ" in message


def test_empty_file_is_refused():
    assert "rỗng" in _refused(validate_image_upload, _upload("a.jpg", b""))


def test_truncated_image_is_refused():
    data = jpeg_bytes(size=(300, 300))
    assert "không phải là ảnh hợp lệ" in _refused(
        validate_image_upload, _upload("a.jpg", data[: len(data) // 3])
    )


def test_image_with_too_many_pixels_is_refused():
    upload = _upload("poster.png", _png_bytes((6000, 5000)), "image/png")
    assert upload.size < 1024 * 1024  # small file, huge bitmap
    message = _refused(validate_image_upload, upload)
    assert "6000 × 5000" in message and "điểm ảnh" in message


def test_file_too_big_in_bytes_is_refused():
    validator = ImageUploadValidator(max_bytes=1000)
    message = _refused(validator, _upload("a.jpg", jpeg_bytes(size=(400, 400), color=(1, 2, 3)) + b"\0" * 2000))
    assert "quá lớn" in message


def _pdf_bytes():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_scan_accepts_pdf_or_image_and_refuses_anything_else():
    validate_scan_upload(_upload("qd.pdf", _pdf_bytes(), "application/pdf"))
    # The first bytes of a PDF are not a PDF.
    message = _refused(validate_scan_upload, _upload("qd.pdf", b"%PDF-1.7\n%...\n", "application/pdf"))
    assert "PDF không hợp lệ" in message
    validate_scan_upload(_upload("qd.jpg", jpeg_bytes()))
    message = _refused(validate_scan_upload, _upload("qd.pdf", EXE_BYTES, "application/pdf"))
    assert "PDF hoặc ảnh" in message


@pytest.mark.django_db
def test_product_photo_model_validation_refuses_a_renamed_executable():
    product = make_product(with_image=False)
    image = ProductImage(product=product, display_order=0)
    image.original = _upload("photo.jpg", EXE_BYTES)
    with pytest.raises(ValidationError) as exc:
        image.full_clean()
    assert "original" in exc.value.message_dict
    # A stored photo is not re-read on every later validation.
    good = ProductImage(product=product, display_order=1)
    good.original = _upload("good.jpg", jpeg_bytes())
    good.full_clean()
    good.save()
    good.refresh_from_db()
    good.full_clean()
