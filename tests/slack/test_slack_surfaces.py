"""Every surface through signed requests: mentions, DMs, /pmo, modals, shortcuts, buttons, App Home."""

from __future__ import annotations

from sqlalchemy import select

from tests.slack import payloads as p
from tests.slack.conftest import APPROVER, GENERAL_CH, MEMBER, OUTSIDER, PM, PRIV_CH, SEPSIS_CH
from tools.db import session_scope
from tools.models import ChangeRequest, Project, Risk


def _text_of(call) -> str:
    return str(call.body.get("text", "")) + str(call.body.get("blocks", ""))


def test_mention_replies_in_thread_with_record_cards(slack, fake_slack):
    body, ctype = p.mention("what are the risks on SEPSIS?", user=MEMBER, channel=SEPSIS_CH)
    assert slack.post((body, ctype)).status_code == 200
    post = fake_slack.wait_for("chat.postMessage")[0]
    import json

    ts = json.loads(body)["event"]["ts"]
    assert post.body["channel"] == SEPSIS_CH and post.body["thread_ts"] == ts
    assert "SEPSIS-R1" in _text_of(post)


def test_follow_up_in_thread_continues_the_conversation(slack, fake_slack, seeded):
    body, ctype = p.mention("log a risk on SEPSIS: vendor API deprecation", user=MEMBER, channel=SEPSIS_CH)
    slack.post((body, ctype))
    first = fake_slack.wait_for("chat.postMessage")[0]
    import json

    thread = json.loads(body)["event"]["ts"]
    assert first.body["thread_ts"] == thread
    slack.post(p.mention("probability 4, impact 3", user=MEMBER, channel=SEPSIS_CH, thread_ts=thread))
    second = fake_slack.wait_for("chat.postMessage", 2)[1]
    assert second.body["thread_ts"] == thread
    assert "SEPSIS-R" in _text_of(second)
    with session_scope(seeded) as s:
        assert s.scalar(select(Risk).where(Risk.title.ilike("%deprecation%"))) is not None


def test_direct_message_is_answered(slack, fake_slack):
    slack.post(p.dm("status of SEPSIS", user=MEMBER))
    post = fake_slack.wait_for("chat.postMessage")[0]
    assert post.body["channel"] == "D0USER"
    assert "SEPSIS" in _text_of(post)


def test_help_command_acks_with_help(slack):
    resp = slack.command("help", user=MEMBER, channel=SEPSIS_CH)
    assert resp.status_code == 200 and "/pmo status" in resp.json()["text"]
    resp = slack.command("frobnicate", user=MEMBER, channel=SEPSIS_CH)
    assert "frobnicate" in resp.json()["text"]


def test_status_and_risks_commands(slack, fake_slack):
    assert slack.command("status", user=MEMBER, channel=SEPSIS_CH).status_code == 200
    reply = fake_slack.wait_for("respond")[0]
    assert "SEPSIS" in _text_of(reply) and reply.body["response_type"] == "ephemeral"
    slack.command("risks", user=MEMBER, channel=SEPSIS_CH)
    reply = fake_slack.wait_for("respond", 2)[1]
    assert "SEPSIS-R1" in _text_of(reply) and ":large_orange_circle:" in _text_of(reply)


def test_status_of_private_project_is_not_shown_to_outsider(slack, fake_slack):
    slack.command("status PRIV", user=OUTSIDER, channel=GENERAL_CH)
    reply = fake_slack.wait_for("respond")[0]
    assert "Zebra" not in _text_of(reply)
    assert "no project PRIV" in _text_of(reply)


def test_link_is_for_pm_or_admin(slack, fake_slack, seeded):
    slack.command("link SEPSIS", user=MEMBER, channel="CNEWCHAN1")
    refusal = fake_slack.wait_for("respond")[0]
    assert refusal.body["response_type"] == "ephemeral" and "PM" in refusal.body["text"]
    slack.command("link SEPSIS", user=PM, channel="CNEWCHAN1")
    ok = fake_slack.wait_for("respond", 2)[1]
    assert "Linked" in ok.body["text"]
    with session_scope(seeded) as s:
        project = s.scalar(select(Project).where(Project.key == "SEPSIS"))
        assert "CNEWCHAN1" in {c.channel for c in project.channels} | {project.channel}


def test_risk_command_opens_prefilled_modal_and_submission_logs_it(slack, fake_slack, seeded):
    slack.command(
        "risk Vendor GPU shipment slips, probability high, impact 3", user=MEMBER, channel=SEPSIS_CH
    )
    opened = fake_slack.wait_for("views.open")[0]
    view = opened.body["view"]
    blocks = {b["block_id"]: b for b in view["blocks"] if b.get("block_id")}
    assert blocks["project"]["element"]["initial_option"]["value"] == "SEPSIS"
    assert blocks["title"]["element"]["initial_value"].startswith("Vendor GPU shipment slips")
    assert blocks["probability"]["element"]["initial_option"]["value"] == "4"
    assert blocks["impact"]["element"]["initial_option"]["value"] == "3"

    # a bad submission: no probability -> the modal shows the error in that field
    bad = {
        "project": p.select_value("SEPSIS"),
        "title": p.text_value("Vendor GPU shipment slips"),
        "impact": p.select_value("3"),
    }
    resp = slack.post(p.view_submission(view, bad, user=MEMBER))
    assert resp.status_code == 200
    assert resp.json()["response_action"] == "errors" and "probability" in resp.json()["errors"]

    good = bad | {"probability": p.select_value("4"), "due_date": p.date_value("2026-12-15")}
    resp = slack.post(p.view_submission(view, good, user=MEMBER))
    assert resp.status_code == 200 and not resp.content.strip()
    post = fake_slack.wait_for("chat.postMessage")[0]
    assert post.body["channel"] == SEPSIS_CH and "SEPSIS-R2" in _text_of(post)
    fake_slack.wait_for("views.publish")
    with session_scope(seeded) as s:
        risk = s.scalar(select(Risk).where(Risk.key == "SEPSIS-R2"))
        assert (risk.probability, risk.impact, str(risk.due_date)) == (4, 3, "2026-12-15")


def test_cr_command_and_modal_validation(slack, fake_slack, seeded):
    slack.command("cr Add sepsis alert to ED, +2 weeks, $15k", user=PM, channel=SEPSIS_CH)
    view = fake_slack.wait_for("views.open")[0].body["view"]
    blocks = {b["block_id"]: b for b in view["blocks"] if b.get("block_id")}
    assert blocks["schedule_days"]["element"]["initial_value"] == "14"
    values = {
        "project": p.select_value("SEPSIS"),
        "title": p.text_value("Add sepsis alert to ED"),
        "cost": p.text_value("lots"),
    }
    resp = slack.post(p.view_submission(view, values, user=PM))
    assert resp.json()["response_action"] == "errors" and "cost" in resp.json()["errors"]
    values["cost"] = p.text_value("$15,000")
    assert slack.post(p.view_submission(view, values, user=PM)).status_code == 200
    fake_slack.wait_for("chat.postMessage")
    with session_scope(seeded) as s:
        assert s.scalar(select(ChangeRequest).where(ChangeRequest.key == "SEPSIS-CR2")).cost == 15000


def test_unknown_project_in_modal_is_a_field_error(slack, fake_slack):
    slack.command("risk something", user=OUTSIDER, channel=GENERAL_CH)
    view = fake_slack.wait_for("views.open")[0].body["view"]
    values = {
        "project": p.select_value("PRIV"),
        "title": p.text_value("x"),
        "probability": p.select_value("2"),
        "impact": p.select_value("2"),
    }
    resp = slack.post(p.view_submission(view, values, user=OUTSIDER))
    assert resp.json()["response_action"] == "errors" and "project" in resp.json()["errors"]


def test_message_shortcut_prefills_and_links_the_message(slack, fake_slack, seeded):
    msg = {
        "ts": p.ts(),
        "text": "Heads up: the labeling vendor may miss the Dec deadline, likely, impact 4",
        "user": PM,
    }
    slack.post(
        p.interactive(
            {
                "type": "message_action",
                "callback_id": "pmo_log_as_risk",
                "user": {"id": MEMBER},
                "channel": {"id": SEPSIS_CH},
                "message": msg,
                "trigger_id": "trig.ms",
                "response_url": fake_slack.response_url,
            }
        )
    )
    fake_slack.wait_for("chat.getPermalink")
    view = fake_slack.wait_for("views.open")[0].body["view"]
    assert "labeling vendor" in str(view["blocks"]) and "archives/" + SEPSIS_CH in str(view["blocks"])
    values = {
        "project": p.select_value("SEPSIS"),
        "title": p.text_value("Labeling vendor may miss deadline"),
        "probability": p.select_value("4"),
        "impact": p.select_value("4"),
    }
    slack.post(p.view_submission(view, values, user=MEMBER))
    fake_slack.wait_for("chat.postMessage")
    with session_scope(seeded) as s:
        risk = s.scalar(select(Risk).where(Risk.title == "Labeling vendor may miss deadline"))
        assert risk.source_link and SEPSIS_CH in risk.source_link


def test_global_shortcut_opens_change_request_form(slack, fake_slack):
    resp = slack.post(
        p.interactive(
            {
                "type": "shortcut",
                "callback_id": "pmo_file_change_request",
                "user": {"id": PM},
                "trigger_id": "trig.gs",
            }
        )
    )
    assert resp.status_code == 200
    view = fake_slack.wait_for("views.open")[0].body["view"]
    assert view["callback_id"] == "pmo_cr_modal"


def test_approve_is_for_approvers_only(slack, fake_slack, seeded):
    slack.post(
        p.block_action(
            "pmo_cr_approve",
            "SEPSIS-CR1",
            user=MEMBER,
            channel=SEPSIS_CH,
            response_url=fake_slack.response_url,
        )
    )
    refusal = fake_slack.wait_for("respond")[0]
    assert "approvers" in refusal.body["text"] and refusal.body["response_type"] == "ephemeral"
    with session_scope(seeded) as s:
        assert s.scalar(select(ChangeRequest).where(ChangeRequest.key == "SEPSIS-CR1")).status == "submitted"

    message = {
        "ts": p.ts(),
        "text": "card",
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": "*SEPSIS-CR1* Extend pilot"}},
            {"type": "actions", "block_id": "card:SEPSIS-CR1", "elements": []},
        ],
    }
    slack.post(
        p.block_action(
            "pmo_cr_approve",
            "SEPSIS-CR1",
            user=APPROVER,
            channel=SEPSIS_CH,
            message=message,
            response_url=fake_slack.response_url,
        )
    )
    update = fake_slack.wait_for("chat.update")[0]
    assert "approved" in str(update.body["blocks"])
    with session_scope(seeded) as s:
        assert s.scalar(select(ChangeRequest).where(ChangeRequest.key == "SEPSIS-CR1")).status == "approved"


def test_edit_button_opens_prefilled_modal(slack, fake_slack):
    slack.post(p.block_action("pmo_edit", "risk:SEPSIS-R1", user=MEMBER, channel=SEPSIS_CH))
    view = fake_slack.wait_for("views.open")[0].body["view"]
    blocks = {b["block_id"]: b for b in view["blocks"] if b.get("block_id")}
    assert blocks["title"]["element"]["initial_value"] == "Label drift in ICU data"
    assert "SEPSIS-R1" in view["private_metadata"]


def test_undo_is_for_the_author_only(slack, fake_slack, seeded):
    slack.command("risk Data feed outage", user=MEMBER, channel=SEPSIS_CH)
    view = fake_slack.wait_for("views.open")[0].body["view"]
    values = {
        "project": p.select_value("SEPSIS"),
        "title": p.text_value("Data feed outage"),
        "probability": p.select_value("3"),
        "impact": p.select_value("3"),
    }
    slack.post(p.view_submission(view, values, user=MEMBER))
    card = fake_slack.wait_for("chat.postMessage")[0]
    undo = next(
        e
        for b in card.body["blocks"]
        if b["type"] == "actions"
        for e in b["elements"]
        if e["action_id"] == "pmo_undo"
    )
    slack.post(
        p.block_action(
            "pmo_undo", undo["value"], user=OUTSIDER, channel=SEPSIS_CH, response_url=fake_slack.response_url
        )
    )
    refusal = fake_slack.wait_for("respond")[0]
    assert "Only the person" in refusal.body["text"]
    slack.post(
        p.block_action(
            "pmo_undo", undo["value"], user=MEMBER, channel=SEPSIS_CH, response_url=fake_slack.response_url
        )
    )
    done = fake_slack.wait_for("respond", 2)[1]
    assert "Undone" in done.body["text"]
    with session_scope(seeded) as s:
        risk = s.scalar(select(Risk).where(Risk.title == "Data feed outage"))
        assert risk is None or risk.status == "closed"


def test_app_home_shows_my_risks_decisions_and_projects(slack, fake_slack):
    slack.post(p.event({"type": "app_home_opened", "user": APPROVER, "channel": "DAPP", "tab": "home"}))
    view = fake_slack.wait_for("views.publish")[0].body["view"]
    text = str(view)
    assert "SEPSIS-CR1" in text and "Awaiting my decision" in text and "SEPSIS" in text
    slack.post(p.event({"type": "app_home_opened", "user": MEMBER, "channel": "DMEM", "tab": "home"}))
    view = fake_slack.wait_for("views.publish", 2)[1].body["view"]
    assert "SEPSIS-R1" in str(view) and "PRIV-R1" in str(view)  # Maria is a PRIV member and owns both


def test_app_home_of_outsider_hides_private_project(slack, fake_slack):
    slack.post(p.event({"type": "app_home_opened", "user": OUTSIDER, "channel": "DOUT", "tab": "home"}))
    view = fake_slack.wait_for("views.publish")[0].body["view"]
    assert "PRIV" not in str(view) and "Zebra" not in str(view)


def test_private_project_records_do_not_leak_into_another_channel(slack, fake_slack):
    # Maria may see PRIV, but #general is not PRIV's channel: the answer there must not carry PRIV content.
    slack.post(p.mention("what are the top risks?", user=MEMBER, channel=GENERAL_CH))
    note = fake_slack.wait_for("chat.postEphemeral")[0]
    assert note.body["user"] == MEMBER and "PRIV" in note.body["text"] and "Zebra" not in note.body["text"]
    private = fake_slack.wait_for("chat.postMessage")[0]
    assert private.body["channel"] == MEMBER and "Zebra" in _text_of(private)
    for call in fake_slack.calls:
        if call.body.get("channel") == GENERAL_CH and call.method == "chat.postMessage":
            assert "Zebra" not in _text_of(call) and "PRIV-R1" not in _text_of(call)
    # in PRIV's own channel it is answered in the thread for everyone there
    slack.post(p.mention("what are the top risks?", user=MEMBER, channel=PRIV_CH))
    post = fake_slack.wait_for("chat.postMessage", where=lambda c: c.body.get("channel") == PRIV_CH)[0]
    assert "PRIV-R1" in _text_of(post)
