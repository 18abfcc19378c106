"""Structure-aware chunking: pack a section's atomic blocks into ~800-1200 character chunks.

A chunk never crosses a section (so its heading path is exact) and never splits a paragraph,
list item or table row unless that block alone is over `max_chars`; then LangChain's
RecursiveCharacterTextSplitter cuts it at paragraph, line, sentence and word boundaries. A new
chunk in the middle of a list repeats the list's short lead-in ("Releases were:"), otherwise the
previous short block, as overlap.

Chunk ids are content-addressed: ``{source}#{n}:{hash[:12]}`` where ``n`` counts earlier chunks
of the document with the same hash (almost always 0). Inserting a paragraph therefore changes
only the ids of the chunks whose text changed, and re-ingest embeds only those. `ordinal` is the
chunk's position at ingest time.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date

from langchain_text_splitters import RecursiveCharacterTextSplitter

from knowledge.loaders import LoadedDocument
from knowledge.structure import Block, Section
from knowledge.types import Chunk, content_hash

TARGET_CHARS = 1000
MAX_CHARS = 1200
OVERLAP_CHARS = 200
MIN_CHARS = 1


def _join(blocks: list[Block]) -> str:
    parts: list[str] = []
    for i, block in enumerate(blocks):
        if i:
            same_list = block.kind in ("item", "row") and blocks[i - 1].kind == block.kind
            parts.append("\n" if same_list else "\n\n")
        parts.append(block.text)
    return "".join(parts)


def _size(blocks: list[Block]) -> int:
    return sum(len(b.text) + 2 for b in blocks)


def _explode(block: Block, max_chars: int, overlap: int) -> list[Block]:
    if len(block.text) <= max_chars:
        return [block]
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=max_chars,
        chunk_overlap=min(overlap, max_chars // 4),
        separators=["\n\n", "\n", ". ", "; ", ", ", " ", ""],
        keep_separator="end",
    )
    return [Block(piece, block.kind) for piece in splitter.split_text(block.text)]


def _units(blocks: list[Block], max_chars: int) -> list[list[Block]]:
    """Blocks grouped so a list with its lead-in ("Releases were:") moves as one when it fits."""
    units: list[list[Block]] = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        j = i + 1
        if block.kind == "paragraph" and block.text.rstrip().endswith(":"):
            while j < len(blocks) and blocks[j].kind in ("item", "row"):
                j += 1
        group = blocks[i:j]
        units.extend([group] if _size(group) <= max_chars else [[b] for b in group])
        i = j
    return units


def pack_section(
    section: Section, *, target: int = TARGET_CHARS, max_chars: int = MAX_CHARS, overlap: int = OVERLAP_CHARS
) -> list[str]:
    """The section's text cut into chunks at block boundaries."""
    blocks = [piece for b in section.blocks for piece in _explode(b, max_chars, overlap)]
    chunks: list[list[Block]] = []
    current: list[Block] = []
    fresh = 0  # blocks in `current` that are not overlap carried from the previous chunk
    lead_in: Block | None = None  # the paragraph introducing the list we are in
    for unit in _units(blocks, max_chars):
        first = unit[0]
        if first.kind == "paragraph":
            lead_in = first if first.text.rstrip().endswith(":") else None
        if current and fresh and _size(current) + _size(unit) > target:
            chunks.append(current)
            in_list = first.kind in ("item", "row") and lead_in is not None
            carry = lead_in if in_list and lead_in is not None else current[-1]
            small = len(carry.text) <= overlap and _size([carry, *unit]) <= max_chars
            current = [carry] if small and carry is not first else []
            fresh = 0
        current.extend(unit)
        fresh += len(unit)
    if current and fresh:
        chunks.append(current)
    return [_join(c) for c in chunks]


def chunk_hash(
    *,
    text: str,
    source: str,
    title: str | None,
    heading: str | None,
    doc_date: date | None,
    project: str | None,
    private: bool,
    scope: str = "",
) -> str:
    """Covers everything the index stores, so any change to a passage or its context re-embeds it."""
    when = doc_date.isoformat() if doc_date else None
    payload = [text, source, title, heading, when, project, private, scope]
    return content_hash(json.dumps(payload, ensure_ascii=False))


def chunk_document(
    doc: LoadedDocument,
    *,
    project: str | None,
    source: str | None = None,
    private: bool = False,
    scope: str = "",
    target: int = TARGET_CHARS,
    max_chars: int = MAX_CHARS,
    overlap: int = OVERLAP_CHARS,
) -> list[Chunk]:
    """Chunks of an (already redacted) document; `scope` (the ingest root) keeps ids unique across roots."""
    source = source or doc.path.name
    seen: Counter[str] = Counter()
    chunks: list[Chunk] = []
    for section in doc.sections:
        heading = section.heading_path
        for text in pack_section(section, target=target, max_chars=max_chars, overlap=overlap):
            if len(text.strip()) < MIN_CHARS:
                continue
            digest = chunk_hash(
                text=text,
                source=source,
                title=doc.title,
                heading=heading,
                doc_date=doc.doc_date,
                project=project,
                private=private,
                scope=scope,
            )
            n = seen[digest]
            seen[digest] += 1
            metadata = {"format": doc.format}
            if doc.period:
                metadata["period"] = doc.period
            chunks.append(
                Chunk(
                    id=f"{source}#{n}:{digest[:12]}",
                    text=text,
                    source=source,
                    kind="document",
                    project=project,
                    title=doc.title,
                    heading=heading,
                    doc_date=doc.doc_date,
                    ordinal=len(chunks),
                    hash=digest,
                    private=private,
                    metadata=metadata,
                )
            )
    return chunks
