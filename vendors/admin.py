from django.contrib import admin

from vendors.models import AdministrativeUnit, Vendor


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "parent", "valid_from", "valid_to", "replaced_by")
    list_filter = ("kind",)
    search_fields = ("name", "code")


@admin.register(Vendor)
class VendorAdmin(admin.ModelAdmin):
    list_display = ("name", "subject_type", "commune", "tax_code", "phone")
    list_filter = ("subject_type", "commune")
    search_fields = ("partner__name", "legal_name", "tax_code")
    list_select_related = ("partner", "commune")
