"""The one place that builds the product's parts from Settings; everything heavy is built lazily."""

from __future__ import annotations

import logging
import os
import threading
from datetime import date
from functools import cached_property
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from api.settings import Settings
from tools.db import check_migrated, make_engine, make_session_factory, session_scope
from tools.events import ChangedRecord, install_after_commit

log = logging.getLogger(__name__)


class Container:
    """Engine, sessions, today; on first use the knowledge index, searcher, answerer, assistant, Slack app.

    `pmo db upgrade` and record commands touch only the database: nothing here loads the embedding
    model until something asks for the index.
    """

    def __init__(self, settings: Settings | None = None, *, embedder: Any = None) -> None:
        self.settings = settings if settings is not None else Settings()
        self._embedder = embedder
        self._lock = threading.RLock()
        self._index: Any = None
        self._migrated = False

    # -- relational store -------------------------------------------------------------------------
    @cached_property
    def engine(self) -> Engine:
        return make_engine(self.settings.db_url)

    @cached_property
    def session_factory(self) -> sessionmaker[Session]:
        factory = make_session_factory(self.engine)
        install_after_commit(factory, self._records_changed)
        return factory

    def session(self) -> Any:
        """A unit of work (context manager) that commits on success and rolls back on error."""
        return session_scope(self.session_factory)

    def ensure_migrated(self) -> None:
        """Raise DatabaseNotMigrated (naming `pmo db upgrade`) unless the schema is at head."""
        if not self._migrated:
            check_migrated(self.engine)
            self._migrated = True

    def seed_admin_token(self) -> None:
        """Make PMO_API_TOKEN a valid admin token (idempotent)."""
        if not self.settings.api_token:
            return
        from tools.services import tokens

        with self.session() as session:
            tokens.ensure_admin_token(session, self.settings.api_token)

    def today(self) -> date:
        return self.settings.current_date()

    # -- knowledge and retrieval (lazy) -----------------------------------------------------------
    @property
    def embedder(self) -> Any:
        with self._lock:
            if self._embedder is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                from retrieval.embedder import Embedder

                self._embedder = Embedder(model_path=self.settings.embedding_model)
            return self._embedder

    @property
    def index_loaded(self) -> bool:
        return self._index is not None

    @property
    def index(self) -> Any:
        """The knowledge index (Chroma + lexical); built once, then caught up with the records."""
        with self._lock:
            if self._index is None:
                from retrieval.index import KnowledgeIndex
                from retrieval.sentence_store import SqlSentenceStore

                self._index = KnowledgeIndex(
                    embedder=self.embedder,
                    path=self.settings.data_dir / "chroma",
                    url=self.settings.chroma_url,
                    sentences=SqlSentenceStore(self.session_factory),
                )
                self._catch_up_records()
            return self._index

    @cached_property
    def redactor(self) -> Any:
        from knowledge.phi import PhiRedactor

        return PhiRedactor(enabled=self.settings.redact_phi)

    @cached_property
    def ingestor(self) -> Any:
        from knowledge.sync import Ingestor

        ingestor = Ingestor(
            self.session_factory,
            self.index,
            self.redactor,
            max_bytes=int(self.settings.max_file_mb * 1024 * 1024),
        )
        metrics = getattr(self, "metrics", None)  # set by api.observability when an app is built
        if metrics is not None:
            metrics.count_ingests(ingestor)
        return ingestor

    @cached_property
    def searcher(self) -> Any:
        from retrieval.search import Searcher

        return Searcher(self.index)

    @cached_property
    def answerer(self) -> Any:
        from retrieval.answer import Answerer

        return Answerer(self.searcher)

    @cached_property
    def llm(self) -> Any:
        """The configured chat model, or None (the assistant is fully useful without one)."""
        if not self.settings.llm_provider:
            return None
        from bot.llm import make_chat_model

        s = self.settings
        return make_chat_model(
            provider=s.llm_provider, model=s.llm_model, base_url=s.llm_base_url, api_key=s.llm_api_key
        )

    @cached_property
    def tool_specs(self) -> list[Any]:
        """Tool specs contributed by features above tools/ (the digest), when this build has them."""
        from bot.digest.tool import digest_spec
        from retrieval.tool import ask_spec

        # `ask` comes first so the agent's own ask tool (bot.agent) may replace it by name.
        specs: list[Any] = [ask_spec(lambda: self.answerer, llm=lambda: self.llm), digest_spec()]
        metrics = getattr(self, "metrics", None)  # set by api.observability when an app is built
        if metrics is not None:
            from api.observability import instrument_specs
            from tools.registry import TOOL_SPECS

            specs = instrument_specs([*TOOL_SPECS.values(), *specs], metrics)
        return specs

    @cached_property
    def assistant(self) -> Any:
        from bot.assistant import Assistant

        return Assistant(
            self.session_factory,
            # Providers, not objects: the index and embedding model load on the first question only.
            answerer=lambda: self.answerer,
            searcher=lambda: self.searcher,
            today=self.today,
            llm=self.llm,
            specs=self.tool_specs,
            settings=self.settings,
        )

    @cached_property
    def slack_app(self) -> Any:
        """The Bolt app, or None when Slack credentials are not set."""
        if not self.settings.slack_enabled:
            return None
        from bot.slack.app import create_slack_app

        bolt = create_slack_app(
            assistant=self.assistant,
            session_factory=self.session_factory,
            settings=self.settings,
            today=self.today,
        )
        metrics = getattr(self, "metrics", None)  # set by api.observability when an app is built
        if metrics is not None:
            bolt.use(metrics.slack_middleware())
        return bolt

    # -- keeping the index in step with the records -----------------------------------------------
    def _records_changed(self, records: list[ChangedRecord]) -> None:
        """After a commit: re-chunk the changed records into the index, if it is loaded in this process.

        When it is not (a CLI write), the next process that loads the index catches up as it builds.
        """
        if self._index is None:
            return
        from knowledge.records import sync_records

        with self.session() as session:
            sync_records(session, self._index, records, redactor=self.redactor)

    def sync_records(self, changed: list[ChangedRecord] | None = None) -> Any:
        """Write changed records (or, with None, every record) to the index; returns the SyncReport."""
        from knowledge.records import sync_records

        index = self.index
        with self.session() as session:
            return sync_records(session, index, changed, redactor=self.redactor)

    def _catch_up_records(self) -> None:
        """Bring record chunks in line with the store (only changed records are re-embedded)."""
        try:
            from knowledge.records import sync_records

            with self.session() as session:
                sync_records(session, self._index, None, redactor=self.redactor)
        except Exception:  # noqa: BLE001 - search still works on what is indexed; `pmo reindex` repairs
            log.exception("could not catch the index up with the records")

    def warm_up(self) -> threading.Thread:
        """Load the index, model and assistant in the background so the first question is fast."""

        def run() -> None:
            try:
                _ = self.assistant, self.answerer  # the answerer builds the index (and catches it up)
                self.embedder.embed(["warm up"])
                from retrieval import lexicon

                lexicon.warm()  # WordNet, read for questions with words no document uses
            except Exception:  # noqa: BLE001 - the first request builds whatever failed here, or reports it
                log.exception("warm-up failed; the first request will try again")

        thread = threading.Thread(target=run, name="pmo-warm-up", daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        if "engine" in self.__dict__:
            self.engine.dispose()
