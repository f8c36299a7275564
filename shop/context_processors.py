from django.conf import settings


def ocop(request):
    """Values every storefront page uses: theme name and whether card payment is on."""
    return {
        "shop_theme": settings.SHOP_THEME,
        "card_payments_enabled": bool(
            settings.STRIPE_SECRET_KEY and settings.STRIPE_PUBLISHABLE_KEY
        ),
    }
