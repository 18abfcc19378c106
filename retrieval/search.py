"""Hybrid search: dense (Chroma) + BM25, fused by reciprocal rank, reranked by cheap exact features."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from knowledge.types import Chunk
from retrieval.index import KnowledgeIndex, date_to_int
from retrieval.lexical import STOPWORDS, LexicalIndex, hyphenated_names, is_major, is_specific, mentions
from retrieval.qtype import answer_type_bonus, question_kind
from retrieval.timeparse import TimeIntent, parse_time

RRF_K = 60
POOL = 60  # candidates taken from each retriever
WINDOW_POOL = 20  # extra candidates from inside the named period / the recent past
# a report describes the quarter before its date (and the month it is dated in): a period's facts are in
# the reports whose span overlaps it, up to ~a quarter after the period ends
COVERS_BEFORE, COVERS_AFTER = 90, 30
LAG_DAYS = COVERS_BEFORE + 10
# for a report whose span covers the period asked about (less for part of it): 0.25, 0.35 and 0.45 tried
# on five question sets, 0.45, 0.6 and 0.75 on seven; 0.6 ranked the period's report higher on four sets
# and cost no answer, 0.75 lost a dev answer (a scaled-up recency boost with it lost one too)
PERIOD_BOOST = 0.6
FULL_SHARE = 0.75  # covering this share counts as whole (a report's span starts a month before a quarter)
REPORT_BOOST = PERIOD_BOOST + 0.1  # for the report the question names ("the September 2014 board report")
RECENT_DAYS = 200
RECENCY_BOOST, RECENCY_DAYS = 0.3, 120  # for the newest relevant report ("latest"), falling off with age
RELEVANT_SHARE = 0.25  # a document covering this share of the best match's coverage counts for "latest"
# a passage with the kind of answer asked for gets this many answer-type bonuses; a reason weighs most, as
# a passage without one cannot answer "why" however well it matches the words (a release list naming the
# version asked about), while numbers, dates and names are in most passages about the subject anyway
# and a place, for "where": a passage naming none cannot say where the name Cordova comes from, however
# often it writes "name" and "Cordova" (2.5 for "where", with 3 for its sentences, measured on seventeen
# question sets: 7 answers gained, none lost; 1, 2.5 and 4 for passages, 3 and 5 for sentences tried)
PASSAGE_TYPE_WEIGHT = {"why": 2.5, "where": 2.5}
# a passage's sentence most alike the question, as vectors stored at ingest tell: a paraphrased answer in
# one sentence of a long passage is diluted in the passage's own vector (weight: 0.15, 0.25 and 0.3 tried
# on four question sets; 0.15 gained hit@5 on the blind ones, more lost some on dev and held-out)
SENTENCE_WEIGHT = 0.15


@dataclass
class Hit:
    chunk: Chunk
    score: float
    similarity: float = 0.0  # cosine similarity of question and chunk
    lexical: float = 0.0  # BM25 score
    coverage: float = 0.0  # IDF-weighted share of the question's terms found in the chunk
    in_period: bool = False
    features: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """The contract's search hit (source, project, kind, text, score) plus where to cite it."""
        c = self.chunk
        return {
            "source": c.source,
            "project": c.project,
            "kind": c.kind,
            "text": c.text,
            "score": round(float(self.score), 4),
            "title": c.title,
            "heading": c.heading,
            "doc_date": c.doc_date.isoformat() if c.doc_date else None,
        }


def permission_where(
    projects: set[str] | None, kinds: Iterable[str] | None, scope: str | None
) -> list[dict[str, Any]]:
    """Chroma `where` clauses: visible projects (plus portfolio-wide ''), kinds, an optional project scope."""
    clauses: list[dict[str, Any]] = []
    if projects is not None:
        clauses.append({"project": {"$in": sorted(set(projects) | {""})}})
    if scope is not None:
        clauses.append({"project": {"$in": [scope, ""]}})
    if kinds:
        clauses.append({"kind": {"$in": sorted(set(kinds))}})
    return clauses


def combine(clauses: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


class Searcher:
    """Search the knowledge index with permissions, kinds, a project scope and time awareness."""

    def __init__(self, index: KnowledgeIndex, *, dedup_ratio: float = 92.0) -> None:
        self.index = index
        self.dedup_ratio = dedup_ratio

    def search(
        self,
        query: str,
        *,
        projects: set[str] | None = None,
        k: int = 8,
        kinds: Iterable[str] | None = None,
        today: date | None = None,
        project: str | None = None,
        vector: np.ndarray | None = None,
    ) -> list[Hit]:
        """The `k` best passages for `query`; `vector` is the query's embedding if the caller has it.

        Why `vector`: the answerer compares the question with candidate sentences too, so it embeds the
        question once and passes it in rather than have it embedded twice per ask.
        """
        query = (query or "").strip()
        if not query or self.index.count() == 0 or k <= 0:
            return []
        kinds = list(kinds) if kinds else None
        today = today or date.today()
        intent = parse_time(query, today)
        lex = self.index.lexical()
        mask = self._mask(lex, projects, kinds, project)
        if not mask.any():
            return []
        base = permission_where(projects, kinds, project)
        if vector is None:
            vector = self.index.embedder.embed_one(query)

        windows = self._windows(intent, lex, mask)
        matrix = self.index.matrix()
        dense: dict[str, float] = {}
        if matrix is not None:  # exact, over the same masks as the lexical side
            sims = matrix @ vector
            picked = _top(np.where(mask, sims + 2.0, 0.0), POOL)
            for lo, hi in windows:
                inside = mask & (lex.dates >= lo) & (lex.dates <= hi)
                picked |= _top(np.where(inside, sims + 2.0, 0.0), WINDOW_POOL)
            dense = {lex.ids[i]: float(sims[i]) for i in picked}
        else:
            for hit in self.index.dense(vector, n=POOL, where=combine(base)):
                dense[hit.id] = hit.similarity
            for lo, hi in windows:
                clause = [{"doc_date": {"$gte": lo}}, {"doc_date": {"$lte": hi}}]
                for hit in self.index.dense(vector, n=WINDOW_POOL, where=combine(base + clause)):
                    dense[hit.id] = hit.similarity

        topic = intent.topic or query
        scores = np.where(mask, lex.scores(_with_names(lex, topic)), 0.0)
        lexical = _top(scores, POOL)
        for lo, hi in windows:
            inside = mask & (lex.dates >= lo) & (lex.dates <= hi)
            lexical |= _top(np.where(inside, scores, 0.0), WINDOW_POOL)

        dense_rank = {cid: r for r, cid in enumerate(sorted(dense, key=dense.get, reverse=True))}
        lex_order = sorted(lexical, key=lambda i: -scores[i])
        lex_rank = {lex.ids[i]: r for r, i in enumerate(lex_order) if scores[i] > 0}
        candidates = set(dense_rank) | set(lex_rank)
        if not candidates:
            return []
        missing = [c for c in candidates if c not in dense]
        dense.update(self._similarities(vector, missing))

        terms = question_terms(lex, topic)
        kind = question_kind(query)
        chunks = [c for c in (self.index.get(cid) for cid in candidates) if c is not None]
        coverage = {c.id: self._coverage(c, lex, terms) for c in chunks}
        closest = self._closest_sentence(vector, chunks)
        named = latest_of(lex, topic, kind) if intent.by_date else set()
        newest = _relevant_date(chunks, coverage, named) or _newest(lex, mask)
        oldest = _relevant_date(chunks, coverage, named, oldest=True) if intent.earliest else None
        hits = []
        for chunk in chunks:
            cid = chunk.id
            rrf = sum(1.0 / (RRF_K + r[cid] + 1) for r in (dense_rank, lex_rank) if cid in r)
            similarity = dense.get(cid, 0.0)
            hit = self._score(chunk, rrf, similarity, scores, lex, coverage[cid], intent, newest, oldest)
            hit.features["type"] = answer_type_bonus(kind, chunk.text)
            hit.features["sentence"] = closest.get(cid, hit.similarity)
            hit.score += SENTENCE_WEIGHT * max(0.0, hit.features["sentence"])
            hit.score += PASSAGE_TYPE_WEIGHT.get(kind, 1.0) * hit.features["type"]
            hits.append(hit)
        top_rrf = max(h.features["rrf"] for h in hits) or 1.0
        for h in hits:
            h.score += 0.3 * h.features["rrf"] / top_rrf
        hits.sort(key=lambda h: h.score, reverse=True)
        return self._dedup(hits, k, newest=intent.recency)

    # -- pieces ----------------------------------------------------------------------------------
    @staticmethod
    def _mask(lex: LexicalIndex, projects, kinds, scope) -> np.ndarray:
        mask = np.ones(len(lex.ids), dtype=bool)
        if projects is not None:
            allowed = set(projects) | {""}
            mask &= np.array([p in allowed for p in lex.projects], dtype=bool)
        if scope is not None:
            mask &= (lex.projects == scope) | (lex.projects == "")
        if kinds:
            mask &= np.isin(lex.kinds, list(kinds))
        return mask

    @staticmethod
    def _windows(intent: TimeIntent, lex: LexicalIndex, mask: np.ndarray) -> list[tuple[int, int]]:
        windows = []
        if intent.has_period:
            windows.append(
                (
                    date_to_int(intent.start - timedelta(days=COVERS_AFTER)),
                    date_to_int(intent.end + timedelta(days=LAG_DAYS)),
                )
            )
        if intent.recency:
            newest = _newest(lex, mask)
            if newest:
                windows.append((date_to_int(newest - timedelta(days=RECENT_DAYS)), 99991231))
        return windows

    def _closest_sentence(self, vector: np.ndarray, chunks: list[Chunk]) -> dict[str, float]:
        """Each chunk's best sentence similarity to the question, from the vectors stored at ingest
        (chunks without valid rows are left out: their passage similarity stands in)."""
        out = {}
        for cid, rows in self.index.sentence_vectors(chunks).items():
            if len(rows):
                out[cid] = float((rows @ vector).max())
        return out

    def _similarities(self, vector: np.ndarray, ids: list[str]) -> dict[str, float]:
        """Cosine similarity for lexical-only candidates, from the vectors Chroma already holds."""
        if not ids:
            return {}
        got = self.index.stored_embeddings(ids)
        return {cid: float(np.dot(vec, vector)) for cid, vec in got.items()}

    @staticmethod
    def _coverage(chunk: Chunk, lex: LexicalIndex, terms: list[str]) -> float:
        pos = lex.position.get(chunk.id)
        chunk_terms = lex.terms[pos] if pos is not None else lex.query_terms(chunk.embed_text())
        return term_coverage(terms, chunk_terms, lex.idf, lex.max_idf)

    def _score(self, chunk, rrf, similarity, scores, lex, coverage, intent, newest, oldest) -> Hit:
        pos = lex.position.get(chunk.id)
        in_period, time_boost = False, 0.0
        if intent.has_period and chunk.doc_date:
            share = period_share(chunk.doc_date, intent.start, intent.end)
            if share > 0:
                in_period, time_boost = True, PERIOD_BOOST * min(1.0, share / FULL_SHARE)
            if intent.report and intent.start <= chunk.doc_date <= intent.end:
                time_boost = REPORT_BOOST  # "in the April 2014 report": that report itself
        if intent.recency:
            if chunk.kind != "document":
                time_boost += RECENCY_BOOST
            elif chunk.doc_date and newest:
                age = max(0, (newest - chunk.doc_date).days)
                time_boost += RECENCY_BOOST * math.exp(-age / RECENCY_DAYS)
        early = 0.0  # "the very first release of X": the oldest report about it, as "latest" the newest
        if oldest and chunk.kind == "document" and chunk.doc_date:
            early = RECENCY_BOOST * math.exp(-max(0, (chunk.doc_date - oldest).days) / RECENCY_DAYS)
        score = 0.25 * similarity + 0.6 * coverage + time_boost + early
        return Hit(
            chunk=chunk,
            score=score,
            similarity=similarity,
            lexical=float(scores[pos]) if pos is not None else 0.0,
            coverage=coverage,
            in_period=in_period,
            features={"rrf": rrf, "time": time_boost, "early": early},
        )

    def _dedup(self, hits: list[Hit], k: int, *, newest: bool = False) -> list[Hit]:
        kept: list[Hit] = []
        for h in hits:
            text = h.chunk.text
            copy = next(
                (
                    i
                    for i, o in enumerate(kept)
                    if abs(len(text) - len(o.chunk.text)) < 0.2 * max(len(text), 1)
                    and fuzz.ratio(text, o.chunk.text) >= self.dedup_ratio
                ),
                None,
            )
            if copy is not None:
                old = kept[copy].chunk.doc_date
                if newest and h.chunk.doc_date and old and h.chunk.doc_date > old:
                    kept[copy] = h
                continue
            kept.append(h)
            if len(kept) == k:
                break
        return kept


_STOP = frozenset(STOPWORDS)


def question_terms(lex: LexicalIndex, text: str) -> list[str]:
    """The question's terms, without product-version tokens whose "product" is a plain word.

    "a major version bump to 6.0.0" would otherwise ask for a product called "to", version 6, and "the
    very first 1.0 of Electron" for a product called "first": a one-word product counts only if the
    documents name it with a version somewhere ("Android 7.0"); hyphenated names ("cordova-ios") always do.
    """
    return [t for t in lex.query_terms(text) if "@" not in t or _product(lex, t.split("@")[0])]


def _product(lex: LexicalIndex, name: str) -> bool:
    return name not in _STOP and ("-" in name or name in lex.products)


def term_coverage(
    query_terms: Iterable[str],
    chunk_terms: Iterable[str],
    idf: dict[str, float],
    unseen_idf: float | None = None,
) -> float:
    """IDF-weighted share of the question's distinct terms that the text contains (0..1).

    A term the index has never seen weighs `unseen_idf`, the rarest term's IDF; pass
    `LexicalIndex.max_idf` (computed once per build) rather than have it recomputed on every call.

    A question naming a specific version ("cordova-ios 12", "3.5.1") is about that version: a text naming
    another version of the same product covers at most half of it, a text naming no version of it (the
    prose that explains a release) three quarters.
    """
    wanted = set(query_terms)
    if not wanted:
        return 0.0
    present = set(chunk_terms)
    default = max(idf.values(), default=1.0) if unseen_idf is None else unseen_idf
    total = sum(idf.get(t, default) for t in wanted)
    share = sum(idf.get(t, default) for t in wanted if t in present) / total if total else 0.0
    specific = [t for t in wanted if is_specific(t)]
    if specific and not any(t in present for t in specific):
        products = {t.split("@")[0] for t in specific if "@" in t}
        other_version = any("@" in t and t.split("@")[0] in products for t in present)
        share *= 0.5 if other_version else 0.75
    elif _anothers_version(specific, present):
        share *= 0.5
    return share


def _anothers_version(specific: list[str], present: set[str]) -> bool:
    """The question names a product's version ("cordova-android 6.0.0") and the text names that number as
    another product's ("cordova-plugin-camera@6.0.0"), never the product asked about: the bare "6.0.0" they
    share is not the one asked about. (A bare "(6.0.0)" beside "CLI 6.4.0" may still be.)"""
    asked = [t.split("@") for t in specific if is_major(t)]
    numbers = {t for t in specific if "@" not in t}
    if not asked or not numbers:
        return False
    versioned = [t.split("@") for t in present if "@" in t]
    if any(
        (product == p or product.endswith("-" + p)) and version.split(".")[0] == major
        for product, version in versioned
        for p, major in asked
    ):
        return False
    return any(version in numbers for _, version in versioned)


def _with_names(lex: LexicalIndex, topic: str) -> str:
    """The topic plus the products it names in plain words, for BM25: "the splash screen plugin" finds
    passages that only write "cordova-plugin-splashscreen"."""
    inferred = lex.things_named(topic) - hyphenated_names(topic)
    return f"{topic} {' '.join(sorted(inferred))}" if inferred else topic


def latest_of(lex: LexicalIndex, topic: str, kind: str | None) -> set[str]:
    """The products whose newest report answers a "latest" question: those it names, written out
    ("cordova-osx"); named in plain words ("the camera plugin") only when it asks for a version or
    release. "How many weekly downloads does the cordova CLI get these days" is answered by the newest
    report about downloads, whatever it calls the CLI, not by the newest cordova-cli release line."""
    written = {n for n in hyphenated_names(topic) if n in lex.products}
    if written or kind != "version":
        return written
    return lex.things_named(topic)


def period_share(doc_date: date, start: date, end: date) -> float:
    """How much of a period a report dated `doc_date` covers (0..1), of the period or of its own span.

    "Spring 2020" (March to May) is the June 2020 report's (it covers March to June), hardly the March
    one's (December to March); "April 2014" is covered whole by both the April and June reports.
    """
    lo = doc_date - timedelta(days=COVERS_BEFORE)
    hi = doc_date + timedelta(days=COVERS_AFTER)
    overlap = (min(hi, end) - max(lo, start)).days + 1
    if overlap <= 0:
        return 0.0
    longest = min((end - start).days + 1, COVERS_BEFORE + COVERS_AFTER + 1)
    return min(1.0, overlap / longest)


def _top(scores: np.ndarray, n: int) -> set[int]:
    if not len(scores):
        return set()
    n = min(n, len(scores))
    idx = np.argpartition(-scores, n - 1)[:n]
    return {int(i) for i in idx if scores[i] > 0}


def _relevant_date(
    chunks: list[Chunk], coverage: dict[str, float], named: set[str], *, oldest: bool = False
) -> date | None:
    """The newest date among documents that match the question well: what "latest" is measured against;
    with `oldest`, the oldest: what "the very first" is measured against.

    Not the newest document overall: an unrelated note (or one dated only by its file time) must not
    make every report about the topic look old. When the question names products ("the latest
    cordova-electron", "the camera plugin"), the newest document naming them: a newer report about
    other platforms shares the question's other words ("latest version of the ... platform").
    """
    if named:
        naming = [
            c.doc_date for c in chunks if c.kind == "document" and c.doc_date and mentions(c.text, named)
        ]
        if naming:
            return min(naming) if oldest else max(naming)
    best = max((coverage[c.id] for c in chunks if c.kind == "document"), default=0.0)
    if best <= 0:
        return None
    dates = [
        c.doc_date
        for c in chunks
        if c.kind == "document" and c.doc_date and coverage[c.id] >= RELEVANT_SHARE * best
    ]
    return (min if oldest else max)(dates, default=None)


def _newest(lex: LexicalIndex, mask: np.ndarray) -> date | None:
    docs = mask & (lex.kinds == "document") & (lex.dates > 0)
    if not docs.any():
        return None
    v = int(lex.dates[docs].max())
    return date(v // 10000, v // 100 % 100, v % 100)
