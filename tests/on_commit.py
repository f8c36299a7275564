"""A test client's request commits, as in production (``ATOMIC_REQUESTS``).

In a ``django_db`` test the whole test is one transaction that is rolled back, so
work sent with ``transaction.on_commit`` (the order confirmation email, cache
invalidation: ``shop.core.tasks.after_commit``) would never run. Each request of
the test client runs the callbacks its own transaction registered when it ends
without error, as the commit at the end of a real request would.
"""

import pytest


@pytest.fixture(autouse=True)
def _requests_commit(monkeypatch):
    from django.test import Client, TestCase

    original = Client.request

    def request(self, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return original(self, **kwargs)

    monkeypatch.setattr(Client, "request", request)
