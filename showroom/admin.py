from django.contrib import admin

from showroom.models import Location


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "commune", "sells_online", "is_collect_point", "priority")
    list_select_related = ("commune",)
