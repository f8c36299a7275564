"""Saleor's pages are the shop's information pages (Django flatpages of this site).

``slug`` is the flatpage's address without slashes (``/gioi-thieu/`` →
``gioi-thieu``); the content is returned as Editor.js JSON like Saleor's.
Pages that require signing in are not offered.
"""

import graphene
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site

from shop.graphql.core import editorjs
from shop.graphql.core.enums import LanguageCodeEnum
from shop.graphql.core.ids import InvalidId, pk_of, to_global_id
from shop.graphql.core.metadata import MetadataMixin, ObjectWithMetadata
from shop.graphql.core.types import ModelNode, Node


def page_queryset():
    return FlatPage.objects.filter(sites=Site.objects.get_current(), registration_required=False)


def slug_of(page):
    return page.url.strip("/").replace("/", "-")


class PageType(MetadataMixin, graphene.ObjectType):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    has_pages = graphene.Boolean()

    class Meta:
        interfaces = (Node, ObjectWithMetadata)

    @staticmethod
    def resolve_id(root, info):
        return to_global_id("PageType", "information")

    @staticmethod
    def resolve_name(root, info):
        from django.utils.translation import gettext as _

        return _("Trang thông tin")

    @staticmethod
    def resolve_slug(root, info):
        return "information"

    @staticmethod
    def resolve_has_pages(root, info):
        return True


class PageTranslation(graphene.ObjectType):
    title = graphene.String()

    class Meta:
        interfaces = (Node,)


class Page(ModelNode, MetadataMixin, graphene.ObjectType):
    seo_title = graphene.String()
    seo_description = graphene.String()
    title = graphene.String(required=True)
    content = graphene.JSONString()
    is_published = graphene.Boolean(required=True)
    slug = graphene.String(required=True)
    page_type = graphene.Field(PageType, required=True)
    translation = graphene.Field(PageTranslation,
                                 language_code=graphene.Argument(LanguageCodeEnum, required=True))

    class Meta:
        interfaces = (Node, ObjectWithMetadata)

    @staticmethod
    def resolve_seo_title(root, info):
        return root.title

    @staticmethod
    def resolve_seo_description(root, info):
        return editorjs.plain_text(root.content)[:300] or None

    @staticmethod
    def resolve_content(root, info):
        return editorjs.document(root.content)

    @staticmethod
    def resolve_is_published(root, info):
        return True

    @staticmethod
    def resolve_slug(root, info):
        return slug_of(root)

    @staticmethod
    def resolve_page_type(root, info):
        return object()

    @staticmethod
    def resolve_translation(root, info, language_code):
        return None


class PageQueries(graphene.ObjectType):
    page = graphene.Field(Page, id=graphene.ID(), slug=graphene.String(),
                          slug_language_code=graphene.Argument(LanguageCodeEnum), channel=graphene.String())

    @staticmethod
    def resolve_page(root, info, id=None, slug=None, **kwargs):
        if id is not None:
            try:
                return page_queryset().filter(pk=pk_of(id, "Page")).first()
            except InvalidId:
                return None
        if slug is None:
            return None
        return next((page for page in page_queryset() if slug_of(page) == slug), None)
