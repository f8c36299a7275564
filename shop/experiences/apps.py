from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExperiencesConfig(AppConfig):
    name = "shop.experiences"
    label = "experiences"
    verbose_name = _("Trải nghiệm du lịch cộng đồng")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import signals, tasks

        signals.connect()  # an order's payment reaches its bookings
        tasks.connect()  # a new booking with an email gets its voucher email, once
        from django.db.models.signals import post_delete, post_save
        from oscar.core.loading import get_model

        from .places import forget_class_ids

        # which classes are experiences is cached: any class saved or deleted forgets it
        product_class = get_model("catalogue", "ProductClass")
        post_save.connect(forget_class_ids, sender=product_class,
                          dispatch_uid="experiences_forget_class_ids")
        post_delete.connect(forget_class_ids, sender=product_class,
                            dispatch_uid="experiences_forget_class_ids_delete")
