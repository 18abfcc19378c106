# ruff: noqa: E501 - regex tables read better unbroken
"""Recognizers for the HIPAA Safe Harbor identifiers that show up in project text.

Each pattern names the span to redact with a regex group, so labels stay readable
("MRN: [MRN]", "patient [PATIENT_NAME]"). Person names are only redacted in clinical context
(after "patient", "pt", an honorific, or before a DOB/MRN/age): staff names in project documents
are business information, and a blank spaCy pipeline has no NER to find names anyway.
URLs are redacted only when they carry patient identifiers (a project wiki link is not PHI).
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.predefined_recognizers import EmailRecognizer

NAME_WORD = r"(?:Mc|Mac|O['\u2019])?[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
NAME = rf"{NAME_WORD}(?:[ \t]+[A-Z]\.?(?!\w))?(?:[ \t]+{NAME_WORD}){{0,2}}"
# Words before a name that say it is a patient's; dropped from a name candidate's start.
LEADING = frozenset("patient pt pt. resident decedent mr mr. mrs mrs. ms ms. miss mx".split())
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
DATE = (
    rf"(?:\d{{1,2}}[/-]\d{{1,2}}[/-](?:\d{{4}}|\d{{2}})|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}})"
)
# Capitalized words that follow "Patient" in names of things, not of people.
NOT_NAMES = frozenset(
    """safety portal access experience care data record records flow engagement outcomes outcome
    committee council advisory monitoring identification id portal privacy registry registration
    services service satisfaction education population health journey intake transport transfer
    scheduling tracking triage list lists cohort cohorts level levels summary summaries reported
    financial relations advocate advocacy family families centered centred first voice days
    deterioration risk risks management navigator navigation census volume volumes zero one
    the a an this that with and or of in on at to for is was has had who which
    """.split()
)


@dataclass(frozen=True)
class Rule:
    entity: str
    regex: str
    group: int = 0
    score: float = 0.85
    flags: int = 0
    cues: tuple[str, ...] = ()  # lower-case words one of which must occur for the rule to run at all


RULES: tuple[Rule, ...] = (
    # names of patients in clinical context
    Rule(
        "PATIENT_NAME",
        rf"\b(?:[Pp]atient|[Pp]t\.?|PATIENT|[Rr]esident|[Dd]ecedent)(?:'s)?(?:[ \t]+(?:name|named|is|was))*(?:[ \t]*[:,][ \t]*|[ \t]+)({NAME})",
        1,
        cues=("patient", "pt", "resident", "decedent"),
    ),
    Rule(
        "PATIENT_NAME",
        rf"\b({NAME_WORD}(?:[ \t]+[A-Z]\.)?(?:[ \t]+{NAME_WORD}){{1,2}})(?=[ \t]+(?:was|is|has[ \t]+been|had[ \t]+been)[ \t]+(?:re)?(?:admitted|discharged|intubated|diagnosed|transferred|triaged|readmitted)\b)",
        1,
        cues=("admitted", "discharged", "intubated", "diagnosed", "transferred", "triaged"),
    ),
    Rule("PATIENT_NAME", rf"\b(?:Mr|Mrs|Ms|Miss|Mx)\.?[ \t]+({NAME})", 1, cues=("mr", "ms", "miss", "mx")),
    Rule(
        "PATIENT_NAME",
        rf"\b({NAME_WORD}(?:[ \t]+[A-Z]\.)?(?:[ \t]+{NAME_WORD}){{1,2}})(?=,?[ \t]*\(?(?:DOB|D\.O\.B|MRN|date of birth|born|age[ \t]+\d|aged[ \t]+\d|\d{{1,3}}[ \t-]*(?:yo\b|y/o|y\.o\.|year[- ]old)))",
        1,
        cues=("dob", "d.o.b", "mrn", "birth", "born", "age", "yo", "y/o", "y.o.", "year"),
    ),
    # medical record numbers
    Rule(
        "MRN",
        r"\b(?:MRN|medical[ \t]+record(?:[ \t]+(?:number|no\.?|num|#))?|med[ \t]+rec(?:ord)?[ \t]*#?|chart[ \t]+(?:number|no\.?|#))[ \t]*(?:is[ \t]+)?[:#=-]?[ \t]*([A-Z]{0,3}-?\d[\d-]{4,14}\d)\b",
        1,
        0.95,
        re.I,
        cues=("mrn", "medical record", "med rec", "chart"),
    ),
    Rule("SSN", r"\b(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}\b", 0, 0.9, cues=("-",)),
    Rule(
        "SSN",
        r"\b(?:SSN|social[ \t]+security(?:[ \t]+(?:number|no\.?|#))?)[ \t]*[:#]?[ \t]*(\d{9}|\d{3}[ .]\d{2}[ .]\d{4})\b",
        1,
        0.95,
        re.I,
        cues=("ssn", "social security"),
    ),
    # phone and fax numbers (US formats, optional +1 and extension)
    Rule(
        "PHONE",
        r"(?<![\w.@/-])((?:\+?1[ .-]?)?(?:\(\d{3}\)[ \t]?|\d{3}[ .-])\d{3}[ .-]\d{4}(?:[ \t]*(?:x|ext\.?)[ \t]*\d{1,5})?)(?![\w-]|\.\d)",
        1,
        0.7,
        re.I,
    ),
    Rule(
        "PHONE",
        r"\b(?:phone|tel|telephone|fax|cell|mobile|pager|call)[ \t]*(?:no\.?|number|#)?[ \t]*[:#]?[ \t]*(\+?\d[\d .()-]{8,16}\d)",
        1,
        0.9,
        re.I,
        cues=("phone", "tel", "fax", "cell", "mobile", "pager", "call"),
    ),
    # street addresses
    Rule(
        "ADDRESS",
        r"\b\d{1,6}[ \t]+(?:[NSEW]\.?[ \t]+)?(?:[A-Z][a-z]+[ \t]+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter|Circle|Cir|Parkway|Pkwy|Highway|Hwy)\b\.?(?:,?[ \t]+(?:Apt|Apartment|Suite|Ste|Unit|#)\.?[ \t]*[\w-]+)?(?:,[ \t]*[A-Z][a-z]+(?:[ \t][A-Z][a-z]+)*)?(?:,?[ \t]*[A-Z]{2})?(?:[ \t]+\d{5}(?:-\d{4})?)?",
        0,
        0.85,
    ),
    # dates of birth and other dates tied to one patient
    Rule(
        "DATE_OF_BIRTH",
        rf"\b(?:DOB|D\.O\.B\.?|date[ \t]+of[ \t]+birth|birth[ \t]?date|born(?:[ \t]+on)?)[ \t]*[:#-]?[ \t]*({DATE})",
        1,
        0.95,
        re.I,
        cues=("dob", "d.o.b", "birth", "born"),
    ),
    Rule(
        "CLINICAL_DATE",
        rf"\b(?:admitted|discharged|admission[ \t]+date|discharge[ \t]+date|date[ \t]+of[ \t]+(?:death|admission|discharge|service)|died|deceased|DOD|DOS)(?:[ \t]+(?:on|was))?[ \t]*[:#-]?[ \t]*({DATE})",
        1,
        0.9,
        re.I,
        cues=(
            "admit",
            "admission",
            "discharge",
            "death",
            "died",
            "deceased",
            "dod",
            "dos",
            "date of service",
        ),
    ),
    # account, health plan and member numbers
    Rule(
        "HEALTH_PLAN_ID",
        r"\b(?:member|subscriber|policy|health[ \t]+plan|insurance|beneficiary|medicaid|medicare|group)[ \t]*(?:id|identifier|number|no\.?|num|#)[ \t]*[:#]?[ \t]*(?=[A-Z0-9-]*\d)([A-Z0-9][A-Z0-9-]{4,19})\b",
        1,
        0.9,
        re.I,
        cues=(
            "member",
            "subscriber",
            "policy",
            "plan",
            "insurance",
            "beneficiary",
            "medicaid",
            "medicare",
            "group",
        ),
    ),
    Rule(
        "ACCOUNT_NUMBER",
        r"\b(?:account|acct|billing|claim|invoice|patient[ \t]+account)[ \t]*(?:id|number|no\.?|num|#)[ \t]*[:#]?[ \t]*(?=[A-Z0-9-]*\d)([A-Z0-9][A-Z0-9-]{4,19})\b",
        1,
        0.9,
        re.I,
        cues=("account", "acct", "billing", "claim", "invoice"),
    ),
    # device identifiers and serial numbers
    Rule(
        "DEVICE_ID",
        r"\b(?:serial(?:[ \t]+(?:number|no\.?|#))?|S/N|SN|device[ \t]+(?:id|identifier|serial)|UDI|IMEI|pump[ \t]+(?:id|serial)|implant[ \t]+(?:id|serial))[ \t]*[:#]?[ \t]*(?=[A-Z0-9:()-]*\d)([A-Z0-9(][A-Z0-9:()-]{5,40})",
        1,
        0.9,
        re.I,
        cues=("serial", "s/n", "sn", "device", "udi", "imei", "pump", "implant"),
    ),
    Rule("DEVICE_ID", r"\b(?:[0-9A-F]{2}[:-]){5}[0-9A-F]{2}\b", 0, 0.8, re.I),
    # URLs that carry a patient's identity; other links are project information
    Rule(
        "URL",
        r"\bhttps?://[^\s<>\"')\]]*(?:patient|mrn|member[_-]?id|chart|encounter|person[_-]?id|pid=|ssn|dob)[^\s<>\"')\]]*",
        0,
        0.85,
        re.I,
        cues=("http",),
    ),
    # IPv4 (validated and kept apart from version strings) and IPv6
    Rule(
        "IP_ADDRESS",
        r"(?<![\w@.\-/])(?<!version )(?<!build )(?<!release )((?:\d{1,3}\.){3}\d{1,3})(?![\w\-]|\.\d)",
        1,
        0.8,
        cues=(".",),
    ),
    Rule(
        "IP_ADDRESS",
        r"(?<![\w:])((?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}|(?:[0-9a-f]{1,4}:){1,6}:[0-9a-f]{1,4})(?![\w:])",
        1,
        0.8,
        re.I,
        cues=(":",),
    ),
)

VERSION_CUE = re.compile(r"(?:version|build|release|rev|ver|v)\.?[ \t]*$", re.I)

ROLE_MAILBOXES = frozenset(
    """dev issues user users private security commits announce general info support help admin
    noreply no-reply team pmo board list lists notifications builds jira github webmaster
    press legal""".split()
)


class RuleRecognizer(EntityRecognizer):
    """Regex rules whose chosen group is the sensitive span; validates IPs and name candidates."""

    def __init__(self, rules: tuple[Rule, ...] = RULES) -> None:
        self.rules = [(r, re.compile(r.regex, r.flags)) for r in rules]
        super().__init__(supported_entities=sorted({r.entity for r in rules}), name="PmoPhiRules")

    def load(self) -> None:  # nothing to load: the rules are compiled in __init__
        return None

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        results = []
        lowered = text.lower()
        for rule, regex in self.rules:
            if entities and rule.entity not in entities:
                continue
            if rule.cues and not any(cue in lowered for cue in rule.cues):
                continue  # cheap pre-check: most project text has none of a rule's label words
            for match in regex.finditer(text):
                start, end = match.span(rule.group)
                value = text[start:end]
                if start < 0 or not value.strip() or not self._valid(rule.entity, value, text[:start]):
                    continue
                if rule.entity == "PATIENT_NAME":
                    start, end = self._trim_name(text, start, end)
                    if end <= start:
                        continue
                results.append(RecognizerResult(rule.entity, start, end, rule.score))
        return results

    @staticmethod
    def _valid(entity: str, value: str, before: str) -> bool:
        if entity == "IP_ADDRESS":
            if VERSION_CUE.search(before[-16:]):
                return False  # "build 4.0.0.1", "version 1.2.3.4"
            try:
                ipaddress.ip_address(value)
            except ValueError:
                return False
            return ":" in value or not value.startswith("0.")
        return True

    @staticmethod
    def _trim_name(text: str, start: int, end: int) -> tuple[int, int]:
        """Drop cue words before a name and stop at words that cannot be one ("Patient Safety")."""
        words = [(start + m.start(), start + m.end()) for m in re.finditer(r"\S+", text[start:end])]
        while words and text[words[0][0] : words[0][1]].lower() in LEADING:
            words.pop(0)
        kept: list[tuple[int, int]] = []
        for a, b in words:
            if text[a:b].rstrip(".").lower() in NOT_NAMES:
                break
            kept.append((a, b))
        if not kept:
            return start, start
        return kept[0][0], kept[-1][1]


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's email recognizer with tldextract on its bundled suffix list (no download)."""

    def __init__(self) -> None:
        import tldextract

        super().__init__()
        self._extract = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None, regex_flags=None):
        if "@" not in text:
            return []
        return super().analyze(text, entities, nlp_artifacts, regex_flags)

    def validate_result(self, pattern_text: str) -> bool:
        local = pattern_text.split("@", 1)[0].lower()
        if local in ROLE_MAILBOXES or local.split("-", 1)[0] in ROLE_MAILBOXES:
            return False  # mailing lists and role mailboxes name no person
        return self._extract(pattern_text).fqdn != ""
