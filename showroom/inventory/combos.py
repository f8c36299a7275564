"""Gift combos as the stock sees them: no stock of their own, made of components.

The inventory moves and counts combos by these rules; ``catalogue.combos``
(composition, pages, the revenue split, withdrawal) builds on them.

* A combo is a product of the class ``gift-combo``; gift packaging (gift box,
  wrap) is a product of the class ``gift-packaging``. A combo has no ``Stock``
  rows: receipts, transfers and counts of a combo are refused
  (:func:`refuse_combo`); a sale or an order of one moves its components.
* A component is sellable inside a combo when it is packaging, or a public
  product with a current OCOP certificate (``Product.ocop_stars`` is its
  badge); a combo is never a component (:func:`component_ok`,
  :func:`component_problem` says why not, as a message).
* A combo is sellable only while it is public, has components, and every
  component is sellable (:func:`combo_problems`).
* The units a combo allows = min over its components of ⌊free / quantity⌋,
  0 when it is not sellable (:func:`units_from`): per location, and online
  over the sellable locations (:func:`combo_availability`); its StockRecord's
  derived ``num_in_stock`` is the same over the components' totals
  (:func:`combo_totals`).
* A component that is an experience (a product of a class in the setting
  ``EXPERIENCE_PRODUCT_CLASSES``, default ``("tourism-service",)``) is a
  **voucher component**: the combo carries a gift voucher for it, made when
  the combo is sold (``shop.order``), not stock. It must be sellable like any
  component, but it never limits the units a combo allows and is never
  allocated or moved (:func:`is_voucher`, :func:`stock_components`); a combo
  of voucher components only allows 0 units.
"""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from showroom.inventory.errors import InvalidOperation
from showroom.models import Stock

ComboComponent = get_model("catalogue", "ComboComponent")

COMBO_CLASS_SLUG = "gift-combo"
PACKAGING_CLASS_SLUG = "gift-packaging"
DEFAULT_VOUCHER_CLASS_SLUGS = ("tourism-service",)


# --- Kinds of product ------------------------------------------------------------------------


def _class_slug(product):
    product_class = product.get_product_class()
    return product_class.slug if product_class is not None else None


def is_combo(product):
    return product is not None and _class_slug(product) == COMBO_CLASS_SLUG


def is_packaging(product):
    return product is not None and _class_slug(product) == PACKAGING_CLASS_SLUG


def voucher_class_slugs():
    """The product classes sold inside a combo as a voucher (experiences), not as stock."""
    return tuple(getattr(settings, "EXPERIENCE_PRODUCT_CLASSES", DEFAULT_VOUCHER_CLASS_SLUGS))


def is_voucher(product):
    """A component that is a voucher (an experience): never counted nor moved as stock."""
    return product is not None and _class_slug(product) in voucher_class_slugs()


def stock_components(components):
    """The ``ComboComponent`` rows of ``components`` whose stock moves (vouchers left out)."""
    return [c for c in components if not is_voucher(c.component.product)]


# --- Sellability -----------------------------------------------------------------------------


def component_ok(is_public, ocop_stars, class_slug):
    """The one rule for a component offer to be sold inside a combo (see the module doc).

    ``ocop_stars`` is the product's badge, which ``catalogue.certification`` keeps
    equal to its current certificate (None when it has none).
    """
    if class_slug == COMBO_CLASS_SLUG:
        return False
    if class_slug == PACKAGING_CLASS_SLUG:
        return True
    return bool(is_public) and ocop_stars is not None


def component_problem(product):
    """Why ``product`` cannot be (or stay) a combo component, as a message; None if it can."""
    title = product.get_title()
    if is_combo(product):
        return _("%(product)s là một combo: combo không thể chứa combo khác.") % {
            "product": title
        }
    if is_packaging(product):
        return None
    if not product.is_public:
        return _("%(product)s chưa được duyệt hoặc đã ngừng bán.") % {"product": title}
    if product.ocop_stars is None:
        return _("%(product)s không có giấy chứng nhận OCOP còn hiệu lực.") % {
            "product": title
        }
    return None


def combo_problems(combo, products):
    """Why ``combo`` made of ``products`` cannot be sold now (messages); [] when sellable."""
    found = []
    if not combo.is_public:
        found.append(_("Combo %(combo)s đã ngừng bán.") % {"combo": combo.get_title()})
    if not products:
        found.append(_("Combo chưa có thành phần nào."))
    for product in products:
        problem = component_problem(product)
        if problem:
            found.append(problem)
    return found


def units_from(parts, combo_public=True):
    """Combos that ``parts`` allow: min over ⌊free / quantity⌋; 0 if none or not sellable.

    ``parts`` is ``[(free_units, quantity, sellable), ...]`` (free never below 0);
    ``free_units`` None for a voucher component: it must be sellable but never
    limits the units (a combo of vouchers only allows 0).
    """
    if not combo_public or not parts:
        return 0
    units = None
    for free, quantity, ok in parts:
        if not ok or quantity < 1:
            return 0
        if free is None:
            continue
        n = max(0, free) // quantity
        units = n if units is None else min(units, n)
    return units or 0


# --- Reading ---------------------------------------------------------------------------------


def combo_availability(combo, components):
    """``(online_units, [(location, units), ...])`` of ``combo``, read from the locations.

    ``components`` is ``[(stockrecord, quantity), ...]``. Per location: min over
    components of ⌊max(0, on hand − allocated) / qty⌋. Online: the same over the
    sum across online-selling locations (never negative stock, never units
    promised to another order); 0 everywhere when the combo is not sellable.
    """
    if not components:
        return 0, []
    ids = [stockrecord.pk for stockrecord, _quantity in components]
    free = defaultdict(int)  # (sr, location) -> units
    online = defaultdict(int)
    locations = {}
    for stock in Stock.objects.filter(stockrecord_id__in=ids).select_related("location"):
        free[(stock.stockrecord_id, stock.location_id)] = stock.free
        locations[stock.location_id] = stock.location
        if stock.location.sells_online:
            online[stock.stockrecord_id] += stock.free
    ok = not combo_problems(combo, [stockrecord.product for stockrecord, _q in components])
    vouchers = {sr.pk for sr, _q in components if is_voucher(sr.product)}
    per_location = []
    for location in sorted(locations.values(), key=lambda loc: (loc.priority, loc.code)):
        units = units_from(
            [(None if sr.pk in vouchers else free[(sr.pk, location.pk)], quantity, ok)
             for sr, quantity in components]
        )
        per_location.append((location, units))
    online_units = units_from(
        [(None if sr.pk in vouchers else online[sr.pk], quantity, ok) for sr, quantity in components]
    )
    return online_units, per_location


def combo_totals(combo_product_ids):
    """``{combo_product_id: units}``: each combo's ``num_in_stock`` from its components' totals.

    Reads the components' StockRecord totals as they are now (callers hold the
    combo rows locked, so no concurrent change of a component can be missed).
    """
    ids = list(combo_product_ids)
    if not ids:
        return {}
    parts = defaultdict(list)
    public = {}
    for row in ComboComponent.objects.filter(combo_id__in=ids).values(
        "combo_id", "combo__is_public", "quantity", "component__num_in_stock",
        "component__num_allocated", "component__product__is_public",
        "component__product__ocop_stars", "component__product__product_class__slug",
        "component__product__parent__product_class__slug",
    ):
        free = (row["component__num_in_stock"] or 0) - (row["component__num_allocated"] or 0)
        slug = (
            row["component__product__product_class__slug"]
            or row["component__product__parent__product_class__slug"]
        )
        ok = component_ok(
            row["component__product__is_public"], row["component__product__ocop_stars"], slug
        )
        free = None if slug in voucher_class_slugs() else max(0, free)
        parts[row["combo_id"]].append((free, row["quantity"], ok))
        public[row["combo_id"]] = row["combo__is_public"]
    return {pid: units_from(parts[pid], public.get(pid, False)) for pid in ids}


def combo_parts(offers):
    """``{combo_stockrecord_id: (combo_product, [ComboComponent, ...])}`` among ``offers``.

    ``offers`` is ``[(stockrecord_id, product), ...]``; a combo is recognised by its
    product's class, so nothing is queried unless there is a combo.
    """
    combo_records = {
        sr_id: product
        for sr_id, product in offers
        if sr_id is not None and product is not None and is_combo(product)
    }
    if not combo_records:
        return {}
    rows = defaultdict(list)
    for component in (
        ComboComponent.objects.filter(combo_id__in={p.pk for p in combo_records.values()})
        .select_related(
            "component__product__product_class", "component__product__parent__product_class"
        )
        .order_by("display_order", "pk")
    ):
        rows[component.combo_id].append(component)
    return {sr_id: (product, rows.get(product.pk, [])) for sr_id, product in combo_records.items()}


def check_combo_sellable(combo, components):
    found = combo_problems(combo, [c.component.product for c in components])
    if found:
        raise InvalidOperation(
            _("Không bán được %(combo)s: %(reason)s")
            % {"combo": combo.get_title(), "reason": " ".join(str(f) for f in found)}
        )


def refuse_combo(stockrecord):
    if is_combo(stockrecord.product):
        raise InvalidOperation(
            _(
                "%(product)s là combo, không có tồn kho riêng: hãy nhập, chuyển, kiểm kê "
                "từng thành phần."
            )
            % {"product": stockrecord.product.get_title()}
        )
