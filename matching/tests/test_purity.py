"""The matching package stays free of Django, so it runs in batch and tests in milliseconds."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PROGRAM = """
import pkgutil, importlib, sys
import matching
for module in pkgutil.iter_modules(matching.__path__, "matching."):
    if not module.name.startswith("matching.tests"):
        importlib.import_module(module.name)
loaded = [name for name in sys.modules if name == "django" or name.startswith("django.")]
assert "matching.romanise" in sys.modules
assert not loaded, loaded
"""


def test_importing_every_matching_module_loads_no_django():
    result = subprocess.run([sys.executable, "-c", PROGRAM], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
