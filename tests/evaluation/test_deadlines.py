"""The round's deadlines: who is late with which application, shown on the lists and the
application's page, filtered on the office's list; a late check or score is never refused."""

import datetime

import pytest
from django.urls import reverse

from shop.evaluation import deadlines, workflow
from shop.evaluation.models import Application, State
from tests.evaluation.factories import today, world

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def w():
    return world()


def with_deadlines(w, commune_check, scoring):
    w.round.applications_until = today() - 10 * DAY
    w.round.commune_check_until = commune_check
    w.round.scoring_until = scoring
    w.round.save()


@pytest.mark.parametrize("state, field, who", [
    (State.SUBMITTED, "commune_check_until", "commune"),
    (State.SCORING, "scoring_until", "council"),
])
def test_overdue_starts_the_day_after_the_deadline(w, state, field, who):
    app = w.application(state=state, documents=False)
    deadline = today()
    setattr(w.round, field, deadline)
    w.round.save()
    app.refresh_from_db()
    assert deadlines.overdue(app, today=deadline) is None  # the whole day counts
    late = deadlines.overdue(app, today=deadline + DAY)
    assert late.who == who and late.deadline == deadline
    queryset = Application.objects.filter(pk=app.pk)
    assert deadlines.overdue_count(queryset, today=deadline) == 0
    assert deadlines.overdue_count(queryset, today=deadline + DAY) == 1


@pytest.mark.parametrize("state", [State.DRAFT, State.RETURNED, State.FORWARDED, State.SCORED,
                                   State.RATED, State.WITHDRAWN])
def test_an_application_nobody_is_waiting_on_is_never_overdue(w, state):
    with_deadlines(w, today() - 5 * DAY, today() - 5 * DAY)
    app = w.application(state=state, documents=False)
    assert deadlines.overdue(app) is None
    assert deadlines.overdue_count(Application.objects.filter(pk=app.pk)) == 0


def test_a_late_check_is_shown_to_the_commune_and_still_accepted(client, w):
    with_deadlines(w, today() - DAY, today() + 30 * DAY)
    late = w.application(state=State.SUBMITTED)
    on_time = w.application(state=State.SCORING, product=None, proposed_name="Rượu cần",
                            documents=False)
    client.force_login(w.officer)
    page = client.get(reverse("evaluation:commune")).content.decode()
    assert page.count('data-overdue="commune"') == 1
    assert "1 hồ sơ đã quá hạn xã kiểm tra" in page
    assert (today() - DAY).strftime("%d/%m/%Y") in page
    detail = client.get(reverse("evaluation:application", args=[late.pk])).content.decode()
    assert 'data-overdue="commune"' in detail
    assert 'data-overdue' not in client.get(
        reverse("evaluation:application", args=[on_time.pk])).content.decode()
    workflow.transition(late, State.FORWARDED, actor=w.officer)  # late, but it counts
    assert deadlines.overdue(late) is None


def test_the_council_sees_its_late_scoring(client, w):
    with_deadlines(w, today() + 30 * DAY, today() - DAY)
    w.application(state=State.SCORING)
    client.force_login(w.member.user)
    page = client.get(reverse("evaluation:council")).content.decode()
    assert page.count('data-overdue="council"') == 1


def test_the_office_filters_the_overdue_applications(client, w, django_assert_max_num_queries):
    with_deadlines(w, today() - DAY, today() - DAY)
    late_check = w.application(state=State.SUBMITTED, documents=False)
    late_score = w.application(state=State.SCORING, product=None, proposed_name="Cà phê",
                               documents=False)
    for n in range(6):
        w.application(state=State.FORWARDED, product=None, proposed_name=f"Đúng hạn {n}",
                      documents=False)
    client.force_login(w.office)
    url = reverse("evaluation:office-applications")
    everything = client.get(url).content.decode()
    assert everything.count('data-application="') == 8
    assert "Quá hạn (2)" in everything
    with django_assert_max_num_queries(25):
        page = client.get(url, {"overdue": "1"}).content.decode()
    rows = {int(part.split('"')[0]) for part in page.split('data-application="')[1:]}
    assert rows == {late_check.pk, late_score.pk}
