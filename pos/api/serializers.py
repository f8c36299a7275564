"""Shapes of the till API (for the OpenAPI schema and the responses).

Input is checked by the rules (``pos.sales``, ``pos.returns``, ``pos.sessions``)
so that every refusal carries the same Vietnamese message wherever it comes
from; the input serializers here document the shape.
"""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from pos.models import (
    CashMovement,
    Register,
    Tender,
    TenderKind,
    TillReturn,
    TillSaleLine,
    TillSession,
)

# --- input (documentation) -------------------------------------------------------


class TillOpenSessionInput(serializers.Serializer):
    opening_float = serializers.IntegerField(min_value=0, help_text="Tiền đầu ca (đồng)")


class TillCloseSessionInput(serializers.Serializer):
    counted_cash = serializers.IntegerField(min_value=0, help_text="Tiền mặt đếm được (đồng)")
    note = serializers.CharField(required=False, allow_blank=True)


class TillCashMovementInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=CashMovement.Kind.choices)
    amount = serializers.IntegerField(min_value=1)
    reason = serializers.CharField()


class TillSaleLineInput(serializers.Serializer):
    stockrecord = serializers.IntegerField(help_text="Mặt hàng (StockRecord) trong danh mục")
    quantity = serializers.IntegerField(min_value=1)
    unit_price = serializers.IntegerField(
        required=False, help_text="Đơn giá máy quầy đang hiển thị (chỉ để đối chiếu)"
    )
    discount_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, min_value=0, max_value=100
    )


class TillTenderInput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=TenderKind.choices)
    amount = serializers.IntegerField(required=False, help_text="VietQR / thẻ: số tiền chính xác")
    tendered = serializers.IntegerField(required=False, help_text="Tiền mặt: số khách đưa")
    reference = serializers.CharField(required=False, allow_blank=True)


class TillApprovalInput(serializers.Serializer):
    manager = serializers.CharField(help_text="Tên đăng nhập của quản lý")
    pin = serializers.CharField(required=False)
    password = serializers.CharField(required=False)


class TillSaleInput(serializers.Serializer):
    client_uuid = serializers.UUIDField(help_text="Mã do máy quầy tạo; gửi lại bao nhiêu lần cũng chỉ ghi một hoá đơn")
    session = serializers.IntegerField()
    lines = TillSaleLineInput(many=True)
    tenders = TillTenderInput(many=True)
    order_discount_percent = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    client_total = serializers.IntegerField(required=False, help_text="Tổng máy quầy hiển thị cho khách")
    approval = TillApprovalInput(required=False)
    offline = serializers.BooleanField(required=False, help_text="Bán lúc mất mạng, gửi từ hàng đợi")
    rung_at = serializers.DateTimeField(required=False)
    buyer_name = serializers.CharField(required=False, allow_blank=True, help_text="Hoá đơn điện tử: người mua")
    buyer_company = serializers.CharField(required=False, allow_blank=True, help_text="Tên đơn vị mua")
    buyer_tax_code = serializers.CharField(
        required=False, allow_blank=True,
        help_text="Mã số thuế đơn vị (10 số, chi nhánh 10 số-3 số) hoặc số định danh 12 số; sai thì 400 bad_tax_code",
    )
    buyer_address = serializers.CharField(required=False, allow_blank=True)
    buyer_email = serializers.EmailField(required=False, allow_blank=True)


class TillReturnLineInput(serializers.Serializer):
    line = serializers.IntegerField(help_text="Dòng của hoá đơn gốc")
    quantity = serializers.IntegerField(min_value=1)
    damaged = serializers.BooleanField(required=False)


class TillReturnInput(serializers.Serializer):
    session = serializers.IntegerField()
    lines = TillReturnLineInput(many=True)
    refund_kind = serializers.ChoiceField(choices=TenderKind.choices)
    reason = serializers.CharField(required=False, allow_blank=True)
    client_uuid = serializers.UUIDField(required=False)


# --- output ----------------------------------------------------------------------


class TillOfferSerializer(serializers.Serializer):
    stockrecord = serializers.IntegerField()
    product = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    code = serializers.CharField()
    price = serializers.IntegerField()
    stars = serializers.IntegerField(allow_null=True)
    producer = serializers.CharField()
    on_hand = serializers.IntegerField(allow_null=True)
    search = serializers.CharField()
    tile = serializers.BooleanField(help_text="Hiện thành ô bấm (combo, hàng không mã vạch)")
    group = serializers.CharField(help_text="Nhóm sản phẩm OCOP")
    image = serializers.CharField(help_text="Ảnh nhỏ của ô, rỗng khi không có")


class TillOfferSearchSerializer(serializers.Serializer):
    results = TillOfferSerializer(many=True)


class TillCatalogueSerializer(serializers.Serializer):
    offers = TillOfferSerializer(many=True)


class TillSessionSerializer(serializers.ModelSerializer):
    cashier = serializers.CharField(source="cashier.get_username")

    class Meta:
        model = TillSession
        fields = ["id", "register", "cashier", "status", "opening_float", "opened_at",
                  "closed_at", "counted_cash", "expected_cash"]


class TillRegisterSerializer(serializers.ModelSerializer):
    location = serializers.CharField(source="location.name")
    open_session = serializers.SerializerMethodField()

    class Meta:
        model = Register
        fields = ["id", "code", "name", "location", "open_session"]

    @extend_schema_field(TillSessionSerializer(allow_null=True))
    def get_open_session(self, register):
        session = getattr(register, "current_session", None)
        return TillSessionSerializer(session).data if session else None


class TillRegisterListSerializer(serializers.Serializer):
    user = serializers.CharField(help_text="Tên đăng nhập của thu ngân")
    discount_limit = serializers.DecimalField(
        max_digits=5, decimal_places=2, help_text="Phần trăm giảm giá tối đa được tự cho"
    )
    registers = TillRegisterSerializer(many=True)


class TillZReportSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    register = serializers.CharField()
    location = serializers.CharField()
    status = serializers.CharField()
    opened_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    opening_float = serializers.IntegerField()
    sales_count = serializers.IntegerField()
    sales_subtotal = serializers.IntegerField()
    sales_total = serializers.IntegerField()
    line_discounts = serializers.IntegerField()
    order_discounts = serializers.IntegerField()
    discounts = serializers.IntegerField()
    cash_rounding = serializers.IntegerField()
    price_difference = serializers.IntegerField()
    late_sales = serializers.IntegerField()
    tenders = serializers.DictField(child=serializers.IntegerField())
    returns_count = serializers.IntegerField()
    refunds = serializers.DictField(child=serializers.IntegerField())
    returns_total = serializers.IntegerField()
    cash_in = serializers.IntegerField()
    cash_out = serializers.IntegerField()
    expected_cash = serializers.IntegerField()
    counted_cash = serializers.IntegerField(allow_null=True)
    variance = serializers.IntegerField(allow_null=True)
    expected_cash_at_close = serializers.IntegerField(allow_null=True)


class TillSaleLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = TillSaleLine
        fields = ["id", "stockrecord", "product", "title", "code", "ocop_stars", "quantity",
                  "unit_price", "discount_percent", "discount", "order_discount_share",
                  "net_total"]


class TillTenderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Tender
        fields = ["kind", "amount", "tendered", "change", "reference"]


class TillSaleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    client_uuid = serializers.UUIDField()
    receipt = serializers.CharField(source="receipt_label")
    receipt_number = serializers.IntegerField()
    order_number = serializers.CharField(source="order.number")
    register = serializers.CharField(source="register.code")
    location = serializers.CharField(source="location.name")
    session = serializers.IntegerField(source="session_id")
    cashier = serializers.CharField(source="cashier.get_username")
    subtotal = serializers.IntegerField()
    line_discount_total = serializers.IntegerField()
    order_discount_percent = serializers.DecimalField(max_digits=5, decimal_places=2)
    order_discount = serializers.IntegerField()
    total = serializers.IntegerField()
    cash_rounding = serializers.IntegerField()
    paid_total = serializers.IntegerField()
    change_due = serializers.IntegerField()
    client_total = serializers.IntegerField(allow_null=True)
    price_difference = serializers.IntegerField()
    price_differences = serializers.JSONField()
    review_notes = serializers.JSONField()
    was_offline = serializers.BooleanField()
    rung_at = serializers.DateTimeField()
    lines = TillSaleLineSerializer(many=True)
    tenders = TillTenderSerializer(many=True)
    receipt_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    def get_receipt_url(self, sale) -> str:
        return reverse("pos:receipt", args=[sale.pk])

    def get_pdf_url(self, sale) -> str:
        return reverse("pos:receipt-pdf", args=[sale.pk])


class TillSaleForReturnSerializer(TillSaleSerializer):
    returned = serializers.DictField(
        child=serializers.IntegerField(), help_text="Số lượng đã trả theo dòng hoá đơn"
    )
    refund_kinds = serializers.ListField(child=serializers.ChoiceField(choices=TenderKind.choices))


class TillSaleResultSerializer(TillSaleSerializer):
    created = serializers.BooleanField(help_text="false khi hoá đơn này đã được ghi trước đó")


class TillReturnSerializer(serializers.ModelSerializer):
    refund_paid = serializers.IntegerField()
    lines = serializers.SerializerMethodField()

    class Meta:
        model = TillReturn
        fields = ["id", "client_uuid", "sale", "session", "refund_kind", "refund_total",
                  "cash_rounding", "refund_paid", "reason", "created_at", "lines"]

    def get_lines(self, till_return) -> list:
        return [
            {"line": rl.sale_line_id, "quantity": rl.quantity, "amount": int(rl.amount),
             "damaged": rl.damaged}
            for rl in till_return.lines.all()
        ]


class TillCashMovementSerializer(serializers.ModelSerializer):
    class Meta:
        model = CashMovement
        fields = ["id", "session", "kind", "amount", "reason", "created_at"]


class TillVietQRSerializer(serializers.Serializer):
    amount = serializers.IntegerField()
    reference = serializers.CharField()
    payload = serializers.CharField()
    svg = serializers.CharField()
