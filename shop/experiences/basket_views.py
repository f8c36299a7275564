"""The product page's booking form: add adult and child places on a departure to the basket.

Thin: the rules are ``purchase.add_to_basket`` (and ``places``). Bad input answers 400 with
the Vietnamese reason; nothing is added.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from oscar.core.loading import get_model

from shop.core.phones import normalise_phone

from . import places, purchase
from .errors import ExperienceError
from .models import Departure

Product = get_model("catalogue", "Product")


def _digits(value) -> bool:
    """ASCII digits only: "²" or "٣" pass ``str.isdigit`` but ``int()`` refuses or reads them."""
    return value.isascii() and value.isdigit()


def _number(value):
    """A typed number of people; anything but ASCII digits is -1 (refused by the rules)."""
    value = (value or "0").strip() or "0"
    if not _digits(value):
        return -1
    return int(value)


@require_POST
def add(request, product_pk):
    product = get_object_or_404(Product.objects.select_related("product_class"),
                                pk=product_pk, is_public=True)
    if not places.is_experience(product):
        raise Http404(_("Không tìm thấy."))
    departure_id = (request.POST.get("departure") or "").strip()
    departure = (Departure.objects.select_related("product", "product__product_class")
                 .filter(pk=departure_id, product=product).first()
                 if _digits(departure_id) else None)
    try:
        if departure is None:
            raise ExperienceError(_("Hãy chọn một chuyến khởi hành."), "no_departure")
        try:
            phone = normalise_phone(request.POST.get("phone"))
        except ValidationError as error:
            raise ExperienceError(error.messages[0], "phone") from None
        purchase.add_to_basket(request.basket, product, departure,
                               adults=_number(request.POST.get("adults")),
                               children=_number(request.POST.get("children")), phone=phone)
    except ExperienceError as error:
        return render(request, "experiences/product_add_refused.html",
                      {"product": product, "message": str(error)}, status=400)
    messages.success(request, _("Đã thêm %(title)s, chuyến %(when)s, vào giỏ hàng.") % {
        "title": product.get_title(), "when": departure.label.split(" · ")[0]})
    return redirect("basket:summary")
