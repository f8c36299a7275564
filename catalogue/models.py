from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import AbstractProduct

from catalogue.search import product_search_text


class Product(AbstractProduct):
    """An OCOP product: who makes it, where it comes from, how many stars it holds."""

    producer = models.ForeignKey(
        "vendors.Vendor",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("Chủ thể OCOP"),
    )
    origin_unit = models.ForeignKey(
        "vendors.AdministrativeUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Xã xuất xứ"),
    )
    ocop_stars = models.PositiveSmallIntegerField(
        _("Hạng sao OCOP"),
        null=True,
        blank=True,
        validators=[MinValueValidator(3), MaxValueValidator(5)],
        help_text=_("Hạng sao đang còn hiệu lực (3–5), để trống nếu chưa được công nhận."),
    )
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta(AbstractProduct.Meta):
        pass

    def save(self, *args, **kwargs):
        self.search_text = product_search_text(self)
        super().save(*args, **kwargs)

    @property
    def star_range(self):
        """For templates: one item per star."""
        return range(self.ocop_stars or 0)


from oscar.apps.catalogue.models import *  # noqa: E402,F401,F403
