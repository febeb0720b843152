import pandas as pd
import pytest

from reach.core import disclosure
from reach.core.disclosure import neutralise_formula, redact_series, redact_text


class TestSuppressCount:
    # NHSDigital/codonPython suppression_test.py vectors (methods.md §5.2).
    @pytest.mark.parametrize(
        ("value", "shown"),
        [(0, "0"), (2, "*"), (5, "*"), (8, "10"), (16, "15"), (57, "55"), (10023, "10025")],
    )
    def test_nhs_reference_vectors(self, value, shown):
        assert disclosure.suppress_count(value) == shown

    def test_seven_is_hidden_and_missing_is_blank(self):
        assert disclosure.suppress_count(7) == "*"
        assert disclosure.suppress_count(None) == ""


class TestRedactText:
    @pytest.mark.parametrize(
        ("text", "expected"),
        [
            ("email me at sam.jones@example.com please", "email me at [email] please"),
            ("Call 07700 900123 today", "Call [phone] today"),
            ("ring +44 7700 900123", "ring [phone]"),
            ("landline 01632 960123.", "landline [phone]."),
            ("we live in NR1 3QU now", "we live in [postcode] now"),
            ("NHS number 943 476 5919", "NHS number [NHS number]"),
            ("Hello, my name is Sam Jones and", "Hello, my name is [name] and"),
            ("Great video. Thanks, Priya", "Great video. Thanks, [name]"),
            ("Kind regards Jo Bloggs.", "Kind regards [name]."),
        ],
    )
    def test_replaces_personal_data(self, text, expected):
        assert redact_text(text) == expected

    @pytest.mark.parametrize(
        "text", ["Really helpful video, thank you", "The room was 18 degrees in 2024", ""]
    )
    def test_leaves_ordinary_text_alone(self, text):
        assert redact_text(text) == text

    def test_missing_value_passes_through(self):
        assert redact_text(None) is None


class TestNeutraliseFormula:
    @pytest.mark.parametrize("text", ['=HYPERLINK("http://x","y")', "+44 call", "-1", "@SUM(A1)"])
    def test_formula_prefixes_get_an_apostrophe(self, text):
        assert neutralise_formula(text) == "'" + text

    def test_other_text_unchanged(self):
        assert neutralise_formula("fine") == "fine"


class TestRedactSeries:
    def test_returns_new_series_and_keeps_formulas_as_written(self):
        # Processed tables and the report show text exactly; only files a spreadsheet opens neutralise.
        values = pd.Series(["=1+1", "mail a@b.co"])
        result = redact_series(values)
        assert list(result) == ["=1+1", "mail [email]"]
        assert list(values) == ["=1+1", "mail a@b.co"]
