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
