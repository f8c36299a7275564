"""Moderation of producers' listings: propose, approve, reject — the rules in one place.

What a producer proposes is stored as a :class:`vendors.models.ChangeRequest`
and changes nothing a shopper sees until the district office approves it:

* a **new product** is created hidden (``is_public=False``, no StockRecord, so
  no price and nothing to buy); approval publishes it and creates its offer
  (StockRecord) at the proposed price. Any edit of a product that is not
  public is a (new) request to publish it with those values;
* an **update** of a public product (title, description, story, label facts,
  price) keeps only the fields that differ; the live product and its
  StockRecord keep the old values until approval;
* a **gift combo** of the producer's own offers follows the same two paths
  (:mod:`vendors.combo_proposals`): its components ride in ``proposed``
  (``"components": [[stockrecord_id, quantity], ...]``), are checked again by
  ``catalogue.combos`` on approval and only then replace the live ones;
* a **certificate** (with the decision scan) or a **photo** is kept in the
  request (values in ``proposed``, the file in ``attachment``) and only created
  on approval — so neither the star badge nor the gallery moves before.

The office approves (:func:`apply_change`) or rejects with a reason the
producer sees (:func:`reject_change`); the producer may withdraw a pending
request (:func:`withdraw_change`). Views, the API and tests call these.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from catalogue import combos, images, uploads
from shop import money
from vendors.models import ChangeRequest

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductImage = get_model("catalogue", "ProductImage")
Category = get_model("catalogue", "Category")
OcopCertificate = get_model("catalogue", "OcopCertificate")
StockRecord = get_model("partner", "StockRecord")

Kind = ChangeRequest.Kind
Status = ChangeRequest.Status

# Product fields a producer may propose (text of the listing and its label facts).
PRODUCT_FIELDS = (
    "title",
    "description",
    "product_story",
    "ingredients",
    "usage",
    "storage",
    "shelf_life",
    "net_quantity",
    "growing_area_code",
)
PRICE = "price"
CATEGORY = "category"
CERTIFICATE_FIELDS = (
    "stars",
    "score",
    "rating_level",
    "certifying_body",
    "decision_number",
    "decision_date",
)
MAX_PRICE = Decimal("1000000000")
REASON_MAX_LENGTH = 1000


class ModerationError(Exception):
    """A refused moderation step; ``str(error)`` is a message for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return str(self.message)


# --- Values ---------------------------------------------------------------------


def clean_price(value):
    """A price in whole đồng (Decimal, no minor unit), or ValidationError in Vietnamese."""
    try:
        price = money.parse(value, grouped=True)
    except money.MoneyError as error:
        if error.code == "invalid":
            raise ValidationError(
                _("Giá phải là một số tiền bằng đồng, ví dụ 150000."), code="price"
            ) from None
        raise ValidationError(_("Giá tính bằng đồng, không có phần lẻ."), code="price") from None
    if price <= 0:
        raise ValidationError(_("Giá phải lớn hơn 0 đồng."), code="price")
    if price > MAX_PRICE:
        raise ValidationError(_("Giá không được quá 1.000.000.000 đồng."), code="price")
    return price


def offer_of(product):
    """The producer's StockRecord of ``product`` (uses prefetched stockrecords), or None."""
    partner_id = product.producer.partner_id if product.producer_id else None
    for record in product.stockrecords.all():
        if record.partner_id == partner_id:
            return record
    return None


def live_values(product):
    """What shoppers see now: the product's fields and the price, as JSON-ready strings."""
    values = {name: getattr(product, name) or "" for name in PRODUCT_FIELDS}
    offer = offer_of(product)
    values[PRICE] = str(int(offer.price)) if offer is not None and offer.price is not None else ""
    return values


def editable_values(product):
    """Values a producer's edit form starts from: live values, or the pending listing's price."""
    values = live_values(product)
    if not values[PRICE]:
        pending = (
            ChangeRequest.objects.filter(
                product=product, kind=Kind.NEW_PRODUCT, status=Status.PENDING
            ).order_by("-pk").first()
        )
        if pending is not None:
            values[PRICE] = pending.proposed.get(PRICE, "")
    return values


def _product_class():
    product_class = ProductClass.objects.order_by("pk").first()
    if product_class is None:
        product_class = ProductClass.objects.create(
            name=_("Sản phẩm OCOP"), slug="ocop-product", requires_shipping=True, track_stock=True
        )
    return product_class


def norm(value):
    """Text as stored and compared: no surrounding blanks, ``\n`` line ends."""
    return str(value or "").replace("\r\n", "\n").strip()


def json_values(data):
    """The product fields and price present in ``data``, as JSON-ready strings (price checked)."""
    values = {name: norm(data.get(name)) for name in PRODUCT_FIELDS if name in data}
    if data.get(PRICE) not in (None, ""):
        values[PRICE] = str(int(clean_price(data[PRICE])))
    return values


# --- Proposals (producer) -----------------------------------------------------------


def _withdraw_pending(product, kind):
    ChangeRequest.objects.filter(product=product, kind=kind, status=Status.PENDING).update(
        status=Status.WITHDRAWN, reviewed_at=timezone.now()
    )


@transaction.atomic
def propose_new_product(vendor, user, data, category=None):
    """Create a hidden product for ``vendor`` and a request to publish it."""
    values = json_values(data)
    if not values.get("title"):
        raise ModerationError(_("Hãy nhập tên sản phẩm."))
    if PRICE not in values:
        raise ModerationError(_("Hãy nhập giá bán."))
    product = Product(
        product_class=_product_class(),
        producer=vendor,
        origin_unit=vendor.commune,
        is_public=False,
        **{name: values.get(name, "") for name in PRODUCT_FIELDS},
    )
    product.save()
    if category is not None:
        product.categories.add(category)
        values[CATEGORY] = category.pk
    return ChangeRequest.objects.create(
        vendor=vendor, product=product, kind=Kind.NEW_PRODUCT, proposed=values,
        previous={}, created_by=user,
    )


@transaction.atomic
def propose_update(product, user, data):
    """Propose new values (fields and/or price) for ``product``; only what differs is kept.

    A product that is not public is not on sale yet: its fields are updated in
    place (shoppers cannot see it) and a fresh request to publish it replaces
    any pending one.
    """
    current = live_values(product)
    values = json_values(data)
    changed = {
        name: value for name, value in values.items() if value != norm(current.get(name))
    }
    if "title" in values and not values["title"]:
        raise ModerationError(_("Tên sản phẩm không được để trống."))
    if not product.is_public:
        for name in PRODUCT_FIELDS:
            if name in values:
                setattr(product, name, values[name])
        product.save()
        pending = (
            ChangeRequest.objects.filter(
                product=product, kind=Kind.NEW_PRODUCT, status=Status.PENDING
            ).order_by("-pk").first()
        )
        before = pending.proposed if pending else {}
        proposed = live_values(product)
        price = values.get(PRICE) or before.get(PRICE) or proposed.get(PRICE)
        if not price:
            raise ModerationError(_("Hãy nhập giá bán."))
        proposed[PRICE] = price
        if CATEGORY in before:
            proposed[CATEGORY] = before[CATEGORY]
        _withdraw_pending(product, Kind.NEW_PRODUCT)
        return ChangeRequest.objects.create(
            vendor=product.producer, product=product, kind=Kind.NEW_PRODUCT,
            proposed=proposed, previous={}, created_by=user,
        )
    if not changed:
        raise ModerationError(_("Không có thay đổi nào so với thông tin đang bán."))
    return ChangeRequest.objects.create(
        vendor=product.producer, product=product, kind=Kind.UPDATE, proposed=changed,
        previous={name: current.get(name, "") for name in changed}, created_by=user,
    )


def _certificate_values(data):
    values = {}
    for name in CERTIFICATE_FIELDS:
        value = data.get(name)
        if isinstance(value, datetime.date):
            value = value.isoformat()
        values[name] = value
    return values


def check_certificate(product, data):
    """An unsaved certificate of ``product`` from ``data``, checked by the registry's rules."""
    values = dict(data)
    if isinstance(values.get("decision_date"), str):
        try:
            values["decision_date"] = datetime.date.fromisoformat(values["decision_date"])
        except ValueError:
            raise ValidationError({"decision_date": _("Ngày quyết định không hợp lệ.")}) from None
    certificate = OcopCertificate(product=product, **{n: values.get(n) for n in CERTIFICATE_FIELDS})
    if certificate.decision_date is not None:
        certificate.valid_until = certificate.decision_date  # computed again on save
    certificate.full_clean(exclude=["scan", "valid_until"])
    return certificate


@transaction.atomic
def propose_certificate(product, user, data, scan=None):
    """Propose an OCOP certificate (values checked now, created on approval)."""
    check_certificate(product, data)
    change = ChangeRequest(
        vendor=product.producer, product=product, kind=Kind.CERTIFICATE,
        proposed=_certificate_values(data), previous={}, created_by=user,
    )
    if scan:
        uploads.save_upload(change.attachment, scan, images.SCANS)
    change.save()
    return change


@transaction.atomic
def propose_photo(product, user, image, caption=""):
    """Propose a photo for ``product`` (already checked by catalogue.images); added on approval."""
    change = ChangeRequest(
        vendor=product.producer, product=product, kind=Kind.PHOTO,
        proposed={"caption": (caption or "").strip()[:200]}, previous={}, created_by=user,
    )
    uploads.save_upload(change.attachment, image, images.PICTURES)
    change.save()
    return change


@transaction.atomic
def withdraw_change(change, user):
    change = ChangeRequest.objects.select_for_update().get(pk=change.pk)
    if not change.is_pending:
        raise ModerationError(_("Yêu cầu này đã được xử lý, không thể rút lại."))
    change.status = Status.WITHDRAWN
    change.reviewed_at = timezone.now()
    change.save(update_fields=["status", "reviewed_at"])
    return change


# --- Review (district office) ---------------------------------------------------------


def _lock_pending(change):
    change = ChangeRequest.objects.select_for_update(of=("self",)).select_related(
        "product", "product__producer", "vendor"
    ).get(pk=change.pk)
    if not change.is_pending:
        raise ModerationError(
            _("Yêu cầu này đã được xử lý (%(status)s).") % {"status": change.get_status_display()}
        )
    return change


def _set_price(product, price):
    combo_offer = combos.combo_stockrecord(product) if combos.is_combo(product) else None
    if combo_offer is not None:
        # A combo has exactly one offer, whoever sells it (catalogue.combos).
        combo_offer.price = price
        combo_offer.save(update_fields=["price"])
        return
    offer = StockRecord.objects.filter(product=product, partner=product.producer.partner).first()
    if offer is None:
        partner = product.producer.partner
        sku = f"{partner.code or partner.pk}-{product.pk}"
        StockRecord.objects.create(
            product=product, partner=partner, partner_sku=sku, price=price,
            price_currency="VND", num_in_stock=0,
        )
    else:
        offer.price = price
        offer.save()


def _apply_fields(product, proposed):
    for name in PRODUCT_FIELDS:
        if name in proposed:
            setattr(product, name, proposed[name])


def _copy_attachment(change, field_file, kinds=images.SCANS):
    """Publish the private file of ``change`` as ``field_file`` (a new generated name)."""
    try:
        uploads.copy_to(change.attachment, field_file, kinds)
    except FileNotFoundError:
        raise ModerationError(_("Không tìm thấy tệp kèm theo của yêu cầu.")) from None
    except ValidationError as error:
        raise ModerationError(" ".join(error.messages)) from None


@transaction.atomic
def apply_change(change, reviewer):
    """Approve ``change``: the shopper sees it from now on."""
    change = _lock_pending(change)
    product = change.product
    proposed = change.proposed
    if change.kind in (Kind.NEW_PRODUCT, Kind.UPDATE):
        from vendors import combo_proposals

        # A combo's components are checked again now (one may have lost its certificate).
        items = combo_proposals.composition_to_approve(change)
        _apply_fields(product, proposed)
        if change.kind == Kind.NEW_PRODUCT:
            product.is_public = True
        if not product.title:
            raise ModerationError(_("Sản phẩm chưa có tên."))
        product.save()
        if proposed.get(PRICE):
            _set_price(product, clean_price(proposed[PRICE]))
        elif change.kind == Kind.NEW_PRODUCT and not product.stockrecords.exists():
            raise ModerationError(_("Sản phẩm mới chưa có giá bán."))
        if items is not None:
            combo_proposals.apply_composition(product, items)
    elif change.kind == Kind.CERTIFICATE:
        try:
            certificate = check_certificate(product, proposed)
        except ValidationError as error:
            raise ModerationError(" ".join(error.messages)) from None
        if change.attachment:
            _copy_attachment(change, certificate.scan)
        certificate.save()
    elif change.kind == Kind.PHOTO:
        if not change.attachment:
            raise ModerationError(_("Yêu cầu không có ảnh kèm theo."))
        order = ProductImage.objects.filter(product=product).aggregate(n=Max("display_order"))["n"]
        image = ProductImage(
            product=product, caption=proposed.get("caption", ""),
            display_order=0 if order is None else order + 1,
        )
        _copy_attachment(change, image.original, images.PICTURES)
        image.save()
    change.status = Status.APPROVED
    change.reviewed_by = reviewer
    change.reviewed_at = timezone.now()
    change.reason = ""
    change.save(update_fields=["status", "reviewed_by", "reviewed_at", "reason"])
    return change


@transaction.atomic
def reject_change(change, reviewer, reason):
    """Reject ``change`` with a reason the producer sees; nothing of it is applied."""
    reason = (reason or "").strip()
    if not reason:
        raise ModerationError(_("Hãy ghi lý do từ chối để chủ thể biết cần sửa gì."))
    if len(reason) > REASON_MAX_LENGTH:
        raise ModerationError(_("Lý do không được dài quá 1000 ký tự."))
    change = _lock_pending(change)
    change.status = Status.REJECTED
    change.reviewed_by = reviewer
    change.reviewed_at = timezone.now()
    change.reason = reason
    change.save(update_fields=["status", "reviewed_by", "reviewed_at", "reason"])
    return change


# --- What the office reads ------------------------------------------------------------

FIELD_LABELS = {
    PRICE: gettext_lazy("Giá bán (đồng)"),
    CATEGORY: gettext_lazy("Nhóm sản phẩm"),
    "caption": gettext_lazy("Chú thích ảnh"),
}


def _label(name):
    if name in FIELD_LABELS:
        return FIELD_LABELS[name]
    for model in (Product, OcopCertificate):
        try:
            return model._meta.get_field(name).verbose_name
        except Exception:  # noqa: BLE001 - the next model may have it
            continue
    return name


def diff_rows(change):
    """[(label, current value, proposed value, differs)] for the review page."""
    proposed = change.proposed or {}
    if change.kind in (Kind.NEW_PRODUCT, Kind.UPDATE):
        current = live_values(change.product) if change.product.is_public else {}
        rows = []
        for name in (*PRODUCT_FIELDS, PRICE):
            if name in proposed:
                old, new = current.get(name, ""), proposed[name]
                rows.append((_label(name), old, new, old != new))
        if CATEGORY in proposed:
            category = Category.objects.filter(pk=proposed[CATEGORY]).first()
            rows.append((_label(CATEGORY), "", str(category or ""), True))
        return rows
    return [(_label(name), "", value, True) for name, value in proposed.items()]
