"""Email the district office a few days before a programme report falls due (once per period)."""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from shop.programme import reports


class Command(BaseCommand):
    help = "Nhắc Phòng Nông nghiệp các báo cáo chương trình OCOP sắp đến hạn (mỗi kỳ nhắc một lần)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=reports.REMINDER_DAYS,
            help="Nhắc trước hạn bao nhiêu ngày (mặc định 3).",
        )

    def handle(self, *args, days, **options):
        with translation.override(settings.LANGUAGE_CODE):
            if not reports.office_recipients():
                self.stderr.write(
                    _("Không có người nhận (chưa có người dùng Phòng Nông nghiệp có email).")
                )
                return
            sent = reports.send_reminders(days_before=days)
            if not sent:
                self.stdout.write(_("Không có báo cáo nào cần nhắc."))
                return
            for item, recipients in sent:
                self.stdout.write(
                    _("Đã nhắc %(label)s, hạn %(due)s, cho %(count)s người.") % {
                        "label": item.label, "due": item.due_date.strftime("%d/%m/%Y"),
                        "count": len(recipients),
                    }
                )
