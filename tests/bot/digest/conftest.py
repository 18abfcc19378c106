"""Digest fixtures: the shared small portfolio on this test's database."""

from __future__ import annotations

import pytest
from digest_data import Portfolio, build_portfolio
from sqlalchemy.orm import Session, sessionmaker


@pytest.fixture
def portfolio(session_factory: sessionmaker[Session]) -> Portfolio:
    return build_portfolio(session_factory)
