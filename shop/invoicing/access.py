"""Who reads the office's invoice pages (/office/invoices/).

* The district office — active staff in the ``district_office`` group — and
  superusers list, export, look at and retry invoices.
* Everyone else signed in is refused with the shop's 403 page; anonymous visitors
  go to sign in (the views' ``LoginRequiredMixin``).
"""

from django.core.exceptions import PermissionDenied

from shop.core.roles import DISTRICT_OFFICE

_CACHE = "_invoicing_is_office"


def is_office(user):
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    if not user.is_staff:
        return False
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = user.groups.filter(name=DISTRICT_OFFICE).exists()
        setattr(user, _CACHE, cached)  # the dashboard menu asks once per entry
    return cached


def require_office(user):
    if not is_office(user):
        raise PermissionDenied
