import pytest

from tests.showroom.conftest import assert_invariants, pytest_runtest_makereport  # noqa: F401


@pytest.fixture
def invariant(request):
    """Checks the inventory invariant (combos included) after the test's scenario."""
    yield assert_invariants
    if request.node.rep_call.passed if hasattr(request.node, "rep_call") else True:
        assert_invariants()
