"""Fixtures of the GraphQL API's tests: post a document as a storefront does; the demo data."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command

DOCUMENTS = Path(__file__).parent / "documents"


def document(name):
    """A GraphQL document of ``tests/graphql/documents`` (with the fragments it spreads)."""
    text = (DOCUMENTS / f"{name}.graphql").read_text()
    for fragment in sorted(DOCUMENTS.glob("fragments/*.graphql")):
        body = fragment.read_text()
        if f"...{fragment.stem}" in text and f"fragment {fragment.stem} " not in text:
            text += "\n" + body
    # fragments used by fragments
    for _round in range(3):
        for fragment in sorted(DOCUMENTS.glob("fragments/*.graphql")):
            if f"...{fragment.stem}" in text and f"fragment {fragment.stem} " not in text:
                text += "\n" + fragment.read_text()
    return text


class GraphQLClient:
    def __init__(self, client):
        self.client = client
        self.token = None

    def post(self, query, variables=None, token=None, operation_name=None, status=200, **headers):
        token = token or self.token
        if token:
            headers["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        body = {"query": query, "variables": variables or {}}
        if operation_name:
            body["operationName"] = operation_name
        response = self.client.post("/graphql/", data=json.dumps(body), content_type="application/json",
                                    **headers)
        assert response.status_code == status, response.content[:2000]
        return response.json()

    def data(self, query, variables=None, **kwargs):
        """The ``data`` of an answer that must have no errors."""
        answer = self.post(query, variables, **kwargs)
        assert "errors" not in answer, answer["errors"]
        return answer["data"]


@pytest.fixture
def gql(client):
    return GraphQLClient(client)


@pytest.fixture(scope="module")
def demo_media(tmp_path_factory):
    return str(tmp_path_factory.mktemp("media"))


@pytest.fixture(autouse=True)
def _media_root(request, settings, tmp_path):
    """A test's files go to its own folder; with the demo, to the demo's (its photos)."""
    if "demo" in request.fixturenames:
        settings.MEDIA_ROOT = request.getfixturevalue("demo_media")
    else:
        settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, demo_media):
    """The whole demo (``load_demo``), once per test module, emptied afterwards."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=demo_media), django_db_blocker.unblock():
        call_command("load_demo", quiet=True)
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)
