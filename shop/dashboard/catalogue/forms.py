from django.utils.translation import gettext_lazy as _
from oscar.apps.dashboard.catalogue.forms import *  # noqa: F401,F403
from oscar.apps.dashboard.catalogue.forms import StockRecordForm as CoreStockRecordForm

READ_ONLY_HELP = _(
    "Tính từ tồn kho các điểm bán; nhập hàng, chuyển kho, kiểm kê tại trang Tồn kho."
)


class StockRecordForm(CoreStockRecordForm):
    """Stock figures are derived by showroom.inventory: shown, never written here."""

    def __init__(self, product_class, user, *args, **kwargs):
        super().__init__(product_class, user, *args, **kwargs)
        field = self.fields.get("num_in_stock")
        if field is not None:
            field.disabled = True
            field.required = False
            field.help_text = READ_ONLY_HELP
            if self.instance.pk is None:
                self.initial["num_in_stock"] = 0
