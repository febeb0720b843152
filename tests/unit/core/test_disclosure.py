import pytest

from reach.core import disclosure
from reach.core.disclosure import neutralise_formula


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


class TestNeutraliseFormula:
    @pytest.mark.parametrize("text", ['=HYPERLINK("http://x","y")', "+44 call", "-1", "@SUM(A1)"])
    def test_formula_prefixes_get_an_apostrophe(self, text):
        assert neutralise_formula(text) == "'" + text

    def test_other_text_unchanged(self):
        assert neutralise_formula("fine") == "fine"
