"""Demo step of the exchange area: what the demo case looks like when it leaves the building.

Runs after the analyzers (entry point ``90_exchange``), so the STIX bundle, MISP event, preservation
request and case report carry whatever the other areas found in the sample evidence.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

from tergeu import custody
from tergeu.cases import get_case
from tergeu.db import session_scope
from tergeu.demo import DemoContext
from tergeu.i18n import t


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def demo_step(ctx: DemoContext) -> list[tuple[str, str]]:
    from tergeu.exchange import misp, stix
    from tergeu.exchange.casedata import load
    from tergeu.exchange.preservation import write_request
    from tergeu.reports.case_report import write_report
    from tergeu.stats.charts import builtin_charts

    out = ctx.out / "exchange"
    out.mkdir(parents=True, exist_ok=True)
    done: list[tuple[str, str]] = []
    with session_scope() as s:
        case = get_case(s, ctx.case_number)
        bundle = stix.export_case(s, case, out / f"{case.number}.stix.json", "amber")
        event = misp.export_case(s, case, out / f"{case.number}.misp.json", "amber")
        for path, fmt in ((bundle, "stix-2.1"), (event, "misp-json")):
            custody.append(
                s,
                case,
                ctx.officer,
                "exported",
                [],
                {"format": fmt, "file": path.name, "sha256": _sha(path), "tlp": "amber"},
            )
        done.append((t("exchange.demo_bundle"), str(bundle)))
        data = load(s, case)
        holders = Counter(v.holder for v in data.identifiers if v.holder and v.shareable)
        shareable = [v for v in data.identifiers if v.shareable]
        if shareable:
            provider = holders.most_common(1)[0][0] if holders else "Provider"
            country = (
                next((v.country for v in shareable if v.holder == provider and len(v.country) == 2), "")
                or "KZ"
            )
            files = write_request(s, case, provider, country, "kk", out, ctx.officer, include_all=not holders)
            custody.append(
                s,
                case,
                ctx.officer,
                "exported",
                [],
                {"document": "preservation-request", "files": {p.name: _sha(p) for p in files}},
            )
            done.append((t("exchange.demo_preservation", provider=provider), str(files[1])))
        else:
            done.append(
                (
                    t("exchange.demo_preservation_skipped"),
                    "tergeu request preservation --help",
                )
            )
        for fmt in ("html", "pdf"):
            path = write_report(s, case, "kk", fmt, out / f"{case.number}.report.kk.{fmt}")
            custody.append(
                s,
                case,
                ctx.officer,
                "exported",
                [],
                {"document": "case-report", "format": fmt, "sha256": _sha(path)},
            )
        done.append((t("exchange.demo_report"), str(out / f"{case.number}.report.kk.html")))
    charts = builtin_charts(out / "charts", "kk")
    done.append((t("exchange.demo_charts", n=len(charts)), str(out / "charts")))
    return done
