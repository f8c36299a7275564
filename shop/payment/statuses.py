"""Order status names (Vietnamese stored values; see OSCAR_ORDER_STATUS_PIPELINE)."""

AWAITING_PAYMENT = "Chờ thanh toán"
PROCESSING = "Chờ xử lý"
SHIPPING = "Đang giao"
READY_TO_COLLECT = "Sẵn sàng nhận hàng"
SHIPPED = "Đã giao"
COLLECTED = "Đã nhận hàng"
CANCELLED = "Đã huỷ"

# The shopper may cancel while the order has not left (and nothing was paid).
SHOPPER_CANCELLABLE = (AWAITING_PAYMENT, PROCESSING)
