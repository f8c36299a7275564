"""The district office's inventory pages (in Oscar's dashboard). Thin: inventory.py decides."""

import csv
import datetime

from django.contrib import messages
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, ListView, TemplateView, UpdateView
from oscar.core.loading import get_model

from shop.core.roles import DISTRICT_OFFICE
from showroom import forms, inventory
from showroom.models import Location, Stock, StockCount, StockMove, Transfer

StockRecord = get_model("partner", "StockRecord")


def is_office(user):
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if not user.is_staff:
        return False
    cached = getattr(user, "_showroom_is_office", None)
    if cached is None:
        cached = user.groups.filter(name=DISTRICT_OFFICE).exists()
        user._showroom_is_office = cached  # the menu asks once per entry
    return cached


def nav_access(user, url_name, url_args=None, url_kwargs=None):
    """``access_fn`` of the dashboard menu entries."""
    return is_office(user)


class OfficeRequiredMixin(AccessMixin):
    """The district office (staff in the group) or a superuser; others get 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not is_office(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def _form_error(form, error):
    form.add_error(None, str(error))


# --- Stock overview -----------------------------------------------------------------


class StockOverviewView(OfficeRequiredMixin, ListView):
    """Every product offer × each location: on hand / allocated, in transit, online."""

    template_name = "showroom/overview.html"
    paginate_by = 25
    context_object_name = "stockrecords"

    def get_queryset(self):
        self.filter_form = forms.OverviewFilterForm(self.request.GET or None)
        qs = StockRecord.objects.select_related("product", "partner").order_by(
            "product__title", "pk"
        )
        if self.filter_form.is_valid():
            data = self.filter_form.cleaned_data
            if data["q"]:
                q = data["q"].strip()
                qs = qs.filter(
                    Q(product__title__icontains=q) | Q(product__upc__iexact=q)
                    | Q(partner_sku__iexact=q)
                    | Q(product__search_text__icontains=q.lower())
                )
            if data["partner"]:
                qs = qs.filter(partner=data["partner"])
            if data["location"]:
                qs = qs.filter(location_stocks__location=data["location"]).distinct()
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        locations = list(Location.objects.all())
        page = list(context["stockrecords"])
        ids = [sr.pk for sr in page]
        stocks = {
            (s.stockrecord_id, s.location_id): s for s in Stock.objects.filter(stockrecord_id__in=ids)
        }
        transit = inventory.in_transit(ids)
        context["rows"] = [
            {
                "stockrecord": sr,
                "cells": [stocks.get((sr.pk, loc.pk)) for loc in locations],
                "in_transit": sum(q for (sr_id, _d), q in transit.items() if sr_id == sr.pk),
                "online": sr.net_stock_level,
            }
            for sr in page
        ]
        context["locations"] = locations
        context["filter_form"] = self.filter_form
        return context


# --- Receipts -----------------------------------------------------------------------


class ReceiptCreateView(OfficeRequiredMixin, FormView):
    template_name = "showroom/receipt_form.html"
    form_class = forms.ReceiptForm

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            receipt = inventory.receive(
                data["location"], data["lines"], user=self.request.user,
                reference=data["reference"], note=data["note"], partner=data["partner"],
            )
        except inventory.InventoryError as error:
            _form_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Đã nhập %(n)s dòng hàng vào %(location)s.")
            % {"n": len(data["lines"]), "location": receipt.location},
        )
        return redirect(reverse("showroom:ledger") + f"?reference={receipt.moves.first().reference}")


# --- Transfers ------------------------------------------------------------------------


class TransferListView(OfficeRequiredMixin, ListView):
    template_name = "showroom/transfer_list.html"
    paginate_by = 25
    context_object_name = "transfers"

    def get_queryset(self):
        return Transfer.objects.select_related("source", "destination", "created_by")


class TransferCreateView(OfficeRequiredMixin, FormView):
    template_name = "showroom/transfer_form.html"
    form_class = forms.TransferForm

    def form_valid(self, form):
        from django.db import transaction

        data = form.cleaned_data
        try:
            with transaction.atomic():
                transfer = inventory.create_transfer(
                    data["source"], data["destination"], data["lines"],
                    user=self.request.user, note=data["note"],
                )
                if data["send_now"]:
                    inventory.send_transfer(transfer, user=self.request.user)
        except inventory.InventoryError as error:
            _form_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã lập %(transfer)s.") % {"transfer": transfer})
        return redirect("showroom:transfer-detail", pk=transfer.pk)


class TransferDetailView(OfficeRequiredMixin, DetailView):
    template_name = "showroom/transfer_detail.html"
    context_object_name = "transfer"

    ACTIONS = {
        "send": (inventory.send_transfer, _("Đã gửi hàng đi.")),
        "receive": (inventory.receive_transfer, _("Đã nhận hàng.")),
        "cancel": (inventory.cancel_transfer, _("Đã huỷ phiếu chuyển.")),
    }

    def get_queryset(self):
        return Transfer.objects.select_related(
            "source", "destination", "created_by", "sent_by", "received_by"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lines"] = self.object.lines.select_related(
            "stockrecord__product", "stockrecord__partner"
        )
        return context

    def post(self, request, *args, **kwargs):
        transfer = get_object_or_404(Transfer, pk=kwargs["pk"])
        action = self.ACTIONS.get(request.POST.get("action"))
        if action is None:
            messages.error(request, _("Thao tác không hợp lệ."))
        else:
            function, done = action
            try:
                function(transfer, user=request.user)
            except inventory.InventoryError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, done)
        return redirect("showroom:transfer-detail", pk=transfer.pk)


# --- Counts ---------------------------------------------------------------------------


class CountStartView(OfficeRequiredMixin, TemplateView):
    template_name = "showroom/count_start.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["locations"] = Location.objects.all()
        context["counts"] = StockCount.objects.select_related("location", "created_by")[:20]
        return context


class CountView(OfficeRequiredMixin, FormView):
    template_name = "showroom/count_form.html"
    form_class = forms.CountForm

    def dispatch(self, request, *args, **kwargs):
        self.location = get_object_or_404(Location, code=kwargs["code"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["stocks"] = (
            Stock.objects.filter(location=self.location)
            .select_related("stockrecord__product", "stockrecord__partner")
            .order_by("stockrecord__product__title", "pk")
        )
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["location"] = self.location
        return context

    def form_valid(self, form):
        try:
            count = inventory.apply_count(
                self.location, form.cleaned_data["counted"], form.cleaned_data["reason"],
                user=self.request.user,
            )
        except inventory.InventoryError as error:
            _form_error(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Đã ghi %(count)s: %(n)s điều chỉnh.") % {"count": count, "n": count.moves.count()},
        )
        return redirect(reverse("showroom:ledger") + f"?reference={count.pk}&kind=adjustment")


# --- Ledger ---------------------------------------------------------------------------


class LedgerView(OfficeRequiredMixin, ListView):
    """Every move, filterable by product, location, kind, reference and dates; CSV export."""

    template_name = "showroom/ledger.html"
    paginate_by = 50
    context_object_name = "moves"

    def get_queryset(self):
        self.filter_form = forms.LedgerFilterForm(self.request.GET or None)
        qs = StockMove.objects.select_related(
            "stock__location", "stock__stockrecord__product", "stock__stockrecord__partner",
            "user",
        ).order_by("-created_at", "-pk")
        if self.filter_form.is_valid():
            data = self.filter_form.cleaned_data
            if data["product"]:
                q = data["product"].strip()
                qs = qs.filter(
                    Q(stock__stockrecord__product__title__icontains=q)
                    | Q(stock__stockrecord__product__upc__iexact=q)
                    | Q(stock__stockrecord__partner_sku__iexact=q)
                )
            if data["location"]:
                qs = qs.filter(stock__location=data["location"])
            if data["kind"]:
                qs = qs.filter(kind=data["kind"])
            if data["reference"]:
                qs = qs.filter(reference=data["reference"].strip())
            tz = timezone.get_current_timezone()
            if data["date_from"]:
                start = datetime.datetime.combine(data["date_from"], datetime.time.min, tz)
                qs = qs.filter(created_at__gte=start)
            if data["date_to"]:
                end = datetime.datetime.combine(
                    data["date_to"] + datetime.timedelta(days=1), datetime.time.min, tz
                )
                qs = qs.filter(created_at__lt=end)
        elif self.filter_form.is_bound:
            qs = qs.none()
        return qs

    def get(self, request, *args, **kwargs):
        if request.GET.get("format") == "csv":
            return self.csv_response(self.get_queryset())
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter_form"] = self.filter_form
        query = self.request.GET.copy()
        query.pop("page", None)
        query["format"] = "csv"
        context["csv_query"] = query.urlencode()
        return context

    def csv_response(self, qs):
        header = [
            _("Thời điểm"), _("Điểm bán"), _("Sản phẩm"), _("Chủ thể"), _("SKU"), _("Loại"),
            _("Thay đổi tồn"), _("Thay đổi hàng giữ"), _("Tồn sau"), _("Giữ sau"),
            _("Người thực hiện"), _("Lý do"), _("Loại chứng từ"), _("Số chứng từ"),
        ]
        tz = timezone.get_current_timezone()

        class Echo:
            def write(self, value):
                return value

        writer = csv.writer(Echo())

        def rows():
            yield "\ufeff" + writer.writerow(header)  # BOM: spreadsheets read UTF-8
            for move in qs.iterator(chunk_size=500):
                sr = move.stock.stockrecord
                yield writer.writerow([
                    move.created_at.astimezone(tz).strftime("%Y-%m-%d %H:%M:%S"),
                    move.stock.location.code, sr.product.title, sr.partner.name,
                    sr.partner_sku, move.kind, move.quantity, move.allocated, move.balance,
                    move.allocated_balance, move.user.get_username() if move.user else "",
                    move.reason, move.reference_type, move.reference,
                ])

        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="so-kho.csv"'
        return response


# --- Low stock ----------------------------------------------------------------------------


class LowStockView(OfficeRequiredMixin, ListView):
    template_name = "showroom/low_stock.html"
    paginate_by = 50
    context_object_name = "stocks"

    def get_queryset(self):
        return inventory.low_stock()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["default_threshold"] = inventory.low_stock_default()
        context["reconcile"] = Stock.objects.filter(needs_reconciliation=True).select_related(
            "location", "stockrecord__product"
        )[:100]
        return context


class ThresholdView(OfficeRequiredMixin, UpdateView):
    template_name = "showroom/threshold_form.html"
    form_class = forms.ThresholdForm
    context_object_name = "stock"

    def get_queryset(self):
        return Stock.objects.select_related("location", "stockrecord__product")

    def form_valid(self, form):
        try:
            inventory.set_low_stock_threshold(
                self.object, form.cleaned_data["low_stock_threshold"]
            )
        except inventory.InventoryError as error:
            _form_error(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Đã lưu ngưỡng sắp hết hàng."))
        return redirect("showroom:low-stock")
