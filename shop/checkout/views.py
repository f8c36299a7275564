"""Checkout views (thin): the rules live in shop.payment, shop.shipping and showroom.inventory."""

import logging

from django import http
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View, generic
from oscar.apps.checkout import views as oscar_views
from oscar.apps.checkout.exceptions import FailedPreCondition
from oscar.core.loading import get_model
from phonenumber_field.phonenumber import PhoneNumber

from shop.invoicing import company_invoice as invoice_requests
from shop.order.utils import COLLECT_PREFIX
from shop.payment import methods as payment_methods
from shop.payment import payments, statuses, stripe_gateway
from shop.payment.models import OrderPayment
from shop.shipping import address
from shop.shipping.repository import collect_options

from . import tasks
from .confirmation import (  # noqa: F401  (imported from here by the API, live orders, tags)
    gift_options_of,
    order_status_url,
    transfer_purpose,
    vietqr_context,
)
from .forms import DeliveryAddressForm, GiftOptionsForm
from .models import GiftOptions

logger = logging.getLogger("oscar.checkout")

Country = get_model("address", "Country")
Order = get_model("order", "Order")

SESSION_NS = "ocop"


# --- Gateway (sign in, or continue as a guest) -------------------------------------


class IndexView(oscar_views.IndexView):
    """Oscar's gateway, given the request: a returning customer's sign-in is counted by
    django-axes like every other door (shop.core.signin), which needs the request."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["request"] = self.request
        return kwargs


# --- Address ---------------------------------------------------------------------


class ShippingAddressView(oscar_views.ShippingAddressView):
    form_class = DeliveryAddressForm

    def get_initial(self):
        return DeliveryAddressForm.initial_from(
            self.checkout_session.new_shipping_address_fields(),
            self.checkout_session._get(SESSION_NS, "address_codes"),
        )

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("instance", None)
        return kwargs

    def form_valid(self, form):
        Country.objects.get_or_create(
            iso_3166_1_a2="VN",
            defaults={"iso_3166_1_a3": "VNM", "iso_3166_1_numeric": "704",
                      "printable_name": "Việt Nam", "name": "Việt Nam",
                      "is_shipping_country": True},
        )
        fields = form.address_fields()
        fields["phone_number"] = PhoneNumber.from_string(fields["phone_number"], region="VN")
        self.checkout_session.ship_to_new_address(fields)
        self.checkout_session._set(SESSION_NS, "address_codes", form.codes())
        return redirect(self.get_success_url())


class WardsView(View):
    """``?province=<code>`` → the wards/communes of that province (JSON) for the address form."""

    def get(self, request):
        return http.JsonResponse(
            {"wards": [{"code": c, "name": n} for c, n in
                       address.wards(request.GET.get("province", ""))]}
        )


# --- Shipping method ----------------------------------------------------------------


class ShippingMethodView(oscar_views.ShippingMethodView):
    def get(self, request, *args, **kwargs):
        # Always show the choice (delivery and/or collect points), even with one option.
        if not request.basket.is_shipping_required():
            return super().get(request, *args, **kwargs)
        if not self.checkout_session.is_shipping_address_set():
            messages.error(request, _("Hãy nhập thông tin nhận hàng."))
            return redirect("checkout:shipping-address")
        self._methods = self.get_available_shipping_methods()
        if not self._methods and not collect_options(request.basket):
            messages.warning(request, _("Chưa giao được tới địa chỉ này, hãy chọn địa chỉ khác."))
            return redirect("checkout:shipping-address")
        return generic.FormView.get(self, request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["method_charges"] = [
            (m, m.calculate(self.request.basket)) for m in self._methods
            if not m.code.startswith(COLLECT_PREFIX)
        ]
        # every collect point, the ones that cannot serve this basket disabled with what is missing
        ctx["collect_options"] = collect_options(self.request.basket)
        return ctx

    def form_invalid(self, form):
        # a point that cannot serve the basket (or any unknown code): say why, 400
        code = self.request.POST.get("method_code", "")
        option = next((o for o in collect_options(self.request.basket) if o.code == code), None)
        if option is not None and not option.can_serve:
            messages.error(self.request, unservable_message(option))
        else:
            messages.error(self.request, _("Cách nhận hàng này không chọn được. Hãy chọn lại."))
        return self.render_to_response(self.get_context_data(form=form), status=400)


def unservable_message(option):
    return _("%(point)s không đủ hàng cho giỏ này (%(missing)s). Hãy chọn điểm khác hoặc "
             "giao hàng tận nơi.") % {
        "point": option.location.name,
        "missing": "; ".join(str(s) for s in option.shortages),
    }


# --- Payment method ----------------------------------------------------------------


class PaymentMethodView(oscar_views.PaymentMethodView):
    template_name = "oscar/checkout/payment_method.html"
    skip_conditions = []

    def _total(self):
        submission = self.build_submission()
        return submission["order_total"].incl_tax

    def get(self, request, *args, **kwargs):
        return self.render_choice()

    def render_choice(self, error=None, status=200, gift_form=None, einvoice_form=None):
        ctx = self.get_context_data()
        ctx["choices"] = payment_methods.choices(ctx["order_total"].incl_tax)
        ctx["selected"] = self.checkout_session.payment_method()
        ctx["error"] = error
        ctx["gift_form"] = gift_form or GiftOptionsForm(
            prefix="gift", initial=self.checkout_session._get(SESSION_NS, "gift") or {}
        )
        ctx["gift_wrap_offer"] = gift_wrap_offer()
        ctx["einvoice_form"] = einvoice_form or invoice_requests.form(
            stored=self.checkout_session._get(SESSION_NS, invoice_requests.SESSION_KEY))
        return self.render_to_response(ctx, status=status)

    def post(self, request, *args, **kwargs):
        gift_form = GiftOptionsForm(request.POST, prefix="gift")
        einvoice_form = invoice_requests.form(request.POST)
        if not gift_form.is_valid():
            return self.render_choice(
                error=_("Hãy sửa các tuỳ chọn quà tặng bên dưới."), status=400, gift_form=gift_form,
                einvoice_form=einvoice_form,
            )
        if not einvoice_form.is_valid():
            return self.render_choice(
                error=_("Hãy sửa thông tin xuất hoá đơn công ty bên dưới."), status=400,
                gift_form=gift_form, einvoice_form=einvoice_form,
            )
        self.checkout_session._set(SESSION_NS, invoice_requests.SESSION_KEY,
                                   einvoice_form.session_data())
        gift = gift_form.session_data()
        set_gift_wrap_line(self.checkout_session, request.basket, gift["gift_wrap"])
        self.checkout_session._set(SESSION_NS, "gift", gift)
        try:
            code = payment_methods.check(request.POST.get("method", ""), self._total())
        except ValueError as error:
            return self.render_choice(error=str(error), status=400, gift_form=gift_form)
        self.checkout_session.pay_by(code)
        return redirect("checkout:preview")


# --- Gift options -----------------------------------------------------------------


def gift_wrap_offer():
    """The cheapest priced gift-wrap/box offer in stock online, or None (the wish is then
    only recorded on the order and its packing slip)."""
    from catalogue.combos import packaging_offers

    for offer in packaging_offers():
        if (offer.net_stock_level or 0) > 0:
            return offer
    return None


def set_gift_wrap_line(checkout_session, basket, wanted):
    """Gift wrap = one ordinary basket line of the packaging offer (stock allocated like
    any product's); unticking removes the line this option added."""
    added = checkout_session._get(SESSION_NS, "gift_wrap_product")
    if not wanted:
        if added:
            basket.lines.filter(product_id=added).delete()
            basket._lines = None  # the cached lines are stale
            basket.reset_offer_applications()
            checkout_session._unset(SESSION_NS, "gift_wrap_product")
        return
    offer = gift_wrap_offer()
    if offer is None or basket.lines.filter(product_id=offer.product_id).exists():
        return
    basket.add_product(offer.product, 1)
    checkout_session._set(SESSION_NS, "gift_wrap_product", offer.product_id)


# --- Preview and placing the order ------------------------------------------------


class PaymentDetailsView(oscar_views.PaymentDetailsView):
    def get(self, request, *args, **kwargs):
        if not self.preview:
            return redirect("checkout:payment-method")
        return super().get(request, *args, **kwargs)

    def check_shipping_data_is_captured(self, request):
        # A collect point that can no longer serve the basket: say what it lacks, before
        # Oscar's generic "no longer valid" and before any order number is taken.
        code = self.checkout_session.shipping_method_code(request.basket) or ""
        if code.startswith(COLLECT_PREFIX):
            for option in collect_options(request.basket):
                if option.code == code and not option.can_serve:
                    raise FailedPreCondition(
                        url=reverse("checkout:shipping-method"),
                        message=unservable_message(option),
                    )
        return super().check_shipping_data_is_captured(request)

    def check_payment_data_is_captured(self, request):
        if not self.checkout_session.payment_method():
            raise FailedPreCondition(
                url=reverse("checkout:payment-method"),
                message=_("Hãy chọn hình thức thanh toán."),
            )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        code = self.checkout_session.payment_method()
        ctx["payment_method_label"] = (
            OrderPayment.Method(code).label if code in OrderPayment.Method.values else ""
        )
        ctx["gift"] = self.checkout_session._get(SESSION_NS, "gift") or {}
        ctx["einvoice_request"] = self.checkout_session._get(SESSION_NS,
                                                             invoice_requests.SESSION_KEY)
        return ctx

    def handle_place_order_submission(self, request):
        # Only the action is read from the POST: prices, quantities and totals come
        # from the server-side basket (anything else posted is ignored).
        submission = self.build_submission()
        code = self.checkout_session.payment_method()
        try:
            payment_methods.check(code, submission["order_total"].incl_tax)
        except ValueError as error:
            messages.error(request, str(error))
            return redirect("checkout:payment-method")
        submission["order_kwargs"]["status"] = payments.initial_order_status(code)
        submission["payment_kwargs"]["method"] = code
        return self.submit(**submission)

    def handle_payment(self, order_number, total, **kwargs):
        self._payment_method = kwargs.get("method")

    def handle_order_placement(self, *args, **kwargs):
        # One savepoint for the address, the order, its allocations and its payment:
        # a refused allocation leaves nothing behind.
        with transaction.atomic():
            return super().handle_order_placement(*args, **kwargs)

    def place_order(self, *args, **kwargs):
        order = super().place_order(*args, **kwargs)
        payments.open_payment(order, self._payment_method)
        # In the order's transaction (handle_order_placement): saved exactly once with it.
        gift = self.checkout_session._get(SESSION_NS, "gift") or {}
        if any(gift.get(key) for key in ("gift_wrap", "message", "recipient_name",
                                         "recipient_phone")):
            options = GiftOptions(order=order, **{
                key: gift.get(key) or default for key, default in (
                    ("gift_wrap", False), ("message", ""), ("recipient_name", ""),
                    ("recipient_phone", ""))
            })
            options.full_clean()
            options.save()
        invoice_requests.save_for_order(
            order, self.checkout_session._get(SESSION_NS, invoice_requests.SESSION_KEY))
        return order

    def handle_successful_order(self, order):
        response = super().handle_successful_order(order)
        if self._payment_method == OrderPayment.Method.CARD:
            return redirect(
                reverse("checkout:card-payment",
                        kwargs={"number": order.number, "hash": order.verification_hash()})
            )
        return response

    def send_order_placed_email(self, order):
        # In the order's transaction: sent by a worker once it commits (shop.checkout.tasks),
        # with the status link of this request's host (never Oscar's site row: shop.core.links).
        tasks.queue_order_placed_email(order, self.request)


# --- After the order --------------------------------------------------------------


def order_context(order):
    payment = OrderPayment.objects.filter(order=order).first()
    ctx = {
        "order": order,
        "payment": payment,
        "can_cancel": payments.can_cancel(order),
        "status_url": order_status_url(order),
        "is_collect": (order.shipping_code or "").startswith("collect-"),
        "ready_to_collect": order.status == statuses.READY_TO_COLLECT,
        "gift": gift_options_of(order),
    }
    if payment is not None and payment.method == OrderPayment.Method.VIETQR and not payment.is_paid:
        ctx.update(vietqr_context(order))
    return ctx


class ThankYouView(oscar_views.ThankYouView):
    def get_context_data(self, *args, **kwargs):
        ctx = super().get_context_data(*args, **kwargs)
        ctx.update(order_context(ctx["order"]))
        return ctx


class OrderByHashMixin:
    def get_order(self, number, hash):
        order = get_object_or_404(Order, number=number)
        if not order.check_verification_hash(hash):
            raise http.Http404()
        return order


class OrderStatusView(OrderByHashMixin, View):
    template_name = "oscar/checkout/order_status.html"

    def get(self, request, number, hash):
        order = self.get_order(number, hash)
        ctx = order_context(order)
        ctx["lines"] = order.lines.all()
        return render(request, self.template_name, ctx)


class OrderCancelView(OrderByHashMixin, View):
    def post(self, request, number, hash):
        order = self.get_order(number, hash)
        try:
            payments.cancel_order(order, user=request.user)
        except payments.PaymentRefused as error:
            messages.error(request, str(error))
            return redirect(order_status_url(order))
        messages.success(request, _("Đã huỷ đơn %(n)s.") % {"n": order.number})
        return redirect(order_status_url(order))


class CardPaymentView(OrderByHashMixin, View):
    """The card payment page: the order's PaymentIntent and Stripe Elements."""

    template_name = "oscar/checkout/card_payment.html"

    def get(self, request, number, hash):
        from django.conf import settings

        order = self.get_order(number, hash)
        ctx = order_context(order)
        payment = ctx["payment"]
        if payment is None or payment.method != OrderPayment.Method.CARD:
            return redirect(order_status_url(order))
        status = 200
        if not payment.is_paid and order.status == statuses.AWAITING_PAYMENT:
            try:
                payment = payments.ensure_payment_intent(order)
            except stripe_gateway.GatewayError as error:
                ctx["error"], status = str(error), 503
        ctx["payment"] = payment
        ctx["stripe_publishable_key"] = settings.STRIPE_PUBLISHABLE_KEY
        ctx["return_url"] = request.build_absolute_uri(order_status_url(order))
        return render(request, self.template_name, ctx, status=status)


class PackingSlipView(View):
    """A printable packing slip for staff: lines, recipient, address, gift wrap and message."""

    template_name = "oscar/checkout/packing_slip.html"

    def get(self, request, number):
        if not (request.user.is_authenticated and request.user.is_staff):
            raise PermissionDenied
        order = get_object_or_404(Order, number=number)
        return render(request, self.template_name, {
            "order": order, "lines": order.lines.all(), "gift": gift_options_of(order),
            "address": order.shipping_address,
            "is_collect": (order.shipping_code or "").startswith("collect-"),
        })
