"""The check works with networking disabled (SECURITY_NOTES, release test 10): Presidio is built
with a blank spaCy pipeline and no recogniser that fetches anything (tldextract, model downloads)."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

from consent.disclosure import phones, redact
from consent.disclosure.engine import analyse
from consent.disclosure.tests.registry import registry
from consent.disclosure.types import Kind

ROOT = Path(__file__).resolve().parents[3]
TEXT = "Ri Chol Su, born on 12 April 1999, e-mail ri@example.org, can be reached on +82 10-2345-6789 or 010-9876-5432."


class NetworkUsed(AssertionError):
    pass


def _refuse(*args, **kwargs):
    raise NetworkUsed("network access attempted")


def test_a_full_analysis_and_redaction_run_with_networking_disabled(monkeypatch):
    monkeypatch.setattr(socket.socket, "connect", _refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", _refuse)
    monkeypatch.setattr(socket, "create_connection", _refuse)
    monkeypatch.setattr(socket, "getaddrinfo", _refuse)
    phones.analyzer.cache_clear()  # build Presidio again, under the patch
    redact._anonymizer.cache_clear()
    result = analyse(TEXT, registry())
    assert {TEXT[f.start : f.end] for f in result.findings if f.kind is Kind.PHONE} == {
        "+82 10-2345-6789",
        "010-9876-5432",
    }
    assert redact.redact(TEXT, result.findings) == (
        "[NAME], born on [DATE OF BIRTH], e-mail [E-MAIL], can be reached on [PHONE] or [PHONE]."
    )


PROGRAM = f"""
import socket
def refuse(*args, **kwargs):
    raise OSError("network access attempted")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from consent.disclosure.engine import analyse
from consent.disclosure.redact import redact
from consent.disclosure.tests.registry import registry
text = {TEXT!r}
result = analyse(text, registry())
assert "[PHONE]" in redact(text, result.findings)
"""


def test_a_fresh_process_imports_and_analyses_with_networking_disabled():
    result = subprocess.run([sys.executable, "-c", PROGRAM], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
