from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from catalogue import combos as combo_rules
from catalogue.browsing import browsable_products
from shop.core import cache as fragment_cache

Category = get_model("catalogue", "Category")
Location = get_model("showroom", "Location")

HOME_FEATURED = 8


def product_groups_with_counts():
    """Public top-level groups, each with the number of public products in it or below it.

    One query: a product belongs to a group when one of its categories' tree
    path starts with the group's path (treebeard's materialised path). Counting
    every listed product grows with the catalogue, so the counts are kept in the
    cache until a product or a group changes (``shop.core.cache``); then the query
    reads only the groups.
    """
    roots = Category.objects.get_root_nodes().filter(is_public=True)
    cached = fragment_cache.cached_group_counts()
    if cached is not None:
        groups = list(roots)
        for group in groups:
            group.num_products = cached.get(group.pk)
        return groups
    Product = get_model("catalogue", "Product")
    counts = (
        Product.objects.browsable()
        .filter(categories__path__startswith=OuterRef("path"))
        .order_by()
        .annotate(group=Value(1))
        .values("group")
        .annotate(n=Count("pk", distinct=True))
        .values("n")
    )
    groups = list(roots.annotate(num_products=Subquery(counts, output_field=IntegerField())))
    fragment_cache.group_counts(lambda: {group.pk: group.num_products for group in groups})
    return groups


class HomeView(TemplateView):
    """The storefront's front page: groups, gift combos, top-rated and newest products, sales points."""

    template_name = "oscar/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        products = browsable_products()
        ctx["groups"] = product_groups_with_counts()
        ctx["combos"] = combo_rules.home_combos(HOME_FEATURED)
        ctx["top_rated"] = list(
            products.filter(ocop_stars__isnull=False).order_by("-ocop_stars", "title")[:HOME_FEATURED]
        )
        ctx["newest"] = list(products.order_by("-date_created", "-pk")[:HOME_FEATURED])
        ctx["locations"] = list(Location.objects.select_related("commune"))
        return ctx
