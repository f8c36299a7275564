"""Smoke test of the HTTP benches (bench/load.py, bench/hot_sku.py): arguments, and one very
short run of each against a live server, with their database side (restock through
``showroom.inventory``, the books checked by ``check_inventory``) on the test database.

No timing is asserted: the benches print figures, the test checks what they did.
"""

import importlib.util
import sys
from pathlib import Path

import pytest
from django.db import connection
from oscar.core.loading import get_model

from pos.models import TillSale
from showroom import inventory
from showroom.models import Stock
from tests.checkout.support import delivery_zones
from tests.pos.factories import make_cashier, make_register
from tests.showroom.factories import make_offer, three_locations

Order = get_model("order", "Order")
SourceType = get_model("payment", "SourceType")
BENCH = Path(__file__).resolve().parent.parent / "bench"


def bench_module(name):
    sys.path.insert(0, str(BENCH))  # hot_sku imports load as a sibling
    try:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


load = bench_module("load")
hot_sku = bench_module("hot_sku")


@pytest.mark.parametrize("argv", [
    ["--seconds", "0"], ["--users", "-1"], ["--mix", "1,2"], ["--mix", "a,b,c"],
    ["--registers", "2", "--cashiers", "a:b"], ["--cashiers", "no-password"],
])
def test_load_refuses_bad_arguments(argv):
    with pytest.raises(SystemExit) as exit_:
        load.parse_args(argv)
    assert exit_.value.code == 2


def test_load_arguments():
    args = load.parse_args(["--url", "http://shop:8000", "--users", "4", "--seconds", "5",
                            "--mix", "1,0,3", "--restock", "0"])
    assert (args.url, args.users, args.seconds, args.weights, args.restock) == (
        "http://shop:8000", 4, 5.0, [1.0, 0.0, 3.0], 0)
    assert [c.split(":")[0] for c in args.cashier_list] == [
        "cashier_showcase", "cashier_dakmar", "cashier_ngokwang"]


@pytest.mark.parametrize("argv", [
    ["--buyers", "0"], ["--orders", "0"], ["--rounds", "0"], ["--stock", "-1"],
])
def test_hot_sku_refuses_bad_arguments(argv):
    with pytest.raises(SystemExit) as exit_:
        hot_sku.parse_args(argv)
    assert exit_.value.code == 2


def test_percentile_and_table():
    assert load.percentile([], 95) == 0.0
    assert load.percentile([5, 1, 3, 2, 4], 50) == 3
    assert load.percentile(list(range(1, 101)), 99) == 99
    stats = load.Stats()
    stats.add("home", 10.0)
    stats.error("home", "HTTP 500")
    table = stats.table(1.0, ["home"])
    assert table.splitlines()[0].split() == ["step", "requests", "req/s", "p50", "ms", "p95",
                                             "ms", "p99", "ms", "errors"]
    assert table.splitlines()[-1].split()[-1] == "1"  # the error is counted


@pytest.fixture
def shop_db(monkeypatch):
    """The bench's ``manage.py`` subprocesses must see the live server's (test) database."""
    if connection.vendor != "postgresql":
        pytest.skip("the bench's manage.py subprocess cannot see an SQLite test database")
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    monkeypatch.setenv("DATABASE_URL",
                       f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}")
    delivery_zones()
    locations = three_locations()
    offers = [make_offer(f"Cà phê Đăk Hà thử tải {i}", stock={locations[0]: 2}, price=120000 + i)
              for i in range(2)]
    make_register(locations[0], code="bench-1")
    make_cashier(locations[0], username="bench_cashier", password="Bench@pass-1")
    return locations, offers


@pytest.mark.django_db(transaction=True)
def test_load_bench_runs_against_a_live_server(live_server, shop_db, capsys):
    code = load.main(["--url", live_server.url, "--users", "6", "--seconds", "1",
                      "--mix", "1,1,1", "--registers", "1",
                      "--cashiers", "bench_cashier:Bench@pass-1", "--restock", "40"])
    out = capsys.readouterr().out
    assert code == 0, out
    steps = {line.split()[0] for line in out.splitlines() if line.strip()}
    assert {"home", "product", "search", "place-order", "till-sale"} <= steps, out
    assert "errors: 0 (goal 0)" in out and "oversells: 0 (goal 0)" in out
    assert "invariants: clean" in out
    assert Order.objects.filter(guest_email__startswith="load").exists()
    assert TillSale.objects.exists()
    assert inventory.check_invariants() == []
    locations, offers = shop_db
    for offer in offers:  # restocked at each of the three points (it had stock at one)
        assert Stock.objects.filter(stockrecord=offer).count() == len(locations)


@pytest.mark.django_db(transaction=True)
def test_hot_sku_bench_runs_against_a_live_server(live_server, shop_db, capsys):
    hot_sku.main(["--url", live_server.url, "--buyers", "2", "--orders", "1", "--stock", "5"])
    out = capsys.readouterr().out  # the ratio is a timing: not asserted
    assert "errors: 0 (goal 0)" in out and "oversells: 0 (goal 0)" in out, out
    rows = {line.split()[0]: line.split() for line in out.splitlines()
            if line.split()[:1] in (["spread"], ["hot"]) and line.split()[1].isdigit()}
    assert rows["spread"][1:3] == ["2", "2"] and rows["hot"][1:3] == ["1", "2"], out
    _locations, offers = shop_db
    hot = offers[0]
    assert Order.objects.filter(lines__stockrecord=hot).count() == 3  # 1 spread + 2 hot
    assert Order.objects.count() == 4
    assert inventory.check_invariants() == []
