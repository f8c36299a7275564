"""Daily, after ``refresh_ocop_badges``: stop selling combos whose component can no longer be sold.

Run once a day (cron / systemd timer)::

    python manage.py check_combos

Brings the star badges in line with the registry (an expired certificate drops
its badge), hides every public combo with a withdrawn or uncertified component,
e-mails the district office the list (``catalogue.combos``) and recomputes
every combo's availability.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalogue import certification, combos
from showroom import inventory


class Command(BaseCommand):
    help = "Ngừng bán các combo quà tặng có thành phần đã ngừng bán hoặc hết chứng nhận OCOP."

    def add_arguments(self, parser):
        parser.add_argument("--no-email", action="store_true",
                            help=_("Chỉ in danh sách, không gửi thư."))

    def handle(self, *args, no_email=False, **options):
        certification.refresh_all_stars()
        withdrawn = combos.withdraw_unsellable_combos(notify=not no_email)
        for combo, problems in withdrawn:
            self.stdout.write(_("Ngừng bán: %(combo)s — %(why)s") % {
                "combo": combo.get_title(), "why": " ".join(str(p) for p in problems)})
        Product = get_model("catalogue", "Product")
        inventory.refresh_combo_totals(
            list(Product.objects.filter(product_class__slug=combos.COMBO_CLASS_SLUG))
        )
        self.stdout.write(_("Đã kiểm tra combo: %(count)d combo ngừng bán.") % {
            "count": len(withdrawn)})
