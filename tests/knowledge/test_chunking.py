"""Chunking invariants: heading path and date on every chunk, list items and rows never split."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowledge.chunking import MAX_CHARS, chunk_document
from knowledge.loaders import LoadedDocument, load_document
from knowledge.readers.markdown import parse_markdown
from knowledge.structure import Block, Section

words = st.text(alphabet="abcdefghij klmnop,", min_size=1, max_size=120).map(lambda s: s.strip() or "x")
item_text = st.lists(words, min_size=1, max_size=4).map(lambda ws: "\n  ".join(ws))


@st.composite
def markdown_docs(draw):
    """Random Markdown: headings, paragraphs, lists (items with continuation lines) and tables."""
    parts, items, rows = [], [], []
    for n in range(draw(st.integers(1, 6))):
        parts.append(f"{'#' * draw(st.integers(1, 3))} Heading {n}")
        for _ in range(draw(st.integers(1, 5))):
            kind = draw(st.sampled_from(["para", "list", "table"]))
            if kind == "para":
                parts.append(" ".join(draw(st.lists(words, min_size=1, max_size=12))))
            elif kind == "list":
                lead = "Items follow:" if draw(st.booleans()) else "Intro."
                its = [f"- item{len(items) + i} " + draw(item_text) for i in range(draw(st.integers(1, 15)))]
                items.extend(its)
                parts.append(lead + "\n\n" + "\n".join(its))
            else:
                names = [f"r{len(rows) + i}" for i in range(draw(st.integers(1, 8)))]
                body = [f"| {name} | {draw(words)} |" for name in names]
                rows.extend(f"Name: {name}" for name in names)
                parts.append("| Name | Value |\n|---|---|\n" + "\n".join(body))
    return "\n\n".join(parts) + "\n", items, rows


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdown_docs())
def test_items_and_rows_are_never_split_and_context_is_on_every_chunk(doc_and_items) -> None:
    text, items, rows = doc_and_items
    doc = LoadedDocument(Path("r.md"), "markdown", parse_markdown(text), "T", date(2024, 9, 1), "2024-09")
    chunks = chunk_document(doc, project="SEPSIS")
    assert chunks
    for chunk in chunks:
        assert chunk.heading and chunk.heading.startswith("Heading")
        assert chunk.doc_date == date(2024, 9, 1) and chunk.project == "SEPSIS"
        assert chunk.metadata["period"] == "2024-09"
        assert len(chunk.text) <= MAX_CHARS
    joined = [c.text for c in chunks]
    for item in items:
        if len(item) <= MAX_CHARS:
            assert any(item in t for t in joined), item
    for row in rows:
        assert any(row in t for t in joined), row
    assert len({c.id for c in chunks}) == len(chunks)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=3000), min_size=1, max_size=5))
def test_any_text_is_covered_and_bounded(paragraphs) -> None:
    section = Section(("A",), [Block(p) for p in paragraphs if p.strip()])
    doc = LoadedDocument(Path("x.txt"), "text", [section] if section.blocks else [], None, None, None)
    chunks = chunk_document(doc, project=None)
    assert all(len(c.text) <= MAX_CHARS for c in chunks)
    text = "".join(c.text for c in chunks)
    for p in paragraphs:
        for word in p.split()[:3]:
            assert word in text


def test_ids_are_stable_and_content_addressed(tmp_path: Path) -> None:
    path = tmp_path / "2024-09.md"
    body = "\n\n".join(f"# S{n}\n\nParagraph {n} " + "words " * 150 for n in range(6))
    path.write_text(body)
    first = chunk_document(load_document(path), project="P")
    again = chunk_document(load_document(path), project="P")
    assert [c.id for c in first] == [c.id for c in again]
    path.write_text("# New\n\nA new opening section.\n\n" + body)
    changed = chunk_document(load_document(path), project="P")
    assert {c.id for c in first} <= {c.id for c in changed}  # inserting a section re-ids nothing else
    assert len({c.id for c in changed} - {c.id for c in first}) == 1
    other_project = chunk_document(load_document(path), project="Q")
    assert not {c.id for c in other_project} & {c.id for c in changed}


def test_list_with_lead_in_moves_whole_to_next_chunk() -> None:
    lead = "Several security issues were resolved as well:"
    items = [f"- CVE-2014-350{i}: a fairly long vulnerability description number {i}" for i in range(3)]
    section = Section(("Status",), [Block("p " * 420), Block(lead), *(Block(i, "item") for i in items)])
    doc = LoadedDocument(Path("r.md"), "markdown", [section], None, None, None)
    chunks = chunk_document(doc, project=None)
    holder = [c for c in chunks if lead in c.text]
    assert len(holder) == 1 and all(i in holder[0].text for i in items)


def test_long_list_repeats_lead_in_when_split() -> None:
    lead = "Releases this quarter:"
    items = [f"- cordova-plugin-{n}@1.{n}.0 was released on 2024-0{1 + n % 9}-1{n % 9}" for n in range(60)]
    section = Section(("Releases",), [Block(lead), *(Block(i, "item") for i in items)])
    chunks = chunk_document(
        LoadedDocument(Path("r.md"), "markdown", [section], None, None, None), project=None
    )
    assert len(chunks) > 1
    assert all(c.text.startswith(lead) for c in chunks)


def test_cordova_corpus_chunks(corpus_dir: Path) -> None:
    chunks = [
        c
        for p in sorted(corpus_dir.glob("*.md"))
        for c in chunk_document(load_document(p), project="CORDOVA")
    ]
    assert all(c.doc_date and c.project == "CORDOVA" for c in chunks)
    releases = [c for c in chunks if c.source == "2024-09.md" and c.heading == "Project Activity > Releases"]
    assert releases and "cordova-ios@7.1.1 was released on 2024-07-24." in releases[0].text
    assert max(len(c.text) for c in chunks) <= MAX_CHARS


def test_html_comments_are_not_content_but_code_keeps_them() -> None:
    """A report template's unfilled comment is not quoted as the project's words; one between list items
    does not split the list; a comment inside a code block is code."""
    text = (
        "# Mailing lists\n\n"
        "- dev@ had a 10% increase in traffic\n"
        "<!-- - issues@ had a % decrease/increase in traffic ( emails compared to ) -->\n"
        "- user@ is quiet <!-- check --> again\n\n"
        "```\n<!-- kept -->\n```\n"
        "Volume <!-- spans\ntwo lines --> settled.\n\n"
        "<!-- an unclosed comment runs to the end\nas in HTML\n"
    )
    blocks = [b for s in parse_markdown(text) for b in s.blocks]
    texts = " ".join(b.text for b in blocks)
    assert "decrease/increase" not in texts and "check" not in texts and "spans" not in texts
    assert "unclosed" not in texts and "HTML" not in texts
    assert [b.kind for b in blocks] == ["item", "item", "code", "paragraph"]
    assert blocks[1].text.split() == ["-", "user@", "is", "quiet", "again"]
    assert "<!-- kept -->" in blocks[2].text
    assert blocks[3].text.split() == ["Volume", "settled."]
