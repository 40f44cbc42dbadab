"""Web benchmark: statement submissions/s and p99 on SQLite vs a bare FastAPI one-row insert, and
the case page with 10k events and 1k evidence items (p95 render time).

Both servers run under uvicorn on loopback in their own processes; load comes from a third process.
Run: ``python benchmarks/bench_web.py [--requests 300] [--concurrency 4]``. Prints the ratio
(target >= 0.5) and the case-page p95 (target < 300 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from pydantic import BaseModel

HERE = Path(__file__).resolve()
STATEMENT = {
    "lang": "kk",
    "victim_name": "Әлия Серікова",
    "victim_iin": "900101400003",
    "channel": "call",
    "description": "Банк қызметкері боп қоңырау шалып, SMS-код сұрады. Кодты айттым, 185 000 теңге шешілді.",
    "suspects": [{"type": "phone", "value": "+7 705 123 45 67"}],
    "transactions": [{"amount_kzt": 185000, "bank": "Kaspi", "recipient": "4400 4301 2345 6789"}],
    "messages": "Сіздің картаңыз бұғатталды. Кодты жіберіңіз.",
    "confirm_truth": True,
}


class Body(BaseModel):
    statement: dict[str, Any]


def bare_app() -> Any:
    """The peer: a bare FastAPI endpoint inserting one row into SQLite (WAL), nothing else."""
    from fastapi import FastAPI
    from sqlalchemy import Column, Integer, MetaData, Table, Text, create_engine, event, insert

    engine = create_engine(f"sqlite:///{os.environ['BENCH_DB']}")

    def pragmas(conn: Any, _rec: Any) -> None:
        cur = conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    event.listen(engine, "connect", pragmas)
    meta = MetaData()
    rows = Table("rows", meta, Column("id", Integer, primary_key=True), Column("body", Text))
    meta.create_all(engine)
    app = FastAPI()

    @app.post("/insert", status_code=201)
    def insert_one(body: Body) -> dict[str, int]:
        with engine.begin() as conn:
            rid = conn.execute(insert(rows).values(body=json.dumps(body.statement))).inserted_primary_key[0]
        return {"id": int(rid)}

    return app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(target: str, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "uvicorn",
        "--factory",
        target,
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(cmd, env={**os.environ, **env}, cwd=str(HERE.parent))
    url = f"http://127.0.0.1:{port}"
    import httpx

    for _ in range(300):
        try:
            httpx.get(url + "/openapi.json", timeout=1)
            return proc, url
        except httpx.HTTPError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit(f"server {target} did not start")


def load(url: str, kind: str, n: int, concurrency: int) -> dict[str, float]:
    """Runs in its own process: n requests with `concurrency` threads; returns rate and latencies."""
    import httpx

    body = json.dumps(STATEMENT)

    def one(client: httpx.Client) -> float:
        t0 = time.perf_counter()
        if kind == "tergeu":
            r = client.post("/api/v1/statements", data={"statement": body})
        else:
            r = client.post("/insert", json={"statement": STATEMENT})
        if r.status_code != 201:
            raise RuntimeError(f"{r.status_code} {r.text[:200]}")
        return time.perf_counter() - t0

    def worker(count: int) -> list[float]:
        with httpx.Client(base_url=url, timeout=60) as client:
            return [one(client) for _ in range(count)]

    per = [n // concurrency + (1 if i < n % concurrency else 0) for i in range(concurrency)]
    t0 = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        lat = [x for part in pool.map(worker, per) for x in part]
    wall = time.perf_counter() - t0
    lat.sort()
    return {
        "rps": len(lat) / wall,
        "p50_ms": 1000 * statistics.median(lat),
        "p99_ms": 1000 * lat[int(0.99 * (len(lat) - 1))],
    }


def run_load(url: str, kind: str, n: int, concurrency: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, str(HERE), "--load", url, kind, str(n), str(concurrency)],
        check=False,
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise SystemExit(f"load generator failed:\n{out.stderr[-3000:]}")
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def seed_big_case(home: Path, events: int, items: int) -> str:
    """A case with `items` evidence rows and `events` timeline events, written straight to the tables."""
    os.environ["TERGEU_HOME"] = str(home)
    from datetime import UTC, datetime, timedelta

    from sqlalchemy import insert

    from tergeu.cases import new_case
    from tergeu.db import EventRow, EvidenceItem, session_scope
    from tergeu.web.accounts import create_user

    with session_scope() as s:
        create_user(s, "bench", "bench-password-1", "admin")
        case = new_case(s, "Benchmark case", "bench")
        now = datetime.now(UTC)
        s.execute(
            insert(EvidenceItem),
            [
                {
                    "case_id": case.id,
                    "sha256": f"{i:064x}",
                    "sha1": f"{i:040x}",
                    "md5": f"{i:032x}",
                    "size": 1000 + i,
                    "original_path": f"/evidence/file{i}.bin",
                    "name": f"file{i}.bin",
                    "acquired_by": "bench",
                    "acquired_at": now,
                    "mode": 0o444,
                }
                for i in range(items)
            ],
        )
        s.execute(
            insert(EventRow),
            [
                {
                    "case_id": case.id,
                    "ts": now - timedelta(seconds=i),
                    "source": ("auth.log", "evtx", "pcap")[i % 3],
                    "event_type": "login",
                    "message": f"event {i}",
                    "offset": i * 100,
                }
                for i in range(events)
            ],
        )
        return case.number


def case_page(url: str, number: str, n: int) -> dict[str, float]:
    import httpx

    with httpx.Client(base_url=url, timeout=60) as c:
        assert (
            c.post("/api/v1/session", json={"username": "bench", "password": "bench-password-1"}).status_code
            == 200
        )
        c.get(f"/work/cases/{number}")
        lat = []
        for _ in range(n):
            t0 = time.perf_counter()
            r = c.get(f"/work/cases/{number}")
            lat.append(time.perf_counter() - t0)
            assert r.status_code == 200 and "file999.bin" in r.text
    lat.sort()
    return {"p50_ms": 1000 * statistics.median(lat), "p95_ms": 1000 * lat[int(0.95 * (len(lat) - 1))]}


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--load":
        url, kind, n, conc = sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
        print(json.dumps(load(url, kind, n, conc)))
        return
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--requests", type=int, default=300)
    ap.add_argument("--concurrency", type=int, default=4)
    ap.add_argument("--page-requests", type=int, default=40)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="tergeu-bench-") as tmp:
        home = Path(tmp) / "home"
        env = {"TERGEU_HOME": str(home), "TERGEU_WEB_RATE_PER_MIN": "1000000", "TERGEU_DATABASE_URL": ""}
        number = seed_big_case(home, 10_000, 1_000)
        ours, ours_url = start("tergeu.web.app:create_app", env)
        bare, bare_url = start("bench_web:bare_app", {"BENCH_DB": str(Path(tmp) / "bare.db")})
        try:
            run_load(ours_url, "tergeu", 10, 2)  # warm up both
            run_load(bare_url, "bare", 10, 2)
            t = run_load(ours_url, "tergeu", args.requests, args.concurrency)
            b = run_load(bare_url, "bare", args.requests, args.concurrency)
            page = case_page(ours_url, number, args.page_requests)
        finally:
            for p in (ours, bare):
                p.terminate()
                p.wait(10)
    print(
        f"statement submissions ({args.requests} requests, {args.concurrency} concurrent, SQLite, loopback):"
    )
    print(
        f"  tergeu  POST /api/v1/statements: {t['rps']:8.1f}/s  p50 {t['p50_ms']:7.1f} ms  p99 {t['p99_ms']:7.1f} ms"
    )
    print(
        f"  bare FastAPI one-row insert:     {b['rps']:8.1f}/s  p50 {b['p50_ms']:7.1f} ms  p99 {b['p99_ms']:7.1f} ms"
    )
    print(f"  ratio tergeu/bare: {t['rps'] / b['rps']:.3f} (target >= 0.5)")
    print(
        f"case page, 10k events + 1k evidence items ({args.page_requests} requests): "
        f"p50 {page['p50_ms']:.1f} ms, p95 {page['p95_ms']:.1f} ms (target < 300 ms)"
    )


if __name__ == "__main__":
    main()
