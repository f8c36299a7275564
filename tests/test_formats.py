"""Dates are day first (d/m/Y) in Vietnamese, in and out; English keeps working;
the money formats (Oscar's currency filter, the till's format_vnd) are not disturbed."""

import datetime
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import formats, translation

from pos.money import format_vnd


class DateForm(forms.Form):
    day = forms.DateField()
    moment = forms.DateTimeField(required=False)


def parse(text, language, field="day"):
    with translation.override(language):
        form = DateForm({"day": "2026-01-01", field: text})
        assert form.is_valid(), form.errors
        return form.cleaned_data[field]


@pytest.mark.parametrize("text", ["05/03/2026", "05-03-2026", "5/3/2026", "2026-03-05"])
def test_vietnamese_date_input_is_day_first(text):
    assert parse(text, "vi") == datetime.date(2026, 3, 5)


def test_vietnamese_datetime_input_is_day_first():
    moment = parse("05/03/2026 14:30", "vi", field="moment")
    assert (moment.year, moment.month, moment.day, moment.hour, moment.minute) == (
        2026, 3, 5, 14, 30)
    assert parse("2026-03-05T14:30", "vi", field="moment").day == 5


def test_impossible_dates_are_refused_with_a_message_in_vietnamese():
    with translation.override("vi"):
        form = DateForm({"day": "31/02/2026"})
        assert not form.is_valid()
        assert form.errors["day"] == ["Nhập một ngày hợp lệ."]
        form = DateForm({"day": "03/25/2026"})  # month first is not a Vietnamese date
        assert not form.is_valid()


@pytest.mark.parametrize("text", ["05/03/2026", "2026-03-05", "5 Mar 2026", "5 March 2026"])
def test_english_reads_the_same_dates(text):
    assert parse(text, "en") == datetime.date(2026, 3, 5)


def test_english_errors_stay_english():
    with translation.override("en"):
        form = DateForm({"day": "31/02/2026"})
        assert not form.is_valid()
        assert form.errors["day"] == ["Enter a valid date."]


def test_dates_are_shown_day_first():
    day = datetime.date(2026, 3, 5)
    with translation.override("vi"):
        assert formats.date_format(day) == "05/03/2026"
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "05/03/2026"
        assert Template("{{ d }}|{{ d|date }}").render(Context({"d": day})) == (
            "05/03/2026|05/03/2026")
        # a text date input shows its value the way it is typed back
        assert 'value="05/03/2026"' in str(DateForm(initial={"day": day})["day"])
    with translation.override("en"):
        assert formats.date_format(day) == "5 Mar 2026"
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "05/03/2026"
        assert 'value="05/03/2026"' in str(DateForm(initial={"day": day})["day"])


def test_number_separators():
    with translation.override("vi"):
        assert formats.number_format(Decimal("1250000.5"), 1, force_grouping=True) == (
            "1.250.000,5")
        assert formats.sanitize_separators("1250000,5") == "1250000.5"
    with translation.override("en"):
        assert formats.number_format(Decimal("1250000.5"), 1, force_grouping=True) == (
            "1,250,000.5")


def test_money_formats_are_unchanged():
    with translation.override("vi"):
        assert format_vnd(Decimal("1250000")) == "1.250.000 ₫"
        out = Template("{% load currency_filters %}{{ v|currency:'VND' }}").render(
            Context({"v": Decimal("1250000")}))
        assert out.replace("\xa0", " ") == "1.250.000 ₫"
    with translation.override("en"):
        out = Template("{% load currency_filters %}{{ v|currency:'VND' }}").render(
            Context({"v": Decimal("1250000")}))
        assert out == "₫1,250,000"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["vi", "en"])
def test_project_date_filters_read_day_first(language):
    """The inventory ledger's and the producer reports' period filters."""
    from showroom.forms import LedgerFilterForm
    from vendors.reports import PeriodForm

    with translation.override(language):
        form = LedgerFilterForm({"date_from": "05/03/2026", "date_to": "2026-03-31"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["date_from"] == datetime.date(2026, 3, 5)
        form = LedgerFilterForm({"date_from": "31/03/2026", "date_to": "05/03/2026"})
        assert not form.is_valid() and "date_to" in form.errors
        form = PeriodForm({"start": "01/03/2026", "end": "31/03/2026"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["end"] == datetime.date(2026, 3, 31)
