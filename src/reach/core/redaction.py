"""Redaction of personal data in free text, and removal of characters that hide or reorder text.

:func:`redact_text` replaces e-mail addresses (also written out: ``jane dot smith at example dot
com``, ``(at)``, ``[dot]``), UK phone numbers (``(01603) 123456``, ``+44 (0)20 …``, mobiles),
NHS numbers (with or without spaces) and other long digit runs, dates (``3/2/2025``,
``03-02-25``, ``3rd February 2025``; a birth told relatively, ``born last Tuesday``) and a baby's
age given beside one, street addresses and flat numbers, UK postcodes, and names: after "my name
is", "I am", "I'm", "this is", "from", a title (Mr, Mrs, Ms, Miss, Dr …), a worker ("my health
visitor Sarah", "midwife Jo", "Amira our midwife"), a relative or a baby ("my son Oliver", "baby
Amélie"), and in a sign-off ("Thanks, Priya"); a surname left after ``[name]`` goes with it.
Names are whole words of any alphabet, never cut mid-word.

It works from cues, not a list of names: a name written with no cue ("Oliver loves it") is not
found, which is why a quote reaches the report only once the analyst has approved it
(:mod:`reach.estimate.themes`). How it compares with a library on a labelled set:
``docs/methodology.md``, *Free text: redaction and approved quotes*.

:func:`strip_invisible` removes bidirectional overrides and isolates, zero-width characters and
control characters: from free text before it is stored, and again wherever text is shown.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

# ---------------------------------------------------------------------------------------
# Invisible characters
# ---------------------------------------------------------------------------------------

#: Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069), marks
#: (U+200E, U+200F, U+061C), zero-width characters (U+200B–U+200D, U+2060, U+FEFF), the soft
#: hyphen, and control characters other than tab and line breaks.
_INVISIBLE = re.compile(
    "[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b-\u200d\u2060\ufeff\u00ad"
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]"
)


def strip_invisible(text: object) -> object:
    r"""Remove characters that reorder text or show nothing (bidi controls, zero-width, controls).

    Parameters
    ----------
    text : object
        Any value; non-strings are returned unchanged.

    Returns
    -------
    object
        The text without U+202A–U+202E, U+2066–U+2069, U+200B–U+200F, U+2060, U+FEFF, U+061C,
        U+00AD and control characters (tab, line feed and carriage return are kept).

    Examples
    --------
    >>> strip_invisible("evil\u202etxt.exe and zero\u200bwidth")
    'eviltxt.exe and zerowidth'
    >>> strip_invisible(3)
    3
    """
    if not isinstance(text, str):
        return text
    return _INVISIBLE.sub("", text)


# ---------------------------------------------------------------------------------------
# Words
# ---------------------------------------------------------------------------------------

#: A word of letters in any alphabet, with apostrophes and hyphens inside (O'Neill, Maisie-Rose);
#: it starts only where a word starts and is never given back in part (an atomic group), so a
#: long run of letters is read once, not once per letter.
_WORD = r"(?<![\w'’\-])(?>[^\W\d_](?:[\w'’\-]*[^\W_])?)"
_WORD_AT = re.compile(r"[ \t]*,?[ \t]*(" + _WORD + r")")
_WORD_ONLY = re.compile(_WORD)
_NEXT_WORD = re.compile(r"[ \t]+(" + _WORD + r")")

#: Words that are never a name: they end a name (function words, courtesy words).
_FUNCTION_WORDS = frozenset(
    """
    a an the and or but nor so to too of in on at for with from by as into onto about after
    before over under up down out off than then that this these those there here is was are were
    be been being am i i'm im i’m me my mine we us our ours you your yours he him his she her hers
    they them their theirs it its it's who whom whose what when where which why how if not no yes
    very really just also all both every everyone everybody anyone someone again lots loads much
    many more most some any only even still now soon today tonight tomorrow yesterday will would
    can could should shall may might must have has had do does did done get got go went please
    thanks thank cheers love hi hello hey dear sorry well ok okay x xx xxx xxxx s
    """.split()
)

#: Capitalised words that are not names (places, organisations, calendar, roles, common
#: sentence starts): a weak cue ("from", "I'm", a sign-off) is not followed by a name when the
#: next word is one of these.
_NOT_NAMES = frozenset(
    """
    nhs gp hv hvs nct norfolk norwich suffolk england uk britain breckland broadland dereham
    thetford wymondham attleborough diss swaffham fakenham cromer sheringham holt aylsham watton
    hunstanton gorleston yarmouth lynn king's kings downham wells walsham costessey hellesdon
    sprowston drayton taverham poringland loddon harleston acle wroxham mattishall ipswich
    lowestoft london cambridge peterborough facebook instagram youtube google tiktok whatsapp
    twitter snapchat amazon tesco boots mothercare lullaby trust council hospital clinic centre
    center team service services unit ward surgery practice january february march april june
    july august september october november december monday tuesday wednesday thursday friday
    saturday sunday christmas easter mum mam mom mummy mother dad daddy father nan nanna nana
    granny grandma grandad grandpa baby babies health visitor visitors midwife midwives nurse
    doctor english british polish lithuanian romanian portuguese latvian bulgarian scottish welsh
    irish european african asian muslim christian great brilliant good fantastic excellent lovely
    amazing helpful useful clear sure fine happy grateful glad tired worried new first also hope
    yes no absolutely definitely best kind regards many everyone all again god safer sleep
    advice information info leaflet video website page sent iphone android sir madam
    """.split()
)

#: Words that follow a lower-case "i am" / "i'm" and are not names.
_NOT_NAMES_AFTER_I_AM = _NOT_NAMES | frozenset(
    """
    tired worried unsure confused pregnant exhausted anxious nervous scared concerned pleased
    thankful struggling here back home lost stuck interested aware unaware single alone
    breastfeeding feeding expecting due sad upset angry frustrated disappointed impressed
    surprised relieved reassured shocked curious keen desperate overwhelmed sleepy late early
    a an the not so very really currently still always never going trying looking writing
    asking wondering parent carer foster fostering guardian professional
    """.split()
)

#: Name particles inside a name (Anna van der Berg).
_PARTICLES = frozenset("van von de der den da di du le la del della ap bin binti ibn al el st".split())


def _is_capital(word: str) -> bool:
    return word[:1].isupper()


def _name_end(text: str, pos: int, *, any_case: bool, weak: bool, joins: bool = False) -> int | None:
    """Where a name starting at ``pos`` ends, or None when no name starts there.

    The first word is a name when it is not a function word (nor, for a ``weak`` cue, a word in
    :data:`_NOT_NAMES`) and is capitalised (or ``any_case``). Further capitalised words, name
    particles before one, and (``joins``) "and" before another name join it, up to five words;
    one more lower-case word joins a lower-case name (``my name is sam smith``).
    """
    stop = _FUNCTION_WORDS | (_NOT_NAMES if weak else frozenset())
    match = _WORD_AT.match(text, pos)
    if match is None:
        return None
    first = match.group(1)
    if first.lower() in stop or not (any_case or _is_capital(first)):
        return None
    end = match.end()
    lower_left = 1 if any_case and not _is_capital(first) else 0
    words = 1
    while words < 5:
        nxt = _NEXT_WORD.match(text, end)
        if nxt is None:
            break
        word = nxt.group(1)
        low = word.lower()
        if low in _PARTICLES or (joins and low == "and"):
            after = _NEXT_WORD.match(text, nxt.end())
            while after and low != "and" and after.group(1).lower() in _PARTICLES:
                after = _NEXT_WORD.match(text, after.end())
            if after and _is_capital(after.group(1)) and after.group(1).lower() not in stop:
                end, words = after.end(), words + 2
                continue
            break
        if low in _FUNCTION_WORDS:  # a place after a first name is a surname: "Marian Holt"
            break
        if _is_capital(word):
            end, words = nxt.end(), words + 1
        elif lower_left:
            end, words, lower_left = nxt.end(), words + 1, lower_left - 1
        else:
            break
    return end


def _name_start(text: str, pos: int) -> int:
    """Skip the spaces and comma between a cue and the name it introduces."""
    match = re.compile(r"[ \t]*[,(]?[ \t]*").match(text, pos)
    return match.end() if match else pos


# ---------------------------------------------------------------------------------------
# Cues that introduce a name
# ---------------------------------------------------------------------------------------

_I = r"(?:\bi[ \t]*(?:'|’)?[ \t]*m|\bi[ \t]+am)"
_WORKERS = (
    r"(?:health[ \t-]*visitors?|hvs?|midwi(?:fe|ves)|nursery[ \t]+nurses?|nurses?|gps?|doctors?|"
    r"consultants?|paediatricians?|pediatricians?|(?:family[ \t]+)?support[ \t]+workers?|"
    r"social[ \t]+workers?|key[ \t]+workers?|practitioners?|peer[ \t]+supporters?|"
    r"breastfeeding[ \t]+(?:supporters?|counsellors?)|lady|lactation[ \t]+consultants?)"
)
_RELATIVES = (
    r"(?:(?:little|baby|newborn|eldest|oldest|youngest|new|twin|first|second|third|step)[ \t-]*)?"
    r"(?:son|daughter|baby|boy|girl|one|lo|twins|triplets|partner|husband|wife|fianc[ée]e?|"
    r"boyfriend|girlfriend|mum|mother|mam|mom|dad|father|nan|nanna|nana|grandma|granny|grandad|"
    r"grandpa|grandmother|grandfather|sister|brother|child|children|kids?|newborn|toddler|niece|"
    r"nephew|grandson|granddaughter|grandchild|friend|auntie?|uncle|cousin)"
)
_SIGN_OFF = (
    r"(?:thanks(?:[ \t]+again)?|thank[ \t]+you(?:[ \t]+again)?|many[ \t]+thanks|ta|"
    r"(?:kind|best|warm|warmest)[ \t]+(?:regards|wishes)|regards|best|cheers|"
    r"(?:lots[ \t]+of[ \t]+)?love(?:[ \t]+from)?|sincerely|yours(?:[ \t]+sincerely|[ \t]+faithfully)?)"
)


@dataclass(frozen=True)
class _Cue:
    """Words after which a name is written.

    ``any_case``: the name may be in lower case; ``weak``: the words of :data:`_NOT_NAMES` are
    not names after it; ``joins``: "Ava and Isla" is one name; ``must_end``: the name ends the
    text (a sign-off); ``pause``: a one-word name must end a sentence ("from Gemma." but not
    "from Barnardo's was").
    """

    pattern: re.Pattern[str]
    any_case: bool = False
    weak: bool = True
    joins: bool = False
    must_end: bool = False
    pause: bool = False


def _cue(pattern: str, **flags: bool) -> _Cue:
    # (?![\w'’]) stops a cue inside a longer word ("love" in "lovely").
    return _Cue(re.compile(r"(?:" + pattern + r")(?:(?<![\w'’])|(?![\w'’]))", re.IGNORECASE), **flags)


_CUES: tuple[_Cue, ...] = (
    # "my name is Sam", "my name's sam", "i am called Bethany", "she is called Noah"
    _cue(
        r"\b(?:my|her|his|their|our|baby's|babys)[ \t]+names?(?:[ \t]*(?:'|’)[ \t]*s|[ \t]+is|[ \t]+was)?"
        r"|\bname[ \t]*[:\-–]|\bcall[ \t]+me|\bknown[ \t]+as|\bsigned"
        r"|\b(?:called|named)[ \t]+(?:him|her|them)"
        r"|\b(?:am|is|was|are|were|'s|’s|m)[ \t]+(?:called|named|christened)|\bnamed",
        any_case=True,
        weak=False,
        joins=True,
    ),
    _cue(_I),  # "I am Joanna", "I'm Zoë" (capitalised)
    _cue(r"\bthis[ \t]+is|\bit(?:'|’)?s|\bhere[ \t]+is"),
    _cue(r"\bfrom", pause=True),  # "from Gemma Lloyd", "from Gemma."
    _cue(r"\b(?:lots[ \t]+of[ \t]+)?love[ \t]+from"),  # "Love from Pat and the kids"
    # titles
    _cue(r"\b(?:mrs|mr|ms|mx)\.?", any_case=True, weak=False),
    _cue(r"\b(?-i:Miss|Dr|DR|Doctor|Prof|Professor|Sister|Nurse|Rev|Revd)\.?"),
    # "my health visitor Sarah", "midwife Jo", "the HV, Karen"
    _cue(r"\b" + _WORKERS + r"(?:[ \t]+(?:is[ \t]+)?(?:called|named))?[ \t]*[,:\-–]?", joins=True),
    # "my son Oliver", "our daughter, Maisie-Rose"
    _cue(r"\b(?:my|our|her|his|their|your)[ \t]+" + _RELATIVES + r"[ \t]*[,:\-–]?", weak=False, joins=True),
    _cue(r"\bbaby"),  # "baby Amélie"
    # sign-offs: "thanks, priya" ending the text, "Thanks, Priya." anywhere
    _cue(r"\b" + _SIGN_OFF + r"[ \t]*[,.!:\-–]?", any_case=True, joins=True, must_end=True),
    _cue(r"\b" + _SIGN_OFF + r"[ \t]*[,.!:\-–]?", joins=True, pause=True),
    # a name alone on the last line, or after a dash, below a comment: "…\n- Becky", "… – Dan x"
    # (not a comment of one word: "Confusing", "Other")
    _cue(r"(?<=\S)\s*\n[ \t]*[-–—~]?|(?<=\S)[ \t]+[-–—~]", must_end=True),
)

#: A name before a worker: "Amira our midwife", "Sarah (health visitor)", "Debbie the HV".
_NAME_BEFORE_WORKER = re.compile(
    r"(" + _WORD + r")[ \t]*,?[ \t]*(?:\([ \t]*)?(?:(?:our|my|the|a)[ \t]+)?" + _WORKERS + r"\b",
    re.IGNORECASE,
)

#: Lower-case "i'm aoife," / "i am aoife and": a name only when a pause follows it.
_I_AM_LOWER = re.compile(
    _I + r"[ \t]+(" + _WORD + r")(?=[ \t]*(?:[,.;!\-–(]|$|\n|and\b|here\b|mum\b|mam\b|mom\b|dad\b))",
    re.IGNORECASE,
)

#: The end of the text after a sign-off name: kisses, punctuation, spaces.
_END = re.compile(r"[ \t]*(?:x+)?[ \t]*[.!]*[ \t]*\Z", re.IGNORECASE)


def _name_spans(text: str) -> list[tuple[int, int]]:
    """The spans of ``text`` that hold a name, found from the cues before (or after) them."""
    spans: list[tuple[int, int]] = []
    for cue in _CUES:
        for match in cue.pattern.finditer(text):
            start = _name_start(text, match.end())
            end = _name_end(text, start, any_case=cue.any_case, weak=cue.weak, joins=cue.joins)
            if end is None:
                continue
            if cue.must_end and not _END.match(text, end):
                continue
            if cue.pause and not _ends_sentence_or_has_two_words(text, start, end):
                continue
            spans.append((start, end))
    for match in _I_AM_LOWER.finditer(text):
        word = match.group(1).lower()
        if word not in _NOT_NAMES_AFTER_I_AM and word not in _FUNCTION_WORDS:
            spans.append(match.span(1))
    not_names = _FUNCTION_WORDS | _NOT_NAMES
    for match in _NAME_BEFORE_WORKER.finditer(text):
        word = match.group(1)
        if not _is_capital(word) or word.lower() in not_names:
            continue
        start = match.start(1)
        before = re.search(r"(" + _WORD + r")[ \t]+\Z", text[:start])
        if before and _is_capital(before.group(1)) and before.group(1).lower() not in not_names:
            start = before.start(1)
        spans.append((start, match.end(1)))
    return spans


def _ends_sentence_or_has_two_words(text: str, start: int, end: int) -> bool:
    """A one-word name after a weak cue must end its sentence ("from Gemma." but not "from Boots was")."""
    if len(_WORD_ONLY.findall(text[start:end])) >= 2:
        return True
    return re.compile(r"[ \t]*(?:[.!?,;\n]|x+\b|\Z)").match(text, end) is not None


# ---------------------------------------------------------------------------------------
# Patterns that need no cue
# ---------------------------------------------------------------------------------------

_AT = r"(?:[ \t]*[@＠][ \t]*|[ \t]*[(\[{<][ \t]*at[ \t]*[)\]}>][ \t]*|[ \t]+at[ \t]+)"
_DOT = r"(?:[ \t]*[.．][ \t]*|[ \t]*[(\[{<][ \t]*dot[ \t]*[)\]}>][ \t]*|[ \t]+dot[ \t]+)"
_TLDS = (
    r"(?:com|co|uk|org|net|gov|nhs|ac|edu|info|biz|io|me|eu|ie|de|fr|pl|lt|lv|ro|pt|es|it|nl|us|ca|au|in|"
    r"tv|online|email|mail|live|scot|wales|cymru)"
)
_MAIL_PROVIDERS = frozenset(
    "gmail googlemail hotmail outlook live yahoo icloud me aol btinternet sky talktalk virginmedia "
    "protonmail proton mail ntlworld example".split()
)
_EMAIL = re.compile(r"(?<![\w.%+\-])[\w.%+\-]+[@＠][\w\-]+(?:\.[\w\-]+)+")
#: At most four parts each side of "at", so a long run of "a dot b dot …" is read in linear time.
_EMAIL_WRITTEN = re.compile(
    rf"(?<![\w.%+\-])([\w%+\-]+(?:{_DOT}[\w%+\-]+){{0,3}}){_AT}"
    rf"([\w\-]+(?:{_DOT}[\w\-]+){{0,3}}{_DOT}{_TLDS})\b",
    re.IGNORECASE,
)

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|(?-i:May)|MAY|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:[0-3]?\d(?:st|nd|rd|th)?)"
_WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_DATES = re.compile(
    r"(?<![\w/.\-])(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.](?:\d{4}|\d{2}))(?![\w/\-]|\.\d)"
    r"|\b(?:the[ \t]+)?" + _DAY + r"(?:[ \t]+of)?[ \t]+" + _MONTH + r"(?:,?[ \t]+(?:\d{4}|'?\d{2}))?\b"
    r"|\b" + _MONTH + r"[ \t]+(?:the[ \t]+)?" + _DAY + r"\b(?:,?[ \t]+\d{4}\b)?",
    re.IGNORECASE,
)
#: A birth told by day or relative to the form's date: "born 3/2", "born last Tuesday".
_BIRTH_RELATIVE = re.compile(
    r"\b(?:born|arrived|delivered|birthday(?:[ \t]+(?:is|was))?|dob|d\.o\.b\.?|date[ \t]+of[ \t]+birth)"
    r"[ \t]*:?[ \t]*(?:on[ \t]+)?(?:the[ \t]+)?"
    rf"((?:last|this|on)[ \t]+(?:{_WEEKDAY}|week(?:end)?|night|month)|yesterday|today|{_WEEKDAY}"
    rf"|(?:in[ \t]+)?{_MONTH},?[ \t]+\d{{4}}"
    r"|(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten)[ \t]+(?:days?|weeks?|months?)[ \t]+ago"
    r"|\d{1,2}[/.\-]\d{1,2}(?![/.\-]?\d))",
    re.IGNORECASE,
)
_AGE = re.compile(
    r"\b(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)[ \t-]*"
    r"(?:days?|weeks?|wks?|months?|mths?)(?:[ \t-]*old)?\b",
    re.IGNORECASE,
)

#: Runs of nine or more digits with spaces, dots, hyphens or brackets between them (phone
#: numbers, NHS numbers, account numbers); a leading + or 00 is a country code.
_DIGITS = re.compile(r"(?<![\w+])(?:\+|00)?[ \t]*\(?[ \t]*\d(?:[ \t().\-]{0,3}\d)+\)?(?![\w])")

_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2}\b", re.IGNORECASE)
_STREET = (
    r"(?:road|rd|street|st|lane|ln|avenue|ave|close|cl|crescent|cres|terrace|gardens|gdns|grove|mews|"
    r"square|sq|drive|dr|place|pl|court|ct|way|walk|row|hill|rise|parade|loke|chase|croft|yard|wharf|"
    r"boulevard|green|view|vale|meadows?|park|end|gate|lea|common|circle|approach|fields?|cottages|"
    r"passage|plain|hall|house|lodge|corner|wynd|dale)"
)
_STRONG_STREET = re.compile(
    r"(?:road|rd|street|lane|avenue|close|crescent|terrace|gardens|grove|mews|square|loke)", re.IGNORECASE
)
_NOT_STREET_WORDS = frozenset(
    "minute minutes min mins hour hours hr hrs mile miles km metres meters yards yard steps second "
    "seconds day days week weeks month months year years time times".split()
)
_NUMBERED_STREET = re.compile(
    r"(?<![\w.])\d{1,4}[a-z]?(?:-\d{1,4})?,?[ \t]+((?:" + _WORD + r"[ \t]+){1,3})" + _STREET + r"\b",
    re.IGNORECASE,
)
_NAMED_STREET = re.compile(
    r"(?<![\w'’\-])(?>(?-i:[A-Z][\w'’\-]*))(?:[ \t]+(?>(?-i:[A-Z][\w'’\-]*))){0,2}[ \t]+"
    r"(?-i:Road|Street|Lane|Avenue|Close|Crescent|Drive|Terrace|Gardens|Grove|Mews|Square|Loke|Court)\b"
)
_FLAT = re.compile(
    r"\b(?:flat|apartment|apt|unit|maisonette)\.?[ \t]*(?:\d{1,4}[a-z]?\b|(?-i:[A-HJ-Z])\b(?![’']))",
    re.IGNORECASE,
)


def _digits_tag(match: re.Match[str]) -> str:
    """``[phone]``, ``[NHS number]`` or ``[number]`` for a long digit run; shorter runs unchanged."""
    raw = match.group(0)
    digits = re.sub(r"\D", "", raw)
    if len(digits) < 9:
        return raw
    lead = raw.lstrip(" \t(")
    if lead.startswith(("+", "00")) or digits.startswith("0"):
        tag = "[phone]"
    elif len(digits) == 10 and _nhs_checksum_ok(digits):
        tag = "[NHS number]"
    else:
        tag = "[number]"
    # Keep a space that the pattern took before the number.
    return raw[: len(raw) - len(raw.lstrip(" \t"))] + tag


def _nhs_checksum_ok(digits: str) -> bool:
    """The NHS number modulus-11 check digit.

    Examples
    --------
    >>> _nhs_checksum_ok("9434765919"), _nhs_checksum_ok("9434765918")
    (True, False)
    """
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9])


def _written_email(match: re.Match[str]) -> str:
    """``[email]`` for a written-out address, unless it reads as "found it at www.nhs.uk"."""
    local, domain = match.group(1), match.group(2)
    spelled = re.search(r"\bdot\b|[(\[{<]", match.group(0), re.IGNORECASE) is not None
    first_label = re.split(r"\W", domain.strip().lower(), maxsplit=1)[0]
    if "@" in match.group(0) or "＠" in match.group(0) or spelled or first_label in _MAIL_PROVIDERS:
        return "[email]"
    if local.lower() in _FUNCTION_WORDS or first_label == "www":
        return match.group(0)
    return "[email]"


def _numbered_street(match: re.Match[str]) -> str:
    words = [w.lower() for w in _WORD_ONLY.findall(match.group(1))]
    if any(w in _NOT_STREET_WORDS for w in words):
        return match.group(0)
    suffix = match.group(0)[match.end(1) - match.start(0) :]
    if not any(_is_capital(w) for w in _WORD_ONLY.findall(match.group(0))) and not _STRONG_STREET.fullmatch(
        suffix.strip()
    ):
        return match.group(0)
    return "[address]"


def _replace_spans(text: str, spans: list[tuple[int, int]], tag: str) -> str:
    """Replace the (possibly overlapping) spans of ``text`` with ``tag``."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    for start, end in reversed(merged):
        text = text[:start] + tag + text[end:]
    return text


def _absorb_after(tag: str, text: str, pattern: str) -> str:
    """Join what ``pattern`` matches right after each ``tag`` into the tag ("[name] Smith" → "[name]")."""
    follow = re.compile(re.escape(tag) + pattern)
    previous = None
    while previous != text:
        previous, text = text, follow.sub(tag, text)
    return text


def _redact_dates(text: str) -> str:
    text = _DATES.sub("[date]", text)
    text = _BIRTH_RELATIVE.sub(lambda m: m.group(0)[: m.start(1) - m.start(0)] + "[date]", text)
    if "[date]" in text:
        # A baby's age beside a date gives the date of birth: "4 weeks old on [date]".
        text = _AGE.sub("[age]", text)
    return text


_Step = Callable[[str], str]

#: The order matters: e-mails before names (a local part is not a name), dates before digit
#: runs (3/2/2025 is not a phone number), digit runs before addresses, names last.
_STEPS: tuple[_Step, ...] = (
    lambda t: _EMAIL.sub("[email]", t),
    lambda t: _EMAIL_WRITTEN.sub(_written_email, t),
    _redact_dates,
    lambda t: _DIGITS.sub(_digits_tag, t),
    lambda t: _POSTCODE.sub("[postcode]", t),
    lambda t: _FLAT.sub("[address]", t),
    lambda t: _NUMBERED_STREET.sub(_numbered_street, t),
    lambda t: _NAMED_STREET.sub("[address]", t),
    lambda t: _absorb_after("[address]", t, r",?[ \t]+\[address\]"),
    lambda t: _replace_spans(t, _name_spans(t), "[name]"),
    lambda t: _absorb_after("[name]", t, r"[ \t]+\[name\]"),
    lambda t: re.sub(r"\[name\]([ \t]+" + _WORD + r")", _surname_after_name_step, t),
)


def _surname_after_name_step(match: re.Match[str]) -> str:
    """A capitalised word left after ``[name]`` is the rest of the name (Mary Jane [Whitfield])."""
    word = match.group(1).strip()
    if word.lower() in _FUNCTION_WORDS | _NOT_NAMES or not _is_capital(word):
        return match.group(0)
    return "[name]"


def redact_text(text: object) -> object:
    """Replace personal data in one piece of free text with bracketed tags.

    Characters that reorder text or show nothing are removed first (:func:`strip_invisible`),
    so none can hide a detail from the patterns, and the text is put in Unicode NFC form.

    Parameters
    ----------
    text : object
        A comment; missing values are returned unchanged.

    Returns
    -------
    object
        The text with ``[email]``, ``[phone]``, ``[NHS number]``, ``[number]`` (another run of
        nine or more digits), ``[date]``, ``[age]`` (an age beside a date), ``[postcode]``,
        ``[address]`` and ``[name]`` in place of what they stand for.

    Examples
    --------
    >>> redact_text("Call me on 07700 900123 or email sam@example.com")
    'Call me on [phone] or email [email]'
    >>> redact_text("Thanks, Priya")
    'Thanks, [name]'
    >>> redact_text("my health visitor Sarah said baby Amélie was born on 3rd February 2025")
    'my health visitor [name] said baby [name] was born on [date]'
    >>> redact_text("jane dot smith at example dot com, Flat 4, 12 Mill Lane, NR1 3AB")
    '[email], [address], [postcode]'
    """
    if text is None or (isinstance(text, float) and pd.isna(text)) or text is pd.NA:
        return text
    result = unicodedata.normalize("NFC", strip_invisible(str(text)))
    for step in _STEPS:
        result = step(result)
    return result


def redact_series(values: pd.Series) -> pd.Series:
    """Apply :func:`redact_text` to every value of a Series.

    Formulas are left as written: the processed tables and the report show text exactly, and
    :func:`reach.core.disclosure.neutralise_formula` is applied only where reach writes a file a
    spreadsheet opens.

    Parameters
    ----------
    values : pandas.Series
        Free-text values; not modified.

    Returns
    -------
    pandas.Series
        A new Series of redacted text.

    Examples
    --------
    >>> list(redact_series(pd.Series(["=1+1", "mail me at a@b.co"])))
    ['=1+1', 'mail me at [email]']
    """
    return values.map(redact_text)
