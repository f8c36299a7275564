"""Cached storefront fragments (the keys and their invalidation: ``shop.core.cache``).

``{% cardcache product "head" %}…{% endcardcache %}`` caches a part of a product
card; ``{% ocop_groups as ocop_groups %}`` gives the navigation's product groups.
"""

from django import template
from django.conf import settings
from django.core.cache import cache

from shop.core import cache as fragments

register = template.Library()


class CardCacheNode(template.Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist, product, part):
        self.nodelist = nodelist
        self.product = product
        self.part = part

    def render(self, context):
        product = self.product.resolve(context)
        part = self.part.resolve(context)
        request = context.get("request")
        pk = getattr(product, "pk", None)
        if pk is None or (part == "price" and fragments.personal_prices(request)):
            return self.nodelist.render(context)
        key = fragments.card_key(pk, part, fragments.generation(request))
        html = cache.get(key)
        if html is None:
            html = self.nodelist.render(context)
            cache.set(key, html, settings.FRAGMENT_SECONDS)
        return html


@register.tag
def cardcache(parser, token):
    """``{% cardcache product "part" %}``: the enclosed HTML, cached per product and part."""
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError("{% cardcache product \"part\" %}")
    nodelist = parser.parse(("endcardcache",))
    parser.delete_first_token()
    return CardCacheNode(nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]))


@register.simple_tag(takes_context=True)
def ocop_groups(context):
    """The OCOP product groups (top-level categories) as dicts: name, url, path."""
    request = context.get("request")
    key = fragments.nav_key(fragments.generation(request))
    groups = cache.get(key)
    if groups is None:
        from oscar.templatetags.category_tags import get_annotated_list

        groups = [
            {"name": info.name, "url": info["url"], "path": info.path, "pk": info.pk}
            for info in get_annotated_list(depth=1)
        ]
        cache.set(key, groups, settings.FRAGMENT_SECONDS)
    return groups
