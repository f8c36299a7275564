"""Livestream reports' pages: thin views over :mod:`shop.live.reports`.

Who reaches what is :mod:`shop.live.access`: a seller sees their own sessions
and earnings, the office sees every seller's and alone sees the settlement.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import ListView, TemplateView

from shop.core.numbers import is_digits
from shop.live import access, reports
from shop.live.models import Hold, LiveSession, Seller
from vendors.reports import PeriodMixin, csv_download

ENTRIES_PAGE_SIZE = 50


class ReportAccessMixin(LoginRequiredMixin):
    """Anonymous → sign-in page; signed in without a seller profile or the office's right → 403."""

    login_url = reverse_lazy("customer:login")
    office_only = False

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.office_only:
            access.require_office(request.user)
            self.own_seller = access.seller_for(request.user)
        else:
            self.own_seller = access.require(request.user)
        self.is_office = access.is_office(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("live_is_office", self.is_office)
        kwargs.setdefault("live_partner", getattr(self.own_seller, "partner", None))
        return super().get_context_data(**kwargs)


# --- Session report --------------------------------------------------------------------------


class SessionReportMixin(ReportAccessMixin):
    def get_session(self):
        if not hasattr(self, "_session"):
            self._session = access.get_own_or_404(
                LiveSession.objects.select_related("seller"), self.request.user, pk=self.kwargs["pk"]
            )
        return self._session


class SessionReportView(SessionReportMixin, TemplateView):
    template_name = "live/report.html"

    def get_context_data(self, **kwargs):
        report = reports.session_report(self.get_session())
        clicks_chart, actions_chart = reports.session_charts(report)
        return super().get_context_data(
            session=report.session, report=report, clicks_chart=clicks_chart,
            actions_chart=actions_chart, **kwargs,
        )


class SessionReportCsvView(SessionReportMixin, TemplateView):
    """``?kind=minutes``: the chart's buckets; otherwise the per-item table."""

    def get(self, request, *args, **kwargs):
        session = self.get_session()
        report = reports.session_report(session)
        stamp = timezone.localtime(report.window_start).strftime("%Y%m%d")
        if request.GET.get("kind") == "minutes":
            response, writer = csv_download(f"phien-{session.pk}-{stamp}-theo-phut.csv")
            writer.writerow([_("Từ"), _("Số phút"), _("Lượt bấm"), _("Giữ hàng"), _("Đơn hàng")])
            for bucket in report.buckets:
                writer.writerow([
                    timezone.localtime(bucket.start).strftime("%Y-%m-%d %H:%M"),
                    report.bucket_minutes, bucket.clicks, bucket.holds, bucket.orders,
                ])
            return response
        response, writer = csv_download(f"phien-{session.pk}-{stamp}.csv")
        hold_labels = [label for _value, label in Hold.Status.choices]
        writer.writerow([
            _("Mã"), _("Sản phẩm"), _("Giá livestream"), _("Lượt bấm"), _("Người xem"),
            _("Giỏ hàng"), *[_("Giữ hàng: %(status)s") % {"status": label} for label in hold_labels],
            _("Đơn hàng"), _("Số lượng"), _("Doanh thu"), _("Chuyển đổi (%)"), _("Hoa hồng"),
        ])
        for item in [*report.items, report.total]:
            writer.writerow([
                item.code, item.title, item.live_price if item.live_price is not None else "",
                item.clicks, item.visitors, item.baskets,
                *[count for _label, count in item.hold_list],
                item.orders, item.units, item.revenue,
                item.conversion if item.conversion is not None else "", item.commission,
            ])
        return response


# --- Earnings --------------------------------------------------------------------------------


class EarningsView(ReportAccessMixin, PeriodMixin, ListView):
    """A seller's commissions for a period; the office reads any seller's with ``?seller=<id>``."""

    template_name = "live/earnings.html"
    context_object_name = "entries"
    paginate_by = ENTRIES_PAGE_SIZE

    def get(self, request, *args, **kwargs):
        self.seller = self.own_seller
        wanted = request.GET.get("seller", "")
        if self.is_office and is_digits(wanted):
            self.seller = get_object_or_404(Seller, pk=int(wanted))
        if self.seller is None:  # the office without a seller profile of its own
            return redirect("live:settlement")
        return super().get(request, *args, **kwargs)

    def period_query(self):
        query = super().period_query()
        if self.seller != self.own_seller:
            query += f"&seller={self.seller.pk}"
        return query

    def get_queryset(self):
        return reports.earnings_entries(self.seller, self.period)

    def csv_response(self):
        response, writer = csv_download(
            f"hoa-hong-{self.seller.pk}-{self.period.start}-{self.period.end}.csv"
        )
        writer.writerow([
            _("Thời điểm"), _("Số đơn"), _("Sản phẩm"), _("Phiên"), _("Doanh thu tính hoa hồng"),
            _("Tỉ lệ (%)"), _("Số tiền"), _("Loại"),
        ])
        for entry in self.get_queryset().iterator(chunk_size=500):
            line = entry.attribution.line
            writer.writerow([
                timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M"),
                line.order.number, line.title, entry.session.title if entry.session else "",
                entry.base, entry.rate, entry.amount, entry.get_kind_display(),
            ])
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            seller=self.seller, office_view=self.seller != self.own_seller,
            totals=reports.earnings_totals(self.seller, self.period),
            sessions=reports.earnings_by_session(self.seller, self.period),
            seller_query=f"seller={self.seller.pk}" if self.seller != self.own_seller else "",
            **kwargs,
        )


# --- Settlement (the office) -----------------------------------------------------------------


class SettlementView(ReportAccessMixin, PeriodMixin, TemplateView):
    """Every seller's commission to pay for a period, with their bank accounts."""

    office_only = True
    template_name = "live/settlement.html"

    def get_context_data(self, **kwargs):
        rows = reports.settlement_rows(self.period)
        return super().get_context_data(
            rows=rows, totals=reports.settlement_totals(rows), **kwargs,
        )

    def csv_response(self):
        rows = reports.settlement_rows(self.period)
        response, writer = csv_download(
            f"hoa-hong-livestream-{self.period.start}-{self.period.end}.csv"
        )
        writer.writerow([
            _("Người bán"), _("Điện thoại"), _("Số dòng đơn"), _("Hoa hồng ghi nhận"),
            _("Điều chỉnh giảm"), _("Phải trả"), _("Ngân hàng"), _("Số tài khoản"),
            _("Chủ tài khoản"),
        ])
        for row in rows:
            seller = row["seller"]
            writer.writerow([
                seller.display_name, seller.phone, row["lines"], row["earned"], row["reversed"],
                row["net"], seller.bank_name, seller.bank_account, seller.bank_account_name,
            ])
        return response


class SettlementCsvView(SettlementView):
    """The settlement's CSV at its own address (the page's ``?format=csv`` answers the same)."""

    def get(self, request, *args, **kwargs):
        if self.period_error:
            return super().get(request, *args, **kwargs)
        return self.csv_response()
