"""A product's facts as Saleor attributes, so a Saleor storefront shows them unchanged.

Saleor storefronts render a product's ``attributes`` (name + values) and, in the
typed API, ``assignedAttributes``. The OCOP facts are not Oscar attributes but
columns and registry rows; they are offered as attributes with fixed slugs:

=========================  ===============  =========================================
slug                       input type       value
=========================  ===============  =========================================
``ocop-stars``             NUMERIC          stars of the certificate valid today
``ocop-score``             NUMERIC          its score (of 100)
``ocop-certificate``       PLAIN_TEXT       its decision number
``ocop-valid-until``       DATE             its expiry (36 months after the decision)
``ocop-level``             DROPDOWN         the rating level (district, province, central)
``ocop-certifying-body``   PLAIN_TEXT       who rated it
``producer``               DROPDOWN         the OCOP subject (cooperative, enterprise...)
``commune``                DROPDOWN         the commune of origin
``trace-link``             PLAIN_TEXT       the public trace page's address
``net-quantity``           PLAIN_TEXT       net weight / volume on the label
``shelf-life``             PLAIN_TEXT       shelf life
``combo-components``       REFERENCE        a gift combo's component products
``combo-contents``         PLAIN_TEXT       "2 × …; 1 × …" (for storefronts without references)
=========================  ===============  =========================================

A fact the product does not have is left out. Oscar's own attributes of the
product class follow, with Saleor's input type for Oscar's attribute type. The
same facts are the product's public ``metadata`` (``ocop.stars``...).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from catalogue.search import slugify
from shop.core import links


@dataclass(frozen=True)
class Definition:
    slug: str
    name: str
    input_type: str  # an AttributeInputTypeEnum name
    entity_type: str | None = None
    unit: str | None = None
    pk: str = ""

    @property
    def id_key(self):
        return self.pk or self.slug


@dataclass
class Value:
    name: str
    slug: str
    plain_text: str | None = None
    numeric: float | None = None
    date: datetime.date | None = None
    boolean: bool | None = None
    rich_text: str | None = None
    reference: object = None  # a product, for REFERENCE attributes
    pk: str = ""


@dataclass
class Assigned:
    definition: Definition
    values: list = field(default_factory=list)


def _text(slug, name, text):
    text = str(text or "").strip()
    if not text:
        return None
    return Assigned(Definition(slug, name, "PLAIN_TEXT"),
                    [Value(name=text, slug=slugify(text)[:100] or slug, plain_text=text)])


def _choice(slug, name, text, choice_slug=None):
    text = str(text or "").strip()
    if not text:
        return None
    return Assigned(Definition(slug, name, "DROPDOWN"),
                    [Value(name=text, slug=choice_slug or slugify(text))])


def _number(slug, name, number, unit=None):
    if number is None:
        return None
    return Assigned(Definition(slug, name, "NUMERIC", unit=unit),
                    [Value(name=str(number), slug=f"{slug}-{number}", numeric=float(number))])


def ocop_facts(product, certificate, parts, request=None):
    """``[Assigned, ...]`` of the OCOP facts of ``product`` (see the module's table)."""
    items = []
    if certificate is not None:
        items += [
            _number("ocop-stars", _("Hạng sao OCOP"), certificate.stars),
            _number("ocop-score", _("Điểm OCOP"), certificate.score),
            _text("ocop-certificate", _("Số quyết định công nhận OCOP"), certificate.decision_number),
            Assigned(Definition("ocop-valid-until", _("Hiệu lực chứng nhận đến"), "DATE"),
                     [Value(name=certificate.valid_until.isoformat(),
                            slug=f"ocop-valid-until-{certificate.valid_until.isoformat()}",
                            date=certificate.valid_until)]),
            _choice("ocop-level", _("Cấp đánh giá OCOP"), certificate.get_rating_level_display(),
                    certificate.rating_level),
            _text("ocop-certifying-body", _("Cơ quan công nhận OCOP"), certificate.certifying_body),
        ]
    producer = getattr(product, "producer", None)
    if producer is not None:
        items.append(_choice("producer", _("Chủ thể OCOP"), producer.partner.name if producer.partner_id
                             else str(producer), f"producer-{producer.pk}"))
    commune = getattr(product, "origin_unit", None)
    if commune is not None:
        items.append(_choice("commune", _("Xã xuất xứ"), commune.name, commune.code))
    items.append(_text("trace-link", _("Truy xuất nguồn gốc"),
                       links.absolute(product.get_trace_url(), request)))
    items.append(_text("net-quantity", _("Khối lượng / thể tích tịnh"), product.net_quantity))
    items.append(_text("shelf-life", _("Hạn sử dụng"), product.shelf_life))
    if parts:
        items.append(Assigned(
            Definition("combo-components", _("Sản phẩm trong combo"), "REFERENCE", entity_type="PRODUCT"),
            [Value(name=component.get_title(), slug=component.slug, reference=component,
                   pk=f"combo-{product.pk}-{component.pk}") for component, _qty in parts],
        ))
        contents = "; ".join(f"{qty} × {component.get_title()}" for component, qty in parts)
        items.append(_text("combo-contents", _("Thành phần combo"), contents))
    return [item for item in items if item is not None]


OSCAR_TYPES = {
    "text": "PLAIN_TEXT", "integer": "NUMERIC", "float": "NUMERIC", "boolean": "BOOLEAN",
    "richtext": "RICH_TEXT", "date": "DATE", "datetime": "DATE_TIME", "option": "DROPDOWN",
    "multi_option": "MULTISELECT", "entity": "REFERENCE", "file": "FILE", "image": "FILE",
}


def oscar_attributes(values):
    """``[Assigned, ...]`` of Oscar ``ProductAttributeValue`` rows (file/image/entity left out)."""
    items = []
    for row in values:
        attribute = row.attribute
        input_type = OSCAR_TYPES.get(attribute.type, "PLAIN_TEXT")
        definition = Definition(attribute.code, attribute.name, input_type, pk=f"oscar-{attribute.pk}")
        if attribute.type == "multi_option":
            options = list(row.value_multi_option.all())
            values_ = [Value(name=o.option, slug=slugify(o.option), pk=f"option-{o.pk}") for o in options]
        elif attribute.type == "option":
            option = row.value_option
            values_ = [Value(name=option.option, slug=slugify(option.option), pk=f"option-{option.pk}")] \
                if option else []
        elif attribute.type in ("integer", "float"):
            number = row.value_integer if attribute.type == "integer" else row.value_float
            values_ = [Value(name=str(number), slug=f"{attribute.code}-{number}", numeric=number)]
        elif attribute.type == "boolean":
            values_ = [Value(name=str(row.value_boolean), slug=f"{attribute.code}-{row.value_boolean}".lower(),
                             boolean=row.value_boolean)]
        elif attribute.type == "date":
            values_ = [Value(name=row.value_date.isoformat(), slug=f"{attribute.code}-{row.value_date}",
                             date=row.value_date)] if row.value_date else []
        elif attribute.type == "richtext":
            values_ = [Value(name=attribute.name, slug=attribute.code, rich_text=row.value_richtext)]
        elif attribute.type == "text":
            values_ = [Value(name=row.value_text, slug=slugify(row.value_text)[:100], plain_text=row.value_text)]
        else:
            continue
        items.append(Assigned(definition, [v for v in values_ if v is not None]))
    return items


def metadata(product, certificate, parts, request=None):
    """The product's public metadata: OCOP facts as ``ocop.*`` keys (strings)."""
    facts = {}
    if certificate is not None:
        facts.update({
            "ocop.stars": str(certificate.stars),
            "ocop.score": str(certificate.score),
            "ocop.certificate_number": certificate.decision_number,
            "ocop.certificate_valid_until": certificate.valid_until.isoformat(),
            "ocop.rating_level": certificate.rating_level,
        })
    producer = getattr(product, "producer", None)
    if producer is not None:
        facts["ocop.producer"] = producer.partner.name if producer.partner_id else str(producer)
    if getattr(product, "origin_unit", None) is not None:
        facts["ocop.commune"] = product.origin_unit.name
    facts["ocop.trace_url"] = links.absolute(product.get_trace_url(), request)
    if parts:
        facts["ocop.combo_components"] = "; ".join(f"{qty} × {c.get_title()}" for c, qty in parts)
    return facts
