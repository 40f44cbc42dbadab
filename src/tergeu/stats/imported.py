"""Import of statistics CSVs (article, year, region, count), e.g. ERDR extracts from the prosecutor's office.

Every row is checked and every problem is reported with its line and byte offset, so an analyst can fix
the file in one go; nothing is stored unless the whole file is valid. Accepted files are kept under
``$TERGEU_HOME/stats/<name>.csv`` in a normalised form (UTF-8, fixed column order).
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from tergeu import settings
from tergeu.cases import KNOWN_ARTICLES
from tergeu.errors import InputError, NotFoundError
from tergeu.stats.builtin import CrossTable
from tergeu.store import check_regular

COLUMNS = ("article", "year", "region", "count")
_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,60}$")


@dataclass(frozen=True)
class StatRow:
    article: str
    year: int
    region: str
    count: int


def _decode(raw: bytes, path: Path) -> tuple[str, str, int]:
    """Text, the encoding used for byte offsets, and the BOM length.

    UTF-8 (with or without BOM) and UTF-16 with a BOM (Excel's "Unicode text") are unambiguous;
    anything else (CP1251 from an older Excel) is refused at the first byte that is not UTF-8.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16-le" if raw.startswith(b"\xff\xfe") else "utf-16-be"
        try:
            return raw[2:].decode(encoding), encoding, 2
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-16 text ({exc.reason})", path=path, offset=2 + exc.start) from exc
    try:
        bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
        return raw[bom:].decode("utf-8"), "utf-8", bom
    except UnicodeDecodeError as exc:
        raise InputError(
            f"not UTF-8 text ({exc.reason}); save the CSV as UTF-8", path=path, offset=bom + exc.start
        ) from exc


def parse_csv(path: Path) -> list[StatRow]:
    """Read and validate a statistics CSV; raise one :class:`InputError` listing every bad row."""
    try:
        check_regular(path, allow_block=False)
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(exc.strerror or str(exc), path=path) from exc
    text, encoding, bom = _decode(raw, path)
    lines = text.splitlines(keepends=True)
    offsets = [bom]
    for line in lines:
        offsets.append(offsets[-1] + len(line.encode(encoding)))
    sample = text[:2048]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise InputError("empty file; expected a header: article,year,region,count", path=path) from None
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise InputError(
            f"header {header} lacks column(s) {', '.join(missing)}; expected article,year,region,count",
            path=path,
            offset=0,
        )
    idx = {c: header.index(c) for c in COLUMNS}
    rows: list[StatRow] = []
    problems: list[tuple[int, str]] = []
    seen: set[tuple[str, int, str]] = set()
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:  # a field over the csv module's limit, an unclosed quote at the end
            line_no = reader.line_num
            offset = offsets[line_no - 1] if line_no - 1 < len(offsets) else None
            raise InputError(f"line {line_no}: {exc}", path=path, offset=offset) from exc
        line_no = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if any(ch < " " and ch not in "\t\r\n" for v in values for ch in v):
            problems.append((line_no, "control characters (NUL, ...) inside a field"))
            continue
        if len(values) < len(header):
            problems.append((line_no, f"{len(values)} fields, expected {len(header)}"))
            continue
        article = values[idx["article"]].strip()
        base = article.split(".")[0].split("-")[0]
        region = values[idx["region"]].strip()
        year_s, count_s = values[idx["year"]].strip(), values[idx["count"]].strip()
        if base not in KNOWN_ARTICLES:
            problems.append((line_no, f"article {article!r} is not one of {', '.join(KNOWN_ARTICLES)}"))
            continue
        if not year_s.isdigit() or not 1991 <= int(year_s) <= 2100:
            problems.append((line_no, f"year {year_s!r} is not a year between 1991 and 2100"))
            continue
        if not count_s.isdigit():
            problems.append((line_no, f"count {count_s!r} is not a whole number ≥ 0"))
            continue
        key = (article, int(year_s), region)
        if key in seen:
            problems.append(
                (line_no, f"duplicate row for article {article}, year {year_s}, region {region!r}")
            )
            continue
        seen.add(key)
        rows.append(StatRow(article, int(year_s), region, int(count_s)))
    if problems:
        first_line = problems[0][0]
        detail = "; ".join(f"line {n}: {msg}" for n, msg in problems[:10])
        if len(problems) > 10:
            detail += f"; … {len(problems) - 10} more"
        offset = offsets[first_line - 1] if first_line - 1 < len(offsets) else None
        raise InputError(f"{len(problems)} bad row(s): {detail}", path=path, offset=offset)
    if not rows:
        raise InputError("no data rows after the header", path=path)
    return rows


def datasets_dir() -> Path:
    return settings.home() / "stats"


def import_csv(path: Path, name: str) -> tuple[Path, list[StatRow]]:
    """Validate ``path`` and keep it as dataset ``name``; returns where it was stored."""
    if not _NAME.match(name):
        raise InputError(f"dataset name {name!r} may only hold letters, digits, '_', '.', '-'", path=path)
    rows = parse_csv(path)
    out = datasets_dir() / f"{name}.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(COLUMNS)
        for r in rows:
            w.writerow([r.article, r.year, r.region, r.count])
    return out, rows


def load_dataset(name: str) -> list[StatRow]:
    path = datasets_dir() / f"{name}.csv"
    if not path.exists():
        known = sorted(p.stem for p in datasets_dir().glob("*.csv")) if datasets_dir().exists() else []
        raise NotFoundError(f"statistics dataset {name!r} (imported: {', '.join(known) or 'none'})")
    return parse_csv(path)


def cross_table(rows: list[StatRow]) -> CrossTable:
    """Article × year, summed over regions — the shape of Table 1."""
    years = sorted({r.year for r in rows})
    counts: Counter[tuple[str, int]] = Counter()
    for r in rows:
        counts[(r.article, r.year)] += r.count
    articles = sorted({r.article for r in rows}, key=lambda a: (len(a), a))
    table = CrossTable(years=years)
    for a in articles:
        table.rows[a] = [counts[(a, y)] for y in years]
    return table


def by_region(rows: list[StatRow]) -> Counter[str]:
    c: Counter[str] = Counter()
    for r in rows:
        c[r.region or "—"] += r.count
    return c
