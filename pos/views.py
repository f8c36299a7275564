"""The till's pages: sign-in, register choice, the till, the customer display,
receipts (HTML for the 80 mm printer and PDF), the Z-report, and the service
worker that lets the till open again without a connection.

The till page and its static files are versioned: each asset URL carries
``?v=<hash of the file>`` and the service worker (``/pos/sw.js``) carries a
version made of those hashes, the asset URLs (so a static manifest that maps a
file to a new hashed name counts too), its own source and the optional
``POS_OFFLINE_VERSION`` setting. A new version installs a new service worker,
which caches the new files and deletes the old caches.
"""

import functools
import hashlib
import json
import os
import re

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import get_template, render_to_string
from django.urls import reverse, reverse_lazy
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from pos import access, sales, sessions
from pos.models import Register, TenderKind, TillSession
from pos.receipts import receipt_context, receipt_pdf
from shop.money import cash_rounding_unit

# Names of the service worker's caches (static files, kept pages) start with this.
CACHE_PREFIX = "ocop-pos-"

# What the till needs to start without a connection, besides its page (cached by
# the service worker when the page is opened online) and the offline fallback page.
OFFLINE_ASSETS = {
    "till_css": "pos/till.css",
    "till_js": "pos/till.js",
    "receipt_css": "pos/receipt.css",
    "display_js": "pos/display.js",
    "experiences_js": "pos/experiences.js",  # the experiences drawer (needs the network to book)
}


@functools.lru_cache(maxsize=64)
def _file_digest(path, _mtime_ns, _size):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(65536), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _asset_file(name):
    """The file behind a static name: the app's source first (what the dev server and
    tests serve), else the collected copy in STATIC_ROOT."""
    found = finders.find(name)
    if found:
        return found
    try:
        path = staticfiles_storage.path(name)
    except NotImplementedError:
        return None
    return path if os.path.exists(path) else None


def asset_digest(name):
    path = _asset_file(name)
    if not path:
        return ""
    stat = os.stat(path)
    return _file_digest(path, stat.st_mtime_ns, stat.st_size)


def asset_url(name):
    """The static URL of ``name`` with the hash of its content, so a cached copy is
    never taken for a newer file."""
    url = staticfiles_storage.url(name)
    digest = asset_digest(name)
    return f"{url}{'&' if '?' in url else '?'}v={digest[:12]}" if digest else url


def offline_assets():
    return {key: asset_url(name) for key, name in OFFLINE_ASSETS.items()}


def offline_version():
    """Changes whenever an asset's content or URL (static manifest), the service
    worker's own source or ``settings.POS_OFFLINE_VERSION`` changes."""
    digest = hashlib.sha256()
    digest.update(str(getattr(settings, "POS_OFFLINE_VERSION", "")).encode())
    for name in sorted(OFFLINE_ASSETS.values()):
        digest.update(f"\n{name}\n{staticfiles_storage.url(name)}\n{asset_digest(name)}".encode())
    source = get_template("pos/sw.js").template.source
    digest.update(source.encode())
    return digest.hexdigest()[:16]


def service_worker_config():
    scope = reverse("pos:index")
    return {
        "version": offline_version(),
        "cachePrefix": CACHE_PREFIX,
        "static": staticfiles_storage.base_url or settings.STATIC_URL,
        "scope": scope,
        "api": scope + "api/",
        "logout": reverse("pos:logout"),
        "login": reverse("pos:login"),
        "offlinePage": reverse("pos:offline"),
        "precache": sorted(set(offline_assets().values())) + [reverse("pos:offline")],
        # Pages kept for a reload without a connection: the till and its customer display.
        "pages": "^" + re.escape(scope) + r"register/\d+/(display/)?$",
    }


class ServiceWorkerView(View):
    """``/pos/sw.js``: the till's service worker, with its version and cache list."""

    def get(self, request):
        config = service_worker_config()
        body = render_to_string("pos/sw.js", {
            "config_json": json.dumps(config, cls=DjangoJSONEncoder).replace("<", "\\u003c"),
        })
        response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
        # Always fetched fresh: the browser compares it byte for byte to decide on an update.
        response["Cache-Control"] = "no-cache, no-store, must-revalidate, max-age=0"
        response["Service-Worker-Allowed"] = config["scope"]
        response["X-Offline-Version"] = config["version"]
        return response


class OfflinePageView(TemplateView):
    """Shown by the service worker when a till page is opened without a connection
    and this computer has no saved copy of it."""

    template_name = "pos/offline.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "assets": offline_assets()}


def js_messages():
    """The till page's own words (Vietnamese msgids), handed to till.js as JSON."""
    return {
        "offline": _("Mất mạng — %(n)s hoá đơn đang chờ gửi"),
        "syncing": _("Đang gửi — %(n)s hoá đơn đang chờ"),
        "online": _("Đã kết nối"),
        "unknownCode": _("Không có sản phẩm nào mang mã “%(code)s”."),
        "badCode": _("Mã vạch “%(code)s” không hợp lệ."),
        "searchShort": _("Hãy gõ ít nhất 2 chữ cái để tìm theo tên."),
        "noResults": _("Không tìm thấy sản phẩm nào."),
        "emptyCart": _("Hoá đơn chưa có hàng."),
        "remaining": _("Còn phải thu"),
        "change": _("Tiền thối lại"),
        "short": _("Còn thiếu %(amount)s"),
        "saved": _("Đã ghi hoá đơn %(receipt)s."),
        "queued": _("Mất mạng: hoá đơn tạm %(ref)s đã được lưu trên máy, sẽ tự gửi khi có mạng."),
        "synced": _("Đã gửi %(n)s hoá đơn chờ."),
        "syncFailed": _("Hoá đơn tạm %(ref)s bị từ chối: %(detail)s"),
        "needApproval": _("Giảm giá vượt hạn mức %(limit)s%%: cần quản lý duyệt."),
        "networkError": _("Không kết nối được máy chủ."),
        "sessionOpened": _("Đã mở ca."),
        "sessionClosed": _("Đã đóng ca."),
        "cashMoved": _("Đã ghi thu/chi tiền mặt."),
        "returned": _("Đã trả hàng, hoàn %(amount)s."),
        "qrFor": _("Quét mã để chuyển %(amount)s — nội dung: %(ref)s"),
        "qrOffline": _("Mất mạng: không tạo được mã VietQR, hãy thu tiền mặt hoặc thẻ."),
        "remove": _("Xoá"),
        "confirmClose": _("Đóng ca với số tiền đếm được %(amount)s?"),
        "offlineOnlyOnline": _("Việc này cần có mạng."),
        "returnedAlready": _("đã trả %(n)s"),
        "printReceipt": _("In hoá đơn"),
        "pdf": _("PDF"),
        "stars": _("%(n)s sao OCOP"),
        "badQuantity": _("Số lượng phải là số nguyên từ 1 đến 10.000."),
        "badAmount": _("Số tiền phải là số đồng chẵn, không âm."),
        "damaged": _("hàng hỏng"),
        "kinds": {kind: str(label) for kind, label in TenderKind.choices},
        "sessionLabel": _("Ca #%(pk)s"),
        "offlineCopy": _("Mất mạng — trang quầy mở từ bản lưu trên máy; %(n)s hoá đơn đang chờ gửi"),
        "queuedReceipt": _("Hoá đơn tạm %(ref)s (chờ gửi)."),
        "printTemp": _("In hoá đơn tạm"),
        "logoutPending": _("Còn %(n)s hoá đơn chưa gửi lên máy chủ: hãy chờ có mạng rồi mới đăng xuất."),
        "offlineShort": _("Mất mạng"),
        "syncingShort": _("Đang gửi…"),
        "allGroups": _("Tất cả"),
        "keyBack": _("Xoá một chữ số"),
        "keyClear": _("Xoá hết"),
        "noteGiven": _("Khách đưa thêm %(amount)s"),
    }


class TillPageMixin(LoginRequiredMixin):
    login_url = reverse_lazy("pos:login")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.is_till_user(request.user):
            raise access.TillAccessDenied(_("Tài khoản này không phải thu ngân."))
        return super().dispatch(request, *args, **kwargs)

    def get_register(self):
        register = get_object_or_404(Register.objects.select_related("location"), pk=self.kwargs["pk"])
        return access.check_register(self.request.user, register)


class RegisterChoiceView(TillPageMixin, TemplateView):
    template_name = "pos/index.html"

    def get(self, request, *args, **kwargs):
        registers = list(access.registers_for(request.user))
        if len(registers) == 1:
            return redirect("pos:till", pk=registers[0].pk)
        return self.render_to_response({"registers": registers})


class TillView(TillPageMixin, TemplateView):
    template_name = "pos/till.html"

    def get_context_data(self, **kwargs):
        register = self.get_register()
        session = TillSession.objects.filter(register=register, status="open").first()
        config = {
            "register": {"id": register.pk, "code": register.code, "name": register.name,
                         "location": register.location.name},
            "session": session.pk if session else None,
            "user": self.request.user.get_username(),
            "discountLimit": str(access.discount_limit(self.request.user)),
            "cashRounding": cash_rounding_unit(),
            "api": reverse("pos:index") + "api/",
            "receiptUrl": reverse("pos:receipt", args=[0]).replace("/0/", "/{id}/"),
            "zReportUrl": reverse("pos:z-report", args=[0]).replace("/0/", "/{id}/"),
            "displayUrl": reverse("pos:display", args=[register.pk]),
            "serviceWorker": {"url": reverse("pos:service-worker"), "scope": reverse("pos:index"),
                              "version": offline_version(), "cachePrefix": CACHE_PREFIX},
            "cashierName": self.request.user.get_full_name() or self.request.user.get_username(),
            "shopName": getattr(settings, "OSCAR_SHOP_NAME", ""),
        }
        return {**super().get_context_data(**kwargs), "register": register, "session": session,
                "config": config, "messages_js": js_messages(), "assets": offline_assets()}

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        # A shared computer: the browser's HTTP cache keeps no copy; the service
        # worker keeps one for a reload without a connection, dropped at sign-out.
        add_never_cache_headers(response)
        return response


class CustomerDisplayView(TillPageMixin, TemplateView):
    template_name = "pos/display.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "register": self.get_register(),
                "assets": offline_assets(), "shop_name": getattr(settings, "OSCAR_SHOP_NAME", "")}


class ReceiptView(TillPageMixin, TemplateView):
    template_name = "pos/receipt.html"

    def get_sale(self):
        sale = sales.sale_queryset().filter(pk=self.kwargs["pk"]).first()
        if sale is None:
            raise Http404(_("Không có hoá đơn này."))
        access.check_register(self.request.user, sale.register)
        return sale

    def get_context_data(self, **kwargs):
        ctx = receipt_context(self.get_sale())
        ctx["autoprint"] = self.request.GET.get("print") == "1"
        return {**super().get_context_data(**kwargs), **ctx}


class ReceiptPDFView(ReceiptView):
    def get(self, request, *args, **kwargs):
        sale = self.get_sale()
        response = HttpResponse(receipt_pdf(sale), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="hoa-don-{sale.receipt_label}.pdf"'
        return response


class ZReportView(TillPageMixin, TemplateView):
    template_name = "pos/z_report.html"

    def get_context_data(self, **kwargs):
        session = get_object_or_404(
            TillSession.objects.select_related("register__location", "cashier", "closed_by"),
            pk=self.kwargs["pk"],
        )
        access.check_register(self.request.user, session.register)
        report = sessions.z_report(session)
        return {**super().get_context_data(**kwargs), "session": session, "report": report,
                "autoprint": self.request.GET.get("print") == "1"}
