"""BM25 over chunk text (with its heading path), stemmed; rebuilt from the chunks when they change."""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Sequence
from datetime import date

import bm25s
import numpy as np

from knowledge.types import Chunk

# bm25s's short English list, plus question words and auxiliaries that carry no topic
STOPWORDS = sorted(
    set(bm25s.stopwords.STOPWORDS_EN)
    | set(
        "what which who whom whose when where why how did do does done doing had has have having was were "
        "been being am can could would should shall may might must get got gets getting so many much from "
        "we our ours us you your i me my he she him her his its them those there here any some all each "
        "about above after again against also just only very too than own same other more most such "
        "up down out off over under once further while during before between both few nor".split()
    )
)
COMMON_PART = 0.2  # a part of this share of the names ("cordova", "plugin") does not name one alone
_NAMED = re.compile(r"\b[a-z][a-z0-9]*(?:-[a-z0-9]+)+\b")
TERMS_CACHE = 20_000  # texts whose terms are kept between questions
_VERSION = re.compile(r"(?<![\w.])v?(\d+(?:\.\d+)+)(?![\w.]*\w)")


# "cordova-android@15.0.0", "cordova-ios 4.0.0", "Android 7.0": a product and its major version, so
# "cordova-android 16" does not match a passage that only has cordova-android 15 and a date's "16"
# "the CLI version 7.0.0" names cli@7 too; "a new version 2.0" names no product "new"
_NOT_PRODUCTS = (
    "major|minor|patch|new|newer|newest|latest|first|next|current|old|older|last|previous|stable|beta|"
    "version|release|the|a|an|this|that|its|our|their"
)
_PRODUCT = re.compile(
    r"\b([a-z][a-z0-9]*(?:-[a-z0-9]+)+)(?:@| | version )v?(\d+)\b"
    rf"|\b(?!(?:{_NOT_PRODUCTS})\b)([a-z][a-z0-9]+)(?:@| | version )v?(\d+)\.\d"
)


def _product_majors(text: str) -> list[str]:
    return [f"{m[0] or m[2]}@{m[1] or m[3]}" for m in _PRODUCT.findall(text)]


def hyphenated_names(text: str) -> set[str]:
    """Hyphenated names in a text ("cordova-ios", "in-app-browser"): things, not topics."""
    return set(_NAMED.findall(text.lower()))


def mentions(text: str, names: set[str] | frozenset[str]) -> bool:
    """The text names every one of `names` as a whole name: "cordova-plugin-media-capture@6.0.0" does not
    name cordova-plugin-media, which a plain substring test took it to."""
    low = text.lower()
    return all(_whole_name(n).search(low) for n in names)


@functools.lru_cache(maxsize=1024)
def _whole_name(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")


def is_major(term: str) -> bool:
    """A product-major token ("cordova-ios@7"), not a full version ("cordova-ios@7.0.0")."""
    product, at, major = term.partition("@")
    return bool(product and at and major.isdigit())


# the past forms of common irregular verbs, which no stemmer joins to their verb ("came" and "come"); not
# those that are words or names of their own too ("left", "found", "saw", "felt", "spoke", "Rose", "Drew")
_PAST_FORMS = dict(
    pair.split(":")
    for pair in (
        "came:come went:go gone:go took:take taken:take gave:give given:give made:make began:begin "
        "begun:begin brought:bring bought:buy built:build chose:choose chosen:choose drove:drive "
        "driven:drive grew:grow grown:grow held:hold kept:keep knew:know known:know led:lead lost:lose "
        "met:meet paid:pay ran:run sent:send spent:spend stood:stand told:tell thought:think won:win "
        "wrote:write written:write broke:break broken:break shown:show spoken:speak got:get gotten:get "
        "became:become sold:sell taught:teach caught:catch sought:seek understood:understand "
        "withdrew:withdraw fell:fall fallen:fall hid:hide froze:freeze frozen:freeze "
        "drawn:draw threw:throw thrown:throw wore:wear forgot:forget forgotten:forget ate:eat eaten:eat "
        "undertook:undertake"
    ).split()
)
# and nouns made from verbs that the stemmer leaves apart from them ("addition" is "addit", "added" "ad"):
# "Last addition was Manuel Beck" answers "who was added last"; not the idiom "in addition" ("also")
_NOUN_VERBS = dict(
    pair.split(":")
    for pair in (
        "addition:add additions:add decision:decide decisions:decide description:describe "
        "descriptions:describe permission:permit permissions:permit submission:submit submissions:submit "
        "solution:solve solutions:solve maintenance:maintain admission:admit conclusion:conclude "
        "inclusion:include exclusion:exclude expansion:expand explanation:explain division:divide "
        "provision:provide reduction:reduce reductions:reduce production:produce introduction:introduce "
        "acquisition:acquire composition:compose definition:define repetition:repeat competition:compete "
        "failure:fail failures:fail departure:depart"
    ).split()
)
_BASE_FORMS = _PAST_FORMS | _NOUN_VERBS
_IRREGULAR = re.compile(r"(?<!\bin )\b(?:" + "|".join(_BASE_FORMS) + r")\b", re.I)


def _base_form(m: re.Match[str]) -> str:
    return _BASE_FORMS[m[0].lower()]


def _stemmer():
    try:
        import Stemmer

        return Stemmer.Stemmer("english")
    except ImportError:  # the lexical index still works, only less forgiving about word forms
        return None


def tokenize(texts: Sequence[str], stemmer=None) -> list[list[str]]:
    """Words, plus version-like tokens kept whole ('3.5.1', 'cordova-android@6.0.0') and split."""
    out: list[list[str]] = []
    if not texts:
        return out
    # one bm25s call for all texts: each call costs ~0.5 ms of setup, which was most of tokenizing a
    # sentence (an answer tokenizes ~40 of them)
    words = bm25s.tokenize(
        [_IRREGULAR.sub(_base_form, t) for t in texts],
        stemmer=stemmer,
        return_ids=False,
        show_progress=False,
        stopwords=STOPWORDS,
    )
    for text, toks in zip(texts, words, strict=True):
        low = text.lower()
        whole = [t for t in re.findall(r"\b\w+(?:[.@-]\w+)+\b", low) if any(ch.isdigit() for ch in t)]
        found = _VERSION.findall(low)
        versions = [v for v in found if v not in whole]
        # one spelling per version, so "1.0" in a question meets "1.0.0" in a report
        spelled = {f"v{_bare(v)}" for v in found}
        out.append(list(toks) + whole + versions + _product_majors(low) + sorted(spelled))
    return out


class LexicalIndex:
    """A bm25s index aligned with a list of chunk ids."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.position: dict[str, int] = {}
        self.projects = np.array([], dtype=object)
        self.kinds = np.array([], dtype=object)
        self.dates = np.array([], dtype=np.int64)
        self.private = np.array([], dtype=bool)
        self.idf: dict[str, float] = {}
        self.max_idf = 1.0  # the rarest term's IDF: what a term the index has never seen weighs
        self.products: set[str] = set()  # named with a major version ("cordova-ios@7" -> cordova-ios)
        self.versions: set[str] = set()  # every version named, without trailing ".0"s ("1.0.0" -> "1")
        self.terms: list[frozenset[str]] = []
        self._common_parts: set[str] = set()  # parts of many names ("cordova", "plugin")
        self._short_names: set[str] = set()  # "android@6" for "cordova-android@6": see `names`
        self.dirty = True
        self._stemmer = _stemmer()
        self._terms_cache: dict[str, list[str]] = {}
        self._bm25: bm25s.BM25 | None = None
        # text -> its tokens (and their set), kept from the last build: see `build`
        self._tokens: dict[str, tuple[list[str], frozenset[str]]] = {}

    def mark_dirty(self) -> None:
        self.dirty = True

    def names(self, term: str) -> bool:
        """Some text has the term; a version counts however it is written ("1.0" and "1.0.0"), a product's
        version by the product's short name too ("android@6" for "cordova-android@6")."""
        return (
            term in self.idf
            or term in self._short_names
            or (bool(_VERSION.fullmatch(term)) and _bare(term) in self.versions)
        )

    def things_named(self, text: str) -> set[str]:
        """The hyphenated products a text names, written out ("cordova-ios") or in plain words.

        "the camera plugin" names cordova-plugin-camera and "the browser platform" cordova-browser: a name
        is meant when the text has every part of it that few names share (not "cordova", "plugin"), and of
        several such names, the one with most of its parts in the text.
        """
        low = text.lower()
        written = {n for n in hyphenated_names(low) if n in self.products}
        if written:
            return written
        seq = re.findall(r"[a-z0-9]+", low)
        # and words written together in names: "in-app browser" is "inappbrowser"
        words = set(seq) | {"".join(seq[i : i + n]) for n in (2, 3) for i in range(len(seq) - n + 1)}
        scored: dict[str, int] = {}
        for name in self.products:
            if "-" not in name:
                continue
            parts = name.split("-")
            rare = [p for p in parts if p not in self._common_parts]
            if rare and all(p in words for p in rare):
                scored[name] = sum(p in words for p in parts)
        best = max(scored.values(), default=0)
        return {n for n, v in scored.items() if v == best}

    def build(self, chunks: Sequence[Chunk]) -> None:
        self.ids = [c.id for c in chunks]
        self.position = {cid: i for i, cid in enumerate(self.ids)}
        # filter columns, aligned with ids, so permission/kind/date masks are vector operations
        self.projects = np.array([c.project or "" for c in chunks], dtype=object)
        self.kinds = np.array([c.kind for c in chunks], dtype=object)
        self.dates = np.array([_ymd(c.doc_date) for c in chunks], dtype=np.int64)
        self.private = np.array([c.private for c in chunks], dtype=bool)
        self.idf = {}
        self.max_idf = 1.0
        self.terms = []
        self.products = set()
        self.versions = set()
        self._common_parts = set()
        self._short_names = set()
        if chunks:
            texts = [c.embed_text() for c in chunks]
            self._tokens = self._tokenized(texts)
            corpus = [self._tokens[t][0] for t in texts]
            self.terms = [self._tokens[t][1] for t in texts]
            df = Counter(t for doc in self.terms for t in doc)
            n = len(corpus)
            self.idf = {t: math.log(1 + (n - f + 0.5) / (f + 0.5)) for t, f in df.items()}
            # once per build: taking the max over the whole vocabulary per scored text cost ~25 ms a search
            self.max_idf = max(self.idf.values(), default=1.0)
            # products named with a major version somewhere ("cordova-ios@7"): a question about a major
            # of one of them that no text names is about a version the documents never mention
            self.products = {t.split("@")[0] for t in self.idf if is_major(t)}
            self.versions = {_bare(v) for t in self.idf for v in _VERSION.findall(t)}
            parts = Counter(p for n in self.products if "-" in n for p in set(n.split("-")))
            hyphenated = sum(1 for n in self.products if "-" in n)
            common = max(3.0, COMMON_PART * hyphenated)  # a few names sharing a part make it no one's
            self._common_parts = {p for p, f in parts.items() if f >= common}
            # every tail of a versioned name: "cordova-plugin-camera@7" -> "plugin-camera@7", "camera@7"
            self._short_names = {
                t.split("-", i)[i]
                for t in self.idf
                if "@" in t
                for i in range(1, t.split("@")[0].count("-") + 1)
            }
            self._bm25 = bm25s.BM25()
            self._bm25.index(_to_tokenized(corpus), show_progress=False)
        else:
            self._bm25 = None
            self._tokens = {}
        self.dirty = False

    def _tokenized(self, texts: list[str]) -> dict[str, tuple[list[str], frozenset[str]]]:
        """Tokens of every text, reusing the last build's for texts that did not change.

        Why: the index is rebuilt after any write, and tokenizing (stemming, version patterns) is most of
        a rebuild; a rebuild after a few chunks changed now only tokenizes those (measured on 10,000
        board-report passages: 2.9 s for the first build, 0.9 s for a rebuild after two changed).
        Tokens depend on the text alone, so reuse cannot go stale; texts no longer indexed are dropped.
        """
        known = self._tokens
        fresh = [t for t in dict.fromkeys(texts) if t not in known]
        new = dict(zip(fresh, tokenize(fresh, self._stemmer), strict=True)) if fresh else {}
        out: dict[str, tuple[list[str], frozenset[str]]] = {}
        for text in texts:
            if text not in out:
                got = known.get(text)
                out[text] = got if got is not None else (new[text], frozenset(new[text]))
        return out

    def query_terms(self, query: str) -> list[str]:
        return self.query_terms_many([query])[0]

    def query_terms_many(self, texts: Sequence[str]) -> list[list[str]]:
        """Terms of each text, as a question's or a chunk's are made (cached: sentences come back)."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._terms_cache]
        if missing:
            if len(self._terms_cache) + len(missing) > TERMS_CACHE:
                self._terms_cache.clear()
            self._terms_cache.update(zip(missing, tokenize(missing, self._stemmer), strict=True))
        return [list(self._terms_cache[t]) for t in texts]

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every chunk (aligned with `ids`) for the query; zeros when nothing matches."""
        if self._bm25 is None:
            return np.zeros(len(self.ids), dtype=np.float32)
        vocab = self._bm25.vocab_dict
        terms = [t for t in self.query_terms(query) if t in vocab]
        if not terms:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(terms), dtype=np.float32)


def _to_tokenized(corpus: list[list[str]]) -> bm25s.tokenization.Tokenized:
    vocab: dict[str, int] = {}
    ids = [[vocab.setdefault(t, len(vocab)) for t in doc] for doc in corpus]
    return bm25s.tokenization.Tokenized(ids=ids, vocab=vocab)


def _ymd(d: date | None) -> int:
    return d.year * 10000 + d.month * 100 + d.day if d else 0


def _bare(version: str) -> str:
    """'1.0.0' -> '1', '3.5.0' -> '3.5', 'v2.1' -> '2.1': one spelling of each version."""
    parts = version.lstrip("v").split(".")
    while len(parts) > 1 and parts[-1] == "0":
        parts.pop()
    return ".".join(parts)


def is_specific(term: str) -> bool:
    """A version ("3.5.1") or a product's major version ("cordova-ios@12"): names one exact thing."""
    return "@" in term or bool(_VERSION.fullmatch(term))
