"""An online order's payment reaches its bookings (method; paid once money came in).

``shop.payment`` writes ``OrderPayment`` rows (opened in the order's transaction, then
moved forward by Stripe's webhook or the VietQR confirmation); each save carries its
method and whether money was received onto the order's bookings
(``bookings.sync_order_payment``). Connected in ``apps.ExperiencesConfig.ready``.
"""

from django.db.models.signals import post_save


def _payment_saved(sender, instance, **kwargs):
    from . import bookings

    number = getattr(instance.order, "number", None)
    if number:
        bookings.sync_order_payment(number, method=instance.method,
                                    paid=(instance.amount_paid or 0) > 0)


def connect():
    from shop.payment.models import OrderPayment

    post_save.connect(_payment_saved, sender=OrderPayment,
                      dispatch_uid="experiences_order_payment_to_bookings")
