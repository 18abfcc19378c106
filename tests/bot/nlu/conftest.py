"""Fixtures for the built-in understanding engine: contexts built from the shared evaluation portfolio."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from nlu_harness import FIXTURE, context_for, load_fixture

from bot.nlu import NluContext


@pytest.fixture(scope="session")
def portfolio() -> dict[str, Any]:
    if not FIXTURE.exists():
        pytest.skip(f"evaluation fixture not found at {FIXTURE}")
    return load_fixture()


@pytest.fixture
def ctx_for(portfolio: dict[str, Any]) -> Callable[..., NluContext]:
    """ctx_for(user="U0PRIYA01", channel="C0PMOHUB01") -> NluContext on the evaluation date."""

    def make(user: str = "U0PRIYA01", channel: str = "C0PMOHUB01") -> NluContext:
        return context_for(portfolio, user, channel)

    return make
