"""The executor runs per-file work locally or on a Dask cluster; directory intake goes through it."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tergeu.executor import DaskExecutor, InlineExecutor, LocalExecutor, get_executor


def square(x: int) -> int:
    if x == 3:
        raise ValueError("three")
    return x * x


def spawn_child(_: int) -> int:
    """Parsers may start processes of their own: that needs non-daemonic workers."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(1) as pool:
        return pool.submit(abs, -7).result()


@pytest.mark.parametrize("executor", [InlineExecutor(), LocalExecutor(2)], ids=["inline", "local"])
def test_results_and_errors(executor: InlineExecutor | LocalExecutor) -> None:
    out = dict(executor.run(square, range(5)))
    executor.close()
    assert {k: v for k, v in out.items() if k != 3} == {0: 0, 1: 1, 2: 4, 4: 16}
    assert isinstance(out[3], ValueError)


def test_get_executor_defaults(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(get_executor(1), InlineExecutor)
    assert isinstance(get_executor(10), LocalExecutor)


@pytest.fixture(scope="module")
def cluster():  # type: ignore[no-untyped-def]
    import dask
    from distributed import LocalCluster

    with dask.config.set({"distributed.worker.daemon": False}):
        c = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
        yield c
        c.close()


@pytest.mark.slow
def test_dask_executor_runs_tasks_and_children(cluster) -> None:  # type: ignore[no-untyped-def]
    ex = DaskExecutor(cluster.scheduler_address)
    try:
        out = dict(ex.run(square, range(5)))
        assert out[4] == 16 and isinstance(out[3], ValueError)
        assert dict(ex.run(spawn_child, [1])) == {1: 7}
    finally:
        ex.close()


@pytest.mark.slow
def test_directory_intake_through_dask(cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from tergeu.cases import new_case
    from tergeu.db import session_scope
    from tergeu.evidence import add_evidence
    from tergeu.verify import verify_case

    src = tmp_path / "dir"
    src.mkdir()
    for i in range(6):
        (src / f"f{i}.bin").write_bytes(os.urandom(1000 + i))
    monkeypatch.setenv("TERGEU_SCHEDULER", cluster.scheduler_address)
    with session_scope() as s:
        case = new_case(s, "dask", "Officer")
        result = add_evidence(s, case, [src], "Officer")
        assert len(result.added) == 6 and not result.failed
        assert verify_case(s, case).ok
