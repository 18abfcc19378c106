"""PHI redaction before anything is stored or embedded: presidio over a blank spaCy pipeline.

spaCy's trained pipelines are not on PyPI and nothing may be downloaded at run time, so the NLP
engine is `spacy.blank("en")` (tokenizer only) and detection is done by the rules in
`knowledge.phi_patterns` plus presidio's email and credit-card recognizers. Findings are replaced
with typed placeholders such as ``[MRN]``; counts per type are kept for the sync report.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

from knowledge.loaders import LoadedDocument
from knowledge.structure import Block, Section

PLACEHOLDERS = {
    "PATIENT_NAME": "[PATIENT_NAME]",
    "MRN": "[MRN]",
    "SSN": "[SSN]",
    "PHONE": "[PHONE]",
    "EMAIL_ADDRESS": "[EMAIL]",
    "ADDRESS": "[ADDRESS]",
    "DATE_OF_BIRTH": "[DATE_OF_BIRTH]",
    "CLINICAL_DATE": "[DATE]",
    "HEALTH_PLAN_ID": "[HEALTH_PLAN_ID]",
    "ACCOUNT_NUMBER": "[ACCOUNT_NUMBER]",
    "CREDIT_CARD": "[ACCOUNT_NUMBER]",
    "DEVICE_ID": "[DEVICE_ID]",
    "URL": "[URL]",
    "IP_ADDRESS": "[IP_ADDRESS]",
}
# Separates a document's blocks in one analyzer call; no rule can match across it.
_SEPARATOR = "\n\u241e\n"


@dataclass(frozen=True)
class Finding:
    entity: str
    start: int
    end: int
    text: str
    score: float


@dataclass
class RedactionResult:
    text: str
    counts: dict[str, int] = field(default_factory=dict)  # placeholder type -> number replaced
    findings: list[Finding] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _build_analyzer():
    import spacy
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpArtifacts, SpacyNlpEngine
    from presidio_analyzer.predefined_recognizers import CreditCardRecognizer

    from knowledge.phi_patterns import OfflineEmailRecognizer, RuleRecognizer

    class BlankSpacyEngine(SpacyNlpEngine):
        """A tokenizer-only spaCy pipeline; presidio would otherwise download en_core_web_lg."""

        def load(self) -> None:
            self.nlp = {"en": spacy.blank("en")}

    engine = BlankSpacyEngine(models=[{"lang_code": "en", "model_name": "blank"}])
    engine.load()
    registry = RecognizerRegistry(supported_languages=["en"])
    for recognizer in (RuleRecognizer(), OfflineEmailRecognizer(), CreditCardRecognizer()):
        registry.add_recognizer(recognizer)
    analyzer = AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["en"])
    # Every recognizer here works on the raw text, so tokenizing each text (three quarters of the
    # cost) would buy nothing: analysis gets the same empty NLP artifacts every time.
    empty = NlpArtifacts(
        entities=[], tokens=engine.nlp["en"].make_doc(""), tokens_indices=[], lemmas=[],
        nlp_engine=engine, language="en",
    )  # fmt: skip
    return analyzer, empty


class PhiRedactor:
    """Finds and replaces PHI; `enabled=False` passes text through (for non-clinical corpora)."""

    def __init__(self, enabled: bool = True, *, score_threshold: float = 0.5) -> None:
        self.enabled = enabled
        self.score_threshold = score_threshold
        self._analyzer = None
        self._artifacts = None

    @property
    def analyzer(self):
        if self._analyzer is None:  # built lazily (presidio's import takes seconds); never when disabled
            self._analyzer, self._artifacts = _build_analyzer()
        return self._analyzer

    def find(self, text: str) -> list[Finding]:
        """Non-overlapping findings, longest and most confident first wins."""
        if not self.enabled or not text.strip():
            return []
        analyzer = self.analyzer
        results = analyzer.analyze(
            text=text,
            language="en",
            entities=list(PLACEHOLDERS),
            score_threshold=self.score_threshold,
            nlp_artifacts=self._artifacts,
        )
        # longest first; on a tie our labelled rules beat presidio's unlabelled card check
        ordered = sorted(
            results, key=lambda r: (-(r.end - r.start), r.entity_type == "CREDIT_CARD", -r.score, r.start)
        )
        taken: list[Finding] = []
        for r in ordered:
            if all(r.end <= f.start or r.start >= f.end for f in taken):
                taken.append(Finding(r.entity_type, r.start, r.end, text[r.start : r.end], r.score))
        return sorted(taken, key=lambda f: f.start)

    def redact(self, text: str) -> RedactionResult:
        findings = self.find(text)
        if not findings:
            return RedactionResult(text)
        out, last = [], 0
        counts: Counter[str] = Counter()
        for f in findings:
            placeholder = PLACEHOLDERS[f.entity]
            out += [text[last : f.start], placeholder]
            counts[placeholder.strip("[]")] += 1
            last = f.end
        out.append(text[last:])
        return RedactionResult("".join(out), dict(counts), findings)

    def redact_many(self, texts: list[str]) -> tuple[list[str], dict[str, int], list[Finding]]:
        """Redact several texts in one analyzer pass (a document's blocks); falls back per text."""
        if not self.enabled or not texts:
            return list(texts), {}, []
        result = self.redact(_SEPARATOR.join(texts))
        parts = result.text.split(_SEPARATOR)
        if len(parts) != len(texts):  # a finding swallowed a separator: redact one by one
            singles = [self.redact(t) for t in texts]
            counts: Counter[str] = Counter()
            for s in singles:
                counts.update(s.counts)
            return [s.text for s in singles], dict(counts), [f for s in singles for f in s.findings]
        return parts, result.counts, result.findings

    def redact_document(self, doc: LoadedDocument) -> tuple[LoadedDocument, dict[str, int]]:
        """The document with its title, headings and blocks redacted, and counts by type."""
        if not self.enabled:
            return doc, {}
        texts = [doc.title or ""]
        for section in doc.sections:
            texts.extend(section.heading)
            texts.extend(b.text for b in section.blocks)
        redacted, counts, _ = self.redact_many(texts)
        it = iter(redacted)
        title = next(it) or None
        sections = []
        for section in doc.sections:
            heading = tuple(next(it) for _ in section.heading)
            blocks = [Block(next(it), b.kind) for b in section.blocks]
            sections.append(Section(heading, blocks))
        return replace(doc, title=title, sections=sections), counts
