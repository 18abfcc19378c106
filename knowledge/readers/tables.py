"""CSV and XLSX to sections: each row one block of "Header: value" lines; a sheet is a heading."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from pathlib import Path

from knowledge.readers.markdown import row_text
from knowledge.structure import Section, SectionBuilder


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).split())


def _rows_to(out: SectionBuilder, rows: list[list[str]]) -> None:
    rows = [r for r in rows if any(r)]
    if not rows:
        return
    header = rows[0]
    for cells in rows[1:]:
        text = row_text(header, cells)
        if text:
            out.block(text, "row")
    if len(rows) == 1:
        out.block(row_text([], header), "row")


def parse_csv(text: str) -> list[Section]:
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    out = SectionBuilder()
    _rows_to(out, [[_cell(c) for c in row] for row in csv.reader(io.StringIO(text), dialect)])
    return out.result()


def parse_xlsx(path: Path) -> tuple[list[Section], str | None, object]:
    from openpyxl import load_workbook

    workbook = load_workbook(str(path), read_only=True, data_only=True)
    try:
        out = SectionBuilder()
        for sheet in workbook.worksheets:
            out.heading(1, sheet.title)
            _rows_to(out, [[_cell(c) for c in row] for row in sheet.iter_rows(values_only=True)])
        props = workbook.properties
        title = (props.title or "").strip() or None
        return out.result(), title, props.created
    finally:
        workbook.close()
