from django.db.models import Count, Q
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from catalogue.browsing import browsable_products

Category = get_model("catalogue", "Category")
Location = get_model("showroom", "Location")

HOME_FEATURED = 8


class HomeView(TemplateView):
    """The storefront's front page: product groups, top-rated and newest products, sales points."""

    template_name = "oscar/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        groups = list(
            Category.objects.get_root_nodes()
            .filter(is_public=True)
            .annotate(
                num_products=Count(
                    "product", filter=Q(product__is_public=True), distinct=True
                )
            )
        )
        ctx["groups"] = groups
        products = browsable_products()
        ctx["top_rated"] = list(
            products.filter(ocop_stars__isnull=False).order_by("-ocop_stars", "title")[:HOME_FEATURED]
        )
        ctx["newest"] = list(products.order_by("-date_created", "-pk")[:HOME_FEATURED])
        ctx["locations"] = list(Location.objects.select_related("commune"))
        return ctx
