"""Every tampering case of the foundation issue is detected and named."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from tergeu import custody, keys, store
from tergeu.cases import get_case, new_case
from tergeu.db import session_scope
from tergeu.evidence import add_evidence
from tergeu.verify import verify_case


@pytest.fixture
def case_with_evidence(db_url: str, tmp_path: Path) -> str:
    src = tmp_path / "seized"
    src.mkdir()
    (src / "a.txt").write_bytes(b"first file\n" * 100)
    (src / "b.bin").write_bytes(os.urandom(70_000))
    with session_scope() as s:
        case = new_case(s, "Tamper test", "Officer A", ["205"])
        add_evidence(s, case, [src], "Officer A", source="test")
        custody.append(s, case, "Officer A", "transferred", [], {"from": "Officer A", "to": "Officer B"})
        custody.append(s, case, "Officer B", "examined", [], {"tool": "test"})
        number = case.number
    return number


def _problems(number: str) -> list[str]:
    with session_scope() as s:
        return verify_case(s, get_case(s, number)).problems


def _sql(sql: str, **params: object) -> None:
    with session_scope() as s:
        s.execute(text(sql), params)


def _case_id(number: str) -> int:
    with session_scope() as s:
        return get_case(s, number).id


def test_clean_case_verifies(case_with_evidence: str) -> None:
    assert _problems(case_with_evidence) == []


def test_flipped_byte_in_store_is_named(case_with_evidence: str) -> None:
    with session_scope() as s:
        item = next(i for i in get_case(s, case_with_evidence).evidence if i.name == "b.bin")
        path, name = store.object_path(item.sha256), item.name
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    data = bytearray(path.read_bytes())
    data[1234] ^= 0x01
    path.write_bytes(bytes(data))
    problems = _problems(case_with_evidence)
    assert any(name in p and "SHA256 expected" in p for p in problems), problems


def test_missing_stored_copy_is_named(case_with_evidence: str) -> None:
    with session_scope() as s:
        item = get_case(s, case_with_evidence).evidence[0]
        path = store.object_path(item.sha256)
    path.unlink()
    assert any("missing" in p for p in _problems(case_with_evidence))


def test_edited_entry_is_named(case_with_evidence: str) -> None:
    _sql(
        "UPDATE custody_entries SET actor = 'Officer B' WHERE seq = 2 AND case_id = :c",
        c=_case_id(case_with_evidence),
    )
    problems = _problems(case_with_evidence)
    assert any("seq=2" in p and ("content hash" in p or "signature" in p) for p in problems), problems


def test_edited_details_are_named(case_with_evidence: str) -> None:
    _sql(
        "UPDATE custody_entries SET details = :d WHERE seq = 3 AND case_id = :c",
        d='{"from": "Officer A", "to": "Officer Z"}',
        c=_case_id(case_with_evidence),
    )
    assert any("seq=3" in p and "content hash" in p for p in _problems(case_with_evidence))


def test_deleted_middle_entry_is_named(case_with_evidence: str) -> None:
    _sql("DELETE FROM custody_entries WHERE seq = 2 AND case_id = :c", c=_case_id(case_with_evidence))
    problems = _problems(case_with_evidence)
    assert any("seq=3" in p and ("previous-hash" in p or "sequence" in p) for p in problems), problems


def test_deleted_last_entry_is_named(case_with_evidence: str) -> None:
    _sql("DELETE FROM custody_entries WHERE seq = 4 AND case_id = :c", c=_case_id(case_with_evidence))
    problems = _problems(case_with_evidence)
    assert any("anchored entry seq=4" in p for p in problems), problems


def test_reordered_entries_are_named(case_with_evidence: str) -> None:
    cid = _case_id(case_with_evidence)
    _sql("UPDATE custody_entries SET seq = 99 WHERE seq = 2 AND case_id = :c", c=cid)
    _sql("UPDATE custody_entries SET seq = 2 WHERE seq = 3 AND case_id = :c", c=cid)
    _sql("UPDATE custody_entries SET seq = 3 WHERE seq = 99 AND case_id = :c", c=cid)
    problems = _problems(case_with_evidence)
    assert any("seq=" in p and ("content hash" in p or "previous-hash" in p) for p in problems), problems


def test_inserted_entry_is_named(case_with_evidence: str) -> None:
    cid = _case_id(case_with_evidence)
    with session_scope() as s:
        case = get_case(s, case_with_evidence)
        last = custody.entries(s, case)[-1]
        fake = custody.CustodyEntry(
            case_id=cid,
            seq=last.seq + 1,
            ts=last.ts,
            actor="Officer A",
            action="examined",
            evidence_ids=[],
            details={"forged": True},
            prev_hash=last.entry_hash,
            entry_hash="",
            signature="00" * 64,
            key_fingerprint=last.key_fingerprint,
        )
        fake.entry_hash = custody.entry_hash(case.number, fake)
        s.add(fake)
    problems = _problems(case_with_evidence)
    assert any(f"seq={last.seq + 1}" in p and "signature" in p for p in problems), problems


def test_swapped_public_key_is_named(case_with_evidence: str) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other = keys.raw_public(Ed25519PrivateKey.generate().public_key()).hex()
    _sql("UPDATE officers SET public_key = :k WHERE name = 'Officer B'", k=other)
    problems = _problems(case_with_evidence)
    assert any("Officer B" in p and ("signature" in p or "fingerprint" in p) for p in problems), problems


def test_swapped_key_and_fingerprint_still_caught(case_with_evidence: str) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other = keys.raw_public(Ed25519PrivateKey.generate().public_key()).hex()
    _sql(
        "UPDATE officers SET public_key = :k, fingerprint = :f WHERE name = 'Officer B'",
        k=other,
        f=keys.fingerprint(other),
    )
    problems = _problems(case_with_evidence)
    assert any("Officer B" in p for p in problems), problems


def test_edited_evidence_hash_in_db_is_named(case_with_evidence: str) -> None:
    _sql("UPDATE evidence_items SET md5 = :m WHERE name = 'a.txt'", m="0" * 32)
    problems = _problems(case_with_evidence)
    assert any("a.txt" in p and "MD5 expected" in p for p in problems), problems


def test_problems_are_in_the_chosen_language(
    case_with_evidence: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tergeu import store
    from tergeu.cases import get_case
    from tergeu.db import session_scope
    from tergeu.verify import verify_case

    monkeypatch.setenv("TERGEU_LANG", "kk")
    with session_scope() as s:
        case = get_case(s, case_with_evidence)
        item = case.evidence[0]
        store.object_path(item.sha256).unlink()
        problems = verify_case(s, case).problems
    assert problems and all("дәлел" in p for p in problems), problems
    assert not any("is missing" in p for p in problems)
