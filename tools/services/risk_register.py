"""Import and export a project's risk register as CSV or XLSX (the spreadsheet a PM already keeps).

Import checks every row before writing anything: one bad row means nothing is imported, and the error
lists each problem by the row number the PM sees in their spreadsheet.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy.orm import Session

from tools import scales
from tools.actor import Actor
from tools.errors import DomainError, Invalid
from tools.models import Risk
from tools.schemas import RiskCreate, describe_validation_error
from tools.services import risks
from tools.services.access import readable_project, require_write

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 5000
MAX_PROBLEMS_SHOWN = 50

# What export writes, in order; import reads these and the common synonyms below.
COLUMNS: tuple[str, ...] = (
    "Key", "Title", "Description", "Category", "Probability", "Impact", "Score", "Rating", "Owner",
    "Response", "Mitigation", "Trigger", "Due date", "Review date", "Status",
)  # fmt: skip
FIELD_OF_COLUMN: dict[str, str] = {
    "Title": "title", "Description": "description", "Category": "category", "Probability": "probability",
    "Impact": "impact", "Owner": "owner", "Response": "response", "Mitigation": "mitigation",
    "Trigger": "trigger", "Due date": "due_date", "Review date": "review_date", "Status": "status",
}  # fmt: skip

HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "title": ("title", "risk title", "risk name", "name", "risk", "summary", "risk summary"),
    "description": ("description", "risk description", "details", "detail", "cause", "risk details"),
    "category": ("category", "risk category", "type", "risk type", "area"),
    "probability": ("probability", "likelihood", "prob", "probability rating", "likelihood rating", "p"),
    "impact": ("impact", "severity", "consequence", "impact rating", "severity rating", "i"),
    "owner": ("owner", "risk owner", "assigned to", "assignee", "responsible", "action owner"),
    "response": ("response", "strategy", "response strategy", "risk response", "treatment", "approach"),
    "mitigation": (
        "mitigation",
        "mitigation plan",
        "mitigations",
        "actions",
        "action plan",
        "mitigation actions",
    ),
    "trigger": ("trigger", "triggers", "risk trigger", "early warning"),
    "due_date": ("due date", "due", "target date", "due by", "action due date", "mitigation due date"),
    "review_date": ("review date", "next review", "next review date"),
    "status": ("status", "state", "risk status"),
}
IGNORED_HEADERS = {
    "key", "id", "risk id", "ref", "reference", "no", "number", "score", "risk score", "rating",
    "risk rating", "project", "priority",
}  # fmt: skip

CATEGORY_SYNONYMS = {
    "technology": "technical", "tech": "technical", "cost": "budget", "financial": "budget",
    "finance": "budget", "people": "resource", "resources": "resource", "staffing": "resource",
    "compliance": "regulatory", "legal": "regulatory", "third party": "vendor", "supplier": "vendor",
    "ml": "model", "ai": "model", "patient safety": "clinical", "safety": "clinical",
    "operations": "operational",
}  # fmt: skip
RESPONSE_SYNONYMS = {
    "reduce": "mitigate", "mitigation": "mitigate", "mitigate": "mitigate", "avoidance": "avoid",
    "acceptance": "accept", "transference": "transfer", "share": "transfer", "escalation": "escalate",
}  # fmt: skip
STATUS_SYNONYMS = {
    "active": "open",
    "new": "open",
    "watch": "monitoring",
    "resolved": "closed",
    "retired": "closed",
}


class RegisterInvalid(Invalid):
    """The file has problems; `problems` lists them ("row 7: ..."), and nothing was written."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems


def _norm(text: Any) -> str:
    text = re.sub(r"\(.*?\)", " ", str(text or ""))  # "Probability (1-5)" -> "probability"
    return " ".join(re.sub(r"[^a-z0-9#]+", " ", text.lower()).split())


# -- reading files --------------------------------------------------------------------------------
def _csv_rows(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")  # Excel on Windows saves CSV this way
    # Excel writes ',' or, in many locales, ';'; csv.Sniffer misreads quoted cells, so only the
    # delimiter is guessed, from the first line.
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), csv.excel, delimiter=delimiter)
    for row in reader:
        yield reader.line_num, row


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list[Any]]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a damaged file
        raise Invalid(f"The file is not a readable .xlsx workbook ({type(exc).__name__}).") from None
    sheet = next((ws for ws in book.worksheets if "risk" in ws.title.lower()), book.worksheets[0])
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        yield number, list(row)
    book.close()


def read_rows(content: bytes, filename: str) -> Iterator[tuple[int, list[Any]]]:
    """(spreadsheet row number, cells) for every row of a .csv or .xlsx file."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv" or suffix == ".txt":
        return _csv_rows(content)
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx_rows(content)
    raise Invalid(f"I can import .csv and .xlsx risk registers, not '{suffix or filename}'.")


def map_headers(cells: list[Any]) -> dict[int, str]:
    """Column index -> RiskCreate field, for the headers I recognise."""
    found: dict[int, str] = {}
    names = [_norm(c) for c in cells]
    has_title = any(n in ("title", "risk title", "risk name", "name") for n in names)
    for index, name in enumerate(names):
        if not name or name in IGNORED_HEADERS or (name == "risk" and has_title):
            continue  # with a Title column, a "Risk" column is the PM's own id
        for field, synonyms in HEADER_SYNONYMS.items():
            if name in synonyms and field not in found.values():
                found[index] = field
                break
    return found


def _find_header(
    rows: Iterator[tuple[int, list[Any]]],
) -> tuple[dict[int, str], Iterator[tuple[int, list[Any]]]]:
    """Templates often put a title above the table: the header is the first of the first 10 rows that
    names at least two known columns."""
    for number, cells in rows:
        mapping = map_headers(cells)
        if len(mapping) >= 2:
            return mapping, rows
        if number >= 10:
            break
    raise Invalid(
        "I could not find a header row naming the columns (e.g. Title, Probability, Impact) in the first "
        "10 rows."
    )


# -- turning cells into RiskCreate ----------------------------------------------------------------
def _cell(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _level(value: Any) -> int:
    """1-5, a contract word, or a percentage (30% -> 2) as some registers use."""
    if isinstance(value, str) and re.fullmatch(r"\d{1,3}(\.\d+)?\s*%", value):
        pct = float(value.rstrip("% "))
        return 1 if pct <= 10 else 2 if pct <= 30 else 3 if pct <= 50 else 4 if pct <= 70 else 5
    return scales.parse_level(value)


def _synonym(value: Any, table: dict[str, str]) -> Any:
    return table.get(_norm(value), value) if isinstance(value, str) else value


def row_to_risk(project: str, row: dict[str, Any]) -> RiskCreate:
    """One row's fields as a RiskCreate; raises Invalid with every problem in the row."""
    problems: list[str] = []
    data: dict[str, Any] = {"project": project}
    for field, raw in row.items():
        value = _cell(raw)
        if value is None:
            continue
        if field in ("probability", "impact"):
            try:
                value = _level(value)
            except DomainError:
                problems.append(f"{field} '{value}' is not 1-5 or a known word")
                continue
        elif field == "category":
            value = _synonym(value, CATEGORY_SYNONYMS)
        elif field == "response":
            value = _synonym(value, RESPONSE_SYNONYMS)
        elif field == "status":
            value = _synonym(value, STATUS_SYNONYMS)
        elif isinstance(value, int | float) and field not in ("due_date", "review_date"):
            value = str(value)
        data[field] = value
    for field in ("title", "probability", "impact"):
        if field not in data and not any(p.startswith(field) for p in problems):
            problems.append(f"{field} is empty")
    if not problems:
        try:
            return RiskCreate.model_validate(data)
        except ValidationError as exc:
            problems.append(describe_validation_error(exc).rstrip("."))
    raise Invalid("; ".join(problems))


def parse_register(content: bytes, filename: str, project: str) -> list[RiskCreate]:
    """Every row of the file as a RiskCreate; RegisterInvalid listing all bad rows otherwise."""
    if len(content) > MAX_BYTES:
        raise Invalid(
            f"The file is {len(content) // 1024 // 1024} MB; the limit is {MAX_BYTES // 1024 // 1024} MB."
        )
    mapping, rows = _find_header(read_rows(content, filename))
    missing = [f for f in ("title", "probability", "impact") if f not in mapping.values()]
    if missing:
        names = {"title": "Title (or Risk)", "probability": "Probability (or Likelihood)", "impact": "Impact"}
        raise Invalid("The register has no " + ", ".join(names[f] for f in missing) + " column.")
    parsed: list[RiskCreate] = []
    problems: list[str] = []
    for number, cells in rows:
        values = {field: cells[i] if i < len(cells) else None for i, field in mapping.items()}
        if all(_cell(v) is None for v in values.values()):
            continue  # blank spacer rows are normal in spreadsheets
        if len(parsed) + len(problems) >= MAX_ROWS:
            raise Invalid(f"The register has more than {MAX_ROWS} rows; split it into smaller files.")
        try:
            parsed.append(row_to_risk(project, values))
        except DomainError as exc:
            problems.append(f"row {number}: {exc.message}")
    if problems:
        shown = problems[:MAX_PROBLEMS_SHOWN] + (
            [f"... and {len(problems) - MAX_PROBLEMS_SHOWN} more"]
            if len(problems) > MAX_PROBLEMS_SHOWN
            else []
        )
        what = "1 row has a problem" if len(problems) == 1 else f"{len(problems)} rows have problems"
        raise RegisterInvalid(f"{what}, so nothing was imported:\n" + "\n".join(shown), problems)
    if not parsed:
        raise Invalid("The register has a header row but no risks under it.")
    return parsed


def import_risks(
    *,
    session: Session,
    actor: Actor,
    project: str,
    path: Path | str | None = None,
    content: bytes | None = None,
    filename: str | None = None,
) -> list[Risk]:
    """Validate every row, then log each risk through `risks.log_risk` in the caller's transaction."""
    proj = readable_project(session, actor, project)
    require_write(session, actor, proj)
    if content is None:
        if path is None:
            raise Invalid("Give a file to import.")
        path = Path(path)
        if not path.is_file():
            raise Invalid(f"There is no file {path}.")
        content, filename = path.read_bytes(), filename or path.name
    drafts = parse_register(content, filename or "register.csv", proj.key)
    return [risks.log_risk(session=session, actor=actor, data=draft) for draft in drafts]


# -- export ---------------------------------------------------------------------------------------
def register_rows(session: Session, actor: Actor, project: str) -> list[list[Any]]:
    """The project's risks in key order, one list of cells per COLUMNS."""
    found = risks.list_risks(session=session, actor=actor, filters={"project": project})
    rows = []
    for risk in sorted(found, key=lambda r: r.number):
        values = {
            "Key": risk.key, "Score": risk.score, "Rating": risk.rating,
            **{column: getattr(risk, field) for column, field in FIELD_OF_COLUMN.items()},
        }  # fmt: skip
        rows.append([values[c] for c in COLUMNS])
    return rows


def export_risks(*, session: Session, actor: Actor, project: str, fmt: str = "csv") -> bytes:
    """The register as CSV (UTF-8) or XLSX bytes with the columns `import_risks` reads back."""
    fmt = fmt.lower().lstrip(".")
    if fmt not in ("csv", "xlsx"):
        raise Invalid(f"'{fmt}' is not an export format; use csv or xlsx.")
    proj = readable_project(session, actor, project)
    rows = register_rows(session, actor, proj.key)
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(
            [["" if v is None else v.isoformat() if isinstance(v, date) else v for v in r] for r in rows]
        )
        return out.getvalue().encode("utf-8")
    return _xlsx(proj.key, rows)


def _xlsx(project: str, rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = "Risk register"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    widths = {"Title": 40, "Description": 50, "Mitigation": 50, "Trigger": 30, "Owner": 18}
    for index, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = widths.get(column, 12)
        if column in ("Due date", "Review date"):
            for cell in sheet.iter_cols(min_col=index, max_col=index, min_row=2):
                for c in cell:
                    c.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    book.properties.title = f"{project} risk register"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
