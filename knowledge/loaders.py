"""Load one file into a `LoadedDocument`: its structure, title, date and metadata.

Every failure is a `LoadError(path, reason)`; `UnsupportedFile` for types we do not read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

from knowledge.dates import resolve_date
from knowledge.errors import LoadError, UnsupportedFile
from knowledge.readers.html import parse_html
from knowledge.readers.markdown import parse_markdown, split_title
from knowledge.readers.office import parse_docx, parse_pdf
from knowledge.readers.tables import parse_csv, parse_xlsx
from knowledge.structure import Section, render

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
TEXT_TYPES = {".md": "markdown", ".markdown": "markdown", ".txt": "text", ".text": "text",
              ".html": "html", ".htm": "html", ".csv": "csv", ".tsv": "csv"}  # fmt: skip
BINARY_TYPES = {".pdf": "pdf", ".docx": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx"}
SUPPORTED = frozenset(TEXT_TYPES) | frozenset(BINARY_TYPES)
MAGIC = {"pdf": b"%PDF", "docx": b"PK", "xlsx": b"PK"}


@dataclass
class LoadedDocument:
    path: Path
    format: str  # markdown, text, html, pdf, docx, csv, xlsx
    sections: list[Section]
    title: str | None = None
    doc_date: date | None = None
    period: str | None = None  # the date's precision: "2024-09", "2024-09-15", "2020-Q3", "2024"
    metadata: dict = field(default_factory=dict)  # date_source, front matter keys, size ...

    @property
    def text(self) -> str:
        return render(self.sections)


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED


def _decode(path: Path, data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise LoadError(path, "binary file (contains NUL bytes), not text")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _front_matter(text: str) -> tuple[dict, str]:
    """YAML front matter between leading ``---`` lines; unreadable front matter is left as text."""
    if not text.startswith("---"):
        return {}, text
    end = text.find("\n---", 3)
    if end < 0:
        return {}, text
    try:
        data = yaml.safe_load(text[3:end])
    except yaml.YAMLError:
        return {}, text
    if not isinstance(data, dict):
        return {}, text
    rest = text[end + 4 :]
    return {str(k).lower(): v for k, v in data.items()}, rest.split("\n", 1)[1] if "\n" in rest else ""


def _read(path: Path, kind: str, data: bytes) -> tuple[list[Section], str | None, object, dict]:
    """Sections, title, the file's own date (metadata or front matter) and extra metadata."""
    if kind in ("markdown", "text"):
        meta, body = _front_matter(_decode(path, data))
        title, body = split_title(body)
        title = str(meta["title"]) if meta.get("title") else title
        when = meta.get("date") or meta.get("period")
        extra = {k: v for k, v in meta.items() if isinstance(v, str | int | float | bool)}
        return parse_markdown(body), title, when, extra
    if kind == "html":
        sections, title, when = parse_html(_decode(path, data))
        return sections, title, when, {}
    if kind == "csv":
        return parse_csv(_decode(path, data)), None, None, {}
    if not data.startswith(MAGIC[kind]):
        raise LoadError(path, f"not a valid {kind.upper()} file (unexpected content)")
    parser = {"pdf": parse_pdf, "docx": parse_docx, "xlsx": parse_xlsx}[kind]
    sections, title, when = parser(path)
    return sections, title, when, {}


def load_document(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> LoadedDocument:
    """Read one supported file; raise LoadError with a plain reason when it cannot be used."""
    path = Path(path)
    kind = TEXT_TYPES.get(path.suffix.lower()) or BINARY_TYPES.get(path.suffix.lower())
    if kind is None:
        raise UnsupportedFile(path, f"unsupported file type '{path.suffix or path.name}'")
    try:
        stat = path.stat()
    except OSError as exc:
        raise LoadError(path, f"cannot read the file ({exc.strerror or exc})") from exc
    if not path.is_file():
        raise LoadError(path, "not a regular file")
    if stat.st_size == 0:
        raise LoadError(path, "empty file")
    if stat.st_size > max_bytes:
        raise LoadError(path, f"file is {stat.st_size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit")
    try:
        data = path.read_bytes()
        sections, title, when, extra = _read(path, kind, data)
    except LoadError:
        raise
    except Exception as exc:  # a corrupt file may fail anywhere inside a parser library
        raise LoadError(path, f"cannot parse the {kind} file ({type(exc).__name__}: {exc})"[:300]) from exc
    if not any(b.text.strip() for s in sections for b in s.blocks):
        reason = "no extractable text (a scanned PDF?)" if kind == "pdf" else "no text in the document"
        raise LoadError(path, reason)
    found = resolve_date(
        front_matter=when if kind in ("markdown", "text") else None,
        title=title,
        file_name=path.name,
        file_metadata=when if kind not in ("markdown", "text") else None,
        mtime=stat.st_mtime,
    )
    metadata = {"size": stat.st_size, **extra}
    if not title:
        title, metadata["title_source"] = path.stem, "file_name"
    if found:
        metadata["date_source"] = found.source
    return LoadedDocument(
        path=path,
        format=kind,
        sections=sections,
        title=title,
        doc_date=found.value if found else None,
        period=found.period if found else None,
        metadata=metadata,
    )
