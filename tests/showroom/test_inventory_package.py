"""``showroom.inventory`` is a package with one public entry: callers keep using its names."""

import importlib
import pathlib
import re

from showroom import inventory

ROOT = pathlib.Path(__file__).resolve().parents[2]
USED = re.compile(r"\binventory\.([A-Za-z_]\w*)")


def test_every_name_callers_use_is_on_the_package():
    used = set()
    for folder in ("shop", "catalogue", "vendors", "pos", "showroom", "bench", "tests"):
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts or "inventory" in path.relative_to(ROOT).parts[:2]:
                continue
            used.update(USED.findall(path.read_text()))
    used -= {"py"}  # "showroom/inventory.py" in prose
    assert used, "no caller found: the search itself is broken"
    missing = sorted(name for name in used if not hasattr(inventory, name))
    assert not missing, missing
    assert set(inventory.__all__) >= {name for name in used if not name.startswith("_")}


def test_each_module_states_its_responsibility():
    folder = ROOT / "showroom" / "inventory"
    for path in sorted(folder.glob("*.py")):
        module = importlib.import_module(f"showroom.inventory.{path.stem}".removesuffix(".__init__"))
        assert module.__doc__ and module.__doc__.strip(), path.name
    assert "Lock order" in inventory.__doc__
