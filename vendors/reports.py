"""Producers' sales and the office's settlement: thin views over ``vendors.settlement``."""

import csv
import datetime

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import ListView, TemplateView
from oscar.core.loading import get_model

from shop import money
from shop.core import charts
from vendors import settlement
from vendors.views import PAGE_SIZE, ProducerMixin

Partner = get_model("partner", "Partner")

SETTLEMENT_PERMISSION = "vendors.view_settlement"
MAX_PERIOD_DAYS = 3 * 366
FIRST_DAY = datetime.date(2000, 1, 1)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """A cell a spreadsheet shows as text, never runs as a formula (titles come from producers)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_download(filename):
    """``(response, writer)``: a UTF-8 CSV attachment Excel opens, cells never formulas."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)

    class SafeWriter:
        def writerow(self, row):
            writer.writerow([csv_safe(cell) for cell in row])

    return response, SafeWriter()


class PeriodForm(forms.Form):
    """The report's period: a quick choice, or from / to dates (both included)."""

    preset = forms.ChoiceField(
        label=gettext_lazy("Kỳ báo cáo"), required=False,
        choices=[("", "—")] + list(settlement.PRESETS.items()),
    )
    start = forms.DateField(label=gettext_lazy("Từ ngày"), required=False)
    end = forms.DateField(label=gettext_lazy("Đến ngày"), required=False)

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        if data.get("preset"):
            data["period"] = settlement.preset_period(data["preset"], today)
            return data
        start, end = data.get("start"), data.get("end")
        if start is None and end is None:
            data["period"] = settlement.preset_period("this-month", today)
            return data
        start = start or (end or today).replace(day=1)
        end = end or today
        last_day = today + datetime.timedelta(days=366)
        if start < FIRST_DAY or end > last_day:
            raise forms.ValidationError(
                _("Hãy chọn ngày từ %(first)s đến %(last)s.")
                % {"first": FIRST_DAY.strftime("%d/%m/%Y"), "last": last_day.strftime("%d/%m/%Y")}
            )
        if end < start:
            raise forms.ValidationError(_("Ngày kết thúc phải sau ngày bắt đầu."))
        if (end - start).days >= MAX_PERIOD_DAYS:
            raise forms.ValidationError(_("Mỗi báo cáo xem tối đa 3 năm."))
        data["period"] = settlement.Period(start, end)
        return data


class PeriodMixin:
    """Reads the period from the query string; bad dates answer 400 with the message."""

    def dispatch(self, request, *args, **kwargs):
        self.period_form = PeriodForm(request.GET or None)
        if self.period_form.is_bound and self.period_form.is_valid():
            self.period = self.period_form.cleaned_data["period"]
        else:
            self.period = settlement.preset_period("this-month")
        return super().dispatch(request, *args, **kwargs)

    @property
    def period_error(self):
        return self.period_form.is_bound and not self.period_form.is_valid()

    def period_query(self):
        return f"start={self.period.start.isoformat()}&end={self.period.end.isoformat()}"

    def get(self, request, *args, **kwargs):
        """``?format=csv`` answers the export alone, without building the page first."""
        if request.GET.get("format") == "csv" and not self.period_error:
            return self.csv_response()
        return super().get(request, *args, **kwargs)

    def render_to_response(self, context, **kwargs):
        if self.period_error:
            kwargs["status"] = 400
        return super().render_to_response(context, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.update(
            period=self.period, period_form=self.period_form, period_query=self.period_query(),
            presets=list(settlement.PRESETS.items()),
        )
        return super().get_context_data(**kwargs)


def _bucket_label(period):
    return (lambda b: b.day.strftime("%m/%Y")) if period.monthly else (
        lambda b: b.day.strftime("%d/%m")
    )


def sales_chart(report):
    """The daily (or monthly) chart of one seller's report."""
    period = report.period
    label = _bucket_label(period)

    def describe(bucket):
        text = _("%(day)s: bán lẻ %(own)s, trong combo %(combo)s") % {
            "day": label(bucket), "own": money.display_vnd(bucket.own), "combo": money.display_vnd(bucket.in_combos),
        }
        if bucket.deducted:
            text += ", " + _("trả hàng, hoàn tiền %(amount)s") % {"amount": money.display_vnd(bucket.deducted)}
        return text

    return charts.stacked_bars(
        report.buckets,
        positive=[
            (lambda b: b.own, "bar-own", _("Bán lẻ")),
            (lambda b: b.in_combos, "bar-combo", _("Trong combo")),
        ],
        negative=(lambda b: b.deducted, "bar-deducted", _("Trả hàng, hoàn tiền")),
        label=label, describe=describe,
    )


class SellerReportMixin(PeriodMixin):
    """One seller's report (the producer's own page, or the office's view of a producer)."""

    template_name = "vendors/sales.html"
    context_object_name = "shares"
    paginate_by = PAGE_SIZE

    def get_partner(self):
        raise NotImplementedError

    def get_queryset(self):
        return settlement.share_lines(self.period, self.get_partner())

    def get_context_data(self, **kwargs):
        report = settlement.seller_report(self.get_partner(), self.period)
        kwargs.update(report=report, chart=sales_chart(report), seller=self.get_partner())
        return super().get_context_data(**kwargs)

    def csv_response(self):
        partner = self.get_partner()
        response, writer = csv_download(
            f"ban-hang-{partner.code or partner.pk}-{self.period.start}-{self.period.end}.csv"
        )
        writer.writerow([
            _("Ngày"), _("Số đơn"), _("Sản phẩm"), _("Trong combo"), _("Số lượng"),
            _("Giá niêm yết"), _("Thành tiền"),
        ])
        for share in self.get_queryset().iterator(chunk_size=500):
            placed = share.line.order.date_placed
            writer.writerow([
                timezone.localdate(placed).isoformat() if placed else "",
                share.line.order.number, share.title, share.combo_title, share.quantity,
                share.list_price, share.amount,
            ])
        for deduction in settlement.deductions(self.period, [partner.pk]):
            writer.writerow([
                deduction.day.isoformat(), deduction.reference, deduction.title, "", "", "",
                -deduction.amount,
            ])
        return response


class SalesView(SellerReportMixin, ProducerMixin, ListView):
    """The producer's sales and settlement: own products and its share of every combo."""

    def get_partner(self):
        return self.vendor.partner


class OfficeSettlementMixin(LoginRequiredMixin):
    login_url = reverse_lazy("customer:login")

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not (user.is_staff and user.has_perm(SETTLEMENT_PERMISSION)):
            raise PermissionDenied(_("Chỉ Phòng Nông nghiệp huyện xem được báo cáo quyết toán."))
        return super().dispatch(request, *args, **kwargs)


class SettlementView(OfficeSettlementMixin, PeriodMixin, TemplateView):
    """Every seller's net for the period, to pay the producers; a bar list and a CSV."""

    template_name = "vendors/settlement.html"

    def get_context_data(self, **kwargs):
        rows = settlement.seller_totals(self.period)
        largest = max((max(r.gross, r.deducted) for r in rows), default=0)
        for row in rows:
            row.own_width = charts.share_of(row.own, largest)
            row.combo_width = charts.share_of(row.in_combos, largest)
            row.deducted_width = charts.share_of(row.deducted, largest)
        totals = settlement.SellerTotals(0, _("Tổng cộng"))
        for row in rows:
            if row.vendor is None:
                continue  # the district's own sales (gift packaging) are not paid out
            totals.own += row.own
            totals.in_combos += row.in_combos
            totals.deducted += row.deducted
            totals.units += row.units
        return super().get_context_data(rows=rows, totals=totals, **kwargs)

    def csv_response(self):
        rows = settlement.seller_totals(self.period)
        response, writer = csv_download(f"quyet-toan-{self.period.start}-{self.period.end}.csv")
        writer.writerow([
            _("Người bán"), _("Mã số thuế"), _("Bán lẻ"), _("Trong combo"), _("Trả hàng, hoàn tiền"),
            _("Thực nhận"), _("Ngân hàng"), _("Số tài khoản"), _("Chủ tài khoản"),
        ])
        for row in rows:
            vendor = row.vendor
            writer.writerow([
                row.name, getattr(vendor, "tax_code", ""), row.own, row.in_combos, row.deducted,
                row.net, getattr(vendor, "bank_name", ""),
                getattr(vendor, "bank_account_number", ""),
                getattr(vendor, "bank_account_holder", ""),
            ])
        return response


class SellerSettlementView(OfficeSettlementMixin, SellerReportMixin, ListView):
    """The office reads one seller's report, as the producer sees it."""

    def get_partner(self):
        if not hasattr(self, "_partner"):
            self._partner = get_object_or_404(
                Partner.objects.select_related("vendor"), pk=self.kwargs["partner_id"]
            )
        return self._partner

    def get_context_data(self, **kwargs):
        kwargs["office_view"] = True
        return super().get_context_data(**kwargs)

