from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from . import payments, stripe_events
from .forms import RefundForm
from .models import OrderPayment


@csrf_exempt
def stripe_webhook(request):
    """Stripe posts events here; the signature is checked on the exact raw body."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    status, result = stripe_events.receive(request.body, request.headers.get("Stripe-Signature"))
    return HttpResponse(result, status=status, content_type="text/plain; charset=utf-8")


@method_decorator(staff_member_required, name="dispatch")
class RefundView(View):
    """Staff refund (full or partial) of a card payment, through Stripe, recorded once."""

    template_name = "oscar/checkout/staff_refund.html"

    def get_payment(self, number):
        return get_object_or_404(
            OrderPayment.objects.select_related("order"), order__number=number,
            method=OrderPayment.Method.CARD,
        )

    def get(self, request, number):
        payment = self.get_payment(number)
        form = RefundForm(initial={"amount": int(payment.refundable)}, maximum=payment.refundable)
        return render(request, self.template_name, {"payment": payment, "form": form})

    def post(self, request, number):
        payment = self.get_payment(number)
        form = RefundForm(request.POST, maximum=payment.refundable)
        if form.is_valid():
            try:
                payments.refund_card(
                    payment.order, form.cleaned_data["amount"], user=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except payments.PaymentRefused as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("Đã hoàn tiền."))
                return redirect(reverse("dashboard:order-detail", kwargs={"number": number}))
        return render(request, self.template_name, {"payment": payment, "form": form}, status=400)
