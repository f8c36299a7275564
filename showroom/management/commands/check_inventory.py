"""Check the inventory invariant; exits non-zero (and lists them) on any mismatch."""

from django.core.management.base import BaseCommand, CommandError

from showroom import inventory
from showroom.models import Stock


class Command(BaseCommand):
    help = (
        "Kiểm tra sổ kho: tồn tại mỗi điểm bằng tổng các dòng sổ, hàng giữ bằng tổng "
        "các lần giữ đang mở, tổng của Oscar khớp với các điểm bán."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--balances", action="store_true",
            help="Cũng kiểm tra số dư sau từng dòng sổ (chậm hơn).",
        )

    def handle(self, *args, balances=False, **options):
        mismatches = inventory.check_invariants()
        if balances:
            for stock in Stock.objects.all().iterator():
                mismatches += inventory.check_ledger_balances(stock)
        for mismatch in mismatches:
            self.stderr.write(str(mismatch))
        if mismatches:
            raise CommandError(f"{len(mismatches)} mismatch(es) in the inventory")
        self.stdout.write(
            self.style.SUCCESS(f"Inventory OK: {Stock.objects.count()} stock rows checked.")
        )
