"""E-invoices in Django's admin: the sellers' profiles are edited here; invoices are only
read (they come from sales and the provider, and an issued invoice never changes — a
correction is a new adjusting or replacing invoice)."""

from django.contrib import admin

from shop.invoicing.models import Invoice, InvoiceLine, InvoiceRequest, SellerProfile


@admin.register(SellerProfile)
class SellerProfileAdmin(admin.ModelAdmin):
    list_display = ("location", "legal_name", "tax_code", "invoice_form", "serial", "active")
    list_filter = ("active",)
    search_fields = ("legal_name", "tax_code", "serial", "location__name")
    list_select_related = ("location",)


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0
    can_delete = False
    fields = ("position", "name", "unit", "quantity", "unit_price", "discount", "vat_rate",
              "amount_before_vat", "vat", "total")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ("__str__", "kind", "status", "location", "issued_at", "buyer_company",
                    "buyer_name", "total", "authority_code")
    list_filter = ("status", "kind", "location", "serial")
    search_fields = ("number", "authority_code", "lookup_code", "buyer_name", "buyer_company",
                     "buyer_tax_code")
    list_select_related = ("location",)
    date_hierarchy = "created_at"
    inlines = [InvoiceLineInline]
    raw_id_fields = ("till_sale", "till_return", "order", "original")

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Invoice._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InvoiceRequest)
class InvoiceRequestAdmin(admin.ModelAdmin):
    """An online buyer's company-invoice request (taken at checkout): read and searched."""

    list_display = ("order", "company", "tax_code", "consolidate", "created_at")
    list_filter = ("consolidate",)
    search_fields = ("company", "tax_code", "order__number")
    readonly_fields = ("order", "company", "tax_code", "address", "email", "consolidate",
                       "created_at")
    list_select_related = ("order",)

    def has_add_permission(self, request):
        return False
