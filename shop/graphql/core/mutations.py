"""The shape of every mutation: ``payload { <result> errors { field message code } }``.

A mutation's ``perform`` runs in a savepoint; an :class:`InputError` (or
several) rolls it back and is answered in the payload's ``errors`` with the
area's error type (``CheckoutError``, ``AccountError``), its result fields null.
"""

import graphene
from django.db import transaction

from .errors import InputError, InputErrors


def error_type(name, code_enum, extra_fields=None):
    """A Saleor error type: ``field``, ``message``, ``code`` (+ extra fields, e.g. ``variants``)."""
    attrs = {
        "field": graphene.String(description="Name of a field that caused the error."),
        "message": graphene.String(description="The error message."),
        "code": graphene.Field(code_enum, required=True, description="The error code."),
    }
    attrs.update(extra_fields or {})
    return type(name, (graphene.ObjectType,), attrs)


class BaseMutation(graphene.Mutation):
    """Subclasses define ``Arguments``, their result fields, ``errors`` and ``perform``."""

    class Meta:
        abstract = True

    error_class = None  # set by subclasses: the error ObjectType
    error_enum = None

    @classmethod
    def perform(cls, root, info, **data):  # pragma: no cover - abstract
        """Return a dict of the payload's result fields; raise InputError to refuse."""
        raise NotImplementedError

    @classmethod
    def mutate(cls, root, info, **data):
        try:
            with transaction.atomic():
                result = cls.perform(root, info, **data) or {}
        except InputError as error:
            return cls(errors=[cls.make_error(error)])
        except InputErrors as errors:
            return cls(errors=[cls.make_error(e) for e in errors.errors])
        return cls(errors=[], **result)

    @classmethod
    def make_error(cls, error):
        code = cls.error_enum[error.code] if isinstance(error.code, str) else error.code
        return cls.error_class(field=error.field, message=error.message, code=code, **error.extra)
