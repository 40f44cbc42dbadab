"""Documents that leave the building (protocols, reports, requests) in DOCX, PDF and HTML.

Callers build a :class:`Document` — headings, paragraphs, key/value tables, tables, images, monospace
blocks — and render it with :func:`write`. PDF embeds DejaVu Sans (shipped with matplotlib, a
dependency) so Kazakh letters (ә ғ қ ң ө ұ ү һ і) and Cyrillic render; HTML is self-contained
(images inlined as data URIs, no external requests). Rendering is separate from content, as in plaso's
formatter/output split, so every document type gets the three formats for free.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Format = Literal["pdf", "docx", "html"]


@dataclass
class Heading:
    text: str
    level: int = 1


@dataclass
class Paragraph:
    text: str


@dataclass
class Bullets:
    items: list[str]


@dataclass
class KeyValues:
    rows: list[tuple[str, str]]


@dataclass
class Table:
    header: list[str]
    rows: list[list[str]]
    widths: list[float] | None = None


@dataclass
class Mono:
    text: str


@dataclass
class Image:
    path: Path
    caption: str = ""


Block = Heading | Paragraph | Bullets | KeyValues | Table | Mono | Image


@dataclass
class Document:
    title: str
    lang: str = "en"
    subtitle: str = ""
    blocks: list[Block] = field(default_factory=list)
    footer: str = ""

    def heading(self, text: str, level: int = 1) -> Document:
        self.blocks.append(Heading(text, level))
        return self

    def paragraph(self, text: str) -> Document:
        self.blocks.append(Paragraph(text))
        return self

    def bullets(self, items: list[str]) -> Document:
        self.blocks.append(Bullets(items))
        return self

    def keyvalues(self, rows: list[tuple[str, str]]) -> Document:
        self.blocks.append(KeyValues(rows))
        return self

    def table(self, header: list[str], rows: list[list[str]], widths: list[float] | None = None) -> Document:
        self.blocks.append(Table(header, rows, widths))
        return self

    def mono(self, text: str) -> Document:
        self.blocks.append(Mono(text))
        return self

    def image(self, path: Path, caption: str = "") -> Document:
        self.blocks.append(Image(path, caption))
        return self


def font_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


def write(doc: Document, path: Path, fmt: Format | None = None) -> Path:
    """Render ``doc`` to ``path``; the format defaults to the file suffix."""
    kind = fmt or path.suffix.lstrip(".").lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "pdf":
        _pdf(doc, path)
    elif kind == "docx":
        _docx(doc, path)
    elif kind in ("html", "htm"):
        path.write_text(to_html(doc), encoding="utf-8")
    else:
        raise ValueError(f"unknown document format {kind!r}")
    return path


def _pdf(doc: Document, path: Path) -> None:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    pdf = FPDF(format="A4")
    fonts = font_dir()
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.add_font("DejaVuMono", "", str(fonts / "DejaVuSansMono.ttf"))
    pdf.set_title(doc.title)
    pdf.set_lang(doc.lang)
    pdf.set_creator("Tergeu")
    pdf.set_auto_page_break(True, margin=15)
    footer = doc.footer

    def _footer() -> None:
        pdf.set_y(-12)
        pdf.set_font("DejaVu", "", 7)
        pdf.cell(0, 5, f"{footer}  —  {pdf.page_no()}", align="C")

    pdf.footer = _footer  # type: ignore[method-assign]
    pdf.add_page()
    width = pdf.epw
    pdf.set_font("DejaVu", "B", 15)
    pdf.multi_cell(width, 8, doc.title, new_x="LMARGIN", new_y="NEXT")
    if doc.subtitle:
        pdf.set_font("DejaVu", "", 10)
        pdf.multi_cell(width, 5, doc.subtitle, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    for block in doc.blocks:
        if isinstance(block, Heading):
            pdf.ln(2)
            pdf.set_font("DejaVu", "B", 13 if block.level == 1 else 11)
            pdf.multi_cell(width, 7, block.text, new_x="LMARGIN", new_y="NEXT")
        elif isinstance(block, Paragraph):
            pdf.set_font("DejaVu", "", 10)
            pdf.multi_cell(width, 5, block.text, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif isinstance(block, Bullets):
            pdf.set_font("DejaVu", "", 10)
            for item in block.items:
                pdf.multi_cell(width, 5, f"•  {item}", new_x="LMARGIN", new_y="NEXT")
        elif isinstance(block, Mono):
            pdf.set_font("DejaVuMono", "", 8)
            pdf.multi_cell(width, 4, block.text, new_x="LMARGIN", new_y="NEXT")
        elif isinstance(block, KeyValues | Table):
            header, rows, widths = _grid(block)
            pdf.set_font("DejaVu", "", 8)
            n = max((len(r) for r in [header, *rows] if r), default=1)
            col_widths = tuple(widths) if widths and len(widths) == n else None
            with pdf.table(
                col_widths=col_widths,
                first_row_as_headings=bool(header),
                headings_style=FontFace(emphasis="BOLD"),
                line_height=4.5,
            ) as table:
                for r in [header, *rows] if header else rows:
                    row = table.row()
                    for cell in r:
                        row.cell(str(cell))
            pdf.ln(2)
        elif isinstance(block, Image):
            pdf.image(str(block.path), w=min(width, 170))
            if block.caption:
                pdf.set_font("DejaVu", "", 8)
                pdf.multi_cell(width, 4, block.caption, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def _grid(block: KeyValues | Table) -> tuple[list[str], list[list[str]], list[float] | None]:
    if isinstance(block, KeyValues):
        return [], [[k, v] for k, v in block.rows], [1.0, 2.2]
    return block.header, block.rows, block.widths


def _docx(doc: Document, path: Path) -> None:
    import docx
    from docx.shared import Pt

    d = docx.Document()
    style = d.styles["Normal"]
    style.font.name = "DejaVu Sans"
    style.font.size = Pt(10)
    d.core_properties.title = doc.title
    d.core_properties.language = doc.lang
    d.add_heading(doc.title, 0)
    if doc.subtitle:
        d.add_paragraph(doc.subtitle)
    for block in doc.blocks:
        if isinstance(block, Heading):
            d.add_heading(block.text, block.level)
        elif isinstance(block, Paragraph):
            d.add_paragraph(block.text)
        elif isinstance(block, Bullets):
            for item in block.items:
                d.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Mono):
            p = d.add_paragraph()
            run = p.add_run(block.text)
            run.font.name = "DejaVu Sans Mono"
            run.font.size = Pt(8)
        elif isinstance(block, KeyValues | Table):
            header, rows, _ = _grid(block)
            all_rows = [header, *rows] if header else rows
            ncols = max((len(r) for r in all_rows), default=1)
            table = d.add_table(rows=0, cols=ncols)
            table.style = "Table Grid"
            for i, r in enumerate(all_rows):
                cells = table.add_row().cells
                for j, cell in enumerate(r):
                    cells[j].text = str(cell)
                    if header and i == 0:
                        for run in cells[j].paragraphs[0].runs:
                            run.bold = True
        elif isinstance(block, Image):
            d.add_picture(str(block.path), width=docx.shared.Cm(15))
            if block.caption:
                d.add_paragraph(block.caption)
    if doc.footer:
        d.sections[0].footer.paragraphs[0].text = doc.footer
    d.save(str(path))


def to_html(doc: Document) -> str:
    e = html.escape
    parts = [
        f'<!DOCTYPE html><html lang="{e(doc.lang)}"><head><meta charset="utf-8">',
        f"<title>{e(doc.title)}</title>",
        "<style>body{font-family:'DejaVu Sans',Arial,sans-serif;max-width:60em;margin:2em auto;padding:0 1em;"
        "color:#222}table{border-collapse:collapse;margin:.5em 0;width:100%}td,th{border:1px solid #bbb;"
        "padding:.25em .5em;text-align:left;vertical-align:top;font-size:.9em}th{background:#eef}"
        "pre{background:#f6f6f6;padding:.5em;overflow:auto;font-size:.8em}img{max-width:100%}"
        "footer{margin-top:2em;color:#666;font-size:.8em}</style></head><body>",
        f"<h1>{e(doc.title)}</h1>",
    ]
    if doc.subtitle:
        parts.append(f"<p><em>{e(doc.subtitle)}</em></p>")
    for block in doc.blocks:
        if isinstance(block, Heading):
            parts.append(f"<h{block.level + 1}>{e(block.text)}</h{block.level + 1}>")
        elif isinstance(block, Paragraph):
            parts.append(f"<p>{e(block.text)}</p>")
        elif isinstance(block, Bullets):
            parts.append("<ul>" + "".join(f"<li>{e(str(i))}</li>" for i in block.items) + "</ul>")
        elif isinstance(block, Mono):
            parts.append(f"<pre>{e(block.text)}</pre>")
        elif isinstance(block, KeyValues):
            rows = "".join(f"<tr><th>{e(str(k))}</th><td>{e(str(v))}</td></tr>" for k, v in block.rows)
            parts.append(f"<table>{rows}</table>")
        elif isinstance(block, Table):
            head = (
                "<tr>" + "".join(f"<th>{e(str(h))}</th>" for h in block.header) + "</tr>"
                if block.header
                else ""
            )
            body = "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in r) + "</tr>" for r in block.rows)
            parts.append(f"<table>{head}{body}</table>")
        elif isinstance(block, Image):
            data = base64.b64encode(Path(block.path).read_bytes()).decode()
            mime = "image/svg+xml" if str(block.path).endswith(".svg") else "image/png"
            parts.append(f'<figure><img alt="{e(block.caption)}" src="data:{mime};base64,{data}">')
            parts.append(f"<figcaption>{e(block.caption)}</figcaption></figure>")
    if doc.footer:
        parts.append(f"<footer>{e(doc.footer)}</footer>")
    parts.append("</body></html>")
    return "".join(parts)
