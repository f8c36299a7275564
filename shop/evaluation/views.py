"""The OCOP evaluation pages at /evaluation/ (namespace ``evaluation``) — thin views.

Who sees what is :mod:`shop.evaluation.access` (deny by default: an application the
user may not see is a 404, its documents too); every move is
:func:`shop.evaluation.workflow.transition`; the dossier is
:mod:`shop.evaluation.documents`; scorecards and the result are
:mod:`shop.evaluation.scoring`; the decision is :mod:`shop.evaluation.decisions`.
A refused move (:class:`~shop.evaluation.errors.EvaluationError`) answers its 4xx with
the rule's Vietnamese message, nothing written.

* Producer: ``mine/`` (own applications), ``apply/``, ``applications/<pk>/edit/``,
  documents uploaded on the application's page, submit / withdraw buttons.
* Commune officer: ``commune/`` — the commune's applications; forward / return.
* Council: ``council/`` — assigned applications; ``applications/<pk>/score/`` the
  member's scorecard (blind until submitted); the chair closes the scoring there.
* Office: ``office/rounds/`` (open, edit, council, open scoring, decision),
  ``office/applications/`` (all, by state), ``office/sheets/`` (scoring sheets).
* Everyone who may see an application: ``applications/<pk>/`` (its history), its
  documents' files, and once rated its printable certificate (page and PDF).
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Prefetch, ProtectedError, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView, TemplateView
from oscar.core.loading import get_model

from catalogue import certification, uploads
from shop.core import roles
from shop.evaluation import access, certificates, deadlines, decisions, documents, scoring, workflow
from shop.evaluation.errors import EvaluationError
from shop.evaluation.forms import (
    ApplicationForm,
    CouncilForm,
    CriterionForm,
    DecisionForm,
    DocumentForm,
    MemberForm,
    OptionFormSet,
    PartFormSet,
    ReasonForm,
    RoundForm,
    ScorecardForm,
    SheetForm,
)
from shop.evaluation.models import (
    Application,
    ApplicationDocument,
    Council,
    CouncilMember,
    Criterion,
    DocumentKind,
    EvaluationRound,
    Scorecard,
    ScoreEntry,
    ScoringSheet,
    SheetPart,
    State,
)
from shop.programme.access import officer_commune
from vendors.access import vendor_for

OcopCertificate = get_model("catalogue", "OcopCertificate")
Product = get_model("catalogue", "Product")
PAGE_SIZE = 50
RENEW_DAYS = 180
# a new sheet's parts (Decision 148/QĐ-TTg, 2023: A 40, B 25, C 35 points)
DEFAULT_PARTS = {"A": 40, "B": 25, "C": 35}
LIST_RELATED = ("round", "vendor__partner", "vendor__commune", "product", "group")


# --- Roles and refusals ---------------------------------------------------------------------


def nav_roles(user):
    """Which evaluation menus ``user`` gets (cached on the user for the request)."""
    cached = getattr(user, "_evaluation_nav", None)
    if cached is None:
        cached = {
            "producer": vendor_for(user) is not None,
            "commune": officer_commune(user) is not None,
            "office": access.is_office(user),
            "member": access.memberships(user).exists(),
        }
        user._evaluation_nav = cached
    return cached


def refused(request, error, back=None):
    """The page of a refused move: the rule's message, its status (4xx), a way back."""
    return render(request, "evaluation/refused.html",
                  {"message": error.message, "code": error.code, "back": back,
                   "eval_roles": nav_roles(request.user)},
                  status=error.status)


class EvaluationMixin(LoginRequiredMixin):
    login_url = reverse_lazy("customer:login")

    def get_context_data(self, **kwargs):
        kwargs.setdefault("eval_roles", nav_roles(self.request.user))
        return super().get_context_data(**kwargs)


class ApplicationMixin(EvaluationMixin):
    """Views of one application: 404 unless the user may see it (access.applications_for)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.application = access.get_application_or_404(request.user, kwargs["pk"])
            self.roles = access.roles_for(request.user, self.application)
        return super().dispatch(request, *args, **kwargs)

    def application_url(self):
        return reverse("evaluation:application", kwargs={"pk": self.application.pk})

    def get_context_data(self, **kwargs):
        kwargs.setdefault("application", self.application)
        kwargs.setdefault("roles", self.roles)
        return super().get_context_data(**kwargs)


class ProducerMixin(EvaluationMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.vendor = vendor_for(request.user)
            if self.vendor is None:
                raise PermissionDenied(_("Trang này chỉ dành cho tài khoản của chủ thể OCOP."))
        return super().dispatch(request, *args, **kwargs)


class OfficeMixin(EvaluationMixin):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not access.is_office(request.user):
            raise PermissionDenied(_("Chỉ Phòng Nông nghiệp được quản lý đợt đánh giá OCOP."))
        return super().dispatch(request, *args, **kwargs)


def positive_int(value):
    """``value`` (a query or form string) as an int when it is plain ASCII digits of a
    database integer, else None ("²", "١", "-1", "abc", "" and 99999999999 are None)."""
    value = value or ""
    if value.isascii() and value.isdigit() and len(value) <= 10 and int(value) <= 2**31 - 1:
        return int(value)
    return None


def _list_queryset():
    return Application.objects.select_related(*LIST_RELATED).order_by("-created_at", "-pk")


# --- Home: where each role goes --------------------------------------------------------------


class HomeView(EvaluationMixin, TemplateView):
    template_name = "evaluation/home.html"

    def get(self, request, *args, **kwargs):
        roles = nav_roles(request.user)
        if not any(roles.values()):
            raise PermissionDenied(_("Tài khoản của bạn không tham gia đánh giá sản phẩm OCOP."))
        return super().get(request, *args, **kwargs)


# --- Producer ----------------------------------------------------------------------------------


class MyApplicationsView(ProducerMixin, ListView):
    template_name = "evaluation/my_applications.html"
    context_object_name = "applications"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return access.applications_for(
            self.request.user, _list_queryset().filter(vendor=self.vendor))

    def get_context_data(self, **kwargs):
        today = certification.today()
        return super().get_context_data(
            open_rounds=EvaluationRound.objects.filter(status=EvaluationRound.Status.OPEN),
            # own certificates ending within RENEW_DAYS: re-rate or renew before they expire
            expiring=OcopCertificate.objects.filter(
                product__producer=self.vendor, revoked_on__isnull=True,
                valid_until__gte=today,
                valid_until__lte=today + datetime.timedelta(days=RENEW_DAYS),
            ).select_related("product").order_by("valid_until"),
            **kwargs)


class ApplyView(ProducerMixin, TemplateView):
    """A new application (a draft): the registration form; documents come on its page."""

    template_name = "evaluation/application_form.html"

    def form(self, data=None):
        initial = {}
        product_id = positive_int(self.request.GET.get("product"))
        product = (Product.objects.filter(pk=product_id, producer=self.vendor).first()
                   if product_id is not None else None)
        if product is not None:  # a re-rating or renewal: the listing and its group
            initial["product"] = product.pk
            category = product.categories.order_by("path").first()
            if category is not None:
                initial["group"] = category.get_root().pk
        return ApplicationForm(data, vendor=self.vendor, initial=initial)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        application = form.save(commit=False)
        application.vendor = self.vendor
        application.created_by = request.user
        application.save()
        messages.success(request, _("Đã lưu bản nháp hồ sơ. Hãy tải lên các giấy tờ rồi nộp."))
        return redirect("evaluation:application", pk=application.pk)


class ApplicationEditView(ApplicationMixin, TemplateView):
    """The producer edits the registration of a draft or returned application."""

    template_name = "evaluation/application_form.html"

    def form(self, data=None):
        return ApplicationForm(data, instance=self.application, vendor=self.application.vendor)

    def check(self):
        if access.PRODUCER not in self.roles:
            raise PermissionDenied(_("Chỉ chủ thể nộp hồ sơ mới sửa được hồ sơ."))
        if self.application.state not in documents.EDITABLE_STATES or not self.application.round.is_open:
            raise EvaluationError("not_editable", _(
                "Hồ sơ đã nộp: chỉ sửa được khi hồ sơ là bản nháp hoặc bị trả lại."), status=409)

    def get(self, request, *args, **kwargs):
        try:
            self.check()
        except EvaluationError as error:
            return refused(request, error, self.application_url())
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request, *args, **kwargs):
        try:
            self.check()
        except EvaluationError as error:
            return refused(request, error, self.application_url())
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        form.save()
        messages.success(request, _("Đã lưu hồ sơ."))
        return redirect(self.application_url())


class DocumentUploadView(ApplicationMixin, View):
    """POST one document of the dossier (the form is on the application's page)."""

    http_method_names = ["post"]

    def post(self, request, pk):
        kinds = DocumentKind.objects.filter(
            pk__in=[k.pk for k in documents.required_kinds(self.application.group_id)])
        form = DocumentForm(request.POST, request.FILES, kinds=kinds)
        if not form.is_valid():
            return ApplicationDetailView.as_view()(
                request, pk=pk, document_form=form, status=400)
        data = form.cleaned_data
        try:
            documents.add_document(
                self.application, data["kind"], data["file"], actor=request.user,
                valid_until=data.get("valid_until"), note=data.get("note", ""))
        except EvaluationError as error:
            form.add_error(None, error.message)
            return ApplicationDetailView.as_view()(
                request, pk=pk, document_form=form, status=error.status)
        messages.success(request, _("Đã tải lên “%(kind)s”.") % {"kind": data["kind"].name})
        return redirect(self.application_url() + "#documents")


class DocumentFileView(EvaluationMixin, View):
    """A dossier's private file, to whoever may see its application (404 for anyone else)."""

    def get(self, request, pk):
        document = ApplicationDocument.objects.select_related("kind").filter(pk=pk).first()
        if document is None:
            raise Http404(_("Không tìm thấy tệp."))
        access.get_application_or_404(request.user, document.application_id)
        return uploads.file_response(document.file, documents.document_download_name(document))


class MoveView(ApplicationMixin, View):
    """POST a move of the state machine (``to`` in the address), with an optional reason."""

    http_method_names = ["post"]

    def post(self, request, pk, to):
        if to not in State.values:
            raise Http404(_("Không tìm thấy."))
        form = ReasonForm(request.POST)
        reason = form.data.get("reason", "") if form.is_valid() else ""
        try:
            workflow.transition(self.application, to, actor=request.user, reason=reason)
        except EvaluationError as error:
            return refused(request, error, self.application_url())
        messages.success(request, _("Hồ sơ “%(name)s”: %(state)s.") % {
            "name": self.application.product_name, "state": State(to).label})
        return redirect(self.application_url())


class CommentView(ApplicationMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            workflow.add_note(self.application, actor=request.user,
                              text=request.POST.get("text", ""),
                              correction=request.POST.get("correction") == "1")
        except EvaluationError as error:
            return refused(request, error, self.application_url())
        messages.success(request, _("Đã ghi ý kiến vào lịch sử hồ sơ."))
        return redirect(self.application_url() + "#history")


# --- The application's page: history, documents, scores, actions -----------------------------


def score_table(cards, structure):
    """Rows per criterion with each visible card's points: [(part, criterion, [points...])]."""
    entries = {}
    for entry in ScoreEntry.objects.filter(scorecard__in=cards).select_related("option"):
        entries[(entry.scorecard_id, entry.criterion_id)] = entry
    rows = []
    for part, criteria in structure:
        for criterion, _options in criteria:
            rows.append((part, criterion, [entries.get((c.pk, criterion.pk)) for c in cards]))
    return rows


class ApplicationDetailView(ApplicationMixin, TemplateView):
    template_name = "evaluation/application_detail.html"
    status = 200

    def dispatch(self, request, *args, document_form=None, status=200, **kwargs):
        self.document_form = document_form
        self.status = status
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(), status=self.status)

    post = get  # re-rendered by DocumentUploadView with the form's errors

    def get_context_data(self, **kwargs):
        app = self.application
        user = self.request.user
        roles = self.roles
        all_documents = list(app.documents.select_related("kind", "uploaded_by")
                             .order_by("kind__order", "kind_id", "-uploaded_at", "-pk"))
        editable = (access.PRODUCER in roles and app.state in documents.EDITABLE_STATES
                    and app.round.is_open)
        # a group without a mandatory list: nothing to upload, no submission (documents.py)
        unconfigured = (documents.unconfigured_error(app.group).message
                        if app.state in documents.EDITABLE_STATES
                        and not documents.is_configured(app.group_id) else "")
        required = documents.required_kinds(app.group_id)
        mandatory = {k.pk for k in documents.required_kinds(app.group_id, mandatory_only=True)}
        current = {d.kind_id: d for d in all_documents if d.is_current}
        dossier = [{"kind": k, "mandatory": k.pk in mandatory, "document": current.get(k.pk)}
                   for k in required]
        cards, table = [], []
        if access.OFFICE in roles or access.MEMBER in roles:
            cards = scoring.visible_scorecards(app, user)
            cards = [c for c in cards if c is not None and c.is_submitted]
            if cards:
                table = score_table(cards, scoring.sheet_structure(cards[0].sheet))
        # the producer and the commune see the result once decided only (scoring.result_for)
        shown_score, shown_stars = scoring.score_for(app, roles)
        moves = [(to, workflow.ACTION_LABELS.get(to, State(to).label),
                  (app.state, to) in workflow.REASON_REQUIRED)
                 for to in workflow.allowed_transitions(app, user)
                 if not (unconfigured and to == State.SUBMITTED)]  # it could only be refused
        context = super().get_context_data(
            editable=editable,
            dossier=dossier,
            documents=all_documents,
            document_form=self.document_form or (
                DocumentForm(kinds=DocumentKind.objects.filter(pk__in=[k.pk for k in required]))
                if editable and required else None),
            unconfigured=unconfigured,
            # a new product: it must first exist as the producer's listing (workflow.py)
            needs_product=(access.PRODUCER in roles and app.product_id is None
                           and app.state in documents.EDITABLE_STATES),
            missing=documents.missing_documents(app) if editable else [],
            events=list(app.events.select_related("actor").order_by("at", "pk")),
            returns=workflow.return_reasons(app),
            moves=moves,
            cards=cards,
            score_table=table,
            result=scoring.result_for(app, roles),
            shown_score=shown_score,
            shown_stars=shown_stars,
            change=decisions.change_since_last(app) if app.product_id else None,
            progress=scoring.progress(app) if access.OFFICE in roles and app.state in (
                State.SCORING, State.SCORED) else None,
            **kwargs,
        )
        return context


# --- Commune officer -------------------------------------------------------------------------


class CommuneView(EvaluationMixin, ListView):
    template_name = "evaluation/commune.html"
    context_object_name = "applications"
    paginate_by = PAGE_SIZE

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.commune = officer_commune(request.user)
            if self.commune is None:
                raise PermissionDenied(_("Trang này dành cho cán bộ OCOP của xã."))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        queryset = _list_queryset().filter(vendor__commune=self.commune)
        state = self.request.GET.get("state", "")
        if state in State.values:
            queryset = queryset.filter(state=state)
        return access.applications_for(self.request.user, queryset)

    def get_context_data(self, **kwargs):
        # the commune's turn: its submitted applications (all of which its officer sees)
        waiting = Application.objects.filter(vendor__commune=self.commune, state=State.SUBMITTED)
        return super().get_context_data(commune=self.commune, states=State.choices,
                                        state=self.request.GET.get("state", ""),
                                        overdue_count=deadlines.overdue_count(waiting), **kwargs)


# --- Council -----------------------------------------------------------------------------------


class CouncilView(EvaluationMixin, ListView):
    """The member's assigned applications, each with the state of their own scorecard."""

    template_name = "evaluation/council.html"
    context_object_name = "applications"
    paginate_by = PAGE_SIZE

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.seats = list(access.memberships(request.user))
            if not self.seats:
                raise PermissionDenied(_("Bạn không phải thành viên Hội đồng đánh giá OCOP."))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return access.applications_for(
            self.request.user,
            _list_queryset().filter(round_id__in=[s.council.round_id for s in self.seats],
                                    state__in=access.COUNCIL_STATES)
            .prefetch_related(Prefetch(
                "scorecards", queryset=Scorecard.objects.filter(member__in=self.seats),
                to_attr="my_cards")),
        ).order_by("round_id", "state", "pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        chair_rounds = {s.council.round_id for s in self.seats if s.is_chair}
        context["rows"] = [
            {"application": app, "card": next(iter(app.my_cards), None),
             "chair": app.round_id in chair_rounds}
            for app in context["applications"]
        ]
        return context


class ScorecardView(ApplicationMixin, TemplateView):
    """A member's scorecard: parts A/B/C, one radio group per criterion; save or submit.

    Blind: the other members' cards show only once one's own card is submitted
    (scoring.visible_scorecards). The chair sees the mean, the parts and the stars, and
    closes the product's scoring when everyone has submitted.
    """

    template_name = "evaluation/scorecard.html"

    def dispatch(self, request, *args, **kwargs):
        response = None
        if request.user.is_authenticated:
            try:
                response = super().dispatch(request, *args, **kwargs)
            except EvaluationError as error:
                return refused(request, error, reverse("evaluation:council"))
            return response
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def card(self):
        return scoring.scorecard_for(self.application, self.request.user)

    @cached_property
    def structure(self):
        return scoring.sheet_structure(self.card.sheet)

    def form(self, data=None):
        chosen = dict(self.card.entries.values_list("criterion_id", "option_id"))
        editable = not self.card.is_submitted and self.application.state == State.SCORING
        return ScorecardForm(data, structure=self.structure, chosen=chosen,
                             comment=self.card.comment, disabled=not editable)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.form()))

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        submit = "submit" in request.POST
        try:
            if submit:
                scoring.submit_scorecard(self.card, actor=request.user, answers=form.choices(),
                                         comment=form.cleaned_data["comment"])
            else:
                scoring.save_answers(self.card, form.choices(), actor=request.user,
                                     comment=form.cleaned_data["comment"])
        except EvaluationError as error:
            form.add_error(None, error.message)
            return self.render_to_response(self.get_context_data(form=form),
                                           status=error.status)
        messages.success(request, _("Đã nộp phiếu chấm.") if submit else _("Đã lưu phiếu chấm."))
        return redirect("evaluation:scorecard", pk=self.application.pk)

    def get_context_data(self, **kwargs):
        app = self.application
        user = self.request.user
        card = self.card
        visible = [c for c in scoring.visible_scorecards(app, user) if c is not None]
        others = [c for c in visible if c.pk != card.pk]
        table = score_table(visible, self.structure) if card.is_submitted and others else []
        result = None
        if card.is_submitted or access.CHAIR in self.roles:
            if card.is_submitted:
                result = scoring.compute_result(app)
        chair = access.CHAIR in self.roles
        return super().get_context_data(
            card=card, others=others, score_table=table, visible_cards=visible,
            result=result, chair=chair,
            progress=scoring.progress(app) if chair else None,
            can_close=chair and app.state == State.SCORING,
            editable=not card.is_submitted and app.state == State.SCORING,
            **kwargs)


class CloseScoringView(ApplicationMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        try:
            scoring.close_scoring(self.application, actor=request.user,
                                  reason=request.POST.get("reason", ""))
        except EvaluationError as error:
            return refused(request, error, reverse("evaluation:scorecard", kwargs={"pk": pk}))
        messages.success(request, _("Đã kết thúc chấm điểm: %(score)s điểm.") % {
            "score": self.application.score})
        return redirect("evaluation:scorecard", pk=pk)


# --- Office: rounds, council, decision, all applications ---------------------------------------


class RoundListView(OfficeMixin, ListView):
    template_name = "evaluation/round_list.html"
    context_object_name = "rounds"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        return EvaluationRound.objects.annotate(
            application_count=Count("applications", filter=~Q(applications__state=State.DRAFT)),
        ).order_by("-year", "-pk")


class RoundFormView(OfficeMixin, TemplateView):
    template_name = "evaluation/round_form.html"
    round = None

    def dispatch(self, request, *args, **kwargs):
        if "pk" in kwargs:
            self.round = get_object_or_404(EvaluationRound, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(
            form=RoundForm(instance=self.round), round=self.round))

    def post(self, request, *args, **kwargs):
        form = RoundForm(request.POST, instance=self.round)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form, round=self.round),
                                           status=400)
        created = self.round is None
        round_ = form.save(commit=False)
        if created:
            round_.created_by = request.user
        round_.save()
        messages.success(request, _("Đã mở đợt đánh giá “%(name)s”.") % {"name": round_.name}
                         if created else _("Đã lưu đợt đánh giá."))
        return redirect("evaluation:round", pk=round_.pk)


class RoundDetailView(OfficeMixin, TemplateView):
    template_name = "evaluation/round_detail.html"

    def get_context_data(self, **kwargs):
        round_ = get_object_or_404(EvaluationRound, pk=self.kwargs["pk"])
        applications = list(_list_queryset().filter(round=round_).exclude(state=State.DRAFT)
                            .order_by("state", "pk"))
        council = Council.objects.filter(round=round_).first()
        members = list(council.members.select_related("user")) if council else []
        by_state = []
        for value, label in State.choices:
            rows = [a for a in applications if a.state == value]
            if rows:
                by_state.append({"state": value, "label": label, "applications": rows})
        return super().get_context_data(
            round=round_, by_state=by_state, council=council, members=members,
            forwarded=[a for a in applications if a.state == State.FORWARDED],
            scored=[a for a in applications if a.state == State.SCORED],
            decisions=list(round_.decisions.all()),
            # groups whose applications cannot be submitted: no mandatory document list
            unconfigured_groups=[
                documents.unconfigured_error(group).message
                for group in documents.unconfigured_groups(Application.objects.filter(
                    round=round_, state__in=documents.EDITABLE_STATES))],
            **kwargs)


class OpenScoringView(OfficeMixin, View):
    """POST: the office opens scoring for the round's forwarded applications.

    Rule: each application is its own move (:func:`workflow.transition`, one
    transaction each). Those that can be opened are opened; those refused (e.g.
    ``sheet_missing`` for a group without a scoring sheet, ``council_missing``)
    stay ``forwarded``, untouched, and are reported by name with their reasons in
    one message, so the office proceeds with the rest and fixes the others. When
    none could be opened it is a refusal: the refused page with the same list and
    the first refusal's status (4xx), nothing written.
    """

    http_method_names = ["post"]

    def post(self, request, pk):
        round_ = get_object_or_404(EvaluationRound, pk=pk)
        opened, refusals = 0, []
        for application in (Application.objects.filter(round=round_, state=State.FORWARDED)
                            .select_related("product", "group").order_by("pk")):
            try:
                workflow.transition(application, State.SCORING, actor=request.user)
            except EvaluationError as error:
                refusals.append((application, error))
            else:
                opened += 1
        report = _("Chưa mở chấm điểm được %(count)s hồ sơ: %(list)s") % {
            "count": len(refusals),
            "list": "; ".join(f"{a.product_name} — {e.message}" for a, e in refusals),
        } if refusals else ""
        if refusals and not opened:
            return refused(request, EvaluationError(refusals[0][1].code, report,
                                                    status=refusals[0][1].status),
                           reverse("evaluation:round", kwargs={"pk": pk}))
        messages.success(request, _("Đã mở chấm điểm %(count)s hồ sơ.") % {"count": opened})
        if report:
            messages.warning(request, report)
        return redirect("evaluation:round", pk=pk)


class CouncilEditView(OfficeMixin, TemplateView):
    """The round's council: its name, its members (username, role, title)."""

    template_name = "evaluation/council_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.round = get_object_or_404(EvaluationRound, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def council(self):
        return Council.objects.filter(round=self.round).first()

    def get_context_data(self, **kwargs):
        council = self.council()
        kwargs.setdefault("council_form", CouncilForm(instance=council, initial={
            "name": _("Hội đồng đánh giá, phân hạng sản phẩm OCOP — %(round)s")
            % {"round": self.round.name}}))
        kwargs.setdefault("member_form", MemberForm())
        return super().get_context_data(
            round=self.round, council=council,
            members=list(council.members.select_related("user")) if council else [], **kwargs)

    def post(self, request, *args, **kwargs):
        council = self.council()
        if "remove" in request.POST:
            return self.remove(request, council)
        council_form = CouncilForm(request.POST, instance=council)
        member_form = MemberForm(request.POST) if request.POST.get("username") else None
        valid = council_form.is_valid() and (member_form is None or member_form.is_valid())
        if valid and member_form is not None:
            data = member_form.cleaned_data
            if council is not None and council.members.filter(user=data["user"]).exists():
                member_form.add_error("username", _("Người này đã ở trong Hội đồng."))
            elif (data["role"] == CouncilMember.Role.CHAIR and council is not None
                  and council.members.filter(role=CouncilMember.Role.CHAIR).exists()):
                member_form.add_error("role", _("Hội đồng chỉ có một chủ tịch."))
            valid = member_form.is_valid() and not member_form.errors
        if not valid:
            return self.render_to_response(self.get_context_data(
                council_form=council_form, member_form=member_form or MemberForm()), status=400)
        with transaction.atomic():
            council = council_form.save(commit=False)
            council.round = self.round
            council.save()
            if member_form is not None:
                data = member_form.cleaned_data
                CouncilMember.objects.create(council=council, user=data["user"],
                                             role=data["role"], title=data.get("title", ""))
                data["user"].groups.add(
                    Group.objects.get_or_create(name=roles.COUNCIL_MEMBER)[0])
        messages.success(request, _("Đã lưu Hội đồng."))
        return redirect(request.path)

    def remove(self, request, council):
        """A member leaves the council while they have scored nothing (cards are history)."""
        member_id = positive_int(request.POST.get("remove"))
        member = (council.members.filter(pk=member_id).first()
                  if council is not None and member_id is not None else None)
        if member is None:
            raise Http404(_("Không tìm thấy thành viên."))
        if member.scorecards.exists():
            return refused(request, EvaluationError("member_has_scores", _(
                "Thành viên đã chấm điểm: phiếu chấm là lịch sử của hồ sơ, không bỏ được."),
                status=409), request.path)
        member.delete()
        messages.success(request, _("Đã bỏ thành viên khỏi Hội đồng."))
        return redirect(request.path)


class DecisionView(OfficeMixin, TemplateView):
    """The office records the decision; the products rated 3★+ get their certificates."""

    template_name = "evaluation/decision_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.round = get_object_or_404(EvaluationRound, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def candidates(self):
        return decisions.decidable(self.round).order_by("-score", "pk")

    def form(self, data=None):
        return DecisionForm(data, candidates=self.candidates(), initial={
            "body": self.round.certifying_body, "rating_level": self.round.rating_level})

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=self.form(), round=self.round))

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form, round=self.round),
                                           status=400)
        data = form.cleaned_data
        try:
            outcome = decisions.record_decision(
                self.round, number=data["number"], date=data["date"], body=data["body"],
                rating_level=data["rating_level"], applications=list(data["applications"]),
                actor=request.user)
        except EvaluationError as error:
            form.add_error(None, error.message)
            return self.render_to_response(self.get_context_data(form=form, round=self.round),
                                           status=error.status)
        messages.success(request, _(
            "Đã ghi nhận %(decision)s: %(rated)s sản phẩm được công nhận, %(up)s sản phẩm đề nghị "
            "cấp trung ương, %(not)s sản phẩm không đạt.") % {
                "decision": outcome.decision, "rated": len(outcome.certified),
                "up": len(outcome.sent_up), "not": len(outcome.not_rated)})
        return redirect("evaluation:round", pk=self.round.pk)


class OfficeApplicationsView(OfficeMixin, ListView):
    template_name = "evaluation/office_applications.html"
    context_object_name = "applications"
    paginate_by = PAGE_SIZE

    def get_queryset(self):
        queryset = _list_queryset()
        state = self.request.GET.get("state", "")
        if state in State.values:
            queryset = queryset.filter(state=state)
        else:
            queryset = queryset.exclude(state=State.DRAFT)
        round_id = positive_int(self.request.GET.get("round"))
        if round_id is not None:
            queryset = queryset.filter(round_id=round_id)
        if self.request.GET.get("overdue") == "1":
            queryset = queryset.filter(deadlines.overdue_q())
        return queryset

    def get_context_data(self, **kwargs):
        params = self.request.GET.copy()
        params.pop("page", None)
        return super().get_context_data(
            states=State.choices, state=self.request.GET.get("state", ""),
            rounds=EvaluationRound.objects.all(), round_id=self.request.GET.get("round", ""),
            counts=dict(Application.objects.values_list("state").annotate(n=Count("pk"))),
            overdue=self.request.GET.get("overdue") == "1",
            overdue_count=deadlines.overdue_count(Application.objects.all()),
            query_without_page=params.urlencode(), **kwargs)


# --- Office: scoring sheets, edited in the browser --------------------------------------------


class SheetListView(OfficeMixin, TemplateView):
    template_name = "evaluation/sheet_list.html"

    def get_context_data(self, **kwargs):
        sheets = list(ScoringSheet.objects.select_related("group").order_by("-is_active", "title"))
        return super().get_context_data(
            sheets=[(s, scoring.sheet_errors(s)) for s in sheets], **kwargs)


class SheetCreateView(OfficeMixin, TemplateView):
    template_name = "evaluation/sheet_form.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=SheetForm()))

    def post(self, request, *args, **kwargs):
        form = SheetForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        with transaction.atomic():
            sheet = form.save()
            for code, points in DEFAULT_PARTS.items():
                SheetPart.objects.create(sheet=sheet, code=code, max_points=points,
                                         title=str(SheetPart.Code(code).label))
        messages.success(request, _("Đã tạo phiếu chấm với ba phần A, B, C: hãy thêm tiêu chí."))
        return redirect("evaluation:sheet", pk=sheet.pk)


class SheetDetailView(OfficeMixin, TemplateView):
    """The sheet: its title and group, parts' maximums (a formset), criteria with options."""

    template_name = "evaluation/sheet_detail.html"

    def dispatch(self, request, *args, **kwargs):
        self.sheet = get_object_or_404(ScoringSheet.objects.select_related("group"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("form", SheetForm(instance=self.sheet, prefix="sheet"))
        kwargs.setdefault("parts_formset", PartFormSet(instance=self.sheet, prefix="parts"))
        return super().get_context_data(
            sheet=self.sheet, structure=scoring.sheet_structure(self.sheet),
            errors=scoring.sheet_errors(self.sheet), **kwargs)

    def post(self, request, *args, **kwargs):
        form = SheetForm(request.POST, instance=self.sheet, prefix="sheet")
        parts = PartFormSet(request.POST, instance=self.sheet, prefix="parts")
        if not (form.is_valid() and parts.is_valid()):
            return self.render_to_response(
                self.get_context_data(form=form, parts_formset=parts), status=400)
        form.save()
        parts.save()
        messages.success(request, _("Đã lưu phiếu chấm."))
        return redirect("evaluation:sheet", pk=self.sheet.pk)


class CriterionEditView(OfficeMixin, TemplateView):
    """One criterion of a sheet (new under a part, or existing) with its options."""

    template_name = "evaluation/criterion_form.html"

    def dispatch(self, request, *args, **kwargs):
        if "criterion" in kwargs:
            self.criterion = get_object_or_404(
                Criterion.objects.select_related("part__sheet"), pk=kwargs["criterion"],
                part__sheet_id=kwargs["pk"])
            self.part = self.criterion.part
        else:
            self.criterion = None
            self.part = get_object_or_404(SheetPart.objects.select_related("sheet"),
                                          pk=kwargs["part"], sheet_id=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def forms(self, data=None):
        criterion = self.criterion or Criterion(part=self.part)
        return (CriterionForm(data, instance=criterion, prefix="criterion"),
                OptionFormSet(data, instance=criterion, prefix="options"))

    def get_context_data(self, **kwargs):
        return super().get_context_data(part=self.part, sheet=self.part.sheet,
                                        criterion=self.criterion, **kwargs)

    def get(self, request, *args, **kwargs):
        form, formset = self.forms()
        return self.render_to_response(self.get_context_data(form=form, formset=formset))

    def post(self, request, *args, **kwargs):
        form, formset = self.forms(request.POST)
        if not (form.is_valid() and formset.is_valid()):
            return self.render_to_response(
                self.get_context_data(form=form, formset=formset), status=400)
        try:
            with transaction.atomic():
                criterion = form.save()
                formset.instance = criterion
                formset.save()
        except ProtectedError:
            return refused(request, EvaluationError("option_in_use", _(
                "Mức điểm này đã được thành viên Hội đồng chọn trong phiếu chấm: không xoá được, "
                "hãy sửa nội dung hoặc thêm mức mới."), status=409),
                reverse("evaluation:sheet", kwargs={"pk": self.part.sheet_id}))
        messages.success(request, _("Đã lưu tiêu chí."))
        return redirect(reverse("evaluation:sheet", kwargs={"pk": self.part.sheet_id})
                        + f"#criterion-{criterion.pk}")


# --- The certificate -----------------------------------------------------------------------------


class CertificateMixin(ApplicationMixin):
    def certificate(self):
        if not self.application.certificate_id:
            raise Http404(_("Sản phẩm này chưa có giấy chứng nhận OCOP từ đợt đánh giá."))
        return OcopCertificate.objects.select_related(
            "product__producer__commune").get(pk=self.application.certificate_id)

    def trace_url(self, certificate):
        return self.request.build_absolute_uri(certificate.product.get_trace_url())


class CertificateView(CertificateMixin, TemplateView):
    template_name = "evaluation/certificate.html"

    def get_context_data(self, **kwargs):
        certificate = self.certificate()
        url = self.trace_url(certificate)
        return super().get_context_data(
            qr=mark_safe(certificates.qr_svg(url)),  # noqa: S308 — our own QR of our own URL
            status=certification.STATUS_LABELS[certification.certificate_status(certificate)],
            **certificates.facts(certificate, url), **kwargs)


class CertificatePdfView(CertificateMixin, View):
    def get(self, request, pk):
        certificate = self.certificate()
        response = HttpResponse(certificates.certificate_pdf(certificate, self.trace_url(certificate)),
                                content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{certificates.filename(certificate)}"'
        return response


