"""Who sees which OCOP application — deny by default.

Roles (a user may hold several; they are worked out per application):

* ``office`` — the district office: staff holding ``evaluation.manage_evaluation``
  (the ``district_office`` group has it) and superusers. Sees every application,
  document and submitted scorecard; opens rounds, builds councils, opens scoring,
  records decisions.
* ``producer`` — a producer user (:func:`vendors.access.vendor_for`) of the
  application's vendor. Sees only its own vendor's applications.
* ``commune`` — the OCOP officer (:class:`shop.programme.models.CommuneOfficer`) of the
  commune the application's vendor belongs to (``Vendor.commune``). Sees only that
  commune's applications, once submitted (never a producer's draft, nor a draft
  withdrawn before it was ever submitted).
* ``member`` / ``chair`` — a member (chair) of the council of the application's round.
  Sees only applications of such rounds that reached scoring (``scoring`` and later);
  a draft, submitted, returned or merely forwarded application is not theirs yet.
  Whose scores they see is :func:`shop.evaluation.scoring.visible_scorecards`.
* Anybody else (anonymous, cashier, another producer, another commune's officer, a
  member of another round's council) sees nothing: :func:`applications_for` is empty,
  :func:`get_application_or_404` answers 404.

Documents of an application are read by whoever sees the application (served only
through :func:`catalogue.uploads.file_response` by a view that called
:func:`can_view_application` / :func:`get_application_or_404`).
"""

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from shop.evaluation.models import Application, CouncilMember, State
from shop.programme.access import officer_commune
from vendors.access import vendor_for

PERMISSION = "evaluation.manage_evaluation"

OFFICE = "office"
PRODUCER = "producer"
COMMUNE = "commune"
MEMBER = "member"
CHAIR = "chair"
ROLES = (PRODUCER, COMMUNE, OFFICE, MEMBER, CHAIR)

# a commune officer never sees a producer's draft
COMMUNE_STATES = tuple(s for s in State.values if s != State.DRAFT)
# the council sees what reached scoring
COUNCIL_STATES = (State.SCORING, State.SCORED, State.RATED, State.NOT_RATED, State.SENT_UP)


def _active(user):
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_office(user):
    """The district office (staff with ``evaluation.manage_evaluation``) or a superuser."""
    if not _active(user):
        return False
    return user.is_superuser or (user.is_staff and user.has_perm(PERMISSION))


def memberships(user):
    """The user's council seats (``CouncilMember`` rows, with council and round)."""
    if not _active(user):
        return CouncilMember.objects.none()
    return CouncilMember.objects.filter(user=user).select_related("council__round")


def membership(user, round_):
    """The user's seat on ``round_``'s council, or None."""
    if not _active(user):
        return None
    return CouncilMember.objects.filter(user=user, council__round=round_).first()


def is_council_member(user, round_=None):
    """True when ``user`` sits on the council of ``round_`` (any round when None)."""
    seats = memberships(user)
    if round_ is not None:
        seats = seats.filter(council__round=round_)
    return seats.exists()


def is_chair(user, round_):
    seat = membership(user, round_)
    return seat is not None and seat.is_chair


def applications_for(user, queryset=None):
    """``queryset`` (default: all applications) narrowed to what ``user`` may see."""
    queryset = Application.objects.all() if queryset is None else queryset
    if not _active(user):
        return queryset.none()
    if is_office(user):
        return queryset
    visible = Q(pk__in=[])
    vendor = vendor_for(user)
    if vendor is not None:
        visible |= Q(vendor=vendor)
    commune = officer_commune(user)
    if commune is not None:
        visible |= Q(vendor__commune=commune, state__in=COMMUNE_STATES) & ~Q(
            state=State.WITHDRAWN, submitted_at__isnull=True
        )
    rounds = list(memberships(user).values_list("council__round_id", flat=True))
    if rounds:
        visible |= Q(round_id__in=rounds, state__in=COUNCIL_STATES)
    if visible == Q(pk__in=[]):
        return queryset.none()
    return queryset.filter(visible)


def roles_for(user, application):
    """The roles ``user`` holds on ``application`` (a frozenset of the codes above)."""
    if not _active(user):
        return frozenset()
    roles = set()
    if is_office(user):
        roles.add(OFFICE)
    vendor = vendor_for(user)
    if vendor is not None and vendor.pk == application.vendor_id:
        roles.add(PRODUCER)
    commune = officer_commune(user)
    if commune is not None and commune.pk == application.vendor.commune_id:
        roles.add(COMMUNE)
    seat = membership(user, application.round_id)
    if seat is not None:
        roles.add(CHAIR if seat.is_chair else MEMBER)
        if seat.is_chair:
            roles.add(MEMBER)  # the chair scores too
    return frozenset(roles)


def can_view_application(user, application):
    return applications_for(user, Application.objects.filter(pk=application.pk)).exists()


def get_application_or_404(user, pk, queryset=None):
    """The application ``pk`` if ``user`` may see it, else 404 (also for a bad pk)."""
    queryset = Application.objects.select_related(
        "round", "vendor", "vendor__commune", "product", "group"
    ) if queryset is None else queryset
    try:
        return applications_for(user, queryset).get(pk=pk)
    except (Application.DoesNotExist, ValueError, TypeError):
        raise Http404(_("Không tìm thấy hồ sơ.")) from None


def can_view_document(user, document):
    """A dossier's document is read by whoever sees its application."""
    return can_view_application(user, document.application)
