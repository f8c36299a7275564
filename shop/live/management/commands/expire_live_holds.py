from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from shop.live import holds


class Command(BaseCommand):
    help = "Trả về kho hàng giữ theo bình luận livestream đã quá hạn mà chưa thành đơn."

    def handle(self, *args, **options):
        count = holds.expire_due()
        self.stdout.write(ngettext(
            "Đã trả về kho %(count)d giữ hàng quá hạn.",
            "Đã trả về kho %(count)d giữ hàng quá hạn.",
            count,
        ) % {"count": count})
