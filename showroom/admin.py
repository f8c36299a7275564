from django.contrib import admin
from oscar.core.loading import get_model

from showroom.models import (
    Allocation,
    Location,
    Receipt,
    Stock,
    StockCount,
    StockMove,
    Transfer,
)

StockRecord = get_model("partner", "StockRecord")


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "commune", "sells_online", "is_collect_point", "priority")
    list_select_related = ("commune",)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Quantities change only through showroom.inventory (the office's pages)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Stock)
class StockAdmin(ReadOnlyAdmin):
    list_display = ("stockrecord", "location", "quantity", "quantity_allocated",
                    "low_stock_threshold", "needs_reconciliation")
    list_filter = ("location", "needs_reconciliation")
    list_select_related = ("location", "stockrecord__product")


@admin.register(StockMove)
class StockMoveAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "stock", "kind", "quantity", "allocated", "balance",
                    "user", "reference_type", "reference")
    list_filter = ("kind", "reference_type", "stock__location")
    list_select_related = ("stock__location", "stock__stockrecord__product", "user")
    date_hierarchy = "created_at"


for model in (Allocation, Receipt, Transfer, StockCount):
    admin.site.register(model, ReadOnlyAdmin)


# Oscar's StockRecord admin: the totals are derived by showroom.inventory.
if admin.site.is_registered(StockRecord):
    admin.site.unregister(StockRecord)


@admin.register(StockRecord)
class StockRecordAdmin(admin.ModelAdmin):
    list_display = ("product", "partner", "partner_sku", "price", "num_in_stock", "num_allocated")
    list_filter = ("partner",)
    readonly_fields = ("num_in_stock", "num_allocated")
    list_select_related = ("product", "partner")
