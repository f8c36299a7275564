"""``{% order_vouchers order as vouchers %}``: the booking vouchers of an online order (its
thank-you page, status page and confirmation email), each with its QR and link; one query.
A booking paid online whose money is not in yet shows no QR ("chờ thanh toán")."""

from django import template
from django.urls import reverse

from shop.core import links
from shop.experiences import emails
from shop.experiences.models import Booking

register = template.Library()


@register.simple_tag(takes_context=True)
def order_vouchers(context, order):
    number = getattr(order, "number", None)
    if not number:
        return []
    request = context.get("request")
    rows = list(
        Booking.objects.filter(source__in=(Booking.Source.ONLINE, Booking.Source.GIFT),
                               source_ref=number)
        .select_related("product", "departure").order_by("pk"))
    for booking in rows:
        # paid online and the money not in yet: listed, without its QR ("chờ thanh toán");
        # the voucher email with the QR goes when it is paid (``shop.experiences.tasks``)
        booking.awaiting = booking.awaits_online_payment
        booking.qr_svg = "" if booking.awaiting else emails.qr_svg(booking, request)
        booking.voucher_url = emails.voucher_url(booking, request)
        booking.voucher_link = booking.voucher_url or emails.voucher_path(booking)
        booking.qr_png_url = links.absolute(
            reverse("experiences:booking-qr", kwargs={"code": booking.code, "fmt": "png"}),
            request) if booking.voucher_url and not booking.awaiting else ""
    return rows
