"""E-invoice tests."""

from django.utils import timezone


def this_years(serial="C26MDH"):
    """``serial`` as an invoice made today carries it: the year digits of today (the builder's
    rule, ``shop.invoicing.builder.serial_for``), so these tests hold in any year."""
    return f"{serial[0]}{timezone.localdate().year % 100:02d}{serial[3:]}"
