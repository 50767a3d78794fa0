"""The disclosure engine stays free of Django, like the matching package, so it runs anywhere."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

PROGRAM = """
import pkgutil, importlib, sys
import consent.disclosure, consent.disclosure.data
for package in (consent.disclosure, consent.disclosure.data):
    for module in pkgutil.iter_modules(package.__path__, package.__name__ + "."):
        if not module.name.startswith("consent.disclosure.tests"):
            importlib.import_module(module.name)
loaded = [name for name in sys.modules if name == "django" or name.startswith("django.")]
assert "consent.disclosure.engine" in sys.modules and "consent.disclosure.data.gazetteer" in sys.modules
assert not loaded, loaded
heavy = [name for name in ("spacy", "presidio_analyzer", "presidio_anonymizer") if name in sys.modules]
assert not heavy, heavy  # imported on first use only, never at start-up
"""


def test_importing_every_disclosure_module_loads_no_django_and_no_spacy():
    result = subprocess.run([sys.executable, "-c", PROGRAM], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
