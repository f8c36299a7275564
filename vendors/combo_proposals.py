"""A producer composes its own gift combos; the district office approves them — the rules.

A producer may sell a combo of **only its own** approved, certified offers, plus
gift packaging (gift box, wrap) of the district partner. The composition rules
are :func:`catalogue.combos.validate_composition` with ``seller`` = the
producer's Partner; this module never re-states them, it only decides *when*
what the producer proposes reaches shoppers (the moderation of
:mod:`vendors.moderation`):

* a **new combo** is created hidden (``is_public=False``) with its
  StockRecord owned by the producer's Partner and its components, plus a
  ``NEW_PRODUCT`` change request holding the proposed values and
  ``"components": [[stockrecord_id, quantity], ...]``. Approval re-validates
  that composition (a component may have lost its certificate since), applies
  it and publishes the combo;
* editing a combo that is **not public** (waiting, refused or withdrawn)
  changes it in place — shoppers cannot see it — and files a fresh request to
  publish it (any pending one is withdrawn);
* editing a **public** combo files one ``UPDATE`` request with what differs
  from the live combo (title, story, price and/or the components); shoppers
  keep buying the live composition until the office approves, then
  :func:`catalogue.combos.set_components` applies it. The edit form starts from
  the live combo with the pending proposal laid over it, and a new proposal
  replaces the pending one.

Views (``vendors.views``) and tests call these functions.
"""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from catalogue import combos
from vendors import moderation
from vendors.models import ChangeRequest

Product = get_model("catalogue", "Product")
ComboComponent = get_model("catalogue", "ComboComponent")
StockRecord = get_model("partner", "StockRecord")

Kind = ChangeRequest.Kind
Status = ChangeRequest.Status
ModerationError = moderation.ModerationError

# What a producer writes about its combo (the storefront shows ``product_story``
# as escaped text with line breaks), then the price and the components.
COMBO_FIELDS = ("title", "product_story")
PRICE = moderation.PRICE
COMPONENTS = "components"
MAX_COMPONENTS = 20
COMPONENTS_LABEL = gettext_lazy("Thành phần combo")

_WHOLE_NUMBER = re.compile(r"[+-]?\d{1,12}")


# --- Values ----------------------------------------------------------------------------


def encode(items):
    """``[(stockrecord, qty), ...]`` as JSON for ``ChangeRequest.proposed``: ``[[id, qty], ...]``."""
    return [[stockrecord.pk, int(quantity)] for stockrecord, quantity in items]


def parse_quantity(text):
    """A typed quantity as an ``int`` when it is a whole number, else the text unchanged.

    The composition rule (``validate_composition``) then refuses anything that is
    not a whole number ≥ 1, naming the product, in its own words.
    """
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    value = str(text if text is not None else "").strip()
    return int(value) if _WHOLE_NUMBER.fullmatch(value) else value


def current_items(combo):
    """The live components of ``combo`` as ``[(stockrecord, qty), ...]``."""
    return [(part.stockrecord, part.quantity) for part in combos.parts_of(combo)]


def decode(pairs):
    """``[[id, qty], ...]`` back to ``[(stockrecord, qty), ...]`` (one query), in order.

    Refused with a :class:`ModerationError` when an offer no longer exists.
    """
    pairs = [(int(pk), int(qty)) for pk, qty in (pairs or [])]
    records = StockRecord.objects.select_related(
        "partner", "product__product_class", "product__parent", "product__producer__partner"
    ).in_bulk([pk for pk, _qty in pairs])
    missing = [pk for pk, _qty in pairs if pk not in records]
    if missing:
        raise ModerationError(
            _("Thành phần (mã %(ids)s) không còn được bán: hãy gửi lại thành phần của combo.")
            % {"ids": ", ".join(str(pk) for pk in missing)}
        )
    return [(records[pk], qty) for pk, qty in pairs]


def check_composition(combo, items, seller):
    """``validate_composition`` for ``seller``, its messages as one :class:`ModerationError`."""
    try:
        combos.validate_composition(combo, items, seller=seller)
    except ValidationError as error:
        raise ModerationError(" ".join(error.messages)) from None


def _values(data):
    """Title, story and price from a form's data, as JSON-ready strings (price checked)."""
    return moderation.json_values(
        {name: data.get(name) for name in (*COMBO_FIELDS, PRICE) if name in data}
    )


def live_values(combo):
    """What shoppers see of ``combo`` now: title, story and price, as strings."""
    values = {name: moderation.norm(getattr(combo, name)) for name in COMBO_FIELDS}
    record = next(iter(combo.stockrecords.all()), None)
    values[PRICE] = str(int(record.price)) if record is not None and record.price is not None else ""
    return values


def _pending(combo):
    return ChangeRequest.objects.filter(
        product=combo, kind__in=(Kind.NEW_PRODUCT, Kind.UPDATE), status=Status.PENDING
    ).order_by("pk")


def editable(combo):
    """``(values, [[id, qty], ...])`` the edit form starts from: live, with pending proposals over."""
    values = live_values(combo)
    pairs = encode(current_items(combo))
    for change in _pending(combo):
        for name in (*COMBO_FIELDS, PRICE):
            if name in change.proposed:
                values[name] = change.proposed[name]
        if COMPONENTS in change.proposed:
            pairs = [list(pair) for pair in change.proposed[COMPONENTS]]
    return values, pairs


# --- What a producer may put in a combo ------------------------------------------------------


def candidate_offers(vendor, combo=None):
    """Offers a producer may choose from: its own sellable offers and the district's packaging.

    The list is a convenience for the form's menu (filtered by
    ``combos.component_ok``, the rule for a component); the composition is
    still validated by ``combos.validate_composition``. A component already in
    ``combo`` stays in the menu even if it is no longer sellable, so that the
    producer sees why it is refused instead of losing it silently.
    """
    query = Q(partner=vendor.partner, price__isnull=False) | Q(
        partner__code=combos.DISTRICT_PARTNER_CODE,
        product__product_class__slug=combos.PACKAGING_CLASS_SLUG,
        price__isnull=False,
    )
    keep = set()
    if combo is not None and combo.pk is not None:
        keep = set(
            ComboComponent.objects.filter(combo=combo).values_list("component_id", flat=True)
        )
        query |= Q(pk__in=keep)
    records = (
        StockRecord.objects.filter(query)
        .select_related("partner", "product__product_class", "product__parent__product_class")
        .order_by("product__title", "pk")
    )
    chosen = []
    for record in records:
        product = record.product
        product_class = product.get_product_class()
        slug = product_class.slug if product_class is not None else None
        if record.pk in keep or combos.component_ok(product.is_public, product.ocop_stars, slug):
            chosen.append(record)
    return chosen


def reachable_offers(vendor):
    """Offers whose id a producer may post (and be told why it is refused, naming it).

    Its own offers, any public product's offer and the district's packaging.
    Anything else (another producer's hidden listing) is "not found": its
    title is not the producer's to read.
    """
    return StockRecord.objects.filter(
        Q(partner=vendor.partner)
        | Q(product__is_public=True)
        | Q(product__product_class__slug=combos.PACKAGING_CLASS_SLUG)
    ).select_related("partner", "product__product_class", "product__parent", "product__producer__partner")


def price_summary(items, price):
    """``(separate_total, saving)`` in đồng for ``items`` sold at ``price`` (rows with bad qty skipped)."""
    total = Decimal(0)
    for record, quantity in items:
        if isinstance(quantity, int) and not isinstance(quantity, bool) and quantity > 0:
            total += (record.price or Decimal(0)) * quantity
    saving = max(Decimal(0), total - price) if price is not None and total else Decimal(0)
    return total, saving


# --- Proposals (producer) ------------------------------------------------------------------


def _withdraw_pending(combo, kinds):
    ChangeRequest.objects.filter(product=combo, kind__in=kinds, status=Status.PENDING).update(
        status=Status.WITHDRAWN, reviewed_at=timezone.now()
    )


@transaction.atomic
def propose_new_combo(vendor, user, data, items):
    """Compose a hidden combo of ``vendor`` and a request to publish it; returns the request.

    ``data``: ``title``, ``product_story``, ``price``; ``items``:
    ``[(stockrecord, qty), ...]``.
    """
    values = _values(data)
    if not values.get("title"):
        raise ModerationError(_("Hãy nhập tên combo."))
    if PRICE not in values:
        raise ModerationError(_("Hãy nhập giá combo."))
    check_composition(None, items, vendor.partner)
    combo = combos.create_combo(
        title=values["title"], price=Decimal(values[PRICE]), items=items,
        seller=vendor.partner, is_public=False,
    )
    combo.producer = vendor
    combo.product_story = values.get("product_story", "")
    combo.save()
    proposed = {**values, COMPONENTS: encode(items)}
    return ChangeRequest.objects.create(
        vendor=vendor, product=combo, kind=Kind.NEW_PRODUCT, proposed=proposed,
        previous={}, created_by=user,
    )


@transaction.atomic
def propose_combo_change(combo, user, data, items):
    """The producer edits ``combo``: in place + a publish request if hidden, else an UPDATE request."""
    vendor = combo.producer
    seller = vendor.partner
    values = _values(data)
    if "title" in values and not values["title"]:
        raise ModerationError(_("Tên combo không được để trống."))
    check_composition(combo, items, seller)
    if not combo.is_public:
        return _republish(combo, user, values, items)
    current = live_values(combo)
    changed = {name: value for name, value in values.items() if value != current.get(name, "")}
    previous = {name: current.get(name, "") for name in changed}
    live_pairs = encode(current_items(combo))
    if encode(items) != live_pairs:
        changed[COMPONENTS] = encode(items)
        previous[COMPONENTS] = live_pairs
    if not changed:
        raise ModerationError(_("Không có thay đổi nào so với combo đang bán."))
    pending = list(_pending(combo).filter(kind=Kind.UPDATE))
    if len(pending) == 1 and pending[0].proposed == changed:
        raise ModerationError(_("Những thay đổi này đã được gửi và đang chờ duyệt."))
    # The form started from the pending proposal: the new one replaces it.
    _withdraw_pending(combo, [Kind.UPDATE])
    return ChangeRequest.objects.create(
        vendor=vendor, product=combo, kind=Kind.UPDATE, proposed=changed, previous=previous,
        created_by=user,
    )


def _republish(combo, user, values, items):
    for name in COMBO_FIELDS:
        if name in values:
            setattr(combo, name, values[name])
    combo.save()
    seller = combo.producer.partner
    combos.set_components(combo, items, seller=seller)
    if PRICE in values:
        record = combos.combo_stockrecord(combo)
        record.price = Decimal(values[PRICE])
        record.save(update_fields=["price"])
    combo = Product.objects.prefetch_related("stockrecords").get(pk=combo.pk)
    proposed = {**live_values(combo), COMPONENTS: encode(items)}
    if not proposed[PRICE]:
        raise ModerationError(_("Hãy nhập giá combo."))
    _withdraw_pending(combo, [Kind.NEW_PRODUCT, Kind.UPDATE])
    return ChangeRequest.objects.create(
        vendor=combo.producer, product=combo, kind=Kind.NEW_PRODUCT, proposed=proposed,
        previous={}, created_by=user,
    )


# --- Approval (district office; called by moderation.apply_change) ----------------------------


def composition_to_approve(change):
    """The components ``change`` will give its combo, re-validated now; None if it sets none.

    A new combo (or a combo published again) is checked with its proposed
    components (or its present ones); an update only when it proposes
    components. Refused with a :class:`ModerationError` naming each component
    that cannot be sold (lost its certificate, withdrawn, another producer's, ...).
    """
    combo = change.product
    if not combos.is_combo(combo):
        return None
    proposed = change.proposed or {}
    if COMPONENTS in proposed:
        items = decode(proposed[COMPONENTS])
    elif change.kind == Kind.NEW_PRODUCT:
        items = current_items(combo)
    else:
        return None
    check_composition(combo, items, seller_of(combo))
    return items


def seller_of(combo):
    record = combos.combo_stockrecord(combo)
    if record is not None:
        return record.partner
    return combo.producer.partner if combo.producer_id else combos.district_partner()


def apply_composition(combo, items):
    try:
        combos.set_components(combo, items, seller=seller_of(combo))
    except ValidationError as error:
        raise ModerationError(" ".join(error.messages)) from None


# --- What the office (and the producer) read --------------------------------------------------


class ComponentRow:
    """One line of the components table: an offer with its live and proposed quantities."""

    def __init__(self, record, old, new):
        self.record = record
        self.old = old
        self.new = new

    @property
    def title(self):
        return self.record.product.get_title()

    @property
    def seller(self):
        return self.record.partner.name

    @property
    def price(self):
        return self.record.price

    @property
    def currency(self):
        return self.record.price_currency

    @property
    def line_price(self):
        """The separate-purchase price of the row's proposed (else live) quantity."""
        quantity = self.new if self.new is not None else self.old
        return (self.record.price or Decimal(0)) * (quantity or 0)

    @property
    def state(self):
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "changed" if self.old != self.new else "same"


class ComponentTable:
    """The components of a combo change request: rows, separate-purchase total, price, saving."""

    def __init__(self, rows, price, currency, proposes_components, is_new):
        self.rows = rows
        self.price = price
        self.currency = currency
        self.proposes_components = proposes_components
        self.is_new = is_new

    @property
    def separate_total(self):
        """What the proposed components cost bought one by one."""
        return sum((row.line_price for row in self.rows if row.new is not None), Decimal(0))

    @property
    def saving(self):
        if self.price is None:
            return Decimal(0)
        return max(Decimal(0), self.separate_total - self.price)


def component_tables(changes):
    """``{change.pk: ComponentTable}`` for the combo requests among ``changes`` (two queries at most).

    ``changes`` have their product (with its product class and prefetched
    stockrecords) loaded, as the review queue does.
    """
    wanted = [
        c for c in changes
        if c.kind in (Kind.NEW_PRODUCT, Kind.UPDATE) and combos.is_combo(c.product)
    ]
    if not wanted:
        return {}
    live = {}
    records = {}
    rows = (
        ComboComponent.objects.filter(combo_id__in={c.product_id for c in wanted})
        .select_related("component__partner", "component__product__parent")
        .order_by("display_order", "pk")
    )
    for row in rows:
        live.setdefault(row.combo_id, []).append((row.component_id, row.quantity))
        records[row.component_id] = row.component
    proposed_ids = {
        int(pk) for c in wanted for pk, _qty in (c.proposed or {}).get(COMPONENTS, [])
    } - set(records)
    if proposed_ids:
        records.update(
            StockRecord.objects.select_related("partner", "product__parent").in_bulk(proposed_ids)
        )
    tables = {}
    for change in wanted:
        proposed = change.proposed or {}
        current = [] if not change.product.is_public else live.get(change.product_id, [])
        if COMPONENTS in proposed:
            new = [(int(pk), int(qty)) for pk, qty in proposed[COMPONENTS]]
        else:
            new = live.get(change.product_id, [])
            current = new
        old_qty = dict(current)
        new_qty = dict(new)
        order = [pk for pk, _q in new] + [pk for pk, _q in current if pk not in new_qty]
        table_rows = [
            ComponentRow(records[pk], old_qty.get(pk), new_qty.get(pk))
            for pk in order if pk in records
        ]
        record = next(iter(change.product.stockrecords.all()), None)
        price = proposed.get(PRICE) or (
            str(int(record.price)) if record is not None and record.price is not None else ""
        )
        tables[change.pk] = ComponentTable(
            table_rows, Decimal(price) if price else None,
            record.price_currency if record is not None else "VND",
            COMPONENTS in proposed, change.kind == Kind.NEW_PRODUCT,
        )
    return tables


# --- The producer's list -------------------------------------------------------------------

ON_SALE = "on_sale"
WAITING = "waiting"
REFUSED = "refused"
STOPPED = "stopped"
STATE_LABELS = {
    ON_SALE: gettext_lazy("Đang bán"),
    WAITING: gettext_lazy("Chờ duyệt"),
    REFUSED: gettext_lazy("Bị từ chối"),
    STOPPED: gettext_lazy("Ngừng bán"),
}


class ComboState:
    """Where a producer's combo stands: on sale / waiting / refused (with the reason) / stopped."""

    def __init__(self, code, reason="", pending_update=False, refused_update=""):
        self.code = code
        self.reason = reason
        self.pending_update = pending_update
        self.refused_update = refused_update

    @property
    def label(self):
        return STATE_LABELS[self.code]


def combo_state(combo, changes):
    """The state of ``combo`` from its publish/update requests ``changes`` (newest first).

    ``changes`` excludes withdrawn requests (as the list view prefetches them).
    """
    publish = [c for c in changes if c.kind == Kind.NEW_PRODUCT]
    updates = [c for c in changes if c.kind == Kind.UPDATE]
    if combo.is_public:
        pending_update = any(c.is_pending for c in updates)
        latest = updates[0] if updates else None
        refused = latest.reason if latest is not None and latest.status == Status.REJECTED else ""
        return ComboState(ON_SALE, pending_update=pending_update, refused_update=refused)
    if any(c.is_pending for c in publish):
        return ComboState(WAITING)
    if publish and publish[0].status == Status.REJECTED:
        return ComboState(REFUSED, reason=publish[0].reason)
    return ComboState(STOPPED)
