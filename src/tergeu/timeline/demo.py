"""Demo step: timeline of the demo case, clock-tampering checks, Sigma, and the protocol in Kazakh."""

from __future__ import annotations

from tergeu.db import session_scope
from tergeu.demo import DemoContext
from tergeu.i18n import t


def demo_step(ctx: DemoContext) -> list[tuple[str, str]]:
    from tergeu.cases import get_case
    from tergeu.timeline.checks import check_case
    from tergeu.timeline.detect import CheckOptions
    from tergeu.timeline.protocol import write_protocol
    from tergeu.timeline.run import build_case
    from tergeu.timeline.sigma import load_rules, run_case

    with session_scope() as s:
        case = get_case(s, ctx.case_number)
        built = build_case(s, case, "UTC", None, None, ctx.examiner)
        findings = check_case(s, case, CheckOptions(), ctx.examiner)
        sigma, _ = run_case(s, case, load_rules(), ctx.examiner)
        paths = write_protocol(s, case, "kk", ctx.out / "protocol", None, ctx.examiner)
    n = ctx.case_number
    return [
        (
            t("timeline.demo.built", n=built.events, f=len(findings)),
            f"tergeu timeline show {n} --source evtx",
        ),
        (
            f"clock checks: {', '.join(sorted({f.kind for f in findings}))}",
            f"tergeu timeline check {n} --json",
        ),
        (f"Sigma: {len(sigma)} rule matches", f"tergeu timeline sigma {n}"),
        (f"protocol: {paths[0].name}, {paths[1].name}", str(paths[1])),
    ]
