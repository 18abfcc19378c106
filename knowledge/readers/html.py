"""HTML to sections with BeautifulSoup: h1-h6 headings, list items, table rows, paragraphs."""

from __future__ import annotations

from bs4 import BeautifulSoup, NavigableString, Tag

from knowledge.readers.markdown import row_text
from knowledge.structure import Section, SectionBuilder

SKIP = {"script", "style", "noscript", "template", "svg", "nav", "head", "iframe", "button", "form"}
HEADINGS = {f"h{n}": n for n in range(1, 7)}
BLOCKS = {"p", "pre", "blockquote", "address", "figcaption", "dt", "dd", "caption"}
DATE_META = ("date", "dc.date", "dcterms.date", "article:published_time", "dcterms.created")


def _text(node: Tag | NavigableString) -> str:
    if isinstance(node, NavigableString):
        return " ".join(str(node).split())
    return " ".join(node.get_text(" ", strip=True).split())


class _Walker:
    def __init__(self) -> None:
        self.out = SectionBuilder()
        self.inline: list[str] = []

    def flush(self) -> None:
        text = " ".join(t for t in self.inline if t).strip()
        if text:
            self.out.block(text)
        self.inline = []

    def walk(self, node: Tag) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                if type(child) is NavigableString:  # not comments, doctype, CDATA
                    self.inline.append(_text(child))
            elif isinstance(child, Tag):
                self.tag(child)

    def tag(self, tag: Tag) -> None:
        name = tag.name.lower()
        if name in SKIP:
            return
        if name in HEADINGS:
            self.flush()
            self.out.heading(HEADINGS[name], _text(tag))
        elif name in ("ul", "ol"):
            self.flush()
            for item in self.items(tag, 0):
                self.out.block(item, "item")
        elif name == "table":
            self.flush()
            self.table(tag)
        elif name == "pre":
            self.flush()
            self.out.block(tag.get_text(), "code")
        elif name in BLOCKS:
            self.flush()
            self.out.block(_text(tag))
        elif name == "br":
            self.inline.append("\n")
        elif tag.find(list(HEADINGS) + ["p", "div", "ul", "ol", "table", "section", "li", "pre"]):
            self.flush()
            self.walk(tag)
            self.flush()
        else:
            self.inline.append(_text(tag))

    def items(self, listing: Tag, depth: int) -> list[str]:
        """Top-level items with their nested lists folded in, so an item is never split."""
        out = []
        for li in listing.find_all("li", recursive=False):
            nested = [sub.extract() for sub in li.find_all(["ul", "ol"], recursive=False)]
            lines = ["  " * depth + "- " + _text(li)]
            for sub in nested:
                lines.extend(self.items(sub, depth + 1))
            out.append("\n".join(lines))
        return out

    def table(self, table: Tag) -> None:
        rows = table.find_all("tr")
        if not rows:
            return
        header: list[str] = []
        first = rows[0]
        if first.find("th") or not table.find("tbody"):
            header = [_text(c) for c in first.find_all(["th", "td"])]
            rows = rows[1:]
        for row in rows:
            text = row_text(header, [_text(c) for c in row.find_all(["th", "td"])])
            if text:
                self.out.block(text, "row")


def parse_html(raw: str) -> tuple[list[Section], str | None, str | None]:
    """Sections, the page's title, and a date from its metadata if it declares one."""
    soup = BeautifulSoup(raw, "html.parser")
    title = _text(soup.title) if soup.title else None
    meta_date = None
    for meta in soup.find_all("meta"):
        key = (meta.get("name") or meta.get("property") or "").lower()
        if key in DATE_META and meta.get("content"):
            meta_date = str(meta["content"])
            break
    walker = _Walker()
    walker.walk(soup.body or soup)
    walker.flush()
    return walker.out.result(), title or None, meta_date
