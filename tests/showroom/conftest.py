import pytest

from showroom import inventory
from showroom.models import Stock


def assert_invariants():
    mismatches = inventory.check_invariants()
    assert not mismatches, "\n".join(str(m) for m in mismatches)
    for stock in Stock.objects.all():
        balances = inventory.check_ledger_balances(stock)
        assert not balances, "\n".join(str(m) for m in balances)


@pytest.fixture
def invariant(request):
    """Checks the inventory invariant after the test's scenario."""
    yield assert_invariants
    if request.node.rep_call.passed if hasattr(request.node, "rep_call") else True:
        assert_invariants()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, "rep_" + rep.when, rep)
