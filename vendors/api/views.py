"""The producer API: own products, photos, certificates, batches, stock, sales, change requests.

Every queryset goes through ``vendors.access.own`` (:class:`OwnQuerysetMixin`):
another producer's object is not found (404). Proposals answer 202 Accepted
with the change request; nothing is visible to shoppers before approval.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from oscar.core.loading import get_model
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from catalogue import combos
from shop.api.pagination import StrictPageNumberPagination
from showroom.models import Stock
from vendors import access, moderation, tokens
from vendors.api import serializers as s
from vendors.models import ChangeRequest, RevenueShare

Product = get_model("catalogue", "Product")
OcopCertificate = get_model("catalogue", "OcopCertificate")
Batch = get_model("catalogue", "Batch")
Category = get_model("catalogue", "Category")
Line = get_model("order", "Line")


class IsProducer(permissions.BasePermission):
    """Signed in (session or token) as a user of a producer (Partner with a Vendor)."""

    message = _("Chỉ tài khoản của chủ thể OCOP được dùng API này.")

    def has_permission(self, request, view):
        return access.is_producer(request.user)


class Pagination(StrictPageNumberPagination):
    """50 rows a page, ``?page_size=`` up to 100; a page or size it cannot use is a 400."""

    page_size = 50
    max_page_size = 100


class OwnQuerysetMixin:
    """Narrows ``queryset`` to the requesting producer's rows — the API's only data door."""

    authentication_classes = tokens.TOKEN_AUTHENTICATION  # session or a producer's token
    permission_classes = [permissions.IsAuthenticated, IsProducer]
    pagination_class = Pagination

    def get_queryset(self):
        return access.own(self.queryset.all(), self.request.user)


def _accepted(change):
    return Response(s.ChangeRequestSerializer(change).data, status=status.HTTP_202_ACCEPTED)


def _refuse(error):
    raise ValidationError({"non_field_errors": [str(error)]})


def _not_a_combo(product):
    if combos.is_combo(product):
        _refuse(_("Combo quà tặng không có giấy chứng nhận OCOP hay lô sản xuất riêng: "
                  "đó là của từng thành phần."))


@extend_schema(tags=["producer"])
@extend_schema_view(
    list=extend_schema(summary=_("Sản phẩm của tôi")),
    retrieve=extend_schema(summary=_("Một sản phẩm của tôi")),
)
class ProductViewSet(
    OwnQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    queryset = (
        Product.objects.select_related("producer")
        .prefetch_related(
            "stockrecords",
            "images",
            # pending changes, counted per product without a query each
            Prefetch(
                "change_requests",
                queryset=ChangeRequest.objects.filter(status=ChangeRequest.Status.PENDING),
                to_attr="pending_changes",
            ),
        )
        .order_by("title", "pk")
    )
    serializer_class = s.ProductSerializer
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        summary=_("Đề nghị sản phẩm mới (ẩn cho đến khi được duyệt)"),
        request=s.ProductProposalSerializer,
        responses={202: s.ChangeRequestSerializer},
    )
    def create(self, request, *args, **kwargs):
        serializer = s.ProductProposalSerializer(data=request.data, context={"product": None})
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        try:
            change = moderation.propose_new_product(
                access.require_producer(request.user), request.user, data,
                category=data.get("category"),
            )
        except moderation.ModerationError as error:
            _refuse(error)
        return _accepted(change)

    @extend_schema(
        summary=_("Đề nghị sửa thông tin hoặc giá (áp dụng khi được duyệt)"),
        request=s.ProductProposalSerializer,
        responses={202: s.ChangeRequestSerializer},
    )
    def partial_update(self, request, *args, **kwargs):
        return self._propose_update(request, partial=True)

    @extend_schema(
        summary=_("Đề nghị thay toàn bộ thông tin và giá (áp dụng khi được duyệt)"),
        request=s.ProductProposalSerializer,
        responses={202: s.ChangeRequestSerializer},
    )
    def update(self, request, *args, **kwargs):
        return self._propose_update(request, partial=False)

    def _propose_update(self, request, partial):
        product = self.get_object()
        serializer = s.ProductProposalSerializer(
            data=request.data, partial=partial, context={"product": product}
        )
        serializer.is_valid(raise_exception=True)
        try:
            change = moderation.propose_update(product, request.user, serializer.validated_data)
        except moderation.ModerationError as error:
            _refuse(error)
        return _accepted(change)

    @extend_schema(
        summary=_("Gửi ảnh sản phẩm (hiện khi được duyệt)"),
        request={"multipart/form-data": s.PhotoUploadSerializer},
        responses={202: s.ChangeRequestSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def photos(self, request, pk=None):
        product = self.get_object()
        serializer = s.PhotoUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        change = moderation.propose_photo(
            product, request.user, serializer.validated_data["original"],
            serializer.validated_data.get("caption", ""),
        )
        return _accepted(change)

    @extend_schema(
        summary=_("Gửi giấy chứng nhận OCOP kèm bản scan (hiện khi được duyệt)"),
        request={"multipart/form-data": s.CertificateProposalSerializer},
        responses={202: s.ChangeRequestSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def certificates(self, request, pk=None):
        product = self.get_object()
        _not_a_combo(product)
        serializer = s.CertificateProposalSerializer(
            data=request.data, context={"product": product}
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        change = moderation.propose_certificate(product, request.user, data, data["scan"])
        return _accepted(change)

    @extend_schema(
        summary=_("Thêm lô sản xuất"),
        request=s.BatchSerializer,
        responses={201: s.BatchSerializer},
    )
    @action(detail=True, methods=["post"], url_path="batches")
    def add_batch(self, request, pk=None):
        product = self.get_object()
        _not_a_combo(product)
        serializer = s.BatchSerializer(data=request.data, context={"product": product})
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(serializer.data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["producer"])
class CertificateViewSet(OwnQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Certificates of my products (new ones are proposed on a product: POST products/{id}/certificates/)."""

    queryset = OcopCertificate.objects.select_related("product").prefetch_related(
        "product__ocop_certificates"
    )
    serializer_class = s.CertificateSerializer


@extend_schema(tags=["producer"])
class BatchViewSet(
    OwnQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Production lots of my products (add one on a product: POST products/{id}/batches/)."""

    queryset = Batch.objects.select_related("product")
    serializer_class = s.BatchSerializer


@extend_schema(tags=["producer"])
class StockViewSet(OwnQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """My stock at every sales point (read only; the inventory is kept by the showroom)."""

    queryset = Stock.objects.select_related("location", "stockrecord__product").order_by(
        "stockrecord__product__title", "location__priority", "pk"
    )
    serializer_class = s.StockSerializer


@extend_schema(tags=["producer"])
class SaleViewSet(OwnQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """Order lines of my products: online orders and till sales."""

    queryset = Line.objects.select_related("order").order_by("-order__date_placed", "-pk")
    serializer_class = s.SaleLineSerializer


@extend_schema(tags=["producer"])
class ShareViewSet(OwnQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """What I earned from each sold line, my share of gift combos included (vendors.settlement)."""

    queryset = RevenueShare.objects.select_related("line__order").order_by(
        "-line__order__date_placed", "-line_id", "pk"
    )
    serializer_class = s.RevenueShareSerializer


@extend_schema(tags=["producer"])
class ChangeRequestViewSet(OwnQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    """My change requests, their status and the office's reason."""

    queryset = ChangeRequest.objects.all()
    serializer_class = s.ChangeRequestSerializer

    @extend_schema(summary=_("Rút lại yêu cầu đang chờ"), request=None,
                   responses={200: s.ChangeRequestSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        change = self.get_object()
        try:
            change = moderation.withdraw_change(change, request.user)
        except moderation.ModerationError as error:
            _refuse(error)
        return Response(s.ChangeRequestSerializer(change).data)
