"""The audit log's tamper evidence, with no Django in it: hash chains, Merkle trees (RFC 6962 /
RFC 9162 hashing) and signed checkpoints in the C2SP signed-note format.

- Each partition p is a hash chain: H_0 = SHA-256("passage-audit-genesis|p"),
  H_n = SHA-256(H_{n-1} || payload_n). Editing, deleting or reordering an entry breaks it.
- A checkpoint is the Merkle tree head over the entry hashes of every partition, in
  (partition, sequence) order, with the size of each partition, signed with Ed25519. It catches
  a cut-off tail and a fully recomputed chain, which a chain alone cannot.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

CHECKPOINT_ORIGIN = "passage/audit"


def canonical_payload(fields: dict[str, Any]) -> str:
    """The exact text an entry's hash covers: sorted keys, no spaces, UTF-8."""
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def genesis_hash(partition: int) -> bytes:
    return hashlib.sha256(f"passage-audit-genesis|{partition}".encode()).digest()


def entry_hash(previous: bytes, payload: str) -> bytes:
    return hashlib.sha256(previous + payload.encode("utf-8")).digest()


# RFC 6962 section 2.1: leaves and nodes are hashed with distinct prefixes.
def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def merkle_root(leaves: Sequence[bytes]) -> bytes:
    """MTH(D[n]) of RFC 6962 over already-hashed leaves, computed level by level."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    level = list(leaves)
    # Build the tree bottom-up; an odd node is promoted unchanged, which equals RFC 6962's
    # split at the largest power of two below n.
    while len(level) > 1:
        paired = [node_hash(level[i], level[i + 1]) for i in range(0, len(level) - 1, 2)]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0]


@dataclass
class Entry:
    partition: int
    seq: int
    prev_hash: bytes
    entry_hash: bytes
    payload: str

    def to_json(self) -> dict[str, Any]:
        return {
            "partition": self.partition,
            "seq": self.seq,
            "prev_hash": self.prev_hash.hex(),
            "entry_hash": self.entry_hash.hex(),
            "payload": self.payload,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Entry:
        return cls(
            int(data["partition"]),
            int(data["seq"]),
            bytes.fromhex(data["prev_hash"]),
            bytes.fromhex(data["entry_hash"]),
            str(data["payload"]),
        )


@dataclass
class Problem:
    """The first thing wrong, naming the entry."""

    partition: int
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"partition {self.partition}, entry {self.seq}: {self.reason}"


@dataclass
class ChainState:
    sizes: dict[int, int] = field(default_factory=dict)
    leaves: list[bytes] = field(default_factory=list)


def verify_chains(entries: Iterable[Entry]) -> tuple[ChainState, Problem | None]:
    """Walk entries in (partition, seq) order as stored; stop at the first broken link."""
    state = ChainState()
    heads: dict[int, tuple[int, bytes]] = {}
    for entry in entries:
        expected_seq, previous = heads.get(entry.partition, (1, genesis_hash(entry.partition)))
        if entry.seq != expected_seq:
            what = "missing before this one" if entry.seq > expected_seq else "out of order or repeated"
            return state, Problem(entry.partition, entry.seq, f"expected entry {expected_seq}; entries {what}")
        if entry.prev_hash != previous:
            return state, Problem(entry.partition, entry.seq, "does not link to the previous entry")
        if entry_hash(previous, entry.payload) != entry.entry_hash:
            return state, Problem(entry.partition, entry.seq, "content changed after it was written")
        heads[entry.partition] = (entry.seq + 1, entry.entry_hash)
        state.sizes[entry.partition] = entry.seq
        state.leaves.append(leaf_hash(entry.entry_hash))
    return state, None


# Checkpoints: the C2SP signed-note format (https://c2sp.org/signed-note, tlog-checkpoint).
@dataclass
class Checkpoint:
    origin: str
    size: int
    root: bytes
    partition_sizes: dict[int, int]

    def body(self) -> str:
        sizes = " ".join(f"{p}:{n}" for p, n in sorted(self.partition_sizes.items()))
        return f"{self.origin}\n{self.size}\n{base64.b64encode(self.root).decode()}\npartitions {sizes}\n"


def key_id(name: str, public_key: Ed25519PublicKey) -> bytes:
    raw = public_key.public_bytes_raw()
    return hashlib.sha256(name.encode() + b"\n" + b"\x01" + raw).digest()[:4]


def sign_checkpoint(checkpoint: Checkpoint, key: Ed25519PrivateKey, name: str) -> str:
    body = checkpoint.body()
    signature = key.sign(body.encode())
    blob = base64.b64encode(key_id(name, key.public_key()) + signature).decode()
    return f"{body}\n\u2014 {name} {blob}\n"


class CheckpointError(Exception):
    """The checkpoint is malformed or its signature does not verify."""


def parse_checkpoint(text: str, public_key: Ed25519PublicKey, name: str) -> Checkpoint:
    body, separator, signatures = text.partition("\n\n")
    if not separator:
        raise CheckpointError("no signature block")
    body += "\n"
    expected_id = key_id(name, public_key)
    for line in signatures.splitlines():
        if not line.startswith("\u2014 "):
            continue
        try:
            signer, blob = line[2:].rsplit(" ", 1)
            raw = base64.b64decode(blob, validate=True)
        except ValueError:
            continue
        if signer != name or raw[:4] != expected_id:
            continue
        try:
            public_key.verify(raw[4:], body.encode())
        except InvalidSignature:
            raise CheckpointError("the checkpoint's signature is not valid for this key") from None
        return _parse_body(body)
    raise CheckpointError(f"the checkpoint is not signed by the key {name!r}")


def _parse_body(body: str) -> Checkpoint:
    lines = body.rstrip("\n").split("\n")
    try:
        origin, size, root = lines[0], int(lines[1]), base64.b64decode(lines[2], validate=True)
        sizes: dict[int, int] = {}
        for line in lines[3:]:
            if line.startswith("partitions"):
                for item in line.split()[1:]:
                    partition, count = item.split(":")
                    sizes[int(partition)] = int(count)
    except (IndexError, ValueError) as exc:
        raise CheckpointError("the checkpoint body is malformed") from exc
    return Checkpoint(origin, size, root, sizes)


def checkpoint_for(entries: Iterable[Entry]) -> tuple[Checkpoint, Problem | None]:
    state, problem = verify_chains(entries)
    return Checkpoint(CHECKPOINT_ORIGIN, len(state.leaves), merkle_root(state.leaves), state.sizes), problem


def verify_against_checkpoint(entries: Sequence[Entry], checkpoint: Checkpoint) -> Problem | None:
    """Check the chains, then that the first `checkpoint.size` entries hash to its root."""
    covered = [e for e in entries if e.seq <= checkpoint.partition_sizes.get(e.partition, 0)]
    state, problem = verify_chains(covered)
    if problem is not None:
        return problem
    for partition, size in sorted(checkpoint.partition_sizes.items()):
        have = state.sizes.get(partition, 0)
        if have < size:
            return Problem(partition, have + 1, f"missing: the checkpoint covers {size} entries, the log has {have}")
    if merkle_root(state.leaves) != checkpoint.root:
        first = min(checkpoint.partition_sizes, default=0)
        return Problem(first, 1, "the log does not match the signed checkpoint (root differs: rebuilt or altered)")
    return None


def iter_export(lines: Iterable[str]) -> Iterator[Entry]:
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            yield Entry.from_json(json.loads(line))
        except (json.JSONDecodeError, KeyError, ValueError) as exc:
            raise ValueError(f"export line {number} is not an audit entry") from exc
