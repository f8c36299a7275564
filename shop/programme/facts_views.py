"""Producers' programme facts: the producer's own page and the office's list — thin views.

Rules (who, confirmation, validation) live in ``shop.programme.facts``.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from shop.programme import facts
from shop.programme.models import ProducerFacts
from vendors import access
from vendors.models import Vendor
from vendors.views import ProducerMixin


class InvalidFormMixin:
    """Invalid input answers 400 with the form and its Vietnamese messages."""

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class OfficeMixin(LoginRequiredMixin):
    """The district office only (``facts.is_office``); anybody else signed in gets 403."""

    login_url = reverse_lazy("customer:login")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not facts.is_office(request.user):
            raise PermissionDenied(_("Trang này chỉ dành cho Phòng Nông nghiệp huyện."))
        return super().dispatch(request, *args, **kwargs)


# --- The producer ---------------------------------------------------------------------


class MyFactsView(InvalidFormMixin, ProducerMixin, FormView):
    """/producer/programme/: the producer's own facts (an edit clears the confirmation)."""

    template_name = "programme/facts_mine.html"
    form_class = facts.FactsForm

    @cached_property
    def record(self):
        return facts.facts_of(self.vendor)

    def get_form_kwargs(self):
        # a copy: the form writes into its instance while validating
        instance = ProducerFacts(
            **{name: getattr(self.record, name) for name in facts.FIELDS}, vendor=self.vendor
        )
        return {**super().get_form_kwargs(), "instance": instance}

    def get_context_data(self, **kwargs):
        return super().get_context_data(facts=self.record, **kwargs)

    def form_valid(self, form):
        _saved, changed = facts.save_by_producer(self.vendor, form.cleaned_data)
        if changed:
            messages.success(
                self.request,
                _("Đã lưu. Phòng Nông nghiệp sẽ xác nhận lại các số liệu này."),
            )
        else:
            messages.info(self.request, _("Không có gì thay đổi."))
        return redirect("programme-producer:my-facts")


# --- The office -----------------------------------------------------------------------


class ProducersView(OfficeMixin, TemplateView):
    """/office/programme/producers/: every producer's facts, confirmed or not."""

    template_name = "programme/facts_list.html"

    def get_context_data(self, **kwargs):
        vendors = facts.producers_with_facts()
        return super().get_context_data(vendors=vendors, summary=facts.summary(vendors), **kwargs)


class ProducerFactsView(InvalidFormMixin, OfficeMixin, FormView):
    """/office/programme/producers/<vendor pk>/: the office edits (and so confirms) or confirms."""

    template_name = "programme/facts_edit.html"
    form_class = facts.FactsForm

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not facts.is_office(user):
            # a producer reaches its own facts on its own page; another's are not there (404)
            own = access.vendor_for(user)
            if own is not None:
                if own.pk == kwargs["pk"]:
                    return redirect("programme-producer:my-facts")
                raise Http404(_("Không tìm thấy."))
        return super().dispatch(request, *args, **kwargs)

    @cached_property
    def vendor(self):
        return get_object_or_404(
            Vendor.objects.select_related("partner", "commune"), pk=self.kwargs["pk"]
        )

    @cached_property
    def record(self):
        return facts.facts_of(self.vendor)

    def get_form_kwargs(self):
        instance = ProducerFacts(
            **{name: getattr(self.record, name) for name in facts.FIELDS}, vendor=self.vendor
        )
        return {**super().get_form_kwargs(), "instance": instance}

    def get_context_data(self, **kwargs):
        return super().get_context_data(vendor=self.vendor, facts=self.record, **kwargs)

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "confirm":
            facts.confirm(self.vendor, request.user)
            messages.success(
                request, _("Đã xác nhận số liệu của %(name)s.") % {"name": self.vendor.name}
            )
            if request.POST.get("next") == "list":
                return redirect("programme:producers")
            return redirect("programme:producer-facts", pk=self.vendor.pk)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        facts.save_by_office(self.vendor, form.cleaned_data, self.request.user)
        messages.success(
            self.request,
            _("Đã lưu và xác nhận số liệu của %(name)s.") % {"name": self.vendor.name},
        )
        return redirect("programme:producers")
