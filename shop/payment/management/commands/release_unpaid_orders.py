from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from shop.payment import payments


class Command(BaseCommand):
    help = "Huỷ đơn thẻ / chuyển khoản quá hạn chưa thanh toán và trả hàng đã giữ về kho."

    def add_arguments(self, parser):
        parser.add_argument("--card-minutes", type=int, default=settings.SHOP_UNPAID_CARD_MINUTES)
        parser.add_argument(
            "--transfer-hours", type=int, default=settings.SHOP_UNPAID_TRANSFER_HOURS
        )

    def handle(self, *args, card_minutes, transfer_hours, **options):
        numbers = payments.release_unpaid(
            card_minutes=card_minutes, transfer_hours=transfer_hours
        )
        for number in numbers:
            self.stdout.write(_("Đã huỷ đơn %(number)s và trả hàng về kho.") % {"number": number})
        limits = {"minutes": card_minutes, "hours": transfer_hours}
        if not numbers:
            self.stdout.write(_(
                "Không có đơn nào quá hạn thanh toán (thẻ quá %(minutes)d phút, "
                "chuyển khoản quá %(hours)d giờ)."
            ) % limits)
            return
        self.stdout.write(ngettext(
            "Đã huỷ %(count)d đơn chưa thanh toán quá hạn; hàng đã giữ được trả về kho.",
            "Đã huỷ %(count)d đơn chưa thanh toán quá hạn; hàng đã giữ được trả về kho.",
            len(numbers),
        ) % {"count": len(numbers)})
