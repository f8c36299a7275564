"""Who reads the programme's pages (/office/programme/).

* The district office — staff holding ``programme.manage_programme`` — and
  superusers see the whole district and edit the targets.
* A commune's OCOP officer (``CommuneOfficer``) sees the same dashboard limited
  to its commune's producers; it never chooses another commune.
* Everyone else signed in is refused (403); anonymous visitors go to sign in
  (the views' ``LoginRequiredMixin``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

from shop.programme.models import CommuneOfficer

PERMISSION = "programme.manage_programme"


@dataclass(frozen=True)
class Scope:
    """What a user may read: the district (``commune`` None, office) or one commune."""

    office: bool
    commune: object = None


def is_office(user):
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or (user.is_staff and user.has_perm(PERMISSION))


def officer_commune(user):
    """The commune ``user`` is the OCOP officer of, or None."""
    if not (user and user.is_authenticated and user.is_active):
        return None
    officer = CommuneOfficer.objects.filter(user=user).select_related("commune").first()
    return officer.commune if officer else None


def scope(user):
    """The user's :class:`Scope`, or None when the user may not read the programme."""
    if is_office(user):
        return Scope(office=True)
    commune = officer_commune(user)
    if commune is not None:
        return Scope(office=False, commune=commune)
    return None


def require(user):
    """The user's scope, else ``PermissionDenied``."""
    found = scope(user)
    if found is None:
        raise PermissionDenied
    return found


def require_office(user):
    if not is_office(user):
        raise PermissionDenied
    return Scope(office=True)
