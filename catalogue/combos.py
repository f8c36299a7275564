"""Gift combos: composition, availability, who may sell them, and the revenue split.

A **combo** is an Oscar ``Product`` of the product class ``gift-combo``
("Combo quà tặng") with :class:`catalogue.models.ComboComponent` rows: each a
producer's offer (``StockRecord``) × a quantity. Optional packaging (gift box,
wrap) is a component too: a product of class ``gift-packaging`` with its own
stock, sold by the district partner; it needs no OCOP certificate.

Stock — the decision
--------------------
A combo has **no stock of its own** (no ``showroom.Stock`` rows; receipts,
transfers and counts of a combo are refused). It has exactly one
``StockRecord``, of its seller — the district partner "OCOP Đăk Hà" for the
office's combos, the producer's own Partner for a producer's combo of its own
products —, whose ``price`` is the combo price and whose totals are **derived** by ``showroom.inventory`` in the
same transaction as every move of a component (and whenever the composition or
a component's sellability changes)::

    num_allocated = 0
    num_in_stock  = min over components of ⌊online free units / quantity⌋
                    (0 when the combo or a component is not sellable)

The product class keeps ``track_stock = True``, so Oscar's default Strategy,
basket and checkout read "còn N hộp" from the combo's own StockRecord with no
extra query and refuse to add more than that. Actual stock is only ever taken
from the components, under their row locks (``showroom.inventory``).

Rules (each a test, ``tests/combos``)
-------------------------------------
* Availability at a location = min over components of ⌊free / quantity⌋;
  online = the same over the sum of the online locations' free units.
* A combo is never a component (so no combo contains itself, directly or
  through another combo); quantities are whole numbers ≥ 1; a component must
  be an approved (public) product holding a current OCOP certificate, except
  packaging. A producer may sell a combo of only its own offers; the district
  partner may combine any producers.
* A combo is **sellable** only while it is public and every component is
  public and (packaging aside) certified. This rule, the kinds of product and
  the units a combo allows live in ``showroom.inventory`` (the stock needs them
  and is the ground floor); this module names them too and builds on them. Otherwise its availability is 0,
  order placement refuses it naming the component, and
  :func:`withdraw_unsellable_combos` hides it and emails the district office.
* **Revenue split** (:func:`revenue_split`): see its docstring.
* An **experience** component (class in ``EXPERIENCE_PRODUCT_CLASSES``) is a
  gift voucher, not stock: it never limits the availability and is never
  allocated (``showroom.inventory.is_voucher``); selling the combo makes one
  gift voucher per unit × quantity, valid for any departure within
  ``EXPERIENCE_GIFT_VOUCHER_DAYS`` (``shop.experiences.purchase``). A combo
  needs at least one component that is not a voucher.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from shop import money
from showroom import inventory
from showroom.inventory import (  # noqa: F401  the stock's combo rules, named here too
    COMBO_CLASS_SLUG,
    PACKAGING_CLASS_SLUG,
    component_ok,
    component_problem,
    is_combo,
    is_packaging,
    is_voucher,
    units_from,
)

COMBO_CLASS_NAME = "Combo quà tặng"
PACKAGING_CLASS_NAME = "Bao bì quà tặng"
DISTRICT_PARTNER_CODE = "ocop-dak-ha"
DISTRICT_PARTNER_NAME = "OCOP Đăk Hà"
COMBO_CATEGORY_NAME = "Combo quà tặng"
MAX_COMPONENT_QUANTITY = 100


def _models():
    return (
        get_model("catalogue", "Product"),
        get_model("catalogue", "ProductClass"),
        get_model("catalogue", "ComboComponent"),
        get_model("partner", "StockRecord"),
        get_model("partner", "Partner"),
    )


# --- Kinds of product ---------------------------------------------------------------


def combo_class():
    ProductClass = _models()[1]
    return ProductClass.objects.get_or_create(
        slug=COMBO_CLASS_SLUG,
        defaults={"name": COMBO_CLASS_NAME, "requires_shipping": True, "track_stock": True},
    )[0]


def packaging_class():
    ProductClass = _models()[1]
    return ProductClass.objects.get_or_create(
        slug=PACKAGING_CLASS_SLUG,
        defaults={"name": PACKAGING_CLASS_NAME, "requires_shipping": True, "track_stock": True},
    )[0]


def district_partner():
    """The district's own seller ("OCOP Đăk Hà"): sells multi-producer combos and packaging."""
    Partner = _models()[4]
    return Partner.objects.get_or_create(
        code=DISTRICT_PARTNER_CODE, defaults={"name": DISTRICT_PARTNER_NAME}
    )[0]


def combo_category():
    """The storefront category "Combo quà tặng" (a root group), created on first use."""
    Category = get_model("catalogue", "Category")
    existing = Category.objects.filter(depth=1, name=COMBO_CATEGORY_NAME).first()
    return existing or Category.objects.add_root({"name": COMBO_CATEGORY_NAME})


# --- Composition ------------------------------------------------------------------------


@dataclass
class Part:
    """One component as the rules need it (works for unsaved compositions too)."""

    stockrecord: object
    quantity: int
    display_order: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def product(self):
        return self.stockrecord.product

    @property
    def unit_price(self):
        return self.stockrecord.price or Decimal(0)


def validate_composition(combo, items, seller=None):
    """Refuse a bad composition with a ``ValidationError`` listing every problem.

    ``items`` is ``[(stockrecord, quantity), ...]``; ``seller`` the combo's
    partner (default: the district partner).
    """
    errors = []
    if not items:
        errors.append(_("Combo phải có ít nhất một thành phần."))
    seen = set()
    district = seller is None or seller.code == DISTRICT_PARTNER_CODE
    for stockrecord, quantity in items:
        product = stockrecord.product
        title = product.get_title()
        if isinstance(quantity, bool) or not isinstance(quantity, int):
            errors.append(_("Số lượng của %(product)s phải là số nguyên.") % {"product": title})
        elif quantity < 1:
            errors.append(
                _("Số lượng của %(product)s phải lớn hơn 0.") % {"product": title}
            )
        elif quantity > MAX_COMPONENT_QUANTITY:
            errors.append(
                _("Số lượng của %(product)s quá lớn (tối đa %(max)s).")
                % {"product": title, "max": MAX_COMPONENT_QUANTITY}
            )
        if combo is not None and combo.pk is not None and product.pk == combo.pk:
            errors.append(_("Combo không thể chứa chính nó."))
        else:
            problem = component_problem(product)
            if problem:
                errors.append(problem)
        if stockrecord.pk in seen:
            errors.append(_("%(product)s được nhập hai lần.") % {"product": title})
        seen.add(stockrecord.pk)
        if not district and stockrecord.partner_id != seller.pk and not is_packaging(product):
            errors.append(
                _(
                    "%(product)s không phải của %(seller)s: chủ thể chỉ được ghép combo từ "
                    "sản phẩm của mình."
                )
                % {"product": title, "seller": seller.name}
            )
    if items and all(is_voucher(stockrecord.product) for stockrecord, _q in items):
        errors.append(
            _("Combo phải có ít nhất một sản phẩm có hàng, ngoài phiếu quà tặng trải nghiệm.")
        )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def create_combo(title, price, items, seller=None, description="", upc="", category=None,
                 is_public=True, slug=None):
    """Compose a combo: product, its StockRecord (seller, price) and components; returns it."""
    Product, _pc, _cc, StockRecord, _p = _models()
    price = money.whole_dong(price)
    seller = seller or district_partner()
    validate_composition(None, items, seller=seller)
    product = Product(
        title=title, product_class=combo_class(), description=description, upc=upc or None,
        is_public=is_public,
    )
    if slug:
        product.slug = slug
    if upc:
        product.full_clean(validate_unique=False, exclude=["slug", "categories"])
    product.save()
    if not upc:
        from catalogue.barcodes import ensure_barcode

        ensure_barcode(product)
    product.categories.add(category or combo_category())
    StockRecord.objects.create(
        product=product, partner=seller, partner_sku=f"COMBO-{product.pk}", price=price,
        price_currency="VND",
    )
    set_components(product, items, seller=seller)
    return product


@transaction.atomic
def set_components(combo, items, seller=None):
    """Replace the components of ``combo`` (validated), then refresh its availability."""
    _p, _pc, ComboComponent, _sr, _partner = _models()
    if not is_combo(combo):
        raise ValidationError(_("Chỉ combo quà tặng mới có thành phần."))
    seller = seller or combo_stockrecord(combo).partner
    validate_composition(combo, items, seller=seller)
    ComboComponent.objects.filter(combo=combo).delete()
    ComboComponent.objects.bulk_create(
        ComboComponent(combo=combo, component=sr, quantity=qty, display_order=i)
        for i, (sr, qty) in enumerate(items)
    )
    inventory.refresh_combo_totals([combo])


def combo_stockrecord(combo):
    return combo.stockrecords.select_related("partner").order_by("pk").first()


def parts_of(combo):
    """The components of ``combo`` as :class:`Part`, with what pages and rules read."""
    ComboComponent = _models()[2]
    rows = (
        ComboComponent.objects.filter(combo=combo)
        .select_related(
            "component__partner", "component__product__product_class",
            "component__product__producer__partner", "component__product__parent",
        )
        .order_by("display_order", "pk")
    )
    return [Part(row.component, row.quantity, row.display_order) for row in rows]


def problems(combo, parts=None):
    """Why ``combo`` cannot be sold now (messages naming the components); [] when sellable."""
    parts = parts_of(combo) if parts is None else parts
    return inventory.combo_problems(combo, [part.product for part in parts])


def sellable(combo, parts=None):
    return not problems(combo, parts)


# --- Availability --------------------------------------------------------------------------


def availability(combo, parts=None):
    """``(online_units, [(location, units), ...])`` for ``combo``, read from the locations.

    Per location: min over components of ⌊max(0, on hand − allocated) / qty⌋.
    Online: the same over the sum across online-selling locations (never
    negative stock, never units promised to another order), 0 when not sellable
    (``showroom.inventory.combo_availability``).
    """
    parts = parts_of(combo) if parts is None else parts
    return inventory.combo_availability(combo, [(p.stockrecord, p.quantity) for p in parts])


# --- The revenue split -----------------------------------------------------------------------


def revenue_split(combo_price, parts):
    """Share ``combo_price`` among ``parts``; the shares sum exactly to the price.

    The rule (written for the producers' settlement):

    1. Each component weighs its own list price × its quantity in the combo
       (if every weight is 0, each weighs its quantity).
    2. The price is split by those weights with :func:`shop.money.split`
       (⌊price × weight / total weight⌋ whole đồng each, the đồng left over to
       the largest remainders, ties to the component listed first).

    ``parts`` is ``[(unit_price, quantity), ...]`` (or :class:`Part`); returns a
    list of ``Decimal`` whole đồng, in the order of ``parts``.
    """
    pairs = [
        (p.unit_price, p.quantity) if isinstance(p, Part) else (p[0], p[1]) for p in parts
    ]
    if not pairs:
        raise ValueError("no components to share the price")
    weights = [money.whole_dong(price) * int(qty) for price, qty in pairs]
    return money.split(combo_price, weights, when_all_zero=[qty for _price, qty in pairs])


def split_by_partner(combo_price, parts):
    """``{partner_id: Decimal}`` of ``combo_price`` by :func:`revenue_split`."""
    result = defaultdict(Decimal)
    for part, share in zip(parts, revenue_split(combo_price, parts), strict=True):
        result[part.stockrecord.partner_id] += share
    return dict(result)


def producer_revenue(order_lines):
    """``{partner_id: Decimal}`` each seller earned from ``order_lines``.

    A single product's line credits its offer's partner with what the shopper
    paid for the line (``line_price_incl_tax``, after discounts). A combo line's
    amount is shared by :func:`revenue_split` over the combo's components.
    Known limit: the combo's *current* composition and list prices are used.
    """
    result = defaultdict(Decimal)
    parts_cache = {}
    for line in order_lines:
        shares = revenue_shares(line.product, line.partner_id, line.line_price_incl_tax,
                                parts_cache)
        for partner_id, share in shares.items():
            result[partner_id] += share
    return dict(result)


def revenue_shares(product, partner_id, amount, parts_cache=None):
    """``{partner_id: Decimal}`` for one sale line (online or at the till) of ``amount`` đồng.

    A combo's amount is split among its components' partners by
    :func:`revenue_split`; any other product credits ``partner_id`` (the
    seller of the offer) with the whole amount.
    """
    amount = money.whole_dong(amount)
    if product is not None and is_combo(product):
        cache = parts_cache if parts_cache is not None else {}
        if product.pk not in cache:
            cache[product.pk] = parts_of(product)
        if cache[product.pk]:
            return split_by_partner(amount, cache[product.pk])
    return {partner_id: amount}


def packaging_offers():
    """Gift packaging the shopper or cashier may add (gift box, wrap): priced offers with stock.

    For the checkout's gift options: add the chosen offer as an ordinary basket
    line, so its stock is allocated like any product's.
    """
    StockRecord = _models()[3]
    return list(
        StockRecord.objects.filter(
            product__product_class__slug=PACKAGING_CLASS_SLUG, price__isnull=False
        )
        .select_related("product", "partner")
        .order_by("price", "pk")
    )


# --- The combo page ---------------------------------------------------------------------


@dataclass
class ComboSummary:
    parts: list
    price: Decimal | None
    separate_total: Decimal
    online_units: int
    per_location: list
    problems: list

    @property
    def saving(self):
        if self.price is None:
            return Decimal(0)
        return max(Decimal(0), self.separate_total - self.price)

    @property
    def saving_percent(self):
        if not self.separate_total or not self.saving:
            return 0
        return int(self.saving * 100 // self.separate_total)

    @property
    def sellable(self):
        return not self.problems


def combo_summary(combo):
    """What the combo page shows: parts (with line price), saving, "còn N hộp", problems."""
    if not is_combo(combo):
        return None
    parts = parts_of(combo)
    for part in parts:
        part.extra["line_price"] = part.unit_price * part.quantity
    record = next(iter(combo.stockrecords.all()), None)
    online_units, per_location = availability(combo, parts)
    return ComboSummary(
        parts=parts,
        price=record.price if record is not None else None,
        separate_total=sum((p.extra["line_price"] for p in parts), Decimal(0)),
        online_units=online_units,
        per_location=per_location,
        problems=problems(combo, parts),
    )


def home_combos(limit=8):
    """Public combos for the home page, prefetched like the product cards."""
    from catalogue.browsing import browsable_products

    return list(
        browsable_products()
        .filter(product_class__slug=COMBO_CLASS_SLUG)
        .order_by("-date_created", "-pk")[:limit]
    )


# --- Withdrawal ----------------------------------------------------------------------------


def combos_containing(products):
    """Public combos with a component offer of one of ``products``."""
    Product, _pc, ComboComponent, _sr, _p = _models()
    ids = [getattr(p, "pk", p) for p in products]
    return Product.objects.filter(
        pk__in=ComboComponent.objects.filter(component__product_id__in=ids).values("combo_id")
    )


def withdraw_unsellable_combos(combos=None, notify=True):
    """Hide every public combo that cannot be sold; email the district office; return them.

    ``[(combo, [problem, ...]), ...]``. A hidden combo is not re-reported; the
    office publishes it again once the composition is fixed.
    """
    Product = _models()[0]
    if combos is None:
        combos = Product.objects.filter(product_class__slug=COMBO_CLASS_SLUG)
    withdrawn = []
    for combo in combos.filter(is_public=True).order_by("pk"):
        found = problems(combo)
        if found:
            withdrawn.append((combo, found))
    if not withdrawn:
        return []
    with transaction.atomic():
        Product.objects.filter(pk__in=[c.pk for c, _f in withdrawn]).update(is_public=False)
        for combo, _f in withdrawn:
            combo.is_public = False
        inventory.refresh_combo_totals([c for c, _f in withdrawn])
    if notify:
        _tell_office(withdrawn)
    return withdrawn


def _tell_office(withdrawn):
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.mail import send_mail
    from django.db.models import Q

    from shop.core.roles import DISTRICT_OFFICE

    users = get_user_model().objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(is_staff=True, groups__name=DISTRICT_OFFICE)
    )
    recipients = sorted({u.email for u in users if u.email})
    if not recipients:
        return
    lines = [_("Các combo quà tặng sau đã tạm ngừng bán vì có thành phần không còn bán được:"), ""]
    for combo, found in withdrawn:
        lines.append(f"- {combo.get_title()}:")
        lines.extend(f"    {message}" for message in found)
    lines += ["", _("Hãy sửa thành phần của combo rồi cho bán lại.")]
    send_mail(
        _("[OCOP Đăk Hà] Combo quà tặng tạm ngừng bán"), "\n".join(lines) + "\n",
        getattr(settings, "DEFAULT_FROM_EMAIL", None), recipients,
    )


def on_product_changed(product):
    """A product was saved or its certificate changed: withdraw combos it breaks."""
    if product is None or product.pk is None or is_combo(product):
        return []
    affected = combos_containing([product])
    if not affected.exists():
        return []
    found = withdraw_unsellable_combos(affected)
    inventory.refresh_combo_totals(list(affected))
    return found


# --- Signals (connected from catalogue.models) ------------------------------------------------


def _product_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    if is_combo(instance):
        if instance.stockrecords.exists():
            inventory.refresh_combo_totals([instance])
    else:
        on_product_changed(instance)


def _certificate_changed(sender, instance, raw=False, **kwargs):
    if raw or not instance.product_id:
        return
    from catalogue import certification

    Product = _models()[0]
    product = Product.objects.filter(pk=instance.product_id).first()
    if product is None:
        return
    certification.refresh_product_stars(product)
    on_product_changed(product)


def connect_signals(product_model, certificate_model):
    from django.db.models.signals import post_delete, post_save

    post_save.connect(_product_saved, sender=product_model, dispatch_uid="combo_product_saved")
    post_save.connect(
        _certificate_changed, sender=certificate_model, dispatch_uid="combo_certificate_saved"
    )
    post_delete.connect(
        _certificate_changed, sender=certificate_model, dispatch_uid="combo_certificate_deleted"
    )
