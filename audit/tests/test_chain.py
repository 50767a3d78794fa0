"""The tamper evidence itself, with no database: hash chains, the RFC 6962 Merkle root and signed checkpoints."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from audit import chain
from audit.chain import Checkpoint, CheckpointError, Entry

KEY_NAME = "passage-audit"
KEY = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"fictional test signing key").digest())
OTHER_KEY = Ed25519PrivateKey.from_private_bytes(hashlib.sha256(b"another fictional key").digest())


def mth(leaves: list[bytes]) -> bytes:
    """RFC 6962 section 2.1, written as the RFC does: split at the largest power of two below n."""
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return leaves[0]
    k = 1
    while k * 2 < n:
        k *= 2
    return chain.node_hash(mth(leaves[:k]), mth(leaves[k:]))


def build_chains(partitions: dict[int, list[str]]) -> list[Entry]:
    """Well-formed chains, in (partition, seq) order, as the database and the export hold them."""
    entries: list[Entry] = []
    for partition in sorted(partitions):
        previous = chain.genesis_hash(partition)
        for seq, payload in enumerate(partitions[partition], start=1):
            current = chain.entry_hash(previous, payload)
            entries.append(Entry(partition, seq, previous, current, payload))
            previous = current
    return entries


def rebuilt(entries: list[Entry]) -> list[Entry]:
    """What an attacker with write access does: recompute every hash so the chains link again."""
    payloads: dict[int, list[str]] = {}
    for entry in entries:
        payloads.setdefault(entry.partition, []).append(entry.payload)
    return build_chains(payloads)


def payload(partition: int, seq: int, action: str = "case.view") -> str:
    return chain.canonical_payload(
        {"partition": partition, "action": action, "case": f"PSG-7KQ2-{seq:04d}", "actor": "caseworker@a.test"}
    )


def sample() -> list[Entry]:
    return build_chains({p: [payload(p, s) for s in range(1, 6)] for p in (0, 3, 7)})


def position(entries: list[Entry], partition: int, seq: int) -> int:
    return next(i for i, e in enumerate(entries) if (e.partition, e.seq) == (partition, seq))


def signed(entries: list[Entry], key: Ed25519PrivateKey = KEY, name: str = KEY_NAME) -> str:
    checkpoint, problem = chain.checkpoint_for(entries)
    assert problem is None
    return chain.sign_checkpoint(checkpoint, key, name)


# Merkle tree head


@settings(max_examples=15, deadline=None)
@given(seed=st.binary(min_size=1, max_size=16))
def test_merkle_root_equals_the_recursive_rfc6962_definition_for_every_size_up_to_70(seed: bytes) -> None:
    for n in range(71):
        leaves = [chain.leaf_hash(hashlib.sha256(seed + i.to_bytes(2, "big")).digest()) for i in range(n)]
        assert chain.merkle_root(leaves) == mth(leaves), f"n = {n}"


@given(leaves=st.lists(st.binary(min_size=32, max_size=32), max_size=70))
def test_merkle_root_equals_the_recursive_definition_for_arbitrary_leaves(leaves: list[bytes]) -> None:
    assert chain.merkle_root(leaves) == mth(leaves)


def test_merkle_root_matches_the_published_rfc6962_test_vectors() -> None:
    # The eight inputs and tree heads of the certificate-transparency reference test suite.
    inputs = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"]
    roots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]
    leaves = [chain.leaf_hash(bytes.fromhex(data)) for data in inputs]
    for n, root in enumerate(roots, start=1):
        assert chain.merkle_root(leaves[:n]).hex() == root


def test_the_merkle_root_of_no_leaves_is_the_hash_of_the_empty_string() -> None:
    assert chain.merkle_root([]) == hashlib.sha256(b"").digest()


# Hash chains


def test_a_well_formed_chain_of_several_partitions_verifies() -> None:
    entries = sample()
    state, problem = chain.verify_chains(entries)
    assert problem is None
    assert state.sizes == {0: 5, 3: 5, 7: 5}
    assert state.leaves == [chain.leaf_hash(e.entry_hash) for e in entries]


@given(
    partitions=st.dictionaries(
        st.integers(min_value=0, max_value=15), st.lists(st.text(max_size=30), min_size=1, max_size=8), max_size=5
    )
)
def test_any_well_formed_chains_verify(partitions: dict[int, list[str]]) -> None:
    assert chain.verify_chains(build_chains(partitions))[1] is None


def test_chains_interleaved_across_partitions_still_verify() -> None:
    entries = sample()
    interleaved = sorted(entries, key=lambda e: (e.seq, e.partition))
    assert chain.verify_chains(interleaved)[1] is None


def test_an_edited_payload_is_named_by_partition_and_entry() -> None:
    entries = sample()
    i = position(entries, 3, 4)
    entries[i] = dataclasses.replace(entries[i], payload=payload(3, 4, action="case.update"))
    problem = chain.verify_chains(entries)[1]
    assert problem is not None
    assert (problem.partition, problem.seq) == (3, 4)
    assert str(problem).startswith("partition 3, entry 4: content changed")


@settings(max_examples=40)
@given(data=st.data())
def test_any_single_edited_payload_is_named_exactly(data: st.DataObject) -> None:
    entries = sample()
    i = data.draw(st.integers(min_value=0, max_value=len(entries) - 1))
    new = data.draw(st.text(max_size=40).filter(lambda text: text != entries[i].payload))
    entries[i] = dataclasses.replace(entries[i], payload=new)
    problem = chain.verify_chains(entries)[1]
    assert problem is not None
    assert (problem.partition, problem.seq) == (entries[i].partition, entries[i].seq)


def test_a_deleted_middle_entry_names_the_entry_after_the_gap() -> None:
    entries = sample()
    del entries[position(entries, 3, 3)]
    problem = chain.verify_chains(entries)[1]
    assert problem is not None
    assert (problem.partition, problem.seq) == (3, 4)
    assert "expected entry 3" in problem.reason


def test_a_deleted_first_entry_names_the_new_first_entry() -> None:
    entries = sample()
    del entries[position(entries, 7, 1)]
    problem = chain.verify_chains(entries)[1]
    assert problem is not None
    assert (problem.partition, problem.seq) == (7, 2)
    assert "expected entry 1" in problem.reason


def test_a_deleted_first_entry_with_renumbered_seqs_does_not_link_to_genesis() -> None:
    entries = sample()
    del entries[position(entries, 0, 1)]
    renumbered = [dataclasses.replace(e, seq=e.seq - 1) if e.partition == 0 else e for e in entries]
    problem = chain.verify_chains(renumbered)[1]
    assert problem is not None
    assert (problem.partition, problem.seq) == (0, 1)
    assert "does not link" in problem.reason


def test_two_swapped_entries_name_the_first_one_out_of_place() -> None:
    entries = sample()
    i = position(entries, 0, 2)
    entries[i], entries[i + 1] = entries[i + 1], entries[i]
    problem = chain.verify_chains(entries)[1]
    assert problem is not None
    assert (problem.partition, problem.seq) == (0, 3)


def test_two_swapped_entries_with_swapped_seqs_do_not_link() -> None:
    entries = sample()
    i = position(entries, 0, 2)
    first, second = entries[i], entries[i + 1]
    entries[i], entries[i + 1] = dataclasses.replace(second, seq=2), dataclasses.replace(first, seq=3)
    problem = chain.verify_chains(entries)[1]
    assert problem is not None
    assert (problem.partition, problem.seq) == (0, 2)
    assert "does not link" in problem.reason


def test_a_duplicated_entry_is_named() -> None:
    entries = sample()
    i = position(entries, 7, 2)
    entries.insert(i + 1, entries[i])
    problem = chain.verify_chains(entries)[1]
    assert problem is not None
    assert (problem.partition, problem.seq) == (7, 2)
    assert "repeated" in problem.reason


def test_an_entry_moved_to_another_partition_is_named() -> None:
    entries = sample()
    i = position(entries, 3, 5)
    entries[i] = dataclasses.replace(entries[i], partition=7, seq=6)
    problem = chain.verify_chains(entries)[1]
    assert problem is not None
    assert (problem.partition, problem.seq) == (7, 6)


# Signed checkpoints (C2SP signed-note)


def test_a_signed_checkpoint_parses_back_to_the_same_checkpoint() -> None:
    entries = sample()
    checkpoint, _problem = chain.checkpoint_for(entries)
    text = chain.sign_checkpoint(checkpoint, KEY, KEY_NAME)
    assert chain.parse_checkpoint(text, KEY.public_key(), KEY_NAME) == checkpoint
    assert checkpoint.size == 15
    assert checkpoint.partition_sizes == {0: 5, 3: 5, 7: 5}
    assert checkpoint.root == chain.merkle_root([chain.leaf_hash(e.entry_hash) for e in entries])


def test_a_checkpoint_is_a_c2sp_signed_note() -> None:
    text = signed(sample())
    body, _blank, signature = text.partition("\n\n")
    assert body.split("\n")[:2] == [chain.CHECKPOINT_ORIGIN, "15"]
    assert signature.startswith(f"\u2014 {KEY_NAME} ")
    assert signature.endswith("\n")


def test_a_checkpoint_signed_by_another_key_is_refused() -> None:
    text = signed(sample(), key=OTHER_KEY)
    with pytest.raises(CheckpointError, match="not signed by the key"):
        chain.parse_checkpoint(text, KEY.public_key(), KEY_NAME)


def test_a_checkpoint_with_a_tampered_body_is_refused() -> None:
    text = signed(sample())
    forged = text.replace("\n15\n", "\n16\n", 1)
    assert forged != text
    with pytest.raises(CheckpointError, match="signature is not valid"):
        chain.parse_checkpoint(forged, KEY.public_key(), KEY_NAME)


def test_a_checkpoint_with_tampered_partition_sizes_is_refused() -> None:
    text = signed(sample())
    forged = text.replace("7:5", "7:4", 1)
    with pytest.raises(CheckpointError, match="signature is not valid"):
        chain.parse_checkpoint(forged, KEY.public_key(), KEY_NAME)


def test_a_checkpoint_under_another_key_name_is_refused() -> None:
    text = signed(sample(), name="someone-else")
    with pytest.raises(CheckpointError, match="not signed by the key 'passage-audit'"):
        chain.parse_checkpoint(text, KEY.public_key(), KEY_NAME)


def test_a_checkpoint_without_a_signature_is_refused() -> None:
    body = chain.checkpoint_for(sample())[0].body()
    with pytest.raises(CheckpointError, match="no signature"):
        chain.parse_checkpoint(body, KEY.public_key(), KEY_NAME)


def test_the_untouched_log_matches_its_checkpoint() -> None:
    entries = sample()
    checkpoint = chain.parse_checkpoint(signed(entries), KEY.public_key(), KEY_NAME)
    assert chain.verify_against_checkpoint(entries, checkpoint) is None


def test_a_truncated_tail_is_caught_by_the_checkpoint() -> None:
    entries = sample()
    checkpoint = chain.checkpoint_for(entries)[0]
    cut = [e for e in entries if not (e.partition == 7 and e.seq > 3)]
    assert chain.verify_chains(cut)[1] is None  # the chain alone cannot tell
    problem = chain.verify_against_checkpoint(cut, checkpoint)
    assert problem is not None
    assert (problem.partition, problem.seq) == (7, 4)
    assert "the checkpoint covers 5 entries, the log has 3" in problem.reason


def test_a_whole_partition_removed_is_caught_by_the_checkpoint() -> None:
    entries = sample()
    checkpoint = chain.checkpoint_for(entries)[0]
    problem = chain.verify_against_checkpoint([e for e in entries if e.partition != 3], checkpoint)
    assert problem is not None
    assert (problem.partition, problem.seq) == (3, 1)


def test_a_fully_recomputed_chain_verifies_but_its_root_differs_from_the_checkpoint() -> None:
    entries = sample()
    checkpoint = chain.checkpoint_for(entries)[0]
    i = position(entries, 3, 2)
    entries[i] = dataclasses.replace(entries[i], payload=payload(3, 2, action="case.create"))
    forged = rebuilt(entries)
    assert chain.verify_chains(forged)[1] is None
    assert chain.checkpoint_for(forged)[0].partition_sizes == checkpoint.partition_sizes
    problem = chain.verify_against_checkpoint(forged, checkpoint)
    assert problem is not None
    assert "root differs" in problem.reason


def test_entries_appended_after_the_checkpoint_pass() -> None:
    entries = sample()
    checkpoint = chain.checkpoint_for(entries)[0]
    grown = build_chains(
        {
            0: [e.payload for e in entries if e.partition == 0] + [payload(0, 6)],
            3: [e.payload for e in entries if e.partition == 3],
            7: [e.payload for e in entries if e.partition == 7] + [payload(7, 6), payload(7, 7)],
            9: [payload(9, 1)],
        }
    )
    assert grown[: len(entries)] != entries  # the new entries sit between the old ones in chain order
    assert chain.verify_against_checkpoint(grown, checkpoint) is None


def test_an_edit_before_the_checkpoint_is_caught_even_when_later_entries_were_appended() -> None:
    entries = sample()
    checkpoint = chain.checkpoint_for(entries)[0]
    payloads = {p: [e.payload for e in entries if e.partition == p] for p in (0, 3, 7)}
    payloads[0][1] = payload(0, 2, action="case.erase")
    payloads[0].append(payload(0, 6))
    problem = chain.verify_against_checkpoint(build_chains(payloads), checkpoint)
    assert problem is not None
    assert "root differs" in problem.reason


def test_the_export_format_round_trips() -> None:
    entries = sample()
    lines = [chain.canonical_payload(e.to_json()) for e in entries]
    assert list(chain.iter_export(lines)) == entries


def test_a_line_that_is_not_an_entry_names_its_line_number() -> None:
    lines = [chain.canonical_payload(sample()[0].to_json()), "", '{"partition": 1}']
    with pytest.raises(ValueError, match="export line 3"):
        list(chain.iter_export(lines))


def test_the_canonical_payload_sorts_keys_and_keeps_unicode() -> None:
    assert chain.canonical_payload({"b": 1, "a": "리"}) == '{"a":"리","b":1}'


def test_each_partition_starts_from_its_own_genesis_hash() -> None:
    assert chain.genesis_hash(0) == hashlib.sha256(b"passage-audit-genesis|0").digest()
    assert chain.genesis_hash(0) != chain.genesis_hash(1)


def test_a_checkpoint_over_a_broken_chain_reports_the_problem() -> None:
    entries = sample()
    del entries[position(entries, 0, 2)]
    checkpoint, problem = chain.checkpoint_for(entries)
    assert problem is not None
    assert (problem.partition, problem.seq) == (0, 3)
    assert isinstance(checkpoint, Checkpoint)
