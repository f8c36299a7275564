"""Catalogue feeds for Meta (CSV, XML) and Google Merchant (XML), validated against their fields."""

from __future__ import annotations

import csv
import datetime
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from catalogue import barcodes
from shop.live import attribution, sessions
from shop.live.models import Link, LiveOffer
from tests.combos.factories import make_combo
from tests.factories import ProductImage, jpeg_bytes, make_category, make_certificate
from tests.live.factories import certified_offer, make_seller, make_session
from tests.showroom.factories import order_for

pytestmark = pytest.mark.django_db

G = "{http://base.google.com/ns/1.0}"
PRICE = re.compile(r"^\d+ VND$")
INTERVAL = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}[+-]\d{4}/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}[+-]\d{4}$"
)
PHONE = "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 Chrome/124.0 Mobile"

# What the specifications require of every item (Meta's catalogue fields; Google's product data).
META_REQUIRED = (
    "id", "title", "description", "availability", "condition", "price", "link", "image_link",
    "brand",
)
GOOGLE_REQUIRED_G = ("id", "image_link", "availability", "price", "condition", "brand")
GOOGLE_REQUIRED_PLAIN = ("title", "description", "link")


def with_photo(product, count=1):
    for i in range(count):
        image = ProductImage(product=product, display_order=i)
        image.original.save(f"feed-{product.pk}-{i}.jpg", ContentFile(jpeg_bytes()), save=True)
    return product


def listed(title=None, price=150000, stock=10, photos=1, **kwargs):
    """A certified, listed product with a photo: ``(product, stockrecord)``."""
    record = certified_offer(title=title, price=price, stock=stock, **kwargs)
    with_photo(record.product, photos)
    return record.product, record


# --- Reading the feeds as a marketplace would --------------------------------------------------


def get(client, name, **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200, response.content[:300]
    return response


def meta_csv_rows(client, **params):
    response = get(client, "feed-meta-csv", **params)
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    return {row["id"]: row for row in csv.DictReader(io.StringIO(text))}


def rss_channel(response):
    root = ET.fromstring(response.content)
    assert root.tag == "rss" and root.get("version") == "2.0"
    channel = root.find("channel")
    for name in ("title", "link", "description"):
        assert (channel.findtext(name) or "").strip(), name
    return channel


def meta_xml_items(client, **params):
    response = get(client, "feed-meta-xml", **params)
    channel = rss_channel(response)
    items = {}
    for node in channel.findall("item"):
        fields = {}
        for child in node:
            assert child.tag.startswith(G), child.tag
            name = child.tag[len(G):]
            if name == "additional_image_link":
                fields.setdefault(name, []).append(child.text)
            else:
                fields[name] = child.text
        items[fields["id"]] = fields
    return items


def google_items(client, **params):
    response = get(client, "feed-google", **params)
    assert b'xmlns:g="http://base.google.com/ns/1.0"' in response.content
    channel = rss_channel(response)
    items = {}
    for node in channel.findall("item"):
        fields = {}
        for child in node:
            name = child.tag.replace(G, "g:")
            fields.setdefault(name, []).append(child.text)
        items[fields["g:id"][0]] = {k: v[0] if len(v) == 1 else v for k, v in fields.items()}
    return items


def assert_meta_item(row):
    for name in META_REQUIRED:
        assert (row.get(name) or "").strip(), f"{name} missing in {row}"
    assert row["availability"] in ("in stock", "out of stock")
    assert row["condition"] == "new"
    assert PRICE.match(row["price"])
    assert row["link"].startswith("http") and row["image_link"].startswith("http")
    assert len(row["title"]) <= 150 and len(row["description"]) <= 5000
    if row.get("sale_price"):
        assert PRICE.match(row["sale_price"])
        assert INTERVAL.match(row["sale_price_effective_date"])
    if row.get("quantity_to_sell_on_facebook"):
        assert row["quantity_to_sell_on_facebook"].isdigit()


def assert_google_item(item):
    for name in GOOGLE_REQUIRED_G:
        assert (item.get(f"g:{name}") or "").strip(), f"g:{name} missing in {item}"
    for name in GOOGLE_REQUIRED_PLAIN:
        assert (item.get(name) or "").strip(), f"{name} missing in {item}"
    assert item["g:availability"] in ("in_stock", "out_of_stock")
    assert item["g:condition"] == "new"
    assert PRICE.match(item["g:price"])
    assert item["link"].startswith("http") and item["g:image_link"].startswith("http")
    assert item.get("g:gtin") or item.get("g:identifier_exists") == "no"
    assert len(item["title"]) <= 150 and len(item["description"]) <= 5000
    if "g:sale_price" in item:
        assert PRICE.match(item["g:sale_price"])
        assert INTERVAL.match(item["g:sale_price_effective_date"])


# --- The catalogue ---------------------------------------------------------------------------------


@pytest.fixture
def catalogue():
    group = make_category("Thực phẩm")
    coffee = make_category("Cà phê", parent=group)
    gtin = barcodes.with_check_digit("893604512345")
    product, record = listed(
        "Cà phê Robusta <Đăk Hà> & mật ong", price=150000, stock=7, photos=3, upc=gtin,
        category=coffee,
        description="<p>Cà phê <b>Robusta</b> &amp; mật ong\x0b rang mộc.</p>\n<ul><li>500 g</li></ul>",
    )
    plain, plain_record = listed("Sâm dây Ngọc Linh", price=320000, stock=0)
    hidden, _ = listed("Mật ong rừng chưa duyệt", is_public=False)
    lapsed, _ = listed("Tiêu đen hết hạn chứng nhận")
    lapsed.ocop_certificates.all().delete()
    make_certificate(lapsed, decision_date=timezone.localdate() - datetime.timedelta(days=4 * 365))
    no_photo = certified_offer("Măng khô chưa có ảnh").product
    combo = make_combo([(record, 1), (plain_record, 1)], price=400000, title="Combo quà Đăk Hà")
    return {
        "product": product, "record": record, "plain": plain, "hidden": hidden,
        "lapsed": lapsed, "no_photo": no_photo, "combo": combo, "gtin": gtin,
    }


def test_every_item_has_every_field_the_specifications_require(client, catalogue):
    rows = meta_csv_rows(client)
    xml_items = meta_xml_items(client)
    google = google_items(client)
    assert rows and set(rows) == set(xml_items) == set(google)
    for row in rows.values():
        assert_meta_item(row)
    for item in xml_items.values():
        assert_meta_item(item)
    for item in google.values():
        assert_google_item(item)


def test_listed_certified_products_and_combos_in_hidden_lapsed_and_photoless_out(client, catalogue):
    expected = {str(catalogue[k].pk) for k in ("product", "plain", "combo")}
    for ids in (meta_csv_rows(client), meta_xml_items(client), google_items(client)):
        assert set(ids) == expected
    for key in ("hidden", "lapsed", "no_photo"):
        assert str(catalogue[key].pk) not in set(meta_csv_rows(client))


def test_a_combo_with_a_lapsed_component_leaves_the_feed(client, catalogue):
    certificate = catalogue["plain"].ocop_certificates.get()
    certificate.revoked_on = timezone.localdate() - datetime.timedelta(days=1)
    certificate.save()
    ids = set(google_items(client))
    assert str(catalogue["combo"].pk) not in ids
    assert str(catalogue["plain"].pk) not in ids
    assert str(catalogue["product"].pk) in ids


def test_fields_carry_the_product_its_producer_and_its_stars(client, catalogue):
    product, combo = catalogue["product"], catalogue["combo"]
    row = meta_csv_rows(client)[str(product.pk)]
    assert row["title"] == "Cà phê Robusta <Đăk Hà> & mật ong"
    assert row["description"] == "Cà phê Robusta & mật ong rang mộc. 500 g"
    assert row["price"] == "150000 VND"
    assert row["brand"] == product.producer.name
    assert row["gtin"] == catalogue["gtin"]
    assert row["custom_label_0"] == "OCOP 4 sao"
    assert row["product_type"] == "Thực phẩm > Cà phê"
    assert row["link"] == "http://testserver" + product.get_absolute_url()
    assert row["image_link"].startswith("http://testserver/media/")
    assert len(row["additional_image_link"].split(",")) == 2
    assert row["sale_price"] == "" and row["sale_price_effective_date"] == ""

    google = google_items(client)
    item = google[str(product.pk)]
    assert item["g:gtin"] == catalogue["gtin"] and "g:identifier_exists" not in item
    assert len(item["g:additional_image_link"]) == 2
    assert item["g:custom_label_0"] == "OCOP 4 sao"
    # the factory's 12-digit in-store code is no GTIN; a combo's own code is an in-store one
    assert google[str(catalogue["plain"].pk)]["g:identifier_exists"] == "no"
    combo_item = google[str(combo.pk)]
    assert combo_item["g:identifier_exists"] == "no" and "g:gtin" not in combo_item
    assert combo_item["g:brand"] == "OCOP Đăk Hà"
    assert combo_item["g:price"] == "400000 VND"
    assert combo_item["g:image_link"].startswith("http://testserver/media/")  # a part's photo


def test_stock_comes_from_the_one_inventory(client, catalogue):
    record = catalogue["record"]
    rows = meta_csv_rows(client)
    assert rows[str(catalogue["product"].pk)]["quantity_to_sell_on_facebook"] == "7"
    assert rows[str(catalogue["product"].pk)]["availability"] == "in stock"
    plain = rows[str(catalogue["plain"].pk)]
    assert (plain["availability"], plain["quantity_to_sell_on_facebook"]) == ("out of stock", "0")
    combo = rows[str(catalogue["combo"].pk)]  # a part has no stock: neither has the combo
    assert (combo["availability"], combo["quantity_to_sell_on_facebook"]) == ("out of stock", "0")
    assert google_items(client)[str(catalogue["plain"].pk)]["g:availability"] == "out_of_stock"

    order_for([(record, 2)])  # an order allocates 2 of the 7
    rows = meta_csv_rows(client)
    assert rows[str(catalogue["product"].pk)]["quantity_to_sell_on_facebook"] == "5"


def test_long_titles_and_descriptions_are_cut(client):
    product, _ = listed("Cà phê " + "rất ngon " * 20, description="<p>" + "Đậm đà. " * 1000 + "</p>")
    row = meta_csv_rows(client)[str(product.pk)]
    assert len(row["title"]) == 150 and row["title"].endswith("…")
    assert len(row["description"]) == 5000


def test_feeds_are_cached_briefly_and_utf8(client, catalogue):
    for name in ("feed-meta-csv", "feed-meta-xml", "feed-google"):
        response = get(client, name)
        assert "max-age=300" in response["Cache-Control"]
        assert "charset=utf-8" in response["Content-Type"]
        assert "Robusta" in response.content.decode("utf-8")
    assert client.post(reverse("feed-google")).status_code == 405


# --- A seller's feed: links that carry the attribution, live prices ---------------------------


def test_a_sellers_feed_links_are_their_short_links_and_following_one_attributes(client, catalogue):
    seller = make_seller("Hà Live")
    product = catalogue["product"]
    rows = meta_csv_rows(client, seller=seller.pk)
    link = Link.objects.get(seller=seller, product=product, session=None)
    expected = "http://testserver" + reverse("live-link", kwargs={"code": link.code})
    assert rows[str(product.pk)]["link"] == expected
    assert google_items(client, seller=seller.pk)[str(product.pk)]["link"] == expected
    assert Link.objects.filter(seller=seller).count() == 3  # made once, not again
    meta_csv_rows(client, seller=seller.pk)
    assert Link.objects.filter(seller=seller).count() == 3

    response = client.get(expected.removeprefix("http://testserver"), HTTP_USER_AGENT=PHONE)
    assert response.status_code == 302 and response["Location"] == product.get_absolute_url()
    request = RequestFactory().get("/")
    request.COOKIES[attribution.COOKIE] = client.cookies[attribution.COOKIE].value
    visit = attribution.from_request(request)
    assert (visit.seller_id, visit.link_id, visit.session_id) == (seller.pk, link.pk, None)


def test_unknown_or_inactive_sellers_get_a_clear_404(client, catalogue):
    inactive = make_seller(is_active=False)
    for value in ("999999", "abc", str(inactive.pk)):
        response = client.get(reverse("feed-google"), {"seller": value})
        assert response.status_code == 404
        assert "Không có người bán nào đang hoạt động" in response.content.decode()
        assert value in response.content.decode()


def test_a_producer_who_sells_gets_only_their_own_products(client, catalogue):
    own = catalogue["product"]
    producer_seller = make_seller(partner=own.producer.partner)
    ids = set(google_items(client, seller=producer_seller.pk))
    assert ids == {str(own.pk)}


@pytest.fixture
def seller_live(catalogue):
    seller = make_seller("Hà Live")
    session = make_session(seller)
    sessions.feature(session, catalogue["product"], "CF1", live_price=120000, cap=5)
    session = sessions.start(session)
    return seller, session


def test_sale_price_only_on_the_sellers_feed_while_the_session_is_live(client, catalogue, seller_live):
    seller, session = seller_live
    product = catalogue["product"]
    row = meta_csv_rows(client, seller=seller.pk)[str(product.pk)]
    assert_meta_item(row)
    assert row["sale_price"] == "120000 VND" and row["price"] == "150000 VND"
    start, end = row["sale_price_effective_date"].split("/")
    assert datetime.datetime.strptime(start, "%Y-%m-%dT%H:%M%z") <= timezone.now()
    assert datetime.datetime.strptime(end, "%Y-%m-%dT%H:%M%z") > timezone.now()
    link = Link.objects.get(seller=seller, product=product, session=session)
    assert row["link"].endswith(reverse("live-link", kwargs={"code": link.code}))
    item = google_items(client, seller=seller.pk)[str(product.pk)]
    assert item["g:sale_price"] == "120000 VND"
    assert item["g:sale_price_effective_date"] == row["sale_price_effective_date"]
    assert meta_xml_items(client, seller=seller.pk)[str(product.pk)]["sale_price"] == "120000 VND"
    # others are not in the session: no sale price
    assert meta_csv_rows(client, seller=seller.pk)[str(catalogue["plain"].pk)]["sale_price"] == ""

    # the following buyer's attribution names the session, so the live price applies
    client.get(reverse("live-link", kwargs={"code": link.code}), HTTP_USER_AGENT=PHONE)
    request = RequestFactory().get("/")
    request.COOKIES[attribution.COOKIE] = client.cookies[attribution.COOKIE].value
    assert attribution.from_request(request).session_id == session.pk

    # not on the shop's own feed, nor on another seller's
    assert "g:sale_price" not in google_items(client)[str(product.pk)]
    other = make_seller()
    assert "g:sale_price" not in google_items(client, seller=other.pk)[str(product.pk)]


def test_no_sale_price_once_the_session_ends_or_the_cap_is_used_up(client, catalogue, seller_live):
    seller, session = seller_live
    product = catalogue["product"]
    LiveOffer.objects.filter(session=session).update(sold=5)
    assert "g:sale_price" not in google_items(client, seller=seller.pk)[str(product.pk)]
    LiveOffer.objects.filter(session=session).update(sold=4)
    assert google_items(client, seller=seller.pk)[str(product.pk)]["g:sale_price"] == "120000 VND"
    sessions.end(session)
    item = google_items(client, seller=seller.pk)[str(product.pk)]
    assert "g:sale_price" not in item
    link = Link.objects.get(seller=seller, product=product, session=None)
    assert item["link"].endswith(reverse("live-link", kwargs={"code": link.code}))


def test_a_scheduled_session_announces_its_window_until_its_start_passes(client, catalogue):
    seller = make_seller()
    product = catalogue["product"]
    start = timezone.now() + datetime.timedelta(days=2)
    later = make_session(seller, start_in=datetime.timedelta(days=2), hours=3)
    sessions.feature(later, product, "CF1", live_price=125000)
    item = google_items(client, seller=seller.pk)[str(product.pk)]
    assert item["g:sale_price"] == "125000 VND"
    local = timezone.localtime(start)
    assert item["g:sale_price_effective_date"].startswith(local.strftime("%Y-%m-%dT%H:%M+0700/"))
    assert item["g:sale_price_effective_date"].endswith(
        (local + datetime.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M+0700")
    )

    # a live session wins over the scheduled one
    now_session = make_session(seller, start_in=datetime.timedelta(minutes=5))
    sessions.feature(now_session, product, "CF2", live_price=110000)
    sessions.start(now_session)
    assert google_items(client, seller=seller.pk)[str(product.pk)]["g:sale_price"] == "110000 VND"

    # a scheduled session whose start has passed without going live promises nothing
    other = make_seller()
    late = make_session(other, start_in=datetime.timedelta(minutes=5))
    sessions.feature(late, product, "CF1", live_price=115000)
    type(late).objects.filter(pk=late.pk).update(
        scheduled_start=timezone.now() - datetime.timedelta(minutes=10)
    )
    assert "g:sale_price" not in google_items(client, seller=other.pk)[str(product.pk)]


# --- Bounded queries --------------------------------------------------------------------------------

FEED_QUERIES = 18


def _catalogue_of(size):
    records = [listed(f"Sản phẩm số {i}", stock=3)[1] for i in range(size)]
    with_photo(make_combo([(records[0], 1), (records[1], 1)], price=200000))
    return records


@pytest.mark.parametrize("seller_feed", [False, True])
def test_query_count_does_not_grow_with_the_catalogue(client, django_assert_max_num_queries, seller_feed):
    seller = make_seller()
    params = {"seller": seller.pk} if seller_feed else {}
    counts = []
    for size in (3, 15):
        records = _catalogue_of(size)
        if seller_feed:
            session = sessions.start(make_session(seller, start_in=datetime.timedelta(minutes=1)))
            sessions.feature(session, records[0].product, f"A{size}", live_price=100000)
        for name in ("feed-meta-csv", "feed-meta-xml", "feed-google"):
            with django_assert_max_num_queries(FEED_QUERIES):
                with CaptureQueriesContext(connection) as queries:
                    get(client, name, **params)
            counts.append((name, len(queries)))
    assert len(meta_csv_rows(client, **params)) == 3 + 15 + 2
    small, large = counts[:3], counts[3:]
    assert [n for _name, n in small] == [n for _name, n in large], counts
