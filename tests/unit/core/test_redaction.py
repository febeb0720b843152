import re

import pandas as pd
import pytest
import yaml

from reach.core import disclosure
from reach.core.redaction import _nhs_checksum_ok, redact_series, redact_text, strip_invisible
from tests.conftest import REPO_ROOT

# The hand-written labelled set (synthetic personal data; see its header).
CASES = yaml.safe_load((REPO_ROOT / "tests" / "data" / "redaction_cases.yaml").read_text(encoding="utf-8"))
PERSONAL = CASES["personal"] + CASES["held_out_personal"]
ORDINARY = CASES["ordinary"] + CASES["held_out_ordinary"]


def _still_there(planted: str, text: str) -> bool:
    """A planted string survives as a whole word (any case), or as itself when it has no letters."""
    if not re.search(r"\w", planted):
        return planted in text
    return re.search(r"(?<!\w)" + re.escape(planted) + r"(?!\w)", text, re.IGNORECASE) is not None


class TestLabelledSet:
    def test_the_set_covers_every_class_the_issue_names(self):
        classes = {case["class"] for case in PERSONAL}
        assert classes >= {
            "name_intro", "name_title", "name_worker", "name_family", "name_surname", "name_non_ascii",
            "name_signoff", "email", "phone", "date_of_birth", "address", "nhs_number", "invisible",
        }  # fmt: skip

    @pytest.mark.parametrize("case", PERSONAL, ids=lambda c: f"{c['class']}:{c['text'][:40]}")
    def test_every_planted_string_is_removed(self, case):
        result = redact_text(case["text"])
        for planted in case["planted"]:
            assert not _still_there(str(planted), result), (planted, result)

    @pytest.mark.parametrize("case", PERSONAL, ids=lambda c: f"{c['class']}:{c['text'][:40]}")
    def test_words_beside_personal_data_survive_and_no_word_is_cut(self, case):
        result = redact_text(case["text"])
        for keep in case.get("keep") or []:
            assert str(keep) in result, (keep, result)
        assert not re.search(r"\][^\W\d_]|[^\W\d_]\[", result), result  # "[name]án": a name cut short

    @pytest.mark.parametrize("text", ORDINARY)
    def test_ordinary_comments_come_out_unchanged(self, text):
        assert redact_text(text) == CASES["accepted_false_positives"].get(text, text)


class TestRedactText:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("email me at sam.jones@example.com please", "email me at [email] please"),
            ("jane dot smith at example dot com", "[email]"),
            ("Call 07700 900123 today", "Call [phone] today"),
            ("ring +44 7700 900123", "ring [phone]"),
            ("landline (01603) 123456.", "landline [phone]."),
            ("we live in NR1 3QU now", "we live in [postcode] now"),
            ("NHS number 943 476 5919", "NHS number [NHS number]"),
            ("NHS number 9434765919", "NHS number [NHS number]"),
            ("ref 1234567890", "ref [number]"),  # ten digits failing the NHS check digit
            ("born on 3rd February 2025", "born on [date]"),
            ("she was 4 weeks old on 10/03/2025", "she was [age] on [date]"),
            ("born last Tuesday", "born [date]"),
            ("Flat 4, 12 Mill Lane, Norwich", "[address], Norwich"),
            ("Hello, my name is Sam Jones and", "Hello, my name is [name] and"),
            ("my name is sam and", "my name is [name] and"),
            ("Great video. Thanks, Priya", "Great video. Thanks, [name]"),
            ("Kind regards Jo Bloggs.", "Kind regards [name]."),
            ("my health visitor Sarah came", "my health visitor [name] came"),
            ("baby Amélie sleeps", "baby [name] sleeps"),
            ("Name - Harriet Quill", "Name - [name]"),
            ("we called her Luna", "we called her [name]"),
            ("born in February 2025", "born [date]"),
            ("Flat B, 12 Mill Lane", "[address]"),
            ("Very clear advice\n\n- Becky", "Very clear advice\n\n- [name]"),
            ("Confusing", "Confusing"),  # one capitalised word is not a sign-off
        ],
    )
    def test_replaces_personal_data(self, text, expected):
        assert redact_text(text) == expected

    @pytest.mark.parametrize(
        "text", ["Really helpful video, thank you", "The room was 18 degrees in 2024", "Call 111", ""]
    )
    def test_leaves_ordinary_text_alone(self, text):
        assert redact_text(text) == text

    @pytest.mark.parametrize("missing", [None, float("nan"), pd.NA])
    def test_missing_value_passes_through(self, missing):
        assert redact_text(missing) is missing

    def test_invisible_characters_cannot_hide_an_address(self):
        assert redact_text("jo\u200b.bloggs@exa\u200dmple.com") == "[email]"

    def test_combining_accents_are_joined_so_the_whole_name_goes(self):
        # "Zoe" + U+0308 COMBINING DIAERESIS: NFC makes it one letter, then the name is one word.
        assert redact_text("I'm Zoe\u0308, hello") == "I'm [name], hello"

    def test_is_importable_from_disclosure_too(self):
        assert disclosure.redact_text is redact_text


class TestStripInvisible:
    @pytest.mark.parametrize(
        "char",
        ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
         "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\x1b"],
    )  # fmt: skip
    def test_removes_each_character(self, char):
        assert strip_invisible(f"a{char}b") == "ab"

    def test_keeps_line_breaks_tabs_and_letters(self):
        assert strip_invisible("Zoë\tand\nJo\r\n") == "Zoë\tand\nJo\r\n"

    def test_non_text_passes_through(self):
        assert strip_invisible(None) is None


class TestNhsChecksum:
    # 943 476 5919 is the NHS's published test number; its check digit is 9.
    def test_published_test_number_passes(self):
        assert _nhs_checksum_ok("9434765919")

    def test_wrong_check_digit_fails(self):
        assert not _nhs_checksum_ok("9434765910")


class TestRedactSeries:
    def test_returns_new_series_and_keeps_formulas_as_written(self):
        # Processed tables and the report show text exactly; only files a spreadsheet opens neutralise.
        values = pd.Series(["=1+1", "mail a@b.co"])
        result = redact_series(values)
        assert list(result) == ["=1+1", "mail [email]"]
        assert list(values) == ["=1+1", "mail a@b.co"]
