"""manage.py load_demo: complete, realistic, consistent with the rules, and idempotent."""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth import authenticate as django_authenticate
from django.contrib.auth import get_user_model
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from catalogue import certification
from shop.core import roles
from shop.demo import data
from shop.live import demo as live_demo
from shop.live import pricing
from shop.live.models import (
    Attribution,
    Click,
    Comment,
    CommissionEntry,
    Hold,
    Link,
    LiveOffer,
    LivePriceFloor,
    LiveSession,
    Seller,
)
from shop.payment import statuses
from shop.programme import demo as programme_demo
from shop.programme.models import CommuneOfficer, ProducerFacts
from showroom import inventory

pytestmark = pytest.mark.django_db

AdministrativeUnit = get_model("vendors", "AdministrativeUnit")
Vendor = get_model("vendors", "Vendor")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
OcopCertificate = get_model("catalogue", "OcopCertificate")
Location = get_model("showroom", "Location")
Stock = get_model("showroom", "Stock")
StockMove = get_model("showroom", "StockMove")
Register = get_model("pos", "Register")
Cashier = get_model("pos", "Cashier")
TillSale = get_model("pos", "TillSale")
TillSession = get_model("pos", "TillSession")
RevenueShare = get_model("vendors", "RevenueShare")
OrderLine = get_model("order", "Line")
Order = get_model("order", "Order")
User = get_user_model()

COUNTED = [
    Product, StockRecord, Partner, Vendor, Category, ProductImage, Location, Register, User,
    AdministrativeUnit, OcopCertificate, Stock, StockMove, Cashier, TillSale, TillSession,
    RevenueShare,
    # the livestream seller's sessions (shop.live.demo)
    Order, Seller, LiveSession, LiveOffer, LivePriceFloor, Link, Click, Comment, Hold,
    Attribution, CommissionEntry,
    # the programme's demo (shop.programme.demo)
    ProducerFacts, CommuneOfficer,
]


@pytest.fixture(autouse=True)
def _demo_settings(settings, tmp_path):
    """Photos go to a temporary folder; a fast hasher keeps the eight logins quick."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def load_demo(*args):
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def row_counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


def is_ean13(code):
    """An independent EAN-13 check: weights 1, 3, 1, 3 … over all 13 digits sum to 0 mod 10."""
    if not (len(code) == 13 and code.isascii() and code.isdigit()):
        return False
    return sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(code)) % 10 == 0


def authenticate(**credentials):
    """Sign in as a login page does: with a request (django-axes counts each sign-in by it)."""
    return django_authenticate(HttpRequest(), **credentials)


def printed_logins(output):
    """(username, email, password, role) rows of the logins table the command prints."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("username "))
    rows = []
    for line in lines[start + 2:]:
        cells = re.split(r"\s{2,}", line.strip())
        if len(cells) < 5:
            break
        rows.append(tuple(cells[:4]))
    return rows


def test_a_second_run_adds_and_changes_nothing(settings):
    first = load_demo()
    counts = row_counts()
    files = sorted(p.name for p in Path(settings.MEDIA_ROOT).rglob("*.jpg"))
    assert counts["Product"] >= 32 and counts["ProductImage"] == counts["Product"]

    second = load_demo()

    assert row_counts() == counts
    assert sorted(p.name for p in Path(settings.MEDIA_ROOT).rglob("*.jpg")) == files
    assert set(re.findall(r"\((\d+) new\)", second)) == {"0"}
    assert set(re.findall(r"\((\d+) new\)", first)) != {"0"} and "Demo data ready" in second
    assert printed_logins(first) == printed_logins(second)


def test_the_demo_is_complete_and_follows_the_rules(client):
    load_demo("--quiet")

    # Producers: at least eight, every subject type, at least half cooperatives.
    vendors = list(Vendor.objects.select_related("partner", "commune"))
    types = [v.subject_type for v in vendors]
    assert len(vendors) >= 8
    assert set(types) == set(Vendor.SubjectType.values)
    assert types.count(Vendor.SubjectType.COOPERATIVE) * 2 >= len(vendors)
    assert len({v.commune_id for v in vendors}) >= 6
    for vendor in vendors:
        vendor.full_clean()  # tax code, bank account and the rest pass the model's checks
        assert re.fullmatch(r"02603\d{6}|09\d{8}", vendor.phone)

    # Products: 30+, every OCOP group but the gift combos has some, standalone and public.
    # Single OCOP products; gift combos and their packaging are checked in tests/combos.
    products = list(
        Product.objects.select_related("producer", "product_class").exclude(
            product_class__slug__in=["gift-combo", "gift-packaging"]
        )
    )
    assert len(products) >= 30
    for group in Category.objects.filter(depth=1):
        in_group = Product.objects.filter(
            categories__path__startswith=group.path
        ).distinct().count()
        if group.name == data.COMBOS:
            continue
        assert in_group, f"no product in {group.name}"
    assert {g.name for g in Category.objects.filter(depth=1)} == set(data.OCOP_GROUPS) | {
        data.COMBOS
    }
    assert not any(Category.find_problems())
    for product in products:
        assert product.is_public and product.structure == Product.STANDALONE
        assert product.producer_id and product.origin_unit_id
        assert is_ean13(product.upc), product.upc
        assert product.upc[:3] == "893" or product.upc[0] == "2"
        assert product.categories.count() == 1
    gs1 = sum(p.upc.startswith("893") for p in products)
    assert 0.35 <= gs1 / len(products) <= 0.65
    rated = [p.ocop_stars for p in products if p.ocop_stars is not None]
    assert set(rated) <= {3, 4, 5} and len(rated) > len(products) / 2
    assert len(rated) < len(products)  # a few are not rated yet
    assert Product.objects.filter(title__contains="Sâm Ngọc Linh").exists()
    tourism = Product.objects.filter(product_class__slug=data.TOURISM_SERVICE)
    assert tourism.exists() and not tourism.first().product_class.track_stock

    # Stars come from the certificate registry and agree with it.
    assert certification.refresh_all_stars() == []
    for certificate in OcopCertificate.objects.all():
        certificate.full_clean()

    # One offer per product from its producer, in whole đồng; one photo each; stock received.
    offers = StockRecord.objects.filter(product__in=products).select_related(
        "product__producer", "product__product_class")
    for offer in offers:
        assert offer.partner_id == offer.product.producer.partner_id
        assert offer.price_currency == "VND"
        assert offer.price == offer.price.to_integral_value()
        assert 45_000 <= offer.price <= 1_500_000
        if offer.product.product_class.slug == data.TOURISM_SERVICE:
            assert not offer.num_in_stock  # places on departures, not stock (shop.experiences)
            continue
        assert offer.num_in_stock and offer.num_in_stock > 0
    assert offers.count() == len(products)
    assert set(
        ProductImage.objects.filter(product__in=products).values_list("product_id", flat=True)
    ) == {p.pk for p in products}
    assert not Product.objects.filter(images__isnull=True).exists()  # combos have photos too
    assert not inventory.check_invariants()  # the livestream demo's orders and holds included

    # Places: the 2025 reform as data; three sales points with a till each.
    units = AdministrativeUnit.objects.in_bulk(field_name="code")
    new_commune = units["dak-ha"]
    assert {u.code for u in new_commune.replaces.all()} == {"dak-ha-town", "ha-mon", "dak-la"}
    assert units["kon-tum"].replaced_by.code == "quang-ngai"
    assert units["dak-ha-town"].kind == AdministrativeUnit.Kind.TOWN
    assert units["dak-ha-district"].children.count() == 11
    locations = {loc.code: loc for loc in Location.objects.all()}
    assert [locations[c].priority for c in ("showcase", "dak-mar", "ngok-wang")] == [1, 2, 3]
    assert locations["showcase"].kind == Location.Kind.SHOWCASE
    assert locations["showcase"].commune.code == "dak-ha-town"
    assert sorted(Register.objects.values_list("code", flat=True)) == [
        "dak-mar-1", "ngok-wang-1", "showcase-1",
    ]

    # The storefront shows it.
    sam = Product.objects.get(title__contains="Sâm Ngọc Linh")
    coffee = Category.objects.get(name=data.COFFEE)
    for url in ("/", sam.get_absolute_url(), coffee.get_absolute_url()):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Sâm Ngọc Linh" in client.get(sam.get_absolute_url()).content.decode()

    # Weeks of till sales for the reports: every till, combos among them, sessions closed,
    # no shelf below zero, every line's shares summing to what was paid for it.
    sales = TillSale.objects.all()
    assert sales.count() >= 100
    assert set(sales.values_list("register__code", flat=True)) == {
        "dak-mar-1", "ngok-wang-1", "showcase-1",
    }
    assert not TillSession.objects.filter(status=TillSession.Status.OPEN).exists()
    assert not Stock.objects.filter(quantity__lt=0).exists()
    assert RevenueShare.objects.exclude(combo_title="").exists()
    for line in OrderLine.objects.prefetch_related("revenue_shares"):
        assert sum(s.amount for s in line.revenue_shares.all()) == line.line_price_incl_tax

    check_the_live_demo(client)
    check_the_programme_demo(client)


def check_the_programme_demo(client):
    """Every demo producer has programme facts, most confirmed by the office; Đăk Mar's officer."""
    vendors = list(Vendor.objects.select_related("partner"))
    facts = {f.vendor_id: f for f in ProducerFacts.objects.select_related("confirmed_by")}
    assert set(facts) == {v.pk for v in vendors}
    confirmed = [f for f in facts.values() if f.confirmed_at]
    assert len(confirmed) * 2 > len(facts) and len(confirmed) < len(facts)
    for row in facts.values():
        row.full_clean()
        assert 0 <= row.trained_workers <= row.workers and row.workers > 0
        assert row.raw_material_area_code == row.raw_material_area_code.strip()
        assert (row.confirmed_by is None) == (row.confirmed_at is None)
        if row.confirmed_at:
            assert row.confirmed_by.username == "office" and row.confirmed_at < timezone.now()
    # some, not all, have a closed value chain, and each of those its raw-material area
    chains = [f for f in facts.values() if f.closed_value_chain]
    assert 0 < len(chains) < len(facts) and all(f.raw_material_area_code for f in chains)
    assert any(f.modern_channels for f in facts.values())

    officer = CommuneOfficer.objects.select_related("user", "commune").get()
    assert officer.user.username == "commune_dakmar" and officer.commune.code == "dak-mar"
    assert officer.user.groups.filter(name=roles.COMMUNE_OFFICER).exists()
    assert not officer.user.is_staff

    # the office sees them all on its page; the producer its own in its corner
    client.force_login(User.objects.get(username="office"))
    page = client.get(reverse("programme:producers"))
    assert page.status_code == 200 and "chưa xác nhận" in page.content.decode()
    client.logout()
    assert programme_demo.load_demo_programme() == 0  # again: nothing new


def check_the_live_demo(client):
    """live_seller: a finished session yesterday evening with figures, and a scheduled one."""
    seller = Seller.objects.get(user__username="live_seller")
    assert seller.commission_rate == 8 and seller.bank_account and seller.is_active
    finished = LiveSession.objects.get(seller=seller, status=LiveSession.Status.ENDED)
    scheduled = LiveSession.objects.get(seller=seller, status=LiveSession.Status.SCHEDULED)
    assert scheduled.scheduled_start > timezone.now() and scheduled.offers.count() == 2

    # a real timeline: yesterday evening, Vietnam time; the clicks spread over its minutes
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    started, ended = timezone.localtime(finished.started_at), timezone.localtime(finished.ended_at)
    assert started.date() == yesterday and 19 <= started.hour and ended > started
    clicks = Click.objects.filter(session=finished)
    minutes = {timezone.localtime(c.at).replace(second=0, microsecond=0) for c in clicks}
    assert len(minutes) >= 30
    assert all(started - datetime.timedelta(minutes=1) <= c.at <= ended + datetime.timedelta(
        minutes=30) for c in clicks)
    assert sum(Link.objects.filter(session=finished).values_list("clicks", flat=True)) == (
        clicks.count()
    )

    # what was featured: a gift combo and certified products, live prices the rules allow
    offers = list(finished.offers.select_related("product__product_class"))
    assert inventory.COMBO_CLASS_SLUG in {o.product.product_class.slug for o in offers}
    assert len(offers) == 3
    for offer in offers + list(scheduled.offers.all()):
        record = offer.product.stockrecords.get()
        pricing.check_live_price(offer.live_price, record)  # below list, not below the floor
        assert record.live_price_floor.min_price <= offer.live_price < record.price
        assert offer.cap and offer.sold <= offer.cap
    assert sum(o.sold for o in offers) > 0

    # comment orders: confirmed into orders, one expired, one cancelled, one unreadable
    assert sorted(finished.holds.values_list("status", flat=True)) == [
        "cancelled", "confirmed", "confirmed", "expired",
    ]
    assert all(h.order_id for h in finished.holds.filter(status="confirmed"))
    outcomes = set(finished.comments.values_list("outcome", flat=True))
    assert {"hold", "unreadable", "duplicate"} <= outcomes

    # attributed orders at the live price, placed during the session
    attributions = Attribution.objects.filter(session=finished).select_related("line__order", "offer")
    orders = {a.line.order for a in attributions}
    assert len(orders) >= 6
    for row in attributions:
        assert row.seller_id == seller.pk
        assert row.offer is not None and row.line.unit_price_incl_tax == row.offer.live_price
        assert started <= row.line.order.date_placed <= ended
    order_statuses = {o.status for o in orders}
    assert statuses.CANCELLED in order_statuses and statuses.SHIPPED in order_statuses

    # commission: 8 % of what the buyer paid for each earned line, none for the cancelled one
    entries = CommissionEntry.objects.filter(session=finished)
    assert entries.exists() and all(started <= e.created_at for e in entries)
    earned = [a for a in attributions if a.line.order.status in (
        statuses.SHIPPED, statuses.COLLECTED) or a.line.order.ocop_payment.amount_paid]
    assert earned and len(earned) < len(attributions)
    expected = sum(round(a.line.line_price_incl_tax * 8 / 100) for a in earned)
    orders_count, click_count, commission = live_demo.figures(finished)
    assert (orders_count, click_count) == (len(orders), clicks.count())
    assert commission == expected > 0
    assert not entries.filter(attribution__line__order__status=statuses.CANCELLED).exists()

    # the seller's pages show it
    client.force_login(seller.user)
    for name in ("live:session", "live:session-report"):
        response = client.get(reverse(name, kwargs={"pk": finished.pk}))
        assert response.status_code == 200, name
    assert finished.title in client.get(reverse("live:home")).content.decode()
    client.logout()


def test_every_role_logs_in_with_the_printed_password():
    output = load_demo()
    logins = printed_logins(output)
    assert {row[0] for row in logins} == {
        "admin", "office", "cashier_showcase", "cashier_dakmar", "cashier_ngokwang",
        "producer_dakmar", "producer_cafe", "producer_ngokreo", "live_seller", "commune_dakmar",
        "manager_showcase", "manager_dakmar", "manager_ngokwang",
    }
    for username, email, password, _role in logins:
        assert authenticate(username=username, password=password) is not None, username
        assert authenticate(email=email, password=password) is not None, email  # Oscar's login

    users = User.objects.in_bulk(field_name="username")
    assert users["admin"].is_superuser
    assert users["office"].is_staff
    assert users["office"].groups.filter(name=roles.DISTRICT_OFFICE).exists()
    for username, location in [("cashier_showcase", "showcase"), ("cashier_dakmar", "dak-mar"),
                               ("cashier_ngokwang", "ngok-wang")]:
        assert Cashier.objects.get(user=users[username]).location.code == location
        assert users[username].groups.filter(name=roles.CASHIER).exists()
    for username in ("producer_dakmar", "producer_cafe", "producer_ngokreo"):
        user = users[username]
        assert not user.is_staff
        assert user.groups.filter(name=roles.PRODUCER).exists()
        assert Partner.objects.filter(users=user, vendor__isnull=False).count() == 1
    assert users["live_seller"].groups.filter(name=roles.LIVESTREAM_SELLER).exists()

    # A password changed by hand survives a re-run; --reset-passwords puts it back.
    office = users["office"]
    office.set_password("doi-mat-khau")
    office.save()
    load_demo("--quiet")
    assert authenticate(username="office", password="doi-mat-khau") is not None
    manager = users["manager_dakmar"]
    manager.set_password("doi-mat-khau")
    manager.save()
    load_demo("--quiet", "--reset-passwords")
    assert authenticate(username="office", password="PhongNN@2025") is not None
    assert authenticate(username="manager_dakmar", password="QuanLy@2025") is not None

    site = Site.objects.get(pk=1)
    assert (site.domain, site.name) == ("127.0.0.1:8000", "OCOP Đăk Hà")
