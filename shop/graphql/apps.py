from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GraphQLConfig(AppConfig):
    """The Saleor-compatible storefront API (``/graphql/``) over the Oscar shop."""

    name = "shop.graphql"
    label = "storefront_api"
    verbose_name = _("API GraphQL (tương thích Saleor)")
    default_auto_field = "django.db.models.BigAutoField"
