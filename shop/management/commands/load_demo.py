"""``manage.py load_demo``: load (or complete) the demo data; safe to run again."""

import time

from django.core.management.base import BaseCommand

from shop.core.progress import Progress, format_table
from shop.demo import loader


class Command(BaseCommand):
    help = (
        "Loads the OCOP Đăk Hà demo: administrative units, OCOP groups, producers, "
        "products with photos and stock, sales points with tills, one user per role. "
        "Idempotent: a second run adds nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet", action="store_true", help="print only the demo logins",
        )
        parser.add_argument(
            "--reset-passwords", action="store_true",
            help="set the demo users' passwords back to the printed ones",
        )

    def handle(self, *args, quiet=False, reset_passwords=False, **options):
        started = time.monotonic()
        write = None if quiet else self.stdout.write
        if write:
            write("Loading the OCOP Đăk Hà demo data…")
        progress = Progress(write=write, tty=self.stdout.isatty())
        logins = loader.load_all(progress=progress, reset_passwords=reset_passwords)
        if write:
            write(self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f} s."))
        self.stdout.write("")
        self.stdout.write("Demo logins (username or email + password):")
        self.stdout.write(
            format_table(("username", "email", "password", "role", "can"), logins)
        )
        self.stdout.write(
            "Passwords are set when a user is created; --reset-passwords puts them back."
        )
