"""Demo gift combos made of the demo products, and a gift box with stock.

Called by the demo loader after the products, certificates and stock exist;
safe to run again (an existing combo — same title — and a gift box that already
has stock are left alone). Components are picked by keywords among public,
certified products, preferring producers not used yet in the same combo.
"""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalogue import combos
from catalogue.search import normalize

GIFT_BOX_TITLE = "Hộp quà OCOP Đăk Hà"
GIFT_BOX_PRICE = Decimal("30000")
GIFT_BOX_STOCK = {"showcase": 60, "dak-mar": 20, "ngok-wang": 20}

# title, story, [(keywords (any), quantity), ...], with the gift box?
DEMO_COMBOS = [
    (
        "Combo quà Tết Đăk Hà",
        "Hương vị Tết của vùng đất Đăk Hà: cà phê rang xay, mật ong rừng và một món quà "
        "của núi rừng Ngọc Linh, gói trong hộp quà OCOP.",
        [(("ca phe",), 1), (("mat ong",), 1), (("sam", "duong sam", "tra"), 1)],
        True,
    ),
    (
        "Hộp quà cà phê & mật ong",
        "Hai đặc sản của các hợp tác xã Đăk Hà: cà phê robusta và mật ong hoa cà phê.",
        [(("ca phe",), 2), (("mat ong",), 1)],
        True,
    ),
    (
        "Quà biếu sâm dây Ngọc Linh",
        "Sâm dây Ngọc Linh — sản vật quý của vùng núi Kon Tum — làm quà biếu trang trọng.",
        [(("sam day", "sam"), 1), (("mat ong", "tra"), 1)],
        True,
    ),
    (
        "Combo thổ cẩm & rượu ghè",
        "Nét văn hoá của đồng bào Xơ Đăng, Ba Na: một tấm thổ cẩm dệt tay và rượu ghè "
        "truyền thống.",
        [(("tho cam", "det"), 1), (("ruou",), 1)],
        False,
    ),
]


def _say(stdout, message):
    if stdout is not None:
        stdout.write(message)


def _candidates():
    StockRecord = get_model("partner", "StockRecord")
    return list(
        StockRecord.objects.filter(
            product__is_public=True, product__ocop_stars__isnull=False,
            product__structure__in=["standalone", "child"],
        )
        .exclude(product__product_class__slug__in=[combos.COMBO_CLASS_SLUG,
                                                  combos.PACKAGING_CLASS_SLUG])
        .select_related("product__product_class", "product__producer", "partner")
        .order_by("product__title", "pk")
    )


def _pick(candidates, keywords, used_ids, used_partners):
    """The best offer for ``keywords``: a match by a new producer, else any match, else any."""
    wanted = [normalize(k) for k in keywords]

    def matches(sr):
        text = normalize(sr.product.title)
        return any(k in text for k in wanted)

    free = [sr for sr in candidates if sr.pk not in used_ids]
    for pool in (
        [sr for sr in free if matches(sr) and sr.partner_id not in used_partners],
        [sr for sr in free if matches(sr)],
        [sr for sr in free if sr.partner_id not in used_partners],
        free,
    ):
        if pool:
            return pool[0]
    return None


def gift_box():
    """The gift box packaging offer (district partner), created with its demo stock."""
    Product = get_model("catalogue", "Product")
    StockRecord = get_model("partner", "StockRecord")
    product = Product.objects.filter(
        title=GIFT_BOX_TITLE, product_class__slug=combos.PACKAGING_CLASS_SLUG
    ).first()
    if product is None:
        product = Product.objects.create(
            title=GIFT_BOX_TITLE, product_class=combos.packaging_class(), is_public=False,
            description="Hộp giấy kraft in logo OCOP Đăk Hà, kèm thiệp chúc.",
        )
    record = product.stockrecords.first()
    if record is None:
        record = StockRecord.objects.create(
            product=product, partner=combos.district_partner(), partner_sku=f"GIFTBOX-{product.pk}",
            price=GIFT_BOX_PRICE, price_currency="VND",
        )
    _stock_gift_box(record)
    return record


def _stock_gift_box(record):
    from showroom import inventory
    from showroom.models import Location, Stock

    if Stock.objects.filter(stockrecord=record).exists():
        return
    for location in Location.objects.filter(code__in=list(GIFT_BOX_STOCK)):
        inventory.receive(
            location, [(record, GIFT_BOX_STOCK[location.code])], reference="DEMO-HOPQUA",
            note="Hộp quà mẫu ban đầu",
        )


def _price(items):
    """About 92 % of the separate prices, rounded down to 1 000 đồng."""
    separate = sum((sr.price or Decimal(0)) * qty for sr, qty in items)
    return max(Decimal(1000), (separate * Decimal("0.92") // 1000) * 1000)


@transaction.atomic
def load_demo_combos(stdout=None):
    """Create the demo combos (and the gift box); return how many combos were created."""
    Product = get_model("catalogue", "Product")
    candidates = _candidates()
    if len(candidates) < 2:
        _say(stdout, _("Combo mẫu: chưa đủ sản phẩm OCOP được chứng nhận, bỏ qua."))
        return 0
    box = gift_box()
    created = 0
    for title, story, wanted, with_box in DEMO_COMBOS:
        if Product.objects.filter(title=title, product_class__slug=combos.COMBO_CLASS_SLUG).exists():
            continue
        items, used_ids, used_partners = [], set(), set()
        for keywords, quantity in wanted:
            offer = _pick(candidates, keywords, used_ids, used_partners)
            if offer is not None:
                items.append((offer, quantity))
                used_ids.add(offer.pk)
                used_partners.add(offer.partner_id)
        if len(items) < 2:
            continue
        price = _price(items)
        if with_box:
            items.append((box, 1))
            price += box.price
        combos.create_combo(title=title, price=price, items=items, description=story)
        created += 1
    _say(stdout, _("Combo mẫu: %(n)d combo quà tặng mới.") % {"n": created})
    return created
