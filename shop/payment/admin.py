from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from oscar.apps.payment.admin import *  # noqa: F401,F403

from . import payments
from .models import OrderPayment, PaymentRefund, StripeEvent


class PaymentRefundInline(admin.TabularInline):
    model = PaymentRefund
    extra = 0
    can_delete = False
    readonly_fields = ("amount", "stripe_refund_id", "status", "reason", "created_by", "created_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(OrderPayment)
class OrderPaymentAdmin(admin.ModelAdmin):
    list_display = ("order", "method", "status", "amount", "amount_paid", "amount_refunded",
                    "disputed", "needs_attention", "refund_link")
    list_filter = ("method", "status", "disputed")
    search_fields = ("order__number", "stripe_payment_intent")
    readonly_fields = [f.name for f in OrderPayment._meta.fields]
    inlines = [PaymentRefundInline]
    actions = ["confirm_transfer"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Hoàn tiền"))
    def refund_link(self, obj):
        if obj.method == OrderPayment.Method.CARD and obj.refundable > 0:
            url = reverse("ocop-payment:refund", kwargs={"number": obj.order.number})
            return format_html('<a href="{}">{}</a>', url, _("Hoàn tiền"))
        return ""

    @admin.action(description=_("Xác nhận đã nhận chuyển khoản (đủ số tiền)"))
    def confirm_transfer(self, request, queryset):
        done = 0
        for payment in queryset.filter(method=OrderPayment.Method.VIETQR):
            try:
                payments.confirm_transfer(payment.order, payment.amount, user=request.user)
                done += 1
            except payments.PaymentRefused as error:
                self.message_user(request, str(error), messages.WARNING)
        self.message_user(request, _("Đã xác nhận %(n)s khoản chuyển.") % {"n": done})


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = ("event_id", "type", "order_number", "result", "received_at")
    search_fields = ("event_id", "order_number")
    readonly_fields = [f.name for f in StripeEvent._meta.fields]

    def has_add_permission(self, request):
        return False
