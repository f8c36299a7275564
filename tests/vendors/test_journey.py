"""Done means: a producer logs in, edits a price and adds a photo; the office approves;
the shopper sees it; the producer cannot reach the other producer's anything."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from oscar.templatetags.currency_filters import currency

from tests.vendors.conftest import PASSWORD, jpeg_upload, snapshot
from vendors.models import ChangeRequest

pytestmark = pytest.mark.django_db


def _vnd(amount):
    with translation.override("vi"):
        return currency(amount, "VND")


def test_price_and_photo_from_producer_to_shopper(producer_a, producer_b, office):
    product = producer_a.product
    shopper = Client()
    images_before = product.images.count()

    farmer = Client()
    assert farmer.login(username=producer_a.user.username, password=PASSWORD)
    edit_url = reverse("vendors:product-edit", args=[product.pk])
    form = farmer.get(edit_url).context["form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    data["price"] = "168.000"
    assert farmer.post(edit_url, data).status_code == 302
    photo_url = reverse("vendors:photo-add", args=[product.pk])
    assert farmer.post(photo_url, {"original": jpeg_upload("goi-moi.jpg")}).status_code == 302

    # Before approval the shopper still sees the old price and gallery.
    page = shopper.get(product.get_absolute_url()).content.decode()
    assert _vnd(168000) not in page and product.images.count() == images_before

    officer = Client()
    officer.force_login(office)
    queue = officer.get(reverse("vendors:review-queue")).content.decode()
    assert "168000" in queue
    for change in ChangeRequest.objects.filter(product=product, status="pending").exclude(
        pk__in=[producer_a.change.pk, producer_a.file_change.pk]
    ):
        response = officer.post(reverse("vendors:review", args=[change.pk]), {"decision": "approve"})
        assert response.status_code == 302

    page = shopper.get(product.get_absolute_url()).content.decode()
    assert _vnd(168000) in page
    assert product.images.count() == images_before + 1
    newest = product.images.order_by("-display_order").first()
    # Published under a name the shop made, with the bytes the producer sent.
    assert "goi-moi" not in newest.original.name and newest.original.name.endswith(".jpg")
    with newest.original.open("rb") as stored:
        assert stored.read() == jpeg_upload("goi-moi.jpg").read()

    # And nothing of producer B is reachable.
    before = snapshot(producer_b)
    for url in (
        reverse("vendors:product", args=[producer_b.product.pk]),
        reverse("vendors:product-edit", args=[producer_b.product.pk]),
        reverse("vendors:photo-add", args=[producer_b.product.pk]),
        reverse("vendors-api:product-detail", args=[producer_b.product.pk]),
    ):
        assert farmer.get(url).status_code == 404
    assert farmer.post(reverse("vendors:product-edit", args=[producer_b.product.pk]), data).status_code == 404
    assert snapshot(producer_b) == before
