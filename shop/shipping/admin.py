from django.contrib import admin
from oscar.apps.shipping.admin import *  # noqa: F401,F403

from .models import DeliveryBand, DeliveryZone


class DeliveryBandInline(admin.TabularInline):
    model = DeliveryBand
    extra = 1


@admin.register(DeliveryZone)
class DeliveryZoneAdmin(admin.ModelAdmin):
    list_display = ("name", "province_codes", "free_above", "extra_per_kg", "is_active")
    inlines = [DeliveryBandInline]
