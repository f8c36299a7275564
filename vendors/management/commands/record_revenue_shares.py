"""Write the revenue shares of order lines sold without them (a repair; safe to re-run).

Every line sold online or at the till gets its shares when it is written
(``vendors.settlement.record_shares``). Lines from before that (an import, a
restored backup) get them here, using the combos' composition of today::

    python manage.py record_revenue_shares
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from shop.core.progress import Progress
from vendors import settlement

CHUNK = 500


class Command(BaseCommand):
    help = "Ghi phần doanh thu cho các dòng đơn hàng chưa có (chạy lại an toàn)."

    def handle(self, *args, **options):
        progress = Progress(self.stdout.write, tty=self.stdout.isatty())
        ids = list(settlement.lines_without_shares().values_list("pk", flat=True))
        total, written = len(ids), 0
        for start in range(0, total, CHUNK):
            chunk = ids[start:start + CHUNK]
            with transaction.atomic():
                lines = list(settlement.lines_without_shares().filter(pk__in=chunk))
                written += len(settlement.record_shares(lines))
            progress.bar("revenue shares", min(start + CHUNK, total), total)
        progress.step("order lines", total, written, note="shares written")
