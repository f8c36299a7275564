"""Untrusted uploads (issue 11, item 1): a producer's file never runs as a page on the shop.

The type of an upload is decided from its content (a PDF must open as a PDF, a
picture must verify with Pillow) and its extension must agree; files are stored
under generated names; files under review live outside the public media tree
and are served only by a permission-checked view with headers that forbid
scripts, whatever is in the file.
"""

import importlib
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import clear_url_caches, reverse
from oscar.core.loading import get_model
from rest_framework.test import APIClient

from catalogue.images import validate_image_upload, validate_scan_upload
from tests.factories import jpeg_bytes
from tests.vendors.conftest import jpeg_upload, snapshot
from tests.vendors.uploads_samples import (
    HTML,
    fake_pdf,
    gif_with_script,
    png_bytes,
    polyglot_pdf,
    real_pdf,
    upload,
)
from vendors import moderation
from vendors.models import ChangeRequest

pytestmark = pytest.mark.django_db

ProductImage = get_model("catalogue", "ProductImage")
OcopCertificate = get_model("catalogue", "OcopCertificate")

GENERATED = r"[0-9a-f]{32}"
CERT_DATA = {
    "stars": 4, "score": 80, "rating_level": "province", "certifying_body": "UBND tỉnh Kon Tum",
    "decision_number": "88/QĐ-UBND", "decision_date": "2025-03-01",
}


def _refused(validator, file):
    with pytest.raises(ValidationError) as exc:
        validator(file)
    return " ".join(exc.value.messages)


def _files_under(root):
    root = Path(root)
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- What an upload is: decided from its content, the name must agree ---------------------


def test_polyglot_pdf_named_html_is_refused():
    message = _refused(validate_scan_upload, upload("decision.html", polyglot_pdf(), "text/html"))
    assert "“.html”" in message and ".pdf" in message


def test_gif_with_a_script_named_html_is_refused_as_photo_and_as_scan():
    for validator in (validate_image_upload, validate_scan_upload):
        message = _refused(validator, upload("photo.html", gif_with_script(), "image/gif"))
        assert "“.html”" in message and ".gif" in message


def test_pdf_named_as_a_picture_is_refused():
    message = _refused(validate_scan_upload, upload("scan.jpg", real_pdf(), "image/jpeg"))
    assert "“.jpg”" in message and ".pdf" in message
    # ... and a PDF is never a photo, whatever its name.
    assert "không phải là ảnh" in _refused(validate_image_upload, upload("anh.pdf", real_pdf()))


def test_picture_whose_extension_names_another_format_is_refused():
    message = _refused(validate_image_upload, upload("anh.jpg", png_bytes(), "image/jpeg"))
    assert "PNG" in message and ".png" in message


def test_file_without_extension_is_refused():
    assert "đuôi" in _refused(validate_image_upload, upload("blob", jpeg_bytes(), "image/jpeg"))


def test_first_bytes_of_a_pdf_are_not_enough():
    message = _refused(validate_scan_upload, upload("decision.pdf", fake_pdf(), "application/pdf"))
    assert "PDF không hợp lệ" in message
    # A header and a trailer around nothing that parses is not a PDF either.
    hollow = b"%PDF-1.4\n" + HTML.encode() + b"\n%%EOF\n"
    assert "PDF không hợp lệ" in _refused(validate_scan_upload, upload("d.pdf", hollow))


def test_real_pdf_and_real_pictures_are_accepted():
    validate_scan_upload(upload("Quyết định 12.PDF", real_pdf(), "application/pdf"))
    validate_scan_upload(upload("scan.jpeg", jpeg_bytes(), "image/jpeg"))
    validate_image_upload(upload("ca-phe.jpg", jpeg_bytes(), "image/jpeg"))
    validate_image_upload(upload("CA-PHE.JPEG", jpeg_bytes(), "image/jpeg"))
    validate_image_upload(upload("logo.png", png_bytes(), "image/png"))
    # A real GIF under its own name is a picture; how it is served keeps its comment inert.
    validate_image_upload(upload("anh.gif", gif_with_script(), "image/gif"))


def test_the_producer_form_and_the_api_refuse_a_polyglot_with_a_vietnamese_message(producer_a):
    before = snapshot(producer_a)
    client = Client()
    client.force_login(producer_a.user)
    page = client.post(
        reverse("vendors:certificate-add", args=[producer_a.product.pk]),
        {**CERT_DATA, "scan": upload("decision.html", polyglot_pdf(), "text/html")},
    )
    assert page.status_code == 400 and "không khớp với nội dung" in page.content.decode()
    photo = client.post(
        reverse("vendors:photo-add", args=[producer_a.product.pk]),
        {"original": upload("photo.html", gif_with_script(), "image/gif")},
    )
    assert photo.status_code == 400 and "không khớp với nội dung" in photo.content.decode()

    api = APIClient()
    api.force_authenticate(user=producer_a.user)
    response = api.post(
        reverse("vendors-api:product-certificates", args=[producer_a.product.pk]),
        {**CERT_DATA, "scan": upload("decision.html", polyglot_pdf(), "text/html")},
        format="multipart",
    )
    assert response.status_code == 400 and "không khớp với nội dung" in str(response.json())
    response = api.post(
        reverse("vendors-api:product-photos", args=[producer_a.product.pk]),
        {"original": upload("photo.html", gif_with_script(), "image/gif")}, format="multipart",
    )
    assert response.status_code == 400 and "không khớp với nội dung" in str(response.json())
    assert snapshot(producer_a) == before


# --- Where and under what name files are kept ---------------------------------------------


def test_files_under_review_are_private_and_named_by_the_shop(producer_a):
    change = moderation.propose_certificate(
        producer_a.product, producer_a.user, CERT_DATA,
        upload("Quyết định <số 88>.PDF", real_pdf(), "application/pdf"),
    )
    photo = moderation.propose_photo(producer_a.product, producer_a.user, jpeg_upload("goi qua.jpeg"))
    assert re.fullmatch(rf"vendors/changes/\d{{4}}/{GENERATED}\.pdf", change.attachment.name)
    assert re.fullmatch(rf"vendors/changes/\d{{4}}/{GENERATED}\.jpg", photo.attachment.name)
    private = Path(settings.PRIVATE_MEDIA_ROOT)
    assert (private / change.attachment.name).read_bytes().startswith(b"%PDF-")
    assert (private / photo.attachment.name).is_file()
    assert not any(name.startswith("vendors/changes/") for name in _files_under(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        change.attachment.url  # noqa: B018 - a private file has no public address


def test_moderation_refuses_a_hostile_file_even_without_the_form(producer_a):
    """The storage step decides the type again: a caller that skipped the validators cannot store HTML."""
    with pytest.raises(ValidationError):
        moderation.propose_photo(
            producer_a.product, producer_a.user, upload("photo.html", HTML.encode(), "text/html")
        )
    assert not ChangeRequest.objects.filter(product=producer_a.product, kind="photo").exclude(
        pk=producer_a.file_change.pk
    ).exists()


def test_approved_files_become_public_media_under_generated_names(producer_a, office):
    change = moderation.propose_certificate(
        producer_a.product, producer_a.user, CERT_DATA, upload("decision.pdf", real_pdf())
    )
    moderation.apply_change(change, office)
    moderation.apply_change(producer_a.file_change, office)
    certificate = OcopCertificate.objects.get(decision_number=CERT_DATA["decision_number"])
    assert re.fullmatch(rf"ocop/certificates/\d{{4}}/{GENERATED}\.pdf", certificate.scan.name)
    assert (Path(settings.MEDIA_ROOT) / certificate.scan.name).read_bytes().startswith(b"%PDF-")
    image = producer_a.product.images.order_by("-display_order").first()
    assert re.fullmatch(rf"images/products/\d{{4}}/\d{{2}}/{GENERATED}\.jpg", image.original.name)


def test_admin_and_model_uploads_get_generated_names(producer_a):
    vendor = producer_a.vendor
    vendor.logo = upload("logo cua toi.png", png_bytes(), "image/png")
    vendor.full_clean()
    vendor.save()
    assert re.fullmatch(rf"vendors/logos/{GENERATED}\.png", vendor.logo.name)
    certificate = producer_a.certificate
    certificate.scan = upload("decision.html", polyglot_pdf(), "text/html")
    with pytest.raises(ValidationError) as exc:
        certificate.full_clean()
    assert "scan" in exc.value.message_dict
    certificate.scan = upload("Quyet dinh.pdf", real_pdf(), "application/pdf")
    certificate.full_clean()
    certificate.save()
    assert re.fullmatch(rf"ocop/certificates/\d{{4}}/{GENERATED}\.pdf", certificate.scan.name)


def test_public_media_never_keeps_a_script_extension(settings):
    """Whatever saves into public media (Oscar's dashboard attribute files included) gets no page name."""
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    name = default_storage.save("images/products/trang.html", ContentFile(HTML.encode()))
    assert not name.endswith(".html") and name.endswith(".bin")
    assert default_storage.save("x/anh.svg", ContentFile(b"<svg/>")).endswith(".bin")
    assert default_storage.save("x/anh.jpg", ContentFile(jpeg_bytes())).endswith(".jpg")


# --- Serving a file under review ------------------------------------------------------------


def _force_into_storage(change, name, data):
    """Put ``data`` in the private storage as the change's file, bypassing every check."""
    stored = ChangeRequest._meta.get_field("attachment").storage.save(name, io.BytesIO(data))
    ChangeRequest.objects.filter(pk=change.pk).update(attachment=stored)
    change.refresh_from_db()
    return change


def _assert_locked_down(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    policy = response["Content-Security-Policy"]
    assert "default-src 'none'" in policy and "sandbox" in policy and "script-src" not in policy


@pytest.mark.parametrize("url_name", ["vendors:review-file", "vendors:change-file"])
def test_a_picture_under_review_is_served_inline_as_the_picture_it_is(client, producer_a, office, url_name):
    client.force_login(office if url_name == "vendors:review-file" else producer_a.user)
    response = client.get(reverse(url_name, args=[producer_a.file_change.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert re.search(r'filename="yeu-cau-\d+\.jpg"', response["Content-Disposition"])
    _assert_locked_down(response)
    assert b"".join(response.streaming_content) == jpeg_bytes()


def test_a_pdf_under_review_is_downloaded_not_shown_on_the_site(client, producer_a, office):
    change = moderation.propose_certificate(
        producer_a.product, producer_a.user, CERT_DATA, upload("decision.pdf", polyglot_pdf())
    )
    client.force_login(office)
    response = client.get(reverse("vendors:review-file", args=[change.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    _assert_locked_down(response)


@pytest.mark.parametrize(
    "stored_name, data, content_type, disposition",
    [
        ("decision.html", polyglot_pdf(), "application/pdf", "attachment"),
        ("photo.html", gif_with_script(), "image/gif", "inline"),
        ("trang.html", HTML.encode(), "application/octet-stream", "attachment"),
        ("decision.pdf", fake_pdf(), "application/octet-stream", "attachment"),
    ],
    ids=["polyglot pdf", "gif with script", "plain html", "fake pdf"],
)
def test_a_hostile_file_already_in_storage_is_never_served_as_a_page(
    client, producer_a, office, stored_name, data, content_type, disposition
):
    """Old rows (or any file that skipped the checks): the type comes from the bytes, never the name."""
    change = _force_into_storage(producer_a.file_change, f"vendors/changes/2025/{stored_name}", data)
    client.force_login(office)
    response = client.get(reverse("vendors:review-file", args=[change.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].startswith(disposition)
    assert ".html" not in response["Content-Disposition"]
    _assert_locked_down(response)


def test_the_file_policy_wins_over_a_site_wide_csp_middleware(client, producer_a, office, settings):
    pytest.importorskip("csp")
    if "csp.middleware.CSPMiddleware" not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, "csp.middleware.CSPMiddleware"]
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'self'"]}}
    client.force_login(office)
    response = client.get(reverse("vendors:review-file", args=[producer_a.file_change.pk]))
    _assert_locked_down(response)


def test_who_may_read_a_file_under_review(client, producer_a, producer_b, office, customer):
    own = reverse("vendors:change-file", args=[producer_a.file_change.pk])
    review = reverse("vendors:review-file", args=[producer_a.file_change.pk])
    anonymous = client.get(own)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    assert client.get(review).status_code == 302
    client.force_login(producer_b.user)
    assert client.get(own).status_code == 404
    assert client.get(review).status_code == 403
    client.force_login(customer)
    assert client.get(review).status_code == 403
    client.force_login(producer_a.user)
    assert client.get(own).status_code == 200
    client.force_login(office)
    assert client.get(review).status_code == 200


@pytest.fixture
def debug_urls(settings):
    """The project's URLs as ``DJANGO_DEBUG=1`` builds them (media served by Django)."""
    import shop.urls

    settings.DEBUG = True
    importlib.reload(shop.urls)
    clear_url_caches()
    yield
    settings.DEBUG = False
    importlib.reload(shop.urls)
    clear_url_caches()


def test_files_under_review_are_not_served_from_media_even_with_debug(client, producer_a, debug_urls):
    name = producer_a.file_change.attachment.name
    assert name.startswith("vendors/changes/")
    assert client.get(settings.MEDIA_URL + name).status_code == 404
    # The public media are still served in DEBUG (so the 404 above is not an accident of the test).
    public = producer_a.image.original.name
    assert client.get(settings.MEDIA_URL + public).status_code == 200



def test_the_migrations_move_old_files_under_review_out_of_media_and_rename_hostile_ones(producer_a):
    """Rows written before the fix: a pending file in public media, an approved scan named .html."""
    from django.apps import apps

    media = Path(settings.MEDIA_ROOT)
    legacy = {
        "vendors/changes/2024/decision.html": polyglot_pdf(),
        "ocop/certificates/2024/decision.html": polyglot_pdf(),
        "vendors/logos/logo.html": gif_with_script(),
    }
    for name, data in legacy.items():
        (media / name).parent.mkdir(parents=True, exist_ok=True)
        (media / name).write_bytes(data)
    ChangeRequest.objects.filter(pk=producer_a.file_change.pk).update(
        attachment="vendors/changes/2024/decision.html"
    )
    OcopCertificate.objects.filter(pk=producer_a.certificate.pk).update(
        scan="ocop/certificates/2024/decision.html"
    )
    type(producer_a.vendor).objects.filter(pk=producer_a.vendor.pk).update(logo="vendors/logos/logo.html")
    good_photo = producer_a.image.original.name

    importlib.import_module("vendors.migrations.0007_private_change_files").make_private(apps, None)
    importlib.import_module("catalogue.migrations.0037_generated_upload_names").rename_unsafe_files(apps, None)

    change = ChangeRequest.objects.get(pk=producer_a.file_change.pk)
    assert re.fullmatch(rf"vendors/changes/2024/{GENERATED}\.pdf", change.attachment.name)
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / change.attachment.name).read_bytes() == legacy[
        "vendors/changes/2024/decision.html"
    ]
    scan = OcopCertificate.objects.get(pk=producer_a.certificate.pk).scan.name
    assert re.fullmatch(rf"ocop/certificates/2024/{GENERATED}\.pdf", scan)
    producer_a.vendor.refresh_from_db()
    assert re.fullmatch(rf"vendors/logos/{GENERATED}\.gif", producer_a.vendor.logo.name)
    assert not [name for name in _files_under(media) if name.endswith(".html")]
    producer_a.image.refresh_from_db()
    assert producer_a.image.original.name == good_photo  # a good old file keeps its address
