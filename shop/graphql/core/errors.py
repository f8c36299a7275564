"""Errors in Saleor's two shapes.

* A mutation answers ``errors { field message code }`` (``CheckoutError``,
  ``AccountError``...), with Saleor's codes; data is then left as it was.
* A query with bad arguments (an id that is not ours, ``first`` above 100)
  answers a GraphQL error (``errors[].message`` and
  ``extensions.exception.code``), as Saleor's ``GraphQLError`` subclasses do.

Business modules raise :class:`InputError` (one field, one code, one message in
the shopper's language); the mutation base turns it into the payload's errors.
"""

from graphql import GraphQLError


class InputError(Exception):
    def __init__(self, field, code, message, **extra):
        super().__init__(message)
        self.field, self.code, self.message, self.extra = field, code, str(message), extra


class InputErrors(Exception):
    def __init__(self, errors):
        super().__init__("; ".join(e.message for e in errors))
        self.errors = list(errors)


def query_error(message, code="GRAPHQL_ERROR"):
    return GraphQLError(str(message), extensions={"exception": {"code": code}})
