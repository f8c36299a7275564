"""OCOP evaluation: rounds, scoring sheets and document lists as data, applications with
their dossiers and history, the council's scorecards and the office's decisions.

The rules live in plain modules: :mod:`shop.evaluation.workflow` (states and who moves
them), :mod:`shop.evaluation.documents` (the dossier), :mod:`shop.evaluation.scoring`
(blind scoring, the mean, the stars), :mod:`shop.evaluation.decisions` (decision →
certificates) and :mod:`shop.evaluation.access` (who sees what). Nothing here is deleted
by the application: history rows (events, superseded documents, submitted scorecards)
are only ever added to.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalogue import certification
from catalogue.images import validate_scan_upload
from catalogue.uploads import GeneratedName, private_storage


class EvaluationRound(models.Model):
    """One evaluation round of a year (a new rating, or a re-rating of certified products)."""

    class Kind(models.TextChoices):
        NEW = "new", _("Đánh giá, phân hạng mới")
        RERATING = "rerating", _("Đánh giá lại")

    class Status(models.TextChoices):
        OPEN = "open", _("Đang mở")
        CLOSED = "closed", _("Đã đóng")

    year = models.PositiveSmallIntegerField(_("Năm"))
    kind = models.CharField(_("Loại đợt"), max_length=10, choices=Kind.choices, default=Kind.NEW)
    name = models.CharField(_("Tên đợt"), max_length=200)
    # who certifies 3★/4★ in this round (since 1 July 2025: the province); 5★ goes up
    rating_level = models.CharField(
        _("Cấp đánh giá"), max_length=16, choices=certification.Level.CHOICES,
        default=certification.Level.PROVINCE,
    )
    certifying_body = models.CharField(
        _("Cơ quan công nhận"), max_length=255,
        help_text=_("Ví dụ: UBND tỉnh Quảng Ngãi."),
    )
    central_body = models.CharField(
        _("Cơ quan đánh giá sản phẩm 5 sao"), max_length=255, blank=True,
        help_text=_("Sản phẩm đạt 90 điểm trở lên được gửi lên cấp trung ương."),
    )
    applications_until = models.DateField(_("Hạn nộp hồ sơ"))
    commune_check_until = models.DateField(_("Hạn xã kiểm tra hồ sơ"))
    scoring_until = models.DateField(_("Hạn chấm điểm"))
    status = models.CharField(
        _("Trạng thái"), max_length=8, choices=Status.choices, default=Status.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("Người tạo"),
    )
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-year", "-pk"]
        verbose_name = _("Đợt đánh giá OCOP")
        verbose_name_plural = _("Đợt đánh giá OCOP")
        permissions = [("manage_evaluation", _("Quản lý đánh giá, phân hạng sản phẩm OCOP"))]

    def __str__(self):
        return self.name

    @property
    def is_open(self):
        return self.status == self.Status.OPEN


# --- Scoring sheets (data the office edits) -------------------------------------------


class ScoringSheet(models.Model):
    """The scoring sheet of one OCOP product group (a top-level catalogue category).

    Parts A, B, C with their maximum points, 100 in all (checked by
    :func:`shop.evaluation.scoring.sheet_errors`). One active sheet per group.
    """

    group = models.ForeignKey(
        "catalogue.Category", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("Nhóm sản phẩm"),
    )
    title = models.CharField(_("Tên phiếu chấm"), max_length=255)
    is_active = models.BooleanField(_("Đang dùng"), default=True)

    class Meta:
        ordering = ["title"]
        verbose_name = _("Phiếu chấm điểm")
        verbose_name_plural = _("Phiếu chấm điểm")
        constraints = [
            models.UniqueConstraint(
                fields=["group"], condition=Q(is_active=True),
                name="evaluation_one_active_sheet_per_group",
            ),
        ]

    def __str__(self):
        return self.title


class SheetPart(models.Model):
    class Code(models.TextChoices):
        A = "A", _("Phần A: Sản xuất và tổ chức cộng đồng")
        B = "B", _("Phần B: Phát triển thương mại và câu chuyện sản phẩm")
        C = "C", _("Phần C: Chất lượng sản phẩm")

    sheet = models.ForeignKey(
        ScoringSheet, on_delete=models.CASCADE, related_name="parts", verbose_name=_("Phiếu chấm")
    )
    code = models.CharField(_("Phần"), max_length=1, choices=Code.choices)
    title = models.CharField(_("Tên phần"), max_length=255)
    max_points = models.PositiveSmallIntegerField(_("Điểm tối đa"))

    class Meta:
        ordering = ["sheet", "code"]
        verbose_name = _("Phần phiếu chấm")
        verbose_name_plural = _("Phần phiếu chấm")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "code"], name="evaluation_part_once"),
        ]

    def __str__(self):
        return f"{self.code}. {self.title}"


class Criterion(models.Model):
    part = models.ForeignKey(
        SheetPart, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("Phần")
    )
    order = models.PositiveSmallIntegerField(_("Thứ tự"), default=0)
    text = models.TextField(_("Tiêu chí"))

    class Meta:
        ordering = ["part", "order", "pk"]
        verbose_name = _("Tiêu chí")
        verbose_name_plural = _("Tiêu chí")

    def __str__(self):
        return f"{self.part.code}{self.order}. {self.text[:60]}"


class CriterionOption(models.Model):
    criterion = models.ForeignKey(
        Criterion, on_delete=models.CASCADE, related_name="options", verbose_name=_("Tiêu chí")
    )
    order = models.PositiveSmallIntegerField(_("Thứ tự"), default=0)
    text = models.CharField(_("Mức đánh giá"), max_length=500)
    points = models.PositiveSmallIntegerField(_("Điểm"))

    class Meta:
        ordering = ["criterion", "order", "pk"]
        verbose_name = _("Mức điểm")
        verbose_name_plural = _("Mức điểm")

    def __str__(self):
        return f"{self.text} ({self.points})"


# --- Dossier (data the office edits) --------------------------------------------------


class DocumentKind(models.Model):
    """A kind of document of a dossier (business registration, test report, label...)."""

    code = models.SlugField(_("Mã"), max_length=40, unique=True)
    name = models.CharField(_("Tên giấy tờ"), max_length=255)
    description = models.TextField(_("Hướng dẫn"), blank=True)
    has_validity = models.BooleanField(
        _("Có thời hạn"), default=False,
        help_text=_("Giấy tờ có ngày hết hạn (ví dụ giấy chứng nhận an toàn thực phẩm)."),
    )
    order = models.PositiveSmallIntegerField(_("Thứ tự"), default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("Loại giấy tờ")
        verbose_name_plural = _("Loại giấy tờ")

    def __str__(self):
        return self.name


class RequiredDocument(models.Model):
    """A document kind the dossier of a product group must (or may) contain."""

    group = models.ForeignKey(
        "catalogue.Category", on_delete=models.CASCADE, related_name="+",
        verbose_name=_("Nhóm sản phẩm"),
    )
    kind = models.ForeignKey(
        DocumentKind, on_delete=models.PROTECT, related_name="required_for",
        verbose_name=_("Loại giấy tờ"),
    )
    mandatory = models.BooleanField(_("Bắt buộc"), default=True)

    class Meta:
        ordering = ["group", "kind__order"]
        verbose_name = _("Giấy tờ của hồ sơ")
        verbose_name_plural = _("Giấy tờ của hồ sơ")
        constraints = [
            models.UniqueConstraint(fields=["group", "kind"], name="evaluation_required_once"),
        ]

    def __str__(self):
        return f"{self.group} — {self.kind}"


# --- Applications ---------------------------------------------------------------------


class State(models.TextChoices):
    """The application's states; who moves between them is in :mod:`shop.evaluation.workflow`."""

    DRAFT = "draft", _("Bản nháp")
    SUBMITTED = "submitted", _("Đã nộp")
    RETURNED = "returned", _("Trả lại để bổ sung")
    FORWARDED = "forwarded", _("Xã đã chuyển lên")
    SCORING = "scoring", _("Đang chấm điểm")
    SCORED = "scored", _("Đã chấm xong")
    RATED = "rated", _("Được công nhận")
    NOT_RATED = "not_rated", _("Không đạt")
    SENT_UP = "sent_up", _("Đề nghị cấp trung ương (5 sao)")
    WITHDRAWN = "withdrawn", _("Đã rút hồ sơ")


class Application(models.Model):
    """A producer's application for one product in one round."""

    State = State

    round = models.ForeignKey(
        EvaluationRound, on_delete=models.PROTECT, related_name="applications",
        verbose_name=_("Đợt đánh giá"),
    )
    vendor = models.ForeignKey(
        "vendors.Vendor", on_delete=models.PROTECT, related_name="ocop_applications",
        verbose_name=_("Chủ thể OCOP"),
    )
    # required before submitting (workflow): the vendor's listing (public or not yet)
    product = models.ForeignKey(
        "catalogue.Product", on_delete=models.PROTECT, null=True, blank=True,
        related_name="ocop_applications", verbose_name=_("Sản phẩm"),
    )
    proposed_name = models.CharField(
        _("Tên sản phẩm đề nghị"), max_length=255, blank=True,
        help_text=_("Tên sản phẩm dự kiến khi chưa có sản phẩm trên hệ thống."),
    )
    group = models.ForeignKey(
        "catalogue.Category", on_delete=models.PROTECT, related_name="+",
        verbose_name=_("Nhóm sản phẩm"),
    )
    description = models.TextField(
        _("Thông tin đăng ký"), blank=True,
        help_text=_("Giới thiệu sản phẩm, quy mô sản xuất, thị trường."),
    )
    state = models.CharField(
        _("Trạng thái"), max_length=12, choices=State.choices, default=State.DRAFT,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("Người tạo"),
    )
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("Cập nhật lúc"), auto_now=True)
    submitted_at = models.DateTimeField(_("Nộp lúc"), null=True, blank=True)
    forwarded_at = models.DateTimeField(_("Xã chuyển lúc"), null=True, blank=True)
    scored_at = models.DateTimeField(_("Chấm xong lúc"), null=True, blank=True)
    decided_at = models.DateTimeField(_("Có quyết định lúc"), null=True, blank=True)
    # the council's result, frozen when the chair closes the scoring
    score = models.DecimalField(
        _("Điểm trung bình"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    stars = models.PositiveSmallIntegerField(_("Hạng sao đạt"), null=True, blank=True)
    result = models.JSONField(_("Kết quả chi tiết"), default=dict, blank=True)
    decision = models.ForeignKey(
        "evaluation.Decision", on_delete=models.PROTECT, null=True, blank=True,
        related_name="applications", verbose_name=_("Quyết định"),
    )
    certificate = models.OneToOneField(
        "catalogue.OcopCertificate", on_delete=models.PROTECT, null=True, blank=True,
        related_name="application", verbose_name=_("Giấy chứng nhận"),
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Hồ sơ đánh giá OCOP")
        verbose_name_plural = _("Hồ sơ đánh giá OCOP")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "product"],
                condition=Q(product__isnull=False) & ~Q(state="withdrawn"),
                name="evaluation_one_live_application_per_product",
                violation_error_message=_("Sản phẩm này đã có hồ sơ trong đợt đánh giá này."),
            ),
        ]

    def __str__(self):
        return self.product_name

    @property
    def product_name(self):
        if self.product_id:
            return self.product.title
        return self.proposed_name or _("(chưa đặt tên)")


class ApplicationDocument(models.Model):
    """One uploaded document of a dossier; private (``PRIVATE_MEDIA_ROOT``, no URL).

    Never deleted: a new upload of the same kind supersedes the old one
    (``superseded_by``), which stays in the history.
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="documents",
        verbose_name=_("Hồ sơ"),
    )
    kind = models.ForeignKey(
        DocumentKind, on_delete=models.PROTECT, related_name="+", verbose_name=_("Loại giấy tờ")
    )
    file = models.FileField(
        _("Tệp"), upload_to=GeneratedName("evaluation/documents/%Y/"),
        storage=private_storage, validators=[validate_scan_upload],
        help_text=_("Tệp PDF hoặc ảnh (JPEG, PNG, WebP), tối đa 10 MB."),
    )
    valid_until = models.DateField(_("Hiệu lực đến"), null=True, blank=True)
    note = models.CharField(_("Ghi chú"), max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("Người tải lên"),
    )
    uploaded_at = models.DateTimeField(_("Tải lên lúc"), auto_now_add=True)
    superseded_by = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="supersedes",
        verbose_name=_("Thay bằng"),
    )

    class Meta:
        ordering = ["kind__order", "-uploaded_at", "-pk"]
        verbose_name = _("Giấy tờ trong hồ sơ")
        verbose_name_plural = _("Giấy tờ trong hồ sơ")

    def __str__(self):
        return f"{self.kind} #{self.pk}"

    @property
    def is_current(self):
        return self.superseded_by_id is None


class ApplicationEvent(models.Model):
    """The application's history: one row per move, comment, upload or correction."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("Chuyển trạng thái")
        DOCUMENT = "document", _("Tải giấy tờ")
        SCORECARD = "scorecard", _("Nộp phiếu chấm")
        COMMENT = "comment", _("Ý kiến")
        CORRECTION = "correction", _("Đính chính")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="events", verbose_name=_("Hồ sơ")
    )
    kind = models.CharField(_("Loại"), max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("Người thực hiện"),
    )
    at = models.DateTimeField(_("Lúc"), auto_now_add=True)
    from_state = models.CharField(_("Từ trạng thái"), max_length=12, choices=State.choices,
                                  blank=True)
    to_state = models.CharField(_("Sang trạng thái"), max_length=12, choices=State.choices,
                                blank=True)
    reason = models.TextField(_("Lý do / ý kiến"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("Lịch sử hồ sơ")
        verbose_name_plural = _("Lịch sử hồ sơ")

    def __str__(self):
        return f"{self.application_id}: {self.from_state} → {self.to_state}"


# --- Council and scoring ----------------------------------------------------------------


class Council(models.Model):
    """The council of one round (its members, one of them chair)."""

    round = models.OneToOneField(
        EvaluationRound, on_delete=models.PROTECT, related_name="council",
        verbose_name=_("Đợt đánh giá"),
    )
    name = models.CharField(_("Tên hội đồng"), max_length=255)

    class Meta:
        verbose_name = _("Hội đồng đánh giá")
        verbose_name_plural = _("Hội đồng đánh giá")

    def __str__(self):
        return self.name


class CouncilMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chủ tịch hội đồng")
        MEMBER = "member", _("Thành viên")

    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="members", verbose_name=_("Hội đồng")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="ocop_councils",
        verbose_name=_("Tài khoản"),
    )
    role = models.CharField(_("Vai trò"), max_length=8, choices=Role.choices,
                            default=Role.MEMBER)
    title = models.CharField(_("Chức vụ, đơn vị"), max_length=255, blank=True)

    class Meta:
        ordering = ["council", "role", "pk"]
        verbose_name = _("Thành viên hội đồng")
        verbose_name_plural = _("Thành viên hội đồng")
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="evaluation_member_once"),
            models.UniqueConstraint(
                fields=["council"], condition=Q(role="chair"), name="evaluation_one_chair",
                violation_error_message=_("Hội đồng chỉ có một chủ tịch."),
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.get_role_display()})"

    @property
    def is_chair(self):
        return self.role == self.Role.CHAIR


class Scorecard(models.Model):
    """One member's scores of one application; frozen once submitted."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="scorecards",
        verbose_name=_("Hồ sơ"),
    )
    member = models.ForeignKey(
        CouncilMember, on_delete=models.PROTECT, related_name="scorecards",
        verbose_name=_("Thành viên"),
    )
    sheet = models.ForeignKey(
        ScoringSheet, on_delete=models.PROTECT, related_name="+", verbose_name=_("Phiếu chấm")
    )
    total = models.PositiveSmallIntegerField(_("Tổng điểm"), null=True, blank=True)
    comment = models.TextField(_("Nhận xét chung"), blank=True)
    created_at = models.DateTimeField(_("Tạo lúc"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("Nộp lúc"), null=True, blank=True)

    class Meta:
        ordering = ["application", "member"]
        verbose_name = _("Phiếu chấm của thành viên")
        verbose_name_plural = _("Phiếu chấm của thành viên")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "member"], name="evaluation_one_scorecard_per_member"
            ),
        ]

    def __str__(self):
        return f"{self.application_id} / {self.member_id}"

    @property
    def is_submitted(self):
        return self.submitted_at is not None


class ScoreEntry(models.Model):
    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.CASCADE, related_name="entries", verbose_name=_("Phiếu chấm")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("Tiêu chí")
    )
    option = models.ForeignKey(
        CriterionOption, on_delete=models.PROTECT, related_name="+", verbose_name=_("Mức chọn")
    )
    points = models.PositiveSmallIntegerField(_("Điểm"))
    comment = models.CharField(_("Ghi chú"), max_length=500, blank=True)

    class Meta:
        ordering = ["scorecard", "criterion"]
        verbose_name = _("Điểm tiêu chí")
        verbose_name_plural = _("Điểm tiêu chí")
        constraints = [
            models.UniqueConstraint(
                fields=["scorecard", "criterion"], name="evaluation_criterion_once"
            ),
        ]

    def __str__(self):
        return f"{self.criterion_id}: {self.points}"


# --- Decisions ---------------------------------------------------------------------------


class Decision(models.Model):
    """The decision recognising the round's results (its certificates hang off applications)."""

    round = models.ForeignKey(
        EvaluationRound, on_delete=models.PROTECT, related_name="decisions",
        verbose_name=_("Đợt đánh giá"),
    )
    number = models.CharField(_("Số quyết định"), max_length=64)
    date = models.DateField(_("Ngày quyết định"))
    body = models.CharField(_("Cơ quan ban hành"), max_length=255)
    rating_level = models.CharField(
        _("Cấp đánh giá"), max_length=16, choices=certification.Level.CHOICES
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+", verbose_name=_("Người ghi nhận"),
    )
    recorded_at = models.DateTimeField(_("Ghi nhận lúc"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("Quyết định công nhận")
        verbose_name_plural = _("Quyết định công nhận")
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="evaluation_decision_once"),
        ]

    def __str__(self):
        return _("Quyết định số %(number)s") % {"number": self.number}
