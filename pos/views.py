"""The till's pages: sign-in, register choice, the till, the customer display,
receipts (HTML for the 80 mm printer and PDF) and the Z-report."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from pos import access, sales, sessions
from pos.models import Register, TenderKind, TillSession
from pos.money import cash_rounding_unit
from pos.receipts import receipt_context, receipt_pdf


def js_messages():
    """The till page's own words (Vietnamese msgids), handed to till.js as JSON."""
    return {
        "offline": _("Mất mạng — %(n)s hoá đơn đang chờ gửi"),
        "syncing": _("Đang gửi — %(n)s hoá đơn đang chờ"),
        "online": _("Đã kết nối"),
        "unknownCode": _("Không có sản phẩm nào mang mã “%(code)s”."),
        "badCode": _("Mã vạch “%(code)s” không hợp lệ."),
        "searchShort": _("Hãy gõ ít nhất 2 chữ cái để tìm theo tên."),
        "noResults": _("Không tìm thấy sản phẩm nào."),
        "emptyCart": _("Hoá đơn chưa có hàng."),
        "remaining": _("Còn phải thu"),
        "change": _("Tiền thối lại"),
        "short": _("Còn thiếu %(amount)s"),
        "saved": _("Đã ghi hoá đơn %(receipt)s."),
        "queued": _("Mất mạng: hoá đơn tạm %(ref)s đã được lưu trên máy, sẽ tự gửi khi có mạng."),
        "synced": _("Đã gửi %(n)s hoá đơn chờ."),
        "syncFailed": _("Hoá đơn tạm %(ref)s bị từ chối: %(detail)s"),
        "needApproval": _("Giảm giá vượt hạn mức %(limit)s%%: cần quản lý duyệt."),
        "networkError": _("Không kết nối được máy chủ."),
        "sessionOpened": _("Đã mở ca."),
        "sessionClosed": _("Đã đóng ca."),
        "cashMoved": _("Đã ghi thu/chi tiền mặt."),
        "returned": _("Đã trả hàng, hoàn %(amount)s."),
        "qrFor": _("Quét mã để chuyển %(amount)s — nội dung: %(ref)s"),
        "qrOffline": _("Mất mạng: không tạo được mã VietQR, hãy thu tiền mặt hoặc thẻ."),
        "remove": _("Xoá"),
        "confirmClose": _("Đóng ca với số tiền đếm được %(amount)s?"),
        "offlineOnlyOnline": _("Việc này cần có mạng."),
        "returnedAlready": _("đã trả %(n)s"),
        "printReceipt": _("In hoá đơn"),
        "pdf": _("PDF"),
        "stars": _("%(n)s sao OCOP"),
        "badQuantity": _("Số lượng phải là số nguyên từ 1 đến 10.000."),
        "badAmount": _("Số tiền phải là số đồng chẵn, không âm."),
        "damaged": _("hàng hỏng"),
        "kinds": {kind: str(label) for kind, label in TenderKind.choices},
    }


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
                "config": config, "messages_js": js_messages()}


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
