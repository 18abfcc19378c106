"""Block Kit: record cards, citations as context, long answers split under Slack's limits."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

SECTION_LIMIT = 3000
BLOCK_LIMIT = 50
TEXT_LIMIT = 3900  # a message's top-level `text` notification fallback stays well under Slack's 40k
RATING_EMOJI = {
    "Low": ":large_green_circle:",
    "Medium": ":large_yellow_circle:",
    "High": ":large_orange_circle:",
    "Critical": ":red_circle:",
}
RAG_EMOJI = {"green": ":large_green_circle:", "amber": ":large_orange_circle:", "red": ":red_circle:"}
OPEN_CR = ("submitted", "under_review")
_BROADCAST = re.compile(r"<!(channel|here|everyone|subteam\^[^>]*)(\|[^>]*)?>", re.I)


def get(obj: Any, name: str, default: Any = None) -> Any:
    """Read `name` from a dict or an object (results come as either)."""
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def escape(text: str) -> str:
    """Text from documents or users shown literally (no pings, no links it did not ask for)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def defuse(text: str) -> str:
    """Keep the assistant's own mrkdwn but never let quoted text ping @channel/@here/a group."""
    return _BROADCAST.sub(lambda m: "@" + m.group(1).split("^")[0], text)


def split_text(text: str, limit: int = SECTION_LIMIT) -> list[str]:
    """Pieces of at most `limit` chars, cut at paragraph, then line, then word boundaries."""
    text = text.strip()
    pieces: list[str] = []
    while len(text) > limit:
        cut = max(text.rfind("\n\n", 0, limit), text.rfind("\n", 0, limit))
        if cut < limit // 2:
            cut = text.rfind(" ", 0, limit)
        if cut < limit // 2:
            cut = limit
        pieces.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        pieces.append(text)
    return pieces


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:SECTION_LIMIT]}}


def context(*texts: str) -> dict:
    return {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": t[:SECTION_LIMIT]} for t in texts[:10]],
    }


def button(
    text: str, action_id: str, value: str, style: str | None = None, confirm: dict | None = None
) -> dict:
    b: dict = {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": action_id,
        "value": value,
    }
    if style:
        b["style"] = style
    if confirm:
        b["confirm"] = confirm
    return b


def text_blocks(text: str) -> list[dict]:
    return [section(piece) for piece in split_text(defuse(text))] if text.strip() else []


def _due(record: Any) -> str:
    due = get(record, "due_date")
    return f" • due {due}" if due else ""


def _owner(value: Any) -> str:
    if not value:
        return "unassigned"
    value = str(value)
    return f"<@{value}>" if re.fullmatch(r"[UW][A-Z0-9]{2,}", value) else escape(value)


def risk_card(risk: Any, *, undo: str | None = None) -> list[dict]:
    key, rating = get(risk, "key"), get(risk, "rating") or ""
    head = (
        f"{RATING_EMOJI.get(rating, ':white_circle:')} *{key}* {escape(str(get(risk, 'title') or ''))}\n"
        f"*{rating}* ({get(risk, 'probability')}×{get(risk, 'impact')} = {get(risk, 'score')})"
        f" • {get(risk, 'status') or 'open'} • owner {_owner(get(risk, 'owner'))}{_due(risk)}"
    )
    if get(risk, "mitigation"):
        head += f"\n_Mitigation:_ {escape(str(get(risk, 'mitigation')))}"
    buttons = [button("Edit", "pmo_edit", f"risk:{key}")]
    if undo:
        buttons.append(button("Undo", "pmo_undo", f"{key}|{undo}"))
    return [section(head), {"type": "actions", "block_id": f"card:{key}", "elements": buttons}]


def change_request_card(cr: Any, *, undo: str | None = None, decide: bool = True) -> list[dict]:
    key, status = get(cr, "key"), get(cr, "status") or "submitted"
    impacts = [
        f"{get(cr, 'schedule_days')} days" if get(cr, "schedule_days") is not None else None,
        f"${float(get(cr, 'cost')):,.0f}" if get(cr, "cost") is not None else None,
        escape(str(get(cr, "scope"))) if get(cr, "scope") else None,
    ]
    impact = ", ".join(i for i in impacts if i) or "none stated"
    head = (
        f":memo: *{key}* {escape(str(get(cr, 'title') or ''))}\n"
        f"*{status.replace('_', ' ')}* • priority {get(cr, 'priority') or 'medium'} • impact: {impact}"
    )
    if get(cr, "requested_by"):
        head += f" • requested by {_owner(get(cr, 'requested_by'))}"
    buttons = [button("Edit", "pmo_edit", f"change_request:{key}")]
    if decide and status in OPEN_CR:
        buttons = [
            button("Approve", "pmo_cr_approve", key, "primary"),
            button("Reject", "pmo_cr_reject", key, "danger"),
            button("Defer", "pmo_cr_defer", key),
        ] + buttons
    if undo:
        buttons.append(button("Undo", "pmo_undo", f"{key}|{undo}"))
    return [section(head), {"type": "actions", "block_id": f"card:{key}", "elements": buttons}]


def milestone_line(ms: Any) -> str:
    return f"• *{get(ms, 'key')}* {escape(str(get(ms, 'title') or ''))} - {get(ms, 'status')}{_due(ms)}"


def record_card(kind: str, record: Any, *, undo: str | None = None) -> list[dict]:
    """A card with Edit (and Undo when `undo` names the thread whose last write made it) buttons."""
    if kind == "risk":
        return risk_card(record, undo=undo)
    if kind == "change_request":
        return change_request_card(record, undo=undo)
    return [section(milestone_line(record))]


def citation_blocks(citations: Iterable[Any], limit: int = 5) -> list[dict]:
    blocks: list[dict] = []
    for c in list(citations)[:limit]:
        source, title = str(get(c, "source") or ""), get(c, "title") or get(c, "source") or "source"
        label = (
            f"<{source}|{escape(str(title))}>"
            if source.startswith(("http://", "https://"))
            else (f"*{escape(str(title))}*" + (f" ({escape(source)})" if source and source != title else ""))
        )
        snippet = escape(str(get(c, "snippet") or "").strip().replace("\n", " "))
        if len(snippet) > 200:
            snippet = snippet[:197] + "..."
        blocks.append(context(f":page_facing_up: {label}" + (f" - {snippet}" if snippet else "")))
    return blocks


def paginate(blocks: list[dict], limit: int = BLOCK_LIMIT) -> list[list[dict]]:
    """Messages of at most `limit` blocks, never splitting a card from its buttons."""
    pages: list[list[dict]] = [[]]
    for i, block in enumerate(blocks):
        is_buttons_of_prev = block.get("type") == "actions" and i > 0
        room = limit - len(pages[-1])
        if room <= 0 or (
            room == 1
            and not is_buttons_of_prev
            and i + 1 < len(blocks)
            and blocks[i + 1].get("type") == "actions"
        ):
            pages.append([])
        pages[-1].append(block)
    return [p for p in pages if p]


def fallback_text(text: str) -> str:
    text = defuse(text).strip() or "PMO Assistant"
    return text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 3] + "..."
