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

Block = tuple[str, object]
Format = Literal["pdf", "docx", "html"]


@dataclass
class Document:
    title: str
    lang: str = "en"
    subtitle: str = ""
    blocks: list[Block] = field(default_factory=list)
    footer: str = ""

    def heading(self, text: str, level: int = 1) -> Document:
        self.blocks.append(("heading", (text, level)))
        return self

    def paragraph(self, text: str) -> Document:
        self.blocks.append(("paragraph", text))
        return self

    def bullets(self, items: list[str]) -> Document:
        self.blocks.append(("bullets", items))
        return self

    def keyvalues(self, rows: list[tuple[str, str]]) -> Document:
        self.blocks.append(("keyvalues", rows))
        return self

    def table(self, header: list[str], rows: list[list[str]], widths: list[float] | None = None) -> Document:
        self.blocks.append(("table", (header, rows, widths)))
        return self

    def mono(self, text: str) -> Document:
        self.blocks.append(("mono", text))
        return self

    def image(self, path: Path, caption: str = "") -> Document:
        self.blocks.append(("image", (path, caption)))
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
    for kind, value in doc.blocks:
        if kind == "heading":
            text, level = value  # type: ignore[misc]
            pdf.ln(2)
            pdf.set_font("DejaVu", "B", 13 if level == 1 else 11)
            pdf.multi_cell(width, 7, str(text), new_x="LMARGIN", new_y="NEXT")
        elif kind == "paragraph":
            pdf.set_font("DejaVu", "", 10)
            pdf.multi_cell(width, 5, str(value), new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
        elif kind == "bullets":
            pdf.set_font("DejaVu", "", 10)
            for item in value:  # type: ignore[attr-defined]
                pdf.multi_cell(width, 5, f"•  {item}", new_x="LMARGIN", new_y="NEXT")
        elif kind == "mono":
            pdf.set_font("DejaVuMono", "", 8)
            pdf.multi_cell(width, 4, str(value), new_x="LMARGIN", new_y="NEXT")
        elif kind in ("keyvalues", "table"):
            if kind == "keyvalues":
                header: list[str] = []
                rows = [list(r) for r in value]  # type: ignore[attr-defined]
                widths: list[float] | None = [1.0, 2.2]
            else:
                header, rows, widths = value  # type: ignore[misc]
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
        elif kind == "image":
            img, caption = value  # type: ignore[misc]
            pdf.image(str(img), w=min(width, 170))
            if caption:
                pdf.set_font("DejaVu", "", 8)
                pdf.multi_cell(width, 4, str(caption), new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


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
    for kind, value in doc.blocks:
        if kind == "heading":
            text, level = value  # type: ignore[misc]
            d.add_heading(str(text), int(level))
        elif kind == "paragraph":
            d.add_paragraph(str(value))
        elif kind == "bullets":
            for item in value:  # type: ignore[attr-defined]
                d.add_paragraph(str(item), style="List Bullet")
        elif kind == "mono":
            p = d.add_paragraph()
            run = p.add_run(str(value))
            run.font.name = "DejaVu Sans Mono"
            run.font.size = Pt(8)
        elif kind in ("keyvalues", "table"):
            if kind == "keyvalues":
                header: list[str] = []
                rows = [list(r) for r in value]  # type: ignore[attr-defined]
            else:
                header, rows, _ = value  # type: ignore[misc]
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
        elif kind == "image":
            img, caption = value  # type: ignore[misc]
            d.add_picture(str(img), width=docx.shared.Cm(15))
            if caption:
                d.add_paragraph(str(caption))
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
    for kind, value in doc.blocks:
        if kind == "heading":
            text, level = value  # type: ignore[misc]
            parts.append(f"<h{int(level) + 1}>{e(str(text))}</h{int(level) + 1}>")
        elif kind == "paragraph":
            parts.append(f"<p>{e(str(value))}</p>")
        elif kind == "bullets":
            parts.append("<ul>" + "".join(f"<li>{e(str(i))}</li>" for i in value) + "</ul>")  # type: ignore[attr-defined]
        elif kind == "mono":
            parts.append(f"<pre>{e(str(value))}</pre>")
        elif kind == "keyvalues":
            rows = "".join(f"<tr><th>{e(str(k))}</th><td>{e(str(v))}</td></tr>" for k, v in value)  # type: ignore[attr-defined]
            parts.append(f"<table>{rows}</table>")
        elif kind == "table":
            header, rows_, _ = value  # type: ignore[misc]
            head = "<tr>" + "".join(f"<th>{e(str(h))}</th>" for h in header) + "</tr>" if header else ""
            body = "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in r) + "</tr>" for r in rows_)
            parts.append(f"<table>{head}{body}</table>")
        elif kind == "image":
            img, caption = value  # type: ignore[misc]
            data = base64.b64encode(Path(img).read_bytes()).decode()
            mime = "image/svg+xml" if str(img).endswith(".svg") else "image/png"
            parts.append(f'<figure><img alt="{e(str(caption))}" src="data:{mime};base64,{data}">')
            parts.append(f"<figcaption>{e(str(caption))}</figcaption></figure>")
    if doc.footer:
        parts.append(f"<footer>{e(doc.footer)}</footer>")
    parts.append("</body></html>")
    return "".join(parts)
