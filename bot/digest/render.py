"""A digest as terminal/markdown text and as Slack Block Kit (same sections, same order)."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bot.digest.model import ChangeLine, DecisionLine, Digest, MilestoneLine, ProjectDigest, RiskLine

RAG_EMOJI = {"green": ":large_green_circle:", "amber": ":large_orange_circle:", "red": ":red_circle:"}
RATING_EMOJI = {"Low": ":white_circle:", "Medium": ":large_yellow_circle:", "High": ":large_orange_circle:",
                "Critical": ":red_circle:"}  # fmt: skip
SECTION_LIMIT = 2900  # Slack allows 3000 characters in a section's text
MAX_BLOCKS = 50
EMPTY = "None."


def _rag(value: str | None) -> str:
    return (value or "-").upper()


def _is_user(owner: str) -> bool:
    return owner.startswith(("U", "W")) and owner.isalnum() and owner.isupper()


def _owner(owner: str | None, mrkdwn: bool, name: str | None = None) -> str:
    """Slack mentions in Slack; the person's name (else what was stored) everywhere else."""
    if not owner:
        return "no owner"
    if mrkdwn and _is_user(owner):
        return f"<@{owner}>"
    return name or owner


def status_line(p: ProjectDigest) -> str:
    if p.status is None:
        return "no status update yet"
    s = p.status
    return (
        f"overall {_rag(s.overall)} | schedule {_rag(s.schedule)} | budget {_rag(s.budget)} | "
        f"scope {_rag(s.scope)} (as of {s.as_of.isoformat()})"
    )


def risk_counts(p: ProjectDigest) -> str:
    parts = [f"{n} {rating}" for rating, n in reversed(p.open_risks.items()) if n]
    return "open risks: " + (", ".join(parts) if parts else "none")


def _risk(r: RiskLine, mrkdwn: bool) -> str:
    due = f"due {r.due_date.isoformat()}" if r.due_date else "no due date"
    return f"{r.key} [{r.rating} {r.score}] {r.title} - {_owner(r.owner, mrkdwn, r.owner_name)}, {due}"


def _stale(r: RiskLine, mrkdwn: bool) -> str:
    seen = r.last_reviewed.isoformat() if r.last_reviewed else "never"
    owner = _owner(r.owner, mrkdwn, r.owner_name)
    return f"{r.key} [{r.rating} {r.score}] {r.title} - {owner}, last reviewed {seen}"


def _overdue(r: RiskLine, mrkdwn: bool) -> str:
    action = f": {r.mitigation}" if r.mitigation else ""
    due = r.due_date.isoformat() if r.due_date else "?"
    return f"{r.key} {r.title}{action} - {_owner(r.owner, mrkdwn, r.owner_name)}, was due {due}"


def _milestone(m: MilestoneLine, mrkdwn: bool) -> str:
    when = "today" if m.days_left == 0 else (f"in {m.days_left} days" if m.days_left > 0 else
                                             f"{-m.days_left} days late")  # fmt: skip
    owner = f" - {_owner(m.owner, mrkdwn, m.owner_name)}" if m.owner else ""
    return f"{m.key} {m.title} - due {m.due_date.isoformat()} ({when}, {m.status.replace('_', ' ')}){owner}"


def _decision(d: DecisionLine, mrkdwn: bool) -> str:
    impact = []
    if d.schedule_days:
        impact.append(f"{d.schedule_days:+d} days")
    if d.cost:
        impact.append(f"${d.cost:,.0f}")
    extra = f" ({', '.join(impact)})" if impact else ""
    return (f"{d.key} {d.title}{extra} - {d.priority} priority, {d.status.replace('_', ' ')}, "
            f"waiting {d.waiting_days} days")  # fmt: skip


def _change(c: ChangeLine, mrkdwn: bool) -> str:
    detail = f" ({c.detail})" if c.detail else ""
    return f"{c.label}: {c.key} {c.title}{detail}"


def sections(d: Digest) -> list[tuple[str, list, Callable[[object, bool], str]]]:
    """(heading, items, line formatter) for every list section, in reading order."""
    return [
        ("What changed this week", d.changes, _change),
        ("Top risks", d.top_risks, _risk),
        ("Overdue risk actions", d.overdue_actions, _overdue),
        ("Risks not reviewed in 30 days", d.stale_risks, _stale),
        ("Milestones due in the next 14 days", d.upcoming_milestones, _milestone),
        ("Overdue milestones", d.overdue_milestones, _milestone),
        ("Decisions needed (change requests awaiting approval)", d.decisions, _decision),
    ]


def render_text(d: Digest) -> str:
    """Markdown-flavoured plain text for the terminal, the API and the `digest` tool."""
    out = [f"# {d.title}", f"Week ending {d.today.isoformat()} (changes since {d.since.isoformat()})", ""]
    out.append("## Status")
    if not d.projects:
        out.append("No projects to report on.")
    for p in d.projects:
        if d.is_portfolio:
            out.append(f"- {p.key} {p.name}: {status_line(p)}; {risk_counts(p)}")
        else:
            line = status_line(p)
            out.append(line[:1].upper() + line[1:] + f"; {risk_counts(p)}")
            if p.status is not None:
                out.append(p.status.summary)
    for heading, items, fmt in sections(d):
        out += ["", f"## {heading}"]
        out += [f"- {fmt(item, False)}" for item in items] or [EMPTY]
    return "\n".join(out) + "\n"


def escape(text: str) -> str:
    """Slack mrkdwn escaping for text that came from users."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _escaped_line(fmt: Callable[[object, bool], str], item: object) -> str:
    # Escape first, then let the formatter's own <@U..> mentions through unescaped.
    line = fmt(item, True)
    owner = getattr(item, "owner", None)
    mention = _owner(owner, True) if owner else None
    if mention and mention.startswith("<@"):
        parts = line.split(mention)
        return mention.join(escape(part) for part in parts)
    return escape(line)


def _chunked(lines: Iterable[str], limit: int = SECTION_LIMIT) -> str:
    text, lines = "", list(lines)
    for i, line in enumerate(lines):
        more = f"\n_...and {len(lines) - i} more_"
        if len(text) + len(line) + 1 + len(more) > limit:
            return text + more
        text += ("\n" if text else "") + line
    return text


def _section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _status_blocks(d: Digest) -> list[dict]:
    if not d.projects:
        return [_section("No projects to report on.")]
    if d.is_portfolio:
        lines = []
        for p in d.projects:
            overall = p.status.overall if p.status else None
            emoji = RAG_EMOJI.get(overall or "", ":white_circle:")
            lines.append(
                f"{emoji} *{escape(p.key)}* {escape(p.name)}: {escape(status_line(p))}; {risk_counts(p)}"
            )
        return [_section("*Status*\n" + _chunked(lines, SECTION_LIMIT - 20))]
    p = d.projects[0]
    if p.status is None:
        return [_section(f"*Status*\nNo status update yet; {risk_counts(p)}")]
    s = p.status
    fields = [
        {"type": "mrkdwn", "text": f"*{name}*\n{RAG_EMOJI.get(value or '', ':white_circle:')} {_rag(value)}"}
        for name, value in (
            ("Overall", s.overall),
            ("Schedule", s.schedule),
            ("Budget", s.budget),
            ("Scope", s.scope),
        )  # fmt: skip
    ]
    summary = escape(s.summary)[:SECTION_LIMIT]
    return [
        {"type": "section", "fields": fields},
        _section(f"*Latest status* (as of {s.as_of.isoformat()}; {risk_counts(p)})\n{summary}"),
    ]


def render_blocks(d: Digest) -> list[dict]:
    """Slack Block Kit blocks (header, status, one section per list); within Slack's size limits."""
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": d.title[:150], "emoji": True}},
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": f"Week ending {d.today.isoformat()} · changes since {d.since.isoformat()}",
                }
            ],  # fmt: skip
        },
    ]
    blocks += _status_blocks(d)
    for heading, items, fmt in sections(d):
        blocks.append({"type": "divider"})
        body = _chunked(f"• {_escaped_line(fmt, item)}" for item in items) if items else "_None._"
        blocks.append(_section(f"*{heading}*\n{body}"))
    return blocks[:MAX_BLOCKS]


def fallback_text(d: Digest) -> str:
    """The notification text Slack shows where blocks cannot be (and screen readers read)."""
    return f"{d.title}: {len(d.changes)} changes, {len(d.decisions)} decisions needed"
