"""Span-level precision and recall of the PHI redactor on the synthetic case files.

Run as a script for the totals and a per-type breakdown of every set (misses and false alarms of each):
``.venv/bin/python -m tests.knowledge.phi_scoring [-v]``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.phi import PhiRedactor

CASES = Path(__file__).parent / "data" / "phi_cases.jsonl"
HOLDOUT = CASES.parent / "phi_cases_holdout.jsonl"
# Each written after the rules were tuned on the sets before it, measured once blind, then also used for fixes.
BLIND = CASES.parent / "phi_cases_blind.jsonl"
BLIND2 = CASES.parent / "phi_cases_blind2.jsonl"
SETS = {"dev": CASES, "holdout": HOLDOUT, "blind": BLIND, "blind2": BLIND2}


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    by_type: dict[str, Score] = field(default_factory=dict)  # entity type -> its own counts

    def add(self, entity: str, outcome: str, note: str = "") -> None:
        """Counts one tp/fp/fn in the totals and under its entity type (a false alarm's type is the found one)."""
        for s in (self, self.by_type.setdefault(entity, Score())):
            setattr(s, outcome, getattr(s, outcome) + 1)
            if outcome == "fn":
                s.misses.append(note)
            elif outcome == "fp":
                s.false_alarms.append(note)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def load_cases(path: Path = CASES) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def score(redactor: PhiRedactor, cases: list[dict]) -> Score:
    """A finding counts when its type matches and it overlaps an expected span (same text counted once)."""
    result = Score()
    for case in cases:
        text = case["text"]
        found = redactor.find(text)
        expected = []
        cursor = 0
        for exp in case["expected"]:
            start = text.index(exp["text"], cursor if text.find(exp["text"], cursor) >= 0 else 0)
            expected.append((exp["type"], start, start + len(exp["text"])))
            cursor = start + 1
        matched = set()
        for f in found:
            hit = next(
                (
                    i
                    for i, (t, s, e) in enumerate(expected)
                    if t == f.entity and f.start < e and s < f.end and i not in matched
                ),
                None,
            )
            if hit is None:
                result.add(f.entity, "fp", f"{case['id']}: {f.entity} {f.text!r}")
            else:
                matched.add(hit)
                result.add(f.entity, "tp")
        for i, (t, s, e) in enumerate(expected):
            if i not in matched:
                result.add(t, "fn", f"{case['id']}: {t} {text[s:e]!r}")
    return result


def report(name: str, s: Score, verbose: bool = False) -> str:
    """A table of precision/recall in total and per entity type; with verbose, every miss and false alarm."""
    rows = [f"{name}: precision {s.precision:.3f} recall {s.recall:.3f} (tp {s.tp}, fp {s.fp}, fn {s.fn})"]
    for entity, t in sorted(s.by_type.items()):
        rows.append(
            f"  {entity:<15} precision {t.precision:.3f} recall {t.recall:.3f} (tp {t.tp}, fp {t.fp}, fn {t.fn})"
        )
    if verbose:
        rows += ["  misses:", *(f"    {m}" for m in s.misses), "  false alarms:"]
        rows += [f"    {m}" for m in s.false_alarms]
    return "\n".join(rows)


if __name__ == "__main__":
    redactor = PhiRedactor()
    for label, path in SETS.items():
        print(report(label, score(redactor, load_cases(path)), verbose="-v" in sys.argv[1:]))
