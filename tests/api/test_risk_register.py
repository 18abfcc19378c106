"""Risk register import/export: CSV and XLSX round-trips, PM-style headers, bad rows, nothing partial."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from typer.testing import CliRunner

from api.cli import app
from api.container import Container
from tools.actor import Actor
from tools.errors import Invalid
from tools.models import AuditEvent, Risk
from tools.services import risk_register, risks

runner = CliRunner()
ADMIN = Actor.system("cli")
COMPARED = ("title", "description", "category", "probability", "impact", "score", "rating", "owner", "response",
            "mitigation", "trigger", "due_date", "review_date", "status")  # fmt: skip


def seed_register(container: Container, team) -> None:
    rows = [
        {"title": "Label leakage, from \"orders\"", "probability": 4, "impact": 5, "category": "model",
         "owner": team.member, "response": "mitigate", "mitigation": "Drop order features;\nre-train",
         "due_date": "2026-12-01", "description": "Antibiotic orders leak the label"},
        {"title": "Vendor late", "probability": 2, "impact": 3, "category": "vendor", "owner": "An Outside Vendor",
         "trigger": "Missed ship date", "review_date": "2026-12-15", "status": "monitoring"},
        {"title": "ICU drift", "probability": 1, "impact": 4, "status": "closed"},
    ]  # fmt: skip
    with container.session() as session:
        for row in rows:
            risks.log_risk(session=session, actor=ADMIN, data={"project": "SEPSIS", **row})


def register_of(container: Container, project: str) -> list[dict]:
    with container.session() as session:
        found = risks.list_risks(session=session, actor=ADMIN, filters={"project": project})
        return [{f: getattr(r, f) for f in COMPARED} for r in sorted(found, key=lambda r: r.number)]


def count(container: Container, model) -> int:  # type: ignore[no-untyped-def]
    with container.session() as session:
        return session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_then_import_round_trips(container: Container, team, tmp_path: Path, fmt: str) -> None:
    seed_register(container, team)
    out = tmp_path / f"register.{fmt}"
    result = runner.invoke(app, ["risks", "export", "--project", "SEPSIS", "--format", fmt, "--out", str(out)], obj=container)
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["risks", "import", str(out), "--project", "SECRET", "--json"], obj=container)
    assert result.exit_code == 0, result.output
    assert [r["key"] for r in json.loads(result.stdout)["items"]] == ["SECRET-R1", "SECRET-R2", "SECRET-R3"]
    assert register_of(container, "SECRET") == register_of(container, "SEPSIS")


def test_csv_export_to_stdout_has_the_documented_columns(container: Container, team) -> None:
    seed_register(container, team)
    result = runner.invoke(app, ["risks", "export", "-p", "SEPSIS"], obj=container)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert list(rows[0]) == list(risk_register.COLUMNS)
    assert rows[0]["Key"] == "SEPSIS-R1" and rows[0]["Score"] == "20" and rows[0]["Due date"] == "2026-12-01"


def test_pm_spreadsheet_headers_and_words(container: Container, team, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Risk Register"
    sheet.append(["Sepsis programme risk log"])  # a title row above the table
    sheet.append([])
    sheet.append(["Risk ID", "RISK", "Likelihood (1-5)", "Severity", "Risk Owner", "Strategy", "Due Date",
                  "Status", "Comments"])  # fmt: skip
    sheet.append(["R-01", "Alert fatigue", "Likely", "High", "Sam Patel", "Reduce", "2026-12-05", "Active", "x"])
    sheet.append([None] * 9)  # spacer rows are skipped
    sheet.append(["R-02", "Budget overrun", "30%", 3, None, "Acceptance", None, "Open", None])
    path = tmp_path / "pm.xlsx"
    book.save(path)
    with container.session() as session:
        created = risk_register.import_risks(session=session, actor=ADMIN, project="SEPSIS", path=path)
        got = [(r.key, r.title, r.probability, r.impact, r.owner, r.response, r.status) for r in created]
    assert got == [
        ("SEPSIS-R1", "Alert fatigue", 4, 4, team.member, "mitigate", "open"),
        ("SEPSIS-R2", "Budget overrun", 2, 3, None, "accept", "open"),
    ]


def test_bad_rows_are_reported_by_row_number_and_nothing_is_written(container: Container, team, tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "Title,Probability,Impact,Category,Due date\n"
        "Good one,3,3,data,2026-12-01\n"
        "Another good one,2,2,,\n"
        "Bad level,hi,3,data,\n"
        "Bad category,2,2,astrology,\n"
        ",3,3,,\n"
        "Bad date,3,3,,next-ish\n",
        encoding="utf-8",
    )
    events_before = count(container, AuditEvent)
    result = runner.invoke(app, ["risks", "import", str(path), "--project", "SEPSIS"], obj=container)
    assert result.exit_code == 1
    message = result.stderr
    assert "nothing was imported" in message
    assert "row 4: probability 'hi' is not 1-5 or a known word" in message
    assert "row 5: category" in message and "astrology" in message
    assert "row 6: title is empty" in message
    assert "row 7: due_date" in message
    assert "row 2" not in message and "row 3" not in message
    assert count(container, Risk) == 0 and count(container, AuditEvent) == events_before


def test_problems_are_listed_on_the_error(tmp_path: Path) -> None:
    with pytest.raises(risk_register.RegisterInvalid) as err:
        risk_register.parse_register(b"Risk,Likelihood,Impact\nA,9,1\nB,1,zero\n", "r.csv", "SEPSIS")
    assert err.value.problems == [
        "row 2: probability '9' is not 1-5 or a known word",
        "row 3: impact 'zero' is not 1-5 or a known word",
    ]


@pytest.mark.parametrize(
    ("content", "name", "needle"),
    [
        (b"Title,Owner\nA,B\n", "r.csv", "Probability"),
        (b"just some text\n", "r.csv", "header row"),
        (b"Title,Probability,Impact\n", "r.csv", "no risks"),
        (b"not a zip file", "r.xlsx", "not a readable .xlsx"),
        (b"Title,Probability,Impact\nA,1,1\n", "r.pdf", ".csv and .xlsx"),
    ],
)
def test_unusable_files_get_a_clear_error(content: bytes, name: str, needle: str) -> None:
    with pytest.raises(Invalid) as err:
        risk_register.parse_register(content, name, "SEPSIS")
    assert needle in err.value.message


def test_semicolon_and_windows_encoded_csv() -> None:
    content = "Titel;Title;Probability;Impact;Description\nx;Caf\u00e9 risk;2;2;na\u00efve\n".encode("cp1252")
    (draft,) = risk_register.parse_register(content, "r.csv", "SEPSIS")
    assert draft.title == "Caf\u00e9 risk" and draft.description == "na\u00efve"


def test_import_needs_write_access(container: Container, team, tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("Title,Probability,Impact\nA,1,1\n", encoding="utf-8")
    result = runner.invoke(app, ["risks", "import", str(path), "-p", "SECRET", "--as", team.member], obj=container)
    assert result.exit_code == 1 and "SECRET" in result.stderr
    assert count(container, Risk) == 0


def test_xlsx_export_is_a_real_workbook(container: Container, team) -> None:
    seed_register(container, team)
    with container.session() as session:
        data = risk_register.export_risks(session=session, actor=ADMIN, project="SEPSIS", fmt="xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == list(risk_register.COLUMNS)
    assert sheet.cell(2, 1).value == "SEPSIS-R1" and sheet.max_row == 4


def test_rest_export_and_import(client, team) -> None:  # type: ignore[no-untyped-def]
    client.post("/api/v1/projects/SEPSIS/risks", json={"title": "Leakage", "probability": 4, "impact": 5})
    for fmt, media in (("csv", "text/csv"), ("xlsx", "spreadsheetml")):
        exported = client.get("/api/v1/projects/SEPSIS/risks/export", params={"format": fmt})
        assert exported.status_code == 200 and media in exported.headers["content-type"]
        assert f"SEPSIS-risks.{fmt}" in exported.headers["content-disposition"]
        imported = client.post(
            "/api/v1/projects/SECRET/risks/import", files={"file": (f"register.{fmt}", exported.content)}
        )
        assert imported.status_code == 201, imported.text
        assert imported.json()["items"][0]["title"] == "Leakage"
    assert [r["key"] for r in client.get("/api/v1/risks", params={"project": "SECRET"}).json()["items"]] == [
        "SECRET-R1", "SECRET-R2",
    ]  # fmt: skip
    bad = client.post(
        "/api/v1/projects/SECRET/risks/import", files={"file": ("r.csv", b"Title,Probability,Impact\nX,hi,2\n")}
    )
    assert bad.status_code == 422 and "row 2: probability 'hi'" in bad.json()["error"]["message"]
    assert client.get("/api/v1/projects/SEPSIS/risks/export", params={"format": "pdf"}).status_code == 422
