"""Numbers people type in an address or a field (an id, a page, a receipt number): 0–9 only.

``str.isdigit()`` is also true for "²", "³" or "①", which ``int()`` refuses — a server
error where a clear answer was due; ``str.isdecimal()`` lets through other scripts' digits
("١", "２") that ``int()`` quietly reads as numbers. Ids, quantities and numbers typed in
this shop are ASCII digits: :func:`is_digits` says whether a text is one.
"""


def is_digits(value) -> bool:
    """True for a non-empty text of ASCII digits 0–9 only ("12"); False for anything else."""
    return isinstance(value, str) and value.isascii() and value.isdigit()
