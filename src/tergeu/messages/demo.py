"""Demo step: scan the demo case's message evidence for fraud and index its identifiers."""

from __future__ import annotations

from tergeu.demo import DemoContext


def demo_step(ctx: DemoContext) -> list[tuple[str, str]]:
    from tergeu import custody
    from tergeu.cases import get_case
    from tergeu.db import session_scope
    from tergeu.evidence import stored_path
    from tergeu.i18n import t
    from tergeu.iocs.store import ANALYZER as IOCS
    from tergeu.iocs.store import clear_identifiers, extract_file
    from tergeu.messages.scan import ANALYZER, findings, scan_file
    from tergeu.results import clear, save_findings, save_identifiers, save_warnings

    with session_scope() as s:
        case = get_case(s, ctx.case_number)
        items = [
            i
            for i in case.evidence
            if i.name.endswith((".txt", ".json", ".xml", ".eml", ".csv", ".jsonl", ".log"))
        ]
        clear(s, case, ANALYZER)
        clear_identifiers(s, case)
        nf = nm = ni = nconv = 0
        for item in items:
            res = scan_file(stored_path(item), item.id, item.original_path)
            nm += len(res.messages)
            nconv += sum(1 for _n, _i, v in res.conversations if v.verdict == "fraud")
            nf += save_findings(s, case, findings(res))
            save_warnings(s, case, ANALYZER, res.warnings)
            ids = extract_file(stored_path(item), item.id, item.original_path)
            ni += save_identifiers(s, case, ids.identifiers)
        ev = [i.id for i in items]
        custody.append(s, case, ctx.examiner, "analysed", ev, {"analyzer": ANALYZER, "findings": nf})
        custody.append(s, case, ctx.examiner, "analysed", ev, {"analyzer": IOCS, "identifiers": ni})
    return [
        (
            t("messages.demo_scan", n=nm, fraud=nf, conv=nconv),
            f"tergeu messages scan --case {ctx.case_number}",
        ),
        (
            t("messages.demo_iocs", n=ni),
            f"tergeu iocs extract --case {ctx.case_number}; tergeu links {ctx.case_number}",
        ),
    ]
