"""A producer composes its own gift combos in the producer corner; the office approves them.

Composition rules are ``catalogue.combos`` (validate_composition with the
producer's Partner as seller); moderation is ``vendors.combo_proposals``.
"""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model
from oscar.templatetags.currency_filters import currency

from catalogue import combos
from catalogue.models import ComboComponent
from tests.combos.factories import packaging_offer
from tests.factories import make_product
from tests.vendors.conftest import jpeg_upload, make_producer_combo, snapshot
from vendors import combo_proposals, moderation
from vendors.models import ChangeRequest

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db

NEW_URL = reverse("vendors:combo-create")
LIST_URL = reverse("vendors:combos")


def _vnd(amount):
    with translation.override("vi"):
        return currency(amount, "VND")


def combo_post(rows, title="Hộp quà cà phê Đăk Mar", price="390.000",
               story="Cà phê rang mộc và hộp quà thổ cẩm.", initial=0):
    """The body the combo form sends: fields and ``rows`` of (offer or id, quantity)."""
    data = {
        "title": title, "product_story": story, "price": price,
        "components-TOTAL_FORMS": str(len(rows)), "components-INITIAL_FORMS": str(initial),
        "components-MIN_NUM_FORMS": "0", "components-MAX_NUM_FORMS": "20",
    }
    for i, (offer, quantity) in enumerate(rows):
        data[f"components-{i}-offer"] = str(getattr(offer, "pk", offer))
        data[f"components-{i}-quantity"] = str(quantity)
    return data


def world():
    """What a refused request must leave as it was, everywhere."""
    return (
        list(Product.objects.order_by("pk").values_list("pk", "title", "is_public", "product_story")),
        list(StockRecord.objects.order_by("pk").values_list("pk", "price", "num_in_stock")),
        sorted(ComboComponent.objects.values_list("combo_id", "component_id", "quantity")),
        list(ChangeRequest.objects.order_by("pk").values_list("pk", "status", "proposed")),
    )


@pytest.fixture
def farmer(producer_a):
    client = Client()
    client.force_login(producer_a.user)
    return client


@pytest.fixture
def officer(office):
    client = Client()
    client.force_login(office)
    return client


@pytest.fixture
def gift_box(locations):
    return packaging_offer(stock={locations[0]: 20})


def _create(farmer, producer_a, gift_box, **kwargs):
    response = farmer.post(NEW_URL, combo_post([(producer_a.stockrecord, 2), (gift_box, 1)], **kwargs))
    assert response.status_code == 302, response.content.decode()[:3000]
    return Product.objects.get(title=kwargs.get("title", "Hộp quà cà phê Đăk Mar"))


# --- Compose ------------------------------------------------------------------------


def test_the_form_offers_own_certified_offers_and_packaging_only(farmer, producer_a, producer_b, gift_box):
    uncertified = make_product(vendor=producer_a.vendor, title="Trà chưa chứng nhận", stars=None,
                               with_image=False)
    page = farmer.get(NEW_URL)
    assert page.status_code == 200
    html = page.content.decode()
    menu = {c for c, _label in page.context["formset"].forms[0].fields["offer"].widget.choices
            for c in ([c] if not isinstance(_label, list) else [x for x, _l in _label])}
    assert producer_a.stockrecord.pk in menu and gift_box.pk in menu
    assert producer_b.stockrecord.pk not in menu  # another producer's
    assert uncertified.stockrecords.get().pk not in menu  # no certificate
    assert producer_a.combo.stockrecords.get().pk not in menu  # a combo
    assert producer_b.product.title not in html
    assert 'data-price="150000"' in html and "Bao bì quà tặng" in html
    assert len(page.context["formset"].forms) == 3  # rows to fill without JavaScript
    assert reverse("vendors:combos") in html


def test_create_via_the_page_makes_a_hidden_combo_and_a_change_request(farmer, producer_a, gift_box):
    combo = _create(farmer, producer_a, gift_box)

    assert combos.is_combo(combo) and combo.is_public is False
    assert combo.producer == producer_a.vendor
    assert combo.product_story == "Cà phê rang mộc và hộp quà thổ cẩm."
    record = combo.stockrecords.get()
    assert record.partner == producer_a.vendor.partner and record.price == 390000
    assert record.num_in_stock == 0  # not on sale: nothing to buy
    assert [(p.stockrecord, p.quantity) for p in combos.parts_of(combo)] == [
        (producer_a.stockrecord, 2), (gift_box, 1),
    ]
    change = combo.change_requests.get()
    assert change.kind == ChangeRequest.Kind.NEW_PRODUCT and change.is_pending
    assert change.proposed["price"] == "390000"
    assert change.proposed["components"] == [[producer_a.stockrecord.pk, 2], [gift_box.pk, 1]]
    assert Client().get(combo.get_absolute_url()).status_code == 404

    listing = farmer.get(LIST_URL).content.decode()
    assert "Hộp quà cà phê Đăk Mar" in listing and "Chờ duyệt" in listing
    assert reverse("vendors:photo-add", args=[combo.pk]) in listing


def test_office_approves_on_the_review_page_and_the_combo_goes_on_sale(
    farmer, officer, producer_a, gift_box
):
    combo = _create(farmer, producer_a, gift_box)
    change = combo.change_requests.get()

    review = officer.get(reverse("vendors:review", args=[change.pk]))
    html = review.content.decode()
    assert review.status_code == 200
    assert producer_a.product.title in html and "× 2" in html
    assert "Hộp quà OCOP Đăk Hà" in html and "× 1" in html
    assert producer_a.vendor.name in html and "OCOP Đăk Hà" in html
    assert _vnd(150000).replace("\xa0", "&nbsp;") in html or _vnd(150000) in html
    queue = officer.get(reverse("vendors:review-queue")).content.decode()
    assert "Hộp quà OCOP Đăk Hà" in queue

    response = officer.post(reverse("vendors:review", args=[change.pk]), {"decision": "approve"})
    assert response.status_code == 302

    combo.refresh_from_db()
    assert combo.is_public
    online, _per_location = combos.availability(combo)
    # 7 + 3 received, 1 allocated to an order: 9 free → 4 boxes of 2; 20 gift boxes.
    assert online == 4
    record = combo.stockrecords.get()
    assert record.num_in_stock == 4 and record.price == 390000
    shop_page = Client().get(combo.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="vi")
    assert shop_page.status_code == 200 and "Còn 4 hộp" in shop_page.content.decode()
    listing = farmer.get(LIST_URL).content.decode()
    assert "Đang bán" in listing and "còn 4 hộp" in listing


@pytest.fixture
def refusals(producer_a, producer_b, gift_box):
    uncertified = make_product(vendor=producer_a.vendor, title="Trà chưa chứng nhận", stars=None,
                               with_image=False).stockrecords.get()
    unpublished = make_product(vendor=producer_a.vendor, title="Miến dong chưa duyệt",
                               is_public=False, with_image=False).stockrecords.get()
    own = producer_a.stockrecord
    other_combo = make_producer_combo(producer_a.vendor, [(own, 1)], title="Combo khác của tôi")
    return {
        "no component": ([], "Combo phải có ít nhất một thành phần."),
        "only blank rows": ([("", 1), ("", 3)], "Combo phải có ít nhất một thành phần."),
        "zero quantity": ([(own, 0)], "phải lớn hơn 0"),
        "negative quantity": ([(own, -2)], "phải lớn hơn 0"),
        "decimal quantity": ([(own, "1.5")], "phải là số nguyên"),
        "text quantity": ([(own, "hai")], "phải là số nguyên"),
        "empty quantity": ([(own, "")], "phải là số nguyên"),
        "huge quantity": ([(own, 101)], "quá lớn"),
        "duplicated component": ([(own, 1), (gift_box, 1), (own, 2)], "được nhập hai lần"),
        "another producer's offer": (
            [(producer_b.stockrecord, 1)], "chủ thể chỉ được ghép combo từ sản phẩm của mình"
        ),
        "another producer's hidden combo": (
            [(producer_b.hidden_combo.stockrecords.get(), 1)], "Không tìm thấy sản phẩm đã chọn."
        ),
        "a combo as a component": ([(other_combo.stockrecords.get(), 1)], "là một combo"),
        "uncertified product": ([(uncertified, 1)], "không có giấy chứng nhận OCOP"),
        "unpublished product": ([(unpublished, 1)], "chưa được duyệt hoặc đã ngừng bán"),
        "unknown offer": ([(987654, 1)], "Không tìm thấy sản phẩm đã chọn."),
        "offer id not a number": ([("abc", 1)], "Không tìm thấy sản phẩm đã chọn."),
        "offer id too large": ([("9" * 30, 1)], "Không tìm thấy sản phẩm đã chọn."),
    }


REFUSALS = [
    "no component", "only blank rows", "zero quantity", "negative quantity", "decimal quantity",
    "text quantity", "empty quantity", "huge quantity", "duplicated component",
    "another producer's offer", "another producer's hidden combo", "a combo as a component",
    "uncertified product", "unpublished product", "unknown offer", "offer id not a number",
    "offer id too large",
]


@pytest.mark.parametrize("case", REFUSALS)
@pytest.mark.parametrize("where", ["new", "edit public", "edit hidden"])
def test_bad_components_are_a_400_with_a_message_and_nothing_written(
    farmer, producer_a, producer_b, refusals, case, where
):
    rows, message = refusals[case]
    url = {
        "new": NEW_URL,
        "edit public": reverse("vendors:combo-edit", args=[producer_a.combo.pk]),
        "edit hidden": reverse("vendors:combo-edit", args=[producer_a.hidden_combo.pk]),
    }[where]
    before = world(), snapshot(producer_a), snapshot(producer_b)

    response = farmer.post(url, combo_post(rows))

    assert response.status_code == 400
    html = response.content.decode()
    assert message in html, html[:3000]
    if case == "another producer's hidden combo":
        assert producer_b.hidden_combo.title not in html  # not the producer's to read
    assert (world(), snapshot(producer_a), snapshot(producer_b)) == before


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"price": ""}, "Hãy nhập giá combo."),
        ({"price": "0"}, "Giá phải lớn hơn 0 đồng."),
        ({"price": "-390000"}, "Giá phải lớn hơn 0 đồng."),
        ({"price": "ba trăm nghìn"}, "Giá phải là một số tiền bằng đồng"),
        ({"price": "390000.5"}, "không có phần lẻ"),
        ({"title": "   "}, "Hãy nhập tên combo."),
    ],
    ids=["no price", "zero price", "negative price", "words", "fraction", "no title"],
)
def test_bad_price_or_title_is_a_400(farmer, producer_a, gift_box, changes, message):
    before = world()
    data = {**combo_post([(producer_a.stockrecord, 2), (gift_box, 1)]), **changes}
    response = farmer.post(NEW_URL, data)
    assert response.status_code == 400 and message in response.content.decode()
    assert world() == before


def test_a_tampered_formset_is_a_400(farmer, producer_a):
    before = world()
    data = combo_post([(producer_a.stockrecord, 1)])
    del data["components-TOTAL_FORMS"]
    assert farmer.post(NEW_URL, data).status_code == 400
    data = combo_post([(producer_a.stockrecord, 1)] * 40)
    assert farmer.post(NEW_URL, data).status_code == 400
    assert world() == before


def test_the_page_totals_the_separate_purchase_and_the_saving(farmer, producer_a, gift_box):
    # 2 × 150 000 + 30 000 = 330 000 bought one by one; sold at 299 000 → 31 000 saved.
    data = combo_post([(producer_a.stockrecord, 2), (gift_box, 1)], price="299000", title="")
    html = farmer.post(NEW_URL, data).content.decode()
    assert _vnd(330000) in html and _vnd(31000) in html
    edit = farmer.get(reverse("vendors:combo-edit", args=[producer_a.combo.pk])).content.decode()
    assert _vnd(300000) in edit and _vnd(50000) in edit  # 2 × 150 000 at 250 000


# --- Edit --------------------------------------------------------------------------------


def test_a_public_combos_new_components_wait_for_approval(farmer, officer, producer_a, gift_box):
    combo = producer_a.combo
    url = reverse("vendors:combo-edit", args=[combo.pk])
    form = farmer.get(url)
    assert form.status_code == 200
    assert [f.initial for f in form.context["formset"].initial_forms] == [
        {"offer": producer_a.stockrecord.pk, "quantity": 2}
    ]
    record = combo.stockrecords.get()
    units_before = record.num_in_stock

    data = combo_post([(producer_a.stockrecord, 3), (gift_box, 1)], title=combo.title,
                      price="250000", story="", initial=1)
    response = farmer.post(url, data)
    assert response.status_code == 302

    change = combo.change_requests.get(kind=ChangeRequest.Kind.UPDATE, status="pending")
    assert change.proposed == {"components": [[producer_a.stockrecord.pk, 3], [gift_box.pk, 1]]}
    assert change.previous == {"components": [[producer_a.stockrecord.pk, 2]]}
    # Shoppers still buy the live combo.
    assert [(p.stockrecord, p.quantity) for p in combos.parts_of(combo)] == [(producer_a.stockrecord, 2)]
    record.refresh_from_db()
    assert record.num_in_stock == units_before == 4
    listing = farmer.get(LIST_URL).content.decode()
    assert "Có thay đổi chờ duyệt" in listing
    # The edit form starts from the pending proposal.
    again = farmer.get(url).context["formset"].initial_forms
    assert [f.initial["quantity"] for f in again] == [3, 1]

    review = officer.get(reverse("vendors:review", args=[change.pk])).content.decode()
    assert "đề nghị thay đổi" in review and "Hộp quà OCOP Đăk Hà" in review
    assert officer.post(reverse("vendors:review", args=[change.pk]), {"decision": "approve"}).status_code == 302

    assert [(p.stockrecord, p.quantity) for p in combos.parts_of(combo)] == [
        (producer_a.stockrecord, 3), (gift_box, 1),
    ]
    record.refresh_from_db()
    assert record.num_in_stock == 3  # 9 free // 3


def test_title_story_and_price_of_a_public_combo_go_through_an_update(farmer, office, producer_a):
    combo = producer_a.combo
    url = reverse("vendors:combo-edit", args=[combo.pk])
    data = combo_post([(producer_a.stockrecord, 2)], title="Quà Tết cà phê", price="240.000",
                      story="Câu chuyện mới.", initial=1)
    assert farmer.post(url, data).status_code == 302
    change = combo.change_requests.get(kind=ChangeRequest.Kind.UPDATE, status="pending")
    assert change.proposed == {"title": "Quà Tết cà phê", "product_story": "Câu chuyện mới.",
                               "price": "240000"}
    combo.refresh_from_db()
    assert combo.title == producer_a.combo.title and combo.stockrecords.get().price == 250000
    moderation.apply_change(change, office)
    combo.refresh_from_db()
    assert combo.title == "Quà Tết cà phê" and combo.stockrecords.get().price == 240000
    assert combo.stockrecords.count() == 1


def test_no_change_is_refused(farmer, producer_a):
    combo = producer_a.combo
    before = world()
    data = combo_post([(producer_a.stockrecord, 2)], title=combo.title, price="250000", story="",
                      initial=1)
    response = farmer.post(reverse("vendors:combo-edit", args=[combo.pk]), data)
    assert response.status_code == 400 and "Không có thay đổi" in response.content.decode()
    assert world() == before


def test_editing_a_hidden_combo_changes_it_in_place_and_files_a_fresh_request(farmer, producer_a, gift_box):
    combo = producer_a.hidden_combo
    old = combo.change_requests.get()
    data = combo_post([(producer_a.stockrecord, 1), (gift_box, 2)], title="Combo sửa lại",
                      price="300000", initial=1)
    assert farmer.post(reverse("vendors:combo-edit", args=[combo.pk]), data).status_code == 302
    combo.refresh_from_db()
    assert combo.title == "Combo sửa lại" and not combo.is_public
    assert combo.stockrecords.get().price == 300000
    assert [(p.stockrecord, p.quantity) for p in combos.parts_of(combo)] == [
        (producer_a.stockrecord, 1), (gift_box, 2),
    ]
    old.refresh_from_db()
    assert old.status == ChangeRequest.Status.WITHDRAWN
    fresh = combo.change_requests.get(status="pending")
    assert fresh.kind == ChangeRequest.Kind.NEW_PRODUCT
    assert fresh.proposed["components"] == [[producer_a.stockrecord.pk, 1], [gift_box.pk, 2]]
    assert fresh.proposed["title"] == "Combo sửa lại" and fresh.proposed["price"] == "300000"


def test_a_refused_combo_shows_the_reason_and_a_withdrawn_one_is_stopped(farmer, officer, producer_a):
    change = producer_a.hidden_combo.change_requests.get()
    officer.post(reverse("vendors:review", args=[change.pk]),
                 {"decision": "reject", "reason": "Ảnh hộp quà chưa rõ."})
    producer_a.certificate.delete()  # the live combo's coffee loses its certificate: withdrawn
    listing = farmer.get(LIST_URL).content.decode()
    assert "Bị từ chối" in listing and "Ảnh hộp quà chưa rõ." in listing
    assert "Ngừng bán" in listing


# --- Approval re-checks the composition --------------------------------------------------


def test_approval_is_refused_when_a_component_lost_its_certificate(farmer, officer, producer_a, gift_box):
    combo = _create(farmer, producer_a, gift_box)
    change = combo.change_requests.get()
    producer_a.certificate.delete()

    response = officer.post(reverse("vendors:review", args=[change.pk]), {"decision": "approve"})

    assert response.status_code == 400
    html = response.content.decode()
    assert producer_a.product.title in html and "không có giấy chứng nhận OCOP" in html
    combo.refresh_from_db()
    change.refresh_from_db()
    assert not combo.is_public and change.is_pending
    with pytest.raises(moderation.ModerationError, match=producer_a.product.title):
        moderation.apply_change(change, officer)


def test_approval_of_new_components_is_refused_when_one_lost_its_certificate(producer_a, office, gift_box):
    other = make_product(vendor=producer_a.vendor, title="Mật ong Đăk Mar", with_image=False)
    from tests.factories import make_certificate

    certificate = make_certificate(other, stars=3)
    combo = producer_a.combo
    change = combo_proposals.propose_combo_change(
        combo, producer_a.user, {"title": combo.title, "price": "250000"},
        [(producer_a.stockrecord, 2), (other.stockrecords.get(), 1)],
    )
    certificate.delete()
    with pytest.raises(moderation.ModerationError, match="Mật ong Đăk Mar"):
        moderation.apply_change(change, office)
    assert [(p.stockrecord, p.quantity) for p in combos.parts_of(combo)] == [(producer_a.stockrecord, 2)]
    change.refresh_from_db()
    assert change.is_pending


# --- Photos, product pages, access ---------------------------------------------------------


def test_a_photo_for_a_combo_goes_through_the_photo_upload(farmer, officer, producer_a):
    combo = producer_a.combo
    detail = farmer.get(reverse("vendors:product", args=[combo.pk])).content.decode()
    assert reverse("vendors:photo-add", args=[combo.pk]) in detail
    assert reverse("vendors:combo-edit", args=[combo.pk]) in detail
    assert reverse("vendors:certificate-add", args=[combo.pk]) not in detail
    assert reverse("vendors:batch-add", args=[combo.pk]) not in detail

    response = farmer.post(reverse("vendors:photo-add", args=[combo.pk]),
                           {"original": jpeg_upload("hop-qua.jpg"), "caption": "Hộp quà"})
    assert response.status_code == 302
    change = combo.change_requests.get(kind=ChangeRequest.Kind.PHOTO)
    assert not combo.images.exists()
    officer.post(reverse("vendors:review", args=[change.pk]), {"decision": "approve"})
    assert combo.images.get().caption == "Hộp quà"


def test_product_pages_send_a_combo_to_its_own_pages(farmer, producer_a):
    combo = producer_a.combo
    edit = farmer.get(reverse("vendors:product-edit", args=[combo.pk]))
    assert edit.status_code == 302 and edit["Location"] == reverse("vendors:combo-edit", args=[combo.pk])
    before = world()
    assert farmer.post(reverse("vendors:product-edit", args=[combo.pk]),
                       {"title": "x", "price": "1"}).status_code == 302
    for name in ("vendors:certificate-add", "vendors:batch-add"):
        assert farmer.get(reverse(name, args=[combo.pk])).status_code == 404
        assert farmer.post(reverse(name, args=[combo.pk]), {}).status_code == 404
    assert world() == before
    # A product is not a combo: the combo page does not take it.
    assert farmer.get(reverse("vendors:combo-edit", args=[producer_a.product.pk])).status_code == 404


def test_another_producers_combo_is_404_and_never_listed(farmer, producer_a, producer_b):
    before = world()
    for combo in (producer_b.combo, producer_b.hidden_combo):
        url = reverse("vendors:combo-edit", args=[combo.pk])
        assert farmer.get(url).status_code == 404
        assert farmer.post(url, combo_post([(producer_a.stockrecord, 1)])).status_code == 404
        assert farmer.get(reverse("vendors:product", args=[combo.pk])).status_code == 404
    listing = farmer.get(LIST_URL).content.decode()
    assert producer_b.combo.title not in listing and producer_b.hidden_combo.title not in listing
    assert producer_a.combo.title in listing
    assert world() == before


@pytest.mark.parametrize("url", [LIST_URL, NEW_URL])
def test_non_producers_get_the_same_refusal_as_other_producer_pages(client, customer, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]
    client.force_login(customer)
    assert client.get(url).status_code == 403
    assert client.post(url, combo_post([])).status_code == 403


def test_the_nav_has_the_combo_link(farmer):
    html = farmer.get(reverse("vendors:home")).content.decode()
    assert f'href="{LIST_URL}"' in html and "Combo quà tặng" in html


# --- Query budget ------------------------------------------------------------------------------

LIST_QUERIES = 20


def test_the_combo_list_has_a_fixed_query_budget(farmer, producer_a, gift_box, django_assert_max_num_queries):
    def grow(total):
        while Product.objects.filter(producer=producer_a.vendor,
                                     product_class__slug=combos.COMBO_CLASS_SLUG).count() < total:
            n = Product.objects.count()
            if n % 2:
                make_producer_combo(producer_a.vendor, [(producer_a.stockrecord, 1), (gift_box, 1)],
                                    title=f"Combo số {n}")
            else:
                combo_proposals.propose_new_combo(
                    producer_a.vendor, producer_a.user, {"title": f"Combo số {n}", "price": "99000"},
                    [(producer_a.stockrecord, 2)],
                )

    farmer.get(LIST_URL)
    for total in (2, 20):
        grow(total)
        with django_assert_max_num_queries(LIST_QUERIES):
            response = farmer.get(LIST_URL)
        assert response.status_code == 200
        assert response.content.decode().count("data-combo=") == total


def test_the_combo_form_has_a_fixed_query_budget(farmer, producer_a, gift_box, django_assert_max_num_queries):
    url = reverse("vendors:combo-edit", args=[producer_a.combo.pk])
    for n in range(10):
        make_producer_combo(producer_a.vendor, [(producer_a.stockrecord, 1)], title=f"Combo {n}")
        make_product(vendor=producer_a.vendor, with_image=False)
    with django_assert_max_num_queries(25):
        assert farmer.get(url).status_code == 200
    with django_assert_max_num_queries(25):
        assert farmer.get(NEW_URL).status_code == 200


# --- In the browser ------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_producer_composes_a_combo_in_the_browser_and_sees_it_pending(
    page, live_server, producer_a, locations
):
    box = packaging_offer(stock={locations[0]: 20})
    from django.test import Client as DjangoClient

    client = DjangoClient()
    client.force_login(producer_a.user)
    page.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value,
                               "url": live_server.url}])
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + LIST_URL)
    page.click("text=Tạo combo mới")
    page.fill("input[name=title]", "Hộp quà cà phê rừng")
    page.fill("textarea[name=product_story]", "Cà phê hái tay ở Đăk Mar.")
    page.fill("input[name=price]", "299.000")
    page.select_option("select[name=components-0-offer]", str(producer_a.stockrecord.pk))
    page.fill("input[name=components-0-quantity]", "2")
    page.click("#combo-add-row")  # a fourth row, added by the page's script
    assert page.locator(".combo-row").count() == 4
    page.select_option("select[name=components-3-offer]", str(box.pk))
    with translation.override("vi"):
        separate, saving = currency(330000, "VND"), currency(31000, "VND")
    assert page.locator("#combo-separate").inner_text().replace("\xa0", " ") == separate.replace("\xa0", " ")
    assert page.locator("#combo-saving").inner_text().replace("\xa0", " ") == saving.replace("\xa0", " ")
    page.click("button[type=submit] >> text=Gửi duyệt")
    page.wait_for_url(live_server.url + LIST_URL)
    assert "Đã gửi combo" in page.content()
    card = page.locator(".producer-card", has_text="Hộp quà cà phê rừng")
    assert card.locator(".combo-state").inner_text().strip() == "Chờ duyệt"
    combo = Product.objects.get(title="Hộp quà cà phê rừng")
    assert not combo.is_public and combo.stockrecords.get().price == Decimal("299000")
    assert [(p.stockrecord.pk, p.quantity) for p in combos.parts_of(combo)] == [
        (producer_a.stockrecord.pk, 2), (box.pk, 1),
    ]
