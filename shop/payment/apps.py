import oscar.apps.payment.apps as apps


class PaymentConfig(apps.PaymentConfig):
    """Oscar's payment app, forked: card (Stripe), VietQR transfer, cash on delivery."""

    name = "shop.payment"
