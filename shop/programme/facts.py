"""Producers' programme facts: what the programme counts that a sale does not tell.

The rules
---------
1. **Who.** A producer user (``vendors.access.vendor_for``) reads and edits the
   facts of its own producer only; another producer's facts are never in
   reach (the office pages answer 403 to it, and no producer page takes an
   id). The **office** is a staff user holding ``programme.manage_programme``,
   or a superuser (:func:`is_office`): it reads every producer's facts, edits
   them and confirms them.
2. **Confirmation.** ``confirmed_at`` is the moment the office last confirmed
   the figures, ``confirmed_by`` who did. A producer's edit that changes any
   figure clears both (the office must look again); saving the same figures
   changes nothing. An edit by the office is the office's own word: it is
   confirmed at once by that office user.
3. **Validation** (Vietnamese messages): trained workers never exceed the
   workers; the raw-material area code and the other modern channels are free
   text, trimmed, inner runs of spaces made one (``shop.core.text`` refuses
   control characters in every form field already).
4. A producer without a facts row has nothing confirmed and zero workers: the
   pages show it as "chưa khai" until somebody saves it.
"""

from __future__ import annotations

import re

from django import forms
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shop.programme import access
from shop.programme.models import ProducerFacts
from vendors.models import Vendor

FIELDS = ["closed_value_chain", "raw_material_area_code", "workers", "trained_workers",
          "modern_channels"]
_SPACES = re.compile(r"\s+")


def is_office(user):
    """Staff with ``programme.manage_programme``, or a superuser (``shop.programme.access``)."""
    return access.is_office(user)


def tidy(text):
    """Free text trimmed, runs of spaces (and line breaks) made one space."""
    return _SPACES.sub(" ", text or "").strip()


class FactsForm(forms.ModelForm):
    """The facts as a producer or the office types them (rule 3)."""

    class Meta:
        model = ProducerFacts
        fields = FIELDS
        widgets = {
            "workers": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "trained_workers": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "modern_channels": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_raw_material_area_code(self):
        return tidy(self.cleaned_data.get("raw_material_area_code"))

    def clean_modern_channels(self):
        return tidy(self.cleaned_data.get("modern_channels"))

    def clean(self):
        cleaned = super().clean()
        workers, trained = cleaned.get("workers"), cleaned.get("trained_workers")
        if workers is not None and trained is not None and trained > workers:
            self.add_error(
                "trained_workers",
                _("Số lao động được đào tạo (%(trained)s) không được lớn hơn tổng số lao động "
                  "(%(workers)s).") % {"trained": trained, "workers": workers},
            )
        return cleaned

    def validate_constraints(self, exclude=None):
        # clean() says it in the field's words; the model's check would repeat it
        pass


def facts_of(vendor):
    """The producer's facts row, or an unsaved one with the defaults (rule 4)."""
    try:
        return vendor.programme_facts
    except ProducerFacts.DoesNotExist:
        return ProducerFacts(vendor=vendor)


def _changed(facts, values):
    return any(getattr(facts, name) != values[name] for name in FIELDS)


@transaction.atomic
def save_by_producer(vendor, values):
    """The producer's own edit (rule 2): a change clears the office's confirmation.

    ``values`` are a valid :class:`FactsForm`'s ``cleaned_data``. Returns
    ``(facts, changed)``.
    """
    facts = (
        ProducerFacts.objects.select_for_update().filter(vendor=vendor).first()
        or ProducerFacts(vendor=vendor)
    )
    changed = facts.pk is None or _changed(facts, values)
    if not changed:
        return facts, False
    for name in FIELDS:
        setattr(facts, name, values[name])
    facts.confirmed_at = None
    facts.confirmed_by = None
    facts.save()
    return facts, True


@transaction.atomic
def save_by_office(vendor, values, user, now=None):
    """The office's edit (rule 2): saved and confirmed by ``user`` at once."""
    facts = (
        ProducerFacts.objects.select_for_update().filter(vendor=vendor).first()
        or ProducerFacts(vendor=vendor)
    )
    for name in FIELDS:
        setattr(facts, name, values[name])
    facts.confirmed_at = now or timezone.now()
    facts.confirmed_by = user
    facts.save()
    return facts


@transaction.atomic
def confirm(vendor, user, now=None):
    """The office confirms the figures as they stand (a producer with no row gets one)."""
    facts = (
        ProducerFacts.objects.select_for_update().filter(vendor=vendor).first()
        or ProducerFacts(vendor=vendor)
    )
    facts.confirmed_at = now or timezone.now()
    facts.confirmed_by = user
    facts.save()
    return facts


def producers_with_facts():
    """Every producer (by name) with its facts row (or None) on ``facts``; two queries."""
    vendors = list(
        Vendor.objects.select_related("partner", "commune").order_by("partner__name", "pk")
    )
    rows = {
        facts.vendor_id: facts
        for facts in ProducerFacts.objects.filter(vendor__in=vendors).select_related("confirmed_by")
    }
    for vendor in vendors:
        vendor.facts = rows.get(vendor.pk)
    return vendors


def summary(vendors):
    """Counts the office list shows above the table."""
    with_facts = [v.facts for v in vendors if v.facts is not None]
    return {
        "producers": len(vendors),
        "confirmed": sum(1 for f in with_facts if f.confirmed_at),
        "unconfirmed": len(vendors) - sum(1 for f in with_facts if f.confirmed_at),
        "workers": sum(f.workers for f in with_facts),
        "trained_workers": sum(f.trained_workers for f in with_facts),
    }
