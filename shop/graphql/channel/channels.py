"""The shop's one sales channel as Saleor names it.

Saleor sells through channels (currency, countries, warehouses); this shop has
one: Vietnam, in đồng, slug ``settings.GRAPHQL_CHANNEL`` (``default-channel``).
A query without ``channel`` uses it, as Saleor does when a shop has a single
channel; any other slug is refused with ``NOT_FOUND``.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from shop.graphql.core.errors import query_error

CURRENCY = "VND"
COUNTRY = "VN"
LANGUAGES = (("VI", "Tiếng Việt"), ("EN", "English"))


@dataclass(frozen=True)
class SalesChannel:
    pk: int
    slug: str
    name: str
    currency_code: str = CURRENCY
    default_country: str = COUNTRY
    is_active: bool = True


def default_channel():
    return SalesChannel(pk=1, slug=settings.GRAPHQL_CHANNEL, name=_("Cửa hàng OCOP Đăk Hà"))


def get(slug=None, required=False):
    """The channel named by ``slug`` (the default one when no slug is given)."""
    channel = default_channel()
    if slug is None or slug == "":
        if required:
            raise query_error(_("Hãy cho biết kênh bán (`channel`)."), "REQUIRED")
        return channel
    if slug != channel.slug:
        raise query_error(_("Không có kênh bán có slug '%(slug)s'.") % {"slug": slug}, "NOT_FOUND")
    return channel


def exists(slug):
    return slug == settings.GRAPHQL_CHANNEL
