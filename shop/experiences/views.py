"""Pages of experiences — thin views over ``departures``, ``bookings`` and ``tasks``.

* The provider's corner (``/experiences/provider/``): the departures of the week, one
  new departure, a season by weekly pattern, a departure's manifest (printable), its
  change (places, date, time, meeting point, language, duration: ``DepartureEditView``;
  a new date, time or meeting point emailed to every booker once) and its cancellation
  (every booker emailed once, after the commit). A producer user
  sees only its own products' departures (``bookings.departures_for``: others answer
  404); the office (``experiences.manage_experiences``) sees every provider's.
* The guide's check-in (``/experiences/check-in/``): a voucher code scanned or typed,
  checked in once; the guide is the provider's user or the office.
* Cash on arrival collected (``bookings.collect_cash``): from the check-in page's booking card
  and from each row of the manifest; "Còn phải thu" counts only cash still to collect,
  an online payment not yet made shows "Chờ thanh toán" and is never collected in cash.
* The buyer's booking page (``/experiences/booking/<code>/``), reached by the voucher's
  unguessable code: the voucher with its QR, cancellation up to the cut-off with the
  refund rule, and a gift voucher put on a departure of its period.

Refusals of the rules (``ExperienceError``) answer 4xx with their Vietnamese message.
"""

import datetime
from collections import OrderedDict

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from catalogue import traceability
from shop import money
from vendors import access

from . import bookings, departures, emails, places, tasks
from .errors import ExperienceError
from .forms import (
    CancelDepartureForm,
    CodeForm,
    DepartureEditForm,
    DepartureForm,
    RedeemForm,
    SeasonForm,
)
from .models import Booking, Departure

# --- payment on the day -----------------------------------------------------------------------

PAID, COLLECT, AWAITING, CANCELLED = "paid", "collect", "awaiting", "cancelled"


def payment_status(booking) -> str:
    """What the guide does about a booking's money.

    * ``cancelled``: nothing (the refund rule is shown instead);
    * ``paid``: ``paid_at`` is set — paid online, at the till, or cash already collected;
    * ``collect``: cash on arrival (``Payment.CASH``) not yet paid — the guide takes the cash
      ("Thu khi đến", counted in "Còn phải thu");
    * ``awaiting``: any other method not yet paid (card, VietQR, online with the method not
      yet confirmed) — the buyer pays online: "Chờ thanh toán", never collected in cash and
      not in "Còn phải thu".
    """
    if booking.state == Booking.State.CANCELLED:
        return CANCELLED
    if booking.paid_at is not None:
        return PAID
    if booking.payment == Booking.Payment.CASH:
        return COLLECT
    return AWAITING


def collect_status(error) -> int:
    """The HTTP status of a refused collection: already paid 409, not allowed 404, else 400."""
    return {"already_paid": 409, "forbidden": 404}.get(error.code, 400)


def week_start(value=None):
    """The Monday of the week of ``value`` ("YYYY-MM-DD"; today when missing or wrong)."""
    day = None
    if value:
        try:
            day = datetime.date.fromisoformat(str(value)[:10])
        except ValueError:
            day = None
    day = day or timezone.localdate()
    return day - datetime.timedelta(days=day.weekday())


class ProviderMixin(LoginRequiredMixin):
    """Signed-in providers (producer users) and the office; everybody else is refused."""

    login_url = reverse_lazy("customer:login")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.office = bookings.is_office(request.user)
            self.vendor = access.vendor_for(request.user)
            if not self.office and self.vendor is None:
                raise PermissionDenied(
                    _("Trang này chỉ dành cho nhà cung cấp trải nghiệm và văn phòng."))
        return super().dispatch(request, *args, **kwargs)

    def departures(self):
        return bookings.departures_for(self.request.user)

    def get_departure(self, pk):
        return get_object_or_404(self.departures().select_related("product"), pk=pk)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("vendor", self.vendor)
        kwargs.setdefault("office", self.office)
        return super().get_context_data(**kwargs)


class BadRequestMixin:
    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def refuse(self, form, error):
        form.add_error(None, str(error))
        return self.form_invalid(form)


# --- the provider's corner ----------------------------------------------------------------


class WeekView(ProviderMixin, TemplateView):
    template_name = "experiences/provider_week.html"

    def get_context_data(self, **kwargs):
        monday = week_start(self.request.GET.get("week"))
        sunday = monday + datetime.timedelta(days=6)
        rows = (self.departures().filter(date__gte=monday, date__lte=sunday)
                .select_related("product").order_by("date", "start_time", "pk"))
        days = OrderedDict((monday + datetime.timedelta(days=i), []) for i in range(7))
        now = timezone.now()
        for departure in rows:
            departure.editable = departures.is_editable(departure, now)
            days[departure.date].append(departure)
        return super().get_context_data(
            monday=monday, sunday=sunday, days=days, today=timezone.localdate(),
            previous=(monday - datetime.timedelta(days=7)).isoformat(),
            next=(monday + datetime.timedelta(days=7)).isoformat(),
            has_products=bookings.products_for(self.request.user).exists(), **kwargs)


class DepartureCreateView(ProviderMixin, BadRequestMixin, FormView):
    template_name = "experiences/departure_form.html"
    form_class = DepartureForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        return {"date": timezone.localdate() + datetime.timedelta(days=1)}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            departure = departures.create_departure(
                data["product"], data["date"], data["start_time"],
                duration_minutes=data["duration_minutes"], places_total=data["places_total"],
                meeting_point=data["meeting_point"], guide_language=data["guide_language"],
                note=data["note"], user=self.request.user)
        except ExperienceError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Đã tạo chuyến khởi hành %(when)s.") % {
            "when": departure.label})
        return redirect(reverse("experiences:provider") + f"?week={departure.date.isoformat()}")


class DepartureEditView(ProviderMixin, BadRequestMixin, FormView):
    """The provider (or the office) changes one departure (``departures.update_departure``):
    places never below those taken (a form error with the number), a new date, time or
    meeting point emailed to every confirmed booker once; a cancelled or started departure
    answers 409 with the reason, another provider's 404."""

    template_name = "experiences/departure_edit.html"
    form_class = DepartureEditForm

    def get_initial(self):
        return DepartureEditForm.initial_for(self.departure)

    def get_context_data(self, **kwargs):
        return super().get_context_data(departure=self.departure, **kwargs)

    def refused(self, error):
        context = self.get_context_data(refused=str(error))
        context.pop("form", None)
        return self.render_to_response(context, status=409)

    def get(self, request, *args, **kwargs):
        self.departure = self.get_departure(kwargs["pk"])
        try:
            departures.check_editable(self.departure)
        except ExperienceError as error:
            return self.refused(error)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.departure = self.get_departure(kwargs["pk"])
        try:
            departures.check_editable(self.departure)
        except ExperienceError as error:
            return self.refused(error)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        changes = {field: form.cleaned_data[field] for field in DepartureEditForm.FIELDS}
        try:
            departure = departures.update_departure(self.departure, user=self.request.user,
                                                    **changes)
        except ExperienceError as error:
            if error.code in ("cancelled", "past"):  # cancelled or started meanwhile
                return self.refused(error)
            form.add_error("places_total" if error.code == "places" else None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Đã lưu chuyến khởi hành %(when)s.") % {
            "when": departure.label})
        return redirect("experiences:manifest", pk=departure.pk)


class SeasonCreateView(ProviderMixin, BadRequestMixin, FormView):
    template_name = "experiences/season_form.html"
    form_class = SeasonForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            with transaction.atomic():
                schedule = departures.create_schedule(
                    data["product"], season_start=data["season_start"],
                    season_end=data["season_end"], weekdays=data["weekdays"],
                    times=data["times"], duration_minutes=data["duration_minutes"],
                    places_total=data["places_total"], closed_dates=data["closed_dates"],
                    meeting_point=data["meeting_point"],
                    guide_language=data["guide_language"], user=self.request.user)
                created = departures.generate(schedule, user=self.request.user)
        except ExperienceError as error:
            return self.refuse(form, error)
        messages.success(self.request, _("Đã tạo %(n)s chuyến khởi hành cho mùa %(start)s – "
                                         "%(end)s.") % {
            "n": len(created), "start": f"{schedule.season_start:%d/%m/%Y}",
            "end": f"{schedule.season_end:%d/%m/%Y}"})
        first = created[0].date if created else schedule.season_start
        return redirect(reverse("experiences:provider") + f"?week={first.isoformat()}")


class ManifestView(ProviderMixin, TemplateView):
    """Who comes on a departure: names, people, phone, paid or cash on arrival, checked in."""

    template_name = "experiences/manifest.html"

    def get_context_data(self, **kwargs):
        departure = self.get_departure(self.kwargs["pk"])
        rows = list(departure.bookings.select_related("checked_in_by", "collected_by").order_by("created_at", "pk"))
        for booking in rows:
            booking.pay_status = payment_status(booking)
        active = [b for b in rows if b.state != Booking.State.CANCELLED]
        awaiting = [b for b in active if b.pay_status == AWAITING]
        totals = {
            "bookings": len(active),
            "adults": sum(b.adults for b in active),
            "children": sum(b.children for b in active),
            "people": sum(b.people for b in active),
            "checked_in": sum(b.people for b in active if b.state == Booking.State.CHECKED_IN),
            # cash the guide takes at the meeting point; online payments not made are apart
            "to_collect": sum(int(b.amount or 0) for b in active if b.pay_status == COLLECT),
            "awaiting": sum(int(b.amount or 0) for b in awaiting),
            "awaiting_bookings": len(awaiting),
        }
        return super().get_context_data(
            departure=departure, bookings=rows, active=active, totals=totals,
            editable=departures.is_editable(departure),
            cancel_form=kwargs.pop("cancel_form", None) or CancelDepartureForm(),
            printed_at=timezone.localtime(), **kwargs)


class DepartureCancelView(ProviderMixin, View):
    """The provider cancels a departure: everyone booked is emailed once, places back,
    refunds per the payment method (``bookings.cancel_departure``)."""

    def post(self, request, pk):
        departure = self.get_departure(pk)
        form = CancelDepartureForm(request.POST)
        if not form.is_valid():
            view = ManifestView(request=request, kwargs={"pk": pk}, office=self.office,
                                vendor=self.vendor)
            context = view.get_context_data(cancel_form=form)
            return view.render_to_response(context, status=400)
        if departure.is_cancelled:
            messages.info(request, _("Chuyến khởi hành này đã được huỷ trước đó."))
            return redirect("experiences:manifest", pk=departure.pk)
        cancelled = bookings.cancel_departure(departure, user=request.user,
                                              reason=form.cleaned_data["reason"])
        tasks.queue_departure_cancelled(cancelled)
        messages.success(request, _("Đã huỷ chuyến %(when)s: %(n)s phiếu đặt chỗ được huỷ và "
                                    "báo cho khách.") % {"when": departure.label,
                                                          "n": len(cancelled)})
        return redirect("experiences:manifest", pk=departure.pk)


class ManifestCollectView(ProviderMixin, View):
    """"Đã thu tiền" on a manifest row (``bookings.collect_cash``): back to the manifest; a refusal
    shows the manifest with the reason (4xx), nothing written."""

    def post(self, request, pk):
        departure = self.get_departure(pk)
        booking = departure.bookings.filter(
            code=bookings.normalise_code(request.POST.get("code"))).first()
        if booking is None:
            raise Http404(_("Không tìm thấy phiếu với mã này."))
        try:
            booking = bookings.collect_cash(booking, request.user)
        except ExperienceError as error:
            view = ManifestView(request=request, kwargs={"pk": pk}, office=self.office,
                                vendor=self.vendor)
            context = view.get_context_data(error=str(error))
            return view.render_to_response(context, status=collect_status(error))
        messages.success(request, _("Đã thu %(amount)s của phiếu %(code)s.") % {
            "amount": money.display_vnd(booking.amount or 0), "code": booking.display_code})
        return redirect(reverse("experiences:manifest", args=[departure.pk])
                        + f"#booking-{booking.code}")


# --- the guide's check-in -------------------------------------------------------------------


class CheckInView(ProviderMixin, TemplateView):
    template_name = "experiences/check_in.html"

    def visible_booking(self, code):
        booking = bookings.find(code)
        if booking is None or not bookings.can_manage(self.request.user, booking):
            return None
        return booking

    def page(self, form, booking=None, error=None, done=False, status=200):
        if booking is not None:
            booking.pay_status = payment_status(booking)
        context = self.get_context_data(form=form, booking=booking, error=error, done=done,
                                        today_departures=self.today())
        return self.render_to_response(context, status=status)

    def today(self):
        return list(self.departures().filter(date=timezone.localdate(),
                                             status=Departure.Status.SCHEDULED)
                    .select_related("product").order_by("start_time", "pk"))

    def get(self, request, *args, **kwargs):
        if "code" not in request.GET:
            return self.page(CodeForm())
        form = CodeForm(request.GET)
        if not form.is_valid():
            return self.page(form, status=400)
        booking = self.visible_booking(form.cleaned_data["code"])
        if booking is None:
            return self.page(form, error=_("Không tìm thấy phiếu với mã này."), status=404)
        return self.page(form, booking=booking)

    def post(self, request, *args, **kwargs):
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self.page(form, status=400)
        code = form.cleaned_data["code"]
        try:
            booking = bookings.check_in(code, user=request.user)
        except ExperienceError as error:
            booking = self.visible_booking(code)
            status = {"unknown_code": 404, "forbidden": 404,
                      "already_checked_in": 409}.get(error.code, 400)
            return self.page(form, booking=booking, error=str(error), status=status)
        messages.success(request, _("Đã check-in phiếu %(code)s: %(n)s người.") % {
            "code": booking.display_code, "n": booking.people})
        return self.page(CodeForm(), booking=booking, done=True)


class CheckInCollectView(CheckInView):
    """"Đã thu tiền" on the check-in page's booking card (``bookings.collect_cash``): the card is shown
    again, paid; a refusal shows it with the reason (4xx), nothing written."""

    def get(self, request, *args, **kwargs):
        return redirect("experiences:check-in")

    def post(self, request, *args, **kwargs):
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self.page(form, status=400)
        booking = self.visible_booking(form.cleaned_data["code"])
        if booking is None:
            return self.page(form, error=_("Không tìm thấy phiếu với mã này."), status=404)
        try:
            booking = bookings.collect_cash(booking, request.user)
        except ExperienceError as error:
            booking.refresh_from_db()
            return self.page(form, booking=booking, error=str(error),
                             status=collect_status(error))
        messages.success(request, _("Đã thu %(amount)s của phiếu %(code)s.") % {
            "amount": money.display_vnd(booking.amount or 0), "code": booking.display_code})
        return self.page(CodeForm(), booking=booking, done=True)


# --- the buyer's booking page ---------------------------------------------------------------


def booking_by_code(code):
    booking = bookings.find(code)
    if booking is None or booking.code != code:
        raise Http404(_("Không tìm thấy phiếu với mã này."))
    return booking


def refund_text(booking):
    return Booking.Refund(bookings.refund_for(booking)).label


class BookingView(TemplateView):
    """The voucher of one booking, by its unguessable code; cancel up to the cut-off."""

    template_name = "experiences/booking.html"

    def get_context_data(self, **kwargs):
        booking = kwargs.pop("booking", None) or booking_by_code(self.kwargs["code"])
        now = timezone.now()
        slots = []
        if booking.departure_id is None and booking.valid_until and \
                booking.state == Booking.State.CONFIRMED:
            slots = [slot for slot in departures.availability(
                booking.product, start=max(booking.valid_from, timezone.localdate(now)),
                end=booking.valid_until, now=now) if slot.bookable]
        deadline = bookings.cancel_deadline(booking)
        return super().get_context_data(
            booking=booking, departure=booking.departure, product=booking.product,
            # no QR while an online payment is awaited (the voucher goes when it is paid)
            qr_svg="" if booking.awaits_online_payment else emails.qr_svg(booking, self.request),
            can_cancel=bookings.can_buyer_cancel(booking, now) and booking.departure_id,
            deadline=timezone.localtime(deadline) if deadline else None,
            refund=refund_text(booking), slots=slots, **kwargs)

    def refuse(self, booking, error, status=400):
        context = self.get_context_data(booking=booking, error=str(error))
        return self.render_to_response(context, status=status)


class BookingCancelView(BookingView):
    def get(self, request, *args, **kwargs):
        return redirect("experiences:booking", code=kwargs["code"])

    def post(self, request, code):
        booking = booking_by_code(code)
        try:
            done = bookings.cancel_booking(booking, by_buyer=True, reason=_("Khách tự huỷ."))
        except ExperienceError as error:
            return self.refuse(booking, error)
        if done:
            messages.success(request, _("Đã huỷ đặt chỗ %(code)s. Hoàn tiền: %(refund)s") % {
                "code": booking.display_code, "refund": booking.get_refund_display()})
        return redirect("experiences:booking", code=booking.code)


class BookingRedeemView(BookingView):
    """A gift voucher put on one departure of its period (places taken)."""

    def get(self, request, *args, **kwargs):
        return redirect("experiences:booking", code=kwargs["code"])

    def post(self, request, code):
        booking = booking_by_code(code)
        form = RedeemForm(request.POST)
        if not form.is_valid():
            return self.refuse(booking, form.errors["departure"][0])
        departure = Departure.objects.filter(pk=form.cleaned_data["departure"],
                                             product_id=booking.product_id).first()
        if departure is None:
            return self.refuse(booking, _("Không tìm thấy chuyến khởi hành."), status=404)
        try:
            booking = bookings.redeem_gift(booking, departure, channel=places.ONLINE)
        except ExperienceError as error:
            return self.refuse(booking, error)
        messages.success(request, _("Đã đặt phiếu quà tặng vào chuyến %(when)s.") % {
            "when": date_format(timezone.localtime(departure.starts_at), "H:i d/m/Y")})
        return redirect("experiences:booking", code=booking.code)


class BookingQRView(View):
    """The voucher's QR as SVG (pages, print) or PNG (emails)."""

    def get(self, request, code, fmt):
        booking = booking_by_code(code)
        data = emails.qr_data(booking, request)
        if fmt == "png":
            body, content_type = traceability.qr_png(data, box_size=8, border=2), "image/png"
        else:
            body, content_type = traceability.qr_svg(data, box_size=8, border=2), "image/svg+xml"
        response = HttpResponse(body, content_type=content_type)
        response["Cache-Control"] = "private, max-age=86400"
        return response
