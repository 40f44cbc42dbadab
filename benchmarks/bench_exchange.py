"""Matching partners' STIX indicators against cases: Tergeu's indexed lookup vs stix2-matcher.

stix2-matcher (OASIS) evaluates one pattern against observed-data; to learn which cases hold an
indicator it is run per pattern and per case bundle. Tergeu reduces patterns to (type, value) and looks
them up in the identifier table once. Both must report the same (case, value) hits; the script prints
the two timings and their ratio.

    python benchmarks/bench_exchange.py [--cases 20] [--per-case 100] [--indicators 200]
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
import uuid


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=20)
    ap.add_argument("--per-case", type=int, default=100)
    ap.add_argument("--indicators", type=int, default=200)
    args = ap.parse_args()
    os.environ["TERGEU_HOME"] = tempfile.mkdtemp(prefix="tergeu-bench-")

    from stix2matcher.matcher import match as stix_match

    from tergeu.cases import new_case
    from tergeu.db import session_scope
    from tergeu.exchange.matching import from_stix, match
    from tergeu.records import EvidenceRef, Identifier
    from tergeu.results import save_identifiers

    rng = random.Random(7)
    pool = [("domain", f"host{i}.example-{i % 13}.com") for i in range(args.cases * args.per_case)]
    pool += [("ipv4", f"198.51.{i // 250}.{i % 250 + 1}") for i in range(args.cases * args.per_case)]
    bundles: dict[str, dict[str, object]] = {}
    with session_scope() as s:
        for c in range(args.cases):
            case = new_case(s, f"bench {c}", "bench", ["205"])
            chosen = rng.sample(pool, args.per_case)
            save_identifiers(
                s,
                case,
                [Identifier(t, v, v, EvidenceRef("bench.log", None, i)) for i, (t, v) in enumerate(chosen)],
            )
            objects: list[dict[str, object]] = []
            for t, v in chosen:
                sco_type = "domain-name" if t == "domain" else "ipv4-addr"
                sco = {
                    "type": sco_type,
                    "id": f"{sco_type}--{uuid.uuid4()}",
                    "spec_version": "2.1",
                    "value": v,
                }
                od = {
                    "type": "observed-data",
                    "id": f"observed-data--{uuid.uuid4()}",
                    "spec_version": "2.1",
                    "first_observed": "2025-01-01T00:00:00Z",
                    "last_observed": "2025-01-01T00:00:00Z",
                    "number_observed": 1,
                    "object_refs": [sco["id"]],
                }
                objects += [od, sco]
            bundles[case.number] = {"type": "bundle", "id": f"bundle--{uuid.uuid4()}", "objects": objects}
    wanted = rng.sample(pool, args.indicators // 2) + [
        ("domain", f"absent{i}.example.org") for i in range(args.indicators // 2)
    ]
    indicators = [
        {
            "type": "indicator",
            "id": f"indicator--{uuid.uuid4()}",
            "pattern": f"[{'domain-name' if t == 'domain' else 'ipv4-addr'}:value = '{v}']",
            "pattern_type": "stix",
        }
        for t, v in wanted
    ]

    t0 = time.perf_counter()
    peer_hits: set[tuple[str, str]] = set()
    for ind in indicators:
        value = str(ind["pattern"]).split("'")[1]
        for number, bundle in bundles.items():
            if stix_match(str(ind["pattern"]), [bundle], stix_version="2.1"):
                peer_hits.add((number, value))
    peer = time.perf_counter() - t0

    t0 = time.perf_counter()
    with session_scope() as s:
        parsed, _ = from_stix(indicators, "bench.json")
        result = match(s, parsed, "stix-indicator", "bench")
        from sqlalchemy import select

        from tergeu.db import Case, FindingRow

        numbers = {i: n for i, n in s.execute(select(Case.id, Case.number))}
        ours_hits = {
            (numbers[r.case_id], str(r.details["value"]))
            for r in s.scalars(select(FindingRow).where(FindingRow.analyzer == "exchange"))
        }
    ours = time.perf_counter() - t0

    print(f"identifiers: {args.cases * args.per_case} in {args.cases} cases; indicators: {len(indicators)}")
    print(f"stix2-matcher: {peer:.3f} s, hits {len(peer_hits)}")
    print(
        f"tergeu match (incl. storing findings + custody): {ours:.3f} s, hits {len(ours_hits)} ({result.total} new)"
    )
    print(f"same hits: {peer_hits == ours_hits}; speed-up: {peer / ours:.1f}x")


if __name__ == "__main__":
    main()
