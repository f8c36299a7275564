import os

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from oscar.apps.catalogue.abstract_models import (
    AbstractProduct,
    AbstractProductImage,
    MissingProductImage,
)

from catalogue import certification
from catalogue.barcodes import gtin13_error
from catalogue.images import validate_image_upload, validate_scan_upload
from catalogue.search import product_search_text
from catalogue.uploads import GeneratedName


class MissingImage(MissingProductImage):
    """Oscar's "no photo" placeholder, linked into the media folder on first use. Two
    requests may make the folder or the link at once: the second finds it made, which
    is not an error (Oscar's own code turns it into ImproperlyConfigured, a 500)."""

    def symlink_missing_image(self, media_file_path):
        from django.contrib.staticfiles.finders import find

        static_file_path = find(f"oscar/img/{self.name}")
        if not static_file_path:
            return
        os.makedirs(os.path.dirname(media_file_path), exist_ok=True)
        if os.path.islink(media_file_path) and not os.path.exists(media_file_path):
            os.unlink(media_file_path)  # a broken link: made anew
        try:
            os.symlink(static_file_path, media_file_path)
        except FileExistsError:
            pass  # another request made it meanwhile


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
        help_text=_(
            "Hạng sao của giấy chứng nhận OCOP đang còn hiệu lực (3–5), để trống nếu không có; "
            "được cập nhật tự động từ sổ chứng nhận."
        ),
    )
    search_text = models.TextField(editable=False, blank=True, default="")

    # Traceability and label information
    growing_area_code = models.CharField(
        _("Mã số vùng trồng"), max_length=64, blank=True,
        help_text=_("Mã số vùng trồng / vùng nuôi được cấp, nếu có."),
    )
    ingredients = models.TextField(_("Thành phần"), blank=True)
    usage = models.TextField(_("Hướng dẫn sử dụng"), blank=True)
    storage = models.TextField(_("Hướng dẫn bảo quản"), blank=True)
    shelf_life = models.CharField(
        _("Hạn sử dụng"), max_length=128, blank=True,
        help_text=_("Ví dụ: 12 tháng kể từ ngày sản xuất."),
    )
    net_quantity = models.CharField(
        _("Khối lượng / thể tích tịnh"), max_length=64, blank=True,
        help_text=_("Ví dụ: 500 g, 350 ml."),
    )
    product_story = models.TextField(_("Câu chuyện sản phẩm"), blank=True)

    # VAT on invoices (shop.invoicing.vat)
    class VatCategory(models.TextChoices):
        ZERO = "0", _("0 %")
        FIVE = "5", _("5 %")
        TEN = "10", _("10 % (8 % khi có quy định giảm thuế)")
        EXEMPT = "exempt", _("Không chịu thuế GTGT")
        UNDECLARED = "undeclared", _("Không kê khai, tính nộp thuế GTGT")

    vat_category = models.CharField(
        _("Nhóm thuế GTGT"), max_length=16, choices=VatCategory.choices, default=VatCategory.TEN,
    )
    vat_reduction_excluded = models.BooleanField(
        _("Không được giảm thuế GTGT"), default=False,
        help_text=_("Rượu, bia, thuốc lá… không được áp thuế suất giảm 8 %."),
    )

    class Meta(AbstractProduct.Meta):
        # The storefront's listings (catalogue.browsing) and front page read browsable
        # products in these orders: newest first (also answering a listing's count),
        # by title, the best-rated first, a product class's newest first (gift combos).
        # On PostgreSQL, search_text has a trigram index (migration 0039).
        indexes = [
            models.Index(
                fields=["-date_created", "-id"], name="product_browsable_newest",
                condition=Q(parent__isnull=True, is_public=True),
            ),
            models.Index(
                fields=["title", "id"], name="product_browsable_title",
                condition=Q(parent__isnull=True, is_public=True),
            ),
            models.Index(
                fields=["-ocop_stars", "title"], name="product_browsable_stars",
                condition=Q(parent__isnull=True, is_public=True, ocop_stars__isnull=False),
            ),
            models.Index(
                fields=["product_class", "-date_created", "-id"], name="product_browsable_class",
                condition=Q(parent__isnull=True, is_public=True),
            ),
        ]

    def save(self, *args, **kwargs):
        self.search_text = product_search_text(self)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.upc:
            self.upc = self.upc.strip()
            message = gtin13_error(self.upc)
            if message:
                raise ValidationError({"upc": message})

    @property
    def star_range(self):
        """For templates: one item per star."""
        return range(self.ocop_stars or 0)

    @property
    def trace_code(self):
        """The code in the product's public trace address: its barcode, else ``p<pk>``."""
        if self.upc and self.upc.isascii() and self.upc.isdigit():
            return self.upc
        return f"p{self.pk}"

    def get_trace_url(self):
        return reverse("trace:trace", kwargs={"code": self.trace_code})

    def get_missing_image(self):
        return MissingImage()


class ProductImage(AbstractProductImage):
    """Oscar's product photo, with uploads checked to be real, bounded pictures."""

    original = models.ImageField(
        _("Original"),
        upload_to=GeneratedName(setting="OSCAR_IMAGE_FOLDER"),  # Oscar's folder, our names
        max_length=255,
        validators=[validate_image_upload],
    )

    class Meta(AbstractProductImage.Meta):
        pass


class OcopCertificate(models.Model):
    """One OCOP rating decision for one product; the registry keeps them all (history)."""

    Level = certification.Level

    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="ocop_certificates",
        verbose_name=_("Sản phẩm"),
    )
    stars = models.PositiveSmallIntegerField(
        _("Hạng sao"), choices=[(3, _("3 sao")), (4, _("4 sao")), (5, _("5 sao"))]
    )
    score = models.PositiveSmallIntegerField(
        _("Điểm đánh giá"),
        validators=[MinValueValidator(0), MaxValueValidator(certification.MAX_SCORE)],
        help_text=_("Trên thang 100 điểm: 3 sao 50–69, 4 sao 70–89, 5 sao 90–100."),
    )
    rating_level = models.CharField(
        _("Cấp đánh giá"), max_length=16, choices=certification.Level.CHOICES,
    )
    certifying_body = models.CharField(
        _("Cơ quan công nhận"), max_length=255,
        help_text=_("Ví dụ: UBND huyện Đăk Hà, UBND tỉnh Kon Tum, Bộ Nông nghiệp và Môi trường."),
    )
    decision_number = models.CharField(_("Số quyết định"), max_length=64)
    decision_date = models.DateField(_("Ngày quyết định"))
    valid_until = models.DateField(
        _("Hiệu lực đến"), editable=False,
        help_text=_("Tính tự động: 36 tháng kể từ ngày quyết định."),
    )
    revoked_on = models.DateField(
        _("Ngày thu hồi"), null=True, blank=True,
        help_text=_("Chỉ điền khi giấy chứng nhận bị thu hồi trước hạn."),
    )
    scan = models.FileField(
        _("Bản scan quyết định"), upload_to=GeneratedName("ocop/certificates/%Y/"), blank=True,
        validators=[validate_scan_upload],
        help_text=_("Tệp PDF hoặc ảnh, tối đa 10 MB."),
    )
    date_created = models.DateTimeField(_("Ngày tạo"), auto_now_add=True)
    date_updated = models.DateTimeField(_("Ngày cập nhật"), auto_now=True)

    class Meta:
        ordering = ["-decision_date", "-pk"]
        verbose_name = _("Giấy chứng nhận OCOP")
        verbose_name_plural = _("Giấy chứng nhận OCOP")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "decision_number"], name="ocop_certificate_unique_decision",
                violation_error_message=_(
                    "Sản phẩm này đã có giấy chứng nhận theo số quyết định này."
                ),
            ),
            models.CheckConstraint(
                condition=(
                    Q(stars=3, score__gte=50, score__lte=69)
                    | Q(stars=4, score__gte=70, score__lte=89)
                    | Q(stars=5, score__gte=90, score__lte=100)
                ),
                name="ocop_certificate_stars_match_score",
                violation_error_message=_(
                    "Hạng sao không khớp với điểm (3 sao: 50–69 điểm, 4 sao: 70–89 điểm, "
                    "5 sao: 90–100 điểm)."
                ),
            ),
        ]
        indexes = [models.Index(fields=["valid_until"], name="ocop_cert_valid_until")]

    def __str__(self):
        return _("%(product)s — %(stars)d sao (QĐ %(number)s)") % {
            "product": self.product.title if self.product_id else "?",
            "stars": self.stars or 0,
            "number": self.decision_number,
        }

    def save(self, *args, **kwargs):
        self.valid_until = certification.valid_until(self.decision_date)
        super().save(*args, **kwargs)
        self._refresh_badge()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        self._refresh_badge()
        return result

    def clean(self):
        super().clean()
        certification.validate_certificate(self)

    def _refresh_badge(self):
        product = type(self.product).objects.get(pk=self.product_id)
        certification.refresh_product_stars(product)
        self.product.ocop_stars = product.ocop_stars

    @property
    def star_range(self):
        return range(self.stars or 0)

    @property
    def status(self):
        return certification.certificate_status(self)

    @property
    def status_label(self):
        return certification.STATUS_LABELS[self.status]


class Batch(models.Model):
    """A production lot of a product, for traceability (printed on the pack)."""

    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="batches",
        verbose_name=_("Sản phẩm"),
    )
    lot_code = models.CharField(_("Số lô"), max_length=64)
    production_date = models.DateField(_("Ngày sản xuất"))
    best_before = models.DateField(_("Hạn sử dụng"))
    quantity = models.PositiveIntegerField(_("Số lượng"), null=True, blank=True)
    growing_area_code = models.CharField(
        _("Mã số vùng trồng"), max_length=64, blank=True,
        help_text=_("Để trống nếu giống mã vùng trồng của sản phẩm hoặc không có."),
    )
    date_created = models.DateTimeField(_("Ngày tạo"), auto_now_add=True)

    class Meta:
        ordering = ["-production_date", "-pk"]
        verbose_name = _("Lô sản xuất")
        verbose_name_plural = _("Lô sản xuất")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "lot_code"], name="batch_unique_lot",
                violation_error_message=_("Sản phẩm này đã có lô với số lô này."),
            ),
            models.CheckConstraint(
                condition=Q(best_before__gt=F("production_date")),
                name="batch_best_before_after_production",
                violation_error_message=_("Hạn sử dụng phải sau ngày sản xuất."),
            ),
        ]

    def __str__(self):
        return _("Lô %(lot)s") % {"lot": self.lot_code}

    def clean(self):
        super().clean()
        if self.production_date and self.best_before and self.best_before <= self.production_date:
            raise ValidationError(
                {"best_before": _("Hạn sử dụng phải sau ngày sản xuất.")}
            )

    @property
    def area_code(self):
        return self.growing_area_code or (self.product.growing_area_code if self.product_id else "")



class ComboComponent(models.Model):
    """One part of a gift combo: ``quantity`` units of one producer's offer (a StockRecord).

    A combo (a Product of class ``gift-combo``) has no stock of its own; its
    availability and every stock move are those of its components
    (``catalogue.combos``, ``showroom.inventory``). A combo is never a
    component of another combo.
    """

    combo = models.ForeignKey(
        "catalogue.Product", on_delete=models.CASCADE, related_name="combo_components",
        verbose_name=_("Combo"),
    )
    component = models.ForeignKey(
        "partner.StockRecord", on_delete=models.PROTECT, related_name="in_combos",
        verbose_name=_("Thành phần (hàng của chủ thể)"),
    )
    quantity = models.PositiveIntegerField(
        _("Số lượng"), default=1, validators=[MinValueValidator(1)],
    )
    display_order = models.PositiveSmallIntegerField(_("Thứ tự hiển thị"), default=0)

    class Meta:
        ordering = ["combo_id", "display_order", "pk"]
        verbose_name = _("Thành phần combo")
        verbose_name_plural = _("Thành phần combo")
        constraints = [
            models.UniqueConstraint(
                fields=["combo", "component"], name="combo_component_unique",
                violation_error_message=_("Thành phần này đã có trong combo."),
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1), name="combo_component_quantity_positive",
                violation_error_message=_("Số lượng thành phần phải lớn hơn 0."),
            ),
        ]

    def __str__(self):
        return f"{self.combo_id}: {self.component_id} × {self.quantity}"


from oscar.apps.catalogue.models import *  # noqa: E402,F401,F403

