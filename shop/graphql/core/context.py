"""What one GraphQL request carries: the buyer, the channel, the pricing strategy, loaders.

The view sets ``request.ocop`` to a :class:`RequestContext`; resolvers reach it
as ``info.context.ocop``. The strategy is the shop's own (``shop.partner``'s
Selector, i.e. ``shop.live.strategy``), so the API prices exactly as the
storefront does.
"""

from oscar.core.loading import get_class

Selector = get_class("partner.strategy", "Selector")


class RequestContext:
    def __init__(self, request):
        self.request = request
        self._strategy = None
        self._loaders = {}
        self._registry = {}

    @property
    def user(self):
        return self.request.user

    @property
    def strategy(self):
        if self._strategy is None:
            self._strategy = Selector().strategy(request=self.request, user=self.request.user)
        return self._strategy

    def loader(self, loader_class):
        if loader_class not in self._loaders:
            self._loaders[loader_class] = loader_class(self)
        return self._loaders[loader_class]

    def register(self, kind, keys):
        bucket = self._registry.setdefault(kind, {})
        for key in keys:
            bucket[key] = True

    def registered(self, kind):
        return list(self._registry.get(kind, ()))
