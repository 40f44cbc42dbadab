"""Export of a case's custody ledger that a defence expert can check without Tergeu.

The folder holds ``ledger.jsonl`` (one entry per line with its hash and signature),
``public_keys.json``, ``evidence.sha256`` (``sha256sum -c`` format over the store layout),
``verify_ledger.py`` (standalone, needs only Python and ``cryptography``), ``seal.txt`` and the
procedure ``VERIFY.<lang>.md`` in Kazakh, Russian and English, and a ``SHA256SUMS`` over all of it.
"""

from __future__ import annotations

import hashlib
import json
from importlib import resources
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from tergeu import custody
from tergeu.db import Case, Officer
from tergeu.i18n import LANGS, t


def export_ledger(session: Session, case: Case, out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    rows = custody.entries(session, case)
    written: list[Path] = []
    with open(out / "ledger.jsonl", "w", encoding="utf-8") as fh:
        for row in rows:
            line = custody.entry_payload(case.number, row) | {
                "hash": row.entry_hash,
                "signature": row.signature,
                "key_fingerprint": row.key_fingerprint,
            }
            fh.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
    written.append(out / "ledger.jsonl")
    actors = {r.actor for r in rows}
    keys = {
        o.name: {"public_key": o.public_key, "fingerprint": o.fingerprint, "algorithm": "Ed25519"}
        for o in session.scalars(select(Officer).where(Officer.name.in_(actors)))
    }
    (out / "public_keys.json").write_text(json.dumps(keys, ensure_ascii=False, indent=2), encoding="utf-8")
    written.append(out / "public_keys.json")
    lines = [f"{i.sha256}  evidence/sha256/{i.sha256[:2]}/{i.sha256[2:4]}/{i.sha256}" for i in case.evidence]
    (out / "evidence.sha256").write_text("\n".join(lines) + ("\n" if lines else ""), encoding="utf-8")
    written.append(out / "evidence.sha256")
    script = resources.files("tergeu") / "data" / "verify_ledger.py"
    (out / "verify_ledger.py").write_text(script.read_text(encoding="utf-8"), encoding="utf-8")
    written.append(out / "verify_ledger.py")
    seal = custody.merkle_root([r.entry_hash for r in rows])
    (out / "seal.txt").write_text(
        f"{case.number}\nentries: {len(rows)}\nmerkle_root: {seal}\n", encoding="utf-8"
    )
    written.append(out / "seal.txt")
    for lang in LANGS:
        path = out / f"VERIFY.{lang}.md"
        path.write_text(
            t("custody.procedure", lang, case=case.number, seal=seal, entries=len(rows)), encoding="utf-8"
        )
        written.append(path)
    sums = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.name}" for p in written]
    (out / "SHA256SUMS").write_text("\n".join(sums) + "\n", encoding="utf-8")
    written.append(out / "SHA256SUMS")
    return written
