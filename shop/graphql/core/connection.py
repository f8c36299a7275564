"""Relay connections as Saleor has them: ``XCountableConnection { pageInfo edges totalCount }``.

Saleor requires ``first`` or ``last`` on every connection and refuses more than
100 (``shop.graphql.core.connection.MAX_PAGE``). Cursors are opaque to clients;
ours carry the row's offset in the ordered queryset, so a page costs one
``LIMIT/OFFSET`` query plus, when asked for, one ``COUNT``.
"""

from base64 import b64decode, b64encode

import graphene
from django.utils.translation import gettext as _

from shop.core.numbers import is_digits

from .errors import query_error

MAX_PAGE = 100
PREFIX = "offset:"


class CountableConnection(graphene.relay.Connection):
    class Meta:
        abstract = True

    total_count = graphene.Int(description="A total count of items in the collection.")

    @staticmethod
    def resolve_total_count(root, info):
        return root.count()


def cursor_for(offset):
    return b64encode(f"{PREFIX}{offset}".encode()).decode()


def offset_of(cursor, argument):
    try:
        text = b64decode(str(cursor), validate=True).decode()
        if text.startswith(PREFIX) and is_digits(text[len(PREFIX):]):
            return int(text[len(PREFIX):])
    except (ValueError, UnicodeDecodeError):
        pass
    raise query_error(_("Giá trị `%(arg)s` không phải con trỏ hợp lệ.") % {"arg": argument},
                      "GRAPHQL_ERROR")


def _check_size(args, field_name):
    first, last = args.get("first"), args.get("last")
    if first is None and last is None:
        raise query_error(_("Hãy cho giá trị `first` hoặc `last` để phân trang kết nối `%(f)s`.")
                          % {"f": field_name})
    for name, value in (("first", first), ("last", last)):
        if value is None:
            continue
        if value < 0:
            raise query_error(_("Giá trị `%(arg)s` không được âm.") % {"arg": name})
        if value > MAX_PAGE:
            raise query_error(
                _("Yêu cầu %(n)s bản ghi trên kết nối `%(f)s` vượt giới hạn `%(arg)s` là "
                  "%(max)s bản ghi.") % {"n": value, "f": field_name, "arg": name, "max": MAX_PAGE}
            )
    return first, last


def connection_from_queryset(queryset, args, connection_type, info, on_page=None):
    """One page of ``queryset`` (already ordered) as ``connection_type``.

    ``on_page(items)`` is called with the page's objects before they are returned
    (to register their keys with the dataloaders).
    """
    first, last = _check_size(args, info.field_name)
    after = offset_of(args["after"], "after") + 1 if args.get("after") else 0
    before = offset_of(args["before"], "before") if args.get("before") else None
    counted = {}

    def count():
        if "n" not in counted:
            counted["n"] = queryset.count()
        return counted["n"]

    start, end = after, before
    if last is not None:
        if end is None:
            end = count()
        start = max(start, end - last)
    if first is not None:
        end = start + first if end is None else min(end, start + first)
    # one row past the page tells whether there is a next one
    rows = list(queryset[start:end + 1]) if end > start else []
    has_next = len(rows) > end - start
    rows = rows[: max(end - start, 0)]
    if on_page is not None:
        on_page(rows)
    edges = [connection_type.Edge(node=row, cursor=cursor_for(start + i)) for i, row in enumerate(rows)]
    page_info = graphene.relay.PageInfo(
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
        has_previous_page=start > 0,
        has_next_page=has_next,
    )
    connection = connection_type(edges=edges, page_info=page_info)
    connection.count = count
    return connection


def connection_from_list(items, args, connection_type, info, on_page=None):
    """The same over a Python list (small collections: channels' warehouses, menus)."""
    first, last = _check_size(args, info.field_name)
    after = offset_of(args["after"], "after") + 1 if args.get("after") else 0
    end = offset_of(args["before"], "before") if args.get("before") else len(items)
    start = after
    if first is not None:
        end = min(end, start + first)
    if last is not None:
        start = max(start, end - last)
    rows = items[start:end]
    if on_page is not None:
        on_page(rows)
    edges = [connection_type.Edge(node=row, cursor=cursor_for(start + i)) for i, row in enumerate(rows)]
    page_info = graphene.relay.PageInfo(
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
        has_previous_page=start > 0, has_next_page=end < len(items),
    )
    connection = connection_type(edges=edges, page_info=page_info)
    connection.count = lambda: len(items)
    return connection
