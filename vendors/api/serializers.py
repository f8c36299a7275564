"""Serializers of the producer API. Input is validated by the same forms as the pages."""

from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model
from rest_framework import serializers

from catalogue.images import validate_image_upload, validate_scan_upload
from showroom.models import Stock
from vendors import moderation
from vendors.forms import BatchForm, CertificateForm, ProductForm
from vendors.models import ChangeRequest, RevenueShare

Product = get_model("catalogue", "Product")
ProductImage = get_model("catalogue", "ProductImage")
OcopCertificate = get_model("catalogue", "OcopCertificate")
Batch = get_model("catalogue", "Batch")
Line = get_model("order", "Line")


def form_errors(form):
    """A Django form's errors as DRF's {field: [messages]} (non-field errors keyed as DRF does)."""
    return {
        ("non_field_errors" if name == "__all__" else name): list(messages)
        for name, messages in form.errors.items()
    }


def _as_form_data(attrs):
    return {
        name: ("" if value is None else getattr(value, "pk", value))
        for name, value in attrs.items()
    }


class ChangeRequestSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    has_attachment = serializers.SerializerMethodField()

    class Meta:
        model = ChangeRequest
        fields = [
            "id", "product", "kind", "kind_display", "status", "status_display", "proposed",
            "previous", "has_attachment", "reason", "created_at", "reviewed_at",
        ]
        read_only_fields = fields

    def get_has_attachment(self, obj) -> bool:
        return bool(obj.attachment)


class ImageSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProductImage
        fields = ["id", "original", "caption", "display_order"]
        read_only_fields = fields


class ProductSerializer(serializers.ModelSerializer):
    """A product as it is live now (pending changes are listed separately)."""

    price = serializers.SerializerMethodField(help_text=_("Giá đang bán (đồng), null nếu chưa có."))
    images = ImageSerializer(many=True, read_only=True)
    pending_changes = serializers.SerializerMethodField()

    class Meta:
        model = Product
        fields = [
            "id", *moderation.PRODUCT_FIELDS, "price", "is_public", "ocop_stars", "upc",
            "images", "pending_changes",
        ]
        read_only_fields = fields

    def get_price(self, obj) -> int | None:
        offer = moderation.offer_of(obj)
        return int(offer.price) if offer is not None and offer.price is not None else None

    def get_pending_changes(self, obj) -> int:
        pending = getattr(obj, "pending_changes", None)
        if pending is None:
            pending = obj.change_requests.filter(status=ChangeRequest.Status.PENDING)
        return len(pending)


class ProductProposalSerializer(serializers.Serializer):
    """A new product or new values of one; answers with the change request it creates.

    A new product (POST) and a whole replacement (PUT) need ``title`` and ``price``,
    as the producer's form does; for an update send only what changes (PATCH): the
    rest keeps its live value.
    """

    title = serializers.CharField(max_length=255)
    description = serializers.CharField(required=False, allow_blank=True)
    product_story = serializers.CharField(required=False, allow_blank=True)
    ingredients = serializers.CharField(required=False, allow_blank=True)
    usage = serializers.CharField(required=False, allow_blank=True)
    storage = serializers.CharField(required=False, allow_blank=True)
    shelf_life = serializers.CharField(max_length=128, required=False, allow_blank=True)
    net_quantity = serializers.CharField(max_length=64, required=False, allow_blank=True)
    growing_area_code = serializers.CharField(max_length=64, required=False, allow_blank=True)
    price = serializers.CharField(
        max_length=20, help_text=_("Giá bán bằng đồng, ví dụ \"150000\"."),
    )
    category = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("Nhóm sản phẩm (chỉ khi tạo mới)."),
    )

    def validate(self, attrs):
        product = self.context.get("product")
        data = moderation.editable_values(product) if product is not None else {}
        data.update(_as_form_data(attrs))
        form = ProductForm(data=data, with_category=product is None)
        if not form.is_valid():
            raise serializers.ValidationError(form_errors(form))
        return form.cleaned_data


class PhotoUploadSerializer(serializers.Serializer):
    original = serializers.FileField(validators=[validate_image_upload])
    caption = serializers.CharField(max_length=200, required=False, allow_blank=True)


class CertificateSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True)

    class Meta:
        model = OcopCertificate
        fields = [
            "id", "product", *moderation.CERTIFICATE_FIELDS, "valid_until", "revoked_on",
            "status",
        ]
        read_only_fields = fields


class CertificateProposalSerializer(serializers.Serializer):
    stars = serializers.IntegerField()
    score = serializers.IntegerField()
    rating_level = serializers.ChoiceField(
        choices=OcopCertificate._meta.get_field("rating_level").choices
    )
    certifying_body = serializers.CharField(max_length=255)
    decision_number = serializers.CharField(max_length=64)
    decision_date = serializers.DateField()
    scan = serializers.FileField(validators=[validate_scan_upload])

    def validate(self, attrs):
        data = _as_form_data({k: v for k, v in attrs.items() if k != "scan"})
        form = CertificateForm(
            data=data, files={"scan": attrs["scan"]}, product=self.context["product"]
        )
        if not form.is_valid():
            raise serializers.ValidationError(form_errors(form))
        return form.cleaned_data


class BatchSerializer(serializers.ModelSerializer):
    class Meta:
        model = Batch
        fields = [
            "id", "product", "lot_code", "production_date", "best_before", "quantity",
            "growing_area_code",
        ]
        read_only_fields = ["id", "product"]

    def validate(self, attrs):
        instance = self.instance
        product = instance.product if instance is not None else self.context["product"]
        data = {}
        if instance is not None:
            data = {name: getattr(instance, name) for name in BatchForm.Meta.fields}
        data.update(attrs)
        form = BatchForm(data=_as_form_data(data), instance=instance, product=product)
        if not form.is_valid():
            raise serializers.ValidationError(form_errors(form))
        self._form = form
        return attrs

    def save(self, **kwargs):
        self.instance = self._form.save()
        return self.instance


class StockSerializer(serializers.ModelSerializer):
    location = serializers.CharField(source="location.code", read_only=True)
    location_name = serializers.CharField(source="location.name", read_only=True)
    product = serializers.IntegerField(source="stockrecord.product_id", read_only=True)
    product_title = serializers.CharField(source="stockrecord.product.title", read_only=True)

    class Meta:
        model = Stock
        fields = [
            "id", "location", "location_name", "product", "product_title", "quantity",
            "quantity_allocated", "needs_reconciliation",
        ]
        read_only_fields = fields


class RevenueShareSerializer(serializers.ModelSerializer):
    order_number = serializers.CharField(source="line.order.number", read_only=True)
    order_status = serializers.CharField(source="line.order.status", read_only=True)
    date_placed = serializers.DateTimeField(source="line.order.date_placed", read_only=True)

    class Meta:
        model = RevenueShare
        fields = [
            "id", "order_number", "order_status", "date_placed", "product", "title",
            "combo_title", "quantity", "list_price", "amount",
        ]
        read_only_fields = fields


class SaleLineSerializer(serializers.ModelSerializer):
    order_number = serializers.CharField(source="order.number", read_only=True)
    date_placed = serializers.DateTimeField(source="order.date_placed", read_only=True)

    class Meta:
        model = Line
        fields = [
            "id", "order_number", "date_placed", "product", "title", "partner_sku", "quantity",
            "line_price_incl_tax", "status",
        ]
        read_only_fields = fields
