from django.conf import settings
from django.contrib import messages
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import ListView
from oscar.core.loading import get_model

from catalogue.browsing import (
    DEFAULT_SORT,
    STAR_CHOICES,
    BoundedCountPaginator,
    apply_filters,
    browsable_products,
    count_bound,
    in_categories,
    sort_options,
)

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
AdministrativeUnit = get_model("vendors", "AdministrativeUnit")


class ProductListView(ListView):
    """A page of products, filtered by the GET parameters (catalogue.browsing)."""

    context_object_name = "products"
    paginate_by = settings.OSCAR_PRODUCTS_PER_PAGE
    summary = ""

    def get(self, request, *args, **kwargs):
        try:
            return super().get(request, *args, **kwargs)
        except Http404:
            messages.error(request, _("Số trang không hợp lệ."))
            return redirect(request.path)

    def base_products(self):
        return browsable_products()

    def get_paginator(self, queryset, per_page, orphans=0, allow_empty_first_page=True, **kwargs):
        """Counts the products only as far as the page asked for needs (catalogue.browsing)."""
        page = self.kwargs.get(self.page_kwarg) or self.request.GET.get(self.page_kwarg)
        return BoundedCountPaginator(
            queryset, per_page, bound=count_bound(page, per_page), orphans=orphans,
            allow_empty_first_page=allow_empty_first_page, **kwargs,
        )

    def get_queryset(self):
        return apply_filters(self.base_products(), self.request.GET)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        params = self.request.GET
        ctx.update(
            summary=self.summary,
            query=params.get("q", ""),
            sort_options=sort_options(),
            current_sort=params.get("sort_by") or DEFAULT_SORT,
            star_choices=STAR_CHOICES,
            current_stars=params.get("stars", ""),
            current_commune=params.get("commune", ""),
            communes=self.communes(),
        )
        querydict = params.copy()
        querydict.pop("page", None)
        ctx["query_without_page"] = querydict.urlencode()
        return ctx

    @staticmethod
    def communes():
        """Communes some browsable product comes from: one index probe per commune,
        never a scan of the products."""
        products = Product.objects.browsable().filter(origin_unit=OuterRef("pk"))
        return AdministrativeUnit.objects.filter(Exists(products))


class CatalogueView(ProductListView):
    template_name = "oscar/catalogue/browse.html"
    summary = _("Tất cả sản phẩm")


class ProductCategoryView(ProductListView):
    template_name = "oscar/catalogue/category.html"

    def get(self, request, *args, **kwargs):
        self.category = self.get_category()
        if not (self.category.is_public or request.user.is_staff):
            raise Http404()
        expected = self.category.get_absolute_url()
        if expected != request.path:
            return HttpResponsePermanentRedirect(expected)
        return super().get(request, *args, **kwargs)

    def get_category(self):
        return get_object_or_404(Category, pk=self.kwargs["pk"])

    def base_products(self):
        return in_categories(browsable_products(), self.category.get_descendants_and_self())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["category"] = self.category
        ctx["summary"] = self.category.name
        return ctx


class FacetedSearchView(ProductListView):
    """The search results page (Oscar's name kept so its URL config finds it)."""

    template_name = "oscar/search/results.html"

    def get_queryset(self):
        if not (self.request.GET.get("q") or "").strip():
            return browsable_products().none()
        return super().get_queryset()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["summary"] = _("Kết quả tìm kiếm")
        return ctx
