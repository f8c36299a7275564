"""Accent-insensitive product search.

Vietnamese shoppers often type without diacritics ("sam ngoc linh"), or with
the other spelling of a place ("Đắk" for "Đăk"). Every product keeps a
normalised copy of its searchable text (``Product.search_text``), and a query
is normalised the same way, so a plain ``LIKE '%word%'`` per word matches on
SQLite and on PostgreSQL alike. On PostgreSQL a trigram index (pg_trgm, GIN,
migration catalogue 0039) answers those patterns for words of three letters or
more, so a search does not read every product; shorter words are matched by
scanning, as on SQLite.
"""

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalize(text):
    """Lower-case ASCII words of ``text``: diacritics dropped, đ → d, punctuation → space."""
    if not text:
        return ""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return _NON_WORD.sub(" ", stripped.lower()).strip()


def slugify(value, allow_unicode=False):
    """Oscar's slug function for this shop: "Đồ uống" → "do-uong" (not "u0110o-uong")."""
    return "-".join(normalize(value).split())


def query_terms(query):
    """The normalised words of a shopper's query (empty list when nothing searchable)."""
    return normalize(query).split()


def product_search_text(product):
    """The text a product is found by: title, codes, producer, origin, description."""
    parts = [product.title, product.upc or "", product.description or ""]
    producer = getattr(product, "producer", None)
    if producer is not None:
        parts.append(producer.name)
        if producer.commune_id:
            parts.append(producer.commune.name)
    if product.origin_unit_id:
        parts.append(product.origin_unit.name)
    return " ".join(normalize(p) for p in parts if p)


def filter_products(queryset, query):
    """Products whose search text contains every word of ``query`` (AND)."""
    terms = query_terms(query)
    if not terms:
        return queryset.none()
    for term in terms:
        queryset = queryset.filter(search_text__contains=term)
    return queryset
