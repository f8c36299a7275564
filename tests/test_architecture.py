"""The floors of the house: import-linter's contracts (pyproject.toml, ``[tool.importlinter]``).

``lint-imports`` on the command line says the same. The contracts read the
imports of every module of the five packages (those inside functions too):
a lower floor never imports a higher one (the inventory is the ground floor),
no module circles with its siblings (models never import the rules that use
them), and the till and the online shop meet only below them. The second test
puts a circle back in a copy of the code and sees the check fail.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from importlinter.application.use_cases import lint_imports
from importlinter.configuration import configure

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("shop", "catalogue", "vendors", "showroom", "pos")


def test_the_import_contracts_are_kept(capsys):
    configure()
    kept = lint_imports(str(ROOT / "pyproject.toml"), cache_dir=None, no_logo=True)
    report = capsys.readouterr().out
    assert kept, report


def _copy_of_the_code(tmp_path):
    for package in PACKAGES:
        shutil.copytree(
            ROOT / package, tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "migrations", "templates", "static",
                                          "locale", "*.mo", "*.po"),
        )
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")


def _lint(tmp_path):
    command = [
        sys.executable, "-c",
        "import sys; from importlinter.cli import lint_imports_command; "
        "sys.exit(lint_imports_command())",
        "--no-cache", "pyproject.toml",
    ]
    return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(tmp_path)})


@pytest.mark.parametrize("module, circle, contract", [
    # the inventory reads the catalogue's combo rules again: a circle between apps
    ("showroom/inventory/combos.py", "from catalogue import combos as _circle", "Floors"),
    # the certification rules import the models that import them
    ("catalogue/certification.py", "from catalogue.models import OcopCertificate as _circle",
     "No circles"),
    # a model reaches up into the rules that use it
    ("catalogue/models.py", "from catalogue import combos as _circle", "Models"),
])
def test_a_circle_put_back_breaks_a_contract(tmp_path, module, circle, contract):
    _copy_of_the_code(tmp_path)
    kept = _lint(tmp_path)
    assert kept.returncode == 0, kept.stdout + kept.stderr  # the copy is as sound as the tree

    path = tmp_path / module
    path.write_text(path.read_text() + f"\n\ndef _put_back():\n    {circle}  # noqa\n")
    broken = _lint(tmp_path)
    assert broken.returncode != 0
    assert f"{contract}" in broken.stdout and "BROKEN" in broken.stdout, broken.stdout
