"""Batch loaders of what a page of products shows beyond the product row itself.

A listing resolver registers the page's product ids (kind ``"product"``); each
loader below then costs one query for the whole page, whatever its size:
certificates, categories, combo components, Oscar attribute values, public
collections. (Stock records, photos, producer and commune come with the
products' own query: ``catalogue.browsing.browsable_products``.)
"""

from collections import defaultdict

from oscar.core.loading import get_model

from catalogue import certification
from shop.graphql.core.loaders import Loader


class CertificateByProduct(Loader):
    """The certificate rating each product today (``catalogue.certification``), or None."""

    kind = "product"

    def batch_load(self, keys):
        Certificate = get_model("catalogue", "OcopCertificate")
        today = certification.today()
        by_product = defaultdict(list)
        for certificate in Certificate.objects.filter(product_id__in=keys, decision_date__lte=today,
                                                      valid_until__gte=today):
            if certification.is_valid_on(certificate, today):
                by_product[certificate.product_id].append(certificate)
        return {pk: max(rows, key=lambda c: (c.decision_date, c.pk)) for pk, rows in by_product.items()}


class CategoriesByProduct(Loader):
    kind = "product"
    default = list

    def batch_load(self, keys):
        ProductCategory = get_model("catalogue", "ProductCategory")
        result = defaultdict(list)
        for row in ProductCategory.objects.filter(product_id__in=keys).select_related("category").order_by(
                "pk"):
            result[row.product_id].append(row.category)
        return result


class ComboPartsByProduct(Loader):
    """``[(component product, quantity), ...]`` of each gift combo ([] for other products)."""

    kind = "product"
    default = list

    def batch_load(self, keys):
        ComboComponent = get_model("catalogue", "ComboComponent")
        result = defaultdict(list)
        rows = (ComboComponent.objects.filter(combo_id__in=keys)
                .select_related("component__product__product_class", "component__product__producer")
                .prefetch_related("component__product__stockrecords", "component__product__images")
                .order_by("display_order", "pk"))
        for row in rows:
            result[row.combo_id].append((row.component.product, row.quantity))
        return result


class AttributeValuesByProduct(Loader):
    """Oscar's own attribute values of each product (with their attribute and options)."""

    kind = "product"
    default = list

    def batch_load(self, keys):
        Value = get_model("catalogue", "ProductAttributeValue")
        result = defaultdict(list)
        rows = (Value.objects.filter(product_id__in=keys)
                .select_related("attribute", "value_option")
                .prefetch_related("value_multi_option").order_by("attribute__code", "pk"))
        for row in rows:
            result[row.product_id].append(row)
        return result


class CollectionsByProduct(Loader):
    """The public collections (Oscar ranges) each product is in (``collections.memberships``)."""

    kind = "product"
    default = list

    def batch_load(self, keys):
        from .collections import memberships

        Product = get_model("catalogue", "Product")
        products = list(Product.objects.filter(pk__in=keys).only("pk", "product_class_id"))
        categories = self.context.loader(CategoriesByProduct)
        return memberships(products, categories.load)
