"""Run the fake e-invoice provider server (shop.invoicing.providers.fake) for the demo.

Point the shop at it with ``INVOICE_PROVIDER=http`` and
``INVOICE_PROVIDER_URL=http://127.0.0.1:<port>`` (and the same token, if any).
Its numbers live in memory: a restarted server numbers each serial from 1 again.
"""

from django.core.management.base import BaseCommand

from shop.invoicing.providers.fake import FakeProviderServer


class Command(BaseCommand):
    help = "Chạy máy chủ giả lập nhà cung cấp hoá đơn điện tử (cho bản trình diễn và phát triển)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--token", default="")

    def handle(self, host, port, token, **options):
        server = FakeProviderServer(host=host, port=port, token=token)
        self.stdout.write(f"Fake e-invoice provider on {server.url} (Ctrl+C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.server.server_close()
