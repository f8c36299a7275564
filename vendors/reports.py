"""Producers' sales and the office's settlement: thin views over ``vendors.settlement``."""

import csv

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.generic import ListView
from oscar.core.loading import get_model

from vendors.views import PAGE_SIZE, ProducerMixin

Line = get_model("order", "Line")


class SalesView(ProducerMixin, ListView):
    """The producer's order lines: online orders and till sales alike (Oscar order lines)."""

    template_name = "vendors/sales.html"
    context_object_name = "lines"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return self.own(
            Line.objects.select_related("order").order_by("-order__date_placed", "-pk")
        )

    def render_to_response(self, context, **kwargs):
        if self.request.GET.get("format") == "csv":
            return self.csv_response()
        return super().render_to_response(context, **kwargs)

    def csv_response(self):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="ban-hang.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow(
            [_("Ngày"), _("Số đơn"), _("Sản phẩm"), _("Mã hàng"), _("Số lượng"), _("Thành tiền")]
        )
        for line in self.get_queryset().iterator(chunk_size=500):
            writer.writerow(
                [
                    line.order.date_placed.date().isoformat() if line.order.date_placed else "",
                    line.order.number,
                    line.title,
                    line.partner_sku,
                    line.quantity,
                    line.line_price_incl_tax,
                ]
            )
        return response
