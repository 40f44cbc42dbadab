"""Verification of a case: every stored item re-hashed, the custody chain and signatures re-checked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from tergeu import custody, store
from tergeu.db import Case
from tergeu.errors import TergeuError


@dataclass
class VerifyReport:
    case: str
    items: int = 0
    entries: int = 0
    seal: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_case(session: Session, case: Case, on_bytes: Callable[[int], None] | None = None) -> VerifyReport:
    report = VerifyReport(case=case.number)
    for item in case.evidence:
        report.items += 1
        label = f"evidence #{item.id} {item.name}"
        path = store.object_path(item.sha256)
        if not path.exists():
            report.problems.append(f"{label}: stored copy {path} is missing")
            continue
        try:
            found = store.hash_and_copy(path, None, on_bytes)
        except TergeuError as exc:
            report.problems.append(f"{label}: cannot read stored copy: {exc.message()}")
            continue
        for algo in ("sha256", "sha1", "md5"):
            expected, got = getattr(item, algo), getattr(found, algo)
            if expected != got:
                report.problems.append(f"{label}: {algo.upper()} expected {expected}, found {got}")
        if found.size != item.size:
            report.problems.append(f"{label}: size expected {item.size}, found {found.size}")
    chain = custody.verify_chain(session, case)
    report.entries, report.seal = chain.entries, chain.seal
    report.problems.extend(chain.problems)
    return report
