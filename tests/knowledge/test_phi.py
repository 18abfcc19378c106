"""PHI redaction: the synthetic case files, typed placeholders, counts, and the Cordova corpus untouched."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from knowledge.loaders import load_document
from knowledge.phi import PhiRedactor
from tests.knowledge.phi_scoring import SETS, load_cases, score


@pytest.mark.parametrize("path", list(SETS.values()), ids=list(SETS))
def test_precision_and_recall_on_synthetic_cases(redactor: PhiRedactor, path: Path) -> None:
    result = score(redactor, load_cases(path))
    assert result.precision >= 0.95, result.false_alarms
    assert result.recall >= 0.95, result.misses


def test_every_negative_is_left_alone(redactor: PhiRedactor) -> None:
    for case in [c for path in SETS.values() for c in load_cases(path)]:
        if not case["expected"]:
            assert redactor.redact(case["text"]).text == case["text"], case["id"]


def test_placeholders_and_counts(redactor: PhiRedactor) -> None:
    result = redactor.redact(
        "Patient John Smith (MRN: A1234567), DOB 03/14/1962, call 312-555-0147 or 312-555-0148."
    )
    assert result.text == "Patient [PATIENT_NAME] (MRN: [MRN]), DOB [DATE_OF_BIRTH], call [PHONE] or [PHONE]."
    assert result.counts == {"PATIENT_NAME": 1, "MRN": 1, "DATE_OF_BIRTH": 1, "PHONE": 2}
    assert result.total == 5


def test_disabled_redactor_passes_text_through() -> None:
    text = "Patient John Smith MRN 12345678"
    off = PhiRedactor(enabled=False)
    assert off.redact(text).text == text and off.redact(text).counts == {}
    assert off._analyzer is None  # never built


def test_redact_many_keeps_blocks_apart(redactor: PhiRedactor) -> None:
    texts = ["pt Jane Doe", "MRN 12345678", "", "cordova-android 3.5.1"]
    out, counts, _ = redactor.redact_many(texts)
    assert out == ["pt [PATIENT_NAME]", "MRN [MRN]", "", "cordova-android 3.5.1"]
    assert counts == {"PATIENT_NAME": 1, "MRN": 1}


def test_redact_document_covers_title_headings_and_blocks(redactor: PhiRedactor, tmp_path: Path) -> None:
    path = tmp_path / "incident.md"
    path.write_text("# Review of patient Jane Doe\n\n- MRN 12345678 seen twice\n- release 10.1.2 fixed it\n")
    doc, counts = redactor.redact_document(load_document(path))
    assert "Jane" not in doc.text and "12345678" not in doc.text and "10.1.2" in doc.text
    assert counts == {"PATIENT_NAME": 1, "MRN": 1}


def test_no_network_is_used(redactor: PhiRedactor, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("PHI redaction tried to open a network connection")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    fresh = PhiRedactor()
    assert fresh.redact("write to jane.doe@example.co.uk").text == "write to [EMAIL]"


def test_cordova_corpus_has_no_redactions(redactor: PhiRedactor, corpus_dir: Path) -> None:
    """Versions, release dates, list addresses and links in real reports are not PHI."""
    for path in sorted(corpus_dir.glob("*.md")):
        doc = load_document(path)
        redacted, counts = redactor.redact_document(doc)
        assert counts == {}, (path.name, counts)
        assert redacted.text == doc.text


def test_cue_prechecks_never_hide_a_match() -> None:
    """The cheap cue words must not skip a rule that would have matched: same findings with and without them."""
    from dataclasses import replace

    from knowledge.phi_patterns import RULES, RuleRecognizer

    with_cues = RuleRecognizer()
    without = RuleRecognizer(tuple(replace(rule, cues=()) for rule in RULES))
    texts = [case["text"] for case in [c for path in SETS.values() for c in load_cases(path)]]
    for text in texts + [t.upper() for t in texts]:
        found = {(r.entity_type, r.start, r.end) for r in with_cues.analyze(text, [])}
        assert found == {(r.entity_type, r.start, r.end) for r in without.analyze(text, [])}, text
