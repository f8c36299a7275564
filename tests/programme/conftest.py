import importlib

import pytest


@pytest.fixture(autouse=True)
def _seed_plan(request):
    """The seed's plan 2021–2025 comes with a migration; a transactional test run earlier
    in the same process empties the tables it used (pytest-django's flush), so put it
    back when it is missing (one query when it is there)."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    from django.apps import apps

    importlib.import_module("shop.programme.migrations.0002_seed_plan_2021_2025").seed(apps, None)
