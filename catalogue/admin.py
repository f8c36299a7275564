from django.contrib import admin, messages
from django.db import models
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from oscar.apps.catalogue.admin import *  # noqa: F401,F403  Oscar's catalogue admin
from oscar.apps.catalogue.admin import ProductAdmin as OscarProductAdmin

from catalogue import certification
from catalogue.barcodes import ensure_barcode
from catalogue.models import Batch, OcopCertificate, Product

# Vietnamese write day/month/year. Django's "vi" locale has no input formats, so its
# fallback would read 01/02/2025 as 2 January: accept d/m/Y and ISO dates only.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
DATE_FIELDS = {models.DateField: {"input_formats": DATE_INPUT_FORMATS}}


class OcopCertificateInline(admin.TabularInline):
    model = OcopCertificate
    extra = 0
    fields = (
        "stars", "score", "rating_level", "certifying_body", "decision_number",
        "decision_date", "valid_until", "revoked_on", "scan",
    )
    readonly_fields = ("valid_until",)
    formfield_overrides = DATE_FIELDS


class BatchInline(admin.TabularInline):
    model = Batch
    extra = 0
    fields = ("lot_code", "production_date", "best_before", "quantity", "growing_area_code")
    formfield_overrides = DATE_FIELDS


admin.site.unregister(Product)


@admin.register(Product)
class ProductAdmin(OscarProductAdmin):
    list_display = ("get_title", "upc", "producer", "ocop_stars", "structure", "date_created")
    list_filter = ["ocop_stars", "structure", "is_public", "producer"]
    inlines = [*OscarProductAdmin.inlines, OcopCertificateInline, BatchInline]
    actions = ["give_internal_barcodes", "print_barcode_labels", "refresh_stars"]
    readonly_fields = ("ocop_stars",)

    @admin.action(description=_("Tạo mã vạch nội bộ cho sản phẩm chưa có mã"))
    def give_internal_barcodes(self, request, queryset):
        given = 0
        for product in queryset.filter(upc__isnull=True):
            ensure_barcode(product)
            given += 1
        self.message_user(
            request,
            ngettext("Đã tạo mã vạch cho %(count)d sản phẩm.",
                     "Đã tạo mã vạch cho %(count)d sản phẩm.", given) % {"count": given},
            messages.SUCCESS,
        )

    @admin.action(description=_("In nhãn mã vạch"))
    def print_barcode_labels(self, request, queryset):
        query = urlencode([("product", pk) for pk in queryset.values_list("pk", flat=True)])
        return HttpResponseRedirect(f"{reverse('trace:barcode-labels')}?{query}")

    @admin.action(description=_("Cập nhật hạng sao từ sổ chứng nhận"))
    def refresh_stars(self, request, queryset):
        changed = sum(
            certification.refresh_product_stars(p)
            for p in queryset.prefetch_related("ocop_certificates")
        )
        self.message_user(
            request, _("Đã cập nhật hạng sao của %(count)d sản phẩm.") % {"count": changed}
        )


@admin.register(OcopCertificate)
class OcopCertificateAdmin(admin.ModelAdmin):
    list_display = (
        "product", "stars", "score", "rating_level", "certifying_body", "decision_number",
        "decision_date", "valid_until", "status_display",
    )
    list_filter = ("stars", "rating_level", "certifying_body")
    search_fields = ("product__title", "product__upc", "decision_number", "certifying_body")
    date_hierarchy = "decision_date"
    autocomplete_fields = ("product",)
    readonly_fields = ("valid_until", "date_created", "date_updated")
    formfield_overrides = DATE_FIELDS
    list_select_related = ("product",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("product__ocop_certificates")

    @admin.display(description=_("Tình trạng"))
    def status_display(self, obj):
        return obj.status_label


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ("product", "lot_code", "production_date", "best_before", "quantity",
                    "growing_area_code")
    search_fields = ("product__title", "product__upc", "lot_code")
    date_hierarchy = "production_date"
    formfield_overrides = DATE_FIELDS
    autocomplete_fields = ("product",)
    list_select_related = ("product",)
