"""One small interface for running many independent tasks (one per evidence file).

``get_executor()`` returns a local process pool, or a Dask ``distributed`` client when
``TERGEU_SCHEDULER=tcp://host:8786`` is set. Task functions must be importable top-level functions
with picklable arguments. Dask workers must run non-daemonic (``distributed.worker.daemon=False``)
so that a parser may start processes of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any, Protocol, TypeVar

from tergeu import settings

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    name: str

    def run(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[tuple[T, R | BaseException]]:
        """Yield ``(item, result)`` as tasks finish; a failed task yields its exception, not raises."""
        ...

    def close(self) -> None: ...


class InlineExecutor:
    """Runs in this process; used for one item, where a pool would only add start-up time."""

    name = "inline"

    def run(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[tuple[T, R | BaseException]]:
        for item in items:
            try:
                yield item, fn(item)
            except Exception as exc:
                yield item, exc

    def close(self) -> None:
        pass


class LocalExecutor:
    name = "local"

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or int(settings.get("workers"))
        self._pool: ProcessPoolExecutor | None = None

    def run(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[tuple[T, R | BaseException]]:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(max_workers=self.workers)
        futures = {self._pool.submit(fn, item): item for item in items}
        try:
            for fut in as_completed(futures):
                exc = fut.exception()
                yield futures[fut], (exc if exc is not None else fut.result())
        finally:
            for fut in futures:
                fut.cancel()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None


class DaskExecutor:
    name = "dask"

    def __init__(self, address: Any) -> None:
        import dask
        from distributed import Client

        dask.config.set({"distributed.worker.daemon": False})
        self.client = Client(address, set_as_default=False)

    def run(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[tuple[T, R | BaseException]]:
        from distributed import as_completed as dask_completed

        listed = list(items)
        futures = self.client.map(fn, listed, pure=False)
        index = {f.key: item for f, item in zip(futures, listed, strict=True)}
        with self.client.as_current():
            for fut in dask_completed(futures):
                if fut.status == "error":
                    yield index[fut.key], fut.exception()
                else:
                    yield index[fut.key], fut.result()

    def close(self) -> None:
        self.client.close()


def get_executor(n_items: int | None = None) -> Executor:
    """The configured executor; a single item runs inline unless a Dask scheduler is configured."""
    address = settings.get("scheduler")
    if address:
        return DaskExecutor(address)
    if n_items is not None and n_items <= 1:
        return InlineExecutor()
    return LocalExecutor()
