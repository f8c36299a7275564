"""Global ids as Saleor (and Relay) write them: base64 of ``"<Type>:<pk>"``."""

import binascii
from base64 import b64decode, b64encode

from shop.core.numbers import is_digits


class InvalidId(ValueError):
    pass


def to_global_id(type_name, pk):
    return b64encode(f"{type_name}:{pk}".encode()).decode()


def from_global_id(global_id):
    """``(type name, pk string)``; InvalidId when it is not one of ours."""
    try:
        text = b64decode(str(global_id), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise InvalidId(global_id) from error
    type_name, sep, pk = text.partition(":")
    if not sep or not type_name or not pk:
        raise InvalidId(global_id)
    return type_name, pk


def pk_of(global_id, *type_names, numeric=True):
    """The pk in ``global_id`` if it names one of ``type_names``; InvalidId otherwise."""
    type_name, pk = from_global_id(global_id)
    if type_names and type_name not in type_names:
        raise InvalidId(global_id)
    if numeric:
        if not is_digits(pk) or len(pk) > 18:
            raise InvalidId(global_id)
        return int(pk)
    return pk
