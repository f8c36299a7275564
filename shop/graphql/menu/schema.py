"""Saleor's navigation menus, built from what the shop already has.

* ``navbar``: the OCOP groups (public top-level categories not excluded from
  the menu), each with its public sub-categories.
* ``footer``: the information pages (Django flatpages of this site).

Items are made on the fly (``MenuEntry``), with stable ids:
``MenuItem:category-<pk>`` / ``MenuItem:page-<pk>``; ``Menu:navbar`` / ``Menu:footer``.
"""

from dataclasses import dataclass, field

import graphene
from django.contrib.flatpages.models import FlatPage
from django.contrib.sites.models import Site
from oscar.core.loading import get_model

from shop.graphql.core.enums import LanguageCodeEnum
from shop.graphql.core.ids import InvalidId, from_global_id, to_global_id
from shop.graphql.core.metadata import MetadataMixin, ObjectWithMetadata
from shop.graphql.core.types import Node

Category = get_model("catalogue", "Category")

MENUS = {"navbar": "Navbar", "footer": "Footer"}


@dataclass
class MenuEntry:
    key: str
    name: str
    menu: object
    level: int = 0
    parent: object = None
    category: object = None
    page: object = None
    url: str | None = None
    children: list = field(default_factory=list)


@dataclass
class MenuRoot:
    slug: str
    name: str
    items: list = field(default_factory=list)


def _navbar(menu):
    categories = list(Category.objects.filter(is_public=True, ancestors_are_public=True,
                                              exclude_from_menu=False, depth__lte=2).order_by("path"))
    roots, by_path = [], {}
    for category in categories:
        parent = by_path.get(category.path[: -Category.steplen]) if category.depth > 1 else None
        if category.depth > 1 and parent is None:
            continue
        entry = MenuEntry(f"category-{category.pk}", category.name, menu, level=category.depth - 1,
                          parent=parent, category=category)
        by_path[category.path] = entry
        (parent.children if parent is not None else roots).append(entry)
    return roots


def _footer(menu):
    pages = FlatPage.objects.filter(sites=Site.objects.get_current(), registration_required=False)
    return [MenuEntry(f"page-{page.pk}", page.title, menu, page=page, url=page.url)
            for page in pages.order_by("url")]


def build(slug):
    if slug not in MENUS:
        return None
    menu = MenuRoot(slug=slug, name=MENUS[slug])
    menu.items = _navbar(menu) if slug == "navbar" else _footer(menu)
    return menu


class Menu(MetadataMixin, graphene.ObjectType):
    name = graphene.String(required=True)
    slug = graphene.String(required=True)
    items = graphene.List(graphene.NonNull(lambda: MenuItem))

    class Meta:
        interfaces = (Node, ObjectWithMetadata)

    @staticmethod
    def resolve_id(root, info):
        return to_global_id("Menu", root.slug)


class MenuItemTranslation(graphene.ObjectType):
    name = graphene.String(required=True)

    class Meta:
        interfaces = (Node,)


class MenuItem(MetadataMixin, graphene.ObjectType):
    name = graphene.String(required=True)
    menu = graphene.Field(Menu, required=True)
    parent = graphene.Field(lambda: MenuItem)
    category = graphene.Field("shop.graphql.product.types.Category")
    collection = graphene.Field("shop.graphql.product.types.Collection")
    page = graphene.Field("shop.graphql.page.schema.Page")
    level = graphene.Int(required=True)
    children = graphene.List(graphene.NonNull(lambda: MenuItem))
    url = graphene.String()
    translation = graphene.Field(MenuItemTranslation,
                                 language_code=graphene.Argument(LanguageCodeEnum, required=True))

    class Meta:
        interfaces = (Node, ObjectWithMetadata)

    @staticmethod
    def resolve_id(root, info):
        return to_global_id("MenuItem", root.key)

    @staticmethod
    def resolve_collection(root, info):
        return None

    @staticmethod
    def resolve_url(root, info):
        return info.context.build_absolute_uri(root.url) if root.url else None

    @staticmethod
    def resolve_translation(root, info, language_code):
        return None


class MenuQueries(graphene.ObjectType):
    menu = graphene.Field(Menu, channel=graphene.String(), id=graphene.ID(), name=graphene.String(),
                          slug=graphene.String())

    @staticmethod
    def resolve_menu(root, info, channel=None, id=None, name=None, slug=None):
        from shop.graphql.channel import channels

        channels.get(channel)
        if id is not None:
            try:
                kind, slug = from_global_id(id)
            except InvalidId:
                return None
            if kind != "Menu":
                return None
        elif name is not None and slug is None:
            slug = next((key for key, label in MENUS.items() if label.lower() == name.lower()), None)
        return build(slug) if slug else None


