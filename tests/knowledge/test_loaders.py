"""Every loader on small real files, and every way a file can be unusable."""

from __future__ import annotations

import os
import zipfile
from datetime import date
from pathlib import Path

import pytest

from knowledge.errors import LoadError, UnsupportedFile
from knowledge.loaders import load_document
from tests.knowledge.conftest import make_docx, make_pdf, make_xlsx


def blocks(doc):
    return {(s.heading_path, b.kind, b.text) for s in doc.sections for b in s.blocks}


def test_markdown_headings_lists_and_date_from_file_name(tmp_path: Path) -> None:
    path = tmp_path / "2024-09.md"
    path.write_text(
        "## Status report for the Apache Cordova project - Sept 2024\n\n## Project Activity\n\n"
        "Releases happened.\n\n**Releases:**\n\n- cordova-ios@7.1.1 was released on 2024-07-24.\n"
        "- cordova-plugin-device@3.0.0 was\n  released on 2024-06-17.\n\nOld style\n---------\n\ntext\n"
    )
    doc = load_document(path)
    assert doc.title == "Status report for the Apache Cordova project - Sept 2024"
    assert doc.doc_date == date(2024, 9, 1) and doc.period == "2024-09"
    assert doc.metadata["date_source"] == "title"
    got = blocks(doc)
    assert ("Project Activity > Releases", "item", "- cordova-ios@7.1.1 was released on 2024-07-24.") in got
    assert (
        "Project Activity > Releases",
        "item",
        "- cordova-plugin-device@3.0.0 was\n  released on 2024-06-17.",
    ) in got
    assert ("Old style", "paragraph", "text") in got


def test_file_name_date_when_title_has_none(tmp_path: Path) -> None:
    path = tmp_path / "2014-09.md"
    path.write_text("Apache Cordova is a platform\nfor apps.\n\n# Status\n\nFine.\n")
    doc = load_document(path)
    assert (doc.doc_date, doc.period, doc.metadata["date_source"]) == (
        date(2014, 9, 1),
        "2014-09",
        "file_name",
    )
    assert doc.title == "2014-09"


def test_front_matter_wins_and_is_not_text(tmp_path: Path) -> None:
    path = tmp_path / "notes-2020-01.md"
    path.write_text("---\ntitle: Weekly status\ndate: 2024-03-15\nowner: pmo\n---\n# Summary\n\nOn track.\n")
    doc = load_document(path)
    assert doc.title == "Weekly status"
    assert doc.doc_date == date(2024, 3, 15) and doc.metadata["date_source"] == "front_matter"
    assert doc.metadata["owner"] == "pmo"
    assert "title:" not in doc.text


def test_mtime_is_the_last_resort(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("Plain text notes\n\nNothing dated here at all.\n")
    os.utime(path, (1_700_000_000, 1_700_000_000))
    doc = load_document(path)
    assert doc.doc_date == date(2023, 11, 14) and doc.metadata["date_source"] == "mtime"
    assert doc.format == "text"


def test_markdown_table_rows_become_header_value_lines(tmp_path: Path) -> None:
    path = tmp_path / "t.md"
    path.write_text("# Budget\n\n| Item | Cost |\n|---|---:|\n| GPUs | $40,000 |\n| Labels | $5,000 |\n")
    doc = load_document(path)
    assert ("Budget", "row", "Item: GPUs\nCost: $40,000") in blocks(doc)


def test_html(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(
        "<html><head><title>Sepsis Q3 2024 update</title><script>var x = 1;</script></head><body>"
        "<nav>Home</nav><h1>Status</h1><p>All <b>green</b>.</p><h2>Releases</h2>"
        "<ul><li>v1.2 shipped<ul><li>hotfix 1.2.1</li></ul></li><li>v1.3 planned</li></ul>"
        "<table><tr><th>Key</th><th>Rating</th></tr><tr><td>SEPSIS-R1</td><td>High</td></tr></table>"
        "</body></html>"
    )
    doc = load_document(path)
    assert doc.title == "Sepsis Q3 2024 update" and doc.period == "2024-Q3"
    got = blocks(doc)
    assert ("Status", "paragraph", "All green .") in got or ("Status", "paragraph", "All green.") in got
    assert ("Status > Releases", "item", "- v1.2 shipped\n  - hotfix 1.2.1") in got
    assert ("Status > Releases", "row", "Key: SEPSIS-R1\nRating: High") in got
    assert "var x" not in doc.text and "Home" not in doc.text


def test_pdf_pages_and_metadata_title(tmp_path: Path) -> None:
    path = make_pdf(
        tmp_path / "board.pdf",
        [["Quarterly report", "", "Pilot is on track."], ["Risks", "- vendor delay"]],
        title="Board report March 2025",
    )
    doc = load_document(path)
    assert doc.format == "pdf" and doc.title == "Board report March 2025"
    assert doc.doc_date == date(2025, 3, 1)
    assert [s.heading_path for s in doc.sections] == ["Page 1", "Page 2"]
    assert "Pilot is on track." in doc.text and "- vendor delay" in doc.text


def test_docx_keeps_headings_lists_and_tables(tmp_path: Path) -> None:
    doc = load_document(make_docx(tmp_path / "status.docx", title="Status June 2024"))
    got = blocks(doc)
    assert doc.title == "Status June 2024" and doc.period == "2024-06"
    assert (
        "Project Activity > Releases",
        "item",
        "- cordova-android 10.1.2 was released on 2024-07-24.",
    ) in got
    assert ("Project Activity > Releases", "row", "Milestone: Pilot go-live\nDue: 2024-10-01") in got
    assert ("Risks", "paragraph", "Vendor delay could slip the pilot by two weeks.") in got


def test_xlsx_sheets_are_headings_rows_are_header_value(tmp_path: Path) -> None:
    doc = load_document(make_xlsx(tmp_path / "register.xlsx"))
    got = blocks(doc)
    assert ("Risks", "row", "Key: SEPSIS-R1\nTitle: Label drift in the sepsis model\nRating: High") in got
    assert ("Milestones", "row", "Milestone: Silent pilot\nDue: 2024-10-01") in got


def test_csv(tmp_path: Path) -> None:
    path = tmp_path / "milestones.csv"
    path.write_text("Milestone,Due,Status\nSilent pilot,2024-10-01,planned\nGo-live,,missed\n")
    got = blocks(load_document(path))
    assert (None, "row", "Milestone: Silent pilot\nDue: 2024-10-01\nStatus: planned") in got
    assert (None, "row", "Milestone: Go-live\nStatus: missed") in got


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("empty.md", b"", "empty file"),
        ("blank.md", b"  \n\n\t\n", "no text"),
        ("bin.txt", b"\x00\x01\x02ELF\x00" * 10, "binary"),
        ("broken.pdf", b"%PDF-1.4 garbage that is not a pdf", "cannot parse"),
        ("fake.pdf", b"hello, not a pdf", "not a valid PDF"),
        ("broken.docx", b"PK\x03\x04 truncated zip", "cannot parse"),
        ("broken.xlsx", b"this is text", "not a valid XLSX"),
    ],
)
def test_unusable_files_raise_load_error_with_reason(
    tmp_path: Path, name: str, content: bytes, reason: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LoadError) as info:
        load_document(path)
    assert reason in info.value.reason and info.value.path == str(path)


def test_docx_that_is_a_zip_of_something_else(tmp_path: Path) -> None:
    path = tmp_path / "odd.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(LoadError, match="cannot parse"):
        load_document(path)


def test_scanned_pdf_without_text(tmp_path: Path) -> None:
    path = make_pdf(tmp_path / "scan.pdf", [[]])
    with pytest.raises(LoadError, match="no extractable text"):
        load_document(path)


def test_oversized_and_unsupported_and_missing(tmp_path: Path) -> None:
    big = tmp_path / "big.md"
    big.write_text("x" * 5000)
    with pytest.raises(LoadError, match="over the"):
        load_document(big, max_bytes=1000)
    exe = tmp_path / "tool.exe"
    exe.write_bytes(b"MZ")
    with pytest.raises(UnsupportedFile):
        load_document(exe)
    with pytest.raises(LoadError, match="cannot read"):
        load_document(tmp_path / "missing.md")


def test_non_utf8_text_is_decoded(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("Caf\xe9 budget \x96 on track".encode("latin-1"))
    assert "Café budget – on track" in load_document(path).text


def test_whole_cordova_corpus_loads_with_dates_from_names(corpus_dir: Path) -> None:
    for path in sorted(corpus_dir.glob("*.md")):
        doc = load_document(path)
        assert doc.period == path.stem, path.name  # title dates agree with the file names
        assert doc.sections
