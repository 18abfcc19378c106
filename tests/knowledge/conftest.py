"""Fixtures for the ingest tests: small real files of every supported format."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "cordova-board-reports"


def make_pdf(path: Path, pages: list[list[str]], title: str | None = None) -> Path:
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=letter)
    if title:
        pdf.setTitle(title)
    for lines in pages:
        y = 720
        for line in lines:
            pdf.drawString(72, y, line)
            y -= 16
        pdf.showPage()
    pdf.save()
    return path


def make_docx(path: Path, title: str | None = None) -> Path:
    import docx

    document = docx.Document()
    if title:
        document.core_properties.title = title
    document.add_heading("Project Activity", level=1)
    document.add_paragraph("The team shipped two releases this quarter.")
    document.add_heading("Releases", level=2)
    document.add_paragraph("cordova-android 10.1.2 was released on 2024-07-24.", style="List Bullet")
    document.add_paragraph("cordova-ios 7.1.1 was released on 2024-06-17.", style="List Bullet")
    table = document.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate(
        [("Milestone", "Due"), ("Pilot go-live", "2024-10-01"), ("Validation", "2024-11-15")]
    ):
        table.rows[r].cells[0].text = a
        table.rows[r].cells[1].text = b
    document.add_heading("Risks", level=1)
    document.add_paragraph("Vendor delay could slip the pilot by two weeks.")
    document.save(str(path))
    return path


def make_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Risks"
    sheet.append(["Key", "Title", "Rating"])
    sheet.append(["SEPSIS-R1", "Label drift in the sepsis model", "High"])
    sheet.append(["SEPSIS-R2", "EHR vendor API delay", "Medium"])
    other = workbook.create_sheet("Milestones")
    other.append(["Milestone", "Due"])
    other.append(["Silent pilot", "2024-10-01"])
    workbook.save(str(path))
    return path


@pytest.fixture
def corpus_dir() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("the shared Cordova corpus is not present")
    return CORPUS


@pytest.fixture(scope="session")
def redactor():
    """One analyzer for the whole session: building presidio's engine takes seconds."""
    from knowledge.phi import PhiRedactor

    return PhiRedactor()
