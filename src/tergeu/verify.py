"""Verification of a case: every stored item re-hashed, the custody chain and signatures re-checked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from tergeu import custody, store
from tergeu.db import Case
from tergeu.errors import TergeuError
from tergeu.i18n import t


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
        label = t("verify.item", id=item.id, name=item.name)
        path = store.object_path(item.sha256)
        if not path.exists():
            report.problems.append(t("verify.missing", label=label, path=path))
            continue
        try:
            found = store.hash_and_copy(path, None, on_bytes)
        except TergeuError as exc:
            report.problems.append(t("verify.unreadable", label=label, detail=exc.message()))
            continue
        for algo in ("sha256", "sha1", "md5"):
            expected, got = getattr(item, algo), getattr(found, algo)
            if expected != got:
                report.problems.append(
                    t("verify.digest", label=label, algo=algo.upper(), expected=expected, found=got)
                )
        if found.size != item.size:
            report.problems.append(t("verify.size", label=label, expected=item.size, found=found.size))
    chain = custody.verify_chain(session, case)
    report.entries, report.seal = chain.entries, chain.seal
    report.problems.extend(chain.problems)
    return report
