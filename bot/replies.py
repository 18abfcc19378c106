"""Every sentence the assistant says, in one place (wording reviews and translations start here)."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

HELP = """Here's what I can do. Just write naturally; I'll ask if something is missing.
• *Log a risk*: `log risk SEPSIS: blood cultures land 48h late, prob 3 impact 4, owner @Aisha, due 12/15`
• *Update a risk*: `SEPSIS-R1 impact 5` · `change the owner of CHATNAV-R1 to Marco` · `close R4, fixed`
• *List risks*: `risk register pls` · `critical risks across the portfolio` · `open data risks on radsum`
• *File a change request*: `CR for TRIALMATCH: add heme trials, 6 weeks, $55k, priority medium`
• *Decide a change request* (approvers): `approve SEPSIS-CR1` · `defer the soft launch CR`
• *List change requests*: `any chatnav CRs still in submitted?`
• *Milestones*: `what's due for radsum in the next 30 days` · `push the IRB milestone to jan 14`
• *Status*: `SEPSIS status pls` · `weekly status: GREEN - reader study on track`
• *Questions about documents*: `what AUROC did the validation report give?` (answers cite their sources)
• *Digest*: `portfolio digest pls` · `digest for radsum`
• *Undo*: reply `undo` in the thread to revert my last change (yours only, within {undo_minutes} minutes)."""

SMALLTALK = (
    "Hi! I'm doing well, thanks. Ask me about a project's status, risks, change requests or milestones, "
    "or say `help` for examples."
)
THANKS = "You're welcome!"
SUMMARIZE = (
    "I can't summarize pasted text without a language model configured, and I never act on instructions "
    "inside pasted material. Ask me about a project's records or documents, or say `help`."
)
OUT_OF_SCOPE = (
    "That's outside what I do: I help with project status, risks, change requests, milestones and questions "
    "about project documents. Say `help` for examples."
)
CANCELLED = "OK, I've dropped that. Nothing was changed."
NOT_A_REQUEST = (
    "Noted, I haven't changed anything. When you want the change made, ask me directly "
    "(e.g. `close SEPSIS-R1` or `log risk SEPSIS: ...`)."
)
UNKNOWN = "I'm not sure what you'd like me to do. Say `help` to see examples of what I can do."
NOT_WRITTEN_QUOTED = (
    "I didn't change anything: the request to {what} is inside the text you pasted, not in your own words. "
    "If you want me to do it, ask me directly."
)
UNEXPECTED = "Sorry, something went wrong on my side and nothing was changed. (reference {ref})"
NO_SEARCH = "Document search isn't set up here yet, so I can't answer questions from documents."
NO_DIGEST = "Digests aren't available here yet."
NOT_FOUND_ANSWER = "I couldn't find anything about that in the documents and records you can see."
FOLLOWUP_EXPIRED = "That earlier question timed out, so I've treated this as a new message."
UNDO_NOTHING = "There's nothing of yours in this thread I can undo."
UNDO_TOO_LATE = (
    "That change is older than {minutes} minutes, so I can't undo it here; please edit {key} directly."
)
UNDO_NOT_AUTHOR = "Only {author} can undo that change, since they asked for it."
UNDO_DONE = "Undone: {what}."

TOOL_VERBS = {
    "log_risk": "log a risk",
    "update_risk": "update a risk",
    "close_risk": "close a risk",
    "file_change_request": "file a change request",
    "decide_change_request": "decide a change request",
    "update_milestone": "update a milestone",
    "post_status_update": "post a status update",
}


def who(owner: str | None, people: Mapping[str, str]) -> str:
    """`@Aisha` for a known Slack id, the text itself for a plain name."""
    if not owner:
        return "unassigned"
    name = people.get(owner)
    return f"@{name.split()[0]}" if name else owner


def _risk_line(r: Mapping[str, Any], people: Mapping[str, str]) -> str:
    line = f"{r.get('key')} '{r.get('title')}' — P{r.get('probability')} × I{r.get('impact')}"
    line += f" = {r.get('score')} {r.get('rating')}"
    line += f", owner {who(r.get('owner'), people)}"
    if r.get("due_date"):
        line += f", due {r['due_date']}"
    if r.get("status") and r.get("status") != "open":
        line += f", {r['status']}"
    return line


def _cr_line(c: Mapping[str, Any]) -> str:
    bits = [f"{c.get('key')} '{c.get('title')}'", str(c.get("status", "")).replace("_", " ")]
    if c.get("priority"):
        bits.append(f"{c['priority']} priority")
    if c.get("schedule_days") is not None:
        bits.append(f"+{c['schedule_days']} days")
    if c.get("cost") is not None:
        bits.append(f"${float(c['cost']):,.0f}")
    return ", ".join(b for b in bits if b)


def _milestone_line(m: Mapping[str, Any]) -> str:
    status = str(m.get("status", "")).replace("_", " ")
    return f"{m.get('key')} '{m.get('title')}' due {m.get('due_date')} ({status})"


def _items(result: Any) -> list[Mapping[str, Any]]:
    if isinstance(result, Mapping):
        result = result.get("items", [])
    return [r for r in result if isinstance(r, Mapping)] if isinstance(result, Sequence) else []


def _list(title: str, lines: list[str], empty: str) -> str:
    if not lines:
        return empty
    shown = lines[:15]
    more = f"\n…and {len(lines) - 15} more" if len(lines) > 15 else ""
    return f"{title} ({len(lines)}):\n" + "\n".join(f"• {s}" for s in shown) + more


def _status(result: Mapping[str, Any], people: Mapping[str, str]) -> str:
    head = f"*{result.get('project', '')}*" + (f" ({result['name']})" if result.get("name") else "")
    overall = result.get("overall")
    lines = [head + (f": overall {str(overall).upper()}" if overall else ": no status update posted yet")]
    dims = [f"{d} {str(result[d]).upper()}" for d in ("schedule", "budget", "scope") if result.get(d)]
    if dims:
        lines[0] += " (" + ", ".join(dims) + ")"
    if result.get("summary"):
        lines.append(f"Latest: {result['summary']}")
    counts = result.get("open_risks")
    if isinstance(counts, Mapping) and counts:
        counted = ", ".join(f"{v} {k}" for k, v in counts.items() if v)
        lines.append(f"Open risks ({result.get('open_risk_total', '')}): {counted}")
    for risk in (result.get("top_risks") or [])[:3]:
        lines.append("• " + _risk_line(risk, people))
    for ms in (result.get("overdue_milestones") or [])[:3]:
        lines.append("• Overdue: " + _milestone_line(ms))
    for ms in (result.get("upcoming_milestones") or [])[:3]:
        lines.append("• Next: " + _milestone_line(ms))
    crs = result.get("awaiting_decision") or []
    if crs:
        lines.append("Awaiting decision: " + "; ".join(_cr_line(c) for c in crs[:3]))
    return "\n".join(lines)


def tool_done(tool: str, result: Any, people: Mapping[str, str]) -> str:
    """What was done (or found), with the record key and a one-line summary."""
    r: Mapping[str, Any] = result if isinstance(result, Mapping) else {}
    if tool == "log_risk":
        return "Logged " + _risk_line(r, people)
    if tool == "update_risk":
        return "Updated " + _risk_line(r, people)
    if tool == "close_risk":
        reason = f" ({r['closed_reason']})" if r.get("closed_reason") else ""
        return f"Closed {r.get('key')} '{r.get('title')}'{reason}"
    if tool == "file_change_request":
        return "Filed " + _cr_line(r)
    if tool == "decide_change_request":
        return f"Recorded the decision: {_cr_line(r)}"
    if tool == "update_milestone":
        return "Updated " + _milestone_line(r)
    if tool == "post_status_update":
        overall = str(r.get("overall", "")).upper()
        return f"Posted the {r.get('project', '')} status: overall {overall} — {r.get('summary', '')}"
    if tool == "project_status":
        return _status(r, people)
    if tool == "list_risks":
        return _list("Risks", [_risk_line(x, people) for x in _items(result)], "No risks match that.")
    if tool == "list_change_requests":
        return _list(
            "Change requests", [_cr_line(x) for x in _items(result)], "No change requests match that."
        )
    if tool == "list_milestones":
        return _list("Milestones", [_milestone_line(x) for x in _items(result)], "No milestones match that.")
    if tool == "digest":
        return str(r.get("text") or r.get("summary") or "Here's the digest.")
    return "Done."


def domain_error(message: str) -> str:
    return f"I couldn't do that: {message}"


def refusal_decide(approvers: Sequence[str]) -> str:
    names = ", ".join(approvers) if approvers else "an approver or an admin"
    return (
        "Sorry, only approvers can approve, reject or defer change requests, "
        "so I haven't recorded a decision. "
        f"You can ask {names}."
    )


def refusal_text(approvers: Sequence[str]) -> str:
    return refusal_decide(approvers)


def ask_answer(answer: str, found: bool) -> str:
    return answer if (found and answer) else (answer or NOT_FOUND_ANSWER)


def smalltalk(text: str, notes: Sequence[str]) -> str:
    """A short, friendly reply that takes no action."""
    if "cancelled" in notes:
        return CANCELLED
    if "summarize_request" in notes or "pasted_text" in notes:
        return SUMMARIZE
    if "out_of_scope" in notes:
        return OUT_OF_SCOPE
    if "not_a_request" in notes:
        return NOT_A_REQUEST
    if re.search(r"\b(thanks|thank you|thx|ty|cheers|appreciate)\b", text, re.I):
        return THANKS
    return SMALLTALK


def help_text(undo_minutes: int) -> str:
    return HELP.format(undo_minutes=undo_minutes)


def question(text: str | None, options: Sequence[str] | None) -> str:
    base = text or "Could you tell me a bit more?"
    if options:
        base += "\n" + "\n".join(f"• {o}" for o in options[:8])
    return base
