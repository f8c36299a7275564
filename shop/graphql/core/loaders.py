"""Dataloaders without async: parents say which keys their children will ask for.

graphql-core's synchronous executor completes one list item's fields before the
next item's, so a loader that waits for keys to accumulate would never see more
than one. Instead a resolver that returns objects (a page of products, a
checkout's lines) *registers* their keys (:func:`register`); the first ``load``
of any registered key then fetches the values for every registered key that is
not loaded yet, in one query. A key nobody registered is fetched on its own.
The query count of a page is then the number of loaders it touches, whatever
the page size (tests/graphql/test_query_counts.py).
"""


class Loader:
    """Subclasses set ``kind`` (the registry the keys come from) and ``batch_load``."""

    kind = None
    default = None

    def __init__(self, context):
        self.context = context
        self._values = {}

    def batch_load(self, keys):  # pragma: no cover - abstract
        """``{key: value}`` for ``keys`` (missing keys get ``default``)."""
        raise NotImplementedError

    def load(self, key):
        if key not in self._values:
            pending = [k for k in self.context.registered(self.kind) if k not in self._values]
            if key not in pending:
                pending.append(key)
            found = self.batch_load(pending)
            for k in pending:
                self._values[k] = found.get(k, self.default() if callable(self.default) else self.default)
        return self._values[key]

    def prime(self, key, value):
        self._values.setdefault(key, value)


def loader(info, loader_class):
    return info.context.ocop.loader(loader_class)


def register(info, kind, keys):
    info.context.ocop.register(kind, keys)
