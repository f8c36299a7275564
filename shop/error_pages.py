"""The pages a person meets when something is refused or missing, and the site's icon.

Rules:

* 403, 404 and 500 are the shop's own pages (themes/ocop/templates/403.html, 404.html,
  500.html), in the visitor's language, each with a way back to the home page.
* Under the JSON APIs (/api/, /pos/api/) a 403 or 404 is the APIs' JSON error body
  (``shop.api.errors``), never a page.
* A 403 says who may see the page, by the part of the site it belongs to (the
  dashboard, the office, the producer corner, the till, the admin), and offers to sign
  in as another user: :func:`sign_in_again` signs the visitor out and opens the sign-in
  page, which comes back to the refused page (only an address of this site).
* The 500 page is rendered without context processors or the database (it must show
  even when they are what failed): Django's ``server_error`` already does that.
* /favicon.ico, which browsers ask for on their own, leads to the shop's icon instead
  of a 404.
"""

from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from shop.api.errors import API_PREFIXES

# The part of the site (by its address) and who may use it.
AUDIENCES = (
    ("/dashboard/", gettext_lazy(
        "Trang quản trị dành cho nhân viên Phòng Nông nghiệp huyện và các chủ thể OCOP "
        "đã được cấp quyền.")),
    ("/office/", gettext_lazy("Trang này dành cho nhân viên Phòng Nông nghiệp huyện.")),
    ("/producer/", gettext_lazy(
        "Góc nhà sản xuất dành cho các chủ thể OCOP (hợp tác xã, tổ hợp tác, hộ kinh doanh).")),
    ("/pos/", gettext_lazy("Quầy bán hàng dành cho thu ngân và quản lý của điểm bán.")),
    ("/admin/", gettext_lazy("Trang quản trị hệ thống dành cho quản trị viên.")),
)
EVERYONE_ELSE = gettext_lazy("Trang này chỉ dành cho những tài khoản đã được cấp quyền.")


def audience(path):
    """Who may see the page at ``path``: a sentence."""
    for prefix, sentence in AUDIENCES:
        if path.startswith(prefix):
            return sentence
    return EVERYONE_ELSE


def permission_denied(request, exception):
    """``handler403``: the APIs' JSON under their prefixes, the shop's page elsewhere."""
    if request.path_info.startswith(API_PREFIXES):
        return JsonResponse(
            {"detail": _("Tài khoản này không được làm việc này."), "code": "permission_denied"},
            status=403, json_dumps_params={"ensure_ascii": False},
        )
    return render(request, "403.html", {"audience": audience(request.path_info)}, status=403)


def sign_in_again(request):
    """Sign out and open the sign-in page, coming back to ``next`` (of this site) after."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = ""
    logout(request)
    url = reverse("customer:login")
    return redirect(f"{url}?{urlencode({'next': target})}" if target else url)


sign_in_again = require_POST(sign_in_again)


def favicon(request):
    """/favicon.ico: the shop's icon among the static files."""
    return redirect(static("ocop/img/favicon.ico"), permanent=True)
