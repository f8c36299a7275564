"""The till's pages: sign-in, register choice, the till, the customer display,
receipts (HTML for the 80 mm printer and PDF) and the Z-report."""

import json

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from pos import access, sales, sessions
from pos.models import Register, TillSession
from pos.money import cash_rounding_unit
from pos.receipts import receipt_context, receipt_pdf


class TillPageMixin(LoginRequiredMixin):
    login_url = reverse_lazy("pos:login")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.is_till_user(request.user):
            raise access.TillAccessDenied(_("Tài khoản này không phải thu ngân."))
        return super().dispatch(request, *args, **kwargs)

    def get_register(self):
        register = get_object_or_404(Register.objects.select_related("location"), pk=self.kwargs["pk"])
        return access.check_register(self.request.user, register)


class RegisterChoiceView(TillPageMixin, TemplateView):
    template_name = "pos/index.html"

    def get(self, request, *args, **kwargs):
        registers = list(access.registers_for(request.user))
        if len(registers) == 1:
            return redirect("pos:till", pk=registers[0].pk)
        return self.render_to_response({"registers": registers})


class TillView(TillPageMixin, TemplateView):
    template_name = "pos/till.html"

    def get_context_data(self, **kwargs):
        register = self.get_register()
        session = TillSession.objects.filter(register=register, status="open").first()
        config = {
            "register": {"id": register.pk, "code": register.code, "name": register.name,
                         "location": register.location.name},
            "session": session.pk if session else None,
            "user": self.request.user.get_username(),
            "discountLimit": str(access.discount_limit(self.request.user)),
            "cashRounding": cash_rounding_unit(),
            "api": reverse("pos:index") + "api/",
            "receiptUrl": reverse("pos:receipt", args=[0]).replace("/0/", "/{id}/"),
            "zReportUrl": reverse("pos:z-report", args=[0]).replace("/0/", "/{id}/"),
            "displayUrl": reverse("pos:display", args=[register.pk]),
        }
        return {**super().get_context_data(**kwargs), "register": register, "session": session,
                "config_json": json.dumps(config)}


class CustomerDisplayView(TillPageMixin, TemplateView):
    template_name = "pos/display.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "register": self.get_register()}


class ReceiptView(TillPageMixin, TemplateView):
    template_name = "pos/receipt.html"

    def get_sale(self):
        sale = sales.sale_queryset().filter(pk=self.kwargs["pk"]).first()
        if sale is None:
            raise Http404(_("Không có hoá đơn này."))
        access.check_register(self.request.user, sale.register)
        return sale

    def get_context_data(self, **kwargs):
        ctx = receipt_context(self.get_sale())
        ctx["autoprint"] = self.request.GET.get("print") == "1"
        return {**super().get_context_data(**kwargs), **ctx}


class ReceiptPDFView(ReceiptView):
    def get(self, request, *args, **kwargs):
        sale = self.get_sale()
        response = HttpResponse(receipt_pdf(sale), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="hoa-don-{sale.receipt_label}.pdf"'
        return response


class ZReportView(TillPageMixin, TemplateView):
    template_name = "pos/z_report.html"

    def get_context_data(self, **kwargs):
        session = get_object_or_404(
            TillSession.objects.select_related("register__location", "cashier", "closed_by"),
            pk=self.kwargs["pk"],
        )
        access.check_register(self.request.user, session.register)
        report = sessions.z_report(session)
        return {**super().get_context_data(**kwargs), "session": session, "report": report,
                "autoprint": self.request.GET.get("print") == "1"}
