"""The dossier: which documents a product group needs, and how a producer uploads them.

Rules:

* **The list is data.** :class:`RequiredDocument` rows say which
  :class:`DocumentKind` a group's dossier holds (``mandatory`` or optional); the
  office edits them in the admin. A kind with ``has_validity`` (e.g. the
  food-safety certificate) needs its ``valid_until`` date.
* **Who uploads, when.** Only the application's producer, while the application
  is ``draft`` or ``returned`` (``"not_editable"``, 409) and the round is open;
  anyone else: ``"forbidden"`` (403). Only kinds of the group's list are
  accepted (``"unknown_kind"``, 400).
* **Safe private storage.** The file goes through the project's upload path:
  its type is decided from the bytes (PDF, JPEG, PNG, WebP; at most 10 MB; name
  and bytes must agree — :func:`catalogue.images.detect`), stored under a
  generated name (``evaluation/documents/<year>/<uuid>.<ext>``) in
  ``PRIVATE_MEDIA_ROOT`` (:func:`catalogue.uploads.private_storage`, no URL).
  A bad file is ``"bad_file"`` (400) with the validator's Vietnamese message and
  nothing stored. Reading: :func:`catalogue.uploads.file_response` from a view
  that checked :func:`shop.evaluation.access.can_view_document`.
* **Nothing deleted.** A new upload of a kind supersedes the current one
  (``superseded_by``); the old one stays in the history. Each upload adds an
  event (kind ``document``).
* **Complete** (checked on submission by the workflow): every mandatory kind has
  a current document, and a kind with validity is valid on the day of the check
  (:func:`missing_documents`).
* **No list, no submission.** A group whose list has no mandatory kind (no rows,
  or only optional ones) is *not configured*: there is no general list to fall
  back on — the list is the office's legal data per group, and a guessed one
  would ask for papers that do not apply or miss the ones that do. Submitting
  such a group's application is refused (``"documents_unconfigured"``, 409:
  "Nhóm sản phẩm “…” chưa có danh mục giấy tờ bắt buộc; hãy báo Phòng Nông
  nghiệp."), so an empty dossier never reaches the commune; the application's
  page says so (and offers no upload) and the office's round page lists the
  groups to fix (:func:`unconfigured_groups`).
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from catalogue import images, uploads
from shop.evaluation import access
from shop.evaluation.errors import EvaluationError
from shop.evaluation.models import (
    ApplicationDocument,
    ApplicationEvent,
    DocumentKind,
    RequiredDocument,
    State,
)

Category = get_model("catalogue", "Category")
EDITABLE_STATES = (State.DRAFT, State.RETURNED)


def required_kinds(group, mandatory_only=False):
    """The document kinds of ``group``'s dossier, in order."""
    rows = RequiredDocument.objects.filter(group=group)
    if mandatory_only:
        rows = rows.filter(mandatory=True)
    return list(
        DocumentKind.objects.filter(pk__in=rows.values("kind_id")).order_by("order", "name")
    )


def is_configured(group):
    """True when ``group``'s list has at least one mandatory kind."""
    group_id = getattr(group, "pk", group)
    return RequiredDocument.objects.filter(group_id=group_id, mandatory=True).exists()


def unconfigured_error(group):
    """The refusal of a submission for ``group`` (a product group, a ``Category``)."""
    return EvaluationError(
        "documents_unconfigured",
        _("Nhóm sản phẩm “%(group)s” chưa có danh mục giấy tờ bắt buộc; hãy báo Phòng Nông "
          "nghiệp.") % {"group": group.name},
        status=409,
    )


def check_configured(application):
    """Raise ``documents_unconfigured`` when the application's group has no mandatory list."""
    if not is_configured(application.group_id):
        raise unconfigured_error(application.group)


def unconfigured_groups(applications):
    """The product groups of ``applications`` (a queryset) without a mandatory list, by name."""
    configured = RequiredDocument.objects.filter(mandatory=True).values("group_id")
    return list(
        Category.objects.filter(pk__in=applications.values("group_id"))
        .exclude(pk__in=configured).order_by("name")
    )


def current_documents(application):
    """The application's current (not superseded) documents, by kind order."""
    return list(
        application.documents.filter(superseded_by__isnull=True)
        .select_related("kind").order_by("kind__order", "-uploaded_at")
    )


def missing_documents(application, on=None):
    """Mandatory kinds without a current document, or whose document expired before ``on``."""
    on = on or timezone.localdate()
    have = {doc.kind_id: doc for doc in current_documents(application)}
    missing = []
    for kind in required_kinds(application.group_id, mandatory_only=True):
        doc = have.get(kind.pk)
        if doc is None or (kind.has_validity and (doc.valid_until is None or doc.valid_until < on)):
            missing.append(kind)
    return missing


def add_document(application, kind, upload, *, actor, valid_until=None, note=""):
    """Store ``upload`` as the application's current document of ``kind``; returns it.

    Raises :class:`EvaluationError` (``forbidden``, ``not_editable``,
    ``round_closed``, ``unknown_kind``, ``validity_required``, ``bad_file``).
    """
    if access.PRODUCER not in access.roles_for(actor, application):
        raise EvaluationError(
            "forbidden", _("Chỉ chủ thể nộp hồ sơ mới tải được giấy tờ."), status=403
        )
    if application.state not in EDITABLE_STATES:
        raise EvaluationError(
            "not_editable",
            _("Hồ sơ đã nộp: chỉ bổ sung giấy tờ khi hồ sơ là bản nháp hoặc bị trả lại."),
            status=409,
        )
    if not application.round.is_open:
        raise EvaluationError("round_closed", _("Đợt đánh giá đã đóng."), status=409)
    if not RequiredDocument.objects.filter(group_id=application.group_id, kind=kind).exists():
        raise EvaluationError(
            "unknown_kind", _("Loại giấy tờ này không thuộc hồ sơ của nhóm sản phẩm.")
        )
    if kind.has_validity and valid_until is None:
        raise EvaluationError(
            "validity_required",
            _("Hãy nhập ngày hết hạn của “%(kind)s”.") % {"kind": kind.name},
        )
    if upload is None:
        raise EvaluationError("bad_file", _("Hãy chọn tệp để tải lên."))
    document = ApplicationDocument(
        application=application, kind=kind, uploaded_by=actor,
        valid_until=valid_until, note=(note or "")[:255],
    )
    try:
        uploads.save_upload(document.file, upload, kinds=images.SCANS)
    except ValidationError as error:
        raise EvaluationError("bad_file", " ".join(error.messages)) from None
    try:
        with transaction.atomic():
            document.save()
            previous = (
                ApplicationDocument.objects.select_for_update()
                .filter(application=application, kind=kind, superseded_by__isnull=True)
                .exclude(pk=document.pk)
            )
            for old in previous:
                old.superseded_by = document
                old.save(update_fields=["superseded_by"])
            ApplicationEvent.objects.create(
                application=application, kind=ApplicationEvent.Kind.DOCUMENT, actor=actor,
                from_state=application.state, to_state=application.state,
                reason=str(kind.name),
            )
    except Exception:
        document.file.delete(save=False)
        raise
    return document


def document_download_name(document):
    """The name a document is offered under (no extension: the verified type's is added)."""
    return f"ho-so-{document.application_id}-{document.kind.code}-{document.pk}"
