"""The office's invoice pages at /office/invoices/ (namespace ``invoicing``): thin views.

The list, its totals and the XLSX are ``shop.invoicing.exports``; who may see them is
``shop.invoicing.access``; retrying a failed issue is ``shop.invoicing.issuing.retry``.

* ``/office/invoices/?month=2026-11&location=&status=&kind=`` — the month's invoices.
* ``/office/invoices/?tab=failed`` — every failed issue (whatever the month), each with
  a retry button (POST).
* ``/office/invoices/export.xlsx?…`` — the same filters as an XLSX for the accountant.
* ``/office/invoices/<pk>/`` — one invoice; ``/office/invoices/<pk>/retry/`` (POST).
* ``/office/invoices/consolidate/?tax_code=&start=&end=`` — a buyer's orders of a period
  that one consolidated invoice may cover; POST issues it
  (``shop.invoicing.consolidation``).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView
from oscar.core.loading import get_model

from shop.core.numbers import is_digits
from shop.invoicing import access, exports
from shop.invoicing.models import Invoice

Location = get_model("showroom", "Location")
PAGE_SIZE = 50


class OfficeOnlyMixin(LoginRequiredMixin):
    """The district office (staff in ``district_office``) and superusers; others 403."""

    login_url = reverse_lazy("customer:login")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            access.require_office(request.user)
        return super().dispatch(request, *args, **kwargs)


def _filters(request):
    """The list's filters from the query string; unknown values are ignored."""
    params = request.GET
    year, month = exports.parse_month(params.get("month"))
    location = params.get("location") or ""
    location = int(location) if is_digits(location) else None
    status = params.get("status") if params.get("status") in Invoice.Status.values else ""
    kind = params.get("kind") if params.get("kind") in Invoice.Kind.values else ""
    failed_tab = params.get("tab") == "failed"
    return {"year": year, "month": month, "location": location, "status": status, "kind": kind,
            "failed_tab": failed_tab}


def _queryset(filters):
    if filters["failed_tab"]:
        return exports.invoices(location=filters["location"], status=Invoice.Status.FAILED)
    return exports.invoices(filters["year"], filters["month"], location=filters["location"],
                            status=filters["status"], kind=filters["kind"])


def _filters_text(filters, locations):
    parts = [_("Tháng %(month)s/%(year)s") % {"month": f"{filters['month']:02d}",
                                                 "year": filters["year"]}]
    if filters["location"]:
        name = next((loc.name for loc in locations if loc.pk == filters["location"]), "")
        parts.append(_("Điểm bán: %(name)s") % {"name": name})
    if filters["status"]:
        parts.append(_("Trạng thái: %(status)s") % {"status": Invoice.Status(filters["status"]).label})
    if filters["kind"]:
        parts.append(_("Loại: %(kind)s") % {"kind": Invoice.Kind(filters["kind"]).label})
    return " · ".join(parts)


class InvoiceListView(OfficeOnlyMixin, TemplateView):
    template_name = "invoicing/invoice_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filters = _filters(self.request)
        queryset = _queryset(filters).order_by("-day", "-pk")
        page = Paginator(queryset, PAGE_SIZE).get_page(self.request.GET.get("page"))
        locations = list(Location.objects.order_by("kind", "name"))
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("tab", None)
        counts = exports.status_counts(queryset)
        context.update(
            filters=filters, page=page, invoices=page.object_list,
            totals=exports.totals(queryset), locations=locations,
            statuses=Invoice.Status.choices, kinds=Invoice.Kind.choices,
            month_value=f"{filters['year']}-{filters['month']:02d}",
            failed_count=counts["failed"], unissued_count=counts["unissued"],
            query=query.urlencode(), filters_text=_filters_text(filters, locations),
        )
        return context


class InvoiceExportView(OfficeOnlyMixin, View):
    def get(self, request):
        filters = _filters(request)
        filters["failed_tab"] = False
        locations = list(Location.objects.all())
        content = exports.xlsx(_queryset(filters), filters["year"], filters["month"],
                               _filters_text(filters, locations))
        response = HttpResponse(content, content_type=exports.XLSX)
        name = exports.filename(filters["year"], filters["month"])
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class InvoiceDetailView(OfficeOnlyMixin, TemplateView):
    template_name = "invoicing/invoice_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        invoice = get_object_or_404(
            Invoice.objects.select_related("location", "original", "till_sale", "order")
            .prefetch_related("lines", "corrections"), pk=kwargs["pk"])
        context.update(invoice=invoice, lines=invoice.lines.all(),
                       by_rate=[{"label": exports.rate_label(rate), **row}
                                for rate, row in exports.vat_by_rate(invoice).items()],
                       corrections=invoice.corrections.all(), day=exports.invoice_day(invoice),
                       consolidated_orders=[link.order for link in invoice.consolidated_orders
                                            .select_related("order").order_by("order__date_placed")])
        return context


class InvoiceRetryView(OfficeOnlyMixin, View):
    """Send a failed invoice to the provider again (``issuing.retry``)."""

    def post(self, request, pk):
        from shop.invoicing import issuing  # written beside this app; imported when used

        invoice = get_object_or_404(Invoice, pk=pk)
        if invoice.status != Invoice.Status.FAILED:
            messages.info(request, _("Hoá đơn %(invoice)s không ở trạng thái lỗi.") % {"invoice": invoice})
        else:
            issuing.retry(invoice)
            invoice.refresh_from_db()
            if invoice.status == Invoice.Status.ISSUED:
                messages.success(request, _("Đã phát hành hoá đơn %(invoice)s.") % {"invoice": invoice})
            elif invoice.status == Invoice.Status.FAILED:
                messages.error(request, _("Phát hành hoá đơn %(invoice)s vẫn lỗi: %(error)s") % {
                    "invoice": invoice, "error": invoice.last_error})
            else:
                messages.info(request, _("Đã gửi lại hoá đơn %(invoice)s.") % {"invoice": invoice})
        target = request.POST.get("next") or ""
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
            target = reverse("invoicing:list") + "?tab=failed"
        return redirect(target)


def _day(text):
    import datetime

    try:
        return datetime.date.fromisoformat(str(text or "").strip())
    except ValueError:
        return None


class ConsolidateView(OfficeOnlyMixin, TemplateView):
    """Pick a buyer (tax code) and a period, see its orders, issue one invoice for them."""

    template_name = "invoicing/consolidate.html"

    def _params(self, data):
        from shop.invoicing import taxcode

        today = timezone.localdate()
        start = _day(data.get("start")) or today.replace(day=1)
        end = _day(data.get("end")) or today
        raw = (data.get("tax_code") or "").strip()
        code, error = "", None
        if raw:
            try:
                code = taxcode.normalise(raw)
            except taxcode.InvalidTaxCode as exc:
                error = str(exc)
        return raw, code, start, end, error

    def get_context_data(self, error=None, **kwargs):
        from shop.invoicing import consolidation

        context = super().get_context_data(**kwargs)
        data = self.request.POST if self.request.method == "POST" else self.request.GET
        raw, code, start, end, code_error = self._params(data)
        orders = []
        if code and not code_error:
            orders = list(consolidation.eligible_orders(code, start, end)
                          .select_related("invoice_request")[:500])
        context.update(tax_code=raw, start=start.isoformat(), end=end.isoformat(),
                       orders=orders, total=sum(o.total_incl_tax for o in orders),
                       error=error or code_error, waiting=consolidation.buyers_waiting(),
                       searched=bool(raw))
        return context

    def post(self, request):
        from shop.invoicing import consolidation

        _raw, code, start, end, error = self._params(request.POST)
        if not error:
            try:
                invoice = consolidation.consolidate(code or request.POST.get("tax_code"),
                                                    start, end)
            except consolidation.ConsolidationError as exc:
                error = str(exc)
            else:
                messages.success(request, _("Đã lập hoá đơn gộp %(invoice)s cho %(count)s đơn.") % {
                    "invoice": invoice, "count": invoice.consolidated_orders.count()})
                return redirect("invoicing:detail", pk=invoice.pk)
        return self.render_to_response(self.get_context_data(error=error), status=400)
