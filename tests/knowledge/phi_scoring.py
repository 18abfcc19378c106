"""Span-level precision and recall of the PHI redactor on the synthetic case file."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from knowledge.phi import PhiRedactor

CASES = Path(__file__).parent / "data" / "phi_cases.jsonl"


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)

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
                result.fp += 1
                result.false_alarms.append(f"{case['id']}: {f.entity} {f.text!r}")
            else:
                matched.add(hit)
                result.tp += 1
        for i, (t, s, e) in enumerate(expected):
            if i not in matched:
                result.fn += 1
                result.misses.append(f"{case['id']}: {t} {text[s:e]!r}")
    return result


if __name__ == "__main__":
    s = score(PhiRedactor(), load_cases())
    print(f"precision {s.precision:.3f} recall {s.recall:.3f} (tp {s.tp}, fp {s.fp}, fn {s.fn})")
    print("misses:", *s.misses, sep="\n  ")
    print("false alarms:", *s.false_alarms, sep="\n  ")
