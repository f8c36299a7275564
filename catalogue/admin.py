from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from oscar.apps.catalogue.admin import *  # noqa: F401,F403  Oscar's catalogue admin
from oscar.apps.catalogue.admin import ProductAdmin as OscarProductAdmin

from catalogue import certification, combos
from catalogue.barcodes import ensure_barcode
from catalogue.models import Batch, ComboComponent, OcopCertificate, Product
from shop import money

# Vietnamese write day/month/year. Django's "vi" locale has no input formats, so its
# fallback would read 01/02/2025 as 2 January: accept d/m/Y and ISO dates only.
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"]
DATE_FIELDS = {models.DateField: {"input_formats": DATE_INPUT_FORMATS}}


class OcopCertificateInline(admin.TabularInline):
    model = OcopCertificate
    extra = 0
    fields = (
        "stars", "score", "rating_level", "certifying_body", "decision_number",
        "decision_date", "valid_until", "revoked_on", "scan",
    )
    readonly_fields = ("valid_until",)
    formfield_overrides = DATE_FIELDS


class BatchInline(admin.TabularInline):
    model = Batch
    extra = 0
    fields = ("lot_code", "production_date", "best_before", "quantity", "growing_area_code")
    formfield_overrides = DATE_FIELDS


# --- Gift combos composed by the district office -------------------------------------
#
# A product of class "Combo quà tặng" gets a price field and a components inline.
# The inline formset validates with ``catalogue.combos.validate_composition`` (its
# Vietnamese messages); the save goes through ``combos.set_components`` so the
# combo's StockRecord totals are derived in the same transaction as the admin's save
# (the whole change form is atomic: a refused composition leaves nothing behind).


class ComboProductForm(forms.ModelForm):
    combo_price = forms.DecimalField(
        label=_("Giá combo (đồng)"), min_value=0, max_digits=12,
        help_text=_("Giá bán cả hộp, số đồng nguyên."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        record = combos.combo_stockrecord(self.instance) if self.instance.pk else None
        if record is not None and record.price is not None:
            self.fields["combo_price"].initial = money.dong(record.price)

    def clean_combo_price(self):
        return money.whole_dong(self.cleaned_data["combo_price"])

    def clean(self):
        data = super().clean()
        product_class = data.get("product_class")
        if product_class is not None and product_class.slug != combos.COMBO_CLASS_SLUG:
            self.add_error("product_class", _("Chỉ combo quà tặng mới có thành phần."))
        if data.get("structure") and data["structure"] != Product.STANDALONE:
            self.add_error("structure", _("Combo quà tặng phải là sản phẩm độc lập."))
        return data


class ComboComponentForm(forms.ModelForm):
    quantity = forms.IntegerField(label=_("Số lượng"), initial=1)

    class Meta:
        model = ComboComponent
        fields = ("component", "quantity", "display_order")

    def _get_validation_exclusions(self):
        # The quantity rule is catalogue.combos' (its message), checked by the formset.
        exclusions = super()._get_validation_exclusions()
        exclusions.add("quantity")
        return exclusions


class ComboComponentFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        self.items = []
        if any(self.errors):
            return
        rows = []
        for form in self.forms:
            if not form.cleaned_data or self._should_delete_form(form):
                continue
            if form.cleaned_data.get("component") is None:
                continue
            rows.append((form.cleaned_data.get("display_order") or 0, len(rows), form))
        items = [
            (form.cleaned_data["component"], form.cleaned_data["quantity"])
            for _order, _n, form in sorted(rows, key=lambda row: row[:2])
        ]
        combo = self.instance
        record = combos.combo_stockrecord(combo) if combo.pk else None
        seller = record.partner if record is not None else combos.district_partner()
        try:
            combos.validate_composition(combo if combo.pk else None, items, seller=seller)
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        self.items = items


class ComboComponentInline(admin.TabularInline):
    model = ComboComponent
    fk_name = "combo"
    form = ComboComponentForm
    formset = ComboComponentFormSet
    extra = 3
    raw_id_fields = ("component",)
    verbose_name = _("Thành phần combo")
    verbose_name_plural = _("Thành phần combo (hàng của chủ thể × số lượng)")


admin.site.unregister(Product)


@admin.register(Product)
class ProductAdmin(OscarProductAdmin):
    list_display = ("get_title", "upc", "producer", "ocop_stars", "structure", "date_created")
    list_filter = ["ocop_stars", "structure", "is_public", "producer"]
    inlines = [*OscarProductAdmin.inlines, OcopCertificateInline, BatchInline]
    actions = ["give_internal_barcodes", "print_barcode_labels", "refresh_stars"]
    readonly_fields = ("ocop_stars",)

    # -- Gift combos --

    def _is_combo_form(self, request, obj):
        if obj is not None:
            return combos.is_combo(obj)
        chosen = request.POST.get("product_class") or request.GET.get("product_class")
        return bool(chosen) and str(chosen) == str(combos.combo_class().pk)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if self._is_combo_form(request, obj):
            kwargs.setdefault("form", ComboProductForm)
        return super().get_form(request, obj, change, **kwargs)

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        if self._is_combo_form(request, obj):
            inlines.insert(0, ComboComponentInline)
        return inlines

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and combos.is_combo(obj):
            fields.append("combo_availability")
        return fields

    @admin.display(description=_("Còn bán được"))
    def combo_availability(self, obj):
        online, per_location = combos.availability(obj)
        lines = [
            ngettext("Trực tuyến: còn %(count)d hộp", "Trực tuyến: còn %(count)d hộp", online)
            % {"count": online}
        ]
        lines += [
            ngettext("%(location)s: còn %(count)d hộp", "%(location)s: còn %(count)d hộp", units)
            % {"location": location.name, "count": units}
            for location, units in per_location
        ]
        lines += combos.problems(obj)
        return "; ".join(str(line) for line in lines)

    def save_related(self, request, form, formsets, change):
        combo_formsets = [fs for fs in formsets if isinstance(fs, ComboComponentFormSet)]
        others = [fs for fs in formsets if not isinstance(fs, ComboComponentFormSet)]
        super().save_related(request, form, others, change)
        product = form.instance
        if not combo_formsets or not combos.is_combo(product):
            return
        formset = combo_formsets[0]
        formset.save(commit=False)  # for the history message; set_components writes the rows
        price = form.cleaned_data["combo_price"]
        record = combos.combo_stockrecord(product)
        if record is None:
            record = product.stockrecords.create(
                partner=combos.district_partner(), partner_sku=f"COMBO-{product.pk}",
                price=price, price_currency="VND",
            )
        elif record.price != price:
            record.price = price
            record.save(update_fields=["price"])
        ensure_barcode(product)
        if not product.categories.exists():
            product.categories.add(combos.combo_category())
        combos.set_components(product, formset.items, seller=record.partner)

    @admin.action(description=_("Tạo mã vạch nội bộ cho sản phẩm chưa có mã"))
    def give_internal_barcodes(self, request, queryset):
        given = 0
        for product in queryset.filter(upc__isnull=True):
            ensure_barcode(product)
            given += 1
        self.message_user(
            request,
            ngettext("Đã tạo mã vạch cho %(count)d sản phẩm.",
                     "Đã tạo mã vạch cho %(count)d sản phẩm.", given) % {"count": given},
            messages.SUCCESS,
        )

    @admin.action(description=_("In nhãn mã vạch"))
    def print_barcode_labels(self, request, queryset):
        query = urlencode([("product", pk) for pk in queryset.values_list("pk", flat=True)])
        return HttpResponseRedirect(f"{reverse('trace:barcode-labels')}?{query}")

    @admin.action(description=_("Cập nhật hạng sao từ sổ chứng nhận"))
    def refresh_stars(self, request, queryset):
        changed = sum(
            certification.refresh_product_stars(p)
            for p in queryset.prefetch_related("ocop_certificates")
        )
        self.message_user(
            request, _("Đã cập nhật hạng sao của %(count)d sản phẩm.") % {"count": changed}
        )


@admin.register(OcopCertificate)
class OcopCertificateAdmin(admin.ModelAdmin):
    list_display = (
        "product", "stars", "score", "rating_level", "certifying_body", "decision_number",
        "decision_date", "valid_until", "status_display",
    )
    list_filter = ("stars", "rating_level", "certifying_body")
    search_fields = ("product__title", "product__upc", "decision_number", "certifying_body")
    date_hierarchy = "decision_date"
    autocomplete_fields = ("product",)
    readonly_fields = ("valid_until", "date_created", "date_updated")
    formfield_overrides = DATE_FIELDS
    list_select_related = ("product",)

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("product__ocop_certificates")

    @admin.display(description=_("Tình trạng"))
    def status_display(self, obj):
        return obj.status_label


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ("product", "lot_code", "production_date", "best_before", "quantity",
                    "growing_area_code")
    search_fields = ("product__title", "product__upc", "lot_code")
    date_hierarchy = "production_date"
    formfield_overrides = DATE_FIELDS
    autocomplete_fields = ("product",)
    list_select_related = ("product",)
