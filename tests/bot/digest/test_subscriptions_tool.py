"""Subscriptions (validated, audited, visibility-checked), the digest tool, and the heat map image."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from bot.digest.heatmap import heat_counts, heatmap_png
from bot.digest.subscriptions import list_subscriptions, subscribe, subscription_dict, unsubscribe
from bot.digest.tool import digest_spec
from tools.errors import Invalid, NotFound
from tools.models import AuditEvent
from tools.registry import run_tool

PNG = b"\x89PNG\r\n\x1a\n"


def test_subscribe_defaults_update_and_unsubscribe(session, portfolio):
    sub = subscribe(session=session, actor=portfolio.pm, channel="C0SEPSIS", project="sepsis")
    shown = subscription_dict(sub)
    assert (shown["project"], shown["day"], shown["time"], shown["timezone"]) == ("SEPSIS", "monday", "09:00",
                                                                                  "America/Chicago")  # fmt: skip
    assert shown["next_run"]
    again = subscribe(session=session, actor=portfolio.pm, channel="C0SEPSIS", project="SEPSIS", day="fri",
                      time="4:30pm", timezone="Europe/London")  # fmt: skip
    assert again.id == sub.id and (again.weekday, again.time, again.timezone) == (4, "16:30", "Europe/London")
    portfolio_sub = subscribe(session=session, actor=portfolio.outsider, channel="C0PMO")
    assert portfolio_sub.project is None
    assert [s.id for s in list_subscriptions(session=session, actor=portfolio.pm)] == [
        sub.id,
        portfolio_sub.id,
    ]
    unsubscribe(session=session, actor=portfolio.pm, channel="C0SEPSIS", project="SEPSIS")
    assert [s.id for s in list_subscriptions(session=session, actor=portfolio.pm)] == [portfolio_sub.id]
    assert len(list_subscriptions(session=session, actor=portfolio.pm, include_inactive=True)) == 2
    actions = session.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_type == "digest_subscription")
    )
    assert list(actions) == ["digest_subscription.create", "digest_subscription.update",
                             "digest_subscription.create", "digest_subscription.cancel"]  # fmt: skip


def test_subscription_validation_and_visibility(session, portfolio):
    with pytest.raises(NotFound):
        subscribe(session=session, actor=portfolio.outsider, channel="C1", project="PRIV")
    with pytest.raises(NotFound):
        subscribe(session=session, actor=portfolio.pm, channel="C1", project="NOPE")
    for bad in (
        {"day": "someday"},
        {"time": "25:61"},
        {"timezone": "Mars/Base"},
        {"channel": "not a channel"},
    ):
        with pytest.raises(Invalid):
            subscribe(session=session, actor=portfolio.pm, **({"channel": "C1"} | bad))
    private = subscribe(session=session, actor=portfolio.pm, channel="C2", project="PRIV")
    assert list_subscriptions(session=session, actor=portfolio.outsider) == []
    with pytest.raises(NotFound):
        unsubscribe(session=session, actor=portfolio.outsider, subscription_id=private.id)
    with pytest.raises(NotFound):
        unsubscribe(session=session, actor=portfolio.pm, channel="C9")


def test_digest_tool_through_the_registry(session, portfolio):
    out = run_tool("digest", {"project": "SEPSIS"}, session=session, actor=portfolio.pm, today=portfolio.today,
                   specs=[digest_spec()])  # fmt: skip
    assert out["text"].startswith("# Weekly digest: Sepsis Early Warning (SEPSIS)")
    assert out["summary"]["top_risks"][0]["key"] == "SEPSIS-R1"
    assert out["summary"]["decisions"][0]["key"] == "SEPSIS-CR1"
    whole = run_tool("digest", {}, session=session, actor=portfolio.outsider, today=portfolio.today,
                     specs=[digest_spec()])  # fmt: skip
    assert [p["key"] for p in whole["summary"]["projects"]] == ["SEPSIS"]
    with pytest.raises(NotFound):
        run_tool("digest", {"project": "PRIV"}, session=session, actor=portfolio.outsider, today=portfolio.today,
                 specs=[digest_spec()])  # fmt: skip


def test_heatmap_png():
    risks = [(5, 4), (5, 4), (1, 1), {"probability": 3, "impact": 2}, (9, 9)]
    assert heat_counts(risks) == {(5, 4): 2, (1, 1): 1, (3, 2): 1}
    png = heatmap_png(risks)
    assert png.startswith(PNG) and len(png) > 5000
    from matplotlib.image import imread

    pixels = imread(io.BytesIO(png))
    assert pixels.shape[0] > 300 and pixels.shape[1] > 300
    assert heatmap_png([]).startswith(PNG)
