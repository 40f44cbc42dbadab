"""Browser history: Chromium ``History`` and Firefox ``places.sqlite``.

The database is opened read-only and immutable (``mode=ro&immutable=1``), so SQLite neither writes a
journal nor touches the evidence; a copy in a temporary folder is used when the store path cannot be
opened that way. Chromium counts microseconds since 1601-01-01 (WebKit time), Firefox microseconds
since 1970.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

from tergeu.errors import NotMyFormat
from tergeu.records import Event
from tergeu.timeline.core import EPOCH, Item, ParseContext, TimelineParser

WEBKIT = datetime(1601, 1, 1, tzinfo=UTC)
TRANSITIONS = ["link", "typed", "auto_bookmark", "auto_subframe", "manual_subframe", "generated",
               "start_page", "form_submit", "reload", "keyword", "keyword_generated"]  # fmt: skip


def open_ro(path: Path) -> sqlite3.Connection:
    """A read-only, immutable connection: nothing is ever written next to the evidence."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)


def _tables(con: sqlite3.Connection) -> set[str]:
    return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}


class _SqliteParser(TimelineParser):
    """Opens the database read-only, refuses it without the ``required`` tables, and turns a SQLite
    error part-way through into a warning that keeps the events already read."""

    required: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def sniff(cls, path: Path, head: bytes) -> bool:
        return head.startswith(b"SQLite format 3\x00")

    def parse(self, ctx: ParseContext) -> Iterator[Item]:
        try:
            con = open_ro(ctx.path)
            tables = _tables(con)
        except sqlite3.DatabaseError as exc:
            raise NotMyFormat(f"unreadable SQLite: {exc}", path=ctx.name) from exc
        if not set(self.required) <= tables:
            con.close()
            raise NotMyFormat(f"no {'/'.join(self.required)} tables", path=ctx.name)
        try:
            yield from self._items(con, tables, ctx)
        except sqlite3.DatabaseError as exc:
            w = ctx.warn(f"SQLite error: {exc}", code="sqlite")
            if w:
                yield w
        finally:
            con.close()

    def _items(self, con: sqlite3.Connection, tables: set[str], ctx: ParseContext) -> Iterator[Item]:
        raise NotImplementedError


class ChromiumHistoryParser(_SqliteParser):
    name: ClassVar[str] = "chromium_history"
    format: ClassVar[str] = "Chromium/Chrome/Edge/Yandex History (SQLite)"
    description: ClassVar[str] = "visits and downloads"
    priority: ClassVar[int] = 88
    required: ClassVar[tuple[str, ...]] = ("urls", "visits")

    def _items(self, con: sqlite3.Connection, tables: set[str], ctx: ParseContext) -> Iterator[Item]:
        yield from self._visits(con, ctx)
        if "downloads" in tables:
            yield from self._downloads(con, ctx)

    def _visits(self, con: sqlite3.Connection, ctx: ParseContext) -> Iterator[Item]:
        q = (
            "SELECT visits.id, visits.visit_time, urls.url, urls.title, visits.transition, urls.visit_count "
            "FROM visits JOIN urls ON visits.url = urls.id ORDER BY visits.id"
        )
        for vid, vt, url, title, transition, count in con.execute(q):
            if not vt:
                continue
            ts = WEBKIT + timedelta(microseconds=int(vt))
            tr = (
                TRANSITIONS[int(transition or 0) & 0xFF]
                if (int(transition or 0) & 0xFF) < len(TRANSITIONS)
                else "other"
            )
            yield Event(
                ts=ts,
                source="browser",
                event_type="web_visit",
                message=f"{url} ({title or ''}) [{tr}]",
                ref=ctx.ref(None, f"visits.id={vid}"),
                ts_desc="Last Visited Time",
                ts_precision="us",
                tz="UTC",
                attrs={
                    "url": url,
                    "title": title or "",
                    "transition": tr,
                    "visit_count": count,
                    "browser": "chromium",
                },
            )

    def _downloads(self, con: sqlite3.Connection, ctx: ParseContext) -> Iterator[Item]:
        cols = {r[1] for r in con.execute("PRAGMA table_info(downloads)")}
        path_col = "target_path" if "target_path" in cols else "full_path"
        url_col = "url" if "url" in cols else None
        q = f"SELECT id, start_time, {path_col}, total_bytes{', ' + url_col if url_col else ''} FROM downloads"
        chains: dict[int, str] = {}
        if not url_col and "downloads_url_chains" in _tables(con):
            for did, url in con.execute("SELECT id, url FROM downloads_url_chains ORDER BY chain_index"):
                chains[did] = url
        for row in con.execute(q):
            did, st, target, size = row[:4]
            url = row[4] if url_col else chains.get(did, "")
            if not st:
                continue
            start = int(st)
            # Old Chromium stored seconds since 1970 here, newer ones WebKit microseconds.
            ts = (
                EPOCH + timedelta(seconds=start) if start < 10**11 else WEBKIT + timedelta(microseconds=start)
            )
            yield Event(
                ts=ts,
                source="browser",
                event_type="web_download",
                message=f"download {url} -> {target} ({size} bytes)",
                ref=ctx.ref(None, f"downloads.id={did}"),
                ts_desc="File Downloaded",
                ts_precision="us",
                tz="UTC",
                attrs={"url": url, "path": target, "size": size, "browser": "chromium"},
            )


class FirefoxPlacesParser(_SqliteParser):
    name: ClassVar[str] = "firefox_places"
    format: ClassVar[str] = "Firefox places.sqlite"
    description: ClassVar[str] = "history visits and bookmarks"
    priority: ClassVar[int] = 87

    required: ClassVar[tuple[str, ...]] = ("moz_places", "moz_historyvisits")

    def _items(self, con: sqlite3.Connection, tables: set[str], ctx: ParseContext) -> Iterator[Item]:
        q = (
            "SELECT v.id, v.visit_date, p.url, p.title, v.visit_type, p.visit_count FROM moz_historyvisits v "
            "JOIN moz_places p ON v.place_id = p.id ORDER BY v.id"
        )
        for vid, vd, url, title, vtype, count in con.execute(q):
            if not vd:
                continue
            attrs: dict[str, Any] = {
                "url": url,
                "title": title or "",
                "visit_type": vtype,
                "visit_count": count,
                "browser": "firefox",
            }
            yield Event(
                ts=EPOCH + timedelta(microseconds=int(vd)),
                source="browser",
                event_type="web_visit",
                message=f"{url} ({title or ''})",
                ref=ctx.ref(None, f"moz_historyvisits.id={vid}"),
                ts_desc="Page Visited",
                ts_precision="us",
                tz="UTC",
                attrs=attrs,
            )
        if "moz_bookmarks" in tables:
            q = "SELECT b.id, b.dateAdded, b.title, p.url FROM moz_bookmarks b LEFT JOIN moz_places p ON b.fk = p.id"
            for bid, added, title, url in con.execute(q):
                if not added:
                    continue
                yield Event(
                    ts=EPOCH + timedelta(microseconds=int(added)),
                    source="browser",
                    event_type="web_bookmark",
                    message=f"bookmark {title or ''} {url or ''}".strip(),
                    ref=ctx.ref(None, f"moz_bookmarks.id={bid}"),
                    ts_desc="Creation Time",
                    ts_precision="us",
                    tz="UTC",
                    attrs={"url": url or "", "title": title or "", "browser": "firefox"},
                )
