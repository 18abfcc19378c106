# ruff: noqa: E501 - regex tables read better unbroken
"""Recognizers for the HIPAA Safe Harbor identifiers that show up in project text.

Each pattern names the span to redact with a regex group, so labels stay readable
("MRN: [MRN]", "patient [PATIENT_NAME]"). Person names are only redacted in clinical context
(after "patient", "pt", an honorific, a relative's role such as "daughter", or before a DOB/MRN/age):
staff names in project documents are business information, and a blank spaCy pipeline has no NER to
find names anyway. An honorific followed by a staff role ("Ms. Ortiz presented", "Mr. Webb (IT)") is
not taken as a patient. Clinical dates need a clinical event word shortly before them; cohort ranges
("admitted between ...") and project dates are left alone.
URLs are redacted only when they carry a patient identifier value ("?mrn=123", "/patients/4471920"),
not when a page title merely mentions patients.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.predefined_recognizers import EmailRecognizer

NAME_WORD = r"(?:Mc|Mac|O['\u2019])?[A-Z][a-z]+(?:-[A-Z][a-z]+)?"
NAME = rf"{NAME_WORD}(?:[ \t]+[A-Z]\.?(?!\w))?(?:[ \t]+{NAME_WORD}){{0,2}}"
# "KOWALSKI, Anna", "DOE, JOHN", "Ortega, Luis": the surname-first form of charts and wristbands.
_CAPS_WORD = r"[A-Z](?:[A-Z'\u2019]|-[A-Z])+(?![a-z])"
LAST_FIRST = rf"(?:{_CAPS_WORD}|{NAME_WORD}),[ \t]*(?!(?:Mr|Mrs|Ms|Miss|Mx|Dr|MR|MRS|MS|DR)\b)(?:{_CAPS_WORD}|{NAME_WORD})(?:[ \t]+[A-Z]\.?(?![\w,]))?"
# "1320 Elm Street", "2100 W 18th St", "902 Lakeshore Dr": number, optional direction, name, street type.
STREET = (
    r"\d{1,6}[ \t]+(?:[NSEW]\.?[ \t]+)?(?:(?:[A-Z][a-z]+|\d{1,3}(?:st|nd|rd|th))[ \t]+){1,3}"
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Terrace|Ter"
    r"|Circle|Cir|Parkway|Pkwy|Highway|Hwy)\b"
)
# Words joining a patient cue to the name: "patient, name X", "Patient Name: X", "patient is X".
_JOIN = r"(?:[ \t]+(?:[Nn]ame|[Nn]amed|is|was))*(?:[ \t]*[:,][ \t]*|[ \t]+)(?:(?:[Nn]ame|[Nn]amed|is|was)[ \t]*:?[ \t]+)?"
# Words before a name that say it is a patient's; dropped from a name candidate's start.
LEADING = frozenset("patient pt pt. resident decedent mr mr. mrs mrs. ms ms. miss mx".split())
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
DATE = (
    rf"(?:\d{{1,2}}[/-]\d{{1,2}}[/-](?:\d{{4}}|\d{{2}})(?![\d/-])|\d{{4}}-\d{{2}}-\d{{2}}(?![\d-])"
    rf"|{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}|\d{{1,2}}[ \t-]+{_MONTH}[ \t-]+\d{{4}}"
    rf"|\d{{1,2}}-(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)-\d{{2}}\b)"
)
# Clinical events of one patient. A verb ("admitted to the MICU on ...") may reach its date over a few
# words; a noun ("discharge on", "Date of death:") must be next to it, since nouns also name project
# work ("Discharge planning workgroup kickoff 2025-04-02").
_EVENT_VERB = (
    r"(?:re)?admitted|discharged|died|expired|presented|arrived|transferred|intubated|diagnosed|seen"
)
_EVENT_NOUN = (
    r"admission|admit|adm\.?|discharge|disch\.?|deceased|death|DOD|DOS|date[ \t]+of[ \t]+service|arrival|surgery"
    r"|procedure[ \t]+date|appointment|appt\.?|encounter[ \t]+date|service[ \t]+date|chemo(?:therapy)?"
)
# Up to four plain words between a verb and its date; a range word means a cohort window instead.
_GAP = (
    r"(?:[ \t]+(?!between\b|from\b|since\b|after\b|before\b|during\b|until\b|through\b|due\b"
    r"|go-live\b|kickoff\b|release\b|milestone\b|meeting\b|review\b)[\w'-]+){0,4}?"
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
    name names named medicaid medicare insurance address phone email chart room bed home unit ward
    wife husband daughter son mother father family record note notes number primary attending
    nurse doctor dr physician baby infant newborn unknown test
    """.split()
)
# Text right after "Mr./Ms. Name" that marks a colleague, not a patient: a role in parentheses or
# apposition, a department, or a meeting verb.
STAFF_AFTER = re.compile(
    r"(?:'s)?(?:[ \t]*\((?:the[ \t]+)?(?:vendor|pm|project|program|it|finance|sponsor|chair|lead|manager"
    r"|director|analyst|engineer|consultant|cmio|cio|cno|cfo|vp|from)\b"
    # a capitalized department or title in brackets: "(Nursing Quality)", but not "(MRN ...)", "(Room 5)"
    r"|[ \t]*\((?!(?:MRN|MR|DOB|D\.O\.B|SSN|age|aged|pt|patient|bed|room|rm|born)\b)(?-i:[A-Z])[A-Za-z&/ -]*\)"
    r"|[ \t]*,[ \t]*(?:our|the|their|a|an)[ \t]+(?:[\w'\u2019-]+[ \t]+){0,3}?(?:pm|manager|director"
    r"|sponsor|lead|chair|analyst|engineer|consultant|owner|liaison|champion|officer|head|chief|president|vp"
    r"|ceo|coo|cfo|cio|cto|ciso|cmio|cno|cnio)\b|[ \t]+(?:from|of)[ \t]+(?:the[ \t]+)?"
    r"(?-i:[A-Z])|[ \t]+(?:presented|chaired|joined|approved|signed|facilitated|demoed|noted|reported|proposed"
    r"|will[ \t]+(?:present|send|share|follow))\b)",
    re.I,
)


@dataclass(frozen=True)
class Rule:
    entity: str
    regex: str
    group: int | tuple[int, ...] = 0  # alternatives: the first group that took part in the match
    score: float = 0.85
    flags: int = 0
    cues: tuple[str, ...] = ()  # lower-case words one of which must occur for the rule to run at all
    unless_after: re.Pattern[str] | None = None  # text right after the span that makes it no finding


RULES: tuple[Rule, ...] = (
    # names of patients in clinical context
    Rule(
        "PATIENT_NAME",
        rf"\b(?:[Pp]atient|[Pp]t\.?|PATIENT|[Rr]esident|[Dd]ecedent)(?:'s)?{_JOIN}({LAST_FIRST}|{NAME})",
        1,
        cues=("patient", "pt", "resident", "decedent"),
    ),
    # relatives and contacts of a patient are identifiers too (45 CFR 164.514(b)(2)(i))
    Rule(
        "PATIENT_NAME",
        rf"\b(?=[WwHhSsDdMmFfBbGgCcEeNnAaUu])(?:[Ww]ife|[Hh]usband|[Ss]pouse|[Dd]aughter|[Ss]on|[Mm]other|[Ff]ather|[Ss]ister|[Bb]rother|[Gg]rand(?:daughter|son|mother|father)|[Nn]iece|[Nn]ephew|[Aa]unt|[Uu]ncle|[Cc]ousin|[Cc]aregiver|[Gg]uardian|[Ee]mergency[ \t]+contact|[Nn]ext[ \t]+of[ \t]+kin)(?:'s)?(?:[ \t]+(?:name|is|was))*(?:[ \t]*[:,(][ \t]*|[ \t]+)({NAME})",
        1,
        0.8,
        cues=(
            "wife",
            "husband",
            "spouse",
            "daughter",
            "son",
            "mother",
            "father",
            "sister",
            "brother",
            "niece",
            "nephew",
            "aunt",
            "uncle",
            "cousin",
            "caregiver",
            "guardian",
            "contact",
            "kin",
        ),
    ),
    Rule(
        "PATIENT_NAME",
        rf"\b(?=[mwfglbic])(?:man|woman|male|female|gentleman|lady|boy|girl|infant|child)[ \t]+named[ \t]+({NAME})",
        1,
        cues=("named",),
    ),
    # "a 77-year-old woman, Agnes Whitlock, ..."
    Rule(
        "PATIENT_NAME",
        rf"\b\d{{1,3}}[ \t-]*(?:years?[ \t-]old|yo|y/o)[ \t]+(?:man|woman|male|female|gentleman|lady|boy|girl|patient)[ \t]*,[ \t]*(?:named[ \t]+)?({NAME})",
        1,
        cues=("year", "yo", "y/o"),
    ),
    Rule(
        "PATIENT_NAME",
        rf"\b({NAME_WORD}(?:[ \t]+[A-Z]\.)?(?:[ \t]+{NAME_WORD}){{1,2}})(?=[ \t]+(?:was|is|has[ \t]+been|had[ \t]+been)[ \t]+(?:re)?(?:admitted|discharged|intubated|diagnosed|transferred|triaged|readmitted)\b)",
        1,
        cues=("admitted", "discharged", "intubated", "diagnosed", "transferred", "triaged"),
    ),
    Rule(
        "PATIENT_NAME",
        rf"\b(?:Mr|Mrs|Ms|Miss|Mx)\.?[ \t]+({LAST_FIRST}|{NAME})",
        1,
        cues=("mr", "ms", "miss", "mx"),
        unless_after=STAFF_AFTER,
    ),
    Rule(
        "PATIENT_NAME",
        rf"(?=[A-Z])(?<![\w-])({LAST_FIRST}|{NAME_WORD}(?:[ \t]+[A-Z]\.)?(?:[ \t]+{NAME_WORD}){{1,2}})(?=[ \t]*[,|;\u2013-]?[ \t]*\(?(?:DOB|D\.O\.B|MRN|MR#|date of birth|born|age[ \t]+\d|aged[ \t]+\d|\d{{1,3}}[ \t-]*(?:yo\b|y/o|y\.o\.|years?[- ]old)))",
        1,
        cues=("dob", "d.o.b", "mrn", "mr#", "birth", "born", "age", "yo", "y/o", "y.o.", "year"),
    ),
    # a "Name:" field of a chart or form; "Project Name:" and the like (a word before it) are not,
    # nor a sign-off or RACI row ("Name: Priya Natarajan  Title: PM"), which names staff
    Rule(
        "PATIENT_NAME",
        rf"(?=N)(?<![\w,] )(?<![\w-])(?:Name|NAME)[ \t]*:[ \t]*({LAST_FIRST}|{NAME})",
        1,
        0.8,
        cues=("name",),
        unless_after=re.compile(
            r"[^\n]{0,40}?\b(?:Title|Role|Signature|Position|Department|Dept|Team)[ \t]*:", re.I
        ),
    ),
    # a full name directly followed by an age and sex ("Eleanor Voss, 62F") or a street address
    Rule(
        "PATIENT_NAME",
        rf"(?=[A-Z])(?<![\w-])({NAME_WORD}(?:[ \t]+[A-Z]\.)?(?:[ \t]+{NAME_WORD}){{1,2}})(?=[ \t]*[,(][ \t]*(?:\d{{1,3}}[ \t]?(?:F|M|yo[FM]?)\b|{STREET}))",
        1,
        0.8,
    ),
    # HL7 v2 PID segments pasted into tickets: PID-3 identifier, PID-5 name, PID-7 birth date,
    # PID-11 address, PID-19 SSN (fields counted by "|", components joined by "^")
    Rule("MRN", r"\bPID\|(?:[^|\n]*\|){2}([^|^\n]+)", 1, 0.9, cues=("pid|",)),
    Rule("PATIENT_NAME", r"\bPID\|(?:[^|\n]*\|){4}([^|\n]*[A-Za-z][^|\n]*)", 1, 0.9, cues=("pid|",)),
    Rule("DATE_OF_BIRTH", r"\bPID\|(?:[^|\n]*\|){6}(\d{8})", 1, 0.9, cues=("pid|",)),
    Rule("ADDRESS", r"\bPID\|(?:[^|\n]*\|){10}([^|\n]*\d[^|\n]*)", 1, 0.9, cues=("pid|",)),
    Rule("SSN", r"\bPID\|(?:[^|\n]*\|){18}(\d{3}-?\d{2}-?\d{4})", 1, 0.9, cues=("pid|",)),
    # medical record numbers
    Rule(
        "MRN",
        r"\b(?:(?:EPIC|EMR|EHR)[ \t]+)?(?:MRNs?|MR[ \t]*#|medical[ \t]+record(?:[ \t]+(?:number|no\.?|num|#))?|med[ \t]+rec(?:ord)?[ \t]*#?|chart[ \t]+(?:number|no\.?|#))[ \t]*(?:is[ \t]+)?[:#=-]{0,2}[ \t]*([A-Z]{0,3}-?\d[\d-]{4,14}\d)\b",
        1,
        0.95,
        re.I,
        cues=("mrn", "mr", "medical record", "med rec", "chart"),
    ),
    # the value first: "PID-3 value 00731455 (the MRN)"
    Rule("MRN", r"\b([A-Z]{0,3}\d{6,12})[ \t]*\((?:the[ \t]+|an?[ \t]+)?MRN\)", 1, 0.9, re.I, cues=("mrn",)),
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
        rf"\b{STREET}\.?(?:,?[ \t]+(?:Apt|Apartment|Suite|Ste|Unit|#)\.?[ \t]*[\w-]+)?(?:,[ \t]*[A-Z][a-z]+(?:[ \t][A-Z][a-z]+)*)?(?:,?[ \t]*[A-Z]{{2}})?(?:[ \t]+\d{{5}}(?:-\d{{4}})?)?",
        0,
        0.85,
    ),
    # dates of birth and other dates tied to one patient
    Rule(
        "DATE_OF_BIRTH",
        rf"\b(?:DOB|D\.O\.B\.?|date[ \t]+of[ \t]+birth|birth[ \t]?date|birthday|born)(?:[ \t]+(?:is|was|as|of|on))?[ \t]*[:#-]?[ \t]*({DATE})",
        1,
        0.95,
        re.I,
        cues=("dob", "d.o.b", "birth", "born"),
    ),
    Rule(
        "CLINICAL_DATE",
        # the look-ahead on first letters lets the scan skip most positions (about 2.5x faster)
        rf"\b(?=[acdeiprst])(?:(?:{_EVENT_VERB}){_GAP}|(?:{_EVENT_NOUN})(?:[ \t]+date)?)(?:[ \t]+(?:on|was|is))?[ \t]*[:#-]?[ \t]*({DATE})",
        1,
        0.9,
        re.I,
        cues=(
            "admit",
            "adm",
            "discharge",
            "disch",
            "death",
            "died",
            "deceased",
            "expired",
            "dod",
            "dos",
            "service",
            "presented",
            "arrive",
            "arrival",
            "transferred",
            "intubated",
            "diagnosed",
            "seen",
            "surgery",
            "procedure",
            "appointment",
            "appt",
            "encounter",
            "chemo",
        ),
    ),
    # the date first: "my 9/2/2025 visit", "the 10/01/2025 admission" (case-sensitive date with a
    # first-character look-ahead: scanning every position for a date is otherwise the slowest rule)
    Rule(
        "CLINICAL_DATE",
        rf"\b(?=[\dJFMASOND])({DATE})[ \t]+(?i:(?:(?:ED|ER|clinic|office|hospital|inpatient)[ \t]+)?(?:visit|admission|surgery|appointment|appt|discharge|procedure|stay|encounter)\b)",
        1,
        0.85,
        0,
        cues=(
            "visit",
            "adm",
            "surgery",
            "appointment",
            "appt",
            "discharge",
            "procedure",
            "stay",
            "encounter",
        ),
    ),
    # account, health plan and member numbers
    Rule(
        "HEALTH_PLAN_ID",
        r"\b(?:member|subscriber|policy|health[ \t]+plan|insurance|beneficiary|medicaid|medicare|group)[ \t]*(?:id|identifier|number|no\.?|num|#)[ \t]*(?:is[ \t]+)?[:#]?[ \t]*(?=[A-Z0-9-]*\d)([A-Z0-9][A-Z0-9-]{4,19})\b",
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
        r"\b(?:account|acct|billing|claim|patient[ \t]+account)(?:[ \t]*(?:id|number|no\.?|num|#)[ \t]*(?:is[ \t]+)?[:#]?[ \t]*(?=[A-Z0-9-]*\d)([A-Z0-9][A-Z0-9-]{4,19})|[ \t]+(\d{6,16}))\b",
        (1, 2),
        0.9,
        re.I,
        cues=("account", "acct", "billing", "claim"),
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
        r"\bhttps?://[^\s<>\"')\]]*?(?:patients?|mrns?|members?|charts?|encounters?|persons?|pid|ssn|dob)(?:[_-]?id)?[=/][\w-]*\d[^\s<>\"')\]]*(?<![.,;:?!])",
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

# Words of a mailbox that belongs to a function, list or team rather than a person; any one of them in
# the local part ("sepsis-steering@", "it.servicedesk@", "datahub-announce@") makes it a role address.
ROLE_MAILBOXES = frozenset(
    """dev issues user users private security commits announce general info support help admin
    noreply no-reply donotreply team pmo board list lists notifications builds jira github webmaster
    press legal helpdesk servicedesk desk service services compliance privacy steering committee
    council informatics clinical research office department dept ops operations oncall alerts alert
    reports reporting scheduling billing intake him hr finance payable contact feedback hello inquiries
    enquiries sales marketing careers jobs training project projects program programs portfolio
    governance quality safety audit it is ehr epic access accounts mailbox group ml ai data analytics
    analyst cab change release releases escalation escalations advisory""".split()
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
            groups = rule.group if isinstance(rule.group, tuple) else (rule.group,)
            for match in regex.finditer(text):
                start, end = next((match.span(g) for g in groups if match.start(g) >= 0), (-1, -1))
                value = text[start:end]
                if start < 0 or not value.strip() or not self._valid(rule.entity, value, text[:start]):
                    continue
                if rule.unless_after is not None and rule.unless_after.match(text, end, end + 80):
                    continue
                if rule.entity == "DEVICE_ID" and value.count(")") > value.count("("):
                    end -= 1  # "(pump serial: TX4478-02291)": the closing bracket is not the id's
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
        if local in ROLE_MAILBOXES or any(w in ROLE_MAILBOXES for w in re.split(r"[._+-]", local)):
            return False  # mailing lists and role mailboxes name no person
        return self._extract(pattern_text).fqdn != ""
