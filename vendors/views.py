"""The producer corner ("Góc nhà sản xuất") and the office's review queue — thin views.

Every object a producer page touches is read through ``vendors.access.own``
(via :class:`ProducerMixin`); rules live in ``vendors.moderation`` and, for the
producer's gift combos, ``vendors.combo_proposals`` (composition rules:
``catalogue.combos``).
"""

from collections import OrderedDict

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, ListView, TemplateView
from oscar.core.loading import get_model

from catalogue import combos, uploads
from showroom.models import Location, Stock
from vendors import access, combo_proposals, moderation
from vendors.forms import (
    BatchForm,
    CertificateForm,
    ComboForm,
    PhotoForm,
    ProductForm,
    ReviewForm,
    component_formset,
)
from vendors.models import ChangeRequest

Product = get_model("catalogue", "Product")
ComboComponent = get_model("catalogue", "ComboComponent")
ProductImage = get_model("catalogue", "ProductImage")
OcopCertificate = get_model("catalogue", "OcopCertificate")
Batch = get_model("catalogue", "Batch")
StockRecord = get_model("partner", "StockRecord")
Line = get_model("order", "Line")

PAGE_SIZE = 50


class ProducerMixin(LoginRequiredMixin):
    """Signed-in producer users only; ``self.own(qs)`` narrows to their own rows."""

    login_url = reverse_lazy("customer:login")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.vendor = access.require_producer(request.user)
        return super().dispatch(request, *args, **kwargs)

    def own(self, queryset):
        return access.own(queryset, self.request.user)

    def get_own(self, queryset, **filters):
        return access.get_own_or_404(queryset, self.request.user, **filters)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("vendor", self.vendor)
        return super().get_context_data(**kwargs)


class OwnProductMixin(ProducerMixin):
    """Views under /producer/products/<pk>/: the product must be the producer's own.

    ``for_combos = False``: a page that makes no sense for a gift combo (its
    certificates and lots are its components') answers 404 for one;
    ``combo_url_name``: a combo is sent to that page instead.
    """

    for_combos = True
    combo_url_name = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.vendor = access.require_producer(request.user)
            self.product = self.get_own(
                Product.objects.select_related("producer__partner", "product_class")
                .prefetch_related("stockrecords"),
                pk=kwargs["pk"],
            )
            if combos.is_combo(self.product):
                if self.combo_url_name:
                    return redirect(self.combo_url_name, pk=self.product.pk)
                if not self.for_combos:
                    raise Http404(
                        _("Combo quà tặng không có giấy chứng nhận OCOP hay lô sản xuất riêng: "
                          "đó là của từng thành phần.")
                    )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("product", self.product)
        kwargs.setdefault("is_combo", combos.is_combo(self.product))
        return super().get_context_data(**kwargs)

    def product_url(self):
        return reverse("vendors:product", kwargs={"pk": self.product.pk})


def _pending_prefetch():
    return Prefetch(
        "change_requests",
        queryset=ChangeRequest.objects.filter(status=ChangeRequest.Status.PENDING),
        to_attr="pending_changes",
    )


class BadRequestFormMixin:
    """Invalid input answers 400 with the form and its Vietnamese messages."""

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def refuse(self, form, error):
        form.add_error(None, str(error))
        return self.form_invalid(form)


# --- Producer pages ---------------------------------------------------------------------


class HomeView(ProducerMixin, TemplateView):
    template_name = "vendors/home.html"

    def get_context_data(self, **kwargs):
        changes = self.own(ChangeRequest.objects.select_related("product"))
        counts = changes.aggregate(
            pending=Count("pk", filter=Q(status=ChangeRequest.Status.PENDING)),
            rejected=Count("pk", filter=Q(status=ChangeRequest.Status.REJECTED)),
        )
        return super().get_context_data(
            product_count=self.own(Product.objects.all()).count(),
            counts=counts,
            recent_changes=changes.exclude(status=ChangeRequest.Status.WITHDRAWN)[:5],
            **kwargs,
        )


class ProductListView(ProducerMixin, ListView):
    template_name = "vendors/product_list.html"
    context_object_name = "products"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return self.own(
            Product.objects.select_related("producer")
            .prefetch_related("stockrecords", "images", _pending_prefetch())
            .order_by("title", "pk")
        )


class ProductCreateView(BadRequestFormMixin, ProducerMixin, FormView):
    template_name = "vendors/product_form.html"
    form_class = ProductForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "with_category": True}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            change = moderation.propose_new_product(
                self.vendor, self.request.user, data, category=data.get("category")
            )
        except moderation.ModerationError as error:
            return self.refuse(form, error)
        messages.success(
            self.request,
            _("Đã gửi sản phẩm “%(title)s”. Sản phẩm sẽ được bán sau khi Phòng Nông nghiệp duyệt.")
            % {"title": change.product.title},
        )
        return redirect("vendors:product", pk=change.product_id)


class ProductDetailView(OwnProductMixin, TemplateView):
    template_name = "vendors/product_detail.html"

    def get_context_data(self, **kwargs):
        product = self.product
        if combos.is_combo(product):
            return super().get_context_data(
                offer=combos.combo_stockrecord(product),
                summary=combos.combo_summary(product),
                images=self.own(ProductImage.objects.filter(product=product)),
                changes=self.own(ChangeRequest.objects.filter(product=product))[:20],
                **kwargs,
            )
        stocks = self.own(
            Stock.objects.filter(stockrecord__product=product).select_related("location")
        )
        return super().get_context_data(
            offer=moderation.offer_of(product),
            images=self.own(ProductImage.objects.filter(product=product)),
            certificates=self.own(OcopCertificate.objects.filter(product=product)),
            batches=self.own(Batch.objects.filter(product=product)),
            changes=self.own(ChangeRequest.objects.filter(product=product))[:20],
            stocks=stocks,
            **kwargs,
        )


class ProductEditView(BadRequestFormMixin, OwnProductMixin, FormView):
    template_name = "vendors/product_form.html"
    form_class = ProductForm
    combo_url_name = "vendors:combo-edit"

    def get_initial(self):
        return moderation.editable_values(self.product)

    def form_valid(self, form):
        try:
            moderation.propose_update(self.product, self.request.user, form.cleaned_data)
        except moderation.ModerationError as error:
            return self.refuse(form, error)
        messages.success(
            self.request,
            _("Đã gửi thay đổi. Khách hàng vẫn thấy thông tin cũ cho đến khi được duyệt."),
        )
        return redirect(self.product_url())


class PhotoAddView(BadRequestFormMixin, OwnProductMixin, FormView):
    template_name = "vendors/upload_form.html"
    form_class = PhotoForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Thêm ảnh sản phẩm"), **kwargs)

    def form_valid(self, form):
        moderation.propose_photo(
            self.product, self.request.user, form.cleaned_data["original"],
            form.cleaned_data.get("caption", ""),
        )
        messages.success(self.request, _("Đã gửi ảnh, ảnh sẽ hiện sau khi được duyệt."))
        return redirect(self.product_url())


class PhotoDeleteView(ProducerMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk, image_pk):
        image = self.get_own(ProductImage.objects.all(), pk=image_pk, product_id=pk)
        image.delete()
        messages.success(request, _("Đã xoá ảnh."))
        return redirect("vendors:product", pk=pk)


class CertificateAddView(BadRequestFormMixin, OwnProductMixin, FormView):
    template_name = "vendors/upload_form.html"
    form_class = CertificateForm
    for_combos = False

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "product": self.product}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Thêm giấy chứng nhận OCOP"), **kwargs)

    def form_valid(self, form):
        try:
            moderation.propose_certificate(
                self.product, self.request.user, form.cleaned_data, form.cleaned_data["scan"]
            )
        except ValidationError as error:
            return self.refuse(form, " ".join(error.messages))
        messages.success(
            self.request, _("Đã gửi giấy chứng nhận, hạng sao sẽ hiện sau khi được duyệt.")
        )
        return redirect(self.product_url())


class BatchAddView(BadRequestFormMixin, OwnProductMixin, FormView):
    template_name = "vendors/upload_form.html"
    form_class = BatchForm
    for_combos = False

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "product": self.product}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Thêm lô sản xuất"), **kwargs)

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Đã thêm lô sản xuất."))
        return redirect(self.product_url())


class BatchEditView(BadRequestFormMixin, ProducerMixin, FormView):
    template_name = "vendors/upload_form.html"
    form_class = BatchForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            access.require_producer(request.user)
            self.batch = access.get_own_or_404(
                Batch.objects.select_related("product"), request.user, pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.batch}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Sửa lô %(lot)s") % {"lot": self.batch.lot_code},
            product=self.batch.product, **kwargs,
        )

    def form_valid(self, form):
        form.save()
        messages.success(self.request, _("Đã lưu lô sản xuất."))
        return redirect("vendors:product", pk=self.batch.product_id)


class BatchDeleteView(ProducerMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        batch = self.get_own(Batch.objects.all(), pk=pk)
        product_id = batch.product_id
        batch.delete()
        messages.success(request, _("Đã xoá lô sản xuất."))
        return redirect("vendors:product", pk=product_id)


# --- The producer's gift combos -----------------------------------------------------------


def _combos():
    """Gift combos (narrowed to the producer's own by ``access.own`` in every view)."""
    return Product.objects.filter(product_class__slug=combos.COMBO_CLASS_SLUG)


class ComboListView(ProducerMixin, ListView):
    template_name = "vendors/combo_list.html"
    context_object_name = "combos"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return (
            self.own(_combos())
            .prefetch_related(
                "stockrecords",
                "images",
                Prefetch(
                    "combo_components",
                    queryset=ComboComponent.objects.select_related(
                        "component__product__parent"
                    ).order_by("display_order", "pk"),
                ),
                Prefetch(
                    "change_requests",
                    queryset=ChangeRequest.objects.filter(
                        kind__in=(ChangeRequest.Kind.NEW_PRODUCT, ChangeRequest.Kind.UPDATE)
                    ).exclude(status=ChangeRequest.Status.WITHDRAWN).order_by("-pk"),
                    to_attr="publish_changes",
                ),
            )
            .order_by("-date_created", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [
            {
                "combo": combo,
                "state": combo_proposals.combo_state(combo, combo.publish_changes),
                "offer": next(iter(combo.stockrecords.all()), None),
            }
            for combo in context["combos"]
        ]
        return context


class ComboFormView(ProducerMixin, TemplateView):
    """Compose (``combo`` None) or edit a combo: the form, the components formset, the totals."""

    template_name = "vendors/combo_form.html"
    combo = None

    def initial(self):
        return {}, []

    def forms(self, data=None):
        values, pairs = self.initial()
        form = ComboForm(data, initial=values)
        formset = component_formset(
            data, vendor=self.vendor, combo=self.combo, initial=pairs,
            extra=3 if not pairs else 2,
        )
        return form, formset

    def get(self, request, *args, **kwargs):
        form, formset = self.forms()
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def post(self, request, *args, **kwargs):
        form, formset = self.forms(request.POST)
        valid = form.is_valid()
        if formset.is_valid() and valid:
            try:
                change = self.propose(form.cleaned_data, formset.items)
            except moderation.ModerationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, self.success_message(change))
                return redirect("vendors:combos")
        return self.render_to_response(
            self.get_context_data(form=form, formset=formset), status=400
        )

    def get_context_data(self, form, formset, **kwargs):
        price = _form_price(form)
        separate, saving = combo_proposals.price_summary(formset.summary_items(), price)
        return super().get_context_data(
            form=form, formset=formset, combo=self.combo, price=price,
            separate_total=separate, saving=saving, **kwargs,
        )


def _form_price(form):
    """The combo price the form holds (checked), or None."""
    if form.is_bound:
        return getattr(form, "cleaned_data", {}).get("price")
    try:
        return moderation.clean_price(form.initial.get("price") or "")
    except ValidationError:
        return None


class ComboCreateView(ComboFormView):
    def propose(self, data, items):
        return combo_proposals.propose_new_combo(self.vendor, self.request.user, data, items)

    def success_message(self, change):
        return _(
            "Đã gửi combo “%(title)s”. Combo sẽ được bán sau khi Phòng Nông nghiệp duyệt."
        ) % {"title": change.product.title}


class ComboEditView(ComboFormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            access.require_producer(request.user)
            self.combo = access.get_own_or_404(
                _combos().select_related("producer__partner", "product_class")
                .prefetch_related("stockrecords"),
                request.user, pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)

    def initial(self):
        return combo_proposals.editable(self.combo)

    def propose(self, data, items):
        return combo_proposals.propose_combo_change(self.combo, self.request.user, data, items)

    def success_message(self, change):
        if change.kind == ChangeRequest.Kind.UPDATE:
            return _(
                "Đã gửi thay đổi của combo. Khách hàng vẫn mua combo như cũ cho đến khi được duyệt."
            )
        return _("Đã lưu combo và gửi duyệt lại. Combo sẽ được bán sau khi được duyệt.")


def stock_table(stocks):
    """Rows (product, offer, [stock or None per location]) and the locations, for the stock page."""
    stocks = list(stocks)
    location_ids = {s.location_id for s in stocks}
    locations = [loc for loc in Location.objects.all() if loc.pk in location_ids]
    rows = OrderedDict()
    for stock in stocks:
        row = rows.setdefault(stock.stockrecord_id, {"offer": stock.stockrecord, "cells": {}})
        row["cells"][stock.location_id] = stock
    table = []
    for row in rows.values():
        cells = [row["cells"].get(loc.pk) for loc in locations]
        total = sum(c.quantity for c in cells if c is not None)
        table.append({"offer": row["offer"], "cells": cells, "total": total})
    return locations, table


class StockView(ProducerMixin, TemplateView):
    template_name = "vendors/stock.html"

    def get_context_data(self, **kwargs):
        stocks = self.own(
            Stock.objects.select_related("stockrecord__product", "location").order_by(
                "stockrecord__product__title", "stockrecord_id", "location__priority"
            )
        )
        locations, table = stock_table(stocks)
        return super().get_context_data(locations=locations, table=table, **kwargs)


class ChangeListView(ProducerMixin, ListView):
    template_name = "vendors/change_list.html"
    context_object_name = "changes"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return self.own(ChangeRequest.objects.select_related("product"))


class ChangeWithdrawView(ProducerMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        change = self.get_own(ChangeRequest.objects.all(), pk=pk)
        try:
            moderation.withdraw_change(change, request.user)
        except moderation.ModerationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Đã rút lại yêu cầu."))
        return redirect("vendors:changes")


def _attachment_response(change):
    """The private file of ``change``: type from its bytes, no script (catalogue.uploads)."""
    return uploads.file_response(change.attachment, f"yeu-cau-{change.pk}")


class ChangeAttachmentView(ProducerMixin, View):
    """A producer reads back a file it sent (its own requests only; 404 otherwise)."""

    def get(self, request, pk):
        return _attachment_response(self.get_own(ChangeRequest.objects.all(), pk=pk))


# --- District office ------------------------------------------------------------------


class OfficeMixin(LoginRequiredMixin):
    login_url = reverse_lazy("customer:login")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.can_review(request.user):
            raise PermissionDenied(_("Chỉ Phòng Nông nghiệp huyện được duyệt thay đổi."))
        return super().dispatch(request, *args, **kwargs)


def _review_queryset():
    return ChangeRequest.objects.select_related(
        "vendor__partner", "product__producer", "product__product_class", "created_by"
    ).prefetch_related("product__stockrecords")


class ReviewQueueView(OfficeMixin, ListView):
    template_name = "vendors/review_queue.html"
    context_object_name = "changes"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return _review_queryset().filter(status=ChangeRequest.Status.PENDING).order_by(
            "created_at", "pk"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        tables = combo_proposals.component_tables(context["changes"])
        context["items"] = [
            (c, moderation.diff_rows(c), tables.get(c.pk)) for c in context["changes"]
        ]
        return context


class ReviewView(OfficeMixin, FormView):
    template_name = "vendors/review.html"
    form_class = ReviewForm

    @cached_property
    def change(self):
        change = _review_queryset().filter(pk=self.kwargs["pk"]).first()
        if change is None:
            raise Http404(_("Không tìm thấy yêu cầu."))
        return change

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            change=self.change, rows=moderation.diff_rows(self.change),
            table=combo_proposals.component_tables([self.change]).get(self.change.pk), **kwargs,
        )

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def form_valid(self, form):
        try:
            if form.cleaned_data["decision"] == ReviewForm.APPROVE:
                moderation.apply_change(self.change, self.request.user)
                messages.success(self.request, _("Đã duyệt: khách hàng thấy thay đổi này."))
            else:
                moderation.reject_change(
                    self.change, self.request.user, form.cleaned_data["reason"]
                )
                messages.success(self.request, _("Đã từ chối, chủ thể sẽ thấy lý do."))
        except moderation.ModerationError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        return redirect("vendors:review-queue")


class ReviewAttachmentView(OfficeMixin, View):
    """The office reads the file of a request under review (403 for anyone else)."""

    def get(self, request, pk):
        change = ChangeRequest.objects.filter(pk=pk).first()
        if change is None:
            raise Http404(_("Không tìm thấy yêu cầu."))
        return _attachment_response(change)
