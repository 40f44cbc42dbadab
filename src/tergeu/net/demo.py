"""Demo step ``30_net``: scan the small lab capture shipped in ``samples/`` inside the demo case.

It shows the whole path an investigator takes: evidence already in the case, flows stored as an
artifact pointing back to packet ranges, findings stored with evidence references, custody entry.
"""

from __future__ import annotations

from tergeu.demo import DemoContext
from tergeu.i18n import t


def demo_step(ctx: DemoContext) -> list[tuple[str, str]]:
    from tergeu.cases import get_case
    from tergeu.db import session_scope
    from tergeu.net import service

    with session_scope() as s:
        case = get_case(s, ctx.case_number)
        res = service.scan_case(s, case, [], ctx.examiner)
    kinds = ", ".join(sorted({f.kind for f in res.findings})) or "-"
    return [
        (
            t(
                "net.demo_scan",
                packets=res.analysis.n_packets,
                flows=res.analysis.flows.height,
                findings=len(res.findings),
                kinds=kinds,
            ),
            f"tergeu net scan --case {ctx.case_number}",
        ),
        (t("net.demo_flows"), str(res.artifact)),
    ]
