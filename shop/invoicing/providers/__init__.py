"""E-invoice providers: the tax authority's XML, the provider interface and its adapters.

``get_provider()`` gives the provider of ``settings.INVOICE_PROVIDER``:

* ``"local"`` (the default): :class:`shop.invoicing.providers.fake.LocalProvider`, the
  fake provider's logic run in the shop's own process — numbers per serial from the
  shop's database — so that the demo and development issue invoices with no server;
* ``"http"``: :class:`shop.invoicing.providers.http.HttpProvider`, posting the XML to
  ``settings.INVOICE_PROVIDER_URL`` (a real provider's gateway, or the fake provider
  server ``manage.py fake_invoice_provider``).
"""

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def get_provider():
    name = getattr(settings, "INVOICE_PROVIDER", "local") or "local"
    if name == "local":
        from shop.invoicing.providers.fake import LocalProvider

        return LocalProvider()
    if name == "http":
        from shop.invoicing.providers.http import HttpProvider

        return HttpProvider.from_settings()
    raise ImproperlyConfigured(f"INVOICE_PROVIDER must be 'local' or 'http', not {name!r}")
