"""The live-session API (/live/api/) behind the control page and the overlay, and those two pages.

Thin views over :mod:`shop.live.sessions` (start, end, pin, caps and live
prices), :mod:`shop.live.overlay` (what the overlay shows) and
:mod:`shop.live.access` (who reaches what):

* a seller reaches only their own sessions; the district office reaches all;
  anybody else is refused (403), another seller's session is not found (404);
* the signed-in seller's browser authenticates with its session (CSRF on every
  change); the overlay, opened in OBS without signing in, reads its state with
  the signed token of its address (``?token=``) and nothing else;
* a refusal of the rules is a 400 in the one error body of
  :mod:`shop.api.errors`, with the rule's Vietnamese sentence as ``detail``;
* ``events/`` is a long poll: it answers as soon as what the overlay shows
  differs from ``since`` (an ``etag`` of a previous answer), or after ``wait``
  seconds (at most 25) with the unchanged state; the client asks again.
"""

from __future__ import annotations

import time

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotAuthenticated
from rest_framework.exceptions import PermissionDenied as APIPermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from shop import money
from shop.api.errors import ErrorSerializer, ValidationErrorSerializer, not_found_body
from shop.live import access, overlay, sessions
from shop.live.models import Hold, LiveOffer, LiveSession
from shop.live.views import LiveMixin

MAX_WAIT = 25  # seconds a long poll of events/ may last: the dev server is never tied up for long
POLL_STEP = 0.5  # seconds between two looks at the state during a long poll
MAX_PRICE = 10**14 - 1  # what a 14-digit price column holds

# --- shapes ----------------------------------------------------------------------------------


class PaperSerializer(serializers.Serializer):
    """The quality papers of one product (one part of a combo)."""

    product = serializers.CharField(help_text=gettext_lazy("Tên sản phẩm"))
    certificate_number = serializers.CharField(allow_null=True)
    stars = serializers.IntegerField(allow_null=True)
    certifying_body = serializers.CharField(allow_null=True)
    valid_until = serializers.DateField(allow_null=True)
    certificate_status = serializers.CharField()
    batch = serializers.CharField(allow_null=True)
    best_before = serializers.DateField(allow_null=True)
    trace_url = serializers.CharField()
    registration = serializers.CharField(allow_blank=True)


class OfferSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    product = serializers.IntegerField()
    title = serializers.CharField()
    list_price = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("Đồng"))
    list_price_text = serializers.CharField()
    live_price = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("Đồng"))
    live_price_text = serializers.CharField()
    cap = serializers.IntegerField(allow_null=True)
    sold = serializers.IntegerField()
    available = serializers.IntegerField()
    open_holds = serializers.IntegerField()
    pinned = serializers.BooleanField()
    papers = PaperSerializer(many=True)


class SessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    platform = serializers.CharField()
    # a plain string: a ChoiceField named "status" collides with other APIs' enums in the schema
    status = serializers.CharField(help_text="scheduled | live | ended | cancelled")
    status_label = serializers.CharField()
    scheduled_start = serializers.DateTimeField()
    scheduled_end = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)
    version = serializers.IntegerField()
    pinned = serializers.IntegerField(allow_null=True)


class SessionDetailSerializer(SessionSerializer):
    open_holds = serializers.IntegerField()
    offers = OfferSerializer(many=True)
    overlay_url = serializers.CharField(help_text=gettext_lazy("Địa chỉ lớp phủ (kèm mã) cho OBS"))
    control_url = serializers.CharField()


class PinnedItemSerializer(serializers.Serializer):
    offer = serializers.IntegerField()
    code = serializers.CharField()
    title = serializers.CharField()
    image_url = serializers.CharField(allow_null=True)
    price = serializers.IntegerField(allow_null=True)
    price_text = serializers.CharField(allow_blank=True)
    list_price = serializers.IntegerField(allow_null=True)
    list_price_text = serializers.CharField(allow_blank=True)
    is_live_price = serializers.BooleanField()
    available = serializers.IntegerField()
    cap = serializers.IntegerField(allow_null=True)
    sold = serializers.IntegerField()
    link_text = serializers.CharField()
    link_url = serializers.CharField()
    qr = serializers.CharField(help_text=gettext_lazy("Mã QR (data: URL, SVG)"))


class StateSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    # a plain string: a ChoiceField named "status" collides with other APIs' enums in the schema
    status = serializers.CharField(help_text="scheduled | live | ended | cancelled")
    status_label = serializers.CharField()
    is_live = serializers.BooleanField()
    version = serializers.IntegerField()
    pinned = PinnedItemSerializer(allow_null=True)
    etag = serializers.CharField()


class EventSerializer(StateSerializer):
    changed = serializers.BooleanField(help_text=gettext_lazy("Khác với since"))


class PinInput(serializers.Serializer):
    offer = serializers.IntegerField(
        allow_null=True, min_value=1, max_value=2**31 - 1,
        help_text=gettext_lazy("Sản phẩm của phiên cần ghim; null để bỏ ghim"),
    )


class OfferInput(serializers.Serializer):
    cap = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=2**31 - 1)
    live_price = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=MAX_PRICE,
    )


class TokenQuery(serializers.Serializer):
    token = serializers.CharField(required=False, max_length=300)


class EventsQuery(TokenQuery):
    since = serializers.CharField(required=False, max_length=64)
    wait = serializers.IntegerField(required=False, min_value=0, max_value=MAX_WAIT, default=20)


TOKEN_PARAMETER = OpenApiParameter(
    "token", str, description=gettext_lazy("Mã ký của địa chỉ lớp phủ (không cần đăng nhập)"),
)


# --- what the answers hold -------------------------------------------------------------------


def _money(amount):
    return money.to_int(amount) if amount is not None else None


def _papers(product):
    rows = []
    for paper in sessions.quality_papers(product):
        certificate, batch = paper["certificate"], paper["batch"]
        rows.append({
            "product": paper["product"].get_title(),
            "certificate_number": certificate.decision_number if certificate else None,
            "stars": certificate.stars if certificate else None,
            "certifying_body": certificate.certifying_body if certificate else None,
            "valid_until": certificate.valid_until if certificate else None,
            "certificate_status": str(paper["certificate_status"]),
            "batch": batch.lot_code if batch else None,
            "best_before": batch.best_before if batch else None,
            "trace_url": paper["trace_url"],
            "registration": paper["registration"] or "",
        })
    return rows


def session_offers(session):
    """The session's offers, each with its figures (and ``papers``: its quality papers)."""
    offers = list(
        LiveOffer.objects.filter(session=session)
        .select_related("product__producer", "product__product_class")
        .prefetch_related("product__stockrecords", "product__ocop_certificates")
    )
    held = dict(
        Hold.objects.filter(session=session, status=Hold.Status.OPEN)
        .values_list("offer").annotate(n=Count("pk")).values_list("offer", "n")
    )
    rows = []
    for offer in offers:
        offer.session = session
        stockrecord = next(iter(offer.product.stockrecords.all()), None)
        list_price = stockrecord.price if stockrecord is not None else None
        rows.append({
            "id": offer.pk,
            "code": offer.code,
            "product": offer.product_id,
            "title": offer.product.get_title(),
            "list_price": _money(list_price),
            "list_price_text": money.display_vnd(list_price) if list_price is not None else "",
            "live_price": _money(offer.live_price),
            "live_price_text": (money.display_vnd(offer.live_price)
                                if offer.live_price is not None else ""),
            "cap": offer.cap,
            "sold": offer.sold,
            "available": sessions.available(offer),
            "open_holds": held.get(offer.pk, 0),
            "pinned": session.pinned_id == offer.pk,
            "papers": _papers(offer.product),
        })
    return rows


def overlay_url(session, request=None):
    path = reverse("live:overlay", kwargs={"pk": session.pk}) + "?token=" + overlay.token_for(session)
    return request.build_absolute_uri(path) if request is not None else path


def session_summary(session):
    return {
        "id": session.pk,
        "title": session.title,
        "platform": session.platform,
        "status": session.status,
        "status_label": str(LiveSession.Status(session.status).label),
        "scheduled_start": session.scheduled_start,
        "scheduled_end": session.scheduled_end,
        "started_at": session.started_at,
        "ended_at": session.ended_at,
        "version": session.version,
        "pinned": session.pinned_id,
    }


def session_detail(session, request=None):
    offers = session_offers(session)
    return {
        **session_summary(session),
        "open_holds": sum(offer["open_holds"] for offer in offers),
        "offers": offers,
        "overlay_url": overlay_url(session, request),
        "control_url": reverse("live:control", kwargs={"pk": session.pk}),
    }


# --- the API ---------------------------------------------------------------------------------


class IsLiveUser(permissions.BasePermission):
    """A livestream seller, or the district office."""

    def has_permission(self, request, view):
        if not access.can_use(request.user):
            self.message = _("Trang này dành cho người bán hàng livestream.")
            return False
        return True


def refused(error):
    """A rule's ValidationError as the project's 400: its first sentence is the ``detail``."""
    if hasattr(error, "error_dict"):
        errors = {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    else:
        errors = {"non_field_errors": [str(m) for m in error.messages]}
    first = next(iter(errors.values()))[0]
    return Response({"detail": first, "code": "invalid", "errors": errors},
                    status=status.HTTP_400_BAD_REQUEST)


class LiveAPIView(APIView):
    # The seller's browser session, CSRF enforced on changes; no tokens (the overlay's excepted).
    authentication_classes = [SessionAuthentication]
    permission_classes = [permissions.IsAuthenticated, IsLiveUser]

    def session(self, pk):
        return access.get_own_or_404(LiveSession.objects.select_related("seller"),
                                     self.request.user, pk=pk)

    def detail(self, session):
        data = session_detail(session, self.request)
        return Response(SessionDetailSerializer(data).data)


@extend_schema(tags=["live"])
class SessionListView(LiveAPIView):
    @extend_schema(responses=SessionSerializer(many=True),
                   summary=gettext_lazy("Các phiên livestream của tôi"))
    def get(self, request):
        rows = access.own(LiveSession.objects.all(), request.user).order_by(
            "-scheduled_start", "-pk")[:200]
        return Response(SessionSerializer([session_summary(s) for s in rows], many=True).data)


@extend_schema(tags=["live"])
class SessionDetailView(LiveAPIView):
    @extend_schema(responses=SessionDetailSerializer,
                   summary=gettext_lazy("Một phiên: sản phẩm, số liệu, giấy tờ chất lượng"))
    def get(self, request, pk):
        return self.detail(self.session(pk))


class _TransitionView(LiveAPIView):
    rule = None

    def post(self, request, pk):
        session = self.session(pk)
        try:
            session = type(self).rule(session)
        except DjangoValidationError as error:
            return refused(error)
        return self.detail(session)


@extend_schema(tags=["live"])
class StartView(_TransitionView):
    rule = sessions.start

    @extend_schema(request=None, responses=SessionDetailSerializer,
                   summary=gettext_lazy("Bắt đầu phát"))
    def post(self, request, pk):
        return super().post(request, pk)


@extend_schema(tags=["live"])
class EndView(_TransitionView):
    rule = sessions.end

    @extend_schema(request=None, responses=SessionDetailSerializer,
                   summary=gettext_lazy("Kết thúc phiên"))
    def post(self, request, pk):
        return super().post(request, pk)


@extend_schema(tags=["live"])
class PinView(LiveAPIView):
    @extend_schema(request=PinInput, responses=SessionDetailSerializer,
                   summary=gettext_lazy("Ghim (hoặc bỏ ghim) một sản phẩm lên lớp phủ"))
    def post(self, request, pk):
        session = self.session(pk)
        data = PinInput(data=request.data)
        data.is_valid(raise_exception=True)
        offer = None
        if data.validated_data["offer"] is not None:
            offer = LiveOffer.objects.filter(session=session, pk=data.validated_data["offer"]).first()
            if offer is None:
                return refused(DjangoValidationError({"offer": _("Sản phẩm không thuộc phiên này.")}))
        try:
            session = sessions.pin(session, offer)
        except DjangoValidationError as error:
            return refused(error)
        return self.detail(session)


@extend_schema(tags=["live"])
class OfferView(LiveAPIView):
    @extend_schema(request=OfferInput, responses=OfferSerializer,
                   summary=gettext_lazy("Đổi giới hạn số lượng hoặc giá live của một sản phẩm"))
    def patch(self, request, pk, offer_pk):
        session = self.session(pk)
        offer = get_object_or_404(LiveOffer.objects.select_related("product"),
                                  session=session, pk=offer_pk)
        offer.session = session
        data = OfferInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            sessions.update_offer(
                offer,
                live_price=values.get("live_price", offer.live_price),
                cap=values.get("cap", offer.cap),
            )
        except DjangoValidationError as error:
            return refused(error)
        session.refresh_from_db()
        row = next(row for row in session_offers(session) if row["id"] == offer.pk)
        return Response(OfferSerializer(row).data)


class OverlayReadView(APIView):
    """Read by the seller (session) or by the overlay's signed token; nobody else."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [permissions.AllowAny]
    query_serializer = TokenQuery

    def readable_session(self, request, pk):
        query = self.query_serializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        token = query.validated_data.get("token")
        if token and overlay.session_pk_from_token(token) == pk:
            return get_object_or_404(LiveSession, pk=pk), query.validated_data
        if access.can_use(request.user):
            return access.get_own_or_404(LiveSession.objects.all(), request.user, pk=pk), \
                query.validated_data
        if token:
            raise APIPermissionDenied(_("Mã xem lớp phủ không đúng."))
        if not request.user.is_authenticated:
            raise NotAuthenticated()
        raise APIPermissionDenied(_("Trang này dành cho người bán hàng livestream."))


OVERLAY_ERRORS = {
    403: OpenApiResponse(ErrorSerializer, gettext_lazy("Không có mã xem lớp phủ hợp lệ, chưa đăng nhập "
                                                      "hoặc không phải người bán.")),
    404: OpenApiResponse(ErrorSerializer, gettext_lazy("Không tìm thấy.")),
    400: OpenApiResponse(ValidationErrorSerializer, gettext_lazy("Dữ liệu gửi lên chưa hợp lệ.")),
}


@extend_schema(tags=["live"])
class StateView(OverlayReadView):
    @extend_schema(parameters=[TOKEN_PARAMETER], responses={200: StateSerializer, **OVERLAY_ERRORS},
                   summary=gettext_lazy("Những gì lớp phủ đang hiện"))
    def get(self, request, pk):
        session, _query = self.readable_session(request, pk)
        return Response(StateSerializer(overlay.state(session, request)).data)


@extend_schema(tags=["live"])
class EventsView(OverlayReadView):
    query_serializer = EventsQuery

    @extend_schema(
        parameters=[
            TOKEN_PARAMETER,
            OpenApiParameter("since", str, description=gettext_lazy(
                "etag của lần trả lời trước: chỉ trả lời khi lớp phủ đổi (hoặc hết thời gian chờ)")),
            OpenApiParameter("wait", int, description=gettext_lazy(
                "Số giây chờ thay đổi nhiều nhất (0–25, mặc định 20)")),
        ],
        responses={200: EventSerializer, **OVERLAY_ERRORS},
        summary=gettext_lazy("Chờ lớp phủ thay đổi (long polling)"),
    )
    def get(self, request, pk):
        session, query = self.readable_session(request, pk)
        since = query.get("since")
        deadline = time.monotonic() + (query["wait"] if since else 0)
        while True:
            data = overlay.state(session, request)
            changed = data["etag"] != since
            if changed or time.monotonic() + POLL_STEP > deadline:
                return Response(EventSerializer({**data, "changed": changed}).data)
            time.sleep(POLL_STEP)


def api_not_found(request, *args, **kwargs):
    """An address under /live/api/ that names nothing: the APIs' JSON 404, not the shop's page."""
    return JsonResponse(not_found_body(), status=404, json_dumps_params={"ensure_ascii": False})


# --- the two pages ---------------------------------------------------------------------------


class ControlPageView(LiveMixin, TemplateView):
    """The seller's phone-sized control page: start, end, pin, caps, figures, quality papers."""

    template_name = "live/control.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        session = access.get_own_or_404(
            LiveSession.objects.select_related("seller"), self.request.user, pk=self.kwargs["pk"])
        detail = session_detail(session, self.request)
        context.update({
            "session": session,
            "detail": detail,
            "offers": detail["offers"],
            "overlay_url": detail["overlay_url"],
        })
        return context


class OverlayPageView(TemplateView):
    """The overlay for OBS or a phone's screen: transparent, the pinned item, following the control page."""

    template_name = "live/overlay.html"

    def dispatch(self, request, *args, **kwargs):
        pk = kwargs["pk"]
        token = request.GET.get("token", "")
        if token and overlay.session_pk_from_token(token) == pk:
            self.live_session = get_object_or_404(LiveSession, pk=pk)
        elif access.can_use(request.user):
            self.live_session = access.get_own_or_404(LiveSession.objects.all(), request.user, pk=pk)
            token = overlay.token_for(self.live_session)
        elif token or request.user.is_authenticated:
            raise PermissionDenied(_("Mã xem lớp phủ không đúng."))
        else:
            return redirect_to_login(request.get_full_path())
        self.token = token
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update({
            "session": self.live_session,
            "state": overlay.state(self.live_session, self.request),
            "token": self.token,
            "state_url": reverse("live:api-state", kwargs={"pk": self.live_session.pk}),
        })
        return context
