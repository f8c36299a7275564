"""Email tomorrow's visitors a reminder of their departure (once each; also a Celery beat task)."""

from django.core.management.base import BaseCommand

from shop.core.progress import Progress
from shop.experiences import tasks


class Command(BaseCommand):
    help = "Gửi email nhắc khách có chuyến trải nghiệm vào ngày mai (mỗi phiếu một lần)."

    def handle(self, *args, **options):
        progress = Progress(self.stdout.write, tty=self.stdout.isatty())
        sent = tasks.remind_due(
            progress=lambda done, total: progress.bar("reminders", done, total))
        self.stdout.write(f"{sent} reminder(s) sent")
