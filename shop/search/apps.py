import oscar.apps.search.apps as apps


class SearchConfig(apps.SearchConfig):
    """Oscar's search, forked: database search that ignores Vietnamese accents.

    The browse, category and search pages list products straight from the
    database (``catalogue.browsing``) instead of a Haystack index, so they are
    accent-insensitive on SQLite and PostgreSQL and cost a fixed number of
    queries whatever the number of products.
    """

    name = "shop.search"
