import django.db.models.deletion
from django.db import migrations, models

import shop.checkout.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("order", "0021_billingaddress_code_shippingaddress_code"),
    ]

    operations = [
        migrations.CreateModel(
            name="GiftOptions",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False,
                                           verbose_name="ID")),
                ("gift_wrap", models.BooleanField(default=False, verbose_name="Gói quà")),
                ("message", models.TextField(
                    blank=True, max_length=300,
                    validators=[shop.checkout.models.validate_no_control_chars],
                    verbose_name="Lời nhắn trên thiệp")),
                ("recipient_name", models.CharField(blank=True, max_length=255,
                                                    verbose_name="Tên người nhận quà")),
                ("recipient_phone", models.CharField(blank=True, max_length=32,
                                                     verbose_name="Số điện thoại người nhận")),
                ("created", models.DateTimeField(auto_now_add=True)),
                ("order", models.OneToOneField(
                    on_delete=django.db.models.deletion.CASCADE, related_name="gift_options",
                    to="order.order", verbose_name="Đơn hàng")),
            ],
            options={"verbose_name": "Tuỳ chọn quà tặng",
                     "verbose_name_plural": "Tuỳ chọn quà tặng"},
        ),
    ]
