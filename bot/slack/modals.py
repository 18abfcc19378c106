"""The risk and change request forms: built prefilled, read back into the contract's fields."""

from __future__ import annotations

import json
from typing import Any

from tools.scales import CATEGORIES, CR_PRIORITIES, RESPONSES, RISK_STATUSES

RISK_CALLBACK, CR_CALLBACK = "pmo_risk_modal", "pmo_cr_modal"
LEVEL_LABELS = {1: "1 - very low", 2: "2 - low", 3: "3 - medium", 4: "4 - high", 5: "5 - very high"}


def _opt(value: str, label: str | None = None) -> dict:
    return {"text": {"type": "plain_text", "text": (label or value.replace("_", " "))[:75]}, "value": value}


def _input(
    block_id: str, label: str, element: dict, *, optional: bool = False, hint: str | None = None
) -> dict:
    block = {
        "type": "input",
        "block_id": block_id,
        "optional": optional,
        "label": {"type": "plain_text", "text": label},
        "element": {**element, "action_id": "value"},
    }
    if hint:
        block["hint"] = {"type": "plain_text", "text": hint}
    return block


def text_input(
    block_id: str,
    label: str,
    value: Any = None,
    *,
    multiline: bool = False,
    optional: bool = True,
    max_length: int = 3000,
    hint: str | None = None,
) -> dict:
    element: dict = {"type": "plain_text_input", "multiline": multiline, "max_length": max_length}
    if value not in (None, ""):
        element["initial_value"] = str(value)[:max_length]
    return _input(block_id, label, element, optional=optional, hint=hint)


def select(
    block_id: str, label: str, options: list[tuple[str, str]], value: Any = None, *, optional: bool = True
) -> dict:
    opts = [_opt(v, lbl) for v, lbl in options][:100]
    element: dict = {"type": "static_select", "options": opts}
    chosen = next((o for o in opts if o["value"] == (None if value is None else str(value))), None)
    if chosen:
        element["initial_option"] = chosen
    return _input(block_id, label, element, optional=optional)


def date_input(block_id: str, label: str, value: Any = None) -> dict:
    element: dict = {"type": "datepicker"}
    if value:
        element["initial_date"] = str(value)[:10]
    return _input(block_id, label, element, optional=True)


def project_input(projects: list[tuple[str, str]], value: str | None) -> dict:
    if 0 < len(projects) <= 100:
        return select("project", "Project", [(k, f"{k} - {n}") for k, n in projects], value, optional=False)
    return text_input("project", "Project key", value, optional=False, max_length=10)


def _view(callback_id: str, title: str, submit: str, blocks: list[dict], meta: dict) -> dict:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": submit},
        "close": {"type": "plain_text", "text": "Cancel"},
        "private_metadata": json.dumps(meta)[:3000],
        "blocks": blocks,
    }


def risk_modal(values: dict, projects: list[tuple[str, str]], meta: dict) -> dict:
    """Log (meta.key unset) or edit (meta.key = risk key) a risk; `values` prefill the fields."""
    editing = bool(meta.get("key"))
    levels = [(str(n), lbl) for n, lbl in LEVEL_LABELS.items()]
    blocks = [] if editing else [project_input(projects, values.get("project"))]
    blocks += [
        text_input("title", "Title", values.get("title"), optional=False, max_length=300),
        text_input("description", "Description", values.get("description"), multiline=True),
        select("category", "Category", [(c, c) for c in CATEGORIES], values.get("category") or "other"),
        select("probability", "Probability", levels, values.get("probability"), optional=False),
        select("impact", "Impact", levels, values.get("impact"), optional=False),
        text_input("owner", "Owner", values.get("owner"), max_length=200, hint="A name or @mention"),
        select("response", "Response", [(r, r) for r in RESPONSES], values.get("response")),
        text_input("mitigation", "Mitigation", values.get("mitigation"), multiline=True),
        date_input("due_date", "Due date", values.get("due_date")),
    ]
    if editing:
        blocks.append(select("status", "Status", [(s, s) for s in RISK_STATUSES], values.get("status")))
    if meta.get("source_link") and not editing:
        blocks.append(
            {
                "type": "context",
                "elements": [{"type": "mrkdwn", "text": f":link: From <{meta['source_link']}|this message>"}],
            }
        )
    title = f"Edit {meta['key']}" if editing else "Log a risk"
    return _view(RISK_CALLBACK, title[:24], "Save" if editing else "Log risk", blocks, meta)


def cr_modal(values: dict, projects: list[tuple[str, str]], meta: dict) -> dict:
    editing = bool(meta.get("key"))
    blocks = [] if editing else [project_input(projects, values.get("project"))]
    blocks += [
        text_input("title", "Title", values.get("title"), optional=False, max_length=300),
        text_input("description", "What changes", values.get("description"), multiline=True),
        text_input("reason", "Why", values.get("reason"), multiline=True),
        text_input("schedule_days", "Schedule impact (days)", values.get("schedule_days"), max_length=6),
        text_input("cost", "Cost impact (USD)", values.get("cost"), max_length=16),
        text_input("scope", "Scope impact", values.get("scope"), multiline=True),
        select("priority", "Priority", [(p, p) for p in CR_PRIORITIES], values.get("priority") or "medium"),
    ]
    title = f"Edit {meta['key']}" if editing else "File change request"
    return _view(CR_CALLBACK, title[:24], "Save" if editing else "File", blocks, meta)


def read_state(view: dict) -> dict[str, Any]:
    """{block_id: value} from a submitted view; empty fields are left out."""
    out: dict[str, Any] = {}
    for block_id, actions in ((view.get("state") or {}).get("values") or {}).items():
        element = actions.get("value") or next(iter(actions.values()), {})
        kind = element.get("type")
        if kind == "static_select":
            value = (element.get("selected_option") or {}).get("value")
        elif kind == "datepicker":
            value = element.get("selected_date")
        elif kind == "users_select":
            value = element.get("selected_user")
        else:
            value = element.get("value")
        if isinstance(value, str):
            value = value.strip()
        if value not in (None, ""):
            out[block_id] = value
    return out


def meta_of(view: dict) -> dict:
    try:
        return json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}


def numbers(state: dict[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """Coerce the CR number fields ('$12,000', '10 days'); errors keyed by block id."""
    errors: dict[str, str] = {}
    clean = dict(state)
    for field, kind in (("schedule_days", int), ("cost", float)):
        raw = state.get(field)
        if raw is None:
            continue
        text = str(raw).lower().replace(",", "").replace("$", "").replace("usd", "")
        text = text.replace("days", "").replace("day", "").strip()
        mult = 1000 if text.endswith("k") else 1
        try:
            clean[field] = kind(float(text.rstrip("k")) * mult)
        except ValueError:
            errors[field] = (
                "Enter a number of days, e.g. 10" if kind is int else "Enter an amount, e.g. 12000"
            )
    return clean, errors
