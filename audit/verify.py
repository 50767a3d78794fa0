"""The offline audit verifier: needs an export file and the public key, never the database.

    python -m audit.verify --export audit.jsonl --checkpoint latest.txt --public-key audit-signing-key.pub

Exits 0 when the log is intact, 1 naming the first bad entry, 2 when the inputs cannot be read.
It imports nothing from Django, so an auditor can run it on their own machine.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from audit import chain


@dataclass
class Verdict:
    ok: bool
    message: str


def load_public_key(path: Path) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(path.read_bytes())
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"{path} is not an Ed25519 public key")
    return key


def verify_entries(
    entries: Sequence[chain.Entry],
    *,
    checkpoint_text: str | None = None,
    public_key: Ed25519PublicKey | None = None,
    key_name: str = "passage-audit",
) -> Verdict:
    ordered = list(entries)  # as exported: reordering is one of the things to catch
    state, problem = chain.verify_chains(ordered)
    if problem is not None:
        return Verdict(False, f"FAILED at {problem}")
    summary = f"{len(state.leaves)} entries in {len(state.sizes)} partition(s) form unbroken chains"
    if checkpoint_text is None:
        return Verdict(True, f"OK: {summary} (no checkpoint given: a cut-off tail or a rebuilt log is not ruled out)")
    if public_key is None:
        return Verdict(False, "FAILED: a checkpoint needs the public key to verify it")
    try:
        checkpoint = chain.parse_checkpoint(checkpoint_text, public_key, key_name)
    except chain.CheckpointError as exc:
        return Verdict(False, f"FAILED: checkpoint: {exc}")
    problem = chain.verify_against_checkpoint(ordered, checkpoint)
    if problem is not None:
        return Verdict(False, f"FAILED at {problem}")
    return Verdict(True, f"OK: {summary}; the first {checkpoint.size} match the signed checkpoint")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m audit.verify", description=__doc__.split("\n\n")[0])
    parser.add_argument("--export", type=Path, required=True, help="file written by `passage audit export`")
    parser.add_argument("--checkpoint", type=Path, help="a signed checkpoint file")
    parser.add_argument("--public-key", type=Path, help="the audit signing key's public half (PEM)")
    parser.add_argument("--key-name", default="passage-audit")
    args = parser.parse_args(argv)
    try:
        with args.export.open(encoding="utf-8") as handle:
            entries = list(chain.iter_export(handle))
        checkpoint_text = args.checkpoint.read_text(encoding="utf-8") if args.checkpoint else None
        public_key = load_public_key(args.public_key) if args.public_key else None
    except (OSError, ValueError) as exc:
        print(f"cannot read the inputs: {exc}", file=sys.stderr)
        return 2
    verdict = verify_entries(entries, checkpoint_text=checkpoint_text, public_key=public_key, key_name=args.key_name)
    print(verdict.message, file=sys.stdout if verdict.ok else sys.stderr)
    return 0 if verdict.ok else 1


if __name__ == "__main__":
    sys.exit(main())
