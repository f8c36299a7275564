"""Departures of community-tourism experiences, their weekly patterns, and bookings.

The rules live in plain modules (``places``, ``departures``, ``bookings``,
``purchase``); these models only hold the data. ``Departure.places_taken`` is
a counter written only by ``shop.experiences.places``, in the same transaction
as the booking that changes it, with the departure row locked.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DepartureSchedule(models.Model):
    """A weekly pattern over a season: generates departures (``departures.generate``).

    ``weekdays`` are ISO weekday numbers (1 = Monday … 7 = Sunday), ``times``
    start times "HH:MM", ``closed_dates`` ISO dates ("2026-12-24") without departures.
    """

    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="departure_schedules",
        verbose_name=_("Trải nghiệm"),
    )
    season_start = models.DateField(_("Mùa bắt đầu"))
    season_end = models.DateField(_("Mùa kết thúc"))
    weekdays = models.JSONField(_("Các ngày trong tuần"), default=list)
    times = models.JSONField(_("Giờ khởi hành"), default=list)
    closed_dates = models.JSONField(_("Ngày nghỉ"), default=list, blank=True)
    duration_minutes = models.PositiveIntegerField(_("Thời lượng (phút)"))
    meeting_point = models.CharField(_("Điểm hẹn"), max_length=255, blank=True)
    guide_language = models.CharField(_("Ngôn ngữ hướng dẫn"), max_length=64,
                                      default="Tiếng Việt")
    places_total = models.PositiveIntegerField(_("Số chỗ mỗi chuyến"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("Người tạo"),
    )
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)

    class Meta:
        ordering = ["product_id", "season_start", "pk"]
        verbose_name = _("Lịch khởi hành hằng tuần")
        verbose_name_plural = _("Lịch khởi hành hằng tuần")

    def __str__(self):
        return f"{self.product} {self.season_start:%d/%m/%Y}–{self.season_end:%d/%m/%Y}"


class Departure(models.Model):
    """One departure of an experience: a date, a start time and places."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Đã lên lịch")
        CANCELLED = "cancelled", _("Đã huỷ")

    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.PROTECT, related_name="departures",
        verbose_name=_("Trải nghiệm"),
    )
    schedule = models.ForeignKey(
        DepartureSchedule, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="departures", verbose_name=_("Lịch hằng tuần"),
    )
    date = models.DateField(_("Ngày"))
    start_time = models.TimeField(_("Giờ khởi hành"))
    duration_minutes = models.PositiveIntegerField(_("Thời lượng (phút)"))
    meeting_point = models.CharField(_("Điểm hẹn"), max_length=255, blank=True)
    guide_language = models.CharField(_("Ngôn ngữ hướng dẫn"), max_length=64,
                                      default="Tiếng Việt")
    places_total = models.PositiveIntegerField(_("Tổng số chỗ"))
    # written only by shop.experiences.places, row locked, in the booking's transaction
    places_taken = models.PositiveIntegerField(_("Số chỗ đã đặt"), default=0)
    status = models.CharField(_("Trạng thái"), max_length=16, choices=Status.choices,
                              default=Status.SCHEDULED)
    note = models.TextField(_("Ghi chú"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("Người tạo"),
    )
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("Huỷ lúc"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("Người huỷ"),
    )
    cancel_reason = models.CharField(_("Lý do huỷ"), max_length=255, blank=True)

    class Meta:
        ordering = ["date", "start_time", "pk"]
        verbose_name = _("Chuyến khởi hành")
        verbose_name_plural = _("Chuyến khởi hành")
        permissions = [("manage_experiences", _("Quản lý mọi chuyến trải nghiệm"))]
        constraints = [
            models.UniqueConstraint(fields=["product", "date", "start_time"],
                                    name="experiences_departure_one_per_slot"),
            models.CheckConstraint(condition=Q(places_taken__lte=F("places_total")),
                                   name="experiences_departure_no_oversell"),
        ]
        indexes = [models.Index(fields=["date", "status"])]

    def __str__(self):
        return f"{self.product} {self.date:%d/%m/%Y} {self.start_time:%H:%M}"

    @property
    def places_left(self):
        return max(0, self.places_total - self.places_taken)

    @property
    def starts_at(self):
        """The aware start datetime, in the shop's time zone."""
        naive = datetime.datetime.combine(self.date, self.start_time)
        return timezone.make_aware(naive, timezone.get_default_timezone())

    @property
    def ends_at(self):
        return self.starts_at + datetime.timedelta(minutes=self.duration_minutes)

    @property
    def is_cancelled(self):
        return self.status == self.Status.CANCELLED

    @property
    def label(self):
        """What a basket line and an order line show: "20/12/2026 08:00 · #12"."""
        return f"{self.date:%d/%m/%Y} {self.start_time:%H:%M} · #{self.pk}"


class Booking(models.Model):
    """Places on one departure (or, for a gift voucher, on any departure of a period)."""

    class State(models.TextChoices):
        CONFIRMED = "confirmed", _("Đã xác nhận")
        CANCELLED = "cancelled", _("Đã huỷ")
        CHECKED_IN = "checked_in", _("Đã check-in")

    class Source(models.TextChoices):
        ONLINE = "online", _("Đặt trực tuyến")
        TILL = "till", _("Đặt tại quầy")
        OFFICE = "office", _("Văn phòng đặt hộ")
        GIFT = "gift", _("Phiếu quà tặng")

    class Payment(models.TextChoices):
        CARD = "card", _("Thẻ (đã trả trực tuyến)")
        VIETQR = "vietqr", _("Chuyển khoản VietQR")
        CASH = "cash", _("Tiền mặt khi đến")
        TILL = "till", _("Đã trả tại quầy")
        ONLINE = "online", _("Trực tuyến (chờ xác nhận hình thức)")

    class Refund(models.TextChoices):
        NONE = "none", _("Không phải hoàn tiền")
        STRIPE = "stripe", _("Đã hoàn qua Stripe")
        CARD_OFFICE = "card_office", _("Hoàn thẻ: văn phòng xử lý")
        BANK_TRANSFER = "bank_transfer", _("Hoàn bằng chuyển khoản: văn phòng xử lý")
        TILL = "till", _("Hoàn tại quầy: văn phòng xử lý")

    code = models.CharField(_("Mã phiếu"), max_length=16, unique=True)
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.PROTECT, related_name="experience_bookings",
        verbose_name=_("Trải nghiệm"),
    )
    departure = models.ForeignKey(
        Departure, null=True, blank=True, on_delete=models.PROTECT, related_name="bookings",
        verbose_name=_("Chuyến khởi hành"),
    )
    # a gift voucher (no departure yet): valid for any departure of the product in this period
    valid_from = models.DateField(_("Hiệu lực từ"), null=True, blank=True)
    valid_until = models.DateField(_("Hiệu lực đến"), null=True, blank=True)
    adults = models.PositiveIntegerField(_("Người lớn"), default=0)
    children = models.PositiveIntegerField(_("Trẻ em"), default=0)
    contact_name = models.CharField(_("Người liên hệ"), max_length=255, blank=True)
    contact_phone = models.CharField(_("Số điện thoại"), max_length=32, blank=True)
    contact_email = models.EmailField(_("Email"), blank=True)
    source = models.CharField(_("Nguồn"), max_length=16, choices=Source.choices,
                              default=Source.ONLINE)
    # order number (online) or till sale reference; never a foreign key to a higher floor
    source_ref = models.CharField(_("Tham chiếu đơn / hoá đơn"), max_length=128, blank=True,
                                  db_index=True)
    # order line ids (online), comma separated
    line_refs = models.CharField(_("Dòng đơn hàng"), max_length=255, blank=True)
    payment = models.CharField(_("Thanh toán"), max_length=16, choices=Payment.choices,
                               default=Payment.CASH)
    amount = models.DecimalField(_("Số tiền (đ)"), max_digits=14, decimal_places=0, default=0)
    paid_at = models.DateTimeField(_("Đã trả lúc"), null=True, blank=True)
    # cash on arrival: the guide (provider's user or office) who took it
    collected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("Người thu tiền"),
    )
    state = models.CharField(_("Trạng thái"), max_length=16, choices=State.choices,
                             default=State.CONFIRMED)
    note = models.TextField(_("Ghi chú"), blank=True)
    created_at = models.DateTimeField(_("Đặt lúc"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("Người đặt"),
    )
    checked_in_at = models.DateTimeField(_("Check-in lúc"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("Người check-in"),
    )
    cancelled_at = models.DateTimeField(_("Huỷ lúc"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("Người huỷ"),
    )
    cancel_reason = models.CharField(_("Lý do huỷ"), max_length=255, blank=True)
    refund = models.CharField(_("Hoàn tiền"), max_length=16, choices=Refund.choices,
                              default=Refund.NONE)
    refund_note = models.TextField(_("Ghi chú hoàn tiền"), blank=True)
    reminded_at = models.DateTimeField(_("Đã nhắc lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Đặt chỗ trải nghiệm")
        verbose_name_plural = _("Đặt chỗ trải nghiệm")
        constraints = [
            # one booking per order and departure: an adult line and a child line share it
            models.UniqueConstraint(
                fields=["source", "source_ref", "departure"],
                condition=Q(source="online") & ~Q(source_ref=""),
                name="experiences_booking_one_per_order_departure",
            ),
        ]
        indexes = [models.Index(fields=["departure", "state"])]

    def __str__(self):
        return self.display_code

    @property
    def people(self):
        return self.adults + self.children

    @property
    def display_code(self):
        """The voucher code as printed: "ABCD-EFGH"."""
        return f"{self.code[:4]}-{self.code[4:]}" if len(self.code) == 8 else self.code

    ONLINE_PAYMENTS = (Payment.CARD, Payment.VIETQR, Payment.ONLINE)

    @property
    def awaits_online_payment(self):
        """Of an online order (a booking or a combo's gift voucher), paid online (card,
        VietQR, method not yet confirmed) and the money not in yet: no voucher QR goes out
        until it is (``tasks``). Till, office and cash-on-arrival bookings never wait."""
        return (self.source in (self.Source.ONLINE, self.Source.GIFT)
                and self.payment in self.ONLINE_PAYMENTS and self.paid_at is None)

    @property
    def holds_places(self):
        return self.departure_id is not None and self.state != self.State.CANCELLED
