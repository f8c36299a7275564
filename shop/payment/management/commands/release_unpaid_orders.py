from django.conf import settings
from django.core.management.base import BaseCommand

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
            self.stdout.write(f"huỷ {number}")
        self.stdout.write(f"{len(numbers)}")
