"""Django admin for experiences: read and search; places are changed only through the rules."""

from django.contrib import admin

from .models import Booking, Departure, DepartureSchedule


@admin.register(DepartureSchedule)
class DepartureScheduleAdmin(admin.ModelAdmin):
    list_display = ("product", "season_start", "season_end", "weekdays", "times", "places_total")
    list_filter = ("product",)
    raw_id_fields = ("product", "created_by")


@admin.register(Departure)
class DepartureAdmin(admin.ModelAdmin):
    list_display = ("product", "date", "start_time", "places_total", "places_taken", "status")
    list_filter = ("status", "product")
    date_hierarchy = "date"
    raw_id_fields = ("product", "schedule", "created_by", "cancelled_by")
    # the counter and the state move only through shop.experiences.places / bookings
    readonly_fields = ("places_taken", "status", "cancelled_at", "cancelled_by", "cancel_reason")


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ("code", "product", "departure", "adults", "children", "contact_name",
                    "contact_phone", "payment", "state", "source", "source_ref")
    list_filter = ("state", "payment", "source")
    search_fields = ("code", "contact_name", "contact_phone", "contact_email", "source_ref")
    raw_id_fields = ("product", "departure", "created_by", "checked_in_by", "cancelled_by")
    readonly_fields = ("code", "departure", "adults", "children", "state", "checked_in_at",
                       "checked_in_by", "cancelled_at", "cancelled_by", "refund", "refund_note")

    def has_add_permission(self, request):
        return False  # bookings are made through shop.experiences.bookings (places taken)
