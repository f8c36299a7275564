"""The OCOP evaluation API under /api/evaluation/: applications, their history and their moves.

Thin views over the same rules as the pages (:mod:`shop.evaluation.workflow`,
:mod:`shop.evaluation.access`):

* Signed-in users only, with their browser session (CSRF on every change), as on
  /evaluation/. Each sees what :func:`access.applications_for` gives them (a producer
  its own applications, a commune officer its commune's once submitted, a council
  member its round's from scoring on, the office all); anything else is a JSON 404.
* ``POST applications/{id}/transitions/`` moves an application with
  :func:`workflow.transition`. A refused move writes nothing and answers the rule's
  status with ``{"detail": "<Vietnamese sentence>", "code": "<rule's code>"}``:
  403 ``forbidden`` (no role for this move), 409 ``illegal_transition`` (no such move
  from the current state) or another "not now" code (``round_closed``,
  ``deadline_passed``, ``documents_unconfigured``, ``council_missing``,
  ``scores_missing``...), 400 for input
  (``reason_required``, ``documents_missing``...). Decided states are reached only
  by recording the council's decision, on the office's page.
* ``POST applications/{id}/notes/`` adds a comment or a correction (with its reason)
  to the history; nothing earlier changes.
* Scorecards are never in these answers: what a member may see of the others' cards is
  the scorecard page's business (blind scoring). The frozen result, ``score`` and
  ``stars`` follow :func:`shop.evaluation.scoring.result_for` /
  :func:`~shop.evaluation.scoring.score_for`: the office and the round's council see
  them (flagged criteria included) once the chair closed the scoring; a producer or
  commune officer only once the application is decided, and then only the mean, the
  stars and the per-part means (``null`` before).
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from shop.api.errors import ErrorSerializer, ValidationErrorSerializer
from shop.api.pagination import StrictPageNumberPagination
from shop.evaluation import access, decisions, scoring, workflow
from shop.evaluation.errors import EvaluationError
from shop.evaluation.models import Application, ApplicationEvent, State

# the states a move may name: the decided ones come with the decision only
MOVE_TARGETS = [s for s in State.values if s not in workflow.DECIDED and s != State.DRAFT]
MOVE_CHOICES = [(s, State(s).label) for s in MOVE_TARGETS]
LIST_RELATED = ("round", "vendor__partner", "vendor__commune", "product", "group")


class Refused(exceptions.APIException):
    """An :class:`EvaluationError` as a REST framework answer (its status, code and sentence)."""

    def __init__(self, error):
        super().__init__(error.message, error.code)
        self.status_code = error.status


def refusal(callable_, *args, **kwargs):
    try:
        return callable_(*args, **kwargs)
    except EvaluationError as error:
        raise Refused(error) from None


# --- shapes ----------------------------------------------------------------------------------


class EvaluationRoundSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    year = serializers.IntegerField()
    kind = serializers.CharField()
    applications_until = serializers.DateField()
    commune_check_until = serializers.DateField()
    scoring_until = serializers.DateField()


class ApplicationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField(help_text=gettext_lazy("Trang của hồ sơ"))
    round = EvaluationRoundSerializer()
    vendor = serializers.CharField()
    commune = serializers.CharField(allow_null=True)
    product_id = serializers.IntegerField(allow_null=True)
    product_name = serializers.CharField()
    group = serializers.CharField()
    state = serializers.ChoiceField(choices=State.choices)
    state_label = serializers.CharField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    forwarded_at = serializers.DateTimeField(allow_null=True)
    scored_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    score = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True,
                                     help_text=gettext_lazy("Điểm trung bình của Hội đồng"))
    stars = serializers.IntegerField(allow_null=True)


class ApplicationMoveSerializer(serializers.Serializer):
    to_state = serializers.ChoiceField(choices=MOVE_CHOICES)
    label = serializers.CharField()
    reason_required = serializers.BooleanField()


class ApplicationEventSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ApplicationEvent.Kind.choices)
    at = serializers.DateTimeField()
    actor = serializers.CharField(allow_null=True)
    from_state = serializers.CharField(allow_blank=True, help_text=gettext_lazy("Trạng thái trước"))
    to_state = serializers.CharField(allow_blank=True, help_text=gettext_lazy("Trạng thái sau"))
    reason = serializers.CharField(allow_blank=True)


class ApplicationDocumentSerializer(serializers.Serializer):
    kind = serializers.CharField()
    valid_until = serializers.DateField(allow_null=True)
    uploaded_at = serializers.DateTimeField()
    current = serializers.BooleanField()
    url = serializers.CharField(help_text=gettext_lazy("Tệp (chỉ người xem được hồ sơ mở được)"))


class RatingRowSerializer(serializers.Serializer):
    stars = serializers.IntegerField()
    score = serializers.IntegerField(allow_null=True)
    number = serializers.CharField()
    date = serializers.DateField()
    valid_until = serializers.DateField(allow_null=True)


class RatingChangeSerializer(serializers.Serializer):
    before = RatingRowSerializer(allow_null=True)
    after = RatingRowSerializer(allow_null=True)


class ApplicationDetailSerializer(ApplicationSerializer):
    description = serializers.CharField(allow_blank=True)
    roles = serializers.ListField(child=serializers.CharField(),
                                  help_text=gettext_lazy("Vai trò của bạn với hồ sơ"))
    moves = ApplicationMoveSerializer(many=True, help_text=gettext_lazy("Các bước bạn có thể làm lúc này"))
    events = ApplicationEventSerializer(many=True)
    documents = ApplicationDocumentSerializer(many=True)
    result = serializers.JSONField(
        allow_null=True, help_text=gettext_lazy(
            "Kết quả của Hội đồng: Phòng Nông nghiệp và Hội đồng xem khi đã kết thúc chấm "
            "điểm; chủ thể và cán bộ xã xem khi đã có quyết định (không có điểm từng thành viên)"))
    change = RatingChangeSerializer(help_text=gettext_lazy("Thay đổi so với lần công nhận trước"))


class ApplicationTransitionSerializer(serializers.Serializer):
    to_state = serializers.ChoiceField(
        choices=MOVE_CHOICES,
        help_text=gettext_lazy("Trạng thái chuyển đến"),
    )
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="",
                                   help_text=gettext_lazy("Lý do (bắt buộc khi trả lại hồ sơ)"))


class ApplicationNoteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=2000, help_text=gettext_lazy("Nội dung ý kiến"))
    correction = serializers.BooleanField(
        required=False, default=False,
        help_text=gettext_lazy("Đính chính (nội dung là lý do đính chính)"))


class ApplicationFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=State.choices, required=False)
    round = serializers.IntegerField(min_value=1, max_value=2**31 - 1, required=False)


# --- what the answers hold ---------------------------------------------------------------------


def summary(application, roles):
    """The list's row of ``application`` (round, vendor, product and group selected with it)
    for a viewer holding ``roles`` on it (score and stars hidden when they may not see them)."""
    commune = application.vendor.commune
    score, stars = scoring.score_for(application, roles)
    return {
        "id": application.pk,
        "url": reverse("evaluation:application", kwargs={"pk": application.pk}),
        "round": application.round,
        "vendor": application.vendor.name,
        "commune": commune.name if commune else None,
        "product_id": application.product_id,
        "product_name": str(application.product_name),
        "group": application.group.name,
        "state": application.state,
        "state_label": application.get_state_display(),
        "submitted_at": application.submitted_at,
        "forwarded_at": application.forwarded_at,
        "scored_at": application.scored_at,
        "decided_at": application.decided_at,
        "score": score,
        "stars": stars,
    }


def _actor(user):
    return None if user is None else (user.get_full_name() or user.get_username())


def event_row(event):
    return {"kind": event.kind, "at": event.at, "actor": _actor(event.actor),
            "from_state": event.from_state, "to_state": event.to_state, "reason": event.reason}


def detail(application, user):
    """The application with what ``user`` may do now, its history, documents and result."""
    roles = access.roles_for(user, application)
    row = summary(application, roles)
    documents = application.documents.select_related("kind").order_by(
        "kind__order", "kind_id", "-uploaded_at", "-pk")
    row.update(
        description=application.description,
        roles=sorted(roles),
        moves=[
            {"to_state": to, "label": str(workflow.ACTION_LABELS.get(to, State(to).label)),
             "reason_required": (application.state, to) in workflow.REASON_REQUIRED}
            for to in workflow.allowed_transitions(application, user)
        ],
        events=[event_row(e) for e in
                application.events.select_related("actor").order_by("at", "pk")],
        documents=[
            {"kind": d.kind.name, "valid_until": d.valid_until, "uploaded_at": d.uploaded_at,
             "current": d.is_current,
             "url": reverse("evaluation:document-file", kwargs={"pk": d.pk})}
            for d in documents
        ],
        result=scoring.result_for(application, roles),
        change=decisions.change_since_last(application),
    )
    return row


ERRORS = {
    400: ValidationErrorSerializer,
    403: ErrorSerializer,
    404: ErrorSerializer,
    409: ErrorSerializer,
}


def _get(request, pk):
    return access.get_application_or_404(
        request.user, pk, Application.objects.select_related(*LIST_RELATED))


# --- views -------------------------------------------------------------------------------------


@extend_schema(tags=["evaluation"])
class ApplicationListView(generics.ListAPIView):
    """The applications the user may see, newest first, a page at a time."""

    pagination_class = StrictPageNumberPagination
    serializer_class = ApplicationSerializer

    def get_queryset(self):
        # a plain dict: an empty ?state= is refused, not skipped; a parameter given twice too
        query = {name: values[0] if len(values) == 1 else values
                 for name, values in self.request.query_params.lists() if name in ("state", "round")}
        filters = ApplicationFilterSerializer(data=query)
        filters.is_valid(raise_exception=True)
        queryset = access.applications_for(
            self.request.user, Application.objects.select_related(*LIST_RELATED)
        ).order_by("-created_at", "-pk")
        if "state" in filters.validated_data:
            queryset = queryset.filter(state=filters.validated_data["state"])
        if "round" in filters.validated_data:
            queryset = queryset.filter(round_id=filters.validated_data["round"])
        return queryset

    def get_serializer(self, *args, **kwargs):
        if args:  # the page's applications → their rows
            roles = scoring.result_roles(self.request.user)
            args = ([summary(a, roles(a)) for a in args[0]], *args[1:])
        return super().get_serializer(*args, **kwargs)

    @extend_schema(
        summary=gettext_lazy("Hồ sơ đánh giá OCOP bạn được xem"),
        parameters=[
            OpenApiParameter("state", str, enum=State.values,
                             description=gettext_lazy("Chỉ hồ sơ ở trạng thái này")),
            OpenApiParameter("round", int, description=gettext_lazy("Chỉ hồ sơ của đợt này")),
        ],
        responses={200: ApplicationSerializer(many=True), 400: ValidationErrorSerializer},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


@extend_schema(tags=["evaluation"])
class ApplicationDetailView(APIView):
    @extend_schema(summary=gettext_lazy("Một hồ sơ: lịch sử, giấy tờ, kết quả, bước tiếp theo"),
                   responses={200: ApplicationDetailSerializer, 404: ErrorSerializer})
    def get(self, request, pk):
        return Response(ApplicationDetailSerializer(detail(_get(request, pk), request.user)).data)


@extend_schema(tags=["evaluation"])
class TransitionView(APIView):
    @extend_schema(
        summary=gettext_lazy("Chuyển trạng thái hồ sơ (nộp, chuyển, trả lại, rút...)"),
        request=ApplicationTransitionSerializer, responses={200: ApplicationDetailSerializer, **ERRORS},
    )
    def post(self, request, pk):
        application = _get(request, pk)
        data = ApplicationTransitionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        refusal(workflow.transition, application, data.validated_data["to_state"],
                actor=request.user, reason=data.validated_data["reason"])
        return Response(ApplicationDetailSerializer(detail(_get(request, pk), request.user)).data)


@extend_schema(tags=["evaluation"])
class NoteView(APIView):
    @extend_schema(
        summary=gettext_lazy("Ghi ý kiến hoặc đính chính vào lịch sử hồ sơ"),
        request=ApplicationNoteSerializer,
        responses={201: ApplicationEventSerializer, 400: ValidationErrorSerializer, 403: ErrorSerializer,
                   404: ErrorSerializer},
    )
    def post(self, request, pk):
        application = _get(request, pk)
        data = ApplicationNoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = refusal(workflow.add_note, application, actor=request.user,
                        text=data.validated_data["text"],
                        correction=data.validated_data["correction"])
        return Response(ApplicationEventSerializer(event_row(event)).data, status=status.HTTP_201_CREATED)
