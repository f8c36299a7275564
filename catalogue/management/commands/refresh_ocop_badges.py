"""Daily: withdraw the badges of expired OCOP certificates and warn about those expiring soon.

Run once a day (cron / systemd timer)::

    python manage.py refresh_ocop_badges

Sets every product's ``ocop_stars`` from the certificate registry, prints the
changes and the certificates that end within 90 days, and e-mails that list to
the district office (users of the ``district_office`` group with an address).
"""

import argparse
import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from catalogue import certification
from shop.core.roles import DISTRICT_OFFICE


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(_("Ngày không hợp lệ: %(value)s (định dạng YYYY-MM-DD).") % {"value": value}) from exc


def expiry_report(certificates, on):
    """The plain-text list of certificates expiring soon, one line each."""
    lines = []
    for cert in certificates:
        days = (cert.valid_until - on).days
        producer = cert.product.producer.name if cert.product.producer_id else "—"
        lines.append(
            _("- %(product)s (%(producer)s): %(stars)d sao, QĐ %(number)s, hết hiệu lực "
              "%(until)s (còn %(days)d ngày)")
            % {
                "product": cert.product.get_title(),
                "producer": producer,
                "stars": cert.stars,
                "number": cert.decision_number,
                "until": cert.valid_until.strftime("%d/%m/%Y"),
                "days": days,
            }
        )
    return lines


def district_office_emails():
    User = get_user_model()
    return sorted(
        set(
            User.objects.filter(groups__name=DISTRICT_OFFICE, is_active=True)
            .exclude(email="")
            .values_list("email", flat=True)
        )
    )


class Command(BaseCommand):
    help = ("Cập nhật huy hiệu sao OCOP theo sổ chứng nhận và báo các giấy chứng nhận sắp hết hạn.")

    def add_arguments(self, parser):
        parser.add_argument("--date", type=_date, default=None,
                            help=_("Ngày tính hiệu lực (mặc định: hôm nay), YYYY-MM-DD."))
        parser.add_argument("--days", type=int, default=certification.EXPIRY_WARNING_DAYS,
                            help=_("Báo trước bao nhiêu ngày (mặc định 90)."))
        parser.add_argument("--no-email", action="store_true",
                            help=_("Chỉ in danh sách, không gửi thư."))

    def handle(self, *args, date=None, days=90, no_email=False, **options):
        on = date or certification.today()
        changes = certification.refresh_all_stars(on)
        for product, old, new in changes:
            if new is None:
                self.stdout.write(_("Thu hồi huy hiệu %(old)d sao: %(product)s") % {
                    "old": old, "product": product.get_title()})
            else:
                self.stdout.write(_("Cập nhật huy hiệu: %(product)s → %(new)d sao") % {
                    "product": product.get_title(), "new": new})
        self.stdout.write(_("Đã cập nhật %(count)d sản phẩm.") % {"count": len(changes)})

        expiring = certification.expiring_certificates(on, days)
        if not expiring:
            self.stdout.write(_("Không có giấy chứng nhận nào hết hạn trong %(days)d ngày tới.") % {"days": days})
            return
        heading = _("Giấy chứng nhận OCOP hết hạn trong %(days)d ngày tới (tính từ %(date)s):") % {
            "days": days, "date": on.strftime("%d/%m/%Y")}
        lines = expiry_report(expiring, on)
        self.stdout.write(heading)
        for line in lines:
            self.stdout.write(line)
        recipients = [] if no_email else district_office_emails()
        if recipients:
            send_mail(
                subject=_("[OCOP] %(count)d giấy chứng nhận sắp hết hạn") % {"count": len(expiring)},
                message="\n".join([heading, "", *lines]),
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=recipients,
            )
            self.stdout.write(_("Đã gửi thư cho %(count)d người của Phòng Nông nghiệp.") % {
                "count": len(recipients)})
        elif not no_email:
            self.stdout.write(_("Chưa có ai trong nhóm Phòng Nông nghiệp có địa chỉ thư để nhận báo cáo."))
