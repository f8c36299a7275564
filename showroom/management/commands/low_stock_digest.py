"""Email the district office the list of low stock (per product and location threshold)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from shop.core.roles import DISTRICT_OFFICE
from showroom import inventory


def office_emails():
    users = get_user_model().objects.filter(is_active=True).filter(
        Q(is_superuser=True) | Q(is_staff=True, groups__name=DISTRICT_OFFICE)
    )
    return sorted({u.email for u in users if u.email})


def digest_text(stocks):
    lines = [_("Các mặt hàng sắp hết tại các điểm bán:"), ""]
    for stock in stocks:
        lines.append(
            _("- %(location)s: %(product)s (%(partner)s) — tồn %(qty)s, giữ %(alloc)s")
            % {
                "location": stock.location.name,
                "product": stock.stockrecord.product.title,
                "partner": stock.stockrecord.partner.name,
                "qty": stock.quantity,
                "alloc": stock.quantity_allocated,
            }
        )
    return "\n".join(lines) + "\n"


class Command(BaseCommand):
    help = "Gửi email cho Phòng Nông nghiệp danh sách hàng sắp hết."

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            stocks = list(inventory.low_stock()[:500])
            if not stocks:
                self.stdout.write(_("Không có hàng nào sắp hết."))
                return
            recipients = office_emails()
            if not recipients:
                self.stderr.write(_("Không có người nhận (chưa có người dùng Phòng Nông nghiệp có email)."))
                return
            subject = _("[OCOP Đăk Hà] %(n)s mặt hàng sắp hết") % {"n": len(stocks)}
            send_mail(subject, digest_text(stocks), settings.DEFAULT_FROM_EMAIL, recipients)
            self.stdout.write(
                _("Đã gửi danh sách %(n)s mặt hàng cho %(r)s người.")
                % {"n": len(stocks), "r": len(recipients)}
            )
