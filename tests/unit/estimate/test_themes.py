from __future__ import annotations

import pandas as pd
import pytest
import yaml

from reach.estimate import themes as estimate_themes
from tests.conftest import REPO_ROOT

REPO = REPO_ROOT


# ---------------------------------------------------------------------------------------
# Free-text themes
# ---------------------------------------------------------------------------------------

CODEBOOK = {
    "Swaddling": ["swaddl*"],
    "Bed-sharing": ["bed sharing", "co sleep*"],
    "Cot": ["cot"],
    "Thanks": ["thank*"],
}


class TestThemes:
    def test_counts_matching_rules_and_quotes(self):
        comments = pd.Series(
            [
                "Is it OK to swaddle at night?",
                "We were bed-sharing and co-sleeping",  # hyphen matches a space
                "Thank you <b>so</b> much",  # returned as given: escaping happens at display
                "THANKS!",
                "Cottage pie recipe please",  # "cot" is a whole word only
                "A cot question",
                None,
                "   ",
                "thank you",
                "thank you",  # duplicate quote shown once
            ],
            dtype="object",
        )
        frame = estimate_themes.code_themes(comments, CODEBOOK, min_n=3, max_quotes=2)
        counts = dict(zip(frame["theme"], frame["comments"], strict=True))
        assert counts == {"Swaddling": 1, "Bed-sharing": 1, "Cot": 1, "Thanks": 4, "(not coded)": 1}
        quotes = dict(zip(frame["theme"], frame["quotes"], strict=True))
        assert quotes["Thanks"] == ["Thank you <b>so</b> much", "THANKS!"]
        assert quotes["Swaddling"] == []  # fewer than min_n comments: no quotes
        assert frame.loc[frame["theme"] == "Thanks", "share"].item() == pytest.approx(4 / 8)

    def test_project_codebook_is_valid(self):
        codebook = yaml.safe_load((REPO / "config" / "codebook.yaml").read_text(encoding="utf-8"))
        themes = estimate_themes.parse_codebook(codebook)
        for theme in (
            "Room temperature",
            "Bed-sharing and co-sleeping",
            "Swaddling",
            "Smoking",
            "Sofa and armchair",
        ):
            assert theme in themes

    def test_bad_codebook(self):
        with pytest.raises(ValueError):
            estimate_themes.parse_codebook({"Empty": []})
        with pytest.raises(ValueError):
            estimate_themes.parse_codebook({"Text": "cot"})

    def test_every_distinct_comment_is_a_candidate_without_a_limit(self):
        comments = ["cot one", "cot two", "cot one", "cot three", "no theme"]
        frame = estimate_themes.code_themes(comments, {"Cot": ["cot"]}, min_n=2, max_quotes=None)
        assert frame.set_index("theme").loc["Cot", "quotes"] == ["cot one", "cot two", "cot three"]


# SHA-256 worked out outside reach: FIPS 180-2 appendix B.1 for "abc"; `printf '%s' 'Zoë' | sha256sum`.
ABC_SHA256 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
ZOE_SHA256 = "c6a12698582fc1104ea24107a2d7268145ff06ef859707729d01fd060897f067"


class TestQuoteHash:
    def test_fips_180_2_test_vector(self):
        assert estimate_themes.quote_hash("abc") == ABC_SHA256

    def test_text_is_hashed_as_utf8(self):
        assert estimate_themes.quote_hash("Zoë") == ZOE_SHA256


class TestApprovedQuotes:
    def test_keeps_only_approved_in_order_up_to_the_limit(self):
        candidates = ["one", "abc", "two", "Zoë"]
        approved = {ZOE_SHA256, ABC_SHA256.upper()}  # hex digits in either case
        assert estimate_themes.approved_quotes(candidates, approved, 3) == ["abc", "Zoë"]
        assert estimate_themes.approved_quotes(candidates, approved, 1) == ["abc"]

    def test_nothing_approved_gives_no_quote(self):
        assert estimate_themes.approved_quotes(["abc"], [], 3) == []
        assert estimate_themes.approved_quotes(["abc"], {ABC_SHA256}, 0) == []
