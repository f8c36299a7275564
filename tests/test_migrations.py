"""The migrations: every model change has its migration, on whichever database runs the suite.

The test database itself is built by running every migration (pytest-django does not
skip them), so a migration that fails on SQLite or on PostgreSQL fails the whole run;
this test adds the other half: no model change is left without a migration.
"""

from io import StringIO

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_no_model_change_is_left_without_a_migration():
    out = StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:
        pytest.fail(f"makemigrations --check found changes (exit {exit_.code}):\n{out.getvalue()}")
