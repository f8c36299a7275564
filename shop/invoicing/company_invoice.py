"""An online buyer's request for a company VAT invoice, taken at checkout.

Rules:

* On the checkout's payment step the buyer may tick "Xuất hoá đơn GTGT cho công ty"
  and give the company's name, its tax code and its address (all three required then),
  and optionally the email the invoice goes to (else the order's email). The tax code
  is checked by ``shop.invoicing.taxcode`` (checksum, branch suffix, or a 12-digit
  personal number) and stored as it prints; a wrong one is refused with the reason
  and nothing is kept. Unticked: whatever was typed is ignored.
* The request lives in the checkout session until the order is placed, then is saved
  once as the order's ``InvoiceRequest`` in the order's own transaction (no request,
  no query). It becomes the buyer of the order's invoice (``builder.invoice_for_order``).
* "Gộp hoá đơn theo kỳ" (``consolidate``): the order gets no invoice of its own when
  paid; the office issues one consolidated invoice for the buyer's paid orders of a
  period (``shop.invoicing.consolidation``).
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from shop.invoicing import taxcode
from shop.invoicing.models import InvoiceRequest

PREFIX = "einvoice"
SESSION_KEY = "einvoice"
FIELDS = ("wanted", "company", "tax_code", "address", "email", "consolidate")


class CompanyInvoiceForm(forms.Form):
    wanted = forms.BooleanField(label=_("Xuất hoá đơn GTGT cho công ty"), required=False)
    company = forms.CharField(label=_("Tên công ty / đơn vị"), required=False, max_length=255)
    tax_code = forms.CharField(label=_("Mã số thuế"), required=False, max_length=20,
                               help_text=_("10 chữ số (chi nhánh: thêm “-” và 3 chữ số)."))
    address = forms.CharField(label=_("Địa chỉ công ty"), required=False, max_length=255)
    email = forms.EmailField(label=_("Email nhận hoá đơn"), required=False,
                             help_text=_("Để trống: gửi tới email của đơn hàng."))
    consolidate = forms.BooleanField(
        label=_("Gộp vào một hoá đơn theo kỳ (văn phòng lập cuối kỳ)"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", PREFIX)
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = "form-control"
        self.fields["tax_code"].widget.attrs["inputmode"] = "numeric"

    def clean(self):
        data = super().clean()
        if not data.get("wanted"):
            for name in list(self.errors):  # what was typed without the box ticked is ignored
                del self.errors[name]
            return {key: "" if key not in ("wanted", "consolidate") else False for key in FIELDS}
        for name, message in (("company", _("Hãy nhập tên công ty.")),
                              ("address", _("Hãy nhập địa chỉ công ty."))):
            data[name] = " ".join(str(data.get(name) or "").split())
            if not data[name] and name not in self.errors:
                self.add_error(name, message)
        if "tax_code" not in self.errors:
            try:
                data["tax_code"] = taxcode.normalise(data.get("tax_code"))
            except taxcode.InvalidTaxCode as error:
                self.add_error("tax_code", str(error))
        return data

    def session_data(self):
        data = {key: self.cleaned_data.get(key) for key in FIELDS}
        return data if data["wanted"] else None


def form(data=None, stored=None):
    return CompanyInvoiceForm(data, initial=stored or {})


def save_for_order(order, stored):
    """Save the session's request (``CompanyInvoiceForm.session_data``) for ``order``;
    None when there is none."""
    if not stored or not stored.get("wanted"):
        return None
    request, _created = InvoiceRequest.objects.get_or_create(order=order, defaults={
        "company": stored["company"][:255], "tax_code": taxcode.normalise(stored["tax_code"]),
        "address": stored["address"][:255], "email": stored.get("email") or "",
        "consolidate": bool(stored.get("consolidate")),
    })
    return request
