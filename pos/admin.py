from django.contrib import admin

from pos.models import Cashier, Register


@admin.register(Register)
class RegisterAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "location", "is_active")
    list_select_related = ("location",)


@admin.register(Cashier)
class CashierAdmin(admin.ModelAdmin):
    list_display = ("user", "location")
    list_select_related = ("user", "location")
