import graphene
from django.conf import settings
from django.utils.translation import gettext as _

from shop.graphql.core.enums import LanguageCodeEnum
from shop.graphql.core.ids import to_global_id
from shop.graphql.core.metadata import MetadataMixin, ObjectWithMetadata
from shop.graphql.core.types import CountryDisplay, LanguageDisplay, ModelNode, Node

from . import channels


class CountryFilterInput(graphene.InputObjectType):
    attached_to_shipping_zones = graphene.Boolean()


class Channel(ModelNode, MetadataMixin, graphene.ObjectType):
    slug = graphene.String(required=True)
    name = graphene.String(required=True)
    is_active = graphene.Boolean(required=True)
    currency_code = graphene.String(required=True)
    default_country = graphene.Field(CountryDisplay, required=True)
    countries = graphene.List(graphene.NonNull(CountryDisplay))

    class Meta:
        interfaces = (Node, ObjectWithMetadata)

    @staticmethod
    def resolve_default_country(root, info):
        return CountryDisplay.of(root.default_country)

    @staticmethod
    def resolve_countries(root, info):
        return [CountryDisplay.of(root.default_country)]


class Shop(MetadataMixin, graphene.ObjectType):
    id = graphene.ID(required=True)
    name = graphene.String(required=True)
    description = graphene.String()
    channel_currencies = graphene.NonNull(graphene.List(graphene.NonNull(graphene.String)))
    countries = graphene.NonNull(
        graphene.List(graphene.NonNull(CountryDisplay)),
        language_code=graphene.Argument(LanguageCodeEnum),
        filter=graphene.Argument(CountryFilterInput),
    )
    default_country = graphene.Field(CountryDisplay)
    languages = graphene.NonNull(graphene.List(graphene.NonNull(LanguageDisplay)))
    phone_prefixes = graphene.NonNull(graphene.List(graphene.NonNull(graphene.String)))
    header_text = graphene.String()
    include_taxes_in_prices = graphene.Boolean(required=True)
    display_gross_prices = graphene.Boolean(required=True)
    charge_taxes_on_shipping = graphene.Boolean(required=True)
    version = graphene.String(required=True)
    schema_version = graphene.String(required=True)

    class Meta:
        interfaces = (ObjectWithMetadata,)

    @staticmethod
    def resolve_id(root, info):
        return to_global_id("Shop", "1")

    @staticmethod
    def resolve_name(root, info):
        return str(settings.OSCAR_SHOP_NAME)

    @staticmethod
    def resolve_description(root, info):
        return str(getattr(settings, "OSCAR_SHOP_TAGLINE", "") or "")

    @staticmethod
    def resolve_channel_currencies(root, info):
        return [channels.CURRENCY]

    @staticmethod
    def resolve_countries(root, info, language_code=None, filter=None):
        return [CountryDisplay.of(channels.COUNTRY)]

    @staticmethod
    def resolve_default_country(root, info):
        return CountryDisplay.of(channels.COUNTRY)

    @staticmethod
    def resolve_languages(root, info):
        return [LanguageDisplay(code=LanguageCodeEnum.get(code.lower()), language=name)
                for code, name in channels.LANGUAGES]

    @staticmethod
    def resolve_phone_prefixes(root, info):
        return ["+84"]

    @staticmethod
    def resolve_header_text(root, info):
        return _("Sản phẩm OCOP huyện Đăk Hà")

    @staticmethod
    def resolve_include_taxes_in_prices(root, info):
        return True  # shelf prices include VAT

    @staticmethod
    def resolve_display_gross_prices(root, info):
        return True

    @staticmethod
    def resolve_charge_taxes_on_shipping(root, info):
        return False

    @staticmethod
    def resolve_version(root, info):
        return "3.22"

    @staticmethod
    def resolve_schema_version(root, info):
        return "3.22"


class ChannelQueries(graphene.ObjectType):
    shop = graphene.Field(Shop, required=True)
    channels = graphene.List(graphene.NonNull(Channel))
    channel = graphene.Field(Channel, id=graphene.ID(), slug=graphene.String())

    @staticmethod
    def resolve_shop(root, info):
        return object()

    @staticmethod
    def resolve_channels(root, info):
        return [channels.default_channel()]

    @staticmethod
    def resolve_channel(root, info, id=None, slug=None):
        channel = channels.default_channel()
        if id is not None:
            return channel if id == to_global_id("Channel", channel.pk) else None
        return channel if slug == channel.slug else None
