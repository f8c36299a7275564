"""Two producers with everything a producer owns, a customer and the district office."""

import io
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from oscar.core.loading import get_model
from PIL import Image

from catalogue import combos
from shop.core.roles import DISTRICT_OFFICE, ensure_role_groups
from showroom.models import Stock
from tests.factories import jpeg_bytes, make_batch, make_certificate, make_vendor
from tests.showroom.factories import make_offer, order_for, three_locations
from vendors import combo_proposals, moderation
from vendors.access import grant_producer_access
from vendors.models import ChangeRequest

User = get_user_model()
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
OcopCertificate = get_model("catalogue", "OcopCertificate")
Batch = get_model("catalogue", "Batch")
StockRecord = get_model("partner", "StockRecord")
Line = get_model("order", "Line")

PASSWORD = "mat-khau-rat-dai-123"


def make_user(username, **kwargs):
    return User.objects.create_user(
        username=username, email=f"{username}@example.vn", password=PASSWORD, **kwargs
    )


def jpeg_upload(name="anh.jpg", size=(64, 64)):
    return SimpleUploadedFile(name, jpeg_bytes(size), content_type="image/jpeg")


def pdf_bytes():
    """A real one-page PDF (a scan must open as a PDF, not just start like one)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def pdf_upload(name="quyet-dinh.pdf"):
    return SimpleUploadedFile(name, pdf_bytes(), "application/pdf")


def not_an_image():
    return SimpleUploadedFile("anh.jpg", "Đây là văn bản, không phải ảnh.".encode(), "image/jpeg")


def renamed_executable():
    # An ELF/PE header saved under a picture's name and content type.
    return SimpleUploadedFile("anh.png", b"MZ\x90\x00\x03" + b"\x00" * 2000, "image/png")


def huge_image():
    """A small file that decodes into 36 million pixels (over the 25 million limit)."""
    buffer = io.BytesIO()
    Image.new("1", (6000, 6000)).save(buffer, "PNG")
    return SimpleUploadedFile("to.png", buffer.getvalue(), "image/png")


def huge_file():
    """Over 5 MB of bytes (a JPEG header followed by padding)."""
    return SimpleUploadedFile("lon.jpg", jpeg_bytes() + b"\x00" * (5 * 1024 * 1024 + 10), "image/jpeg")


@dataclass
class Producer:
    vendor: object
    user: object
    product: object
    hidden_product: object
    stockrecord: object
    image: object
    certificate: object
    batch: object
    stock: object
    line: object
    change: object
    file_change: object
    combo: object
    hidden_combo: object
    extra: dict = field(default_factory=dict)
    share: object = None  # the revenue share of ``line``


def make_producer(name, username, locations):
    vendor = make_vendor(name=name)
    user = make_user(username)
    grant_producer_access(user, vendor)
    stockrecord = make_offer(
        title=f"Cà phê {name}", vendor=vendor, stock={locations[0]: 7, locations[1]: 3}
    )
    product = stockrecord.product
    image = ProductImage(product=product, display_order=0)
    image.original.save("p.jpg", SimpleUploadedFile("p.jpg", jpeg_bytes()), save=True)
    certificate = make_certificate(product, stars=4)
    batch = make_batch(product)
    stock = Stock.objects.get(stockrecord=stockrecord, location=locations[0])
    order = order_for([(stockrecord, 1)])
    line = order.lines.get()
    change = moderation.propose_update(product, user, {"price": "199000"})
    file_change = moderation.propose_photo(product, user, jpeg_upload())
    hidden = moderation.propose_new_product(
        vendor, user, {"title": f"Mật ong {name}", "price": "90000"}
    ).product
    combo = make_producer_combo(vendor, [(stockrecord, 2)], title=f"Combo quà {name}")
    hidden_combo = combo_proposals.propose_new_combo(
        vendor, user, {"title": f"Combo chờ duyệt {name}", "price": "280000"},
        [(stockrecord, 1)],
    ).product
    return Producer(
        vendor=vendor, user=user, product=product, hidden_product=hidden,
        stockrecord=stockrecord, image=image, certificate=certificate, batch=batch,
        stock=stock, line=line, change=change, file_change=file_change, combo=combo,
        hidden_combo=hidden_combo, share=line.revenue_shares.get(),
    )


def make_producer_combo(vendor, items, title="Combo quà Đăk Hà", price="250000", **kwargs):
    """A combo of ``vendor`` on sale (as if approved): sold by its Partner, producer = vendor."""
    combo = combos.create_combo(
        title=title, price=Decimal(price), items=items, seller=vendor.partner, **kwargs
    )
    combo.producer = vendor
    combo.save()
    return combo


@pytest.fixture
def locations(db):
    return three_locations()


@pytest.fixture
def producer_a(locations):
    return make_producer("HTX Đăk Mar", "htx-dak-mar", locations)


@pytest.fixture
def producer_b(locations):
    return make_producer("HTX Ngọk Wang", "htx-ngok-wang", locations)


@pytest.fixture
def office(db):
    groups = ensure_role_groups()
    user = make_user("phong-nong-nghiep", is_staff=True)
    user.groups.add(groups[DISTRICT_OFFICE])
    return user


@pytest.fixture
def customer(db):
    return make_user("khach-hang")


def snapshot(producer):
    """Everything of ``producer`` that a refused request must leave untouched."""
    vendor = producer.vendor

    def rows(queryset):
        return sorted(tuple(sorted(row.items())) for row in queryset.values())

    return {
        "products": rows(Product.objects.filter(producer=vendor)),
        "stockrecords": rows(StockRecord.objects.filter(partner=vendor.partner)),
        "images": rows(ProductImage.objects.filter(product__producer=vendor)),
        "certificates": rows(OcopCertificate.objects.filter(product__producer=vendor)),
        "batches": rows(Batch.objects.filter(product__producer=vendor)),
        "stock": rows(Stock.objects.filter(stockrecord__partner=vendor.partner)),
        "lines": rows(Line.objects.filter(partner=vendor.partner)),
        "changes": rows(ChangeRequest.objects.filter(product__producer=vendor)),
        "vendor": rows(type(vendor).objects.filter(pk=vendor.pk)),
    }


def login(client, user):
    client.force_login(user)
    return client
