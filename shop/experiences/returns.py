"""Places and gift vouchers given back when the till takes back what it sold.

``pos.returns.record_return`` calls :func:`release_for_till_return` inside the return's
transaction: a refusal (``CannotCancel``) writes nothing at all, neither here nor the
return itself. Two kinds of sale lines hold places:

* **Tickets paid in the sale** (``pos.experiences.book_for_sale``): one till booking per
  visitor group, ``source_ref`` ``"<receipt>/<n>"``, the experience as product; the sale's
  ticket lines have the experience as product, one unit per person.
* **Gift combos holding an experience** (``purchase.place_combo_vouchers``): one gift
  voucher (one person, no departure) per combo unit × the component's quantity,
  ``line_refs`` the sale's order line.

Rules
-----
* **How many.** A sale may carry more tickets than people booked (a spare ticket, or a
  group whose places went to someone else after the sale), and the office may have
  cancelled a booking by hand. Returning ``q`` ticket units of an experience gives back
  ``max(0, open − kept)`` places, ``open`` being the people of the sale's bookings of that
  experience not cancelled, ``kept`` the ticket units of it the customer still holds after
  this return (sold − returned before − ``q``, over all the sale's lines of it). When every
  ticket had its visitor, that is exactly ``q`` places.
* **Which bookings.** The newest first (the receipt's last group first). A booking losing
  all its people is cancelled (``places.release_places``: places back once); one losing
  some keeps the others (``places.release_people``: children go first, then adults), its
  amount shrinking in proportion (the till priced every person alike).
* **Used tickets.** A booking checked in, or whose departure has started, cannot be given
  back (the till does not refund a ticket used or past): the places come from the bookings
  that can be, newest first; if those are not enough, the whole return is refused — code
  ``ticket_used``, a message naming the experience.
* **Gift vouchers**, per experience of the combo line: returning ``q`` units gives back
  ``max(0, open − kept)`` vouchers, ``open`` being the line's vouchers of that experience
  not cancelled, ``kept`` the units of the line kept after this return × the vouchers per
  unit (those written for the line ÷ its quantity: the combo as it was sold, whatever its
  composition now). Only unused vouchers (confirmed, on no departure yet) are cancelled,
  the newest first; when too few are unused (some were redeemed), the return is refused —
  code ``voucher_used``.
* **Never twice.** A cancelled booking or voucher no longer counts, so a second return of
  other units of a line takes the next ones; a return sent again (same ``client_uuid``)
  stops in ``pos.returns`` before it comes here.
* **Plain goods cost nothing.** The lines' products, loaded with their class by the caller,
  tell tickets and combos apart: a return of goods only makes no query here.
* **Audit.** A cancelled booking or voucher's ``cancel_reason`` names the return
  (“Khách trả hàng tại quầy (<reference>).”); a booking kept with fewer people gets the
  same words as a line of its note.
* **Locks.** The departures first (by primary key, one statement), then the booking rows
  (by primary key), as everywhere (``places``).
"""

from __future__ import annotations

from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from shop.money import dong
from showroom import inventory

from . import places
from .errors import CannotCancel
from .models import Booking

TICKET, COMBO = "ticket", "combo"


def line_kind(line):
    """``TICKET``, ``COMBO`` or None (plain goods) for a till sale line, by its product's class
    (no query when the product is loaded with its class, and its parent's for a variant)."""
    product = line.product
    if product is None:
        return None
    product_class = product.get_product_class()
    slug = product_class.slug if product_class is not None else None
    if slug in places.experience_class_slugs():
        return TICKET
    if slug == inventory.COMBO_CLASS_SLUG:
        return COMBO
    return None


def release_for_till_return(sale, taking, *, lines, returned, reference, user=None, now=None):
    """Give back the places and vouchers of the units the till takes back now (rules above).

    ``sale``: the till sale (its ``receipt_label``); ``taking``: {line pk: units returned now};
    ``lines``: {line pk: line} — every line of the sale, products loaded with their class;
    ``returned``: {line pk: units returned before}. Raises ``CannotCancel`` (codes
    ``ticket_used``, ``voucher_used``) before changing anything. Returns the bookings and
    vouchers cancelled or made smaller.
    """
    now = now or timezone.now()
    tickets = {}  # experience id -> [units kept after this return, units returned now, title]
    combo_lines = []  # (line, units kept after this return)
    for line_id, line in lines.items():
        kind = line_kind(line)
        if kind is None:
            continue
        now_units = taking.get(line_id, 0)
        kept = line.quantity - returned.get(line_id, 0) - now_units
        if kind == TICKET:
            entry = tickets.setdefault(line.product_id, [0, 0, line.product.get_title()])
            entry[0] += kept
            entry[1] += now_units
        elif now_units and line.order_line_id:
            combo_lines.append((line, kept))
    tickets = {pk: entry for pk, entry in tickets.items() if entry[1]}
    if not tickets and not combo_lines:
        return []

    found = []
    if tickets:
        found = list(Booking.objects.filter(
            source=Booking.Source.TILL, source_ref__startswith=f"{sale.receipt_label}/",
            product_id__in=tickets).exclude(state=Booking.State.CANCELLED))
    vouchers = []
    if combo_lines:
        vouchers = list(Booking.objects.select_related("product").filter(
            source=Booking.Source.GIFT,
            line_refs__in=[str(line.order_line_id) for line, _kept in combo_lines]))
    departures = places.lock_departures({b.departure_id for b in found if b.departure_id})
    wanted = [b.pk for b in found] + [v.pk for v in vouchers
                                      if v.state != Booking.State.CANCELLED]
    rows = {row.pk: row for row in Booking.objects.select_for_update(no_key=True)
            .filter(pk__in=wanted).order_by("pk")} if wanted else {}

    plan = []  # (booking row, people to give back)
    for product_id, (kept, _now_units, title) in sorted(tickets.items()):
        held = sorted((row for row in rows.values() if row.product_id == product_id
                       and row.source == Booking.Source.TILL
                       and row.state != Booking.State.CANCELLED),
                      key=lambda row: -row.pk)
        plan.extend(_take(
            held, sum(row.people for row in held) - kept,
            lambda row: (row.state == Booking.State.CONFIRMED and row.departure_id is not None
                         and now < departures[row.departure_id].starts_at),
            CannotCancel(_("Không trả được vé “%(title)s”: khách đã check-in hoặc chuyến đã "
                           "khởi hành.") % {"title": title}, "ticket_used")))
    for line, kept in combo_lines:
        written = defaultdict(list)
        for voucher in vouchers:
            if voucher.line_refs == str(line.order_line_id):
                written[voucher.product_id].append(voucher)
        for _product_id, made in sorted(written.items()):
            per_unit = len(made) // line.quantity
            held = sorted((rows[v.pk] for v in made if v.pk in rows
                           and rows[v.pk].state != Booking.State.CANCELLED),
                          key=lambda row: -row.pk)
            plan.extend(_take(
                held, len(held) - kept * per_unit,
                lambda row: row.state == Booking.State.CONFIRMED and row.departure_id is None,
                CannotCancel(
                    _("Không trả được “%(title)s”: phiếu quà tặng “%(experience)s” của combo "
                      "đã được dùng.") % {"title": line.title,
                                          "experience": made[0].product.get_title()},
                    "voucher_used")))

    reason = _("Khách trả hàng tại quầy (%(reference)s).") % {"reference": reference}
    done = []
    for row, people in plan:
        if people >= row.people:
            places.release_places(row, user=user, reason=reason, now=now)
        else:
            left = row.people - people
            places.release_people(row, people, amount=dong(row.amount * left / row.people),
                                  note=reason)
        done.append(row)
    return done


def _take(held, count, usable, refusal):
    """[(booking, people)] giving back ``count`` people from the ``usable`` bookings of
    ``held`` (in order); ``refusal`` raised when they hold fewer."""
    if count <= 0:
        return []
    usable_rows = [row for row in held if usable(row)]
    if sum(row.people for row in usable_rows) < count:
        raise refusal
    plan = []
    for row in usable_rows:
        if count <= 0:
            break
        people = min(row.people, count)
        plan.append((row, people))
        count -= people
    return plan
