"""Order events: shipping/collection consumes, cancelling releases, via showroom.inventory."""

from django.conf import settings
from oscar.apps.order.processing import EventHandler as CoreEventHandler

from shop.experiences import bookings as experience_bookings
from showroom import inventory

# Status names that mean "the goods left" / "the order is cancelled".
DEFAULT_FULFILLED_STATUSES = ("Shipped", "Complete", "Collected", "Đã giao", "Đã nhận hàng")
DEFAULT_CANCELLED_STATUSES = ("Cancelled", "Đã huỷ")


class EventHandler(CoreEventHandler):
    """Stock allocations are consumed and released by the one inventory (idempotently)."""

    def consume_stock_allocations(self, order, lines=None, line_quantities=None):
        inventory.fulfil_order(order, lines=lines, quantities=line_quantities, user=self.user)

    def cancel_stock_allocations(self, order, lines=None, line_quantities=None):
        inventory.release_order(order, lines=lines, quantities=line_quantities, user=self.user)
        # the order's experience bookings: cancelled, places back (once)
        experience_bookings.cancel_for_order(
            order.number, line_ids=None if lines is None else [line.pk for line in lines],
            user=self.user, reason=getattr(self, "cancel_reason", ""),
        )

    def are_stock_allocations_available(self, lines, line_quantities):
        return True  # allocations are checked and held by showroom.inventory

    def handle_order_status_change(self, order, new_status, note_msg=None):
        super().handle_order_status_change(order, new_status, note_msg=note_msg)
        fulfilled = getattr(settings, "SHOP_ORDER_FULFILLED_STATUSES", DEFAULT_FULFILLED_STATUSES)
        cancelled = getattr(settings, "SHOP_ORDER_CANCELLED_STATUSES", DEFAULT_CANCELLED_STATUSES)
        if new_status in fulfilled:
            self.consume_stock_allocations(order)
        elif new_status in cancelled:
            # a staff member's note is the reason the order's bookings are told (by email);
            # the shop's own cancellations (unpaid, released) keep the bookings' own wording
            staff = self.user is not None and getattr(self.user, "is_staff", False)
            self.cancel_reason = (note_msg or "").strip() if staff else ""
            self.cancel_stock_allocations(order)
