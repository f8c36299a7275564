"""The demo's e-invoices: who sells at each demo sales point, the products' VAT
categories, and an invoice for every demo till sale, till return and paid online order.

Rules (idempotent — run it again and nothing is added or changed twice):

* A seller profile per demo sales point (``showroom.Location`` by code): the district
  showcase shop is run by the district's culture centre, each commune point by its
  commune's cooperative. Tax codes are 10 digits with a correct check digit
  (``taxcode.check_digit``); serials ``1C26MDH``, ``1C26MDM``, ``1C26MNW`` (form ``1``,
  serial ``C26M…``). A profile that exists is left as the office edited it.
* VAT categories: unprocessed farm produce (green coffee, pepper, rice, fresh passion
  fruit, dried bamboo shoots) 5 %; alcohol (titles starting "Rượu") 10 % and never the
  reduced 8 %; tourism services and everything else 10 % (the model's default). Gift
  combos keep theirs: the builder splits them into their components' rates.
* Invoices: every till sale, then every till return (its adjusting invoice), then every
  paid online order (paid by card or VietQR, or delivered / collected; never a till
  sale's own order) gets its invoice through ``shop.invoicing.builder`` and is issued at
  once through the in-process provider (``INVOICE_PROVIDER = "local"``). The largest
  till sale is invoiced to a business buyer with its tax code (the seed's example: an
  agency buying gift combos). The same buyer asks for company invoices on three paid
  online orders (once): two of them on one consolidated invoice, one on its own. No "invoice issued" email is sent for them
  (``notify.muted``).
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.test.utils import override_settings
from django.utils import timezone
from oscar.core.loading import get_model

from shop.core.progress import Progress
from shop.invoicing.models import Invoice, SellerProfile
from shop.invoicing.taxcode import check_digit

Location = get_model("showroom", "Location")
Product = get_model("catalogue", "Product")


def tax_code(first_nine):
    """The 10-digit code of ``first_nine`` digits; the next number that takes a check
    digit when this one cannot (a check digit of 10 is never issued)."""
    number = int(first_nine)
    while True:
        digits = f"{number:09d}"
        digit = check_digit(digits)
        if digit is not None:
            return f"{digits}{digit}"
        number += 1


# location code → (legal name, first nine digits of its tax code, serial)
SELLERS = {
    "showcase": ("Trung tâm Văn hoá – Thông tin và Thể thao huyện Đăk Hà", "610023451", "C26MDH"),
    "dak-mar": ("Hợp tác xã Nông nghiệp Đăk Mar", "610031287", "C26MDM"),
    "ngok-wang": ("Hợp tác xã Dịch vụ Nông nghiệp Ngọk Wang", "610029934", "C26MNW"),
}

FIVE_PERCENT_TITLES = ("Cà phê nhân", "Hạt tiêu", "Gạo ", "Chanh dây tím tươi", "Măng khô")
ALCOHOL_PREFIX = "Rượu"

BUSINESS_BUYER = {
    "name": "Nguyễn Văn An",
    "company": "Văn phòng HĐND và UBND huyện Đăk Hà",
    "tax_code": tax_code("610012345"),
    "id_number": "",
    "address": "Số 1 đường Hùng Vương, thị trấn Đăk Hà, huyện Đăk Hà, tỉnh Kon Tum",
    "email": "vanphong@dakha.example.vn",
}


def load_seller_profiles():
    """A profile for each demo sales point that has none; returns how many were made."""
    made = 0
    for location in Location.objects.filter(code__in=list(SELLERS)):
        legal_name, nine, serial = SELLERS[location.code]
        _profile, created = SellerProfile.objects.get_or_create(
            location=location,
            defaults={"legal_name": legal_name, "tax_code": tax_code(nine),
                      "address": location.address or location.name, "phone": location.phone,
                      "invoice_form": "1", "serial": serial},
        )
        made += created
    return made


def load_vat_categories():
    """The demo products' VAT categories; returns how many products changed."""
    five = Q()
    for title in FIVE_PERCENT_TITLES:
        five |= Q(title__startswith=title)
    changed = Product.objects.filter(five).exclude(vat_category="5").update(vat_category="5")
    changed += (Product.objects.filter(title__startswith=ALCOHOL_PREFIX)
                .exclude(vat_category="10", vat_reduction_excluded=True)
                .update(vat_category="10", vat_reduction_excluded=True))
    return changed


def _has_original(field):
    return Exists(Invoice.objects.filter(**{field: OuterRef("pk")}, kind=Invoice.Kind.ORIGINAL))


def _issue_all(make, items, issuing):
    made = 0
    for item in items:
        invoice = make(item)
        if invoice is None:
            continue
        if invoice.status != Invoice.Status.ISSUED:
            issuing.issue(invoice)
        made += 1
    return made


def load_demo_invoices():
    """Invoice and issue every demo till sale, till return and paid online order that has
    no invoice yet; returns how many invoices were made or issued."""
    from shop.invoicing import builder, issuing  # the other halves of the app

    TillSale = get_model("pos", "TillSale")
    TillReturn = get_model("pos", "TillReturn")
    Order = get_model("order", "Order")
    from shop.invoicing import notify
    from shop.payment.models import OrderPayment

    made = 0
    with override_settings(INVOICE_PROVIDER="local"), notify.muted():
        sales = list(TillSale.objects.filter(~_has_original("till_sale")).order_by("rung_at", "pk"))
        biggest = max(sales, key=lambda sale: (sale.total, -sale.pk), default=None)
        made += _issue_all(
            lambda sale: builder.invoice_for_till_sale(
                sale, buyer=BUSINESS_BUYER if biggest is not None and sale.pk == biggest.pk else None),
            sales, issuing)
        returns = TillReturn.objects.filter(
            ~Exists(Invoice.objects.filter(till_return=OuterRef("pk")))).order_by("pk")
        made += _issue_all(builder.adjustment_for_till_return, returns, issuing)
        paid = Exists(OrderPayment.objects.filter(
            order=OuterRef("pk"), status=OrderPayment.Status.PAID,
        ).exclude(method=OrderPayment.Method.COD))
        orders = (Order.objects.filter(till_sale__isnull=True)
                  .filter(paid | Q(status__in=("Đã giao", "Đã nhận hàng")))
                  .filter(~_has_original("order")).order_by("date_placed", "pk"))
        requests = load_company_requests(orders)
        made += _issue_all(builder.invoice_for_order, orders, issuing)
        made += load_consolidated(requests)
        # what an earlier run left unissued (a failure) is sent again
        for invoice in Invoice.objects.filter(status__in=(Invoice.Status.PENDING, Invoice.Status.FAILED)):
            issuing.issue(invoice)
    return made


def load_company_requests(orders):
    """Once (while no order has a request): the business buyer asks for company invoices on
    the first three paid card / VietQR orders not invoiced yet — the first two to be
    consolidated, the third on its own invoice. Returns the requests made."""
    from shop.invoicing.models import InvoiceRequest
    from shop.payment.models import OrderPayment

    if InvoiceRequest.objects.exists():
        return []
    paid = Exists(OrderPayment.objects.filter(order=OuterRef("pk"), status=OrderPayment.Status.PAID)
                  .exclude(method=OrderPayment.Method.COD))
    chosen = list(orders.filter(paid)[:3])
    if len(chosen) < 3:
        return []
    return [
        InvoiceRequest.objects.create(
            order=order, company=BUSINESS_BUYER["company"], tax_code=BUSINESS_BUYER["tax_code"],
            address=BUSINESS_BUYER["address"], email=BUSINESS_BUYER["email"],
            consolidate=position < 2)
        for position, order in enumerate(chosen)
    ]


def load_consolidated(requests):
    """The consolidated invoice of the requests that asked for one (their orders' period);
    how many invoices were made."""
    from shop.invoicing import consolidation

    days = sorted(timezone.localdate(r.order.date_placed) for r in requests if r.consolidate)
    if not days:
        return 0
    try:
        invoice = consolidation.consolidate(BUSINESS_BUYER["tax_code"], days[0], days[-1])
    except consolidation.ConsolidationError:
        return 0
    from shop.invoicing import issuing

    issuing.issue(invoice)
    return 1


def load_demo_invoicing(progress=None):
    """Seller profiles, VAT categories and the demo sales' invoices (idempotent)."""
    progress = progress or Progress()
    profiles = load_seller_profiles()
    progress.step("invoice sellers", SellerProfile.objects.count(), profiles)
    changed = load_vat_categories()
    progress.step("VAT categories", Product.objects.exclude(vat_category="10").count(), changed)
    made = load_demo_invoices()
    issued = Invoice.objects.filter(status=Invoice.Status.ISSUED).count()
    progress.step("e-invoices", Invoice.objects.count(), made, f"{issued} issued (local provider)")
