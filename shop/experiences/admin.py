"""Django admin for experiences: read and search; places are changed only through the rules.

A departure's total places are editable here, never below the places already taken: the
form refuses it with the number taken (a form error, not the database's no-oversell
constraint). A new date, start time or meeting point saved here emails the confirmed
bookers once after the commit, as the provider's edit page does (``tasks``).
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from . import departures, tasks
from .models import Booking, Departure, DepartureSchedule


@admin.register(DepartureSchedule)
class DepartureScheduleAdmin(admin.ModelAdmin):
    list_display = ("product", "season_start", "season_end", "weekdays", "times", "places_total")
    list_filter = ("product",)
    raw_id_fields = ("product", "created_by")


class DepartureAdminForm(forms.ModelForm):
    class Meta:
        model = Departure
        fields = ("product", "schedule", "date", "start_time", "duration_minutes",
                  "meeting_point", "guide_language", "places_total", "note", "created_by")

    def clean(self):
        cleaned = super().clean()
        total = cleaned.get("places_total")
        if self.instance.pk and total is not None:
            # the counter as stored now (the row is re-read: the page may be old)
            taken = (Departure.objects.filter(pk=self.instance.pk)
                     .values_list("places_taken", flat=True).first()) or 0
            if total < taken:
                self.add_error("places_total", _(
                    "Đã có %(taken)s chỗ được đặt: tổng số chỗ không thể ít hơn.")
                    % {"taken": taken})
        return cleaned


@admin.register(Departure)
class DepartureAdmin(admin.ModelAdmin):
    form = DepartureAdminForm
    list_display = ("product", "date", "start_time", "places_total", "places_taken", "status")
    list_filter = ("status", "product")
    date_hierarchy = "date"
    raw_id_fields = ("product", "schedule", "created_by", "cancelled_by")
    # the counter and the state move only through shop.experiences.places / bookings
    readonly_fields = ("places_taken", "status", "cancelled_at", "cancelled_by", "cancel_reason")

    def save_model(self, request, obj, form, change):
        before = None
        if change:
            before = (Departure.objects.filter(pk=obj.pk)
                      .values(*departures.NOTIFIED_FIELDS).first())
        # only what the form changed: never write back the page's (maybe stale) counter
        if not change:
            obj.save()
        elif form.changed_data:
            obj.save(update_fields=list(form.changed_data))
        if before and obj.status == Departure.Status.SCHEDULED and any(
                getattr(obj, field) != before[field] for field in departures.NOTIFIED_FIELDS):
            tasks.queue_departure_changed(obj, before)


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ("code", "product", "departure", "adults", "children", "contact_name",
                    "contact_phone", "payment", "state", "source", "source_ref")
    list_filter = ("state", "payment", "source")
    search_fields = ("code", "contact_name", "contact_phone", "contact_email", "source_ref")
    raw_id_fields = ("product", "departure", "created_by", "checked_in_by", "cancelled_by",
                     "collected_by")
    readonly_fields = ("code", "departure", "adults", "children", "state", "checked_in_at",
                       "checked_in_by", "cancelled_at", "cancelled_by", "refund", "refund_note",
                       "collected_by")

    def has_add_permission(self, request):
        return False  # bookings are made through shop.experiences.bookings (places taken)
