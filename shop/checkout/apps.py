import oscar.apps.checkout.apps as apps
from django.urls import path
from oscar.core.loading import get_class


class CheckoutConfig(apps.CheckoutConfig):
    """Oscar's checkout, forked: Vietnamese address, delivery or collect, card/VietQR/COD."""

    name = "shop.checkout"

    def ready(self):
        super().ready()
        self.order_status_view = get_class("checkout.views", "OrderStatusView")
        self.order_cancel_view = get_class("checkout.views", "OrderCancelView")
        self.card_payment_view = get_class("checkout.views", "CardPaymentView")
        self.wards_view = get_class("checkout.views", "WardsView")
        self.packing_slip_view = get_class("checkout.views", "PackingSlipView")

    def get_urls(self):
        urls = super().get_urls()
        urls += [
            path("wards/", self.wards_view.as_view(), name="wards"),
            path("packing-slip/<str:number>/", self.packing_slip_view.as_view(),
                 name="packing-slip"),
            path("order/<str:number>/<str:hash>/", self.order_status_view.as_view(),
                 name="order-status"),
            path("order/<str:number>/<str:hash>/cancel/", self.order_cancel_view.as_view(),
                 name="order-cancel"),
            path("order/<str:number>/<str:hash>/pay/", self.card_payment_view.as_view(),
                 name="card-payment"),
        ]
        return self.post_process_urls(urls)
