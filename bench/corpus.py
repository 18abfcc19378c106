"""Benchmark corpora built from the real Cordova board reports, copied into a temporary folder.

The real corpus is ~540 chunks. Larger corpora are copies of it in which the project name, the
platform names and every number are varied per copy, so no two copies hold the same passage: the
index, BM25 statistics and near-duplicate removal then see many distinct chunks, as they would with
a portfolio of projects, and nothing is embedded once and reused.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from knowledge.chunking import chunk_document
from knowledge.loaders import is_supported, load_document

DEFAULT_CORPUS = Path("/work/shared/corpus/cordova-board-reports")

# Fictional projects (one per copy); the first copy keeps the real text.
NAMES = [  # fmt: skip
    "Cordova",
    "Sepsis Watch",
    "Radiology Triage",
    "Readmission Risk",
    "Bed Flow",
    "Discharge Planner",
    "Stroke Alert",
    "Fall Predictor",
    "Sleep Apnea Screen",
    "Pathology Assist",
    "Oncology Navigator",
    "Pharmacy Checker",
    "Claims Coder",
    "ICU Forecast",
    "Wound Imaging",
    "Nurse Scheduler",
    "Lab Anomaly",
    "Cardiac Echo",
    "Derm Lens",
    "Pain Tracker",
    "Vaccine Outreach",
    "Sepsis Lite",
    "Triage Chat",
    "Dialysis Planner",
    "Fracture Finder",
    "Asthma Coach",
    "Diabetes Monitor",
    "Eye Screen",
    "Speech Notes",
    "Supply Forecast",
]
PLATFORMS = ["android", "ios", "windows", "browser", "electron", "osx", "ubuntu", "blackberry"]
_NUMBER = re.compile(r"(?<![\w./-])(\d{1,3})(?![\d/-])")
_NAME = re.compile(r"cordova", re.IGNORECASE)
_PLATFORM = re.compile(r"\b(" + "|".join(PLATFORMS) + r")\b", re.IGNORECASE)


def vary(text: str, copy: int) -> str:
    """The text as copy number `copy` of the corpus: another project, other platforms, other numbers."""
    if copy == 0:
        return text
    name = NAMES[copy % len(NAMES)] + (f" {copy // len(NAMES) + 1}" if copy >= len(NAMES) else "")
    slug = name.lower().replace(" ", "-")
    text = _NAME.sub(lambda m: name if m.group(0)[0].isupper() else slug, text)
    text = _PLATFORM.sub(lambda m: _platform(m.group(0), copy), text)
    # small numbers (counts, percentages, minor versions) shift; four-digit years and dates stay put
    return _NUMBER.sub(lambda m: str(int(m.group(1)) + copy * 7 % 23 + 1), text)


def _platform(found: str, copy: int) -> str:
    return PLATFORMS[(PLATFORMS.index(found.lower()) + copy) % len(PLATFORMS)]


def source_files(corpus: Path) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.is_file() and is_supported(p))


def count_chunks(path: Path) -> int:
    """Chunks one file makes (before PHI redaction, which changes the count little if at all)."""
    return len(chunk_document(load_document(path), project=None, source=path.name, private=False, scope=""))


def write_copy(files: list[Path], corpus: Path, folder: Path, copy: int) -> list[Path]:
    """Copy number `copy` of the corpus files into `folder`; returns the written paths."""
    written = []
    for src in files:
        target = folder / src.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        if copy == 0:
            shutil.copy2(src, target)
        else:
            target.write_text(vary(src.read_text(encoding="utf-8"), copy), encoding="utf-8")
        written.append(target)
    return written


def build(corpus: Path, dest: Path, *, min_chunks: int) -> int:
    """Varied copies of `corpus` under `dest/project-NN/`, file by file until about `min_chunks` chunks.

    Returns the estimated chunk count.
    """
    files = source_files(corpus)
    if not files:
        raise ValueError(f"no supported documents in {corpus}")
    total, copy = 0, 0
    while True:
        for src in files:
            (target,) = write_copy([src], corpus, dest / f"project-{copy:02d}", copy)
            total += count_chunks(target)
            if total >= min_chunks:
                return total
        copy += 1
