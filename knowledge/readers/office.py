"""PDF (pypdf) and DOCX (python-docx) to sections."""

from __future__ import annotations

import re
from pathlib import Path

from knowledge.readers.markdown import ITEM, row_text
from knowledge.structure import Section, SectionBuilder

BULLET = re.compile(r"^\s*[\u2022\u25aa\u25cf\u2013*-]\s+")


def parse_pdf(path: Path) -> tuple[list[Section], str | None, object]:
    """One section per page ("Page 3") so a citation can point at the page; blank lines split blocks."""
    from pypdf import PdfReader

    reader = PdfReader(str(path))
    if reader.is_encrypted and not reader.decrypt(""):
        raise ValueError("the PDF is encrypted")
    out = SectionBuilder()
    for number, page in enumerate(reader.pages, 1):
        text = page.extract_text() or ""
        if not text.strip():
            continue
        out.heading(1, f"Page {number}")
        para: list[str] = []
        for line in text.splitlines() + [""]:
            if not line.strip() or ITEM.match(line) or BULLET.match(line):
                if para:
                    kind = "item" if ITEM.match(para[0]) or BULLET.match(para[0]) else "paragraph"
                    out.block("\n".join(para), kind)
                para = [line.strip()] if line.strip() else []
            else:
                para.append(line.strip())
    meta = reader.metadata or {}
    title = str(meta.get("/Title") or "").strip() or None
    created = getattr(reader.metadata, "creation_date", None) if reader.metadata else None
    return out.result(), title, created


def parse_docx(path: Path) -> tuple[list[Section], str | None, object]:
    """Body paragraphs and tables in order; "Heading N" styles become the heading path."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(str(path))
    out = SectionBuilder()
    title = (document.core_properties.title or "").strip() or None
    for element in document.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para = Paragraph(element, document)
            text = para.text.strip()
            style = (para.style.name if para.style is not None else "") or ""
            if not text:
                continue
            if style == "Title":
                title = title or text
            elif m := re.match(r"Heading (\d)", style):
                out.heading(int(m.group(1)), text)
            elif style.startswith("List") or para._p.pPr is not None and para._p.pPr.numPr is not None:
                out.block(f"- {text}", "item")
            else:
                out.block(text)
        elif tag == "tbl":
            table = Table(element, document)
            rows = [[cell.text.strip() for cell in row.cells] for row in table.rows]
            if rows:
                for cells in rows[1:]:
                    text = row_text(rows[0], cells)
                    if text:
                        out.block(text, "row")
    props = document.core_properties
    return out.result(), title, props.created or props.modified
