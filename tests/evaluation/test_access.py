"""Who sees which application (deny by default), the roles, and the dossier's private files."""

import datetime
import os
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from shop.core import roles
from shop.evaluation import access, documents
from shop.evaluation.errors import EvaluationError
from shop.evaluation.models import ApplicationEvent, State
from tests.evaluation.factories import today, upload, world
from tests.programme.factories import make_user

pytestmark = pytest.mark.django_db

VIEWERS = ["producer", "other_producer", "commune", "other_commune", "office", "chair",
           "member", "outsider", "stranger", "staff_without_permission"]
# state → the viewers who see an application in that state
SEES = {
    State.DRAFT: {"producer", "office"},
    State.SUBMITTED: {"producer", "office", "commune"},
    State.RETURNED: {"producer", "office", "commune"},
    State.FORWARDED: {"producer", "office", "commune"},
    State.SCORING: {"producer", "office", "commune", "chair", "member"},
    State.SCORED: {"producer", "office", "commune", "chair", "member"},
    State.RATED: {"producer", "office", "commune", "chair", "member"},
    State.NOT_RATED: {"producer", "office", "commune", "chair", "member"},
    State.SENT_UP: {"producer", "office", "commune", "chair", "member"},
    State.WITHDRAWN: {"producer", "office"},  # withdrawn before it was ever submitted
}
ROLES = {
    "producer": {"producer"}, "commune": {"commune"}, "office": {"office"},
    "chair": {"chair", "member"}, "member": {"member"},
}


def viewers(w):
    return {
        "producer": w.producer, "other_producer": w.other_producer, "commune": w.officer,
        "other_commune": w.other_officer, "office": w.office, "chair": w.chair.user,
        "member": w.member.user, "outsider": w.outsider, "stranger": make_user("khach"),
        "staff_without_permission": make_user("nhan-vien", is_staff=True),
    }


def test_the_permission_matrix():
    w = world()
    people = viewers(w)
    apps = {
        state: w.application(state=state, documents=False, product=None) for state in State.values
    }
    for name, user in people.items():
        seen = set(access.applications_for(user).values_list("state", flat=True))
        assert seen == {s for s, who in SEES.items() if name in who}, name
        for state, app in apps.items():
            visible = name in SEES[state]
            assert access.can_view_application(user, app) is visible, (name, state)
            if visible:
                assert access.get_application_or_404(user, app.pk) == app
            else:
                with pytest.raises(Http404):
                    access.get_application_or_404(user, app.pk)
            assert access.roles_for(user, app) == frozenset(ROLES.get(name, set())), name
    assert not access.applications_for(AnonymousUser()).exists()
    with pytest.raises(Http404):
        access.get_application_or_404(w.office, "not-a-number")


def test_the_commune_sees_a_withdrawal_of_what_it_was_sent():
    w = world()
    app = w.application(state=State.DRAFT)
    from shop.evaluation import workflow

    workflow.transition(app, State.SUBMITTED, actor=w.producer)
    workflow.transition(app, State.WITHDRAWN, actor=w.producer, reason="Chưa đủ sản lượng")
    assert access.can_view_application(w.officer, app)


def test_an_inactive_user_sees_nothing():
    w = world()
    w.application(state=State.SCORING)
    for user in (w.producer, w.officer, w.office, w.chair.user):
        user.is_active = False
        user.save()
        assert not access.applications_for(user).exists()


def test_the_role_groups():
    groups = roles.ensure_role_groups()
    assert roles.COUNCIL_MEMBER in groups and roles.COUNCIL_MEMBER in roles.ROLE_LABELS
    office = groups[roles.DISTRICT_OFFICE]
    assert office.permissions.filter(
        content_type__app_label="evaluation", codename="manage_evaluation"
    ).exists()
    for name in (roles.PRODUCER, roles.CASHIER, roles.COMMUNE_OFFICER, roles.COUNCIL_MEMBER):
        assert not groups[name].permissions.filter(content_type__app_label="evaluation").exists()
    w = world()
    assert access.is_office(w.office) and not access.is_office(w.chair.user)
    assert access.is_chair(w.chair.user, w.round) and not access.is_chair(w.member.user, w.round)
    assert access.is_council_member(w.member.user, w.round)
    assert not access.is_council_member(w.outsider, w.round)


def test_the_producer_uploads_a_private_document_that_supersedes_the_old_one():
    w = world()
    app = w.application(documents=False)
    registration, safety, _story = w.kinds
    first = documents.add_document(app, registration, upload("dang ky.JPG"), actor=w.producer)
    second = documents.add_document(app, registration, upload(), actor=w.producer, note="Bản mới")
    first.refresh_from_db()
    assert first.superseded_by == second and second.is_current
    assert [d.pk for d in documents.current_documents(app)] == [second.pk]
    # stored privately under a generated name, nobody reaches it by URL
    from django.conf import settings

    path = Path(second.file.path)
    assert Path(settings.PRIVATE_MEDIA_ROOT).resolve() in path.parents
    assert path.suffix == ".jpg" and "dang" not in path.name and os.path.exists(path)
    with pytest.raises(ValueError):
        second.file.url  # noqa: B018
    assert app.events.filter(kind=ApplicationEvent.Kind.DOCUMENT).count() == 2
    with pytest.raises(EvaluationError) as no_date:
        documents.add_document(app, safety, upload(), actor=w.producer)
    assert no_date.value.code == "validity_required"
    documents.add_document(app, safety, upload(), actor=w.producer,
                           valid_until=today() + datetime.timedelta(days=200))
    assert documents.missing_documents(app) == []
    assert documents.missing_documents(app, on=today() + datetime.timedelta(days=201)) == [safety]


def test_bad_files_and_wrong_people_are_refused_with_nothing_stored(settings):
    w = world()
    app = w.application(documents=False)
    kind = w.kinds[0]
    page = SimpleUploadedFile("nhan.jpg", b"<html><script>alert(1)</script></html>",
                              content_type="image/jpeg")
    with pytest.raises(EvaluationError) as bad:
        documents.add_document(app, kind, page, actor=w.producer)
    assert bad.value.code == "bad_file" and bad.value.status == 400
    for user in (w.other_producer, w.officer, w.office, w.member.user):
        with pytest.raises(EvaluationError) as refused:
            documents.add_document(app, kind, upload(), actor=user)
        assert refused.value.code == "forbidden" and refused.value.status == 403
    from shop.evaluation.models import DocumentKind

    foreign = DocumentKind.objects.create(code="khac", name="Giấy khác")
    with pytest.raises(EvaluationError) as unknown:
        documents.add_document(app, foreign, upload(), actor=w.producer)
    assert unknown.value.code == "unknown_kind"
    app.state = State.SUBMITTED
    app.save()
    with pytest.raises(EvaluationError) as late:
        documents.add_document(app, kind, upload(), actor=w.producer)
    assert late.value.code == "not_editable"
    assert not app.documents.exists()
    private = Path(settings.PRIVATE_MEDIA_ROOT)
    assert not private.exists() or not any(p.is_file() for p in private.rglob("*"))


def test_whoever_sees_the_application_reads_its_documents():
    w = world()
    app = w.application(state=State.SCORING)
    doc = app.documents.first()
    assert access.can_view_document(w.member.user, doc)
    assert access.can_view_document(w.officer, doc)
    assert not access.can_view_document(w.other_producer, doc)
    assert not access.can_view_document(w.outsider, doc)
